"""Load stage: each department's application registers and annual-report sources.

- `applications/<year>.csv` (UTF-8, first row the column names) or `applications/<year>.xlsx`
  (first sheet, first row the column names): one row per application. Column names may be
  the spec's keys (id, received, …) or their Chinese names (编号, 收到日期, …).
- `reports/<year>.md`: front matter with the hand-entered figures, body with the narrative.

A file or row that cannot be read is a finding with its file and line (FMT001 for a file,
FMT002 for a row) and is left out; the register remembers how many rows it lost, so the
report says its counts are incomplete rather than inventing numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Iterator


from .. import load, yamlsrc
from ..findings import Finding
from ..model import Application, Department, Register, ReportSource
from ..rules import WARN

APPLICATIONS, REPORTS = "applications", "reports"
YEAR_FILE = re.compile(r"^(?P<year>(?:19|20)\d{2})\.(?P<ext>csv|xlsx|md)$")
COLUMNS = {  # key → Chinese name (content spec, "Application register")
    "id": "编号", "received": "收到日期", "applicant": "申请人类型", "result": "办理结果",
    "closed": "办结日期", "extended": "延期", "reconsideration": "行政复议", "litigation": "行政诉讼",
}
REQUIRED_COLUMNS = ("id", "received", "applicant", "result", "closed")
YES = {"是", "yes", "y", "true", "1"}
NO = {"", "否", "no", "n", "false", "0"}
LOOSE_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class RowError(ValueError):
    """A register cell that cannot be read; the message is in Chinese."""


def _date(value: Any, column: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    match = LOOSE_DATE.match(text.split(" ")[0])
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups()))
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise RowError(f"{COLUMNS[column]}（{column}）不是有效日期：“{text}”")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _row(dept: str, year: int, rel: str, line: int, cells: dict[str, Any]) -> Application:
    received = _date(cells.get("received"), "received")
    if received is None:
        raise RowError("缺少收到日期（received）")
    ident = _text(cells.get("id"))
    if not ident:
        raise RowError("缺少编号（id）")
    extended = _text(cells.get("extended")).lower()
    if extended not in YES | NO:
        raise RowError(f"延期（extended）应为“是”或留空，实际为“{extended}”")
    return Application(dept, year, rel, line, ident, received, _text(cells.get("applicant")),
                       _text(cells.get("result")), _date(cells.get("closed"), "closed"), extended in YES,
                       _text(cells.get("reconsideration")), _text(cells.get("litigation")))


def _header(names: list[Any]) -> dict[int, str] | str:
    """Column index → key, or the Chinese text of what is missing."""
    by_name = {**{k: k for k in COLUMNS}, **{v: k for k, v in COLUMNS.items()}}
    normal = [_text(n).lower() if _text(n).isascii() else _text(n) for n in names]
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

        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
        findings.append(Finding("FMT001", rel, 1, f"无法读取 Excel 台账：{type(exc).__name__}",
                                "用 Excel 或 WPS 另存为 .xlsx 格式后重新提交。", dept=dept))
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
    header = next(rows, None)
    keys = _header(header[1]) if header else "全部列"
    if isinstance(keys, str):
        findings.append(Finding("FMT002", rel, 1, f"台账缺少列：{keys}",
                                "第一行写列名：id,received,applicant,result,closed,extended,reconsideration,litigation"
                                "（或对应的中文列名）。", dept=dept.slug))
        register.unreadable = max(1, sum(1 for _ in rows))
        return register
    seen: dict[str, int] = {}
    for line, cells in rows:
        if all(_text(c) == "" for c in cells):
            continue
        values = {key: cells[i] for i, key in keys.items() if i < len(cells)}
        try:
            row = _row(dept.slug, year, rel, line, values)
            if row.id in seen:
                raise RowError(f"编号 {row.id} 与第 {seen[row.id]} 行重复")
        except RowError as exc:
            findings.append(Finding("FMT002", rel, line, f"台账行无法读取：{exc}，本行未计入年报",
                                    "按《内容格式》填写该行：编号必填且不重复，日期写成 YYYY-MM-DD。", dept=dept.slug))
            register.unreadable += 1
            continue
        seen[row.id] = line
        register.rows.append(row)
    return register


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
    return ReportSource(year, rel, parsed.data or {}, parsed, body, body_line)


def _year_files(folder: Path, root: Path, exts: tuple[str, ...], findings: list[Finding],
                dept: str) -> Iterator[tuple[int, Path]]:
    if not folder.is_dir():
        return
    content = root / load.CONTENT
    if folder.is_symlink():  # never listed: a register or report is only read where it is written
        rel = folder.relative_to(root).as_posix()
        findings.append(load.link_out(rel, "目录", dept) if not load.inside(folder, content, strict=True) else
                        Finding("FMT007", rel, 1, "目录是符号链接，已拒绝读取：台账和年报必须放在本部门真实的目录中",
                                load.LINK_FIX, dept=dept))
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
            findings.append(Finding("FMT002", rel, 1, f"文件名应为 <年份>.{'/'.join(exts)}，该文件已忽略",
                                    f"把文件改名为四位年份加扩展名，例如 2025.{exts[0]}。", severity=WARN, dept=dept))
            continue
        year = int(match["year"])
        if year in years:
            findings.append(Finding("FMT002", rel, 1, f"{year} 年已有 {years[year].name}，本文件已忽略",
                                    "每年只保留一个台账文件（.csv 或 .xlsx）。", dept=dept))
            continue
        years[year] = path
        yield year, path


def load_sources(dept: Department, root: Path, findings: list[Finding]) -> None:
    """Fill `dept.registers` and `dept.reports` from its applications/ and reports/ folders."""
    for year, path in _year_files(dept.folder / APPLICATIONS, root, ("csv", "xlsx"), findings, dept.slug):
        dept.registers[year] = load_register(path, year, dept, root, findings)
    for year, path in _year_files(dept.folder / REPORTS, root, ("md",), findings, dept.slug):
        dept.reports[year] = load_report(path, year, root, findings, dept.slug)
