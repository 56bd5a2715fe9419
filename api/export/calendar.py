"""Norwegian public holidays (helligdager) for the grid marks.

One small function over the `holidays` package, so that it is easy to switch to the solver's own holiday
calendar once the rules use one (the marks then follow the same dates the rules count).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from .labels import Lang


@lru_cache(maxsize=64)
def _year(year: int, lang: Lang) -> dict[dt.date, str]:
    import holidays

    cal = holidays.country_holidays("NO", years=year, language="no" if lang == "nb" else "en_US")
    return dict(cal.items())


def public_holidays(start: dt.date, end: dt.date, lang: Lang = "nb") -> dict[dt.date, str]:
    """Public holidays in Norway (date -> name) from `start` to `end` inclusive; Sundays are not listed as such."""
    out: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _year(year, lang).items():
            if start <= day <= end:
                out[day] = name
    return dict(sorted(out.items()))
