"""Direct CP-SAT model of the Curtois & Qu shift scheduling benchmark.

Why a direct model and not the turnus domain model: the benchmark's rules (per-type shift
maxima, minute totals, run-length minima with the horizon-end exemption, weekend counting,
unit-weight cover slacks) do not map one-to-one onto the Norwegian rules in ``models/``;
going through them would change what is being optimised and make the numbers incomparable
with the published best-known values.  This module therefore encodes FORMAT.md literally.

Encoding (CP-SAT best practice):
* a boolean ``x[e,d,s]`` only where the shift is allowed (no variable on a listed day off or
  for a type whose MaxShifts is 0); a work literal per (e, d) with
  ``exactly_one(x[e,d,*], not work)`` which is "at most one shift per day" and defines work;
* forbidden successions as one at_most_one(x[d,s], x[d+1, forbidden after s]) each;
* per-type maxima and total minutes as linear constraints;
* max consecutive shifts as sliding windows of length max+1;
* min consecutive shifts / days off as "negated bounded span" clauses
  ``work[a-1] or not work[a..b-1] or work[b]`` for every short run strictly inside the
  horizon (runs touching either end are exempt, FORMAT.md);
* a worked-weekend literal per week, ``sum <= MaxWeekends``;
* integer under/over slack per cover row, made exact by an indicator (never both > 0),
  so every intermediate objective equals the evaluator's; the objective is integer.

The builder can also produce a *sub-model* for large-neighbourhood search: only the
employees in ``free`` get variables and only on days inside ``window``; everything
else is a constant taken from ``base``.  Constants are folded into clauses and sums in
Python, so a neighbourhood of 10 staff on a 364-day horizon stays small.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .reader import Instance
from .writer import Roster

# How cover slacks are made exact: "bool" (indicator), "max" (under = max(0, req - n)),
# or "loose" (slacks exact only at the optimum).  Measured in RESULTS.md.
COVER_ENCODING = "bool"

Lit = cp_model.IntVar | bool  # a literal, or a constant folded at build time


@dataclass
class SolveResult:
    roster: Roster | None
    objective: int | None
    bound: float
    status: str
    time_first: float | None  # seconds to the first lawful roster
    time_best: float | None  # seconds to the final best roster
    wall: float
    trace: list[tuple[float, int]] = field(default_factory=list)  # (seconds, objective)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Records (time, objective) of every improving solution."""

    def __init__(self, t0: float, offset: float = 0.0, on_solution=None, stop_after: float | None = None) -> None:
        super().__init__()
        self.stop_after = stop_after
        self.t0 = t0
        self.offset = offset
        self.trace: list[tuple[float, int]] = []
        self.on_solution = on_solution

    def on_solution_callback(self) -> None:
        t = time.perf_counter() - self.t0 + self.offset
        obj = int(round(self.objective_value))
        self.trace.append((t, obj))
        if self.on_solution is not None:
            self.on_solution(t, obj)
        if self.stop_after is not None and time.perf_counter() - self.t0 >= self.stop_after:
            self.stop_search()


def _neg(lit: Lit) -> Lit:
    return (not lit) if isinstance(lit, bool) else ~lit


