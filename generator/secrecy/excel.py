"""XLSX attachments with openpyxl: every cell of every sheet, and what Excel hides —
hidden sheets, rows and columns, and cell comments."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from .extract import Extract
from .officeprops import identifying_properties


def read_xlsx(path: Path) -> Extract:
    book = openpyxl.load_workbook(path, data_only=True)
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
        commented = 0
        for row in sheet.iter_rows():
            lines.append("\t".join("" if cell.value is None else str(cell.value) for cell in row))
            for cell in row:
                if cell.comment is not None:
                    commented += 1
                    lines.append(cell.comment.text or "")
        if commented:
            found.hidden.append(f"工作表“{sheet.title}”有 {commented} 条批注")
    found.text = "\n".join(lines)
    found.metadata.extend(identifying_properties(path, book.properties.creator, book.properties.lastModifiedBy))
    return found
