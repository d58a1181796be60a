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
import json

from .. import urls
from ..publicity import PublicRecord
from .pages import Renderer

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
    publication = renderer.publication
    names = {slug: d.name for slug, d in publication.departments.items()}
    rows = [row(r, names.get(r.dept, r.dept)) for r in publication.records]
    document = {
        "site": publication.config.title,
        "base_url": publication.config.base_url,
        "fields": list(FIELDS),
        "records": rows,
    }
    renderer.output.write_text(urls.CATALOGUE_JSON, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for item in rows:
        writer.writerow({k: csv_cell("；".join(v) if isinstance(v, list) else str(v)) for k, v in item.items()})
    # With a byte-order mark, spreadsheet programs open the Chinese text as UTF-8.
    renderer.output.write_text(urls.CATALOGUE_CSV, "\ufeff" + buffer.getvalue())
