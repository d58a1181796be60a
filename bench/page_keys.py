"""What an edit build pays per page before it renders anything: the page cache and the records' forms.

    python3 bench/page_keys.py SITE [--pin-product TEXT]

On a site that has been built (SITE/build and SITE/.cache/pages), in this one process:

  - the page cache: `PageCache` reading `.cache/pages/index.json` (one entry per output file of the
    last build) and `PageCache.save` writing it again, into a scratch folder — wall time;
  - the records' forms: the check (with the site's cache as it is) and the selection, then
    `pagecache.form` of every public record with a fresh memo, as the render stage hashes them
    for the page keys — wall time and the memory the forms and the memo hold (tracemalloc).

`--pin-product TEXT`: the product hash the site's caches were written with by `bench/stages.py
--pin-product` (else the caches of another version of the code are not read).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--pin-product", metavar="TEXT")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 21))
    args = parser.parse_args()
    site = args.site.resolve()

    from generator import pagecache

    if args.pin_product:
        pinned = args.pin_product
        pagecache.product = lambda: pinned  # type: ignore[assignment]

    from generator import heap, pipeline, publicity
    from generator.config import load_config

    started = time.perf_counter()
    cache = pagecache.PageCache(site, (site / "build").resolve())
    load = time.perf_counter() - started
    if not cache.entries:
        raise SystemExit(f"{site}: no page cache of this code (build it first, with the same --pin-product)")
    scratch = Path(tempfile.mkdtemp())
    try:
        cache.file = scratch / "index.json"
        started = time.perf_counter()
        cache.save(cache.entries, cache.scanned_with, cache.spare)
        save = time.perf_counter() - started
    finally:
        shutil.rmtree(scratch)
    print(f"page cache: {len(cache.entries):,} files, read {load:.2f} s, written {save:.2f} s")
    del cache

    config = load_config(site)[0]
    checked = pipeline.check(config, args.today, 2)
    with heap.paused():
        records = publicity.select(checked.site, pipeline.body_facts(checked, 2)).records
    del checked
    gc.collect()
    tracemalloc.start()
    memo = pagecache.Memo()
    before = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    forms = [pagecache.form(record, memo) for record in records]
    took = time.perf_counter() - started
    held = tracemalloc.get_traced_memory()[0] - before
    print(
        f"record forms: {len(forms):,} records, {took:.2f} s under tracemalloc, hold {held / 2**20:.1f} MiB "
        f"({held / len(forms):,.0f} B a record), memo of {len(memo.forms):,} objects"
    )


if __name__ == "__main__":  # the check's pool may start processes that import this file again
    main()
