"""Composing answers from the documents' own words, one module per answer type.

Each module (``REGISTRY``) says what it recognises and how it answers; the first that recognises a
question and can answer it does. A compound question ("X do ai thực hiện và báo cáo gửi đâu, khi
nào?") is answered clause by clause. Every answer then passes the answerability check (``check.py``):
when the documents do not answer, we say so, name what they do cover nearby, and never guess.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..models import Answer, Citation
from ..sections import section_label
from ..sessions import SessionState
from ..text import syllables
from ..understand import Question
from .agency import AgencyDuties, TasksWithout
from .base import Answerer, Context, Draft, dedupe, sections_cited_before
from .check import DATE, Verdict, check
from .content import Content, counts_own_points
from .document import Overview, Recipients, asks_the_guide
from .mentions import Mentions
from .named import NamedKind
from .reference import ISSUED, Reference, ReferredBack
from .roles import Roles
from .scope import Scope
from .shared import SharedTasks
from .smalltalk import EXAMPLE_QUESTIONS, SmallTalk
from .structure import Structure
from .tally import TaskTally
from .tasknumber import TaskOfSubject
from .time import SENDING_WORDS, Report, Timeline
from .unknowable import Unknowable, opinion_framed

if TYPE_CHECKING:
    from ..engine import Snapshot

# Most specific first; Content answers anything the others leave.
REGISTRY: tuple[Answerer, ...] = (
    SmallTalk(), Unknowable(), TaskTally(), TaskOfSubject(), Mentions(), Structure(), Recipients(), ReferredBack(),
    Overview(), Reference(), Timeline(), Report(), SharedTasks(), TasksWithout(), AgencyDuties(), Roles(), Scope(),
    NamedKind(), Content(),
)

REFUSAL_VI = ("Xin lỗi, {why}, nên tôi không đoán. Tôi trả lời được về {title}: cơ quan thực hiện hoặc phối hợp "
              "từng nhiệm vụ, nhiệm vụ của từng sở, thời hạn báo cáo và các mốc thời gian, mục tiêu, kinh phí, "
              "phạm vi, giải pháp và tổ chức thực hiện. Ví dụ: \"{example}\"")
REFUSAL_EN = ("Sorry, {why}, and I do not guess. I can answer about {title}: who carries out or coordinates each "
              "task, what each department must do, report deadlines and milestones, goals, funding, scope, "
              "solutions and organisation. For example: \"Which department leads the health care task?\"")
WHY_VI = {
    "amount": "các văn bản hiện có không nêu con số này",
    "date": "các văn bản hiện có không nêu thời điểm này",
    "names": "các văn bản hiện có không nêu tên cụ thể",
    "venue": "các văn bản hiện có không nêu địa điểm tổ chức",
    "recipient": "các văn bản hiện có không nói báo cáo được gửi tới cơ quan được hỏi",
    "unknown_name": "các văn bản hiện có không nhắc tới bệnh viện, trường, doanh nghiệp, làng nghề hay lễ hội được hỏi",
    "person": "các văn bản hiện có không nêu tên người ký hay người giữ chức vụ nào",
    "outcome": "các văn bản hiện có là kế hoạch và quy định, không có kết quả đã đạt được",
    "ranking": "các văn bản hiện có giao việc cho các cơ quan, không đánh giá hay xếp hạng cơ quan, địa phương nào",
    "sanction": "các văn bản hiện có không quy định hình thức xử lý hay xử phạt nào",
    "exemption": "các văn bản hiện có không quy định ai được miễn hay giảm khoản phải đóng, phải nộp nào",
    "unloaded": "toàn văn văn bản được hỏi chưa được nạp; kế hoạch chỉ nêu số, ngày và cơ quan ban hành của nó",
    "division": "các văn bản hiện có giao việc chung cho các cơ quan cùng thực hiện, không chia phần việc giữa họ",
    "procedure": "các văn bản hiện có là kế hoạch, không quy định thủ tục hay hồ sơ, giấy tờ cần nộp",
    "identity": "văn bản trong kho không ghi số hiệu và ngày ban hành của chính nó",
    "status": "các văn bản hiện có không nói văn bản nào đã được sửa đổi, thay thế hay hết hiệu lực sau khi ban hành",
    "now": "các văn bản hiện có không nói về tình hình hôm nay hay hiện tại",
    "opinion": "tôi chỉ trích dẫn văn bản, không đưa ra nhận định hay ý kiến riêng về kế hoạch",
    "future": "các văn bản hiện có không nói về giai đoạn sau các mốc thời gian của chúng",
    "place": "các văn bản hiện có chỉ là văn bản của thành phố Hải Phòng, không nói về địa phương khác",
    "asean": "các văn bản hiện có là kế hoạch của thành phố, không giới thiệu bản thân ASEAN (thành viên, lịch sử, "
             "hội nghị, cơ cấu)",
    "concepts": "các văn bản hiện có không có thông tin để trả lời câu hỏi này",
    "unread": "các văn bản hiện có không có thông tin để trả lời câu hỏi này",
    "empty": "các văn bản hiện có không có thông tin để trả lời câu hỏi này",
    "section": "các văn bản hiện có không có phần, mục hay nhiệm vụ mang số được hỏi",
}
WHY_EN = {
    "amount": "the documents I hold do not give this figure",
    "date": "the documents I hold do not give this date",
    "names": "the documents I hold name none in particular",
    "venue": "the documents I hold do not say where it is held",
    "recipient": "the documents I hold do not say that reports go to the body asked about",
    "unknown_name": "the documents I hold do not mention the hospital, school, company, village or festival "
                    "asked about",
    "person": "the documents I hold name no signatory or office holder",
    "outcome": "the documents I hold are plans and rules, with no results achieved",
    "ranking": "the documents I hold assign work; they do not rate or rank any body or district",
    "sanction": "the documents I hold set no penalty or sanction",
    "exemption": "the documents I hold set no exemption from, or reduction of, any payment",
    "unloaded": "the full text of that document is not loaded; the plan gives only its number, date and issuer",
    "division": "the documents I hold give the work to the bodies together and do not divide it between them",
    "procedure": "the documents I hold are plans; they set out no procedure or papers to file",
    "identity": "the document I hold does not carry its own number and date",
    "status": "the documents I hold do not say whether any of them was later amended or replaced",
    "now": "the documents I hold say nothing about today or the present",
    "opinion": "I quote the documents; I give no judgement or opinion of my own on the plan",
    "future": "the documents I hold say nothing about the years after their own timeline",
    "place": "the documents I hold are Hai Phong's only, not another province's",
    "asean": "the documents I hold are the city's plan; they do not describe ASEAN itself (its members, history, "
             "summits or structure)",
    "concepts": "the documents I hold do not answer this question",
    "unread": "the documents I hold do not answer this question",
    "empty": "the documents I hold do not answer this question",
    "section": "the documents I hold have no part, item or task with that number",
}


class Composer:
    def __init__(self, snap: Snapshot, public_url: str = "") -> None:
        self.snap = snap
        self.public_url = public_url

    def answer(self, q: Question, session: SessionState | None) -> tuple[Answer, SessionState]:
        if session is not None and session.topic:
            q = _echoing(q, session, self.snap)
        if session is not None and session.sections:
            q = _item_of_last_part(q, session, self.snap)
        ctx = Context(self.snap, q, session, self.public_url)
        if q.unknown_agency and not asks_the_guide(q):  # "… theo hướng dẫn của Bộ Nội vụ hả?": no, of another
            return self._unknown_agency(q), session or SessionState()
        if q.other_place:
            return self._refusal(q, ctx, Verdict(False, "place")), session or SessionState()
        results: list[tuple[Question, Draft, Verdict]] = []
        context = session
        clause_task = None
        for clause in q.clauses or (q,):
            cctx = replace(ctx, q=clause, session=context, clause_task=clause_task, _rankings={})
            draft, verdict = _compose(clause, cctx)
            results.append((clause, draft, verdict))
            if draft is not None and verdict.ok:  # "… và nhiệm vụ đó gồm những gì?" refers to the clause before
                context = self._state(clause, context, [draft])
                clause_task = draft.task or self._cited_task(draft) or clause_task
        answered = [(c, d, v) for c, d, v in results if v.ok]
        # a count of the plan's own points the documents do not state ("gồm mấy nội dung, là những gì?") leaves
        # the list that answers it; a count of things the plan never lists ("bao nhiêu làng nghề, tên là gì?") not
        refused_topics = [c for c, _, v in results
                          if not v.ok and not (v.reason == "amount" and counts_own_points(c))
                          and (c.has_topic and not c.borrowed_topic or v.reason == "unread")]
        if answered and refused_topics and all(c.borrowed_topic for c, _, _ in answered):
            answered = []  # "làm thẻ BHYT cần giấy tờ gì, nộp ở đâu?": the second part is about the first
        known = next((i for i, (_, d, v) in enumerate(results) if not v.ok and d is not None and d.refusal), None)
        # a part the documents cannot answer by nature, and a short part about the same thing after it, or
        # before it with no topic of its own ("When and where was the ASCC Blueprint adopted?")
        if answered and known is not None and all(
                (results.index(r) > known or r[0].borrowed_topic) and not r[0].agencies
                and len(r[0].content_terms) <= 1 for r in answered):
            answered = []
        if answered and not results[0][2].ok and opinion_framed(q):
            answered = []  # "Theo bạn kế hoạch có hiệu quả không, nên sửa điểm nào …?": a judgement throughout
        if not answered:
            return self._refusal(q, ctx, results[0][2]), session or SessionState()
        lines: list[str] = []
        firsts: list[Citation] = []
        rest: list[Citation] = []
        said = "\n".join(line for _, d, v in results if v.ok for line in d.lines)
        quoted = {c.section_id for _, d, v in results if v.ok for c in d.citations}
        for clause, draft, verdict in results:
            if verdict.ok:  # a line two parts share (the task's lead bodies) is said once
                lines += [line for line in draft.lines if line not in lines]
                firsts += draft.citations[:1]
                rest += draft.citations[1:]
            elif verdict.reason == "date" and draft is not None and draft.citations and DATE.search(said) \
                    and {c.section_id for c in draft.citations} <= quoted:
                continue  # "Which master plan, and for what period, …?": the period is in what the other part quotes
            else:
                why = (WHY_EN if q.lang == "en" else WHY_VI).get(verdict.reason, WHY_VI["concepts"])
                lines.append(f"({clause.original}: {why}.)")
        main = answered[0][1]
        citations = tuple(dedupe(firsts + rest))
        confidence = min(d.confidence for _, d, _ in answered)
        state = self._state(q, session, [d for _, d, _ in answered])
        text = "\n".join(lines)
        return Answer(text, True, main.intent, citations, round(confidence, 3), lang=q.lang), state

    # ------------------------------------------------------------ session

    def _cited_task(self, draft: Draft):
        cited = draft.citations[0] if draft.citations else None
        return self.snap.facts.task(cited.doc_id, cited.section_id) if cited else None

    def _state(self, q: Question, session: SessionState | None, drafts: list[Draft]) -> SessionState:
        task = next((d.task for d in drafts if d.task is not None), None)
        if task is None:  # the task of what it cites first
            cited = next((c for d in drafts for c in d.citations), None)
            task = self.snap.facts.task(cited.doc_id, cited.section_id) if cited else None
        if task is not None and drafts[0].intent == "agency_tasks" and len(q.agencies) == 1 and not q.task_number:
            task = self._own_task(q.agencies[0], drafts[0]) or task  # a list of the body's tasks
        answered = next((d.agencies for d in drafts if d.agencies), ())
        # "Ai tham mưu cho UBND thành phố …?": the bodies answered, not the one the question named on the way, are
        # what "sở đó" is next
        agencies = answered if q.focus.agency and answered else (q.agencies or answered)
        # a bare follow-up keeps its bodies, as does one that refers back to them ("mấy sở đó … vụ này")
        if not agencies and session is not None and (not q.has_topic or q.refers_to_agency):
            agencies = session.agencies
        # "ký ngày nào?" after a cited resolution is still about that resolution
        about_last_document = drafts[0].intent == "reference" and session is not None and \
            session.intent == "reference" and all(t in ISSUED for t in q.content_terms)
        topic = q.topic if q.has_topic and not about_last_document else (session.topic if session else "")
        if task is None and session is not None and not q.has_topic:
            task_section, doc_id = session.task_section, session.doc_id
        else:
            task_section, doc_id = (task.section_id, task.doc_id) if task else (None, None)
        return SessionState(task_section=task_section, agencies=tuple(agencies), intent=drafts[0].intent,
                            sections=tuple(c.section_id for d in drafts for c in d.citations), doc_id=doc_id,
                            topic=topic, turns=(session.turns + 1) if session else 1,
                            items=self._items(q, drafts))

    def _own_task(self, agency: str, draft: Draft):
        """Of the tasks a body's duties list, the one most its own: where it carries out the work with the fewest
        others (Sở Tài nguyên và Môi trường alone in task 3, one of twelve in task 1). "sở đó phối hợp với ai?"
        next is about that task."""
        tasks = [t for t in (self.snap.facts.task(c.doc_id, c.section_id) for c in draft.citations)
                 if t is not None and agency in t.leads]
        return min(tasks, key=lambda t: len(t.leads), default=None)

    def _items(self, q: Question, drafts: list[Draft]) -> tuple[str, ...]:
        """What the answer listed, in its order, as a follow-up would name each: a milestone by its year ("năm
        2017"), a task's part by the task ("nhiệm vụ 4"), another passage by its section ("Mục V")."""
        def named_year(year: str) -> str:
            return f"năm {year}" if q.lang == "vi" else year

        years = [m.group(1) for d in drafts for line in d.lines if (m := _ITEM_YEAR.match(line))]
        if len(set(years)) >= 2:  # the timeline, a year a line
            return tuple(dict.fromkeys(named_year(y) for y in years))
        out: list[str] = []
        for c in (c for d in drafts for c in d.citations):
            year = _ITEM_YEAR.match(c.quote)
            task = self.snap.facts.task(c.doc_id, c.section_id)
            if year:
                item = named_year(year.group(1))
            elif task is not None and c.section_id in (task.section_id, task.lead_section, task.coord_section):
                item = f"nhiệm vụ {task.number}" if q.lang == "vi" else f"task {task.number}"
            else:
                item = section_label(c.section_id)
            if item not in out:
                out.append(item)
        return tuple(out)

    # ------------------------------------------------------------ refusals

    def _refusal(self, q: Question, ctx: Context, verdict: Verdict) -> Answer:
        why = (WHY_EN if q.lang == "en" else WHY_VI).get(verdict.reason, WHY_VI["concepts"])
        template = REFUSAL_EN if q.lang == "en" else REFUSAL_VI
        text = template.format(why=why, title=ctx.title(), example=EXAMPLE_QUESTIONS[0])
        near = self._nearby(q, ctx, verdict)
        if near:
            text += "\n" + near
        return Answer(text, False, "out_of_scope", (), 0.8, lang=q.lang)

    def _nearby(self, q: Question, ctx: Context, verdict: Verdict) -> str:
        """What the documents do say close to the question, named (not quoted) so the person can ask it."""
        if verdict.reason in ("place", "now", "person", "identity") or not q.has_topic:
            return ""
        ranked = ctx.ranking().sections
        if not ranked:
            return ""
        top = ranked[0]
        title = top.section.title or ctx.document(top.doc.doc_id).context(top.section.section_id)
        title = title if len(title) <= 120 else title[:117].rsplit(" ", 1)[0] + "…"
        label = ctx.where(top.doc, top.section.section_id)
        named = f"{label} ({title})" if title else label  # "Phần mở đầu" names itself
        if q.lang == "en":
            return f"The closest the documents come is {named}."
        return f"Gần nhất với câu hỏi, văn bản có {named}."

    def _unknown_agency(self, q: Question) -> Answer:
        doc_names = ", ".join(d.meta.short_title for d in self.snap.documents)
        text = (f"Các văn bản hiện có ({doc_names}) không nêu tên {q.unknown_agency}, nên tôi không thể nói "
                f"cơ quan này được giao gì. Bạn có thể hỏi nhiệm vụ chung của các sở, ban, ngành, ví dụ: "
                f"\"Các sở, ban, ngành phải làm gì trong kế hoạch?\"")
        return Answer(text, False, "out_of_scope", (), 0.8, lang=q.lang)


# a milestone quoted by its year ("Năm 2017: Ban hành …")
_ITEM_YEAR = re.compile(r"^\W*[Nn]ăm ((?:19|20)\d\d)\b")


# a short follow-up about what was just said ("Dự toán … do ai lập?" — "lập xong gửi ai?")
ECHO_MAX_WORDS = 8
_KIND_ASKED = re.compile(r"^(which|what) \w+( \w+)?\W*$|^\w+( \w+)? (nao|gi)( vay| the| a| ha| day)?\W*$")


def _echoing(q: Question, session: SessionState, snap: Snapshot) -> Question:
    """A short follow-up that repeats a word of the last question, its other words all in what the last
    answer cited, names no topic of its own: "lập xong gửi ai?" is about the estimates just asked about
    ("gửi" is in the passage that answered). A new word ("còn rác thải thì sao?") is a new topic."""
    pointing = re.search(r"\b(do|nay|ay|that|this|it|them)\b", q.cues)  # "nghị quyết đó", "that one"
    if (q.task_number or q.part or q.section or q.agencies or q.refers_to_agency or q.follow_up or not q.content_terms
            or len(q.cues.split()) > ECHO_MAX_WORDS * (1.75 if pointing else 1)):
        return q
    if q.focus.agency and not q.focus.destination and not session.task_section:
        return q  # "Which department checks and consolidates that budget?": its words find the body; no task to ask
    said = f" {' '.join(syllables(session.topic))} "
    cited = f" {' '.join(' '.join(syllables(sec.text)) for sec in sections_cited_before(snap, session))} "
    # "gửi cho cơ quan nào?": the verb of sending is what a destination question asks with, not a topic
    own = [t for t in q.content_terms if not (q.focus.destination and t in SENDING_WORDS)]
    # "which resolution?", "nghị quyết nào?": the kind of thing asked for, said alone, that what was just cited names
    asked_kind = len(q.cues.split()) <= 5 and bool(_KIND_ASKED.match(q.cues))
    if own and (not asked_kind and not any(f" {t} " in said for t in own)
                or not all(f" {t} " in said or f" {t} " in cited for t in own)):
        return q
    if own and q.focus.time:
        # "Hạn gửi dự toán là ngày nào?" after a turn that dated the report: a date of what the question names, so
        # its words must be where the cited text gives a date, or it stands on its own
        dated = " ".join(" ".join(syllables(piece)) for sec in sections_cited_before(snap, session)
                         for piece in re.split(r"(?<=[.;])\s+", sec.text) if DATE.search(piece))
        if not all(f" {t} " in f" {dated} " for t in own):
            return q
    clauses = tuple(replace(c, content_terms=(), topic="", echoed=True) for c in q.clauses)
    return replace(q, content_terms=(), topic="", clauses=clauses, echoed=True)


_ITEM_WORD = re.compile(r"\b(khoan|diem|item|point|clause)\b")


def _item_of_last_part(q: Question, session: SessionState, snap: Snapshot) -> Question:
    """"còn khoản 1?" after a turn in Mục IV: item 1 of that part, not task 1 (an item by its number alone is a
    task only in the part that holds the tasks, or when the last turn was there)."""
    if not (q.task_number and q.task_number.isdigit() and not q.part and not q.section and q.follow_up
            and _ITEM_WORD.search(q.cues) and not q.content_terms):
        return q
    part = session.sections[0].split(".")[0]
    doc = next((d for d in snap.documents if d.doc_id == session.doc_id), None) if session.doc_id else None
    doc = doc or (snap.documents[0] if snap.documents else None)
    tasks_part = {t.section_id.split(".")[0] for t in snap.facts.tasks}
    if doc is None or part in tasks_part or doc.section(f"{part}.{q.task_number}") is None:
        return q
    section = f"{part}.{q.task_number}"
    return replace(q, task_number=None, section=section,
                   clauses=tuple(replace(c, task_number=None, section=section) for c in q.clauses))


def _compose(q: Question, ctx: Context) -> tuple[Draft | None, Verdict]:
    """The first module that recognises the question and answers it in a way that passes the check;
    else the first failure, whose reason the refusal gives. A module that knows the documents cannot
    answer (a refusal) ends the search."""
    failed: tuple[Draft | None, Verdict] | None = None
    for module in REGISTRY:
        if not module.recognises(q, ctx):
            continue
        draft = module.answer(q, ctx)
        if draft is None:
            continue
        verdict = check(q, draft, ctx)
        if verdict.ok or draft.refusal:
            return draft, verdict
        failed = failed or (draft, verdict)
    return failed or (None, Verdict(False, "empty"))


__all__ = ["Composer", "EXAMPLE_QUESTIONS", "REGISTRY"]
