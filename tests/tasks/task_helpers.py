"""Tiny task units: 1-4 staff, one week, shifts D/A, every shift-level rule OFF unless named."""

from __future__ import annotations

from helpers import MONDAY, asg, day, person, tiny, tiny_dict  # noqa: F401

from models import Roster
from models.tasks import RoleAssignment, TaskAssignment


def task(tid: str, earliest: str = "08:00", latest: str = "09:00", dur: int = 30, **kw) -> dict:
    return {"id": tid, "earliest": earliest, "latest": latest, "duration_min": dur, **kw}


def nurse(sid: str, **kw) -> dict:
    comps = kw.pop("comps", ["med.administer", "ansvarsvakt"])
    return person(sid, "sykepleier", competences=[{"code": c} for c in comps], **kw)


def unit(staff, tasks=(), users=(), roles=(), weeks: int = 1, shifts=("D", "A"), task_rules=None, **kw):
    return tiny(staff, shifts=shifts, weeks=weeks, tasks=list(tasks), users=list(users), roles=list(roles),
                task_rules=task_rules or {}, **kw)


def roster(cells, tasks=(), roles=()) -> Roster:
    """A hand-made roster: (staff, day, shift) cells, (task, day, "HH:MM", [staff]) and (role, day, shift, staff)."""
    return Roster(assignments=asg(cells),
                  task_assignments=[TaskAssignment(task=t, date=day(d), start=s, staff=list(st))
                                    for t, d, s, st in tasks],
                  role_assignments=[RoleAssignment(role=r, date=day(d), shift=sh, staff=s) for r, d, sh, s in roles])


def checked(inst, cells, tasks=(), roles=()):
    from solver import check

    return check(inst, roster(cells, tasks, roles))


def of(r, rule: str) -> list:
    return [v for v in r.violations if v.rule == rule]


def staff_of(r, tid: str, d: int) -> list[str]:
    return sorted(s for ta in r.task_assignments if ta.task == tid and ta.date == day(d) for s in ta.staff)


def solved(inst, t: float = 5.0):
    from helpers import assert_consistent, solve

    r = solve(inst, time_limit_s=t)
    assert_consistent(r)
    assert r.lawful, [v for v in r.violations if v.level == "REQUIRED"]
    return r
