"""Assembles the served app in one place: the API and each door, listed here explicitly.

Doors give routers (with their own lifespans: a bot's webhook registration, its worker);
FastAPI runs those lifespans with the app's.

``served_app`` is what ``ascc-bot serve`` runs (each worker calls it): it listens at once and
answers 503 (``/readyz`` too) while the engine loads in the background, so a load balancer sends
questions elsewhere until this replica is ready.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bots import telegram_bot, zalo_bot
from bots.commands import BotServices
from bots.reminders import reminder_store, utc_now

from . import admin, corpus_store, dashboard, metrics, officials, ops, web
from .api import create_app
from .config import Settings
from .corpus import CorpusError
from .database import StoreUnavailable
from .encoders import EncoderError
from .engine import Engine
from .feedback import FeedbackStore, feedback_store
from .models import Answer
from .sessions import StateStore
from .stores import state_store

log = logging.getLogger(__name__)

LOADING = "Máy chủ đang nạp văn bản và chỉ mục, xin thử lại sau giây lát."
RETRY_AFTER_S = 5
STORE_RETRY_AFTER_S = 30


def build_app(settings: Settings | None = None, engine: Engine | None = None, *,
              state: StateStore | None = None, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The app; ``state`` is where the chat doors keep per-chat memory (a shared store for replicas),
    ``clock`` what the reminder schedulers take for now (tests move it)."""
    settings = settings or Settings.from_env()
    engine = engine or Engine(settings)
    feedback = feedback_store(settings)

    def on_answer(channel: str, question: str, answer: Answer) -> None:  # metrics and the question log
        ops.count_answer(question, answer)
        feedback.log_question(channel, question, answer)

    app = create_app(engine, settings, on_answer=on_answer, body_limits=admin.BODY_LIMITS)
    app.state.feedback_store = feedback
    app.add_exception_handler(StoreUnavailable, _store_unavailable)
    web.install_cors(app, settings)
    web.install_security_headers(app, settings)
    app.include_router(ops.router(engine, settings))
    app.include_router(web.router(engine, settings, feedback))
    app.include_router(officials.router(engine, settings))
    # the chat doors' shared state: the question log, reminder subscriptions, per-chat memory
    services = BotServices(feedback, reminder_store(settings), state if state is not None else state_store(settings),
                           clock or utc_now)
    for routes in (corpus_store.watch_router(engine, settings), admin.router(engine, settings),
                   dashboard.router(settings, feedback), telegram_bot.webhook_router(engine, settings, services),
                   zalo_bot.webhook_router(engine, settings, services)):
        if routes is not None:
            app.include_router(routes)
    app.include_router(APIRouter(lifespan=_closing(feedback)))
    return app


async def _store_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    """The shared database is away (feedback, the dashboard, an ingest): 503 with the reason, nothing written."""
    return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": str(STORE_RETRY_AFTER_S)})


def _closing(feedback: FeedbackStore):
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await run_in_threadpool(feedback.close)  # the question log's last rows reach the disk

    return lifespan


class LoadingApp:
    """The served ASGI app: 503 while the engine loads, then the app of ``build_app``.

    The engine loads in a thread after the server starts listening; the built app's own lifespan
    (doors, store connections) runs once it exists and ends with the server's. If loading fails
    (no corpus, no encoder), the reason is logged, kept in ``failure`` and ``on_failure`` is called
    (``serve`` stops the server with it); until then every question gets the reason with a 503.
    """

    def __init__(self, settings: Settings, engine: Engine | None = None,
                 on_failure: Callable[[], None] | None = None) -> None:
        self.settings, self.engine, self.on_failure = settings, engine, on_failure
        self.app: FastAPI | None = None
        self.failure: str | None = None
        self._stop = asyncio.Event()
        self._running: asyncio.Task | None = None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif self.app is not None:
            await self.app(scope, receive, send)
        elif scope["type"] == "http":
            await self._not_ready(scope, send)

    async def _not_ready(self, scope: dict, send: Any) -> None:
        headers = [(b"content-type", b"application/json")]
        if scope["path"] == "/healthz":  # alive, only not ready: a liveness probe must not restart us
            status, body = 200, {"status": "starting"}
        elif scope["path"] == "/metrics":
            data, content_type = metrics.render()
            await _respond(send, 200, data, [(b"content-type", content_type.encode())])
            return
        else:
            status, body = 503, {"detail": self.failure or LOADING}
            headers.append((b"retry-after", str(RETRY_AFTER_S).encode()))
        await _respond(send, status, json.dumps(body, ensure_ascii=False).encode(), headers)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._running = asyncio.create_task(self._run())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._running is not None:
                    if self.app is None:
                        self._running.cancel()  # still loading: a thread building the engine ends on its own
                    self._stop.set()
                    await asyncio.gather(self._running, return_exceptions=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _run(self) -> None:
        """Load, then run the built app's lifespan in this one task until the server stops."""
        try:
            engine = self.engine or await asyncio.to_thread(Engine, self.settings)
            app = build_app(self.settings, engine)
            async with app.router.lifespan_context(app):
                self.app = app
                log.info("Sẵn sàng: %d văn bản, %d đoạn trong chỉ mục.", len(engine.documents), engine.chunk_count)
                await self._stop.wait()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self.app is not None:  # stopping: the doors' shutdown failed, nothing left to serve
                log.exception("Lỗi khi dừng máy chủ")
                return
            if not isinstance(exc, CorpusError | EncoderError):
                log.exception("Không khởi động được")
            self.failure = f"Lỗi: {exc}"
            log.critical("Không khởi động được: %s", exc)
            if self.on_failure is not None:
                self.on_failure()


async def _respond(send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def served_app(settings: Settings | None = None, engine: Engine | None = None,
               on_failure: Callable[[], None] | None = None) -> ops.RequestObserver:
    """The app ``ascc-bot serve`` runs: request ids, proxy trust and metrics around the loading app."""
    settings = settings or Settings.from_env()
    return ops.RequestObserver(LoadingApp(settings, engine, on_failure), settings)


def worker_app() -> ops.RequestObserver:
    """What each worker of ``ascc-bot serve --workers N`` runs (uvicorn calls it in the worker process).

    A worker that cannot load stops the supervisor, which stops every worker: restarting it would
    fail the same way, forever."""
    return served_app(on_failure=lambda: os.kill(os.getppid(), signal.SIGTERM))
