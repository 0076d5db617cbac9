"""A fake Telegram Bot API server on 127.0.0.1 for the tests.

It answers ``POST /bot<TOKEN>/<method>`` like api.telegram.org, records every call, serves
queued updates to getUpdates (long polling with offsets), and is as strict as Telegram about
what the bot sends: HTML is parsed the way Telegram parses it (only its tags, balanced,
entities escaped), texts over 4096 characters and callback data over 64 bytes are refused.

``BotApiServer`` is the shape Telegram and Zalo share; ``tests/fake_zalo.py`` builds on it.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
BOT_ID = 123456
BOT_USERNAME = "ascc_test_bot"


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


class BotApiServer:
    """Routing, recording, the update queue and waiting; subclasses implement the methods."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.cond = threading.Condition()
        self.closing = False
        self.failing: dict[str, tuple[int, str]] = {}  # method -> the error it answers, until removed
        self.fail_once: dict[tuple[str, str], tuple[int, str]] = {}  # (method, chat_id) -> one error
        self.paused: set[str] = set()  # methods that wait until resume()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, reply = server._handle(self.path, self.headers.get("Content-Type", ""), body)
                data = json.dumps(reply, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up a long poll
                    self.close_connection = True

            do_GET = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hangs up mid-poll is not a failure of the fake

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> BotApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        with self.cond:
            self.closing = True
            self.cond.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    # ------------------------------------------------------------ plumbing

    def _handle(self, path: str, content_type: str, body: bytes) -> tuple[int, dict]:
        m = re.match(r"^/bot([^/]+)/(\w+)$", path.split("?")[0])
        if not m:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if m.group(1) != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = m.group(2)
        params = _decode(content_type, body)
        with self.cond:
            self.calls.append(Call(method, params, time.monotonic()))
            self.cond.notify_all()
            while method in self.paused and not self.closing:
                self.cond.wait(0.1)
            error = self.failing.get(method) or self.fail_once.pop((method, str(params.get("chat_id"))), None)
        if error is not None:
            return error[0], {"ok": False, "error_code": error[0], "description": error[1]}
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        try:
            return 200, {"ok": True, "result": handler(params)}
        except ApiError as exc:
            return exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
        finally:
            with self.cond:  # what the method changed (an edited message) wakes waiting tests
                self.cond.notify_all()

    def pause(self, method: str) -> None:
        with self.cond:
            self.paused.add(method)

    def resume(self) -> None:
        with self.cond:
            self.paused.clear()
            self.cond.notify_all()

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until ``predicate()`` (called under the lock) is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls][-30:]}")
                self.cond.wait(left)

    def calls_of(self, method: str, **match: Any) -> list[Call]:
        with self.cond:
            return [c for c in self.calls
                    if c.method == method and all(str(c.params.get(k)) == str(v) for k, v in match.items())]

    def wait_calls(self, method: str, count: int = 1, timeout: float = 10.0, **match: Any) -> list[Call]:
        return self.wait_for(lambda: (found := self.calls_of(method, **match)) and len(found) >= count and found,
                             timeout)


def _decode(content_type: str, body: bytes) -> dict[str, Any]:
    """PTB posts form fields whose non-string values are JSON; Zalo clients post JSON."""
    if not body:
        return {}
    if "json" in content_type:
        return json.loads(body)
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        if value[:1] in "[{" and value[:1]:
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = int(value) if re.fullmatch(r"-?\d+", value) and key != "text" else \
            {"true": True, "false": False}.get(value, value)
    return params


# ---------------------------------------------------------------- Telegram's HTML

TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
        "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "a": "text_link",
        "code": "code", "pre": "pre", "blockquote": "blockquote", "tg-spoiler": "spoiler", "span": "spoiler"}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class HtmlError(ValueError):
    pass


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.text = ""
        self.stack: list[tuple[str, int, dict]] = []
        self.entities: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise HtmlError(f'Unsupported start tag "{tag}"')
        attributes = dict(attrs)
        if tag == "a" and not attributes.get("href"):
            raise HtmlError("Bad Request: can't parse entities: a tag without href")
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise HtmlError('Unsupported start tag "span"')
        self.stack.append((tag, utf16_len(self.text), attributes))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        raise HtmlError(f'Unsupported self-closing tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            raise HtmlError(f'Unexpected end tag "{tag}"')
        name, offset, attrs = self.stack.pop()
        length = utf16_len(self.text) - offset
        if length:
            entity = {"type": TAGS[name], "offset": offset, "length": length}
            if name == "a":
                entity["url"] = attrs["href"]
            if name == "blockquote" and "expandable" in attrs:
                entity["type"] = "expandable_blockquote"
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        if "&" in data or "<" in data or ">" in data:
            raise HtmlError(f"Unescaped character in {data[:40]!r}")
        self.text += data

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            raise HtmlError(f'Unsupported HTML entity "&{name};"')
        self.text += NAMED_ENTITIES[name]

    def handle_charref(self, name: str) -> None:
        self.text += chr(int(name[1:], 16) if name[:1] in "xX" else int(name))

    def handle_comment(self, data: str) -> None:
        raise HtmlError("Comments are not supported")

    def handle_decl(self, decl: str) -> None:
        raise HtmlError("Declarations are not supported")

    def handle_pi(self, data: str) -> None:
        raise HtmlError("Processing instructions are not supported")

    def unknown_decl(self, data: str) -> None:
        raise HtmlError("Declarations are not supported")


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Telegram's reading of a parse_mode=HTML text: (plain text, entities); HtmlError if refused."""
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"')
    return parser.text, sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


# ---------------------------------------------------------------- the fake server


class FakeTelegram(BotApiServer):
    def __init__(self, token: str = TOKEN) -> None:
        super().__init__(token)
        self.updates: list[dict] = []
        self.messages: dict[tuple[int, int], dict] = {}  # (chat_id, message_id) -> message as sent
        self.webhook: dict[str, Any] = {}
        self._next_update = 1
        self._next_message = 1000

    # ------------------------------------------------------------ updates the tests send

    def _queue(self, update: dict) -> int:
        with self.cond:
            update["update_id"] = self._next_update
            self._next_update += 1
            self.updates.append(update)
            self.cond.notify_all()
            return update["update_id"]

    def user_message(self, chat_id: int, text: str, *, chat_type: str = "private", user_id: int | None = None,
                     reply_to: dict | None = None) -> dict:
        """A message as Telegram would deliver it, with bot_command and mention entities."""
        with self.cond:
            self._next_message += 1
            message_id = self._next_message
        user = {"id": user_id or abs(chat_id), "is_bot": False, "first_name": "Cán bộ", "language_code": "vi"}
        chat = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Cán bộ"
        else:
            chat["title"] = "Nhóm ASCC"
        entities = []
        command = re.match(r"^/[A-Za-z0-9_]+(@\w+)?", text)
        if command:
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))})
        for m in re.finditer(r"(?<![\w/])@\w+", text):
            entities.append({"type": "mention", "offset": utf16_len(text[:m.start()]), "length": utf16_len(m.group(0))})
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": user, "text": text}
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    def push_text(self, chat_id: int, text: str, **options: Any) -> dict:
        message = self.user_message(chat_id, text, **options)
        self._queue({"message": message})
        return message

    def push_sticker(self, chat_id: int) -> None:
        message = self.user_message(chat_id, "x")
        del message["text"]
        message["sticker"] = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512,
                              "height": 512, "is_animated": False, "is_video": False}
        self._queue({"message": message})

    def push_callback(self, chat_id: int, message: dict, data: str) -> str:
        query_id = f"cb{time.monotonic_ns()}"
        self._queue({"callback_query": {"id": query_id, "chat_instance": "ci-1", "data": data,
                                        "message": _public(message),
                                        "from": {"id": abs(chat_id), "is_bot": False, "first_name": "Cán bộ"}}})
        return query_id

    # ------------------------------------------------------------ what the tests read

    def sent(self, chat_id: int) -> list[dict]:
        """Messages the bot sent to a chat, in order, as stored (after edits)."""
        with self.cond:
            return [m for (c, _), m in sorted(self.messages.items()) if c == chat_id]

    def wait_sent(self, chat_id: int, count: int = 1, timeout: float = 10.0) -> list[dict]:
        return self.wait_for(lambda: len(found := self.sent(chat_id)) >= count and found, timeout)

    # ------------------------------------------------------------ Bot API methods

    def api_getMe(self, params: dict) -> dict:  # noqa: N802
        return {"id": BOT_ID, "is_bot": True, "first_name": "ASCC Bot", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def api_getUpdates(self, params: dict) -> list[dict]:  # noqa: N802
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 5.0)
        deadline = time.monotonic() + timeout
        with self.cond:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and not self.closing and time.monotonic() < deadline:
                self.cond.wait(deadline - time.monotonic())
            return list(self.updates[: int(params.get("limit") or 100)])

    def api_setWebhook(self, params: dict) -> bool:  # noqa: N802
        self.webhook = dict(params)
        return True

    def api_deleteWebhook(self, params: dict) -> bool:  # noqa: N802
        self.webhook = {}
        return True

    def api_getWebhookInfo(self, params: dict) -> dict:  # noqa: N802
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    def api_setMyCommands(self, params: dict) -> bool:  # noqa: N802
        for command in params.get("commands", []):
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]) or not 1 <= len(command["description"]) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        return True

    def api_sendChatAction(self, params: dict) -> bool:  # noqa: N802
        return True

    def api_answerCallbackQuery(self, params: dict) -> bool:  # noqa: N802
        return True

    def api_sendMessage(self, params: dict) -> dict:  # noqa: N802
        chat_id = int(params["chat_id"])
        text, entities = self._checked_text(params)
        with self.cond:
            self._next_message += 1
            message = {"message_id": self._next_message, "date": int(time.time()),
                       "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                       "from": self.api_getMe({}), "text": text, "html": params.get("text")}
            if entities:
                message["entities"] = entities
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self.messages[(chat_id, message["message_id"])] = message
            return _public(message)

    def api_editMessageText(self, params: dict) -> dict:  # noqa: N802
        key = (int(params["chat_id"]), int(params["message_id"]))
        text, entities = self._checked_text(params)
        with self.cond:
            message = self.messages.get(key)
            if message is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            if message["html"] == params.get("text") and message.get("reply_markup") == params.get("reply_markup"):
                raise ApiError(400, "Bad Request: message is not modified")
            message.update(text=text, html=params.get("text"), entities=entities,
                           reply_markup=params.get("reply_markup"), edit_date=int(time.time()))
            return _public(message)

    def _checked_text(self, params: dict) -> tuple[str, list[dict]]:
        raw = str(params.get("text", ""))
        if params.get("parse_mode") == "HTML":
            try:
                text, entities = parse_html(raw)
            except HtmlError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
        else:
            text, entities = raw, []
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return text, entities


def _public(message: dict) -> dict:
    out = {k: v for k, v in message.items() if k != "html" and v is not None}
    if not out.get("entities"):
        out.pop("entities", None)
    return out
