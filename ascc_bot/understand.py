"""Reading a question: language, diacritics, abbreviations, everyday wording, the bodies, task, part
and years it names, what it refers back to, and its focus, i.e. what kind of thing it asks for.

The focus is read from the question word wherever it stands ("cơ quan nào …", "… là sở nào?",
"… do ai phụ trách", "when …", "… không?"), the same way for accented, unaccented and English text.
Answer modules (``answer/``) decide from the focus and their own cue phrases whether they answer.
Everything here is built from the corpus's own vocabulary and from general Vietnamese/English
administrative wording in data files (``lang/``), never from particular evaluation questions.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

from .facts import Facts, agency_key
from .sections import Document
from .text import ONSET_CLUSTERS, ORDINAL_EN, ORDINAL_PLACES, ORDINAL_VI, fold, has_diacritics, normalize, syllables

LANG_DIR = Path(__file__).resolve().parent / "lang"

# --------------------------------------------------------------- language data


@cache
def load_pairs(name: str) -> tuple[tuple[str, str], ...]:
    """A tab-separated data file of ``lang/``: (left, right) per line; ``#`` lines are comments."""
    out = []
    for line in (LANG_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            left, _, right = line.partition("\t")
            out.append((normalize(left.strip()), normalize(right.strip())))
    return tuple(out)


def load_list(name: str) -> tuple[str, ...]:
    """A one-entry-a-line data file of ``lang/``, normalised; ``#`` lines are comments."""
    lines = (LANG_DIR / name).read_text(encoding="utf-8").splitlines()
    return tuple(normalize(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _word_list() -> tuple[str, ...]:
    """The lines of the Viet74K word list that underthesea ships; none when it lacks the file."""
    import underthesea

    path = Path(underthesea.__file__).resolve().parent / "corpus" / "data" / "Viet74K.txt"
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except OSError:  # an underthesea without its word list: syllables alone still work
        return ()


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Multi-syllable words (2–4 syllables), folded and accented, and every folded syllable of the
    Viet74K word list that underthesea ships: what makes "hộ chiếu" or "kết hôn" one concept."""
    words: set[str] = set()
    accented: set[str] = set()
    syls: set[str] = set()
    for line in _word_list():
        syl = syllables(line)
        syls.update(syl)
        if 2 <= len(syl) <= 4:
            words.add(" ".join(syl))
            accented.add(" ".join(_W.findall(normalize(line).lower())))
    return frozenset(words), frozenset(syls), frozenset(accented)


def dictionary_words() -> frozenset[str]:
    return _dictionary()[0]


def is_vietnamese_syllable(folded: str) -> bool:
    """Whether a folded syllable is one the Vietnamese word list uses (not a typo or a stray token)."""
    syls = _dictionary()[1]
    return not syls or folded in syls


def concept_units(tokens: str | list[tuple[str, str]], lex: Lexicon, accented: bool | None = None) -> tuple[str, ...]:
    """The concepts of a text, folded: its words as the Vietnamese word list segments them (the longest
    words win: "bảo vệ", "môi trường", "hộ chiếu"), and its other content syllables.

    ``tokens`` are (accented, folded) pairs, "|" for a removed name or question phrase (never crossed),
    or a folded string. Words are matched accented when the text has diacritics ("vụ bình" is no word,
    "bình đẳng" is); a word neither starts nor ends with a function word; frame phrases ("kế hoạch")
    and function or question words are dropped."""
    if isinstance(tokens, str):
        tokens = [("|", "|") if t == "|" else (t, t) for t in tokens.split()]
    folded_words, _, accented_words = _dictionary()
    n_toks = len(tokens)
    # written with diacritics: words are matched as written; typed without them (the accents we restored
    # may be wrong), words are matched folded
    accented_text = any(a != f for a, f in tokens) if accented is None else accented
    restored = not accented_text and any(a != f for a, f in tokens)
    words, side = (accented_words, 0) if accented_text else (folded_words, 1)

    def function(i: int) -> bool:
        accented, folded = tokens[i]
        if accented_text or (restored and accented != folded):
            # typed without marks, the marks we restored tell "văn" (hóa) from "vẫn"
            return accented in FUNCTION_WORDS_VI
        return folded in FUNCTION_WORDS

    def filler(gram: tuple[tuple[str, str], ...]) -> bool:
        """A word of the conversation ("nha", "sếp", "mọi người"): as written; typed without diacritics,
        only when the documents write no other word the same way ("nha" could be "nhà")."""
        accented = " ".join(a.lower() for a, _ in gram)
        if accented_text:
            return accented in _fillers()
        folded = " ".join(f for _, f in gram)
        if folded not in _folded_fillers():
            return False
        if accented in _fillers() and not any(w.lower() == accented for w in lex.forms.get(folded, ())):
            return True  # a mark the documents never write was typed, not restored ("họ" among "ho phoi hop")
        if len(gram) == 1 and accented != folded and accented in _fillers():
            return True  # restored with its neighbours as a word of the conversation ("ai di kêu gọi": "đi")
        if len(gram) == 1:
            written = lex.forms.get(folded, ())
        else:
            written = [lex.accents[folded]] if folded in lex.accents else []
        return all(w.lower() in _fillers() for w in written)

    # best[i] = (score, units) for tokens[i:]: each word scores more than its syllables apart
    best: list[tuple[float, tuple[str, ...]]] = [(0.0, ())] * (n_toks + 1)
    for i in range(n_toks - 1, -1, -1):
        single = tokens[i][1]
        keep = single != "|" and single not in STOPWORDS and single not in FRAME_PHRASES and not single.isdigit() \
            and len(single) > 1 \
            and not _ROMAN.match(tokens[i][0]) and not filler((tokens[i],))  # "mục II" says where
        best[i] = (best[i + 1][0] + 1.0, ((single,) if keep else ()) + best[i + 1][1])
        for n in (2, 3, 4):
            part = tokens[i:i + n]
            if len(part) < n or ("|", "|") in part:
                continue
            as_written = " ".join(t[side] for t in part)
            folded = " ".join(t[1] for t in part)
            written_so = lex.accents.get(folded) == as_written if accented_text else folded in lex.accents
            # a word neither starts nor ends with a function word ("thì mảng"); a frame may ("tính sao"), and so
            # may a word of the list that the documents write and that starts with a content word ("việc làm")
            if (function(i) or function(i + n - 1)) and folded not in FRAME_PHRASES \
                    and (function(i) or as_written not in words or not written_so):
                continue
            # a word of the list (a syllable left unaccented is looked up folded), or else a phrase of the
            # documents written the same way ("về môi" is not "vệ môi"); a word wins a tie with a phrase
            unrestored = any(a == f and f not in lex.forms for a, f in part)  # a syllable the documents lack
            word = as_written in words or (unrestored and folded in folded_words) or folded in FRAME_PHRASES
            # a phrase of the documents that holds a grammatical word ("năm của các sở") is no concept
            in_documents = written_so and not any(function(j) for j in range(i + 1, i + n - 1))
            # a word the documents also write wins a tie ("mua | bảo hiểm", not "mưa bão | hiểm")
            gain = n + 0.5 + 0.1 * in_documents if word else (n + 0.25 if in_documents else 0.0)
            if gain and best[i + n][0] + gain >= best[i][0]:  # a tie goes to the earlier word
                gram = folded
                # typed without marks, a word made only of function syllables, which the restored marks do
                # not make a word, is one we cannot tell from them ("chi giao": "chỉ giáo" or "chỉ giao")
                unit = () if gram in FRAME_PHRASES or all(function(j) for j in range(i, i + n)) \
                    or filler(tuple(part)) or (all(t[1] in STOPWORDS for t in part)
                                               and " ".join(t[0] for t in part) not in accented_words) \
                    else (gram,)
                best[i] = (best[i + n][0] + gain, unit + best[i + n][1])
    return tuple(dict.fromkeys(best[0][1]))


def _tokens_without(text: str, patterns: list[re.Pattern]) -> list[tuple[str, str]]:
    """(accented, folded) word pairs of a text, with the words inside any match of the patterns (matched
    on the folded text) replaced by "|"."""
    pairs = [(w.lower(), fold(w.lower())) for w in _W.findall(text)]
    folded = " ".join(f for _, f in pairs)
    starts, pos = [], 0
    for _, f in pairs:
        starts.append(pos)
        pos += len(f) + 1
    masked = [False] * len(pairs)
    for pattern in patterns:
        for m in pattern.finditer(folded):
            for i, start in enumerate(starts):
                if start < m.end() and start + len(pairs[i][1]) > m.start():
                    masked[i] = True
    out: list[tuple[str, str]] = []
    for pair, gone in zip(pairs, masked):
        if gone:
            if not out or out[-1] != ("|", "|"):
                out.append(("|", "|"))
        else:
            out.append(pair)
    return out


def _abbr_key(token: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(token))


# Question and function words: a plan never writes them, so they say nothing about scope.
QUESTION_WORDS = ("nào", "gì", "đâu", "ai", "bao giờ", "khi nào", "thế nào", "như thế nào", "làm gì", "ở đâu",
                  "bao nhiêu", "những gì", "hạn chót", "phải làm", "được giao", "trách nhiệm", "lo", "vậy",
                  "sở nào", "cơ quan nào", "năm nào", "ngày nào", "gồm những", "thì sao", "còn", "nhắc tới",
                  "nhắc đến", "đề cập", "nói gì", "nói về", "quy định", "để làm gì", "ra sao", "có không", "mấy",
                  "liệt kê", "tóm tắt", "khoản", "điểm", "mục", "phần", "khâu", "mốc", "thứ", "cuối", "đầu tiên", "hả",
                  "nhỉ", "ạ", "à", "ơi", "giúp", "cho biết", "hỏi", "xin", "với", "nhé", "thế", "đó", "này",
                  "do ai", "do sở nào", "do cơ quan nào", "do đơn vị nào", "sở đó", "cơ quan đó", "nhiệm vụ đó",
                  "thì sao", "là gì", "có không", "được không", "phải không", "ai làm", "ai lo", "gửi cho ai",
                  "nộp cho ai", "gửi về đâu", "bao nhiêu", "mấy nhiệm vụ", "như thế nào", "ở đâu", "chỉ giao",
                  "giao riêng", "giao cho", "một mình", "sau khi", "có những", "có mấy", "có phải", "có nói",
                  "có nhắc", "có gì", "có được", "nhận được", "bao lâu", "đi",
                  # the levels below a district, which a city plan may not name ("UBND phuong" is a ward)
                  "nhân dân phường", "nhân dân xã")

# Folded function words, question words and words about documents ("khoản", "mục", "tóm tắt"): none of
# them is a concept a question can be about, so none counts when we ask whether the documents cover it.
STOPWORDS = frozenset("""
va voi cua cho cac nhung la gi nao co khong the thi ma o trong tren duoi ra vao duoc bi ke hoach nay do sao
vay a oi nhe ha minh toi ban em anh chi nhu de tu den theo ve hay hoac ai nhi chu day kia cai may vu ben lo
thoi roi luon nua khi nao dau se da dang cung van moi rat lai nen neu vi boi tai sau truoc luc hon nhat rang
thuc su chua bao nhieu lam sao gom bao nhung phai muon can biet cho hoi xin giup liet ke tom tat khoan diem
muc phan khau moc thu cuoi nhiem vu noi dung viec cong tac gi giao thuc hien trach nhiem co quan so don vi
nganh duoc thi sao con vi du cu the chinh yeu cau de ra nhac toi den cap de cap ghi neu noi kia day van ban
dieu chuong tiet chi tiet kieu loai cach ve mat trong so tren dia ban het tat ca moi tung mot hai ba bon nam
sau bay tam chin muoi lan dot ngay thang nam luc thoi gian giai doan hien nay ten goi la sau day truoc day
chu tri phoi hop ngoai mang chuyen xong roi ngay lay xem them tim hieu nghe thay doc hay biet dat khac no nua nham han
len xuong sang qua
""".split())

@cache
def _fillers() -> frozenset[str]:
    """lang/fillers.txt: words of the conversation, never of the topic."""
    return frozenset(x.lower() for x in load_list("fillers.txt"))


@cache
def _folded_fillers() -> frozenset[str]:
    return frozenset(" ".join(syllables(f)) for f in _fillers())


# Phrases of a question's frame rather than its topic: "kế hoạch", "nhiệm vụ", "cơ quan", "thực hiện"…
FRAME_PHRASES = frozenset((
    "ke hoach", "nhiem vu", "noi dung", "co quan", "thuc hien", "van ban", "trach nhiem", "cong tac", "don vi",
    "cu the", "giai doan", "thoi gian", "hien nay", "dia ban", "so luong", "bao nhieu", "the nao", "chu tri",
    "phoi hop", "lien quan", "tat ca", "noi ve", "de cap", "nhac den", "nhac toi", "quy dinh", "de ra", "dat ra",
    "yeu cau", "bao gom", "cong viec", "tham gia", "duoc giao", "hang nam", "khi nao", "bao gio", "cac so",
    "thuc hien ke hoach", "nhu the nao", "la gi", "co the", "can phai", "phai lam", "liet ke", "ke ra", "ke ten",
    "cho biet", "tom tat", "tom luoc", "gioi thieu", "xin hoi", "cho hoi", "noi dung chinh", "vai tro",
    "nhiem vu khac", "viec gi", "tinh sao", "lam sao", "the nao", "ra sao", "thoi han", "han chot", "cung chung",
    "lam chung", "truoc ngay", "thoi han truoc", "hang nam",
    "khac nhau", "giong nhau", "khac biet", "so sanh", "diem khac", "diem giong",  # a comparison of two things named
    "ngay thang", "thang nam", "ngay gio",  # a date asked
    "chia", "chia thanh", "phan chia", "chia ra", "toan bo", "toan the", "noi chuyen", "van de", "bao lau",
    "phan cong", "giao cho", "giao viec", "phan tram", "noi toi", "noi den", "tai lieu", "phan viec", "du kien",
    "mo dau", "truc tiep", "linh vuc", "thuoc dien", "bo cuc",
    "vien dan", "trich dan", "dan chieu",  # what a document cites: "kế hoạch viện dẫn những nghị quyết nào"
    "dac diem", "dac tinh", "dac trung", "tinh chat",  # "những đặc điểm gì" asks what kind, as "kiểu gì" does
    "bat dau", "ket thuc",  # "bắt đầu và kết thúc năm nào" asks when
    "dung ten", "ghi ten", "co ten", "neu ten",  # "Sở X đứng tên cơ quan thực hiện": is named as
    "nam trong danh sach", "trong danh sach",  # "có nằm trong danh sách cơ quan thực hiện … không": is one of
    "chi toan",  # "hay chỉ toàn mấy sở thôi": only
    "tong cong", "tong so", "tinh tong",  # "tổng cộng mấy nhiệm vụ": how many in all
)) | {w for w in ORDINAL_PLACES if " " in w}  # "thứ hai" says which, not what about

# Grammatical words, accented: a phrase neither starts nor ends with one ("thì mảng" is two words).
FUNCTION_WORDS_VI = frozenset("""và với của cho các những là gì nào có không thì mà ở trong trên dưới ra vào được bị do
sao vậy à ơi nhé hả ai như để từ đến theo về hay hoặc chứ đây kia cái mấy rồi luôn nữa khi đâu sẽ đã đang cũng vẫn mới
rất lại nên nếu vì bởi tại sau trước lúc hơn nhất rằng chưa làm này đó ấy cả nhằm ạ nhỉ thế lên xuống
còn cùng""".split())
# The same, folded, for text without diacritics.
FUNCTION_WORDS = frozenset("""va voi cua cho cac nhung la gi nao co khong thi ma o trong tren duoi ra vao duoc bi do sao
vay a oi nhe ha ai nhu de tu den theo ve hay hoac chu day kia cai may roi luon nua khi dau se da dang cung van moi
rat lai nen neu vi boi tai sau truoc luc hon nhat rang chua lam nay ca nham len xuong""".split())

_EN_STOP = frozenset("""the of to and in is are for on under with a an by this that does do what which who how when
named as about their its it be should will can there from at or up into was were has have had been being any
all each per than then so such only also other others more most some same both either neither not no nor
i we you he she they me us my our your his her them these those am did done would could may might must shall
please tell list give show explain describe according plan's plan document documents say says said mention
hi hello thanks
where why whom whose one two three need needs needed say says tell know give get make find want like happen
happens exactly main key kind type part parts thing things regarding concerning related relating include includes
many much while among during within across via per through using upon whether share shares another
like know officer i'd i'm we're you're it's that's there's would could summarise summarize briefly overall
whole entire each every well just really actually specifically exactly particular particularly
included including ask asks asked besides apart except other others any anything else involve involves involved
cover covers covered set sets out does did doing done have has had one ones which whose there here able also
""".split())

# --------------------------------------------------------------- corpus lexicon


@dataclass(frozen=True)
class Lexicon:
    """The corpus's own words, for restoring diacritics, expanding abbreviations and measuring cover."""

    accents: dict[str, str]  # folded n-gram -> most frequent accented form
    syllables: frozenset[str]  # folded syllables of the corpus and of question words
    initials: dict[str, str]  # "ubnd" -> "Ủy ban nhân dân"
    departments: dict[str, str] = field(default_factory=dict)  # after "Sở"/"Bộ": "tc" -> "Tài chính"
    forms: dict[str, list[str]] = field(default_factory=dict)  # folded syllable -> its accented forms
    unigrams: dict[str, int] = field(default_factory=dict)  # accented syllable (lower case) -> count
    bigrams: dict[tuple[str, str], int] = field(default_factory=dict)  # accented pair -> count
    df: dict[str, int] = field(default_factory=dict)  # folded syllable or bigram ("y~te") -> blocks with it
    blocks: int = 1
    # keys of the abbreviations people also type in lower case ("ubnd", "bhxh", "ldtbxh"): the general
    # administrative ones and the gazetteer's, never initials merely read off the corpus
    lower_abbreviations: frozenset[str] = frozenset()
    max_n: int = 4

    def known(self, unit: str) -> bool:
        return self.frequency(unit) > 0

    def frequency(self, unit: str) -> int:
        """In how many blocks a folded syllable or word occurs (a longer word: its rarest pair)."""
        syl = unit.split()
        if len(syl) == 1:
            return self.df.get(unit, 0)
        return min(self.df.get(f"{a}~{b}", 0) for a, b in zip(syl, syl[1:]))


def build_lexicon(docs: list[Document], facts: Facts) -> Lexicon:
    counts: dict[str, Counter] = defaultdict(Counter)
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    initial_counts: dict[str, Counter] = defaultdict(Counter)
    folded_syl: set[str] = set()
    df: Counter = Counter()
    blocks = 0
    for doc in docs:
        for sec in doc.sections:
            for unit in [sec.title, *(b.text for b in sec.blocks)]:
                if not unit:
                    continue
                blocks += 1
                syl = syllables(unit)
                df.update(set(syl) | {f"{a}~{b}" for a, b in zip(syl, syl[1:])})
            for line in sec.text.split("\n"):
                for piece in re.split(r"[,;:.()“”\"/]", normalize(line)):
                    toks = _W.findall(piece)
                    folded_syl.update(fold(t) for t in toks)
                    lower = [t.lower() for t in toks]
                    unigrams.update(lower)
                    bigrams.update(zip(lower, lower[1:]))
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
                                phrase = " ".join(toks[i:i + n])
                                # a heading in capitals, whole ("TỔ CHỨC THỰC HIỆN"), is a part officials
                                # abbreviate ("phần TCTH"): it outweighs words that merely run on after a name
                                # ("Sở Tài chính tổng hợp")
                                heading = n == len(toks) and phrase.isupper()
                                initial_counts[key][phrase.capitalize() if heading else phrase] += 5 if heading else 1
    for phrase in QUESTION_WORDS:  # questions use words a plan never writes
        counts[fold(phrase)][phrase] += 1
        words_of = phrase.split()
        unigrams.update({w: 5 for w in words_of})
        bigrams.update({pair: 5 for pair in zip(words_of, words_of[1:])})
    forms: dict[str, list[str]] = defaultdict(list)
    for word, _ in unigrams.most_common():
        forms[fold(word)].append(word)
    accents = {k: c.most_common(1)[0][0] for k, c in counts.items()}
    folded_syl.update(fold(w) for phrase in QUESTION_WORDS for w in phrase.split())
    initials: dict[str, str] = {}
    for key, c in initial_counts.items():
        phrase, freq = c.most_common(1)[0]
        if freq >= 2 or len(key) >= 4:
            initials[key] = phrase
    for abbr, full in load_pairs("abbreviations.tsv"):  # general administrative abbreviations
        initials.setdefault(_abbr_key(abbr), full)
    departments: dict[str, list[str]] = defaultdict(list)
    for agency in facts.agencies.values():  # the gazetteer's own forms win
        body = agency.name.split(" ", 1)[1] if agency.name.startswith(("Sở ", "Bộ ")) else agency.name
        for abbr in agency.abbreviations:
            initials[_abbr_key(abbr)] = body
        if agency.name.startswith(("Sở ", "Bộ ")):
            key = "".join(fold(w)[0] for w in _W.findall(body) if w.lower() != "và")
            if body not in departments[key]:
                departments[key].append(body)
    # "Sở TC" is Sở Tài chính when no other department's initials are TC ("Sở NV" could be two); the
    # gazetteer's forms ("NgV") name one department each
    unique = {key: bodies[0] for key, bodies in departments.items() if len(bodies) == 1}
    unique.update({_abbr_key(abbr): agency.name[3:] for agency in facts.agencies.values()
                   if agency.name.startswith("Sở ") for abbr in agency.abbreviations})
    lower = {_abbr_key(abbr) for abbr, _ in load_pairs("abbreviations.tsv")} | {
        _abbr_key(abbr) for agency in facts.agencies.values() for abbr in agency.abbreviations}
    lower = {key for key in lower if len(key) >= 2 and not _SYLLABLE_SHAPE.match(key)}
    return Lexicon(accents, frozenset(folded_syl), initials, unique, dict(forms), dict(unigrams), dict(bigrams),
                   dict(df), max(blocks, 1), frozenset(lower))


# The shape of a Vietnamese syllable without its marks: an initial consonant, vowels, a final consonant.
# "ngo" has it, "ubnd" and "tnmt" do not.
_SYLLABLE_SHAPE = re.compile(rf"^({ONSET_CLUSTERS}|[bcdghklmnpqrstvx])?[aeiouy]+(ch|ng|nh|[cmnpt])?$")


_W = re.compile(r"\w+")
# "LĐTBXH", "TN&MT", "VH-XH", "KH", "TTg"; a lone capital letter or a Roman numeral is not one.
_ABBR_TOKEN = re.compile(r"(?<![\w&-])(?:[A-ZĐ][A-ZĐa-z]{0,2}[&\-.]?)*[A-ZĐ][A-ZĐ]*(?:[&\-][A-ZĐ]+)*(?![\w&-])")
_KEEP_UPPER = {"ASEAN", "HIV", "AIDS", "TW"}
# English abbreviations the glossary reads in English questions; a Vietnamese question ("NV 10 về NGO")
# gets the documents' words for them
_ENGLISH_UPPER = {"NGO", "NGOS"}
_ROMAN = re.compile(r"^[IVXLC]+$")


# a section's unit by its first letter: "m." before a Roman number is "mục", "k" before a number "khoản", "đ."
# before a dotted number "điểm" (an article, "Điều", has no dotted number)
_SECTION_UNIT_LETTER = re.compile(r"(?<![\w&.-])(?:([mM])\.\s?(?=[IVX]{1,4}\b)|([kK])\.?\s?(?=\d{1,2}\b)"
                                  r"|([đĐ])\.\s?(?=\d{1,2}\.\d))")
_SECTION_UNITS = {"m": "mục", "k": "khoản", "đ": "điểm"}


def expand_abbreviations(text: str, lex: Lexicon, lower_case: bool = False) -> str:
    """"Sở LĐ-TB&XH" → "Sở Lao động Thương binh và Xã hội"; "UBND TP" → "Ủy ban nhân dân thành phố".
    With ``lower_case`` (Vietnamese questions), also "ubnd", "bhxh", "so tnmt" typed in lower case."""
    # "GĐ" is the director of the body it comes before ("GĐ Sở Y tế"), elsewhere a period ("KH chia mấy GĐ?")
    text = re.sub(r"(?<![\w&-])(P\.?\s?)?GĐ(?=\s+(?:Sở|Bộ|sở|bộ)\b)", lambda m: "Phó Giám đốc" if m.group(1) else
                  "Giám đốc", text)
    # "m.III k3", "Đ.1.2 mục II": the units of a section written by their first letter before its number
    text = _SECTION_UNIT_LETTER.sub(lambda m: _SECTION_UNITS[next(g for g in m.groups() if g).lower()] + " ", text)
    # "UBND Q/H": districts of both kinds, as "Nơi nhận" lists write them
    text = re.sub(r"(?<![\w/])[Qq]\s?/\s?[Hh](?![\w/])", "quận, huyện", text)
    # "Cđ", "Nv": a capital and lower-case consonants, no syllable of any word, written as an abbreviation
    text = re.sub(r"(?<![\w&-])[A-ZĐ][bcdđghklmnpqrstvx]{1,3}(?![\w&-])",
                  lambda m: m.group().upper() if _abbr_key(m.group()) in lex.initials else m.group(), text)
    if lower_case and lex.lower_abbreviations:
        text = re.sub(r"(?<![\w&-])[a-zđ]{2,}(?![\w&-])",
                      lambda m: m.group().upper() if _abbr_key(m.group()) in lex.lower_abbreviations else m.group(),
                      text)
    if lower_case:  # "mt chung", "các mốc tg thực hiện": two consonants, no syllable, before a word the documents
        # write after a pair of words with those initials ("mục tiêu chung", "thời gian thực hiện")
        text = re.sub(r"(?<![\w&-])([bcdđghklmnpqrstvx]{2})(?=\s+(\w+))",
                      lambda m: _initials_before(_abbr_key(m.group(1)), m.group(2), lex) or m.group(1), text)
    if lower_case:  # "tn&mt", "gd&đt": letters joined by "&" are an abbreviation in any case
        text = re.sub(r"(?<![\w&-])[a-zđ]{1,4}(?:&[a-zđ]{1,5})+(?![\w&-])",
                      lambda m: m.group().upper() if _abbr_key(m.group()) in lex.departments else m.group(), text)

    def repl(m: re.Match) -> str:
        token = m.group(0)
        kept = token in _KEEP_UPPER or (token in _ENGLISH_UPPER and not lower_case)
        if kept or len(token) < 2 or _ROMAN.match(token) or not any(c.isupper() for c in token[1:]):
            return token
        after_type = re.search(r"(?:Sở|Bộ|sở|bộ)\s+$", text[:m.start()])
        full = lex.departments.get(_abbr_key(token)) if after_type else None
        if after_type and full is None and len(_abbr_key(token)) >= 2:  # "Sở LĐ": the one department it begins
            begun = [body for key, body in lex.departments.items() if key.startswith(_abbr_key(token))]
            full = begun[0] if len(begun) == 1 else None
        if full is None and lower_case and len(_abbr_key(token)) >= 4 and token.upper() == token \
                and re.search(r"(?:^|[,.;:?!]|\b(?:bên|phía|còn|ben|phia|con))\s*$", text[:m.start()], re.IGNORECASE):
            # "LĐTBXH tổng hợp báo cáo …", "còn GD&ĐT chủ trì gì?": a department's initials opening a clause are
            # the city's department of that name, when the documents have one; elsewhere they are the field
            # ("ứng dụng KHCN", "ngành LĐTBXH")
            body = lex.departments.get(_abbr_key(token))
            full = f"Sở {body}" if body and lex.frequency(" ".join(syllables(f"Sở {body}"))) > 0 else None
        full = full or lex.initials.get(_abbr_key(token))
        if full is None and token[0] == "S" and not after_type and len(token) >= 3:  # "SYT", "SNgV": Sở + initials
            body = lex.departments.get(_abbr_key(token[1:]))
            full = f"Sở {body}" if body else None
        if full is None and re.search(r"[&-]", token):  # "VH-TT": each group on its own
            parts = [lex.initials.get(_abbr_key(p)) for p in re.split(r"[&-]", token)]
            full = " và ".join(parts) if all(parts) else None
        if full is None:  # "MT chung": the two words of those initials the documents write before "chung"
            after = re.match(r"\s+(\w+)", text[m.end():])
            full = _initials_before(_abbr_key(token), after.group(1) if after else "", lex)
        return full or token

    return _ABBR_TOKEN.sub(repl, text)


def _initials_before(key: str, word: str, lex: Lexicon) -> str | None:
    """Two words with a two-letter abbreviation's initials that the documents write before the word that follows
    it ("MT chung" → "mục tiêu", of "Mục tiêu chung"; "mt cu the" too), when one pair is clearly the most
    frequent; None otherwise."""
    if len(key) != 2 or not word or word.isdigit():
        return None
    nxt = fold(word).lower()
    seconds = {b: n for (b, y), n in lex.bigrams.items() if fold(y) == nxt and fold(b[:1]) == key[1]}
    found: Counter[tuple[str, str]] = Counter()
    for (a, b), n in lex.bigrams.items():
        if b in seconds and fold(a[:1]) == key[0]:
            found[(a, b)] += min(n, seconds[b])
    best = found.most_common(2)
    if not best or (len(best) == 2 and best[1][1] * 2 > best[0][1]):
        return None
    return " ".join(best[0][0])


def restore_diacritics(text: str, lex: Lexicon) -> str:
    """"so nao lo y te" → "sở nào lo y tế": for each unaccented syllable, the accented form the
    documents use, chosen with its neighbours by the documents' syllable pairs (Viterbi over a bigram
    model with add-one smoothing), so "ap dung" is "áp dụng" and "bao ve" is "bảo vệ"."""
    toks = _W.findall(text)
    if not toks:
        return text
    columns = [[t] if has_diacritics(t) or t.isdigit() else (lex.forms.get(fold(t)) or [t]) for t in toks]
    vocab = max(len(lex.unigrams), 1)
    total = sum(lex.unigrams.values()) or 1

    def p_unigram(w: str) -> float:
        return (lex.unigrams.get(w.lower(), 0) + 1) / (total + vocab)

    def unigram(w: str) -> float:
        return math.log(p_unigram(w))

    def bigram(a: str, b: str) -> float:
        seen = lex.unigrams.get(a.lower(), 0)
        pair = lex.bigrams.get((a.lower(), b.lower()), 0)
        mixed = 0.8 * pair / seen + 0.2 * p_unigram(b) if seen else p_unigram(b)
        return math.log(mixed)

    scores = [unigram(w) for w in columns[0]]
    back: list[list[int]] = []
    for col, prev_col in zip(columns[1:], columns):
        new, ptr = [], []
        for w in col:
            best_j = max(range(len(prev_col)), key=lambda j: scores[j] + bigram(prev_col[j], w))
            new.append(scores[best_j] + bigram(prev_col[best_j], w))
            ptr.append(best_j)
        scores, back = new, back + [ptr]
    j = max(range(len(scores)), key=scores.__getitem__)
    out = [columns[-1][j]]
    for col, ptr in zip(reversed(columns[:-1]), reversed(back)):
        j = ptr[j]
        out.append(col[j])
    return " ".join(reversed(out))


def everyday_wording(text: str) -> str:
    """The documents' wording (folded) for the everyday words of a question ("nộp" → "gui"), to append. An
    everyday word counts where it stands as a word, not as a syllable of a longer one: "nghiện" (→ "ma
    túy") is not the "nghiên" of "nghiên cứu", nor "gom" the "gom" of "thu gom". Longer words are looked
    up as written when the text has diacritics ("tiền để" is no "tiền đề")."""
    written = [w.lower() for w in _W.findall(text)]  # read questions are normalised already
    said = [fold(w) for w in written]
    accented = has_diacritics(text)
    longer = _dictionary()[2] if accented else _dictionary()[0]
    present = set(said)
    extra = [doc for word, doc in _synonym_syllables()
             if word[0] in present and _stands_as_word(word, said, written if accented else said, longer)]
    return " ".join(extra)


@cache
def _synonym_syllables() -> tuple[tuple[list[str], str], ...]:
    """The synonym table folded: each everyday word's syllables and the documents' wording."""
    return tuple((syllables(word), fold(doc)) for word, doc in load_pairs("synonyms.tsv"))


def _stands_as_word(word: list[str], said: list[str], lookup: list[str], longer: frozenset[str]) -> bool:
    """Whether folded syllables occur in a text's (``said``) where no longer word of the word list holds
    them together with a neighbour (``lookup``: the text's syllables as the word list is keyed)."""
    n = len(word)
    for i in range(len(said) - n + 1):
        if said[i:i + n] != word:
            continue
        joined = any(" ".join(lookup[a:b]) in longer for a in range(max(0, i - 3), i + 1)
                     for b in range(i + n, min(len(said), i + n + 3) + 1) if (a, b) != (i, i + n))
        if not joined:
            return True
    return False


def gloss_alternatives(english: str, inflected: bool = False) -> dict[str, tuple[str, ...]]:
    """For the glossary lines written "a|b|c" whose English is in this text (an English word whose
    Vietnamese depends on context): folded first rendering → the others. The first goes into the gloss;
    any of them covers the concept. ``inflected``: also a word's inflected forms ("reviews", "funded"),
    for checking an answer (retrieval keeps to the words as written)."""
    low = _english_words(english)
    stems = {s for w in low.split() for s in _english_stems(w)} if inflected else set()
    out: dict[str, tuple[str, ...]] = {}
    for first, others, phrases in _alternative_lines():
        if any(f" {p} " in low or (" " not in p and p in stems) for p in phrases):
            out[first] = tuple(dict.fromkeys(out.get(first, ()) + others))
    return out


@cache
def _alternative_lines() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    by_first: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for phrase, vi in load_pairs("glossary_en_vi.tsv"):
        forms = [" ".join(syllables(v)) for v in vi.split("|") if v.strip()]
        if len(forms) > 1:
            by_first[(forms[0], tuple(forms[1:]))].append(_without_possessive(phrase.lower()))
    return tuple((first, others, tuple(phrases)) for (first, others), phrases in by_first.items())


# --------------------------------------------------------------- English


def is_mixed(cues: str) -> bool:
    """A Vietnamese question framed in English ("who is the cơ quan thực hiện for nhiệm vụ 5?"): its
    English question and grammar words count too."""
    english = [w for w in cues.split() if w in _EN_STOP and not is_vietnamese_syllable(w)]  # not "to", "do"
    return len(english) >= 2 and bool(re.search(r"\b(who|what|which|when|where|how|is|are|does)\b", cues))


_QUOTED = re.compile(r'\([^()]*\)|"[^"]*"|“[^”]*”|«[^»]*»')


def is_english(text: str, lex: Lexicon) -> bool:
    """Mostly words that are no Vietnamese syllable (English function words help: "do", "an", "to" are
    also Vietnamese syllables). A few Vietnamese words with diacritics ("BHXH Hải Phòng", "nông thôn
    mới") do not make an English question Vietnamese, when its grammar words are plainly English."""
    # a Vietnamese name in brackets or quotes is a name, not the question's language
    bare = _QUOTED.sub(lambda m: " " if has_diacritics(m.group()) else m.group(), text)
    words = re.findall(r"[^\W\d_]+(?:'[a-z]+)?", bare.lower())
    accented = sum(has_diacritics(w) for w in words)
    toks = [w for w in words if not has_diacritics(w)]
    # "What role does Sở Tài chính play?": an English frame around a Vietnamese name may hold up to half
    # Vietnamese words; its grammar words are plainly English, from the first word on
    plainly = [t for t in toks if t in _EN_STOP and t not in lex.syllables and not is_vietnamese_syllable(t)]
    framed = bool(toks) and bool(plainly) and words[0] == plainly[0] and len(plainly) >= 2
    if len(toks) < 2 or accented > (0.5 if framed else 0.35) * len(words):
        return False
    stop = sum(t in _EN_STOP for t in toks) / len(toks)
    # the word list also holds loans ("play", "role"): a word of no Vietnamese syllable's shape is foreign
    foreign = sum(t not in lex.syllables and not (is_vietnamese_syllable(t) and _SYLLABLE_SHAPE.match(t))
                  for t in toks) / len(toks)
    if accented:
        return foreign >= 0.3 and stop >= 0.25 and foreign + stop >= 0.7
    return foreign >= 0.15 and foreign + stop >= 0.55


def _english_words(text: str) -> str:
    # a Vietnamese word inside ("(ngoại giao văn hóa)") goes whole: its bare letters are no English ("ngo")
    words = re.sub(r"[^a-z0-9'\- ]", " ", re.sub(r"[\w'-]*[^\x00-\x7f][\w'-]*", " ", text.lower()))
    words = _without_possessive(words)  # "the Prime Minister's decision" names the Prime Minister
    return " " + re.sub(r"(?<![a-z])'|'(?![a-z])", " ", words) + " "  # quotes around a phrase go


def _without_possessive(text: str) -> str:
    """English words without a possessive "'s", in a question as in the glossary ("people's committee")."""
    return re.sub(r"(?<=[a-z])'s\b", "", text)


@cache
def _glossary() -> tuple[tuple[str, str], ...]:
    """(English phrase in lower case, its first rendering) per glossary line, in the file's order."""
    return tuple((_without_possessive(phrase.lower()), vi.split("|")[0].strip())
                 for phrase, vi in load_pairs("glossary_en_vi.tsv"))


@cache
def glossary_renderings() -> frozenset[str]:
    """The glossary's Vietnamese renderings, folded: words an English question names on purpose ("Singapore"),
    concepts even where no Vietnamese word list has them."""
    return frozenset(" ".join(syllables(vi)) for _, vi in _glossary())


@cache
def _glossary_words() -> frozenset[str]:
    return frozenset(w for phrase, _ in _glossary() for w in phrase.split())


@cache
def _slips() -> dict[str, frozenset[str]]:
    """Each slip of a glossary word (a letter dropped inside it, or two neighbours swapped) → the words it
    may be. A letter dropped at the end leaves another word ("difficult" of "difficulty"), so none is."""
    slips: dict[str, set[str]] = {}
    for w in _glossary_words():
        dropped = {w[:i] + w[i + 1:] for i in range(1, len(w) - 1)}
        swapped = {w[:i] + w[i + 1] + w[i] + w[i + 2:] for i in range(len(w) - 1) if w[i] != w[i + 1]}
        for slip in dropped | swapped:
            slips.setdefault(slip, set()).add(w)
    return {slip: frozenset(words) for slip, words in slips.items()}


def _mended_english(low: str) -> str:
    """An English word typed with a letter dropped inside it or two letters swapped ("helth", "mentin",
    "enviorment"), put back when exactly one word of the glossary is that word; words it knows stay as typed."""
    known = _glossary_words()

    def mend(m: re.Match) -> str:
        t = m.group()
        if t in known or t in _EN_STOP or len(t) < 4:
            return t
        found = _slips().get(t, frozenset())
        return next(iter(found)) if len(found) == 1 else t

    return re.sub(r"[a-z]+", mend, low)


def gloss_english(text: str) -> tuple[str, tuple[str, ...]]:
    """Vietnamese wording for the domain terms of an English question (longest phrase first), and the
    content words the glossary does not know."""
    glossed, rest = _glossed(text)
    return " ".join(glossed), rest


def _glossed(text: str) -> tuple[list[str], tuple[str, ...]]:
    """The Vietnamese of each glossed English word or phrase, one by one, and the words left unknown."""
    low = _mended_english(_english_words(text))
    out: list[str] = []
    glossary = _glossary()
    longest_first = sorted(glossary, key=lambda p: -len(p[0]))
    for dashes in (True, False):  # "self-reliant" as written first; then "foreign-language" as two words
        if not dashes:
            low = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", low)
        for phrase, vi in longest_first:
            pattern = f" {phrase} "
            while pattern in low:
                out.append(vi)
                low = low.replace(pattern, " ", 1)
    single = {phrase: vi for phrase, vi in glossary if " " not in phrase}
    rest = []
    for t in low.split():
        if t in _EN_STOP or t.isdigit() or len(t) <= 2:
            continue
        stem = next((single[s] for s in _english_stems(t) if s in single), None)
        if stem:
            out.append(stem)
        else:
            rest.append(t)
    out += re.findall(r"\b\d{4}\b", text)
    return out, tuple(rest)


# the body a question asks for is no topic: "Which bodies does the Department of Finance work with?" ("which
# organisations" stays: the plan's own "các tổ chức đoàn thể" are asked so)
_WH_BODY_EN = re.compile(r"(?i)\b(which|what)(?: other| kinds? of| types? of)? (?:bodies|body|"
                         r"agencies|agency|departments?|units?|offices?|partners?)\b")


def _gloss_tokens(text: str, removed: list[re.Pattern]) -> list[tuple[str, str]]:
    """The tokens of an English question's glosses, a boundary between two glosses: "departments" +
    "friendship" is "sở | hữu nghị", never "sở hữu" (ownership)."""
    out: list[tuple[str, str]] = []
    for piece in _glossed(text)[0]:
        out += _tokens_without(piece, removed) + [("|", "|")]
    return out


def gloss_pieces(text: str) -> list[str]:
    """The glossed phrases of an English text one by one: a body's name is found inside one of them, never
    across two ("department" + "plan" is no "Sở Kế hoạch")."""
    low = _english_words(text)
    pieces = [vi for phrase, vi in _glossary() if f" {phrase} " in low]
    # a body named by its field ("the Department of Education", "the health department") is one piece
    named = re.findall(r"\b(?:department|dept|ministry|service|office|committee) (?:of|for) (?:[a-z-]+ ?){1,4}", low)
    named += re.findall(r"\b(?:[a-z-]+ ){1,3}(?:department|dept|ministry|service|office|committee)\b", low)
    return pieces + [gloss_english(n)[0] for n in named]


_LATIN_RUN = re.compile(r"\b[A-Za-z][A-Za-z'-]+(?:\s+(?:(?:and|of|&)\s+)?[A-Za-z][A-Za-z'-]+)*\b")


def gloss_embedded_english(text: str, lex: Lexicon) -> str:
    """A Vietnamese question with English words in it (a student's "kế hoạch có gì về environment, còn
    culture với tourism?"): each run of words that are no Vietnamese syllable, put in the glossary's
    Vietnamese where it has them. Abbreviations (upper case) and Vietnamese syllables stay as typed."""
    def english(word: str) -> bool:
        low = word.lower()
        return len(low) > 2 and not word.isupper() and low not in lex.syllables and not is_vietnamese_syllable(low) \
            and low not in ("and", "of")

    def put(m: re.Match) -> str:
        words = m.group().split()
        if not any(english(w) for w in words):
            return m.group()
        out, run = [], []
        padded = words + [""]
        for i, w in enumerate(padded):
            # "and", "of" inside a run; a short particle opening one ("in charge", "on track")
            if w and (english(w) or (run and w.lower() in ("and", "of", "&"))
                      or (not run and w.lower() in ("in", "on", "at", "by") and english(padded[i + 1] or "x"))):
                run.append(w)
                continue
            if run:
                gloss = gloss_english(" ".join(run))[0]
                out.append(gloss or " ".join(run))
                run = []
            if w:
                out.append(w)
        return " ".join(out)

    return _LATIN_RUN.sub(put, text)


def _english_stems(word: str) -> list[str]:
    """"organising" → organise, organize; "reviews" → review; "implemented" → implement: light suffixes;
    "children's" → children (a possessive)."""
    if word.endswith(("'s", "s'")) and len(word) > 4:
        word = word[:-2] if word.endswith("'s") else word[:-1]
        return [word, *_english_stems(word)]
    out = []
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                         ("ing", ""), ("ing", "e"), ("ally", "al"), ("ly", ""), ("ation", "e"), ("ation", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)] + repl)
    out += [w.replace("is", "iz") for w in [word, *out] if "is" in w] + \
        [w.replace("iz", "is") for w in [word, *out] if "iz" in w]
    return out


# --------------------------------------------------------------- focus

# Each pattern is matched against the folded question (lower case, no diacritics, single spaces, with
# punctuation kept as separate tokens) for Vietnamese, and against the lower-cased text for English.
# ("địa bàn nào" asks a place, not a board)
_AGENCY_WH_VI = re.compile(
    r"\b(?<!dia )(co quan|so|don vi|ban|nganh|ben|to chuc|cap|bo phan)( nao)\b"
    # "nơi nào" is a body unless a place is meant: "ưu tiên nơi nào", "ở / tại nơi nào"
    r"|\b(?<!uu tien )(?<!\bo )(?<!\btai )noi nao\b"
    r"|\b(nhung|cac) (co quan|so|don vi|ben|nganh) nao\b|\b(nhung )?ai\b(?! (ky|la nguoi (ky|dung ten|dung dau)))")
# "which city agency", "what government body": a word or two may describe the body asked for
_BODY_ADJ = r"((?!(is|are|does|do|did|was|were|has|have|had|the|a|an|will|can|should|must|of)\b)[a-z-]+ ){0,2}"
_AGENCY_WH_EN = re.compile(rf"\bwho\b|\bwhich {_BODY_ADJ}(department|agenc|bod|organi[sz]ation|unit|office|ministr)\w*"
                           rf"|\bwhat {_BODY_ADJ}(department|agenc|bod|organi[sz]ation)\w*|\bwhose\b|\bby whom\b"
                           # "lead agency for task 4?", "what is the lead agency …": the body named by its role
                           r"|^((what|which|who)( is|'s| are) )?(the )?((overall|main|principal) )?(lead|leading|"
                           r"implementing|coordinating|responsible) (agenc|department|bod|organi[sz]ation|unit)\w*")
# "ngày, tháng cụ thể nào"
_TIME_WH_VI = re.compile(r"\bngay (co dinh|cu the)\b"
                         r"|\b(ngay|thang) ,? (ngay|thang)( cu the| chinh xac)? (nao|bao nhieu|may)\b"
                         r"|\b(khi nao|bao gio|luc nao|ngay nao|hom nao|nam nao|thang nao|thoi diem nao|han chot"
                         r"|thoi han"
                         r"|giai doan nao|thoi gian nao|moc( thoi gian)? (nao|gi)|truoc ngay nao|den khi nao|bao lau"
                         r"|(?<!hang )(?<!moi )(ngay|nam|thang) (bao nhieu|may)"
                         r"|han (la|gui|nop|bao cao|cuoi|nao|bao gio|khi nao)|^han\b)")
# "nào … cũng" is every ("ngày nào cũng thấy …", "năm nào bão lũ cũng …"), never which
_EVERY = r"nao( \w+){0,4} cung\b"
_TIME_WH_EN = re.compile(r"\bwhen\b|\bby when\b|\bwhat( exact| specific| precise)? (date|year|day|time|period)\b"
                         r"|\bwhich( exact| specific)? (year|date|period)s?\b"
                         r"|\b(what|which) (overall|whole|total|entire) (period|time ?frame|time span)\b"
                         r"|\bdeadline|\bdue\b|\bhow long\b|\btimeline\b|\bmilestones?\b|\bwhat years?\b"
                         # "Is there a fixed date by which …?": whether a date is set, which only a date answers
                         r"|\b(fixed|set|specific|exact) (date|deadline|day)\b|\bdate by which\b")
# "mấy" counts after a verb ("chủ trì mấy nhiệm vụ", "có mấy khoản"); elsewhere it is a plural ("mấy sở đó");
# folded, "nhà máy" and "máy móc" are machines
_AMOUNT_WH_VI = re.compile(r"\b(bao nhieu|so luong|ty le|(ty|trieu|nghin) dong)\b"
                           r"|\b(co|la|gom|duoc|chu tri|thuc hien|tham gia|dat|can|cua|"
                           r"dat ra|de ra|neu ra|neu|nhan|giao|bao gom|chia|chia thanh|chia ra|tong cong) may\b"
                           r"|(?<!^)(?<!chi )(?<!nha )\bmay (?!moc\b)(?!(\w+ ){1,3}(do|nay|kia|ay)\b)\w+( \w+){0,2} "
                           r"(trong|cua|vay|the|a|nhi|la|\?|$)"
                           r"|(?<!^)(?<!chi )(?<!nha )\bmay (nhiem vu|khoan|muc|phan|muc tieu|giai phap|nam|ngay|thang|"
                           r"nguoi|co quan|lan|buoc|giai doan|chuong trinh|van ban|noi dung|hoat dong|"
                           # the classifiers events and classes are counted by ("mấy lớp", "mấy đợt", "mấy buổi")
                           r"lop|dot|buoi|khoa|cuoc|chi tieu|su kien|hoi nghi|hoi thao|le hoi)\b"
                           r"(?! (do|nay|kia|ay)\b)")
_AMOUNT_WH_EN = re.compile(r"\bhow (much|many|large|big)\b|\bwhat (percentage|share|proportion|amount|number|figure)\b"
                           r"|\bwhat (prices?|costs?|fees?)\b"
                           r"|\b(what|which) (is|was|are|were) (the |its |their )?([a-z'-]+ ){0,6}"
                           r"(rate|ratio|percentage)s?\b"
                           r"|\b(what|which) ([a-z'-]+ ){0,4}(rate|ratio|percentage)s?\b"  # "what poverty rate …"
                           # "Does it set any percentage target for training staff?"
                           r"|\bpercentage (targets?|goals?|figures?)\b"
                           # a search-box question that is a measure alone: "contribution rate?", "coverage ratio"
                           r"|^([a-z'-]+ ){0,3}(rate|ratio|percentage|amount|figure|total)s?\W*$"
                           r"|\b(total|amount of) (budget|funding|money|cost)\b|\b(billion|million|thousand)s?\b"
                           r"|\b(total|exact|overall) (amount|sum|figure)s?\b"
                           r"|\b(budget|funding|cost|spending|money) (figures?|amounts?|totals?|sums?)\b"
                           r"|\b(vnd|dong|usd|percent)\b"
                           r"|\bwhat(?:'s|s| is| was) the (annual |yearly )?(budget|cost)\b"
                           # a measured level ("what English proficiency level", "an IELTS score"): a figure
                           r"|\b(what|which) ([a-z'-]+ ){0,3}(proficiency|language|english|skills?) "
                           r"(level|score|band)s?\b"
                           r"|\b(ielts|toefl|toeic)\b")
# "When the department goes after funding, who …": "when" opens a clause that sets the scene
_WHEN_CLAUSE = re.compile(r"^(when|whenever|if) [^,?]*,(?= *(who|which|what|how|where|is|are|does|do)\b)")
# "What events are planned when foreign leaders visit?": "when" inside a question led by another wh-word
# opens a clause of circumstance ("…: when are they due?", "… and when?" still ask a time: an asking
# "when" ends the question or comes before its verb)
# "… work together when carrying out the plan?": "when" before a verb in -ing tells the circumstance
_WHEN_DOING = re.compile(r"\bwhen \w+ing\b")
# So it does in a yes/no question ("Are there also events when foreign leaders visit?"), unless a verb of
# saying puts the time itself in question ("Does the plan say when …?")
_WHEN_INSIDE = re.compile(r"(^(what|which|who|whom|how|where|why)\b.*(?<!\band )(?<!\bor )(?<!, )(?<![:;–-] )"
                          r"|^(is|are|was|were|does|do|did|can|could|will|would|has|have)\b.*"
                          r"(?<!\band )(?<!\bor )(?<!, )(?<![:;–-] )(?<!say )(?<!says )(?<!state )(?<!states )"
                          r"(?<!tell )(?<!specify )(?<!mention )(?<!know )(?<!indicate ))\bwhen\b"
                          r"(?!\s*\?)(?!\s*$)(?! (is|are|was|were|do|does|did|will|would|should|must|can|could|has|"
                          r"have|had|shall)\b)")
# "đến năm bao nhiêu", "trước ngày mấy" ask a year or a date, and "Nghị quyết số mấy" which number, not an amount
_WHICH_ONE = re.compile(r"\b(nam|ngay|thang|so) (bao nhieu|may)\b")
_WHAT_THINGS = re.compile(r"\b(la )?may (cai|thu|dieu|viec) (gi|nao)\b|\bmay \w+( \w+)? nao\b")  # "mấy lĩnh vực nào"
# particles and forms of address that may close a question ("… không ad?", "… chưa chị?")
_CLOSING = r"( (a|ad|admin|nha|nhe|vay|the|ha|nhi|ban|chi|anh|em|oi|ta|ha))*\W*$"
_YESNO_VI = re.compile(rf"\bco\b.*\b(khong|ko|k){_CLOSING}|\bco phai\b|\b(phai|dung) (khong|ko|k|hong)\b"
                       # a statement put for confirmation: "… do Sở Y tế ban hành hả?", "… nhiệm vụ 5 đúng hem"
                       r"|^(?!.*\b(ai|gi|nao|dau|bao nhieu|may|sao|khi nao|bao gio)\b).*\b(ha|dung (ha|a|hem|chu))\W*$"
                       rf"|\bkhong a\W*$|\bchua{_CLOSING}"
                       r"|\bco (nam|thuoc|la|duoc|phai|giao|thuc hien|tham gia)\b.*\bkhong\b"
                       r"|\bco\b.*\bkhong hay\b")  # "có cổ vũ … không hay nói suông thôi"
# "Is …?", and after a lead-in: "And on drugs, is there anything?"
_YESNO_EN = re.compile(r"^(is|are|does|do|did|can|could|should|was|were|has|have|will)\b"
                       r"|[,;:] (is|are|does|do|did|was|were|has|have) (there|it|the plan|this plan)\b")
_CHOICE_VI = re.compile(r"\bhay( la| con)?\b|\bhoac\b")
_CHOICE_EN = re.compile(r"\bor\b|\bonly\b")
# "nội dung cụ thể nv này?": the noun alone asks what something holds
_CONTENT_WH_VI = re.compile(r"\bnoi dung (cu the|chinh|chi tiet)\b|^(noi dung|chi tiet)\b"
                            r"|\b(ke|liet ke|tom tat|noi ro)( het| ra| lai)? (cac |nhung |toan bo )?noi dung\b"
                            r"|\b(gi|nhung gi|nao|the nao|ra sao|nhu the nao|lam sao|ve viec gi|(o|tu|den|ve|la) dau"
                            r"|dau ra)\b")
_CONTENT_WH_EN = re.compile(r"\bwhat\b|\bhow\b|\bwhich\b|\blist\b|\bdescribe\b|\bexplain\b|\btell me\b")
# "phối hợp" asks for the coordinating role when it is not followed by its own object ("phối hợp vận động
# viện trợ" is task 10's title)
# the coordinating role, also in everyday words ("còn ai phụ một tay?", "ai phụ giúp?")
_COORD_VI = re.compile(r"\bphoi hop\b(?!,? (van dong|dieu phoi|to chuc|tuyen truyen|thuc hien cac|chat che))"
                       r"|\b(phu|giup) mot tay\b|\bphu giup\b")
_ROLE_VERB_EN = re.compile(r"\b(led|leads?|leading|carried out|carr(y|ies|ying) out|implement(s|ed|ing)?|in charge|"
                           r"responsible|handled?|handles|handling|take charge|takes charge|shar(e|es|ed|ing)|"
                           r"alone|solely|only on)\b")
# "who organises that?", "which department runs it?": the verb after the asking words is the role asked, no topic
_ROLE_AFTER_WHO_EN = re.compile(r"(?i)\b(who|which (?:agency|agencies|department|departments|body|bodies|office)) "
                                r"(?:organi[sz]es|organi[sz]ed|runs|ran|arranges|arranged|holds|held|conducts|hosts)\b")
_COORD_EN = re.compile(r"\bcoordinat\w*|\bcooperat\w*|\b(supporting|partner) (agenc|bod|department)\w*|\bpartners\b"
                       r"|\bwho (supports|helps|assists|works with) (them|it|that|those)\b"
                       r"|\b(support|assist|help)s? the (lead|leading|main)\b"
                       # "Which bodies does the Department of Finance work with?": its partners
                       r"|\b(does|do|did|will|should) (the |it |they )?([\w'&-]+ ){0,6}(work|collaborate|partner) "
                       r"(closely |together )?with\b")
_COORDINATING_WORK_EN = re.compile(r"\b(of|for|in|on|about) coordinating (?!(agenc|bod|department|role|unit|partner))"
                                   r"\w")
# what an agency must do: "phải làm gì", "có nhiệm vụ gì", "được giao những việc nào", "trách nhiệm gì"
_DUTY_VI = re.compile(r"\b(nhiem vu|trach nhiem|viec|cong viec|vai tro|phan viec|phan|nhiem vu cu the)\b.*"
                      r"\b(gi|nao|nhung gi)\b|\blam (gi|nhung gi|nhung viec gi)\b|\bphai lam\b|\bduoc giao (gi|nhung)"
                      r"|\b(tham gia|thuc hien|chu tri|phu trach) (nhung|cac|may|bao nhieu) (nhiem vu|viec)\b"
                      r"|\bduoc de nghi\b.*\b(gi|nao)\b|\b(nhiem vu|khoan|viec) (so|thu) (may|bao nhieu)\b"
                      # "Cho biết / liệt kê các nhiệm vụ của Sở X": asked without a question word
                      r"|\b(cho biet|neu|liet ke|ke ra|ke|tom tat|trinh bay)( ro| het| day du)? (cac |nhung |toan bo )?"
                      r"(nhiem vu|trach nhiem|cong viec|phan viec)\b")
# typed in a search box, a body's duties without a question: "nhiệm vụ Sở Ngoại vụ", "trách nhiệm của UBND quận",
# "Department of Finance duties"
_TERSE_DUTY_VI = re.compile(r"^(cac |nhung )?(nhiem vu|trach nhiem|vai tro|cong viec|phan viec)( cu the)?( cua)? "
                            r"(so|uy ban|ubnd|ban|bao hiem|mat tran|cong an|hoi|lien doan|thanh doan|bo chi huy)\b"
                            r"(?!.*\b(gi|nao|ai|dau|sao|khong|chua|may|bao nhieu|a|ha|nhi|chu tri|phoi hop|thuc hien|"
                            r"tham gia)\b)")
_TERSE_DUTY_EN = re.compile(r"^(?!.*\b(what|which|who|when|where|how|does|do|is|are|lead\w*|coordinat\w*)\b)"
                            r".*\b(tasks|duties|responsibilities|roles?)\W*$")
_DUTY_EN = re.compile(r"\bwhat (must|should|does|do|will|is|are)\b.*\b(do|responsible|role|doing)\b"
                      r"|\b(tasks?|dut(y|ies)|responsibilit\w*|role|roles|work)\b.*\b(of|for|does|do|has|have|assigned|in)\b"
                      r"|\b(has|have|does|do)\b.*\b(other|another|any|more)\b.*\b(tasks?|dut(y|ies)|role|work)\b"
                      r"|\bwhat (tasks|duties|responsibilit\w*)\b|\bin charge of what\b|\bwhat is .* in charge of\b"
                      r"|\b(involved|involvement|take part|takes part)\b"
                      # "everything Sở X is tasked with": the work, when nothing follows "with"
                      r"|\b(tasked|charged|entrusted) with\W*(please\W*)?$")
# sent where; "chuyển" only right before where it goes ("chuyển sang nhiệm vụ 9" moves to another topic, and
# folded, "chuyện X thì sở nào lo?" is a matter, not a sending)
# ("báo về đâu", "báo ai": "báo" alone reports too; folded, "bao ve" is also "bảo vệ", so only before "đâu";
# "chương trình" is a programme, not "trình" submitting)
_DESTINATION_VI = re.compile(r"\bbao ve dau\b|\bbao (cho |len |ve )?(ai|co quan nao|so nao|ben nao|don vi nao)\b"
                             r"|\b(gui|nop|bao cao|phan anh|(?<!chuong )trinh"
                             r"|chuyen(?= (ve|cho|toi|den|len)\b))\b.*"
                             r"\b(ve|cho|toi|den|len)? ?(dau|ai|"
                             r"co quan nao|so nao|noi nao|don vi nao|ben nao)\b"
                             # whom to turn to: "có vướng mắc thì hỏi ai?", "liên hệ đâu?"
                             r"|\b(hoi|lien he)( voi)? (ai|dau|co quan nao|so nao|noi nao|don vi nao|ben nao)"
                             r"( (a|ad|nha|nhe|vay|the|ha|nhi|ban|chi|anh|em|oi))*\W*$")
_DESTINATION_EN = re.compile(r"\b(to whom|sent to|submitted to|send .* to|report(ed)? to|go to|addressed to)\b"
                             r"|\bwho (receives|gets)\b|\bwhere\b.*\b(send|sent|submit(ted)?|file[ds]?|reports? go|"
                             r"forward(ed|s)?|pass(ed|es)? (them|it|on)|escalat\w*)\b|\bforward(ed|s)? (to|on)\b")
_REPORT_VI = re.compile(r"\bbao cao\b")
_REPORT_EN = re.compile(r"\breport")
_LIST_VI = re.compile(r"\b(nhung (gi|noi dung|hoat dong|viec|muc tieu|nhiem vu|giai phap)|nhung (\w+ ){1,4}nao|"
                      r"gom|bao gom|noi dung (chinh|gi)|cac (noi dung|hoat dong|muc tieu|giai phap)|liet ke|ke ra|"
                      r"ke ten|ke het|(noi|ke|giai thich) them|(chi tiet|cu the|ro|ky|day du) hon)\b")
_LIST_EN = re.compile(r"\binclude|\bactivities\b|\bwhat are the\b|\blist\b|\bconsist|\bmore\b(?! than)|\bdetails\b"
                      r"|\belaborate|\bin full\b")
_NOW_VI = re.compile(r"\b(hom nay|ngay mai|hom qua|bay gio|hien tai|hien nay|nam nay|thang nay|tuan nay|luc nay)\b")
_NOW_EN = re.compile(r"\b(today|tomorrow|yesterday|right now|currently|this year|this month|at the moment|"
                     r"these days|so far|to date|nowadays)\b|\bcurrent\b")
# Follow-ups: "còn …", "thế còn …", "… thì sao?", "and …", "what about …"
_FOLLOW_UP_VI = re.compile(r"^(con|vay con|the con|thi sao|the|vay|va|roi|trong so do|ngoai ra)\b|\bthi sao\b"
                           r"|\bthi the nao\b|\bcon\b.*\bthi\b|\bnua\b|\bkhac\b")
_FOLLOW_UP_EN = re.compile(r"^(and|what about|how about|also|then|so)\b|\b(else|other|too|also)\b")
# Words that point back at the last turn's body or task ("văn bản này", "hồ sơ đó" name a document, not a body).
_AGENCY_ANAPHORA_VI = re.compile(r"\b(?<!van )(?<!ho )(so|co quan|don vi|ben|nganh|ban|may so|cac so|nhung so"
                                 r"|cac co quan) (do|nay|ay|day|tren|vua (roi|neu|noi))\b|\btrong so do\b")
_AGENCY_ANAPHORA_EN = re.compile(r"\b(that|this|the same|these|those) (department|agenc|bod|organi[sz]ation|office)\w*"
                                 r"|\b(they|them|it) (do|does|have|has|must|also)\b|\btheir\b")
_TASK_ANAPHORA_VI = re.compile(r"\b(nhiem vu|viec|vu|hoat dong|muc|noi dung|van de|linh vuc|mang|phan|doan|khoan|"
                               r"diem|cho|chuong trinh|chinh sach|de an) "
                               r"(do|nay|ay|day|tren|vua roi)\b"
                               r"|\bnhiem vu nay\b|\bcai do\b|\bviec do\b|\bdo\b\W*$")
_TASK_ANAPHORA_EN = re.compile(r"\b(that|this|the same) (task|activity|item|area|one|part|section|passage|paragraph|"
                               r"point|programme|program|policy)\b|\bit\b|\bthat\b\W*$"
                               # "its content part", "its activities": a task's parts (not "its duties", a body's)
                               r"|\bits (content|contents|activities|(sub-?)?(points?|items?))\b")
# "nội dung 9": the items of part II ("Nội dung hoạt động") are numbered
# "nhiệm vụ mấy", "mục số mấy", "khóa mấy": "mấy" after a numbered unit asks which one (a count puts it first)
_WHICH_NUMBER_VI = re.compile(r"\b(nhiem vu|nv|muc|khoan|diem|phan|noi dung|khoa|lan)( so| thu)? may\b"
                              r"(?! (nhiem vu|viec|so|co quan|don vi|noi dung|muc|khoan|diem|lan|nam|ngay)\b)")
_TASK_NO = re.compile(r"\b(nhiem vu|tasks?|muc|diem|khoan|items?|points?|noi dung) (so |thu |number |no )?"
                      r"(\d{1,2}(?:\.\d{1,2})*)\b")
# "mục VI khoản 3", "khoản 3 mục VI", "điểm 6.2 mục II", "mục II.6.2", "section VI.3", "part VI item 3"
_NUMBERED = r"(\d{1,2}(?:\.\d{1,2})*)"
_SECTION_REF = (
    re.compile(rf"\b(?:muc|phan|part|section) ([ivx]{{1,4}})[ ,.]*(?:(?:khoan|diem|item|point|clause)\s*)?{_NUMBERED}"),
    re.compile(rf"\b(?:khoan|diem|item|point|clause) {_NUMBERED}[ ,]*(?:cua |of )?(?:muc|phan|part|section) "
               r"([ivx]{1,4})\b"),
)

_POINT_AFTER = re.compile(rf"[ ,]*(?:diem|point|tiet) {_NUMBERED}\b")
_OUTER_ITEM = re.compile(r"\b(?:khoan|item|clause) (\d{1,2})[ ,]*$")


_ORDINAL_VI = re.compile(rf"\b(nhiem vu|khoan|muc|noi dung) ({ORDINAL_VI})\b")
_ORDINAL_EN = re.compile(rf"\b({ORDINAL_EN}) (task|item|activity)\b")


def _numbered_items(part: str | None, facts: Facts) -> list[str]:
    """The numbered items of the part named, else of the first part that has them (the tasks' part)."""
    if not facts.items:
        return []
    return facts.items.get(part if part in facts.items else next(iter(facts.items)), [])


def _ordinal_item(cues: str, part: str | None, facts: Facts) -> str | None:
    """"nhiệm vụ cuối cùng", "the second task": that item of the part that holds the tasks."""
    m = _ORDINAL_VI.search(cues) or _ORDINAL_EN.search(cues)
    items = _numbered_items(part, facts) if m else []
    place = ORDINAL_PLACES[m.group(2 if m.re is _ORDINAL_VI else 1)] if m else 0
    return items[place] if -len(items) <= place < len(items) else None


# the unnumbered parts, named: "theo phần mở đầu, …", "đoạn kết", "the preamble", "the closing paragraph"
_PREAMBLE_REF = re.compile(r"\b(phan|loi|doan) mo dau\b|\bpreamble\b|\bopening (part|section|paragraph)s?\b")
# folded, "doan ket" is also "đoàn kết" (solidarity): "đoạn kết" only as written
# "cuối kế hoạch", "at the end of the plan": where the text ends, not the year the plan ends ("… in 2025")
_CLOSING_REF = re.compile(r"\bphan (ket|ket thuc|cuoi cung)\b|\bclosing (part|section|paragraph)s?\b"
                          r"|\b(phan |o )?cuoi (ke hoach|van ban|kh)\b(?! (nam|giai doan|nay|\d))"
                          r"|\b(at )?the end of (the|this) (plan|document)\b(?! (is|in|\d))")
_CLOSING_REF_WRITTEN = re.compile(r"(?<!\w)đoạn (kết|cuối)(?!\w)")


def section_reference(text: str) -> str | None:
    """The section a question names by its numbers ("mục VI khoản 3" → "VI.3"), as docs/sections.md writes it,
    or by the name of an unnumbered part ("phần mở đầu" → "preamble")."""
    low = fold(text)
    if _PREAMBLE_REF.search(low):
        return "preamble"
    if _CLOSING_REF.search(low) or _CLOSING_REF_WRITTEN.search(text.lower()):
        return "closing"
    m = _SECTION_REF[0].search(low)
    if m:
        return f"{m.group(1).upper()}.{_deeper_point(m.group(2), low[m.end():])}"
    m = _SECTION_REF[1].search(low)
    if not m:
        return None
    outer = _OUTER_ITEM.search(low[:m.start()])  # "khoản 6 điểm 3 mục II": the item before the point
    number = _deeper_point(outer.group(1), low[outer.end():]) if outer else m.group(1)
    return f"{m.group(2).upper()}.{number}"


def _deeper_point(number: str, rest: str) -> str:
    """"mục II khoản 6 điểm 6.3", "khoản 6, điểm 3": a point named after its item lies in that item."""
    m = _POINT_AFTER.match(rest)
    if not m or "." in number:
        return number
    point = m.group(1)
    if point.startswith(f"{number}."):
        return point
    return f"{number}.{point}" if "." not in point else number
_PART_NO = re.compile(r"\b(phan|muc|part|section) ([ivx]{1,4})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_PLACE_FILE = "provinces.txt"


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    return load_list(_PLACE_FILE)


def mentions_other_place(original: str, lex: Lexicon) -> bool:
    """A province or city other than Hai Phong (data file): a question about its plans is not ours.

    A name that is also a phrase of the documents ("Hòa Bình" / "hòa bình") counts only as written,
    capitalised; the others count in any spelling, unaccented included."""
    folded = f" {' '.join(syllables(original))} "
    for name in _place_names():
        key = " ".join(syllables(name))
        if f" {key} " not in folded:
            continue
        if lex.known("~".join(key.split())) if " " in key else lex.known(key):
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", original):
                return True
            continue
        if not re.search(rf"(?<!\w)({re.escape(name)}|{re.escape(key)})(?!\w)", original, re.IGNORECASE):
            continue  # typed with other marks, "đánh giá lại" (to review again) is not "Gia Lai"
        return True
    return False


@dataclass(frozen=True)
class Focus:
    """What a question asks for, read from its question words wherever they stand."""

    agency: bool = False  # "cơ quan nào", "sở nào", "ai", "who", "which department"
    role: str = ""  # "lead" | "coordinate": the role an agency question asks about
    time: bool = False  # "khi nào", "hạn", "năm nào", "when", "deadline"
    amount: bool = False  # "bao nhiêu", "mấy", "how many/much"
    unit: str = ""  # the folded noun counted or measured: "nhiem vu", "ty dong", "phan tram"
    yes_no: bool = False  # "… có … không?", "is …?"
    choice: bool = False  # "A hay B", "chỉ A hay còn …", "A or B", "the only …"
    content: bool = False  # "gì", "những gì", "thế nào", "what", "how"
    duty: bool = False  # "phải làm gì", "có nhiệm vụ gì", "what must … do"
    destination: bool = False  # "gửi về đâu", "nộp cho ai", "to whom"
    report: bool = False  # the yearly report
    listing: bool = False  # "gồm những", "liệt kê", "include"
    now: bool = False  # "hôm nay", "hiện nay", "so far"

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k in ("agency", "time", "amount", "yes_no", "choice", "content", "duty", "destination")
                     if getattr(self, k))


@dataclass(frozen=True)
class Question:
    original: str
    lang: str  # vi | en
    text: str  # what we match: abbreviations expanded, diacritics restored, English glossed
    folded: str  # folded syllables of ``text`` with everyday words also in the documents' wording
    cues: str  # the folded original with punctuation as tokens (Vietnamese) or the lower-cased English
    focus: Focus
    agencies: tuple[str, ...]  # canonical names, in the order named
    task_number: str | None
    part: str | None  # a Roman part the question restricts itself to
    years: tuple[str, ...]
    topic: str  # the words a retriever should match (question words and the asked role removed)
    follow_up: bool  # "còn …", "thế còn …", "what about …"
    refers_to_agency: bool  # "sở đó", "cơ quan này", "that department"
    refers_to_task: bool  # "nhiệm vụ đó", "that task", or no topic of its own
    other_place: bool
    unknown_agency: str = ""  # a department the question names and no document does ("Sở Giao thông vận tải")
    content_terms: tuple[str, ...] = ()  # folded content syllables, for measuring what the documents cover
    alternatives: tuple[tuple[str, ...], ...] = ()  # "A hay B": the concepts of each side
    topic_without_bodies: str = ""  # the text without the bodies it names, for finding the task it is about
    section: str | None = None  # a section it names by number ("mục VI khoản 3" → "VI.3")
    borrowed_topic: bool = False  # a clause ("… nộp ở đâu?") about the topic of the rest of the question
    # concepts of the asker's own story told before the question ("con em là …"), which the answer may lack
    told_terms: tuple[str, ...] = ()
    echoed: bool = False  # a follow-up whose words repeat the last turn's topic ("tóm tắt các giải pháp còn lại")
    clauses: tuple[Question, ...] = ()  # the parts of a compound question, each with its own focus

    def matches(self, vi: re.Pattern | None = None, en: re.Pattern | None = None) -> bool:
        """Whether a module's cue phrase is in the question, in the question's language."""
        pattern = en if self.lang == "en" else vi
        return bool(pattern and pattern.search(self.cues))

    @property
    def has_topic(self) -> bool:
        return bool(self.content_terms) or bool(self.task_number) or bool(self.part) or bool(self.section)


def _pointing_cues(written: str, cues: str, lang: str) -> str:
    """The cues in which "do" points back only where it may be "đó": typed with diacritics, "nhiệm vụ do Ủy ban
    nhân dân thành phố giao" says who gave the tasks ("do", by), not which ("đó", that). ``written`` is the
    text with its abbreviations spelled out, whose words the cues fold. (A text typed without marks may hold a
    few from abbreviations spelled out, "nv" → "nhiệm vụ": marked means most of its words.)"""
    words = re.findall(r"\w+|[?,;.%]", written.lower())
    marked = sum(has_diacritics(w) for w in words) / max(1, sum(w.isalpha() for w in words))
    if lang == "en" or marked < 0.4:
        return cues
    folded = cues.split()
    if len(words) != len(folded):
        return cues
    return " ".join("do_by" if w == "do" else f for w, f in zip(words, folded))


# "who" after a noun for people opens a relative clause ("students who want to …", "those who"), no question
_RELATIVE_WHO = re.compile(r"\b(people|persons?|those|anyone|someone|everyone|ones?|children|kids|women|men|students"
                           r"|workers|families|citizens|residents|foreigners|officials|staff|volunteers|employees"
                           r"|households|investors|parents|teachers|migrants|elderly|youths?|villagers|farmers) who\b")


# "which" after a noun and its preposition opens a relative clause ("the date by which …", "the tasks in which …")
_RELATIVE_WHICH = re.compile(r"\b(?!(?:and|or|but|so|then|also)\b)([a-z0-9'-]+) (by|in|on|at|through|to|for) which\b")


def _cue_text(text: str, lang: str) -> str:
    """Folded text with punctuation kept as tokens: "co quan nao , khi nao ?"."""
    if lang == "en":  # a colon parts a lead-in as a comma does ("And task 10, the NGO aid one: is it …?")
        cues = " ".join(re.findall(r"[a-z0-9'\-]+|[?,;.]", text.lower().replace(":", ",")))
        cues = _RELATIVE_WHO.sub(r"\1 that", cues)  # "students who want to study …" asks no body
        return _RELATIVE_WHICH.sub(r"\1 \2 that", cues)  # "a fixed date by which each unit …" asks no body
    # "%": "bao nhiêu % cán bộ" asks a share; "bao nhiêu/tháng" is a rate ("mỗi tháng"), no month counted
    folded = re.sub(r"\bbao nhieu\s*/\s*", "bao nhieu moi ", fold(text))
    return " ".join(re.findall(r"\w+|[?,;.%]", folded))


# "cho ai" after a verb that hands something over asks the body it goes to ("giao cho ai", "nộp cho ai");
# after any other verb it asks who gains ("tuyên truyền cho những ai")
_FOR_WHOM = re.compile(r"\b(\w+) cho (nhung |cac )?ai\b")
_HANDING = frozenset("giao gui nop cao trinh chuyen cong uy quyen".split())


def _for_whom(m: re.Match) -> str:
    return m.group(0) if m.group(1) in _HANDING else f"{m.group(1)} "


# nouns for a sum of money (folded): what "bao nhiêu" after them asks is an amount of money (and what the
# answerability check takes as a money unit)
MONEY_NOUNS = r"tien|kinh phi|ngan sach|von|phu cap|tro cap|luong|hoc phi|le phi|chi phi"


def read_focus(cues: str, lang: str, agencies: tuple[str, ...]) -> Focus:
    en = lang == "en"
    mixed = not en and is_mixed(cues)
    if not en:  # "thuộc nhiệm vụ mấy?", "mục số mấy": which one, by its number, not how many
        cues = _WHICH_NUMBER_VI.sub(lambda m: f"{m.group(1)} nao", cues)

    def has(vi: re.Pattern, english: re.Pattern) -> bool:
        return bool((english if en else vi).search(cues)) or (mixed and bool(english.search(cues)))

    agency = has(_AGENCY_WH_VI, _AGENCY_WH_EN)
    if agency and not en and not _AGENCY_WH_VI.search(_FOR_WHOM.sub(_for_whom, cues)):
        agency = False  # "nâng cao năng lực cho những ai?" asks who gains, not who does it
    coordinate = has(_COORD_VI, _COORD_EN)
    if en and coordinate and not agency and not re.search(r"\bcoordinat|\bpartner|\bsupporting\b", cues):
        coordinate = False  # "what does the plan say about cooperation with ASEAN states": a topic, not a role
    if en and coordinate and _COORDINATING_WORK_EN.search(cues) and not _COORD_EN.search(_COORDINATING_WORK_EN.sub(
            " ", cues)):
        coordinate = False  # "the purpose of coordinating aid", "in charge of coordinating aid": a task's work
    # "là mấy cái gì" asks what they are, not how many
    amount = has(_AMOUNT_WH_VI, _AMOUNT_WH_EN) and not (
        not en and not _AMOUNT_WH_VI.search(_WHAT_THINGS.sub(" ", _WHICH_ONE.sub(" ", cues))))
    yes_no = has(_YESNO_VI, _YESNO_EN)
    if amount and not en and re.search(r"\b(tien|kinh phi|ngan sach|von)( \w+)? (o )?(dau ra|tu dau)\b", cues):
        amount = False  # "làm bao nhiêu việc thế này thì tiền đâu ra?": where the money comes from
    if amount and (yes_no or agency or re.search(r"\b(gi|nao|bao gio|o dau|dau ra|tu dau|ra sao)\b|\bngoai may\b",
                                                 cues)) \
            and not en and not re.search(r"\b(bao nhieu|so luong|ty le)\b", cues):
        # "có tính đến chuyện sửa mấy văn bản … không?", "kinh phí làm mấy việc này ai lo?", "viện trợ của mấy
        # tổ chức … giao cho sở nào?", "Mặt trận với mấy đoàn thể … làm gì?", "kế hoạch nói gì về tiền viện trợ
        # của mấy tổ chức như bọn mình?": "mấy" is a plural
        amount = False
    unit = ""
    if amount and re.search(r"\b(percent(age)?|proportion|ty le|phan tram|rates?|ratio)\b|%", cues):
        unit = "%"  # a share, not a count: only a percentage answers it
    elif amount:
        # "mấy sở đó … bao nhiêu tiền": "mấy" before a demonstrative is a plural, not the count asked
        # "how many of the tasks": what follows "of the" is counted
        m = re.search(r"\b(?:bao nhieu|may(?! \w+(?: \w+)? (?:do|nay|ay|kia)\b)|so luong|how many|how much)\s+"
                      r"(?:of (?:the|these|those|its|their) )?((?:\w+(?:-\w+)?\s?){1,2})", cues)
        unit = m.group(1).strip() if m else ""
        # "phụ cấp bao nhiêu/tháng", "học phí là bao nhiêu": a sum of money named before the question word
        money = re.search(rf"\b({MONEY_NOUNS})\b(?: \w+){{0,3}}? (?:la |duoc |khoang |het |mat )?bao nhieu\b", cues)
        if money and not re.match(r"(ty|trieu|nghin|dong|tien|usd|vnd)\b", unit):
            unit = money.group(1)
        # "Ngân sách dành cho nhiệm vụ chăm sóc sức khỏe năm 2024 là bao nhiêu?": nothing is counted after the
        # question word, so what is measured is the sum of money the clause opens with, however far before
        money = None if unit else re.search(rf"\b({MONEY_NOUNS})\b[^?.;]*\bbao nhieu\b(?! \w)", cues)
        if money:
            unit = money.group(1)
    return Focus(
        agency=agency,
        role="coordinate" if coordinate else ("lead" if agency else ""),
        # "năm nào cũng lập" is every year, not which year
        time=has(_TIME_WH_VI, _TIME_WH_EN) and not re.search(r"\bhan che\b", cues) and not (
            not en and not _TIME_WH_VI.search(re.sub(rf"\b(nam|ngay|thang|luc|khi) {_EVERY}", " ", cues))) and not (
            en and (_WHEN_CLAUSE.search(cues) or _WHEN_INSIDE.search(cues) or _WHEN_DOING.search(cues))
            and not _TIME_WH_EN.search(re.sub(r"\bwhen\b", " ", _WHEN_CLAUSE.sub(" ", cues)))),
        amount=amount, unit=unit,
        yes_no=yes_no,
        choice=has(_CHOICE_VI, _CHOICE_EN) and (bool(agencies) or en),
        content=has(_CONTENT_WH_VI, _CONTENT_WH_EN),
        # "Is task 6 led by the Department of Health?" asks a role, however the English says "task … of"
        duty=(has(_DUTY_VI, _DUTY_EN) or bool(agencies) and has(_TERSE_DUTY_VI, _TERSE_DUTY_EN)) and not (
            en and bool(agencies) and yes_no and _ROLE_VERB_EN.search(cues) and not re.search(r"\bwhat\b", cues)),
        destination=has(_DESTINATION_VI, _DESTINATION_EN),
        report=has(_REPORT_VI, _REPORT_EN),
        listing=has(_LIST_VI, _LIST_EN),
        now=has(_NOW_VI, _NOW_EN),
    )


# Words that ask rather than name a topic, removed from what the retriever matches.
_ASKING = re.compile(
    r"\b(co quan|so|don vi|ban|nganh|ben|to chuc|cap|bo phan) nao\b|\b(nhung|cac) (co quan|so|don vi|ben|nganh) nao\b"
    r"|\bnhung ai\b|\bai la (nguoi|ben|don vi|co quan)\b|\bai\b"
    r"|\b(thuc hien|chu tri|phu trach|dam nhiem|dam nhan|chiu trach nhiem|lo|(?<!viec )lam|giao cho|"
    r"duoc giao|thuoc trach nhiem|trach nhiem cua|co trach nhiem|dau moi)( chung)?\b|\bco quan (thuc hien|phoi hop)\b"
    r"|\b(khi nao|bao gio|nam nao|ngay nao|bao nhieu|the nao|nhu the nao|ra sao|gom nhung gi|nhung gi|la gi|"
    r"lam gi|noi gi|de ra|yeu cau|giu vai tro|dong vai tro|(theo )?chu ky (nao|gi|bao lau))\b"
    r"|\bthuoc\b(?=( ve)? \w+( \w+)? (nao|gi)\b)"  # "thuộc nhiệm vụ nào", "thuộc lĩnh vực gì": where it belongs
    r"|(?<=\bai )(dung ra )?to chuc\b"  # "ai tổ chức?": who carries it out
    # "ai đứng đầu nhiệm vụ 6": heading a piece of work is leading it (heading a body asks a person)
    r"|\bdung dau\b(?= (cac |cai )?(nhiem vu|nv|viec|cong tac|noi dung|linh vuc|mang|hoat dong|chuong trinh)\b)")


@lru_cache(maxsize=1)
def _chat_words() -> tuple[tuple[re.Pattern, str], ...]:
    pairs = sorted(load_pairs("chat_words.tsv"), key=lambda p: -len(p[0]))
    # lower case (or capitalised, for words of two letters or more) only: "KH" is an abbreviation and "V" a
    # Roman part, while "kh" and "v" are chat spellings
    out = []
    for typed, written in pairs:
        forms = [typed] + ([typed.capitalize()] if len(typed) > 1 else [])
        alternatives = "|".join(re.escape(f) for f in forms)
        out.append((re.compile(rf"(?<![\w&-])(?:{alternatives})(?![\w&-])"), written))
    return tuple(out)


# "kh" typed for "kế hoạch" rather than "không": before "này", "đó", "của", after "trong", "theo", "các", or opening a
# question that ends in its own "không"/"ko" ("kh có áp dụng cho quận huyện ko")
_PLAN_KH = re.compile(r"(?<![\w&-])kh(?= (?:này|nay|đó|do|ấy|ay|của|cua|asean|ascc|tp|thành phố|thanh pho)\b)"
                      r"|(?:(?<=\btrong )|(?<=\btheo )|(?<=\bcủa )|(?<=\bcua )|(?<=\bcác )|(?<=\bcac )|(?<=\bbản )"
                      r"|(?<=\bban ))kh(?![\w&-])"
                      r"|^kh(?= (?:có|co)\b.*\b(?:không|khong|ko|k|hok|hông|kg|khg|chưa|chua)\W*$)", re.IGNORECASE)


def written_form(text: str) -> str:
    """Chat spellings as written words: "ko" → "không", "bao nhiu" → "bao nhiêu", "dc" → "được"."""
    text = _PLAN_KH.sub("KH", text)
    for pattern, written in _chat_words():
        text = pattern.sub(written, text)
    return text


_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_TELEX_LETTERS = (("dd", "đ"), ("uow", "ươ"), ("aa", "â"), ("ee", "ê"), ("oo", "ô"), ("aw", "ă"), ("ow", "ơ"),
                  ("uw", "ư"))


def _telex(word: str, accented: frozenset[str]) -> str | None:
    """A word whose marks were typed as Telex keys that the keyboard did not turn into marks ("truyeenf" →
    "truyền", "nhuwng" → "nhưng"), when it gives a written syllable."""
    low = word.lower()
    tone = _TELEX_TONES.get(low[-1], "") if len(low) > 2 else ""
    base = low[:-1] if tone else low
    for typed, letter in _TELEX_LETTERS:
        base = base.replace(typed, letter)
    if base == low:
        return None
    vowels = [i for i, ch in enumerate(base) if fold(ch) in "aeiouy"]
    candidates = [normalize(base[:i + 1] + tone + base[i + 1:]) for i in reversed(vowels)] if tone else [base]
    return next((c for c in candidates if c in accented), None)


def mended_slips(text: str, lex: Lexicon | None = None) -> str:
    """Typing slips in accented words that no Vietnamese syllable has: a doubled last letter ("nàyy",
    "ngườii"), two letters swapped ("lịhc"), the "n" of "-ng", "-nh" dropped ("nhữg") or their last letter, or that
    of "-ch" ("nhữn", "hoạc"), when the mended word is a syllable of the word list."""
    syls = _dictionary()[1]
    if not syls:
        return text

    vietnamese = has_diacritics(text)
    accented_syls = _accented_syllables()

    def mend(m: re.Match) -> str:
        word = m.group()
        if word.isupper():  # capitals are an abbreviation ("Sở NN&PTNT"), not a slip
            return word
        # with its marks, a word is checked as written: "hoạc" folds to the "hoac" of "hoặc", but no word is "hoạc"
        # (its tone mark where the word list puts it: "hoà" is "hòa")
        marked = has_diacritics(word) and bool(accented_syls)

        def is_word(w: str) -> bool:
            return normalize(w).lower() in accented_syls if marked else fold(w) in syls

        known, plain = is_word(word), not has_diacritics(word)
        # its marks typed as keys ("truyeenf", and in a question typed without marks "nv 9 cos gi"): read once,
        # for a word no syllable is spelt as or one that ends in a tone key
        typed = _telex(word, accented_syls) if plain and (not known or word[-1] in _TELEX_TONES) else None
        if known and not (word[-1] in _TELEX_TONES and typed):
            # no Vietnamese syllable ends in a Telex tone key: "cos" of a word list's loanwords is "có" typed
            # with its key left in ("nv 9 cos những hoạt động gì")
            return word
        doubled = [word[:-1]] if word[-1].lower() == word[-2].lower() else []
        # a consonant pressed twice inside a word ("chunng"); doubled vowels and "dd" are Telex marks
        inner = [word[:i] + word[i + 1:] for i in range(1, len(word) - 1)
                 if word[i].lower() == word[i - 1].lower() and word[i].lower() not in "aeiouyd"]
        if plain:  # "là aii?", "mục đích chunng" in a Vietnamese question: a doubled letter, or its marks typed
            # as keys (only Vietnamese questions reach here; a word that stays no syllable with its keys read stays)
            if typed:
                return typed.capitalize() if word[0].isupper() else typed
            short = doubled if len(word) <= 4 else []
            # the "n" of "-ng", "-nh" dropped ("mục tiêu chug"): no syllable ends in a bare "g" or "h" after a vowel
            dropped = [word[:-1] + "n" + word[-1]] if word[-1].lower() in "gh" and word[-2].lower() in "aeiouy" \
                else []
            if not vietnamese:  # in a question typed all without marks, only "-nh" for "-ng" or back ("ap dunh")
                return next((c for c in _ng_nh(word) if fold(c) in syls), word)
            return next((c for c in short + inner + dropped + _ng_nh(word) if fold(c) in syls), word)
        candidates = doubled + inner + _ng_nh(word)
        # two letters swapped, one of them a consonant: two vowels swapped ("Đàu" → "Đuà") change the word's marks,
        # which _mended_tones repairs with its neighbours ("Đầu tư")
        candidates += [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 2, -1, -1)
                       if not (fold(word[i]) in "aeiouy" and fold(word[i + 1]) in "aeiouy")]
        if word[-1].lower() in "gh" and word[-2].lower() not in "nc":  # the "n" of "-ng", "-nh" dropped ("nhữg")
            candidates.append(word[:-1] + "n" + word[-1])
        if word[-1].lower() in "cn":  # the last letter of "-ch", "-ng", "-nh" dropped ("hoạc", "nhữn")
            candidates += [word + "h", word + "g"]
        return next((c for c in candidates if is_word(c)), word)

    text = re.sub(r"[^\W\d_]{2,}", mend, text)
    return _mended_keys(_mended_tones(text, lex), lex) if lex is not None else text


