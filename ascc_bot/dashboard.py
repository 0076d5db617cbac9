"""The editors' dashboard at ``/admin``: what people ask, what the bot could not answer, and 👎.

It exists only when ``ASCC_ADMIN_TOKEN`` is set (otherwise every /admin route answers 404, like
the admin API). An editor signs in once with the token in a form; the server then sets a session
cookie: signed with a key derived from the token (changing the token signs everyone out),
expiring after ``SESSION_S``, HttpOnly (no script reads it), SameSite=Strict (no other site's page
sends it), Secure when the bot is reached over https, and scoped to /admin. The token never goes
in a URL. Every form that changes something carries a CSRF token derived from the session, and a
request whose Origin is another site is refused.

Routes: ``GET /admin`` (sign-in form or dashboard), ``POST /admin/login``, ``POST /admin/logout``,
``POST /admin/handled`` (mark items "đã xử lý"), ``GET /admin/export.csv``.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import io
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from .config import Settings
from .feedback import CHANNELS, LOCAL_TZ, FeedbackStore, Filters, local_time, write_export
from .ratelimit import RateLimiter, Verdict
from .text import fold
from .web import page

COOKIE = "ascc_admin"
SESSION_S = 8 * 3600  # a working day
DEFAULT_DAYS = 30
MAX_CHART_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
LOGIN_ATTEMPTS_PER_MINUTE = 10
CHANNEL_NAMES = {"widget": "Widget", "telegram": "Telegram", "zalo": "Zalo", "api": "API", "": "Không rõ"}
# Words every question has: two questions sharing only these are not alike.
QUESTION_WORDS = frozenset("la gi nao co khong the nhu ai bao nhieu khi o dau cua va cho toi ban a nhe vay sao hoi "
                           "duoc nhung cac mot nay do thi".split())
SIMILAR = 0.5  # Jaccard of the remaining words at or above which two questions are one group


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


# ---------------------------------------------------------------- sessions


class Sessions:
    """Signed, expiring session values and their CSRF tokens; the key comes from the admin token."""

    def __init__(self, admin_token: str, clock=time.time) -> None:
        self._key = hashlib.sha256(f"ascc-bot admin session\0{admin_token}".encode()).digest()
        self._token = admin_token.encode()
        self.clock = clock

    def token_ok(self, typed: str) -> bool:
        return hmac.compare_digest(typed.strip().encode(), self._token)

    def _sign(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def new(self) -> str:
        body = f"{int(self.clock()) + SESSION_S}.{secrets.token_hex(16)}"
        return f"{body}.{self._sign(body)}"

    def valid(self, value: str | None) -> bool:
        if not value or value.count(".") != 2:
            return False
        expires, nonce, signature = value.split(".")
        if not hmac.compare_digest(signature, self._sign(f"{expires}.{nonce}")):
            return False
        return expires.isdigit() and int(expires) > self.clock()

    def csrf(self, session: str) -> str:
        return self._sign(f"csrf\0{session}")[:32]


# ---------------------------------------------------------------- grouping unanswered questions


def _words(question: str) -> frozenset[str]:
    """Folded words without the words of asking: "Giá vàng hôm nay là bao nhiêu?" → {gia, vang, hom, nay}."""
    words = frozenset(re.findall(r"\w+", fold(question)))
    return (words - QUESTION_WORDS) or words


@dataclass
class Group:
    words: frozenset[str]
    rows: list[dict]

    @property
    def question(self) -> str:
        return self.rows[0]["question"]


def group_questions(rows: list[dict]) -> list[Group]:
    """Questions asked in different words about the same thing, largest group first.

    Each question joins the first group whose first question shares at least half of their words
    (Jaccard ≥ ``SIMILAR``), after folding diacritics and case (the engine's own folding, so "gia vang"
    and "Giá vàng" meet) and leaving out the words every question has. Plain and explainable: an
    editor sees why two questions are together."""
    groups: list[Group] = []
    for row in sorted(rows, key=lambda r: r["created_at"], reverse=True):
        words = _words(row["question"])
        for group in groups:
            union = len(words | group.words)
            if union and len(words & group.words) / union >= SIMILAR:
                group.rows.append(row)
                break
        else:
            groups.append(Group(words, [row]))
    return sorted(groups, key=lambda g: -len(g.rows))  # stable: among equals, the most recent first


# ---------------------------------------------------------------- the chart


def chart_svg(days: list[tuple[date, int, int]], since: date, until: date) -> str:
    """Questions and refusals per day as bars, drawn here: no script, no CDN."""
    counts = {d: (asked, refused) for d, asked, refused in days}
    span = [since + timedelta(days=i) for i in range((until - since).days + 1)]
    top = max([asked for asked, _ in counts.values()] + [1])
    width, height, left, bottom, top_pad = 960, 260, 44, 36, 14
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    step = plot_w / max(len(span), 1)
    bar = max(step * 0.38, 1.0)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
             '<title id="chart-title">Số câu hỏi và số câu chưa trả lời được mỗi ngày</title>',
             f'<desc id="chart-desc">Từ {since:%d/%m/%Y} đến {until:%d/%m/%Y}; cao nhất {top} câu một ngày.</desc>']
    for tick in sorted({0, top // 2, top}):
        y = top_pad + plot_h - plot_h * tick / top
        parts.append(f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    label_every = max(1, len(span) // 12)
    for i, day in enumerate(span):
        asked, refused = counts.get(day, (0, 0))
        x = left + i * step + (step - 2 * bar) / 2
        for j, (value, kind, name) in enumerate(((asked, "asked", "câu hỏi"), (refused, "refused", "chưa trả lời"))):
            h = plot_h * value / top
            parts.append(f'<rect class="{kind}" x="{x + j * bar:.1f}" y="{top_pad + plot_h - h:.1f}" '
                         f'width="{bar:.1f}" height="{h:.1f}" data-day="{day.isoformat()}" data-value="{value}">'
                         f'<title>{day:%d/%m/%Y}: {value} {name}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{left + i * step + step / 2:.1f}" y="{height - 14}" '
                         f'text-anchor="middle">{day:%d/%m}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- pages


@dataclass(frozen=True)
class View:
    filters: Filters
    since: date
    until: date

    def query(self, **extra: str) -> str:
        values = {"tu": self.since.isoformat(), "den": self.until.isoformat(), "kenh": self.filters.channel,
                  **({"da_xu_ly": "1"} if self.filters.include_handled else {}), **extra}
        return urlencode({k: v for k, v in values.items() if v})


def read_view(params, today: date) -> tuple[View, str]:
    """The filters from the query string, and what was wrong with them (shown, never a 500)."""
    problems = []

    def day(name: str, default: date) -> date:
        raw = str(params.get(name) or "").strip()
        if not raw:
            return default
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            value = None
        if value is None or not EARLIEST <= value <= LATEST:  # far dates would overflow the time arithmetic
            problems.append(f"Ngày «{raw}» không hợp lệ (dạng năm-tháng-ngày, từ {EARLIEST.year} đến "
                            f"{LATEST.year}); dùng {default:%d/%m/%Y}.")
            return default
        return value

    until = day("den", today)
    since = day("tu", until - timedelta(days=DEFAULT_DAYS - 1))
    if since > until:
        problems.append("Ngày bắt đầu sau ngày kết thúc; đã đổi chỗ hai ngày.")
        since, until = until, since
    if (until - since).days >= MAX_CHART_DAYS:
        problems.append(f"Mỗi lần xem tối đa {MAX_CHART_DAYS} ngày.")
        since = until - timedelta(days=MAX_CHART_DAYS - 1)
    channel = str(params.get("kenh") or "")
    if channel and channel not in CHANNELS:
        problems.append(f"Không có kênh «{channel}»; hiện mọi kênh.")
        channel = ""
    handled = str(params.get("da_xu_ly") or "") == "1"
    return View(Filters(since, until, channel, handled), since, until), " ".join(problems)


def render_login(error: str = "") -> str:
    body = f"""<article class="doc login">
