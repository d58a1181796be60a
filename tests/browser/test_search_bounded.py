"""A query opens first the shards that can hold its first results, and more only while a shard not
opened could hold a record ranking before those found: the results, page after page, are the
ones a search opening every shard it needs shows, in the same order, from fewer shards. A shard
whose titles may hold the query by the term directory has a few of its titles read first, and is
not opened before its turn if none does."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from browser.conftest import serve
from browser.test_search import SEARCH, shown, wait
from conftest import DEPARTMENT_YAML, SITE_YAML, copy_demo
from test_search_shards import dated

from generator import cli, urls
from generator.index import SHARD_PAGES
from generator.search import order

PAGE = 5
# Each query's pages 1 to 3 of `size` results, the shards it opened for the first, whether it was
# open-ended then, and its count, with openIndex's `options` (shardsAtOnce: the shards opened at a
# time; refineGroups: 0, no titles read before a shard is opened).
SCRIPT = """async ([core, manifest, cases, options, size]) => {
  const m = await import(core);
  const out = [];
  for (const [query, filters, sort] of cases) {
    const index = await m.openIndex(new URL(manifest), [], "", options);
    const search = await m.find(index, query, { filters, sort });
    const first = (await search.page(1, size)).map((item) => item.data.url);
    const opened = index.sites[0].opened.size;
    const openEnded = search.openEnded;
    const pages = [first];
    for (let n = 2; n <= 3; n++) pages.push((await search.page(n, size)).map((item) => item.data.url));
    out.push({ pages, opened, openEnded, found: search.results.length });
    await index.sites[0].pagefind?.destroy();
  }
  return out;
}"""


@pytest.fixture(scope="module")
def small_shards(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The demo built with at most two pages a shard: some twenty shards."""
    yield from built_and_served(copy_demo(tmp_path_factory.mktemp("search-bounded")), 2)


