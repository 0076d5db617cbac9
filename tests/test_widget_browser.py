"""The widget in a real browser: Debian chromium driven by Playwright, against a real server.

Screenshots of the open widget (mobile and desktop) and of the viewer go to test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ascc_bot.server import build_app

from conftest import CHROMIUM, ROOT, LiveServer, free_port

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, expect  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
XSS = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                reason=f"{CHROMIUM} missing: `make browser` installs Debian chromium")


class StaticSite:
    """Another origin: plain files served by http.server in a thread, as a portal would serve them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Iterator[StaticSite]:
    with StaticSite(tmp_path_factory.mktemp("portal")) as site:
        yield site


@pytest.fixture(scope="module")
def bot(engine, settings, portal, tmp_path_factory) -> Iterator[LiveServer]:
    """The full app, allowing the portal's origin; its own data dir, and no rate limit in the way of a
    test that asks many questions from one address."""
    cfg = replace(settings, allowed_origins=(portal.url,), rate_limit_per_minute=100_000,
                  data_dir=tmp_path_factory.mktemp("browser-data"))
    with LiveServer(build_app(cfg, engine), free_port()) as server:
        server.settings = cfg
        yield server


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_widget(page: Page) -> None:
    page.get_by_role("button", name="Hỏi đáp").click()
    expect(page.get_by_role("textbox", name="Câu hỏi")).to_be_focused()


def ask(page: Page, question: str):
    """Types a question, sends it with Enter, and returns the bot's reply bubble once it is there."""
    log = page.get_by_role("log")
    replies = log.locator(".msg-bot:not(.typing)")
    before = replies.count()
    page.get_by_role("textbox", name="Câu hỏi").fill(question)
    page.get_by_role("textbox", name="Câu hỏi").press("Enter")
    expect(replies).to_have_count(before + 1, timeout=15_000)
    return replies.nth(before)


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_demo_page_question_citation_viewer_and_xss(bot, open_page, viewport):
    page = open_page(bot.url + "/", viewport)
    open_widget(page)
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("button", name="Gửi", exact=True)).to_be_visible()
    chips = log.locator(".chip")
    assert 3 <= chips.count() <= 5
    shot(page, f"widget-{viewport}-open")

    reply = ask(page, QUESTION)
    expect(reply).to_contain_text("Sở Y tế")
    citation = reply.get_by_role("link", name="Mục II, điểm 6.2")
    expect(citation).to_be_visible()
    shot(page, f"widget-{viewport}-answer")

    # the page's own `button {text-transform: uppercase; font-family: Georgia}` does not reach in
    send = page.get_by_role("button", name="Gửi", exact=True)
    assert send.evaluate("b => getComputedStyle(b).textTransform") == "none"
    assert "Georgia" not in send.evaluate("b => getComputedStyle(b).fontFamily")

    xss_reply = ask(page, XSS)
    expect(log.locator(".msg-user").last).to_have_text(XSS)
    expect(xss_reply).to_be_visible()
    assert page.locator("ascc-bot-widget img").count() == 0
    page.wait_for_timeout(200)  # an onerror handler would have fired by now
    assert page.dialogs == []

    with page.context.expect_page() as new_tab:
        citation.click()
    viewer = new_tab.value
    viewer.wait_for_load_state()
    assert re.search(r"/doc/ke-hoach-ascc-hai-phong-2025\?q=.+#II\.6\.2$", viewer.url)
    target = viewer.locator("#II\\.6\\.2")
    expect(target).to_be_in_viewport()
    expect(target).to_have_class(re.compile(r"\bcited\b"))
    expect(target.locator("mark")).to_contain_text("Sở Y tế")
    shot(viewer, f"viewer-{viewport}")