<h1>Bảng theo dõi góp ý</h1>
<p>Dành cho biên tập viên cổng thông tin. Đăng nhập bằng mã quản trị (<code>ASCC_ADMIN_TOKEN</code>).</p>
{f'<p class="error" role="alert">{_esc(error)}</p>' if error else ""}
<form method="post" action="/admin/login">
<label for="token">Mã quản trị</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button class="button" type="submit">Đăng nhập</button>
</form>
</article>"""
    return page("Đăng nhập — bảng theo dõi góp ý", body, bar="Trợ lý hỏi đáp ASCC", styles=("pages.css",))


def _mark_form(kind: str, ids: list[int], csrf: str, back: str, label: str) -> str:
    hidden = "".join(f'<input type="hidden" name="id" value="{i}">' for i in ids)
    return (f'<form method="post" action="/admin/handled"><input type="hidden" name="kind" value="{kind}">'
            f'<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="back" value="{_esc(back)}">'
            f'{hidden}<button class="link-button" type="submit">{_esc(label)}</button></form>')


def render_dashboard(store: FeedbackStore, view: View, csrf: str, notice: str) -> str:
    f = view.filters
    days = store.daily_counts(f)
    per_channel = store.channel_counts(f)
    unanswered = store.rows("unanswered", f)
    down = [r for r in store.rows("feedback", f) if r["rating"] == "down"]
    back = "/admin?" + view.query()
    asked, refused = sum(d[1] for d in days), sum(d[2] for d in days)

    options = "".join(f'<option value="{c}"{" selected" if c == f.channel else ""}>{CHANNEL_NAMES[c]}</option>'
                      for c in CHANNELS)
    counts = "".join(f"<li>{_esc(CHANNEL_NAMES.get(c, c))}: <strong>{n}</strong></li>"
                     for c, n in sorted(per_channel.items(), key=lambda kv: -kv[1]))
    group_rows = []
    for g in group_questions(unanswered):
        ids = [int(r["id"]) for r in g.rows]
        channels = ", ".join(sorted({CHANNEL_NAMES.get(r["channel"], r["channel"]) for r in g.rows}))
        variants = "".join(f"<li>{_esc(r['question'])}</li>" for r in g.rows[1:6])
        more = f"<li>… và {len(g.rows) - 6} câu nữa</li>" if len(g.rows) > 6 else ""
        done = all(r["handled_at"] for r in g.rows)
        action = '<span class="done">Đã xử lý</span>' if done else \
            _mark_form("unanswered", ids, csrf, back, "Đánh dấu đã xử lý")
        group_rows.append(
            f'<tr data-group-size="{len(g.rows)}"><td><strong>{_esc(g.question)}</strong>'
            f'{f"<ul class=variants>{variants}{more}</ul>" if variants else ""}</td>'
            f"<td>{len(g.rows)}</td><td>{_esc(channels)}</td><td>{_esc(local_time(g.rows[0]['created_at']))}</td>"
            f"<td>{action}</td></tr>")
    down_rows = []
    for r in down:
        action = '<span class="done">Đã xử lý</span>' if r["handled_at"] else \
            _mark_form("feedback", [int(r["id"])], csrf, back, "Đánh dấu đã xử lý")
        answer = f'<p class="answer">{_esc(r["answer"])}</p>' if r["answer"] else ""
        down_rows.append(
            f"<tr><td><strong>{_esc(r['question'])}</strong>{answer}</td>"
            f"<td>{_esc(r['comment'])}</td><td>{_esc(CHANNEL_NAMES.get(r['channel'], r['channel']))}</td>"
            f"<td>{_esc(local_time(r['updated_at']))}</td><td>{action}</td></tr>")

    body = f"""<article class="doc dashboard">
