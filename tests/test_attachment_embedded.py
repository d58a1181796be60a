"""What a Word or Excel attachment ships beyond its body's text: files embedded in it (插入 → 对象,
a chart's data workbook), whose whole content travels with the attachment though the page shows a
preview at most; the data it keeps apart from what it shows (a pivot table's cache, custom XML);
the text of its charts and drawings (text boxes on a sheet), sheet names, headers and footers. An embedded Word
or Excel file is read like an attachment — its text scanned, its hidden parts SEC014 — and any
other embedded file cannot be read, so it blocks (SEC015) until a reviewer signs it off."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import docx
import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.datavalidation import DataValidation
from PIL import ExifTags, Image

from conftest import check_attachment
from office_files import docx_bytes, patched, with_parts, xlsx_bytes

MakeSite = Callable[..., Path]
MARKING = "机密★5年"
DRAWING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:sp><xdr:txBody>'
    "<a:p><a:r><a:t>{text}</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor></xdr:wsDr>"
)


def _docx_embedding(name: str, data: bytes) -> bytes:
    return with_parts(docx_bytes("正文见下表"), {f"word/embeddings/{name}": data})


def _chart_book(title: str) -> bytes:
    book = openpyxl.Workbook()
    book.properties.creator = None
    sheet = book.active
    for row in (["月份", "件数"], ["一月", 3], ["二月", 5]):
        sheet.append(row)
    chart = BarChart()
    chart.title = title
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    sheet.add_chart(chart, "D2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _check(make_site: MakeSite, name: str, data: bytes) -> list[dict[str, Any]]:
    return check_attachment(make_site, name, data)


def _of(found: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [f for f in found if f["rule"] == rule]


def test_text_of_an_embedded_workbook_is_scanned(make_site: MakeSite) -> None:
    inner = xlsx_bytes([["姓名", "手机"], ["张某", "13812345678"]])
    found = _of(_check(make_site, "a.docx", _docx_embedding("Microsoft_Excel_Worksheet.xlsx", inner)), "SEC008")
    assert found and "附件 a.docx 的内嵌文件 Microsoft_Excel_Worksheet.xlsx" in found[0]["message"], found


def test_a_harmless_embedded_workbook_passes(make_site: MakeSite) -> None:
    inner = xlsx_bytes([["月份", "件数"], ["一月", "3"]])
    found = _check(make_site, "a.docx", _docx_embedding("Microsoft_Excel_Worksheet.xlsx", inner))
    assert not [f for f in found if f["rule"].startswith("SEC") and f["severity"] == "block"], found


def test_hidden_sheet_of_an_embedded_workbook_is_hidden_content(make_site: MakeSite) -> None:
    inner = xlsx_bytes([["公开"]], hidden_sheet=[["内部"]])
    found = _of(_check(make_site, "a.docx", _docx_embedding("Microsoft_Excel_Worksheet.xlsx", inner)), "SEC014")
    assert any("内嵌文件 Microsoft_Excel_Worksheet.xlsx 中：隐藏的工作表" in f["message"] for f in found), found


def test_a_marking_in_an_embedded_document_in_a_workbook_is_found(make_site: MakeSite) -> None:
    inner = docx_bytes(MARKING, "内部的正文")
    outer = with_parts(xlsx_bytes([["见附件"]]), {"xl/embeddings/Microsoft_Word_Document.docx": inner})
    found = _of(_check(make_site, "a.xlsx", outer), "SEC006")
    assert found and "内嵌文件 Microsoft_Word_Document.docx" in found[0]["message"], found


@pytest.mark.parametrize(
    "name,data,said",
    [
        ("oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 packaged file", "不是 Word、Excel 或 PowerPoint 文件"),
        ("Microsoft_Excel_Worksheet.xlsx", b"not a zip at all", "Microsoft_Excel_Worksheet.xlsx："),
    ],
    ids=["ole-object", "damaged-workbook"],
)
def test_an_embedded_file_that_cannot_be_read_blocks(make_site: MakeSite, name: str, data: bytes, said: str) -> None:
    found = _of(_check(make_site, "a.docx", _docx_embedding(name, data)), "SEC015")
    assert [f["severity"] for f in found] == ["block"], found
    assert f"内嵌文件 {name}" in found[0]["message"] and said in found[0]["message"]
    assert "内嵌对象" in found[0]["fix"]


def test_embedding_is_followed_two_levels_deep_and_no_further(make_site: MakeSite) -> None:
    level2 = with_parts(xlsx_bytes([["第二层"]]), {"xl/embeddings/deep.xlsx": xlsx_bytes([["第三层"]])})
    level1 = with_parts(docx_bytes("第一层"), {"word/embeddings/level2.xlsx": level2})
    found = _check(make_site, "a.docx", _docx_embedding("level1.docx", level1))
    assert [f["message"] for f in _of(found, "SEC015")] == [
        "附件 a.docx：内嵌文件 level1.docx 中：内嵌文件 level2.xlsx 中：内嵌文件 deep.xlsx 套在另一个内嵌文件中，"
        "层数过多，未读取"
    ]


@pytest.mark.parametrize("title,fires", [(MARKING, True), ("每月受理件数", False)])
def test_chart_text_is_scanned(make_site: MakeSite, title: str, fires: bool) -> None:
    assert bool(_of(_check(make_site, "a.xlsx", _chart_book(title)), "SEC006")) is fires


@pytest.mark.parametrize("text,fires", [(MARKING, True), ("说明：数据截至年底", False)])
def test_text_box_on_a_sheet_is_scanned(make_site: MakeSite, text: str, fires: bool) -> None:
    book = with_parts(xlsx_bytes([["公开的表格"]]), {"xl/drawings/drawing1.xml": DRAWING.format(text=text).encode()})
    assert bool(_of(_check(make_site, "a.xlsx", book), "SEC006")) is fires


PIVOT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cacheFields count="1">'
    '<cacheField name="联系电话"><sharedItems><s v="{value}"/></sharedItems></cacheField></cacheFields>'
    "</pivotCacheDefinition>"
)
CUSTOM_XML = '<?xml version="1.0" encoding="UTF-8"?><root><note>{value}</note></root>'


@pytest.mark.parametrize("value,fires", [("13812345678", True), ("办公室", False)])
def test_a_pivot_cache_is_scanned(make_site: MakeSite, value: str, fires: bool) -> None:
    """A pivot table keeps every row of its source in its cache, even when the source sheet is deleted."""
    part = {"xl/pivotCache/pivotCacheDefinition1.xml": PIVOT.format(value=value).encode()}
    found = _of(_check(make_site, "a.xlsx", with_parts(xlsx_bytes([["汇总"]]), part)), "SEC008")
    assert bool(found) is fires
    assert not fires or "数据透视表缓存 pivotCacheDefinition1.xml" in found[0]["message"]


@pytest.mark.parametrize("value,fires", [(MARKING, True), ("发文稿纸", False)])
def test_custom_xml_data_is_scanned(make_site: MakeSite, value: str, fires: bool) -> None:
    part = {"customXml/item7.xml": CUSTOM_XML.format(value=value).encode()}
    found = _of(_check(make_site, "a.docx", with_parts(docx_bytes("正文"), part)), "SEC006")
    assert bool(found) is fires
    assert not fires or "自定义 XML 数据 customXml/item7.xml" in found[0]["message"]


def test_sheet_names_and_headers_are_scanned(make_site: MakeSite) -> None:
    book = openpyxl.Workbook()
    book.properties.creator = None
    book.active.title = "机密★5年名单"
    book.active.oddFooter.center.text = "联系人 13812345678"
    book.active["A1"] = "公开的表格"
    out = io.BytesIO()
    book.save(out)
    assert {"SEC006", "SEC008"} <= {f["rule"] for f in _check(make_site, "a.xlsx", out.getvalue())}


def _docx_patched(insert: str) -> bytes:
    """A Word file with `insert` (WordprocessingML) added at the end of its body."""
    return patched(
        docx_bytes("正文"),
        "word/document.xml",
        lambda xml: xml.replace(b"<w:sectPr", insert.encode() + b"<w:sectPr", 1),
    )


FIELD = '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>{code}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
ALT = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:docPr id="9" name="图片 9" descr="{text}"/></wp:inline></w:drawing></w:r></w:p>'
)


@pytest.mark.parametrize(
    "insert,fires",
    [
        (FIELD.format(code=' INCLUDETEXT "D:\\\\机密★5年\\\\名单.docx" '), True),
        (FIELD.format(code=" PAGE "), False),
        (ALT.format(text="身份证 110101199003077774"), True),
        (ALT.format(text="会议现场照片"), False),
    ],
    ids=["field-code", "field-code-near-miss", "alt-text", "alt-text-near-miss"],
)
def test_field_codes_and_alternative_text_are_scanned(make_site: MakeSite, insert: str, fires: bool) -> None:
    found = [f for f in _check(make_site, "a.docx", _docx_patched(insert)) if f["rule"] in ("SEC006", "SEC008")]
    assert bool(found) is fires, found


@pytest.mark.parametrize("alt,fires", [(MARKING, True), ("图表：每月件数", False)])
def test_alternative_text_on_a_sheet_is_scanned(make_site: MakeSite, alt: str, fires: bool) -> None:
    drawing = DRAWING.format(text="说明").replace(
        "<xdr:sp>", f'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="图片 1" descr="{alt}"/></xdr:nvSpPr>'
    )
    book = with_parts(xlsx_bytes([["公开的表格"]]), {"xl/drawings/drawing1.xml": drawing.encode()})
    assert bool(_of(_check(make_site, "a.xlsx", book), "SEC006")) is fires


def test_document_variables_are_scanned(make_site: MakeSite) -> None:
    """Word's document variables (w:docVar in settings.xml), which add-ins fill and no page shows."""
    variable = '<w:docVars><w:docVar w:name="承办人" w:val="联系电话 13812345678"/></w:docVars>'.encode()
    data = patched(
        docx_bytes("正文"), "word/settings.xml", lambda xml: xml.replace(b"</w:settings>", variable + b"</w:settings>")
    )
    found = _of(_check(make_site, "a.docx", data), "SEC008")
    assert found and "文档变量“承办人”" in found[0]["message"], found


