"""A long output file (the site-wide catalogue.json of a city is 160 MB) is scanned in blocks of
whole lines, so that a scanner holds a few megabytes of copies rather than five copies of the
file. That is safe only if the blocks read as the whole file does, tags and comments that span
lines included, and if every finding comes out as a scan of the whole file gives it: both are
checked here, with a block size small enough that every text is cut many times."""

from __future__ import annotations

import gzip
import html
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.secrecy import outputs, published
from generator.secrecy.published import scan_file

MOBILE, RESIDENT_ID = "13957086421", "110101199003074514"
MARKUP = [
    "<p>", "</p>", "<b>", "</b>", "<span\nclass='x'>", "<br/>", "<!-- 注释\n跨行 -->", "<!--", "-->", "<!x\n>",
    "<?php\n?>", "<![CDATA[", "]]>", "<上海市>", "<", ">", "&amp;", "&lt;", "&#x31;", "&#51;", "&", "amp;",
    "&ampx", "\n", "\n", "\n", "通知", "第", "号", " ", "1", "39", "5708", "6421", MOBILE, RESIDENT_ID, "秘密",
    "★", "机密★1年", "国家秘密", "：",
]  # fmt: skip
markup = st.lists(st.sampled_from(MARKUP), max_size=60).map("".join)
SMALL = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def _in_blocks(text: str, size: int) -> tuple[list[str], list[str]]:
    """The escaped and the untagged view of `text`, each as the blocks it is scanned in."""
    escaped = [html.unescape(b) for b in outputs._in_lines(outputs._slices(text, 0, len(text), size), size)]
    untagged = [html.unescape(b) for b in outputs._in_lines(outputs._untagged_pieces(text, size), size)]
    return escaped, untagged


@SMALL
@given(markup, st.integers(1, 12))
def test_the_blocks_of_a_text_read_as_the_whole_text_does(text: str, size: int) -> None:
    escaped, untagged = _in_blocks(text, size)
    assert "".join(escaped) == html.unescape(text)
    for blocks in (escaped, untagged):
        assert all(block.endswith("\n") for block in blocks[:-1])  # cut after a line break only
    # the untagged text's lines, less those that hold no tag: each of those is a line as written
    kept, whole = set("".join(untagged).split("\n")), set(outputs._untagged(text).split("\n"))
    assert kept <= whole
    assert whole - kept <= set(html.unescape(text).split("\n"))
    assert list(outputs._blocks_of(text, size)) == escaped + (untagged if "<" in text else [])


def _findings(path: Path, block: int) -> list[tuple[str, int, str | None]]:
    published.KNOWN_CLEAN.forget()  # each scan on its own: none skips what the other found clean
    with mock.patch.object(outputs, "BLOCK", block):
        return [(f.rule, f.line, f.excerpt) for f in scan_file(path, "build/catalogue.json", set())]


@SMALL
@given(st.lists(markup, min_size=1, max_size=8).map("\n".join))
def test_a_file_scanned_in_blocks_has_the_findings_of_a_whole_scan(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("blocks") / "catalogue.json"
    path.write_text(text, encoding="utf-8")
    assert _findings(path, 8) == _findings(path, len(text) + 1)


def test_a_long_export_is_scanned_a_block_at_a_time_and_a_leak_in_it_found_on_its_line(tmp_path: Path) -> None:
    rows = [f'  {{"title": "关于第{n}号<b>通知</b>的解读 &amp; 说明"}},' for n in range(20_000)]
    rows[12_345] = f'  {{"title": "联系人手机 {MOBILE[:3]}\u3000{MOBILE[3:7]} {MOBILE[7:]}"}},'
    path = tmp_path / "catalogue.json"
    path.write_text("[\n" + "\n".join(rows) + "\n]\n", encoding="utf-8")
    scanned: list[int] = []

    def measured(text: str, clean: published.CleanLines = published.KNOWN_CLEAN) -> list[published.Hit]:
        scanned.append(len(text))
        return hits(text, clean)

    hits = published.hits
    with mock.patch.object(outputs, "BLOCK", 50_000), mock.patch.object(published, "hits", measured):
        findings = scan_file(path, "build/catalogue.json", set())
        assert [(f.rule, f.line) for f in findings] == [("SEC008", 12_347)]
        leaky, scanned = scanned, []
        path.write_text(path.read_text(encoding="utf-8").replace(MOBILE[7:], "号码"), encoding="utf-8")
        assert scan_file(path, "build/catalogue.json", set()) == []
    assert max(scanned) < 2 * 50_000 < sum(scanned)  # clean: never the whole file at once
    assert max(leaky) > 2 * 50_000  # with a leak, the whole file again, for the finding's line


def test_bytes_between_words_of_a_binary_file_join_no_numbers(tmp_path: Path) -> None:
    """In Pagefind's binary word index, control bytes and bytes that are no UTF-8 separate
    unrelated values. The sources read them as the page shows them (invisible, or a gap: a NUL
    inside an ID number is caught at the source, tests/test_secrecy_normalized.py), but read so in
    the output, they once joined digits into a "card number" and stopped the demo's build."""
    card = b"6228\x01\x02\xff480017865939"  # Luhn holds for the digits together
    binary = tmp_path / "index.pf_index"
    binary.write_bytes(gzip.compress(outputs.PAGEFIND + b" " + card + b" "))
    assert scan_file(binary, "index.pf_index", set()) == []
    assert [f.rule for f in scan_file(_written(tmp_path / "a.txt", b"6228480017865939"), "a.txt", set())] == ["SEC008"]


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
