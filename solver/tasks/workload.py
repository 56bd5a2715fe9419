"""Task workload: a person's task minutes inside one worked shift (plus the reserve of any role they hold on it)
stay within the shift's working minutes minus `break_min` (Tørn: balance of work intensity and rest)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from models import Violation

from ..view import Priced
from .base import TaskRule, extra_cover, main_cover, priced, task_spans, weighted_total
from .model import task_vars
from .occurrences import workload_cap


class TaskWorkload(TaskRule):
    id = "task_workload"
    title = "Task minutes per shift within capacity (minus a break)"
    source = "Tørn TSB steg 3 (arbeidsintensitet og hvile); AML §10-9 pauser"

    def add_to_model(self, ctx, st) -> None:
        if not (ctx.inst.tasks or ctx.inst.roles):
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
        kept = ctx.idx.frame.task_load if ctx.idx.frame is not None else {}
        for (s, d, t), (vs, cs) in load.items():
            cap = workload_cap(ctx.idx, t) - kept.get((s, d, t), 0)
            x = ctx.var(s, d, t)
            if x is None or sum(cs) <= cap:
                continue
            ctx.require_at_most(self.id, s, ctx.weighted(vs, cs), cap, when=[x])

    def audit(self, view, st) -> list[Violation] | list[Priced]:
        inst = view.idx.inst
        if not (inst.tasks or inst.roles):
            return []
        idx = view.idx
        sp = task_spans(view)
        oa = sp.oa
        s, a, b = sp.staff, sp.start, sp.end
        # task minutes per worked shift instance containing the span: main shifts as [S, D] arrays ...
        load = np.zeros((idx.S, idx.D), dtype=np.int64)
        touched = np.zeros((idx.S, idx.D), dtype=bool)  # a load entry exists (also of 0 minutes)
        for dc, ok in main_cover(view, s, a, b):
            np.add.at(load, (s[ok], dc[ok]), (b - a)[ok])
            touched[s[ok], dc[ok]] = True
        # ... plus the reserve of each role held, qualified, on a worked shift
        rk, rs = sp.role_k, sp.role_s
        if len(rk):
            rd, rt = oa.role_d[rk], oa.role_t[rk]
            ok = oa.role_qualified[rk, rs] & (view.shift[rs, rd] == rt)
            np.add.at(load, (rs[ok], rd[ok]), oa.role_reserve[rk[ok]])
            touched[rs[ok], rd[ok]] = True
        # second shifts of a day (`view.extra`) other than the main one, each its own entry
        extra_load: dict[tuple[int, int, int], int] = {}
        if view.extra:
            extras = sorted({(s2, d, t) for s2, d, t in view.extra if int(view.shift[s2, d]) != t})
            for key, ok in extra_cover(view, s, a, b, extras):
                if ok.any():
                    extra_load[key] = int((b - a)[ok].sum())
            xset = set(extras)
            for k, s2 in zip(rk.tolist(), rs.tolist(), strict=True):
                key = (s2, int(oa.role_d[k]), int(oa.role_t[k]))
                if key in xset and oa.role_qualified[k, s2]:
                    extra_load[key] = extra_load.get(key, 0) + int(oa.role_reserve[k])
        caps = np.array([workload_cap(idx, t) for t in range(idx.T)], dtype=np.int64)
        sh = view.shift
        over = touched & (sh >= 0) & (load > caps[np.maximum(sh, 0)])
        bad_s, bad_d = np.nonzero(over)
        amounts = load[bad_s, bad_d] - caps[sh[bad_s, bad_d]]
        xbad = [(key, m) for key, m in extra_load.items() if m > caps[key[2]]]
        if view.score_only:
            amounts = np.concatenate([amounts, np.array([m - caps[key[2]] for key, m in xbad], dtype=np.int64)])
            return priced(view, self.id, st, len(amounts), weighted_total(st, amounts))
        items = [
            ((int(s2), int(d), int(sh[s2, d])), int(load[s2, d])) for s2, d in zip(bad_s, bad_d, strict=True)
        ] + xbad
        out = []
        for (s2, d, t), m in sorted(items):
            cap = int(caps[t])
            out.append(
                view.violation(
                    self.id, st, s2, [d], amount=m - cap, detail=f"{m} task min on {idx.shift_codes[t]} > {cap}"
                )
            )
        return out
