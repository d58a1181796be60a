"""Stage 5 — render: the public site from the Publication (never from raw records).

`render_site` reads like the list of what a visitor can open; each kind of page has a
module of its own in this package.
"""

from __future__ import annotations

from typing import Callable

from .. import progress
from ..executors import Executor
from ..output import Output
from ..publicity import Publication
from . import (
    apply,
    catalogue,
    exports,
    feeds,
    guide,
    home,
    metadata_pages,
    records,
    regulations,
    reports,
    request_only,
    search,
    sitemap,
    static,
)
from .pages import Renderer


def render_site(
    publication: Publication,
    output: Output,
    workers: int | Executor = 1,
    records_written: Callable[[], None] | None = None,
) -> Renderer:
    """Every page of the site into `output`, rendered on `workers` processes (or a cluster).
    `records_written`: called once every record's page is written, before the other pages (a
    依申请公开 record's metadata page too: never indexed) are rendered: the pages the search index
    reads (index.Early)."""
    # how many pages there will be is known only once they are planned: a count, for a city's site
    with progress.bar("生成页面", None, size=len(publication.records)) as advance:
        renderer = Renderer(publication, output, workers, advance)
        static.copy_assets(renderer)
        records.render_records(renderer)
        if records_written is not None:
            renderer.finish()
            records_written()
        request_only.render_request_only(renderer)
        metadata_pages.render(renderer, _metadata_pages)  # placed whole when no listed record changed
        sitemap.render_sitemap(renderer)  # last: it lists every page rendered before it
        renderer.finish()
    return renderer


def _metadata_pages(renderer: Renderer) -> None:
    """Every page made from the published metadata alone (metadata_pages.py)."""
    catalogue.render_catalogues(renderer)
    home.render_home(renderer)
    guide.render_guides(renderer)
    apply.render_apply(renderer)
    regulations.render_regulations(renderer)
    reports.render_reports(renderer)
    search.render_search(renderer)
    exports.render_exports(renderer)
    feeds.render_feeds(renderer)
