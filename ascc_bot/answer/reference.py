"""Documents the corpus cites: what the citing text says of them, with a link to their full text
when it is loaded, or the plain statement that it is not.

"Nghị quyết 21-NQ/TW nói gì?", "Kế hoạch này căn cứ vào văn bản nào?", "Which decision does the plan
implement?", "Luật Ngân sách nhà nước được nhắc ở đâu?".
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import CitedDocument, Task
from ..models import Citation
from ..retrieve import SectionHit
from ..text import fold, syllables
from ..understand import Question, read, set_aside
from .base import PLAN_WORDS, Context, Draft

_DOC_KIND = r"(nghi quyet|quyet dinh|nghi dinh|chi thi|thong tu|luat|van ban|de an)"
_REFERENCE_VI = re.compile(rf"\b{_DOC_KIND}\b.*\b(nao|gi|so)\b|\b\d+[- /](nq|qd|nd|ct|tt)\b")
_REFERENCE_EN = re.compile(r"\b(resolution|decision|decree|law|directive|circular)\b|\b\d+[- /](nq|qd|qđ|nd|ct|tt)\b")
# what a document rests on: "căn cứ văn bản nào", "triển khai quyết định nào", "based on", "implements"
_BASIS_VI = re.compile(rf"\bcan cu (vao )?({_DOC_KIND}|dau|gi|nao)\b|\b(nhung|cac) can cu\b|\bcan cu phap ly\b"
                       rf"|\btrien khai (thuc hien )?(cai |nhung |cac )?{_DOC_KIND} (nao|gi|so may)\b"
                       rf"|\bthuc hien (cai |nhung |cac )?{_DOC_KIND} nao\b")
_BASIS_EN = re.compile(r"\b(legal basis|based on|pursuant to|grounded in|implements? (which|what)|which (decision|"
                       r"resolution|document|scheme) does)\b"
                       r"|\b(which|what)\b(\s+[\w']+){0,3}\s+(decision|resolution|decree|scheme|document)s?\b"
                       r".*\b(implement\w*|carr(y|ies) out|base[sd]?|follow\w*|put into effect|cite[sd]?|refers?"
                       r"|referred|mention\w*)\b")
# "Kế hoạch này triển khai Quyết định 116/QĐ-TTg phải không?", "Is the plan based on Decision 116?": the document
# the plan rests on, offered for confirmation
_CONFIRM_BASIS_VI = re.compile(rf"\b(trien khai|thuc hien|can cu|theo|dua tren|dua vao)( thuc hien| vao)? "
                               rf"{_DOC_KIND} (so )?\d")
_CONFIRM_BASIS_EN = re.compile(r"\b(implement\w*|based on|pursuant to|under|carr(y|ies) out|follows?|rests? on)\b "
                               r"(the )?(decision|resolution|decree|directive|circular|scheme) (no\.? |number )?\d")


def _confirms_basis(q: Question) -> bool:
    return q.focus.yes_no and bool(q.matches(_CONFIRM_BASIS_VI, _CONFIRM_BASIS_EN)) and bool(PLAN_WORDS.search(q.cues))


_KINDS_EN = {"decision": "quyết định", "resolution": "nghị quyết", "decree": "nghị định", "directive": "chỉ thị",
             "circular": "thông tư", "law": "luật"}


# who carries a cited document out, and who issued it
_CARRY_OUT = re.compile(r"\b(thuc hien|trien khai|tham muu|chu tri)\b")
_ISSUE = re.compile(r"\b(ban hanh|ky|phe duyet|thong qua|cua ai)\b")
_BACK_VI = re.compile(rf"\b{_DOC_KIND} (do|nay|ay|tren|vua (roi|neu|noi))\b")
_POINTED_EN = r"\b(that|this|the same|the said) (resolution|decision|decree|law|directive|circular|document|scheme)\b"
_BACK_EN = re.compile(rf"{_POINTED_EN}|\bit\b")
# a document pointed back to by its kind ("nghị quyết đó", "that resolution"), not by a bare "it"
_NAMED_BACK = re.compile(rf"\b{_DOC_KIND} (do|nay|ay)\b|{_POINTED_EN}")


# the words of a document's issuing ("ban hành ngày nào?", "ký khi nào"): a bare follow-up about the last
# document cited, and no gap in a text that cites a document with its date and issuer
ISSUED = frozenset({"ban hanh", "ky", "ky ban hanh", "phat hanh", "co quan ban hanh", "ban hanh ngay", "issue"})


# the authorities that issue such documents, offered as the answer ("Who issued it, the Prime Minister?")
_AUTHORITY = re.compile(r"thu tuong|chinh phu|quoc hoi|ban chap hanh|bo chinh tri|ban bi thu|trung uong|bo( \w+)?")


def referred_back(q: Question, ctx: Context) -> bool:
    """"Văn bản đó do ai ban hành?" (or just "ban hành ngày nào?") after a turn about a document the plan
    cites: the document of the last answer. Not "nhiệm vụ có nghị quyết đó do sở nào làm?", which asks
    for the body of a task, not of the document."""
    s = ctx.session
    if s is None or not s.topic or _named_cited(q, ctx):
        return False
    # a turn between about the same document ("Ai tham mưu … nghị quyết đó?") keeps it; so does a passage just
    # quoted that cites one of the kind named ("… bảo hiểm xã hội thì kế hoạch nói gì?" — "nghị quyết đó ban hành
    # ngày nào?")
    if s.intent != "reference" and not (_NAMED_BACK.search(q.cues) and (
            _NAMED_BACK.search(fold(s.topic).lower()) or _cited_just_now(q, ctx))):
        return False
    issuing = re.search(r"\b(ban hanh|ky|phat hanh|issu\w*|sign\w*|adopt\w*)\b", q.cues)
    if q.focus.role and (re.search(r"\b(nhiem vu|viec|task)\b", q.cues)
                         or not issuing and not _NAMED_BACK.search(q.cues)):
        return False  # the body of the task that holds the document ("who carries it out": the task's work)
    if q.focus.agency and any(t not in ISSUED and not re.fullmatch(_DOC_KIND, t) and not _AUTHORITY.fullmatch(t)
                              for t in q.content_terms):
        return False  # "Ai tham mưu Thành ủy thực hiện nghị quyết đó?": who does the work the text names with it
    if q.matches(_BACK_VI, _BACK_EN):
        return True
    if re.search(r"\bke hoach\b|\b(the|this) plan\b", q.cues):
        return False  # "còn bản kế hoạch thì số mấy, ký ngày nào?": the plan itself, not the document just cited
    bare = not q.agencies and q.task_number is None and all(t in ISSUED for t in q.content_terms)
    return bare and bool(q.content_terms)


def _cited_just_now(q: Question, ctx: Context) -> bool:
    """Whether a passage the last answer quoted cites a document of the kind the question names."""
    kind = _kind_asked(q)
    said = set(ctx.session.sections) if ctx.session is not None else set()
    return kind is not None and any(c.kind.lower() == kind and said & set(c.section_ids) for c in ctx.facts.cited)


class Reference:
    intent = "reference"

    def recognises(self, q: Question, ctx: Context) -> bool:
        if _confirms_basis(q):
            return True
        named = _named_cited(q, ctx)
        if not named and _named_cited(q, ctx, with_aside=True):
            return False  # "Ngoài QĐ 161/QĐ-TTg, … theo hướng dẫn của bộ nào?": the document named is not asked
        if named and q.lang == "vi" and q.focus.agency and _CARRY_OUT.search(q.cues) and not _ISSUE.search(q.cues):
            return False  # "Ai tham mưu … thực hiện Nghị quyết 15?": the body the plan gives that work, not the issuer
        if named and not all(c.loaded_doc_id for c in named):
            return True  # all we know of a document not loaded is what the citing text says
        if named and (q.focus.time or q.focus.agency or q.focus.amount or q.focus.duty or q.focus.report):
            return False  # "Theo Quyết định 999, hạn báo cáo là ngày nào?": the document is where to look
        if q.focus.time or q.focus.agency and not q.matches(_BASIS_VI, _BASIS_EN):
            return False
        return q.matches(_BASIS_VI, _BASIS_EN) or q.matches(_REFERENCE_VI, _REFERENCE_EN)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        if referred_back(q, ctx):  # what the citing text says of it: its number, date and issuer
            snap = ctx.snap
            before = replace(read(ctx.session.topic, snap.lexicon, snap.facts, snap.parts), lang=q.lang)
            return self.answer(before, replace(ctx, q=before, session=None, _rankings={}))
        cited = _named_cited(q, ctx)
        ranked = ctx.ranking(q).sections
        if _confirms_basis(q):
            return self._basis_confirmed(q, ctx, cited, ranked)
        kind = _kind_asked(q)
        if not cited and kind:  # "which resolution on social insurance": that kind, where the topic ranks best
            order = {(s.doc.doc_id, s.section.section_id): i for i, s in enumerate(ranked)}
            of_kind = [c for c in ctx.facts.cited if c.kind.lower() == kind]
            # "phần đó triển khai theo nghị quyết nào?": one the passage just quoted cites, first
            said = set(ctx.session.sections) if q.refers_to_task and ctx.session is not None else set()
            cited = sorted(of_kind, key=lambda c: (not said & set(c.section_ids),
                                                   min(order.get((c.doc_id, s), len(order)) for s in c.section_ids)))
        if not cited and ranked:  # what the best section cites, else the basis its document's preamble cites
            top = ranked[0]
            basis = q.matches(_BASIS_VI, _BASIS_EN)
            # a law named in passing ("theo quy định của Luật Ngân sách nhà nước") is no passage's basis
            cited = [c for c in ctx.facts.cited if c.doc_id == top.doc.doc_id
                     and top.section.section_id in c.section_ids and (c.number or not basis)]
            if not cited and basis:
                cited = [c for c in ctx.facts.cited if c.doc_id == top.doc.doc_id and "preamble" in c.section_ids]
                kind = _kind_asked(q)  # "which decision": the basis of that kind first
                cited.sort(key=lambda c: kind is None or c.kind.lower() != kind)
        issuer = _issuer_named(q)
        if issuer:  # "văn bản hướng dẫn của Bộ Lao động … số mấy?": not a document someone else issued
            cited = [c for c in cited if f" {issuer} " in f" {' '.join(syllables(c.issuer))} "]
        if not cited:
            return None
        # "Which Party resolutions does the plan refer to?": every one of that kind, when nothing narrows them
        every = kind and _plural(q) and all(re.fullmatch(_DOC_KIND, t) for t in q.content_terms)
        said = [self._one(c, q, ctx, ranked) for c in (cited if every else cited[:1])]
        _, _, task, sid = said[0]  # the first document's task and place
        # a document's basis ("căn cứ pháp lý") is about the document, not a topic to find in its text
        return Draft(self.intent, tuple(line for lines, _, _, _ in said for line in lines),
                     tuple(c for _, more, _, _ in said for c in more), 0.85, task=task,
                     about_document=sid == "preamble")

    def _basis_confirmed(self, q: Question, ctx: Context, named: list[CitedDocument],
                         ranked: list[SectionHit]) -> Draft | None:
        """Whether the document the question offers is what the plan's preamble rests on, then that document."""
        doc = ranked[0].doc if ranked and ctx.several_documents else ctx.snap.documents[0]
        kind = _kind_asked(q)
        basis = sorted((c for c in ctx.facts.cited if c.doc_id == doc.doc_id and "preamble" in c.section_ids
                        and c.number), key=lambda c: kind is None or c.kind.lower() != kind)
        if not basis:
            return None
        right = [c for c in named if c in basis]
        en = q.lang == "en"
        lines, cites, task, _ = self._one(right[0] if right else basis[0], q, ctx, ranked)
        verdict = ("Yes." if en else "Có.") if right else ("No." if en else "Không.")
        return Draft(self.intent, (verdict, *lines), tuple(cites), 0.85, task=task, about_document=True,
                     corrects=not right)

    @staticmethod
    def _one(c: CitedDocument, q: Question, ctx: Context,
             ranked: list[SectionHit]) -> tuple[list[str], list[Citation], Task | None, str]:
        """What the citing text says of one document, with its citation, the task it sits in and where."""
        citing = ctx.document(c.doc_id)
        order = {(s.doc.doc_id, s.section.section_id): i for i, s in enumerate(ranked)}
        # a passage the last answer quoted first ("which law governs that?" after the funding part), then the
        # best ranked
        said = set(ctx.session.sections) if ctx.session is not None else set()
        sids = sorted(c.section_ids, key=lambda s: (s not in said, order.get((c.doc_id, s), len(order))))
        sid = sids[0]
        en = q.lang == "en"
        task = ctx.facts.task(c.doc_id, sid)
        text: list[str] = []
        cites: list[Citation] = []
        # a law named in passing has no title or date of its own to give: every passage that names it is
        # what the documents say of it ("Luật Ngân sách nhà nước được nhắc ở những chỗ nào?")
        for n, where_sid in enumerate(sids if not c.number else sids[:1]):
            sec = citing.section(where_sid)
            quote = next((t for t in [sec.title, *(b.text for b in sec.blocks)] if c.marker in t), c.quote)
            in_task = ctx.facts.task(c.doc_id, where_sid)
            # "… được nhắc tới trong nhiệm vụ nào?": the task it sits in, by number and title
            where = ctx.where(citing, where_sid) + (
                (f" (task {in_task.number}: {in_task.title})" if en else
                 f" (nhiệm vụ {in_task.number}: {in_task.title})") if in_task is not None else "")
            if n == 0:
                text.append(f"{where} cites {c.label}:" if en else f"{where} nêu {c.label}:")
            else:
                text.append(f"{where} also cites it:" if en else f"{where} cũng nêu {c.label}:")
            text.append(f"«{quote}»")
            cites.append(ctx.cite(citing, where_sid, quote))
        loaded = ctx.documents.get(c.loaded_doc_id) if c.loaded_doc_id else None
        if loaded is not None:
            pre = loaded.section("preamble")
            line = next((b.text for b in pre.blocks if c.number in b.text), loaded.meta.title) if pre else \
                loaded.meta.title
            text.append(f"Full text in the system: {loaded.meta.short_title} — {loaded.meta.title}." if en else
                        f"Toàn văn có trong hệ thống: {loaded.meta.short_title} — {loaded.meta.title}.")
            cites.append(ctx.cite(loaded, "preamble", line))
        else:
            text.append(f"The full text of {c.label} is not loaded (chưa được nạp)." if en else
                        f"Toàn văn {c.label} chưa được nạp vào hệ thống.")
        return text, cites, task, sid


