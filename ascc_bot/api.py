"""HTTP API (docs/api.md): a thin door over the engine."""

from __future__ import annotations

import errno
import json
import logging
import shutil
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from . import __version__
from .config import Settings
from .engine import Engine, QuestionError
from .models import Answer
from .ratelimit import Verdict, make_rate_limiter
from .sections import section_label

MAX_BODY_BYTES = 64 * 1024

log = logging.getLogger(__name__)

AnswerHook = Callable[[str, str, Answer], None]  # (channel, question as typed, answer)


class _BodyTooLarge(Exception):
    """Raised into the app by the counting ``receive`` once a body passes its limit."""


class BodyLimit:
    """Refuses a body over its route's limit (413) as the bytes arrive, chunked bodies included:
    ``Content-Length`` is checked first, then every received chunk is counted, so no route ever
    reads more than its limit. The connection is closed after the 413 rather than drained."""

    def __init__(self, app, limits: Mapping[str, int], default: int) -> None:
        self.app, self.limits, self.default = app, dict(limits), default

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if length is not None and length.isdigit() and int(length) > limit:
            await _refuse_body(send, limit)
            return
        received = 0
        refused = started = False

        async def counted_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message) -> None:
            nonlocal started
            if refused:  # the route's own reply to the interrupted read gives way to the 413
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _BodyTooLarge:
            pass
        except Exception:
            if not refused:
                raise
        if refused and not started:
            await _refuse_body(send, limit)


