"""The answerability check, run on every composed answer before it is given.

1. The answer must contain what was asked: a quantity for "bao nhiêu" (unless a module counted it),
   a date or year for "khi nào", a name for "bệnh viện nào" / "which NGOs".
2. The question's concepts must be in the cited text: its content words, each weighted by how rare
   it is in the corpus, must be mostly found in the cited sections (with their headings). A word the
   documents never use ("kết hôn", "visa") weighs most.
Otherwise the documents do not answer, and we say so rather than quote something near.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..text import fold, syllables
from ..understand import (
    MONEY_NOUNS,
    Question,
    gloss_alternatives,
    glossary_renderings,
    is_vietnamese_syllable,
    load_pairs,
)
from .base import Context, Draft
from .reference import ISSUED
from .scope import city_places
from .time import SENT_TO_BODY_EN, SENT_TO_BODY_VI, report_deadlines
from .unknowable import names_other_document

# Fitted on the tune half of our own questions (benchmarks/own_questions.py), never on single questions.
MIN_COVER_VI = 0.55
MIN_COVER_EN = 0.65
SYLLABLE_WEIGHT = 0.5
MIN_DENSE_EN = 0.85  # an English question this far from every passage must be (nearly) fully covered
NEARLY_COVERED_EN = 0.8  # … as one that misses a single concept among many is

_TIME_UNITS = re.compile(r"\b(nam|thang|ngay|tuan|gio|giai doan|year|years|month|months|day|days|periods?|phases?)\b")
# a duration counted in days, weeks, months or hours ("mấy ngày làm việc", "how many days"): a year or a date
# does not answer it, only a number of that unit ("30 ngày")
_SHORT_UNITS = {"ngay": "ngày", "tuan": "tuần", "thang": "tháng", "gio": "giờ", "day": "days?", "days": "days?",
                "week": "weeks?", "weeks": "weeks?", "month": "months?", "months": "months?", "hour": "hours?",
                "hours": "hours?"}
_QUANTITY = re.compile(r"(?<![\w/.\-])(\d+(?:[.,]\d+)*)(?![\w/]|-\w)(\s*%)?")
_MONEY_UNITS = re.compile(rf"({MONEY_NOUNS}|dong|ty dong|trieu|nghin dong|money|funding|budget|vnd|usd)\b")
_MONEY = re.compile(r"\d[\d.,]*\s*(đồng|tỷ|triệu|nghìn|ngàn|VNĐ|VND|USD)\b", re.IGNORECASE)
_YEARISH = re.compile(r"^(19|20)\d\d$")
_YEAR_RANGE = re.compile(r"\b(19|20)\d\d\s*[-–]\s*(19|20)\d\d\b")
_DATE_CONTEXT = re.compile(r"(ngày|tháng|năm|số|Điều|Khoản|điểm|giai đoạn|khóa)\s*$", re.IGNORECASE)
DATE = re.compile(r"\b(19|20)\d\d\b|\b\d{1,2}/\d{1,2}\b|\btháng \d{1,2}\b")
# "lập dự toán lúc nào?" is answered by how often ("Hàng năm …"); "ngày nào", "năm nào" ask a date
_RECURRING = re.compile(r"\b(hàng năm|hằng năm|định kỳ|thường xuyên|annually|every year|each year)\b", re.IGNORECASE)
_WHICH_DAY = re.compile(r"\b(ngay|nam|thang) (nao|bao nhieu|may)\b"
                        r"|\b(what|which)( exact| specific| precise)? (date|day|year|month)\b|\bdeadline"
                        r"|\b(thoi han|han chot|han cuoi)\b|\b(fixed|set|specific|exact) (date|deadline|day)\b"
                        r"|\bdate by which\b|\bngay (co dinh|cu the)\b")
# "ngày nào", "tháng mấy", "on what date": a day or a month is asked, and a year alone does not give it
# ("Năm 2020: sơ kết …" says nothing of the day or month of the conference)
_DAY_ASKED = re.compile(r"\b(ngay|thang)( ,? (ngay|thang))?( cu the| chinh xac)? (nao|bao nhieu|may)\b|\bhom nao\b"
                        r"|\b(what|which)( exact| specific| precise)? "
                        r"(date|day|month)\b|\b(fixed|specific|exact) (date|day)\b|\bdate by which\b"
                        r"|\bngay (co dinh|cu the)\b")
# a period of reporting or work other than the year ("báo cáo 6 tháng đầu năm", "hằng quý", "quarterly"): the
# quoted text must name that period, or the yearly one would answer for it
_PERIOD_ASKED = re.compile(r"\b(6|sau|3|ba|9|chin) thang\b|\b(hang|moi) (quy|thang|tuan)\b|\bquy (i|ii|iii|iv|[1-4])\b"
                           r"|\b(bao cao|bc) (quy|thang|tuan)\b(?! \d)"
                           r"|\b(quarterly|monthly|weekly|half-year\w*|semi-annual\w*|six-month\w*|biannual\w*)\b"
                           r"|\b(each|every) (quarter|month|week)\b")
# where an event is held ("hội nghị tổ chức ở đâu", "lớp học ở đâu", "where will the conference be held"): only a
# place named in the quoted text answers it, "tại Nhà hát Thành phố", never the plan's "trên toàn thành phố"
_VENUE_ASKED_VI = re.compile(r"\b(to chuc|dien ra|khai mac|hop|hoc) ((?!thuc\b|trien\b|ap\b)\w+ )?"
                             r"(o dau|tai dau|o cho nao|dia diem nao)\b|\bdia diem (to chuc )?(o )?(dau|nao)\b"
                             # where a facility stands ("bệnh viện tâm thần của thành phố ở đâu?")
                             r"|\b(benh vien|truong|tram y te|trung tam|bao tang|cong vien|nha van hoa|thu vien|"
                             r"san van dong|tru so|van phong)\b[^?.;]{0,40}\b(nam )?(o|tai) (dau|cho nao)\b")
_VENUE_ASKED_EN = re.compile(r"\bwhere\b.{0,50}\b(held|hold|take place|takes place|taking place|hosted|located|"
                             r"organi[sz]ed)\b|\b(venue|location)s?\b|\b(held|take place|takes place) where\b")
_VENUE = re.compile(r"\b(tại|ở) ([A-ZĐ]\w*)")
# a document's number asked ("văn bản hướng dẫn của Bộ … số mấy?", "the guidance document's number"): only a
# number as documents are numbered ("161/QĐ-TTg", "21-NQ/TW") answers it
_DOC_NUMBER_ASKED_VI = re.compile(r"\b(van ban|vb|cong van|quyet dinh|nghi quyet|nghi dinh|thong tu|chi thi|"
                                  r"huong dan)\b[^?.;]*\bso (may|bao nhieu|hieu|ky hieu)\b"
                                  r"|\bso (hieu|ky hieu) (cua )?(van ban|vb|cong van|huong dan)\b")
_DOC_NUMBER_ASKED_EN = re.compile(r"\b(document|reference|decision|resolution|circular|guidance|guideline|letter)s?"
                                  r"('s)? numbers?\b|\bnumber of (the|that|its) ([\w'-]+ ){0,3}(document|guidance|"
                                  r"guidelines?|decision|resolution|circular|letter)\b")
_DOC_NUMBER = re.compile(r"\b\d+[/-][A-ZĐ]")
_DAY = re.compile(r"\b\d{1,2}/\d{1,2}\b|\bngày \d{1,2}\b|\btháng \d{1,2}\b", re.IGNORECASE)


# Kinds of thing a question may ask for by name ("bệnh viện nào", "which NGOs"): (folded words, English
# words, how the documents write the kind). Answering needs a name after the kind in the quoted text
# ("Bệnh viện Việt Tiệp"); "các bệnh viện tuyến tỉnh" names none. Bodies and places are not here: the
# documents name bodies, and "các quận, huyện" answers "which districts".
_NAMED_KINDS = (
    ("benh vien|co so kham chua benh|co so y te|tram y te", "hospitals?|clinics?|health stations?",
     "bệnh viện|cơ sở khám, chữa bệnh|cơ sở y tế|trạm y tế"),
    # (folded, "môi trường", "thị trường" hold "trường" too)
    ("truong hoc|truong dai hoc|(?<!moi )(?<!thi )(?<!quang )(?<!lap )(?<!hien )(?<!chien )truong",
     "schools?|universit(?:y|ies)", "trường"),
    ("doanh nghiep|cong ty", "compan(?:y|ies)|enterprises?|businesses", "doanh nghiệp|công ty"),
    ("to chuc phi chinh phu(?: nuoc ngoai)?|ngo", "ngos?|non-governmental organi[sz]ations?",
     "tổ chức phi [Cc]hính phủ(?: nước ngoài)?|NGO"),
    ("lang nghe|lang", "villages?", "làng nghề|làng"),
    ("le hoi", "festivals?", "lễ hội"),
    # a site by its name ("khu du lịch Đồ Sơn", "bãi biển Cát Cò"): the plan names none
    ("khu du lich|diem du lich|bai bien|cong vien|bao tang", "tourist (?:sites?|areas?|spots?)|beach(?:es)?|parks?",
     "khu du lịch|điểm du lịch|bãi biển|công viên|bảo tàng"),
    ("du an", "projects?", "dự án"),
    ("di tich", "relics?|heritage sites?", "di tích"),
    ("an pham|cuon sach", "publications?|booklets?|leaflets?|brochures?", "ấn phẩm|cuốn sách"),
    ("mau|bieu mau|mau don", "forms?|templates?", "mẫu|biểu mẫu"),  # "báo cáo theo mẫu nào?": a form by its name
    # "Hải Phòng kết nghĩa với thành phố nào?", "which Thai provinces": a place other than those asked about
    # (folded, "tỉnh" is also "tính": "tính cho giai đoạn nào" asks no name)
    ("thanh pho|tinh thanh", "cities|provinces|towns", "thành phố|tỉnh"),
)


# "thế nào" (how), "bằng cách nào" (by what means), "khi nào", "lúc nào", "năm nào" (when) ask no name
_NOT_WHICH = r"(?<!\bthe)(?<!\bcach)(?<!\bkhi)(?<!\bluc)(?<!\bnam)(?<!\bngay)(?<!\bthang)(?<!\bgio)"


def _kind_named(q: Question) -> str | None:
    """How the documents write the kind of thing the question asks for by name, if it does."""
    if q.focus.agency or q.focus.role or q.focus.yes_no:
        return None  # "… các làng nghề thì sở nào làm?" asks for a body; "có nhắc làng nghề gì không?" if any
    for vi, en, written in _NAMED_KINDS:
        if q.lang == "en":
            asked = re.search(rf"\b(which|what) ([a-z-]+ ){{0,2}}({en})\b|\bnames? of (the )?({en})\b"
                              rf"|\blist (all )?(the )?({en})\b", q.cues)
        else:
            asked = re.search(rf"\b(nhung |cac )?({vi})( (?!thi\b)\w+){{0,3}}{_NOT_WHICH} nao\b"
                              rf"|\bten (cua )?(cac |nhung )?({vi})\b|\b({vi})\b.*\bten (la )?gi\b"
                              rf"|\b({vi}) (gi|nao)\b|\b({vi}) so (may|bao nhieu)\b", q.cues)
        # "có phát hành ấn phẩm gì không?": whether there is any, not its name
        any_asked = q.lang == "vi" and re.search(rf"\b({vi})( \w+){{0,3}} (gi|nao)\b.*\b(khong|chua)\W*$",
                                                 q.cues)
        if asked and not any_asked:
            return written
    return None


# words that end a name typed after its kind ("Bệnh viện Hữu nghị Việt Tiệp được …")
_NAME_END = frozenset("""được có thì là ở của đã sẽ đang không nào gì và với cho trong theo về do bị cần phải nhận
này đó ấy nhé ạ""".split())
_NAME_KIND_EN = re.compile(r"((?:[A-Z][\w'-]*\s+){1,4})(Hospital|University|School|College|Company|Corporation|"
                           r"Village|Festival|Museum|Theatre|Pagoda|Temple|Beach|Park|Resort)\b")


def _unknown_name(q: Question, ctx: Context) -> str:
    """A hospital, school, company, village or festival the question names ("Bệnh viện Hữu nghị Việt Tiệp",
    "Viet Tiep Hospital") that no document names: nothing quoted can be about it."""
    lex = ctx.snap.lexicon
    asked = re.split(r"(?<=[.!?])\s+(?=\S)", q.original.strip())[-1]  # not a name in the story told before
    names: list[str] = []
    if q.lang == "en":
        names = [m.group(1).strip() for m in _NAME_KIND_EN.finditer(asked)]
    else:
        for _, _, written in _NAMED_KINDS[:-1]:  # other places are read as places, not here
            for m in re.finditer(rf"(?<!\w)(?i:{written})\s+([A-ZĐ][\wÀ-ỹ]*(?:\s+[\wÀ-ỹ]+){{0,5}})", asked):
                words = m.group(1).split()
                # capitalised words, and a lower-case one between two of them ("Hữu nghị Việt Tiệp")
                end = next((i for i, w in enumerate(words) if i and not w[0].isupper() and not (
                    i + 1 < len(words) and words[i + 1][0].isupper() and w.lower() not in _NAME_END)), len(words))
                names.append(" ".join(words[:end]))
    for name in names:
        key = " ".join(syllables(name))
        if len(key.split()) >= 2 and lex.frequency(key) == 0:  # a pair of its syllables the documents never write
            return name
    return ""


# a document named by its number ("Nghị quyết 42-NQ/TW", "Quyết định số 161", "Decision 161", "21-NQ/TW")
_DOCUMENT_NUMBER_VI = re.compile(r"\b(?:nghi quyet|quyet dinh|nghi dinh|chi thi|thong tu|ket luan|cong van) (?:so )?"
                                 r"(\d+)\b|\b(\d+)[- /](?:nq|qd|nd|ct|tt|kl)\b")
_DOCUMENT_NUMBER_EN = re.compile(r"\b(?:resolution|decision|decree|directive|circular|conclusion) (?:no\.? |number )?"
                                 r"(\d+)\b|\b(\d+)[- /](?:nq|qd|qđ|nd|ct|tt|kl)\b")


def _unknown_document(q: Question, ctx: Context) -> bool:
    """A document the question names by number that no document in the corpus is or cites ("Nghị quyết 42-NQ/TW
    năm 2023"): nothing quoted can be about it."""
    pattern = _DOCUMENT_NUMBER_EN if q.lang == "en" else _DOCUMENT_NUMBER_VI
    named = {m.group(1) or m.group(2) for m in pattern.finditer(q.folded)}
    if not named:
        return False
    known = {re.match(r"\d+", c.number).group() for c in ctx.facts.cited if re.match(r"\d+", c.number)}
    known |= {m.group() for d in ctx.snap.documents for m in [re.match(r"\d+", d.meta.number or "")] if m}
    return bool(named - known)


def _names_one(quotes: list[str], written: str, asked: str) -> bool:
    """Whether a quote names one of the kind, by a name the question does not itself say ("thành phố Hải
    Phòng" names no city Hải Phòng is twinned with)."""
    names = (m.group(1) for quote in quotes
             for m in re.finditer(rf"(?i:{written})\s+(?!Nhà nước)([A-ZĐ][\wÀ-ỹ]*(?:\s+[A-ZĐ][\wÀ-ỹ]*)*)", quote))
    return any(f" {fold(name).lower()} " not in f" {asked} " for name in names)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    # amount | date | venue | names | concepts | unread | person | outcome | identity | now | place | empty (and
    # the refusal reasons of unknowable.py: section, ranking, sanction, exemption, …)
    reason: str = ""
    missing: tuple[str, ...] = ()  # the question's words the cited text lacks


# a share the question states ("95%", "95 percent", "95 phần trăm"): the quote must state it too
_SHARE_STATED = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:%|percent\b|per cent\b|phần trăm\b|phan tram\b"
                           # or a sum of money ("500 triệu", "2 tỷ đồng", "VND 1 billion")
                           r"|(?:triệu|trieu|tỷ|tỉ|ty|ti|nghìn|nghin|ngàn|ngan|đồng|dong|million|billion)\b)",
                           re.IGNORECASE)


