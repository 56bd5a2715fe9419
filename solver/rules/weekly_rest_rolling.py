"""Weekly rest, rolling reading (AML §10-8(2)): no more than 7 × 24 h between two weekly rests (35 h unbroken
holding a whole calendar day), wherever the plan weeks break.

One clause per 35 h candidate window i (solver/rules/rest_windows.py, in start order): some window starting in
[start_i, start_i + max_gap + need - 24 h] is free. After a rest ends, the first 35 h window that no longer fits in
it starts less than 24 h later (there is one per day), and the next rest holds a window starting where that rest
starts (the longer windows from a shift's end the day before its first whole free day), so every clause holding
means the next rest starts within max_gap of the last one's end: the model is sound for the literal reading and
stricter than it by less than a day (tests/test_checker_vectorised.py checks both against an interval scan).
Clauses implied by the next one are left out, and so are those reaching a window outside the period (free). On a
cyclic period nothing is outside: the clauses are anchored over one cycle and reach into the next (the plan's first
days again), so a long stretch of work over the end is caught. The audit checks the same clauses on the roster.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from ..index import DAY
from .base import Rule
from .rest_windows import Window, all_windows, always_free, cycle_anchors, free_literal, free_matrix, minimal_free


def clauses(windows: list[Window], span: int, need: int, cycle: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """(first, last) window index of each kept clause: anchored at a `need`-long window, the windows starting
    within `span` of it. A clause whose range ends where the next anchor's does is implied by it and left out.
    `cycle` (a cyclic period, `cycle_anchors`): only windows starting in that range anchor one; the later ones are
    the same windows a cycle on, there to be reached."""
    starts = np.array([w.start for w in windows], dtype=np.int64)
    last = np.searchsorted(starts, starts + span, side="right") - 1
    empty = np.cumsum([0] + [w.empty for w in windows])
    anchors = [
        i
        for i, w in enumerate(windows)
        if w.end - w.start == need and (cycle is None or cycle[0] <= w.start < cycle[1])
    ]
    out = []
    for k, i in enumerate(anchors):
        if k + 1 < len(anchors) and last[anchors[k + 1]] == last[i]:
            continue
        if empty[last[i] + 1] - empty[i] > 0:
            continue  # an always-free window (outside the period) in range
        out.append((i, int(last[i])))
    return out


def unit_clauses(idx, need: int, span: int) -> list[tuple[int, int]]:
    """The kept clauses: staff-independent, so computed once per unit and shared with its sub-problems."""
    key = ("weekly_rest_rolling_clauses", need, span)
    if key not in idx.shared:
        wins = all_windows(idx, need)
        idx.shared[key] = clauses(wins, span, need, cycle_anchors(idx, wins))
    return idx.shared[key]


def _span(max_gap_min: int, need: int) -> int:
    """How far after a clause's first window its windows may start (see the module docstring)."""
    return max_gap_min + need - DAY


class WeeklyRestRolling(Rule):
    id = "weekly_rest_rolling"
    title = "Weekly rest, rolling: ≤ 7 × 24 h between two 35 h rests"
    source = "AML §10-8(2)"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        need = round(st.min_hours * 60)
        wins = all_windows(idx, need)
        span = _span(round(st.max_gap_hours * 60), need)
        kept = unit_clauses(idx, need, span)
        free = np.concatenate([np.zeros((idx.S, 1), dtype=np.int64), np.cumsum(always_free(idx, wins), axis=1)], 1)
        for s in range(idx.S):
            exact = ctx.mode(st, self.id, s)[0] != "hard"
            for i, j in kept:
                if free[s, j + 1] > free[s, i]:  # a window of the requirement is free whatever the solver does
                    continue
                minimal = minimal_free(idx, s, ("weekly_rest_rolling", need, span, i, j), wins[i : j + 1])
                if minimal is None:
                    continue
                lits = [free_literal(ctx, s, m, exact, f"wrr_free_{s}_{i}_{k}") for k, m in enumerate(minimal)]
                ctx.clause(st, self.id, s, lits)

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        need = round(st.min_hours * 60)
        wins = all_windows(idx, need)
        span = _span(round(st.max_gap_hours * 60), need)
        kept = unit_clauses(idx, need, span)
        if not kept:
            return []
        free = free_matrix(view, wins)
        run = np.concatenate([np.zeros((idx.S, 1), dtype=np.int64), np.cumsum(free, axis=1)], axis=1)
        first = np.array([i for i, _ in kept])
        last = np.array([j for _, j in kept])
        ok = (run[:, last + 1] - run[:, first]) > 0  # [S, clauses]
        out = []
        for s, c in zip(*np.nonzero(~ok), strict=True):
            a = wins[first[c]].start
            days = range(a // DAY, (a + span + need) // DAY + 1)  # a cyclic period's days past the end wrap
            if not idx.cyclic:
                days = range(max(0, days.start), min(idx.D, days.stop))
            out.append(
                view.violation(
                    self.id,
                    st,
                    int(s),
                    days,
                    detail=f"no {need / 60:.0f} h rest with a whole free day within "
                    f"{st.max_gap_hours:.0f} h of the one before",
                )
            )
        return out
