"""Construction: a lawful first roster built one person at a time against what is still open.

Every REQUIRED rule of turnus is about one person; only demand, tasks, roles and fairness couple people, and
those are priced by head counts. So each person's line is the optimum of a one-person sub-problem (the full rule
set, subproblem.py) against the residual demand, tasks and roles left by the people placed before; people not
placed yet count as off. The line includes the person's tasks and roles, so construction sees the whole problem.
Scarce people go first (those qualifying for the least-supplied demand), so open slots that only they can fill
are still open when they are placed.

One thread per worker: two people may be placed against the same residual, which costs a little quality and
roughly halves the time (CP-SAT releases the GIL while it searches).
"""

from __future__ import annotations

import logging
import threading
import time

import numpy as np

from ..index import Index
from .domain import LINE_DTIME, DomainProblem
from .problem import Neighbourhood
from .subproblem import DomainState

log = logging.getLogger("turnus.search")


def order(idx: Index) -> list[int]:
    """Scarce people first: those who qualify for the fewest-supplied slots, then by position % (larger first).

    Where each person fills one slot of a shift (`exclusive_slots`), the least versatile first: people who
    qualify for fewer kinds of slot (labels) before those who could fill many, scarcity deciding within. A
    versatile person placed early takes slots the single-skilled could have filled, and these, placed after,
    have nothing left but to work beyond the cover: INRC-II construction (one thread), scarce first against least
    versatile first, left 75 / 74 / 52 / 16 / 19 person-shifts below the minimum cover (n100w8_0, n035w8_0,
    n070w8_0, n030w4_1, n040w4_0) against 22 / 17 / 42 / 2 / 0, and at 60 s the suite's median gap went 77.5 ->
    70.6 % (benchmarks/RESULTS.md). Where a person counts in every slot she qualifies for (the
    default), scarce first stays: a nurse on shift is the ansvarsvakt and one of the head count at once, so
    placing the unskilled first left the generated medium unit 32 short instead of 18."""
    supply = np.zeros(len(idx.requirements))
    member_of: list[list[int]] = [[] for _ in range(idx.S)]
    for r, req in enumerate(idx.requirements):
        supply[r] = len(req.members) / max(1, req.min)
        for s in req.members:
            member_of[int(s)].append(r)
    scarcity = [min((supply[r] for r in member_of[s]), default=1e9) for s in range(idx.S)]
    kinds = [0] * idx.S
    if idx.inst.rules.demand_coverage.exclusive_slots:
        kinds = [len({idx.requirements[r].label for r in member_of[s]}) for s in range(idx.S)]
    return sorted(range(idx.S), key=lambda s: (kinds[s], scarcity[s], -idx.position_pct[s], s))


class OpenWork:
    """What placed people leave open of the roles and tasks, as a value per (day, shift) for the next line.

    A line is solved on the shift rules alone (a one-person model with its task variables is ~10x slower to a
    first solution), so roles and tasks enter as a bonus per worked cell: each open role the person qualifies for
    at its weight, each open task occurrence at weight × priority, scaled down when the open task minutes exceed
    what the shift can hold. Placing a person takes the roles and the most valuable tasks that fit their shifts.
    """

    def __init__(self, idx: Index) -> None:
        from ..tasks.base import occ_arrays
        from ..tasks.occurrences import task_index, workload_cap

        self.idx = idx
        inst = idx.inst
        ti = task_index(idx)
        tr = inst.task_rules
        self.role_w = tr.shift_roles.weight if tr.shift_roles.active else 0
        self.task_w = tr.task_coverage.weight if tr.task_coverage.active else 0
        self.cap = np.array([workload_cap(idx, t) for t in range(idx.T)])
        self.cell_occs: dict[tuple[int, int], np.ndarray] = {}
        by_cell: dict[tuple[int, int], list[int]] = {}
        for occ in ti.occs:
            for c in occ.cover:
                by_cell.setdefault(c, []).append(occ.o)
        oa = occ_arrays(idx, ti)
        self.q, self.dur = oa.qualified, oa.dur
        self.value = oa.priority * self.task_w
        self.left = oa.count.copy()  # people still wanted per occurrence, taken down as people are placed
        for c, os in by_cell.items():  # most valuable per minute first: the order a shift's capacity is spent in
            arr = np.array(os, dtype=np.int64)
            self.cell_occs[c] = arr[np.argsort(-self.value[arr] / np.maximum(self.dur[arr], 1), kind="stable")]
        self.role_cells: dict[tuple[int, int], list[int]] = {}
        for ro in ti.roles:
            self.role_cells.setdefault((ro.d, ro.t), []).append(ro.k)
        self.role_q = oa.role_qualified
        self.role_open = np.ones(len(ti.roles), dtype=bool)

    def _fit(self, s: int, d: int, t: int) -> np.ndarray:
        """Open occurrences person s would take on cell (d, t), most valuable first, within the shift's cap."""
        occs = self.cell_occs.get((d, t))
        if occs is None:
            return np.zeros(0, dtype=np.int64)
        occs = occs[(self.left[occs] > 0) & self.q[occs, s]]
        return occs[np.cumsum(self.dur[occs]) <= self.cap[t]]

    def bonus(self, s: int) -> np.ndarray:
        """[1, D, T] value of person s working each cell."""
        idx = self.idx
        out = np.zeros((1, idx.D, idx.T), dtype=np.int64)
        for d, t in zip(*np.nonzero(idx.allowed[s]), strict=True):
            d, t = int(d), int(t)
            out[0, d, t] = int(self.value[self._fit(s, d, t)].sum())
            ks = self.role_cells.get((d, t))
            if ks and self.role_w:
                out[0, d, t] += self.role_w * int((self.role_open[ks] & self.role_q[ks, s]).sum())
        return out

    def take(self, s: int, line: np.ndarray) -> None:
        for d in np.nonzero(line >= 0)[0].tolist():
            t = int(line[d])
            self.left[self._fit(s, d, t)] -= 1
            for k in self.role_cells.get((d, t), ()):
                if self.role_open[k] and self.role_q[k, s]:
                    self.role_open[k] = False
                    break


