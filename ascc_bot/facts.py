"""Facts extracted from the documents' own words: who leads and who coordinates
each task, what each body must do, deadlines and milestones, documents cited,
and an agency gazetteer with the abbreviations officials write.

Nothing here is typed in by hand about the plan: every fact is read from the
section tree by patterns of Vietnamese administrative writing, and keeps the
section id and verbatim quote it came from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from .sections import Document, Section
from .text import ONSET_CLUSTERS, fold, syllables

# Words that open the name of a public body in Vietnamese administrative texts.
AGENCY_TYPES = ("Sở", "Bộ", "Ủy ban", "Ban", "Bảo hiểm Xã hội", "Hội đồng", "Thành ủy", "Mặt trận")
_LEAD = re.compile(r"^(Cơ quan|Đơn vị) (thực hiện|chủ trì)\s*:\s*(.+)$", re.IGNORECASE)
_COORD = re.compile(r"^(Cơ quan|Đơn vị) phối hợp\s*:\s*(.+)$", re.IGNORECASE)
_LIST_HEAD = re.compile(r"^[Cc]ác (sở|Sở|ban|Ban|bộ|Bộ)\s*:\s*(.+)$")
_GENERIC = re.compile(r"^các\b.*\bliên quan$", re.IGNORECASE)
# "quận, huyện" names one kind of body, not two list items
_KEEP_COMMA = re.compile(r"(quận|thành phố|thị xã), (huyện|thị xã|thành phố)")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_PERIOD = re.compile(r"giai đoạn (\d{4}) ?- ?(\d{4})")
_REPORT = re.compile(
    r"trước ngày (\d{1,2} tháng \d{1,2}|\d{1,2}/\d{1,2})( hàng năm| hằng năm)?"
    r"[^.;]*?báo cáo[^.;]*?về ([^.;]+?)(?: để|[.;]|$)"
)
# Decrees put the recipient first: "báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 hằng năm".
_REPORT_TO = re.compile(
    r"báo cáo (?:[^.;]*? )?(?:về |cho |lên )?((?:Ủy ban|Bộ|Sở|Thủ tướng|Chính phủ|Hội đồng|Ban)[^.;]*?) "
    r"trước ngày (\d{1,2} tháng \d{1,2}|\d{1,2}/\d{1,2})( hàng năm| hằng năm)?"
)
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_FIELD = rf"[{_UPPER}]\w*(?: (?![{_UPPER}])\w+)?"
# "Sở Văn hóa, Thể thao và Du lịch tổ chức…": a ministry or department names its fields, each
# capitalised, of one or two syllables, joined as names join them; the verb after it is lower case.
_DEPARTMENT = re.compile(rf"^(?:Bộ|Sở) {_FIELD}(?:(?:, | - | và | ){_FIELD})*")
# A clause of a decree gives a body a duty when a duty verb follows its name
# ("Ủy ban nhân dân các huyện, thị xã." in "Đối tượng áp dụng" gives none).
_DUTY_VERB = re.compile(r"^\s*(?::|chủ trì|phối hợp|tổ chức|bố trí|chịu trách nhiệm|có trách nhiệm|hướng dẫn|"
                        r"theo dõi|báo cáo|thực hiện|xây dựng|triển khai|kiểm tra|tham mưu|bảo đảm|đảm bảo)")
_MILESTONE = re.compile(r"^Năm (\d{4})\s*:\s*(.+)$")
_CITED = re.compile(
    r"(Quyết định|Nghị quyết|Nghị định|Chỉ thị|Thông tư|Luật|Kế hoạch) số ([0-9]+[/-][A-ZĐa-z0-9/-]+) "
    r"ngày (\d{1,2}/\d{1,2}/\d{4}) của (.+?) (?:về|phê duyệt) (“[^”]+”|[^;.]+)"
)
# A law cited by its name, without a number ("theo quy định của Luật Ngân sách nhà nước."): "Luật" written
# with a capital, then its name up to the end of the clause ("pháp luật" is no law's name).
_CITED_LAW = re.compile(r"(?<![\w/])Luật ((?!số )[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?: [\wÀ-ỹ]+){0,7}?)(?=\s*[.,;:)]|\s+ngày\b|\s*$)")


# Bodies every Hai Phong document may name; kept only when the corpus names them.
_STANDARD_BODIES = ("Ủy ban nhân dân thành phố", "Ủy ban nhân dân các quận, huyện", "Sở Tài chính",
                    "Thành ủy", "Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam")


@dataclass(frozen=True)
class Agency:
    name: str  # canonical, as the document writes it
    abbreviations: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return agency_key(self.name)


@dataclass(frozen=True)
class Task:
    """A numbered task of part II with its content, leads and coordinators."""

    doc_id: str
    section_id: str  # "II.6"
    number: str  # "6"
    title: str
    content_section: str | None
    lead_section: str | None
    lead_quote: str
    leads: tuple[str, ...]
    coord_section: str | None
    coord_quote: str
    coordinators: tuple[str, ...]


@dataclass(frozen=True)
class Duty:
    agency: str
    doc_id: str
    section_id: str
    quote: str


@dataclass(frozen=True)
class TimeFact:
    kind: str  # report_deadline | milestone | period | year
    when: str  # as written: "trước ngày 01 tháng 12 hàng năm", "Năm 2020", "2016 - 2020"
    what: str
    doc_id: str
    section_id: str
    quote: str
    recipient: str = ""


@dataclass(frozen=True)
class CitedDocument:
    kind: str
    number: str
    date: str
    issuer: str
    title: str
    doc_id: str  # the citing document
    section_ids: tuple[str, ...]
    quote: str
    loaded_doc_id: str = ""  # the cited document itself, when it is in the corpus

    @property
    def label(self) -> str:
        """How the documents name it: "Quyết định số 161/QĐ-TTg", or a law by its name ("Luật Ngân sách nhà nước")."""
        return f"{self.kind} số {self.number}" if self.number else f"{self.kind} {self.title}"

    @property
    def marker(self) -> str:
        """What a passage that mentions it holds: its number, or a law's full name."""
        return self.number or self.label


