"""The three tables of the national template, computed from the records and the register.

Table 二 counts the department's 规章 and 行政规范性文件 among its records (whatever their
publicity: counts are public, texts are not) and takes the other figures from the front
matter of reports/<year>.md. Tables 三 and 四 count the rows of applications/<year>.*:

- 一、本年新收: received in the year;
- 二、上年结转: received earlier and still open on 1 January (carried into this year's register);
- 三、本年度办理结果: closed in the year, by result and applicant type; （七）总计 their sum;
- 四、结转下年度继续办理: open on 31 December;
- table 四: the 行政复议 and 行政诉讼 of the applications closed in the year.

A number that cannot be computed is None and named in `missing`; nothing is guessed.
The template's own check, 一 + 二 = （七）总计 + 四 for every column, is verified before a
report is returned (`UnbalancedTable`, a bug, if it fails).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import Department, Record, Register, ReportSource, Site
from ..schema import ReportFigures, as_date
from . import rows
from .template import (
    APPLICANTS,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    DIRECT_SUIT,
    FEES,
    FIGURES,
    IN_FORCE,
    ISSUED,
    NARRATIVE,
    OUTCOME_COLUMNS,
    OUTCOMES,
    RECEIVED_ROW,
    RECONSIDERATION,
    REGULATION_TYPES,
    REPEALED,
    RESULTS,
    RESULTS_TOTAL_ROW,
    SUIT_AFTER_REVIEW,
    TOTAL,
    FigureRow,
    title,
)

Number = int | Decimal
COLUMNS = (*APPLICANTS, TOTAL)
HEADING = re.compile(r"^##\s+(?P<text>.+?)\s*#*\s*$")
REPEAL_STATUSES = ("已废止", "已失效")


class UnbalancedTable(Exception):
    """A computed table fails the template's own arithmetic check: a bug (exit 3), never shown as a report."""


class FigureError(ValueError):
    """A hand-entered figure of the wrong type; the message is in Chinese."""


def _zeros(columns: tuple[str, ...]) -> dict[str, int]:
    return dict.fromkeys(columns, 0)


@dataclass
class Table2:
    regulations: dict[str, dict[str, int]]  # 规章 / 行政规范性文件 → 本年制发 / 本年废止 / 现行有效
    figures: dict[str, Number | None]  # front-matter key → value; None when missing


@dataclass
class Table3:
    rows: dict[str, dict[str, int]]  # row key (row label, or a register result value) → column → count

    def unbalanced(self) -> list[str]:
        """Columns where 一 + 二 differs from （七）总计 + 四 (the template's check)."""
        return [
            c
            for c in COLUMNS
            if self.rows[RECEIVED_ROW][c] + self.rows[CARRIED_IN_ROW][c]
            != self.rows[RESULTS_TOTAL_ROW][c] + self.rows[CARRIED_OUT_ROW][c]
        ]


@dataclass
class Table4:
    blocks: dict[str, dict[str, int]]  # 行政复议 / 未经复议直接起诉 / 复议后起诉 → column → count


@dataclass
class AnnualReport:
    dept: str  # department slug; empty for the site summary
    name: str  # 机关全称 (the site's title for the summary)
    year: int
    table2: Table2
    table3: Table3 | None  # None without a register
    table4: Table4 | None
    narrative: dict[str, str] = field(default_factory=dict)  # section title → Markdown
    missing: list[str] = field(default_factory=list)  # what could not be computed, in Chinese
    left_out: int = 0  # register rows that could not be counted (FMT002, REP001)
    parts: list["AnnualReport"] = field(default_factory=list)  # the site summary's department reports
    charged: Decimal | None = None  # 信息处理费 charged on the applications closed in the year (元); None: no register
    published: dt.date | None = None  # the date the report went on the site (front matter), its PubDate

    @property
    def charged_text(self) -> str:
        """The fees charged as section 六 states them, e.g. 本年度收取信息处理费 0 元."""
        if self.charged is None:
            return ""
        amount = format(self.charged.normalize(), "f") if self.charged else "0"
        return f"本年度依申请提供政府信息收取信息处理费 {amount} 元（《条例》第四十二条）。"

    @property
    def title(self) -> str:
        return title(self.name, self.year) + ("" if self.dept else "汇总")


# --- table 二 -------------------------------------------------------------------------------