def _share_unsaid(question: str, said: list[str]) -> bool:
    """A share the question states that nothing quoted states: the documents do not set that figure."""
    stated = {m.group(1).replace(",", ".") for m in _SHARE_STATED.finditer(question)}
    quoted = {m.group(1).replace(",", ".") for text in said for m in _SHARE_STATED.finditer(text)}
    return bool(stated - quoted)


def check(q: Question, draft: Draft, ctx: Context) -> Verdict:
    if draft.refusal:
        return Verdict(False, draft.refusal)
    if draft.about_bot:
        return Verdict(True)
    if not draft.citations:
        return Verdict(False, "empty")
    quotes = [c.quote for c in draft.citations]
    if q.focus.amount and not draft.counted and not _has_quantity(quotes, q.focus.unit):
        return Verdict(False, "amount")
    if _share_unsaid(q.text, quotes + [draft.text]):
        return Verdict(False, "amount")  # "Is it true that the plan sets a target of 95% …?": no such figure
    if draft.intent == "reference":  # a document the plan cites: its date and issuer are what is asked
        q = replace(q, content_terms=tuple(t for t in q.content_terms if t not in ISSUED))
    events = draft.text + " " + " ".join(quotes)
    events = events if draft.intent == "reference" else _dates_of_events(q, events)
    if q.focus.time and not q.focus.agency and not DATE.search(events) and not (
            _RECURRING.search(events) and not _WHICH_DAY.search(q.cues)):
        return Verdict(False, "date")
    if q.focus.time and not q.focus.agency and _DAY_ASKED.search(q.cues) and not _day_of_event(q, events, ctx):
        return Verdict(False, "date")
    if q.matches(_VENUE_ASKED_VI, _VENUE_ASKED_EN) and not any(_VENUE.search(t) for t in quotes):
        return Verdict(False, "venue")
    if q.matches(_DOC_NUMBER_ASKED_VI, _DOC_NUMBER_ASKED_EN) and not any(_DOC_NUMBER.search(t) for t in quotes):
        return Verdict(False, "number")
    if not draft.corrects and (_unknown_name(q, ctx) or _unknown_document(q, ctx)):
        return Verdict(False, "unknown_name")
    if _other_recipient(q, quotes, ctx):
        return Verdict(False, "recipient")
    period = _PERIOD_ASKED.search(q.cues) if not _RECURRING.search(q.text) else None  # "hằng quý hay hằng năm?"
    if period and f" {' '.join(syllables(period.group()))} " not in f" {' '.join(syllables(' '.join(quotes)))} ":
        return Verdict(False, "date")
    kind = _kind_named(q)
    if kind and not _names_one(quotes + [draft.text], kind, q.cues):
        return Verdict(False, "names")
    if draft.about_document:
        return Verdict(True)
    if q.lang == "en" and _unread_topic(q, ctx):
        return Verdict(False, "unread")  # a question about something, none of it a word we can read
    cover, missing = coverage(q, draft, ctx)
    if cover < _floor(q) or _subject_lacking(q, missing, ctx):
        return Verdict(False, "concepts", missing)
    if q.lang == "en" and missing and cover < NEARLY_COVERED_EN and ctx.ranking(q).top_dense < MIN_DENSE_EN:
        return Verdict(False, "concepts", missing)
    return Verdict(True)


