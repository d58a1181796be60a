"""INS001 首页不更新 and INS003 栏目不更新 (国办秘函〔2019〕19号).

- INS001: the newest record the site lists was published more than `inspection.homepage_days`
  (14) days before the check date — for the whole site (its home page) and for each department
  (its portal page). A single veto (单项否决): blocking.
- INS003: a column (a leaf of the taxonomy that renders a listing) whose newest record is older
  than its limit: the column's own `update_days`, else by the kind of column — 动态/要闻/新闻
  `news_days` (2 weeks), 通知公告 and 政策文件 `notice_days` (6 months), any other `other_days`
  (1 year). A warning each; blocking for all once `stale_columns` (10) columns are stale. A column
  that objectively needs no regular update says why (`no_update_reason`, shown on its page) and is
  not measured. The 政府信息公开年报 column is also updated by the annual reports (reports/<year>.md),
  each taken as published on its deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..config import Category, Inspection, SiteConfig
from ..findings import Finding
from ..model import Record
from ..rules import WARN
from ..staleness.context import Context
from ..staleness.departments import report_deadline
from .plan import REPORTS_CATEGORY, Column, Plan

NEWS = ("动态", "要闻", "新闻")
NOTICES = ("通知", "公告", "政策文件")


def _age(when: dt.datetime, today: dt.date) -> int:
    return (today - when.date()).days


def _newest_said(found: tuple[dt.datetime, Record] | None, today: dt.date) -> str:
    """The words of an INS001 message for the newest published record `found` (None: there is none)."""
    if found is None:
        return "没有任何已发布的信息"
    return f"最新发布的信息是 {found[0]:%Y-%m-%d}（{found[1].title}），距检查日期 {today} 已 {_age(found[0], today)} 天"


def homepage(plan: Plan, today: dt.date) -> Iterator[Finding]:
    config = plan.site.config
    days = config.inspection.homepage_days
    found = plan.newest(plan.listed)
    if found is None or _age(found[0], today) > days:
        said = _newest_said(found, today)
        yield Finding(
            "INS001",
            "site.yaml",
            _line(config, "inspection", "homepage_days"),
            f"全站首页{said}，超过 {days} 天没有更新（首页不更新，单项否决）",
            f"发布新信息：首页至少每 {days} 天有更新。",
        )
    for dept in plan.departments():
        found = plan.newest(plan.by_dept.get(dept.slug, []))
        if found is not None and _age(found[0], today) <= days:
            continue
        said = _newest_said(found, today)
        yield Finding(
            "INS001",
            dept.file,
            dept.parsed.line_of("name"),
            f"{dept.name}的门户栏目{said}，超过 {days} 天没有更新（首页不更新，单项否决）",
            f"在本部门发布新信息：部门门户栏目至少每 {days} 天有更新。",
            dept=dept.slug,
        )


def limit(node: Category, path: list[Category], settings: Inspection) -> int:
    """The update limit of a column (days): its own or its nearest ancestor's `update_days`, else
    by the kind of column its path names."""
    for here in reversed(path + [node]):
        if here.update_days is not None:
            return here.update_days
    names = node.path
    if any(word in names for word in NEWS):
        return settings.news_days
    if any(word in names for word in NOTICES):
        return settings.notice_days
    return settings.other_days


def latest_report(plan: Plan, today: dt.date) -> dt.datetime | None:
    """The newest annual report of the site (reports/<year>.md), as published at the latest on its
    deadline (deadlines.report_deadline, government_report_deadline of the year after): the
    年报 column is updated by the annual reports the portal lists beside its records."""
    ctx = Context.for_site(plan.site, today)
    found = [
        report_deadline(dept, ctx, year + 1)
        for dept in plan.departments()
        for year, report in dept.reports.items()
        if report.loaded
    ]
    return dt.datetime.combine(max(found), dt.time()) if found else None


def _ancestors(columns: list[Column], column: Column) -> list[Category]:
    parts = column.node.path.split("/")
    by_path = {c.node.path: c.node for c in columns}
    return [by_path["/".join(parts[:depth])] for depth in range(1, len(parts)) if "/".join(parts[:depth]) in by_path]


def stale_columns(plan: Plan, today: dt.date) -> Iterator[Finding]:
    settings = plan.site.config.inspection
    stale: list[tuple[Column, int, dt.datetime]] = []
    for column in plan.columns:
        if column.node.children or not column.records or column.node.no_update_reason:
            continue
        found = plan.newest(column.records)
        when = found[0] if found is not None else None
        if column.node.path == REPORTS_CATEGORY:
            report = latest_report(plan, today)
            when = report if when is None or (report is not None and report > when) else when
        if when is None:
            continue
        days = limit(column.node, _ancestors(plan.columns, column), settings)
        if _age(when, today) > days:
            stale.append((column, days, when))
    vetoed = len(stale) >= settings.stale_columns
    for column, days, when in stale:
        tally = f"；全站共 {len(stale)} 个栏目不更新，达到 {settings.stale_columns} 个" if vetoed else ""
        yield Finding(
            "INS003",
            "site.yaml",
            column.node.line,
            f"栏目“{column.node.path}”最新一条信息发布于 {when:%Y-%m-%d}，超过 {days} 天没有更新（栏目不更新{tally}）",
            f"在“{column.node.path}”栏目发布新信息（更新时限 {days} 天）；因客观原因无需更新的，在 site.yaml "
            "中为该分类写明 no_update_reason。",
            severity="" if vetoed else WARN,
        )


def _line(config: SiteConfig, *path: str) -> int:
    return config.parsed.line_of(*path) if config.parsed else 1


def check(plan: Plan, today: dt.date) -> list[Finding]:
    return [*homepage(plan, today), *stale_columns(plan, today)]
