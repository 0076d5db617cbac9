"""The shape of a document: how many tasks, parts, goals or solutions it has and which they are,
and "the last item", "the first task".

"Kế hoạch có mấy nhiệm vụ?", "Mục II có bao nhiêu khoản?", "Liệt kê các nhiệm vụ", "Kế hoạch gồm những
phần nào?", "How many specific goals are there?", "khoản cuối nói về cái gì?". Counts are counted on the
section tree, so they hold for any loaded plan.
"""

from __future__ import annotations

import re

from ..facts import Task
from ..sections import Document, Section, section_label
from ..text import ORDINAL_EN, ORDINAL_PLACES, ORDINAL_VI, fold, syllables
from ..understand import Question
from .base import Context, Draft, informative_title
from .roles import BODIES_COUNTED
from .unknowable import names_other_document

# What a plan is for is what its goals say: "nhằm mục đích gì", "làm ra để đạt được gì", "what is it for"
_PURPOSE_VI = (r"\bmuc dich\b|\bnham (muc dich )?(gi|dieu gi|cai gi)\b|\bde lam gi\b"
               r"|\b(de|muon|can|nham)( \w+){0,5} dat (duoc )?(gi|cai gi|dieu gi|nhung gi)\b"
               r"|\b(huong toi|huong den|nham toi|nham den) (gi|cai gi|dieu gi|nhung gi|muc tieu gi)\b")
_PURPOSE_EN = (r"\bpurposes?\b|\baims?\b|\bwhat (is it|is the plan|is this plan) for\b"
               r"|\b(intended|trying|meant|seeks?|seeking|hoping|wants?) to achieve\b")
# What a count or list can be of: the folded words people use, and where in a plan it lives.
_UNITS_VI = (
    # "nội dung hoạt động": what a plan's part of tasks is headed
    # "những lĩnh vực nào": the fields a plan works in are its groups of tasks
    ("task", re.compile(r"\b(nhiem vu|hoat dong chinh|noi dung hoat dong|(nhom|mang) (nhiem vu|hoat dong|viec|cong viec"
                        r"|noi dung)|linh vuc)\b")),
    ("item", re.compile(r"\b(khoan|muc nho|diem)\b")),
    ("part", re.compile(r"\b(phan(?! tram)|muc lon|phan lon|muc chinh|chuong(?! trinh))\b")),  # not "chương trình"
    ("goal", re.compile(rf"\bmuc tieu\b|{_PURPOSE_VI}")),
    ("solution", re.compile(r"\bgiai phap\b")),
)
_UNITS_EN = (
    # ("what areas does the plan cover" may be places, "disadvantaged areas" are: only "fields" are its tasks)
    ("task", re.compile(r"\b(tasks?|activit(y|ies)|areas? of work|fields?)\b")),
    ("item", re.compile(r"\b(items?|points?|clauses?)\b")),
    ("part", re.compile(r"\b(parts?|sections?|chapters?)\b")),
    ("goal", re.compile(rf"\b(goals?|objectives?|targets?)\b|{_PURPOSE_EN}")),
    ("solution", re.compile(r"\b(solutions?|measures?)\b")),
)
_LIST_ALL_VI = re.compile(r"\b(liet ke|ke ten|ke ra|tom tat|tom luoc|gom (nhung|cac|may)|co (nhung|cac|may)"
                          r"|la (nhung )?gi|nhung \w+( \w+)? nao"
                          # "kế hoạch đặt ra mục tiêu gì?": the kind asked, then "gì"
                          r"|(muc tieu|giai phap|nhiem vu) (chinh |cu the |chung |lon )?gi"
                          rf"|cac \w+ (chinh )?(la gi|nao|gom))\b|{_PURPOSE_VI}")
