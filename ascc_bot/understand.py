"""Reading a question: language, diacritics, abbreviations, intent, the bodies,
task and part it names. Everything is built from the corpus's own vocabulary
and from general Vietnamese/English administrative wording, never from the
evaluation questions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .facts import Facts, agency_key
from .sections import Document
from .text import fold, has_diacritics, normalize, syllables

# --------------------------------------------------------------- vocabulary


@dataclass
class Vocabulary:
    """The corpus's own words: for restoring diacritics and expanding abbreviations."""

    accents: dict[str, str]  # folded n-gram -> most frequent accented form
    syllables: set[str]  # folded syllables of the corpus
    initials: dict[str, str]  # "ubnd" -> "Ủy ban nhân dân"
    max_n: int = 4


_W = re.compile(r"\w+")
QUESTION_WORDS = ("nào", "gì", "đâu", "ai", "bao giờ", "khi nào", "thế nào", "như thế nào", "làm gì", "ở đâu",
                  "bao nhiêu", "những gì", "hạn chót", "phải làm", "được giao", "trách nhiệm", "lo", "vậy",
                  "sở nào", "cơ quan nào", "năm nào", "ngày nào", "gồm những", "thì sao", "còn", "nhắc tới",
                  "nhắc đến", "đề cập", "nói gì", "nói về", "quy định", "để làm gì", "ra sao", "có không")


def build_vocabulary(docs: list[Document], facts: Facts) -> Vocabulary:
    counts: dict[str, Counter] = defaultdict(Counter)
    initial_counts: dict[str, Counter] = defaultdict(Counter)
    folded_syl: set[str] = set()
    for doc in docs:
        for sec in doc.sections:
            for line in sec.text.split("\n"):
                for piece in re.split(r"[,;:.()“”\"/]", normalize(line)):
                    toks = _W.findall(piece)
                    folded_syl.update(fold(t) for t in toks)
                    for n in range(1, 5):
                        for i in range(len(toks) - n + 1):
                            gram = toks[i:i + n]
                            counts[fold(" ".join(gram))][" ".join(gram).lower()] += 1
                    # capitalised phrases ("Ủy ban nhân dân", "Mặt trận Tổ quốc") give abbreviations
                    for n in range(2, 8):
                        for i in range(len(toks) - n + 1):
                            gram = [t for t in toks[i:i + n] if t.lower() != "và"]
                            if len(gram) < 2 or not toks[i][:1].isupper():
                                continue
                            key = "".join(fold(t)[0] for t in gram)
                            if len(key) >= 3:
                                initial_counts[key][" ".join(toks[i:i + n])] += 1
    for phrase in QUESTION_WORDS:  # questions use words a plan never writes
        counts[fold(phrase)][phrase] += 1
    accents = {k: c.most_common(1)[0][0] for k, c in counts.items()}
    folded_syl.update(fold(w) for phrase in QUESTION_WORDS for w in phrase.split())
    initials: dict[str, str] = {}
    for key, c in initial_counts.items():
        phrase, freq = c.most_common(1)[0]
        if freq >= 2 or len(key) >= 4:
            initials[key] = phrase
    for agency in facts.agencies.values():  # the gazetteer's own forms win
        body = agency.name.split(" ", 1)[1] if agency.name.startswith(("Sở ", "Bộ ")) else agency.name
        for abbr in agency.abbreviations:
            initials[_abbr_key(abbr)] = body
    return Vocabulary(accents, folded_syl, initials)


def _abbr_key(token: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(token))


_ABBR_TOKEN = re.compile(r"\b[A-ZĐ][A-ZĐ&\-]*[A-ZĐ]\b")
_KEEP_UPPER = {"ASEAN", "HIV", "AIDS", "TTG", "TW", "QĐ", "NQ", "SJC", "THPT"}


def expand_abbreviations(text: str, vocab: Vocabulary) -> str:
    """"Sở LĐ-TB&XH" → "Sở Lao động Thương binh và Xã hội"; "UBND" → "Ủy ban nhân dân"."""
    def repl(m: re.Match) -> str:
        token = m.group(0)
        if token in _KEEP_UPPER or len(token) < 2:
            return token
        return vocab.initials.get(_abbr_key(token), token)

    return _ABBR_TOKEN.sub(repl, text)


