"""The term directory (pagefind/terms/): for every key of every indexed page's text, the shards
holding it, so the search page opens only the shards a query needs; kept up to date by changing
only what a changed shard changed, and always equal to a directory made from nothing."""

from __future__ import annotations

import gzip
import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from test_search_shards import PLAN, RECORDS, build, dated, plan

from generator.index import SHARD_PAGES
from generator.search import directory, order, terms


def entries(site: Path) -> tuple[list[str], dict[str, list[Any]]]:
    """The built manifest's shard names, and the directory: key → what it lists of the shards holding
    it (their places; for a title key, [place, the mask of the groups holding it in base 32])."""
    pagefind = site / "build" / "pagefind"
    manifest = json.loads((pagefind / "shards.json").read_text(encoding="utf-8"))
    found: dict[str, list[Any]] = {}
    for number in range(manifest["terms"]):
        file = pagefind / directory.FOLDER / directory.name(number)
        for key, places in json.loads(gzip.decompress(file.read_bytes())).items():
            assert directory.file_of(key, manifest["terms"]) == number, key
            found[key] = places
    return [bundle.rstrip("/") for bundle in manifest["bundles"]], found


def files(site: Path) -> dict[str, bytes]:
    folder = site / "build" / "pagefind" / directory.FOLDER
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def made_from_nothing(site: Path) -> dict[str, bytes]:
    """The directory files of a build of `site` whose directory cache is gone."""
    shutil.rmtree(site / ".cache" / "terms")
    build(site)
    return files(site)


@pytest.fixture
def site(make_site, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SHARD_PAGES, "3")
    records = dict(RECORDS)
    records["content/d1/b4.md"] = dated(2026, 4, "2026-09-01", "独有的穿山甲调查，编号 ABC123xyz9。")
    made = make_site(records)
    build(made)
    return made


def places(found: dict[str, list[Any]], key: str) -> dict[int, int]:
    """What the directory lists for `key`: shard place → the groups holding it (0 for a key not of titles)."""
    if key.startswith("t:"):  # [place, mask in base 32]
        return {place: int(mask, 32) for place, mask in found[key]}
    return dict.fromkeys(found[key], 0)


def test_every_key_of_every_page_lists_exactly_the_shards_holding_it(site: Path) -> None:
    names, found = entries(site)
    assert names == list(PLAN)
    expected: dict[str, dict[int, int]] = {}
    for place, name in enumerate(names):
        for _, fragment in order.fragments(site / "build" / "pagefind" / name):
            meta = fragment["meta"]
            heads = (meta["title"], meta.get("文号", ""), meta["索引号"])
            group = 1 << (terms.fnv(fragment["url"].encode()) % 32)  # the page's group, by its URL
            held = {key: 0 for text in (*heads, fragment["content"]) for key in terms.keys(text)}
            held |= {"w:" + terms.code(normal(text))[1:]: 0 for text in heads if normal(text)}  # each as a whole
            for key in {"t:" + key for text in heads for key in terms.keys(text)}:  # of a title, 文号, 索引号
                held[key] = group
            for key, mask in held.items():
                shards = expected.setdefault(key, {})
                shards[place] = shards.get(place, 0) | mask
    assert {key: places(found, key) for key in found} == expected
    assert all(listed == sorted(listed) for listed in found.values())  # by place
    # a word of one record's body: only its shard; an ASCII run by its first PREFIX characters
    assert found[terms.code("穿山")] == [names.index("d1-2026-2")]  # b4's shard
    assert found["abc123xy"] == [names.index("d1-2026-2")] and "abc123xyz" not in found
    assert set(found[terms.code("通知")]) == set(range(len(names)))  # every title has it
    assert "t:" + terms.code("穿山") not in found  # a word of a body only: no title key
    assert set(places(found, "t:" + terms.code("通知"))) == set(range(len(names)))


def test_each_group_of_a_shards_pages_has_their_titles_in_a_file(site: Path) -> None:
    """pagefind/<shard>/heads/<group>.pf_heads: the [title, 文号, 索引号] of the group's pages, by URL,
    as their fragments give them; a group without pages has no file."""
    names, _ = entries(site)
    for name in names:
        bundle = site / "build" / "pagefind" / name
        expected: dict[str, list[tuple[str, list[str]]]] = {}
        for _, fragment in order.fragments(bundle):
            meta = fragment["meta"]
            group = f"{terms.fnv(fragment['url'].encode()) % 32}.pf_heads"
            expected.setdefault(group, []).append(
                (fragment["url"], [meta["title"], meta.get("文号", ""), meta["索引号"]])
            )
        written = {path.name: json.loads(gzip.decompress(path.read_bytes())) for path in (bundle / "heads").iterdir()}
        assert written == {group: [texts for _, texts in sorted(pages)] for group, pages in expected.items()}
        assert all(path.read_bytes()[4:8] == bytes(4) for path in (bundle / "heads").iterdir())  # no timestamp
        # the text as written (no \u escapes), so the output scan before publishing reads it
        texts = "".join(gzip.decompress(path.read_bytes()).decode("utf-8") for path in (bundle / "heads").iterdir())
        assert all(texts.count(title) for title in (t for pages in expected.values() for _, (t, _, _) in pages))


