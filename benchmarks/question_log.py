"""What logging every question and the editors' dashboard cost; results to benchmarks/results/question_log.md.

- The question log on the answering path: ``engine.ask`` alone vs ``engine.ask`` + ``log_question``
  (the call every door makes), same questions, same run; p50/p95 and their ratio.
- The writer behind it: rows per second reaching the SQLite file (synchronous=FULL, batched).
- The dashboard over a month of traffic (10 000 logged questions, 2 000 of them unanswered, 300 👎):
  rendering ``/admin`` and grouping the unanswered questions, p50/p95.

    .venv/bin/python benchmarks/question_log.py
"""

from __future__ import annotations

import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ascc_bot.config import Settings  # noqa: E402
from ascc_bot.dashboard import View, group_questions, render_dashboard  # noqa: E402
from ascc_bot.engine import Engine  # noqa: E402
from ascc_bot.feedback import Feedback, FeedbackStore, Filters, feedback_path  # noqa: E402
from ascc_bot.models import Answer  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "question_log.md"
QUESTIONS = ["Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?", "Hạn gửi báo cáo hằng năm là khi nào?",
             "Kinh phí thực hiện kế hoạch lấy từ đâu?", "Sở Tài chính có nhiệm vụ gì?", "Giá vàng hôm nay bao nhiêu?",
             "Sở Y tế phải làm gì trong kế hoạch?", "Cơ quan nào phối hợp thực hiện nhiệm vụ 6?"]
OFF_TOPIC = ["Giá vàng hôm nay bao nhiêu", "Thời tiết Hải Phòng ngày mai", "Lịch cắt điện quận Lê Chân",
             "Học phí năm học mới", "Ai là chủ tịch thành phố", "Tra cứu hộ chiếu ở đâu", "Xe buýt số 7 chạy mấy giờ"]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def timed(fn, rounds: int) -> list[float]:
    out = []
    for i in range(rounds):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ascc-bench-log-"))
    settings = replace(Settings.from_env(), data_dir=work / "data")
    engine = Engine(settings, progress=False, log=lambda msg: None)
    store = FeedbackStore(feedback_path(settings.data_dir))
    rounds = 200
    for q in QUESTIONS:  # warm the caches either way
        engine.ask(q)
    bare: list[float] = []
    logged: list[float] = []
    for i in range(rounds):  # interleaved, so that load from elsewhere falls on both alike
        question = QUESTIONS[i % len(QUESTIONS)]
        bare += timed(lambda _, q=question: engine.ask(q), 1)
        logged += timed(lambda _, q=question: store.log_question("widget", q, engine.ask(q)), 1)
    store.flush()
    call_only = timed(lambda i: store.log_question("api", "q", Answer("a", True, "lead", (), 1.0, f"c{i}")), 2000)
    store.flush()

    rows = 20_000
    answer = Answer("Cơ quan thực hiện nhiệm vụ 6: Sở Y tế; …", True, "lead", (), 0.9, "x")
    start = time.perf_counter()
    for i in range(rows):
        if i % 5000 == 0:
            store.flush(120)  # stay under the queue's bound: this measures the writer, not the drop
        store.log_question("telegram", QUESTIONS[i % len(QUESTIONS)], replace(answer, answer_id=f"w{i}"))
    store.flush(120)
    writer_rate = rows / (time.perf_counter() - start)

    month = FeedbackStore(work / "month.sqlite3")
    rng = random.Random(7)
    now = datetime.now(UTC)
    with month.db.transaction() as tx:
        tx.executemany(
            "INSERT INTO questions (created_at, channel, question, answer_id, intent, answerable, answer) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [((now - timedelta(minutes=rng.randrange(30 * 24 * 60))).isoformat(timespec="seconds"),
              rng.choice(("widget", "telegram", "zalo", "api")),
              f"{rng.choice(OFF_TOPIC)} {rng.choice(('?', 'vậy?', 'là gì', 'thế nào'))}" if i % 5 == 0
              else rng.choice(QUESTIONS), f"m{i}", "out_of_scope" if i % 5 == 0 else "lead", int(i % 5 != 0),
              "Câu trả lời mẫu.") for i in range(10_000)])
    for i in range(300):
        month.add_feedback(Feedback(QUESTIONS[i % len(QUESTIONS)], f"m{i * 5 + 1}", "down", "Chưa đúng"))
    today = now.date()
    view = View(Filters(today - timedelta(days=29), today, ""), today - timedelta(days=29), today)
    render = timed(lambda i: render_dashboard(month, view, "0" * 32, ""), 20)
    unanswered = month.rows("unanswered", view.filters)
    grouping = timed(lambda i: group_questions(unanswered), 20)

    b50, b95 = percentiles(bare)
    l50, l95 = percentiles(logged)
    c50, c95 = percentiles(call_only)
    r50, r95 = percentiles(render)
    g50, g95 = percentiles(grouping)
    RESULTS.write_text(f"""# Question log and dashboard cost

Measured {date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()},
by `benchmarks/question_log.py` (in-process, no HTTP; other load on the machine affects absolute times).

## Logging every question on the answering path ({rounds} asks each, same questions, same run)

| | p50 ms | p95 ms |
| --- | --- | --- |
| `engine.ask` alone (baseline) | {b50:.2f} | {b95:.2f} |
| `engine.ask` + `log_question` | {l50:.2f} | {l95:.2f} |
| ratio to baseline | {l50 / b50:.3f}× | {l95 / b95:.3f}× |
| `log_question` call alone (2000 calls) | {c50 * 1000:.1f} µs | {c95 * 1000:.1f} µs |

The call only queues the row; a writer thread commits batches. Writer throughput:
{writer_rate:,.0f} rows/s reaching the SQLite file (WAL, synchronous=FULL).

## Dashboard over a month of traffic (10 000 questions, 2 000 unanswered, 300 👎)

| | p50 ms | p95 ms |
| --- | --- | --- |
| render `/admin` (queries, grouping, SVG chart) | {r50:.1f} | {r95:.1f} |
| group the {len(unanswered)} unanswered questions | {g50:.1f} | {g95:.1f} |
""", encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
