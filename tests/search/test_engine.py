"""The search engine on small units: every accepted state is lawful and scored as the checker scores it, a
sub-problem prices exactly what the unit's objective prices, stop returns the best so far, and with one worker
and a move limit a fixed seed reproduces the search."""

from __future__ import annotations

import random
import threading
import time

import numpy as np
import pytest

from models import validate_instance
from models.generate import generate_dict
from models.tasks_generate import add_tasks
from solver import SolveOptions, check, solve
from solver.index import build_index
from solver.search.construct import construct
from solver.search.domain import DomainProblem
from solver.search.engine import Limits, Search
from solver.search.params import complete_hint, cp_solver
from solver.search.problem import Neighbourhood
from solver.search.subproblem import state_roster


@pytest.fixture(scope="module")
def unit():
    return validate_instance(add_tasks(generate_dict("small", 2, 1), 1))[0]


@pytest.fixture(scope="module")
def started(unit):
    idx = build_index(unit)
    problem = DomainProblem(unit, idx)
    state, failed = construct(problem, time.perf_counter() + 30, seed=0, workers=1)
    assert not failed
    return problem, state


def test_every_accepted_state_is_lawful_and_scored_like_the_checker(unit, started):
    problem, state = started
    accepted = []
    # the move limit ends the search (the deadline only guards a very slow machine)
    limits = Limits(deadline=time.perf_counter() + 900, max_moves=10, workers=1, seed=1, deterministic=True)
    search = Search(
        problem,
        state,
        problem.evaluate(state),
        limits,
        time.perf_counter(),
        on_improve=lambda move, st, ev: accepted.append((st, ev)),
    )
    search.run()
    assert search.stats.moves == 10
    objectives = [search.trace[0].objective] + [ev.objective for _, ev in accepted]
    assert objectives == sorted(objectives, reverse=True)  # never worse
    for st, ev in accepted + [(search.state, search.best)]:
        roster = check(unit, state_roster(problem.idx, st), problem.idx)
        assert roster.lawful and ev.lawful
        assert roster.score.total == ev.objective


def test_sub_problem_prices_the_unit_objective_up_to_a_constant(unit, started):
    """For two states that agree outside a neighbourhood, the sub-model's objective differs by exactly what the
    checker's score differs by (demand, tasks, roles and fairness made residual, nothing lost)."""
    problem, state = started
    rng = random.Random(4)
    for _ in range(3):
        people = tuple(sorted(rng.sample(range(problem.S), 3)))
        lo = rng.randrange(0, problem.D - 7)
        hood = Neighbourhood("test", people, (lo, lo + 7))
        res = problem.solve_sub(state, hood, 10.0, 0, dtime=2.0)
        assert res.state is not None
        values = []
        for st in (state, res.state):
            built = problem.build(state, people, hood.window)  # the model of `state`'s neighbourhood ...
            model = built.model
            model.clear_hints()
            hinted = problem.build(st, people, hood.window)  # ... with `st`'s values as hint
            for i, v in enumerate(hinted.model.proto.solution_hint.vars):
                model.add_hint(model.get_int_var_from_proto_index(v), hinted.model.proto.solution_hint.values[i])
            assert complete_hint(model)
            solver = cp_solver(5, 1, 0, params={"fix_variables_to_their_hinted_value": True})
            solver.solve(model)
            values.append((int(solver.objective_value), problem.evaluate(st).objective))
        (sub_a, full_a), (sub_b, full_b) = values
        assert full_a - sub_a == full_b - sub_b


def test_the_search_opens_with_every_line_once(unit, started):
    """The opening sweep: the first S moves set each person free alone over the whole period, each once."""
    problem, state = started
    seen: list = []
    real = problem.solve_sub

    def spy(st, hood, *a, **kw):
        seen.append(hood)
        return real(st, hood, *a, **kw)

    problem.solve_sub = spy
    try:
        limits = Limits(
            deadline=time.perf_counter() + 900, max_moves=problem.S + 2, workers=1, seed=3, deterministic=True
        )
        Search(problem, state, problem.evaluate(state), limits, time.perf_counter()).run()
    finally:
        del problem.solve_sub
    opening = seen[: problem.S]
    assert all(h.kind == "line" and h.window == (0, problem.D) and len(h.people) == 1 for h in opening)
    assert sorted(h.people[0] for h in opening) == list(range(problem.S))


