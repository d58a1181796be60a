"""Attachments of a record published in full: read each one, report what is hidden in it
(SEC014), what identifies its author (SEC012) and what nobody can check (SEC015), and hand
its text to the marking and personal-data scanners.

A file that cannot be read is treated like a scan: it blocks until a reviewer signs it off
(the fingerprint is the hash of the file's bytes, so a replaced file needs a new sign-off).
"""

from __future__ import annotations

import hashlib
import importlib
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import links
from ..model import Record
from .extract import Extract
from .matches import Text, half_width

# The reader of each type, imported when a file of that type is read (pypdf, python-docx,
# openpyxl and Pillow are not loaded by a check that meets none).
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".webp", ".bmp"}
READERS: dict[str, str] = {".pdf": "pdf:read_pdf", ".docx": "word:read_docx", ".xlsx": "excel:read_xlsx"}
READERS.update({suffix: "image:read_image" for suffix in IMAGE_SUFFIXES})
PLAIN = {".txt", ".csv"}
UNREADABLE = (OSError, ValueError, KeyError, zipfile.BadZipFile)


def _reader(spec: str) -> Callable[[Path], Extract]:
    module, function = spec.split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


def _unreadable() -> tuple[type[BaseException], ...]:
    """The errors that mean "this file cannot be read"; pypdf's own only once pypdf is loaded."""
    pdf_errors = sys.modules.get("pypdf.errors")
    return UNREADABLE + ((pdf_errors.PdfReadError,) if pdf_errors else ())


@dataclass
class Attachment:
    name: str
    line: int
    digest: str  # sha256 of the file's bytes
    extract: Extract | None  # None: unknown type or unreadable
    problem: str = ""  # why there is no extract

    def text(self) -> Text:
        return Text(f"附件 {self.name}", half_width(self.extract.text if self.extract else ""),
                    lambda _: self.line)


def _read_plain(path: Path) -> Extract:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return Extract(text=raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise ValueError("无法识别文本编码")


def read(path: Path, name: str, line: int) -> Attachment:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    suffix = path.suffix.lower()
    reader = _read_plain if suffix in PLAIN else (_reader(READERS[suffix]) if suffix in READERS else None)
    if reader is None:
        return Attachment(name, line, digest, None, f"类型 {suffix or '（无扩展名）'} 无法审查")
    try:
        return Attachment(name, line, digest, reader(path))
    except _unreadable() as exc:
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
