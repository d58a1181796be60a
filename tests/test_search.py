"""The search index: only the texts of records published in full reach it (nothing of a 依申请公开
record, which is listed as metadata only: tests/test_on_request_metadata_only.py), and an unchanged
shard is not indexed again."""

from __future__ import annotations

import gzip
import json
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, record_text, run_cli

from generator.search import bundle, canonical, directory, docs, make, order, pagetexts, terms
from generator.search.terms import RUN, code, index_terms, runs, words

ZWSP = "\u200b"  # the extended indexer marks its Chinese word boundaries with zero-width spaces


def fragments(build: Path) -> dict[str, str]:
    """Every indexed page's URL → its indexed text, from the decompressed fragments of every shard."""
    found = {}
    for path in (build / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).decode("utf-8")
        assert data.startswith("pagefind_dcd")
        fragment = json.loads(data.removeprefix("pagefind_dcd"))
        found[fragment["url"]] = json.dumps(fragment, ensure_ascii=False).replace(ZWSP, "")
    return found


def test_only_public_texts_are_indexed(make_site) -> None:
    withheld = dict(withhold_reason="《中华人民共和国政府信息公开条例》第十四条")
    site = make_site(
        {
            "content/d1/public.md": record_text("公开正文羚羊。", title="关于公开羚羊的通知"),
            "content/d1/on-request.md": record_text(
                "依申请正文金丝猴。",
                index_no=f"{DEPT_USCC}/2026-00002",
                title="关于穿山甲的通知",
                publicity="依申请公开",
                **withheld,
            ),
            "content/d1/withheld.md": record_text(
                "不予公开正文白鳍豚。",
                index_no=f"{DEPT_USCC}/2026-00003",
                title="关于白鳍豚的通知",
                publicity="不予公开",
                review=None,
                published=None,
                **withheld,
            ),
        }
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    indexed = fragments(site / "build")
    assert sorted(indexed) == ["/d1/2026-00001.html"]  # 依申请公开: listed, not searched
    text = "".join(indexed.values())
    request_page = (site / "build" / "d1" / "request" / "2026-00002.html").read_text(encoding="utf-8")
    assert "羚羊" in text and "穿山甲" in request_page and "穿山甲" not in text  # its title: listed, not searched
    for secret in ("金丝猴", "白鳍豚"):
        assert secret not in text
        assert secret not in (site / "build" / "d1" / "request" / "2026-00002.html").read_text(encoding="utf-8")
        coded = list(words(secret))[0]  # its first bigram as the index writes it
        assert coded not in "".join(p.read_text(encoding="utf-8") for p in (site / "build").rglob("*.html"))
        for path in (site / "build" / "pagefind").rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                assert secret not in data.decode("utf-8", "replace").replace(ZWSP, ""), path
                assert coded.encode() not in data, path


def test_order_lists_every_indexed_page_oldest_first(make_site) -> None:
    other = "11530400MB0000002R"
    site = make_site(
        {
            "content/d1/new.md": record_text("新。", published="2026-11-05"),
            "content/d2/department.yaml": DEPARTMENT_YAML.replace("测试局", "另一局").replace(DEPT_USCC, other),
            "content/d2/old.md": record_text("旧。", index_no=f"{other}/2026-00001", publisher="另一局"),
        }
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    build = site / "build"
    urls = {
        path.name.removesuffix(".pf_fragment"): json.loads(gzip.decompress(path.read_bytes())[12:])["url"]
        for path in (build / "pagefind").glob("*/fragment/*.pf_fragment")
    }
    order = {
        path.stem: json.loads(gzip.decompress(path.read_bytes())) for path in (build / "pagefind" / "order").iterdir()
    }
    assert {path.name for path in (build / "pagefind" / "order").iterdir()} == {"d1.pf_order", "d2.pf_order"}
    assert {shard: [urls[page] for page in found["ids"]] for shard, found in order.items()} == {
        "d1": ["/d1/2026-00001.html"],
        "d2": ["/d2/2026-00001.html"],
    }
    assert order["d1"]["dates"] == ["2026-11-05"] and order["d2"]["dates"] < order["d1"]["dates"]


def test_rebuild_reindexes_only_the_changed_shard(make_site) -> None:
    other = "11530400MB0000002R"
    site = make_site(
        {
            "content/d1/a.md": record_text("甲部门正文。"),
            "content/d2/department.yaml": DEPARTMENT_YAML.replace("测试局", "另一局").replace(DEPT_USCC, other),
            "content/d2/b.md": record_text("乙部门正文。", index_no=f"{other}/2026-00001", publisher="另一局"),
        }
    )
    first = run_cli("build", "--site", site)
    assert first.code == 0, first.err
    assert "搜索索引 d1：1 页，" in first.err and "沿用缓存" not in first.err
    manifest = json.loads((site / "build" / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert manifest["bundles"] == ["d1/", "d2/"]

    (site / "content" / "d2" / "b.md").write_text(
        record_text("乙部门改过的正文。", index_no=f"{other}/2026-00001", publisher="另一局"), encoding="utf-8"
    )
    second = run_cli("build", "--site", site)
    assert second.code == 0, second.err
    assert "搜索索引 d1：1 页，未变，沿用缓存" in second.err
    assert "搜索索引 d2：1 页，未变" not in second.err
    assert "改过" in "".join(fragments(site / "build").values())
    assert (site / "build" / "pagefind" / "d1" / "pagefind-entry.json").is_file()


def test_search_terms_are_coded_bigrams_characters_and_ascii_runs() -> None:
    assert list(words("国办发〔2018〕68号")) == [
        code("国办"),
        code("国"),
        code("办发"),
        code("办"),
        code("发"),
        "2018",
        "68",
        code("号"),
    ]
    assert list(words("ＣＯＶＩＤ－１９疫情")) == [
        "covid",
        "19",
        code("疫情"),
        code("疫"),
        code("情"),
    ]  # NFKC, lower case
    assert list(words("《》、")) == []
    # a title's words also with "t" in front, the body's once; each word once
    assert index_terms(("羚羊",), "羚羊草") == " ".join(
        [code("羚羊"), "t" + code("羚羊"), code("羚"), "t" + code("羚"), code("羊"), "t" + code("羊")]
        + [code("羊草"), code("草")]
    )


def test_the_directory_keys_found_as_a_page_is_cut_are_the_keys_of_its_text() -> None:
    """The indexer's pages are cut into words once: the term directory's keys of the texts, found on
    the way, are what terms.keys finds of them on its own, and so is a shard's directory."""
    texts = ["《关于2026年ABCDEFGHIJK项目的通知》", "ＣＯＶＩＤ－１９疫情 阿尔山市", "", "x1234567890 依申请公开"]
    found: set[str] = set()
    for text in texts:
        words(text, found)
    assert found == terms.keys(*texts)
    assert "abcdefgh" in found and "abcdefghijk" not in found  # an ASCII run by its first PREFIX characters
    pages = [
        (f"/d/{i}.html", f"标题{i}", f"测发〔2026〕{i}号", f"X/2026-{i:05d}", text) for i, text in enumerate(texts)
    ]
    assert terms.page_keys(pages, found) == terms.page_keys(pages)


def test_runs_are_cut_where_the_search_page_cuts_them() -> None:
    # the search page's runs are of \p{L}\p{N} (static/search-core.js): a character is in a run
    # exactly when its Unicode category is a letter's or a number's, over every code point
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        if char.lower() == char and unicodedata.normalize("NFKC", char) == char:
            inside = bool(RUN.fullmatch(char))
            assert inside == (unicodedata.category(char)[0] in "LN"), hex(point)
    assert runs("Ａ１甲乙，b2") == [("ascii", "a1"), ("cjk", "甲乙"), ("ascii", "b2")]


def test_coded_words_are_ascii_and_differ_early() -> None:
    pieces = [chr(a) + chr(b) for a in range(0x4E00, 0x4E40) for b in range(0x4E00, 0x4E40)]
    coded = [code(piece) for piece in pieces]
    assert all(len(word) == 11 and word.isascii() and word.isalnum() for word in coded)
    # Pagefind backs off to a six-character prefix of a word it lacks: bigrams sharing their first
    # character must not share it (as code points did)
    assert len({word[:6] for word in coded}) > 0.99 * len(pieces)


def test_the_indexer_sees_the_document_text_and_public_metadata(make_site) -> None:
    site = make_site(
        {
            "content/d1/a.md": record_text(
                "第一段羚羊。\n\n第二段草原。", title="关于印发保密审查制度的通知", doc_no="测办发〔2026〕3号"
            )
        }
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    text = docs.text((site / "build" / "d1" / "2026-00001.html").read_text(encoding="utf-8"))
    assert text == "第一段羚羊。\n第二段草原。"  # no metadata table, no title heading
    fragment = next((site / "build" / "pagefind").glob("*/fragment/*.pf_fragment"))
    data = json.loads(gzip.decompress(fragment.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd"))
    assert "检索词" not in data["meta"]  # only the word index needs the terms
    assert data["content"].replace(ZWSP, "") == "第一段羚羊。 第二段草原。"
    assert data["meta"]["title"] == "关于印发保密审查制度的通知"
    assert data["meta"]["文号"] == "测办发〔2026〕3号"
    assert data["filters"]["文号"] == ["测办发〔2026〕3号"]
    assert data["filters"]["索引号"] == [f"{DEPT_USCC}/2026-00001"]
    assert data["filters"]["公开属性"] == ["主动公开"]


def test_shard_peak_memory_is_the_indexers_own(tmp_path: Path) -> None:
    page = tmp_path / "site" / "d1" / "a.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html lang='zh-CN'><body data-pagefind-body><p>羚羊</p></body></html>", encoding="utf-8")
    item = docs.Doc(
        "d1/a.html", True, "羚羊", "X/2026-00001", "", ("测试局",), "2026-01-01", "", "", "现行有效", "主动公开"
    )
    ballast = b"x" * (400 << 20)  # resident in this process: a child forked from it would count it
    measurement = bundle.index_pages(tmp_path / "site", (item,), tmp_path / "bundle")
    assert len(ballast) and 0 < measurement.peak_kib < 200 << 10


def test_pages_of_two_shards_never_share_an_id(tmp_path: Path) -> None:
    # The same page indexed in two shards gets the same id from Pagefind (a hash of the fragment):
    # the search page merges the shards and would count the two as one result.
    page = tmp_path / "site" / "d1" / "a.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html lang='zh-CN'><body data-pagefind-body><p>羚羊</p></body></html>", encoding="utf-8")
    item = docs.Doc(
        "d1/a.html", True, "羚羊", "X/2026-00001", "", ("测试局",), "2026-01-01", "", "", "现行有效", "主动公开"
    )
    bundles = [tmp_path / name for name in ("d1-2025", "d1-2026")]
    for dest in bundles:
        bundle.index_pages(tmp_path / "site", (item,), dest, dest.name)
    assert order.shared(order.pages(dest) for dest in bundles) == []
    for dest in bundles:
        (fragment,) = (dest / "fragment").iterdir()
        assert fragment.name.endswith(canonical.own_ids(dest.name) + ".pf_fragment")
        meta = canonical._read(next(dest.glob("pagefind.*.pf_meta")))
        assert [page_id for page_id, _ in meta[1]] == [fragment.name.removesuffix(".pf_fragment")]
        assert canonical.canonicalize(dest, dest.name)  # idempotent: the ids are renamed once
        assert [p.name for p in (dest / "fragment").iterdir()] == [fragment.name]


def _pages(root: Path, titles: tuple[str, ...]) -> tuple[docs.Doc, ...]:
    items = []
    for n, title in enumerate(titles, 1):
        page = root / "d1" / f"2026-0000{n}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"<html lang='zh-CN'><body data-pagefind-body><p>羚羊 保护区{n}</p></body></html>", encoding="utf-8"
        )
        items.append(
            docs.Doc(
                page.relative_to(root).as_posix(),
                True,
                title,
                f"X/2026-0000{n}",
                "",
                ("测试局",),
                "2026-01-01",
                "",
                "",
                "现行有效",
                "主动公开",
            )
        )
    return tuple(items)


def test_a_new_bundles_term_keys_are_found_while_the_indexer_runs(tmp_path: Path, monkeypatch) -> None:
    """The term directory keys of a new bundle are found from the pages given to Pagefind while it
    runs, and kept when its fragments hold those very pages: the same keys as from the fragments,
    which are not read for them. Where a fragment differs — Pagefind gives a title with doubled
    spaces back with single ones — they are found from the fragments, and are the same as ever."""
    read: list[Path] = []
    bundle_keys = directory.bundle_keys
    monkeypatch.setattr(directory, "bundle_keys", lambda path: read.append(path) or bundle_keys(path))
    for name, titles, fragments_read in [
        ("plain", ("关于羚羊保护的通知", "2026年度报告"), False),
        ("spaced", ("关于羚羊保护的通知", "  年度  报告 "), True),
    ]:
        items = _pages(tmp_path / name, titles)
        keys = make._Keys(items, None)
        bundle.index_pages(tmp_path / name, items, tmp_path / f"{name}-bundle", "d1", keys.begin)
        found = keys.of(tmp_path / f"{name}-bundle")
        assert (tmp_path / f"{name}-bundle" in read) is fragments_read
        assert found == bundle_keys(tmp_path / f"{name}-bundle") and found


def test_many_pages_texts_are_read_on_every_core_as_one_process_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed template rewrites every page, and each shard's pages are read again for its key
    (docs.key): many at once go to fresh processes, which find each page's text digest exactly as
    this process does, in the pages' order; a page the text of which differs has another digest."""
    pages = [f"d1/2026-{n:05d}.html" for n in range(1, 8)]
    for n, rel in enumerate(pages):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        body = f"<p>第{n % 3}段</p><table class='metadata'><tr><td>{n}</td></tr></table>"
        (tmp_path / rel).write_text(f"<main><nav>{n}</nav><article data-pagefind-body>{body}</article></main>")
    here = docs.read_text_digests(tmp_path, pages)
    assert here[0] == here[3] == docs.text_digest("第0段") and len(set(here)) == 3  # nav and table aside
    monkeypatch.setattr(pagetexts, "MANY", 2)
    reader = pagetexts.Reader(2)
    try:
        assert reader(tmp_path, pages) == here
        assert reader.pool is not None  # they were read elsewhere
    finally:
        reader.close()
