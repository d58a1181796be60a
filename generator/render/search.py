"""The search page: a form that works with the header's search box (?q=), filled in by
static/search.js from the index that the index stage writes (generator/index.py)."""

from __future__ import annotations

from .. import urls
from ..search.docs import FILTERS
from .pages import Renderer


def render_search(renderer: Renderer) -> None:
    renderer.page(urls.SEARCH, "search.html", filters=FILTERS)
