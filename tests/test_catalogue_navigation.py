"""Catalogue navigation: by department, category, topic and year, each listing also as
现行有效 only, all at stable URLs that link to each other."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import urls
from generator.render import catalogue
from htmlscan import scan, text_of
from conftest import DEPT_USCC, record_text, run_cli, write_site

SITE_YAML = """\
title: 测试站点
today: 2026-11-21
page_size: 2
rules: {STL010: off, STL008: off, STL007: off, INS001: off, INS002: off, INS003: off, INS006: off}
topics: [政务公开, 财政预算]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def rec(n: int, year: int, category: str, topic: str, **extra: object) -> str:
        return record_text(
            f"正文{n}。",
            index_no=f"{DEPT_USCC}/{year}-{n:05d}",
            title=f"文件{n}",
            category=category,
            topic=topic,
            written=f"{year}-03-01",
            published=f"{year}-03-02",
            review=f"{{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: {year}-03-02}}",
            **extra,
        )

    site = write_site(
        tmp_path_factory.mktemp("nav") / "site",
        {
            "site.yaml": SITE_YAML,
            "content/d1/r1.md": rec(1, 2025, "法定主动公开内容/政策文件/规章", "政务公开"),
            "content/d1/r2.md": rec(
                2, 2025, "法定主动公开内容/政策文件/其他文件", "财政预算", status="已废止", status_date="2026-01-05"
            ),
            "content/d1/r3.md": rec(3, 2026, "法定主动公开内容/通知公告", "政务公开"),
            "content/d1/r4.md": rec(4, 2026, "政府信息公开制度", "政务公开"),
        },
    )
    result = run_cli("build", "--site", site, "--out", site / "build")
    assert result.code == 0, result.err
    return site / "build"


def titles(build: Path, path: str) -> set[str]:
    text = text_of(scan(build, build / path))
    return {f"文件{n}" for n in range(1, 5) if f"文件{n}" in text}


def test_each_facet_lists_its_records_at_a_stable_url(built: Path) -> None:
    assert titles(built, urls.category_listing("法定主动公开内容/政策文件")) == {"文件1", "文件2"}
    assert titles(built, urls.category_listing("法定主动公开内容/政策文件/规章")) == {"文件1"}
    topic = urls.topic_listing("政务公开")
    assert titles(built, topic) | titles(built, urls.catalogue_page(topic, 2)) == {"文件1", "文件3", "文件4"}
    assert titles(built, urls.year_listing(2025)) == {"文件1", "文件2"}
    assert titles(built, urls.year_listing(2026)) == {"文件3", "文件4"}
    assert titles(built, urls.dept_catalogue("d1")) | titles(
        built, urls.catalogue_page(urls.dept_catalogue("d1"), 2)
    ) == {"文件1", "文件2", "文件3", "文件4"}


def test_current_only_twin_leaves_out_repealed_documents(built: Path) -> None:
    everything = titles(built, urls.category_listing("法定主动公开内容/政策文件"))
    current = titles(built, urls.current_only(urls.category_listing("法定主动公开内容/政策文件")))
    assert everything - current == {"文件2"}
    page = scan(built, built / urls.current_only(urls.CATALOGUE))
    assert "../index.html" in page.links  # back to 全部


def test_navigation_links_every_facet_counted_only_in_a_departments_own(built: Path) -> None:
    """The site's listings link every facet without counts (one record added anywhere would
    otherwise change every listing page of the site); a department's listings count its own
    facets, and the portal counts the site's categories."""
    page = scan(built, built / urls.CATALOGUE)
    text = text_of(page)
    for target in (
        urls.dept_catalogue("d1"),
        urls.topic_listing("财政预算"),
        urls.year_listing(2025),
        urls.category_listing("法定主动公开内容/通知公告"),
        urls.current_only(urls.CATALOGUE),
    ):
        assert urls.relative(urls.CATALOGUE, target) in page.links, target
    assert "财政预算" in text and "2026年" in text and "测试局" in text
    assert "(1)" not in text and "(2)" not in text and "(4)" not in text
    own = text_of(scan(built, built / urls.dept_catalogue("d1")))
    assert "财政预算 (1)" in own and "2026年 (2)" in own and "测试局全部公开信息 (4)" in own
    assert "测试局 (" not in own  # the department switcher: no counts
    assert "通知公告 (1)" in text_of(scan(built, built / urls.HOME))
    assert (built / urls.catalogue_page(urls.CATALOGUE, 2)).is_file()
    assert not (built / urls.catalogue_page(urls.CATALOGUE, 3)).exists()


