"""Stage 6 — index: the client-side search index over the public record pages.

One Pagefind bundle per shard (a department's record pages, or, past a bound of pages or of text,
a chunk of them in 索引号 order: see search/shards.py) under pagefind/<shard>/, listed in
pagefind/shards.json with, for each filter value, its count and the shards holding it. The term
directory (pagefind/terms/, search/directory.py) says which shards hold each search key, so the
search page opens only the shards a query needs and merges them (mergeIndex);
pagefind/order/<shard>.pf_order puts each shard's pages in date order (search/order.py). Only pages of
Publication.full records are indexed. An unchanged shard comes from the cache in
<site>/.cache/search/ instead of being indexed again, and the directory's files from
<site>/.cache/terms/, changed only where a changed shard's keys did. The environment variable
DISCLOSURE_SHARD_PAGES (SHARD_PAGES) sets the bound, default shards.BOUND.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import urls
from .output import Output
from .publicity import Publication
from .search import bundle, directory, docs, order, shards, terms
from .search.cache import ENTRY, ShardCache

BUNDLES = urls.SEARCH_INDEX
MANIFEST = f"{BUNDLES}/shards.json"
ORDER = f"{BUNDLES}/order"  # each shard's page ids in date order: <shard>.pf_order (search/order.py)
CACHE = Path(".cache") / "search"
TERMS_CACHE = Path(".cache") / "terms"  # the term directory's (search/directory.py)
SHARD_PAGES = "DISCLOSURE_SHARD_PAGES"  # the most pages a shard holds (docs/search.md)
# Pagefind's own UIs: the search page uses its JS API (static/search.js), so these are not copied.
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


@dataclass(frozen=True)
class ShardReport:
    name: str
    pages: int
    cached: bool  # True: the bundle came from the cache, the measurement is of the build that made it
    measurement: bundle.Measurement
    stale: bool = False  # True: the previous build's bundle, left for a second build to bring up to date


def _copy_bundle(output: Output, shard: str, source: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith(UNUSED):
            output.copy(f"{BUNDLES}/{shard}/{path.relative_to(source).as_posix()}", path)


def _describe(report: ShardReport) -> str:
    m = report.measurement
    how = "未变，沿用缓存" if report.cached else f"{m.seconds:.2f} 秒，峰值内存 {m.peak_kib / 1024:.1f} MiB"
    if report.stale:
        how = "已变，暂用上一次的索引，稍后更新"
    return f"搜索索引 {report.name}：{report.pages} 页，{how}"


def shard_bound(console: Console) -> int:
    """The bound of SHARD_PAGES if it is a positive whole number, else (saying so) shards.BOUND."""
    value = os.environ.get(SHARD_PAGES, "").strip()
    if not value:
        return shards.BOUND
    if value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    console.print(
        f"环境变量 {SHARD_PAGES}={value!r} 不是正整数，已忽略：每个搜索索引分片至多 {shards.BOUND} 页",
        highlight=False,
        markup=False,
    )
    return shards.BOUND


def build_index(
    publication: Publication,
    output: Output,
    workers: int | None = None,
    bound: int | None = None,
    stale_from: Path | None = None,
) -> list[ShardReport]:
    """Index the public record pages already rendered into `output`, shard by shard of at most
    `bound` pages (None: SHARD_PAGES, else shards.BOUND).

    `stale_from` (the preview's first pass): a changed shard whose bundle this output folder (the
    previous build) holds is not indexed now; that bundle is used as it is and the report says
    `stale`, so the pages are shown at once and a second build brings the search up to date."""
    console = Console(stderr=True)
    plan = shards.plan(publication, bound or shard_bound(console))
    cache = ShardCache(publication.config.root / CACHE)

    folders: dict[str, Path] = {}  # each shard's bundle in the cache, verified or just made
    pages: dict[str, list[list[str]]] = {}  # each shard's pages: [date, URL, id] (search/order.py)
    keys: dict[str, str | None] = {}  # each shard's key (None: the previous build's bundle, stale)
    made: dict[str, frozenset[str]] = {}  # each new bundle's directory keys, read beside the indexer

    def index_shard(shard: shards.Shard) -> ShardReport:
        key = keys[shard.name] = shards.key(shard, output.root)
        cached = cache.get(shard.name, key)
        previous = stale_from / BUNDLES / shard.name if stale_from is not None else None
        if cached is None and previous is not None and (previous / ENTRY).is_file():
            folders[shard.name], keys[shard.name] = previous, None
            pages[shard.name] = order.pages(previous)
            return ShardReport(shard.name, len(shard.pages), False, bundle.Measurement(0.0, 0), stale=True)
        if cached is None:
            scratch = cache.scratch(shard.name)  # this build's own: a concurrent one never shares it
            try:
                measurement = bundle.index_pages(output.root, shard.docs, scratch, shard.name)
                entry = cache.put(shard.name, key, measurement, scratch)
                folders[shard.name], pages[shard.name] = entry.bundle, entry.pages
                made[shard.name] = frozenset(directory.bundle_keys(entry.bundle))
            finally:
                cache.discard(scratch)  # gone already when put moved it into place
            return ShardReport(shard.name, len(shard.pages), False, measurement)
        folders[shard.name], pages[shard.name] = cached.bundle, cached.pages
        return ShardReport(shard.name, len(shard.pages), True, cached.measurement)

    columns = (TextColumn("建立搜索索引"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        Progress(*columns, console=console, transient=True) as progress,
        ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool,
    ):
        task = progress.add_task("index", total=len(plan))
        reports = []
        for report in pool.map(index_shard, plan):
            progress.console.print(_describe(report), highlight=False)
            progress.advance(task)
            reports.append(report)
    bundles = [folders[report.name] for report in reports]
    for report, folder in zip(reports, bundles):
        _copy_bundle(output, report.name, folder)
    for report in reports:
        output.write_bytes(f"{ORDER}/{report.name}{order.SUFFIX}", order.by_date(pages[report.name]))
    term_directory = directory.Directory(publication.config.root / TERMS_CACHE)
    files = term_directory.update(
        [directory.Shard(r.name, keys[r.name], folders[r.name], made.get(r.name)) for r in reports]
    )
    for path in files:
        output.copy(f"{BUNDLES}/{directory.FOLDER}/{path.name}", path)
    output.write_text(MANIFEST, json.dumps(_manifest(plan, len(files)), ensure_ascii=False, sort_keys=True))
    if shared := order.shared(bundles):
        console.print(
            f"注意：搜索索引有 {len(shared)} 个页面编号出现在不止一个分片中（{'、'.join(shared[:5])}），"
            "搜索结果和按日期排序中会缺少共用编号的页面之一；请改换其中一个分片所在部门的目录名后重新生成，"
            "并向维护人员报告（docs/search.md）",
            highlight=False,
            markup=False,
        )
    cache.keep_only({r.name for r in reports})
    return reports


def _manifest(plan: list[shards.Shard], files: int) -> dict[str, object]:
    """shards.json: the bundles in order, the term directory's number of files, the word every page
    has (terms.EVERY), and for each filter value its count of pages and the places of the shards
    holding it."""
    counts: dict[str, dict[str, int]] = {name: {} for name in docs.FILTERS}
    holders: dict[str, dict[str, list[int]]] = {name: {} for name in docs.FILTERS}
    for place, shard in enumerate(plan):
        for item in shard.docs:
            for name, values in item.filters().items():
                for value in values:
                    counts[name][value] = counts[name].get(value, 0) + 1
                    places = holders[name].setdefault(value, [])
                    if not places or places[-1] != place:
                        places.append(place)
    filters = {name: {value: [counts[name][value], holders[name][value]] for value in counts[name]} for name in counts}
    return {"bundles": [f"{shard.name}/" for shard in plan], "terms": files, "every": terms.EVERY, "filters": filters}