def test_keyboard_follow_up_history_and_session(bot, open_page):
    page = open_page(bot.url + "/")
    sent = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/ask") else None)
    launcher = page.get_by_role("button", name="Hỏi đáp")
    launcher.focus()
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Câu hỏi")
    expect(box).to_be_focused()
    assert box.evaluate("e => getComputedStyle(e).outlineStyle") != "none"  # visible focus

    ask(page, QUESTION)
    follow = ask(page, "còn cơ quan phối hợp thì sao?")
    expect(follow).to_contain_text("Cơ quan phối hợp")
    expect(follow.get_by_role("link", name="Mục II, điểm 6.3")).to_be_visible()
    assert len(sent) == 2 and sent[0]["session_id"] and sent[0]["session_id"] == sent[1]["session_id"]

    page.keyboard.press("Escape")
    expect(page.get_by_role("log")).to_be_hidden()
    expect(launcher).to_be_focused()
    assert launcher.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    expect(launcher).to_have_attribute("aria-expanded", "false")

    # history lives for the page session: a reload (or the next portal page) shows it again
    launcher.click()
    page.reload()
    log = page.get_by_role("log")
    expect(log).to_be_visible()
    expect(log.locator(".msg-user")).to_have_count(2)
    expect(log.locator(".msg-bot").last).to_contain_text("Cơ quan phối hợp")


def test_server_down_and_rate_limit_show_plain_errors_with_retry(bot, open_page):
    page = open_page(bot.url + "/", "mobile")
    open_widget(page)
    log = page.get_by_role("log")

    held = []  # the request waits here until the test lets it fail: meanwhile, the typing indicator
    page.route("**/api/ask", lambda route: held.append(route))
    page.get_by_role("textbox", name="Câu hỏi").fill(QUESTION)
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(log.locator(".typing")).to_contain_text("Đang tìm câu trả lời")
    expect(page.get_by_role("button", name="Gửi", exact=True)).to_have_attribute("aria-disabled", "true")
    held[0].abort("connectionrefused")
    expect(log).to_contain_text("Không kết nối được với máy chủ hỏi đáp")
    expect(log.locator(".typing")).to_have_count(0)
    shot(page, "widget-mobile-error")

    page.unroute("**/api/ask")
    page.route("**/api/ask", lambda route: route.fulfill(
        status=429, headers={"Retry-After": "1", "Content-Type": "application/json"},
        body=json.dumps({"detail": "Quá nhiều yêu cầu."})))
    page.get_by_role("button", name="Thử lại").click()
    expect(log).to_contain_text("đợi khoảng 1 giây")

    page.unroute("**/api/ask")
    page.get_by_role("button", name="Thử lại").click()  # enabled again once Retry-After has passed
    expect(log.locator(".msg-bot:not(.typing)").last).to_contain_text("Sở Y tế", timeout=15_000)
    expect(log.get_by_role("button", name="Thử lại")).to_have_count(0)


