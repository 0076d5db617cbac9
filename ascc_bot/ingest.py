"""Adding documents to the corpus: Word, PDF with a text layer, saved web pages, text.

The type is read from the bytes, never from the file name. What is stored is the
document's normalised text (one paragraph a line), with the metadata its header states
(``legal.detect_metadata``). Re-adding the same text is a no-op; a changed text replaces
the document with the same ``doc_id``. A file that cannot be read changes nothing.
The functions here edit a ``corpus_store.Staging``; ``corpus_store.apply`` commits it
together with its index, all-or-nothing.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .corpus import DocumentMeta, RawDocument, SourceLine, decode_text
from .legal import _is_upper, detect_metadata
from .sections import Document, parse_document
from .text import clean_line, fold

if TYPE_CHECKING:
    from .corpus_store import Staging

MAX_BYTES = 20 * 1024 * 1024
# Every part of a .docx once unpacked, counted while unpacking: Word files of the longest decrees
# (a few hundred pages, tables, a few images) stay well under this; a zip bomb does not.
MAX_UNZIPPED = 100 * 1024 * 1024
# The longest decrees and codes run to a few hundred pages of ~3,000 characters: the Civil Code
# (689 articles) is about 0.6 M characters. Past these a file is not one decree, and encoding it
# would take the server hours.
MAX_TEXT_CHARS = 2_000_000
MAX_PDF_PAGES = 600
MIN_TEXT_CHARS = 40
_UNZIP_CHUNK = 64 * 1024
DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class IngestError(ValueError):
    """A file that cannot be added; the message says why, in words for the official."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status the admin door answers with


@dataclass(frozen=True)
class Extracted:
    fmt: str  # docx | pdf | html | text
    lines: tuple[str, ...]  # cleaned, non-blank


@dataclass(frozen=True)
class Change:
    """What one ingest or removal did."""

    status: str  # added | replaced | unchanged | removed
    meta: DocumentMeta
    document: Document | None = None  # the parsed document (not for removals)
    fmt: str = ""
    index: dict = field(default_factory=dict)  # the manifest of the index built with the change

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


# ---------------------------------------------------------------- reading files

def sniff(data: bytes) -> str:
    """docx, pdf, html or text, from the bytes themselves."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError("Tệp Word 97-2003 (.doc) chưa đọc được: hãy lưu lại thành .docx hoặc PDF rồi thêm lại.",
                          415)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("Không nhận ra loại tệp: chỉ nhận Word (.docx), PDF có lớp chữ, trang HTML hoặc văn bản "
                          "thuần (.txt, .md).", 415)
    lowered = decode_text(head).lower()
    if re.search(r"<!doctype html|<html\b|<body\b|<head\b|<div\b|<p\b|<table\b", lowered):
        return "html"
    return "text"


def extract(data: bytes) -> Extracted:
    """The document's paragraphs, in reading order, whatever the container."""
    if len(data) > MAX_BYTES:
        raise IngestError(f"Tệp quá lớn ({len(data) // 1024 // 1024} MB); tối đa {MAX_BYTES // 1024 // 1024} MB.", 413)
    if not data.strip():
        raise IngestError("Tệp rỗng.")
    fmt = sniff(data)
    reader = {"docx": read_docx, "pdf": read_pdf, "html": read_html, "text": read_text}[fmt]
    lines = tuple(c for line in reader(data) if (c := clean_line(line)))
    chars = sum(len(line) for line in lines)
    if chars < MIN_TEXT_CHARS:
        raise IngestError("Tệp gần như không có chữ: không có gì để thêm.")
    if chars > MAX_TEXT_CHARS:
        raise _too_much_text()
    if not plausible_text(lines):
        raise IngestError("Nội dung tệp không phải chữ tiếng Việt hay tiếng Anh đọc được (có thể là tệp nhị phân "
                          "hoặc mã hóa lạ): chưa thêm gì. Hãy lưu lại văn bản dạng Word (.docx), PDF có chữ "
                          "hoặc văn bản UTF-8.", 415)
    return Extracted(fmt, lines)


