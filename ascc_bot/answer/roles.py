"""Who carries out a task, who coordinates it, and whether a named body has that role.

"Việc X được giao cho sở nào?", "X do ai phụ trách", "ai phối hợp?", "Which departments lead X?",
"X có giao cho Sở Y tế không?", "X do Sở A hay Sở B phụ trách?", "chỉ Sở A hay còn sở nào khác?".
Yes/no and either/or questions get a direct "Có/Không" (or which of the two) and the task's full list.
A question whose best section is not a task ("Ai tổ chức Liên hoan ẩm thực?" in a decree) is left to
the content module, which quotes the clause that names the body.
"""

from __future__ import annotations

import re

from ..facts import Task, agency_key
from ..sections import Document
from ..text import fold, syllables
from ..understand import Question, named_for
from .base import Context, Draft, acting_agency, first_quote, task_line
from .content import _named_by_title

ROLE_INTENTS = ("lead", "coordinate")
# the bodies counted ("nhiệm vụ 6 có bao nhiêu cơ quan thực hiện?", "how many departments lead task 6?")
BODIES_COUNTED = re.compile(r"(co quan|so|don vi|nganh|agenc(y|ies)|bod(y|ies)|departments?|organi[sz]ations?)\b")
ROLE_TASK_MARGIN = 0.85  # a task this close to a better passage of no task can say who (tune half: flat 0.8-0.9)


# the bodies of a task as a list: "cơ quan thực hiện", "đơn vị phối hợp", "danh sách", "lead agencies"
_ROLE_LIST = re.compile(r"\b(co quan|don vi) (thuc hien|phoi hop|chu tri)\b|\bdanh sach\b"
                        r"|\b(lead|leading|implementing|coordinating) (agenc|bod|department)")


