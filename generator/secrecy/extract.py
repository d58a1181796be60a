"""What an attachment holds, as the secrecy check needs it: every text in the file
(hidden or not), its properties and embedded files, the hidden parts (SEC014), what cannot be
read (SEC015) and the identifying metadata (SEC012).
The guards of untrusted Office files are in generator/officefiles.py."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from lxml import etree

from ..officefiles import Unreadable, broken, check_zip, parse_xml

__all__ = [
    "Extract",
    "Unreadable",
    "broken",
    "check_zip",
    "element_text",
    "local_name",
    "numbered",
    "parse_xml",
    "tagless",
]


TAG = re.compile(r"<[^>]*>")


def tagless(markup: str) -> str:
    """Markup kept inside a file (XMP, an image's comment) as one line of text: tags dropped,
    character references resolved, runs of white space made one. Never parsed as XML, so a
    malformed piece is read all the same."""
    return " ".join(html.unescape(TAG.sub(" ", markup)).split())


def element_text(node: etree._Element, between: str = "") -> str:
    """An element's text as one line: its text nodes joined by `between`, white space made one."""
    return " ".join(between.join(node.itertext()).split())


def numbered(numbers: list[int], unit: str) -> str:
    """Places by number for a message: 第 1、3 页, or 第 1、…、10 页等 12 页 past ten."""
    more = f"等 {len(numbers)} {unit}" if len(numbers) > 10 else ""
    return f"第 {'、'.join(str(n) for n in sorted(numbers)[:10])} {unit}{more}"


def local_name(node: etree._Element) -> str:
    """An XML element's name without its namespace ("" for a comment or processing instruction):
    Office and OFD files are read by local names, whatever prefix a producer gave them."""
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


@dataclass
class Extract:
    text: str = ""  # all text the file holds, visible or hidden
    hidden: list[str] = field(default_factory=list)  # SEC014: what is hidden, in Chinese
    metadata: list[tuple[str, str]] = field(default_factory=list)  # SEC012: (label, value)
    # (where, text) of what else the file ships and no page shows as its text: its own properties
    # (标题、主题、备注、自定义属性, PDF 文档信息) and the files embedded in it. Scanned like its text,
    # each named in a finding; not counted as readable text (SEC015).
    parts: list[tuple[str, str]] = field(default_factory=list)
    # SEC015: what in the file cannot be read, and what to do about it
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return bool(self.text.strip())

    def add_properties(self, found: list[tuple[str, str]]) -> None:
        """The file's own properties, (label, text), among its parts."""
        self.parts.extend((f"文件属性“{label}”", value) for label, value in found)

    def add_embedded(self, name: str, inner: Extract) -> None:
        """What a file embedded in this one holds, each said to be in `name`."""
        where = f"内嵌文件 {name}"
        self.parts.append((where, inner.text))
        self.parts.extend((f"{where} 的{part}", text) for part, text in inner.parts)
        self.hidden.extend(f"{where} 中：{hidden}" for hidden in inner.hidden)
        self.unreadable.extend((f"{where} 中：{problem}", fix) for problem, fix in inner.unreadable)
