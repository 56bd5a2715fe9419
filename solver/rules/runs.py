"""Run-length pricing shared by work_runs, off_runs and shift_runs: series of consecutive flagged days (worked,
off, on a shift kind) shorter than a minimum or longer than a maximum, priced per day short or over.

Each person's timeline is the H history days (`Index.history`) followed by the D period days. A day is
*flagged*, *unflagged* or a *border*: a whole-day absence (ferie, sick leave: not the planner's choice, neither
work nor a day off), and every day we know nothing of (before the history, after the period). A series is a
maximal run of flagged days; the conventions are INRC-II's (../shared/data/inrc2/FORMAT.md):

- *short*: a series of L < min days pays (min - L) × weight when the days on both sides of it are known and
  unflagged and the day after it lies in the period (so also a series wholly in the history that ends on day 0).
  A series touching a border pays no shortfall: one still running on the last day may go on in the next period,
  one starting before what is known may be longer, one next to an absence was cut by it.
- *over*: each period day of a series beyond its first max days pays weight (history days count toward the
  length, but only period days are priced).
- *closed ends* (`closed_ends` on the rule's setting): the plan judged as it stands. A whole-day absence, the day
  after the period and, without any history, the day before it read as unflagged, so a series they cut is short
  like any other (a day worker's single night before ferie or on the last day). History, where given, is still
  read as it is (the day before it stays unknown).

Model: for a shortfall, one penalty literal per possible series (its terminating day e and length L < min), the
conjunction "unflagged before, L flagged, unflagged on e" (at most `min - 1` per person and day, each one
literal implied by its pattern: `Ctx.penalize_all`);
for a maximum, one per window of max + 1 days ending in the period, the conjunction "all flagged". A day's flag is
the exact OR of its shift variables (cached in `ctx.cache`, shared by the rules). Constants (history days, days
without a variable) are folded in, so a pattern the roster cannot change is a constant term or nothing; a day a
search sub-problem fixes to a shift (outside its window: `Ctx.fixed_shift`) is a constant too, so a sub-model holds
only the patterns its window can change (INRC-II n120w8: 7 300 penalty literals per neighbourhood before).
The audit finds the series with numpy and prices each the same way.

On a cyclic period (a grunnturnus: no history, nothing unknown) the days form a ring: a series may run over the end
into the start, and a person flagged on every day of the cycle has one endless series, every day of it over a
maximum (`cyclic_runs`, and `audit_runs` reading each ring from a day that is not flagged).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from models import Violation

from .base import Rule

BORDER = None  # a day value: absence or unknown


def worked(ctx, s: int, d: int) -> Any:
    """The exact literal "person s starts a shift on day d" (0 if no variable, True on a day the build's caller
    fixes to a shift), shared by the run rules."""
    if ctx.fixed_shift(s, d) is not None:
        return True
    return ctx.any_of(("worked", s, d), [v for _, v in ctx.day_vars(s, d)])


def _needs(vals: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """Per day, what a pattern wanting it flagged (first list) or unflagged (second) needs: False (impossible),
    True (holds already) or the literal that must hold."""
    flag: list[Any] = []
    unflag: list[Any] = []
    for v in vals:
        if v is BORDER:
            flag.append(False)
            unflag.append(False)
        elif isinstance(v, bool | int):  # a constant
            flag.append(bool(v))
            unflag.append(not v)
        else:
            flag.append(v)
            unflag.append(v.Not())
    return flag, unflag


def close_ends(vals: Sequence[Any], H: int, cyclic: bool) -> tuple[list[Any], int]:
    """`vals` and H read with closed ends: borders (absences) unflagged, and on a period that is not a ring an
    unflagged day after it and, without history, one before it (so H grows by one)."""
    out = [False if v is BORDER else v for v in vals]
    if cyclic:
        return out, H
    if H == 0:
        return [False, *out, False], 1
    return [*out, False], H


def model_runs(
    ctx, rule: str, s: int, vals: Sequence[Any], H: int, lo: int, hi: int | None, weight: int, closed: bool = False
) -> None:
    """Penalty terms of one person's series. `vals`: the H history days then the period days, each True, False,
    BORDER or a literal (flagged); `lo`/`hi` the bounds (hi None: no maximum), `weight` per day; `closed`: read
    with closed ends (`close_ends`). On a cyclic period the days are a ring (`cyclic_runs`)."""
    if weight <= 0:
        return
    if closed:
        vals, H = close_ends(vals, H, ctx.idx.cyclic)
    n = len(vals)
    if ctx.idx.cyclic:
        cyclic_runs(ctx, rule, s, vals, lo, hi, weight)
        return
    flag, unflag = _needs(vals)
    if lo > 1:
        for e in range(H, n):  # e: the unflagged day that ends the series, inside the period
            end = unflag[e]
            if end is False:
                continue
            inner: list[Any] = [] if end is True else [end]
            for L in range(1, lo):
                a = e - L  # the series' first day
                if a < 1:  # the day before it is unknown
                    break
                lit = flag[a]
                if lit is False:
                    break  # a longer series would hold this day too
                if lit is not True:
                    inner.append(lit)
                before = unflag[a - 1]
                if before is not False:
                    need = inner if before is True else [*inner, before]
                    ctx.penalize_all(rule, weight * (lo - L), need, f"{rule}_short_{s}_{e}_{L}")
    if hi is not None:
        for e in range(max(H, hi), n):  # windows of hi + 1 days ending in the period, all known
            window = flag[e - hi : e + 1]
            if not any(v is False for v in window):
                need = [v for v in window if v is not True]
                ctx.penalize_all(rule, weight, need, f"{rule}_over_{s}_{e}")


def cyclic_runs(ctx, rule: str, s: int, vals: Sequence[Any], lo: int, hi: int | None, weight: int) -> None:
    """`model_runs` on a ring of days (a cyclic period: the day after the last is day 0, and nothing is unknown):
    a series ending at each day e may have begun before the start, and a maximum's windows wrap (one longer than the
    ring asks every day flagged: the endless series)."""
    n = len(vals)
    flag, unflag = _needs(vals)
    if lo > 1:
        for e in range(n):  # e: the unflagged day that ends the series
            end = unflag[e]
            if end is False:
                continue
            inner: list[Any] = [] if end is True else [end]
            for L in range(1, min(lo, n)):  # the series and the day before it fit in the ring
                a = (e - L) % n
                lit = flag[a]
                if lit is False:
                    break
                if lit is not True:
                    inner.append(lit)
                before = unflag[(a - 1) % n]  # day e itself for a series of n - 1 days
                if before is not False:
                    need = inner if before is True else [*inner, before]
                    ctx.penalize_all(rule, weight * (lo - L), need, f"{rule}_short_{s}_{e}_{L}")
    if hi is not None:
        for e in range(n):
            window = [flag[(e - i) % n] for i in range(hi + 1)]
            if not any(v is False for v in window):
                need = [v for v in window if v is not True]  # a day repeated when the window is longer than the ring
                ctx.penalize_all(rule, weight, need, f"{rule}_over_{s}_{e}")


def _ring(flags: np.ndarray, border: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A cyclic period's days read as a line per person: (ext [S, D + 3] in `audit_runs`' coding, starting at the
    person's first day that is not flagged and ending with it again; cols [S, D + 1] the day of each of those
    columns; endless [S] the people flagged on every day, who have no such day)."""
    S, D = flags.shape
    state = np.where(border, -1, flags.astype(np.int8)).astype(np.int8)
    stop = state != 1
    start = np.argmax(stop, axis=1)
    cols = (np.arange(D + 1)[None, :] + start[:, None]) % D
    ext = np.full((S, D + 3), -1, dtype=np.int8)
    ext[:, 1 : D + 2] = state[np.arange(S)[:, None], cols]
    endless = ~stop.any(axis=1)
    ext[endless, 1 : D + 2] = -1  # priced apart
    return ext, cols, endless


