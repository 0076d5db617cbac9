"""Hybrid retrieval: dense (faiss) and BM25 rankings fused, then grouped by section."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .encoders import Encoder
from .index import Chunk, SearchIndex
from .text import lexical_terms

RRF_K = 60


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    dense: float  # cosine
    lexical: float  # raw BM25


class Retriever:
    def __init__(self, index: SearchIndex, encoder: Encoder, mode: str = "hybrid", fusion: str = "rrf") -> None:
        if mode not in ("hybrid", "dense", "bm25"):
            raise ValueError(f"unknown retrieval mode {mode!r}")
        if fusion not in ("rrf", "weighted"):
            raise ValueError(f"unknown fusion {fusion!r}")
        self.index, self.encoder, self.mode, self.fusion = index, encoder, mode, fusion

    def search(self, text: str, boosts: dict[str, float] | None = None, extra_terms: str = "",
               k: int = 30) -> list[Hit]:
        n = len(self.index.chunks)
        if n == 0:
            return []
        dense = np.zeros(n, dtype=np.float32)
        if self.mode != "bm25":
            qvec = self.encoder.encode_queries([text])[0]
            dense = self.index.vectors @ qvec
        lexical = self.index.bm25.scores(lexical_terms(text + " " + extra_terms)) if self.mode != "dense" \
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


def _rrf(scores: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    out = 1.0 / (RRF_K + ranks)
    out[scores <= 0] = 0.0  # a chunk with no lexical overlap gets no lexical vote
    return out


def _minmax(scores: np.ndarray) -> np.ndarray:
    lo, hi = float(scores.min()), float(scores.max())
    return (scores - lo) / (hi - lo) if hi > lo else np.zeros_like(scores)
