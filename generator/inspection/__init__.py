"""Stage 5 — inspection (INS): the site as the quarterly national spot check sees it.

Government websites are inspected against 国办秘函〔2019〕19号 (《政府网站与政务新媒体检查指标》);
some of its findings are single vetoes (单项否决) that fail the whole site. These rules run after
the staleness lint over the site plan — the columns and listings the build renders, per
department and site-wide (plan.py) — and render nothing:

- `freshness`: INS001 首页不更新, INS003 栏目不更新;
- `columns`: INS002 空白栏目;
- `typos`: INS004 严重错别字 (a data file of canonical names shipped here, plus the site's own);
- `identifiers`: INS006 监测代码和标识 (网站标识码, ICP备案号, 公安机关备案号, 党政机关标识,
  找错, ColumnType);
- `links`: INS005 链接不可用 — only with `check --external-links` (it goes on the network).

Every threshold is a site.yaml setting (`inspection:`). Each rule depends on the date or on the
whole site, so no finding is cached: each is computed again on every check. (INS004 keeps only
where a record's public texts hold near misses, under the hash of those texts and of the names
they were measured against — a pure function of its key; typos.Memo.)
"""

from __future__ import annotations

import datetime as dt

from ..findings import Finding
from ..model import Site
from . import columns, freshness, identifiers, typos
from .plan import plan

__all__ = ["check"]


def check(site: Site, today: dt.date, typos_found: typos.Found | None = None) -> list[Finding]:
    """Every INS finding of the site but INS005 (links.check, on request), measured against `today`.
    `typos_found`: the near misses the check's workers found in the files they read (typos.check)."""
    site_plan = plan(site)
    return (
        freshness.check(site_plan, today)
        + columns.check(site_plan)
        + typos.check(site, typos_found)
        + identifiers.check(site)
    )
