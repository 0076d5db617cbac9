"""Dates: the yearly report (when, and to whom), and the timeline's milestones.

"Hạn gửi báo cáo hằng năm?", "báo cáo nộp cho ai, khi nào?", "When is the annual report due?",
"Năm 2020 phải làm gì?", "Thời gian thực hiện có những mốc nào?". The dates are the extracted facts;
a question the facts do not answer goes to the content module, and the check then asks its quotes
for a date.
"""

from __future__ import annotations

import re

from ..facts import TimeFact, agency_key
from ..retrieve import named_documents
from ..text import fold
from ..understand import Question, named_for
from .agency import own_reporting
from .base import Context, Draft, acting_agency, section_lines, sections_cited_before

_TIMELINE_VI = re.compile(r"\b(moc|thoi gian thuc hien|lo trinh|tien do|cac nam|nhung nam|ket thuc(?! hien)|keo dai|"
                          r"(den|toi) (nam nao|nam bao nhieu|bao gio|khi nao)|bat dau|giai doan nao|nhung giai doan|"
                          r"cac giai doan|"
                          r"(thuc hien|trien khai|chay|trong|mat) bao lau)\b")
_MILESTONE_UNIT = re.compile(r"(moc|giai doan|milestones?|phases?|stages?)\b")
_OWN_TIMELINE_VI = re.compile(r"\b(thoi gian (thuc hien|trien khai)|lo trinh|tien do|moc thoi gian)\b")
# what a question about the whole timeline may name besides its question words
_TIMELINE_WORDS = {"thuc hien", "trien khai", "ke hoach", "thoi gian", "moc", "giai doan", "timeline",
                   "xong", "ket thuc", "keo dai", "lam", "chay", "thoi gian thuc hien", "tien do", "lo trinh",
                   # ("implementation" is "tổ chức thực hiện")
                   "hai phong", "thanh pho", "period", "cover", "to chuc", "ap dung", "apply",
                   "chung"}  # "the overall period", "thời gian thực hiện chung": the whole of it
SENDING_WORDS = {"gui", "nop", "chuyen", "send", "sent", "submit", "submitted"}
_DEADLINE_VI = re.compile(r"\b(han|thoi han|han chot|truoc ngay|ngay nao|ngay bao nhieu|cham nhat)\b")
_DEADLINE_EN = re.compile(r"\b(deadline|due|by when|what date|which date|latest)\b")
_TIMELINE_EN = re.compile(r"\b(timeline|milestones?|schedule|time ?frame|phases|until when|end date|run until|"
                          r"(up )?(to|until|till|by) (what|which) year|(the|this) plan runs?|"
                          r"(what|which)( time| overall| whole| total| entire)? period|how long|duration|time span|"
                          r"period (does|of) (the|this) plan)\b")


# a question that names the body a report goes to ("nộp báo cáo cho UBND huyện", "gửi về Sở Y tế", "report to the
# Department of Health"): the answer's recipient must be that body
SENT_TO_BODY_VI = re.compile(r"\b(gui|nop|(?<!chuong )trinh|chuyen|bao cao)\b(?: \w+){0,8}? (cho|ve|len|toi|den) "
                              r"(cac )?"
                              r"(so|uy ban|ubnd|bo|ban|phong|cuc|chi cuc|thanh uy|mat tran|thu tuong|chinh phu)\b")
SENT_TO_BODY_EN = re.compile(r"\b(send|sent|submit\w*|report\w*|file[sd]?)\b(?: [\w']+){0,8}? to (the |its |a )?"
                              r"([\w']+ ){0,2}(department|committee|ministry|office|board|bureau|agency|"
                              r"prime minister)\b")

_COMPILES_VI = re.compile(r"\btong hop\b")
# the words of reporting itself: "Sở X tổng hợp xong thì báo cáo lên ai?" names no other topic
_REPORTING_FRAME = SENDING_WORDS | {"bao cao", "tong hop", "report", "reports", "compile", "compiles"}
_COMPILES_EN = re.compile(r"\b(compil|consolidat|collat|aggregat)\w*")


REPORT_NEAR_BEST = 0.75  # how far below the best passage the yearly report's may rank and still be the one asked


