"""What one body must do across the documents, or how many tasks it has.

"Sở Y tế phải làm gì?", "Sở TN&MT được giao những nhiệm vụ nào?", "What must the Department of Finance
do?", "Sở Y tế chủ trì mấy nhiệm vụ?". Only the body's own work is listed: the tasks it carries out
or coordinates, the items headed by its name, and clauses where it is the subject of a duty verb
("gửi Sở Tài chính tổng hợp"). A clause where it is only the partner ("phối hợp với Sở …") or the
recipient ("gửi báo cáo về Sở … để …") is another body's duty.
"""

from __future__ import annotations

import re

from ..facts import Task, agency_key
from ..models import Citation
from ..retrieve import task_of_ranking
from ..sections import Document, Section, section_label
from ..text import syllables
from ..understand import Question, named_for
from .base import Context, Draft, acting_agency, informative_title, section_lines
from .roles import ROLE_INTENTS

# A body named right before one of these verbs is the one that acts.
_DUTY_VERB = re.compile(r"^\s*,?\s*(chủ trì|phối hợp|tổ chức|tổng hợp|bố trí|chịu trách nhiệm|có trách nhiệm|hướng dẫn|"
                        r"theo dõi|báo cáo|thực hiện|xây dựng|triển khai|kiểm tra|tham mưu|bảo đảm|đảm bảo|"
                        r"định hướng|chỉ đạo|vận động|tuyên truyền|phổ biến|cân đối|đề xuất|trình|giám sát|"
                        r"căn cứ chức năng)\b")
# "vai trò và trách nhiệm của X", "nhiệm vụ của X": X's own work
_DUTY_OF = re.compile(r"(vai trò|trách nhiệm|nhiệm vụ)(?: và (?:vai trò|trách nhiệm|nhiệm vụ))? của\s*$")
_PLURAL_BACK = re.compile(r"\b(may|cac|nhung|hai) (so|co quan|don vi|ben|nganh)\b"
                          r"|\b(they|them|their|these|those|both)\b")
_BEYOND = re.compile(r"\b(ngoai|khac|con|nua|besides|other|else|apart|also)\b")
_TASK_LINES = ("Là cơ quan", "Carries out", "Coordinates")  # how a line naming the body for a task begins
_TASK_NOUN = re.compile(r"\b(nhiem vu|viec|task|tasks)\b")
# "Trong nhiệm vụ ngoại giao văn hóa, sở đó phải làm gì?", "in the culture task": one task's work, not all
_IN_TASK = re.compile(r"\b(trong|o|thuoc|tai|cua) (nhiem vu|nv)\b|\b(in|under|for|within) (the|that|this) "
                      r"([\w-]+ ){0,4}task\b")


# "nhiệm vụ nào không có Sở Y tế tham gia?", "Which tasks does the Department of Health not take part in?"
_WITHOUT_VI = re.compile(r"\b(nhiem vu|nv|viec) nao (lai |thi )?(khong|ko|chang) (co )?((?!hay\b|hoac\b)\w+ ){0,8}"
                         r"(tham gia|thuc hien|chu tri|phoi hop|lam|dinh|lien quan)\b"
                         r"|\b(nhiem vu|nv) nao (ma )?(\w+ ){1,8}(khong|ko|chang) "
                         r"(tham gia|thuc hien|chu tri|phoi hop|lam)\b")
_WITHOUT_EN = re.compile(r"\b(which|what) tasks? (do|does|did) (\w+ ){1,8}not (take part|participate|lead|carry out|"
                         r"work on|have a role|handle|coordinate)"
                         r"|\b(which|what) tasks? (don't|doesn't|do not|does not) (involve|include|name|list)\b"
                         r"|\btasks? (without|that leave out|not involving)\b")


