"""The plan as received becomes a section tree whose ids follow docs/sections.md."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from ascc_bot.corpus import CorpusError, load_corpus, read_manifest
from ascc_bot.sections import parse_document, section_label

ROOT = Path(__file__).resolve().parent.parent

PLAN_IDS = (
    ["preamble", "I", "I.1", "I.2", "II"]
    + [f"II.{n}{s}" for n in range(1, 6) for s in ("", ".1", ".2", ".3")]
    + ["II.6", "II.6.1", "II.6.1.1", "II.6.1.2", "II.6.2", "II.6.3"]
    + ["II.7", "II.7.1", "II.7.2", "II.7.3"]
    + ["II.8", "II.8.1", "II.8.1.1", "II.8.1.2", "II.8.2", "II.8.3"]
    + [f"II.{n}{s}" for n in (9, 10) for s in ("", ".1", ".2", ".3")]
    + ["II.11", "III", "III.1", "III.2", "IV", "IV.1", "IV.2", "V", "VI"]
    + [f"VI.{n}" for n in range(1, 7)] + ["closing"]
)


@pytest.fixture(scope="module")
def plan():
    return parse_document(load_corpus(ROOT / "corpus")[0])


def test_manifest_metadata():
    meta = read_manifest(ROOT / "corpus")[0]
    assert meta.issuer == "Ủy ban nhân dân thành phố Hải Phòng"
    assert meta.implements == "161/QĐ-TTg" and meta.kind == "Kế hoạch"


def test_full_id_set_in_document_order(plan):
    assert [s.section_id for s in plan.sections] == PLAN_IDS


def test_every_non_blank_line_lands_in_exactly_one_section(plan):
    source = (ROOT / "corpus" / "ke-hoach-ascc-hai-phong-2025.txt").read_text(encoding="utf-8").split("\n")
    non_blank = {i for i, line in enumerate(source, start=1) if line.replace("\u00a0", " ").strip()}
    owned = [n for s in plan.sections for n in s.lines]
    assert len(owned) == len(set(owned)), "a line landed in two sections"
    assert set(owned) == non_blank


def test_sections_keep_the_documents_words(plan):
    assert plan.section("II.6.2").title == (
        "Cơ quan thực hiện: Sở Y tế; Bảo hiểm Xã hội Hải Phòng, Sở Lao động Thương binh và Xã hội.")
    v = plan.section("V")
    assert len(v.blocks) == 12  # "+" sub-bullets stay with their "-" bullet
    assert "+ Biên soạn và phát hành các ấn phẩm truyền thông" in v.blocks[6].text
    assert plan.section("closing").blocks[0].text.startswith("Trên đây là Kế hoạch")
    assert "Bộ LĐTBXH;" in [b.text for b in plan.section("closing").blocks]


def test_labels_as_officials_write_them():
    assert section_label("II.6.2") == "Mục II, điểm 6.2"
    assert section_label("VI.1") == "Mục VI, khoản 1"
    assert section_label("V") == "Mục V"
    assert section_label("Dieu-5.Khoan-2") == "Khoản 2 Điều 5"
    assert section_label("Dieu-5.Khoan-2.Diem-a") == "Điểm a Khoản 2 Điều 5"


def test_loader_copes_with_crlf_nfd_nbsp_tabs(tmp_path, plan):
    shutil.copy(ROOT / "corpus" / "manifest.json", tmp_path / "manifest.json")
    text = (ROOT / "corpus" / "ke-hoach-ascc-hai-phong-2025.txt").read_text(encoding="utf-8")
    messy = "\ufeff" + "\r\n".join("\t \u00a0" + unicodedata.normalize("NFD", line) for line in text.split("\n"))
    (tmp_path / "ke-hoach-ascc-hai-phong-2025.txt").write_bytes(messy.encode("utf-8"))
    again = parse_document(load_corpus(tmp_path)[0])
    assert [s.section_id for s in again.sections] == PLAN_IDS
    assert [s.text for s in again.sections] == [s.text for s in plan.sections]


def test_missing_corpus_file_is_a_clear_error(tmp_path):
    shutil.copy(ROOT / "corpus" / "manifest.json", tmp_path / "manifest.json")
    with pytest.raises(CorpusError, match="Thiếu tệp văn bản"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="manifest.json"):
        load_corpus(tmp_path / "nowhere")
