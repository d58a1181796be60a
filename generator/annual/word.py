"""The report as a Word document (python-docx): same sections, same tables, same labels.

The layout comes from a reference .docx: the product's reference.docx (GB/T 9704 公文格式:
A4, 37/35/28/26 mm margins, 小标宋 title, 仿宋_GB2312 三号 body with a two-character first-line
indent, page numbers "— 1 —" as a PAGE field; made by scripts/make-word-template), or the site's
own template named by site.yaml `word_template`. Its styles Title, Heading 1, Normal, Caption,
Table Grid and Table Text are used; its own text is dropped.
The file is reproducible: fixed document properties and fixed dates inside the zip.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table, _Cell

from .. import markdown
from .layout import MISSING, table2_blocks, table3_rows, table4_values
from .tables import AnnualReport
from .wordtemplate import REFERENCE
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

FIXED = dt.datetime(2000, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TABLE_TEXT = "Table Text"  # the reference's style for table cells; Normal in a template without it


def _styled(doc: WordDocument, name: str, fallback: str = "Normal") -> str:
    """`name` when the template defines it, else `fallback` (a site's own template may not)."""
    try:
        doc.styles[name]
    except KeyError:
        return fallback
    return name


def _empty_body(doc: WordDocument) -> None:
    """Drop the template's sample paragraphs and tables; keep its styles, page and footers."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _grid(doc: WordDocument, rows: int, cols: int) -> Table:
    table = doc.add_table(rows=rows, cols=cols)
    table.style = _styled(doc, "Table Grid", doc.styles.default(WD_STYLE_TYPE.TABLE).name)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _cell_style(doc: WordDocument, table: Table) -> None:
    """Every cell paragraph in the table style (五号, centred, single spacing), row labels left."""
    style = _styled(doc, TABLE_TEXT)
    # the style's id found once: python-docx looks the template's default style up again for every
    # paragraph given a style by name or object (most of a report's time, with hundreds of cells)
    style_id = doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            for para in cell.paragraphs:
                para._p.style = style_id  # what `para.style = style` sets
                if c == 0 and style != "Normal":
                    para.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _cell(table: Table, row: int, col: int) -> _Cell:
    """`table.cell(row, col)` found in its row: `table.cell` makes every cell of the table each time."""
    return table.rows[row].cells[col]


def _set(table: Table, row: int, col: int, text: str, to: tuple[int, int] | None = None) -> None:
    cell = _cell(table, row, col)
    if to:
        cell = cell.merge(_cell(table, *to))
    cell.text = text


def _table2(doc: WordDocument, report: AnnualReport) -> None:
    for block in table2_blocks(report.table2):
        table = _grid(doc, len(block.rows) + 2, len(block.columns))
        _set(table, 0, 0, block.caption, (0, len(block.columns) - 1))
        rows = table.rows  # each row's cells in one pass
        for cell, column in zip(rows[1].cells, block.columns):
            cell.text = column
        for r, (label, values) in enumerate(block.rows, 2):
            for cell, text in zip(rows[r].cells, (label, *values)):
                cell.text = text


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


def _caption(doc: WordDocument, text: str) -> None:
    doc.add_paragraph(text, style=_styled(doc, "Caption"))


def document(report: AnnualReport, template: Path | None = None) -> bytes:
    """The report in the layout of `template` (a .docx whose styles, page and footers are used;
    its own text is dropped), by default the product's GB/T 9704 reference."""
    doc = Document(str(template or REFERENCE))
    _empty_body(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments = report.title, "", "", ""
    props.created = props.modified = FIXED
    props.revision = 1
    doc.add_paragraph(report.title, style=_styled(doc, "Title"))
    if report.missing:
        note = doc.add_paragraph()
        note.add_run(f"以下数字缺失，表中显示为“{MISSING}”：" + "；".join(report.missing) + "。").bold = True
    heading = _styled(doc, "Heading 1")
    for number, title in enumerate(SECTIONS):
        doc.add_paragraph(title, style=heading)
        if number == 1:
            _table2(doc, report)
        elif number == 2:
            _caption(doc, "收到和处理政府信息公开申请情况")
            _table3(doc, report)
        elif number == 3:
            _caption(doc, "政府信息公开行政复议、行政诉讼情况")
            _table4(doc, report)
        if number == 5 and report.charged_text:
            doc.add_paragraph(report.charged_text)
        if number in (1, 2, 3):
            continue
        if report.dept:
            _narrative(doc, report.narrative.get(title, ""))
        else:
            doc.add_paragraph("本汇总由各部门年度报告的数字相加得出，各部门的文字部分见其年度报告。")
    for table in doc.tables:
        _cell_style(doc, table)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible(buffer.getvalue())
