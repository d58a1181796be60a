"""What a Word or Excel attachment holds beyond its body's text: the text of its charts, SmartArt
diagrams and (Excel) drawings — text boxes and shapes on a sheet —; the data it keeps and shows at
most in part — a pivot table's cache (every row of its source, even when the source sheet is
gone), the cached values of external links, custom XML data —; and the files embedded in it
(插入 → 对象, a chart's data workbook). An embedded Word or Excel file is read like an attachment,
to a depth of MAX_DEPTH, and its text, properties, hidden parts and unreadable parts are said to be
in it: the whole file ships inside the attachment, though the page shows at most a preview of it.
Any other kind (an object in the old binary format, a packaged file, a presentation) cannot be
read and blocks until a reviewer signs the attachment off (SEC015)."""

from __future__ import annotations

import importlib
import io
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from lxml import etree

from . import officeprops
from .attachments import HIDDEN_FIX, IMAGE_SUFFIXES
from .extract import Extract, Unreadable, check_zip, local_name, parse_xml

# SEC015's fix for a file embedded in an attachment that cannot be read.
EMBEDDED_FIX = (
    "把内嵌对象中要公开的内容直接粘贴进文件（表格、文字或图片），删除内嵌对象后再上传；"
    "确需保留的，由审核人打开内嵌对象逐项审查后在 signoffs 中签认。"
)
# Embedded files read in one file: a real document embeds a few charts' workbooks or objects; each
# read can take a second, and a file of 10,000 would hold the check for hours.
MAX_EMBEDDED = 50
MAX_DEPTH = 2  # a file embedded in an embedded file is read; one level further is not
DRAWN = ("charts/", "diagrams/", "drawings/")  # parts whose text DrawingML or a chart holds
DRAWN_TEXT = {"t", "v"}  # a:t (DrawingML text), c:v (a chart's cached labels and values)
# Parts that keep data apart from what the file shows, with the name a finding gives them.
KEPT = {"pivotCache/": "数据透视表缓存", "externalLinks/": "外部链接的缓存数据"}
CUSTOM_XML = "customXml/item"  # custom XML data (content controls bound to it, SharePoint columns)
READERS = {
    ".docx": ("Word", "word:read_docx"),
    ".docm": ("Word", "word:read_docx"),
    ".xlsx": ("Excel", "excel:read_xlsx"),
    ".xlsm": ("Excel", "excel:read_xlsx"),
    ".pptx": ("PowerPoint", "slides:read_pptx"),
}


def add_parts(found: Extract, source: Path | IO[bytes], prefix: str, depth: int) -> None:
    """Into `found`: the drawn text of the package's parts under `prefix` ("word/", "xl/") as its
    text; its pivot caches, external links' caches and custom XML data as parts; each picture's
    own text and metadata (`prefix`media/); each file in `prefix`embeddings/ as an embedded file;
    then the package's own properties (officeprops.py), and those that name a person (SEC012). `depth`: how deep `source` itself is embedded (0: the
    attachment)."""
    with zipfile.ZipFile(source) as archive:
        embedded = [name for name in archive.namelist() if name.startswith(prefix + "embeddings/")]
        if len(embedded) > MAX_EMBEDDED:
            found.unreadable.append(
                (f"内嵌了 {len(embedded)} 个文件，超过 {MAX_EMBEDDED} 个，未逐个读取，无法审查", EMBEDDED_FIX)
            )
        hidden = 0
        for name in sorted(archive.namelist()):
            if name.startswith(CUSTOM_XML) and name.endswith(".xml") and "/_rels/" not in name:
                found.parts.append((f"自定义 XML 数据 {name}", _kept_text(archive.read(name))))
            rest = name.removeprefix(prefix)
            if rest == name or name.endswith("/") or "/_rels/" in name or not archive.getinfo(name).file_size:
                continue
            if rest.startswith("embeddings/"):
                if len(embedded) > MAX_EMBEDDED:
                    continue
                _embedded(found, PurePosixPath(name).name, archive.read(name), depth)
            elif rest.startswith(DRAWN) and name.endswith(".xml"):
                root = parse_xml(archive.read(name))
                found.text += "\n" + "\n".join(drawn_text(root))
                hidden += hidden_shapes(root)
            elif rest.startswith("media/") and PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES:
                _picture(found, PurePosixPath(name).name, archive.read(name))
            elif rest.startswith(tuple(KEPT)) and name.endswith(".xml"):
                kept = next(label for folder, label in KEPT.items() if rest.startswith(folder))
                found.parts.append((f"{kept} {PurePosixPath(name).name}", _kept_text(archive.read(name))))
        properties = officeprops.properties(archive)
    if hidden:
        found.hidden.append(f"{hidden} {HIDDEN_SHAPES}；{HIDDEN_FIX}")
    found.add_properties(properties)
    found.metadata.extend(officeprops.identifying(properties))


