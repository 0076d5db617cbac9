"""The editors' dashboard over HTTP: behind the admin token, a signed session cookie, CSRF-safe
forms; counts per day and channel, unanswered questions grouped, 👎 with the answer given, the
"đã xử lý" marks and the CSV export."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from ascc_bot.dashboard import COOKIE, SESSION_S, Sessions, group_questions
from ascc_bot.feedback import LOCAL_TZ
from ascc_bot.server import build_app

TOKEN = "quan-tri-bi-mat-123"
QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"


@pytest.fixture
def app_settings(settings, tmp_path):
    return replace(settings, admin_token=TOKEN, data_dir=tmp_path / "data", api_rate_limit_per_minute=0)


@pytest.fixture
def client(engine, app_settings):
    with TestClient(build_app(app_settings, engine)) as c:
        yield c


def login(client) -> str:
    r = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    return r.cookies[COOKIE]


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


def test_no_token_no_dashboard(engine, settings, tmp_path):
    with TestClient(build_app(replace(settings, data_dir=tmp_path), engine)) as c:
        assert c.get("/admin").status_code == 404
        assert c.post("/admin/login", data={"token": "x"}).status_code == 404
        assert c.get("/admin/export.csv").status_code == 404


def test_sign_in_sets_a_strict_http_only_cookie_not_a_token_in_the_url(client):
    form = client.get("/admin")
    assert form.status_code == 200 and 'name="token" type="password"' in form.text and "<svg" not in form.text
    assert client.post("/admin/login", data={"token": "sai"}).status_code == 401
    r = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and TOKEN not in cookie
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/admin", f"Max-Age={SESSION_S}"):
        assert attribute.lower() in cookie.lower(), cookie
    assert "secure" not in cookie.lower()  # plain http on 127.0.0.1
    assert TOKEN not in r.headers["location"]
    page = client.get("/admin")
    assert "<svg" in page.text and "Đăng xuất" in page.text


def test_cookie_is_secure_behind_https(engine, app_settings):
    with TestClient(build_app(replace(app_settings, public_url="https://hoidap.example.vn"), engine)) as c:
        cookie = c.post("/admin/login", data={"token": TOKEN}, follow_redirects=False).headers["set-cookie"]
    assert "secure" in cookie.lower()


def test_a_forged_or_expired_session_is_not_accepted():
    now = [1_000_000.0]
    sessions = Sessions(TOKEN, clock=lambda: now[0])
    value = sessions.new()
    assert sessions.valid(value)
    expires, nonce, signature = value.split(".")
    assert not sessions.valid(f"{int(expires) + 999}.{nonce}.{signature}")  # a longer life, forged
    assert not Sessions("another-token").valid(value)  # a new token signs everyone out
    now[0] += SESSION_S + 1
    assert not sessions.valid(value)


def test_forms_need_the_csrf_token_and_this_site(client):
    client.cookies.set(COOKIE, login(client), path="/admin")
    client.post("/api/ask", json={"question": "Giá vàng hôm nay bao nhiêu?"})
    client.app.state.feedback_store.flush()
    csrf = csrf_of(client.get("/admin").text)
    ids = re.findall(r'name="id" value="(\d+)"', client.get("/admin").text)
    assert ids
    assert client.post("/admin/handled", data={"kind": "unanswered", "id": ids, "csrf": "0" * 32}).status_code == 403
    assert client.post("/admin/handled", data={"kind": "unanswered", "id": ids, "csrf": csrf},
                       headers={"Origin": "http://evil.example"}).status_code == 403
    assert "Giá vàng hôm nay bao nhiêu?" in client.get("/admin").text  # still not handled
    r = client.post("/admin/handled", data={"kind": "unanswered", "id": ids, "csrf": csrf, "back": "/admin?kenh=api"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin?kenh=api"
    assert "Giá vàng hôm nay bao nhiêu?" not in client.get("/admin").text
    for bad_id in ("x", "9" * 30):  # not an id, too big for SQLite: a plain 400, never a 500
        assert client.post("/admin/handled", data={"kind": "unanswered", "id": bad_id, "csrf": csrf}).status_code == 400
    elsewhere = client.post("/admin/handled", data={"kind": "feedback", "id": "1", "csrf": csrf,
                                                   "back": "https://evil.example/admin"}, follow_redirects=False)
    assert elsewhere.headers["location"] == "/admin"
    assert "Giá vàng hôm nay bao nhiêu?" in client.get("/admin", params={"da_xu_ly": "1"}).text


def test_repeated_wrong_tokens_are_slowed_down(client):
    codes = [client.post("/admin/login", data={"token": f"doan-{i}"}).status_code for i in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429


def seed(client) -> None:
    """Questions through the real API (widget and API), chat questions through the log, a 👎."""
    for question, channel in (("Giá vàng hôm nay bao nhiêu?", "widget"), ("gia vang hom nay la bao nhieu", "api"),
                              ("Giá vàng hôm nay thế nào?", "widget"), ("Thời tiết Hải Phòng ngày mai ra sao?", "api"),
                              (QUESTION, "widget")):
        assert client.post("/api/ask", json={"question": question, "channel": channel}).status_code == 200
    answer = client.post("/api/ask", json={"question": "Hạn gửi báo cáo hằng năm là khi nào?",
                                           "channel": "widget"}).json()
    client.post("/api/feedback", json={"question": "Hạn gửi báo cáo hằng năm là khi nào?",
                                       "answer_id": answer["answer_id"], "rating": "down",
                                       "comment": "=Thiếu tên sở nhận báo cáo"})
    client.app.state.feedback_store.flush()


def test_dashboard_counts_groups_and_thumbs_down(client):
    seed(client)
    client.cookies.set(COOKIE, login(client), path="/admin")
    page = client.get("/admin").text
    today = datetime.now(LOCAL_TZ).date().isoformat()
    asked = re.search(rf'class="asked"[^>]*data-day="{today}" data-value="(\d+)"', page).group(1)
    refused = re.search(rf'class="refused"[^>]*data-day="{today}" data-value="(\d+)"', page).group(1)
    assert (asked, refused) == ("6", "4")
    assert "Widget: <strong>4</strong>" in page and "API: <strong>2</strong>" in page
    # three ways of asking about gold prices are one group; the weather is another
    sizes = [int(n) for n in re.findall(r'data-group-size="(\d+)"', page)]
    assert sizes == [3, 1]
    # the 👎 with the answer that was given and the comment
    answer = re.search(r'<p class="answer">([^<]+)</p>', page).group(1)
    assert "01 tháng 12" in answer
    assert "=Thiếu tên sở nhận báo cáo" in page
    # filters: one channel, and a date range without questions
    api_only = client.get("/admin", params={"kenh": "api"}).text
    assert re.findall(r'data-group-size="(\d+)"', api_only) == ["1", "1"]
    empty = client.get("/admin", params={"tu": "2020-01-01", "den": "2020-01-31"}).text
    assert "Không có câu hỏi nào chưa trả lời được" in empty
    for bad in ({"tu": "hôm qua"}, {"den": "9999-12-31"}, {"tu": "0001-01-01"}):
        r = client.get("/admin", params=bad)
        assert r.status_code == 200 and "không hợp lệ" in r.text
        assert client.get("/admin/export.csv", params=bad).status_code == 200


def test_dashboard_csv_export_is_guarded(client):
    seed(client)
    assert client.get("/admin/export.csv", follow_redirects=False).status_code == 303  # signed in only
    client.cookies.set(COOKIE, login(client), path="/admin")
    r = client.get("/admin/export.csv", params={"kenh": "widget"})
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row["channel"] for row in rows} == {"widget"}
    thumbs = next(row for row in rows if row["kind"] == "feedback")
    assert thumbs["comment"] == "'=Thiếu tên sở nhận báo cáo" and "01 tháng 12" in thumbs["answer"]
    assert "created_at (Asia/Ho_Chi_Minh)" in rows[0]


def test_grouping_is_by_shared_words_after_folding():
    rows = [{"question": q, "created_at": f"2026-11-0{i}T00:00:00+00:00"} for i, q in enumerate((
        "Giá vàng hôm nay bao nhiêu?", "GIA VANG HOM NAY", "giá vàng tuần sau thế nào", "Ai là chủ tịch nước?",
        "Ai là thủ tướng?"), start=1)]
    groups = [[r["question"] for r in g.rows] for g in group_questions(rows)]
    assert groups[0] == ["GIA VANG HOM NAY", "Giá vàng hôm nay bao nhiêu?"]
    assert ["Ai là chủ tịch nước?"] in groups and ["Ai là thủ tướng?"] in groups  # "ai là" alone is not alike
