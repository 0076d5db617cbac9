"""The SQL database behind feedback, the question log, reminders and (with PostgreSQL) added documents.

Two implementations of one small protocol, ``Database``:

- ``SqliteDatabase``: the default, one file under ``ASCC_DATA_DIR``; nothing to run.
- ``PostgresDatabase``: with ``ASCC_DATABASE_URL`` (``postgresql://user:password@host:5432/db``), one
  database for every replica, through a connection pool per process (psycopg 3, psycopg_pool).

The stores (``feedback.py``, ``bots/reminders.py``) write each statement once for both: ``?``
placeholders (every value a parameter: a ``?`` inside a literal would be taken for one), and only
SQL both dialects read alike (``ON CONFLICT``, ``COALESCE``, ``NOT`` on a flag). Times go in and
come out as ISO 8601 strings in UTC; PostgreSQL keeps them as ``timestamptz``.

PostgreSQL's schema is ``MIGRATIONS``, numbered by their place in the list. A process applies the
ones the database lacks before its first statement, each in one transaction with its row in
``schema_migrations``, under an advisory lock: replicas starting together wait for one another
instead of racing. A new version adds migrations at the end; a shipped one is never edited.

When PostgreSQL cannot be reached, every call raises ``StoreUnavailable`` (a Vietnamese message;
the served app answers it with a 503) and nothing is half-written: each call is one transaction.
After a failure, calls fail at once for a short cool-down instead of each waiting for a connection,
and the first call after it tries again, so service recovers by itself.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .config import Settings
from .stores import Clients, Outage, without_password

if TYPE_CHECKING:
    import psycopg
    import psycopg_pool

log = logging.getLogger(__name__)
# The pool logs each failed reconnection attempt; an outage is told once, by ``Outage``, instead.
logging.getLogger("psycopg.pool").setLevel(logging.ERROR)

# A short wait: a locked SQLite file answers "busy" (503) in time rather than holding a worker.
BUSY_TIMEOUT_S = 1.5
POOL_SIZE = 4  # connections per process; requests queue in the web server's thread pool, not here
TIMEOUT_S = 2.0  # waiting for a connection: a healthy server on the LAN answers in milliseconds
COOL_DOWN_S = 1.0
LOCK_TIMEOUT_S = 120.0  # how long a writer waits for another replica's change to the corpus
SCHEMA_LOCK = "ascc-bot: schema"
UNREACHABLE = "Cơ sở dữ liệu PostgreSQL tạm thời không truy cập được; xin thử lại sau ít phút."


class StoreUnavailable(RuntimeError):
    """The shared database does not answer now; nothing was written. The message is for people."""

    status = 503


class Transaction(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...


class Database(ABC):
    """Where the stores' tables live; every ``transaction`` commits as a whole or not at all."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]: ...

    @abstractmethod
    def local_day(self, column: str, utc_offset_hours: int) -> str:
        """SQL for the calendar day of a stored UTC time, at a fixed offset from UTC."""

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement in a transaction of its own; the number of rows it changed."""
        with self.transaction() as tx:
            return tx.execute(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.transaction() as tx:
            return tx.rows(sql, params)


# ---------------------------------------------------------------- SQLite


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the SQLite file; every commit reaches the disk before it returns."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA synchronous=FULL")
    conn.row_factory = sqlite3.Row
    return conn


class SqliteDatabase(Database):
    """One file, a connection per call: callers are thread-pool workers, the event loop and writer threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        conn = connect(self.path)
        try:
            with conn:
                yield _SqliteTransaction(conn)
        finally:
            conn.close()

    def local_day(self, column: str, utc_offset_hours: int) -> str:
        return f"date({column}, '{utc_offset_hours:+d} hours')"


class _SqliteTransaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self.conn.execute(sql, params).rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.conn.execute(sql, params).fetchall()]


# ---------------------------------------------------------------- PostgreSQL

