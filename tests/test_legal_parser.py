"""The parser for normative documents and the header metadata, on fictional sample decrees."""

from __future__ import annotations

from collections import Counter

import pytest

from ascc_bot.corpus import DocumentMeta, load_document, read_manifest
from ascc_bot.ingest import document_from_text
from ascc_bot.legal import detect_metadata, looks_legal, proper_name
from ascc_bot.sections import Document, parse_plan, section_label

from conftest import ROOT
from samples import DECREE, MARK

META = DocumentMeta("mau", "mau.txt", "Quyết định 999/QĐ-UBND", "Quyết định mẫu")

# A second fictional decree: Phần, Mục and Tiểu mục, Roman sub-parts inside an article,
# a two-line chapter title, points straight under an article, an unnumbered appendix.
DECREE_2 = f"""BỘ MẪU KIỂM THỬ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 01/2099/NĐ-CP
Hà Nội, ngày 02 tháng 01 năm 2099
{MARK}
NGHỊ ĐỊNH
Quy định mẫu về giao lưu văn hóa
Căn cứ Luật Mẫu;
CHÍNH PHỦ BAN HÀNH NGHỊ ĐỊNH:
Phần thứ nhất
NHỮNG QUY ĐỊNH CHUNG
Chương I
PHẠM VI ĐIỀU CHỈNH VÀ
ĐỐI TƯỢNG ÁP DỤNG
Điều 1. Phê duyệt Đề án mẫu với những nội dung sau:
I. MỤC TIÊU
1. Mục tiêu chung: nâng cao hiểu biết về ASEAN.
2. Mục tiêu cụ thể:
a) Tổ chức hội thảo mẫu;
đ) Không theo thứ tự chữ cái nhưng đi sau a.
II. NHIỆM VỤ
1. Tuyên truyền mẫu.
- Ý nhỏ một;
+ ý nhỏ hơn.
3. Khoản đánh số nhảy cóc vẫn là khoản.
2. Số lùi lại là lời văn của khoản trên.
Điều 2. Điều không có khoản
a) Điểm thẳng dưới điều;
b) Điểm thứ hai.
Phần thứ hai
TỔ CHỨC THỰC HIỆN
Chương II
TRÁCH NHIỆM
Mục 1. CÁC BỘ
Điều 3. Bộ Mẫu
Bộ Mẫu chủ trì.
Tiểu mục 1. Phối hợp
Điều 4. Phối hợp
Các bộ phối hợp.
Mục 2. ĐỊA PHƯƠNG
Điều 5. Ủy ban nhân dân cấp tỉnh
Ủy ban nhân dân cấp tỉnh tổ chức thực hiện.
Điều 5a. Điều được bổ sung
Nội dung bổ sung.
Điều 5. Số điều lặp lại là lời văn
Nơi nhận:
- Các bộ;
- Lưu: VT.
TM. CHÍNH PHỦ
THỦ TƯỚNG
Nguyễn Văn Mẫu
PHỤ LỤC
BẢNG MẪU
1. Dòng một.
Điều 9. Trong phụ lục chỉ là lời văn.
"""


def parse(text: str) -> Document:
    return document_from_text(text, META)


def ids(doc: Document) -> list[str]:
    return [s.section_id for s in doc.sections]


def test_sample_decree_sections_ids_titles_and_tree():
    doc = parse(DECREE.text())
    assert doc.layout == "legal"
    assert [(s.section_id, s.kind, s.title, s.parent_id) for s in doc.sections] == [
        ("preamble", "preamble", "", None),
        ("Chuong-I", "chapter", "QUY ĐỊNH CHUNG", None),
        ("Dieu-1", "article", "Phạm vi điều chỉnh", "Chuong-I"),
        ("Dieu-2", "article", "Đối tượng áp dụng", "Chuong-I"),
        ("Dieu-2.Khoan-1", "clause", "Các sở, ban, ngành của tỉnh.", "Dieu-2"),
        ("Dieu-2.Khoan-2", "clause", "Ủy ban nhân dân các huyện, thị xã.", "Dieu-2"),
        ("Chuong-II", "chapter", "TRÁCH NHIỆM CỦA CÁC CƠ QUAN", None),
        ("Dieu-3", "article", "Trách nhiệm tổ chức thực hiện", "Chuong-II"),
        ("Dieu-3.Khoan-1", "clause", "Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với các sở, ngành theo "
                                    "dõi việc thực hiện và báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 hằng "
                                    "năm.", "Dieu-3"),
        ("Dieu-3.Khoan-2", "clause", "Sở Văn hóa, Thể thao và Du lịch tổ chức Liên hoan ẩm thực ASEAN tại công viên "
                                    "trung tâm tỉnh vào tháng 8 hằng năm, gồm:", "Dieu-3"),
        ("Dieu-3.Khoan-2.Diem-a", "point", "Gian hàng ẩm thực của các nước ASEAN;", "Dieu-3.Khoan-2"),
        ("Dieu-3.Khoan-2.Diem-b", "point", "Chương trình biểu diễn nghệ thuật đường phố.", "Dieu-3.Khoan-2"),
        ("Dieu-3.Khoan-3", "clause", "Sở Tài chính bố trí kinh phí thực hiện từ ngân sách tỉnh.", "Dieu-3"),
        ("Dieu-4", "article", "Hiệu lực thi hành", "Chuong-II"),
        ("closing", "closing", "", None),
        ("Phu-luc-I", "appendix", "DANH MỤC GIAN HÀNG MẪU", None),
    ]
    assert [b.text for b in doc.section("Dieu-4").blocks] == [
        "Quyết định này có hiệu lực kể từ ngày ký.",
        "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, Chủ tịch Ủy ban nhân dân các huyện chịu trách "
        "nhiệm thi hành quyết định này./."]
    assert doc.section("Dieu-1").text == ("Phạm vi điều chỉnh\nQuyết định này quy định việc phối hợp tổ chức các hoạt "
                                          "động giao lưu văn hóa ASEAN trên địa bàn tỉnh Kiểm Thử.")
    assert [s.section_id for s in doc.descendants("Dieu-3")] == [
        "Dieu-3.Khoan-1", "Dieu-3.Khoan-2", "Dieu-3.Khoan-2.Diem-a", "Dieu-3.Khoan-2.Diem-b", "Dieu-3.Khoan-3"]
    assert doc.context("Dieu-3.Khoan-2.Diem-a").startswith("II. TRÁCH NHIỆM CỦA CÁC CƠ QUAN > 3. Trách nhiệm")


