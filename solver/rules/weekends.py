"""Which Sundays and weekends a person works, computed the same way for model and checker.

A Sunday counts as worked when any shift overlaps its Sunday/holiday window (AML §10-10: from 18:00 the day before,
15:00 on jul-, påske- and pinseaften, to 22:00; public holidays count as Sundays and a run of them is one window,
models/calendar.py), so a Saturday evening shift to 22:00 is Sunday work; a weekend counts as worked when any
shift overlaps Saturday 00:00 - Monday 00:00. On a cyclic period a weekend split by the end is one weekend (the
last day's Saturday and day 0's Sunday), and windows over the end see the shifts on its other side.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def sunday_spans(idx) -> list[tuple[list[int], int, int]]:
    """Per Sunday/holiday window touching the period: (days it touches, start, end) on the timeline."""
    return idx.sunday_windows


def weekend_spans(idx) -> list[tuple[list[int], int, int]]:
    """Per weekend touched by the period: (days, start, end) covering its Saturday and Sunday (once per unit)."""
    if "weekend_spans" in idx.shared:
        cached: list[tuple[list[int], int, int]] = idx.shared["weekend_spans"]
        return cached
    if idx.cyclic:  # one weekend per Saturday; a Sunday after the last day is day 0 (`Index.overlapping` wraps)
        sats = [d for d in range(idx.D) if idx.weekday[d] == 5]
        idx.shared["weekend_spans"] = [([d, (d + 1) % idx.D], idx.at_midnight(d), idx.at_midnight(d + 2)) for d in sats]
        return idx.shared["weekend_spans"]
    out: dict[int, list[int]] = {}
    for d in range(idx.D):
        if idx.weekday[d] >= 5:
            out.setdefault(int(idx.weekend_of_day[d]), []).append(d)
    spans = []
    for k in sorted(out):
        days = out[k]
        sat = days[0] - (int(idx.weekday[days[0]]) - 5)
        spans.append((days, idx.at_midnight(sat), idx.at_midnight(sat + 2)))
    idx.shared["weekend_spans"] = spans
    return spans


def unsocial_spans(idx) -> list[tuple[list[int], int, int]]:
    """Weekends plus the holiday windows that hold a weekday holiday (Maundy Thursday, 17 May, ...): the units of
    weekend and holiday work (helg og høytid) whose spread fairness measures."""
    holidays = [sp for sp in idx.sunday_windows if any(idx.holiday[d] and idx.weekday[d] < 5 for d in sp[0])]
    return weekend_spans(idx) + holidays


def model_flags(ctx, spans, prefix: str) -> dict[tuple[int, int], Any]:
    """Exact literal per (person, span index): works any shift overlapping the span."""
    flags = {}
    for k, (_, a, b) in enumerate(spans):
        insts = ctx.idx.overlapping(a, b)
        for s in range(ctx.idx.S):
            lits = [v for d, t in insts if (v := ctx.var(s, d, t)) is not None]
            if lits:
                flags[s, k] = ctx.any_of((prefix, s, k), lits)
    return flags


def audit_flags(view, spans) -> np.ndarray:
    """[S, len(spans)] bool: person works a shift overlapping each span (memoised per roster)."""
    out: np.ndarray = view.busy(tuple((a, b) for _, a, b in spans))
    return out
