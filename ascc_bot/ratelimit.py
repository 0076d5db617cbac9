"""Per-client sliding-window rate limits, shared by the HTTP API and the chat bots.

In this process by default (``RateLimiter``); in Redis with ``ASCC_REDIS_URL``
(``RedisRateLimiter``), so that a limit holds across replicas instead of multiplying by their
number. ``make_rate_limiter`` picks one; both give the same verdicts.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from enum import Enum
from typing import Protocol

from .config import Settings
from .metrics import RATE_LIMITED
from .stores import KEY_PREFIX, SharedRedis, shared_redis


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit: say so once
    DROP = "drop"  # over the limit and already told


class RateLimit(Protocol):
    per_minute: int

    def check(self, chat: str) -> Verdict: ...

    def retry_after(self, chat: str) -> int: ...


class RateLimiter:
    """At most ``per_minute`` messages per chat in any sliding minute, counted in this process."""

    def __init__(self, per_minute: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic,
                 max_chats: int = 50_000) -> None:
        self.per_minute, self.window_s, self.clock, self.max_chats = per_minute, window_s, clock, max_chats
        self._hits: dict[str, deque[float]] = {}
        self._warned: set[str] = set()
        self._lock = threading.Lock()

    def check(self, chat: str) -> Verdict:
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(chat, deque())
            while hits and now - hits[0] >= self.window_s:
                hits.popleft()
            if len(hits) < self.per_minute:
                hits.append(now)
                self._warned.discard(chat)
                if len(self._hits) > self.max_chats:
                    self._forget_idle(now)
                return Verdict.ALLOW
            if chat in self._warned:
                return Verdict.DROP
            self._warned.add(chat)
            return Verdict.WARN

    def _forget_idle(self, now: float) -> None:
        for chat in [c for c, h in self._hits.items() if not h or now - h[-1] >= self.window_s]:
            del self._hits[chat]
            self._warned.discard(chat)

    def retry_after(self, chat: str) -> int:
        """Seconds until the oldest counted request leaves the window."""
        with self._lock:
            hits = self._hits.get(chat)
            if not hits:
                return 0
            return max(1, int(self.window_s - (self.clock() - hits[0])) + 1)


# One atomic step per message, so two replicas never both admit the last allowed one. Hits are a
# sorted set scored by Redis's own clock (replicas' clocks may differ); a second key remembers that
# the client was told, so WARN comes once and DROP after it, as in the in-process limiter.
_CHECK = """
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local window, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  redis.call('DEL', KEYS[2])
  return 0
end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', window) then return 1 end
return 2
"""

_RETRY_AFTER = """
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #oldest == 0 then return 0 end
return tonumber(oldest[2]) + tonumber(ARGV[1]) - now
"""

_VERDICTS = (Verdict.ALLOW, Verdict.WARN, Verdict.DROP)


class RedisRateLimiter:
    """The same sliding window as ``RateLimiter``, kept in Redis; open (ALLOW) while Redis is down."""

    def __init__(self, redis: SharedRedis, per_minute: int, scope: str, window_s: float = 60.0) -> None:
        self.redis, self.per_minute, self.window_s = redis, per_minute, window_s
        self.prefix = f"{KEY_PREFIX}rate:{scope}:"
        self._check = redis.client.register_script(_CHECK)
        self._retry_after = redis.client.register_script(_RETRY_AFTER)

    def check(self, chat: str) -> Verdict:
        keys = [self.prefix + chat, self.prefix + chat + ":told"]
        args = [int(self.window_s * 1000), self.per_minute, uuid.uuid4().hex]
        return _VERDICTS[int(self.redis.call("rate limit", lambda r: self._check(keys, args, client=r), 0))]

    def retry_after(self, chat: str) -> int:
        window_ms = int(self.window_s * 1000)
        ms = self.redis.call("rate limit", lambda r: self._retry_after([self.prefix + chat], [window_ms], client=r), 0)
        return max(1, int(ms / 1000) + 1) if ms else 0


class _Counted:
    """Counts refusals for /metrics, whatever keeps the window."""

    def __init__(self, inner: RateLimit, scope: str) -> None:
        self.inner, self.scope, self.per_minute = inner, scope, inner.per_minute

    def check(self, chat: str) -> Verdict:
        verdict = self.inner.check(chat)
        if verdict is not Verdict.ALLOW:
            RATE_LIMITED.labels(scope=self.scope).inc()
        return verdict

    def retry_after(self, chat: str) -> int:
        return self.inner.retry_after(chat)


def make_rate_limiter(settings: Settings, per_minute: int, scope: str) -> RateLimit:
    """The limiter for one door ("api", "telegram", "zalo"): in Redis with ``ASCC_REDIS_URL``, else here."""
    redis = shared_redis(settings)
    inner = RedisRateLimiter(redis, per_minute, scope) if redis is not None else RateLimiter(per_minute)
    return _Counted(inner, scope)
