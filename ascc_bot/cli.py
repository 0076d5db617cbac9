"""``ascc-bot``: a thin command line over the engine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import Settings
from .corpus import CorpusError
from .database import StoreUnavailable
from .encoders import EncoderError
from .sections import section_label


def _engine(settings: Settings):
    from .engine import Engine

    return Engine(settings)


def cmd_ask(args, settings: Settings) -> int:
    from .engine import QuestionError

    engine = _engine(settings)
    try:
        answer = engine.ask(args.question)
    except QuestionError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer.answer)
        if answer.citations:
            print("\nNguồn:")
            for c in answer.citations:
                print(f"  - {c.heading}")
    return 0


def cmd_sections(args, settings: Settings) -> int:
    engine = _engine(settings)
    docs = [d for d in engine.documents if not args.doc or d.doc_id == args.doc]
    if not docs:
        print(f"Không có văn bản '{args.doc}'. Có: {', '.join(d.doc_id for d in engine.documents)}", file=sys.stderr)
        return 2
    for doc in docs:
        print(f"{doc.doc_id} — {doc.meta.title}")
        for s in doc.sections:
            indent = "  " * (s.depth + 1)
            title = (s.title[:90] + "…") if len(s.title) > 90 else s.title
            print(f"{indent}{s.section_id:<12} {section_label(s.section_id):<24} {title}"
                  f"{f'  [{len(s.blocks)} đoạn]' if s.blocks else ''}")
    return 0


def cmd_facts(args, settings: Settings) -> int:
    facts = _engine(settings).facts
    print("# Nhiệm vụ: cơ quan thực hiện / phối hợp")
    for t in facts.tasks:
        print(f"{t.section_id} {t.title}")
        print(f"  Cơ quan thực hiện ({t.lead_section}): {'; '.join(t.leads)}")
        if t.coord_section:
            print(f"  Cơ quan phối hợp ({t.coord_section}): {'; '.join(t.coordinators)}")
    print("\n# Nhiệm vụ của từng cơ quan (tổ chức thực hiện)")
    for d in facts.duties:
        print(f"{d.section_id} {d.agency}")
    print("\n# Thời hạn, mốc thời gian, giai đoạn")
    for t in facts.times:
        extra = f" → {t.recipient}" if t.recipient else ""
        print(f"{t.section_id:<10} {t.kind:<16} {t.when}{extra}")
    print("\n# Văn bản được trích dẫn")
    for c in facts.cited:
        issued = f" ngày {c.date} của {c.issuer}: {c.title}" if c.number else ""
        print(f"{c.label}{issued} ({', '.join(c.section_ids)})")
    print("\n# Danh bạ cơ quan (tên chuẩn | viết tắt | không dấu | các mục nêu tên)")
    for key, a in facts.agencies.items():
        where = ", ".join(s for _, s in facts.mentions.get(key, []))
        print(f"{a.name} | {', '.join(a.abbreviations) or '-'} | {key} | {where}")
    return 0


def cmd_serve(args, settings: Settings) -> int:
    import os
    import shutil
    import tempfile

    import uvicorn

    workers = args.workers if args.workers is not None else settings.workers
    if workers < 1 or settings.log_format not in ("text", "json"):
        print("Lỗi: --workers (ASCC_WORKERS) phải ≥ 1 và ASCC_LOG_FORMAT là 'text' hoặc 'json'.", file=sys.stderr)
        return 2
    if workers > 1 and not settings.redis_url:
        print("Cảnh báo: nhiều worker mà chưa đặt ASCC_REDIS_URL: mỗi worker giữ ngữ cảnh hội thoại và giới hạn "
              "tần suất riêng, câu hỏi tiếp theo rơi vào worker khác sẽ mất ngữ cảnh.", file=sys.stderr)
    if workers > 1 and "OMP_NUM_THREADS" not in os.environ:
        # The encoder (and faiss) spread each call over every core with OpenMP; N workers doing so at once
        # oversubscribe the cores and spin. A share of the cores each lets the workers add up instead.
        os.environ["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))
    if workers > 1:  # each worker's /readyz waits for all of them (ops.readyz), so each must know how many
        os.environ["ASCC_WORKERS"] = str(workers)
    own_metrics_dir = None
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # before anything imports prometheus_client: each worker then writes its values to files there
        own_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="ascc-metrics-")
    from .logs import log_config

    options = dict(host=args.host, port=args.port, log_level="info",
                   proxy_headers=False,  # RequestObserver believes X-Forwarded-For from ASCC_TRUSTED_PROXIES only
                   timeout_graceful_shutdown=settings.graceful_timeout_s)
    json_logs = log_config(settings.log_format)
    if json_logs:  # our access log carries the request id; uvicorn's would say the same line again
        options.update(log_config=json_logs, access_log=False)
    try:
        if workers == 1:
            from .ops import RequestObserver
            from .server import LoadingApp

            def stop_serving() -> None:
                server.should_exit = True

            loading = LoadingApp(settings, on_failure=stop_serving)
            server = uvicorn.Server(uvicorn.Config(RequestObserver(loading, settings), **options))
            server.run()
            if loading.failure:
                print(loading.failure, file=sys.stderr)
                return 2
        else:  # each worker process calls the factory and builds its own engine; the index lock lets one build
            from .corpus import load_corpus

            load_corpus(settings.corpus_dir)  # a missing corpus fails here, once, with exit code 2
            uvicorn.run("ascc_bot.server:worker_app", factory=True, workers=workers, **options)
    finally:
        if own_metrics_dir:
            shutil.rmtree(own_metrics_dir, ignore_errors=True)
    return 0


def cmd_build_index(args, settings: Settings) -> int:
    from .corpus import corpus_fingerprint
    from .corpus_store import load
    from .encoders import make_encoder
    from .index import build_index
    from .sections import parse_document

    raws = load(settings)
    docs = [parse_document(r) for r in raws]
    index = build_index(docs, make_encoder(settings.encoder), settings.index_dir, corpus_fingerprint(raws),
                        settings.granularity)
    print(f"Đã xây chỉ mục: {len(index.chunks)} đoạn, bộ mã hóa {index.encoder_id}, thư mục {settings.index_dir}")
    return 0


def cmd_export_model(args, settings: Settings) -> int:
    from .export_model import export_model

    try:
        path = export_model(Path(args.dir))
    except ImportError as exc:  # the [st] extra is not installed
        package = (exc.name or str(exc)).split(".")[0]
        print(f"Lỗi: lệnh export-model cần gói '{package}' của phần mở rộng [st]; cài bằng: "
              ".venv/bin/pip install -e '.[st]'", file=sys.stderr)
        return 2
    print(f"Đã xuất mô hình e5 dạng sentence-transformers vào {path}")
    print(f"Dùng: ASCC_ENCODER=st:{path}")
    return 0


def cmd_feedback_export(args, settings: Settings) -> int:
    from .web import cmd_feedback_export as run

    return run(args, settings)


def cmd_ingest(args, settings: Settings) -> int:
    from .admin import cmd_ingest as run

    return run(args, settings)


def cmd_remove(args, settings: Settings) -> int:
    from .admin import cmd_remove as run

    return run(args, settings)


def cmd_documents(args, settings: Settings) -> int:
    from .admin import cmd_documents as run

    return run(args, settings)


def cmd_telegram(args, settings: Settings) -> int:
    from bots.telegram_bot import cmd_telegram as run

    return run(args, settings)


def cmd_zalo(args, settings: Settings) -> int:
    from bots.zalo_bot import cmd_zalo as run

    return run(args, settings)


def build_parser() -> argparse.ArgumentParser:
    """Every command, listed here; each runs a function of the library (imported when it runs)."""
    from .feedback import KINDS

    parser = argparse.ArgumentParser(prog="ascc-bot", description="Trợ lý hỏi đáp Kế hoạch ASCC Hải Phòng")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ask", help="hỏi một câu")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser("sections", help="in cây mục của văn bản")
    p.add_argument("doc", nargs="?")
    p.set_defaults(func=cmd_sections)
    sub.add_parser("facts", help="in các dữ kiện trích xuất").set_defaults(func=cmd_facts)
    p = sub.add_parser("serve", help="chạy máy chủ HTTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, help="số tiến trình phục vụ trên máy này (mặc định ASCC_WORKERS hoặc 1)")
    p.set_defaults(func=cmd_serve)
    sub.add_parser("build-index", help="xây lại chỉ mục").set_defaults(func=cmd_build_index)
    p = sub.add_parser("export-model", help="xuất mô hình e5 đi kèm dạng sentence-transformers")
    p.add_argument("dir")
    p.set_defaults(func=cmd_export_model)

    p = sub.add_parser("feedback", help="góp ý của người dùng và câu hỏi chưa trả lời được")
    actions = p.add_subparsers(dest="feedback_command", required=True)
    e = actions.add_parser("export", help="xuất góp ý ra CSV hoặc JSON Lines")
    e.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    e.add_argument("--output", "-o", help="tệp ghi ra (mặc định: màn hình)")
    e.add_argument("--kind", choices=KINDS, help="chỉ xuất một loại: feedback (👍/👎) hoặc unanswered")
    e.set_defaults(func=cmd_feedback_export)

    p = sub.add_parser("ingest", help="thêm hoặc thay văn bản (.docx, .pdf, .html, .txt, .md) vào kho")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--doc-id", help="mã văn bản (mặc định: từ số hiệu, ví dụ quyet-dinh-161-qd-ttg)")
    p.add_argument("--title", help="tên đầy đủ (mặc định: đọc từ phần đầu văn bản)")
    p.add_argument("--short-title", help="tên ngắn dùng khi trích dẫn (mặc định: 'Quyết định 161/QĐ-TTg')")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("remove", help="bỏ một văn bản khỏi kho")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_remove)
    p = sub.add_parser("documents", help="liệt kê các văn bản trong kho")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser("telegram", help="chạy bot Telegram")
    p.add_argument("--polling", action="store_true", help="nhận tin bằng long polling (máy không có địa chỉ công khai)")
    p.set_defaults(func=cmd_telegram)
    p = sub.add_parser("zalo", help="chạy bot Zalo")
    p.add_argument("--polling", action="store_true", help="nhận tin bằng long polling (máy không có địa chỉ công khai)")
    p.set_defaults(func=cmd_zalo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return args.func(args, settings)
    except (CorpusError, EncoderError, StoreUnavailable) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
