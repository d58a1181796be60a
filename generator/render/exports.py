"""catalogue.json and catalogue.csv: one row per listed record, only public fields.

依申请公开 records are metadata only: they carry no summary, keywords or page link.
不予公开 records are not in the Publication at all, so they cannot appear here.

In the CSV only, a cell that a spreadsheet would take for a formula (it starts with =, +, -, @,
a tab or a carriage return) gets a leading ' (OWASP, CSV injection): a title
=HYPERLINK("http://x") is shown as text, never run. The JSON keeps every value as written.
`url` is percent-encoded (urls.href): a department folder d#1 gives d%231/….
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from typing import Iterator

from .. import heap, pagecache, urls
from ..publicity import PublicRecord
from .pages import Renderer

ASIDE = 1000  # rows encoded between two collections (json_document)

FIELDS = (
    "index_no",
    "title",
    "department",
    "publisher",
    "category",
    "doc_type",
    "topic",
    "doc_no",
    "written",
    "published",
    "publicity",
    "status",
    "status_date",
    "summary",
    "keywords",
    "url",
)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """`value` as a CSV cell no spreadsheet evaluates: a leading ' when it could start a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def row(record: PublicRecord, department: str) -> dict[str, object]:
    """The public fields of one record; `url` is the record page, relative to the site root."""
    return {
        "index_no": record.index_no,
        "title": record.title,
        "department": department,
        "publisher": list(record.publisher),
        "category": record.category,
        "doc_type": record.doc_type,
        "topic": record.topic,
        "doc_no": record.doc_no,
        "written": record.written.isoformat() if record.written else "",
        "published": record.published.isoformat(sep=" ", timespec="minutes") if record.published else "",
        "publicity": record.publicity,
        "status": record.status,
        "status_date": record.status_date.isoformat() if record.status_date else "",
        "summary": record.summary if record.full else "",
        "keywords": list(record.keywords) if record.full else [],
        "url": urls.href(urls.record(record)) if record.full else "",
    }


def render_exports(renderer: Renderer) -> None:
    """Both files are written a record at a time: at a city's scale they run to hundreds of MB."""
    publication = renderer.publication
    names = {slug: d.name for slug, d in publication.departments.items()}

    def rows() -> Iterator[dict[str, object]]:
        return (row(r, names.get(r.dept, r.dept)) for r in publication.records)

    head: dict[str, object] = {
        "site": publication.config.title,
        "base_url": publication.config.base_url,
        "fields": list(FIELDS),
    }
    # Both are made of the rows alone, and a row of a record's public metadata and its department's
    # name (which every key holds): the records' listed forms are the key (Renderer.rows), and an
    # edit that changes no row (a body) writes neither again.
    rows_digest = pagecache.digest_of(renderer.rows(publication.records))
    for path, document in (
        (urls.CATALOGUE_JSON, lambda: json_document(head, "records", rows())),
        (urls.CATALOGUE_CSV, lambda: csv_document(rows())),
    ):
        key = renderer.key(path, "exports", (head, rows_digest))
        if not renderer.output.reuse(path, key):
            renderer.output.write_pieces(path, document(), key)


def json_document(head: dict[str, object], name: str, items: Iterator[dict[str, object]]) -> Iterator[str]:
    """The text of json.dumps({**head, name: [*items]}, ensure_ascii=False, indent=1) + a line
    break, an item at a time."""
    first = next(items, None)
    if first is None:
        yield json.dumps({**head, name: []}, ensure_ascii=False, indent=1) + "\n"
        return
    before, after = json.dumps({**head, name: [None]}, ensure_ascii=False, indent=1).rsplit("  null", 1)
    yield before
    for n, item in enumerate(itertools.chain([first], items)):  # each indented as the list's member
        yield ("  " if n == 0 else ",\n  ") + json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        if n % ASIDE == ASIDE - 1:
            # json indents in Python, with functions that refer to each other: each call leaves a
            # reference cycle, and the collector is paused while pages are made (heap.py). At
            # 200,000 records they held some 500 MB through the search stage.
            heap.set_aside()
    yield after + "\n"


def csv_document(items: Iterator[dict[str, object]]) -> Iterator[str]:
    """The CSV, a row at a time; with a byte-order mark, spreadsheet programs open the Chinese
    text as UTF-8."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writeheader()
    for item in items:
        writer.writerow({k: csv_cell("；".join(v) if isinstance(v, list) else str(v)) for k, v in item.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