class Roles:
    intent = "lead"

    def recognises(self, q: Question, ctx: Context) -> bool:
        f = q.focus
        asks_agency = f.agency and not f.destination and not f.time
        # "Does A take part in X, or is that only B?", "X thuộc NV nào, Sở A hay Sở B thực hiện?": which of them
        choosing = f.choice and len(q.agencies) > 1 and bool(q.content_terms)
        asks_role = bool(q.agencies) and (f.yes_no or f.choice) and (not f.duty or choosing)
        inherited = not q.focus.kinds and ctx.session is not None and ctx.session.intent in ROLE_INTENTS
        # "… có những cơ quan phối hợp nào?": the role; "Sở A phối hợp làm gì?" is the body's work
        asks_coordinators = f.role == "coordinate" and not (f.duty and q.agencies)
        return asks_agency or asks_role or asks_coordinators or inherited or _counts_bodies(q, ctx)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        if not q.agencies and _about_the_plan(q, ctx):
            lead = _plan_lead(q, ctx)
            if lead is not None:
                return lead
        # ("KH có áp dụng cho cả UBND quận huyện không?": the plan applied to a body is no task's topic either)
        plan_only = not q.has_topic or _about_the_plan(q, ctx)
        if q.agencies and plan_only and ctx.explicit_task(q) is None and ctx.context_task_section(q) is None:
            # "BHXH Hải Phòng có nằm trong danh sách cơ quan thực hiện không?": a body, and no task named; the
            # one task it has that role in, if it has one only
            role = "coordinators" if q.focus.role == "coordinate" else "leads"
            held = [t for t in ctx.facts.tasks if set(q.agencies) & set(getattr(t, role))]
            # the list of a task's bodies is what is asked about ("cơ quan thực hiện", "danh sách"), not the
            # plan ("UBND các quận, huyện có phải thực hiện kế hoạch này không?" is its own item, II.11)
            if len(held) != 1 or not _ROLE_LIST.search(q.cues):
                return None  # "Sở Y tế có tên trong kế hoạch không?": several tasks, none to hold it against
            task = held[0]
        else:
            task = _task_covering(q, ctx)
        if task is None or not task.lead_section:
            return None
        if _organisation_part_says_who(q, ctx, task):
            return None  # "which organisations are asked to cooperate in social policy?": VI.5 names them itself
        if q.section and q.section != task.section_id and not q.section.startswith(task.section_id + "."):
            return None  # a numbered item that is no task ("khoản 11"): its own words say who
        role = q.focus.role or (ctx.session.intent if ctx.session and ctx.session.intent in ROLE_INTENTS else "lead")
        if role == "coordinate" and not task.coord_section:
            role = "lead"
        doc = ctx.document(task.doc_id)
        lead_line = task_line(ctx, task, "lead", q.lang)
        coord_line = task_line(ctx, task, "coordinate", q.lang) if task.coord_section else ""
        lead_cite = ctx.cite(doc, task.lead_section, task.lead_quote)
        coord_cite = ctx.cite(doc, task.coord_section, task.coord_quote) if task.coord_section else None
        if role == "coordinate":
            lines, cites = [coord_line, lead_line], [coord_cite, lead_cite]
        else:
            lines, cites = [lead_line] + ([coord_line] if coord_line else []), [lead_cite, coord_cite]
        verdict = role_verdict(q, task, role) if q.agencies and (q.focus.yes_no or q.focus.choice) else ""
        if verdict:
            lines.insert(0, verdict)
        names = task.coordinators if role == "coordinate" else task.leads
        # counted only when each is one body the plan names, not "các sở, ngành liên quan"
        counted = _counts_bodies(q, ctx)
        coordinate = role == "coordinate"
        if counted and all(agency_key(n) in ctx.facts.agencies for n in names):
            lines.insert(0, f"Task {task.number} has {len(names)} {'bodies' if coordinate else 'lead bodies'}:"
                         if q.lang == "en" else f"Nhiệm vụ {task.number} có {len(names)} "
                         f"{'cơ quan phối hợp' if coordinate else 'cơ quan thực hiện'}:")
        elif counted:  # "các Sở, ngành … liên quan": named as a group, which the answer says rather than count
            lines.insert(0, f"The plan gives no number for task {task.number}: it names them as a group."
                         if q.lang == "en" else f"Kế hoạch không nêu số lượng cụ thể cho nhiệm vụ {task.number} mà ghi "
                         f"chung {'các cơ quan phối hợp' if coordinate else 'các cơ quan thực hiện'}:")
        subject = acting_agency(q, ctx)
        # (a task named or carried from the last turn is what the question asks about: its coordinators say)
        if coordinate and len(subject) == 1 and not (q.focus.yes_no or q.focus.choice or counted) \
                and ctx.explicit_task(q) is None and ctx.context_task_section(q) is None:
            own = own_partners(ctx, subject[0], q.content_terms)
            if own is not None:  # "Sở KH&ĐT phối hợp với ai để vận động NGO?": whom its own work names first
                own_doc, sid, sentence = own
                where = ctx.where(own_doc, sid)
                head = (f"{named_for(subject[0], q.lang)} works with, as its own work says ({where}):"
                        if q.lang == "en" else f"{subject[0]} phối hợp theo nhiệm vụ của mình ({where}):")
                own_cite = ctx.cite(own_doc, sid, sentence)
                if not q.has_topic:
                    # "Sở Tài chính phối hợp với ai?": no task asked about, only the body's own work says
                    return Draft(role, (head, f"«{sentence}»"), (own_cite,), 0.9, agencies=subject)
                lines[:0] = [head, f"«{sentence}»"]
                cites.insert(0, own_cite)
        passage = _passage_asked(q, task, ctx)
        if passage is not None:  # where the task holds what was asked: why this task, in its own words
            sid, text = passage
            lines.append(f"{'Where the plan covers this' if q.lang == 'en' else 'Nội dung liên quan'} "
                         f"({ctx.where(doc, sid)}): «{text}»")
            cites.append(ctx.cite(doc, sid, text))
        elif task.content_section:
            content = doc.section(task.content_section)
            cites.append(ctx.cite(doc, task.content_section, first_quote(doc, content)))
        return Draft(role, tuple(lines), tuple(c for c in cites if c is not None), 0.9, task=task,
                     agencies=tuple(a for a in names if agency_key(a) in ctx.facts.agencies), counted=counted)


