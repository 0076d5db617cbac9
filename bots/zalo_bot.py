"""Zalo door: the Zalo Bot API called with httpx, over the same engine as every other door.

API: ``POST {base}/bot{TOKEN}/{method}`` with a JSON body, answered by
``{ok, result, error_code, description}``. ``ascc-bot zalo --polling`` long-polls getUpdates
(one update per call, no offset); with ``ASCC_ZALO_WEBHOOK_URL`` set, ``ascc-bot serve`` adds
``POST /webhooks/zalo`` and registers it with setWebhook.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager, suppress
from typing import TYPE_CHECKING, Any

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from ascc_bot.config import Settings
from ascc_bot.engine import QuestionError
from ascc_bot.ratelimit import Verdict, make_rate_limiter

from .common import (
    FAILED,
    NOT_TEXT,
    RATE_LIMITED,
    Line,
    agency_not_found_lines,
    agency_question,
    answer_lines,
    checked_webhook_secret,
    deadline_lines,
    find_section,
    help_lines,
    line,
    polling_preflight,
    resolve_agencies,
    secret_problem,
    section_lines,
    to_messages,
    unknown_section_lines,
)

if TYPE_CHECKING:
    from ascc_bot.engine import Engine

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
WEBHOOK_PATH = "/webhooks/zalo"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MESSAGE_LIMIT = 2000
TEXT_EVENT = "message.text.received"
POLL_TIMEOUT_S = 30
WHERE_TOKEN = "Zalo Bot Creator"
_COMMAND = re.compile(r"^/(\w+)(?:@\S+)?\s*(.*)$", re.DOTALL)


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


def session_id(chat_id: str) -> str:
    return f"zalo:{chat_id}"


class ZaloBot:
    def __init__(self, engine: Engine, settings: Settings, client: ZaloClient) -> None:
        self.engine = engine
        self.settings = settings
        self.client = client
        self.limiter = make_rate_limiter(settings, settings.rate_limit_per_minute, "zalo")
        self._queue: asyncio.Queue[dict | None] | None = None
        self._worker: asyncio.Task | None = None

    # ------------------------------------------------------------ one update

    async def handle(self, payload: Any) -> None:
        update = unwrap(payload)
        message = (update or {}).get("message") or {}
        chat_id = str((message.get("chat") or {}).get("id") or "")
        if not chat_id or (message.get("from") or {}).get("is_bot"):
            return
        verdict = self.limiter.check(session_id(chat_id))
        if verdict is not Verdict.ALLOW:
            if verdict is Verdict.WARN:
                await self._send(chat_id, [line(RATE_LIMITED.format(n=self.limiter.per_minute))])
            return
        text = message.get("text")
        if update.get("event_name") != TEXT_EVENT or not isinstance(text, str) or not text.strip():
            await self._send(chat_id, [line(NOT_TEXT)])
            return
        try:
            lines = await self._reply_to(chat_id, text.strip())
        except QuestionError as exc:
            lines = [line(str(exc))]
        await self._send(chat_id, lines)

    async def _reply_to(self, chat_id: str, text: str) -> list[Line]:
        m = _COMMAND.match(text)
        command, rest = (m.group(1).lower(), m.group(2).strip()) if m else ("hoi", text)
        if command in ("start", "help"):
            return help_lines(self.engine)
        if command == "hanchot":
            return deadline_lines(self.engine)
        if command == "muc":
            found = find_section(self.engine, rest) if rest else None
            return section_lines(*found[1:]) if found else unknown_section_lines(self.engine, rest)
        if command == "nhiemvu":
            matches = resolve_agencies(self.engine, rest) if rest else []
            if len(matches) != 1:
                return agency_not_found_lines(self.engine, rest, matches)
            rest = agency_question(matches[0])
        elif command != "hoi":
            return [line("Tôi không biết lệnh này. Gõ /help để xem các lệnh và câu hỏi ví dụ.")]
        if not rest:
            return [line("Hãy gõ câu hỏi sau lệnh, ví dụ: /hoi Hạn gửi báo cáo là khi nào?")]
        with suppress(ZaloError):
            await self.client.send_chat_action(chat_id, "typing")
        answer = await asyncio.to_thread(self.engine.ask, rest, session_id(chat_id))
        return answer_lines(answer)

    async def _send(self, chat_id: str, lines: list[Line]) -> None:
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
                    raise
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

    # ------------------------------------------------------------ webhook: one worker, in order

    def start_worker(self) -> None:
        self._queue = asyncio.Queue()
        self._worker = asyncio.create_task(self._work())

    def submit(self, payload: Any) -> None:
        assert self._queue is not None, "start_worker() first"
        self._queue.put_nowait(payload)

    async def stop_worker(self, timeout: float = 10.0) -> None:
        if self._queue is None or self._worker is None:
            return
        self._queue.put_nowait(None)
        try:
            await asyncio.wait_for(self._worker, timeout)
        except TimeoutError:
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


# ---------------------------------------------------------------- webhook inside the API server


def webhook_router(engine: Engine, settings: Settings) -> APIRouter | None:
    """The webhook route and the bot's lifespan inside ``ascc-bot serve``; None without a webhook URL."""
    if not settings.zalo_webhook_url:
        return None
    secret = checked_webhook_secret(settings.zalo_token, "ASCC_ZALO_TOKEN", WHERE_TOKEN,
                                    settings.zalo_secret, "ASCC_ZALO_SECRET")
    running: dict[str, ZaloBot] = {}

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        client = ZaloClient(settings.zalo_token, settings.zalo_base_url)
        bot = ZaloBot(engine, settings, client)
        bot.start_worker()
        try:
            await client.set_webhook(settings.zalo_webhook_url, secret)
        except ZaloError as exc:  # the API keeps serving; the log says why the bot does not
            log.error("Zalo: không đăng ký được webhook %s: %s", settings.zalo_webhook_url, exc)
        running["bot"] = bot
        try:
            yield
        finally:
            running.pop("bot", None)
            await bot.stop_worker()
            await client.aclose()

    router = APIRouter(lifespan=lifespan)

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def zalo_webhook(request: Request) -> Response:
        refused = secret_problem(request.headers, SECRET_HEADER, secret)
        if refused:
            return JSONResponse({"detail": refused}, status_code=403)
        bot = running.get("bot")
        if bot is None:
            return JSONResponse({"detail": "Bot Zalo chưa sẵn sàng."}, status_code=503)
        try:
            payload = await request.json()
        except ValueError:
            return JSONResponse({"detail": "Nội dung không phải JSON."}, status_code=400)
        bot.submit(payload)
        return JSONResponse({"ok": True})

    return router


