"""An attachment's own properties — Word's and Excel's 标题、主题、备注、自定义属性, a PDF's
document information and XMP metadata, an image's EXIF descriptions and PNG text — are shipped inside the published file though no page
shows them. The secrecy scan reads them like the file's text: a 密级标志, a phone number or a
保密审查 opinion written there is refused, and the finding names the property. Each case pairs
the leaking file with a near miss, the same property holding harmless text, which must pass."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import docx
import openpyxl
import pytest
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from conftest import check_attachment, record_text, run_cli
from office_files import pdf_bytes, with_parts

MakeSite = Callable[..., Path]
FILES = "content/d1/r.files/"
MARKING = "机密★5年"
PHONE = "13812345678"
CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="联系人">'
    "<vt:lpwstr>{value}</vt:lpwstr></property></Properties>"
)


def _docx(subject: str = "", custom: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.author = ""
    document.core_properties.comments = ""
    document.core_properties.subject = subject
    document.add_paragraph("公开的正文")
    out = io.BytesIO()
    document.save(out)
    return with_parts(out.getvalue(), {"docProps/custom.xml": CUSTOM.format(value=custom)} if custom else {})


def _xlsx(description: str) -> bytes:
    book = openpyxl.Workbook()
    book.properties.creator = None
    book.properties.description = description
    book.active["A1"] = "公开的表格"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _png(description: str) -> bytes:
    info = PngInfo()
    info.add_text("Description", description)
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _jpeg(description: str) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = description
    exif[ExifTags.Base.XPComment] = description.encode("utf-16-le")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _pdf(info: dict[str, str] | None = None, xmp: str = "") -> bytes:
    writer = PdfWriter(io.BytesIO(pdf_bytes("Public text")))
    if info:
        writer.add_metadata(info)
    if xmp:
        stream = DecodedStreamObject()
        stream.set_data(
            (
                '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
                f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>{xmp}</dc:description>'
                '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
            ).encode()
        )
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# (file name, leaking file, near miss, rule, the property the finding names)
CASES = {
    "docx-subject": ("a.docx", _docx(subject=MARKING), _docx(subject="年度工作计划"), "SEC006", "主题"),
    "docx-custom": ("a.docx", _docx(custom=PHONE), _docx(custom="办公室"), "SEC008", "自定义属性“联系人”"),
    "xlsx-description": ("a.xlsx", _xlsx("此件不予公开"), _xlsx("此件主动公开"), "SEC016", "备注"),
    "pdf-info": ("a.pdf", _pdf({"/Subject": MARKING}), _pdf({"/Subject": "工作计划"}), "SEC006", "主题"),
    "pdf-own-key": ("a.pdf", _pdf({"/Contact": PHONE}), _pdf({"/Contact": "office"}), "SEC008", "文档信息 Contact"),
    # Chinese in XMP is often written as character references: &#x673A;&#x5BC6; is 机密
    "png-text": ("a.png", _png(MARKING), _png("会议现场"), "SEC006", "文字块 Description"),
    "jpeg-exif": ("a.jpg", _jpeg(PHONE), _jpeg("会议现场"), "SEC008", "图片说明"),
    "pdf-xmp": ("a.pdf", _pdf(xmp="&#x673A;&#x5BC6;★5年"), _pdf(xmp="&#x5DE5;&#x4F5C;"), "SEC006", "XMP 元数据"),
}


def _check(make_site: MakeSite, name: str, data: bytes) -> list[dict[str, Any]]:
    return check_attachment(make_site, name, data)


@pytest.mark.parametrize("case", sorted(CASES))
def test_text_in_a_property_is_scanned(make_site: MakeSite, case: str) -> None:
    name, leaking, _, rule, label = CASES[case]
    found = [f for f in _check(make_site, name, leaking) if f["rule"] == rule]
    assert found, f"{rule} not raised for {case}"
    assert f"附件 {name} 的文件属性“{label}”" in found[0]["message"], found[0]["message"]
    lines = record_text("正文。", attachments=f"[{name}]").splitlines()
    assert found[0]["line"] == 1 + next(i for i, line in enumerate(lines) if line.startswith("attachments:"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_harmless_property_passes(make_site: MakeSite, case: str) -> None:
    name, _, near_miss, rule, _ = CASES[case]
    assert not [f for f in _check(make_site, name, near_miss) if f["rule"] == rule]


def test_a_property_is_not_readable_text(make_site: MakeSite) -> None:
    """A scan with a title still has no text to check (SEC015): its properties are no substitute."""
    writer = PdfWriter()
    writer.add_blank_page(300, 200)
    writer.add_metadata({"/Title": "关于印发工作方案的通知"})
    out = io.BytesIO()
    writer.write(out)
    found = _check(make_site, "scan.pdf", out.getvalue())
    assert any(f["rule"] == "SEC015" and "没有可提取的文字" in f["message"] for f in found), found


def test_a_marking_in_a_property_keeps_the_file_out_of_the_build(make_site: MakeSite) -> None:
    name, leaking, _, _, _ = CASES["docx-subject"]
    site = make_site({"content/d1/r.md": record_text("正文。", attachments=f"[{name}]"), FILES + name: leaking})
    result = run_cli("build", "--site", site)
    assert result.code == 1
    assert "文件属性“主题”" in result.out + result.err
    assert not (site / "build").exists() or not list((site / "build").rglob(name))
