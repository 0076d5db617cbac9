"""The Content-Security-Policy in a real browser (Debian chromium): the demo, the widget and the viewer
work under it, with no violation reported, and a script slipped into a page would not run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace

import pytest

from ascc_bot.server import build_app

from conftest import PLAN_ID, LiveServer, free_port

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, expect  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                reason=f"{CHROMIUM} missing: `make browser` installs Debian chromium")


@pytest.fixture(scope="module")
def server(engine, settings, tmp_path_factory) -> Iterator[LiveServer]:
    cfg = replace(settings, data_dir=tmp_path_factory.mktemp("csp-data"))
    with LiveServer(build_app(cfg, engine), free_port()) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def test_pages_work_under_the_policy_and_report_no_violation(server, browser):
    context = browser.new_context(locale="vi-VN", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page.goto(server.url + "/")
        page.get_by_role("button", name="Sao chép").click()  # the demo's own (hashed) inline script
        expect(page.locator("#copy-status")).not_to_have_text("")
        page.get_by_role("button", name="Hỏi đáp").click()  # the widget, from /widget.js
        page.get_by_role("textbox", name="Câu hỏi").fill("Hạn gửi báo cáo là khi nào?")
        page.get_by_role("textbox", name="Câu hỏi").press("Enter")
        expect(page.get_by_role("log").locator(".msg-bot:not(.typing)")).to_have_count(2, timeout=15_000)
        page.goto(f"{server.url}/doc/{PLAN_ID}#II.6.2")  # the viewer and its script
        expect(page.locator("section#II\\.6\\.2")).to_be_visible()
        # a script that found its way into the page is refused
        ran = page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__injected = true'; document.body.appendChild(s); return !!window.__injected; }""")
        assert ran is False
    finally:
        context.close()
    # one report: the injected script; the demo, the widget and the viewer caused none
    assert len(violations) == 1 and "script-src" in violations[0], violations
