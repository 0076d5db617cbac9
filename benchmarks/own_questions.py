"""Our own questions (benchmarks/questions/), split into a tune half and a test half.

The split is a fixed hash of each question's id, so it never moves: mechanisms are tuned on
the tune half only, and the test half is the honest figure. Questions and dialogues are
scored with ../shared/eval/score.py's own rules (imported from there), either in-process
(fast, for development) or through a real server (``--url``), as the hidden sets are.

    .venv/bin/python benchmarks/own_questions.py --half tune --show-wrong
    .venv/bin/python benchmarks/own_questions.py --half test --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import statistics
import sys
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "benchmarks" / "questions"
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def half_of(item_id: str) -> str:
    return "tune" if int(hashlib.sha256(item_id.encode()).hexdigest()[:8], 16) % 2 == 0 else "test"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _files(kind: str, sets: str) -> list[Path]:
    """The question files of the named sets ("abc": one letter each; "x,za,zb": names of any length), or
    of all sets when none are named."""
    names = set(sets.split(",")) if "," in sets else set(sets)
    return [p for p in sorted(QUESTIONS.glob(f"*-{kind}.jsonl")) if not sets or p.name.split("-")[0] in names]


def questions(half: str, sets: str = "") -> list[dict]:
    rows = [q for p in _files("questions", sets) for q in read_jsonl(p)]
    return [q for q in rows if half == "all" or half_of(q["id"]) == half]


def dialogues(half: str, sets: str = "") -> list[dict]:
    rows = [d for p in _files("dialogues", sets) for d in read_jsonl(p)]
    return [d for d in rows if half == "all" or half_of(d["id"]) == half]


Ask = Callable[[str, str | None], dict]


def in_process_asker() -> Ask:
    sys.path.insert(0, str(ROOT))
    from ascc_bot.engine import Engine

    engine = Engine(progress=False, log=lambda msg: None)
    return lambda question, session: engine.ask(question, session).to_dict()


def http_asker(url: str) -> Ask:
    def ask(question: str, session: str | None) -> dict:
        body = {"question": question} | ({"session_id": session} if session else {})
        req = urllib.request.Request(url.rstrip("/") + "/api/ask", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    return ask


def rate(rows: list[dict], key: str = "correct") -> float:
    vals = [bool(r.get(key)) for r in rows if key in r]
    return sum(vals) / len(vals) if vals else float("nan")


def run(half: str, ask: Ask, show_wrong: bool = False, out=print, sets: str = "") -> dict:
    score = load_scorer()
    rows, latencies = [], []
    for q in questions(half, sets):
        start = time.perf_counter()
        reply = ask(q["question"], None)
        latencies.append((time.perf_counter() - start) * 1000)
        row = score.score_one(q, reply)
        row["question"] = q["question"]
        rows.append(row)
    turns: list[dict] = []
    for d in dialogues(half, sets):
        session = f"bench-{d['id']}-{time.time_ns()}"
        for i, t in enumerate(d["turns"]):
            q = {"id": f"{d['id']}.{i + 1}", "category": t.get("kind", "turn"), "variant": t.get("variant", "plain"),
                 **t}
            row = score.score_one(q, ask(t["question"], session))
            row["question"], row["kind"] = t["question"], t.get("kind", "turn")
            turns.append(row)
    by = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by["category"][r["category"]].append(r)
        by["variant"][r["variant"]].append(r)
    for r in turns:
        by["dialogue turn"][r["kind"]].append(r)
    answerable = [r for r in rows if r["answerable"]]
    oos = [r for r in rows if not r["answerable"]]
    summary = {
        "half": half, "questions": len(rows), "correct": rate(rows), "hit1": rate(answerable, "hit1"),
        "false_refusal": rate(answerable, "refused"), "oos_reject": rate(oos),
        "worst_variant": min(rate(g) for g in by["variant"].values()),
        "dialogue_turns": len(turns), "follow_up": rate([r for r in turns if r["kind"] != "first"]),
        "topic_switch": rate([r for r in turns if r["kind"] == "topic_switch"]),
        "p50_ms": statistics.median(latencies), "p95_ms": sorted(latencies)[int(0.95 * len(latencies)) - 1],
        "by": {axis: {k: [len(v), rate(v)] for k, v in sorted(groups.items())} for axis, groups in by.items()},
    }
    for axis, groups in summary["by"].items():
        out(f"{axis:<14} {'n':>4} {'correct':>8}")
        for name, (n, value) in groups.items():
            out(f"  {name:<12} {n:>4} {value:>8.3f}")
    if show_wrong:
        for r in rows + turns:
            if not r.get("correct"):
                out("WRONG " + json.dumps({k: r.get(k) for k in ("id", "question", "cited", "missing", "answer")
                                            if r.get(k) is not None}, ensure_ascii=False))
    out(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in summary.items() if k != "by"}))
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=("tune", "test", "all"), default="tune")
    ap.add_argument("--url", help="score through a running server instead of in-process")
    ap.add_argument("--show-wrong", action="store_true")
    ap.add_argument("--report", type=Path, help="write the summary here (JSON)")
    ap.add_argument("--sets", default="",
                    help="only these sets: letters (\"jk\") or names with commas (\"x,za\"); all when empty")
    args = ap.parse_args()
    if args.half != "tune" and args.show_wrong:
        print("the test half is reported, not studied: --show-wrong only with --half tune", file=sys.stderr)
        return 2
    ask = http_asker(args.url) if args.url else in_process_asker()
    summary = run(args.half, ask, args.show_wrong, sets=args.sets)
    if args.report:
        args.report.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
