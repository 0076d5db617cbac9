"""The web door: the embeddable widget, the section viewer, the demo page and feedback.

Routes (``router``, included by ``server.py``):

- ``GET /``: a demo portal article with the widget embedded by the one-line snippet.
- ``GET /widget.js``: the widget, one self-contained script (no CDN, no build step).
- ``GET /ui/{name}``: the viewer's stylesheet and script.
- ``GET /doc``, ``GET /doc/{doc_id}``: the documents as readable HTML, one anchor per section id.
- ``POST /api/feedback``: 👍/👎 on an answer, stored in SQLite (``feedback.py``).

CORS: only the origins in ``ASCC_ALLOWED_ORIGINS`` (and the bot's own) may call the API
from a browser. The command ``ascc-bot feedback export`` writes the stored feedback out.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
import sqlite3
import sys
from pathlib import Path
from string import Template
from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from swagger_ui_bundle import swagger_ui_path

from .answer_ids import is_issued
from .api import client_address, storage_failure
from .config import Settings
from .engine import Engine
from .feedback import (
    MAX_ANSWER_ID_CHARS,
    MAX_COMMENT_CHARS,
    MAX_QUESTION_CHARS,
    FeedbackError,
    FeedbackStore,
    feedback_path,
    feedback_store,
    parse_feedback,
    write_export,
)
from .ratelimit import RateLimiter, Verdict
from .sections import Document, Section, section_label

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Served under /ui/; the demo page template is rendered, never served raw.
UI_FILES = {"viewer.css": "text/css; charset=utf-8", "viewer.js": "text/javascript; charset=utf-8",
            "pages.css": "text/css; charset=utf-8", "swagger-init.js": "text/javascript; charset=utf-8",
            "demo.css": "text/css; charset=utf-8", "demo.js": "text/javascript; charset=utf-8"}
# Short enough that a fixed widget reaches portals within minutes of a deploy.
ASSET_CACHE = "public, max-age=300"
CORS_METHODS = "GET, POST, OPTIONS"
# Swagger UI for /docs from the swagger-ui-bundle-v2 package (Swagger UI 5, which reads OpenAPI 3.1; the
# original swagger-ui-bundle stops at 4.15, which cannot): served here, so /docs works offline.
SWAGGER_FILES = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8", "swagger-ui.css": "text/css; charset=utf-8",
                 "favicon-32x32.png": "image/png"}
SWAGGER_PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ASCC Bot — tài liệu API</title>
<link rel="stylesheet" href="/ui/swagger/swagger-ui.css">
<link rel="icon" type="image/png" href="/ui/swagger/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/ui/swagger/swagger-ui-bundle.js"></script>
<script src="/ui/swagger-init.js"></script>
</body>
</html>
"""
CORS_HEADERS = "Content-Type, Accept"

log = logging.getLogger(__name__)


class FeedbackRequest(BaseModel):
    """The body of POST /api/feedback, for the OpenAPI schema; ``parse_feedback`` validates it."""

    question: str = Field(..., max_length=MAX_QUESTION_CHARS, description="the question the answer was for")
    answer_id: str = Field(..., max_length=MAX_ANSWER_ID_CHARS, description="`answer_id` from /api/ask")
    rating: Literal["up", "down", 1, -1] = Field(..., description='"up" (👍) or "down" (👎); 1 and -1 also accepted')
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS, description="optional, usually with a 👎")


