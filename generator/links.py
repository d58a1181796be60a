"""Where a link in a record body points: another record, one of its own attachments,
or the outside world. Validation (FMT007) and rendering resolve links the same way.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import safeurl


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
    if parts.scheme or not safeurl.is_allowed(href):
        if parts.scheme and safeurl.is_allowed(href):
            return Target("external", href=href)
        raise LinkError(f"链接 '{href}' 使用了不允许的协议，只能是 http、https、mailto、tel 或相对路径")
    if not parts.path:
        return Target("anchor", href=href)
    if parts.netloc or parts.path.startswith("/"):
        raise LinkError(f"链接 '{href}' 使用了绝对路径，请改为相对于本记录的路径")
    written = Path(os.path.normpath(record_path.parent / unquote(parts.path)))
    folder = files_dir(record_path)
    if "\0" in str(written):
        raise LinkError(f"链接 '{href}' 含有空字符（%00），不是有效的路径")
    try:
        return _resolve_path(record_path, href, written, folder, parts.fragment, content_root)
    except (OSError, RuntimeError):  # a loop of symbolic links, a name too long for the system
        raise LinkError(f"链接 '{href}' 指向的文件无法访问（循环的符号链接或路径过长）") from None


def _resolve_path(
    record_path: Path, href: str, written: Path, folder: Path, fragment: str, content_root: Path
) -> Target:
    if written.is_relative_to(folder) and written != folder:
        name = written.relative_to(folder).as_posix()
        if not os.path.lexists(written):
            raise LinkError(f"链接 '{href}' 指向的附件不存在")
        attachment_path(record_path, name)  # the one containment rule for attachments
        return Target("attachment", attachment=name, fragment=fragment)
    target = written.resolve()
    if not target.is_relative_to(content_root.resolve()):
        raise LinkError(f"链接 '{href}' 指向内容目录之外")
    if target.suffix == ".md":
        if not target.is_file():
            raise LinkError(f"链接 '{href}' 指向的记录不存在")
        return Target("record", record_file=target, fragment=fragment)
    raise LinkError(f"链接 '{href}' 既不是记录（.md），也不是本记录附件目录 {folder.name}/ 中的文件")


def attachment_path(record_path: Path, name: str) -> Path:
    """The file of an attachment listed in front matter, as a real path; LinkError if it is absent,
    leaves the folder, or is reached through a symbolic link.

    The attachment must really be where it is written: inside the record's own `<name>.files/`
    folder, which is not itself a link, with no link anywhere on the way (a link there could
    publish another record's attachments, a register or a host file under this record's
    publicity). Only a regular file qualifies: a FIFO, socket or device is never opened.
    """
    folder = files_dir(record_path)
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\0" in name:
        raise LinkError(f"附件 '{name}' 的路径无效，请只写 {folder.name}/ 中的文件名")
    if any(part in ("", ".", "..") for part in name.split("/")):
        normal = posixpath.normpath(name)
        if normal == ".." or normal.startswith("../"):
            raise LinkError(f"附件 '{name}' 的路径超出了记录的附件目录 {folder.name}/")
        # sub/../a.txt is a.txt on disk but another path in the output: one name for one file
        raise LinkError(
            f"附件 '{name}' 的路径含有“..”“.”或连续的“/”，请直接写 {folder.name}/ 中的路径"
            "（例如 a.txt 或 子目录/a.txt）"
        )
    if folder.is_symlink():
        raise LinkError(
            f"附件目录 {folder.name}/ 是符号链接，指向本记录附件目录之外，附件 '{name}' 已拒绝读取；"
            f"请删除该链接，把附件文件本身放入真实的 {folder.name}/ 目录"
        )
    try:
        real_folder = folder.resolve()
        path = Path(os.path.normpath(real_folder / name))
        if path == real_folder or not path.is_relative_to(real_folder):
            raise LinkError(f"附件 '{name}' 的路径超出了记录的附件目录 {folder.name}/")
        real = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python 3.11's word for a loop of links
        raise LinkError(f"附件 '{name}' 是循环的符号链接（或经过这样的目录），已拒绝读取；请用文件本身替换") from None
    if real != path:
        raise LinkError(
            f"附件 '{name}' 是符号链接（或经过链接目录），实际位置不在 {folder.name}/ 目录之内，已拒绝读取；"
            "请删除该链接，用文件本身替换"
        )
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        raise LinkError(f"附件 '{name}' 不存在：应放在 {folder.name}/ 目录中") from None
    if stat.S_ISDIR(mode):
        raise LinkError(f"附件 '{name}' 是目录，不是文件：请列出 {folder.name}/ 中的文件名")
    if not stat.S_ISREG(mode):
        raise LinkError(f"附件 '{name}' 不是普通文件（管道、套接字或设备），已拒绝读取；请换成普通文件")
    return path
