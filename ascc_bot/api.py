"""HTTP API (docs/API.md): a thin door over the engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping

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

AnswerHook = Callable[[str, Answer], None]


class AskRequest(BaseModel):
    question: str = Field(..., description="1–1000 ký tự sau khi bỏ khoảng trắng đầu cuối")
    session_id: str | None = Field(None, max_length=200)


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


def create_app(engine: Engine, settings: Settings | None = None, *, on_answer: AnswerHook | None = None,
               body_limits: Mapping[str, int] | None = None) -> FastAPI:
    """The core API. ``on_answer`` sees every answer (the unanswered-question log); ``body_limits``
    raises the body limit for the routes that take uploads. Other doors are added by ``server.py``."""
    settings = settings or engine.settings
    limits = dict(body_limits or {})
    app = FastAPI(title="ASCC Bot", version=__version__,
                  description="Hỏi đáp về Kế hoạch thực hiện mục tiêu Cộng đồng Văn hóa - Xã hội ASEAN "
                              "của thành phố Hải Phòng, có trích dẫn mục.")

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        limit = limits.get(request.url.path, MAX_BODY_BYTES)
        if length and length.isdigit() and int(length) > limit:
            return JSONResponse({"detail": f"Nội dung yêu cầu quá lớn (tối đa {limit} byte)."}, status_code=413)
        return await call_next(request)

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
        client = request.client.host if request.client else "?"
        # off the event loop: with Redis the check is a network round trip
        if limiter is not None and await run_in_threadpool(limiter.check, client) is not Verdict.ALLOW:
            wait = await run_in_threadpool(limiter.retry_after, client)
            raise HTTPException(429, f"Bạn hỏi quá nhanh. Xin đợi khoảng {wait} giây rồi hỏi tiếp.",
                                headers={"Retry-After": str(wait)})
        try:
            answer = await run_in_threadpool(engine.ask, req.question, req.session_id)
        except QuestionError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        if on_answer is not None:
            on_answer(req.question, answer)
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
