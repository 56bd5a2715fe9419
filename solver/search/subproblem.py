"""A unit's roster as search state, and the sub-problem of some people over a window with the rest fixed.

Why sub-problems are cut by people: every REQUIRED rule of turnus is about one person, so a sub-instance holding
only the free people keeps every one of their rules exactly (rest, weekly rest, hours over the whole period,
Sundays, weekends). What couples people is priced by head counts, and those are made residual: a demand slot
wants `min - (fixed people on it)`, a task occurrence `count - (fixed people doing it)`, a role held by a fixed
person is no longer open; the fair spread gets the fixed members' extremes (`Frame`). The sub-model's objective
is therefore the unit's objective less a constant, and building it costs what its free people cost, not the unit.

Inside the window the free people's shifts are free; outside it they keep the incumbent's shift (one allowed
value each, fixed by the caller). Their task and role assignments are free on the window's days and a day either
side; elsewhere they are kept, and the frame carries their load per shift and the users they already care for, so
a person's task load and carer set stay exact. No CP-SAT here: the checker imports the state helpers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from models import Assignment, Instance, Roster
from models.tasks import RoleAssignment, TaskAssignment

from ..index import DAY, Frame, Index, Requirement
from ..rules.demand_coverage import allocate
from ..rules.fair_unsocial import pool
from ..rules.fair_weekends import frame_counts
from ..rules.weekends import audit_flags, unsocial_spans
from ..tasks.base import TaskRoster, occ_arrays, role_occurrence, role_positions
from ..tasks.occurrences import TaskIndex, task_index
from ..view import RosterView, shift_array


@dataclass
class DomainState:
    """A complete roster on the unit's index: shifts, task people and role holders (what the search moves)."""

    shift: np.ndarray  # [S, D] shift index, -1 off
    tasks: dict[int, tuple[int, ...]] = field(default_factory=dict)  # task occurrence -> staff doing it
    roles: dict[int, int] = field(default_factory=dict)  # role occurrence -> holder
    _by_staff: dict[int, list[int]] | None = field(default=None, repr=False, compare=False)

    def copy(self) -> DomainState:
        return DomainState(self.shift.copy(), dict(self.tasks), dict(self.roles))

    def tasks_by_staff(self) -> dict[int, list[int]]:
        """Person -> occurrences they do; built on first use (a state is not changed once the search shares it)."""
        if self._by_staff is None:
            by: dict[int, list[int]] = {}
            for o, staff in self.tasks.items():
                for s in staff:
                    by.setdefault(s, []).append(o)
            self._by_staff = by
        return self._by_staff


def state_view(idx: Index, state: DomainState) -> RosterView:
    """The checker's view of a state, with its task roster filled in directly (no pydantic round trip)."""
    view = RosterView(idx, state.shift.copy())
    if idx.inst.tasks or idx.inst.roles:
        ti = task_index(idx)
        tr = TaskRoster(ti)
        for o, staff in state.tasks.items():
            if staff:
                tr.staff_of[o] = list(staff)
                tr.start_of[o] = ti.occs[o].start
        tr.roles_of = {k: [s] for k, s in state.roles.items()}
        view.memo["task_roster"] = tr
    return view


def state_assignments(idx: Index, state: DomainState) -> list[Assignment]:
    s_, d_ = np.nonzero(state.shift >= 0)
    return [
        Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[int(state.shift[s, d])])
        for s, d in zip(s_.tolist(), d_.tolist(), strict=True)
    ]


def state_roster(idx: Index, state: DomainState) -> list[Assignment] | Roster:
    """The state in the output format (a plain assignment list for units without tasks, as the checker takes)."""
    assignments = state_assignments(idx, state)
    inst = idx.inst
    if not (inst.tasks or inst.roles):
        return assignments
    ti = task_index(idx)
    tas = [
        TaskAssignment(
            task=ti.occs[o].task.id,
            date=idx.dates[ti.occs[o].d],
            start=idx.hhmm(ti.occs[o].start),
            staff=[idx.staff_ids[s] for s in staff],
        )
        for o, staff in sorted(state.tasks.items())
        if staff
    ]
    ras = [
        RoleAssignment(
            role=ti.roles[k].code,
            date=idx.dates[ti.roles[k].d],
            shift=idx.shift_codes[ti.roles[k].t],
            staff=idx.staff_ids[s],
        )
        for k, s in sorted(state.roles.items())
    ]
    return Roster(instance_id=inst.id, assignments=assignments, task_assignments=tas, role_assignments=ras)


