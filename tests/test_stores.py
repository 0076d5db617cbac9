"""Shared state against a real redis-server: sessions and rate limits seen alike by every replica,
questions still answered while Redis is away, and service back by itself when it returns."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace

import pytest

from ascc_bot.ratelimit import RateLimiter, RedisRateLimiter, Verdict, make_rate_limiter
from ascc_bot.sessions import MemoryStateStore, SessionState, SessionStore
from ascc_bot.stores import RedisStateStore, SharedRedis, state_store


def two_replicas(url: str) -> tuple[SharedRedis, SharedRedis]:
    """Two connections, as two processes would have."""
    return SharedRedis(url), SharedRedis(url)


def test_no_setting_keeps_state_in_this_process(settings):
    assert isinstance(state_store(settings), MemoryStateStore)
    assert isinstance(make_rate_limiter(settings, 5, "api").inner, RateLimiter)


def test_a_session_written_by_one_replica_is_read_by_another_and_expires(redis_server):
    a, b = two_replicas(redis_server.url)
    state = SessionState(task_section="II.6", agencies=("Sở Y tế",), intent="lead", turns=1)
    SessionStore(RedisStateStore(a)).put("web:abc", state)
    assert SessionStore(RedisStateStore(b)).get("web:abc") == state
    RedisStateStore(a).put("short", "x", ttl_s=0.3)
    assert RedisStateStore(b).get("short") == "x" and 0 < b.client.pttl("ascc:short") <= 300
    time.sleep(0.35)
    assert RedisStateStore(b).get("short") is None


def test_the_setting_chooses_redis(settings, redis_server):
    cfg = replace(settings, redis_url=redis_server.url)
    store = state_store(cfg)
    assert isinstance(store, RedisStateStore)
    assert isinstance(make_rate_limiter(cfg, 5, "api").inner, RedisRateLimiter)


def test_redis_away_degrades_to_no_session_and_recovers_by_itself(redis_server, caplog):
    conn = SharedRedis(redis_server.url, cool_down_s=0.2)
    store = RedisStateStore(conn)
    store.put("k", "before", 60)
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="ascc_bot.stores"):
        for _ in range(20):
            assert store.get("k") is None  # no exception reaches the caller
            store.put("k", "during", 60)
    warnings = [r for r in caplog.records if "không truy cập được" in r.getMessage()]
    assert len(warnings) == 1, "one warning per outage, not one per request"
    assert conn.ping() is not None
    redis_server.start()  # same port, empty (no persistence)
    time.sleep(0.25)  # the cool-down
    store.put("k", "after", 60)
    assert store.get("k") == "after"
    assert conn.ping() is None
    assert any("đã trở lại" in r.getMessage() for r in caplog.records)


def test_redis_limit_gives_the_same_verdicts_as_the_in_process_one(redis_server):
    a, b = two_replicas(redis_server.url)
    on_a, on_b = RedisRateLimiter(a, 3, "test"), RedisRateLimiter(b, 3, "test")
    here = RateLimiter(3)
    verdicts = [(on_a if i % 2 else on_b).check("chat") for i in range(6)]
    assert verdicts == [here.check("chat") for _ in range(6)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]
    assert 1 <= on_b.retry_after("chat") <= 61
    assert on_a.check("another chat") is Verdict.ALLOW


def test_the_limit_holds_under_concurrent_replicas(redis_server):
    """Eight threads on two connections race for 50 places: exactly 50 get one (the check is atomic)."""
    a, b = two_replicas(redis_server.url)
    limiters = [RedisRateLimiter(a, 50, "race"), RedisRateLimiter(b, 50, "race")]
    allowed = []
    lock = threading.Lock()

    def hammer(limiter):
        mine = sum(limiter.check("1.2.3.4") is Verdict.ALLOW for _ in range(25))
        with lock:
            allowed.append(mine)

    threads = [threading.Thread(target=hammer, args=(limiters[i % 2],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(allowed) == 50


def test_rate_limit_fails_open_while_redis_is_away(redis_server, caplog):
    conn = SharedRedis(redis_server.url)
    limiter = RedisRateLimiter(conn, 1, "open")
    assert limiter.check("c") is Verdict.ALLOW
    assert limiter.check("c") is Verdict.WARN
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="ascc_bot.stores"):
        assert [limiter.check("c") for _ in range(3)] == [Verdict.ALLOW] * 3
    assert any("giới hạn tần suất tạm mở" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("bad_url", ["redis://127.0.0.1:1/0"])
def test_an_unreachable_redis_at_start_is_not_fatal(bad_url):
    store = RedisStateStore(SharedRedis(bad_url))
    assert store.get("x") is None


def test_a_throwaway_postgresql_cluster_starts_stores_and_stops(postgres):
    """The PostgreSQL 15 fixture the feedback and corpus stores will use: a table survives a restart,
    and a stopped server refuses connections."""
    import psycopg

    with psycopg.connect(postgres.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE probe (id serial PRIMARY KEY, text text NOT NULL)")
        conn.execute("INSERT INTO probe (text) VALUES (%s)", ("Sở Y tế",))
    postgres.stop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(postgres.url, connect_timeout=2)
    postgres.start()
    with psycopg.connect(postgres.url) as conn:
        assert conn.execute("SELECT text FROM probe").fetchall() == [("Sở Y tế",)]
