"""Shared helpers of the task rules: the roster's task assignments read back for the checker."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..index import DAY
from ..rules.base import Rule
from .occurrences import TaskIndex, task_index


class TaskRule(Rule):
    """A rule whose setting lives in `Instance.task_rules`."""

    def st(self, inst):
        return getattr(inst.task_rules, self.id)


@dataclass
class TaskRoster:
    """The roster's task and role assignments on the index: occurrence -> staff, extra items, problems."""

    ti: TaskIndex
    staff_of: dict[int, list[int]] = field(default_factory=dict)  # occurrence -> distinct staff
    start_of: dict[int, int] = field(default_factory=dict)  # occurrence -> absolute start used
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (what, detail)
    unknown_staff: list[tuple[int, str]] = field(default_factory=list)  # (occurrence, staff id)
    roles_of: dict[int, list[int]] = field(default_factory=dict)  # role occurrence -> staff (as named)
    role_unknown: list[tuple[str, str]] = field(default_factory=list)

    def spans(self):
        """(occurrence, staff, start, end) of every assigned person."""
        for o, staff in self.staff_of.items():
            a = self.start_of[o]
            for s in staff:
                yield o, s, a, a + self.ti.occs[o].dur


def task_roster(view) -> TaskRoster:
    """Parse `view.memo["roster"]` (set by the checker) once per view."""
    if "task_roster" in view.memo:
        return view.memo["task_roster"]
    idx = view.idx
    ti = task_index(idx)
    tr = TaskRoster(ti)
    roster = view.memo.get("roster")
    role_pos = role_positions(ti)
    if roster is not None:
        for ta in getattr(roster, "task_assignments", None) or []:
            i = ti.task_pos.get(ta.task)
            d = idx.date_pos.get(ta.date)
            o = ti.by_key.get((i, d)) if i is not None and d is not None else None
            if o is None:
                tr.unknown.append(("task", f"{ta.task} on {ta.date}: not a task occurrence of this instance"))
                continue
            occ = ti.occs[o]
            hh, mm = map(int, ta.start.split(":"))
            clock = hh * 60 + mm
            e = occ.task.earliest
            start = d * DAY + e + (clock - e) % DAY
            if o in tr.start_of and tr.start_of[o] != start:
                tr.unknown.append(("task", f"{ta.task} on {ta.date}: two different start times"))
                continue
            tr.start_of[o] = start
            lst = tr.staff_of.setdefault(o, [])
            for sid in ta.staff:
                s = idx.staff_pos.get(sid)
                if s is None:
                    tr.unknown_staff.append((o, sid))
                elif s not in lst:
                    lst.append(s)
        for ra in getattr(roster, "role_assignments", None) or []:
            d, t, s = idx.date_pos.get(ra.date), idx.shift_pos.get(ra.shift), idx.staff_pos.get(ra.staff)
            k = role_occurrence(ti, role_pos, ra.role, d, t, s, tr.roles_of)
            if k is None or s is None:
                tr.role_unknown.append(("role", f"{ra.role} {ra.shift} {ra.date} {ra.staff}: no such role/staff"))
                continue
            lst = tr.roles_of.setdefault(k, [])
            if s not in lst:
                lst.append(s)
    view.memo["task_roster"] = tr
    return tr


def role_positions(ti: TaskIndex) -> dict[tuple[str, int, int], list[int]]:
    """(role code, day, shift) -> role occurrences: a code names one role per unit (ansvarsvakt of each ward)."""
    out: dict[tuple[str, int, int], list[int]] = {}
    for k, r in enumerate(ti.roles):
        out.setdefault((r.code, r.d, r.t), []).append(k)
    return out


def role_occurrence(ti: TaskIndex, positions: dict[tuple[str, int, int], list[int]], code: str, d: int | None,
                    t: int | None, s: int | None, held: dict) -> int | None:
    """The role occurrence a named holder takes: of those with that code on that shift, the first one the person
    qualifies for (their unit's) that has no holder yet, else the first one."""
    ks = positions.get((code, d, t), []) if d is not None and t is not None else []
    if not ks:
        return None
    if s is not None:
        for k in ks:
            if ti.roles[k].qualified[s] and k not in held:
                return k
    return ks[0]


def works_covering(view, s: int, a: int, b: int) -> list[tuple[int, int]]:
    """Shift instances (d, t) person s works whose span contains [a, b)."""
    out = []
    for d in range(max(0, a // DAY - 1), min(view.idx.D, a // DAY + 1)):
        t = int(view.shift[s, d])
        if t >= 0 and view.idx.abs_start(d, t) <= a and view.idx.abs_end(d, t) >= b:
            out.append((d, t))
    for s2, d, t in view.extra:
        if s2 == s and view.idx.abs_start(d, t) <= a and view.idx.abs_end(d, t) >= b:
            out.append((d, t))
    return out
