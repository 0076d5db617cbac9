"""Corpus files on disk: the manifest and the raw text of each document."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .text import clean_line

MANIFEST = "manifest.json"


class CorpusError(RuntimeError):
    """The corpus cannot be read; the message says which file and what to do."""


@dataclass(frozen=True)
class DocumentMeta:
    doc_id: str
    file: str
    short_title: str
    title: str
    issuer: str = ""
    kind: str = ""
    number: str = ""
    date: str = ""
    implements: str = ""


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based line number in the source file
    text: str  # cleaned: NFC, NBSP/tabs as spaces, trimmed


@dataclass(frozen=True)
class RawDocument:
    meta: DocumentMeta
    lines: tuple[SourceLine, ...]  # non-blank lines only
    sha256: str


def read_manifest(corpus_dir: Path) -> list[DocumentMeta]:
    path = corpus_dir / MANIFEST
    if not path.is_file():
        raise CorpusError(f"Thiếu tệp {path}: thư mục kho văn bản (ASCC_CORPUS_DIR) chưa đúng.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [DocumentMeta(**{k: unicodedata.normalize("NFC", v) for k, v in d.items()})
                for d in data["documents"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"Tệp {path} không hợp lệ: {exc}") from exc


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16; CRLF/CR become LF; NFD becomes NFC."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def load_document(corpus_dir: Path, meta: DocumentMeta) -> RawDocument:
    path = corpus_dir / meta.file
    if not path.is_file():
        raise CorpusError(f"Thiếu tệp văn bản {path} (doc_id '{meta.doc_id}') được khai trong {MANIFEST}.")
    data = path.read_bytes()
    lines = tuple(SourceLine(i, clean) for i, raw in enumerate(decode_text(data).split("\n"), start=1)
                  if (clean := clean_line(raw)))
    if not lines:
        raise CorpusError(f"Tệp {path} không có nội dung.")
    return RawDocument(meta=meta, lines=lines, sha256=hashlib.sha256(data).hexdigest())


def load_corpus(corpus_dir: Path) -> list[RawDocument]:
    """The documents of one folder (its manifest); the served corpus is ``corpus_store.load``."""
    return [load_document(corpus_dir, meta) for meta in read_manifest(corpus_dir)]


def corpus_fingerprint(docs: list[RawDocument]) -> str:
    """Changes whenever any document's bytes or metadata change: the index's staleness key."""
    h = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.meta.doc_id):
        h.update(json.dumps(doc.meta.__dict__, sort_keys=True, ensure_ascii=False).encode())
        h.update(doc.sha256.encode())
    return h.hexdigest()
