"""Questions about a document itself: what it is about, who issued it, and who receives it.

"Kế hoạch này nói về gì?", "tóm tắt giúp mình", "Ai ban hành kế hoạch?", "What is this plan about?",
"Who issued the plan?", "Kế hoạch gửi cho những ai?" (its "Nơi nhận" list), "Who receives the plan?".
"""

from __future__ import annotations

import re

from ..facts import agency_key
from ..models import Citation
from ..retrieve import named_documents
from ..sections import Document, section_label
from ..text import fold, syllables
from ..understand import Question, expand_abbreviations
from .base import PLAN_WORDS, Context, Draft
from .time import SENDING_WORDS
from .unknowable import names_other_document, plans_pillar

_ABOUT_VI = re.compile(r"\b(noi ve (gi|cai gi|dieu gi|van de gi|nhung gi|viec gi|chuyen gi|nhung viec gi)|"
                       r"ve (van de|noi dung) gi|"
                       r"gioi thieu|muc dich (cua ke hoach|chinh)|noi dung chinh cua (ke hoach|van ban)|y chinh)\b"
                       r"|^(cai )?(ke hoach|van ban)( nay)? (la|ve|de) (gi|cai gi|lam gi)\b"
                       r"|\b(ke hoach|van ban) nay (la )?(ve|noi ve) (gi|cai gi|dieu gi|viec gi)\b"
                       r"|\bten (day du |chinh thuc )?(cua )?(ke hoach|van ban)\b"
                       r"|\b(ke hoach|van ban)( nay)? ten (la )?gi\b"
                       # "… có đăng cái kế hoạch asean, đọc hổng hiểu, nó là cái gì vậy?": the plan the story names
                       r"|\b(ke hoach|van ban)\b.*\b(no|cai nay|cai do) la (cai )?gi\b"
                       # "tài liệu này là kế hoạch gì?": which document this is
                       r"|\b(tai lieu|van ban|ke hoach|cai)( nay| do| ay)? la (ke hoach|van ban|tai lieu|cai) "
                       r"(gi|nao)\b")
_SUMMARY_VI = re.compile(r"\btom (tat|luoc)\b")
# why the document was made: what it implements and what it aims at ("Vì sao thành phố ban hành kế hoạch này?",
# "Kế hoạch ra đời để làm gì?", "Why did Hai Phong draw up this plan?")
_WHY_VI = re.compile(r"\b(vi sao|tai sao|ly do|li do|sao lai)\b.{0,40}"
                     r"\b(ban hanh|xay dung|lam|lap|soan|ra doi|dua ra|co)( ra)? (ke hoach|van ban)\b"
                     r"|\b(ke hoach|van ban)( nay)? (duoc )?(ban hanh|xay dung|lam ra|lap ra|soan ra|ra doi|dua ra)"
                     r" (vi sao|tai sao|vi ly do gi|vi li do gi|de lam gi|nham muc dich gi|voi muc dich gi)\b")
_WHY_EN = re.compile(r"\bwhy\b.{0,40}\b(draw|drew|drawn|draft\w*|make|made|issue\w*|write|wrote|written|creat\w*|"
                     r"produc\w*|adopt\w*|launch\w*|need\w*)\b.{0,30}\b(this|the|a|its) (\w+ ){0,3}(plan|document)\b"
                     r"|\bwhy (is there|does \w+( \w+)? have|do (we|they) have) (a|this|the) (\w+ ){0,3}"
                     r"(plan|document)\b"
                     r"|\bwhy (was|is|were|has been) (this|the|a) (\w+ ){0,3}(plan|document) (\w+ ){0,2}(made|drawn up|"
                     r"drafted|issued|written|created|produced|adopted|launched|needed)\b")
