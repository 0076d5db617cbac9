"""What the chat doors share, so that Telegram and Zalo say the same things the same way.

Replies are built once as rich lines (spans of plain, bold, italic or linked text) and
rendered either as Telegram HTML or as plain text (Zalo). Every span is closed within its
line, so a long reply can be split at any line boundary and each piece stays valid HTML.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import logging
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ascc_bot.models import Answer, Citation
from ascc_bot.sections import Document, Section, section_label
from ascc_bot.text import normalize

if TYPE_CHECKING:
    from ascc_bot.engine import Engine

Format = Literal["html", "text"]

# ------------------------------------------------------------------ rich lines


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""  # "" | "b" | "i" | "code"
    url: str = ""  # a link, only for absolute http(s) addresses


Line = tuple[Span, ...]
BLANK: Line = ()


def line(*parts: str | Span) -> Line:
    return tuple(p if isinstance(p, Span) else Span(p) for p in parts if p)


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def render_line(ln: Line, fmt: Format) -> str:
    out: list[str] = []
    for span in ln:
        if fmt == "text":
            out.append(f"{span.text} ({span.url})" if span.url and span.url != span.text else span.text)
            continue
        piece = html.escape(span.text, quote=False)
        if span.style:
            piece = f"<{span.style}>{piece}</{span.style}>"
        if span.url:
            piece = f'<a href="{html.escape(span.url, quote=True)}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def split_lines(lines: Sequence[str], limit: int, measure: Callable[[str], int] = utf16_len) -> list[str]:
    """Pack rendered lines into messages of at most ``limit``, breaking only between lines.

    Each line must fit on its own (``to_messages`` cuts longer ones at spaces before
    rendering, so HTML tags are never cut). Blank lines at a break are dropped."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for text in lines:
        if measure(text) > limit:
            raise ValueError(f"a line of {measure(text)} characters does not fit in a message of {limit}")
        extra = measure(text) + (1 if current else 0)
        if current and size + extra > limit:
            messages.append("\n".join(current))
            current, size = [], 0
            extra = measure(text)
        if not current and not text.strip():
            continue
        current.append(text)
        size += extra
    if current:
        messages.append("\n".join(current))
    return [m.strip("\n") for m in messages if m.strip()]


def to_messages(lines: Sequence[Line], fmt: Format, limit: int) -> list[str]:
    """Render rich lines and split them into messages no longer than ``limit``."""
    rendered: list[str] = []
    for ln in lines:
        text = render_line(ln, fmt)
        if utf16_len(text) <= limit:
            rendered.append(text)
        else:
            rendered.extend(render_line(piece, fmt) for piece in _wrap(ln, fmt, limit))
    return split_lines(rendered, limit)


