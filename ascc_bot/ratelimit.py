"""Per-client sliding-window rate limits, shared by the HTTP API and the chat bots."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit: say so once
    DROP = "drop"  # over the limit and already told


class RateLimiter:
    """At most ``per_minute`` messages per chat in any sliding minute."""

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
