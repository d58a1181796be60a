"""The public pages in real headless Chromium: a visitor's path from the portal, axe-core
on every page kind, and the responsive, keyboard and print behaviour."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator import urls

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def first_record_url(demo_build: Path) -> str:
    records = json.loads((demo_build / urls.CATALOGUE_JSON).read_text(encoding="utf-8"))["records"]
    return next(r["url"] for r in records if r["url"])


def first_department(demo_build: Path) -> str:
    return sorted(p.parent.name for p in demo_build.glob("*/guide.html"))[0]


def page_kinds(demo_build: Path) -> dict[str, str]:
    return {
        "portal": urls.HOME,
        "guide": urls.guide(first_department(demo_build)),
        "catalogue": urls.CATALOGUE,
        "record": first_record_url(demo_build),
        "apply": urls.APPLY,
    }


def test_visitor_goes_from_the_portal_to_a_guide_and_a_record(page: Any, site_url: str, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url)
    for section in ("政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开", "平台链接"):
        assert page.get_by_role("heading", name=section).count() == 1, section
    page.screenshot(path=str(tmp_path / "portal.png"), full_page=True)

    guide = page.locator("#apply").get_by_role("link", name="政府信息公开指南").first
    name = guide.inner_text().removesuffix("政府信息公开指南")
    guide.click()
    assert page.get_by_role("heading", level=1).inner_text() == f"{name}政府信息公开指南"
    page.screenshot(path=str(tmp_path / "guide.png"), full_page=True)

    page.goto(site_url)
    newest = page.locator("table.catalogue a[href$='.html']").first
    title = newest.inner_text()
    newest.click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator("table.metadata").get_by_text("索引号").count() == 1
    page.screenshot(path=str(tmp_path / "record.png"), full_page=True)


@pytest.mark.parametrize("kind", ["portal", "guide", "catalogue", "record", "apply"])
def test_axe_finds_no_wcag21_aa_violation(page: Any, site_url: str, demo_build: Path, kind: str) -> None:
    page.goto(site_url + page_kinds(demo_build)[kind])
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, results.generate_report()


def test_the_portal_has_one_search_box_sending_q_to_the_search_page(page: Any, site_url: str) -> None:
    page.goto(site_url)
    assert page.locator("form[role=search]").count() == 1  # the header's, not a second one in the page
    box = page.locator("form[role=search]").get_by_role("searchbox")
    assert box.get_attribute("name") == "q"
    assert page.locator("form[role=search]").get_attribute("method") == "get"
    action = page.evaluate("document.querySelector('form[role=search]').action")
    assert action == site_url + urls.SEARCH


def test_catalogue_filter_keeps_only_current_documents(page: Any, site_url: str) -> None:
    page.goto(site_url + urls.CATALOGUE)
    everything = page.locator("table.catalogue tbody tr").count()
    page.get_by_role("navigation", name="有效性筛选").get_by_role("link", name="仅现行有效").click()
    assert page.url == site_url + urls.current_only(urls.CATALOGUE)
    assert page.locator("table.catalogue .badge.status").count() == 0
    assert 0 < page.locator("table.catalogue tbody tr").count() <= everything


def test_pages_fit_a_phone_screen(page: Any, site_url: str, demo_build: Path, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    for kind, path in page_kinds(demo_build).items():
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px"
    page.screenshot(path=str(tmp_path / "apply-phone.png"), full_page=True)


def test_skip_link_is_the_first_stop_and_visibly_focused(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle,"
        " document.activeElement.getBoundingClientRect().left]"
    )
    assert focused[0] == "跳到主要内容"
    assert focused[1] != "none" and focused[2] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_print_leaves_out_navigation_and_keeps_the_text(
    page: Any, site_url: str, demo_build: Path, tmp_path: Path
) -> None:
    page.goto(site_url + first_record_url(demo_build))
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="主导航").is_visible()
    assert page.locator("table.metadata").is_visible()
    page.pdf(path=str(tmp_path / "record.pdf"))
    assert (tmp_path / "record.pdf").stat().st_size > 0
