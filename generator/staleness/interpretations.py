"""STL005: policy interpretations (政策解读) published with their policy (三同步)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..model import Record
from .context import Context

INTERPRETATION = "政策解读"
NEEDS_INTERPRETATION = "行政规范性文件"  # when deadlines.require_interpretation is true


def is_interpretation(record: Record) -> bool:
    return record.doc_type == INTERPRETATION or record.filed_under(INTERPRETATION)


def _late_interpretation(record: Record, policies: dict[str, Record], ctx: Context) -> Iterator[Finding]:
    target = str(record.get("interprets") or "").strip()
    line = record.line_of("interprets") if target else record.line_of("title")
    policy = policies.get(target)
    if policy is None:
        what = f"解读对象 {target} 在站点中不存在" if target else "政策解读缺少解读对象 interprets"
        yield Finding("STL005", record.file, line, what, "interprets 填写被解读文件的索引号。", dept=record.dept)
        return
    published, policy_published = record.date("published"), policy.date("published")
    if published is None or policy_published is None:
        return
    days = ctx.limits.interpretation_days
    due = ctx.deadline(policy_published, days, record.file)
    if published > due:
        yield Finding(
            "STL005",
            record.file,
            record.line_of("published"),
            f"政策解读发布于 {published}，晚于所解读文件（{policy.file}，发布于 {policy_published}）"
            f"后的 {days} 个工作日（{due}）",
            dept=record.dept,
        )


def _missing_interpretation(record: Record, interpreted: set[str], ctx: Context) -> Iterator[Finding]:
    published = record.date("published")
    if record.doc_type != NEEDS_INTERPRETATION or published is None or record.index_no in interpreted:
        return
    days = ctx.limits.interpretation_days
    due = ctx.deadline(published, days, record.file)
    if ctx.today > due:
        yield Finding(
            "STL005",
            record.file,
            record.line_of("published"),
            f"行政规范性文件“{record.title}”发布于 {published}，{days} 个工作日后（{due}）仍没有政策解读",
            "与文件同步起草并发布政策解读，解读记录的 interprets 填写本文件的索引号。",
            dept=record.dept,
        )


def check(ctx: Context) -> list[Finding]:
    records = [r for r in ctx.site.records if r.loaded]
    policies = ctx.by_index
    interpretations = [r for r in records if is_interpretation(r)]
    findings = [f for r in interpretations for f in _late_interpretation(r, policies, ctx)]
    if ctx.limits.require_interpretation:
        interpreted = {str(r.get("interprets") or "").strip() for r in interpretations}
        policies_due = [r for r in records if r.doc_type == NEEDS_INTERPRETATION]  # the rule's own test, first
        findings += [f for r in policies_due for f in _missing_interpretation(r, interpreted, ctx)]
    return findings
