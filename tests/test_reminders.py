"""Deadline reminders: dates read from the documents' words, /nhacviec, /lich and /huynhacviec on
Telegram and Zalo, each reminder 30, 7 and 1 days before, exactly once across restarts and replicas.

The clock is injected (a fake set to any instant); the bots are the real ones, long polling the
fake Bot API servers on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime

import pytest

from ascc_bot import corpus_store
from ascc_bot.engine import Engine
from ascc_bot.facts import TimeFact
from ascc_bot.feedback import LOCAL_TZ
from ascc_bot.ingest import ingest_bytes
from ascc_bot.obligations import obligations, read_date, upcoming
from ascc_bot.sessions import MemoryStateStore
from bots.commands import BotServices
from bots.reminders import ReminderScheduler, ReminderStore, Subscription, due_reminders
from bots.telegram_bot import TelegramPlatform
from bots.zalo_bot import ZaloClient, ZaloPlatform

from conftest import PLAN_ID, PollingDoor
from fake_telegram import TOKEN as TELEGRAM_TOKEN
from fake_telegram import FakeTelegram
from fake_zalo import TOKEN as ZALO_TOKEN
from fake_zalo import FakeZalo
from samples import docx_bytes

DECREE_ID = "quyet-dinh-999-qd-ubnd"
REPORT_QUOTE = "định kỳ trước ngày 01 tháng 12 hàng năm gửi báo cáo kết quả hoạt động về Sở Lao động"


class FakeClock:
    """Local (Asia/Ho_Chi_Minh) wall time, set by the test."""

    def __init__(self, local: str) -> None:
        self.set(local)

    def set(self, local: str) -> None:
        self.now = datetime.fromisoformat(local).replace(tzinfo=LOCAL_TZ)

    def __call__(self) -> datetime:
        return self.now


def fact(kind: str, when: str, quote: str) -> TimeFact:
    return TimeFact(kind, when, quote, "d", "VI.1", quote)


# ---------------------------------------------------------------- dates from words


@pytest.mark.parametrize(("when", "quote", "expected"), [
    ("trước ngày 01 tháng 12 hàng năm", "… trước ngày 01 tháng 12 hàng năm gửi báo cáo", (12, 1, None)),
    ("trước ngày 15 tháng 12 hằng năm", "… báo cáo Ủy ban trước ngày 15 tháng 12 hằng năm.", (12, 15, None)),
    ("trước ngày 05/01", "… trước ngày 05/01 hằng năm báo cáo", (1, 5, None)),
    ("trước ngày 15 tháng 12", "báo cáo Bộ trước ngày 15 tháng 12 năm 2099.", (12, 15, 2099)),
    ("trước ngày 30/6", "báo cáo Sở trước ngày 30/6/2030.", (6, 30, 2030)),
])
def test_a_deadline_is_read_from_its_words(when, quote, expected):
    assert read_date(fact("report_deadline", when, quote)) == expected


def test_a_milestone_is_due_at_the_end_of_its_year():
    assert read_date(fact("milestone", "Năm 2025", "- Năm 2025: Đánh giá cuối kỳ")) == (12, 31, 2025)


def test_the_plans_obligations_are_dated_from_its_facts(engine):
    items = obligations(engine)
    report = next(o for o in items if o.kind == "report_deadline")
    assert (report.doc_id, report.section_id, report.month, report.day, report.yearly) == (PLAN_ID, "VI.1", 12, 1,
                                                                                          True)
    assert REPORT_QUOTE in report.quote and report.recipient == "Sở Lao động Thương binh và Xã hội"
    assert report.agencies == ()  # "Các Sở, ban, ngành, Ủy ban nhân dân các quận, huyện …": every body
    milestones = sorted((o.year, o.month, o.day) for o in items if o.kind == "milestone")
    assert milestones == [(2017, 12, 31), (2020, 12, 31), (2025, 12, 31)]
    # a yearly deadline comes every year; past milestones do not come back
    coming = upcoming(items, date(2026, 11, 29), date(2027, 12, 31), "Sở Y tế")
    assert [(due, o.kind) for due, o in coming] == [(date(2026, 12, 1), "report_deadline"),
                                                   (date(2027, 12, 1), "report_deadline")]
    assert [due for due, _ in upcoming(items, date(2025, 1, 1), date(2025, 12, 31))] == [date(2025, 12, 1),
                                                                                         date(2025, 12, 31)]


def test_the_windows_of_30_7_and_1_days():
    item = next(o for o in obligations_of_text() if o.kind == "report_deadline")
    sub = Subscription("zalo", "c", "")

    def offset(day: str) -> list[int]:
        return [d.offset for d in due_reminders([item], [sub], date.fromisoformat(day))]

    assert offset("2026-10-31") == []  # 31 days before
    assert offset("2026-11-01") == [30]
    assert offset("2026-11-23") == [30]  # late (a server down, a chat that just subscribed): still once
    assert offset("2026-11-24") == [7]
    assert offset("2026-11-30") == [1]
    assert offset("2026-12-01") == []  # the day itself: too late to remind
    assert offset("2026-12-02") == []  # next year's 30-day window has not begun


def obligations_of_text():
    """The plan's obligations without an engine: enough for date arithmetic."""
    from ascc_bot.obligations import Obligation

    return [Obligation("report_deadline", "trước ngày 01 tháng 12 hàng năm", REPORT_QUOTE, REPORT_QUOTE, PLAN_ID,
                       "Kế hoạch ASCC Hải Phòng", "VI.1", "", 12, 1, None, ())]


