"""Adding related documents: readers by content, the stored corpus, the incremental index,
answers across documents, and the ``ingest`` / ``documents`` / ``remove`` commands.

Every document added here is a fictional sample (tests/samples.py) in a temporary copy
of the corpus; the repository's corpus/ folder is never touched. Readers and the stored
corpus are checked on a staging folder (``corpus_store.Staging``); committing a change with
its index is checked by the engine tests below and by tests/test_ingest_atomic.py.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ascc_bot import cli, corpus_store
from ascc_bot.corpus import read_manifest
from ascc_bot.corpus_store import Staging
from ascc_bot.engine import Engine
from ascc_bot.index import make_chunks
from ascc_bot.ingest import IngestError, extract, ingest_bytes, read_file, remove_document
from ascc_bot.text import fold

from conftest import PLAN_ID, ROOT
from samples import (
    DECREE,
    Sample,
    broken_docx_bytes,
    docx_bytes,
    docx_with_revisions_bytes,
    html_bytes,
    junk_docx_bytes,
    markdown_bytes,
    pdf_bytes,
    scanned_pdf_bytes,
    write,
)

DECREE_ID = "quyet-dinh-999-qd-ubnd"
SAMPLE_PLAN_ID = "ke-hoach-mau"
# A fictional district plan that cites the sample decree, for links between documents.
SAMPLE_PLAN = """ỦY BAN NHÂN DÂN HUYỆN MẪU
KẾ HOẠCH
Triển khai Quyết định số 999/QĐ-UBND của Ủy ban nhân dân tỉnh Kiểm Thử
(VĂN BẢN MẪU DÙNG ĐỂ KIỂM THỬ - không phải văn bản thật)
Căn cứ Quyết định số 999/QĐ-UBND ngày 15/3/2099 của Ủy ban nhân dân tỉnh Kiểm Thử về việc ban hành Quy chế mẫu \
phối hợp tổ chức các hoạt động giao lưu văn hóa ASEAN;
Ủy ban nhân dân huyện Mẫu xây dựng Kế hoạch như sau:
I. MỤC TIÊU
1. Phổ biến Quy chế mẫu đến cán bộ, công chức của huyện.
II. NHIỆM VỤ
1. Phòng Văn hóa và Thông tin huyện tổ chức hội nghị phổ biến Quy chế mẫu trong quý II năm 2099.
Nơi nhận:
- Lưu: VT.
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def corpus(tmp_path, settings) -> Staging:
    """A change being staged over a copy of the shipped corpus."""
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    own = replace(settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", data_dir=tmp_path / "data")
    return Staging(own, own.local_corpus / ".staging-test")


def ingest_path(stage: Staging, path: Path, **overrides):
    return ingest_bytes(stage, read_file(path), path.name, **overrides)


# ---------------------------------------------------------------- readers: the type comes from the bytes

def test_word_file_header_tables_and_automatic_numbering():
    extracted = extract(docx_bytes())
    assert extracted.fmt == "docx"
    # the header and signature tables in reading order; Article 2's "1." "2." come from Word's numbering
    assert list(extracted.lines) == DECREE.lines


def test_word_revisions_read_as_the_text_now_stands():
    lines = extract(docx_with_revisions_bytes()).lines
    assert lines[-1] == "Điều 9. Sửa đổi bản mới mẫu."  # not the deleted words, not the field code


def test_pdf_text_layer_with_wrapped_paragraphs_joined_again():
    extracted = extract(pdf_bytes(width_chars=45))
    assert extracted.fmt == "pdf"
    header = 5  # two printed columns: their order in the PDF is row by row
    assert sorted(extracted.lines[:header]) == sorted(DECREE.lines[:header])
    assert list(extracted.lines[header:]) == DECREE.lines[header:]


def test_saved_portal_page_gives_the_text_not_the_menus():
    extracted = extract(html_bytes())
    assert extracted.fmt == "html"
    assert list(extracted.lines) == DECREE.lines
    text = "\n".join(extracted.lines)
    for chrome in ("Trang chủ", "Văn bản liên quan", "Bản quyền", "tracking", "CỔNG THÔNG TIN"):
        assert chrome not in text


def test_text_and_markdown_with_bom_crlf_and_marks():
    assert list(extract(markdown_bytes()).lines) == DECREE.lines
    crlf = b"\xef\xbb\xbf" + DECREE.text().replace("\n", "\r\n").encode("utf-8")
    assert extract(crlf) == extract(DECREE.text().encode("utf-16"))
    assert list(extract(crlf).lines) == DECREE.lines


def test_type_is_read_from_content_not_from_the_name(corpus, tmp_path):
    change = ingest_path(corpus, write(tmp_path / "quyet-dinh.txt", pdf_bytes()))
    assert change.fmt == "pdf"
    change = ingest_path(corpus, write(tmp_path / "trang.docx", html_bytes(Sample(number="997/QĐ-UBND"))))
    assert change.fmt == "html"


@pytest.mark.parametrize("name, data, status, reason", [
    ("quyet-dinh-scan.pdf", scanned_pdf_bytes(), 400, "không có lớp chữ"),
    ("quyet-dinh.docx", junk_docx_bytes(), 400, "không phải Word .docx"),
    ("quyet-dinh-hong.docx", broken_docx_bytes(), 400, "bị hỏng"),
    ("quyet-dinh-cat-do.pdf", pdf_bytes()[:400], 400, "PDF"),
    ("quyet-dinh.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), 415, ".doc"),
    ("anh.txt", bytes(range(256)) * 8, 415, "Không nhận ra loại tệp"),
    ("trong.txt", b"  \n\n ", 400, "rỗng"),
], ids=["scanned-pdf", "junk-zip-docx", "broken-docx", "truncated-pdf", "word-97", "binary", "empty"])
def test_unreadable_files_are_refused_clearly_and_change_nothing(corpus, tmp_path, name, data, status, reason):
    before = (snapshot(corpus.folder), corpus.metas())
    with pytest.raises(IngestError) as refused:
        ingest_path(corpus, write(tmp_path / name, data))
    assert refused.value.status == status
    assert reason in str(refused.value)
    assert (snapshot(corpus.folder), corpus.metas()) == before


def test_scanned_pdf_says_what_to_do():
    with pytest.raises(IngestError) as refused:
        extract(scanned_pdf_bytes())
    message = str(refused.value)
    assert "bản quét" in message and "chưa thêm gì" in message and "OCR" in message


# ---------------------------------------------------------------- the corpus on disk

def test_ingest_stores_normalised_text_and_header_metadata(corpus, tmp_path):
    shipped = snapshot(corpus.settings.corpus_dir)
    change = ingest_path(corpus, write(tmp_path / "QĐ 999.docx", docx_bytes()))
    assert change.status == "added" and change.document.layout == "legal"
    metas = corpus.metas()
    assert [m.doc_id for m in metas] == [PLAN_ID, DECREE_ID]  # the plan stays the first, default document
    meta = metas[1]
    assert meta.__dict__ == {
        "doc_id": DECREE_ID, "file": f"{DECREE_ID}.txt", "short_title": "Quyết định 999/QĐ-UBND",
        "title": "Quyết định ban hành Quy chế mẫu phối hợp tổ chức các hoạt động giao lưu văn hóa ASEAN",
        "issuer": "Ủy ban nhân dân tỉnh Kiểm Thử", "kind": "Quyết định", "number": "999/QĐ-UBND",
        "date": "15/03/2099", "implements": ""}
    corpus.write_manifest()
    assert (corpus.folder / meta.file).read_text(encoding="utf-8") == DECREE.text()
    # the added document lives in the local corpus, with a manifest of its own; the shipped one is untouched
    assert read_manifest(corpus.folder) == [meta]
    assert snapshot(corpus.settings.corpus_dir) == shipped


def test_reingesting_the_same_text_is_a_no_op_in_any_format(corpus):
    ingest_bytes(corpus, docx_bytes(), "qd.docx")
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in corpus.folder.iterdir()}
    assert ingest_bytes(corpus, docx_bytes(), "qd.docx").status == "unchanged"
    assert ingest_bytes(corpus, html_bytes(), "qd.html").status == "unchanged"  # same words, saved from a portal
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in corpus.folder.iterdir()} == before


