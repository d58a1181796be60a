"""The public 政府信息公开年报 pages: every report listed by year (those the catalogue files under
政府信息公开年报 too), PubDate like record pages, an empty chart said in words, and a standalone
HTML file that links nowhere it cannot reach."""

from __future__ import annotations

import re
from pathlib import Path

from generator import urls
from htmlscan import scan, text_of
from tests.conftest import run_cli


def test_the_reports_list_holds_the_computed_reports_and_those_filed_in_the_catalogue(demo_build: Path) -> None:
    page = scan(demo_build, demo_build / urls.REPORTS)
    text = text_of(page)
    assert "2017年度" in text and "玉溪市2017年政府信息公开工作年度报告" in text
    assert urls.relative(urls.REPORTS, urls.site_report(2025)) in page.links
    assert text.index("2025年度") < text.index("2017年度")  # newest first
    home = text_of(scan(demo_build, demo_build / urls.HOME))
    assert "2017年度" in home and "2025年度" in home


def test_report_pages_carry_pubdate(demo_build: Path) -> None:
    for path in (urls.report("yuxi", 2025), urls.site_report(2025)):
        assert scan(demo_build, demo_build / path).meta["PubDate"] == "2026-01-20", path


def test_a_chart_with_nothing_to_draw_is_a_sentence(demo_build: Path) -> None:
    html = (demo_build / urls.report("yuxi", 2025)).read_text(encoding="utf-8")
    assert "没有在本站发布政府信息" in html
    assert "2025-months.svg" not in html and not (demo_build / "yuxi/reports/2025-months.svg").exists()
    for svg in demo_build.glob("*/reports/*.svg"):
        figures = re.findall(r"(\d+)</td>", (svg.parent / (svg.name.split("-")[0] + ".html")).read_text("utf-8"))
        assert figures  # every chart drawn has its figures beside it


def test_the_standalone_report_links_only_outside_or_inside_itself(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "yuxi-2025.html"
    result = run_cli("report", "--site", demo_copy, "--dept", "yuxi", "--year", "2025", "--out", out)
    assert out.is_file(), result.err
    html = out.read_text(encoding="utf-8")
    for link in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert link.startswith(("https://", "http://", "#", "data:")), link
    assert "主导航" not in html and "政府信息公开年报" in html
