"""The pipeline, top to bottom: load → validate → secrecy → staleness → render → index.

`check` runs the first four stages and renders nothing; `build` runs `check` and, only
when nothing blocks, renders the public site into a staging folder that replaces the
previous output in one step.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import load, output, pagecache, publicity, secrecy, staleness, validate
from .config import SiteConfig
from .findings import Findings
from .model import Site


@dataclass
class CheckResult:
    site: Site
    findings: Findings
    review: secrecy.Review = field(default_factory=secrecy.Review, kw_only=True)  # sign-offs, output allow list


@dataclass
class BuildResult(CheckResult):
    out: Path
    pages: int = 0
    built: bool = False


def check(config: SiteConfig, today: dt.date) -> CheckResult:
    from .checkcache import CheckCache  # what each record file gave before, by the hash of its bytes

    cache = CheckCache(config.root, config)
    findings = Findings(config.rules)
    site, load_findings = load.load_site(config, cache)
    findings.extend(load_findings)
    findings.extend(validate.validate(site, cache))
    review = secrecy.check(site, today, cache)
    findings.extend(review.findings)
    findings.extend(staleness.check(site, today))
    cache.save()
    return CheckResult(site, findings, review=review)


def build(config: SiteConfig, out: Path, today: dt.date, jobs: int | None = None,
          lock_wait: float = 0.0) -> BuildResult:
    """`jobs`: processes that render pages and scan the output (default: every core).

    One build of a site at a time: the whole build holds `<site>/.cache/build.lock`; while another
    build holds it, output.BuildLocked at once (or after `lock_wait` seconds). Holding it, the build
    first removes what killed builds left beside the output (output.sweep)."""
    workers = jobs or os.cpu_count() or 1
    from . import index, render  # `check` (and the pre-commit hook) never loads the rendering stack

    output.check_target(out, config.root)
    with output.build_lock(config.root, lock_wait):
        output.sweep(out)
        checked = check(config, today)
        result = BuildResult(checked.site, checked.findings, out)
        if checked.findings.blocking:
            return result
        publication = publicity.select(checked.site)
        label = out.relative_to(config.root).as_posix() if out.is_relative_to(config.root) else out.name
        cache = pagecache.PageCache(config.root, out.resolve())
        allowed = pagecache.fingerprint(sorted(checked.review.allowed))
        try:
            with output.staging(out, cache) as stage:
                renderer = render.render_site(publication, stage, workers)
                index.build_index(publication, stage)
                # the last net, before the swap; a file the previous output held byte for byte was
                # scanned then, against the same allow list
                trusted = stage.reused if cache.scanned_with == allowed else set()
                secrecy.guard(stage.root, label, checked.review.allowed, stage.copied, trusted, workers)
        except secrecy.LeakFound as leak:
            result.findings.extend(leak.findings)
            return result
        cache.save(stage.files, allowed)
    result.pages, result.built = len(renderer.pages), True
    return result