_LIST_ALL_EN = re.compile(rf"\b(list|what are the|which are the|name the|enumerate|what is the|rundown|outline|"
                          rf"(walk|run|take) me through|go through|overview of|"
                          # "what overall objective does the plan set?": the kind asked by "what" before it
                          rf"(what|which)( \w+)? (goals?|objectives?|aims?|tasks?|fields?( of work)?|parts?|sections?|"
                          rf"solutions?|measures?) "
                          rf"(does|do|did|is|are|will))\b|{_PURPOSE_EN}")
_NUMBERING = re.compile(r"^([ivxl]+|\d+)$")  # "mục II", "khoản 3": where, not what about
_COUNTED = re.compile(r"\b(?:bao nhieu|may|so luong|how many|how much)\s+((?:\w+\s?){1,4})")
# counters that name no thing of their own ("mấy ý", "how many points")
_GENERIC_COUNTER = re.compile(r"(y|cai|thu|dieu|van de|things?)\b")
_ORDINAL_VI = re.compile(rf"\b({ORDINAL_VI})\b")
_ORDINAL_EN = re.compile(rf"\b({ORDINAL_EN})\b")


class Structure:
    intent = "structure"

    def recognises(self, q: Question, ctx: Context) -> bool:
        if q.refers_to_task and not q.agencies and _points_of_task(q, ctx):
            return True  # "How many points does its content part have?": the points of the last turn's task
        if q.agencies or q.focus.agency or q.refers_to_task or q.refers_to_agency:
            return False  # about a body ("cơ quan đó còn làm những nhiệm vụ nào?"), or the last turn's task
        if names_other_document(q) and not re.search(r"\b(ke hoach|plan)\b", q.cues):
            return False  # "Đề án trong QĐ 161 có bao nhiêu nhiệm vụ?": another document's shape
        if q.section:  # "Mục I khoản 2 nêu ra mấy mục tiêu?": how many points that section makes
            return q.focus.amount
        if _points_of_task(q, ctx):  # "nhiệm vụ 6 có bao nhiêu hoạt động?"
            return True
        if q.focus.amount and BODIES_COUNTED.match(q.focus.unit):
            return False  # "how many departments lead task 9?" counts bodies (roles.py), not tasks
        if _tasks_titled(q, ctx):  # "Những nhiệm vụ nào liên quan đến văn hóa?"
            return True
        unit = _unit(q)
        if q.echoed and unit == "task" and re.search(r"\blinh vuc\b", q.cues):
            return False  # "Giám sát những lĩnh vực nào?" after a turn on monitoring: the fields of that
        if q.part and not q.focus.amount and unit in ("part", "item"):
            return False  # "Phần VI gồm những nội dung gì?" lists that part, not the parts
        if unit is None:
            return False
        topic = _specific_topic(q, ctx)
        if q.focus.amount:
            return True
        ordinal = q.matches(_ORDINAL_VI, _ORDINAL_EN)
        return (ordinal or q.matches(_LIST_ALL_VI, _LIST_ALL_EN)) and not topic and not q.task_number

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        if q.section:
            hit = next((s for s in ctx.ranking(q).sections if s.section.section_id == q.section), None)
            return _count_in_section(ctx, q, hit.doc, hit.section) if hit else None
        task = _points_of_task(q, ctx)
        if task is not None:
            doc = ctx.document(task.doc_id)
            return _count_in_section(ctx, q, doc, doc.section(task.content_section))
        titled = _tasks_titled(q, ctx)
        if titled:
            return _titled_listing(ctx, q, *titled)
        unit = _unit(q)
        doc = _plan(ctx, q)
        if doc is None or unit is None:
            return None
        scope, members = _members(ctx, doc, unit, q)
        if not members:
            return None
        place = _place(q)
        if place is not None and not q.focus.amount:
            if unit in ("goal", "solution") and scope is not None:
                return _bullet(ctx, doc, scope, members, place, q)  # goals and solutions are bullets
            return _one(ctx, doc, members[place], q) if -len(members) <= place < len(members) else None
        return _listing(ctx, doc, scope, members, unit, q)


