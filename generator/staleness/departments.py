"""Rules on a department as a whole: the guide's review date (STL009), last year's annual
report (STL010) — `content/<dept>/reports/<year>.md` is the report — and what every report
must say (REP004: 总体情况 and 存在的主要问题及改进情况, blocking once the report is due; REP005:
a government's results of 考核、社会评议和责任追究, 《条例》第五十条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..annual.tables import narrative
from ..annual.template import NARRATIVE
from ..config import GOVERNMENT_LEVELS
from ..findings import Finding
from ..model import Department, ReportSource, as_date
from ..rules import WARN
from .calendar import add_days
from .context import Context

REPORTS = "reports"


def stale_guide(dept: Department, ctx: Context) -> Iterator[Finding]:
    """STL009: department.yaml `reviewed` older than deadlines.guide_review_days."""
    reviewed = as_date(dept.get("reviewed"))
    days = ctx.limits.guide_review_days
    if reviewed is not None and ctx.today > add_days(reviewed, days):
        yield Finding(
            "STL009",
            dept.file,
            dept.parsed.line_of("reviewed"),
            f"公开指南信息上次复核于 {reviewed}，已超过 {days} 天",
            dept=dept.slug,
        )


def report_deadline(dept: Department, ctx: Context, year: int | None = None) -> dt.date:
    """The deadline in `year` (default: this year) for the report of the year before: governments
    have longer than departments."""
    limits = ctx.limits
    year = ctx.today.year if year is None else year
    month_day = limits.government_report_deadline if dept.level in GOVERNMENT_LEVELS else limits.report_deadline
    month, day = (int(part) for part in month_day.split("-"))
    if year > dt.MAXYEAR:
        return dt.date.max
    return (
        dt.date(year, month, day) if (month, day) != (2, 29) else dt.date(year, 3, 1) - dt.timedelta(days=1)
    )  # the year's last day of February


def missing_report(dept: Department, ctx: Context) -> Iterator[Finding]:
    """STL010: last year's annual report absent after its deadline."""
    year = ctx.today.year - 1
    due = report_deadline(dept, ctx)
    report = dept.folder / REPORTS / f"{year}.md"
    if ctx.today > due and not report.is_file():
        rel = report.relative_to(ctx.site.root).as_posix()
        yield Finding(
            "STL010",
            dept.file,
            dept.parsed.line_of("name"),
            f"{dept.name} {year} 年政府信息公开工作年度报告应于 {due} 前发布，但 {rel} 不存在",
            f"编写 {rel}（前置元数据填写人工统计数字，正文写总体情况等章节）后发布。",
            dept=dept.slug,
        )


REQUIRED_SECTIONS = ("总体情况", "存在的主要问题及改进情况")  # REP004
# REP005: what a government's report must also say (《条例》第五十条), each with the words that say it
GOVERNMENT_RESULTS = (("工作考核", ("考核", "考评")), ("社会评议", ("评议",)), ("责任追究", ("责任追究", "追责")))
REPORTING_LEVELS = ("市级政府", "县级政府")  # 县级以上人民政府


def _heading_line(report: ReportSource, heading: str) -> int:
    """The file line of the report's `## heading` (either form of the title), else line 1."""
    for offset, line in enumerate(report.body.split("\n")):
        if line.startswith("##") and line.lstrip("#").strip() in (heading, NARRATIVE[heading]):
            return report.body_line + offset
    return 1


def report_sections(dept: Department, report: ReportSource, ctx: Context) -> Iterator[Finding]:
    """REP004: the required sections present and filled — blocking once the report is due, a
    warning while it is being written; REP005: a government's report names the results of
    考核、社会评议 and 责任追究."""
    sections, _ = narrative(report)
    due = report_deadline(dept, ctx, report.year + 1)
    for heading in REQUIRED_SECTIONS:
        if sections.get(NARRATIVE[heading], "").strip():
            continue
        what = "没有内容" if NARRATIVE[heading] in sections else "缺少这一节"
        yield Finding(
            "REP004",
            report.file,
            _heading_line(report, heading),
            f"{report.year} 年度报告的“{NARRATIVE[heading]}”{what}（年报发布期限 {due}）",
            f"在 {report.file} 中写出 “## {heading}” 一节的内容。",
            severity="" if ctx.today > due else WARN,
            dept=dept.slug,
        )
    if dept.level not in REPORTING_LEVELS:
        return
    text = "\n".join(sections.values())
    missing = [name for name, words in GOVERNMENT_RESULTS if not any(word in text for word in words)]
    if missing:
        yield Finding(
            "REP005",
            report.file,
            1,
            f"{dept.level}的 {report.year} 年度报告没有说明{'、'.join(missing)}结果情况（《条例》第五十条）",
            dept=dept.slug,
        )


def check(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for dept in ctx.site.departments.values():
        if dept.data:
            findings += stale_guide(dept, ctx)
            findings += missing_report(dept, ctx)
            for year in sorted(dept.reports):
                if dept.reports[year].loaded:
                    findings += report_sections(dept, dept.reports[year], ctx)
    return findings
