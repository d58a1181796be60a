"""Stage 1 — load: read site.yaml, every department.yaml and every record, as written.

Nothing is dropped silently: a file that cannot be read or parsed becomes an FMT001
finding with its line, and the rest of the site still loads.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import yamlsrc
from .annual import sources
from .config import SiteConfig
from .findings import Finding
from .model import Department, Record, Site

CONTENT = "content"
SPECIAL_DIRS = {"reports", "applications"}  # a department's non-record folders


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def read_text(path: Path, rel: str, findings: list[Finding]) -> str | None:
    """Read a UTF-8 text file; on bad encoding add FMT001 with the line of the first bad byte."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        findings.append(Finding("FMT001", rel, line, "文件不是 UTF-8 编码，无法读取",
                                "用 UTF-8 编码另存该文件（记事本“另存为”选择 UTF-8）。"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, 1-based line where the body starts), or None without front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None


def load_record(path: Path, site_root: Path, dept: str, findings: list[Finding]) -> Record:
    rel = _relative(path, site_root)
    empty = Record(dept, path, rel, {}, yamlsrc.Parsed({}), "", 1, loaded=False)
    text = read_text(path, rel, findings)
    if text is None:
        return empty
    split = split_front_matter(text)
    if split is None:
        findings.append(Finding("FMT001", rel, 1, "缺少前置元数据：文件应以 --- 开头，元数据后再以 --- 结束",
                                "在文件开头加入以 --- 包围的 YAML 元数据（索引号、名称、公开属性等）。", dept=dept))
        return empty
    front, body, body_line = split
    parsed = parse_front_matter(front, rel, dept, findings)
    if parsed is None or parsed.data is None:
        if parsed is not None:
            findings.append(Finding("FMT001", rel, 2, "前置元数据为空", dept=dept))
        return empty
    return Record(dept, path, rel, parsed.data, parsed, body, body_line)


def parse_front_matter(front: str, rel: str, dept: str, findings: list[Finding]) -> yamlsrc.Parsed | None:
    """The front matter (file lines from 2) as a mapping, empty allowed; None after an FMT001 finding."""
    try:
        parsed = yamlsrc.parse(front)
    except yamlsrc.YamlError as exc:
        findings.append(Finding("FMT001", rel, exc.line + 1, f"YAML 语法错误：{exc.message}", dept=dept))
        return None
    if parsed.data is not None and not isinstance(parsed.data, dict):
        findings.append(Finding("FMT001", rel, 2, "前置元数据应为“键: 值”的映射", dept=dept))
        return None
    return parsed


def load_department(folder: Path, site_root: Path, findings: list[Finding]) -> Department:
    yaml_path = folder / "department.yaml"
    rel = _relative(yaml_path, site_root)
    dept = Department(folder.name, folder, rel, {}, yamlsrc.Parsed({}))
    if not yaml_path.exists():
        findings.append(Finding("FMT002", rel, 1, f"部门目录 {folder.name} 缺少 department.yaml",
                                "在部门目录中建立 department.yaml，填写机关名称、统一社会信用代码等。",
                                dept=folder.name))
        return dept
    text = read_text(yaml_path, rel, findings)
    if text is None:
        return dept
    try:
        parsed = yamlsrc.parse(text)
    except yamlsrc.YamlError as exc:
        findings.append(Finding("FMT001", rel, exc.line, f"YAML 语法错误：{exc.message}", dept=folder.name))
        return dept
    if not isinstance(parsed.data, dict):
        findings.append(Finding("FMT001", rel, 1, "department.yaml 应为“键: 值”的映射", dept=folder.name))
        return dept
    dept.data, dept.parsed = parsed.data, parsed
    return dept


def record_paths(folder: Path, site_root: Path, findings: list[Finding]) -> list[Path]:
    """Every record file below a department folder, skipping _private, .hidden, attachments
    and the report/register folders; links that lead outside the content tree are reported."""
    found: list[Path] = []
    content = site_root / CONTENT
    for here, dirs, files in os.walk(folder, followlinks=False):
        base = Path(here)
        top = base == folder
        kept = []
        for d in sorted(dirs):
            if d.startswith(("_", ".")) or d.endswith(".files") or (top and d in SPECIAL_DIRS):
                continue
            if (base / d).is_symlink() and not _inside(base / d, content):
                findings.append(Finding("FMT007", _relative(base / d, site_root), 1,
                                        "目录是指向内容目录之外的链接，已忽略", "删除该链接，把文件放入内容目录。"))
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if not name.endswith(".md") or name.startswith(("_", ".")):
                continue
            path = base / name
            if path.is_symlink() and not _inside(path, content):
                findings.append(Finding("FMT007", _relative(path, site_root), 1,
                                        "记录文件是指向内容目录之外的链接，已忽略", "删除该链接，把文件放入内容目录。"))
                continue
            found.append(path)
    return found


def load_site(config: SiteConfig) -> tuple[Site, list[Finding]]:
    root = config.root
    site = Site(config, root)
    findings: list[Finding] = []
    content = root / CONTENT
    if not content.is_dir():
        return site, findings
    for folder in sorted(p for p in content.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        site.departments[folder.name] = load_department(folder, root, findings)
        sources.load_sources(site.departments[folder.name], root, findings)
        for path in record_paths(folder, root, findings):
            site.records.append(load_record(path, root, folder.name, findings))
    return site, findings
