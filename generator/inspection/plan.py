"""The site plan as the inspection sees it: which records are listed, and which columns (taxonomy
nodes) render a listing with how many records, site-wide and per department.

It follows what the build renders (publicity.is_listed; render/catalogue.py: every taxonomy node
has a listing unless it is empty and `hide_when_empty`), without building the public records
(no Markdown, no pydantic): the check stays fast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import attrgetter

from ..config import Category
from ..model import Department, Record, Site
from ..publicity import is_listed
from ..schema import as_datetime


REPORTS_CATEGORY = "政府信息公开年报"  # the column the portal's annual reports belong to (render/home.py)


@dataclass
class Column:
    node: Category
    depth: int
    records: list[Record] = field(default_factory=list)  # listed, in the node or below it (by path, not site order)

    @property
    def shown(self) -> bool:
        return self.node.shown(len(self.records))

    @property
    def blank(self) -> bool:
        """A listing rendered with no record: 暂无公开信息 (空白栏目)."""
        return self.shown and not self.records


@dataclass
class Plan:
    site: Site
    listed: list[Record]
    by_dept: dict[str, list[Record]]
    columns: list[Column]  # every taxonomy node, in the taxonomy's order
    # when each listed record was published (by file): read once, asked for site-wide, by
    # department and by column
    moments: dict[str, dt.datetime | None]

    def departments(self) -> list[Department]:
        return [dept for _, dept in sorted(self.site.departments.items()) if dept.data]

    def newest(self, records: list[Record]) -> tuple[dt.datetime, Record] | None:
        """The record published last (with its time), or None when none has a publication date."""
        moments = self.moments
        times = [when for record in records if (when := moments[record.file]) is not None]
        if not times:
            return None
        latest = max(times)  # then, of the records published at that moment, the last by file
        return latest, max((r for r in records if moments[r.file] == latest), key=attrgetter("file"))


def _nodes(categories: list[Category], depth: int = 0) -> list[tuple[Category, int]]:
    found = []
    for node in categories:
        found.append((node, depth))
        found.extend(_nodes(node.children, depth + 1))
    return found


def plan(site: Site) -> Plan:
    listed = [record for record in site.records if is_listed(record, site.config)]
    by_dept: dict[str, list[Record]] = {}
    by_category: dict[str, list[Record]] = {}
    for record in listed:
        by_dept.setdefault(record.dept, []).append(record)
        by_category.setdefault(record.category, []).append(record)
    # a column holds the records of its path and of every path below it (a city's 200,000 records
    # fall in a few dozen paths: each path's parts are joined once, not once a record)
    by_path: dict[str, list[Record]] = {}
    for category, records in by_category.items():
        parts = category.split("/") if category else []
        for depth in range(1, len(parts) + 1):
            by_path.setdefault("/".join(parts[:depth]), []).extend(records)
    columns = [Column(node, depth, by_path.get(node.path, [])) for node, depth in _nodes(site.config.categories)]
    moments = {record.file: as_datetime(record.get("published")) for record in listed}
    return Plan(site, listed, by_dept, columns, moments)