def test_a_file_embedding_too_many_files_is_not_read_file_by_file(make_site: MakeSite) -> None:
    many = {f"word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx": b"not read" for n in range(51)}
    found = _of(_check(make_site, "a.docx", with_parts(docx_bytes("正文"), many)), "SEC015")
    assert [f["message"] for f in found] == ["附件 a.docx：内嵌了 51 个文件，超过 50 个，未逐个读取，无法审查"]


HIDDEN_BOX = (
    '<w:p><w:r><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:docPr id="7" name="文本框 7"{hidden}/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    "<a:graphicData><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></a:graphicData></a:graphic>"
    "</wp:anchor></w:drawing></w:r></w:p>"
)


@pytest.mark.parametrize(
    "hidden,text,fires",
    [(' hidden="1"', "内部意见", True), ("", "内部意见", False), (' hidden="1"', "", False)],
    ids=["hidden-text-box", "shown-text-box", "hidden-empty-box"],
)
def test_a_hidden_text_box_in_word_is_hidden_content(make_site: MakeSite, hidden: str, text: str, fires: bool) -> None:
    data = _docx_patched(HIDDEN_BOX.format(hidden=hidden, text=text))
    found = [f["message"] for f in _of(_check(make_site, "a.docx", data), "SEC014")]
    assert any("1 个图形或文本框设为隐藏" in m for m in found) is fires, found


