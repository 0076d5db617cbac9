"""The engine every door calls: load once, then ``ask`` / ``search`` / sections.

The corpus, facts, vocabulary and index live in one immutable snapshot that is
swapped whole on reload, so a question never sees a half-updated corpus.
"""

from __future__ import annotations

import re
import sys
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, replace

from .answer import Composer
from .config import Settings
from .corpus import CorpusError, corpus_fingerprint, load_corpus
from .encoders import Encoder, make_encoder
from .facts import Facts, extract_facts
from .index import IndexError_, SearchIndex, build_index, load_index
from .models import Answer, SearchResult
from .retrieve import Retriever
from .sections import Document, Section, parse_document, section_label
from .text import fold
from .understand import SessionState, Vocabulary, build_vocabulary, understand


class QuestionError(ValueError):
    """A question the engine cannot take (empty, too long); the message is for the user."""


@dataclass(frozen=True)
class Snapshot:
    documents: tuple[Document, ...]
    facts: Facts
    vocab: Vocabulary
    index: SearchIndex
    retriever: Retriever
    fingerprint: str
    parts: dict[str, str]  # Roman part -> its folded heading, for "phần giải pháp"

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


class Sessions:
    """Bounded, expiring memory of the last turn per session (chat id, widget session…)."""

    def __init__(self, max_sessions: int = 10_000, ttl_s: float = 3600.0) -> None:
        self._data: OrderedDict[str, tuple[float, SessionState]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_sessions, self.ttl_s = max_sessions, ttl_s

    def get(self, session_id: str | None) -> SessionState | None:
        if not session_id:
            return None
        with self._lock:
            item = self._data.get(session_id)
            if item is None or time.monotonic() - item[0] > self.ttl_s:
                self._data.pop(session_id, None)
                return None
            return item[1]

    def put(self, session_id: str | None, state: SessionState) -> None:
        if not session_id:
            return
        with self._lock:
            self._data[session_id] = (time.monotonic(), state)
            self._data.move_to_end(session_id)
            while len(self._data) > self.max_sessions:
                self._data.popitem(last=False)


class Engine:
    def __init__(self, settings: Settings | None = None, encoder: Encoder | None = None,
                 progress: bool = True, log=None) -> None:
        self.settings = settings or Settings.from_env()
        self.encoder = encoder or make_encoder(self.settings.encoder)
        self.progress = progress
        self.log = log or (lambda msg: print(msg, file=sys.stderr))
        self.sessions = Sessions()
        self._lock = threading.Lock()
        self.snapshot = self._load()

    # ------------------------------------------------------------ loading

    def _load(self) -> Snapshot:
        settings = self.settings
        raws = load_corpus(settings.corpus_dir)
        docs = tuple(parse_document(r) for r in raws)
        fingerprint = corpus_fingerprint(raws)
        granularity = settings.granularity
        try:
            index = load_index(settings.index_dir, fingerprint, self.encoder.id, granularity)
        except IndexError_ as why:
            self.log(f"{why} Đang xây lại chỉ mục trong {settings.index_dir} …")
            index = build_index(list(docs), self.encoder, settings.index_dir, fingerprint, granularity,
                                progress=self.progress)
        facts = extract_facts(list(docs))
        vocab = build_vocabulary(list(docs), facts)
        retriever = Retriever(index, self.encoder, settings.retrieval, settings.fusion)
        parts = {s.section_id: " ".join(re.findall(r"\w+", fold(s.title)))
                 for d in docs for s in d.sections if s.kind == "part"}
        return Snapshot(docs, facts, vocab, index, retriever, fingerprint, parts)

    def reload(self) -> Snapshot:
        """Re-read the corpus (after an ingest) and swap the snapshot in one step."""
        with self._lock:
            snap = self._load()
            self.snapshot = snap
            return snap

    # ------------------------------------------------------------ questions

    def ask(self, question: str, session_id: str | None = None) -> Answer:
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("Câu hỏi trống: hãy nhập nội dung cần hỏi.")
        if len(question.strip()) > self.settings.max_question_chars:
            raise QuestionError(f"Câu hỏi quá dài (tối đa {self.settings.max_question_chars} ký tự).")
        snap = self.snapshot
        q = understand(question, snap.vocab, snap.facts, snap.parts, restore=self.settings.restore_diacritics)
        session = self.sessions.get(session_id)
        composer = Composer(snap, self.settings.public_url)
        answer, state = composer.answer(q, session)
        self.sessions.put(session_id, state)
        return replace(answer, answer_id=uuid.uuid4().hex[:16])

    def search(self, query: str, k: int = 5) -> list[SearchResult]:
        if not query.strip():
            raise QuestionError("Từ khóa tìm kiếm trống.")
        snap = self.snapshot
        composer = Composer(snap, self.settings.public_url)
        out: list[SearchResult] = []
        for sec_hit in composer.rank_sections(composer.hits_for_text(query))[:k]:
            doc, sec = sec_hit.doc, sec_hit.section
            out.append(SearchResult(doc.doc_id, sec.section_id, section_label(sec.section_id),
                                    sec.text, round(sec_hit.score, 6)))
        return out

    # ------------------------------------------------------------ documents

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.snapshot.documents

    def document(self, doc_id: str) -> Document | None:
        return self.snapshot.document(doc_id)

    def section(self, doc_id: str, section_id: str) -> Section | None:
        doc = self.document(doc_id)
        return doc.section(section_id) if doc else None


__all__ = ["Engine", "QuestionError", "CorpusError", "Snapshot"]
