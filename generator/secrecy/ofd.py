"""OFD attachments (GB/T 33190-2016 版式文档, the format of much 电子公文): a zip of XML read
directly. The text is every TextCode of the document's pages, templates and annotations; the
hidden parts (SEC014) are text objects drawn invisible (Visible="false", neither filled nor
stroked, or fully transparent), annotations other than links, watermarks and stamps (and any
hidden one), and attached files; the document information (DocInfo: 标题、作者、摘要、关键词、
自定义数据) and the text of its other parts (custom tags, signatures) are scanned like a file's
properties, and its author is SEC012's. Not read: text coloured like what is under it."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from lxml import etree

from .attachments import HIDDEN_FIX
from .extract import Extract, Unreadable, element_text, local_name, parse_xml

ROOT = "OFD.xml"
DOC_INFO = {
    "Title": "标题",
    "Author": "作者",
    "Subject": "主题",
    "Abstract": "摘要",
    "Keyword": "关键词",
    "Creator": "创建程序",
    "CustomData": "自定义数据",
}
# Annotations that are page content as the reader sees it: a link, a watermark, a stamp (their
# text is read all the same); any other (Highlight, Path, …) is markup on top, like a PDF's.
HARMLESS_ANNOTATIONS = {"Link", "Watermark", "Stamp"}
OFF = {"false", "0"}
SMALLEST = 0.36  # millimetres (a TextObject's Size): text of 1 pt (0.353 mm) or less cannot be read


def _invisible(text_object: etree._Element) -> bool:
    """Whether a TextObject draws nothing a reader sees: not visible, neither filled nor stroked
    (OFD's defaults: filled, not stroked), fully transparent (Alpha 0 of 255), or 1 pt or smaller."""
    if text_object.get("Visible", "true").lower() in OFF:
        return True
    filled = text_object.get("Fill", "true").lower() not in OFF
    stroked = text_object.get("Stroke", "false").lower() not in OFF
    try:
        tiny = float(text_object.get("Size", "")) <= SMALLEST
    except ValueError:
        tiny = False
    return not (filled or stroked) or text_object.get("Alpha", "255").strip() == "0" or tiny


def _page_label(name: str) -> str:
    """A part's place as a reader would say it: 第 N 页 for Doc_0/Pages/Page_(N-1)/Content.xml."""
    parts = PurePosixPath(name).parts
    for part in parts:
        if part.startswith("Page_") and part[5:].isdigit():
            return f"第 {int(part[5:]) + 1} 页"
    return PurePosixPath(name).name


def read_ofd(source: Path | IO[bytes]) -> Extract:
    found = Extract()
    lines: list[str] = []
    invisible: dict[str, int] = {}
    annotations: dict[str, int] = {}
    with zipfile.ZipFile(source) as archive:
        names = sorted(name for name in archive.namelist() if name.lower().endswith(".xml"))
        if ROOT not in names:
            raise Unreadable(
                "不是有效的 OFD 文件（缺少 OFD.xml），已损坏或不是 OFD",
                "用 OFD 阅读器或 WPS 打开后另存（或重新导出）再上传。",
            )
        for name in names:
            root = parse_xml(archive.read(name))
            if name == ROOT:
                _doc_info(root, found)
                continue
            drawn = False
            for node in root.iter():
                kind = local_name(node)
                if kind == "TextObject":
                    drawn = True
                    text = "".join("".join(code.itertext()) for code in node.iter() if local_name(code) == "TextCode")
                    if text.strip():
                        lines.append(text)
                        if _invisible(node):
                            place = _page_label(name)
                            invisible[place] = invisible.get(place, 0) + 1
                elif kind == "Annot":
                    drawn = True
                    annotation = node.get("Type", "") or "?"
                    if annotation not in HARMLESS_ANNOTATIONS or node.get("Visible", "true").lower() in OFF:
                        annotations[annotation] = annotations.get(annotation, 0) + 1
                    lines.extend(text for child in node if local_name(child) == "Remark" for text in child.itertext())
                elif kind == "Attachment":
                    drawn = True
                    found.hidden.append(f"OFD 内嵌文件：{node.get('Name') or node.get('ID') or '（未命名）'}")
            if not drawn:  # custom tags, resources, signatures: what they say is in the file too
                text = element_text(root, " ")
                if text:
                    found.parts.append((f"内部文件 {name}", text))
    if invisible:
        places = "、".join(f"{place} {count} 处" for place, count in invisible.items())
        found.hidden.append(
            f"不可见的文字（不显示、不填充也不描边、完全透明或不大于 1 磅）：{places}，页面上看不见；{HIDDEN_FIX}"
        )
    if annotations:
        found.hidden.append(f"{sum(annotations.values())} 个注释（{'、'.join(sorted(annotations))}）")
    found.text = "\n".join(lines)
    return found


def _doc_info(root: etree._Element, found: Extract) -> None:
    """The document information of OFD.xml's first DocBody: its properties, and its author (SEC012)."""
    properties = []
    for node in root.iter():
        label = DOC_INFO.get(local_name(node))
        text = element_text(node)
        if label and text:
            named = f"{label}“{node.get('Name')}”" if node.get("Name") else label
            properties.append((named, text))
    found.add_properties(properties)
    found.metadata.extend((label, value) for label, value in properties if label == "作者")
