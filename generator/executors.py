"""Where the build's work units run: the cores of this machine (the default) or a Dask cluster.

A unit of work is described twice (Work). `local` is a function of one item, run in this
process or in processes forked from it (generator.workers.fork_map): they inherit everything
this process holds, so it need not be picklable. `remote` is a small picklable function of a
batch of compact items (`ship` makes an item compact), which a worker on another machine runs
with nothing but the site's folder, reached there by the same path (generator/cluster.py); what
it needs of the site it loads itself, once per build (`memo`). Either way the results come back
in the order of the items and are the same values.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Generic, Protocol, Sequence, TypeVar

from .config import SiteConfig, load_config
from .progress import Advance, nothing
from .workers import fork_map, pool_map, ranges, worth

T = TypeVar("T")
R = TypeVar("R")
X = TypeVar("X")


@dataclass(frozen=True)
class SiteRef:
    """What a cluster worker is told of the site: its folder (the same path on every machine),
    the build's "today", and a token naming this build (a worker keeps what it loaded per build)."""

    root: Path
    today: dt.date
    token: str


def _same(item: Any) -> Any:
    return item


@dataclass(frozen=True)
class Work(Generic[T, R]):
    """One kind of work unit: `local(item)` here or in forked processes; `remote(site, batch)` on
    a cluster worker, over `ship(item)` of each item of the batch (picklable, small)."""

    local: Callable[[T], R]
    remote: Callable[[SiteRef, list[Any]], list[R]]
    ship: Callable[[T], Any] = _same


class Executor(Protocol):
    """Runs work units: `jobs` of them at a time; `remote`: on other processes that share only the
    site's folder (every item is then worth sending, however few)."""

    remote: bool

    @property
    def jobs(self) -> int: ...

    def map(self, work: Work[T, R], items: Sequence[T], advance: Advance = nothing) -> list[R]:
        """`work` of each of `items`, in order; `advance` told the count of items done as they are."""
        ...


class LocalPool:
    """This machine's cores: processes forked from this one (generator/workers.py)."""

    remote = False

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def map(self, work: Work[T, R], items: Sequence[T], advance: Advance = nothing) -> list[R]:
        return fork_map(work.local, items, self.jobs, advance)


FRESH_MIN = 5000  # items worth starting fresh processes for (FreshPool)


class FreshPool:
    """This machine's cores, in processes started afresh (multiprocessing's spawn) that run the
    work's `remote` form, as a cluster worker would. For work at the end of a build (the output
    scan): the building process then holds gigabytes, and a worker forked from it copies every
    page of that memory it touches or allocates into (reference counts, freed space reused): at
    200,000 records two forked scan workers held ~0.7 GiB of their own beside a building process
    of 1.8 GiB (bench/RESULTS.md); a fresh one starts from an empty interpreter. Fewer than
    FRESH_MIN items (a small site, an edit build's changed files) go to forked workers as with
    LocalPool: a fresh process takes a second to start."""

    remote = True

    def __init__(self, jobs: int, site: SiteRef) -> None:
        self.jobs, self.site = jobs, site

    def map(self, work: Work[T, R], items: Sequence[T], advance: Advance = nothing) -> list[R]:
        jobs = worth(self.jobs, len(items))
        if jobs <= 1 or len(items) < FRESH_MIN:
            return fork_map(work.local, items, self.jobs, advance)
        shipped = [work.ship(item) for item in items]
        batches = [shipped[start:end] for start, end in ranges(len(shipped), jobs)]
        return pool_map("spawn", jobs, partial(work.remote, self.site), batches, advance=advance)


def of(jobs: int | Executor) -> Executor:
    """An executor as given, or the local pool of `jobs` processes."""
    return LocalPool(jobs) if isinstance(jobs, int) else jobs


# -- on a cluster worker: what it loaded of the site, kept for the next units of the same build

_memo: dict[str, Any] = {}
_memo_token = ""
_memo_lock = threading.RLock()  # a make() may ask for another memo (the site's settings)


def memo(site: SiteRef, name: str, make: Callable[[], X]) -> X:
    """`make()` once per build and worker process (and `name`); a new build forgets the last one's."""
    global _memo_token
    with _memo_lock:
        if _memo_token != site.token:
            _memo.clear()
            _memo_token = site.token
        if name not in _memo:
            _memo[name] = make()
        return _memo[name]  # type: ignore[no-any-return]


def site_config(site: SiteRef) -> SiteConfig:
    """The site's settings, read by a cluster worker from the shared folder."""
    return memo(site, "config", lambda: load_config(site.root)[0])
