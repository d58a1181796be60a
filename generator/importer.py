"""`disclosure import`: the catalogue export of a previous CMS becomes records.

A CSV (UTF-8 with or without BOM, or GB18030) or XLSX file, one row per document, is read
in full and every row judged first; the rows that can be taken then get index numbers
(the department's next free serials per year, in order of publication) and are written as
`content/<dept>/<year>-<serial>.md`, never over an existing file. Every row is accounted
for: it is imported, or reported with its line and the reason. Every column is accounted for
too: one the import does not use is named in a note on stderr.

A row's 公开属性 comes from its publicity column when the export has one (公开属性, publicity,
--publicity-column): a row is never written as 主动公开 when its column says otherwise, and a row
whose 公开属性 is empty, unknown, 删减后公开 or 脱密后公开 (each needs a person's work) or lacks the
reason a withheld row needs is skipped with its line, never imported as public.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from . import progress, scaffold, yamlsrc
from .config import SiteConfig
from .load import load_site
from .model import Record, as_date
from .validate import doc_no_problem  # the same test as FMT004

try:  # libyaml is much faster; the pure-Python dumper writes the same YAML
    _SafeDumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeDumper = yaml.SafeDumper


class _Dumper(_SafeDumper):  # type: ignore[misc, valid-type]
    """Every value written out in full: no &anchors and *aliases for a date used twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class ImportUsageError(scaffold.ScaffoldError):
    """The import cannot start (exit 2): unknown department or column, unreadable file, bad option."""


@dataclass(frozen=True)
class Column:
    key: str  # the record key it fills
    label: str  # 中文 name, for messages
    headers: tuple[str, ...]  # header names recognised without an option, in order of preference
    option: str = ""  # the option naming the column, when not --<key with _ as ->

    @property
    def flag(self) -> str:
        return "--" + (self.option or self.key.replace("_", "-"))


# The columns an export may carry: --<key with _ as -> COL names the column; otherwise the
# first header found among `headers` (the spec's key, then common Chinese names) is used.
COLUMNS = (
    Column("title", "标题", ("title", "标题", "名称", "文件名称", "信息名称", "公开事项名称")),
    Column("written", "成文日期", ("written", "成文日期", "成文时间")),
    Column("published", "发布日期", ("published", "发布日期", "发布时间", "公开日期", "公开时间")),
    Column("doc_no", "文号", ("doc_no", "文号", "发文字号", "发文文号")),
    Column("category", "信息分类", ("category", "信息分类", "分类", "所属分类", "栏目")),
    Column("body", "正文", ("body", "正文", "内容", "正文内容")),
    Column("url", "原文链接", ("url", "链接", "网址", "原文链接", "原文地址")),
    Column("publisher", "发布机构", ("publisher", "发布机构", "发文机关")),
    Column("summary", "内容概述", ("summary", "内容概述", "摘要", "内容摘要")),
    Column("doc_type", "文种", ("doc_type", "文种")),
    # --publicity and --withhold-reason are the values for rows without one (they came first)
    Column("publicity", "公开属性", ("publicity", "公开属性", "公开方式", "公开类型"), "publicity-column"),
    Column(
        "withhold_reason",
        "不予公开理由",
        ("withhold_reason", "不予公开理由", "不公开理由", "不予公开依据"),
        "withhold-reason-column",
    ),
)
PUBLICITIES = ("主动公开", "依申请公开", "不予公开")  # 删减后公开/脱密后公开 need a person's work per record
PER_RECORD = ("删减后公开", "脱密后公开")
NOT_PUBLISHED = ("依申请公开", "不予公开")
OPINION_OF = {"主动公开": "主动公开", "依申请公开": "依申请公开", "不予公开": "免予公开"}
SUMMARY_MAX = 100
SHOWN_FROM = 200  # rows: an import shows its bar from here on a terminal (each row is checked and written)

DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
NAME_SEPARATORS = re.compile(r"[,，、;；]")


