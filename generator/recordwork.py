"""Each record's own work, on all cores, before the stages run: into the check cache.

What a record file gives by itself — its parse (load), the checks that read nothing but the
record and site.yaml (validate, and secrecy's front-matter rules), its body's links and raw HTML,
and its secrecy candidates (secrecy) — is what a cold check spends its time on, and it is exactly
what the check cache keeps. (So is searching its public texts for near misses of canonical names,
INS004: that result goes to the inspection's own memo, inspection/typos.py, by the hash of the
file's bytes; a file the memo knows is not searched again.) So a cold check first fills the cache
for the records it has not seen, spread over forked workers, each running the stages' own functions
on its share of the files; then load, validate, secrecy and staleness run in order in this process
as a warm check does, reading those entries, each file taken as the worker read it (by the hash of
those bytes: its body, when asked for, is read again only if it still has them). The findings are
the ones one process finds, in the same order: every value comes from the same functions, only
computed elsewhere first.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from . import executors, heap, load, markdown, progress, publicity, secrecy, validate
from .checkcache import CheckCache, ReadElsewhere
from .config import SiteConfig
from .inspection import typos
from .markdown import BodyFacts
from .model import Record, Site
from .secrecy.texts import published_texts

WORTH_SPREADING = 200  # fewer new records than this are done in the stages themselves


class Done(NamedTuple):
    """What a record file's own work gave the check that spread it: how the file was read and the
    entry made of it (into the check cache), and the near misses in its public texts (INS004)."""

    read: ReadElsewhere | None
    typos: tuple[str, str, list[typos.Hit]] | None  # (memo key, fingerprint of the names, hits)


class OwnWork:
    """A record file's own work, into `cache`: its entry when this computed it."""

    def __init__(self, config: SiteConfig, cache: CheckCache) -> None:
        self.config, self.cache = config, cache
        self.site = Site(config, config.root)  # the own checks read site.yaml only
        self.terms = [term for term in config.sensitive_terms if term.strip()]
        self.tree = (config.root / load.CONTENT).resolve()
        # the names INS004 measures against: the shipped ones, the bodies' and site.yaml's
        named = Site(config, config.root)
        for folder in load.department_folders(config.root, []):
            named.departments[folder.name] = load.load_department(folder, config.root, [])
        names = typos.site_terms(named)
        self.typo_terms = typos.build(names)
        self.typo_memo = typos.Memo(config.root, names)  # the near misses found before, by the bytes of each file

    def __call__(self, item: tuple[str, str, str, bool]) -> Done:
        # a record's own work makes no reference cycles, and what it keeps (the cache's entries, a
        # worker's whole share) is never garbage: collecting while it grew walked it again and again
        with heap.paused():
            path, rel, dept, plain = item
            read = load.read_record(path, rel, self.config.root, dept, [], self.tree, plain)
            if read is None:  # the check reads it again, with its finding
                return Done(None, None)
            if self.typo_memo.holds(typos.Memo.file_key(read.digest)) and self.cache.known(
                read.digest, rel, read.status
            ):
                # bytes checked before, read again for their new status (a fresh checkout, .cache/ restored)
                return Done(self.cache.read_here(rel), None)
            record = load.load_record(path, self.config.root, dept, [], self.cache, self.tree, plain, read, rel)
            found = None
            if record.loaded:
                validate.own_work(record, self.site, self.cache)
                texts = list(published_texts(record))  # what both scan: made once
                secrecy.own_work(record, self.terms, self.config.withhold_bases, self.cache, texts)
                hits = typos.found_by_file(record, self.typo_terms, texts, self.typo_memo)
                found = None if hits is None else (hits[0], self.typo_memo.fingerprint, hits[1])
            return Done(self.cache.read_here(record.file), found)


def own_work_remote(site: executors.SiteRef, files: list[tuple[str, str, str, bool]]) -> list[Done]:
    """OwnWork on a cluster worker, with a check cache of its own (one per worker thread)."""
    config = executors.site_config(site)
    own = executors.memo(
        site, f"own-work:{threading.get_ident()}", lambda: OwnWork(config, CheckCache(config.root, config))
    )
    return [own(item) for item in files]


