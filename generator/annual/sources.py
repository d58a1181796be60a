"""Load stage: each department's application registers and annual-report sources.

- `applications/<year>.csv` (UTF-8, first row the column names) or `applications/<year>.xlsx`
  (first sheet, first row the column names): one row per application. Column names may be
  the spec's keys (id, received, …) or their Chinese names (编号, 收到日期, …).
- `reports/<year>.md`: front matter with the hand-entered figures, body with the narrative. A
  file there whose front matter says a 公开属性 other than 主动公开, or carries a key only a record
  has (index_no, withhold_reason, review …), is a record in the wrong folder: REP006, and it is
  no report (`loaded` False), so nothing of it is published whatever the rule's severity.

A file or row that cannot be read is a finding with its file and line (FMT001 for a file,
FMT002 for a row) and is left out; the register remembers how many rows it lost, so the
report says its counts are incomplete rather than inventing numbers. The columns, their kinds
and which must be filled are declared in generator/schema.py (`ApplicationRow`).

`load_all` runs after load.load_site (pipeline.py), so this module reads files with load.py's
helpers and load.py does not know it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Iterator

from .. import limits, load, yamlsrc
from ..findings import Finding
from ..model import Application, Department, Register, ReportSource, Site
from ..rules import WARN
from ..schema import ApplicationRow, Problem, RecordFront, ReportFigures, cell

APPLICATIONS, REPORTS = "applications", "reports"
YEAR_FILE = re.compile(r"^(?P<year>(?:19|20)\d{2})\.(?P<ext>csv|xlsx|md)$")
COLUMNS = {name: key.label for name, key in ApplicationRow.keys.items()}  # key → Chinese name
REQUIRED_COLUMNS = tuple(name for name, key in ApplicationRow.keys.items() if key.column)
ROW_CHECKS = (
    "received",
    "id",
    "extended",
    "closed",
    "correction_requested",
    "correction_received",
    "consulted_from",
    "consulted_to",
    "suspended_from",
    "suspended_to",
    "fee",
)  # what makes a row
# unreadable, in the order it is said
# The keys of a record's front matter a report's has not: one of them in reports/<year>.md is a
# record put in the wrong folder (publicity is judged by its value: 主动公开 is what a report is).
RECORD_ONLY = tuple(key for key in RecordFront.keys if key not in ReportFigures.keys and key != "publicity")
REPORT_PUBLICITY = "主动公开"
# A cell longer than limits.cell_chars is a finding on its row, not the csv module's error (whose
# own limit is 131,072 characters); the file itself is at most limits.file_mb.
csv.field_size_limit(2**31 - 1)


class RowError(ValueError):
    """A register cell that cannot be read; the message is in Chinese."""


def _row_problem(problem: Problem) -> str:
    key, written = problem.key, cell(problem.value)
    if problem.code == "yesno":
        return f"{key.label}（{key.name}）应为“是”或留空，实际为“{written.lower()}”"
    if problem.code in ("number", "amount", "negative"):
        return f"{key.label}（{key.name}）应为非负数（元），实际为“{written}”"
    return f"{key.label}（{key.name}）不是有效日期：“{written}”"


def _row(dept: str, year: int, rel: str, line: int, cells: dict[str, Any]) -> Application:
    problems = {problem.key.name: problem for problem in ApplicationRow.problems(cells)}
    for name in ROW_CHECKS:
        key = ApplicationRow.keys[name]
        if name in problems:
            raise RowError(_row_problem(problems[name]))
        if key.required and key.kind.read(cells.get(name)) in (None, ""):
            raise RowError(f"缺少{key.label}（{name}）")
    values = {name: key.kind.read(cells.get(name)) for name, key in ApplicationRow.keys.items()}
    return Application(dept, year, rel, line, **values)


def _header(names: list[Any]) -> dict[int, str] | str:
    """Column index → key, or the Chinese text of what is missing."""
    by_name = {**{k: k for k in COLUMNS}, **{v: k for k, v in COLUMNS.items()}}
    normal = [cell(n).lower() if cell(n).isascii() else cell(n) for n in names]
    keys = {i: by_name[n] for i, n in enumerate(normal) if n in by_name}
    missing = [f"{k}（{COLUMNS[k]}）" for k in REQUIRED_COLUMNS if k not in keys.values()]
    return "、".join(missing) if missing else keys


def _csv_rows(path: Path, rel: str, findings: list[Finding], dept: str) -> Iterator[tuple[int, list[Any]]] | None:
    text = load.read_text(path, rel, findings, dept)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        start = 1
        for cells in reader:
            yield start, list(cells)
            start = reader.line_num + 1

    return rows()


def _xlsx_rows(path: Path, rel: str, findings: list[Finding], dept: str) -> Iterator[tuple[int, list[Any]]] | None:
    raw = load.read_bytes(path, rel, findings, dept)
    if raw is None:
        return None
    try:
        from openpyxl import load_workbook  # only for a site that keeps a register as .xlsx

        from ..officefiles import Unreadable, check_zip

        try:
            check_zip(io.BytesIO(raw), "Excel")  # no zip bomb is unpacked
        except Unreadable as exc:
            findings.append(Finding("FMT001", rel, 1, f"无法读取 Excel 台账：{exc.message}", exc.fix, dept=dept))
            return None
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
        findings.append(
            Finding(
                "FMT001",
                rel,
                1,
                f"无法读取 Excel 台账：{type(exc).__name__}",
                "用 Excel 或 WPS 另存为 .xlsx 格式后重新提交。",
                dept=dept,
            )
        )
        return None
    try:
        rows = [(n, list(cells)) for n, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), 1)]
    finally:
        book.close()
    return iter(rows)


def load_register(path: Path, year: int, dept: Department, root: Path, findings: list[Finding]) -> Register:
    rel = path.relative_to(root).as_posix()
    register = Register(year, rel)
    reader = _csv_rows if path.suffix == ".csv" else _xlsx_rows
    rows = reader(path, rel, findings, dept.slug)
    if rows is None:
        register.unreadable = 1
        return register
    try:
        header = next(rows, None)
    except csv.Error as exc:
        findings.append(_csv_error(rel, 1, exc, dept.slug))
        register.unreadable = 1
        return register
    keys = _header(header[1]) if header else "全部列"
    if isinstance(keys, str):
        findings.append(
            Finding(
                "FMT002",
                rel,
                1,
                f"台账缺少列：{keys}",
                "第一行写列名：id,received,applicant,result,closed,extended,reconsideration,litigation"
                "（或对应的中文列名）。",
                dept=dept.slug,
            )
        )
        register.unreadable = max(1, sum(1 for _ in rows))
        return register
    seen: dict[str, int] = {}
    cap = limits.active().cell_chars
    line = 1
    try:
        for line, cells in rows:
            _add_row(register, rel, line, cells, keys, seen, cap, dept, year, findings)
    except csv.Error as exc:  # a NUL character, an unclosed quote at the end …: the rest is unread
        findings.append(_csv_error(rel, line + 1, exc, dept.slug))
        register.unreadable += 1
    return register


def _csv_error(rel: str, line: int, exc: csv.Error, dept: str) -> Finding:
    why = "含有空字符（NUL）" if "NUL" in str(exc) else "不是有效的 CSV 格式（例如引号没有配对）"
    return Finding(
        "FMT001",
        rel,
        line,
        f"台账从第 {line} 行起{why}，无法读取，其后各行未计入年报",
        "用 Excel 或 WPS 打开台账，另存为“CSV UTF-8（逗号分隔）”后重新提交。",
        dept=dept,
    )


def _add_row(
    register: Register,
    rel: str,
    line: int,
    cells: list[Any],
    keys: dict[int, str],
    seen: dict[str, int],
    cap: int,
    dept: Department,
    year: int,
    findings: list[Finding],
) -> None:
    """One register row into `register`, or an FMT002 finding naming its line."""
    if all(cell(c) == "" for c in cells):
        return
    values = {key: cells[i] for i, key in keys.items() if i < len(cells)}
    try:
        long = next(((i, n) for i, c in enumerate(cells) if (n := len(cell(c))) > cap), None)
        if long is not None:
            raise RowError(f"第 {long[0] + 1} 列有 {long[1]} 个字，超过 {cap} 字的上限（site.yaml limits.cell_chars）")
        row = _row(dept.slug, year, rel, line, values)
        if row.id in seen:
            raise RowError(f"编号 {row.id} 与第 {seen[row.id]} 行重复")
    except RowError as exc:
        findings.append(
            Finding(
                "FMT002",
                rel,
                line,
                f"台账行无法读取：{exc}，本行未计入年报",
                "按《内容格式》填写该行：编号必填且不重复，日期写成 YYYY-MM-DD。",
                dept=dept.slug,
            )
        )
        register.unreadable += 1
        return
    seen[row.id] = line
    register.rows.append(row)


def load_report(path: Path, year: int, root: Path, findings: list[Finding], dept: str) -> ReportSource:
    rel = path.relative_to(root).as_posix()
    source = ReportSource(year, rel, {}, yamlsrc.Parsed({}), "", 1, loaded=False)
    text = load.read_text(path, rel, findings, dept)
    if text is None:
        return source
    split = load.split_front_matter(text)
    if split is None:  # no figures at all: the narrative alone, REP003 names what is missing
        source.body, source.loaded = text, True
        return source
    front, body, body_line = split
    parsed = load.parse_front_matter(front, rel, dept, findings)
    if parsed is None:
        return source
    source = ReportSource(year, rel, parsed.data or {}, parsed, body, body_line)
    misplaced = _misplaced_record(source, dept)
    if misplaced is not None:  # a record, maybe withheld: no report, nothing of it published
        findings.append(misplaced)
        source.loaded = False
    return source


def _misplaced_record(source: ReportSource, dept: str) -> Finding | None:
    """REP006 when the front matter says a 公开属性 other than 主动公开 or has a record's keys."""
    problems: list[str] = []
    lines: list[int] = []
    # each key by the record key it reads as (schema.key_skeleton: `Publicity`, `公开属性` …), the
    # report's own keys aside
    read = {key: RecordFront.reads_as(key) for key in source.meta if key not in ReportFigures.keys}
    for key in (key for key, name in read.items() if name == "publicity"):
        value = source.meta[key]
        if not (isinstance(value, str) and value.strip() == REPORT_PUBLICITY):
            shown = cell(value).strip() if value not in (None, "") else "（空）"
            problems.append(f"公开属性 {key} 为“{shown[:20]}”（年度报告只能主动公开）")
            lines.append(source.line_of(key))
    keys = [str(key) for key, name in read.items() if name in RECORD_ONLY]
    if keys:
        named = "、".join(f"{key}（{RecordFront.keys[str(read[key])].label}）" for key in keys[:6])
        problems.append(f"有记录才有的键 {named}{' 等' if len(keys) > 6 else ''}")
        lines.append(source.line_of(keys[0]))
    if not problems:
        return None
    return Finding(
        "REP006",
        source.file,
        min(lines),
        f"年报文件的前置元数据中{'，'.join(problems)}：这像是一条记录放错了目录，"
        "该文件不作为年度报告，其中任何内容都不发布",
        dept=dept,
    )


