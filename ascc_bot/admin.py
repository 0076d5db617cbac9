"""The admin door: officials add and remove documents, over HTTP or from the command line.

HTTP routes exist only when ``ASCC_ADMIN_TOKEN`` is set (otherwise they answer 404)
and need ``Authorization: Bearer <token>``. A change is made all-or-nothing by
``corpus_store.apply`` (staged, indexed, then committed); while a document is read and
encoded the server keeps answering from its current snapshot, and ``engine.reload()``
then swaps in the new corpus and index in one step. A running server also notices a
change made by ``ascc-bot ingest`` by itself (``corpus_store.watch_router``).
"""

from __future__ import annotations

import hmac
import json
import sys
from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from . import corpus_store
from .config import Settings
from .corpus import DocumentMeta
from .corpus_store import Staging, StoreError
from .engine import Engine
from .ingest import MAX_BYTES, Change, IngestError, describe, ingest_bytes, read_file, remove_document
from .sections import section_label

DOCUMENTS_PATH = "/api/admin/documents"
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and the small form fields around the file


def apply_change(engine: Engine, change_corpus: Callable[[Staging], Change]) -> Change:
    """Change the corpus with its index, all-or-nothing, then serve it."""
    change = corpus_store.apply(engine.settings, engine.encoder, change_corpus)
    if change.changed:
        engine.reload()
    return change


def change_report(change: Change, engine: Engine) -> dict:
    meta = change.meta
    out = {"status": change.status, **meta.__dict__, "message": describe(change)}
    if change.document is not None:
        out["format"] = change.fmt
        out["layout"] = change.document.layout
        out["sections"] = [{"section_id": s.section_id, "label": section_label(s.section_id), "title": s.title}
                           for s in change.document.sections]
    manifest = change.index or engine.index_manifest
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

    async def run(change_corpus: Callable[[Staging], Change]) -> Change:
        try:
            return await run_in_threadpool(apply_change, engine, change_corpus)
        except (IngestError, StoreError) as exc:
            raise HTTPException(exc.status, str(exc)) from exc

    @routes.post(DOCUMENTS_PATH, status_code=201, openapi_extra=_UPLOAD_SCHEMA, tags=["admin"])
    async def add_document(request: Request, response: Response) -> dict:
        """Add or replace a document (multipart field ``file``); 200 when its text is already there."""
        authorize(request)  # before reading the body
        if not request.headers.get("content-length"):
            raise HTTPException(411, "Cần header Content-Length cho tệp tải lên.")
        try:
            form = await request.form(max_files=1, max_fields=8)
        except HTTPException:
            raise
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
        change = await run(lambda stage: ingest_bytes(stage, data, upload.filename or "", **fields))
        if not change.changed:
            response.status_code = 200
        return change_report(change, engine)

    @routes.delete(DOCUMENTS_PATH + "/{doc_id}", tags=["admin"])
    async def delete_document(doc_id: str, request: Request) -> dict:
        authorize(request)
        return change_report(await run(lambda stage: remove_document(stage, doc_id)), engine)

    @routes.post("/api/admin/reload", tags=["admin"])
    async def reload(request: Request) -> dict:
        """Serve what is on disk now (a server also notices a CLI ingest by itself within seconds); with a
        shared database, every replica looks again too (a new corpus version)."""
        authorize(request)
        try:
            await run_in_threadpool(corpus_store.announce_reload, settings)
        except StoreError as exc:
            raise HTTPException(exc.status, str(exc)) from exc
        snap = await run_in_threadpool(engine.reload)
        return {"documents": [d.doc_id for d in snap.documents], "chunks": len(snap.index.chunks)}

    return routes


# ---------------------------------------------------------------- command line

def cmd_ingest(args, settings: Settings) -> int:
    if args.doc_id and len(args.files) > 1:
        print("Lỗi: --doc-id chỉ dùng khi thêm một tệp.", file=sys.stderr)
        return 2
    overrides = {k: v for k in ("doc_id", "title", "short_title") if (v := getattr(args, k))}
    readable = []
    failed = False
    for path in args.files:
        try:
            readable.append((path, read_file(path)))
        except IngestError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            failed = True
    changes: list[Change] = []

    def add_all(stage: Staging) -> Change:
        nonlocal failed
        for path, data in readable:
            try:
                change = ingest_bytes(stage, data, path.name, **overrides)
            except IngestError as exc:
                print(f"Lỗi: {path}: {exc}", file=sys.stderr)
                failed = True
                continue
            print(describe(change))
            changes.append(change)
        # one commit for every file given: the first change that changed anything stands for them
        return next((c for c in changes if c.changed), None) or Change("unchanged", DocumentMeta("", "", "", ""))

    if readable:
        try:
            change = _apply_from_cli(settings, add_all)
        except StoreError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 2
        if change.changed:
            _report_index(change)
    return 2 if failed else 0


def cmd_remove(args, settings: Settings) -> int:
    try:
        change = _apply_from_cli(settings, lambda stage: remove_document(stage, args.doc_id))
    except (IngestError, StoreError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    print(describe(change))
    _report_index(change)
    return 0


def _apply_from_cli(settings: Settings, change_corpus: Callable[[Staging], Change]) -> Change:
    from .encoders import make_encoder

    return corpus_store.apply(settings, make_encoder(settings.encoder), change_corpus, progress=True)


def _report_index(change: Change) -> None:
    manifest = change.index
    reused = ", ".join(manifest.get("reused_documents", [])) or "(không)"
    print(f"Chỉ mục: {manifest['chunks']} đoạn, mã hóa mới {manifest.get('encoded_chunks')} đoạn, "
          f"dùng lại vectơ của: {reused}. Máy chủ đang chạy sẽ tự nạp văn bản mới trong vài giây.")


def cmd_documents(args, settings: Settings) -> int:
    from .corpus import load_document
    from .sections import parse_document

    rows = []
    corpus_store.sync(settings)  # the documents added through any replica, with a shared database
    for meta, folder in corpus_store.entries(settings):
        doc = parse_document(load_document(folder, meta))
        local = folder != settings.corpus_dir
        rows.append({**meta.__dict__, "layout": doc.layout, "sections": len(doc.sections), "local": local})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        said = (r["kind"], r["number"] and f"số {r['number']}", r["date"] and f"ngày {r['date']}", r["issuer"])
        facts = " · ".join(x for x in said if x)
        where = "thêm tại máy chủ" if r["local"] else "đi kèm dự án"
        print(f"{r['doc_id']}\n  {r['short_title']} — {facts}\n  tệp {r['file']} ({where}), bố cục {r['layout']}, "
              f"{r['sections']} mục (xem: ascc-bot sections {r['doc_id']})")
    return 0
