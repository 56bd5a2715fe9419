"""Fast lawful starting roster: one small CP-SAT model per employee, one thread per worker.

Why: every hard rule in this benchmark is per employee; only the cover penalty couples
employees.  On the 182- and 364-day instances the monolithic model takes tens of seconds
to build and (at 2 workers) may find no roster at all within a minute, whereas each
one-employee model is built and solved in a fraction of a second.  Employees are solved
against the cover left by the ones already placed (those not yet placed count as off), which
makes the start greedy-good rather than just lawful.  With several threads two employees
may be solved against the same residual cover; that costs a little quality and halves the
time (CP-SAT releases the GIL while it searches).

Each one-employee solve runs one CP-SAT worker in local-search-only mode (``use_ls_only``):
a single default worker's time to a first line is heavy-tailed on the tight minute bands of
Instances 21/23 (often none in 5 s), local search finds one in 0.07 s (21) / 0.35 s (23),
as fast as two full workers (RESULTS.md, item 10).
"""

from __future__ import annotations

import random
import threading
import time

from .lines import best_line_for
from .model import CurtoisModel
from .reader import Instance
from .writer import Roster

LINE_PARAMS: dict = {"use_ls_only": True}


def construct(instance: Instance, seed: int = 0, per_block: float = 0.3, workers: int = 2,
              stop_frac: float = 0.0, deadline: float | None = None,
              hint_similar: bool = True, dp_threads: int = 0) -> Roster | None:
    """Return a lawful roster, or None if some employee has no lawful line (or time ran out).

    Each employee gets ``per_block`` seconds but stops at the first line found after
    ``stop_frac`` of it; an employee without any line gets 4× more time, repeatedly.
    ``dp_threads`` of the threads give their employees the DP-best line instead (lines.py: a better line, slower
    on long horizons), falling back to CP-SAT when the DP finds none.
    """
    rng = random.Random(seed)
    roster: Roster = [[-1] * instance.horizon for _ in range(instance.n_staff)]
    order = list(range(instance.n_staff))
    rng.shuffle(order)
    queue = list(reversed(order))
    done_lines: dict[tuple, list[int]] = {}  # contract -> a lawful line already found
    lock = threading.Lock()
    failed = threading.Event()

    dp_seeds: set[int] = set()

    def work(thread_seed: int) -> None:
        trng = random.Random(thread_seed)
        while not failed.is_set():
            with lock:
                if not queue:
                    return
                e = queue.pop()
                base = [list(r) for r in roster]
                similar = done_lines.get(_contract(instance, e)) if hint_similar else None
            line = best_line_for(instance, e, base) if thread_seed in dp_seeds else None
            if line is None:
                line = _solve_line(instance, e, base, similar, per_block, stop_frac, deadline, trng)
            with lock:
                if line is None:
                    failed.set()
                    return
                roster[e] = line
                done_lines[_contract(instance, e)] = line

    run_threads(work, workers, rng, dp_seeds, dp_threads)
    return None if failed.is_set() else roster


def run_threads(target, n: int, rng: random.Random, marked: set[int] | None = None, n_marked: int = 0) -> None:
    """Run ``target(seed)`` in ``max(1, n)`` threads, each with its own seed drawn from ``rng``, and wait; the
    seeds of the first ``n_marked`` threads go into ``marked``."""
    seeds = [rng.randrange(1 << 30) for _ in range(max(1, n))]
    if marked is not None:
        marked.update(seeds[:n_marked])
    threads = [threading.Thread(target=target, args=(seed,), daemon=True) for seed in seeds]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def _solve_line(instance: Instance, e: int, base: Roster, similar: list[int] | None, per_block: float,
                stop_frac: float, deadline: float | None, rng: random.Random) -> list[int] | None:
    sub = CurtoisModel(instance, free=[e], base=base)
    if similar is not None:
        # Hint a line found for a colleague with the same contract (days off and forbidden
        # types blanked): most of it is usually lawful, so CP-SAT repairs it instead of
        # searching a 364-day line from scratch.
        allowed = [set(instance.allowed(e, d)) for d in range(instance.horizon)]
        trial = [list(r) for r in base]
        trial[e] = [s if s in allowed[d] else -1 for d, s in enumerate(similar)]
        sub.hint(trial)
    limit, stop = per_block, stop_frac * per_block
    while True:
        if deadline is not None:
            limit = min(limit, deadline - time.perf_counter())
            if limit <= 0:
                return None
        res = sub.solve(limit, 1, rng.randrange(1 << 30), stop_after=stop, extra_params=LINE_PARAMS)
        if res.roster is not None:
            return res.roster[e]
        if res.status == "INFEASIBLE" or limit >= 60:
            return None
        limit, stop = limit * 4, 0.0  # hard lines (tight minute band): first solution


def _contract(instance: Instance, e: int) -> tuple:
    st = instance.staff[e]
    return (st.max_minutes, st.min_minutes, st.max_consecutive, st.min_consecutive, st.min_days_off,
            st.max_weekends)


if __name__ == "__main__":  # pragma: no cover - manual timing aid
    import sys

    from .evaluator import evaluate
    from .reader import read_instance
    from .writer import roster_to_cells

    inst = read_instance(sys.argv[1])
    stop_frac = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    t0 = time.perf_counter()
    r = construct(inst, stop_frac=stop_frac)
    ev = evaluate(inst, roster_to_cells(r)) if r else None
    print(f"{inst.name}: constructed in {time.perf_counter() - t0:.1f}s, objective "
          f"{ev and ev.objective}, lawful {ev and ev.lawful}")
