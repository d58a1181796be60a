"""SEC014 on attachment content that its formatting makes invisible while the file still holds
it — the "redaction" of a 删减后公开 record done by hiding instead of deleting: XLSX rows of height
0 and columns of width 0, a number format that shows nothing (`;;;`), text coloured like what is
behind it (white on white, black on a black highlight, shading or fill), DOCX text of 1 point or
less, PDF text drawn in render mode 3 or 7, filled in the colour of what is under it, covered by
a rectangle filled after it, or drawn wholly outside the page. Each case pairs the hiding file,
which must be refused on the record's `attachments:` line, with its near miss, which must pass:
the same thing visible or harmless (white on a dark fill, a zero-width column with nothing in it, an OCR text layer on
its scanned image, a box drawn before the text, a header inside the page)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any, Callable

import docx
import openpyxl
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from conftest import record_text, run_cli
from office_files import pdf_fonts

MakeSite = Callable[..., Path]
FILES = "content/d1/r.files/"
REDACTED = {"publicity": "删减后公开", "withhold_reason": "《条例》第十五条"}
BODY = "名单如下：［已删减：涉及个人隐私］"
SECRET = "zqSECRETzq"
FIX = "删除被隐藏的内容后再上传，而不是隐藏"


# --- the files --------------------------------------------------------------------------------


def _xlsx(build: Callable[[Any], None], patch: Callable[[str], str] | None = None) -> bytes:
    """A workbook with a visible first row, changed by `build` (the sheet) and then, for what
    openpyxl will not write (a height of 0, a width of 0), by `patch` on the sheet's XML."""
    book = openpyxl.Workbook()
    book.properties.creator = None
    sheet = book.active
    sheet["A1"] = "公开的表格"
    build(sheet)
    out = io.BytesIO()
    book.save(out)
    if patch is None:
        return out.getvalue()
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(patched, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                changed = patch(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), "the patch did not apply"
                data = changed.encode("utf-8")
            target.writestr(member, data)
    return patched.getvalue()


def _row_height(height: str) -> Callable[[str], str]:
    return lambda xml: xml.replace('<row r="2"', f'<row r="2" ht="{height}" customHeight="1"')


def _zero_width(column: str) -> Callable[[str], str]:
    return lambda xml: xml.replace(
        "<sheetData>", f'<cols><col min="{column}" max="{column}" width="0" customWidth="1"/></cols><sheetData>'
    )


def _cell(ref: str, value: Any = SECRET, **style: Any) -> Callable[[Any], None]:
    def build(sheet: Any) -> None:
        sheet[ref] = value
        for name, setting in style.items():
            setattr(sheet[ref], name, setting)

    return build


def _docx(build: Callable[[Any], None]) -> bytes:
    document = docx.Document()
    document.core_properties.author = ""
    document.core_properties.last_modified_by = ""
    document.add_paragraph("公开的附件正文。")
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _run(colour: str | None = None, size: float | None = None, highlight: Any = None) -> Callable[[Any], Any]:
    """A paragraph holding SECRET in a run of that colour, size and highlight."""

    def build(document: Any) -> Any:
        run = document.add_paragraph().add_run(SECRET)
        _format(run, colour, size, highlight)
        return run

    return build


def _format(run: Any, colour: str | None = None, size: float | None = None, highlight: Any = None) -> None:
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    if size:
        run.font.size = Pt(size)
    if highlight is not None:
        run.font.highlight_color = highlight


def _shading(fill: str) -> Any:
    return parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')


def _shaded_paragraph(fill: str) -> Callable[[Any], None]:
    def build(document: Any) -> None:
        paragraph = document.add_paragraph()
        paragraph._p.get_or_add_pPr().append(_shading(fill))
        _format(paragraph.add_run(SECRET), "FFFFFF")

    return build


def _run_shading(colour: str | None, fill: str) -> Callable[[Any], None]:
    def build(document: Any) -> None:
        run = _run(colour)(document)
        run._r.get_or_add_rPr().append(_shading(fill))

    return build


def _table(style: str) -> Callable[[Any], None]:
    def build(document: Any) -> None:
        table = document.add_table(rows=2, cols=2)
        table.style = style
        _format(table.cell(0, 0).paragraphs[0].add_run(SECRET), "FFFFFF")

    return build


def _character_style(shading: str | None) -> Callable[[Any], None]:
    """SECRET in white through a paragraph style (its shading, if any, from the style too)."""

    def build(document: Any) -> None:
        style = document.styles.add_style("说明文字", 1)
        style.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        if shading:
            style.element.get_or_add_pPr().append(_shading(shading))
        document.add_paragraph(SECRET, style="说明文字")

    return build


def _page_colour(shown: bool) -> Callable[[Any], None]:
    """White SECRET on a dark page colour, which Word shows only when the settings say so."""

    def build(document: Any) -> None:
        document.element.insert(0, parse_xml(f'<w:background {nsdecls("w")} w:color="1F3864"/>'))
        if shown:
            document.settings.element.insert(0, parse_xml(f"<w:displayBackgroundShape {nsdecls('w')}/>"))
        _run("FFFFFF")(document)

    return build


TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    '<wp:anchor><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:spPr><a:prstGeom prst="rect"/>{fill}</wps:spPr><wps:txbx>{text}</wps:txbx><wps:bodyPr/></wps:wsp>'
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:rect><v:textbox>{text}</v:textbox></v:rect></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)