class TasksWithout:
    """The tasks whose lists of bodies leave one body out: "nhiệm vụ nào không có Sở Y tế tham gia?"."""

    intent = "agency_tasks"

    def recognises(self, q: Question, ctx: Context) -> bool:
        return len(q.agencies) == 1 and q.matches(_WITHOUT_VI, _WITHOUT_EN) and bool(ctx.facts.tasks)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        key = agency_key(q.agencies[0])
        left = [t for t in ctx.facts.tasks
                if not any(agency_key(n) == key for n in (*t.leads, *t.coordinators))]
        if not left or len(left) == len(ctx.facts.tasks):
            return None
        en = q.lang == "en"
        name = named_for(q.agencies[0], q.lang)
        lines = [f"Tasks whose lists of bodies do not name {name} ({len(left)}):" if en else
                 f"Các nhiệm vụ không có {q.agencies[0]} trong danh sách cơ quan thực hiện và phối hợp ({len(left)}):"]
        cites: list[Citation] = []
        for t in left:
            doc = ctx.document(t.doc_id)
            sid = t.lead_section or t.section_id
            quote = t.lead_quote or t.title
            lines.append(f"- {'Task' if en else 'Nhiệm vụ'} {t.number} ({t.title.rstrip(': ')}): "
                         f"«{quote}» ({ctx.where(doc, sid)})")
            cites.append(ctx.cite(doc, sid, quote))
        return Draft(self.intent, tuple(lines), tuple(cites), 0.85, counted=True)


_ANY_TASK = re.compile(r"\bany (of (the|its|these) )?(tasks?|items?|activities)\b|\b(nhiem vu|viec) nao (khong|ko|k)\b")


