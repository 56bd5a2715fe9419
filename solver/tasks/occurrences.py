"""Static task data of one instance, shared by the CP-SAT model and the checker (no CP-SAT here).

Each task occurrence (task × date it applies on) gets one fixed start inside its window, chosen on the
`task_rules.grid_min` grid before solving: first a start that lies inside some shift type, then the one that
adds least to the unit's task load at that time (occurrences with the least slack are placed first). Fixing the
start keeps the model at one boolean per (occurrence, eligible person). The checker accepts any start inside the
window, so hand-made rosters are judged on what they say.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models import Instance
from models.staff import FORMAL_HEALTH_GROUPS, NURSE_GROUPS
from models.tasks import Task, in_unit, qualifies, task_unit

from ..index import DAY, Index


@dataclass
class Occ:
    """One task occurrence with its fixed start (minutes from the period's first midnight)."""

    o: int
    ti: int  # index in inst.tasks
    task: Task
    d: int  # day of the window start
    start: int
    end: int
    user: int | None  # index in inst.users
    unit: str | None
    qualified: np.ndarray  # [S] bool: group/competence/unit on that date
    cands: list[int]  # qualified staff with an allowed shift instance covering [start, end)
    needs_nurse: bool
    needs_health: bool
    cover: list[tuple[int, int]] = field(default_factory=list)  # shift instances (d, t) containing the span
    # people still wanted: `task.count`, less those fixed outside a sub-problem (solver/search/subproblem.py)
    need: int = -1

    def __post_init__(self) -> None:
        if self.need < 0:
            self.need = self.task.count

    @property
    def dur(self) -> int:
        return self.end - self.start


@dataclass
class RoleOcc:
    ri: int
    code: str
    d: int
    t: int
    qualified: np.ndarray  # [S] bool
    cands: list[int]  # qualified staff allowed on (d, t)
    reserve: int
    k: int = -1  # position in the task index's role occurrences


@dataclass
class TaskIndex:
    occs: list[Occ] = field(default_factory=list)
    roles: list[RoleOcc] = field(default_factory=list)
    by_key: dict[tuple[int, int], int] = field(default_factory=dict)  # (task index, day) -> occurrence
    task_pos: dict[str, int] = field(default_factory=dict)
    user_pos: dict[str, int] = field(default_factory=dict)
    contacts: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)  # user -> (primary, secondary)
    # a sub-problem's task index keeps only some occurrences and roles, numbered 0..n-1 like a unit's: these map
    # its numbers to the unit's (solver/search/subproblem.py); empty for a unit's own index
    occ_ids: list[int] = field(default_factory=list)
    role_ids: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.occs and not self.roles


