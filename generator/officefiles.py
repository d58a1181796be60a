"""The guards every reader of an untrusted Office file goes through (attachments, .xlsx registers).

An Office file is a zip, and one of 240 KB can unpack to gigabytes: the sizes its members declare are
added up before anything is unpacked (Python's zipfile never unpacks a member past its declared
size), against site.yaml `limits.unpacked_mb`. Its XML is parsed without entities, DTDs or the
network (no "billion laughs", no file of the server read into the text). A file that is none of
what its name says — empty, damaged, the legacy binary format under a new extension — is said so
in Chinese, with what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

from lxml import etree

from . import limits

MAX_MEMBERS = 10_000  # parts of one Office file; a real document has dozens
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # the legacy binary formats: .doc, .xls, .ppt

# Parsed as data only: entities are left unexpanded, no DTD is loaded, nothing is fetched, and
# libxml2's own limits on the size of one text node hold (huge_tree off).
SAFE_XML = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


class Unreadable(ValueError):
    """An attachment that cannot be read as what its name says: `message` and `fix` in Chinese."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, SAFE_XML)


def check_zip(source: Path | IO[bytes], kind: str) -> None:
    """Raise Unreadable unless `source` is a zip whose members may be unpacked: at most MAX_MEMBERS
    of them, declaring at most limits.unpacked_mb in all. `kind`: "Word", "Excel" (for the message)."""
    limit = limits.active().unpacked_mb
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise broken(source, kind) from None
    if len(members) > MAX_MEMBERS:
        raise Unreadable(
            f"是由 {len(members)} 个部分组成的压缩包，超过 {MAX_MEMBERS} 个，不像正常的 {kind} 文件，未解压",
            f"用 {kind} 或 WPS 打开后另存为新文件再上传。",
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limit * limits.MB:
        raise Unreadable(
            f"解压后有 {limits.megabytes(unpacked)}，超过 {limit} MB 的上限（疑似“压缩炸弹”），未解压",
            f"用 {kind} 或 WPS 打开后另存为新文件（图片可先压缩）再上传；确需更大时，调高 site.yaml 的 "
            f"limits.unpacked_mb（现为 {limit}）。",
        )


def _head(source: Path | IO[bytes]) -> bytes:
    try:
        if isinstance(source, Path):
            with source.open("rb") as handle:
                return handle.read(8)
        position = source.tell()
        source.seek(0)
        head = source.read(8)
        source.seek(position)
        return head
    except OSError:
        return b""


def broken(source: Path | IO[bytes], kind: str) -> Unreadable:
    """Why a file named as a Word/Excel/PDF file is none: empty, the legacy binary format under a
    new extension, or damaged."""
    head = _head(source)
    new = {"Word": ".docx", "Excel": ".xlsx", "PowerPoint": ".pptx"}.get(kind, "")
    named = kind if not kind.isascii() else f" {kind} "  # 图片 / a Word file
    if not head:
        return Unreadable(f"文件是空的（0 字节），不是有效的{named}文件", "重新导出该文件后上传。")
    if head.startswith(OLE_MAGIC) and new:
        return Unreadable(
            f"是旧版 {kind} 文件（{new[:-1]}）改成了 {new} 扩展名，不是有效的{named}文件（文件已损坏）",
            f"用 {kind} 或 WPS 打开后“另存为” {new} 格式（或导出 PDF）再上传。",
        )
    return Unreadable(
        f"文件已损坏，不是有效的{named}文件",
        "用原来编辑它的程序（Word、WPS、Excel 等）重新打开并另存（或重新导出）后上传。",
    )