def _unit(q: Question) -> str | None:
    units = _UNITS_EN if q.lang == "en" else _UNITS_VI
    text = q.cues
    counted = bool(q.focus.amount and q.focus.unit)
    if counted:
        # what is counted is what follows the amount word ("bao nhiêu cái nhiệm vụ"), not a word further on
        # ("bao nhiêu làng nghề … trọng điểm" counts villages, not points)
        m = _COUNTED.search(q.cues)
        text = m.group(1) if m else q.focus.unit
        # what is counted ends where what holds it starts: "mấy việc trong phần chăm sóc sức khỏe" counts "việc"
        text = re.split(r"\b(?:trong|thuoc|in|within)\b", text)[0]
        if _GENERIC_COUNTER.match(text):  # "mục tiêu cụ thể gồm mấy ý": the thing counted is named before
            text, counted = q.cues, False
    found = [(m.start(), i, name) for i, (name, pattern) in enumerate(units) for m in [pattern.search(text)] if m]
    if counted:  # what is counted is named first ("how many specific objectives does Part I list"), not a part
        return min(found)[2] if found else None
    return min(found, key=lambda f: f[1])[2] if found else None


_STRUCTURAL = frozenset({"nhiem", "vu", "khoan", "muc", "phan", "tieu", "giai", "phap", "lon", "nho", "chinh", "cu",
                         "the", "chung", "hoat", "dong", "noi", "dung", "chuong", "dich",
                         "nhom",  # "những nhóm nhiệm vụ chính"
                         "huong", "toi", "den",  # "hướng tới cái gì": its purpose
                         "dan", "nguoi"})  # "cho dân", "for ordinary people": whom the whole plan serves


def _specific_topic(q: Question, ctx: Context | None = None) -> bool:
    """Whether the question narrows to one subject ("mục tiêu về y tế") rather than the whole document.
    The words of a document's own title ("Cộng đồng Văn hóa - Xã hội ASEAN") name the whole of it."""
    structural = set(_STRUCTURAL)
    if ctx is not None:
        for doc in ctx.snap.documents:
            structural |= set(syllables(f"{doc.meta.title} {doc.meta.short_title}"))
    return any(s not in structural for t in q.content_terms if not _NUMBERING.match(t) for s in t.split())


# which tasks, or how many: "những nhiệm vụ nào", "mấy nhiệm vụ", "nội dung nào", "which tasks" ("những nội dung
# gì" of a task named by its words asks what it holds)
_SEVERAL_TASKS_VI = re.compile(r"\b(nhiem vu|noi dung|nhom viec|mang viec|linh vuc) nao\b"
                               r"|\b(may|bao nhieu) (nhiem vu|noi dung|nhom viec|mang viec|linh vuc)\b")
_SEVERAL_TASKS_EN = re.compile(r"\b(which|what|how many) tasks\b")


_Titled = tuple[Document, Section, list[Section], list[Section], list[str]]


def _tasks_titled(q: Question, ctx: Context) -> _Titled | None:
    """"Những nhiệm vụ nào liên quan đến văn hóa?", "Có mấy nhiệm vụ về cộng đồng?", "Which tasks are about
    culture?": the tasks whose own titles hold every subject the question names (the plan, the part, and
    "task" itself name none), when several do and not all (one alone is a task named by its words).
    (document, the part, all its tasks, those, the subjects folded.)

    A subject no title holds ("mấy nhiệm vụ về y tế": task 6 is titled "chăm sóc sức khỏe") is left to the
    passages, as are the words of the plan's own title said whole ("… Cộng đồng Văn hóa - Xã hội ASEAN")."""
    if q.agencies or q.focus.agency or q.task_number or q.section \
            or not q.matches(_SEVERAL_TASKS_VI, _SEVERAL_TASKS_EN):
        return None
    subjects = [t for t in q.content_terms if not _NUMBERING.match(t) and set(t.split()) - _STRUCTURAL]
    doc = _plan(ctx, q)
    if not subjects or doc is None:
        return None
    scope, tasks = _members(ctx, doc, "task", q)
    titled = [t for t in tasks if all(_as_written(t.title, s) for s in subjects)]
    return (doc, scope, tasks, titled, subjects) if scope is not None and 1 < len(titled) < len(tasks) else None