HIDDEN_SHAPES = "个图形或文本框设为隐藏（选择窗格中的“隐藏”），看不见，其中的文字仍在文件里"
SHAPE_NAMES = ("cNvPr", "docPr")  # a shape's non-visual properties (DrawingML; Word's drawing)
TEXT_NAMES = ("t",)  # a:t, and w:t in a Word text box


ALT_TEXT = ("descr", "title")  # a picture's or shape's alternative text (可选文字), read aloud, not shown


def hidden_shapes(root: etree._Element) -> int:
    """How many shapes of a part are set hidden (cNvPr or docPr hidden="1", the selection pane's
    eye) and hold text: the shape, or the drawing a docPr belongs to, with any a:t or w:t."""
    count = 0
    for node in root.iter():
        if local_name(node) in SHAPE_NAMES and node.get("hidden", "").lower() in ("1", "true"):
            shape = node.getparent()
            shape = shape.getparent() if shape is not None and local_name(node) == "cNvPr" else shape
            if shape is not None and any(
                local_name(text) in TEXT_NAMES and (text.text or "").strip() for text in shape.iter()
            ):
                count += 1
    return count


def drawn_text(root: etree._Element) -> list[str]:
    """The text of a DrawingML part (a drawing, chart or slide), with each shape's alternative
    text (cNvPr descr, title)."""
    found = []
    for node in root.iter():
        name = local_name(node)
        if name in DRAWN_TEXT and (node.text or "").strip():
            found.append(node.text)
        elif name == "cNvPr":
            found.extend(text for key in ALT_TEXT if (text := node.get(key)))
    return found


def _kept_text(data: bytes) -> str:
    """Every text of a data part, in elements and in `v` and `name` attributes (a pivot cache
    writes each value as <s v="…"/>, each column as <cacheField name="…">)."""
    root = parse_xml(data)
    found = [value for node in root.iter() for value in (node.get("v"), node.get("name")) if value]
    found.extend(text for text in root.itertext() if text.strip())
    return "\n".join(found)


def _picture(found: Extract, name: str, data: bytes) -> None:
    """A picture's own text and identifying metadata (EXIF, GPS: image.py), said to be in it. Its
    header is all that is read; one that cannot be read shows nothing to scan and is passed over,
    as the page shows what it shows."""
    from .image import read_image  # Pillow is loaded only by a file that holds pictures

    try:
        inner = read_image(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - a damaged picture holds no text of its own to scan
        return
    where = f"内嵌图片 {name}"
    found.parts.extend((f"{where} 的{part}", text) for part, text in inner.parts)
    found.metadata.extend((f"{where} 的{label}", value) for label, value in inner.metadata)


def _embedded(found: Extract, name: str, data: bytes, depth: int) -> None:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in READERS:
        found.unreadable.append((f"内嵌文件 {name}（不是 Word、Excel 或 PowerPoint 文件）无法审查", EMBEDDED_FIX))
        return
    if depth + 1 > MAX_DEPTH:
        found.unreadable.append((f"内嵌文件 {name} 套在另一个内嵌文件中，层数过多，未读取", EMBEDDED_FIX))
        return
    kind, spec = READERS[suffix]
    module, function = spec.split(":")
    reader = getattr(importlib.import_module(f"{__package__}.{module}"), function)
    try:
        check_zip(io.BytesIO(data), kind)
        inner = reader(io.BytesIO(data), depth + 1)
    except Unreadable as exc:
        found.unreadable.append((f"内嵌文件 {name}：{exc.message}", EMBEDDED_FIX))
        return
    except Exception:  # noqa: BLE001 - a damaged embedded file is a finding, never a crash
        found.unreadable.append((f"内嵌文件 {name} 无法读取", EMBEDDED_FIX))
        return
    found.add_embedded(name, inner)