def _named_cited(q: Question, ctx: Context, with_aside: bool = False) -> list[CitedDocument]:
    """Cited documents the question names by number ("21-NQ/TW", "nghị quyết 21", "Decision 161"), except one
    it sets aside ("Ngoài QĐ 161/QĐ-TTg, … theo hướng dẫn của bộ nào?") unless ``with_aside``."""
    aside = "" if with_aside else " ".join(syllables(set_aside(q.text)))
    folded = q.folded.replace(aside, " ") if aside else q.folded
    cues = q.cues.replace(aside, " ") if aside else q.cues
    out = []
    for c in ctx.facts.cited:
        if not c.number:  # a law by its name: "luật ngân sách nhà nước", "Luật Ngân sách"
            name = " ".join(syllables(c.title)).split(" ")
            if re.search(rf"\bluat {' '.join(name[:2])}\b", cues):
                out.append(c)
            continue
        number = " ".join(syllables(c.number))
        digits = number.split(" ")[0]
        kind = " ".join(syllables(c.kind))
        if re.search(rf"\b{number}\b", folded) or re.search(rf"\b{kind} (so )?{digits}\b", folded) \
                or (q.lang == "en" and re.search(rf"\b{digits}\b", cues)):
            out.append(c)
    return out


# the issuer a question names ("của Bộ Lao động …", "do Thủ tướng ban hành"): a ministry by its first word, the
# others by their title ("Trung ương" is any central body, and names none of them)
_ISSUER_VI = re.compile(r"\b(?:cua|do) (bo (?!may\b)\w+|thu tuong|chinh phu|ban chap hanh|quoc hoi|ban bi thu)\b")


