"""Composing answers from the documents' own words.

Structured answers come from extracted facts (leads, coordinators, duties,
deadlines); everything else is extractive: the best-matching blocks, quoted
verbatim, each with its section. When the documents do not answer, we say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .facts import Task, agency_key
from .models import Answer, Citation
from .retrieve import Hit
from .sections import Document, Section, section_label
from .sessions import SessionState
from .text import syllables
from .understand import Question

if TYPE_CHECKING:
    from .engine import Snapshot

# Calibrated on the whole dev set (benchmarks/oos_calibration.py), never on particular strings.
MIN_SUPPORT = 0.87
MIN_DENSE_EN = 0.848
WHOLE_SECTION_CHARS = 1500

_LIST_CUE = re.compile(r"\b(nhung (gi|noi dung|hoat dong|viec|muc tieu|nhiem vu)|nhung \w+ nao|gom|bao gom|"
                       r"noi dung (chinh|gi)|cac (noi dung|hoat dong|muc tieu)|include|activities)\b")
_REPORT_CUE = re.compile(r"\bbao cao\b|\breport")
_GENERIC_TITLE = re.compile(r"^(Nội dung thực hiện|Thời gian thực hiện|Mục tiêu cụ thể|Mục tiêu chung)\s*:?$")
_INTENT_PART = {"goal": "I", "funding": "III", "scope": "IV", "solution": "V", "organization": "VI"}

REFUSAL_VI = ("Xin lỗi, các văn bản hiện có không có thông tin để trả lời câu hỏi này, nên tôi không đoán. "
              "Tôi trả lời được về {title}: cơ quan thực hiện hoặc phối hợp từng nhiệm vụ, nhiệm vụ của "
              "từng sở, thời hạn báo cáo và các mốc thời gian, mục tiêu, kinh phí, phạm vi, giải pháp và "
              "tổ chức thực hiện. Ví dụ: \"Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?\"")
REFUSAL_EN = ("Sorry, the documents I hold do not answer this question, and I do not guess. I can answer "
              "about {title}: who carries out or coordinates each task, what each department must do, report "
              "deadlines and milestones, goals, funding, scope, solutions and organisation. For example: "
              "\"Which department leads the health care task?\"")
# One list of example questions for every door (greeting, Telegram /help, Zalo).
EXAMPLE_QUESTIONS = (
    "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?",
    "còn cơ quan phối hợp thì sao?",
    "Hạn gửi báo cáo là khi nào?",
    "Sở Y tế phải làm gì trong kế hoạch?",
    "Kinh phí thực hiện kế hoạch lấy từ đâu?",
)
HELP_VI = ("Xin chào! Tôi là trợ lý hỏi đáp về {title}. Tôi trả lời bằng chính lời văn của văn bản và luôn "
           "ghi rõ mục trích dẫn. Bạn có thể hỏi:\n" + "\n".join(f"- {q}" for q in EXAMPLE_QUESTIONS))
HELP_EN = ("Hello! I answer questions about {title}, quoting the document and citing each section. Try:\n"
           "- Which department leads task 6?\n- When is the annual report due, and to whom?\n"
           "- What must the Department of Health do under the plan?")


@dataclass(frozen=True)
class SectionHit:
    doc: Document
    section: Section
    score: float
    hits: tuple[Hit, ...]


class Composer:
    def __init__(self, snap: Snapshot, public_url: str = "") -> None:
        self.snap = snap
        self.public_url = public_url

    # ------------------------------------------------------------ retrieval helpers

    def hits_for_text(self, text: str, boosts: dict[str, float] | None = None, extra: str = "") -> list[Hit]:
        return self.snap.retriever.search(text, boosts=boosts, extra_terms=extra, k=40)

    def rank_sections(self, hits: list[Hit]) -> list[SectionHit]:
        groups: dict[tuple[str, str], list[Hit]] = {}
        for h in hits:
            groups.setdefault((h.chunk.doc_id, h.chunk.section_id), []).append(h)
        out = []
        for (doc_id, sid), hs in groups.items():
            doc = self.snap.document(doc_id)
            sec = doc.section(sid) if doc else None
            if sec is not None:
                out.append(SectionHit(doc, sec, max(h.score for h in hs), tuple(hs)))
        return sorted(out, key=lambda s: -s.score)

    # ------------------------------------------------------------ citations

    def cite(self, doc: Document, section_id: str, quote: str) -> Citation:
        label = section_label(section_id)
        url = f"{self.public_url}/doc/{doc.doc_id}#{section_id}"
        return Citation(doc.doc_id, section_id, f"{doc.meta.short_title}, {label}", label, quote, url)

    def where(self, doc: Document, section_id: str) -> str:
        """"Khoản 2 Điều 3 Quyết định 999/QĐ-UBND"; with one document loaded, the label alone."""
        label = section_label(section_id)
        return label if len(self.snap.documents) == 1 else f"{label} {doc.meta.short_title}"

    def named_documents(self, q: Question) -> set[str]:
        """Documents the question names by number: "Quyết định 999/QĐ-UBND", "quyết định 999"."""
        named = set()
        for doc in self.snap.documents:
            number = " ".join(syllables(doc.meta.number))
            digits = number.split(" ")[0] if number else ""
            kind = " ".join(syllables(doc.meta.kind))
            if number and (re.search(rf"\b{number}\b", q.folded) or
                           (kind and re.search(rf"\b{kind} (so )?{digits}\b", q.folded))):
                named.add(doc.doc_id)
        return named

    def _title(self) -> str:
        docs = self.snap.documents
        return docs[0].meta.title if len(docs) == 1 else "các văn bản đã nạp"

    # ------------------------------------------------------------ entry point

    def answer(self, q: Question, session: SessionState | None) -> tuple[Answer, SessionState]:
        if q.intent in ("greeting", "help"):
            text = (HELP_EN if q.lang == "en" else HELP_VI).format(title=self._title())
            return Answer(text, True, q.intent, (), 1.0, lang=q.lang), session or SessionState()
        follow = session is not None and q.follow_up and not q.agencies
        boosts: dict[str, float] = {}
        task = self._explicit_task(q)
        if follow and task is None and session.task_section:
            task = self._task_by_section(session.task_section)
        if task is not None:
            boosts[task.section_id] = 1.6
        part = q.part or _INTENT_PART.get(q.intent)
        if part:
            boosts[part] = boosts.get(part, 1.0) * (1.5 if q.part else 1.25)
        years = re.findall(r"\b(?:19|20)\d{2}\b", q.text)
        hits = self.hits_for_text(q.text, boosts, extra=" ".join(years))
        if years:
            hits = sorted(hits, key=lambda h: -h.score * (1.3 if any(y in h.chunk.text for y in years) else 1.0))
        ranked = self.rank_sections(hits)
        named = self.named_documents(q)
        ranked = [s for s in ranked if s.doc.doc_id in named] or ranked
        intent = q.intent
        if follow and intent in ("search", "content") and session.intent and not q.task_number:
            intent = session.intent
        if follow and not q.agencies and session.agencies and intent == "agency_tasks":
            q = replace(q, agencies=session.agencies)

        if q.unknown_agency and intent in ("agency_tasks", "lead", "coordinate", "search", "content"):
            doc_names = ", ".join(d.meta.short_title for d in self.snap.documents)
            text = (f"Các văn bản hiện có ({doc_names}) không nêu tên {q.unknown_agency}, nên tôi không thể nói "
                    f"cơ quan này được giao gì. Bạn có thể hỏi nhiệm vụ chung của các sở, ban, ngành, ví dụ: "
                    f"\"Các sở, ban, ngành phải làm gì trong kế hoạch?\"")
            return Answer(text, False, "out_of_scope", (), 0.8, lang=q.lang), session or SessionState()
        if not follow and self._out_of_scope(q, hits):
            text = (REFUSAL_EN if q.lang == "en" else REFUSAL_VI).format(title=self._title())
            return (Answer(text, False, "out_of_scope", (), _oos_confidence(q, hits), lang=q.lang),
                    session or SessionState())

        result = None
        if intent == "agency_tasks" and q.agencies:
            result = self._agency_tasks(q)
        elif intent in ("lead", "coordinate"):
            result = self._lead_or_coord(q, intent, task, ranked)
        elif intent == "deadline":
            if _REPORT_CUE.search(q.folded):
                result = self._report_deadline(q, named)
            result = result or self._milestones(q, years, hits)
        elif intent == "reference":
            result = self._reference(q, ranked)
        elif intent == "overview":
            result = self._overview(q, ranked)
        if result is None:
            result = self._extractive(q, intent, task, ranked)
        text, citations, confidence, task_section = result
        state = SessionState(task_section=task_section, agencies=q.agencies or (session.agencies if session else ()),
                             intent=intent, sections=tuple(c.section_id for c in citations),
                             turns=(session.turns + 1) if session else 1)
        return Answer(text, True, intent, tuple(citations), round(confidence, 3), lang=q.lang), state

    # ------------------------------------------------------------ scope

    def _out_of_scope(self, q: Question, hits: list[Hit]) -> bool:
        if q.other_place or q.now_words:
            return True
        if q.lang == "vi" or self.snap.retriever.mode == "bm25":
            return q.support < MIN_SUPPORT
        # an English question's words are not the corpus's: the dense similarity decides
        return max((h.dense for h in hits), default=0.0) < MIN_DENSE_EN

    # ------------------------------------------------------------ tasks

    def _explicit_task(self, q: Question) -> Task | None:
        if not q.task_number:
            return None
        number = q.task_number.split(".")[0]
        return next((t for t in self.snap.facts.tasks if t.number == number), None)

    def _task_by_section(self, section_id: str) -> Task | None:
        return next((t for t in self.snap.facts.tasks if t.section_id == section_id), None)

    def _lead_or_coord(self, q: Question, intent: str, task: Task | None,
                       ranked: list[SectionHit]) -> tuple[str, list[Citation], float, str | None]:
        top = ranked[0] if ranked else None
        if task is None and top is not None:
            task = self.snap.facts.task(top.doc.doc_id, top.section.section_id)
        if task is None or (intent == "coordinate" and not task.coord_section):
            return self._extractive(q, intent, None, ranked)
        doc = self.snap.document(task.doc_id)
        lead_line = self._task_line(q, task, "lead")
        coord_line = self._task_line(q, task, "coordinate") if task.coord_section else ""
        cites = []
        if intent == "lead":
            text = lead_line + (f"\n{coord_line}" if coord_line else "")
            cites.append(self.cite(doc, task.lead_section, task.lead_quote))
            if task.coord_section:
                cites.append(self.cite(doc, task.coord_section, task.coord_quote))
        else:
            text = coord_line + f"\n{lead_line}"
            cites.append(self.cite(doc, task.coord_section, task.coord_quote))
            cites.append(self.cite(doc, task.lead_section, task.lead_quote))
        if task.content_section:
            content = doc.section(task.content_section)
            cites.append(self.cite(doc, task.content_section, _first_quote(doc, content)))
        return text, cites, 0.9, task.section_id

    def _task_line(self, q: Question, task: Task, role: str) -> str:
        names = task.leads if role == "lead" else task.coordinators
        sid = task.lead_section if role == "lead" else task.coord_section
        label = section_label(sid)
        if q.lang == "en":
            what = "Lead agencies" if role == "lead" else "Coordinating agencies"
            return f"{what} for task {task.number} ({task.title}): {'; '.join(names)} ({label})."
        what = "Cơ quan thực hiện" if role == "lead" else "Cơ quan phối hợp"
        return f"{what} nhiệm vụ {task.number} ({task.title}): {'; '.join(names)} ({label})."

    # ------------------------------------------------------------ agencies

    def _agency_tasks(self, q: Question) -> tuple[str, list[Citation], float, str | None]:
        facts = self.snap.facts
        name = q.agencies[0]
        key = agency_key(name)
        lines: list[str] = []
        cites: list[Citation] = []
        covered: set[tuple[str, str]] = set()
        entries: list[tuple[int, str, Citation]] = []
        order = {(d.doc_id, s.section_id): i for d in self.snap.documents for i, s in enumerate(d.sections)}
        for t in facts.tasks:
            doc = self.snap.document(t.doc_id)
            for role, names, sid, quote in (("lead", t.leads, t.lead_section, t.lead_quote),
                                            ("coordinate", t.coordinators, t.coord_section, t.coord_quote)):
                if sid and any(agency_key(n) == key for n in names):
                    if q.lang == "en":
                        line = (f"{'Carries out' if role == 'lead' else 'Coordinates'} task {t.number} "
                                f"({t.title}) ({section_label(sid)}).")
                    else:
                        line = (f"Là cơ quan {'thực hiện' if role == 'lead' else 'phối hợp'} nhiệm vụ {t.number} "
                                f"({t.title}) ({section_label(sid)}).")
                    entries.append((order[(t.doc_id, sid)], line, self.cite(doc, sid, quote)))
                    covered.add((t.doc_id, sid))
        for d in facts.duties:
            if agency_key(d.agency) == key and (d.doc_id, d.section_id) not in covered:
                doc = self.snap.document(d.doc_id)
                sec = doc.section(d.section_id)
                entries.append((order[(d.doc_id, d.section_id)], f"{section_label(d.section_id)}: {sec.text}",
                                self.cite(doc, d.section_id, sec.text)))
                covered.add((d.doc_id, d.section_id))
        for doc_id, sid in facts.mentions.get(key, []):
            if (doc_id, sid) in covered:
                continue
            doc = self.snap.document(doc_id)
            sec = doc.section(sid)
            quote = _sentence_naming(sec, name)
            entries.append((order[(doc_id, sid)], f"{section_label(sid)}: {quote}", self.cite(doc, sid, quote)))
            covered.add((doc_id, sid))
        if q.part:  # "trong phần tổ chức thực hiện": keep that part when it names the body
            inside = [e for e in entries if e[2].section_id == q.part or e[2].section_id.startswith(q.part + ".")]
            if inside:
                entries = inside
        entries.sort(key=lambda e: e[0])
        if not entries:
            return self._extractive(q, "search", None, [])
        head = (f"What {name} must do under the plan:" if q.lang == "en"
                else f"Nhiệm vụ của {name} trong kế hoạch:")
        for _, line, cite in entries:
            lines.append(f"- {line}")
            cites.append(cite)
        return head + "\n" + "\n".join(lines), cites, 0.9, None

    # ------------------------------------------------------------ time

    def _report_deadline(self, q: Question, named: set[str]):
        facts = [t for t in self.snap.facts.times if t.kind == "report_deadline"]
        facts = [t for t in facts if t.doc_id in named] or facts
        if not facts:
            return None
        t = facts[0]
        doc = self.snap.document(t.doc_id)
        if q.lang == "en":
            text = (f"The yearly report is due {t.when}, sent to {t.recipient} "
                    f"({self.where(doc, t.section_id)}):\n«{t.quote}»")
        else:
            text = (f"Hạn gửi báo cáo: {t.when}, gửi về {t.recipient} ({self.where(doc, t.section_id)}).\n"
                    f"«{t.quote}»")
        return text, [self.cite(doc, t.section_id, t.quote)], 0.9, None

    # ------------------------------------------------------------ cited documents

    def _milestones(self, q: Question, years: list[str], hits: list[Hit]):
        """"Năm 2025 phải làm gì?": the timeline's milestone for that year, then what else the text
        says of that year."""
        found = [t for t in self.snap.facts.times if t.kind == "milestone" and t.when.split()[-1] in years]
        if not found:
            return None
        lines, cites = [], []
        for t in found:
            doc = self.snap.document(t.doc_id)
            lines.append(f"{t.when} ({self.where(doc, t.section_id)}): «{t.quote}»")
            cites.append(self.cite(doc, t.section_id, t.quote))
        shown = {(t.doc_id, t.section_id) for t in found}
        for h in hits:
            if len(lines) >= len(found) + 2:
                break
            key = (h.chunk.doc_id, h.chunk.section_id)
            if key in shown or not any(y in h.chunk.text for y in years):
                continue
            shown.add(key)
            doc = self.snap.document(h.chunk.doc_id)
            lines.append(f"{self.where(doc, h.chunk.section_id)}: «{h.chunk.text}»")
            cites.append(self.cite(doc, h.chunk.section_id, h.chunk.text))
        lead = "According to the timeline:" if q.lang == "en" else "Theo thời gian thực hiện:"
        return lead + "\n" + "\n".join(lines), cites, 0.85, None

    def _reference(self, q: Question, ranked: list[SectionHit]):
        """A document the corpus cites: what the citing text says of it, and a link to its
        full text when that is loaded, or the plain statement that it is not."""
        cited = [c for c in self.snap.facts.cited
                 if re.search(rf"\b{' '.join(syllables(c.number))}\b", q.folded)]
        if not cited and ranked:  # what the best section cites, else the basis its document's preamble cites
            top = ranked[0]
            cited = [c for c in self.snap.facts.cited
                     if c.doc_id == top.doc.doc_id and top.section.section_id in c.section_ids]
            cited = cited or [c for c in self.snap.facts.cited
                              if c.doc_id == top.doc.doc_id and "preamble" in c.section_ids]
        if not cited:
            return None
        c = cited[0]
        citing = self.snap.document(c.doc_id)
        order = {(s.doc.doc_id, s.section.section_id): i for i, s in enumerate(ranked)}
        sid = min(c.section_ids, key=lambda s: order.get((c.doc_id, s), len(order)))
        sec = citing.section(sid)
        quote = next((t for t in [sec.title, *(b.text for b in sec.blocks)] if c.number in t), c.quote)
        text = f"{self.where(citing, sid)} nêu {c.kind} số {c.number}:\n«{quote}»"
        cites = [self.cite(citing, sid, quote)]
        loaded = self.snap.document(c.loaded_doc_id) if c.loaded_doc_id else None
        if loaded is not None:
            pre = loaded.section("preamble")
            line = next((b.text for b in pre.blocks if c.number in b.text), loaded.meta.title) if pre else \
                loaded.meta.title
            text += f"\nToàn văn có trong hệ thống: {loaded.meta.short_title} — {loaded.meta.title}."
            cites.append(self.cite(loaded, "preamble", line))
        else:
            text += f"\nToàn văn {c.kind} số {c.number} chưa được nạp vào hệ thống."
        return text, cites, 0.85, None

    # ------------------------------------------------------------ overview

    def _overview(self, q: Question, ranked: list[SectionHit]):
        doc = ranked[0].doc if ranked else self.snap.documents[0]
        meta = doc.meta
        pre = doc.section("preamble")
        lines = [b.text for b in pre.blocks] if pre else []
        quote = next((t for t in lines if meta.implements and meta.implements in t), lines[0] if lines else meta.title)
        if q.lang == "en":
            text = (f"{meta.title} — issued by {meta.issuer}; it implements {meta.implements} "
                    f"({section_label('preamble')}).\n«{quote}»")
        else:
            text = (f"{meta.title}. Cơ quan ban hành: {meta.issuer}. Văn bản được triển khai: "
                    f"{meta.implements} ({section_label('preamble')}).\n«{quote}»")
        cites = [self.cite(doc, "preamble", quote)]
        issuer_line = next((t for t in lines if meta.issuer and meta.issuer in t and t != quote), None)
        if issuer_line:
            text += f"\n«{issuer_line}»"
            cites.append(self.cite(doc, "preamble", issuer_line))
        return text, cites, 0.85, None

    # ------------------------------------------------------------ extractive

    def _extractive(self, q: Question, intent: str, task: Task | None, ranked: list[SectionHit]):
        if not ranked:
            text = (REFUSAL_EN if q.lang == "en" else REFUSAL_VI).format(title=self._title())
            return text, [], 0.2, None
        top = ranked[0]
        doc = top.doc
        list_mode = bool(_LIST_CUE.search(q.folded))
        parts: list[str] = []
        cites: list[Citation] = []
        if list_mode:
            sec = self._list_target(top)
            kids = doc.children(sec.section_id)
            parts.append(self._listing_head(doc, sec))
            if sec.blocks:
                parts += [f"- {b.text}" for b in sec.blocks]
                cites.append(self.cite(doc, sec.section_id, sec.blocks[0].text))
            for kid in kids:
                parts.append(f"- {kid.title}")
                cites.append(self.cite(doc, kid.section_id, kid.title))
            if not sec.blocks and not kids:
                parts.append(sec.title)
                cites.append(self.cite(doc, sec.section_id, sec.title))
        elif top.section.blocks and len(top.section.text) <= WHOLE_SECTION_CHARS:
            # a short section reads best whole: its bullets answer together
            sec = top.section
            parts.append(self._listing_head(doc, sec))
            parts += [f"- {b.text}" for b in sec.blocks]
            cites.append(self.cite(doc, sec.section_id, top.hits[0].chunk.text))
        best = list(top.hits[:1])
        others = [h for s in ranked[1:4] for h in s.hits[:1] if h.score >= 0.8 * top.score]
        chosen = best + others
        chosen = [h for h in chosen if not any(c.section_id == h.chunk.section_id for c in cites)][:3]
        for h in chosen:
            sec_doc = self.snap.document(h.chunk.doc_id)
            sec = sec_doc.section(h.chunk.section_id)
            quote = h.chunk.text
            label = self.where(sec_doc, sec.section_id)
            intro = ""
            if h.chunk.block >= 0:  # a bullet: say what it sits under
                title = _informative_title(sec)
                intro = f"{title} " if title else f"({sec_doc.context(sec.section_id)}) "
            parts.append(f"{label}: {intro}«{quote}»")
            cites.append(self.cite(sec_doc, sec.section_id, quote))
        lead = "According to the plan:" if q.lang == "en" else "Theo kế hoạch:"
        if len(self.snap.documents) > 1:
            lead = "According to the documents:" if q.lang == "en" else f"Theo {doc.meta.short_title}:"
        confidence = min(0.85, 0.4 + top.hits[0].dense / 2) if top.hits else 0.5
        task_hit = self.snap.facts.task(doc.doc_id, top.section.section_id)
        return lead + "\n" + "\n".join(parts), _dedupe(cites), confidence, task_hit.section_id if task_hit else None

    def _listing_head(self, doc: Document, sec: Section) -> str:
        """"Mục II, điểm 6.1.2 (Nâng cao hiệu quả chăm sóc sức khỏe nhân dân:):" above a listed section."""
        ctx = _informative_title(sec) or doc.context(sec.section_id)
        label = self.where(doc, sec.section_id)
        return f"{label} ({ctx}):" if ctx else f"{label}:"

    def _list_target(self, top: SectionHit) -> Section:
        """A question about a whole task lists its content section, not its lead line."""
        doc, sec = top.doc, top.section
        task = self.snap.facts.task(doc.doc_id, sec.section_id)
        if task and task.content_section and sec.section_id in (task.section_id, task.lead_section,
                                                                 task.coord_section):
            return doc.section(task.content_section)
        parent = doc.section(sec.parent_id) if sec.parent_id else None
        if not sec.blocks and not doc.children(sec.section_id) and parent is not None and task is None \
                and len(parent.text) + sum(len(k.text) for k in doc.children(parent.section_id)) <= WHOLE_SECTION_CHARS:
            return parent  # "những nguồn nào": the answer is the short list of sibling items
        return sec


def _informative_title(sec: Section) -> str:
    """A section's own title unless it is a bare label such as "Nội dung thực hiện:"."""
    return sec.title if sec.title and not _GENERIC_TITLE.match(sec.title) else ""


def _dedupe(cites: list[Citation]) -> list[Citation]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in cites:
        key = (c.doc_id, c.section_id, c.quote)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _first_quote(doc: Document, sec: Section | None) -> str:
    if sec is None:
        return ""
    if sec.blocks:
        return sec.blocks[0].text
    kids = doc.children(sec.section_id)
    return kids[0].title if kids else sec.title


def _sentence_naming(sec: Section, name: str) -> str:
    for text in [sec.title, *(b.text for b in sec.blocks)]:
        if name in text:
            return text
    return sec.text


def _oos_confidence(q: Question, hits: list[Hit]) -> float:
    top = max((h.dense for h in hits), default=0.0)
    return round(max(0.5, min(0.99, 1.0 - (top - 0.7) * 2 - q.support * 0.3)), 3)


__all__ = ["Composer", "SectionHit"]
