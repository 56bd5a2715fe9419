"""Construction: a line is built within the person's priced maximum of shifts (total_assignments) while others
can take the slots, and without that cap when the cap leaves no lawful line."""

from __future__ import annotations

import time

import numpy as np

from helpers import tiny
from solver.index import build_index
from solver.search.construct import construct
from solver.search.domain import DomainProblem

RULE = "total_assignments"
EVERY_DAY_ONE_IDEAL = [{"shift": "D", "dates": None, "slots": [{"min": 0, "ideal": 1}]}]


def constructed(pinned=()) -> np.ndarray:
    """Shifts per person after construction: two people, one wanted D a day (ideal, 200 each), at most 4 shifts
    each (20 per shift over)."""
    unit = tiny(
        2,
        shifts=("D",),
        active=["demand_coverage", RULE],
        demand=EVERY_DAY_ONE_IDEAL,
        rules={RULE: {"level": "PREFERRED", "max_shifts": 4}},
        pinned=pinned,
    )
    idx = build_index(unit)
    state, failed = construct(DomainProblem(unit, idx), time.perf_counter() + 30, seed=0, workers=1)
    assert not failed
    return (state.shift >= 0).sum(axis=1)


def test_the_first_line_leaves_what_is_over_its_maximum_to_the_next_person():
    # uncapped, the first person placed would take all 7 days (a wanted slot is worth more than a shift over)
    assert sorted(constructed().tolist()) == [3, 4]


def test_a_cap_that_the_pins_break_falls_back_to_the_priced_line():
    worked = constructed(pinned=[("p1", d, "D") for d in range(5)])
    assert worked[0] >= 5 and worked.sum() <= 7
