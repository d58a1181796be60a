"""XLSX attachments with openpyxl: every cell of every sheet, and what Excel hides —
hidden sheets, rows and columns, cell comments, and cells the format makes invisible:
a row of (almost) no height, a column of no width, a number format that shows nothing of the
value (`;;;`), text coloured like the cell's fill (white on white).

Only cells that hold something count: an empty row of height 0 or column of width 0 hides
nothing. A colour is compared only where the background is certain — no fill (the white
sheet) or a solid fill; a cell under conditional formatting, a patterned or gradient fill, or
an Excel table's style (without a fill of its own) is left alone, since its colours are not
what the cell says. A zero shown as nothing or as “-” is a display convention, not a hidden value.
"""

from __future__ import annotations

import colorsys
import functools
import re
from pathlib import Path
from typing import IO, Any

import openpyxl
from lxml import etree
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from .attachments import HEX, HIDDEN_FIX, WHITE, same_colour
from .extract import Extract, parse_xml
from . import officeparts

LOWEST_ROW = 1.0  # points: a row at most this high shows nothing of its text (Excel's step is 0.75)
NARROWEST_COLUMN = 0.1  # characters: a column narrower than this is less than a pixel wide
LISTED = 10  # rows, columns or cells named in one message
BLACK = "000000"
ARGB = re.compile(r"([0-9A-Fa-f]{2})?[0-9A-Fa-f]{6}")
# Excel's theme colour indexes 0–3 are lt1, dk1, lt2, dk2 (the scheme lists dk1 first); the Office
# defaults stand in when a file carries no theme.
SCHEME = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6"]
SCHEME += ["hlink", "folHlink"]
DEFAULT_THEME = ["FFFFFF", "000000", "EEECE1", "1F497D"]
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
FORMAT_COLOURS = {
    "black": "000000",
    "white": "FFFFFF",
    "red": "FF0000",
    "green": "00FF00",
    "blue": "0000FF",
    "yellow": "FFFF00",
    "magenta": "FF00FF",
    "cyan": "00FFFF",
}
VALUE_CODES = set("0#?ymdhseb")  # digit placeholders, date and time codes, E+, General (lower-cased)
Range = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row


def _theme(book: Any) -> list[str]:
    """RRGGBB of each theme colour index."""
    raw = getattr(book, "loaded_theme", None)
    if not raw:
        return DEFAULT_THEME
    try:
        root = parse_xml(raw)
    except etree.LxmlError:  # a damaged theme only loses the theme colours
        return DEFAULT_THEME
    scheme = next(root.iter(A + "clrScheme"), None)
    if scheme is None:
        return DEFAULT_THEME
    colours = []
    for name in SCHEME:
        node = scheme.find(A + name)
        value = ""
        if node is not None and len(node):
            value = node[0].get("lastClr") or node[0].get("val") or ""
        colours.append(value.upper() if HEX.fullmatch(value) else "")
    return colours


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: the HLS lightness moved toward black (tint < 0) or white (tint > 0)."""
    if not tint:
        return rgb
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, saturation = colorsys.rgb_to_hls(red, green, blue)
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    return "".join(f"{round(c * 255):02X}" for c in colorsys.hls_to_rgb(hue, light, saturation))


class _Colours:
    def __init__(self, book: Any) -> None:
        self.theme = _theme(book)
        palette = getattr(book, "_colors", None) or COLOR_INDEX
        self.palette = [str(c)[-6:].upper() for c in palette]

    def rgb(self, colour: Any, automatic: str | None = None) -> str | None:
        """RRGGBB of an openpyxl colour; `automatic` for an automatic one, None for one not known."""
        if colour is None:
            return automatic
        try:
            # `type`, not `auto`: openpyxl answers `auto` with an error text when the colour is not automatic
            kind = colour.type
            if kind == "auto" or (kind == "indexed" and colour.indexed == 64):  # 64: the system's foreground
                return automatic
            if kind == "rgb" and isinstance(colour.rgb, str) and ARGB.fullmatch(colour.rgb):
                return colour.rgb[-6:].upper()
            if kind == "indexed" and isinstance(colour.indexed, int) and 0 <= colour.indexed < len(self.palette[:64]):
                return self.palette[colour.indexed]
            if kind == "theme" and isinstance(colour.theme, int) and 0 <= colour.theme < len(self.theme):
                base = self.theme[colour.theme]
                return _tinted(base, float(colour.tint or 0)) if base else None
        except (TypeError, ValueError):
            return None
        return None


def _sections(code: str) -> list[str]:
    """A number format's sections, split at the semicolons outside quotes and escapes."""
    sections: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in code:
        if escaped:
            escaped = False
        elif char == "\\" and not quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            sections.append("".join(current))
            current = []
            continue
        current.append(char)
    return sections + ["".join(current)]


