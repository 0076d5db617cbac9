"""Telegram door: python-telegram-bot receives and sends; ``ChatCommands`` says what to answer.

``ascc-bot telegram --polling`` runs it on a machine without a public address; with
``ASCC_TELEGRAM_WEBHOOK_URL`` set, ``ascc-bot serve`` adds ``POST /webhooks/telegram`` to the
API server, registers it with setWebhook (retrying until Telegram accepts it) and hands each
update to the same ``Application``. Both send deadline reminders to subscribed chats.

What a chat's answers were (for the "Xem Mục …" buttons) is kept in a ``StateStore`` under
"telegram:<chat>:…" with a time to live, not in the process: a shared store lets the button of an
answer sent by one replica be handled by another, and nothing grows without bound.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from ascc_bot.config import Settings
from ascc_bot.sections import Document, Section

from .commands import COMMANDS, NAMES, BotServices, Chat, ChatCommands, Reply
from .common import (
    CALLBACK_PREFIX,
    FAILED,
    Line,
    cited_sections,
    line,
    parse_section_callback,
    render_line,
    section_callback,
    section_lines,
    to_messages,
    utf16_len,
)
from .door import DoorSpec, TokenRefused, Unreachable, polling_command
from .door import webhook_router as door_router
from .reminders import Undeliverable

if TYPE_CHECKING:
    import asyncio

    from ascc_bot.engine import Engine

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MESSAGE_LIMIT = MessageLimit.MAX_TEXT_LENGTH
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
MAX_BUTTONS = 6
ANSWERS_KEPT = 50  # per chat: answers whose cited sections can still be expanded in place
ANSWER_TTL_S = 48 * 3600.0  # Telegram lets a bot edit its message for 48 hours
QUEUE_MAX = 1000  # webhook updates waiting for the handlers; beyond that the route answers 503
POLL_TIMEOUT_S = 30
WHERE_TOKEN = "@BotFather"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
SPEC = DoorSpec("telegram", "Telegram", WHERE_TOKEN, WEBHOOK_PATH, SECRET_HEADER)


class _AddressedToBot(filters.MessageFilter):
    """Every message of a private chat; in groups only mentions of the bot and replies to it."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        return _mentions_bot(message, bot.username)


def _mentions_bot(message: Message, username: str | None) -> bool:
    wanted = f"@{username}".lower()
    return any(text.lower() == wanted for text in message.parse_entities([MessageEntity.MENTION]).values())


def _command(message: Message) -> tuple[str, str]:
    """("muc", "II.6.2") for "/muc@bot II.6.2", newlines of the argument kept (context.args drops them)."""
    text = message.text or ""
    first = message.entities[0] if message.entities else None
    if first is not None and first.type == MessageEntity.BOT_COMMAND and first.offset == 0:
        word = message.parse_entity(first)
        return word[1:].split("@")[0].lower(), text[len(word):].strip()
    word, _, rest = text.partition(" ")
    return word[1:].split("@")[0].lower(), rest.strip()


