"""One page per fully published record, with its attachments beside it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from markupsafe import Markup

from .. import links, markdown, urls
from ..load import CONTENT
from ..publicity import PublicRecord
from .pages import Renderer


def rewriter(
    content_root: Path, record: PublicRecord, by_source: Callable[[], dict[Path, PublicRecord]]
) -> Callable[[str], str]:
    """Where each link of the body points on the site; "" for a record that is not published.
    `content_root`: the site's content folder."""
    page = urls.record(record)
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
        linked = by_source().get(target.record_file) if target.record_file else None
        if linked is None or not linked.full:
            return ""
        # the fragment as the author meant it (sec%201 is "sec 1"), encoded once by urls.relative
        return urls.relative(page, urls.record(linked), unquote(target.fragment))

    return rewrite


def link_targets(record: PublicRecord, rewrite: Callable[[str], str]) -> tuple[tuple[str, str], ...]:
    """Each link target written in the body with where it points now (part of the page's key)."""
    return tuple((href, rewrite(href)) for href in record.body.links)


def render_records(renderer: Renderer) -> None:
    publication = renderer.publication
    by_index = publication.by_index()

    @cache
    def by_source() -> dict[Path, PublicRecord]:  # looked up only by a body that links to a record
        return {r.source.resolve(): r for r in publication.full if r.source}

    content_root = publication.config.root / CONTENT
    for record in publication.full:
        for name, path in record.attachments:
            renderer.output.copy(urls.attachment(record, name), path)
        values = dict(
            record=record,
            department=publication.departments.get(record.dept),
            superseded_by=by_index.get(record.superseded_by),
            interprets=by_index.get(record.interprets),
            interpreted_by=[by_index[i] for i in record.interpreted_by],
        )
        rewrite = rewriter(content_root, record, by_source)
        renderer.page(
            urls.record(record),
            "record.html",
            inputs=(values, link_targets(record, rewrite)),
            context=_body(record, rewrite),
            **values,
        )


def _body(record: PublicRecord, rewrite: Callable[[str], str]) -> Callable[[], dict[str, object]]:
    """The page's body, read and rendered only when the page is (not when its cached copy is reused)."""
    return lambda: {"body": Markup(markdown.render(signature_lines(record.body.read()), rewrite))}


# The 落款 of a notice: a block of short lines (the issuing body, maybe a second one) ending in
# the date, written one under the other. Markdown would join them into one line.
_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_SIGNATURE_MAX = 40  # characters: a line longer than this is prose, not an issuing body
_PROSE_END = tuple("。；，：！？;,:!?")


def _is_signature(lines: list[str]) -> bool:
    *names, date = [line.strip() for line in lines]
    return (
        len(lines) > 1
        and _DATE_LINE.fullmatch(date) is not None
        and all(0 < len(name) <= _SIGNATURE_MAX and not name.endswith(_PROSE_END) for name in names)
        and not any(line.startswith(("    ", "\t", "|", "#", ">", "-", "*", "`")) for line in lines)
    )


def signature_lines(body: str) -> str:
    """The body with each line of a signature block (署名 … 日期) made a paragraph of its own,
    by a blank line between them: plain Markdown, so no HTML is written by hand and the
    renderer's escaping applies as to any other text. Elsewhere a line break inside a paragraph
    stays a soft break (Markdown's breaks option stays off: hard-wrapped prose must not break)."""
    blocks = re.split(r"(\n[ \t]*\n)", body)
    for i in range(0, len(blocks), 2):
        lines = blocks[i].strip("\n").split("\n")
        if _is_signature(lines):
            blocks[i] = "\n\n".join(lines)
    return "".join(blocks)
