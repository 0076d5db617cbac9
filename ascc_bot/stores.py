"""Shared state for several replicas: one Redis connection per process, chosen by ``ASCC_REDIS_URL``.

Without the setting everything stays in this process (``MemoryStateStore``, the in-memory rate
limiter). With it, sessions and rate limits live in Redis, so a follow-up or a client's quota is
the same whichever replica a request lands on.

Redis is a convenience, never a reason to refuse a question: when it cannot be reached, every
call gives its fallback (no session, rate limit open), a warning is logged once per outage, and
calls are skipped for a short cool-down so that a dead Redis costs microseconds, not a timeout per
request. The first call after the cool-down tries again, so service recovers by itself.
``Outage`` is that breaker; the PostgreSQL pool (``database.py``) uses it too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from .config import Settings
from .sessions import MemoryStateStore, StateStore

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

T = TypeVar("T")


class Closable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=Closable)

KEY_PREFIX = "ascc:"  # a Redis shared with other applications keeps our keys apart
TIMEOUT_S = 0.5  # a healthy Redis on the LAN answers in about a millisecond
COOL_DOWN_S = 1.0


class Outage:
    """What a process remembers about a shared service that stopped answering.

    While it is down, callers skip it for ``cool_down_s`` after each failure (so a dead service costs
    microseconds, not a timeout per request); one warning is logged per outage, and one line when a
    call succeeds again."""

    def __init__(self, name: str, consequence: str, recovery: str, cool_down_s: float = COOL_DOWN_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name, self.consequence, self.recovery = name, consequence, recovery
        self.cool_down_s, self.clock = cool_down_s, clock
        self._down_until = 0.0
        self.down = False
        self._lock = threading.Lock()

    def skipping(self) -> bool:
        """True during the cool-down after a failure: do not try now."""
        return self.down and self.clock() < self._down_until

    def failed(self, what: str, exc: BaseException) -> None:
        with self._lock:
            first = not self.down
            self.down, self._down_until = True, self.clock() + self.cool_down_s
        if first:
            log.warning("%s không truy cập được (%s: %s): %s; sẽ tự kết nối lại.", self.name, what, exc,
                        self.consequence)

    def succeeded(self) -> None:
        if self.down:
            with self._lock:
                if self.down:
                    self.down = False
                    log.warning("%s đã trở lại: %s.", self.name, self.recovery)


class SharedRedis:
    """A pooled Redis client with short timeouts, and a breaker that remembers an outage."""

    def __init__(self, url: str, *, timeout_s: float = TIMEOUT_S, cool_down_s: float = COOL_DOWN_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # one immediate retry: after a Redis restart the first command on each pooled connection
        # fails once, and a reconnect makes it succeed
        self.client: redis.Redis = redis.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, retry=Retry(NoBackoff(), 1),
            health_check_interval=30, decode_responses=True)
        self.url = url
        self.where = without_password(url)
        self.outage = Outage(f"Redis {self.where}",
                             "câu hỏi vẫn được trả lời nhưng không nhớ ngữ cảnh hội thoại, giới hạn tần suất tạm mở",
                             "phiên hội thoại và giới hạn tần suất dùng chung hoạt động lại", cool_down_s, clock)

    def call(self, what: str, action: Callable[[redis.Redis], T], fallback: T) -> T:
        """``action(client)``, or ``fallback`` while Redis is unreachable."""
        import redis

        if self.outage.skipping():
            return fallback
        try:
            result = action(self.client)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            self.outage.failed(what, exc)
            return fallback
        self.outage.succeeded()
        return result

    def ping(self) -> str | None:
        """None when Redis answers now; else why not (for readiness, so it bypasses the breaker)."""
        import redis

        try:
            self.client.ping()
        except (redis.RedisError, OSError) as exc:
            return f"Redis {self.where} không truy cập được ({exc})"
        return None

    def close(self) -> None:
        self.client.close()


def without_password(url: str) -> str:
    """The address of a service, without the password it may carry, for logs and /readyz."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"


class Clients(Generic[C]):
    """One client per URL in this process (a pool each), made on first use and closed together at shutdown."""

    def __init__(self, make: Callable[[str], C]) -> None:
        self.make = make
        self._clients: dict[str, C] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> C | None:
        """The client for ``url``; None when the setting is empty."""
        if not url:
            return None
        with self._lock:
            client = self._clients.get(url)
            if client is None:
                client = self._clients[url] = self.make(url)
            return client

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


_redis: Clients[SharedRedis] = Clients(SharedRedis)


def shared_redis(settings: Settings) -> SharedRedis | None:
    """This process's connection to ``ASCC_REDIS_URL``; None when the setting is empty."""
    return _redis.get(settings.redis_url)


def close_connections() -> None:
    _redis.close()


class RedisStateStore:
    """``StateStore`` in Redis: one key per entry with its own time to live."""

    def __init__(self, redis: SharedRedis, prefix: str = KEY_PREFIX) -> None:
        self.redis, self.prefix = redis, prefix

    def get(self, key: str) -> str | None:
        return self.redis.call("get", lambda r: r.get(self.prefix + key), None)

    def put(self, key: str, value: str, ttl_s: float) -> None:
        self.redis.call("set", lambda r: r.set(self.prefix + key, value, px=max(1, int(ttl_s * 1000))), None)


def state_store(settings: Settings) -> StateStore:
    """Redis with ``ASCC_REDIS_URL``, else this process's memory."""
    redis = shared_redis(settings)
    return RedisStateStore(redis) if redis is not None else MemoryStateStore()
