"""Facts come from the text: leads and coordinators of every task, duties, dates, cited documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascc_bot.corpus import load_corpus
from ascc_bot.facts import abbreviation_variants, extract_facts, split_agencies
from ascc_bot.sections import parse_document
from ascc_bot.text import fold, normalize
from ascc_bot.understand import build_lexicon, expand_abbreviations, restore_diacritics

ROOT = Path(__file__).resolve().parent.parent
GENERIC = "Các Sở, ngành, cơ quan, đơn vị liên quan"
LĐ = "Sở Lao động Thương binh và Xã hội"

LEADS = {
    "II.1": ["Sở Thông tin và Truyền thông", "Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Giáo dục và Đào tạo",
             "Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường", "Sở Y tế", "Sở Nội vụ",
             "Sở Ngoại vụ", "Sở Khoa học và Công nghệ", LĐ, "Ủy ban nhân dân quận, huyện"],
    "II.2": [LĐ],
    "II.3": ["Sở Tài nguyên và Môi trường"],
    "II.4": ["Sở Khoa học và Công nghệ", "Sở Nội vụ", "Sở Y tế", LĐ],
    "II.5": ["Sở Thông tin và Truyền thông", "Sở Giáo dục và Đào tạo"],
    "II.6": ["Sở Y tế", "Bảo hiểm Xã hội Hải Phòng", LĐ],
    "II.7": ["Sở Văn hóa và Thể thao", "Sở Du lịch"],
    "II.8": ["Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Thông tin và Truyền thông"],
    "II.9": ["Sở Văn hóa và Thể thao", "Sở Ngoại vụ"],
    "II.10": ["Sở Kế hoạch và Đầu tư", "Sở Ngoại vụ"],
}
COORDS = {"II.1": ["Sở Tư pháp", "các cơ quan, tổ chức liên quan"],
          "II.2": ["Các sở, ban, ngành, cơ quan liên quan"],
          **{f"II.{n}": [GENERIC] for n in range(3, 11)}}


@pytest.fixture(scope="module")
def docs():
    return [parse_document(r) for r in load_corpus(ROOT / "corpus")]


@pytest.fixture(scope="module")
def facts(docs):
    return extract_facts(docs)


def test_leads_and_coordinators_of_every_task(facts):
    assert {t.section_id: list(t.leads) for t in facts.tasks} == LEADS
    assert {t.section_id: list(t.coordinators) for t in facts.tasks} == COORDS
    t6 = facts.task("ke-hoach-ascc-hai-phong-2025", "II.6.1.2")
    assert (t6.lead_section, t6.coord_section, t6.content_section) == ("II.6.2", "II.6.3", "II.6.1")


def test_elliptical_list_expands():
    names, generic = split_agencies("Các sở: Khoa học và Công nghệ; Nội vụ, Y tế, Lao động Thương binh và Xã hội.")
    assert names == ["Sở Khoa học và Công nghệ", "Sở Nội vụ", "Sở Y tế", LĐ] and not generic


def test_duties_in_part_vi(facts):
    duties = {d.section_id: d.agency for d in facts.duties if d.section_id.startswith("VI.")}
    assert duties == {"VI.2": LĐ, "VI.3": "Sở Tài chính", "VI.4": "Sở Kế hoạch và Đầu tư",
                      "VI.5": "Ủy ban Mặt trận Tổ quốc Việt Nam", "VI.6": "Ban Tuyên giáo Thành ủy"}


def test_time_facts(facts):
    report = [t for t in facts.times if t.kind == "report_deadline"]
    assert [(t.when, t.recipient, t.section_id) for t in report] == [
        ("trước ngày 01 tháng 12 hàng năm", LĐ, "VI.1")]
    milestones = [(t.when, t.section_id) for t in facts.times if t.kind == "milestone"]
    assert milestones == [("Năm 2017", "IV.2"), ("Năm 2020", "IV.2"), ("Năm 2025", "IV.2")]
    periods = {(t.when, t.section_id) for t in facts.times if t.kind == "period"}
    assert {("2016 - 2020", "VI.2"), ("2016 - 2025", "VI.2"), ("2021 - 2025", "IV.2")} <= periods


def test_cited_documents(facts):
    cited = {c.number: (c.date, c.issuer, c.section_ids) for c in facts.cited}
    assert cited["161/QĐ-TTg"] == ("25/01/2016", "Thủ tướng Chính phủ", ("preamble",))
    assert cited["15-NQ/TW"][0] == "01/6/2012" and cited["15-NQ/TW"][2] == ("II.2.1",)
    assert cited["21-NQ/TW"][:2] == ("22/11/2012", "Bộ Chính trị khóa XI")
    titles = {c.number: c.title for c in facts.cited}
    assert titles["15-NQ/TW"] == "Một số vấn đề về chính sách xã hội giai đoạn 2012-2020"


def test_a_law_cited_by_its_name(facts):
    laws = [c for c in facts.cited if not c.number]
    assert [(c.label, c.section_ids) for c in laws] == [("Luật Ngân sách nhà nước", ("III.1", "VI.3"))]
    # "pháp luật của Nhà nước" (VI.5) names no law
    from ascc_bot.facts import _CITED_LAW
    decree = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật số 83/2015/QH13;"
    assert [m.group(1) for m in _CITED_LAW.finditer(decree)] == ["Tổ chức chính quyền địa phương"]


def test_gazetteer_abbreviations(facts, docs):
    assert {"LĐTBXH", "LĐTB&XH", "LĐ-TB&XH"} <= set(abbreviation_variants(LĐ))
    assert {"TT&TT", "TTTT"} <= set(abbreviation_variants("Sở Thông tin và Truyền thông"))
    vocab = build_lexicon(docs, facts)
    assert expand_abbreviations("Sở LĐ-TB&XH và Sở GD&ĐT", vocab) == f"{LĐ} và Sở Giáo dục và Đào tạo"
    assert expand_abbreviations("UBND các quận", vocab) == "Ủy ban nhân dân các quận"
    assert expand_abbreviations("Sở TN&MT, NN&PTNT, KH&ĐT", vocab) == (
        "Sở Tài nguyên và Môi trường, Nông nghiệp và Phát triển nông thôn, Kế hoạch và Đầu tư")


def test_text_normalisation():
    assert normalize("hoà  thuý") == "hòa thúy"  # one tone-mark placement, original spacing
    assert fold("Đảng Bảo hiểm") == "dang bao hiem"


def test_diacritics_restored_from_corpus_vocabulary(docs, facts):
    vocab = build_lexicon(docs, facts)
    assert restore_diacritics("so nao thuc hien nhiem vu cham soc suc khoe", vocab) == \
        "sở nào thực hiện nhiệm vụ chăm sóc sức khỏe"
