"""Search in real headless Chromium against the built demo site on 127.0.0.1: results hold what
was typed, filters apply as they change and live in the address, every page has the header's box,
and a 依申请公开 record is found by nothing at all: it is listed as metadata, never searched."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, quote, urlparse

import pytest
import yaml

from browser.conftest import serve
from conftest import copy_demo

from generator import cli, urls
from generator.search import directory, terms
from generator.search.terms import code, runs, words

REPO = Path(__file__).resolve().parents[2]
SEARCH = "search/index.html"
RESULTS = "#search-results li h2 a"


def wait(page: Any) -> None:
    page.wait_for_selector(".search-page[data-ready]")


def search(page: Any, base: str, query: str, extra: str = "") -> list[str]:
    """Run `query` on the search page and return the result links, in order (first page)."""
    page.goto(f"{base}{SEARCH}?q={quote(query)}{extra}")
    wait(page)
    return shown(page)


def shown(page: Any) -> list[str]:
    return [a.get_attribute("href") for a in page.query_selector_all(RESULTS)]


def normal(text: str) -> str:
    """What the search matches on: NFKC, lower case, punctuation and spaces as one space."""
    import unicodedata

    out = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in unicodedata.normalize("NFKC", text).lower())
    return " ".join(out.split())


def page_text(build: Path, href: str) -> str:
    """The text a result's page shows of its record (the article, without tags)."""
    page = (build / href.lstrip("/")).read_text(encoding="utf-8")
    article = re.search(r"<article\b.*?</article>", page, re.S)
    assert article, href
    return normal(html.unescape(re.sub(r"<[^>]+>", " ", article.group(0))))


def containing(build: Path, word: str) -> set[str]:
    """The record pages whose article contains `word` (a 依申请公开 record's metadata-only page, under
    <dept>/request/, is never searched)."""
    record = re.compile(r"\d{4}-\d{5,}\.html")  # named by the 索引号: <year>-<serial>
    pages = [p for p in build.glob("*/*.html") if record.fullmatch(p.name)]
    return {
        "/" + p.relative_to(build).as_posix()
        for p in pages
        if normal(word) in page_text(build, "/" + p.relative_to(build).as_posix())
    }


def test_a_query_finds_exactly_the_records_that_contain_it(page: Any, site_url: str, demo_build: Path) -> None:
    # the queries: before, 网站群 gave 19 results of which 4 held it, 玉政办发 every page
    for query in ("网站群", "三同步", "玉政办发", "考评"):
        expected = containing(demo_build, query)
        found = search(page, site_url, query)
        assert set(found) == expected, query  # all of them (fewer than ten), nothing else
        assert f"找到 {len(expected)} 条" in page.inner_text("#search-status")
    # a word of the body only (not in any title) finds its record
    assert containing(demo_build, "考评") >= {"/aershan/2021-00012.html"}
    # several words: every one of them
    both = search(page, site_url, "保密 举报")
    assert both and all("保密" in page_text(demo_build, h) and "举报" in page_text(demo_build, h) for h in both)


def test_a_doc_number_ranks_its_records_first_then_title_matches(page: Any, site_url: str) -> None:
    found = search(page, site_url, "玉政办发〔2019〕20号")
    assert set(found) == {"/yuxi/2019-00001.html", "/huaning/2020-00001.html"}
    found = search(page, site_url, "保密审查")
    titles = [a.inner_text() for a in page.query_selector_all(RESULTS)]
    in_title = [("保密审查" in title) for title in titles]
    assert in_title[0] and in_title == sorted(in_title, reverse=True)  # title matches, then body matches


def test_excerpts_are_document_text_with_the_query_marked(page: Any, site_url: str) -> None:
    search(page, site_url, "三同步")
    excerpts = page.locator("#search-results .excerpt")
    assert excerpts.count() == 2
    for i in range(2):
        assert "三同步" in excerpts.nth(i).locator("mark").all_inner_texts()
        assert "信息公开元数据" not in excerpts.nth(i).inner_text()


