"""One request must not take the server down: bodies counted as they arrive, on a real server process."""

from __future__ import annotations

import shutil
import time
from dataclasses import replace

import httpx
import pytest

from ascc_bot.ingest import MAX_TEXT_CHARS, extract

from conftest import PLAN_ID, ServerProcess
from samples import big_honest_docx_bytes, long_pdf_bytes, random_bytes, zip_bomb_docx_bytes

GIB = 1024 ** 3
CHUNK = b"a" * 65536


@pytest.fixture(scope="module")
def server(engine, settings, tmp_path_factory):
    """engine: the session's index is built, so the server starts without encoding."""
    log = tmp_path_factory.mktemp("limits") / "server.log"
    with ServerProcess(settings, log) as proc:
        yield proc


def one_gib():
    """1 GiB of body, made as it is sent: the client never holds it."""
    for _ in range(GIB // len(CHUNK)):
        yield CHUNK


@pytest.mark.parametrize("path", ["/api/ask", "/api/feedback"])
def test_a_chunked_gigabyte_is_refused_at_once_without_memory(server, path):
    server.reset_peak_rss()
    before = server.status("VmRSS")
    started = time.monotonic()
    r = httpx.post(server.url + path, content=one_gib(), headers={"content-type": "application/json"}, timeout=30)
    elapsed = time.monotonic() - started
    assert r.status_code == 413
    assert "quá lớn" in r.json()["detail"]
    assert elapsed < 1.0, elapsed
    growth_mb = (server.status("VmHWM") - before) / 1024
    assert growth_mb < 50, growth_mb
    # and the server goes on answering
    ok = httpx.post(server.url + "/api/ask", json={"question": "Hạn gửi báo cáo là khi nào?"}, timeout=30)
    assert ok.status_code == 200


def test_a_body_just_over_the_limit_without_length_is_refused(server):
    def body():
        yield b'{"question": "'
        yield b"a" * 70_000
        yield b'"}'

    r = httpx.post(server.url + "/api/ask", content=body(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "quá lớn" in r.json()["detail"]


# ---------------------------------------------------------------- uploads that would blow up when read

TOKEN = "token-kiem-thu-gioi-han"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def admin_server(engine, settings, tmp_path_factory):
    base = tmp_path_factory.mktemp("admin-limits")
    shutil.copytree(settings.corpus_dir, base / "corpus")
    shutil.copytree(settings.index_dir, base / "index")
    own = replace(settings, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data")
    with ServerProcess(own, base / "server.log", ASCC_ADMIN_TOKEN=TOKEN) as proc:
        proc.settings = own
        yield proc


def stored_files(settings) -> dict[str, bytes]:
    return {str(p.relative_to(settings.data_dir.parent)): p.read_bytes()
            for folder in (settings.corpus_dir, settings.data_dir / "corpus") if folder.exists()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


@pytest.mark.parametrize("name, make, status, reason", [
    ("bom.docx", lambda: zip_bomb_docx_bytes(claimed=1024, gib=4), 400, "bị hỏng"),
    ("bom-anh.docx", lambda: zip_bomb_docx_bytes(claimed=2 ** 30, gib=1, member="word/media/image9.png"), 413,
     "giải nén ra hơn"),
    ("phu-luc-dai.docx", big_honest_docx_bytes, 413, "quá dài"),
    ("hai-nghin-trang.pdf", long_pdf_bytes, 413, "600 trang"),
    ("ngau-nhien.docx", random_bytes, 415, "không phải chữ"),
    ("ngau-nhien.txt", random_bytes, 415, "không phải chữ"),
], ids=["bomb-claiming-1kb-4gb", "bomb-1gb-image", "honest-185mb-xml", "pdf-2000-pages", "random-docx", "random-txt"])
def test_hostile_uploads_are_refused_without_memory_and_change_nothing(admin_server, name, make, status, reason):
    data = make()
    before = stored_files(admin_server.settings)
    admin_server.reset_peak_rss()
    rss = admin_server.status("VmRSS")
    r = httpx.post(f"{admin_server.url}/api/admin/documents", headers={"Authorization": f"Bearer {TOKEN}"},
                   files={"file": (name, data, DOCX)}, timeout=120)
    growth_mb = (admin_server.status("VmHWM") - rss) / 1024
    assert r.status_code == status, r.text
    assert reason in r.json()["detail"]
    assert growth_mb < 200, growth_mb
    assert stored_files(admin_server.settings) == before
    docs = httpx.get(f"{admin_server.url}/api/documents").json()
    assert [d["doc_id"] for d in docs] == [PLAN_ID]


def test_the_limits_admit_a_long_real_decree():
    """Six hundred pages of decree text is within every limit: the limits stop bombs, not documents."""
    article = ("Điều {n}. Cơ quan chủ trì có trách nhiệm tổ chức thực hiện, kiểm tra, đôn đốc các đơn vị trực thuộc "
               "triển khai nội dung của Điều này và báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng năm.")
    lines = ["ỦY BAN NHÂN DÂN TỈNH KIỂM THỬ", "QUYẾT ĐỊNH", "Ban hành Quy chế mẫu"]
    lines += [article.format(n=n) for n in range(1, 9000)]
    text = "\n".join(lines).encode()
    assert 1_500_000 < len(text.decode()) < MAX_TEXT_CHARS
    assert len(extract(text).lines) == len(lines)