_ABOUT_EN = re.compile(r"\b((full |official )?(title|name) of (this|the) (plan|document)|"
                       r"what('s| is) it about|about what|summar\w*|"
                       r"overview|purpose of (this|the) (plan|document)|in (brief|short|a nutshell|one sentence|a "
                       r"sentence|a few words)|"
                       r"what does (this|the) plan (cover|do))\b"
                       r"|\bwhat (kind of |sort of )?(plan|document) is (this|it)\b"
                       # "a quick rundown of what this document is", "the gist of this plan": the whole document
                       r"|\b(rundown|gist|recap) of (what )?(this|the|it)( plan| document)?\b(?! (plan|document)?\w)"
                       r"|\bwhat (this|the) (plan|document) is( about| for)?\s*[?.!]?\s*$"
                       # "what is this (Hai Phong) plan (about)?", the whole question, not "what is the plan's timeline"
                       # nor "what is the timeline of the plan?"
                       r"|\bwhat is (this|the) ((?!of\b)[\w'-]+ ){0,3}(plan|document)( about)?\s*[?.!]?\s*$"
                       r"|\bwhat('s| is) (this|the) ((?!of\b)[\w'-]+ ){0,3}(plan|document) about\b")
_ISSUER_VI = re.compile(r"\b(ai|co quan nao|don vi nao|cap nao|noi nao) (ban hanh|xay dung|soan|lap|phat hanh|ra"
                        r"|lam ra|soan ra|viet ra)\b"
                        r"|\b(ban hanh|xay dung|lap|soan) boi\b|\b(do|cua) (ai|co quan nao|don vi nao) (ban hanh|lap"
                        r"|lam ra|soan ra|xay dung)"
                        r"|\bco quan ban hanh\b"
                        r"|^(cai )?(ke hoach|van ban)( nay)? (duoc )?(do|boi) .*\bban hanh\b"
                        # "xây dựng theo hướng dẫn của bộ nào", "văn bản của cấp nào"
                        r"|\btheo huong dan cua (bo|co quan|ai) nao\b|\bhuong dan cua (bo|co quan) nao\b"
                        r"|^(cai )?(ke hoach|van ban)( nay)? (la )?(van ban )?cua (cap|co quan|don vi) nao\b")
_ISSUER_EN = re.compile(r"\b(who|which (body|agency|authority|department|ministry|organi[sz]ation|level)\W?s?)\b"
                        r"[\w' ]{0,30}\b(issued|wrote|drafted|adopted|published|made|prepared|developed|drew up|"
                        # "which department issues it?"; "handles disability issues" is a noun
                        r"drawn up|issues(?= (the|this|it|that)\b))\b|\b(issued|drawn up|drafted|prepared) (by|under)\b"
                        r"|\bissuing (body|authority|agency)\b|\bwhose guidance\b|\bguidance of which\b")
# the plan itself sent somewhere (its "Nơi nhận"), not something "of the plan" sent ("dự toán … gửi cho ai")
_RECIPIENTS_VI = re.compile(r"\bnoi nhan\b"
                            r"|^((a ma|ma|the|con|vay|the con) )?(cai )?(ke hoach|van ban)( nay| do| ay)? "
                            r"(co )?(duoc )?(gui|phat hanh|chuyen)"
                            r"( den| toi| cho)? (nhung |cac )?(ai|dau|((co quan|don vi|to chuc|noi|so|ban|nganh)"
                            r"( ,| va)? )+nao)\b"
                            r"|\b(ai|co quan nao|don vi nao|nhung ai) (duoc )?nhan (ke hoach|van ban)\b"
                            r"|^(cai )?(ke hoach|van ban)( nay| do| ay)? (co )?(duoc )?gui\b.*\bkhong\W*$")
# ("who gets people to use …" makes them do it: "gets" receives only the plan, a copy, or nothing named)
_RECIPIENTS_EN = re.compile(r"\brecipients?\b|\bdistribution list\b|\bwho (receives|received)\b"
                            r"|\bwho (gets|got) (it|this|a copy|copies|the plan|this plan|the document)\b"
                            r"|\bwho (gets|got)\W*$"
                            r"|\bto whom is (the|this) (plan|document)\b|\b(plan|document) (is |was )?sent to\b")
# "Kế hoạch có gửi lên cổng thông tin điện tử không?": whether something the list names received it
_SENT_TO_VI = re.compile(r"^((the|vay|con) )?(cai )?(ke hoach|van ban)( nay| do| ay)? (co )?(duoc )?"
                         r"((gui|chuyen|phat hanh)( len| den| toi| cho| ve)?|(dua|dang) len) (?!bao cao\b)"
                         r".+\b(khong|chua)\b")
