"""Ingest all-or-nothing: a change is staged, indexed, then committed with one rename. Killed at any
point, or stopped by a full disk, the corpus and its index are the old ones or the new ones, never a
mix, and the next start needs no encoding. A running server picks up a CLI ingest by itself."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from test_index import CountingEncoder

from ascc_bot import cli
from ascc_bot.corpus_store import PAUSE_ENV, entries
from ascc_bot.engine import Engine
from ascc_bot.index import make_chunks

from conftest import PLAN_ID, ROOT, ServerProcess

NEW_ID = "quyet-dinh-995-qd-ubnd"
# A short fictional decree: a handful of chunks, so each ingest encodes in a second or two.
NEW_DOCUMENT = """ỦY BAN NHÂN DÂN TỈNH KIỂM THỬ
Số: 995/QĐ-UBND
QUYẾT ĐỊNH
Về việc tổ chức Tuần lễ phim tài liệu ASEAN (VĂN BẢN MẪU DÙNG ĐỂ KIỂM THỬ)
Điều 1. Sở Văn hóa và Thể thao tổ chức Tuần lễ phim tài liệu ASEAN tại nhà văn hóa thiếu nhi vào tháng 9 năm 2099.
Điều 2. Sở Tài chính bảo đảm kinh phí tổ chức Tuần lễ phim tài liệu ASEAN.
Điều 3. Quyết định này có hiệu lực từ ngày ký.
"""
QUESTION = "Ai tổ chức Tuần lễ phim tài liệu ASEAN?"


@pytest.fixture
def own(tmp_path, settings, engine):
    """A copy of the built corpus and index, with a data folder of its own."""
    shutil.copytree(settings.corpus_dir, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    own = replace(settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", data_dir=tmp_path / "data")
    (tmp_path / "qd-995.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    return own


def env_of(settings, **extra: str) -> dict[str, str]:
    return {**os.environ, "ASCC_CORPUS_DIR": str(settings.corpus_dir), "ASCC_INDEX_DIR": str(settings.index_dir),
            "ASCC_DATA_DIR": str(settings.data_dir), **extra}


def cli_ingest(settings, **extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "ascc_bot.cli", "ingest", str(settings.data_dir.parent / "qd-995.txt")]
    return subprocess.Popen(command, cwd=ROOT, env=env_of(settings, **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_line(stream, text: str, timeout_s: float = 120) -> None:
    found = threading.Event()

    def read() -> None:
        for line in stream:
            if text in line:
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    assert found.wait(timeout_s), f"never saw {text!r}"


def served_state(settings, encoder) -> tuple[str, ...]:
    """Start as a restarted server would; the documents it serves. Checks that the index is the
    corpus's own (no encoding needed, same documents and chunks) and that nothing was left behind."""
    counting = CountingEncoder(encoder)
    engine = Engine(settings, encoder=counting, progress=False, log=lambda m: None)
    docs = tuple(d.doc_id for d in engine.documents)
    assert counting.passages == 0, "the index did not match the corpus"
    assert tuple(engine.index_manifest["documents"]) == docs
    assert len(engine.snapshot.index.chunks) == sum(len(make_chunks(d)) for d in engine.documents)
    assert not list(settings.local_corpus.glob(".staging-*")) and not list(settings.index_dir.glob("gen-*.tmp"))
    if NEW_ID in docs:
        assert engine.ask(QUESTION).citations[0].doc_id == NEW_ID
    return docs


@pytest.fixture
def cli_settings(own, monkeypatch):
    for name, value in env_of(own).items():
        if name.startswith("ASCC_"):
            monkeypatch.setenv(name, value)
    return own


@pytest.mark.parametrize("point, expected", [
    ("staged", (PLAN_ID,)),
    ("encoding", (PLAN_ID,)),
    ("index-built", (PLAN_ID,)),
    ("committed", (PLAN_ID, NEW_ID)),
    ("activated", (PLAN_ID, NEW_ID)),
])
def test_sigkill_at_any_point_of_a_cli_ingest_leaves_old_or_new(cli_settings, encoder, point, expected):
    own = cli_settings
    shipped = {p.name: p.read_bytes() for p in own.corpus_dir.iterdir()}
    if point == "encoding":  # no pause: killed while the new generation is being written
        proc = cli_ingest(own)
        deadline = time.monotonic() + 120
        while not list(own.index_dir.glob("gen-*.tmp")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.005)
    else:
        proc = cli_ingest(own, **{PAUSE_ENV: point})
        wait_for_line(proc.stderr, f"ingest paused at {point}")
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL
    assert served_state(own, encoder) == expected
    assert {p.name: p.read_bytes() for p in own.corpus_dir.iterdir()} == shipped  # git-tracked files untouched
    # and a later ingest goes through
    assert cli.main(["ingest", str(own.data_dir.parent / "qd-995.txt")]) == 0
    assert served_state(own, encoder) == (PLAN_ID, NEW_ID)


