"""A greedy task and role allocation on fixed shifts: the constructed start's tasks (solver/search/construct.py).

Without it the search would start from a roster with every task open and spend its first moves filling them;
with it the start has every task that fits its shifts staffed (respecting competence, on-duty, overlap and
workload), preferring contacts, earlier carers of the user, and staff for whom the task is not below their
competence (oppgavedeling). The LNS then re-allocates tasks together with shifts.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..index import DAY
from .occurrences import task_index, workload_cap
from .oppgavedeling import minute_costs


def greedy_tasks(idx, hint: np.ndarray) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(chosen (occurrence, staff) pairs, chosen (role occurrence, staff) pairs) on shift array `hint` [S, D]."""
    ti, tr = task_index(idx), idx.inst.task_rules
    load: dict[tuple[int, int, int], int] = defaultdict(int)
    busy: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)  # (person, day) -> task spans
    carers: dict[int, set[int]] = defaultdict(set)
    roles_today: dict[tuple[int, int], int] = defaultdict(int)
    ys, rs = set(), set()
    for k, ro in enumerate(ti.roles):
        on = [s for s in ro.cands if hint[s, ro.d] == ro.t]
        if not on:
            continue
        s = min(on, key=lambda s: (roles_today[s, ro.d], load[s, ro.d, ro.t], s))
        rs.add((k, s))
        roles_today[s, ro.d] += 1
        load[s, ro.d, ro.t] += ro.reserve
    cont, opp = tr.continuity, tr.oppgavedeling
    # care teams for the first carer of each user: staff s and user u meet first when s % teams == u % teams,
    # so the "earlier carer" preference then keeps each user with a small group (continuity)
    teams = max(1, sum(1 for p in idx.inst.staff if not p.night_only) // 6)
    order = sorted(
        range(len(ti.occs)), key=lambda o: (-ti.occs[o].task.priority, -ti.occs[o].task.count, ti.occs[o].start, o)
    )
    for o in order:
        occ = ti.occs[o]
        prim, sec = ti.contacts.get(occ.user, (None, None)) if occ.user is not None else (None, None)
        options = []
        for s in occ.cands:
            worked = [(d, t) for d, t in occ.cover if hint[s, d] == t]
            if not worked:
                continue
            k = occ.start // DAY  # a task spans at most a day: only the neighbouring days' tasks can overlap it
            if any(a < occ.end and occ.start < b for kk in (k - 1, k, k + 1) for a, b in busy[s, kk]):
                continue
            if tr.task_workload.active and any(load[s, d, t] + occ.dur > workload_cap(idx, t) for d, t in worked):
                continue
            cost = minute_costs(idx, opp, occ, s) * occ.dur if opp.active else 0
            if occ.user is not None and cont.active and s != prim:
                cost += (
                    cont.secondary_cost if s == sec else cont.other_cost + (0 if s in carers[occ.user] else cont.weight)
                )
            team = 0 if occ.user is None or not cont.active else int(s % teams != occ.user % teams)
            options.append((cost, team, sum(load[s, d, t] for d, t in worked), s, worked))
        options.sort()
        for _, _, _, s, worked in options[: occ.task.count]:
            ys.add((o, s))
            busy[s, occ.start // DAY].append((occ.start, occ.end))
            for d, t in worked:
                load[s, d, t] += occ.dur
            if occ.user is not None:
                carers[occ.user].add(s)
    return ys, rs