def restore_diacritics(text: str, vocab: Vocabulary) -> str:
    """"so nao lo y te" → "sở nào lo y tế": greedy longest match against the corpus's n-grams."""
    toks = _W.findall(text)
    out: list[str] = []
    i = 0
    while i < len(toks):
        for n in range(min(vocab.max_n, len(toks) - i), 0, -1):
            gram = " ".join(toks[i:i + n])
            if has_diacritics(gram):
                continue
            hit = vocab.accents.get(fold(gram))
            if hit and (n > 1 or len(hit) > 1):
                out.append(hit)
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return " ".join(out)


# --------------------------------------------------------------- English

# Domain words of ASEAN social-policy plans and their Vietnamese wording in such plans.
EN_VI = {
    "department": "sở", "departments": "sở", "agency": "cơ quan", "agencies": "cơ quan", "body": "cơ quan",
    "in charge": "thực hiện chủ trì", "responsible": "chịu trách nhiệm thực hiện", "lead": "chủ trì",
    "carry out": "thực hiện", "carries out": "thực hiện", "implement": "thực hiện", "implementing": "thực hiện",
    "coordinating": "phối hợp", "coordinate": "phối hợp", "coordinates": "phối hợp", "cooperate": "phối hợp",
    "task": "nhiệm vụ", "tasks": "nhiệm vụ", "duty": "nhiệm vụ", "duties": "nhiệm vụ",
    "health care": "chăm sóc sức khỏe", "health": "sức khỏe y tế", "healthcare": "chăm sóc sức khỏe",
    "insurance": "bảo hiểm", "social insurance": "bảo hiểm xã hội", "health insurance": "bảo hiểm y tế",
    "communication": "tuyên truyền thông tin", "communicating": "tuyên truyền", "propaganda": "tuyên truyền",
    "cultural diplomacy": "ngoại giao văn hóa", "diplomacy": "ngoại giao", "culture": "văn hóa",
    "cultural": "văn hóa", "arts": "văn nghệ", "art": "văn nghệ", "tourism": "du lịch", "vision": "tầm nhìn",
    "community": "cộng đồng", "cohesive": "gắn kết", "benefits": "lợi ích", "people": "người dân",
    "citizens": "người dân", "sustainable": "bền vững", "environment": "môi trường", "resilient": "tự lực tự cường",
    "self-reliant": "tự lực tự cường", "dynamic": "năng động", "inclusive": "hòa nhập", "progressive": "tiến bộ",
    "equality": "bình đẳng", "gender": "giới", "poverty": "nghèo", "poverty reduction": "giảm nghèo",
    "employment": "việc làm", "jobs": "việc làm", "science": "khoa học", "technology": "công nghệ",
    "agriculture": "nông nghiệp", "industry": "công nghiệp", "information": "thông tin",
    "grassroots": "cơ sở", "media": "thông tin đại chúng", "mass media": "phương tiện thông tin đại chúng",
    "orient": "định hướng", "direct": "chỉ đạo", "funding": "kinh phí", "budget": "ngân sách kinh phí",
    "finance": "tài chính", "money": "kinh phí", "scope": "phạm vi", "timeline": "thời gian thực hiện",
    "deadline": "thời hạn trước ngày", "report": "báo cáo", "reports": "báo cáo", "annual": "hàng năm",
    "yearly": "hàng năm", "mid-term": "giữa kỳ", "midterm": "giữa kỳ", "final": "cuối kỳ",
    "review": "đánh giá sơ kết", "evaluation": "đánh giá", "goal": "mục tiêu", "goals": "mục tiêu",
    "objective": "mục tiêu", "objectives": "mục tiêu", "general": "chung", "specific": "cụ thể",
    "solution": "giải pháp", "solutions": "giải pháp", "measures": "giải pháp", "organization": "tổ chức",
    "organising": "tổ chức", "organizing": "tổ chức", "organize": "tổ chức", "plan": "kế hoạch",
    "issued": "ban hành xây dựng kế hoạch", "issue": "ban hành", "decision": "quyết định",
    "resolution": "nghị quyết", "prime minister": "thủ tướng chính phủ", "ministry": "bộ",
    "labour": "lao động", "labor": "lao động", "invalids": "thương binh", "social affairs": "xã hội",
    "social": "xã hội", "education": "giáo dục đào tạo", "training": "đào tạo", "home affairs": "nội vụ",
    "foreign affairs": "ngoại vụ", "justice": "tư pháp", "planning and investment": "kế hoạch và đầu tư",
    "investment": "đầu tư", "natural resources": "tài nguyên", "resources": "nguồn lực",
    "non-governmental": "phi chính phủ", "ngo": "phi chính phủ", "aid": "viện trợ", "foreign": "nước ngoài",
    "district": "quận huyện", "districts": "quận huyện", "people's committee": "ủy ban nhân dân",
    "city": "thành phố", "hai phong": "hải phòng", "fatherland front": "mặt trận tổ quốc",
    "propaganda department": "ban tuyên giáo", "party": "đảng", "drug": "ma túy", "drugs": "ma túy",
    "climate change": "biến đổi khí hậu", "biodiversity": "đa dạng sinh học", "disaster": "thiên tai",
    "greenhouse": "khí thải nhà kính", "emissions": "khí thải", "volunteer": "tình nguyện",
    "disabled": "người khuyết tật", "children": "trẻ em", "elderly": "người cao tuổi", "family": "gia đình",
    "villages": "làng nghề", "craft villages": "làng nghề", "brand": "thương hiệu", "year": "năm",
    "when": "khi nào năm", "who": "cơ quan nào", "which": "nào", "what": "gì", "how": "như thế nào",
    "asean": "ASEAN", "socio-cultural": "văn hóa xã hội", "sociocultural": "văn hóa xã hội",
    "send": "gửi", "sent": "gửi", "submit": "gửi", "submitted": "gửi", "due": "hạn trước ngày",
    "must": "phải", "required": "phải", "develop": "phát triển", "developing": "phát triển",
    "development": "phát triển", "national": "quốc gia", "targets": "mục tiêu", "target": "mục tiêu",
    "mentions": "nhắc", "mention": "nhắc", "refers": "nhắc", "progress": "tiến bộ", "review meeting": "sơ kết",
}
_EN_STOP = {"the", "of", "to", "and", "in", "is", "are", "for", "on", "under", "with", "a", "an", "by",
            "this", "that", "does", "do", "what", "which", "who", "how", "when", "named", "as", "about",
            "their", "its", "it", "be", "should", "will", "can", "there", "from", "at", "or", "up", "into"}


