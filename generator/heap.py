"""The cycle collector, kept out of bulk work.

CPython's cycle collector runs every few hundred allocations and, every so often, walks every
object the process holds. A check builds one record object, its front matter and its findings
for each record file (over four million objects at 200,000 records) and keeps them: walking
them again and again found nothing to free and took a fifth of a warm check's time, and the
first collections after it walked them all once more. So the check runs with the collector
paused, and what it built is then set aside (`paused`: `gc.freeze`). Reference counting still
frees all of it once unused; only objects in a reference cycle need the collector, and the
check makes none (load.record_paths walks folders with a loop, not a recursive closure, for
that reason).

A build's rendering and indexing keep what they make too (a key and an entry for each of 650,000
output files; the forms of the records hashed): a collection every 25% of growth walked it all
again, a tenth of a city's edit build. So they also run paused, and the renderer sets aside
what it holds every batch of pages (`set_aside`), freeing the cycles of pages rendered in-process.

What a build published is in its pages and its search index before the output is scanned, and
the scan runs in fresh processes beside the building one. So the build lets the publication go
first (`give_back`): the cyclic garbage of the last pages rendered (a template's context, the
frames of an exception caught) still held it, and at 200,000 records a collection of what was not
set aside frees it in 0.8 s, where a full one took 3.2 s; the memory it took is then handed back
to the system where the C library allows (glibc's malloc_trim: 220 MiB of the building process's
1.89 GB at 200,000 records), for the scan's processes to use.

Forked workers (generator.workers) share the parent's pages until they write to them, and a
collection writes to every object it walks. So the parent's objects are set aside before a
fork (`before_fork`, the recipe of the `gc.freeze` documentation) and each child collects only
what it makes itself (`child_started`). A process that lives on after a build (`serve`, a
cluster worker) hands what was set aside back to the collector (`release`).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside the block; after it, what the process holds is never walked
    again (until `release`), and the collector is as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def set_aside(collect: bool = True) -> None:
    """Collect the cycles made since the last set-aside, then set what is left aside too: work that
    keeps much of what it makes (a renderer's page keys, 650,000 at 200,000 records) never walks it
    again, and its cycles (pages rendered here) are freed a batch at a time. Inside `paused`.
    `collect=False`: work that makes no cycles (keying pages that other processes render) only sets
    aside: each collection walked all it had made since the last, 1.7 s of a city's edit build."""
    if collect:
        gc.collect()
    gc.freeze()


def give_back(collect: bool = True) -> None:
    """Free the cycles made since the last set-aside (and what only they held), then hand the
    freed memory back to the system where the C library can. Inside `paused`. `collect=False`:
    after work that makes next to no cycles (an edit build's check and selection: 869 objects in
    cycles at 200,000 records, where walking the 1.3 million others took 0.75 s), only set aside
    what it made (they are freed with the process, or by `release`) and hand back what was freed."""
    set_aside(collect)
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None (another C library, or none found)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)  # type: ignore[no-any-return]
    except (OSError, TypeError):  # TypeError: no process-wide library handle (Windows)
        return None


def before_fork() -> None:
    """What the process holds now is never walked by a collection, here or in a forked child."""
    gc.freeze()


def child_started() -> None:
    """A forked worker collects the cycles it makes, whatever the parent's collector was doing."""
    gc.enable()


def release() -> None:
    """Everything set aside is the collector's again: its cycles, if any, are freed in time."""
    gc.unfreeze()
