"""The spare: the output a build replaced, kept beside the new one and staged again by the next
build, so an edit build begins with every unchanged page already in place (generator/output.py).
Its files are the served output's own (hard links): whatever happens to a build staged from it,
the served output must not change by a byte, and what it publishes is what a clean build would."""

from __future__ import annotations

import errno
import os
import shutil
import tarfile
from pathlib import Path
from typing import Callable

import pytest

from conftest import DEPT_USCC, record_text, run_cli
from generator import index, output, pagecache

MakeSite = Callable[..., Path]


@pytest.fixture(autouse=True)
def _listed_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The staging folder is listed in another process as a city's is (Output.list_meanwhile), not
    only past output.APART files."""
    monkeypatch.setattr(output, "APART", 0)


def _spare(site: Path) -> Path:
    (spare,) = site.glob(f".build{output.SPARE}*")
    return spare


def _record(serial: int, body: str) -> str:
    return record_text(body, index_no=f"{DEPT_USCC}/2026-{serial:05d}", title=f"关于第{serial}项工作的通知")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(site: Path) -> None:
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err


def _linked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files a build links from the previous output, as it links them."""
    linked: list[str] = []
    original = output._link
    monkeypatch.setattr(
        output, "_link", lambda previous, target: linked.append(target.name) or original(previous, target)
    )
    return linked


def _clean(site: Path, where: Path) -> dict[str, bytes]:
    """A full build of the same sources elsewhere, sharing the search cache (Pagefind's bundles
    are not byte-for-byte the same when indexed twice)."""
    where.mkdir()
    shutil.copytree(site / "content", where / "content")
    shutil.copy(site / "site.yaml", where / "site.yaml")
    shutil.copytree(site / ".cache/search", where / ".cache/search")
    _build(where)
    return _files(where / "build")


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """A site built twice: the second build kept the first's output as the spare."""
    built = make_site({f"content/d1/r{i}.md": _record(i, f"第{i}条正文。第二句。") for i in range(1, 6)})
    _build(built)
    _build(built)
    assert _spare(built).is_dir()
    return built


