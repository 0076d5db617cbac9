"""The LRU of question embeddings: a repeated question is encoded once, and gets the same vector."""

from __future__ import annotations

import unicodedata

import numpy as np

from ascc_bot.encoders import CachedEncoder


class CountingEncoder:
    def __init__(self, inner) -> None:
        self.inner, self.id, self.dim = inner, inner.id, inner.dim
        self.queries: list[str] = []

    def encode_queries(self, texts):
        self.queries += texts
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts):
        return self.inner.encode_passages(texts)


QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"


def test_a_repeated_question_is_encoded_once_with_the_same_vector(encoder):
    counting = CountingEncoder(encoder)
    cached = CachedEncoder(counting, max_entries=8)
    first = cached.encode_queries([QUESTION])
    # the same question typed with decomposed accents and extra spaces is the same key
    again = cached.encode_queries([unicodedata.normalize("NFD", "  " + QUESTION.replace(" ", "  "))])
    assert counting.queries == [QUESTION]
    assert np.array_equal(first, again) and np.allclose(first, encoder.encode_queries([QUESTION]))
    assert cached.id == encoder.id and cached.dim == encoder.dim  # the index manifest still matches


def test_callers_cannot_change_what_is_cached(encoder):
    cached = CachedEncoder(encoder, max_entries=8)
    cached.encode_queries([QUESTION])[0][:] = 0
    assert np.linalg.norm(cached.encode_queries([QUESTION])[0]) > 0.99


def test_least_recently_used_goes_first_and_a_batch_mixes_hits_and_misses(encoder):
    counting = CountingEncoder(encoder)
    cached = CachedEncoder(counting, max_entries=2)
    cached.encode_queries(["một", "hai"])
    cached.encode_queries(["một"])  # "hai" is now the oldest
    cached.encode_queries(["ba"])  # evicts "hai"
    rows = cached.encode_queries(["ba", "hai", "một"])
    assert counting.queries == ["một", "hai", "ba", "hai"]
    assert rows.shape == (3, encoder.dim)
    assert np.allclose(rows[1], encoder.encode_queries(["hai"])[0])


def test_size_zero_turns_the_cache_off(encoder):
    counting = CountingEncoder(encoder)
    cached = CachedEncoder(counting, max_entries=0)
    cached.encode_queries([QUESTION])
    cached.encode_queries([QUESTION])
    assert counting.queries == [QUESTION, QUESTION]


def test_the_engine_caches_question_embeddings(engine, settings):
    """Built from settings, the engine wraps its encoder; ASCC_QUERY_CACHE_SIZE sets the size."""
    from dataclasses import replace

    from ascc_bot.engine import Engine

    built = Engine(replace(settings, query_cache_size=16), progress=False, log=lambda m: None)
    assert isinstance(built.encoder, CachedEncoder) and built.encoder.max_entries == 16
    built.ask(QUESTION)
    misses = built.encoder.misses
    assert built.ask(QUESTION).citations[0].section_id == "II.6.2"
    assert built.encoder.misses == misses and built.encoder.hits > 0