def _reading(section: str) -> tuple[bool, bool, bool, str | None]:
    """(shows a number, shows text, has a condition, colour) of one format section."""
    number = text = condition = False
    colour = None
    i = 0
    while i < len(section):
        char = section[i]
        if char == '"':
            end = section.find('"', i + 1)
            i = len(section) if end < 0 else end + 1
            continue
        if char in "\\_*":  # an escaped literal, the width of a character, a fill character
            i += 2
            continue
        if char == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            inside = section[i + 1 : end].strip().lower()
            if inside[:1] in "<>=":
                condition = True
            elif inside in FORMAT_COLOURS:
                colour = FORMAT_COLOURS[inside]
            elif re.fullmatch(r"h+|m+|s+", inside):  # elapsed time
                number = True
            i = end + 1
            continue
        lower = char.lower()
        number = number or lower in VALUE_CODES
        text = text or char == "@"
        i += 1
    return number, text, condition, colour


def _format_hides(code: str, value: Any) -> tuple[bool, str | None]:
    """Whether the number format `code` shows nothing of `value`, and the colour it gives it."""
    if not code or code.lower() == "general" or isinstance(value, bool):
        return False, None
    if isinstance(value, str):
        return _verdict(code, "text")
    if isinstance(value, (int, float)):
        return _verdict(code, "zero" if value == 0 else "negative" if value < 0 else "positive")
    return _verdict(code, "positive")  # dates and times


@functools.lru_cache(maxsize=512)
def _verdict(code: str, kind: str) -> tuple[bool, str | None]:
    texts = _sections(code)
    sections = [_reading(s) for s in texts]
    if kind == "text":
        if len(sections) < 4:
            return False, None  # text is shown as it is
        return not (sections[3][1] or "general" in texts[3].lower()), sections[3][3]
    if kind == "zero":
        return False, None
    numeric = sections[:3]
    if any(s[2] for s in numeric):  # conditions choose the section: only all of them showing nothing
        return not any(s[0] for s in numeric), None
    chosen = numeric[1] if kind == "negative" and len(numeric) > 1 else numeric[0]
    return not chosen[0], chosen[3]


def _within(ranges: list[Range], row: int, column: int) -> bool:
    return any(c1 <= column <= c2 and r1 <= row <= r2 for c1, r1, c2, r2 in ranges)


def _bounds(refs: Any) -> list[Range]:
    found = []
    for ref in refs:
        try:
            c1, r1, c2, r2 = range_boundaries(str(ref))
        except (TypeError, ValueError):
            continue
        found.append((c1 or 1, r1 or 1, c2 or 16384, r2 or 1048576))
    return found


def _listed(items: list[str]) -> str:
    shown = "、".join(items[:LISTED])
    return shown + (f" 等 {len(items)} 处" if len(items) > LISTED else "")


def _number(height: float) -> str:
    return f"{height:g}"


