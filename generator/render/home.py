"""The home page (the portal grows from here) and each department's entry page."""

from __future__ import annotations

from .. import urls
from .pages import Renderer

NEWEST = 10


def render_home(renderer: Renderer) -> None:
    publication = renderer.publication
    renderer.page(urls.HOME, "home.html", newest=publication.records[:NEWEST])
    for slug, department in publication.departments.items():
        records = [r for r in publication.records if r.dept == slug]
        renderer.page(urls.department(slug), "department.html", department=department,
                      newest=records[:NEWEST], total=len(records))
