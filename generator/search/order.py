"""Every indexed page in date order across the shards, for the search page's sort by date.

Pagefind sorts each bundle's results by date but merges bundles by score, which in a sorted search
is a result's rank inside its own bundle: results of different shards came out interleaved by rank,
not by date. So the index stage writes the order itself: the id of every page (the hash that names
its fragment, which is what Pagefind's JS gives as a result's `id`), oldest first, by 发布日期 and
then URL. static/search-core.js sorts the results it found by their place in it.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

FRAGMENT = ".pf_fragment"
SIGNATURE = b"pagefind_dcd"  # Pagefind's prefix of each decompressed file of a bundle
DATE = "发布日期"  # the meta field of the date (layouts/record.html)


def _page(path: Path) -> tuple[str, str]:
    data = gzip.decompress(path.read_bytes()).removeprefix(SIGNATURE)
    fragment = json.loads(data)
    return fragment["meta"].get(DATE, ""), fragment["url"]


def shared(bundles: list[Path]) -> list[str]:
    """The page ids found in more than one of `bundles`. Pagefind makes a page's id (7 hex digits of a
    hash) unique within its bundle only; the search page keeps one result per id and order.json one
    place, so of two pages of different shards sharing an id one is lost."""
    seen: dict[str, int] = {}
    for bundle in bundles:
        for path in (bundle / "fragment").glob(f"*{FRAGMENT}"):
            page = path.name.removesuffix(FRAGMENT)
            seen[page] = seen.get(page, 0) + 1
    return sorted(page for page, count in seen.items() if count > 1)


def pages(bundle: Path) -> list[list[str]]:
    """[date, URL, id] of every page of `bundle` (a Pagefind bundle folder), read from its fragments
    once, when the bundle is made (the shard cache keeps them: search/cache.py)."""
    found = []
    for path in sorted((bundle / "fragment").glob(f"*{FRAGMENT}")):
        date, url = _page(path)
        found.append([date, url, path.name.removesuffix(FRAGMENT)])
    return found


def by_date(shards: list[list[list[str]]]) -> list[str]:
    """The page ids of every shard's `pages`, oldest first (by date, then URL)."""
    return [page_id for _, _, page_id in sorted(page for found in shards for page in found)]
