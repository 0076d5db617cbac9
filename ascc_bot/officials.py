"""Pages for officials: the responsibility matrix and the documents' calendar.

Routes (``router``, included by ``server.py``):

- ``GET /nhiem-vu``: every task of every loaded document × every body, ● lead, ○ coordinating,
  each mark a link to the section that says so; ``?co_quan=`` and ``?van_ban=`` filter; prints on
  A4 landscape.
- ``GET /nhiem-vu.csv``: the same, one row per (task, body, role), for Excel.
- ``GET /api/calendar.ics``: every dated obligation as RFC 5545 events (``?agency=`` for one body).

Everything comes from the extracted facts through the engine's door methods; nothing is typed in.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from icalendar import Alarm, Calendar, Event

from .config import Settings
from .engine import Engine
from .feedback import LOCAL_TZ, csv_safe
from .obligations import KIND_NAMES, REMINDER_DAYS, Obligation, obligations
from .sections import section_label
from .web import page

LEAD, COORDINATE = "lead", "coordinate"
MARKS = {LEAD: "●", COORDINATE: "○"}
ROLE_NAMES = {LEAD: "chủ trì", COORDINATE: "phối hợp"}


# ---------------------------------------------------------------- the matrix, from the facts


def _esc(text: str) -> str:
    return html.escape(text, quote=True)



@dataclass(frozen=True)
class Mark:
    role: str  # lead | coordinate
    section_id: str  # where the document says so


@dataclass
class TaskColumn:
    doc_id: str
    number: str
    title: str
    section_id: str  # the task itself
    content_section: str  # what to open from its title
    general: list[tuple[str, str]] = field(default_factory=list)  # (words, section): "Các Sở, ngành … liên quan"


@dataclass
class DocumentMatrix:
    doc_id: str
    title: str
    tasks: list[TaskColumn]
    bodies: list[str]  # rows, in the order the document first names them
    marks: dict[tuple[str, str], Mark]  # (body, task section) -> mark


def _canonical(engine: Engine, name: str) -> str | None:
    """The one body a task's list names, or None for words that are not a body ("Các Sở, ngành,
    cơ quan, đơn vị liên quan", "các cơ quan, tổ chức liên quan")."""
    matches = engine.resolve_agency(name)
    if len(matches) == 1:
        return matches[0]
    exact = [m for m in matches if m.casefold() == name.casefold()]
    return exact[0] if len(exact) == 1 else None


def build_matrices(engine: Engine) -> list[DocumentMatrix]:
    """One matrix per loaded document that has tasks, in document order."""
    out: list[DocumentMatrix] = []
    for doc in engine.documents:
        tasks = [t for t in engine.tasks() if t.doc_id == doc.doc_id]
        if not tasks:
            continue
        matrix = DocumentMatrix(doc.doc_id, doc.meta.short_title, [], [], {})
        for task in tasks:
            column = TaskColumn(doc.doc_id, task.number, task.title, task.section_id,
                                task.content_section or task.section_id)
            matrix.tasks.append(column)
            for role, names, section in ((LEAD, task.leads, task.lead_section),
                                         (COORDINATE, task.coordinators, task.coord_section)):
                for name in names:
                    body = _canonical(engine, name)
                    if body is None:
                        column.general.append((name, section or task.section_id))
                        continue
                    if body not in matrix.bodies:
                        matrix.bodies.append(body)
                    # a body listed as both keeps the stronger role
                    if matrix.marks.get((body, task.section_id), Mark(COORDINATE, "")).role != LEAD:
                        matrix.marks[(body, task.section_id)] = Mark(role, section or task.section_id)
        out.append(matrix)
    return out


@dataclass(frozen=True)
class MatrixFilter:
    agency: str = ""  # canonical, once resolved
    doc_id: str = ""
    notice: str = ""  # what the page says about the filter as typed
    choices: tuple[str, ...] = ()  # an ambiguous name's candidates


def read_filter(engine: Engine, typed_agency: str, doc_id: str) -> MatrixFilter:
    notice, choices, agency = "", (), ""
    typed_agency = typed_agency.strip()
    if typed_agency:
        matches = engine.resolve_agency(typed_agency)
        if len(matches) == 1:
            agency = matches[0]
        elif matches:
            notice, choices = f"«{typed_agency}» khớp với {len(matches)} cơ quan; chọn một:", tuple(matches)
        else:
            notice = f"Các văn bản không nêu cơ quan nào tên «{typed_agency}». Dưới đây là toàn bộ bảng."
    if doc_id and engine.document(doc_id) is None:
        notice = (notice + " " if notice else "") + f"Không có văn bản mã «{doc_id}»; hiện mọi văn bản."
        doc_id = ""
    return MatrixFilter(agency, doc_id, notice, choices)


def _filtered(matrices: list[DocumentMatrix], wanted: MatrixFilter) -> list[DocumentMatrix]:
    out = []
    for m in matrices:
        if wanted.doc_id and m.doc_id != wanted.doc_id:
            continue
        if wanted.agency:
            if wanted.agency not in m.bodies:
                continue
            m = DocumentMatrix(m.doc_id, m.title, m.tasks, [wanted.agency], m.marks)
        out.append(m)
    return out


