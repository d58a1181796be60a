"""The Chinese working-day calendar (工作日): weekends, statutory holidays and 调休.

Holidays and make-up working days come from the `holidays` library (China); site.yaml
`calendar:` adds dates for years the library does not know yet. A year is *vouched for*
when the library has published its 调休 arrangements (it lies within the span of years
that have make-up working days) or site.yaml adds dates in it; for any other year the
calendar still answers (weekends and the fixed-date holidays) but cannot vouch for it.

Deadlines count the way the regulations do: the day something happens is not counted,
so "20 working days after D" is the 20th working day following D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import holidays

# Years the library is asked about to find where its 调休 data begins and ends.
_SCANNED_YEARS = range(1995, 2060)


@cache
def library_years() -> range:
    """The years for which the library has published 调休 (make-up working days)."""
    china = holidays.China(years=_SCANNED_YEARS)
    years = {day.year for day in china.weekend_workdays}
    return range(min(years), max(years) + 1)


class WorkingCalendar:
    def __init__(self, extra_holidays: Iterable[dt.date] = (), extra_workdays: Iterable[dt.date] = ()) -> None:
        self._china = holidays.China()
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self._added_years = {day.year for day in self.extra_holidays | self.extra_workdays}
        self._tables: dict[int, list[int]] = {}

    def vouches(self, year: int) -> bool:
        """True when the holiday and 调休 arrangements of `year` are known."""
        return year in library_years() or year in self._added_years

    def _lookup(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        in_library = day in self._china  # also loads the year, and with it its 调休
        if day in self._china.weekend_workdays:
            return True
        return not in_library and day.weekday() < 5

    def _table(self, year: int) -> list[int]:
        """Working days of `year` counted up to each day: table[n] = working days among its first n days."""
        table = self._tables.get(year)
        if table is None:
            day, table = dt.date(year, 1, 1), [0]
            while day.year == year:
                table.append(table[-1] + self._lookup(day))
                day += dt.timedelta(days=1)
            self._tables[year] = table
        return table

    def _through(self, day: dt.date) -> int:
        """Working days from 1 January of day's year up to and including `day`."""
        return self._table(day.year)[day.timetuple().tm_yday]

    def is_working_day(self, day: dt.date) -> bool:
        n = day.timetuple().tm_yday
        table = self._table(day.year)
        return table[n] > table[n - 1]

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (`start` itself not counted)."""
        day, counted = start, 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        if end <= start:
            return 0
        whole_years = sum(self._table(year)[-1] for year in range(start.year, end.year))
        return whole_years - self._through(start) + self._through(end)
