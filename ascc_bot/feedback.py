"""Citizens' 👍/👎 on answers, and the questions the documents could not answer.

One SQLite file under ``ASCC_DATA_DIR``. Officials read it with
``ascc-bot feedback export``; nothing but the text people typed is kept (no IP address,
no session id, no browser details).

Durability: WAL with ``synchronous=FULL`` makes every commit reach the disk before the
HTTP reply says 200, so a crash right after cannot lose an acknowledged row.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FILE_NAME = "feedback.sqlite3"
MAX_QUESTION_CHARS = 1000
MAX_COMMENT_CHARS = 1000
MAX_ANSWER_ID_CHARS = 64
KINDS = ("feedback", "unanswered")
BUSY_TIMEOUT_S = 1.5
# What a client may send as ``rating``, and what is stored for it.
RATINGS: dict[object, str] = {"up": "up", "down": "down", "+1": "up", "-1": "down", 1: "up", -1: "down"}
EXPORT_FIELDS = ("id", "created_at", "updated_at", "kind", "question", "answer_id", "rating", "comment", "intent")

_ANSWER_ID = re.compile(r"^[A-Za-z0-9_-]+$")

_SCHEMA = """
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


class FeedbackStore:
    """The SQLite file. A connection per call: callers are threadpool workers and the event loop."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            # journal_mode is stored in the file; synchronous is per connection (see _connect)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # a short wait: a locked store answers "busy" (503) in time rather than holding a worker
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        conn.execute("PRAGMA synchronous=FULL")
        conn.row_factory = sqlite3.Row
        return conn

    def _write(self, sql: str, params: tuple, kind: str, answer_id: str) -> int:
        """Run one upsert and return the row's id."""
        conn = self._connect()
        try:
            with conn:  # commits (and, with synchronous=FULL, syncs the WAL) before returning
                conn.execute(sql, params)
                row = conn.execute("SELECT id FROM feedback WHERE kind = ? AND answer_id = ?",
                                   (kind, answer_id)).fetchone()
                return int(row["id"])
        finally:
            conn.close()

    def add_feedback(self, item: Feedback) -> int:
        """One row per answer: a later 👍/👎 or comment on the same answer replaces the earlier one,
        except that the same rating again without a comment keeps the comment already given."""
        now = _now()
        return self._write(
            "INSERT INTO feedback (created_at, updated_at, kind, question, answer_id, rating, comment) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, answer_id) DO UPDATE SET "
            "updated_at = excluded.updated_at, question = excluded.question, rating = excluded.rating, "
            "comment = CASE WHEN excluded.comment = '' AND excluded.rating = feedback.rating "
            "THEN feedback.comment ELSE excluded.comment END",
            (now, now, "feedback", item.question, item.answer_id, item.rating, item.comment),
            "feedback", item.answer_id)

    def add_unanswered(self, question: str, answer_id: str, intent: str) -> int:
        now = _now()
        return self._write(
            "INSERT INTO feedback (created_at, updated_at, kind, question, answer_id, intent) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, answer_id) DO NOTHING",
            (now, now, "unanswered", _text(question)[:MAX_QUESTION_CHARS], answer_id, intent),
            "unanswered", answer_id)

    def rows(self, kind: str | None = None) -> list[dict]:
        conn = self._connect()
        try:
            sql = f"SELECT {', '.join(EXPORT_FIELDS)} FROM feedback"
            cur = conn.execute(sql + " WHERE kind = ? ORDER BY id", (kind,)) if kind else \
                conn.execute(sql + " ORDER BY id")
            return [{k: ("" if row[k] is None else row[k]) for k in EXPORT_FIELDS} for row in cur]
        finally:
            conn.close()


def write_export(rows: Iterable[dict], fmt: str, out: io.TextIOBase) -> int:
    """CSV (header row, RFC 4180 quoting) or JSON Lines (one object per line, UTF-8 as is)."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return count
