"""Stage 4 — staleness lint (时效): rules STL001–STL018 on the Chinese working-day calendar.

- `calendar`: working days (weekends, statutory holidays, 调休; site.yaml additions);
- `context`: today, the limits, and the years the calendar cannot vouch for (STL013);
- `publication`: STL016 (scheduled: held out until its date) and STL015 (backdated) — first, so
  the later stages and the build see only what is published today;
- `records`: STL001–STL004, STL012, STL014, STL017 — one record at a time;
- `interpretations`: STL005 — 政策解读 with their policy;
- `enforcement`: STL006 — 执法结果 kept current;
- `categories`: STL007, STL008 — stale and empty columns;
- `departments`: STL009, STL010 — the guide and the annual report;
- `applications`: STL011, STL018 — replies to applications on time, 补正 notices.
"""

from __future__ import annotations

import datetime as dt

from ..findings import Finding
from ..model import Site
from . import applications, categories, departments, enforcement, interpretations, publication, records
from .context import Context

STAGES = (publication, records, interpretations, enforcement, categories, departments, applications)


def check(site: Site, today: dt.date) -> list[Finding]:
    """Every STL finding of the site, measured against `today`."""
    ctx = Context.for_site(site, today)
    findings = [finding for stage in STAGES for finding in stage.check(ctx)]
    return findings + ctx.unvouched_findings()
