"""What every staleness rule measures against: the site, today, the calendar, the limits.

Deadlines in working days go through `Context.deadline`, which remembers any year the
calendar cannot vouch for; `unvouched_findings` then reports each such year once (STL013).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from ..config import Deadlines
from ..findings import Finding
from ..model import Record, Site
from .calendar import WorkingCalendar

SHOWN_FILES = 3  # records named in an STL013 message; the rest are counted


@dataclass
class Context:
    site: Site
    today: dt.date
    calendar: WorkingCalendar
    # year → the files whose deadlines touch it, in order, each once
    unvouched: dict[int, dict[str, None]] = field(default_factory=dict)
    # (start, days) → the deadline, and the years from start to deadline the calendar cannot vouch for (records share few dates)
    _ends: dict[tuple[dt.date, int], tuple[dt.date, tuple[int, ...]]] = field(default_factory=dict)

    @classmethod
    def for_site(cls, site: Site, today: dt.date) -> "Context":
        extra = site.config.calendar
        return cls(site, today, WorkingCalendar(extra.holidays, extra.workdays))

    @property
    def limits(self) -> Deadlines:
        return self.site.config.deadlines

    @functools.cached_property
    def by_index(self) -> dict[str, Record]:
        """The records by 索引号 (`Site.by_index`), made once for the stages that look them up."""
        return self.site.by_index()

    def deadline(self, start: dt.date, days: int, file: str) -> dt.date:
        """The `days`-th working day after `start`, noting any year the calendar cannot vouch for."""
        known = self._ends.get((start, days))
        if known is None:
            end = self.calendar.add_working_days(start, days)
            years = range(start.year, end.year + 1)
            known = self._ends[start, days] = (end, tuple(y for y in years if not self.calendar.vouches(y)))
        for year in known[1]:
            self.unvouched.setdefault(year, {})[file] = None  # a dict: the files in order, each once
        return known[0]

    def unvouched_findings(self) -> list[Finding]:
        findings = []
        for year, held in sorted(self.unvouched.items()):
            files = list(held)
            named = "、".join(files[:SHOWN_FILES]) + (f" 等 {len(files)} 个文件" if len(files) > SHOWN_FILES else "")
            findings.append(
                Finding(
                    "STL013",
                    "site.yaml",
                    1,
                    f"{year} 年的法定节假日和调休安排工作日历尚未收录，{named} 的工作日期限落在该年，计算结果可能有误",
                    f"按国务院办公厅 {year} 年部分节假日安排的通知，在 site.yaml 的 calendar.holidays 和 "
                    f"calendar.workdays 中补充该年的放假日期和调休上班日期，或升级 holidays 库。",
                )
            )
        return findings
