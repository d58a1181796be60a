"""Stage 6 — index: the client-side search index over the public record pages.

One Pagefind bundle per shard (a department's record pages, or, past a bound of pages or of text,
a chunk of them in 索引号 order: see search/shards.py) under pagefind/<shard>/, listed in
pagefind/shards.json with, for each filter value, its count and the shards holding it. The term
directory (pagefind/terms/, search/directory.py) says which shards hold each search key, so the
search page opens only the shards a query needs and merges them (mergeIndex);
pagefind/order/<shard>.pf_order puts each shard's pages in date order (search/order.py). Only the
record pages of Publication.searched are indexed (published in full; a 依申请公开 record is listed as
metadata, never indexed: search/shards.py plans no page of it). An unchanged shard comes from the
cache in <site>/.cache/search/ instead of being indexed again, and the directory's files from
<site>/.cache/terms/, changed only where a changed shard's keys did. A changed shard is indexed on
this machine (a shard a core), or with a cluster (generator/cluster.py) on a worker, which writes
its bundle into the same cache on the shared folder. The environment variable
DISCLOSURE_SHARD_PAGES (SHARD_PAGES) sets the bound, default shards.BOUND.
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from rich.console import Console

from . import pagecache, progress, urls
from .executors import Executor, SiteRef, Work
from .meanwhile import APART, Meanwhile
from .output import Output, copy_key, files_under
from .publicity import Publication
from .search import bundle, directory, docs, order, pagetexts, shards, terms
from .search.cache import ENTRY, Cached, ShardCache, copy_status
from .search.make import CACHE, TERMS_CACHE, Made, Shipped, make_bundle

BUNDLES = urls.SEARCH_INDEX
MANIFEST = f"{BUNDLES}/shards.json"
ORDER = f"{BUNDLES}/order"  # each shard's page ids in date order: <shard>.pf_order (search/order.py)
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
    where: str = ""  # the cluster worker that indexed it ("": this machine)


def index_on_worker(stage: Path, site: SiteRef, batch: list[Shipped]) -> list[Made]:
    """Shards (name, key, inputs, pages) indexed on a cluster worker (generator/cluster.py): Pagefind
    runs there, and the bundles go into the site's shard cache, which it reaches by the same path."""
    from .cluster import worker_address

    where = worker_address()
    return [make_bundle(stage, site.root / CACHE, *shipped, where=where) for shipped in batch]


# Indexes, in a fresh process, the shards an edit build sends it while it renders its other pages
# (Early): argv the site, its staging folder, and the JSON file of the shards (index_shipped).
EARLY = """from pathlib import Path
from generator.search.make import index_shipped
index_shipped(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
"""


class Early:
    """An edit build's changed shards indexed in a fresh process (EARLY) while the other pages are
    rendered: `begin` once the record pages are written. Reading and
    preparing a shard's pages is Python work; in this process it would take turns with the render,
    and Pagefind would start only after it. build_index then takes the bundles from the cache (a
    shard the process could not index is indexed there as usual); `stop` when the build stops."""

    def __init__(self, publication: Publication, output: Output, workers: int) -> None:
        self.publication, self.output, self.workers = publication, output, workers
        self.names: set[str] = set()  # the shards sent to the process
        self.work: Meanwhile | None = None
        self.sent: Path | None = None
        self.lock = threading.Lock()

    def begin(self) -> None:
        """Send the shards with a page written anew, when few and every page of theirs is on disk and
        their bundle is not in the cache, to a fresh process (a site of at least APART records).
        Only the departments of the files written anew are planned: their shards are those of the
        whole plan, which build_index makes while it waits (0.7 s at 200,000 records, and it says
        what is wrong with SHARD_PAGES)."""
        config = self.publication.config
        if len(self.publication.records) < APART:
            return  # a fresh process starts slower than a small site's pages render
        written = {rel.split("/", 1)[0] for rel in self.output.fresh}
        plan = shards.plan(self.publication, shard_bound(Console(quiet=True)), only=written)
        first = _written_anew(plan, self.output)
        if not first or len(first) > self.workers or not all(_on_disk(self.output.root, s.pages) for s in first):
            return
        cache, made_with = ShardCache(config.root / CACHE), shards.settings_of(config)
        sent = []
        for shard in first:
            data, found, known, key, _ = _looked_up(cache, shard, self.output, made_with, docs.read_text_digests)
            if known is not None or (data is not None and data.get("key") == key):
                continue  # its bundle is in the cache
            sent.append(
                [shard.name, key, found, [docs.doc_out(item) for item in shard.docs], _digests(shard, self.output)]
            )
            self.names.add(shard.name)
        if not sent:
            return
        try:  # named as a scratch folder of this process: what a killed build leaves is tidied (ShardCache)
            self.sent = cache.scratch(min(self.names)).with_suffix(".json")
            self.sent.write_text(json.dumps(sent), encoding="ascii")  # escaped: a lone surrogate too
        except OSError:  # the cache not writable now: the build indexes them itself, and says why then
            self.names.clear()
            self._forget()
            return
        self.work = Meanwhile(EARLY, str(config.root), str(self.output.root), str(self.sent))

    def wait(self) -> None:
        """Until the process has ended: what it indexed is in the shard cache (a shard it could not
        index is not, whatever the reason, and is indexed in the build's own process)."""
        with self.lock:
            if self.work is not None:
                self.work.result()
            self._forget()

    def stop(self) -> None:
        """The build stops: the process is stopped if it still runs."""
        with self.lock:
            if self.work is not None:
                self.work.stop()
            self._forget()

    def _forget(self) -> None:
        self.work = None
        if self.sent is not None:
            self.sent.unlink(missing_ok=True)
            self.sent = None


