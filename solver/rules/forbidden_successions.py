"""Forbidden successions given as data: shift `first` on one day followed by a shift of `then` on the next
(INRC-II H3, hard there; a unit may list, say, night then day-off-then-... pairs its agreement rules out).

Why beside daily rest: rest hours judge the clock, a succession list judges the shift types, as many rota
agreements and INRC-II state them (a Late may not be followed by an Early whatever the hours). Each (person, day,
first shift) is one group with its forbidden successors (`forbid_successors`), so one broken group is one broken
pair; REQUIRED makes them hard, PREFERRED prices `weight` per pair. The last day of `Instance.history` (the
previous period's end, `Index.history`) is followed into the period's first day as any other pair (INRC-II H3
includes it). Shift codes the unit does not have are refused at validation (unknown_shift).
"""

from __future__ import annotations

import numpy as np

from models import Violation

from .base import Rule
from .sequences import successor_cells, successor_violations


def last_history(idx) -> np.ndarray:
    """[S] the shift each person started the day before the period (-1: off or unknown)."""
    hist = idx.history
    return hist[:, -1] if hist.shape[1] else np.full(idx.S, -1, dtype=np.int64)


def forbidden_matrix(idx, st) -> np.ndarray:
    """[T, T] bool: t2 on the day after t1 is forbidden."""
    out = np.zeros((idx.T, idx.T), dtype=bool)
    pos = idx.shift_pos
    for pair in st.pairs:
        t1 = pos.get(pair.first)
        if t1 is None:
            continue
        for code in pair.then:
            t2 = pos.get(code)
            if t2 is not None:
                out[t1, t2] = True
    return out


class ForbiddenSuccessions(Rule):
    id = "forbidden_successions"
    title = "Forbidden shift successions (shift A then shift B the next day)"
    source = "Rota agreement; INRC-II H3"

    def add_to_model(self, ctx, st) -> None:
        bad = forbidden_matrix(ctx.idx, st)
        forbidden = {(1, t1): np.nonzero(bad[t1])[0].tolist() for t1 in range(ctx.idx.T) if bad[t1].any()}
        if forbidden:
            ctx.forbid_successors(st, self.id, forbidden)
        last = last_history(ctx.idx)
        for s in np.nonzero(last >= 0)[0].tolist():
            nxt = [v for t, v in ctx.day_vars(s, 0) if bad[last[s], t]]
            if nxt:  # the history's shift is fixed: any forbidden successor on day 0 breaks the group
                ctx.at_most(st, self.id, s, ctx.weighted(nxt, [1] * len(nxt)), 0)

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        bad = forbidden_matrix(idx, st)
        sh = np.maximum(view.shift, 0)
        s_, d_ = successor_cells(view, bad)
        last = last_history(idx)
        out = [
            view.violation(
                self.id, st, s, [0], detail=f"{idx.shift_codes[last[s]]} (history) then {idx.shift_codes[sh[s, 0]]}"
            )
            for s in np.nonzero((last >= 0) & view.on[:, 0])[0].tolist()
            if bad[last[s], sh[s, 0]]
        ]
        return out + successor_violations(view, st, self.id, s_, d_)