# whom a body works with, in its own work: "Phối hợp với các hội, đoàn thể vận động …", "Chủ trì, phối hợp các Sở …"
_WORKS_WITH = re.compile(r"\b[Pp]hối hợp (?:chặt chẽ )?(?:với )?(?:các |Sở |Ủy ban |Bộ |Ban |Hội |Mặt trận )")


def own_partners(ctx: Context, name: str, terms: tuple[str, ...]) -> tuple[Document, str, str] | None:
    """(document, section id, sentence) where a body's own work says whom it works with, on the question's topic
    when it names one ("Sở Kế hoạch và Đầu tư phối hợp với ai để vận động NGO?")."""
    key = agency_key(name)
    best: tuple[int, Document, str, str] | None = None
    for d in ctx.facts.duties:
        if agency_key(d.agency) != key:
            continue
        doc = ctx.document(d.doc_id)
        sec = doc.section(d.section_id)
        for line in sec.text.splitlines() if sec else ():  # its heading may hold the work ("Sở X: Chủ trì, …")
            for sentence in re.split(r"(?<=[.;])\s+", line):
                if not _WORKS_WITH.search(sentence):
                    continue
                folded = " " + " ".join(syllables(sentence)) + " "
                held = sum(f" {t} " in folded for t in terms)
                if (held or not terms) and (best is None or held > best[0]):
                    best = (held, doc, d.section_id, sentence)
    return best[1:] if best is not None else None


def _organisation_part_says_who(q: Question, ctx: Context, task: Task) -> bool:
    """A paragraph of the organisation part that names its own bodies ranks first, well above the task
    found, for a question naming no task: that paragraph, not a task, says who (the content module quotes
    it)."""
    if ctx.explicit_task(q) is not None or ctx.context_task_section(q) is not None:
        return False
    ranking = ctx.ranking(q, bodies=False)
    top = ranking.top
    if top is None or "." not in top.section.section_id:
        return False
    inside = next((s.score for s in ranking.sections if ctx.facts.task(s.doc.doc_id, s.section.section_id) == task),
                  None)
    if inside is not None and inside >= ROLE_TASK_MARGIN * top.score:
        return False  # the task ranks close behind: it says who
    part = top.doc.section(top.section.section_id.split(".")[0])
    return part is not None and "to chuc thuc hien" in fold(part.title).lower() \
        and ctx.facts.task(top.doc.doc_id, top.section.section_id) is None \
        and (top.doc.doc_id, top.section.section_id) in ctx.sections_naming_bodies


def _counts_bodies(q: Question, ctx: Context) -> bool:
    """How many bodies carry out (or coordinate) a task named by number or by its words ("nhiệm vụ chăm sóc
    sức khỏe có bao nhiêu sở chủ trì?"), or the task of the last turn."""
    return q.focus.amount and bool(BODIES_COUNTED.match(q.focus.unit)) and not q.agencies and (
        q.task_number is not None or bool(q.content_terms) or ctx.context_task_section(q) is not None)


def _passage_asked(q: Question, task: Task, ctx: Context) -> tuple[str, str] | None:
    """The passage of a task's content that holds what a question asks about, when the question names a
    topic inside the task ("quản lý rác thải") rather than the task itself (by number, title or the last
    turn): (section id, its text)."""
    if not q.content_terms or ctx.explicit_task(q) is not None or ctx.context_task_section(q) is not None \
            or not task.content_section or _named_by_title(q, task):
        return None
    for hit in ctx.ranking(q, bodies=False).sections:
        sid = hit.section.section_id
        inside = sid == task.content_section or sid.startswith(task.content_section + ".")
        if hit.doc.doc_id == task.doc_id and inside:
            return (sid, hit.hits[0].chunk.text) if hit.hits else None
    return None


