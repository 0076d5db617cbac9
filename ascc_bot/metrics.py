"""What ``/metrics`` reports, in Prometheus's text format (``prometheus-client``).

With ``ascc-bot serve --workers N`` every worker is a process of its own, so the values live in
files under ``PROMETHEUS_MULTIPROC_DIR`` (set by ``serve`` before the workers start) and one scrape,
whichever worker answers it, adds up all of them. The index gauges keep one series per worker
(label ``pid``): after an ingest they show whether every worker has loaded the new generation.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)

disable_created_metrics()  # a `_created` series per counter doubles the scrape and nobody reads it

REQUESTS = Counter("ascc_http_requests", "HTTP requests answered, by route template and status",
                   ["method", "route", "status"])
LATENCY = Histogram("ascc_http_request_duration_seconds", "Time to answer an HTTP request, by route template",
                    ["route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
ANSWERS = Counter("ascc_answers", "Questions answered through /api/ask, by intent", ["intent"])
REFUSALS = Counter("ascc_refusals", "Answers that say the documents do not answer (answerable false), by intent",
                   ["intent"])
RATE_LIMITED = Counter("ascc_rate_limited", "Messages refused by a rate limit, by door", ["scope"])
INDEX_CHUNKS_NAME = "ascc_index_chunks"
INDEX_CHUNKS = Gauge(INDEX_CHUNKS_NAME, "Chunks in the loaded search index", multiprocess_mode="liveall")
INDEX_BUILT = Gauge("ascc_index_built_timestamp_seconds", "When the loaded index generation was built",
                    multiprocess_mode="liveall")
INDEX_INFO = Gauge("ascc_index_info", "The loaded index generation: 1 for the corpus fingerprint in use",
                   ["corpus", "encoder"], multiprocess_mode="liveall")

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def render() -> tuple[bytes, str]:
    """The exposition text and its content type; in multiprocess mode, summed over every worker."""
    if os.environ.get(MULTIPROCESS_ENV):
        return generate_latest(_every_worker()), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def _every_worker() -> CollectorRegistry:
    """The values every worker wrote under PROMETHEUS_MULTIPROC_DIR, read now."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


class IndexGauges:
    """Publishes the engine's loaded index; ``update`` is cheap when nothing changed."""

    def __init__(self) -> None:
        self._shown: tuple[str, str] | None = None

    def update(self, manifest: dict, chunks: int) -> None:
        shown = (str(manifest.get("corpus", ""))[:16], str(manifest.get("encoder", "")))
        INDEX_CHUNKS.set(chunks)
        INDEX_BUILT.set(float(manifest.get("built_at", 0) or 0))
        if shown != self._shown:
            if self._shown is not None:  # the old generation's series drops to 0 (files keep it in multiprocess)
                INDEX_INFO.labels(*self._shown).set(0)
            INDEX_INFO.labels(*shown).set(1)
            self._shown = shown


def workers_with_index() -> int | None:
    """How many live worker processes have published a loaded index (multiprocess mode); None in one process."""
    if not os.environ.get(MULTIPROCESS_ENV):
        return None
    return len({sample.labels["pid"] for family in _every_worker().collect() if family.name == INDEX_CHUNKS_NAME
                for sample in family.samples if sample.value > 0})


def worker_exited(pid: int | None = None) -> None:
    """Drop this worker's per-process gauges (multiprocess mode) when it stops."""
    if os.environ.get(MULTIPROCESS_ENV):
        multiprocess.mark_process_dead(pid or os.getpid())
