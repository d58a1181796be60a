"""PowerPoint attachments (.pptx, the slides of many 政策解读), read as the XML they are. The text
is every slide's, with the charts, diagrams and embedded files officeparts.py reads; the layouts'
and masters' text (a master's footer shows on every slide) is scanned as a part of the file. Hidden from the slide show but kept in
the file (SEC014): slides set not to show, shapes set hidden or lying wholly off the slide,
speaker notes (演讲者备注) and comments — what a reviewer paging through the slides never sees.
Their text is scanned too."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from lxml import etree

from . import officeparts
from .attachments import HIDDEN_FIX
from .extract import Extract, element_text, local_name, numbered, parse_xml

SLIDE = re.compile(r"ppt/slides/slide\d+\.xml")
# Layouts and masters: their placeholders' prompts ("单击此处编辑母版标题样式") are in every file, so
# their text is scanned as a part, not counted as the slides' (a deck of pictures has no text: SEC015).
MASTERS = re.compile(r"ppt/(?:slideLayouts|slideMasters)/[^/]+\.xml")
NOTES = re.compile(r"ppt/notesSlides/[^/]+\.xml")
COMMENTS = re.compile(r"ppt/comments/[^/]+\.xml")
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NOTES_FIX = "删除演讲者备注和批注（“检查演示文稿”可一并删除）后再上传"


def _texts(root: etree._Element, skip_fields: bool = False) -> list[str]:
    """The a:t texts of a part; `skip_fields`: leave out fields (a notes page's slide number)."""
    found = []
    for node in root.iter():
        if local_name(node) == "t" and (node.text or "").strip():
            if skip_fields and any(local_name(up) == "fld" for up in node.iterancestors()):
                continue
            found.append(node.text)
    return found


def _targets(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """A part's relationships: id → the target's name in the package."""
    rels = str(PurePosixPath(part).parent / "_rels" / (PurePosixPath(part).name + ".rels"))
    if rels not in archive.namelist():
        return {}
    base = PurePosixPath(part).parent
    found = {}
    for node in parse_xml(archive.read(rels)):
        target, ident = node.get("Target") or "", node.get("Id") or ""
        if node.get("TargetMode") != "External" and target:
            parts: list[str] = []
            for piece in (base / target).parts:
                if piece == "..":
                    parts = parts[:-1]
                elif piece != ".":
                    parts.append(piece)
            found[ident] = "/".join(parts)
    return found


SMALLEST = 100  # hundredths of a point (a:rPr sz): text of 1 pt or less cannot be read


def _tiny_runs(root: etree._Element) -> int:
    """How many runs of a slide hold text set at 1 pt or less (a:rPr sz ≤ 100)."""
    count = 0
    for run in root.iter():
        if local_name(run) != "r":
            continue
        size = next((node.get("sz") for node in run if local_name(node) == "rPr"), None)
        said = "".join(text.text or "" for text in run if local_name(text) == "t")
        if size is not None and size.isdigit() and int(size) <= SMALLEST and said.strip():
            count += 1
    return count


def _slide_size(archive: zipfile.ZipFile) -> tuple[int, int] | None:
    """The slides' width and height (EMU), from presentation.xml's sldSz; None when not given."""
    if "ppt/presentation.xml" not in archive.namelist():
        return None
    for node in parse_xml(archive.read("ppt/presentation.xml")).iter():
        if local_name(node) == "sldSz":
            try:
                return int(node.get("cx", "")), int(node.get("cy", ""))
            except ValueError:
                return None
    return None


def _off_slide(root: etree._Element, size: tuple[int, int]) -> int:
    """How many of a slide's top-level shapes holding text lie wholly outside the slide: kept in
    the file, never shown in the show (a shape pushed off the edge instead of deleted)."""
    width, height = size
    count = 0
    for tree in (node for node in root.iter() if local_name(node) == "spTree"):
        for shape in tree:
            place = next((n for n in shape.iter() if local_name(n) == "xfrm"), None)
            offset = next((n for n in place if local_name(n) == "off"), None) if place is not None else None
            extent = next((n for n in place if local_name(n) == "ext"), None) if place is not None else None
            if offset is None or extent is None or not _texts(shape):
                continue
            try:
                x, y = int(offset.get("x", "0")), int(offset.get("y", "0"))
                w, h = int(extent.get("cx", "0")), int(extent.get("cy", "0"))
            except ValueError:
                continue
            if x >= width or y >= height or x + w <= 0 or y + h <= 0:
                count += 1
    return count


def _slide_numbers(archive: zipfile.ZipFile) -> dict[str, int]:
    """Each slide part's number in the slide show (presentation.xml's list), from 1."""
    targets = _targets(archive, "ppt/presentation.xml")
    if "ppt/presentation.xml" not in archive.namelist():
        return {}
    order = [
        targets.get(node.get(RELATIONSHIP_ID) or "", "")
        for node in parse_xml(archive.read("ppt/presentation.xml")).iter()
        if local_name(node) == "sldId"
    ]
    return {name: number for number, name in enumerate(order, start=1) if name}


def _number(name: str, numbers: dict[str, int]) -> int:
    """A slide's (or its notes page's) number in the show; failing that, the one in its part's name."""
    if name in numbers:
        return numbers[name]
    digits = re.search(r"(\d+)\.xml$", name)
    return int(digits.group(1)) if digits else 0


def read_pptx(source: Path | IO[bytes], depth: int = 0) -> Extract:
    """`depth`: how deep the file is embedded in the attachment (0: it is the attachment)."""
    found = Extract()
    lines: list[str] = []
    hidden_slides: list[int] = []
    hidden_shapes: list[int] = []
    off_slide: list[int] = []
    tiny: list[int] = []
    noted: list[int] = []
    masters: list[str] = []
    comments = 0
    with zipfile.ZipFile(source) as archive:
        numbers = _slide_numbers(archive)
        size = _slide_size(archive)
        notes_of = {
            target: numbers.get(slide, 0)
            for slide in numbers
            for target in _targets(archive, slide).values()
            if NOTES.fullmatch(target)
        }
        for name in sorted(archive.namelist()):
            if SLIDE.fullmatch(name):
                root = parse_xml(archive.read(name))
                lines.extend(officeparts.drawn_text(root))
                if root.get("show", "1") in ("0", "false"):
                    hidden_slides.append(_number(name, numbers))
                if officeparts.hidden_shapes(root):
                    hidden_shapes.append(_number(name, numbers))
                if size is not None and _off_slide(root, size):
                    off_slide.append(_number(name, numbers))
                if _tiny_runs(root):
                    tiny.append(_number(name, numbers))
            elif MASTERS.fullmatch(name):
                masters.extend(officeparts.drawn_text(parse_xml(archive.read(name))))
            elif NOTES.fullmatch(name):
                said = _texts(parse_xml(archive.read(name)), skip_fields=True)
                if said:
                    lines.extend(said)
                    noted.append(_number(name, notes_of))
            elif COMMENTS.fullmatch(name):
                root = parse_xml(archive.read(name))
                count = sum(1 for node in root.iter() if local_name(node) == "cm")
                if count:
                    comments += count
                    lines.append(element_text(root, " "))
    if hidden_slides:
        found.hidden.append(f"隐藏的幻灯片：{numbered(hidden_slides, '张')}，放映时看不见；删除后再上传，而不是隐藏")
    if hidden_shapes:
        found.hidden.append(
            f"{numbered(hidden_shapes, '张')}幻灯片上有图形或文本框设为隐藏（选择窗格中的“隐藏”），看不见；{HIDDEN_FIX}"
        )
    if off_slide:
        found.hidden.append(
            f"{numbered(off_slide, '张')}幻灯片上有带文字的图形整个放在幻灯片之外，放映时看不见；{HIDDEN_FIX}"
        )
    if tiny:
        found.hidden.append(f"{numbered(tiny, '张')}幻灯片上有字号不大于 1 磅的文字，看不见；{HIDDEN_FIX}")
    if noted:
        found.hidden.append(f"{numbered(noted, '张')}幻灯片有演讲者备注，放映时看不见；{NOTES_FIX}")
    if comments:
        found.hidden.append(f"{comments} 条批注；{NOTES_FIX}")
    found.text = "\n".join(lines)
    if masters:
        found.parts.append(("版式和母版", "\n".join(masters)))
    officeparts.add_parts(found, source, "ppt/", depth)
    return found
