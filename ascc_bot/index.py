"""The search index: dense vectors in faiss plus BM25 over folded terms.

Persisted under ``index/`` as generations: each build writes a fresh
``gen-*`` folder and only then switches the ``CURRENT`` pointer (an atomic
rename), so a crash mid-build never leaves a half index that loads. The
manifest records the corpus fingerprint, the encoder and versions, and a
checksum per file: a stale index is rebuilt, a corrupt one is detected.

Builds hold a file lock (``index/.lock``): when several workers start on a stale index,
one builds while the others wait, then load what it built; no build deletes another's folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import math
import os
import shutil
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from . import __version__
from .encoders import Encoder
from .sections import Document
from .text import lexical_terms

FORMAT = 2
GRANULARITIES = ("block", "section")
LOCK_FILE = ".lock"  # never deleted: removing a lock file lets two holders lock different files


class IndexError_(RuntimeError):
    """The index on disk is missing, stale or corrupt; the message says which."""


@dataclass(frozen=True)
class Chunk:
    """One retrievable unit: a heading line or a block, or a whole section."""

    doc_id: str
    section_id: str
    block: int  # -1: the section's heading line; -2: the whole section; else block index
    text: str  # verbatim
    context: str  # headings above, for encoding and matching


def make_chunks(doc: Document, granularity: str = "block") -> list[Chunk]:
    chunks: list[Chunk] = []
    for sec in doc.sections:
        context = doc.context(sec.section_id)
        if granularity == "section":
            if sec.text:
                chunks.append(Chunk(doc.doc_id, sec.section_id, -2, sec.text, context))
            continue
        if sec.title:
            chunks.append(Chunk(doc.doc_id, sec.section_id, -1, sec.title, context))
        for i, block in enumerate(sec.blocks):
            chunks.append(Chunk(doc.doc_id, sec.section_id, i, block.text, context))
    return chunks


def passage_text(chunk: Chunk) -> str:
    return f"{chunk.context}: {chunk.text}" if chunk.context and chunk.context != chunk.text else chunk.text


class BM25:
    def __init__(self, docs_terms: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.n = len(docs_terms)
        self.lengths = np.array([len(t) for t in docs_terms], dtype=np.float32)
        self.avgdl = float(self.lengths.mean()) if self.n else 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, terms in enumerate(docs_terms):
            for term, tf in Counter(terms).items():
                postings[term].append((i, tf))
        self.postings = dict(postings)

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def scores(self, terms: list[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        for term, qtf in Counter(terms).items():
            plist = self.postings.get(term)
            if not plist:
                continue
            idf = self.idf(term)
            for i, tf in plist:
                norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avgdl)
                out[i] += idf * tf * (self.k1 + 1) / norm * (1 + 0.2 * (qtf - 1))
        return out

    def to_json(self) -> dict:
        return {"k1": self.k1, "b": self.b, "lengths": self.lengths.tolist(), "postings": self.postings}

    @classmethod
    def from_json(cls, data: dict) -> BM25:
        obj = cls.__new__(cls)
        obj.k1, obj.b = data["k1"], data["b"]
        obj.lengths = np.array(data["lengths"], dtype=np.float32)
        obj.n = len(obj.lengths)
        obj.avgdl = float(obj.lengths.mean()) if obj.n else 1.0
        obj.postings = {t: [tuple(p) for p in plist] for t, plist in data["postings"].items()}
        return obj


def chunk_terms(chunk: Chunk) -> list[str]:
    # the heading path counts once: "Cơ quan thực hiện: Sở Y tế" is about task 6's topic
    return lexical_terms(chunk.text) + lexical_terms(chunk.context)


@dataclass
class SearchIndex:
    chunks: list[Chunk]
    vectors: np.ndarray
    faiss_index: faiss.Index
    bm25: BM25
    manifest: dict

    @property
    def encoder_id(self) -> str:
        return self.manifest["encoder"]

    def dense(self, query_vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(self.chunks))
        scores, ids = self.faiss_index.search(query_vec.reshape(1, -1).astype(np.float32), k)
        return ids[0], scores[0]


def _versions() -> dict:
    import underthesea

    return {"ascc_bot": __version__, "faiss": faiss.__version__, "underthesea": underthesea.__version__,
            "format": FORMAT}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _doc_key(doc: Document, encoder_id: str, granularity: str) -> str:
    return hashlib.sha256(f"{doc.sha256}|{doc.meta}|{encoder_id}|{granularity}|{FORMAT}".encode()).hexdigest()[:24]


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    gen = index_dir / pointer.read_text().strip()
    return gen if gen.is_dir() else None


def _reusable_vectors(previous: Path | None, old_files: dict, name: str, rows: int, dim: int) -> np.ndarray | None:
    """The previous generation's vectors for a document, only if their file still has the checksum
    recorded when it was written and the shape the document needs: a truncated or zeroed file is
    re-encoded, never carried into the new generation."""
    if previous is None or name not in old_files:
        return None
    path = previous / name
    try:
        if _sha(path) != old_files[name]:
            return None
        vecs = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    return vecs if vecs.shape == (rows, dim) else None


def _manifest_files(gen: Path | None) -> dict:
    try:
        return json.loads((gen / "manifest.json").read_text(encoding="utf-8"))["files"] if gen else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


_locks_held = threading.local()


@contextmanager
def index_lock(index_dir: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Exclusive right to build in ``index_dir``, across processes and threads (``flock``).

    Re-entrant in one thread, so a caller that holds it may call ``build_index``, which takes it too.
    """
    held: set[str] = _locks_held.__dict__.setdefault("dirs", set())
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    if key in held:
        yield
        return
    with open(index_dir / LOCK_FILE, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(lock, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            fcntl.flock(lock, fcntl.LOCK_UN)


def open_index(docs: list[Document], encoder: Encoder, index_dir: Path, fingerprint: str,
               granularity: str = "block", progress: bool = True,
               log: Callable[[str], None] = print) -> SearchIndex:
    """The current generation if it fits this corpus and encoder, else a new one built here.

    With several workers, exactly one builds a missing or stale index; the others wait for its
    lock, then find the fresh generation and load it.
    """
    try:
        return load_index(index_dir, fingerprint, encoder.id, granularity)
    except IndexError_:
        pass
    with index_lock(index_dir, on_wait=lambda: log(f"Một tiến trình khác đang xây chỉ mục trong {index_dir}; "
                                                   "đang chờ …")):
        try:
            return load_index(index_dir, fingerprint, encoder.id, granularity)
        except IndexError_ as why:
            log(f"{why} Đang xây lại chỉ mục trong {index_dir} …")
            return build_index(docs, encoder, index_dir, fingerprint, granularity, progress=progress)


def build_index(docs: list[Document], encoder: Encoder, index_dir: Path, fingerprint: str,
                granularity: str = "block", progress: bool = True, activate: bool = True) -> SearchIndex:
    """Build a new generation, reusing vectors of documents that did not change.

    With ``activate=False`` the generation is complete on disk but not current: an ingest switches
    to it (``activate_generation``) only once its corpus is committed. A failed build leaves nothing.
    Under ``index_lock``: one builder at a time, across processes."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {GRANULARITIES}")
    with index_lock(index_dir):
        return _build(docs, encoder, index_dir, fingerprint, granularity, progress, activate)


def _build(docs: list[Document], encoder: Encoder, index_dir: Path, fingerprint: str, granularity: str,
           progress: bool, activate: bool) -> SearchIndex:
    previous = current_generation(index_dir)
    old_files = _manifest_files(previous)
    gen_name = f"gen-{int(time.time() * 1000)}-{os.getpid()}"
    tmp = index_dir / (gen_name + ".tmp")
    tmp.mkdir()
    try:
        index = _write_generation(docs, encoder, tmp, fingerprint, granularity, progress, previous, old_files)
        gen = index_dir / gen_name
        tmp.rename(gen)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    index.manifest["generation"] = gen_name
    if activate:
        activate_generation(index_dir, gen_name)
    return index


def _write_generation(docs: list[Document], encoder: Encoder, tmp: Path, fingerprint: str, granularity: str,
                      progress: bool, previous: Path | None, old_files: dict) -> SearchIndex:
    all_chunks: list[Chunk] = []
    parts: list[np.ndarray] = []
    reused: list[str] = []
    encoded = 0
    for doc in docs:
        chunks = make_chunks(doc, granularity)
        name = f"vec-{_doc_key(doc, encoder.id, granularity)}.npy"
        vecs = _reusable_vectors(previous, old_files, name, len(chunks), encoder.dim)
        if vecs is not None:
            reused.append(doc.doc_id)
        else:
            vecs = _encode_with_progress(encoder, [passage_text(c) for c in chunks], doc.doc_id, progress)
            encoded += len(chunks)
        packed = io.BytesIO()  # numpy reports a short write without errno: Python's own write says ENOSPC
        np.save(packed, vecs, allow_pickle=False)
        (tmp / name).write_bytes(packed.getvalue())
        all_chunks += chunks
        parts.append(vecs)
    vectors = np.vstack(parts).astype(np.float32) if parts else np.zeros((0, encoder.dim), np.float32)
    fidx = faiss.IndexFlatIP(encoder.dim)
    if len(vectors):
        fidx.add(vectors)
    # serialised here and written by Python, so that a full disk is an OSError, not a faiss RuntimeError
    (tmp / "dense.faiss").write_bytes(faiss.serialize_index(fidx).tobytes())
    bm25 = BM25([chunk_terms(c) for c in all_chunks])
    (tmp / "bm25.json").write_text(json.dumps(bm25.to_json()), encoding="utf-8")
    (tmp / "chunks.json").write_text(json.dumps([asdict(c) for c in all_chunks], ensure_ascii=False),
                                     encoding="utf-8")
    files = {p.name: _sha(p) for p in sorted(tmp.iterdir())}
    manifest = {"corpus": fingerprint, "encoder": encoder.id, "dim": encoder.dim,
                "granularity": granularity, "versions": _versions(), "files": files,
                "documents": [d.doc_id for d in docs], "chunks": len(all_chunks),
                "encoded_chunks": encoded, "reused_documents": reused, "built_at": time.time()}
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return SearchIndex(all_chunks, vectors, fidx, bm25, manifest)


def activate_generation(index_dir: Path, gen_name: str) -> None:
    """Make ``gen_name`` the current generation (one atomic rename), then drop the others."""
    pointer_tmp = index_dir / f"CURRENT.{os.getpid()}.tmp"
    pointer_tmp.write_text(gen_name)
    previous = current_generation(index_dir)
    os.replace(pointer_tmp, index_dir / "CURRENT")  # the one atomic switch
    # the one it replaces stays until the next switch: a process that read the old pointer may be loading it
    keep = {gen_name, previous.name if previous else ""}
    for stale in index_dir.iterdir():  # earlier generations and crashed builds
        if stale.is_dir() and stale.name.startswith("gen-") and stale.name not in keep and not _building(stale):
            shutil.rmtree(stale, ignore_errors=True)


def _building(gen: Path) -> bool:
    """A ``gen-<ms>-<pid>.tmp`` folder whose process is still running (another build, under way)."""
    if not gen.name.endswith(".tmp"):
        return False
    try:
        os.kill(int(gen.name.removesuffix(".tmp").rsplit("-", 1)[1]), 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


def sweep_index(index_dir: Path) -> list[str]:
    """Remove what crashed builds left (``gen-*.tmp`` of processes no longer running); returns their names."""
    swept = []
    if index_dir.is_dir():
        for leftover in index_dir.iterdir():
            if leftover.is_dir() and leftover.name.startswith("gen-") and leftover.name.endswith(".tmp") \
                    and not _building(leftover):
                shutil.rmtree(leftover, ignore_errors=True)
                swept.append(leftover.name)
    return swept


def _encode_with_progress(encoder: Encoder, texts: list[str], label: str, progress: bool) -> np.ndarray:
    from tqdm import tqdm

    out = []
    batch = 16
    with tqdm(total=len(texts), desc=f"Mã hóa {label}", unit="đoạn", file=sys.stderr,
              disable=not progress) as bar:
        for i in range(0, len(texts), batch):
            out.append(encoder.encode_passages(texts[i:i + batch]))
            bar.update(len(texts[i:i + batch]))
    return np.vstack(out) if out else np.zeros((0, encoder.dim), np.float32)


def load_index(index_dir: Path, fingerprint: str, encoder_id: str, granularity: str = "block") -> SearchIndex:
    """Load the current generation; raise IndexError_ saying why it cannot be used.

    When the current one is for another corpus, a complete generation built for this corpus is
    adopted instead: an ingest that committed its corpus and stopped before switching the index."""
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexError_(f"Chưa có chỉ mục trong {index_dir}.")
    try:
        return _load_generation(gen, fingerprint, encoder_id, granularity)
    except IndexError_ as why:
        for other in sorted(index_dir.glob("gen-*"), reverse=True):
            if other == gen or not other.is_dir() or other.name.endswith(".tmp"):
                continue
            try:
                index = _load_generation(other, fingerprint, encoder_id, granularity)
            except IndexError_:
                continue
            activate_generation(index_dir, other.name)
            return index
        raise why


def _load_generation(gen: Path, fingerprint: str, encoder_id: str, granularity: str) -> SearchIndex:
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("corpus") != fingerprint:
            raise IndexError_("Chỉ mục đã cũ: kho văn bản đã thay đổi.")
        for name, digest in manifest["files"].items():
            if _sha(gen / name) != digest:
                raise IndexError_(f"Chỉ mục hỏng: tệp {name} không khớp mã kiểm tra.")
    except (OSError, ValueError, KeyError) as exc:
        raise IndexError_(f"Chỉ mục hỏng ({exc}).") from exc
    if manifest.get("encoder") != encoder_id or manifest.get("granularity") != granularity:
        raise IndexError_("Chỉ mục được xây bằng bộ mã hóa hoặc cách chia đoạn khác.")
    if manifest.get("versions", {}).get("format") != FORMAT:
        raise IndexError_("Chỉ mục có định dạng cũ.")
    try:
        chunks = [Chunk(**c) for c in json.loads((gen / "chunks.json").read_text(encoding="utf-8"))]
        bm25 = BM25.from_json(json.loads((gen / "bm25.json").read_text(encoding="utf-8")))
        fidx = faiss.read_index(str(gen / "dense.faiss"))
        vectors = fidx.reconstruct_n(0, fidx.ntotal) if fidx.ntotal else np.zeros((0, manifest["dim"]))
    except Exception as exc:  # faiss raises RuntimeError, json ValueError…
        raise IndexError_(f"Chỉ mục hỏng ({exc}).") from exc
    if len(chunks) != fidx.ntotal or len(chunks) != bm25.n:
        raise IndexError_("Chỉ mục hỏng: số đoạn không khớp.")
    manifest["generation"] = gen.name
    return SearchIndex(chunks, np.asarray(vectors, dtype=np.float32), fidx, bm25, manifest)
