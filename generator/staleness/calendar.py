"""The Chinese working-day calendar (工作日): weekends, statutory holidays and 调休.

Holidays and make-up working days come from the `holidays` library (China); site.yaml
`calendar:` adds dates for years the library does not know yet. A year is *vouched for*
when the library has published its 调休 arrangements (it lies within the span of years
that have make-up working days) or site.yaml adds dates in it; for any other year the
calendar still answers (weekends and the fixed-date holidays) but cannot vouch for it. Years
outside HOLIDAY_YEARS count weekends alone, and every date up to 9999-12-31 is answered (a deadline
past it is 9999-12-31): a far-future date in a record, a register or site.yaml is a date like any
other, never a crash.

Deadlines count the way the regulations do: the day something happens is not counted,
so "20 working days after D" is the 20th working day following D.
"""

from __future__ import annotations

import bisect
import calendar
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


# The library knows China's holidays only within these years (its lunar tables end with 2100, and
# there were none before 1950); any other year is counted by weekends alone — the same answer the
# library gives there, computed without asking it for every day of thousands of years.
HOLIDAY_YEARS = range(1950, 2101)


def add_days(day: dt.date, days: int) -> dt.date:
    """`day` plus `days` calendar days, held at the ends of the calendar (1-01-01, 9999-12-31)
    instead of failing: a deadline past 9999-12-31 is one that never comes."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` months (the day of the month kept where it exists), held at the ends of
    the calendar like `add_days`."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


@cache
def _new_year(year: int) -> int:
    return dt.date(year, 1, 1).toordinal()


def _day_of_year(day: dt.date) -> int:
    """1 for 1 January: what `timetuple().tm_yday` gives, without making the tuple (the deadlines of a
    city's records ask it hundreds of thousands of times)."""
    return day.toordinal() - _new_year(day.year) + 1


def _weekdays_in(year: int) -> int:
    """Monday–Friday days in `year`: 52 whole weeks, plus the one or two days left over."""
    first = dt.date(year, 1, 1).weekday()
    spare = 366 - 364 if calendar.isleap(year) else 365 - 364
    return 260 + sum(1 for i in range(spare) if (first + i) % 7 < 5)


class WorkingCalendar:
    def __init__(self, extra_holidays: Iterable[dt.date] = (), extra_workdays: Iterable[dt.date] = ()) -> None:
        self._china = holidays.China()
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self._added_years = {day.year for day in self.extra_holidays | self.extra_workdays}
        self._tables: dict[int, list[int]] = {}
        self._spans: dict[tuple[int, int], int] = {}  # (first, last year) → working days in those whole years

    def vouches(self, year: int) -> bool:
        """True when the holiday and 调休 arrangements of `year` are known."""
        return year in library_years() or year in self._added_years

    def _lookup(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if day.year not in HOLIDAY_YEARS:
            return day.weekday() < 5
        in_library = day in self._china  # also loads the year, and with it its 调休
        if day in self._china.weekend_workdays:
            return True
        return not in_library and day.weekday() < 5

    def _table(self, year: int) -> list[int]:
        """Working days of `year` counted up to each day: table[n] = working days among its first n days."""
        table = self._tables.get(year)
        if table is None:
            day, table = dt.date(year, 1, 1), [0]
            for _ in range(366 if calendar.isleap(year) else 365):
                table.append(table[-1] + self._lookup(day))
                if day < dt.date.max:
                    day += dt.timedelta(days=1)
            self._tables[year] = table
        return table

    def _year_total(self, year: int) -> int:
        """Working days in the whole of `year` (by arithmetic for a year of weekends alone)."""
        if year not in HOLIDAY_YEARS and year not in self._added_years and year not in self._tables:
            return _weekdays_in(year)
        return self._table(year)[-1]

    def _through(self, day: dt.date) -> int:
        """Working days from 1 January of day's year up to and including `day`."""
        return self._table(day.year)[_day_of_year(day)]

    def is_working_day(self, day: dt.date) -> bool:
        n = _day_of_year(day)
        table = self._table(day.year)
        return table[n] > table[n - 1]

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (`start` itself not counted); 9999-12-31 when
        that lies beyond the calendar. Whole years are stepped over, so a far date or a long
        period costs no more than a near one."""
        if days <= 0:
            return start
        year, before = start.year, self._through(start)  # working days of `year` up to the start
        remaining = days
        while remaining > self._year_total(year) - before:
            remaining -= self._year_total(year) - before
            year, before = year + 1, 0
            if year > dt.MAXYEAR:
                return dt.date.max
        table = self._table(year)
        position = bisect.bisect_left(table, before + remaining)  # the day of the year it is reached
        return dt.date(year, 1, 1) + dt.timedelta(days=position - 1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        if end <= start:
            return 0
        return self._years_total(start.year, end.year) - self._through(start) + self._through(end)

    def _years_total(self, first: int, last: int) -> int:
        """Working days in the whole years `first` to `last` - 1: summed once for each pair, which a
        site's records share (a record formed decades before it was published spans each year)."""
        total = self._spans.get((first, last))
        if total is None:
            total = self._spans[first, last] = sum(self._year_total(year) for year in range(first, last))
        return total