def is_english(text: str, known: set[str]) -> bool:
    """No diacritics, and English function words or many words that are no Vietnamese syllable."""
    if has_diacritics(text):
        return False
    toks = re.findall(r"[a-z']+", text.lower())
    if len(toks) < 3:
        return False
    stop = sum(t in _EN_STOP for t in toks) / len(toks)
    foreign = sum(t not in known for t in toks) / len(toks)
    return stop >= 0.2 or foreign >= 0.4


def translate_terms(text: str) -> str:
    """Vietnamese wording for the domain terms of an English question (longest phrase first)."""
    low = " " + re.sub(r"[^a-z0-9'\- ]", " ", text.lower()) + " "
    out: list[str] = []
    for phrase in sorted(EN_VI, key=len, reverse=True):
        pattern = f" {phrase} "
        while pattern in low:
            out.append(EN_VI[phrase])
            low = low.replace(pattern, " ", 1)
    out += re.findall(r"\b\d{4}\b", text)
    task = re.search(r"\btask (\d+)\b", text.lower())
    if task:
        out.append(f"nhiệm vụ {task.group(1)}")
    return " ".join(out)


# --------------------------------------------------------------- intent

# (intent, folded pattern); the first that matches wins, in this order.
_INTENTS: list[tuple[str, str]] = [
    ("greeting", r"^(xin chao|chao( ban| bot| anh| chi)?|hello|hi|hey|alo|good (morning|afternoon))\b.{0,20}$"),
    ("help", r"\b(ban|bot|em) (co the |biet )?(lam|tra loi|giup) (duoc )?(gi|nhung gi)\b|^(help|huong dan|tro giup)\b"
             r"|what can you"),
    ("coordinate", r"\bphoi hop\b|coordinat|cooperat"),
    ("lead", r"\b(co quan|so|don vi|ban|nganh|ai|ben|ben nao|noi) (nao|gi)\b.*\b(thuc hien|chu tri|lo|phu trach|"
             r"chiu trach nhiem|dam nhiem|dam nhan|giao|trien khai|co trach nhiem|to chuc)\b"
             r"|\b(giao cho|do) .*\b(thuc hien|chu tri|lam)\b|\b(hay|va) (so|con) .*(thuc hien|cung)"
             r"|\b(thuc hien|chu tri|lo|phu trach)\b.*\b(co quan|so|don vi|ai) nao\b"
             r"|\b(ai|ben nao|noi nao) (lo|thuc hien|chu tri|phu trach|dam nhiem|dam nhan|chiu trach nhiem|lam)\b"
             r"|\b(in charge|responsible|carr(y|ies) out|leads?|implement)\b"),
    ("deadline", r"\b(han|thoi han|han chot|truoc ngay|khi nao|bao gio|nam nao|giai doan nao|thoi diem|moc|"
                 r"ngay nao|thoi gian)\b|\bdeadline|\bwhen\b|what year|vision year"
                 r"|\b(nam|in) (19|20)\d\d\b"),
    ("overview", r"\b(ai|co quan nao|don vi nao) ban hanh\b|\bwho issued\b"
                 r"|^(ke hoach|van ban) (nay )?(la gi|ve gi|noi ve gi)\b"
                 r"|\b(trien khai|thuc hien) (van ban|quyet dinh|nghi quyet) nao\b"
                 r"|\bwhat is (this|the) plan\b"),
    ("reference", r"\b(nghi quyet|quyet dinh|nghi dinh|chi thi|thong tu|van ban)\b.*\b(so|nao|gi)\b|\d+[-/](nq|qd)\b"
                  r"|\bresolution\b|\bdecision\b"),
    ("goal", r"\bmuc tieu\b|\bgoals?\b|\bobjectives?\b"),
    ("funding", r"\bkinh phi\b|\bngan sach\b|\bnguon (von|luc tai chinh)\b|\bfunding\b|\bbudget\b"),
    ("scope", r"\bpham vi\b|\bap dung\b.*\b(thanh pho|quan|huyen)\b|\bscope\b"),
    ("solution", r"\bgiai phap\b|\bsolutions?\b|\bmeasures\b"),
    ("organization", r"\bto chuc thuc hien\b|\bde nghi\b|\borient\b"),
    ("content", r"\b(noi dung|gom|bao gom|nhung (gi|hoat dong|viec|noi dung)|lam gi|de ra|nhu the nao|the nao|"
                r"ra sao|yeu cau)\b|\bwhat does\b|\binclude"),
]
_AGENCY_TASK = re.compile(r"\b(nhiem vu|trach nhiem|viec|phan|cong viec|vai tro)\b.*\b(gi|nao)\b|\blam gi\b"
                          r"|\blam nhung gi\b|\bphai lam\b|\bduties\b|\bmust\b.*\bdo\b")