class Report:
    intent = "deadline"

    def recognises(self, q: Question, ctx: Context) -> bool:
        f = q.focus
        # the report is the deadline: "Hạn là ngày nào?" with no topic of its own asks for it, as does a
        # follow-up of a question about the report
        follows_report = ctx.session is not None and ctx.session.intent == self.intent
        # "Gửi về cơ quan nào?" after the deadline: sending is the report's own frame, not a new topic
        # ("Sở nào chủ trì nhiệm vụ 6?" names a task: a topic of its own)
        own_topic = bool(q.task_number or q.part or q.section) or (
            bool(q.content_terms) and not set(q.content_terms) <= SENDING_WORDS)
        about_report = f.report or (not own_topic and (q.matches(_DEADLINE_VI, _DEADLINE_EN) or follows_report))
        # "Sở Tư pháp có phải nộp báo cáo hằng năm không?": whether one body owes the yearly report
        owes = f.yes_no and len(q.agencies) == 1 and not q.matches(SENT_TO_BODY_VI, SENT_TO_BODY_EN)
        if not (about_report and (f.time or f.destination or (f.agency and not f.duty) or owes)):
            return False
        if f.agency and not (f.time or f.destination) and q.matches(_COMPILES_VI, _COMPILES_EN):
            return False  # "Which department compiles the annual reports?": the body that compiles, not the deadline
        reports = report_deadlines(ctx, q)
        if not reports:
            return False
        if f.time or not own_topic:
            return True
        # "báo cáo … gửi cho ai" of something else ("dự toán … báo cáo cho ai xem xét?") is not the yearly report
        # (the report's passage ranks near the best: "STC tổng hợp KP rồi báo cáo UBND TP trình ai?" is the budget's)
        sections = ctx.ranking(q).sections
        ranked = [(s.doc.doc_id, s.section.section_id) for s in sections[:3]
                  if s.score >= REPORT_NEAR_BEST * sections[0].score]
        return any((t.doc_id, t.section_id) in ranked for t in reports)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        facts = report_deadlines(ctx, q)
        if not facts:
            return None
        t = facts[0]
        doc = ctx.document(t.doc_id)
        where = ctx.where(doc, t.section_id)
        if q.lang == "en":
            text = f"The yearly report is due {t.when}, sent to {named_for(t.recipient, q.lang)} ({where}):"
        else:
            text = f"Hạn gửi báo cáo: {t.when}, gửi về {t.recipient} ({where})."
        lines, cites = [text, f"«{t.quote}»"], [ctx.cite(doc, t.section_id, t.quote)]
        if q.focus.yes_no and len(q.agencies) == 1 and not q.focus.time and not q.focus.destination:
            addressed = doc.section(t.section_id)
            lines = [*_owed_by(q, addressed.title if addressed else ""), *lines]
        own = _own_reporting(q, ctx)
        if own is not None:  # "Sở Tài chính báo cáo lên ai?": whom its own work reports to, then the yearly report
            name, (own_doc, sid, sentence) = own
            head = (f"{named_for(name, q.lang)} reports as its own work says ({ctx.where(own_doc, sid)}):"
                    if q.lang == "en" else f"{name} báo cáo theo nhiệm vụ của mình ({ctx.where(own_doc, sid)}):")
            lines = [head, f"«{sentence}»", *lines]
            cites = [ctx.cite(own_doc, sid, sentence), *cites]
        return Draft(self.intent, tuple(lines), tuple(cites), 0.9, agencies=(t.recipient,))


# a body of a kind a passage addresses as a group: "Các Sở" holds every Sở, "Ủy ban nhân dân các quận, huyện" every
# district's committee (folded body name, folded addressees)
_ADDRESSED_KINDS = ((r"so\b", r"\bcac so\b"), (r"ban\b", r"\bban\b"),
                    (r"uy ban nhan dan (cac )?(quan|huyen)\b", r"\bcac (quan|huyen)\b"))


def _owed_by(q: Question, addressees: str) -> list[str]:
    """"Sở Tư pháp có phải nộp báo cáo không?": the bodies the reporting passage is addressed to, in its own words,
    with "Có." first when they are named as a kind the asked body is of ("Các Sở" holds every Sở)."""
    if not addressees:
        return []
    name, groups = fold(q.agencies[0]), fold(addressees)
    member = any(re.match(kind, name) and re.search(group, groups) for kind, group in _ADDRESSED_KINDS)
    if q.lang == "en":
        return [("Yes. " if member else "") + f"The reporting duty is addressed to «{addressees}»"]
    return [("Có. " if member else "") + f"Việc báo cáo giao cho «{addressees}»"]


def _own_reporting(q: Question, ctx: Context) -> tuple[str, tuple] | None:
    """For "whom does this body report to?" (named or referred back, no date asked), or any question about
    reporting of the body the yearly reports go to: the body and the sentence of its own work that says so."""
    names = acting_agency(q, ctx)
    if len(names) != 1:
        return None
    # "Sở LĐTBXH tổng hợp báo cáo … bao lâu một lần?": the body the yearly reports go to, asked about reporting,
    # is asked about its own
    receives = any(agency_key(t.recipient) == agency_key(names[0]) for t in report_deadlines(ctx, q))
    if not receives and (not q.focus.destination or q.focus.time):
        return None
    if any(t not in _REPORTING_FRAME for t in q.content_terms) and not q.refers_to_agency and not receives:
        return None  # "dự toán … gửi Sở Tài chính … báo cáo cho ai?" asks about the estimates, not the body
    found = own_reporting(ctx, names[0])
    return (names[0], found) if found is not None else None