def _ng_nh(word: str) -> list[str]:
    """"-nh" typed for "-ng" or back, the keys side by side ("dunh" → "dung", "xing" → "xinh"): the other ending, when
    the vowel before cannot take the one typed (no syllable ends in "unh", "onh" or "ing")."""
    low = fold(word).lower()
    if re.search(r"[uo]nh$", low):
        return [word[:-1] + ("G" if word[-1].isupper() else "g")]
    if low.endswith("ing"):
        return [word[:-1] + ("H" if word[-1].isupper() else "h")]
    return []


# a syllable whose vowel is a lone "i" or "y" after a consonant: spelt either way ("kì"/"kỳ", "lí"/"lý", "mĩ"/"mỹ",
# "quí"/"quý", "tỉ"/"tỷ")
_I_OR_Y = re.compile(r"(?i)^(?:ch|kh|ph|th|qu|[hklmst])[iy]$")
_SWAP_I_Y = str.maketrans("iyIY", "yiYI")


def with_documents_i_or_y(text: str, lex: Lexicon) -> str:
    """"Đánh giá giữa kì" → "giữa kỳ": a syllable spelt with "i" where the documents spell it with "y", or
    the other way, when they never write it as typed. Both spellings are correct Vietnamese; only one is
    found in the text."""
    def spelt(m: re.Match) -> str:
        word = m.group()
        if not _I_OR_Y.match(fold(word)) or word.isupper():
            return word
        other = normalize(unicodedata.normalize("NFD", word).translate(_SWAP_I_Y))
        if has_diacritics(word):
            typed, found = lex.unigrams.get(word.lower(), 0), lex.unigrams.get(other.lower(), 0)
        else:
            typed, found = lex.df.get(fold(word).lower(), 0), lex.df.get(fold(other).lower(), 0)
        return other if found and not typed else word

    return re.sub(r"[^\W\d_]+", spelt, text)


