"""Demand coverage (bemanningsplan): each competence slot of each shift gets at least `min` qualified people
(else the shortfall is *unfilled demand*, priced in its own tier so it always outranks soft goals) and
ideally `ideal` (each person below ideal costs `weight`).

Slots count independently by default (a nurse counts in "1 sykepleier" and in "3 helsefagarbeider-or-better").
With `exclusive_slots` each person on a shift fills at most one of its slots, as when every assignment names the
role it covers: the model gets a choice variable per person and slot (where a person qualifies for several) and
the audit scores the best allocation (`allocate`), found greedily: the cost is separable and convex in the slot
counts and the reachable count vectors form a polymatroid, so raising the count with the largest marginal gain
that an augmenting path can still raise is optimal (Federgruen & Groenevelt 1986).
"""

from __future__ import annotations

import numpy as np

from models import Unfilled, Violation

from .base import Rule

HALL_MAX_SLOTS = 6  # slots of one shift up to which exclusive counts are bounded by Hall's condition (2^k - 1 rows)


class DemandCoverage(Rule):
    id = "demand_coverage"
    title = "Staffing demand per competence slot"
    source = "Bemanningsplan (unit input)"
    tier = "unfilled"
    scores = {"demand_ideal": "soft"}  # `weight` per person below a slot's ideal

    def add_to_model(self, ctx, st) -> None:
        model = ctx.model
        chosen = self._exclusive_lits(ctx) if st.exclusive_slots else {}
        for i, req in enumerate(ctx.idx.requirements):
            if st.exclusive_slots:
                lits = chosen.get(i, [])
            else:
                lits = [v for s in req.members if (v := ctx.var(int(s), req.day, req.shift)) is not None]
            ideal_w = st.weight if req.ideal > req.min else 0
            if not lits:  # nobody could ever fill it
                ctx.penalize(self.id, st.unfilled_weight * req.min, None, "unfilled")
                ctx.penalize("demand_ideal", ideal_w * (req.ideal - req.min), None)
                continue
            cnt = sum(lits)
            # objective = U*short + w*(gap - short) with short = max(0, min-cnt), gap = max(0, ideal-cnt):
            # written as (U-w)*short + w*gap so every coefficient stays non-negative (a tighter LP bound)
            if req.min > 0:
                short = model.new_int_var(0, req.min, f"short_{i}")
                model.add_max_equality(short, [req.min - cnt, 0])
                ctx.penalize(self.id, st.unfilled_weight - ideal_w, short, "unfilled")
            if ideal_w:
                gap = model.new_int_var(0, req.ideal, f"gap_{i}")
                model.add_max_equality(gap, [req.ideal - cnt, 0])
                ctx.penalize("demand_ideal", ideal_w, gap)

    @staticmethod
    def _exclusive_lits(ctx) -> dict[int, list]:
        """Per requirement the terms counting the people filling it when each person fills one slot of a shift.

        One person who may work the shift (a construction line): her variable in the slot where she is worth most
        (a missing minimum before a missing ideal), which is what the best allocation gives her. Where nobody on the
        shift qualifies for two of its slots, the shift variables themselves. Otherwise (up to
        `HALL_MAX_SLOTS` slots) one count per slot, bounded by Hall's condition: for every set K of the shift's
        slots, the counts of K are at most the people on the shift qualifying for one of K. By Hall's theorem these
        are exactly the counts some allocation reaches, so no choice variable per person and slot is needed (no
        symmetric allocations, a much smaller model). Above that many slots: a choice variable per person and slot
        (at most one, only on a worked shift). Either way a solution CP-SAT has not finished improving may count
        fewer people in a slot than its roster's best allocation; the checker's score (that allocation) is then
        below the model's objective, never above, until the solve loop settles the choices (run.settle_choices)."""
        out: dict[int, list] = {}
        model = ctx.model
        for d, t, rs in slot_groups(ctx.idx):
            people = {s: local for s, local in _person_slots(ctx.idx, rs).items() if ctx.var(s, d, t) is not None}
            if len(people) == 1:  # one person (a construction line): the slot she is worth most in
                ((s, local),) = people.items()
                reqs = ctx.idx.requirements
                best = max(local, key=lambda j: (reqs[rs[j]].min > 0, reqs[rs[j]].ideal > 0, -j))
                out.setdefault(rs[best], []).append(ctx.var(s, d, t))
                continue
            if all(len(local) == 1 for local in people.values()):
                for s, local in people.items():
                    out.setdefault(rs[local[0]], []).append(ctx.var(s, d, t))
                continue
            k = len(rs)
            if k <= HALL_MAX_SLOTS:
                reqs = ctx.idx.requirements
                sizes = [0] * k
                for local in people.values():
                    for j in local:
                        sizes[j] += 1
                counts = [model.new_int_var(0, min(reqs[r].ideal, sizes[j]), f"fill_{r}") for j, r in enumerate(rs)]
                masks = {s: sum(1 << j for j in local) for s, local in people.items()}
                for K in _closed_sets(k, list(masks.values())):
                    near = [ctx.var(s, d, t) for s, m in masks.items() if m & K]
                    model.add(sum(counts[j] for j in range(k) if K >> j & 1) <= sum(near))
                for j, r in enumerate(rs):
                    out[r] = [counts[j]]
                continue
            for s, local in people.items():
                x = ctx.var(s, d, t)
                if len(local) == 1:
                    out.setdefault(rs[local[0]], []).append(x)
                    continue
                ys = [model.new_bool_var(f"slot_{s}_{d}_{t}_{j}") for j in local]
                model.add(sum(ys) <= x)
                for j, y in zip(local, ys, strict=True):
                    out.setdefault(rs[j], []).append(y)
        return out

    def counts(self, view) -> np.ndarray:
        """Qualified people on each requirement's shift, [R] (with `exclusive_slots`: filling it in the best
        allocation)."""
        if "demand_counts" not in view.memo and view.idx.inst.rules.demand_coverage.exclusive_slots:
            view.memo["demand_counts"] = allocate(view.idx, view.shift)[0]
        if "demand_counts" not in view.memo:
            day, shift, members = view.idx.requirement_arrays
            view.memo["demand_counts"] = (
                (members & (view.shift[:, day].T == shift[:, None])).sum(axis=1)
                if len(day)
                else np.zeros(0, dtype=np.int64)
            )
        return view.memo["demand_counts"]

    @staticmethod
    def bounds(idx) -> tuple[np.ndarray, np.ndarray]:
        """Per requirement min and ideal head count, [R] each (once per instance)."""
        if "demand_bounds" not in idx.cache:
            idx.cache["demand_bounds"] = (
                np.array([r.min for r in idx.requirements], dtype=np.int64),
                np.array([r.ideal for r in idx.requirements], dtype=np.int64),
            )
        return idx.cache["demand_bounds"]

    def unfilled(self, view) -> list[Unfilled]:
        idx, reqs = view.idx, view.idx.requirements
        counts = self.counts(view)
        mins = self.bounds(idx)[0]
        out = []
        for r in np.nonzero(counts < mins)[0].tolist():
            req, c = reqs[r], int(counts[r])
            out.append(
                Unfilled(
                    date=idx.dates[req.day],
                    shift=idx.shift_codes[req.shift],
                    slot=req.label,
                    required=req.min,
                    assigned=c,
                    missing=req.min - c,
                )
            )
        return out

    def audit(self, view, st) -> list[Violation]:
        idx, reqs, out = view.idx, view.idx.requirements, []
        counts = self.counts(view)
        mins, ideals = self.bounds(idx)
        shorts = np.maximum(0, mins - counts)
        gaps = np.maximum(0, ideals - np.maximum(counts, mins)) if st.weight else np.zeros_like(shorts)
        if view.score_only:  # one priced total per rule instead of a record per requirement
            for rule, amounts, weight in ((self.id, shorts, st.unfilled_weight), ("demand_ideal", gaps, st.weight)):
                n = int(np.count_nonzero(amounts))
                if n:
                    total = view.violation(rule, st, None, [], penalty=int(weight * amounts.sum()))
                    out.append(total._replace(count=n))
            return out
        for r in np.nonzero((shorts > 0) | (gaps > 0))[0].tolist():
            req, c, short, gap = reqs[r], int(counts[r]), int(shorts[r]), int(gaps[r])
            code = idx.shift_codes[req.shift]
            if short:
                out.append(
                    view.violation(
                        self.id,
                        st,
                        None,
                        [req.day],
                        amount=short,
                        penalty=st.unfilled_weight * short,
                        detail=f"{code} {req.label}: {c}/{req.min}",
                    )
                )
            if gap:
                out.append(
                    view.violation(
                        "demand_ideal",
                        st,
                        None,
                        [req.day],
                        amount=gap,
                        penalty=st.weight * gap,
                        detail=f"{code} {req.label}: {c}/{req.ideal} ideal",
                    )
                )
        return out