def report_deadlines(ctx: Context, q: Question) -> list[TimeFact]:
    """The report deadlines, those of a document the question names by number first."""
    reports = [t for t in ctx.facts.times if t.kind == "report_deadline"]
    named = named_documents(q.folded, list(ctx.snap.documents))
    return [t for t in reports if t.doc_id in named] or reports


_PERIODS_ASKED = re.compile(r"\bgiai doan\b")
_PERIODS_EN = re.compile(r"\b(periods?|phases?|stages?)\b")
# a period a passage names: "giai đoạn 2016 - 2020", or the year it runs to ("đến năm 2020, tầm nhìn 2030")
_PERIOD = re.compile(r"\b(?:giai đoạn|năm) (?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\b|\bđến năm (?:19|20)\d\d\b")


def _period_of_last_passage(q: Question, ctx: Context) -> bool:
    """A bare "for which period?" after a passage (not the timeline) that names a period of its own; "chương
    trình đó áp dụng cho giai đoạn nào?" is as bare (the words of applying are the timeline's own)."""
    s = ctx.session
    if any(t not in _TIMELINE_WORDS for t in q.content_terms) or q.task_number or q.part or q.section or q.years:
        return False
    if s is None or s.intent not in ("content", "overview") or not s.sections:
        return False
    return any(_PERIOD.search(sec.text) for sec in sections_cited_before(ctx.snap, s, s.sections[:1]))


_PLAN_VI = re.compile(r"\bke hoach\b")
_PLAN_EN = re.compile(r"\bplan\b")


def _plan_by_its_title(q: Question, ctx: Context, terms: list[str]) -> bool:
    """"Kế hoạch ASEAN của thành phố …", "KH ASCC của HP …": the plan named by words of its own title, which
    name no topic of its own."""
    if not q.matches(_PLAN_VI, _PLAN_EN):
        return False
    titles = [fold(d.meta.title) for d in ctx.snap.documents]
    return all(any(re.search(rf"\b{re.escape(t)}\b", title) for title in titles) for t in terms)


def _bounded_by_year(q: Question) -> bool:
    """"phát triển du lịch đến năm 2025 hả?", "tourism development until 2025?": a year that bounds a subject the
    question names is that subject's horizon, which its passage gives, not the milestone of that year."""
    if not q.years:
        return False
    years = "|".join(q.years)
    own = [t for t in q.content_terms if t not in _TIMELINE_WORDS and not re.search(rf"\b({years})\b", t)]
    bound = re.search(rf"\b(den|toi|to|until|till|through) (nam |the year )?({years})\b", q.cues)
    # the subject named before the year it runs to ("Đến năm 2025 thì … những công việc gì?" asks that year's work)
    before = f" {q.cues[:bound.start()]} " if bound else ""
    return any(f" {t} " in before for t in own)


