"""The checks, top to bottom: load → validate → secrecy → staleness → inspection.

`check` runs them over a site and renders nothing (the pipeline's first five stages: pipeline.py
runs them and then renders); `body_facts` adds what the pages need of every published body. Nothing here
imports the rendering stack, so a cluster worker's render units (render/remote.py) can check the
site themselves.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import heap, inspection, load, publicity, recordwork, secrecy, staleness, validate
from .annual import sources
from .config import SiteConfig
from .executors import Executor
from .findings import Findings
from .markdown import BodyFacts
from .model import Site

if TYPE_CHECKING:
    from .checkcache import CheckCache


@dataclass
class CheckResult:
    site: Site
    findings: Findings
    review: secrecy.Review = field(default_factory=secrecy.Review, kw_only=True)  # sign-offs, output allow list
    cache: CheckCache | None = field(default=None, kw_only=True)  # what each record file gave, kept for the build


def check(config: SiteConfig, today: dt.date, jobs: int | Executor | None = None) -> CheckResult:
    """`jobs`: processes (or a cluster) that do each new record's own work first (default: every core)."""
    from .checkcache import CheckCache  # what each record file gave before, by the hash of its bytes

    with heap.paused():  # millions of long-lived objects and no cycles among them: heap.py
        cache = CheckCache(config.root, config)
        folders = load.walk(config.root)
        typos_found = recordwork.fill(config, cache, jobs or os.cpu_count() or 1, folders)
        findings = Findings(config.rules)
        site, load_findings = load.load_site(config, cache, folders)
        findings.extend(load_findings)
        findings.extend(sources.load_all(site))  # the registers and annual-report sources
        findings.extend(validate.validate(site, cache))
        review = secrecy.check(site, today, cache)
        findings.extend(review.findings)
        findings.extend(staleness.check(site, today))
        findings.extend(inspection.check(site, today, typos_found))  # after staleness: scheduled records held out
        cache.save()
    return CheckResult(site, findings, review=review, cache=cache)


def body_facts(checked: CheckResult, jobs: int | Executor) -> dict[str, BodyFacts]:
    """The first sentence, length and link targets of every published body, read only when new."""
    if checked.cache is None:
        return {}
    full = [r for r in checked.site.records if publicity.is_full(r)]
    found = recordwork.body_facts(full, checked.cache, jobs)
    checked.cache.save(statuses=False)  # the check saved them: only facts were added since
    return found