# a document cited with its date ("Nghị quyết số 21-NQ/TW ngày 22/11/2012", "Luật Ngân sách nhà nước năm 2015")
_DATED = (r"\b(Nghị quyết|Quyết định|Nghị định|Chỉ thị|Thông tư|Luật|Kết luận|Công văn|Kế hoạch)"
          r"( số)? [^,;«»()]{{0,80}}?(ngày \d{{1,2}}(/| tháng )\d{{1,2}}(/| năm )\d{{4}}|{year}năm \d{{4}})"
          r"([^“;]{{0,60}}“[^”]{{0,300}}”)?")  # and its title in quotes ("… giai đoạn 2012 - 2020”)
# (and in a heading's capitals: "QUYẾT ĐỊNH SỐ 161/QĐ-TTG NGÀY 25/01/2016")
_DATED_DOCUMENT = re.compile(_DATED.format(year=""), re.IGNORECASE)
# a horizon asked ("… tính đến năm bao nhiêu?", "until which year?"): "Kế hoạch … đến năm 2025" is the year a
# document runs to, which answers it, not the year it was issued
_HORIZON_ASKED = re.compile(r"\b(den|toi) (nam )?(nao|bao nhieu|may)\b|\b(until|till|up to|through|to) (when|what year"
                            r"|which year)\b|\bby (what|which) year\b")
