"""Assembles the served app: the API plus every door registered as an extension."""

from __future__ import annotations

from fastapi import FastAPI

from .api import create_app
from .config import Settings
from .doors import load_doors
from .engine import Engine


def build_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = engine or Engine(settings)
    load_doors()
    return create_app(engine, settings)
