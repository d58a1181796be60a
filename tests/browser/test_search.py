"""Search in real headless Chromium against the built demo site on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import yaml

from browser.conftest import serve

from generator import cli, urls
from generator.search.terms import index_terms

REPO = Path(__file__).resolve().parents[2]

SEARCH = "search/index.html"


def search(page, base: str, query: str) -> list[str]:
    """Run `query` on the search page and return the result links, in order (first ten)."""
    page.goto(f"{base}{SEARCH}?q={quote(query)}")
    page.wait_for_selector(".search-page[data-ready]")
    return [a.get_attribute("href") for a in page.query_selector_all("#search-results li h2 a")]


def titled(build: Path, words: str) -> set[str]:
    """Paths of the built record pages whose title contains `words`."""
    found = set()
    for path in build.glob("*/*.html"):
        match = re.search(r"<h1>(.*?)</h1>", path.read_text(encoding="utf-8"))
        if match and words in match.group(1) and "data-pagefind-body" in path.read_text(encoding="utf-8"):
            found.add(path.relative_to(build).as_posix())
    return found


def test_secrecy_review_rules_come_first(page, site_url: str, demo_build: Path) -> None:
    expected = titled(demo_build, "保密审查制度")
    assert {p.split("/")[0] for p in expected} >= {"yuxi", "aershan"}
    # within the first four: the demo's smallest shards (华宁 3 pages, 楚雄 4) rank on their own scales and
    # their 制度, which quote 保密审查 too, come close (docs/search.md, Known limits)
    top = search(page, site_url, "保密审查")[:4]
    assert {href.removeprefix("/") for href in top} >= expected
    assert "保密审查" in page.inner_text("#search-status")


def test_department_filter_leaves_only_its_records(page, site_url: str) -> None:
    name = yaml.safe_load((REPO / "content" / "yuxi" / "department.yaml").read_text(encoding="utf-8"))["name"]
    unfiltered = search(page, site_url, "政府信息公开")
    assert any(not href.startswith("/yuxi/") for href in unfiltered)
    page.select_option("select[data-filter='发布机构']", name)
    page.get_by_role("button", name="搜索").click()
    page.wait_for_function("!document.querySelector('#search-status').textContent.includes('正在')")
    page.wait_for_selector("#search-results li")
    while page.is_visible("#search-more"):
        shown = page.locator("#search-results li").count()
        page.click("#search-more")
        page.wait_for_function(f"document.querySelectorAll('#search-results li').length > {shown}")
    hrefs = [a.get_attribute("href") for a in page.query_selector_all("#search-results li h2 a")]
    assert hrefs and all(href.startswith("/yuxi/") for href in hrefs)
    assert all(name in text for text in page.locator("#search-results .result-meta").all_inner_texts())
    assert parse_qs(urlparse(page.url).query)["发布机构"] == [name]  # the filtered search can be bookmarked


def canary(dept: dict[str, str], serial: int, words: str, publicity: str) -> str:
    """A record of department `dept` whose title and body carry `words`."""
    withheld = publicity != "主动公开"
    return "\n".join(
        [
            "---",
            f"index_no: {dept['uscc']}/2026-{serial:05d}",
            f"title: 关于{words}的通知",
            "category: 政府信息公开制度",
            f"publisher: {dept['name']}",
            "written: 2026-11-02",
            f"publicity: {publicity}",
            *(["withhold_reason: 《中华人民共和国政府信息公开条例》第十四条"] if withheld else []),
            *(
                []
                if publicity == "不予公开"
                else [
                    "published: 2026-11-03",
                    f"review: {{drafter: 李明, opinion: {'依申请公开' if publicity == '依申请公开' else '主动公开'}, "
                    "checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}",
                ]
            ),
            "---",
            f"正文提到{words}。",
            "",
        ]
    )


def test_non_public_canaries_are_not_found(page, demo_copy: Path) -> None:
    dept = yaml.safe_load((demo_copy / "content" / "yuxi" / "department.yaml").read_text(encoding="utf-8"))
    # Latin canaries: both segmenters keep them whole, so a miss means "not indexed", not "split differently".
    planted = [
        (9901, "canarypublic", "主动公开"),
        (9902, "canaryrequest", "依申请公开"),
        (9903, "canarywithheld", "不予公开"),
    ]
    for serial, words, publicity in planted:
        (demo_copy / "content" / "yuxi" / f"canary-{serial}.md").write_text(
            canary(dept, serial, words, publicity), encoding="utf-8"
        )
    assert cli.main(["build", "--site", str(demo_copy)]) == 0
    server, base = serve(demo_copy / "build")
    try:
        assert search(page, base, "canarypublic") == ["/yuxi/2026-09901.html"]
        for hidden in ("canaryrequest", "canarywithheld"):
            assert search(page, base, hidden) == []
            assert "没有找到" in page.inner_text("#search-status")
    finally:
        server.shutdown()


# Real records of the corpus (gov.cn and shanghai.gov.cn): title and 文号. Before the bigram terms
# (generator/search/terms.py) three of the queries below missed their record even in the demo site,
# and most found nothing in the 2,000-record bench: the browser cut 国办发 as 国|办|发.
REAL = (
    ("国务院办公厅关于调整国务院西部地区开发领导小组组成人员的通知", "国办发〔2018〕68号"),
    ("国务院办公厅关于印发国家防汛抗旱应急预案的通知", "国办函〔2022〕48号"),
    ("国务院办公厅关于推进城镇人口密集区危险化学品生产企业搬迁改造的指导意见", "国办发〔2017〕77号"),
    ("市科委关于印发《上海区块链关键技术攻关专项行动方案（2023-2025年）》的通知", "沪科〔2023〕292号"),
    ("金山区人民政府办公室关于印发《金山区社区卫生服务能力提升行动方案》的通知", "金府办发〔2023〕20号"),
)


def real_record(dept: dict[str, str], serial: int, title: str, doc_no: str) -> str:
    """A public record of `dept` with a real title and 文号; its body repeats neither."""
    return "\n".join(
        [
            "---",
            f"index_no: {dept['uscc']}/2026-{serial:05d}",
            f"title: {title}",
            f"doc_no: {doc_no}",
            "category: 政府信息公开制度",
            f"publisher: {dept['name']}",
            "written: 2026-11-02",
            "published: 2026-11-03",
            "publicity: 主动公开",
            "review: {drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}",
            "---",
            "正文从略。",
            "",
        ]
    )


def test_queries_are_cut_into_words_the_records_carry(page, site_url: str) -> None:
    texts = [text for record in REAL for text in record] + ["ＣＯＶＩＤ－１９疫情防控", "5G网络", "𠀀𠀁字 x"]
    page.goto(f"{site_url}{SEARCH}")
    script = "async ([core, texts]) => texts.map((await import(core)).bigramQuery)"
    cuts = page.evaluate(script, [f"{site_url}{urls.static('search-core.js')}", texts])
    for text, cut in zip(texts, cuts):
        assert cut and set(cut.split()) <= set(index_terms(text).split()), text


def test_real_titles_and_doc_numbers_find_their_record(page, demo_copy: Path) -> None:
    dept = yaml.safe_load((demo_copy / "content" / "yuxi" / "department.yaml").read_text(encoding="utf-8"))
    for n, (title, doc_no) in enumerate(REAL):
        (demo_copy / "content" / "yuxi" / f"real-{n}.md").write_text(
            real_record(dept, 9801 + n, title, doc_no), encoding="utf-8"
        )
    assert cli.main(["build", "--site", str(demo_copy)]) == 0
    url = [f"/yuxi/2026-{9801 + n:05d}.html" for n in range(len(REAL))]
    first = [
        ("国办发〔2018〕68号", 0),
        ("国办发[2017]77号", 2),
        ("沪科〔2023〕292号", 3),
        (f"{dept['uscc']}/2026-09805", 4),
    ]  # a 文号 (any bracket) or 索引号: that record first
    anywhere = [
        (REAL[1][0], 1),
        ("上海区块链关键技术攻关专项行动方案", 3),
        ("社区卫生服务能力提升", 4),
        ("危险化学品生产企业搬迁改造", 2),
        ("西部地区开发领导小组", 0),
    ]  # titles and pieces: first ten
    server, base = serve(demo_copy / "build")
    try:
        for query, n in first:
            assert search(page, base, query)[:1] == [url[n]], query
        for query, n in anywhere:
            assert url[n] in search(page, base, query)[:10], query
        page.goto(f"{base}{SEARCH}?q={quote('通知')}&sort=desc")
        page.wait_for_selector(".search-page[data-ready]")
        dates = page.locator("#search-results .result-meta dt:text-is('发布日期') + dd").all_inner_texts()
    finally:
        server.shutdown()
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)  # merged searches, still by date


def test_search_works_from_a_sub_path(page, demo_build: Path) -> None:
    server, base = serve(demo_build.parent)  # the site is served under /build/
    try:
        links = search(page, f"{base}build/", "保密审查")
    finally:
        server.shutdown()
    assert links and all(href.startswith("/build/") for href in links)


def test_portal_search_box_opens_the_results(page, site_url: str) -> None:
    page.goto(site_url)
    box = page.locator("form[role='search'] input[name='q']").first
    box.fill("保密审查")
    box.press("Enter")
    page.wait_for_selector(".search-page[data-ready]")
    assert page.input_value("#search-page-q") == "保密审查"
    assert page.locator("#search-results li").count() > 0
