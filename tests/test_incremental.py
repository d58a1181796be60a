"""Incremental builds: after every kind of change, the output of a build that reused the
page cache is byte-identical to a clean full build of the same sources, and files whose
inputs did not change are not written again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import DEPARTMENT_YAML, DEPT_USCC, REPO, SITE_YAML, record_text, run_cli, tree_hash
from generator import checkcache, checking, index, jsontext, load, output, pagecache, publicity, secrecy, urls
from generator.config import load_config
from generator.render import exports, pages

MakeSite = Callable[..., Path]
NEVER = 10**18  # checkcache.SETTLED_NS that vouches for no file: every record is read by the check
REPORT = (
    "---\npermits: 1\npenalties: 1\ncoercions: 0\nfees: 0\n---\n## 总体情况\n\n本年度工作正常。\n"
    "\n## 存在的主要问题及改进情况\n\n没有需要说明的问题。\n"
)


@pytest.fixture(autouse=True)
def _built_as_a_city(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each edit build here goes the ways a city's does, not only past their thresholds: it indexes
    its changed shards in another process while the pages render (index.Early), and its check walks
    its folders in a child while it reads its cache (checking.WALK_APART_FROM) and runs staleness and
    inspection in a child beside the other stages (checking.BESIDE_FROM). Every
    comparison with a clean build covers both; the ways of a small site are the other test files'
    (test_search_shards, test_apart)."""
    monkeypatch.setattr(index, "APART", 0)
    monkeypatch.setattr(checking, "BESIDE_FROM", 0)
    monkeypatch.setattr(checking, "WALK_APART_FROM", 0)


def _record(serial: int, body: str, **meta: object) -> str:
    return record_text(body, index_no=f"{DEPT_USCC}/2026-{serial:05d}", title=f"关于第{serial}项工作的通知", **meta)


def _linked_records() -> dict[str, str]:
    """Three records that depend on one another (a link, an attachment, an interpretation) and an
    annual report: a site with a page of every kind that reads more than one record."""
    return {
        "content/d1/a.md": _record(1, "第一条正文，见[第二项](b.md)。", attachments="[a.txt]"),
        "content/d1/a.files/a.txt": "附件文字。",
        "content/d1/b.md": _record(2, "第二条正文。"),
        "content/d1/c.md": _record(
            3, "第三条正文。", category="法定主动公开内容/政策解读", interprets=f"{DEPT_USCC}/2026-00002"
        ),
        "content/d1/reports/2025.md": REPORT,
    }


def _saved(cache: pagecache.PageCache, files: dict[str, pagecache.Entry], **kept: Any) -> None:
    """Save `files` as a build does around its swap (output.staging): kept, saved, adopted."""
    cache.keep(**kept)
    assert cache.save(files, None, 0)
    cache.adopt()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _clean_build(site: Path, where: Path) -> dict[str, bytes]:
    """A full build of the same sources in another folder, with no page cache. It shares the
    search shard cache: Pagefind does not write the same bytes twice (see docs/search.md)."""
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir()
    for name in ("site.yaml", "content", "layouts"):
        if (site / name).is_dir():
            shutil.copytree(site / name, where / name, symlinks=True)
        elif (site / name).exists():
            shutil.copy(site / name, where / name)
    shutil.copytree(site / ".cache/search", where / ".cache/search")
    result = run_cli("build", "--site", where)
    assert result.code == 0, result.err
    return _files(where / "build")


def _assert_same_as_clean(site: Path, tmp_path: Path) -> None:
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    incremental = _files(site / "build")
    clean = _clean_build(site, tmp_path / "clean")
    assert incremental.keys() == clean.keys()
    assert [rel for rel in incremental if incremental[rel] != clean[rel]] == []


