"""Catalogue columns (栏目), per department: not updated within their freshness limit (STL007)
and mandatory columns left empty (STL008).

The taxonomy is site.yaml `categories`; a node's `freshness_days` applies to every leaf
below it that does not set its own, and `required_for` lists the department levels that
must keep the node (any record below it) non-empty. Only records the public catalogue
lists count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..config import Category
from ..findings import Finding
from ..model import Department, Record
from ..publicity import is_listed
from .calendar import add_days
from .context import Context


def nodes(categories: list[Category]) -> Iterator[Category]:
    for node in categories:
        yield node
        yield from nodes(node.children)


def leaf_freshness(categories: list[Category], inherited: int | None = None) -> Iterator[tuple[Category, int]]:
    """Each leaf with the freshness limit that applies to it (its own, else its nearest ancestor's)."""
    for node in categories:
        days = node.freshness_days if node.freshness_days is not None else inherited
        if node.children:
            yield from leaf_freshness(node.children, days)
        elif days is not None:
            yield node, days


def _below(record: Record, node: Category) -> bool:
    return record.category == node.path or record.category.startswith(node.path + "/")


def _stale_columns(dept: str, listed: list[Record], ctx: Context) -> Iterator[Finding]:
    for leaf, days in leaf_freshness(ctx.site.config.categories):
        dated = [(d, r) for r in listed if r.category == leaf.path and (d := r.date("published")) is not None]
        if not dated:
            continue
        newest, record = max(dated, key=lambda pair: (pair[0], pair[1].file))
        due = add_days(newest, days)
        if ctx.today > due:
            yield Finding(
                "STL007",
                record.file,
                record.line_of("published"),
                f"栏目“{leaf.path}”最新一条信息发布于 {newest}，超过 {days} 天（{due}）没有更新",
                f"在“{leaf.path}”栏目发布新信息（更新时限 {days} 天）。",
                dept=dept,
            )


def _empty_columns(dept: Department, listed: list[Record], ctx: Context) -> Iterator[Finding]:
    for node in nodes(ctx.site.config.categories):
        if dept.level in node.required_for and not any(_below(r, node) for r in listed):
            yield Finding(
                "STL008",
                dept.file,
                dept.parsed.line_of("level", default=1),
                f"{dept.level}必须公开的栏目“{node.path}”没有任何信息（空白栏目）",
                f"在“{node.path}”栏目发布信息；确无此类信息的，在 site.yaml 中调整该分类的 required_for。",
                dept=dept.slug,
            )


def check(ctx: Context) -> list[Finding]:
    listed: dict[str, list[Record]] = defaultdict(list)
    for record in ctx.site.records:
        if is_listed(record, ctx.site.config):
            listed[record.dept].append(record)
    findings: list[Finding] = []
    for slug, dept in sorted(ctx.site.departments.items()):
        findings += _stale_columns(slug, listed[slug], ctx)
        if dept.data:
            findings += _empty_columns(dept, listed[slug], ctx)
    return findings
