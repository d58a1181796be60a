"""The pipeline, top to bottom: load → validate → secrecy → staleness → inspection → render → index.

`check` runs the first five stages and renders nothing; `build` runs `check` and, only
when nothing blocks, renders the public site into a staging folder that replaces the
previous output in one step. A full build checks in a child process (apart.py) that hands back
the findings and the publication (publicity.select): the check's memory is not the render's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import apart, heap, output, pagecache, publicity, secrecy
from .checking import CheckResult, body_facts, check
from .config import SiteConfig
from .executors import Executor, FreshPool, SiteRef
from .findings import Findings
from .markdown import Facts
from .model import Site
from .selectcache import SelectCache

__all__ = ["BuildResult", "CheckResult", "body_facts", "build", "check"]  # check and body_facts: checking.py


TRASH = Path(".cache") / "trash"  # replaced outputs, removed in the background (output.discard)


@dataclass
class BuildResult(CheckResult):
    """What a build gave. `site` keeps its settings and departments but not its records: their
    public form went into the pages, and 200,000 of them are gigabytes."""

    out: Path
    pages: int = 0
    built: bool = False
    search_stale: bool = False  # built with search_later and a shard's index still the previous one
    # What the build read and needs no more (the page cache: 670,000 entries at 200,000 records): held
    # with the result, not freed object by object as the build returns (a third of a second). The
    # command line ends without freeing it (cli.end); a preview frees it with the result.
    spent: object = field(default=None, repr=False, compare=False)


def build(
    config: SiteConfig,
    out: Path,
    today: dt.date,
    jobs: int | None = None,
    lock_wait: float = 0.0,
    search_later: bool = False,
    executor: Executor | None = None,
    check_here: bool = False,
) -> BuildResult:
    """`jobs`: processes that render pages and scan the output (default: every core).
    `search_later` (the preview): a changed search shard keeps the previous output's bundle for now
    (BuildResult.search_stale), so the pages are in place without waiting for the indexer.
    `check_here` (the preview): a full build checks in this process too, not in a child, so a
    process that builds again loads what the check and the selection need (the working-day
    calendar, the near-miss patterns, the public front matter's model: 0.3–0.6 s) at its first
    build, not at the first save after it.

    One build of a site at a time: the whole build holds `<site>/.cache/build.lock`; while another
    build holds it, output.BuildLocked at once (or after `lock_wait` seconds). Holding it, the build
    first removes what killed builds left beside the output (output.sweep).
    `executor`: where the work units run instead of `jobs` processes (a Dask cluster: cluster.py)."""
    workers: int | Executor = executor or jobs or os.cpu_count() or 1
    from . import index, render  # `check` (and the pre-commit hook) never loads the rendering stack

    output.check_target(out, config.root)
    with output.build_lock(config.root, lock_wait):
        output.sweep(out, config.root / TRASH)
        cache = pagecache.PageCache(config.root, out.resolve(), deferred=True)
        cache.recover()  # of a build stopped between its swap and its page cache's rename
        # The check's memory is most of a full build's: there it runs in a child process that hands
        # back only what follows needs (apart.py). A build that renders only what changed keeps
        # little besides, and handing 200,000 public records across took longer than the check's
        # memory is worth to it: its check runs here, and its records and caches are let go, and handed
        # back to the system, once the record pages are written (at 200,000 records freeing them takes
        # half a second: then, the changed shard's Pagefind has the other core), before the workers
        # that render the other pages are forked: a build that adds a record renders 45,000 listing
        # pages then. A cluster's client cannot be forked, so there it always runs here.
        gather = functools.partial(_gather, config, today, workers, cache.listed)
        checked: list[object] = []
        if executor is not None or check_here or cache.looks_incremental():
            # the page cache (116 MB at 200k records) is read while a city's check walks its folders in a child
            gathered = gather(beside=True, alongside=cache.read, used=checked)
            heap.give_back(collect=False)  # the check and selection make next to no cycles: not walked (heap.py)
        else:  # already apart: a third process beside the check would raise the cold build's peak
            gathered = apart.in_child(functools.partial(gather, beside=False))
        cache.read()
        result = BuildResult(gathered.site, gathered.findings, out, spent=cache)
        publication, review = gathered.publication, gathered.review
        del gathered  # the publication is held by `publication` alone: it is let go before the output scan
        if publication is None:
            return result
        label = out.relative_to(config.root).as_posix() if out.is_relative_to(config.root) else out.name
        allowed = pagecache.fingerprint(sorted(review.allowed))
        try:
            # what rendering and indexing make is mostly kept to the end: heap.py
            with output.staging(out, cache, config.root / TRASH) as stage, heap.paused():
                # an edit build's changed search shard is indexed in another process while the other pages
                # render (not for the preview's first pass, which leaves it for the second: search_later)
                early = index.Early(publication, stage, workers) if isinstance(workers, int) else None
                begin = early.begin if early is not None and cache.incremental and not search_later else None
                written = _records_written(begin, checked) if begin is not None or checked else None
                try:
                    # the renderer's memory (each page's key, the forms of the records hashed) goes before the search's
                    renderer = render.render_site(publication, stage, workers, records_written=written)
                    pages, groups, metadata_pages = len(renderer.pages), renderer.groups, renderer.metadata_pages
                    del renderer
                    # for the next build's selection; here, as an edit build's search index is mostly a wait
                    listed_forms = publicity.listed_forms(publication)
                    stage.survey()  # the pages taken from the spare are all there before the search index reads them
                    reports = index.build_index(
                        publication,
                        stage,
                        stale_from=out.resolve() if search_later else None,
                        executor=executor,
                        early=early,
                    )
                finally:
                    if early is not None:
                        early.stop()  # waited for already, unless the build stops
                    del early, begin, written  # they hold the publication, which is let go before the output scan
                # what was published is in the pages and the search index now: its memory goes back
                # before the scan's processes start beside this one (heap.py)
                del publication
                # an edit build renders few pages, and the renderer collected their cycles batch by
                # batch: walking what the stages made since for cycles freed 869 objects in 0.68 s
                heap.give_back(collect=not cache.incremental)
                listed = stage.drop_held()  # the pages that are gone, before the scan: it scans what is published
                # the last net, before the swap; a file the previous output held byte for byte was
                # scanned then, against the same allow list, and so were the rows an export copied from it
                same = cache.scanned_with == allowed
                trusted, spans = (stage.reused, stage.spans) if same else (set(), {})
                # in fresh processes: forked from this one, now holding gigabytes, they would copy much of it
                scanners = (
                    workers if not isinstance(workers, int) else FreshPool(workers, SiteRef(config.root, today, ""))
                )
                secrecy.guard(stage.root, label, review.allowed, stage.copied, trusted, scanners, listed, spans)
                # saved with the output's files just before the swap (output.staging)
                cache.keep(allowed, groups, listed_forms, metadata_pages)
        except secrecy.LeakFound as leak:
            result.findings.add_blocking(leak.findings)
            return result
    result.pages, result.built = pages, True
    result.search_stale = any(report.stale for report in reports)
    return result


def _records_written(begin: Callable[[], None] | None, checked: list[object]) -> Callable[[], None]:
    """What a build does once its record pages are written: the changed search shards' indexing
    begins (index.Early), and the check's records and caches, which nothing reads after the record
    pages, are let go and handed back to the system (they hold next to no cycles: heap.py)."""

    def written() -> None:
        if begin is not None:
            begin()
        checked.clear()
        heap.give_back(collect=False)

    return written


@dataclass
class Gathered:
    """What a build takes from its check: the findings, the sign-offs' allow list, the site's
    settings and departments (not its records) and, when nothing blocks, what is published."""

    site: Site
    findings: Findings
    review: secrecy.Review
    publication: publicity.Publication | None


def _gather(
    config: SiteConfig,
    today: dt.date,
    workers: int | Executor,
    previous_forms: Callable[[], dict[bytes, bytes]],
    beside: bool,
    alongside: Callable[[], None] | None = None,
    used: list[object] | None = None,
) -> Gathered:
    """`previous_forms`: reads the listed forms of the records the last build published (PageCache.listed),
    held only while the publication is selected. `beside`, `alongside`: as checking.check's.
    `used`: where the check's result and the selection's cache go, for the caller to let go of them
    when it has time; without it, they go as this returns."""
    known: list[SelectCache] = []
    forms: dict[bytes, bytes] = {}

    def select(records: Site, facts: Facts) -> publicity.Publication:
        known[:] = [SelectCache(config.root)]  # a selection given up before (checking.check) leaves nothing in it
        if not forms:
            forms.update(previous_forms())
        with heap.paused():  # 200,000 public records made and kept: heap.py
            return publicity.select(records, facts, forms, known[0])

    # a city's edit build selects while its check's child validates and lints (checking.check)
    checked = check(config, today, workers, beside, facts=True, alongside=alongside, select=select)
    site = dataclasses.replace(checked.site, records=[])
    if checked.findings.blocking or checked.facts is None:
        return Gathered(site, checked.findings, checked.review, None)
    publication = checked.selected or select(checked.site, checked.facts)
    known[0].save()
    if checked.cache is not None:  # the facts of the bodies the selection read (recordwork.FactsAsked)
        checked.cache.save(statuses=False)
    if used is not None:
        used += [checked, known, forms]
    return Gathered(site, checked.findings, checked.review, publication)
