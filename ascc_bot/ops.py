"""What an operator needs from a replica: request ids, access logs, metrics, readiness.

- ``RequestObserver`` wraps the whole served app: it gives every request an id (a proxy's
  ``X-Request-ID`` when the proxy is trusted, else a new one), returns it as ``X-Request-ID``,
  believes ``X-Forwarded-For`` only from ``ASCC_TRUSTED_PROXIES``, counts and times the request for
  ``/metrics``, and with ``ASCC_LOG_FORMAT=json`` writes one access-log line per request.
- ``router`` serves ``/readyz`` and ``/metrics``; its lifespan checks Redis and PostgreSQL at start,
  keeps the index gauges current, and closes connections at shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from . import metrics
from .config import Settings
from .database import close_databases, shared_database
from .engine import Engine
from .logs import request_id
from .models import Answer
from .stores import close_connections, shared_redis

log = logging.getLogger(__name__)
access_log = logging.getLogger("ascc_bot.access")

REQUEST_ID_HEADER = "X-Request-ID"
# what a proxy may hand us as an id: nginx's $request_id (32 hex), a UUID, or similar
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
INDEX_GAUGE_INTERVAL_S = 5.0

class RequestObserver:
    """ASGI middleware, outermost: request id, proxy trust, metrics, JSON access log."""

    def __init__(self, app: Any, settings: Settings) -> None:
        self.trusted = ProxyHeadersMiddleware(app, list(settings.trusted_proxies)) if settings.trusted_proxies \
            else None
        self.app = self.trusted or app
        self.access_log = settings.log_format == "json"

    def _trusts(self, peer: str | None) -> bool:
        return self.trusted is not None and peer is not None and peer in self.trusted.trusted_hosts

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        peer = scope["client"][0] if scope.get("client") else None
        given = _header(scope, b"x-request-id")
        rid = given if given and self._trusts(peer) and _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        status = [500]

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"x-request-id", rid.encode("ascii"))]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or ("unmatched" if status[0] == 404 else "other")
            metrics.REQUESTS.labels(scope["method"], route, str(status[0])).inc()
            metrics.LATENCY.labels(route).observe(elapsed)
            if self.access_log:
                client = scope["client"][0] if scope.get("client") else None  # after proxy trust
                access_log.info("%s %s %s", scope["method"], scope["path"], status[0], extra={"access": {
                    "request_id": rid, "method": scope["method"], "path": scope["path"], "route": route,
                    "status": status[0], "duration_ms": round(elapsed * 1000, 1), "client": client}})
            request_id.reset(token)


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1").strip()
    return None


def count_answer(question: str, answer: Answer) -> None:
    """An ``on_answer`` hook of the API: answers by intent, refusals apart."""
    (metrics.ANSWERS if answer.answerable else metrics.REFUSALS).labels(answer.intent).inc()


def router(engine: Engine, settings: Settings) -> APIRouter:
    gauges = metrics.IndexGauges()

    def show_index() -> None:
        gauges.update(engine.index_manifest, engine.chunk_count)

    async def keep_index_gauges() -> None:
        while True:  # the engine swaps its snapshot on reload; a look every few seconds is enough
            show_index()
            await asyncio.sleep(INDEX_GAUGE_INTERVAL_S)

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        for name, problem in await shared_problems():
            log.warning("%s: máy chủ vẫn chạy, chưa sẵn sàng (/readyz 503) cho tới khi %s trả lời.", problem, name)
        show_index()  # before this worker serves: /readyz of any worker counts it as loaded
        task = asyncio.create_task(keep_index_gauges())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
            close_connections()
            close_databases()
            metrics.worker_exited()

    async def shared_problems() -> list[tuple[str, str | None]]:
        """(service, why it cannot be reached or None) for each configured shared store, checked now.
        Each in a thread of its own: never queued behind questions in the worker pool."""
        services = [(name, service) for name, service in (("Redis", shared_redis(settings)),
                                                          ("PostgreSQL", shared_database(settings))) if service]
        problems = await asyncio.gather(*(asyncio.to_thread(service.ping) for _, service in services))
        return [(name, problem) for (name, _), problem in zip(services, problems)]

    routes = APIRouter(lifespan=lifespan)

    @routes.get("/readyz", tags=["vận hành"])
    async def readyz() -> Response:
        """200 when this replica can answer with its shared state; 503 with the reason otherwise."""
        checks = {"index": f"{engine.chunk_count} đoạn"}
        results = await shared_problems()
        checks.update((name.lower(), problem or "ok") for name, problem in results)
        problems = [problem for _, problem in results if problem]
        loaded = metrics.workers_with_index() if settings.workers > 1 else None
        if loaded is not None:  # serve --workers N: ready when every worker can answer
            checks["workers"] = f"{min(loaded, settings.workers)}/{settings.workers} đã nạp chỉ mục"
            if loaded < settings.workers:
                problems.append(f"mới {loaded}/{settings.workers} tiến trình nạp xong chỉ mục")
        if problems:
            return JSONResponse({"detail": "Chưa sẵn sàng: " + "; ".join(problems) + ".", "checks": checks},
                                status_code=503)
        return JSONResponse({"status": "ready", "checks": checks})

    @routes.get("/metrics", tags=["vận hành"], response_class=PlainTextResponse,
                responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                                 "description": "Prometheus text format"}})
    async def metrics_route() -> Response:
        show_index()
        body, content_type = await asyncio.to_thread(metrics.render)
        return Response(body, media_type=content_type)

    return routes
