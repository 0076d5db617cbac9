"""Where a document applies: "Kế hoạch áp dụng ở đâu?", "thực hiện trên địa bàn nào?", "Where is the
plan implemented?". The answer is the document's own scope section ("Phạm vi …"), found by its title."""

from __future__ import annotations

import re
from functools import lru_cache

from ..facts import listed_levels
from ..text import syllables
from ..understand import Question, english_name, load_list
from .agency import agency_entries
from .base import Context, Draft, section_lines

# folded, "xã" is also the "xã" of "xã hội", "quận" the "quan" of "quan tâm", "tỉnh" the "tình" of "tình hình"
# and "tình nguyện"
_PLACES_VI = (r"(quan(?! (tam|he|ly|diem|trong|sat|niem))|huyen|xa(?! hoi)|phuong(?! (phap|cham|thuc|an|tien|huong))"
              r"|thi tran|noi thanh|ngoai thanh|do thi|nong thon|hai dao|toan thanh pho"
              # "đảo" (island), not the "đạo" of "lãnh đạo", "chỉ đạo", nor "đào tạo"
              r"|(?<!lanh )(?<!chi )(?<!huong )(?<!dan )dao(?! (tao|duc|luat|ly|dien|dong))"
              r"|tinh(?! (than|hinh|yeu|nang|nguyen|cam|thuong))"
              r"|noi khac)")
_WHERE_VI = re.compile(r"\b(o dau|tai dau|dia ban\b.*\bnao|noi nao|khu vuc nao|nhung dau|pham vi)\b"
                       # "áp dụng cho cả huyện ngoại thành không?": whether it applies to a kind of place
                       rf"|\b(ap dung|thuc hien|trien khai|lam|dien ra)\b.*\b{_PLACES_VI}\b.*\b(khong|hay|chua)\b"
                       # "Ở nông thôn thì kế hoạch có áp dụng không?", "Huyện X có nằm trong kế hoạch không?"
                       # ("nhà tôi ở huyện ngoại thành thì kế hoạch này có áp dụng tới không")
                       rf"|(^|\b(o|tai) )(cac |nhung )?{_PLACES_VI}\b.*\b(ap dung|thuc hien|trien khai|nam trong)"
                       rf"( \w+){{0,3}} (khong|chua)\b")
_WHERE_EN = re.compile(r"\bwhere\b.*\b(plan|document|it|appl(y|ies)|implemented|carried out|in (effect|force)|valid|"
                       r"cover(s|ed)?)\b|\b(which areas?|what area|geographic\w*|scope)\b"
                       r"|\b(appl(y|ies)|implemented|carried out|cover(s|ed|ing)?)\b.*\b(rural|urban|district|commune|"
                       r"island|whole city|city-wide|citywide|inner city|suburb\w*|countryside|outskirts)")
# words that set levels of government apart: "cấp quận huyện", "chính quyền quận, huyện", "hay chỉ các sở"
_LEVELS = re.compile(r"\b(cap|chinh quyen|uy ban|ubnd|cac so|level|authorit\w*|departments?|government)\b")
_SCOPE_TITLE = re.compile(r"\bphạm vi\b", re.IGNORECASE)


class Scope:
    intent = "content"

    def recognises(self, q: Question, ctx: Context) -> bool:
        f = q.focus
        if q.agencies or f.agency or f.destination or f.report or f.time or f.amount:
            return False
        return q.matches(_WHERE_VI, _WHERE_EN) and not _specific(q)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        for doc in ctx.snap.documents:
            for sec in doc.sections:
                if sec.kind in ("item", "clause", "article") and _SCOPE_TITLE.search(sec.title):
                    lines, cites = section_lines(ctx, doc, sec)
                    lead = "According to the plan:" if q.lang == "en" else "Theo kế hoạch:"
                    lines, cites = [lead, *lines], list(cites)
                    for name in _level_bodies(q, ctx):  # "cả cấp quận, huyện?": that level's own work too
                        entries = agency_entries(ctx, name, q.lang)
                        if entries:
                            lines.append(f"{english_name(name)} ({name}) have their own work in the plan:" if
                                         q.lang == "en" else f"{name} có nhiệm vụ riêng trong kế hoạch:")
                            lines += [f"- {line}" for _, line, _ in entries]
                            cites += [c for _, _, c in entries]
                    return Draft(self.intent, tuple(lines), tuple(cites), 0.85, about_document=True)
        return None


def _level_bodies(q: Question, ctx: Context) -> list[str]:
    """The bodies of a level of government that the question names: "Ủy ban nhân dân các quận, huyện" for "cấp
    quận huyện", "the districts"; a name that lists levels ("… quận, huyện") is a body of each."""
    if not _LEVELS.search(q.folded if q.lang == "vi" else q.text.lower()):
        return []  # a kind of place ("huyện đảo", "Huyện Kiến Thụy"), not a level of government
    asked = {m.group(1) for m in re.finditer(rf"\b{_PLACES_VI}\b", q.folded)}
    if q.lang == "en" and re.search(r"\bdistricts?\b", q.text, re.IGNORECASE):
        asked |= {"quan", "huyen"}
    return [agency.name for agency in ctx.facts.agencies.values()
            if (listed := listed_levels(agency.name)) and asked & {" ".join(syllables(level)) for level in listed[1]}]


@lru_cache(maxsize=1)
def city_places() -> frozenset[str]:
    """Folded names of the city's own districts (lang/districts.txt): places inside the plan's scope."""
    return frozenset(" ".join(syllables(line)) for line in load_list("districts.txt"))


_HOME = re.compile(r"\b(gia dinh|nha|ho|que|que nha)( \w+)? (em|toi|minh|chung toi|tui|con|chau|chung em|bo me)"
                   r"( \w+)? (o|song o|tai)\b")


def _specific(q: Question) -> bool:
    """A place question about something else than the document itself ("làm căn cước ở đâu"); of "A hay
    B" one general side is enough ("cả thành phố hay chỉ mấy quận nội thành")."""
    general = {"ap dung", "ung dung", "thuc hien", "trien khai", "pham vi", "dia ban", "khu vuc", "hai phong",
               "thanh pho", "tinh", "de an", "toan", "quan", "huyen", "xa", "phuong", "thi tran", "noi thanh",
               "ngoai thanh", "do thi", "nong thon", "hai dao", "dao", "huyen dao", "quan huyen", "tinh thanh", "pho",
               "thanh",
               # other places, as a kind: "ra ngoài Hải Phòng, các tỉnh lân cận"
               "lan can", "noi khac", "tinh khac", "dia phuong khac", "ngoai"}
    places = [f" {p} " for p in city_places()]
    named = [p for p in places if p in f" {q.folded} "]  # "Kiến Thụy", read as the syllables "kien", "thuy"
    # "gia đình em ở xã …", "nhà tôi ở huyện …": the asker's home, not a topic
    home = _HOME.search(q.folded)
    general = general | (set(syllables(home.group(1))) | {" ".join(syllables(home.group(1)))} if home else set())

    def is_general(term: str) -> bool:  # "bach long" of "Bach Long Vi" typed without its marks
        return term in general or (" " in term and any(f" {term} " in p for p in places)) \
            or any(f" {term} " in p for p in named)

    sides = q.alternatives or (q.content_terms,)
    return all(any(not is_general(t) for t in side) for side in sides)
