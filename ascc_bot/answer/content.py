"""Content: what the documents say about a topic, quoted verbatim from the best-matching sections.

The fallback of every other module. A question about a whole task or list ("gồm những gì") lists
the section; a short section reads whole; otherwise the best blocks are quoted with their headings.
A task's content answer ends with who carries the task out: officials ask that next.
"""

from __future__ import annotations

import re

from ..models import Citation
from ..retrieve import Hit, SectionHit
from ..sections import Document, Section
from ..text import syllables
from ..understand import Question, concept_units, find_agencies
from .base import (
    IMPLIED_PARTS,
    WHOLE_SECTION_CHARS,
    Context,
    Draft,
    dedupe,
    informative_title,
    section_lines,
    task_line,
)
from .unknowable import names_other_document

# the plan's own points, as a count names them ("mấy nội dung", "how many activities", "mấy việc")
_OWN_POINTS = re.compile(r"(noi dung|hoat dong|viec|cong viec|nhiem vu|muc tieu|giai phap|y|diem|activit|tasks?|goals?"
                         r"|solutions?|points?|items?)\b")


def counts_own_points(q: Question) -> bool:
    """A count of the plan's own points ("gồm mấy nội dung", "liệt kê hết mấy việc"), which the points a listed
    passage quotes answer; not the articles of a decision the plan cites ("Quyết định 161 gồm bao nhiêu điều")."""
    return q.focus.amount and bool(_OWN_POINTS.match(q.focus.unit)) and not names_other_document(q)


class Content:
    intent = "content"

    def recognises(self, q: Question, ctx: Context) -> bool:
        return True

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        return extractive(q, ctx)


CARRIED_SHARE = 0.1  # a concept of the last turn in at most this share of passages tells passages apart
COVERING_SHARE = 0.6  # how far below the best a passage holding every concept may rank and still be quoted