class CurtoisModel:
    """CP-SAT model for the whole instance or for a neighbourhood of a base roster."""

    def __init__(
        self,
        instance: Instance,
        free: Iterable[int] | None = None,
        base: Roster | None = None,
        window: tuple[int, int] | None = None,
        symmetry: bool = False,
    ) -> None:
        self.inst = instance
        self.free = sorted(set(range(instance.n_staff) if free is None else free))
        if (free is not None or window is not None) and base is None:
            raise ValueError("a sub-model needs a base roster")
        self.base = base
        # Free employees have variables on days lo..hi-1 only; other days are frozen to base.
        self.lo, self.hi = window if window is not None else (0, instance.horizon)
        self.m = cp_model.CpModel()
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.work: dict[int, list[Lit]] = {}
        # Auxiliary variables, kept so that hint() can give a *complete* hint (a partial hint
        # is often not completed by CP-SAT, and the sub-solve then starts from scratch).
        self.work_vars: list[tuple[cp_model.IntVar, int, int]] = []  # (var, employee, day)
        self.weekend_vars: list[tuple[cp_model.IntVar, int, int]] = []  # (var, employee, week)
        self.cover_vars: list[tuple[object, cp_model.IntVar, cp_model.IntVar, cp_model.IntVar | None]] = []
        self.infeasible = False
        self._build(symmetry)

    # -- helpers -------------------------------------------------------------------------
    def xv(self, e: int, d: int, s: int) -> Lit:
        v = self.x.get((e, d, s))
        if v is not None:
            return v
        if e in self.work and self.lo <= d < self.hi:
            return False
        return self.base is not None and self.base[e][d] == s

    def clause(self, lits: Sequence[Lit]) -> None:
        """Add ``or(lits)`` after folding constants."""
        vs = []
        for lit in lits:
            if lit is True:
                return
            if lit is False:
                continue
            vs.append(lit)
        if not vs:
            self.infeasible = True
            self.m.add_bool_or([])  # makes the model infeasible, as it should be
            return
        self.m.add_bool_or(vs)

    # -- model ---------------------------------------------------------------------------
    def _build(self, symmetry: bool) -> None:
        inst, m = self.inst, self.m
        H, S = inst.horizon, inst.n_shifts
        free_set = set(self.free)
        for e in self.free:
            st = inst.staff[e]
            row: list[Lit] = []
            for d in range(H):
                if not self.lo <= d < self.hi:
                    assert self.base is not None
                    row.append(self.base[e][d] >= 0)
                    continue
                xs = []
                for s in inst.allowed(e, d):
                    v = m.new_bool_var(f"x_{st.id}_{d}_{inst.shifts[s].id}")
                    self.x[e, d, s] = v
                    xs.append(v)
                if not xs:
                    row.append(False)
                elif len(xs) == 1:
                    row.append(xs[0])
                else:
                    w = m.new_bool_var(f"w_{st.id}_{d}")
                    m.add_exactly_one([*xs, ~w])
                    self.work_vars.append((w, e, d))
                    row.append(w)
            self.work[e] = row

        for e in self.free:
            self._employee_rules(e)

        # Objective terms; constants (non-free employees, frozen days) go to an offset.
        terms: list[cp_model.LinearExprT] = []
        offset = 0
        for r in inst.on_requests:
            lit = self.xv(r.employee, r.day, r.shift)
            if isinstance(lit, bool):
                offset += 0 if lit else r.weight
            else:
                offset += r.weight
                terms.append(-r.weight * lit)
        for r in inst.off_requests:
            lit = self.xv(r.employee, r.day, r.shift)
            if isinstance(lit, bool):
                offset += r.weight if lit else 0
            else:
                terms.append(r.weight * lit)
        fixed_count = self._fixed_cover_counts(free_set)
        for c in inst.cover:
            if self.lo <= c.day < self.hi:
                vs = [self.x[e, c.day, c.shift] for e in self.free if (e, c.day, c.shift) in self.x]
            else:
                vs = []
            const = fixed_count.get((c.day, c.shift), 0)
            if not vs:
                n = const
                offset += c.under_weight * max(0, c.requirement - n) + c.over_weight * max(0, n - c.requirement)
                continue
            if len(vs) == 1:
                # One free person: the penalty is affine in that literal, no slack needed.
                # (This keeps one-employee construction models small.)
                def pen(n: int) -> int:
                    return c.under_weight * max(0, c.requirement - n) + c.over_weight * max(0, n - c.requirement)

                offset += pen(const)
                terms.append((pen(const + 1) - pen(const)) * vs[0])
                continue
            ub_under = max(0, c.requirement - const)
            ub_over = max(0, const + len(vs) - c.requirement)
            under = m.new_int_var(0, ub_under, f"under_{c.day}_{c.shift}")
            over = m.new_int_var(0, ub_over, f"over_{c.day}_{c.shift}")
            m.add(sum(vs) + const + under - over == c.requirement)
            # Slacks must be exact in every solution, not only at the optimum: otherwise an
            # intermediate solution may carry under > 0 and over > 0 on one row and report an
            # objective above the roster's true cost (the evaluator caught this).
            is_over = None
            if ub_under > 0 and ub_over > 0:
                if COVER_ENCODING == "bool":
                    is_over = m.new_bool_var(f"isover_{c.day}_{c.shift}")
                    m.add(under == 0).only_enforce_if(is_over)
                    m.add(over == 0).only_enforce_if(~is_over)
                elif COVER_ENCODING == "max":
                    m.add_max_equality(under, [0, c.requirement - const - sum(vs)])
            self.cover_vars.append((c, under, over, is_over))
            terms.append(c.under_weight * under + c.over_weight * over)
        self.offset = offset
        m.minimize(sum(terms) + offset)

        if symmetry:
            self._break_symmetry()

    def _fixed_cover_counts(self, free_set: set[int]) -> dict[tuple[int, int], int]:
        """People on (day, shift) that are constants: non-free staff, and free staff on frozen days."""
        counts: dict[tuple[int, int], int] = {}
        if self.base is None:
            return counts
        for e in range(self.inst.n_staff):
            for d, s in enumerate(self.base[e]):
                if s >= 0 and (e not in free_set or not self.lo <= d < self.hi):
                    counts[d, s] = counts.get((d, s), 0) + 1
        return counts

    def _employee_rules(self, e: int) -> None:
        inst, m = self.inst, self.m
        st = inst.staff[e]
        H, S = inst.horizon, inst.n_shifts
        work = self.work[e]
        lo, hi = self.lo, self.hi
        # 2. forbidden successions (only pairs touching a free day).  Because day d+1 holds
        # at most one shift, the clauses {not x[d,s] or not x[d+1,t] : t in F(s)} are exactly
        # at_most_one(x[d,s], x[d+1,F(s)]): one constraint instead of |F(s)| clauses.
        for d in range(max(0, lo - 1), min(H - 1, hi)):
            for s in range(S):
                a = self.xv(e, d, s)
                if a is False:
                    continue
                nxt = [self.xv(e, d + 1, t) for t in inst.shifts[s].forbidden_next]
                nxt = [b for b in nxt if b is not False]
                if not nxt:
                    continue
                if a is True or any(b is True for b in nxt):
                    for b in nxt:  # constants: fall back to folded binary clauses
                        self.clause([_neg(a), _neg(b)])
                else:
                    m.add_at_most_one([a, *nxt])
        # 3. max shifts per type and 4. total minutes; frozen days are constants.
        type_const = [0] * S
        min_const = 0
        if self.base is not None:
            for d, s in enumerate(self.base[e]):
                if s >= 0 and not lo <= d < hi:
                    type_const[s] += 1
                    min_const += inst.shifts[s].minutes
        type_vars: list[list[cp_model.IntVar]] = [[] for _ in range(S)]
        minute_terms = []
        for d in range(lo, hi):
            for s in range(S):
                v = self.x.get((e, d, s))
                if v is not None:
                    type_vars[s].append(v)
                    minute_terms.append(inst.shifts[s].minutes * v)
        for s in range(S):
            vs, const = type_vars[s], type_const[s]
            if vs and len(vs) + const > st.max_shifts[s]:
                m.add(sum(vs) <= st.max_shifts[s] - const)
            elif const > st.max_shifts[s]:
                self.clause([])
        m.add_linear_constraint(sum(minute_terms) + min_const, st.min_minutes, st.max_minutes)
        # 5. max consecutive shifts: every window of max+1 days holds a day off
        k = st.max_consecutive
        if k < H:
            for a in range(max(0, lo - k), min(H - k, hi)):
                self.clause([_neg(w) for w in work[a : a + k + 1]])
        # 6./7. min consecutive shifts / days off, exempt at horizon ends
        span = max(st.min_consecutive, st.min_days_off)
        for a in range(max(1, lo - span), min(H, hi + 1)):
            for length in range(1, st.min_consecutive):
                b = a + length
                if b > H - 1:
                    break
                self.clause([work[a - 1], *(_neg(w) for w in work[a:b]), work[b]])
            for length in range(1, st.min_days_off):
                b = a + length
                if b > H - 1:
                    break
                self.clause([_neg(work[a - 1]), *work[a:b], _neg(work[b])])
        # 8. weekends
        weeks = H // 7
        if st.max_weekends < weeks:
            wk_lits: list[cp_model.IntVar] = []
            const = 0
            for w in range(weeks):
                days = [work[7 * w + 5], work[7 * w + 6]]
                if any(v is True for v in days):
                    const += 1
                    continue
                vs = [v for v in days if v is not False]
                if not vs:
                    continue
                if len(vs) == 1:
                    wk_lits.append(vs[0])
                    continue
                wk = m.new_bool_var(f"wk_{st.id}_{w}")
                self.weekend_vars.append((wk, e, w))
                for v in vs:
                    m.add_implication(v, wk)
                m.add_bool_or([~wk, *vs])
                wk_lits.append(wk)
            if wk_lits and len(wk_lits) + const > st.max_weekends:
                m.add(sum(wk_lits) <= st.max_weekends - const)
            elif const > st.max_weekends:
                self.clause([])

    def _break_symmetry(self) -> None:
        """Lexicographic-ish ordering of interchangeable employees (identical data, no requests)."""
        inst = self.inst
        req_emps = {r.employee for r in (*inst.on_requests, *inst.off_requests)}
        groups: dict[tuple, list[int]] = {}
        for e in self.free:
            if e in req_emps:
                continue
            st = inst.staff[e]
            key = (st.max_shifts, st.max_minutes, st.min_minutes, st.max_consecutive, st.min_consecutive,
                   st.min_days_off, st.max_weekends, st.days_off)
            groups.setdefault(key, []).append(e)
        for members in groups.values():
            for a, b in zip(members, members[1:]):
                # Weak but sound: the first working day of a is no later than that of b,
                # encoded as "b works on days 0..d implies a works somewhere in 0..d".
                wa, wb = self.work[a], self.work[b]
                for d in range(inst.horizon):
                    self.clause([_neg(wb[d]), *wa[: d + 1]])

    # -- solving -------------------------------------------------------------------------
    def hint(self, roster: Roster) -> None:
        """Hint a lawful roster completely: shift, work, weekend and cover-slack variables."""
        m = self.m
        m.clear_hints()
        for (e, d, s), v in self.x.items():
            m.add_hint(v, roster[e][d] == s)
        for v, e, d in self.work_vars:
            m.add_hint(v, roster[e][d] >= 0)
        for v, e, w in self.weekend_vars:
            m.add_hint(v, roster[e][7 * w + 5] >= 0 or roster[e][7 * w + 6] >= 0)
        counts: dict[tuple[int, int], int] = {}
        for row in roster:
            for d, s in enumerate(row):
                if s >= 0:
                    counts[d, s] = counts.get((d, s), 0) + 1
        for c, under, over, is_over in self.cover_vars:
            n = counts.get((c.day, c.shift), 0)  # type: ignore[attr-defined]
            m.add_hint(under, max(0, c.requirement - n))  # type: ignore[attr-defined]
            m.add_hint(over, max(0, n - c.requirement))  # type: ignore[attr-defined]
            if is_over is not None:
                m.add_hint(is_over, n > c.requirement)  # type: ignore[attr-defined]

    def extract(self, solver: cp_model.CpSolver) -> Roster:
        inst = self.inst
        if self.base is not None:
            roster = [list(r) for r in self.base]
        else:
            roster = [[-1] * inst.horizon for _ in range(inst.n_staff)]
        for e in self.free:
            for d in range(inst.horizon):
                if not self.lo <= d < self.hi:
                    continue
                roster[e][d] = -1
                for s in inst.allowed(e, d):
                    if solver.boolean_value(self.x[e, d, s]):
                        roster[e][d] = s
        return roster

    def solve(
        self,
        time_limit: float,
        workers: int,
        seed: int,
        log: bool = False,
        t_offset: float = 0.0,
        on_solution=None,
        extra_params: dict | None = None,
        stop_after: float | None = None,
    ) -> SolveResult:
        """Solve; with ``stop_after``, stop at the first solution found after that many seconds."""
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.max_time_in_seconds = max(0.01, time_limit)
        p.num_workers = workers
        p.random_seed = seed
        p.log_search_progress = log
        for k, v in (extra_params or {}).items():
            setattr(p, k, v)
        t0 = time.perf_counter()
        cb = _Progress(t0, t_offset, on_solution, stop_after)
        status = solver.solve(self.m, cb)
        wall = time.perf_counter() - t0
        name = solver.status_name(status)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            roster = self.extract(solver)
            obj = int(round(solver.objective_value))
            bound = solver.best_objective_bound
        else:
            roster, obj, bound = None, None, solver.best_objective_bound
        return SolveResult(
            roster=roster,
            objective=obj,
            bound=bound,
            status=name,
            time_first=cb.trace[0][0] if cb.trace else None,
            time_best=cb.trace[-1][0] if cb.trace else None,
            wall=wall,
            trace=cb.trace,
        )
