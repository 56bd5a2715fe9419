"""Solve every scenario (in parallel where cores allow) and re-check each roster with the checker.

Each scenario is one job in a process pool. The CP-SAT workers are split so that the total over all parallel
solves stays within the budget (`workers`, default: the machine's cores). Heltid variants
(`raise_positions`) solve, hand the vacant hours to part-timers who want more, and solve again.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models import Assignment, Instance, Roster
from solver.checker import check, score_view
from solver.index import Index, build_index
from solver.search.annual import is_annual
from solver.search.subproblem import DomainState, sub_problem
from solver.view import RosterView, build_view

from .kpis import ShiftJudgement, _groups, scenario_kpis, weekend_arithmetic
from .spec import GoodShiftSettings, RaisePositionsOp
from .variants import Prepared


@dataclass
class PositionChange:
    staff: str
    group: str
    from_pct: float
    to_pct: float
    desired_pct: float
    extra_hours: float  # contract hours over the period gained

    @property
    def gained_pct(self) -> float:
        return self.to_pct - self.from_pct


# a variant that gained more than this share of its objective in the last fifth of its time is flagged as limited
# by its budget (a longer run would likely improve it by more than 1 %)
LATE_GAIN_LIMIT = 0.01


@dataclass
class ScenarioResult:
    name: str
    kind: str
    instance: Instance
    roster: Roster
    kpis: dict[str, float]
    judged: list[ShiftJudgement]
    description: str = ""
    changes: list[str] = field(default_factory=list)
    raises: list[PositionChange] = field(default_factory=list)
    curve_n: int | None = None
    solves: int = 1
    wall_s: float = 0.0
    error: str | None = None

    @property
    def status(self) -> str:
        if self.error:
            return "ERROR"
        return self.roster.solve.status if self.roster.solve else "CHECKED"

    @property
    def solver_limited(self) -> str | None:
        """Why this result says more about the solver's budget than about the scenario (None: it does not)."""
        info = self.roster.solve
        if self.error or info is None or not self.roster.assignments:
            return None
        if info.start_objective is not None and info.objective == info.start_objective and info.moves:
            return "ended at its start: the search improved nothing in its time"
        if info.late_gain is not None and info.late_gain > LATE_GAIN_LIMIT:
            return f"still improving: {info.late_gain:.1%} gained in the last fifth of the time limit"
        return None


# ------------------------------------------------------------------------------------------- raising positions


def _period_hours(idx: Index, s: int, pct: float) -> float:
    """Contract hours over the period for staff s at `pct` (the contract rule's target)."""
    weekly = idx.inst.rules.contract_hours.weekly_hours
    avail_days = idx.D - int(idx.absent_day[s].sum())
    return pct / 100.0 * weekly * avail_days / 7.0


def _hard(roster: Roster) -> int:
    return sum(1 for v in roster.violations if v.level == "REQUIRED")


# positions tried per offered shift and person (`_new_pcts`)
TRY_STEPS = 4


def _new_pcts(idx: Index, s: int, hours: float, pct0: float, desired: float, step: float, tol: float) -> list[float]:
    """Positions (pct0, pct0 + step, ..., desired) to try for `hours`, from the smallest whose contract hours plus
    tolerance cover them (at the unit's weekly hours; a person's own contract mode, e.g. tredelt, may need the
    next ones: the checker decides, `PersonCheck`)."""
    first = _new_pct(idx, s, hours, pct0, desired, step, tol)
    if first is None:
        return []
    step = _band_step(idx, s, step, tol)
    more = [first + k * step for k in range(1, TRY_STEPS) if first + k * step < desired - 1e-9]
    return [first, *more, *([desired] if first < desired else [])][:TRY_STEPS]


def _band_step(idx: Index, s: int, step: float, tol: float) -> float:
    """`step` (position %) at most what the contract-hours band (± `tol` hours over the period) can absorb: a 5 %
    step is 85 hours of a 52-week plan, so a raise for one shift left the person far below her new contract,
    which broke the REQUIRED contract rule and no shift of a year plan was ever given (medium unit, 52 weeks: 3
    shifts of 151 vacant, nobody raised)."""
    full = _period_hours(idx, s, 100.0)
    return min(step, 100.0 * 2 * tol / full) if full > 0 and tol < 1e8 else step


