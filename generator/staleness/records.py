"""Rules on one record at a time: late publication (STL001), review (STL002), expiry
(STL003), status history (STL004), late updates of regulations (STL012), deadlines by 文种 and
the 3-working-day update (STL014), and what a 行政规范性文件 must carry to be cleaned up (STL017)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterator

from ..findings import Finding
from ..model import Record
from ..schema import Status
from .context import Context

CURRENT = Status.CURRENT
ENDED = ("已废止", "已失效", "已修订")
REGULATIONS = ("规章", "行政规范性文件")  # updates due within deadlines.update_days (STL012)


# (written, published, changed): the dates STL001, STL012 and STL014 all read, read once a record
# (each rule reading them for itself made 2.6 million reads at 200,000 records)
Dates = tuple[dt.date | None, dt.date | None, dt.date | None]


def _finding(record: Record, rule: str, key: str, message: str, fix: str = "") -> Finding:
    return Finding(rule, record.file, record.line_of(key), message, fix, dept=record.dept)


def late_publication(record: Record, dates: Dates, ctx: Context) -> Iterator[Finding]:
    """STL001: published more than N working days after it was formed or last changed."""
    written, published, changed = dates
    if written is None or published is None:
        return
    formed = max(written, changed) if changed is not None and changed <= published else written
    days = ctx.limits.publish_days
    due = ctx.deadline(formed, days, record.file)
    if published > due:
        late = ctx.calendar.working_days_between(due, published)
        what = "变更日期" if formed != written else "成文日期"
        yield _finding(
            record,
            "STL001",
            "published",
            f"发布日期 {published} 比{what} {formed} 晚 {days + late} 个工作日，超过 {days} 个工作日的期限（应于 {due} 前发布）",
        )
    if changed is not None and changed > published and record.doc_type not in REGULATIONS:
        due = ctx.deadline(changed, days, record.file)
        if ctx.today > due:
            yield _finding(
                record,
                "STL001",
                "changed",
                f"内容于 {changed} 变更，超过 {days} 个工作日（{due}）仍未更新发布（发布日期仍为 {published}）",
                "发布变更后的内容，并把 published 改为更新发布的日期。",
            )


def late_update(record: Record, dates: Dates, ctx: Context) -> Iterator[Finding]:
    """STL012: a 规章/行政规范性文件 changed after publication and not republished in time."""
    _, published, changed = dates
    if published is None or changed is None or changed <= published or record.doc_type not in REGULATIONS:
        return
    days = ctx.limits.update_days
    due = ctx.deadline(changed, days, record.file)
    if ctx.today > due:
        yield _finding(
            record,
            "STL012",
            "changed",
            f"{record.doc_type}于 {changed} 变更，超过 {days} 个工作日（{due}）仍未更新发布（发布日期仍为 {published}）",
        )


def unreviewed(record: Record, ctx: Context) -> Iterator[Finding]:
    """STL002: `next_review` has passed on a record still in force."""
    due = record.date("next_review")
    if due is not None and record.status == CURRENT and ctx.today > due:
        yield _finding(
            record,
            "STL002",
            "next_review",
            f"下次复核日期 {due} 已过（检查日期 {ctx.today}），记录“{record.title}”未复核",
        )


def expired(record: Record, ctx: Context) -> Iterator[Finding]:
    """STL003: `valid_until` has passed but the record is still listed as in force."""
    until = record.date("valid_until")
    if until is not None and record.status == CURRENT and ctx.today > until:
        yield _finding(
            record, "STL003", "valid_until", f"有效期至 {until} 已过，“{record.title}”仍标为现行有效，应撤换"
        )


def status_history(record: Record, known: Container[str]) -> Iterator[Finding]:
    """STL004: an ended record without `status_date`, or `superseded_by` pointing nowhere."""
    if record.status in ENDED and record.date("status_date") is None:
        yield _finding(record, "STL004", "status", f"有效性为{record.status}，但缺少有效性变更日期 status_date")
    successor = str(record.get("superseded_by") or "").strip()
    if successor and successor not in known:
        yield _finding(record, "STL004", "superseded_by", f"替代文件 {successor} 在站点中不存在")


def by_doc_type(record: Record, dates: Dates, ctx: Context) -> Iterator[Finding]:
    """STL014: published within the deadline of its 文种 (deadlines.publish_days_by_doc_type, e.g.
    政府文件 and 解读 within 3 working days, 001 网站群 第三条); a 主动公开 record whose content
    changed after publication updated within deadlines.update_days (000 第十六条; 规章 and
    行政规范性文件: STL012)."""
    written, published, changed = dates
    if written is None or published is None:
        return
    kind = record.doc_type
    days = ctx.limits.publish_days_by_doc_type.get(kind)
    if days is not None:
        formed = max(written, changed) if changed is not None and changed <= published else written
        due = ctx.deadline(formed, days, record.file)
        if published > due:
            what = "变更日期" if formed != written else "成文日期"
            late = ctx.calendar.working_days_between(due, published)
            yield _finding(
                record,
                "STL014",
                "published",
                f"{kind}应在{what}后 {days} 个工作日内发布（{due} 前），发布日期 {published} 晚 {late} 个工作日",
            )
    if record.publicity == "主动公开" and changed is not None and changed > published and kind not in REGULATIONS:
        days = ctx.limits.update_days
        due = ctx.deadline(changed, days, record.file)
        if ctx.today > due:
            yield _finding(
                record,
                "STL014",
                "changed",
                f"主动公开的信息内容于 {changed} 变化，超过 {days} 个工作日（{due}）仍未更新发布"
                f"（发布日期仍为 {published}）",
                "内容变化的，3 个工作日内更新发布，并把 published 改为更新发布的日期。",
            )


NORMATIVE = "行政规范性文件"


def normative_keys(record: Record) -> Iterator[Finding]:
    """STL017: a 行政规范性文件 in force carries its expiry or next review, and its 文号."""
    if record.doc_type != NORMATIVE or record.status != CURRENT:
        return
    if record.date("valid_until") is None and record.date("next_review") is None:
        yield _finding(
            record,
            "STL017",
            "doc_type",
            f"行政规范性文件“{record.title}”没有有效期 valid_until，也没有下次复核日期 next_review，无法定期清理",
        )
    if not str(record.get("doc_no") or "").strip():
        yield _finding(record, "STL017", "doc_type", f"行政规范性文件“{record.title}”没有文号 doc_no")


def check(ctx: Context) -> list[Finding]:
    """Each rule over each loaded record, in this order, called only for a record it can say
    something of (a rule's own test stays in it): at 200,000 records, making a generator for
    every rule and record, most of which said nothing, took about 0.7 s of the lint."""
    known = ctx.by_index
    findings: list[Finding] = []
    for record in ctx.site.records:
        if not record.loaded:
            continue
        meta = record.meta
        dates = record.date("written"), record.date("published"), record.date("changed")
        dated = dates[0] is not None and dates[1] is not None
        if dated:
            findings += late_publication(record, dates, ctx)
        if dates[2] is not None:
            findings += late_update(record, dates, ctx)
        if meta.get("next_review") is not None:
            findings += unreviewed(record, ctx)
        if meta.get("valid_until") is not None:
            findings += expired(record, ctx)
        if record.status in ENDED or meta.get("superseded_by"):
            findings += status_history(record, known)
        if dated:
            findings += by_doc_type(record, dates, ctx)
        if record.doc_type == NORMATIVE:
            findings += normative_keys(record)
    return findings