def built_and_served(site: Path, pages: int) -> Iterator[tuple[Path, str]]:
    """`site` built with at most `pages` pages a shard, its output served: (output, base URL)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SHARD_PAGES, str(pages))
        assert cli.main(["build", "--site", str(site)]) == 0
    server, base = serve(site / "build")
    yield site / "build", base
    server.shutdown()


def cases(build: Path) -> list[tuple[str, dict[str, str], str]]:
    """Common and rare words, two words, a title and a 文号 as typed, a filter alone, and sorts."""
    manifest = json.loads((build / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    fragments = [f for name in manifest["bundles"] for _, f in order.fragments(build / "pagefind" / name)]
    title = fragments[len(fragments) // 2]["meta"]["title"]
    number = next(f["meta"]["文号"] for f in fragments if f["meta"].get("文号"))
    year = max(manifest["filters"]["年份"])
    return [
        ("政府", {}, ""),
        ("信息公开", {}, ""),
        ("公开 指南", {}, ""),
        ("阿尔山", {}, ""),
        (title, {}, ""),
        (number, {}, ""),
        ("", {"年份": year}, ""),
        ("政府", {}, "asc"),
        ("信息", {}, "desc"),
    ]


def run(
    page: Any, base: str, found: list[Any], at: float, enough: int = 200, refine: int = 4, size: int = PAGE
) -> list[dict[str, Any]]:
    core, manifest = f"{base}{urls.static('search-core.js')}", f"{base}pagefind/shards.json"
    options = {"shardsAtOnce": at, "enough": enough, "refineGroups": refine}
    result: list[dict[str, Any]] = page.evaluate(SCRIPT, [core, manifest, found, options, size])
    return result


@pytest.mark.parametrize("enough", [200, 0])  # 0: every query's tiers from Pagefind's title search
def test_results_are_those_of_every_shard_opened_at_once_from_fewer_shards(
    page: Any, small_shards: tuple[Path, str], enough: int
) -> None:
    build, base = small_shards
    everything = len(json.loads((build / "pagefind" / "shards.json").read_text(encoding="utf-8"))["bundles"])
    assert everything > 15
    page.goto(f"{base}{SEARCH}")
    wait(page)
    asked = cases(build)
    bounded = run(page, base, asked, 1, enough)
    at_once = run(page, base, asked, 1e9, enough)  # every shard the query needs, at once
    unrefined = run(page, base, asked, 1, enough, refine=0)  # no titles read before opening
    for query, few, every, blind in zip(asked, bounded, at_once, unrefined):
        assert few["pages"] == every["pages"] == blind["pages"], query  # the same results, in the same order
        assert not every["openEnded"] and few["opened"] <= every["opened"], query
        if few["openEnded"]:  # the count says "at least": as many as the first page shows
            assert few["found"] >= PAGE, query
    assert bounded[0]["pages"][2] and bounded[0]["openEnded"]  # a common word: three full pages, more left
    assert bounded[0]["opened"] < at_once[0]["opened"]


def test_an_open_ended_count_says_at_least_and_the_next_page_follows(page: Any, small_shards: tuple[Path, str]) -> None:
    build, base = small_shards
    page.goto(f"{base}{SEARCH}?q=%E6%94%BF%E5%BA%9C")  # 政府
    wait(page)
    status = page.inner_text("#search-status")
    first = shown(page)
    assert "至少" in status and len(first) == 10, status
    assert page.is_enabled("#search-next")
    page.click("#search-next")
    page.wait_for_selector('.search-page[data-ready][data-page="2"]')
    second = shown(page)
    assert second and not set(second) & set(first)
    assert os.environ.get(SHARD_PAGES) is None  # the fixture's bound did not leak into other tests


def test_a_page_past_the_last_shows_the_last(page: Any, small_shards: tuple[Path, str]) -> None:
    """A "next" of an open-ended count may run past the results: the last page shows instead."""
    _, base = small_shards
    page.goto(f"{base}{SEARCH}?q=%E6%94%BF%E5%BA%9C&page=99")  # 政府
    wait(page)
    last = page.get_attribute(".search-page", "data-page")
    assert last and 1 < int(last) < 99 and shown(page)
    assert f"page={last}" in page.url and "后面可能还有" not in page.inner_text("#search-status")


@pytest.fixture(scope="module")
def titled_apart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """One record a shard: the newest has every bigram of 甲乙丙丁 in its title but not the word (it
    is in its body), the oldest has the word in its title, one between has it in its body only."""
    site = tmp_path_factory.mktemp("titled-apart") / "site"
    files = {
        "site.yaml": SITE_YAML,
        "content/d1/department.yaml": DEPARTMENT_YAML,
        "content/d1/a1.md": titled(dated(2025, 1, "2025-03-01"), "关于甲乙丙丁调查的通知"),
        "content/d1/b1.md": titled(dated(2026, 1, "2026-09-01", "甲乙丙丁的调查。"), "关于甲乙、乙丙和丙丁三地的通知"),
        "content/d1/b2.md": dated(2026, 2, "2026-06-01", "甲乙丙丁。"),
    }
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    yield from built_and_served(site, 1)


def titled(text: str, title: str) -> str:
    return re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)


def test_a_shard_whose_titles_do_not_hold_the_query_is_not_opened_first(
    page: Any, titled_apart: tuple[Path, str]
) -> None:
    build, base = titled_apart
    bundles = json.loads((build / "pagefind" / "shards.json").read_text(encoding="utf-8"))["bundles"]
    assert len(bundles) == 3
    page.goto(f"{base}{SEARCH}")
    wait(page)
    asked = [("甲乙丙丁", {}, "")]
    refined = run(page, base, asked, 1, size=1)[0]
    unrefined = run(page, base, asked, 1, size=1, refine=0)[0]
    expected = [["/d1/2025-00001.html"], ["/d1/2026-00001.html"], ["/d1/2026-00002.html"]]
    assert refined["pages"] == unrefined["pages"] == expected  # the title match first, then newest
    # the newest shard's titles were read, not the shard opened: the first page needed one shard
    assert refined["opened"] == 1 and unrefined["opened"] == 2