_DATED_DOCUMENT_NOT_HORIZON = re.compile(_DATED.format(year="(?<!đến )(?<!tới )"), re.IGNORECASE)


def _day_of_event(q: Question, events: str, ctx: Context) -> bool:
    """A day or a month stated in the same line or sentence as the rarest of the question's concepts that the
    quoted text holds: "Đánh giá giữa kỳ … vào tháng mấy?" is not answered by the "01 tháng 12" of the
    reporting duty quoted beside it. (A concept the text lacks is the coverage check's to weigh.)"""
    lex = ctx.snap.lexicon
    said = f" {' '.join(syllables(events))} "
    known = [t for t in q.content_terms if not re.search(r"\b(19|20)\d\d\b", t) and f" {t} " in said
             and lex.frequency(t) > 0]
    if not known:
        return bool(_DAY.search(events))
    rarest = min(known, key=lex.frequency)
    return any(_DAY.search(piece) and f" {rarest} " in f" {' '.join(syllables(piece))} "
               for piece in re.split(r"\n|(?<=[.;])\s+", events))


def _dates_of_events(q: Question, text: str) -> str:
    """The text without the dates of the documents it cites: "bao giờ đạt bảo hiểm y tế toàn dân?" is not
    answered by the date of the resolution that set the aim. Unless another document's date is asked."""
    if names_other_document(q):
        return text
    return (_DATED_DOCUMENT_NOT_HORIZON if _HORIZON_ASKED.search(q.cues) else _DATED_DOCUMENT).sub(" ", text)


