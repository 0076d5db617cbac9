"""What every answer module shares: the context of one question, the draft it returns, and the
helpers that quote and cite the documents' own words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from ..facts import Task
from ..models import Citation
from ..retrieve import Query, Ranking, named_documents, task_of_ranking
from ..sections import Document, Section, section_label
from ..sessions import SessionState
from ..text import syllables
from ..understand import Question, everyday_wording, gloss_alternatives, named_for

if TYPE_CHECKING:
    from ..engine import Snapshot

# Parts an answer type implies when the question does not name one (funding questions → part III).
IMPLIED_PARTS = {"funding": "III", "scope": "IV", "solution": "V", "organization": "VI", "goal": "I"}
WHOLE_SECTION_CHARS = 1500
_GENERIC_TITLE = re.compile(r"^(Nội dung thực hiện|Thời gian thực hiện|Mục tiêu cụ thể|Mục tiêu chung)\s*:?$")

# the task itself pointed back to ("nhiệm vụ ấy", "that task"), not "that one" after a topic of its own
# "cộng đồng gắn kết", "cộng đồng tự lực": the kind of community (two syllables) a task of the plan builds
_COMMUNITY_KIND = re.compile(r"\bcong dong ((?!van\b|asean\b)\w+ \w+)")
# a question that names the document itself ("kế hoạch", "văn bản", "the plan", "this document")
PLAN_WORDS = re.compile(r"\b(ke hoach|van ban|plan|document)\b")
_THAT_TASK = re.compile(r"\bnhiem vu (do|ay|nay)\b|\b(that|this|the same) task\b")
# "What about the environment task, what does it cover?", "thế còn nhiệm vụ du lịch?": a turn that moves to
# the topic it names ("it" is then that topic)
_WHAT_ABOUT = re.compile(r"^(and |but |so |ok,? )?(what|how) about\b|^(the|vay) con\b|^con (ve|nhiem vu|viec|mang)\b")


@dataclass(frozen=True)
class Draft:
    """One module's answer before the answerability check."""

    intent: str
    lines: tuple[str, ...]
    citations: tuple[Citation, ...]
    confidence: float = 0.8
    task: Task | None = None  # the task it is about, for follow-ups
    agencies: tuple[str, ...] = ()  # the bodies it is about, for "sở đó"
    refusal: str = ""  # set by a module that knows the documents do not say this: why, in a phrase
    counted: bool = False  # it answers a "how many" with a count of its own
    about_document: bool = False  # it answers about the document itself (its parts, recipients, issuer)
    about_bot: bool = False  # it answers about the bot itself (a greeting, what to ask): nothing to cite
    # it answers "no" to a premise the question states ("Kế hoạch triển khai Quyết định 116 phải không?"): a name
    # or number the documents lack is the premise it corrects, not a gap in what it quotes
    corrects: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class Answerer(Protocol):
    """One answer type: what it recognises and how it answers (None: let the next module try)."""

    intent: str

    def recognises(self, q: Question, ctx: Context) -> bool: ...

    def answer(self, q: Question, ctx: Context) -> Draft | None: ...