@lru_cache(maxsize=1)
def _accented_syllables() -> frozenset[str]:
    """Every syllable of the Vietnamese word list as written (lower case, with its diacritics)."""
    return frozenset(w for line in _word_list() for w in _W.findall(normalize(line).lower()))


def _mended_tones(text: str, lex: Lexicon) -> str:
    """A word typed with a wrong or missing mark in an accented question ("tổ chưc", "thàng phố"), which no
    Vietnamese syllable is written as: the form the documents use there, chosen with its neighbours."""
    valid = _accented_syllables()
    if not valid or not has_diacritics(text):
        return text
    words = list(re.finditer(r"[^\W\d_]+", text))
    out, last = [], 0
    for i, m in enumerate(words):
        word = m.group()
        # a syllable Vietnamese has but the documents never write ("văn nghê") is mended only into a pair they
        # do write with its neighbour ("văn nghệ"); "kết hôn" has no such pair and stays as typed
        written = word.lower() in valid
        if (written and lex.unigrams.get(word.lower())) or not is_vietnamese_syllable(fold(word)) \
                or fold(word) not in lex.forms or word.isupper():
            continue
        window = [words[j].group() for j in (i - 1, i + 1) if 0 <= j < len(words)]
        before = [window[0]] if i > 0 else []
        restored = restore_diacritics(" ".join([*before, fold(word), *window[len(before):]]), lex).split()
        fixed = restored[len(before)] if len(restored) > len(before) else word
        if written and not _mends_a_word(word, fixed, before, window[len(before):], lex):
            continue
        out.append(text[last:m.start()] + (fixed.capitalize() if word[0].isupper() else fixed))
        last = m.end()
    return "".join(out) + text[last:]


