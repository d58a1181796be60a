"""The disclosure portal (home) and each department's entry page.

The portal carries the standard sections of a provincial disclosure portal: 政府信息公开制度,
法定主动公开内容, 政府信息公开年报, 依申请公开 and 平台链接, with the newest records,
the search box and every department's entry.
"""

from __future__ import annotations

from .. import urls
from . import reports
from .catalogue import Facet, rows_of, shown_nodes
from .pages import LAYOUTS, Renderer, default_layouts, site_layout_file
from .regulations import REGULATIONS_CATEGORY
from .reports import REPORTS_CATEGORY

NEWEST = 10


def render_home(renderer: Renderer) -> None:
    publication = renderer.publication
    statutory = [  # with the site's counts, which its catalogue's navigation does not show
        Facet(node.name, urls.category_listing(node.path), len(publication.index.category(node.path)), depth)
        for node, depth in shown_nodes(renderer)
        if node.path.split("/")[0] not in (REGULATIONS_CATEGORY, REPORTS_CATEGORY) and (depth > 0 or not node.children)
    ]
    regulations = publication.index.category(REGULATIONS_CATEGORY)
    renderer.page(
        urls.HOME,
        "home.html",
        newest=rows_of(publication.records[:NEWEST]),
        statutory=statutory,
        regulations=rows_of(regulations[:NEWEST]),
        report_years=reports.report_years(publication),
        page_of=reports.page_of,
    )
    _favicon(renderer)
    for slug, department in publication.departments.items():
        records = publication.index.dept(slug)
        renderer.page(
            urls.department(slug),
            "department.html",
            department=department,
            newest=rows_of(records[:NEWEST]),
            total=len(records),
        )


def _favicon(renderer: Renderer) -> None:
    """The site's icon at /favicon.ico, where browsers and crawlers ask for it: the site's
    layouts/static/favicon.ico, else the one shipped with the product."""
    own = renderer.publication.config.root / LAYOUTS / "static" / "favicon.ico"
    source = own if site_layout_file(own.parent.parent, own) else default_layouts() / "static" / "favicon.ico"
    renderer.output.copy(urls.FAVICON, source)
