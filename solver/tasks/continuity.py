"""Continuity of care (kvalitetsforskriften §3; Tørn: fewer people for each user): each distinct carer of a
user over the period who is not the user's primær- or sekundærkontakt costs `weight`; each person-task done by a
non-contact costs `other_cost`, by the sekundærkontakt `secondary_cost` (the primærkontakt costs nothing)."""

from __future__ import annotations

from collections import defaultdict

from models import Violation

from .base import TaskRule, task_roster
from .model import task_vars


class Continuity(TaskRule):
    id = "continuity"
    title = "Few distinct carers per user; contacts preferred"
    source = "Kvalitetsforskriften §3; Tørn kontinuitet (domain.md §3.3, §4.3)"

    def add_to_model(self, ctx) -> None:
        st = self.st(ctx.inst)
        if not ctx.inst.users or not ctx.inst.tasks or not st.active:
            return
        tv = task_vars(ctx)
        ti = tv.ti
        per: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for occ, row in zip(ti.occs, tv.by_occ):
            if occ.user is None:
                continue
            for s, y in row:
                per[occ.user][s].append(y)
        model = ctx.model
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
                if st.weight:
                    z = model.new_bool_var(f"carer_{u}_{s}")
                    for y in ys:
                        model.add_implication(y, z)
                    model.add_bool_or(ys).only_enforce_if(z)
                    ctx.penalize(self.id, st.weight, z)
            if other and st.other_cost:
                ctx.penalize(self.id, st.other_cost, ctx.weighted(other, [1] * len(other)))
            if secondary and st.secondary_cost:
                ctx.penalize(self.id, st.secondary_cost, ctx.weighted(secondary, [1] * len(secondary)))

    def audit(self, view) -> list[Violation]:
        inst = view.idx.inst
        st = self.st(inst)
        if not inst.users or not inst.tasks or not st.active:
            return []
        tr = task_roster(view)
        ti = tr.ti
        carers: dict[int, set[int]] = defaultdict(set)
        cost: dict[int, int] = defaultdict(int)
        for o, staff in tr.staff_of.items():
            u = ti.occs[o].user
            if u is None:
                continue
            prim, sec = ti.contacts.get(u, (None, None))
            for s in staff:
                if s == prim:
                    continue
                if s == sec:
                    cost[u] += st.secondary_cost
                    continue
                cost[u] += st.other_cost
                carers[u].add(s)
        out = []
        for u in sorted(set(carers) | set(cost)):
            n = len(carers[u])
            pen = st.weight * n + cost[u]
            if pen:
                out.append(view.violation(self.id, st, None, [], amount=n, penalty=pen,
                                          detail=f"user {inst.users[u].id}: {n} carers besides the contacts"))
        return out