# ---- exclusive slots: one slot per person and shift ---------------------------------------------------------------
def slot_groups(idx) -> list[tuple[int, int, list[int]]]:
    """(day, shift, requirement indices) of every (day, shift) with demand, once per index."""
    if "slot_groups" not in idx.cache:
        by: dict[tuple[int, int], list[int]] = {}
        for r, req in enumerate(idx.requirements):
            by.setdefault((req.day, req.shift), []).append(r)
        idx.cache["slot_groups"] = [(d, t, rs) for (d, t), rs in sorted(by.items())]
    return idx.cache["slot_groups"]


def _closed_sets(k: int, masks: list[int]) -> list[int]:
    """The sets K of slots (bit masks) whose Hall row is not implied by another's: K holds every slot all of whose
    people qualify for a slot of K (a larger K with the same people is the tighter row). Slots nobody can fill are
    left out (their count is 0). One person on a shift: one row instead of 2^k - 1."""
    live = 0
    for m in masks:
        live |= m
    out = []
    for K in range(1, 1 << k):
        if K & ~live:
            continue
        near = [m for m in masks if m & K]
        covered = 0  # slots whose every person is in `near`
        for j in range(k):
            if live >> j & 1 and all(m & K for m in masks if m >> j & 1):
                covered |= 1 << j
        if covered == K and near:
            out.append(K)
    return out


