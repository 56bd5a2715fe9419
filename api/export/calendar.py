"""Norwegian public holidays (helligdager) for the grid marks: the rules' own calendar (models/calendar.py), so the
marks follow the same dates the rules count, with names in the page's language."""

from __future__ import annotations

import datetime as dt

from models.calendar import holiday_names

from .labels import Lang


def public_holidays(start: dt.date, end: dt.date, lang: Lang = "nb") -> dict[dt.date, str]:
    """Public holidays in Norway (date -> name) from `start` to `end` inclusive; Sundays are not listed as such."""
    return holiday_names(start, end, "no" if lang == "nb" else "en_US")
