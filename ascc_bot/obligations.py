"""Dated obligations: the deadlines and milestones the documents state, put on the calendar.

Read from ``engine.deadlines()`` (the facts extracted from the documents' own words), never
typed in: a newly ingested decree with "trước ngày 15 tháng 12 hằng năm" gives an obligation too.

How a date is read from the words:
- "trước ngày 01 tháng 12 hàng năm" (or "01/12", "hằng năm"): every year, due on 1 December.
  The date as written is the due date; "trước ngày" makes the day before it the last working day,
  which is when the 1-day reminder arrives.
- "trước ngày 15 tháng 12 năm 2099": once, on that date.
- "trước ngày 15 tháng 12" without a year or "hằng năm": the next 15 December (plans set such dates
  for the current cycle; we cannot tell which year was meant, so the next one is the useful one).
- A milestone "Năm 2025: Đánh giá cuối kỳ…" names a year only. It is a target for that year, so it
  is due by the end of that year: 31 December 2025. The reminders then come on 1, 24 and 30
  December, while there is still time to finish; a reminder in January would come when the work
  has barely started and say nothing about how long is left.
- Programme periods ("giai đoạn 2016 - 2020") are spans, not obligations: they are not dated.

Who an obligation concerns: the body whose duty the section states (a clause "Sở X chủ trì …"
or a part VI item "Sở X:") or the leads and coordinators of the task it sits in. When the section
names no such body (part VI.1 "Các Sở, ban, ngành…", the milestones of part IV), it concerns every
body.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .sections import section_label

if TYPE_CHECKING:
    from .engine import Engine
    from .facts import TimeFact

KINDS = ("report_deadline", "milestone")
REMINDER_DAYS = (30, 7, 1)  # days before a due date: chat reminders and calendar alarms
KIND_NAMES = {"report_deadline": "Hạn báo cáo", "milestone": "Mốc thực hiện"}
_DAY_MONTH = re.compile(r"(\d{1,2})(?: tháng |/)(\d{1,2})")
_YEARLY = re.compile(r"h[àằ]ng năm")
_YEAR = re.compile(r"\b(\d{4})\b")


@dataclass(frozen=True)
class Obligation:
    """One dated obligation, with where it is written."""

    kind: str  # report_deadline | milestone
    when: str  # as written: "trước ngày 01 tháng 12 hàng năm", "Năm 2025"
    what: str  # the line that states it (a milestone: the words after "Năm 2025:")
    quote: str  # verbatim
    doc_id: str
    doc_title: str  # short title, for citations
    section_id: str
    recipient: str  # who a report goes to, as written
    month: int
    day: int
    year: int | None  # None: every year
    agencies: tuple[str, ...]  # canonical names of the bodies it concerns; () = every body

    @property
    def label(self) -> str:
        return section_label(self.section_id)

    @property
    def citation(self) -> str:
        """"Kế hoạch ASCC Hải Phòng, Mục VI, khoản 1"."""
        return f"{self.doc_title}, {self.label}"

    @property
    def yearly(self) -> bool:
        return self.year is None

    @property
    def title(self) -> str:
        if self.kind == "report_deadline":
            to = f" về {self.recipient}" if self.recipient else ""
            return f"Hạn gửi báo cáo{to} ({self.when})"
        return f"{self.when}: {self.what}"

    def concerns(self, agency: str) -> bool:
        """Whether this obligation is for ``agency`` (a canonical name); every one is, for no agency."""
        return not agency or not self.agencies or agency in self.agencies

    def due_on_or_after(self, day: date) -> date | None:
        """The first due date on or after ``day``; None when it has passed for good."""
        if self.year is not None:
            due = _date(self.year, self.month, self.day)
            return due if due and due >= day else None
        for year in (day.year, day.year + 1, day.year + 2):  # 29 February waits for a leap year
            due = _date(year, self.month, self.day)
            if due and due >= day:
                return due
        return None

    def first_due(self, today: date) -> date | None:
        """The date a calendar starts it from: its own year, or this year's occurrence when yearly."""
        return _date(self.year or today.year, self.month, self.day) or self.due_on_or_after(today)

    def key(self, due: date) -> str:
        """Stable across restarts and replicas: what was claimed for one occurrence."""
        digest = hashlib.sha256(f"{self.doc_id}\0{self.section_id}\0{self.kind}\0{self.quote}".encode()).hexdigest()
        return f"{self.doc_id}:{self.section_id}:{self.kind}:{due.isoformat()}:{digest[:12]}"

    def url(self, public_url: str) -> str:
        """The section in the viewer; absolute when the public address is known."""
        return f"{public_url}/doc/{self.doc_id}#{self.section_id}"


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(fact: TimeFact) -> tuple[int, int, int | None] | None:
    """(month, day, year or None for every year) from a deadline's or milestone's words."""
    if fact.kind == "milestone":
        m = _YEAR.search(fact.when)
        return (12, 31, int(m.group(1))) if m else None
    m = _DAY_MONTH.search(fact.when)
    if not m:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    if _YEARLY.search(fact.when):
        return month, day, None
    # the year, when written, follows the day in the quote: "trước ngày 15 tháng 12 năm 2099"
    at = fact.quote.find(m.group(0))
    after = fact.quote[at + len(m.group(0)):at + len(m.group(0)) + 12] if at >= 0 else ""
    year = re.match(r"(?: năm |/)(\d{4})", after)
    if _YEARLY.match(after.strip()):
        return month, day, None
    return month, day, int(year.group(1)) if year else None


