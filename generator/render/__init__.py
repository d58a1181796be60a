"""Stage 5 — render: the public site from the Publication (never from raw records).

`render_site` reads like the list of what a visitor can open; each kind of page has a
module of its own in this package.
"""

from __future__ import annotations

from ..output import Output
from ..publicity import Publication
from . import catalogue, home, records, search, static
from .pages import Renderer


def render_site(publication: Publication, output: Output) -> Renderer:
    renderer = Renderer(publication, output)
    static.copy_assets(renderer)
    records.render_records(renderer)
    catalogue.render_catalogues(renderer)
    home.render_home(renderer)
    search.render_search(renderer)
    return renderer
