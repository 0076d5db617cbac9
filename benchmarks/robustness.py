"""Robustness: the tune half's questions that the bot answers right, rewritten the ways people type
(a polite chat wrapper, no diacritics, a closing particle), scored again.

Only the tune half is rewritten, so the test half stays unseen. A rewrite keeps the question's gold,
so a drop says which way of typing the reading does not hold.

    .venv/bin/python benchmarks/robustness.py [--show-wrong] [--report benchmarks/results/robustness.md]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from own_questions import load_scorer, questions  # noqa: E402

from ascc_bot.engine import Engine  # noqa: E402
from ascc_bot.facts import Facts  # noqa: E402
from ascc_bot.text import fold  # noqa: E402

# How people wrap a question in chat (Vietnamese) and on a portal (English); each rewrite is general.
# The short forms officials write (Nghị định 30/2020/NĐ-CP lets a text abbreviate a name spelt out once).
_SHORT = (("Sở Lao động Thương binh và Xã hội", "Sở LĐTBXH"), ("Sở Tài nguyên và Môi trường", "Sở TN&MT"),
          ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"), ("Sở Văn hóa và Thể thao", "Sở VH&TT"),
          ("Sở Thông tin và Truyền thông", "Sở TT&TT"), ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
          ("Ủy ban nhân dân", "UBND"), ("thành phố", "TP"), ("kế hoạch", "KH"), ("Kế hoạch", "KH"),
          ("nhiệm vụ", "NV"), ("Nhiệm vụ", "NV"))


def _abbreviated(q: str) -> str:
    for full, short in _SHORT:
        q = q.replace(full, short)
    return q


def _slip(q: str) -> str:
    """The longest word with a tone mark typed without it: the commonest slip."""
    words = q.split()
    marked = [w for w in words if fold(w) != w.lower() and len(w) > 3]
    if not marked:
        return q
    target = max(marked, key=len)
    return q.replace(target, fold(target) if target.islower() else fold(target).capitalize(), 1)


REWRITES_VI = {
    "chat wrapper": lambda q: f"cho em hỏi chút, {q[:1].lower() + q[1:].rstrip('?')} vậy ạ?",
    "no diacritics": lambda q: fold(q),
    "wrapper, no diacritics": lambda q: fold(f"ad ơi cho mình hỏi {q[:1].lower() + q[1:].rstrip('?')} nhé"),
    "trailing particle": lambda q: f"{q.rstrip('?').rstrip()} hả?",
    "abbreviated": _abbreviated,
    "one word without its tone mark": _slip,
}
REWRITES_EN = {
    "polite wrapper": lambda q: f"Hello, could you tell me: {q[:1].lower() + q[1:]}",
    "lower case, no punctuation": lambda q: q.lower().rstrip("?").replace(",", ""),
}


# Questions about every task and body that no plan answers, by kind: amounts it never gives, results,
# people, contacts, years past its timeline, another province, penalties, citizens' procedures.
OOS_VI = (
    ("amount", "Nhiệm vụ {X} được cấp bao nhiêu tỷ đồng?"),
    ("results", "Kết quả thực hiện {X} đến nay ra sao?"),
    ("person", "Giám đốc {A} hiện nay là ai?"),
    ("contact", "Số điện thoại của {A} là bao nhiêu?"),
    ("after the timeline", "Giai đoạn 2026-2030 {A} phải làm gì?"),
    ("other province", "Hà Nội giao việc {X} cho sở nào?"),
    ("penalty", "{A} bị xử phạt thế nào nếu không hoàn thành {X}?"),
    ("procedure", "Người dân muốn tham gia {X} thì cần nộp giấy tờ gì?"),
)
OOS_EN = (
    ("person", "Who is the current director of the {E}?"),
    ("contact", "What is the phone number of the {E}?"),
    ("results", "What has the {E} achieved so far under the plan?"),
    ("after the timeline", "What will the {E} have to do in 2035?"),
)


def out_of_scope_probes(ask, facts: Facts) -> list[str]:
    from question_bank import topic

    from ascc_bot.understand import english_name

    topics = [topic(t.title) for t in facts.tasks]
    bodies = sorted({n for t in facts.tasks for n in t.leads if n.startswith("Sở ")})
    rows = ["", "Out-of-scope probes: every task and body asked what no plan answers; refused:", "",
            "| kind | questions | refused |", "|---|---|---|"]
    wrong = []
    for kind, template in [*OOS_VI, *OOS_EN]:
        if "{E}" in template:
            asked = [template.format(E=english_name(b)) for b in bodies if english_name(b)]
        elif "{A}" in template and "{X}" in template:
            asked = [template.format(A=b, X=x) for b, x in zip(bodies, topics)]
        elif "{A}" in template:
            asked = [template.format(A=b) for b in bodies]
        else:
            asked = [template.format(X=x) for x in topics]
        refused = [q for q in asked if ask(q, None).get("answerable") is False]
        wrong += [f"answered: {q}" for q in asked if q not in refused]
        lang = "en" if "{E}" in template else "vi"
        rows.append(f"| {kind} ({lang}) | {len(asked)} | {len(refused) / len(asked):.3f} |")
    return rows + [""] + wrong


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-wrong", action="store_true")
    ap.add_argument("--report", type=Path)
    args = ap.parse_args()
    score = load_scorer()
    engine = Engine(progress=False, log=lambda m: None)  # one engine: the probes read its facts

    def ask(question: str, session: str | None) -> dict:
        return engine.ask(question, session).to_dict()

    base = [q for q in questions("tune") if q["variant"] in ("plain", "english")]
    kept = [q for q in base if score.score_one(q, ask(q["question"], None))["correct"]]
    rows = [f"Tune half, questions written plain (Vietnamese) or in English and answered right as written: "
            f"{len(kept)} of {len(base)}.", "", "| rewrite | questions | still right |", "|---|---|---|"]
    wrong: list[str] = []
    for name, rewrite in [*REWRITES_VI.items(), *REWRITES_EN.items()]:
        english = name in REWRITES_EN
        pool = [q for q in kept if (q["variant"] == "english") == english]
        right = 0
        for q in pool:
            text = rewrite(q["question"])
            if score.score_one({**q, "question": text}, ask(text, None))["correct"]:
                right += 1
            else:
                wrong.append(f"{name}: {q['id']}: {text}")
        rows.append(f"| {name} | {len(pool)} | {right / len(pool):.3f} |" if pool else f"| {name} | 0 | - |")
    probes = out_of_scope_probes(ask, engine.snapshot.facts)
    answered = [r for r in probes if r.startswith("answered: ")]
    rows += [r for r in probes if not r.startswith("answered: ")][:-1]
    print("\n".join(rows))
    if args.show_wrong:
        print("\n".join(wrong + answered))
    if args.report:
        args.report.write_text("# Robustness to the ways people type\n\n" + __doc__.split("\n\n")[0] + "\n\n"
                               + "\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
