"""Two clean builds of the same content are byte-identical, wherever they run, search index included.

Pagefind writes its filter indexes and metadata in hash-map order (upstream #638); the bundle is
put in a canonical form after every run (generator/search/canonical.py). The only clocks are
SOURCE_DATE_EPOCH and site.yaml `today`. The search page working on canonical bundles is held by
tests/browser/test_search.py and tests/test_search*.py.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, copy_demo
from generator.search import bundle, canonical, docs


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_two_clean_builds_of_the_demo_in_different_folders_are_identical(demo_build: Path, tmp_path: Path) -> None:
    # the session's build ran in this process; this one in another, with another hash seed,
    # from another folder into another folder
    site = copy_demo(tmp_path / "elsewhere" / "site")
    out = tmp_path / "another" / "place" / "out"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    first, second = tree(demo_build), tree(out)
    assert [p for p in first if p.endswith(".pf_filter")], "the search index is part of the comparison"
    differ = sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
    assert differ == []


def _pages(root: Path, count: int) -> tuple[docs.Doc, ...]:
    """Record-like pages with several filters of several values each (what Pagefind orders arbitrarily)."""
    pages = []
    for i in range(count):
        rel = f"d/{i:03d}.html"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(
            f'<html lang="zh"><body><article data-pagefind-body><p>关于第{i}项工作的通知正文。</p></article></body></html>',
            encoding="utf-8",
        )
        pages.append(
            docs.Doc(
                rel,
                True,
                f"第{i}号通知",
                f"X/2026-{i:05d}",
                f"测发〔2026〕{i}号",
                (f"机构{i % 5}",),
                f"{2015 + i % 9}-01-01",
                f"类{i % 7}",
                f"主题{i % 3}",
                "现行有效",
                "主动公开",
            )
        )
    return tuple(pages)


def test_two_pagefind_runs_over_the_same_pages_give_the_same_bundle(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "site", 40)
    trees = []
    for run in range(3):
        dest = tmp_path / f"bundle{run}"
        bundle.index_pages(tmp_path / "site", pages, dest)
        trees.append(tree(dest))
    assert trees[0] == trees[1] == trees[2]
    entry = json.loads((tmp_path / "bundle0" / canonical.ENTRY).read_text(encoding="utf-8"))
    meta_name = f"pagefind.{entry['languages'][bundle.LANGUAGE]['hash']}.pf_meta"
    assert (tmp_path / "bundle0" / meta_name).is_file()
    meta = canonical.decode(
        gzip.decompress((tmp_path / "bundle0" / meta_name).read_bytes())[len(canonical.SIGNATURE) :]
    )
    filters = meta[3]
    assert [name for name, _ in filters] == sorted((name for name, _ in filters), key=lambda n: n.encode())
    for name, file_hash in filters:
        index = canonical.decode(
            gzip.decompress((tmp_path / "bundle0" / "filter" / f"{file_hash}.pf_filter").read_bytes())[
                len(canonical.SIGNATURE) :
            ]
        )
        values = [value for value, _ in index[1]]
        assert index[0] == name and values == sorted(values, key=lambda v: v.encode())
        assert sum(len(numbers) for _, numbers in index[1]) == len(pages)  # every page under one value


def test_canonical_form_is_a_fixed_point_and_refuses_what_it_does_not_understand(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "site", 5)
    dest = tmp_path / "bundle"
    bundle.index_pages(tmp_path / "site", pages, dest)
    before = tree(dest)
    assert canonical.canonicalize(dest) and tree(dest) == before
    (dest / canonical.ENTRY).write_text('{"version": "x"}', encoding="utf-8")  # not Pagefind's compact form
    damaged = tree(dest)
    assert not canonical.canonicalize(dest) and tree(dest) == damaged
    for value in (0, 23, 24, 255, 256, 65536, 2**32, -1, -25, "文字", b"\x00", [1, [2]], {"a": 1}):
        assert canonical.decode(canonical.encode(value)) == value
    for simple in (None, True, False):  # kept as their CBOR simple values: the same bytes again
        assert canonical.encode(canonical.decode(canonical.encode(simple))) == canonical.encode(simple)


def test_no_wall_clock_in_the_output_code() -> None:
    clocks = ("datetime.now(", "date.today(", "time.time(", "utcnow(", "localtime(")
    allowed = {
        "generator/today.py",  # the fallback of resolve_today, after SOURCE_DATE_EPOCH and site.yaml today
        "generator/secrecy/personal.py",  # a birth date after today is no ID number: a check, not output
        "generator/inspection/links.py",  # the age of a link's answer in .cache/links.json: a check, not output
    }
    found = [
        str(path.relative_to(REPO))
        for path in (REPO / "generator").rglob("*.py")
        if any(clock in path.read_text(encoding="utf-8") for clock in clocks)
    ]
    assert sorted(set(found) - allowed) == []