FIGURE_PROBLEMS = {  # schema.ReportFigures' problem codes
    "number": "{key}（{label}）应为数字，实际为 {value!r}",
    "amount": "{key}（{label}，万元）应为数字，实际为 {value!r}",
    "negative": "{key}（{label}，万元）应为非负数，实际为 {value!r}",
    "count": "{key}（{label}）应为非负整数（件数），实际为 {value!r}",
}


def read_figure(meta: dict[str, Any], row: FigureRow) -> Number | None:
    """The figure of `row` in a report's front matter; None when absent, FigureError when wrong."""
    value = meta.get(row.key)
    kind = ReportFigures.keys[row.key].kind
    for code in kind.check(value):
        raise FigureError(FIGURE_PROBLEMS[code].format(key=row.key, label=row.label, value=value))
    figure: Number | None = kind.read(value)
    return figure


def _regulations(records: list[Record], year: int) -> dict[str, dict[str, int]]:
    end = dt.date(year, 12, 31)
    counts = {kind: _zeros((ISSUED, REPEALED, IN_FORCE)) for kind in REGULATION_TYPES}
    for record in records:
        kind = record.doc_type
        written = record.date("written")
        if not record.loaded or kind not in counts or written is None:
            continue
        changed = record.date("status_date")
        if written.year == year:
            counts[kind][ISSUED] += 1
        if record.status in REPEAL_STATUSES and changed and changed.year == year:
            counts[kind][REPEALED] += 1
        ended = record.status != "现行有效" and (changed is None or changed <= end)
        if written <= end and not ended:
            counts[kind][IN_FORCE] += 1
    return counts


def table2(records: list[Record], source: ReportSource, missing: list[str]) -> Table2:
    figures: dict[str, Number | None] = {}
    for row in FIGURES:
        try:
            figures[row.key] = read_figure(source.meta, row)
        except FigureError:
            figures[row.key] = None
        if figures[row.key] is None:
            missing.append(f"{row.label}（未填报）")
    return Table2(_regulations(records, source.year), figures)


# --- tables 三 and 四 ------------------------------------------------------------------------


def table3(register: Register) -> Table3:
    year = register.year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    keys = (RECEIVED_ROW, CARRIED_IN_ROW, *RESULTS, RESULTS_TOTAL_ROW, CARRIED_OUT_ROW)
    table = {key: _zeros(COLUMNS) for key in keys}

    def count(key: str, applicant: str) -> None:
        table[key][applicant] += 1
        table[key][TOTAL] += 1

    for row in register.rows:
        if rows.problems(row):
            continue
        count(RECEIVED_ROW if row.received >= start else CARRIED_IN_ROW, row.applicant)
        if row.closed and row.closed <= end:
            count(row.result, row.applicant)
            count(RESULTS_TOTAL_ROW, row.applicant)
        else:
            count(CARRIED_OUT_ROW, row.applicant)
    result = Table3(table)
    if result.unbalanced():
        raise UnbalancedTable(f"{register.file}：一+二 ≠ （七）总计+四（{'、'.join(result.unbalanced())}）")
    return result


def charged(register: Register) -> Decimal:
    """The 信息处理费 of the applications closed in the register's year (元)."""
    total = Decimal(0)
    for row in register.rows:
        if (
            not rows.problems(row)
            and row.fee is not None
            and row.closed is not None
            and row.closed.year == register.year
        ):
            total += row.fee
    return total


def table4(register: Register) -> Table4:
    end = dt.date(register.year, 12, 31)
    blocks = {key: _zeros(OUTCOME_COLUMNS) for key in (RECONSIDERATION, DIRECT_SUIT, SUIT_AFTER_REVIEW)}
    for row in register.rows:
        if rows.problems(row) or row.closed is None or row.closed > end:
            continue
        cells = []
        if row.reconsideration:
            cells.append((RECONSIDERATION, OUTCOMES[row.reconsideration]))
        suit = rows.litigation(row)
        if suit:
            cells.append(suit)
        for block, column in cells:
            blocks[block][column] += 1
            blocks[block][TOTAL] += 1
    return Table4(blocks)


# --- narrative -----------------------------------------------------------------------------


