"""A fake Zalo Bot API server on 127.0.0.1 for the tests.

``POST /bot<TOKEN>/<method>`` with a JSON body, answered ``{ok, result}`` or
``{ok: false, error_code, description}``. getUpdates hands out one queued update per call
(no offset) and answers 408 "Request timeout" when none comes within its timeout; sendMessage
refuses texts over 2000 characters, as Zalo does.
"""

from __future__ import annotations

import time
from typing import Any

from fake_telegram import ApiError, BotApiServer

TOKEN = "3201372705688922504:JeEFJZCBVOmtAJdIxSLstDrcIpshYXNuKLdrTVenffQumzzYKWwDWbJQehNp"
MAX_TEXT = 2000


class FakeZalo(BotApiServer):
    def __init__(self, token: str = TOKEN) -> None:
        super().__init__(token)
        self.updates: list[dict] = []
        self.webhook: dict[str, Any] = {}
        self._next_message = 0

    # ------------------------------------------------------------ updates the tests send

    def event(self, chat_id: str, text: str | None = None, *, event_name: str = "message.text.received") -> dict:
        self._next_message += 1
        message: dict[str, Any] = {
            "message_id": f"m{self._next_message}", "date": int(time.time() * 1000),
            "chat": {"id": chat_id, "chat_type": "PRIVATE"},
            "from": {"id": chat_id, "display_name": "Cán bộ Sở", "is_bot": False},
        }
        if text is not None:
            message["text"] = text
        if event_name == "message.sticker.received":
            message["sticker"] = "sticker-id"
        return {"event_name": event_name, "message": message}

    def push(self, update: dict) -> None:
        with self.cond:
            self.updates.append(update)
            self.cond.notify_all()

    # ------------------------------------------------------------ what the tests read

    def sent(self, chat_id: str) -> list[str]:
        return [c.params["text"] for c in self.calls_of("sendMessage", chat_id=chat_id)]

    def wait_sent(self, chat_id: str, count: int = 1, timeout: float = 10.0) -> list[str]:
        return self.wait_for(lambda: len(found := self.sent(chat_id)) >= count and found, timeout)

    # ------------------------------------------------------------ Bot API methods

    def api_getMe(self, params: dict) -> dict:  # noqa: N802
        return {"id": "6287000000000000001", "account_name": "bot.ascc", "account_type": "BASIC",
                "can_join_groups": False}

    def api_getUpdates(self, params: dict) -> dict:  # noqa: N802
        if self.webhook:
            raise ApiError(400, "Webhook is set; getUpdates is disabled")
        timeout = min(float(params.get("timeout") or 0), 5.0)
        deadline = time.monotonic() + timeout
        with self.cond:
            while not self.updates and not self.closing and time.monotonic() < deadline:
                self.cond.wait(deadline - time.monotonic())
            if not self.updates:
                raise ApiError(408, "Request timeout")
            return self.updates.pop(0)

    def api_setWebhook(self, params: dict) -> dict:  # noqa: N802
        if not str(params.get("url", "")).startswith("https://") or not params.get("secret_token"):
            raise ApiError(400, "Bad request: url must be https and secret_token is required")
        self.webhook = dict(params)
        return {"url": params["url"], "updated_at": int(time.time() * 1000)}

    def api_deleteWebhook(self, params: dict) -> dict:  # noqa: N802
        self.webhook = {}
        return {"url": "", "updated_at": int(time.time() * 1000)}

    def api_sendChatAction(self, params: dict) -> dict:  # noqa: N802
        if params.get("action") not in ("typing", "upload_photo"):
            raise ApiError(400, "Bad request: action")
        return {}

    def api_sendMessage(self, params: dict) -> dict:  # noqa: N802
        text = params.get("text")
        if not params.get("chat_id") or not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad request: chat_id and text are required")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad request: text is too long")
        self._next_message += 1
        return {"message_id": f"b{self._next_message}", "date": int(time.time() * 1000)}
