"""Retrieval and ranking: dense (faiss) and BM25 rankings fused, boosted for what the question
names (a task, a part, a year, a document), then grouped by section.

All ranking lives here; answer modules only read the ranking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .encoders import Encoder
from .facts import Facts, Task
from .index import Chunk, SearchIndex
from .sections import Document, Section
from .text import lexical_terms, syllables

RRF_K = 60
# Boosts are multipliers of the fused score, measured on our tune half (benchmarks/own_questions.py).
TASK_BOOST = 1.6
PART_BOOST = 1.5  # the question names the part ("phần giải pháp")
IMPLIED_PART_BOOST = 1.25  # the answer type implies the part (funding questions → part III)
YEAR_BOOST = 1.3
TASK_LEAD_MARGIN = 0.95  # a task answers when its best section scores within this share of the top


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    dense: float  # cosine
    lexical: float  # raw BM25


@dataclass(frozen=True)
class SectionHit:
    doc: Document
    section: Section
    score: float
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Ranking:
    hits: tuple[Hit, ...]
    sections: tuple[SectionHit, ...]
    top_dense: float = 0.0

    @property
    def top(self) -> SectionHit | None:
        return self.sections[0] if self.sections else None


@dataclass(frozen=True)
class Query:
    """What to rank for: the question's words and what it names."""

    text: str  # for the dense side (the whole question reads best to e5)
    lexical: str = ""  # for BM25 (the topic, with the documents' wording of everyday words)
    task_section: str | None = None  # a task the question names or refers back to
    parts: dict[str, float] = field(default_factory=dict)  # Roman part -> boost
    years: tuple[str, ...] = ()
    documents: frozenset[str] = frozenset()  # documents it names by number: only these
    section: str | None = None  # a section it names by number ("mục VI khoản 3"): first, whatever else ranks


class Retriever:
    def __init__(self, index: SearchIndex, encoder: Encoder, mode: str = "hybrid", fusion: str = "rrf") -> None:
        if mode not in ("hybrid", "dense", "bm25"):
            raise ValueError(f"unknown retrieval mode {mode!r}")
        if fusion not in ("rrf", "weighted"):
            raise ValueError(f"unknown fusion {fusion!r}")
        self.index, self.encoder, self.mode, self.fusion = index, encoder, mode, fusion

    def search(self, text: str, boosts: dict[str, float] | None = None, extra_terms: str = "",
               k: int = 30, lexical_text: str | None = None) -> list[Hit]:
        n = len(self.index.chunks)
        if n == 0:
            return []
        dense = np.zeros(n, dtype=np.float32)
        if self.mode != "bm25":
            qvec = self.encoder.encode_queries([text])[0]
            dense = self.index.vectors @ qvec
        words = (text if lexical_text is None else lexical_text) + " " + extra_terms
        lexical = self.index.bm25.scores(lexical_terms(words)) if self.mode != "dense" \
            else np.zeros(n, dtype=np.float32)
        if self.mode == "dense":
            fused = dense.copy()
        elif self.mode == "bm25":
            fused = lexical.copy()
        elif self.fusion == "rrf":
            fused = _rrf(dense) + _rrf(lexical)
        else:
            fused = 0.5 * _minmax(dense) + 0.5 * _minmax(lexical)
        if boosts:
            for i, chunk in enumerate(self.index.chunks):
                for prefix, factor in boosts.items():
                    if chunk.section_id == prefix or chunk.section_id.startswith(prefix + "."):
                        fused[i] *= factor
        order = np.argsort(-fused, kind="stable")[:k]
        return [Hit(self.index.chunks[i], float(fused[i]), float(dense[i]), float(lexical[i])) for i in order]

    def rank(self, query: Query, documents: dict[str, Document], k: int = 40) -> Ranking:
        """Hits for a question, boosted for what it names, grouped by section (best first)."""
        boosts = dict(query.parts)
        if query.task_section:
            boosts[query.task_section] = boosts.get(query.task_section, 1.0) * TASK_BOOST
        hits = self.search(query.text, boosts, extra_terms=" ".join(query.years), k=k,
                           lexical_text=query.lexical or query.text)
        if query.years:
            hits = sorted(hits, key=lambda h: -h.score * (YEAR_BOOST if any(y in h.chunk.text for y in query.years)
                                                           else 1.0))
        sections = group_by_section(hits, documents)
        if query.documents:
            sections = [s for s in sections if s.doc.doc_id in query.documents] or sections
        if query.section:
            pinned = [s for s in sections if s.section.section_id == query.section
                      or s.section.section_id.startswith(query.section + ".")]
            if not pinned:  # named by number but far from the words: its own chunks, at the top score
                top = sections[0].score if sections else 1.0
                own = [Hit(c, top, 0.0, 0.0) for c in self.index.chunks if c.section_id == query.section
                       and (not query.documents or c.doc_id in query.documents)]
                pinned = group_by_section(own, documents)
            sections = pinned + [s for s in sections if s not in pinned]
        return Ranking(tuple(hits), tuple(sections), max((h.dense for h in hits), default=0.0))


def group_by_section(hits: list[Hit], documents: dict[str, Document]) -> list[SectionHit]:
    groups: dict[tuple[str, str], list[Hit]] = {}
    for h in hits:
        groups.setdefault((h.chunk.doc_id, h.chunk.section_id), []).append(h)
    out = []
    for (doc_id, sid), hs in groups.items():
        doc = documents.get(doc_id)
        sec = doc.section(sid) if doc else None
        if sec is not None:
            out.append(SectionHit(doc, sec, max(h.score for h in hs), tuple(hs)))
    return sorted(out, key=lambda s: -s.score)


def task_of_ranking(ranking: Ranking, facts: Facts) -> Task | None:
    """The task the best sections belong to, when one of them is nearly as good as the top."""
    top = ranking.top
    if top is None:
        return None
    for s in ranking.sections[:5]:
        if s.score < TASK_LEAD_MARGIN * top.score:
            break
        task = facts.task(s.doc.doc_id, s.section.section_id)
        if task is not None:
            return task
    return None


def named_documents(folded_question: str, documents: list[Document]) -> frozenset[str]:
    """Documents the question names by number: "Quyết định 999/QĐ-UBND", "quyết định 999"."""
    named = set()
    for doc in documents:
        number = " ".join(syllables(doc.meta.number))
        digits = number.split(" ")[0] if number else ""
        kind = " ".join(syllables(doc.meta.kind))
        if number and (re.search(rf"\b{number}\b", folded_question) or
                       (kind and re.search(rf"\b{kind} (so )?{digits}\b", folded_question))):
            named.add(doc.doc_id)
    return frozenset(named)


def _rrf(scores: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    out = 1.0 / (RRF_K + ranks)
    out[scores <= 0] = 0.0  # a chunk with no lexical overlap gets no lexical vote
    return out


def _minmax(scores: np.ndarray) -> np.ndarray:
    lo, hi = float(scores.min()), float(scores.max())
    return (scores - lo) / (hi - lo) if hi > lo else np.zeros_like(scores)