@pytest.mark.parametrize("hidden,fires", [("1", True), ("0", False)])
def test_a_hidden_shape_on_a_sheet_is_hidden_content(make_site: MakeSite, hidden: str, fires: bool) -> None:
    drawing = DRAWING.format(text="内部意见").replace(
        "<xdr:sp>", f'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="文本框 1" hidden="{hidden}"/></xdr:nvSpPr>'
    )
    book = with_parts(xlsx_bytes([["公开的表格"]]), {"xl/drawings/drawing1.xml": drawing.encode()})
    found = [f["message"] for f in _of(_check(make_site, "a.xlsx", book), "SEC014")]
    assert any("1 个图形或文本框设为隐藏" in m for m in found) is fires, found


def _photo(description: str, gps: bool) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.XPTitle] = description.encode("utf-16-le")  # as Windows writes a 标题
    if gps:
        exif[ExifTags.Base.GPSInfo] = {1: "N", 2: (24.0, 21.0, 0.0), 3: "E", 4: (102.0, 32.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.parametrize("description,gps,rules", [(MARKING, True, {"SEC006", "SEC012"}), ("会议现场", False, set())])
def test_a_pictures_own_text_and_place_in_a_word_file_are_read(
    make_site: MakeSite, description: str, gps: bool, rules: set[str]
) -> None:
    document = docx.Document()
    document.core_properties.author = ""
    document.add_picture(io.BytesIO(_photo(description, gps)))
    out = io.BytesIO()
    document.save(out)
    found = [f for f in _check(make_site, "a.docx", out.getvalue()) if f["rule"] in ("SEC006", "SEC012")]
    assert {f["rule"] for f in found} == rules, found
    assert all("内嵌图片 image1.jpg" in f["message"] for f in found), found


@pytest.mark.parametrize("items,fires", [('"13812345678,13957086421"', True), ('"是,否"', False)])
def test_a_drop_down_lists_items_are_scanned(make_site: MakeSite, items: str, fires: bool) -> None:
    """A data validation list (数据验证 → 序列) keeps its items in the file; a cell shows one of them
    only when picked."""
    book = openpyxl.Workbook()
    book.properties.creator = None
    book.active["A1"] = "联系人"
    rule = DataValidation(type="list", formula1=items, prompt="请选择联系人电话")
    book.active.add_data_validation(rule)
    rule.add("B1")
    out = io.BytesIO()
    book.save(out)
    assert bool(_of(_check(make_site, "a.xlsx", out.getvalue()), "SEC008")) is fires