<h1>Bảng theo dõi góp ý</h1>
<form class="filters" method="get" action="/admin">
<label>Kênh <select name="kenh"><option value="">Mọi kênh</option>{options}</select></label>
<label>Từ ngày <input type="date" name="tu" value="{view.since.isoformat()}"></label>
<label>Đến ngày <input type="date" name="den" value="{view.until.isoformat()}"></label>
<label class="check"><span><input type="checkbox" name="da_xu_ly" value="1"{" checked" if f.include_handled else ""}>
Hiện cả mục đã xử lý</span></label>
<button type="submit">Xem</button>
<span class="actions"><a href="/admin/export.csv?{_esc(view.query())}" download>Tải CSV</a></span>
</form>
{f'<div class="notice" role="status"><p>{_esc(notice)}</p></div>' if notice else ""}
<h2>Câu hỏi mỗi ngày</h2>
<p>{asked} câu hỏi, {refused} câu chưa trả lời được, từ {view.since:%d/%m/%Y} đến {view.until:%d/%m/%Y}
(giờ Việt Nam).</p>
<ul class="counts" aria-label="Theo kênh">{counts}</ul>
<p class="key"><span><span class="swatch asked"></span>Câu hỏi</span>
<span><span class="swatch refused"></span>Chưa trả lời được</span></p>
{chart_svg(days, view.since, view.until)}
<h2 id="chua-tra-loi">Câu hỏi chưa trả lời được ({len(unanswered)}), gộp theo cách hỏi giống nhau</h2>
{_table(["Câu hỏi (và các cách hỏi khác)", "Số lần", "Kênh", "Lần gần nhất", ""], group_rows,
        "Không có câu hỏi nào chưa trả lời được trong thời gian này.")}
<h2 id="chua-huu-ich">Câu trả lời bị đánh giá chưa hữu ích ({len(down)})</h2>
{_table(["Câu hỏi và câu trả lời đã đưa", "Góp ý", "Kênh", "Lúc", ""], down_rows,
        "Không có đánh giá 👎 nào trong thời gian này.")}