@pytest.mark.parametrize("settled_ns", [NEVER, 0], ids=["read", "vouched"])
def test_incremental_output_equals_a_clean_build_after_every_kind_of_change(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_ns: int
) -> None:
    """Also with every record file vouched for by its status once a check has read it (`vouched`).
    Either way a record page reads its body from the file when it is rendered, checked against the
    hash of the bytes the check passed."""
    monkeypatch.setattr(checkcache, "SETTLED_NS", settled_ns)
    read_later: list[str] = []
    original = load.VouchedBody.read
    monkeypatch.setattr(load.VouchedBody, "read", lambda body: read_later.append(body.file) or original(body))
    site = make_site(_linked_records())
    _assert_same_as_clean(site, tmp_path)
    page_a, page_c = site / "build/d1/2026-00001.html", site / "build/d1/2026-00003.html"
    before = page_a.stat().st_ino, page_c.stat().st_ino

    (site / "content/d1/b.md").write_text(_record(2, "第二条正文，已修改。"), encoding="utf-8")  # edit a body
    _assert_same_as_clean(site, tmp_path)
    assert (page_a.stat().st_ino, page_c.stat().st_ino) == before  # not rendered, not rewritten

    b = site / "content/d1/b.md"  # retitle a record: every listing page showing it changes
    b.write_text(
        b.read_text(encoding="utf-8").replace("关于第2项工作的通知", "关于第2项工作的补充通知"), encoding="utf-8"
    )
    _assert_same_as_clean(site, tmp_path)
    assert "关于第2项工作的补充通知" in (site / "build/catalogue/index.html").read_text(encoding="utf-8")

    attachment = site / "content/d1/a.files/a.txt"  # change an attachment (same size, new bytes)
    attachment.write_text("附件文本。", encoding="utf-8")
    _assert_same_as_clean(site, tmp_path)
    assert (site / "build/d1/2026-00001/a.txt").read_text(encoding="utf-8") == "附件文本。"

    (site / "content/d1/d.md").write_text(_record(4, "新增的记录。"), encoding="utf-8")  # add
    _assert_same_as_clean(site, tmp_path)

    (site / "content/d1/d.md").rename(site / "content/d1/e.md")  # rename
    _assert_same_as_clean(site, tmp_path)

    (site / "content/d1/e.md").unlink()  # delete
    _assert_same_as_clean(site, tmp_path)
    assert not (site / "build/d1/2026-00004.html").exists()

    # what a page shows of other records changes while its own file does not: a gains a 解读 …
    (site / "content/d1/f.md").write_text(
        _record(6, "第一项的解读。", doc_type="政策解读", interprets=f"{DEPT_USCC}/2026-00001"), encoding="utf-8"
    )
    _assert_same_as_clean(site, tmp_path)
    assert 'href="2026-00006.html"' in page_a.read_text(encoding="utf-8")
    # … and the successor f names, withheld at first, is published: f's banner links to it
    f = site / "content/d1/f.md"
    f.write_text(
        f.read_text(encoding="utf-8").replace(
            "publicity:", f"status: 已废止\nstatus_date: 2026-11-10\nsuperseded_by: {DEPT_USCC}/2026-00007\npublicity:"
        ),
        encoding="utf-8",
    )
    successor = site / "content/d1/g.md"
    successor.write_text(
        _record(7, "替代文件。", publicity="不予公开", withhold_reason="《条例》第十四条"), encoding="utf-8"
    )
    _assert_same_as_clean(site, tmp_path)
    page_f = site / "build/d1/2026-00006.html"
    assert "本文件已废止" in page_f.read_text(encoding="utf-8")
    assert "2026-00007.html" not in page_f.read_text(encoding="utf-8")
    successor.write_text(_record(7, "替代文件。"), encoding="utf-8")
    _assert_same_as_clean(site, tmp_path)
    assert 'href="2026-00007.html"' in page_f.read_text(encoding="utf-8")

    # the record a's body links to is no longer published in full: a's page must lose the link
    (site / "content/d1/b.md").write_text(
        _record(
            2,
            "第二条正文。",
            publicity="依申请公开",
            published=None,
            withhold_reason="《中华人民共和国政府信息公开条例》第十六条",
        ),
        encoding="utf-8",
    )
    _assert_same_as_clean(site, tmp_path)
    assert "2026-00002.html" not in page_a.read_text(encoding="utf-8")

    (site / "layouts").mkdir()  # change a template
    record_html = (REPO / "layouts/record.html").read_text(encoding="utf-8")
    (site / "layouts/record.html").write_text(
        record_html.replace('class="record"', 'class="record changed"'), encoding="utf-8"
    )
    _assert_same_as_clean(site, tmp_path)
    assert 'class="record changed"' in page_a.read_text(encoding="utf-8")

    site_yaml = (site / "site.yaml").read_text(encoding="utf-8")  # change site.yaml
    (site / "site.yaml").write_text(site_yaml.replace("title: 测试站点", "title: 测试站点二"), encoding="utf-8")
    _assert_same_as_clean(site, tmp_path)
    assert "测试站点二" in page_a.read_text(encoding="utf-8")

    read_later.clear()
    shutil.rmtree(site / ".cache/pages")  # the cache is safe to delete
    _assert_same_as_clean(site, tmp_path)
    assert sorted(set(read_later)) == [f"content/d1/{name}.md" for name in "acfg"]  # the pages in full


def _report(err: str) -> list[str]:
    """The findings a build reports, without its search shards' progress."""
    return [line for line in err.splitlines() if not line.startswith("搜索索引 ")]


def test_the_command_ends_at_once_after_a_build_with_all_it_wrote(make_site: MakeSite, tmp_path: Path) -> None:
    """`disclosure build` (as CI runs it, its output into a pipe) ends the process without freeing
    what an edit build spent (BuildResult.spent, cli.end): its report arrives whole with the
    build's exit code, the page cache is saved (the next build is an edit build again), and the
    output is what a clean build writes."""
    late = _record(2, "第二条正文。", written="2026-09-01")  # a warning (STL001): a report that does not block
    site = make_site({"content/d1/a.md": _record(1, "第一条正文。"), "content/d1/b.md": late})
    command = [sys.executable, "-m", "generator", "build", "--site", str(site)]
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a pipe is by default
    for body in ("第一条正文。", "第一条正文，改过一次。", "第一条正文，改过两次。"):
        (site / "content/d1/a.md").write_text(_record(1, body), encoding="utf-8")
        ended = subprocess.run(command, capture_output=True, text=True, timeout=300, env=buffered)
        assert ended.returncode == 0, ended.stderr
        assert pagecache.PageCache(site, (site / "build").resolve()).looks_incremental()
        again = run_cli("build", "--site", site)  # nothing changed since: the same report (the shard now taken)
        assert ended.stdout == again.out and ended.stdout.startswith("已生成 ")
        assert _report(ended.stderr) == _report(again.err) and "STL001" in ended.stderr
    assert _files(site / "build") == _clean_build(site, tmp_path / "clean")


