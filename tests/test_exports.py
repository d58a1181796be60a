"""catalogue.json, catalogue.csv, the Atom feeds and sitemap.xml: they parse, list exactly
the listed records, and carry no field of a non-public record."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urljoin

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import urls
from generator.render import exportrows, exports, sitemap
from generator.render.exports import FIELDS
from conftest import DEPT_USCC, record_text, run_cli, write_site

MakeSite = Callable[..., Path]

SITE_YAML = "title: 测试站点\ntoday: 2026-11-21\nbase_url: https://xxgk.example.gov.cn/sub/\nrules: {STL010: off, STL008: off, INS001: off, INS002: off, INS003: off, INS006: off}\n"
WITHHELD = "《中华人民共和国政府信息公开条例》第十四条"
SECRETS = ("依申请正文甲", "依申请概述乙", "不予公开标题丙", "不予公开正文丁", "不予公开概述戊")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(
        tmp_path_factory.mktemp("exports") / "site",
        {
            "site.yaml": SITE_YAML,
            "content/d1/a.md": record_text(
                "公开正文。", title="关于公开事项的通知", summary="公开概述", keywords="[公开, 通知]"
            ),
            "content/d1/b.md": record_text(
                "依申请正文甲。",
                index_no=f"{DEPT_USCC}/2026-00002",
                title="依申请的台账",
                publicity="依申请公开",
                withhold_reason=WITHHELD,
                summary="依申请概述乙",
                keywords="[依申请关键词]",
                published=None,
            ),
            "content/d1/c.md": record_text(
                "不予公开正文丁。",
                index_no=f"{DEPT_USCC}/2026-00003",
                title="不予公开标题丙",
                publicity="不予公开",
                withhold_reason=WITHHELD,
                summary="不予公开概述戊",
                published=None,
                review=None,
            ),
        },
    )
    result = run_cli("build", "--site", site, "--out", site / "build")
    assert result.code == 0, result.err
    return site / "build"


def every_output_text(build: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in build.rglob("*") if p.is_file())


def test_json_and_csv_list_each_listed_record_with_public_fields_only(built: Path) -> None:
    document = json.loads((built / urls.CATALOGUE_JSON).read_text(encoding="utf-8"))
    rows = {r["index_no"]: r for r in document["records"]}
    assert set(rows) == {f"{DEPT_USCC}/2026-00001", f"{DEPT_USCC}/2026-00002"}
    public, on_request = rows[f"{DEPT_USCC}/2026-00001"], rows[f"{DEPT_USCC}/2026-00002"]
    assert list(public) == list(FIELDS)
    assert public["summary"] == "公开概述" and public["keywords"] == ["公开", "通知"]
    assert (built / public["url"]).is_file() and public["department"] == "测试局"
    assert on_request["title"] == "依申请的台账" and on_request["publicity"] == "依申请公开"
    assert on_request["summary"] == "" and on_request["keywords"] == [] and on_request["url"] == ""

    text = (built / urls.CATALOGUE_CSV).read_text(encoding="utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["index_no"] for r in table] == [r["index_no"] for r in document["records"]]
    assert tuple(table[0]) == FIELDS
    assert {r["index_no"]: r["keywords"] for r in table}[f"{DEPT_USCC}/2026-00001"] == "公开；通知"


def test_feeds_parse_and_hold_metadata_only_for_records_on_request(built: Path) -> None:
    for path in (urls.FEED, urls.dept_feed("d1")):
        feed = feedparser.parse((built / path).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.title
        entries = {e.title: e for e in feed.entries}
        assert set(entries) == {"关于公开事项的通知", "依申请的台账"}
        public = entries["关于公开事项的通知"]
        assert public.link == "https://xxgk.example.gov.cn/sub/d1/2026-00001.html"
        assert public.summary == "公开概述" and public.published.startswith("2026-11-03")
        assert entries["依申请的台账"].link.startswith("https://xxgk.example.gov.cn/sub/apply.html#apply-d1")
        assert len({e.id for e in feed.entries}) == 2


def test_sitemap_lists_every_page_with_absolute_urls(built: Path) -> None:
    root = ET.parse(built / urls.SITEMAP).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text or "" for loc in root.findall("s:url/s:loc", ns)]
    pages = {p.relative_to(built).as_posix() for p in built.rglob("*.html")}
    assert {loc.removeprefix("https://xxgk.example.gov.cn/sub/") for loc in locations} == pages
    assert "https://xxgk.example.gov.cn/sub/d1/2026-00001.html" in locations


def test_a_site_over_the_sitemap_limit_gets_an_index_of_sitemaps(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search engines read at most 50,000 URLs from one sitemap: above that (here: 2), sitemap.xml
    becomes the index of sitemap-1.xml, sitemap-2.xml, … which together list every page once."""
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    site = Path(shutil.copytree(built.parent, tmp_path / "site", symlinks=True))
    assert run_cli("build", "--site", site, "--out", site / "build").code == 0
    out = site / "build"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.parse(out / urls.SITEMAP).getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text or "" for loc in index.findall("s:sitemap/s:loc", ns)]
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    assert parts == [f"https://xxgk.example.gov.cn/sub/sitemap-{n}.xml" for n in range(1, (len(pages) + 1) // 2 + 1)]
    listed = []
    for part in parts:
        urlset = ET.parse(out / part.rsplit("/", 1)[1]).getroot()
        locations = [loc.text or "" for loc in urlset.findall("s:url/s:loc", ns)]
        assert 1 <= len(locations) <= 2
        listed += [loc.removeprefix("https://xxgk.example.gov.cn/sub/") for loc in locations]
    assert sorted(listed) == sorted(pages)


def test_the_sitemaps_are_written_again_only_when_the_pages_change(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A city's sitemaps list 400,000 pages: an edit that adds or removes none (a body, a title)
    places the previous build's files, all of them; a new record writes them all again."""
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    site = Path(shutil.copytree(built.parent, tmp_path / "site", symlinks=True))
    assert run_cli("build", "--site", site).code == 0
    out = site / "build"
    documents: list[str] = []
    original = sitemap._document
    monkeypatch.setattr(sitemap, "_document", lambda root, *a: documents.append(root) or original(root, *a))
    before = {p.name: p.read_bytes() for p in out.glob("sitemap*.xml")}
    assert len(before) > 2

    record = site / "content/d1/a.md"
    record.write_text(record.read_text(encoding="utf-8") + "补充一句。\n", encoding="utf-8")
    assert run_cli("build", "--site", site).code == 0
    assert documents == []
    assert {p.name: p.read_bytes() for p in out.glob("sitemap*.xml")} == before

    (site / "content/d1/new.md").write_text(
        record_text("新的正文。", index_no=f"{DEPT_USCC}/2026-00099"), encoding="utf-8"
    )
    assert run_cli("build", "--site", site).code == 0
    assert documents.count("sitemapindex") == 1
    listed = "".join(p.read_text(encoding="utf-8") for p in out.glob("sitemap-*.xml"))
    assert "d1/2026-00099.html" in listed


SEGMENT = st.text(min_size=1, max_size=6).filter(lambda t: t not in (".", "..") and "/" not in t)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        ["https://x.gov.cn/", "https://x.gov.cn/sub/", "https://x.gov.cn/a/./b/../c/", "https://x.gov.cn/s/?q=1#f"]
    ),
    st.lists(st.lists(SEGMENT, min_size=1, max_size=3).map("/".join), max_size=5),
)
def test_a_sitemap_location_is_the_base_joined_to_the_page(base: str, pages: list[str]) -> None:
    """Each page's location is urljoin(base, quote(page)), made without a call of urljoin for each."""
    for page in pages:
        assert sitemap._prefix(base) + quote(page) == urljoin(base, quote(page))


def test_a_sitemap_file_stays_under_the_protocols_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "MAX_BYTES", 400)
    locations = [f"https://example.gov.cn/{n:03d}.html" for n in range(20)]
    parts = list(sitemap._parts(locations))
    assert [location for start, end in parts for location in locations[start:end]] == locations
    for start, end in parts:
        assert len("".join(sitemap._document("urlset", "url", locations[start:end])).encode("utf-8")) <= 400


