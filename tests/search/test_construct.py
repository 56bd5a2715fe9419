"""Construction: a line is built within the person's priced maximum of shifts (total_assignments) while others
can take the slots, and without that cap when it leaves no lawful line; the mates neighbourhood."""

from __future__ import annotations

import random
import time

import numpy as np

from helpers import person, tiny
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
    return (line_state(unit).shift >= 0).sum(axis=1)


def line_state(unit):
    state, failed = construct(DomainProblem(unit, build_index(unit)), time.perf_counter() + 30, seed=0, workers=1)
    assert not failed
    return state


def test_the_first_line_leaves_what_is_over_its_maximum_to_the_next_person():
    # uncapped, the first person placed would take all 7 days (a wanted slot is worth more than a shift over)
    assert sorted(constructed().tolist()) == [3, 4]


def test_a_cap_that_the_pins_break_falls_back_to_the_priced_line():
    worked = constructed(pinned=[("p1", d, "D") for d in range(5)])
    assert worked[0] >= 5 and worked.sum() <= 7


def test_a_mates_neighbourhood_takes_the_priced_person_with_people_who_fill_her_slots():
    staff = [person(sid, competences=[{"code": sid[0].upper()}]) for sid in ("a1", "b1", "a2", "b2")]
    slots = [{"competences": ["A"], "min": 1}, {"competences": ["B"], "min": 1}]
    unit = tiny(staff, shifts=("D",), active=["demand_coverage", RULE], rules={RULE: {"level": "PREFERRED",
                "max_shifts": 1}}, demand=[{"shift": "D", "dates": None, "slots": slots}])
    problem = DomainProblem(unit, build_index(unit))
    assert "mates" in problem.focus_kinds  # half the pairs share no slot
    state = problem.empty_state()
    state.shift[0, :] = 0  # a1 works all week: 6 over her maximum, the only priced person
    rng = random.Random(0)
    for _ in range(5):
        hood = problem.focus("mates", state, rng, people=2, days=3)
        assert hood is not None and hood.people == (0, 2) and hood.window[1] - hood.window[0] == 3
    assert problem.focus("mates", problem.empty_state(), rng, people=2, days=3) is None  # nothing priced


def test_no_mates_kind_where_everyone_can_fill_everyone_s_slots():
    unit = tiny(2, shifts=("D",), active=["demand_coverage"], demand=EVERY_DAY_ONE_IDEAL)
    assert "mates" not in DomainProblem(unit, build_index(unit)).focus_kinds


def test_construction_order_least_versatile_first_with_exclusive_slots():
    """Each person filling one slot (exclusive_slots): people qualifying for fewer kinds of slot are placed first.
    Counting in every slot they qualify for (the default): the scarce first (nurses before the unskilled)."""
    from models.generate import generate
    from solver.search.construct import order

    inst = generate("small", weeks=2, seed=1)
    idx = build_index(inst)
    labels = [len({r.label for r in idx.requirements if s in r.members.tolist()}) for s in range(idx.S)]
    assert len(set(labels)) > 1  # the unit has people of different versatility
    scarce_first = order(idx)
    assert [labels[s] for s in scarce_first] != sorted(labels)  # the default does not sort by versatility
    exclusive = inst.model_copy(
        update={
            "rules": inst.rules.model_copy(
                update={"demand_coverage": inst.rules.demand_coverage.model_copy(update={"exclusive_slots": True})}
            )
        }
    )
    versatile_last = order(build_index(exclusive))
    assert [labels[s] for s in versatile_last] == sorted(labels)
    # within the same versatility the scarce order holds
    assert [s for s in versatile_last if labels[s] == 1] == [s for s in scarce_first if labels[s] == 1]
