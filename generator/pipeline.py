"""The pipeline, top to bottom: load → validate → secrecy → staleness → render → index.

`check` runs the first four stages and renders nothing; `build` runs `check` and, only
when nothing blocks, renders the public site into a staging folder that replaces the
previous output in one step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import index, load, output, publicity, render, secrecy, staleness, validate
from .config import SiteConfig
from .findings import Findings
from .model import Site


@dataclass
class CheckResult:
    site: Site
    findings: Findings


@dataclass
class BuildResult(CheckResult):
    out: Path
    pages: int = 0
    built: bool = False


def check(config: SiteConfig, today: dt.date) -> CheckResult:
    findings = Findings(config.rules)
    site, load_findings = load.load_site(config)
    findings.extend(load_findings)
    findings.extend(validate.validate(site))
    findings.extend(secrecy.check(site))
    findings.extend(staleness.check(site, today))
    return CheckResult(site, findings)


def build(config: SiteConfig, out: Path, today: dt.date) -> BuildResult:
    output.check_target(out, config.root)
    checked = check(config, today)
    result = BuildResult(checked.site, checked.findings, out)
    if checked.findings.blocking:
        return result
    publication = publicity.select(checked.site)
    with output.staging(out) as stage:
        renderer = render.render_site(publication, stage)
        index.build_index(publication, stage)
    result.pages, result.built = len(renderer.pages), True
    return result
