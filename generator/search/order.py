"""Each shard's pages in date order, for the search page's sort by date across shards.

Pagefind sorts each bundle's results by date but merges bundles by score, which in a sorted search
is a result's rank inside its own bundle: results of different shards came out interleaved by rank,
not by date. So the index stage writes the order itself, one file per shard
(pagefind/order/<shard>.pf_order), so that a query reads the order of the shards it opens and no
more: the ids of its pages (the hash that names a page's fragment, which is what Pagefind's JS
gives as a result's `id`), oldest first by 发布日期 and then URL, and each one's 发布日期.
static/search-core.js sorts the results it found by date, then by shard, then by place.

The file is that JSON gzipped (no timestamp), as Pagefind's own files are: a query of a common
word reads the order of every shard, 32 KiB of JSON for a shard of 930 pages, 6 KiB gzipped.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FRAGMENT = ".pf_fragment"
SUFFIX = ".pf_order"  # an order file's name: <shard>.pf_order
SIGNATURE = b"pagefind_dcd"  # Pagefind's prefix of each decompressed file of a bundle
DATE = "发布日期"  # the meta field of the date (layouts/record.html)


def fragments(bundle: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(page id, fragment) for every page of `bundle` (a Pagefind bundle folder), by id."""
    for path in sorted((bundle / "fragment").glob(f"*{FRAGMENT}")):
        yield path.name.removesuffix(FRAGMENT), fragment(path.read_bytes())


def fragment(data: bytes) -> Any:
    """A fragment file's bytes (gzip of SIGNATURE and the fragment's JSON) as the fragment."""
    return json.loads(gzip.decompress(data).removeprefix(SIGNATURE))


def shared(shards: Iterable[list[list[str]]]) -> list[str]:
    """The page ids found in more than one shard, given each shard's `pages` ([date, URL, id]; the
    shard cache keeps them, so no bundle folder is listed). Pagefind makes a page's id (7 hex digits
    of a hash) unique within its bundle only; the search page keeps one result per id, so of two
    pages of different shards sharing an id one is lost."""
    seen: dict[str, int] = {}
    for found in shards:
        for _, _, page in found:
            seen[page] = seen.get(page, 0) + 1
    return sorted(page for page, count in seen.items() if count > 1)


def pages(bundle: Path) -> list[list[str]]:
    """[date, URL, id] of every page of `bundle`, read from its fragments once, when the bundle is
    made (the shard cache keeps them: search/cache.py)."""
    return [[fragment["meta"].get(DATE, ""), fragment["url"], page] for page, fragment in fragments(bundle)]


def by_date(found: list[list[str]]) -> bytes:
    """A shard's order file: the ids of its `pages`, oldest first (by date, then URL), and each
    one's date, as gzipped JSON."""
    ordered = sorted(found)
    data = {"ids": [page_id for _, _, page_id in ordered], "dates": [date for date, _, _ in ordered]}
    return gzip.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), compresslevel=9, mtime=0)
