"""The vectorised task audits (solver/tasks/*.py `audit`) against straightforward per-span loops (the audits as
they were before vectorising, kept here as the reference): the same Violation records in the same order on the
full path, and on the score-only path the same penalty and count per rule, on random rosters with tasks that
break every task rule (tasks off duty or outside their window, overlapping tasks, over-capacity shifts, second
shifts on a day, role holders off their shift or unqualified, unknown task entries)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from models import Level
from models.common import fmt_hhmm
from models.generate import generate_dict
from models.tasks_generate import add_tasks
from solver.checker import check_view, score_view
from solver.index import DAY, build_index
from solver.registry import setting
from solver.tasks import TASK_RULES
from solver.tasks.base import TaskRoster, works_covering
from solver.tasks.occurrences import task_index, workload_cap
from solver.tasks.oppgavedeling import minute_costs
from solver.view import RosterView
from solver.weights import HARD_WEIGHT

RULES = {r.id: r for r in TASK_RULES}


def audit(rid, view):
    """One task rule's audit as the checker runs it: with its setting, nothing when OFF."""
    st = setting(RULES[rid], view.idx.inst)
    return RULES[rid].audit(view, st) if st.active else []


# --- the reference: one loop per span, as the audits were written before ---------------------------------------

def ref_on_duty(view, tr):
    st = view.idx.inst.task_rules.task_on_duty
    out = []
    for o, staff in tr.staff_of.items():
        occ = tr.ti.occs[o]
        a = tr.start_of[o]
        b = a + occ.dur
        lo = occ.d * DAY + occ.task.earliest
        if not lo <= a <= lo + occ.task.window_min - occ.dur:
            out.append(view.violation("task_on_duty", st, None, [occ.d],
                                      detail=f"{occ.task.id} starts {fmt_hhmm(a)} outside its window"))
        for s in staff:
            if not works_covering(view, s, a, b):
                out.append(view.violation("task_on_duty", st, s, [occ.d],
                                          detail=f"{occ.task.id} {fmt_hhmm(a)}-{fmt_hhmm(b)}: not on a shift "
                                                 f"covering it"))
    for what, detail in tr.unknown:
        out.append(view.violation("task_on_duty", st, None, [], detail=detail))
    return out


def ref_overlap(view, tr):
    st = view.idx.inst.task_rules.task_overlap
    per = defaultdict(list)
    for o, s, a, b in tr.spans():
        per[s].append((a, b, o))
    out = []
    for s, spans in per.items():
        spans.sort()
        end, prev = -1, None
        for a, b, o in spans:
            if a < end:
                occ = tr.ti.occs[o]
                out.append(view.violation("task_overlap", st, s, [occ.d],
                                          detail=f"{occ.task.id} {fmt_hhmm(a)} overlaps {prev}"))
            if b > end:
                end, prev = b, tr.ti.occs[o].task.id
    return out


