"""Planner-facing labels in Norwegian bokmål (default) and English: weekdays, shift kinds, absence kinds.

The page (api/web/static/i18n.js) carries the same words; the exports use these, so a printed roster and the
screen read alike.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["nb", "en"]

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "nb": ("ma", "ti", "on", "to", "fr", "lø", "sø"),
    "en": ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"),
}

SHIFT_KINDS: dict[str, dict[str, str]] = {
    "nb": {"day": "dagvakt", "evening": "aftenvakt", "night": "nattvakt", "long": "langvakt"},
    "en": {"day": "day shift", "evening": "evening shift", "night": "night shift", "long": "long shift"},
}

# absence kind (fraværstype) -> short cell label; the labels never look like a shift code (two letters, the second
# lower case), so a grid read back from Excel tells an absence from a shift
ABSENCE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "nb": {
        "ferie": ("Fe", "ferie"),
        "sick": ("Sy", "sykefravær"),
        "course": ("Ku", "kurs"),
        "leave": ("Pe", "permisjon"),
        "absence": ("Fr", "annet fravær"),
    },
    "en": {
        "ferie": ("Ho", "holiday (ferie)"),
        "sick": ("Si", "sick leave"),
        "course": ("Co", "course"),
        "leave": ("Le", "leave"),
        "absence": ("Ab", "other absence"),
    },
}

_ABSENCE_ALIASES = {
    "ferie": "ferie",
    "vacation": "ferie",
    "holiday": "ferie",
    "sick": "sick",
    "syk": "sick",
    "sykdom": "sick",
    "sykefravær": "sick",
    "egenmelding": "sick",
    "sykemelding": "sick",
    "course": "course",
    "kurs": "course",
    "training": "course",
    "leave": "leave",
    "permisjon": "leave",
    "perm": "leave",
}

TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "staff": "ansatt",
        "name": "navn",
        "group": "gruppe",
        "pct": "stilling %",
        "hours": "timer",
        "target": "mål",
        "diff": "avvik",
        "legend": "Tegnforklaring",
        "weekend": "helg",
        "holiday": "helligdag",
        "unfilled": "ubemannet (under minimum)",
        "staffing": "bemanning",
        "off": "fri",
        "week": "uke",
        "rule": "regel",
        "level": "nivå",
        "dates": "datoer",
        "amount": "mengde",
        "penalty": "straff",
        "detail": "detalj",
        "score": "Poeng per regel",
        "violations": "brudd",
        "total": "sum",
        "date": "dato",
        "weekday": "ukedag",
        "shift": "vakt",
        "start": "start",
        "end": "slutt",
        "pinned": "låst",
    },
    "en": {
        "staff": "staff",
        "name": "name",
        "group": "group",
        "pct": "position %",
        "hours": "hours",
        "target": "target",
        "diff": "deviation",
        "legend": "Legend",
        "weekend": "weekend",
        "holiday": "public holiday",
        "unfilled": "unfilled (below minimum)",
        "staffing": "staffing",
        "off": "off",
        "week": "week",
        "rule": "rule",
        "level": "level",
        "dates": "dates",
        "amount": "amount",
        "penalty": "penalty",
        "detail": "detail",
        "score": "Score per rule",
        "violations": "violations",
        "total": "total",
        "date": "date",
        "weekday": "weekday",
        "shift": "shift",
        "start": "start",
        "end": "end",
        "pinned": "pinned",
    },
}


def absence_kind(kind: str) -> str:
    """The display kind of an instance's free-text absence `kind` (ferie, sick, course, leave, or absence)."""
    return _ABSENCE_ALIASES.get(kind.strip().lower(), "absence")


def absence_label(kind: str, lang: Lang = "nb") -> tuple[str, str]:
    """(cell label, long name) of an absence kind."""
    return ABSENCE_LABELS[lang][absence_kind(kind)]


def text(key: str, lang: Lang = "nb") -> str:
    return TEXT[lang][key]
