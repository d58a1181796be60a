"""`disclosure new`: a record skeleton with the next free index number, so nobody counts serials
by hand (`disclosure import` numbers its records with the same allocator). `disclosure
codeowners` is generator/codeowners.py.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: O_EXCL alone still keeps every file
    fcntl = None  # type: ignore[assignment]

from . import ids
from .config import SiteConfig
from .errors import DisclosureError
from .load import CONTENT, load_department, load_site
from .findings import Finding
from .model import Department, Record
from .schema import Key, Publicity, RecordFront, Review


class ScaffoldError(DisclosureError):
    """The request cannot be carried out (a usage error, exit 2); the message is in Chinese."""


class IndexAllocator:
    """Index numbers of one 统一社会信用代码, handed out one past the highest serial already
    used in each year; `disclosure new` takes one, `disclosure import` many from one load."""

    def __init__(self, records: Iterable[Record], uscc: str) -> None:
        self.uscc = uscc
        self.highest: dict[int, int] = {}
        for record in records:
            match = ids.parse_index_no(record.index_no)
            if match and match["uscc"] == uscc:
                year = int(match["year"])
                self.highest[year] = max(self.highest.get(year, 0), int(match["serial"]))

    def take(self, year: int) -> str:
        """The next free index number of `year`, marked as used."""
        self.highest[year] = self.highest.get(year, 0) + 1
        return f"{self.uscc}/{year}-{self.highest[year]:05d}"


LOCK = Path(".cache") / "new.lock"  # held while an index number is chosen and its file written
MAX_TRIES = 1000  # files in the way (named like a serial, holding another number) skipped at most


@contextmanager
def allocation_lock(config: SiteConfig) -> Iterator[None]:
    """One allocation at a time per site: concurrent `disclosure new` runs see each other's files
    (taken as an exclusive flock on <site>/.cache/new.lock; released when the process ends)."""
    path = config.root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _unwritable(title: str) -> str | None:
    """The first character of `title` a one-line YAML text cannot hold as it is (a line break,
    a tab or another control, a lone surrogate, a noncharacter), else None."""
    for char in title:
        code = ord(char)
        if (
            unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
            or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE
        ):
            return char
    return None


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def numbering_department(config: SiteConfig, dept_slug: str) -> Department:
    """The department `dept_slug`, whose 统一社会信用代码 can prefix index numbers; ScaffoldError if not."""
    folder = config.root / CONTENT / dept_slug
    findings: list[Finding] = []
    dept = load_department(folder, config.root, findings) if folder.is_dir() else None
    if dept is None or not dept.data:
        raise ScaffoldError(f"部门 {dept_slug} 不存在或其 department.yaml 无法读取（{folder}）")
    if not ids.uscc_valid(dept.uscc):
        raise ScaffoldError(f"部门 {dept_slug} 的统一社会信用代码 {dept.uscc!r} 无效，无法分配索引号")
    return dept


def new_record(config: SiteConfig, dept_slug: str, category: str, title: str, today: dt.date) -> Path:
    """Write content/<dept>/<year>-<serial>.md and return its path."""
    dept = numbering_department(config, dept_slug)
    folder = dept.folder
    category = "/".join(part.strip() for part in category.strip().strip("/").split("/"))
    if category not in config.leaf_categories:
        choices = "、".join(config.leaf_categories)
        raise ScaffoldError(f"信息分类“{category}”不是 site.yaml 中的末级分类，可选：{choices}")
    if not title.strip():
        raise ScaffoldError("标题不能为空")
    bad = _unwritable(title)
    if bad is not None:
        raise ScaffoldError(
            f"标题含控制字符或换行（U+{ord(bad):04X}），无法写成一行记录名称；请去掉换行、制表符等不可见字符后重试"
        )
    uscc = dept.uscc.strip().upper()
    with allocation_lock(config):
        site, _ = load_site(config)
        allocator = IndexAllocator(site.records, uscc)
        for _ in range(MAX_TRIES):
            index_no = allocator.take(today.year)
            path = folder / f"{index_no.split('/', 1)[1]}.md"
            try:  # O_EXCL: never over an existing file, whoever wrote it
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue  # a file named like this serial that holds another number: skip the serial
            break
        else:
            raise ScaffoldError(f"{folder} 中已有 {MAX_TRIES} 个文件占用了接下来的序号，请检查该目录")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(_skeleton(index_no, title, category, dept, today))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return path


# What `disclosure new` writes for each key of the record format (schema.RecordFront), in its
# order: a value, or None to leave it empty. Every key gets a line and a Chinese comment from
# the schema, so a clerk sees every field there is; keys that belong to rarer cases (脱密后公开,
# 签认) are written as comments to uncomment. The 公开属性 and the review's 拟定意见 are left
# empty: they are the clerk's decision (an empty publicity is SEC001, blocking until chosen),
# never a default that publishes a record whose reviewers' names alone were filled in.
COMMENTED_OUT = {"declassified", "signoffs"}
PUBLICITY_CHOICES = "、".join(value.value for value in Publicity)  # what the clerk chooses from


def _comment(key: Key) -> str:
    text = key.doc.replace("`", "").replace("（见下表）", "（见 docs/content-format.md）")
    return f"# {key.label}：{text}" + (f"；{key.when}" if key.when else "")


def _skeleton(index_no: str, title: str, category: str, dept: Department, today: dt.date) -> str:
    values: dict[str, str] = {
        "index_no": index_no,
        "title": _yaml_text(title.strip()),
        "category": category,
        "publisher": _yaml_text(dept.name),
        "written": today.isoformat(),
        "published": today.isoformat(),
        "status": "现行有效",
        "attachments": "[]",
        "keywords": "[]",
        "migrated": "false",
    }
    lines = ["---"]
    for name, key in RecordFront.keys.items():
        if name == "review":
            lines.append(f"review:  {_comment(key)}")
            for sub, subkey in Review.keys.items():
                lines.append(f"  {sub}:  {_comment(subkey)}")
        elif name in COMMENTED_OUT:
            lines.append(f"# {name}:  {_comment(key)[2:]}")
        else:
            lines.append(f"{name}: {values.get(name, '')}".rstrip() + f"  {_comment(key)}")
    return "\n".join(lines) + "\n---\n正文。\n"
