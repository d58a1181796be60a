"""The public pages hold together on a phone (390 px), a tablet (768 px), a desktop (1280 px) and
A4 paper, measured in real Chromium on the demo build: nothing wider than the screen, no text box
squeezed narrower than 6em (a box that wraps its words one or two characters a line), every tap
target at least 44 × 44 px on a phone (links inside running text excepted, as WCAG 2.5.5 does),
and axe-core finding no WCAG 2.1 AA violation at either end. Each page is also screenshotted
(full page) into the test's folder, to look at when a check fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator import urls

from .test_public_pages import WCAG, first_department, first_record_url

CHECKS = (Path(__file__).parent / "layout_checks.js").read_text(encoding="utf-8")
KINDS = ("portal", "catalogue", "record", "guide", "report")


def pages(demo_build: Path) -> dict[str, str]:
    dept = first_department(demo_build)
    report = sorted(demo_build.glob("*/reports/*.html"))[0].relative_to(demo_build).as_posix()
    return {
        "portal": urls.HOME,
        "catalogue": urls.dept_catalogue(dept),
        "record": first_record_url(demo_build),
        "guide": urls.guide(dept),
        "report": report,
    }


def measure(page: Any) -> dict[str, list[str]]:
    return dict(page.evaluate(CHECKS))


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", KINDS)
def test_page_holds_together_and_passes_axe(
    page: Any, site_url: str, demo_build: Path, tmp_path: Path, kind: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    page.goto(site_url + pages(demo_build)[kind])
    page.screenshot(path=str(tmp_path / f"{kind}-{width}.png"), full_page=True)
    found = measure(page)
    assert not found["wide"], f"wider than the {width} px screen: {found['wide'][:10]}"
    assert not found["narrow"], f"text boxes narrower than 6em: {found['narrow'][:10]}"
    if width < 500:
        assert not found["small"], f"tap targets under 44 px: {found['small'][:10]}"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, results.generate_report()


def test_pages_hold_together_on_a_tablet(page: Any, site_url: str, demo_build: Path) -> None:
    page.set_viewport_size({"width": 768, "height": 1024})
    for kind, path in pages(demo_build).items():
        page.goto(site_url + path)
        found = measure(page)
        assert not found["wide"] and not found["narrow"], (kind, found)


def test_the_checks_see_a_squeezed_box_an_overflow_and_a_small_target(page: Any) -> None:
    """The measurements catch what they are for: the portal's old 年报 box (a flex list that is
    not title + date) squeezed its words to a character or two a line."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content(
        '<ul><li style="display:flex;gap:1rem"><strong>2025年度：</strong><a href="#">年度报告汇总</a>'
        '<a href="#">阿尔山市政务公开领导小组办公室</a><a href="#">楚雄市人民政府办公室</a>'
        '<a href="#">华宁县人民政府</a><a href="#">玉溪市人民政府办公室</a></li></ul>'
        '<div style="width:600px">宽</div>'
    )
    found = measure(page)
    assert any("年度报告汇总" in item for item in found["narrow"]), found
    assert any("宽" in item for item in found["wide"]), found
    assert any("年度报告汇总" in item for item in found["small"]), found


def test_a4_print_keeps_catalogue_titles_readable(page: Any, site_url: str, demo_build: Path, tmp_path: Path) -> None:
    page.goto(site_url + pages(demo_build)["catalogue"])
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less 15 mm margins, at 96 px per inch
    widths = page.evaluate(
        "[...document.querySelectorAll('table.catalogue td.title')].map("
        "td => td.getBoundingClientRect().width / parseFloat(getComputedStyle(td).fontSize))"
    )
    assert widths and min(widths) >= 12, widths  # at least twelve characters a line
    assert not page.locator(".catalogue-nav").is_visible()
    page.pdf(path=str(tmp_path / "catalogue.pdf"), format="A4")
    assert (tmp_path / "catalogue.pdf").stat().st_size > 0


def test_on_a_phone_the_catalogue_navigation_comes_before_the_rows(page: Any, site_url: str, demo_build: Path) -> None:
    """目录导航 used to sit after every row (4,000 px down): now it is above the listing, its
    groups folded so that the first record is on the first two screens."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + pages(demo_build)["catalogue"])
    nav = page.get_by_role("navigation", name="目录导航").bounding_box()
    first_row = page.locator("table.catalogue tbody tr").first.bounding_box()
    assert nav and first_row and nav["y"] < first_row["y"] < 2 * 844, (nav, first_row)