_SENT_VI = re.compile(r"\b(gui|nhan|phat hanh|chuyen)\b")
_SENT_EN = re.compile(r"\b(sent|send|receives?|received|gets?|copied)\b")
_SIGNATURE = re.compile(r"^(TM\.|KT\.|T/M|CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|Q\. ?CHỦ TỊCH)", re.IGNORECASE)


def _doc_for(q: Question, ctx: Context) -> Document | None:
    """The document asked about: the one the question names, else the best-ranked, else the first."""
    if not ctx.snap.documents:
        return None
    ranked = ctx.ranking(q).sections
    return ranked[0].doc if ctx.several_documents and ranked else ctx.snap.documents[0]


def _names_a_loaded_document(q: Question, ctx: Context) -> bool:
    return bool(named_documents(q.folded, list(ctx.snap.documents)))


class Recipients:
    intent = "overview"

    def recognises(self, q: Question, ctx: Context) -> bool:
        s = ctx.session
        # "And who receives it besides the Labour department?" after the yearly report: the report's own recipients
        about_report = s is not None and s.intent == "deadline" and q.refers_to_task
        if q.matches(_RECIPIENTS_VI, _RECIPIENTS_EN) and not q.focus.report and not about_report:
            return True
        if q.focus.yes_no and not q.focus.report and q.matches(_SENT_TO_VI):
            return True
        # after the list: "có gửi Ban Tuyên giáo Thành ủy không?", "Is it sent to the Ministry?"
        after_list = s is not None and s.intent == self.intent and "closing" in s.sections
        return after_list and q.focus.yes_no and bool(q.agencies) and q.matches(_SENT_VI, _SENT_EN)

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        doc = _doc_for(q, ctx)
        closing = doc.section("closing") if doc else None
        if closing is None:
            return None
        texts = [b.text for b in closing.blocks]
        start = next((i for i, t in enumerate(texts) if t.lower().startswith("nơi nhận")), None)
        if start is None:
            return None
        names = []
        for t in texts[start + 1:]:
            if _SIGNATURE.match(t):
                break
            names.append(t)
        if not names:
            return None
        answer: list[str] = []
        lex = ctx.snap.lexicon
        spelled = [expand_abbreviations(n, lex) for n in names]  # "Cổng TTĐT TP": the list's own abbreviations
        listed = [" " + " ".join(syllables(n)) + " " for n in spelled]
        if q.focus.yes_no:
            common = None
            if q.agencies:
                keys = [agency_key(a) for a in q.agencies]
                hit = all(any(f" {k} " in f" {' '.join(w for w in n.split() if w not in ('va', 'cac'))} "
                              for n in listed) for k in keys)
                # "Sở Y tế" is not named, but a line sends it to every department ("Các Sở, ban, ngành …")
                kinds = {k.split()[0] for k in keys}
                if not hit and len(kinds) == 1:
                    kind = kinds.pop()
                    common = next((names[i] for i, n in enumerate(listed) if n.startswith(f" cac {kind} ")), None)
            else:  # a recipient that is no body: its words are all in one line of the list
                asked = [t for t in q.content_terms if t not in SENDING_WORDS and t not in ("dua", "dang", "phat hanh")]
                hit = bool(asked) and any(all(f" {t} " in n for t in asked) for n in listed)
            if common is not None:
                answer = [f"Not by name, but through the line “{common.rstrip(';. ')}”." if q.lang == "en" else
                          f"Không nêu tên riêng, nhưng có trong dòng chung “{common.rstrip(';. ')}”."]
            else:
                answer = [("Yes." if hit else "No, not by name.") if q.lang == "en" else
                          ("Có." if hit else "Không có tên trong danh sách nơi nhận.")]
        head = (f"The plan's recipients (“Nơi nhận”, {section_label('closing')}):" if q.lang == "en" else
                f"Nơi nhận của {doc.meta.short_title} ({ctx.where(doc, 'closing')}):")
        lines = [*answer, head, *(f"- {n}" + (f" ({full.rstrip(';. ')})" if full != n else "")
                                  for n, full in zip(names, spelled))]
        # one citation (the list's heading, "Nơi nhận:"): the sources name the closing once
        return Draft(self.intent, tuple(lines), (ctx.cite(doc, "closing", texts[start]),), 0.9, about_document=True)