def test_a_changed_file_replaces_its_previous_version(corpus):
    ingest_bytes(corpus, docx_bytes(), "qd.docx")
    changed = Sample(festival="Hội chợ sách ASEAN")
    change = ingest_bytes(corpus, docx_bytes(changed), "qd-sua.docx")
    assert change.status == "replaced" and change.meta.doc_id == DECREE_ID
    assert [m.doc_id for m in corpus.metas()] == [PLAN_ID, DECREE_ID]
    assert (corpus.folder / f"{DECREE_ID}.txt").read_text(encoding="utf-8") == changed.text()


def test_remove_takes_one_document_out(corpus):
    ingest_bytes(corpus, docx_bytes(), "qd.docx")
    assert remove_document(corpus, DECREE_ID).status == "removed"
    assert [m.doc_id for m in corpus.metas()] == [PLAN_ID]
    with pytest.raises(IngestError) as unknown:
        remove_document(corpus, DECREE_ID)
    assert unknown.value.status == 404 and PLAN_ID in str(unknown.value)
    with pytest.raises(IngestError) as last:
        remove_document(corpus, PLAN_ID)
    assert last.value.status == 409
    assert [m.doc_id for m in corpus.metas()] == [PLAN_ID]


def test_a_shipped_document_is_hidden_not_deleted(corpus):
    shipped = snapshot(corpus.settings.corpus_dir)
    ingest_bytes(corpus, docx_bytes(), "qd.docx")
    remove_document(corpus, PLAN_ID)
    corpus.write_manifest()
    assert [m.doc_id for m in corpus.metas()] == [DECREE_ID]
    assert json.loads((corpus.folder / "manifest.json").read_text(encoding="utf-8"))["hidden"] == [PLAN_ID]
    assert snapshot(corpus.settings.corpus_dir) == shipped