class AgencyDuties:
    intent = "agency_tasks"

    def recognises(self, q: Question, ctx: Context) -> bool:
        f = q.focus
        if f.agency and not f.amount:  # "which body …" asks for a body, not for one body's duties
            return False
        if f.time and not f.duty:  # "… phải ban hành trong năm nào?" asks for a date
            return False
        if q.years and any(t.kind == "milestone" and t.when.endswith(q.years) for t in ctx.facts.times):
            return False  # "Năm 2017 các sở phải làm gì?": that year's milestone
        if not acting_agency(q, ctx):
            return False
        if f.choice and len(q.agencies) > 1 and q.content_terms:
            return False  # "Does A take part in X, or is that only B?": which body carries out X, not all their work
        if q.refers_to_task and not q.agencies and not q.refers_to_agency:
            return False  # "nhiệm vụ đó gồm những gì?" is about the task, not about the body of the last turn
        if q.refers_to_task and not q.agencies and ctx.session is not None and ctx.session.sections \
                and not _BEYOND.search(q.cues):
            return False  # "mấy sở đó phải làm gì trong vụ này?": the task's own content, not all their work
        if f.amount and _TASK_NOUN.search(f.unit or q.cues):
            return True
        inherited = not f.kinds and ctx.session is not None and ctx.session.intent == self.intent
        lists_tasks = f.listing and bool(_TASK_NOUN.search(q.cues))
        about_body = f.duty or lists_tasks or (f.content and not _topic_beyond_body(q)) or (q.follow_up and not f.kinds)
        # "Does the Department of Finance lead any of the tasks?": whether it has one, so what its tasks are
        any_task = f.yes_no and bool(_ANY_TASK.search(q.cues))
        return (about_body and not (f.yes_no and not f.duty)) or inherited or any_task

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        names = acting_agency(q, ctx)
        each_named = len(q.agencies) > 1 and not (q.focus.choice or q.focus.yes_no)
        if len(names) > 1 and (each_named or not q.agencies and _PLURAL_BACK.search(q.cues) and not q.focus.amount):
            # "mấy sở đó còn làm gì?", "what else do they do?": each of the bodies of the last turn;
            # "Sở Tài chính và Sở Kế hoạch và Đầu tư mỗi sở làm gì?": each of the bodies named
            drafts = [d for d in (self._one(q, ctx, n) for n in names[:3]) if d is not None]
            if not drafts:
                return None
            if len(drafts) > 1 and drafts[0].task is not None and all(d.task == drafts[0].task for d in drafts):
                # each body's role in the one task they share, then the task's content once
                heads = [d.lines[0].removesuffix(_TASK_CONTENT[q.lang]) for d in drafts[:-1]] + [drafts[-1].lines[0]]
                return Draft(self.intent, (*heads, *drafts[0].lines[1:]),
                             tuple(dict.fromkeys(c for d in drafts for c in d.citations)), 0.9,
                             task=drafts[0].task, agencies=tuple(names[:3]))
            return Draft(self.intent, tuple(line for d in drafts for line in d.lines),
                         tuple(c for d in drafts for c in d.citations), 0.9, agencies=tuple(names[:3]),
                         counted=_counts_tasks(q))
        return self._one(q, ctx, names[0])

    def _one(self, q: Question, ctx: Context, name: str) -> Draft | None:
        inside = _task_asked_inside(q, ctx, name)
        if inside is not None and not q.focus.amount:
            return _work_in_task(q, ctx, name, inside)
        entries = agency_entries(ctx, name, q.lang, q.content_terms)
        if _ALONE.search(q.cues) and not q.focus.amount and not q.content_terms and entries:
            return _alone(q, ctx, name, entries)
        if q.part:  # "trong phần tổ chức thực hiện": keep that part when it names the body
            inside = [e for e in entries if e[2].section_id == q.part or e[2].section_id.startswith(q.part + ".")]
            entries = inside or entries
        if q.content_terms:  # "trong công tác báo cáo, Sở … có nhiệm vụ gì?": the matching work first
            # (by the work's own words, not the names of the bodies that share it: "cùng Sở Du lịch")
            entries.sort(key=lambda e: -sum(f" {t} " in f" {' '.join(syllables(_CO_LEADS.sub('', e[1])))} "
                                            for t in q.content_terms))
        elif q.refers_to_agency and _BEYOND.search(q.cues) and ctx.session is not None and ctx.session.sections:
            # "Who leads the whole plan?" (one sentence of VI.2), then "What else does that department have to
            # do?": the rest of the paragraph just quoted from first, then the body's other work
            # (a task it was named for is what was said, not what else: that stays in its place)
            # (after a turn that quoted another passage, "Who reports to whom?", its own item comes first)
            quoted = set(ctx.session.sections[:1])
            own = _own_items(ctx, name)
            entries.sort(key=lambda e: (e[2].section_id not in quoted or e[1].startswith(_TASK_LINES),
                                        (e[2].doc_id, e[2].section_id) not in own))
        elif not _TASK_NOUN.search(q.cues) and not _counts_tasks(q):
            # "Sở LĐTBXH có vai trò gì?": the item headed by the body's name says its role in its own words, before
            # the tasks it shares with others
            own = _own_items(ctx, name)
            entries.sort(key=lambda e: (e[2].doc_id, e[2].section_id) not in own)
        if not entries:
            return None
        en = q.lang == "en"
        lines: list[str] = []
        if _counts_tasks(q):
            lead_tasks = [t for t in ctx.facts.tasks if any(agency_key(n) == agency_key(name) for n in t.leads)]
            coord_tasks = [t for t in ctx.facts.tasks
                           if any(agency_key(n) == agency_key(name) for n in t.coordinators)]
            if en:
                lines.append(f"{named_for(name, q.lang)} carries out {len(lead_tasks)} task(s)"
                             + (f" and coordinates {len(coord_tasks)}" if coord_tasks else "") + ":")
            else:
                lines.append(f"{name} là cơ quan thực hiện {len(lead_tasks)} nhiệm vụ"
                             + (f" và cơ quan phối hợp {len(coord_tasks)} nhiệm vụ" if coord_tasks else "") + ":")
        else:
            lines.append(f"What {named_for(name, q.lang)} must do under the plan:" if en else
                         f"Nhiệm vụ của {name} trong kế hoạch:")
        lines += [f"- {line}" for _, line, _ in entries]
        return Draft(self.intent, tuple(lines), tuple(c for _, _, c in entries), 0.9, agencies=(name,),
                     counted=_counts_tasks(q))


# "nhiệm vụ nào chỉ mình sở em thực hiện?", "which task does it carry out alone?": the tasks no other body leads
_ALONE = re.compile(r"\b(chi minh|mot minh|rieng minh|duy nhat|alone|solely|by itself|on its own|single-handed\w*)\b")