def obligations(engine: Engine) -> list[Obligation]:
    """Every dated obligation of every loaded document, in document order, each once."""
    titles = {d.doc_id: d.meta.short_title for d in engine.documents}
    concerned = _bodies_by_section(engine)
    out: list[Obligation] = []
    seen: set[tuple[str, str, str, str]] = set()
    for fact in engine.deadlines():
        if fact.kind not in KINDS or (fact.doc_id, fact.section_id, fact.kind, fact.quote) in seen:
            continue
        read = read_date(fact)
        if read is None:
            continue
        seen.add((fact.doc_id, fact.section_id, fact.kind, fact.quote))
        month, day, year = read
        if _date(year or 2024, month, day) is None:  # "31 tháng 2": no such day in any year
            continue
        what = fact.what if fact.kind == "milestone" else fact.quote
        out.append(Obligation(fact.kind, fact.when, what, fact.quote, fact.doc_id,
                              titles.get(fact.doc_id, fact.doc_id), fact.section_id, fact.recipient, month, day,
                              year, _concerned(concerned, fact.doc_id, fact.section_id)))
    return out


def _bodies_by_section(engine: Engine) -> dict[tuple[str, str], set[str]]:
    """(doc, section) → canonical names of the bodies given a duty or a task there."""
    out: dict[tuple[str, str], set[str]] = {}

    def add(doc_id: str, section_id: str, name: str) -> None:
        matches = engine.resolve_agency(name)
        if len(matches) == 1:  # generic ("Các Sở, ngành … liên quan") or unknown names concern everyone
            out.setdefault((doc_id, section_id), set()).add(matches[0])

    for duty in engine.facts.duties:
        add(duty.doc_id, duty.section_id, duty.agency)
    for task in engine.tasks():
        for name in (*task.leads, *task.coordinators):
            add(task.doc_id, task.section_id, name)
    return out


def _concerned(bodies: dict[tuple[str, str], set[str]], doc_id: str, section_id: str) -> tuple[str, ...]:
    """The bodies of the section or of its nearest ancestor that has any."""
    parts = section_id.split(".")
    for n in range(len(parts), 0, -1):
        found = bodies.get((doc_id, ".".join(parts[:n])))
        if found:
            return tuple(sorted(found))
    return ()


def upcoming(items: list[Obligation], today: date, until: date, agency: str = "") -> list[tuple[date, Obligation]]:
    """What falls due from ``today`` to ``until`` (inclusive) for ``agency``, soonest first; a yearly
    obligation appears once per year in the span."""
    out: list[tuple[date, Obligation]] = []
    for item in items:
        if not item.concerns(agency):
            continue
        day = today
        while (due := item.due_on_or_after(day)) is not None and due <= until:
            out.append((due, item))
            if not item.yearly:
                break
            day = due + timedelta(days=1)
    return sorted(out, key=lambda pair: pair[0])


def horizon(today: date) -> date:
    """How far ``/lich`` and a new subscription look: to the end of next year (the milestones of this
    year and the next, and every report date until then)."""
    return date(today.year + 1, 12, 31)
