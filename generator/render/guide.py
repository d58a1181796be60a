"""Each department's 政府信息公开指南 (《条例》第十二条), generated from department.yaml,
site.yaml and the live taxonomy, so its classification never falls behind the catalogue."""

from __future__ import annotations

from collections import Counter

from .. import urls
from .catalogue import shown_nodes
from .pages import Renderer


def render_guides(renderer: Renderer) -> None:
    publication = renderer.publication
    shown = {node.path for node, _ in shown_nodes(renderer)}  # a column hidden while empty has no listing
    for slug, department in publication.departments.items():
        records = publication.index.dept(slug)
        counts: Counter[str] = Counter()
        for record in records:
            parts = record.category.split("/")
            for depth in range(1, len(parts) + 1):
                counts["/".join(parts[:depth])] += 1
        example = records[0].index_no if records else f"{department.uscc}/2026-00001"
        renderer.page(
            urls.guide(slug),
            "guide.html",
            department=department,
            counts=counts,
            total=len(records),
            example=example,
            shown=shown,
            topics={record.topic for record in records if record.topic},
        )