def _too_much_text() -> IngestError:
    limit = f"{MAX_TEXT_CHARS:_}".replace("_", ".")  # 2.000.000, as Vietnamese writes numbers
    return IngestError(f"Văn bản quá dài: hơn {limit} ký tự (khoảng {MAX_PDF_PAGES} trang), không phải một văn bản "
                       "đơn lẻ. Hãy tách thành các văn bản riêng rồi thêm từng văn bản.", 413)


# A Vietnamese syllable, diacritics folded: onset, one to three vowels, coda.
_SYLLABLE = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$")
# A plain Latin (English) word: letters only, a vowel, no run of four consonants.
_ENGLISH_WORD = re.compile(r"^(?=.*[aeiouy])(?!.*[b-df-hj-np-tv-xz]{4})[a-z]{1,15}$")
_TOKEN = re.compile(r"[^\W\d_]+")


def _known_word(word: str) -> bool:
    folded = fold(word)
    if _SYLLABLE.match(folded):
        return True
    return word.isascii() and bool(_ENGLISH_WORD.match(folded))


def plausible_text(lines: tuple[str, ...] | list[str]) -> bool:
    """Whether decoded text reads as Vietnamese or English, not as bytes forced into characters:
    most visible characters are letters, and most words are Vietnamese syllables or plain
    Latin words. Random bytes read as cp1258 fail both by far."""
    text = " ".join(lines)
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    letters = sum(c.isalpha() for c in visible)
    words = _TOKEN.findall(text)
    known = sum(len(w) for w in words if _known_word(w))
    return letters >= 0.5 * len(visible) and known >= 0.75 * max(letters, 1)


def read_docx(data: bytes) -> list[str]:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(unpack_docx(data)))
    except IngestError:
        raise
    except Exception as exc:  # python-docx raises lxml, KeyError, ValueError… on a damaged file
        raise IngestError(f"Tệp Word (.docx) bị hỏng, không đọc được: {exc}.") from exc
    numbering = _WordNumbering(document)
    lines: list[str] = []

    def walk(element) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                text = _paragraph_text(child)
                lines.extend((numbering.label(child) + text).split("\n") if text.strip() else [])
            elif child.tag == qn("w:tbl"):
                for row in child.iterchildren(qn("w:tr")):
                    for cell in row.iterchildren(qn("w:tc")):
                        walk(cell)
            elif child.tag == qn("w:sdt"):
                for content in child.iterchildren(qn("w:sdtContent")):
                    walk(content)

    walk(document.element.body)
    return lines