def _mends_a_word(typed: str, fixed: str, before: list[str], after: list[str], lex: Lexicon) -> bool:
    """Whether a syllable as typed makes no word with its neighbours and as mended makes one the documents write
    ("văn nghê" → "văn nghệ"; "Đà Nẵng", "ủng hộ" are words as typed, "sách bảo" no word)."""
    words = _dictionary()[2]
    pairs = [(b.lower(), None) for b in before] + [(None, a.lower()) for a in after]

    def word_with(w: str, bigram: bool) -> bool:
        w = w.lower()
        return any(f"{b or w} {a or w}" in words and (not bigram or lex.bigrams.get((b or w, a or w)))
                   for b, a in pairs)

    return not word_with(typed, False) and word_with(fixed, True)


# Letters next to each other on a QWERTY keyboard (Telex and VNI are typed on one): a finger that slips
# lands on a neighbour ("thàng phố" for "thành phố")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEAR_KEYS = {ch: {row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)} | {
    other[i + d] for other in _KEYBOARD_ROWS if other != row for d in (-1, 0, 1) if 0 <= i + d < len(other)
    and abs(_KEYBOARD_ROWS.index(other) - _KEYBOARD_ROWS.index(row)) == 1}
    for row in _KEYBOARD_ROWS for i, ch in enumerate(row)}


