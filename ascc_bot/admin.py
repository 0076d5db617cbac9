"""The admin door: officials add and remove documents, over HTTP or from the command line.

HTTP routes exist only when ``ASCC_ADMIN_TOKEN`` is set (otherwise they answer 404)
and need ``Authorization: Bearer <token>``. While a document is read and encoded the
server keeps answering from its current snapshot; ``engine.reload()`` then swaps in
the new corpus and index in one step. A change whose reload fails is undone.
"""

from __future__ import annotations

import hmac
import json
import sys
from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from .config import Settings
from .corpus import read_manifest
from .engine import Engine
from .ingest import (
    MAX_BYTES,
    Change,
    IngestError,
    corpus_lock,
    describe,
    ingest_bytes,
    ingest_path,
    remove_document,
    undo,
)
from .sections import section_label

DOCUMENTS_PATH = "/api/admin/documents"
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and the small form fields around the file


def apply_change(engine: Engine, change_corpus: Callable[[], Change]) -> Change:
    """Change the corpus and reload the engine, as one step for other writers."""
    corpus_dir = engine.settings.corpus_dir
    with corpus_lock(corpus_dir):
        change = change_corpus()
        if change.changed:
            try:
                engine.reload()
            except Exception:
                undo(corpus_dir, change)
                raise
        return change


def change_report(change: Change, engine: Engine) -> dict:
    meta = change.meta
    out = {"status": change.status, **meta.__dict__, "message": describe(change)}
    if change.document is not None:
        out["format"] = change.fmt
        out["layout"] = change.document.layout
        out["sections"] = [{"section_id": s.section_id, "label": section_label(s.section_id), "title": s.title}
                           for s in change.document.sections]
    manifest = engine.index_manifest
    out["index"] = {"documents": manifest.get("documents", []), "encoded_chunks": manifest.get("encoded_chunks"),
                    "reused_documents": manifest.get("reused_documents", [])}
    return out


_UPLOAD_SCHEMA = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": ".docx, .pdf có lớp chữ, .html, .txt, .md"},
        "doc_id": {"type": "string"}, "title": {"type": "string"}, "short_title": {"type": "string"}}}}}}}


# The upload route takes a file, not a question: its own body limit.
BODY_LIMITS = {DOCUMENTS_PATH: MAX_BYTES + MULTIPART_OVERHEAD}


def router(engine: Engine, settings: Settings) -> APIRouter | None:
    """The admin routes, or None when no token is configured (then they do not exist: 404)."""
    if not settings.admin_token:
        return None
    routes = APIRouter()
    expected = settings.admin_token.encode()

    def authorize(request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
            raise HTTPException(401, "Cần mã quản trị hợp lệ: Authorization: Bearer <ASCC_ADMIN_TOKEN>.",
                                headers={"WWW-Authenticate": "Bearer"})

    async def run(change_corpus: Callable[[], Change]) -> Change:
        try:
            return await run_in_threadpool(apply_change, engine, change_corpus)
        except IngestError as exc:
            raise HTTPException(exc.status, str(exc)) from exc

    @routes.post(DOCUMENTS_PATH, status_code=201, openapi_extra=_UPLOAD_SCHEMA, tags=["admin"])
    async def add_document(request: Request, response: Response) -> dict:
        """Add or replace a document (multipart field ``file``); 200 when its text is already there."""
        authorize(request)  # before reading the body
        if not request.headers.get("content-length"):
            raise HTTPException(411, "Cần header Content-Length cho tệp tải lên.")
        try:
            form = await request.form(max_files=1, max_fields=8)
        except Exception as exc:  # starlette's MultiPartException, or a body that is not a form
            raise HTTPException(400, f"Yêu cầu phải là multipart/form-data có trường 'file': {exc}") from exc
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(400, "Thiếu tệp: gửi tệp trong trường 'file' (multipart/form-data).")
        data = await upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise HTTPException(413, f"Tệp quá lớn; tối đa {MAX_BYTES // 1024 // 1024} MB.")
        fields = {k: v.strip() for k in ("doc_id", "title", "short_title")
                  if isinstance(v := form.get(k), str) and v.strip()}
        change = await run(lambda: ingest_bytes(settings.corpus_dir, data, upload.filename or "", **fields))
        if not change.changed:
            response.status_code = 200
        return change_report(change, engine)

    @routes.delete(DOCUMENTS_PATH + "/{doc_id}", tags=["admin"])
    async def delete_document(doc_id: str, request: Request) -> dict:
        authorize(request)
        return change_report(await run(lambda: remove_document(settings.corpus_dir, doc_id)), engine)

    @routes.post("/api/admin/reload", tags=["admin"])
    async def reload(request: Request) -> dict:
        """Serve what is on disk now (after ``ascc-bot ingest`` on the server's corpus)."""
        authorize(request)

        def locked_reload():
            with corpus_lock(settings.corpus_dir):
                return engine.reload()

        snap = await run_in_threadpool(locked_reload)
        return {"documents": [d.doc_id for d in snap.documents], "chunks": len(snap.index.chunks)}

    return routes


# ---------------------------------------------------------------- command line

def cmd_ingest(args, settings: Settings) -> int:
    if args.doc_id and len(args.files) > 1:
        print("Lỗi: --doc-id chỉ dùng khi thêm một tệp.", file=sys.stderr)
        return 2
    overrides = {k: v for k in ("doc_id", "title", "short_title") if (v := getattr(args, k))}
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    with corpus_lock(settings.corpus_dir):
        changed = False
        for path in args.files:
            try:
                change = ingest_path(settings.corpus_dir, path, **overrides)
            except IngestError as exc:
                print(f"Lỗi: {path}: {exc}", file=sys.stderr)
                failed = True
                continue
            print(describe(change))
            changed |= change.changed
        if changed:
            _rebuild(settings)
    return 2 if failed else 0


def cmd_remove(args, settings: Settings) -> int:
    with corpus_lock(settings.corpus_dir):
        try:
            change = remove_document(settings.corpus_dir, args.doc_id)
        except IngestError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 2
        print(describe(change))
        _rebuild(settings)
    return 0


def _rebuild(settings: Settings) -> None:
    """Bring the index up to date: only new or changed documents are encoded."""
    manifest = Engine(settings).index_manifest
    reused = ", ".join(manifest.get("reused_documents", [])) or "(không)"
    print(f"Chỉ mục: {manifest['chunks']} đoạn, mã hóa mới {manifest.get('encoded_chunks')} đoạn, "
          f"dùng lại vectơ của: {reused}. Máy chủ đang chạy: gọi POST /api/admin/reload hoặc khởi động lại.")


def cmd_documents(args, settings: Settings) -> int:
    from .corpus import load_document
    from .sections import parse_document

    rows = []
    for meta in read_manifest(settings.corpus_dir):
        doc = parse_document(load_document(settings.corpus_dir, meta))
        rows.append({**meta.__dict__, "layout": doc.layout, "sections": len(doc.sections)})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        said = (r["kind"], r["number"] and f"số {r['number']}", r["date"] and f"ngày {r['date']}", r["issuer"])
        facts = " · ".join(x for x in said if x)
        print(f"{r['doc_id']}\n  {r['short_title']} — {facts}\n  tệp {r['file']}, bố cục {r['layout']}, "
              f"{r['sections']} mục (xem: ascc-bot sections {r['doc_id']})")
    return 0
