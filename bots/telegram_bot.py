"""Telegram door: python-telegram-bot handlers over the engine.

``ascc-bot telegram --polling`` runs it on a machine without a public address; with
``ASCC_TELEGRAM_WEBHOOK_URL`` set, ``ascc-bot serve`` adds ``POST /webhooks/telegram`` to the
API server, registers it with setWebhook and hands each update to the same ``Application``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
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
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from ascc_bot.config import Settings
from ascc_bot.engine import QuestionError
from ascc_bot.ratelimit import Verdict, make_rate_limiter
from ascc_bot.sections import Document, Section

from .common import (
    CALLBACK_PREFIX,
    COMMANDS,
    FAILED,
    NOT_TEXT,
    RATE_LIMITED,
    Line,
    agency_not_found_lines,
    agency_question,
    answer_lines,
    checked_webhook_secret,
    cited_sections,
    deadline_lines,
    find_section,
    help_lines,
    line,
    parse_section_callback,
    polling_preflight,
    render_line,
    resolve_agencies,
    secret_problem,
    section_callback,
    section_lines,
    to_messages,
    unknown_section_lines,
    utf16_len,
)

if TYPE_CHECKING:
    from ascc_bot.engine import Engine

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MESSAGE_LIMIT = MessageLimit.MAX_TEXT_LENGTH
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
MAX_BUTTONS = 6
ANSWERS_KEPT = 50  # per chat: answers whose cited sections can still be expanded in place
WHERE_TOKEN = "@BotFather"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def session_id(chat_id: int) -> str:
    return f"telegram:{chat_id}"


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


def _command_argument(message: Message) -> str:
    """The text after "/cmd" or "/cmd@bot", newlines kept (context.args would drop them)."""
    text = message.text or ""
    first = message.entities[0] if message.entities else None
    if first is not None and first.type == MessageEntity.BOT_COMMAND and first.offset == 0:
        return text[len(message.parse_entity(first)):].strip()
    return text.partition(" ")[2].strip()


class TelegramBot:
    """The handlers; one instance per ``Application``."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.limiter = make_rate_limiter(settings, settings.rate_limit_per_minute, "telegram")

    # ------------------------------------------------------------ wiring

    def build(self, *, webhook: bool = False) -> Application:
        builder = Application.builder().token(self.settings.telegram_token).post_init(self.prepare)
        if self.settings.telegram_base_url:
            builder = builder.base_url(self.settings.telegram_base_url)
        if webhook:
            builder = builder.updater(None)
        application = builder.build()
        new = filters.UpdateType.MESSAGE  # not edits: an edited question is not asked twice
        application.add_handler(CommandHandler(["start", "help"], self.help, filters=new))
        application.add_handler(CommandHandler("hoi", self.ask_command, filters=new))
        application.add_handler(CommandHandler("nhiemvu", self.agency_tasks, filters=new))
        application.add_handler(CommandHandler("hanchot", self.deadlines, filters=new))
        application.add_handler(CommandHandler("muc", self.section, filters=new))
        application.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & _AddressedToBot(),
                                               self.ask_text))
        private = new & filters.ChatType.PRIVATE
        application.add_handler(MessageHandler(private & filters.COMMAND, self.unknown_command))
        application.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.not_text))
        application.add_handler(CallbackQueryHandler(self.expand, pattern=f"^{CALLBACK_PREFIX}:"))
        application.add_error_handler(self.on_error)
        return application

    async def prepare(self, application: Application) -> None:
        """Show the commands in Telegram's menu."""
        await application.bot.set_my_commands([BotCommand(name, about) for name, about in COMMANDS])

    # ------------------------------------------------------------ handlers

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update):
            group = update.effective_chat is not None and update.effective_chat.type != ChatType.PRIVATE
            await self._reply(update, help_lines(self.engine, group_hint=group))

    async def ask_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        question = _command_argument(update.effective_message)
        if not question:
            await self._reply(update, [line("Hãy gõ câu hỏi sau lệnh, ví dụ: /hoi Hạn gửi báo cáo là khi nào?")])
            return
        await self._ask(update, context, question)

    async def ask_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        question = message.text or ""
        username = context.bot.username
        if username and message.chat.type != ChatType.PRIVATE:
            for text in message.parse_entities([MessageEntity.MENTION]).values():
                if text.lower() == f"@{username}".lower():
                    question = question.replace(text, " ")
        question = re.sub(r"[ \t]+", " ", question).strip()
        if not question:
            await self._reply(update, [line("Bạn muốn hỏi gì về kế hoạch? Gõ /help để xem câu hỏi ví dụ.")])
            return
        await self._ask(update, context, question)

    async def agency_tasks(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        name = _command_argument(update.effective_message)
        matches = resolve_agencies(self.engine, name) if name else []
        if len(matches) != 1:
            if await self._admitted(update):
                await self._reply(update, agency_not_found_lines(self.engine, name, matches))
            return
        await self._ask(update, context, agency_question(matches[0]))

    async def deadlines(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update):
            await self._reply(update, deadline_lines(self.engine))

    async def section(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admitted(update):
            return
        raw = _command_argument(update.effective_message)
        found = find_section(self.engine, raw) if raw else None
        if found is None:
            await self._reply(update, unknown_section_lines(self.engine, raw))
            return
        _, doc, sec = found
        await self._reply(update, section_lines(doc, sec))

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update):
            await self._reply(update, [line("Tôi không biết lệnh này. Gõ /help để xem các lệnh và câu hỏi ví dụ.")])

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update):
            await self._reply(update, [line(NOT_TEXT)])

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
        answers = _answers(context)
        stored = answers.get(message.message_id) if message is not None else None
        if stored is None:  # an answer from before a restart: show the section as a new message
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
        answers[message.message_id] = (base, buttons, opened)
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=_keyboard(buttons, opened),
                                      link_preview_options=NO_PREVIEW)
        await query.answer()

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("Lỗi khi xử lý một cập nhật Telegram", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            with suppress(TelegramError):
                await context.bot.send_message(update.effective_chat.id, FAILED)

    # ------------------------------------------------------------ helpers

    async def _admitted(self, update: Update) -> bool:
        verdict = self.limiter.check(session_id(update.effective_chat.id))
        if verdict is Verdict.WARN:
            await update.effective_message.reply_text(RATE_LIMITED.format(n=self.limiter.per_minute))
        return verdict is Verdict.ALLOW

    async def _ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
        if not await self._admitted(update):
            return
        chat = update.effective_chat
        await chat.send_action(ChatAction.TYPING)
        try:
            answer = await asyncio.to_thread(self.engine.ask, question, session_id(chat.id))
        except QuestionError as exc:
            await update.effective_message.reply_text(str(exc))
            return
        buttons = [(section_callback(i, sid), label) for i, sid, label in cited_sections(self.engine, answer)]
        buttons = [(data, label) for data, label in buttons if data][:MAX_BUTTONS]
        sent, text = await self._reply(update, answer_lines(answer), _keyboard(buttons, None))
        if buttons:
            answers = _answers(context)
            answers[sent.message_id] = (text, buttons, None)
            while len(answers) > ANSWERS_KEPT:
                answers.popitem(last=False)

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


StoredAnswer = tuple[str, list[tuple[str, str]], str | None]  # last message's HTML, buttons, open section


def _answers(context: ContextTypes.DEFAULT_TYPE) -> OrderedDict[int, StoredAnswer]:
    """Recent answers of this chat by message id (PTB's chat_data: in memory, per chat)."""
    if context.chat_data is None:
        return OrderedDict()
    return context.chat_data.setdefault("answers", OrderedDict())


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


def run_polling(application: Application, **options: Any) -> None:
    """Poll Telegram until stopped (Ctrl+C, SIGTERM, or ``stop_running``)."""
    application.run_polling(allowed_updates=ALLOWED_UPDATES, **options)


# ---------------------------------------------------------------- webhook inside the API server


def webhook_router(engine: Engine, settings: Settings) -> APIRouter | None:
    """The webhook route and the bot's lifespan inside ``ascc-bot serve``; None without a webhook URL."""
    if not settings.telegram_webhook_url:
        return None
    secret = checked_webhook_secret(settings.telegram_token, "ASCC_TELEGRAM_TOKEN", WHERE_TOKEN,
                                    settings.telegram_secret, "ASCC_TELEGRAM_SECRET")
    running: dict[str, Application] = {}

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        bot = TelegramBot(engine, settings)
        application = bot.build(webhook=True)
        try:
            await application.initialize()
            await bot.prepare(application)
            await application.bot.set_webhook(settings.telegram_webhook_url, secret_token=secret,
                                              allowed_updates=ALLOWED_UPDATES)
            await application.start()
        except TelegramError as exc:  # the API keeps serving; the log says why the bot does not
            log.error("Telegram: không đăng ký được webhook %s: %s", settings.telegram_webhook_url, exc)
            with suppress(Exception):
                await application.shutdown()
        else:
            running["app"] = application
        try:
            yield
        finally:
            if running.pop("app", None) is not None:
                await application.stop()
                await application.shutdown()

    router = APIRouter(lifespan=lifespan)

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        refused = secret_problem(request.headers, SECRET_HEADER, secret)
        if refused:
            return JSONResponse({"detail": refused}, status_code=403)
        application = running.get("app")
        if application is None:
            return JSONResponse({"detail": "Bot Telegram chưa sẵn sàng."}, status_code=503)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return JSONResponse({"detail": "Cập nhật Telegram không hợp lệ."}, status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return router


# ---------------------------------------------------------------- command line


def cmd_telegram(args: Any, settings: Settings) -> int:
    code = polling_preflight(settings.telegram_token, "ASCC_TELEGRAM_TOKEN", WHERE_TOKEN, args.polling,
                             "telegram", "ASCC_TELEGRAM_WEBHOOK_URL")
    if code:
        return code
    try:
        username = asyncio.run(_check_token(settings))
    except InvalidToken:
        print("Telegram từ chối ASCC_TELEGRAM_TOKEN (token sai hoặc đã bị thu hồi); hãy lấy lại token từ "
              f"{WHERE_TOKEN}.", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"Không kết nối được tới Telegram Bot API: {exc}", file=sys.stderr)
        return 1
    from ascc_bot.engine import Engine

    engine = Engine(settings)
    print(f"Bot @{username} đang chạy (polling). Nhấn Ctrl+C để dừng.", file=sys.stderr)
    run_polling(TelegramBot(engine, settings).build())
    return 0


async def _check_token(settings: Settings) -> str:
    """Ask Telegram who we are before loading the engine, so a bad token fails fast."""
    options = {"base_url": settings.telegram_base_url} if settings.telegram_base_url else {}
    async with Bot(settings.telegram_token, **options) as bot:
        return bot.username