_SPAN_VERBS = re.compile(r"\b(end|ends|ending|finish(es)?|run|runs|last|lasts|start|starts|begin|begins|conclude[sd]?|"
                         r"expire[sd]?|cover|covers|span|spans)\b")


def _unread_topic(q: Question, ctx: Context) -> bool:
    """An English question of some length that names no task, part, body or year and has no word the
    glossary reads, nor (in a conversation) refers to what was said before: what it is about is unknown,
    however near a passage looks."""
    said_before = ctx.session is not None and bool(ctx.session.turns)
    if re.search(r"\b(timelines?|periods?|time ?frames?|milestones?|deadlines?)\b", q.cues) or (
            q.focus.time and _SPAN_VERBS.search(q.cues)):
        return False  # the plan's own time frame, which the glossary reads as frame words ("when does it end?")
    return (not q.content_terms and not q.agencies and q.task_number is None and not q.part and not q.years
            and not (said_before and (q.follow_up or q.refers_to_task or q.refers_to_agency))
            and len(q.cues.split()) >= 8)


_TIMES = re.compile(r"^(lan|luot|times?)\b")
_FREQUENCY = re.compile(r"\b(hằng|hàng|mỗi) (năm|quý|tháng|tuần|ngày)\b|\bđịnh kỳ\b|\bthường xuyên\b", re.IGNORECASE)
_SHARE_WORDS = re.compile(r"\b(phan tram|ty le|muc|chi tieu|percent|share|rate)\b")

def _other_recipient(q: Question, quotes: list[str], ctx: Context) -> bool:
    """"Nộp báo cáo cho UBND huyện trước ngày nào?" where the quoted report goes to another body, and the
    bodies it is then reported on to ("… để tổng hợp báo cáo Ủy ban nhân dân thành phố") are not the one asked."""
    if not q.agencies or q.focus.yes_no or q.focus.choice or not q.matches(SENT_TO_BODY_VI, SENT_TO_BODY_EN):
        return False  # "có gửi Sở Nội vụ không?" is answered: the quote names where it goes
    said = " ".join(quotes)
    reports = [t for t in report_deadlines(ctx, q) if t.recipient and t.quote[:80] in said]
    if not reports:
        return False
    for t in reports:
        onward = t.quote.split(t.recipient, 1)[-1]
        if t.recipient in q.agencies or any(a in onward for a in q.agencies):
            return False
    return True