_FEEDBACK = """
CREATE TABLE feedback (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    kind text NOT NULL CHECK (kind IN ('feedback', 'unanswered')),
    question text NOT NULL,
    answer_id text NOT NULL,
    rating text CHECK (rating IN ('up', 'down')),
    comment text NOT NULL DEFAULT '',
    intent text NOT NULL DEFAULT '',
    handled_at timestamptz,
    UNIQUE (kind, answer_id)
);
CREATE TABLE questions (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL,
    channel text NOT NULL DEFAULT '',
    question text NOT NULL,
    answer_id text NOT NULL,
    intent text NOT NULL DEFAULT '',
    answerable boolean NOT NULL,
    answer text NOT NULL DEFAULT '',
    handled_at timestamptz
);
CREATE INDEX questions_by_time ON questions (created_at);
CREATE INDEX questions_by_answer ON questions (answer_id);
"""
_REMINDERS = """
CREATE TABLE reminder_subscriptions (
    channel text NOT NULL,
    chat_id text NOT NULL,
    agency text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    PRIMARY KEY (channel, chat_id)
);
CREATE TABLE reminders_sent (
    reminder text NOT NULL,
    channel text NOT NULL,
    chat_id text NOT NULL,
    offset_days integer NOT NULL,
    claimed_at timestamptz NOT NULL,
    sent_at timestamptz,
    attempts integer NOT NULL DEFAULT 1,
    PRIMARY KEY (reminder, channel, chat_id, offset_days)
);
"""
# Documents added through ingest, shared by every replica (corpus_store.py). A version is the whole
# list of added documents (and the shipped ones taken out); texts are stored once, by checksum.
_CORPUS = """
CREATE TABLE corpus_files (
    sha256 text PRIMARY KEY,
    data bytea NOT NULL
);
CREATE TABLE corpus_versions (
    version bigint PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    change text NOT NULL,
    manifest jsonb NOT NULL
);
"""
# (name, SQL): the number of a migration is its place in this list, from 1.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("feedback and question log", _FEEDBACK),
    ("reminder subscriptions and sent reminders", _REMINDERS),
    ("documents added through ingest", _CORPUS),
)


