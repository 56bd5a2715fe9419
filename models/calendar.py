"""The Norwegian calendar the rules need: public holidays (helligdager) and the Sunday/holiday work windows.

Holidays come from the maintained `holidays` package (Norway: New Year, Maundy Thursday to Easter Monday, 1 May,
Ascension, 17 May, Whit Sunday and Monday, Christmas Day and Boxing Day), never from hand-written dates.
AML §10-10(1): Sunday and holiday work is work from 18:00 the day before a Sunday or holiday to 22:00 the day
before the next working day; on the eves of Christmas, Easter and Whitsun (jul-, påske- og pinseaften) from 15:00.
Public holidays count as Sundays everywhere Sundays count (Sunday rule, tariff tests, demand, fairness).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil.easter import easter

EVE_START = 18 * 60  # minutes after midnight the window opens on the day before
HIGH_EVE_START = 15 * 60  # ... on jul-, påske- and pinseaften
WINDOW_END = 22 * 60  # minutes after midnight the window closes on the last Sunday/holiday


@lru_cache(maxsize=64)
def _names_of(year: int, language: str) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("NO", years=year, language=language).items())


def holiday_names(first: dt.date, last: dt.date, language: str = "no") -> dict[dt.date, str]:
    """The public holidays from `first` to `last` (inclusive) with their names ("no" bokmål, "en_US" English)."""
    out = {
        day: name
        for year in range(first.year, last.year + 1)
        for day, name in _names_of(year, language).items()
        if first <= day <= last
    }
    return dict(sorted(out.items()))


def is_holiday(day: dt.date) -> bool:
    """A Norwegian public holiday (not counting ordinary Sundays)."""
    return day in _names_of(day.year, "no")


def is_sunday_or_holiday(day: dt.date) -> bool:
    return day.weekday() == 6 or is_holiday(day)


def high_eve(day: dt.date) -> bool:
    """Christmas Eve, Easter Saturday or Whit Saturday: the Sunday window opens at 15:00."""
    e = easter(day.year)
    return (day.month, day.day) == (12, 24) or day in (e - dt.timedelta(days=1), e + dt.timedelta(days=48))


@dataclass(frozen=True)
class SundayWindow:
    """One run of consecutive Sundays/holidays and its work window in local clock time."""

    days: tuple[dt.date, ...]  # the Sundays and holidays of the run
    start: dt.datetime  # 18:00 (15:00 on a high eve) the day before the first
    end: dt.datetime  # 22:00 on the last

    @property
    def label(self) -> str:
        first = self.days[0]
        return "sunday" if len(self.days) == 1 and first.weekday() == 6 and not is_holiday(first) else "holiday"


def sunday_windows(first: dt.date, last: dt.date) -> list[SundayWindow]:
    """The Sunday/holiday windows that overlap the days `first`..`last` (inclusive), in order."""
    out: list[SundayWindow] = []
    day = first - dt.timedelta(days=1)
    stop = last + dt.timedelta(days=1)
    while day <= stop:
        if not is_sunday_or_holiday(day):
            day += dt.timedelta(days=1)
            continue
        run = [day]
        while is_sunday_or_holiday(run[-1] + dt.timedelta(days=1)):
            run.append(run[-1] + dt.timedelta(days=1))
        eve = run[0] - dt.timedelta(days=1)
        opens = HIGH_EVE_START if high_eve(eve) else EVE_START
        start = dt.datetime.combine(eve, dt.time()) + dt.timedelta(minutes=opens)
        end = dt.datetime.combine(run[-1], dt.time()) + dt.timedelta(minutes=WINDOW_END)
        if end > dt.datetime.combine(first, dt.time()) and start < dt.datetime.combine(last, dt.time.max):
            out.append(SundayWindow(tuple(run), start, end))
        day = run[-1] + dt.timedelta(days=1)
    return out
