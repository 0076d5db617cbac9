"""A freshly started `ascc-bot serve`: ready for a burst of questions at once, and counting clients by the
address that really connects unless a trusted proxy says otherwise."""

from __future__ import annotations

import asyncio

import httpx

from conftest import ServerProcess

QUESTIONS = ["Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?", "Hạn gửi báo cáo là khi nào?",
             "Cơ quan nào phối hợp thực hiện nhiệm vụ 3?", "Kinh phí thực hiện kế hoạch lấy từ đâu?",
             "Sở Y tế phải làm gì?"]


async def burst(url: str, count: int) -> list[int]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        replies = await asyncio.gather(*(client.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
                                         for i in range(count)), return_exceptions=True)
    return [r.status_code if isinstance(r, httpx.Response) else repr(r) for r in replies]


def test_fifty_questions_in_the_first_second_after_a_start_all_answered(engine, settings, tmp_path):
    """The burst is sent the moment the server says it is ready (/readyz; before that it answers 503 with
    Retry-After, so a load balancer asks another replica), before anything else has asked."""
    for attempt in range(2):  # two fresh starts: the lazy loads race differently each time
        with ServerProcess(settings, tmp_path / f"server-{attempt}.log") as server:
            codes = asyncio.run(burst(server.url, 50))
            assert codes == [200] * 50, (codes, server.tail())


def test_forwarded_for_from_localhost_does_not_bypass_the_limit(engine, settings, tmp_path):
    with ServerProcess(settings, tmp_path / "server.log", ASCC_API_RATE_LIMIT_PER_MINUTE="3") as server:
        codes = [httpx.post(f"{server.url}/api/ask", json={"question": QUESTIONS[1]},
                            headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=30).status_code
                 for i in range(6)]
    assert codes == [200, 200, 200, 429, 429, 429]


def test_a_trusted_proxy_names_the_client(engine, settings, tmp_path):
    env = {"ASCC_API_RATE_LIMIT_PER_MINUTE": "2", "ASCC_TRUSTED_PROXIES": "127.0.0.1"}
    with ServerProcess(settings, tmp_path / "server.log", **env) as server:
        def ask(client: str) -> int:
            return httpx.post(f"{server.url}/api/ask", json={"question": QUESTIONS[1]},
                              headers={"X-Forwarded-For": client}, timeout=30).status_code

        # each client behind the proxy has its own count
        assert [ask("203.0.113.1") for _ in range(3)] == [200, 200, 429]
        assert [ask("203.0.113.2") for _ in range(3)] == [200, 200, 429]