def _general_goal(ctx: Context, doc: Document) -> tuple[str, Citation] | None:
    """The goal a document sets out, quoted with its place: the first item of its goals part ("Mục tiêu chung"),
    or the part itself when it has no items."""
    goals = next((s for s in doc.sections if s.kind in ("part", "chapter") and "mục tiêu" in s.title.lower()), None)
    kids = doc.children(goals.section_id) if goals else []
    found = kids[0] if kids else goals
    if found is None or not found.blocks:
        return None
    goal = " ".join(b.text for b in found.blocks)
    return (f"{ctx.where(doc, found.section_id)} ({found.title.rstrip(': ')}): «{goal}»",
            ctx.cite(doc, found.section_id, goal))


def _why_made(ctx: Context, doc: Document, q: Question, basis: list[str]) -> Draft | None:
    """Why a document was made, in its own words: the lines of its opening that say what it implements, then the
    goal it sets out (the first goal item, "Mục tiêu chung")."""
    goal = _general_goal(ctx, doc)
    if not basis and goal is None:
        return None
    en = q.lang == "en"
    lines = ["The plan says what it implements:" if en else "Văn bản nêu rõ căn cứ và mục đích:"]
    where = section_label("preamble") if en else ctx.where(doc, "preamble")
    basis = list(dict.fromkeys(basis))
    lines += [f"«{t}» ({where})" for t in basis]
    cites = [ctx.cite(doc, "preamble", t) for t in basis]
    if goal is not None:
        lines.append(goal[0])
        cites.append(goal[1])
    return Draft("overview", tuple(lines), tuple(cites), 0.85, about_document=True)


def _issuer_verdict(q: Question, issuer: str, named: tuple[str, ...] = ()) -> str:
    """"Do UBND thành phố hay Sở LĐTBXH ban hành?": which of the named bodies issued it (or guided it), or yes/no."""
    named = named or q.agencies
    if not issuer or not named or not (q.focus.choice or q.focus.yes_no):
        return ""
    issued = [n for n in named if agency_key(issuer).startswith(agency_key(n))]  # "… thành phố (Hải Phòng)"
    en = q.lang == "en"
    if q.focus.choice:  # (a body the documents do not name may be the other choice: "Bộ Y tế hay Bộ LĐTBXH?")
        return (f"{issued[0]}." if issued else ("Neither." if en else "Không phải các cơ quan đó."))
    return ("Yes." if en else "Có.") if issued else ("No." if en else "Không.")


# "do ai lập", "ai xây dựng": the making of the document, unless the question starts by naming something
# else that is made ("Dự toán … do ai lập?": the budget estimates, which part III gives to their makers)
_DOCUMENT_FIRST = re.compile(r"^(cai |ban )?(ke hoach|van ban|kh|quyet dinh|nghi quyet|de an|chuong trinh)\b")
_MAKING = frozenset({"ban hanh", "lap", "xay dung", "soan", "soan thao", "ky", "phat hanh", "huong dan", "can cu"})


def _made_elsewhere(q: Question, ctx: Context) -> bool:
    """A Vietnamese question about who makes a thing the document's heading does not name."""
    if q.lang == "en" or _DOCUMENT_FIRST.search(q.cues):
        return False
    doc = _doc_for(q, ctx)
    pre = doc.section("preamble") if doc else None
    heading = f" {' '.join(syllables(pre.text))} " if pre else " "
    return any(" " in t and t not in _MAKING and f" {t} " not in heading for t in q.content_terms)


def _topic_terms(q: Question, ctx: Context) -> list[str]:
    """The question's content terms less those of the issuer's own name: "kế hoạch này của thành phố Hải Phòng
    nói về gì?" names the plan by its city, not a topic."""
    doc = ctx.snap.documents[0] if len(ctx.snap.documents) == 1 else None
    own = f" {fold(doc.meta.issuer).lower()} " if doc and doc.meta.issuer else ""
    return [t for t in q.content_terms if f" {t} " not in own]


# "X là gì?", "What is X?", "X nghĩa là gì": what a name means
_DEFINE_VI = re.compile(r"\b(la gi|la cai gi|nghia la gi|co nghia (la )?gi|la (nhu the nao|sao))"
                        r"( (vay|the|a|ha|nhi|nhe|ban|ad|admin))*\W*$")
