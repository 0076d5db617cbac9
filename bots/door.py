"""How a chat platform is run, written once: inside ``ascc-bot serve`` behind a webhook, or by
polling from ``ascc-bot telegram|zalo --polling``.

A platform (``TelegramPlatform``, ``ZaloPlatform``) only knows how to receive and send. This
module registers its webhook, retrying with backoff until the platform accepts it (the route
answers 503 until then), checks the token before a polling run, and runs the reminder
scheduler beside either.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from .commands import BotServices
from .common import Line, checked_webhook_secret, polling_preflight, secret_problem
from .reminders import ReminderScheduler

if TYPE_CHECKING:
    from ascc_bot.config import Settings
    from ascc_bot.engine import Engine

log = logging.getLogger(__name__)

RETRY_FIRST_S = 1.0
RETRY_MAX_S = 300.0


class TokenRefused(Exception):
    """The platform says the token is wrong or revoked: retrying will not help."""


class Unreachable(Exception):
    """The platform could not be reached, or answered with an error worth retrying."""


@dataclass(frozen=True)
class DoorSpec:
    """What differs between platforms in how they are set up, for messages and routes."""

    channel: str  # "telegram": also the prefix of its settings (telegram_token, telegram_webhook_url, …)
    name: str  # "Telegram"
    where_token: str  # where an official gets a token
    webhook_path: str
    secret_header: str

    def setting(self, settings: Settings, name: str) -> str:
        return getattr(settings, f"{self.channel}_{name}")

    def env(self, name: str) -> str:
        return f"ASCC_{self.channel.upper()}_{name.upper()}"

    @property
    def token_env(self) -> str:
        return self.env("token")


class Platform(Protocol):
    spec: DoorSpec

    def __init__(self, settings: Settings) -> None: ...

    def attach(self, engine: Engine, services: BotServices) -> Platform:
        """Give the platform what it answers with; returns itself."""

    async def whoami(self) -> str:
        """Before polling: the bot's name (and no webhook left in the way); raises TokenRefused or Unreachable."""

    async def register_webhook(self, url: str, secret: str) -> None:
        """Start receiving through the webhook; raises TokenRefused or Unreachable."""

    async def accept(self, payload: Any) -> bool:
        """Take one webhook update; False when too busy to take it (the route answers 503)."""

    async def poll(self, stop: asyncio.Event, ready: asyncio.Event) -> None:
        """Receive and reply by long polling until ``stop``; set ``ready`` once sending works."""

    async def send_lines(self, chat_id: str, lines: list[Line]) -> None:
        """Send to a chat unprompted (a reminder); raises reminders.Undeliverable for a chat that is gone."""

    async def aclose(self) -> None: ...


def _scheduler(engine: Engine, settings: Settings, services: BotServices, platform: Platform,
               tick_s: float | None) -> ReminderScheduler | None:
    if services.reminders is None:
        return None
    options = {"tick_s": tick_s} if tick_s else {}
    return ReminderScheduler(engine, services.reminders, platform.spec.channel, platform.send_lines,
                             clock=services.clock, public_url=settings.public_url, **options)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


# ---------------------------------------------------------------- webhook inside the API server