# what a row of the exports may hold: text with line breaks, quotes, commas, formula starts, lists
CELL = st.one_of(st.text(), st.lists(st.text(), max_size=3), st.integers())
ROW = st.fixed_dictionaries({f: CELL for f in FIELDS})
HEAD = {"site": "测试站点", "base_url": "", "fields": list(FIELDS)}
LAYOUTS = {
    "json": (exports.json_layout(HEAD, "records"), exports.json_row),
    "csv": (exports.CSV_LAYOUT, lambda item, n: exports.csv_row(item)),
}


def _export(
    kind: str, rows: list[dict[str, object]], previous: tuple[exportrows.Written, bytes] | None = None
) -> tuple[exportrows.Written, bytes]:
    """The export `kind` of `rows` and its bytes, written as render_exports writes it: each row's
    hash of what it is made from stands for the record's listed form. With `previous` (an export
    written by this function), the rows it holds are copied from it."""
    layout, encode = LAYOUTS[kind]
    forms = b"".join(hashlib.sha256(repr(row).encode()).digest() for row in rows)
    old = (previous[0].table, previous[1]) if previous is not None else None
    written = exportrows.write(layout, forms, lambda i: encode(rows[i], i), "key", "base", old)
    return written, b"".join(written.pieces)


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, max_size=5), st.text())
def test_exports_written_a_record_at_a_time_are_the_documents_whole(rows: list[dict[str, object]], title: str) -> None:
    head = {**HEAD, "site": title}
    whole = json.dumps({**head, "records": rows}, ensure_ascii=False, indent=1) + "\n"
    layout = exports.json_layout(head, "records")
    written = exportrows.write(layout, bytes(32 * len(rows)), lambda i: exports.json_row(rows[i], i), "key", "base")
    assert b"".join(written.pieces) == whole.encode("utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: exports.csv_cell("；".join(v) if isinstance(v, list) else str(v)) for k, v in row.items()})
    assert _export("csv", rows)[1] == ("\ufeff" + buffer.getvalue()).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(LAYOUTS)),
    st.lists(ROW, max_size=6, unique_by=repr),
    st.lists(st.one_of(st.integers(0, 5), ROW), max_size=8),
)
def test_an_export_made_from_the_previous_one_is_the_one_encoding_every_row_gives(
    kind: str, old_rows: list[dict[str, object]], picks: list[int | dict[str, object]]
) -> None:
    """Rows kept, dropped, moved, added: a row the previous file holds is copied from it, and the
    file is byte for byte the one encoding every row gives; the ranges said to be copied hold the
    copied rows and no other."""
    new_rows = [
        old_rows[pick % len(old_rows)] if isinstance(pick, int) else pick
        for pick in picks
        if old_rows or not isinstance(pick, int)
    ]
    previous = _export(kind, old_rows)
    (spliced, data), (whole, expected) = _export(kind, new_rows, previous), _export(kind, new_rows)
    assert data == expected
    assert (spliced.table.starts, spliced.table.ends) == (whole.table.starts, whole.table.ends)
    assert spliced.encoded == sum(row not in old_rows for row in new_rows)
    for start, end in spliced.copied:
        assert data[start:end] in previous[1]
    for i, row in enumerate(new_rows):
        inside = any(s <= whole.table.starts[i] and whole.table.ends[i] <= e for s, e in spliced.copied)
        assert inside == (row in old_rows)