def _alone(q: Question, ctx: Context, name: str, entries: list[tuple[float, str, Citation]]) -> Draft:
    """The tasks the body carries out with no other body, or, when there is none, that there is none and all it
    shares."""
    key = agency_key(name)
    alone = [t for t in ctx.facts.tasks if t.leads and all(agency_key(n) == key for n in t.leads)]
    sections = {(t.doc_id, t.lead_section) for t in alone}
    own = [e for e in entries if (e[2].doc_id, e[2].section_id) in sections]
    en = q.lang == "en"
    if own:
        head = f"Tasks {named_for(name, q.lang)} carries out alone:" if en else f"Nhiệm vụ chỉ do {name} thực hiện:"
    else:
        own = entries
        head = (f"No task is carried out by {named_for(name, q.lang)} alone; its work under the plan:" if en else
                f"Không có nhiệm vụ nào chỉ do {name} thực hiện; nhiệm vụ của {name} trong kế hoạch:")
    return Draft("agency_tasks", (head, *(f"- {line}" for _, line, _ in own)), tuple(c for _, _, c in own), 0.9,
                 agencies=(name,), task=alone[0] if len(alone) == 1 else None)


# units of a quantity that is no count of tasks: a share, a sum of money, a length of time
_NOT_TASKS = re.compile(r"^(?:%|(?:phan tram|ty le|percent\w*|share|rate|tien|kinh phi|ngan sach|von|dong|ty|trieu|"
                        r"money|funding|budget|vnd|usd|nam|thang|ngay|years?|months?|days?)\b)")


def _own_items(ctx: Context, name: str) -> set[tuple[str, str]]:
    """The items headed by a body's name ("Mục VI, khoản 2 (Sở Lao động Thương binh và Xã hội:)")."""
    key = agency_key(name)
    return {(d.doc_id, d.section_id) for d in ctx.facts.duties if agency_key(d.agency) == key}


def _counts_tasks(q: Question) -> bool:
    """"Sở Y tế chủ trì mấy nhiệm vụ?", "how many duties …": the body's tasks counted. "How much aid did they
    attract?", "what percentage of the budget …" ask a quantity, which only a figure in the documents answers."""
    return q.focus.amount and not re.search(r"\bhow much\b", q.cues) and not _NOT_TASKS.match(q.focus.unit or "")


def _task_asked_inside(q: Question, ctx: Context, name: str) -> Task | None:
    """The task a question about one body's work keeps to ("Sở Y tế làm gì trong nhiệm vụ 6?", "trong nhiệm
    vụ ngoại giao văn hóa, sở đó …"), when the body carries it out or coordinates it."""
    if re.search(r"\b(ngoai|besides|apart from|other than|except)\b.*\b(nhiem vu|nv|task)", q.cues):
        return None  # "ngoài nhiệm vụ 6, Sở Y tế còn làm gì?": the rest of its work
    task = ctx.explicit_task(q)
    if task is None and q.content_terms and _IN_TASK.search(q.cues):
        task = task_of_ranking(ctx.ranking(q), ctx.facts)
    s = ctx.session
    if task is None and q.refers_to_agency and not q.agencies and s is not None \
            and s.intent in ROLE_INTENTS and s.task_section and s.doc_id and not _BEYOND.search(q.cues):
        # "Mảng ngoại giao văn hóa giao cho ai?" then "hai sở đấy phải làm những gì?": their work in that task
        # ("sở đó còn làm gì khác?" asks the rest of it), also in the task's own words ("các sở đó phải tổ chức
        # những hoạt động gì?" of task 9, "Tổ chức các hoạt động …")
        from .check import task_cover  # the check's own measure of cover

        last = ctx.facts.task(s.doc_id, s.task_section)
        if last is not None and (not q.content_terms or not task_cover(q, last, ctx)[1]):
            task = last
    key = agency_key(name)
    if task is None or not any(agency_key(n) == key for n in (*task.leads, *task.coordinators)):
        return None
    return task


_TASK_CONTENT = {"en": " What the task covers:", "vi": " Nội dung nhiệm vụ:"}


