"""Search quality and cost in Chromium: recall@10 and precision over the relevance set, and the
time and bytes of each query with the page load counted.

    python3 bench/search_quality.py BUILD [--set bench/search_relevance.json] [--limit N]

BUILD is a built site (`disclosure build`); without --set, or when the set's file is missing,
the set is drawn from BUILD itself (bench/search_relevance.py). Each query is run on a fresh load
of the search page (…/search/index.html?q=…) in /usr/bin/chromium, the site served on 127.0.0.1:
time from navigation to the first page of results, and bytes of every response (the page, its
scripts, the index files). Then every query again, typed one after another into one loaded page:
the warm time and bytes.

recall@10: per query, the share of the records it must find (up to ten) among the first ten
results, averaged over queries. precision: of all results shown in the first ten, the share whose
record contains every query word (search_relevance.contains, on the page's own text).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests" / "browser")]

from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from search_relevance import contains, make_set, query_words, site_records  # noqa: E402

SEARCH = "search/index.html"
TIMEOUT = 120  # seconds a query may take; a slower one is counted at this time and listed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(build: Path, queries: list[dict[str, object]]) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    records = site_records(build)
    server, base = serve(build)
    rows = []
    timed_out: list[str] = []  # queries with no results after TIMEOUT: counted at TIMEOUT, and listed
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for item in queries:
                query = str(item["query"])
                context = browser.new_context(locale="zh-CN")
                page = context.new_page()
                sizes: list[int] = []
                page.on("requestfinished", lambda request: sizes.append(body_size(request)))
                started = time.perf_counter()
                page.goto(f"{base}{SEARCH}?q={quote(query)}")
                if not _ready(page):
                    timed_out.append(f"cold: {query}")
                cold = time.perf_counter() - started
                page.wait_for_load_state("networkidle")
                cold_bytes = sum(sizes)
                hrefs = [a.get_attribute("href") or "" for a in page.query_selector_all("#search-results li h2 a")]
                context.close()
                top = [href.removeprefix(base.rstrip("/")) for href in hrefs[:10]]
                expect = list(item["expect"])  # type: ignore[call-overload]
                words = query_words(query)
                good = sum(1 for url in top if url in records and contains(records[url], words))
                wanted = expect[:10] if len(expect) <= 10 else expect
                found = len(set(top) & set(wanted))
                rows.append(
                    {
                        "query": query,
                        "kind": item["kind"],
                        "recall": found / min(10, len(expect)) if expect else 1.0,
                        "shown": len(top),
                        "good": good,
                        "cold": cold,
                        "cold_bytes": cold_bytes,
                    }
                )
            # warm: one page, each query typed into its form after the one before
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            sizes = []
            page.on("requestfinished", lambda request: sizes.append(body_size(request)))
            page.goto(f"{base}{SEARCH}")
            page.wait_for_selector(".search-page[data-ready]", timeout=120_000)
            for row in rows:
                sizes.clear()
                started = time.perf_counter()
                page.evaluate("() => document.querySelector('.search-page').removeAttribute('data-ready')")
                page.fill("#search-page-q", str(row["query"]))
                page.press("#search-page-q", "Enter")
                if not _ready(page):
                    timed_out.append(f"warm: {row['query']}")
                row["warm"] = time.perf_counter() - started
                row["warm_bytes"] = sum(sizes)
            context.close()
            browser.close()
    finally:
        server.shutdown()
    return {**summary(rows), "timed out": timed_out}


def body_size(request: Any) -> int:
    """Bytes of a response's body; Chromium gives -1 for one served from its memory cache (0 sent)."""
    return max(0, int(request.sizes()["responseBodySize"]))


def _ready(page: Any) -> bool:
    """Whether the search page showed its results within TIMEOUT."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(".search-page[data-ready]", timeout=TIMEOUT * 1000)
        return True
    except PlaywrightTimeout:
        return False


def summary(rows: list[dict[str, object]]) -> dict[str, object]:
    def column(name: str) -> list[float]:
        return [float(row[name]) for row in rows]  # type: ignore[arg-type]

    shown = sum(int(row["shown"]) for row in rows)  # type: ignore[call-overload]
    return {
        "queries": len(rows),
        "recall@10": statistics.mean(column("recall")),
        "precision": sum(int(row["good"]) for row in rows) / shown if shown else 1.0,  # type: ignore[call-overload]
        "misses": [row["query"] for row in rows if float(row["recall"]) < 1],  # type: ignore[arg-type]
        "imprecise": [row["query"] for row in rows if row["good"] != row["shown"]],
        **{
            f"{name} {stat}": fn(column(name))
            for name in ("cold", "cold_bytes", "warm", "warm_bytes")
            for stat, fn in (("median", statistics.median), ("p95", lambda v: percentile(v, 0.95)))
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    parser.add_argument("--set", type=Path, help="the relevance set (JSON); default: drawn from BUILD")
    parser.add_argument("--limit", type=int, default=0, help="run only the first N queries")
    args = parser.parse_args()
    if args.set and args.set.exists():
        queries = json.loads(args.set.read_text(encoding="utf-8"))
    else:
        queries = make_set(args.build)
    if args.limit:
        queries = queries[: args.limit]
    result = run(args.build, queries)
    kib = 1024
    print(
        "| queries | recall@10 | precision | cold median / p95 | cold KiB median / p95 | warm median / p95 | warm KiB median / p95 |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {result['queries']} | {result['recall@10']:.1%} | {result['precision']:.1%} "
        f"| {result['cold median']:.2f} s / {result['cold p95']:.2f} s "
        f"| {result['cold_bytes median'] / kib:.0f} / {result['cold_bytes p95'] / kib:.0f} "
        f"| {result['warm median']:.2f} s / {result['warm p95']:.2f} s "
        f"| {result['warm_bytes median'] / kib:.0f} / {result['warm_bytes p95'] / kib:.0f} |"
    )
    print(f"missed (recall < 1): {result['misses']}")
    print(f"imprecise: {result['imprecise']}")
    print(f"no results within {TIMEOUT} s: {result['timed out']}")


if __name__ == "__main__":
    main()
