"""Greetings and "what can you do?": what the bot knows and what to ask it."""

from __future__ import annotations

import re

from ..understand import Question
from .base import Context, Draft

# One list of example questions for every door (greeting, Telegram /help, Zalo).
EXAMPLE_QUESTIONS = (
    "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?",
    "còn cơ quan phối hợp thì sao?",
    "Hạn gửi báo cáo là khi nào?",
    "Sở Y tế phải làm gì trong kế hoạch?",
    "Kinh phí thực hiện kế hoạch lấy từ đâu?",
)
HELP_VI = ("Xin chào! Tôi là trợ lý hỏi đáp về {title}. Tôi trả lời bằng chính lời văn của văn bản và luôn "
           "ghi rõ mục trích dẫn. Bạn có thể hỏi:\n" + "\n".join(f"- {q}" for q in EXAMPLE_QUESTIONS))
HELP_EN = ("Hello! I answer questions about {title}, quoting the document and citing each section. Try:\n"
           "- Which department leads task 6?\n- When is the annual report due, and to whom?\n"
           "- What must the Department of Health do under the plan?")

_GREETING = re.compile(r"^(xin chao|chao|hello|hi|hey|alo|good (morning|afternoon|evening))\b")
_HELP = re.compile(r"\b(ban|bot|em) (co the |biet )?(lam|tra loi|giup) (duoc )?(gi|nhung gi)\b|^(help|huong dan|"
                   r"tro giup)\b|\bwhat can you\b|\bhow do i use\b|^(giup|help) (minh|toi|tui|em|me)\b")
# what may stand beside a greeting or a call for help and still ask nothing else: whom it greets, politeness
_AROUND = re.compile(r"\b(xin|chao|hello|hi|hey|alo|good|morning|afternoon|evening|there|ban|bot|ad|admin|anh|chi|em|"
                     r"minh|toi|tui|me|a|nhe|nha|voi|oi|please|help|giup|huong dan|tro giup|su dung|cach dung|"
                     r"lam|tra loi|duoc|gi|nhung|co the|biet|what|can|you|do|how|i|use|this|the|thanks?|cam on)\b"
                     r"|[?,;.!]")


def asks_nothing_else(q: Question) -> bool:
    """A greeting or a call for help and nothing more: "chào bot!", "bạn làm được gì?", "help me".
    "hi, who leads task 6?" asks about the plan and is answered as such."""
    if q.agencies or q.task_number or q.part or q.section or q.years:
        return False
    return not _AROUND.sub(" ", q.cues).strip()


class SmallTalk:
    intent = "help"

    def recognises(self, q: Question, ctx: Context) -> bool:
        return bool(_GREETING.search(q.cues) or _HELP.search(q.cues)) and asks_nothing_else(q)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        intent = "help" if _HELP.search(q.cues) else "greeting"
        text = (HELP_EN if q.lang == "en" else HELP_VI).format(title=ctx.title())
        return Draft(intent, tuple(text.split("\n")), (), 1.0, about_bot=True)
