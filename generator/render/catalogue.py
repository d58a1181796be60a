"""The 公开目录: per department and for the whole site, grouped by the taxonomy, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .. import urls
from ..publicity import PublicRecord
from .pages import Renderer


@dataclass
class Group:
    category: str
    records: list[PublicRecord]


@dataclass
class Pager:
    number: int
    count: int
    base: str

    def url(self, number: int) -> str:
        return urls.catalogue_page(self.base, number)


def ordered(renderer: Renderer, records: list[PublicRecord]) -> list[PublicRecord]:
    """Taxonomy order first, then newest first (records arrive newest first)."""
    order = {path: i for i, path in enumerate(renderer.publication.config.leaf_categories)}
    return sorted(records, key=lambda r: order.get(r.category, len(order)))


def paginate(renderer: Renderer, base: str, template: str, records: list[PublicRecord], **context: object) -> None:
    size = max(1, renderer.publication.config.page_size)
    rows = ordered(renderer, records)
    count = max(1, -(-len(rows) // size))
    for number in range(1, count + 1):
        chunk = rows[(number - 1) * size: number * size]
        groups = [Group(category, list(items)) for category, items in groupby(chunk, key=lambda r: r.category)]
        renderer.page(urls.catalogue_page(base, number), template, groups=groups, total=len(rows),
                      pager=Pager(number, count, base), **context)


def render_catalogues(renderer: Renderer) -> None:
    publication = renderer.publication
    paginate(renderer, urls.CATALOGUE, "catalogue.html", publication.records, department=None)
    for slug, department in publication.departments.items():
        records = [r for r in publication.records if r.dept == slug]
        paginate(renderer, urls.dept_catalogue(slug), "catalogue.html", records, department=department)