class _SheetCheck:
    """The cells of one sheet that the format hides, collected as its rows are read."""

    def __init__(self, sheet: Any, colours: _Colours) -> None:
        self.sheet = sheet
        self.colours = colours
        self.rows = {
            n: float(dim.ht)
            for n, dim in sheet.row_dimensions.items()
            if not dim.hidden and dim.ht is not None and float(dim.ht) <= LOWEST_ROW
        }
        self.columns: dict[int, float] = {}
        for dim in sheet.column_dimensions.values():
            if dim.hidden or dim.width is None or float(dim.width) >= NARROWEST_COLUMN:
                continue
            low = dim.min or column_index_from_string(dim.index)
            for n in range(low, min(dim.max or low, 16384) + 1):
                self.columns[n] = float(dim.width)
        self.merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
        self.conditional = _bounds(ref for cf in sheet.conditional_formatting for ref in str(cf.sqref).split())
        self.tables = _bounds(table.ref for table in sheet.tables.values())
        self.styles: dict[int, tuple[str | None, str | None, str]] = {}
        self.hidden_rows: dict[int, float] = {}
        self.hidden_columns: dict[int, float] = {}
        self.formatted: list[str] = []
        self.formats: list[str] = []
        self.coloured: list[str] = []

    def _spans_visible(self, row: int, column: int, rows: bool) -> bool:
        """Whether a merged range anchored here reaches a row (or column) of normal size."""
        merged = self.merged.get((row, column))
        if merged is None:
            return False
        if rows:
            return any(n not in self.rows for n in range(merged.min_row, merged.max_row + 1))
        return any(n not in self.columns for n in range(merged.min_col, merged.max_col + 1))

    def _style(self, cell: Any) -> tuple[str | None, str | None, str]:
        """(text colour, fill colour or "" for no fill, number format) of the cell's style."""
        key = cell.style_id
        if key not in self.styles:
            fill = cell.fill
            kind = getattr(fill, "patternType", "gradient")
            if kind in (None, "none"):
                background: str | None = ""
            elif kind == "solid":
                background = self.colours.rgb(fill.fgColor)
            else:
                background = None
            # Excel's automatic font colour is black whatever the fill (Word's would turn white on black)
            text = self.colours.rgb(cell.font.color, automatic=BLACK)
            self.styles[key] = (text, background, str(cell.number_format or ""))
        return self.styles[key]

    def cell(self, cell: Any) -> None:
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()) or cell.data_type == "e":
            return
        row, column = cell.row, cell.column
        if row in self.rows and not self._spans_visible(row, column, rows=True):
            self.hidden_rows[row] = self.rows[row]
        if column in self.columns and not self._spans_visible(row, column, rows=False):
            self.hidden_columns[column] = self.columns[column]
        text, background, code = self._style(cell)
        hides, colour = _format_hides(code, value)
        if hides:
            self.formatted.append(cell.coordinate)
            if code not in self.formats:
                self.formats.append(code)
            return
        text = colour or text
        if text is None or _within(self.conditional, row, column):
            return
        if background == "":
            background = None if _within(self.tables, row, column) else WHITE  # a table's style may fill it
        if background is not None and same_colour(text, background):
            self.coloured.append(cell.coordinate)

    def findings(self) -> list[str]:
        title = self.sheet.title
        found = []
        if self.hidden_rows:
            rows = sorted(self.hidden_rows)
            names = "、".join(str(n) for n in rows[:LISTED]) + (f" 行等 {len(rows)}" if len(rows) > LISTED else "")
            heights = {self.hidden_rows[n] for n in rows}
            size = "为 0" if heights == {0.0} else f"不超过 {_number(LOWEST_ROW)} 磅"
            found.append(f"工作表“{title}”第 {names} 行高度{size}（隐藏行）")
        if self.hidden_columns:
            columns = sorted(self.hidden_columns)
            names = "、".join(get_column_letter(n) for n in columns[:LISTED])
            names += f" 列等 {len(columns)}" if len(columns) > LISTED else ""
            found.append(f"工作表“{title}”第 {names} 列宽度为 0（隐藏列）")
        if self.formatted:
            codes = "、".join(f"“{code}”" for code in self.formats[:3])
            found.append(f"工作表“{title}”单元格 {_listed(self.formatted)} 的数字格式 {codes} 不显示其内容")
        if self.coloured:
            found.append(
                f"工作表“{title}”单元格 {_listed(self.coloured)} 的文字颜色与底色相同（如白底白字、黑底黑字），看不见"
            )
        return [f"{what}；{HIDDEN_FIX}" for what in found]


