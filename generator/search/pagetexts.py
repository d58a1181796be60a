"""The text digests of rendered record pages (docs.text_digest), for the shard keys (docs.key).

A page whose bytes are those its shard's bundle was made from is not read (the shard cache knows
its text); the others are read and parsed. An edit rewrites a page or a few, read in this process;
a changed template rewrites every page, and parsing 20,000 pages in one interpreter takes about 40 s
(2 ms a page of the bench site), so a shard with many goes to processes started afresh
(multiprocessing's spawn) on every core.
Not forked: the shards are looked up in threads, and a process forked from a threaded one may
deadlock on a lock another thread held.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

from ..workers import WorkerDied, end_with_parent
from .docs import read_text_digests

MANY = 200  # pages of one shard worth sending to the pool (two fresh processes start and answer in 0.2 s)


class Reader:
    """Reads the text digests of pages, here or on `workers` fresh processes (started with the
    first shard of MANY pages to read, stopped by `close`)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.lock = threading.Lock()

    def __call__(self, root: Path, paths: list[str]) -> list[str]:
        """The text digest of each page `paths` (output paths under `root`), in order."""
        if len(paths) < MANY or self.workers < 2:
            return read_text_digests(root, paths)
        with self.lock:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    self.workers, multiprocessing.get_context("spawn"), end_with_parent, (os.getpid(),)
                )
            pool = self.pool
        size = -(-len(paths) // self.workers)
        parts = [paths[start : start + size] for start in range(0, len(paths), size)]
        try:
            return [digest for part in pool.map(partial(read_text_digests, root), parts) for digest in part]
        except BrokenProcessPool:
            raise WorkerDied() from None

    def close(self) -> None:
        with self.lock:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
                self.pool = None