@dataclass
class Context:
    """One question's view of the documents: ranking, tasks, citations."""

    snap: Snapshot
    q: Question
    session: SessionState | None
    public_url: str = ""
    clause_task: Task | None = None  # the task an earlier clause of the same question answered about
    _rankings: dict[str, Ranking] = field(default_factory=dict)
    # (doc_id, section_id) -> the folded text a citation of it stands on (check.py): the documents' own, so shared
    # by every clause of the question
    anchors_read: dict[tuple[str, str], tuple[tuple[str, str], str] | None] = field(default_factory=dict)

    # ------------------------------------------------------------ documents

    @cached_property
    def documents(self) -> dict[str, Document]:
        return {d.doc_id: d for d in self.snap.documents}

    @cached_property
    def section_order(self) -> dict[tuple[str, str], int]:
        """(doc_id, section_id) -> position in the corpus, documents in order."""
        keys = [(d.doc_id, s.section_id) for d in self.snap.documents for s in d.sections]
        return {k: i for i, k in enumerate(keys)}

    @cached_property
    def sections_naming_bodies(self) -> frozenset[tuple[str, str]]:
        """(doc_id, section_id) of every section whose text names a body of the gazetteer."""
        return frozenset(ds for places in self.facts.mentions.values() for ds in places)

    @property
    def facts(self):
        return self.snap.facts

    @property
    def several_documents(self) -> bool:
        return len(self.snap.documents) > 1

    def title(self) -> str:
        docs = self.snap.documents
        return docs[0].meta.title if len(docs) == 1 else "các văn bản đã nạp"

    # ------------------------------------------------------------ ranking

    def ranking(self, q: Question | None = None, part_hint: str | None = None, bodies: bool = True) -> Ranking:
        """The ranked sections for a question (or clause), cached per wording. ``bodies=False`` ranks
        without the bodies it names: "Việc X có giao cho Sở A không?" is about X, wherever Sở A works."""
        q = q or self.q
        if not bodies and q.agencies and q.topic_without_bodies:
            q = replace(q, text=q.topic_without_bodies, topic=q.topic_without_bodies,
                        folded=" ".join(syllables(q.topic_without_bodies)), agencies=())
        context_task = self.context_task_section(q)
        key = f"{q.text}|{q.topic}|{q.task_number}|{q.part}|{q.section}|{part_hint}|{context_task}"
        if key not in self._rankings:
            parts: dict[str, float] = {}
            if q.part:
                parts[q.part] = 1.5
            elif part_hint:
                parts[part_hint] = 1.25
            task = self.explicit_task(q) or (None if context_task else self.community_task(q))
            text = q.topic or q.text
            if not q.has_topic and self.session and self.session.topic:
                text = f"{text} {self.session.topic}"
            lexical = q.folded if q.topic else text
            if q.lang == "en" and q.content_terms:
                # an English question's gloss is a bag of words: its concepts and the bodies it names, not
                # its question and role words ("who leads" glossed as "chủ trì" would match the wrong passage)
                names = " ".join(" ".join(syllables(a)) for a in q.agencies)
                concepts = " ".join(q.content_terms)
                alternatives = gloss_alternatives(q.original)
                others = " ".join(o for t in q.content_terms for o in alternatives.get(t, ()))
                lexical = f"{concepts} {everyday_wording(concepts)} {others} {names}"
            query = Query(text=text, lexical=lexical,
                          task_section=task.section_id if task else context_task,
                          parts=parts, years=q.years, section=q.section,
                          documents=named_documents(q.folded, list(self.snap.documents)))
            self._rankings[key] = self.snap.retriever.rank(query, self.documents)
        return self._rankings[key]

    def explicit_task(self, q: Question) -> Task | None:
        """The task a question names by number ("nhiệm vụ 6", "task 6"). A clause that borrows its topic from the
        clause before takes the task that clause settled on, not a number it corrected ("X là nhiệm vụ 3 đúng
        không, sở nào thực hiện?" when X is task 2)."""
        if not q.task_number:
            return None
        if q.borrowed_topic and self.clause_task is not None:
            return self.clause_task
        number = q.task_number.split(".")[0]
        return next((t for t in self.facts.tasks if t.number == number), None)

    def community_task(self, q: Question) -> Task | None:
        """The task a question names by the kind of community its title builds ("nhiệm vụ xây dựng cộng đồng gắn
        kết"), when that kind is in one task's title only."""
        if q.lang != "vi":
            return None
        m = _COMMUNITY_KIND.search(q.folded)
        if not m:
            return None
        named = [t for t in self.facts.tasks if f" cong dong {m.group(1)} " in f" {' '.join(syllables(t.title))} "]
        return named[0] if len(named) == 1 else None

    def context_task_section(self, q: Question) -> str | None:
        """The last turn's task, when this question refers back to it or names no topic of its own."""
        if q.borrowed_topic and self.clause_task is not None:  # "… là việc gì, có ai phối hợp thêm không?"
            return self.clause_task.section_id
        if self.session is None:
            return None
        if not self.session.task_section:
            # "What does the plan say about training officials …?" (part V, then II.9.1) — "Who organises that?":
            # a body is asked for what was just quoted, so the first task among the passages it cited
            if q.focus.agency and (not q.has_topic or (q.refers_to_task and not q.content_terms)):
                return next((t.section_id for sid in self.session.sections
                             if (t := self.facts.task(self.session.doc_id, sid)) is not None), None)
            return None
        # "nhiệm vụ đó …" refers back, unless the question names its own topic ("the health care task — who
        # implements that one?")
        that_task = bool(_THAT_TASK.search(q.cues))
        if q.content_terms and _WHAT_ABOUT.search(q.cues) and not that_task:
            return None
        if not q.has_topic or (q.refers_to_task and len(q.content_terms) <= 1):
            return self.session.task_section
        if that_task:  # "nhiệm vụ ấy có ưu tiên người nghèo không?": a topic inside it
            return self.session.task_section
        return None

    def task_for(self, q: Question, bodies: bool = True) -> Task | None:
        """The task a question is about: named, referred back to, or found by retrieval."""
        task = self.explicit_task(q)
        if task is not None:
            return task
        if q.borrowed_topic and self.clause_task is not None:
            return self.clause_task
        sid = self.context_task_section(q)
        if sid is not None:
            doc_id = self.session.doc_id if self.session else None
            found = next((t for t in self.facts.tasks
                          if t.section_id == sid and (doc_id is None or t.doc_id == doc_id)), None)
            if found is not None:
                return found
        return task_of_ranking(self.ranking(q, bodies=bodies), self.facts)

    # ------------------------------------------------------------ citations

    def cite(self, doc: Document, section_id: str, quote: str) -> Citation:
        label = section_label(section_id)
        url = f"{self.public_url}/doc/{doc.doc_id}#{section_id}"
        return Citation(doc.doc_id, section_id, f"{doc.meta.short_title}, {label}", label, quote, url)

    def where(self, doc: Document, section_id: str) -> str:
        """"Khoản 2 Điều 3 Quyết định 999/QĐ-UBND"; with one document loaded, the label alone."""
        label = section_label(section_id)
        return f"{label} {doc.meta.short_title}" if self.several_documents else label

    def document(self, doc_id: str) -> Document:
        return self.documents[doc_id]


