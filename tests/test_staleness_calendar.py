"""The working-day calendar on real dates of the 2025 official arrangements.

国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）:
国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
"""

from __future__ import annotations

import datetime as dt

from generator.staleness.calendar import WorkingCalendar

D = dt.date


def test_make_up_weekend_days_are_working_days() -> None:
    cal = WorkingCalendar()
    assert D(2025, 9, 28).weekday() == 6 and cal.is_working_day(D(2025, 9, 28))
    assert D(2025, 10, 11).weekday() == 5 and cal.is_working_day(D(2025, 10, 11))


def test_national_day_golden_week_is_a_holiday() -> None:
    cal = WorkingCalendar()
    for day in range(1, 9):
        assert not cal.is_working_day(D(2025, 10, day)), f"2025-10-{day:02d}"
    assert cal.is_working_day(D(2025, 10, 9))


def test_ordinary_weekend_and_weekday() -> None:
    cal = WorkingCalendar()
    assert not cal.is_working_day(D(2025, 10, 18))  # a Saturday with no 调休
    assert cal.is_working_day(D(2025, 10, 17))  # a Friday


def test_twenty_working_days_after_2025_09_26() -> None:
    # Counting from Friday 2025-09-26 (not counted): 9-28 (Sun, 上班) 1, 9-29 2, 9-30 3,
    # 10-1..10-8 holiday, 10-9 4, 10-10 5, 10-11 (Sat, 上班) 6, 10-13..17 7–11,
    # 10-20..24 12–16, 10-27..30 17–20 → Thursday 2025-10-30.
    cal = WorkingCalendar()
    assert cal.add_working_days(D(2025, 9, 26), 20) == D(2025, 10, 30)
    assert cal.working_days_between(D(2025, 9, 26), D(2025, 10, 30)) == 20
    assert cal.working_days_between(D(2025, 9, 26), D(2025, 10, 29)) == 19


def test_site_additions_override_and_vouch_for_their_year() -> None:
    plain = WorkingCalendar()
    assert not plain.vouches(2050)
    assert plain.vouches(2025)
    # A made-up arrangement for 2050: Friday 2050-01-07 off, Sunday 2050-01-09 worked.
    added = WorkingCalendar(extra_holidays=[D(2050, 1, 7)], extra_workdays=[D(2050, 1, 9)])
    assert plain.is_working_day(D(2050, 1, 7)) and not added.is_working_day(D(2050, 1, 7))
    assert not plain.is_working_day(D(2050, 1, 9)) and added.is_working_day(D(2050, 1, 9))
    assert added.vouches(2050)


# --- every date up to 9999-12-31 is answered (issue 12) -------------------------------------------


def _brute_add(cal: WorkingCalendar, start: dt.date, days: int) -> dt.date:
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        counted += cal.is_working_day(day)
    return day


def test_stepping_whole_years_gives_the_day_by_day_answer() -> None:
    import random

    cal = WorkingCalendar([D(2061, 1, 2)], [D(2061, 1, 3)])
    draw = random.Random(12)
    for _ in range(400):
        start = D(2015, 1, 1) + dt.timedelta(days=draw.randrange(365 * 50))
        days = draw.randrange(0, 800)
        assert cal.add_working_days(start, days) == _brute_add(cal, start, days), (start, days)
        end = start + dt.timedelta(days=draw.randrange(-30, 900))
        expected = sum(cal.is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))
        assert cal.working_days_between(start, end) == expected


def test_a_deadline_past_the_calendar_is_its_last_day_and_far_years_count_weekends() -> None:
    from generator.staleness.calendar import add_days, add_months

    cal = WorkingCalendar()
    assert cal.add_working_days(D(9999, 12, 20), 20) == D.max
    assert cal.add_working_days(D(2026, 1, 1), 10**9) == D.max
    assert cal.add_working_days(D(1, 1, 1), 20) == D(1, 1, 29)  # weekends only: 1-01-01 was a Monday
    assert cal.working_days_between(D(9998, 12, 31), D(9999, 12, 31)) == 261  # 9999: 261 weekdays
    assert cal.working_days_between(D(2026, 1, 1), D.max) > 2_000_000
    assert not cal.is_working_day(D(9999, 12, 25)) and cal.is_working_day(D(9999, 12, 31))  # a Saturday, a Friday
    assert add_days(D.max, 1) == D.max and add_days(D.min, -1) == D.min
    assert add_months(D(9999, 12, 31), 2) == D.max and add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
