"""A link check of the whole built demo site: every internal link and anchor resolves."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from htmlscan import Page, scan_site


def broken_links(root: Path, pages: dict[str, Page]) -> list[str]:
    broken = []
    for page in pages.values():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # external: other platforms, mailto, tel
            if href.startswith("/"):
                broken.append(f"{page.path}: {href} is absolute; the site must work from any sub-path")
                continue
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(page.path), unquote(parts.path)))
                if parts.path
                else page.path
            )
            if target.startswith("..") or not (root / target).is_file():
                broken.append(f"{page.path}: {href} → {target} does not exist")
            elif parts.fragment and target.endswith(".html") and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{page.path}: {href} → no id '{parts.fragment}' in {target}")
    return broken


def test_no_broken_internal_link_or_anchor_in_the_demo_site(demo_build: Path) -> None:
    pages = scan_site(demo_build)
    assert len(pages) > 20
    assert broken_links(demo_build, pages) == []


def test_the_link_check_catches_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/b.html#top">b</a><a href="gone.html">x</a><a href="#here">h</a><a href="https://gov.cn/">ok</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "b.html").write_text('<h1 id="title">b</h1><a href="/abs.html">abs</a>', encoding="utf-8")
    problems = broken_links(tmp_path, scan_site(tmp_path))
    assert len(problems) == 4, problems
    assert any("no id 'top'" in p for p in problems)
    assert any("gone.html" in p for p in problems)
    assert any("no id 'here'" in p for p in problems)
    assert any("absolute" in p for p in problems)
