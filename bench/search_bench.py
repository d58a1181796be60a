"""Search at scale on the real corpus: indexing time and peak memory, sharded vs one index, and
recall@10 of real queries in headless Chromium.

    python3 bench/search_bench.py [--records 20000] [--queries 60] [--work bench/out/search]

Builds a site from the corpus (bench/corpus_site.py) with `disclosure build`, then indexes the
built record pages again with generator.search.bundle twice: one Pagefind process per shard
(department), as many at a time as there are cores (as the build does), and one process for every
page, each measured on its own (generator/search/peak.py); then serves the build on 127.0.0.1 and runs each
query on the search page in /usr/bin/chromium, counting the queries whose intended record is
among the first ten results. Prints a Markdown report for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

sys.path[:0] = [
    str(Path(__file__).resolve().parents[1]),
    str(Path(__file__).resolve().parents[1] / "tests" / "browser"),
]

from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from corpus_site import write  # noqa: E402

from generator import cli, load, publicity  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.index import UNUSED  # noqa: E402
from generator.search import bundle  # noqa: E402
from generator.search import shards as search_shards  # noqa: E402


def queries(records: list[dict[str, str]], count: int) -> list[tuple[str, str, str]]:
    """(kind, query, intended url): 文号 as typed, and title phrases users type (the policy's name)."""
    rng = random.Random(7)
    unique = [r for r in records if not r["title"].startswith("【转载】")]
    titles: dict[str, int] = {}
    for r in unique:
        titles[r["title"]] = titles.get(r["title"], 0) + 1
    chosen = [r for r in rng.sample(unique, min(len(unique), count * 3)) if titles[r["title"]] == 1]
    found = []
    for r in chosen[: count // 2]:
        if r["doc_no"]:
            found.append(("文号", r["doc_no"], r["url"]))
    for r in chosen[count // 2 :]:
        if len(found) >= count:
            break
        title = r["title"]
        name = title[title.index("《") + 1 : title.index("》")] if "《" in title and "》" in title else title
        found.append(("名称", name, r["url"]))
    return found


def _size_mib(folder: Path) -> float:
    """What the build publishes of a bundle (not Pagefind's own UIs, generator/index.py UNUSED)."""
    files = (p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(UNUSED))
    return sum(p.stat().st_size for p in files) / (1 << 20)


def measure_indexing(site: Path, build: Path) -> list[str]:
    """Index the built pages as the build does (one process per department, as many at a time as
    there are cores) and as one index; peak memory is each indexer process's own (peak.py)."""
    config, errors = load_config(site)
    assert not errors, errors
    loaded, _ = load.load_site(config)
    plan = search_shards.plan(publicity.select(loaded), bound=10**9)  # one shard per department
    shards = {shard.name: shard.docs for shard in plan}
    pages = tuple(item for shard in plan for item in shard.docs)
    scratch = build.parent / "index-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = pool.map(lambda name: bundle.index_pages(build, shards[name], scratch / name), shards)
        per_shard = dict(zip(shards, done))
    sharded = time.perf_counter() - started
    sharded_size = sum(_size_mib(scratch / name) for name in shards)
    single = bundle.index_pages(build, pages, scratch / "all")
    single_size = _size_mib(scratch / "all")
    shutil.rmtree(scratch, ignore_errors=True)
    largest = max(per_shard.values(), key=lambda m: m.peak_kib)
    rows = [
        "| index | processes | pages | wall time (s) | sum of the processes' times (s) | "
        "peak memory of the largest process (MiB) | index size (MiB) |",
        "|---|---|---|---|---|---|---|",
    ]
    rows.append(
        f"| sharded ({workers} at a time, as the build) | {len(shards)} | {len(pages)} | {sharded:.1f} | "
        f"{sum(m.seconds for m in per_shard.values()):.1f} | {largest.peak_kib / 1024:.0f} | {sharded_size:.1f} |"
    )
    rows.append(
        f"| unsharded | 1 | {len(pages)} | {single.seconds:.1f} | {single.seconds:.1f} | "
        f"{single.peak_kib / 1024:.0f} | {single_size:.1f} |"
    )
    rows += ["", "| shard | pages | time (s) | peak memory (MiB) |", "|---|---|---|---|"]
    rows += [
        f"| {n} | {len(shards[n])} | {m.seconds:.2f} | {m.peak_kib / 1024:.0f} |" for n, m in sorted(per_shard.items())
    ]
    return rows


def measure_recall(build: Path, cases: list[tuple[str, str, str]]) -> tuple[list[str], list[str]]:
    from playwright.sync_api import sync_playwright

    server, base = serve(build)
    hits, misses = {"文号": [0, 0], "名称": [0, 0]}, []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(locale="zh-CN")
            for kind, query, url in cases:
                page.goto(f"{base}search/index.html?q={quote(query)}")
                page.wait_for_selector(".search-page[data-ready]", timeout=60000)
                links = [a.get_attribute("href") for a in page.query_selector_all("#search-results li h2 a")][:10]
                hits[kind][1] += 1
                if url in links:
                    hits[kind][0] += 1
                else:
                    misses.append(f"- {kind} `{query}` → wanted {url}, got {links[:3]}")
            browser.close()
    finally:
        server.shutdown()
    total = sum(h for h, _ in hits.values()), sum(n for _, n in hits.values())
    rows = ["| queries | found in first 10 | recall@10 |", "|---|---|---|"]
    rows += [f"| {kind} ({n}) | {h} | {h / n:.0%} |" for kind, (h, n) in hits.items() if n]
    rows.append(f"| all ({total[1]}) | {total[0]} | {total[0] / total[1]:.0%} |")
    return rows, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--work", type=Path, default=Path("bench/out/search"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    site = args.work / "site"
    records = write(site, args.records)
    started = time.perf_counter()
    code = cli.main(["build", "--site", str(site)])
    assert code == 0, f"build failed with {code}"
    print(f"\n`disclosure build` of {args.records} records: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    build = site / "build"
    print("## Indexing\n\n" + "\n".join(measure_indexing(site, build)))
    rows, misses = measure_recall(build, queries(records, args.queries))
    print("\n## Recall@10 in Chromium\n\n" + "\n".join(rows) + "\n\nMisses:\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