def _doc_href(doc_id: str, section_id: str) -> str:
    return f"/doc/{quote(doc_id)}#{quote(section_id, safe='.-')}"


def render_matrix(engine: Engine, wanted: MatrixFilter) -> str:
    matrices = build_matrices(engine)
    shown = _filtered(matrices, wanted)
    query = urlencode({k: v for k, v in (("co_quan", wanted.agency), ("van_ban", wanted.doc_id)) if v})
    every_body = sorted({b for m in matrices for b in m.bodies})
    options = "".join(f'<option value="{_esc(d.doc_id)}"{" selected" if d.doc_id == wanted.doc_id else ""}>'
                      f'{_esc(d.meta.short_title)}</option>' for d in engine.documents)
    notice = ""
    if wanted.notice:
        links = "".join(f'<li><a href="/nhiem-vu?{urlencode({"co_quan": c})}">{_esc(c)}</a></li>'
                        for c in wanted.choices)
        choices = f"<ul>{links}</ul>" if links else ""
        notice = f'<div class="notice" role="status"><p>{_esc(wanted.notice)}</p>{choices}</div>'
    ics = "/api/calendar.ics" + (f"?{urlencode({'agency': wanted.agency})}" if wanted.agency else "")
    tables = "\n".join(_matrix_table(m) for m in shown) or \
        '<p class="empty">Không có nhiệm vụ nào khớp với bộ lọc.</p>'
    body = f"""<article class="doc matrix-page">
<h1>Bảng phân công nhiệm vụ</h1>
<p class="legend"><span class="mark lead" aria-hidden="true">●</span> chủ trì (cơ quan thực hiện)
<span class="mark coordinate" aria-hidden="true">○</span> phối hợp. Mỗi dấu mở đúng mục của văn bản nói điều đó;
tên nhiệm vụ mở nội dung của nhiệm vụ.</p>
<form class="filters" method="get" action="/nhiem-vu" role="search">
<label>Cơ quan <input name="co_quan" list="bodies" value="{_esc(wanted.agency)}" placeholder="ví dụ: Sở Y tế"></label>
<datalist id="bodies">{"".join(f'<option value="{_esc(b)}">' for b in every_body)}</datalist>
<label>Văn bản <select name="van_ban"><option value="">Tất cả văn bản</option>{options}</select></label>
<button type="submit">Lọc</button> <a href="/nhiem-vu">Bỏ lọc</a>
<span class="actions"><a href="/nhiem-vu.csv{"?" + query if query else ""}" download>Tải CSV</a>
<a href="{_esc(ics)}" download>Thêm vào lịch</a></span>
</form>
{notice}
{tables}
</article>"""
    return page("Bảng phân công nhiệm vụ", body, bar="Trợ lý hỏi đáp ASCC", styles=("pages.css",), main="page wide")


def _matrix_table(m: DocumentMatrix) -> str:
    head = "".join(
        f'<th scope="col" class="task"><a href="{_esc(_doc_href(t.doc_id, t.content_section))}" '
        f'title="{_esc(t.number)}. {_esc(t.title)}">{_esc(t.number)}</a></th>' for t in m.tasks)
    rows = []
    for body in m.bodies:
        cells = []
        for t in m.tasks:
            mark = m.marks.get((body, t.section_id))
            if mark is None:
                cells.append(f'<td data-task="{_esc(t.number)}"></td>')
                continue
            label = f"{body} {ROLE_NAMES[mark.role]} nhiệm vụ {t.number} ({section_label(mark.section_id)})"
            cells.append(f'<td data-task="{_esc(t.number)}" data-role="{mark.role}"><a class="mark {mark.role}" '
                         f'href="{_esc(_doc_href(m.doc_id, mark.section_id))}" title="{_esc(label)}" '
                         f'aria-label="{_esc(label)}">{MARKS[mark.role]}</a></td>')
        rows.append(f'<tr><th scope="row">{_esc(body)}</th>{"".join(cells)}</tr>')
    legend = []
    for t in m.tasks:
        notes = "; ".join(f"{words} ({section_label(sid)})" for words, sid in t.general)
        legend.append(f'<li value="{_esc(t.number)}" id="nv-{_esc(m.doc_id)}-{_esc(t.number)}">'
                      f'<a href="{_esc(_doc_href(t.doc_id, t.content_section))}">{_esc(t.title)}</a>'
                      f'{f"<br><span class=task-note>Phối hợp chung: {_esc(notes)}</span>" if notes else ""}</li>')
    return f"""<section class="matrix-doc" data-doc-id="{_esc(m.doc_id)}">
<h2>{_esc(m.title)}</h2>
<div class="table-wrap"><table class="matrix">
<caption>Nhiệm vụ (cột) và cơ quan (hàng) của {_esc(m.title)}</caption>
<thead><tr><th scope="col" class="body">Cơ quan \\ Nhiệm vụ</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div>
<h3>Các nhiệm vụ</h3>
<ol class="task-list">{"".join(legend)}</ol>
</section>"""


