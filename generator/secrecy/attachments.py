"""Attachments of a record published in full: read each one, report what is hidden in it
(SEC014), what identifies its author (SEC012) and what nobody can check (SEC015), and hand
its text, its properties' and its embedded files' text to the marking and personal-data scanners.

A file that cannot be read is treated like a scan: it blocks until a reviewer signs it off
(the fingerprint is the hash of the file's bytes, so a replaced file needs a new sign-off).
That covers every way a file can fail — empty, damaged, a legacy `.doc` renamed `.docx`, larger
than site.yaml `limits.attachment_mb`, unpacking past `limits.unpacked_mb` — each said in Chinese
with its own fix: no reader's exception ever stops the check.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import limits, links
from ..model import Record
from .extract import Extract, Unreadable, broken, check_zip
from .matches import Text, half_width

# The reader of each type, imported when a file of that type is read (pypdf, python-docx,
# openpyxl and Pillow are not loaded by a check that meets none).
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".webp", ".bmp"}
READERS: dict[str, str] = {
    ".pdf": "pdf:read_pdf",
    ".docx": "word:read_docx",
    ".xlsx": "excel:read_xlsx",
    ".ofd": "ofd:read_ofd",
    ".pptx": "slides:read_pptx",
}
READERS.update({suffix: "image:read_image" for suffix in IMAGE_SUFFIXES})
PLAIN = {".txt", ".csv"}
ZIPPED = {
    ".docx": "Word",
    ".xlsx": "Excel",
    ".pptx": "PowerPoint",
    ".ofd": "OFD",
}  # zips, checked before they are unpacked
KINDS = {**ZIPPED, ".pdf": "PDF", **{suffix: "图片" for suffix in IMAGE_SUFFIXES}}

# SEC014 for content made invisible by formatting (white on white, a zero-height row, a `;;;`
# number format, a 1-point font, PDF text render mode 3): said after what is hidden, since the
# rule's own fix speaks of revisions, comments and hidden parts.
HIDDEN_FIX = "删除被隐藏的内容后再上传，而不是隐藏"
# Two colours at most this far apart on every channel (0–255) cannot be told apart on screen:
# white (FFFFFF) on white, very light grey (F2F2F2) on white, black on a black highlight.
SAME_COLOUR = 16
WHITE = "FFFFFF"  # an empty page's, and an unfilled cell's, colour
HEX = re.compile(r"[0-9A-Fa-f]{6}")  # a colour written RRGGBB, as Word and Excel write them


def same_colour(one: str, other: str) -> bool:
    """Whether two colours given as RRGGBB hex are the same to the eye (see SAME_COLOUR)."""
    try:
        a, b = bytes.fromhex(one[-6:]), bytes.fromhex(other[-6:])
    except ValueError:
        return False
    return len(a) == len(b) == 3 and all(abs(x - y) <= SAME_COLOUR for x, y in zip(a, b))


def _reader(spec: str) -> Callable[[Path], Extract]:
    module, function = spec.split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


@dataclass
class Attachment:
    name: str
    line: int
    digest: str  # sha256 of the file's bytes
    extract: Extract | None  # None: unknown type or unreadable
    problem: str = ""  # why there is no extract
    fix: str = ""  # what to do about it (empty: the rule's fix)

    def texts(self) -> list[Text]:
        """What the scanners read: the file's text, then each of its other parts (its properties, the
        files embedded in it), named in a finding."""
        if self.extract is None:
            return []
        found = [Text(f"附件 {self.name}", half_width(self.extract.text), lambda _: self.line)]
        for where, text in self.extract.parts:
            found.append(Text(f"附件 {self.name} 的{where}", half_width(text), lambda _: self.line))
        return found


def _read_plain(path: Path) -> Extract:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return Extract(text=raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise Unreadable("无法识别文本编码（应为 UTF-8 或 GB18030）", "用记事本“另存为”UTF-8 编码后重新上传。")


def read(path: Path, name: str, line: int) -> Attachment:
    try:
        digest = digest_file(path)
    except OSError as exc:  # gone or locked since it was listed
        return Attachment(name, line, "", None, f"文件无法读取（{type(exc).__name__}）")
    suffix = path.suffix.lower()
    reader = _read_plain if suffix in PLAIN else (_reader(READERS[suffix]) if suffix in READERS else None)
    if reader is None:
        return Attachment(name, line, digest, None, f"类型 {suffix or '（无扩展名）'} 无法审查")
    limit = limits.active().attachment_mb
    size = path.stat().st_size
    try:
        if size > limit * limits.MB:
            raise Unreadable(
                f"文件大小 {limits.megabytes(size)}，超过 {limit} MB 的上限，未读取，无法审查",
                f"压缩或拆分该文件后重新上传；确需更大时，调高 site.yaml 的 limits.attachment_mb（现为 {limit}），"
                "或经审核人逐页审查后在 signoffs 中签认。",
            )
        if suffix in ZIPPED:
            check_zip(path, ZIPPED[suffix])
        return Attachment(name, line, digest, reader(path))
    except Unreadable as exc:
        return Attachment(name, line, digest, None, exc.message, exc.fix)
    except Exception as exc:  # noqa: BLE001 - any reader's failure on a damaged file is a finding, never a crash
        if suffix in ZIPPED and "entity" in str(exc).lower():
            return Attachment(
                name,
                line,
                digest,
                None,
                f"文件中的 XML 含有实体声明（{ZIPPED[suffix]} 保存的文件从不含有，疑似恶意构造），未读取",
                f"用 {ZIPPED[suffix]} 或 WPS 打开后另存为新文件再上传。",
            )
        if suffix in KINDS:
            why = broken(path, KINDS[suffix])
            return Attachment(name, line, digest, None, why.message, why.fix)
        return Attachment(name, line, digest, None, f"文件无法读取（{type(exc).__name__}）")


def listed(record: Record) -> list[tuple[str, int, Path]]:
    """(name, line, real path) of every listed attachment that exists (a missing one is FMT007's finding)."""
    names = record.get("attachments")
    found = []
    for i, name in enumerate(names if isinstance(names, list) else []):
        try:
            path = links.attachment_path(record.path, str(name))
        except links.LinkError:
            continue
        found.append((str(name), record.line_of("attachments", i), path))
    return found


def attachments(record: Record, files: list[tuple[str, int, Path]] | None = None) -> list[Attachment]:
    """Every listed attachment that exists, read (`files`: `listed(record)` already found)."""
    return [read(path, name, line) for name, line, path in (listed(record) if files is None else files)]


def digest_file(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks (what `read` calls the attachment's digest)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
