"""The site index: every listed record grouped once, in the publication's order (newest first).

Rendering needs the same groups again and again — a department's records for its portal
page, guide, feed, catalogue and 依申请公开 count; a category's records with those of every
category below it; a year's, a topic's. Grouping once here makes each of those a look-up,
so rendering grows with the number of records, not with records times listings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .publicity import PublicRecord


@dataclass
class SiteIndex:
    by_dept: dict[str, list[PublicRecord]] = field(default_factory=dict)
    by_category: dict[str, list[PublicRecord]] = field(default_factory=dict)  # a node: it and all below
    by_topic: dict[str, list[PublicRecord]] = field(default_factory=dict)
    by_year: dict[int, list[PublicRecord]] = field(default_factory=dict)
    by_index_no: dict[str, PublicRecord] = field(default_factory=dict)

    def dept(self, slug: str) -> list[PublicRecord]:
        return self.by_dept.get(slug, [])

    def category(self, path: str) -> list[PublicRecord]:
        return self.by_category.get(path, [])

    def topic(self, name: str) -> list[PublicRecord]:
        return self.by_topic.get(name, [])

    def year(self, year: int) -> list[PublicRecord]:
        return self.by_year.get(year, [])


def gather(records: list[PublicRecord]) -> SiteIndex:
    index = SiteIndex()
    for record in records:
        index.by_dept.setdefault(record.dept, []).append(record)
        parts = record.category.split("/") if record.category else []
        for depth in range(1, len(parts) + 1):
            index.by_category.setdefault("/".join(parts[:depth]), []).append(record)
        if record.topic:
            index.by_topic.setdefault(record.topic, []).append(record)
        if record.year:
            index.by_year.setdefault(record.year, []).append(record)
        index.by_index_no[record.index_no] = record
    return index
