"""DOCX attachments with python-docx, read down to the XML of every part: the text of
body, headers, footers, notes and comments, including what Word hides — tracked
insertions and deletions, comments and hidden (`w:vanish`) text — and text its formatting
makes invisible: coloured like what is behind it (white on the white page, black on a black
highlight or shading) or set in a font of 1 point or less.

A run's formatting is resolved as Word does for these properties: document defaults, the
paragraph's style, the run's character style (each with its `basedOn` chain), then the run's
own. What is behind the text is the run's highlight, else its shading, else the paragraph's,
the table cell's and the table's, else a text box's fill, else the page colour (white unless one
is set and shown). Where that is not certain the colour is not compared, so that white text stays
allowed on what is dark: a table whose style shades cells (Word's banded and header-row styles),
patterned shading, a text box filled other than with one plain colour, a VML shape, a picture as
page background, and text with effects that outline, shadow or fill it differently (w14:textFill
and the like). Colours are read from `w:val`, which Word writes beside a theme colour. The
message names the paragraphs (counted in the part, table cells' included), never the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import docx
from lxml import etree

from .attachments import HEX, HIDDEN_FIX, WHITE, same_colour
from .extract import Extract, parse_xml
from . import officeparts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Text as it is written, deleted in a tracked change, or in a field's code (a HYPERLINK's address,
# an INCLUDETEXT's path: not shown unless the field codes are, but in the file)
TEXT_TAGS = {W + "t", W + "delText", W + "instrText"}
DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
TRACKED = {
    W + "ins": "修订（插入）",
    W + "del": "修订（删除）",
    W + "moveFrom": "修订（移动）",
    W + "moveTo": "修订（移动）",
}
OFF = {"0", "false", "off"}
SMALLEST = 2  # half-points: text of 1 pt or less cannot be read
LISTED = 10  # places named in one message
HIGHLIGHT = {
    "black": "000000",
    "blue": "0000FF",
    "cyan": "00FFFF",
    "green": "00FF00",
    "magenta": "FF00FF",
    "red": "FF0000",
    "yellow": "FFFF00",
    "white": "FFFFFF",
    "darkBlue": "000080",
    "darkCyan": "008080",
    "darkGreen": "008000",
    "darkMagenta": "800080",
    "darkRed": "800000",
    "darkYellow": "808000",
    "darkGray": "808080",
    "lightGray": "C0C0C0",
}
EFFECTS = {W + "outline", W + "emboss", W + "imprint", W + "shadow"}  # on/off: they draw the letters' edges
EFFECTS_2010 = {W14 + name for name in ("textFill", "textOutline", "shadow", "glow", "reflection")}
ALL_EFFECTS = EFFECTS | EFFECTS_2010
PARTS = {
    "document": "正文",
    "header": "页眉",
    "footer": "页脚",
    "footnotes": "脚注",
    "endnotes": "尾注",
    "comments": "批注",
}
CLEAR = ""  # no background of its own: what is behind it shows
Props = dict[str, Any]


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


def _on(node: etree._Element) -> bool:
    return node.get(W + "val", "true") not in OFF


def _rpr(rpr: etree._Element | None) -> Props:
    """The properties of one w:rPr that decide whether its text can be seen."""
    props: Props = {}
    if rpr is None:
        return props
    for node in rpr:
        tag = node.tag
        if tag == W + "color":
            props["color"] = node.get(W + "val")
        elif tag == W + "highlight":
            props["highlight"] = node.get(W + "val")
        elif tag == W + "shd":
            props["shd"] = node
        elif tag in (W + "sz", W + "szCs"):
            try:
                props[tag[len(W) :]] = int(node.get(W + "val", ""))
            except ValueError:
                pass
        elif tag in (W + "cs", W + "rtl"):  # complex script: sized by w:szCs
            props["cs"] = props.get("cs", False) or _on(node)
        elif tag == W + "vanish":
            props["vanish"] = _on(node)
        elif tag in EFFECTS:
            props[tag] = _on(node)
        elif tag in EFFECTS_2010:
            props[tag] = True
    return props


def _shading(shd: etree._Element | None) -> str | None:
    """The colour a w:shd paints: RRGGBB, CLEAR (none) or None (a pattern: not one colour)."""
    if shd is None:
        return CLEAR
    pattern = shd.get(W + "val", "clear")
    if pattern == "nil":
        return CLEAR
    colour = shd.get(W + "fill") if pattern == "clear" else shd.get(W + "color") if pattern == "solid" else None
    if pattern == "clear" and colour in (None, "auto"):
        return CLEAR
    return colour.upper() if colour and HEX.fullmatch(colour) else None


class _Styles:
    """The document's styles.xml, as far as it decides whether text can be seen."""

    def __init__(self, root: etree._Element | None) -> None:
        self.styles: dict[str, etree._Element] = {}
        self.defaults: Props = {}
        self.paragraph_default = ""
        self._runs: dict[str, Props] = {}
        self._shading: dict[str, etree._Element | None] = {}
        self._shaded_tables: dict[str, bool] = {}
        if root is None:
            return
        for style in root.iter(W + "style"):
            style_id = style.get(W + "styleId", "")
            self.styles.setdefault(style_id, style)
            if style.get(W + "type") == "paragraph" and _on_attr(style.get(W + "default")):
                self.paragraph_default = self.paragraph_default or style_id
        default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.defaults = _rpr(default)

    def _chain(self, style_id: str) -> list[etree._Element]:
        """The style and those it is based on, the most basic first."""
        chain: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles and len(chain) < 20:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            based = style.find(W + "basedOn")
            style_id = based.get(W + "val", "") if based is not None else ""
        return chain[::-1]

    def run(self, style_id: str) -> Props:
        if style_id not in self._runs:
            props: Props = {}
            for style in self._chain(style_id):
                props.update(_rpr(style.find(W + "rPr")))
            self._runs[style_id] = props
        return self._runs[style_id]

    def paragraph_shading(self, style_id: str) -> etree._Element | None:
        if style_id not in self._shading:
            shd = None
            for style in self._chain(style_id):
                own = style.find(f"{W}pPr/{W}shd")
                shd = shd if own is None else own
            self._shading[style_id] = shd
        return self._shading[style_id]

    def shades_cells(self, style_id: str) -> bool:
        """Whether a table style (or one it is based on) shades anything, such as a header row."""
        if style_id not in self._shaded_tables:
            self._shaded_tables[style_id] = any(
                next(style.iter(W + "shd"), None) is not None for style in self._chain(style_id)
            )
        return self._shaded_tables[style_id]