def extractive(q: Question, ctx: Context, intent: str = "content", part_hint: str | None = None) -> Draft | None:
    ranking = ctx.ranking(q, part_hint or IMPLIED_PARTS.get(intent))
    if not ranking.sections:
        return None
    top = _covering(q, ctx, ranking.sections)
    lists = {sid for t in ctx.facts.tasks for sid in (t.lead_section, t.coord_section) if sid}
    if not q.focus.agency and q.content_terms and top.section.section_id in lists - {q.section}:
        # a list of bodies ranks first by a name ("Sở Y tế" for "y tế"): the task's own words, when close behind
        words = [s for s in ranking.sections[1:3] if s.score >= 0.9 * top.score and s.section.section_id not in lists]
        top = words[0] if words else top
    if q.focus.agency:  # "Ai tổ chức …?": the clause that names the body, when it ranks nearly as well
        naming = [s for s in ranking.sections[:3] if s.score >= 0.9 * top.score
                  and (s.doc.doc_id, s.section.section_id) in ctx.sections_naming_bodies]
        top = naming[0] if naming else top
    if q.focus.destination and not _sends_to_body(top):
        # "vướng mắc thì phản ánh về đâu?": the passage that sends something to a body, when it ranks near
        sending = [s for s in ranking.sections[1:4] if s.score >= COVERING_SHARE * top.score and _sends_to_body(s)]
        top = sending[0] if sending else top
    if q.focus.amount and q.focus.unit == "%" and "%" not in top.section.text:
        # "what percentage of staff must be trained?": the passage that gives a share, when it ranks near
        shares = [s for s in ranking.sections[1:5] if s.score >= COVERING_SHARE * top.score and "%" in s.section.text]
        top = shares[0] if shares else top
    doc = top.doc
    named = ctx.explicit_task(q) is not None or ctx.context_task_section(q) is not None
    task = ctx.task_for(q) if named else ctx.facts.task(doc.doc_id, top.section.section_id)
    lines: list[str] = []
    cites: list[Citation] = []
    listed = False
    # about the whole task: it names the task with no other topic, or the task's heading/lead line ranks first
    # ("điểm 6.1.2", "khoản 6.2": a point of the task named by its number is that point only)
    whole_task = task is not None and q.section in (None, task.section_id) and (
        (named and not q.content_terms)
        or top.section.section_id in (task.section_id, task.lead_section, task.coord_section)
        or (q.focus.listing and _named_by_title(q, task)))
    named_part = ctx.document(doc.doc_id).section(q.part) if q.part else None
    if named_part is not None:  # "phần tổ chức thực hiện gồm những gì": the part's own name is no narrower topic
        heading = f" {' '.join(syllables(named_part.title))} "
        if any(f" {t} " not in heading for t in q.content_terms if not t.isdigit() and t != q.part.lower()):
            named_part = None
    inner = q.section or (task.section_id if named and task is not None else None)
    if named_part is not None and inner and inner.startswith(f"{q.part}."):
        named_part = None  # "mục II khoản 11", "nhiệm vụ 6 phần nội dung": that item of the part, not the whole part
    if named_part is not None:  # "Phần VI gồm những nội dung gì?": the part, listed
        sec_lines, sec_cites = section_lines(ctx, doc, named_part)
        lines += sec_lines
        cites += sec_cites
        listed = True
    elif q.focus.listing or whole_task or (not top.section.blocks and doc.children(top.section.section_id)
                                          and not q.focus.agency):
        # a list asked, the whole task, or a heading with items under it ("III. KINH PHÍ THỰC HIỆN"): its items,
        # not the heading alone (a "who" question keeps the heading, which names the body: "Sở X tổ chức …, gồm:")
        list_doc, sec = _list_target(ctx, top, task if whole_task else None)
        sec_lines, sec_cites = section_lines(ctx, list_doc, sec)
        lines += sec_lines
        cites += sec_cites
        listed = True
    elif _reads_with_siblings(ctx, top):
        # an item that is one line ("1. Kinh phí … do ngân sách nhà nước đảm bảo") reads with its siblings
        list_doc, sec = _list_target(ctx, top, None)
        sec_lines, sec_cites = section_lines(ctx, list_doc, sec)
        lines += sec_lines
        cites += [c for c in sec_cites if c.section_id == top.section.section_id] + \
            [c for c in sec_cites if c.section_id != top.section.section_id]
        listed = True
    elif top.section.blocks and len(top.section.text) <= WHOLE_SECTION_CHARS:
        # a short section reads best whole: its bullets answer together
        sec_lines, _ = section_lines(ctx, doc, top.section)
        lines += sec_lines
        cites.append(ctx.cite(doc, top.section.section_id, top.hits[0].chunk.text))
    # the best passage, a second one of the same section when it is nearly as good (a section often
    # answers in two bullets), then the best of the sections close behind
    best = list(top.hits[:1]) + [h for h in top.hits[1:2] if h.score >= 0.9 * top.hits[0].score]
    kind = _kind_listed(q)
    if kind and best and _times_named(kind, best[0].chunk.text) < 2:
        # "phòng chống những bệnh gì?": the passage that names several of that kind ("bệnh xã hội, bệnh nhiễm
        # trùng, bệnh phát sinh …"), when it ranks close behind in the same section
        listing = [h for h in top.hits[1:4] if h.score >= COVERING_SHARE * top.hits[0].score
                   and _times_named(kind, h.chunk.text) >= 2]
        best = listing[:1] + [h for h in best if h not in listing[:1]][:1] if listing else best
    carried = _carried_concepts(q, ctx)
    if carried and best and not _mentions(best[0].chunk.text, carried):
        # "Người khuyết tật …?" then "Khám bệnh thì sao?": of the passages close behind, the one that also
        # speaks of what the conversation was about
        holding = [h for h in top.hits[1:4] if h.score >= COVERING_SHARE * top.hits[0].score
                   and _mentions(h.chunk.text, carried)]
        best = holding[:1] + [h for h in best if h not in holding[:1]][:1] if holding else best
    if best:  # "bình đẳng giới và quyền của trẻ em mồ côi": two topics, two bullets of one section
        best += _also_asked(q, best, top.hits)
    # a passage further down that holds every concept of the question is worth quoting too
    others = [h for s in ranking.sections[:6] if s is not top for h in s.hits[:1]
              if h.score >= 0.8 * top.score or (h.score >= COVERING_SHARE * top.score and _holds_all(q, h.chunk.text))]
    chosen = [h for h in best + others if not any(c.section_id == h.chunk.section_id for c in cites)]
    places = list(dict.fromkeys(h.chunk.section_id for h in chosen))[:1 if listed else 3]  # sections, not passages
    chosen = [h for h in chosen if h.chunk.section_id in places][:1 if listed else 4]
    for h in chosen:
        sec_doc = ctx.document(h.chunk.doc_id)
        sec = sec_doc.section(h.chunk.section_id)
        intro = ""
        if h.chunk.block >= 0:  # a bullet: say what it sits under
            title = informative_title(sec)
            intro = f"{title} " if title else f"({sec_doc.context(sec.section_id)}) "
        lines.append(f"{ctx.where(sec_doc, sec.section_id)}: {intro}«{h.chunk.text}»")
        if not any(c.doc_id == sec_doc.doc_id and c.section_id == sec.section_id for c in cites):
            cites.append(ctx.cite(sec_doc, sec.section_id, h.chunk.text))  # one citation a section
    if task is not None and task.lead_section and all(c.section_id != task.lead_section for c in cites):
        tdoc = ctx.document(task.doc_id)
        lines.append(task_line(ctx, task, "lead", q.lang))
        cites.insert(min(1, len(cites)), ctx.cite(tdoc, task.lead_section, task.lead_quote))
    counted = listed and counts_own_points(q)
    if counted:  # "liệt kê hết mấy việc trong phần …": the points of the list quoted, counted
        n = sum(line.startswith("- ") for line in lines)
        lines.insert(0, f"{n} points:" if q.lang == "en" else f"Có {n} ý:")
    lead = "According to the plan:" if q.lang == "en" else "Theo kế hoạch:"
    if ctx.several_documents:
        lead = "According to the documents:" if q.lang == "en" else f"Theo {doc.meta.short_title}:"
    confidence = min(0.85, 0.4 + top.hits[0].dense / 2) if top.hits else 0.5
    return Draft(intent, (lead, *lines), tuple(dedupe(cites)), confidence, task=task, counted=counted,
                 agencies=_duty_agency(ctx, top) or (_bodies_named(ctx, cites[0].quote) if q.focus.agency else
                                                     _body_sent_to(ctx, cites[0].quote) if q.focus.destination else ()))