def _work_in_task(q: Question, ctx: Context, name: str, task: Task) -> Draft | None:
    """The body's role in the task, then the task's content as the document writes it."""
    doc = ctx.document(task.doc_id)
    content = doc.section(task.content_section) if task.content_section else None
    if content is None:
        return None
    lead = any(agency_key(n) == agency_key(name) for n in task.leads)
    sid, quote = (task.lead_section, task.lead_quote) if lead else (task.coord_section, task.coord_quote)
    if q.lang == "en":
        role = "carries out" if lead else "coordinates"
        lines = [f"{named_for(name, q.lang)} {role} task {task.number} ({task.title}) ({section_label(sid)})."
                 + _TASK_CONTENT["en"]]
    else:
        role = "thực hiện" if lead else "phối hợp"
        lines = [f"{name} là cơ quan {role} nhiệm vụ {task.number} ({task.title}) ({ctx.where(doc, sid)})."
                 + _TASK_CONTENT["vi"]]
    body, cites = section_lines(ctx, doc, content)
    return Draft("agency_tasks", (*lines, *body), (ctx.cite(doc, sid, quote), *cites), 0.9, task=task,
                 agencies=(name,))


def _topic_beyond_body(q: Question) -> bool:
    """Whether the question is about something besides the body ("Sở Y tế làm gì về bảo hiểm y tế?")."""
    return len(q.content_terms) > 2


# what a body reports to, in its own work: "… báo cáo Ủy ban nhân dân thành phố trình Hội đồng nhân dân …"
_REPORTS_TO = re.compile(r"\bbáo cáo (?:lên |về |cho |với )?(?:Ủy ban|Hội đồng|Bộ|Sở|Thành ủy|Thủ tướng|cấp trên)")


def own_reporting(ctx: Context, name: str) -> tuple[Document, str, str] | None:
    """(document, section id, sentence) where a body's own work says whom it reports to, if it does
    ("Sở Tài chính: … báo cáo Ủy ban nhân dân thành phố trình Hội đồng nhân dân …")."""
    key = agency_key(name)
    for d in ctx.facts.duties:
        if agency_key(d.agency) != key:
            continue
        doc = ctx.document(d.doc_id)
        sec = doc.section(d.section_id)
        for block in sec.blocks if sec else ():
            if _REPORTS_TO.search(block.text):
                return doc, d.section_id, block.text
    return None


def agency_entries(ctx: Context, name: str, lang: str, terms: tuple[str, ...] = ()
                   ) -> list[tuple[float, str, Citation]]:
    """(document order, line, citation) for every piece of the body's own work."""
    facts = ctx.facts
    key = agency_key(name)
    order = ctx.section_order
    entries: list[tuple[float, str, Citation]] = []
    covered: set[tuple[str, str]] = set()
    for t in facts.tasks:
        doc = ctx.document(t.doc_id)
        for role, names, sid, quote in (("lead", t.leads, t.lead_section, t.lead_quote),
                                        ("coordinate", t.coordinators, t.coord_section, t.coord_quote)):
            if sid and any(agency_key(n) == key for n in names):
                with_others = _co_leads(t.leads, key, lang) if role == "lead" else ""
                if lang == "en":
                    line = (f"{'Carries out' if role == 'lead' else 'Coordinates'} task {t.number} "
                            f"({t.title}){with_others} ({section_label(sid)}).")
                else:
                    line = (f"Là cơ quan {'thực hiện' if role == 'lead' else 'phối hợp'} nhiệm vụ {t.number} "
                            f"({t.title}){with_others} ({ctx.where(doc, sid)}).")
                entries.append((order[(t.doc_id, sid)], line, ctx.cite(doc, sid, quote)))
                covered.add((t.doc_id, sid))
    for d in facts.duties:
        if agency_key(d.agency) == key and (d.doc_id, d.section_id) not in covered:
            doc = ctx.document(d.doc_id)
            sec = doc.section(d.section_id)
            entries.append((order[(d.doc_id, d.section_id)], f"{ctx.where(doc, d.section_id)}: {sec.text}",
                            ctx.cite(doc, d.section_id, sec.text)))
            covered.add((d.doc_id, d.section_id))
    agency = facts.agencies.get(key)
    for doc_id, sid in facts.mentions.get(key, []):
        if (doc_id, sid) in covered or agency is None:
            continue
        doc = ctx.document(doc_id)
        sec = doc.section(sid)
        names = facts.names_of(key)
        acting = [text for text in [sec.title, *(b.text for b in sec.blocks)] if any(_acts_in(text, n) for n in names)]
        if not acting:
            continue
        quote = sec.text if acting[0] == sec.title else acting[0]  # a heading: the section is its work
        entries.append((order[(doc_id, sid)], _quoted_line(ctx, doc, sec, quote), ctx.cite(doc, sid, quote)))
        covered.add((doc_id, sid))
    if all(line.startswith(_TASK_LINES) for _, line, _ in entries):
        entries += _field_work(ctx, name, covered, terms)
    entries.sort(key=lambda e: e[0])
    return entries


