"""The real corpus (../shared/corpus: gov.cn and shanghai.gov.cn metadata) as records.

Each CSV row becomes a record of a department named after its file, in memory: the
staleness stage reads only front matter, so no files need writing. Used by the corpus
test and by bench/staleness_corpus.py.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import holidays
import numpy as np

from generator.config import SiteConfig
from generator.model import Record, Site
from generator.yamlsrc import Parsed

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
FILES = ("state_council.csv", "shanghai.csv")


def rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def corpus_site(root: Path) -> Site:
    site = Site(SiteConfig(root=root), root)
    for name in FILES:
        dept = name.removesuffix(".csv")
        for i, row in enumerate(rows(name), start=2):
            meta = {key: row[key] for key in ("title", "written", "published", "doc_no") if row[key]}
            meta["publicity"] = "主动公开"
            site.records.append(
                Record(dept, f"{root}/{dept}/{i}.md", f"content/{dept}/{name}#{i}", meta, Parsed({}), "", 1)
            )
    return site


def independent_late_count(limit: int = 20) -> int:
    """Rows published more than `limit` working days after 成文日期, counted with numpy's
    business-day arithmetic (weekdays minus statutory holidays) plus the 调休 Saturdays and
    Sundays taken straight from the holidays library — no day-by-day walk."""
    pairs = [
        (dt.date.fromisoformat(r["written"]), dt.date.fromisoformat(r["published"]))
        for name in FILES
        for r in rows(name)
        if r["written"] and r["published"]
    ]
    pairs = [(w, p) for w, p in pairs if p > w]
    years = range(min(w.year for w, _ in pairs), max(p.year for _, p in pairs) + 2)
    china = holidays.China(years=years)
    off = np.array(sorted(china.keys()), dtype="datetime64[D]")
    make_up = np.array(sorted(china.weekend_workdays), dtype="datetime64[D]")
    start = np.array([w for w, _ in pairs], dtype="datetime64[D]") + 1
    end = np.array([p for _, p in pairs], dtype="datetime64[D]") + 1
    weekdays = np.busday_count(start, end, holidays=off)
    weekend_worked = np.searchsorted(make_up, end) - np.searchsorted(make_up, start)
    return int(np.count_nonzero(weekdays + weekend_worked > limit))
