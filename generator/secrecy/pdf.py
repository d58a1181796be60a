"""PDF attachments with pypdf: page text, plus what a viewer does not show — earlier
revisions kept by incremental saves, annotations, embedded files, and text drawn invisibly
(text render mode 3 or 7: neither filled nor stroked).

Invisible text starting on an image is not reported: that is how a scanned page is made
searchable (the OCR text layer over the scan, whose image shows what the text says). Whether the
image does show it the check cannot tell; it is a reviewer's to see.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

from .attachments import HIDDEN_FIX
from .extract import Extract

HARMLESS_ANNOTATIONS = {"/Link"}
METADATA = {"/Author": "作者", "/LastModifiedBy": "最后修改人", "/Company": "单位"}
INVISIBLE_MODES = {3, 7}
SHOW = {b"Tj", b"TJ", b"'", b'"'}
# `3 Tr` or `7 Tr` somewhere in a content stream: only then is the page interpreted.
SETS_INVISIBLE = re.compile(rb"(?<![A-Za-z0-9.+\-_])\+?0*[37](?:\.0*)?\s*Tr(?![A-Za-z0-9])")
BLANK = b" \t\r\n\x00"
# Form XObjects followed on one page, and nested in one another: past either, the page is taken
# for hiding text (it was not shown not to).
FORMS_PER_PAGE = 2_000
FORMS_NESTED = 32
ON_IMAGE = 2.0  # points: how far outside an image text may start and still lie on it
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]


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


def _numbers(operands: Any, count: int) -> list[float] | None:
    try:
        values = [float(value) for value in operands]
    except (TypeError, ValueError):
        return None
    return values if len(values) == count else None


def _matrix(operands: Any) -> Matrix | None:
    values = _numbers(operands, 6)
    return (values[0], values[1], values[2], values[3], values[4], values[5]) if values else None


def _box(ctm: Matrix) -> Box:
    """The page area an image covers: the unit square through the current matrix."""
    corners = [_times((1.0, 0.0, 0.0, 1.0, x, y), ctm)[4:] for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _shows_text(operands: Any) -> bool:
    """Whether the operands of a text-showing operator hold anything but blanks."""
    for operand in operands:
        items = operand if isinstance(operand, list) else [operand]
        for item in items:
            raw = getattr(item, "original_bytes", item)  # a text string's bytes as written
            if isinstance(raw, str):
                raw = raw.encode("utf-8")
            if isinstance(raw, bytes) and raw.strip(BLANK):
                return True
    return False


class _Page:
    """Where a page draws invisible text and images, followed into its form XObjects."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self.invisible: list[tuple[float, float] | None] = []  # None: somewhere on the page
        self.images: list[Box] = []
        self.forms = 0

    def run(self, content: Any, resources: Any, ctm: Matrix, mode: int, chain: frozenset[int]) -> None:
        stack: list[tuple[Matrix, int, float]] = []
        text = line = IDENTITY
        leading = 0.0
        for operands, operator in content.operations:
            if operator == b"q":
                stack.append((ctm, mode, leading))
            elif operator == b"Q":
                if stack:
                    ctm, mode, leading = stack.pop()
            elif operator == b"cm":
                matrix = _matrix(operands)
                ctm = _times(matrix, ctm) if matrix else ctm
            elif operator == b"BT":
                text = line = IDENTITY
            elif operator == b"Tr":
                values = _numbers(operands, 1)
                mode = int(values[0]) if values else mode
            elif operator == b"TL":
                values = _numbers(operands, 1)
                leading = values[0] if values else leading
            elif operator in (b"Td", b"TD", b"T*", b"'", b'"'):
                move = _numbers(operands, 2) if operator in (b"Td", b"TD") else [0.0, -leading]
                if move:
                    leading = -move[1] if operator == b"TD" else leading
                    text = line = _times((1.0, 0.0, 0.0, 1.0, move[0], move[1]), line)
            elif operator == b"Tm":
                text = line = _matrix(operands) or text
            if operator in SHOW and mode in INVISIBLE_MODES and _shows_text(operands):
                self.invisible.append(_times(text, ctm)[4:])
            elif operator == b"Do" and operands:
                self._draw(resources, operands[0], ctm, mode, chain)
            elif operator == b"INLINE IMAGE":
                self.images.append(_box(ctm))

    def _draw(self, resources: Any, name: Any, ctm: Matrix, mode: int, chain: frozenset[int]) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        reference = xobjects.raw_get(name) if xobjects is not None and name in xobjects else None
        if reference is None:
            return
        xobject = reference.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.images.append(_box(ctm))
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
        self.run(
            ContentStream(xobject, self.reader),
            own if own is not None else resources,
            _times(matrix, ctm),
            mode,
            chain | {key},
        )

    def hidden_text(self) -> int:
        """Invisible text not lying on an image (an OCR text layer does)."""

        def on_image(point: tuple[float, float] | None) -> bool:
            return point is not None and any(
                x1 - ON_IMAGE <= point[0] <= x2 + ON_IMAGE and y1 - ON_IMAGE <= point[1] <= y2 + ON_IMAGE
                for x1, y1, x2, y2 in self.images
            )

        return sum(1 for point in self.invisible if not on_image(point))


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


def _invisible_text(reader: PdfReader, page: Any) -> int:
    """How many text-showing operators of `page` draw invisible text not lying on an image."""
    content = page.get_contents()
    if content is None:
        return 0
    resources = page.get("/Resources")
    if not any(SETS_INVISIBLE.search(data) for data in _streams(content, resources)):
        return 0
    drawn = _Page(reader)
    drawn.run(content, resources, IDENTITY, 0, frozenset())
    return drawn.hidden_text()


def _revisions(raw: bytes) -> int:
    """Saved revisions: one %%EOF each, except the extra one a linearized file starts with."""
    count = raw.count(b"%%EOF")
    return count - 1 if count > 1 and b"/Linearized" in raw[:2048] else count


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
    invisible: dict[int, int] = {}
    for number, page in enumerate(reader.pages, start=1):
        pages.append(page.extract_text() or "")
        count = _invisible_text(reader, page)
        if count:
            invisible[number] = count
        kinds = []
        for annotation in page.get("/Annots") or []:
            subtype = str(annotation.get_object().get("/Subtype", ""))
            if subtype not in HARMLESS_ANNOTATIONS:
                kinds.append(subtype.lstrip("/"))
                contents = annotation.get_object().get("/Contents")
                if contents:
                    pages.append(str(contents))
        if kinds:
            found.hidden.append(f"第 {number} 页有 {len(kinds)} 个注释（{'、'.join(sorted(set(kinds)))}）")
    if invisible:
        numbers = "、".join(str(n) for n in list(invisible)[:10]) + (
            f" 等 {len(invisible)} 页" if len(invisible) > 10 else ""
        )
        found.hidden.append(
            f"第 {numbers} 页有 {sum(invisible.values())} 处不可见文字（文字渲染模式 3 或 7，不填充也不描边），"
            f"页面上看不见；{HIDDEN_FIX}"
        )
    embedded = list(reader.attachments)
    if embedded:
        found.hidden.append(f"PDF 内嵌文件：{'、'.join(embedded)}")
    found.text = "\n".join(pages)
    info: Any = reader.metadata or {}
    for key, label in METADATA.items():
        value = str(info.get(key) or "").strip()
        if value:
            found.metadata.append((label, value))
    return found
