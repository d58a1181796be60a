"""Search shards of bounded size: a department of more pages (or more text) than the bound cut, in
索引号 order, into chunks of at most the bound, so that editing one record re-indexes one small
shard and the others come from the cache. The bound here is 3 (DISCLOSURE_SHARD_PAGES), the default
5,000."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, REPO, record_text, run_cli, tree_hash

from generator import index, load, publicity
from generator.config import load_config
from generator.index import SHARD_PAGES
from generator.search import bundle, order, shards
from generator.search import docs as search_docs
from generator.search.cache import KEY, ShardCache


def dated(year: int, serial: int, published: str, body: str = "正文。", **meta: object) -> str:
    """A public record of d1 with 索引号 <year>-<serial>, published (and written, approved) on
    `published`; `meta` adds or overrides keys."""
    review = f"{{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: {published}}}"
    return record_text(
        body,
        index_no=f"{DEPT_USCC}/{year}-{serial:05d}",
        written=published,
        published=published,
        review=review,
        title=f"关于第{year}{serial}号事项的通知",
        **meta,
    )


# Eight records over two years: three of 2025; five published in 2026, one of them numbered in 2025.
RECORDS = {
    "content/d1/a1.md": dated(2025, 1, "2025-03-01"),
    "content/d1/a2.md": dated(2025, 2, "2025-06-01"),
    "content/d1/a3.md": dated(2025, 3, "2025-09-01"),
    "content/d1/a4.md": dated(2025, 4, "2026-05-05"),  # numbered late in 2025, published in 2026
    "content/d1/b1.md": dated(2026, 1, "2026-06-01"),
    "content/d1/b2.md": dated(2026, 2, "2026-07-01"),
    "content/d1/b3.md": dated(2026, 3, "2026-08-01"),
    "content/d1/b4.md": dated(2026, 4, "2026-09-01"),
}
# In 索引号 order, chunks of at most three, each named by the 索引号 year of its first page. Each but
# the last is at least half full (two pages) and ends where its records say (shards._rank, lowest
# first: 2025-00002 below 2025-00003; 2025-00004 below 2026-00001; 2026-00003 below 2026-00004).
PLAN = {
    "d1-2025": ("d1/2025-00001.html", "d1/2025-00002.html"),
    "d1-2025-2": ("d1/2025-00003.html", "d1/2025-00004.html"),
    "d1-2026": ("d1/2026-00001.html", "d1/2026-00002.html", "d1/2026-00003.html"),
    "d1-2026-2": ("d1/2026-00004.html",),
}


def plan(site: Path, bound: int) -> dict[str, tuple[str, ...]]:
    config, errors = load_config(site)
    assert not errors
    loaded, _ = load.load_site(config)
    return {shard.name: shard.pages for shard in shards.plan(publicity.select(loaded), bound)}


def build(site: Path) -> dict[str, str]:
    """Build `site`; each shard's line on stderr, by shard name (after 页，)."""
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    return dict(re.findall(r"搜索索引 (\S+)：\d+ 页，(.*)", result.err))


def reindexed(lines: dict[str, str]) -> list[str]:
    return sorted(name for name, how in lines.items() if how != "未变，沿用缓存")


def test_plan_cuts_a_department_in_index_number_order(make_site) -> None:
    site = make_site(RECORDS)
    found = plan(site, 3)
    assert found == PLAN
    assert all(len(pages) <= 3 for pages in found.values())
    assert all(len(pages) >= 2 for pages in list(found.values())[:-1])
    assert [page for pages in found.values() for page in pages] == sorted(
        page for pages in PLAN.values() for page in pages
    )
    # Within the bound a department stays one shard, named by its slug: no tiny shards (their own
    # ranking statistics would skew the merged ranking, docs/search.md).
    whole = tuple(sorted(page for pages in PLAN.values() for page in pages))
    assert plan(site, 8) == plan(site, shards.BOUND) == {"d1": whole}
    with pytest.raises(ValueError):
        shards.plan(publicity.select(load.load_site(load_config(site)[0])[0]), 0)


