"""INS002 空白栏目 (国办秘函〔2019〕19号; 001 网站群 第十一条: 禁止出现“空白栏目”).

A blank column is a listing the build renders with no record in it (“暂无公开信息”): a taxonomy
node with no listed record (unless `hide_when_empty`: then it is not rendered at all, and no blank
column), or a department's catalogue with no record. Each is a warning; once the site has
`inspection.blank_columns` (5) of them, each blocks — the veto threshold.

Per department, the columns its level must keep (`required_for`, each one an STL008 finding) add
up the same way: a department with 5 or more of them empty fails as a whole (one INS002 finding on
its department.yaml).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..rules import WARN
from .plan import Plan

FIX = "在该栏目发布信息；确无此类信息的，在 site.yaml 中为该分类设 hide_when_empty: true（没有信息时不显示该栏目）。"


def site_columns(plan: Plan) -> Iterator[Finding]:
    threshold = plan.site.config.inspection.blank_columns
    blanks: list[tuple[str, int, str, str, str]] = []  # file, line, what, fix, dept
    for column in plan.columns:
        if column.blank:
            blanks.append(("site.yaml", column.node.line, f"栏目“{column.node.path}”", FIX, ""))
    for dept in plan.departments():
        if not plan.by_dept.get(dept.slug):
            blanks.append(
                (
                    dept.file,
                    dept.parsed.line_of("name"),
                    f"{dept.name}的政府信息公开目录",
                    "在本部门发布信息，或删除不再使用的部门目录。",
                    dept.slug,
                )
            )
    vetoed = len(blanks) >= threshold
    for file, line, what, fix, slug in blanks:
        tally = (
            f"；全站共 {len(blanks)} 个空白栏目，达到 {threshold} 个（单项否决）"
            if vetoed
            else f"（全站共 {len(blanks)} 个空白栏目，达到 {threshold} 个即单项否决）"
        )
        yield Finding(
            "INS002",
            file,
            line,
            f"{what}没有任何信息，页面显示“暂无公开信息”（空白栏目）{tally}",
            fix,
            severity="" if vetoed else WARN,
            dept=slug,
        )


def department_columns(plan: Plan) -> Iterator[Finding]:
    threshold = plan.site.config.inspection.blank_columns
    for dept in plan.departments():
        mine = plan.by_dept.get(dept.slug, [])
        empty = [
            column.node.path
            for column in plan.columns
            if dept.level in column.node.required_for
            and not any(r.category == column.node.path or r.category.startswith(column.node.path + "/") for r in mine)
        ]
        if len(empty) >= threshold:
            yield Finding(
                "INS002",
                dept.file,
                dept.parsed.line_of("level", default=1),
                f"{dept.name}（{dept.level}）必须公开的栏目中有 {len(empty)} 个空白栏目（{'、'.join(empty)}），"
                f"达到 {threshold} 个（单项否决）",
                "在这些栏目发布信息；确无此类信息的，在 site.yaml 中调整该分类的 required_for。",
                dept=dept.slug,
            )


def check(plan: Plan) -> list[Finding]:
    return [*site_columns(plan), *department_columns(plan)]