def ref_workload(view, tr):
    idx = view.idx
    st = idx.inst.task_rules.task_workload
    load = defaultdict(int)
    worked = set(view.assignments())
    for o, s, a, b in tr.spans():
        for d in range(max(0, a // DAY - 1), min(idx.D, a // DAY + 1)):
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
            out.append(view.violation("task_workload", st, s, [d], amount=m - cap,
                                      detail=f"{m} task min on {idx.shift_codes[t]} > {cap}"))
    return out


def ref_coverage(view, tr):
    st = view.idx.inst.task_rules.task_coverage
    out = []
    for occ in tr.ti.occs:
        missing = max(0, occ.task.count - len(tr.staff_of.get(occ.o, ())))
        if missing:
            out.append(view.violation("task_coverage", st, None, [occ.d], amount=missing,
                                      penalty=st.weight * occ.task.priority * missing,
                                      detail=f"{occ.task.id} {fmt_hhmm(occ.start)}: {missing} missing"))
    return out


def ref_roles(view, tr):
    st = view.idx.inst.task_rules.shift_roles
    out = []
    for k, ro in enumerate(tr.ti.roles):
        staff = tr.roles_of.get(k, [])
        if not [s for s in staff if ro.qualified[s] and view.shift[s, ro.d] == ro.t]:
            out.append(view.violation("shift_roles", st, None, [ro.d],
                                      detail=f"{ro.code} on {view.idx.shift_codes[ro.t]}: no holder"))
    return out


def ref_continuity(view, tr):
    inst = view.idx.inst
    st = inst.task_rules.continuity
    ti = tr.ti
    carers = defaultdict(set)
    cost = defaultdict(int)
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
            out.append(view.violation("continuity", st, None, [], amount=n, penalty=pen,
                                      detail=f"user {inst.users[u].id}: {n} carers besides the contacts"))
    return out


def ref_oppgavedeling(view, tr):
    st = view.idx.inst.task_rules.oppgavedeling
    if not (st.weight or st.health_weight):
        return []
    pen = defaultdict(int)
    mins = defaultdict(int)
    for o, s, a, b in tr.spans():
        c = minute_costs(view.idx, st, tr.ti.occs[o], s)
        if c:
            pen[s] += c * (b - a)
            mins[s] += b - a
    return [view.violation("oppgavedeling", st, s, [], amount=mins[s], penalty=p,
                           detail=f"{mins[s]} min on tasks below the person's competence")
            for s, p in sorted(pen.items())]


REFERENCE = {"task_on_duty": ref_on_duty, "task_overlap": ref_overlap, "task_workload": ref_workload,
             "task_coverage": ref_coverage, "shift_roles": ref_roles, "continuity": ref_continuity,
             "oppgavedeling": ref_oppgavedeling}


# --- random unlawful rosters with tasks ----------------------------------------------------------------------------

def unit(seed: int, break_min: int = 30, weights: bool = False):
    data = add_tasks(generate_dict("small", 2, seed), seed)
    if weights:  # other prices of the soft task rules, and a break that leaves little room per shift
        data["task_rules"] = {**data.get("task_rules", {}),
                              "task_workload": {"break_min": break_min},
                              "continuity": {"weight": 7, "other_cost": 0, "secondary_cost": 3},
                              "oppgavedeling": {"weight": 0, "health_weight": 5},
                              "task_coverage": {"weight": 11}, "shift_roles": {"weight": 13}}
    from models import validate_instance

    inst = validate_instance(data)[0]
    return build_index(inst)


@pytest.fixture(scope="module", params=[(3, 30, False), (4, 200, True)], ids=["defaults", "tight-weights"])
def idx(request):
    return unit(*request.param)


def random_view(idx, seed: int) -> RosterView:
    rng = np.random.default_rng(seed)
    ti = task_index(idx)
    S, D, T = idx.S, idx.D, idx.T
    density = rng.uniform(0.3, 0.9)
    shift = np.where(rng.random((S, D)) < density, rng.integers(0, T, (S, D)), -1)
    view = RosterView(idx, shift)
    for _ in range(int(rng.integers(0, 12))):  # second shifts on a day (also repeats of the main one)
        s, d = int(rng.integers(S)), int(rng.integers(D))
        t = int(shift[s, d]) if shift[s, d] >= 0 and rng.random() < 0.2 else int(rng.integers(T))
        view.extra.append((s, d, t))
    tr = TaskRoster(ti)
    for occ in ti.occs:
        if rng.random() < 0.25:
            continue
        if rng.random() < 0.1:  # an occurrence listed with nobody (all its ids unknown)
            staff = []
        elif occ.cands and rng.random() < 0.7:
            staff = list(rng.choice(occ.cands, min(len(occ.cands), int(rng.integers(1, 4))), replace=False))
        else:  # anyone: unqualified, off duty
            staff = list(rng.choice(S, int(rng.integers(1, 4)), replace=False))
        tr.staff_of[occ.o] = [int(s) for s in staff]
        start = occ.start
        if rng.random() < 0.1:  # another start, sometimes outside the window or before the period
            start += int(rng.integers(-3, 4)) * 60 + int(rng.integers(-30, 31))
        tr.start_of[occ.o] = start
    # over capacity: someone doing (nearly) every occurrence a shift of theirs contains, main or second
    busy = [(s, d, int(shift[s, d])) for s, d in zip(rng.integers(0, S, 6).tolist(), rng.integers(0, D, 6).tolist())
            if shift[s, d] >= 0]
    busy += [e for e in view.extra if rng.random() < 0.6]
    for s, d, t in busy:
        for occ in ti.occs:
            if (d, t) in occ.cover and rng.random() < 0.95:
                lst = tr.staff_of.setdefault(occ.o, [])
                tr.start_of.setdefault(occ.o, occ.start)
                if s not in lst:
                    lst.append(s)
    for ro in ti.roles:
        r = rng.random()
        if r < 0.2:
            continue
        if r < 0.7 and ro.cands:
            tr.roles_of[ro.k] = [int(rng.choice(ro.cands))]
        else:
            tr.roles_of[ro.k] = [int(s) for s in rng.choice(S, int(rng.integers(1, 3)), replace=False)]
    for s, d, t in busy:  # and the roles of those shifts (their reserve adds to the load)
        for ro in ti.roles:
            if (ro.d, ro.t) == (d, t) and rng.random() < 0.7 and s not in tr.roles_of.get(ro.k, []):
                tr.roles_of.setdefault(ro.k, []).append(s)
    if rng.random() < 0.5:
        tr.unknown.append(("task", "X on 2030-01-01: not a task occurrence of this instance"))
    view.memo["task_roster"] = tr
    return view


def records(vs):
    return [(v.rule, v.level, v.staff, v.dates, v.amount, v.penalty, v.detail) for v in vs]


@pytest.mark.parametrize("seed", range(12))
def test_full_records_equal_the_reference(idx, seed):
    view = random_view(idx, seed)
    tr = view.memo["task_roster"]
    for rid, ref in REFERENCE.items():
        got = audit(rid, view)
        want = ref(view, tr) if setting(RULES[rid], idx.inst).active else []
        assert records(got) == records(want), rid
        assert all(type(v.amount) is type(w.amount) for v, w in zip(got, want)), rid


@pytest.mark.parametrize("seed", range(12))
def test_score_only_totals_equal_the_reference(idx, seed):
    view = random_view(idx, seed)
    tr = view.memo["task_roster"]
    view.score_only = True
    for rid, ref in REFERENCE.items():
        got = audit(rid, view)
        view.score_only = False
        want = ref(view, tr)
        view.score_only = True
        assert len(got) <= 1, rid  # one priced total per rule
        assert sum(p.penalty for p in got) == sum(v.penalty for v in want), rid
        assert sum(p.count for p in got) == len(want), rid
        if got:
            assert got[0].level == want[0].level, rid
    view.score_only = False
    assert score_view(view) == check_view(view)[1]


def test_the_random_rosters_break_every_task_rule(idx):
    seen = defaultdict(int)
    for seed in range(12):
        view = random_view(idx, seed)
        for rid, ref in REFERENCE.items():
            seen[rid] += len(ref(view, view.memo["task_roster"]))
    assert all(seen[rid] for rid in REFERENCE), dict(seen)


def test_priced_like_view_violation_when_hard_and_soft(idx):
    view = random_view(idx, 1)
    st = idx.inst.task_rules.task_workload
    assert st.level == Level.REQUIRED
    view.score_only = True
    got = audit("task_workload", view)
    view.score_only = False
    n = len(ref_workload(view, view.memo["task_roster"]))
    assert n and got[0].penalty == n * HARD_WEIGHT and got[0].count == n


def test_a_new_task_roster_in_the_memo_is_read_afresh(idx):
    """The arrays are memoised per task roster: replacing the roster in the memo is not scored on stale arrays."""
    view = random_view(idx, 2)
    first = score_view(view)
    other = random_view(idx, 3).memo["task_roster"]
    fresh = RosterView(idx, view.shift.copy(), list(view.extra))
    fresh.memo["task_roster"] = other
    view.memo["task_roster"] = other
    assert score_view(view) == score_view(fresh) != first