def covering(idx: Index, a: int, b: int) -> list[tuple[int, int]]:
    """Shift instances (d, t) whose span contains [a, b)."""
    out = []
    for d in range(max(0, a // DAY - 1), min(idx.D, a // DAY + 1)):
        s, e = idx.s_abs[d], idx.e_abs[d]
        out += [(d, int(t)) for t in np.nonzero((s <= a) & (e >= b))[0]]
    return out


def _type_covers(idx: Index, clock: int, dur: int) -> bool:
    """Some shift type (started that day or the day before) contains [clock, clock+dur) of a day."""
    for off in (0, DAY):
        s = idx.start - off
        if np.any((s <= clock) & (s + idx.duration >= clock + dur)):
            return True
    return False


def _needs(inst: Instance, task: Task, unit: str | None) -> tuple[bool, bool]:
    """(needs a nurse, needs formal health competence): every qualified person of the unit is one."""
    able = [
        s for s in inst.staff if in_unit(s, unit) and qualifies(inst, s, task.group, task.or_better, task.competences)
    ]
    if not able:
        return False, False
    return (all(s.group.value in NURSE_GROUPS for s in able), all(s.group.value in FORMAL_HEALTH_GROUPS for s in able))


def task_index(idx: Index) -> TaskIndex:
    """Built once per instance (cached in `idx.cache`)."""
    if "tasks" in idx.cache:
        return idx.cache["tasks"]
    inst = idx.inst
    ti = TaskIndex()
    ti.task_pos = {t.id: i for i, t in enumerate(inst.tasks)}
    ti.user_pos = {u.id: i for i, u in enumerate(inst.users)}
    spos = idx.staff_pos
    for i, u in enumerate(inst.users):
        ti.contacts[i] = (
            spos.get(u.primary_contact) if u.primary_contact else None,
            spos.get(u.secondary_contact) if u.secondary_contact else None,
        )
    grid = inst.task_rules.grid_min
    # per-task static data
    units = [task_unit(inst, t) for t in inst.tasks]
    needs = [_needs(inst, t, u) for t, u in zip(inst.tasks, units, strict=True)]
    unit_ok = [np.array([in_unit(s, u) for s in inst.staff], dtype=bool) for u in units]
    groups_ok = []
    for t in inst.tasks:
        if t.group is None:
            groups_ok.append(np.ones(idx.S, dtype=bool))
        else:
            g = inst.qualifying_groups(t.group, t.or_better)
            groups_ok.append(np.array([s.group.value in g for s in inst.staff], dtype=bool))
    comp_cache: dict[tuple[str, int], np.ndarray] = {}

    def comp(code: str, d: int) -> np.ndarray:
        if (code, d) not in comp_cache:
            comp_cache[code, d] = np.array([s.has_competence(code, idx.dates[d]) for s in inst.staff], dtype=bool)
        return comp_cache[code, d]

    starts_cache: dict[tuple[int, int, int], list[int]] = {}
    for d, day in enumerate(idx.dates):
        todays = [i for i, t in enumerate(inst.tasks) if t.applies(day) and t.duration_min <= t.window_min]
        # least slack first, then earliest window, then id: a deterministic order for the load balancing
        todays.sort(
            key=lambda i: (
                inst.tasks[i].window_min - inst.tasks[i].duration_min,
                inst.tasks[i].earliest,
                inst.tasks[i].id,
            )
        )
        load: dict[tuple[str | None, int], int] = {}
        for i in todays:
            t = inst.tasks[i]
            key = (t.earliest, t.window_min, t.duration_min)
            if key not in starts_cache:
                offs = list(range(0, t.window_min - t.duration_min + 1, grid)) or [0]
                fits = [o for o in offs if _type_covers(idx, (t.earliest + o) % DAY, t.duration_min)]
                starts_cache[key] = fits or offs
            best, best_key = 0, None
            for off in starts_cache[key]:
                a = t.earliest + off
                slots = range(a // grid, -(-(a + t.duration_min) // grid))
                ld = [load.get((units[i], k), 0) for k in slots]
                rank = (max(ld), sum(ld), off)
                if best_key is None or rank < best_key:
                    best, best_key = off, rank
            a = t.earliest + best
            for k in range(a // grid, -(-(a + t.duration_min) // grid)):
                load[units[i], k] = load.get((units[i], k), 0) + t.count
            start = int(idx.real(d * DAY + a))  # the task's clock time on the real timeline
            end = start + t.duration_min
            q = groups_ok[i] & unit_ok[i]
            for c in t.competences:
                q = q & comp(c, d)
            cover = covering(idx, start, end)
            can = np.zeros(idx.S, dtype=bool)
            for dd, tt in cover:
                can |= idx.allowed[:, dd, tt]
            o = len(ti.occs)
            ti.occs.append(
                Occ(
                    o,
                    i,
                    t,
                    d,
                    start,
                    end,
                    ti.user_pos.get(t.user) if t.user else None,
                    units[i],
                    q,
                    np.nonzero(q & can)[0].tolist(),
                    *needs[i],
                    cover,
                )
            )
            ti.by_key[i, d] = o
    for ri, r in enumerate(inst.roles):
        rt = idx.shift_pos.get(r.shift)
        if rt is None:
            continue
        rg = inst.qualifying_groups(r.group, r.or_better) if r.group else None
        base = np.array([in_unit(s, r.unit) and (rg is None or s.group.value in rg) for s in inst.staff], dtype=bool)
        for d, day in enumerate(idx.dates):
            if not r.applies(day):
                continue
            q = base.copy()
            for c in r.competences:
                q &= comp(c, d)
            ti.roles.append(
                RoleOcc(
                    ri,
                    r.code,
                    d,
                    rt,
                    q,
                    np.nonzero(q & idx.allowed[:, d, rt])[0].tolist(),
                    r.reserve_min,
                    len(ti.roles),
                )
            )
    idx.cache["tasks"] = ti
    return ti


def workload_cap(idx: Index, t: int) -> int:
    return int(idx.work[t]) - idx.inst.task_rules.task_workload.break_min
