"""The web door over HTTP: widget script, demo page, section viewer, CORS, feedback and its export."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import re
import signal
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from fastapi.testclient import TestClient

from ascc_bot.answer_ids import issue_answer_id
from ascc_bot.cli import main as cli_main
from ascc_bot.corpus import DocumentMeta
from ascc_bot.feedback import Feedback, FeedbackStore, Filters, csv_safe, feedback_path
from ascc_bot.models import Answer
from ascc_bot.sections import Block, Document, Section
from ascc_bot.server import build_app
from ascc_bot.web import render_demo, render_document

from conftest import PLAN_ID, ServerProcess

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
    r = client.get("/", headers={"Host": "evil.example"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    # without ASCC_PUBLIC_URL the widget comes from the page's own origin, never from the Host header
    assert '<script src="/widget.js" defer></script>' in r.text
    assert "evil.example" not in r.text
    assert "&lt;script src=&quot;https://BOT-HOST/widget.js&quot; data-api=&quot;https://BOT-HOST&quot; defer" \
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


def test_every_page_has_security_headers(client):
    pages = ["/", "/doc", f"/doc/{PLAN_ID}", "/doc/khong-co"]
    for path in pages:
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert f"frame-ancestors 'self' {PORTAL}" in csp and "object-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    # the demo runs no inline script (its code is /ui/demo.js); any inline script a template had would
    # run only by its listed hash
    page = client.get("/")
    for inline in re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in page.headers["content-security-policy"]
    assert '<script src="/ui/demo.js"' in page.text
    for path in ("/widget.js", "/healthz", "/api/documents", "/ui/viewer.css"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff" and "content-security-policy" not in r.headers


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
    # the refusal is readable by the refused page (the widget shows it); it carries no data
    api = client.get("/api/documents", headers={"Origin": evil})
    assert api.status_code == 403 and api.headers["access-control-allow-origin"] == evil
    assert "ASCC_ALLOWED_ORIGINS" in api.json()["detail"]


# ---------------------------------------------------------------- feedback


def test_feedback_is_stored_one_row_per_answer(client, engine):
    base = {"question": QUESTION}
    ids = [issue_answer_id(engine.settings) for _ in range(6)]
    for answer_id, rating in zip(ids, ("up", "down", 1, -1, "+1", "-1")):
        r = client.post("/api/feedback", json={**base, "answer_id": answer_id, "rating": rating})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "ok"
    # a comment after the 👎 completes the same record instead of adding one
    r = client.post("/api/feedback", json={**base, "answer_id": ids[1], "rating": "down", "comment": "Thiếu ý"})
    assert r.status_code == 200
    rows = {row["answer_id"]: row for row in store_of(client).rows()}
    assert [rows[a]["rating"] for a in ids] == ["up", "down", "up", "down", "up", "down"]
    assert rows[ids[1]]["comment"] == "Thiếu ý" and len(rows) == 6
    # the same 👎 again keeps the comment; changing one's mind to 👍 drops it
    client.post("/api/feedback", json={**base, "answer_id": ids[1], "rating": "down"})
    assert store_of(client).rows()[1]["comment"] == "Thiếu ý"
    client.post("/api/feedback", json={**base, "answer_id": ids[1], "rating": "up"})
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


def test_every_question_is_logged_with_its_channel_without_personal_data(client):
    unanswered = client.post("/api/ask", json={"question": UNANSWERABLE, "session_id": "s-123"}).json()
    assert unanswered["answerable"] is False
    answered = client.post("/api/ask", json={"question": QUESTION, "session_id": "s-123", "channel": "widget"}).json()
    assert answered["answerable"] is True
    store = store_of(client)
    assert store.flush()  # written off the request, by a thread of its own
    rows = store.rows()
    assert len(rows) == 1  # the export's "unanswered" kind: only the refusal
    row = rows[0]
    assert row["kind"] == "unanswered" and row["question"] == UNANSWERABLE and row["channel"] == "api"
    assert row["answer_id"] == unanswered["answer_id"] and row["intent"] == unanswered["intent"]
    assert row["answer"] == unanswered["answer"]
    assert "s-123" not in json.dumps(row) and "testclient" not in json.dumps(row)
    # the dashboard counts both, per channel
    assert store.channel_counts(Filters()) == {"api": 1, "widget": 1}
    assert [(asked, refused) for _, asked, refused in store.daily_counts(Filters())] == [(2, 1)]


def test_a_client_cannot_pose_as_a_chat_bot(client):
    r = client.post("/api/ask", json={"question": QUESTION, "channel": "telegram"})
    assert r.status_code == 422
    assert "'channel' chỉ nhận 'api', 'widget'" in r.json()["detail"]
    assert store_of(client).channel_counts(Filters()) == {}


def _answer(text: str, answer_id: str, answerable: bool, intent: str) -> Answer:
    return Answer(text, answerable, intent, (), 0.5, answer_id)


def test_export_csv_and_jsonl(client, tmp_path, monkeypatch, capsys):
    store = store_of(client)
    tricky = 'Câu trả lời "sai", thiếu\nSở Y tế'
    store.log_question("widget", QUESTION, _answer("Cơ quan thực hiện nhiệm vụ 6: Sở Y tế", "a1", True, "lead"))
    store.add_feedback(Feedback(QUESTION, "a1", "down", tricky))
    store.add_feedback(Feedback("Hạn nộp báo cáo?", "a2", "up"))
    store.log_question("telegram", UNANSWERABLE, _answer("Văn bản không nói tới giá vàng.", "a3", False,
                                                         "out_of_scope"))
    assert store.flush()  # the server's writer thread; the command below reads the file from outside
    monkeypatch.setenv("ASCC_DATA_DIR", str(client.cfg.data_dir))

    out = tmp_path / "gop-y.csv"
    assert cli_main(["feedback", "export", "--format", "csv", "--output", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Vietnamese
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert [(r["kind"], r["answer_id"], r["rating"], r["channel"]) for r in rows] == [
        ("feedback", "a1", "down", "widget"), ("feedback", "a2", "up", ""), ("unanswered", "a3", "", "telegram")]
    assert rows[0]["comment"] == tricky and rows[0]["answer"] == "Cơ quan thực hiện nhiệm vụ 6: Sở Y tế"
    assert rows[2]["question"] == UNANSWERABLE and rows[2]["intent"] == "out_of_scope"
    assert rows[2]["answer"] == "Văn bản không nói tới giá vàng."
    # times are Hanoi time, and the header says so
    stored = store.rows("unanswered")[0]["created_at"]
    local = datetime.fromisoformat(stored).astimezone(timezone(timedelta(hours=7))).strftime("%Y-%m-%d %H:%M:%S")
    assert rows[2]["created_at (Asia/Ho_Chi_Minh)"] == local

    out = tmp_path / "gop-y.jsonl"
    assert cli_main(["feedback", "export", "--format", "jsonl", "--output", str(out), "--kind", "unanswered"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["question"] for line in lines] == [UNANSWERABLE]
    assert UNANSWERABLE in lines[0]  # UTF-8 as is, not \u escapes
    assert json.loads(lines[0])["created_at"].endswith("+07:00")

    capsys.readouterr()
    assert cli_main(["feedback", "export", "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_export_csv_guards_every_formula_lead(client, tmp_path, monkeypatch, lead):
    """A cell that a spreadsheet would run as a formula is written as text (a leading apostrophe)."""
    store = store_of(client)
    question = f'{lead}HYPERLINK("http://evil.example","Bấm vào đây")'
    store.log_question("widget", question, _answer(f"{lead}1+1", "g1", False, "out_of_scope"))
    store.add_feedback(Feedback(question, "g1", "down", f"{lead}cmd|' /C calc'!A0"))
    assert store.flush()
    monkeypatch.setenv("ASCC_DATA_DIR", str(client.cfg.data_dir))
    out = tmp_path / "guard.csv"
    assert cli_main(["feedback", "export", "--format", "csv", "--output", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert len(rows) == 2
    for row in rows:
        # a question logged by a door is stored trimmed: a leading tab or CR is gone before any export
        assert row["question"] in ("'" + question, question.strip())
        assert row["answer"] == f"'{lead}1+1"
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())
    assert rows[0]["comment"] == f"'{lead}cmd|' /C calc'!A0"
    assert csv_safe(question) == "'" + question
    # a value that merely contains the character is left alone
    assert csv_safe("Sở Y tế - Bảo hiểm") == "Sở Y tế - Bảo hiểm" and csv_safe(5) == 5


def test_export_before_any_feedback(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASCC_DATA_DIR", str(tmp_path / "empty"))
    assert cli_main(["feedback", "export", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,created_at (Asia/Ho_Chi_Minh),updated_at (Asia/Ho_Chi_Minh),kind,"
                                              "channel,question,answer")


def test_a_version_1_database_is_migrated(tmp_path):
    """A file written before the question log: its unanswered questions move into the log, feedback stays."""
    import sqlite3

    from ascc_bot.feedback import _SCHEMA_V1

    path = feedback_path(tmp_path)
    conn = sqlite3.connect(path)
    conn.executescript(_SCHEMA_V1)
    conn.execute("INSERT INTO feedback (created_at, updated_at, kind, question, answer_id, intent) VALUES "
                 "('2026-01-02T03:04:05+00:00', '2026-01-02T03:04:05+00:00', 'unanswered', 'Giá vàng?', 'u1', "
                 "'out_of_scope')")
    conn.execute("INSERT INTO feedback (created_at, updated_at, kind, question, answer_id, rating) VALUES "
                 "('2026-01-02T03:04:05+00:00', '2026-01-02T03:04:05+00:00', 'feedback', 'Hạn?', 'f1', 'up')")
    conn.commit()
    conn.close()
    store = FeedbackStore(path)
    rows = store.rows()
    assert [(r["kind"], r["answer_id"], r["question"]) for r in rows] == [("feedback", "f1", "Hạn?"),
                                                                         ("unanswered", "u1", "Giá vàng?")]
    assert FeedbackStore(path).rows() == rows  # a second open changes nothing


def test_store_settings_are_durable(tmp_path):
    store = FeedbackStore(feedback_path(tmp_path))
    with store.db.transaction() as tx:  # a connection as the store writes with
        assert tx.rows("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
        assert tx.rows("PRAGMA synchronous")[0]["synchronous"] == 2  # FULL


# ---------------------------------------------------------------- durability across a crash


def test_feedback_acknowledged_before_sigkill_survives_restart(engine, settings, tmp_path):
    """engine: the session's index is already built in settings.index_dir, so the server starts fast."""
    own, log = replace(settings, data_dir=tmp_path / "data"), tmp_path / "server.log"
    server = ServerProcess(own, log).start()
    try:
        crash_id, after_id = issue_answer_id(own), issue_answer_id(own)  # the server's key, from its data dir
        r = httpx.post(f"{server.url}/api/feedback", json={"question": QUESTION, "answer_id": crash_id,
                                                           "rating": "down",
                                                           "comment": "Ghi trước khi máy chủ bị tắt đột ngột"})
        assert r.status_code == 200
        os.kill(server.proc.pid, signal.SIGKILL)
        assert server.proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        server.kill()

    with ServerProcess(own, log) as server:
        r = httpx.post(f"{server.url}/api/feedback", json={"question": QUESTION, "answer_id": after_id, "rating": "up"})
        assert r.status_code == 200
    rows = FeedbackStore(feedback_path(own.data_dir)).rows()
    assert [(r["answer_id"], r["rating"]) for r in rows] == [(crash_id, "down"), (after_id, "up")]
    assert rows[0]["comment"] == "Ghi trước khi máy chủ bị tắt đột ngột"
