"""Two replicas behind nginx, for real: two `ascc-bot serve` processes on their own ports sharing a
redis-server and a PostgreSQL cluster, behind nginx running deploy/nginx/ascc-bot.conf as shipped,
with the Telegram webhook of each registered at a fake Bot API server.

Load here is bounded (a fixed number of questions, a few clients) and stays on 127.0.0.0/8; the
clients use distinct loopback source addresses so that nginx states a different client for each.
"""

from __future__ import annotations

import csv
import io
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass

import httpx
import psycopg
import pytest
from test_ingest_atomic import NEW_DOCUMENT, NEW_ID
from test_ingest_atomic import QUESTION as NEW_QUESTION

from ascc_bot.database import MIGRATIONS, PostgresDatabase
from ascc_bot.feedback import NOT_STORED, Feedback, FeedbackStore
from bots.telegram_bot import SECRET_HEADER, WEBHOOK_PATH

from fake_telegram import TOKEN as TELEGRAM_TOKEN
from fake_telegram import FakeTelegram
from servers import Nginx, Postgres, RedisServer, Replica, free_port, wait_until

QUESTIONS = ["Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?", "Hạn gửi báo cáo hằng năm là khi nào?",
             "Ai phối hợp thực hiện nhiệm vụ 6?", "Kế hoạch có mấy mục tiêu?"]
FIRST = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
FOLLOW_UP = "còn cơ quan phối hợp thì sao?"
LIMIT = 20  # questions per minute per client, as every replica is configured
ADMIN_TOKEN = "quan-tri-thu-nghiem-123"
TELEGRAM_SECRET = "replicas-secret_123"
BEFORE_UPGRADE = "a-before-upgrade"  # a feedback the previous version stored


@dataclass
class Cluster:
    redis: RedisServer
    postgres: Postgres
    telegram: FakeTelegram
    a: Replica
    b: Replica
    nginx: Nginx


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, settings, engine) -> Iterator[Cluster]:
    """engine: the session's index is built; the replicas share a copy of it (an ingest adds generations).

    The database is left as the previous version left it (the first migration only, one feedback row):
    the two replicas start at once and bring it up to date."""
    base = tmp_path_factory.mktemp("replicas")
    shutil.copytree(settings.index_dir, base / "index")
    with ExitStack() as stack:
        redis = RedisServer(base / "redis").start()
        stack.callback(redis.stop)
        postgres = Postgres().init().start()
        stack.callback(postgres.remove)
        previous = PostgresDatabase(postgres.url, migrations=MIGRATIONS[:1])
        FeedbackStore(previous).add_feedback(Feedback("Câu hỏi trước khi nâng cấp?", BEFORE_UPGRADE, "up"))
        previous.close()
        telegram = stack.enter_context(FakeTelegram())
        replicas = []
        for name in ("a", "b"):
            env = {"ASCC_CORPUS_DIR": str(settings.corpus_dir), "ASCC_INDEX_DIR": str(base / "index"),
                   "ASCC_DATA_DIR": str(base / name / "data"), "ASCC_REDIS_URL": redis.url,
                   "ASCC_DATABASE_URL": postgres.url, "ASCC_SECRET_KEY": "the-same-key-on-every-replica",
                   "ASCC_ADMIN_TOKEN": ADMIN_TOKEN, "ASCC_FEEDBACK_RATE_LIMIT_PER_MINUTE": "0",
                   "ASCC_TRUSTED_PROXIES": "127.0.0.1", "ASCC_API_RATE_LIMIT_PER_MINUTE": str(LIMIT),
                   "ASCC_TELEGRAM_TOKEN": TELEGRAM_TOKEN, "ASCC_TELEGRAM_BASE_URL": f"{telegram.url}/bot",
                   "ASCC_TELEGRAM_WEBHOOK_URL": "https://ascc.example.vn/webhooks/telegram",
                   "ASCC_TELEGRAM_SECRET": TELEGRAM_SECRET}
            replica = Replica(base / name, env, name=name)
            stack.callback(replica.stop)
            replicas.append(replica.start())
        a, b = replicas
        nginx = Nginx(base / "nginx", [a.port, b.port])
        a.wait_ready()
        b.wait_ready()
        nginx.start()
        stack.callback(nginx.stop)
        yield Cluster(redis, postgres, telegram, a, b, nginx)


