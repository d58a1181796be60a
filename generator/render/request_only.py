"""A page for each 依申请公开 record: its public metadata only (title, 索引号, publisher, dates, its
category and 公开属性), and how to ask for it. The record's body, attachments and every other key
are not public and never reach this page: a metadata-only PublicRecord carries only the keys the
schema marks LISTED (publicity.py). The page is listed, never indexed: the search index holds the
records published in full alone (publicity.SEARCHED, search/shards.py)."""

from __future__ import annotations

from .. import urls
from .pages import Renderer


def render_request_only(renderer: Renderer) -> None:
    publication = renderer.publication
    for record in publication.records:
        if record.full:
            continue
        apply_page, fragment = urls.apply_office(record.dept)
        renderer.page(
            urls.request_only(record),
            "request_only.html",
            record=record,
            department=publication.departments.get(record.dept),
            apply_page=apply_page,
            apply_fragment=fragment,
        )
