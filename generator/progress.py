"""Progress of long work, for the person at the terminal: a city's cold build reads 200,000 record
files, renders 400,000 pages and scans them, each for minutes, and indexes hundreds of search
shards (index.py, which says each shard's line above its bar: `Bar.say`).

Shown only when standard error is a terminal and the work is large (SHOWN_FROM items): a CI log
or a pipe gets nothing, and a small site's build is over before a bar would tell anything. The bar
is drawn by rich and goes away when the work ends (transient), so the findings that follow stand
alone, as without it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

SHOWN_FROM = 2000  # items: fewer are done in seconds
REDRAW = 0.1  # seconds: the least time between two drawings of a bar

Advance = Callable[[int], None]  # the count of items just done


def nothing(done: int) -> None:
    """An Advance that tells no one."""
    return None


class Bar:
    """What `bar` yields: called with the count of items just done (an Advance); `say` prints a line
    on standard error, above the bar while one is drawn."""

    def __init__(self, progress: Progress | None = None, task: TaskID | None = None) -> None:
        self._progress, self._task = progress, task  # None: no bar drawn
        self._drawn = time.monotonic()

    def __call__(self, done: int) -> None:
        if self._progress is None or self._task is None:
            return
        self._progress.advance(self._task, done)
        if time.monotonic() - self._drawn >= REDRAW:
            self._progress.refresh()
            self._drawn = time.monotonic()

    def say(self, line: str) -> None:
        if self._progress is None:
            print(line, file=sys.stderr, flush=True)
        else:
            self._progress.console.print(line, highlight=False, markup=False)


@contextmanager
def bar(what: str, total: int | None, size: int | None = None, shown_from: int | None = None) -> Iterator[Bar]:
    """A bar for `total` items (None: a count, for work whose end is not known before it comes),
    labelled `what` (in Chinese); yields the Bar to call with the count of each part done.
    Drawn only on a terminal, for `size` items or more (by default `total`; a count needs one),
    from `shown_from` (by default SHOWN_FROM) on."""
    size = total if size is None else size
    least = SHOWN_FROM if shown_from is None else shown_from
    if size is None or size < least or not sys.stderr.isatty():
        yield Bar()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
        if total is not None
        else (TextColumn(what), TextColumn("{task.completed}"), TimeElapsedColumn())
    )
    # no refresh thread: the work forks its workers meanwhile, and a fork while another thread holds
    # a lock (the console's, a stream's) leaves the child that lock held for good. Redrawn when told,
    # at most every REDRAW seconds. Standard output and error stay as they are, bar or none.
    with Progress(
        *columns,
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as progress:
        shown = Bar(progress, progress.add_task(what, total=total))
        progress.refresh()
        yield shown