def state_from_roster(idx: Index, roster: list[Assignment] | Roster | None) -> DomainState | None:
    """A state from an earlier roster (re-planning start); task and role entries that do not fit are dropped."""
    if roster is None:
        return None
    shift = shift_array(idx, roster.assignments if isinstance(roster, Roster) else roster)
    if shift is None:
        return None
    state = DomainState(shift)
    if isinstance(roster, Roster) and (idx.inst.tasks or idx.inst.roles):
        ti = task_index(idx)
        role_pos = role_positions(ti)
        for ta in roster.task_assignments or []:
            i, d = ti.task_pos.get(ta.task), idx.date_pos.get(ta.date)
            o = ti.by_key.get((i, d)) if i is not None and d is not None else None
            staff = tuple(s for sid in ta.staff if (s := idx.staff_pos.get(sid)) is not None)
            if o is not None and staff:
                state.tasks[o] = staff
        for ra in roster.role_assignments or []:
            d, t, s = idx.date_pos.get(ra.date), idx.shift_pos.get(ra.shift), idx.staff_pos.get(ra.staff)
            k = role_occurrence(ti, role_pos, ra.role, d, t, s, state.roles)
            if k is not None and s is not None:
                state.roles[k] = s
    return state


@dataclass
class SubProblem:
    """People `people` (unit indices, sorted) free over days `window`; `idx` numbers them 0..len-1."""

    people: np.ndarray
    window: tuple[int, int]
    inst: Instance
    idx: Index
    fixed: np.ndarray  # [P, D] shift each free person keeps outside the window (-1: off or inside)
    task_days: tuple[int, int]  # days whose task occurrences and roles the free people may change


def sub_problem(full: Index, state: DomainState, people, window: tuple[int, int], tasks: bool = True) -> SubProblem:
    """Without `tasks` the sub-problem has the shift rules only (tasks and roles are left to the caller)."""
    people = np.array(sorted(set(int(p) for p in people)), dtype=np.int64)
    inside = np.zeros(full.S, dtype=bool)
    inside[people] = True
    lo, hi = window
    inst = full.inst
    ids = [full.staff_ids[s] for s in people.tolist()]
    keep = set(ids)
    sub_inst = inst.model_copy(
        update={
            "staff": [inst.staff[s] for s in people.tolist()],
            "pinned": [a for a in inst.pinned if a.staff in keep],
            "assignments": [a for a in inst.assignments if a.staff in keep] if inst.assignments else inst.assignments,
            **({} if tasks else {"tasks": [], "roles": [], "users": []}),
        }
    )
    # outside the window each free person keeps the incumbent's shift: the only allowed value there
    allowed = full.allowed[people].copy()
    shift = state.shift[people]
    outside = np.ones(full.D, dtype=bool)
    outside[lo:hi] = False
    fixed = np.where(outside[None, :], shift, -1)
    keep_cell = np.zeros_like(allowed)
    p_, d_ = np.nonzero(fixed >= 0)
    keep_cell[p_, d_, fixed[p_, d_]] = True
    allowed[:, outside, :] &= keep_cell[:, outside, :]
    fixed = np.where(
        allowed[np.arange(len(people))[:, None], np.arange(full.D)[None, :], np.maximum(fixed, 0)], fixed, -1
    )
    # task days: the window and a day either side (a night shift's tasks straddle midnight); the free people's
    # tasks elsewhere are kept, and the frame carries what they weigh
    task_days = (0, full.D) if window == (0, full.D) else (max(0, lo - 1), min(full.D, hi + 1))
    idx = dataclasses.replace(
        full,
        inst=sub_inst,
        staff_ids=ids,
        allowed=allowed,
        allowed_types=full.unit_types[people],
        available=full.available[people],
        absent_day=full.absent_day[people],
        requirements=_residual_requirements(full, state, people, inside),
        cache={},
    )
    load: dict[tuple[int, int, int], int] = {}
    carers: frozenset[tuple[int, int]] = frozenset()
    if tasks and (inst.tasks or inst.roles):
        idx.cache["tasks"], load, carers = _residual_tasks(full, idx, state, people, inside, task_days)
    idx.frame = _frame(full, state, inside, load, carers)
    return SubProblem(people, window, sub_inst, idx, fixed, task_days)


