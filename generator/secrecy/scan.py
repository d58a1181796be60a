"""Scan a text as written and as a reader sees it, and report each hit once, masked.

Every rule runs over each view of the text (normalize.py): the text as written with
invisible characters and word-internal spaces removed, the same with the gaps inside
digit runs closed, and, for Markdown, the text as rendered. A hit maps back to the
characters as written, for its line and its sign-off fingerprint. The excerpt never cuts a
number: its edges widen to whole numbers, and every number in it is masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .matches import Match, mask, match_fingerprint
from .normalize import LINK_TARGETS, View, joined, visible
from .personal import personal_data

SHOWN = 12  # characters each side that the excerpt shows
# a number of 7 digits or more, written in one run or in groups (masked as a whole)
_DIGIT_RUN = re.compile(r"[0-9](?:[ \t\u00a0\u3000\-\u2010-\u2015\uff0d]{0,4}[0-9]){6,}")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
Matcher = Callable[[str], Iterator[Match]]


@dataclass
class Hit:
    rule: str
    message: str
    start: int  # in the text as written
    end: int
    raw: str  # the matched text as the reader sees it; never printed
    excerpt: str  # masked
    fingerprint: str
    kind: str = ""  # personal data: resident_id, bank_card or mobile

    @property
    def allow_key(self) -> str:
        return allow_key(self.rule, self.raw)


def allow_key(rule: str, raw: str) -> str:
    """What the output scan compares: a number by its digits and letters alone, anything else as read."""
    return _NOT_ALNUM.sub("", raw) if rule == "SEC008" else raw


def _protected(text: str) -> list[tuple[int, int]]:
    spans = [(m.start, m.end) for m in personal_data(text)]
    spans += [m.span() for m in _DIGIT_RUN.finditer(text)]
    return sorted(spans)


def excerpt(text: str, start: int, end: int, shown: str) -> str:
    """The match with up to SHOWN characters each side; a number is never cut and always masked."""
    protected = _protected(text)
    lo, hi = max(0, start - SHOWN), min(len(text), end + SHOWN)
    for s, e in protected:
        if s < lo < e:
            lo = s
        if s < hi < e:
            hi = e
    segments = [(s, e, mask(text[s:e])) for s, e in protected if e <= start or s >= end]
    segments = sorted(segments + [(start, end, shown)])  # the match: masked if a number, a marking as written
    pieces, pos = [], lo
    for s, e, replacement in segments:
        if e <= lo or s >= hi or s < pos:
            continue
        pieces += [text[pos:s], replacement]
        pos = e
    pieces.append(text[pos:hi])
    return " ".join("".join(pieces).split())


def _hits_in(view: View, source: str, matcher: Matcher) -> Iterator[Hit]:
    for match in matcher(view.text):
        start, end = view.source_span(match.start, match.end)
        shown = mask(match.raw) if match.rule == "SEC008" else match.shown
        yield Hit(
            match.rule,
            match.message,
            start,
            end,
            match.raw,
            excerpt(view.text, match.start, match.end, shown),
            match_fingerprint(source, start, end, match.rule),
            match.kind,
        )


def _views(text: str, matcher: Matcher, markdown: bool) -> Iterator[tuple[View, Matcher]]:
    """Each view with the rules to run on it: every rule on what the reader sees, the number
    rules again with the gaps in digit runs closed, and the targets of Markdown links."""
    seen = visible(text, markdown)
    yield seen, matcher
    closed = joined(seen)
    if closed is not None:
        yield closed, personal_data
    if markdown and "](" in text:
        for m in LINK_TARGETS.finditer(text):
            start = m.start("target")
            yield View(m.group("target"), _offsets(start, len(m.group("target")))), matcher


def _offsets(start: int, n: int) -> Callable[[], list[int]]:
    return lambda: list(range(start, start + n))


def scan(text: str, matcher: Matcher, markdown: bool = False) -> list[Hit]:
    """Every hit of `matcher` in any view of `text`, once per place as written."""
    hits: list[Hit] = []
    for view, rules in _views(text, matcher, markdown):
        for hit in _hits_in(view, text, rules):
            if not any(h.rule == hit.rule and h.start < hit.end and hit.start < h.end for h in hits):
                hits.append(hit)
    return hits
