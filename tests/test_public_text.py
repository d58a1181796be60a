"""Nothing internal reaches a citizen: no repository path (content/…, a .md file), no key of the
content format (index_no, fees …) and no product name ("disclosure", outside the generator meta
tag) in any public file of the demo build — its pages, feeds, sitemap, data exports, charts,
search index and Word reports.

What is checked is what a visitor reads: the text and the attribute values of pages (class
names and element names are markup, not text), the text of XML and SVG files, the values of
the JSON and CSV exports (their field names are the documented export format, docs/public-site.md),
the text of the search index's fragments and every paragraph, table cell, header, footer and
property of the .docx files.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import docx
import pytest
from lxml import etree

from generator.render.records import signature_lines
from generator.schema import DECLARATIONS
from tests.conftest import record_text

PATHS = re.compile(r"content/|[\w\-\u4e00-\u9fff]\.md\b|\bdisclosure\b", re.IGNORECASE)
KEYS = sorted({name for declaration in DECLARATIONS for name in declaration.keys}, key=len, reverse=True)
KEY_WORD = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, KEYS)) + r")(?![A-Za-z0-9_])")
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "content", "value", "data-label"}
SKIPPED_SUFFIXES = {".css", ".js", ".wasm", ".ico", ".png", ".jpg", ".gif", ".pdf", ".pagefind", ".pf_meta"}


class _Text(HTMLParser):
    """(visible text, every attribute value) of a page; the generator meta tag left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self.hidden += 1
        if tag == "meta" and values.get("name") == "generator":
            return
        for name, value in values.items():
            if name == "class":
                continue
            self.attributes.append(value)
            if name in TEXT_ATTRIBUTES:
                self.text.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)


def docx_texts(path: Path) -> Iterator[str]:
    document = docx.Document(str(path))
    for para in document.paragraphs:
        yield para.text
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield cell.text
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_footer, section.first_page_footer):
            yield from (p.text for p in part.paragraphs)
    props = document.core_properties
    yield from (props.title or "", props.author or "", props.comments or "", props.keywords or "")