CLOSE_BEHIND = 10  # how many sections down a passage that covers the question may be found


def _covering(q: Question, ctx: Context, sections: tuple[SectionHit, ...]) -> SectionHit:
    """The best-ranked section, or, when quoting it would not pass the concept check, the first one close behind
    that holds every concept of the question: "Thành phố có kế hoạch gì cho người cao tuổi?" is about "người cao
    tuổi", which the sections that say "thành phố" and "kế hoạch" most often never mention."""
    from .check import place_covers  # the check reads the modules that read this one

    top = sections[0]
    # a Vietnamese question about a topic only: a date, a figure or a body asked is checked on the best passage, and
    # an English one's concepts are what the glossary renders of it
    if q.lang != "vi" or not q.content_terms or q.focus.agency or q.focus.time or q.focus.amount \
            or q.part or q.section or q.task_number or ctx.context_task_section(q) \
            or place_covers(q, ctx, top.doc.doc_id, top.section.section_id):
        return top
    for s in sections[1:CLOSE_BEHIND]:
        if s.score < COVERING_SHARE * top.score:
            break
        if place_covers(q, ctx, s.doc.doc_id, s.section.section_id, whole=True):
            return s
    return top


def _carried_concepts(q: Question, ctx: Context) -> tuple[str, ...]:
    """What the last turn was about, for a follow-up that changes the matter ("… thì sao?", "còn …"), when
    the follow-up does not name it again."""
    s = ctx.session
    if not q.follow_up or s is None or not s.topic or not q.content_terms:
        return ()
    lex = ctx.snap.lexicon
    said = concept_units(" ".join(syllables(s.topic)), lex)
    # its rarer concepts: "người", "thành phố" are in a fifth of the plan's passages and tell none apart
    return tuple(t for t in said if t not in q.content_terms and 0 < lex.frequency(t) <= CARRIED_SHARE * lex.blocks)


def _mentions(text: str, concepts: tuple[str, ...]) -> bool:
    said = f" {' '.join(syllables(text))} "
    return any(f" {t} " in said for t in concepts)


# "những bệnh gì", "các chương trình nào", "mấy loại hình nào": the kind of thing a question asks to be listed
_KIND_LISTED = re.compile(r"\b(?:nhung|cac|may) (\w+(?: \w+)?) (?:gi|nao)\b")


def _kind_listed(q: Question) -> str:
    m = _KIND_LISTED.search(q.cues) if q.lang == "vi" and not q.focus.agency else None
    return m.group(1) if m else ""