def _task_covering(q: Question, ctx: Context) -> Task | None:
    """The task asked about: named or referred back to; else, of the tasks the best sections belong to,
    the first whose own text holds the question's concepts ("phòng chống thiên tai" is in task 4's
    bullets, though task 3's "phòng, chống … cháy rừng" may rank first)."""
    from .check import MIN_COVER_EN, MIN_COVER_VI, task_cover  # the check's own measure of cover

    task = ctx.explicit_task(q) or ctx.task_for(q, bodies=False)
    if ctx.explicit_task(q) is not None or ctx.context_task_section(q) is not None:
        return task
    ranking = ctx.ranking(q, bodies=False)
    ranked: list[Task] = [task] if task is not None else []
    top = ranking.top
    # a passage that names its own bodies ("Sở Kế hoạch và Đầu tư: … phối hợp với …") says who itself
    # — unless a task is what the question asks about ("nhiệm vụ về môi trường thì ai làm?": the districts' item
    # names its bodies and lists "bảo vệ môi trường" among its fields, but task 3 is that task)
    top_names_bodies = top is not None and (top.doc.doc_id, top.section.section_id) in ctx.sections_naming_bodies \
        and not (not q.agencies and re.search(r"\b(nhiem vu|tasks?)\b", q.cues))
    for hit in ranking.sections:
        # a goal or a solution may rank first ("tăng cường sự tham gia …" is also in part I); a task close
        # behind it says who carries the work out
        if task is None and (top_names_bodies or hit.score < ROLE_TASK_MARGIN * top.score):
            break
        candidate = ctx.facts.task(hit.doc.doc_id, hit.section.section_id)
        if candidate is not None and candidate not in ranked:
            ranked.append(candidate)
    if not ranked:
        return None
    if task is not None:
        ranked += [t for t in ctx.facts.tasks if t not in ranked]  # the few tasks the top hits missed
    # the best-ranked task that holds the concepts well enough, unless one close behind it lacks fewer of
    # them ("biến đổi khí hậu với đa dạng sinh học": task 3 holds both, task 4 only the first)
    floor = MIN_COVER_EN if q.lang == "en" else MIN_COVER_VI
    covering: list[tuple[int, int, Task]] = []
    for i, t in enumerate(ranked):
        if covering and i > covering[0][1] + 2:
            break
        cover, missing = task_cover(q, t, ctx)
        if cover >= floor:
            covering.append((len(missing), i, t))
    return min(covering, key=lambda c: (c[0], c[1]))[2] if covering else task


_ALONE = re.compile(r"\bchi (mot minh |rieng )?(so|ban|uy ban|ubnd|bo|co quan|don vi|nganh)\b|\bkhac\b"
                    r"|\bcon (ai|so|co quan|don vi|nganh|ben)\b|\brieng\b|\bmot minh\b"
                    r"|\b(other|others|else|alone|only|solely)\b")