def _year_files(
    folder: Path, root: Path, exts: tuple[str, ...], findings: list[Finding], dept: str
) -> Iterator[tuple[int, Path]]:
    if not folder.is_dir():
        return
    content = root / load.CONTENT
    if folder.is_symlink():  # never listed: a register or report is only read where it is written
        rel = folder.relative_to(root).as_posix()
        findings.append(
            load.link_out(rel, "目录", dept)
            if not load.inside(folder, content, strict=True)
            else Finding(
                "FMT007",
                rel,
                1,
                "目录是符号链接，已拒绝读取：台账和年报必须放在本部门真实的目录中",
                load.LINK_FIX,
                dept=dept,
            )
        )
        return
    years: dict[int, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("_", ".")) or path.is_dir():
            continue
        match = YEAR_FILE.match(path.name)
        rel = path.relative_to(root).as_posix()
        if match is not None and match["ext"] in exts:
            real = load.contained(path, rel, content, findings, "文件", dept, follow=False)
            if real is None:
                continue
        if match is None or match["ext"] not in exts:
            findings.append(
                Finding(
                    "FMT002",
                    rel,
                    1,
                    f"文件名应为 <年份>.{'/'.join(exts)}，该文件已忽略",
                    f"把文件改名为四位年份加扩展名，例如 2025.{exts[0]}。",
                    severity=WARN,
                    dept=dept,
                )
            )
            continue
        year = int(match["year"])
        if year in years:
            findings.append(
                Finding(
                    "FMT002",
                    rel,
                    1,
                    f"{year} 年已有 {years[year].name}，本文件已忽略",
                    "每年只保留一个台账文件（.csv 或 .xlsx）。",
                    dept=dept,
                )
            )
            continue
        years[year] = path
        yield year, path


def load_all(site: Site) -> list[Finding]:
    """Every department's registers and report sources, into the loaded `site`; the findings."""
    findings: list[Finding] = []
    for dept in site.departments.values():
        load_sources(dept, site.root, findings)
    return findings


def load_sources(dept: Department, root: Path, findings: list[Finding]) -> None:
    """Fill `dept.registers` and `dept.reports` from its applications/ and reports/ folders."""
    for year, path in _year_files(dept.folder / APPLICATIONS, root, ("csv", "xlsx"), findings, dept.slug):
        dept.registers[year] = load_register(path, year, dept, root, findings)
    for year, path in _year_files(dept.folder / REPORTS, root, ("md",), findings, dept.slug):
        dept.reports[year] = load_report(path, year, root, findings, dept.slug)