def normal(text: str) -> str:
    """A text as the search page compares it whole: NFKC, lower case, other than letters and digits
    one space, trimmed."""
    out = "".join(c if c.isalnum() else " " for c in unicodedata.normalize("NFKC", text).lower())
    return " ".join(out.split())


def test_an_updated_directory_is_the_one_made_from_nothing(site: Path) -> None:
    body = site / "content" / "d1" / "b4.md"
    body.write_text(dated(2026, 4, "2026-09-01", "改写后的正文，讲的是梅花鹿。"), encoding="utf-8")
    build(site)
    _, found = entries(site)
    assert terms.code("梅花") in found and terms.code("穿山") not in found  # a key that left its only shard
    assert files(site) == made_from_nothing(site)

    # another shard (the last chunk past the bound, cut in two): every file made again, with the new places
    (site / "content" / "d1" / "b5.md").write_text(dated(2026, 5, "2026-10-01", "新增白头叶猴。"), encoding="utf-8")
    (site / "content" / "d1" / "b6.md").write_text(dated(2026, 6, "2026-11-01"), encoding="utf-8")
    (site / "content" / "d1" / "b7.md").write_text(dated(2026, 7, "2026-11-10"), encoding="utf-8")
    build(site)
    names, found = entries(site)
    now = plan(site, 3)
    assert names == list(now) == [*PLAN, "d1-2026-3"]
    assert found[terms.code("叶猴")] == [
        names.index(next(n for n, pages in now.items() if "d1/2026-00005.html" in pages))
    ]
    assert files(site) == made_from_nothing(site)


def test_a_damaged_directory_cache_is_made_again(site: Path) -> None:
    cache = site / ".cache" / "terms"
    clean = files(site)
    (site / "content" / "d1" / "a1.md").write_text(dated(2025, 1, "2025-03-01", "改过。"), encoding="utf-8")
    build(site)
    changed = files(site)
    assert changed != clean
    # a file of the directory lost, then the kept keys of a shard: the next build still writes
    # what a build from nothing writes
    for damage in (
        lambda: next((cache / directory.FOLDER).iterdir()).unlink(),
        lambda: (cache / "keys" / "d1-2025").unlink(),
    ):
        (site / "content" / "d1" / "a1.md").write_text(dated(2025, 1, "2025-03-01", "又改过。"), encoding="utf-8")
        build(site)
        damage()
        (site / "content" / "d1" / "a1.md").write_text(dated(2025, 1, "2025-03-01", "改过。"), encoding="utf-8")
        build(site)
        assert files(site) == changed


def test_a_directory_made_a_range_of_files_at_a_time_is_the_one_made_at_once(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A city's directory is made from keys spilled by range of files; the ranges change nothing."""
    at_once = made_from_nothing(site)
    monkeypatch.setattr(directory, "SPILL_SHARDS", 1)  # a range of files per shard
    assert len(PLAN) > 1 and files(site) != {}
    assert made_from_nothing(site) == at_once
    kept = site / ".cache" / "terms"
    assert not list(kept.glob(directory.SPILL + "*")) and not list((kept / directory.KEYS).glob("*" + directory.NEW))


def test_what_a_stopped_build_left_in_the_directory_cache_is_cleared(site: Path) -> None:
    """Keys spilled or set aside by a build that was stopped are not kept or published."""
    kept = site / ".cache" / "terms"
    clean = files(site)
    (kept / directory.STATE).unlink()  # stopped while the files were made: the next build makes them all
    (kept / f"{directory.SPILL}999999").mkdir()
    (kept / f"{directory.SPILL}999999" / "0").write_text("0 0 0 spilled\n", encoding="utf-8")
    (kept / directory.KEYS / f"gone{directory.NEW}").write_text("stale", encoding="utf-8")
    build(site)
    assert not list(kept.glob(directory.SPILL + "*")) and not list((kept / directory.KEYS).glob("*" + directory.NEW))
    assert files(site) == clean
