"""PDF attachments with pypdf: page text, plus what a viewer does not show — earlier
revisions kept by incremental saves, annotations, embedded files, and text a page holds but
does not show:

- invisible text: drawn in render mode 3 or 7 (neither filled nor stroked);
- text outside the page: its whole estimated extent lies outside the page's CropBox (within its
  MediaBox), or outside the clipping path then in force (a form XObject's BBox included);
- covered text: after it, the page fills an opaque rectangle (a path of `re` only, a known
  colour, no transparency, blend mode or soft mask) whose area holds both the text's starting
  point and the point half its font size above it — the black box over a line;
- text coloured like what is under it: every colour the text is drawn in (its fill colour, and
  its stroke colour in the stroking modes) within SAME_COLOUR of the last opaque rectangle filled
  before it under those two points, or of white when nothing is: white on the white page, black
  on a black box drawn first.

Each text-showing operator is counted once, in the first of these that fits (white text under a
white box drawn after it is covered text). The interpreter follows the graphics state through
q/Q and into form XObjects, with the fill and stroke colour in DeviceGray, DeviceRGB, DeviceCMYK,
CalGray, CalRGB and ICCBased spaces (any other space, a pattern, an image, a shading: a colour
not known, never reported as the same), the ExtGState's fill alpha, blend mode and soft mask,
and clipping paths by their bounding boxes. Where a text's glyphs end is not read from its font:
its extent is bounded generously (two ems a byte, spacing and TJ moves included), so text only
partly off the page, or a box over part of a line from its second string on, can go unreported.

Not reported, deliberately: invisible or same-coloured text starting on an image — that is how a
scanned page is made searchable (the OCR text layer over or under the scan, whose image shows
what the text says; whether it does the check cannot tell, it is a reviewer's to see); text
under an image, a shading, a non-rectangular or transparent fill, or a thin one (under 1 point:
underlines, table rules); text under a fill clipped to glyphs (text render modes 4–7); text on
anything drawn before it that is not an opaque rectangle of a known colour (a seal's ring, a
thick line), which is taken to be a background of unknown colour.

A page is interpreted only when it or a form it may draw holds a text object (`BT`): a scanned
page without text is not. The content is parsed for this apart from pypdf's text extraction, which
reads the page as it is, untouched: a text PDF takes a third to a half longer to read (0.16 → 0.22 s,
0.36 → 0.58 s for two manuals), once per file, as the check cache keeps what it found by its hash.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, StreamObject

from .attachments import HIDDEN_FIX, SAME_COLOUR
from .extract import Extract, numbered, tagless

HARMLESS_ANNOTATIONS = {"/Link"}
# The document information (/Info) by key; the first three name a person or body (SEC012).
INFO_FIELDS = {
    "/Author": "作者",
    "/LastModifiedBy": "最后修改人",
    "/Company": "单位",
    "/Title": "标题",
    "/Subject": "主题",
    "/Keywords": "关键词",
    "/Creator": "创建程序",
    "/Producer": "生成程序",
}
IDENTIFYING = ("作者", "最后修改人", "单位")
INFO_DATES = {"/CreationDate", "/ModDate"}
UNMAPPED = "unmapped"  # _read_page's count of visible text in fonts whose text cannot be read
UNMAPPED_FIX = (
    "用 Word 或 WPS 从原文件重新导出 PDF（“另存为 PDF”会写入文字与字体的对照），或由审核人逐页审查这些页后"
    "在 signoffs 中签认。"
)
# The predefined CMaps whose codes stand for known characters (ISO 32000 9.7.5.2): a composite
# font encoded with one of them can be read without /ToUnicode; with any other — Identity-H/V, an
# embedded CMap — it cannot.
UNICODE_CMAPS = {
    f"/{name}-{direction}"
    for name in (
        "GB-EUC",
        "GBpc-EUC",
        "GBK-EUC",
        "GBK2K",
        "ETen-B5",
        "ETenms-B5",
        "90ms-RKSJ",
        "UniGB-UTF16",
        "UniCNS-UTF16",
        "UniJIS-UTF16",
        "UniKS-UTF16",
    )
    for direction in "HV"
}
INVISIBLE_MODES = {3, 7}
FILLED_MODES = {0, 2, 4, 6}
STROKED_MODES = {1, 2, 5, 6}
CLIPPING_MODES = {4, 5, 6, 7}
SHOW = {b"Tj", b"TJ", b"'", b'"'}
MOVE = {b"Td", b"TD", b"T*", b"'", b'"'}
FILL = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
PAINT = FILL | {b"S", b"s", b"n"}
PATH = {b"m": 2, b"l": 2, b"c": 6, b"v": 4, b"y": 4}
SPACES = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4, "/G": 1, "/RGB": 3, "/CMYK": 4}
CALIBRATED = {"/CalGray": 1, "/CalRGB": 3}
BLANK = b" \t\r\n\x00"
# Form XObjects followed on one page, and nested in one another: past either, the page is taken
# for hiding text (it was not shown not to).
FORMS_PER_PAGE = 2_000
FORMS_NESTED = 32
ON_IMAGE = 2.0  # points: how far outside an image text may start and still lie on it
THIN = 1.0  # points: a fill narrower than this is a rule or an underline, neither box nor background
THICK_LINE = 2.0  # points: a stroke at least this wide may be a background (of unknown colour)
OPAQUE = 0.99  # fill alpha from which a fill hides what is under it
NEAR = SAME_COLOUR / 255
WHITE = (1.0, 1.0, 1.0)
BLACK = (0.0, 0.0, 0.0)
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
EVERYWHERE = (-math.inf, -math.inf, math.inf, math.inf)
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]
Point = tuple[float, float]
Colour = tuple[float, float, float]
KINDS = ("invisible", "outside", "covered", "same")


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m × n in PDF's row-vector convention: m applied first."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _point(x: float, y: float, m: Matrix) -> Point:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _numbers(operands: Any, count: int | None) -> list[float] | None:
    try:
        values = [float(value) for value in operands]
    except (TypeError, ValueError):
        return None
    return values if count is None or len(values) == count else None


def _matrix(operands: Any) -> Matrix | None:
    values = _numbers(operands, 6)
    return (values[0], values[1], values[2], values[3], values[4], values[5]) if values else None


def _corners(x1: float, y1: float, x2: float, y2: float, m: Matrix) -> Box:
    """The page area the rectangle (x1, y1)–(x2, y2) covers through `m`."""
    points = [_point(x, y, m) for x, y in ((x1, y1), (x2, y1), (x1, y2), (x2, y2))]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _box(ctm: Matrix) -> Box:
    """The page area an image covers: the unit square through the current matrix."""
    return _corners(0.0, 0.0, 1.0, 1.0, ctm)


def _meet(one: Box | None, other: Box | None) -> Box | None:
    if one is None or other is None:
        return None
    box = max(one[0], other[0]), max(one[1], other[1]), min(one[2], other[2]), min(one[3], other[3])
    return box if box[0] <= box[2] and box[1] <= box[3] else None


def _holds(box: Box, point: Point) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _thick(box: Box) -> bool:
    return box[2] - box[0] >= THIN and box[3] - box[1] >= THIN


def _rgb(values: list[float] | None) -> Colour | None:
    """A colour of 1, 3 or 4 components (gray, RGB, CMYK) as RGB; None when it is none of these."""
    if values is None or not all(0.0 <= v <= 1.0 for v in values):
        return None
    if len(values) == 1:
        return values[0], values[0], values[0]
    if len(values) == 3:
        return values[0], values[1], values[2]
    if len(values) == 4:
        c, m, y, k = values
        return (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    return None


def _same(one: Colour, other: Colour) -> bool:
    return all(abs(a - b) <= NEAR for a, b in zip(one, other))


def _strings(operands: Any) -> tuple[int, list[float]]:
    """The bytes a text-showing operator shows, and its TJ moves (thousandths of an em)."""
    count, moves = 0, []
    for operand in operands:
        for item in operand if isinstance(operand, list) else [operand]:
            raw = getattr(item, "original_bytes", item)  # a text string's bytes as written
            if isinstance(raw, str):
                raw = raw.encode("utf-8")
            if isinstance(raw, bytes):
                count += len(raw) if raw.strip(BLANK) else 0
            elif isinstance(operand, list):
                try:
                    moves.append(float(item))
                except (TypeError, ValueError):
                    pass
    return count, moves


def _components(space: Any, resources: Any) -> int | None:
    """How many components a colour space named `space` takes, when it is one whose colours are
    known (device, calibrated, ICC-based); None for any other (pattern, separation, indexed …)."""
    name = str(space)
    if name in SPACES:
        return SPACES[name]
    spaces = resources.get("/ColorSpace") if resources is not None else None
    try:
        found = spaces[space].get_object() if spaces is not None and space in spaces else None
        if isinstance(found, list) and found:
            kind = str(found[0])
            if kind in CALIBRATED:
                return CALIBRATED[kind]
            if kind == "/ICCBased" and len(found) > 1:
                components = int(found[1].get_object().get("/N"))
                return components if components in (1, 3, 4) else None
        elif found is not None and str(found) in SPACES:
            return SPACES[str(found)]
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    return None


def _font_facts(resources: Any, name: Any) -> tuple[bool, bool]:
    """Whether the font `name` writes vertically (an Identity-V or other -V CMap), and whether its
    text cannot be turned into Unicode: a composite (Type0) font with no /ToUnicode whose encoding
    is not one of the predefined CMaps that say which characters their codes are (UNICODE_CMAPS) —
    Identity-H, the commonest, numbers glyphs, not characters, so what is extracted is noise."""
    try:
        fonts = resources.get("/Font") if resources is not None else None
        font = fonts[name].get_object() if fonts is not None and name in fonts else None
        encoding = font.get("/Encoding") if font is not None else None
        encoding = encoding.get_object() if encoding is not None else None
        cmap = encoding.get("/CMapName") if isinstance(encoding, dict) else encoding
        unmapped = (
            font is not None
            and font.get("/Subtype") == "/Type0"
            and "/ToUnicode" not in font
            and not (isinstance(encoding, str) and (encoding in UNICODE_CMAPS or "-UCS2-" in encoding))
        )
    except (AttributeError, KeyError, TypeError):
        return False, False
    return str(cmap or "").endswith("-V"), unmapped


class _State:
    """The part of the graphics state the check follows."""

    __slots__ = (
        "ctm",
        "clip",
        "mode",
        "leading",
        "size",
        "char_space",
        "word_space",
        "scale",
        "rise",
        "vertical",
        "unmapped",
        "fill",
        "stroke",
        "fill_space",
        "stroke_space",
        "opaque",
        "line_width",
        "glyph_clip",
    )

    def __init__(self, clip: Box) -> None:
        self.ctm: Matrix = IDENTITY
        self.clip: Box | None = clip  # bounding box of the clipping path; None: nothing shows
        self.mode = 0
        self.leading = self.size = self.char_space = self.word_space = self.rise = 0.0
        self.scale = 1.0
        self.vertical = False
        self.unmapped = False  # the font's text cannot be turned into Unicode (_font_facts)
        self.fill: Colour | None = BLACK  # None: a colour the check does not know
        self.stroke: Colour | None = BLACK
        self.fill_space: int | None = 1
        self.stroke_space: int | None = 1
        self.opaque = True  # fills hide what is under them: no alpha, blend mode or soft mask
        self.line_width = 1.0
        self.glyph_clip = False  # clipped to glyphs (text render modes 4–7)

    def copy(self) -> _State:
        new = _State.__new__(_State)
        for name in _State.__slots__:
            setattr(new, name, getattr(self, name))
        return new


class _Text:
    """A text-showing operator drawn in a visible mode, and where."""

    __slots__ = ("after", "start", "body", "extent", "shown", "colours")

    def __init__(
        self, after: int, start: Point, body: Point, extent: Box, shown: Box | None, colours: list[Colour] | None
    ) -> None:
        self.after = after  # how many paints came before it
        self.start, self.body, self.extent, self.shown, self.colours = start, body, extent, shown, colours


class _Page:
    """What a page draws — text, images, fills — followed into its form XObjects."""

    def __init__(self, reader: PdfReader, box: Box) -> None:
        self.reader = reader
        self.box = box
        self.invisible: list[Point | None] = []  # None: somewhere on the page
        self.images: list[Box] = []
        self.texts: list[_Text] = []
        self.paints: list[tuple[Box, Colour | None]] = []  # in order; None: a colour not known
        self.boxes: list[tuple[int, Box]] = []  # opaque filled rectangles: (index in paints, area)
        self.fonts: dict[tuple[int, str], tuple[bool, bool]] = {}  # _font_facts of each font
        self.unmapped = 0  # bytes of visible text in fonts whose text cannot be read
        self.forms = 0

    def run(self, content: Any, resources: Any, state: _State, chain: frozenset[int]) -> None:
        stack: list[_State] = []
        text = IDENTITY
        low = high = 0.0  # how far the text shown since the last move may reach (text space)
        path: list[float] | None = None  # its bounding box on the page
        rectangles = True
        clipping = clipped_text = False
        for operands, operator in content.operations:
            if operator in SHOW:
                if operator != b"Tj":
                    if operator == b'"':
                        values = _numbers(operands[:2], 2)
                        if values:
                            state.word_space, state.char_space = values
                    if operator != b"TJ":
                        text = _times((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), text)
                        low = high = 0.0
                count, moves = _strings(operands)
                if not count:
                    continue
                clipped_text = clipped_text or state.mode in CLIPPING_MODES
                if state.mode in INVISIBLE_MODES:
                    self.invisible.append(_point(0.0, 0.0, _times(text, state.ctm)))
                    continue
                if state.unmapped:
                    self.unmapped += count
                size = abs(state.size)
                low += (
                    count * (min(state.char_space, 0.0) + min(state.word_space, 0.0))
                    - sum(max(move, 0.0) for move in moves) * size / 1000
                )
                high += (
                    count * (2 * size + max(state.char_space, 0.0) + max(state.word_space, 0.0))
                    + sum(max(-move, 0.0) for move in moves) * size / 1000
                )
                self._text(text, state, low, high)
            elif operator == b"q":
                stack.append(state.copy())
            elif operator == b"Q":
                if stack:
                    state = stack.pop()
            elif operator in PATH or operator == b"re":
                values = _numbers(operands, 4 if operator == b"re" else PATH[operator])
                if values is None:
                    continue
                if operator == b"re":
                    x, y, w, h = values
                    corners = _corners(x, y, x + w, y + h, state.ctm)
                else:
                    rectangles = False
                    points = [_point(values[i], values[i + 1], state.ctm) for i in range(0, len(values), 2)]
                    xs, ys = [p[0] for p in points], [p[1] for p in points]
                    corners = min(xs), min(ys), max(xs), max(ys)
                if path is None:
                    path = list(corners)
                else:
                    path[:] = (
                        min(path[0], corners[0]),
                        min(path[1], corners[1]),
                        max(path[2], corners[2]),
                        max(path[3], corners[3]),
                    )
            elif operator in PAINT:
                if path is not None:
                    area = (path[0], path[1], path[2], path[3])
                    self._paint(operator, area, rectangles, state)
                    if clipping:
                        state.clip = _meet(state.clip, area)
                path, rectangles, clipping = None, True, False
            elif operator in (b"W", b"W*"):
                clipping = True
            elif operator in MOVE or operator == b"Tm":
                if operator == b"Tm":
                    text = _matrix(operands) or text
                else:
                    move = _numbers(operands, 2) if operator in (b"Td", b"TD") else [0.0, -state.leading]
                    if move:
                        state.leading = -move[1] if operator == b"TD" else state.leading
                        text = _times((1.0, 0.0, 0.0, 1.0, move[0], move[1]), text)
                low = high = 0.0
            elif operator == b"BT":
                text = IDENTITY
                low = high = 0.0
                clipped_text = False
            elif operator == b"ET":
                state.glyph_clip = state.glyph_clip or clipped_text
            elif operator == b"cm":
                matrix = _matrix(operands)
                state.ctm = _times(matrix, state.ctm) if matrix else state.ctm
            elif operator == b"Tf":
                self._font(operands, resources, state)
            elif operator in (b"Tr", b"TL", b"Tc", b"Tw", b"Tz", b"Ts", b"w"):
                values = _numbers(operands, 1)
                if values:
                    self._set(operator, values[0], state)
            elif operator in (b"g", b"rg", b"k", b"G", b"RG", b"K"):
                colour = _rgb(_numbers(operands, None))
                if operator.islower():
                    state.fill, state.fill_space = colour, len(operands)
                else:
                    state.stroke, state.stroke_space = colour, len(operands)
            elif operator in (b"cs", b"CS"):
                components = _components(operands[0], resources) if operands else None
                initial = BLACK if components else None  # each space starts at black
                if operator == b"cs":
                    state.fill, state.fill_space = initial, components
                else:
                    state.stroke, state.stroke_space = initial, components
            elif operator in (b"sc", b"scn", b"SC", b"SCN"):
                stroking = operator.isupper()
                space = state.stroke_space if stroking else state.fill_space
                colour = _rgb(_numbers(operands, space)) if space else None
                if stroking:
                    state.stroke = colour
                else:
                    state.fill = colour
            elif operator == b"gs" and operands:
                self._graphics_state(operands[0], resources, state)
            elif operator == b"Do" and operands:
                self._draw(resources, operands[0], state, chain)
            elif operator == b"INLINE IMAGE":
                self._image(_box(state.ctm), state)
            elif operator == b"sh":
                self._unknown(state.clip, state)

    def _set(self, operator: bytes, value: float, state: _State) -> None:
        if operator == b"Tr":
            state.mode = int(value) if math.isfinite(value) else state.mode
        elif operator == b"TL":
            state.leading = value
        elif operator == b"Tc":
            state.char_space = value
        elif operator == b"Tw":
            state.word_space = value
        elif operator == b"Tz":
            state.scale = value / 100
        elif operator == b"Ts":
            state.rise = value
        else:
            state.line_width = value

    def _font(self, operands: Any, resources: Any, state: _State) -> None:
        if len(operands) != 2:
            return
        values = _numbers(operands[1:], 1)
        state.size = values[0] if values else state.size
        key = (id(resources), str(operands[0]))
        if key not in self.fonts:
            self.fonts[key] = _font_facts(resources, operands[0])
        state.vertical, state.unmapped = self.fonts[key]

    def _graphics_state(self, name: Any, resources: Any, state: _State) -> None:
        states = resources.get("/ExtGState") if resources is not None else None
        try:
            found = states[name].get_object() if states is not None and name in states else None
        except (AttributeError, KeyError, TypeError):
            found = None
        if not isinstance(found, dict):
            return
        if "/LW" in found:
            values = _numbers([found["/LW"]], 1)
            state.line_width = values[0] if values else state.line_width
        if "/ca" in found or "/BM" in found or "/SMask" in found:
            alpha = _numbers([found.get("/ca", 1)], 1)
            blend = found.get("/BM")
            blend = blend[0] if isinstance(blend, list) and blend else blend
            state.opaque = (
                alpha is not None
                and alpha[0] >= OPAQUE
                and str(blend or "/Normal") in ("/Normal", "/Compatible")
                and str(found.get("/SMask") or "/None") == "/None"
            )

    def _text(self, text: Matrix, state: _State, low: float, high: float) -> None:
        size = abs(state.size)
        matrix = _times(text, state.ctm)
        if state.vertical:  # glyphs hang below their origin, the text runs downwards
            extent = _corners(-size, -high - size, size, -low + size, matrix)
            body = _point(0.0, -size / 2, matrix)
        else:
            ends = sorted((low * state.scale, high * state.scale))
            extent = _corners(ends[0] - size, state.rise - size, ends[1] + size, state.rise + 2 * size, matrix)
            body = _point(0.0, state.rise + size / 2, matrix)
        colours: list[Colour | None] = []
        if state.mode in FILLED_MODES:
            colours.append(state.fill)
        if state.mode in STROKED_MODES:
            colours.append(state.stroke)
        known = [colour for colour in colours if colour is not None]
        start = _point(0.0, state.rise, matrix)
        shown = _meet(state.clip, self.box)
        self.texts.append(
            _Text(len(self.paints), start, body, extent, shown, known if len(known) == len(colours) else None)
        )

    def _paint(self, operator: bytes, area: Box, rectangles: bool, state: _State) -> None:
        if operator == b"n" or state.glyph_clip:
            return  # nothing painted, or only inside glyphs
        if operator in FILL:
            box = _meet(area, state.clip)
            if box is None or not _thick(box):
                return
            if rectangles and state.opaque and state.fill is not None:
                self.boxes.append((len(self.paints), box))
                self.paints.append((box, state.fill))
            else:
                self.paints.append((box, None))
            return
        a, b, c, d = state.ctm[:4]
        width = state.line_width * abs(a * d - b * c) ** 0.5
        if width >= THICK_LINE:
            half = width / 2
            self._unknown((area[0] - half, area[1] - half, area[2] + half, area[3] + half), state)

    def _unknown(self, area: Box | None, state: _State) -> None:
        """Something painted whose colour is not known: what is on it is not compared."""
        box = _meet(area, state.clip)
        if box is not None and not state.glyph_clip:
            self.paints.append((box, None))

    def _image(self, area: Box, state: _State) -> None:
        self.images.append(area)
        self._unknown(area, state)

    def _draw(self, resources: Any, name: Any, state: _State, chain: frozenset[int]) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        reference = xobjects.raw_get(name) if xobjects is not None and name in xobjects else None
        if reference is None:
            return
        xobject = reference.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(_box(state.ctm), state)
            return
        key = getattr(reference, "idnum", id(xobject))
        if subtype != "/Form" or key in chain:
            return
        self.forms += 1
        if self.forms > FORMS_PER_PAGE or len(chain) >= FORMS_NESTED:
            self.invisible.append(None)  # too many to follow: not shown to be harmless
            return
        matrix = _matrix(xobject.get("/Matrix") or IDENTITY) or IDENTITY
        own = xobject.get("/Resources")
        inner = state.copy()
        inner.ctm = _times(matrix, state.ctm)
        bounds = _numbers(xobject.get("/BBox") or [], 4)
        if bounds:
            inner.clip = _meet(state.clip, _corners(bounds[0], bounds[1], bounds[2], bounds[3], inner.ctm))
        self.run(ContentStream(xobject, self.reader), own if own is not None else resources, inner, chain | {key})

    def _on_image(self, point: Point | None) -> bool:
        return point is not None and any(
            x1 - ON_IMAGE <= point[0] <= x2 + ON_IMAGE and y1 - ON_IMAGE <= point[1] <= y2 + ON_IMAGE
            for x1, y1, x2, y2 in self.images
        )

    def hidden(self) -> dict[str, int]:
        """How many text-showing operators draw text not seen, by how it is hidden."""
        counts = dict.fromkeys(KINDS, 0)
        counts["invisible"] = sum(1 for point in self.invisible if not self._on_image(point))
        for shown in self.texts:
            if _meet(shown.extent, shown.shown) is None:
                counts["outside"] += 1
            elif any(
                after >= shown.after and _holds(box, shown.start) and _holds(box, shown.body)
                for after, box in self.boxes
            ):
                counts["covered"] += 1
            elif shown.colours and not self._on_image(shown.start):
                under: Colour | None = WHITE  # the page
                for box, colour in reversed(self.paints[: shown.after]):
                    if _holds(box, shown.start) and _holds(box, shown.body):
                        under = colour
                        break
                if under is not None and all(_same(colour, under) for colour in shown.colours):
                    counts["same"] += 1
        return counts


def _streams(content: Any, resources: Any) -> list[bytes]:
    """The decoded bytes of a content stream and of every form XObject it may draw."""
    found: list[bytes] = []
    seen: set[int] = set()
    todo = [(content, resources)]
    while todo:
        stream, inherited = todo.pop()
        found.append(stream.get_data())
        own = stream.get("/Resources") if stream is not content else None
        resources = own if own is not None else inherited
        xobjects = resources.get("/XObject") if resources is not None else None
        if xobjects is None:
            continue
        for name in list(xobjects.keys()):
            reference = xobjects.raw_get(name)
            key = getattr(reference, "idnum", id(reference))
            xobject = reference.get_object()
            if key not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(key)
                todo.append((xobject, resources))
    return found


def _visible_box(page: Any) -> Box:
    """The part of the page a viewer shows: its CropBox within its MediaBox (everywhere, when
    they cannot be read: then nothing is taken for outside the page)."""
    boxes = []
    try:
        for rectangle in (page.mediabox, page.cropbox):
            x1, y1, x2, y2 = (float(value) for value in rectangle)
            boxes.append((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
    except (AttributeError, KeyError, TypeError, ValueError):
        return EVERYWHERE
    return _meet(boxes[0], boxes[1]) or boxes[0]


def _read_page(reader: PdfReader, page: Any) -> tuple[str, dict[str, int]]:
    """The text of `page` (pypdf's own extraction, of the page as it is), and how many of its
    text-showing operators draw text not seen, by how it is hidden, with UNMAPPED: how many bytes
    of visible text it draws in fonts whose text cannot be read. The content is parsed again
    for the second: sharing pypdf's parse would mean handing its extraction an object of ours."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None  # an indirect object, mostly
    if not isinstance(contents, (ArrayObject, StreamObject)):
        return page.extract_text() or "", {}
    content = ContentStream(contents, reader, "bytes")  # the strings as bytes: one glyph a byte at most
    resources = page.get("/Resources")
    if not any(b"BT" in data for data in _streams(content, resources)):
        return page.extract_text() or "", {}  # no text object: nothing to hide
    box = _visible_box(page)
    drawn = _Page(reader, box)
    drawn.run(content, resources, _State(box), frozenset())
    return page.extract_text() or "", {**drawn.hidden(), UNMAPPED: drawn.unmapped}


def _revisions(raw: bytes) -> int:
    """Saved revisions: one %%EOF each, except the extra one a linearized file starts with."""
    count = raw.count(b"%%EOF")
    return count - 1 if count > 1 and b"/Linearized" in raw[:2048] else count


# What each way of hiding text is called in the message, after “第 N 页有 M 处”.
HIDDEN_TEXT = {
    "invisible": "不可见文字（文字渲染模式 3 或 7，不填充也不描边）",
    "outside": "画在页面之外的文字（在页面的裁剪框或裁剪路径之外）",
    "covered": "被其后画的实心矩形盖住的文字（如用黑框遮盖）",
    "same": "与背景同色的文字（如白底白字、先画的黑色矩形上的黑字）",
}


def read_pdf(path: Path) -> Extract:
    raw = path.read_bytes()
    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    found = Extract()
    revisions = _revisions(raw)
    if revisions > 1:
        found.hidden.append(f"PDF 经过增量保存（{revisions} 个版本），早先版本的内容仍留在文件中")
    pages = []
    unmapped: list[int] = []
    hidden: dict[str, dict[int, int]] = {kind: {} for kind in KINDS}
    for number, page in enumerate(reader.pages, start=1):
        text, counts = _read_page(reader, page)
        if counts.pop(UNMAPPED, 0):
            unmapped.append(number)
        pages.append(text)
        for kind, count in counts.items():
            if count:
                hidden[kind][number] = count
        kinds = []
        for annotation in page.get("/Annots") or []:
            subtype = str(annotation.get_object().get("/Subtype", ""))
            if subtype not in HARMLESS_ANNOTATIONS:
                kinds.append(subtype.lstrip("/"))
                pages.extend(_annotation_texts(annotation.get_object()))
        if kinds:
            found.hidden.append(f"第 {number} 页有 {len(kinds)} 个注释（{'、'.join(sorted(set(kinds)))}）")
    for kind, on_pages in hidden.items():
        if on_pages:
            found.hidden.append(
                f"{numbered(list(on_pages), '页')}有 {sum(on_pages.values())} 处{HIDDEN_TEXT[kind]}，页面上看不见；{HIDDEN_FIX}"
            )
    if unmapped:
        found.unreadable.append(
            (
                f"{numbered(unmapped, '页')}的文字所用字体没有文字对照表（ToUnicode），提取出的是乱码，这些页上的文字无法审查",
                UNMAPPED_FIX,
            )
        )
    layers = _hidden_layers(reader)
    if layers:
        found.hidden.append(f"PDF 有 {layers} 个默认关闭的图层，其中的内容页面上看不见；{HIDDEN_FIX}")
    embedded = list(reader.attachments)
    if embedded:
        found.hidden.append(f"PDF 内嵌文件：{'、'.join(embedded)}")
    found.text = "\n".join(pages)
    properties = _properties(reader)
    found.add_properties(properties)
    found.metadata.extend((label, value) for label, value in properties if label in IDENTIFYING)
    return found


def _annotation_texts(annotation: Any) -> list[str]:
    """What an annotation says: its contents, and for a form field (Widget) its value and tooltip,
    on the widget or the field it belongs to."""
    found = []
    field = annotation.get("/Parent")
    field = field.get_object() if field is not None else None
    for key in ("/Contents", "/V", "/TU"):
        for holder in (annotation, field):
            value = holder.get(key) if holder is not None else None
            if isinstance(value, str) and value.strip():
                found.append(str(value))
                break
    return found


def _hidden_layers(reader: PdfReader) -> int:
    """How many optional content groups (图层) the document's default view turns off: what is
    drawn in them is in the file and in its extracted text, but not on the page."""
    try:
        catalogue: Any = reader.trailer["/Root"]
        properties = catalogue.get("/OCProperties")
        default = properties.get_object().get("/D") if properties is not None else None
        off = default.get_object().get("/OFF") if default is not None else None
        return len(off.get_object()) if off is not None else 0
    except (AttributeError, KeyError, TypeError):
        return 0


def _properties(reader: PdfReader) -> list[tuple[str, str]]:
    """(label, text) of the document information (/Info: 标题、主题、关键词、作者 and any key of the
    producer's own) and the XMP metadata stream, all shown on no page. The stream is read as text
    with its tags dropped, never parsed as XML: a malformed one is scanned all the same."""
    found = []
    info: Any = reader.metadata or {}
    for key in info:
        value = info[key]
        if key not in INFO_DATES and isinstance(value, str) and " ".join(value.split()):
            found.append((INFO_FIELDS.get(key, f"文档信息 {key.lstrip('/')}"), " ".join(value.split())))
    catalogue: Any = reader.trailer["/Root"]
    stream = catalogue.get("/Metadata")
    if stream is not None:
        text = tagless(stream.get_object().get_data().decode("utf-8", "replace"))
        if text:
            found.append(("XMP 元数据", text))
    return found
