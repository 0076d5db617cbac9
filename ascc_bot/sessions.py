"""What a follow-up refers back to, and where it is kept between turns.

``SessionState`` is a frozen value that serialises to JSON, so that any store can keep
it: the default keeps it in this process; a shared store (Redis) lets a follow-up land
on another replica. Stores hold it under a key the door chooses ("web:…", "telegram:…").
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Protocol

SESSION_TTL_S = 3600.0


@dataclass(frozen=True)
class SessionState:
    """The last turn of a conversation: what "sở đó", "nhiệm vụ này", "còn ai phối hợp?" mean."""

    task_section: str | None = None  # the task the last answer was about ("II.6")
    agencies: tuple[str, ...] = ()  # the bodies it named or answered with
    intent: str = ""  # the answer type it was taken for
    sections: tuple[str, ...] = ()  # what it cited
    doc_id: str | None = None  # the document of task_section
    turns: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> SessionState:
        """The state a store kept; fields a newer or older version does not know are ignored."""
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("agencies", "sections"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)


class SessionStore(Protocol):
    def get(self, key: str) -> SessionState | None: ...

    def put(self, key: str, state: SessionState) -> None: ...


class MemorySessionStore:
    """Bounded, expiring sessions in this process (the default: one process, no service)."""

    def __init__(self, max_sessions: int = 10_000, ttl_s: float = SESSION_TTL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._data: OrderedDict[str, tuple[float, SessionState]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_sessions, self.ttl_s, self.clock = max_sessions, ttl_s, clock

    def get(self, key: str) -> SessionState | None:
        with self._lock:
            item = self._data.get(key)
            if item is None or self.clock() - item[0] > self.ttl_s:
                self._data.pop(key, None)
                return None
            return item[1]

    def put(self, key: str, state: SessionState) -> None:
        with self._lock:
            self._data[key] = (self.clock(), state)
            self._data.move_to_end(key)
            while len(self._data) > self.max_sessions:
                self._data.popitem(last=False)