def _text_box(fill: str) -> Callable[[Any], None]:
    """White SECRET in a Word 2010 text box (with its VML copy for older Words) filled with `fill`."""
    text = f'<w:txbxContent><w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>{SECRET}</w:t></w:r></w:p></w:txbxContent>'

    def build(document: Any) -> None:
        document.paragraphs[0]._p.append(parse_xml(TEXT_BOX.format(fill=fill, text=text)))

    return build


def _pdf(content: bytes, form: bytes = b"", image: bool = False) -> bytes:
    """A 300×200 page drawing `content`, with font /F1, a 1×1 image /Im1 and a form /Fm1 drawing `form`."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    resources = pdf_fonts(writer)
    xobjects = DictionaryObject()
    if image:
        picture = DecodedStreamObject()
        picture.set_data(b"\xff")
        picture.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(1),
                NameObject("/Height"): NumberObject(1),
                NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                NameObject("/BitsPerComponent"): NumberObject(8),
            }
        )
        xobjects[NameObject("/Im1")] = writer._add_object(picture)
    if form:
        drawn = DecodedStreamObject()
        drawn.set_data(form)
        drawn.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([NumberObject(n) for n in (0, 0, 300, 200)]),
                NameObject("/Resources"): resources,
            }
        )
        xobjects[NameObject("/Fm1")] = writer._add_object(drawn)
    if xobjects:
        resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


VISIBLE = b"BT /F1 12 Tf 20 150 Td (Public attachment text) Tj ET "
INVISIBLE = f"BT 3 Tr /F1 12 Tf 20 60 Td ({SECRET}) Tj ET ".encode()
SCAN = b"q 300 0 0 200 0 0 cm /Im1 Do Q "  # a scanned page: one image over the whole page


def _shown(colour: bytes = b"", x: int = 20, y: int = 60) -> bytes:
    """SECRET drawn in render mode 0 (filled) at (x, y), 12 points high, after `colour`."""
    return colour + f" BT /F1 12 Tf {x} {y} Td ({SECRET}) Tj ET ".encode()


BOX = b" 15 55 200 20 re f "  # a rectangle over the start of _shown()'s text and its body


def _defined_name(value: str) -> Callable[[Any], None]:
    def build(sheet: Any) -> None:
        sheet.parent.defined_names["说明"] = DefinedName("说明", attr_text=value)

    return build


# --- the cases: (attachment name, hiding file, its near miss, what the message says) -------------

EMPTY_ROW_2 = lambda xml: xml.replace('<row r="3"', '<row r="2" ht="0" customHeight="1"></row><row r="3"')  # noqa: E731

Case = tuple[str, Callable[[], bytes], Callable[[], bytes], str]
CASES: dict[str, Case] = {
    # 1. XLSX rows of height 0 (or at most 1 pt) and columns of width 0 are hidden ones;
    #    when they hold nothing they hide nothing.
    "xlsx-row-height-0": (
        "a.xlsx",
        lambda: _xlsx(_cell("A2"), _row_height("0")),
        lambda: _xlsx(_cell("A3"), EMPTY_ROW_2),
        "工作表“Sheet”第 2 行高度为 0（隐藏行）",
    ),
    "xlsx-row-height-0.75pt": (
        "a.xlsx",
        lambda: _xlsx(_cell("A2"), _row_height("0.75")),
        lambda: _xlsx(_cell("A2"), _row_height("3")),  # low, but the text shows
        "第 2 行高度不超过 1 磅（隐藏行）",
    ),
    "xlsx-column-width-0": (
        "a.xlsx",
        lambda: _xlsx(_cell("D1"), _zero_width("4")),
        lambda: _xlsx(_cell("E1"), _zero_width("4")),
        "工作表“Sheet”第 D 列宽度为 0（隐藏列）",
    ),
    # 2. Number formats that show nothing; colours equal to the background.
    "xlsx-format-;;;": (
        "a.xlsx",
        lambda: _xlsx(_cell("B2", number_format=";;;")),
        lambda: _xlsx(_cell("B2", number_format="0;-0;;@")),  # hides zeros only; the text shows
        "单元格 B2 的数字格式 “;;;” 不显示其内容",
    ),
    "xlsx-format-;;;-number": (
        "a.xlsx",
        lambda: _xlsx(_cell("B2", 13812345678, number_format=";;;")),
        lambda: _xlsx(_cell("B2", 0, number_format='0;-0;"-"')),  # a zero shown as “-”
        "单元格 B2 的数字格式 “;;;” 不显示其内容",
    ),
    # a defined name (名称管理器) holding text: in the workbook, in no cell; one naming a range shows nothing
    "xlsx-defined-name-text": (
        "a.xlsx",
        lambda: _xlsx(_defined_name('"隐藏的说明文字"')),
        lambda: _xlsx(_defined_name("Sheet!$A$1:$B$2")),
        "定义名称 说明 中写有文字，不在任何单元格中显示",
    ),
    "xlsx-white-font": (
        "a.xlsx",
        lambda: _xlsx(_cell("B2", font=Font(color="FFFFFF"))),
        lambda: _xlsx(_cell("B2", font=Font(color="FFFFFF"), fill=PatternFill("solid", fgColor="1F4E79"))),
        "单元格 B2 的文字颜色与底色相同",
    ),
    "xlsx-black-fill": (  # blacked out: Excel's automatic font colour stays black on a black fill
        "a.xlsx",
        lambda: _xlsx(_cell("B2", fill=PatternFill("solid", fgColor="000000"))),
        lambda: _xlsx(_cell("B2", font=Font(color="FFFFFF"), fill=PatternFill("solid", fgColor="000000"))),
        "单元格 B2 的文字颜色与底色相同",
    ),
    "xlsx-white-font-in-table": (  # a table's style fills its header row: white on it is not judged
        "a.xlsx",
        lambda: _xlsx(_cell("D5", font=Font(color="FFFFFF"))),
        lambda: _xlsx(_table_header),
        "单元格 D5 的文字颜色与底色相同",
    ),
    "docx-white-font": (
        "a.docx",
        lambda: _docx(_run("FFFFFF")),
        lambda: _docx(_shaded_paragraph("1F3864")),  # white on a dark paragraph shading
        "正文第 2 段",
    ),
    "docx-black-on-black-highlight": (
        "a.docx",
        lambda: _docx(_run("000000", highlight=WD_COLOR_INDEX.BLACK)),
        lambda: _docx(_run("FFFFFF", highlight=WD_COLOR_INDEX.BLACK)),
        "与背景同色的文字",
    ),
    "docx-black-on-black-shading": (
        "a.docx",
        lambda: _docx(_run_shading("000000", "000000")),
        lambda: _docx(_run_shading(None, "000000")),  # automatic colour: Word writes it white on black
        "与背景同色的文字",
    ),
    "docx-white-in-table-cell": (
        "a.docx",
        lambda: _docx(_table("Table Grid")),
        lambda: _docx(_table("Medium Shading 1 Accent 1")),  # the style fills the header row
        "正文第 2 段",
    ),
    "docx-white-by-style": (
        "a.docx",
        lambda: _docx(_character_style(None)),
        lambda: _docx(_character_style("222222")),
        "与背景同色的文字",
    ),
    "docx-white-in-text-box": (
        "a.docx",
        lambda: _docx(_text_box("<a:noFill/>")),
        lambda: _docx(_text_box('<a:solidFill><a:srgbClr val="1F4E79"/></a:solidFill>')),
        "1 段有与背景同色的文字",  # once, not again for the VML copy
    ),
    "docx-white-on-page-colour": (  # a page colour shows only with w:displayBackgroundShape
        "a.docx",
        lambda: _docx(_page_colour(shown=False)),
        lambda: _docx(_page_colour(shown=True)),
        "与背景同色的文字",
    ),
    "docx-1pt-font": (
        "a.docx",
        lambda: _docx(_run(size=1)),
        lambda: _docx(_run(size=1.5)),
        "字号不大于 1 磅的文字",
    ),
    # 3. PDF text neither filled nor stroked.
    "pdf-render-mode-3": (
        "a.pdf",
        lambda: _pdf(VISIBLE + INVISIBLE),
        lambda: _pdf(SCAN + INVISIBLE, image=True),  # OCR text layer on its scanned page
        "第 1 页有 1 处不可见文字",
    ),
    "pdf-render-mode-7-in-form": (
        "a.pdf",
        lambda: _pdf(VISIBLE + b"q /Fm1 Do Q", form=INVISIBLE.replace(b"3 Tr", b"7 Tr")),
        lambda: _pdf(VISIBLE + b"q 3 Tr Q /Fm1 Do", form=INVISIBLE.replace(b"3 Tr ", b"")),  # Q restored mode 0
        "第 1 页有 1 处不可见文字",
    ),
    "pdf-render-mode-set-outside-form": (
        "a.pdf",
        lambda: _pdf(VISIBLE + b"3 Tr /Fm1 Do", form=INVISIBLE.replace(b"3 Tr ", b"")),
        lambda: _pdf(VISIBLE + b"3 Tr 0 Tr /Fm1 Do", form=INVISIBLE.replace(b"3 Tr ", b"")),
        "第 1 页有 1 处不可见文字",
    ),
    # 4. PDF text filled in the colour of what is under it: the white page, or a box drawn first.
    "pdf-white-text": (
        "a.pdf",
        lambda: _pdf(VISIBLE + _shown(b"1 g")),
        lambda: _pdf(VISIBLE + b"0 0 0.5 rg" + BOX + _shown(b"1 1 1 rg")),  # white on a dark box drawn first
        "第 1 页有 1 处与背景同色的文字",
    ),
    "pdf-white-text-cmyk": (
        "a.pdf",
        lambda: _pdf(VISIBLE + _shown(b"0 0 0 0 k")),
        lambda: _pdf(SCAN + _shown(b"0 0 0 0 k"), image=True),  # a white OCR text layer on its scan
        "与背景同色的文字",
    ),
    "pdf-black-text-on-black-box": (
        "a.pdf",
        lambda: _pdf(VISIBLE + b"0 g" + BOX + _shown(b"0 0 0 rg")),
        lambda: _pdf(VISIBLE + b"0.9 g" + BOX + _shown(b"0 g")),  # a table cell's shading
        "与背景同色的文字",
    ),
    # 5. PDF text covered by a filled rectangle drawn after it: the black box, the white-out.
    "pdf-black-box-after-text": (
        "a.pdf",
        lambda: _pdf(VISIBLE + _shown() + b"0 0 0 rg" + BOX),
        lambda: _pdf(VISIBLE + b"0 g" + BOX + _shown(b"1 g")),  # the box first: white on black shows
        "第 1 页有 1 处被其后画的实心矩形盖住的文字",
    ),
    "pdf-white-box-after-text": (
        "a.pdf",
        lambda: _pdf(VISIBLE + _shown() + b"1 g" + BOX),
        lambda: _pdf(VISIBLE + _shown() + b"0 g 20 57 80 0.5 re f"),  # an underline drawn after it
        "被其后画的实心矩形盖住的文字",
    ),
    "pdf-white-box-after-white-text": (  # counted once, as covered
        "a.pdf",
        lambda: _pdf(VISIBLE + _shown(b"1 g") + BOX),
        lambda: _pdf(VISIBLE + b"0 g" + BOX + _shown(b"1 g") + b"q 0 0 300 50 re W n 0 g 0 0 300 200 re f Q"),
        "第 1 页有 1 处被其后画的实心矩形盖住的文字",  # the near miss: a box clipped to below the text
    ),
    "pdf-box-in-form-after-text": (
        "a.pdf",
        lambda: _pdf(VISIBLE + _shown() + b"/Fm1 Do", form=b"0 g" + BOX),
        lambda: _pdf(VISIBLE + b"/Fm1 Do" + _shown(b"1 g"), form=b"0 g" + BOX),
        "被其后画的实心矩形盖住的文字",
    ),
    # 6. PDF text drawn wholly outside the page (its MediaBox and CropBox): a header stays inside.
    "pdf-text-outside-page": (
        "a.pdf",
        lambda: _pdf(VISIBLE + _shown(x=900, y=900)),
        lambda: _pdf(VISIBLE + _shown(x=20, y=188)),  # a header at the top edge
        "第 1 页有 1 处画在页面之外的文字",
    ),
    "pdf-text-below-page": (
        "a.pdf",
        lambda: _pdf(VISIBLE + _shown(x=20, y=-40)),
        lambda: _pdf(VISIBLE + _shown(x=-30, y=100)),  # starts left of the page, runs onto it
        "画在页面之外的文字",
    ),
    "pdf-text-moved-off-by-cm": (
        "a.pdf",
        lambda: _pdf(VISIBLE + b"q 1 0 0 1 0 -500 cm" + _shown() + b"Q"),
        lambda: _pdf(VISIBLE + b"q 1 0 0 1 0 -50 cm" + _shown() + b"Q"),
        "画在页面之外的文字",
    ),
}


def _table_header(sheet: Any) -> None:
    """An Excel table whose header cell is white: the table style fills the header row."""
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "名称", "数值", SECRET, 1
    sheet["A1"].font = Font(color="FFFFFF")
    sheet.add_table(Table(displayName="表1", ref="A1:B2"))


def check(make_site: MakeSite, name: str, data: bytes) -> tuple[list[dict[str, Any]], int]:
    """The findings of `check` on a 删减后公开 record listing the attachment, and that entry's line."""
    text = record_text(BODY, attachments=f"\n- {name}", **REDACTED)
    site = make_site({"content/d1/r.md": text, FILES + name: data})
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.code in (0, 1), result.err
    return json.loads(result.out), text.split("\n").index(f"- {name}") + 1


