"""Normative documents (decisions, resolutions, decrees, circulars, laws): their own hierarchy.

Ids follow docs/sections.md: ``Phan-1``, ``Chuong-II``, ``Chuong-II.Muc-1``,
``Dieu-5``, ``Dieu-5.Khoan-2``, ``Dieu-5.Khoan-2.Diem-a``, ``Phu-luc-I``. Articles
are numbered through the whole document, so ``Dieu-N`` hangs under its chapter
without repeating it. The header (Quốc hiệu, number, date, title, "Căn cứ …")
is the ``preamble`` section and the footer (Nơi nhận, signature block) is
``closing``: every non-blank line lands in exactly one section.

Importing this module registers the parser with ``sections.parse_document``.
The same header is read for the document's metadata (``detect_metadata``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .corpus import RawDocument, SourceLine
from .sections import Document, Section, _Draft, _strip_bullet, register_parser
from .text import fold

_SEP = r"\s*[.:\-–—]\s*"
_PHAN = re.compile(rf"^(?:PHẦN|Phần)\s+(THỨ\s+\w+|[Tt]hứ\s+\w+|[IVXLC]+|\d+)(?:{_SEP}(.*)|\s*)$")
_CHUONG = re.compile(rf"^(?:CHƯƠNG|Chương)\s+([IVXLC]+|\d+)(?:{_SEP}(.*)|\s+([^a-zà-ỹđ]*)|\s*)$")
_MUC = re.compile(rf"^(?:MỤC|Mục)\s+([IVXLC]+|\d+)(?:{_SEP}(.*)|\s+([^a-zà-ỹđ]*)|\s*)$")
_TIEU_MUC = re.compile(rf"^(?:TIỂU MỤC|Tiểu mục)\s+(\d+)(?:{_SEP}(.*)|\s*)$")
_DIEU = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+[a-z]?)\s*[.:]\s*(.*)$")
_ROMAN = re.compile(r"^([IVXLC]+)\.\s+(\S.*)$")
_KHOAN = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_DIEM = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
_PHU_LUC = re.compile(rf"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:SỐ|[Ss]ố))?(?:\s+([IVXLC]+|\d+[a-z]?))?(?:{_SEP}(.*)|\s*)$")
_CLOSING = re.compile(r"^(Nơi nhận\b|NƠI NHẬN\b|TM\.|T/M\b|KT\.|TL\.|TUQ\.|Q\.\s)")
_SIGNER = re.compile(r"^(PHÓ )?(THỦ TƯỚNG|BỘ TRƯỞNG|CHỦ TỊCH|TỔNG BÍ THƯ|CHỦ NHIỆM|GIÁM ĐỐC|CHÁNH ÁN|VIỆN TRƯỞNG)$")
# Vietnamese points skip f, j, w, z and put đ after d.
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ORDINALS = {"nhat": "1", "hai": "2", "ba": "3", "tu": "4", "nam": "5", "sau": "6", "bay": "7", "tam": "8",
             "chin": "9", "muoi": "10"}

# The heading kinds, outermost first; an article hangs under the innermost open one.
_CONTAINERS = ("part", "chapter", "section", "subsection")


@dataclass(frozen=True)
class LegalSection(Section):
    """A section whose title continues on lines of its own ("Chương I" / "QUY ĐỊNH CHUNG")."""

    title_lines: tuple[int, ...] = ()

    @property
    def lines(self) -> tuple[int, ...]:
        own = (self.heading_line,) if self.heading_line is not None else ()
        return own + self.title_lines + tuple(n for b in self.blocks for n in b.lines)


@dataclass
class _LegalDraft(_Draft):
    title_lines: list[int] = field(default_factory=list)

    def freeze(self, doc_id: str) -> Section:
        plain = super().freeze(doc_id)
        return LegalSection(**{f: getattr(plain, f) for f in Section.__dataclass_fields__},
                            title_lines=tuple(self.title_lines))


def looks_legal(raw: RawDocument) -> bool:
    """At least two articles ("Điều 1.", "Điều 2."), or one inside a chapter."""
    articles = sum(1 for line in raw.lines if _DIEU.match(line.text))
    chapters = any(_CHUONG.match(line.text) for line in raw.lines)
    return articles >= 2 or (articles == 1 and chapters)


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _heading(text: str) -> tuple[str, str, str] | None:
    """(kind, number, title) when the line opens a part, chapter, section, article or appendix."""
    for kind, pattern in (("part", _PHAN), ("chapter", _CHUONG), ("section", _MUC), ("subsection", _TIEU_MUC),
                          ("article", _DIEU), ("appendix", _PHU_LUC)):
        m = pattern.match(text)
        if m:
            rest = next((g for g in m.groups()[1:] if g), "").strip()
            number = m.group(1) or ""
            if kind == "part" and number.lower().startswith("thứ"):
                number = _ORDINALS.get(fold(number.split()[-1]), number.split()[-1])
            return kind, number, rest
    return None


def _title_continues(line: SourceLine, title: list[str]) -> bool:
    """A heading's title on the lines after "Chương I" (``title``: those taken so far): the
    first line unless it is a sentence or a note in parentheses, more only while in capitals."""
    text = line.text
    if _heading(text) or _CLOSING.match(text) or text.startswith(("(", "-", "+", "•")):
        return False
    if not title:
        return not text.endswith((".", ";", ",")) and len(text) <= 250
    return _is_upper(text) and _is_upper(title[-1])


_ID_NAMES = {"part": "Phan", "chapter": "Chuong", "section": "Muc", "subsection": "Tieu-muc",
             "article": "Dieu", "appendix": "Phu-luc"}


def parse_legal(raw: RawDocument) -> Document:
    doc_id = raw.meta.doc_id
    drafts: list[_LegalDraft] = [_LegalDraft("preamble", "preamble", "", "", None, None, 0)]
    ids: set[str] = {"preamble"}
    containers: dict[str, _LegalDraft] = {}  # open part/chapter/section/subsection
    article: _LegalDraft | None = None
    inner: list[_LegalDraft] = []  # open Roman sub-part, clause, point inside the article
    state = "preamble"  # preamble | body | closing | appendix
    appendices = 0
    title_texts: list[str] = []  # a heading still collecting its title from the lines below it
    last_marker = ""

    def open_section(draft: _LegalDraft) -> None:
        drafts.append(draft)
        ids.add(draft.section_id)

    for line in raw.lines:
        text = line.text
        if title_texts and _title_continues(line, title_texts[1:]):
            drafts[-1].title = f"{drafts[-1].title} {text}".strip()
            drafts[-1].title_lines.append(line.number)
            title_texts.append(text)
            continue
        title_texts = []
        head = _heading(text) if state != "appendix" or _PHU_LUC.match(text) else None
        if head and head[0] == "appendix" and state == "preamble":
            head = None  # "Phụ lục" before any article is the header's own words
        if head:
            kind, number, title = head
            if kind == "appendix":
                number = number or str(appendices + 1)
            sid = _container_id(kind, number, containers)
            if sid not in ids:  # a repeated number is text, not a second section with the same id
                state, inner = ("appendix" if kind == "appendix" else "body"), []
                if kind == "appendix":
                    appendices += 1
                    containers = {}
                elif kind != "article":
                    level = _CONTAINERS.index(kind)
                    containers = {k: v for k, v in containers.items() if _CONTAINERS.index(k) < level}
                parent = next((containers[k] for k in reversed(_CONTAINERS) if k in containers), None)
                draft = _LegalDraft(sid, kind, number, title, line.number, parent.section_id if parent else None,
                                    (parent.depth + 1) if parent else 1)
                open_section(draft)
                article = draft if kind == "article" else None
                if kind in _CONTAINERS:
                    containers[kind] = draft
                if kind != "article" and not title:
                    title_texts = [text]
                continue
        if state == "body" and "closing" not in ids and (_CLOSING.match(text) or _SIGNER.match(text)):
            state, article, inner = "closing", None, []
            open_section(_LegalDraft("closing", "closing", "", "", None, None, 0))
        if state == "closing":
            marker, body = _strip_bullet(text)
            drafts[-1].add_line(SourceLine(line.number, body if marker else text), False)
            continue
        if article is not None:
            sub = _sub_heading(line, article, inner, ids)
            if sub is not None:
                open_section(sub[0])
                inner = sub[1]
                continue
        marker, body = _strip_bullet(text)
        continues = marker == "+" and last_marker in ("-", "–", "—", "•", "*", "+")
        drafts[-1].add_line(SourceLine(line.number, ("+ " + body) if continues else body), continues)
        last_marker = marker
    return Document(raw.meta, tuple(d.freeze(doc_id) for d in drafts), raw.sha256, "legal")


def _container_id(kind: str, number: str, containers: dict[str, _LegalDraft]) -> str:
    own = f"{_ID_NAMES[kind]}-{number}"
    if kind in ("section", "subsection"):
        # Mục numbering restarts in each chapter: "Chuong-II.Muc-1"
        parent = next((containers[k] for k in reversed(_CONTAINERS[:_CONTAINERS.index(kind)]) if k in containers),
                      None)
        return f"{parent.section_id}.{own}" if parent else own
    return own


def _sub_heading(line: SourceLine, article: _LegalDraft, inner: list[_LegalDraft],
                 ids: set[str]) -> tuple[_LegalDraft, list[_LegalDraft]] | None:
    """A Roman sub-part, clause ``1.`` or point ``a)`` inside an article, numbered in order;
    returns it with the sub-units left open under the article."""
    text = line.text
    roman = next((d for d in inner if d.kind == "subpart"), None)
    clause = next((d for d in inner if d.kind == "clause"), None)
    point = next((d for d in inner if d.kind == "point"), None)
    m = _ROMAN.match(text)
    if m and _is_upper(m.group(2)[:40]):
        sid = f"{article.section_id}.Muc-{m.group(1)}"
        if sid not in ids:
            draft = _LegalDraft(sid, "subpart", m.group(1), m.group(2), line.number, article.section_id,
                                article.depth + 1)
            return draft, [draft]
    m = _KHOAN.match(text)
    if m:
        holder = roman or article
        number = int(m.group(1))
        last = int(clause.number) if clause else 0
        sid = f"{holder.section_id}.Khoan-{number}"
        if number > last and sid not in ids:
            draft = _LegalDraft(sid, "clause", str(number), m.group(2), line.number, holder.section_id,
                                holder.depth + 1)
            return draft, [d for d in (roman, draft) if d]
    m = _DIEM.match(text)
    if m:
        holder = clause or roman or article
        letter = m.group(1)
        last = _LETTERS.index(point.number) if point else -1
        sid = f"{holder.section_id}.Diem-{letter}"
        if letter in _LETTERS and _LETTERS.index(letter) > last and sid not in ids:
            draft = _LegalDraft(sid, "point", letter, m.group(2), line.number, holder.section_id, holder.depth + 1)
            return draft, [d for d in (roman, clause, draft) if d]
    return None


register_parser(looks_legal, parse_legal)


# ---------------------------------------------------------------- header metadata

KINDS = ("QUYẾT ĐỊNH", "NGHỊ QUYẾT", "NGHỊ ĐỊNH", "THÔNG TƯ LIÊN TỊCH", "THÔNG TƯ", "CHỈ THỊ", "KẾ HOẠCH",
         "LUẬT", "PHÁP LỆNH", "KẾT LUẬN", "ĐỀ ÁN", "CHƯƠNG TRÌNH", "QUY CHẾ", "QUY ĐỊNH", "HƯỚNG DẪN",
         "THÔNG BÁO", "BÁO CÁO", "CÔNG VĂN")
# The code in a number names the kind when the header does not: 161/QĐ-TTg, 15-NQ/TW.
_KIND_CODES = {"QĐ": "Quyết định", "NQ": "Nghị quyết", "NĐ": "Nghị định", "TT": "Thông tư",
               "TTLT": "Thông tư liên tịch", "CT": "Chỉ thị", "KH": "Kế hoạch", "KL": "Kết luận",
               "HD": "Hướng dẫn", "TB": "Thông báo", "BC": "Báo cáo"}
_NATIONAL = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap – tu do – hanh phuc",
             "dang cong san viet nam")
_NUMBER = re.compile(r"\bSố\s*:?\s*(\d+[^\s,;]*[/-][^\s,;]*[^\s,;.])")
_DATE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_SUBJECT_END = re.compile(r"^(Căn cứ|Theo đề nghị|Xét đề nghị|Theo|Thực hiện)\b|:$")
_IMPLEMENTS = re.compile(r"(?:thực hiện|triển khai)\b.*?\bsố\s+(\d+[^\s,;]*[/-][^\s,;]*[^\s,;.])", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[-_=*.–—\s]+$")


@dataclass(frozen=True)
class HeaderMeta:
    """What the header of a document says about it; empty strings where it says nothing."""

    kind: str = ""  # "Quyết định"
    number: str = ""  # "161/QĐ-TTg"
    date: str = ""  # "25/01/2016"
    issuer: str = ""  # "Thủ tướng Chính phủ"
    subject: str = ""  # "Phê duyệt Đề án …"
    implements: str = ""  # the number of the document it carries out, for plans

    @property
    def short_title(self) -> str:
        return f"{self.kind} {self.number}" if self.kind and self.number else ""

    @property
    def title(self) -> str:
        if not self.subject:
            return ""
        if not self.kind:
            return self.subject
        first, _, rest = self.subject.partition(" ")
        first = first if first.isupper() and len(first) > 1 else first.lower()
        return f"{self.kind} {first} {rest}".strip()


def detect_metadata(lines: list[str]) -> HeaderMeta:
    """Kind, number, date, issuer and subject from the header above the first article."""
    header: list[str] = []
    for text in lines[:60]:
        if _heading(text) and not _PHU_LUC.match(text):
            break
        header.append(text)
    kind_at = next((i for i, t in enumerate(header) if t in KINDS), None)
    number = next((m.group(1) for t in header if (m := _NUMBER.search(t))), "")
    date = next((f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}" for t in header
                 if (m := _DATE.search(t))), "")
    kind = header[kind_at].strip().capitalize() if kind_at is not None else _kind_from_number(number)
    issuer_lines = []
    for text in header[:kind_at] if kind_at is not None else header[:6]:
        text = _without_national(text)
        if _NUMBER.search(text) or _DATE.search(text) or text.startswith("(") or _SEPARATOR.match(text):
            continue
        if _is_upper(text):
            issuer_lines.append(text)
    subject_lines: list[str] = []
    if kind_at is not None:
        for text in header[kind_at + 1:kind_at + 5]:
            if _SUBJECT_END.search(text) or _SEPARATOR.match(text) or text.startswith("("):
                break
            if subject_lines and _is_upper(text) and not _is_upper(subject_lines[-1]):
                break  # the issuer repeated above "Căn cứ …"
            subject_lines.append(text)
    subject = " ".join(subject_lines).strip().rstrip(".")
    if _is_upper(subject):
        subject = _sentence_case(subject)
    m = _IMPLEMENTS.search(subject)
    implements = _as_written(m.group(1), header) if m else ""
    return HeaderMeta(kind, number, date, proper_name(" ".join(issuer_lines)), subject, implements)


def _as_written(number: str, header: list[str]) -> str:
    """A title in capitals loses the case of a number ("161/QĐ-TTG"): take it from a "Căn cứ" line."""
    for text in header:
        at = text.upper().find(number.upper())
        if at >= 0 and not _is_upper(text):
            return text[at:at + len(number)]
    return number


def _without_national(text: str) -> str:
    """A PDF puts both header columns on one line: keep the issuer's half."""
    folded = fold(text)
    for motto in _NATIONAL:
        at = folded.find(motto)
        if at >= 0:
            text = (text[:at] + text[at + len(motto):]).strip()
            folded = fold(text)
    return text


