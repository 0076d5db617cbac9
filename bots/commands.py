"""The chat command set, written once for every chat platform: command text in, reply lines out.

``ChatCommands`` knows what ``/hoi``, ``/nhiemvu``, ``/hanchot``, ``/muc``, ``/nhacviec``,
``/huynhacviec``, ``/lich`` and ``/help`` mean, using the engine's door methods only. Telegram and
Zalo receive a message, call ``handle`` and send the lines back in their own format.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ascc_bot.engine import QuestionError
from ascc_bot.feedback import FeedbackStore, feedback_store
from ascc_bot.models import Answer
from ascc_bot.obligations import REMINDER_DAYS, obligations
from ascc_bot.ratelimit import Verdict, make_rate_limiter
from ascc_bot.sessions import MemoryStateStore, StateStore

from .common import (
    BLANK,
    NOT_TEXT,
    RATE_LIMITED,
    Line,
    Span,
    agency_not_found_lines,
    answer_lines,
    deadline_lines,
    find_section,
    line,
    section_lines,
    unknown_section_lines,
)
from .reminders import ReminderStore, calendar_lines, local_today, reminder_store, utc_now

if TYPE_CHECKING:
    from ascc_bot.config import Settings
    from ascc_bot.engine import Engine

# (name, what it does): the menu Telegram shows, and /help's list, in this order.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("hoi", "Hỏi một câu về kế hoạch"),
    ("nhiemvu", "Nhiệm vụ của một cơ quan, ví dụ: /nhiemvu Sở Y tế"),
    ("hanchot", "Mọi thời hạn và mốc thời gian, có trích dẫn"),
    ("lich", "Các hạn sắp tới, theo ngày"),
    ("nhacviec", "Nhắc trước 30, 7 và 1 ngày mỗi hạn; ví dụ: /nhacviec Sở Y tế"),
    ("huynhacviec", "Thôi nhận nhắc hạn"),
    ("muc", "Xem một mục, ví dụ: /muc II.6.2"),
    ("help", "Bot biết gì, câu hỏi ví dụ"),
    ("start", "Bắt đầu"),
)
NAMES = tuple(name for name, _ in COMMANDS)
UNKNOWN = "Tôi không biết lệnh này. Gõ /help để xem các lệnh và câu hỏi ví dụ."
ASK_WHAT = "Hãy gõ câu hỏi sau lệnh, ví dụ: /hoi Hạn gửi báo cáo là khi nào?"
ASK_ANYTHING = "Bạn muốn hỏi gì về kế hoạch? Gõ /help để xem câu hỏi ví dụ."
NO_REMINDERS = "Máy chủ này chưa bật nhắc hạn."
MATRIX_PATH = "/nhiem-vu"
_COMMAND = re.compile(r"^/(\w+)(?:@\S+)?\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Chat:
    """One conversation on one platform."""

    channel: str  # "telegram" | "zalo"
    chat_id: str
    group: bool = False

    @property
    def session_id(self) -> str:
        return f"{self.channel}:{self.chat_id}"


@dataclass(frozen=True)
class Reply:
    lines: list[Line]
    answer: Answer | None = None  # when the reply is an engine answer (Telegram adds section buttons)


@dataclass(frozen=True)
class BotServices:
    """What the assembler (``server.py``, or a polling command) hands a chat door."""

    feedback: FeedbackStore | None = None  # the question log
    reminders: ReminderStore | None = None
    state: StateStore = field(default_factory=MemoryStateStore)  # per-chat memory (Telegram's sent answers)
    clock: Callable[[], datetime] = utc_now

    @classmethod
    def local(cls, settings: Settings) -> BotServices:
        """What a polling command uses: the feedback database (the SQLite file under ASCC_DATA_DIR, or the
        shared PostgreSQL one), state in this process."""
        return cls(feedback_store(settings), reminder_store(settings))


Typing = Callable[[], Awaitable[object]]


def help_lines(engine: Engine, *, group_hint: bool = False, public_url: str = "") -> list[Line]:
    lines: list[Line] = [line(Span("Trợ lý hỏi đáp Kế hoạch ASCC Hải Phòng", "b")),
                         line("Tôi trả lời bằng chính lời văn của văn bản, luôn ghi rõ mục trích dẫn "
                              "(ví dụ \"Mục II, điểm 6.2\"). Khi văn bản không nói tới, tôi nói rõ và không đoán. "
                              "Văn bản tôi có:")]
    lines += [line("• ", Span(doc.meta.title, "i")) for doc in engine.documents]
    lines += [BLANK, line(Span("Ví dụ câu hỏi", "b"))]
    lines += [line(f"• {q}") for q in engine.example_questions()]
    lines += [BLANK, line(Span("Lệnh", "b"))]
    usage = {"hoi": " <câu hỏi>", "nhiemvu": " <tên cơ quan>", "muc": " <mã mục>", "nhacviec": " [tên cơ quan]",
             "lich": " [tên cơ quan]"}
    lines += [line(f"/{name}{usage.get(name, '')} — {about}") for name, about in COMMANDS if name != "start"]
    lines.append(line("Tên cơ quan viết tắt hay không dấu cũng được: /nhiemvu so y te, /nhiemvu LĐTBXH."))
    lines += [BLANK, matrix_line(public_url)]
    if group_hint:
        lines.append(line("Trong nhóm, hãy dùng /hoi, nhắc tên bot hoặc trả lời tin nhắn của bot."))
    return lines


def matrix_line(public_url: str) -> Line:
    """Where the responsibility matrix is: a link when the bot's public address is known."""
    if public_url.startswith(("http://", "https://")):
        url = f"{public_url}{MATRIX_PATH}"
        return line("Bảng phân công nhiệm vụ (● chủ trì, ○ phối hợp): ", Span(url, "", url))
    return line(f"Bảng phân công nhiệm vụ (● chủ trì, ○ phối hợp): trang {MATRIX_PATH} của máy chủ trợ lý.")


