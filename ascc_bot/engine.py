"""The engine every door calls: load once, then ``ask`` / ``search`` / sections.

The corpus, facts, vocabulary and index live in one immutable snapshot that is
swapped whole on reload, so a question never sees a half-updated corpus.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from . import corpus_store
from .answer import EXAMPLE_QUESTIONS, Composer
from .answer_ids import issue_answer_id
from .config import Settings
from .corpus import CorpusError, corpus_fingerprint
from .encoders import CachedEncoder, Encoder, make_encoder
from .facts import Facts, Task, TimeFact, extract_facts
from .index import SearchIndex, open_index
from .models import Answer, SearchResult
from .retrieve import Query, Retriever
from .sections import Document, Section, parse_document, section_label
from .sessions import SessionState, SessionStore, refer_to_item, refer_to_part, refer_to_year
from .stores import state_store
from .text import fold, sentences
from .understand import Lexicon, build_lexicon, read, resolve_agency

# C0/C1 control characters other than tab and newlines, which .strip() already treats as space
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WARM_UP_LOCK = threading.Lock()
# One question per reading path (accented, unaccented, English, compound, a body's duties, out of scope), so
# that the lazily built tables (glossary pairs, compiled patterns, the segmenter) are built before the first
# user waits for them: a first English question took 180 ms cold against 10-20 ms warm.
WARM_UP_QUESTIONS = (
    "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?",
    "co quan nao phoi hop thuc hien nhiem vu 5",
    "Who leads the task on disaster prevention, and when is the annual report due?",
    "Which department handles helth insurance?",
    "Khu du lịch Đồ Sơn được giao cho sở nào?",
    "Kế hoạch nhắc đến những chương trình mục tiêu quốc gia nào?",
    "Sở Tài chính phải làm gì?",
    "Tổng kinh phí thực hiện kế hoạch là bao nhiêu tỷ đồng?",
)


class QuestionError(ValueError):
    """A question the engine cannot take (empty, too long); the message is for the user."""


@dataclass(frozen=True)
class Snapshot:
    documents: tuple[Document, ...]
    facts: Facts
    lexicon: Lexicon
    index: SearchIndex
    retriever: Retriever
    fingerprint: str
    parts: dict[str, str]  # Roman part -> its folded heading, for "phần giải pháp"

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


class Engine:
    def __init__(self, settings: Settings | None = None, encoder: Encoder | None = None,
                 progress: bool = True, log=None, sessions: SessionStore | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.encoder = encoder or CachedEncoder(make_encoder(self.settings.encoder), self.settings.query_cache_size)
        self.progress = progress
        self.log = log or (lambda msg: print(msg, file=sys.stderr))
        self.sessions = sessions if sessions is not None else SessionStore(state_store(self.settings))
        self._lock = threading.Lock()
        self.snapshot = self._load()
        self.warm_up()

    # ------------------------------------------------------------ loading

    def _load(self) -> Snapshot:
        settings = self.settings
        raws = corpus_store.load(settings)  # the shipped documents and those added here
        docs = tuple(parse_document(r) for r in raws)
        fingerprint = corpus_fingerprint(raws)
        granularity = settings.granularity
        index = open_index(list(docs), self.encoder, settings.index_dir, fingerprint, granularity,
                           progress=self.progress, log=self.log)
        facts = extract_facts(list(docs))
        lexicon = build_lexicon(list(docs), facts)
        retriever = Retriever(index, self.encoder, settings.retrieval, settings.fusion)
        parts = {s.section_id: " ".join(re.findall(r"\w+", fold(s.title)))
                 for d in docs for s in d.sections if s.kind == "part"}
        return Snapshot(docs, facts, lexicon, index, retriever, fingerprint, parts)

    def reload(self) -> Snapshot:
        """Re-read the corpus (after an ingest) and swap the snapshot in one step."""
        with self._lock:
            snap = self._load()
            self.snapshot = snap
            return snap

    def warm_up(self) -> None:
        """Load what loads lazily (underthesea's segmenter and sentence splitter, which are not
        thread-safe on first use) with one real question, before any door takes requests."""
        with _WARM_UP_LOCK:
            sentences("Một câu. Câu thứ hai.")  # not every answer splits sentences
            for question in WARM_UP_QUESTIONS:
                self.ask(question)

    # ------------------------------------------------------------ questions

    @staticmethod
    def _items_of(snap: Snapshot, session: SessionState | None) -> Callable[[str], list[str]] | None:
        """A part's item ids in the document of the last turn (the first document when it named none)."""
        doc = snap.document(session.doc_id) if session is not None and session.doc_id else None
        doc = doc or (snap.documents[0] if snap.documents else None)
        return (lambda part: [s.section_id for s in doc.children(part)]) if doc is not None else None

    def ask(self, question: str, session_id: str | None = None) -> Answer:
        if isinstance(question, str):
            question = _CONTROL_CHARS.sub("", question)  # "\u0000\u0001" is no question
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("Câu hỏi trống: hãy nhập nội dung cần hỏi.")
        if len(question.strip()) > self.settings.max_question_chars:
            raise QuestionError(f"Câu hỏi quá dài (tối đa {self.settings.max_question_chars} ký tự).")
        snap = self.snapshot
        session = self.sessions.get(session_id) if session_id else None
        question = refer_to_item(question, session)  # "cái thứ hai …": the second thing the last answer listed
        question = refer_to_part(question, session, self._items_of(snap, session))  # "khoản 3 trong mục đó"
        question = refer_to_year(question, session)  # "năm đó": the year the last question named
        q = read(question, snap.lexicon, snap.facts, snap.parts, restore=self.settings.restore_diacritics)
        composer = Composer(snap, self.settings.public_url)
        answer, state = composer.answer(q, session)
        if session_id:
            self.sessions.put(session_id, state)
        suggestions = follow_up_suggestions(state, snap.facts) if answer.answerable else ()
        return replace(answer, answer_id=issue_answer_id(self.settings), suggestions=suggestions)

    @staticmethod
    def example_questions() -> tuple[str, ...]:
        """What every door offers a newcomer to ask."""
        return EXAMPLE_QUESTIONS

    def search(self, query: str, k: int = 5) -> list[SearchResult]:
        if not query.strip():
            raise QuestionError("Từ khóa tìm kiếm trống.")
        snap = self.snapshot
        ranking = snap.retriever.rank(Query(query), {d.doc_id: d for d in snap.documents})
        out: list[SearchResult] = []
        for sec_hit in ranking.sections[:k]:
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

    # ------------------------------------------------------------ facts, for the doors

    @property
    def facts(self) -> Facts:
        return self.snapshot.facts

    def deadlines(self) -> list[TimeFact]:
        """Every dated obligation, milestone and period the documents state, in document order."""
        return list(self.snapshot.facts.times)

    def tasks(self) -> list[Task]:
        """Every task with its leads and coordinators, in document order."""
        return list(self.snapshot.facts.tasks)

    def agency_names(self) -> list[str]:
        """The canonical names of every body the documents name."""
        return [a.name for a in self.snapshot.facts.agencies.values()]

    def resolve_agency(self, name: str) -> list[str]:
        """The bodies a typed name may mean ("so y te", "LĐTBXH", "BHXH"); several when ambiguous,
        none when no document names such a body."""
        snap = self.snapshot
        return resolve_agency(name, snap.lexicon, snap.facts)

    @property
    def index_manifest(self) -> dict:
        return self.snapshot.index.manifest

    @property
    def chunk_count(self) -> int:
        return len(self.snapshot.index.chunks)


def follow_up_suggestions(state: SessionState, facts: Facts, limit: int = 3) -> tuple[str, ...]:
    """Two or three next questions about the answer's own task or agency, phrased as a person would
    type them, and each one the engine answers."""
    out: list[str] = []
    task = next((t for t in facts.tasks if t.section_id == state.task_section and t.doc_id == state.doc_id), None) \
        or next((t for t in facts.tasks if t.section_id == state.task_section), None)
    if task is not None:
        if state.intent != "lead":
            out.append(f"Cơ quan nào thực hiện nhiệm vụ {task.number}?")
        if state.intent != "coordinate" and task.coord_section:
            out.append(f"Cơ quan nào phối hợp thực hiện nhiệm vụ {task.number}?")
        if state.intent != "content" and task.content_section:
            out.append(f"Nhiệm vụ {task.number} gồm những nội dung gì?")
    for agency in state.agencies[:1]:
        if state.intent != "agency_tasks":
            out.append(f"{agency} phải làm gì trong kế hoạch?")
    if state.intent != "deadline":
        out.append("Hạn gửi báo cáo hằng năm là khi nào?")
    return tuple(dict.fromkeys(out))[:limit]


__all__ = ["Engine", "QuestionError", "CorpusError", "Snapshot"]