def test_a_claim_goes_to_exactly_one_replica(tmp_path):
    """Eight schedulers (threads, each with its own store object on the same file) race for one row."""
    path = tmp_path / "feedback.sqlite3"
    now = datetime(2026, 11, 1, 9, tzinfo=LOCAL_TZ)
    won: list[bool] = []
    barrier = threading.Barrier(8)

    def race() -> None:
        store = ReminderStore(path)
        barrier.wait()
        won.append(store.claim("r1", "zalo", "c1", 30, now))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert won.count(True) == 1
    store = ReminderStore(path)
    assert not store.claim("r1", "zalo", "c1", 30, now)  # held
    store.release("r1", "zalo", "c1", 30)  # the send failed
    assert store.claim("r1", "zalo", "c1", 30, now)  # retried
    store.mark_sent("r1", "zalo", "c1", 30, now)
    store.release("r1", "zalo", "c1", 30)
    assert not store.claim("r1", "zalo", "c1", 30, now.replace(year=2027))  # sent is final


# ---------------------------------------------------------------- Telegram, long polling, fake clock


@pytest.fixture
def telegram_bot(engine, settings, tmp_path) -> Iterator[tuple[FakeTelegram, FakeClock, BotServices, object]]:
    clock = FakeClock("2026-10-20T09:00:00")
    services = BotServices(None, ReminderStore(tmp_path / "feedback.sqlite3"), MemoryStateStore(), clock)
    bot_settings = replace(settings, telegram_token=TELEGRAM_TOKEN, public_url="https://hoidap.example.vn")
    with FakeTelegram() as fake:
        bot_settings = replace(bot_settings, telegram_base_url=f"{fake.url}/bot")

        def start() -> PollingDoor:
            """A fresh process, as far as the bot can tell: new store objects on the same database file."""
            fresh = BotServices(None, ReminderStore(tmp_path / "feedback.sqlite3"), MemoryStateStore(), clock)
            return PollingDoor(TelegramPlatform(bot_settings, poll_timeout=1), bot_settings, engine, fresh,
                               reminder_tick_s=0.05)

        yield fake, clock, services, start


def texts(fake: FakeTelegram, chat: int) -> list[str]:
    return [m["text"] for m in fake.sent(chat)]


def reminders(fake: FakeTelegram, chat: int) -> list[str]:
    return [t for t in texts(fake, chat) if t.startswith("⏰ Nhắc hạn")]


def test_telegram_subscribe_and_get_each_reminder_once(telegram_bot):
    fake, clock, services, start = telegram_bot
    chat = 501
    with start():
        fake.push_text(chat, "/nhacviec so y te")
        reply = fake.wait_sent(chat)[0]["text"]
        assert reply.startswith("Đã đăng ký nhắc hạn.") and "các hạn liên quan đến Sở Y tế" in reply
        assert "01/12/2026 (còn 42 ngày): Hạn gửi báo cáo về Sở Lao động Thương binh và Xã hội" in reply
        assert "Thêm vào lịch: https://hoidap.example.vn/api/calendar.ics?agency=S%E1%BB%9F+Y+t%E1%BA%BF" in reply

        clock.set("2026-11-01T07:59:00")  # before office hours: nothing yet
        fake.push_text(chat, "/lich")
        assert "Các hạn sắp tới của Sở Y tế" in fake.wait_sent(chat, 2)[1]["text"]
        assert reminders(fake, chat) == []

        clock.set("2026-11-01T08:00:00")
        fake.wait_for(lambda: len(reminders(fake, chat)) == 1)
        first = fake.sent(chat)[-1]
        assert first["text"].startswith("⏰ Nhắc hạn: còn 30 ngày (01/12/2026)")
        assert REPORT_QUOTE in first["text"]
        assert "Nguồn: Kế hoạch ASCC Hải Phòng, Mục VI, khoản 1" in first["text"]
        link = next(e for e in first["entities"] if e["type"] == "text_link")
        assert link["url"] == f"https://hoidap.example.vn/doc/{PLAN_ID}#VI.1"

        clock.set("2026-11-24T09:00:00")
        fake.wait_for(lambda: len(reminders(fake, chat)) == 2)
        assert reminders(fake, chat)[1].startswith("⏰ Nhắc hạn: còn 7 ngày (01/12/2026)")

    # a restart on the due day: the reminder already sent is not sent again
    with start() as again:
        fake.wait_calls("getUpdates", 2)
        asyncio.run_coroutine_threadsafe(asyncio.sleep(0.3), again.loop).result()
        assert len(reminders(fake, chat)) == 2
        clock.set("2026-11-30T10:00:00")
        fake.wait_for(lambda: len(reminders(fake, chat)) == 3)
        assert reminders(fake, chat)[2].startswith("⏰ Nhắc hạn: ngày mai (01/12/2026)")
        fake.push_text(chat, "/huynhacviec")
        fake.wait_for(lambda: "Đã hủy nhắc hạn" in texts(fake, chat)[-1])
    assert services.reminders.subscription("telegram", str(chat)) is None
    assert services.reminders.sent_count("telegram", str(chat)) == 3


