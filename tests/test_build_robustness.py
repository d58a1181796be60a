"""Builds that run at once, builds killed at any moment, cache entries damaged on disk.

One build of a site at a time (<site>/.cache/build.lock; a second exits 2 at once); the output is
swapped in with one exchange, so a build killed anywhere leaves the old output or the new one,
whole; what a killed build leaves beside the output is removed by the next; a search shard cache
entry is trusted only when its bundle matches its manifest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

import forked
from conftest import DEPT_USCC, SITE_YAML, record_text, run_cli, write_site
from generator import output
from generator.index import UNUSED
from generator.search import bundle
from generator.search.cache import DIGESTS, KEY, ShardCache

LOCKED = "另一个 disclosure build 正在生成此站点（进程 "
CACHED = "未变，沿用缓存"
RECORDS = 8
PAGES = [f"d1/2026-{i:05d}.html" for i in range(1, RECORDS + 1)]


def _record(i: int, body: str = "") -> str:
    return record_text(
        body or f"第{i}号事项的正文。" * 20, index_no=f"{DEPT_USCC}/2026-{i:05d}", title=f"关于第{i}项工作的通知"
    )


def _site(where: Path) -> Path:
    where.mkdir(parents=True)
    return write_site(
        where, {"site.yaml": SITE_YAML, **{f"content/d1/r{i}.md": _record(i) for i in range(1, RECORDS + 1)}}
    )


def _start(site: Path) -> forked.Command:
    """`disclosure build` in a process of its own (tests/forked.py: without Python's start)."""
    return forked.start("build", "--site", site)


def _build(site: Path) -> str:
    process = _start(site)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err + out
    return err


def _tree(root: Path) -> dict[str, str]:
    """Every file under `root` by relative path, with the SHA-256 of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith((".build.staging-", ".build.old-")))


def _complete(build: Path) -> None:
    """Every record page is there, and the search index holds every one."""
    assert (build / output.MARKER).is_file()
    for page in PAGES:
        assert (build / page).is_file(), page
    entry = json.loads((build / "pagefind/d1/pagefind-entry.json").read_text(encoding="utf-8"))
    [language] = entry["languages"].values()  # one index language for every shard (bundle.LANGUAGE)
    assert language["page_count"] == RECORDS


def test_concurrent_builds_one_at_a_time(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    codes: list[int] = []
    for round_ in range(4):
        # each round changes a record, so every build of it has real work to do
        (site / "content/d1/r1.md").write_text(_record(1, f"第{round_}轮修改后的正文。" * 10), encoding="utf-8")
        processes = forked.start_together([["build", "--site", site] for _ in range(3)])
        for process in processes:
            out, err = process.communicate(timeout=120)
            codes.append(process.returncode)
            assert process.returncode in (0, 2), err + out
            if process.returncode == 2:
                assert LOCKED in err and "请稍后再试" in err, err
        assert 0 in codes[-3:]  # the build holding the lock finished
        _complete(site / "build")
        assert f"第{round_}轮" in (site / "build/d1/2026-00001.html").read_text(encoding="utf-8")
    assert 2 in codes, codes  # the builds did overlap, and the lock turned the later ones away
    assert _leftovers(site) == []
    err = _build(site)
    assert f"搜索索引 d1：{RECORDS} 页，{CACHED}" in err, err
    _complete(site / "build")
    # the same bytes as a build of the same sources with no cache at all
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(site / "site.yaml", clean / "site.yaml")
    shutil.copytree(site / "content", clean / "content")
    shutil.copytree(site / ".cache/search", clean / ".cache/search")  # Pagefind's bytes differ run to run
    _build(clean)
    assert _tree(site / "build") == _tree(clean / "build")


def test_a_held_lock_turns_a_build_away_at_once(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    started = time.monotonic()
    with output.build_lock(site):
        result = run_cli("build", "--site", site)
    assert result.code == 2
    assert f"{LOCKED}{os.getpid()}），请稍后再试" in result.err, result.err
    assert time.monotonic() - started < 10
    assert not (site / "build").exists()
    with output.build_lock(site):  # released, and free to take again
        pass


def _search_cut(tree: dict[str, str]) -> dict[str, str]:
    """`tree` without the search index: Pagefind does not write the same bytes twice, so two
    builds that each index the same pages differ there (docs/search.md)."""
    return {rel: digest for rel, digest in tree.items() if not rel.startswith("pagefind/")}


def _the_cached_bundle(site: Path) -> None:
    """The output's search bundle is exactly the shard cache's entry, which verifies."""
    folder = site / ".cache/search/d1"
    data = json.loads((folder / KEY).read_text(encoding="utf-8"))
    assert ShardCache(site / ".cache/search").get("d1", data["key"]) is not None
    published = {
        rel.removeprefix("pagefind/d1/"): digest
        for rel, digest in _tree(site / "build").items()
        if rel.startswith("pagefind/d1/")
    }
    assert published == {rel: digest for rel, (size, digest, *_) in data["files"].items() if not rel.startswith(UNUSED)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A small site with a good build (and its caches), not to be modified; the build's tree."""
    template = _site(tmp_path_factory.mktemp("killed") / "template")
    _build(template)
    return template, _tree(template / "build")


@pytest.mark.parametrize(
    "shared, kills, spare",
    [(True, 20, False), (False, 6, False), (True, 8, True)],
    ids=["byte-for-byte", "while-indexing", "from-the-spare"],
)
def test_a_build_killed_at_any_moment_leaves_the_old_output_or_the_new(
    built: tuple[Path, dict[str, str]], tmp_path: Path, shared: bool, kills: int, spare: bool
) -> None:
    """byte-for-byte: every copy shares the search cache of the new build's shard (as a second
    machine would reuse it), so the new output is one set of bytes: 20 kills from start to swap.
    while-indexing: each killed build runs Pagefind and writes the shard cache itself, so its
    search bundle is its own; the rest of the output is the new build's bytes, and the bundle
    published is the cache entry, whole.
    from-the-spare: as byte-for-byte, each copy first built twice, so that the killed build stages
    the spare (generator/output.py), whose files are the served output's own."""
    template, old = built
    edited = _record(1, "修改后的正文，与上一次生成的不同。" * 10)

    def copy(name: str, search_cache: Path | None) -> Path:
        site = tmp_path / name
        shutil.copytree(template, site, symlinks=True)
        if spare:  # the first build renders every page (the cache was the template's); the second keeps a spare
            _build(site)
            _build(site)
            assert list(site.glob(f".build{output.SPARE}*"))
        (site / "content/d1/r1.md").write_text(edited, encoding="utf-8")
        if search_cache is not None:
            shutil.rmtree(site / ".cache/search")
            shutil.copytree(search_cache, site / ".cache/search")
        return site

    # the new build: the same edit built to the end in a copy; the time of a build like the killed
    # ones spreads the kills from the start past the swap
    reference = copy("reference", None)
    started = time.monotonic()
    _build(reference)
    seconds = time.monotonic() - started
    new = _tree(reference / "build")
    assert _search_cut(new) != _search_cut(old)
    shared_cache = reference / ".cache/search" if shared else None
    if shared:
        measured = copy("measured", shared_cache)
        started = time.monotonic()
        assert CACHED in _build(measured)
        seconds = time.monotonic() - started
        assert _tree(measured / "build") == new

    def is_new(site: Path) -> bool:
        found = _tree(site / "build")
        if shared:
            return found == new
        if _search_cut(found) != _search_cut(new):
            return False
        _complete(site / "build")
        _the_cached_bundle(site)
        return True

    sites, outcomes = [], []
    for n in range(kills):
        delay = seconds * 1.3 * n / (kills - 1)
        site = copy(f"killed-{n}", shared_cache)
        process = _start(site)
        if n < kills - 1:
            time.sleep(delay)
            process.kill()
        # the last one is let run to its end, so the kills reach past the swap however slow this
        # machine is at the moment (the spread alone is timing, and a busy machine stretches it)
        process.communicate(timeout=120)
        assert (site / "build").is_dir(), f"no output after a kill at {delay:.2f} s"
        outcome = "old" if _tree(site / "build") == old else "new" if is_new(site) else "neither"
        assert outcome != "neither", f"a kill at {delay:.2f} s left an output that is neither build"
        outcomes.append(outcome)
        sites.append(site)
    assert "old" in outcomes and "new" in outcomes, outcomes

    # the next build of each: the new output, nothing left beside it (two at a time)
    for pair in (sites[i : i + 2] for i in range(0, len(sites), 2)):
        processes = [(_start(site), site) for site in pair]
        for process, site in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err + out
            assert is_new(site), site
            assert _leftovers(site) == [], site


def test_leftovers_of_killed_builds_are_removed(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    assert run_cli("build", "--site", site).code == 0
    for name in (".build.staging-999999", f".build.old-{os.getpid()}", ".build.staging-1"):
        (site / name / "d1").mkdir(parents=True)
    scratch = site / ".cache/search/d1/.new-999999-abcd"
    scratch.mkdir()
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert _leftovers(site) == []
    assert not scratch.exists()


def test_an_output_set_aside_by_a_killed_swap_is_put_back(tmp_path: Path) -> None:
    """Without the one-step exchange the swap is two renames; a build killed between them leaves
    no output, and the previous one at .<out>.old-PID: the next build's sweep restores it."""
    out = tmp_path / "build"
    aside = tmp_path / ".build.old-12345"
    aside.mkdir()
    (aside / output.MARKER).write_text("x", encoding="utf-8")
    (aside / "index.html").write_text("旧", encoding="utf-8")
    half = tmp_path / ".build.staging-12345"
    half.mkdir()
    output.sweep(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "旧"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


@pytest.mark.parametrize("exchanges", [True, False])
def test_the_swap_with_and_without_the_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchanges: bool
) -> None:
    if not exchanges:
        monkeypatch.setattr(output, "exchange", lambda a, b: False)
    out = tmp_path / "build"
    for text in ("一", "二"):
        with output.staging(out) as stage:
            stage.write_text("index.html", text)
        assert (out / "index.html").read_text(encoding="utf-8") == text
        assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def _damage_and_rebuild(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    site = _site(tmp_path / "site")
    assert run_cli("build", "--site", site).code == 0
    good = _tree(site / "build")
    folder = site / ".cache/search/d1"
    cached = ShardCache(site / ".cache/search")
    data = json.loads((folder / KEY).read_text(encoding="utf-8"))
    assert cached.get("d1", data["key"]) is not None
    damage(folder / data["bundle"])
    assert cached.get("d1", data["key"]) is None  # detected on read
    # while the output holds the bundle as copied from the cache, it is placed from there: the
    # published bytes stay the verified ones, and the damaged files are not read
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert _tree(site / "build") == good
    # without it (a CI job that restores .cache alone), the damage is found and the shard indexed again
    for served in [site / "build", *site.glob(".build.spare-*")]:
        shutil.rmtree(served)
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    assert f"搜索索引 d1：{RECORDS} 页，{CACHED}" not in result.err  # indexed again, not copied
    _complete(site / "build")
    assert _search_cut(_tree(site / "build")) == _search_cut(good)
    _the_cached_bundle(site)
    data = json.loads((folder / KEY).read_text(encoding="utf-8"))
    assert sorted(p.name for p in folder.iterdir()) == sorted([KEY, DIGESTS, data["bundle"]])  # no other bundle
    assert CACHED in run_cli("build", "--site", site).err  # whole again: the next build copies it


def _largest(bundle_folder: Path) -> Path:
    return max((p for p in bundle_folder.rglob("*.pf_fragment")), key=lambda p: p.stat().st_size)


def test_a_cached_bundle_missing_a_file_is_indexed_again(tmp_path: Path) -> None:
    _damage_and_rebuild(tmp_path, lambda folder: _largest(folder).unlink())


def test_a_cached_bundle_with_a_changed_file_is_indexed_again(tmp_path: Path) -> None:
    def flip(folder: Path) -> None:
        path = _largest(folder)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1  # same size, other bytes
        path.write_bytes(bytes(data))

    _damage_and_rebuild(tmp_path, flip)


def test_a_cached_bundle_with_an_extra_file_is_indexed_again(tmp_path: Path) -> None:
    _damage_and_rebuild(tmp_path, lambda folder: (folder / "fragment/und_extra.pf_fragment").write_bytes(b"x"))


def test_a_cached_bundle_is_read_only_when_its_files_status_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A city's bundles are 250,000 files: a build trusts a file whose size, modification time and
    inode are those recorded, and hashes the others. A cache copied elsewhere (new inodes, as a CI
    cache restores it) is read once and its statuses recorded anew."""
    site = _site(tmp_path / "site")
    assert run_cli("build", "--site", site).code == 0
    key = json.loads((site / ".cache/search/d1" / KEY).read_text(encoding="utf-8"))["key"]
    copied = tmp_path / "copied"
    shutil.copytree(site / ".cache/search", copied)
    read: list[Path] = []
    original = Path.read_bytes
    # the bundle's files read (its key file is read every time)
    monkeypatch.setattr(Path, "read_bytes", lambda path: (path.name != KEY and read.append(path)) or original(path))
    assert ShardCache(site / ".cache/search").get("d1", key) is not None and read == []
    assert ShardCache(copied).get("d1", key) is not None
    files = json.loads((copied / "d1" / KEY).read_text(encoding="utf-8"))["files"]
    assert len(read) == len(files)  # every file hashed once
    read.clear()
    assert ShardCache(copied).get("d1", key) is not None and read == []


def test_the_indexer_is_stopped_when_it_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle, "TIMEOUT", 1)
    started = time.monotonic()
    with pytest.raises(bundle.IndexerError, match="超过 1 秒仍未结束"):
        bundle._run(
            [
                sys.executable,
                "-c",
                "import subprocess, sys; subprocess.call([sys.executable, '-c', 'import time; time.sleep(60)'])",
            ]
        )
    assert time.monotonic() - started < 15
