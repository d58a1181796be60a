"""Work spread over all cores: a list of items mapped by forked worker processes.

The workers are forked from this process, so they inherit everything it holds (the
publication, the templates, the allow list) and the function need not be picklable; only
the results travel back. The results are in the order of the items, exactly as if the
function had been applied in this process — which is what happens with one worker, with
too few items to be worth a process, or on a platform without fork.

A worker that dies without a word (killed, or out of memory) ends the map with WorkerDied, a
message in Chinese, rather than waiting for ever for the results it took with it. And the other
way round: a worker ends with the process that started it (end_with_parent), so a build killed
mid-map (SIGKILL from the OOM killer or a CI timeout, or SIGTERM) leaves no worker behind.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, Callable, Iterable, Sequence, TypeVar

from . import heap
from .errors import DisclosureError
from .progress import Advance, nothing

T = TypeVar("T")
R = TypeVar("R")
MIN_PER_WORKER = 50  # fewer items than this per worker are not worth a process
CHUNKS_PER_WORKER = 8  # small chunks even out items of different cost
# and no chunk longer than this: the work ends when the last chunk does, the other cores idle the while
# (at 200,000 records, a cold check's eighth of a worker's share was 12,500 files: ~9 s alone)
MAX_CHUNK = 1000

_TASK: tuple[Callable[[object], object], Sequence[object]] | None = None  # what forked workers inherit


def _run_range(bounds: tuple[int, int]) -> list[object]:
    assert _TASK is not None
    function, items = _TASK
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def worth(workers: int, count: int) -> int:
    """How many of `workers` processes `count` items are worth: each takes MIN_PER_WORKER at least."""
    return min(workers, count // MIN_PER_WORKER)


def ranges(count: int, workers: int) -> list[tuple[int, int]]:
    """`count` items cut into CHUNKS_PER_WORKER (start, end) ranges for each of `workers`, or more
    when those would be longer than MAX_CHUNK."""
    size = max(1, min(MAX_CHUNK, count // (workers * CHUNKS_PER_WORKER)))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


class WorkerDied(DisclosureError):
    """A worker process ended without sending its results."""

    def __init__(self) -> None:
        super().__init__(
            "一个并行工作进程意外退出，没有返回结果（多半是内存不足被系统终止）；已中止，未发布任何内容，"
            "上一次的输出保持不变。请检查机器的内存，或用 --jobs 减少同时运行的进程数后重试。"
        )


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when the thread that started it ends


def end_with_parent(parent: int) -> None:
    """Make this process (started by process `parent`) end when that one does. A pool's workers
    wait on pipes their siblings hold open too: a build killed while they waited left them waiting
    for ever, each with its memory. On Linux the kernel kills this one when its parent dies; and if
    the parent is already gone, it ends now."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _worker_started(parent: int, initializer: Callable[[], None] | None) -> None:
    end_with_parent(parent)
    if initializer is not None:
        initializer()


def pool_map(
    start: str,
    workers: int,
    function: Callable[[Any], list[R]],
    parts: Iterable[Any],
    initializer: Callable[[], None] | None = None,
    advance: Advance = nothing,
) -> list[R]:
    """`function` of each of `parts` on `workers` processes started by `start` ("fork" or "spawn"),
    each giving a list: their items, in order. A pool that loses a worker says so (WorkerDied), where
    multiprocessing.Pool would start another and wait for ever for the lost part. `advance`: told
    the count of each part's items as the part comes back (progress.py)."""
    started = partial(_worker_started, os.getpid(), initializer)
    pool = ProcessPoolExecutor(workers, multiprocessing.get_context(start), started)
    try:
        results: list[R] = []
        for part in pool.map(function, parts):
            results.extend(part)
            advance(len(part))
        return results
    except BrokenProcessPool:
        raise WorkerDied() from None
    finally:
        pool.shutdown(cancel_futures=True)  # after an error, the parts not begun are not run


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int, advance: Advance = nothing) -> list[R]:
    """`function` of each of `items`, in order, on `workers` forked processes when they are worth it;
    `advance`: told the count of items done as they are (progress.py)."""
    workers = worth(workers, len(items))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for item in items:
            results.append(function(item))
            advance(1)
        return results
    global _TASK
    _TASK = (function, items)  # type: ignore[assignment]
    try:
        heap.before_fork()
        chunks = ranges(len(items), workers)
        return pool_map("fork", workers, _run_range, chunks, heap.child_started, advance)  # type: ignore[arg-type]
    finally:
        _TASK = None