def test_telegram_failed_send_is_retried_without_duplicates_and_a_blocked_chat_unsubscribed(telegram_bot):
    fake, clock, services, start = telegram_bot
    services.reminders.subscribe("telegram", "502", "", clock())
    services.reminders.subscribe("telegram", "503", "", clock())
    fake.fail_once[("sendMessage", "502")] = (500, "Internal Server Error")
    fake.fail_once[("sendMessage", "503")] = (403, "Forbidden: bot was blocked by the user")
    clock.set("2026-11-01T09:00:00")
    with start():
        fake.wait_for(lambda: services.reminders.subscription("telegram", "503") is None)  # 503 blocked the bot
        fake.wait_for(lambda: len(reminders(fake, 502)) == 1)
        attempts = len(fake.calls_of("sendMessage", chat_id=502))
        assert attempts >= 2  # the failed one, then the one that went through
        asyncio.run(asyncio.sleep(0.3))
        assert len(reminders(fake, 502)) == 1 and reminders(fake, 503) == []


def test_an_ambiguous_or_unknown_agency_gets_the_same_replies_as_nhiemvu(telegram_bot):
    fake, _, services, start = telegram_bot
    with start():
        fake.push_text(504, "/nhacviec Sở Xây dựng")
        assert "không nêu cơ quan nào tên «Sở Xây dựng»" in fake.wait_sent(504)[0]["text"]
        fake.push_text(504, "/nhacviec UBND")
        reply = fake.wait_sent(504, 2)[1]["text"]
        assert reply.startswith("Có 2 cơ quan khớp với «UBND»") and "Ví dụ: /nhacviec Ủy ban nhân dân" in reply
    assert services.reminders.subscriptions("telegram") == []


# ---------------------------------------------------------------- Zalo, and a decree added later