def test_header_and_footer_are_kept_out_of_the_body():
    doc = parse(DECREE.text())
    preamble = [b.text for b in doc.section("preamble").blocks]
    assert preamble[:5] == ["ỦY BAN NHÂN DÂN TỈNH KIỂM THỬ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                            "Độc lập - Tự do - Hạnh phúc", "Số: 999/QĐ-UBND", "Kiểm Thử, ngày 15 tháng 3 năm 2099"]
    assert preamble[-1] == "QUYẾT ĐỊNH:"
    # recipients and the signature block: "Nơi nhận" list bullets lose their dash like any bullet
    assert [b.text for b in doc.section("closing").blocks] == [
        "Nơi nhận:", "Như Điều 4;", "Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Chữ ký mẫu)", "Nguyễn Văn Mẫu"]
    assert [b.text for b in doc.section("Phu-luc-I").blocks] == [
        "(Kèm theo Quyết định số 999/QĐ-UBND ngày 15 tháng 3 năm 2099 của Ủy ban nhân dân tỉnh Kiểm Thử)",
        "1. Gian hàng ẩm thực Việt Nam.", "2. Gian hàng ẩm thực Lào.", MARK]  # an appendix is quoted whole


@pytest.mark.parametrize("text", [DECREE.text(), DECREE_2], ids=["decree", "decree-2"])
def test_every_non_blank_line_lands_in_exactly_one_section(text):
    doc = parse(text)
    numbered = [i for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
    claimed = Counter(n for s in doc.sections for n in s.lines)
    assert sorted(claimed) == numbered
    assert set(claimed.values()) == {1}
    assert len(ids(doc)) == len(set(ids(doc)))  # and every id is unique


def test_parts_sections_subsections_roman_sub_parts_and_appendix_without_number():
    doc = parse(DECREE_2)
    assert ids(doc) == [
        "preamble", "Phan-1", "Chuong-I", "Dieu-1",
        "Dieu-1.Muc-I", "Dieu-1.Muc-I.Khoan-1", "Dieu-1.Muc-I.Khoan-2",
        "Dieu-1.Muc-I.Khoan-2.Diem-a", "Dieu-1.Muc-I.Khoan-2.Diem-đ",
        "Dieu-1.Muc-II", "Dieu-1.Muc-II.Khoan-1", "Dieu-1.Muc-II.Khoan-3",
        "Dieu-2", "Dieu-2.Diem-a", "Dieu-2.Diem-b",
        "Phan-2", "Chuong-II", "Chuong-II.Muc-1", "Dieu-3", "Chuong-II.Muc-1.Tieu-muc-1", "Dieu-4",
        "Chuong-II.Muc-2", "Dieu-5", "Dieu-5a", "closing", "Phu-luc-1"]
    by = doc.by_id
    assert by["Phan-1"].title == "NHỮNG QUY ĐỊNH CHUNG"
    assert by["Chuong-I"].title == "PHẠM VI ĐIỀU CHỈNH VÀ ĐỐI TƯỢNG ÁP DỤNG"  # two lines of capitals
    assert by["Chuong-I"].parent_id == "Phan-1" and by["Dieu-1"].parent_id == "Chuong-I"
    assert by["Dieu-3"].parent_id == "Chuong-II.Muc-1" and by["Dieu-4"].parent_id == "Chuong-II.Muc-1.Tieu-muc-1"
    assert by["Dieu-5"].parent_id == "Chuong-II.Muc-2" and by["Dieu-5a"].title == "Điều được bổ sung"
    assert [s.depth for s in doc.ancestors("Dieu-1.Muc-I.Khoan-2.Diem-a")] == [1, 2, 3, 4, 5]
    # bullets belong to the clause above; a number going backwards is that clause's text, not a new one
    assert [b.text for b in by["Dieu-1.Muc-II.Khoan-1"].blocks] == ["Ý nhỏ một;\n+ ý nhỏ hơn."]
    assert [b.text for b in by["Dieu-1.Muc-II.Khoan-3"].blocks] == ["2. Số lùi lại là lời văn của khoản trên."]
    assert [b.text for b in by["Dieu-5a"].blocks] == ["Nội dung bổ sung.", "Điều 5. Số điều lặp lại là lời văn"]
    assert by["closing"].blocks[-1].text == "Nguyễn Văn Mẫu"
    assert by["Phu-luc-1"].title == "BẢNG MẪU"
    assert [b.text for b in by["Phu-luc-1"].blocks] == ["1. Dòng một.", "Điều 9. Trong phụ lục chỉ là lời văn."]


def test_labels_render_legal_ids_the_way_officials_write_them():
    assert section_label("Dieu-3.Khoan-2") == "Khoản 2 Điều 3"
    assert section_label("Dieu-3.Khoan-2.Diem-a") == "Điểm a Khoản 2 Điều 3"
    assert section_label("Dieu-1.Muc-II.Khoan-1") == "Khoản 1 Mục II Điều 1"
    assert section_label("Chuong-II.Muc-1") == "Chương II, Mục 1"
    assert section_label("Phu-luc-I") == "Phụ lục I"


def test_the_plan_keeps_its_own_parser():
    meta = next(m for m in read_manifest(ROOT / "corpus") if m.doc_id == "ke-hoach-ascc-hai-phong-2025")
    raw = load_document(ROOT / "corpus", meta)
    assert not looks_legal(raw)
    doc = document_from_text((ROOT / "corpus" / meta.file).read_text(encoding="utf-8"), meta)
    assert doc.layout == "plan"
    assert ids(doc) == ids(parse_plan(raw))
    assert {"II.6.2", "VI.1", "closing"} <= set(ids(doc))


def test_metadata_from_the_header_of_a_decision():
    meta = detect_metadata(DECREE.lines)
    assert (meta.kind, meta.number, meta.date, meta.issuer) == (
        "Quyết định", "999/QĐ-UBND", "15/03/2099", "Ủy ban nhân dân tỉnh Kiểm Thử")
    assert meta.subject == "Ban hành Quy chế mẫu phối hợp tổ chức các hoạt động giao lưu văn hóa ASEAN"
    assert meta.short_title == "Quyết định 999/QĐ-UBND"
    assert meta.title == "Quyết định ban hành Quy chế mẫu phối hợp tổ chức các hoạt động giao lưu văn hóa ASEAN"


@pytest.mark.parametrize("header, expected", [
    # a party resolution: "Số" without a colon, the issuer beside "ĐẢNG CỘNG SẢN VIỆT NAM"
    (["BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "*", "Số 99-NQ/TW", "Hà Nội, ngày 1 tháng 6 năm 2099",
      "NGHỊ QUYẾT", "Về một số vấn đề mẫu", "I. TÌNH HÌNH"],
     ("Nghị quyết", "99-NQ/TW", "01/06/2099", "Ban Chấp hành Trung ương", "Về một số vấn đề mẫu")),
    # a circular from a PDF whose two header columns came out on one line
    (["BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
      "Số: 99/2099/TT-BLĐTBXH Hà Nội, ngày 02 tháng 01 năm 2099", "THÔNG TƯ", "Hướng dẫn mẫu về báo cáo",
      "Căn cứ Luật Mẫu;", "Điều 1. Phạm vi"],
     ("Thông tư", "99/2099/TT-BLĐTBXH", "02/01/2099", "Bộ Lao động - Thương binh và Xã hội",
      "Hướng dẫn mẫu về báo cáo")),
    # a plan in capitals: the kind line, and the number it carries out, spelled as the "Căn cứ" line does
    (["KẾ HOẠCH", "TRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ 999/QĐ-UBND CỦA TỈNH KIỂM THỬ",
      "Căn cứ Quyết định số 999/QĐ-UBND ngày 15/3/2099;", "I. MỤC TIÊU"],
     ("Kế hoạch", "", "", "", "Triển khai thực hiện quyết định số 999/QĐ-UBND của tỉnh kiểm thử")),
])
def test_metadata_from_other_headers(header, expected):
    meta = detect_metadata(header)
    assert (meta.kind, meta.number, meta.date, meta.issuer, meta.subject) == expected
    if meta.kind == "Kế hoạch":
        assert meta.implements == "999/QĐ-UBND" and meta.short_title == ""


def test_kind_from_the_number_when_the_header_has_no_kind_line():
    assert detect_metadata(["Số: 12/QĐ-UBND", "Điều 1. Một", "Điều 2. Hai"]).kind == "Quyết định"


@pytest.mark.parametrize("upper, name", [
    ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
    ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "Ủy ban nhân dân thành phố Hải Phòng"),
    ("BỘ CHÍNH TRỊ", "Bộ Chính trị"),
])
def test_issuer_names_in_their_usual_case(upper, name):
    assert proper_name(upper) == name
