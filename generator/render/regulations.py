"""The 政府信息公开制度 section: the site's own disclosure regulations, by department."""

from __future__ import annotations

from .. import urls
from .catalogue import rows_of, shown_nodes
from .pages import Renderer

REGULATIONS_CATEGORY = "政府信息公开制度"


def render_regulations(renderer: Renderer) -> None:
    publication = renderer.publication
    records = publication.index.category(REGULATIONS_CATEGORY)
    by_department = [
        (department, rows_of(r for r in records if r.dept == slug))
        for slug, department in publication.departments.items()
    ]
    renderer.page(
        urls.REGULATIONS,
        "regulations.html",
        total=len(records),
        by_department=[(d, rows) for d, rows in by_department if rows],
        listing=urls.category_listing(REGULATIONS_CATEGORY)
        if any(node.path == REGULATIONS_CATEGORY for node, _ in shown_nodes(renderer))
        else "",
    )
