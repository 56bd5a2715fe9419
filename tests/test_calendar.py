"""models/calendar.py: Norwegian public holidays and the Sunday/holiday work windows of AML §10-10."""

import datetime as dt

from models.calendar import is_holiday, is_sunday_or_holiday, sunday_windows

D = dt.date


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm))


def test_holidays_are_the_norwegian_ones():
    easter_2027 = [D(2027, 3, 25), D(2027, 3, 26), D(2027, 3, 28), D(2027, 3, 29)]
    assert all(is_holiday(d) for d in easter_2027)
    assert not is_holiday(D(2027, 3, 27))  # Easter Saturday is a working day (virkedag)
    assert is_holiday(D(2027, 5, 17)) and is_holiday(D(2027, 5, 1)) and is_holiday(D(2026, 12, 26))
    assert not is_holiday(D(2026, 12, 24)) and not is_holiday(D(2027, 1, 10))  # Christmas Eve; an ordinary Sunday
    assert is_sunday_or_holiday(D(2027, 1, 10))


def test_ordinary_sunday_window():
    (w,) = sunday_windows(D(2027, 1, 10), D(2027, 1, 10))
    assert (w.start, w.end, w.label) == (at(D(2027, 1, 9), 18), at(D(2027, 1, 10), 22), "sunday")


def test_easter_windows():
    got = [(w.start, w.end) for w in sunday_windows(D(2027, 3, 22), D(2027, 3, 30))]
    assert got == [
        (at(D(2027, 3, 24), 18), at(D(2027, 3, 26), 22)),  # Maundy Thursday + Good Friday
        (at(D(2027, 3, 27), 15), at(D(2027, 3, 29), 22)),  # påskeaften 15:00 to Easter Monday 22:00
    ]


def test_christmas_and_whitsun_windows_open_at_15():
    (xmas,) = [w for w in sunday_windows(D(2026, 12, 20), D(2026, 12, 28)) if w.days[0].day == 25]
    # 25, 26 and Sunday 27 December 2026 are one run
    assert (xmas.start, xmas.end, len(xmas.days)) == (at(D(2026, 12, 24), 15), at(D(2026, 12, 27), 22), 3)
    (pinse,) = sunday_windows(D(2027, 5, 16), D(2027, 5, 17))
    assert (pinse.start, pinse.end) == (at(D(2027, 5, 15), 15), at(D(2027, 5, 17), 22))


def test_windows_touching_the_edges():
    # a period ending on a Saturday still sees the Sunday window opening that evening
    assert [w.days[0] for w in sunday_windows(D(2027, 1, 4), D(2027, 1, 9))] == [D(2027, 1, 10)]
    # and one starting on a Monday the window that closed Sunday 22:00 (none of it inside the period)
    assert sunday_windows(D(2027, 1, 11), D(2027, 1, 15)) == []


def test_demand_on_a_holiday_is_the_sunday_demand():
    from models.shifts import Demand

    slots = [{"min": 1}]
    weekdays = Demand(shift="D", weekdays=["mon", "tue", "wed", "thu", "fri"], slots=slots)
    sunday = Demand(shift="D", weekdays=["sun"], slots=slots)
    maundy_thursday = D(2027, 3, 25)
    assert not weekdays.applies(maundy_thursday) and sunday.applies(maundy_thursday)
    assert weekdays.applies(D(2027, 3, 24)) and not sunday.applies(D(2027, 3, 24))
    own = Demand(shift="D", weekdays=["thu"], holidays="as_weekday", slots=slots)
    assert own.applies(maundy_thursday)


def test_index_counts_holiday_minutes_and_windows():
    from helpers import tiny
    from solver.index import build_index

    i = tiny(1, shifts=("D", "A", "N"), period={"start": "2027-03-22", "weeks": 1})  # Mon 22 - Sun 28 March
    idx = build_index(i)
    assert idx.holiday.tolist() == [False, False, False, True, True, False, True]
    assert [days for days, _, _ in idx.sunday_windows] == [[3, 4], [6]]
    d, a, n = (idx.shift_pos[c] for c in "DAN")
    assert idx.sunday_min[2, a] == 4 * 60  # Wednesday evening 18:00-22:00 before Maundy Thursday
    assert idx.sunday_min[3, d] == 450 and idx.sunday_min[5, d] == 0  # Thursday day; Easter Saturday day
    assert idx.sunday_min[5, a] == 7 * 60  # påskeaften from 15:00
    assert idx.sunday_min[4, n] == 15  # Good Friday night: 21:45-22:00 inside, then Saturday (a working day)