def json_values(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from json_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_values(item)
    elif value is not None:
        yield str(value)


def public_texts(path: Path) -> tuple[list[str], list[str]]:
    """(texts a visitor reads, attribute values) of one public file."""
    suffix = path.suffix.lower()
    if suffix == ".html":
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        return parser.text, parser.attributes
    if suffix in (".xml", ".svg"):
        root = etree.fromstring(path.read_bytes())
        texts = [t for t in root.itertext()]
        attributes = [v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
        return texts, attributes
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data.pop("fields", None)  # catalogue.json's list of its own field names: the export format
        return list(json_values(data)), []
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        return [cell for row in rows[1:] for cell in row], []
    if suffix == ".pf_fragment":
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        values = [
            fragment.get("content", ""),
            *json_values(fragment.get("meta")),
            *json_values(fragment.get("filters")),
        ]
        return [str(v).replace("\u200b", "") for v in values], []
    if suffix == ".pf_terms":  # the term directory: keys (hashes, ASCII prefixes of the public text)
        return list(json.loads(gzip.decompress(path.read_bytes()))), []
    if suffix == ".pf_order":  # a shard's page ids in date order, with their dates (search/order.py)
        return list(json_values(json.loads(gzip.decompress(path.read_bytes())))), []
    if suffix == ".pf_heads":  # a group of a shard's pages: their titles, 文号 and 索引号 (search/heads.py)
        return list(json_values(json.loads(gzip.decompress(path.read_bytes())))), []
    if suffix == ".docx":
        return list(docx_texts(path)), []
    raise AssertionError(f"a public file of an unknown kind: {path}")


def public_files(build: Path) -> list[Path]:
    return [
        p
        for p in sorted(build.rglob("*"))
        if p.is_file()
        and not p.name.startswith(".")  # the output folder's own marker, not a page
        and p.suffix.lower() not in SKIPPED_SUFFIXES
        and not p.name.startswith(("pagefind", "wasm"))
        and "/index/" not in p.as_posix()
        and "/filter/" not in p.as_posix()
    ]


def test_no_public_file_shows_a_path_a_content_key_or_the_product_name(demo_build: Path) -> None:
    files = public_files(demo_build)
    kinds = {p.suffix for p in files}
    assert {
        ".html",
        ".xml",
        ".json",
        ".csv",
        ".svg",
        ".docx",
        ".pf_fragment",
        ".pf_terms",
        ".pf_order",
        ".pf_heads",
    } <= kinds, kinds
    leaks = []
    for path in files:
        texts, attributes = public_texts(path)
        rel = path.relative_to(demo_build).as_posix()
        for text in texts:
            for match in (PATHS.search(text), KEY_WORD.search(text)):
                if match:
                    leaks.append(f"{rel}: {match.group(0)!r} in {text.strip()[:80]!r}")
        for value in attributes:
            match = PATHS.search(value)
            if match:
                leaks.append(f"{rel}: {match.group(0)!r} in attribute {value[:80]!r}")
    assert not leaks, "\n".join(leaks[:30])


def test_the_scan_sees_a_leak() -> None:
    """The patterns catch what they are for (a scan that cannot fail proves nothing)."""
    assert PATHS.search("行政事业性收费（content/aershan/reports/2025.md 中的 fees）")
    assert KEY_WORD.search("（reports/2025.md 中的 fees）").group(0) == "fees"  # type: ignore[union-attr]
    assert PATHS.search("本报告的数字由 disclosure 计算")
    assert not KEY_WORD.search("订阅（Atom）、目录数据（JSON）、ICP备案号")
    parser = _Text()
    parser.feed('<meta name="generator" content="disclosure"><p class="summary">概述</p>')
    assert not any(PATHS.search(t) or KEY_WORD.search(t) for t in parser.text + parser.attributes)


def test_pages_carry_the_generator_meta_tag(demo_build: Path) -> None:
    assert '<meta name="generator" content="disclosure">' in (demo_build / "index.html").read_text(encoding="utf-8")


def test_favicon_is_served(demo_build: Path) -> None:
    icon = demo_build / "favicon.ico"
    assert icon.read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon" href="favicon.ico"' in (demo_build / "index.html").read_text(encoding="utf-8")


# --- a notice's 落款: the issuing body and the date each on a line of its own ---------------------

SIGNED = "正文第一段。\n\n测试局办公室\n2026年11月3日\n"


@pytest.mark.parametrize(
    "body, paragraphs",
    [
        (SIGNED, ["正文第一段。", "测试局办公室", "2026年11月3日"]),
        (
            "正文。\n\n测试局\n测试局办公室\n2026 年 11 月 3 日",
            ["正文。", "测试局", "测试局办公室", "2026 年 11 月 3 日"],
        ),
        ("第一行写完了。\n接着写的第二行。\n", ["第一行写完了。\n接着写的第二行。"]),  # prose: a soft break
        ("通知如下，\n2026年11月3日", ["通知如下，\n2026年11月3日"]),  # a sentence going on is no 落款
    ],
)
def test_signature_and_date_lines_stay_apart(body: str, paragraphs: list[str]) -> None:
    assert [p.strip("\n") for p in re.split(r"\n\s*\n", signature_lines(body).strip())] == paragraphs


def test_a_built_record_page_shows_its_signature_lines_as_paragraphs(make_site: Any) -> None:
    from tests.conftest import run_cli

    site = make_site({"content/d1/a.md": record_text(SIGNED)})
    assert run_cli("build", "--site", site).code == 0
    page = next((site / "build" / "d1").glob("*.html"))
    html = page.read_text(encoding="utf-8")
    if page.name == "index.html":
        html = next(p for p in (site / "build" / "d1").glob("2026-*.html")).read_text(encoding="utf-8")
    assert "<p>测试局办公室</p>" in html and "<p>2026年11月3日</p>" in html
