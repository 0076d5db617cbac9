"""Which numbered task a subject belongs to, and whether it is the one the asker names.

"Chăm sóc sức khỏe là nhiệm vụ số mấy?", "Du lịch thuộc nhiệm vụ nào?", "Which task number covers tourism?",
"Xây dựng cộng đồng tiến bộ, hòa nhập là nhiệm vụ 3 đúng không?" (no: task 2), "Is health care task 5?".
The subject is found by its words, never by the number the question offers: a number misremembered is
the thing to correct, so it is left out of the ranking.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import Task
from ..retrieve import task_of_ranking
from ..sections import Section, section_label
from ..text import syllables
from ..understand import Question
from .base import Context, Draft
from .unknowable import names_other_document

# "là nhiệm vụ mấy", "thuộc nhiệm vụ nào", "nằm ở nhiệm vụ số mấy"
_WHICH_VI = re.compile(r"\b(la|thuoc|o|nam o|nam trong|trong|cua) (nhiem vu|nv) (so |thu )?(may|nao|bao nhieu)\b")
_WHICH_EN = re.compile(r"\b(which|what) task( number)?\b"
                       r"(?! (does|do|did|is|are) (\w+ ){0,4}(lead|coordinat|carr|implement|in charge|responsib))"
                       r"|\btask number\b")
# "là nhiệm vụ 3 đúng không", "thuộc nv 5 à", "Is health care task 5?", "is tourism part of task 7?"
_NAMED_VI = re.compile(r"\b(la|thuoc|o|nam o|nam trong|trong) (nhiem vu|nv) (so |thu )?\d+\b")
_NAMED_EN = re.compile(r"^(is|are) .+\b(in |under |part of |covered (by|in|under) |of )?task (no\.? |number )?\d+\b")
# words of the question that name no subject
_FRAME = frozenset({"nhiem vu", "nv", "ke hoach", "so", "thu", "task", "plan", "number"})


class TaskOfSubject:
    intent = "structure"

    def recognises(self, q: Question, ctx: Context) -> bool:
        if q.agencies or q.focus.agency or q.section or not _subject(q) or names_other_document(q):
            return False  # ("Nghị quyết 21 nằm trong nhiệm vụ nào?": where the plan cites a document, reference.py)
        if q.matches(_WHICH_VI, _WHICH_EN):
            return True
        return bool(q.task_number and q.focus.yes_no and q.matches(_NAMED_VI, _NAMED_EN))

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        unnumbered = replace(q, task_number=None, part=None)
        ranking = ctx.ranking(unnumbered)
        task = task_of_ranking(ranking, ctx.facts)
        if task is None:
            return None
        doc = ctx.document(task.doc_id)
        roles = (task.section_id, task.lead_section, task.coord_section)
        # the words of the task's own title name the task, not a passage in it ("phần văn hóa văn nghệ có nói tới
        # công tác gia đình không"): the rest of the subject picks the passage
        titled = f" {' '.join(syllables(task.title))} "
        subject = [t for t in _subject(q) if f" {t} " not in titled] or _subject(q)
        passage = next((s.section for s in ranking.sections
                        if s.doc.doc_id == task.doc_id and ctx.facts.task(task.doc_id, s.section.section_id) == task
                        and s.section.section_id not in roles and _naming(s.section, subject)), None)
        en = q.lang == "en"
        named = ctx.explicit_task(q) if q.task_number else None
        lines: list[str] = []
        if q.task_number and not q.matches(_WHICH_VI, _WHICH_EN):
            lines.append(_verdict(task, named, q.task_number.split(".")[0], en))
        where = ctx.where(doc, task.section_id)
        lines.append(f"It belongs to task {task.number} ({_title(task)}), {where}." if en else
                     f"Nội dung này thuộc nhiệm vụ {task.number} ({_title(task)}), {where}.")
        cites = [ctx.cite(doc, task.section_id, task.title)]
        if passage is not None:  # the subject in the task's own words
            quote = _naming(passage, subject, q.folded)
            lines.append(f"{ctx.where(doc, passage.section_id)}: «{quote}»")
            cites.insert(0, ctx.cite(doc, passage.section_id, quote))
        return Draft(self.intent, tuple(lines), tuple(cites), 0.85, task=task)


def _subject(q: Question) -> list[str]:
    return [t for t in q.content_terms if t not in _FRAME and not re.fullmatch(r"[\d.]+", t)]


def _naming(sec: Section, subject: list[str], folded: str = "") -> str:
    """The block of a passage that names most of the subject's words, then most of the question's pairs of
    words ("công tác gia đình" over a bare "gia đình"); none: ""."""
    words = folded.split()
    pairs = {f"{a} {b}" for a, b in zip(words, words[1:])}
    scored = []
    for i, b in enumerate(sec.blocks):
        if b.text.rstrip().endswith(":"):
            continue
        text = f" {' '.join(syllables(b.text))} "
        scored.append((sum(f" {t} " in text for t in subject), sum(f" {p} " in text for p in pairs), -i, b.text))
    best = max(scored, default=(0, 0, 0, ""))
    return best[3] if best[0] else ""


def _title(task: Task) -> str:
    return task.title.rstrip(": ").strip()


def _verdict(task: Task, named: Task | None, number: str, en: bool) -> str:
    if task.number == number:
        return "Yes." if en else "Đúng."
    if named is None:
        return (f"No: the plan has no task {number}." if en else
                f"Không: kế hoạch không có nhiệm vụ {number}.")
    return (f"No: task {number} is {_title(named)} ({section_label(named.section_id)})." if en else
            f"Không: nhiệm vụ {number} là {_title(named)} ({section_label(named.section_id)}).")