class TelegramBot:
    """The handlers; one instance per ``Application``."""

    def __init__(self, engine: Engine, settings: Settings, services: BotServices | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.services = services or BotServices()
        self.commands = ChatCommands(engine, settings, SPEC.channel, self.services)

    # ------------------------------------------------------------ wiring

    def build(self, *, webhook: bool = False) -> Application:
        builder = Application.builder().token(self.settings.telegram_token)
        if self.settings.telegram_base_url:
            builder = builder.base_url(self.settings.telegram_base_url)
        if webhook:
            builder = builder.updater(None)
        application = builder.build()
        new = filters.UpdateType.MESSAGE  # not edits: an edited question is not asked twice
        application.add_handler(CommandHandler(list(NAMES), self.command, filters=new))
        application.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & _AddressedToBot(),
                                               self.text))
        private = new & filters.ChatType.PRIVATE
        application.add_handler(MessageHandler(private & filters.COMMAND, self.unknown_command))
        application.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.not_text))
        application.add_handler(CallbackQueryHandler(self.expand, pattern=f"^{CALLBACK_PREFIX}:"))
        application.add_error_handler(self.on_error)
        return application

    async def prepare(self, application: Application) -> None:
        """Show the commands in Telegram's menu."""
        await application.bot.set_my_commands([BotCommand(name, about) for name, about in COMMANDS])

    # ------------------------------------------------------------ handlers: receive, ask ChatCommands, send

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        name, argument = _command(update.effective_message)
        await self._answer(update, name, argument)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        question = message.text or ""
        username = context.bot.username
        if username and message.chat.type != ChatType.PRIVATE:
            for text in message.parse_entities([MessageEntity.MENTION]).values():
                if text.lower() == f"@{username}".lower():
                    question = question.replace(text, " ")
        await self._answer(update, "", re.sub(r"[ \t]+", " ", question).strip())

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        reply = await self.commands.handle(self._chat(update), "?", "")  # an unknown name: "Tôi không biết lệnh này"
        if reply is not None:
            await self._reply(update, reply.lines)

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        reply = await self.commands.not_text(self._chat(update))
        if reply is not None:
            await self._reply(update, reply.lines)

    async def expand(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A "Xem Mục …" button: show the section under the answer, in the same message; again to fold it."""
        query = update.callback_query
        parsed = parse_section_callback(query.data or "")
        docs = self.engine.documents
        sec = docs[parsed[0]].section(parsed[1]) if parsed and parsed[0] < len(docs) else None
        if parsed is None or sec is None:
            await query.answer("Mục này không còn trong văn bản.", show_alert=True)
            return
        doc = docs[parsed[0]]
        message = query.message
        stored = self._recall(message.chat.id, message.message_id) if message is not None else None
        if stored is None:  # forgotten (its time to live passed, or older than the last answers kept)
            await query.answer()
            if message is not None:
                for part in to_messages(section_lines(doc, sec), "html", MESSAGE_LIMIT):
                    await context.bot.send_message(message.chat.id, part, parse_mode=ParseMode.HTML,
                                                   link_preview_options=NO_PREVIEW)
            return
        base, buttons, opened = stored
        if opened == query.data:
            text, opened = base, None
        else:
            text, opened = _with_section(base, doc, sec), query.data
        self._remember(message.chat.id, message.message_id, base, buttons, opened)
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=_keyboard(buttons, opened),
                                      link_preview_options=NO_PREVIEW)
        await query.answer()

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Lỗi khi xử lý một cập nhật Telegram", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, FAILED)
            except TelegramError:
                pass

    # ------------------------------------------------------------ helpers

    def _chat(self, update: Update) -> Chat:
        chat = update.effective_chat
        return self.commands.chat(chat.id, group=chat.type != ChatType.PRIVATE)

    async def _answer(self, update: Update, name: str, argument: str) -> None:
        chat = update.effective_chat
        reply = await self.commands.handle(self._chat(update), name, argument,
                                           typing=lambda: chat.send_action(ChatAction.TYPING))
        if reply is not None:
            await self._send_reply(update, reply)

    async def _send_reply(self, update: Update, reply: Reply) -> None:
        buttons: list[tuple[str, str]] = []
        if reply.answer is not None:
            found = [(section_callback(i, sid), label) for i, sid, label in cited_sections(self.engine, reply.answer)]
            buttons = [(data, label) for data, label in found if data][:MAX_BUTTONS]
        sent, text = await self._reply(update, reply.lines, _keyboard(buttons, None))
        if buttons:
            self._remember(sent.chat.id, sent.message_id, text, buttons, None)

    async def _reply(self, update: Update, lines: list[Line],
                     markup: InlineKeyboardMarkup | None = None) -> tuple[Message, str]:
        """Send lines as one or more HTML messages; the keyboard goes on the last one."""
        parts = to_messages(lines, "html", MESSAGE_LIMIT) or [FAILED]
        message = update.effective_message
        sent = message
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            sent = await message.reply_html(part, reply_markup=markup if last else None,
                                            link_preview_options=NO_PREVIEW)
        return sent, parts[-1]

    # ------------------------------------------------------------ sent answers, in the state store

    def _key(self, chat_id: int, what: str) -> str:
        return f"telegram:{chat_id}:{what}"

    def _remember(self, chat_id: int, message_id: int, html: str, buttons: list[tuple[str, str]],
                  opened: str | None) -> None:
        state = self.services.state
        state.put(self._key(chat_id, f"answer:{message_id}"),
                  json.dumps({"html": html, "buttons": buttons, "opened": opened}, ensure_ascii=False), ANSWER_TTL_S)
        kept = self._kept(chat_id)
        if message_id not in kept:
            kept = [*kept, message_id][-ANSWERS_KEPT:]
            state.put(self._key(chat_id, "answers"), json.dumps(kept), ANSWER_TTL_S)

    def _kept(self, chat_id: int) -> list[int]:
        raw = self.services.state.get(self._key(chat_id, "answers"))
        try:
            return [int(i) for i in json.loads(raw)] if raw else []
        except (ValueError, TypeError):
            return []

    def _recall(self, chat_id: int, message_id: int) -> tuple[str, list[tuple[str, str]], str | None] | None:
        """The answer's HTML, buttons and open section; None once forgotten (only the last
        ``ANSWERS_KEPT`` answers of a chat, each for ``ANSWER_TTL_S``)."""
        if message_id not in self._kept(chat_id):
            return None
        raw = self.services.state.get(self._key(chat_id, f"answer:{message_id}"))
        try:
            data = json.loads(raw) if raw else None
            return (str(data["html"]), [(str(d), str(label)) for d, label in data["buttons"]],
                    data.get("opened")) if data else None
        except (ValueError, TypeError, KeyError):
            return None


def _keyboard(buttons: list[tuple[str, str]], opened: str | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"{'Thu gọn' if data == opened else 'Xem'} {label}",
                                                       callback_data=data)] for data, label in buttons])


def _with_section(base: str, doc: Document, sec: Section) -> str:
    """The answer with one cited section shown below it, cut at a line to fit one message."""
    room = MESSAGE_LIMIT - utf16_len(base) - len("\n\n<blockquote></blockquote>")
    more = render_line(line(f"… (còn tiếp: /muc {sec.section_id})"), "html")
    kept: list[str] = []
    used = 0
    rendered = [render_line(ln, "html") for ln in section_lines(doc, sec)]
    for i, text in enumerate(rendered):
        cost = utf16_len(text) + 1
        tail = 0 if i == len(rendered) - 1 else utf16_len(more) + 1
        if used + cost + tail > room:
            kept.append(more)
            break
        kept.append(text)
        used += cost
    if not kept or kept == [more]:
        return base
    return base + "\n\n<blockquote>" + "\n".join(kept) + "</blockquote>"


# ---------------------------------------------------------------- the platform: webhook or polling


class TelegramPlatform:
    """Telegram for ``bots.door``: how to check the token, register, receive and send."""

    spec = SPEC

    def __init__(self, settings: Settings, *, poll_timeout: int = POLL_TIMEOUT_S) -> None:
        self.settings = settings
        self.poll_timeout = poll_timeout
        self.bot: TelegramBot | None = None
        self.application: Application | None = None

    def attach(self, engine: Engine, services: BotServices) -> TelegramPlatform:
        self.bot = TelegramBot(engine, self.settings, services)
        return self

    async def whoami(self) -> str:
        """Ask Telegram who we are before loading the engine, so a bad token fails fast."""
        options = {"base_url": self.settings.telegram_base_url} if self.settings.telegram_base_url else {}
        try:
            async with Bot(self.settings.telegram_token, **options) as bot:
                return f"@{bot.username}"
        except InvalidToken as exc:
            raise TokenRefused(str(exc)) from None
        except NetworkError as exc:
            raise Unreachable(str(exc)) from None

    async def register_webhook(self, url: str, secret: str) -> None:
        if self.application is None:
            self.application = self.bot.build(webhook=True)
        application = self.application
        try:
            await application.initialize()
            await self.bot.prepare(application)
            await application.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
            if not application.running:
                await application.start()
        except InvalidToken as exc:
            raise TokenRefused(str(exc)) from None
        except TelegramError as exc:
            raise Unreachable(f"{type(exc).__name__}: {exc}") from None

    async def accept(self, payload: Any) -> bool:
        application = self.application
        if application.update_queue.qsize() >= QUEUE_MAX:
            log.warning("Telegram: %d cập nhật đang chờ; từ chối cập nhật mới (503, Telegram gửi lại sau)",
                        QUEUE_MAX)
            return False
        update = Update.de_json(payload, application.bot)
        if update is None:
            raise ValueError("empty update")
        await application.update_queue.put(update)
        return True

    async def poll(self, stop: asyncio.Event, ready: asyncio.Event) -> None:
        application = self.bot.build()
        self.application = application
        try:
            async with application:  # initialize … shutdown
                await self.bot.prepare(application)
                await application.start()
                await application.updater.start_polling(timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES)
                ready.set()
                await stop.wait()
                await application.updater.stop()
                await application.stop()
        except InvalidToken as exc:
            raise TokenRefused(str(exc)) from None

    async def send_lines(self, chat_id: str, lines: list[Line]) -> None:
        bot = self.application.bot
        for part in to_messages(lines, "html", MESSAGE_LIMIT):
            try:
                await bot.send_message(int(chat_id), part, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)
            except Forbidden as exc:  # blocked by the user, removed from the group
                raise Undeliverable(str(exc)) from None
            except BadRequest as exc:
                if "chat not found" in str(exc).lower():
                    raise Undeliverable(str(exc)) from None
                raise

    async def aclose(self) -> None:
        application, self.application = self.application, None
        if application is not None and application.updater is None:  # webhook mode; polling closed itself
            if application.running:
                await application.stop()
            await application.shutdown()


def webhook_router(engine: Engine, settings: Settings, services: BotServices | None = None) -> APIRouter | None:
    """The webhook route and the bot's lifespan inside ``ascc-bot serve``; None without a webhook URL."""
    return door_router(TelegramPlatform, engine, settings, services)


def cmd_telegram(args: Any, settings: Settings) -> int:
    return polling_command(TelegramPlatform, args.polling, settings)