def _on_attr(value: str | None) -> bool:
    return value is not None and value not in OFF


def _val(parent: etree._Element | None, path: str) -> str:
    node = parent.find(path) if parent is not None else None
    return node.get(W + "val", "") if node is not None else ""


def _page_colour(document: etree._Element, settings: etree._Element | None) -> str | None:
    """The page colour (w:background, shown only with w:displayBackgroundShape in the settings):
    white when none is shown, None for a picture, gradient or pattern."""
    background = document.find(W + "background")
    shown = settings is not None and any(_on(node) for node in settings.iter(W + "displayBackgroundShape"))
    if background is None or not shown:
        return WHITE
    if len(background):
        return None  # a fill of the VML background shape: a picture, gradient or pattern
    colour = background.get(W + "color", "auto")
    return WHITE if colour == "auto" else colour.upper() if HEX.fullmatch(colour) else None


def _shape_fill(box: etree._Element, page: str | None) -> str | None:
    """What is behind the text of a text box: the shape's one plain fill, the page if it has none."""
    shape = next(box.iterancestors(WPS + "wsp"), None)
    properties = shape.find(WPS + "spPr") if shape is not None else None
    if properties is None:
        return None  # a VML text box, or a shape without properties: not known
    if properties.find(A + "noFill") is not None:
        return page
    solid = properties.find(A + "solidFill")
    if solid is not None:
        colour = solid.find(A + "srgbClr")
        value = colour.get("val", "") if colour is not None and not len(colour) else ""
        return value.upper() if HEX.fullmatch(value) else None
    if any(properties.find(A + kind) is not None for kind in ("gradFill", "blipFill", "pattFill", "grpFill")):
        return None
    style = shape.find(WPS + "style") if shape is not None else None
    reference = style.find(A + "fillRef") if style is not None else None
    return page if reference is None or reference.get("idx") == "0" else None


def _background(run: etree._Element, props: Props, styles: _Styles, page: str | None) -> str | None:
    """The colour behind a run's text, or None when it is not certain."""
    highlight = props.get("highlight")
    if highlight and highlight != "none":
        return HIGHLIGHT.get(highlight)
    colour = _shading(props.get("shd"))
    if colour != CLEAR:
        return colour
    for node in run.iterancestors():
        tag = node.tag
        if tag == W + "p":
            properties = node.find(W + "pPr")
            shd = properties.find(W + "shd") if properties is not None else None
            if shd is None:
                shd = styles.paragraph_shading(_val(properties, W + "pStyle") or styles.paragraph_default)
            colour = _shading(shd)
        elif tag == W + "tc":
            colour = _shading(node.find(f"{W}tcPr/{W}shd"))
        elif tag == W + "tbl":
            table_style = _val(node.find(W + "tblPr"), W + "tblStyle")
            if table_style and styles.shades_cells(table_style):
                return None
            colour = _shading(node.find(f"{W}tblPr/{W}shd"))
        elif tag == W + "txbxContent":
            return _shape_fill(node, page)
        else:
            continue
        if colour != CLEAR:
            return colour
    return page


def _has_text(run: etree._Element) -> bool:
    return any((node.text or "").strip() for node in run.iterchildren(W + "t"))


