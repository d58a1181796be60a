"""One search shard's indexing cost: time and peak memory of Pagefind on N pages of a built site.

    python3 bench/indexer_memory.py BUILD --pages N

Gives `generator.search.bundle.index_pages` the first N record pages (<dept>/<year>-<serial>.html)
of BUILD, as one shard, with their metadata read from the pages, and prints the indexer's time,
its own peak memory and the bundle's size, and the distinct search words per page
(generator/search/terms.py). Run it at two sizes to see how the cost grows (bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import html
import re
import tempfile
from pathlib import Path

from generator.search import bundle, docs, terms

RECORD_PAGE = re.compile(r"\d{4}-\d{5,}\.html")
TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def items(build: Path, count: int) -> tuple[docs.Doc, ...]:
    pages = sorted(p for p in build.glob("*/*.html") if RECORD_PAGE.fullmatch(p.name))[:count]
    found = []
    for page in pages:
        title = TITLE.search(page.read_text(encoding="utf-8"))
        found.append(
            docs.Doc(
                path=page.relative_to(build).as_posix(),
                full=True,
                title=html.unescape(title.group(1)) if title else "",
                index_no="",
                doc_no="",
                publishers=(page.parent.name,),
                date="",
                category="",
                topic="",
                status="",
                publicity="",
            )
        )
    return tuple(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    parser.add_argument("--pages", type=int, required=True)
    args = parser.parse_args()
    shard = items(args.build, args.pages)
    words = sum(
        len(terms.index_terms((item.title,), docs.text((args.build / item.path).read_text(encoding="utf-8"))).split())
        for item in shard
    )
    with tempfile.TemporaryDirectory() as scratch:
        dest = Path(scratch) / "bundle"
        measured = bundle.index_pages(args.build, shard, dest)
        size = sum(path.stat().st_size for path in dest.rglob("*") if path.is_file())
    print(
        f"{len(shard)} pages, {words / max(len(shard), 1):.0f} words a page: {measured.seconds:.1f} s, "
        f"peak {measured.peak_kib / 1024:.0f} MiB, bundle {size / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()