def _times_named(kind: str, text: str) -> int:
    return f" {' '.join(syllables(text))} ".count(f" {kind} ")


# something sent, reported or raised to a body: "gửi báo cáo … về Sở …", "phản ánh về Sở …", "báo cáo Ủy ban …"
_SENDS_TO_BODY = re.compile(r"\b(gửi|phản ánh|báo cáo|nộp|chuyển|trình)\b[^.;:]{0,80}?\b(về|cho|tới|đến|lên)?\s*"
                            r"(Sở|Ủy ban|Bộ|Ban|Hội đồng|Thành ủy)\b")


def _also_asked(q: Question, best: list[Hit], hits: tuple[Hit, ...]) -> list[Hit]:
    """The passage of the same section that holds the most concepts of the question no chosen passage holds,
    when one holds any: a question joining two topics is answered by two bullets."""
    quoted = f" {' '.join(syllables(' '.join(h.chunk.text for h in best)))} "
    lacking = [t for t in q.content_terms if f" {t} " not in quoted and not t.isdigit()]
    if not lacking:
        return []
    held = [(sum(f" {t} " in f" {' '.join(syllables(h.chunk.text))} " for t in lacking), -i, h)
            for i, h in enumerate(hits) if h not in best]
    held = [x for x in held if x[0]]
    return [max(held, key=lambda x: x[:2])[2]] if held else []


def _sends_to_body(s: SectionHit) -> bool:
    return any(_SENDS_TO_BODY.search(h.chunk.text) for h in s.hits[:2])


def _every_concept_in(q: Question, text: str) -> bool:
    folded = f" {' '.join(syllables(text))} "
    return bool(q.content_terms) and all(f" {t} " in folded for t in q.content_terms)


def _holds_all(q: Question, text: str) -> bool:
    return len(q.content_terms) >= 2 and _every_concept_in(q, text)


def _named_by_title(q: Question, task) -> bool:
    """"Nhiệm vụ về ứng dụng KHCN trong sản xuất công nghiệp, nông nghiệp có những nội dung gì?": every
    concept of the question is in the task's own title, so the question names the whole task."""
    return _every_concept_in(q, task.title)


def _list_target(ctx: Context, top: SectionHit, whole_task) -> tuple[Document, Section]:
    """A question about a whole task lists its content section, not its lead line."""
    doc, sec = top.doc, top.section
    if whole_task is not None and whole_task.content_section:
        task_doc = ctx.document(whole_task.doc_id)
        return task_doc, task_doc.section(whole_task.content_section)
    task = ctx.facts.task(doc.doc_id, sec.section_id)
    parent = doc.section(sec.parent_id) if sec.parent_id else None
    if not sec.blocks and not doc.children(sec.section_id) and parent is not None and task is None \
            and len(parent.text) + sum(len(k.text) for k in doc.children(parent.section_id)) <= WHOLE_SECTION_CHARS:
        return doc, parent  # "những nguồn nào": the answer is the short list of sibling items
    return doc, sec


def _reads_with_siblings(ctx: Context, top: SectionHit) -> bool:
    sec, doc = top.section, top.doc
    if sec.blocks or doc.children(sec.section_id) or not sec.parent_id or ctx.facts.task(doc.doc_id, sec.section_id):
        return False
    _, target = _list_target(ctx, top, None)
    return target.section_id != sec.section_id


def _bodies_named(ctx: Context, quote: str) -> tuple[str, ...]:
    """The bodies a quote names ("… gửi Sở Tài chính tổng hợp"): who "cơ quan đó" means next."""
    return tuple(find_agencies(quote, ctx.facts))[:1]


def _body_sent_to(ctx: Context, quote: str) -> tuple[str, ...]:
    """The body a quote sends something to ("… phản ánh về Sở Lao động Thương binh và Xã hội …"): who "sở đó"
    means after "báo về đâu?"."""
    m = _SENDS_TO_BODY.search(quote)
    return tuple(find_agencies(quote[m.start(3):], ctx.facts))[:1] if m else ()


def _duty_agency(ctx: Context, top: SectionHit) -> tuple[str, ...]:
    """A section that is one body's duties ("Sở Tài chính: …") is about that body."""
    return tuple(d.agency for d in ctx.facts.duties
                 if d.doc_id == top.doc.doc_id and d.section_id == top.section.section_id)[:1]