async def _refuse_body(send, limit: int) -> None:
    body = json.dumps({"detail": f"Nội dung yêu cầu quá lớn (tối đa {limit} byte)."}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class AskRequest(BaseModel):
    question: str = Field(..., description="1–1000 ký tự sau khi bỏ khoảng trắng đầu cuối")
    session_id: str | None = Field(None, max_length=200)
    # Only the web channels: a client cannot pose as a chat bot in the question log.
    channel: Literal["api", "widget"] = Field("api", description='"widget" when the embedded widget asks')


class Problem(BaseModel):
    """Every 4xx and 5xx reply: one plain Vietnamese sentence saying what is wrong."""

    detail: str = Field(..., description="điều gì chưa đúng, bằng tiếng Việt")


# Documented on every operation, so that clients (and schemathesis) know the error shape.
ERROR_RESPONSES = {
    "413": "nội dung yêu cầu quá lớn", "422": "yêu cầu không hợp lệ", "429": "gửi quá nhanh (kèm Retry-After)",
    "500": "lỗi ngoài dự kiến của máy chủ", "503": "kho lưu trữ đang bận", "507": "máy chủ hết chỗ lưu trữ",
}


def _document_errors(app: FastAPI) -> None:
    """FastAPI documents 422 as its own list of validation errors; this API answers ``{"detail": "…"}``
    for every error, so the schema says so."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.pop("HTTPValidationError", None)
            components.pop("ValidationError", None)
            components["Problem"] = Problem.model_json_schema()
            problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    responses = operation.setdefault("responses", {})
                    for status, what in ERROR_RESPONSES.items():
                        responses[status] = {"description": what, "content": problem}
        return app.openapi_schema

    app.openapi = openapi


class CitationOut(BaseModel):
    doc_id: str
    section_id: str
    heading: str
    label: str
    quote: str
    url: str


class AskResponse(BaseModel):
    answer: str
    answerable: bool
    intent: str
    citations: list[CitationOut]
    confidence: float
    answer_id: str
    lang: str
    suggestions: list[str] = Field(default_factory=list, description="câu hỏi tiếp theo gợi ý, cùng nhiệm vụ/cơ quan")


DISK_FULL = "Máy chủ hết chỗ lưu trữ nên chưa ghi được; chưa có gì bị thay đổi. Xin báo quản trị viên."
STORE_BUSY = "Kho lưu góp ý đang bận; chưa ghi được. Xin thử lại sau vài giây."
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def storage_failure(exc: BaseException, where: Path | None = None) -> tuple[int, str] | None:
    """(status, detail) when ``exc`` is the disk or the database refusing a write; None otherwise.
    SQLite reports some writes on a full disk as an I/O error: ``where`` (the store's folder) tells."""
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
        return 507, DISK_FULL
    if isinstance(exc, sqlite3.OperationalError):
        name = getattr(exc, "sqlite_errorname", "")
        if name == "SQLITE_FULL":
            return 507, DISK_FULL
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return 503, STORE_BUSY
        if name.startswith("SQLITE_IOERR") and where is not None and _nearly_full(where):
            return 507, DISK_FULL
    return None


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def client_address(request: Request) -> str:
    """The address limits are counted by: the forwarded client when the peer is one of the proxies in
    ASCC_TRUSTED_PROXIES (``ops.RequestObserver`` rewrites it), otherwise the connecting peer."""
    return request.client.host if request.client else "?"


def create_app(engine: Engine, settings: Settings | None = None, *, on_answer: AnswerHook | None = None,
               body_limits: Mapping[str, int] | None = None) -> FastAPI:
    """The core API. ``on_answer`` sees every answer (the question log); ``body_limits``
    raises the body limit for the routes that take uploads. Other doors are added by ``server.py``."""
    settings = settings or engine.settings
    limits = dict(body_limits or {})
    # /docs is served by the web door from local Swagger UI files (no CDN); ReDoc has no local bundle
    app = FastAPI(title="ASCC Bot", version=__version__, docs_url=None, redoc_url=None,
                  description="Hỏi đáp về Kế hoạch thực hiện mục tiêu Cộng đồng Văn hóa - Xã hội ASEAN "
                              "của thành phố Hải Phòng, có trích dẫn mục.")

    app.add_middleware(BodyLimit, limits=limits, default=MAX_BODY_BYTES)
    _document_errors(app)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        # every failure still answers JSON with a `detail`, never a plain-text "Internal Server Error"
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        status, detail = storage_failure(exc) or (500, "Máy chủ gặp lỗi ngoài dự kiến; lỗi đã được ghi lại. "
                                                       "Xin thử lại sau ít phút.")
        return JSONResponse({"detail": detail}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            if err.get("type") == "json_invalid":
                problems.append("JSON không hợp lệ")
            elif err.get("type") == "missing":
                problems.append(f"thiếu trường '{where}'")
            elif err.get("type") == "string_type":
                problems.append(f"trường '{where}' phải là chuỗi ký tự")
            elif err.get("type") == "literal_error":
                allowed = str((err.get("ctx") or {}).get("expected", "")).replace(" or ", ", ")
                problems.append(f"trường '{where}' chỉ nhận {allowed}")
            else:
                problems.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        return JSONResponse({"detail": "Yêu cầu không hợp lệ: " + "; ".join(problems) + "."}, status_code=422)

    @app.get("/healthz")
    async def healthz() -> dict:  # on the event loop: it answers even when every worker thread is busy
        return {"status": "ok", "documents": len(engine.documents), "chunks": engine.chunk_count,
                "encoder": engine.index_manifest.get("encoder", ""), "version": __version__}

    limiter = make_rate_limiter(settings, settings.api_rate_limit_per_minute, "api") \
        if settings.api_rate_limit_per_minute > 0 else None

    @app.post("/api/ask", response_model=AskResponse)
    async def ask(req: AskRequest, request: Request) -> dict:
        client = client_address(request)
        # off the event loop: with Redis the check is a network round trip
        if limiter is not None and await run_in_threadpool(limiter.check, client) is not Verdict.ALLOW:
            wait = await run_in_threadpool(limiter.retry_after, client)
            raise HTTPException(429, f"Bạn hỏi quá nhanh. Xin đợi khoảng {wait} giây rồi hỏi tiếp.",
                                headers={"Retry-After": str(wait)})
        # the web's sessions live under "web:": a client-sent "telegram:777" cannot reach a chat's context
        session = f"web:{req.session_id}" if req.session_id else None
        try:
            answer = await run_in_threadpool(engine.ask, req.question, session)
        except QuestionError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        if on_answer is not None:
            on_answer(req.channel, req.question, answer)
        return jsonable_encoder(answer.to_dict())

    @app.get("/api/search")
    async def search(q: str = Query(..., max_length=1000), k: int = Query(5, ge=1, le=50)) -> list[dict]:
        try:
            results = await run_in_threadpool(engine.search, q, k)
        except QuestionError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        return [r.__dict__ for r in results]

    @app.get("/api/documents")
    def documents() -> list[dict]:
        return [{**d.meta.__dict__, "sections": len(d.sections), "layout": d.layout} for d in engine.documents]

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: str) -> dict:
        doc = engine.document(doc_id)
        if doc is None:
            raise HTTPException(404, f"Không có văn bản '{doc_id}'.")
        return {**doc.meta.__dict__, "sections": [
            {"section_id": s.section_id, "label": section_label(s.section_id), "title": s.title,
             "parent_id": s.parent_id} for s in doc.sections]}

    @app.get("/api/documents/{doc_id}/sections/{section_id}")
    def section(doc_id: str, section_id: str) -> dict:
        doc = engine.document(doc_id)
        if doc is None:
            raise HTTPException(404, f"Không có văn bản '{doc_id}'.")
        sec = doc.section(section_id)
        if sec is None:
            raise HTTPException(404, f"Văn bản '{doc_id}' không có mục '{section_id}'. "
                                     f"Xem danh sách mục tại /api/documents/{doc_id}.")
        return {"doc_id": doc_id, "section_id": section_id, "label": section_label(section_id),
                "heading": f"{doc.meta.short_title}, {section_label(section_id)}", "title": sec.title,
                "text": sec.text, "blocks": [b.text for b in sec.blocks],
                "children": [c.section_id for c in doc.children(section_id)], "parent_id": sec.parent_id}

    return app
