"""Each shard's titles, 文号 and 索引号 in groups, so the search page can tell whether a shard holds a
record whose title holds the query without opening the shard.

The term directory's "t:" keys (directory.py) say which groups of a shard's pages (terms.group, by
URL) hold each key of a title, 文号 or 索引号. When every key of a query is in a few groups of a
shard not yet open, the search page reads those groups' files and checks each record's title, 文号
and 索引号 as it checks a result's (static/search-core.js `Shards.refine`): a shard holding no
record whose title holds the query is opened only once its body matches are wanted. Opening a
shard of 750 pages to learn the same costs ~150 KiB; a group's file is ~1 KiB.

A file, pagefind/<shard>/heads/<group>.pf_heads, holds the [title, 文号, 索引号] of the group's
pages as their fragments give them, in URL order: JSON (UTF-8, so the output scan reads the text),
gzipped without a timestamp. It is written into the bundle as it is made, from the fragments just
rewritten (bundle.py), so the shard cache keeps it with the bundle.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import terms

FOLDER = "heads"
SUFFIX = ".pf_heads"


def write(bundle: Path, fragments: Iterable[dict[str, Any]]) -> None:
    """Write the heads files of `bundle` (a Pagefind bundle folder) from its pages' `fragments`."""
    groups: dict[int, list[tuple[str, list[str]]]] = {}
    for fragment in fragments:
        meta = fragment.get("meta", {})
        url = fragment.get("url", "")
        texts = [meta.get("title", ""), meta.get("文号", ""), meta.get("索引号", "")]
        groups.setdefault(terms.group(url), []).append((url, texts))
    folder = bundle / FOLDER
    folder.mkdir(exist_ok=True)
    for number, pages in sorted(groups.items()):
        data = json.dumps([texts for _, texts in sorted(pages)], ensure_ascii=False, separators=(",", ":"))
        (folder / f"{number}{SUFFIX}").write_bytes(gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0))
