"""Stage 1 — load: read site.yaml, every department.yaml and every record, as written
(the registers and annual-report sources: generator/annual/sources.py, right after).

Nothing is dropped silently: a file that cannot be read or parsed becomes an FMT001
finding with its line, and the rest of the site still loads.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import apart, limits, lookalike, pasted, yamlsrc
from .config import SiteConfig
from .errors import DisclosureError
from .findings import Finding
from .model import Department, Record, Site
from .pagecache import digest_of
from .rules import WARN
from .schema import DepartmentFacts, RecordFront

if TYPE_CHECKING:
    from .checkcache import CheckCache

CONTENT = "content"
SPECIAL_DIRS = {"reports", "applications"}  # a department's non-record folders
READ_MORE = 1 << 16  # bytes asked for at a time past the size a file had when opened


def relative(path: str | Path, root: Path) -> str:
    """`path` relative to `root` (it lies below), with POSIX separators: how findings name files."""
    text, base = os.fspath(path), os.fspath(root)
    if text.startswith(base + os.sep):  # the usual case, without pathlib's parsing (a warm check of 200,000 records)
        return text[len(base) + 1 :].replace(os.sep, "/")
    return Path(path).relative_to(root).as_posix()


def inside(path: Path, folder: Path, strict: bool = False) -> bool:
    """Whether the real location of `path` lies in the real `folder` (`strict`: not the folder itself)."""
    try:
        real, tree = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links leads nowhere, least of all inside
        return False
    return real.is_relative_to(tree) and not (strict and real == tree)


LINK_FIX = "删除该链接，把真实文件（或目录）本身放在这里，即用文件替换链接。"
SPECIAL_MESSAGE = "不是普通文件（管道、套接字或设备），已跳过"
SPECIAL_FIX = "删除该文件；内容目录中只能放普通文件。"
# A name that reads as a record's but does not end in ".md": R.MD saved by Windows, r.markdown,
# an editor's backup (r.md~, #r.md#) or what a merge leaves (r.md.orig, r.md.rej). Not read — a
# copy may hold an older publicity — but said, so that no record goes unpublished unnoticed.
ALMOST_A_RECORD = re.compile(r"\.(?:md|markdown|mdown)(?![0-9a-z])", re.IGNORECASE)


def not_a_record(rel: str, dept: str = "") -> Finding:
    """FMT001 (warning): a file named almost like a record, which is not read (ALMOST_A_RECORD)."""
    return Finding(
        "FMT001",
        rel,
        1,
        "文件名不以小写的 .md 结尾，不作为记录读取，也不发布",
        "是记录的，改名为以 .md 结尾（小写）；是编辑器备份或合并冲突留下的副本（~、.orig、.rej、.bak 等），"
        "删除它，不要提交。",
        severity=WARN,
        dept=dept,
    )


def link_out(rel: str, what: str, dept: str = "") -> Finding:
    """FMT007: a symbolic link whose real location leaves the content tree; never followed."""
    return Finding(
        "FMT007",
        rel,
        1,
        f"{what}是指向内容目录 content/ 之外（或循环指向自身）的符号链接，已拒绝读取",
        LINK_FIX,
        dept=dept,
    )


def special_file(rel: str, dept: str = "") -> Finding:
    return Finding("FMT001", rel, 1, SPECIAL_MESSAGE, SPECIAL_FIX, dept=dept)


def contained(
    path: Path,
    rel: str,
    content: Path,
    findings: list[Finding],
    what: str = "文件",
    dept: str = "",
    follow: bool = True,
    tree: Path | None = None,
) -> Path | None:
    """The real path of a file the loader may open, or None after a finding: FMT007 when its real
    location (symbolic links followed) is outside the content tree — or, without `follow`, when
    the file is a link at all — and FMT001 when it is not a regular file (a FIFO would hang the
    build). Nothing refused is ever opened. `tree`: the real location of `content`, when the
    caller resolved it already (once for the whole load)."""
    try:
        real = path.resolve()  # resolved once: the location checked is the one opened
    except (OSError, RuntimeError):  # RuntimeError: Python 3.11's word for a loop of links
        findings.append(
            Finding("FMT007", rel, 1, f"{what}是循环的符号链接（链接最终指向自身），已拒绝读取", LINK_FIX, dept=dept)
        )
        return None
    if not real.is_relative_to(tree or content.resolve()):
        findings.append(link_out(rel, what, dept))
        return None
    if not follow and path.is_symlink():
        findings.append(
            Finding(
                "FMT007",
                rel,
                1,
                f"{what}是符号链接，已拒绝读取：台账、年报和 department.yaml 必须是放在原位置的真实文件",
                LINK_FIX,
                dept=dept,
            )
        )
        return None
    try:
        regular = stat.S_ISREG(os.stat(real).st_mode)
    except OSError as exc:
        findings.append(Finding("FMT001", rel, 1, f"文件无法读取（{type(exc).__name__}）", dept=dept))
        return None
    if not regular:
        findings.append(special_file(rel, dept))
        return None
    return real


def read_bytes(path: Path, rel: str, findings: list[Finding], dept: str = "") -> bytes | None:
    """The bytes of a regular file; FMT001 and None for a FIFO, socket or device, which is never
    read (opened non-blocking, checked with fstat before the first read)."""
    read = read_with_stat(path, rel, findings, dept)
    return None if read is None else read[0]


def read_with_stat(
    path: str | Path, rel: str, findings: list[Finding], dept: str = ""
) -> tuple[bytes, os.stat_result] | None:
    """`read_bytes`, with the file's status as it was opened."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        findings.append(Finding("FMT001", rel, 1, f"文件无法读取（{type(exc).__name__}）", dept=dept))
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            findings.append(special_file(rel, dept))
            return None
        if status.st_size > limits.active().file_mb * limits.MB:
            findings.append(limits.too_big(rel, status.st_size, dept))
            return None
        # unbuffered: one read of the size the status gives, then to the end (a file that grew)
        parts = [os.read(fd, status.st_size + 1)]
        while parts[-1]:
            parts.append(os.read(fd, READ_MORE))
        return b"".join(parts), status
    finally:
        os.close(fd)


