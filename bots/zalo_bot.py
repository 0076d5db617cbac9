"""Zalo door: the Zalo Bot API called with httpx receives and sends; ``ChatCommands`` says what.

API: ``POST {base}/bot{TOKEN}/{method}`` with a JSON body, answered by
``{ok, result, error_code, description}``. ``ascc-bot zalo --polling`` long-polls getUpdates
(one update per call, no offset); with ``ASCC_ZALO_WEBHOOK_URL`` set, ``ascc-bot serve`` adds
``POST /webhooks/zalo`` and registers it with setWebhook (retrying until Zalo accepts it).

Webhook updates wait in a bounded queue for one worker that answers them in order. When
``QUEUE_MAX`` are waiting, a new one is refused (503, with a log line) rather than the oldest
dropped: the oldest were accepted with a 200 and their senders are waiting for a reply, while a
refused delivery is one the platform can send again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from contextlib import suppress
from typing import TYPE_CHECKING, Any

import httpx
from fastapi import APIRouter

from ascc_bot.config import Settings

from .commands import BotServices, ChatCommands
from .common import FAILED, Line, to_messages
from .door import DoorSpec, TokenRefused, Unreachable, polling_command
from .door import webhook_router as door_router

if TYPE_CHECKING:
    from ascc_bot.engine import Engine

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
WEBHOOK_PATH = "/webhooks/zalo"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MESSAGE_LIMIT = 2000
TEXT_EVENT = "message.text.received"
POLL_TIMEOUT_S = 30
QUEUE_MAX = 1000  # webhook updates waiting for the worker
WHERE_TOKEN = "Zalo Bot Creator"
SPEC = DoorSpec("zalo", "Zalo", WHERE_TOKEN, WEBHOOK_PATH, SECRET_HEADER)


class ZaloError(Exception):
    def __init__(self, method: str, code: int, description: str) -> None:
        super().__init__(f"{method}: {code} {description}".strip())
        self.method, self.code, self.description = method, code, description


class ZaloClient:
    """The Bot API methods the bot uses; the token never appears in logs or errors."""

    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, *, http: httpx.AsyncClient | None = None) -> None:
        self._url = f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}/bot{token}/"
        self._http = http or httpx.AsyncClient(timeout=httpx.Timeout(15.0))

    async def call(self, method: str, payload: dict[str, Any] | None = None, *, timeout: float | None = None) -> Any:
        options = {"timeout": httpx.Timeout(15.0, read=timeout)} if timeout else {}
        try:
            response = await self._http.post(self._url + method, json=payload or {}, **options)
        except httpx.HTTPError as exc:  # the message would carry the URL, and so the token
            raise ZaloError(method, 0, f"không kết nối được ({type(exc).__name__})") from None
        try:
            data = response.json()
        except ValueError:
            raise ZaloError(method, response.status_code, "phản hồi không phải JSON") from None
        if not isinstance(data, dict) or not data.get("ok"):
            data = data if isinstance(data, dict) else {}
            raise ZaloError(method, int(data.get("error_code") or response.status_code),
                            str(data.get("description") or ""))
        return data.get("result")

    async def get_me(self) -> dict:
        return await self.call("getMe")

    async def get_updates(self, timeout: int = POLL_TIMEOUT_S) -> Any:
        return await self.call("getUpdates", {"timeout": str(timeout)}, timeout=timeout + 10)

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def send_message(self, chat_id: str, text: str) -> Any:
        return await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> Any:
        return await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def aclose(self) -> None:
        await self._http.aclose()


def unwrap(payload: Any) -> dict | None:
    """An update as Zalo sends it, bare or wrapped in {"ok": true, "result": {...}}."""
    if isinstance(payload, dict) and "event_name" not in payload and isinstance(payload.get("result"), dict):
        payload = payload["result"]
    return payload if isinstance(payload, dict) and payload.get("event_name") else None


class ZaloBot:
    def __init__(self, engine: Engine, settings: Settings, client: ZaloClient,
                 services: BotServices | None = None, *, queue_max: int | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.client = client
        self.commands = ChatCommands(engine, settings, SPEC.channel, services)
        self.queue_max = queue_max or QUEUE_MAX
        self._queue: asyncio.Queue[dict | None] | None = None
        self._worker: asyncio.Task | None = None

    # ------------------------------------------------------------ one update

    async def handle(self, payload: Any) -> None:
        update = unwrap(payload)
        message = (update or {}).get("message") or {}
        chat_id = str((message.get("chat") or {}).get("id") or "")
        if not chat_id or (message.get("from") or {}).get("is_bot"):
            return
        chat = self.commands.chat(chat_id)
        text = message.get("text")
        if update.get("event_name") != TEXT_EVENT or not isinstance(text, str) or not text.strip():
            reply = await self.commands.not_text(chat)
        else:
            reply = await self.commands.handle_text(chat, text, typing=lambda: self.client.send_chat_action(chat_id))
        if reply is not None:
            await self.send(chat_id, reply.lines)

    async def send(self, chat_id: str, lines: list[Line]) -> None:
        for part in to_messages(lines, "text", MESSAGE_LIMIT):
            await self.client.send_message(chat_id, part)

    async def _handle_safely(self, payload: Any) -> None:
        try:
            await self.handle(payload)
        except Exception:
            log.exception("Lỗi khi xử lý một cập nhật Zalo")
            chat_id = str((((unwrap(payload) or {}).get("message") or {}).get("chat") or {}).get("id") or "")
            if chat_id:
                with suppress(Exception):
                    await self.client.send_message(chat_id, FAILED)

    # ------------------------------------------------------------ polling

    async def poll(self, stop: asyncio.Event, timeout: int = POLL_TIMEOUT_S) -> None:
        """Long-poll getUpdates until ``stop`` is set; updates are handled in arrival order."""
        backoff = 1.0
        while not stop.is_set():
            try:
                result = await _unless_stopped(self.client.get_updates(timeout), stop)
            except ZaloError as exc:
                if exc.code == 408:  # no message within the timeout
                    continue
                if exc.code in (401, 403):
                    raise TokenRefused(str(exc)) from None
                log.warning("Zalo getUpdates: %s; thử lại sau %.0f giây", exc, backoff)
                await _unless_stopped(asyncio.sleep(backoff), stop)
                backoff = min(backoff * 2, 30.0)
                continue
            if stop.is_set():
                break
            backoff = 1.0
            for payload in result if isinstance(result, list) else [result]:
                if payload:
                    await self._handle_safely(payload)

    # ------------------------------------------------------------ webhook: one worker, in order, bounded

    def start_worker(self) -> None:
        self._queue = asyncio.Queue(maxsize=self.queue_max)
        self._worker = asyncio.create_task(self._work())

    def submit(self, payload: Any) -> bool:
        """Queue an update for the worker; False (and a log line) when ``queue_max`` are waiting."""
        assert self._queue is not None, "start_worker() first"
        try:
            self._queue.put_nowait(payload)
        except asyncio.QueueFull:
            log.warning("Zalo: %d tin nhắn đang chờ trả lời; từ chối tin mới (503)", self.queue_max)
            return False
        return True

    async def stop_worker(self, timeout: float = 10.0) -> None:
        if self._queue is None or self._worker is None:
            return
        try:
            self._queue.put_nowait(None)  # after what is waiting
        except asyncio.QueueFull:
            self._worker.cancel()
        try:
            await asyncio.wait_for(self._worker, timeout)
        except (TimeoutError, asyncio.CancelledError):
            log.warning("Zalo: dừng khi còn tin nhắn chưa trả lời")
        self._queue = self._worker = None

    async def _work(self) -> None:
        while (payload := await self._queue.get()) is not None:
            await self._handle_safely(payload)


async def _unless_stopped(work: Awaitable[Any], stop: asyncio.Event) -> Any:
    """Await ``work``, or cancel it as soon as ``stop`` is set (then return None)."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    for pending in (task, stopper):
        if pending not in done:
            pending.cancel()
            with suppress(asyncio.CancelledError):
                await pending
    return task.result() if task in done else None


