"""Federated search of a 网站群 in real headless Chromium: two sibling sites, each built on its own
(neither build sees the other's content), served from two origins on 127.0.0.1; the first site's
search page also searches the second (site.yaml search.siblings), and a sibling that is down or
missing does not stop the first site's own results."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

import pytest

from browser.conftest import serve
from conftest import DEPARTMENT_YAML, DEPT_USCC, SITE_YAML, record_text, run_cli, write_site

SEARCH = "search/index.html"
RESULTS = "#search-results li"
OWN_TITLE = "关于甲市网站群集约化建设的通知"
SIBLING_TITLE = "关于乙县校园食品安全专项检查的通报"
SIBLING_BODY = "乙县教育局"  # the second site's department, the records' 发布机构
SIBLING_NAME = "乙县教育局网站"  # the second site as the first one's site.yaml names it
DOWN_NAME = "丙县人民政府网站"  # a sibling nobody answers for
MISSING_NAME = "丁镇人民政府网站"  # a sibling whose index is not there (404)


class _CorsHandler(http.server.SimpleHTTPRequestHandler):
    """A sibling's server: it lets other sites' pages fetch its search index (CORS)."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def serve_cors(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CorsHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def records(publisher: str, titles: dict[str, str]) -> dict[str, str]:
    """Records of department d1: {title: 发布日期}."""
    return {
        f"content/d1/r{n}.md": record_text(
            f"{title}的正文。", title=title, publisher=publisher, published=day, index_no=f"{DEPT_USCC}/2026-{n:05d}"
        )
        for n, (title, day) in enumerate(titles.items(), start=1)
    }


def build(site: Path) -> Path:
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err + result.out
    return site / "build"


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The second site (乙) built and served with CORS; the first (甲) built with 乙 and two
    unreachable siblings in its site.yaml, served from another origin."""
    sibling_dept = DEPARTMENT_YAML.replace("name: 测试局", f"name: {SIBLING_BODY}")
    second = write_site(
        tmp_path_factory.mktemp("sibling"),
        {
            "site.yaml": SITE_YAML.replace("title: 测试站点", "title: 乙县政府信息公开"),
            "content/d1/department.yaml": sibling_dept,
            **records(SIBLING_BODY, {SIBLING_TITLE: "2026-11-06", "关于乙县教师招聘工作的公告": "2026-11-04"}),
        },
    )
    sibling_server, sibling_url = serve_cors(build(second))
    siblings = (
        "search:\n  siblings:\n"
        f"    - {{name: {SIBLING_NAME}, url: '{sibling_url}'}}\n"
        f"    - {{name: {DOWN_NAME}, url: 'http://127.0.0.1:{closed_port()}/'}}\n"
        f"    - {{name: {MISSING_NAME}, url: '{sibling_url}no-such-site/'}}\n"
    )
    first = write_site(
        tmp_path_factory.mktemp("own"),
        {
            "site.yaml": SITE_YAML.replace("title: 测试站点", "title: 甲市政府信息公开") + siblings,
            **records("测试局", {OWN_TITLE: "2026-11-05", "关于甲市政务公开工作要点的通知": "2026-11-03"}),
        },
    )
    own_server, own_url = serve(build(first))
    yield {"own": own_url, "sibling": sibling_url, "sibling_server": sibling_server}
    own_server.shutdown()
    sibling_server.shutdown()


def search(page: Any, base: str, query: str, extra: str = "") -> list[dict[str, str]]:
    page.goto(f"{base}{SEARCH}?q={quote(query)}{extra}")
    page.wait_for_selector(".search-page[data-ready]")
    return [
        {
            "href": item.locator("h2 a").get_attribute("href") or "",
            "title": item.locator("h2 a").inner_text(),
            "site": item.locator(".result-site").inner_text(),
            "date": item.locator(".result-meta dt:text-is('发布日期') + dd").inner_text(),
        }
        for item in page.locator(RESULTS).all()
    ]


def test_a_sibling_sites_record_is_found_by_its_title_and_links_to_that_site(page: Any, group) -> None:
    found = search(page, group["own"], SIBLING_TITLE)
    assert [r["title"] for r in found] == [SIBLING_TITLE]
    assert found[0]["href"].startswith(group["sibling"])  # the second site's own page
    assert found[0]["site"] == SIBLING_NAME
    page.click(f"{RESULTS} h2 a")
    page.wait_for_url(found[0]["href"])
    assert SIBLING_TITLE in page.inner_text("main")
    # the same check and ranking as the site's own records: every word, nothing sharing a bigram
    assert [r["title"] for r in search(page, group["own"], "乙县 食品安全")] == [SIBLING_TITLE]
    assert search(page, group["own"], "乙县 甲市") == []
    # a word both sites hold: results of both, each with its site's name
    # a word both sites hold: the results of both in one date order (newest first), each with its site
    both = search(page, group["own"], "关于", "&sort=desc")
    assert [(r["date"], r["site"]) for r in both] == [
        ("2026-11-06", SIBLING_NAME),
        ("2026-11-05", "甲市政府信息公开"),
        ("2026-11-04", SIBLING_NAME),
        ("2026-11-03", "甲市政府信息公开"),
    ]
    # the sibling's 发布机构 is a filter value like the site's own
    assert page.locator(f"select[data-filter='发布机构'] option[value='{SIBLING_BODY}']").count() == 1


def test_a_sibling_that_is_down_does_not_break_own_results(page: Any, group) -> None:
    found = search(page, group["own"], OWN_TITLE)
    assert [(r["title"], r["href"], r["site"]) for r in found] == [
        (OWN_TITLE, "/d1/2026-00001.html", "甲市政府信息公开")
    ]
    status = page.inner_text("#search-status")
    assert "找到 1 条" in status
    assert f"“{DOWN_NAME}”" in status and f"“{MISSING_NAME}”" in status and "暂时无法检索" in status
    assert SIBLING_NAME not in status


def test_a_sibling_that_goes_down_after_loading_is_left_out(page: Any, group) -> None:
    """Last of the module: it stops the second site's server."""
    assert search(page, group["own"], "甲市")  # both sites loaded, this search found none of the sibling's
    server = group["sibling_server"]
    server.shutdown()
    server.server_close()  # connections are now refused
    page.fill("#search-page-q", "乙县 教师招聘")
    page.click(".search-form button[type=submit]")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '乙县 教师招聘'")
    page.wait_for_selector(".search-page[data-ready]")
    assert page.locator(RESULTS).count() == 0
    status = page.inner_text("#search-status")
    assert "没有找到" in status and f"“{SIBLING_NAME}”" in status and "暂时无法检索" in status
    found = search(page, group["own"], OWN_TITLE)  # a new page: the sibling cannot even be loaded
    assert [r["title"] for r in found] == [OWN_TITLE]
