"""One page per fully published record, with its attachments beside it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from markupsafe import Markup

from .. import links, markdown, urls
from ..load import CONTENT
from ..markdown import signature_lines
from ..publicity import Publication, PublicRecord
from .pages import Renderer


def rewriter(
    content_root: Path, record: PublicRecord, page: str, by_source: Callable[[], dict[Path, PublicRecord]]
) -> Callable[[str], str]:
    """Where each link of the body of `record` (whose page is `page`) points on the site; "" for
    a record that is not published. `content_root`: the site's content folder."""
    assert record.source is not None
    source = Path(record.source)

    def rewrite(href: str) -> str:
        try:
            target = links.resolve(source, href, content_root)
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


@dataclass(slots=True)
class RecordPage:
    """A record's page as planned: its path, the records it shows, and where its body's links point."""

    path: str
    record: PublicRecord
    superseded_by: PublicRecord | None
    interprets: PublicRecord | None
    interpreted_by: list[PublicRecord]
    rewrite: Callable[[str], str]
    targets: tuple[tuple[str, str], ...]

    def inputs(self, renderer: Renderer) -> tuple[object, ...]:
        """What the page's key takes in besides what every page's key holds, with a record as the
        32 bytes it stands for in a key (Renderer.forms): what `values` holds, found without making it."""
        shown = [self.record, self.superseded_by, self.interprets]
        return (
            self.path,
            *(renderer.forms([r]) if r is not None else None for r in shown),
            renderer.forms(self.interpreted_by),
            self.targets,
        )

    def values(self, publication: Publication) -> dict[str, object]:
        return dict(
            record=self.record,
            department=publication.departments.get(self.record.dept),
            superseded_by=self.superseded_by,
            interprets=self.interprets,
            interpreted_by=self.interpreted_by,
        )


def render_records(renderer: Renderer) -> None:
    """Each fully published record's page and attachments. A department's record pages of one year
    are a group (Renderer.reuse_group): when none of them shows anything new, they are placed as
    they were. An edit keys again the pages of its record's year, not the department's thousands.
    A group's key takes in its pages' paths, what each record was made from (Renderer.forms: one C
    call for the group) and, for the few records that show or link to others, their pages' inputs
    (RecordPage.inputs): a page is planned one by one only for those, or when the group changed."""
    publication = renderer.publication
    by_index = publication.by_index()

    @cache
    def by_source() -> dict[Path, PublicRecord]:  # looked up only by a body that links to a record
        return {Path(r.source).resolve(): r for r in publication.full if r.source}

    content_root = publication.config.root / CONTENT

    def plan(record: PublicRecord, page_path: str) -> RecordPage:
        rewrite = rewriter(content_root, record, page_path, by_source)
        return RecordPage(
            page_path,
            record,
            by_index.get(record.superseded_by),
            by_index.get(record.interprets),
            [by_index[i] for i in record.interpreted_by],
            rewrite,
            link_targets(record, rewrite),
        )

    # a department's pages planned at a time (the site index groups its records): a city's 200,000 are not held
    for dept, listed in publication.index.by_dept.items():
        by_year: dict[int | None, list[PublicRecord]] = {}
        for record in listed:
            if not record.full:
                continue
            for name, path in record.attachments:
                renderer.output.copy(urls.attachment(record, name), path)
            by_year.setdefault(record.year, []).append(record)
        for year, records in by_year.items():
            paths = [urls.record(record) for record in records]
            related = [
                (at, plan(record, page_path).inputs(renderer))
                for at, (record, page_path) in enumerate(zip(records, paths))
                if _shows_others(record)
            ]
            inputs = ("record.html", "\0".join(paths), renderer.forms(records), related)
            left = renderer.reuse_group(f"records:{dept}:{year or ''}", paths, inputs)
            for record, page_path in zip(records, paths):
                if page_path in left:
                    page = plan(record, page_path)
                    values = page.values(publication)
                    renderer.page(
                        page.path,
                        "record.html",
                        inputs=(values, page.targets),
                        context=_body(page.record, page.rewrite),
                        **values,
                    )


def _shows_others(record: PublicRecord) -> bool:
    """Whether the record's page shows another record (the one superseding it, the one it
    interprets, those interpreting it) or its body links somewhere: its page's inputs are then
    more than what it was made from (RecordPage.inputs)."""
    return bool(record.superseded_by or record.interprets or record.interpreted_by or record.body.links)


def _body(record: PublicRecord, rewrite: Callable[[str], str]) -> Callable[[], dict[str, object]]:
    """The page's body, read and rendered only when the page is (not when its cached copy is reused)."""
    return lambda: {"body": Markup(markdown.render(signature_lines(record.body.read()), rewrite))}