def _has_quantity(quotes: list[str], unit: str) -> bool:
    """A number that measures something: not a year, date, period, section or document number —
    unless a time is what is asked ("bao nhiêu năm")."""
    if _TIMES.search(unit or ""):  # "mấy lần", "how many times": once a year is "hằng năm"
        return any(_FREQUENCY.search(quote) for quote in quotes)
    short = _SHORT_UNITS.get(((unit or "").split() or [""])[0])
    if short:
        return any(re.search(rf"\b\d+\s*{short}\b", quote, re.IGNORECASE) for quote in quotes)
    time_asked = bool(_TIME_UNITS.match(unit or ""))  # "bao nhiêu năm"; "bao nhiêu tiền/tháng" asks money
    if _MONEY_UNITS.match(unit or ""):  # "bao nhiêu tiền": only a sum of money answers it
        return any(_MONEY.search(quote) for quote in quotes)
    if time_asked and any(_YEAR_RANGE.search(quote) for quote in quotes):
        return True  # "giai đoạn mấy năm?": "giai đoạn 2011-2020"
    if unit == "%":
        return any("%" in quote or "phần trăm" in quote.lower() for quote in quotes)
    for quote in quotes:
        for m in _QUANTITY.finditer(quote):
            before = quote[:m.start()]
            if m.group(2):  # "100%": a share, which answers no count of things ("bao nhiêu người")
                if not unit or _SHARE_WORDS.search(unit):
                    return True
                continue
            if _YEARISH.match(m.group(1)) or _DATE_CONTEXT.search(before):
                if time_asked:
                    return True
                continue
            return True
    return False


def _found(unit: str, cited: str) -> bool:
    """A unit is in the cited text whole, or (a phrase of three or four syllables) as two parts:
    "bảo vệ môi trường biển" covers "bảo vệ" and "môi trường"."""
    if f" {unit} " in cited:
        return True
    syl = unit.split()
    return len(syl) >= 3 and any(f" {' '.join(syl[:k])} " in cited and f" {' '.join(syl[k:])} " in cited
                                 for k in range(1, len(syl)))


def _read_across(unit: str, said: list[str], cited: str, others: set[str]) -> bool:
    """A two-syllable word the segmenter took that the documents read across its neighbour: "vùng ven"
    of "vùng ven biển" is "vùng" and "ven biển" — each in the cited text, one with the neighbour. A neighbour
    of another concept of the question the cited text lacks is none to borrow ("phụ lục đề cương" is not the
    "lực để" of "nguồn lực để")."""
    syl = unit.split()
    if len(syl) != 2 or not all(f" {s} " in cited for s in syl):
        return False
    for i in range(len(said) - 1):
        if said[i:i + 2] != syl:
            continue
        after = said[i + 2] if i + 2 < len(said) else ""
        before = said[i - 1] if i else ""
        if (after.isalpha() and after not in others and f" {syl[1]} {after} " in cited) or \
                (before.isalpha() and before not in others and f" {before} {syl[0]} " in cited):
            return True
    return False


def _reworded_syllables(said: str, cited: str) -> set[str]:
    """The syllables of the question's everyday phrases of several words whose document wording the cited
    text holds."""
    padded = f" {said} "
    out: set[str] = set()
    for everyday, documents in _phrase_pairs():
        if f" {everyday} " in padded and f" {documents} " in cited:
            out.update(everyday.split())
    return out


@lru_cache(maxsize=1)
def _phrase_pairs() -> tuple[tuple[str, str], ...]:
    pairs = ((" ".join(syllables(word)), " ".join(syllables(doc))) for word, doc in load_pairs("synonyms.tsv"))
    return tuple((w, d) for w, d in pairs if " " in w)


@lru_cache(maxsize=4096)
def documents_wording(unit: str) -> tuple[str, ...]:
    """The documents' wording (folded) for the everyday words inside a folded unit ("nop" → "gui")."""
    padded = f" {unit} "
    return tuple(" ".join(syllables(doc)) for word, doc in load_pairs("synonyms.tsv")
                 if f" {' '.join(syllables(word))} " in padded)


def anchors(draft: Draft, ctx: Context) -> list[str]:
    """The folded texts an answer stands on, one per place it cites: the cited section with its
    headings, or, for a section of a task, the whole task."""
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    for c in draft.citations:
        anchor = _anchor(ctx, c.doc_id, c.section_id)
        if anchor is None or anchor[0] in seen:
            continue
        seen.add(anchor[0])
        out.append(anchor[1])
    return out


def _anchor(ctx: Context, doc_id: str, section_id: str) -> tuple[tuple[str, str], str] | None:
    """The place a cited section stands on, (document, section) and its folded text: the section with its
    headings, or, for a section of a task, the whole task. Read once a question."""
    key = (doc_id, section_id)
    if key not in ctx.anchors_read:
        ctx.anchors_read[key] = _read_anchor(ctx, doc_id, section_id)
    return ctx.anchors_read[key]


def _read_anchor(ctx: Context, doc_id: str, section_id: str) -> tuple[tuple[str, str], str] | None:
    doc = ctx.documents.get(doc_id)
    sec = doc.section(section_id) if doc else None
    task = ctx.facts.task(doc_id, section_id) if sec else None
    root = doc.section(task.section_id) if task else sec
    if root is None:
        return None
    # with the document's title: "the Hai Phong plan" names the city of every passage of it, and "the ASCC plan"
    # its subject
    pieces = [doc.meta.title, doc.context(root.section_id), root.text,
              *(d.text for d in doc.descendants(root.section_id))]
    return (doc_id, root.section_id), " " + " ".join(" ".join(syllables(p)) for p in pieces) + " "