@dataclass
class Facts:
    agencies: dict[str, Agency] = field(default_factory=dict)  # key -> agency
    # shorter names the documents use for one body ("Mặt trận Tổ quốc" for "Ủy ban Mặt trận Tổ quốc Việt
    # Nam"), with the body's key; ``lowercase`` is False when the short name is also a lowercase topic
    aliases: dict[str, tuple[str, bool]] = field(default_factory=dict)
    spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> other full spellings
    # the numbered items of the part that holds the first document's tasks, in order ("II" -> II.1 … II.11)
    items: dict[str, list[str]] = field(default_factory=dict)
    tasks: list[Task] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    times: list[TimeFact] = field(default_factory=list)
    cited: list[CitedDocument] = field(default_factory=list)
    mentions: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # key -> [(doc, section)]

    def names_of(self, key: str) -> list[str]:
        """Every way the documents write a body: its name, and its shorter names."""
        agency = self.agencies.get(key)
        return ([agency.name] if agency else []) + [a for a, (k, _) in self.aliases.items() if k == key] + \
            list(self.spellings.get(key, ()))

    def task(self, doc_id: str | None, section_id: str) -> Task | None:
        """The task a section lies in (in that document; with ``doc_id`` None, in any)."""
        for t in self.tasks:
            if doc_id in (None, t.doc_id) and (section_id == t.section_id or section_id.startswith(t.section_id + ".")):
                return t
        return None


def agency_key(name: str) -> str:
    """Folded syllables without "và", plural markers or punctuation: "Sở LĐ-TB và XH" and "Ủy ban nhân dân
    (các) quận, huyện" style variants meet here."""
    return " ".join(s for s in syllables(name) if s not in ("va", "cac"))


def initials(name: str) -> str:
    """"Lao động Thương binh và Xã hội" → "LĐTBXH" (the official abbreviation scheme)."""
    return "".join(w[0].upper() for w in re.findall(r"\w+", name) if w.lower() != "và")


_CLUSTER = re.compile(rf"^({ONSET_CLUSTERS})")


