"""Atom feeds (RFC 4287) of the newest listed records: one for the site, one per department.

Entries of 依申请公开 records carry metadata only and point to the 依申请公开 page.
Links are absolute when site.yaml sets base_url, otherwise relative to the feed file, and
percent-encoded (urls.py). Every text and attribute is cleaned of the characters XML 1.0
forbids (controls other than tab and line ends, U+FFFE, U+FFFF, lone surrogates): a title
written with "\x01" in YAML must not make the feed unreadable for every subscriber.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from .. import urls
from ..publicity import PublicRecord
from ..today import resolve_today
from .pages import Renderer

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _stamp(record: PublicRecord) -> dt.datetime:
    when = record.published or dt.datetime.combine(record.written or dt.date(1970, 1, 1), dt.time())
    return when.replace(tzinfo=BEIJING) if when.tzinfo is None else when


def entry_id(record: PublicRecord) -> str:
    """Stable across rebuilds and moves of the site: derived from the index number."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"disclosure:{record.index_no}").urn


# Not a Char of XML 1.0 (§2.2): #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (they are invisible: dropped, not replaced)."""
    return NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text:
        element.text = xml_text(text)
    return element


def render_feed(renderer: Renderer, path: str, title: str, records: list[PublicRecord]) -> None:
    config = renderer.publication.config
    names = {slug: d.name for slug, d in renderer.publication.departments.items()}

    def link(target: str | tuple[str, str]) -> str:
        if not config.base_url:
            return urls.relative(path, target)
        return urljoin(config.base_url.rstrip("/") + "/", urls.href(target))

    newest = records[:FEED_SIZE]
    # an empty feed is dated by SOURCE_DATE_EPOCH or site.yaml `today` when set: the only clocks of a build
    fallback = dt.datetime.combine(resolve_today(None, config), dt.time(), BEIJING)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": xml_text(config.language)})
    _sub(feed, "title", title)
    _sub(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"disclosure:{config.domain}:{path}").urn)
    _sub(feed, "updated", max((_stamp(r) for r in newest), default=fallback).isoformat())
    _sub(feed, "link", rel="self", href=link(path), type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=link(urls.HOME), type="text/html")
    author = _sub(feed, "author")
    _sub(author, "name", config.footer.host or config.title)
    for record in newest:
        entry = _sub(feed, "entry")
        _sub(entry, "title", record.title)
        _sub(entry, "id", entry_id(record))
        _sub(entry, "updated", _stamp(record).isoformat())
        if record.published:
            _sub(entry, "published", _stamp(record).isoformat())
        target = urls.record(record) if record.full else urls.apply_office(record.dept)
        _sub(entry, "link", rel="alternate", href=link(target), type="text/html")
        for publisher in record.publisher or [names.get(record.dept, record.dept)]:
            _sub(_sub(entry, "author"), "name", publisher)
        _sub(entry, "category", term=record.category, label=record.category)
        if record.full and record.summary:
            _sub(entry, "summary", record.summary)
        elif not record.full:
            _sub(entry, "summary", f"{record.publicity}：本信息依申请公开，索引号 {record.index_no}。")
    ET.indent(feed)
    # registered right before writing: ElementTree's prefix map is global to the process, and a
    # default namespace registered elsewhere would turn every later feed of a long-running process
    # (serve) into <ns0:feed>
    ET.register_namespace("", ATOM)
    renderer.output.write_bytes(path, ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def render_feeds(renderer: Renderer) -> None:
    publication = renderer.publication
    render_feed(renderer, urls.FEED, publication.config.title, publication.records)
    for slug, department in publication.departments.items():
        render_feed(
            renderer,
            urls.dept_feed(slug),
            f"{department.name} - {publication.config.title}",
            publication.index.dept(slug),
        )