def read_text(path: Path, rel: str, findings: list[Finding], dept: str = "") -> str | None:
    """Read a UTF-8 text file; on bad encoding add FMT001 with the line of the first bad byte."""
    raw = read_bytes(path, rel, findings, dept)
    return None if raw is None else decode(raw, rel, findings)


def decode(raw: bytes, rel: str, findings: list[Finding]) -> str | None:
    """The bytes of a text file as text with \n line ends, without a leading byte order mark; FMT001
    and None when they are not UTF-8. (The "utf-8-sig" codec does the same in Python code, slower.)"""
    text_bytes = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = text_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = text_bytes.count(b"\n", 0, exc.start) + 1
        findings.append(
            Finding(
                "FMT001",
                rel,
                line,
                "文件不是 UTF-8 编码，无法读取",
                "用 UTF-8 编码另存该文件（记事本“另存为”选择 UTF-8）。",
            )
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, 1-based line where the body starts), or None without front matter: the
    first line is ---, and the front matter ends at the next line that is --- or ... (each with any
    spaces around it). Only the front matter's lines are looked at; the body is cut off whole."""
    end = text.find("\n")
    if end < 0 or text[:end].strip() != "---":
        return None  # a file of one line has no front matter either: nothing closes it
    start = at = end + 1
    number = 2  # of the line beginning at `at`
    while True:
        end = text.find("\n", at)
        if (text[at:] if end < 0 else text[at:end]).strip() in ("---", "..."):
            return text[start : max(start, at - 1)], "" if end < 0 else text[end + 1 :], number + 1
        if end < 0:
            return None
        at, number = end + 1, number + 1


