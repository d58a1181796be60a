"""Work spread over all cores: a list of items mapped by forked worker processes.

The workers are forked from this process, so they inherit everything it holds (the
publication, the templates, the allow list) and the function need not be picklable; only
the results travel back. The results are in the order of the items, exactly as if the
function had been applied in this process — which is what happens with one worker, with
too few items to be worth a process, or on a platform without fork.
"""

from __future__ import annotations

import multiprocessing
from typing import Callable, Sequence, TypeVar

from . import heap

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


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    workers = worth(workers, len(items))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _TASK
    _TASK = (function, items)  # type: ignore[assignment]
    try:
        heap.before_fork()
        with multiprocessing.get_context("fork").Pool(workers, heap.child_started) as pool:
            return [result for part in pool.imap(_run_range, ranges(len(items), workers)) for result in part]  # type: ignore[misc]
    finally:
        _TASK = None