def place_covers(q: Question, ctx: Context, doc_id: str, section_id: str, whole: bool = False) -> bool:
    """Whether quoting this section would pass the concept check (``whole``: would miss none of the question's
    concepts): the place it stands on holds enough of them."""
    anchor = _anchor(ctx, doc_id, section_id)
    if anchor is None:
        return False
    cover, missing = _coverage_in(q, anchor[1], ctx)
    return not missing if whole else cover >= _floor(q)


# "Người nước ngoài sống ở Hải Phòng có được mua bảo hiểm y tế không?": who may (or must) do something, before
# the verb of the yes/no
_SUBJECT_VI = re.compile(r"^(.{3,50}?)\s(?:có được|co duoc|có phải|co phai|có bị|co bi|được phép|duoc phep|có quyền"
                         r"|co quyen)\s", re.IGNORECASE)


def _subject_lacking(q: Question, missing: tuple[str, ...], ctx: Context) -> bool:
    """A yes/no about whether a group may do something, when the cited text names none of the words that say who
    (a place inside the city aside): the documents do not say it of them, however much of the rest they hold.
    "Ngoài ngân sách thì có được …": a frame, not who."""
    if q.lang != "vi" or not q.focus.yes_no or not missing or q.agencies:
        return False
    m = _SUBJECT_VI.match(q.text)
    if not m:
        return False
    subject = f" {' '.join(_before_frame(syllables(m.group(1)), q.content_terms))} "
    places = city_places() | _own_city(ctx)
    who = [t for t in q.content_terms if " " in t and f" {t} " in subject and t not in places]
    return bool(who) and all(t in missing for t in who)


# words that open a frame, before or after who: "ngoài ngân sách thì …", "trong năm 2025 …", "về kinh phí …"
_FRAME = frozenset("ngoai trong ve voi de theo khi neu tu den sau truoc".split())


def _before_frame(syls: list[str], terms: tuple[str, ...]) -> list[str]:
    """The syllables before the first that opens a frame, one not inside a word of the question ("nước ngoài",
    "bảo vệ"): who is named before it ("tiền làm kế hoạch này ngoài ngân sách ra có được …" names no one)."""
    words = {t for t in terms if " " in t}
    for i, syl in enumerate(syls):
        inside = any(f" {' '.join(syls[a:a + 2])} " in f" {w} " for w in words for a in (i - 1, i) if a >= 0)
        if syl in _FRAME and not inside:
            return syls[:i]
    return syls


def _floor(q: Question) -> float:
    """The share of a question's concepts the cited text must hold."""
    return MIN_COVER_EN if q.lang == "en" else MIN_COVER_VI


def task_cover(q: Question, task, ctx: Context) -> tuple[float, tuple[str, ...]]:
    """How much of the question's concepts a task's own text (with its headings) holds, and what it lacks."""
    doc = ctx.documents.get(task.doc_id)
    root = doc.section(task.section_id) if doc else None
    if root is None:
        return False
    # the task's own words, not the lists of bodies ("Sở Y tế" among task 4's leads is no health task)
    lists = {task.lead_section, task.coord_section}
    pieces = [doc.context(root.section_id), root.text,
              *(d.text for d in doc.descendants(root.section_id) if d.section_id not in lists)]
    text = " " + " ".join(" ".join(syllables(p)) for p in pieces) + " "
    return _coverage_in(q, text, ctx)


def cited_text(draft: Draft, ctx: Context) -> str:
    """Everything an answer stands on, its own words included."""
    return " " + " ".join(syllables(draft.text)) + " " + " ".join(anchors(draft, ctx))


def _foreign_name(unit: str, original: str) -> bool:
    """A word of no Vietnamese syllable written as a name ("Singapore", "Manila"): in a Vietnamese question it
    is what is asked about, not a typo."""
    return any(len(w) >= 4 and w[0].isupper() and w[1:].islower() and w.lower() == unit
               for w in re.findall(r"\w+", original))


def coverage(q: Question, draft: Draft, ctx: Context) -> tuple[float, tuple[str, ...]]:
    """The rarity-weighted share of the question's concepts found in the text the answer cites.

    For "A hay B" one side is enough: the better-covered side counts, the other is left out."""
    if draft.intent == "content":  # quoted passages: the question's concepts must meet in one place
        return max((_coverage_in(q, f" {a} ", ctx) for a in anchors(draft, ctx)), key=lambda r: r[0],
                   default=(0.0, tuple(q.content_terms)))
    return _coverage_in(q, cited_text(draft, ctx), ctx)


def _coverage_in(q: Question, cited: str, ctx: Context) -> tuple[float, tuple[str, ...]]:
    terms = [*q.content_terms, *(t for t in q.told_terms if t not in q.content_terms)]
    if len(q.alternatives) == 2:
        left, right = (set(side) for side in q.alternatives)
        return max((_cover([u for u in terms if u not in drop], cited, ctx, q) for drop in (left, right)),
                   key=lambda r: r[0])
    return _cover(terms, cited, ctx, q)