def _invisible_runs(root: etree._Element, styles: _Styles, page: str | None) -> tuple[list[int], list[int]]:
    """Numbers (1-based, among the part's paragraphs) of the paragraphs holding text coloured
    like its background, and holding text of 1 point or less."""
    numbers: dict[etree._Element, int] | None = None
    coloured: list[int] = []
    tiny: list[int] = []
    copies = {run for fallback in root.iter(FALLBACK) for run in fallback.iter(W + "r")}  # text boxes for old Words
    inherited: dict[tuple[str, str], Props] = {}
    for run in root.iter(W + "r"):
        if run in copies or not _has_text(run):
            continue
        paragraph = next(run.iterancestors(W + "p"), None)
        paragraph_style = _val(paragraph.find(W + "pPr") if paragraph is not None else None, f"{W}pStyle")
        properties = run.find(W + "rPr")
        if paragraph_style not in styles.styles:
            paragraph_style = styles.paragraph_default  # none, or one the file lacks: Word's Normal
        styles_key = (paragraph_style, _val(properties, W + "rStyle"))
        if styles_key not in inherited:
            inherited[styles_key] = {**styles.defaults, **styles.run(styles_key[0]), **styles.run(styles_key[1])}
        props = {**inherited[styles_key], **_rpr(properties)} if properties is not None else inherited[styles_key]
        if props.get("vanish"):
            continue  # hidden text: reported as such
        size = props.get("szCs" if props.get("cs") else "sz")
        small = isinstance(size, int) and size <= SMALLEST
        colour = props.get("color")
        same = False
        if colour and HEX.fullmatch(colour) and not any(props.get(tag) for tag in ALL_EFFECTS):
            background = _background(run, props, styles, page)
            same = background is not None and same_colour(colour, background)
        if not (small or same):
            continue
        if numbers is None:
            numbers = {node: n for n, node in enumerate(root.iter(W + "p"), start=1)}
        number = numbers.get(paragraph, 0) if paragraph is not None else 0
        for found, hit in ((tiny, small), (coloured, same)):
            if hit and number not in found:
                found.append(number)
    return coloured, tiny


def _places(found: dict[str, list[int]]) -> tuple[int, str]:
    places = [f"{label}第 {n} 段" if n else label for label, numbers in found.items() for n in numbers]
    listed = "、".join(places[:LISTED]) + (f" 等 {len(places)} 段" if len(places) > LISTED else "")
    return len(places), listed


def _label(part_name: str) -> str:
    stem = part_name.rsplit("/", 1)[-1].removesuffix(".xml")
    return next((label for prefix, label in PARTS.items() if stem.startswith(prefix)), stem)


def _related(document: Any, kind: str) -> etree._Element | None:
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/" + kind) and not rel.is_external:
            return parse_xml(rel.target_part.blob)
    return None


def read_docx(source: Path | IO[bytes], depth: int = 0) -> Extract:
    """`depth`: how deep the file is embedded in the attachment (0: it is the attachment)."""
    document = docx.Document(str(source) if isinstance(source, Path) else source)
    found = Extract()
    lines: list[str] = []
    tracked: dict[str, int] = {}
    comments = hidden_runs = hidden_shapes = 0
    styles = _Styles(_related(document, "styles"))
    page = _page_colour(document.element, _related(document, "settings"))
    coloured: dict[str, list[int]] = {}
    tiny: dict[str, list[int]] = {}
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if not (name.startswith("/word/") and name.endswith(".xml")):
            continue
        root = parse_xml(part.blob)
        lines.extend(_paragraphs(root))
        lines.extend(text for node in root.iter(DOC_PR) for key in officeparts.ALT_TEXT if (text := node.get(key)))
        # document variables (settings.xml w:docVar): text a macro or an add-in keeps, shown nowhere
        found.parts.extend((f"文档变量“{v.get(W + 'name')}”", v.get(W + "val") or "") for v in root.iter(W + "docVar"))
        for tag, label in TRACKED.items():
            count = sum(1 for _ in root.iter(tag))
            if count:
                tracked[label] = tracked.get(label, 0) + count
        comments += sum(1 for _ in root.iter(W + "comment"))
        hidden_shapes += officeparts.hidden_shapes(root)
        hidden_runs += sum(1 for node in root.iter(W + "vanish") if node.get(W + "val", "true") not in OFF)
        same, small = _invisible_runs(root, styles, page)
        for collected, numbers in ((coloured, same), (tiny, small)):
            if numbers:
                collected.setdefault(_label(name), []).extend(numbers)
    for label, count in tracked.items():
        found.hidden.append(f"{count} 处{label}未接受或拒绝")
    if comments:
        found.hidden.append(f"{comments} 条批注")
    if hidden_runs:
        found.hidden.append(f"{hidden_runs} 处隐藏文字")
    if hidden_shapes:
        found.hidden.append(f"{hidden_shapes} {officeparts.HIDDEN_SHAPES}；{HIDDEN_FIX}")
    if coloured:
        count, places = _places(coloured)
        found.hidden.append(
            f"{count} 段有与背景同色的文字（如白底白字、黑色突出显示上的黑字），看不见：{places}；{HIDDEN_FIX}"
        )
    if tiny:
        count, places = _places(tiny)
        found.hidden.append(f"{count} 段有字号不大于 1 磅的文字，看不见：{places}；{HIDDEN_FIX}")
    found.text = "\n".join(lines)
    officeparts.add_parts(found, source, "word/", depth)
    return found