def _residual_requirements(
    full: Index, state: DomainState, people: np.ndarray, inside: np.ndarray
) -> list[Requirement]:
    """Each demand slot with only the free people as members and the head count the fixed ones leave open."""
    if not full.requirements:
        return []
    day, shift, members = full.requirement_arrays
    if full.inst.rules.demand_coverage.exclusive_slots:
        # each person fills one slot: the fixed people keep the slots of the unit's best allocation (a free
        # person's slot in it stays possible, so the sub-model's optimum is no worse than the incumbent)
        filled = allocate(full, state.shift)[1]
        fixed_s, fixed_d = np.nonzero((filled >= 0) & ~inside[:, None])
        taken = np.bincount(filled[fixed_s, fixed_d], minlength=len(full.requirements))
    else:
        on = state.shift[:, day].T == shift[:, None]  # [R, S]
        taken = (members & on & ~inside[None, :]).sum(axis=1)
    local = members[:, people]
    out = []
    # slots no free person can fill only add a constant: left out
    for r in np.nonzero(local.any(axis=1))[0].tolist():
        req = full.requirements[r]
        out.append(
            Requirement(
                req.day,
                req.shift,
                req.label,
                max(0, req.min - int(taken[r])),
                max(0, req.ideal - int(taken[r])),
                np.nonzero(local[r])[0],
            )
        )
    return out


def _frame(
    full: Index,
    state: DomainState,
    inside: np.ndarray,
    load: dict[tuple[int, int, int], int],
    carers: frozenset[tuple[int, int]],
) -> Frame:
    members = pool(full)
    fixed = [s for s in members if not inside[s]]
    outside: dict[str, tuple[int, int]] = {}
    if fixed:
        view = RosterView(full, state.shift)
        nights = view.night.sum(axis=1)[fixed]
        weekends = audit_flags(view, unsocial_spans(full)).sum(axis=1)[fixed]
        outside = {
            "nights": (int(nights.min()), int(nights.max())),
            "weekends": (int(weekends.min()), int(weekends.max())),
        }
    return Frame(len(members), outside, load, carers, frame_counts(full, state.shift, inside))