<form class="logout" method="post" action="/admin/logout"><input type="hidden" name="csrf" value="{csrf}">
<button class="link-button" type="submit">Đăng xuất</button></form>
</article>"""
    return page("Bảng theo dõi góp ý", body, bar="Trợ lý hỏi đáp ASCC", styles=("pages.css",), main="page wide")


def _table(headers: list[str], rows: list[str], empty: str) -> str:
    if not rows:
        return f'<p class="empty">{_esc(empty)}</p>'
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in headers)
    return f'<table class="items"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


# ---------------------------------------------------------------- routes


def router(settings: Settings, store: FeedbackStore) -> APIRouter | None:
    """The dashboard, or None without an admin token (then /admin answers 404)."""
    if not settings.admin_token:
        return None
    sessions = Sessions(settings.admin_token)
    attempts = RateLimiter(LOGIN_ATTEMPTS_PER_MINUTE)
    routes = APIRouter(include_in_schema=False)

    def session_of(request: Request) -> str | None:
        value = request.cookies.get(COOKIE)
        return value if sessions.valid(value) else None

    def same_site(request: Request) -> bool:
        """A form posted from another site's page is refused, whatever it carries."""
        origin = request.headers.get("origin")
        return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")

    def today() -> date:
        return datetime.now(LOCAL_TZ).date()

    @routes.get("/admin", response_class=HTMLResponse)
    async def dashboard(request: Request) -> HTMLResponse:
        session = session_of(request)
        if session is None:
            return HTMLResponse(render_login(), headers={"Cache-Control": "no-store"})
        view, notice = read_view(request.query_params, today())
        text = await run_in_threadpool(render_dashboard, store, view, sessions.csrf(session), notice)
        return HTMLResponse(text, headers={"Cache-Control": "no-store"})

    @routes.post("/admin/login")
    async def login(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        if attempts.check(f"login:{client}") is not Verdict.ALLOW:
            return HTMLResponse(render_login("Đăng nhập sai quá nhiều lần. Xin đợi một phút rồi thử lại."),
                                status_code=429, headers={"Retry-After": "60"})
        form = await request.form()
        if not same_site(request) or not sessions.token_ok(str(form.get("token") or "")):
            return HTMLResponse(render_login("Mã quản trị không đúng."), status_code=401)
        response = RedirectResponse("/admin", status_code=303)
        https = request.url.scheme == "https" or settings.public_url.startswith("https://")
        response.set_cookie(COOKIE, sessions.new(), max_age=SESSION_S, path="/admin", httponly=True,
                            samesite="strict", secure=https)
        return response

    async def checked_form(request: Request):
        """The posted form when it comes from a signed-in editor on this site; None otherwise."""
        session = session_of(request)
        form = await request.form()
        if session is None or not same_site(request) or \
                not hmac.compare_digest(str(form.get("csrf") or ""), sessions.csrf(session)):
            return None
        return form

    @routes.post("/admin/logout")
    async def logout(request: Request) -> Response:
        if await checked_form(request) is None:
            return HTMLResponse(render_login("Phiên đăng nhập đã hết hạn."), status_code=403)
        response = RedirectResponse("/admin", status_code=303)
        response.delete_cookie(COOKIE, path="/admin")
        return response

    @routes.post("/admin/handled")
    async def handled(request: Request) -> Response:
        form = await checked_form(request)
        if form is None:
            return HTMLResponse(render_login("Phiên đăng nhập đã hết hạn hoặc yêu cầu không hợp lệ; "
                                             "xin đăng nhập lại."), status_code=403)
        kind = str(form.get("kind") or "")
        ids = [int(i) for i in form.getlist("id") if str(i).isdigit() and len(str(i)) <= 18]  # SQLite integers
        if kind not in ("feedback", "unanswered") or not ids:
            return HTMLResponse(render_login("Yêu cầu không hợp lệ."), status_code=400)
        await run_in_threadpool(store.mark_handled, kind, ids)
        back = str(form.get("back") or "/admin")
        return RedirectResponse(back if back == "/admin" or back.startswith("/admin?") else "/admin", status_code=303)

    @routes.get("/admin/export.csv")
    async def export(request: Request) -> Response:
        if session_of(request) is None:
            return RedirectResponse("/admin", status_code=303)
        view, _ = read_view(request.query_params, today())
        rows = await run_in_threadpool(store.rows, None, view.filters)
        out = io.StringIO()
        write_export(rows, "csv", out)
        name = f"gop-y-{view.since:%Y%m%d}-{view.until:%Y%m%d}.csv"
        return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})

    return routes