def _new_pct(idx: Index, s: int, hours: float, pct0: float, desired: float, step: float, tol: float) -> float | None:
    """Smallest position (pct0, pct0 + step, ..., desired; the step within the contract band, `_band_step`) whose
    contract hours plus tolerance cover `hours`."""
    step = _band_step(idx, s, step, tol)
    options = [pct0 + k * step for k in range(int((desired - pct0) / step + 1e-9) + 1)]
    if not options or options[-1] < desired:
        options.append(desired)
    for p in options:
        if hours <= _period_hours(idx, s, p) + tol + 1e-9:
            return p
    return None


def fill_vacancies(
    inst: Instance, roster: Roster, op: RaisePositionsOp, pct: dict[str, float]
) -> tuple[dict[str, float], list[Assignment]]:
    """Offer the vacant shifts to part-timers who want more (a vaktbørs): returns new positions and assignments.

    Vacant person-shifts are taken in date order. Each goes to the first part-timer (position below desired_pct,
    of `op.groups`) who qualifies for the most of the shift's short slots, is free that day and may work that
    shift, belongs to the ward, and has the most room left below the desired %; ties go to the smaller position,
    then the id. The person's position becomes the smallest `step_pct` step (up to desired) whose contract hours
    cover the new total, and the shift is only given when the checker finds no new broken REQUIRED rule of that
    person (`PersonCheck`; one full check at the end confirms it)."""
    idx = build_index(inst)
    staff = inst.staff
    tol = inst.rules.contract_hours.tolerance_hours if inst.rules.contract_hours.active else 1e9
    assignments = list(roster.assignments)
    view = build_view(idx, assignments)
    cur = np.array([pct[p.id] for p in staff], dtype=float)
    idx.__dict__["position_pct"] = cur  # the checker's contract targets follow the trial positions
    base_hard = _hard(check(inst, assignments, idx))
    person = PersonCheck(idx, view.shift)
    hours = view.work.sum(axis=1) / 60.0
    busy = view.on.copy()
    # everyone in the groups may take a vacant shift within their contract; only those who want more get raised
    eligible = [s for s, p in enumerate(staff) if op.groups is None or p.group.value in op.groups]
    for (d, t, unit), items in sorted(_groups(idx).items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        on = np.array([bool(a) for a in (view.shift[:, d] == t)])
        short = {i: r.min - int(on[r.members].sum()) for i, (r, _) in enumerate(items)}
        work_h = float(idx.work_at[d, t]) / 60.0
        members = [set(r.members.tolist()) for r, _ in items]
        while any(v > 0 for v in short.values()):
            cands = []
            for s in eligible:
                if busy[s, d] or not idx.allowed[s, d, t] or (unit is not None and staff[s].unit != unit):
                    continue
                n = sum(1 for i, v in short.items() if v > 0 and s in members[i])
                room = max(staff[s].desired_pct or 0, pct[staff[s].id]) - cur[s]
                if n:
                    cands.append((-n, -room, staff[s].position_pct, staff[s].id, s))
            given = False
            for *_, s in sorted(cands):
                tries = _new_pcts(
                    idx,
                    s,
                    hours[s] + work_h,
                    pct[staff[s].id],
                    max(float(staff[s].desired_pct or 0), pct[staff[s].id]),
                    op.step_pct,
                    tol,
                )
                p = next((p for p in tries if not person.adds_break(s, d, t, max(cur[s], p))), None)
                if p is None:
                    continue
                cur[s] = max(cur[s], p)
                assignments.append(Assignment(staff=staff[s].id, date=idx.dates[d], shift=idx.shift_codes[t]))
                person.take(s, d, t)
                given = True
                hours[s] += work_h
                busy[s, d] = True
                for i in short:
                    if short[i] > 0 and s in members[i]:
                        short[i] -= 1
                break
            if not given:
                break
    if _hard(check(inst, assignments, idx)) > base_hard:  # pragma: no cover - a REQUIRED rule across people
        raise RuntimeError("fill_vacancies: a shift broke a REQUIRED rule the one-person check did not see")
    return {p.id: float(cur[s]) for s, p in enumerate(staff)}, assignments


def offer_vacant_hours(inst: Instance, roster: Roster, op: RaisePositionsOp, pct: dict[str, float]) -> dict[str, float]:
    """New positions for the vacant hours of a long plan, handed out as hours, not shifts (a year plan's re-solve
    places them): each vacant person-shift, in date order, to the part-timer (position below desired %, of
    `op.groups`) who qualifies for its slot, is not away that day, may work that shift type and has the most room
    left (up to the desired position's contract hours); each position becomes the smallest step (one the contract
    band can absorb) whose hours hold what the person works now and was given, up to the desired %.

    Why not `fill_vacancies` on a year: a dense year plan leaves few days where one more shift keeps the law
    (weekly rest, 54 h windows, weekend frequency): on the medium unit it gave 1 of 73 vacant shifts."""
    idx = build_index(inst)
    staff = inst.staff
    tol = inst.rules.contract_hours.tolerance_hours if inst.rules.contract_hours.active else 1e9
    members = {(r.day, r.shift, r.label): set(r.members.tolist()) for r in idx.requirements}
    worked = build_view(idx, roster.assignments).work.sum(axis=1) / 60.0
    # hours each part-timer can take: up to the desired position's contract hours and tolerance
    room = {
        s: _period_hours(idx, s, max(float(p.desired_pct or 0), pct[p.id])) + min(tol, 1e6) - float(worked[s])
        for s, p in enumerate(staff)
        if (op.groups is None or p.group.value in op.groups) and (p.desired_pct or 0) > pct[p.id]
    }
    given = dict.fromkeys(room, 0.0)
    by_cell: dict[tuple[dt.date, str], dict[str, int]] = {}
    for u in roster.unfilled:
        by_cell.setdefault((u.date, u.shift), {})[u.slot] = u.missing
    for (date, code), short in sorted(by_cell.items()):
        d, t = idx.date_pos[date], idx.shift_pos[code]
        hours = float(idx.work_at[d, t]) / 60.0
        qualifies = {s: {lab for lab in short if s in members.get((d, t, lab), set())} for s in room}
        for _ in range(max(short.values())):  # one person can fill several of the shift's slots
            fits = [
                s
                for s in room
                if idx.allowed[s, d, t] and room[s] - given[s] >= hours and any(short[lab] > 0 for lab in qualifies[s])
            ]
            if not fits:
                break
            s = max(
                fits,
                key=lambda s: (
                    sum(short[lab] > 0 for lab in qualifies[s]),
                    room[s] - given[s],
                    -staff[s].position_pct,
                    staff[s].id,
                ),
            )
            given[s] += hours
            for lab in qualifies[s]:
                short[lab] -= 1
            qualifies[s] = set()  # one shift per person and day
    out = dict(pct)
    for s, h in given.items():
        if h:
            p0, desired = pct[staff[s].id], max(float(staff[s].desired_pct or 0), pct[staff[s].id])
            planned = float(worked[s]) + h  # the smallest position whose band holds the new hours
            out[staff[s].id] = _new_pct(idx, s, planned, p0, desired, op.step_pct, tol) or desired
    return out


class PersonCheck:
    """Whether one more shift breaks a REQUIRED rule of its person, scored on that person alone.

    Every REQUIRED rule of turnus is about one person (only demand, tasks, roles and fairness couple people, and
    those are priced), so a shift given to s can only break s's rules: the checker's score of s alone (a
    one-person index, built once per person) decides, where a full check per tried shift took most of a 52-week
    unit's raising round."""

    def __init__(self, idx: Index, shift: np.ndarray) -> None:
        self.idx, self.shift = idx, shift.copy()
        self.alone: dict[int, Index] = {}
        self.base: dict[int, int] = {}

    def _hard(self, s: int, line: np.ndarray, pct: float) -> int:
        if s not in self.alone:
            sub = sub_problem(self.idx, DomainState(self.shift), [s], (0, self.idx.D), tasks=False)
            self.alone[s] = sub.idx
        one = self.alone[s]
        one.__dict__["position_pct"] = np.array([pct])
        return score_view(RosterView(one, line[None, :].copy())).hard

    def adds_break(self, s: int, d: int, t: int, pct: float) -> bool:
        """Person s at position `pct` working shift t on day d breaks more REQUIRED rules than s does now."""
        if s not in self.base:
            self.base[s] = self._hard(s, self.shift[s], float(self.idx.position_pct[s]))
        line = self.shift[s].copy()
        line[d] = t
        return self._hard(s, line, pct) > self.base[s]

    def take(self, s: int, d: int, t: int) -> None:
        self.shift[s, d] = t
        self.base.pop(s, None)


def with_positions(inst: Instance, pct: dict[str, float]) -> Instance:
    data = inst.model_dump(mode="json")
    for s in data["staff"]:
        s["position_pct"] = pct[s["id"]]
    return Instance.model_validate(data)


def position_changes(before: Instance, after: Instance) -> list[PositionChange]:
    idx = build_index(after)
    out = []
    for s, (a, b) in enumerate(zip(before.staff, after.staff, strict=True)):
        if b.position_pct != a.position_pct:
            out.append(
                PositionChange(
                    a.id,
                    a.group.value,
                    a.position_pct,
                    b.position_pct,
                    float(a.desired_pct or a.position_pct),
                    round(_period_hours(idx, s, b.position_pct - a.position_pct), 1),
                )
            )
    return out


def desired_instance(inst: Instance, op: RaisePositionsOp) -> Instance:
    """`mode: desired`: every part-timer (of `groups`) straight to the desired position."""
    return with_positions(
        inst,
        {
            s.id: max(s.position_pct, s.desired_pct or 0)
            if (op.groups is None or s.group.value in op.groups)
            else s.position_pct
            for s in inst.staff
        },
    )


SolveFn = Callable[..., Roster]  # solve_fn(inst, phase, hint=None) -> checked roster


def solve_scenario(
    inst: Instance, raise_op: RaisePositionsOp | None, solve_fn: SolveFn, first: Roster | None = None
) -> tuple[Instance, Roster, int]:
    """Solve one scenario; with `raise_op`, raise positions round by round while vacant shifts remain.

    `first` is the roster of the unraised instance when it is already solved (shared with the plain scenario,
    so the difference between the two is the raising alone). Each round offers the vacant shifts to
    part-timers (`fill_vacancies`), then lets CP-SAT improve the filled roster under the new positions (the
    filled roster is its hint; kept if the solve is not lawful or does not staff at least as well). On a year
    plan the vacant hours are offered as hours (`offer_vacant_hours`) and the re-plan repairs the raised lines."""
    if raise_op is not None and raise_op.mode == "desired":
        inst = desired_instance(inst, raise_op)
        raise_op = None
    solves = 0
    if first is None:
        first = solve_fn(inst, "solve")
        solves = 1
    if raise_op is None or not _usable(first):
        return inst, first, solves
    pct = {s.id: s.position_pct for s in inst.staff}
    cur, roster = inst, first
    year = is_annual(inst)
    for r in range(raise_op.rounds):
        if not roster.unfilled:
            break
        if year:  # hours offered and the year re-planned from the plan (`offer_vacant_hours`)
            new_pct, filled = offer_vacant_hours(cur, roster, raise_op, pct), list(roster.assignments)
            if new_pct == pct:
                break
        else:
            new_pct, filled = fill_vacancies(cur, roster, raise_op, pct)
            if len(filled) == len(roster.assignments):
                break
        cand = with_positions(inst, new_pct)
        greedy = check(cand, filled).model_copy(update={"solve": roster.solve, "conflicts": roster.conflicts})
        tried = solve_fn(cand, f"raise {r + 1}", hint=filled)
        solves += 1
        best = tried if _usable(tried) and _rank(tried) <= _rank(greedy) else greedy
        pct, cur, roster = new_pct, cand, best
    return cur, roster, solves


def _rank(roster: Roster) -> tuple[bool, int, int]:
    """Lawful before staffed: (breaks a REQUIRED rule, person-shifts missing, REQUIRED violations)."""
    return _hard(roster) > 0, _missing(roster), _hard(roster)


def _missing(roster: Roster) -> int:
    return sum(u.missing for u in roster.unfilled)


def _usable(roster: Roster) -> bool:
    """A roster came back (CP-SAT's or the solver's warm-start fallback), not an empty timeout."""
    return bool(roster.assignments)


# ------------------------------------------------------------------------------------------- jobs


def _job(payload: dict[str, Any]) -> dict[str, Any]:
    """Run in a worker process: solve one instance (phase `plain`) or raise positions from a first roster
    (phase `raise`); return plain JSON-able data."""
    from solver import SolveOptions, solve

    name, queue = payload["name"], payload.get("queue")
    t0 = time.perf_counter()
    last = [0.0]

    def report(phase: str, elapsed: float) -> None:
        if queue is not None and time.perf_counter() - last[0] > 0.3:
            last[0] = time.perf_counter()
            try:
                queue.put((name, phase, elapsed))
            except Exception:  # pragma: no cover - progress is best effort
                pass

    def solve_fn(inst: Instance, phase: str, hint=None) -> Roster:
        report(phase, 0.0)
        return solve(
            inst,
            SolveOptions(
                time_limit_s=payload["time_limit_s"], workers=payload["workers"], seed=payload["seed"], hint=hint
            ),
            on_progress=lambda p: report(phase, p.elapsed_s),
        )

    try:
        inst = Instance.model_validate_json(payload["instance"])
        op = RaisePositionsOp.model_validate(payload["raise_op"]) if payload.get("raise_op") else None
        first = Roster.model_validate_json(payload["first"]) if payload.get("first") else None
        final, roster, solves = solve_scenario(inst, op, solve_fn, first)
        out = {
            "name": name,
            "instance": final.model_dump_json(),
            "roster": roster.model_dump_json(),
            "solves": solves,
            "wall_s": round(time.perf_counter() - t0, 2),
        }
    except Exception as err:  # a crashed scenario still appears in the report
        out = {
            "name": name,
            "error": f"{type(err).__name__}: {err}",
            "trace": traceback.format_exc(),
            "wall_s": round(time.perf_counter() - t0, 2),
        }
    if queue is not None:
        queue.put((name, "done", 0.0))
    return out


def split_workers(jobs: int, budget: int) -> tuple[int, int]:
    """(parallel processes, CP-SAT workers per solve) with processes × workers ≤ budget."""
    budget = max(1, budget)
    procs = max(1, min(jobs, budget))
    return procs, max(1, budget // procs)


@dataclass
class _Plan:
    """The solves behind the scenarios: one `plain` job per distinct instance, then one `raise` job per distinct
    (instance, raise settings), started from the plain job's roster."""

    plain: dict[str, str]  # job key -> instance JSON
    raises: dict[str, tuple[str, dict]]  # job key -> (plain job key, raise op)
    of: dict[str, str]  # scenario name -> the job key whose result it reports


def plan_jobs(prepared: list[Prepared]) -> _Plan:
    import hashlib

    plan = _Plan({}, {}, {})
    for p in prepared:
        inst = p.instance
        op = p.raise_op
        if op is not None and op.mode == "desired":
            inst, op = desired_instance(inst, op), None
        text = inst.model_dump_json()
        key = "plain:" + hashlib.sha1(text.encode()).hexdigest()[:16]
        plan.plain.setdefault(key, text)
        if op is None:
            plan.of[p.name] = key
            continue
        rkey = "raise:" + hashlib.sha1((key + op.model_dump_json()).encode()).hexdigest()[:16]
        plan.raises.setdefault(rkey, (key, op.model_dump()))
        plan.of[p.name] = rkey
    return plan


def run_scenarios(
    prepared: list[Prepared],
    *,
    time_limit_s: float,
    workers: int | None = None,
    seed: int = 0,
    good_shift: GoodShiftSettings | None = None,
    parallel: bool = True,
    progress: Any = None,
) -> list[ScenarioResult]:
    """Solve all scenarios; results keep the order of `prepared`. `progress` is a rich Progress (optional).

    Scenarios with the same instance share one solve (the base and a weekend-curve point, a variant and its
    heltid version), so differences between them come from the change alone, not from solver noise."""
    plan = plan_jobs(prepared)
    budget = workers or os.cpu_count() or 1
    width = max(len(plan.plain), 1)
    procs, per_solve = split_workers(width, budget)
    if not parallel:
        procs, per_solve = 1, budget
    users: dict[str, list[str]] = {}  # job key -> scenario names waiting on it (directly or via a raise job)
    for name, key in plan.of.items():
        users.setdefault(key, []).append(name)
        if key in plan.raises:
            users.setdefault(plan.raises[key][0], []).append(name)
    est = {
        p.name: time_limit_s * (1 + (p.raise_op.rounds if p.raise_op and p.raise_op.mode == "vacant" else 0))
        for p in prepared
    }
    tasks = {p.name: progress.add_task(p.name, total=est[p.name]) for p in prepared} if progress else {}
    done_s = {p.name: 0.0 for p in prepared}

    def payload(key: str) -> dict[str, Any]:
        common = {"name": key, "time_limit_s": time_limit_s, "workers": per_solve, "seed": seed}
        if key in plan.plain:
            return {**common, "instance": plan.plain[key]}
        first_key, op = plan.raises[key]
        first = raw[first_key]
        return {**common, "instance": plan.plain[first_key], "raise_op": op, "first": first.get("roster")}

    def advance(key: str, elapsed: float, phase: str | None, finished: bool = False) -> None:
        if not progress:
            return
        for name in users.get(key, []):
            if finished:
                done_s[name] += time_limit_s if key in plan.plain else est[name] - time_limit_s
                done_s[name] = min(done_s[name], est[name])
                if plan.of[name] == key:
                    done_s[name] = est[name]
                progress.update(
                    tasks[name],
                    completed=done_s[name],
                    description=name if done_s[name] >= est[name] else f"{name} (waiting)",
                )
            else:
                progress.update(
                    tasks[name], completed=min(est[name], done_s[name] + elapsed), description=f"{name} ({phase})"
                )

    raw: dict[str, dict] = {}
    if procs == 1:
        for key in list(plan.plain) + list(plan.raises):
            pl = payload(key)
            if "first" in pl and pl["first"] is None:
                raw[key] = {"name": key, "error": raw[plan.raises[key][0]].get("error", "no first roster")}
            else:
                advance(key, 0.0, "solving")
                raw[key] = _job(pl)
            advance(key, 0.0, None, finished=True)
    else:
        ctx = mp.get_context("spawn")
        with ctx.Manager() as manager, ProcessPoolExecutor(max_workers=procs, mp_context=ctx) as pool:
            queue = manager.Queue()
            futures = {}
            for key in plan.plain:
                futures[pool.submit(_job, {**payload(key), "queue": queue})] = key
            phase_seen: dict[str, str] = {}
            offset: dict[str, float] = {}
            while futures:
                finished = [f for f in futures if f.done()]
                for f in finished:
                    key = futures.pop(f)
                    raw[key] = f.result()
                    advance(key, 0.0, None, finished=True)
                    for rkey, (first_key, _) in plan.raises.items():
                        if first_key == key:
                            if "error" in raw[key]:
                                raw[rkey] = {"name": rkey, "error": raw[key]["error"]}
                                advance(rkey, 0.0, None, finished=True)
                            else:
                                futures[pool.submit(_job, {**payload(rkey), "queue": queue})] = rkey
                while True:
                    try:
                        key, phase, elapsed = queue.get_nowait()
                    except Exception:
                        break
                    if key in raw or phase == "done":
                        continue
                    if phase_seen.get(key) not in (None, phase):
                        offset[key] = offset.get(key, 0.0) + time_limit_s
                    phase_seen[key] = phase
                    advance(key, offset.get(key, 0.0) + elapsed, phase)
                if futures:
                    time.sleep(0.2)
    out = []
    for p in prepared:
        key = plan.of[p.name]
        r = dict(raw[key])
        if key in plan.raises and "error" not in r:
            r["solves"] += 1  # the shared first solve
        out.append(finish(p, r, good_shift))
    return out


def finish(p: Prepared, raw: dict[str, Any], good_shift: GoodShiftSettings | None) -> ScenarioResult:
    """Re-check the roster with the checker and compute the scenario KPIs."""
    from solver import check

    if "error" in raw:
        roster = check(p.instance, [])
        kpis, judged = scenario_kpis(p.instance, roster, good_shift)
        return ScenarioResult(
            p.name,
            p.kind,
            p.instance,
            roster,
            kpis,
            judged,
            p.description,
            p.changes,
            curve_n=p.curve_n,
            solves=0,
            wall_s=raw.get("wall_s", 0.0),
            error=raw["error"],
        )
    inst = Instance.model_validate_json(raw["instance"])
    solved = Roster.model_validate_json(raw["roster"])
    roster = check(inst, solved)  # the judge: every number in the report comes from this re-check
    extra = {k: v for k, v in solved.kpis.items() if k not in roster.kpis}  # e.g. task KPIs added by the solve
    if extra:
        roster = roster.model_copy(update={"kpis": {**roster.kpis, **extra}})
    kpis, judged = scenario_kpis(inst, roster, good_shift)
    kpis.update(weekend_arithmetic(inst, inst.rules.weekend_frequency.every_n))
    return ScenarioResult(
        p.name,
        p.kind,
        inst,
        roster,
        kpis,
        judged,
        p.description,
        p.changes,
        position_changes(p.instance, inst),
        p.curve_n,
        raw["solves"],
        raw["wall_s"],
    )
