"""Where the corpus lives, how it changes all-or-nothing, and how a server notices a change.

Two folders make the corpus:

- ``ASCC_CORPUS_DIR`` (``corpus/``): the documents the project ships, tracked in git, never written.
- ``ASCC_LOCAL_CORPUS_DIR`` (``data/corpus/``, ignored by git): documents added on this server, kept
  in versions. ``v-<ms>-<pid>/`` holds a ``manifest.json`` and the text of each local document;
  ``CURRENT`` names the live version. The manifest also lists shipped documents taken out
  (``hidden``); a local document with a shipped document's id replaces it.

A change (ingest, removal) is staged in ``.staging-<ms>-<pid>/``, the index is built for the corpus
it makes (a generation not yet current), and only then is it committed: the staging folder becomes a
version and ``CURRENT`` is switched by one atomic rename; the index then switches to its generation.
A process killed at any point leaves the old corpus with the old index, or the new corpus whose
index ``load_index`` finds and adopts: never a mix. Leftovers of dead processes are swept when the
corpus is loaded. One writer at a time holds ``lock()``; readers need no lock.

Servers poll ``version_token`` (a few ``stat`` calls) and reload when another process, such as
``ascc-bot ingest``, committed a change.

With ``ASCC_DATABASE_URL`` the added documents are shared by every replica through PostgreSQL: each
version is a row of ``corpus_versions`` (the manifest, and the texts by checksum in ``corpus_files``),
and the local folder is this host's copy of the latest one (its manifest says which: ``version``).
A change takes the writers' advisory lock (one writer among every replica), brings the local copy up
to the latest version, is staged and indexed as above, and is then committed by one database
transaction that adds the next version; only then is the local copy committed and the index
switched. A process killed before the database commit changed nothing; one killed after it left a
version that every replica copies at its next look, with an index generation already built for it.
Each replica's ``version_token`` includes the latest version number, so a change made through any
replica is served by every other within ``ASCC_CORPUS_POLL_S`` plus the time to reload.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, nullcontext
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .corpus import MANIFEST, CorpusError, DocumentMeta, RawDocument, corpus_fingerprint, load_document, read_manifest
from .database import PostgresDatabase, StoreUnavailable, shared_database
from .index import activate_generation, build_index, sweep_index
from .sections import parse_document

if TYPE_CHECKING:
    from fastapi import APIRouter

    from .encoders import Encoder
    from .engine import Engine
    from .ingest import Change

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
KEEP_VERSIONS = 2  # the live one and the one before, which a reader may still be reading
PAUSE_ENV = "ASCC_INGEST_PAUSE_AT"  # fault injection for tests: stop a change at a named point
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StoreError(RuntimeError):
    """A change that could not be made; nothing was changed. ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _pid_alive(name: str) -> bool:
    """For ``<prefix>-<ms>-<pid>``: whether that process still runs."""
    try:
        os.kill(int(name.rsplit("-", 1)[1]), 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


class LocalCorpus:
    """The versioned folder of documents added on this server."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def current(self) -> Path | None:
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        version = self.root / name
        return version if name and version.is_dir() else None

    def read(self, version: Path | None) -> tuple[list[DocumentMeta], set[str]]:
        """The local documents of a version and the shipped ids it hides."""
        if version is None:
            return [], set()
        hidden = self._manifest(version).get("hidden", [])
        return read_manifest(version), set(hidden)

    def shared_version(self) -> int:
        """The database version the live folder is a copy of (0: none, or not from a database)."""
        version = self.current()
        return int(self._manifest(version).get("version", 0)) if version else 0

    @staticmethod
    def _manifest(version: Path) -> dict:
        try:
            data = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("không phải một đối tượng JSON")
            return data
        except (OSError, ValueError) as exc:
            raise CorpusError(f"Tệp {version / MANIFEST} không hợp lệ: {exc}") from exc

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One writer at a time, across threads and processes."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def commit(self, staging: Path) -> Path:
        """Make the staged folder the live version: one rename of the folder, one of the pointer."""
        version = self.root / ("v-" + staging.name.removeprefix(".staging-"))
        staging.rename(version)
        pointer = self.root / f"{CURRENT}.{os.getpid()}.tmp"
        pointer.write_text(version.name, encoding="utf-8")
        _fsync_file(pointer)
        os.replace(pointer, self.root / CURRENT)
        _fsync_dir(self.root)
        versions = sorted((v for v in self.root.glob("v-*") if v.is_dir()), key=_created)
        for old in versions[:-KEEP_VERSIONS]:
            if old != version:
                shutil.rmtree(old, ignore_errors=True)
        return version

    def sweep(self) -> list[str]:
        """Remove staging folders of processes no longer running."""
        swept = []
        if self.root.is_dir():
            for leftover in self.root.glob(".staging-*"):
                if not _pid_alive(leftover.name):
                    shutil.rmtree(leftover, ignore_errors=True)
                    swept.append(leftover.name)
            for pointer in self.root.glob(f"{CURRENT}.*.tmp"):
                if not _pid_alive(pointer.name.removesuffix(".tmp").replace(".", "-")):
                    pointer.unlink(missing_ok=True)
        return swept


def _created(version: Path) -> int:
    try:
        return int(version.name.split("-")[1])
    except (IndexError, ValueError):
        return 0


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- reading


def entries(settings: Settings) -> list[tuple[DocumentMeta, Path]]:
    """Every document of the corpus with the folder its text is in: shipped ones first (in their
    order, replaced or hidden by local ones), then the ones added here, in the order added."""
    shipped = read_manifest(settings.corpus_dir)
    local = LocalCorpus(settings.local_corpus)
    version = local.current()
    local_metas, hidden = local.read(version)
    by_id = {m.doc_id: m for m in local_metas}
    out: list[tuple[DocumentMeta, Path]] = []
    for meta in shipped:
        if meta.doc_id in hidden:
            continue
        replaced = by_id.pop(meta.doc_id, None)
        out.append((replaced, version) if replaced and version else (meta, settings.corpus_dir))
    out += [(m, version) for m in local_metas if m.doc_id in by_id and version]
    return out


def load(settings: Settings) -> list[RawDocument]:
    """The corpus as the engine reads it; leftovers of crashed writers are swept first, and with a shared
    database the local copy is brought up to its latest version (while it is away: the last copy)."""
    sweep(settings)
    try:
        sync(settings)
    except (StoreUnavailable, TimeoutError, CorpusError) as exc:  # questions go on with what is here
        log.warning("serving the documents last copied from the shared database: %s", exc)
    tries = 3
    while True:
        try:
            return [load_document(folder, meta) for meta, folder in entries(settings)]
        except CorpusError:
            # a version replaced while it was being read: read the new one (a real fault persists)
            tries -= 1
            if not tries:
                raise
            time.sleep(0.05)


def sweep(settings: Settings) -> None:
    swept = LocalCorpus(settings.local_corpus).sweep() + sweep_index(settings.index_dir)
    if swept:
        log.info("removed leftovers of interrupted changes: %s", ", ".join(swept))


def version_token(settings: Settings) -> str:
    """Changes whenever the corpus may have changed; a few ``stat`` calls, and with a shared database
    one query for its latest version."""
    parts = []
    for path in (settings.corpus_dir / MANIFEST, settings.local_corpus / CURRENT):
        try:
            st = path.stat()
            parts.append(f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}")
        except OSError:
            parts.append("-")
    db = shared_database(settings)
    if db is not None:
        try:
            parts.append(f"db:{latest_version(db)}")
        except StoreUnavailable:  # serve what is here; the first look once it is back sees the change
            parts.append("db:?")
    return "|".join(parts)


# ---------------------------------------------------------------- changing


class Staging:
    """A change being prepared in a folder of its own; the live corpus is untouched until ``commit``."""

    def __init__(self, settings: Settings, folder: Path) -> None:
        self.settings, self.folder = settings, folder
        self.version = 0  # the shared database version this change will be
        local = LocalCorpus(settings.local_corpus)
        self.hidden = set(local.read(local.current())[1])
        self.entries = entries(settings)
        folder.mkdir(parents=True)
        for meta, source in self.entries:
            if source != settings.corpus_dir:
                _link_or_copy(source / meta.file, folder / meta.file)
        self.entries = [(m, folder if src != settings.corpus_dir else src) for m, src in self.entries]

    def metas(self) -> list[DocumentMeta]:
        return [m for m, _ in self.entries]

    def stored(self, meta: DocumentMeta) -> bytes | None:
        folder = next((src for m, src in self.entries if m.doc_id == meta.doc_id), None)
        try:
            return (folder / meta.file).read_bytes() if folder else None
        except OSError:
            return None

    def put(self, meta: DocumentMeta, text: bytes) -> None:
        """Add ``meta`` with its text, or replace the document with its id (keeping its place)."""
        (self.folder / meta.file).write_bytes(text)
        self.hidden.discard(meta.doc_id)
        ids = [m.doc_id for m, _ in self.entries]
        if meta.doc_id in ids:
            self.entries[ids.index(meta.doc_id)] = (meta, self.folder)
        else:
            self.entries.append((meta, self.folder))

    def remove(self, doc_id: str) -> None:
        if any(m.doc_id == doc_id for m in read_manifest(self.settings.corpus_dir)):
            self.hidden.add(doc_id)  # a shipped document: its file stays, the corpus leaves it out
        self.entries = [(m, src) for m, src in self.entries if m.doc_id != doc_id]

    def write_manifest(self) -> None:
        _write_manifest(self.folder, [m for m, src in self.entries if src == self.folder], self.hidden, self.version)

    def raws(self) -> list[RawDocument]:
        return [load_document(src, meta) for meta, src in self.entries]


def _write_manifest(folder: Path, metas: list[DocumentMeta], hidden: set[str], version: int) -> None:
    """The manifest of a version folder whose texts are written; all of it synced to the disk."""
    data = {"documents": [asdict(m) for m in metas], "hidden": sorted(hidden)}
    if version:
        data["version"] = version
    (folder / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name in {m.file for m in metas} | {MANIFEST}:
        _fsync_file(folder / name)
    _fsync_dir(folder)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # texts are never rewritten in place, so versions can share them
    except OSError:
        shutil.copy2(source, target)


def apply(settings: Settings, encoder: Encoder, change_corpus: Callable[[Staging], Change],
          progress: bool = False) -> Change:
    """Make one change all-or-nothing: stage it, build its index, commit both.

    ``change_corpus`` edits the staging (and raises IngestError for a file it cannot take). On any
    failure, a full disk or an unreachable shared database included, the staging folder and the new
    index generation are removed and the live corpus and index are as they were. With a shared
    database, the change is based on its latest version and committed there first (module doc)."""
    local = LocalCorpus(settings.local_corpus)
    db = shared_database(settings)
    with _shared_writer(db) if db is not None else nullcontext(), local.lock():
        staging = local.root / f".staging-{int(time.time() * 1000)}-{os.getpid()}"
        generation = ""
        try:
            base = _copy_latest(db, local) if db is not None else 0
            stage = Staging(settings, staging)
            change = change_corpus(stage)
            if not change.changed:
                return change
            stage.version = base + 1 if db is not None else 0
            stage.write_manifest()
            pause_point("staged")
            raws = stage.raws()
            index = build_index([parse_document(r) for r in raws], encoder, settings.index_dir,
                                corpus_fingerprint(raws), settings.granularity, progress=progress, activate=False)
            generation = index.manifest["generation"]
            pause_point("index-built")
            if db is not None:
                _publish(db, base, *_documents_in(local, staging), f"{change.status} {change.meta.doc_id}")
                pause_point("published")
            local.commit(staging)
            generation = ""  # from here the new generation belongs to the committed corpus
            pause_point("committed")
            activate_generation(settings.index_dir, index.manifest["generation"])
            pause_point("activated")
            return replace(change, index=index.manifest)
        except OSError as exc:
            if exc.errno in _DISK_FULL:
                raise StoreError("Máy chủ hết chỗ trên đĩa khi lưu văn bản và chỉ mục: chưa thay đổi gì, kho văn "
                                 "bản và chỉ mục vẫn như trước. Hãy giải phóng dung lượng rồi thêm lại.", 507) from exc
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if generation:
                shutil.rmtree(settings.index_dir / generation, ignore_errors=True)


def pause_point(name: str) -> None:
    """Tests stop a change here (``ASCC_INGEST_PAUSE_AT=name``) to kill the process at that point."""
    if os.environ.get(PAUSE_ENV) == name:
        print(f"ingest paused at {name}", file=sys.stderr, flush=True)
        while True:
            time.sleep(3600)


# ---------------------------------------------------------------- shared by every replica: PostgreSQL

WRITER_LOCK = "ascc-bot: corpus"
SHARED_AWAY = ("Chưa thay đổi gì: cơ sở dữ liệu dùng chung (PostgreSQL) tạm thời không truy cập được; kho văn bản và "
               "chỉ mục vẫn như trước. Xin thử lại sau ít phút.")
SHARED_BUSY = ("Chưa thay đổi gì: một máy chủ khác đang thay đổi kho văn bản và chưa xong. "
               "Xin thử lại sau ít phút.")


def latest_version(db: PostgresDatabase) -> int:
    """The number of the shared corpus's latest version; 0 before the first."""
    return int(db.rows("SELECT COALESCE(MAX(version), 0) AS version FROM corpus_versions")[0]["version"])


def sync(settings: Settings) -> None:
    """Make this host's copy of the added documents the database's latest version (nothing without a
    shared database). ``StoreUnavailable`` when it cannot be reached: the copy stays as it was."""
    db = shared_database(settings)
    if db is None:
        return
    local = LocalCorpus(settings.local_corpus)
    latest = latest_version(db)
    if latest == local.shared_version() and (latest or local.current() is None):
        return
    # an empty database and documents here: they become its first version, once, by one writer
    with db.exclusive(WRITER_LOCK) if latest == 0 else nullcontext(), local.lock():
        _copy_latest(db, local)


def announce_reload(settings: Settings) -> None:
    """``/api/admin/reload`` with a shared database: the latest version again under a new number, so that
    every replica looks at its corpus again within ``ASCC_CORPUS_POLL_S`` (and reloads if it changed)."""
    db = shared_database(settings)
    if db is None:
        return
    local = LocalCorpus(settings.local_corpus)
    with _shared_writer(db), local.lock():
        base = _copy_latest(db, local)
        _publish(db, base, *_documents_in(local, local.current()), "reload")
        _copy_latest(db, local)


@contextmanager
def _shared_writer(db: PostgresDatabase) -> Iterator[None]:
    """One writer among every replica; the database away, or another writer taking too long, are StoreErrors."""
    try:
        with db.exclusive(WRITER_LOCK):
            yield
    except StoreUnavailable as exc:
        raise StoreError(SHARED_AWAY, 503) from exc
    except TimeoutError as exc:
        raise StoreError(SHARED_BUSY, 409) from exc


def _documents_in(local: LocalCorpus, folder: Path | None) -> tuple[list[tuple[DocumentMeta, bytes]], set[str]]:
    """The local documents of a version folder with their texts, and the shipped ids it hides."""
    metas, hidden = local.read(folder)
    return [(m, (folder / m.file).read_bytes()) for m in metas] if folder else [], hidden


def _publish(db: PostgresDatabase, base: int, documents: list[tuple[DocumentMeta, bytes]], hidden: set[str],
             change: str) -> int:
    """Add version ``base + 1``: the manifest and the texts it lacks, in one transaction. StoreError (409)
    when the latest version is no longer ``base`` (a writer that lost its lock with its connection)."""
    texts = {hashlib.sha256(data).hexdigest(): data for _, data in documents}
    manifest = {"documents": [{**asdict(m), "sha256": hashlib.sha256(data).hexdigest()} for m, data in documents],
                "hidden": sorted(hidden)}
    with db.transaction() as tx:
        tx.execute("LOCK TABLE corpus_versions IN SHARE ROW EXCLUSIVE MODE")
        if tx.rows("SELECT COALESCE(MAX(version), 0) AS version FROM corpus_versions")[0]["version"] != base:
            raise StoreError("Chưa thay đổi gì: kho văn bản vừa được thay đổi từ một máy chủ khác; xin thử lại.", 409)
        stored = {r["sha256"] for r in tx.rows("SELECT sha256 FROM corpus_files WHERE sha256 = ANY(?)", (list(texts),))}
        tx.executemany("INSERT INTO corpus_files (sha256, data) VALUES (?, ?)",
                       [(sha, data) for sha, data in texts.items() if sha not in stored])
        tx.execute("INSERT INTO corpus_versions (version, change, manifest) VALUES (?, ?, CAST(? AS jsonb))",
                   (base + 1, f"{change} ({socket.gethostname()}, pid {os.getpid()})",
                    json.dumps(manifest, ensure_ascii=False)))
    return base + 1


def _copy_latest(db: PostgresDatabase, local: LocalCorpus) -> int:
    """Under ``local.lock()``: make the live local folder a copy of the latest version; its number."""
    rows = db.rows("SELECT version, manifest FROM corpus_versions ORDER BY version DESC LIMIT 1")
    if not rows:
        current = local.current()
        if current is None:
            return 0
        _publish(db, 0, *_documents_in(local, current), "documents added here before the shared database")
        log.warning("the documents added on this host before ASCC_DATABASE_URL are now the shared corpus")
        return _copy_latest(db, local)
    number, manifest = int(rows[0]["version"]), rows[0]["manifest"]
    if number == local.shared_version():
        return number
    documents = manifest["documents"]
    wanted = sorted({d["sha256"] for d in documents})
    texts = {r["sha256"]: r["data"] for r in db.rows("SELECT sha256, data FROM corpus_files WHERE sha256 = ANY(?)",
                                                      (wanted,))}
    staging = local.root / f".staging-{int(time.time() * 1000)}-{os.getpid()}"
    try:
        staging.mkdir(parents=True)
        metas = []
        for doc in documents:
            data = texts.get(doc["sha256"], b"")
            if hashlib.sha256(data).hexdigest() != doc["sha256"]:
                raise CorpusError(f"Văn bản {doc['doc_id']} của phiên bản {number} trong cơ sở dữ liệu bị thiếu hoặc "
                                  "hỏng.")
            (staging / doc["file"]).write_bytes(data)
            metas.append(DocumentMeta(**{k: v for k, v in doc.items() if k != "sha256"}))
        _write_manifest(staging, metas, set(manifest.get("hidden", [])), number)
        local.commit(staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("copied version %d of the shared documents", number)
    return number


# ---------------------------------------------------------------- a server following the corpus


class CorpusWatcher:
    """Reloads the engine when the corpus on disk is not the one it serves (a CLI ingest)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.token: str | None = None

    def check(self) -> bool:
        """One look; True when the engine was reloaded."""
        token = version_token(self.settings)
        if token == self.token:
            return False
        try:
            on_disk = corpus_fingerprint(load(self.settings))
            if on_disk == self.engine.index_manifest.get("corpus"):
                self.token = token
                return False
            self.engine.reload()
        except Exception:  # the server keeps answering from what it has; the next look tries again
            log.exception("could not reload the changed corpus")
            return False
        self.token = token
        log.info("corpus changed on disk: reloaded")
        return True


def watch_router(engine: Engine, settings: Settings) -> APIRouter | None:
    """A lifespan that polls the corpus every ``ASCC_CORPUS_POLL_S`` seconds; None when set to 0."""
    from fastapi import APIRouter

    if settings.corpus_poll_s <= 0:
        return None
    watcher = CorpusWatcher(engine, settings)

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        async def poll() -> None:
            while True:
                await asyncio.sleep(settings.corpus_poll_s)
                await asyncio.to_thread(watcher.check)

        task = asyncio.create_task(poll())
        try:
            yield
        finally:
            task.cancel()

    return APIRouter(lifespan=lifespan)