def unpack_docx(data: bytes) -> bytes:
    """The package again, rebuilt from parts unpacked as a stream and counted with a hard stop
    (declared sizes are never trusted), with its text counted while it unpacks; images are left
    empty. python-docx then reads only these true sizes."""
    from lxml import etree

    total = 0
    clean = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package, zipfile.ZipFile(clean, "w", zipfile.ZIP_STORED) as out:
            if "word/document.xml" not in package.namelist():
                raise IngestError("Tệp có dạng nén ZIP nhưng không phải Word .docx (không có word/document.xml).")
            for info in package.infolist():
                keep = info.filename.endswith((".xml", ".rels"))
                counter = _WordTextCounter() if info.filename == "word/document.xml" else None
                parser = etree.XMLParser(target=counter, resolve_entities=False, no_network=True) if counter else None
                parts: list[bytes] = []
                with package.open(info) as member:
                    while chunk := member.read(_UNZIP_CHUNK):
                        total += len(chunk)
                        if total > MAX_UNZIPPED:
                            raise IngestError(f"Tệp .docx giải nén ra hơn {MAX_UNZIPPED // 1024 // 1024} MB: không "
                                              "phải văn bản Word thông thường (có thể là tệp nén độc hại).", 413)
                        if parser is not None:
                            parser.feed(chunk)
                        if keep:
                            parts.append(chunk)
                if parser is not None:
                    parser.close()
                out.writestr(info.filename, b"".join(parts))
    except zipfile.BadZipFile as exc:
        raise IngestError(f"Tệp Word (.docx) bị hỏng: {exc}.") from exc
    except (etree.XMLSyntaxError, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise IngestError(f"Tệp Word (.docx) bị hỏng, không đọc được: {exc}.") from exc
    return clean.getvalue()


class _WordTextCounter:
    """An lxml parser target (no tree is built): counts the characters in ``w:t`` and stops at the limit."""

    _T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"

    def __init__(self) -> None:
        self.inside, self.chars = 0, 0

    def start(self, tag, attrib) -> None:
        self.inside += tag == self._T

    def end(self, tag) -> None:
        self.inside -= tag == self._T

    def data(self, text: str) -> None:
        if self.inside:
            self.chars += len(text)
            if self.chars > MAX_TEXT_CHARS:
                raise _too_much_text()

    def close(self) -> int:
        return self.chars


def _paragraph_text(p) -> str:
    """All the words of a Word paragraph, inserted revisions and links included: deleted
    text is ``w:delText`` and field codes ``w:instrText``, so neither is read."""
    from docx.oxml.ns import qn

    marks = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
    return "".join(el.text or "" if el.tag == qn("w:t") else marks[el.tag]
                   for el in p.iter(qn("w:t"), *marks))


class _WordNumbering:
    """Word's automatic list numbers ("1.", "a)") are not in the paragraph text:
    render them from numbering.xml so clauses and points keep their numbers."""

    _FORMATS = {"decimal": str, "decimalZero": lambda n: f"{n:02d}",
                "lowerLetter": lambda n: "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26],
                "upperLetter": lambda n: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26],
                "lowerRoman": lambda n: _roman(n).lower(), "upperRoman": lambda n: _roman(n)}

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (format, text, start)
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is not None:
            abstract = {}
            for a in root.iterchildren(qn("w:abstractNum")):
                lvls = {}
                for lvl in a.iterchildren(qn("w:lvl")):
                    lvls[int(lvl.get(qn("w:ilvl")))] = (self._val(lvl, "w:numFmt") or "decimal",
                                                        self._val(lvl, "w:lvlText") or "",
                                                        int(self._val(lvl, "w:start") or 1))
                abstract[a.get(qn("w:abstractNumId"))] = lvls
            for num in root.iterchildren(qn("w:num")):
                self.levels[num.get(qn("w:numId"))] = abstract.get(self._val(num, "w:abstractNumId"), {})
        self.styles: dict[str, tuple[str, int]] = {}
        for style in document.styles.element.iterchildren(qn("w:style")):
            num = self._num_pr(style)
            if num:
                self.styles[style.get(qn("w:styleId"))] = num

    def _val(self, element, tag: str) -> str | None:
        child = element.find(self.qn(tag))
        return child.get(self.qn("w:val")) if child is not None else None

    def _num_pr(self, element) -> tuple[str, int] | None:
        ppr = element.find(self.qn("w:pPr"))
        num_pr = ppr.find(self.qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            return None
        num_id = self._val(num_pr, "w:numId")
        return (num_id, int(self._val(num_pr, "w:ilvl") or 0)) if num_id else None

    def label(self, p) -> str:
        num = self._num_pr(p)
        if num is None:
            ppr = p.find(self.qn("w:pPr"))
            style = ppr.find(self.qn("w:pStyle")) if ppr is not None else None
            num = self.styles.get(style.get(self.qn("w:val"))) if style is not None else None
        if num is None or num[0] == "0" or num[0] not in self.levels:
            return ""
        num_id, ilvl = num
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else levels[ilvl][2]
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""

        def level_number(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            f = levels.get(level, ("decimal", "", 1))[0]
            return self._FORMATS.get(f, str)(counts[level] or 1)

        return re.sub(r"%(\d)", level_number, text) + " "


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?$", re.IGNORECASE)
_STARTS_UNIT = re.compile(r"^(Điều \d|Chương |CHƯƠNG |Mục \d|MỤC |Phần |PHẦN |PHỤ LỤC|Phụ lục|[IVXLC]+\. |\d{1,2}\. |"
                          r"[a-zđ]\) |[-+•*–] |Nơi nhận|TM\.|KT\.|Căn cứ|Số:)")


def read_pdf(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("Tệp PDF có mật khẩu: hãy gỡ mật khẩu rồi thêm lại.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise IngestError(f"Tệp PDF có {len(reader.pages)} trang, quá giới hạn {MAX_PDF_PAGES} trang của một văn "
                              "bản: hãy tách thành các văn bản riêng rồi thêm từng văn bản.", 413)
        pages: list[str] = []
        chars = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > MAX_TEXT_CHARS:
                raise _too_much_text()
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(f"Tệp PDF bị hỏng, không đọc được: {exc}.") from exc
    text = "".join(pages)
    if sum(1 for c in text if c.isalnum()) < MIN_TEXT_CHARS:
        raise IngestError(f"Tệp PDF không có lớp chữ ({len(pages)} trang chỉ có hình ảnh, như bản quét): "
                          "chưa thêm gì. Hãy dùng bản Word hoặc PDF có chữ (tải từ cổng văn bản), "
                          "hoặc nhận dạng chữ (OCR) trước.")
    lines = [clean_line(line) for page in pages for line in decode_text(page.encode()).split("\n")]
    return _reflow([line for line in lines if line and not _PAGE_NUMBER.match(line)])


def _reflow(lines: list[str]) -> list[str]:
    """A PDF breaks paragraphs into printed lines: join a line to the one above when that
    one runs to the margin or the line goes on in lower case, unless the one above ends a
    sentence or the line opens an article, clause, point, bullet or heading."""
    if not lines:
        return []
    full = sorted(len(line) for line in lines)[int(len(lines) * 0.9)]  # the width of a full printed line
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        ends = prev.endswith((".", ";", ":", "!", "?", ")", "”", '"', "./."))
        wrapped = len(prev) >= 0.8 * full or line[:1].islower()
        same_case = _is_upper(prev) == _is_upper(line)  # "QUYẾT ĐỊNH:" under "Căn cứ …" is a line of its own
        if not ends and wrapped and same_case and not _STARTS_UNIT.match(line):
            out[-1] = f"{prev} {line}"
        else:
            out.append(line)
    return out


_HTML_BLOCKS = {"p", "div", "br", "tr", "td", "th", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "caption"}
_HTML_JUNK = ("script", "style", "noscript", "template", "iframe", "svg", "form", "button", "select", "input",
              "nav", "aside", "object", "embed")
_JUNK_CLASS = re.compile(r"^(menu|nav|navbar|navigation|breadcrumbs?|sidebar|banner|share|social|comments?|ads?|"
                         r"advert|quangcao|footer-menu|cookie)$", re.IGNORECASE)
_CONTENT_CLASS = re.compile(r"toanvan|noidung|content|fulltext|vanban|detail|article|doc-?body", re.IGNORECASE)


def read_html(data: bytes) -> list[str]:
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(decode_text(data), "html.parser")
    for tag in soup.find_all(_HTML_JUNK):
        tag.decompose()
    for tag in soup.find_all(lambda t: any(_JUNK_CLASS.match(c) for c in _classes(t))):
        tag.decompose()
    # The text lives in <main>/<article> or the portals' content box; the rest is the page around it.
    candidates = soup.find_all(["main", "article"]) + soup.find_all(
        lambda t: t.name == "div" and any(_CONTENT_CLASS.search(c) for c in _classes(t)))
    sized = [(len(t.get_text(strip=True)), t) for t in candidates]
    most = max((n for n, _ in sized), default=0)
    # the innermost box that holds nearly all of that text: a page wrapper holds it too, with chrome
    root = min((st for st in sized if st[0] >= 0.9 * most), key=lambda st: st[0], default=(0, None))[1]
    if root is None or most < MIN_TEXT_CHARS:
        root = soup.body or soup
        for tag in root.find_all(["header", "footer"]):
            tag.decompose()
    lines: list[str] = [""]

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment or doctype
                    lines[-1] += re.sub(r"\s+", " ", str(child))
            elif isinstance(child, Tag):
                block = child.name in _HTML_BLOCKS
                if block:
                    lines.append("")
                walk(child)
                if block:
                    lines.append("")

    walk(root)
    return lines


def _classes(tag) -> list[str]:
    attrs = getattr(tag, "attrs", None) or {}
    classes = attrs.get("class") or []
    return [*classes, attrs.get("id") or ""]


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def read_text(data: bytes) -> list[str]:
    """Plain text or Markdown notes: heading marks and bold are dropped, the words kept."""
    return [_MD_EMPHASIS.sub(r"\2", _MD_HEADING.sub("", line)) for line in decode_text(data).split("\n")]


# ---------------------------------------------------------------- the corpus

def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:80].rstrip("-")


def document_from_text(text: str, meta: DocumentMeta) -> Document:
    """Parse stored text exactly as the engine will when it loads the corpus."""
    data = text.encode("utf-8")
    lines = tuple(SourceLine(i, c) for i, line in enumerate(text.split("\n"), start=1) if (c := clean_line(line)))
    return parse_document(RawDocument(meta, lines, hashlib.sha256(data).hexdigest()))


def ingest_bytes(stage: Staging, data: bytes, name: str = "", doc_id: str | None = None,
                 title: str | None = None, short_title: str | None = None) -> Change:
    """Add a document, replace the one with the same ``doc_id``, or do nothing if its text is
    already there. Raises ``IngestError`` before anything is written when it cannot be read."""
    extracted = extract(data)
    text = "\n".join(extracted.lines) + "\n"
    stored = text.encode("utf-8")
    header = detect_metadata(list(extracted.lines))
    stem = Path(name).stem if name else ""
    if doc_id is not None and not DOC_ID.match(doc_id):
        raise IngestError(f"doc_id '{doc_id}' không hợp lệ: chỉ chữ thường không dấu, số và dấu gạch ngang.")
    new_id = doc_id or slug(header.short_title) or slug(stem) or "van-ban-" + hashlib.sha256(stored).hexdigest()[:8]
    metas = stage.metas()
    by_id = {m.doc_id: m for m in metas}
    if doc_id is None and new_id not in by_id:  # the same text under a name of its own already
        for m in metas:
            if stage.stored(m) == stored:
                return Change("unchanged", m, document_from_text(text, m), extracted.fmt)
    previous = by_id.get(new_id)
    fallback_title = header.title or stem or new_id
    meta = DocumentMeta(
        doc_id=new_id,
        file=previous.file if previous else f"{new_id}.txt",
        short_title=short_title or header.short_title or (previous.short_title if previous else "")
        or _shorten(fallback_title),
        title=title or header.title or (previous.title if previous else "") or fallback_title,
        issuer=header.issuer or (previous.issuer if previous else ""),
        kind=header.kind or (previous.kind if previous else ""),
        number=header.number or (previous.number if previous else ""),
        date=header.date or (previous.date if previous else ""),
        implements=header.implements or (previous.implements if previous else ""),
    )
    document = document_from_text(text, meta)
    if previous == meta and stage.stored(previous) == stored:
        return Change("unchanged", meta, document, extracted.fmt)
    stage.put(meta, stored)
    return Change("replaced" if previous else "added", meta, document, extracted.fmt)


def read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(f"Tệp {path} quá lớn ({size // 1024 // 1024} MB); tối đa {MAX_BYTES // 1024 // 1024} MB.",
                              413)
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from exc


def remove_document(stage: Staging, doc_id: str) -> Change:
    metas = stage.metas()
    meta = next((m for m in metas if m.doc_id == doc_id), None)
    if meta is None:
        raise IngestError(f"Không có văn bản '{doc_id}'. Có: {', '.join(m.doc_id for m in metas) or '(trống)'}.",
                          404)
    if len(metas) == 1:
        raise IngestError("Không xóa văn bản cuối cùng: kho phải còn ít nhất một văn bản.", 409)
    stage.remove(doc_id)
    return Change("removed", meta)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def describe(change: Change) -> str:
    """One line for the official: what happened and how the document was split."""
    meta = change.meta
    verb = {"added": "Đã thêm", "replaced": "Đã thay bản mới", "unchanged": "Không đổi (đã có)",
            "removed": "Đã xóa"}[change.status]
    line = f"{verb}: {meta.doc_id} — {meta.short_title}"
    if change.document is not None:
        kinds = [s.kind for s in change.document.sections]
        line += (f" [{change.fmt}, bố cục {change.document.layout}: {len(kinds)} mục, "
                 f"{kinds.count('article')} điều, {kinds.count('clause')} khoản, {kinds.count('point')} điểm]")
    return line


