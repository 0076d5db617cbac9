"""What a follow-up refers back to, and where short-lived conversation state is kept.

``SessionState`` is a frozen value that serialises to JSON, so that any store can keep it.
A ``StateStore`` keeps strings under keys with a time to live: the default keeps them in
this process; a shared store (Redis) lets a follow-up land on another replica. Keys carry
the channel they belong to ("web:…", "telegram:…", "zalo:…").
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Protocol

from .text import ORDINAL_PLACES, fold

SESSION_TTL_S = 3600.0


@dataclass(frozen=True)
class SessionState:
    """The last turn of a conversation: what "sở đó", "nhiệm vụ này", "còn ai phối hợp?" mean."""

    task_section: str | None = None  # the task the last answer was about ("II.6")
    agencies: tuple[str, ...] = ()  # the bodies it named or answered with
    intent: str = ""  # the answer type it was taken for
    sections: tuple[str, ...] = ()  # what it cited
    doc_id: str | None = None  # the document of task_section
    topic: str = ""  # the words the last question was about, for a follow-up that names none
    turns: int = 0
    items: tuple[str, ...] = ()  # what the last answer listed, in order, as a question names it ("năm 2017")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> SessionState:
        """The state a store kept; fields a newer or older version does not know are ignored."""
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("agencies", "sections", "items"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)


class StateStore(Protocol):
    """Strings under keys, each forgotten after its time to live."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str, ttl_s: float) -> None: ...