_LEAD_Q = re.compile(r"\b(co quan|so|don vi|ai|ben) nao\b|\bgiao cho\b")
_FOLLOW_UP = re.compile(r"^(con|vay con|the con|thi sao|and|what about|how about)\b|\bthi sao\b|\bthi the nao\b"
                        r"|\bcon\b.*\bthi\b")
_TASK_NO = re.compile(r"\b(nhiem vu|task|muc|diem|khoan) (so )?(\d{1,2}(?:\.\d{1,2})*)\b")
_PART_NO = re.compile(r"\b(phan|muc|part) ([ivx]{1,4})\b")
# Questions about a person: the plans name bodies, never office holders.
_PERSON = re.compile(r"\bai (la|dang la|hien la) (giam doc|chu tich|pho chu tich|truong|bi thu|nguoi dung dau)\b"
                     r"|\bwho is the (current )?(chairman|chair|director|head|mayor|minister|secretary)\b")
_NOW = re.compile(r"\b(hom nay|ngay mai|hom qua|bay gio|hien tai|nam nay|thang nay|tuan nay|today|tomorrow|"
                  r"current(ly)?|right now|this year)\b")
# Provinces and cities other than Hai Phong: a question about their plan is not ours.
_OTHER_PLACES = re.compile(
    r"\b(ha noi|da nang|ho chi minh|sai gon|can tho|hue|quang ninh|hai duong|thai binh|nam dinh|nghe an|"
    r"thanh hoa|khanh hoa|binh duong|dong nai|lam dong|bac ninh|vinh phuc|quang nam|ha nam|ninh binh|"
    r"hung yen|lao cai|dak lak|gia lai|kien giang|an giang|long an|tien giang|ba ria|vung tau|"
    r"da lat|nha trang|hanoi|danang|saigon)\b")


