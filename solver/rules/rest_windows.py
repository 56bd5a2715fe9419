"""Candidate weekly-rest windows (ukentlig arbeidsfri, AML §10-8(2)), shared by the per-week and the rolling reading.

A weekly rest is `need` minutes (35 h) of unbroken rest that holds a whole calendar day. Such a rest around day D
holds a window [a, a + need) with a in [D·24h - (need - 24h), D·24h]; the leftmost such a is that bound itself or the
end of a shift, so one window per such start is enough: a rest exists iff one of the windows is free of work.
Windows are staff-independent, computed once per unit and shared with its sub-problems (`Index.shared`). Days
outside the period hold no work: what lies before and after the plan is taken as free. On a cyclic period they hold
the plan's own shifts (`Index.overlapping` wraps): the windows then run one cycle and a clause's reach beyond it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..index import DAY


@dataclass(frozen=True)
class Window:
    """One candidate rest window [start, end) and the shift instances that overlap it."""

    start: int  # minutes from the period's first midnight (negative before the period)
    end: int
    days: np.ndarray  # [k] day of each overlapping shift instance
    shifts: np.ndarray  # [k] shift type of each

    @property
    def empty(self) -> bool:
        """No shift can overlap it (outside the period): always free."""
        return len(self.days) == 0


def day_starts(idx, day: int, need: int, lo_bound: int | None = None) -> list[int]:
    """The window starts for a rest holding calendar day `day` (which may lie outside the period), none earlier
    than `lo_bound`."""
    opens = idx.at_midnight(day)
    lo = idx.at_midnight(day + 1) - need  # the earliest start whose rest still holds the whole day
    if lo_bound is not None:
        lo = max(lo, lo_bound)
    if idx.cyclic:  # the shifts before day 0 are the plan's last days'
        ends = {int(e) for k in range(min(day - 2, lo // DAY - 2), day + 1) for e in idx.end_on(k)}
    else:
        first = max(0, min(day - 2, lo // DAY - 2))
        ends = {int(e) for e in idx.e_abs[first : max(first, min(day + 1, idx.D))].ravel()}
    return [lo] + sorted(e for e in ends if lo < e <= opens)


def window(idx, start: int, end: int) -> Window:
    insts = idx.overlapping(start, end)
    return Window(
        start,
        end,
        np.array([d for d, _ in insts], dtype=np.int64),
        np.array([t for _, t in insts], dtype=np.int64),
    )


def week_windows(idx, need: int) -> list[list[Window]]:
    """Per plan week (`Period.plan_weeks`), the windows lying wholly inside that week."""
    key = ("weekly_rest_week_windows", need)
    if key not in idx.shared:
        out = []
        for wk in idx.inst.period.plan_weeks():
            lo, hi = idx.at_midnight(wk.start), idx.at_midnight(wk.stop)
            starts = sorted({a for day in wk for a in day_starts(idx, day, need, lo) if a + need <= hi})
            out.append([window(idx, a, a + need) for a in starts])
        idx.shared[key] = out
    return idx.shared[key]


def all_windows(idx, need: int) -> list[Window]:
    """Every window of the period in start order, from the day before it to the day after (both free); on a cyclic
    period from day 0 to `CYCLIC_REACH` days past the end (the plan's first days again), so a clause anchored in
    the cycle's last week reaches as far as one anchored in its first (`cycle_anchors`).

    Besides the `need`-long windows, one per shift end in the day before a rest's first whole free day, up to that
    day's end: such a rest starts at that shift's end, which is where the rolling reading measures from."""
    key = ("weekly_rest_all_windows", need)
    if key not in idx.shared:
        days = range(0, idx.D + CYCLIC_REACH) if idx.cyclic else range(-1, idx.D + 2)
        spans = {(a, a + need) for day in days for a in day_starts(idx, day, need)}
        for day in range(0, idx.D + CYCLIC_REACH) if idx.cyclic else range(0, idx.D + 1):
            lo = idx.at_midnight(day + 1) - need
            before, closes = idx.at_midnight(day - 1), idx.at_midnight(day + 1)
            for k in range(day - 3, day) if idx.cyclic else range(max(0, day - 3), min(day, idx.D)):
                for t in range(idx.T):
                    e = int(idx.end_on(k)[t])
                    if before < e < lo:
                        spans.add((e, closes))
        idx.shared[key] = [window(idx, a, b) for a, b in sorted(spans)]
    return idx.shared[key]


CYCLIC_REACH = 10  # days of a cyclic plan's next cycle the rolling windows run into (7 × 24 h + 35 h and margin)


def cycle_anchors(idx, windows: list[Window]) -> tuple[int, int] | None:
    """On a cyclic period, the start range [first start, + one cycle) whose windows anchor the rolling clauses:
    every other window is one of them a cycle later. None otherwise (every window anchors one)."""
    if not idx.cyclic or not windows:
        return None
    return windows[0].start, windows[0].start + idx.cycle


def free_matrix(view, windows: list[Window]) -> np.ndarray:
    """[S, W] bool: no shift of the person overlaps the window (the audit's reading, from the roster alone).
    Memoised per roster: the audit and the rest days (F1) read the same windows (`RosterView.busy`)."""
    return ~view.busy(spans_of(view.idx, windows))


def spans_of(idx, windows: list[Window]) -> tuple[tuple[int, int], ...]:
    """The windows' intervals as a hashable key (cached per window list: the lists live on `Index.shared`)."""
    key = ("rest_window_spans", id(windows))
    got = idx.shared.get(key)
    if got is None or got[0] is not windows:
        got = (windows, tuple((w.start, w.end) for w in windows))
        idx.shared[key] = got
    spans: tuple[tuple[int, int], ...] = got[1]
    return spans


def free_literal(ctx, s: int, win_set: frozenset, exact: bool, name: str):
    """A literal that is true only if person s works none of `win_set` (and, when `exact`, true iff so).

    Cached per person and shift set, so the two readings share their literals."""
    key = ("wr_free", s, win_set, exact)
    if key not in ctx.cache:
        xs = [ctx.x[s, d, t] for d, t in sorted(win_set)]
        free = ctx.model.new_bool_var(name)
        ctx.model.add_bool_and([v.Not() for v in xs]).only_enforce_if(free)
        if exact:
            ctx.model.add_bool_or(xs).only_enforce_if(free.Not())
        ctx.cache[key] = free
    return ctx.cache[key]


def minimal_sets(sets: list[frozenset]) -> list[frozenset] | None:
    """The sets that are no superset of another (a window holding another's shifts is never the only free one);
    None if one is empty (a window that can never hold work: the requirement always holds)."""
    if frozenset() in sets:
        return None
    minimal: list[frozenset] = []
    for cand in sorted(set(sets), key=len):
        if not any(m <= cand for m in minimal):
            minimal.append(cand)
    return minimal


PATTERNS_KEPT = 256


def touched_days(windows: list[Window], days: int) -> tuple[int, int]:
    """The period days whose shifts can overlap any of `windows` (their eligibility decides a requirement)."""
    lo = min((int(w.days.min()) for w in windows if not w.empty), default=0)
    hi = max((int(w.days.max()) + 1 for w in windows if not w.empty), default=0)
    return max(0, lo), min(days, hi)


def minimal_free(idx, s: int, key: tuple, windows: list[Window]) -> list[frozenset] | None:
    """`minimal_sets` of the shift sets person s may work in `windows` (one requirement: one of them free).

    Most people share their eligibility around a requirement, so the analysis is done once per eligibility pattern
    of the days the windows touch, keyed by `key` (which names the requirement) on the unit's shared tables."""
    groups = idx.shared.setdefault("rest_minimal", {})
    if key not in groups:
        groups[key] = (touched_days(windows, idx.D), {})
    (lo, hi), by_pattern = groups[key]
    pattern = idx.allowed[s, lo:hi].tobytes()
    found = by_pattern.get(pattern)
    if found is None and pattern not in by_pattern:
        found = minimal_sets([allowed_set(idx, s, w) for w in windows])
        # a sub-problem pins the cells outside its window, so its patterns there are one-offs: keep the cache to
        # the few patterns whole units and free people share
        if len(by_pattern) < PATTERNS_KEPT:
            by_pattern[pattern] = found
    return found


def always_free(idx, windows: list[Window]) -> np.ndarray:
    """[S, W] bool: the person may work no shift instance overlapping the window (it is free whatever the solver
    does). Requirements holding such a window need no clause: on a sub-problem, whose pinned cells leave most
    requirements met by the fixed roster, this skips nearly all of them before any set is built. Cached per index
    and window list."""
    key = ("rest_always_free", id(windows))
    got = idx.cache.get(key)
    if got is None or got[0] is not windows:
        got = (windows, ~idx.any_overlapping(idx.allowed, spans_of(idx, windows)))
        idx.cache[key] = got
    result: np.ndarray = got[1]
    return result


def allowed_set(idx, s: int, win: Window) -> frozenset:
    """The shift instances of `win` person s may work (an empty set: the window is always free for them)."""
    keep = idx.allowed[s, win.days, win.shifts]
    return frozenset(zip(win.days[keep].tolist(), win.shifts[keep].tolist(), strict=True))
