"""The 依申请公开 page: how to apply, the reply period and fee rule, and where to apply to
each department (its office, contact facts, online application link and guide)."""

from __future__ import annotations

from .. import urls
from .pages import Renderer


def render_apply(renderer: Renderer) -> None:
    publication = renderer.publication
    on_request = {slug: sum(1 for r in publication.index.dept(slug) if not r.full) for slug in publication.departments}
    renderer.page(urls.APPLY, "apply.html", on_request=on_request)
