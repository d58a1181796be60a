"""Annual reports: tables computed from records and registers, REP001–REP003, HTML and Word."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable

import docx

from generator import pipeline
from generator.annual import charts, tables
from generator.config import load_config
from tests.conftest import DEPT_USCC, record_text, run_cli

MakeSite = Callable[..., Path]
HEADER = "id,received,applicant,result,closed,extended,reconsideration,litigation\n"
REPORT = (
    "---\npermits: 9487\npenalties: 2776\ncoercions: 84\nfees: 7545.11\n---\n## 总体情况\n\n演示总体情况。\n"
    "\n## 存在的主要问题及改进情况\n\n演示问题。\n"
)

# Every row and column label of tables 二, 三 and 四, copied from the spec (国办公开办函〔2021〕30号).
LABELS = [
    "第二十条第（一）项",
    "第二十条第（五）项",
    "第二十条第（六）项",
    "第二十条第（八）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "行政规范性文件",
    "本年处理决定数量",
    "行政许可",
    "行政处罚",
    "行政强制",
    "本年收费金额（单位：万元）",
    "行政事业性收费",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
]
SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def checked(site: Path) -> pipeline.CheckResult:
    config, _ = load_config(site)
    return pipeline.check(config, dt.date(2026, 11, 21))


def report_of(site: Path, year: int = 2025) -> tables.AnnualReport:
    reports, _ = tables.all_reports(checked(site).site)
    return next(r for r in reports if r.year == year)


def rules(result: pipeline.CheckResult, rule: str) -> list:
    return [f for f in result.findings if f.rule == rule]


def cell(report: tables.AnnualReport, row: str, column: str = "总计") -> int:
    assert report.table3 is not None
    return report.table3.rows[row][column]


def test_table2_counts_regulations_by_type_written_and_status(make_site: MakeSite) -> None:
    def rec(n: int, **meta: object) -> str:
        return record_text(index_no=f"{DEPT_USCC}/2025-{n:05d}", **meta)

    site = make_site(
        {
            "content/d1/a.md": rec(1, doc_type="规章", written="2025-03-01", published="2025-03-05"),
            "content/d1/b.md": rec(
                2,
                doc_type="行政规范性文件",
                written="2023-01-05",
                published="2023-01-09",
                status="已废止",
                status_date="2025-06-01",
            ),
            "content/d1/c.md": rec(3, doc_type="行政规范性文件", written="2020-01-05", published="2020-01-09"),
            "content/d1/d.md": rec(4, doc_type="行政规范性文件", written="2026-02-01", published="2026-02-03"),
            "content/d1/e.md": rec(
                5,
                doc_type="行政规范性文件",
                written="2021-01-05",
                published="2021-01-09",
                publicity="不予公开",
                withhold_reason="第十四条",
            ),
            "content/d1/reports/2025.md": REPORT,
            "content/d1/applications/2025.csv": HEADER,
        }
    )
    table = report_of(site).table2
    assert table.regulations["规章"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 1}
    # repealed in 2025, in force (incl. one not public: counts are public, texts are not), written after the year
    assert table.regulations["行政规范性文件"] == {"本年制发件数": 0, "本年废止件数": 1, "现行有效件数": 2}
    assert table.figures["fees"] == tables.Decimal("7545.11")


def test_table3_carries_over_across_two_years(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/applications/2024.csv": HEADER + "A1,2024-03-01,自然人,予以公开,2024-03-08,,,\n"
            "A2,2024-12-20,商业企业,,,,,\n",
            "content/d1/applications/2025.csv": HEADER + "A2,2024-12-20,商业企业,部分公开,2025-01-06,,,\n"
            "B1,2025-02-03,自然人,不予公开/属于国家秘密,2025-02-10,,维持,\n"
            "B2,2025-12-29,科研机构,,,,,\n",
            "content/d1/reports/2025.md": REPORT,
        }
    )
    result = checked(site)
    assert rules(result, "REP002") == []
    report = report_of(site)
    assert cell(report, "一、本年新收政府信息公开申请数量") == 2
    assert cell(report, "二、上年结转政府信息公开申请数量", "商业企业") == 1
    assert cell(report, "部分公开", "商业企业") == 1
    assert cell(report, "不予公开/属于国家秘密", "自然人") == 1
    assert cell(report, "（七）总计") == 2
    assert cell(report, "四、结转下年度继续办理", "科研机构") == 1
    assert report.table3 is not None and report.table3.unbalanced() == []
    assert report.table4 is not None and report.table4.blocks["行政复议"]["结果维持"] == 1


def test_rep002_when_last_years_open_application_is_not_carried_over(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/applications/2024.csv": HEADER + "A2,2024-12-20,商业企业,,,,,\n",
            "content/d1/applications/2025.csv": HEADER + "B1,2025-02-03,自然人,予以公开,2025-02-10,,,\n"
            "X9,2024-11-02,自然人,予以公开,2025-01-10,,,\n",
        }
    )
    found = rules(checked(site), "REP002")
    assert {(f.file, f.line) for f in found} == {
        ("content/d1/applications/2025.csv", 1),
        ("content/d1/applications/2025.csv", 3),
    }
    assert all(f.severity == "block" and f.message and f.fix for f in found)
    assert any("A2" in f.message for f in found) and any("X9" in f.message for f in found)


def test_rep001_unknown_result_is_reported_and_not_counted(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/d1/applications/2025.csv": HEADER + "B1,2025-02-03,自然人,予以公开,2025-02-10,,,\n"
            "B2,2025-03-03,自然人,同意公开,2025-03-10,,,\n"
            "B3,2025-04-03,外星人,予以公开,2025-04-10,,,\n"
            "B4,2025-05-03,自然人,予以公开,2025-05-01,,,\n",
            "content/d1/reports/2025.md": REPORT,
        }
    )
    found = rules(checked(site), "REP001")
    assert [(f.file, f.line) for f in found] == [("content/d1/applications/2025.csv", n) for n in (3, 4, 5)]
    assert "同意公开" in found[0].message and found[0].severity == "block"
    report = report_of(site)
    assert cell(report, "一、本年新收政府信息公开申请数量") == 1
    assert any("3 行无法计入" in m for m in report.missing)


def test_unreadable_register_row_is_a_finding_with_its_line(make_site: MakeSite) -> None:
    site = make_site({"content/d1/applications/2025.csv": HEADER + "B1,2025-02-03,自然人,,,,,\nB2,昨天,自然人,,,,,\n"})
    found = [f for f in checked(site).findings if f.file.endswith("2025.csv")]
    assert [(f.rule, f.line) for f in found if f.rule == "FMT002"] == [("FMT002", 3)]


def test_missing_register_and_figures_render_as_missing_with_rep003(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(
        {
            "content/d1/reports/2025.md": "---\npermits: 3\npenalties: 0\ncoercions: 0\n---\n## 总体情况\n\n文字。\n"
            "## 存在的主要问题及改进情况\n\n问题。\n"
        }
    )
    found = rules(checked(site), "REP003")
    assert len(found) == 2 and all(f.severity == "warn" for f in found)
    assert any("fees" in f.message for f in found) and any("台账" in f.message for f in found)
    result = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    html = (tmp_path / "out" / "d1" / "reports" / "2025.html").read_text(encoding="utf-8")
    fees_row = re.search(r"<th scope=\"row\">行政事业性收费</th><td[^>]*>([^<]*)</td>", html)
    assert fees_row and fees_row.group(1) == "缺失"
    received = re.search(r"一、本年新收政府信息公开申请数量</th>((?:<td[^>]*>[^<]*</td>)+)", html)
    assert received and set(re.findall(r">([^<]*)</td>", received.group(1))) == {"缺失"}


def test_every_label_in_html_and_docx(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(
        {
            "content/d1/applications/2025.csv": HEADER + "B1,2025-02-03,自然人,予以公开,2025-02-10,,,直接起诉:维持\n",
            "content/d1/reports/2025.md": REPORT,
        }
    )
    result = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    html = (tmp_path / "out" / "d1" / "reports" / "2025.html").read_text(encoding="utf-8")
    assert "<h1>测试局2025年政府信息公开工作年度报告</h1>" in html
    positions = [html.index(f">{title}<") for title in SECTIONS]
    assert positions == sorted(positions)
    assert [label for label in LABELS if f">{label}<" not in html] == []
    built = docx.Document(str(tmp_path / "out" / "d1" / "reports" / "2025-report.docx"))
    cells = {c.text.strip() for t in built.tables for row in t.rows for c in row.cells}
    assert [label for label in LABELS if label not in cells] == []
    headings = [p.text for p in built.paragraphs if p.style.name.startswith("Heading")]
    assert headings == SECTIONS
    assert 'href="2025-report.docx"' in html


def test_report_command_writes_docx_and_refuses_unknown_department(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/d1/applications/2025.csv": HEADER, "content/d1/reports/2025.md": REPORT})
    out = tmp_path / "r.docx"
    result = run_cli("report", "--site", site, "--dept", "d1", "--year", "2025", "--format", "docx", "--out", out)
    assert result.code == 0, result.err
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "测试局2025年政府信息公开工作年度报告" in text
    page = tmp_path / "r.html"
    assert run_cli("report", "--site", site, "--dept", "d1", "--year", "2025", "--out", page).code == 0
    assert "9487" in page.read_text(encoding="utf-8") and "<style>" in page.read_text(encoding="utf-8")
    assert run_cli("report", "--site", site, "--dept", "nope", "--year", "2025").code == 2
    assert run_cli("report", "--site", site, "--dept", "d1", "--year", "2019").code == 2


def test_template_check_catches_an_unbalanced_table() -> None:
    columns = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    rows = {
        key: dict.fromkeys(columns, 0)
        for key in (
            "一、本年新收政府信息公开申请数量",
            "二、上年结转政府信息公开申请数量",
            "（七）总计",
            "四、结转下年度继续办理",
        )
    }
    rows["一、本年新收政府信息公开申请数量"]["自然人"] = 2
    rows["（七）总计"]["自然人"] = 1
    assert tables.Table3(rows).unbalanced() == ["自然人"]


def test_charts_are_deterministic_svg_with_text_alternative() -> None:
    data = [("予以公开", 3), ("不予公开", 1)]
    first, second = charts.rows("results", "办理结果", data), charts.rows("results", "办理结果", data)
    assert first.svg == second.svg and first.svg.lstrip().startswith("<?xml")
    assert "<dc:date>" not in first.svg and "予以公开" in first.svg
    assert first.alt == "办理结果：予以公开 3，不予公开 1。"


def test_demo_report_renders_all_tables_and_never_publishes_the_register(demo_build: Path) -> None:
    html = (demo_build / "yuxi" / "reports" / "2025.html").read_text(encoding="utf-8")
    assert "玉溪市人民政府办公室2025年政府信息公开工作年度报告" in html
    assert [label for label in LABELS if f">{label}<" not in html] == []
    carried = re.search(r"二、上年结转政府信息公开申请数量</th>(?:<td[^>]*>[^<]*</td>){6}<td[^>]*>(\d+)</td>", html)
    assert carried and int(carried.group(1)) > 0
    assert (demo_build / "yuxi" / "reports" / "2025-report.docx").is_file()
    assert (demo_build / "reports" / "2025.html").is_file()
    index = (demo_build / "reports" / "index.html").read_text(encoding="utf-8")
    assert all(f"{slug}/reports/2025.html" in index for slug in ("yuxi", "huaning", "chuxiong", "aershan"))
    for path in demo_build.rglob("*"):
        assert path.suffix not in (".csv", ".xlsx") or "applications" not in path.parts
        if path.suffix in (".html", ".svg", ".json", ".xml", ".csv", ".txt"):
            assert "YX2025-0" not in path.read_text(encoding="utf-8", errors="ignore"), path


def test_xlsx_register_with_chinese_column_names(make_site: MakeSite) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "收到日期", "申请人类型", "办理结果", "办结日期"])
    sheet.append(
        ["B1", dt.datetime(2025, 2, 3), "法律服务机构", "无法提供/本机关不掌握相关政府信息", dt.datetime(2025, 2, 10)]
    )
    sheet.append(["B2", dt.datetime(2025, 3, 3), "自然人", "不存在的结果", dt.datetime(2025, 3, 10)])
    data = io.BytesIO()
    book.save(data)
    site = make_site({"content/d1/applications/2025.xlsx": data.getvalue(), "content/d1/reports/2025.md": REPORT})
    assert [(f.rule, f.line) for f in rules(checked(site), "REP001")] == [("REP001", 3)]
    assert cell(report_of(site), "无法提供/本机关不掌握相关政府信息", "法律服务机构") == 1
