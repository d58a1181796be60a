"""A match of a secrecy rule in some text: where it is, how it is masked, how to sign it off.

One masking rule for a matched number wherever it is printed (terminal, JSON, GitHub
annotations, the dashboard): at most its first 3 and last 4 characters stay visible. The
fingerprint a reviewer copies into a sign-off covers the match with the text around it, so
editing the sentence brings the finding back.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable

CONTEXT = 20  # characters each side that the fingerprint covers
# Full-width digits and letters that people type in Chinese text, mapped one to one; and what a
# damaged source leaves in it, as the page shows it: a control character (C0 but tab and line
# breaks, DEL, C1) as a zero-width space (nothing, which normalize.py removes), U+FFFD (�, what a
# NUL byte becomes on the page) as a space (a gap inside a number, which normalize.py closes).
# Only in the sources: in the output, Pagefind's binary files are read as text, and there these
# bytes separate unrelated values.
_CONTROLS = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
_HALF_WIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {"Ｘ": "X", "ｘ": "x", "\ufffd": " "}
    | {chr(c): "\u200b" for c in _CONTROLS}
)
_FULL_WIDTH = re.compile("[０-９Ｘｘ\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
KEEP_FIRST, KEEP_LAST = 3, 4


def half_width(text: str) -> str:
    """Full-width digits as ASCII digits, control characters and U+FFFD as the page shows them
    (_HALF_WIDTH); the length and every offset stay the same."""
    return text.translate(_HALF_WIDTH) if _FULL_WIDTH.search(text) else text


def fingerprint(rule: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join((rule, *parts)).encode("utf-8")).hexdigest()
    return digest[:16]


def mask(value: str) -> str:
    """A number as it may be printed: the first 3 and last 4 characters of the whole match at
    most (fewer for a short number), every other character a *."""
    n = len(value)
    first, last = (KEEP_FIRST, KEEP_LAST) if n >= 11 else (n // 4, n // 4)
    return value[:first] + "*" * (n - first - last) + value[n - last :]


@dataclass
class Match:
    """One hit in a text: `shown` is what people may see of the matched text itself."""

    rule: str
    start: int
    end: int
    raw: str  # the matched text as written; never printed
    shown: str  # the matched text as printed (masked for personal data)
    message: str
    kind: str = ""  # personal data: "resident_id", "bank_card" or "mobile"


@dataclass
class Text:
    """A piece of published text of a record: its label, its content, its file line for an offset.
    `markdown`: the text is rendered as Markdown, so it is scanned as rendered too."""

    where: str  # e.g. 标题, 正文, 附件 通知.docx
    text: str
    line_at: Callable[[int], int]
    markdown: bool = False


def match_fingerprint(text: str, start: int, end: int, rule: str) -> str:
    """The fingerprint of text[start:end] with its context, as written in the source."""
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return fingerprint(rule, before, text[start:end], after)