def _wrap(ln: Line, fmt: Format, limit: int) -> list[Line]:
    """Cut one over-long rich line at spaces into lines that each render within ``limit``."""

    def fits(spans: list[Span]) -> bool:
        return utf16_len(render_line(tuple(spans), fmt)) <= limit

    pieces: list[Line] = []
    current: list[Span] = []
    for span in ln:
        for word in re.split(r"(?<= )", span.text):
            if not word:
                continue
            part = Span(word, span.style, span.url)
            candidate = _merge(current, part)
            if fits(candidate):
                current = candidate
                continue
            if current:
                pieces.append(tuple(current))
            while not fits([part]):  # a word longer than a message: hard cut
                cut = max(1, len(part.text) - 1)
                while cut > 1 and not fits([Span(part.text[:cut], part.style, part.url)]):
                    cut = max(1, cut * 3 // 4)
                pieces.append((Span(part.text[:cut], part.style, part.url),))
                part = Span(part.text[cut:], part.style, part.url)
            current = [part]
    if current:
        pieces.append(tuple(current))
    return pieces


def _merge(spans: list[Span], part: Span) -> list[Span]:
    if spans and (spans[-1].style, spans[-1].url) == (part.style, part.url):
        return [*spans[:-1], Span(spans[-1].text + part.text, part.style, part.url)]
    return [*spans, part]


# ------------------------------------------------------------------ what the bots say

RATE_LIMITED = ("Bạn hỏi hơi nhanh rồi ạ. Mỗi cuộc trò chuyện được hỏi tối đa {n} câu mỗi phút; "
                "xin đợi khoảng một phút rồi hỏi tiếp. Cảm ơn bạn!")
NOT_TEXT = ("Xin lỗi, tôi chỉ đọc được tin nhắn chữ. Bạn hãy gõ câu hỏi, "
            "ví dụ: \"Hạn gửi báo cáo là khi nào?\"")
FAILED = "Xin lỗi, tôi gặp lỗi khi trả lời câu này. Bạn vui lòng thử lại sau ít phút."
QUOTE_CHARS = 300


def citation_line(c: Citation) -> Line:
    doc_title = c.heading.removesuffix(f", {c.label}")
    quote = c.quote if len(c.quote) <= QUOTE_CHARS else c.quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    url = c.url if c.url.startswith(("http://", "https://")) else ""
    return line("Nguồn: ", Span(c.label, "b", url), f" ({doc_title})" if doc_title != c.heading else "",
                ": " if quote else "", Span(f"«{quote}»", "i") if quote else "")


def answer_lines(answer: Answer) -> list[Line]:
    lines = [line(text) for text in answer.answer.split("\n")]
    if answer.citations:
        lines.append(BLANK)
        lines += [citation_line(c) for c in answer.citations]
    return lines


def section_lines(doc: Document, section: Section, *, with_children: bool = True) -> list[Line]:
    """A section as the document writes it, with its sub-sections; the first line is its heading."""
    lines: list[Line] = [line(Span(f"{doc.meta.short_title}, {section_label(section.section_id)}", "b"))]
    parts = [section, *doc.descendants(section.section_id)] if with_children else [section]
    for sec in parts:
        if sec.title:
            numbered = f"{sec.number}. {sec.title}" if sec.number else sec.title
            lines.append(line(Span(numbered, "b")))
        lines += [line(text) for block in sec.blocks for text in block.text.split("\n")]
    return lines


TIME_KINDS = {"report_deadline": "Hạn báo cáo", "milestone": "Mốc thực hiện", "period": "Giai đoạn",
              "year": "Năm được nêu"}


def deadline_lines(engine: Engine) -> list[Line]:
    """Every deadline, milestone and period of the corpus, each with the sections that state it."""
    times = engine.deadlines()
    several = len(engine.documents) > 1
    titles = {d.doc_id: d.meta.short_title for d in engine.documents}

    def where(doc_id: str, section_id: str) -> str:
        label = section_label(section_id)
        return f"{label}, {titles.get(doc_id, doc_id)}" if several else label

    lines: list[Line] = [line(Span("Thời hạn và mốc thời gian trong kế hoạch", "b"))]
    kinds = list(TIME_KINDS) + sorted({t.kind for t in times} - set(TIME_KINDS))
    for kind in kinds:
        items = [t for t in times if t.kind == kind]
        if not items:
            continue
        lines += [BLANK, line(Span(TIME_KINDS.get(kind, kind), "b"))]
        if kind in ("report_deadline", "milestone"):
            seen: set[tuple[str, str, str]] = set()
            for t in items:
                if (t.doc_id, t.section_id, t.quote) in seen:
                    continue
                seen.add((t.doc_id, t.section_id, t.quote))
                head = f"• {t.when}" + (f", gửi về {t.recipient}" if t.recipient else "")
                if kind == "milestone":
                    lines.append(line("• ", Span(t.quote, "i"), " (Nguồn: ", Span(where(t.doc_id, t.section_id), "b"),
                                      ")"))
                else:
                    lines.append(line(head, " (Nguồn: ", Span(where(t.doc_id, t.section_id), "b"), ")"))
                    lines.append(line("  ", Span(f"«{t.quote}»", "i")))
        else:  # periods are named in passing in many places: one line per period, all its sections
            by_when: dict[str, list[str]] = {}
            for t in items:
                when = re.sub(r"\s*-\s*", " - ", t.when)
                places = by_when.setdefault(when, [])
                if where(t.doc_id, t.section_id) not in places:
                    places.append(where(t.doc_id, t.section_id))
            for when, places in by_when.items():
                lines.append(line(f"• {when} (Nguồn: ", Span("; ".join(places), "b"), ")"))
    if len(lines) == 1:
        lines.append(line("Các văn bản hiện có không nêu thời hạn hay mốc thời gian nào."))
    return lines


# ------------------------------------------------------------------ sections and agencies

_ROMAN_HEAD = re.compile(r"^([ivxlc]+)((?:\.\d+)*)$", re.IGNORECASE)


def find_section(engine: Engine, raw_id: str) -> tuple[int, Document, Section] | None:
    """"II.6.2", "ii.6.2", "Mục II.6.2" → the section, searching every document in order."""
    sid = re.sub(r"^(mục|muc)\s+", "", normalize(raw_id).strip().rstrip("."), flags=re.IGNORECASE)
    sid = sid.replace(" ", "")
    m = _ROMAN_HEAD.match(sid)
    candidates = [sid, f"{m.group(1).upper()}{m.group(2)}" if m else sid]
    for index, doc in enumerate(engine.documents):
        for cand in candidates:
            sec = doc.section(cand)
            if sec is not None:
                return index, doc, sec
        for sec in doc.sections:
            if sec.section_id.lower() == sid.lower():
                return index, doc, sec
    return None


def unknown_section_lines(engine: Engine, raw_id: str) -> list[Line]:
    lines = [line(f"Không có mục «{raw_id}» trong văn bản." if raw_id else "Bạn muốn xem mục nào?"),
             line("Mã mục viết theo số của văn bản: phần La Mã (II), khoản (II.6), điểm (II.6.2); "
                  "phần mở đầu là preamble, phần kết thúc là closing. Ví dụ: ", Span("/muc II.6.2", "code")),
             line("Các phần của kế hoạch:")]
    for doc in engine.documents:
        lines += [line(f"• {s.section_id} — {s.title}") for s in doc.sections if s.kind in ("part", "chapter")]
    return lines


def agency_not_found_lines(engine: Engine, name: str, matches: list[str], command: str = "nhiemvu") -> list[Line]:
    if matches:
        lines = [line(f"Có {len(matches)} cơ quan khớp với «{name}». Bạn hỏi cơ quan nào?")]
        lines += [line(f"• {m}") for m in matches]
        lines.append(line("Ví dụ: ", Span(f"/{command} {matches[0]}", "code")))
        return lines
    if not name:
        return [line("Hãy gõ tên cơ quan sau lệnh, ví dụ: ", Span(f"/{command} Sở Y tế", "code"), " hoặc ",
                     Span(f"/{command} LĐTBXH", "code"))]
    names = engine.agency_names()[:8]
    return [line(f"Kế hoạch không nêu cơ quan nào tên «{name}».",),
            line("Một số cơ quan có trong kế hoạch: " + "; ".join(names) + ".")]


# ------------------------------------------------------------------ section buttons

CALLBACK_PREFIX = "sec"
CALLBACK_MAX_BYTES = 64


def section_callback(doc_index: int, section_id: str) -> str | None:
    data = f"{CALLBACK_PREFIX}:{doc_index}:{section_id}"
    return data if len(data.encode()) <= CALLBACK_MAX_BYTES else None


def parse_section_callback(data: str) -> tuple[int, str] | None:
    prefix, _, rest = data.partition(":")
    index, _, section_id = rest.partition(":")
    if prefix != CALLBACK_PREFIX or not index.isdigit() or not section_id:
        return None
    return int(index), section_id


def cited_sections(engine: Engine, answer: Answer) -> list[tuple[int, str, str]]:
    """(document index, section id, label) per distinct cited section, most relevant first."""
    index = {d.doc_id: i for i, d in enumerate(engine.documents)}
    out: list[tuple[int, str, str]] = []
    for c in answer.citations:
        item = (index.get(c.doc_id, -1), c.section_id, c.label)
        if item[0] >= 0 and item not in out:
            out.append(item)
    return out


# ------------------------------------------------------------------ abuse and configuration


_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


def token_problem(token: str, env_name: str, where: str) -> str | None:
    """One line saying what is wrong with a bot token, or None when it looks right."""
    if not token:
        return f"Thiếu {env_name}: hãy đặt biến môi trường này bằng token của bot lấy từ {where}."
    if not _TOKEN.match(token):
        return (f"{env_name} không đúng dạng token của bot (<số>:<chuỗi chữ và số>, "
                f"ví dụ 123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11); hãy chép lại token từ {where}.")
    return None


def polling_preflight(token: str, env_name: str, where: str, polling: bool, command: str, webhook_env: str) -> int:
    """What both bots' ``--polling`` commands check first: 0 to go on, else the exit code (after one line)."""
    problem = token_problem(token, env_name, where)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if not polling:
        print(f"Dùng: ascc-bot {command} --polling. Chế độ webhook chạy trong ascc-bot serve khi đặt "
              f"{webhook_env}.", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines would print the token
    return 0


def checked_webhook_secret(token: str, token_env: str, where: str, configured: str, secret_env: str) -> str:
    """The webhook secret for ``ascc-bot serve``; a bad token or secret stops start-up with one line (exit 2)."""
    problem = token_problem(token, token_env, where)
    try:
        secret = webhook_secret(token, configured, secret_env)
    except ValueError as exc:
        problem = problem or str(exc)
    if problem:
        print(problem, file=sys.stderr)
        raise SystemExit(2)
    return secret


def secret_problem(headers: Mapping[str, str], header: str, secret: str) -> str | None:
    """Why a webhook request must be refused (403), or None: a constant-time check of its secret header."""
    given = headers.get(header, "")
    return None if hmac.compare_digest(given.encode(), secret.encode()) else f"Thiếu hoặc sai {header}."


_SECRET = re.compile(r"^[A-Za-z0-9_-]{8,256}$")


def webhook_secret(token: str, configured: str, env_name: str) -> str:
    """The secret a platform sends back with each webhook request: the configured one, or one
    derived from the token (so a restart keeps it) that does not reveal the token."""
    if configured:
        if not _SECRET.match(configured):
            raise ValueError(f"{env_name} chỉ được gồm chữ, số, '_' và '-' (8 đến 256 ký tự).")
        return configured
    return hashlib.sha256(f"ascc-bot webhook secret\0{token}".encode()).hexdigest()
