"""Weekly hours (AML §10-5(2)): at most 54 h in any 7 × 24 h, and at most 48 h a week on average over 8 weeks
(over the whole period when it is shorter).

The 54 h cap holds on the real timeline: every window of 7 × 24 h, wherever it starts, counts the working minutes
of the shifts inside it (a shift cut by the window's edge counts its share, unpaid break pro rata). The most such a
window can hold is reached when it starts at a shift's start or ends at a shift's end, so those windows (staff-
independent, those implied by a larger one left out) are the constraints. The average counts shifts by their start
date over whole days. On a cyclic period both wrap: a window reaching over the end holds the plan's first days
(its shifts a cycle later), and the average's windows run over the end too.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from ..index import DAY
from ..weights import HARD_WEIGHT
from .base import Rule, sliding_sums

WEEK = 7 * DAY


def avg_window_days(st, days: int) -> int:
    return min(st.avg_weeks, days // 7) * 7


def week_windows(idx, types: tuple[int, ...] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(starts [A], minutes [A, D, T]): the 7 × 24 h windows to check and the working minutes each shift instance
    puts inside each, for a person who may work the shift types `types` (None: all).

    A person's most loaded window starts at one of their own shifts' start or ends at one's end (sliding it to the
    next such point never loses work), so only those of the given types are anchors. When all those types count the
    same share of their clock time as work (no unpaid break, or the same share), the ends are not needed either: a
    window ending at shift j's end and cutting shift i at its start holds no more than the one starting with i,
    which gains i's cut part and loses at most as much clock time at its other end. Of the anchors, a window no
    larger than another in every shift of the given types is left out. Cached per type set on the unit's shared
    tables.
    """
    types = tuple(range(idx.T)) if types is None else types
    key = ("max_weekly_hours_windows", types)
    if key in idx.shared:
        return idx.shared[key]
    s_abs, e_abs = idx.s_abs, idx.e_abs  # [D, T] real times
    cols = list(types)
    share = {(int(idx.work[t]) * 10_000) // max(int(idx.duration[t]), 1) for t in cols}
    # across a clock change a shift's share of work differs from its type's: keep the ends there too
    with_ends = len(share) > 1 or not idx.regular_time
    ends = e_abs[:, cols].ravel() - WEEK if with_ends else np.zeros(0, dtype=np.int64)
    anchors = np.unique(np.concatenate([s_abs[:, cols].ravel(), ends]))
    if idx.cyclic:  # one cycle of anchors; a window reaching over the end holds the plan's first days again
        anchors = np.unique(np.mod(anchors, idx.cycle))
    else:
        anchors = anchors[(anchors + WEEK > 0) & (anchors < idx.midnight[-1])]
    overlap = np.zeros((len(anchors), idx.D, idx.T), dtype=np.int64)
    for c in (-idx.cycle, 0, idx.cycle) if idx.cyclic else (0,):  # the cycles before and after (a cycle >= a week)
        lo = np.maximum(s_abs[None] + c, anchors[:, None, None])
        hi = np.minimum(e_abs[None] + c, anchors[:, None, None] + WEEK)
        overlap += np.maximum(0, hi - lo)
    minutes = overlap * idx.work_at[None] // np.maximum(e_abs - s_abs, 1)[None]
    keep = _undominated(minutes[:, :, cols].reshape(len(anchors), -1))
    idx.shared[key] = (anchors[keep], minutes[keep])
    return idx.shared[key]


def window_terms(ctx, s: int, cells: list[tuple[int, tuple[int, ...]]]) -> list[tuple]:
    """(variable, minutes) terms of one window for person s: a day wholly inside the window enters as the person's
    worked minutes that day (one shared integer), a day it cuts as its shift literals with their shares. Windows
    overlap by six days, so sharing the day sums keeps each window's constraint short."""
    work = ctx.idx.work_at
    out: list[tuple] = []
    for d, mins in cells:
        pairs = ctx.day_vars(s, d)
        if len(pairs) > 1 and all(mins[t] == work[d, t] for t, _ in pairs):
            out.append((day_work(ctx, s, d, pairs), 1))
        else:
            out += [(v, mins[t]) for t, v in pairs if mins[t]]
    return out


def window_cells(idx, types: tuple[int, ...]) -> list[list[tuple[int, tuple[int, ...]]]]:
    """Per window of `week_windows(idx, types)`: (day, minutes per shift type) of the days it touches, as plain
    ints (staff-independent, cached: sub-problems build these constraints by the thousand)."""
    key = ("max_weekly_hours_cells", types)
    if key not in idx.shared:
        _, minutes = week_windows(idx, types)
        idx.shared[key] = [
            [(d, tuple(int(x) for x in m[d])) for d in np.nonzero(m.any(axis=1))[0].tolist()] for m in minutes
        ]
    return idx.shared[key]


def day_work(ctx, s: int, d: int, pairs: list) -> object:
    """The person's worked minutes on day d as one integer variable (cached on the model)."""
    key = ("day_work", s, d)
    if key not in ctx.cache:
        work = ctx.idx.work_at[d]
        w = ctx.model.new_int_var(0, int(max(work[t] for t, _ in pairs)), f"work_{s}_{d}")
        ctx.model.add(w == ctx.weighted([v for _, v in pairs], [int(work[t]) for t, _ in pairs]))
        ctx.cache[key] = w
    return ctx.cache[key]


def _undominated(rows: np.ndarray, reach: int = 48) -> np.ndarray:
    """Indices of rows no other row among the `reach` nearest dominates (elementwise ≥, not equal): a window holding
    at least another's minutes of every shift is the binding one."""
    n = len(rows)
    keep = []
    for i in range(n):
        near = np.r_[max(0, i - reach) : i, i + 1 : min(n, i + reach + 1)]
        ge = (rows[near] >= rows[i]).all(axis=1)
        gt = ge & (rows[near] > rows[i]).any(axis=1)
        same_earlier = ge & ~gt & (near < i)  # of identical rows keep the first
        if not (gt.any() or same_earlier.any()):
            keep.append(i)
    return np.array(keep, dtype=np.int64)


def person_types(idx, s: int) -> tuple[int, ...]:
    """The shift types person s may work somewhere in the unit: their windows' key (the same on a sub-problem's index,
    so a sub-model counts the windows the unit's audit counts)."""
    return tuple(np.nonzero(idx.unit_types[s])[0].tolist())


def window_sums(view) -> list[tuple[list[int], np.ndarray, np.ndarray]]:
    """Per group of people with the same shift types: (people, window starts [A], worked minutes [people, A])."""
    idx = view.idx
    groups: dict[tuple[int, ...], list[int]] = {}
    for s in range(idx.S):
        groups.setdefault(person_types(idx, s), []).append(s)
    out = []
    for types, people in groups.items():
        if not types:
            continue
        starts, minutes = week_windows(idx, types)
        sums = np.einsum("sdt,adt->sa", view.x[people].astype(np.int64), minutes)
        pos = {s: k for k, s in enumerate(people)}
        for s, d, t in view.extra:
            if s in pos:
                sums[pos[s]] += minutes[:, d, t]
        out.append((people, starts, sums))
    return out


def overlapping_groups(broken: np.ndarray, starts: np.ndarray, length: int) -> list[tuple[int, list[int]]]:
    """(person, window indices) of each run of broken windows that overlap one another: one violation record each,
    priced as the windows it holds (the model prices every window)."""
    out: list[tuple[int, list[int]]] = []
    for s in np.nonzero(broken.any(axis=1))[0]:
        group: list[int] = []
        for a in np.nonzero(broken[s])[0]:
            if group and starts[a] >= starts[group[-1]] + length:
                out.append((int(s), group))
                group = []
            group.append(int(a))
        out.append((int(s), group))
    return out


class MaxWeeklyHours(Rule):
    id = "max_weekly_hours"
    title = "≤54 h in any 7 × 24 h, ≤48 h/week averaged"
    source = "AML §10-5(2)"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        limit7 = round(st.max_hours_7d * 60)
        for s in range(idx.S):
            types = person_types(idx, s)
            if not types:
                continue
            starts, minutes = week_windows(idx, types)
            cells = window_cells(idx, types)
            # most minutes the person could put in each window (one shift a day): skip those that cannot break
            possible = np.where(idx.allowed[s][None], minutes, 0).max(axis=2).sum(axis=1)  # [A]
            for a in np.nonzero(possible > limit7)[0]:
                terms = window_terms(ctx, s, cells[a])
                ctx.at_most(st, self.id, s, ctx.weighted([v for v, _ in terms], [c for _, c in terms]), limit7)
        # the average over whole days by start date
        cap = np.where(idx.allowed, idx.work_at[None], 0).max(axis=2)
        n = avg_window_days(st, idx.D)
        limit = round(st.max_avg_hours * 60 * n / 7)
        for s in range(idx.S):
            for a in np.nonzero(sliding_sums(cap, n, idx.cyclic)[s] > limit)[0]:
                terms = ctx.work_vars(s, idx.wrap_days(range(a, a + n)))
                ctx.at_most(
                    st,
                    self.id,
                    s,
                    ctx.weighted([v for *_, v in terms], [int(idx.work_at[d, t]) for d, t, _ in terms]),
                    limit,
                )

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        out = []
        limit7 = round(st.max_hours_7d * 60)
        for people, starts, sums in window_sums(view):
            for k, group in overlapping_groups(sums > limit7, starts, WEEK):
                a0, a1 = int(starts[group[0]]), int(starts[group[-1]])
                first = int(np.searchsorted(idx.midnight, a0, side="right")) - 1  # the day the first window opens
                since = a0 - int(idx.midnight[first]) if first >= 0 else a0 % DAY
                if idx.cyclic:  # the days past the end are the plan's first (`RosterView.violation` wraps them)
                    days = range(first, (a1 + WEEK - 1) // DAY + 1)
                else:
                    days = range(max(0, first), min(idx.D, int(np.searchsorted(idx.midnight, a1 + WEEK))))
                out.append(
                    view.violation(
                        self.id,
                        st,
                        people[k],
                        days,
                        amount=len(group),
                        penalty=HARD_WEIGHT * len(group) if st.hard else None,
                        detail=f"{int(sums[k, group].max()) / 60:.1f} h in 7 × 24 h > {limit7 / 60:.1f} h "
                        f"({len(group)} windows from day {first + 1} {since // 60:02d}:{since % 60:02d})",
                    )
                )
        n = avg_window_days(st, idx.D)
        limit = round(st.max_avg_hours * 60 * n / 7)
        avg = sliding_sums(view.work, n, idx.cyclic)
        for s, a in zip(*np.nonzero(avg > limit), strict=True):
            out.append(
                view.violation(
                    self.id,
                    st,
                    int(s),
                    range(int(a), int(a) + n),
                    detail=f"{avg[s, a] / 60:.1f} h in {n // 7} weeks > {limit / 60:.1f} h",
                )
            )
        return out