def demand_slots(idx: Index) -> list[frozenset[tuple[str, int]]]:
    """Per person, the demand slots (label, shift type) they count toward with a shift type they may work: two
    people whose sets meet compete for the same cover, so a line solved while the other's is open reads a residual
    demand that is about to change."""
    _, shift, members = idx.requirement_arrays
    can = members & idx.unit_types[:, shift].T  # [R, S]
    keys = [(r.label, int(r.shift)) for r in idx.requirements]
    return [frozenset(keys[r] for r in np.nonzero(can[:, s])[0].tolist()) for s in range(idx.S)]


def next_free(queue: list[int], slots: list[frozenset[tuple[str, int]]], placing: list[int]) -> int:
    """Position in `queue` (taken from its end) of the next person who competes for no slot with the people being
    placed: with two threads, the second line then reads an exact residual. Measured on the large unit (4 wards,
    day and night pools), construction with two threads took the same slots twice: 95-100 person-shifts unfilled
    against 25 with one thread. Falls back to the next in order."""
    busy = frozenset().union(*(slots[p] for p in placing)) if placing else frozenset()
    for i in range(len(queue) - 1, -1, -1):
        if not slots[queue[i]] & busy:
            return i
    return len(queue) - 1


def construct(
    problem: DomainProblem,
    deadline: float,
    seed: int = 0,
    workers: int = 1,
    start: DomainState | None = None,
    people: list[int] | None = None,
    stop: threading.Event | None = None,
    give_up: float | None = None,
) -> tuple[DomainState, list[int]]:
    """(state, people without a lawful line). `start` holds people already placed; `people` (default: all, in
    `order`) are (re)placed one at a time; then tasks and roles are allocated greedily on the shifts
    (tasks/hint.py). Each line is limited in CP-SAT's deterministic time, so with one worker the result does not
    depend on the machine's load; past the deadline a person gets the first lawful line; past `give_up` nobody
    more is placed (the solve's own time limit: the state is then incomplete and says so to the checker)."""
    t0 = time.perf_counter()
    state = start.copy() if start is not None else problem.empty_state()
    queue = list(reversed(people if people is not None else order(problem.idx)))
    failed: list[int] = []
    lock = threading.Lock()
    D = problem.D
    open_work = OpenWork(problem.idx) if problem.has_tasks else None

    slots = demand_slots(problem.idx)
    placing: list[int] = []  # people whose lines are being solved now (other threads)

    def work() -> None:
        while True:
            with lock:
                if not queue or (stop is not None and stop.is_set()):
                    return
                if give_up is not None and time.perf_counter() > give_up:
                    return
                s = queue.pop(next_free(queue, slots, placing))
                placing.append(s)
                base = state.copy()
                bonus = open_work.bonus(s) if open_work is not None else None
            hood = Neighbourhood("line", (s,), (0, D))
            hurry = time.perf_counter() > deadline
            for cap in (True, False):  # within the person's priced maximum unless no line fits it (pins)
                res = problem.solve_sub(
                    base,
                    hood,
                    max(1.0, deadline - time.perf_counter()),
                    seed + s,
                    dtime=LINE_DTIME,
                    first_solution=hurry,
                    tasks=False,
                    bonus=bonus,
                    cap=cap,
                )
                if not (res.state is None and res.status == "INFEASIBLE"):
                    break
            if res.state is None and res.status == "UNKNOWN":  # no lawful line yet: settle for the first one
                res = problem.solve_sub(
                    base, hood, 30.0, seed + s, dtime=20 * LINE_DTIME, first_solution=True, tasks=False, bonus=bonus
                )
            with lock:
                placing.remove(s)
                if res.state is None:
                    failed.append(s)
                    continue
                state.shift[s] = res.state.shift[s]
                if open_work is not None:
                    open_work.take(s, state.shift[s])

    threads = [threading.Thread(target=work, daemon=True) for _ in range(max(1, workers) - 1)]
    for th in threads:
        th.start()
    work()
    for th in threads:
        th.join()
    if problem.has_tasks:
        allocate_tasks(problem.idx, state)
    log.info(
        "construction: %d shifts, %d people without a lawful line, %.2f s",
        int((state.shift >= 0).sum()),
        len(failed),
        time.perf_counter() - t0,
    )
    return state, sorted(failed)


def allocate_tasks(idx: Index, state: DomainState) -> None:
    """Tasks and roles on the state's shifts by the greedy allocation (in place)."""
    from ..tasks.hint import greedy_tasks

    ys, rs = greedy_tasks(idx, state.shift)
    state.tasks = {}
    for o, s in sorted(ys):
        state.tasks[o] = state.tasks.get(o, ()) + (s,)
    state.roles = {k: s for k, s in sorted(rs)}
