"""A PDF whose text is drawn in a composite font with no /ToUnicode and an encoding that numbers
glyphs (Identity-H) gives back noise when its text is extracted: the secrecy scan would read the
noise and pass what the page shows — a 密级标志, a name, an ID number. Such pages cannot be
checked, and the attachment blocks (SEC015) until it is exported again with its text or signed
off. The same font with a /ToUnicode map, or encoded with a CMap that names characters
(UniGB-UCS2-H), reads as what it shows and passes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from conftest import check_attachment

MakeSite = Callable[..., Path]
GLYPHS = b"<0F2A13B1>"  # two glyphs of the font, which a reader sees as 工作
TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0F2A> <5DE5> <13B1> <4F5C> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _pdf(encoding: str = "/Identity-H", to_unicode: bool = False, shown: bytes = GLYPHS, mode: int = 0) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    system = {"/Registry": "Adobe", "/Ordering": "GB1"}
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {NameObject(k): TextStringObject(v) for k, v in system.items()}
                | {NameObject("/Supplement"): NumberObject(4)}
            ),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/Encoding"): NameObject(encoding),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
        }
    )
    if to_unicode:
        cmap = DecodedStreamObject()
        cmap.set_data(TO_UNICODE)
        font[NameObject("/ToUnicode")] = writer._add_object(cmap)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf %d Tr 20 100 Td " % mode + shown + b" Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _sec015(make_site: MakeSite, data: bytes) -> list[dict[str, Any]]:
    return [f for f in check_attachment(make_site, "a.pdf", data) if f["rule"] == "SEC015"]


def test_glyph_numbered_text_without_a_map_cannot_be_checked(make_site: MakeSite) -> None:
    extracted = PdfReader(io.BytesIO(_pdf())).pages[0].extract_text()
    assert "工作" not in extracted  # what the scan would have read: noise
    found = _sec015(make_site, _pdf())
    assert [f["severity"] for f in found] == ["block"], found
    assert "第 1 页的文字所用字体没有文字对照表（ToUnicode）" in found[0]["message"]
    assert "重新导出 PDF" in found[0]["fix"]


@pytest.mark.parametrize(
    "data",
    [
        _pdf(to_unicode=True),
        _pdf(encoding="/UniGB-UCS2-H", shown=b"<" + "工作".encode("utf-16-be").hex().encode() + b">"),
        _pdf(mode=3),  # not shown: the hidden-text rules speak of it, not this one
    ],
    ids=["with-to-unicode", "unicode-cmap", "invisible"],
)
def test_text_that_reads_as_it_shows_passes(make_site: MakeSite, data: bytes) -> None:
    assert not _sec015(make_site, data)
    if b"ToUnicode" in data or b"UCS2" in data:
        assert "工作" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
