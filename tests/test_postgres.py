"""The stores in PostgreSQL (ASCC_DATABASE_URL), against a real throwaway cluster: the same behaviour as
the SQLite file, migrations applied once whoever starts first, feedback refused whole and the question
log kept waiting while PostgreSQL is away, reminders sent once by racing replicas, and the added
documents shared by replicas through corpus versions (all-or-nothing, killed at any point)."""

from __future__ import annotations

import logging
import shutil
import signal
import threading
import time
from dataclasses import replace
from datetime import date, datetime

import pytest
from test_index import CountingEncoder
from test_ingest_atomic import NEW_DOCUMENT, NEW_ID, QUESTION, cli_ingest, wait_for_line
from test_reminders import FakeClock, tick_as_replicas

from ascc_bot import corpus_store
from ascc_bot.corpus_store import PAUSE_ENV, StoreError, latest_version
from ascc_bot.database import MIGRATIONS, PostgresDatabase, StoreUnavailable
from ascc_bot.engine import Engine
from ascc_bot.feedback import NOT_STORED, Feedback, FeedbackStore, Filters, feedback_path, feedback_store
from ascc_bot.ingest import ingest_bytes, remove_document
from ascc_bot.models import Answer
from bots.reminders import ReminderStore, reminder_store

from conftest import PLAN_ID
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


# ---------------------------------------------------------------- the added documents, shared


@pytest.fixture
def replicas(tmp_path, settings, postgres_url):
    """Two replicas' settings on two hosts: their own corpus copy, index and data folder, one database."""
    out = []
    for name in ("a", "b"):
        shutil.copytree(settings.corpus_dir, tmp_path / name / "corpus")
        shutil.copytree(settings.index_dir, tmp_path / name / "index")
        out.append(replace(settings, corpus_dir=tmp_path / name / "corpus", index_dir=tmp_path / name / "index",
                           data_dir=tmp_path / name / "data", database_url=postgres_url))
        (tmp_path / name / "qd-995.txt").write_text(NEW_DOCUMENT, encoding="utf-8")  # for `ascc-bot ingest`
    return out


def documents(settings) -> list[str]:
    return [raw.meta.doc_id for raw in corpus_store.load(settings)]


def ingest(settings, encoder):
    return corpus_store.apply(settings, encoder, lambda stage: ingest_bytes(stage, NEW_DOCUMENT.encode(), "qd-995.txt"))


def test_an_ingest_on_one_replica_reaches_the_other_and_so_does_a_removal(replicas, encoder):
    a, b = replicas
    token = corpus_store.version_token(b)
    assert documents(b) == [PLAN_ID]
    assert ingest(a, encoder).status == "added"
    assert corpus_store.version_token(b) != token  # what B's watcher polls
    assert documents(b) == [PLAN_ID, NEW_ID]
    assert corpus_store.LocalCorpus(b.local_corpus).shared_version() == 1
    token = corpus_store.version_token(a)
    assert corpus_store.apply(b, encoder, lambda stage: remove_document(stage, NEW_ID)).status == "removed"
    assert corpus_store.version_token(a) != token
    assert documents(a) == [PLAN_ID]
    # A's copy is now behind (B adds it again); a change on A starts from the database's latest version
    assert ingest(b, encoder).status == "added"
    assert corpus_store.apply(a, encoder, lambda stage: remove_document(stage, NEW_ID)).status == "removed"
    assert documents(b) == [PLAN_ID] and latest_version(corpus_store.shared_database(a)) == 4


def test_a_shipped_document_taken_out_on_one_replica_is_out_on_the_other(replicas, encoder):
    a, b = replicas
    ingest(a, encoder)
    corpus_store.apply(b, encoder, lambda stage: remove_document(stage, PLAN_ID))
    assert documents(a) == [NEW_ID] and (a.corpus_dir / "manifest.json").is_file()  # shipped files untouched


def test_admin_reload_reaches_every_replica_through_a_new_version(replicas, encoder):
    a, b = replicas
    ingest(a, encoder)
    token = corpus_store.version_token(b)
    corpus_store.announce_reload(a)
    assert latest_version(corpus_store.shared_database(a)) == 2
    assert corpus_store.version_token(b) != token and documents(b) == [PLAN_ID, NEW_ID]


def test_documents_added_before_the_database_was_set_become_its_first_version(replicas, encoder):
    a, b = replicas
    ingest(replace(a, database_url=""), encoder)  # this host, before ASCC_DATABASE_URL
    assert documents(a) == [PLAN_ID, NEW_ID]  # its first start with the database: nothing lost
    assert documents(b) == [PLAN_ID, NEW_ID]  # and every other replica has them
    assert latest_version(corpus_store.shared_database(a)) == 1


def test_an_unreachable_database_changes_nothing_and_questions_go_on_from_the_last_copy(replicas, encoder):
    a, b = replicas
    ingest(a, encoder)
    documents(b)  # B's copy
    away = replace(b, database_url=unreachable_url())
    index_before = sorted(p.name for p in away.index_dir.iterdir())
    with pytest.raises(StoreError) as refused:
        ingest(away, encoder)
    assert refused.value.status == 503 and "không truy cập được" in str(refused.value)
    assert sorted(p.name for p in away.index_dir.iterdir()) == index_before
    assert not list(away.local_corpus.glob(".staging-*"))
    assert documents(away) == [PLAN_ID, NEW_ID]  # the engine starts, from the last copy


@pytest.mark.parametrize("point, shared", [("index-built", False), ("published", True)])
def test_a_cli_ingest_killed_before_the_database_commit_changed_nothing_after_it_reaches_everyone(
        replicas, encoder, point, shared):
    a, b = replicas
    proc = cli_ingest(a, ASCC_DATABASE_URL=a.database_url, **{PAUSE_ENV: point})
    wait_for_line(proc.stderr, f"ingest paused at {point}")
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL
    db = PostgresDatabase(a.database_url)
    assert latest_version(db) == (1 if shared else 0)
    expected = (PLAN_ID, NEW_ID) if shared else (PLAN_ID,)
    for replica in (a, b):  # A restarting, and B at its next look
        counting = CountingEncoder(encoder)
        served = Engine(replica, encoder=counting, progress=False, log=lambda m: None)
        assert tuple(d.doc_id for d in served.documents) == expected
        if shared:
            assert served.ask(QUESTION).citations[0].doc_id == NEW_ID
        if replica is a:  # the index built before the kill is adopted: nothing encoded again
            assert counting.passages == 0
    db.close()
