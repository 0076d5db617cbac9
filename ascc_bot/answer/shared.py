"""The work two or more bodies share: "Sở Văn hóa và Thể thao và Sở Du lịch cùng làm những nhiệm vụ nào?",
"Việc mà Sở Ngoại vụ làm chung với Sở KH&ĐT là việc gì?", "Which tasks do the Departments of Health and
Finance share?". The answer lists the tasks where every named body is a lead or a coordinator, each with
its leads and coordinators quoted; when they share none, it says so and gives each body's own tasks.
"""

from __future__ import annotations

import re

from ..facts import Task, agency_key
from ..understand import Question, named_for
from .base import Context, Draft, section_lines

_TOGETHER_VI = re.compile(r"\b(chung|cung nhau|cung lam|cung thuc hien|cung phu trach|cung (duoc )?giao|ca hai|"
                          r"phoi hop voi nhau|ket hop voi nhau)\b")
_TOGETHER_EN = re.compile(r"\b(both|together|jointly|in common|shared?|same tasks?)\b")


class SharedTasks:
    intent = "agency_tasks"

    def recognises(self, q: Question, ctx: Context) -> bool:
        f = q.focus
        if len(q.agencies) < 2 or q.task_number or f.choice or f.time or f.destination or f.report:
            return False
        if f.yes_no and not f.listing and not re.search(r"\b(nhiem vu|viec) nao\b|\b(any|which) tasks?\b", q.cues):
            return False  # "A có cùng làm nhiệm vụ 6 với B không?" is a role question; "… nhiệm vụ nào không?" lists
        return q.matches(_TOGETHER_VI, _TOGETHER_EN) and (f.listing or f.duty or f.content or f.amount)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        keys = [agency_key(n) for n in q.agencies]
        shared = [t for t in ctx.facts.tasks if all(k in _bodies(t) for k in keys)]
        en = q.lang == "en"
        names = [named_for(n, q.lang) for n in q.agencies]
        joined = (" and " if en else " và ").join(names)
        lines: list[str] = []
        cites = []
        if shared:
            lines.append(f"Tasks {joined} share ({len(shared)}):" if en else
                         f"Nhiệm vụ chung của {joined} ({len(shared)}):")
            for t in shared:
                doc = ctx.document(t.doc_id)
                lines.append(f"- {'Task' if en else 'Nhiệm vụ'} {t.number}: {t.title.rstrip(':')}")
                for sid, quote in ((t.lead_section, t.lead_quote), (t.coord_section, t.coord_quote)):
                    if sid:
                        lines.append(f"  {ctx.where(doc, sid)}: «{quote}»")
                        cites.append(ctx.cite(doc, sid, quote))
            if len(shared) == 1 and q.refers_to_task and (q.focus.listing or q.focus.content) \
                    and shared[0].content_section:
                # "… cùng làm nhiệm vụ nào, nhiệm vụ đó gồm những việc gì?": then what that task holds
                doc = ctx.document(shared[0].doc_id)
                content_lines, content_cites = section_lines(ctx, doc, doc.section(shared[0].content_section))
                lines += content_lines
                cites += content_cites
            return Draft(self.intent, tuple(lines), tuple(cites), 0.9, task=shared[0] if len(shared) == 1 else None,
                         agencies=q.agencies, counted=q.focus.amount)
        lines.append(f"No task of the plan names all of {joined}; each one's tasks:" if en else
                     f"Không nhiệm vụ nào trong kế hoạch có tên cả {joined}; nhiệm vụ của từng cơ quan:")
        for name, key in zip(q.agencies, keys):
            own = [t for t in ctx.facts.tasks if key in _bodies(t)]
            lines.append(f"- {named_for(name, q.lang)}: " + (", ".join(
                f"{'task' if en else 'nhiệm vụ'} {t.number}" for t in own) or ("none" if en else "không có")))
            for t in own:
                sid, quote = (t.lead_section, t.lead_quote) if key in map(agency_key, t.leads) else (
                    t.coord_section, t.coord_quote)
                if sid:
                    cites.append(ctx.cite(ctx.document(t.doc_id), sid, quote))
        return Draft(self.intent, tuple(lines), tuple(cites), 0.85, agencies=q.agencies, counted=q.focus.amount)


def _bodies(t: Task) -> set[str]:
    return {agency_key(n) for n in (*t.leads, *t.coordinators)}
