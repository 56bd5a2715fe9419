"""Shift roles: each role (ansvarsvakt, medication responsible) has one holder among the qualified people
working that shift on each day it applies; a missing holder costs `weight` and is reported with the reason."""

from __future__ import annotations

import numpy as np

from models import Violation

from ..view import Priced
from .base import TaskRule, priced, task_roster, task_spans
from .model import task_vars


class ShiftRoles(TaskRule):
    id = "shift_roles"
    title = "One responsibility-role holder per shift (ansvarsvakt, medication)"
    source = "Practice: ansvarsvakt per shift [C] (domain.md §3.3); legemiddelhåndteringsforskriften §4"

    def add_to_model(self, ctx, st) -> None:
        if not ctx.inst.roles:
            return
        tv = task_vars(ctx)
        for row in tv.by_role:
            if row:
                ctx.penalize(self.id, st.weight, 1 - ctx.weighted([v for _, v in row], [1] * len(row)))
            else:
                ctx.penalize(self.id, st.weight, None)

    def holders(self, view) -> dict[int, list[int]]:
        """Role occurrence -> valid holders (named, qualified, working that shift)."""
        tr = task_roster(view)
        out = {}
        for k, staff in tr.roles_of.items():
            ro = tr.ti.roles[k]
            out[k] = [s for s in staff if ro.qualified[s] and view.shift[s, ro.d] == ro.t]
        return out

    def audit(self, view, st) -> list[Violation] | list[Priced]:
        if not view.idx.inst.roles:
            return []
        tr = task_roster(view)
        sp = task_spans(view)
        oa = sp.oa
        rk, rs = sp.role_k, sp.role_s
        held = np.zeros(len(oa.role_d), dtype=bool)
        if len(rk):
            held[rk[oa.role_qualified[rk, rs] & (view.shift[rs, oa.role_d[rk]] == oa.role_t[rk])]] = True
        if view.score_only:
            return priced(view, self.id, st, int((~held).sum()))
        out = []
        for k in np.nonzero(~held)[0].tolist():
            ro = tr.ti.roles[k]
            out.append(
                view.violation(
                    self.id, st, None, [ro.d], detail=f"{ro.code} on {view.idx.shift_codes[ro.t]}: no holder"
                )
            )
        return out
