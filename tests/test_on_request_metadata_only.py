"""A 依申请公开 record reaches the public as its metadata only — title, 索引号, publisher and dates,
with the link to the application guide, placed in the catalogue by its category — and never the
search index (content spec, "Publicity and what reaches the public": search index "no").

The record below carries a distinct marker in its free texts and in its body. Its 文号, summary,
keywords and body are in no file of the build, and its 文种, topic and 有效性 in none of its
entries; its title and 索引号 are on its metadata page and in the catalogue, and nothing of it is in
the search index (Pagefind's files, decompressed: fragments, word index, term directory,
shards.json). Each test failed before the search index and the metadata-only form were restricted."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import DEPT_USCC, SITE_YAML, record_text, run_cli, tree_hash, write_site

from generator import load, publicity, urls, yamlsrc
from generator.config import load_config
from generator.load import split_front_matter
from generator.model import Record, Site
from generator.index import SHARD_PAGES
from generator.search import shards, terms

SERIAL = "2026-00077"
INDEX_NO = f"{DEPT_USCC}/{SERIAL}"
TITLE = "关于zqtitleq穿山甲栖息地调查的答复"
DOC_NO = "测zqdocnoq发〔2026〕77号"
SUMMARY = "zqsummaryq概述金丝猴保护区"
KEYWORD = "zqkeywordq"
BODY = "zqbodyq 正文：白鳍豚监测数据。"
TOPIC = "生态保护"  # a topic of the site (the guide names every one): not of the record on request
# what must never leave the content repository (lower case: the search words are)
HIDDEN = ("zqdocnoq", "zqsummaryq", "zqkeywordq", "zqbodyq", "金丝猴", "白鳍豚")
WITHHELD = "《中华人民共和国政府信息公开条例》第二十七条"
SITE = SITE_YAML.replace("today: 2026-11-21\n", f"today: 2026-11-21\ntopics: [{TOPIC}, 政务公开]\n")


def on_request(**meta: object) -> str:
    fields: dict[str, object] = dict(
        index_no=INDEX_NO,
        title=TITLE,
        doc_type="其他文件",
        topic=TOPIC,
        doc_no=DOC_NO,
        written="2026-11-02",
        changed="2026-11-06",
        published="2026-11-04",
        publicity="依申请公开",
        withhold_reason=WITHHELD,
        status="已废止",
        status_date="2026-11-10",
        superseded_by=f"{DEPT_USCC}/2026-00001",
        summary=SUMMARY,
        keywords=f"[{KEYWORD}, 监测]",
    )
    fields.update(meta)
    return record_text(BODY, **fields)


FILES = {
    "site.yaml": SITE,
    "content/d1/public.md": record_text("公开正文：羚羊。", title="关于公开事项的通知", topic=TOPIC),
    "content/d1/request.md": on_request(),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(tmp_path_factory.mktemp("on-request") / "site", FILES)
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    return site / "build"


def decoded(path: Path) -> str:
    """A file's text, gunzipped when it is gzip (Pagefind's files, the term directory), lower case."""
    data = path.read_bytes()
    while data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace").replace("\u200b", "").lower()


def search_index(build: Path) -> dict[str, str]:
    return {p.relative_to(build).as_posix(): decoded(p) for p in (build / "pagefind").rglob("*") if p.is_file()}


def coded(text: str) -> list[str]:
    """The search words the index would hold of `text` (terms.py): coded bigrams and characters,
    ASCII runs."""
    return [word.lower() for word in terms.words(text)]


def test_the_search_index_holds_nothing_of_a_record_on_request(built: Path) -> None:
    index = search_index(built)
    assert any("羚羊" in text for text in index.values())  # the public record is indexed
    everything = "\n".join(index.values())
    for marker in ("zqtitleq", "zqdocnoq", SERIAL, INDEX_NO.lower(), *HIDDEN):
        assert marker not in everything, marker
    # nor as the index's words: no coded bigram of its title (穿山, 山甲, 栖息 …) and no 依申请公开 page
    for word in coded("穿山甲栖息地"):
        assert word not in everything, word
    assert "/request/" not in everything
    manifest = json.loads((built / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert "依申请公开" not in manifest["filters"]["公开属性"]
    assert sum(count for count, _ in manifest["filters"]["公开属性"].values()) == 1


def test_the_shards_hold_only_records_published_in_full(built: Path) -> None:
    config, errors = load_config(built.parent)
    assert not errors
    loaded, _ = load.load_site(config)
    selected = publicity.select(loaded)
    assert [r.index_no for r in selected.records if not r.full] == [INDEX_NO]  # listed, as metadata
    plan = shards.plan(selected)
    assert [page for shard in plan for page in shard.pages] == ["d1/2026-00001.html"]
    assert [r.index_no for r in selected.searched] == [f"{DEPT_USCC}/2026-00001"]
    # whatever hands them over, the indexer's pages are never made of a record published as metadata
    with pytest.raises(ValueError):
        shards.page_path(next(r for r in selected.records if not r.full))


def test_no_output_file_holds_its_doc_no_summary_keywords_or_body(built: Path) -> None:
    for path in built.rglob("*"):
        if path.is_file():
            text = decoded(path)
            for marker in HIDDEN:
                assert marker not in text, (marker, path.relative_to(built).as_posix())


def test_its_page_shows_its_title_index_number_publisher_and_dates_only(built: Path) -> None:
    page = (built / "d1" / "request" / f"{SERIAL}.html").read_text(encoding="utf-8")
    table = page.split('<table class="metadata">', 1)[1].split("</table>", 1)[0]
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td>', table))
    assert rows == {
        "索引号": INDEX_NO,
        "名称": TITLE,
        "发布机构": "测试局",
        "成文日期": "2026-11-02",
        "发布日期": "2026-11-04",
        "变更日期": "2026-11-06",
        "信息分类": "法定主动公开内容/通知公告",
        "公开属性": "依申请公开",
    }
    article = page.split('<article class="record request-only">', 1)[1].split("</article>", 1)[0]
    assert 'href="../../apply.html#apply-d1"' in article  # the application guide
    assert "已废止" not in page and "文号" not in article


def test_the_catalogue_lists_it_by_title_index_number_and_date_under_its_category(built: Path) -> None:
    listing = (built / "d1" / "catalogue" / "index.html").read_text(encoding="utf-8")
    row = next(tr for tr in listing.split("<tr>") if "zqtitleq" in tr)
    assert TITLE in row and SERIAL in row and "2026-11-04" in row and "apply.html#apply-d1" in row
    assert "已废止" not in row  # its 有效性 is not public
    category = built / urls.dept_listing("d1", urls.category_listing("法定主动公开内容/通知公告"))
    assert TITLE in category.read_text(encoding="utf-8")
    # no listing by what is not public: neither under its topic nor among the records in force
    topic = built / urls.dept_listing("d1", urls.topic_listing(TOPIC))
    assert "关于公开事项的通知" in topic.read_text(encoding="utf-8") and TITLE not in topic.read_text(encoding="utf-8")
    current = built / urls.current_only(urls.dept_catalogue("d1"))
    assert TITLE not in current.read_text(encoding="utf-8")


def test_the_exports_give_its_metadata_alone(built: Path) -> None:
    document = json.loads((built / urls.CATALOGUE_JSON).read_text(encoding="utf-8"))
    row = next(r for r in document["records"] if r["index_no"] == INDEX_NO)
    shown = {name for name, value in row.items() if value not in ("", [])}
    assert shown == {"index_no", "title", "department", "publisher", "category", "written", "published", "publicity"}
    assert row["title"] == TITLE and row["written"] == "2026-11-02" and row["published"] == "2026-11-04 00:00"
    table = list(csv.DictReader(io.StringIO((built / urls.CATALOGUE_CSV).read_text(encoding="utf-8-sig"))))
    line = next(r for r in table if r["index_no"] == INDEX_NO)
    assert {name for name, value in line.items() if value} == shown


def test_a_record_turned_on_request_leaves_the_index_of_a_warm_build_as_of_a_cold_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shards, their caches and the term directory follow: a record that becomes 依申请公开 leaves
    the index of a build that takes the rest from the caches, which equals a build from nothing."""
    monkeypatch.setenv(SHARD_PAGES, "2")  # more than one shard of d1
    files = {
        "site.yaml": SITE,
        **{
            f"content/d1/r{n}.md": record_text(f"第{n}条正文：梅花鹿。", index_no=f"{DEPT_USCC}/2026-0000{n}")
            for n in range(1, 5)
        },
        "content/d1/request.md": on_request(publicity="主动公开", withhold_reason=None),
    }
    site = write_site(tmp_path / "site", files)
    first = run_cli("build", "--site", site)
    assert first.code == 0, first.err
    assert "zqtitleq" in "".join(search_index(site / "build").values())  # 主动公开: indexed

    (site / "content/d1/request.md").write_text(on_request(), encoding="utf-8")
    warm = run_cli("build", "--site", site)
    assert warm.code == 0, warm.err
    index = search_index(site / "build")
    assert not any("zqtitleq" in text or SERIAL in text for text in index.values())
    assert sum(text.count("梅花") for rel, text in index.items() if "/fragment/" in rel) == 4

    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns(".cache", "build"))
    result = run_cli("build", "--site", cold)
    assert result.code == 0, result.err
    assert tree_hash(site / "build" / "pagefind") == tree_hash(cold / "build" / "pagefind")


def test_a_metadata_only_public_record_carries_only_the_metadata() -> None:
    """The selection itself: the form every channel renders from has nothing else to show."""
    config, _ = load_config(Path("/nonexistent"))
    split = split_front_matter(on_request())
    assert split is not None
    meta = dict(yamlsrc.parse(split[0]).data)
    lines = {(key,): i + 2 for i, key in enumerate(meta)}
    record = Record("d1", "/nonexistent/a.md", "content/d1/a.md", meta, yamlsrc.Parsed(meta, lines), BODY, 20)
    publication = publicity.select(Site(config, Path("/nonexistent"), records=[record]))
    (public,) = publication.records
    assert not public.full and public.body == publicity.NO_BODY and not public.attachments
    shown = {name for name in publicity.LISTED_FIELDS if getattr(public, name) not in ("", [], None)}
    assert shown == {
        "dept",
        "full",
        "index_no",
        "title",
        "publisher",
        "written",
        "changed",
        "published",
        "publicity",
        "category",
    }
    assert publication.searched == []
