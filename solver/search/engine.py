"""Adaptive large-neighbourhood search with CP-SAT sub-solves: the improvement phase of every solve.

Why LNS and not one monolithic CP-SAT model: with two workers CP-SAT's own LNS workers barely get CPU time, and a
real unit's model (126 staff with tasks: 220 000 variables, 8 s to build) leaves a minute's budget mostly unused.
Here the problem's incumbent is kept, a neighbourhood (some people over a window of days) is set free, everything
else is fixed, and the sub-model is solved with the incumbent as hint. Each sub-solution is judged by the
problem's own evaluator (for turnus: the checker) and kept only if it is lawful and no worse.

One thread per worker, each running single-worker sub-solves (CP-SAT releases the GIL while it searches, so one
thread builds while the other solves). A thread whose incumbent went stale while it searched merges its change
into the current incumbent and keeps it only if the evaluator finds the merge lawful and no worse.

The search opens with a line sweep: each person in turn (seeded order) is set free over the whole period alone,
so every line is re-optimised once against the cover the others now leave. Construction places people one at a
time against what the earlier ones left, and those lines are far from their best once everybody is placed: on
INRC-II n120w8_1 one sweep took the constructed 105 705 to 22 365 (35.7 s, one thread), where a minute of the
adaptive kinds alone reached 28 645; a one-person line is proven optimal in 0.02-0.6 s.

Each neighbourhood kind keeps its own size (grown after a sub-problem solved to optimality, shrunk after a
timeout) and its own share of the draws: exponentially smoothed objective gain per second, with a floor so no
kind starves (adaptive LNS; Ropke and Pisinger 2006).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .problem import Evaluation, Neighbourhood, SubResult

log = logging.getLogger("turnus.search")

# generic kinds every problem gets; a problem adds its own (`focus_kinds`, drawn through `focus`)
GENERIC_KINDS = ("line", "people", "block", "window")


@dataclass
class Limits:
    """When to stop: a wall deadline (perf_counter time), optionally a number of moves, a stop event."""

    deadline: float
    max_moves: int | None = None
    stop: threading.Event | None = None
    workers: int = 2
    seed: int = 0
    # deterministic CP-SAT time per sub-solve instead of wall time: with one worker and `max_moves` the whole
    # search is reproducible whatever the machine's load
    deterministic: bool = False
    sub_limit_s: float = 1.0
    # the deterministic mode's limit per sub-solve (CP-SAT deterministic seconds): on the demo at 20 s with one
    # worker 0.3 made 21 moves to objective 41 646 where 1.0 made 6 to 92 925 (load 5)
    sub_dtime: float = 0.3
    # threads beyond one per worker: while the others' sub-solves run (CP-SAT releases the GIL) one builds the
    # next sub-model in Python, which is a third of a move's time on a large unit
    extra_threads: int = 0
    # the opening line sweep (see the module's docstring): each person alone over the whole period, once
    sweep: bool = True
    min_cells: int = 24
    start_cells: int = 200
    max_cells: int = 4000


@dataclass
class Move:
    elapsed_s: float
    objective: int
    kind: str
    moves: int


@dataclass
class Stats:
    moves: int = 0
    improved: int = 0
    merged: int = 0
    rejected: int = 0
    build_s: float = 0.0
    solve_s: float = 0.0
    status: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [moves, improvements]


class Search:
    """Shared incumbent of the search threads."""

    def __init__(
        self,
        problem: Any,
        state: Any,
        evaluation: Evaluation,
        limits: Limits,
        t0: float,
        on_improve: Callable[[Move, Any, Evaluation], None] | None = None,
        kinds: tuple[str, ...] | None = None,
    ) -> None:
        self.problem, self.state, self.best = problem, state, evaluation
        self.limits, self.t0, self.on_improve = limits, t0, on_improve
        focus = tuple(getattr(problem, "focus_kinds", ()))
        self.kinds = kinds or GENERIC_KINDS + focus
        self.cells = {k: float(limits.start_cells) for k in self.kinds}
        self.score = {k: 1.0 for k in self.kinds}
        self.version = 0
        self.order = list(range(problem.S))
        random.Random(limits.seed).shuffle(self.order)
        self.turn = 0  # the next person of `order` a line move takes (round robin: every line gets its turns)
        self.sweep = problem.S if limits.sweep and "line" in self.kinds else 0  # line moves forced before any draw
        self.lock = threading.Lock()
        self.stats = Stats()
        self.trace: list[Move] = [Move(self.elapsed(), evaluation.objective, "start", 0)]

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def _done(self) -> bool:
        lim = self.limits
        if lim.stop is not None and lim.stop.is_set():
            return True
        if lim.max_moves is not None and self.stats.moves >= lim.max_moves:
            return True
        return time.perf_counter() >= lim.deadline - 0.05

    def run(self) -> None:
        """Search until the limits say stop; the incumbent is in `state` / `best`."""
        rng = random.Random(self.limits.seed)
        seeds = [rng.randrange(1 << 30) for _ in range(max(1, self.limits.workers + self.limits.extra_threads))]
        if len(seeds) == 1:  # one worker: no thread, so a fixed seed reproduces the search exactly
            self._thread(seeds[0])
            return
        threads = [threading.Thread(target=self._thread, args=(s,), daemon=True) for s in seeds]
        for th in threads:
            th.start()
        for th in threads:
            th.join()

    def _thread(self, seed: int) -> None:
        rng = random.Random(seed)
        while True:
            with self.lock:
                if self._done():
                    return
                state, version = self.state, self.version
                self.stats.moves += 1
                kind = "line" if self.sweep > 0 else self._draw(rng)
                self.sweep -= 1
                cells = self.cells[kind]
                if kind == "line":
                    person, self.turn = self.order[self.turn % len(self.order)], self.turn + 1
            if kind == "line":  # one person alone over the whole period
                hood: Neighbourhood | None = Neighbourhood(kind, (person,), (0, self.problem.D))
            else:
                hood = self._neighbourhood(kind, state, rng, cells)
            if hood is None:
                self._learn(kind, "NONE", 0, 0.01)
                continue
            left = self.limits.deadline - time.perf_counter()
            if left < 0.05:
                return
            # deterministic: CP-SAT's deterministic time decides (the wall clock only as the overall deadline)
            dtime = self.limits.sub_dtime if self.limits.deterministic else None
            budget = left if dtime is not None else min(self.limits.sub_limit_s, left)
            res = self.problem.solve_sub(state, hood, budget, rng.randrange(1 << 30), dtime=dtime)
            gain = self._report(res, hood, version)
            # gain per second of wall time, or per move when deterministic (wall time depends on the machine's
            # load, and the kinds' weights decide the draws: a reproducible search must not read the clock)
            self._learn(kind, res.status, gain, 1.0 if dtime is not None else res.solve_s + res.build_s)

    # ---- neighbourhoods ----------------------------------------------------------------------------------------
    def _neighbourhood(self, kind: str, state: Any, rng: random.Random, cells: float) -> Neighbourhood | None:
        S, D = self.problem.S, self.problem.D
        if kind == "people":  # a few people over the whole period: whole lines move
            k = _clamp(round(cells / D), 2, S)
            return Neighbourhood(kind, tuple(rng.sample(range(S), k)), (0, D))
        if kind == "block":  # more people over one to four weeks
            days = rng.randint(min(D, 7), min(D, 28))
            k = _clamp(round(cells / days), 2, S)
            lo = rng.randrange(0, D - days + 1)
            return Neighbourhood(kind, tuple(rng.sample(range(S), k)), (lo, lo + days))
        if kind == "window":  # everyone (as far as the size allows) over a few days: shifts move between people
            days = _clamp(round(cells / S), 2, D)
            k = _clamp(round(cells / days), 2, S)
            lo = rng.randrange(0, D - days + 1)
            return Neighbourhood(kind, tuple(sorted(rng.sample(range(S), k))), (lo, lo + days))
        days = rng.randint(min(D, 3), min(D, 14))
        k = _clamp(round(cells / days), 2, S)
        return self.problem.focus(kind, state, rng, k, days)

    def _draw(self, rng: random.Random) -> str:
        total = sum(self.score.values()) or 1.0
        # a floor of half an equal share: the first kind to succeed must not starve the others (gain per second
        # differs by orders of magnitude between the start and later moves)
        floor = 0.5 / len(self.kinds)
        weights = [max(floor, self.score[k] / total) for k in self.kinds]
        return rng.choices(self.kinds, weights)[0]

    def _learn(self, kind: str, status: str, gain: int, seconds: float) -> None:
        lim = self.limits
        with self.lock:
            c = self.cells[kind]
            if status == "OPTIMAL":
                self.cells[kind] = min(c * 1.15, lim.max_cells)
            elif status in ("FEASIBLE", "UNKNOWN"):
                self.cells[kind] = max(c / 1.15, lim.min_cells)
            self.score[kind] = 0.8 * self.score[kind] + 0.2 * gain / max(seconds, 0.01)
            counts = self.stats.by_kind.setdefault(kind, [0, 0])
            counts[0] += 1
            counts[1] += gain > 0

    def _report(self, res: SubResult, hood: Neighbourhood, version: int) -> int:
        """Keep the sub-solve's state if the evaluator finds it lawful and no worse; the objective gain."""
        st = self.stats
        with self.lock:
            st.status[res.status] = st.status.get(res.status, 0) + 1
            st.build_s += res.build_s
            st.solve_s += res.solve_s
            if res.state is None:
                return 0
            found = res.state
            stale = version != self.version
            if stale:  # the incumbent moved on while this thread searched: apply the change to it
                found = self.problem.merge(self.state, res.state, hood)
            ev = self.problem.evaluate(found)
            if not ev.lawful or ev.objective > self.best.objective:
                st.rejected += 1
                return 0
            st.merged += stale
            gain = self.best.objective - ev.objective
            self.state, self.best = found, ev
            self.version += 1
            if gain:
                st.improved += 1
                move = Move(self.elapsed(), ev.objective, hood.kind, st.moves)
                self.trace.append(move)
                log.debug(
                    "search %s %d people %s: -> %d at %.1f s",
                    hood.kind,
                    len(hood.people),
                    hood.window,
                    ev.objective,
                    move.elapsed_s,
                )
                if self.on_improve is not None:
                    self.on_improve(move, found, ev)
            return gain


def _clamp(v: int, lo: int, hi: int) -> int:
    """v within [lo, hi]; hi wins when the range is empty (a unit of one person)."""
    return min(hi, max(lo, v))
