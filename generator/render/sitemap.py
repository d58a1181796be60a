"""sitemap.xml (sitemaps.org 0.9) of every rendered page.

The protocol requires absolute URLs, so the sitemap is written only when site.yaml sets
base_url. It is rendered last, after every other page kind.

A sitemap may list at most 50,000 URLs and be at most 50 MB (the protocol's limits; search
engines ignore a larger one). A site with more pages — a city's catalogue has hundreds of
thousands — gets sitemap-1.xml, sitemap-2.xml, … of at most that many each, and sitemap.xml
becomes their index (a sitemapindex), so the one address to give a search engine stays the same.
Each file is written a URL at a time, never whole in memory, and only when the list of pages
or base_url changed since the last build: otherwise the last build's files are placed as they are.
"""

from __future__ import annotations

from typing import Iterator
from urllib.parse import quote, urljoin
from xml.sax.saxutils import escape

from .. import pagecache, urls
from ..output import Output
from .pages import Renderer

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # URLs in one sitemap file (sitemaps.org)
MAX_BYTES = 50 * 1024 * 1024  # bytes of one sitemap file, uncompressed (sitemaps.org)
DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


def render_sitemap(renderer: Renderer) -> None:
    base = renderer.publication.config.base_url
    if not base:
        return
    base = base if base.endswith("/") else base + "/"
    pages = sorted(renderer.pages)
    # made of the base and the pages alone: an edit that adds or removes no page writes none again
    digest = pagecache.digest_of("\0".join(pages).encode())
    key = renderer.key(urls.SITEMAP, "sitemap", (base, MAX_URLS, MAX_BYTES, digest))
    if _reuse(renderer.output, key):
        return
    prefix = _prefix(base)
    locations = [prefix + quote(page) for page in pages]
    parts = list(_parts(locations))
    if len(parts) == 1:
        renderer.output.write_pieces(urls.SITEMAP, _document("urlset", "url", locations), key)
        return
    names = [urls.sitemap_part(n) for n in range(1, len(parts) + 1)]
    for name, (start, end) in zip(names, parts):
        renderer.output.write_pieces(name, _document("urlset", "url", locations[start:end]), key)
    renderer.output.write_pieces(urls.SITEMAP, _document("sitemapindex", "sitemap", [base + n for n in names]), key)


def _prefix(base: str) -> str:
    """What urljoin(base, quote(page)) puts before quote(page), for every output path `page` (a
    relative path of non-empty segments, none of them '.' or '..'; quote leaves no ':', '?' or '#'
    in it): the folder of `base`, its dot segments resolved. Joined by urljoin one page at a time,
    a city's 650,000 pages took 2 s of every build that adds a page (tests/test_exports.py)."""
    return urljoin(base, "x")[:-1]


def _reuse(output: Output, key: str) -> bool:
    """Place the previous build's sitemap files if they were made for `key`: all of them, or none."""
    previous = output.cache.entries if output.cache is not None else {}
    names = [urls.SITEMAP]
    while (entry := previous.get(urls.sitemap_part(len(names)))) is not None and entry[pagecache.KEY] == key:
        names.append(urls.sitemap_part(len(names)))
    if not all(output.reusable(name, key) for name in names):
        return False
    return all(output.reuse(name, key, checked=True) for name in names)


def _document(root: str, item: str, locations: list[str]) -> Iterator[str]:
    yield f'{DECLARATION}<{root} xmlns="{SITEMAP_NS}">\n'
    for location in locations:
        yield _entry(item, location)
    yield f"</{root}>"


def _entry(item: str, location: str) -> str:
    return f"  <{item}>\n    <loc>{escape(location)}</loc>\n  </{item}>\n"


def _parts(locations: list[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each file's share of `locations`: at most MAX_URLS and MAX_BYTES each."""
    overhead = len(_document_bytes("urlset"))
    start, size = 0, overhead
    for n, location in enumerate(locations):
        length = len(_entry("url", location).encode("utf-8"))
        if n > start and (n - start >= MAX_URLS or size + length > MAX_BYTES):
            yield start, n
            start, size = n, overhead
        size += length
    yield start, len(locations)


def _document_bytes(root: str) -> bytes:
    return "".join(_document(root, "", [])).encode("utf-8")