def _written_anew(plan: list[shards.Shard], output: Output) -> list[shards.Shard]:
    """The shards of `plan` with a page `output` holds written with new bytes (Output.fresh)."""
    return [shard for shard in plan if not output.fresh.isdisjoint(shard.pages)]


def _on_disk(root: Path, pages: tuple[str, ...]) -> bool:
    """Whether every one of `pages` is a file in the output folder `root` (a page the survey will
    place again from the previous output is not, until it has)."""
    folder = os.fspath(root)
    return all(os.path.isfile(f"{folder}/{page}") for page in pages)


def _copy_bundle(
    output: Output, shard: str, source: Path, cached: Cached | None, found: list[tuple[str, str]] | None
) -> None:
    """Copy the bundle `source` of `shard` into the output. `found`: its files with their keys, when
    `in_output` found them all in the output (placed from there). Else `cached`: its cache entry, whose
    manifest gives each file's status as just verified (ShardCache.get), so the folder is not listed
    nor each file's status read again."""
    if found is not None:
        output.take(found)
        return
    if cached is None:  # the previous output's bundle, used as it is (stale_from)
        for rel in files_under(source):
            if not _unused(rel):
                output.copy(f"{BUNDLES}/{shard}/{rel}", source / rel)
        return
    folder = os.fspath(source)
    for rel, entry in cached.files.items():
        if not _unused(rel):
            output.copy(f"{BUNDLES}/{shard}/{rel}", f"{folder}/{rel}", copy_status(entry))


def _place_order(
    output: Output, shard: str, found: list[list[str]], key: str | None, folder: Path, made_with: str
) -> None:
    """The shard's order file (search/order.py), made from its pages `found`. A bundle of the shard
    cache (named afresh each time one is made) has the same pages for as long as it is there: the
    file made from it is placed again as the last build wrote it (650 files gzipped at level 9 took
    half a second at 200,000 records). A stale bundle's (key None) is made every time."""
    path = f"{ORDER}/{shard}{order.SUFFIX}"
    made_from = f"order:{made_with}:{key}:{folder.name}" if key is not None else ""
    if not made_from or not output.reuse(path, made_from):
        output.write_bytes(path, order.by_date(found), made_from)


def _unused(rel: str) -> bool:
    return rel.rpartition("/")[2].startswith(UNUSED)


def in_output(
    output: Output, shard: str, found: dict[str, list[tuple[str, str]]], files: dict[str, list[object]]
) -> bool:
    """Whether the output (the previous one, or the spare staged again) holds every file of the
    cached bundle of manifest `files` as the last build copied it from the cache: then the cache's
    700 files a shard (a city: 250,000) need not be listed and looked at to be trusted. If so, those
    files and their keys are `found[shard]`, to be placed (_copy_bundle)."""
    placed = [
        (f"{BUNDLES}/{shard}/{rel}", copy_key(copy_status(entry))) for rel, entry in files.items() if not _unused(rel)
    ]
    if all(output.reusable(rel, key) for rel, key in placed):
        found[shard] = placed
        return True
    return False