def _person_slots(idx, rs: list[int]) -> dict[int, list[int]]:
    """person -> the positions in `rs` of the slots they qualify for."""
    out: dict[int, list[int]] = {}
    for j, r in enumerate(rs):
        for s in idx.requirements[r].members.tolist():
            out.setdefault(s, []).append(j)
    return out


def _allocate_group(
    workers: list[int], slots_of: dict[int, list[int]], mins: list[int], ideals: list[int], ideal_priced: bool
) -> dict[int, int]:
    """person -> slot position: the best allocation of the people on one shift to its slots (greedy by marginal
    gain: every missing `min` person first, then every one below `ideal`, each added along an augmenting path that
    moves people between slots they qualify for)."""
    alloc: dict[int, int] = {}
    free = set(workers)
    members: list[list[int]] = [[] for _ in mins]
    for s in workers:
        for j in slots_of[s]:
            members[j].append(s)

    def augment(target: int) -> bool:
        parent: dict[int, tuple[int, int] | None] = {target: None}
        queue = [target]
        while queue:
            r = queue.pop(0)
            hit = next((s for s in members[r] if s in free), None)
            if hit is not None:
                free.discard(hit)
                alloc[hit] = r
                while (step := parent[r]) is not None:  # each person on the path moves one slot on
                    r, mover = step
                    alloc[mover] = r
                return True
            for s in members[r]:
                r2 = alloc[s]
                if r2 not in parent:
                    parent[r2] = (r, s)  # s may leave r2 for r, r2 then needs someone
                    queue.append(r2)
        return False

    needs = [list(mins)] + ([[max(0, i - m) for m, i in zip(mins, ideals, strict=True)]] if ideal_priced else [])
    for need in needs:
        active = [j for j in range(len(mins)) if need[j] > 0]
        while active:
            for j in list(active):
                if augment(j):
                    need[j] -= 1
                    if need[j] == 0:
                        active.remove(j)
                else:  # a polymatroid: a count that cannot rise now never can
                    active.remove(j)
    return alloc


def allocate(idx, shift: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(people filling each requirement [R], the requirement each person fills [S, D] or -1) in the best allocation
    of people to slots when each person fills one slot of their shift. Cached per (day, shift) and set of people
    on it: a search move changes few of them."""
    R = len(idx.requirements)
    counts = np.zeros(R, dtype=np.int64)
    slot = np.full(shift.shape, -1, dtype=np.int64)
    st = idx.inst.rules.demand_coverage
    cache = idx.cache.setdefault("slot_alloc", {})
    if len(cache) > 200_000:
        cache.clear()
    mins, ideals = DemandCoverage.bounds(idx)
    for g, (d, t, rs) in enumerate(slot_groups(idx)):
        slots_of = idx.cache.setdefault("slot_people", {}).get(g)
        if slots_of is None:
            slots_of = idx.cache["slot_people"][g] = _person_slots(idx, rs)
        workers = [s for s in np.nonzero(shift[:, d] == t)[0].tolist() if s in slots_of]
        key = (g, tuple(workers))
        alloc = cache.get(key)
        if alloc is None:
            alloc = cache[key] = _allocate_group(
                workers, slots_of, mins[rs].tolist(), ideals[rs].tolist(), bool(st.weight)
            )
        for s, j in alloc.items():
            counts[rs[j]] += 1
            slot[s, d] = rs[j]
    return counts, slot