_NAME_MIN_SYLLABLES = 5  # a name of five syllables or more ("Cộng đồng Văn hóa - Xã hội ASEAN" has seven)
_QUESTION_SYLLABLES = frozenset({"what", "is", "s", "are", "the", "a", "an", "does", "mean", "stand", "for"})
_DEFINE_EN = re.compile(r"^what(?: is|'s| are)? (?!the (plan|document)\b)[^?]+?\W*$|\b(mean|stand for)\W*$")


def _names_the_subject(q: Question, ctx: Context) -> bool:
    """"ASCC là gì?", "What is the ASEAN Socio-Cultural Community?": a long name a document's title holds, said
    whole (its words side by side in the title, in any order), asked what it is: the document answers with its
    title, preamble and general goal. A word or two of it ("ASEAN là gì?", "Hải Phòng là gì?") is a topic."""
    if not q.matches(_DEFINE_VI, _DEFINE_EN):
        return False
    asked = [s for t in q.content_terms for s in t.split()]
    if q.lang == "en" and not asked:  # "What is ASCC?": the name the abbreviation stands for, in the text
        asked = syllables(q.text.split("?")[0])
    for doc in ctx.snap.documents:
        title = syllables(doc.meta.title)
        words = {s for s in asked if s in title}
        if len(words) < _NAME_MIN_SYLLABLES or len(words) < len(set(asked) - _QUESTION_SYLLABLES):
            continue
        if any(set(title[i:i + len(words)]) == words for i in range(len(title) - len(words) + 1)):
            return True
    return False


# "KH được xây dựng theo hướng dẫn của Bộ Nội vụ hả?", "Was the plan drawn up under the guidance of …?": whose
# guidance the document was made under, as its preamble says ("Theo hướng dẫn của …")
_GUIDANCE_VI = re.compile(r"\btheo (huong dan|hd|chi dao) cua\b|\bhuong dan cua (bo|co quan)\b")
_GUIDANCE_EN = re.compile(r"\b(guidance|guidelines?|instructions?) (of|from)\b|\bguided by\b")
_GUIDANCE_LINE = re.compile(r"^Theo hướng dẫn của (.+?)(?:,|$)")


def asks_the_guide(q: Question) -> bool:
    """Whether the question asks whose guidance the document itself follows, or whether it is a body's."""
    return bool(q.matches(_GUIDANCE_VI, _GUIDANCE_EN)) and bool(PLAN_WORDS.search(q.cues))


def _guidance(q: Question, ctx: Context, doc: Document, lines: list[str]) -> Draft | None:
    """Whose guidance the preamble says the document follows, and whether that is the body the question names."""
    line = next((t for t in lines if _GUIDANCE_LINE.match(t)), None)
    if line is None:
        return None
    guide = _GUIDANCE_LINE.match(line).group(1).strip()
    en = q.lang == "en"
    out = []
    verdict = _issuer_verdict(q, guide, q.agencies + ((q.unknown_agency,) if q.unknown_agency else ()))
    if verdict:
        out.append(verdict)
    where = ctx.where(doc, "preamble")
    out.append(f"{doc.meta.short_title} was drawn up under the guidance of {guide} ({where})." if en else
               f"{doc.meta.short_title} được xây dựng theo hướng dẫn của {guide} ({where}).")
    out.append(f"«{line}»")
    return Draft("overview", tuple(out), (ctx.cite(doc, "preamble", line),), 0.9, agencies=(guide,),
                 about_document=True)


