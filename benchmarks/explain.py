"""Show how the bot reads and answers one question: focus, terms, module, draft, check.

    .venv/bin/python benchmarks/explain.py "Sở nào chủ trì nhiệm vụ 6?" ["follow-up" …]
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ascc_bot.answer import REGISTRY, _compose  # noqa: E402
from ascc_bot.answer.base import Context  # noqa: E402
from ascc_bot.answer.check import coverage  # noqa: E402
from ascc_bot.engine import Engine  # noqa: E402
from ascc_bot.understand import read  # noqa: E402


def main() -> None:
    engine = Engine(progress=False, log=lambda m: None)
    snap = engine.snapshot
    session = None
    for question in sys.argv[1:]:
        q = read(question, snap.lexicon, snap.facts, snap.parts)
        print(f"\n=== {question}\nlang={q.lang} text={q.text!r}\ncues={q.cues!r}")
        print(f"focus={q.focus}\nagencies={q.agencies} task={q.task_number} part={q.part} years={q.years}")
        print(f"topic={q.topic!r}\nterms={q.content_terms} follow={q.follow_up} ref_agency={q.refers_to_agency} "
              f"ref_task={q.refers_to_task} other_place={q.other_place} unknown={q.unknown_agency!r}")
        for clause in q.clauses or (q,):
            ctx = Context(snap, clause, session)
            names = [type(m).__name__ for m in REGISTRY if m.recognises(clause, ctx)]
            print(f"-- clause {clause.original!r}: recognised by {names}")
            ranking = ctx.ranking()
            print("   ranking:", [(s.section.section_id, round(s.score, 3)) for s in ranking.sections[:5]],
                  "top_dense", round(ranking.top_dense, 3))
            draft, verdict = _compose(clause, ctx)
            if draft is None:
                print("   no draft")
                continue
            print(f"   draft {draft.intent}: cites {[c.section_id for c in draft.citations]}")
            print("   " + draft.text[:300].replace("\n", "\n   "))
            print("   coverage", coverage(clause, draft, replace(ctx, q=clause)), "verdict", verdict)
        answer = engine.ask(question, "explain")
        session = engine.sessions.get("explain")
        print(f"=> {answer.intent} answerable={answer.answerable} cites={[c.section_id for c in answer.citations]}")


if __name__ == "__main__":
    main()