@dataclass
class Settings:
    """What the command line asked for, checked."""

    file: Path
    dept: str
    columns: dict[str, str | None] = field(default_factory=dict)  # key → explicit column name
    category_default: str | None = None
    publicity: str | None = None  # --publicity, for rows without a publicity column or cell (None: 主动公开)
    withhold_reason: str | None = None
    review: tuple[str, str, str] | None = None  # drafter, checker, approver
    written_from_published: bool = False
    dry_run: bool = False


@dataclass
class Planned:
    line: int
    meta: dict[str, Any]  # front matter without index_no
    front: str  # the same as YAML, read back and found equal
    body: str
    year: int
    order: tuple[dt.date, int]


@dataclass
class Outcome:
    rows: int = 0
    written: list[Path] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # imported, but worth a look
    filled_written: int = 0  # rows whose 成文日期 was taken from the 发布日期
    unused: list[str] = field(default_factory=list)  # columns of the export no record takes anything from

    @property
    def imported(self) -> int:
        return len(self.planned)


# --- reading the export ---------------------------------------------------------------


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportUsageError(f"{name} 既不是 UTF-8 也不是 GB18030 编码，无法读取")


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    text = _decode(path.read_bytes(), path.name)
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportUsageError(f"{path.name} 的表头无法读取：{exc}") from None
    if header is None:
        raise ImportUsageError(f"{path.name} 是空文件，没有表头")

    def rows() -> Iterator[tuple[int, list[str]]]:
        end = reader.line_num
        while True:
            start = end + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportUsageError(
                    f"{path.name} 第 {start} 行起无法按 CSV 读取（{exc}），已停止，未写入任何文件"
                ) from None
            end = reader.line_num
            if row:  # a blank line is no row (as the csv module's DictReader has it)
                yield start, row

    return header, rows()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    import openpyxl  # only needed here

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportUsageError(f"{path.name} 不是可读取的 XLSX 文件：{exc}") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header_cells = next(values, None)
    if header_cells is None:
        raise ImportUsageError(f"{path.name} 的第一个工作表是空的，没有表头")
    header = [_cell(v) for v in header_cells]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, cells in enumerate(values, start=(sheet.min_row or 1) + 1):
            row = [_cell(v) for v in cells]
            if any(c.strip() for c in row):  # an empty sheet row is no row
                yield number, row
        book.close()

    return header, rows()


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the (line, cells) of every row; ImportUsageError when unreadable."""
    if not path.is_file():
        raise ImportUsageError(f"文件 {path} 不存在")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _xlsx_rows(path)
        return _csv_rows(path)
    except OSError as exc:
        raise ImportUsageError(f"无法读取 {path}：{exc.strerror or exc}") from None


def map_columns(header: list[str], explicit: dict[str, str | None]) -> dict[str, int]:
    """Record key → column position. An explicitly named column must exist."""
    names = [h.strip().lstrip("\ufeff").strip() for h in header]
    position = {name: i for i, name in reversed(list(enumerate(names))) if name}
    found: dict[str, int] = {}
    for column in COLUMNS:
        wanted = explicit.get(column.key)
        if wanted is not None:
            if wanted.strip() not in position:
                listed = "、".join(n for n in names if n) or "（无）"
                raise ImportUsageError(f"{column.flag} 指定的列“{wanted}”不存在；文件中的列：{listed}")
            found[column.key] = position[wanted.strip()]
            continue
        for name in column.headers:
            if name in position:
                found[column.key] = position[name]
                break
    return found


def unused_columns(header: list[str], columns: dict[str, int], table: list[tuple[int, list[str]]]) -> list[str]:
    """The columns no record takes anything from, by name (a column without a name only when it
    holds something): a note names them, so no data of the export is left behind unsaid."""
    names = [h.strip().lstrip("\ufeff").strip() for h in header]
    used = set(columns.values())
    first = {name: i for i, name in reversed(list(enumerate(names))) if name}
    found = []
    for i, name in enumerate(names):
        if i in used:
            continue
        if not name:
            if any(i < len(row) and row[i].strip() for _, row in table):
                found.append(f"第 {i + 1} 列（没有表头）")
        elif first[name] != i:
            found.append(f"{name}（第 {i + 1} 列，与第 {first[name] + 1} 列同名）")
        else:
            found.append(name)
    return found


# --- judging one row ------------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    """2023-09-26, 2023/9/26, 2023.9.26, 2023年9月26日 (a time of day is ignored); None if not a date."""
    match = DATE.fullmatch(text.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _key(doc_no: str, title: str, written: Any, published: Any) -> tuple[str, ...]:
    """What makes two rows the same document: 文号 and 标题; without a 文号 (a recurring title such
    as 国务院令 or a monthly price notice) also the two dates."""
    if doc_no:
        return ("文号", doc_no, title)
    dates = [d.isoformat() if (d := as_date(v)) else "" for v in (written, published)]
    return ("标题", title, *dates)


def _record_key(record: Record) -> tuple[str, ...]:
    doc_no = record.get("doc_no")
    return _key(
        str(doc_no).strip() if doc_no not in (None, "") else "",
        record.title,
        record.get("written"),
        record.get("published"),
    )


class Judge:
    """Turns rows into front matter, or into the reason the row cannot be taken."""

    def __init__(
        self,
        settings: Settings,
        config: SiteConfig,
        dept_name: str,
        columns: dict[str, int],
        existing: dict[tuple[str, ...], str],
        outcome: Outcome,
    ) -> None:
        self.settings, self.config, self.dept_name = settings, config, dept_name
        self.columns, self.existing, self.outcome = columns, existing, outcome
        self.header_width = 0
        self.seen: dict[tuple[str, ...], int] = {}
        leaves = list(config.leaf_categories)
        self.leaves = set(leaves)
        by_name: dict[str, list[str]] = {}
        for path in leaves:
            by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)
        self.by_name = by_name

    def value(self, row: list[str], key: str) -> str:
        i = self.columns.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    def category(self, text: str) -> tuple[str | None, str]:
        if not text:
            if self.settings.category_default:
                return self.settings.category_default, ""
            return None, "缺少信息分类，且未指定 --category-default"
        path = "/".join(part.strip() for part in text.strip("/").split("/"))
        if path in self.leaves:
            return path, ""
        named = self.by_name.get(path, [])
        if len(named) == 1:
            return named[0], ""
        if len(named) > 1:
            return None, f"信息分类“{text}”对应多个末级分类（{'、'.join(named)}），请写完整路径"
        return None, f"信息分类“{text}”不是 site.yaml 分类树中的末级分类"

    def publicity(self, row: list[str]) -> tuple[str | None, str | None, str]:
        """(公开属性, 不予公开理由, "") of the row, or (None, None, why the row cannot be taken)."""
        settings = self.settings
        if "publicity" in self.columns:
            value = self.value(row, "publicity")
            if not value:
                if settings.publicity is None:
                    return (
                        None,
                        None,
                        "公开属性为空（未标注公开属性的信息不得发布）：在文件中填写该行的公开属性，"
                        "或核实后用 --publicity 指定公开属性为空的各行",
                    )
                value = settings.publicity
        else:
            value = settings.publicity or "主动公开"
        if value in PER_RECORD:
            return (
                None,
                None,
                f"公开属性为{value}，须逐条处理（删减后公开须在正文中标出［已删减］，脱密后公开须写明解密 declassified），"
                "不能批量导入：请用 disclosure new 逐条建立",
            )
        if value not in PUBLICITIES:
            return None, None, f"公开属性“{value[:40]}”不是规定的取值（可导入：{'、'.join(PUBLICITIES)}）"
        if settings.review is None and value != "不予公开":
            return None, None, f"公开属性为{value}的信息须有保密审查人员：用 --review 写明承办人、审核人、批准人"
        reason = self.value(row, "withhold_reason")
        if value == "主动公开":
            if reason:
                return None, None, f"公开属性为主动公开，却写有不予公开理由“{reason[:40]}”：请核实该行的公开属性"
            return value, None, ""
        reason = reason or settings.withhold_reason or ""
        if not reason:
            return (
                None,
                None,
                f"公开属性为{value}，缺少不予公开理由：在理由列中填写，或用 --withhold-reason 写明法律依据",
            )
        return value, reason, ""

    def judge(self, line: int, row: list[str]) -> Planned | str:
        """The planned record, or why the row is skipped (Chinese)."""
        settings = self.settings
        if self.header_width and len(row) != self.header_width:
            return (
                f"该行有 {len(row)} 列，表头有 {self.header_width} 列（可能是未加引号的逗号或换行），无法确定各列的值"
            )
        title = self.value(row, "title")
        if not title:
            return "缺少标题（名称）"
        for key in (
            "title",
            "doc_no",
            "summary",
            "publisher",
            "category",
            "written",
            "published",
            "url",
            "doc_type",
            "publicity",
            "withhold_reason",
        ):
            text = self.value(row, key)
            label = next(c.label for c in COLUMNS if c.key == key)
            if LINE_BREAKS.search(text):
                return f"{label}含换行符：“{LINE_BREAKS.sub('⏎', text)[:60]}”"
            if CONTROL.search(text):
                return f"{label}含控制字符"
        publicity, withhold_reason, problem = self.publicity(row)
        if publicity is None:
            return problem
        dates: dict[str, dt.date | None] = {}
        for key, label in (("written", "成文日期"), ("published", "发布日期")):
            text = self.value(row, key)
            dates[key] = parse_date(text) if text else None
            if text and dates[key] is None:
                return f"{label}“{text}”不是有效日期（可写作 2023-09-26、2023/9/26 或 2023年9月26日）"
        written, published = dates["written"], dates["published"]
        filled = False
        if published is None and publicity not in NOT_PUBLISHED:
            return f"缺少发布日期（公开属性为{publicity}的记录必须有发布日期）"
        if written is None:
            if not settings.written_from_published or published is None:
                return "缺少成文日期" + (
                    ""
                    if settings.written_from_published
                    else "（源系统没有成文日期时，可用 --written-from-published 以发布日期代替）"
                )
            written, filled = published, True
        if published is not None and written > published:
            return f"成文日期 {written} 晚于发布日期 {published}"
        category, problem = self.category(self.value(row, "category"))
        if category is None:
            return problem
        doc_no = self.value(row, "doc_no")
        identity = _key(doc_no, title, written, published)
        same = "文号和标题相同" if doc_no else "没有文号，标题、成文日期和发布日期相同"
        if identity in self.existing:
            return f"与已有记录 {self.existing[identity]} 重复（{same}）"
        if identity in self.seen:
            return f"与第 {self.seen[identity]} 行重复（{same}）"
        url = self.value(row, "url")
        if url and not URL.fullmatch(url):
            return f"原文链接“{url[:80]}”不是有效的 http(s) 地址"
        summary = self.value(row, "summary")
        if len(summary) > SUMMARY_MAX:
            return f"内容概述有 {len(summary)} 个字，超过 {SUMMARY_MAX} 字"
        doc_type = self.value(row, "doc_type")
        if doc_type and doc_type not in self.config.doc_types:
            return f"文种“{doc_type}”不在 site.yaml doc_types 中"
        publisher: str | list[str] = self.dept_name
        named = self.value(row, "publisher")
        if named:
            names = [n.strip() for n in NAME_SEPARATORS.split(named) if n.strip()]
            if self.dept_name not in names:
                return f"发布机构“{named}”不是本部门“{self.dept_name}”（谁制作谁公开）"
            publisher = names if len(names) > 1 else names[0]

        meta: dict[str, Any] = {"title": title}
        if summary:
            meta["summary"] = summary
        meta["category"] = category
        if doc_type:
            meta["doc_type"] = doc_type
        meta["publisher"] = publisher
        if doc_no:
            meta["doc_no"] = doc_no
        meta["written"] = written
        if published is not None:
            meta["published"] = published
        meta["publicity"] = publicity
        if withhold_reason:
            meta["withhold_reason"] = withhold_reason
        if settings.review:
            drafter, checker, approver = settings.review
            meta["review"] = {
                "drafter": drafter,
                "opinion": OPINION_OF[publicity],
                "checker": checker,
                "approver": approver,
                "approved_on": published or written,
            }
        meta["migrated"] = True  # its 发布日期 is the previous system's, earlier than any commit here (STL015)
        body = self.value(row, "body") if "body" in self.columns else ""
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        if url:
            body = (body.rstrip() + "\n\n" if body.strip() else "") + f"原文链接：<{url}>"
        if not body.strip():
            body = "（原系统未提供正文。）"
        self.seen[identity] = line
        if filled:
            self.outcome.filled_written += 1
        if doc_no:
            if malformed := doc_no_problem(doc_no):
                self.outcome.notes.append((line, f"{malformed}；已照录，disclosure check 将以 FMT004 报告"))
        try:
            front = front_matter(meta)
        except ValueError:
            return "元数据无法原样写出为 YAML（请把该行报告给维护人员）"
        year = (published or written).year
        return Planned(line, meta, front, body, year, (published or written, line))


# --- writing --------------------------------------------------------------------------


def front_matter(meta: dict[str, Any]) -> str:
    """`meta` as YAML written by PyYAML's safe dumper (every value quoted as it needs, one line
    each), read back with the project's loader; ValueError if it would read back differently."""
    front = yaml.dump(
        meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1 << 30
    )
    if yamlsrc.parse(front, max_chars=len(front)).data != meta:  # a round trip; limits are the check's
        raise ValueError(f"元数据无法原样写出：{meta!r}")
    return front


