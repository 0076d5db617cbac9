"""Citizens' 👍/👎 on answers, and every question asked through every door.

One SQLite file under ``ASCC_DATA_DIR`` by default; with ``ASCC_DATABASE_URL`` the PostgreSQL
database every replica shares (``feedback_store`` chooses; the SQL is the same, ``database.py``).
Editors read it on the ``/admin`` dashboard or with ``ascc-bot feedback export``; nothing but what
people typed and what the bot answered is kept (no IP address, no session id, no chat id, no
browser details).

Durability: each feedback is one transaction, committed before the HTTP reply says 200 (SQLite:
WAL with ``synchronous=FULL``, so a crash right after cannot lose an acknowledged row); when the
database cannot take it, the reply is a 503 and nothing is half-written. The question log is
written by a background thread in batches, so that no door waits for the database
(``log_question`` returns at once; reads flush what is pending first); while PostgreSQL is away the
questions wait in memory, up to ``QUEUE_MAX``, and are written when it returns.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import queue
import re
import sqlite3
import threading
import time as clock
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .database import Database, SqliteDatabase, StoreUnavailable, connect, shared_database

if TYPE_CHECKING:
    from .config import Settings
    from .models import Answer

FILE_NAME = "feedback.sqlite3"
MAX_QUESTION_CHARS = 1000
MAX_COMMENT_CHARS = 1000
MAX_ANSWER_ID_CHARS = 64
KINDS = ("feedback", "unanswered")
# Where a question came from; the web API accepts only the first two from clients.
CHANNELS = ("widget", "api", "telegram", "zalo")
# Vietnam has kept UTC+7, without daylight saving, since 1975: officials read times in it.
UTC_OFFSET_HOURS = 7
LOCAL_TZ = timezone(timedelta(hours=UTC_OFFSET_HOURS), "Asia/Ho_Chi_Minh")
LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"
# What a client may send as ``rating``, and what is stored for it.
RATINGS: dict[object, str] = {"up": "up", "down": "down", "+1": "up", "-1": "down", 1: "up", -1: "down"}
EXPORT_FIELDS = ("id", "created_at", "updated_at", "kind", "channel", "question", "answer", "answer_id", "rating",
                 "comment", "intent", "handled_at")
TIME_FIELDS = ("created_at", "updated_at", "handled_at")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUEUE_MAX = 10_000  # questions waiting for the writer; beyond that the log drops (and says so)
NOT_STORED = ("Chưa lưu được góp ý: cơ sở dữ liệu tạm thời không truy cập được, không có gì bị ghi dở. "
              "Xin gửi lại sau ít phút.")

log = logging.getLogger(__name__)

_ANSWER_ID = re.compile(r"^[A-Za-z0-9_-]+$")

# Schema versions, applied in order by ``FeedbackStore`` (PRAGMA user_version says which are in).
_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('feedback', 'unanswered')),
    question TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    rating TEXT CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    intent TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, answer_id)
);
"""
# v2: every question from every door (the dashboard's counts and the answer text of a 👎),
# and "đã xử lý" marks. Unanswered questions logged by v1 move into the question log.
_SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    intent TEXT NOT NULL DEFAULT '',
    answerable INTEGER NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    handled_at TEXT
);
CREATE INDEX IF NOT EXISTS questions_by_time ON questions (created_at);
CREATE INDEX IF NOT EXISTS questions_by_answer ON questions (answer_id);
ALTER TABLE feedback ADD COLUMN handled_at TEXT;
INSERT INTO questions (created_at, channel, question, answer_id, intent, answerable)
    SELECT created_at, '', question, answer_id, intent, 0 FROM feedback WHERE kind = 'unanswered';