def _issuer_named(q: Question) -> str:
    m = _ISSUER_VI.search(q.folded) if q.lang == "vi" else None
    return m.group(1) if m else ""


def _plural(q: Question) -> bool:
    """"những nghị quyết nào", "các quyết định", "which resolutions": more than one document asked for."""
    if q.lang == "en":
        return bool(re.search(r"\b(resolution|decision|decree|law|directive|circular)s\b", q.cues))
    return bool(re.search(rf"\b(nhung|cac|may) {_DOC_KIND}\b", q.cues))


def _kind_asked(q: Question) -> str | None:
    """The kind of document a question asks for, in the documents' words ("which decision" → "quyết định")."""
    if q.lang == "en":
        return next((vi for en, vi in _KINDS_EN.items() if re.search(rf"\b{en}s?\b", q.cues)), None)
    m = re.search(rf"\b{_DOC_KIND}\b", q.cues)
    kinds = {"nghi quyet": "nghị quyết", "quyet dinh": "quyết định", "nghi dinh": "nghị định", "chi thi": "chỉ thị",
             "thong tu": "thông tư", "luat": "luật", "de an": "đề án"}
    return kinds.get(m.group(1)) if m else None


class ReferredBack(Reference):
    """A follow-up about the document the last answer cited, before the modules that would read "văn bản đó"
    as this plan ("do ai ban hành" is otherwise the plan's own issuer)."""

    def recognises(self, q: Question, ctx: Context) -> bool:
        return referred_back(q, ctx)
