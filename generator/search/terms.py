"""Search terms: a record's texts cut into the words a query is cut into, so index and query agree.

Pagefind matches each query word as the prefix of an indexed word, and every query word must
match. Left to itself it cuts a page's Chinese with the extended binary's dictionary and the
query with the browser's Intl.Segmenter, and the two often cut differently (upstream #1237).
So neither side's Chinese reaches Pagefind as Chinese: both sides cut their text here the same
way — NFKC, lower case, runs of ASCII letters and digits kept whole, every other run of letters
and digits (Unicode L, N) as the bigram at every position and each character alone — and write
each CJK piece as an ASCII word of eleven characters, x and a hash of it (`code`). No segmenter splits
such a word, and a query's bigram matches exactly the same bigram.

Why a hash and not, say, the characters' code points: Pagefind (1.5) looks for a query word that
no indexed word begins with under a shorter prefix of it, down to six characters, so a missing
bigram written as its code points found every bigram sharing its first character. Hashed, a
missing word's first six characters (x and 25 bits) meet another word's in about one search of
a bundle of 100,000 words in 300; the search page checks every result against its text anyway
(static/search-core.js).

The words are the whole indexed text of the page the indexer sees (docs.page), which Pagefind
splits on spaces only; the bundle's fragments are then given the document text instead (bundle.py). A record's
title, 文号 and 索引号 give each word twice: as it is, and with TITLE in front, so a query can ask
for records whose title (or 文号, 索引号) holds all its words. Nothing but the record's public texts
goes into the field. static/search-core.js cuts a query with the same rules (`wordTerms`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

TERMS = "检索词"  # the meta field of a record page's own title words (`meta`)
TITLE = "t"  # a word of the title, 文号 or 索引号: TITLE then the word
CJK = "x"  # a CJK piece's word: CJK then its hash, apart from the ASCII runs of the text
DIGITS = "0123456789abcdefghijklmnopqrstuv"  # base 32
FNV_PRIME = 16777619
FNV_OFFSETS = (2166136261, 2166136261 ^ 0x9E3779B9)  # FNV-1a (32 bits) twice, from two offsets
PREFIX = 8  # the most characters of an ASCII run a directory key holds (`keys`)
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# The term directory's other keys (`page_keys`); no key of `keys` holds a colon.
TITLE_KEY = "t:"  # TITLE_KEY then a key: a page whose title, 文号 or 索引号 holds that key
WHOLE_KEY = "w:"  # WHOLE_KEY then a hash: a page whose whole title, 文号 or 索引号 is that text
GROUPS = 32  # a shard's pages fall into this many groups (`group`): a title key's mask has a bit for each
# A word every indexed page has (docs.page): the search page lists the pages of a filter with no
# query by it, as Pagefind loads every chunk of every shard's word index for a search of filters
# alone (22 MB for one 年份 at 20,000 records). Not a key of the term directory: no text holds it.
EVERY = "zzall"


# A run of ASCII letters and digits, or of other letters and digits. `[^\W_]` is a character of
# Unicode category L or N (str.isalnum), checked over every code point (tests/test_search.py);
# the text is lower case, so ASCII letters are a-z.
RUN = re.compile(r"([a-z0-9]+)|[^\W_a-z0-9]+")


def runs(text: str) -> list[tuple[str, str]]:
    """(kind, run) for each run of ASCII letters and digits ("ascii") or other letters ("cjk")."""
    normal = unicodedata.normalize("NFKC", text).lower()
    return [("ascii" if match[1] else "cjk", match[0]) for match in RUN.finditer(normal)]


def fnv(data: bytes, offset: int = FNV_OFFSETS[0]) -> int:
    """FNV-1a (32 bits) of `data` from `offset`."""
    value = offset
    for byte in data:
        value = ((value ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return value


def _base32(value: int, digits: int) -> str:
    return "".join(DIGITS[(value >> (5 * i)) & 31] for i in range(digits))


def _hashed(text: str) -> str:
    """7 base-32 digits of one FNV-1a hash of `text`'s UTF-8 bytes, then 3 of another."""
    data = text.encode("utf-8")
    first, second = (fnv(data, offset) for offset in FNV_OFFSETS)
    return _base32(first, 7) + _base32(second, 3)


@lru_cache(maxsize=1 << 17)
def code(piece: str) -> str:
    """The ASCII word of a CJK bigram or character: CJK and its hash (static/search-core.js
    computes the same)."""
    return CJK + _hashed(piece)


def normal(text: str) -> str:
    """`text` as the search page matches it (static/search-core.js `normalize`): NFKC, lower case,
    each run of characters other than letters and digits one space, no space at either end; the
    zero-width characters Pagefind puts between the words it cut (INVISIBLE) left out."""
    out = []
    for char in text:
        if char in INVISIBLE:
            continue
        for c in unicodedata.normalize("NFKC", char).lower():
            if c.isalnum():
                out.append(c)
            elif out and out[-1] != " ":
                out.append(" ")
    return "".join(out).strip()