def audit_runs(
    view,
    st,
    rule: str,
    flags: np.ndarray,
    border: np.ndarray,
    history: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    weight: np.ndarray,
    what: str,
    closed: bool = False,
) -> list:
    """One record per priced series. `flags`/`border` [S, D] bool over the period, `history` [S, H] bool flagged
    days before it (all known); `lo`, `hi` (0: no maximum) and `weight` per person; `closed`: closed ends."""
    S, D = flags.shape
    H = history.shape[1]
    cyclic = view.idx.cyclic
    if closed:
        border = np.zeros_like(border)
    if cyclic:  # a ring per person, read from a day that is not flagged (no history)
        ext, cols, endless = _ring(flags, border)
        H = 0
    else:
        # -1 border, 0 unflagged, 1 flagged over [unknown, history, period, unknown]
        ext = np.full((S, H + D + 2), -1, dtype=np.int8)
        ext[:, 1 : H + 1] = history
        ext[:, H + 1 : H + D + 1] = np.where(border, -1, flags.astype(np.int8))
        if closed:
            ext[:, -1] = 0
            if H == 0:
                ext[:, 0] = 0
    out = _endless(view, st, rule, endless, hi, weight, what) if cyclic else []
    f = (ext == 1).astype(np.int8)
    step = np.diff(f, axis=1)
    rs, a = np.nonzero(step == 1)  # row-major order: each row's starts and ends pair up
    _, b = np.nonzero(step == -1)
    a = a + 1  # first and last column of each series
    if not len(a):
        return out
    length = b - a + 1
    lo_r, hi_r, w_r = lo[rs], hi[rs], weight[rs]
    short = np.where(
        (length < lo_r) & (ext[rs, a - 1] == 0) & (ext[rs, b + 1] == 0) & (b + 1 >= H + 1),
        lo_r - length,
        0,
    )
    first_over = np.maximum(a + hi_r, H + 1)  # the first period column beyond the maximum
    over = np.where(hi_r > 0, np.maximum(0, b - first_over + 1), 0)
    for i in np.nonzero((short > 0) | (over > 0))[0].tolist():
        s = int(rs[i])
        first, last = max(int(a[i]), H + 1) - H - 1, int(b[i]) - H - 1
        if cyclic:
            days = cols[s, first : last + 1].tolist()
        else:
            days = list(range(first, last + 1)) or [0]  # a series wholly in the history: it ended on day 0
        L, w = int(length[i]), int(w_r[i])
        for amount, why in (
            (int(short[i]), f"{L} {what} in a row < {int(lo_r[i])}"),
            (int(over[i]), f"{L} {what} in a row > {int(hi_r[i])}"),
        ):
            if amount:
                out.append(view.violation(rule, st, s, days, amount=amount, detail=why, penalty=w * amount))
    return out


