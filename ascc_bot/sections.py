"""The section tree: stable, citable ids built from a document's own numbering.

Ids follow docs/sections.md: plans use ``preamble``, Roman parts (``II``),
numbered items under them (``II.6.2``) and ``closing``; legal documents use
``Chuong-II``, ``Dieu-5.Khoan-2.Diem-a``, ``Phu-luc-I``. Bullets have no id:
they are blocks of the nearest numbered section above them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from .corpus import DocumentMeta, RawDocument, SourceLine


@dataclass(frozen=True)
class Block:
    """One bullet (with its ``+`` sub-bullets) or paragraph: the unit we quote."""

    text: str  # verbatim document text, bullet markers removed, sub-bullets on new lines
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Section:
    doc_id: str
    section_id: str
    kind: str  # preamble | part | item | closing | chapter | section | article | clause | point | appendix
    number: str  # as printed: "II", "6.2", "5", "a"
    title: str  # the heading line's text after its number ("" when there is none)
    blocks: tuple[Block, ...]
    heading_line: int | None  # source line of the heading, None for preamble/closing
    parent_id: str | None
    depth: int

    @property
    def lines(self) -> tuple[int, ...]:
        own = (self.heading_line,) if self.heading_line is not None else ()
        return own + tuple(n for b in self.blocks for n in b.lines)

    @property
    def text(self) -> str:
        """The section's own text (heading line and blocks), verbatim."""
        parts = [self.title] if self.title else []
        return "\n".join(parts + [b.text for b in self.blocks])


@dataclass(frozen=True)
class Document:
    meta: DocumentMeta
    sections: tuple[Section, ...]  # document order
    sha256: str = ""
    layout: str = "plan"

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    @cached_property
    def by_id(self) -> dict[str, Section]:
        return {s.section_id: s for s in self.sections}

    def section(self, section_id: str) -> Section | None:
        return self.by_id.get(section_id)

    def children(self, section_id: str) -> list[Section]:
        return [s for s in self.sections if s.parent_id == section_id]

    def descendants(self, section_id: str) -> list[Section]:
        prefix = section_id + "."
        return [s for s in self.sections if s.section_id.startswith(prefix)]

    def ancestors(self, section_id: str) -> list[Section]:
        out: list[Section] = []
        parent = self.by_id[section_id].parent_id if section_id in self.by_id else None
        while parent is not None:
            out.append(self.by_id[parent])
            parent = self.by_id[parent].parent_id
        return out[::-1]

    def context(self, section_id: str) -> str:
        """Headings above a section, for encoding a block with its context."""
        titles = [f"{s.number}. {s.title}" if s.number else s.title for s in self.ancestors(section_id)]
        me = self.by_id[section_id]
        titles.append(f"{me.number}. {me.title}" if me.number and me.title else me.title)
        return " > ".join(t for t in titles if t)


# ---------------------------------------------------------------- labels

_ROMAN = re.compile(r"^[IVXLC]+$")


def section_label(section_id: str) -> str:
    """How officials write a section: ``II.6.2`` → "Mục II, điểm 6.2"."""
    if section_id == "preamble":
        return "Phần mở đầu"
    if section_id == "closing":
        return "Phần kết thúc"
    if "-" in section_id:
        return _legal_label(section_id)
    part, _, rest = section_id.partition(".")
    if not rest:
        return f"Mục {part}"
    kind = "điểm" if "." in rest else "khoản"
    return f"Mục {part}, {kind} {rest}"


_LEGAL_NAMES = {"Phan": "Phần", "Chuong": "Chương", "Muc": "Mục", "Tieu-muc": "Tiểu mục",
                "Dieu": "Điều", "Khoan": "Khoản", "Diem": "Điểm", "Phu-luc": "Phụ lục"}


def _legal_label(section_id: str) -> str:
    parts = []
    for piece in section_id.split("."):
        name, _, num = piece.rpartition("-")
        parts.append(f"{_LEGAL_NAMES.get(name, name)} {num}")
    # Vietnamese reads the smallest unit first: "Điểm a Khoản 2 Điều 5"
    if any(p.startswith(("Điều", "Khoản", "Điểm")) for p in parts):
        return " ".join(reversed(parts))
    return ", ".join(parts)


