"""Fast lawful starting roster: one small CP-SAT model per employee, in sequence.

Why: every hard rule in this benchmark is per employee; only the cover penalty couples
employees.  On the 182- and 364-day instances the monolithic model takes tens of seconds
to build and (at 2 workers) may find no roster at all within a minute, whereas each
one-employee model is built and solved in a fraction of a second.  Employees are solved
one after another against the cover left by the ones already placed (later ones count as
off), which makes the start greedy-good rather than just lawful.
"""

from __future__ import annotations

import random
import time

from .model import CurtoisModel
from .reader import Instance
from .writer import Roster


def construct(instance: Instance, seed: int = 0, per_block: float = 0.3, workers: int = 2,
              block: int = 1, stop_frac: float = 0.0, deadline: float | None = None,
              hint_similar: bool = True) -> Roster | None:
    """Return a lawful roster, or None if some employee has no lawful line on their own.

    Each block of employees gets ``per_block`` seconds but stops at the first solution
    found after ``stop_frac`` of it; a block without any solution gets 4× more time, repeatedly.
    """
    rng = random.Random(seed)
    roster: Roster = [[-1] * instance.horizon for _ in range(instance.n_staff)]
    order = list(range(instance.n_staff))
    rng.shuffle(order)
    done_lines: dict[tuple, list[int]] = {}  # contract -> a lawful line already found
    for i in range(0, len(order), block):
        if deadline is not None and time.perf_counter() > deadline:
            return None
        group = order[i : i + block]
        sub = CurtoisModel(instance, free=group, base=roster)
        if hint_similar:
            # Hint a line found for a colleague with the same contract (days off and
            # forbidden types blanked): most of it is usually lawful, so CP-SAT repairs it
            # instead of searching a 364-day line from scratch.
            trial = [list(r) for r in roster]
            hinted = False
            for e in group:
                line = done_lines.get(_contract(instance, e))
                if line is not None:
                    allowed = [set(instance.allowed(e, d)) for d in range(instance.horizon)]
                    trial[e] = [s if s in allowed[d] else -1 for d, s in enumerate(line)]
                    hinted = True
            if hinted:
                sub.hint(trial)
        limit, stop = per_block, stop_frac * per_block
        res = sub.solve(limit, workers, rng.randrange(1 << 30), stop_after=stop)
        while res.roster is None and res.status != "INFEASIBLE" and limit < 60:
            if deadline is not None and time.perf_counter() > deadline:
                return None
            limit, stop = limit * 4, 0.0  # hard lines (tight minute band): first solution
            res = sub.solve(limit, workers, rng.randrange(1 << 30), stop_after=stop)
        if res.roster is None:
            return None
        for e in group:
            roster[e] = res.roster[e]
            done_lines[_contract(instance, e)] = roster[e]
    return roster


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
    t0 = time.perf_counter()
    r = construct(inst, hint_similar=len(sys.argv) < 3 or sys.argv[2] != "nohint")
    ev = evaluate(inst, roster_to_cells(r)) if r else None
    print(f"{inst.name}: constructed in {time.perf_counter() - t0:.1f}s, objective "
          f"{ev and ev.objective}, lawful {ev and ev.lawful}")
