"""Continuity of care (kvalitetsforskriften §3; Tørn: fewer people for each user): each distinct carer of a
user over the period who is not the user's primær- or sekundærkontakt costs `weight`; each person-task done by a
non-contact costs `other_cost`, by the sekundærkontakt `secondary_cost` (the primærkontakt costs nothing)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from models import Violation

from ..view import Priced
from .base import TaskRule, priced, task_spans
from .model import task_vars


class Continuity(TaskRule):
    id = "continuity"
    title = "Few distinct carers per user; contacts preferred"
    source = "Kvalitetsforskriften §3; Tørn kontinuitet (domain.md §3.3, §4.3)"

    def add_to_model(self, ctx, st) -> None:
        if not ctx.inst.users or not ctx.inst.tasks:
            return
        tv = task_vars(ctx)
        ti = tv.ti
        per: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for occ, row in zip(ti.occs, tv.by_occ, strict=True):
            if occ.user is None:
                continue
            for s, y in row:
                per[occ.user][s].append(y)
        model = ctx.model
        already = ctx.idx.frame.carers if ctx.idx.frame is not None else frozenset()
        for u, by_s in per.items():
            prim, sec = ti.contacts.get(u, (None, None))
            other, secondary = [], []
            for s, ys in by_s.items():
                if s == prim:
                    continue
                if s == sec:
                    secondary += ys
                    continue
                other += ys
                if st.weight and (u, s) not in already:
                    z = model.new_bool_var(f"carer_{u}_{s}")
                    for y in ys:
                        model.add_implication(y, z)
                    model.add_bool_or(ys).only_enforce_if(z)
                    ctx.penalize(self.id, st.weight, z)
            if other and st.other_cost:
                ctx.penalize(self.id, st.other_cost, ctx.weighted(other, [1] * len(other)))
            if secondary and st.secondary_cost:
                ctx.penalize(self.id, st.secondary_cost, ctx.weighted(secondary, [1] * len(secondary)))

    def audit(self, view, st) -> list[Violation] | list[Priced]:
        inst = view.idx.inst
        if not inst.users or not inst.tasks:
            return []
        sp = task_spans(view)
        oa = sp.oa
        u = oa.user[sp.occ]
        keep = u >= 0
        u, s = u[keep], sp.staff[keep]
        prim = s == oa.prim[u]
        sec = ~prim & (s == oa.sec[u])
        other = ~prim & ~sec
        nu = len(oa.prim)
        cost = (
            np.bincount(u[sec], minlength=nu) * st.secondary_cost + np.bincount(u[other], minlength=nu) * st.other_cost
        ).astype(np.int64)
        width = view.idx.S + 1
        pairs = np.unique(u[other] * width + s[other])  # distinct (user, non-contact carer)
        carers = np.bincount(pairs // width, minlength=nu)
        pen = st.weight * carers + cost
        bad = np.nonzero(pen)[0]
        if view.score_only:
            return priced(view, self.id, st, len(bad), int(pen[bad].sum()))
        return [
            view.violation(
                self.id,
                st,
                None,
                [],
                amount=int(carers[x]),
                penalty=int(pen[x]),
                detail=f"user {inst.users[x].id}: {int(carers[x])} carers besides the contacts",
            )
            for x in bad.tolist()
        ]
