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

A line longer than LONGEST is kept by its BLAKE2b digest, not its text: Pagefind's runtime
(`pagefind.js`, its worker, its WebAssembly read as text) is the same in every shard's bundle,
and its long lines were scanned again in each of a city's 650 bundles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Callable

LONGEST = 2000  # characters; a longer line is kept by its digest
DIGEST = 32  # bytes of a long line's BLAKE2b digest, counted against BUDGET as characters
BUDGET = 4_000_000  # characters kept before the memory is let go and filled again


class CleanLines:
    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._today = today
        self._day: dt.date | None = None
        self._lines: set[str] = set()
        self._digests: set[bytes] = set()  # of the clean lines longer than LONGEST
        self._chars = 0

    def unknown(self, text: str) -> list[str]:
        """The distinct lines of `text` not known to be clean, in their order."""
        day = self._today()
        if day != self._day:
            self.forget()
            self._day = day
        known, digests = self._lines, self._digests
        return [
            line
            for line in dict.fromkeys(text.split("\n"))
            if line not in known and (len(line) <= LONGEST or _digest(line) not in digests)
        ]

    def learn(self, lines: list[str]) -> None:
        """Keep `lines`, scanned and found clean since `unknown` gave them (unless the day turned since)."""
        if self._today() != self._day:
            return
        kept = [line for line in lines if len(line) <= LONGEST]
        digests = [_digest(line) for line in lines if len(line) > LONGEST]
        chars = sum(map(len, kept)) + DIGEST * len(digests)
        if self._chars + chars > BUDGET:
            self.forget()
        self._lines.update(kept)
        self._digests.update(digests)
        self._chars += chars

    def forget(self) -> None:
        self._lines.clear()
        self._digests.clear()
        self._chars = 0


def _digest(line: str) -> bytes:
    return hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=DIGEST).digest()
