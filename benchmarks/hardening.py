"""What the hardening of issue 11 costs, measured against a baseline taken in the same run.

- /api/ask through the full app with the stream-counting body limit and the security headers,
  against the same app with those two middlewares taken out: p50/p95 and their ratio;
- a 1 GiB chunked POST: time to the 413 and the server's peak RSS growth (a process of its own);
- a Word upload: ``ingest.extract`` (counted, streamed unpacking, then python-docx) against
  python-docx opening the same bytes directly;
- the engine's warm-up at start, against one question asked once warm.

    .venv/bin/python benchmarks/hardening.py      → benchmarks/results/hardening.md
"""

from __future__ import annotations

import io
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from ascc_bot.api import BodyLimit  # noqa: E402
from ascc_bot.config import Settings  # noqa: E402
from ascc_bot.engine import WARM_UP_QUESTIONS, Engine  # noqa: E402
from ascc_bot.ingest import extract  # noqa: E402
from ascc_bot.server import build_app  # noqa: E402
from ascc_bot.web import SecurityHeaders  # noqa: E402

from conftest import LiveServer, ServerProcess, free_port  # noqa: E402
from samples import docx_bytes  # noqa: E402

QUESTIONS = ["Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?", "Hạn gửi báo cáo là khi nào?",
             "Cơ quan nào phối hợp thực hiện nhiệm vụ 3?", "Kinh phí thực hiện kế hoạch lấy từ đâu?",
             "Giá vàng hôm nay bao nhiêu?"]
ROUNDS = 20  # of the five questions, alternating between the two servers


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def ask_latency(engine: Engine, settings: Settings) -> tuple[list[float], list[float]]:
    hardened = build_app(replace(settings, api_rate_limit_per_minute=0), engine)
    baseline = build_app(replace(settings, api_rate_limit_per_minute=0), engine)
    baseline.user_middleware = [m for m in baseline.user_middleware if m.cls not in (BodyLimit, SecurityHeaders)]
    times: dict[str, list[float]] = {"hardened": [], "baseline": []}
    with LiveServer(hardened, free_port()) as a, LiveServer(baseline, free_port()) as b, httpx.Client() as client:
        for _ in range(ROUNDS):
            for question in QUESTIONS:
                for name, server in (("hardened", a), ("baseline", b)):
                    started = time.perf_counter()
                    client.post(f"{server.url}/api/ask", json={"question": question}, timeout=60).raise_for_status()
                    times[name].append(time.perf_counter() - started)
    return times["hardened"], times["baseline"]


def gib_refusal(settings: Settings, log: Path) -> tuple[list[float], float]:
    chunk = b"a" * 65536

    def body():
        for _ in range(1024 ** 3 // len(chunk)):
            yield chunk

    times, growth = [], 0.0
    with ServerProcess(settings, log) as server:
        for _ in range(3):
            server.reset_peak_rss()
            before = server.status("VmRSS")
            started = time.perf_counter()
            r = httpx.post(f"{server.url}/api/ask", content=body(), headers={"content-type": "application/json"},
                           timeout=60)
            times.append(time.perf_counter() - started)
            assert r.status_code == 413
            growth = max(growth, (server.status("VmHWM") - before) / 1024)
    return times, growth


def docx_cost() -> tuple[list[float], list[float]]:
    import docx

    data = docx_bytes()
    ours, direct = [], []
    for _ in range(20):
        started = time.perf_counter()
        extract(data)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        docx.Document(io.BytesIO(data))
        direct.append(time.perf_counter() - started)
    return ours, direct


def main() -> int:
    base = Path(tempfile.mkdtemp(prefix="ascc-bench-hardening-"))
    try:
        shutil.copytree(ROOT / "corpus", base / "corpus")
        if (ROOT / "index").is_dir():  # a built index is reused when it matches; otherwise it is built here
            shutil.copytree(ROOT / "index", base / "index")
        settings = replace(Settings(), corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data")
        engine = Engine(settings, progress=False, log=lambda m: None)  # builds the index once
        started = time.perf_counter()
        Engine(settings, progress=False, log=lambda m: None)
        start_s = time.perf_counter() - started
        warm = []
        for _ in range(5):
            t = time.perf_counter()
            engine.warm_up()
            warm.append(time.perf_counter() - t)
        one = []
        for _ in range(5):
            t = time.perf_counter()
            engine.ask(WARM_UP_QUESTIONS[0])
            one.append(time.perf_counter() - t)
        hardened, baseline = ask_latency(engine, settings)
        refusal, growth = gib_refusal(settings, base / "server.log")
        ours, direct = docx_cost()
    finally:
        shutil.rmtree(base, ignore_errors=True)

    lines = [
        "# Hardening (issue 11): what it costs",
        "",
        f"Measured by `benchmarks/hardening.py` on {time.strftime('%Y-%m-%d')}; each ratio is against a baseline "
        "taken in the same run, on the same machine.",
        "",
        "| measure | p50 | p95 | baseline p50 | baseline p95 | ratio p50 | ratio p95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| /api/ask, full app vs. without body-limit and header middlewares ({len(hardened)} asks each) "
        f"| {ms(statistics.median(hardened))} | {ms(pct(hardened, 0.95))} | {ms(statistics.median(baseline))} "
        f"| {ms(pct(baseline, 0.95))} | {statistics.median(hardened) / statistics.median(baseline):.2f} "
        f"| {pct(hardened, 0.95) / pct(baseline, 0.95):.2f} |",
        f"| .docx sample: `extract` (streamed, counted unpacking) vs. python-docx opening it (20 runs) "
        f"| {ms(statistics.median(ours))} | {ms(pct(ours, 0.95))} | {ms(statistics.median(direct))} "
        f"| {ms(pct(direct, 0.95))} | {statistics.median(ours) / statistics.median(direct):.2f} "
        f"| {pct(ours, 0.95) / pct(direct, 0.95):.2f} |",
        f"| warm-up at start vs. one warm question (5 runs) | {ms(statistics.median(warm))} | {ms(max(warm))} "
        f"| {ms(statistics.median(one))} | {ms(max(one))} | {statistics.median(warm) / statistics.median(one):.2f} "
        f"| {max(warm) / max(one):.2f} |",
        "",
        f"- A second engine in the same process (index built, models loaded), warm-up included: {start_s:.2f} s.",
        f"- 1 GiB chunked POST to /api/ask: 413 after {ms(statistics.median(refusal))} (p50 of 3, max "
        f"{ms(max(refusal))}); server peak RSS growth {growth:.1f} MB.",
        "",
    ]
    out = ROOT / "benchmarks" / "results" / "hardening.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print(out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
