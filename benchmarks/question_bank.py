"""A question bank generated from the section tree: templates × every task and body × variants.

Written questions (benchmarks/questions/) are few per task and per body; this bank asks every kind of
question about every task and every body, in plain, unaccented, abbreviated and typo forms, so that a
mechanism that fails for one task or one body shows. It is generated from the extracted facts, never
hand-edited, and scored with ../shared/eval/score.py's rules like the written sets.

    .venv/bin/python benchmarks/question_bank.py [--show-wrong] [--kind lead]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ascc_bot.facts import abbreviation_variants, agency_key  # noqa: E402
from ascc_bot.text import fold  # noqa: E402

LEAD = ("{X} do cơ quan nào thực hiện?", "Cơ quan nào thực hiện nhiệm vụ {X}?", "Việc {X} được giao cho sở nào?",
        "Ai lo vụ {X} vậy?", "{X} thuộc trách nhiệm của cơ quan nào?", "Sở nào phụ trách {X}?",
        "Cho hỏi {X} là việc của những cơ quan nào?", "Những đơn vị nào được giao {X}?")
COORD = ("Cơ quan nào phối hợp thực hiện nhiệm vụ {X}?", "{X} có những cơ quan phối hợp nào?",
         "Ai phối hợp trong việc {X}?")
CONTENT = ("Nhiệm vụ {X} gồm những nội dung gì?", "{X} cụ thể là làm những gì?", "Kế hoạch đề ra gì về {X}?")
ROLE = ("Nhiệm vụ {X} có giao cho {A} không?", "{A} có phải là cơ quan thực hiện {X} không?")
DUTIES = ("{A} phải làm gì trong kế hoạch?", "{A} có nhiệm vụ gì?", "{A} được giao những việc gì?",
          "Nhiệm vụ của {A} là gì?")
COUNT = ("{A} là cơ quan thực hiện mấy nhiệm vụ?", "{A} thực hiện bao nhiêu nhiệm vụ trong kế hoạch?")
_TITLE_HEAD = re.compile(r"^(Triển khai (và thực hiện )?(thực hiện )?|Tổ chức )(các )?(dịch vụ về |hoạt động )?", re.I)


def topic(title: str) -> str:
    """"Triển khai các hoạt động xây dựng cộng đồng bền vững:" → "xây dựng cộng đồng bền vững"."""
    text = _TITLE_HEAD.sub("", title.rstrip(":").strip())
    return text[:1].lower() + text[1:]


def variants(question: str, agency_names: list[str], rng: random.Random) -> list[tuple[str, str]]:
    out = [("plain", question), ("unaccented", fold(question))]
    for name in agency_names:
        abbr = next(iter(abbreviation_variants(name)), None)
        if abbr and name in question:
            out.append(("abbrev", question.replace(name, f"Sở {abbr}" if name.startswith("Sở ") else abbr)))
    words = question.split()
    accented = [i for i, w in enumerate(words) if fold(w) != w.lower() and len(w) > 2]
    if accented:
        i = rng.choice(accented)
        words[i] = fold(words[i]) if rng.random() < 0.5 else words[i][:-1] + fold(words[i][-1])
        out.append(("typo", " ".join(words)))
    return out


def bank(engine) -> list[dict]:
    rng = random.Random(161)
    facts = engine.facts
    plan_tasks = [t for t in facts.tasks if t.lead_section]
    named = [a.name for a in facts.agencies.values()]
    items: list[dict] = []

    def add(kind: str, question: str, golds: list[str], must: list[str], all_sections: bool = False,
            answerable: bool = True, names: list[str] = ()) -> None:
        for variant, text in variants(question, list(names), rng):
            items.append({"id": f"g{len(items):04d}", "question": text, "category": kind, "variant": variant,
                          "answerable": answerable, "gold_sections": golds, "all_sections": all_sections,
                          "must_contain": must})

    for t in plan_tasks:
        # what a bullet of the task is about, in its own first words: "tăng cường khả năng ứng phó với biến đổi
        # khí hậu" → "Việc tăng cường … được giao cho sở nào?"
        doc = engine.document(t.doc_id)
        bullets = [b.text for s in [doc.section(t.content_section), *doc.descendants(t.content_section or "")]
                   if s is not None for b in s.blocks] if t.content_section else []
        for text in rng.sample(bullets, min(3, len(bullets))):
            fragment = " ".join(re.split(r"[,;:.]", text)[0].split()[:9])
            fragment = fragment[:1].lower() + fragment[1:]
            specific = [n for n in t.leads if agency_key(n) in facts.agencies]
            add("lead_by_content", rng.choice(LEAD).format(X=f"việc {fragment}"), [t.lead_section], specific[:3])
        x = topic(t.title)
        specific_leads = [n for n in t.leads if agency_key(n) in facts.agencies]
        for template in LEAD:
            add("lead", template.format(X=x), [t.lead_section], specific_leads[:3])
        if t.coord_section:
            for template in COORD:
                add("coordinate", template.format(X=x), [t.coord_section], [])
        if t.content_section:
            for template in CONTENT:
                add("content", template.format(X=x), [t.content_section], [])
        lead_keys = {agency_key(n) for n in t.leads}
        outsider = rng.choice([n for n in named if n.startswith("Sở ") and agency_key(n) not in lead_keys])
        for agency in specific_leads[:1] + [outsider]:
            verdict = "Có" if agency_key(agency) in lead_keys else "Không"
            for template in ROLE:
                add("role", template.format(X=x, A=agency), [t.lead_section], [verdict, *specific_leads[:2]],
                    names=[agency])
    for agency in facts.agencies.values():
        key = agency.key
        sections = [sid for t in facts.tasks for sid, names in ((t.lead_section, t.leads),
                    (t.coord_section, t.coordinators)) if sid and any(agency_key(n) == key for n in names)]
        sections += [d.section_id for d in facts.duties if agency_key(d.agency) == key]
        if not sections:
            continue
        for template in DUTIES:
            add("agency_tasks", template.format(A=agency.name), sorted(set(sections)), [], all_sections=True,
                names=[agency.name])
        leads = [t for t in plan_tasks if any(agency_key(n) == key for n in t.leads)]
        if leads:
            for template in COUNT:
                add("count", template.format(A=agency.name), ["II"], [str(len(leads))], names=[agency.name])
    return items


def main() -> int:
    import own_questions as oq

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-wrong", action="store_true")
    ap.add_argument("--kind")
    args = ap.parse_args()
    from ascc_bot.engine import Engine

    engine = Engine(progress=False, log=lambda m: None)
    score = oq.load_scorer()
    rows = []
    for q in bank(engine):
        if args.kind and q["category"] != args.kind:
            continue
        row = score.score_one(q, engine.ask(q["question"]).to_dict())
        row["question"] = q["question"]
        rows.append(row)
    by: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by["kind"][r["category"]].append(bool(r["correct"]))
        by["variant"][r["variant"]].append(bool(r["correct"]))
    for axis, groups in by.items():
        print(axis)
        for name, vals in sorted(groups.items()):
            print(f"  {name:<14} {len(vals):>4} {sum(vals) / len(vals):.3f}")
    if args.show_wrong:
        for r in rows:
            if not r["correct"]:
                print("WRONG", json.dumps({k: r.get(k) for k in ("id", "question", "cited", "missing", "answer")},
                                          ensure_ascii=False)[:300])
    print(json.dumps({"questions": len(rows), "correct": round(sum(r["correct"] for r in rows) / len(rows), 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
