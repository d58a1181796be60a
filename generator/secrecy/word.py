"""DOCX attachments with python-docx, read down to the XML of every part: the text of
body, headers, footers, notes and comments, including what Word hides — tracked
insertions and deletions, comments and hidden (`w:vanish`) text."""

from __future__ import annotations

from pathlib import Path

import docx
from lxml import etree

from .extract import Extract, parse_xml
from .officeprops import identifying_properties

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_TAGS = {W + "t", W + "delText"}
TRACKED = {
    W + "ins": "修订（插入）",
    W + "del": "修订（删除）",
    W + "moveFrom": "修订（移动）",
    W + "moveTo": "修订（移动）",
}
OFF = {"0", "false", "off"}


def _paragraphs(root: etree._Element) -> list[str]:
    lines = []
    for paragraph in root.iter(W + "p"):
        parts = []
        for node in paragraph.iter():
            if node.tag in TEXT_TAGS:
                parts.append(node.text or "")
            elif node.tag == W + "tab":
                parts.append("\t")
        lines.append("".join(parts))
    return lines


def read_docx(path: Path) -> Extract:
    document = docx.Document(str(path))
    found = Extract()
    lines: list[str] = []
    tracked: dict[str, int] = {}
    comments = hidden_runs = 0
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if not (name.startswith("/word/") and name.endswith(".xml")):
            continue
        root = parse_xml(part.blob)
        lines.extend(_paragraphs(root))
        for tag, label in TRACKED.items():
            count = sum(1 for _ in root.iter(tag))
            if count:
                tracked[label] = tracked.get(label, 0) + count
        comments += sum(1 for _ in root.iter(W + "comment"))
        hidden_runs += sum(1 for node in root.iter(W + "vanish") if node.get(W + "val", "true") not in OFF)
    for label, count in tracked.items():
        found.hidden.append(f"{count} 处{label}未接受或拒绝")
    if comments:
        found.hidden.append(f"{comments} 条批注")
    if hidden_runs:
        found.hidden.append(f"{hidden_runs} 处隐藏文字")
    found.text = "\n".join(lines)
    props = document.core_properties
    found.metadata.extend(identifying_properties(path, props.author, props.last_modified_by))
    return found