@pytest.fixture(scope="module")
def decree_engine(tmp_path_factory, settings, engine, encoder) -> Engine:
    """The plan plus the fictional sample decree ("… báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12
    hằng năm", Article 3, clause 1, a duty of Sở Lao động - Thương binh và Xã hội)."""
    base = tmp_path_factory.mktemp("reminders")
    shutil.copytree(settings.corpus_dir, base / "corpus")
    shutil.copytree(settings.index_dir, base / "index")
    own = replace(settings, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data")
    corpus_store.apply(own, encoder, lambda stage: ingest_bytes(stage, docx_bytes(), "qd-999.docx"))
    return Engine(own, encoder=encoder, progress=False, log=lambda msg: None)


def test_an_ingested_decree_gives_reminders_to_the_body_it_names(decree_engine, tmp_path):
    decree = next(o for o in obligations(decree_engine) if o.doc_id == DECREE_ID)
    assert (decree.section_id, decree.month, decree.day, decree.yearly) == ("Dieu-3.Khoan-1", 12, 15, True)
    assert decree.agencies == ("Sở Lao động Thương binh và Xã hội",)
    clock = FakeClock("2026-11-15T09:00:00")
    services = BotServices(None, ReminderStore(tmp_path / "feedback.sqlite3"), MemoryStateStore(), clock)
    settings = replace(decree_engine.settings, zalo_token=ZALO_TOKEN)
    with FakeZalo() as fake:
        settings = replace(settings, zalo_base_url=fake.url)
        with PollingDoor(ZaloPlatform(settings, poll_timeout=1), settings, decree_engine, services,
                         reminder_tick_s=0.05):
            fake.push(fake.event("labour", "/nhacviec LĐ-TB&XH"))
            fake.push(fake.event("health", "/nhacviec Sở Y tế"))
            reminded = fake.wait_for(lambda: len(r := [t for t in fake.sent("labour") if t.startswith("⏰")]) == 2
                                     and r)
            fake.wait_for(lambda: any(t.startswith("⏰") for t in fake.sent("health")))
            fake.push(fake.event("labour", "/lich"))
            listing = fake.wait_sent("labour", 4)[3]
    plan, decree_reminder = sorted(reminded, key=lambda t: "15/12" in t)
    assert plan.startswith("⏰ Nhắc hạn: còn 16 ngày (01/12/2026)")
    assert decree_reminder.startswith("⏰ Nhắc hạn: còn 30 ngày (15/12/2026)")
    assert "báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 hằng năm" in decree_reminder
    assert "Nguồn: Quyết định 999/QĐ-UBND, Khoản 1 Điều 3" in decree_reminder
    # the decree's deadline is the labour department's, not the health department's
    assert [t for t in fake.sent("health") if t.startswith("⏰")] == [plan]
    assert "15/12/2026 (còn 30 ngày)" in listing and "01/12/2026 (còn 16 ngày)" in listing


def tick_as_replicas(engine, fake: FakeZalo, stores: list[ReminderStore], clock) -> list[int]:
    """Each store a replica's: their schedulers tick at the same instant, twice (a restart on the due day
    too); how many reminders each tick sent."""
    async def replicas() -> list[int]:
        clients = [ZaloClient(ZALO_TOKEN, fake.url) for _ in stores]

        def sender(client: ZaloClient):
            async def send(chat_id: str, lines) -> None:
                from bots.common import to_messages

                for part in to_messages(lines, "text", 2000):
                    await client.send_message(chat_id, part)
            return send

        schedulers = [ReminderScheduler(engine, store, "zalo", sender(c), clock=clock)
                      for store, c in zip(stores, clients)]
        try:
            counts = await asyncio.gather(*(s.tick() for s in schedulers))
            counts += await asyncio.gather(*(s.tick() for s in schedulers))  # and again, later that day
        finally:
            for c in clients:
                await c.aclose()
        return counts

    return asyncio.run(replicas())


def test_two_replicas_send_a_reminder_once(engine, tmp_path):
    """Two schedulers sharing one database tick at the same instant."""
    clock = FakeClock("2026-11-24T09:00:00")
    path = tmp_path / "feedback.sqlite3"
    ReminderStore(path).subscribe("zalo", "u-rep", "", clock())
    with FakeZalo() as fake:
        counts = tick_as_replicas(engine, fake, [ReminderStore(path), ReminderStore(path)], clock)
        assert sum(counts) == 1
        assert len(fake.sent("u-rep")) == 1 and fake.sent("u-rep")[0].startswith("⏰ Nhắc hạn: còn 7 ngày")


def test_the_scheduler_runs_inside_serve_with_the_webhook(engine, settings, tmp_path):
    """Webhook mode: the reminder scheduler starts with ``ascc-bot serve`` once the webhook is registered."""
    from ascc_bot.feedback import feedback_path
    from ascc_bot.server import build_app

    from conftest import LiveServer, free_port

    clock = FakeClock("2026-11-24T09:00:00")
    served = replace(settings, data_dir=tmp_path, zalo_token=ZALO_TOKEN, zalo_secret="zalo-test-secret",
                     zalo_webhook_url="https://ascc.example.vn/webhooks/zalo")
    ReminderStore(feedback_path(tmp_path)).subscribe("zalo", "w-remind", "", clock())
    with FakeZalo() as fake:
        served = replace(served, zalo_base_url=fake.url)
        with LiveServer(build_app(served, engine, clock=clock), free_port()):
            reminder = fake.wait_sent("w-remind")[0]
    assert reminder.startswith("⏰ Nhắc hạn: còn 7 ngày (01/12/2026)")
    assert "Nguồn: Kế hoạch ASCC Hải Phòng, Mục VI, khoản 1" in reminder


def test_help_links_to_the_matrix_and_lists_the_reminder_commands(telegram_bot):
    fake, _, _, start = telegram_bot
    with start():
        names = {c["command"] for c in fake.wait_calls("setMyCommands")[0].params["commands"]}
        assert {"nhacviec", "huynhacviec", "lich"} <= names
        fake.push_text(505, "/help")
        text = fake.wait_sent(505)[0]["text"]
    assert "/nhacviec [tên cơ quan]" in text and "/lich" in text and "/huynhacviec" in text
    assert "Bảng phân công nhiệm vụ (● chủ trì, ○ phối hợp): https://hoidap.example.vn/nhiem-vu" in text