def holding(build: Path, key: str) -> set[int]:
    """The places (in shards.json) of the shards the built term directory says hold `key`."""
    manifest = json.loads((build / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    file = build / "pagefind" / directory.FOLDER / directory.name(directory.file_of(key, manifest["terms"]))
    return set(json.loads(gzip.decompress(file.read_bytes())).get(key, []))


def shards_holding(build: Path, word: str) -> set[str]:
    """The shards the term directory says hold every key of `word` (one word, no spaces), read
    from the built files: its CJK bigrams (a lone character: itself) and ASCII runs' first
    terms.PREFIX characters, as the search page cuts it."""
    manifest = json.loads((build / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    places = set(range(len(manifest["bundles"])))
    for kind, run in runs(word):
        pieces = (
            [run[: terms.PREFIX]]
            if kind == "ascii"
            else [run]
            if len(run) == 1
            else [run[i : i + 2] for i in range(len(run) - 1)]
        )
        for piece in pieces:
            places &= holding(build, piece if kind == "ascii" else code(piece))
    return {manifest["bundles"][place].rstrip("/") for place in places}


def test_a_query_opens_only_the_shards_that_can_hold_it(page: Any, site_url: str, demo_build: Path) -> None:
    everything = {path.name for path in (demo_build / "pagefind").iterdir() if (path / "pagefind-entry.json").exists()}
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlparse(request.url).path))
    for query in ("阿尔山", "楚雄", "网站群"):
        requested.clear()
        found = search(page, site_url, query)  # a page load of its own: nothing opened before
        # a shard's own files (its entry, metadata, word and filter index, fragments), not the
        # script every shard has a copy of
        shard_file = r"/pagefind/([^/]+)/(pagefind-entry\.json|.*\.pf_(meta|index|filter|fragment))"
        opened = {m.group(1) for path in requested if (m := re.fullmatch(shard_file, path))}
        expected = shards_holding(demo_build, query)
        assert found and {href.split("/")[1] for href in found} <= opened == expected < everything, query


def test_a_later_query_of_the_same_page_searches_only_its_own_shards(
    page: Any, site_url: str, demo_build: Path
) -> None:
    first, then = "阿尔山", "楚雄"
    before, after = shards_holding(demo_build, first), shards_holding(demo_build, then)
    assert before - after and after  # the first query opens a shard the second does not need
    script = """async ([core, manifest, queries]) => {
      const m = await import(core);
      const index = await m.openIndex(new URL(manifest));
      const site = index.sites[0];
      const held = [];
      let found = [];
      for (const query of queries) {
        const search = await m.find(index, query, {});
        found = (await search.page(1, 10)).map((item) => item.data.url);
        held.push([...site.opened].map((place) => site.manifest.bundles[place].replace(/\\/$/, "")).sort());
      }
      return { held, found };
    }"""
    page.goto(f"{site_url}{SEARCH}")
    wait(page)
    core, manifest = f"{site_url}{urls.static('search-core.js')}", f"{site_url}pagefind/shards.json"
    result = page.evaluate(script, [core, manifest, [first, then]])
    assert result["held"] == [sorted(before), sorted(after)]  # the first query's shards are let go
    assert result["found"] == page.evaluate(script, [core, manifest, [then]])["found"]
    # on the page: the second query typed after the first shows what a fresh load of it shows
    expected = search(page, site_url, then)
    search(page, site_url, first)
    page.evaluate("() => document.querySelector('.search-page').removeAttribute('data-ready')")
    page.fill("#search-page-q", then)
    page.press("#search-page-q", "Enter")
    wait(page)
    assert expected and shown(page) == expected


def events(page: Any, seen: list[str], count: int) -> None:
    """Let the browser report up to `count` events into `seen` (a worker's end comes a moment late)."""
    for _ in range(100):
        if len(seen) >= count:
            return
        page.wait_for_timeout(50)


def test_an_instance_that_has_loaded_its_limit_is_made_anew_and_its_memory_let_go(page: Any, site_url: str) -> None:
    """Pagefind keeps every index chunk it loaded in its worker's memory: at 200,000 records a few
    common words fill it. Past its limit (here: one search) the instance, and so the worker it
    ran in, is replaced; the same query then finds the same records."""
    script = """async ([core, manifest, limit]) => {
      const m = await import(core);
      const index = await m.openIndex(new URL(manifest), [], "", limit ? { loadLimit: limit } : {});
      const runs = [];
      for (let i = 0; i < 2; i++) {
        const search = await m.find(index, "阿尔山", {});
        runs.push({ instance: index.sites[0].pagefind, found: (await search.page(1, 10)).map((r) => r.data.url) });
      }
      await index.sites[0].pagefind.destroy();
      return { same: runs[0].instance === runs[1].instance, found: runs.map((r) => r.found) };
    }"""
    page.goto(f"{site_url}{SEARCH}")
    wait(page)
    # the order as the page's own code runs it: the browser reports a worker's end a moment late,
    # sometimes after the next worker's start
    page.evaluate(
        """() => {
          window.workerLog = [];
          window.Worker = class extends window.Worker {
            constructor(...args) { super(...args); window.workerLog.push("made"); }
            terminate() { window.workerLog.push("ended"); return super.terminate(); }
          };
        }"""
    )
    core, manifest = f"{site_url}{urls.static('search-core.js')}", f"{site_url}pagefind/shards.json"
    workers: list[str] = []  # as the browser reports them: each worker made did end
    page.on("worker", lambda worker: (workers.append("made"), worker.on("close", lambda _: workers.append("ended"))))
    kept = page.evaluate(script, [core, manifest, 0])
    events(page, workers, 2)
    assert kept["same"] and workers == ["made", "ended"] == page.evaluate("window.workerLog.splice(0)")
    workers.clear()
    renewed = page.evaluate(script, [core, manifest, 1])
    events(page, workers, 4)
    assert not renewed["same"]
    assert sorted(workers) == ["ended", "ended", "made", "made"]
    # the first worker ends before the second starts
    assert page.evaluate("window.workerLog") == ["made", "ended", "made", "ended"]
    assert renewed["found"][0] == renewed["found"][1] == kept["found"][0] != []


def test_a_long_query_searches_its_rarest_words_first_and_finds_the_same(
    page: Any, site_url: str, demo_build: Path
) -> None:
    """Pagefind loads, in every shard opened, a chunk of its word index per index word searched.
    A long query is searched by the three index words the fewest shards hold, more only while
    too many records hold those, and finds what a search of all its index words finds. The title
    words are searched only when too many candidates are left to read each one's title."""
    query = "政府信息公开虚假或不完整信息澄清制度"
    bigrams = list(dict.fromkeys(code(query[i : i + 2]) for i in range(len(query) - 1)))
    rarest = sorted(bigrams, key=lambda term: len(holding(demo_build, term)))[:3]  # stable, as in JS
    assert len(holding(demo_build, rarest[-1])) < len(holding(demo_build, bigrams[0]))  # some are rarer
    script = """async ([core, manifest, query, enough]) => {
      const m = await import(core);
      const index = await m.openIndex(new URL(manifest), [], "", { enough });
      await m.find(index, query, {}); // the instance now holds the query's shards, and keeps them
      const pagefind = index.sites[0].pagefind;
      const searched = [];
      const search = pagefind.search;
      pagefind.search = (term, options) => (term && searched.push(term.split(" ")), search(term, options));
      const found = await m.find(index, query, {});
      const results = (await found.page(1, 50)).map((item) => item.data.url);
      return { searched, results, same: index.sites[0].pagefind === pagefind };
    }"""
    page.goto(f"{site_url}{SEARCH}")
    wait(page)
    core, manifest = f"{site_url}{urls.static('search-core.js')}", f"{site_url}pagefind/shards.json"
    few = page.evaluate(script, [core, manifest, query, 200])
    every = page.evaluate(script, [core, manifest, query, 0])  # no round leaves few enough: all rounds
    assert few["same"] and every["same"]
    body = [terms for terms in few["searched"] if not terms[0].startswith("t")]
    title = [terms for terms in few["searched"] if terms[0].startswith("t")]
    assert body == [rarest] and title == []  # one round, of the rarest; the titles read from the candidates
    rounds = [terms for terms in every["searched"] if not terms[0].startswith("t")]
    assert [len(terms) for terms in rounds] == [3, 6, 12, len(bigrams)] and set(rounds[-1]) == set(bigrams)
    titled = [terms for terms in every["searched"] if terms[0].startswith("t")]
    assert titled == [["t" + term for term in rounds[-1]]]  # too many left: the title tier from Pagefind, once
    assert few["results"] == every["results"]
    assert {urlparse(url).path for url in few["results"]} == containing(demo_build, query) != set()


def test_pages_of_results(page: Any, site_url: str) -> None:
    first = search(page, site_url, "政府")
    status = page.inner_text("#search-status")
    total = int(re.search(r"找到 (\d+) 条", status).group(1))
    assert total > 10 and len(first) == 10
    page.click("#search-next")
    page.wait_for_function("document.querySelector('.search-page').dataset.page === '2'")
    wait(page)
    second = shown(page)
    assert second and not set(second) & set(first)
    assert parse_qs(urlparse(page.url).query)["page"] == ["2"]


def test_a_filter_applies_as_it_changes_and_lives_in_the_address(page: Any, site_url: str) -> None:
    name = yaml.safe_load((REPO / "content" / "yuxi" / "department.yaml").read_text(encoding="utf-8"))["name"]
    unfiltered = search(page, site_url, "政府信息公开")
    assert any(not href.startswith("/yuxi/") for href in unfiltered)
    page.select_option("select[data-filter='发布机构']", name)  # no press of 搜索
    page.wait_for_function("new URLSearchParams(location.search).has('发布机构')")
    wait(page)
    filtered = shown(page)
    assert filtered and all(href.startswith("/yuxi/") for href in filtered)
    assert parse_qs(urlparse(page.url).query)["发布机构"] == [name]
    page.select_option("#search-sort", "asc")  # the sort too
    page.wait_for_function("new URLSearchParams(location.search).get('sort') === 'asc'")
    wait(page)
    dates = page.locator("#search-results .result-meta dt:text-is('发布日期') + dd").all_inner_texts()
    assert dates == sorted(dates)
    linked, sorted_results = page.url, shown(page)

    page.go_back()  # the filter without the sort
    page.wait_for_function("!new URLSearchParams(location.search).has('sort')")
    wait(page)
    assert shown(page) == filtered and page.input_value("#search-sort") == ""
    page.go_back()  # no filter
    page.wait_for_function("!new URLSearchParams(location.search).has('发布机构')")
    wait(page)
    assert shown(page) == unfiltered and page.input_value("select[data-filter='发布机构']") == ""

    page.goto(linked)  # a link gives the same results, filters and sort restored
    wait(page)
    assert shown(page) == sorted_results
    assert page.input_value("select[data-filter='发布机构']") == name and page.input_value("#search-sort") == "asc"


def test_a_filter_without_a_query_lists_its_records_from_one_index_chunk_a_shard(
    page: Any, site_url: str, demo_build: Path
) -> None:
    """For a search of filters alone Pagefind loads every chunk of every opened shard's word index
    (at 20,000 records, 22 MB for one 年份). The page lists a filter's records by the word every
    page has instead: one chunk a shard, and every record of the filter."""
    name = yaml.safe_load((REPO / "content" / "yuxi" / "department.yaml").read_text(encoding="utf-8"))["name"]
    manifest = json.loads((demo_build / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    count, holders = manifest["filters"]["发布机构"][name]
    assert len(list((demo_build / "pagefind" / "yuxi" / "index").iterdir())) > 1  # more chunks than one
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlparse(request.url).path))
    found = search(page, site_url, "", f"&{quote('发布机构')}={quote(name)}")
    assert found and f"找到 {count} 条符合条件的政府信息" in page.inner_text("#search-status")
    chunks = {path for path in requested if path.endswith(".pf_index")}
    assert sorted(path.split("/")[2] for path in chunks) == sorted(manifest["bundles"][p].strip("/") for p in holders)


def test_every_page_has_the_header_search_box(page: Any, site_url: str, demo_build: Path) -> None:
    pages = {p.relative_to(demo_build).as_posix() for p in demo_build.rglob("*.html")}
    kinds = {urls.HOME, urls.CATALOGUE, urls.APPLY, urls.SEARCH, urls.REPORTS, urls.REGULATIONS}
    assert kinds <= pages and any("/request/" in p for p in pages) and any(p.endswith("guide.html") for p in pages)
    for path in sorted(pages):  # every page of every kind
        text = (demo_build / path).read_text(encoding="utf-8")
        assert 'class="header-search" role="search"' in text, path
        assert '<label for="header-search-q"' in text and 'name="q"' in text, path
    # at 390 px: no sideways scroll, controls at least 44 px high; by keyboard to the results
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "aershan/2021-00012.html")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    for control in ("#header-search-q", ".header-search button"):
        box = page.locator(control).bounding_box()
        assert box and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390, control
    assert page.get_by_role("search", name="全站搜索").get_by_role("searchbox", name="搜索本站政府信息").count() == 1
    page.focus("#header-search-q")
    page.keyboard.type("考评")
    page.keyboard.press("Enter")
    wait(page)
    assert "/aershan/2021-00012.html" in shown(page)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    for control in ("#search-page-q", "select[data-filter='年份']", "#search-sort"):
        assert page.locator(control).bounding_box()["height"] >= 44, control


def test_search_works_from_a_sub_path(page: Any, demo_build: Path) -> None:
    server, base = serve(demo_build.parent)  # the site is served under /build/
    try:
        links = search(page, f"{base}build/", "保密审查")
    finally:
        server.shutdown()
    assert links and all(href.startswith("/build/") for href in links)


def test_queries_are_coded_as_the_index_codes_them(page: Any, site_url: str) -> None:
    texts = ["国办发〔2018〕68号", "ＣＯＶＩＤ－１９疫情防控", "5G网络", "𠀀𠀁字 x", "沪科〔2023〕292号"]
    page.goto(f"{site_url}{SEARCH}")
    script = """async ([core, texts]) => {
      const m = await import(core);
      return texts.map((t) => m.queryWords(t).flatMap(m.wordTerms));
    }"""
    cuts = page.evaluate(script, [f"{site_url}{urls.static('search-core.js')}", texts])
    for text, cut in zip(texts, cuts):
        assert cut and set(cut) <= set(words(text)), text
    script = """async ([core, texts]) => {
      const m = await import(core);
      return texts.map((t) => m.queryWords(t).flatMap(m.directoryKeys));
    }"""
    keys = page.evaluate(script, [f"{site_url}{urls.static('search-core.js')}", [*texts, "GB/T9704-2012标准"]])
    for text, cut in zip([*texts, "GB/T9704-2012标准"], keys):
        assert cut and set(cut) <= terms.keys(text), text  # a record holding the text: its shard holds the keys
    assert page.evaluate(f"import('{site_url}{urls.static('search-core.js')}').then((m) => m.code('网站'))") == code(
        "网站"
    )
    # a title, 文号 or 索引号 compared whole (the directory's "w:" keys): normalised alike
    wholes = [*texts, "  关于\u200b印发《方案》的通知 ", "Ⅻ号ﬁle—ＡＢ", "ǅ\u0301x", "a\u00a0\u3000b"]
    script = """async ([core, texts]) => {
      const m = await import(core);
      return texts.map((t) => m.normalize(t).text.trim());
    }"""
    assert page.evaluate(script, [f"{site_url}{urls.static('search-core.js')}", wholes]) == list(
        map(terms.normal, wholes)
    )


# A site with planted records, built once for the tests below.
CANARY_BODY = "canarybodyzq 金丝猴保护区机密内容"  # the body of a 依申请公开 record: never public
REQUEST_TITLE = "关于穿山甲栖息地调查情况的请示"

# Real records of the corpus (gov.cn and shanghai.gov.cn): title and 文号.
REAL = (
    ("国务院办公厅关于调整国务院西部地区开发领导小组组成人员的通知", "国办发〔2018〕68号"),
    ("国务院办公厅关于印发国家防汛抗旱应急预案的通知", "国办函〔2022〕48号"),
    ("国务院办公厅关于推进城镇人口密集区危险化学品生产企业搬迁改造的指导意见", "国办发〔2017〕77号"),
    ("市科委关于印发《上海区块链关键技术攻关专项行动方案（2023-2025年）》的通知", "沪科〔2023〕292号"),
    ("金山区人民政府办公室关于印发《金山区社区卫生服务能力提升行动方案》的通知", "金府办发〔2023〕20号"),
)


# A query whose rarest index words (息鼋, 鼋鼍, 鼍鳐: one shard holds them) the title of the newer
# record holds, though not the query itself, which only its body holds.
TIERED_QUERY = "政府信息鼋鼍鳐"
TIERED = {
    9701: ("政府信息鼋鼍鳐管理办法", "正文从略。", "2026-11-03"),
    9702: ("关于信息鼋鼍鳐的通知", "正文提到政府信息鼋鼍鳐。", "2026-11-04"),
}


def planted(
    dept: dict[str, str],
    serial: int,
    title: str,
    body: str,
    publicity: str,
    doc_no: str = "",
    published: str = "2026-11-03",
) -> str:
    withheld = publicity != "主动公开"
    review = f"review: {{drafter: 李明, opinion: {publicity if publicity == '依申请公开' else '主动公开'}, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}}"
    return "\n".join(
        [
            "---",
            f"index_no: {dept['uscc']}/2026-{serial:05d}",
            f"title: {title}",
            *([f"doc_no: {doc_no}"] if doc_no else []),
            "category: 政府信息公开制度",
            f"publisher: {dept['name']}",
            "written: 2026-11-02",
            f"publicity: {publicity}",
            *(["withhold_reason: 《中华人民共和国政府信息公开条例》第十四条"] if withheld else []),
            *([] if publicity == "不予公开" else [f"published: {published}", review]),
            "---",
            body,
            "",
        ]
    )


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, dict[str, str]]]:
    site = copy_demo(tmp_path_factory.mktemp("search-planted"))
    dept = yaml.safe_load((site / "content" / "yuxi" / "department.yaml").read_text(encoding="utf-8"))
    records = {
        9901: ("关于canarypublic的通知", "正文提到canarypublic。", "主动公开"),
        9902: (REQUEST_TITLE, f"正文：{CANARY_BODY}。", "依申请公开"),
        9903: ("关于canarywithheld的通知", "正文提到canarywithheld。", "不予公开"),
    }
    for serial, (title, body, publicity) in records.items():
        (site / "content" / "yuxi" / f"canary-{serial}.md").write_text(
            planted(dept, serial, title, body, publicity), encoding="utf-8"
        )
    for serial, (title, body, published) in TIERED.items():
        (site / "content" / "yuxi" / f"tiered-{serial}.md").write_text(
            planted(dept, serial, title, body, "主动公开", published=published), encoding="utf-8"
        )
    for n, (title, doc_no) in enumerate(REAL):
        (site / "content" / "yuxi" / f"real-{n}.md").write_text(
            planted(dept, 9801 + n, title, "正文从略。", "主动公开", doc_no), encoding="utf-8"
        )
    assert cli.main(["build", "--site", str(site)]) == 0
    server, base = serve(site / "build")
    yield site / "build", base, dept
    server.shutdown()