@dataclass(frozen=True)
class Question:
    original: str
    lang: str  # vi | en
    text: str  # what we match: abbreviations expanded, diacritics restored, English glossed
    folded: str
    intent: str
    agencies: tuple[str, ...]  # canonical names, in the order named
    task_number: str | None
    part: str | None  # a Roman part the question restricts itself to
    follow_up: bool
    now_words: bool
    other_place: bool
    support: float  # share of the question's content syllables that the corpus uses
    unknown_agency: str = ""  # a department the question names and no document does ("Sở Giao thông vận tải")


_VI_STOP = set("""va voi cua cho cac nhung la gi nao co khong the thi ma o trong tren duoi ra vao duoc bi
ke hoach nay do sao vay a oi nhe a ha minh toi ban em anh chi nhu thi de tu den theo ve hay hoac ai
nhi chu day kia cai may vu ben lo thoi roi luon nua khi nao dau se da dang cung van chi moi rat lai nen neu
vi boi tai sau truoc luc hon nhat cua rang thuc su chua bao nhieu the nao lam sao""".split())


def understand(question: str, vocab: Vocabulary, facts: Facts, parts: dict[str, str],
               restore: bool = True) -> Question:
    original = normalize(question)
    lang = "en" if is_english(original, vocab.syllables) else "vi"
    text = expand_abbreviations(original, vocab)
    if lang == "en":
        text = f"{text} {translate_terms(text)}"
    elif restore and not has_diacritics(text):
        text = restore_diacritics(text, vocab)
    folded = " ".join(syllables(text))
    folded_orig = " ".join(syllables(original))
    intent = "search"
    for name, pattern in _INTENTS:
        if re.search(pattern, folded_orig) or (lang == "en" and re.search(pattern, folded)):
            intent = name
            break
    agencies = find_agencies(text, facts)
    m = _TASK_NO.search(folded)
    task_number = m.group(3) if m else None
    part = _find_part(folded, parts)
    if agencies and intent not in ("coordinate", "greeting", "help") and _AGENCY_TASK.search(folded_orig) \
            and not _LEAD_Q.search(folded_orig) and _named_in_part(agencies[0], part, facts):
        intent = "agency_tasks"
    support = _english_support(original) if lang == "en" else _support(folded, vocab)
    unknown = "" if agencies else _unknown_department(text, facts)
    follow_up = bool(_FOLLOW_UP.search(folded_orig)) and len(folded_orig.split()) <= 12
    return Question(original, lang, text, folded, intent, tuple(agencies), task_number, part, follow_up,
                    bool(_NOW.search(folded_orig) or _PERSON.search(folded_orig)),
                    bool(_OTHER_PLACES.search(folded_orig)), support, unknown)


_DEPARTMENT_NAME = re.compile(r"\b(Sở|Bộ) ([A-ZĐÀ-Ỹ]\w*(?: (?:và )?\w+){1,5})")


def _unknown_department(text: str, facts: Facts) -> str:
    """"Sở Giao thông vận tải" in a question when no document names it: we must not answer for it."""
    for m in _DEPARTMENT_NAME.finditer(text):
        words = [w for w in syllables(m.group(2)) if w != "va"][:2]
        head = " ".join([fold(m.group(1)), *words])
        if not any(key.startswith(head) for key in facts.agencies):
            return f"{m.group(1)} {m.group(2)}"
    return ""


