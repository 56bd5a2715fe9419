"""Complete weekends (hele helger): a person works both halves of a weekend or neither; each split weekend costs
`weight` (INRC-II S5 for contracts with the complete-weekend flag).

Why: a lone Saturday or Sunday spends a weekend of the person's weekend quota (1 in 3) for one shift and breaks
the free weekend the roster owes them. Reading, by the setting `friday_night`:

- True (the unit's weekend, Saturday 00:00 - Monday 00:00): a half is worked when any shift overlaps that
  calendar day. A Friday night shift (21:45-07:45) works the Saturday, so Friday night alone is a split weekend and
  Friday plus Saturday night a complete one; a Saturday night works both halves; a Sunday night the Sunday.
- False (INRC-II): a half is worked when a shift starts on it, whatever it overlaps.

Only weekends whose Saturday and Sunday are both inside the period are judged (the other half of an edge weekend
is in another roster; on a cyclic period there is no edge: a weekend split by the end is judged as one).
`Staff.limits.complete_weekends` False exempts a person. A hard weekend is two clause groups
(Saturday -> Sunday, Sunday -> Saturday); a priced one (PREFERRED, or REQUIRED relaxed) is one split literal equal to
Saturday XOR Sunday, so every level prices one violation per split weekend, as the audit counts.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from ..index import DAY
from .base import Rule


def midnight(idx, d: int) -> int:
    """The minute day `d` begins on the index's timeline."""
    at = getattr(idx, "at_midnight", None)  # real midnights where the index models clock changes
    return int(at(d)) if at is not None else d * DAY


def weekend_halves(idx, friday_night: bool) -> list[tuple[int, list[tuple[int, int]], list[tuple[int, int]]]]:
    """Per weekend inside the period: (Saturday's day, the shift instances (d, t) that work its Saturday half,
    those that work its Sunday half). Period and shift types only: computed once per unit (`Index.shared`)."""
    key = ("weekend_halves", friday_night)
    if key not in idx.shared:
        out = []
        for d in range(idx.D if idx.cyclic else idx.D - 1):  # a cyclic plan's last Saturday has day 0 as Sunday
            if idx.weekday[d] != 5:
                continue
            if friday_night:
                sat = idx.overlapping(midnight(idx, d), midnight(idx, d + 1))
                sun = idx.overlapping(midnight(idx, d + 1), midnight(idx, d + 2))
            else:
                sat = [(d, t) for t in range(idx.T)]
                sun = [((d + 1) % idx.D, t) for t in range(idx.T)]
            out.append((d, sat, sun))
        idx.shared[key] = out
    halves: list[tuple[int, list[tuple[int, int]], list[tuple[int, int]]]] = idx.shared[key]
    return halves


def applies(idx) -> np.ndarray:
    """[S] bool: the person's weekends are judged (not exempted by `limits.complete_weekends` False)."""
    return np.array([p.limits is None or p.limits.complete_weekends is not False for p in idx.inst.staff], dtype=bool)


def half_flags(view, halves) -> tuple[np.ndarray, np.ndarray]:
    """[S, W] bool each: the person works the Saturday half, the Sunday half of weekend w."""
    idx = view.idx
    S, W = idx.S, len(halves)
    sat = np.zeros((S, W), dtype=bool)
    sun = np.zeros((S, W), dtype=bool)
    if not W:
        return sat, sun
    x = view.x
    for w, (_, a, b) in enumerate(halves):
        for insts, out in ((a, sat), (b, sun)):
            if insts:
                dd = np.array([i[0] for i in insts])
                tt = np.array([i[1] for i in insts])
                out[:, w] = x[:, dd, tt].any(axis=1)
    for s, d, t in view.extra:  # a second shift on one day (the checker reports it) still works its halves
        for w, (_, a, b) in enumerate(halves):
            sat[s, w] |= (d, t) in a
            sun[s, w] |= (d, t) in b
    return sat, sun


class CompleteWeekends(Rule):
    id = "complete_weekends"
    title = "Saturday and Sunday worked together (complete weekends)"
    source = "Planner practice (hele helger); INRC-II S5"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        judged = applies(idx)
        tag = "cwf" if st.friday_night else "cwd"
        for sat_day, a, b in weekend_halves(idx, st.friday_night):
            for s in np.nonzero(judged)[0].tolist():
                sat = ctx.any_of((tag, s, sat_day), [v for d, t in a if (v := ctx.var(s, d, t)) is not None])
                sun = ctx.any_of((tag, s, sat_day + 1), [v for d, t in b if (v := ctx.var(s, d, t)) is not None])
                if isinstance(sat, int) and isinstance(sun, int):
                    continue
                mode, weight = ctx.mode(st, self.id, s)
                if mode == "soft" and not isinstance(sat, int) and not isinstance(sun, int):
                    # one literal for the split (sat XOR sun, exact both ways) instead of two reified clauses
                    split = ctx.model.new_bool_var(f"split_weekend_{s}_{sat_day}")
                    m = ctx.model
                    m.add_bool_or([sat, sun]).only_enforce_if(split)
                    m.add_bool_or([sat.Not(), sun.Not()]).only_enforce_if(split)
                    m.add_bool_or([sat.Not(), sun, split])
                    m.add_bool_or([sat, sun.Not(), split])
                    ctx.penalize(self.id, weight, split, "hard" if st.hard else "soft")
                    continue
                # Saturday -> Sunday and Sunday -> Saturday; a half that can never be worked drops its literal
                for first, second in ((sat, sun), (sun, sat)):
                    if isinstance(first, int):
                        continue
                    ctx.clause(st, self.id, s, [first.Not()] if isinstance(second, int) else [first.Not(), second])

    def audit(self, view, st) -> list[Violation]:
        halves = weekend_halves(view.idx, st.friday_night)
        sat, sun = half_flags(view, halves)
        split = (sat ^ sun) & applies(view.idx)[:, None]
        out = []
        for s, w in zip(*np.nonzero(split), strict=True):
            d = halves[int(w)][0]
            half = "Saturday" if sat[s, w] else "Sunday"
            out.append(view.violation(self.id, st, int(s), [d, d + 1], detail=f"split weekend: {half} only"))
        return out
