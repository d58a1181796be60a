"""The secrecy scan's quick ways of running a pattern find exactly what the pattern finds.

Two patterns of generator/secrecy/markings.py are anchored to lines (^, $), which gives the regex
engine no character to skip to: over a whole body it tries every place. They are run only where
they can match — STANDING_ALONE on the lines that hold 国家秘密, COPY_NUMBER_LINE on the line above
one that begins with a secrecy level. These properties hold them to the plain search over the whole
text, on texts made of the pieces that matter to them (line breaks, tabs, table bars, every kind of
space the patterns allow, digits, levels and their fragments). And generator/secrecy/normalize.py
runs its patterns of the characters beyond the Basic Multilingual Plane (to fold or remove: 𝟏, a tag
character) only when the text holds one of those: the visible text is the one every pattern makes.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.secrecy import markings, normalize

PIECES = [
    "国家秘密",
    "国家",
    "秘密",
    "绝密",
    "机密",
    "密",
    "★",
    "\n",
    "\n\n",
    "\t",
    "|",
    " ",
    "\u3000",
    "\u00a0",
    "\u2003",
    "\r",
    "123456",
    "12345",
    "1234567",
    "0",
    "份号",
    "文",
    "（",
    "）",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def spans(found: Iterator[re.Match[str]]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in found]


def same_as_whole_text(pattern: re.Pattern[str], quick: Callable[[str], Iterator[re.Match[str]]], text: str) -> None:
    assert spans(quick(text)) == spans(pattern.finditer(text))


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_standing_alone_searched_by_line_finds_what_the_whole_text_search_finds(text: str) -> None:
    same_as_whole_text(markings.STANDING_ALONE, markings._standing_alone, text)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_copy_number_lines_found_from_the_level_finds_what_the_whole_text_search_finds(text: str) -> None:
    same_as_whole_text(markings.COPY_NUMBER_LINE, markings._copy_number_lines, text)


def test_the_shortcuts_are_held_to_something_that_happens() -> None:
    """The pieces do make matches of both patterns (else the properties above would hold vacuously)."""
    assert spans(markings._standing_alone("首行\n\u3000国家秘密 \t其他|国家秘密\n")) == [
        (3, 9, "\u3000国家秘密 "),
        (13, 17, "国家秘密"),
    ]
    assert spans(markings._copy_number_lines("文\n 123456\u3000\n\u3000秘密★1年\n654321\n机密")) == [
        (2, 12, " 123456\u3000\n\u3000"),
        (18, 25, "654321\n"),
    ]


@settings(max_examples=3000, deadline=None)
@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_the_characters_beyond_the_basic_plane_are_found_by_one_search(text: str) -> None:
    assert normalize._astral(text) == {char for char in text if ord(char) > 0xFFFF}


# What `visible` folds or removes, in and beyond the Basic Multilingual Plane, and what it keeps
SEEN_PIECES = [
    "电话",
    "秘密",
    "13912345678",
    " ",
    "\u3000",
    "-",
    "\u200b",  # zero-width space
    "\ufe0f",  # variation selector
    "\uff11",  # full-width 1
    "\u0663",  # Arabic-Indic 3
    "\U0001d7cf",  # mathematical bold 1
    "\U000e0031",  # tag digit one: invisible
    "\U000e0101",  # variation selector supplement
    "\U0001f600",  # an emoji: beyond the plane, neither a digit nor invisible
    "\U00020000",  # a CJK character of plane 2
    "\ufffd",
    "\x01",
]


def plainly_visible(text: str) -> str:
    """`visible` without its shortcuts: every fold, then every invisible character removed, then the gaps."""
    folded = normalize._FOLD_ASTRAL.sub(normalize._fold_one, normalize._FOLD_BMP.sub(normalize._fold_one, text))
    return normalize._GAP_IN_WORDS.sub("", normalize._INVISIBLE.sub("", folded))


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(SEEN_PIECES), max_size=30).map("".join))
def test_the_visible_text_is_the_text_every_pattern_makes(text: str) -> None:
    """The astral patterns run only when the text holds a character they change (a binary file read
    as text holds a few astral characters that are neither): the result is the same either way."""
    assert normalize.visible(text).text == plainly_visible(text)


def test_an_astral_invisible_character_inside_a_number_is_removed() -> None:
    assert normalize.visible("电话139\U000e00311234\U0001f6005678").text == "电话139" + "1234\U0001f6005678"


def test_an_astral_digit_in_a_number_is_folded() -> None:
    """The fold of astral digits (mathematical 𝟏𝟑𝟗) still happens: the number is found as written."""
    view = normalize.visible("电话\U0001d7cf\U0001d7d1\U0001d7d712345678", markdown=True)
    assert view.text == "电话13912345678"