def test_no_output_file_carries_a_field_of_a_non_public_record(built: Path) -> None:
    everything = every_output_text(built)
    for secret in SECRETS:
        assert secret not in everything, secret


def test_demo_exports_and_feeds_validate(demo_build: Path) -> None:
    document = json.loads((demo_build / urls.CATALOGUE_JSON).read_text(encoding="utf-8"))
    assert document["records"]
    for row in document["records"]:
        if row["publicity"] == "依申请公开":
            assert not row["summary"] and not row["url"]
        else:
            assert (demo_build / row["url"]).is_file()
    feeds = [demo_build / urls.FEED, *demo_build.glob("*/feed.xml")]
    assert len(feeds) > 1
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)
    ET.parse(demo_build / urls.SITEMAP)


def test_without_base_url_feeds_link_relatively_and_no_sitemap_is_written(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "site.yaml": "title: 测试站点\ntoday: 2026-11-21\nrules: {STL010: off, STL008: off, INS001: off, INS002: off, INS003: off, INS006: off}\n",
            "content/d1/a.md": record_text(),
        }
    )
    assert run_cli("build", "--site", site, "--out", site / "build").code == 0
    feed = feedparser.parse((site / "build" / urls.dept_feed("d1")).read_bytes())
    assert feed.entries[0].link.endswith("2026-00001.html") and "://" not in feed.entries[0].link
    assert not (site / "build" / urls.SITEMAP).exists()


def test_feeds_keep_the_atom_namespace_in_a_long_running_process(make_site: MakeSite) -> None:
    """serve builds again and again in one process: the sitemap's namespace must not leak into
    the feeds of the next build (ElementTree's namespace map is global)."""
    site = make_site(
        {"content/d1/a.md": record_text(), "site.yaml": SITE_YAML}
    )  # this module's site.yaml sets base_url: a sitemap is written
    for _ in range(2):
        assert run_cli("build", "--site", site).code == 0
        for feed in (site / "build/feed.xml", site / "build/d1/feed.xml"):
            assert (
                feed.read_text(encoding="utf-8").splitlines()[1].startswith('<feed xmlns="http://www.w3.org/2005/Atom"')
            )
        assert 'urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' in (site / "build/sitemap.xml").read_text(
            "utf-8"
        )
