"""Government-site conventions on every built page: footer facts, the monitoring meta tags,
lang, a skip link, and tables with headers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.render import pages as page_render
from htmlscan import Page, scan_site, text_of
from conftest import REPO

SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType")
RECORD_TAGS = ("ArticleTitle", "PubDate", "ContentSource")


@pytest.fixture(scope="module")
def pages(demo_build: Path) -> dict[str, Page]:
    return scan_site(demo_build)


def test_every_page_carries_the_footer_and_site_meta_tags(pages: dict[str, Page]) -> None:
    config, _ = load_config(REPO)
    footer = config.footer
    for path, page in pages.items():
        text = text_of(page)
        for fact in (
            f"主办单位：{footer.host}",
            f"网站标识码：{footer.site_code}",
            f"ICP备案号：{footer.icp}",
            f"公安机关备案号：{footer.psb}",
            footer.contact,
        ):
            assert fact in text, f"{path} lacks {fact}"
        assert page.meta["SiteName"] == config.title, path
        assert page.meta["SiteDomain"] == config.domain, path
        assert page.meta["SiteIDCode"] == footer.site_code, path
        assert page.meta["ColumnName"] and page.meta["ColumnType"], path
        assert page.lang == "zh-CN", path
        assert ("a", {"class": "skip-link", "href": "#main"}) in page.tags and "main" in page.ids, path


def test_record_pages_carry_article_title_pubdate_and_source(demo_build: Path, pages: dict[str, Page]) -> None:
    import json

    records = json.loads((demo_build / "catalogue.json").read_text(encoding="utf-8"))["records"]
    full = [r for r in records if r["url"]]
    assert full
    for record in full:
        page = pages[record["url"]]
        assert page.meta["ArticleTitle"] == record["title"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page.meta["PubDate"])
        assert page.meta["PubDate"] == record["published"]
        assert page.meta["ContentSource"] == "、".join(record["publisher"])
    assert not any(tag in pages["index.html"].meta for tag in RECORD_TAGS)


def test_every_data_table_has_header_cells(pages: dict[str, Page]) -> None:
    for path, page in pages.items():
        tables: list[int] = []  # header cells seen in each table, in document order
        for tag, _ in page.tags:
            if tag == "table":
                tables.append(0)
            elif tag == "th" and tables:
                tables[-1] += 1
        assert all(tables), f"{path}: a table without header cells"


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.dates() | st.datetimes())
def test_a_date_on_a_page_is_written_as_strftime_writes_it(value: dt.date) -> None:
    """Pages write dates by a quick path for the usual format; it is strftime's text for every date
    (years before 1000 included, which strftime writes unpadded) and any other format goes to it."""
    assert page_render._date(value) == value.strftime("%Y-%m-%d")
    assert page_render._date(value, "%Y年%m月%d日") == value.strftime("%Y年%m月%d日")
