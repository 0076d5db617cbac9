"""The HTTP contract of docs/api.md, over a real server on 127.0.0.1."""

from __future__ import annotations

import httpx


def test_ask_names_the_agencies_and_cites(live_server):
    r = httpx.post(f"{live_server.url}/api/ask",
                   json={"question": "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"})
    assert r.status_code == 200
    data = r.json()
    assert data["answerable"] is True and data["intent"] == "lead"
    assert data["citations"][0]["section_id"] == "II.6.2"
    assert data["citations"][0]["url"].endswith("/doc/ke-hoach-ascc-hai-phong-2025#II.6.2")
    for name in ("Sở Y tế", "Bảo hiểm Xã hội Hải Phòng", "Sở Lao động Thương binh và Xã hội"):
        assert name in data["answer"]
    assert 0 <= data["confidence"] <= 1


def test_bad_input_gets_4xx_with_plain_detail(live_server):
    url = f"{live_server.url}/api/ask"
    cases = [
        (dict(json={"question": "   "}), 422, "trống"),
        (dict(json={"question": "x" * 1001}), 422, "quá dài"),
        (dict(json={"question": 42}), 422, "chuỗi"),
        (dict(json={}), 422, "thiếu"),
        (dict(content=b"{not json", headers={"content-type": "application/json"}), 422, "JSON"),
        (dict(content=b'{"question": "' + b"a" * 70000 + b'"}', headers={"content-type": "application/json"}),
         413, "quá lớn"),
    ]
    for kwargs, status, word in cases:
        r = httpx.post(url, **kwargs)
        assert r.status_code == status, (kwargs.keys(), r.text)
        assert word in r.json()["detail"]


def test_documents_sections_search_health(live_server):
    base = live_server.url
    assert httpx.get(f"{base}/healthz").json()["status"] == "ok"
    docs = httpx.get(f"{base}/api/documents").json()
    assert docs[0]["doc_id"] == "ke-hoach-ascc-hai-phong-2025"
    sec = httpx.get(f"{base}/api/documents/ke-hoach-ascc-hai-phong-2025/sections/VI.1").json()
    assert sec["label"] == "Mục VI, khoản 1" and "01 tháng 12" in sec["text"]
    r = httpx.get(f"{base}/api/documents/ke-hoach-ascc-hai-phong-2025/sections/IX.9")
    assert r.status_code == 404 and "IX.9" in r.json()["detail"]
    hits = httpx.get(f"{base}/api/search", params={"q": "hạn báo cáo hàng năm", "k": 3}).json()
    assert len(hits) == 3 and "VI.1" in [h["section_id"] for h in hits]
    assert "/api/ask" in httpx.get(f"{base}/openapi.json").json()["paths"]


def test_unanswerable_is_plain(live_server):
    data = httpx.post(f"{live_server.url}/api/ask", json={"question": "giá vàng hôm nay?"}).json()
    assert data["answerable"] is False and data["citations"] == [] and data["intent"] == "out_of_scope"


def test_rate_limit_answers_429_with_retry_after(engine, settings):
    from dataclasses import replace

    from ascc_bot.api import create_app

    from conftest import LiveServer, free_port

    app = create_app(engine, replace(settings, api_rate_limit_per_minute=3))
    with LiveServer(app, free_port()) as server:
        codes = [httpx.post(f"{server.url}/api/ask", json={"question": "Hạn gửi báo cáo là khi nào?"})
                 for _ in range(5)]
    assert [r.status_code for r in codes] == [200, 200, 200, 429, 429]
    assert "quá nhanh" in codes[3].json()["detail"] and int(codes[3].headers["retry-after"]) >= 1
