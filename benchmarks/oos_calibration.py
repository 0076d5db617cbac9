"""Fit the answerability check's thresholds on the tune half of our own questions; report the test half.

The check (ascc_bot/answer/check.py) refuses an answer whose cited text covers too little of the
question's concepts (rarity-weighted): MIN_COVER_VI for Vietnamese questions, MIN_COVER_EN for
English ones, and MIN_DENSE_EN for English questions far from every passage. This sweeps a grid of
values, scores each on the tune half (single questions, scored by ../shared/eval/score.py's rules),
and keeps the most cautious values (the highest thresholds) whose score is within one question of the
best: a wrong answer given with a citation costs an official more than a refusal that says why. Then
it scores the test half once at the chosen values and at the values the code ships with.
Writes benchmarks/results/oos_calibration.md.

    .venv/bin/python benchmarks/oos_calibration.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from importlib import import_module  # noqa: E402

from own_questions import half_of, load_scorer, questions  # noqa: E402

from ascc_bot.engine import Engine  # noqa: E402

check = import_module("ascc_bot.answer.check")  # the module (the package exports a function of that name)

GRID_VI = [0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75]
GRID_EN = [0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65]
GRID_DENSE_EN = [0.8, 0.85, 0.9]


def score(engine: Engine, rows: list[dict], values: tuple[float, float, float]) -> tuple[float, float, float]:
    """(correct, false refusal, out-of-scope rejected) at these thresholds."""
    check.MIN_COVER_VI, check.MIN_COVER_EN, check.MIN_DENSE_EN = values
    scorer = load_scorer()
    results = [scorer.score_one(q, engine.ask(q["question"]).to_dict()) for q in rows]
    answerable = [r for r in results if r["answerable"]]
    oos = [r for r in results if not r["answerable"]]
    return (sum(r["correct"] for r in results) / len(results),
            sum(r["refused"] for r in answerable) / max(1, len(answerable)),
            sum(r["correct"] for r in oos) / max(1, len(oos)))


def main() -> None:
    engine = Engine(progress=False, log=lambda msg: None)
    shipped = (check.MIN_COVER_VI, check.MIN_COVER_EN, check.MIN_DENSE_EN)
    tune, test = questions("tune"), questions("test")
    assert all(half_of(q["id"]) == "test" for q in test)
    # Vietnamese and English questions are judged by separate thresholds, so each is swept with the
    # other held at its shipped value (a full product grid would cost 147 passes for nothing).
    table: dict[tuple[float, float, float], tuple[float, float, float]] = {}
    for vi in GRID_VI:
        table[(vi, shipped[1], shipped[2])] = score(engine, tune, (vi, shipped[1], shipped[2]))
    slack = 1 / len(tune)
    vi_scores = {k[0]: v[0] for k, v in table.items() if k[1:] == shipped[1:]}
    best_vi = _cautious(vi_scores, slack)
    for en, dense in itertools.product(GRID_EN, GRID_DENSE_EN):
        table[(best_vi, en, dense)] = score(engine, tune, (best_vi, en, dense))
    best_en, best_dense = _cautious({k[1:]: v[0] for k, v in table.items() if k[0] == best_vi}, slack)
    chosen = (best_vi, best_en, best_dense)
    test_chosen = score(engine, test, chosen)
    test_shipped = score(engine, test, shipped)
    check.MIN_COVER_VI, check.MIN_COVER_EN, check.MIN_DENSE_EN = shipped

    out = ["# Answerability thresholds, fitted on the tune half", "",
           f"Tune half: {len(tune)} questions; test half: {len(test)} (single questions, no dialogues).", "",
           "| MIN_COVER_VI | MIN_COVER_EN | MIN_DENSE_EN | tune correct | false refusal | out-of-scope rejected |",
           "|---|---|---|---|---|---|"]
    out += [f"| {k[0]} | {k[1]} | {k[2]} | {v[0]:.3f} | {v[1]:.3f} | {v[2]:.3f} |" for k, v in sorted(table.items())]
    out += ["", f"Chosen on the tune half: MIN_COVER_VI={chosen[0]}, MIN_COVER_EN={chosen[1]}, "
            f"MIN_DENSE_EN={chosen[2]}.",
            f"Shipped in ascc_bot/answer/check.py: MIN_COVER_VI={shipped[0]}, MIN_COVER_EN={shipped[1]}, "
            f"MIN_DENSE_EN={shipped[2]}.", "",
            "| test half at | correct | false refusal | out-of-scope rejected |", "|---|---|---|---|",
            f"| chosen | {test_chosen[0]:.3f} | {test_chosen[1]:.3f} | {test_chosen[2]:.3f} |",
            f"| shipped | {test_shipped[0]:.3f} | {test_shipped[1]:.3f} | {test_shipped[2]:.3f} |"]
    path = ROOT / "benchmarks" / "results" / "oos_calibration.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print("\n".join(out[-6:]))


def _cautious(scores: dict, slack: float):
    """The highest thresholds scoring within `slack` of the best."""
    top = max(scores.values())
    return max(k for k, v in scores.items() if v >= top - slack - 1e-9)


if __name__ == "__main__":
    main()
