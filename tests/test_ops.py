"""What an operator relies on, over a real server on 127.0.0.1: request ids, proxy trust,
/metrics, /readyz, JSON logs."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from ascc_bot.logs import JsonFormatter, log_config
from ascc_bot.server import served_app

from conftest import LiveServer, free_port
from servers import wait_until

QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"


def serve(settings, engine, **changes) -> LiveServer:
    """What `ascc-bot serve` runs, in-process, with the session's engine."""
    return LiveServer(served_app(replace(settings, **changes), engine), free_port())


def ready(server: LiveServer) -> LiveServer:
    wait_until(lambda: httpx.get(f"{server.url}/readyz").status_code == 200, 20, "ready")
    return server


def samples(url: str) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    out = {}
    for family in text_string_to_metric_families(httpx.get(f"{url}/metrics").text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(metrics: dict, name: str, **labels) -> float:
    return metrics.get((name, tuple(sorted(labels.items()))), 0.0)


def test_every_response_carries_a_request_id_and_a_stranger_cannot_choose_it(settings, engine):
    with serve(settings, engine) as server:
        ready(server)
        r = httpx.get(f"{server.url}/healthz", headers={"X-Request-ID": "chosen-by-a-stranger-123"})
        assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])
        other = httpx.get(f"{server.url}/healthz")
        assert other.headers["x-request-id"] != r.headers["x-request-id"]


def test_a_trusted_proxy_gives_the_request_id_and_the_client_address(settings, engine):
    with serve(settings, engine, trusted_proxies=("127.0.0.1",), api_rate_limit_per_minute=2) as server:
        ready(server)
        r = httpx.get(f"{server.url}/healthz", headers={"X-Request-ID": "nginx-0123456789abcdef"})
        assert r.headers["x-request-id"] == "nginx-0123456789abcdef"
        odd = httpx.get(f"{server.url}/healthz", headers={"X-Request-ID": "x" * 300})
        assert odd.headers["x-request-id"] != "x" * 300  # not a sane id: a fresh one
        # the limit is per client address as the proxy states it, not per proxy
        codes = {ip: [httpx.post(f"{server.url}/api/ask", json={"question": QUESTION},
                                 headers={"X-Forwarded-For": ip}).status_code for _ in range(3)]
                 for ip in ("203.0.113.7", "203.0.113.8")}
        assert codes == {"203.0.113.7": [200, 200, 429], "203.0.113.8": [200, 200, 429]}


def test_without_trusted_proxies_forwarded_addresses_are_ignored(settings, engine):
    with serve(settings, engine, api_rate_limit_per_minute=2) as server:
        ready(server)
        codes = [httpx.post(f"{server.url}/api/ask", json={"question": QUESTION},
                            headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(3)]
        assert codes == [200, 200, 429]


def test_metrics_count_requests_answers_refusals_limits_and_show_the_index(settings, engine):
    with serve(settings, engine, api_rate_limit_per_minute=3) as server:
        ready(server)
        before = samples(server.url)
        httpx.post(f"{server.url}/api/ask", json={"question": QUESTION})
        httpx.post(f"{server.url}/api/ask", json={"question": "giá vàng hôm nay?"})
        httpx.post(f"{server.url}/api/ask", json={"question": QUESTION})
        assert httpx.post(f"{server.url}/api/ask", json={"question": QUESTION}).status_code == 429
        httpx.get(f"{server.url}/api/documents/ke-hoach-ascc-hai-phong-2025")
        httpx.get(f"{server.url}/api/documents/khong-co")
        after = samples(server.url)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("ascc_answers_total", intent="lead") == 2
    assert delta("ascc_refusals_total", intent="out_of_scope") == 1
    assert delta("ascc_rate_limited_total", scope="api") == 1
    assert delta("ascc_http_requests_total", method="POST", route="/api/ask", status="200") == 3
    assert delta("ascc_http_requests_total", method="POST", route="/api/ask", status="429") == 1
    # by route template, so that a path full of ids does not make a series per id
    assert delta("ascc_http_requests_total", method="GET", route="/api/documents/{doc_id}", status="200") == 1
    assert delta("ascc_http_requests_total", method="GET", route="/api/documents/{doc_id}", status="404") == 1
    assert delta("ascc_http_request_duration_seconds_count", route="/api/ask") == 4
    assert value(after, "ascc_index_chunks") == engine.chunk_count
    fingerprint = engine.index_manifest["corpus"][:16]
    assert value(after, "ascc_index_info", corpus=fingerprint, encoder=engine.index_manifest["encoder"]) == 1


def test_readyz_fails_while_redis_is_unreachable_and_questions_are_still_answered(settings, engine, redis_server):
    with serve(settings, engine, redis_url=redis_server.url) as server:
        ready(server)
        assert httpx.get(f"{server.url}/readyz").json()["checks"]["redis"] == "ok"
        redis_server.stop()
        r = httpx.get(f"{server.url}/readyz")
        assert r.status_code == 503 and "Redis" in r.json()["detail"]
        answer = httpx.post(f"{server.url}/api/ask", json={"question": QUESTION, "session_id": "s1"})
        assert answer.status_code == 200 and answer.json()["answerable"]
        assert httpx.get(f"{server.url}/healthz").status_code == 200  # alive: only not ready
        redis_server.start()
        assert httpx.get(f"{server.url}/readyz").status_code == 200


def test_json_log_lines_carry_the_request_id_and_the_access_fields(settings, engine, caplog):
    with serve(settings, engine, log_format="json") as server, caplog.at_level(logging.INFO, "ascc_bot.access"):
        ready(server)
        r = httpx.post(f"{server.url}/api/ask", json={"question": QUESTION})
        # written just after the response went out
        record = wait_until(lambda: next((rec for rec in caplog.records
                                          if getattr(rec, "access", {}).get("path") == "/api/ask"), None),
                            5, "the access log line")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == r.headers["x-request-id"]
    assert line["status"] == 200 and line["route"] == "/api/ask" and line["client"] == "127.0.0.1"
    assert line["method"] == "POST" and line["duration_ms"] > 0 and line["level"] == "info"
    assert "question" not in json.dumps(line, ensure_ascii=False)  # what people ask stays out of the log


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_uvicorn_access_log_is_off_only_with_json_logs(fmt):
    config = log_config(fmt)
    if fmt == "text":
        assert config is None  # uvicorn's own, with its access log
    else:
        assert config["loggers"]["uvicorn.access"] == {"handlers": [], "propagate": False}
