"""Attachment files for tests, made with the same libraries the check reads them with:
clean ones, and ones hiding text the way Word, Excel and PDF editors do."""

from __future__ import annotations

import io
import zipfile
from typing import Callable

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl.comments import Comment
from PIL import Image
from pptx import Presentation
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def docx_bytes(*paragraphs: str, author: str = "", tracked: str = "", hidden: str = "", comment: str = "") -> bytes:
    """A DOCX with `paragraphs`; optionally a tracked insertion, hidden text or a comment."""
    document = docx.Document()
    document.core_properties.author = author
    document.core_properties.last_modified_by = ""
    for text in paragraphs:
        document.add_paragraph(text)
    if tracked:
        insertion = OxmlElement("w:ins")
        insertion.set(qn("w:id"), "1")
        insertion.set(qn("w:author"), "修改人")
        run = OxmlElement("w:r")
        text_node = OxmlElement("w:t")
        text_node.text = tracked
        run.append(text_node)
        insertion.append(run)
        document.add_paragraph()._p.append(insertion)
    if hidden:
        document.add_paragraph().add_run(hidden).font.hidden = True
    if comment:
        paragraph = document.add_paragraph("审阅的段落")
        document.add_comment(paragraph.runs, text=comment, author="审阅人")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(
    rows: list[list[str]], hidden_sheet: list[list[str]] | None = None, hidden_row: int = 0, comment: str = ""
) -> bytes:
    book = openpyxl.Workbook()
    book.properties.creator = None
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if hidden_row:
        sheet.row_dimensions[hidden_row].hidden = True
    if comment:
        sheet["A1"].comment = Comment(comment, "审阅人")
    if hidden_sheet is not None:
        secret = book.create_sheet("备注")
        for row in hidden_sheet:
            secret.append(row)
        secret.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_fonts(writer: PdfWriter) -> DictionaryObject:
    """A page's resources naming one font, /F1 (Helvetica, one of the PDF's standard fonts)."""
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    return DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})


def pdf_bytes(text: str, author: str = "", incremental_text: str = "") -> bytes:
    """A one-page PDF showing ASCII `text`; optionally saved again incrementally with a new page text."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    page[NameObject("/Resources")] = pdf_fonts(writer)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if author:
        writer.add_metadata({"/Author": author})
    out = io.BytesIO()
    writer.write(out)
    if not incremental_text:
        return out.getvalue()
    out.seek(0)
    again = PdfWriter(out, incremental=True)
    replacement = DecodedStreamObject()
    replacement.set_data(f"BT /F1 12 Tf 20 100 Td ({incremental_text}) Tj ET".encode("latin-1"))
    again.pages[0][NameObject("/Contents")] = again._add_object(replacement)
    final = io.BytesIO()
    again.write(final)
    return final.getvalue()


def pptx_bytes(*titles: str) -> bytes:
    """A PowerPoint deck of one titled slide per title, with no author."""
    deck = Presentation()
    deck.core_properties.author = ""
    deck.core_properties.last_modified_by = ""
    for title in titles:
        deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = title
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def with_parts(package: bytes, added: dict[str, bytes] | dict[str, str]) -> bytes:
    """An Office or OFD file (a zip) with the parts `added`, as its program would store them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            target.writestr(member, source.read(member.filename))
        for name, data in added.items():
            target.writestr(name, data)
    return out.getvalue()


def patched(package: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """An Office file (a zip) with its part `part` changed by `change`, for what the libraries
    will not write."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            target.writestr(member, change(data) if member.filename == part else data)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="PNG")
    return out.getvalue()


OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
OFD_TEXT = (
    '<ofd:TextObject ID="3" Boundary="10 10 100 10" Font="4" Size="5"{attributes}>'
    '<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>'
)
OFD_ANNOTATIONS = (
    f'<ofd:Annotations {OFD_NS}><ofd:Page PageID="1"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page>'
    "</ofd:Annotations>"
)


def ofd_bytes(
    objects: str = OFD_TEXT.format(attributes="", text="关于印发工作方案的通知"),
    doc_info: str = "",
    annotation: str = "",
    attachment: str = "",
) -> bytes:
    """An OFD (GB/T 33190) of one page drawing `objects`; optionally with document information,
    an annotation on the page and an attached file."""
    parts = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody>'
            f"<ofd:DocInfo><ofd:DocID>a1b2</ofd:DocID>{doc_info}</ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/Document.xml": (
            f"<ofd:Document {OFD_NS}><ofd:CommonData><ofd:MaxUnitID>10</ofd:MaxUnitID><ofd:PageArea>"
            '<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" '
            'BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'
        ),
        "Doc_0/Pages/Page_0/Content.xml": (
            f'<ofd:Page {OFD_NS}><ofd:Content><ofd:Layer ID="2">{objects}</ofd:Layer></ofd:Content></ofd:Page>'
        ),
    }
    if annotation:
        parts["Doc_0/Annots/Annotations.xml"] = OFD_ANNOTATIONS
        parts["Doc_0/Annots/Page_0/Annotation.xml"] = f"<ofd:PageAnnot {OFD_NS}>{annotation}</ofd:PageAnnot>"
    if attachment:
        parts["Doc_0/Attachs/Attachments.xml"] = (
            f'<ofd:Attachments {OFD_NS}><ofd:Attachment ID="9" Name="{attachment}" Format="xlsx">'
            f"<ofd:FileLoc>{attachment}</ofd:FileLoc></ofd:Attachment></ofd:Attachments>"
        )
        parts[f"Doc_0/Attachs/{attachment}"] = "内部名单"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()
