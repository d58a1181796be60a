"""A page for each 依申请公开 record: its public metadata only, so search can find it and say how to
ask for it. The record's body and attachments are not public and never reach this page: a
metadata-only PublicRecord carries only the keys the schema marks LISTED (publicity.py)."""

from __future__ import annotations

from .. import urls
from ..search.shards import request_page
from .pages import Renderer


def render_request_only(renderer: Renderer) -> None:
    publication = renderer.publication
    for record in publication.records:
        if record.full:
            continue
        apply_page, fragment = urls.apply_office(record.dept)
        renderer.page(
            request_page(record),
            "request_only.html",
            record=record,
            department=publication.departments.get(record.dept),
            apply_page=apply_page,
            apply_fragment=fragment,
        )