class FileRead(NamedTuple):
    """A record file as read: its bytes, its status as it was opened, the sha256 of the bytes."""

    raw: bytes
    status: os.stat_result
    digest: str


def read_record(
    path: str | Path, rel: str, site_root: Path, dept: str, findings: list[Finding], tree: Path | None, plain: bool
) -> FileRead | None:
    """A record file read; None, after a finding, for one that leaves content/ or is no regular
    file (`tree`, `plain`: as load_record's)."""
    real = path if plain else contained(Path(path), rel, site_root / CONTENT, findings, "记录文件", dept, tree=tree)
    read = None if real is None else read_with_stat(real, rel, findings, dept)
    return None if read is None else FileRead(read[0], read[1], digest_of(read[0]))


def load_record(
    path: str | Path,
    site_root: Path,
    dept: str,
    findings: list[Finding],
    cache: CheckCache | None = None,
    tree: Path | None = None,
    plain: bool = False,
    read: FileRead | None = None,
    rel: str = "",
) -> Record:
    """A record as written (`path`: its file's path, kept as text: Record.where). With `cache`, a
    file whose bytes were loaded before is not parsed again: its front matter, body line and
    findings come from the cache, its body from the bytes; a plain file the cache vouches for by
    its status is not even read (its body is, when first asked for).
    `tree`: the real location of content/, resolved once by `load_site`; `plain`: the file is no
    link and every folder above it up to content/ is none either, so it lies inside (read_bytes
    still refuses anything but a regular file). `read`: the file as `read_record` just read it.
    `rel`: the file's name relative to the site, when the caller has it (`relative`)."""
    path = os.fspath(path)
    rel = rel or relative(path, site_root)
    if read is None:
        vouched = cache.vouched(path, rel, dept) if cache is not None and plain else None
        if vouched is not None:  # unchanged by its status since a check read it: not read again
            findings.extend(vouched.findings)
            if vouched.parsed is None:
                return _unloaded(dept, path, rel)
            body = VouchedBody(path, rel, dept, vouched.digest, vouched.body_line)
            parsed = vouched.parsed
            return Record(
                dept, path, rel, parsed.data, parsed, None, vouched.body_line, digest=vouched.digest, source=body
            )
        read = read_record(path, rel, site_root, dept, findings, tree, plain)
        if read is None:
            return _unloaded(dept, path, rel)
    raw, status, digest = read
    known = cache.loaded(digest, rel, dept, status) if cache is not None else None
    if known is None:
        own: list[Finding] = []
        record = _parse_record(raw, path, rel, dept, own)
        record.digest = digest
        if cache is not None:
            cache.keep_loaded(
                digest, rel, dept, own, record.parsed if record.loaded else None, record.body_line, status
            )
        findings.extend(own)
        return record
    findings.extend(known.findings)
    text = decode(raw, rel, []) if known.parsed is not None else None
    if known.parsed is None or text is None:
        return _unloaded(dept, path, rel)
    return Record(
        dept, path, rel, known.parsed.data, known.parsed, _body(text, known.body_line), known.body_line, digest=digest
    )


def _unloaded(dept: str, path: str, rel: str) -> Record:
    """A record whose front matter could not be read (after its FMT001 or FMT007 finding)."""
    return Record(dept, path, rel, {}, yamlsrc.Parsed({}), "", 1, loaded=False)


def _body(text: str, body_line: int) -> str:
    """What split_front_matter cut: the lines of the (decoded) file from `body_line` on."""
    return text.split("\n", body_line - 1)[-1]


class RecordChanged(DisclosureError):
    """A record file changed after the check vouched for it: what the check passed is not what is there."""


