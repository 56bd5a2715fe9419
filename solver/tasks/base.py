"""Shared helpers of the task rules: the roster's task assignments read back for the checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from ..index import DAY
from ..rules.base import Rule
from ..view import Priced
from ..weights import HARD_WEIGHT
from .occurrences import TaskIndex, task_index


class TaskRule(Rule):
    """A rule whose setting lives in `Instance.task_rules`."""

    section = "task_rules"


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
    """Parse `view.roster` (set by the checker) once per view."""
    if "task_roster" in view.memo:
        return view.memo["task_roster"]
    idx = view.idx
    ti = task_index(idx)
    tr = TaskRoster(ti)
    roster = view.roster
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
            start = int(idx.real(d * DAY + e + (clock - e) % DAY))
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


def role_occurrence(
    ti: TaskIndex,
    positions: dict[tuple[str, int, int], list[int]],
    code: str,
    d: int | None,
    t: int | None,
    s: int | None,
    held: dict,
) -> int | None:
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


# ---------------------------------------------------------------------------------------------------------------
# Vectorised reading of a TaskRoster for the audits (the search engine scores every accepted state with them)


@dataclass
class OccArrays:
    """Static per-occurrence and per-role arrays of one task index (built once per instance)."""

    d: np.ndarray  # [O] day of the window start
    dur: np.ndarray  # [O] duration
    lo: np.ndarray  # [O] earliest absolute start
    hi: np.ndarray  # [O] latest absolute start (lo + window - duration)
    count: np.ndarray  # [O] people wanted
    priority: np.ndarray  # [O]
    user: np.ndarray  # [O] user index, -1 none
    needs_nurse: np.ndarray  # [O] bool
    needs_health: np.ndarray  # [O] bool
    prim: np.ndarray  # [U] primary contact (staff index), -1 none
    sec: np.ndarray  # [U] secondary contact, -1 none
    role_d: np.ndarray  # [K]
    role_t: np.ndarray  # [K]
    role_reserve: np.ndarray  # [K]
    role_qualified: np.ndarray  # [K, S] bool
    qualified: np.ndarray  # [O, S] bool: who qualifies for each occurrence
    cover_d: np.ndarray  # [O, C] day of each covering shift instance, padded to the widest cover
    cover_t: np.ndarray  # [O, C] its shift type
    cover_ok: np.ndarray  # [O, C] bool: a real entry, not padding


def occ_arrays(idx, ti: TaskIndex) -> OccArrays:
    got = idx.cache.get("task_occ_arrays")
    if got is not None and got[0] is ti:
        return got[1]
    occs = ti.occs

    def ints(vals) -> np.ndarray:
        return np.fromiter(vals, dtype=np.int64, count=len(occs))

    def bools(vals) -> np.ndarray:
        return np.fromiter(vals, dtype=bool, count=len(occs))

    d = ints(o.d for o in occs)
    dur = ints(o.dur for o in occs)
    wall_lo = d * DAY + ints(o.task.earliest for o in occs)
    lo = idx.real(wall_lo)
    nu = max([len(idx.inst.users)] + [u + 1 for u in ti.contacts])
    prim = np.full(nu, -1, dtype=np.int64)
    sec = np.full(nu, -1, dtype=np.int64)
    for u, (p, q) in ti.contacts.items():
        prim[u] = -1 if p is None else p
        sec[u] = -1 if q is None else q
    roles = ti.roles
    width = max((len(o.cover) for o in occs), default=1) or 1
    cover_d = np.zeros((len(occs), width), dtype=np.int64)
    cover_t = np.zeros((len(occs), width), dtype=np.int64)
    cover_ok = np.zeros((len(occs), width), dtype=bool)
    for i, o in enumerate(occs):
        for c, (dd, tt) in enumerate(o.cover):
            cover_d[i, c], cover_t[i, c], cover_ok[i, c] = dd, tt, True
    out = OccArrays(
        d=d,
        dur=dur,
        lo=lo,
        hi=idx.real(wall_lo + ints(o.task.window_min for o in occs) - dur),
        count=ints(o.task.count for o in occs),
        priority=ints(o.task.priority for o in occs),
        user=ints(-1 if o.user is None else o.user for o in occs),
        needs_nurse=bools(o.needs_nurse for o in occs),
        needs_health=bools(o.needs_health for o in occs),
        prim=prim,
        sec=sec,
        role_d=np.array([r.d for r in roles], dtype=np.int64),
        role_t=np.array([r.t for r in roles], dtype=np.int64),
        role_reserve=np.array([r.reserve for r in roles], dtype=np.int64),
        role_qualified=(
            np.array([r.qualified for r in roles], dtype=bool) if roles else np.zeros((0, idx.S), dtype=bool)
        ),
        qualified=np.array([o.qualified for o in occs], dtype=bool).reshape(len(occs), idx.S),
        cover_d=cover_d,
        cover_t=cover_t,
        cover_ok=cover_ok,
    )
    idx.cache["task_occ_arrays"] = (ti, out)
    return out


@dataclass
class Spans:
    """A TaskRoster as arrays. Occurrences in `staff_of` order (`keys`), their people flattened in the same order
    (`occ`, `staff`, `start`, `end`: what `TaskRoster.spans` yields); role holders as (`role_k`, `role_s`)."""

    oa: OccArrays
    keys: np.ndarray  # [M] occurrences with an entry in staff_of
    kstart: np.ndarray  # [M] their start
    offsets: np.ndarray  # [M+1] span range of each key
    kidx: np.ndarray  # [N] key position of each span
    occ: np.ndarray  # [N]
    staff: np.ndarray  # [N]
    start: np.ndarray  # [N]
    end: np.ndarray  # [N]
    role_k: np.ndarray  # [R]
    role_s: np.ndarray  # [R]


def task_spans(view) -> Spans:
    """The view's task roster as arrays (once per view, in `view.memo`)."""
    tr = task_roster(view)
    got = view.memo.get("task_spans")
    if got is not None and got[0] is tr:
        return got[1]
    oa = occ_arrays(view.idx, tr.ti)
    keys = list(tr.staff_of)
    lists = list(tr.staff_of.values())
    m = len(keys)
    lens = np.fromiter(map(len, lists), dtype=np.int64, count=m)
    offsets = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(lens, out=offsets[1:])
    keys_a = np.fromiter(keys, dtype=np.int64, count=m)
    kstart = np.fromiter(map(tr.start_of.__getitem__, keys), dtype=np.int64, count=m)
    staff = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(offsets[-1]))
    occ = np.repeat(keys_a, lens)
    start = np.repeat(kstart, lens)
    rkeys = list(tr.roles_of)
    rlists = list(tr.roles_of.values())
    rlens = np.fromiter(map(len, rlists), dtype=np.int64, count=len(rkeys))
    role_k = np.repeat(np.fromiter(rkeys, dtype=np.int64, count=len(rkeys)), rlens)
    role_s = np.fromiter(chain.from_iterable(rlists), dtype=np.int64, count=int(rlens.sum()))
    sp = Spans(
        oa,
        keys_a,
        kstart,
        offsets,
        np.repeat(np.arange(m), lens),
        occ,
        staff,
        start,
        start + oa.dur[occ],
        role_k,
        role_s,
    )
    view.memo["task_spans"] = (tr, sp)
    return sp