# ---------------------------------------------------------------- command line


def cmd_zalo(args: Any, settings: Settings) -> int:
    code = polling_preflight(settings.zalo_token, "ASCC_ZALO_TOKEN", WHERE_TOKEN, args.polling,
                             "zalo", "ASCC_ZALO_WEBHOOK_URL")
    if code:
        return code
    return asyncio.run(run_polling(settings))


async def run_polling(settings: Settings, engine: Engine | None = None, *, poll_timeout: int = POLL_TIMEOUT_S,
                      stop: asyncio.Event | None = None) -> int:
    """Check the token, drop any webhook, then answer by long polling until stopped."""
    client = ZaloClient(settings.zalo_token, settings.zalo_base_url)
    try:
        try:
            me = await client.get_me()
        except ZaloError as exc:
            if exc.code in (401, 403, 404):
                print(f"Zalo từ chối ASCC_ZALO_TOKEN (token sai hoặc đã bị thu hồi); hãy lấy lại token từ "
                      f"{WHERE_TOKEN}.", file=sys.stderr)
                return 2
            print(f"Không gọi được Zalo Bot API ({settings.zalo_base_url}): {exc}", file=sys.stderr)
            return 1
        with suppress(ZaloError):  # getUpdates does not deliver while a webhook is set
            await client.delete_webhook()
        if engine is None:
            from ascc_bot.engine import Engine

            engine = await asyncio.to_thread(Engine, settings)
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
                loop.add_signal_handler(sig, stop.set)
        name = (me or {}).get("account_name") or (me or {}).get("display_name") or (me or {}).get("id", "")
        print(f"Bot Zalo {name} đang chạy (polling). Nhấn Ctrl+C để dừng.", file=sys.stderr)
        try:
            await ZaloBot(engine, settings, client).poll(stop, poll_timeout)
        except ZaloError as exc:
            print(f"Zalo từ chối ASCC_ZALO_TOKEN giữa chừng: {exc}", file=sys.stderr)
            return 2
        return 0
    finally:
        await client.aclose()
