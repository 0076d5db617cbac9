"""The answering before and after the question-understanding redesign, measured in the same run.

"Before" is the code at BEFORE (the last commit with the first answering mechanism), unpacked from
git into a temporary folder; "after" is this working tree. Each runs as a real server
(`ascc-bot serve`) with its own fresh index, and both are asked the same questions over HTTP:
our own questions (tune and test halves, with their dialogues) and the dev set, scored by
../shared/eval/score.py's rules. Writes benchmarks/results/before_after.md and .json.

    .venv/bin/python benchmarks/before_after.py [--before COMMIT]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from own_questions import http_asker, load_scorer, read_jsonl, run  # noqa: E402

BEFORE = "781fcba"  # parent of 876f480, "Question understanding redesign"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
RESULTS = ROOT / "benchmarks" / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tree: Path, work: Path) -> tuple[subprocess.Popen, str]:
    """A server for the package in `tree` (its own index and data under `work`)."""
    port = free_port()
    env = {**os.environ, "ASCC_INDEX_DIR": str(work / "index"), "ASCC_DATA_DIR": str(work / "data"),
           "ASCC_LOCAL_CORPUS_DIR": str(work / "data" / "corpus"), "ASCC_API_RATE_LIMIT_PER_MINUTE": "0",
           "PYTHONPATH": str(tree)}
    # `python -m` from the tree imports that tree's ascc_bot, not the installed one
    proc = subprocess.Popen([sys.executable, "-m", "ascc_bot.cli", "serve", "--port", str(port)], cwd=tree,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            body = json.dumps({"question": "Kế hoạch này là gì?"}).encode()
            req = urllib.request.Request(url + "/api/ask", data=body, headers={"content-type": "application/json"})
            with urllib.request.urlopen(req, timeout=5) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"the server in {tree} exited with {proc.returncode}") from None
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"the server in {tree} did not answer within 10 minutes")


def dev_score(url: str) -> dict:
    score = load_scorer()
    ask = http_asker(url)
    rows = [score.score_one(q, ask(q["question"], None)) for q in read_jsonl(DEV)]
    answerable = [r for r in rows if r["answerable"]]
    return {"questions": len(rows), "correct": sum(r["correct"] for r in rows) / len(rows),
            "false_refusal": sum(r["refused"] for r in answerable) / max(1, len(answerable))}


def measure(tree: Path, work: Path) -> dict:
    proc, url = start(tree, work)
    try:
        ask = http_asker(url)
        quiet = lambda line: None  # noqa: E731
        return {"tune": run("tune", ask, out=quiet), "test": run("test", ask, out=quiet), "dev": dev_score(url)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=BEFORE)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ascc-before-") as tmp:
        old = Path(tmp) / "tree"
        old.mkdir()
        archive = subprocess.run(["git", "archive", args.before], cwd=ROOT, capture_output=True)
        if archive.returncode:
            print(f"commit {args.before} is not in this clone (a shallow clone?): {archive.stderr.decode().strip()}",
                  file=sys.stderr)
            return 2
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        results = {"before": measure(old, Path(tmp) / "before"), "after": measure(ROOT, Path(tmp) / "after")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "before_after.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    rows = [("own questions, test half", "test", "correct"), ("  false refusal", "test", "false_refusal"),
            ("  out-of-scope rejected", "test", "oos_reject"), ("  follow-up turns", "test", "follow_up"),
            ("own questions, tune half", "tune", "correct"), ("dev set", "dev", "correct")]
    out = ["# Before and after the question-understanding redesign", "",
           f"Before: commit {args.before}; after: this tree. Same questions, same run, each through its own "
           "real server with a fresh index.", "",
           f"Own questions: {results['after']['test']['questions']} in the test half (reported, never studied), "
           f"{results['after']['tune']['questions']} in the tune half (used to tune); dev: "
           f"{results['after']['dev']['questions']}.", "",
           "| measure | before | after |", "|---|---|---|"]
    out += [f"| {label} | {results['before'][part][key]:.3f} | {results['after'][part][key]:.3f} |"
            for label, part, key in rows]
    out += ["", "Test half by variant (after):", "", "| variant | n | correct |", "|---|---|---|"]
    out += [f"| {name} | {n} | {value:.3f} |" for name, (n, value) in results["after"]["test"]["by"]["variant"].items()]
    (RESULTS / "before_after.md").write_text("\n".join(out) + "\n", encoding="utf-8")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
