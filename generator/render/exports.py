"""catalogue.json and catalogue.csv: one row per listed record, only public fields.

依申请公开 records are metadata only: their row gives index_no, title, department, publisher,
category, written, published and publicity, and every other field is empty (their PublicRecord
has nothing else: publicity.py) — no 文号, 文种, topic, 有效性, summary, keywords or page link.
不予公开 records are not in the Publication at all, so they cannot appear here.

In the CSV only, a cell that a spreadsheet would take for a formula (it starts with =, +, -, @,
a tab or a carriage return) gets a leading ' (OWASP, CSV injection): a title
=HYPERLINK("http://x") is shown as text, never run. The JSON keeps every value as written.
`url` is percent-encoded (urls.href): a department folder d#1 gives d%231/….
"""

from __future__ import annotations

import csv
import io
import json
from typing import Callable

from .. import heap, pagecache, urls
from . import exportrows
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
    """Both files are written a record at a time: at a city's scale they run to hundreds of MB.
    A row the previous file holds unchanged is copied from it, not encoded again (exportrows.py)."""
    publication = renderer.publication
    names = {slug: d.name for slug, d in publication.departments.items()}
    records = publication.records

    def item(i: int) -> dict[str, object]:
        return row(records[i], names.get(records[i].dept, records[i].dept))

    head: dict[str, object] = {
        "site": publication.config.title,
        "base_url": publication.config.base_url,
        "fields": list(FIELDS),
    }
    # Both are made of the rows alone, and a row of a record's public metadata and its department's
    # name (which every key holds): the records' listed forms are the key (Renderer.rows), and an
    # edit that changes no row (a body) writes neither again.
    forms = renderer.rows(records)
    rows_digest = pagecache.digest_of(forms)
    for path, layout, encode in (
        (urls.CATALOGUE_JSON, json_layout(head, "records"), lambda i: json_row(item(i), i)),
        (urls.CATALOGUE_CSV, CSV_LAYOUT, lambda i: csv_row(item(i))),
    ):
        key = renderer.key(path, "exports", (head, rows_digest))
        if not renderer.output.reuse(path, key):
            _write(renderer, path, layout, forms, encode, key)


def _write(
    renderer: Renderer, path: str, layout: exportrows.Layout, forms: bytes, encode: Callable[[int], str], key: str
) -> None:
    """Write the export `path`, copying what rows it can from the previous output's (exportrows.py)."""
    output, root = renderer.output, renderer.publication.config.root
    assert renderer.base_key is not None  # made by renderer.key
    with exportrows.previous(root, path, output.cache, renderer.base_key) as previous:
        written = exportrows.write(layout, forms, encode, key, renderer.base_key, previous)
        try:
            output.write_bytes_pieces(path, written.pieces, key)
        finally:
            written.pieces.close()  # what it holds of the previous file goes before that is unmapped
    output.spans[path] = written.copied
    exportrows.save(root, path, written.table)


def json_layout(head: dict[str, object], name: str) -> exportrows.Layout:
    """json.dumps({**head, name: [*items]}, ensure_ascii=False, indent=1) + a line break, as a
    prefix, the items (json_row) separated by ",\\n", and a suffix."""
    before, after = json.dumps({**head, name: [None]}, ensure_ascii=False, indent=1).rsplit("  null", 1)
    empty = json.dumps({**head, name: []}, ensure_ascii=False, indent=1) + "\n"
    return exportrows.Layout(before, ",\n", after + "\n", empty)


def json_row(item: dict[str, object], n: int = 0) -> str:
    """One item, indented as the list's member (json_layout)."""
    if n % ASIDE == ASIDE - 1:
        # json indents in Python, with functions that refer to each other: each call leaves a
        # reference cycle, and the collector is paused while pages are made (heap.py). At
        # 200,000 records they held some 500 MB through the search stage.
        heap.set_aside()
    return "  " + json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def csv_row(item: dict[str, object]) -> str:
    """One row of the CSV, with its line break."""
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n").writerow(
        {k: csv_cell("；".join(v) if isinstance(v, list) else str(v)) for k, v in item.items()}
    )
    return buffer.getvalue()


# with a byte-order mark, spreadsheet programs open the Chinese text as UTF-8
_CSV_HEAD = "\ufeff" + csv_row(dict(zip(FIELDS, FIELDS)))
CSV_LAYOUT = exportrows.Layout(_CSV_HEAD, "", "", _CSV_HEAD)
