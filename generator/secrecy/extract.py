"""What an attachment holds, as the secrecy check needs it: every text in the file
(hidden or not), its properties, the hidden parts (SEC014) and the identifying metadata (SEC012).
The guards of untrusted Office files are in generator/officefiles.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..officefiles import Unreadable, broken, check_zip, parse_xml

__all__ = ["Extract", "Unreadable", "broken", "check_zip", "parse_xml"]


@dataclass
class Extract:
    text: str = ""  # all text the file holds, visible or hidden
    hidden: list[str] = field(default_factory=list)  # SEC014: what is hidden, in Chinese
    metadata: list[tuple[str, str]] = field(default_factory=list)  # SEC012: (label, value)
    # (label, text) of the file's own properties (标题、主题、备注、自定义属性, PDF 文档信息): shown on
    # no page, shipped in the file, so scanned like its text; not counted as readable text (SEC015)
    properties: list[tuple[str, str]] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return bool(self.text.strip())
