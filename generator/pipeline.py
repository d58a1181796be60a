"""The pipeline, top to bottom: load → validate → secrecy → staleness → inspection → render → index.

`check` runs the first five stages and renders nothing; `build` runs `check` and, only
when nothing blocks, renders the public site into a staging folder that replaces the
previous output in one step.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import inspection, load, output, pagecache, publicity, recordwork, secrecy, staleness, validate
from .annual import sources
from .config import SiteConfig
from .findings import Findings
from .model import Site

if TYPE_CHECKING:
    from .checkcache import CheckCache


TRASH = Path(".cache") / "trash"  # replaced outputs, removed in the background (output.discard)


@dataclass
class CheckResult:
    site: Site
    findings: Findings
    review: secrecy.Review = field(default_factory=secrecy.Review, kw_only=True)  # sign-offs, output allow list
    cache: CheckCache | None = field(default=None, kw_only=True)  # what each record file gave, kept for the build


@dataclass
class BuildResult(CheckResult):
    out: Path
    pages: int = 0
    built: bool = False
    search_stale: bool = False  # built with search_later and a shard's index still the previous one


def check(config: SiteConfig, today: dt.date, jobs: int | None = None) -> CheckResult:
    """`jobs`: processes that do each new record's own work first (default: every core)."""
    from .checkcache import CheckCache  # what each record file gave before, by the hash of its bytes

    cache = CheckCache(config.root, config)
    recordwork.fill(config, cache, jobs or os.cpu_count() or 1)
    findings = Findings(config.rules)
    site, load_findings = load.load_site(config, cache)
    findings.extend(load_findings)
    findings.extend(sources.load_all(site))  # the registers and annual-report sources
    findings.extend(validate.validate(site, cache))
    review = secrecy.check(site, today, cache)
    findings.extend(review.findings)
    findings.extend(staleness.check(site, today))
    findings.extend(inspection.check(site, today))  # after staleness: scheduled records are held out
    cache.save()
    return CheckResult(site, findings, review=review, cache=cache)


def leads(checked: CheckResult, jobs: int) -> dict[str, str]:
    """The first sentence of every published body, parsed only when the body is new."""
    if checked.cache is None:
        return {}
    found = recordwork.leads([r for r in checked.site.records if publicity.is_full(r)], checked.cache, jobs)
    checked.cache.save()
    return found


def build(
    config: SiteConfig,
    out: Path,
    today: dt.date,
    jobs: int | None = None,
    lock_wait: float = 0.0,
    search_later: bool = False,
) -> BuildResult:
    """`jobs`: processes that render pages and scan the output (default: every core).
    `search_later` (the preview): a changed search shard keeps the previous output's bundle for now
    (BuildResult.search_stale), so the pages are in place without waiting for the indexer.

    One build of a site at a time: the whole build holds `<site>/.cache/build.lock`; while another
    build holds it, output.BuildLocked at once (or after `lock_wait` seconds). Holding it, the build
    first removes what killed builds left beside the output (output.sweep)."""
    workers = jobs or os.cpu_count() or 1
    from . import index, render  # `check` (and the pre-commit hook) never loads the rendering stack

    output.check_target(out, config.root)
    with output.build_lock(config.root, lock_wait):
        output.sweep(out)
        checked = check(config, today, workers)
        result = BuildResult(checked.site, checked.findings, out)
        if checked.findings.blocking:
            return result
        publication = publicity.select(checked.site, leads(checked, workers))
        label = out.relative_to(config.root).as_posix() if out.is_relative_to(config.root) else out.name
        cache = pagecache.PageCache(config.root, out.resolve())
        allowed = pagecache.fingerprint(sorted(checked.review.allowed))
        try:
            with output.staging(out, cache, config.root / TRASH) as stage:
                renderer = render.render_site(publication, stage, workers)
                reports = index.build_index(publication, stage, stale_from=out.resolve() if search_later else None)
                # the last net, before the swap; a file the previous output held byte for byte was
                # scanned then, against the same allow list
                trusted = stage.reused if cache.scanned_with == allowed else set()
                secrecy.guard(stage.root, label, checked.review.allowed, stage.copied, trusted, workers)
        except secrecy.LeakFound as leak:
            result.findings.extend(leak.findings)
            return result
        cache.save(stage.files, allowed)
    result.pages, result.built = len(renderer.pages), True
    result.search_stale = any(report.stale for report in reports)
    return result