def _kind_from_number(number: str) -> str:
    for code in re.findall(r"[A-ZĐ]+", number):
        if code in _KIND_CODES:
            return _KIND_CODES[code]
    return ""


def _sentence_case(text: str) -> str:
    """"TRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ 161/QĐ-TTG" → "Triển khai thực hiện quyết định số 161/QĐ-TTG"."""
    words = [w if any(c.isdigit() for c in w) else w.lower() for w in text.split()]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


# Fixed capitals in the names of public bodies; the rest of a name is lower case
# except the first word and each field it names ("Bộ Lao động - Thương binh và Xã hội").
_PROPER = {"chính phủ": "Chính phủ", "quốc hội": "Quốc hội", "trung ương": "Trung ương", "chính trị": "Chính trị",
           "ban chấp hành": "Ban Chấp hành", "thường vụ": "Thường vụ", "đảng": "Đảng", "việt nam": "Việt Nam",
           "mặt trận tổ quốc": "Mặt trận Tổ quốc"}
_FIELD_START = re.compile(r"(\bbộ |\bsở | - | và |, )(\w)")
_PLACE = re.compile(r"\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường) (\w[\w ]*)$")


def proper_name(upper: str) -> str:
    """"ỦY BAN NHÂN DÂN TỈNH KIỂM THỬ" → "Ủy ban nhân dân tỉnh Kiểm Thử"."""
    if not upper:
        return ""
    text = re.sub(r"\s+", " ", upper.strip().lower())
    text = _FIELD_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    text = _PLACE.sub(lambda m: f"{m.group(1)} {m.group(2).title()}", text)
    for low, fixed in _PROPER.items():
        text = re.sub(rf"\b{low}\b", fixed, text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]
