"""Shared helpers for rules that count flagged days or weekends inside sliding windows."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import sliding_sums, windows


def model_window_cap(ctx, st, rule: str, flags: dict[tuple[int, int], Any], n: int, length: int, cap: int) -> None:
    """For each person and each window of `length` consecutive positions: sum of flag literals <= cap (on a cyclic
    period the windows wrap around the end, `base.windows`)."""
    for s in range(ctx.idx.S):
        for win in windows(n, length, ctx.idx.cyclic):
            lits = [flags[s, k] for k in win if (s, k) in flags]
            if len(lits) > cap:
                ctx.at_most(st, rule, s, sum(lits), cap)


def audit_window_cap(view, st, rule: str, flags: np.ndarray, length: int, cap: int, days_of) -> list:
    """Violations where `flags` [S, n] sums above `cap` in a window of `length`; `days_of(k)` maps back to days."""
    n = flags.shape[1]
    sums = sliding_sums(flags.astype(np.int64), length, view.idx.cyclic)
    out = []
    for s, a in zip(*np.nonzero(sums > cap), strict=True):
        days = [d for k in range(int(a), int(a) + length) for d in days_of(k % n)]
        out.append(view.violation(rule, st, int(s), days, detail=f"{int(sums[s, a])} in {length} > {cap}"))
    return out


def successor_violations(view, st, rule: str, s_: np.ndarray, d_: np.ndarray) -> list:
    """One violation per person s and day d whose shift on d and the next day's make a priced pair (the next day of
    a cyclic period's last day is its first, `Index.day_pairs`)."""
    codes, sh = view.idx.shift_codes, view.shift
    then = view.idx.day_pairs(1)[1]
    return [
        view.violation(rule, st, s, [d, d + 1], detail=f"{codes[sh[s, d]]} then {codes[sh[s, then[d]]]}")
        for s, d in zip(s_.tolist(), d_.tolist(), strict=True)
    ]


def successor_cells(view, bad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(persons, days) whose shift on day d and the shift on the next day (`Index.day_pairs`) are a pair of the
    [T, T] table `bad`."""
    first, then, _ = view.idx.day_pairs(1)
    sh = np.maximum(view.shift, 0)
    both = view.on[:, first] & view.on[:, then]
    s_, d_ = np.nonzero(both & bad[sh[:, first], sh[:, then]])
    return s_, d_