def _describe(report: ShardReport) -> str:
    m = report.measurement
    how = "未变，沿用缓存" if report.cached else f"{m.seconds:.2f} 秒，峰值内存 {m.peak_kib / 1024:.1f} MiB"
    if report.where:
        how += f"，由集群 worker {report.where} 建立"
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
    executor: Executor | None = None,
    early: Early | None = None,
) -> list[ShardReport]:
    """Index the public record pages already rendered into `output`, shard by shard of at most
    `bound` pages (None: SHARD_PAGES, else shards.BOUND), `workers` shards at a time (default:
    every core) — or, given a cluster `executor`, every changed shard on the cluster's workers.

    `stale_from` (the preview's first pass): a changed shard whose bundle this output folder (the
    previous build) holds is not indexed now; that bundle is used as it is and the report says
    `stale`, so the pages are shown at once and a second build brings the search up to date.

    `early`: the shards begun while the pages were rendered (Early)."""
    console = Console(stderr=True)
    plan = shards.plan(publication, bound or shard_bound(console))
    cache = ShardCache(publication.config.root / CACHE)
    remote = executor if executor is not None and executor.remote else None

    folders: dict[str, Path] = {}  # each shard's bundle in the cache, verified or just made
    entries: dict[str, Cached | None] = {}  # their cache entries (None: the previous output's bundle)
    pages: dict[str, list[list[str]]] = {}  # each shard's pages: [date, URL, id] (search/order.py)
    # each shard's key (None: the previous build's bundle, stale; or, until indexed, one the cache held nothing of)
    keys: dict[str, str | None] = {}
    made: set[str] = set()  # the shards indexed now (their directory keys kept aside: Directory.keep_new)
    term_directory = directory.Directory(publication.config.root / TERMS_CACHE)

    made_with = shards.settings_of(publication.config)
    inputs: dict[str, str | None] = {}  # each shard's inputs (shards.inputs)
    in_place: dict[str, list[tuple[str, str]]] = {}  # the files of each shard the output holds (in_output)
    reader = pagetexts.Reader(workers or os.cpu_count() or 1)  # the texts of pages rewritten, for keys

    def look_up(shard: shards.Shard) -> ShardReport | None:
        """The shard's report when its bundle is in the cache (or, stale, in the previous output);
        None when it must be indexed. Its key is the one the cache found for the same inputs, else
        computed from its Docs and its pages' texts."""
        data, found, known, key, read = _looked_up(cache, shard, output, made_with, reader)
        inputs[shard.name], keys[shard.name] = found, key
        trust = partial(in_output, output, shard.name, in_place)
        cached = cache.get(shard.name, key, trust=trust, data=data) if key is not None else None
        if cached is not None and data is not None and (cached.filters is None or (found and not known)):
            counted = cached.filters if cached.filters is not None else docs.filter_counts(shard.docs)
            # the next build knows its key from its inputs, and the texts of pages rewritten alike
            cache.note(shard.name, data, found, counted, *(read or (None, None)))
            cached = dataclasses.replace(cached, filters=counted)
        previous = stale_from / BUNDLES / shard.name if stale_from is not None else None
        if cached is None and previous is not None and (previous / ENTRY).is_file():
            folders[shard.name], keys[shard.name], entries[shard.name] = previous, None, None
            pages[shard.name] = order.pages(previous)
            return ShardReport(shard.name, len(shard.pages), False, bundle.Measurement(0.0, 0), stale=True)
        if cached is None:
            return None
        folders[shard.name], pages[shard.name], entries[shard.name] = cached.bundle, cached.pages, cached
        return ShardReport(shard.name, len(shard.pages), True, cached.measurement)

    shipped = _shipped(keys, inputs, output)

    # The shards with a page written anew are looked up, and indexed, first and alone: their pages
    # are read and prepared without the other shards' look-ups taking turns with them in this
    # interpreter (at 200,000 records the 650 look-ups took 2.3 s, and doubled the preparing of
    # the one changed shard); those run while the indexer, a process of its own, indexes.
    first = _written_anew(plan, output) if remote is None else []
    sent = early.names if early is not None else set()
    preparing = _Pending(shard.name for shard in first if shard.name not in sent)  # the others' pages are read there

    def index_here(shard: shards.Shard) -> Made:
        return make_bundle(output.root, cache.root, *shipped(shard), prepared=partial(preparing.done, shard.name))

    def index_first(shard: shards.Shard) -> ShardReport:
        try:
            if early is not None and shard.name in sent:
                early.wait()
                found = look_up(shard)  # the bundle it made, in the cache: sent only when none was there
                if found is not None and found.cached:
                    made.add(shard.name)  # its term keys are kept aside (index_shipped)
                    return dataclasses.replace(found, cached=False)
            return index_shard(shard)
        finally:
            preparing.done(shard.name)  # found in the cache, or failed: no indexer to wait for

    def new(shard: shards.Shard, bundle_made: Made) -> ShardReport:
        entry = entries[shard.name] = bundle_made.entry
        keys[shard.name] = bundle_made.key
        folders[shard.name], pages[shard.name] = entry.bundle, entry.pages
        term_directory.keep_new(shard.name, bundle_made.keys)
        made.add(shard.name)
        return ShardReport(shard.name, len(shard.pages), False, entry.measurement, where=bundle_made.where)

    def index_shard(shard: shards.Shard) -> ShardReport:
        return look_up(shard) or new(shard, index_here(shard))

    found: dict[str, ShardReport] = {}  # each shard's report, its bundle placed in the output
    told = 0  # how many shards of the plan are reported (tell)

    def place(report: ShardReport) -> ShardReport:
        _copy_bundle(output, report.name, folders[report.name], entries[report.name], in_place.get(report.name))
        _place_order(output, report.name, pages[report.name], keys[report.name], folders[report.name], made_with)
        return report

    with (
        progress.bar("建立搜索索引", len(plan), shown_from=1) as shown,  # a bar on a terminal, however few
        closing(reader),
        ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool,
    ):

        def tell() -> None:
            """Report the shards found so far, in the plan's order."""
            nonlocal told
            while told < len(plan) and plan[told].name in found:
                shown.say(_describe(found[plan[told].name]))
                shown(1)
                told += 1

        try:
            if remote is None:
                # each shard's report as it comes (None: the first shards' pages are read: the rest may
                # be looked up); placed at once, so that the bundles of the others are placed while
                # the first are indexed
                arrived: queue.SimpleQueue[tuple[shards.Shard, Future[ShardReport]] | None] = queue.SimpleQueue()

                def start(shard: shards.Shard, work: Callable[[shards.Shard], ShardReport]) -> None:
                    pool.submit(work, shard).add_done_callback(partial(lambda s, f: arrived.put((s, f)), shard))

                preparing.then(partial(arrived.put, None))
                for shard in first:
                    start(shard, index_first)
                while len(found) < len(plan):
                    item = arrived.get()
                    if item is None:
                        begun = {shard.name for shard in first}
                        for shard in plan:
                            if shard.name not in begun:
                                start(shard, index_shard)
                        continue
                    shard, future = item
                    found[shard.name] = place(future.result())
                    tell()
            else:
                looked = dict(zip((shard.name for shard in plan), pool.map(look_up, plan)))
                for name, looked_up in looked.items():
                    if looked_up is not None:
                        found[name] = place(looked_up)
                tell()
                changed = [shard for shard in plan if looked[shard.name] is None]
                work = Work(index_here, partial(index_on_worker, output.root), shipped)
                for shard, bundle_made in zip(changed, remote.map(work, changed)):
                    found[shard.name] = place(new(shard, bundle_made))
                    tell()
        except BaseException:  # a shard failed, or Ctrl+C: the shards not begun are neither looked up nor indexed
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    reports = [found[shard.name] for shard in plan]
    files = term_directory.update(
        [directory.Shard(r.name, keys[r.name], folders[r.name], r.name in made) for r in reports]
    )
    for path in files:
        output.copy(f"{BUNDLES}/{directory.FOLDER}/{path.name}", path)
    spans = [_span(pages[shard.name]) for shard in plan]
    counts = [_filters(entries[shard.name], shard) for shard in plan]
    output.write_text(
        MANIFEST, json.dumps(_manifest(plan, len(files), spans, counts), ensure_ascii=False, sort_keys=True)
    )
    if shared := order.shared(pages[report.name] for report in reports):
        console.print(
            f"注意：搜索索引有 {len(shared)} 个页面编号出现在不止一个分片中（{'、'.join(shared[:5])}），"
            "搜索结果和按日期排序中会缺少共用编号的页面之一；请改换其中一个分片所在部门的目录名后重新生成，"
            "并向维护人员报告（docs/search.md）",
            highlight=False,
            markup=False,
        )
    cache.keep_only({r.name: _bundle_name(entries[r.name]) for r in reports})
    return reports


