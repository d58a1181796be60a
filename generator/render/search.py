"""The search page: a form that works with the portal's search box (?q=), filled in by static/search.js
from the index that the index stage writes (generator/index.py)."""

from __future__ import annotations

from .. import urls
from .pages import Renderer

# The filters every record page declares (layouts/record.html, data-pagefind-filter), in form order.
FILTERS = ("发布机构", "信息分类", "年份", "有效性")


def render_search(renderer: Renderer) -> None:
    renderer.page(urls.SEARCH, "search.html", filters=FILTERS)