def test_a_long_listing_pages_through_a_window_not_every_page(tmp_path: Path) -> None:
    """Each page of a long listing links the first, the last and the pages near it: a pager that
    listed every page would make a city's catalogue grow with the square of its records."""
    records = {
        f"content/d1/r{i}.md": record_text(index_no=f"{DEPT_USCC}/2026-{i:05d}", title=f"第{i}号通知")
        for i in range(1, 13)
    }
    site = write_site(
        tmp_path / "site",
        {
            "site.yaml": "title: 测试站点\ntoday: 2026-11-21\npage_size: 1\n"
            "rules: {STL008: 'off', STL010: 'off', INS001: 'off', INS002: 'off', INS006: 'off'}\n",
            **records,
        },
    )
    assert run_cli("build", "--site", site).code == 0, "build failed"
    page = site / "build" / urls.catalogue_page(urls.CATALOGUE, 6)
    html = page.read_text(encoding="utf-8")
    pager = html[html.index('class="pagination"') :]
    pager = pager[: pager.index("</nav>")]
    numbers = [int(n) for n in re.findall(r">(\d+)</(?:a|span)>", pager)]
    assert numbers == [1, 3, 4, 5, 6, 7, 8, 9, 12] and pager.count("…") == 2
    for href in re.findall(r'href="([^"]+)"', pager):
        assert (page.parent / href).resolve().is_file(), href


def test_a_listings_navigation_is_rendered_once_per_folder_and_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page of a listing shows the same navigation (some 160 links at a city's scale), so
    it is rendered once per listing and folder (render.pages.Shared): the pages are byte for byte
    those of a build that renders it on every page."""
    from generator.render import pages

    records = {
        f"content/d1/r{i}.md": record_text(index_no=f"{DEPT_USCC}/2026-{i:05d}", title=f"第{i}号通知")
        for i in range(1, 8)
    }
    files = {
        "site.yaml": "title: 测试站点\ntoday: 2026-11-21\npage_size: 1\n"
        "rules: {STL008: 'off', STL010: 'off', INS001: 'off', INS002: 'off', INS006: 'off'}\n",
        **records,
    }
    rendered: list[str] = []
    shared = pages.Shared.__call__

    def counting(self: pages.Shared, key: object, page_path: str, caller: Callable[[], str]) -> str:
        return shared(self, key, page_path, lambda: rendered.append(page_path) or caller())

    with monkeypatch.context() as patch:
        patch.setattr(pages.Shared, "__call__", counting)
        once = write_site(tmp_path / "once", files)
        assert run_cli("build", "--site", once, "--jobs", "1").code == 0, "build failed"
    listing = [urls.catalogue_page(urls.CATALOGUE, n) for n in range(1, 8)]
    assert [path for path in rendered if path in listing] == [listing[0]]  # 7 pages, one navigation

    with monkeypatch.context() as patch:
        patch.setattr(pages.Shared, "KEEP", 0)  # nothing kept: rendered on every page
        every = write_site(tmp_path / "every", files)
        assert run_cli("build", "--site", every, "--jobs", "1").code == 0, "build failed"
    pages_once = sorted(p.relative_to(once / "build") for p in (once / "build").rglob("*.html"))
    pages_every = sorted(p.relative_to(every / "build") for p in (every / "build").rglob("*.html"))
    assert pages_once == pages_every
    for rel in pages_once:
        assert (once / "build" / rel).read_bytes() == (every / "build" / rel).read_bytes(), rel


@pytest.mark.parametrize(
    "base", [urls.CATALOGUE, "d1/catalogue/index.html", "index.html", "d1/catalogue/topic/政务公开/"]
)
def test_a_listings_pages_are_where_its_pager_links(base: str) -> None:
    """The pages are written where the pager's links point (each page's path, made once for a listing)."""
    assert urls.catalogue_pages(base, 5) == [urls.catalogue_page(base, n) for n in range(1, 6)]
    assert urls.catalogue_pages(base, 1) == [base]


@given(st.lists(st.sampled_from(["乙", "甲", "丙", "表外一", "表外二"]), max_size=60))
def test_a_listings_rows_are_in_taxonomy_order_then_in_the_order_given(categories: list[str]) -> None:
    """Each listing's rows: its categories in taxonomy order, each category's records newest first
    as they arrive, and the records of categories outside the taxonomy last, still as they arrive
    (interleaved): what a stable sort by each record's place in the taxonomy gives."""
    taxonomy = ["甲", "乙", "丙"]
    renderer: Any = SimpleNamespace(publication=SimpleNamespace(config=SimpleNamespace(leaf_categories=taxonomy)))
    records: Any = [SimpleNamespace(category=category, n=n) for n, category in enumerate(categories)]
    rows = catalogue.ordered(renderer, records)
    place = {category: i for i, category in enumerate(taxonomy)}
    assert rows == sorted(records, key=lambda r: place.get(r.category, len(taxonomy)))