def test_a_request_only_record_is_not_searched_and_its_page_shows_no_body(page: Any, planted_site) -> None:
    build, base, dept = planted_site
    request_page = "/yuxi/request/2026-09902.html"
    assert search(page, base, "穿山甲栖息地") == []  # its title: listed in the catalogue, not searched
    assert search(page, base, f"{dept['uscc']}/2026-09902") == []  # nor its 索引号
    assert "没有找到" in page.inner_text("#search-status")
    page.goto(f"{base}{request_page.lstrip('/')}")
    text = page.inner_text("main")
    assert REQUEST_TITLE in text and f"{dept['uscc']}/2026-09902" in text and "依申请公开" in text
    assert page.get_by_role("link", name="依申请公开").last.get_attribute("href").endswith("apply.html#apply-yuxi")
    # the body is in no file of the build, in no form: not as text, not as the index's words
    secrets = [CANARY_BODY.split()[0], "金丝猴保护区", code("金丝"), code("丝猴"), code("猴保")]
    for path in build.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            decoded = data.decode("utf-8", "replace").replace("\u200b", "")
            assert not any(secret in decoded for secret in secrets), path
            if "pagefind" in path.relative_to(build).parts:  # nor its title, there
                assert not any(word in decoded for word in ("穿山甲", code("穿山"), code("栖息"))), path
    for query in ("canarybodyzq", "金丝猴保护区"):
        assert search(page, base, query) == []
        assert "没有找到" in page.inner_text("#search-status")