def abbreviation_variants(name: str) -> tuple[str, ...]:
    """LĐTBXH, LĐTB&XH, LĐ-TB&XH, … for the name of a department or ministry.

    Other bodies (UBND, BHXH, MTTQ) are expanded from the corpus's own phrases
    when a question is read, so they need no entry here."""
    if not name.startswith(("Sở ", "Bộ ")):
        return ()
    body = name[3:]
    if len(initials(body)) < 3:  # "NV" would mean both Nội vụ and Ngoại vụ
        # officials tell them apart by the first syllable's consonant cluster: "Sở NgV" is Sở Ngoại vụ
        words = [w for w in re.findall(r"\w+", body) if w.lower() != "và"]
        m = _CLUSTER.match(fold(words[0])) if words else None
        return (m.group().capitalize() + initials(" ".join(words[1:])),) if m else ()
    groups = [g.strip() for g in re.split(r"\bvà\b", body) if g.strip()]
    words_per_group = [re.findall(r"\w+", g) for g in groups]

    def two(ws: list[str]) -> list[str]:  # two syllables form one word in these names
        return ["".join(w[0].upper() for w in ws[i:i + 2]) for i in range(0, len(ws), 2)]

    plain = "".join(initials(g) for g in groups)
    amp = "&".join(initials(g) for g in groups)
    hyph = "&".join("-".join(two(ws)) for ws in words_per_group)
    return tuple(dict.fromkeys([plain, amp, hyph]))


def split_agencies(text: str) -> tuple[list[str], bool]:
    """Expand an elliptical list of bodies; returns (names, is_generic)."""
    text = text.strip().rstrip(".;:").strip()
    protected = _KEEP_COMMA.sub(lambda m: m.group(0).replace(", ", "\x00"), text)
    names: list[str] = []
    head = ""
    for segment in (s.strip() for s in protected.split(";")):
        if not segment:
            continue
        m = _LIST_HEAD.match(segment)
        if m:
            head = m.group(1).capitalize()
            segment = m.group(2)
        if _GENERIC.match(segment.replace("\x00", ", ")):
            names.append(segment.replace("\x00", ", "))
            continue
        for item in (i.strip() for i in segment.split(",")):
            if not item:
                continue
            item = item.replace("\x00", ", ")
            if head and not item.startswith(AGENCY_TYPES):
                item = f"{head} {item}"
            names.append(item)
    generic = all(_GENERIC.match(n) for n in names)
    return names, generic


def _heading_agency(section: Section, known: list[str]) -> str | None:
    """VI.2 "Sở Lao động…:" or VI.6 "Đề nghị Ban Tuyên giáo Thành ủy định hướng…"."""
    title = section.title
    if title.startswith("Đề nghị "):
        title = title[len("Đề nghị "):]
    if not title.startswith(AGENCY_TYPES):
        return None
    if ":" in title[:80]:
        return title.split(":")[0].strip() or None
    department = _DEPARTMENT.match(title)
    if department:
        return department.group(0)
    prefix = [k for k in known if title.startswith(k)]
    return max(prefix, key=len) if prefix else (_capitalised_run(title) or None)


def _capitalised_run(text: str) -> str:
    """The leading name in "Ban Tuyên giáo Thành ủy định hướng…": capitalised syllables,
    with a lowercase one only right after a capitalised one ("Tuyên giáo", "Thành ủy")."""
    out: list[str] = []
    for word in text.split():
        w = word.strip(",.;:")
        if w[:1].isupper():
            out.append(w)
        elif out and out[-1][:1].isupper() and len(out) >= 1 and w not in ("và", "các", "định"):
            # second syllable of a capitalised word ("giáo", "ủy"); stop at a verb-like run
            if len(out) >= 2 and not out[-2][:1].isupper() and not out[-1][:1].isupper():
                break
            out.append(w)
        else:
            break
        if word.endswith((",", ";", ":", ".")):
            break
    while out and not out[-1][:1].isupper() and out[-1] in ("và",):
        out.pop()
    return " ".join(out)


def extract_facts(documents: list[Document]) -> Facts:
    facts = Facts()
    full_text = "\n".join(s.text for d in documents for s in d.sections)
    known = [n for n in _STANDARD_BODIES if n in full_text]
    for doc in documents:
        _extract_tasks(doc, facts)
        _extract_duties(doc, facts, known)
        _extract_times(doc, facts)
        _extract_cited(doc, facts)
    _build_gazetteer(documents, facts)
    first = next((t for t in facts.tasks), None)
    if first is not None:
        doc = next(d for d in documents if d.doc_id == first.doc_id)
        part = doc.section(first.section_id).parent_id
        facts.items = {part: [s.section_id for s in doc.children(part)]} if part else {}
    loaded = {d.meta.number.casefold(): d.doc_id for d in documents if d.meta.number}
    facts.cited = [replace(c, loaded_doc_id=loaded.get(c.number.casefold(), "") if c.number else "")
                   for c in facts.cited]
    return facts


_HEAD_WORDS = ("Ủy ban ",)
_TAIL_WORDS = (" Việt Nam", " Hải Phòng", " thành phố", " Thành ủy")