class MemoryStateStore:
    """Bounded, expiring state in this process (the default: one process, no service)."""

    def __init__(self, max_keys: int = 50_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._data: OrderedDict[str, tuple[float, str]] = OrderedDict()  # key -> (expires at, value)
        self._lock = threading.Lock()
        self.max_keys, self.clock = max_keys, clock

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._data.get(key)
            if item is None or self.clock() >= item[0]:
                self._data.pop(key, None)
                return None
            return item[1]

    def put(self, key: str, value: str, ttl_s: float) -> None:
        with self._lock:
            self._data[key] = (self.clock() + ttl_s, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_keys:
                self._data.popitem(last=False)


class SessionStore:
    """Follow-up state per conversation, kept in a ``StateStore`` as JSON."""

    PREFIX = "session:"

    def __init__(self, store: StateStore | None = None, ttl_s: float = SESSION_TTL_S) -> None:
        self.store: StateStore = store if store is not None else MemoryStateStore()
        self.ttl_s = ttl_s

    def get(self, session_id: str) -> SessionState | None:
        raw = self.store.get(self.PREFIX + session_id)
        if raw is None:
            return None
        try:
            return SessionState.from_json(raw)
        except (ValueError, TypeError):  # written by an incompatible version: start afresh
            return None

    def put(self, session_id: str, state: SessionState) -> None:
        self.store.put(self.PREFIX + session_id, state.to_json(), self.ttl_s)


# "cái thứ hai", "cơ quan được nêu đầu tiên", "mốc cuối cùng"; folded. Not "nhiệm vụ thứ hai", "phần thứ
# hai", "điểm …": those name the plan's own numbering.
_ORDINAL_VI = re.compile(r"\b(cai|y|moc|viec|co quan|so|don vi|nam|giai doan)( (duoc|vua|da))?"
                         r"( (neu|nhac|ke|liet ke|noi)( (o|den|toi))?)?( (tren|o tren|vua roi|truoc))?"
                         r" (?P<place>thu nhat|dau tien|thu hai|thu ba|thu tu|thu 1|thu 2|thu 3|thu 4|cuoi cung)\b")
_ORDINAL_EN = re.compile(r"\bthe (first|second|third|fourth|last|latter|former)"
                         r"(?: one\b| of (?:them|(?:those|these|the two|the three)(?: ([a-z]+s))?)\b|(?= *[?.,]| *$))")
_PLACE = ORDINAL_PLACES | {"thu 1": 0, "thu 2": 1, "thu 3": 2, "thu 4": 3, "former": 0, "latter": -1}
_BODY_WORDS = re.compile(r"^(co quan|so|don vi|departments?|agenc\w*|bod\w*|organi[sz]ations?|offices?)$")


# "khoản 3 trong mục đó", "điểm 2 của phần này", "item 3 of that part": a numbered item of the part just cited
_ITEM_OF_THAT_PART_VI = re.compile(r"\b(khoan|diem) (\d{1,2}(?:\.\d{1,2})*) (trong|cua|thuoc|o)? ?(muc|phan) "
                                   r"(do|nay|ay|tren|vua roi)\b")
_ITEM_OF_THAT_PART_EN = re.compile(r"\b(item|point|clause) (\d{1,2}(?:\.\d{1,2})*) (of|in) (that|this|the same) "
                                   r"(part|section)\b")
_PART_ID = re.compile(r"^[IVXL]+$")
_LAST_ITEM_VI = re.compile(r"\b(khoan|diem) cuoi( cung)?\b")
_LAST_ITEM_EN = re.compile(r"\bthe (?:very )?last (item|point|clause)\b")
# an item named by its number alone: no part, task or other item named beside it
_BARE_ITEM_VI = re.compile(r"\b(?:khoan|diem) \d{1,2}\b(?![.\d])(?! (?:trong |cua |thuoc |o )?(?:muc|phan|nhiem vu)\b)")
_BARE_ITEM_EN = re.compile(r"\b(?:item|point|clause) \d{1,2}\b(?![.\d])(?! (?:of|in) )")


def _item_of(question: str, m: re.Match, number: str, part: str, en: bool) -> str:
    """The words a match spans replaced by item ``number`` of ``part``, in the question's own word for an item
    ("khoản", "điểm", "item")."""
    if en:
        return f"{question[:m.start()]}{m.group(1)} {number} of part {part}{question[m.end():]}"
    word = question[m.start():m.start() + len(m.group(1))]  # as typed: "Khoản", "điểm"
    return f"{question[:m.start()]}{word} {number} mục {part}{question[m.end():]}"


def refer_to_part(question: str, state: SessionState | None,
                  children: Callable[[str], list[str]] | None = None) -> str:
    """"Khoản 3 trong mục đó nói gì?" after an answer from Mục VI → "khoản 3 mục VI nói gì?": an item named by its
    number in the part the last answer cited first; "khoản cuối" its last item (``children``: a part's item
    ids); a bare "khoản 4" after a turn that listed the part's items."""
    if state is None or not state.sections:
        return question
    part = state.sections[0].split(".")[0]
    folded = fold(question).lower()
    if not _PART_ID.match(part) or len(folded) != len(question):
        return question
    m = _ITEM_OF_THAT_PART_VI.search(folded)
    if m:
        return _item_of(question, m, m.group(2), part, en=False)
    m = _ITEM_OF_THAT_PART_EN.search(folded)
    if m:
        return _item_of(question, m, m.group(2), part, en=True)
    # after a turn that listed a part's items ("Mục VI có mấy khoản?"): "khoản 4", "khoản cuối", "the last item"
    # are items of that part
    of_part = children(part) if children else []
    last = of_part[-1].rsplit(".", 1)[1] if of_part else ""
    items = state.sections[1:]
    listed = bool(items) and all(s.startswith(part + ".") and s.count(".") == 1 for s in items)
    if listed and not last:
        last = items[-1].rsplit(".", 1)[1]
    if not last:
        return question
    m = _LAST_ITEM_VI.search(folded)
    if m:
        return _item_of(question, m, last, part, en=False)
    m = _LAST_ITEM_EN.search(folded)
    if m:
        return _item_of(question, m, last, part, en=True)
    if not listed:
        return question
    m = _BARE_ITEM_VI.search(folded)
    if m:
        return f"{question[:m.end()]} mục {part}{question[m.end():]}"
    m = _BARE_ITEM_EN.search(folded)
    if m:
        return f"{question[:m.end()]} of part {part}{question[m.end():]}"
    return question


# "năm đó", "năm ấy", "that year": the year the last question named ("năm nay" is this year, not that one;
# "năm này" only with its marks, for unmarked it reads as "năm nay")
_THAT_YEAR_VI = re.compile(r"\bnăm (đó|ấy|này|vừa nêu|vừa rồi|trên)\b|\bnam (do|ay)\b")
_THAT_YEAR_EN = re.compile(r"\b(that|the same|that same|the said) year\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def refer_to_year(question: str, state: SessionState | None) -> str:
    """"Năm đó làm gì?" after "Năm 2020 có mốc gì?" → "năm 2020 làm gì?": the one year the last question named;
    unchanged when it named none or several."""
    if state is None or not state.topic:
        return question
    years = set(_YEAR.findall(state.topic))
    if len(years) != 1:
        return question
    year = years.pop()
    lower = question.lower()
    m = _THAT_YEAR_VI.search(lower)
    if m:
        return f"{question[:m.start()]}{question[m.start():m.start() + 3]} {year}{question[m.end():]}"
    m = _THAT_YEAR_EN.search(lower)
    if m:
        return f"{question[:m.start()]}{year}{question[m.end():]}"
    return question


def refer_to_item(question: str, state: SessionState | None) -> str:
    """A follow-up that points at one of the things the last answer listed, by its place ("cái thứ hai cụ thể
    là làm gì?", "What has to be done in the first of those years?", "cơ quan được nêu đầu tiên còn làm gì?"),
    with that thing named instead ("nhiệm vụ 4 cụ thể là làm gì?", "… in 2017?", "Sở Kế hoạch và Đầu tư …").
    Bodies when the words point at a body, else the items; unchanged when the list is too short."""
    if state is None or not state.turns:
        return question
    folded = fold(question).lower()
    if len(folded) != len(question):
        return question
    m = _ORDINAL_VI.search(folded)
    if m:
        word, kind = m.group("place"), m.group(1)
    else:
        m = _ORDINAL_EN.search(folded)
        if not m:
            return question
        word, kind = m.group(1), m.group(2) or ""
    place = _PLACE[word]
    # "the first of them" after "Which departments implement this?": the bodies the last answer named
    bodies = _BODY_WORDS.match(kind) or (kind in ("", "cai") and state.intent in ("lead", "coordinate"))
    things = state.agencies if bodies else state.items
    if len(things) < (2 if place < 0 else place + 1) or (word in ("latter", "former") and len(things) != 2):
        return question  # "the latter" of two things only
    name = things[place]
    if re.match(r"^(năm )?\d{4}", name) and folded[:m.start()].rstrip().endswith(("nam", "in", "of")):
        name = name.removeprefix("năm ")  # "… in the first of those years" → "… in 2017"
    return question[:m.start()] + name + question[m.end():]