DELETE FROM feedback WHERE kind = 'unanswered';
"""
MIGRATIONS = (_SCHEMA_V1, _SCHEMA_V2)


class FeedbackError(ValueError):
    """A feedback request that cannot be stored; the message is for the person (Vietnamese)."""


@dataclass(frozen=True)
class Feedback:
    question: str
    answer_id: str
    rating: str  # "up" | "down"
    comment: str = ""


def feedback_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def parse_feedback(data: object) -> Feedback:
    """Validate a POST /api/feedback body; every problem is listed in one message."""
    if not isinstance(data, dict):
        raise FeedbackError("Góp ý không hợp lệ: nội dung phải là một đối tượng JSON "
                            "{question, answer_id, rating, comment}.")
    problems: list[str] = []

    def text_field(name: str, what: str, limit: int, required: bool) -> str:
        value = data.get(name)
        if value is None:
            if required:
                problems.append(f"thiếu trường '{name}' ({what})")
            return ""
        if not isinstance(value, str):
            problems.append(f"trường '{name}' phải là chuỗi ký tự")
            return ""
        value = _text(value)
        if required and not value:
            problems.append(f"trường '{name}' ({what}) đang trống")
        elif len(value) > limit:
            problems.append(f"trường '{name}' quá dài (tối đa {limit} ký tự)")
        return value

    question = text_field("question", "câu hỏi đã hỏi", MAX_QUESTION_CHARS, True)
    answer_id = text_field("answer_id", "mã câu trả lời", MAX_ANSWER_ID_CHARS, True)
    if answer_id and len(answer_id) <= MAX_ANSWER_ID_CHARS and not _ANSWER_ID.match(answer_id):
        problems.append("trường 'answer_id' chỉ gồm chữ cái không dấu, chữ số, '-' và '_'")
    comment = text_field("comment", "nhận xét", MAX_COMMENT_CHARS, False)
    raw_rating = data.get("rating")
    # bool is an int in Python: true must not pass for 1; lists and objects are not hashable
    rating = RATINGS.get(raw_rating) if isinstance(raw_rating, str | int) and not isinstance(raw_rating, bool) \
        else None
    if raw_rating is None:
        problems.append("thiếu trường 'rating' (\"up\" hoặc \"down\")")
    elif rating is None:
        problems.append("trường 'rating' phải là \"up\" (hữu ích) hoặc \"down\" (chưa hữu ích); cũng nhận 1 và -1")
    if problems:
        raise FeedbackError("Góp ý không hợp lệ: " + "; ".join(problems) + ".")
    return Feedback(question, answer_id, rating or "", comment)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def local_time(stored: str) -> str:
    """A stored UTC time as officials read it: "2026-11-29 22:44:16" in Asia/Ho_Chi_Minh."""
    if not stored:
        return ""
    return datetime.fromisoformat(stored).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")


def utc_bound(day: date, *, end: bool = False) -> str:
    """The stored-time bound of a local calendar day (its first second, or the first of the next day)."""
    start = datetime.combine(day + timedelta(days=1) if end else day, time(), LOCAL_TZ)
    return start.astimezone(UTC).isoformat(timespec="seconds")


def csv_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading =, +, -, @, tab or CR gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Filters:
    """What the dashboard and the export narrow to: local dates (inclusive) and one channel."""

    since: date | None = None
    until: date | None = None
    channel: str = ""
    include_handled: bool = False

    def where(self, table: str = "questions", handled: bool = True) -> tuple[str, list]:
        clauses, params = [], []
        if self.since:
            clauses.append(f"{table}.created_at >= ?")
            params.append(utc_bound(self.since))
        if self.until:
            clauses.append(f"{table}.created_at < ?")
            params.append(utc_bound(self.until, end=True))
        if self.channel:
            clauses.append("questions.channel = ?")
            params.append(self.channel)
        if handled and not self.include_handled:
            clauses.append(f"{table}.handled_at IS NULL")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def feedback_store(settings: Settings) -> FeedbackStore:
    """The shared PostgreSQL database with ``ASCC_DATABASE_URL``, else the SQLite file under ``ASCC_DATA_DIR``."""
    db = shared_database(settings)
    return FeedbackStore(db if db is not None else feedback_path(settings.data_dir))


class FeedbackStore:
    """Feedback and the question log in ``where``: a SQLite file (a path), or a ``Database`` such as the
    shared PostgreSQL one, whose schema it keeps itself (``database.MIGRATIONS``)."""

    def __init__(self, where: Path | Database) -> None:
        self.path: Path | None = None  # the SQLite file, if that is where
        if isinstance(where, Database):
            self.db = where
        else:
            self.path = Path(where)
            self.db = SqliteDatabase(self.path)
            conn = connect(self.path)
            try:
                # journal_mode is stored in the file; synchronous is per connection (database.connect)
                conn.execute("PRAGMA journal_mode=WAL")
                self._migrate(conn)
            finally:
                conn.close()
        self._pending: queue.Queue[tuple | None] = queue.Queue(maxsize=QUEUE_MAX)
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()
        self._closing = threading.Event()
        self._store_away = False  # the writer waits for the database to come back

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Bring an older file up to this version, one step per schema version, each in one transaction."""
        conn.isolation_level = None  # explicit BEGIN: executescript would commit step by step otherwise
        conn.execute("BEGIN IMMEDIATE")  # two processes starting at once: one migrates, the other waits
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in (s.strip() for s in script.split(";")):
                    if statement:
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _write(self, sql: str, params: tuple, kind: str, answer_id: str) -> int:
        """Run one upsert and return the row's id, in one transaction committed before returning
        (with SQLite's synchronous=FULL, the WAL is synced too)."""
        with self.db.transaction() as tx:
            tx.execute(sql, params)
            return int(tx.rows("SELECT id FROM feedback WHERE kind = ? AND answer_id = ?", (kind, answer_id))[0]["id"])

    def _read(self, sql: str, params: Sequence = ()) -> list[dict[str, Any]]:
        if not self._store_away:  # while the database is away the writer cannot catch up: no waiting for it
            self.flush()
        return self.db.rows(sql, params)

    def add_feedback(self, item: Feedback) -> int:
        """One row per answer: a later 👍/👎 or comment on the same answer replaces the earlier one,
        except that the same rating again without a comment keeps the comment already given.
        ``StoreUnavailable`` (nothing written) when the shared database cannot be reached."""
        now = _now()
        try:
            return self._write(
                "INSERT INTO feedback (created_at, updated_at, kind, question, answer_id, rating, comment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, answer_id) DO UPDATE SET "
                "updated_at = excluded.updated_at, question = excluded.question, rating = excluded.rating, "
                "handled_at = NULL, "
                "comment = CASE WHEN excluded.comment = '' AND excluded.rating = feedback.rating "
                "THEN feedback.comment ELSE excluded.comment END",
                (now, now, "feedback", item.question, item.answer_id, item.rating, item.comment),
                "feedback", item.answer_id)
        except StoreUnavailable as exc:
            raise StoreUnavailable(NOT_STORED) from exc

    # ------------------------------------------------------------ the question log

    def log_question(self, channel: str, question: str, answer: Answer) -> None:
        """What every door calls after ``engine.ask``: queued for the writer thread, never blocking.

        Under a flood beyond ``QUEUE_MAX`` waiting rows the newest are dropped with a warning:
        the log is for editors' statistics, and answering must not wait for it."""
        row = (_now(), channel, _text(question)[:MAX_QUESTION_CHARS], answer.answer_id, answer.intent,
               bool(answer.answerable), answer.answer)
        self._start_writer()
        try:
            self._pending.put_nowait(row)
        except queue.Full:
            log.warning("question log full (%d waiting): a question from %s was not logged", QUEUE_MAX, channel)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every question logged so far is on disk (True), or ``timeout`` passes."""
        pending = self._pending
        with pending.all_tasks_done:
            return pending.all_tasks_done.wait_for(lambda: pending.unfinished_tasks == 0, timeout)

    def close(self) -> None:
        """Write what is pending and stop the writer (the app's shutdown, the end of a polling command).
        Questions waiting for a database that is away are given up after one more try."""
        with self._writer_lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            self._closing.set()
            self._pending.put(None)
            writer.join(timeout=30)

    def _start_writer(self) -> None:
        if self._writer is not None:
            return
        with self._writer_lock:
            if self._writer is None:
                self._closing.clear()
                self._writer = threading.Thread(target=self._write_questions, name="question-log", daemon=True)
                self._writer.start()

    def _write_questions(self) -> None:
        while True:
            batch = [self._pending.get()]
            while len(batch) < 500:  # one transaction for whatever arrived meanwhile
                try:
                    batch.append(self._pending.get_nowait())
                except queue.Empty:
                    break
            rows = [row for row in batch if row is not None]
            try:
                if rows:
                    self._insert_questions(rows)
            finally:
                for _ in batch:
                    self._pending.task_done()
            if len(rows) < len(batch):
                return

    def _insert_questions(self, rows: list[tuple], tries: int = 10) -> None:
        """One transaction for a batch: answering never waits for it, and never stops for it.

        A SQLite file locked by another writer frees up, so that is waited for (backing off up to half
        a minute in all). PostgreSQL away is waited for until it returns, the rows kept in memory (new
        questions queue behind them, up to ``QUEUE_MAX``), or until the store closes. A full disk or a
        broken file is logged and the batch dropped."""
        attempt = 0
        while True:
            try:
                with self.db.transaction() as tx:
                    tx.executemany("INSERT INTO questions (created_at, channel, question, answer_id, intent, "
                                   "answerable, answer) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                self._store_away = False
                return
            except StoreUnavailable:
                if self._closing.is_set():
                    log.warning("question log: %d questions not written, the database is unreachable at shutdown",
                                len(rows))
                    return
                if not self._store_away:
                    self._store_away = True
                    log.warning("question log: the database is unreachable; questions wait in memory (at most %d) "
                                "until it returns", QUEUE_MAX)
                self._closing.wait(min(0.5 * 2 ** min(attempt, 4), 5.0))  # a shutdown ends the wait
            except sqlite3.OperationalError as exc:
                busy = getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
                if not busy or attempt == tries - 1:
                    log.exception("could not write %d logged questions", len(rows))
                    return
                clock.sleep(min(0.5 * 2 ** attempt, 5.0))
            except sqlite3.Error:
                log.exception("could not write %d logged questions", len(rows))
                return
            attempt += 1

    # ------------------------------------------------------------ reading

    def rows(self, kind: str | None = None, filters: Filters | None = None) -> list[dict]:
        """Feedback (with the answer that was rated and its channel) and unanswered questions,
        oldest first within each kind; times as stored (UTC)."""
        filters = filters or Filters(include_handled=True)
        out: list[dict] = []
        if kind in (None, "feedback"):
            where, params = filters.where("feedback")
            where = (where + " AND" if where else " WHERE") + " feedback.kind = 'feedback'"
            sql = ("SELECT feedback.id, feedback.created_at, feedback.updated_at, feedback.kind, "
                   "COALESCE(questions.channel, '') AS channel, feedback.question, "
                   "COALESCE(questions.answer, '') AS answer, feedback.answer_id, feedback.rating, "
                   "feedback.comment, COALESCE(questions.intent, feedback.intent) AS intent, feedback.handled_at "
                   "FROM feedback LEFT JOIN questions ON questions.id = (SELECT MIN(id) FROM questions q "
                   "WHERE q.answer_id = feedback.answer_id)" + where + " ORDER BY feedback.id")
            out += [self._export_row(r) for r in self._read(sql, params)]
        if kind in (None, "unanswered"):
            where, params = filters.where("questions")
            where = (where + " AND" if where else " WHERE") + " NOT questions.answerable"
            sql = ("SELECT id, created_at, created_at AS updated_at, 'unanswered' AS kind, channel, question, "
                   "answer, answer_id, NULL AS rating, '' AS comment, intent, handled_at FROM questions"
                   + where + " ORDER BY id")
            out += [self._export_row(r) for r in self._read(sql, params)]
        return out

    @staticmethod
    def _export_row(row: dict[str, Any]) -> dict:
        return {k: ("" if row[k] is None else row[k]) for k in EXPORT_FIELDS}

    def daily_counts(self, filters: Filters) -> list[tuple[date, int, int]]:
        """(local day, questions, refusals) for every day with a question, oldest first."""
        where, params = Filters(filters.since, filters.until, filters.channel, True).where()
        sql = (f"SELECT {self.db.local_day('created_at', UTC_OFFSET_HOURS)} AS day, COUNT(*) AS asked, "
               "SUM(CASE WHEN NOT answerable THEN 1 ELSE 0 END) AS refused FROM questions"
               + where + " GROUP BY day ORDER BY day")
        return [(date.fromisoformat(r["day"]), int(r["asked"]), int(r["refused"])) for r in self._read(sql, params)]

    def channel_counts(self, filters: Filters) -> dict[str, int]:
        where, params = Filters(filters.since, filters.until, "", True).where()
        sql = "SELECT channel, COUNT(*) AS n FROM questions" + where + " GROUP BY channel"
        return {r["channel"]: int(r["n"]) for r in self._read(sql, params)}

    def mark_handled(self, kind: str, ids: Iterable[int]) -> int:
        """Mark feedback rows or unanswered questions "đã xử lý"; returns how many changed."""
        table = {"feedback": "feedback", "unanswered": "questions"}[kind]
        ids = [int(i) for i in ids]
        if not ids:
            return 0
        marks = ",".join("?" * len(ids))
        return self.db.run(f"UPDATE {table} SET handled_at = ? WHERE handled_at IS NULL AND id IN ({marks})",
                           (_now(), *ids))


def write_export(rows: Iterable[dict], fmt: str, out: io.TextIOBase) -> int:
    """CSV or JSON Lines, times in Asia/Ho_Chi_Minh.

    CSV: a header row that names the time zone, RFC 4180 quoting, and the formula guard on every
    cell, because officials open it in Excel. JSON Lines: one object per line, UTF-8 as is,
    times as ISO 8601 with their +07:00 offset."""
    count = 0
    if fmt == "csv":
        header = [f"{k} ({LOCAL_TZ_NAME})" if k in TIME_FIELDS else k for k in EXPORT_FIELDS]
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_safe(local_time(row[k]) if k in TIME_FIELDS else row[k]) for k in EXPORT_FIELDS])
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            local = {k: datetime.fromisoformat(row[k]).astimezone(LOCAL_TZ).isoformat() if k in TIME_FIELDS
                     and row[k] else row[k] for k in EXPORT_FIELDS}
            out.write(json.dumps(local, ensure_ascii=False) + "\n")
            count += 1
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return count
