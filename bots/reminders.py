"""Deadline reminders for chats that ask for them (``/nhacviec``): who subscribed, what was sent,
and the scheduler that sends each reminder 30, 7 and 1 days before the date, exactly once.

Exactly once, across restarts and replicas: before sending, a scheduler claims the row
(reminder, chat, offset) with ``INSERT … ON CONFLICT DO NOTHING``; only the one whose insert
went in sends. A failed send releases the claim, so a later tick retries it; a claim whose
sender died before it could say "sent" is taken over after ``LEASE_S``. (A sender killed between
the platform accepting the message and the "sent" mark would be retried after the lease: the
only duplicate possible, and it needs a crash inside that instant.)

All SQL is in ``ReminderStore``: in the feedback database file by default, in the PostgreSQL
database every replica shares with ``ASCC_DATABASE_URL`` (``reminder_store`` chooses; the same SQL
runs on both, ``ascc_bot/database.py``), where the claim is the same atomic insert.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ascc_bot.database import Database, SqliteDatabase, connect, shared_database
from ascc_bot.feedback import LOCAL_TZ, feedback_path
from ascc_bot.obligations import REMINDER_DAYS, Obligation, horizon, obligations, upcoming

from .common import BLANK, Line, Span, line

if TYPE_CHECKING:
    from ascc_bot.config import Settings

log = logging.getLogger(__name__)

SEND_FROM_HOUR = 8  # local time: reminders arrive in office hours, not at midnight
TICK_S = 60.0
LEASE_S = 600.0  # a claim older than this, never marked sent, is retried
RELEASED = "1970-01-01T00:00:00+00:00"  # the claim time of a released claim: older than any lease

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reminder_subscriptions (
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    agency TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id)
);
CREATE TABLE IF NOT EXISTS reminders_sent (
    reminder TEXT NOT NULL,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    offset_days INTEGER NOT NULL,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (reminder, channel, chat_id, offset_days)
);
"""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Subscription:
    channel: str
    chat_id: str
    agency: str  # canonical name, or "" for every body


def reminder_store(settings: Settings) -> ReminderStore:
    """The shared PostgreSQL database with ``ASCC_DATABASE_URL``, else the feedback file under ``ASCC_DATA_DIR``."""
    db = shared_database(settings)
    return ReminderStore(db if db is not None else feedback_path(settings.data_dir))


class ReminderStore:
    """Subscriptions and sent reminders in ``where``: the feedback database file (a path), or a
    ``Database`` such as the shared PostgreSQL one (its schema is ``database.MIGRATIONS``)."""

    def __init__(self, where: Path | Database) -> None:
        if isinstance(where, Database):
            self.db = where
        else:
            self.db = SqliteDatabase(Path(where))
            conn = connect(self.db.path)
            try:
                conn.executescript(_SCHEMA)
            finally:
                conn.close()

    def _run(self, sql: str, params: tuple = ()) -> int:
        return self.db.run(sql, params)

    def subscribe(self, channel: str, chat_id: str, agency: str, now: datetime) -> None:
        self._run("INSERT INTO reminder_subscriptions (channel, chat_id, agency, created_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (channel, chat_id) DO UPDATE SET agency = excluded.agency",
                  (channel, chat_id, agency, now.isoformat()))

    def unsubscribe(self, channel: str, chat_id: str) -> bool:
        return self._run("DELETE FROM reminder_subscriptions WHERE channel = ? AND chat_id = ?", (channel, chat_id)) > 0

    def subscription(self, channel: str, chat_id: str) -> Subscription | None:
        found = [s for s in self.subscriptions(channel) if s.chat_id == chat_id]
        return found[0] if found else None

    def subscriptions(self, channel: str) -> list[Subscription]:
        rows = self.db.rows("SELECT channel, chat_id, agency FROM reminder_subscriptions WHERE channel = ? "
                            "ORDER BY created_at", (channel,))
        return [Subscription(row["channel"], row["chat_id"], row["agency"]) for row in rows]

    def claim(self, reminder: str, channel: str, chat_id: str, offset: int, now: datetime) -> bool:
        """True for exactly one caller per (reminder, chat, offset) until it is released or goes stale."""
        stamp = now.isoformat()
        if self._run("INSERT INTO reminders_sent (reminder, channel, chat_id, offset_days, claimed_at) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", (reminder, channel, chat_id, offset, stamp)):
            return True
        stale = (now - timedelta(seconds=LEASE_S)).isoformat()
        return self._run("UPDATE reminders_sent SET claimed_at = ?, attempts = attempts + 1 WHERE reminder = ? "
                         "AND channel = ? AND chat_id = ? AND offset_days = ? AND sent_at IS NULL AND claimed_at < ?",
                         (stamp, reminder, channel, chat_id, offset, stale)) == 1

    def mark_sent(self, reminder: str, channel: str, chat_id: str, offset: int, now: datetime) -> None:
        self._run("UPDATE reminders_sent SET sent_at = ? WHERE reminder = ? AND channel = ? AND chat_id = ? "
                  "AND offset_days = ?", (now.isoformat(), reminder, channel, chat_id, offset))

    def release(self, reminder: str, channel: str, chat_id: str, offset: int) -> None:
        """A send failed: let the next tick claim it again."""
        self._run("UPDATE reminders_sent SET claimed_at = ? WHERE reminder = ? AND channel = ? AND chat_id = ? "
                  "AND offset_days = ? AND sent_at IS NULL", (RELEASED, reminder, channel, chat_id, offset))

    def sent_count(self, channel: str, chat_id: str) -> int:
        return int(self.db.rows("SELECT COUNT(*) AS n FROM reminders_sent WHERE channel = ? AND chat_id = ? "
                                "AND sent_at IS NOT NULL", (channel, chat_id))[0]["n"])