@dataclass(frozen=True)
class VouchedBody:
    """The body of a record loaded without reading its file (CheckCache.vouched), read when first
    asked for: only from the bytes the check's findings are about (the sha256 `digest`), never others."""

    path: str  # as text (Record.where)
    file: str
    dept: str
    digest: str
    body_line: int

    def read(self) -> str:
        findings: list[Finding] = []
        read = read_with_stat(self.path, self.file, findings, self.dept)
        text = None if read is None or digest_of(read[0]) != self.digest else decode(read[0], self.file, findings)
        if text is None:
            raise RecordChanged(
                f"记录文件 {self.file} 在检查之后被修改、移走或删除，本次生成不使用它未经检查的内容。"
                "请重新运行（检查会读取修改后的文件）。"
            )
        return _body(text, self.body_line)


def _parse_record(raw: bytes, path: str, rel: str, dept: str, findings: list[Finding]) -> Record:
    text = decode(raw, rel, findings)
    if text is None:
        return _unloaded(dept, path, rel)
    split = split_front_matter(text)
    if split is None:
        findings.append(
            Finding(
                "FMT001",
                rel,
                1,
                "缺少前置元数据：文件应以 --- 开头，元数据后再以 --- 结束",
                "在文件开头加入以 --- 包围的 YAML 元数据（索引号、名称、公开属性等）。",
                dept=dept,
            )
        )
        return _unloaded(dept, path, rel)
    front, body, body_line = split
    parsed = parse_front_matter(front, rel, dept, findings)
    if parsed is None or parsed.data is None:
        if parsed is not None:
            findings.append(Finding("FMT001", rel, 2, "前置元数据为空", dept=dept))
        return _unloaded(dept, path, rel)
    refused = [
        Finding("FMT001", rel, line, message, fix, dept=dept)
        for line, message, fix in lookalike.faults(parsed, RecordFront, offset=1)
    ]
    second = pasted.second_front_matter(body)
    if second is not None:
        number, keys = second
        line = body_line + number
        shown = "、".join(keys[:3])
        refused.append(
            Finding(
                "FMT001",
                rel,
                line,
                pasted.MESSAGE.format(line=line, keys=shown),
                pasted.FIX.format(line=line),
                dept=dept,
            )
        )
    if refused:  # as a key written twice: the file is not read, nothing of it is published
        findings.extend(refused)
        return _unloaded(dept, path, rel)
    return Record(dept, path, rel, parsed.data, parsed, body, body_line)


def parse_front_matter(front: str, rel: str, dept: str, findings: list[Finding]) -> yamlsrc.Parsed | None:
    """The front matter (file lines from 2) as a mapping, empty allowed; None after an FMT001 finding."""
    try:
        parsed = yamlsrc.parse(front, line_offset=1)
    except yamlsrc.YamlError as exc:
        findings.append(Finding("FMT001", rel, exc.line + 1, f"YAML 语法错误：{exc.message}", exc.fix, dept=dept))
        return None
    if parsed.data is not None and not isinstance(parsed.data, dict):
        findings.append(Finding("FMT001", rel, 2, "前置元数据应为“键: 值”的映射", dept=dept))
        return None
    return parsed


