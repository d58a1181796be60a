"""The lines the output scan has already found clean, so a line that every page repeats
(the navigation, the header, a listing's rows) is scanned once per process, not once per page.

This is exact because every rule of the output scan matches within one line: no secrecy
marking or number pattern, and no gap that a reader's view closes, takes in a line break
(normalize.py, markings.py, personal.py), and each look-behind or look-ahead at a line's
edge sees a line break in the page as it sees the edge of a line alone. So a text has a hit
if and only if one of its lines has one, whatever lines stand around it
(tests/test_output_scan_lines.py checks this on generated texts).

Only whether a line is clean is kept, never a finding: a text with any line not known clean
is scanned as a whole, as written, for its findings. A line is clean for one day: a resident
ID number is valid once its birth date has passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

LONGEST = 2000  # characters; a longer line is scanned every time, not kept
BUDGET = 4_000_000  # characters kept before the memory is let go and filled again


class CleanLines:
    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._today = today
        self._day: dt.date | None = None
        self._lines: set[str] = set()
        self._chars = 0

    def unknown(self, text: str) -> list[str]:
        """The distinct lines of `text` not known to be clean, in their order."""
        day = self._today()
        if day != self._day:
            self.forget()
            self._day = day
        known = self._lines
        return [line for line in dict.fromkeys(text.split("\n")) if line not in known]

    def learn(self, lines: list[str]) -> None:
        """Keep `lines`, scanned and found clean since `unknown` gave them (unless the day turned since)."""
        if self._today() != self._day:
            return
        kept = [line for line in lines if len(line) <= LONGEST]
        chars = sum(map(len, kept))
        if self._chars + chars > BUDGET:
            self.forget()
        self._lines.update(kept)
        self._chars += chars

    def forget(self) -> None:
        self._lines.clear()
        self._chars = 0
