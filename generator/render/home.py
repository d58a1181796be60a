"""The disclosure portal (home) and each department's entry page.

The portal carries the standard sections of a provincial disclosure portal: 政府信息公开制度,
法定主动公开内容, 政府信息公开年报, 依申请公开 and 平台链接, with the newest records,
the search box and every department's entry.
"""

from __future__ import annotations

from .. import urls
from .catalogue import Facet, Navigation, shown_nodes
from .pages import Renderer
from .regulations import REGULATIONS_CATEGORY

NEWEST = 10
REPORTS_CATEGORY = "政府信息公开年报"


def render_home(renderer: Renderer, nav: Navigation) -> None:
    publication = renderer.publication
    counts = {facet.base: facet.count for facet in nav.categories}
    statutory = [
        Facet(node.name, urls.category_listing(node.path), counts[urls.category_listing(node.path)], depth)
        for node, depth in shown_nodes(renderer)
        if node.path.split("/")[0] not in (REGULATIONS_CATEGORY, REPORTS_CATEGORY) and (depth > 0 or not node.children)
    ]
    regulations = publication.index.category(REGULATIONS_CATEGORY)
    renderer.page(
        urls.HOME,
        "home.html",
        newest=publication.records[:NEWEST],
        statutory=statutory,
        regulations=regulations[:NEWEST],
        report_years=publication.report_summaries,
    )
    for slug, department in publication.departments.items():
        records = publication.index.dept(slug)
        renderer.page(
            urls.department(slug), "department.html", department=department, newest=records[:NEWEST], total=len(records)
        )