def webhook_router(platform_type: type[Platform], engine: Engine, settings: Settings,
                   services: BotServices | None = None, *, reminder_tick_s: float | None = None) -> APIRouter | None:
    """The webhook route and the bot's lifespan inside ``ascc-bot serve``; None without a webhook URL.

    At start the webhook is registered in the background, retried with backoff (1 s, 2 s, 4 s … up to
    5 minutes) while the platform is unreachable or failing; meanwhile the route answers 503 so that
    the platform delivers the update again later. A refused token stops the retries (and says so)."""
    spec = platform_type.spec
    url = spec.setting(settings, "webhook_url")
    if not url:
        return None
    services = services or BotServices()
    secret = checked_webhook_secret(spec.setting(settings, "token"), spec.token_env, spec.where_token,
                                    spec.setting(settings, "secret"), spec.env("secret"))
    ready: dict[str, Platform] = {}

    async def bring_up(platform: Platform, stop: asyncio.Event) -> None:
        delay = RETRY_FIRST_S
        while not stop.is_set():
            try:
                await platform.register_webhook(url, secret)
                break
            except TokenRefused as exc:
                log.error("%s: token bị từ chối, không đăng ký được webhook %s: %s", spec.name, url, exc)
                return
            except Exception as exc:  # unreachable, 5xx, 429: the platform will come back
                log.warning("%s: chưa đăng ký được webhook %s (%s); thử lại sau %.0f giây", spec.name, url, exc,
                            delay)
                await _sleep(stop, delay)
                delay = min(delay * 2, RETRY_MAX_S)
        if stop.is_set():
            return
        ready["platform"] = platform
        log.info("%s: webhook %s đã đăng ký", spec.name, url)
        scheduler = _scheduler(engine, settings, services, platform, reminder_tick_s)
        if scheduler is not None:
            await scheduler.run(stop)

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        platform = platform_type(settings).attach(engine, services)
        stop = asyncio.Event()
        task = asyncio.create_task(bring_up(platform, stop))
        try:
            yield
        finally:
            stop.set()
            ready.pop("platform", None)
            try:
                await asyncio.wait_for(task, 15)
            except (TimeoutError, asyncio.CancelledError):
                log.warning("%s: dừng khi việc nền chưa xong", spec.name)
            await platform.aclose()

    router = APIRouter(lifespan=lifespan)

    @router.post(spec.webhook_path, include_in_schema=False)
    async def webhook(request: Request) -> Response:
        refused = secret_problem(request.headers, spec.secret_header, secret)
        if refused:
            return JSONResponse({"detail": refused}, status_code=403)
        platform = ready.get("platform")
        if platform is None:
            return JSONResponse({"detail": f"Bot {spec.name} chưa sẵn sàng (đang đăng ký webhook)."}, status_code=503,
                                headers={"Retry-After": "10"})
        try:
            payload = await request.json()
        except ValueError:
            return JSONResponse({"detail": "Nội dung không phải JSON."}, status_code=400)
        try:
            taken = await platform.accept(payload)
        except (ValueError, TypeError, KeyError, AttributeError):
            return JSONResponse({"detail": f"Cập nhật {spec.name} không hợp lệ."}, status_code=400)
        if not taken:
            return JSONResponse({"detail": f"Bot {spec.name} đang quá tải, xin gửi lại sau."}, status_code=503,
                                headers={"Retry-After": "5"})
        return JSONResponse({"ok": True})

    return router


# ---------------------------------------------------------------- polling from the command line


def polling_command(platform_type: type[Platform], polling: bool, settings: Settings) -> int:
    """``ascc-bot telegram|zalo --polling``: check the settings, then run until Ctrl+C or SIGTERM."""
    spec = platform_type.spec
    code = polling_preflight(spec.setting(settings, "token"), spec.token_env, spec.where_token, polling,
                             spec.channel, spec.env("webhook_url"))
    if code:
        return code
    return asyncio.run(run_polling(platform_type(settings), settings))


async def run_polling(platform: Platform, settings: Settings, engine: Engine | None = None,
                      services: BotServices | None = None, *, stop: asyncio.Event | None = None,
                      reminder_tick_s: float | None = None) -> int:
    """Check the token, then answer by long polling (and send reminders) until ``stop``; the exit code."""
    spec = platform.spec
    local_services = services is None
    try:
        try:
            name = await platform.whoami()
        except TokenRefused:
            print(f"{spec.name} từ chối {spec.token_env} (token sai hoặc đã bị thu hồi); hãy lấy lại token từ "
                  f"{spec.where_token}.", file=sys.stderr)
            return 2
        except Unreachable as exc:
            print(f"Không kết nối được tới {spec.name} Bot API: {exc}", file=sys.stderr)
            return 1
        if engine is None:
            from ascc_bot.engine import Engine

            engine = await asyncio.to_thread(Engine, settings)
        services = services or BotServices.local(settings)
        platform.attach(engine, services)
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
                loop.add_signal_handler(sig, stop.set)
        print(f"Bot {spec.name} {name} đang chạy (polling). Nhấn Ctrl+C để dừng.", file=sys.stderr)
        ready = asyncio.Event()
        scheduler = _scheduler(engine, settings, services, platform, reminder_tick_s)
        reminders = asyncio.create_task(_after(ready, stop, scheduler)) if scheduler else None
        try:
            await platform.poll(stop, ready)
        except TokenRefused as exc:
            print(f"{spec.name} từ chối {spec.token_env} giữa chừng: {exc}", file=sys.stderr)
            return 2
        finally:
            stop.set()
            if reminders is not None:
                await reminders
        return 0
    finally:
        if local_services and services is not None and services.feedback is not None:
            services.feedback.close()
        await platform.aclose()


async def _after(ready: asyncio.Event, stop: asyncio.Event, scheduler: ReminderScheduler) -> None:
    """Run the scheduler once the platform can send, until ``stop``."""
    waiter = asyncio.create_task(ready.wait())
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    for task in (waiter, stopper):
        task.cancel()
    if ready.is_set() and not stop.is_set():
        await scheduler.run(stop)