def narrative(source: ReportSource) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """(section title → Markdown, [(line, heading)] of level-2 headings that are no section)."""
    sections: dict[str, list[str]] = {}
    unknown: list[tuple[int, str]] = []
    current: list[str] | None = None
    for offset, line in enumerate(source.body.split("\n")):
        match = HEADING.match(line)
        if match:
            text = match["text"]
            section = NARRATIVE.get(text) or (text if text in NARRATIVE.values() else None)
            if section is None:
                unknown.append((source.body_line + offset, text))
                current = None
            else:
                current = sections.setdefault(section, [])
            continue
        if current is not None:
            current.append(line)
    return {title: "\n".join(lines).strip() for title, lines in sections.items()}, unknown


# --- reports -------------------------------------------------------------------------------


def department_report(site: Site, dept: Department, year: int) -> AnnualReport:
    source = dept.reports[year]
    missing: list[str] = []
    records = [r for r in site.records if r.dept == dept.slug]
    t2 = table2(records, source, missing)
    register = dept.registers.get(year)
    t3 = t4 = None
    left_out = 0
    if register is None:
        missing.append("依申请公开登记台账（未建立），表三、表四无法计算")
    else:
        t3, t4 = table3(register), table4(register)
        left_out = register.unreadable + sum(1 for row in register.rows if rows.problems(row))
        if left_out:
            missing.append(f"依申请公开登记台账中有 {left_out} 行无法计入，表三、表四不完整")
    sections, _ = narrative(source)
    fees = charged(register) if register is not None else None
    published = as_date(source.meta.get("published"))
    return AnnualReport(
        dept.slug, dept.name, year, t2, t3, t4, sections, missing, left_out, charged=fees, published=published
    )


def _sum(tables: list[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    total = {key: dict(columns) for key, columns in tables[0].items()}
    for table in tables[1:]:
        for key, columns in table.items():
            for column, value in columns.items():
                total[key][column] += value
    return total


def site_report(name: str, year: int, parts: list[AnnualReport], absent: list[str]) -> AnnualReport:
    """The departments' reports of `year` added up; a figure missing in any of them is missing here."""
    missing = [f"{name}未提交 {year} 年度报告，未计入汇总" for name in absent]
    figures: dict[str, Number | None] = {}
    for row in FIGURES:
        values = [p.table2.figures[row.key] for p in parts]
        lacking = [p.name for p, v in zip(parts, values) if v is None]
        figures[row.key] = None if lacking else sum(values, start=Decimal(0) if row is FEES else 0)  # type: ignore[arg-type]
        if lacking:
            missing.append(f"{row.label}（{'、'.join(lacking)}未填报）")
    t2 = Table2(_sum([p.table2.regulations for p in parts]), figures)
    lacking = [p.name for p in parts if p.table3 is None or p.table4 is None]
    t3 = t4 = None
    if lacking:
        missing.append(f"表三、表四（{'、'.join(lacking)}缺少依申请公开登记台账）")
    else:
        t3 = Table3(_sum([p.table3.rows for p in parts if p.table3]))
        t4 = Table4(_sum([p.table4.blocks for p in parts if p.table4]))
        if t3.unbalanced():
            raise UnbalancedTable(f"{year} 年汇总：一+二 ≠ （七）总计+四")
    left_out = sum(p.left_out for p in parts)
    if left_out:
        missing.append(f"各部门台账中共有 {left_out} 行无法计入，表三、表四不完整")
    fees = None if any(p.charged is None for p in parts) else sum((p.charged or Decimal(0) for p in parts), Decimal(0))
    dates = [p.published for p in parts if p.published]
    published = max(dates) if dates else None
    return AnnualReport("", name, year, t2, t3, t4, {}, missing, left_out, parts, charged=fees, published=published)


def all_reports(site: Site) -> tuple[list[AnnualReport], list[AnnualReport]]:
    """(every department's reports, the site summary of every year), newest year first."""
    by_year: dict[int, list[AnnualReport]] = {}
    for dept in site.departments.values():
        for year in dept.reports:
            if dept.reports[year].loaded:
                by_year.setdefault(year, []).append(department_report(site, dept, year))
    summaries = []
    for year in sorted(by_year, reverse=True):
        present = {p.dept for p in by_year[year]}
        absent = [d.name for d in site.departments.values() if d.data and d.slug not in present]
        summaries.append(site_report(site.config.title, year, by_year[year], absent))
    reports = [r for year in sorted(by_year, reverse=True) for r in by_year[year]]
    return reports, summaries