class _Pending:
    """The shards indexed first whose pages are still being read here (build_index), and what to do
    once none is."""

    def __init__(self, names: Iterable[str]) -> None:
        self.left = set(names)
        self.lock = threading.Lock()
        self.after: Callable[[], None] | None = None

    def then(self, after: Callable[[], None]) -> None:
        """Call `after` once no shard is left (now, if none is)."""
        with self.lock:
            if self.left:
                self.after = after
                return
        after()

    def done(self, name: str) -> None:
        """The pages of shard `name` are read (or it needs none read: found in the cache, or failed)."""
        with self.lock:
            if name not in self.left:
                return
            self.left.discard(name)
            if self.left:
                return
            after, self.after = self.after, None
        if after is not None:
            after()


def _bundle_name(entry: Cached | None) -> str | None:
    """The folder name of a cache entry's bundle; None for the previous output's (a stale shard)."""
    return entry.bundle.name if entry is not None else None


def _looked_up(
    cache: ShardCache,
    shard: shards.Shard,
    output: Output,
    made_with: str,
    read: Callable[[Path, list[str]], list[str]],
) -> tuple[dict[str, object] | None, str | None, str | None, str | None, tuple[dict[str, str], dict[str, str]] | None]:
    """The shard's cache entry as read, its inputs (shards.inputs), the key the entry was found for
    those inputs (None: another, or none), and its key: that one, else computed from its Docs and
    its pages' texts — as the cache knows them for pages of the same bytes, else by `read`ing the
    pages (docs.read_text_digests); None when the cache holds no entry to compare it with (the
    shard is indexed, and its key found from the texts read then: make_bundle). Last, when some
    page was read: the hash of each page published in full, and its text digest (ShardCache.note)."""
    data = cache.entry(shard.name)
    found = shards.inputs(shard, output, made_with)
    known = _key_for(data, found)
    if known is not None or data is None:
        return data, found, known, known, None
    pages = shards.page_digests(shard, output)
    texts = cache.text_digests(shard.name, pages, data)
    missing = [page for page in pages if page not in texts]
    texts.update(zip(missing, read(output.root, missing)))
    return data, found, None, docs.key(shard.docs, texts), (pages, texts) if missing else None