def client(source: str) -> httpx.Client:
    """A client whose connections come from ``source`` (any 127.x.y.z reaches 127.0.0.1)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30)


def ask(c: httpx.Client, url: str, question: str, session_id: str | None = None) -> httpx.Response:
    return c.post(f"{url}/api/ask", json={"question": question, "session_id": session_id})


def in_context(answer: dict) -> bool:
    """The follow-up was read as being about task 6, whose coordinators are in II.6.3."""
    return answer.get("intent") == "coordinate" and answer["citations"][:1] != [] \
        and answer["citations"][0]["section_id"] == "II.6.3"


def load(url: str, count: int, clients: int, subnet: str, during=None,
         cut: list[str] | None = None) -> list[httpx.Response]:
    """``count`` questions through ``clients`` concurrent clients, each from its own address;
    ``during(done)`` is called from the test's thread while they run. With ``cut`` given, an answer
    broken off after its head (a replica killed while writing it) is noted there and asked again once,
    as the widget's "Thử lại" does; without it, it fails the load."""
    done: list[httpx.Response] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        with client(f"{subnet}.{i + 1}") as c:
            for n in range(i, count, clients):
                question = QUESTIONS[n % len(QUESTIONS)]
                try:
                    r = ask(c, url, question)
                except httpx.RemoteProtocolError as error:
                    if cut is None:
                        raise
                    with lock:
                        cut.append(str(error))
                    r = ask(c, url, question)
                with lock:
                    done.append(r)

    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(worker, i) for i in range(clients)]
        if during is not None:
            during(done)
        for f in futures:
            f.result()
    return done


def assert_all_answered(responses: list[httpx.Response], count: int) -> None:
    assert len(responses) == count
    failed = [(r.status_code, r.text[:200]) for r in responses if r.status_code != 200]
    assert not failed, failed
    assert all(r.json()["answer"] for r in responses)


def test_a_follow_up_started_on_one_replica_is_answered_in_context_by_the_other(cluster):
    with client("127.0.2.1") as c:
        first = ask(c, cluster.a.url, FIRST, session_id="portal-visitor-1")
        assert first.status_code == 200 and first.json()["intent"] == "lead"
        second = ask(c, cluster.b.url, FOLLOW_UP, session_id="portal-visitor-1")
        assert in_context(second.json()), second.json()
        stranger = ask(c, cluster.b.url, FOLLOW_UP, session_id="someone-else")
        assert not in_context(stranger.json())


def test_the_per_client_limit_holds_across_both_replicas(cluster):
    with client("127.0.3.1") as c:
        responses = [ask(c, cluster.nginx.url, QUESTIONS[0]) for _ in range(LIMIT + 4)]
    assert [r.status_code for r in responses] == [200] * LIMIT + [429] * 4
    # nginx spread them over both replicas, and each saw the real client, not nginx
    for replica in (cluster.a, cluster.b):
        assert any(e["client"] == "127.0.3.1" and e["status"] == 200 for e in replica.answered())
    # one id per question, from nginx's log to the replica's: the replicas kept the id nginx gave
    ids = {r.headers["x-request-id"] for r in responses}

    def logged() -> set[str]:  # a replica writes its access line once the response is out: a moment later
        return {e["request_id"] for replica in (cluster.a, cluster.b) for e in replica.answered()}

    wait_until(lambda: ids <= logged(), 5, "every question in a replica's access log")

    def nginx_ids() -> set[str]:  # nginx, too, writes its line once the response is out
        log = (cluster.nginx.workdir / "logs" / "access.log").read_text()
        return {line.split()[1] for line in log.splitlines()}

    wait_until(lambda: ids <= nginx_ids(), 5, "every question in nginx's access log")
    assert len(ids) == len(responses)
    with client("127.0.3.2") as other:
        assert ask(other, cluster.nginx.url, QUESTIONS[0]).status_code == 200


