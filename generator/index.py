"""Stage 6 — index: the client-side search index over the public record pages.

One Pagefind bundle per shard (a department's record pages, see search/shards.py) under
pagefind/<shard>/; the search page loads the first and merges the others (mergeIndex), listed
in pagefind/shards.json; pagefind/order.json puts every page in date order (search/order.py).
Only pages of Publication.full records are indexed. An unchanged shard comes from the cache in
<site>/.cache/search/ instead of being indexed again.
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
from .search import bundle, order, shards
from .search.cache import ShardCache

BUNDLES = urls.SEARCH_INDEX
MANIFEST = f"{BUNDLES}/shards.json"
ORDER = f"{BUNDLES}/order.json"  # every page's id in date order (search/order.py)
CACHE = Path(".cache") / "search"
# Pagefind's own UIs: the search page uses its JS API (static/search.js), so these are not copied.
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


@dataclass(frozen=True)
class ShardReport:
    name: str
    pages: int
    cached: bool  # True: the bundle came from the cache, the measurement is of the build that made it
    measurement: bundle.Measurement


def _copy_bundle(output: Output, shard: str, source: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith(UNUSED):
            output.copy(f"{BUNDLES}/{shard}/{path.relative_to(source).as_posix()}", path)


def _describe(report: ShardReport) -> str:
    m = report.measurement
    how = "未变，沿用缓存" if report.cached else f"{m.seconds:.2f} 秒，峰值内存 {m.peak_kib / 1024:.1f} MiB"
    return f"搜索索引 {report.name}：{report.pages} 页，{how}"


def build_index(publication: Publication, output: Output, workers: int | None = None) -> list[ShardReport]:
    """Index the public record pages already rendered into `output`, shard by shard."""
    plan = shards.plan(publication)
    cache = ShardCache(publication.config.root / CACHE)
    console = Console(stderr=True)

    def index_shard(shard: shards.Shard) -> ShardReport:
        key = shards.key(shard, output.root)
        cached = cache.get(shard.name, key)
        if cached is None:
            measurement = bundle.index_pages(output.root, shard.pages, cache.scratch(shard.name))
            cache.put(shard.name, key, measurement)
            return ShardReport(shard.name, len(shard.pages), False, measurement)
        return ShardReport(shard.name, len(shard.pages), True, cached.measurement)

    columns = (TextColumn("建立搜索索引"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress, \
            ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        task = progress.add_task("index", total=len(plan))
        reports = []
        for report in pool.map(index_shard, plan):
            progress.console.print(_describe(report), highlight=False)
            progress.advance(task)
            reports.append(report)
    bundles = [cache.root / report.name / "bundle" for report in reports]
    for report, folder in zip(reports, bundles):
        _copy_bundle(output, report.name, folder)
    output.write_text(MANIFEST, json.dumps({"bundles": [f"{r.name}/" for r in reports]}, ensure_ascii=False))
    output.write_text(ORDER, json.dumps(order.by_date(bundles)))
    cache.keep_only({r.name for r in reports})
    return reports