def _key_for(data: dict[str, object] | None, inputs: str | None) -> str | None:
    """The key a shard's cache entry `data` was found for `inputs` (shards.inputs); None when it was
    found for other inputs, or the shard has none."""
    key = data.get("key") if data is not None and inputs is not None and data.get("inputs") == inputs else None
    return key if isinstance(key, str) else None


def _shipped(
    keys: dict[str, str | None], inputs: dict[str, str | None], output: Output
) -> Callable[[shards.Shard], Shipped]:
    """What the indexer (here, or on a cluster worker) is sent of a shard: its name, its key, its
    inputs, its pages and their hashes."""
    return lambda shard: (shard.name, keys[shard.name], inputs[shard.name], shard.docs, _digests(shard, output))


def _digests(shard: shards.Shard, output: Output) -> tuple[str, ...]:
    """The SHA-256 of each of the shard's pages as `output` placed it (in the order of its Docs)."""
    return tuple(output.files[page][pagecache.DIGEST] for page in shard.pages)


def _span(found: list[list[str]]) -> list[str]:
    """The oldest and newest date of a shard's pages ([date, URL, id] each)."""
    dates = [date for date, _, _ in found]
    return [min(dates), max(dates)] if dates else ["", ""]


def _filters(entry: Cached | None, shard: shards.Shard) -> dict[str, dict[str, int]]:
    """The shard's filter values counted: as its cache entry keeps them, else from its Docs."""
    return entry.filters if entry is not None and entry.filters is not None else docs.filter_counts(shard.docs)


def _manifest(
    plan: list[shards.Shard], files: int, spans: list[list[str]], counted: list[dict[str, dict[str, int]]]
) -> dict[str, object]:
    """shards.json: the bundles in order, the term directory's number of files and format, the
    number of groups of a shard's pages (terms.GROUPS: heads.py), the word every page has
    (terms.EVERY), each bundle's oldest and newest date (`dates`: the search page opens first the
    shards that can hold the first results), and for each filter value its count of pages and the
    places of the shards holding it (from `counted`, each shard's: docs.filter_counts)."""
    counts: dict[str, dict[str, int]] = {name: {} for name in docs.FILTERS}
    holders: dict[str, dict[str, list[int]]] = {name: {} for name in docs.FILTERS}
    for place, shard_counts in enumerate(counted):
        for name, values in shard_counts.items():
            for value, count in values.items():
                counts[name][value] = counts[name].get(value, 0) + count
                holders[name].setdefault(value, []).append(place)
    filters = {name: {value: [counts[name][value], holders[name][value]] for value in counts[name]} for name in counts}
    return {
        "bundles": [f"{shard.name}/" for shard in plan],
        "dates": spans,
        "directory": directory.FORMAT,
        "groups": terms.GROUPS,
        "terms": files,
        "every": terms.EVERY,
        "filters": filters,
    }