class Overview:
    intent = "overview"

    def recognises(self, q: Question, ctx: Context) -> bool:
        if q.agencies and not q.matches(_ISSUER_VI, _ISSUER_EN) and not asks_the_guide(q):
            return False
        # "nói về gì" of the document, not "nói gì về X" nor "khoản cuối nói về gì"
        # "tóm tắt kế hoạch" summarises the plan, "tóm tắt các giải pháp" one of its topics
        # ("tóm tắt giúp các giải pháp còn lại" after a turn on the solutions: those, not the plan)
        summary = q.lang == "vi" and _SUMMARY_VI.search(q.cues) and not q.content_terms and not q.echoed
        # "that department … Summarise it for me": what the last turn named, not the plan
        back = (q.refers_to_agency or q.refers_to_task) and ctx.session is not None and bool(ctx.session.sections)
        # "Which ASEAN pillar is this plan about?": the community its title names, whatever words name it
        about = (q.matches(_ABOUT_VI, _ABOUT_EN) and len(_topic_terms(q, ctx)) <= 1 or summary
                 or q.matches(_WHY_VI, _WHY_EN) or plans_pillar(q) or _names_the_subject(q, ctx)) and not q.section \
            and not q.part and not q.task_number and not back  # "nhiệm vụ thứ 9 nói về việc gì?": the task
        # "thế còn nghị quyết 21 thì nói về gì": a document the plan cites, not the plan (unless it is loaded)
        about = about and not (names_other_document(q) and not _names_a_loaded_document(q, ctx))
        if q.focus.duty and not about:  # "nói về việc gì" reads as a duty too
            return False
        # "Nghị quyết 15-NQ/TW do cơ quan nào ban hành?": the issuer of a document the plan cites, in its words
        return about or asks_the_guide(q) or (q.matches(_ISSUER_VI, _ISSUER_EN) and not _made_elsewhere(q, ctx)
                         and not (names_other_document(q) and not _names_a_loaded_document(q, ctx)))

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        doc = _doc_for(q, ctx)
        if doc is None:
            return None
        meta = doc.meta
        pre = doc.section("preamble")
        lines = [b.text for b in pre.blocks] if pre else []
        en = q.lang == "en"
        out: list[str] = []
        cites = []
        issuer_line = next((t for t in lines if meta.issuer and meta.issuer.lower() in t.lower()), None)
        # the line that cites what it implements, before a heading in capitals that also names it
        basis_line = next((t for t in sorted(lines, key=str.isupper)
                           if meta.implements and meta.implements.lower() in t.lower()), None)
        if asks_the_guide(q):
            guided = _guidance(q, ctx, doc, lines)
            if guided is not None:
                return guided
        if q.matches(_ISSUER_VI, _ISSUER_EN):
            verdict = _issuer_verdict(q, meta.issuer)
            if verdict:
                out.append(verdict)
            out.append(f"{meta.short_title} was issued by {meta.issuer} ({section_label('preamble')})." if en else
                       f"Cơ quan ban hành {meta.short_title}: {meta.issuer} ({ctx.where(doc, 'preamble')}).")
            quote = issuer_line or (lines[0] if lines else meta.title)
            out.append(f"«{quote}»")
            cites.append(ctx.cite(doc, "preamble", quote))
            return Draft(self.intent, tuple(out), tuple(cites), 0.9, agencies=(meta.issuer,) if meta.issuer else (),
                         about_document=True)
        if q.matches(_WHY_VI, _WHY_EN):  # why it was made: what it implements, and its general goal
            return _why_made(ctx, doc, q, [t for t in (basis_line, issuer_line) if t])
        # what it is about: its title, what it implements, its parts and tasks
        out.append(f"{meta.title}." if not en else f"{meta.title} (issued by {meta.issuer}).")
        if issuer_line:
            out.append(f"«{issuer_line}»")
            cites.append(ctx.cite(doc, "preamble", issuer_line))
        if basis_line and basis_line != issuer_line:
            out.append(f"«{basis_line}»")
            cites.append(ctx.cite(doc, "preamble", basis_line))
        goal = _general_goal(ctx, doc)  # what it aims at, in its own words
        if goal is not None:
            out.append(goal[0])
            cites.append(goal[1])
        parts = [s for s in doc.sections if s.kind in ("part", "chapter")]
        if parts:
            out.append("Its parts:" if en else "Các phần của văn bản:")
            for p in parts:
                out.append(f"- {section_label(p.section_id)}: {p.title.capitalize()}")
                cites.append(ctx.cite(doc, p.section_id, p.title))
        tasks = [t for t in ctx.facts.tasks if t.doc_id == doc.doc_id]
        if tasks:
            out.append(f"{len(tasks)} tasks:" if en else f"{len(tasks)} nhiệm vụ:")
            out += [f"- {t.number}. {t.title} ({section_label(t.section_id)})" for t in tasks]
        return Draft(self.intent, tuple(out), tuple(cites), 0.85, about_document=True)