def _aliases(agencies: dict[str, Agency], full_text: str) -> dict[str, tuple[str, bool]]:
    """Shorter names of a body that the documents themselves use, capitalised, of two words or more, and
    naming no other body: "Ủy ban Mặt trận Tổ quốc" and "Mặt trận Tổ quốc" for "Ủy ban Mặt trận Tổ quốc
    Việt Nam". Whether the short name also appears in lower case (a topic: "bảo hiểm xã hội") is kept."""
    found: dict[str, list[str]] = defaultdict(list)
    for key, agency in agencies.items():
        name = agency.name
        candidates = {name[len(h):] for h in _HEAD_WORDS if name.startswith(h)}
        candidates |= {name[: -len(t)] for t in _TAIL_WORDS if name.endswith(t)}
        candidates |= {c[len(h):] for c in list(candidates) for h in _HEAD_WORDS if c.startswith(h)}
        others = [a.name for k, a in agencies.items() if k != key]
        for alias in candidates:
            if len(alias.split()) >= 2 and alias[:1].isupper() and agency_key(alias) not in agencies \
                    and not any(alias in other for other in others) \
                    and re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", full_text):
                found[alias].append(key)
    out = {alias: (keys[0], re.search(rf"(?<!\w){re.escape(alias.lower())}(?!\w)", full_text) is not None)
           for alias, keys in found.items() if len(keys) == 1}
    return out | _levels(agencies, out)


_LEVEL_LIST = re.compile(r"^(.+?) (\w+(?:, \w+)+)$")


def listed_levels(name: str) -> tuple[str, list[str]] | None:
    """A name for several levels at once ("Ủy ban nhân dân quận, huyện"): the body ("Ủy ban nhân dân") and its
    levels ("quận", "huyện")."""
    m = _LEVEL_LIST.match(name)
    return (m.group(1), m.group(2).split(", ")) if m else None


def _levels(agencies: dict[str, Agency], taken: dict[str, tuple[str, bool]]) -> dict[str, tuple[str, bool]]:
    """A name for several levels at once ("Ủy ban nhân dân quận, huyện") also names each level alone, as
    people write it: "Ủy ban nhân dân huyện", "Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân quận"."""
    out: dict[str, tuple[str, bool]] = {}
    for key, agency in agencies.items():
        listed = listed_levels(agency.name)
        if listed is None:
            continue
        body, levels = listed
        for level in levels:
            for alias in (f"{body} {level}", f"{body} cấp {level}"):
                if agency_key(alias) not in agencies and alias not in taken:
                    out[alias] = (key, False)
    return out


def _extract_tasks(doc: Document, facts: Facts) -> None:
    for sec in doc.sections:
        kids = doc.children(sec.section_id)
        lead = next((k for k in kids if _LEAD.match(k.title)), None)
        if lead is None:
            continue
        coord = next((k for k in kids if _COORD.match(k.title)), None)
        content = next((k for k in kids if k is not lead and k is not coord), None)
        leads, _ = split_agencies(_LEAD.match(lead.title).group(3))
        coords, _ = split_agencies(_COORD.match(coord.title).group(2)) if coord else ([], True)
        facts.tasks.append(Task(
            doc.doc_id, sec.section_id, sec.number, sec.title.rstrip(":").strip(),
            content.section_id if content else None,
            lead.section_id, lead.title, tuple(leads),
            coord.section_id if coord else None, coord.title if coord else "", tuple(coords)))


def _extract_duties(doc: Document, facts: Facts, known: list[str]) -> None:
    for sec in doc.sections:
        if sec.kind not in ("item", "article", "clause") or facts.task(doc.doc_id, sec.section_id):
            continue
        name = _heading_agency(sec, known)
        if name and sec.kind in ("article", "clause") and not _DUTY_VERB.match(sec.title[len(name):]):
            continue
        if name:
            quote = sec.text
            facts.duties.append(Duty(name, doc.doc_id, sec.section_id, quote))


