"""What a reader sees, for matching: the views of a text that the secrecy rules scan.

Ordinary formatting hides numbers and markings from a scan of the raw text: Markdown
emphasis or a link splitting a number (`139**1234**5678`), a zero-width or no-break space,
an ideographic space (U+3000, Word's alignment space: `秘　密★1年`), a hyphen or a full-width
dash inside a number, an ID number written in groups. The reader sees none of it, so the
scan must not either. Each view is a text plus, for every one of its characters, the offset
of the character it came from, so a hit maps back to the line as written.

- `visible`: full-width letters and every decimal digit as ASCII; invisible characters
  (zero-width, format and bidi controls, variation selectors, fillers) removed; spaces and
  dashes between Chinese characters (and ★) removed.
- `joined`: `visible` with the space and dash family inside digit runs removed, so
  `110101 19900307 4514` and `138‐1234‐5678` read as one number. It is scanned beside
  `visible`, never instead of it: joining would glue two separate numbers together.
- `stripped`: a Markdown body with its inline syntax removed (emphasis, code marks, link
  brackets and targets, backslash escapes, entities decoded), the text as rendered.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

# Invisible: every format character (Unicode category Cf) plus variation selectors, the
# combining grapheme joiner and the Hangul fillers, which render as nothing.
INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
             "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\u0600-\u0605\u06dd\u070f"
             "\u0890\u0891\u08e2\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
             "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef")
SPACES = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
DASHES = r"\-\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_TIGHT = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff★☆"  # Chinese characters and the marking star

_INVISIBLE = re.compile(f"[{INVISIBLE}]+")
_GAP_IN_WORDS = re.compile(f"(?<=[{_TIGHT}])[{SPACES}{DASHES}]{{1,3}}(?=[{_TIGHT}])")
_GAP_IN_NUMBER = re.compile(f"(?<=[0-9])[{SPACES}{DASHES}]{{1,4}}(?=[0-9])")
_FOLD_NEEDED = re.compile(r"[\uff0d\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]|(?![0-9])\d")
_VISIBLE_NEEDED = re.compile(f"[{INVISIBLE}]|(?<=[{_TIGHT}])[{SPACES}{DASHES}]")

# Markdown inline syntax, as the renderer removes it: entities and escapes become their
# character; emphasis and code marks vanish; a link keeps its words and loses its target.
_MARKDOWN = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
                       r"|\\(?=[!-/:-@\[-`{-~])|\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
                       r"|!?\[|\]|[*_~`]+")
_MARKDOWN_NEEDED = re.compile(r"[&\\\[\]*_~`]")

_FOLD = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_FOLD[0xFF0D] = ord("-")


@dataclass(frozen=True)
class View:
    """A text to scan; `origin[i]` is the offset in the source of character i (None: the same)."""

    text: str
    origin: tuple[int, ...] | None = None

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            last = self.origin[-1] + 1 if self.origin else 0
            return last, last
        return self.origin[start], self.origin[max(start, end - 1)] + 1


def _rewrite(view: View, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> View:
    """`view` with every match of `pattern` replaced; offsets follow the characters kept."""
    text, source = view.text, view.origin
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        pieces.append(text[pos:m.start()])
        origin.extend(source[pos:m.start()] if source is not None else range(pos, m.start()))
        new = replace(m)
        pieces.append(new)
        origin.extend([source[m.start()] if source is not None else m.start()] * len(new))
        pos = m.end()
    if not pieces:
        return view
    pieces.append(text[pos:])
    origin.extend(source[pos:] if source is not None else range(pos, len(text)))
    return View("".join(pieces), tuple(origin))


def _fold_char(ch: str) -> str:
    return str(unicodedata.decimal(ch)) if ch.isdecimal() else ch


def fold(text: str) -> View:
    """Full-width letters and digits, the full-width dash and every decimal digit as ASCII;
    one character for one, so offsets do not move."""
    if not _FOLD_NEEDED.search(text):
        return View(text)
    folded = text.translate(_FOLD)
    folded = re.sub(r"(?![0-9])\d", lambda m: _fold_char(m.group()), folded)
    return View(folded)


def visible(view: View) -> View:
    if not _VISIBLE_NEEDED.search(view.text):
        return view
    view = _rewrite(view, _INVISIBLE, lambda m: "")
    return _rewrite(view, _GAP_IN_WORDS, lambda m: "")


def joined(view: View) -> View:
    return _rewrite(view, _GAP_IN_NUMBER, lambda m: "")


def _markdown_piece(m: re.Match[str]) -> str:
    token = m.group()
    if token.startswith("&"):
        return html.unescape(token)
    return ""


def stripped(text: str) -> View | None:
    """The body as rendered, without its Markdown inline syntax; None if it has none."""
    if not _MARKDOWN_NEEDED.search(text):
        return None
    view = _rewrite(View(text), _MARKDOWN, _markdown_piece)
    return None if view.text == text else view


def views(text: str, markdown: bool = False) -> list[View]:
    """Every distinct view of `text` the rules scan, the plainest first."""
    found: list[View] = []
    bases = [fold(text)]
    if markdown:
        plain = stripped(text)
        if plain is not None:
            folded = fold(plain.text)
            bases.append(View(folded.text, plain.origin))
    for base in bases:
        seen = visible(base)
        for candidate in (seen, joined(seen)):
            if all(candidate.text != v.text for v in found):
                found.append(candidate)
    return found