def read_xlsx(source: Path | IO[bytes], depth: int = 0) -> Extract:
    """`depth`: how deep the file is embedded in the attachment (0: it is the attachment)."""
    book = openpyxl.load_workbook(source, data_only=True)
    colours = _Colours(book)
    found = Extract()
    lines: list[str] = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            found.hidden.append(f"隐藏的工作表“{sheet.title}”")
        rows = [str(n) for n, dim in sheet.row_dimensions.items() if dim.hidden]
        if rows:
            found.hidden.append(f"工作表“{sheet.title}”的隐藏行：{'、'.join(rows[:10])}")
        columns = [key for key, dim in sheet.column_dimensions.items() if dim.hidden]
        if columns:
            found.hidden.append(f"工作表“{sheet.title}”的隐藏列：{'、'.join(columns[:10])}")
        lines.append(sheet.title)  # the tab shows it
        lines.extend(_header_footer(sheet))
        lines.extend(_validation_texts(sheet))
        check = _SheetCheck(sheet, colours)
        commented = 0
        for row in sheet.iter_rows():
            lines.append("\t".join("" if cell.value is None else str(cell.value) for cell in row))
            for cell in row:
                check.cell(cell)
                if cell.comment is not None:
                    commented += 1
                    lines.append(cell.comment.text or "")
        if commented:
            found.hidden.append(f"工作表“{sheet.title}”有 {commented} 条批注")
        found.hidden.extend(check.findings())
    for scope, names in [("", book.defined_names), *((sheet.title, sheet.defined_names) for sheet in book.worksheets)]:
        texts = _text_names(names)
        if texts:
            where = f"工作表“{scope}”的" if scope else ""
            named = "、".join(n for n, _ in texts[:10])
            found.hidden.append(f"{where}定义名称 {named} 中写有文字，不在任何单元格中显示；{HIDDEN_FIX}")
            lines.extend(text for _, text in texts)
    found.text = "\n".join(lines)
    officeparts.add_parts(found, source, "xl/", depth)
    return found


def _validation_texts(sheet: Any) -> list[str]:
    """The texts of the sheet's data validation (数据验证): a drop-down list's items, the input
    message and the error message — shown only when a cell is picked, kept in the file."""
    found = []
    for rule in sheet.data_validations.dataValidation:
        for text in (rule.formula1, rule.formula2, rule.promptTitle, rule.prompt, rule.errorTitle, rule.error):
            if text and str(text).strip():
                found.append(str(text))
    return found


def _header_footer(sheet: Any) -> list[str]:
    """The text of the sheet's headers and footers (页眉、页脚), printed on every page."""
    found = []
    for kind in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        item = getattr(sheet.HeaderFooter, kind)
        for part in (item.left, item.center, item.right):
            if part.text and part.text.strip():
                found.append(part.text)
    return found


def _text_names(names: Any) -> list[tuple[str, str]]:
    """The defined names (名称管理器) whose value is a text constant (`"…"` or `="…"`), with that text:
    kept in the workbook, shown in no cell. A name for a range or a formula shows nothing of its own."""
    found = []
    for name, defined in names.items():
        value = str(defined.attr_text or "").strip().removeprefix("=").strip()
        if len(value) > 2 and value.startswith('"') and value.endswith('"'):
            found.append((str(name), value[1:-1].replace('""', '"')))
    return found