def _extract_times(doc: Document, facts: Facts) -> None:
    for sec in doc.sections:
        for quote in [sec.title, *(b.text for b in sec.blocks)]:
            for line in quote.split("\n"):
                m = _REPORT.search(line)
                if m:
                    when = f"trước ngày {m.group(1)}{m.group(2) or ''}"
                    facts.times.append(TimeFact("report_deadline", when, line, doc.doc_id, sec.section_id,
                                                line, recipient=m.group(3).strip()))
                elif m := _REPORT_TO.search(line):
                    when = f"trước ngày {m.group(2)}{m.group(3) or ''}"
                    facts.times.append(TimeFact("report_deadline", when, line, doc.doc_id, sec.section_id,
                                                line, recipient=m.group(1).strip()))
                m = _MILESTONE.match(line.lstrip("-+ "))
                if m:
                    facts.times.append(TimeFact("milestone", f"Năm {m.group(1)}", m.group(2), doc.doc_id,
                                                sec.section_id, line))
                for p in _PERIOD.finditer(line):
                    facts.times.append(TimeFact("period", f"{p.group(1)} - {p.group(2)}",
                                                line, doc.doc_id, sec.section_id, line))


def _extract_cited(doc: Document, facts: Facts) -> None:
    seen: dict[str, int] = {}
    for sec in doc.sections:
        for text in [sec.title, *(b.text for b in sec.blocks)]:
            for m in _CITED.finditer(text):
                number = m.group(2)
                if number in seen:
                    old = facts.cited[seen[number]]
                    if sec.section_id not in old.section_ids:
                        facts.cited[seen[number]] = CitedDocument(
                            old.kind, old.number, old.date, old.issuer, old.title, old.doc_id,
                            old.section_ids + (sec.section_id,), old.quote)
                    continue
                seen[number] = len(facts.cited)
                title = m.group(5).strip().strip("“”\"").strip()
                facts.cited.append(CitedDocument(m.group(1), number, m.group(3), m.group(4).strip(), title,
                                                 doc.doc_id, (sec.section_id,), m.group(0)))
            for m in _CITED_LAW.finditer(text):
                name = "Luật " + m.group(1)
                if name not in seen:
                    seen[name] = len(facts.cited)
                    facts.cited.append(CitedDocument("Luật", "", "", "", m.group(1), doc.doc_id,
                                                     (sec.section_id,), text))
            # later mentions of the same number without the full citation
            for number, idx in seen.items():
                old = facts.cited[idx]
                if number in text and sec.section_id not in old.section_ids:
                    facts.cited[idx] = CitedDocument(old.kind, old.number, old.date, old.issuer, old.title,
                                                     old.doc_id, old.section_ids + (sec.section_id,), old.quote)


def _build_gazetteer(documents: list[Document], facts: Facts) -> None:
    names: list[str] = []
    for t in facts.tasks:
        names += [n for n in t.leads + t.coordinators if not _GENERIC.match(n)]
    names += [d.agency for d in facts.duties]
    # Ministries whose department ("Sở X") is known and which the text names ("Bộ X").
    full_text = "\n".join(s.text for d in documents for s in d.sections)
    for n in list(names):
        if n.startswith("Sở "):
            ministry = "Bộ " + n[3:]
            if ministry in full_text:
                names.append(ministry)
    names += [n for n in _STANDARD_BODIES if n in full_text]
    forms: dict[str, list[str]] = defaultdict(list)  # key -> every way the documents write the name
    for name in dict.fromkeys(names):
        agency = Agency(name, abbreviation_variants(name))
        facts.agencies.setdefault(agency.key, agency)
        if name not in forms[agency.key]:
            forms[agency.key].append(name)
    facts.aliases = _aliases(facts.agencies, full_text)
    facts.spellings = {k: tuple(v[1:]) for k, v in forms.items() if len(v) > 1}
    for alias, (key, _) in facts.aliases.items():
        forms[key].append(alias)
    # where each body is named, for "what must X do" across the plan
    mentions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc in documents:
        for sec in doc.sections:
            for key in facts.agencies:
                # case-sensitive on the original: "cơ sở y tế" is not "Sở Y tế"
                if any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", sec.text) for form in forms[key]):
                    mentions[key].append((doc.doc_id, sec.section_id))
    for t in facts.tasks:  # names reached only through an elliptical list ("Các Sở: …; Nội vụ")
        for sid, group in ((t.lead_section, t.leads), (t.coord_section, t.coordinators)):
            for name in group:
                key = agency_key(name)
                if sid and key in facts.agencies and (t.doc_id, sid) not in mentions[key]:
                    mentions[key].append((t.doc_id, sid))
    order = {(d.doc_id, s.section_id): i for d in documents for i, s in enumerate(d.sections)}
    facts.mentions = {k: sorted(v, key=lambda ds: order.get(ds, 0)) for k, v in mentions.items()}


