"""Assembles the served app in one place: the API and each door, listed here explicitly.

Doors give routers (with their own lifespans: a bot's webhook registration, its worker);
FastAPI runs those lifespans with the app's.
"""

from __future__ import annotations

from fastapi import FastAPI

from bots import telegram_bot, zalo_bot

from . import admin, corpus_store, web
from .api import create_app
from .config import Settings
from .engine import Engine
from .feedback import FeedbackStore, feedback_path


def build_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = engine or Engine(settings)
    feedback = FeedbackStore(feedback_path(settings.data_dir))
    unanswered = web.UnansweredLog(feedback)
    app = create_app(engine, settings, on_answer=unanswered, body_limits=admin.BODY_LIMITS)
    app.state.feedback_store = feedback
    app.state.unanswered_log = unanswered
    web.install_cors(app, settings)
    web.install_security_headers(app, settings)
    app.include_router(web.router(engine, settings, feedback))
    for door in (corpus_store.watch_router, admin.router, telegram_bot.webhook_router, zalo_bot.webhook_router):
        routes = door(engine, settings)
        if routes is not None:
            app.include_router(routes)
    return app
