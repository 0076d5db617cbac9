"""Pages for officials over HTTP: the calendar (parsed back with the icalendar package), the
responsibility matrix and its CSV, and /docs served from local files."""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from ascc_bot import corpus_store
from ascc_bot.engine import Engine
from ascc_bot.feedback import LOCAL_TZ
from ascc_bot.ingest import ingest_bytes
from ascc_bot.server import build_app

from conftest import PLAN_ID
from samples import docx_bytes

PUBLIC = "https://hoidap.haiphong.example"
REPORT = "trước ngày 01 tháng 12 hàng năm gửi báo cáo kết quả hoạt động về Sở Lao động Thương binh và Xã hội"


@pytest.fixture(scope="module")
def client(engine, settings, tmp_path_factory):
    cfg = replace(settings, public_url=PUBLIC, data_dir=tmp_path_factory.mktemp("officials"))
    with TestClient(build_app(cfg, engine)) as c:
        yield c


def events(body: bytes) -> list:
    return Calendar.from_ical(body).walk("VEVENT")


def this_year() -> int:
    return datetime.now(LOCAL_TZ).year


# ---------------------------------------------------------------- calendar


def test_calendar_has_every_dated_obligation_with_citation_and_link(client):
    r = client.get("/api/calendar.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    found = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert len(found) == 4
    report = next(e for s, e in found.items() if s.startswith("Hạn gửi báo cáo về Sở Lao động Thương binh và Xã hội"))
    assert report.decoded("dtstart") == date(this_year(), 12, 1)  # an all-day event
    assert report.decoded("dtend") == date(this_year(), 12, 2)
    assert report["rrule"]["FREQ"] == ["YEARLY"]
    assert str(report["url"]) == f"{PUBLIC}/doc/{PLAN_ID}#VI.1"
    description = str(report["description"])
    assert REPORT in description and "Nguồn: Kế hoạch ASCC Hải Phòng, Mục VI, khoản 1" in description
    alarms = sorted(a.decoded("trigger") for a in report.walk("VALARM"))
    assert alarms == [timedelta(days=-30), timedelta(days=-7), timedelta(days=-1)]
    milestones = sorted((e.decoded("dtstart"), str(e["url"])) for s, e in found.items() if s.startswith("Năm "))
    assert milestones == [(date(y, 12, 31), f"{PUBLIC}/doc/{PLAN_ID}#IV.2") for y in (2017, 2020, 2025)]
    assert all("rrule" not in e for s, e in found.items() if s.startswith("Năm "))
    uids = [str(e["uid"]) for e in found.values()]
    assert len(set(uids)) == 4 and client.get("/api/calendar.ics").content.count(uids[0].encode()) == 1


def test_calendar_links_are_relative_without_a_public_url(engine, settings, tmp_path):
    with TestClient(build_app(replace(settings, data_dir=tmp_path), engine)) as c:
        urls = {str(e["url"]) for e in events(c.get("/api/calendar.ics").content)}
    assert f"/doc/{PLAN_ID}#VI.1" in urls and all(u.startswith("/doc/") for u in urls)


@pytest.mark.parametrize(("agency", "words"), [("UBND", "khớp với 2 cơ quan"), ("Sở Xây dựng", "không nêu")])
def test_calendar_agency_that_is_ambiguous_or_unknown(client, agency, words):
    r = client.get("/api/calendar.ics", params={"agency": agency})
    assert r.status_code == 422 and words in r.json()["detail"]


@pytest.fixture(scope="module")
def decree_client(tmp_path_factory, settings, engine, encoder):
    """The plan and the fictional sample decree (a report before 15/12 each year, Article 3, clause 1,
    the duty of Sở Lao động - Thương binh và Xã hội)."""
    base = tmp_path_factory.mktemp("officials-decree")
    shutil.copytree(settings.corpus_dir, base / "corpus")
    shutil.copytree(settings.index_dir, base / "index")
    own = replace(settings, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data",
                  public_url=PUBLIC)
    corpus_store.apply(own, encoder, lambda stage: ingest_bytes(stage, docx_bytes(), "qd-999.docx"))
    with TestClient(build_app(own, Engine(own, encoder=encoder, progress=False, log=lambda msg: None))) as c:
        yield c


def test_an_ingested_decree_is_on_the_calendar_of_the_body_it_names(decree_client):
    def summaries(agency: str) -> set[str]:
        return {str(e["summary"]) for e in events(decree_client.get("/api/calendar.ics",
                                                                     params={"agency": agency}).content)}

    decree = [e for e in events(decree_client.get("/api/calendar.ics").content)
              if "quyet-dinh-999-qd-ubnd" in str(e["url"])]
    assert len(decree) == 1
    assert decree[0].decoded("dtstart") == date(this_year(), 12, 15)
    assert str(decree[0]["url"]) == f"{PUBLIC}/doc/quyet-dinh-999-qd-ubnd#Dieu-3.Khoan-1"
    assert "Nguồn: Quyết định 999/QĐ-UBND, Khoản 1 Điều 3" in str(decree[0]["description"])
    assert str(decree[0]["summary"]) in summaries("LĐ-TB&XH")
    assert str(decree[0]["summary"]) not in summaries("Sở Y tế")
    assert len(summaries("Sở Y tế")) == 4  # the plan's, which concern every body


# ---------------------------------------------------------------- the matrix


def test_matrix_marks_leads_and_coordinators_from_the_facts(client):
    r = client.get("/nhiem-vu")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    row = re.search(r"<tr><th scope=\"row\">Sở Y tế</th>(.*?)</tr>", page).group(1)
    marked = dict(re.findall(r'<td data-task="(\d+)" data-role="(\w+)">', row))
    assert marked == {"1": "lead", "4": "lead", "6": "lead"}
    assert f'href="/doc/{PLAN_ID}#II.6.2"' in row
    assert '<tr><th scope="row">Sở Tư pháp</th>' in page  # the one named coordinator (task 1)
    justice = re.search(r"<tr><th scope=\"row\">Sở Tư pháp</th>(.*?)</tr>", page).group(1)
    assert dict(re.findall(r'<td data-task="(\d+)" data-role="(\w+)">', justice)) == {"1": "coordinate"}
    # generic coordinators are a note under their task, not a row
    assert "scope=\"row\">Các Sở, ngành" not in page
    assert "Phối hợp chung: Các Sở, ngành, cơ quan, đơn vị liên quan (Mục II, điểm 6.3)" in page
    # the task's title opens its content
    assert f'<a href="/doc/{PLAN_ID}#II.6.1">Triển khai các dịch vụ về chăm sóc sức khỏe cho người dân</a>' in page
    # no inline script or style: the page works under a strict Content-Security-Policy
    assert "<script" not in page and "<style" not in page and " style=" not in page
    assert '<link rel="stylesheet" href="/ui/pages.css">' in page
    assert client.get("/ui/pages.css").status_code == 200


def test_matrix_filters(client):
    one = client.get("/nhiem-vu", params={"co_quan": "so y te"}).text
    assert re.findall(r'<tr><th scope="row">([^<]+)</th>', one) == ["Sở Y tế"]
    ambiguous = client.get("/nhiem-vu", params={"co_quan": "UBND"}).text
    assert "«UBND» khớp với 2 cơ quan" in ambiguous and "/nhiem-vu?co_quan=%E1%BB%A6y+ban+nh%C3%A2n" in ambiguous
    unknown = client.get("/nhiem-vu", params={"van_ban": "khong-co"}).text
    assert "Không có văn bản mã «khong-co»" in unknown and '<tr><th scope="row">Sở Y tế</th>' in unknown
    by_doc = client.get("/nhiem-vu", params={"van_ban": PLAN_ID}).text
    assert f'data-doc-id="{PLAN_ID}"' in by_doc


def test_matrix_csv(client):
    r = client.get("/nhiem-vu.csv", params={"co_quan": "Sở Y tế"})
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["Văn bản", "Nhiệm vụ", "Tên nhiệm vụ", "Cơ quan", "Vai trò", "Mục", "Liên kết"]
    assert [(r[1], r[3], r[4], r[5]) for r in rows[1:]] == [("1", "Sở Y tế", "chủ trì", "Mục II, điểm 1.2"),
                                                           ("4", "Sở Y tế", "chủ trì", "Mục II, điểm 4.2"),
                                                           ("6", "Sở Y tế", "chủ trì", "Mục II, điểm 6.2")]
    assert rows[3][6] == f"{PUBLIC}/doc/{PLAN_ID}#II.6.2"


PLAN_WITH_A_FORMULA = """KẾ HOẠCH MẪU
(VĂN BẢN MẪU DÙNG ĐỂ KIỂM THỬ - không phải văn bản thật)
I. MỤC TIÊU
1. Kiểm thử bảng phân công.
II. NHIỆM VỤ
1. =HYPERLINK("http://evil.example","Bấm vào đây"):
1.1. Nội dung: tổ chức hội nghị mẫu.
1.2. Cơ quan thực hiện: Sở Y tế.
1.3. Cơ quan phối hợp: @Sở Tư pháp; Các sở, ngành liên quan.
Nơi nhận:
- Lưu: VT.
"""


def test_matrix_csv_guards_formulas(tmp_path, settings, encoder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.json").write_text('{"documents": []}', encoding="utf-8")  # nothing shipped
    own = replace(settings, corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data")
    corpus_store.apply(own, encoder, lambda stage: ingest_bytes(
        stage, PLAN_WITH_A_FORMULA.encode(), "ke-hoach-mau.txt", short_title="-Kế hoạch mẫu"))
    with TestClient(build_app(own, Engine(own, encoder=encoder, progress=False, log=lambda msg: None))) as c:
        rows = list(csv.reader(io.StringIO(c.get("/nhiem-vu.csv").content.decode("utf-8-sig"))))
    assert len(rows) > 1
    assert rows[1][0] == "'-Kế hoạch mẫu" and rows[1][2].startswith("'=HYPERLINK(")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


# ---------------------------------------------------------------- /docs, offline


def test_docs_use_only_local_assets(client):
    r = client.get("/docs")
    assert r.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and all(ref.startswith("/") and not ref.startswith("//") for ref in refs), refs
    assert "<script>" not in r.text  # no inline script: CSP script-src 'self' is enough
    for ref in refs:
        asset = client.get(ref)
        assert asset.status_code == 200 and asset.content, ref
    assert "SwaggerUIBundle" in client.get("/ui/swagger/swagger-ui-bundle.js").text
    assert client.get("/ui/swagger/swagger-ui.css").headers["content-type"].startswith("text/css")
    assert client.get("/ui/swagger/index.html").status_code == 404  # only the files /docs needs
    assert client.get("/redoc").status_code == 404  # ReDoc would load from a CDN
