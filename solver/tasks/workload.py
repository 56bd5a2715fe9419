"""Task workload: a person's task minutes inside one worked shift (plus the reserve of any role they hold on it)
stay within the shift's working minutes minus `break_min` (Tørn: balance of work intensity and rest)."""

from __future__ import annotations

from collections import defaultdict

from models import Violation

from .base import TaskRule, task_roster
from .model import task_vars
from .occurrences import workload_cap


class TaskWorkload(TaskRule):
    id = "task_workload"
    title = "Task minutes per shift within capacity (minus a break)"
    source = "Tørn TSB steg 3 (arbeidsintensitet og hvile); AML §10-9 pauser"

    def add_to_model(self, ctx) -> None:
        st = self.st(ctx.inst)
        if not (ctx.inst.tasks or ctx.inst.roles) or not st.active:
            return
        tv = task_vars(ctx)
        occs = tv.ti.occs
        load: dict[tuple[int, int, int], tuple[list, list]] = defaultdict(lambda: ([], []))
        for s, items in tv.by_staff.items():
            for o, y in items:
                for d, t in occs[o].cover:
                    if ctx.idx.allowed[s, d, t]:
                        vs, cs = load[s, d, t]
                        vs.append(y)
                        cs.append(occs[o].dur)
        for (k, s), r in tv.r.items():
            ro = tv.ti.roles[k]
            if ro.reserve:
                vs, cs = load[s, ro.d, ro.t]
                vs.append(r)
                cs.append(ro.reserve)
        for (s, d, t), (vs, cs) in load.items():
            cap = workload_cap(ctx.idx, t)
            x = ctx.var(s, d, t)
            if x is None or sum(cs) <= cap:
                continue
            ctx.model.add(ctx.weighted(vs, cs) <= cap).only_enforce_if(x)

    def audit(self, view) -> list[Violation]:
        st = self.st(view.idx.inst)
        inst = view.idx.inst
        if not (inst.tasks or inst.roles) or not st.active:
            return []
        tr = task_roster(view)
        idx = view.idx
        load: dict[tuple[int, int, int], int] = defaultdict(int)
        worked = set(view.assignments())
        for o, s, a, b in tr.spans():
            for d in range(max(0, a // 1440 - 1), min(idx.D, a // 1440 + 1)):
                for t in range(idx.T):
                    if (s, d, t) in worked and idx.abs_start(d, t) <= a and idx.abs_end(d, t) >= b:
                        load[s, d, t] += b - a
        for k, staff in tr.roles_of.items():
            ro = tr.ti.roles[k]
            for s in staff:
                if (s, ro.d, ro.t) in worked and ro.qualified[s]:
                    load[s, ro.d, ro.t] += ro.reserve
        out = []
        for (s, d, t), m in sorted(load.items()):
            cap = workload_cap(idx, t)
            if m > cap:
                out.append(view.violation(self.id, st, s, [d], amount=m - cap,
                                          detail=f"{m} task min on {idx.shift_codes[t]} > {cap}"))
        return out
