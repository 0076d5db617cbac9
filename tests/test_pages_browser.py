"""Officials' pages in a real browser (Debian chromium via Playwright): the responsibility matrix,
its A4 landscape print, the viewer's calendar link and /docs without the network."""

from __future__ import annotations

import io
import os
import re

import pytest

from conftest import CHROMIUM, PLAN_ID

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                reason=f"{CHROMIUM} missing: `make browser` installs Debian chromium")

A4_LANDSCAPE = (841.89, 595.28)  # points


def test_matrix_row_marks_task_6_as_lead_and_the_mark_opens_the_section(live_server, open_page):
    page = open_page(live_server.url + "/nhiem-vu")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Sở Y tế", exact=True))
    cell = row.locator('td[data-task="6"]')
    expect(cell).to_have_text("●")
    expect(cell).to_have_attribute("data-role", "lead")
    mark = cell.get_by_role("link", name="Sở Y tế chủ trì nhiệm vụ 6 (Mục II, điểm 6.2)")
    mark.click()
    page.wait_for_url(re.compile(rf"/doc/{PLAN_ID}#II\.6\.2$"))
    target = page.locator("#II\\.6\\.2")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("Cơ quan thực hiện: Sở Y tế")


def test_matrix_filter_by_agency_in_the_form(live_server, open_page):
    page = open_page(live_server.url + "/nhiem-vu")
    page.get_by_label("Cơ quan").fill("so y te")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"co_quan=so\+y\+te"))
    expect(page.get_by_role("rowheader")).to_have_count(1)
    expect(page.get_by_role("rowheader")).to_have_text("Sở Y tế")


def test_matrix_prints_on_a4_landscape(live_server, open_page):
    from pypdf import PdfReader

    page = open_page(live_server.url + "/nhiem-vu")
    page.emulate_media(media="print")
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("header.bar")).to_be_hidden()
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    box = pdf.pages[0].mediabox
    # Chromium rounds the page to whole CSS pixels
    assert abs(float(box.width) - A4_LANDSCAPE[0]) < 1 and abs(float(box.height) - A4_LANDSCAPE[1]) < 1
    text = pdf.pages[0].extract_text()
    assert "Bảng phân công nhiệm vụ" in text and "Sở Y tế" in text
    # the whole table fits the page width: no column is cut off
    assert len(pdf.pages) <= 2
    width = page.evaluate("() => document.querySelector('table.matrix').getBoundingClientRect().width")
    assert width <= A4_LANDSCAPE[0] * 96 / 72 - 2 * 10 / 25.4 * 96  # the printable width in CSS pixels


def test_viewer_offers_the_calendar_and_the_matrix(live_server, open_page):
    page = open_page(live_server.url + f"/doc/{PLAN_ID}")
    link = page.get_by_role("link", name="Thêm vào lịch")
    expect(link).to_have_attribute("href", "/api/calendar.ics")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".ics")
    page.get_by_role("link", name="Bảng phân công").click()
    page.wait_for_url(re.compile(r"/nhiem-vu$"))


def test_docs_render_without_the_network(live_server, browser):
    ctx = browser.new_context()
    outside: list[str] = []

    def only_loopback(route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_loopback)
    page = ctx.new_page()
    page.goto(live_server.url + "/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/ask").first).to_be_visible()
    assert outside == []
    ctx.close()


@pytest.fixture(scope="module")
def admin_server(engine, settings, tmp_path_factory):
    from dataclasses import replace

    from ascc_bot.server import build_app

    from conftest import LiveServer, free_port

    cfg = replace(settings, admin_token="ma-quan-tri-thu-123", data_dir=tmp_path_factory.mktemp("dashboard"))
    with LiveServer(build_app(cfg, engine), free_port()) as server:
        yield server


def test_dashboard_sign_in_chart_and_mark_handled(admin_server, open_page):
    import httpx

    for question in ("Giá vàng hôm nay bao nhiêu?", "giá vàng hôm nay là bao nhiêu", "Sở Y tế phải làm gì?"):
        httpx.post(admin_server.url + "/api/ask", json={"question": question, "channel": "widget"})
    page = open_page(admin_server.url + "/admin")
    page.get_by_label("Mã quản trị").fill("ma-quan-tri-thu-123")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Bảng theo dõi góp ý")).to_be_visible()
    assert "ma-quan-tri" not in page.url
    cookie = next(c for c in page.context.cookies() if c["name"] == "ascc_admin")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("() => document.cookie") == ""  # no script can read the session

    chart = page.get_by_role("img", name="Số câu hỏi và số câu chưa trả lời được mỗi ngày")
    expect(chart).to_be_visible()
    bars = chart.locator("rect.asked")
    assert max(int(v) for v in bars.evaluate_all("els => els.map(e => e.dataset.value)")) >= 3
    assert chart.locator("rect.asked").last.bounding_box()["height"] > 0

    group = page.locator("tr[data-group-size='2']")
    expect(group).to_contain_text("giá vàng hôm nay")
    group.get_by_role("button", name="Đánh dấu đã xử lý").click()
    expect(page.locator("tr[data-group-size='2']")).to_have_count(0)
    page.get_by_label("Hiện cả mục đã xử lý").check()
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("tr[data-group-size='2']")).to_contain_text("Đã xử lý")


STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'"


@pytest.mark.parametrize("path", ["/nhiem-vu", "/admin", f"/doc/{PLAN_ID}", "/docs", "/"])
def test_new_pages_work_under_a_strict_content_security_policy(admin_server, browser, path):
    """No inline script or style: with CSP script-src 'self' and style-src 'self' nothing is refused."""
    ctx = browser.new_context()

    def with_csp(route) -> None:
        try:
            response = route.fetch()
            route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})
        except PlaywrightError:  # the page dropped this request (a navigation) while it was being fetched
            pass

    ctx.route(f"{admin_server.url}/**", with_csp)
    page = ctx.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(admin_server.url + path)
    page.wait_for_load_state("networkidle")
    if path == "/docs":
        expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    if path == "/admin":  # the dashboard itself, signed in
        page.get_by_label("Mã quản trị").fill("ma-quan-tri-thu-123")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("img", name="Số câu hỏi và số câu chưa trả lời được mỗi ngày")).to_be_visible()
    if path == "/":  # the demo's own script (the copy button) and the widget
        page.get_by_role("button", name="Sao chép").click()
        expect(page.locator("#copy-status")).not_to_be_empty()
        page.get_by_role("button", name="Hỏi đáp").click()
        expect(page.get_by_role("textbox", name="Câu hỏi")).to_be_visible()
    assert refused == []
    ctx.close()