# final consonants that sound alike in the South and are typed for each other ("văn bảng" for "văn bản")
_FINAL = re.compile(r"(ng|nh|n|ch|c|t)$")
_FINAL_SWAPS = {"n": ("n", "ng", "nh"), "ng": ("n", "ng", "nh"), "nh": ("n", "ng", "nh"),
                "c": ("c", "t", "ch"), "t": ("c", "t", "ch"), "ch": ("c", "t", "ch")}


def _mended_keys(text: str, lex: Lexicon) -> str:
    """A syllable the documents never write, one key off a syllable they do write next to the same
    neighbour ("thàng phố" → "thành phố"), or with a last consonant that sounds alike ("văn bảng" → "văn
    bản"): only when the documents hold that pair, so a word they lack ("kết hôn") stays as typed."""
    words = list(re.finditer(r"[^\W\d_]+", text))
    out, last = [], 0
    for i, m in enumerate(words):
        word = m.group()
        low = word.lower()
        if low in lex.unigrams or word.isupper() or len(low) < 2:
            continue
        before = words[i - 1].group().lower() if i > 0 else ""
        after = words[i + 1].group().lower() if i + 1 < len(words) else ""
        final = _FINAL.search(low)
        candidates = [low[:final.start()] + f for f in _FINAL_SWAPS[final.group()] if f != final.group()] \
            if final else []
        candidates += [low[:k] + near + low[k + 1:] for k, ch in enumerate(low) for near in _NEAR_KEYS.get(ch, ())]
        best, best_count = "", 0
        for cand in candidates:
            count = lex.bigrams.get((before, cand), 0) + lex.bigrams.get((cand, after), 0)
            if count > best_count:
                best, best_count = cand, count
        if best_count >= 2:
            out.append(text[last:m.start()] + (best.capitalize() if word[0].isupper() else best))
            last = m.end()
    return "".join(out) + text[last:]


# "ND" is "người dân" ("hỗ trợ ND"), but the "nội dung" of a task where it is what something holds or has a
# kind or a number: "NV 8 gồm mấy ND chính?", "ND gì", "ND của NV 3", "ND cụ thể", "Mục II (ND hoạt động)",
# "ND 9 của KH" (the items of part II, "Nội dung hoạt động", are numbered; people are not)
_CONTENTS_ND = re.compile(r"\b((?:gồm|gom) (?:(?:có|co) )?(?:(?:mấy|may|những|nhung|các|cac) )?)(?:ND|nd)\b"
                          r"|(?<![\w&-])(?:ND|nd)(?= (?:gì|gi|chính|chinh|nào|nao|của|cua|cụ thể|cu the|hoạt động|"
                          r"hoat dong|\d{1,2}(?:\.\d{1,2})*(?!\w|\.\d|/))\b)")
# typed without marks, "ho" opening a clause is "họ" (they) unless it begins a word ("ho tro", "ho ngheo"):
# "ho phoi hop voi ai", "the ho lam gi"
_THEY = re.compile(r"(?:^|(?<=[,.;?!] )|(?<=\b(?:the|con|vay|roi|thi) ))[Hh]o (?=(\w+))")


# typed without marks, "con" after "thế"/"vậy" opening a clause is "còn" (what about), not a child: "the con
# giam ngheo thi so nao lam", "vay con du lich?"
_WHAT_ABOUT = re.compile(r"(?:^|(?<=[,.;?!] ))([Tt]he|[Vv]ay|[Tt]hi|[Rr]oi) con (?=\w)")


def _they(m: re.Match) -> str:
    return m.group(0) if f"ho {fold(m.group(1))}" in _dictionary()[0] else "họ "


# a word typed against the number after it: "NV6", "nhiệm vụ6", "task6", "mục2.1"
_GLUED_NUMBER = re.compile(r"(?<![\w/.&-])([^\W\d_]{2,})(\d{1,2}(?:\.\d{1,2})*)(?![\w/])")


# "NV 6 do SYT chủ trì à?": a statement put for confirmation, as "… hả?" puts it ("ạ" is politeness, not asking)
_CONFIRMING = re.compile(r"(?<=\w )à\s*\?\s*$", re.IGNORECASE)
_ASKS_OR_PAUSES = re.compile(r"[,;:]|\b(nào|gì|ai|đâu|sao|bao nhiêu|mấy|bao giờ|thế nào)\b", re.IGNORECASE)