def _endless(view, st, rule: str, endless: np.ndarray, hi: np.ndarray, weight: np.ndarray, what: str) -> list:
    """A cyclic period's people flagged on every day: one endless series, each day of it over a maximum."""
    D = view.idx.D
    return [
        view.violation(rule, st, s, range(D), amount=D, detail=f"{what} on every day of the cycle", penalty=w * D)
        for s in np.nonzero(endless & (hi > 0))[0].tolist()
        for w in [int(weight[s])]
    ]


def person_bounds(idx, st, lo_field: str, hi_field: str) -> tuple[list[int], list[int | None]]:
    """Each person's (min, max) of a run rule: `Staff.limits` where set, else the rule's `min_days`/`max_days`."""
    los: list[int] = []
    his: list[int | None] = []
    for person in idx.inst.staff:
        lim = person.limits
        lo = getattr(lim, lo_field, None) if lim is not None else None
        hi = getattr(lim, hi_field, None) if lim is not None else None
        los.append(st.min_days if lo is None else lo)
        his.append(st.max_days if hi is None else hi)
    return los, his


def bound_arrays(los: list[int], his: list[int | None]) -> tuple[np.ndarray, np.ndarray]:
    """The bounds as arrays for `audit_runs` (0: no maximum)."""
    return np.array(los, dtype=np.int64), np.array([h or 0 for h in his], dtype=np.int64)


def closed_ends(st) -> bool:
    """The setting's `closed_ends` (off_runs has none: a day off next to ferie is part of a long break)."""
    return bool(getattr(st, "closed_ends", False))


def negate(v: Any) -> Any:
    """The day value with flagged and unflagged swapped (a border stays one)."""
    if v is BORDER:
        return BORDER
    if isinstance(v, bool | int):
        return not v
    return v.Not()


class DaySeries(Rule):
    """A run rule over whole days (work_runs: days worked; off_runs: days off): the person's bounds from
    `limits` (the `Staff.limits` fields), history days flagged as worked or off, whole-day absences borders."""

    limits: ClassVar[tuple[str, str]]
    working: ClassVar[bool]  # flagged days are worked days (else days off)
    noun: ClassVar[str]  # what a series is made of, for the violation's text

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        los, his = person_bounds(idx, st, *self.limits)
        hist = idx.history
        for s in range(idx.S):
            if los[s] <= 1 and his[s] is None:
                continue
            vals: list[Any] = [bool((v >= 0) == self.working) for v in hist[s]]
            for d in range(idx.D):
                if idx.absent_day[s, d]:
                    vals.append(BORDER)
                else:
                    day = worked(ctx, s, d)
                    vals.append(day if self.working else negate(day))
            model_runs(ctx, self.id, s, vals, hist.shape[1], los[s], his[s], st.weight, closed_ends(st))

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        lo, hi = bound_arrays(*person_bounds(idx, st, *self.limits))
        weight = np.full(idx.S, st.weight, dtype=np.int64)
        flags = view.on if self.working else ~view.on & ~idx.absent_day
        history = (idx.history >= 0) == self.working
        return audit_runs(view, st, self.id, flags, idx.absent_day, history, lo, hi, weight, self.noun, closed_ends(st))
