"""The report as a Word document (python-docx): same sections, same tables, same labels.

The file is reproducible: fixed document properties and fixed dates inside the zip.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table

from .. import markdown
from .layout import MISSING, table2_blocks, table3_rows, table4_values
from .tables import AnnualReport
from .template import (
    APPLICANT_HEADER,
    DIRECT_SUIT,
    LITIGATION,
    NATURAL_PERSON,
    ORGANISATIONS,
    ORGANISATIONS_HEADER,
    OUTCOME_COLUMNS,
    RECONSIDERATION,
    SECTIONS,
    SUIT_AFTER_REVIEW,
    TOTAL,
)

FONT = "宋体"
FIXED = dt.datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _fonts(doc: WordDocument) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        style = doc.styles[name]
        style.font.name = FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _grid(doc: WordDocument, rows: int, cols: int) -> Table:
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    return table


def _set(table: Table, row: int, col: int, text: str, to: tuple[int, int] | None = None) -> None:
    cell = table.cell(row, col)
    if to:
        cell = cell.merge(table.cell(*to))
    cell.text = text


def _table2(doc: WordDocument, report: AnnualReport) -> None:
    for block in table2_blocks(report.table2):
        table = _grid(doc, len(block.rows) + 2, len(block.columns))
        _set(table, 0, 0, block.caption, (0, len(block.columns) - 1))
        for c, column in enumerate(block.columns):
            _set(table, 1, c, column)
        for r, (label, values) in enumerate(block.rows, 2):
            _set(table, r, 0, label)
            for c, value in enumerate(values, 1):
                _set(table, r, c, value)


def _table3(doc: WordDocument, report: AnnualReport) -> None:
    rows = table3_rows(report.table3)
    table = _grid(doc, len(rows) + 3, 8)
    _set(table, 0, 0, "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", (2, 0))
    _set(table, 0, 1, APPLICANT_HEADER, (0, 7))
    _set(table, 1, 1, NATURAL_PERSON, (2, 1))
    _set(table, 1, 2, ORGANISATIONS_HEADER, (1, 6))
    _set(table, 1, 7, TOTAL, (2, 7))
    for c, name in enumerate(ORGANISATIONS, 2):
        _set(table, 2, c, name)
    for r, row in enumerate(rows, 3):
        indent = "　" * row.depth
        if row.values is None:
            _set(table, r, 0, indent + row.label, (r, 7))
            continue
        cells = table.rows[r].cells  # one pass over the table per row, not per cell
        for cell, text in zip(cells, (indent + row.label, *row.values)):
            cell.text = text


def _table4(doc: WordDocument, report: AnnualReport) -> None:
    table = _grid(doc, 4, 15)
    _set(table, 0, 0, RECONSIDERATION, (0, 4))
    _set(table, 0, 5, LITIGATION, (0, 14))
    for c, column in enumerate(OUTCOME_COLUMNS):
        _set(table, 1, c, column, (2, c))
    _set(table, 1, 5, DIRECT_SUIT, (1, 9))
    _set(table, 1, 10, SUIT_AFTER_REVIEW, (1, 14))
    for c, column in enumerate(OUTCOME_COLUMNS * 2, 5):
        _set(table, 2, c, column)
    for cell, value in zip(table.rows[3].cells, table4_values(report.table4)):
        cell.text = value


def _narrative(doc: WordDocument, text: str) -> None:
    if not text:
        doc.add_paragraph("本节未填写。")
        return
    for block in re.split(r"\n\s*\n", text):
        words = markdown.plain_text(block).strip()
        if words:
            doc.add_paragraph(words)


def _reproducible(data: bytes) -> bytes:
    """The same zip with fixed member dates, so an unchanged report gives an identical file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(zipfile.ZipInfo(item.filename, ZIP_DATE), source.read(item.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def document(report: AnnualReport) -> bytes:
    doc = Document()
    _fonts(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments = report.title, "", "", ""
    props.created = props.modified = FIXED
    props.revision = 1
    heading = doc.add_heading(report.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.missing:
        note = doc.add_paragraph()
        note.add_run(f"以下数字缺失，表中显示为“{MISSING}”：" + "；".join(report.missing) + "。").bold = True
    for number, title in enumerate(SECTIONS):
        doc.add_heading(title, level=1)
        if number == 1:
            _table2(doc, report)
        elif number == 2:
            _table3(doc, report)
        elif number == 3:
            _table4(doc, report)
        if number == 5 and report.charged_text:
            doc.add_paragraph(report.charged_text)
        if number in (1, 2, 3):
            continue
        if report.dept:
            _narrative(doc, report.narrative.get(title, ""))
        else:
            doc.add_paragraph("本汇总由各部门年度报告的数字相加得出，各部门的文字部分见其年度报告。")
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible(buffer.getvalue())