# ---------------------------------------------------------------- what a reminder says


def local_today(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


def _link(obligation: Obligation, public_url: str) -> str:
    return obligation.url(public_url) if public_url.startswith(("http://", "https://")) else ""


def reminder_lines(obligation: Obligation, due: date, today: date, public_url: str) -> list[Line]:
    left = (due - today).days
    when = "ngày mai" if left == 1 else f"còn {left} ngày"
    what = obligation.title if obligation.kind == "report_deadline" else f"Mốc thực hiện {obligation.title}"
    return [line(Span(f"⏰ Nhắc hạn: {when} ({due:%d/%m/%Y})", "b")),
            line(what),
            line(Span(f"«{obligation.quote}»", "i")),
            line("Nguồn: ", Span(obligation.citation, "b", _link(obligation, public_url))),
            BLANK,
            line("Gõ /lich để xem các hạn sắp tới, /huynhacviec để thôi nhận nhắc hạn.")]


def calendar_lines(items: list[Obligation], today: date, agency: str, public_url: str) -> list[Line]:
    """What is coming, to the end of next year: the answer to /lich."""
    until = horizon(today)
    who = f" của {agency}" if agency else ""
    lines: list[Line] = [line(Span(f"Các hạn sắp tới{who} (đến {until:%d/%m/%Y})", "b"))]
    coming = upcoming(items, today, until, agency)
    for due, item in coming:
        left = (due - today).days
        lines.append(line(f"• {due:%d/%m/%Y} ({'hôm nay' if left == 0 else f'còn {left} ngày'}): ", item.title,
                          " (Nguồn: ", Span(item.citation, "b", _link(item, public_url)), ")"))
    if not coming:
        lines.append(line("Các văn bản hiện có không nêu hạn nào trong thời gian này."))
    if public_url.startswith(("http://", "https://")):
        query = f"?{urlencode({'agency': agency})}" if agency else ""
        ics = f"{public_url}/api/calendar.ics{query}"
        lines += [BLANK, line("Thêm vào lịch: ", Span(ics, "", ics))]
    return lines


# ---------------------------------------------------------------- the scheduler

Send = Callable[[str, list[Line]], Awaitable[None]]


class Undeliverable(Exception):
    """The platform will never deliver to this chat (the bot was blocked, the chat deleted)."""


@dataclass(frozen=True)
class Due:
    subscription: Subscription
    obligation: Obligation
    due: date
    offset: int


def due_reminders(items: list[Obligation], subscriptions: list[Subscription], today: date) -> list[Due]:
    """For each chat and obligation, the reminder whose window contains ``today``.

    The window of the 30-day reminder runs until the 7-day one begins, and so on, so a chat that
    subscribes (or a server that was down) on day 10 gets the 30-day reminder once, late, not
    three reminders at once; and nothing is sent for a window that has passed."""
    days = sorted(REMINDER_DAYS, reverse=True)
    out: list[Due] = []
    for sub in subscriptions:
        for item in items:
            if not item.concerns(sub.agency):
                continue
            due = item.due_on_or_after(today + timedelta(days=1))
            if due is None:
                continue
            left = (due - today).days
            for i, offset in enumerate(days):
                later = days[i + 1] if i + 1 < len(days) else 0
                if later < left <= offset:
                    out.append(Due(sub, item, due, offset))
                    break
    return out


class ReminderScheduler:
    """Sends the due reminders of one channel; ``run`` ticks until stopped, ``tick`` is one pass."""

    def __init__(self, engine, store: ReminderStore, channel: str, send: Send, *,
                 clock: Callable[[], datetime] = utc_now, public_url: str = "", tick_s: float = TICK_S) -> None:
        self.engine, self.store, self.channel, self.send = engine, store, channel, send
        self.clock, self.public_url, self.tick_s = clock, public_url, tick_s

    async def tick(self) -> int:
        """Send what is due now; returns how many reminders went out."""
        now = self.clock()
        if now.astimezone(LOCAL_TZ).hour < SEND_FROM_HOUR:
            return 0
        today = local_today(now)
        subscriptions = await asyncio.to_thread(self.store.subscriptions, self.channel)
        if not subscriptions:
            return 0
        sent = 0
        for item in due_reminders(obligations(self.engine), subscriptions, today):
            chat, key = item.subscription.chat_id, item.obligation.key(item.due)
            if not await asyncio.to_thread(self.store.claim, key, self.channel, chat, item.offset, now):
                continue
            try:
                await self.send(chat, reminder_lines(item.obligation, item.due, today, self.public_url))
            except Undeliverable as exc:
                log.warning("%s: chat %s cannot receive reminders (%s); unsubscribed", self.channel, chat, exc)
                await asyncio.to_thread(self.store.unsubscribe, self.channel, chat)
                continue
            except Exception as exc:  # the platform or the network: retried at a later tick
                log.warning("%s: reminder to chat %s not sent (%s); will retry", self.channel, chat, exc)
                await asyncio.to_thread(self.store.release, key, self.channel, chat, item.offset)
                continue
            await asyncio.to_thread(self.store.mark_sent, key, self.channel, chat, item.offset, self.clock())
            sent += 1
        return sent

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:  # a locked database, a reload in progress: the next tick tries again
                log.exception("%s: reminder tick failed", self.channel)
            try:
                await asyncio.wait_for(stop.wait(), self.tick_s)
            except TimeoutError:
                pass