def test_kill_9_of_a_replica_under_load_cuts_at_most_the_answer_being_written_and_it_rejoins(cluster):
    """Every question in flight on the killed replica is answered by the other one (nginx retries it),
    except at most the one answer A had begun to write: its head reached the client, so nginx cannot
    retry it, and the client sees a broken connection, never a wrong answer. Asked again, it is answered."""
    count = 60
    cut: list[str] = []

    def kill_a_meanwhile(done: list) -> None:
        wait_until(lambda: len(done) >= 12, 60, "load under way")
        cluster.a.stop(signal.SIGKILL)

    try:
        responses = load(cluster.nginx.url, count, clients=4, subnet="127.0.4", during=kill_a_meanwhile, cut=cut)
    finally:  # A comes back whatever happened here: the tests after this one need both replicas
        if cluster.a.proc is None or cluster.a.proc.poll() is not None:
            cluster.a.start().wait_ready()
    assert_all_answered(responses, count)
    assert len(cut) <= 1, cut  # one process writes one answer at a time: only that one can be cut
    errors = (cluster.nginx.workdir / "logs" / "error.log").read_text()
    assert f"127.0.0.1:{cluster.a.port}" in errors  # A did fail under the load, and nginx covered for it

    def a_answers_again() -> bool:  # nginx tries it again once its fail_timeout has passed
        with client("127.0.5.1") as c:
            for _ in range(2):
                assert ask(c, cluster.nginx.url, QUESTIONS[1]).status_code == 200
        return bool(cluster.a.answered())

    wait_until(a_answers_again, 30, "replica A serving through nginx again", interval_s=0.5)


def test_redis_stopped_mid_load_answers_go_on_and_sessions_work_again_after_restart(cluster):
    count = 48

    def stop_redis_meanwhile(done: list) -> None:
        wait_until(lambda: len(done) >= 8, 60, "load under way")
        cluster.redis.stop()

    responses = load(cluster.nginx.url, count, clients=4, subnet="127.0.6", during=stop_redis_meanwhile)
    assert_all_answered(responses, count)
    for replica in (cluster.a, cluster.b):
        r = httpx.get(f"{replica.url}/readyz")
        assert r.status_code == 503 and "Redis" in r.json()["detail"]
        warnings = [e for e in replica.log_lines() if e["level"] == "warning" and "Redis" in e["message"]]
        assert warnings, f"{replica.name} logged nothing about Redis"

    cluster.redis.start()  # same port, empty: the replicas reconnect by themselves
    for replica in (cluster.a, cluster.b):
        replica.wait_ready(15)

    def follow_up_works(attempt=iter(range(1000))) -> bool:
        sid = f"after-restart-{next(attempt)}"
        with client("127.0.7.1") as c:
            assert ask(c, cluster.a.url, FIRST, session_id=sid).status_code == 200
            return in_context(ask(c, cluster.b.url, FOLLOW_UP, session_id=sid).json())

    wait_until(follow_up_works, 10, "sessions shared again", interval_s=0.2)


def test_nginx_keeps_the_widget_and_documents_and_never_shows_metrics(cluster):
    for path in ("/widget.js", "/doc/ke-hoach-ascc-hai-phong-2025"):
        first = httpx.get(f"{cluster.nginx.url}{path}")
        again = httpx.get(f"{cluster.nginx.url}{path}")
        assert first.status_code == again.status_code == 200 and again.content == first.content
        assert again.headers["x-cache-status"] == "HIT"
    assert httpx.get(f"{cluster.nginx.url}/metrics").status_code == 404  # scraped on each replica instead


def test_with_no_replica_up_nginx_answers_in_the_api_shape(tmp_path):
    nginx = Nginx(tmp_path / "nginx", [free_port(), free_port()]).start()  # nobody listens there
    try:
        r = httpx.post(f"{nginx.url}/api/ask", json={"question": FIRST})
    finally:
        nginx.stop()
    assert r.status_code == 503 and "tạm thời không phục vụ được" in r.json()["detail"]
    assert r.headers["retry-after"] == "10"