def test_a_blocked_incremental_build_keeps_output_and_cache(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": _record(1, "正文。")})
    assert run_cli("build", "--site", site).code == 0
    output, cache = _files(site / "build"), _files(site / ".cache/pages")
    (site / "content/d1/a.md").write_text(_record(1, "密级：机密★5年"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 1
    assert _files(site / "build") == output and _files(site / ".cache/pages") == cache


@pytest.mark.parametrize("settled_ns", [NEVER, 0], ids=["read", "vouched"])
def test_a_body_edited_after_the_check_is_never_published(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, settled_ns: int
) -> None:
    """A record page reads its body when it is rendered, long after the check at a city's scale:
    a file written in between (here: a classified line) stops the build, the output unchanged."""
    from generator import render

    monkeypatch.setattr(checkcache, "SETTLED_NS", settled_ns)
    site = make_site({"content/d1/a.md": _record(1, "第一条正文。"), "content/d1/b.md": _record(2, "第二条正文。")})
    assert run_cli("build", "--site", site).code == 0
    assert run_cli("build", "--site", site).code == 0  # the second check vouches for the files (`vouched`)
    output = _files(site / "build")
    (site / "content/d1/b.md").write_text(_record(2, "第二条正文，已修改。"), encoding="utf-8")
    original = render.render_site

    def edited_meanwhile(*args: object, **kwargs: object) -> object:
        (site / "content/d1/b.md").write_text(_record(2, "密级：机密★5年"), encoding="utf-8")
        return original(*args, **kwargs)

    monkeypatch.setattr(render, "render_site", edited_meanwhile)
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "content/d1/b.md" in result.err and "重新运行" in result.err
    assert _files(site / "build") == output


def test_an_edit_build_reads_back_no_page_it_did_not_render(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search shards' keys take each page's hash as the build placed it: a city's 400,000
    pages are not read back to find the one that changed. (The output scan reads the pages that
    changed: here the edited record's page and the shard's new search bundle.)"""
    site = make_site({f"content/d1/r{i}.md": _record(i, f"第{i}条正文。第二句。") for i in range(1, 6)})
    assert run_cli("build", "--site", site).code == 0
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    read: list[str] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.as_posix()) or original(path))
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert "搜索索引 d1：5 页" in result.err and "未变" not in result.err  # the shard was indexed again
    output = [path.partition("/.build.staging-")[2].split("/", 1)[1] for path in read if "/.build.staging-" in path]
    assert "d1/2026-00002.html" in output
    assert [rel for rel in output if rel != "d1/2026-00002.html" and not rel.startswith("pagefind/")] == []


def _given_to_page(monkeypatch: pytest.MonkeyPatch, template: str) -> list[str]:
    """The pages of `template` given to Renderer.page (keyed one by one) from now on, as they are given."""
    paged: list[str] = []
    page = pages.Renderer.page

    def spied(self: pages.Renderer, path: str, given: str, *args: object, **kwargs: object) -> None:
        if given == template:
            paged.append(path)
        page(self, path, given, *args, **kwargs)

    monkeypatch.setattr(pages.Renderer, "page", spied)
    return paged


def test_an_unchanged_listing_is_placed_whole_and_a_changed_one_paged_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A city's listings have 200,000 pages, and an edit changes a few listings: the pages of a
    listing whose records and heading are as in the last build are placed as that build wrote them,
    not keyed one by one (Renderer.reuse_group). The listings showing the edited record are paged
    again, and a listing page missing from the output is put back: the output is a clean build's."""
    review = "{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2025-03-02}"
    records = {
        f"content/d1/r{i}.md": _record(
            i, f"第{i}条正文。", written="2025-03-01", published=f"2025-03-0{i + 2}", review=review
        )
        for i in range(1, 6)
    }
    records |= {f"content/d1/s{i}.md": _record(i, f"第{i}条正文。") for i in range(6, 9)}
    site = make_site({"site.yaml": SITE_YAML + "page_size: 2\n", **records})
    assert run_cli("build", "--site", site).code == 0
    paged = _given_to_page(monkeypatch, "catalogue.html")
    year_2025 = [urls.year_listing(2025), urls.dept_listing("d1", urls.year_listing(2025))]
    untouched = {
        path
        for base in year_2025 + [urls.current_only(base) for base in year_2025]
        for path in urls.catalogue_pages(base, 3)  # five records, two a page
    }
    assert untouched <= set(_files(site / "build"))

    for step, body in enumerate(["第七条正文，已修改。", "第七条正文，再次修改。"]):
        (site / "content/d1/s7.md").write_text(_record(7, body), encoding="utf-8")
        gone = "" if step else urls.catalogue_page(urls.year_listing(2025), 2)
        if gone:  # a page of an unchanged listing is gone from the output (and no spare holds it yet)
            (site / "build" / gone).unlink()
        paged.clear()
        assert run_cli("build", "--site", site).code == 0
        assert urls.CATALOGUE in paged and urls.year_listing(2026) in paged  # they list the edited record
        assert untouched.intersection(paged) <= {gone}  # placed whole; the page gone is keyed again
        built = _files(site / "build")
        assert built == _clean_build(site, tmp_path / "clean")


def test_a_record_added_pages_again_only_its_departments_listings_and_the_sites_it_is_in(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a city does all day is add records. One added record changes the listings it is in
    and its own department's counts, nothing more: another department's listings and the site's
    listings it is not in are placed whole (no count of the site's shows on a listing page), and
    the output is a clean build's."""
    other = "11530400MB0000002R"
    review = "{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2025-03-02}"
    last_year = {"written": "2025-03-01", "published": "2025-03-03", "review": review}
    site = make_site(
        {
            "site.yaml": SITE_YAML + "page_size: 1\n",
            **{f"content/d1/r{i}.md": _record(i, f"第{i}条正文。") for i in range(1, 3)},
            "content/d1/old.md": record_text("去年的正文。", index_no=f"{DEPT_USCC}/2025-00009", **last_year),
            "content/d2/department.yaml": DEPARTMENT_YAML.replace("测试局", "另一局").replace(DEPT_USCC, other),
            **{
                f"content/d2/x{i}.md": record_text(
                    f"另一局第{i}条正文。", index_no=f"{other}/2026-{i:05d}", publisher="另一局"
                )
                for i in range(1, 3)
            },
        }
    )
    assert run_cli("build", "--site", site).code == 0
    paged = _given_to_page(monkeypatch, "catalogue.html")
    (site / "content/d1/r3.md").write_text(_record(3, "第3条正文。"), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert urls.CATALOGUE in paged and urls.dept_catalogue("d1") in paged  # the listings it is in
    assert urls.dept_listing("d1", urls.year_listing(2025)) in paged  # its department's counts changed
    assert [path for path in paged if path.startswith("d2/")] == []
    assert not {urls.year_listing(2025), urls.current_only(urls.year_listing(2025))} & set(paged)
    assert _files(site / "build") == _clean_build(site, tmp_path / "clean")


def test_an_edit_of_a_body_after_its_first_sentence_pages_no_listing_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing shows a record's public metadata (its summary: the body's first sentence, where it
    gives none), never the rest of its body: an edit there pages no listing again, and the next
    build takes every record's listed form from the last one. Its page is rendered again."""
    records = {f"content/d1/r{i}.md": _record(i, f"第{i}条正文。第二句。") for i in range(1, 6)}
    site = make_site({"site.yaml": SITE_YAML + "page_size: 2\n", **records})
    assert run_cli("build", "--site", site).code == 0
    listings, record_pages = _given_to_page(monkeypatch, "catalogue.html"), _given_to_page(monkeypatch, "record.html")
    hashed: list[str] = []
    listed_form = publicity.listed_form
    monkeypatch.setattr(publicity, "listed_form", lambda r: hashed.append(r.index_no) or listed_form(r))

    (site / "content/d1/r3.md").write_text(_record(3, "第3条正文。第二句，已修改。"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert listings == [] and hashed == [f"{DEPT_USCC}/2026-00003"]
    assert urls.record(_public(site, 3)) in record_pages
    assert _files(site / "build") == _clean_build(site, tmp_path / "clean")

    (site / "content/d1/r3.md").write_text(_record(3, "第3条正文，已修改。第二句。"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert urls.CATALOGUE in listings  # the first sentence is its summary in every listing
    assert _files(site / "build") == _clean_build(site, tmp_path / "clean")


METADATA_TEMPLATES = {
    "catalogue.html",
    "home.html",
    "department.html",
    "guide.html",
    "apply.html",
    "regulations.html",
    "reports.html",
    "report.html",
    "search.html",
}


def _templates_given(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template of every page given to Renderer.page (planned) from now on."""
    given: list[str] = []
    page = pages.Renderer.page

    def spied(self: pages.Renderer, path: str, template: str, *args: object, **kwargs: object) -> None:
        given.append(template)
        page(self, path, template, *args, **kwargs)

    monkeypatch.setattr(pages.Renderer, "page", spied)
    return given


@pytest.mark.parametrize("spare", [True, False], ids=["spare", "no-spare"])
def test_an_edit_that_changes_no_listed_record_places_the_metadata_pages_whole(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spare: bool
) -> None:
    """The catalogue, the portal and department pages, the guides, the reports, the exports and the
    feeds show what is listed of each record, never its body: after an edit that leaves every
    record's listed form as it was, they are placed as the last build made them and not one of them
    is planned (render/metadata_pages.py) — from the spare, or linked from the output when there is
    none. A file of theirs gone from the output, a retitled record, a changed report: they are
    planned again. Each time the output is a clean build's."""
    monkeypatch.setattr(output, "SPARE_SHARE", 0 if spare else 10**9)
    if not spare:  # nor one linked from the output a build replaced none with (output.linked_spare)
        monkeypatch.setattr(output, "linked_spare", lambda *args, **kwargs: None)
    records = {f"content/d1/r{i}.md": _record(i, f"第{i}条正文。第二句。") for i in range(1, 6)}
    records["content/d1/g.md"] = _record(6, "本机关政府信息公开制度。", category="政府信息公开制度")
    site = make_site(
        {
            "site.yaml": SITE_YAML + "page_size: 2\nbase_url: https://example.gov.cn/\n",
            "content/d1/reports/2025.md": REPORT,
            **records,
        }
    )
    assert run_cli("build", "--site", site).code == 0
    assert run_cli("build", "--site", site).code == 0  # the first build that notes them
    given = _templates_given(monkeypatch)
    for step in ["已修改", "再次修改"]:
        (site / "content/d1/r3.md").write_text(_record(3, f"第3条正文。第二句，{step}。"), encoding="utf-8")
        given.clear()
        assert run_cli("build", "--site", site).code == 0
        assert set(given) == {"record.html"}  # the department's record pages: not one metadata page
        assert _files(site / "build") == _clean_build(site, tmp_path / "clean")
        assert step in (site / "build/d1/2026-00003.html").read_text(encoding="utf-8")

    (site / "build" / urls.catalogue_page(urls.CATALOGUE, 2)).unlink()  # by hand, from the served output
    (site / "content/d1/r3.md").write_text(_record(3, "第3条正文。第二句，第三次修改。"), encoding="utf-8")
    given.clear()
    assert run_cli("build", "--site", site).code == 0
    assert ("catalogue.html" in given) is not spare  # the spare still holds it: placed from there
    assert _files(site / "build") == _clean_build(site, tmp_path / "clean")

    for path, before, after, planned in [
        # a title: every page made from the metadata is planned (those not listing it placed by group)
        ("content/d1/r2.md", "关于第2项工作的通知", "关于第2项工作的补充通知", METADATA_TEMPLATES | {"record.html"}),
        # a report's figures: the listings are placed whole by group, the reports' pages rendered
        ("content/d1/reports/2025.md", "permits: 1", "permits: 2", METADATA_TEMPLATES - {"catalogue.html"}),
    ]:
        (site / path).write_text((site / path).read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
        given.clear()
        assert run_cli("build", "--site", site).code == 0
        assert set(given) == planned
        assert _files(site / "build") == _clean_build(site, tmp_path / "clean")


@pytest.mark.parametrize(
    "damaged",
    [None, "key", {"key": "k", "files": ["a"], "pages": "a", "copied": [], "groups": {}}, {"key": 1}],
    ids=["none", "text", "pages-text", "key-number"],
)
def test_the_page_cache_reads_back_the_metadata_pages_or_nothing(tmp_path: Path, damaged: object) -> None:
    """What the metadata pages placed comes back as saved; anything else there (a hand edit, another
    release) reads as nothing noted: they are planned page by page, never a traceback."""
    out = tmp_path / "build"
    out.mkdir()
    files = {"index.html": pagecache.entry("key", pagecache.digest_of(b"x"), 1)}
    noted = pagecache.MetadataPages("key", ["index.html", "a.xml"], ["index.html"], ["a.xml"], {"listing:x": "k"})
    _saved(pagecache.PageCache(tmp_path, out), files, scanned_with="allow", metadata_pages=noted)
    assert pagecache.PageCache(tmp_path, out).metadata_pages == noted
    index = tmp_path / pagecache.CACHE / pagecache.INDEX
    data = json.loads(index.read_text(encoding="utf-8"))
    data["metadata_pages"] = damaged
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cache = pagecache.PageCache(tmp_path, out)
    assert cache.metadata_pages is None and cache.entries == files


def test_a_portal_template_that_reads_a_body_stops_the_build(make_site: MakeSite) -> None:
    """The portal, like a listing, is given its records as rows (catalogue.Row): a site's own
    home.html that read a body there would show it stale once the portal is placed whole. It is an
    error naming the template (exit 2), and the output stays the last build's."""
    site = make_site({"content/d1/r1.md": _record(1, "第1条正文。")})
    assert run_cli("build", "--site", site).code == 0
    before = tree_hash(site / "build")
    home = (REPO / "layouts/home.html").read_text(encoding="utf-8")
    (site / "layouts").mkdir(exist_ok=True)
    (site / "layouts/home.html").write_text(
        home.replace("{% endblock %}", "{{ newest[0].body.read() }}{% endblock %}", 1), encoding="utf-8"
    )
    result = run_cli("build", "--site", site)
    assert result.code == 2
    assert "layouts/home.html" in result.err and "没有正文" in result.err
    assert "Traceback" not in result.err
    assert tree_hash(site / "build") == before


def test_a_listing_template_that_reads_a_body_stops_the_build(make_site: MakeSite) -> None:
    """A listing is keyed by its records' metadata: a site's own template that showed a body there
    would go stale after an edit. It is an error naming the template's file and line (exit 2), and
    the output stays the last build's."""
    site = make_site({"content/d1/r1.md": _record(1, "第1条正文。")})
    assert run_cli("build", "--site", site).code == 0
    before = tree_hash(site / "build")
    macros = (REPO / "layouts/_macros.html").read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(macros.splitlines(), 1) if "record.doc_no or" in text)
    (site / "layouts").mkdir(exist_ok=True)
    (site / "layouts/_macros.html").write_text(
        macros.replace("{{ record.doc_no or ('无' if record.full else '—') }}", "{{ record.body.read() }}"),
        encoding="utf-8",
    )
    result = run_cli("build", "--site", site)
    assert result.code == 2
    assert f"layouts/_macros.html 第 {line} 行" in result.err and "没有正文" in result.err
    assert "Traceback" not in result.err
    assert tree_hash(site / "build") == before


def _public(site: Path, serial: int) -> publicity.PublicRecord:
    config, _ = load_config(site)
    loaded, _ = load.load_site(config)
    return next(r for r in publicity.select(loaded).records if r.index_no.endswith(f"{serial:05d}"))


def test_a_records_listed_form_is_every_public_field_but_its_body() -> None:
    """What a listing or an export may show of a record is in its listed form: a change of any
    field but the body changes it, one of the body alone does not."""
    base = publicity.PublicRecord(
        "d1", f"{DEPT_USCC}/2026-00001", "通知", ["测试局"], None, None, "主动公开", True, summary="摘要"
    )
    form = publicity.listed_form(base)
    changed = {
        "dept": "d2", "index_no": f"{DEPT_USCC}/2026-00002", "title": "公告", "publisher": ["另一局"],
        "written": dt.date(2026, 1, 2), "published": dt.datetime(2026, 1, 3, 9), "publicity": "依申请公开",
        "full": False, "category": "政策文件", "doc_type": "通知", "topic": "综合政务", "doc_no": "测发〔2026〕1号",
        "status": "已废止", "status_date": dt.date(2026, 2, 1), "changed": dt.date(2026, 2, 2), "summary": "另一摘要",
        "keywords": ["关键词"], "attachments": [("附件.pdf", Path("/site/content/d1/附件.pdf"))],
        "source": Path("/site/content/d1/r1.md"), "superseded_by": "x", "interprets": "y", "interpreted_by": ["z"],
    }  # fmt: skip
    assert sorted(changed) == sorted(publicity.LISTED_FIELDS)
    for name, value in changed.items():
        assert publicity.listed_form(dataclasses.replace(base, **{name: value})) != form, name
    body = publicity.PublicBody(40, ("r2.md",), text="正文。")
    assert publicity.listed_form(dataclasses.replace(base, body=body, made_from=b"x" * 32)) == form


def test_a_damaged_list_of_listed_forms_is_not_taken(tmp_path: Path) -> None:
    """listed.bin gives back the pairs saved; one changed byte, or another release's, and none."""
    out = tmp_path / "build"
    pairs = {bytes([n]) * pagecache.FORM_SIZE: bytes([n + 1]) * pagecache.FORM_SIZE for n in range(3)}
    _saved(
        pagecache.PageCache(tmp_path, out), {}, scanned_with="allow", listed=b"".join(k + v for k, v in pairs.items())
    )
    assert pagecache.PageCache(tmp_path, out).listed() == pairs
    saved = tmp_path / pagecache.CACHE / pagecache.LISTED
    data = bytearray(saved.read_bytes())
    data[-1] ^= 1
    saved.write_bytes(bytes(data))
    assert pagecache.PageCache(tmp_path, out).listed() == {}


def test_a_departments_record_pages_are_placed_whole_until_one_shows_something_new(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A department's record pages of one year are a group: when no record they show changed (their
    own, the records they supersede, interpret or are interpreted by) and every link in their bodies
    points where it did, they are placed as the last build wrote them, not keyed one by one. What
    another department's record changes shows on these pages, and the output is a clean build's."""
    other = "11530400MB0000002R"

    def d2(serial: int, body: str, **meta: object) -> str:
        return record_text(body, index_no=f"{other}/2026-{serial:05d}", publisher="另一局", **meta)

    site = make_site(
        {
            **{f"content/d1/r{i}.md": _record(i, f"第{i}条正文。") for i in range(1, 4)},
            "content/d1/old.md": record_text(  # another year's pages of d1 are a group of their own
                "去年的正文。",
                index_no=f"{DEPT_USCC}/2025-00009",
                title="去年的通知",
                written="2025-03-01",
                published="2025-03-03",
                review="{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2025-03-02}",
            ),
            "content/d2/department.yaml": DEPARTMENT_YAML.replace("测试局", "另一局").replace(DEPT_USCC, other),
            "content/d2/x.md": d2(1, "见[第二项](../d1/r2.md)。", title="关于引用第二项的通知"),
            "content/d2/y.md": d2(
                2, "第一项的解读。", title="第一项的解读", doc_type="政策解读", interprets=f"{DEPT_USCC}/2026-00001"
            ),
        }
    )
    assert run_cli("build", "--site", site).code == 0
    paged = _given_to_page(monkeypatch, "record.html")

    def rebuilt() -> list[str]:
        paged.clear()
        assert run_cli("build", "--site", site).code == 0
        keyed = sorted(paged)
        assert _files(site / "build") == _clean_build(site, tmp_path / "clean")
        return keyed

    d1_pages = [f"d1/2026-{i:05d}.html" for i in range(1, 4)]  # not d1/2025-00009.html
    x_page, r1_page = site / "build/d2/2026-00001.html", site / "build/d1/2026-00001.html"
    (site / "content/d1/r3.md").write_text(_record(3, "第3条正文，已修改。"), encoding="utf-8")
    assert rebuilt() == d1_pages  # d2's pages placed whole
    assert 'href="../d1/2026-00002.html"' in x_page.read_text(encoding="utf-8")

    # x's link now points nowhere (r2 is no longer published in full), though x itself did not change
    (site / "content/d1/r2.md").write_text(
        _record(2, "第2条正文。", publicity="依申请公开", withhold_reason="《中华人民共和国政府信息公开条例》第十六条"),
        encoding="utf-8",
    )
    assert "d2/2026-00001.html" in rebuilt()
    assert "2026-00002.html" not in x_page.read_text(encoding="utf-8")

    # the 解读 of r1 in d2 is retitled: r1's page, which names it, is keyed again though r1 did not change
    y = site / "content/d2/y.md"
    y.write_text(y.read_text(encoding="utf-8").replace("第一项的解读", "第一项的政策解读"), encoding="utf-8")
    assert "d1/2026-00001.html" in rebuilt()
    assert "第一项的政策解读" in r1_page.read_text(encoding="utf-8")

    # … and r1, which the 解读 names, is retitled: the 解读's page in d2 is keyed again
    r1 = site / "content/d1/r1.md"
    r1.write_text(
        r1.read_text(encoding="utf-8").replace("关于第1项工作的通知", "关于第1项工作的决定"), encoding="utf-8"
    )
    assert "d2/2026-00002.html" in rebuilt()
    assert "关于第1项工作的决定" in (site / "build/d2/2026-00002.html").read_text(encoding="utf-8")


def test_a_page_key_never_takes_the_form_of_an_object_that_is_gone() -> None:
    """The renderer's memo keys forms by object id, and CPython gives a freed object's id to the
    next one: a pager made for one page and freed must not lend its form to the next page's."""

    @dataclass
    class Pager:
        number: int

    memo = pagecache.Memo()
    keys, ids = set(), set()
    for number in range(200):
        pager = Pager(number)
        ids.add(id(pager))
        keys.add(pagecache.fingerprint("page", pager, memo=memo))
        del pager
    assert len(ids) < 200  # ids were reused
    assert len(keys) == 200 and not memo.forms  # each page its own key; nothing kept once gone


def test_a_page_key_is_the_same_in_every_process() -> None:
    """A page whose inputs did not change is not rendered again, and a cluster worker plans the pages
    the machine that started the build planned: so the settings every page's key takes in (site.yaml
    as parsed, with the line of each key) must hash to the same key in another process."""
    code = (
        "from pathlib import Path; from generator import pagecache; from generator.config import load_config; "
        f"print(pagecache.fingerprint(load_config(Path({str(REPO)!r}))[0]))"
    )
    keys = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout for _ in "ab"
    }
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


@pytest.mark.parametrize("count", [0, 1, 5])
def test_the_page_cache_reads_back_what_it_saved_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """index.json is written a batch of files at a time (here 2): every entry comes back, and every group's key."""
    monkeypatch.setattr(pagecache, "SAVE_BATCH", 2)
    out = tmp_path / "build"
    files = {
        f"部门{n}/页 {n}.html": pagecache.entry(f"key{n}", pagecache.digest_of(bytes([n])), n) for n in range(count)
    }
    groups = {f"listing:部门{n}/catalogue/index.html": f"key{n}" for n in range(count)}
    _saved(pagecache.PageCache(tmp_path, out), files, scanned_with="allow", groups=groups)
    cache = pagecache.PageCache(tmp_path, out)
    assert cache.entries == files and cache.scanned_with == "allow" and cache.groups == groups


def test_the_page_cache_writes_output_paths_without_falling_back_to_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most paths a build places are urls.OutputPath (a subclass of str), which orjson refuses as a
    key unless told; the json module it fell back to took 20 times as long for a city's 650,000
    paths. Written as their text, they read back as the same paths."""
    out = tmp_path / "build"
    files = {urls.OutputPath(f"d1/2026-{n:05d}.html"): pagecache.entry(f"key{n}", "", n) for n in range(3)}

    def refused(*args: object, **kwargs: object) -> str:
        raise AssertionError("json.dumps used")

    monkeypatch.setattr(jsontext.json, "dumps", refused)
    _saved(pagecache.PageCache(tmp_path, out), files, scanned_with="allow")
    assert pagecache.PageCache(tmp_path, out).entries == {str(rel): e for rel, e in files.items()}


@pytest.mark.parametrize("damaged", [["key", "digest"], {"key": "k"}, "key", None])
def test_a_page_cache_with_a_damaged_entry_is_not_taken(tmp_path: Path, damaged: object) -> None:
    """index.json's entries are kept as its reader gives them: one of another shape (a hand edit, a
    file of another release) leaves the cache unread — the next build is a full one — never a
    traceback halfway through the render."""
    out = tmp_path / "build"
    out.mkdir()
    files = {f"页{n}.html": pagecache.entry(f"key{n}", pagecache.digest_of(bytes([n])), n) for n in range(3)}
    _saved(pagecache.PageCache(tmp_path, out), files, scanned_with="allow")
    assert pagecache.PageCache(tmp_path, out).incremental
    index = tmp_path / pagecache.CACHE / pagecache.INDEX
    data = json.loads(index.read_text(encoding="utf-8"))
    data["files"]["页1.html"] = damaged
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cache = pagecache.PageCache(tmp_path, out)
    assert cache.entries == {} and not cache.incremental


def test_a_page_cache_left_beside_the_output_is_taken_only_for_the_folder_it_was_written_for(
    tmp_path: Path,
) -> None:
    """index.next.json is what a build stopped at its swap left (output.staging): the page cache of
    the output in place when it names that folder (stopped after the swap), else nothing to take
    (stopped before it, or the output is gone since): removed, and index.json decides."""
    out = tmp_path / "build"
    out.mkdir()
    files = {f"页{n}.html": pagecache.entry(f"key{n}", pagecache.digest_of(bytes([n])), n) for n in range(3)}
    left = tmp_path / pagecache.CACHE / pagecache.NEXT

    def read() -> pagecache.PageCache:
        cache = pagecache.PageCache(tmp_path, out, deferred=True)
        cache.recover()
        cache.read()
        return cache

    stopped = pagecache.PageCache(tmp_path, out)
    stopped.keep(scanned_with="allow")
    assert stopped.save(files, None, os.stat(out).st_ino) and left.exists()
    assert read().entries == files and not left.exists()  # taken: it is index.json now
    stopped.keep(scanned_with="another")
    stopped.save({}, None, os.stat(out).st_ino + 1)  # for a folder never swapped in
    cache = read()
    assert cache.entries == files and cache.scanned_with == "allow" and not left.exists()
    stopped.save({}, None, os.stat(out).st_ino)
    out.rmdir()
    assert not read().incremental and not left.exists()


def test_whether_a_build_is_incremental_is_told_from_the_page_caches_first_bytes(tmp_path: Path) -> None:
    """A build reads its page cache while its check walks the folders (pipeline.build), so it first
    tells from index.json's head whether the previous output is one this release described: the
    answer `read` gives, unless what follows the head is damaged (then it reads nothing)."""
    out = tmp_path / "build"
    out.mkdir()
    files = {f"页{n}.html": pagecache.entry(f"key{n}", pagecache.digest_of(bytes([n])), n) for n in range(3)}
    cache = pagecache.PageCache(tmp_path, out, deferred=True)
    assert not cache.looks_incremental() and cache.entries == {}  # nothing saved yet, nothing read
    _saved(cache, files, scanned_with="allow")
    cache = pagecache.PageCache(tmp_path, out, deferred=True)
    assert cache.looks_incremental() and cache.entries == {}
    cache.read()
    assert cache.incremental and cache.entries == files
    assert not pagecache.PageCache(tmp_path, tmp_path / "elsewhere", deferred=True).looks_incremental()
    index = tmp_path / pagecache.CACHE / pagecache.INDEX
    whole = index.read_bytes()
    index.write_bytes(whole.replace(pagecache.product().encode(), b"0" * 64, 1))  # another release's
    assert not pagecache.PageCache(tmp_path, out, deferred=True).looks_incremental()
    index.write_bytes(whole[:-20])  # cut short after its head
    cache = pagecache.PageCache(tmp_path, out, deferred=True)
    assert cache.looks_incremental()
    cache.read()
    assert not cache.incremental and cache.entries == {}
    shutil.rmtree(out)
    assert not pagecache.PageCache(tmp_path, out, deferred=True).looks_incremental()


def test_a_build_whose_page_cache_is_cut_short_after_its_head_builds_in_full(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site({f"content/d1/r{i}.md": _record(i, f"第{i}条正文。") for i in range(1, 3)})
    assert run_cli("build", "--site", site).code == 0
    index = site / pagecache.CACHE / pagecache.INDEX
    index.write_bytes(index.read_bytes()[:-20])
    (site / "content/d1/r1.md").write_text(_record(1, "第1条正文，已修改。"), encoding="utf-8")
    _assert_same_as_clean(site, tmp_path)
    assert pagecache.PageCache(site, (site / "build").resolve()).incremental  # noted again, whole


def _rows_encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The export rows encoded from now on, named by their encoder (exports.json_row or csv_row)."""
    encoded: list[str] = []
    for name in ("json_row", "csv_row"):
        original = getattr(exports, name)
        monkeypatch.setattr(exports, name, lambda *a, _o=original, _n=name: encoded.append(_n) or _o(*a))
    return encoded


def test_an_edit_of_a_body_does_not_write_the_site_wide_exports_again(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """catalogue.json and catalogue.csv list every record of a city (hundreds of MB): they are
    written again only when a row of them changed, not for an edit of a body after its first
    sentence (a record without a summary is listed with that sentence), and then only that row is
    encoded again, the others copied from the previous file (render/exportrows.py)."""
    site = make_site({f"content/d1/r{i}.md": _record(i, f"第{i}条正文。第二句。") for i in range(1, 4)})
    assert run_cli("build", "--site", site).code == 0
    encoded = _rows_encoded(monkeypatch)
    export = site / "build" / urls.CATALOGUE_JSON
    before = export.stat().st_ino

    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert encoded == [] and export.stat().st_ino == before

    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句。", summary="新的摘要"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert sorted(encoded) == ["csv_row", "json_row"]  # of that record alone
    assert "新的摘要" in export.read_text(encoding="utf-8")


def test_a_record_added_encodes_its_own_export_rows_and_the_scan_reads_them(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exports after an add equal a clean build's; the other rows are copied, and the output
    scan is told which byte ranges were (they were scanned in the previous output, with the same
    allow list). The new row is scanned: a mobile number in it alone stops the build."""
    site = make_site({f"content/d1/r{i}.md": _record(i, f"第{i}条正文。") for i in range(1, 4)})
    assert run_cli("build", "--site", site).code == 0
    encoded = _rows_encoded(monkeypatch)
    told: dict[str, list[tuple[int, int]]] = {}
    guard = secrecy.guard
    monkeypatch.setattr(secrecy, "guard", lambda *a: told.update(a[-1]) or guard(*a))

    (site / "content/d1/r4.md").write_text(_record(4, "第4条正文。"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert sorted(encoded) == ["csv_row", "json_row"]
    for name in (urls.CATALOGUE_JSON, urls.CATALOGUE_CSV):
        data = (site / "build" / name).read_bytes()
        assert "第4项".encode() not in b"".join(data[start:end] for start, end in told[name])
        assert sum(data[start:end].count("关于第".encode()) for start, end in told[name]) == 3  # the rows kept
    monkeypatch.undo()
    clean = _clean_build(site, tmp_path / "clean")
    assert _files(site / "build") == clean

    csv_row = exports.csv_row
    planted = lambda item: csv_row(item).replace("第5项工作", "第5项工作139-5708-6421", 1)  # noqa: E731
    monkeypatch.setattr(exports, "csv_row", planted)
    before = tree_hash(site / "build")
    (site / "content/d1/r5.md").write_text(_record(5, "第5条正文。"), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 1
    line = re.search(rf"build/{urls.CATALOGUE_CSV}:(\d+)\s+生成的输出中", result.err)
    assert line is not None, result.err
    assert tree_hash(site / "build") == before
    monkeypatch.undo()
    assert run_cli("build", "--site", site).code == 0
    lines = (site / "build" / urls.CATALOGUE_CSV).read_bytes().decode("utf-8").split("\r\n")
    assert "第5项" in lines[int(line[1]) - 1]  # the finding names the line of the new row


def test_an_export_table_that_does_not_describe_the_file_in_place_is_not_used(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are copied only from the file the saved table describes: a table of another file
    (left by a build whose output was not swapped in) or one cut short is not used, and every row
    is encoded again."""
    site = make_site({f"content/d1/r{i}.md": _record(i, f"第{i}条正文。") for i in range(1, 3)})
    assert run_cli("build", "--site", site).code == 0
    table = site / ".cache/exports" / f"{urls.CATALOGUE_CSV}.rows"
    earlier = table.read_bytes()
    (site / "content/d1/r3.md").write_text(_record(3, "第3条正文。"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 0
    encoded = _rows_encoded(monkeypatch)
    for n, damage in ((4, lambda: table.write_bytes(earlier)), (5, lambda: table.write_bytes(table.read_bytes()[:-8]))):
        damage()
        (site / f"content/d1/r{n}.md").write_text(_record(n, f"第{n}条正文。"), encoding="utf-8")
        assert run_cli("build", "--site", site).code == 0
        assert encoded.count("csv_row") == n and encoded.count("json_row") == 1  # the JSON's table was kept
        encoded.clear()
    monkeypatch.undo()
    assert _files(site / "build") == _clean_build(site, tmp_path / "clean")


def test_a_key_hashes_values_not_which_of_them_are_one_object() -> None:
    """The same text read from the file and from the check cache (whose reader shares equal texts)
    is one object in one build and two in the next: the page's key must not tell them apart."""
    one = "一、总体情况"
    other = "".join(["一、", "总体情况"])
    assert one == other and one is not other

    @dataclass
    class Part:
        title: str
        also: str

    assert pagecache.fingerprint((one, one)) == pagecache.fingerprint((one, other))
    assert pagecache.fingerprint(Part(one, one)) == pagecache.fingerprint(Part(one, other))
    assert pagecache.fingerprint((one, one)) != pagecache.fingerprint((one, "二、主动公开情况"))


def test_a_key_sees_every_field_of_a_dataclass_inside_another() -> None:
    """A record's body (a dataclass among the record's fields) is written out inside the record's
    form: any change of it changes the key, it is not taken for a list of the same values, and
    whether its own form was asked for before (by another page) does not change the record's."""

    @dataclass
    class Body:
        length: int
        links: tuple[str, ...]

    @dataclass
    class Record:
        title: str
        body: object

    body = Body(12, ("r2.md",))
    key = pagecache.fingerprint(Record("通知", body))
    assert key != pagecache.fingerprint(Record("通知", Body(12, ("r3.md",))))
    assert key != pagecache.fingerprint(Record("通知", Body(13, ("r2.md",))))
    assert key != pagecache.fingerprint(Record("通知", [Body.__qualname__, 12, ("r2.md",)]))
    assert key != pagecache.fingerprint(Record("通知", (Body.__qualname__, 12, ("r2.md",))))
    memo = pagecache.Memo()
    pagecache.fingerprint(body, memo=memo)
    assert pagecache.fingerprint(Record("通知", body), memo=memo) == key


def _placed_anew(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output paths builds place anew from now on (rendered or copied), not from the previous output."""
    placed: list[str] = []
    reuse = output.Output.reuse

    def counted(self: output.Output, rel: str, key: str, checked: bool = False) -> bool:
        reused = reuse(self, rel, key, checked)
        if not reused:
            placed.append(rel)
        return reused

    monkeypatch.setattr(output.Output, "reuse", counted)
    return placed


def test_a_site_checked_out_at_another_path_with_its_caches_renders_no_page_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI runner whose workspace path changes from job to job (GitLab's concurrent builds, a
    Jenkins workspace@2) restores .cache/ and build/ into a fresh checkout elsewhere: the build there
    is as incremental as on the first machine. (The page cache named its output by its absolute
    path, and page keys held the site's path and its attachments' paths: such a build rendered and
    scanned every page again, 79 s instead of 8 at 20,000 records.)"""
    first = make_site(_linked_records())
    assert run_cli("build", "--site", first).code == 0
    elsewhere = tmp_path / "another-workspace" / "site"
    shutil.copytree(first, elsewhere, symlinks=True)  # checkout and caches, not the spare's hard links

    rendered = _placed_anew(monkeypatch)
    keyed: list[object] = []  # a search shard keyed again from its pages: its inputs were not recognised
    key = index.docs.key
    monkeypatch.setattr(index.docs, "key", lambda *args: keyed.append(args) or key(*args))
    assert run_cli("build", "--site", elsewhere).code == 0
    # copies keyed by their source's inode are copied again: pages only
    assert [rel for rel in rendered if rel.endswith(".html")] == [] and keyed == []
    assert _files(elsewhere / "build") == _files(first / "build")


def test_the_build_after_a_cold_build_renders_no_page_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo site, built cold (its records read from their files) and then again with nothing
    changed (read from the check cache): every page, chart and Word report is taken from the first
    build. (The annual reports' pages were rendered again: their section titles were one object or
    two depending on where they were read from, and pickle told the two apart.)"""
    site = tmp_path / "demo"
    for name in ("content", "layouts"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    assert run_cli("build", "--site", site).code == 0

    rendered = _placed_anew(monkeypatch)
    assert run_cli("build", "--site", site).code == 0
    assert rendered == []

    record = next(p for p in sorted((site / "content").rglob("*.md")) if "publicity: 主动公开" in p.read_text("utf-8"))
    with record.open("a", encoding="utf-8") as body:
        body.write("\n补充一句。\n")
    assert run_cli("build", "--site", site).code == 0
    assert rendered  # the edited record's pages (the count is how the test sees a render)
