"""Questions that compare the tasks by their lists of bodies, counted on the facts of every task.

"Sở nào thực hiện nhiều nhiệm vụ nhất?", "Which department leads the most tasks?", "Nhiệm vụ nào chỉ giao
cho một sở?", "Nhiệm vụ nào chỉ giao riêng cho Sở Lao động Thương binh và Xã hội?", "Những nhiệm vụ nào có
từ ba cơ quan thực hiện trở lên?". Each task the answer names is quoted from its own list of bodies.
"""

from __future__ import annotations

import re
from collections import Counter

from ..facts import Task, agency_key
from ..understand import Question, named_for
from .base import Context, Draft

_MOST_VI = re.compile(r"\bnhieu (nhiem vu |viec )?nhat\b")
_MOST_EN = re.compile(r"\b(the )?most (tasks?|work)\b|\bleads? the most\b|\bmost (often|frequently)\b")
_SOLE_VI = re.compile(r"\bchi (giao |co |danh )?(cho )?(dung |duy nhat )?(mot|1) (so|co quan|don vi)\b"
                      r"|\b(mot|1) (so|co quan|don vi) (duy nhat|thoi)\b|\bchi giao rieng\b|\bmot minh\b|\bduy nhat\b")
_SOLE_EN = re.compile(r"\b(only|single|sole|solely|alone|just) (one )?(implementing |lead )?(agenc|bod|department)\w*"
                      r"|\b(only|sole|single) (implementing|lead)\b|\bby (itself|themselves) alone\b|\balone\b"
                      r"|\bonly one\b")
_AT_LEAST_VI = re.compile(r"\btu (hai|ba|bon|2|3|4) (co quan|so|don vi)\b.*\btro len\b"
                          r"|\b(hai|ba|bon|2|3|4) (co quan|so|don vi) tro len\b|\bnhieu hon (mot|hai|ba|1|2|3) "
                          r"(co quan|so|don vi)\b")
_AT_LEAST_EN = re.compile(r"\b(at least|three or more|two or more|four or more|more than) (one|two|three|four|1|2|3|4)?"
                          r"\s*(implementing |lead )?(agenc|bod|department)\w*")
_NUMBER = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "one": 1, "two": 2, "three": 3, "four": 4}
# which of the tasks, not one task named by its topic ("the 'dynamic community' task")
_WHICH_TASKS = re.compile(r"\b(nhiem vu|viec) (nao|gi)\b|\b(nhung|cac|may) (nhiem vu|viec)\b"
                          r"|\b(which|what|any|how many) tasks?\b|\btasks (with|where|that|in which)\b")


class TaskTally:
    intent = "structure"

    def recognises(self, q: Question, ctx: Context) -> bool:
        if q.task_number or q.focus.time or q.focus.destination or not ctx.facts.tasks:
            return False
        return _kind(q) is not None

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        kind = _kind(q)
        tasks = [t for t in ctx.facts.tasks if t.lead_section]
        en = q.lang == "en"
        if kind == "most":
            counts = Counter(agency_key(n) for t in tasks for n in t.leads)
            names = {agency_key(n): n for t in tasks for n in t.leads}
            if not counts:
                return None
            top = max(counts.values())
            bodies = [names[k] for k, c in counts.items() if c == top and k in ctx.facts.agencies]
            if not bodies:
                return None
            keys = {agency_key(b) for b in bodies}
            chosen = [t for t in tasks if any(agency_key(n) in keys for n in t.leads)]
            head = (f"{', '.join(named_for(b, q.lang) for b in bodies)} carries out the most tasks: {top}." if en else
                    f"{', '.join(bodies)} là cơ quan thực hiện nhiều nhiệm vụ nhất: {top} nhiệm vụ.")
            return self._listed(q, ctx, [head], chosen, bodies)
        if kind == "sole":
            named = {agency_key(n) for n in q.agencies}
            chosen = [t for t in tasks if len(t.leads) == 1 and (not named or agency_key(t.leads[0]) in named)]
            if named:
                who = ", ".join(named_for(n, q.lang) for n in q.agencies)
                head = (f"Tasks carried out by {who} alone: {len(chosen)}." if en else
                        f"Nhiệm vụ chỉ do {who} thực hiện: {len(chosen)}.")
            else:
                head = (f"Tasks with a single implementing agency: {len(chosen)}." if en else
                        f"Nhiệm vụ chỉ có một cơ quan thực hiện: {len(chosen)}.")
            return self._listed(q, ctx, [head], chosen, q.agencies)
        least = _at_least(q.cues)
        chosen = [t for t in tasks if len(t.leads) >= least]
        head = (f"Tasks with {least} or more implementing agencies: {len(chosen)}." if en else
                f"Nhiệm vụ có từ {least} cơ quan thực hiện trở lên: {len(chosen)}.")
        return self._listed(q, ctx, [head], chosen, ())

    def _listed(self, q: Question, ctx: Context, lines: list[str], chosen: list[Task],
                bodies: tuple[str, ...] | list[str]) -> Draft:
        en = q.lang == "en"
        cites = []
        for t in chosen:
            doc = ctx.document(t.doc_id)
            lines.append(f"- {'Task' if en else 'Nhiệm vụ'} {t.number} ({t.title.rstrip(':')}): "
                         f"«{t.lead_quote}» ({ctx.where(doc, t.lead_section)})")
            cites.append(ctx.cite(doc, t.lead_section, t.lead_quote))
        if not chosen:
            lines.append("None of the plan's tasks." if en else "Không có nhiệm vụ nào trong kế hoạch.")
            cites += [ctx.cite(ctx.document(t.doc_id), t.lead_section, t.lead_quote) for t in ctx.facts.tasks
                      if t.lead_section]
        # counted on the document's own lists of bodies, as a question about its structure asks
        return Draft(self.intent, tuple(lines), tuple(cites), 0.9, task=chosen[0] if len(chosen) == 1 else None,
                     agencies=tuple(bodies), counted=True, about_document=True)


def _kind(q: Question) -> str | None:
    cues = q.cues
    if q.matches(_MOST_VI, _MOST_EN) and (q.focus.agency or q.focus.content) and not q.agencies:
        return "most"  # "sở nào … nhiều nhiệm vụ nhất"
    if not _WHICH_TASKS.search(cues):
        return None
    asks_which = q.focus.content or q.focus.listing or q.focus.amount or q.focus.yes_no
    if q.focus.choice:
        return None  # "… một mình …, hay có cơ quan phối hợp?", "… or does it share it?": one task's roles
    if q.matches(_SOLE_VI, _SOLE_EN) and asks_which and len(q.agencies) <= 1:
        return "sole"
    if q.matches(_AT_LEAST_VI, _AT_LEAST_EN) and asks_which and not q.agencies:
        return "at_least"
    return None


def _at_least(cues: str) -> int:
    m = re.search(r"\b(?:tu|at least|more than) (hai|ba|bon|mot|one|two|three|four|\d)\b", cues) \
        or re.search(r"\b(mot|hai|ba|bon|one|two|three|four|\d) (?:co quan|so|don vi|or more)\b", cues)
    if not m:
        return 2
    word = m.group(1)
    n = int(word) if word.isdigit() else _NUMBER.get(word, 2)
    return n + 1 if re.search(r"\b(more than|nhieu hon)\b", cues) else n