def load_department(folder: Path, site_root: Path, findings: list[Finding]) -> Department:
    yaml_path = folder / "department.yaml"
    rel = relative(yaml_path, site_root)
    dept = Department(folder.name, folder, rel, {}, yamlsrc.Parsed({}))
    if not yaml_path.exists():
        findings.append(
            Finding(
                "FMT002",
                rel,
                1,
                f"部门目录 {folder.name} 缺少 department.yaml",
                "在部门目录中建立 department.yaml，填写机关名称、统一社会信用代码等。",
                dept=folder.name,
            )
        )
        return dept
    real = contained(yaml_path, rel, site_root / CONTENT, findings, "department.yaml ", folder.name, follow=False)
    text = None if real is None else read_text(real, rel, findings, folder.name)
    if text is None:
        return dept
    try:
        parsed = yamlsrc.parse(text)
    except yamlsrc.YamlError as exc:
        findings.append(Finding("FMT001", rel, exc.line, f"YAML 语法错误：{exc.message}", exc.fix, dept=folder.name))
        return dept
    if not isinstance(parsed.data, dict):
        findings.append(Finding("FMT001", rel, 1, "department.yaml 应为“键: 值”的映射", dept=folder.name))
        return dept
    refused = lookalike.faults(parsed, DepartmentFacts)
    if refused:  # as a key written twice: the file is not read
        findings.extend(Finding("FMT001", rel, line, message, fix, dept=folder.name) for line, message, fix in refused)
        return dept
    dept.data, dept.parsed = parsed.data, parsed
    return dept


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether `entry` is a folder (or a link to one); a loop of links is none."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def record_paths(folder: Path, site_root: Path, findings: list[Finding]) -> list[tuple[str, str, bool]]:
    """Every record file below a department folder, skipping _private, .hidden, attachments
    and the report/register folders, each with its path as text (Record.where: no Path is made for
    it), its name relative to the site (as findings name files: `relative`, made here from its
    folder's) and whether it is a symbolic link (only a link's real location needs looking up: a
    plain file reached through plain folders lies where its folder does). A linked file or folder
    that leads outside the content tree is a blocking FMT007 and is never read; a linked folder
    inside it is not descended into (its records are read where they really are), which is said
    with a warning. Order: a folder's files by name, then its folders."""
    found: list[tuple[str, str, bool]] = []
    content = site_root / CONTENT
    dept = folder.name

    # depth first, as a loop: a recursive closure would be a reference cycle (heap.py)
    pending: list[tuple[str, str, bool, bool]] = [(os.fspath(folder), relative(folder, site_root), True, False)]
    while pending:  # (folder's path as text, its name relative to the site, top, is a link)
        base, rel, top, linked = pending.pop()
        if linked:
            if not inside(Path(base), content, strict=True):
                findings.append(link_out(rel, "目录", dept))
            else:
                findings.append(
                    Finding(
                        "FMT007",
                        rel,
                        1,
                        "目录是符号链接，不读取其中的记录（记录只在其真实位置读取）",
                        LINK_FIX,
                        severity=WARN,
                        dept=dept,
                    )
                )
            continue
        try:
            with os.scandir(base) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            name = entry.name
            if name.startswith(("_", ".")):
                continue
            is_link = entry.is_symlink()
            if _is_dir(entry):  # a link to a folder counts as a folder, as os.walk counts it
                if not (name.endswith(".files") or (top and name in SPECIAL_DIRS)):
                    folders.append((os.path.join(base, name), f"{rel}/{name}", False, is_link))
                continue
            if not name.endswith(".md"):
                if ALMOST_A_RECORD.search(name):
                    findings.append(not_a_record(f"{rel}/{name}", dept))
                continue
            path = os.path.join(base, name)
            if is_link and not inside(Path(path), content):
                findings.append(link_out(f"{rel}/{name}", "记录文件", dept))
                continue
            found.append((path, f"{rel}/{name}", is_link))
        pending.extend(reversed(folders))
    return found


