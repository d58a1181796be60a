"""The checks, top to bottom: load → validate → secrecy → staleness → inspection.

`check` runs them over a site and renders nothing (the pipeline's first five stages: pipeline.py
runs them and then renders); a build's check (`facts`), or `body_facts` after one, adds what the
pages need of every published body. Nothing here imports the rendering stack, so a cluster worker's
render units (render/remote.py) can check the site themselves.

Staleness and inspection read the loaded site and nothing that validation and the secrecy check
make; the one thing they change, the mark on the records they hold out as scheduled
(Record.scheduled), is set after those two have run either way. So a city's check runs the later
two in a forked child while it validates and checks secrecy here (`check`'s `beside`): a warm check
of 200,000 records has its second core idle otherwise. A city's edit build has its selection to
make too, which needs only the records STL016 holds out (a rule of one date): its child validates
as well, and the selection is made here meanwhile, kept only when nothing blocks.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import apart, heap, inspection, load, publicity, recordwork, secrecy, staleness, validate
from .annual import sources
from .config import SiteConfig
from .executors import Executor
from .findings import Finding, Findings
from .inspection.typos import Found
from .markdown import BodyFacts, Facts
from .model import Site

if TYPE_CHECKING:
    from .checkcache import CheckCache

BESIDE_FROM = 20_000  # records: below, forking a child for the later stages takes longer than it saves
WALK_APART_FROM = 1_500_000  # bytes of the last check's files.status (150 a file): below, walking here is quicker
# the findings of validation (when the child validates) and of the later stages, and the records they held out by place
_Later = tuple[list[Finding], list[Finding], list[int]]


@dataclass
class CheckResult:
    site: Site
    findings: Findings
    review: secrecy.Review = field(default_factory=secrecy.Review, kw_only=True)  # sign-offs, output allow list
    cache: CheckCache | None = field(default=None, kw_only=True)  # what each record file gave, kept for the build
    facts: Facts | None = field(default=None, kw_only=True)  # of the published bodies: check's `facts`
    # what `check`'s `select` made of the records while the child finished the check, when nothing blocks
    selected: publicity.Publication | None = field(default=None, kw_only=True)


def check(
    config: SiteConfig,
    today: dt.date,
    jobs: int | Executor | None = None,
    beside: bool = True,
    facts: bool = False,
    alongside: Callable[[], None] | None = None,
    select: Callable[[Site, Facts], publicity.Publication] | None = None,
) -> CheckResult:
    """`jobs`: processes (or a cluster) that do each new record's own work first (default: every core).
    `beside`: at BESIDE_FROM records or more, with more than one process, staleness and inspection
    run in a forked child while this process validates and checks secrecy (apart.Beside); the
    findings, their order and the records held out are the same either way. False where memory
    counts for more than the seconds: a full build's check, in a child of its own (pipeline.build).
    `facts` (a build's check): CheckResult.facts holds what the pages need of every published body,
    unless a finding blocks; while the child runs beside, they are found meanwhile.
    `alongside`: the caller's own work (a build reads its page cache), done once the check cache is
    read, while a city's folders are walked in a child.
    `select` (a build's selection, with `facts`): when the child runs beside, it validates too, and
    this process selects what is published meanwhile, holding out the records STL016 holds out
    (`staleness.publication.held_out`): CheckResult.selected, when nothing blocks and the child held
    out the same records. Else None, and the caller selects after the check. Either way the
    selection reads each body's facts only when it asks for them (CheckResult.facts is then a
    recordwork.FactsAsked), and the caller saves the cache after it."""
    from .checkcache import CheckCache  # what each record file gave before, by the hash of its bytes

    workers = jobs or os.cpu_count() or 1
    with heap.paused():  # millions of long-lived objects and no cycles among them: heap.py
        # a city's folders walked, and its files' statuses read, in a child while the cache is read here
        walking = load.WalkApart(config.root) if _apart(config, beside, workers) else None
        try:
            cache = CheckCache(config.root, config)
            if alongside is not None:
                alongside()
            folders = walking.result() if walking is not None else load.walk(config.root)
        finally:
            if walking is not None:
                walking.stop()  # taken already, unless the check stops
        typos_found = recordwork.fill(config, cache, workers, folders)
        folders.statuses = {}  # each went to the cache (CheckCache.holds), which lets go of it once loaded
        findings = Findings(config.rules)
        site, load_findings = load.load_site(config, cache, folders)
        findings.extend(load_findings)
        findings.extend(sources.load_all(site))  # the registers and annual-report sources
        split = beside and isinstance(workers, int) and workers > 1 and len(site.records) >= BESIDE_FROM
        split = split and hasattr(os, "fork")
        # with a selection to make meanwhile, the child validates too: this process has it to do. Not
        # after site.yaml changed: validation finds every record's own part again, and only what is
        # found here is saved
        validating = split and facts and select is not None and not cache.resettled
        if validating:  # what validating a record reads of itself goes to the cache from here, not the child
            fresh = cache.fresh
            for record in site.records:
                if record.digest in fresh and record.loaded:
                    validate.own_work(record, site, cache)
        later = functools.partial(_later_stages, site, today, typos_found, cache if validating else None)
        side = apart.Beside(later) if split else None
        selected = None
        try:
            if not validating:
                findings.extend(validate.validate(site, cache))
            review = secrecy.check(site, today, cache)
            secret = Findings(config.rules)  # after validation's, which the child may still be finding
            secret.extend(review.findings)
            blocked = bool(findings.blocking or secret.blocking)
            asked, meanwhile = None, None
            if validating and not blocked and select is not None:
                # the selection takes most records from its rows, and asks for a body's facts only
                # where it has none: read as asked for (recordwork.FactsAsked), not all ahead
                asked = recordwork.FactsAsked(site.records, cache)
                held = _hold_out(site, today)
                asked.read_ahead(workers)  # many new bodies (a large pull): on all cores
                selected = _selected_ahead(select, site, asked)
            elif facts and side and not blocked:
                # while the child runs: no record is held out as scheduled yet, so these are the facts
                # of every body that may be published (those held out are dropped below)
                meanwhile = _facts(site, cache, workers)
            cache.save()  # with the bodies' facts found or read; staleness and inspection read nothing of it
            validated, found, scheduled = _taken(side, later)
        finally:
            if side is not None:
                side.stop()  # taken already, unless the check stops
        findings.extend(validated)
        findings.extend(secret)
        findings.extend(found)
        if selected is not None and scheduled != held:  # never, unless the two disagree: selected again
            selected = None
        for place in scheduled:  # what the child held out, held out here (done already when run here)
            site.records[place].scheduled = True
            if meanwhile is not None:
                meanwhile.pop(site.records[place].file, None)
        published: Facts | None = None
        if findings.blocking or not facts:
            selected = None
        elif asked is not None:
            published = asked
        elif meanwhile is not None:
            published = meanwhile
        else:
            published = _facts_saved(site, cache, workers)
    return CheckResult(site, findings, review=review, cache=cache, facts=published, selected=selected)


def _hold_out(site: Site, today: dt.date) -> list[int]:
    """The records STL016 holds out (as the child's staleness lint will), held out here already:
    their places in `site.records`."""
    held = []
    for place, record in enumerate(site.records):
        if record.loaded and staleness.publication.held_out(record, today):
            record.scheduled = True
            held.append(place)
    return held


def _selected_ahead(
    select: Callable[[Site, Facts], publicity.Publication], site: Site, facts: Facts
) -> publicity.Publication | None:
    """`select` run before the child has validated the records. Records that validating will block
    may not be selectable (a date that is no date): then None, and the caller selects only if
    nothing blocks, where a failure is the program's own and is raised as such."""
    try:
        return select(site, facts)
    except Exception:  # noqa: BLE001 — given up for now; selected again after the check, if at all
        return None


def _apart(config: SiteConfig, beside: bool, workers: int | Executor) -> bool:
    """Whether to walk the folders in a child (load.WalkApart): as `beside`, for a site whose last
    check noted about 10,000 record files or more (WALK_APART_FROM); for fewer, forking and handing
    the names back take longer than walking here."""
    if not (beside and isinstance(workers, int) and workers > 1 and hasattr(os, "fork")):
        return False
    from .checkcache import noted_size

    return noted_size(config.root) >= WALK_APART_FROM


def _later_stages(site: Site, today: dt.date, typos_found: Found | None, cache: CheckCache | None) -> _Later:
    """With `cache`, validation first (which reads nothing the later stages change); then the
    staleness lint, then inspection (which sees the records the lint held out as scheduled); and the
    places in `site.records` of those records (Record.scheduled), for the process that did not run them."""
    validated = validate.validate(site, cache) if cache is not None else []
    found = staleness.check(site, today) + inspection.check(site, today, typos_found)
    return validated, found, [place for place, record in enumerate(site.records) if record.scheduled]


def _taken(side: apart.Beside[_Later] | None, later: Callable[[], _Later]) -> _Later:
    """The later stages' result from the child; run here when there is none, or it died (out of
    memory): nothing is lost, it only takes longer."""
    if side is not None:
        try:
            return side.result()
        except apart.ChildDied:
            pass
    return later()


def body_facts(checked: CheckResult, jobs: int | Executor) -> dict[str, BodyFacts]:
    """The first sentence, length and link targets of every published body, read only when new
    (the build's check finds them itself: `check`'s `facts`)."""
    if checked.cache is None:
        return {}
    return _facts_saved(checked.site, checked.cache, jobs)


def _facts(site: Site, cache: CheckCache, jobs: int | Executor) -> dict[str, BodyFacts]:
    return recordwork.body_facts([r for r in site.records if publicity.is_full(r)], cache, jobs)


def _facts_saved(site: Site, cache: CheckCache, jobs: int | Executor) -> dict[str, BodyFacts]:
    """`_facts`, then the cache saved again: the check saved it, and only facts were added since."""
    found = _facts(site, cache, jobs)
    cache.save(statuses=False)
    return found