def read(question: str, lex: Lexicon, facts: Facts, parts: dict[str, str], restore: bool = True) -> Question:
    """Read one question (and, when it asks several things, each of its clauses)."""
    original = _GLUED_NUMBER.sub(r"\1 \2", normalize(question))
    if not _ASKS_OR_PAUSES.search(original):
        original = _CONFIRMING.sub("hả?", original)
    contents = "nội dung" if has_diacritics(original) else "noi dung"
    original = _CONTENTS_ND.sub(lambda m: f"{m.group(1) or ''}{contents}", original)
    # typed without marks: chat spellings written out ("ko" → "không") bring marks the rest still lacks
    plain = not has_diacritics(original)
    if plain:
        original = _WHAT_ABOUT.sub(r"\1 còn ", _THEY.sub(_they, original))
    if not is_english(original, lex):
        original = with_documents_i_or_y(mended_slips(written_form(original), None if plain else lex), lex)
    lang = "en" if is_english(original, lex) else "vi"
    scene, rest = _told_sentences(original, lang)
    if scene:
        # "Mình làm văn phòng ở UBND xã, sếp vừa giao viết báo cáo mà mình mù tịt. Báo cáo năm nộp trước ngày nào,
        # gửi về đâu?": whole sentences that tell, before those that ask, are the asker's story; when what is
        # asked stands on its own, the story's bodies, times and words are not asked about
        asked = read(rest, lex, facts, parts, restore)
        if _stands_alone(asked, rest):  # (what the story tells still helps find the passage)
            return replace(asked, topic=f"{scene} {asked.topic}")
    told = original  # with who is asking, if they said so first
    preface, unprefaced = split_preface(original, lang)
    original = without_plan_name(without_remark(unprefaced, lang, lex), lang)
    whole = _read_one(original, lang, lex, facts, parts, restore, plain)
    if len(preface.split()) >= 3:
        # "Tôi là sinh viên muốn xin học bổng đi Singapore, …": who asks may say what about; its concepts need
        # not be in the answer, unless the question's own are too few to stand without them
        own = _read_one(preface, lang, lex, facts, parts, restore, plain).content_terms
        whole = replace(whole, told_terms=tuple(t for t in own if t not in whole.content_terms))
    purpose = _PURPOSE.search(original)
    if purpose and read_focus(_cue_text(original[:purpose.start()], lang), lang, ()).kinds \
            and not read_focus(_cue_text(purpose.group(1), lang), lang, ()).kinds:
        # "…, để phỏng vấn cho đúng người.", "…, so that I can brief my team": why the asker asks, after what they
        # ask; its concepts need not be in the answer, nor does it say what is asked ("…, để bên em liên hệ phối hợp")
        head = _read_one(original[:purpose.start()], lang, lex, facts, parts, restore, plain)
        told_terms = tuple(t for t in whole.content_terms if t not in head.content_terms)
        whole = replace(whole, told_terms=tuple(dict.fromkeys(whole.told_terms + told_terms)), focus=head.focus)
    # a body's English name holds "and" ("Department of Planning and Investment"): never split inside it
    clauses = split_clauses(english_agency_names(original) if lang == "en" else original, lang)
    if len(clauses) == 1 and lang == "vi":
        clauses = tasks_each(original)
    if len(clauses) > 1:
        read_clauses = tuple(_read_one(c, lang, lex, facts, parts, restore, plain) for c in clauses)
        # "… có bao nhiêu chỉ tiêu, là những chỉ tiêu nào?": a clause that opens with its verb has the subject of
        # the clause before, whose concepts it keeps beside its own
        read_clauses = read_clauses[:1] + tuple(
            replace(c, content_terms=tuple(dict.fromkeys(before.content_terms + c.content_terms)))
            if _NO_SUBJECT_VI.match(fold(text).lower()) and lang == "vi" and c.has_topic and not c.agencies else c
            for before, c, text in zip(read_clauses, read_clauses[1:], clauses[1:]))
        # a clause without a topic of its own ("… và khi nào?") is about the whole question's topic
        # ("… nhiệm vụ đó gồm những gì?" refers to what the clause before answered, not to the whole question)
        # a later clause that points back ("… and where do we submit it?") is about the clause before, even
        # with words of its own
        read_clauses = tuple(
            (replace(c, borrowed_topic=True) if i and c.refers_to_task and not c.agencies else c)
            if c.has_topic or c.agencies else replace(c, borrowed_topic=True) if c.refers_to_task else replace(
                c, topic=whole.topic, content_terms=() if _own_work_back(c) else whole.content_terms,
                task_number=whole.task_number, part=whole.part, agencies=whole.agencies, folded=whole.folded,
                section=whole.section, borrowed_topic=True)
            for i, c in enumerate(read_clauses))
        if len({c.focus.kinds for c in read_clauses}) > 1 or any(c.has_topic for c in read_clauses[1:]):
            whole = replace(whole, clauses=read_clauses)
    scene, asked_text = ("", "") if whole.clauses else _story(original, lang) if lang == "vi" else _story_en(original)
    about_asker = _REFERS_TO_ASKER.search(scene) or (plain and _REFERS_TO_ASKER_FOLDED.search(scene))
    if scene and (about_asker or told != original or scene.endswith((".", "!"))):
        # "Ông nhà tôi ốm nằm một chỗ mấy năm nay, bên nhà nước có lo gì cho … người già không?", "Làm ở khu
        # công nghiệp, ngày nào cũng hít bụi. Kế hoạch có quan tâm tới bệnh do công nghiệp gây ra không?", "I use
        # a wheelchair. Does the plan …?": the words by which the asker tells their own story (or a whole
        # sentence of it) are no concepts the answer must hold, when the question has enough of its own
        asked = _read_one(asked_text, lang, lex, facts, parts, restore, plain)
        # "… mà không hiểu. Cô nói giùm kế hoạch này nói về cái gì vậy?": what the whole plan is about
        about_plan = not asked.content_terms and (_ABOUT_PLAN_VI.search(fold(asked_text).lower()) or (
            _IT_IS_WHAT.search(fold(asked_text).lower()) and re.search(r"\b(ke hoach|van ban)\b", fold(scene).lower())))
        # "bên mình là Sở Ngoại vụ, đang làm BC, ko biết KH giao sở mình những nhiệm vụ nào?": the duties of
        # the body the story named, with no topic of their own
        own_duties = whole.agencies and asked.focus.duty and not asked.content_terms
        if (len(asked.content_terms) >= 2 or about_plan or own_duties) and asked.focus.kinds:
            whole = replace(whole, content_terms=asked.content_terms, focus=asked.focus)
        elif about_asker:
            # "Con em là sinh viên muốn đi tình nguyện, kế hoạch có khuyến khích không?": the topic is in the story
            # ("tình nguyện"); who the asker is ("con em", "sinh viên") need not be in the answer
            told_terms = tuple(t for t in whole.content_terms if t not in asked.content_terms)
            whole = replace(whole, told_terms=tuple(dict.fromkeys(whole.told_terms + told_terms)))
    numbers = tasks_named(original, facts)
    if len(numbers) > 1 and not whole.clauses:  # "nhiệm vụ 5 và 9 do ai thực hiện?": the same asked of each
        whole = replace(whole, task_number=numbers[0], section=None,
                        clauses=tuple(replace(whole, task_number=n, section=None) for n in numbers))
    named_parts = parts_named(fold(original).lower(), parts)
    if len(named_parts) > 1 and not whole.clauses:  # "Mục III và mục IV nói về gì?": the same asked of each
        terms = tuple(t for t in whole.content_terms if not _ROMAN.match(t.upper()))
        whole = replace(whole, part=named_parts[0], content_terms=terms, section=None,
                        clauses=tuple(replace(whole, part=p, content_terms=terms, section=None) for p in named_parts))
    return whole


def _own_work_back(c: Question) -> bool:
    """"…, sở này làm những nhiệm vụ nào?": all the work of the body just named, not the topic of the clause before."""
    return c.refers_to_agency and c.focus.duty and not c.refers_to_task


# a clause that opens with its verb, without a subject of its own ("là những gì", "gồm những ai")
_NO_SUBJECT_VI = re.compile(r"\W*(va |con )?(la|gom|bao gom|cu the la) ")
_PART_LIST = re.compile(r"\b(?:phan|muc|part|section)s? ([ivx]{1,4})((?:\s*(?:,|va|and|&|hoac|or|voi|cung)\s*"
                        r"(?:(?:phan|muc|part|section) )?[ivx]{1,4}\b)+)")


def parts_named(folded: str, parts: dict[str, str]) -> list[str]:
    """The Roman parts a question names together ("mục III và mục IV", "parts III and IV"), in its order;
    only parts the documents have."""
    m = _PART_LIST.search(folded)
    if not m:
        return []
    named = [m.group(1).upper()] + [r.upper() for r in re.findall(r"\b[ivx]{1,4}\b", m.group(2))]
    return list(dict.fromkeys(named)) if all(r in parts for r in named) else []


_INCLUDING = re.compile(r"\b(ke ca|bao gom ca|tinh ca|including|also in|as well as) (o |trong |the )?(phan|muc|part|"
                        r"section)\b|\bboth (in |on )?(the )?[\w'-]+( [\w'-]+)? (part|section)\b")


# the districts named as the subject of a duty, by place rather than by body
_DISTRICT_BODY = "uy ban nhan dan quan huyen"
_DISTRICTS_VI = re.compile(r"(?:^|\b(?:con|the|vay|thi|rieng|cho|cua) )(?:o |ben |cac |phia )?(?:cap )?"
                           r"quan(?: ,)? huyen\b(?! nao)"
                           # "Quận em phải làm gì?": the asker's own district
                           r"|\b(?:quan|huyen) (?:em|minh|toi|tui|chung toi|chung em)\b")
# "phòng văn hóa quận", "Phòng LĐTBXH huyện": a district's specialised office, one of its People's Committee's units
_DISTRICT_OFFICE_VI = re.compile(r"\bphong (?!chong\b)(\w+ ){1,8}?(cua |cap |o |thuoc |tai )?(cac )?(quan|huyen)\b"
                                 r"(?! nao)")
_DISTRICT_OFFICE_EN = re.compile(r"\bdistrict(-level)? (\w+ ){0,3}(office|division|bureau|unit)s?\b")
_DISTRICTS_EN = re.compile(r"\bdistricts?(?:-level)? (?:governments?|authorities|administrations?|level|leaders?)\b"
                           r"|\b(?:what|how) (?:about )?(?:the )?districts\b|\b(?:our|my) district\b")


# "cái kế hoạch ASEAN này", "KH ASCC của TP": the plan called by the community it serves, no topic
_PLAN_BY_PILLAR_VI = re.compile(r"\bke hoach (asean|cong dong van hoa (- )?xa hoi asean)(?= (nay|do|ay|cua)\b)")
# "nó là cái gì vậy?" after a story that names the plan ("… có đăng cái kế hoạch asean, đọc hổng hiểu, …")
_IT_IS_WHAT = re.compile(r"^(the |vay )?(no|cai do|cai nay)( thi)? (la|noi ve|ve) (cai |dieu |chuyen )?gi\b")
_ABOUT_PLAN_VI = re.compile(r"\bke hoach (nay |do |ay )?(noi ve|la ve|la noi ve|la|ve) (cai |dieu |chuyen )?gi\b"
                            r"|\b(cai|van ban|tai lieu)( nay| do| ay)? la (ke hoach|van ban|cai) gi\b")


# a purpose the asker adds after a comma, at the end: "…, để (em) phỏng vấn cho đúng người", "…, so (that) I can …"
_PURPOSE = re.compile(r"[,;]\s*(?:để|de|nhằm|nham|so that|so I can|so we can|in order to)\s+([^?,;]{3,80}?)[.!?\s]*$",
                      re.IGNORECASE)


# "Công nhân như tụi tui thì kế hoạch có gì …", "người già như tôi thì …": who asks, as the topic of the sentence
_LIKE_ME = re.compile(r"^([^,;:.!?]{2,60}?\b(?:như|nhu) (?:tụi |tui |bọn |bon |chúng |chung |những người |)"
                      r"(?:tui|tôi|toi|em|mình|minh|tao|tớ)\b(?: \w+)? (?:thì|thi))(?= )", re.IGNORECASE)


# words that ask nothing in a sentence that tells: "ngày nào cũng …", "kế hoạch gì đó", and what the asker does not
# know ("… mà chả hiểu để làm gì.", "không biết ai lo."), asked in the sentence after
_NOT_ASKING = re.compile(rf"\b{_EVERY}|\b(gi|nao|ai|dau) do\b|\b(khong|cha|chang|chua) (hieu|biet|ro)\b.*")


def _told_sentences(text: str, lang: str) -> tuple[str, str]:
    """The whole sentences, closed by a full stop, that ask nothing before the first that asks, and the rest."""
    sentences = re.split(r"(?<=[.!])\s+", text.strip())
    for i, sentence in enumerate(sentences):
        if i == len(sentences) - 1 or not sentence.endswith((".", "!")) or (
                _ASKS_EN.match(sentence) if lang == "en" else
                read_focus(_NOT_ASKING.sub(" ", _cue_text(sentence, lang)), lang, ()).kinds):
            return (" ".join(sentences[:i]), " ".join(sentences[i:])) if i else ("", "")
    return "", ""


_TOLD_BACK = re.compile(r"\b(viec|chuyen|van de|dieu|cai|linh vuc|mang|vu|quyet dinh|nghi quyet|de an|chuong trinh|"
                        r"chinh sach|hoat dong) (nay|do|ay|kia)\b"
                        r"|\b(that|those|these) \w+|\bthis (?!plan\b|year\b)\w+|\babout (this|that|it)\b|\bit\b")


def _stands_alone(asked: Question, text: str) -> bool:
    """What is asked has a subject of its own, not only the asker's ("sở mình", "bên em") or the story's."""
    if not asked.focus.kinds or _REFERS_TO_ASKER.search(text) and not asked.content_terms \
            or asked.refers_to_task or _TOLD_BACK.search(fold(text).lower()):
        return False  # "… Kế hoạch nói gì về việc này?": what the story told is the topic
    return (len(asked.content_terms) >= 2 or asked.focus.listing
            or bool(asked.task_number or asked.part or asked.section or asked.agencies)
            or sum(len(c.content_terms) for c in asked.clauses) >= 2)


def _story(text: str, lang: str) -> tuple[str, str]:
    """The clauses and sentences before the first that asks anything (three words or more), and the rest:
    "Tôi làm tạp vụ trong viện, ngày nào cũng thấy … Kế hoạch có nói gì về …?" → the story, the question."""
    pieces = re.split(r"(?<=[,;:.!])\s+", _LIKE_ME.sub(r"\1,", text.strip()))
    for i, piece in enumerate(pieces):
        if piece.endswith((".", "!")) and i < len(pieces) - 1:
            continue  # a sentence closed by a full stop, with more after it, tells ("… tôi chẳng biết tin ai.")
        # "ngày nào cũng thấy …" tells what happens every day: "nào … cũng" asks nothing, nor does "gì đó"
        # ("nghe đài nói kế hoạch gì đó mà không hiểu": some plan)
        if read_focus(re.sub(rf"\b{_EVERY}|\b(gi|nao|ai|dau) do\b", " ", _cue_text(piece, lang)), lang, ()).kinds:
            # the question's sentence is asked whole ("… chèo. Hoạt động văn hóa, văn nghệ … là sở nào làm?")
            ends = [j for j in range(1, i + 1) if pieces[j - 1].endswith((".", "!"))]
            i = ends[-1] if ends else i
            scene = " ".join(pieces[:i])
            return (scene, " ".join(pieces[i:])) if len(scene.split()) >= 3 else ("", "")
    return "", ""


_ASKS_EN = re.compile(r"^(?:and |so |but )?(?:what|which|who|whom|whose|when|where|why|how|is|are|does|do|did|can|"
                      r"could|will|would|should|has|have|please|tell)\b", re.IGNORECASE)


def _story_en(text: str) -> tuple[str, str]:
    """In English, the whole sentences about the asker ("I use a wheelchair.") before the first that asks."""
    sentences = re.split(r"(?<=[.!])\s+", text.strip())
    for i, sentence in enumerate(sentences):
        if sentence.endswith("?") or _ASKS_EN.match(sentence):
            scene = " ".join(sentences[:i])
            # "I use a wheelchair.", "JICA project officer here.": the asker telling who they are
            about_asker = _REFERS_TO_ASKER.search(scene) or re.search(r"\bI\b|\bhere[.!]", scene)
            return (scene, " ".join(sentences[i:])) if about_asker else ("", "")
    return "", ""


# several tasks named in one breath: "nhiệm vụ 5 và 9", "NV 2, NV 3", "tasks 4 and 7"; a point ("6.2") is
# not a task
_TASK_WORD = r"(?:nhiem vu|nv|tasks?)\s+(?:so\s+)?"
_TASK_LIST = re.compile(rf"\b{_TASK_WORD}(\d{{1,2}})(?![.,]\d)((?:\s*(?:,|va|and|&|hoac|or|voi|cung)\s*"
                        rf"(?:{_TASK_WORD})?\d{{1,2}}\b(?![.,]\d))+)")


# "nhiệm vụ cộng đồng bền vững và nhiệm vụ cộng đồng năng động lần lượt do sở nào thực hiện?": two tasks
# named by their words, then one thing asked of each
_TASKS_EACH = re.compile(r"^(?P<a>(?:nhiệm vụ|nhiem vu|nv)\s.+?)\s*(?:,|\svà|\sva|\svới|\svoi)\s+"
                         r"(?P<b>(?:nhiệm vụ|nhiem vu|nv)\s.+?)\s+(?P<asked>(?:(?:lần lượt|lan luot|mỗi|moi)\s+)?"
                         r"(?:do|thì|thi|là|la|được|duoc|có|co|gồm|gom|phải|phai|giao)\s.*)$", re.IGNORECASE)


def tasks_each(text: str) -> list[str]:
    """The same question asked of each of two tasks named by their words, one clause each."""
    m = _TASKS_EACH.match(text.strip())
    if not m or re.search(r"\d", m.group("a") + m.group("b")):
        return [text]  # tasks by number: tasks_named
    asked = re.sub(r"^(lần lượt|lan luot|mỗi|moi)\s+", "", m.group("asked"), flags=re.IGNORECASE)
    return [f"{m.group('a')} {asked}", f"{m.group('b')} {asked}"]


def tasks_named(text: str, facts: Facts) -> list[str]:
    """The numbers of the tasks a question names together, in its order; only numbers of real tasks."""
    m = _TASK_LIST.search(fold(text).lower())
    if not m:
        return []
    numbers = [m.group(1)] + re.findall(r"\d{1,2}", m.group(2))
    known = {t.number for t in facts.tasks}
    return list(dict.fromkeys(numbers)) if all(n in known for n in numbers) else []


# Who is asking, said before the question: "As an NGO officer, I'd like to know: …", "Tôi làm ở một doanh
# nghiệp, cho hỏi …". It is context, not the topic, unless the question refers back to it ("my", "bên tôi").
_PREFACE_EN = re.compile(r"^(?:(?:hi|hello|dear \w+)[,!.]?\s+)?(?:i am|i'm|i work|as an?|we are|we work|our)\b"
                         r"[^:.;?]*?(?:[:.;]|,(?=\s*(?:i'd like|i would like|could you|can you|please|what|which|who|"
                         r"when|where|how|is|are|does|do)\b))\s*(?:(?:i'd|i would) like to know|could you tell me|"
                         r"can you tell me|please tell me)?[:,]?\s*", re.IGNORECASE)
_PREFACE_VI = re.compile(r"^(?:(?:chào|xin chào) [^,.!]*[,.!]\s*)?(?:tôi|mình|em|chúng tôi|cháu)\s+(?:là|làm|đang|"
                         r"công tác|ở|sống|mới|vừa|được|chưa|có|về hưu|nghỉ hưu|đã)\b[^:.;?]*?[:.;,]\s*"
                         r"(?:(?:cho|xin|muốn|cần) (?:tôi |mình |em )?hỏi\s*"
                         r"(?:là|chút|một chút|với)?\s*[:,]?\s*)?", re.IGNORECASE)
_REFERS_TO_ASKER = re.compile(r"\b(my|our|we|us|mine)\b|\b(tôi|tui|tớ|mình|em|chúng tôi|bên tôi|bên mình|bên em|"
                              r"phòng tôi|đơn vị tôi|cơ quan tôi|chỗ tôi)\b", re.IGNORECASE)


# the same, typed without marks ("e lam cong nhan o KCN, …": "e" is "em")
_REFERS_TO_ASKER_FOLDED = re.compile(r"^(e|em|toi|minh|chau|tui)\b|\b(toi|tui|chung toi|ben toi|ben minh|ben em|"
                                     r"nha toi|nha minh|nha em|con toi|chau toi)\b", re.IGNORECASE)


# "chuyển chủ đề chút: …", "Switching topics: …": a turn that announces a new topic; matched folded (so
# "chuyen sang chuyen khac: …" too), and the match cuts the text as typed
_SWITCH_MARK = re.compile(r"^(?:(?:chuyen|doi)(?: sang| qua)? (?:chu de|chuyen|van de)(?: khac)?"
                          r"|(?:chuyen|doi) (?:sang|qua)"  # "chuyển qua chút: …"
                          r"|hoi (?:them|chuyen khac)"
                          r"|switching (?:the )?(?:topics?|subject)|changing (?:the )?(?:topic|subject)"
                          r"|on (?:another|a different) (?:topic|note)|(?:a )?(?:different|new|another|separate) "
                          r"(?:question|topic|thing|matter|subject)|one more (?:thing|question)|(?:viec|chuyen) khac)"
                          r"(?: (?:mot chut|mot ti|mot xiu|chut|ti|xiu|nhe|nha|a))*\s*[:,.!–-]+\s*")