def parse(text: str) -> tuple[str, str]:
    """("muc", "II.6.2") for "/muc@bot II.6.2"; ("", text) for a plain question."""
    m = _COMMAND.match(text.strip())
    return (m.group(1).lower(), m.group(2).strip()) if m else ("", text.strip())


class ChatCommands:
    def __init__(self, engine: Engine, settings: Settings, channel: str, services: BotServices | None = None) -> None:
        self.engine, self.settings, self.channel = engine, settings, channel
        self.services = services or BotServices()
        self.limiter = make_rate_limiter(settings, settings.rate_limit_per_minute, channel)  # Redis when shared
        self.public_url = settings.public_url
        self._handlers = {"": self._plain, "hoi": self._ask_command, "start": self._help, "help": self._help,
                          "nhiemvu": self._agency_tasks, "hanchot": self._deadlines, "muc": self._section,
                          "nhacviec": self._subscribe, "huynhacviec": self._unsubscribe, "lich": self._calendar}

    def chat(self, chat_id: object, *, group: bool = False) -> Chat:
        return Chat(self.channel, str(chat_id), group)

    async def handle(self, chat: Chat, command: str, argument: str, *, typing: Typing | None = None) -> Reply | None:
        """The reply to ``/command argument`` (command "" for a plain question); None when the chat
        is over its rate limit and has been told so already."""
        refused = await asyncio.to_thread(self._admit, chat)  # with Redis, a network round trip
        if refused is not None:
            return refused or None
        handler = self._handlers.get(command)
        if handler is None:
            return Reply([line(UNKNOWN)])
        return await handler(chat, argument, typing)

    async def handle_text(self, chat: Chat, text: str, *, typing: Typing | None = None) -> Reply | None:
        """For platforms that deliver commands as plain text (Zalo)."""
        return await self.handle(chat, *parse(text), typing=typing)

    async def not_text(self, chat: Chat) -> Reply | None:
        refused = await asyncio.to_thread(self._admit, chat)
        if refused is not None:
            return refused or None
        return Reply([line(NOT_TEXT)])

    def _admit(self, chat: Chat) -> Reply | bool | None:
        """None to go on; a reply saying the limit is reached (once); False to stay silent."""
        verdict = self.limiter.check(chat.session_id)
        if verdict is Verdict.ALLOW:
            return None
        if verdict is Verdict.WARN:
            return Reply([line(RATE_LIMITED.format(n=self.limiter.per_minute))])
        return False

    # ------------------------------------------------------------ questions

    async def _ask(self, chat: Chat, question: str, typed: str, typing: Typing | None) -> Reply:
        if typing is not None:
            with suppress(Exception):  # "typing…" is a courtesy; its failure must not lose the answer
                await typing()
        try:
            answer = await asyncio.to_thread(self.engine.ask, question, chat.session_id)
        except QuestionError as exc:
            return Reply([line(str(exc))])
        if self.services.feedback is not None:
            self.services.feedback.log_question(self.channel, typed, answer)
        return Reply(answer_lines(answer), answer)

    async def _plain(self, chat: Chat, text: str, typing: Typing | None) -> Reply:
        return await self._ask(chat, text, text, typing) if text else Reply([line(ASK_ANYTHING)])

    async def _ask_command(self, chat: Chat, question: str, typing: Typing | None) -> Reply:
        return await self._ask(chat, question, question, typing) if question else Reply([line(ASK_WHAT)])

    async def _agency_tasks(self, chat: Chat, name: str, typing: Typing | None) -> Reply:
        agency, refused = self._agency(name, "nhiemvu", required=True)
        if refused is not None:
            return refused
        return await self._ask(chat, f"{agency} có nhiệm vụ gì trong kế hoạch?", f"/nhiemvu {name}", typing)

    def _agency(self, name: str, command: str, *, required: bool = False) -> tuple[str, Reply | None]:
        """The one body a typed name means ("" for none typed, unless required), or the reply that
        lists the candidates or says no document names it."""
        if not name and not required:
            return "", None
        matches = self.engine.resolve_agency(name) if name else []
        if len(matches) != 1:
            return "", Reply(agency_not_found_lines(self.engine, name, matches, command=command))
        return matches[0], None

    # ------------------------------------------------------------ the documents

    async def _help(self, chat: Chat, _argument: str, _typing: Typing | None) -> Reply:
        return Reply(help_lines(self.engine, group_hint=chat.group, public_url=self.public_url))

    async def _deadlines(self, chat: Chat, _argument: str, _typing: Typing | None) -> Reply:
        return Reply(deadline_lines(self.engine))

    async def _section(self, chat: Chat, raw: str, _typing: Typing | None) -> Reply:
        found = find_section(self.engine, raw) if raw else None
        return Reply(section_lines(*found[1:]) if found else unknown_section_lines(self.engine, raw))

    # ------------------------------------------------------------ reminders

    async def _subscribe(self, chat: Chat, name: str, _typing: Typing | None) -> Reply:
        store = self.services.reminders
        if store is None:
            return Reply([line(NO_REMINDERS)])
        agency, refused = self._agency(name, "nhacviec")
        if refused is not None:
            return refused
        now = self.services.clock()
        await asyncio.to_thread(store.subscribe, self.channel, chat.chat_id, agency, now)
        days = ", ".join(str(d) for d in REMINDER_DAYS[:-1]) + f" và {REMINDER_DAYS[-1]}"
        whose = f"các hạn liên quan đến {agency}" if agency else "mọi hạn báo cáo và mốc thực hiện"
        lines = [line(Span("Đã đăng ký nhắc hạn.", "b"), f" Tôi sẽ nhắn cuộc trò chuyện này trước {days} ngày "
                      f"cho {whose} mà văn bản nêu, kèm trích dẫn."),
                 line("Gõ /huynhacviec để thôi nhận."), BLANK]
        return Reply(lines + calendar_lines(obligations(self.engine), local_today(now), agency, self.public_url))

    async def _unsubscribe(self, chat: Chat, _argument: str, _typing: Typing | None) -> Reply:
        store = self.services.reminders
        if store is None:
            return Reply([line(NO_REMINDERS)])
        if await asyncio.to_thread(store.unsubscribe, self.channel, chat.chat_id):
            return Reply([line("Đã hủy nhắc hạn. Gõ /nhacviec nếu muốn nhận lại.")])
        return Reply([line("Cuộc trò chuyện này chưa đăng ký nhắc hạn. Gõ /nhacviec để đăng ký.")])

    async def _calendar(self, chat: Chat, name: str, _typing: Typing | None) -> Reply:
        agency, refused = self._agency(name, "lich")
        if refused is not None:
            return refused
        if not name and self.services.reminders is not None:
            sub = await asyncio.to_thread(self.services.reminders.subscription, self.channel, chat.chat_id)
            agency = sub.agency if sub else ""
        today = local_today(self.services.clock())
        return Reply(calendar_lines(obligations(self.engine), today, agency, self.public_url))