def test_an_edit_build_links_only_what_changed_and_publishes_what_a_clean_build_would(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    linked = _linked(monkeypatch)
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(site)
    # the previous build changed nothing, so nothing needed bringing up to date; the unchanged
    # record pages were in place already (a build without the spare links every one of them)
    assert not {f"2026-0000{i}.html" for i in (1, 3, 4, 5)} & set(linked)
    assert _files(site / "build") == _clean(site, tmp_path / "clean")
    behind = pagecache.PageCache(site, (site / "build").resolve()).spare
    assert behind is not None and "d1/2026-00002.html" in behind.behind

    (site / "content/d1/r6.md").write_text(_record(6, "新增的记录。"), encoding="utf-8")  # add
    (site / "content/d1/r3.md").unlink()  # and delete, staged from a spare one edit behind
    _build(site)
    assert _files(site / "build") == _clean(site, tmp_path / "clean-2")
    assert not (site / "build/d1/2026-00003.html").exists()


def _same_files(a: Path, b: Path) -> bool:
    """Whether the folders `a` and `b` hold the same files, each one file in both (a hard link)."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    if names != {p.relative_to(b) for p in b.rglob("*") if p.is_file()}:
        return False
    return all(os.path.samefile(a / name, b / name) for name in names)


def test_a_cold_build_keeps_a_spare_so_the_first_edit_build_links_nothing_unchanged(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build has no output to keep as the spare: it links its own output as one, so a clerk's
    first edit after it begins, as every later one does, with the unchanged pages in place."""
    built = make_site({f"content/d1/r{i}.md": _record(i, f"第{i}条正文。第二句。") for i in range(1, 6)})
    _build(built)
    assert _same_files(_spare(built), built / "build")
    linked = _linked(monkeypatch)
    (built / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(built)
    assert not {f"2026-0000{i}.html" for i in (1, 3, 4, 5)} & set(linked)
    assert _files(built / "build") == _clean(built, tmp_path / "clean")


def test_a_spare_that_cannot_be_linked_is_left_out_and_the_build_succeeds(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the output's files cannot be linked (a file system without hard links, too many links),
    the build still succeeds and leaves no half-made spare; the next build links the output anew."""
    built = make_site({f"content/d1/r{i}.md": _record(i, f"第{i}条正文。第二句。") for i in range(1, 4)})

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EMLINK, os.strerror(errno.EMLINK))

    monkeypatch.setattr(output.os, "link", refused)
    _build(built)
    assert not list(built.glob(f".build{output.SPARE}*"))
    assert pagecache.PageCache(built, (built / "build").resolve()).spare is None
    monkeypatch.undo()
    (built / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(built)
    assert _files(built / "build") == _clean(built, tmp_path / "clean")


def test_a_build_stopped_while_it_links_the_spare_leaves_the_output_and_its_cache_as_they_were(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spare of a build that keeps none is linked before the swap: Ctrl+C then (at 200,000
    records it takes seconds) leaves the served output and the page cache as they were, so the next
    build is still an edit build, and its output a clean build's."""
    served, index = _files(site / "build"), (site / pagecache.CACHE / "index.json").read_bytes()
    monkeypatch.setattr(output, "SPARE_SHARE", 10**9)  # this build keeps no spare: it links one

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "linked_spare", stopped)
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 2
    assert _files(site / "build") == served
    assert (site / pagecache.CACHE / "index.json").read_bytes() == index
    monkeypatch.undo()
    linked = _linked(monkeypatch)
    _build(site)  # the spare went with the stopped build: the unchanged pages linked from the output
    assert {f"2026-0000{i}.html" for i in (1, 3, 4, 5)} <= set(linked)
    assert _files(site / "build") == _clean(site, tmp_path / "clean")


def _stopped_at_the_swap(monkeypatch: pytest.MonkeyPatch, after: bool) -> None:
    """Ctrl+C just before the swap, or just after it (before anything else the build does)."""
    swap = output.swap_in

    def stopped(stage: Path, out: Path, trash: Path | None = None, spare: Path | None = None) -> None:
        if after:
            swap(stage, out, trash, spare)
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "swap_in", stopped)


@pytest.mark.parametrize("after", [False, True], ids=["before", "after"])
def test_a_build_stopped_at_its_swap_leaves_the_page_cache_of_the_output_in_place(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: bool
) -> None:
    """A build saves its page cache beside the old one before the swap, and renames it after: a
    build stopped on either side leaves the page cache of the output in place, so the next build
    is still an edit build (at 200,000 records a full one takes 25 minutes), and its output a
    clean build's. Before, the old cache was deleted before the swap and the new one written
    after it: stopped in those seconds, the next build was a full one."""
    served = _files(site / "build")
    index = (site / pagecache.CACHE / pagecache.INDEX).read_bytes()
    _stopped_at_the_swap(monkeypatch, after)
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    assert run_cli("build", "--site", site).code == 2
    if after:
        assert "已修改" in (site / "build/d1/2026-00002.html").read_text(encoding="utf-8")
    else:
        assert _files(site / "build") == served
        assert (site / pagecache.CACHE / pagecache.INDEX).read_bytes() == index
    monkeypatch.undo()
    unchanged = site / "build/d1/2026-00001.html"
    inode = unchanged.stat().st_ino
    (site / "content/d1/r3.md").write_text(_record(3, "第3条正文。第二句，已修改。"), encoding="utf-8")
    _build(site)
    assert unchanged.stat().st_ino == inode  # placed as it was, not rendered again: an edit build
    assert not (site / pagecache.CACHE / pagecache.NEXT).exists()
    assert _files(site / "build") == _clean(site, tmp_path / "clean")


def test_a_build_from_the_spare_that_fails_leaves_the_served_output_as_it_was(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page of the edited record is rendered into the staging folder over the spare's file,
    which is the served output's file too: it must be replaced by a new file, never written
    through. Here the disk fills up after the pages are written."""
    served = _files(site / "build")
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")

    def disk_full(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "pagefind")

    monkeypatch.setattr(index, "build_index", disk_full)
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "磁盘空间不足" in result.err
    assert _files(site / "build") == served
    monkeypatch.undo()
    _build(site)  # the spare went with the failed build: a build linking from the output
    assert _files(site / "build") == _clean(site, tmp_path / "clean")
    assert _spare(site).is_dir()


def test_a_spare_no_cache_describes_is_discarded(site: Path, tmp_path: Path) -> None:
    """A folder beside the output named like a spare but not the one the page cache recorded
    (a copy, another release's, a killed build's) is discarded, never staged."""
    genuine = _spare(site)
    copy = genuine.with_name(f".build{output.SPARE}0123456789abcdef")
    shutil.copytree(genuine, copy)
    (copy / "stray.html").write_text("不该发布的内容", encoding="utf-8")
    genuine.rename(genuine.with_name(f".build{output.SPARE}fedcba9876543210"))
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(site)
    assert _files(site / "build") == _clean(site, tmp_path / "clean")
    assert not copy.exists() and len(list(site.glob(f".build{output.SPARE}*"))) == 1


def _restored_elsewhere(site: Path, where: Path, keep_links: bool) -> Path:
    """The site as a CI job gets it: checked out afresh at `where`, and .cache/, the output and its
    spare restored from one archive (actions/cache's tar keeps the hard links between the output
    and its spare), or with the spare copied file by file (`keep_links` False)."""
    where.mkdir(parents=True)
    shutil.copytree(site / "content", where / "content")
    shutil.copy(site / "site.yaml", where / "site.yaml")
    archive = where.parent / "ci-cache.tar"
    with tarfile.open(archive, "w") as tar:
        for name in (".cache", "build", _spare(site).name):
            tar.add(site / name, arcname=name)
    with tarfile.open(archive) as tar:
        tar.extractall(where, filter="tar")
    if not keep_links:
        copied = _spare(where)
        shutil.rmtree(copied)
        shutil.copytree(_spare(site), copied)
    return where


@pytest.mark.parametrize("keep_links", [True, False], ids=["archived", "copied"])
def test_a_spare_restored_with_the_output_is_staged_only_when_it_holds_the_outputs_files(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_links: bool
) -> None:
    """Restored, the spare is another folder (the page cache's inode is not its own): it is staged
    when each of its files is still the output's own (the archive kept the hard links), and an edit
    build then links no unchanged page; a copy is discarded, and every page is linked anew. Either
    way the output is a clean build's."""
    restored = _restored_elsewhere(site, tmp_path / "ci" / "site", keep_links)
    recorded = pagecache.PageCache(restored, (restored / "build").resolve()).spare
    assert recorded is not None and os.lstat(_spare(restored)).st_ino != recorded.inode
    linked = _linked(monkeypatch)
    (restored / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(restored)
    unchanged = {f"2026-0000{i}.html" for i in (1, 3, 4, 5)}
    assert (unchanged & set(linked)) == (set() if keep_links else unchanged)
    assert _files(restored / "build") == _clean(restored, tmp_path / "clean")


def test_nothing_but_this_builds_files_is_published_from_the_spare(site: Path, tmp_path: Path) -> None:
    """Whatever else is found in the spare is removed before the output scan and the swap; a
    symbolic link there (a build makes none) stops the build with the output unchanged."""
    spare = _spare(site)
    (spare / "stray.html").write_text("不该发布的内容", encoding="utf-8")
    (spare / "d1/stray").mkdir()
    (spare / "d1/stray/page.html").write_text("不该发布的内容", encoding="utf-8")
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(site)
    published = _files(site / "build")
    assert published == _clean(site, tmp_path / "clean")
    assert not (site / "build/d1/stray").exists()

    served = _files(site / "build")
    (_spare(site) / "d1/link.html").symlink_to(site / "content/d1/r1.md")
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。再次修改。"), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "符号链接" in result.err
    assert _files(site / "build") == served
    _build(site)
    assert _files(site / "build") == _clean(site, tmp_path / "clean-2")


@pytest.mark.parametrize(
    "lister",
    [
        "import sys\nsys.exit(1)\n",  # exits at once
        # a few names of a longer answer, as when the process is killed while it writes
        "import os\nos.write(1, (10**6).to_bytes(8, 'big') + b'index.html')\nos._exit(0)\n",
    ],
    ids=["fails", "cut short"],
)
def test_a_build_whose_listing_process_fails_lists_the_staging_folder_itself(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lister: str
) -> None:
    """The staging folder is listed in another process while the pages are rendered; should that
    process fail, or its answer arrive cut short, the build lists the folder itself and publishes
    the same (a listing taken cut short stopped the build on a file the spare seemed to lack)."""
    monkeypatch.setattr(output, "LISTER", lister)
    (_spare(site) / "stray.html").write_text("不该发布的内容", encoding="utf-8")
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(site)
    assert _files(site / "build") == _clean(site, tmp_path / "clean")


def test_a_page_removed_from_the_spare_by_hand_is_published_all_the_same(site: Path, tmp_path: Path) -> None:
    """An unchanged page is taken from the spare on the page cache's word, without looking at its
    file: one removed from the spare meanwhile is placed again from the served output; removed
    from both, the build stops with the output as it was, and the next one renders it again."""
    (_spare(site) / "d1/2026-00003.html").unlink()
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(site)
    assert _files(site / "build") == _clean(site, tmp_path / "clean")

    (_spare(site) / "d1/2026-00004.html").unlink()
    (site / "build/d1/2026-00004.html").unlink()
    served = _files(site / "build")
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。再次修改。"), encoding="utf-8")
    result = run_cli("build", "--site", site)
    assert result.code == 2 and "d1/2026-00004.html" in result.err and "重新运行生成" in result.err
    assert _files(site / "build") == served
    _build(site)
    assert _files(site / "build") == _clean(site, tmp_path / "clean-2")


def test_a_page_of_an_unchanged_group_removed_from_the_spare_is_published_all_the_same(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """The pages of a group whose key is unchanged (the record pages of a year no edit touched) are
    placed from the spare all at once, on the page cache's word: one removed from the spare by
    hand is placed again from the served output all the same."""
    older = record_text(
        "去年的正文。第二句。",
        index_no=f"{DEPT_USCC}/2025-00001",
        title="关于去年工作的通知",
        written="2025-06-02",
        published="2025-06-03",
        review="{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: 2025-06-03}",
    )
    site = make_site(
        {"content/d1/old.md": older, **{f"content/d1/r{i}.md": _record(i, f"第{i}条正文。") for i in (1, 2)}}
    )
    _build(site)
    _build(site)
    (_spare(site) / "d1/2025-00001.html").unlink()
    (site / "content/d1/r2.md").write_text(_record(2, "第2条正文。第二句，已修改。"), encoding="utf-8")
    _build(site)
    assert (site / "build/d1/2025-00001.html").is_file()
    assert _files(site / "build") == _clean(site, tmp_path / "clean")


@pytest.mark.parametrize("listed", ["after", "before", "meanwhile"])
def test_what_the_spare_holds_gives_way_to_what_a_build_writes(tmp_path: Path, listed: str) -> None:
    """A page written where the spare holds a file gets a new file (the old one is the served
    output's); a file of the spare where a folder must go, and a folder of the spare's files where
    a file must go, are cleared; what no page placed is removed with the folders it leaves empty.
    The same whether the staging folder is listed once the pages are written, before (the spare's
    `a` and `b/c.html` listed as files, `a` a folder and `b` a file by the end), or in another
    process while they are written (as a build does: list_meanwhile)."""
    served, stage = tmp_path / "served", tmp_path / "stage"
    for rel in ("page.html", "a", "b/c.html", "gone/deep/x.html"):
        (served / rel).parent.mkdir(parents=True, exist_ok=True)
        (served / rel).write_text(rel, encoding="utf-8")
    shutil.copytree(served, stage, copy_function=os.link)
    files = {rel: pagecache.entry("k", "", len(rel)) for rel in ("page.html", "a", "b/c.html", "gone/deep/x.html")}
    cache = pagecache.PageCache(tmp_path, served)
    cache.entries = files
    placed = output.Output(stage, cache, set(files))
    if listed == "before":
        placed.survey()
    elif listed == "meanwhile":
        placed.list_meanwhile()
    placed.write_text("page.html", "新的页面")
    placed.write_text("a/inside.html", "文件变成了目录")
    placed.write_text("b", "目录变成了文件")
    placed.drop_held()
    assert _files(stage) == {
        "page.html": "新的页面".encode(),
        "a/inside.html": "文件变成了目录".encode(),
        "b": "目录变成了文件".encode(),
    }
    assert sorted(p.name for p in stage.iterdir()) == ["a", "b", "page.html"]  # gone/ went with its file
    assert _files(served)["page.html"] == b"page.html"  # the served file, not written through


def test_a_folder_of_this_builds_own_pages_is_no_place_for_a_file(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    (stage / "b").mkdir(parents=True)
    (stage / "b/old.html").write_text("旧", encoding="utf-8")
    placed = output.Output(stage, pagecache.PageCache(tmp_path, tmp_path / "served"), {"b/old.html"})
    placed.write_text("b/new.html", "本次的页面")
    with pytest.raises(output.OutputError, match="URL 冲突"):
        placed.path("b")
