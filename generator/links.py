"""Where a link in a record body points: another record, one of its own attachments,
or the outside world. Validation (FMT007) and rendering resolve links the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class Target:
    kind: str  # "external" | "anchor" | "record" | "attachment"
    href: str = ""  # external/anchor: as written
    record_file: Path | None = None  # kind "record": the resolved .md path
    attachment: str = ""  # kind "attachment": file name inside <name>.files/
    fragment: str = ""


class LinkError(ValueError):
    """A link that cannot be resolved; the message is in Chinese."""


def files_dir(record_path: Path) -> Path:
    """The attachment folder of a record: <name>.files/ beside <name>.md."""
    return record_path.with_name(record_path.stem + ".files")


def resolve(record_path: Path, href: str, content_root: Path) -> Target:
    parts = urlsplit(href)
    if parts.scheme:
        if parts.scheme.lower() in EXTERNAL_SCHEMES:
            return Target("external", href=href)
        raise LinkError(f"不支持的链接协议 '{parts.scheme}:'")
    if not parts.path:
        return Target("anchor", href=href)
    if parts.netloc or parts.path.startswith("/"):
        raise LinkError(f"链接 '{href}' 使用了绝对路径，请改为相对于本记录的路径")
    target = (record_path.parent / unquote(parts.path)).resolve()
    try:
        target.relative_to(content_root.resolve())
    except ValueError:
        raise LinkError(f"链接 '{href}' 指向内容目录之外") from None
    folder = files_dir(record_path).resolve()
    if target.suffix == ".md":
        if not target.is_file():
            raise LinkError(f"链接 '{href}' 指向的记录不存在")
        return Target("record", record_file=target, fragment=parts.fragment)
    try:
        name = target.relative_to(folder).as_posix()
    except ValueError:
        raise LinkError(f"链接 '{href}' 既不是记录（.md），也不是本记录附件目录 {folder.name}/ 中的文件") from None
    if not target.is_file():
        raise LinkError(f"链接 '{href}' 指向的附件不存在")
    return Target("attachment", attachment=name, fragment=parts.fragment)


def attachment_path(record_path: Path, name: str) -> Path:
    """The file of an attachment listed in front matter; LinkError if it leaves the folder or is absent."""
    folder = files_dir(record_path)
    if not name or name.startswith(("/", "\\")) or "\\" in name:
        raise LinkError(f"附件 '{name}' 的路径无效，请只写 {folder.name}/ 中的文件名")
    path = (folder / name).resolve()
    try:
        path.relative_to(folder.resolve())
    except ValueError:
        raise LinkError(f"附件 '{name}' 的路径超出了记录的附件目录 {folder.name}/") from None
    if not path.is_file():
        raise LinkError(f"附件 '{name}' 不存在：应放在 {folder.name}/ 目录中")
    return path