def role_verdict(q: Question, task: Task, role: str) -> str:
    """"Có." / "Không." / which of the named bodies has the role, in one sentence."""
    leads = {agency_key(n) for n in task.leads}
    coords = {agency_key(n) for n in task.coordinators}
    holders = leads if role == "lead" else coords
    en = q.lang == "en"
    named = list(q.agencies)

    def says(name: str) -> str:
        key = agency_key(name)
        if key in holders:
            return (f"{name} is one of them" if en else f"{name} có")
        if key in leads:
            return f"{name} is a lead agency" if en else f"{name} là cơ quan thực hiện"
        if key in coords:
            return f"{name} is a coordinating agency" if en else f"{name} là cơ quan phối hợp"
        if en:
            kind = "lead" if role == "lead" else "coordinating"
            return f"{name} is not among the {kind} agencies of task {task.number}"
        return f"{name} không thuộc các cơ quan {'thực hiện' if role == 'lead' else 'phối hợp'} nhiệm vụ {task.number}"

    holders_list = task.leads if role == "lead" else task.coordinators
    has = [n for n in named if agency_key(n) in holders]
    others = [n for n in holders_list if agency_key(n) not in {agency_key(x) for x in named}]
    # "chỉ Sở A hay còn sở nào khác?" asks whether it is alone; "Sở A có tham gia X không hay chỉ mỗi mảng y tế?"
    # asks whether it takes part (the other choice is about its own work, not other bodies)
    alone = q.focus.agency or not q.focus.yes_no or bool(_ALONE.search(q.cues))
    if q.focus.choice and (q.focus.agency or len(named) == 1) and alone:
        if has and others:
            if en:
                return f"Not only {', '.join(has)}: task {task.number} has {len(holders_list)} such agencies."
            return (f"Không chỉ {', '.join(has)}: nhiệm vụ {task.number} có {len(holders_list)} cơ quan "
                    f"{'thực hiện' if role == 'lead' else 'phối hợp'}.")
        if has:
            return f"Only {has[0]}." if en else f"Chỉ {has[0]}."
        return ("No. " if en else "Không. ") + "; ".join(says(n) for n in named) + "."
    if len(named) > 1 and q.focus.choice:  # "do Sở A hay Sở B phụ trách?"
        if len(has) == len(named):
            return ("Both: " if en else "Cả hai: ") + " và ".join(has) + "."
        return "; ".join(says(n) for n in named) + "."
    if len(has) == len(named):
        return "Yes." if en else "Có."
    return ("No. " if en else "Không. ") + "; ".join(says(n) for n in named if agency_key(n) not in holders) + "."


# Words that name the plan as a whole rather than a topic inside it ("thực hiện chung cả kế hoạch", "the whole
# plan", "KH ASCC của TP"), besides the words of the document's own title
_WHOLE = frozenset("ke hoach chung ca toan bo tong the to chuc thuc hien trien khai ap dung dau moi theo doi tong hop "
                   "asean ascc cong dong van hoa xa hoi thanh pho hai phong overall whole entire plan".split())
# the clause of part VI that gives one body the plan as a whole: "Chủ trì, phối hợp … tổ chức thực hiện …
# Kế hoạch"
_RUNS_THE_PLAN = re.compile(r"\bchu tri\b.*\bto chuc thuc hien\b.*\bke hoach\b")


def _about_the_plan(q: Question, ctx: Context) -> bool:
    """"Ai chủ trì tổ chức thực hiện KH ASCC của TP?", "Who is in charge of the plan overall?": the body
    that runs the whole plan, not one task's; never when a task is named or referred back to."""
    if ctx.explicit_task(q) is not None or ctx.context_task_section(q) is not None or q.part or q.section:
        return False
    if not re.search(r"\b(ke hoach|plan)\b", q.cues):
        return False
    words = set(_WHOLE) | {w for d in ctx.snap.documents for w in syllables(f"{d.meta.title} {d.meta.short_title}")}
    return all(set(t.split()) <= words for t in q.content_terms)


def _plan_lead(q: Question, ctx: Context) -> Draft | None:
    """The body a part VI clause gives the whole plan, in that clause's words."""
    for duty in ctx.facts.duties:
        doc = ctx.document(duty.doc_id)
        sec = doc.section(duty.section_id)
        if sec is None:
            continue
        clause = next((b.text for b in sec.blocks if _RUNS_THE_PLAN.search(" ".join(syllables(b.text)))), None)
        if clause is None:
            continue
        where = ctx.where(doc, sec.section_id)
        if q.lang == "en":
            line = f"The body that runs the plan as a whole: {named_for(duty.agency, q.lang)} ({where}):"
        else:
            line = f"Cơ quan chủ trì tổ chức thực hiện kế hoạch: {duty.agency} ({where}):"
        # about the document as a whole: the question's words are the plan's own name
        return Draft("lead", (line, f"«{clause}»"), (ctx.cite(doc, sec.section_id, clause),), 0.9,
                     agencies=(duty.agency,), about_document=True)
    return None