# "cho em hỏi chút, …", "ad ơi cho mình hỏi …", "xin hỏi: …": asking to ask, matched folded (so "cho em hoi"
# too); folding keeps a composed text's length, so the match cuts the text as typed
_ASKING_PREFACE_VI = re.compile(
    r"^(?:(?:ad|admin|anh|chi|em|ban|bot|a|shop|moi nguoi)(?: \w+)? oi\s*[,!.]?\s*)?"
    r"(?:(?:cho|xin|de|cho phep)\s+(?:(?:em|minh|toi|chau|to|tui|chung toi)\s+)?"
    r"|(?:em|minh|toi|chau|to|tui|chung toi)\s+(?:xin\s+|muon\s+|can\s+)?)"
    r"hoi(?: (?:chut|ti|xiu|voi|mot chut|mot cau|nhanh|cai|la|nhe|nha|a))*\s*[:,.!]?\s+"
    # "hỏi nhanh: …", "hỏi chút, …": no one named
    r"|^hoi(?: (?:chut|ti|xiu|nhanh|mot chut|mot cau|cai|nhe|nha|phat))+\s*[:,.!]\s+"
    # "bên CA tp hỏi chút: …": who asks, by where they work
    r"|^(?:ben|phia) (?:[\w&-]+ ){1,4}(?:xin |muon |can )?hoi(?: (?:chut|ti|xiu|voi|mot chut|mot cau|nhanh|cai))*"
    r"\s*[:,.!]\s+"
    # an official's "Đề nghị cho biết / liệt kê …": a request to answer, not the plan's "đề nghị" of a body
    r"|^(?:kinh )?de nghi\s+(?=(?:cho biet|liet ke|neu ro|neu|ke|tom tat|giai thich|tra loi|thong tin)\b)"
    r"|^(?:ad|admin|anh|chi|em|ban|bot|moi nguoi)(?: \w+)? oi\s*[,!.]?\s+"
    # a call before the question: "ê bot, …", "alo ad, …", "chào bạn, …"
    r"|^(?:e|alo|chao|xin chao|hi|hello|hey|nay)(?:\s+(?:ad|admin|bot|ban|anh|chi|em|a|moi nguoi|ca nha))?\s*[,!.]\s*"
    # how to tell it, before a colon that asks nothing itself: "Nói cho thính giả dễ nhớ: …", "giải thích ngắn gọn
    # giúp mình: …" (not "Kế hoạch này là văn bản của cấp nào: …")
    r"|^(?:(?:hay|vui long|lam on)\s+)?(?:noi|giai thich|tra loi|ke(?! hoach)|viet|dien giai)\b"
    r"(?:(?!\b(?:nao|gi|ai|dau|bao nhieu|may|khong|sao)\b)[^:?]){0,50}:\s*")


_ASKING_PREFACE_EN = re.compile(
    r"^(?:(?:hi|hello|hey|dear \w+|good (?:morning|afternoon|evening))(?: there)?[,!.]?\s+)?"
    r"(?:(?:could|can|would) you (?:please )?(?:tell me|let me know|explain)|please tell me|quick question"
    r"|i(?:'d| would) like to (?:know|ask)|i want to (?:know|ask)|i wonder(?:ed)?)"
    r"(?:\s*[:,.]\s*|\s+(?=(?:who|what|which|when|where|how|is|are|does|do|did|whether|if)\b))", re.IGNORECASE)


# the plan named by its pillar or city after "kế hoạch" ("trong kế hoạch ASCC", "KH thực hiện mục tiêu Cộng đồng Văn
# hóa - Xã hội ASEAN", "kế hoạch của thành phố Hải Phòng"): the plan itself, whose name is no topic
_PLAN_NAME = (re.compile(r"\b(ke hoach|kh)( trien khai)?( thuc hien)?( cac)?( muc tieu)?( cua)? "
                         r"(ascc|asean|cong dong van hoa\W{0,3}xa hoi asean|cd ?vh\W?xh asean)\b"),
              # "KH của UBND TP HP": the committee that issued it, no body asked about
              re.compile(r"\b(ke hoach|kh|van ban)( nay| do)? (cua|tai|o) ((ubnd|uy ban nhan dan|uy ban) )?"
                         r"(thanh pho( hai phong)?|tp( hai phong| hp)?|hai phong|hp)\b"))


# the same in English: "this ASEAN socio-cultural plan", "Hai Phong's plan for the ASEAN Socio-Cultural Community"
# (each pattern with what it leaves: "Hai Phong's plan" is "the plan")
_PLAN_NAME_EN = (
    (re.compile(r"\b(?:hai ?phong's|the city's|haiphong's) (?=(?:[\w-]+ ){0,3}plan\b)", re.IGNORECASE), "the "),
    (re.compile(r"\b(?:(?:the )?asean )?(?:socio-cultural|ascc|asean)(?: community)? (?=plan\b)", re.IGNORECASE), ""),
    (re.compile(r"(?<=\bplan) (?:for|on|about|of) (?:the )?(?:asean socio-cultural community|ascc"
                r"|asean (?:socio-cultural )?community)(?: goals)?(?: in hai ?phong)?\b", re.IGNORECASE), ""),
)


def without_plan_name(text: str, lang: str) -> str:
    """"Nhiệm vụ X trong kế hoạch ASCC giao cho sở nào?" is "… trong kế hoạch giao cho sở nào?": the
    pillar's or the city's name would pull the passages that repeat it ahead of task X's own."""
    if lang == "en":
        shorter = text
        for pattern, left in _PLAN_NAME_EN:
            shorter = pattern.sub(left, shorter)
        shorter = re.sub(r"\b(the|this|our|its) the\b", r"\1", shorter, flags=re.IGNORECASE)
        return shorter if len(shorter.split()) >= 4 else text
    for pattern in _PLAN_NAME:
        low = fold(text).lower()
        m = pattern.search(low) if len(low) == len(text) else None
        if m:
            shorter = text[:m.start() + len(m.group(1))] + text[m.end():]
            text = shorter if len(shorter.split()) >= 4 else text
    return text


def without_preface(text: str, lang: str) -> str:
    """The question without who is asking, when the rest asks on its own (three words or more)."""
    return split_preface(text, lang)[1]


def split_preface(text: str, lang: str) -> tuple[str, str]:
    """(who is asking, as they said it; the question without it and without a call or a change of topic
    before it)."""
    folded = fold(text).lower()
    switch = _SWITCH_MARK.match(folded) if len(folded) == len(text) else None
    if switch and len(text[switch.end():].split()) >= 2:
        text = text[switch.end():]
        text = text[:1].upper() + text[1:]
    for _ in range(2):  # a call, then who asks: "Chào anh, cho em hỏi …"
        asking = _ASKING_PREFACE_VI.match(fold(text).lower()) if lang == "vi" else _ASKING_PREFACE_EN.match(text)
        if not (asking and asking.end() and len(text[asking.end():].split()) >= 2 and len(fold(text)) == len(text)):
            break
        text = text[asking.end():]
        text = text[:1].upper() + text[1:]
    lead = re.match(r"^((?:[a-z]{2,} ){0,3}[a-z]{2,})\s*:\s+(?=\S+ \S)", text) if lang == "vi" else None
    if lead and not any(is_vietnamese_syllable(w) for w in lead.group(1).split()):
        # "quick overview pls: KH có những mảng hoạt động chính nào": an English word or two asking for an answer,
        # before a Vietnamese question
        text = text[lead.end():]
    m = (_PREFACE_EN if lang == "en" else _PREFACE_VI).match(text)
    if not m:
        return "", text
    rest = text[m.end():]
    if len(rest.split()) < 3 or _REFERS_TO_ASKER.search(rest) or re.search(r"\d", m.group()):
        return "", text  # "Tôi được giao nhiệm vụ 6, …": a preface that names a task says what is asked about
    return m.group(), rest[:1].upper() + rest[1:]


# "… có nói chuyện X không, chờ cả buổi sáng mệt quá trời": a remark after a yes/no question
# "Kế hoạch làm gì với ma túy vậy? Nói thật tui chỉ quan tâm vụ đó thôi.": a sentence after the question
_REMARK_AFTER_QUESTION = re.compile(r"^(?P<q>.*\?)\s+(?P<rest>[^?]+)$")
_REMARK_AFTER_VI = re.compile(r"^(?P<q>.*\b(không|chưa|ko|hông)\s*\??)\s*[,;.!]\s+(?P<rest>[^?]+)$", re.IGNORECASE)


def without_remark(text: str, lang: str, lex: Lexicon | None = None) -> str:
    """A yes/no question followed by a remark that asks nothing: the question alone. A remark that names
    what the documents write about ("kiểu quyền tham gia của trẻ em á") says what is asked, and stays."""
    if lang == "en":
        return _without_remark_en(text)
    m = _REMARK_AFTER_VI.match(text) or _REMARK_AFTER_QUESTION.match(text)
    if not m or len(m.group("q").split()) < 4:
        return text
    rest = m.group("rest")
    if lex is not None and any(" " in u and lex.known(u) for u in concept_units(" ".join(syllables(rest)), lex)):
        return text
    focus = read_focus(_cue_text(rest, lang), lang, ())
    if focus.kinds or re.search(r"\b(gì|nào|ai|đâu|sao|không|chưa|bao nhiêu|mấy)\b", rest.lower()):
        return text
    return m.group("q")


def _without_remark_en(text: str) -> str:
    """An English question followed by a sentence that asks nothing and names nothing the glossary reads
    ("… objectives of the plan? Just the main points please."): the question alone."""
    m = _REMARK_AFTER_QUESTION.match(text)
    if not m or len(m.group("q").split()) < 4:
        return text
    rest = m.group("rest")
    if _WH_EN.search(rest) or gloss_english(rest)[0] or read_focus(_cue_text(rest, "en"), "en", ()).kinds \
            or re.search(r"\b(summar\w*|list|explain|describe|outline|overview)\b", rest, re.IGNORECASE):
        return text  # "… Summarise it for me.": a request of its own
    return m.group("q")


_CLAUSE_SPLIT_VI = re.compile(r"\s*(?:[,;+]\s*(?:và|va|còn|rồi|đồng thời)?|\s(?:và|va|và cả|còn|đồng thời|rồi)\s)\s*")
_CLAUSE_SPLIT_EN = re.compile(r"\s*(?:[,;]\s*(?:and|also)?|\sand\s)\s*")


# an English piece that goes on the sentence before: a preposition ("in VND"), or a verb without its own
# subject ("is budgeted for this plan"), never a question of its own ("to whom", "is it funded")
_GOES_ON_EN = re.compile(r"(in|for|by|with|of|at|on|from|under|per)\b"
                         r"|(is|are|was|were|be|been) (\w+ed|\w+en|being|set|spent|paid|made|given|kept|sent)\b")
_WH_EN = re.compile(r"\b(who|whom|whose|what|which|when|where|why|how)\b", re.IGNORECASE)


# a Vietnamese question word, folded ("dau" is also "đầu": a sentence needs a kind of answer besides), and a
# word that points back at what the sentence before named
_WH_VI = re.compile(r"\b(ai|dau|nao|gi|bao gio|bao nhieu|may|sao)\b")
_POINTS_BACK_VI = re.compile(r"\b(đó|này|ấy|nó|vậy|thế|kia)\b|^(còn|thế|vậy)\b", re.IGNORECASE)


def _questions_vi(text: str) -> list[str]:
    """"KH có gửi Bộ LĐTBXH ko? VB lưu ở đâu?" → two questions: a sentence after a "?" that asks with a
    question word of its own, about something it names itself. One that points back ("Có phải sở đó
    không?", "Còn hạn thì sao?") or asks only yes or no narrows the sentence before, and stays with it."""
    parts = re.split(r"(?<=\?)\s+(?=\S)", text.strip())
    out = [parts[0]]
    for part in parts[1:]:
        cue = _cue_text(part, "vi")
        if len(part.split()) >= 3 and _WH_VI.search(cue) and not _POINTS_BACK_VI.search(part) \
                and fold(part) != part and read_focus(cue, "vi", ()).kinds:
            out.append(part)
        else:
            out[-1] = f"{out[-1]} {part}"
    return out


# a task named by its number ("nhiệm vụ 10", "NV 10", "task 10", "khoản 10")
_TASK_NAMED = re.compile(r"(?i)\b(nhiệm vụ|nhiem vu|nv|task|khoản|khoan)\s*(số\s*|so\s*|no\.?\s*)?(\d{1,2})\b")


def split_clauses(text: str, lang: str) -> list[str]:
    """"X do ai thực hiện và báo cáo gửi đâu, khi nào?" → the parts that each ask something.

    A piece that asks nothing ("Sở Văn hóa" in "Sở Văn hóa và Thể thao") stays with its neighbour."""
    if lang == "vi" and len(sentences := _questions_vi(text)) > 1:
        return [clause for sentence in sentences for clause in split_clauses(sentence, lang)]
    splitter = _CLAUSE_SPLIT_EN if lang == "en" else _CLAUSE_SPLIT_VI
    pieces = [p for p in splitter.split(text.strip().rstrip("?").strip()) if p and p.strip()]
    if len(pieces) < 2:
        return [text]
    # ("OK, and what about X, who handles that?": the topic may come after a word of assent)
    topic_first = any(re.match(r"\s*(what|how) about\b|\s*(as for|regarding|concerning)\b", p, re.IGNORECASE)
                      for p in pieces[:-1])
    if lang == "en" and topic_first and re.search(r"\b(that|it|this|them|those)( one| ones| task| work| part)?\W*$",
                                                  pieces[-1], re.IGNORECASE):
        return [text]  # "What about X, …, who's in charge of that?": X is the topic of the one thing asked

    def asks(piece: str) -> bool:
        if lang == "en" and re.match(r"(when|whenever|if|while|once)\s+(?!(is|are|was|were|will|would|does|do|did|"
                                     r"should|can|could|must|has|have)\b)", piece.strip(), re.IGNORECASE) \
                and piece in pieces[:-1]:
            return False  # "When the department raises money, which groups …": a clause that sets the scene
        if lang == "en" and re.match(r"\s*(for|in|on|under|within|regarding|concerning|as for|about)\b", piece,
                                     re.IGNORECASE) and not _WH_EN.search(piece) and piece in pieces[:-1]:
            return False  # "For the work of coordinating NGO aid, which other agencies …": what it is about
        if lang == "en" and re.match(r"\s*(what|which|where|how|why)\s+(?!about\b)(\w+\s+){0,2}(is|are|was|were|does|"
                                     r"do|did|will|would|should|can|could|must|has|have)\b", piece, re.IGNORECASE):
            return True  # "Where does the money come from, and …": a question of its own, whatever it asks
        cue = _cue_text(piece, lang)
        if lang == "vi":  # "tối nào cũng có đội văn nghệ": every evening, asking nothing
            cue = re.sub(rf"\b{_EVERY}", " ", cue)
        focus = read_focus(cue, lang, ())
        return bool(focus.agency or focus.time or focus.amount or focus.destination or focus.duty
                    or (focus.content and len(piece.split()) > 1) or (focus.yes_no and len(piece.split()) > 3)
                    or (lang == "vi" and re.search(r"\bvao dau\b", cue)))  # "… lồng ghép vào đâu?" asks where

    if lang == "en":  # "How much money in total, in VND, is budgeted …?": pieces that go on the sentence before
        joined: list[str] = []
        for piece in pieces:
            if joined and _GOES_ON_EN.match(piece) and not _WH_EN.search(piece):
                joined[-1] = f"{joined[-1]}, {piece}"
            else:
                joined.append(piece)
        pieces = joined
        if len(pieces) < 2:
            return [text]

    # "Sở nào làm X, Y, rồi báo cáo gửi trước ngày nào?": a piece after a bare comma and before a comma with a
    # connective (", rồi", ", và") ends the list of the clause before it
    ends_list = set()
    if lang == "vi":
        seps = re.findall(_CLAUSE_SPLIT_VI, text.strip().rstrip("?").strip())
        if len(seps) == len(pieces) - 1:
            ends_list = {i for i in range(1, len(pieces) - 1)
                         if seps[i - 1].strip() == "," and re.fullmatch(r",\s*\w+", seps[i].strip())}
    out: list[str] = []
    pending = ""
    for i, piece in enumerate(pieces):
        if i in ends_list and out and not pending and not asks(piece):
            out[-1] = f"{out[-1]}, {piece}"
            continue
        pending = f"{pending} {piece}".strip() if pending else piece
        if asks(pending):
            out.append(pending)
            pending = ""
    if pending:
        task = _TASK_NAMED.search(pending)
        before = _TASK_NAMED.search(out[-1]) if out else None
        if task and before and task.group(3) != before.group(3):
            # "nhiệm vụ 8 sở nào làm, với cả nhiệm vụ 10 nữa?", "who leads task 4, and task 7?": the same
            # question of the task named last
            out.append(f"{out[-1][:before.start(3)]}{task.group(3)}{out[-1][before.end(3):]}")
        elif out:
            out[-1] = f"{out[-1]}, {pending}"
        else:
            out.append(pending)
    # joined back when only one piece asks anything
    return out if len(out) > 1 else [text]


def english_agency_names(text: str) -> str:
    """"the Department of Health" → "the Sở Y tế": official English names of bodies, longest first. A name
    that is also a term of the glossary ("social insurance", a policy) names the body only capitalised.
    "Dept of", "Dept. of" are "Department of"."""
    text = re.sub(r"\b(Dept|dept|DEPT)\.? (?=of\b)", "Department ", text)
    terms = _glossary_terms()
    for english, vietnamese in _english_agency_pairs():
        flags = 0 if english.lower() in terms else re.IGNORECASE
        text = re.sub(rf"(?<!\w){re.escape(english)}(?!\w)", vietnamese, text, flags=flags)
    return text