def _titled_listing(ctx: Context, q: Question, doc: Document, scope: Section, tasks: list[Section],
                    titled: list[Section], subjects: list[str]) -> Draft:
    """The tasks whose titles name the subject, counted among all."""
    words = ", ".join(f"“{_as_written(titled[0].title, s)}”" for s in subjects)
    where = ctx.where(doc, scope.section_id)
    title = scope.title.rstrip(": ").capitalize()
    head = (f"Of the {len(tasks)} items of {where} ({title}), {len(titled)} name {words} in their titles:"
            if q.lang == "en" else
            f"Trong {len(tasks)} khoản của {where} ({title}), {len(titled)} khoản có {words} trong tên:")
    lines = [head] + [f"- {t.number}. {t.title.rstrip(':').strip()} ({section_label(t.section_id)})" for t in titled]
    cites = [ctx.cite(doc, t.section_id, t.title) for t in titled]
    return Draft("structure", tuple(lines), tuple(cites), 0.85, counted=True)


def _as_written(title: str, folded: str) -> str:
    """The words of a title that fold to a subject ("van hoa" → "văn hóa"), as the title writes them; none
    where they are capitalised inside it: part of a name ("… mục tiêu Cộng đồng Văn hóa - Xã hội ASEAN")."""
    words = re.findall(r"\w+", title)
    n = len(folded.split())
    for i in range(len(words) - n + 1):
        window = words[i:i + n]
        if " ".join(fold(w).lower() for w in window) == folded and all(w.islower() for w in window[i == 0:]):
            return " ".join(window)
    return ""


def _plan(ctx: Context, q: Question) -> Document | None:
    ranked = ctx.ranking(q).sections
    return ranked[0].doc if ctx.several_documents and ranked else (ctx.snap.documents[0] if ctx.snap.documents
                                                                       else None)


def _members(ctx: Context, doc: Document, unit: str, q: Question) -> tuple[Section | None, list[Section]]:
    """The section that holds the things counted, and the things."""
    parts = [s for s in doc.sections if s.kind in ("part", "chapter")]
    if unit == "part":
        return None, parts
    if unit == "task":
        tasks = [doc.section(t.section_id) for t in ctx.facts.tasks if t.doc_id == doc.doc_id]
        if not tasks:
            return None, []
        scope = doc.section(tasks[0].parent_id) if tasks[0].parent_id else None
        return scope, doc.children(scope.section_id) if scope else tasks
    if unit == "item":
        scope = doc.section(q.part) if q.part else None
        if scope is None and ctx.session and ctx.session.sections:
            scope = doc.section(ctx.session.sections[0].split(".")[0])
        if scope is None:
            tasks = [t for t in ctx.facts.tasks if t.doc_id == doc.doc_id]
            scope = doc.section(doc.section(tasks[0].section_id).parent_id) if tasks else None
        return scope, doc.children(scope.section_id) if scope else []
    heading = {"goal": ("mục tiêu",), "solution": ("giải pháp",)}[unit]
    for part in parts:
        if any(h in part.title.lower() for h in heading):
            kids = _countable(doc, part)
            # "mục tiêu cụ thể gồm những gì?", "the specific objectives": that kind only, when the part has it
            asked = fold(f"{q.cues} {q.text}").lower()
            kind = [k for k in kids if (t := fold(k.title).lower().rstrip(": ")) and " " in t
                    and re.search(rf"\b{re.escape(t)}\b", asked)]
            return (kind[0], kind) if len(kind) == 1 else (part, kids)
    return None, []


