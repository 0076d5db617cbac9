"""The stores in PostgreSQL (ASCC_DATABASE_URL), against a real throwaway cluster: the same behaviour as
the SQLite file, migrations applied once whoever starts first, feedback refused whole and the question
log kept waiting while PostgreSQL is away, and reminders sent once by racing replicas."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import date, datetime

import pytest
from test_reminders import FakeClock, tick_as_replicas

from ascc_bot.database import MIGRATIONS, PostgresDatabase, StoreUnavailable
from ascc_bot.feedback import NOT_STORED, Feedback, FeedbackStore, Filters, feedback_path, feedback_store
from ascc_bot.models import Answer
from bots.reminders import ReminderStore, reminder_store

from fake_zalo import FakeZalo
from servers import free_port


def answer(answer_id: str, answerable: bool = True, intent: str = "lead") -> Answer:
    return Answer(f"Câu trả lời {answer_id}.", answerable, intent, (), 1.0, answer_id)


def unreachable_url() -> str:
    return f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"


# ---------------------------------------------------------------- migrations


def test_the_setting_chooses_postgresql_for_feedback_and_reminders(settings, postgres_url, tmp_path):
    assert feedback_store(replace(settings, data_dir=tmp_path / "one")).path == feedback_path(tmp_path / "one")
    shared = replace(settings, data_dir=tmp_path / "replica", database_url=postgres_url)
    assert isinstance(feedback_store(shared).db, PostgresDatabase) and feedback_store(shared).path is None
    assert isinstance(reminder_store(shared).db, PostgresDatabase)
    assert not feedback_path(shared.data_dir).exists()  # nothing written to a local file


def test_a_database_at_an_older_schema_version_is_migrated_and_keeps_its_rows(postgres_url):
    old = PostgresDatabase(postgres_url, migrations=MIGRATIONS[:1])  # what the previous version knew
    row_id = FeedbackStore(old).add_feedback(Feedback("Hạn gửi báo cáo?", "a-old", "up", "Rõ ràng"))
    with pytest.raises(Exception, match="reminder_subscriptions"):
        old.rows("SELECT * FROM reminder_subscriptions")
    old.close()

    new = PostgresDatabase(postgres_url)
    assert new.migrate() == [2, 3]
    assert new.migrate() == []
    recorded = new.rows("SELECT version, name FROM schema_migrations ORDER BY version")
    assert [(r["version"], r["name"]) for r in recorded] == [(n, name) for n, (name, _) in enumerate(MIGRATIONS, 1)]
    rows = FeedbackStore(new).rows("feedback")
    assert [(r["id"], r["answer_id"], r["comment"]) for r in rows] == [(row_id, "a-old", "Rõ ràng")]
    assert ReminderStore(new).subscriptions("telegram") == []
    new.close()


def test_replicas_migrating_at_once_apply_each_migration_once(postgres_url):
    databases = [PostgresDatabase(postgres_url) for _ in range(4)]  # four processes' pools
    barrier = threading.Barrier(len(databases))
    applied: list[list[int]] = []

    def start(db: PostgresDatabase) -> None:
        barrier.wait()
        applied.append(db.migrate())

    threads = [threading.Thread(target=start, args=(db,)) for db in databases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(n for one in applied for n in one) == list(range(1, len(MIGRATIONS) + 1))
    assert databases[0].rows("SELECT COUNT(*) AS n FROM schema_migrations")[0]["n"] == len(MIGRATIONS)
    for db in databases:
        db.close()


# ---------------------------------------------------------------- feedback: the same behaviour as SQLite


def feedback_scenario(store: FeedbackStore) -> dict:
    """Everything the doors and the dashboard do with the store, and what they read back."""
    store.log_question("widget", "Sở nào chủ trì nhiệm vụ 6?", answer("a1"))
    store.log_question("telegram", "Giá vàng hôm nay?", answer("a2", answerable=False, intent="out_of_scope"))
    store.log_question("api", "Hạn gửi báo cáo?", answer("a3"))
    assert store.flush(10)
    first = store.add_feedback(Feedback("Sở nào chủ trì nhiệm vụ 6?", "a1", "down", "Thiếu cơ quan phối hợp"))
    again = store.add_feedback(Feedback("Sở nào chủ trì nhiệm vụ 6?", "a1", "down"))  # the comment stays
    other = store.add_feedback(Feedback("Hạn gửi báo cáo?", "a3", "up", "=1+1"))
    store.add_feedback(Feedback("Hạn gửi báo cáo?", "a3", "down"))  # a new rating replaces the comment
    # two questions either side of midnight in Hai Phong (17:00 UTC)
    with store.db.transaction() as tx:
        tx.executemany("INSERT INTO questions (created_at, channel, question, answer_id, intent, answerable, answer) "
                       "VALUES (?, 'zalo', ?, ?, ?, ?, '')",
                       [("2026-03-01T16:59:59+00:00", "Trước nửa đêm?", "z1", "lead", True),
                        ("2026-03-01T17:00:00+00:00", "Sau nửa đêm?", "z2", "out_of_scope", False)])
    unanswered = [r["id"] for r in store.rows("unanswered")]
    handled = store.mark_handled("unanswered", unanswered[:1]) + store.mark_handled("unanswered", unanswered[:1])
    march = Filters(date(2026, 3, 1), date(2026, 3, 2), "")
    times = ("created_at", "updated_at", "handled_at")
    return {
        "ids": (first, again, other),
        "rows": [{k: v for k, v in r.items() if k not in times} for r in store.rows()],
        "open": [(r["kind"], r["answer_id"]) for r in store.rows(filters=Filters())],
        "days": store.daily_counts(march),
        "channels": store.channel_counts(Filters()),
        "march_channels": store.channel_counts(march),
        "handled": handled,
        "times_are_utc_iso": all(datetime.fromisoformat(r["created_at"]).utcoffset().total_seconds() == 0
                                 for r in store.rows()),
    }


def test_the_postgresql_store_behaves_as_the_sqlite_file(postgres_url, tmp_path):
    sqlite_store, pg_store = FeedbackStore(feedback_path(tmp_path)), FeedbackStore(PostgresDatabase(postgres_url))
    try:
        on_sqlite, on_postgres = feedback_scenario(sqlite_store), feedback_scenario(pg_store)
    finally:
        sqlite_store.close()
        pg_store.close()
    assert on_postgres == on_sqlite
    # and it is the behaviour the doors rely on
    assert on_postgres["ids"][0] == on_postgres["ids"][1] != on_postgres["ids"][2]
    feedback = [r for r in on_postgres["rows"] if r["kind"] == "feedback"]
    assert [(r["answer_id"], r["rating"], r["comment"], r["channel"], r["answer"]) for r in feedback] == [
        ("a1", "down", "Thiếu cơ quan phối hợp", "widget", "Câu trả lời a1."),
        ("a3", "down", "", "api", "Câu trả lời a3.")]
    assert on_postgres["days"] == [(date(2026, 3, 1), 1, 0), (date(2026, 3, 2), 1, 1)]
    assert on_postgres["march_channels"] == {"zalo": 2}
    assert on_postgres["channels"] == {"widget": 1, "telegram": 1, "api": 1, "zalo": 2}
    assert on_postgres["handled"] == 1 and ("unanswered", "a2") not in on_postgres["open"]
    assert ("unanswered", "z2") in on_postgres["open"] and on_postgres["times_are_utc_iso"]


def test_postgresql_away_feedback_is_refused_whole_questions_wait_and_all_recovers(postgres, caplog):
    store = FeedbackStore(PostgresDatabase(postgres.url, cool_down_s=0.2))
    store.add_feedback(Feedback("Hạn gửi báo cáo?", "before", "up"))
    store.log_question("api", "Trước khi mất kết nối?", answer("q-before"))
    assert store.flush(10)
    postgres.stop()
    with caplog.at_level(logging.WARNING):
        with pytest.raises(StoreUnavailable) as refused:
            store.add_feedback(Feedback("Hạn gửi báo cáo?", "during", "down", "Không lưu được"))
        assert str(refused.value) == NOT_STORED
        started = time.perf_counter()
        for i in range(200):  # the doors' call: it never waits for the database
            store.log_question("widget", f"Trong lúc mất kết nối {i}?", answer(f"q-during-{i}"))
        assert time.perf_counter() - started < 0.5
        time.sleep(0.5)  # the writer tries, and keeps them
    assert any("questions wait in memory" in r.getMessage() for r in caplog.records)
    assert any("PostgreSQL" in r.getMessage() and "không truy cập được" in r.getMessage() for r in caplog.records)

    postgres.start()
    assert store.flush(20), "the waiting questions were not written after PostgreSQL came back"
    logged = {r["answer_id"] for r in store.db.rows("SELECT answer_id FROM questions")}
    assert logged == {"q-before"} | {f"q-during-{i}" for i in range(200)}
    assert [r["answer_id"] for r in store.rows("feedback")] == ["before"]  # nothing of the refused one
    assert store.add_feedback(Feedback("Hạn gửi báo cáo?", "after", "up")) > 0
    store.close()


def test_closing_while_postgresql_is_away_does_not_hang(caplog):
    store = FeedbackStore(PostgresDatabase(unreachable_url(), cool_down_s=0.1))
    store.log_question("api", "Có ai không?", answer("lost"))
    time.sleep(0.3)
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING):
        store.close()
    assert time.perf_counter() - started < 10
    assert any("not written" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------- reminders: once, whichever replica ticks


def test_replicas_racing_on_postgresql_send_each_reminder_exactly_once(engine, postgres_url):
    clock = FakeClock("2026-11-24T09:00:00")  # 7 days before the plan's 01/12 report deadline
    chats = [f"u-{i}" for i in range(6)]
    setup = ReminderStore(PostgresDatabase(postgres_url))
    for chat in chats:
        setup.subscribe("zalo", chat, "", clock())
    with FakeZalo() as fake:
        # each replica: its own pool of connections to the one database
        stores = [ReminderStore(PostgresDatabase(postgres_url)) for _ in range(2)]
        counts = tick_as_replicas(engine, fake, stores, clock)
        assert sum(counts) == len(chats)
        for chat in chats:
            sent = fake.sent(chat)
            assert len(sent) == 1 and sent[0].startswith("⏰ Nhắc hạn: còn 7 ngày"), (chat, sent)
    assert all(setup.sent_count("zalo", chat) == 1 for chat in chats)
