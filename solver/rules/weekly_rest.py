"""Weekly rest (ukentlig arbeidsfri, AML §10-8(2)): in every week one unbroken rest of 35 h that holds a
whole calendar day.

Weeks are the 7-day blocks of the plan period. For each calendar day D of a week, the rest that contains D is
long enough iff some 35 h window starting in [D - (35 h - 24 h), D] is free of work; only the window starting
at D - 11 h and those starting at a shift's end time in that range can be the binding ones, so the model uses
one exact literal per such candidate window and requires one of them per person and week.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from ..index import DAY
from .base import Rule


def candidate_starts(idx, day: int, need: int) -> list[int]:
    lo = day * DAY - (need - DAY)
    # a shift started on day k ends before (k + 2) * DAY: every day from lo // DAY - 1 on may end inside (lo, day]
    first = min(day - 2, lo // DAY - 1)
    ends = {int(k * DAY + idx.start[t] + idx.duration[t]) for k in range(first, day + 1) for t in range(idx.T)}
    return [lo] + sorted(e for e in ends if lo < e <= day * DAY)


def minimal_windows(idx, s: int, w: int, windows) -> list[frozenset] | None:
    """The (day, shift) sets of person s's candidate rest windows in week w that are not supersets of another
    (a window containing another's shifts is never the only free one); None if a window can never hold work."""
    sets: set[frozenset] = set()
    for day in range(w * 7, w * 7 + 7):
        for ds, ts in windows[day]:
            keep = idx.allowed[s, ds, ts]
            sets.add(frozenset(zip(ds[keep].tolist(), ts[keep].tolist(), strict=True)))
    if frozenset() in sets:
        return None
    minimal: list[frozenset] = []
    for cand in sorted(sets, key=len):
        if not any(m <= cand for m in minimal):
            minimal.append(cand)
    return minimal


def rest_windows(idx, need: int) -> tuple[dict, dict, dict]:
    """(candidate windows per day, days each week's windows touch, minimal windows per eligibility pattern):
    staff-independent, so computed once per unit and shared with its sub-problems (`Index.shared`)."""
    key = ("weekly_rest_windows", need)
    if key not in idx.shared:
        windows: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
        for day in range(idx.D):
            windows[day] = []
            for a in candidate_starts(idx, day, need):
                insts = idx.overlapping(a, a + need)
                windows[day].append(
                    (np.array([d for d, _ in insts], dtype=np.int64), np.array([t for _, t in insts], dtype=np.int64))
                )
        span = {}  # week -> the days any of its windows can touch
        for w in range(idx.D // 7):
            touched = [int(d) for day in range(w * 7, w * 7 + 7) for ds, _ in windows[day] for d in ds]
            span[w] = (min(touched, default=0), max(touched, default=0) + 1)
        # most people share the same eligibility around a week, so the window analysis is done once per pattern
        idx.shared[key] = (windows, span, {})
    return idx.shared[key]


class WeeklyRest(Rule):
    id = "weekly_rest"
    title = "Weekly rest incl. a whole calendar day"
    source = "AML §10-8(2)"

    def add_to_model(self, ctx, st) -> None:
        idx, model = ctx.idx, ctx.model
        need = round(st.min_hours * 60)
        windows, span, patterns = rest_windows(idx, need)
        for s in range(idx.S):
            exact = ctx.mode(st, self.id, s)[0] != "hard"  # soft groups need free <=> window empty
            for w in range(idx.D // 7):
                lo_d, hi_d = span[w]
                key_w = (w, idx.allowed[s, lo_d:hi_d].tobytes())
                if key_w not in patterns:
                    patterns[key_w] = minimal_windows(idx, s, w, windows)
                minimal = patterns[key_w]
                if minimal is None:
                    continue  # some window can never hold work (absence): the week is always fine
                lits: list = []
                for cand in minimal:
                    key = ("wr_free", s, cand)
                    if key not in ctx.cache:
                        xs = [ctx.x[s, d, t] for d, t in sorted(cand)]
                        free = model.new_bool_var(f"wr_free_{s}_{w}_{len(lits)}")
                        model.add_bool_and([v.Not() for v in xs]).only_enforce_if(free)
                        if exact:
                            model.add_bool_or(xs).only_enforce_if(free.Not())
                        ctx.cache[key] = free
                    lits.append(ctx.cache[key])
                ctx.clause(st, self.id, s, lits)

    def audit(self, view, st) -> list[Violation]:
        need = round(st.min_hours * 60)
        best = longest_rest_with_free_day(view, need)  # [S, weeks]
        out = []
        for s, w in zip(*np.nonzero(best < need), strict=True):
            out.append(
                view.violation(
                    self.id,
                    st,
                    int(s),
                    range(w * 7, w * 7 + 7),
                    detail=f"longest rest with a free day {best[s, w] / 60:.1f} h < {need / 60:.0f} h",
                )
            )
        return out


def longest_rest_with_free_day(view, need: int) -> np.ndarray:
    """[S, weeks] longest rest (minutes, capped at `need` on each side of the day) around a whole free calendar
    day in each week; 0 when no day of the week is free. Vectorised over people and days."""
    idx = view.idx
    S, D = idx.S, idx.D
    big = np.int64(1) << 40
    on, start, end = view.on.copy(), view.start_abs.copy(), view.end_abs.copy()
    lo = np.arange(D, dtype=np.int64) * DAY
    busy = on.copy()
    busy[:, 1:] |= on[:, :-1] & (end[:, :-1] > lo[None, 1:])  # a shift from the day before runs into the day
    ends = np.where(on, end, -big)
    starts = np.where(on, start, big)
    left = np.concatenate([np.full((S, 1), -big), np.maximum.accumulate(ends, axis=1)[:, :-1]], axis=1)
    right = np.concatenate(
        [np.minimum.accumulate(starts[:, ::-1], axis=1)[:, ::-1][:, 1:], np.full((S, 1), big)], axis=1
    )
    length = np.minimum(right, lo + DAY + need) - np.maximum(left, lo - need)
    length = np.where(busy, 0, length)
    for s in {e[0] for e in view.extra}:  # people with two shifts on a day: exact interval scan
        length[s] = _scan_person(view, s, need)
    weeks = D // 7
    return length[:, : weeks * 7].reshape(S, weeks, 7).max(axis=2)


def _scan_person(view, s: int, need: int) -> np.ndarray:
    """[D] the same quantity for one person from all their shift intervals (the slow, general path)."""
    idx = view.idx
    days = np.nonzero(view.on[s])[0]
    spans = [(int(view.start_abs[s, d]), int(view.end_abs[s, d])) for d in days]
    spans += [(idx.abs_start(d, t), idx.abs_end(d, t)) for ss, d, t in view.extra if ss == s]
    out = np.zeros(idx.D, dtype=np.int64)
    for day in range(idx.D):
        lo, hi = day * DAY, day * DAY + DAY
        if any(a < hi and b > lo for a, b in spans):
            continue
        left = max([b for a, b in spans if b <= lo] + [lo - need])
        right = min([a for a, b in spans if a >= hi] + [hi + need])
        out[day] = right - left
    return out
