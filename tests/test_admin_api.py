"""The admin door over HTTP: upload and delete documents in a running server.

The app is the full served one (every door) over an engine of its own, on a temporary
copy of the corpus and index; the documents are the fictional samples of tests/samples.py.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from ascc_bot import corpus_store
from ascc_bot.engine import Engine
from ascc_bot.index import make_chunks
from ascc_bot.ingest import MAX_BYTES
from ascc_bot.server import build_app

from conftest import PLAN_ID
from samples import Sample, docx_bytes, junk_docx_bytes, pdf_bytes, scanned_pdf_bytes

TOKEN = "token-mau-kiem-thu"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DECREE_ID = "quyet-dinh-999-qd-ubnd"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def admin(tmp_path_factory, settings, engine, encoder):
    base = tmp_path_factory.mktemp("admin")
    shutil.copytree(settings.corpus_dir, base / "corpus")
    shutil.copytree(settings.index_dir, base / "index")
    # no corpus watcher: the routes reload the engine themselves, and a watcher's look that raced an ingest
    # could reload once more during the next test, which checks that nothing was reloaded
    own = replace(settings, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data",
                  admin_token=TOKEN, corpus_poll_s=0)
    eng = Engine(own, encoder=encoder, progress=False, log=lambda msg: None)
    with TestClient(build_app(own, eng)) as client:
        yield client, eng, own


def corpus_state(settings) -> dict[str, bytes]:
    """Every stored file of the corpus, shipped and local (the writers' lock file aside)."""
    return {str(p.relative_to(folder.parent)): p.read_bytes()
            for folder in (settings.corpus_dir, settings.local_corpus) if folder.is_dir()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


def upload(client, data: bytes, name: str = "quyet-dinh.docx", headers=AUTH, **fields):
    return client.post("/api/admin/documents", headers=headers, data=fields, files={"file": (name, data, DOCX)})


def test_no_token_configured_means_no_admin_routes(settings, engine):
    with TestClient(build_app(replace(settings, admin_token=""), engine)) as client:
        assert upload(client, docx_bytes()).status_code == 404
        assert client.delete(f"/api/admin/documents/{PLAN_ID}", headers=AUTH).status_code == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN}],
                         ids=["missing", "wrong", "not-bearer"])
def test_a_wrong_admin_token_is_refused(admin, headers):
    client, eng, settings = admin
    before, snap = corpus_state(settings), eng.snapshot
    for response in (upload(client, docx_bytes(), headers=headers),
                     client.delete(f"/api/admin/documents/{PLAN_ID}", headers=headers)):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "Bearer" in response.json()["detail"]
    assert corpus_state(settings) == before and eng.snapshot is snap


def test_an_upload_is_served_at_once_without_a_restart(admin):
    client, eng, settings = admin
    response = upload(client, docx_bytes(), "QĐ 999 mẫu.docx")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["doc_id"], body["short_title"], body["format"], body["layout"]) == (
        "added", DECREE_ID, "Quyết định 999/QĐ-UBND", "docx", "legal")
    assert {"section_id": "Dieu-3.Khoan-2", "label": "Khoản 2 Điều 3",
            "title": "Sở Văn hóa, Thể thao và Du lịch tổ chức Liên hoan ẩm thực ASEAN tại công viên trung tâm tỉnh "
                     "vào tháng 8 hằng năm, gồm:"} in body["sections"]
    assert body["index"]["reused_documents"] == [PLAN_ID]
    assert body["index"]["encoded_chunks"] == len(make_chunks(eng.document(DECREE_ID)))

    answer = client.post("/api/ask", json={"question": "Ai tổ chức Liên hoan ẩm thực ASEAN?"}).json()
    first = answer["citations"][0]
    assert (first["doc_id"], first["section_id"], first["heading"]) == (
        DECREE_ID, "Dieu-3.Khoan-2", "Quyết định 999/QĐ-UBND, Khoản 2 Điều 3")
    assert DECREE_ID in [d["doc_id"] for d in client.get("/api/documents").json()]
    section = client.get(f"/api/documents/{DECREE_ID}/sections/Dieu-3.Khoan-2.Diem-a").json()
    assert section["text"] == "Gian hàng ẩm thực của các nước ASEAN;"

    again = upload(client, docx_bytes(), "ban-sao.docx")
    assert again.status_code == 200 and again.json()["status"] == "unchanged"


