"""A background job's loop over records, worked in forked processes (a matching run on the worker).

A matching run asks the matching index about each record in turn: CPU work in Python, so one process uses one
core of the worker's machine. `map_in_forks` splits the records into small chunks and works them in `workers`
forked processes, which inherit everything the parent has loaded (the matching index — memory-mapped arrays and
all — is shared, nothing large is pickled), and returns the results in the records' order. The first `warm`
records are worked in the parent before the fork, so what the work loads on first use (the segmenter's
dictionary) is loaded once, not once per process.

Each process opens its own database connection: the parent closes its own before forking (a connection must
never be shared across a fork). Where the database cannot be shared — SQLite in memory, as in the test suite, or a
transaction the parent has open — or there is too little to share, the work runs inline, in the same order, with
the same results.
"""

import gc
import multiprocessing as mp
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection, connections
from django.utils.translation import gettext as _
from threadpoolctl import threadpool_limits

T = TypeVar("T")
R = TypeVar("R")

#: fewer records than this per extra process are not worth a fork
MIN_PER_WORKER = 16
#: records per chunk: small, so that progress and cancelling answer within seconds and no process idles at the end
CHUNK = 8

_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def can_fork() -> bool:
    """Whether forked processes can open the database the parent uses (not an in-memory SQLite database) and see what
    it sees (no transaction of the parent's is open: its uncommitted rows are invisible to other connections)."""
    if "fork" not in mp.get_all_start_methods() or connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())  # type: ignore[attr-defined]


def workers_for(count: int, workers: int) -> int:
    """How many processes `count` records are worth: 1 (inline) below MIN_PER_WORKER per process."""
    if workers <= 1 or not can_fork():
        return 1
    return max(1, min(workers, count // MIN_PER_WORKER))


def _chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _WORK is not None
    func, items = _WORK
    with threadpool_limits(1):  # one BLAS thread per process: the processes share the cores
        return [func(item) for item in items[bounds[0]:bounds[1]]]


def map_in_forks(func: Callable[[T], R], items: Sequence[T], *, workers: int, warm: int = 1,
                 after: Callable[[int], None] | None = None) -> list[R]:
    """`[func(item) for item in items]`, worked in up to `workers` forked processes.

    `after(done)` is called in the parent after each chunk with the number of items done (progress; it may raise to
    stop the work — a cancelled job —, which ends the processes). `func` and its results must be picklable only in
    the way back: results travel from the processes to the parent, `func` and `items` are inherited."""
    global _WORK
    results: list[R] = []
    head = list(items[:warm]) if workers_for(len(items), workers) > 1 else list(items)
    for item in head:
        results.append(func(item))
        if after is not None and (len(results) % CHUNK == 0 or len(results) == len(items)):
            after(len(results))
    rest = len(items) - len(head)
    if not rest:
        return results
    n = workers_for(rest, workers)
    bounds = [(start, min(start + CHUNK, len(items))) for start in range(len(head), len(items), CHUNK)]
    _WORK = (func, items)
    connections.close_all()  # each process opens its own connection
    gc.freeze()  # objects that exist at the fork stay out of the processes' collections (no copy-on-write walk)
    try:
        # An executor, not a multiprocessing Pool: leaving a Pool terminates its processes, which can leave the result
        # pipe's lock held and hang the parent (seen once in the tests); the executor's processes finish the chunk
        # they hold and end, and the chunks not yet started are dropped (a cancelled run).
        with ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("fork")) as pool:
            futures = [pool.submit(_chunk, b) for b in bounds]
            try:
                for future in futures:
                    results.extend(future.result())
                    if after is not None:
                        after(len(results))
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        gc.unfreeze()
        _WORK = None
    return results


@contextmanager
def beside(func: Callable[[], object]) -> Iterator[None]:
    """Run `func()` in a forked process while the enclosed block runs in this one; at the end of the block wait for it
    and raise if it failed. For work that needs nothing but what the parent holds and writes only files (saving one
    index while the other is saved: the build's 20 s of writing, one core each). The process never touches the
    database (it ends with os._exit: no cleanup of the parent's connections). Inline, before the block, where
    processes cannot be forked."""
    if "fork" not in mp.get_all_start_methods():
        func()
        yield
        return
    pid = os.fork()
    if pid == 0:  # the forked process
        code = 1
        try:
            func()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    try:
        yield
    finally:
        status = os.waitpid(pid, 0)[1]
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(_("The work in a forked process failed (exit code %(code)s); see the log.")
                           % {"code": os.waitstatus_to_exitcode(status)})
