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
              block: int = 1, stop_frac: float = 0.0, deadline: float | None = None) -> Roster | None:
    """Return a lawful roster, or None if some employee has no lawful line on their own.

    Each block of employees gets ``per_block`` seconds but stops at the first solution
    found after ``stop_frac`` of it; a block without any solution gets 4× more time, repeatedly.
    """
    rng = random.Random(seed)
    roster: Roster = [[-1] * instance.horizon for _ in range(instance.n_staff)]
    order = list(range(instance.n_staff))
    rng.shuffle(order)
    for i in range(0, len(order), block):
        if deadline is not None and time.perf_counter() > deadline:
            return None
        group = order[i : i + block]
        sub = CurtoisModel(instance, free=group, base=roster)
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
    return roster


if __name__ == "__main__":  # pragma: no cover - manual timing aid
    import sys

    from .evaluator import evaluate
    from .reader import read_instance
    from .writer import roster_to_cells

    inst = read_instance(sys.argv[1])
    t0 = time.perf_counter()
    r = construct(inst, block=int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    ev = evaluate(inst, roster_to_cells(r)) if r else None
    print(f"{inst.name}: constructed in {time.perf_counter() - t0:.1f}s, objective "
          f"{ev and ev.objective}, lawful {ev and ev.lawful}")