def test_titles_and_doc_id_given_by_the_official(corpus):
    change = ingest_bytes(corpus, SAMPLE_PLAN.encode(), "Kế hoạch mẫu.txt")
    assert change.meta.doc_id == SAMPLE_PLAN_ID  # no number in the header: the file's name
    assert (change.meta.kind, change.meta.implements, change.document.layout) == ("Kế hoạch", "999/QĐ-UBND", "plan")
    assert change.meta.short_title.startswith("Kế hoạch triển khai Quyết định số 999/QĐ-UBND")
    change = ingest_bytes(corpus, docx_bytes(), "x.docx", doc_id="qd-mau", short_title="QĐ mẫu", title="Tên đầy đủ")
    assert (change.meta.doc_id, change.meta.short_title, change.meta.title) == ("qd-mau", "QĐ mẫu", "Tên đầy đủ")
    with pytest.raises(IngestError, match="doc_id"):
        ingest_bytes(corpus, docx_bytes(), "x.docx", doc_id="../Bad Id")


# ---------------------------------------------------------------- the engine: index and answers

@pytest.fixture(scope="module")
def decree_engine(tmp_path_factory, settings, engine, encoder) -> Engine:
    """The session engine's corpus and index copied, then the sample decree and a sample
    district plan citing it added: one reload, which must encode only those two."""
    base = tmp_path_factory.mktemp("ingest")
    shutil.copytree(settings.corpus_dir, base / "corpus")
    shutil.copytree(settings.index_dir, base / "index")
    own = replace(settings, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data")
    eng = Engine(own, encoder=encoder, progress=False, log=lambda msg: None)

    def add_both(stage: Staging):
        ingest_bytes(stage, docx_bytes(), "qd-999.docx")
        return ingest_bytes(stage, SAMPLE_PLAN.encode(), "ke-hoach-mau.txt", short_title="Kế hoạch mẫu của huyện")

    corpus_store.apply(own, encoder, add_both)
    eng.reload()
    return eng


def test_only_the_new_documents_are_encoded(decree_engine):
    manifest = decree_engine.snapshot.index.manifest
    new = [decree_engine.document(DECREE_ID), decree_engine.document(SAMPLE_PLAN_ID)]
    assert manifest["documents"] == [PLAN_ID, DECREE_ID, SAMPLE_PLAN_ID]
    assert manifest["reused_documents"] == [PLAN_ID]  # the plan's vectors are not recomputed
    assert manifest["encoded_chunks"] == sum(len(make_chunks(d)) for d in new)
    assert decree_engine.document(DECREE_ID).layout == "legal"


def test_question_answered_from_article_3_clause_2_with_the_documents_short_title(decree_engine):
    answer = decree_engine.ask("Ai tổ chức Liên hoan ẩm thực ASEAN?")
    assert answer.answerable
    first = answer.citations[0]
    assert (first.doc_id, first.section_id) == (DECREE_ID, "Dieu-3.Khoan-2")
    assert first.heading == "Quyết định 999/QĐ-UBND, Khoản 2 Điều 3"
    assert first.quote == ("Sở Văn hóa, Thể thao và Du lịch tổ chức Liên hoan ẩm thực ASEAN tại công viên trung tâm "
                           "tỉnh vào tháng 8 hằng năm, gồm:")
    assert first.url.endswith(f"/doc/{DECREE_ID}#Dieu-3.Khoan-2")


def test_plan_questions_still_come_from_the_plan(decree_engine):
    answer = decree_engine.ask("Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?")
    assert (answer.citations[0].doc_id, answer.citations[0].section_id) == (PLAN_ID, "II.6.2")


def test_answer_text_names_the_document(decree_engine):
    answer = decree_engine.ask("Ai tổ chức Liên hoan ẩm thực ASEAN?")
    assert "Khoản 2 Điều 3 Quyết định 999/QĐ-UBND" in answer.answer
    assert not answer.answer.startswith("Theo kế hoạch")


def test_facts_from_a_decree(decree_engine):
    facts = decree_engine.snapshot.facts
    duties = {(d.agency, d.section_id) for d in facts.duties if d.doc_id == DECREE_ID}
    assert ("Sở Lao động - Thương binh và Xã hội", "Dieu-3.Khoan-1") in duties
    assert ("Sở Văn hóa, Thể thao và Du lịch", "Dieu-3.Khoan-2") in duties
    deadline = next(t for t in facts.times if t.doc_id == DECREE_ID and t.kind == "report_deadline")
    assert (deadline.when, deadline.recipient, deadline.section_id) == (
        "trước ngày 15 tháng 12 hằng năm", "Ủy ban nhân dân tỉnh", "Dieu-3.Khoan-1")
    answer = decree_engine.ask("Theo Quyết định 999/QĐ-UBND, hạn báo cáo hằng năm là ngày nào?")
    assert (answer.citations[0].doc_id, answer.citations[0].section_id) == (DECREE_ID, "Dieu-3.Khoan-1")
    assert "15 tháng 12" in answer.answer


def test_a_cited_document_that_is_loaded_is_linked(decree_engine):
    cited = {c.number: c for c in decree_engine.snapshot.facts.cited}
    assert cited["999/QĐ-UBND"].loaded_doc_id == DECREE_ID
    assert cited["21-NQ/TW"].loaded_doc_id == ""
    answer = decree_engine.ask("Kế hoạch của huyện Mẫu căn cứ văn bản nào?")
    assert {SAMPLE_PLAN_ID, DECREE_ID} <= {c.doc_id for c in answer.citations}
    assert "Quyết định 999/QĐ-UBND" in answer.answer


def test_a_cited_document_that_is_not_loaded_is_said_so(decree_engine):
    answer = decree_engine.ask("Nghị quyết 21-NQ/TW nói gì?")
    assert (answer.citations[0].doc_id, answer.citations[0].section_id) == (PLAN_ID, "II.6.1.1")
    assert "21-NQ/TW" in answer.citations[0].quote
    assert "chua duoc nap" in fold(answer.answer)


# ---------------------------------------------------------------- the command line

@pytest.fixture
def cli_env(tmp_path, settings, engine, monkeypatch) -> Path:
    shutil.copytree(settings.corpus_dir, tmp_path / "corpus")
    shutil.copytree(settings.index_dir, tmp_path / "index")
    for name, sub in (("ASCC_CORPUS_DIR", "corpus"), ("ASCC_INDEX_DIR", "index"), ("ASCC_DATA_DIR", "data")):
        monkeypatch.setenv(name, str(tmp_path / sub))
    return tmp_path


def test_cli_ingest_documents_sections_and_remove(cli_env, capsys):
    pdf = write(cli_env / "quyet-dinh-998.pdf", pdf_bytes(Sample(number="998/QĐ-UBND")))
    doc_id = "quyet-dinh-998-qd-ubnd"
    assert cli.main(["ingest", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert f"Đã thêm: {doc_id} — Quyết định 998/QĐ-UBND [pdf, bố cục legal" in out
    assert "mã hóa mới" in out and f"dùng lại vectơ của: {PLAN_ID}" in out

    assert cli.main(["ingest", str(pdf)]) == 0
    assert "Không đổi (đã có)" in capsys.readouterr().out

    assert cli.main(["documents"]) == 0
    listing = capsys.readouterr().out
    assert PLAN_ID in listing and "Quyết định 998/QĐ-UBND — Quyết định · số 998/QĐ-UBND · ngày 15/03/2099" in listing

    assert cli.main(["sections", doc_id]) == 0
    tree = capsys.readouterr().out
    for line in ("Chuong-II", "Dieu-3.Khoan-2", "Khoản 2 Điều 3", "Phu-luc-I", "closing"):
        assert line in tree

    scan = write(cli_env / "ban-quet.pdf", scanned_pdf_bytes())
    assert cli.main(["ingest", str(scan)]) == 2
    assert "không có lớp chữ" in capsys.readouterr().err

    assert cli.main(["remove", doc_id]) == 0
    assert f"Đã xóa: {doc_id}" in capsys.readouterr().out
    assert cli.main(["remove", doc_id]) == 2
    # the git-tracked corpus was never written: what was added lived in data/corpus
    assert (cli_env / "corpus" / "manifest.json").read_bytes() == (ROOT / "corpus" / "manifest.json").read_bytes()
    assert sorted(p.name for p in (cli_env / "corpus").iterdir()) == sorted(p.name for p in (ROOT / "corpus").iterdir())
    assert (cli_env / "data" / "corpus" / "CURRENT").is_file()