# ---------------------------------------------------------------- CORS


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class CorsPolicy:
    """Cross-origin calls from the portals in ASCC_ALLOWED_ORIGINS (and from the bot's own pages).
    Pure ASGI, like the other middleware: a response passes through it as the app sent it, its head
    and body back to back, so a replica killed mid-answer never leaves a proxy holding half of one."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.allowed = {o.rstrip("/") for o in settings.allowed_origins}
        if settings.public_url:
            self.allowed.add(_origin(settings.public_url))

    def origin_allowed(self, origin: str, headers: Headers) -> bool:
        if origin in self.allowed:
            return True
        # The demo page and the viewer come from the bot itself: their origin is always allowed.
        # Host alone is compared because a TLS-terminating proxy makes the scheme differ.
        netloc = urlsplit(origin).netloc
        return bool(netloc) and netloc == headers.get("host", "")

    @staticmethod
    def refused(origin: str) -> JSONResponse:
        return JSONResponse({"detail": f"Trang web ở địa chỉ {origin} không được phép gọi trợ lý hỏi đáp. "
                                       "Quản trị viên cần thêm địa chỉ này vào ASCC_ALLOWED_ORIGINS."},
                            status_code=403, headers={"Vary": "Origin"})

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        ok = self.origin_allowed(origin, headers)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            response = self.refused(origin) if not ok else Response(status_code=204, headers={
                "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": CORS_METHODS,
                "Access-Control-Allow-Headers": CORS_HEADERS, "Access-Control-Max-Age": "600", "Vary": "Origin"})
            await response(scope, receive, send)
            return
        # A refused page could still post a form (no preflight): keep it out of the feedback store.
        # The refusal itself is readable by that page (it reveals nothing else), so that the widget
        # can tell its visitors why it cannot answer instead of blaming their network.
        if not ok and scope["path"].startswith("/api/"):
            response = self.refused(origin)
            response.headers["Access-Control-Allow-Origin"] = origin
            await response(scope, receive, send)
            return

        async def send_with_cors(message) -> None:
            if message["type"] == "http.response.start":
                head = MutableHeaders(raw=list(message.get("headers", [])))
                if ok:
                    head["Access-Control-Allow-Origin"] = origin
                    # the widget reads Retry-After to say how long to wait after a 429
                    head["Access-Control-Expose-Headers"] = "Retry-After"
                vary = head.get("vary", "")
                if "origin" not in vary.lower():
                    head["Vary"] = f"{vary}, Origin" if vary else "Origin"
                message = {**message, "headers": head.raw}
            await send(message)

        await self.app(scope, receive, send_with_cors)


def install_cors(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(CorsPolicy, settings=settings)


# ---------------------------------------------------------------- security headers


def _inline_script_hashes() -> tuple[str, ...]:
    """CSP hashes of the inline scripts in the page templates shipped in static/ (trusted files,
    read once): those scripts run; a script injected into a page would not."""
    hashes = []
    for template in sorted(STATIC_DIR.glob("*.html")):
        for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.DOTALL):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return tuple(hashes)


def content_security_policy(settings: Settings) -> str:
    """Scripts from the bot itself only (and the hashed inline scripts of its templates); pages may
    be framed by the bot and by the portals in ASCC_ALLOWED_ORIGINS."""
    own = " ".join(["'self'", *([_origin(settings.public_url)] if settings.public_url else [])])
    ancestors = " ".join(["'self'", *sorted({o.rstrip("/") for o in settings.allowed_origins})])
    return "; ".join([
        "default-src 'self'", f"script-src {own} {' '.join(_inline_script_hashes())}".rstrip(),
        "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", f"connect-src {own}",
        f"frame-ancestors {ancestors}", "base-uri 'none'", "form-action 'self'", "object-src 'none'"])


class SecurityHeaders:
    """Every response gets nosniff; every HTML page (demo, viewer, any page added later) also gets a
    Content-Security-Policy and a Referrer-Policy. Pure ASGI: headers added as the response starts."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.page_headers = [(b"content-security-policy", content_security_policy(settings).encode()),
                             (b"referrer-policy", b"strict-origin-when-cross-origin")]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-content-type-options"]
                headers.append((b"x-content-type-options", b"nosniff"))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers += self.page_headers
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security_headers(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(SecurityHeaders, settings=settings)


# ---------------------------------------------------------------- pages

PAGE = Template("""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/ui/viewer.css">${styles}
</head>
<body>
<header class="bar"><div class="bar-in"><a class="brand" href="/doc">${bar}</a>
<nav class="bar-links" aria-label="Trang cho cán bộ"><a href="/nhiem-vu">Bảng phân công</a>
<a href="/api/calendar.ics" download>Thêm vào lịch</a></nav></div></header>
<main class="${main}">
${body}
</main>
<footer class="foot"><p>Văn bản hiển thị nguyên văn từ kho văn bản của trợ lý hỏi đáp. Bản có giá trị pháp lý là
văn bản do cơ quan ban hành phát hành.</p></footer>
${script}
</body>
</html>
""")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def page(title: str, body: str, script: str = "", bar: str = "Văn bản của trợ lý hỏi đáp ASCC", *,
         styles: tuple[str, ...] = (), main: str = "page") -> str:
    """A page of the bot's own: the bar, the body, the footer; ``styles`` are extra /ui/ stylesheets."""
    links = "".join(f'\n<link rel="stylesheet" href="/ui/{_esc(name)}">' for name in styles)
    return PAGE.substitute(title=_esc(title), body=body, script=script, bar=_esc(bar), styles=links, main=main)


_PLAN_KINDS = ("part", "item")


def _number_text(sec: Section) -> str:
    """The number as the document prints it before the heading ("II.", "6.2.", "Điều 5.")."""
    if not sec.number:
        return ""
    if sec.kind in _PLAN_KINDS:
        return f"{sec.number}."
    return section_label(sec.section_id.split(".")[-1]) + "."


def _section_html(sec: Section) -> str:
    sid = _esc(sec.section_id)
    label = _esc(section_label(sec.section_id))
    level = min(max(sec.depth, 1) + 1, 6)
    number = _number_text(sec)
    if sec.title or number:
        parts = [f'<span class="num">{_esc(number)}</span>'] if number else []
        if sec.title:
            parts.append(f'<span class="title">{_esc(sec.title)}</span>')
        heading = (f'<h{level} class="h">{" ".join(parts)} '
                   f'<a class="sid" href="#{sid}" title="Liên kết đến {label}">{label}</a></h{level}>')
    else:  # preamble and closing have no heading line of their own
        heading = f'<p class="h h-plain"><a class="sid" href="#{sid}" title="Liên kết đến {label}">{label}</a></p>'
    blocks = "\n".join(f'<p class="blk">{_esc(b.text)}</p>' for b in sec.blocks)
    return (f'<section id="{sid}" class="sec kind-{_esc(sec.kind)} depth-{sec.depth}" '
            f'data-label="{label}">\n{heading}\n{blocks}\n</section>')


def render_document(doc: Document) -> str:
    meta = doc.meta
    facts = [v for v in (meta.issuer, meta.kind and meta.number and f"{meta.kind} số {meta.number}",
                         meta.date and f"ngày {meta.date}") if v]
    toc = "\n".join(
        f'<li><a href="#{_esc(s.section_id)}">{_esc(section_label(s.section_id))}'
        f'{" — " + _esc(s.title) if s.title else ""}</a></li>'
        for s in doc.sections if s.depth <= 1 and (s.title or s.blocks))
    body = f"""<article class="doc" data-doc-id="{_esc(doc.doc_id)}">
<p class="kicker">{_esc(meta.short_title)}</p>
<h1>{_esc(meta.title)}</h1>
{f'<p class="meta">{_esc(" · ".join(facts))}</p>' if facts else ""}
<p id="cite-note" class="note" role="status" hidden></p>
<nav class="toc" aria-label="Mục lục"><details open><summary>Mục lục</summary><ol>
{toc}
</ol></details></nav>
<div class="text">
{chr(10).join(_section_html(s) for s in doc.sections)}
</div>
</article>"""
    return page(f"{meta.short_title} — toàn văn", body, '<script src="/ui/viewer.js" defer></script>',
                 meta.short_title)


def _doc_list(engine: Engine) -> str:
    return "\n".join(f'<li><a href="/doc/{_esc(d.doc_id)}">{_esc(d.meta.short_title)}</a>'
                     f'<br><span class="muted">{_esc(d.meta.title)}</span></li>' for d in engine.documents)


def render_not_found(engine: Engine, doc_id: str) -> str:
    body = f"""<article class="doc">
<h1>Không tìm thấy văn bản</h1>
<p>Không có văn bản nào mang mã “{_esc(doc_id)}”. Có thể đường dẫn đã cũ hoặc bị gõ sai.</p>
<h2>Các văn bản hiện có</h2>
<ul class="docs">{_doc_list(engine)}</ul>
</article>"""
    return page("Không tìm thấy văn bản", body)


def render_demo(engine: Engine, base_url: str) -> str:
    """The demo page. ``base_url`` is ASCC_PUBLIC_URL; without it the page embeds the widget by a
    relative URL (never from the request's Host header) and shows the snippet with a placeholder."""
    base = _esc(base_url)
    embedded = f'<script src="{base}/widget.js" data-api="{base}" defer></script>' if base \
        else '<script src="/widget.js" defer></script>'
    shown = base or "https://BOT-HOST"
    snippet = f'<script src="{shown}/widget.js" data-api="{shown}" defer></script>'
    doc = engine.documents[0] if engine.documents else None
    parts = "".join(
        f'<li><a href="/doc/{_esc(doc.doc_id)}#{_esc(s.section_id)}">{_esc(section_label(s.section_id))}</a>: '
        f'{_esc(s.title.capitalize())}</li>'
        for s in (doc.sections if doc else ()) if s.kind == "part")
    template = Template((STATIC_DIR / "demo.html").read_text(encoding="utf-8"))
    return template.substitute(
        snippet=embedded,
        # the shown copy is the same string, escaped once more so it reads as code
        snippet_code=_esc(snippet),
        doc_title=_esc(doc.meta.title if doc else "Kế hoạch ASCC Hải Phòng"),
        doc_issuer=_esc(doc.meta.issuer if doc else ""),
        doc_url=f"/doc/{_esc(doc.doc_id)}" if doc else "/doc",
        parts=parts)


# ---------------------------------------------------------------- the door


def router(engine: Engine, settings: Settings, store: FeedbackStore) -> APIRouter:
    routes = APIRouter()

    @routes.get("/", response_class=HTMLResponse, include_in_schema=False)
    def demo() -> HTMLResponse:
        return HTMLResponse(render_demo(engine, settings.public_url))

    @routes.get("/widget.js", include_in_schema=False)
    def widget() -> FileResponse:
        return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": ASSET_CACHE})

    @routes.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(SWAGGER_PAGE)

    @routes.get("/ui/swagger/{name}", include_in_schema=False)
    def swagger_file(name: str) -> FileResponse:
        if name not in SWAGGER_FILES:
            raise HTTPException(404, "Không có tệp này.")
        return FileResponse(Path(swagger_ui_path) / name, media_type=SWAGGER_FILES[name],
                            headers={"Cache-Control": ASSET_CACHE})

    @routes.get("/ui/{name}", include_in_schema=False)
    def ui_file(name: str) -> FileResponse:
        if name not in UI_FILES:
            raise HTTPException(404, "Không có tệp này.")
        return FileResponse(STATIC_DIR / name, media_type=UI_FILES[name], headers={"Cache-Control": ASSET_CACHE})

    @routes.get("/doc", response_class=HTMLResponse, include_in_schema=False)
    def doc_index() -> HTMLResponse:
        body = f'<article class="doc"><h1>Các văn bản</h1><ul class="docs">{_doc_list(engine)}</ul></article>'
        return HTMLResponse(page("Các văn bản", body))

    @routes.get("/doc/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def doc_view(doc_id: str) -> HTMLResponse:
        doc = engine.document(doc_id)
        if doc is None:
            return HTMLResponse(render_not_found(engine, doc_id), status_code=404)
        return HTMLResponse(render_document(doc))

    limiter = RateLimiter(settings.feedback_rate_limit_per_minute) \
        if settings.feedback_rate_limit_per_minute > 0 else None

    @routes.post("/api/feedback", summary="Đánh giá một câu trả lời (👍/👎, kèm nhận xét nếu có)",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": FeedbackRequest.model_json_schema()}}}})
    async def feedback(request: Request) -> dict:
        client = client_address(request)
        if limiter is not None and limiter.check(client) is not Verdict.ALLOW:
            wait = limiter.retry_after(client)
            raise HTTPException(429, f"Bạn gửi góp ý quá nhanh. Xin đợi khoảng {wait} giây rồi gửi tiếp.",
                                headers={"Retry-After": str(wait)})
        # Parsed by hand so that every problem gets a plain Vietnamese `detail`.
        try:
            data = await request.json()
        except ValueError as exc:
            raise HTTPException(422, "Góp ý không hợp lệ: nội dung không phải JSON hợp lệ.") from exc
        try:
            item = parse_feedback(data)
        except FeedbackError as exc:
            raise HTTPException(422, str(exc)) from exc
        # the engine signed the ids it issued (its settings hold the key)
        if not is_issued(engine.settings, item.answer_id):
            raise HTTPException(422, "Góp ý không hợp lệ: 'answer_id' không phải mã của một câu trả lời do trợ lý "
                                     "đưa ra; hãy gửi đúng 'answer_id' nhận được từ /api/ask.")
        try:
            row_id = await run_in_threadpool(store.add_feedback, item)
        except (sqlite3.Error, OSError) as exc:
            failure = storage_failure(exc, store.path.parent if store.path else None)
            if failure is None:
                raise
            log.warning("feedback not stored: %s", exc)
            raise HTTPException(failure[0], failure[1]) from exc
        return {"status": "ok", "id": row_id}

    return routes


# ---------------------------------------------------------------- command line


def cmd_feedback_export(args, settings: Settings) -> int:
    stored = settings.database_url or feedback_path(settings.data_dir).exists()  # no file: nothing to create
    rows = feedback_store(settings).rows(args.kind) if stored else []
    if not args.output:
        write_export(rows, args.format, sys.stdout)
        return 0
    # Officials open CSV in Excel, which reads UTF-8 Vietnamese correctly only with a BOM.
    encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
    with open(args.output, "w", encoding=encoding, newline="") as out:
        count = write_export(rows, args.format, out)
    print(f"Đã xuất {count} dòng vào {args.output}", file=sys.stderr)
    return 0