# ---------------------------------------------------------------- PostgreSQL: migrations, feedback, documents


def test_both_replicas_started_at_once_and_migrated_the_older_database_each_step_once(cluster):
    with psycopg.connect(cluster.postgres.url) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    applied = [e["message"] for replica in (cluster.a, cluster.b) for e in replica.log_lines(1)
               if "applied migration" in e["message"]]
    assert sorted(applied) == sorted(f"PostgreSQL {cluster.postgres.url.replace('postgres@', '')}: applied migration "
                                     f"{n} ({name})" for n, (name, _) in enumerate(MIGRATIONS, 1) if n > 1)


def login(c: httpx.Client, url: str) -> None:
    r = c.post(f"{url}/admin/login", data={"token": ADMIN_TOKEN}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_feedback_sent_through_a_is_exported_through_b(cluster):
    with client("127.0.8.1") as c:
        answer = ask(c, cluster.a.url, FIRST).json()
        r = c.post(f"{cluster.a.url}/api/feedback", json={"question": FIRST, "answer_id": answer["answer_id"],
                                                          "rating": "down", "comment": "Thiếu cơ quan phối hợp"})
        assert r.status_code == 200, r.text
        login(c, cluster.b.url)
        export = c.get(f"{cluster.b.url}/admin/export.csv")
    assert export.status_code == 200
    rows = {row["answer_id"]: row for row in csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")))}
    mine = rows[answer["answer_id"]]
    assert (mine["kind"], mine["rating"], mine["comment"], mine["question"]) == (
        "feedback", "down", "Thiếu cơ quan phối hợp", FIRST)
    assert rows[BEFORE_UPGRADE]["rating"] == "up"  # and what the previous version stored is still there


def cited(answer: dict) -> list[str]:
    return [c["doc_id"] for c in answer["citations"]]


def served_by(replica: Replica) -> list[str]:
    return [d["doc_id"] for d in httpx.get(f"{replica.url}/api/documents", timeout=10).json()]


def test_a_document_ingested_through_a_is_answered_by_b_within_10_s_and_so_is_its_removal(cluster):
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with client("127.0.9.1") as c:
        assert NEW_ID not in cited(ask(c, cluster.b.url, NEW_QUESTION).json())
        added = c.post(f"{cluster.a.url}/api/admin/documents", headers=auth,
                       files={"file": ("qd-995.txt", NEW_DOCUMENT.encode(), "text/plain")})
        assert added.status_code == 201, added.text
        assert cited(ask(c, cluster.a.url, NEW_QUESTION).json())[:1] == [NEW_ID]  # A at once
        wait_until(lambda: NEW_ID in served_by(cluster.b), 10, "B serving the document ingested through A", 0.2)
        assert cited(ask(c, cluster.b.url, NEW_QUESTION).json())[:1] == [NEW_ID]

        removed = c.delete(f"{cluster.a.url}/api/admin/documents/{NEW_ID}", headers=auth)
        assert removed.status_code == 200, removed.text
        wait_until(lambda: NEW_ID not in served_by(cluster.b), 10, "B dropping the document removed through A", 0.2)
        assert NEW_ID not in cited(ask(c, cluster.b.url, NEW_QUESTION).json())


def test_postgresql_stopped_feedback_gets_503_nothing_half_written_and_answers_go_on(cluster):
    """Feedback and questions through nginx while PostgreSQL stops and starts again: every question is
    answered; a feedback is acknowledged (200) or refused (503, in Vietnamese), and afterwards the table
    holds exactly the acknowledged ones."""
    answer_ids = []
    for i in range(36):  # answers to rate, from clients that stay under the per-client limit
        with client(f"127.0.10.{i // 12 + 1}") as c:
            answer_ids.append(ask(c, cluster.nginx.url, QUESTIONS[i % len(QUESTIONS)]).json()["answer_id"])
    feedback: dict[str, httpx.Response] = {}
    stop = threading.Event()

    def rate_them() -> None:
        with client("127.0.11.1") as c:
            for answer_id in answer_ids:
                feedback[answer_id] = c.post(f"{cluster.nginx.url}/api/feedback", json={
                    "question": FIRST, "answer_id": answer_id, "rating": "up", "comment": "Hữu ích"})
                time.sleep(0.1)

    def keep_asking() -> list[httpx.Response]:
        out, n = [], 0
        while not stop.is_set() and n < 200:
            with client(f"127.0.12.{n // 15 + 1}") as c:
                out.append(ask(c, cluster.nginx.url, QUESTIONS[n % len(QUESTIONS)]))
            n += 1
            time.sleep(0.05)
        return out

    with ThreadPoolExecutor(2) as pool:
        asking = pool.submit(keep_asking)
        rating = pool.submit(rate_them)
        wait_until(lambda: len(feedback) >= 8, 30, "feedback under way")
        cluster.postgres.stop()
        stopped_at = len(feedback)
        for replica in (cluster.a, cluster.b):
            r = httpx.get(f"{replica.url}/readyz", timeout=10)
            assert r.status_code == 503 and "PostgreSQL" in r.json()["detail"], r.text
        wait_until(lambda: len(feedback) >= stopped_at + 8, 30, "feedback while PostgreSQL is away")
        cluster.postgres.start()
        rating.result(timeout=60)
        stop.set()
        questions = asking.result(timeout=60)

    assert questions and all(r.status_code == 200 and r.json()["answer"] for r in questions), \
        [(r.status_code, r.text[:100]) for r in questions if r.status_code != 200]
    statuses = {r.status_code for r in feedback.values()}
    assert statuses == {200, 503}, [(r.status_code, r.text[:100]) for r in feedback.values()]
    refused = [r for r in feedback.values() if r.status_code == 503]
    assert all(r.json()["detail"] == NOT_STORED and r.headers["retry-after"] for r in refused)
    assert feedback[answer_ids[-1]].status_code == 200  # back by itself
    acknowledged = {answer_id for answer_id, r in feedback.items() if r.status_code == 200}
    with psycopg.connect(cluster.postgres.url) as conn:
        stored = conn.execute("SELECT answer_id, rating, comment FROM feedback WHERE answer_id = ANY(%s)",
                              (answer_ids,)).fetchall()
    assert {row[0] for row in stored} == acknowledged and len(stored) == len(acknowledged)
    assert all(row[1:] == ("up", "Hữu ích") for row in stored)
    for replica in (cluster.a, cluster.b):
        replica.wait_ready(15)


# ---------------------------------------------------------------- Telegram's memory of sent answers, in Redis


def test_a_telegram_answer_sent_by_a_is_expanded_in_place_by_b(cluster):
    import redis

    fake = cluster.telegram
    headers = {SECRET_HEADER: TELEGRAM_SECRET}
    for replica in (cluster.a, cluster.b):  # until each has registered its webhook
        wait_until(lambda r=replica: httpx.post(r.url + WEBHOOK_PATH, json={"update_id": 1}, headers=headers)
                   .status_code != 503, 30, f"{replica.name}'s webhook")
    update = {"update_id": 800001, "message": fake.user_message(606, FIRST)}
    assert httpx.post(cluster.a.url + WEBHOOK_PATH, json=update, headers=headers).is_success
    answer = {k: v for k, v in fake.wait_sent(606)[0].items() if k != "html"}  # as Telegram delivers it
    key = f"ascc:telegram:606:answer:{answer['message_id']}"
    shared = redis.Redis(port=cluster.redis.port)
    wait_until(lambda: shared.get(key), 5, "A's memory of the answer in Redis")
    callback = {"update_id": 800002, "callback_query": {
        "id": "cb-606", "chat_instance": "ci", "data": "sec:0:II.6.2", "message": answer,
        "from": {"id": 606, "is_bot": False, "first_name": "Cán bộ"}}}
    assert httpx.post(cluster.b.url + WEBHOOK_PATH, json=callback, headers=headers).is_success
    fake.wait_for(lambda: "Mục II, điểm 6.2" in fake.sent(606)[0]["text"][len(answer["text"]):])
    assert len(fake.sent(606)) == 1  # B edited A's message in place: it knew the answer from Redis