@functools.lru_cache(maxsize=256)
def _placeholders(sql: str) -> str:
    """``?`` placeholders as psycopg writes them (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """Values as the SQLite file gives them: times as ISO strings in UTC, days as ISO dates."""
    out = {}
    for key, value in row.items():
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat(timespec="seconds")
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, memoryview):
            value = value.tobytes()
        out[key] = value
    return out


class _PostgresTransaction:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self.conn.execute(_placeholders(sql), params).rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(_placeholders(sql), rows)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [_plain(row) for row in self.conn.execute(_placeholders(sql), params).fetchall()]


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database, its schema brought up to date before first use."""

    def __init__(self, url: str, *, migrations: Sequence[tuple[str, str]] = MIGRATIONS, pool_size: int = POOL_SIZE,
                 timeout_s: float = TIMEOUT_S, cool_down_s: float = COOL_DOWN_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        from psycopg.rows import dict_row

        self.url, self.where = url, without_password(url)
        self.migrations, self.pool_size, self.timeout_s = tuple(migrations), pool_size, timeout_s
        self.connect_options: dict[str, Any] = {
            "connect_timeout": max(2, round(timeout_s)),  # libpq's least
            "application_name": "ascc-bot", "row_factory": dict_row}
        self.pool = self._new_pool()
        self.outage = Outage(f"PostgreSQL {self.where}", "câu hỏi vẫn được trả lời; góp ý được trả lời 503, nhật ký "
                             "câu hỏi chờ trong bộ nhớ", "góp ý, nhật ký câu hỏi và văn bản dùng chung hoạt động lại",
                             cool_down_s, clock)
        self._ready = False
        self._ready_lock = threading.Lock()

    def _new_pool(self) -> psycopg_pool.ConnectionPool:
        from psycopg_pool import ConnectionPool

        # check: a pooled connection that a restarted server dropped is replaced before use, not failed on
        return ConnectionPool(self.url, min_size=1, max_size=self.pool_size, timeout=self.timeout_s, open=False,
                              name="ascc-bot", kwargs=self.connect_options, check=ConnectionPool.check_connection)

    def local_day(self, column: str, utc_offset_hours: int) -> str:
        return f"(({column} AT TIME ZONE 'UTC') + interval '{utc_offset_hours} hours')::date"

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        import psycopg

        self._prepare()
        try:
            with self.pool.connection() as conn:  # commits at the end, rolls back on any exception
                yield _PostgresTransaction(conn)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:  # PoolTimeout is an OperationalError
            self.outage.failed("transaction", exc)
            raise StoreUnavailable(UNREACHABLE) from exc
        self.outage.succeeded()

    def _prepare(self) -> None:
        """Fail at once during a cool-down; before the first statement, open the pool and migrate."""
        if self.outage.skipping():
            raise StoreUnavailable(UNREACHABLE)
        if self._ready:
            return
        with self._ready_lock:
            if not self._ready:
                self.migrate()
                self.pool.open(wait=False)
                self._ready = True

    @contextmanager
    def session(self, what: str) -> Iterator[psycopg.Connection]:
        """A connection of its own, outside the pool, in autocommit: for session locks, which end with it."""
        import psycopg

        try:
            with psycopg.connect(self.url, autocommit=True, **self.connect_options) as conn:
                yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            if isinstance(exc, psycopg.errors.LockNotAvailable):
                raise TimeoutError(f"{what}: {exc}") from exc
            self.outage.failed(what, exc)
            raise StoreUnavailable(UNREACHABLE) from exc

    @contextmanager
    def exclusive(self, name: str, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[psycopg.Connection]:
        """Held by one process at a time among every replica (an advisory lock on a session of its own,
        released when it ends, also when the process dies). TimeoutError when another holds it longer
        than ``timeout_s``."""
        with self.session(name) as conn:
            conn.execute(f"SET lock_timeout = {int(timeout_s * 1000)}")
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (name,))
            yield conn

    def migrate(self) -> list[int]:
        """Apply the migrations the database lacks, each once, whichever replica gets there first."""
        applied = []
        with self.exclusive(SCHEMA_LOCK) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                         "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            done = {row["version"] for row in conn.execute("SELECT version FROM schema_migrations")}
            for number, (name, sql) in enumerate(self.migrations, start=1):
                if number in done:
                    continue
                with conn.transaction():
                    conn.execute(sql)
                    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (number, name))
                log.info("PostgreSQL %s: applied migration %d (%s)", self.where, number, name)
                applied.append(number)
            newer = sorted(v for v in done if v > len(self.migrations))
            if newer:  # a rolling upgrade: a newer replica migrated first; its additions do not concern us
                log.warning("PostgreSQL %s has migrations %s that this version does not know", self.where, newer)
        return applied

    def ping(self) -> str | None:
        """None when PostgreSQL answers now; else why not (for readiness, so it bypasses the cool-down)."""
        import psycopg

        try:
            with psycopg.connect(self.url, autocommit=True, **self.connect_options) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            return f"PostgreSQL {self.where} không truy cập được ({str(exc).strip().splitlines()[0]})"
        return None

    def close(self) -> None:
        """Close the connections (the app's shutdown); a later call opens a new pool."""
        with self._ready_lock:
            pool, self.pool, self._ready = self.pool, self._new_pool(), False
        pool.close()


_databases: Clients[PostgresDatabase] = Clients(PostgresDatabase)


def shared_database(settings: Settings) -> PostgresDatabase | None:
    """This process's pool for ``ASCC_DATABASE_URL``; None when the setting is empty."""
    return _databases.get(settings.database_url)


def close_databases() -> None:
    _databases.close()
