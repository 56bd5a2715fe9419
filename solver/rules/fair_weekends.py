"""Equal weekends and holidays (helg og høytid) among regular staff of the same position: each person pays
`weight` per weekend or weekday-holiday window worked below the floor or above the ceiling of their group's mean.

Why beside `fair_unsocial` (which prices max - min over the whole pool): a spread sees only the two extremes, so
one person with no weekend costs the same as five, and the solver gets no pull on the people in between. Here every
person's distance from the share counts, inside groups that should be equal (`by`: same position % by default,
same personnel group, or the whole pool). The units counted, the pool (regular staff: position ≥ 50 %, not
night-only) and the literals (any shift overlapping the weekend or holiday window) are `fair_unsocial`'s.

Measure, linear and exact: with W the group's total and n its size, q = floor(W / n) and c = ceil(W / n) are
integer variables (n q <= W <= n q + n - 1, n c - n + 1 <= W <= n c), and a person with w units pays
max(0, q - w) + max(0, w - c); a group as even as integers allow pays 0 (7 people, 12 weekends: five with 2 and two
with 1 is free; one with 0 pays 1). A sub-problem's fixed members enter through `Frame.fair_groups` (their counts),
so the sub-model prices the whole group.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from models import Violation

from ..view import RosterView
from .base import Rule
from .fair_unsocial import pool
from .weekends import audit_flags, model_flags, unsocial_spans


def group_key(person, by: str) -> str:
    """The fairness group a pool member belongs to."""
    if by == "position_pct":
        return f"{person.position_pct:g}"
    if by == "group":
        return person.group.value
    return ""


def groups(idx, by: str) -> dict[str, list[int]]:
    """Group key -> pool members (staff indices of this index), in index order."""
    out: dict[str, list[int]] = {}
    for s in pool(idx):
        out.setdefault(group_key(idx.inst.staff[s], by), []).append(s)
    return out


def frame_counts(full, shift: np.ndarray, inside: np.ndarray) -> dict[str, tuple[int, ...]]:
    """For a sub-problem's `Frame`: per group key, the units worked by the group's members outside the
    sub-problem (`inside` [S] marks the free people; `shift` [S, D] the unit's roster)."""
    st = full.inst.rules.fair_weekends
    if not st.active:
        return {}
    counts = audit_flags(RosterView(full, shift), unsocial_spans(full)).sum(axis=1)
    out: dict[str, tuple[int, ...]] = {}
    for key, members in groups(full, st.by).items():
        fixed = tuple(int(counts[s]) for s in members if not inside[s])
        if fixed:
            out[key] = fixed
    return out


class FairWeekends(Rule):
    id = "fair_weekends"
    title = "Equal weekends and holidays within a position"
    source = "FO/NSF fairness practice; local agreement [C]"

    def add_to_model(self, ctx, st) -> None:
        if not st.weight:
            return
        idx, model = ctx.idx, ctx.model
        spans = unsocial_spans(idx)
        K = len(spans)
        if not K:
            return
        outside = idx.frame.fair_groups if idx.frame is not None else {}
        wk = model_flags(ctx, spans, "wkd")
        for key, members in groups(idx, st.by).items():
            fixed = outside.get(key, ())
            n = len(members) + len(fixed)
            if n < 2:
                continue
            counts = []
            for s in members:
                lits = [wk[s, k] for k in range(K) if (s, k) in wk]
                counts.append(ctx.weighted(lits, [1] * len(lits)))
            total = sum(counts) + sum(fixed)
            q = model.new_int_var(0, K, f"fairwk_floor_{key}")
            c = model.new_int_var(0, K, f"fairwk_ceil_{key}")
            model.add(n * q <= total)
            model.add(total <= n * q + n - 1)
            model.add(n * c - n + 1 <= total)
            model.add(total <= n * c)
            for i, w in enumerate(counts):
                for j, expr in enumerate((q - w, w - c)):
                    dev = model.new_int_var(0, K, f"fairwk_{key}_{i}_{j}")
                    model.add_max_equality(dev, [0, expr])
                    ctx.penalize(self.id, st.weight, dev)
            for v, m in Counter(fixed).items():
                for j, expr in enumerate((q - v, v - c)):
                    dev = model.new_int_var(0, K, f"fairwk_{key}_fixed{v}_{j}")
                    model.add_max_equality(dev, [0, expr])
                    ctx.penalize(self.id, st.weight * m, dev)

    def audit(self, view, st) -> list[Violation]:
        if not st.weight:
            return []
        idx = view.idx
        counts = audit_flags(view, unsocial_spans(idx)).sum(axis=1)
        out = []
        for members in groups(idx, st.by).values():
            n = len(members)
            if n < 2:
                continue
            c = counts[members]
            total = int(c.sum())
            lo, hi = total // n, -(-total // n)
            for s, w in zip(members, c.tolist(), strict=True):
                dev = max(0, lo - w) + max(0, w - hi)
                if dev:
                    share = f"{lo}" if lo == hi else f"{lo}-{hi}"
                    out.append(
                        view.violation(self.id, st, s, [], amount=dev, detail=f"{w} weekends/holidays, share {share}")
                    )
        return out