def test_a_tasks_neighbourhood_moves_tasks_and_keeps_every_shift(unit, started):
    problem, state = started
    assert "tasks" in problem.focus_kinds
    rng = random.Random(2)
    moved = 0
    for _ in range(4):
        hood = problem.focus("tasks", state, rng, 0, 0)
        assert hood is not None and not hood.shifts and hood.window[1] - hood.window[0] in (1, 2)
        on_duty = set(np.nonzero((state.shift[:, hood.window[0] : hood.window[1]] >= 0).any(axis=1))[0].tolist())
        assert set(hood.people) == on_duty
        res = problem.solve_sub(state, hood, 10.0, 0, dtime=2.0)
        assert res.state is not None
        assert (res.state.shift == state.shift).all()  # shifts kept, on the window's days too
        moved += res.state.tasks != state.tasks
        assert problem.evaluate(res.state).objective <= problem.evaluate(state).objective
    assert moved  # the tasks did move somewhere (the constructed start leaves room)


def test_a_unit_without_tasks_draws_no_tasks_neighbourhood():
    inst = validate_instance(generate_dict("small", 2, 1))[0]
    assert "tasks" not in DomainProblem(inst, build_index(inst)).focus_kinds


def test_stop_returns_the_best_so_far(unit):
    stop = threading.Event()
    seen = []

    def on_solution(assignments, objective):
        seen.append(objective)
        stop.set()  # at the first roster (the start): whether the search improves it depends on the machine's load

    t0 = time.perf_counter()
    roster = solve(unit, SolveOptions(time_limit_s=300, workers=1, engine="lns"), on_solution=on_solution, stop=stop)
    assert time.perf_counter() - t0 < 150  # stopped long before its limit
    assert roster.lawful and roster.score.total == min(seen)


def test_one_worker_with_a_move_limit_reproduces_the_search(unit):
    opts = SolveOptions(time_limit_s=900, workers=1, seed=5, engine="lns", max_moves=6)
    a, b = solve(unit, opts), solve(unit, opts)
    assert a.solve.moves == b.solve.moves == 6
    key = lambda r: sorted((x.staff, x.date, x.shift) for x in r.assignments)  # noqa: E731
    assert key(a) == key(b) and a.score.total == b.score.total
    assert a.task_assignments == b.task_assignments and a.role_assignments == b.role_assignments


def test_replanning_starts_from_the_previous_roster(unit):
    first = solve(unit, SolveOptions(time_limit_s=60, workers=1, engine="lns", max_moves=4))
    again = solve(unit, SolveOptions(time_limit_s=60, workers=1, engine="lns", max_moves=2, hint=first.assignments))
    assert again.solve.start_objective is not None
    assert again.score.total <= again.solve.start_objective
    assert again.lawful


def test_a_time_limit_shorter_than_construction_returns_an_incomplete_roster_in_time():
    """Every phase keeps the deadline: past it nobody more is placed, and the roster says it is incomplete."""
    inst = validate_instance(generate_dict("medium", 6, 1))[0]  # 37 people: construction takes seconds
    t0 = time.perf_counter()
    roster = solve(inst, SolveOptions(time_limit_s=0.2, workers=1, engine="lns"))
    assert time.perf_counter() - t0 < 5  # index and checker around a construction cut at the limit
    assert roster.solve.status == "INCOMPLETE" and not roster.lawful
    assert {v.rule for v in roster.violations if v.level == "REQUIRED"}  # the unplaced people are named


def test_late_gain_is_the_share_gained_after_a_time():
    from solver.run import late_gain
    from solver.search.engine import Move

    trace = [Move(0.0, 1000, "start", 0), Move(5.0, 800, "people", 3), Move(9.0, 760, "block", 7)]
    assert late_gain(trace, 8.0) == 0.05  # 800 -> 760 after 8 s
    assert late_gain(trace, 9.5) == 0.0


def test_sub_problem_reads_what_people_could_work_in_the_unit(unit, started):
    """A sub-problem's `allowed` pins the cells outside its window; the rules that depend on what a person could
    work at all (tariff Sundays available, the 54 h windows' shift types) read `unit_allowed` / `unit_types`, the
    same as on the whole unit, so the sub-model reads each person's tariff week as the unit's audit does."""
    from solver.rules.contract_hours import sunday_available
    from solver.search.subproblem import sub_problem

    problem, state = started
    people = list(range(0, problem.S, 2))
    sub = sub_problem(problem.idx, state, people, (3, 6)).idx
    assert not (sub.allowed == problem.idx.allowed[people]).all()  # the window restricts
    assert (sub.unit_allowed == problem.idx.allowed[people]).all()
    assert (sub.unit_types == problem.idx.allowed[people].any(axis=1)).all()
    assert (sunday_available(sub) == sunday_available(problem.idx)[people]).all()