# ---------------------------------------------------------------- quoting helpers


def informative_title(sec: Section) -> str:
    """A section's own title unless it is a bare label such as "Nội dung thực hiện:"."""
    return sec.title if sec.title and not _GENERIC_TITLE.match(sec.title) else ""


def first_quote(doc: Document, sec: Section | None) -> str:
    if sec is None:
        return ""
    if sec.blocks:
        return sec.blocks[0].text
    kids = doc.children(sec.section_id)
    return kids[0].title if kids else sec.title


def sentence_naming(sec: Section, name: str) -> str:
    for text in [sec.title, *(b.text for b in sec.blocks)]:
        if name in text:
            return text
    return sec.text


def dedupe(cites: list[Citation]) -> list[Citation]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in cites:
        key = (c.doc_id, c.section_id, c.quote)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def listing_head(ctx: Context, doc: Document, sec: Section) -> str:
    """"Mục II, điểm 6.1.2 (Nâng cao hiệu quả chăm sóc sức khỏe nhân dân:):" above a listed section."""
    title = informative_title(sec) or doc.context(sec.section_id)
    label = ctx.where(doc, sec.section_id)
    return f"{label} ({title}):" if title else f"{label}:"


def section_lines(ctx: Context, doc: Document, sec: Section) -> tuple[list[str], list[Citation]]:
    """A whole section as the document writes it: its bullets, or its sub-sections' titles with their own
    bullets, whole (the chat doors split a long reply at line boundaries)."""
    lines = [listing_head(ctx, doc, sec)]
    cites: list[Citation] = []
    kids = doc.children(sec.section_id)
    if sec.blocks:
        lines += [f"- {b.text}" for b in sec.blocks]
        cites.append(ctx.cite(doc, sec.section_id, sec.blocks[0].text))
    for kid in kids:
        lines.append(f"- {kid.title}")
        cites.append(ctx.cite(doc, kid.section_id, kid.title))
        if not doc.children(kid.section_id):
            lines += [f"  + {b.text}" for b in kid.blocks]
    if not sec.blocks and not kids:
        lines.append(sec.title)
        cites.append(ctx.cite(doc, sec.section_id, sec.title))
    return lines, cites


def sections_cited_before(snap: Snapshot, session: SessionState,
                          section_ids: tuple[str, ...] | None = None) -> list[Section]:
    """The sections the last answer cited (or those of ``section_ids`` among them), in the document of its
    task when it had one."""
    ids = session.sections if section_ids is None else section_ids
    return [sec for doc in snap.documents for sid in ids
            if (sec := doc.section(sid)) is not None and session.doc_id in (None, doc.doc_id)]


def task_line(ctx: Context, task: Task, role: str, lang: str) -> str:
    names = task.leads if role == "lead" else task.coordinators
    sid = task.lead_section if role == "lead" else task.coord_section
    label = section_label(sid or task.section_id)
    said = _own_words(ctx, task, sid, names)
    if lang == "en":
        what = "Lead agencies" if role == "lead" else "Coordinating agencies"
        shown = "; ".join(named_for(n, lang) for n in names)
        return f"{what} for task {task.number} ({task.title}): {shown} ({label})" + (
            f"; the plan's words: «{said}»" if said else ".")
    what = "Cơ quan thực hiện" if role == "lead" else "Cơ quan phối hợp"
    return f"{what} nhiệm vụ {task.number} ({task.title}): {'; '.join(names)} ({label})" + (
        f"; kế hoạch ghi: «{said}»" if said else ".")


def _own_words(ctx: Context, task: Task, sid: str | None, names: tuple[str, ...]) -> str:
    """The line that names a task's bodies, as the plan writes it, where the names as listed are not in it word
    for word: "Các sở: Khoa học và Công nghệ; Nội vụ, Y tế, …" lists "Sở Nội vụ" without its "Sở"."""
    doc = ctx.document(task.doc_id)
    sec = doc.section(sid) if doc is not None and sid else None
    if sec is None:
        return ""
    # the names stand in the heading ("Cơ quan thực hiện: Các sở: …") or in the passage under it
    text = " ".join(b.text for b in sec.blocks) or re.sub(r"^[^:]{0,40}:\s*", "", sec.title)
    return "" if not text or all(n in text for n in names) else text


def acting_agency(q: Question, ctx: Context) -> tuple[str, ...]:
    """The bodies a question is about: named, or referred back to ("sở đó", "cơ quan này")."""
    if q.agencies:
        return q.agencies
    session = ctx.session
    if session is not None and session.agencies and (
            q.refers_to_agency or (not q.has_topic and session.intent == "agency_tasks")):
        return session.agencies
    return ()
