"""What a reader sees, for matching: the views of a text that the secrecy rules scan.

Ordinary formatting hides numbers and markings from a scan of the raw text: Markdown
emphasis or a link splitting a number (`139**1234**5678`), a zero-width or no-break space,
an ideographic space (U+3000, Word's alignment space: `秘　密★1年`), a hyphen or a full-width
dash inside a number, an ID number written in groups. The reader sees none of it, so the
scan must not either. Each view is a text plus, on demand, the offset in the source of each
of its characters, so a hit maps back to the line as written (the map is built only for a
view that has a hit: most texts have none).

- `visible`: full-width letters and every decimal digit as ASCII; invisible characters
  (zero-width, format and bidi controls, variation selectors, fillers) removed; spaces and
  dashes between Chinese characters (and ★) removed. For a Markdown text, its inline syntax
  is removed first (emphasis, code marks, link brackets and targets, backslash escapes;
  entities decoded): the text as rendered. Link targets are scanned on their own.
- `joined`: `visible` with the space and dash family inside digit runs removed, so
  `110101 19900307 4514` and `138‐1234‐5678` read as one number. Numbers are looked for in
  it beside `visible`, never instead of it: joining would glue two separate numbers together.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

# Invisible: every format character (Unicode category Cf) plus variation selectors, the
# combining grapheme joiner and the Hangul fillers, which render as nothing.
INVISIBLE_BMP = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\u0600-\u0605\u06dd\u070f"
    "\u0890\u0891\u08e2"
)
INVISIBLE_ASTRAL = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef"
)
INVISIBLE = INVISIBLE_BMP + INVISIBLE_ASTRAL
SPACES = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
DASHES = r"\-\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_TIGHT = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff★☆"  # Chinese characters and the marking star

# Every decimal digit that is not ASCII (Arabic-Indic, Devanagari, full-width, mathematical …).
_OTHER_DIGITS = "".join(chr(c) for c in range(0x80, 0x20000) if chr(c).isdecimal())  # none beyond plane 1
_FOLD = {ord(ch): ord(str(int(ch))) for ch in _OTHER_DIGITS}
_FOLD.update({c: c - 0xFEE0 for c in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))})
_FOLD[0xFF0D] = ord("-")


def _ranges(codes: list[int]) -> str:
    """A regex character class body of `codes`, as ranges (a long list of single characters is slow)."""
    parts, codes = [], sorted(codes)
    start = prev = codes[0]
    for code in codes[1:] + [-1]:
        if code != prev + 1:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = code
        prev = code
    return "".join(parts)


# A class of characters in the Basic Multilingual Plane is a bitmap; one with astral ranges is
# several times slower to search, so the astral ones are looked for only in a text that has any.
_FOLD_IN_BMP = _ranges([c for c in _FOLD if c <= 0xFFFF])
_FOLD_BMP = re.compile("[" + _FOLD_IN_BMP + "]")
_FOLD_ASTRAL = re.compile("[" + _ranges([c for c in _FOLD if c > 0xFFFF]) + "]")
# A quick test that passes over ordinary text: anything to fold or remove.
_UNUSUAL = re.compile("[" + _FOLD_IN_BMP + INVISIBLE_BMP + "]")

_INVISIBLE = re.compile(f"[{INVISIBLE}]+")
_INVISIBLE_IN_BMP = re.compile(f"[{INVISIBLE_BMP}]+")
_INVISIBLE_ASTRAL = re.compile(f"[{INVISIBLE_ASTRAL}]")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_NONE: frozenset[str] = frozenset()  # what _astral gives a text that has none
_GAP = f"[{SPACES}{DASHES}]"  # one character of a gap that a reader does not see
# a gap between Chinese characters; written to begin with the gap, which the regex engine looks for quickly
_GAP_IN_WORDS = re.compile(f"{_GAP}(?<=[{_TIGHT}]{_GAP}){_GAP}{{0,2}}(?=[{_TIGHT}])")
_GAP_IN_NUMBER = re.compile(f"(?<=[0-9]){_GAP}{{1,4}}(?=[0-9])")
# A UUID (8-4-4-4-12 hex digits, as in a feed's entry ids or a CMS's file names) is one identifier:
# its digit groups, closed up, would make a 16-digit "number" in about one UUID in 20,000.
_UUID = r"(?<![0-9A-Za-z])(?P<uuid>[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})(?![0-9A-Za-z])"
_GAP_OUTSIDE_UUIDS = re.compile(_UUID + "|" + _GAP_IN_NUMBER.pattern)
# 11 digits or more with gaps between them: only then can closing the gaps make a number
_GAPPED_NUMBER = re.compile(f"[0-9](?:{_GAP}{{0,4}}[0-9]){{10,}}")

# Markdown inline syntax, as the renderer removes it: entities and escapes become their
# character; emphasis and code marks vanish; a link keeps its words and loses its target.
_LINK_TARGET = r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
_MARKDOWN = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|\\(?=[!-/:-@\[-`{-~])|" + _LINK_TARGET + r"|!?\[|\]|[*_~`]+"
)
# Syntax between two characters of a word or number, or an entity: only then can removing it join anything
_WORDLIKE = "0-9A-Za-z\uff10-\uff19\u3400-\u9fff★☆"
# a syntax character right after a character of a word: written to begin with the syntax, which the
# regex engine skips to in C (most characters of a text are word characters)
_SYNTAX_AFTER_WORD = re.compile(f"[*_~`\\\\\\[\\]](?<=[{_WORDLIKE}].)")
_ENTITY = re.compile(r"&#?[0-9A-Za-z]+;")


def _astral(text: str) -> frozenset[str]:
    """The characters beyond the Basic Multilingual Plane that `text` holds. Most texts have none,
    told by the length of the UTF-16 form (two bytes a character otherwise; encoded in C, 6 µs for a
    record's body where a search of the range takes 11 and finding them all 22). A binary file read as
    text (Pagefind's word index, its WebAssembly) has a few, neither digits nor invisible: the patterns
    of every astral character to fold or remove are slow over a whole text (5 ms for an 80,000-character
    index chunk), so they run only when one of these characters is such a character."""
    if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return _NONE
    return frozenset(_BEYOND_BMP.findall(text))


def _syntax_inside_words(text: str) -> bool:
    """Whether Markdown syntax touches a character of a word or number (`139**1234`, `绝**密`,
    `[6228](#)4800`) or an entity stands in the text: only then can rendering join anything."""
    return ("&" in text and _ENTITY.search(text) is not None) or _SYNTAX_AFTER_WORD.search(text) is not None


LINK_TARGETS = re.compile(r"\]\((?P<target>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)")


@dataclass
class View:
    """A text to scan; `origin(i)` is the offset in the source of its character i."""

    text: str
    _origin: Callable[[], list[int]] | None = None  # None: the same offsets as the source
    _cache: list[int] | None = field(default=None, repr=False)

    def origin(self) -> list[int] | None:
        if self._origin is not None and self._cache is None:
            self._cache = self._origin()
        return self._cache

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        origin = self.origin()
        if origin is None:
            return start, end
        if not origin:
            return 0, 0
        start = min(start, len(origin) - 1)
        return origin[start], origin[max(start, min(end, len(origin)) - 1)] + 1


def _rewrite(view: View, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str] | str) -> View:
    """`view` with every match of `pattern` replaced (by `replace(match)`, or removed when `replace`
    is ""); the offset map is built only if asked for."""
    text = pattern.sub(replace, view.text)  # "" is removed in C, with no call per match
    if text == view.text:
        return view

    def origin() -> list[int]:
        source = view.origin()
        offsets: list[int] = []
        pos = 0
        for m in pattern.finditer(view.text):
            offsets.extend(source[pos : m.start()] if source is not None else range(pos, m.start()))
            piece = replace if isinstance(replace, str) else replace(m)
            if piece == m.group():  # kept as it was: each character keeps its own offset
                pos = m.start()
                continue
            start = source[m.start()] if source is not None else m.start()
            offsets.extend([start] * len(piece))
            pos = m.end()
        offsets.extend(source[pos:] if source is not None else range(pos, len(view.text)))
        return offsets

    return View(text, origin)


def _markdown_piece(m: re.Match[str]) -> str:
    token = m.group()
    return html.unescape(token) if token.startswith("&") else ""


def _fold_one(m: re.Match[str]) -> str:
    return chr(_FOLD[ord(m.group())])


def _folded(text: str, astral: bool) -> str:
    """`text` with every character of _FOLD folded, one for one (a text has few: str.translate,
    which looks up every character, is slower)."""
    text = _FOLD_BMP.sub(_fold_one, text)
    return _FOLD_ASTRAL.sub(_fold_one, text) if astral else text


def visible(text: str, markdown: bool = False) -> View:
    view = View(text)
    if markdown and _syntax_inside_words(text):
        view = _rewrite(view, _MARKDOWN, _markdown_piece)
    astral = _astral(view.text)
    fold_astral = any(ord(char) in _FOLD for char in astral)
    invisible_astral = any(_INVISIBLE_ASTRAL.match(char) for char in astral)
    if fold_astral or invisible_astral or _UNUSUAL.search(view.text):
        view = View(_folded(view.text, fold_astral), view._origin, view._cache)  # offsets do not move
        view = _rewrite(view, _INVISIBLE if invisible_astral else _INVISIBLE_IN_BMP, "")
    return _rewrite(view, _GAP_IN_WORDS, "")  # most bodies have some (第一条　…): no search first


def joined(view: View) -> View | None:
    """`view` with the gaps inside digit runs closed, except inside UUIDs; None when it has none."""
    if not _GAPPED_NUMBER.search(view.text):
        return None
    if "-" in view.text and re.search(_UUID, view.text):
        result = _rewrite(view, _GAP_OUTSIDE_UUIDS, lambda m: m.group() if m.group("uuid") else "")
    else:
        result = _rewrite(view, _GAP_IN_NUMBER, "")
    return None if result is view else result
