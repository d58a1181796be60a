"""The output scan skips the lines it already found clean (secrecy/cleanlines.py). That is safe
only if a text has a hit exactly when one of its lines has one, and only if skipping never
changes a finding: both are checked here on texts drawn from the pieces that numbers and
markings are made of, split and hidden every way the reader's views undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from tempfile import TemporaryDirectory
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.secrecy import cleanlines
from generator.secrecy.cleanlines import CleanLines
from generator.output import files_under, in_tree_order
from generator.secrecy.published import _matches, hits, scan_file
from generator.secrecy.scan import scan

MOBILE, RESIDENT_ID, CARD = "13957086421", "110101199003074514", "6228480400123456784"
PIECES = [
    MOBILE, RESIDENT_ID, CARD, "139", "5708", "6421", "110101", "19900307", "4514", "622848", "0400", "1234",
    "56784", "１３９", "５７０８", "+86", "0", "7", "x", "X", "*", "/", "a",  # numbers, their parts, full width
    " ", "  ", "\t", "\u3000", "\u00a0", "-", "‐", "－", "\u200b", "\ufeff", "\r", "\u2028", "|",  # gaps
    "秘密", "机密", "绝密", "国家秘密", "★", "1年", "长期", "密级", "：", "【", "】", "（", "）", "密",  # markings
    "通知", "第", "号", "政府", "03680445-1723-5291-8a2e-4b1c9d0e7f61",  # words, a UUID
]  # fmt: skip
line = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
lines = st.lists(line, min_size=1, max_size=6)
QUICK = settings(max_examples=400, deadline=None, derandomize=True, database=None)


@QUICK
@given(lines)
def test_a_text_has_a_hit_exactly_when_one_of_its_lines_has(drawn: list[str]) -> None:
    whole = bool(scan("\n".join(drawn), _matches))
    assert whole == any(scan(one, _matches) for one in drawn)


@QUICK
@given(st.lists(lines, min_size=1, max_size=8))
def test_skipping_known_lines_never_changes_what_a_scan_finds(texts: list[list[str]]) -> None:
    clean = CleanLines()
    for drawn in texts:
        text = "\n".join(drawn)
        assert [(h.rule, h.start, h.raw) for h in hits(text, clean)] == [
            (h.rule, h.start, h.raw) for h in scan(text, _matches)
        ]


@QUICK
@given(st.lists(lines, min_size=1, max_size=8))
def test_lines_kept_by_their_digest_never_change_what_a_scan_finds(texts: list[list[str]]) -> None:
    """As above, with every line of more than 8 characters kept by its digest, not its text."""
    with mock.patch.object(cleanlines, "LONGEST", 8):
        clean = CleanLines()
        for drawn in texts:
            text = "\n".join(drawn)
            assert [(h.rule, h.start, h.raw) for h in hits(text, clean)] == [
                (h.rule, h.start, h.raw) for h in scan(text, _matches)
            ]


def test_a_long_line_found_clean_is_not_scanned_again_but_the_same_line_with_a_number_is() -> None:
    """Pagefind's runtime, the same in every shard's bundle, is a few very long lines."""
    clean = CleanLines()
    runtime = "var a=function(){return 1};" * 200  # 5,400 characters on one line
    assert len(runtime) > cleanlines.LONGEST
    assert hits(runtime, clean) == []
    assert clean.unknown(runtime + "\n" + runtime) == []
    leaked = runtime[:2000] + f" 手机 {MOBILE} " + runtime[2000:]
    assert clean.unknown(leaked) == [leaked]
    assert [h.rule for h in hits(leaked, clean)] == ["SEC008"]


def test_a_page_of_known_lines_is_not_scanned_again_but_a_new_number_among_them_is_found(tmp_path) -> None:
    clean = CleanLines()
    navigation = "\n".join(f"<li><a href='../d{n}/index.html'>第{n}局</a></li>" for n in range(50))
    assert hits(navigation, clean) == []
    assert clean.unknown(navigation) == []  # every line now known
    leaked = navigation.replace("第7局", f"第7局 手机 {MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}")
    assert [h.rule for h in hits(leaked, clean)] == ["SEC008"]
    page = tmp_path / "p.html"
    page.write_text(leaked, encoding="utf-8")
    findings = scan_file(page, "build/p.html", set())
    assert [(f.rule, f.line) for f in findings] == [("SEC008", 8)]  # its line in the page as written


def test_what_is_clean_is_kept_for_one_day_only() -> None:
    """A resident ID number whose birth date is tomorrow is no ID number today, and one tomorrow."""
    day = dt.date(2026, 12, 2)
    clean = CleanLines(today=lambda: day)
    born_tomorrow = "11010120261203" + "0010"  # its check digit is not the point: the day is
    clean.learn(clean.unknown(born_tomorrow))
    assert clean.unknown(born_tomorrow) == []
    day = dt.date(2026, 12, 3)
    assert clean.unknown(born_tomorrow) == [born_tomorrow]


def test_a_day_that_turns_during_a_scan_keeps_nothing() -> None:
    days = iter([dt.date(2026, 12, 2), dt.date(2026, 12, 3), dt.date(2026, 12, 3)])
    clean = CleanLines(today=lambda: next(days))
    found_clean = clean.unknown("第一行")
    clean.learn(found_clean)  # the day turned between the two
    assert clean.unknown("第一行") == ["第一行"]


_NAME = st.text(st.sampled_from("ab-._~ 中0/"), min_size=1, max_size=4).filter(lambda n: "/" not in n)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_NAME, min_size=1, max_size=4).map("/".join), max_size=12))
def test_paths_in_tree_order_are_ordered_as_their_parts(paths: list[str]) -> None:
    """Files are listed, and merged, in the order of their lists of parts (as Path sorts them):
    a cheaper key must give the very same order."""
    assert sorted(paths, key=in_tree_order) == sorted(paths, key=lambda rel: rel.split("/"))


def test_the_scan_lists_the_files_rglob_finds_in_its_order(tmp_path: Path) -> None:
    """The output scan lists a city's 660,000 files with one scandir a folder, not Path.rglob's
    objects: the same files, in the same order (so the findings come in the same order)."""
    for rel in ("a.b", "a/b", "a/c/d.html", "a-b/x", "b", "中文/页.html", "z/y/x/w.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    (elsewhere / "inner").mkdir(parents=True)
    (elsewhere / "inner/secret.txt").write_text("x", encoding="utf-8")
    (tmp_path / "linked-folder").symlink_to(elsewhere / "inner")
    (tmp_path / "linked-file").symlink_to(tmp_path / "b")
    (tmp_path / "empty").mkdir()
    expected = [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert files_under(tmp_path) == expected
    assert "a/b" in expected and "linked-file" in expected and not any("secret" in rel for rel in expected)
    with pytest.raises(OSError, match="linked-f"):  # as a cached search bundle is listed: no link in it
        files_under(tmp_path, links=False)


def _spans(drawn: list[str], trusted: set[int], shift: int = 0) -> list[tuple[int, int]]:
    """The byte ranges of the lines `trusted` of `drawn` (each line with its break), a run
    of lines in one range; each range moved `shift` bytes on."""
    starts = [0]
    for one in drawn:
        starts.append(starts[-1] + len(one.encode("utf-8")) + 1)
    spans: list[tuple[int, int]] = []
    for n in sorted(trusted):
        if spans and spans[-1][1] == starts[n] + shift:
            spans[-1] = (spans[-1][0], starts[n + 1] + shift)
        else:
            spans.append((starts[n] + shift, starts[n + 1] + shift))
    return spans


@QUICK
@given(lines, st.sets(st.integers(0, 5)), st.sampled_from(["", "<b>", "<上海市>", "<!--", "<w:p>"]), st.integers(0, 1))
@example(["x " + MOBILE, "a"], {0}, "", 1)  # a range from inside a line: its number is read
@example([MOBILE[:4] + "<!--", "秘密", "-->" + MOBILE[4:]], {1}, "", 0)  # the comment joins the number
@example([MOBILE, "通知"], {0}, "<w:p>", 0)  # a Word part is read by its paragraphs
def test_a_file_scanned_outside_its_copied_lines_finds_what_a_scan_of_it_whole_finds(
    drawn: list[str], picked: set[int], tag: str, shift: int
) -> None:
    """An export written anew copies unchanged rows from the previous one, and the scan reads only
    the rest (Output.spans). Whenever the copied lines are clean, as in the file they were scanned
    in, the findings are those of a scan of the whole file, with their lines as written. A tag
    within a line, or a '<' that starts none (《关于印发<…>的通知》), changes nothing; where a
    comment runs over lines (the view without tags joins them), in a Word part, or with a range
    that does not start a line, every line is read."""
    drawn = [drawn[0] + tag, *drawn[1:]]
    if tag == "<!--" and len(drawn) > 1:  # a comment over lines: the view without tags joins them
        drawn[-1] = "-->" + drawn[-1]
    trusted = {n for n in picked if n < len(drawn)}
    text = "".join(one + "\n" for one in drawn)
    spans = _spans(drawn, trusted, shift)
    with TemporaryDirectory() as folder:
        path = Path(folder) / "catalogue.csv"
        path.write_text(text, encoding="utf-8")
        whole = scan_file(path, "build/catalogue.csv", set())
        outside = scan_file(path, "build/catalogue.csv", set(), spans=spans)
    joined = tag == "<w:p>" or (tag == "<!--" and len(drawn) > 1)
    if joined or (shift and trusted) or not any(scan(drawn[n], _matches) for n in trusted):
        assert outside == whole
    else:  # a copied line is taken as scanned before: the others are read, and a hit among them found
        others = any(scan(drawn[n], _matches) for n in range(len(drawn)) if n not in trusted)
        assert outside == (whole if others else [])
