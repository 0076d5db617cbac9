"""One request must not take the server down: bodies counted as they arrive, on a real server process."""

from __future__ import annotations

import time

import httpx
import pytest

from conftest import ServerProcess

GIB = 1024 ** 3
CHUNK = b"a" * 65536


@pytest.fixture(scope="module")
def server(engine, settings, tmp_path_factory):
    """engine: the session's index is built, so the server starts without encoding."""
    log = tmp_path_factory.mktemp("limits") / "server.log"
    with ServerProcess(settings, log) as proc:
        yield proc


def one_gib():
    """1 GiB of body, made as it is sent: the client never holds it."""
    for _ in range(GIB // len(CHUNK)):
        yield CHUNK


@pytest.mark.parametrize("path", ["/api/ask", "/api/feedback"])
def test_a_chunked_gigabyte_is_refused_at_once_without_memory(server, path):
    server.reset_peak_rss()
    before = server.status("VmRSS")
    started = time.monotonic()
    r = httpx.post(server.url + path, content=one_gib(), headers={"content-type": "application/json"}, timeout=30)
    elapsed = time.monotonic() - started
    assert r.status_code == 413
    assert "quá lớn" in r.json()["detail"]
    assert elapsed < 1.0, elapsed
    growth_mb = (server.status("VmHWM") - before) / 1024
    assert growth_mb < 50, growth_mb
    # and the server goes on answering
    ok = httpx.post(server.url + "/api/ask", json={"question": "Hạn gửi báo cáo là khi nào?"}, timeout=30)
    assert ok.status_code == 200


def test_a_body_just_over_the_limit_without_length_is_refused(server):
    def body():
        yield b'{"question": "'
        yield b"a" * 70_000
        yield b'"}'

    r = httpx.post(server.url + "/api/ask", content=body(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "quá lớn" in r.json()["detail"]