def sec014(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule"] == "SEC014"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_hidden_by_formatting_is_refused_and_its_near_miss_passes(make_site: MakeSite, case: str) -> None:
    name, hiding, near_miss, said = CASES[case]
    findings, line = check(make_site, name, hiding())
    found = sec014(findings)
    assert len(found) == 1, findings
    (finding,) = found
    assert finding["severity"] == "block" and finding["file"] == "content/d1/r.md" and finding["line"] == line
    assert finding["message"].startswith(f"附件 {name}：含隐藏内容：") and said in finding["message"], finding
    assert FIX in finding["message"] and finding["fix"] and finding["fingerprint"]
    assert SECRET not in json.dumps(findings, ensure_ascii=False)  # what is hidden is not printed
    assert not sec014(check(make_site, name, near_miss())[0])


def test_build_of_redacted_record_with_zero_height_row_is_refused(make_site: MakeSite) -> None:
    """The probe's case end to end: `build` writes nothing and says SEC014 on the attachment line."""
    data = _xlsx(_cell("A2"), _row_height("0"))
    site = make_site(
        {"content/d1/r.md": record_text(BODY, attachments="\n- a.xlsx", **REDACTED), FILES + "a.xlsx": data}
    )
    result = run_cli("build", "--site", site)
    assert result.code == 1 and "SEC014" in result.out + result.err
    assert "第 2 行高度为 0（隐藏行）" in result.out + result.err
    assert not (site / "build").exists() or not any(
        SECRET.encode() in path.read_bytes() for path in (site / "build").rglob("*") if path.is_file()
    )


def test_many_hidden_cells_are_listed_ten_at_a_time(make_site: MakeSite) -> None:
    def build(sheet: Any) -> None:
        for row in range(2, 14):
            _cell(f"B{row}", number_format=";;;")(sheet)

    (finding,) = sec014(check(make_site, "a.xlsx", _xlsx(build))[0])
    assert "单元格 B2、B3、B4、B5、B6、B7、B8、B9、B10、B11 等 12 处" in finding["message"]


def test_long_lists_of_places_name_ten_and_the_count_once() -> None:
    """Past ten pages, slides or rows a message names the first ten and how many in all, with
    its unit once ("第 1、…、10 页等 12 页有", not "… 等 12 页 页有")."""
    from generator.secrecy.extract import numbered  # what pdf.py and slides.py say places with

    assert numbered([1, 3], "页") == "第 1、3 页"
    assert numbered(list(range(1, 13)), "页") == "第 1、2、3、4、5、6、7、8、9、10 页等 12 页"
    assert numbered(list(range(12, 0, -1)), "张") == "第 1、2、3、4、5、6、7、8、9、10 张等 12 张"


def test_many_zero_height_rows_are_counted_once(make_site: MakeSite) -> None:
    def fill(sheet: Any) -> None:
        for row in range(2, 14):
            sheet.cell(row=row, column=1, value=SECRET)

    def flatten(xml: str) -> str:
        return re.sub(r'<row r="(\d+)"', lambda m: m.group(0) + ' ht="0" customHeight="1"' * (m[1] != "1"), xml)

    found = sec014(check(make_site, "a.xlsx", _xlsx(fill, flatten))[0])
    assert any("第 2、3、4、5、6、7、8、9、10、11 行等 12 行高度" in f["message"] for f in found), found