def test_a_department_of_long_documents_is_split_by_its_text(make_site) -> None:
    # The indexer's memory grows with the text it indexes: long documents make smaller shards.
    long_body = "本办法所称政府信息，是指行政机关在履行行政管理职能过程中制作或者获取的信息。" * 40
    records = {path: text.replace("正文。", long_body) for path, text in RECORDS.items()}
    site = make_site(records)
    config, errors = load_config(site)
    loaded, _ = load.load_site(config)
    publication = publicity.select(loaded)
    per_record = max(record.body.length + len(record.title) for record in publication.records)
    found = {s.name: s.pages for s in shards.plan(publication, shards.BOUND, text_bound=2 * per_record + 200)}
    assert all(len(pages) <= 2 for pages in found.values())
    assert sorted(page for pages in found.values() for page in pages) == sorted(
        page for pages in PLAN.values() for page in pages
    )
    # the pages in 索引号 order, cut into consecutive chunks
    assert found == {
        "d1-2025": ("d1/2025-00001.html", "d1/2025-00002.html"),
        "d1-2025-2": ("d1/2025-00003.html", "d1/2025-00004.html"),
        "d1-2026": ("d1/2026-00001.html", "d1/2026-00002.html"),
        "d1-2026-2": ("d1/2026-00003.html", "d1/2026-00004.html"),
    }
    # within the text bound the department stays one shard
    assert list(shards.plan(publication, shards.BOUND, text_bound=100 * per_record)) == list(shards.plan(publication))
    assert [s.name for s in shards.plan(publication)] == ["d1"]


def test_only_a_department_over_the_bound_is_split(make_site) -> None:
    other = "11530400MB0000002R"
    site = make_site(
        {
            **RECORDS,
            "content/d2/department.yaml": DEPARTMENT_YAML.replace("测试局", "另一局").replace(DEPT_USCC, other),
            "content/d2/a.md": record_text("乙。", index_no=f"{other}/2026-00001", publisher="另一局"),
        }
    )
    assert plan(site, 3) == {**PLAN, "d2": ("d2/2026-00001.html",)}
    # an edit build's early index plans only the departments it wrote pages of (index.Early.begin):
    # their shards are the whole plan's
    publication = publicity.select(load.load_site(load_config(site)[0])[0])
    assert {s.name: s.pages for s in shards.plan(publication, 3, only={"d1"})} == PLAN
    assert {s.name: s.pages for s in shards.plan(publication, 3, only={"d2", "d9"})} == {"d2": ("d2/2026-00001.html",)}


def test_chunks_follow_serial_numbers_not_spelling(make_site) -> None:
    # 2026-100000 sorts before 2026-99999 as text; it was given out after it, so it goes last.
    site = make_site(
        {"content/d1/a.md": dated(2026, 99999, "2026-03-01"), "content/d1/b.md": dated(2026, 100000, "2026-03-02")}
    )
    assert plan(site, 1) == {"d1-2026": ("d1/2026-99999.html",), "d1-2026-2": ("d1/2026-100000.html",)}


