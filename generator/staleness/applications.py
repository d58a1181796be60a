"""STL011: applications (依申请公开) answered within 20 working days, or 40 when extended.

The period runs from the day after receipt (《条例》第三十三条). An application carried
over into the next year's register appears in both; the latest register's row counts.
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


def late_answer(row: Application, ctx: Context) -> Iterator[Finding]:
    limits = ctx.limits
    days = limits.reply_days + (limits.reply_extension_days if row.extended else 0)
    period = f"{days} 个工作日" + ("（已延期）" if row.extended else "")
    due = ctx.deadline(row.received, days, row.file)
    if row.closed is not None and row.closed > due:
        late = ctx.calendar.working_days_between(due, row.closed)
        yield Finding("STL011", row.file, row.line,
                      f"申请 {row.id} 于 {row.received} 收到，{row.closed} 才办结，超过 {period}的答复期限 {due}，"
                      f"晚 {late} 个工作日", dept=row.dept)
    elif row.closed is None and ctx.today > due:
        yield Finding("STL011", row.file, row.line,
                      f"申请 {row.id} 于 {row.received} 收到，答复期限 {due}（{period}）已过，仍未办结", dept=row.dept)


def check(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for dept in ctx.site.departments.values():
        for row in latest_rows(dept.applications):
            findings += late_answer(row, ctx)
    return findings