def _residual_tasks(
    full: Index, sub: Index, state: DomainState, people: np.ndarray, inside: np.ndarray, task_days: tuple[int, int]
) -> tuple[TaskIndex, dict[tuple[int, int, int], int], frozenset[tuple[int, int]]]:
    """The occurrences and roles on `task_days` the free people can still change, with the head count left open
    by the others; and what the free people's kept tasks and roles elsewhere weigh (load per shift, carers).

    Occurrences and roles no free person can take are left out (their price is a constant of the sub-problem);
    kept ones are renumbered 0..n-1, with their unit-wide numbers in `occ_ids` and `role_ids`. A free person
    whose kept task overlaps an occurrence is no candidate for it (they cannot do both).
    """
    ti = task_index(full)
    lo, hi = task_days
    pos = {int(s): i for i, s in enumerate(people.tolist())}
    out = TaskIndex(task_pos=ti.task_pos, user_pos=ti.user_pos)
    out.contacts = {
        u: (pos.get(p) if p is not None else None, pos.get(q) if q is not None else None)
        for u, (p, q) in ti.contacts.items()
    }
    load: dict[tuple[int, int, int], int] = {}
    carers: set[tuple[int, int]] = set()
    busy: dict[tuple[int, int], list[tuple[int, int]]] = {}  # (person, start day) -> kept task spans
    if task_days != (0, full.D):
        by_staff = state.tasks_by_staff()
        for s, p in pos.items():
            for o in by_staff.get(s, ()):
                occ = ti.occs[o]
                if lo <= occ.d < hi:
                    continue
                busy.setdefault((p, occ.start // DAY), []).append((occ.start, occ.end))
                for d, t in occ.cover:
                    if state.shift[s, d] == t:
                        load[p, d, t] = load.get((p, d, t), 0) + occ.dur
                if occ.user is not None and s not in ti.contacts.get(occ.user, (None, None)):
                    carers.add((occ.user, p))
        for k, s in state.roles.items():
            ro = ti.roles[k]
            if s in pos and not lo <= ro.d < hi and ro.reserve:
                key = (pos[s], ro.d, ro.t)
                load[key] = load.get(key, 0) + ro.reserve
    arr = occ_arrays(full, ti)
    q_all = arr.qualified[:, people]
    sel = np.nonzero(q_all.any(axis=1) & (arr.d >= lo) & (arr.d < hi))[0]
    # [selected, P]: a free person is qualified and may work a shift containing the occurrence
    cover = sub.allowed[:, arr.cover_d[sel], arr.cover_t[sel]] & arr.cover_ok[sel][None]
    able = q_all[sel] & cover.any(axis=2).T
    for o, row in zip(sel.tolist(), able, strict=True):
        if not row.any():
            continue
        occ = ti.occs[o]
        have = state.tasks.get(o, ())
        need = occ.task.count - sum(1 for s in have if not inside[s])
        if need <= 0:
            continue
        cands = np.nonzero(row)[0].tolist()
        if busy:  # a task spans at most a day: only kept tasks starting the day before, that day or after overlap
            k = occ.start // DAY
            cands = [
                p
                for p in cands
                if not any(a < occ.end and occ.start < b for kk in (k - 1, k, k + 1) for a, b in busy.get((p, kk), ()))
            ]
        if cands:
            local_q = q_all[o]
            out.occ_ids.append(occ.o)
            out.occs.append(dataclasses.replace(occ, o=len(out.occs), qualified=local_q, cands=cands, need=need))
    for ro in ti.roles:
        if not lo <= ro.d < hi:
            continue
        holder = state.roles.get(ro.k)
        if holder is not None and not inside[holder]:
            continue
        local_q = ro.qualified[people]
        cands = np.nonzero(local_q & sub.allowed[:, ro.d, ro.t])[0].tolist()
        if cands:
            out.role_ids.append(ro.k)
            out.roles.append(dataclasses.replace(ro, qualified=local_q, cands=cands, k=len(out.roles)))
    return out, load, frozenset(carers)


def merge(
    full: Index,
    state: DomainState,
    sub: SubProblem,
    shift: np.ndarray,
    tasks: dict[int, list[int]],
    roles: dict[int, int],
) -> DomainState:
    """`state` with the free people's part replaced by a sub-solution: `shift` [P, D], `tasks` (unit-wide
    occurrence -> local people) and `roles` (unit-wide role occurrence -> local person)."""
    out = state.copy()
    people = sub.people
    out.shift[people] = shift
    inside = np.zeros(full.S, dtype=bool)
    inside[people] = True
    sub_ti = sub.idx.cache.get("tasks")
    if sub_ti is None:  # a shift-only sub-problem: tasks and roles are the caller's to allocate
        return out
    lo, hi = sub.task_days
    occs = task_index(full).occs
    for o in set(sub_ti.occ_ids) | {
        o for o, st in state.tasks.items() if lo <= occs[o].d < hi and any(inside[s] for s in st)
    }:
        staff = [s for s in state.tasks.get(o, ()) if not inside[s]] + [int(people[p]) for p in tasks.get(o, ())]
        if staff:
            out.tasks[o] = tuple(staff)
        else:
            out.tasks.pop(o, None)
    role_day = task_index(full).roles
    for k in [k for k, s in out.roles.items() if inside[s] and lo <= role_day[k].d < hi]:
        del out.roles[k]
    for k, p in roles.items():
        out.roles[k] = int(people[p])
    return out


def merge_people(current: DomainState, found: DomainState, people, counts: dict[int, int]) -> DomainState:
    """`current` with the given people's shifts, tasks and roles taken from `found` (a stale sub-solution).

    Another thread may have changed other people meanwhile: their tasks and roles stay, the found people's are
    added where the occurrence still wants people (`counts`: occurrence -> people wanted) or the role is open.
    """
    people = sorted(set(int(p) for p in people))
    mine = set(people)
    out = current.copy()
    out.shift[people] = found.shift[people]
    for o in {o for o, st in current.tasks.items() if mine & set(st)} | {
        o for o, st in found.tasks.items() if mine & set(st)
    }:
        staff = [s for s in current.tasks.get(o, ()) if s not in mine]
        staff += [s for s in found.tasks.get(o, ()) if s in mine][: max(0, counts[o] - len(staff))]
        if staff:
            out.tasks[o] = tuple(staff)
        else:
            out.tasks.pop(o, None)
    for k in [k for k, s in out.roles.items() if s in mine]:
        del out.roles[k]
    for k, s in found.roles.items():
        if s in mine and k not in out.roles:
            out.roles[k] = s
    return out