def _own_city(ctx: Context) -> frozenset[str]:
    """The name of the place whose body issued the documents ("Hải Phòng", "thành phố Hải Phòng"): a question
    names it to say where, and it is no concept the cited text must hold. "Thành phố" alone stays a concept: it is
    also the city's government ("thành phố có làm gì không?")."""
    return _city_of_issuers(tuple(doc.meta.issuer for doc in ctx.snap.documents))


@lru_cache(maxsize=8)
def _city_of_issuers(issuers: tuple[str, ...]) -> frozenset[str]:
    out: set[str] = set()
    for issuer in issuers:
        m = re.search(r"\b(thanh pho|tinh) (\w+ \w+)$", " ".join(syllables(issuer)))
        if m:
            out |= {m.group(2), m.group(0)}
    return frozenset(out)


# a word no Vietnamese syllable can be, typed or mistyped: "f", "j", "w", "z" inside it (a Telex tone key left at
# the end, "truongf", is a slip) or a cluster that opens no syllable ("slide", "form", "file", "word")
_FOREIGN_WORD = re.compile(r"^[a-z]*[fjwz][a-z]+$"
                           r"|^(bl|cl|fl|gl|pl|sl|br|cr|dr|fr|gr|pr|sc|sk|sm|sn|sp|st|sw)[a-z]{2,}$")


def _cover(units: list[str], cited: str, ctx: Context, q: Question) -> tuple[float, tuple[str, ...]]:
    """Of an English question only the concepts the glossary puts in Vietnamese count: a word it lacks is
    a gap of the glossary, not evidence against the documents (cross-lingual retrieval found the passage)."""
    units = list(dict.fromkeys(units))
    if not units:
        return 1.0, ()
    lex = ctx.snap.lexicon
    said = q.cues.split() if q.lang != "en" else []
    # an everyday phrase the documents word otherwise ("đi làm việc ở nước ngoài" → "xuất khẩu lao động"):
    # its syllables are covered where the documents' wording is
    reworded = _reworded_syllables(" ".join(said), cited)
    alternatives = gloss_alternatives(q.original, inflected=True) if q.lang == "en" else {}
    total = got = 0.0
    missing = []
    told_missing = 0.0
    told_found = False
    told_lacking: list[str] = []
    about_document = names_other_document(q)
    own_city = _own_city(ctx) if q.lang == "vi" else frozenset()
    found_in = {unit: _found(unit, cited) for unit in units}  # each unit looked up once, not once per other unit
    foreign: list[str] = []  # words of another language the documents never use ("có file word không")
    for unit in units:
        if " " not in unit and not lex.known(unit) and not is_vietnamese_syllable(unit) \
                and not (q.lang == "vi" and _foreign_name(unit, q.original)) \
                and not (q.lang == "en" and unit in glossary_renderings()):
            if q.lang == "vi" and _FOREIGN_WORD.search(unit):
                foreign.append(unit)
            continue  # a typo or a stray token ("nhiu"), not a concept
        if unit in city_places() or unit in own_city:
            continue  # "ở Cát Bà mình, …": a place inside the city, where the plan applies whole (IV.1)
        found = found_in[unit]
        if about_document and unit in ISSUED and not found:
            continue  # "Nghị quyết 21 ban hành năm nào?": its date and issuer, cited with it, answer that
        # a word ("hộ chiếu") is a concept; a lone syllable left over is often part of the question's frame
        weight = math.log(1 + lex.blocks / (1 + lex.frequency(unit))) * (1.0 if " " in unit else SYLLABLE_WEIGHT)
        total += weight
        # the documents' wording of an everyday word, or another rendering of the English word it glosses
        wordings = documents_wording(unit) + alternatives.get(unit, ())
        others = {s for u in units if u != unit and not found_in[u] for s in u.split()}
        if found or any(f" {w} " in cited for w in wordings) or _read_across(unit, said, cited, others) \
                or (reworded and set(unit.split()) <= reworded):
            got += weight
            told_found = told_found or unit in q.told_terms
        elif unit in q.told_terms:
            told_missing += weight
            told_lacking.append(unit)
        else:
            missing.append(unit)
    # the words by which the asker tells who they are ("con em là sinh viên") need not be in the answer when
    # nothing else is lacking and the question stands without them: it asks about the plan itself ("Tôi là sinh
    # viên Lào. Kế hoạch này thực hiện ở đâu?"), holds two concepts of its own, or the story's topic is met ("…
    # muốn đi tình nguyện, kế hoạch có khuyến khích không?"); one word of its own ("có hỗ trợ không?") leans on
    # the story ("… muốn xin học bổng đi Singapore")
    if not total and foreign:
        return 0.0, tuple(foreign)  # nothing asked but words of another language: what they name is not read
    own = sum(1 for unit in units if unit not in q.told_terms)
    if told_lacking and (missing or (not told_found and own == 1)):
        missing += told_lacking
    elif told_lacking:
        total -= told_missing
    return (got / total if total else 1.0), tuple(missing)
