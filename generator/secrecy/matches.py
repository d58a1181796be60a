"""A match of a secrecy rule in some text: where it is, what to show, how to sign it off.

The excerpt shown to people masks personal data (the match's own and any in its
context), and the fingerprint a reviewer copies into a sign-off covers the match with
the text around it, so editing the sentence brings the finding back.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable

CONTEXT = 20  # characters each side that the fingerprint covers
SHOWN = 12  # characters each side that the excerpt shows
_DIGIT_RUN = re.compile(r"\d{7,}")
# Full-width digits and letters that people type in Chinese text, mapped one to one.
_HALF_WIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "ｘ": "x"})
_FULL_WIDTH = re.compile("[０-９Ｘｘ]")


def half_width(text: str) -> str:
    """Full-width digits as ASCII digits; the length and every offset stay the same."""
    return text.translate(_HALF_WIDTH) if _FULL_WIDTH.search(text) else text


def fingerprint(rule: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join((rule, *parts)).encode("utf-8")).hexdigest()
    return digest[:16]


def mask_digits(text: str) -> str:
    """Mask every long digit run: its first three and last four digits stay visible."""
    return _DIGIT_RUN.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 7) + m.group()[-4:], text)


@dataclass
class Match:
    """One hit in a text: `shown` is what people may see of the matched text itself."""

    rule: str
    start: int
    end: int
    raw: str  # the matched text as written; never printed
    shown: str  # the matched text as printed (masked for personal data)
    message: str


@dataclass
class Text:
    """A piece of published text of a record: its label, its content, its file line for an offset."""

    where: str  # e.g. 标题, 正文, 附件 通知.docx
    text: str
    line_at: Callable[[int], int]


def excerpt(text: str, match: Match) -> str:
    before = mask_digits(text[max(0, match.start - SHOWN):match.start])
    after = mask_digits(text[match.end:match.end + SHOWN])
    return " ".join(f"{before}{match.shown}{after}".split())


def match_fingerprint(text: str, match: Match) -> str:
    before = text[max(0, match.start - CONTEXT):match.start]
    after = text[match.end:match.end + CONTEXT]
    return fingerprint(match.rule, before, match.raw, after)
