"""The annual report's Word file in the official layout (GB/T 9704), read back with python-docx:
the page, the margins, the title and body fonts and sizes, the page-number field; and a site's
own template replacing the product's."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tests.conftest import SITE_YAML, record_text, run_cli

MakeSite = Callable[..., Path]


def east_asian_font(style: Any) -> str | None:
    r_fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
    return None if r_fonts is None else r_fonts.get(qn("w:eastAsia"))


def mm(length: Any) -> float:
    """A length in millimetres to 0.1 mm (Word stores twentieths of a point)."""
    return float(round(length.mm, 1))


def paragraph_style(document: Any, text: str) -> Any:
    return next(p for p in document.paragraphs if p.text == text).style


@pytest.fixture(scope="module")
def report(demo_build: Path) -> Any:
    return docx.Document(str(demo_build / "yuxi" / "reports" / "2025-report.docx"))


def test_page_is_a4_with_the_official_margins(report: Any) -> None:
    section = report.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    # 天头 37 mm, 订口 28 mm; the 156 × 225 mm 版心 leaves 35 mm below and 26 mm on the right
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)


def test_title_is_xiaobiaosong_erhao_and_the_body_fangsong_sanhao_indented(report: Any) -> None:
    title = paragraph_style(report, "玉溪市人民政府办公室2025年政府信息公开工作年度报告")
    assert east_asian_font(title) == "方正小标宋简体"
    assert title.font.size == Pt(22)  # 二号
    narrative = next(p for p in report.paragraphs if p.text.startswith("本报告是"))
    body = narrative.style
    assert body.name == "Normal"
    assert east_asian_font(body) == "仿宋_GB2312"
    assert body.font.size == Pt(16)  # 三号
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    heading = paragraph_style(report, "一、总体情况")
    assert east_asian_font(heading) == "黑体" and heading.font.size == Pt(16)
    assert all(h.font.color.rgb in (None, docx.shared.RGBColor(0, 0, 0)) for h in (title, heading))


def test_tables_use_the_table_text_style(report: Any) -> None:
    assert report.tables
    cell = report.tables[0].rows[1].cells[0].paragraphs[0]
    assert cell.style.name == "Table Text"
    assert cell.style.font.size == Pt(10.5)  # 五号
    for table in report.tables:  # every cell of every table, and each row's label on the left
        for row in table.rows:
            for c, row_cell in enumerate(row.cells):
                assert {p.style.name for p in row_cell.paragraphs} == {"Table Text"}
                if c == 0:
                    assert {p.alignment for p in row_cell.paragraphs} == {WD_ALIGN_PARAGRAPH.LEFT}


def test_merged_table_cells_hold_their_text_once(report: Any) -> None:
    """Table three's corner cell spans its three header rows; table four's first row is two cells."""
    table3 = next(t for t in report.tables if t.rows[0].cells[0].text.startswith("本列数据的勾稽关系"))
    assert len({table3.rows[r].cells[0]._tc for r in range(3)}) == 1
    assert len({cell._tc for cell in table3.rows[0].cells[1:]}) == 1  # 申请人情况 over seven columns
    table4 = next(t for t in report.tables if t.rows[0].cells[0].text == "行政复议")
    assert [cell.text for cell in table4.rows[0].cells] == ["行政复议"] * 5 + ["行政诉讼"] * 10


def test_footer_numbers_pages_with_a_page_field_between_dashes(report: Any) -> None:
    for footer in (report.sections[0].footer, report.sections[0].even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert [c.get(qn("w:fldCharType")) for c in footer._element.iter(qn("w:fldChar"))] == [
            "begin",
            "separate",
            "end",
        ], xml
        assert footer.paragraphs[0].text == "— 1 —"


REPORT_FILES = {
    "content/d1/2026-1.md": record_text(),
    "content/d1/reports/2025.md": "---\npermits: 1\npenalties: 0\ncoercions: 0\nfees: 0\n---\n\n## 总体情况\n\n正文。\n",
}


def test_a_site_replaces_the_template_with_its_own(make_site: MakeSite, tmp_path: Path) -> None:
    own = docx.Document()
    own.sections[0].top_margin = Mm(50)
    own.add_paragraph("模板里的示例文字")
    site = make_site({**REPORT_FILES, "site.yaml": SITE_YAML + "word_template: 模板.docx\n"})
    own.save(str(site / "模板.docx"))
    out = tmp_path / "r.docx"
    result = run_cli("report", "--site", site, "--dept", "d1", "--year", "2025", "--format", "docx", "--out", out)
    assert out.is_file(), result.err
    written = docx.Document(str(out))
    assert mm(written.sections[0].top_margin) == 50
    texts = [p.text for p in written.paragraphs]
    assert "模板里的示例文字" not in texts and "一、总体情况" in texts


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("../elsewhere.docx", "站点目录之外"),
        ("无此模板.docx", "不存在"),
        ("site.yaml", "不是 Word"),
        ("a.xlsx", "不是 Word"),
    ],
)
def test_an_unusable_template_is_refused_in_chinese(
    make_site: MakeSite, tmp_path: Path, setting: str, message: str
) -> None:
    site = make_site({**REPORT_FILES, "site.yaml": SITE_YAML + f"word_template: {setting}\n"})
    openpyxl.Workbook().save(site / "a.xlsx")  # a zip, but no Word document
    out = tmp_path / "r.docx"
    result = run_cli("report", "--site", site, "--dept", "d1", "--year", "2025", "--format", "docx", "--out", out)
    assert result.code == 2
    assert "word_template" in result.err and message in result.err
    assert "Traceback" not in result.err
