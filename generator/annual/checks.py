"""Validate stage: the register and the report sources (REP001–REP003, FMT002 for figures,
FMT008 for raw HTML in the narrative, as in a record's body).

- REP001 a register row with an unknown applicant type, result, 行政复议 or 行政诉讼 value,
  or dates that do not fit (closed before received, a row outside its year's register);
- REP002 this year's 上年结转 is not last year's 结转下年度继续办理, application by application;
- REP003 a figure the report needs is missing: a front-matter figure, or the year's register.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from .. import markdown
from ..findings import Finding
from ..model import Department, ReportSource, Site
from ..rules import WARN
from ..schema import ReportFigures, as_date
from . import rows
from .tables import FigureError, narrative, read_figure
from .template import FIGURES, NARRATIVE

KNOWN_FIGURE_KEYS = set(ReportFigures.keys)


def _rep001(dept: Department) -> Iterator[Finding]:
    for row in dept.applications:
        found = rows.problems(row)
        if found:
            yield Finding(
                "REP001",
                row.file,
                row.line,
                f"台账第 {row.line} 行（编号 {row.id}）：{'；'.join(found)}，本行未计入年报",
                dept=dept.slug,
            )


def _rep002(dept: Department) -> Iterator[Finding]:
    for year, register in sorted(dept.registers.items()):
        last = dept.registers.get(year - 1)
        if last is None:
            continue
        year_end = dt.date(year - 1, 12, 31)
        carried_out = {row.id: row for row in last.rows if not rows.problems(row) and rows.open_at(row, year_end)}
        carried_in = {row.id: row for row in register.rows if not rows.problems(row) and row.received.year < year}
        counts = f"（本年上年结转 {len(carried_in)} 件，{year - 1} 年结转下年度继续办理 {len(carried_out)} 件）"
        for ident, row in carried_out.items():
            if ident not in carried_in:
                yield Finding(
                    "REP002",
                    register.file,
                    1,
                    f"{last.file} 第 {row.line} 行（编号 {ident}）上年末未办结，但本年台账中没有这一申请{counts}",
                    f"把编号 {ident} 的申请复制到 {register.file}，办结后填写办理结果和办结日期。",
                    dept=dept.slug,
                )
        for ident, row in carried_in.items():
            if ident not in carried_out:
                yield Finding(
                    "REP002",
                    register.file,
                    row.line,
                    f"编号 {ident} 收到于 {row.received}，列为上年结转，但 {last.file} 中没有这一未办结申请{counts}",
                    f"核对 {last.file}：该申请应在上年台账中登记且上年末未办结。",
                    dept=dept.slug,
                )


def _report_source(dept: Department, source: ReportSource) -> Iterator[Finding]:
    for key in source.meta:
        if key not in KNOWN_FIGURE_KEYS:
            yield Finding(
                "FMT002",
                source.file,
                source.line_of(str(key)),
                f"未知的键 '{key}'，已忽略",
                "年报前置元数据只有 permits、penalties、coercions、fees 和 published。",
                severity=WARN,
                dept=dept.slug,
            )
    published = source.meta.get("published")
    if published not in (None, "") and as_date(published) is None:
        yield Finding(
            "FMT002",
            source.file,
            source.line_of("published"),
            f"published（发布日期）应为日期，实际为 {published!r}",
            "写成 YYYY-MM-DD，例如 published: 2026-01-20。",
            dept=dept.slug,
        )
    for row in FIGURES:
        line = source.line_of(row.key) if row.key in source.meta else 1
        try:
            value = read_figure(source.meta, row)
        except FigureError as exc:
            yield Finding(
                "FMT002", source.file, line, str(exc), "件数写整数，收费金额写数字（万元，可带小数）。", dept=dept.slug
            )
            continue
        if value is None:
            yield Finding(
                "REP003",
                source.file,
                line,
                f"缺少{row.label}的数字（{row.key}），年报中该项显示为缺失",
                f"在前置元数据中填写 {row.key}；确实为零时填 0。",
                dept=dept.slug,
            )
    if source.year not in dept.registers:
        yield Finding(
            "REP003",
            source.file,
            1,
            f"缺少 {source.year} 年依申请公开登记台账，年报表三、表四显示为缺失",
            f"建立 content/{dept.slug}/applications/{source.year}.csv；全年没有申请时只写列名一行。",
            dept=dept.slug,
        )
    # parsed on every check, as a report has no entry in the check cache (its links are not read)
    raw_html = markdown.parsed_scan(source.body)[1] if "<" in source.body else []
    for html in raw_html:  # shown as text, an HTML comment included: no hidden text in a report
        excerpt = html.text if len(html.text) <= 40 else html.text[:39] + "…"
        yield Finding(
            "FMT008", source.file, source.body_line + html.line, f"年报正文含原始 HTML：{excerpt}", dept=dept.slug
        )
    _, unknown = narrative(source)
    for line, heading in unknown:
        yield Finding(
            "FMT002",
            source.file,
            line,
            f"二级标题“{heading}”不是年报的章节，其下内容不会显示",
            f"年报正文的二级标题只用：{'、'.join(NARRATIVE)}。",
            severity=WARN,
            dept=dept.slug,
        )


def check(site: Site) -> list[Finding]:
    findings: list[Finding] = []
    for dept in site.departments.values():
        findings.extend(_rep001(dept))
        findings.extend(_rep002(dept))
        for source in dept.reports.values():
            if source.loaded:
                findings.extend(_report_source(dept, source))
    return findings