def _named_by_prefix(text: str, name: str) -> bool:
    """Case-sensitive: a capitalised prefix is a name, a lowercase one ("bảo hiểm xã hội") is a topic."""
    words = name.split()
    return any(len(words[:n]) >= 3 and re.search(rf"(?<!\w){re.escape(' '.join(words[:n]))}(?!\w)", text)
               for n in range(len(words) - 1, 2, -1))


def resolve_agency(name: str, vocab: Vocabulary, facts: Facts) -> list[str]:
    """The bodies a typed name may mean: "so y te", "LĐTBXH", "BHXH" → one name; several when the
    text is only part of their names ("ủy ban nhân dân"); none when no document names such a body."""
    text = expand_abbreviations(normalize(name), vocab)
    if not text.strip():
        return []
    if not has_diacritics(text):
        text = restore_diacritics(text, vocab)
    for candidate in (text, f"Sở {text}"):
        found = find_agencies(candidate, facts)
        if found:
            return found[:1]
    folded = " ".join(w for w in syllables(text) if w != "va")
    return [a.name for key, a in facts.agencies.items() if folded and f" {folded} " in f" {key} "]


def _support(folded: str, vocab: Vocabulary) -> float:
    content = [s for s in folded.split() if s not in _VI_STOP and not s.isdigit()]
    # nothing but function words ("Kế hoạch này là gì?"): nothing in it is foreign to the corpus
    return sum(s in vocab.syllables for s in content) / len(content) if content else 1.0


def _english_support(text: str) -> float:
    """Share of an English question's content words that the domain glossary knows."""
    low = " " + re.sub(r"[^a-z0-9'\- ]", " ", text.lower()) + " "
    for phrase in sorted(EN_VI, key=len, reverse=True):
        low = low.replace(f" {phrase} ", " \x00 ")
    toks = [t for t in low.split() if t not in _EN_STOP and not t.isdigit()]
    return sum(t == "\x00" for t in toks) / len(toks) if toks else 0.0


def find_agencies(text: str, facts: Facts) -> list[str]:
    """Bodies named in a question, by folded name with or without "và"; longest first."""
    folded = " " + " ".join(s for s in syllables(text) if s != "va") + " "
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for key in sorted(facts.agencies, key=len, reverse=True):
        pos = folded.find(f" {key} ")
        if pos < 0:
            continue
        span = (pos, pos + len(key))
        if any(a <= span[0] < b or a < span[1] <= b for a, b in taken):
            continue
        taken.append(span)
        found.append((pos, facts.agencies[key].name))
    if not found:  # a capitalised leading part of a name: "Bảo hiểm Xã hội" (from "BHXH") for "… Hải Phòng"
        prefixed = [a.name for a in facts.agencies.values() if _named_by_prefix(text, a.name)]
        if len(prefixed) == 1:
            found.append((0, prefixed[0]))
    if not found:  # "so y te" without the type word: "y te" alone is a topic, so require "sở"
        for key, agency in facts.agencies.items():
            short = key.split(" ", 1)[1] if key.startswith(("so ", "bo ")) else ""
            if short and len(short.split()) >= 3 and f" {short} " in folded and key.startswith("so "):
                found.append((folded.find(f" {short} "), agency.name))
    return [name for _, name in sorted(found)]


def _named_in_part(agency: str, part: str | None, facts: Facts) -> bool:
    """"Phần giải pháp … ngành LĐTBXH" asks about part V, not about the body's duties."""
    if part is None:
        return True
    return any(sid == part or sid.startswith(part + ".") for _, sid in facts.mentions.get(agency_key(agency), []))


def _find_part(folded: str, parts: dict[str, str]) -> str | None:
    """"phần giải pháp" / "phần tổ chức thực hiện" / "mục V" → the Roman part."""
    m = _PART_NO.search(folded)
    if m and m.group(2).upper() in parts:
        return m.group(2).upper()
    for roman, heading in parts.items():
        words = heading.split()
        for n in (4, 3, 2):
            if len(words) >= n and re.search(rf"\b(phan|muc|part) {' '.join(words[:n])}\b", folded):
                return roman
    return None
