"""A record's search terms: its title, 文号 and 索引号 cut into the words a query can be cut into.

Pagefind matches each query word as the prefix of an indexed word, and every query word must
match. The extended binary segments a page's text with its own Chinese dictionary, while the
browser segments the query with Intl.Segmenter; the two often cut differently (upstream issue
#1237: "国办发" is 国办|发 in the index, 国|办|发 in the query, and no indexed word starts with 办).

A `data-pagefind-meta` value is indexed split on whitespace only, not segmented. So the record
page carries, as the meta field TERMS, the CJK bigram at every position of these texts (the last
character alone) and each run of ASCII letters and digits whole; static/search-core.js sends a query
as its bigrams and ASCII runs. Whatever the browser does to a bigram (keep it, or split it into
its two characters), each piece is the prefix of a word written here, so a record is found by any
piece of its title, 文号 or 索引号. Nothing but those public texts goes into the field.

Both sides normalise the same way (NFKC, lower case); a letter or digit is Unicode category L or N.
"""

from __future__ import annotations

import unicodedata
from itertools import groupby

TERMS = "检索词"  # the meta field's name; static/search.js does not show it


def _kind(char: str) -> str:
    if char.isascii() and char.isalnum():
        return "ascii"
    return "cjk" if unicodedata.category(char)[0] in "LN" else ""


def runs(text: str) -> list[tuple[str, str]]:
    """(kind, run) for each run of ASCII letters and digits ("ascii") or other letters ("cjk")."""
    normal = unicodedata.normalize("NFKC", text).lower()
    return [(kind, "".join(chars)) for kind, chars in groupby(normal, _kind) if kind]


def index_terms(*texts: str) -> str:
    """The space-separated words to index for `texts`: every CJK bigram and last character, ASCII runs."""
    words: dict[str, None] = {}
    for text in texts:
        for kind, run in runs(text):
            if kind == "ascii":
                words[run] = None
            else:
                words.update((run[i : i + 2], None) for i in range(len(run)))
    return " ".join(words)


def meta(*texts: str | None) -> str:
    """The record page's `data-pagefind-meta` value: TERMS and the words of the texts given."""
    return f"{TERMS}:{index_terms(*(text for text in texts if text))}"
