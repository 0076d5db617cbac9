"""Everything of one named kind the documents mention, wherever it stands: "trong kế hoạch có nhắc những
chương trình mục tiêu quốc gia nào?", "Which national target programmes does the plan refer to?".

The kind is the question's own concepts, as the documents write them at the head of a name: a phrase that
begins with a capital inside a sentence ("… thuộc Chương trình mục tiêu quốc gia Giảm nghèo bền vững …").
A kind named so in two places or more is a list the question asks for; each passage that names one is
quoted, with its place."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..text import fold
from ..understand import Question
from .base import Context, Draft

_WHICH_VI = re.compile(r"\b(nhung|cac|may)\b.*\b(nao|gi)\b")
_WHICH_EN = re.compile(r"\b(which|what)\b.*\b\w+s\b")
_TOKEN = re.compile(r"\w+|[^\w\s]")
MIN_PLACES = 2  # one mention is a passage to quote (the content module's work), not a list


class NamedKind:
    intent = "content"

    def recognises(self, q: Question, ctx: Context) -> bool:
        f = q.focus
        if q.agencies or f.agency or f.time or f.destination or f.report or q.task_number or q.part or q.section:
            return False
        return q.matches(_WHICH_VI, _WHICH_EN) and bool(_places(q, ctx))

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        places = _places(q, ctx)
        if not places:
            return None
        kind = Counter(name for _, _, _, name in places).most_common(1)[0][0]
        en = q.lang == "en"
        head = (f"The plan names “{kind}” in {len(places)} places:" if en else
                f"Kế hoạch nêu “{kind}” ở {len(places)} chỗ:")
        lines, cites = [head], []
        for doc, sec, text, _ in places:
            lines.append(f"- {ctx.where(doc, sec.section_id)}: «{text}»")
            cites.append(ctx.cite(doc, sec.section_id, text))
        return Draft(self.intent, tuple(lines), tuple(cites), 0.8, counted=True)


def _places(q: Question, ctx: Context) -> list[tuple]:
    """(document, section, passage, the kind as written) for each passage naming one of the kind asked."""
    wanted = sorted(s for t in q.content_terms for s in t.split())
    if len(wanted) < 2:
        return []
    out = []
    for doc in ctx.snap.documents:
        for sec in doc.sections:
            for block in sec.blocks:
                name = _names_kind(block.text, wanted)
                if name:
                    out.append((doc, sec, block.text, name))
    return out if len(out) >= MIN_PLACES else []


def _names_kind(text: str, wanted: list[str]) -> str:
    """The kind as the passage writes it, where it heads a name: its syllables are the question's concepts
    and it starts with a capital after another word of the sentence."""
    tokens, folded = _tokens(text)
    n = len(wanted)
    for i in range(1, len(tokens) - n + 1):
        first, before = tokens[i], tokens[i - 1]
        if not first[:1].isupper() or not before[:1].isalpha():
            continue  # a sentence's first word is capitalised anyway
        window = tokens[i:i + n]
        if all(w[:1].isalpha() for w in window) and sorted(folded[i:i + n]) == wanted:
            return " ".join(window)
    return ""


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens = tuple(_TOKEN.findall(text))
    return tokens, tuple(fold(t).lower() for t in tokens)
