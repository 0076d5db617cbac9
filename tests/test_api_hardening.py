"""Writes that cannot hurt the server: feedback only for issued answers and at a bounded rate, a busy or
full store answered plainly and never blocking the event loop, every error as JSON, sessions kept per channel."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient

from ascc_bot.answer_ids import is_issued, issue_answer_id
from ascc_bot.database import BUSY_TIMEOUT_S
from ascc_bot.feedback import feedback_path
from ascc_bot.server import build_app

from conftest import LiveServer, fill, free_port

QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
UNANSWERABLE = "Giá vàng hôm nay bao nhiêu?"


@pytest.fixture
def own(settings, tmp_path):
    return replace(settings, data_dir=tmp_path / "data")


def vote(url: str, answer_id: str, **extra) -> httpx.Response:
    return httpx.post(f"{url}/api/feedback", json={"question": QUESTION, "answer_id": answer_id, "rating": "down",
                                                   **extra}, timeout=30)


# ---------------------------------------------------------------- answer ids


def test_feedback_only_for_answers_the_server_gave(engine, own):
    with TestClient(build_app(own, engine)) as client:
        answer = client.post("/api/ask", json={"question": QUESTION}).json()
        assert is_issued(engine.settings, answer["answer_id"])
        assert client.post("/api/feedback", json={"question": QUESTION, "answer_id": answer["answer_id"],
                                                  "rating": "up"}).status_code == 200
        nonce, mac = answer["answer_id"].split("-")
        for forged in ("a1", f"{nonce}-{'0' * len(mac)}", f"{'0' * len(nonce)}-{mac}", answer["answer_id"] + "0"):
            r = client.post("/api/feedback", json={"question": QUESTION, "answer_id": forged, "rating": "up"})
            assert r.status_code == 422, forged
            assert "answer_id" in r.json()["detail"] and "/api/ask" in r.json()["detail"]
        assert len(client.app.state.feedback_store.rows()) == 1


def test_the_generated_key_is_kept_across_restarts(settings, tmp_path):
    first = replace(settings, data_dir=tmp_path / "a")
    answer_id = issue_answer_id(first)
    key_file = first.data_dir / "secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    import ascc_bot.answer_ids as answer_ids

    answer_ids._keys.clear()  # as a restarted process: only the file remains
    assert is_issued(first, answer_id)
    assert not is_issued(replace(settings, data_dir=tmp_path / "b"), answer_id)  # another server's key
    # replicas sharing ASCC_SECRET_KEY recognise each other's ids, whatever their data folders
    shared_a = replace(settings, data_dir=tmp_path / "c", secret_key="khoa-chung-cua-cac-ban-sao")
    shared_b = replace(settings, data_dir=tmp_path / "d", secret_key="khoa-chung-cua-cac-ban-sao")
    assert is_issued(shared_b, issue_answer_id(shared_a))


def test_feedback_has_a_rate_limit_per_client(engine, own):
    with TestClient(build_app(replace(own, feedback_rate_limit_per_minute=3), engine)) as client:
        codes = []
        for _ in range(5):
            r = client.post("/api/feedback", json={"question": QUESTION, "answer_id": issue_answer_id(engine.settings),
                                                   "rating": "up"})
            codes.append(r.status_code)
        assert codes == [200, 200, 200, 429, 429]
        assert "quá nhanh" in r.json()["detail"] and int(r.headers["retry-after"]) >= 1
        assert len(client.app.state.feedback_store.rows()) == 3


# ---------------------------------------------------------------- a busy or full store


def test_a_locked_store_leaves_health_and_answers_fast_and_feedback_gets_503(engine, own):
    app = build_app(own, engine)
    with LiveServer(app, free_port()) as server:
        url = server.url
        blocker = sqlite3.connect(feedback_path(own.data_dir), timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
        try:
            slow_health: list[float] = []
            stop = threading.Event()

            def watch_health() -> None:
                while not stop.is_set():
                    started = time.monotonic()
                    assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
                    slow_health.append(time.monotonic() - started)
                    time.sleep(0.02)

            watcher = threading.Thread(target=watch_health)
            watcher.start()
            try:
                for question in (UNANSWERABLE, "Thời tiết Hà Nội ngày mai thế nào?", QUESTION):
                    started = time.monotonic()
                    r = httpx.post(f"{url}/api/ask", json={"question": question}, timeout=30)
                    assert r.status_code == 200 and time.monotonic() - started < 2.0
                started = time.monotonic()
                r = vote(url, issue_answer_id(engine.settings))
                assert r.status_code == 503 and "bận" in r.json()["detail"]
                assert time.monotonic() - started < 3.0
            finally:
                stop.set()
                watcher.join()
            # health waiting on the lock would take the store's whole busy timeout; sharing two slow cores with the
            # answers (the first one warms the encoder) has cost it a few tenths of a second
            assert max(slow_health) < BUSY_TIMEOUT_S / 2, max(slow_health)
        finally:
            blocker.rollback()
            blocker.close()
        # the refused questions queued while the store was locked are written once it frees up
        assert app.state.feedback_store.flush(timeout=30)
        logged = [row["question"] for row in app.state.feedback_store.rows("unanswered")]
        assert UNANSWERABLE in logged


def test_a_full_disk_answers_507_in_json_and_the_answer_still_comes(engine, settings, tmpfs):
    data = tmpfs("256k")
    own = replace(settings, data_dir=data)
    with TestClient(build_app(own, engine)) as client:
        fill(data)
        r = client.post("/api/feedback", json={"question": "Góp ý " * 150, "answer_id": issue_answer_id(
            engine.settings), "rating": "down", "comment": "x" * 900})
        assert r.status_code == 507, r.text
        assert r.headers["content-type"].startswith("application/json")
        assert "hết chỗ lưu trữ" in r.json()["detail"]
        assert client.post("/api/ask", json={"question": UNANSWERABLE}).status_code == 200


def test_an_unexpected_failure_is_json_not_plain_text(engine, own):
    with TestClient(build_app(own, engine), raise_server_exceptions=False) as client:
        store = feedback_path(own.data_dir)
        for leftover in store.parent.glob(store.name + "*"):
            leftover.unlink()
        store.mkdir()  # the database file is now a folder: sqlite cannot open it
        try:
            r = client.post("/api/feedback", json={"question": QUESTION, "answer_id": issue_answer_id(
                engine.settings), "rating": "up"})
        finally:
            shutil.rmtree(store)
    assert r.status_code == 500
    assert r.headers["content-type"].startswith("application/json")
    assert "lỗi ngoài dự kiến" in r.json()["detail"]


# ---------------------------------------------------------------- questions and sessions


def test_control_characters_alone_are_an_empty_question(engine, own):
    with TestClient(build_app(own, engine)) as client:
        for question in ("\u0000\u0001\u0002", " \u0007\u001b \u007f"):
            r = client.post("/api/ask", json={"question": question})
            assert r.status_code == 422 and "trống" in r.json()["detail"]
        r = client.post("/api/ask", json={"question": "Hạn gửi\u0000 báo cáo là khi nào?"})
        assert r.status_code == 200 and r.json()["answerable"] is True


def test_the_web_cannot_reach_a_chat_session(engine, own):
    chat = "telegram:777"
    engine.ask("Sở nào chủ trì nhiệm vụ 6?", chat)  # the chat now talks about task 6
    follow_up = "Còn cơ quan phối hợp thì sao?"
    with TestClient(build_app(own, engine)) as client:
        r = client.post("/api/ask", json={"question": follow_up, "session_id": chat}).json()
    in_chat = engine.ask(follow_up, chat)
    assert "II.6" in " ".join(c.section_id for c in in_chat.citations)  # the chat's own context
    assert not any(c["section_id"].startswith("II.6") for c in r["citations"]), r