def test_thumbs_down_with_comment_reaches_the_export(bot, open_page, tmp_path, monkeypatch):
    from ascc_bot.cli import main

    page = open_page(bot.url + "/")
    open_widget(page)
    reply = ask(page, QUESTION)
    reply.get_by_role("button", name="Báo câu trả lời chưa tốt").click()
    comment = "Thiếu tên Bảo hiểm Xã hội trong câu đầu"
    box = reply.get_by_role("textbox", name="Điều gì chưa đúng")
    expect(box).to_be_focused()
    box.fill(comment)
    reply.get_by_role("button", name="Góp ý").click()
    expect(reply.get_by_role("status")).to_contain_text("Cảm ơn bạn đã góp ý")
    expect(reply.get_by_role("button", name="Báo câu trả lời chưa tốt")).to_have_attribute("aria-pressed", "true")

    monkeypatch.setenv("ASCC_DATA_DIR", str(bot.settings.data_dir))
    out = tmp_path / "feedback.jsonl"
    assert main(["feedback", "export", "--format", "jsonl", "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    mine = [r for r in rows if r["kind"] == "feedback" and r["comment"] == comment]
    assert len(mine) == 1
    assert mine[0]["rating"] == "down" and mine[0]["question"] == QUESTION and mine[0]["answer_id"]


def _write_portal_page(portal, name: str, bot_url: str, attributes: str = "") -> str:
    """A page of another site with the one-line snippet (and the portal's data-* attributes, if any)."""
    snippet = f'<script src="{bot_url}/widget.js" data-api="{bot_url}" {attributes} defer></script>'
    page = ("<!doctype html><html lang=vi><head><meta charset=utf-8><title>Cổng thông tin</title></head>"
            f"<body><h1>Tin tức</h1><p>Bài viết của cổng.</p>\n{snippet}\n</body></html>")
    (portal.root / name).write_text(page, encoding="utf-8")
    return f"{portal.url}/{name}"


def test_snippet_on_another_origin_works_when_allowed(bot, portal, open_page):
    page = open_page(_write_portal_page(portal, "allowed.html", bot.url))
    open_widget(page)
    reply = ask(page, QUESTION)
    expect(reply).to_contain_text("Sở Y tế")
    # the citation opens the bot's viewer, not a path on the portal
    href = reply.get_by_role("link", name="Mục II, điểm 6.2").get_attribute("href")
    assert href.startswith(bot.url + "/doc/ke-hoach-ascc-hai-phong-2025?q=")
    # one global, and only one: compared with a fresh frame's window
    extra = page.evaluate("""() => {
        const frame = document.createElement('iframe');
        document.body.appendChild(frame);
        const base = new Set(Object.getOwnPropertyNames(frame.contentWindow));
        frame.remove();
        return Object.getOwnPropertyNames(window).filter(k => !base.has(k) && !/^\\d+$/.test(k));
    }""")
    assert extra == ["AsccBot"]


def test_snippet_on_a_refused_origin_says_so_plainly(live_server, settings, portal, open_page):
    assert not settings.allowed_origins  # the session's live server allows no other origin
    page = open_page(_write_portal_page(portal, "refused.html", live_server.url))
    console = []
    page.on("console", lambda m: console.append(m.text))
    open_widget(page)  # widget.js itself loads: a <script> is not subject to CORS
    page.get_by_role("textbox", name="Câu hỏi").fill(QUESTION)
    page.get_by_role("textbox", name="Câu hỏi").press("Enter")
    log = page.get_by_role("log")
    error = log.locator(".msg-error")
    expect(error).to_contain_text("Trang này chưa được phép dùng trợ lý hỏi đáp")
    expect(error).to_contain_text(f"Trang web ở địa chỉ {portal.url} không được phép")  # the server's own words
    expect(log).not_to_contain_text("Không kết nối được")
    expect(log).not_to_contain_text("Sở Y tế")
    expect(error.get_by_role("button", name="Thử lại")).to_have_count(0)  # retrying cannot help
    assert any("CORS" in line for line in console), console


def test_pages_work_under_the_content_security_policy(bot, open_page):
    """The demo's own (hashed) inline script, the widget and the viewer run with no CSP violation
    reported; a script slipped into a page would not run."""
    page = open_page(bot.url + "/")
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.reload()
    page.get_by_role("button", name="Sao chép").click()
    expect(page.locator("#copy-status")).not_to_have_text("")
    open_widget(page)
    ask(page, QUESTION)
    page.goto(f"{bot.url}/doc/ke-hoach-ascc-hai-phong-2025#II.6.2")
    expect(page.locator("section#II\\.6\\.2")).to_be_visible()
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = true'; document.body.appendChild(s); return !!window.__injected; }""")
    assert ran is False
    # one report: the injected script; the demo, the widget and the viewer caused none
    assert len(violations) == 1 and "script-src" in violations[0], violations
def test_data_attributes_give_the_portals_title_colour_position_and_questions(bot, portal, open_page):
    url = _write_portal_page(portal, "custom.html", bot.url,
                                    'data-title="Hỏi đáp Cổng Hải Phòng" data-color="#a31515" data-position="left" '
                                    'data-suggestions="Sở Tài chính có nhiệm vụ gì?|Kinh phí lấy từ đâu?"')
    page = open_page(url)
    launcher = page.get_by_role("button", name="Hỏi đáp Cổng Hải Phòng")
    assert launcher.bounding_box()["x"] < 100  # bottom left
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(163, 21, 21)"
    launcher.click()
    expect(page.get_by_role("heading", name="Hỏi đáp Cổng Hải Phòng")).to_be_visible()
    panel = page.get_by_role("dialog")
    assert panel.bounding_box()["x"] < 100
    chips = page.get_by_role("log").locator(".chip")
    expect(chips).to_have_text(["Sở Tài chính có nhiệm vụ gì?", "Kinh phí lấy từ đâu?"])
    send = page.get_by_role("button", name="Gửi", exact=True)
    assert send.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(163, 21, 21)"
    # a value that is not a colour is ignored, not applied half-way
    page = open_page(_write_portal_page(portal, "bad-colour.html", bot.url, 'data-color="red;x:1"'))
    assert page.get_by_role("button", name="Hỏi đáp").evaluate(
        "b => getComputedStyle(b).backgroundColor") == "rgb(11, 92, 173)"


def test_follow_up_chips_come_from_the_answer_and_ask_it(bot, open_page):
    page = open_page(bot.url + "/")
    open_widget(page)
    reply = ask(page, QUESTION)
    chips = reply.locator(".chip")
    count = chips.count()
    assert 2 <= count <= 3
    follow = chips.first.text_content()
    assert "nhiệm vụ 6" in " ".join(chips.all_text_contents()) or "Sở Y tế" in " ".join(chips.all_text_contents())
    replies = page.get_by_role("log").locator(".msg-bot:not(.typing)")
    before = replies.count()
    chips.first.click()
    expect(page.get_by_role("log").locator(".msg-user").last).to_have_text(follow)
    expect(replies).to_have_count(before + 1, timeout=15_000)


def test_new_conversation_clears_the_history_and_the_session(bot, open_page):
    page = open_page(bot.url + "/")
    sent = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/ask") else None)
    open_widget(page)
    ask(page, QUESTION)
    page.get_by_role("button", name="Cuộc trò chuyện mới").click()
    log = page.get_by_role("log")
    expect(log.locator(".msg-user")).to_have_count(0)
    expect(log.locator(".msg-bot")).to_have_count(1)  # the greeting again
    expect(page.get_by_role("textbox", name="Câu hỏi")).to_be_focused()
    follow = ask(page, "còn cơ quan phối hợp thì sao?")
    expect(follow).not_to_contain_text("nhiệm vụ 6")  # the old context is gone
    assert sent[0]["session_id"] != sent[1]["session_id"] and sent[1]["channel"] == "widget"
    page.reload()
    expect(page.get_by_role("log").locator(".msg-user")).to_have_count(1)


def test_greeting_links_to_the_matrix_and_the_calendar(bot, open_page):
    page = open_page(bot.url + "/")
    open_widget(page)
    log = page.get_by_role("log")
    expect(log.get_by_role("link", name="Bảng phân công nhiệm vụ")).to_have_attribute("href", bot.url + "/nhiem-vu")
    expect(log.get_by_role("link", name="Thêm vào lịch")).to_have_attribute("href", bot.url + "/api/calendar.ics")
    reply = ask(page, "Hạn gửi báo cáo hằng năm là khi nào?")
    expect(reply.get_by_role("link", name="Thêm vào lịch")).to_be_visible()


def test_on_a_phone_tab_stays_inside_the_open_panel(bot, open_page):
    page = open_page(bot.url + "/", "mobile")
    open_widget(page)
    inside = "() => { const w = document.querySelector('ascc-bot-widget'); const a = w.shadowRoot.activeElement;" \
             " return document.activeElement === w && !!a && !!a.closest('.panel'); }"
    send = page.get_by_role("button", name="Gửi", exact=True)
    send.focus()
    for _ in range(12):  # round and round, never into the page behind
        page.keyboard.press("Tab")
        assert page.evaluate(inside)
    send.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Cuộc trò chuyện mới")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(send).to_be_focused()
    assert page.get_by_role("dialog").get_attribute("aria-modal") == "true"


def test_on_a_desktop_the_panel_does_not_trap_focus(bot, open_page):
    page = open_page(bot.url + "/")
    open_widget(page)
    page.get_by_role("button", name="Gửi", exact=True).focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Hỏi đáp")).to_be_focused()  # on to the launcher, as before
