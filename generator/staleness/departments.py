"""Rules on a department as a whole: the guide's review date (STL009) and last year's
annual report (STL010) — `content/<dept>/reports/<year>.md` is the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..config import GOVERNMENT_LEVELS
from ..findings import Finding
from ..model import Department, as_date
from .calendar import add_days
from .context import Context

REPORTS = "reports"


def stale_guide(dept: Department, ctx: Context) -> Iterator[Finding]:
    """STL009: department.yaml `reviewed` older than deadlines.guide_review_days."""
    reviewed = as_date(dept.get("reviewed"))
    days = ctx.limits.guide_review_days
    if reviewed is not None and ctx.today > add_days(reviewed, days):
        yield Finding("STL009", dept.file, dept.parsed.line_of("reviewed"),
                      f"公开指南信息上次复核于 {reviewed}，已超过 {days} 天", dept=dept.slug)


def report_deadline(dept: Department, ctx: Context) -> dt.date:
    """This year's deadline for last year's report: governments have longer than departments."""
    limits = ctx.limits
    month_day = limits.government_report_deadline if dept.level in GOVERNMENT_LEVELS else limits.report_deadline
    month, day = (int(part) for part in month_day.split("-"))
    return dt.date(ctx.today.year, month, day) if (month, day) != (2, 29) else \
        dt.date(ctx.today.year, 3, 1) - dt.timedelta(days=1)  # the year's last day of February


def missing_report(dept: Department, ctx: Context) -> Iterator[Finding]:
    """STL010: last year's annual report absent after its deadline."""
    year = ctx.today.year - 1
    due = report_deadline(dept, ctx)
    report = dept.folder / REPORTS / f"{year}.md"
    if ctx.today > due and not report.is_file():
        rel = report.relative_to(ctx.site.root).as_posix()
        yield Finding("STL010", dept.file, dept.parsed.line_of("name"),
                      f"{dept.name} {year} 年政府信息公开工作年度报告应于 {due} 前发布，但 {rel} 不存在",
                      f"编写 {rel}（前置元数据填写人工统计数字，正文写总体情况等章节）后发布。", dept=dept.slug)


def check(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for dept in ctx.site.departments.values():
        if dept.data:
            findings += stale_guide(dept, ctx)
            findings += missing_report(dept, ctx)
    return findings
