"""Assembles the served app in one place: the API and each door, listed here explicitly.

Doors give routers (with their own lifespans: a bot's webhook registration, its worker);
FastAPI runs those lifespans with the app's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import APIRouter, FastAPI
from starlette.concurrency import run_in_threadpool

from bots import telegram_bot, zalo_bot
from bots.commands import BotServices
from bots.reminders import ReminderStore, utc_now

from . import admin, corpus_store, dashboard, officials, web
from .api import create_app
from .config import Settings
from .engine import Engine
from .feedback import FeedbackStore, feedback_path
from .sessions import MemoryStateStore, StateStore


def build_app(settings: Settings | None = None, engine: Engine | None = None, *,
              state: StateStore | None = None, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The app; ``state`` is where the chat doors keep per-chat memory (a shared store for replicas),
    ``clock`` what the reminder schedulers take for now (tests move it)."""
    settings = settings or Settings.from_env()
    engine = engine or Engine(settings)
    feedback = FeedbackStore(feedback_path(settings.data_dir))
    app = create_app(engine, settings, on_answer=feedback.log_question, body_limits=admin.BODY_LIMITS)
    app.state.feedback_store = feedback
    web.install_cors(app, settings)
    web.install_security_headers(app, settings)
    app.include_router(web.router(engine, settings, feedback))
    app.include_router(officials.router(engine, settings))
    # the chat doors' shared state: the question log, reminder subscriptions, per-chat memory
    services = BotServices(feedback, ReminderStore(feedback_path(settings.data_dir)),
                           state if state is not None else MemoryStateStore(), clock or utc_now)
    for routes in (corpus_store.watch_router(engine, settings), admin.router(engine, settings),
                   dashboard.router(settings, feedback), telegram_bot.webhook_router(engine, settings, services),
                   zalo_bot.webhook_router(engine, settings, services)):
        if routes is not None:
            app.include_router(routes)
    app.include_router(APIRouter(lifespan=_closing(feedback)))
    return app


def _closing(feedback: FeedbackStore):
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await run_in_threadpool(feedback.close)  # the question log's last rows reach the disk

    return lifespan
