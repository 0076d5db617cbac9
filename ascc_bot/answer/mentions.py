"""Every place the documents mention a subject: "Người khuyết tật được nhắc ở những phần nào?", "hộ nghèo được
nói tới ở mấy chỗ, mỗi chỗ nói gì?", "phóng xạ, hạt nhân xuất hiện hai lần, ở những nhiệm vụ nào?", "In which
sections is climate change mentioned?".

The subject is the question's rarest words that the documents hold (a word in most passages names no place);
every passage that holds one of them is quoted, in the documents' order, with its count.
"""

from __future__ import annotations

import re

from ..sections import Document, Section
from ..text import padded_syllables
from ..understand import Question
from .base import Context, Draft
from .unknowable import names_other_document

# "ở những phần nào", "trong các nhiệm vụ nào", "ở mấy chỗ", "những chỗ nào", "xuất hiện hai lần", "chỗ nào khác"
_PLACES_VI = re.compile(r"\b(o|tai|trong) (nhung|cac) (phan|muc|cho|nhiem vu|khoan|diem|doan|noi dung|van ban) nao\b"
                        r"|\b(o|tai) (may|bao nhieu) (cho|noi|phan|muc|nhiem vu)\b|\b(nhung|cac) cho nao\b"
                        r"|\bxuat hien (hai|2|ba|3|may|bao nhieu|nhieu) lan\b|\bcho nao khac\b"
                        r"|\b(may|bao nhieu) (cho|lan) (trong ke hoach|trong van ban)\b")
# "in which sections", "where else", "how many places", "every part that mentions"
_PLACES_EN = re.compile(r"\b(in|under) (which|what) (parts|sections|places|tasks|passages|points|items)\b"
                        r"|\b(which|what) (parts|sections|passages|places) (of the plan )?(mention|talk|refer|cover)"
                        r"|\bwhere (else|all)\b|\bhow many (places|times|sections|parts|passages)\b"
                        r"|\b(every|each|all the) (places?|sections?|parts?|passages?) (where|that|which)\b"
                        r"|\bmentioned (anywhere )?else\b")
# a word in more than this share of the passages names no place of its own ("kế hoạch", "thực hiện")
PLACE_WORD_SHARE = 0.25


class Mentions:
    intent = "content"

    def recognises(self, q: Question, ctx: Context) -> bool:
        if q.agencies or q.focus.agency or q.focus.time or q.section or q.task_number or names_other_document(q):
            return False  # a body's tasks (agency.py); where a document is cited (reference.py)
        return q.matches(_PLACES_VI, _PLACES_EN)  # (no place holding its words: answer() gives None, the next)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        places = _places(q, ctx)
        if not places:
            return None
        en = q.lang == "en"
        n = len(places)
        head = (f"The plan mentions this in {n} place{'s' if n > 1 else ''}:" if en else
                f"Kế hoạch nhắc đến nội dung này ở {n} chỗ:")
        lines, cites = [head], []
        for doc, sec, quote in places:
            lines.append(f"- {ctx.where(doc, sec.section_id)}: «{quote}»")
            cites.append(ctx.cite(doc, sec.section_id, quote))
        return Draft(self.intent, tuple(lines), tuple(cites), 0.85, counted=True)


def _places(q: Question, ctx: Context) -> list[tuple[Document, Section, str]]:
    """The passages holding the question's rarest words, each with the block that holds one."""
    passages = [(d, s, [(b.text, padded_syllables(b.text)) for b in s.blocks])
                for d in ctx.snap.documents for s in d.sections if s.blocks]
    if not passages:
        return []
    df = {t: sum(any(f" {t} " in f for _, f in blocks) for _, _, blocks in passages) for t in _subject(q)}
    rare = {t: n for t, n in df.items() if 0 < n <= PLACE_WORD_SHARE * len(passages)}
    if not rare:
        return []
    anchors = [t for t, n in rare.items() if n == min(rare.values())]
    out = []
    for doc, sec, blocks in passages:
        quote = next((text for text, f in blocks if any(f" {t} " in f for t in anchors)), None)
        if quote is not None:
            out.append((doc, sec, quote))
    return out


# "… ở chỗ nào khác ngoài nhiệm vụ xây dựng cộng đồng tiến bộ?": the place set aside names no subject
_SET_ASIDE = re.compile(r"\b(ngoai|tru|besides|other than|apart from|except|outside)\b")


def _subject(q: Question) -> tuple[str, ...]:
    m = _SET_ASIDE.search(q.cues) if q.lang == "vi" else None
    if m is None:
        return q.content_terms
    before = f" {q.cues[:m.start()]} "
    return tuple(t for t in q.content_terms if f" {t} " in before) or q.content_terms