def _countable(doc: Document, part: Section) -> list[Section]:
    """A part's items, or the items of its own items for goals ("Mục tiêu chung", "Mục tiêu cụ thể")."""
    kids = doc.children(part.section_id)
    return kids or [part]


def _listing(ctx: Context, doc: Document, scope: Section | None, members: list[Section], unit: str,
             q: Question) -> Draft:
    en = q.lang == "en"
    where = ctx.where(doc, scope.section_id) if scope else (doc.meta.short_title if ctx.several_documents else
                                                            ("The plan" if en else "Kế hoạch"))
    lines: list[str] = []
    cites = []
    if unit in ("goal", "solution") and scope is not None:
        # goals and solutions are bullets of their items (or of the part itself)
        bullets = [(s, b.text) for s in members for b in s.blocks]
        title = scope.title.rstrip(": ").capitalize()
        head = (f"{where} ({title}) has {len(bullets)} bullet point{'s' if len(bullets) != 1 else ''}" if en else
                f"{where} ({title}) có {len(bullets)} ý")
        if len(bullets) == 1 and not q.focus.amount:
            head = f"{where} ({title})"  # "Mục tiêu chung là gì?": one point, nothing to count
        elif len(members) > 1 or members[0] is not scope:
            counts = ", ".join(f"{(informative_title(s) or s.title).rstrip(': ')} {len(s.blocks)}"
                               for s in members if s.blocks)
            head += f" ({counts})"
        lines.append(head + ":")
        for s, text in bullets:
            lines.append(f"- {text}")
            cites.append(ctx.cite(doc, s.section_id, text))
        return Draft("structure", tuple(lines), tuple(_first_per_section(cites)), 0.85, counted=True,
                     about_document=True)
    tasks = {t.section_id for t in ctx.facts.tasks if t.doc_id == doc.doc_id}
    if unit in ("task", "item") and scope is not None:
        with_leads = [m for m in members if m.section_id in tasks]
        if en:
            head = f"{where} ({scope.title.capitalize()}) has {len(members)} items"
            if with_leads and len(with_leads) != len(members):
                head += f", {len(with_leads)} of them tasks with lead and coordinating agencies"
        else:
            head = f"{where} ({scope.title.capitalize()}) có {len(members)} khoản"
            if with_leads and len(with_leads) != len(members):
                head += f", trong đó {len(with_leads)} nhiệm vụ có cơ quan thực hiện và phối hợp"
        lines.append(head + ":")
    else:
        lines.append(f"{where} has {len(members)} parts:" if en else f"{where} có {len(members)} phần:")
    cites.append(ctx.cite(doc, scope.section_id if scope else members[0].section_id,
                          scope.title if scope else members[0].title))
    for m in members:
        lines.append(f"- {m.number}. {m.title.rstrip(':').strip()} ({section_label(m.section_id)})")
        cites.append(ctx.cite(doc, m.section_id, m.title))
    return Draft("structure", tuple(lines), tuple(cites), 0.85, counted=True, about_document=True)


# the things counted inside one task: its activities, points, items ("bao nhiêu hoạt động", "how many activities")
# what a task is counted in ("nhiệm vụ 8 gồm mấy phần (nội dung)?": its points, not the plan's parts)
_TASK_BY_WORDS = re.compile(r"\b(nhiem vu|task) (?!\d|so \d)\w")  # "nhiệm vụ chăm sóc sức khỏe", not "nhiệm vụ 6"
_POINTS = re.compile(r"(hoat dong|noi dung|viec|cong viec|y|diem|muc|phan|activit(y|ies)|(sub-?)?(points?|items?)"
                     r"|parts?)\b")