class Timeline:
    intent = "deadline"

    def recognises(self, q: Question, ctx: Context) -> bool:
        f = q.focus
        if f.agency or f.report:
            return False
        if q.years and any(t.kind == "milestone" and t.when.endswith(q.years) for t in ctx.facts.times) \
                and not _bounded_by_year(q):
            return True
        if f.duty and q.agencies:
            return False
        # "…, và thời gian thực hiện đến năm nào?" names the timeline itself; "… cho giai đoạn nào?" asks the
        # period of what the rest of the question is about
        own_terms = () if q.borrowed_topic and q.matches(_OWN_TIMELINE_VI, _TIMELINE_EN) else q.content_terms
        own_terms = [t for t in own_terms if t not in _TIMELINE_WORDS]
        if own_terms and not q.years and not _plan_by_its_title(q, ctx, own_terms):
            return False  # "chương trình giảm nghèo … giai đoạn nào?": the period of that, not the timeline
        if _period_of_last_passage(q, ctx):
            return False  # "cho giai đoạn nào?" after a passage that names its period: that passage's
        counted = f.amount and bool(_MILESTONE_UNIT.match(f.unit))  # "có mấy mốc thời gian?"
        return bool(q.years and (f.time or f.content or not f.kinds)) or \
            (q.matches(_TIMELINE_VI, _TIMELINE_EN) and (f.time or f.content or f.listing or counted or not f.kinds)) \
            or counted  # "kế hoạch chia làm mấy giai đoạn?", "có mấy mốc?"

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        if _bounded_by_year(q):
            return None
        milestones = [t for t in ctx.facts.times if t.kind == "milestone"]
        # "năm 2020", "in 2020": the year is when, and its own milestone answers
        year_is_when = all(re.search(rf"\b(nam|in|vao|during|trong|for) {y}\b", q.cues) for y in q.years)
        if q.years and q.focus.time and not year_is_when:
            # "kế hoạch giai đoạn 2021 - 2025 được xây dựng khi nào?": the years name what is asked about;
            # the answer is the milestone whose text mentions them, not the milestone of one of those years
            inside = [t for t in milestones if all(y in t.quote for y in q.years)
                      and t.when.split()[-1] not in q.years]
            if inside:
                return _year_answer(q, ctx, inside)
        if q.years:
            found = [t for t in milestones if t.when.split()[-1] in q.years]
            return _year_answer(q, ctx, found) if found else None
        if not milestones:
            return None
        doc = ctx.document(milestones[0].doc_id)
        sec = doc.section(milestones[0].section_id)
        lines, cites = section_lines(ctx, doc, sec)
        counted = q.focus.amount and bool(_MILESTONE_UNIT.match(q.focus.unit))
        # the periods the timeline names, as facts.py extracts them ("2017 - 2020"), when periods are counted
        periods = list(dict.fromkeys(t.when for t in ctx.facts.times if t.kind == "period" and t.doc_id == doc.doc_id
                                     and t.section_id == sec.section_id)) \
            if counted and (_PERIODS_ASKED.match(q.focus.unit) or _PERIODS_EN.match(q.focus.unit)) else []
        if periods:
            # "chia làm mấy giai đoạn?": the periods the timeline names, not its milestones
            lead = (f"The plan's timeline names {len(periods)} periods ({'; '.join(periods)}):" if q.lang == "en"
                    else f"Thời gian thực hiện theo kế hoạch nêu {len(periods)} giai đoạn ({'; '.join(periods)}):")
        elif counted:
            n = sum(t.section_id == sec.section_id for t in milestones)
            lead = (f"The plan's timeline has {n} milestones:" if q.lang == "en" else
                    f"Thời gian thực hiện theo kế hoạch có {n} mốc:")
        else:
            lead = "The plan's timeline:" if q.lang == "en" else "Thời gian thực hiện theo kế hoạch:"
            # "các sở phối hợp thực hiện nhiệm vụ theo những giai đoạn nào?": the passage the question's words
            # rank first, when it names periods of its own ("trong giai đoạn 2016-2020 và 2021-2025")
            top = ctx.ranking(q).top
            hit = None
            if top is not None and top.section.section_id != sec.section_id and q.matches(_PERIODS_ASKED, _PERIODS_EN):
                hit = next((h for h in top.hits if _PERIOD.search(h.chunk.text)), None)
                if hit is not None:
                    lines.append(f"{ctx.where(top.doc, top.section.section_id)}: «{hit.chunk.text}»")
                    cites.append(ctx.cite(top.doc, top.section.section_id, hit.chunk.text))
            # else the period the opening gives the whole (the plan's own timeline starts later), said beside it:
            # a stated period ("giai đoạn 2015 - 2025") before an end year ("đến năm 2025")
            pre = doc.section("preamble")
            ranked = sorted((b.text for b in pre.blocks if _PERIOD.search(b.text)),
                            key=lambda t: "giai đoạn" not in t) if pre and hit is None else []
            opening = ranked[0] if ranked else None
            if opening:
                lines.append(f"{ctx.where(doc, 'preamble')}: «{opening}»")
                cites.append(ctx.cite(doc, "preamble", opening))
        return Draft(self.intent, (lead, *lines), tuple(cites), 0.85, about_document=True, counted=counted)


def _year_answer(q: Question, ctx: Context, found: list[TimeFact]) -> Draft:
    """"Năm 2025 phải làm gì?": the timeline's milestone for that year, then what else the text says of it."""
    lines, cites = [], []
    for t in found:
        doc = ctx.document(t.doc_id)
        lines.append(f"{t.when} ({ctx.where(doc, t.section_id)}): «{t.quote}»")
        cites.append(ctx.cite(doc, t.section_id, t.quote))
    shown = {(t.doc_id, t.section_id) for t in found}
    for h in ctx.ranking(q).hits:
        if len(lines) >= len(found) + 2:
            break
        key = (h.chunk.doc_id, h.chunk.section_id)
        if key in shown or not any(y in h.chunk.text for y in q.years):
            continue
        shown.add(key)
        doc = ctx.document(h.chunk.doc_id)
        lines.append(f"{ctx.where(doc, h.chunk.section_id)}: «{h.chunk.text}»")
        cites.append(ctx.cite(doc, h.chunk.section_id, h.chunk.text))
    lead = "According to the timeline:" if q.lang == "en" else "Theo thời gian thực hiện:"
    return Draft("deadline", (lead, *lines), tuple(cites), 0.85)
