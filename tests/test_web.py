"""The web door over HTTP: widget script, demo page, section viewer, CORS, feedback and its export."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ascc_bot.cli import main as cli_main
from ascc_bot.corpus import DocumentMeta
from ascc_bot.feedback import Feedback, FeedbackStore, feedback_path
from ascc_bot.sections import Block, Document, Section
from ascc_bot.server import build_app
from ascc_bot.web import render_demo, render_document

from conftest import PLAN_ID, ROOT, free_port

PORTAL = "http://portal.example"
QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
UNANSWERABLE = "Giá vàng hôm nay bao nhiêu?"


@pytest.fixture
def client(engine, settings, tmp_path):
    """The full app with the portal's origin allowed, a data dir of its own and no rate limit in the way."""
    cfg = replace(settings, allowed_origins=(PORTAL,), data_dir=tmp_path / "data", rate_limit_per_minute=100_000)
    with TestClient(build_app(cfg, engine)) as c:
        c.cfg = cfg
        yield c


def store_of(client) -> FeedbackStore:
    return client.app.state.feedback_store


# ---------------------------------------------------------------- widget and pages


def test_widget_is_one_self_contained_script(client):
    r = client.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    js = r.text
    assert js.count("window.AsccBot = ") == 1
    assert "attachShadow" in js
    # no CDN, no module imports, no HTML sinks: text goes in with textContent only
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", js))
    assert urls <= {"https://BOT-HOST/widget.js", "https://BOT-HOST", "http://www.w3.org/2000/svg"}, urls
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "import "):
        assert sink not in js, sink