def fill(
    config: SiteConfig, cache: CheckCache, jobs: int | executors.Executor, folders: load.Folders
) -> typos.Found | None:
    """Fill `cache` with the own work of every record file of `folders` it does not hold yet, and
    give the near misses found in their texts (for inspection.check); None when nothing was spread.
    `jobs`: processes, or a cluster (executors.py), that do it."""
    statuses = folders.statuses
    files = [item for item in folders.records if not cache.holds(item[0], item[1], statuses.get(item[1]))]
    runner = executors.of(jobs)
    if not files or (not runner.remote and (len(files) < WORTH_SPREADING or runner.jobs <= 1)):
        return None
    with progress.bar("读取记录文件", len(files)) as advance:
        done = runner.map(executors.Work(OwnWork(config, cache), own_work_remote), files, advance)
    cache.adopt(each.read for each in done if each.read is not None)
    return {each.typos[0]: each.typos[1:] for each in done if each.typos is not None}


def body_facts(records: list[Record], cache: CheckCache, jobs: int | executors.Executor) -> dict[str, BodyFacts]:
    """What the site needs of each record's body before its page is rendered (file → BodyFacts:
    first sentence, length, link targets), from the cache, the bodies not seen before read on all
    cores and kept in it."""
    found: dict[str, BodyFacts] = {}
    missing: list[Record] = []
    for record in records:
        facts = cache.body_facts(record.file)
        if facts is None:
            missing.append(record)
        else:
            found[record.file] = facts
    found.update(_read_facts(missing, cache, jobs))
    return found


def _read_facts(records: list[Record], cache: CheckCache, jobs: int | executors.Executor) -> dict[str, BodyFacts]:
    """The BodyFacts of each of `records`' bodies, read on all cores, and kept in `cache`."""
    read: dict[str, BodyFacts] = {}
    work = executors.Work(_facts, facts_of_bodies, _body)
    with progress.bar("读取正文", len(records)) as advance:
        done = executors.of(jobs).map(work, records, advance)
    for record, facts in zip(records, done):
        read[record.file] = facts
        cache.keep_body_facts(record.file, facts)
    return read


class FactsAsked:
    """`body_facts` of `records`, each body's read from `cache` only when asked for (markdown.Facts):
    for a city's edit build, whose selection takes most records from the rows it kept (selectcache.py,
    each with its lead) and asks only for the bodies of records it has no row of. Reading all 200,000
    ahead took a second, while the check's child ran beside and the selection waited. A body the
    cache holds no facts of (new since the last build, or not published then) is read when asked
    for, one process for the few an edit brings, and its facts kept in the cache (the caller saves it)."""

    def __init__(self, records: list[Record], cache: CheckCache) -> None:
        self._records, self._cache = records, cache
        self._by_file: dict[str, Record] | None = None

    def read_ahead(self, jobs: int | executors.Executor) -> None:
        """The facts of the published bodies the cache has none of, among the files this check read
        whole (CheckCache.read_whole: new or changed since the last check, or all of a fresh checkout),
        read now on all cores when there are WORTH_SPREADING or more: the selection asks for each (it
        has no row of a file with new bytes), and a pull that brings thousands of records would have
        them read here one at a time. Fewer are read as asked for; an edit build looks at no record."""
        read = self._cache.read_whole
        if len(read) < WORTH_SPREADING:
            return
        new = [
            record
            for record in self._records
            if record.file in read and publicity.is_full(record) and self._cache.body_facts(record.file) is None
        ]
        if len(new) >= WORTH_SPREADING:
            _read_facts(new, self._cache, jobs)  # looked up already: not again, as body_facts would

    def get(self, file: str, /) -> BodyFacts | None:
        """The facts of the published body of `file`, None for a record not published."""
        if self._by_file is None:  # its own dict: the records' list gives no record by its file
            self._by_file = {record.file: record for record in self._records}
        record = self._by_file.get(file)
        if record is None or not publicity.is_full(record):
            return None
        return body_facts([record], self._cache, 1)[file]  # of the bytes the check read, or read here


def _facts(record: Record) -> BodyFacts:
    return markdown.body_facts(record.read_body())


def _body(record: Record) -> str:
    return record.read_body()


def facts_of_bodies(site: executors.SiteRef, bodies: list[str]) -> list[BodyFacts]:
    """The BodyFacts of each body: a cluster worker's unit."""
    return [markdown.body_facts(body) for body in bodies]
