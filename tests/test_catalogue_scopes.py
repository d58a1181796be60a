"""A department's catalogue keeps the visitor in the department: its category, topic and year
facets open the department's own listings (玉溪 · 2019年) with the department's own counts;
the breadcrumb names each level once; the tables say 文号 and 发布日期 like the record page."""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from pathlib import Path

from generator import urls
from htmlscan import scan, text_of


def demo_records(demo_build: Path) -> list[dict[str, object]]:
    return list(json.loads((demo_build / urls.CATALOGUE_JSON).read_text(encoding="utf-8"))["records"])


def department_of(records: list[dict[str, object]]) -> tuple[str, str]:
    """(slug, name) of the department with the most records."""
    slug = Counter(str(r["url"] or r["index_no"]).split("/")[0] for r in records if r["url"]).most_common(1)[0][0]
    name = next(str(r["department"]) for r in records if str(r["url"]).startswith(slug + "/"))
    return slug, name


def facet_links(demo_build: Path, page_path: str) -> dict[str, str]:
    """Label → output path of every facet link in the page's 目录导航."""
    html = (demo_build / page_path).read_text(encoding="utf-8")
    nav = html[html.index('aria-label="目录导航"') :]
    nav = nav[: nav.index("</nav>")]
    found = {}
    for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+?)(?: <span class="n">|</a>)', nav):
        found[label] = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), href))
    return found


def test_a_department_listing_links_its_own_facets_with_its_own_counts(demo_build: Path) -> None:
    records = demo_records(demo_build)
    slug, name = department_of(records)
    mine = [r for r in records if str(r["department"]) == name]
    links = facet_links(demo_build, urls.dept_catalogue(slug))
    years = Counter(str(r["published"] or r["written"])[:4] for r in mine)
    for year, count in years.items():
        target = links[f"{year}年"]
        assert target == urls.dept_listing(slug, urls.year_listing(int(year)))
        page = text_of(scan(demo_build, demo_build / target))
        assert f"{name} · {year}年" in page and f"共 {count} 条" in page, year
    topics = Counter(str(r["topic"]) for r in mine if r["topic"])
    for topic, count in topics.items():
        assert links[topic] == urls.dept_listing(slug, urls.topic_listing(topic))
        assert f"共 {count} 条" in text_of(scan(demo_build, demo_build / links[topic]))
    # the department switcher still reaches every department, and the site's own catalogue
    assert all(target.endswith("catalogue/index.html") for label, target in links.items() if "全部" in label)
    site_links = facet_links(demo_build, urls.CATALOGUE)
    assert site_links[f"{next(iter(years))}年"] == urls.year_listing(int(next(iter(years))))


def test_the_breadcrumb_names_each_level_once(demo_build: Path) -> None:
    records = demo_records(demo_build)
    slug, name = department_of(records)
    year = str(records[0]["published"])[:4]
    for path in (urls.dept_catalogue(slug), urls.dept_listing(slug, urls.year_listing(int(year)))):
        html = (demo_build / path).read_text(encoding="utf-8")
        crumb = html[html.index('class="breadcrumb"') :]
        crumb = re.sub(r"<[^>]+>|\s", "", crumb[: crumb.index("</nav>")])
        assert crumb.count(name) == 1 and crumb.count("政府信息公开目录") == 1, crumb


def test_catalogue_tables_show_the_doc_no_and_the_publication_date(demo_build: Path) -> None:
    records = demo_records(demo_build)
    with_no = next(r for r in records if r["doc_no"] and r["url"])
    slug = str(with_no["url"]).split("/")[0]
    text = text_of(scan(demo_build, demo_build / urls.dept_catalogue(slug)))
    html = (demo_build / urls.dept_catalogue(slug)).read_text(encoding="utf-8")
    assert ">文号</th>" in html and ">发布日期</th>" in html and "生成日期" not in html
    pages = [demo_build / urls.catalogue_page(urls.dept_catalogue(slug), n) for n in range(1, 20)]
    assert any(str(with_no["doc_no"]) in text_of(scan(demo_build, p)) for p in pages if p.is_file()), text[:200]
    record = text_of(scan(demo_build, demo_build / str(with_no["url"])))
    assert "发布日期" in record and "主题分类" in record and str(with_no["topic"]) in record