def test_an_edit_reindexes_only_its_shard(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SHARD_PAGES, "3")
    site = make_site(RECORDS)
    first = build(site)
    assert reindexed(first) == sorted(PLAN)
    manifest = json.loads((site / "build" / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert manifest["bundles"] == [f"{name}/" for name in PLAN]
    assert sorted(path.name for path in (site / ".cache" / "search").iterdir()) == sorted(PLAN)

    (site / "content" / "d1" / "b3.md").write_text(dated(2026, 3, "2026-08-01", "改过的正文。"), encoding="utf-8")
    second = build(site)
    assert reindexed(second) == ["d1-2026"]
    assert set(second) == set(PLAN)  # every other shard: 未变，沿用缓存
    manifest = json.loads((site / "build" / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert manifest["bundles"] == [f"{name}/" for name in PLAN]
    for name in PLAN:
        assert (site / "build" / "pagefind" / name / "pagefind-entry.json").is_file()
    fragments = (site / "build" / "pagefind" / "d1-2026" / "fragment").iterdir()
    text = "".join(gzip.decompress(path.read_bytes()).decode("utf-8") for path in fragments)
    assert "改过" in text.replace("\u200b", "")  # the indexer marks Chinese word boundaries with ZWSP


def test_an_edit_indexes_its_shard_before_the_others_are_looked_up(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Indexed in this process (a site below index.APART records): the shard of a page written anew
    is looked up and its pages read first, alone; the other shards are looked up once its indexer
    has started (a city's 650 look-ups, run beside the reading, doubled it), and every shard is
    reported in the plan's order as before."""
    monkeypatch.setenv(SHARD_PAGES, "3")
    site = make_site(RECORDS)
    build(site)
    events: list[str] = []
    entry, run = ShardCache.entry, bundle._run
    monkeypatch.setattr(ShardCache, "entry", lambda self, shard: events.append(shard) or entry(self, shard))
    monkeypatch.setattr(bundle, "_run", lambda command: events.append("indexer") or run(command))
    (site / "content" / "d1" / "b3.md").write_text(dated(2026, 3, "2026-08-01", "改过的正文。"), encoding="utf-8")
    lines = build(site)
    assert reindexed(lines) == ["d1-2026"] and list(lines) == list(PLAN)
    started = events.index("indexer")
    assert set(events[:started]) == {"d1-2026"}  # its entry read for its key, then for its pages' texts
    assert {"d1-2025", "d1-2025-2"} <= set(events[started:])


def _indexed_here(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The indexer's runs in this process, from now on."""
    ran: list[list[str]] = []
    run = bundle._run
    monkeypatch.setattr(bundle, "_run", lambda command: ran.append(command) or run(command))
    return ran


def _pages_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rendered pages parsed for their document text in this process, from now on."""
    read: list[str] = []
    original = search_docs.text
    monkeypatch.setattr(search_docs, "text", lambda page: read.append(page) or original(page))
    return read


def _clean_build_of(site: Path, where: Path) -> str:
    """The tree hash of a full build of `site`'s sources in `where`, sharing its shard cache."""
    shutil.copytree(site / "content", where / "content")
    shutil.copy(site / "site.yaml", where / "site.yaml")
    shutil.copytree(site / ".cache" / "search", where / ".cache" / "search")
    assert run_cli("build", "--site", where).code == 0
    return tree_hash(where / "build")


def test_an_edit_reads_only_its_new_page_to_index_its_shard_again(
    make_site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A shard indexed again takes the text of each page whose bytes are the ones its cached bundle was
    made from out of that bundle's fragment, instead of parsing the page (at 200,000 records: 619 of
    a shard's 620 pages); a fragment that is not the manifest's is not taken, and its page is read.
    Either way the index is a clean build's. (The page written anew is read twice: for the shard's
    key, then to index it.)"""
    monkeypatch.setenv(SHARD_PAGES, "3")
    site = make_site(RECORDS)
    build(site)
    read = _pages_read(monkeypatch)
    (site / "content" / "d1" / "b3.md").write_text(dated(2026, 3, "2026-08-01", "改过的正文。"), encoding="utf-8")
    assert reindexed(build(site)) == ["d1-2026"]
    assert read and all("改过的正文。" in page for page in read)  # of d1-2026's three pages, the one written anew
    assert tree_hash(site / "build") == _clean_build_of(site, tmp_path / "clean")
    cached = ShardCache(site / ".cache" / "search")
    entry = cached.entry("d1-2026")
    assert entry is not None
    fragments = site / ".cache" / "search" / "d1-2026" / str(entry["bundle"]) / "fragment"
    for fragment in fragments.iterdir():  # another text in the same form: not what the manifest says
        data = gzip.decompress(fragment.read_bytes()).replace("正文".encode(), "内容".encode())
        fragment.write_bytes(gzip.compress(data, mtime=0))
    read.clear()
    (site / "content" / "d1" / "b3.md").write_text(dated(2026, 3, "2026-08-01", "再改的正文。"), encoding="utf-8")
    assert reindexed(build(site)) == ["d1-2026"]
    assert len(set(read)) == 3  # every page read: no fragment is the one the bundle was made with
    assert tree_hash(site / "build") == _clean_build_of(site, tmp_path / "clean2")


@pytest.mark.parametrize("early_fails", [False, True])
def test_a_citys_edit_indexes_its_shard_in_another_process_while_the_pages_render(
    make_site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, early_fails: bool
) -> None:
    """At a city's size (here: index.APART set to 0) an edit's shard is sent, once the record pages
    are written, to a fresh process that indexes it into the shard cache while the listings and the
    rest are rendered; the build takes the bundle from there, reports the shard as indexed now and
    publishes what a clean build would. Should that process fail, the build indexes it itself."""
    monkeypatch.setenv(SHARD_PAGES, "3")
    monkeypatch.setattr(index, "APART", 0)
    if early_fails:
        monkeypatch.setattr(index, "EARLY", "sys.exit(1)\n")
    site = make_site(RECORDS)
    build(site)
    ran = _indexed_here(monkeypatch)
    (site / "content" / "d1" / "b3.md").write_text(dated(2026, 3, "2026-08-01", "改过的正文。"), encoding="utf-8")
    lines = build(site)
    assert reindexed(lines) == ["d1-2026"] and list(lines) == list(PLAN)
    assert "秒" in lines["d1-2026"]  # indexed now, with its time
    assert len(ran) == (1 if early_fails else 0)
    assert not list((site / ".cache" / "search").glob("*/.new-*"))  # nothing sent nor begun is left
    fragments = (site / "build" / "pagefind" / "d1-2026" / "fragment").iterdir()
    text = "".join(gzip.decompress(path.read_bytes()).decode("utf-8") for path in fragments)
    assert "改过" in text.replace("\u200b", "")
    assert tree_hash(site / "build") == _clean_build_of(site, tmp_path / "clean")


@pytest.mark.parametrize("apart", [False, True])
def test_an_edit_whose_shard_cannot_be_indexed_stops_the_build(
    make_site, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    """The others' look-ups wait for the changed shard's indexer to start (or, at a city's size,
    for the process that indexes it): when it cannot, the build stops with the indexer's message
    (exit 2) instead of waiting, and the output is as it was."""
    monkeypatch.setenv(SHARD_PAGES, "3")
    if apart:
        monkeypatch.setattr(index, "APART", 0)
        monkeypatch.setattr(index, "EARLY", "sys.exit(1)\n")  # as Pagefind missing there too
    site = make_site(RECORDS)
    build(site)
    served = tree_hash(site / "build")
    monkeypatch.setattr(bundle, "get_executable", lambda: None)
    (site / "content" / "d1" / "b3.md").write_text(dated(2026, 3, "2026-08-01", "改过的正文。"), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "找不到 Pagefind 程序" in result.err
    assert tree_hash(site / "build") == served


def _fresh_build_of(site: Path, where: Path) -> str:
    """The tree hash of a full build of `site`'s sources (content, site.yaml, layouts) in `where`,
    with no cache: every shard indexed anew."""
    for name in ("content", "layouts"):
        if (site / name).is_dir():
            shutil.copytree(site / name, where / name)
    shutil.copy(site / "site.yaml", where / "site.yaml")
    assert run_cli("build", "--site", where).code == 0
    return tree_hash(where / "build")


def test_a_changed_template_reindexes_only_the_shards_whose_text_changed(
    make_site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A shard's index is made of its pages' public metadata and document text (the text of their
    `data-pagefind-body` element), not of their bytes. A template changed outside that text (here a
    class on the element) rewrites every page, and each is read once to find its text the same: no
    shard is indexed again, and the next edit reads only its own page. A template that changes the
    text (a line inside the element) re-indexes every shard. The output is a fresh build's each time.
    The first build parses each page once: a shard the cache holds nothing of is keyed by the texts
    read to index it."""
    monkeypatch.setenv(SHARD_PAGES, "3")
    site = make_site(RECORDS)
    read = _pages_read(monkeypatch)
    assert reindexed(build(site)) == sorted(PLAN)
    assert len(read) == len(RECORDS) == len(set(read))
    read.clear()
    template = (REPO / "layouts" / "record.html").read_text(encoding="utf-8")
    styled = template.replace('<article class="record"', '<article class="record wide"', 1)
    assert styled != template
    (site / "layouts").mkdir()
    (site / "layouts" / "record.html").write_text(styled, encoding="utf-8")
    assert reindexed(build(site)) == []
    assert len(read) == len(RECORDS) and all('class="record wide"' in page for page in read)
    assert tree_hash(site / "build") == _fresh_build_of(site, tmp_path / "styled")

    read.clear()
    (site / "content" / "d1" / "b3.md").write_text(dated(2026, 3, "2026-08-01", "改过的正文。"), encoding="utf-8")
    assert reindexed(build(site)) == ["d1-2026"]
    assert read and all("改过的正文。" in page for page in read)  # the others' texts known by their bytes

    said = styled.replace("</article>", "<p>本页内容以正式文件为准。</p>\n</article>", 1)
    assert said != styled
    (site / "layouts" / "record.html").write_text(said, encoding="utf-8")
    assert reindexed(build(site)) == sorted(PLAN)
    fragments = (site / "build" / "pagefind" / "d1-2025" / "fragment").iterdir()
    text = "".join(gzip.decompress(path.read_bytes()).decode("utf-8") for path in fragments)
    assert "本页内容以正式文件为准" in text
    assert tree_hash(site / "build") == _fresh_build_of(site, tmp_path / "said")


def test_a_shard_that_cannot_be_indexed_stops_the_others_not_begun(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build of eight shards, two at a time (--jobs 2), whose indexer is missing: the first
    shard to fail stops the build (exit 2, the indexer's message) without the shards not yet begun
    being looked up or indexed, each to fail in turn — or, after Ctrl+C, each to read its pages."""
    monkeypatch.setenv(SHARD_PAGES, "1")
    site = make_site(RECORDS)
    tried: list[int] = []

    def missing() -> None:
        tried.append(1)
        time.sleep(0.5)  # long enough for the build to hear of a failure before a thread is free
        return None

    monkeypatch.setattr(bundle, "get_executable", missing)
    result = run_cli("build", "--site", site, "--jobs", "2")
    assert result.code == 2 and "找不到 Pagefind 程序" in result.err
    assert 1 <= len(tried) <= 4 < len(RECORDS)  # the two begun, and at most one more each


def _manifest(site: Path) -> str:
    return (site / "build" / "pagefind" / "shards.json").read_text(encoding="utf-8")


def _orders_agree(site: Path) -> None:
    """Each shard's order file is made from the pages of the bundle published (the cache entry's)."""
    for folder in (site / ".cache" / "search").iterdir():
        pages = json.loads((folder / KEY).read_text(encoding="utf-8"))["pages"]
        placed = site / "build" / "pagefind" / "order" / f"{folder.name}{order.SUFFIX}"
        assert placed.read_bytes() == order.by_date(pages), folder.name


def test_an_unchanged_shard_is_known_by_its_inputs(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A city has 650 shards: one whose pages and records are as they were keeps the key the shard
    cache found for them, and its filter counts (shards.json), without a Doc made for any page. A
    cache entry that does not have them yet (from an earlier release) is completed once."""
    monkeypatch.setenv(SHARD_PAGES, "3")
    site = make_site(RECORDS)
    build(site)
    made: list[str] = []
    original = shards.doc
    monkeypatch.setattr(shards, "doc", lambda record, page: made.append(page) or original(record, page))

    # a record of the last chunk moves to another category: that shard's Docs and counts change
    moved = dated(2026, 3, "2026-08-01", category="法定主动公开内容/人事信息")
    (site / "content" / "d1" / "b3.md").write_text(moved, encoding="utf-8")
    assert reindexed(build(site)) == ["d1-2026"]
    assert sorted(made) == sorted(PLAN["d1-2026"])  # its Docs alone, made once to key and index it
    categories = json.loads(_manifest(site))["filters"]["信息分类"]
    assert categories["法定主动公开内容/人事信息"] == [1, [2]] and categories["法定主动公开内容/通知公告"] == [
        7,
        [0, 1, 2, 3],
    ], categories
    clean = site.parent / "clean"  # the same sources, no cache: every shard's Docs counted afresh
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "build", ".build*"))
    build(clean)
    assert _manifest(site) == _manifest(clean)

    made.clear()
    assert reindexed(build(site)) == []
    assert made == []
    _orders_agree(site)

    for name in PLAN:  # entries as an earlier release wrote them
        key_file = site / ".cache" / "search" / name / KEY
        data = json.loads(key_file.read_text(encoding="utf-8"))
        key_file.write_text(json.dumps({k: v for k, v in data.items() if k not in ("inputs", "filters")}))
    assert reindexed(build(site)) == [] and len(made) == len(RECORDS)
    assert _manifest(site) == _manifest(clean)
    made.clear()
    assert reindexed(build(site)) == [] and made == []

    # the cache lost (a CI job that restores the output alone): every shard indexed again, into
    # new bundles, and each order file made from its new bundle, not placed as the last build's
    shutil.rmtree(site / ".cache" / "search")
    assert reindexed(build(site)) == sorted(PLAN)
    _orders_agree(site)


@pytest.mark.parametrize("apart", [False, True])
def test_an_addition_at_the_end_reindexes_the_last_chunk(
    make_site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, apart: bool
) -> None:
    """Also at a city's size (index.APART set to 0), where the process that indexes an edit's shards
    while the pages render gets a new chunk, which the cache holds nothing of: it keys it from the
    texts it reads, and the output is a fresh build's."""
    monkeypatch.setenv(SHARD_PAGES, "3")
    if apart:
        monkeypatch.setattr(index, "APART", 0)
    site = make_site(RECORDS)
    build(site)
    (site / "content" / "d1" / "b5.md").write_text(dated(2026, 5, "2026-10-01"), encoding="utf-8")
    assert reindexed(build(site)) == ["d1-2026-2"]
    (site / "content" / "d1" / "b6.md").write_text(dated(2026, 6, "2026-11-01"), encoding="utf-8")
    lines = build(site)
    assert reindexed(lines) == ["d1-2026-2"] and set(lines) == set(PLAN)  # now full: three pages
    (site / "content" / "d1" / "b7.md").write_text(dated(2026, 7, "2026-11-10"), encoding="utf-8")
    ran = _indexed_here(monkeypatch)
    lines = build(site)  # past the bound: the last chunk is cut in two, the others stay
    # apart: the new chunk (of the page written anew) in that process; d1-2026-2, its pages as they were, here
    assert len(ran) == (1 if apart else 2)
    assert reindexed(lines) == ["d1-2026-2", "d1-2026-3"] and set(lines) == {*PLAN, "d1-2026-3"}
    assert tree_hash(site / "build") == _fresh_build_of(site, tmp_path / "fresh")


def test_a_removal_before_the_end_reindexes_its_own_chunk(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut where their records say, not filled up to the bound, the chunks after a record removed
    before the end of the order keep their pages (filled up, every later chunk shifted by a page and
    was indexed again: here all three); a chunk emptied is gone from the output and the cache."""
    monkeypatch.setenv(SHARD_PAGES, "3")
    site = make_site(RECORDS)
    build(site)
    # the first chunk now ends after 2025-00004 (below 2025-00003) and takes the second's pages
    (site / "content" / "d1" / "a1.md").unlink()
    lines = build(site)
    assert reindexed(lines) == ["d1-2025"] and set(lines) == set(PLAN) - {"d1-2025-2"}
    assert sorted(path.name for path in (site / ".cache" / "search").iterdir()) == sorted(lines)
    assert not (site / "build" / "pagefind" / "d1-2025-2").exists()


def test_a_record_removed_or_added_anywhere_changes_one_chunk_as_a_rule(make_site) -> None:
    """400 records in chunks of at most 40 pages: removing any one of them, or adding one anywhere
    (a scheduled record published on its day, one numbered late), changes the pages of one chunk
    as a rule; filled up to the bound, it changed every chunk from its own to the last (about five
    here). Where a chunk's lowest record is at the edge of its range, a change moves its end, and
    the next chunks' ends with it for a while: rarer the more pages a chunk holds."""
    site = make_site({f"content/d1/r{n}.md": dated(2025, 2 * n + 1, "2025-06-01") for n in range(400)})
    publication = publicity.select(load.load_site(load_config(site)[0])[0])
    in_order = sorted(publication.records, key=lambda r: r.index_no)

    def chunks(records: list[publicity.PublicRecord]) -> set[tuple[str, ...]]:
        return {s.pages for s in shards.plan(dataclasses.replace(publication, records=records), 40)}

    before = chunks(in_order)
    assert len(before) >= 10
    changed = []
    for n, record in enumerate(in_order):
        changed.append(len(chunks(in_order[:n] + in_order[n + 1 :]) - before))
        added = dataclasses.replace(record, index_no=f"{DEPT_USCC}/2025-{2 * n:05d}")  # just before it
        changed.append(len(chunks([*in_order[:n], added, *in_order[n:]]) - before))
    assert sum(changed) / len(changed) <= 2 and changed.count(1) >= 0.75 * len(changed), sorted(changed)


def test_order_spans_every_shard(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SHARD_PAGES, "3")
    site = make_site(RECORDS)
    build(site)
    pagefind = site / "build" / "pagefind"
    urls = {
        path.name.removesuffix(".pf_fragment"): json.loads(gzip.decompress(path.read_bytes())[12:])["url"]
        for path in pagefind.glob("*/fragment/*.pf_fragment")
    }
    assert len(urls) == len(RECORDS)  # no page id shared by two shards
    # each shard's order file: its pages by date; by date, then shard, then place, every page
    # of the site in date order (how the search page sorts results of several shards)
    places = {}
    for place, name in enumerate(PLAN):
        found = json.loads(gzip.decompress((pagefind / "order" / f"{name}.pf_order").read_bytes()))
        assert found["dates"] == sorted(found["dates"])
        places.update({page: (date, place, i) for i, (page, date) in enumerate(zip(found["ids"], found["dates"]))})
    assert [urls[page] for page in sorted(places, key=places.__getitem__)] == [
        f"/{page}" for name in PLAN for page in PLAN[name]
    ]


def test_a_bad_bound_is_said_and_ignored(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SHARD_PAGES, "three")
    site = make_site(RECORDS)
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert f"{SHARD_PAGES}='three' 不是正整数" in result.err
    assert re.findall(r"搜索索引 (\S+)：", result.err) == ["d1"]


def test_a_page_id_shared_by_two_shards_is_found() -> None:
    found = {
        "a": [["2026-01-02", "d1/a.html", "zh_1234567"], ["2026-01-03", "d1/b.html", "zh_89abcde"]],
        "b": [["2025-05-01", "d2/c.html", "zh_1234567"], ["2025-06-01", "d2/d.html", "zh_fedcba9"]],
        "c": [],
    }
    assert order.shared(found[name] for name in "abc") == ["zh_1234567"]
    assert order.shared(found[name] for name in "ac") == []


KILLED_AS_IT_INDEXES = """import os, signal, sys
from pathlib import Path
from generator.search import bundle, docs
root, cache = Path(sys.argv[1]), Path(sys.argv[2])
item = docs.Doc("d1/a.html", True, "羚羊", "X/2026-00001", "", ("测试局",), "2026-01-01", "", "", "现行有效", "主动公开")
bundle.index_pages(root, (item,), cache / f".new-{os.getpid()}-beef", "d1", lambda texts, keys: os.kill(os.getpid(), signal.SIGKILL))
"""


def test_a_killed_indexers_pages_are_left_in_the_shard_cache_and_tidied_there(
    make_site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The pages Pagefind reads are written beside the bundle being made, in the shard cache: what a
    build killed while it indexes leaves there is removed when the shard is indexed again, where
    the system's temporary folder would keep a city shard's 20 MB for good."""
    site = make_site(RECORDS)
    build(site)
    shard = site / ".cache/search/d1"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    page = tmp_path / "pages/d1/a.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html lang='zh-CN'><body data-pagefind-body><p>羚羊</p></body></html>", encoding="utf-8")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AS_IT_INDEXES, str(tmp_path / "pages"), str(shard)],
        env={**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(REPO)},
    )
    assert killed.returncode == -signal.SIGKILL
    (left,) = [path for path in shard.iterdir() if path.name.endswith(bundle.PAGES)]
    assert (left / "site/d1/a.html").is_file() and list(temporary.iterdir()) == []

    (site / "content/d1/b4.md").write_text(dated(2026, 4, "2026-09-01", "改过的正文。"), encoding="utf-8")
    assert reindexed(build(site)) == ["d1"]
    assert not left.exists()
    assert not [path for path in shard.iterdir() if path.name.endswith(bundle.PAGES)]