def record_text(index_no: str, front: str, body: str) -> str:
    """The record file: the index number (plain text: ids.INDEX_NO), the front matter, the body."""
    return f"---\nindex_no: {index_no}\n{front}---\n{body.rstrip()}\n"


def _write_new(path: Path, text: str) -> bool:
    """Create `path` with `text`; False if it already exists (it is never overwritten)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    return True


def run(
    settings: Settings,
    config: SiteConfig,
    report: Callable[[str], None],
    unused_note: Callable[[str], None] | None = None,
) -> Outcome:
    """Import `settings.file` into content/<dept>/; returns what happened. Raises ImportUsageError
    before writing anything when the command cannot be carried out. `report` says what became of
    the rows; `unused_note` (default: stderr) names the columns the import leaves unused."""
    dept = scaffold.numbering_department(config, settings.dept)
    uscc = dept.uscc.strip().upper()
    if settings.category_default is not None:
        path = "/".join(part.strip() for part in settings.category_default.strip().strip("/").split("/"))
        if path not in config.leaf_categories:
            raise ImportUsageError(
                f"--category-default“{settings.category_default}”不是 site.yaml 中的末级分类，"
                f"可选：{'、'.join(config.leaf_categories)}"
            )
        settings.category_default = path
    header, rows = read_table(settings.file)
    columns = map_columns(header, settings.columns)
    if "title" not in columns:
        raise ImportUsageError(
            f"找不到标题列：请用 --title 指定；文件中的列：{'、'.join(h for h in header if h.strip())}"
        )
    default = settings.publicity or "主动公开"
    if "publicity" not in columns and default != "主动公开" and not settings.withhold_reason:
        if "withhold_reason" not in columns:
            raise ImportUsageError(f"公开属性为{default}时须用 --withhold-reason 写明不予公开理由（法律依据）")
    for key, label, needed in (
        ("published", "发布日期", "publicity" not in columns and default not in NOT_PUBLISHED),
        ("written", "成文日期", not settings.written_from_published),
    ):
        if needed and key not in columns:
            raise ImportUsageError(f"找不到{label}列：请用 --{key} 指定列名")
    if "category" not in columns and settings.category_default is None:
        raise ImportUsageError("文件中没有信息分类列：请用 --category 指定列，或用 --category-default 指定末级分类")

    site, _ = load_site(config)  # once: existing numbers and documents
    allocator = scaffold.IndexAllocator(site.records, uscc)
    existing = {_record_key(r): r.file for r in site.records if r.dept == settings.dept and r.loaded}
    outcome = Outcome()
    judge = Judge(settings, config, dept.name, columns, existing, outcome)
    judge.header_width = len(header) if settings.file.suffix.lower() not in (".xlsx", ".xlsm") else 0
    table = list(rows)  # read in full first: a file that stops being readable writes nothing
    outcome.unused = unused_columns(header, columns, table)
    if outcome.unused:
        say = unused_note or (lambda text: print(text, file=sys.stderr))
        say(
            f"注意：以下 {len(outcome.unused)} 列没有导入，其内容不会写入任何记录：{'、'.join(outcome.unused)}"
            "（需要时用列对应选项指定该列，或核实后从文件中删去）"
        )
    with progress.bar("检查各行", len(table), shown_from=SHOWN_FROM) as advance:
        for line, row in table:
            outcome.rows += 1
            result = judge.judge(line, row)
            if isinstance(result, str):
                outcome.skipped.append((line, result))
            else:
                outcome.planned.append(result)
            advance(1)
    for line, reason in outcome.skipped:
        report(f"第 {line} 行：跳过，{reason}")
    for line, note in outcome.notes:
        report(f"第 {line} 行：注意，{note}")
    writing = "写入记录" if not settings.dry_run else "分配索引号"
    with progress.bar(writing, len(outcome.planned), shown_from=SHOWN_FROM) as advance:
        _write(outcome, settings, dept.folder, allocator, advance)
    return outcome


def _write(
    outcome: Outcome,
    settings: Settings,
    folder: Path,
    allocator: scaffold.IndexAllocator,
    advance: progress.Advance,
) -> None:
    """Number the planned records in order of publication and write them, never over a file."""
    for item in sorted(outcome.planned, key=lambda p: p.order):
        while True:
            index_no = allocator.take(item.year)
            path = folder / f"{index_no.split('/', 1)[1]}.md"
            if settings.dry_run:
                if path.exists():
                    continue
                break
            try:
                if _write_new(path, record_text(index_no, item.front, item.body)):
                    outcome.written.append(path)
                    break
            except OSError as exc:
                raise ImportUsageError(
                    f"写入 {path} 失败：{exc.strerror or exc}；此前已写入 {len(outcome.written)} 条"
                ) from None
            # the file exists though no record claims its number: leave it, take the next
        item.meta = {"index_no": index_no, **item.meta}
        advance(1)


# --- command line ---------------------------------------------------------------------


def add_parser(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    func: Callable[[argparse.Namespace], int],
) -> None:
    parser = sub.add_parser(
        "import",
        help="把原系统导出的目录（CSV/XLSX）导入为记录，自动分配索引号",
        description="把原信息公开系统导出的目录表（CSV：UTF-8 或 GB18030；或 XLSX）逐行导入为 content/<部门>/ 下的记录，"
        "按发布日期顺序分配本部门各年的下一个索引号，不覆盖任何已有文件。不能导入的行逐行列出行号和原因。"
        "退出码：0 全部导入；1 有行被跳过；2 用法错误（部门或列不存在、文件无法读取）。",
    )
    parser.add_argument("file", metavar="FILE", help="导出文件（.csv 或 .xlsx）")
    parser.add_argument("--site", default=".", metavar="DIR", help="站点目录（含 site.yaml），默认当前目录")
    parser.add_argument("--dept", required=True, metavar="SLUG", help="部门目录名")
    mapping = parser.add_argument_group("列对应（默认按表头识别：规范中的键名或常见中文列名）")
    for column in COLUMNS:
        mapping.add_argument(
            column.flag,
            dest=f"col_{column.key}",
            metavar="COL",
            help=f"{column.label}所在列的表头，默认识别 {'、'.join(column.headers)}",
        )
    extra = parser.add_argument_group("导出文件缺少的信息")
    extra.add_argument(
        "--category-default",
        metavar="PATH",
        help="没有分类列或分类为空时使用的信息分类（site.yaml 中末级分类的完整路径）",
    )
    extra.add_argument(
        "--publicity",
        choices=PUBLICITIES,
        help="没有公开属性列时各行的公开属性（默认 主动公开）；有公开属性列时只用于该列为空的行",
    )
    extra.add_argument(
        "--withhold-reason",
        metavar="TEXT",
        help="不予公开理由（法律依据），用于公开属性不是主动公开、而理由列为空或没有理由列的行",
    )
    extra.add_argument(
        "--review",
        metavar="承办人,审核人,批准人",
        help="原系统中的保密审查人员（三个不同的人，逗号或顿号分隔）；批准日期取各行的发布日期",
    )
    extra.add_argument(
        "--written-from-published", action="store_true", help="成文日期为空的行以发布日期作为成文日期（默认跳过这些行）"
    )
    parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入任何文件")
    parser.set_defaults(func=func)


def settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings(
        Path(args.file),
        args.dept.strip(),
        {c.key: getattr(args, f"col_{c.key}") for c in COLUMNS},
        args.category_default,
        args.publicity,
        (args.withhold_reason or "").strip() or None,
        None,
        args.written_from_published,
        args.dry_run,
    )
    if args.review is not None:
        names = [n.strip() for n in NAME_SEPARATORS.split(args.review) if n.strip()]
        if len(names) != 3 or len(set(names)) != 3:
            raise ImportUsageError("--review 应为三个不同的人：承办人,审核人,批准人（先审查、后公开）")
        settings.review = (names[0], names[1], names[2])
    elif settings.publicity != "不予公开":  # rows a column makes public are refused one by one
        raise ImportUsageError(
            '请用 --review "承办人,审核人,批准人" 写明这些信息在原系统中的保密审查人员'
            "（三个不同的人）；批准日期取各行的发布日期"
        )
    return settings


def summary(outcome: Outcome, dry_run: bool, out: TextIO) -> None:
    by_year: dict[int, list[str]] = {}
    for item in outcome.planned:
        by_year.setdefault(item.year, []).append(item.meta.get("index_no", ""))
    for year in sorted(by_year):
        numbers = sorted(by_year[year])
        span = numbers[0] if len(numbers) == 1 else f"{numbers[0]} 至 {numbers[-1].split('/', 1)[1]}"
        print(f"{year} 年：{len(numbers)} 条，索引号 {span}", file=out)
    if outcome.filled_written:
        print(f"其中 {outcome.filled_written} 条没有成文日期，已按 --written-from-published 取发布日期", file=out)
    kinds: dict[str, int] = {}
    for item in outcome.planned:
        kinds[item.meta["publicity"]] = kinds.get(item.meta["publicity"], 0) + 1
    if set(kinds) - {"主动公开"}:
        listed = "、".join(f"{kind} {kinds[kind]} 条" for kind in PUBLICITIES if kind in kinds)
        print(f"公开属性：{listed}（依申请公开的只公开目录信息，不予公开的不公开任何内容）", file=out)
    verb = "可导入" if dry_run else "导入"
    tail = "（原因见上）" if outcome.skipped else ""
    print(f"共 {outcome.rows} 行：{verb} {outcome.imported} 条，跳过 {len(outcome.skipped)} 条{tail}", file=out)
    if dry_run:
        print("试运行（--dry-run），未写入任何文件。", file=out)