def test_demo_page_embeds_the_one_line_snippet_and_shows_it(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    snippet = '<script src="http://testserver/widget.js" data-api="http://testserver" defer></script>'
    assert snippet in r.text
    assert "&lt;script src=&quot;http://testserver/widget.js&quot; data-api=&quot;http://testserver&quot; defer" \
           "&gt;&lt;/script&gt;" in r.text
    assert '<html lang="vi">' in r.text
    assert f'href="/doc/{PLAN_ID}#II"' in r.text


def test_demo_snippet_uses_the_public_url(engine):
    page = render_demo(engine, "https://hoidap.haiphong.example")
    assert '<script src="https://hoidap.haiphong.example/widget.js" data-api="https://hoidap.haiphong.example" ' \
           'defer></script>' in page


def test_viewer_shows_the_whole_document_with_an_anchor_per_section(client, engine):
    r = client.get(f"/doc/{PLAN_ID}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    doc = engine.document(PLAN_ID)
    assert f"<h1>{doc.meta.title}</h1>" in page
    for sec in doc.sections:
        assert f'<section id="{sec.section_id}"' in page
    assert re.search(r'<section id="II\.6\.2"[^>]*>\s*<h4 class="h"><span class="num">6\.2\.</span> '
                     r'<span class="title">Cơ quan thực hiện: Sở Y tế;', page)
    assert 'href="#II.6.2"' in page and "Mục II, điểm 6.2" in page
    assert '<script src="/ui/viewer.js" defer></script>' in page
    assert client.get("/ui/viewer.js").status_code == 200
    assert client.get("/ui/viewer.css").headers["content-type"].startswith("text/css")


def test_viewer_escapes_all_document_text():
    evil = '<img src=x onerror=alert(1)> & "x"'
    meta = DocumentMeta(doc_id="d", file="d.txt", short_title="<b>Ngắn</b>", title="<script>alert(1)</script>",
                        issuer=evil)
    sections = (Section("d", "I", "part", "I", evil, (Block(evil, (2,)),), 1, None, 1),
                Section("d", "I.1", "item", "1", "Mục con", (Block("a < b\n+ c > d", (4,)),), 3, "I", 2))
    page = render_document(Document(meta, sections))
    assert "<script>alert" not in page and "<img" not in page and "<b>Ngắn" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;x&quot;" in page
    assert "a &lt; b\n+ c &gt; d" in page


def test_unknown_document_is_a_vietnamese_404_page(client):
    r = client.get("/doc/%3Cb%3Ekhong-co")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy văn bản" in r.text
    assert "&lt;b&gt;khong-co" in r.text and "<b>khong-co" not in r.text
    assert f'href="/doc/{PLAN_ID}"' in r.text  # and where to go instead


def test_feedback_is_in_the_openapi_schema(client):
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/feedback"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"question", "answer_id", "rating"}


def test_only_the_viewer_assets_are_served_from_ui(client):
    assert client.get("/ui/demo.html").status_code == 404
    assert client.get("/ui/..%2Fweb.py").status_code == 404


# ---------------------------------------------------------------- CORS


def test_cors_allows_the_listed_origins_and_the_bots_own(client):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    ok = client.options("/api/ask", headers={"Origin": PORTAL, **preflight})
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == PORTAL
    assert "POST" in ok.headers["access-control-allow-methods"]
    assert "content-type" in ok.headers["access-control-allow-headers"].lower()

    r = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": PORTAL})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == PORTAL
    assert "Origin" in r.headers["vary"]
    # the demo page, served by the bot itself
    own = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": "http://testserver"})
    assert own.status_code == 200 and own.headers["access-control-allow-origin"] == "http://testserver"


def test_cors_refuses_other_origins(client):
    evil = "http://evil.example"
    refused = client.options("/api/ask", headers={"Origin": evil, "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers
    assert "ASCC_ALLOWED_ORIGINS" in refused.json()["detail"]
    # a form post needs no preflight: refused outright, so it cannot fill the feedback store
    post = client.post("/api/feedback", headers={"Origin": evil},
                       json={"question": "q", "answer_id": "a1", "rating": "down"})
    assert post.status_code == 403
    assert store_of(client).rows() == []
    get = client.get("/healthz", headers={"Origin": evil})
    assert get.status_code == 200 and "access-control-allow-origin" not in get.headers


# ---------------------------------------------------------------- feedback


def test_feedback_is_stored_one_row_per_answer(client):
    base = {"question": QUESTION}
    for answer_id, rating in (("a1", "up"), ("a2", "down"), ("a3", 1), ("a4", -1), ("a5", "+1"), ("a6", "-1")):
        r = client.post("/api/feedback", json={**base, "answer_id": answer_id, "rating": rating})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "ok"
    # a comment after the 👎 completes the same record instead of adding one
    r = client.post("/api/feedback", json={**base, "answer_id": "a2", "rating": "down", "comment": "Thiếu ý"})
    assert r.status_code == 200
    rows = {row["answer_id"]: row for row in store_of(client).rows()}
    assert [rows[a]["rating"] for a in ("a1", "a2", "a3", "a4", "a5", "a6")] == ["up", "down", "up", "down",
                                                                                  "up", "down"]
    assert rows["a2"]["comment"] == "Thiếu ý" and len(rows) == 6
    # the same 👎 again keeps the comment; changing one's mind to 👍 drops it
    client.post("/api/feedback", json={**base, "answer_id": "a2", "rating": "down"})
    assert store_of(client).rows()[1]["comment"] == "Thiếu ý"
    client.post("/api/feedback", json={**base, "answer_id": "a2", "rating": "up"})
    assert (store_of(client).rows()[1]["rating"], store_of(client).rows()[1]["comment"]) == ("up", "")
    assert all(row["kind"] == "feedback" and row["question"] == QUESTION for row in rows.values())


@pytest.mark.parametrize(("body", "words"), [
    ({}, ["thiếu trường 'question'", "thiếu trường 'answer_id'", "thiếu trường 'rating'"]),
    ({"question": "q", "answer_id": "a", "rating": "good"}, ["'rating'", '"up"', '"down"']),
    ({"question": "q", "answer_id": "a", "rating": True}, ["'rating'"]),
    ({"question": "q", "answer_id": "a", "rating": [1]}, ["'rating'"]),
    ({"question": "   ", "answer_id": "a", "rating": "up"}, ["'question'", "trống"]),
    ({"question": "q" * 1001, "answer_id": "a", "rating": "up"}, ["'question' quá dài", "1000"]),
    ({"question": "q", "answer_id": "a", "rating": "down", "comment": "c" * 1001}, ["'comment' quá dài"]),
    ({"question": "q", "answer_id": "a", "rating": "down", "comment": 5}, ["'comment' phải là chuỗi"]),
    ({"question": "q", "answer_id": "<a b>", "rating": "up"}, ["'answer_id'"]),
    ({"question": "q", "answer_id": "a" * 65, "rating": "up"}, ["'answer_id' quá dài"]),
    ([1, 2], ["đối tượng JSON"]),
])
def test_feedback_validation_says_what_is_wrong_in_vietnamese(client, body, words):
    r = client.post("/api/feedback", json=body)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail.startswith("Góp ý không hợp lệ")
    for word in words:
        assert word in detail, detail
    assert store_of(client).rows() == []


def test_feedback_that_is_not_json_or_too_big(client):
    r = client.post("/api/feedback", content=b"{nope", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"]
    huge = json.dumps({"question": "q", "answer_id": "a", "rating": "up", "comment": "x" * 70_000})
    r = client.post("/api/feedback", content=huge, headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_unanswered_questions_are_logged_without_personal_data(client):
    unanswered = client.post("/api/ask", json={"question": UNANSWERABLE, "session_id": "s-123"}).json()
    assert unanswered["answerable"] is False
    answered = client.post("/api/ask", json={"question": QUESTION, "session_id": "s-123"}).json()
    assert answered["answerable"] is True
    rows = store_of(client).rows()
    assert len(rows) == 1
    row = rows[0]
    assert row["kind"] == "unanswered" and row["question"] == UNANSWERABLE
    assert row["answer_id"] == unanswered["answer_id"] and row["intent"] == unanswered["intent"]
    assert "s-123" not in json.dumps(row) and "testclient" not in json.dumps(row)


def test_export_csv_and_jsonl(client, tmp_path, monkeypatch, capsys):
    store = store_of(client)
    tricky = 'Câu trả lời "sai", thiếu\nSở Y tế'
    store.add_feedback(Feedback(QUESTION, "a1", "down", tricky))
    store.add_feedback(Feedback("Hạn nộp báo cáo?", "a2", "up"))
    store.add_unanswered(UNANSWERABLE, "a3", "out_of_scope")
    monkeypatch.setenv("ASCC_DATA_DIR", str(client.cfg.data_dir))

    out = tmp_path / "gop-y.csv"
    assert cli_main(["feedback", "export", "--format", "csv", "--output", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Vietnamese
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert [(r["kind"], r["answer_id"], r["rating"]) for r in rows] == [
        ("feedback", "a1", "down"), ("feedback", "a2", "up"), ("unanswered", "a3", "")]
    assert rows[0]["comment"] == tricky and rows[2]["question"] == UNANSWERABLE and rows[2]["intent"] == "out_of_scope"

    out = tmp_path / "gop-y.jsonl"
    assert cli_main(["feedback", "export", "--format", "jsonl", "--output", str(out), "--kind", "unanswered"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["question"] for line in lines] == [UNANSWERABLE]
    assert UNANSWERABLE in lines[0]  # UTF-8 as is, not \u escapes

    capsys.readouterr()
    assert cli_main(["feedback", "export", "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_export_before_any_feedback(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASCC_DATA_DIR", str(tmp_path / "empty"))
    assert cli_main(["feedback", "export", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,created_at,updated_at,kind,question")


def test_store_settings_are_durable(tmp_path):
    store = FeedbackStore(feedback_path(tmp_path))
    conn = store._connect()
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        conn.close()


# ---------------------------------------------------------------- durability across a crash


def _start_server(settings, data_dir: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "ASCC_CORPUS_DIR": str(settings.corpus_dir), "ASCC_INDEX_DIR": str(settings.index_dir),
           "ASCC_DATA_DIR": str(data_dir)}
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ascc_bot.cli", "serve", "--host", "127.0.0.1",
                                 "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:  # /healthz is 200 while loading
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"server did not start:\n{log.read_text(errors='replace')[-3000:]}")


def test_feedback_acknowledged_before_sigkill_survives_restart(engine, settings, tmp_path):
    """engine: the session's index is already built in settings.index_dir, so the server starts fast."""
    data_dir, log = tmp_path / "data", tmp_path / "server.log"
    proc, url = _start_server(settings, data_dir, log)
    try:
        r = httpx.post(f"{url}/api/feedback", json={"question": QUESTION, "answer_id": "crash1", "rating": "down",
                                                    "comment": "Ghi trước khi máy chủ bị tắt đột ngột"})
        assert r.status_code == 200
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()

    proc, url = _start_server(settings, data_dir, log)
    try:
        r = httpx.post(f"{url}/api/feedback", json={"question": QUESTION, "answer_id": "after1", "rating": "up"})
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    rows = FeedbackStore(feedback_path(data_dir)).rows()
    assert [(r["answer_id"], r["rating"]) for r in rows] == [("crash1", "down"), ("after1", "up")]
    assert rows[0]["comment"] == "Ghi trước khi máy chủ bị tắt đột ngột"
