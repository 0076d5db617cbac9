"""Sample documents for the tests: short FICTIONAL decrees shaped like real ones.

None of this is real legal text. Every sample names a made-up province ("tỉnh Kiểm
Thử"), a date in 2099 and says on its own lines "VĂN BẢN MẪU DÙNG ĐỂ KIỂM THỬ". The
builders write the same decree as Word (python-docx), PDF (reportlab with DejaVuSans
for the Vietnamese glyphs), a page saved from a legal-document portal (HTML with menus
around the text) and plain text, plus the broken files an official may upload by mistake.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

MARK = "(VĂN BẢN MẪU DÙNG ĐỂ KIỂM THỬ - không phải văn bản thật)"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass(frozen=True)
class Sample:
    """One fictional decree; ``lines`` is its text as an official reads it, line by line."""

    number: str = "999/QĐ-UBND"
    kind: str = "QUYẾT ĐỊNH"
    issuer: str = "ỦY BAN NHÂN DÂN TỈNH KIỂM THỬ"
    day: str = "ngày 15 tháng 3 năm 2099"
    subject: str = "Ban hành Quy chế mẫu phối hợp tổ chức các hoạt động giao lưu văn hóa ASEAN"
    festival: str = "Liên hoan ẩm thực ASEAN"

    @property
    def word(self) -> str:  # "Quyết định này", "Nghị quyết này"
        return self.kind.capitalize()

    @property
    def header_left(self) -> list[str]:
        return [self.issuer, f"Số: {self.number}"]

    @property
    def header_right(self) -> list[str]:
        return ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", f"Kiểm Thử, {self.day}"]

    @property
    def title_block(self) -> list[str]:
        return [MARK, self.kind, self.subject, self.issuer,
                "Căn cứ Luật Mẫu về tổ chức chính quyền địa phương;",
                "Theo đề nghị của Giám đốc Sở Lao động - Thương binh và Xã hội,",
                f"{self.kind}:"]

    @property
    def body(self) -> list[str]:
        return [
            "Chương I",
            "QUY ĐỊNH CHUNG",
            "Điều 1. Phạm vi điều chỉnh",
            f"{self.word} này quy định việc phối hợp tổ chức các hoạt động giao lưu văn hóa ASEAN "
            "trên địa bàn tỉnh Kiểm Thử.",
            "Điều 2. Đối tượng áp dụng",
            *self.article2_clauses,
            "Chương II",
            "TRÁCH NHIỆM CỦA CÁC CƠ QUAN",
            "Điều 3. Trách nhiệm tổ chức thực hiện",
            "1. Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với các sở, ngành theo dõi việc thực hiện "
            "và báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 hằng năm.",
            f"2. Sở Văn hóa, Thể thao và Du lịch tổ chức {self.festival} tại công viên trung tâm tỉnh "
            "vào tháng 8 hằng năm, gồm:",
            "a) Gian hàng ẩm thực của các nước ASEAN;",
            "b) Chương trình biểu diễn nghệ thuật đường phố.",
            "3. Sở Tài chính bố trí kinh phí thực hiện từ ngân sách tỉnh.",
            "Điều 4. Hiệu lực thi hành",
            f"{self.word} này có hiệu lực kể từ ngày ký.",
            "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, Chủ tịch Ủy ban nhân dân các huyện "
            f"chịu trách nhiệm thi hành {self.word.lower()} này./.",
        ]

    @property
    def article2_clauses(self) -> list[str]:
        return ["1. Các sở, ban, ngành của tỉnh.", "2. Ủy ban nhân dân các huyện, thị xã."]

    @property
    def recipients(self) -> list[str]:
        return ["Nơi nhận:", "- Như Điều 4;", "- Lưu: VT."]

    @property
    def signature(self) -> list[str]:
        return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Chữ ký mẫu)", "Nguyễn Văn Mẫu"]

    @property
    def appendix(self) -> list[str]:
        return ["PHỤ LỤC I", "DANH MỤC GIAN HÀNG MẪU",
                f"(Kèm theo {self.word} số {self.number} {self.day} của Ủy ban nhân dân tỉnh Kiểm Thử)",
                "1. Gian hàng ẩm thực Việt Nam.", "2. Gian hàng ẩm thực Lào.", MARK]

    @property
    def lines(self) -> list[str]:
        """The reading order of the Word file: header table row by row, each cell top to bottom."""
        left, right = self.header_left, self.header_right
        header = [left[0], *right[:2], left[1], right[2]]
        return header + self.title_block + self.body + self.recipients + self.signature + self.appendix

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


DECREE = Sample()


def docx_bytes(sample: Sample = DECREE) -> bytes:
    """Word as offices write it: header and signature in borderless tables, Article 2's
    clauses numbered by Word's own list numbering (the "1." is not in the text)."""
    import docx

    doc = docx.Document()
    doc.core_properties.title = "VĂN BẢN MẪU DÙNG ĐỂ KIỂM THỬ"
    table = doc.add_table(rows=2, cols=2)
    left, right = sample.header_left, sample.header_right
    table.cell(0, 0).text = left[0]
    table.cell(0, 1).text = right[0]
    table.cell(0, 1).add_paragraph(right[1])
    table.cell(1, 0).text = left[1]
    table.cell(1, 1).text = right[2]
    for line in sample.title_block:
        doc.add_paragraph(line)
    for line in sample.body:
        if line in sample.article2_clauses:
            doc.add_paragraph(line.split(". ", 1)[1], style="List Number")
        else:
            doc.add_paragraph(line)
    footer = doc.add_table(rows=1, cols=2)
    footer.cell(0, 0).text = sample.recipients[0]
    for line in sample.recipients[1:]:
        footer.cell(0, 0).add_paragraph(line)
    footer.cell(0, 1).text = sample.signature[0]
    for line in sample.signature[1:]:
        footer.cell(0, 1).add_paragraph(line)
    for line in sample.appendix:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_with_revisions_bytes() -> bytes:
    """Word with tracked changes (words deleted, words inserted) and a field code."""
    import docx
    from docx.oxml import OxmlElement

    def run(text: str, tag: str = "w:t"):
        r = OxmlElement("w:r")
        t = OxmlElement(tag)
        t.text = text
        r.append(t)
        return r

    doc = docx.Document()
    for line in DECREE.lines[:20]:
        doc.add_paragraph(line)
    p = doc.add_paragraph("Điều 9. Sửa đổi ")
    deleted, inserted = OxmlElement("w:del"), OxmlElement("w:ins")
    deleted.append(run("bản cũ", "w:delText"))
    inserted.append(run("bản mới mẫu"))
    p._p.append(deleted)
    p._p.append(inserted)
    p._p.append(run(" PAGE ", "w:instrText"))
    p._p.append(run("."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_bytes(sample: Sample = DECREE, width_chars: int = 70) -> bytes:
    """A PDF with a text layer, laid out like a printed decree: the header in two
    columns and long paragraphs wrapped over several lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not FONT.is_file():
        raise FileNotFoundError(f"{FONT} is missing: apt-get install fonts-dejavu-core (Vietnamese glyphs for PDFs)")
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle("VĂN BẢN MẪU DÙNG ĐỂ KIỂM THỬ")
    size, lead = 10, 14
    y = A4[1] - 60

    def newline(step: float = lead) -> None:
        nonlocal y
        y -= step
        if y < 60:
            pdf.showPage()
            pdf.setFont("DejaVuSans", size)
            y = A4[1] - 60

    pdf.setFont("DejaVuSans", size)
    left, right = sample.header_left, sample.header_right
    for i in range(max(len(left), len(right))):
        if i < len(left):
            pdf.drawString(50, y, left[i])
        if i < len(right):
            pdf.drawString(300, y, right[i])
        newline()
    width = pdfmetrics.stringWidth("n" * width_chars, "DejaVuSans", size)
    for line in sample.title_block + sample.body + sample.recipients + sample.signature + sample.appendix:
        for piece in simpleSplit(line, "DejaVuSans", size, width):
            pdf.drawString(50, y, piece)
            newline()
    pdf.save()
    return out.getvalue()


def scanned_pdf_bytes() -> bytes:
    """What a scanner gives: one picture per page and no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for y in range(60, 760, 24):  # grey bars where the lines of a page would be
        draw.rectangle((60, y, 540, y + 10), fill=(90, 90, 90))
    picture = io.BytesIO()
    image.save(picture, format="PNG")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 40, 40, A4[0] - 80, A4[1] - 80)
    pdf.save()
    return out.getvalue()


def html_bytes(sample: Sample = DECREE) -> bytes:
    """A page saved from a legal-document portal: menus, breadcrumb, sidebar and footer
    around the text, inline bold inside paragraphs, the header in a table."""
    from html import escape

    def p(line: str) -> str:
        if line.startswith("Điều "):
            head, _, rest = line.partition(". ")
            return f"<p><b>{escape(head)}.</b> {escape(rest)}</p>"
        return f"<p>{escape(line)}</p>"

    left, right = sample.header_left, sample.header_right
    header = (f"<table><tr><td><b>{escape(left[0])}</b></td><td><b>{escape(right[0])}</b><br>{escape(right[1])}"
              f"</td></tr><tr><td>{escape(left[1])}</td><td><i>{escape(right[2])}</i></td></tr></table>")
    text = "\n".join(p(line) for line in sample.title_block + sample.body + sample.recipients
                     + sample.signature + sample.appendix)
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{escape(sample.kind)} {escape(sample.number)} - Cổng mẫu</title>
<style>.menu {{ color: red }}</style><script>var tracking = "Điều 9. không phải văn bản";</script></head>
<body>
<header><div class="logo">CỔNG THÔNG TIN VĂN BẢN MẪU</div></header>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản pháp luật</a></li>
<li><a href="/lh">Liên hệ</a></li></ul></nav>
<div class="breadcrumb">Trang chủ » Văn bản » {escape(sample.number)}</div>
<div id="toanvancontent" class="content">
{header}
{text}
</div>
<aside class="sidebar"><h3>Văn bản liên quan</h3><ul><li>Quyết định số 1/QĐ-MẪU</li></ul></aside>
<footer>Bản quyền thuộc Cổng thông tin mẫu. Điện thoại: 000 000 000.</footer>
</body></html>"""
    return page.encode("utf-8")


def junk_docx_bytes() -> bytes:
    """A .docx that is really a zip of junk: no word/document.xml inside."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("junk/readme.txt", "không phải tệp Word")
        z.writestr("junk/data.bin", bytes(range(256)) * 16)
    return out.getvalue()


def broken_docx_bytes() -> bytes:
    """A zip that claims to be Word but whose document.xml is not XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<<< hỏng >>>")
    return out.getvalue()


def markdown_bytes(sample: Sample = DECREE) -> bytes:
    """The same decree kept as Markdown notes: headings marked with '#', articles in bold."""
    out = []
    for line in sample.lines:
        if line in (sample.kind, "Chương I", "Chương II", "PHỤ LỤC I"):
            out.append(f"## {line}")
        elif line.startswith("Điều "):
            head, _, rest = line.partition(". ")
            out.append(f"**{head}.** {rest}")
        else:
            out.append(line)
        out.append("")
    return "\n".join(out).encode("utf-8")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- hostile files (issue 11)


def _zip_with_raw_member(base: bytes, name: str, raw_deflate: bytes, crc: int, declared_size: int) -> bytes:
    """``base`` (a zip) with member ``name`` replaced by an already-deflated stream whose headers
    declare ``declared_size``: what a zip bomb does, written byte by byte as the format says."""
    import struct
    import zlib

    entries = []
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        for info in z.infolist():
            if info.filename != name:
                data = z.read(info)
                packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                entries.append((info.filename, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)))
    entries.append((name, raw_deflate, crc, declared_size))
    out, central = io.BytesIO(), io.BytesIO()
    for filename, payload, crc32, size in entries:
        encoded = filename.encode()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc32, len(payload), size, len(encoded), 0))
        out.write(encoded + payload)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc32, len(payload), size,
                                  len(encoded), 0, 0, 0, 0, 0, offset))
        central.write(encoded)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central.getvalue()), start, 0))
    return out.getvalue()


def _zeros_deflated(gib: float) -> bytes:
    """A deflate stream of ``gib`` GiB of zeros, made from one compressed MiB repeated: after a
    full flush the compressor starts afresh, so every MiB compresses to the same bytes."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    mib = bytes(1024 * 1024)
    first = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
    repeat = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + repeat * (int(gib * 1024) - 1) + packer.flush()


def zip_bomb_docx_bytes(claimed: int = 1024, gib: float = 4, member: str = "word/document.xml") -> bytes:
    """A Word file (about 1 MB a GiB) whose ``member`` claims ``claimed`` bytes and expands to ``gib`` GiB."""
    import zlib

    crc = zlib.crc32(bytes(claimed)) if claimed < 2 ** 26 else 0
    return _zip_with_raw_member(docx_bytes(), member, _zeros_deflated(gib), crc, claimed)


def big_honest_docx_bytes(lines: int = 2_600_000) -> bytes:
    """A Word file whose sizes are all true: ``lines`` paragraphs, about 185 MB of XML, a few hundred KB
    packed (the lines repeat, as an appendix table exported line by line would)."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\n')
    line = "<w:p><w:r><w:t>Dòng số liệu của phụ lục kèm theo văn bản mẫu.</w:t></w:r></w:p>\n".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in parts.items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w", force_zip64=True) as doc:
            doc.write(head)
            block = line * 10_000
            for _ in range(lines // 10_000):
                doc.write(block)
            doc.write(b"</w:body></w:document>")
    return out.getvalue()


def long_pdf_bytes(pages: int = 2000) -> bytes:
    """A PDF with a line of text on each of ``pages`` pages."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for number in range(1, pages + 1):
        pdf.setFont("DejaVu", 11)
        pdf.drawString(72, 760, f"Trang {number}: nội dung văn bản mẫu dùng để kiểm thử giới hạn số trang.")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def random_bytes(size: int = 200_000, seed: int = 11) -> bytes:
    """Random bytes without NUL (NUL alone gives a binary file away), not starting like any container."""
    import random

    rng = random.Random(seed)
    return b"R" + bytes(rng.randrange(1, 256) for _ in range(size))
