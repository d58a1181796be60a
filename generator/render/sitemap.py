"""sitemap.xml (sitemaps.org 0.9) of every rendered page.

The protocol requires absolute URLs, so the sitemap is written only when site.yaml sets
base_url. It is rendered last, after every other page kind.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote, urljoin

from .. import urls
from .pages import Renderer

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(renderer: Renderer) -> None:
    base = renderer.publication.config.base_url
    if not base:
        return
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for page in sorted(renderer.pages):
        location = ET.SubElement(ET.SubElement(root, f"{{{SITEMAP_NS}}}url"), f"{{{SITEMAP_NS}}}loc")
        location.text = urljoin(base if base.endswith("/") else base + "/", quote(page))
    ET.register_namespace("", SITEMAP_NS)  # right before writing: the prefix map is global (see feeds.py)
    ET.indent(root)
    renderer.output.write_bytes(urls.SITEMAP, ET.tostring(root, encoding="utf-8", xml_declaration=True))