# ---------------------------------------------------------------- plan parser

_PART = re.compile(r"^([IVXL]+)\.\s+(\S.*)$")
_ITEM = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.\s+(\S.*)$")
_BULLET = re.compile(r"^([-–—•*+])\s*(.*)$")
_CLOSING = re.compile(r"^(Trên đây|Nơi nhận\b|TM\.|KT\.|T/M)", re.IGNORECASE)


@dataclass
class _Draft:
    section_id: str
    kind: str
    number: str
    title: str
    heading_line: int | None
    parent_id: str | None
    depth: int
    blocks: list[tuple[list[str], list[int]]] = field(default_factory=list)

    def add_line(self, line: SourceLine, continues: bool) -> None:
        if continues and self.blocks:
            self.blocks[-1][0].append(line.text)
            self.blocks[-1][1].append(line.number)
        else:
            self.blocks.append(([line.text], [line.number]))

    def freeze(self, doc_id: str) -> Section:
        blocks = tuple(Block("\n".join(texts), tuple(nums)) for texts, nums in self.blocks)
        return Section(doc_id, self.section_id, self.kind, self.number, self.title, blocks,
                       self.heading_line, self.parent_id, self.depth)


def _strip_bullet(text: str) -> tuple[str, str]:
    m = _BULLET.match(text)
    return (m.group(1), m.group(2)) if m else ("", text)


def parse_plan(raw: RawDocument) -> Document:
    """Plans and reports: Roman parts, numbered items, bullets (docs/sections.md)."""
    drafts: list[_Draft] = [_Draft("preamble", "preamble", "", "", None, None, 0)]
    part: str | None = None
    items: list[_Draft] = []  # the open numbered items, outermost first
    closing = False
    last_marker = ""
    for line in raw.lines:
        text = line.text
        if not closing and part is not None and _CLOSING.match(text):
            closing = True
            drafts.append(_Draft("closing", "closing", "", "", None, None, 0))
        if closing:
            marker, body = _strip_bullet(text)
            drafts[-1].add_line(SourceLine(line.number, body if marker else text), False)
            continue
        m_part = _PART.match(text)
        if m_part:
            part = m_part.group(1)
            items = []
            drafts.append(_Draft(part, "part", part, m_part.group(2), line.number, None, 1))
            continue
        m_item = _ITEM.match(text) if part is not None else None
        if m_item:
            number = m_item.group(1)
            while items and not number.startswith(items[-1].number + "."):
                items.pop()
            parent = items[-1] if items else None
            draft = _Draft(f"{part}.{number}", "item", number, m_item.group(2), line.number,
                           parent.section_id if parent else part, number.count(".") + 2)
            items.append(draft)
            drafts.append(draft)
            continue
        marker, body = _strip_bullet(text)
        # a "+" sub-bullet belongs to the "-" bullet above it
        continues = marker == "+" and last_marker in ("-", "–", "—", "•", "*", "+")
        drafts[-1].add_line(SourceLine(line.number, ("+ " + body) if continues else body), continues)
        last_marker = marker
    return Document(raw.meta, tuple(d.freeze(raw.meta.doc_id) for d in drafts), raw.sha256, "plan")


# Layout detection: each parser says whether a document looks like its layout.
Parser = Callable[[RawDocument], Document]
_LEGAL_PARSER: list[tuple[Callable[[RawDocument], bool], Parser]] = []


def register_parser(detect: Callable[[RawDocument], bool], parser: Parser) -> None:
    _LEGAL_PARSER.append((detect, parser))


def parse_document(raw: RawDocument) -> Document:
    for detect, parser in _LEGAL_PARSER:
        if detect(raw):
            return parser(raw)
    return parse_plan(raw)


from . import legal as _legal  # noqa: E402,F401  (registers the parser for decrees, decisions, circulars)