def matrix_csv(engine: Engine, wanted: MatrixFilter, public_url: str) -> str:
    """One row per (task, body, role), formula-guarded, for Excel (the caller adds the BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Văn bản", "Nhiệm vụ", "Tên nhiệm vụ", "Cơ quan", "Vai trò", "Mục", "Liên kết"])
    for m in _filtered(build_matrices(engine), wanted):
        for t in m.tasks:
            for body in m.bodies:
                mark = m.marks.get((body, t.section_id))
                if mark is not None:
                    row = [m.title, t.number, t.title, body, ROLE_NAMES[mark.role], section_label(mark.section_id),
                           public_url + _doc_href(m.doc_id, mark.section_id)]
                    writer.writerow([csv_safe(v) for v in row])
            for words, sid in t.general:
                if not wanted.agency:
                    writer.writerow([csv_safe(v) for v in (m.title, t.number, t.title, words, "phối hợp chung",
                                                           section_label(sid), public_url + _doc_href(m.doc_id, sid))])
    return out.getvalue()


# ---------------------------------------------------------------- the calendar


def _summary(item: Obligation) -> str:
    if item.kind == "report_deadline":
        return f"Hạn gửi báo cáo{f' về {item.recipient}' if item.recipient else ''} ({item.doc_title})"
    what = item.what if len(item.what) <= 90 else item.what[:90].rsplit(" ", 1)[0] + " …"
    return f"{item.when}: {what} ({item.doc_title})"


def calendar_ics(engine: Engine, agency: str, public_url: str, today: date, now: datetime) -> bytes:
    """RFC 5545: one all-day event per obligation (yearly ones recur), with the quote, the citation,
    a link to the section, and alarms 30, 7 and 1 days before."""
    cal = Calendar()
    cal.add("prodid", "-//ASCC Bot//Han va moc thuc hien//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Hạn và mốc thực hiện{f' — {agency}' if agency else ''}")
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for item in obligations(engine):
        if not item.concerns(agency):
            continue
        start = item.first_due(today)
        if start is None:
            continue
        url = public_url + _doc_href(item.doc_id, item.section_id)
        event = Event()
        digest = hashlib.sha256(f"{item.doc_id}\0{item.section_id}\0{item.kind}\0{item.quote}".encode()).hexdigest()
        event.add("uid", f"{digest[:24]}@ascc-bot")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
        if item.yearly:
            event.add("rrule", {"freq": "yearly"})
        event.add("summary", _summary(item))
        event.add("description",
                  f"{KIND_NAMES[item.kind]} ({item.when})\n«{item.quote}»\nNguồn: {item.citation}\n{url}")
        event.add("url", url)
        event.add("categories", [KIND_NAMES[item.kind]])
        event.add("transp", "TRANSPARENT")
        for days in REMINDER_DAYS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Còn {days} ngày: {_summary(item)}")
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


# ---------------------------------------------------------------- routes


def router(engine: Engine, settings: Settings) -> APIRouter:
    routes = APIRouter()

    @routes.get("/nhiem-vu", response_class=HTMLResponse, include_in_schema=False)
    def matrix(co_quan: str = Query("", max_length=200), van_ban: str = Query("", max_length=200)) -> HTMLResponse:
        return HTMLResponse(render_matrix(engine, read_filter(engine, co_quan, van_ban)))

    @routes.get("/nhiem-vu.csv", include_in_schema=False)
    def matrix_download(co_quan: str = Query("", max_length=200),
                        van_ban: str = Query("", max_length=200)) -> Response:
        text = matrix_csv(engine, read_filter(engine, co_quan, van_ban), settings.public_url)
        return Response(("\ufeff" + text).encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="bang-phan-cong-nhiem-vu.csv"'})

    @routes.get("/api/calendar.ics", summary="Lịch các hạn báo cáo và mốc thực hiện (iCalendar, RFC 5545)",
                response_class=Response, responses={200: {"content": {"text/calendar": {}}}})
    def calendar(request: Request, agency: str = Query("", max_length=200,
                                                         description="chỉ các hạn của một cơ quan")) -> Response:
        name = ""
        if agency.strip():
            matches = engine.resolve_agency(agency)
            if len(matches) > 1:
                raise HTTPException(422, f"«{agency}» khớp với {len(matches)} cơ quan: {'; '.join(matches)}. "
                                         "Hãy ghi rõ tên một cơ quan.")
            if not matches:
                raise HTTPException(422, f"Các văn bản không nêu cơ quan nào tên «{agency}».")
            name = matches[0]
        now = datetime.now(UTC)
        body = calendar_ics(engine, name, settings.public_url, now.astimezone(LOCAL_TZ).date(), now)
        return Response(body, media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="han-va-moc-thuc-hien.ics"'})

    return routes