# ---------------------------------------------------------------- the platform: webhook or polling


class ZaloPlatform:
    """Zalo for ``bots.door``: how to check the token, register, receive and send."""

    spec = SPEC

    def __init__(self, settings: Settings, *, poll_timeout: int = POLL_TIMEOUT_S) -> None:
        self.settings = settings
        self.poll_timeout = poll_timeout
        self.client = ZaloClient(settings.zalo_token, settings.zalo_base_url)
        self.bot: ZaloBot | None = None

    def attach(self, engine: Engine, services: BotServices) -> ZaloPlatform:
        self.bot = ZaloBot(engine, self.settings, self.client, services)
        return self

    async def whoami(self) -> str:
        try:
            me = await self.client.get_me()
        except ZaloError as exc:
            if exc.code in (401, 403, 404):
                raise TokenRefused(str(exc)) from None
            raise Unreachable(f"{self.settings.zalo_base_url}: {exc}") from None
        with suppress(ZaloError):  # getUpdates does not deliver while a webhook is set
            await self.client.delete_webhook()
        return str((me or {}).get("account_name") or (me or {}).get("display_name") or (me or {}).get("id", ""))

    async def register_webhook(self, url: str, secret: str) -> None:
        try:
            await self.client.set_webhook(url, secret)
        except ZaloError as exc:
            if exc.code in (401, 403):
                raise TokenRefused(str(exc)) from None
            raise Unreachable(str(exc)) from None
        if self.bot._worker is None:
            self.bot.start_worker()

    async def accept(self, payload: Any) -> bool:
        return self.bot.submit(payload)

    async def poll(self, stop: asyncio.Event, ready: asyncio.Event) -> None:
        ready.set()
        await self.bot.poll(stop, self.poll_timeout)

    async def send_lines(self, chat_id: str, lines: list[Line]) -> None:
        await self.bot.send(chat_id, lines)

    async def aclose(self) -> None:
        if self.bot is not None:
            await self.bot.stop_worker()
        await self.client.aclose()


def webhook_router(engine: Engine, settings: Settings, services: BotServices | None = None) -> APIRouter | None:
    """The webhook route and the bot's lifespan inside ``ascc-bot serve``; None without a webhook URL."""
    return door_router(ZaloPlatform, engine, settings, services)


def cmd_zalo(args: Any, settings: Settings) -> int:
    return polling_command(ZaloPlatform, args.polling, settings)
