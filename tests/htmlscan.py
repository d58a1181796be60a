"""Read built HTML pages with the standard library parser: links, ids, meta tags, text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

LINK_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "form": "action", "iframe": "src"}


@dataclass
class Page:
    path: str  # relative to the build root, POSIX
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    meta: dict[str, str] = field(default_factory=dict)
    lang: str = ""
    text: list[str] = field(default_factory=list)
    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.page.tags.append((tag, values))
        if tag in LINK_ATTRS and values.get(LINK_ATTRS[tag]):
            self.page.links.append(values[LINK_ATTRS[tag]])
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.page.ids.add(values[key])
        if tag == "meta" and "name" in values:
            self.page.meta[values["name"]] = values.get("content", "")
        if tag == "html":
            self.page.lang = values.get("lang", "")

    def handle_data(self, data: str) -> None:
        self.page.text.append(data)


def scan(root: Path, file: Path) -> Page:
    page = Page(file.relative_to(root).as_posix())
    _Scanner(page).feed(file.read_text(encoding="utf-8"))
    return page


def scan_site(root: Path) -> dict[str, Page]:
    return {p.path: p for p in (scan(root, f) for f in sorted(root.rglob("*.html")))}


def text_of(page: Page) -> str:
    return " ".join(" ".join(page.text).split())