_CO_LEADS = re.compile(r"\), (cùng|with) [^()]*(?= \()")


def _co_leads(leads: tuple[str, ...], key: str, lang: str) -> str:
    """The other bodies that carry out a task with this one: ", cùng Sở Ngoại vụ"; counted when many."""
    others = [n for n in leads if agency_key(n) != key]
    if not others:
        return ""
    if len(others) > 3:
        return f", with {len(others)} other bodies" if lang == "en" else f", cùng {len(others)} cơ quan khác"
    return f", with {'; '.join(others)}" if lang == "en" else f", cùng {'; '.join(others)}"


def _quoted_line(ctx: Context, doc: Document, sec: Section, quote: str) -> str:
    """"Mục II, điểm 8.1.2 (Đẩy mạnh công tác thông tin cơ sở:): …": a bullet quoted with the heading of its
    point, which names the work the bullet is part of."""
    title = informative_title(sec) if quote != sec.text else ""
    where = ctx.where(doc, sec.section_id)
    return f"{where} ({title}): {quote}" if title else f"{where}: {quote}"


_NOT_FIELD = {"so", "ban", "uy", "nhan", "dan", "hai", "phong", "thanh", "pho", "va", "cac", "quan", "huyen"}


def _field_work(ctx: Context, name: str, covered: set[tuple[str, str]], terms: tuple[str, ...] = ()
                ) -> list[tuple[float, str, Citation]]:
    """A body whose only mentions are the lists of bodies ("Bảo hiểm Xã hội Hải Phòng" leads task 6): of
    each task it leads, the point of its content that names its own field ("bảo hiểm xã hội, bảo hiểm y tế")."""
    field = [w for w in syllables(name) if w not in _NOT_FIELD]
    pairs = {f"{a} {b}" for a, b in zip(field, field[1:])} or set(field)
    key = agency_key(name)
    out = []
    for t in ctx.facts.tasks:
        if not t.content_section or not any(agency_key(n) == key for n in t.leads):
            continue
        doc = ctx.document(t.doc_id)
        best, best_hits = None, (0, 0)
        for sec in [doc.section(t.content_section), *doc.descendants(t.content_section)]:
            if sec is None or (t.doc_id, sec.section_id) in covered:
                continue
            title = f" {' '.join(syllables(sec.title))} "
            if len(terms) >= 2 and sec.blocks and all(f" {u} " in title for u in terms):
                # "Phần nâng cao hiệu quả chăm sóc sức khỏe nhân dân, Sở Y tế phải làm gì?": the point the question
                # names by its heading, whole
                best, best_hits = (sec, sec.text), (len(terms) + 1, 0)
                continue
            for block in sec.blocks:
                folded = f" {' '.join(syllables(block.text))} "
                field_hits = sum(f" {p} " in folded for p in pairs)
                # what the question asks about first ("… làm gì về du lịch"), then the body's own field
                hits = (sum(f" {u} " in folded for u in terms), field_hits)
                if field_hits + hits[0] and hits > best_hits:
                    best, best_hits = (sec, block.text), hits
        if best is not None:
            sec, quote = best
            # right after the line that says it carries out the task
            line = _quoted_line(ctx, doc, sec, quote)
            after = ctx.section_order[(t.doc_id, t.lead_section)] + 0.5
            out.append((after, line, ctx.cite(doc, sec.section_id, quote)))
            covered.add((t.doc_id, sec.section_id))
    return out


def _acts_in(text: str, name: str) -> bool:
    """Whether the body is the subject of a duty verb somewhere in the text."""
    for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
        if _DUTY_VERB.match(text[m.end():]) or _DUTY_OF.search(text[:m.start()]):
            return True
    return False
