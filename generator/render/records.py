"""One page per fully published record, with its attachments beside it."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from .. import links, markdown, urls
from ..load import CONTENT
from ..publicity import PublicRecord
from .pages import Renderer


def body_html(renderer: Renderer, record: PublicRecord, by_source: dict[Path, PublicRecord]) -> Markup:
    """The body as HTML; links to records that are not published lose their target."""
    page = urls.record(record)
    content_root = renderer.publication.config.root / CONTENT
    assert record.source is not None

    def rewrite(href: str) -> str:
        try:
            target = links.resolve(record.source, href, content_root)  # type: ignore[arg-type]
        except links.LinkError:
            return ""
        if target.kind in ("external", "anchor"):
            return href
        if target.kind == "attachment":
            return urls.relative(page, urls.attachment(record, target.attachment))
        linked = by_source.get(target.record_file) if target.record_file else None
        if linked is None or not linked.full:
            return ""
        fragment = f"#{target.fragment}" if target.fragment else ""
        return urls.relative(page, urls.record(linked) + fragment)

    return Markup(markdown.render(record.body, rewrite))


def render_records(renderer: Renderer) -> None:
    publication = renderer.publication
    by_index = publication.by_index()
    by_source = {r.source.resolve(): r for r in publication.full if r.source}
    for record in publication.full:
        for name, path in record.attachments:
            renderer.output.copy(urls.attachment(record, name), path)
        renderer.page(
            urls.record(record), "record.html", record=record, body=body_html(renderer, record, by_source),
            department=publication.departments.get(record.dept),
            superseded_by=by_index.get(record.superseded_by),
            interprets=by_index.get(record.interprets),
            interpreted_by=[by_index[i] for i in record.interpreted_by],
        )