def test_a_full_disk_keeps_the_old_corpus_and_index_and_later_starts_work(cli_settings, encoder, tmpfs, capsys):
    own = cli_settings
    size = sum(p.stat().st_size for p in own.index_dir.rglob("*") if p.is_file())
    disk = tmpfs(f"{size + 200 * 1024}")  # room for the index there is, not for a second one
    shutil.copytree(own.index_dir, disk / "index")
    own = replace(own, index_dir=disk / "index")
    os.environ["ASCC_INDEX_DIR"] = str(own.index_dir)  # restored by monkeypatch
    before = {p: p.read_bytes() for p in own.index_dir.rglob("*") if p.is_file()}

    assert cli.main(["ingest", str(own.data_dir.parent / "qd-995.txt")]) == 2
    err = capsys.readouterr().err
    assert "hết chỗ trên đĩa" in err and "chưa thay đổi gì" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in own.index_dir.rglob("*") if p.is_file()} == before
    assert served_state(own, encoder) == (PLAN_ID,)
    assert served_state(own, encoder) == (PLAN_ID,)  # every later start too


def test_a_file_size_limit_mid_ingest_is_a_clear_message(own, encoder):
    """RLIMIT_FSIZE in the ingest process: writes past 100 KB fail (EFBIG), as on a full disk."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100 * 1024, 100 * 1024))

    done = subprocess.run([sys.executable, "-m", "ascc_bot.cli", "ingest", str(own.data_dir.parent / "qd-995.txt")],
                          cwd=ROOT, env=env_of(own), capture_output=True, text=True, preexec_fn=limit, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "hết chỗ trên đĩa" in done.stderr and "Traceback" not in done.stderr
    assert served_state(own, encoder) == (PLAN_ID,)


def test_an_admin_upload_killed_mid_build_is_not_served_after_restart(own, tmp_path):
    token = "token-kiem-thu-giet-giua-chung"
    log = tmp_path / "server.log"
    server = ServerProcess(own, log, ASCC_ADMIN_TOKEN=token, **{PAUSE_ENV: "index-built"}).start()
    try:
        def upload() -> None:
            try:
                httpx.post(f"{server.url}/api/admin/documents", headers={"Authorization": f"Bearer {token}"},
                           files={"file": ("qd-995.txt", NEW_DOCUMENT.encode(), "text/plain")}, timeout=120)
            except httpx.HTTPError:
                pass  # the server is killed under it: the client never hears back

        uploader = threading.Thread(target=upload, daemon=True)
        uploader.start()
        deadline = time.monotonic() + 120
        while "ingest paused at index-built" not in log.read_text(errors="replace"):
            assert time.monotonic() < deadline, server.tail()
            time.sleep(0.05)
        server.kill()
        uploader.join(timeout=10)
    finally:
        server.kill()
    with ServerProcess(own, log) as restarted:
        assert [d["doc_id"] for d in httpx.get(f"{restarted.url}/api/documents").json()] == [PLAN_ID]
        answer = httpx.post(f"{restarted.url}/api/ask", json={"question": QUESTION}, timeout=30).json()
        assert NEW_ID not in [c["doc_id"] for c in answer["citations"]]
    assert [m.doc_id for m, _ in entries(own)] == [PLAN_ID]


def test_a_running_server_serves_a_cli_ingest_by_itself(own, tmp_path):
    """No admin token, no reload call: the server notices the corpus version change."""
    with ServerProcess(own, tmp_path / "server.log") as server:
        before = httpx.post(f"{server.url}/api/ask", json={"question": QUESTION}, timeout=30).json()
        assert NEW_ID not in [c["doc_id"] for c in before["citations"]]
        proc = cli_ingest(own)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "POST /api/admin/reload" not in out + err and "tự nạp" in out
        done = time.monotonic()
        while True:
            answer = httpx.post(f"{server.url}/api/ask", json={"question": QUESTION}, timeout=30).json()
            if answer["citations"] and answer["citations"][0]["doc_id"] == NEW_ID:
                break
            assert time.monotonic() - done < 10, "the server did not pick up the new document"
            time.sleep(0.2)
        assert NEW_ID in [d["doc_id"] for d in httpx.get(f"{server.url}/api/documents").json()]


def test_local_documents_live_outside_the_tracked_corpus():
    ignored = subprocess.run(["git", "check-ignore", "-q", "data/corpus/v-1/manifest.json"], cwd=ROOT)
    assert ignored.returncode == 0
    assert Path(ROOT / ".gitignore").read_text().count("/data/") == 1


def test_a_full_disk_during_an_upload_is_a_json_507_and_nothing_changes(own, encoder, tmpfs):
    from fastapi.testclient import TestClient

    from ascc_bot.server import build_app

    size = sum(p.stat().st_size for p in own.index_dir.rglob("*") if p.is_file())
    disk = tmpfs(f"{size + 200 * 1024}")
    shutil.copytree(own.index_dir, disk / "index")
    small_disk = replace(own, index_dir=disk / "index", admin_token="token-kiem-thu-day-dia")
    engine = Engine(small_disk, encoder=encoder, progress=False, log=lambda m: None)
    with TestClient(build_app(small_disk, engine)) as client:
        r = client.post("/api/admin/documents", headers={"Authorization": "Bearer token-kiem-thu-day-dia"},
                        files={"file": ("qd-995.txt", NEW_DOCUMENT.encode(), "text/plain")})
        assert r.status_code == 507, r.text
        assert "hết chỗ trên đĩa" in r.json()["detail"]
        assert [d["doc_id"] for d in client.get("/api/documents").json()] == [PLAN_ID]
    assert served_state(small_disk, encoder) == (PLAN_ID,)