def test_a_30_mb_upload_is_refused(admin):
    client, eng, settings = admin
    before, snap = corpus_state(settings), eng.snapshot
    response = upload(client, b"%PDF-1.4\n" + bytes(30 * 1024 * 1024), "lon.pdf")
    assert response.status_code == 413
    assert "quá lớn" in response.json()["detail"]
    # just over the limit, with the body itself under the route's limit: the file's own size is checked
    response = upload(client, b"%PDF-1.4\n" + bytes(MAX_BYTES), "vua-qua.pdf")
    assert response.status_code == 413
    assert corpus_state(settings) == before and eng.snapshot is snap


@pytest.mark.parametrize("name, data, reason", [
    ("quyet-dinh.docx", junk_docx_bytes(), "không phải Word .docx"),
    ("ban-quet.pdf", scanned_pdf_bytes(), "không có lớp chữ"),
], ids=["junk-zip-named-docx", "scanned-pdf"])
def test_a_malformed_file_gets_400_with_the_reason_and_changes_nothing(admin, name, data, reason):
    client, eng, settings = admin
    before, snap = corpus_state(settings), eng.snapshot
    response = upload(client, data, name)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert corpus_state(settings) == before and eng.snapshot is snap


def test_a_request_without_a_file_is_400(admin):
    client, _, _ = admin
    response = client.post("/api/admin/documents", headers=AUTH, data={"doc_id": "x"})
    assert response.status_code == 400 and "file" in response.json()["detail"]
    response = client.post("/api/admin/documents", headers=AUTH, json={"file": "x"})
    assert response.status_code == 400


def test_concurrent_asks_during_an_ingest_see_the_old_index_or_the_new_never_half(admin):
    client, eng, settings = admin
    sample = Sample(number="996/QĐ-UBND", festival="Hội chợ sách ASEAN")
    new_id = "quyet-dinh-996-qd-ubnd"
    seen: list[tuple[bool, bool]] = []  # per ask: (new document in the snapshot, answer cites it)
    problems: list[str] = []
    done = threading.Event()

    def check_snapshot() -> bool:
        snap = eng.snapshot
        chunk_docs = [c.doc_id for c in snap.index.chunks]
        if set(chunk_docs) != {d.doc_id for d in snap.documents}:
            problems.append(f"index documents {set(chunk_docs)} differ from corpus documents")
        if len(chunk_docs) != sum(len(make_chunks(d)) for d in snap.documents):
            problems.append("index and documents disagree on the number of chunks")
        return snap.document(new_id) is not None

    def ask_loop() -> None:
        while True:
            last = done.is_set()  # this ask starts after the upload has returned
            loaded = check_snapshot()
            response = client.post("/api/ask", json={"question": "Ai tổ chức Hội chợ sách ASEAN?"})
            if response.status_code != 200:
                problems.append(f"ask answered {response.status_code}")
            else:
                seen.append((loaded, new_id in [c["doc_id"] for c in response.json()["citations"]]))
            if last:
                return

    asker = threading.Thread(target=ask_loop)
    asker.start()
    try:
        response = upload(client, pdf_bytes(sample), "quyet-dinh-996.pdf")
    finally:
        done.set()
        asker.join(timeout=60)
    assert response.status_code == 201, response.text
    assert not problems
    flips = [cites for _, cites in seen]
    assert flips[-1] and not flips[0]  # asked before and after the swap
    assert flips == sorted(flips)  # once the new document is served it stays served


def test_delete_takes_the_document_out_of_the_running_server(admin):
    client, eng, settings = admin
    if eng.document(DECREE_ID) is None:
        assert upload(client, docx_bytes()).status_code == 201
    response = client.delete(f"/api/admin/documents/{DECREE_ID}", headers=AUTH)
    assert response.status_code == 200
    assert response.json()["status"] == "removed"
    assert DECREE_ID not in [m.doc_id for m, _ in corpus_store.entries(settings)]
    assert eng.document(DECREE_ID) is None
    assert DECREE_ID not in response.json()["index"]["documents"]
    answer = client.post("/api/ask", json={"question": "Ai tổ chức Liên hoan ẩm thực ASEAN?"}).json()
    assert DECREE_ID not in [c["doc_id"] for c in answer["citations"]]
    missing = client.delete(f"/api/admin/documents/{DECREE_ID}", headers=AUTH)
    assert missing.status_code == 404 and PLAN_ID in missing.json()["detail"]
