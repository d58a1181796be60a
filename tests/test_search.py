"""The search index: only public record pages reach it, and an unchanged shard is not indexed again."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from conftest import DEPARTMENT_YAML, DEPT_USCC, record_text, run_cli

from generator.search import bundle
from generator.search.terms import index_terms

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


def test_only_public_record_pages_are_indexed(make_site) -> None:
    withheld = dict(withhold_reason="《中华人民共和国政府信息公开条例》第十四条")
    site = make_site(
        {
            "content/d1/public.md": record_text("公开正文羚羊。", title="关于公开羚羊的通知"),
            "content/d1/on-request.md": record_text(
                "依申请正文穿山甲。",
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
    assert list(indexed) == ["/d1/2026-00001.html"]
    text = "".join(indexed.values())
    assert "羚羊" in text
    for secret in ("穿山甲", "白鳍豚"):
        assert secret not in text
        for path in (site / "build" / "pagefind").rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                assert secret not in data.decode("utf-8", "replace").replace(ZWSP, ""), path


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
    order = json.loads((build / "pagefind" / "order.json").read_text(encoding="utf-8"))
    assert [urls[page] for page in order] == ["/d2/2026-00001.html", "/d1/2026-00001.html"]


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
    assert manifest == {"bundles": ["d1/", "d2/"]}

    (site / "content" / "d2" / "b.md").write_text(
        record_text("乙部门改过的正文。", index_no=f"{other}/2026-00001", publisher="另一局"), encoding="utf-8"
    )
    second = run_cli("build", "--site", site)
    assert second.code == 0, second.err
    assert "搜索索引 d1：1 页，未变，沿用缓存" in second.err
    assert "搜索索引 d2：1 页，未变" not in second.err
    assert "改过" in "".join(fragments(site / "build").values())
    assert (site / "build" / "pagefind" / "d1" / "pagefind-entry.json").is_file()


def test_search_terms_are_bigrams_and_ascii_runs() -> None:
    assert index_terms("国办发〔2018〕68号") == "国办 办发 发 2018 68 号"
    assert (
        index_terms("ＣＯＶＩＤ－１９疫情", "疫情防控") == "covid 19 疫情 情 情防 防控 控"
    )  # NFKC, lower case, once each
    assert index_terms("《》、") == ""


def test_record_pages_carry_their_search_terms_and_exact_filters(make_site) -> None:
    site = make_site(
        {"content/d1/a.md": record_text("正文。", title="关于印发保密审查制度的通知", doc_no="测办发〔2026〕3号")}
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    fragment = next((site / "build" / "pagefind").glob("*/fragment/*.pf_fragment"))
    data = json.loads(gzip.decompress(fragment.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd"))
    assert data["meta"]["检索词"].split() == [
        "关于",
        "于印",
        "印发",
        "发保",
        "保密",
        "密审",
        "审查",
        "查制",
        "制度",
        "度的",
        "的通",
        "通知",
        "知",
        "测办",
        "办发",
        "发",
        "2026",
        "3",
        "号",
        DEPT_USCC.lower(),
        "00001",
    ]
    assert data["filters"]["文号"] == ["测办发〔2026〕3号"]
    assert data["filters"]["索引号"] == [f"{DEPT_USCC}/2026-00001"]


def test_shard_peak_memory_is_the_indexers_own(tmp_path: Path) -> None:
    page = tmp_path / "site" / "d1" / "a.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html lang='zh-CN'><body data-pagefind-body><h1>羚羊</h1></body></html>", encoding="utf-8")
    ballast = b"x" * (400 << 20)  # resident in this process: a child forked from it would count it
    measurement = bundle.index_pages(tmp_path / "site", ("d1/a.html",), tmp_path / "bundle")
    assert len(ballast) and 0 < measurement.peak_kib < 200 << 10