def department_folders(root: Path, findings: list[Finding]) -> list[Path]:
    """The department folders of content/, by name. A linked folder whose real location leaves
    the content tree is FMT007 and left out, so every folder given lies inside it — and so does
    every plain (unlinked) file reached through plain folders below it."""
    content = root / CONTENT
    found = []
    for folder in sorted(p for p in content.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        if folder.is_symlink() and not inside(folder, content, strict=True):
            findings.append(link_out(relative(folder, root), "部门目录", folder.name))
            continue
        found.append(folder)
    return found


Status = tuple[int, int, int, int, int]  # a file's size, modification time, inode, change time (ns) and mode


def status_of(status: os.stat_result) -> Status:
    return (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns, status.st_mode)


@dataclass
class Folders:
    """Where the records lie: each department folder with its record files (path, name relative
    to the site, whether it is a link) and what walking it found (FMT007), after what walking
    content/ itself found."""

    findings: list[Finding] = field(default_factory=list)
    departments: list[tuple[Path, list[tuple[str, str, bool]], list[Finding]]] = field(default_factory=list)
    # each record file's status as `WalkApart`'s child read it (file → Status); empty when walked
    # here, where the check cache reads each file's status itself (CheckCache.holds)
    statuses: dict[str, Status] = field(default_factory=dict)

    @property
    def records(self) -> Iterator[tuple[str, str, str, bool]]:
        """(path as text, name relative to the site, department, plain) of every record file, in the order
        the loader reads them."""
        return (
            (path, rel, dept, not is_link)
            for folder, files, _ in self.departments
            for dept in (folder.name,)  # a Path's name is made anew each time it is asked for
            for path, rel, is_link in files
        )


def walk(root: Path) -> Folders:
    """The department folders of the site at `root` and their record files (a check walks them once)."""
    found = Folders()
    if (root / CONTENT).is_dir():
        for folder in department_folders(root, found.findings):
            walked: list[Finding] = []
            found.departments.append((folder, record_paths(folder, root, walked), walked))
    return found


class WalkApart:
    """`walk`, and the status of every record file it found, begun in a forked child (apart.Beside)
    while this process goes on (a check reads its cache meanwhile): at 200,000 records walking took
    0.6 s and the stat calls 1.2 s more, on the one core the check's front ran on. The child hands
    back the files' names relative to the site (pickling 200,000 Paths took 1.7 s over both ends):
    their paths are joined here again as text, equal to `walk`'s. If the child dies, the folders
    are walked here."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._side = apart.Beside(functools.partial(_walked_apart, root))

    def result(self) -> Folders:
        try:
            findings, departments, statuses = self._side.result()
        except apart.ChildDied:
            return walk(self.root)
        folders = Folders(findings)
        base = os.fspath(self.root)
        for folder, files, walked in departments:
            folders.departments.append((Path(folder), [(f"{base}/{rel}", rel, link) for rel, link in files], walked))
        folders.statuses = {file[1]: status for file, status in zip(folders.records, statuses) if status is not None}
        return folders

    def stop(self) -> None:
        """End the child if its result was not taken (the check stopped meanwhile)."""
        self._side.stop()


_Walked = tuple[list[Finding], list[tuple[str, list[tuple[str, bool]], list[Finding]]], list[Status | None]]


def _walked_apart(root: Path) -> _Walked:
    """`walk(root)` with names for Paths, and each record file's status (None: it could not be read)."""
    folders = walk(root)
    statuses: list[Status | None] = []
    base = os.fspath(root)
    for _, rel, _, _ in folders.records:
        try:
            status = os.stat(f"{base}/{rel}")  # the same file as root / rel, without making its Path's text (0.4 s)
        except OSError:
            statuses.append(None)
            continue
        statuses.append(status_of(status))
    departments = [
        (str(folder), [(rel, link) for _, rel, link in files], walked) for folder, files, walked in folders.departments
    ]
    return folders.findings, departments, statuses


def load_site(
    config: SiteConfig, cache: CheckCache | None = None, folders: Folders | None = None
) -> tuple[Site, list[Finding]]:
    """The site as written; `folders`: `walk`'s answer, when the caller has walked it already."""
    root = config.root
    site = Site(config, root)
    content = root / CONTENT
    if not content.is_dir():
        return site, []
    folders = folders or walk(root)
    findings = list(folders.findings)
    tree = content.resolve()
    for folder, files, walked in folders.departments:
        dept = folder.name
        site.departments[dept] = load_department(folder, root, findings)
        findings.extend(walked)
        for path, rel, is_link in files:
            site.records.append(load_record(path, root, dept, findings, cache, tree, not is_link, rel=rel))
    return site, findings