@lru_cache(maxsize=1)
def _english_agency_pairs() -> tuple[tuple[str, str], ...]:
    """agencies_en.tsv, with "the X department" for each "Department of X" ("the Planning and Investment
    department"), longest first."""
    pairs = list(load_pairs("agencies_en.tsv"))
    pairs += [(f"{english.removeprefix('Department of ')} Department", vietnamese) for english, vietnamese in pairs
              if english.startswith("Department of ")]
    return tuple(sorted(dict.fromkeys(pairs), key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _glossary_terms() -> frozenset[str]:
    return frozenset(phrase for phrase, _ in _glossary())


def english_name(name: str) -> str:
    """The official English name of a body ("Sở Y tế" → "Department of Health"), or "" when unknown."""
    key = agency_key(name)
    return next((english for english, vietnamese in load_pairs("agencies_en.tsv") if agency_key(vietnamese) == key), "")


def named_for(name: str, lang: str) -> str:
    """A body's name as an answer shows it: Vietnamese, with the English name added in English answers."""
    english = english_name(name) if lang == "en" else ""
    return f"{name} ({english})" if english else name


# "who supports them", "who helps that department": the role asked about, not a topic ("hỗ trợ")
_ROLE_OF_PRONOUN_EN = re.compile(r"\b(support|help|assist|back|work with|join)s?(ing)? (them|it|him|her|that|this|"
                                 r"those|these|the lead\w*|that department|those departments)\b", re.IGNORECASE)


def _without_names(text: str, facts: Facts) -> str:
    """An English question without the Vietnamese names of bodies put in for their English ones (nor a
    verb of the role said of a body named before)."""
    text = _ROLE_OF_PRONOUN_EN.sub(" ", text)
    for agency in sorted(facts.agencies.values(), key=lambda a: -len(a.name)):
        text = re.sub(rf"(?<!\w){re.escape(agency.name)}(?!\w)", " ", text, flags=re.IGNORECASE)
    return text


def _name_pattern(name: str) -> re.Pattern:
    """A body's name in a folded text, however "và", "các" and commas were written in it."""
    syl = [s for s in syllables(name) if s not in ("va", "cac")]
    return re.compile(r"\b" + r"(?: va| cac)? ".join(syl) + r"\b")


def _read_one(original: str, lang: str, lex: Lexicon, facts: Facts, parts: dict[str, str], restore: bool,
              plain: bool = False) -> Question:
    expanded = expand_abbreviations(original, lex, lower_case=lang == "vi")
    text = expanded
    named = english_agency_names(text) if lang == "en" else text  # the question with bodies' names in Vietnamese
    if lang == "en":
        gloss, _ = gloss_english(_without_names(named, facts))
        text = f"{named} {gloss}"
    else:
        text = gloss_embedded_english(text, lex)  # "nội dung gì về environment": "môi trường"
        if restore and (plain or not has_diacritics(original)):  # an expanded abbreviation brings its own marks
            text = restore_diacritics(text, lex)
    cues = _cue_text(original if lang == "en" else expanded, lang)
    folded_plain = " ".join(syllables(text))
    folded = f"{folded_plain} {everyday_wording(text)}".strip()
    if lang == "en":
        agencies = tuple(dict.fromkeys(find_agencies(named, facts) + [
            a for piece in gloss_pieces(_without_names(named, facts)) for a in find_agencies(piece, facts)]))
    else:
        agencies = tuple(find_agencies(text, facts))
    aside = _SET_ASIDE.search(original)
    if aside:  # "Ngoài Sở Tư pháp, còn cơ quan nào phối hợp?": the body set aside is not the one asked about
        span = aside.group(1)
        set_aside = set(find_agencies(english_agency_names(span) if lang == "en" else
                                      expand_abbreviations(span, lex, lower_case=True), facts))
        agencies = tuple(a for a in agencies if a not in set_aside)
    focus = read_focus(cues, lang, agencies)
    if not agencies and focus.duty and not focus.agency \
            and (_DISTRICTS_EN if lang == "en" else _DISTRICTS_VI).search(cues):
        # "Quận huyện thì phải làm gì?", "What are the district governments supposed to do?": the districts
        # that bear duties are their People's Committees
        agencies = (facts.agencies[_DISTRICT_BODY].name,) if _DISTRICT_BODY in facts.agencies else ()
        focus = read_focus(cues, lang, agencies)
    office = None if agencies else (_DISTRICT_OFFICE_EN if lang == "en" else _DISTRICT_OFFICE_VI).search(cues)
    if office and _DISTRICT_BODY in facts.agencies:
        agencies = (facts.agencies[_DISTRICT_BODY].name,)
        focus = read_focus(cues, lang, agencies)
    section = section_reference(expanded) or _ordinal_item(cues, _find_part(folded_plain, parts), facts)
    m = _TASK_NO.search(folded_plain) or _TASK_NO.search(cues)
    task_number = m.group(3) if m and not section else None
    dotted = None if section else _TASK_NO.search(fold(expanded))
    if dotted and "." in dotted.group(3):  # the syllables split "6.1.2"; the text as typed keeps it
        task_number = dotted.group(3)
    if task_number and "." in task_number:
        # "điểm 6.1.2 nói gì?", "task 6.2": a point of a task, written without its part, lies in the task's
        # section ("II.6.1.2"); a point the task lacks ("điểm 6.4") is then a section no document has
        number, point = task_number.split(".", 1)
        section = next((f"{t.section_id}.{point}" for t in facts.tasks if t.number == number), None)
    if section and section.startswith(("II.",)) and section.count(".") >= 1:  # "mục II khoản 6" is task 6
        task_number = section.split(".")[1]
    part = _find_part(folded_plain, parts) or (_find_part_en(original, parts) if lang == "en" else None)
    if part and _INCLUDING.search(folded_plain if lang == "vi" else original.lower()):
        part = None  # "… trách nhiệm gì trong kế hoạch, kể cả phần tổ chức thực hiện": that part too, not only it
    if task_number and not section and all(t.number != task_number for t in facts.tasks):
        # "mục 11 phần nội dung hoạt động": a numbered item that is no task is that item of its part
        section = next((s for s in _numbered_items(part, facts) if s.rsplit(".", 1)[-1] == task_number), None)
    # the topic: the text without its question words, the role asked about and the bodies named
    # (an unnumbered part named, "phần kết thúc", says where, as "mục II" does)
    removed = [] if lang == "en" else [_ASKING, _AGENCY_ANAPHORA_VI, _TASK_ANAPHORA_VI, _PLAN_BY_PILLAR_VI,
                                       _PREAMBLE_REF, _CLOSING_REF] + \
        ([_COORD_VI] if focus.role == "coordinate" else [])
    removed += [_name_pattern(name) for name in agencies]
    if office and lang == "vi":
        removed.append(_DISTRICT_OFFICE_VI)
    removed += [re.compile(rf"\b{short}\b") for name in agencies for short in department_short_forms(name, facts)]
    tokens = _gloss_tokens(_WH_BODY_EN.sub(r"\1", _ROLE_AFTER_WHO_EN.sub(
        r"\1", _without_names(english_agency_names(original), facts))), removed) if lang == "en" \
        else _tokens_without(text, removed)
    if lang == "vi" and is_mixed(cues):  # the English grammar words of a mixed question are no concepts
        tokens = [("|", "|") if f in _EN_STOP else (a, f) for a, f in tokens]
    elif lang == "vi":  # nor is one alone that is no Vietnamese syllable ("ok and Sở Tài chính?")
        tokens = [("|", "|") if f in _EN_STOP and not is_vietnamese_syllable(f) else (a, f) for a, f in tokens]
    typed_accented = lang == "en" or (has_diacritics(original) and not plain)
    terms = concept_units(tokens, lex, typed_accented)
    without_bodies = " ".join(a for a, _ in _tokens_without(text, [_name_pattern(n) for n in agencies])
                              if a != "|") if agencies else ""
    topic = text if terms else ""
    alternatives: tuple[tuple[str, ...], ...] = ()
    split_at = next((i for i, (_, f) in enumerate(tokens) if f in ("hay", "hoac", "or")), None)
    if split_at and any(f != "|" for _, f in tokens[split_at + 1:]):  # "cả thành phố hay chỉ mấy quận nội thành"
        alternatives = (concept_units(tokens[:split_at], lex, typed_accented),
                        concept_units(tokens[split_at + 1:], lex, typed_accented))
    elif lang == "en":  # the gloss keeps no "or": each side of the English is glossed on its own
        sides = re.split(r"\bor\b", _without_names(english_agency_names(original), facts), maxsplit=1)
        if len(sides) == 2 and all(s.strip(" ?.,") for s in sides):
            alternatives = tuple(concept_units(_gloss_tokens(side, removed), lex, True) for side in sides)
    terms = _without_set_aside(terms, aside, lang)
    if focus.time and focus.now:  # "hạn báo cáo năm nay là khi nào?": "this year" says which time, it is no topic
        terms = tuple(t for t in terms if not (_NOW_EN if lang == "en" else _NOW_VI).fullmatch(t))
    follow_up = bool((_FOLLOW_UP_EN if lang == "en" else _FOLLOW_UP_VI).search(cues)) and len(cues.split()) <= 16
    refers_agency = bool((_AGENCY_ANAPHORA_EN if lang == "en" else _AGENCY_ANAPHORA_VI).search(cues)) or (
        lang == "vi" and bool(re.search(r"(?<!\w)họ(?!\w)", original.lower())))  # "họ": they
    pointing = _pointing_cues(expanded, cues, lang)
    refers_task = bool((_TASK_ANAPHORA_EN if lang == "en" else _TASK_ANAPHORA_VI).search(pointing)) \
        and not _fronted_topic(original, lang, lex)
    other_place = mentions_other_place(original, lex)
    unknown = "" if agencies else (_unknown_department(text, facts) or _unknown_body(text, facts))
    return Question(original, lang, text, folded, cues, focus, agencies, task_number, part,
                    tuple(dict.fromkeys(_YEAR.findall(original))), topic, follow_up, refers_agency, refers_task,
                    other_place, unknown, terms, alternatives, without_bodies, section)


# "And the environment task, who's responsible for that one?", "Còn mảng du lịch, việc đó ai lo?": a topic put
# first, before a comma, is what the words pointing back name (a task by its number is read as a number)
_FRONTED = re.compile(r"^\s*(?:and|so|then|what about|how about|con|the con|vay con|va)?\s*"
                      r"(?:the |mang |chuyen |viec |linh vuc |van de )?(?P<head>[^,;:?]{3,60}?)"
                      r"\s*(?:task|area|one|nhiem vu|mang|linh vuc)?\s*,")


def _fronted_topic(original: str, lang: str, lex: Lexicon) -> bool:
    m = _FRONTED.match(fold(original).lower())
    if not m or re.search(r"\d", m.group("head")):
        return False
    head = original[m.start("head"):m.end("head")]
    anaphora = _TASK_ANAPHORA_EN if lang == "en" else _TASK_ANAPHORA_VI
    if anaphora.search(fold(head).lower()) or read_focus(_cue_text(head, lang), lang, ()).kinds:
        return False  # "… cùng làm nhiệm vụ nào, nhiệm vụ đó gồm gì?": a question first, then one about its answer
    tokens = _gloss_tokens(head, []) if lang == "en" else _tokens_without(head, [_ASKING, _FOLLOW_UP_VI])
    return bool(concept_units(tokens, lex, lang == "en" or has_diacritics(head)))


# "Ngoài ngân sách, …", "Besides the budget, …": what the question sets aside is no concept it asks about
_SET_ASIDE = re.compile(r"(?:^|[,;:]\s*)(?:ngoài|ngoai|besides|apart from|aside from|other than)\s+([^,;:?]+)[,;:]",
                        re.IGNORECASE)


def set_aside(text: str) -> str:
    """What a question sets aside before asking ("Ngoài QĐ 161/QĐ-TTg, …" → "QĐ 161/QĐ-TTg"), or ""."""
    m = _SET_ASIDE.search(text)
    return m.group(1) if m else ""


def _without_set_aside(terms: tuple[str, ...], m: re.Match | None, lang: str) -> tuple[str, ...]:
    if not m:
        return terms
    aside = gloss_english(m.group(1))[0] if lang == "en" else m.group(1)
    folded = f" {' '.join(syllables(aside))} "
    kept = tuple(t for t in terms if f" {t} " not in folded)
    return kept or terms


# --------------------------------------------------------------- agencies and parts

_DEPARTMENT_NAME = re.compile(r"\b(Sở|Bộ) ([A-ZĐÀ-Ỹ]\w*(?: (?:và )?\w+){1,5})")


def _unknown_department(text: str, facts: Facts) -> str:
    """"Sở Giao thông vận tải" in a question when no document names it: we must not answer for it."""
    for m in _DEPARTMENT_NAME.finditer(text):
        if not m.group(2)[0].isupper():  # "Sở đó còn làm gì": a body referred back to, not a name
            continue
        words = [w for w in syllables(m.group(2)) if w != "va"][:2]
        head = " ".join([fold(m.group(1)), *words])
        # "nghị quyết của Bộ Chính trị": a body the documents name as the issuer of what they cite is known
        if not any(key.startswith(head) for key in facts.agencies) \
                and not any(fold(c.issuer).startswith(head) for c in facts.cited):
            name = m.group(2).split()
            # "Bộ Y tế không?", "Sở Xây dựng có được giao …": the name ends before the question goes on
            end = next((i for i, w in enumerate(name) if i and w.lower() in _AFTER_A_NAME), len(name))
            return f"{m.group(1)} {' '.join(name[:end])}"
    return ""


# bodies of the state that are not departments ("công an thành phố", "cục thuế"), folded; "hải quan" only with its
# marks, since folded it is also "hai quận" (two districts)
# (and the people's committee of a ward, commune or township, "UBND phường", which a city plan may not name; and
# the committees a body may set up, "ban chỉ đạo", "tổ công tác", "hội đồng thẩm định": only a plan naming one settles)
_OTHER_BODIES = re.compile(r"\b(cong an|canh sat|toa an|vien kiem sat|bo doi bien phong|kho bac|cuc thue|chi cuc thue"
                           r"|uy ban nhan dan (?:cac )?(?:phuong|xa|thi tran)(?! hoi\b)"
                           r"|ban chi dao|ban dieu hanh|ban quan ly|to cong tac|to giup viec"
                           r"|hoi dong (?!nhan dan)\w+ \w+)"
                           r"( thanh pho| quan| huyen| tinh| nhan dan)?\b")


def _unknown_body(text: str, facts: Facts) -> str:
    """"Công an thành phố có nhiệm vụ gì?" when no document names the police: the same as an unknown
    department."""
    folded = fold(text).lower()
    for m in [*_OTHER_BODIES.finditer(folded), *re.finditer(r"\b(hải quan|Hải quan)\b", text)]:
        kind = fold(m.group(1)).lower()
        if not any(kind in key for key in facts.agencies) and not any(kind in fold(c.issuer).lower()
                                                                      for c in facts.cited):
            return text[m.start():m.end()] if len(folded) == len(text) else m.group(0)
    return ""


# words that follow a body's name in a question and are never part of it
_AFTER_A_NAME = frozenset({"không", "chưa", "vậy", "à", "ạ", "nhỉ", "hả", "nào", "gì", "thì", "có", "làm", "phải",
                           "được", "với", "đâu", "ai", "ko", "k", "hay", "hoặc", "còn", "đã", "sẽ", "đang", "là"})


# a scheme's kind after the name of the body that runs it: "BHXH tự nguyện" is voluntary social insurance, and so is
# one listed with health insurance ("BHXH, BHYT", "BHXH và BHYT": the schemes, never a body)
_SCHEME_KIND = (r"(?! (?:tự nguyện|bắt buộc|tu nguyen|bat buoc)\b)"
                r"(?!,? (?:(?:và|va|hoặc|hoac|,) )?(?:bảo hiểm y tế|BHYT)\b)")


def _named_by_prefix(text: str, name: str) -> bool:
    """Case-sensitive: a capitalised prefix is a name, a lowercase one ("bảo hiểm xã hội") is a topic, and so
    is a scheme's kind after it ("BHXH tự nguyện": voluntary social insurance, not the agency)."""
    words = name.split()
    for n in range(len(words) - 1, 2, -1):  # the longest prefix written
        m = re.search(rf"(?<!\w){re.escape(' '.join(words[:n]))}(?!\w)", text)
        if m:
            return bool(re.match(_SCHEME_KIND, text[m.end():]))
    return False


def resolve_agency(name: str, lex: Lexicon, facts: Facts) -> list[str]:
    """The bodies a typed name may mean: "so y te", "LĐTBXH", "BHXH" → one name; several when the
    text is only part of their names ("ủy ban nhân dân"); none when no document names such a body."""
    text = expand_abbreviations(normalize(name), lex)
    if not text.strip():
        return []
    if not has_diacritics(text):
        text = restore_diacritics(text, lex)
    for candidate in (text, f"Sở {text}"):
        found = find_agencies(candidate, facts)
        if found:
            return found[:1]
    folded = " ".join(w for w in syllables(text) if w != "va")
    return [a.name for key, a in facts.agencies.items() if folded and f" {folded} " in f" {key} "]


def find_agencies(text: str, facts: Facts) -> list[str]:
    """Bodies named in a question, by folded name with or without "và"; longest first."""
    folded = " " + " ".join(s for s in syllables(text) if s not in ("va", "cac")) + " "
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for key in sorted(facts.agencies, key=len, reverse=True):
        start = 0
        while (pos := folded.find(f" {key} ", start)) >= 0:
            span = (pos, pos + len(key))
            start = pos + 1
            if any(a <= span[0] < b or a < span[1] <= b for a, b in taken):
                continue
            taken.append(span)
            found.append((pos, facts.agencies[key].name))
            break
    for alias, (key, topic_too) in facts.aliases.items():  # "Mặt trận Tổ quốc" for "Ủy ban Mặt trận Tổ quốc …"
        name = facts.agencies[key].name
        if name in (n for _, n in found):
            continue
        if topic_too:  # "Bảo hiểm Xã hội" is the body, "bảo hiểm xã hội" the topic: as written only
            m = re.search(rf"(?<!\w){re.escape(alias)}(?!\w){_SCHEME_KIND}", text)
            pos = folded.find(f" {agency_key(alias)} ") if m else -1
        else:
            pos = folded.find(f" {agency_key(alias)} ")
        if pos >= 0 and not any(a <= pos + 1 < b for a, b in taken):
            taken.append((pos, pos + len(agency_key(alias))))
            found.append((pos, name))
    if not found:  # a capitalised leading part of a name: "Bảo hiểm Xã hội" (from "BHXH") for "… Hải Phòng"
        prefixed = [a.name for a in facts.agencies.values() if _named_by_prefix(text, a.name)]
        if len(prefixed) == 1:
            found.append((0, prefixed[0]))
    # "sở y tế" without the capital, "so y te": "y te" alone is a topic, so require the type word "sở"
    for key, agency in facts.agencies.items():
        if not key.startswith("so ") or agency.name in (n for _, n in found):
            continue
        short = key.split(" ", 1)[1]
        pos = folded.find(f" so {short} ")
        if pos < 0:  # the first words of the name, when they start no other department's ("sở nông nghiệp")
            pos = next((p for n in range(len(short.split()) - 1, 1, -1)
                        if (p := folded.find(f" so {_first_words(short, n)} ")) >= 0
                        and _unique_department_start(facts, _first_words(short, n))), -1)
        if pos >= 0 and not any(a <= pos + 1 < b for a, b in taken):
            found.append((pos, agency.name))
    named = {n for _, n in found}
    found += [(0, name) for name in _named_by_last_words(text, facts) if name not in named]
    return [name for _, name in sorted(found)]


# "Sở" written with its capital before a name: "Sở Môi trường", not "cơ sở xã hội"
_SO_NAMED = re.compile(r"(?<!\w)(?:Sở|SỞ|So)\s+(?=[A-ZĐÀ-Ỹ])")


def _named_by_last_words(text: str, facts: Facts) -> list[str]:
    """A department named by the words after its "và", capitalised after "Sở": "Sở Môi trường" for "Sở Tài
    nguyên và Môi trường", "Sở Thể thao" for "Sở Văn hóa và Thể thao"; only when those words end no other
    department's name and start none."""
    if not _SO_NAMED.search(text):
        return []
    tails: dict[str, list[str]] = {}
    for key, agency in facts.agencies.items():
        if key.startswith("so ") and " và " in agency.name:
            tails.setdefault(agency_key(agency.name.rsplit(" và ", 1)[1]), []).append(agency.name)
    out = []
    for m in _SO_NAMED.finditer(text):
        after = " ".join(syllables(text[m.end():]))
        for tail, names in tails.items():
            if len(names) == 1 and f"{after} ".startswith(f"{tail} ") \
                    and not any(key.startswith(f"so {tail}") for key in facts.agencies):
                out.append(names[0])
    return out


def _first_words(text: str, n: int) -> str:
    return " ".join(text.split()[:n])


def _unique_department_start(facts: Facts, start: str) -> bool:
    return sum(key.startswith(f"so {start} ") or key == f"so {start}" for key in facts.agencies) == 1


def department_short_forms(name: str, facts: Facts) -> list[str]:
    """The first words by which a department may be named ("Sở Nông nghiệp" for "Sở Nông nghiệp và Phát
    triển nông thôn"), folded; each starts no other department's name."""
    key = agency_key(name)
    if not key.startswith("so "):
        return []
    short = key.split(" ", 1)[1]
    return [f"so {_first_words(short, n)}" for n in range(len(short.split()) - 1, 1, -1)
            if _unique_department_start(facts, _first_words(short, n))]


def _find_part_en(original: str, parts: dict[str, str]) -> str | None:
    """"the 'organisation of implementation' part", "the section on funding": the words next to "part" or
    "section", glossed, named as a Vietnamese part would be; none when two parts are named ("both in the
    activities part and in the organisation part")."""
    words = _english_words(original).split()
    named: list[str] = []
    for i, w in enumerate(words):
        if w not in ("part", "section", "chapter", "heading"):
            continue
        before = words[max(0, i - 4):i]
        after = words[i + 1:i + 6]
        if after and after[0] in ("on", "about", "of", "called", "titled", "named", "headed"):
            after = after[1:]
        # "its content part", "the task's content part": a part of a task, not of the plan
        owned = [n for n in range(1, len(before))
                 if before[-n - 1] in ("its", "their") or before[-n - 1].endswith("'s")]
        near = [" ".join(before[-n:]) for n in range(1, len(before) + 1) if not owned or n < owned[0]] + \
            [" ".join(after[:n]) for n in range(1, len(after) + 1)]
        if owned:
            continue
        for phrase in near:
            gloss = gloss_english(phrase)[0]
            if gloss and (roman := _find_part("phan " + " ".join(syllables(gloss)), parts)):
                named.append(roman)
                break
    return named[0] if len(set(named)) == 1 else None


def _find_part(folded: str, parts: dict[str, str]) -> str | None:
    """"phần giải pháp" / "phần tổ chức thực hiện" / "mục V" → the Roman part; none when it names two ("cả mục
    II lẫn mục VI": the question is not restricted to one)."""
    named = list(dict.fromkeys(m.group(2).upper() for m in _PART_NO.finditer(folded) if m.group(2).upper() in parts))
    if len(named) > 1:
        return None
    if named:
        return named[0]
    for roman, heading in parts.items():
        words = heading.split()
        for n in (4, 3, 2):
            # "khâu tổ chức thực hiện": the stage of that name, as the part's heading calls it
            if len(words) >= n and re.search(rf"\b(phan|muc|part|khau) {' '.join(words[:n])}\b", folded):
                return roman
    return None
