"""The pages made from the published metadata alone, placed whole when none of it changed.

The catalogue's listings, the portal and each department's page, the guides, the 依申请公开
page, the regulations and the annual reports, the search page, the exports and the feeds show
what is listed of each published record (publicity.listed_form), never a record's body. Besides,
they read the annual reports, the date an empty feed is dated by, the Word template of the
reports' .docx files, and what every page reads (settings, departments, templates, the product's
code). When the key of all that is the one the last build had, each of their files is placed as
that build placed it, and not one of their pages is planned: an edit of a record's body changes
none of them, and at 200,000 records planning their 200,000 pages took 3.4 s.

Otherwise they are rendered page by page (a changed group of pages is still the only one
rendered again: Renderer.reuse_group), and what they placed is noted for the next build
(pagecache.MetadataPages). Not on a cluster, whose workers plan every page the building process
queues (render/remote.py).
"""

from __future__ import annotations

from itertools import islice
from typing import Callable

from ..pagecache import KEY, MetadataPages
from ..today import resolve_today
from .pages import Renderer
from .reports import word_template_digest

PART = "metadata-pages"  # their key's name


def render(renderer: Renderer, pages: Callable[[Renderer], None]) -> None:
    """Place the pages whole, or render them with `pages`; either way `renderer.metadata_pages`
    says what they placed."""
    key = _key(renderer)
    cache = renderer.output.cache
    previous = cache.metadata_pages if cache is not None else None
    if previous is not None and previous.key == key and not renderer.executor.remote and _placed(renderer, previous):
        renderer.metadata_pages = previous
        return
    output = renderer.output
    renderer.finish()  # the pages queued before are recorded: each file recorded after is theirs
    files, planned, groups = len(output.files), len(renderer.pages), len(renderer.groups)
    pages(renderer)
    renderer.finish()
    placed = list(islice(output.files, files, None))
    renderer.metadata_pages = MetadataPages(
        key,
        placed,
        renderer.pages[planned:],
        [rel for rel in placed if rel in output.copied],
        dict(islice(renderer.groups.items(), groups, None)),
    )


def _key(renderer: Renderer) -> str:
    publication = renderer.publication
    config = publication.config
    reports = publication.reports, publication.report_summaries
    word = word_template_digest(config) if any(reports) else ""  # read only when a report is written
    return renderer.key(PART, "", (resolve_today(None, config), renderer.rows(publication.records), *reports, word))


def _placed(renderer: Renderer, previous: MetadataPages) -> bool:
    """Place every file `previous` names as the last build placed it; False, and nothing placed,
    when one of them is not there as it was (then they are rendered)."""
    output = renderer.output
    assert output.cache is not None
    entries = output.cache.entries
    if output.from_spare:  # the spare brought up to date holds them (each the cache's): a few set operations
        if not output.held.issuperset(previous.files) or not output.place_held(previous.files):
            return False
    else:
        if not all(rel in entries and output.reusable(rel, entries[rel][KEY]) for rel in previous.files):
            return False
        for rel in previous.files:
            output.reuse(rel, entries[rel][KEY], checked=True)
    output.copied.update(previous.copied)
    renderer.planned(previous.pages)
    renderer.groups.update(previous.groups)
    return True
