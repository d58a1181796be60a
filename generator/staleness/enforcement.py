"""STL006: enforcement results (执法结果) kept current — monthly, or every two months for
departments marked `low_enforcement`; last year's results no longer listed as current after January."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..findings import Finding
from ..model import Record
from .calendar import add_months
from .context import Context
from .records import CURRENT

ENFORCEMENT = "执法结果"


def is_enforcement_result(record: Record) -> bool:
    return record.doc_type == ENFORCEMENT or record.filed_under(ENFORCEMENT)


def check(ctx: Context) -> list[Finding]:
    by_dept: dict[str, list[tuple[dt.date, Record]]] = defaultdict(list)
    for record in ctx.site.records:
        if record.loaded and is_enforcement_result(record):
            published = record.date("published")
            if published is not None:
                by_dept[record.dept].append((published, record))
    findings: list[Finding] = []
    for slug, results in sorted(by_dept.items()):
        dept = ctx.site.departments.get(slug)
        low = bool(dept and dept.get("low_enforcement") is True)
        months = ctx.limits.low_enforcement_months if low else ctx.limits.enforcement_months
        published, latest = max(results, key=lambda pair: (pair[0], pair[1].file))
        due = add_months(published, months)
        if ctx.today > due:
            findings.append(
                Finding(
                    "STL006",
                    latest.file,
                    latest.line_of("published"),
                    f"最新的执法结果发布于 {published}，超过 {months} 个月（{due}）没有更新",
                    dept=slug,
                )
            )
        if ctx.today.month == 1:
            continue
        for day, record in results:
            if day.year < ctx.today.year and record.status == CURRENT:
                key = "status" if "status" in record.meta else "published"
                findings.append(
                    Finding(
                        "STL006",
                        record.file,
                        record.line_of(key),
                        f"{day.year} 年的执法结果“{record.title}”在 {ctx.today.year} 年 1 月后仍标为现行有效",
                        "把上年执法结果的 status 改为 已失效 并填写 status_date，作为历史信息保留。",
                        dept=slug,
                    )
                )
    return findings
