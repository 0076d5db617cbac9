"""Two replicas behind nginx, for real: two `ascc-bot serve` processes on their own ports sharing a
redis-server, behind nginx running deploy/nginx/ascc-bot.conf as shipped.

Load here is bounded (a fixed number of questions, a few clients) and stays on 127.0.0.0/8; the
clients use distinct loopback source addresses so that nginx states a different client for each.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest

from servers import Nginx, RedisServer, Replica, free_port, wait_until

QUESTIONS = ["Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?", "Hạn gửi báo cáo hằng năm là khi nào?",
             "Ai phối hợp thực hiện nhiệm vụ 6?", "Kế hoạch có mấy mục tiêu?"]
FIRST = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
FOLLOW_UP = "còn cơ quan phối hợp thì sao?"
LIMIT = 20  # questions per minute per client, as every replica is configured


@dataclass
class Cluster:
    redis: RedisServer
    a: Replica
    b: Replica
    nginx: Nginx


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, settings, engine) -> Iterator[Cluster]:
    """engine: the session's index is built in settings.index_dir, which both replicas load."""
    base = tmp_path_factory.mktemp("replicas")
    redis = RedisServer(base / "redis").start()
    replicas = []
    for name in ("a", "b"):
        env = {"ASCC_CORPUS_DIR": str(settings.corpus_dir), "ASCC_INDEX_DIR": str(settings.index_dir),
               "ASCC_DATA_DIR": str(base / name / "data"), "ASCC_REDIS_URL": redis.url,
               "ASCC_TRUSTED_PROXIES": "127.0.0.1", "ASCC_API_RATE_LIMIT_PER_MINUTE": str(LIMIT)}
        replicas.append(Replica(base / name, env, name=name).start())
    a, b = replicas
    nginx = Nginx(base / "nginx", [a.port, b.port])
    try:
        a.wait_ready()
        b.wait_ready()
        nginx.start()
        yield Cluster(redis, a, b, nginx)
    finally:
        nginx.stop()
        for r in replicas:
            r.stop()
        redis.stop()


def client(source: str) -> httpx.Client:
    """A client whose connections come from ``source`` (any 127.x.y.z reaches 127.0.0.1)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30)


def ask(c: httpx.Client, url: str, question: str, session_id: str | None = None) -> httpx.Response:
    return c.post(f"{url}/api/ask", json={"question": question, "session_id": session_id})


def in_context(answer: dict) -> bool:
    """The follow-up was read as being about task 6, whose coordinators are in II.6.3."""
    return answer.get("intent") == "coordinate" and answer["citations"][:1] != [] \
        and answer["citations"][0]["section_id"] == "II.6.3"


def load(url: str, count: int, clients: int, subnet: str, during=None) -> list[httpx.Response]:
    """``count`` questions through ``clients`` concurrent clients, each from its own address;
    ``during(done)`` is called from the test's thread while they run."""
    done: list[httpx.Response] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        with client(f"{subnet}.{i + 1}") as c:
            for n in range(i, count, clients):
                r = ask(c, url, QUESTIONS[n % len(QUESTIONS)])
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
    logged = {e["request_id"] for replica in (cluster.a, cluster.b) for e in replica.answered()}
    nginx_ids = {line.split()[1] for line in (cluster.nginx.workdir / "logs" / "access.log").read_text().splitlines()}
    assert len(ids) == len(responses) and ids <= logged and ids <= nginx_ids
    with client("127.0.3.2") as other:
        assert ask(other, cluster.nginx.url, QUESTIONS[0]).status_code == 200


def test_kill_9_of_a_replica_under_load_loses_no_request_and_it_rejoins(cluster):
    count = 60

    def kill_a_meanwhile(done: list) -> None:
        wait_until(lambda: len(done) >= 12, 60, "load under way")
        cluster.a.stop(signal.SIGKILL)

    responses = load(cluster.nginx.url, count, clients=4, subnet="127.0.4", during=kill_a_meanwhile)
    assert_all_answered(responses, count)
    errors = (cluster.nginx.workdir / "logs" / "error.log").read_text()
    assert f"127.0.0.1:{cluster.a.port}" in errors  # A did fail under the load, and nginx covered for it

    cluster.a.start().wait_ready()

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
