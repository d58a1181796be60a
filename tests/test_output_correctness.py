"""What the build writes is correct for any input a department can write: well-formed feeds,
percent-encoded links, CSV cells no spreadsheet runs, no link to a page that is not built,
ASCII index numbers compared by value, and `disclosure new` that never loses a file."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import urls

import forked
from conftest import DEPARTMENT_YAML, DEPT_USCC, SITE_YAML, record_text, run_cli
from htmlscan import scan_site
from test_site_links import broken_links

MakeSite = Callable[..., Path]
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.gov.cn/xxgk/"


def line_of(text: str, key: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(f"{key}:"))


def feeds_of(out: Path) -> list[Path]:
    return sorted(out.rglob("feed.xml"))


# 1 — feeds and sitemap stay well-formed XML whatever a title holds


def test_control_characters_in_a_title_never_make_a_feed_or_the_sitemap_ill_formed(make_site: MakeSite) -> None:
    # YAML escapes put any character in a title: C0 controls, U+FFFE, U+FFFF.
    title = '"坏\\x01标\\x0b题\\x1f\\uFFFE\\uFFFF"'
    site = make_site(
        {
            "site.yaml": SITE_YAML + f"base_url: {BASE}\n",
            "content/d1/a.md": record_text(title=title, summary='"概述\\x00\\x08完"'),
            "content/d1/b.md": record_text(
                index_no=f"{DEPT_USCC}/2026-00002",
                title='"正常\\t标题"',
                publicity="依申请公开",
                withhold_reason="《条例》第十五条",
            ),
        }
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    out = site / "build"
    feeds = feeds_of(out)
    assert [p.relative_to(out).as_posix() for p in feeds] == ["d1/feed.xml", "feed.xml"]
    for path in [*feeds, out / "sitemap.xml"]:
        ET.parse(path)  # raises on a character XML 1.0 forbids
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        titles = {entry.title for entry in parsed.entries}
        assert "坏标题" in titles  # the forbidden characters are dropped, the rest kept
        assert any(entry.get("summary") == "概述完" for entry in parsed.entries)
    # every entry link (absolute, under base_url), unquoted, is a file of the build
    for entry in feedparser.parse((out / "feed.xml").read_bytes()).entries:
        assert entry.link.startswith(BASE)
        assert (out / unquote(urlsplit(entry.link[len(BASE) :]).path)).is_file(), entry.link


# 2 — attachment and department folder names are percent-encoded in every URL


def test_hash_question_mark_percent_and_space_in_names_link_to_the_files_on_disk(make_site: MakeSite) -> None:
    name = "a#1 ?%.txt"
    first = record_text(
        f"见[附件](a.files/{name.replace('%', '%25').replace('#', '%23').replace(' ', '%20').replace('?', '%3F')})。",
        attachments=f'["{name}"]',
    )
    second = record_text("见[第一条](a.md)。", index_no=f"{DEPT_USCC}/2026-00002", title="第二条")
    site = make_site(
        {
            "content/d#1/department.yaml": DEPARTMENT_YAML,
            "content/d#1/a.md": first,
            f"content/d#1/a.files/{name}": "附件内容",
            "content/d#1/b.md": second,
        },
        with_department=False,
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    out = site / "build"
    assert (out / "d#1" / "2026-00001" / name).read_text("utf-8") == "附件内容"  # the name on disk as written
    page = (out / "d#1/2026-00001.html").read_text("utf-8")
    assert 'href="2026-00001/a%231%20%3F%25.txt"' in page
    home = (out / "index.html").read_text("utf-8")
    assert 'href="d%231/index.html"' in home and 'href="d#1/' not in home
    pages = scan_site(out)
    assert broken_links(out, pages) == []  # every href, unquoted, is a file (and its #id exists)
    hrefs = [href for p in pages.values() for href in p.links]
    assert not [h for h in hrefs if "d#1" in h or " " in h], "a raw # or space in an href"
    # the feeds (relative links without base_url) and the JSON export link the same files
    for feed in feeds_of(out):
        for entry in ET.parse(feed).getroot().iter(f"{ATOM}link"):
            href = entry.get("href", "")
            rel = posixpath.normpath(
                posixpath.join(posixpath.dirname(feed.relative_to(out).as_posix()), unquote(urlsplit(href).path))
            )
            assert (out / rel).is_file(), (feed, href)
    assert 'href="2026-00001.html"' in (out / "d#1/2026-00002.html").read_text("utf-8")
    exported = json.loads((out / "catalogue.json").read_text("utf-8"))["records"]
    assert {r["url"] for r in exported} == {"d%231/2026-00001.html", "d%231/2026-00002.html"}
    assert all((out / unquote(r["url"])).is_file() for r in exported)


def test_a_hash_in_an_output_path_is_never_taken_for_a_fragment() -> None:
    assert urls.relative("index.html", urls.department("d#1")) == "d%231/index.html"
    assert (
        urls.relative("d#1/2026-00002.html", urls.OutputPath("d#1/2026-00001.html"), "第 1 节#")
        == "2026-00001.html#第%201%20节%23"
    )
    assert urls.relative("d#1/index.html", urls.APPLY + "#apply-d#1") == "../apply.html#apply-d%231"  # a layout's form
    assert urls.relative("index.html", urls.apply_office("d#1")) == "apply.html#apply-d%231"
    assert urls.relative("index.html", urls.OutputPath("a:b/c d.html")) == "a%3Ab/c%20d.html"  # never a scheme
    assert urls.href(urls.OutputPath("d1/x/方案 (1).txt")) == "d1/x/方案%20(1).txt"  # Chinese stays readable


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ09-._~!$&'()*+,;=@/:?#% \t\n\x00\u200b\u3000方案\udcff"), max_size=12))
def test_an_encoded_path_or_fragment_reads_back_as_written_and_breaks_no_url(text: str) -> None:
    """What a link names is the file on disk: percent-decoded, an encoded path or fragment is
    the text again, and it holds nothing that ends a path or starts a query, a fragment, an
    escape or a scheme, nor any space or control. (Paths made only of characters kept as they
    are skip the character-by-character encoding.)"""
    for encoded, stops in (
        (urls.encode_path(text), "#?%: \t\n\x00\u200b\u3000"),
        (urls.encode_fragment(text), "#% \t\n\x00"),
    ):
        assert unquote(encoded, errors="surrogateescape") == text
        assert not set(encoded) & set(stops) - {"%"} and all(
            encoded[i + 1 : i + 3].isalnum() and len(encoded[i + 1 : i + 3]) == 2
            for i, c in enumerate(encoded)
            if c == "%"
        )


# 3 — CSV formula injection


def test_a_formula_title_is_neutralized_in_the_csv_only(make_site: MakeSite) -> None:
    formula = '=HYPERLINK("http://x")'
    site = make_site(
        {
            "content/d1/a.md": record_text(title="'" + formula + "'", summary='"-1 起，+2 止"'),
            "content/d1/b.md": record_text(
                index_no=f"{DEPT_USCC}/2026-00002", title='"@SUM(A1)"', keywords='["\\tTAB", "普通"]'
            ),
        }
    )
    assert run_cli("build", "--site", site).code == 0
    out = site / "build"
    rows = {r["index_no"]: r for r in csv.DictReader(io.StringIO((out / "catalogue.csv").read_text("utf-8-sig")))}
    first, second = rows[f"{DEPT_USCC}/2026-00001"], rows[f"{DEPT_USCC}/2026-00002"]
    assert first["title"] == "'" + formula and first["summary"] == "'-1 起，+2 止"
    assert second["title"] == "'@SUM(A1)" and second["keywords"] == "'\tTAB；普通"
    assert first["index_no"] == f"{DEPT_USCC}/2026-00001" and first["written"] == "2026-11-02"  # others untouched
    exported = {r["index_no"]: r for r in json.loads((out / "catalogue.json").read_text("utf-8"))["records"]}
    assert exported[f"{DEPT_USCC}/2026-00001"]["title"] == formula
    assert exported[f"{DEPT_USCC}/2026-00002"]["keywords"] == ["\tTAB", "普通"]
    page = (out / "d1/2026-00001.html").read_text("utf-8")
    assert "=HYPERLINK(&#34;http://x&#34;)" in page or '=HYPERLINK("http://x")' in page
    assert "'=HYPERLINK" not in page


# 4 — no link to a page that is not built


def test_interprets_and_superseded_by_an_on_request_record_link_to_no_missing_page(make_site: MakeSite) -> None:
    on_request = record_text(
        index_no=f"{DEPT_USCC}/2026-00001",
        title="依申请公开的办法",
        publicity="依申请公开",
        withhold_reason="《条例》第十五条",
    )
    site = make_site(
        {
            "content/d1/a.md": on_request,
            "content/d1/b.md": record_text(
                index_no=f"{DEPT_USCC}/2026-00002", title="《办法》解读", interprets=f"{DEPT_USCC}/2026-00001"
            ),
            "content/d1/c.md": record_text(
                index_no=f"{DEPT_USCC}/2026-00003",
                title="已废止的通知",
                status="已废止",
                status_date="2026-11-04",
                superseded_by=f"{DEPT_USCC}/2026-00001",
            ),
            "content/d1/d.md": record_text(index_no=f"{DEPT_USCC}/2026-00004", title="公开的办法"),
            "content/d1/e.md": record_text(
                index_no=f"{DEPT_USCC}/2026-00005", title="《公开的办法》解读", interprets=f"{DEPT_USCC}/2026-00004"
            ),
        }
    )
    result = run_cli("build", "--site", site)
    assert result.code == 0, result.err
    out = site / "build"
    assert not (out / "d1/2026-00001.html").exists()  # 依申请公开: no page
    pages = scan_site(out)
    assert broken_links(out, pages) == []
    interpretation = (out / "d1/2026-00002.html").read_text("utf-8")
    assert "2026-00001.html" not in interpretation and "的解读" not in interpretation
    ended = (out / "d1/2026-00003.html").read_text("utf-8")
    assert "依申请公开的办法" in ended and 'href="catalogue/index.html">依申请公开的办法' in ended
    published = (out / "d1/2026-00005.html").read_text("utf-8")  # a published target is still linked
    assert 'href="2026-00004.html"' in published and "的解读" in published


# 5 — index numbers: ASCII digits only, duplicates by value


def _fmt003(site: Path) -> list[dict[str, object]]:
    findings = json.loads(run_cli("check", "--site", site, "--format", "json").out)
    return [f for f in findings if f["rule"] == "FMT003"]


def test_full_width_and_arabic_indic_digits_in_an_index_number_are_fmt003(make_site: MakeSite) -> None:
    full_width = record_text(index_no=f"{DEPT_USCC}/２０２６-00001")
    arabic = record_text(index_no=f"{DEPT_USCC}/2026-٠٠٠٠٢", title="第二条")
    site = make_site({"content/d1/a.md": full_width, "content/d1/b.md": arabic})
    found = {f["file"]: f for f in _fmt003(site)}
    assert set(found) == {"content/d1/a.md", "content/d1/b.md"}
    assert found["content/d1/a.md"]["line"] == line_of(full_width, "index_no")
    assert "“２”" in str(found["content/d1/a.md"]["message"]) and "半角数字" in str(found["content/d1/a.md"]["message"])
    assert found["content/d1/b.md"]["line"] == line_of(arabic, "index_no")
    assert "“٠”" in str(found["content/d1/b.md"]["message"])
    assert run_cli("build", "--site", site).code != 0


def test_index_numbers_with_the_same_serial_written_differently_are_duplicates(make_site: MakeSite) -> None:
    short = record_text(index_no=f"{DEPT_USCC}/2026-00901")
    long = record_text(index_no=f"{DEPT_USCC}/2026-0000901", title="第二条")
    other = record_text(index_no=f"{DEPT_USCC}/2026-00902", title="第三条")
    site = make_site({"content/d1/a.md": short, "content/d1/b.md": long, "content/d1/c.md": other})
    found = _fmt003(site)
    assert len(found) == 1, found
    assert found[0]["file"] == "content/d1/b.md" and found[0]["line"] == line_of(long, "index_no")
    assert "重复" in str(found[0]["message"]) and "content/d1/a.md" in str(found[0]["message"])


# 6 — `disclosure new`: one line titles, no overwrite, concurrent runs


def test_new_refuses_a_title_with_a_line_break_or_control_character(make_site: MakeSite) -> None:
    site = make_site({"content/d1/a.md": record_text()})
    for title in ("第一行\n第二行", "回车\r", "制表\t符", "响铃\x07", "段\u2029落", "非字符\uffff"):
        result = run_cli("new", "--site", site, "--dept", "d1", "--category", "政府信息公开制度", title)
        assert result.code == 2, title
        assert "控制字符" in result.err, result.err
    assert sorted(p.name for p in (site / "content/d1").glob("*.md")) == ["a.md"]


def test_new_never_overwrites_a_file_in_the_way(make_site: MakeSite) -> None:
    # 2026-00002.md holds another number: the next serial is 2, but its file is taken.
    in_the_way = record_text(index_no=f"{DEPT_USCC}/2026-00007", title="占位")
    site = make_site({"content/d1/a.md": record_text(), "content/d1/2026-00002.md": in_the_way})
    (site / "content/d1/2026-00002.md").write_text(in_the_way.replace("2026-00007", "2025-00001"), "utf-8")
    before = (site / "content/d1/2026-00002.md").read_bytes()
    result = run_cli("new", "--site", site, "--dept", "d1", "--category", "政府信息公开制度", "新记录")
    assert result.code == 0, result.err
    assert (site / "content/d1/2026-00002.md").read_bytes() == before
    assert "index_no: 11530400MB0000001N/2026-00003" in (site / "content/d1/2026-00003.md").read_text("utf-8")


ROUND_SIZE = 8
MIN_ROUNDS, MAX_ROUNDS, BUDGET = 5, 20, 15.0  # rounds of 8 started while under 15 s, at least 5


def test_concurrent_new_gives_distinct_files_and_index_numbers(make_site: MakeSite) -> None:
    site = make_site({})
    start, rounds = time.monotonic(), 0
    while rounds < MAX_ROUNDS and (rounds < MIN_ROUNDS or time.monotonic() - start < BUDGET):
        # 8 processes of their own, released at the same instant (tests/forked.py)
        processes = forked.start_together(
            [
                ["new", "--site", site, "--dept", "d1", "--category", "政府信息公开制度", "--today", "2026-11-21"]
                + [f"第{rounds}轮第{i}条"]
                for i in range(ROUND_SIZE)
            ]
        )
        for process in processes:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        rounds += 1
    files = sorted((site / "content/d1").glob("*.md"))
    numbers = [next(line for line in f.read_text("utf-8").split("\n") if line.startswith("index_no:")) for f in files]
    titles = [next(line for line in f.read_text("utf-8").split("\n") if line.startswith("title:")) for f in files]
    total = rounds * ROUND_SIZE
    assert len(files) == total and len(set(numbers)) == total and len(set(titles)) == total
    assert [f.name for f in files] == [f"2026-{n:05d}.md" for n in range(1, total + 1)]
    assert (site / ".cache/new.lock").exists()
    print(f"{rounds} rounds of {ROUND_SIZE} concurrent `new`: {total} files in {time.monotonic() - start:.1f} s")