def _pieces(run: str) -> list[str]:
    """The pieces of a CJK run, uncoded: each bigram and each character, in order."""
    found = []
    for i, char in enumerate(run):
        if i + 1 < len(run):
            found.append(run[i : i + 2])
        found.append(char)
    return found


def _prefixes(run: str) -> list[str]:
    """The directory keys of an ASCII run: its prefixes of up to PREFIX characters."""
    return [run[:n] for n in range(1, min(len(run), PREFIX) + 1)]


def words(text: str, keys: set[str] | None = None) -> dict[str, None]:
    """The words of `text`, in order, once each: ASCII runs, and each CJK bigram and character.
    `keys`: a set that the text's term directory keys (`keys`) are added to, as the words are cut
    (the indexer's pages are cut once for both: bundle.index_pages)."""
    found: dict[str, None] = {}
    for kind, run in runs(text):
        if kind == "ascii":
            found[run] = None
            if keys is not None:
                keys.update(_prefixes(run))
        else:
            coded = dict.fromkeys(map(code, _pieces(run)))
            found.update(coded)
            if keys is not None:
                keys.update(coded)
    return found


def _cut(texts: Iterable[str], ascii: set[str], pieces: set[str]) -> None:
    """Add to `ascii` each ASCII run's prefixes of up to PREFIX characters, and to `pieces` each
    CJK bigram and character (uncoded), of `texts`."""
    for text in texts:
        for kind, run in runs(text):
            if kind == "ascii":
                ascii.update(_prefixes(run))
            else:
                pieces.update(_pieces(run))


def keys(*texts: str) -> set[str]:
    """The term directory's keys of `texts` (directory.py): each CJK bigram and character coded, as
    in `words`, and each ASCII run's prefixes of up to PREFIX characters — Pagefind finds an ASCII
    query word as the prefix of an indexed word, so a query word's key is its first PREFIX
    characters (static/search-core.js `directoryKeys`)."""
    ascii: set[str] = set()
    pieces: set[str] = set()  # each distinct CJK piece, coded once at the end
    _cut(texts, ascii, pieces)
    return ascii | {code(piece) for piece in pieces}


def group(url: str) -> int:
    """The group of a shard's page, by its URL: a title key says which groups of a shard hold it, and
    each group's titles, 文号 and 索引号 are a file of their own (heads.py)."""
    return fnv(url.encode("utf-8")) % GROUPS


def page_keys(pages: Iterable[tuple[str, str, str, str, str]], body_keys: set[str] | None = None) -> dict[str, int]:
    """The term directory's keys of pages, each (URL, title, 文号, 索引号, document text): `keys` of
    all their texts; TITLE_KEY before each of `keys` of their titles, 文号 and 索引号 (a record whose
    title holds a query shows first); and WHOLE_KEY with the hash of each title, 文号 and 索引号 as a
    whole, `normal` (a record whose title, 文号 or 索引号 is the query shows before every other:
    static/search-core.js). Each key with a mask: for a title key, bit g set when a page of `group`
    g holds it in its own title, 文号 or 索引号 (so all of a query's title keys in one group, not
    spread over different pages); for the others 0. Each distinct piece is coded once.
    `body_keys`: `keys` of the pages' document texts, when they were found as the texts were cut
    (`words`)."""
    heads: list[str] = []
    bodies: list[str] = []
    held: dict[str, int] = {}  # an ASCII prefix or a CJK piece (uncoded) of a title, 文号 or 索引号 → its groups
    for url, title, number, index_number, body in pages:
        bit = 1 << group(url)
        ascii: set[str] = set()
        pieces: set[str] = set()
        _cut((title, number, index_number), ascii, pieces)
        for part in ascii | pieces:
            held[part] = held.get(part, 0) | bit
        heads += (title, number, index_number)
        bodies.append(body)
    # a CJK piece is never ASCII (runs: the text is lower case, an ASCII run is [a-z0-9]+)
    titled = {part if part.isascii() else code(part): mask for part, mask in held.items()}
    found = dict.fromkeys(keys(*bodies) if body_keys is None else body_keys, 0)
    found.update(dict.fromkeys(titled, 0))
    found.update((TITLE_KEY + key, mask) for key, mask in titled.items())
    found.update((WHOLE_KEY + _hashed(whole), 0) for whole in set(map(normal, heads)) if whole)
    return found


def index_terms(titles: tuple[str, ...], body: str, keys: set[str] | None = None) -> str:
    """The space-separated words to index: those of `titles` (title, 文号, 索引号) as they are and
    with TITLE in front, then those of `body` (whose term directory keys are added to `keys`)."""
    found: dict[str, None] = {}
    for text in titles:
        for word in words(text):
            found[word] = None
            found[TITLE + word] = None
    found.update(words(body, keys))
    return " ".join(found)


def meta(*texts: str | None) -> str:
    """A record page's own `data-pagefind-meta` (layouts/record.html): TERMS of its title, 文号 and
    索引号, for a page indexed as it is. The build's index does not read it: the indexer is given a
    page of the record's public metadata and body text instead (bundle.py)."""
    return f"{TERMS}:{index_terms(tuple(text for text in texts if text), '')}"