def _points_of_task(q: Question, ctx: Context) -> Task | None:
    """The task whose points are counted, named by number ("nhiệm vụ 6 có bao nhiêu hoạt động?") or by its
    words ("nhiệm vụ chăm sóc sức khỏe chia làm mấy phần?"), if that is asked."""
    if not (q.focus.amount and _POINTS.match(q.focus.unit)) or q.agencies or q.focus.agency:
        return None
    if q.task_number:
        task = ctx.explicit_task(q)
    elif q.refers_to_task and not q.content_terms:  # "How many points does its content part have?"
        task = ctx.task_for(q)
    elif q.content_terms and _TASK_BY_WORDS.search(q.cues):
        task = ctx.task_for(q)
    else:
        return None
    return task if task is not None and task.content_section else None


def _count_in_section(ctx: Context, q: Question, doc: Document, sec: Section) -> Draft | None:
    """The points of a numbered section: its bullets, or its sub-items."""
    kids = doc.children(sec.section_id)
    points = [b.text for b in sec.blocks] or [k.title for k in kids]
    if not points:
        return None
    where = ctx.where(doc, sec.section_id)
    title = (informative_title(sec) or sec.title).rstrip(": ")
    if not q.focus.amount:  # "Mục tiêu chung của kế hoạch là gì?" asks what it says, not how many points
        head = f"{where} ({title}):"
    elif q.lang == "en":
        head = f"{where} ({title}) makes {len(points)} points:"
    else:
        head = f"{where} ({title}) có {len(points)} ý:"
    cites = [ctx.cite(doc, sec.section_id, sec.blocks[0].text if sec.blocks else sec.title)]
    cites += [ctx.cite(doc, k.section_id, k.title) for k in kids]
    return Draft("structure", (head, *(f"- {p}" for p in points)), tuple(cites), 0.85, counted=True,
                 about_document=True)


def _first_per_section(cites: list) -> list:
    seen: set[str] = set()
    out = []
    for c in cites:
        if c.section_id not in seen:
            seen.add(c.section_id)
            out.append(c)
    return out


def _place(q: Question) -> int | None:
    """The place an ordinal names ("thứ hai", "the last"): 0 the first, -1 the last."""
    m = (_ORDINAL_EN if q.lang == "en" else _ORDINAL_VI).search(q.cues)
    return ORDINAL_PLACES[m.group(1)] if m else None


def _bullet(ctx: Context, doc: Document, scope: Section, members: list[Section], place: int,
            q: Question) -> Draft | None:
    """One goal or solution by its place among the bullets ("mục tiêu cụ thể thứ hai"): among those of the items that
    list several (the specific goals, not the one general goal), when some do."""
    lists = [s for s in members if len(s.blocks) > 1] or members
    bullets = [(s, b.text) for s in lists for b in s.blocks]
    if not -len(bullets) <= place < len(bullets):
        return None
    sec, text = bullets[place]
    number = len(bullets) if place < 0 else place + 1
    title = (informative_title(sec) or sec.title).rstrip(": ")
    head = (f"{ctx.where(doc, sec.section_id)} ({title}), bullet {number} of {len(bullets)}:" if q.lang == "en" else
            f"{ctx.where(doc, sec.section_id)} ({title}), ý thứ {number} trong {len(bullets)} ý:")
    return Draft("structure", (head, f"- {text}"), (ctx.cite(doc, sec.section_id, text),), 0.85,
                 about_document=True)


def _one(ctx: Context, doc: Document, sec: Section, q: Question) -> Draft:
    """One member: its title and what it holds."""
    lines = [f"{ctx.where(doc, sec.section_id)}: {sec.title}"]
    cites = [ctx.cite(doc, sec.section_id, sec.title)]
    lines += [f"- {b.text}" for b in sec.blocks]
    for kid in doc.children(sec.section_id):
        lines.append(f"- {kid.number}. {kid.title}")
        cites.append(ctx.cite(doc, kid.section_id, kid.title))
    task = ctx.facts.task(doc.doc_id, sec.section_id)
    return Draft("structure", tuple(lines), tuple(cites), 0.85, task=task)