def test_non_public_records_are_not_found_and_public_ones_are(page: Any, planted_site) -> None:
    _, base, _ = planted_site
    assert search(page, base, "canarypublic") == ["/yuxi/2026-09901.html"]
    assert search(page, base, "canarywithheld") == []


def test_real_titles_and_doc_numbers_find_their_record(page: Any, planted_site) -> None:
    _, base, dept = planted_site
    url = [f"/yuxi/2026-{9801 + n:05d}.html" for n in range(len(REAL))]
    first = [
        ("国办发〔2018〕68号", 0),
        ("国办发[2017]77号", 2),
        ("沪科〔2023〕292号", 3),
        (f"{dept['uscc']}/2026-09805", 4),
        (REAL[1][0], 1),  # a whole title
    ]  # a 文号 (any bracket), 索引号 or title: that record first
    anywhere = [
        ("上海区块链关键技术攻关专项行动方案", 3),
        ("社区卫生服务能力提升", 4),
        ("危险化学品生产企业搬迁改造", 2),
        ("西部地区开发领导小组", 0),
    ]  # pieces of titles: first ten
    for query, n in first:
        assert search(page, base, query)[:1] == [url[n]], query
    for query, n in anywhere:
        assert url[n] in search(page, base, query)[:10], query


def test_a_title_that_holds_only_the_words_searched_ranks_with_the_body_matches(page: Any, planted_site) -> None:
    """The title tier is first what Pagefind finds with the rarest index words, and made sure of
    when each result is checked: the newer record, whose title holds those words but not the
    query, comes after the older one whose title holds the query."""
    _, base, _ = planted_site
    assert search(page, base, TIERED_QUERY) == ["/yuxi/2026-09701.html", "/yuxi/2026-09702.html"]
    assert search(page, base, TIERED_QUERY, "&sort=desc") == ["/yuxi/2026-09702.html", "/yuxi/2026-09701.html"]