def main_cover(view, s: np.ndarray, a: np.ndarray, b: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """For the days a // DAY - 1 and a // DAY: (day clipped to the period, [N] bool: person s's main shift that day
    exists and contains [a, b)). Second shifts (`view.extra`) are not looked at."""
    D = view.idx.D
    d0 = a // DAY
    out = []
    for d in (d0 - 1, d0):
        dc = np.clip(d, 0, D - 1)
        ok = (d >= 0) & (d < D) & (view.shift[s, dc] >= 0)
        ok &= (view.start_abs[s, dc] <= a) & (view.end_abs[s, dc] >= b)
        out.append((dc, ok))
    return out


def extra_cover(view, s: np.ndarray, a: np.ndarray, b: np.ndarray, extras) -> list[tuple[tuple, np.ndarray]]:
    """For each second shift (s2, d, t) of `extras`: [N] bool, spans of person s2 it contains."""
    idx = view.idx
    return [((s2, d, t), (s == s2) & (idx.abs_start(d, t) <= a) & (idx.abs_end(d, t) >= b)) for s2, d, t in extras]


def priced(view, rule: str, st, n: int, penalty: int | None = None) -> list[Priced]:
    """One `Priced` total for n violations of a rule (score-only path); `penalty` None: each priced as
    `view.violation` prices amount 1 (HARD_WEIGHT if the rule is hard, else its weight)."""
    if not n:
        return []
    if penalty is None:
        penalty = n * (HARD_WEIGHT if st.hard else int(round(st.weight)))
    return [view.violation(rule, st, None, [], penalty=int(penalty))._replace(count=int(n))]


def weighted_total(st, amounts: np.ndarray) -> int:
    """Sum of what `view.violation` charges for violations of these amounts (no explicit penalty)."""
    if st.hard:
        return HARD_WEIGHT * len(amounts)
    return int(sum(int(round(st.weight * x)) for x in amounts.tolist()))
