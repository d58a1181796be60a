"""STL011: applications (依申请公开) answered within 20 working days, or 40 when extended;
STL018: a 补正 notice within 7 working days of receipt.

The period runs from the day after receipt (《条例》第三十三条). When the applicant was asked
to correct the application (补正, 第三十条), it runs again from the day the corrected
application arrived, and stands still while it has not; the working days spent consulting a
third party or another body (征求意见, 第三十二条) or suspended (中止) are not counted
(第三十三条第三款). An application carried over into the next year's register appears in
both; the latest register's row counts.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..model import Application
from .context import Context


def latest_rows(applications: list[Application]) -> list[Application]:
    """One row per application id: the one from the latest register."""
    latest: dict[str, Application] = {}
    for row in applications:
        if row.id not in latest or row.year >= latest[row.id].year:
            latest[row.id] = row
    return list(latest.values())


def excluded_days(row: Application, ctx: Context) -> int:
    """Working days not counted in the period: consulting (征求意见) and suspension (中止)."""
    total = 0
    for start, end in ((row.consulted_from, row.consulted_to), (row.suspended_from, row.suspended_to)):
        if start is not None:
            total += ctx.calendar.working_days_between(start, end or row.closed or ctx.today)
    return total


def late_answer(row: Application, ctx: Context) -> Iterator[Finding]:
    limits = ctx.limits
    if row.correction_requested is not None and row.correction_received is None:
        return  # waiting for the corrected application: the period has not begun again
    start = row.correction_received or row.received
    days = limits.reply_days + (limits.reply_extension_days if row.extended else 0)
    excluded = excluded_days(row, ctx)
    period = f"{days} 个工作日" + ("（已延期）" if row.extended else "")
    if excluded:
        period += f"，另有 {excluded} 个工作日征求意见或中止，不计入"
    since = f"{row.received} 收到" + (f"，{start} 收到补正" if start != row.received else "")
    due = ctx.deadline(start, days + excluded, row.file)
    if row.closed is not None and row.closed > due:
        late = ctx.calendar.working_days_between(due, row.closed)
        yield Finding(
            "STL011",
            row.file,
            row.line,
            f"申请 {row.id} 于 {since}，{row.closed} 才办结，超过 {period}的答复期限 {due}，晚 {late} 个工作日",
            dept=row.dept,
        )
    elif row.closed is None and ctx.today > due:
        yield Finding(
            "STL011",
            row.file,
            row.line,
            f"申请 {row.id} 于 {since}，答复期限 {due}（{period}）已过，仍未办结",
            dept=row.dept,
        )


def late_correction(row: Application, ctx: Context) -> Iterator[Finding]:
    """STL018: the applicant must be told at once, within 7 working days, what to correct (第三十条)."""
    if row.correction_requested is None:
        return
    days = ctx.limits.correction_days
    due = ctx.deadline(row.received, days, row.file)
    if row.correction_requested > due:
        late = ctx.calendar.working_days_between(due, row.correction_requested)
        yield Finding(
            "STL018",
            row.file,
            row.line,
            f"申请 {row.id} 于 {row.received} 收到，{row.correction_requested} 才通知补正，超过 {days} 个工作日"
            f"的期限 {due}，晚 {late} 个工作日",
            dept=row.dept,
        )


def check(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for dept in ctx.site.departments.values():
        for row in latest_rows(dept.applications):
            findings += late_answer(row, ctx)
            findings += late_correction(row, ctx)
    return findings
