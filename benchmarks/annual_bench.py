"""Årsturnus benchmark (issue 14, not a test): a 52-week year plan with everyone's 5 weeks of ferie and the year's
holidays, through `solver.solve` (the rolled grunnturnus, repaired, then the LNS: solver/search/annual.py).

    python -m benchmarks.annual_bench [--cases medium:52:300,large:52:600] [--workers 2] [--seed 1] [--out FILE]
                                      [--offer SECONDS]

Each case is `size:weeks:time limit` and runs in its own process (so peak RSS is the run's own). Columns: staff,
status, first lawful roster (s: the repaired start), the base plan's time, person-days the repair changed against
the rolled plan, unfilled person-shifts, objective, lawful, vacant hours (the year's open shifts, per shift and ward the
slot missing most people, in hours) and the hours the part-timers want on top of their position (desired % -
position %, pro rata for the days they are not away): what the vacant hours could be offered to. The machine
and its load (`uptime`) before and after head the table.

`--offer S` then offers the vacant hours to those part-timers (scenarios/runner.py `offer_vacant_hours`: each
vacant person-shift's hours to the qualified part-timer with most room below her desired %, positions raised by
what they were given) and re-plans the year in S seconds from the plan (each raised person's line repaired around
what breaks, everyone else's kept), and adds the table's second half: hours given (contract hours gained), people
raised, heltidsandel and mean position % before and after, and after the re-plan the vacant hours, unfilled
person-shifts, person-days changed and lawfulness.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from .report import markdown, uptime


class _Grab(logging.Handler):
    """Keeps the årsturnus path's log records (base plan time, changed person-days)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("årsturnus"):
            self.records.append(record)


def vacant_hours(inst, roster) -> tuple[float, float]:
    """(open hours of the roster: the scenario KPI `vacant_hours`, per date, shift and ward the slot missing most
    people × the shift's work hours; hours part-timers want beyond their position over the days they are not
    away)."""
    from scenarios.kpis import vacant
    from solver.index import build_index
    from solver.view import build_view

    idx = build_index(inst)
    vacant_h = vacant(build_view(idx, roster.assignments))[1]
    avail = idx.D - idx.absent_day.sum(axis=1)
    wanted = sum(
        max(0.0, (s.desired_pct or s.position_pct) - s.position_pct) / 100 * 35.5 * int(avail[i]) / 7
        for i, s in enumerate(inst.staff)
    )
    return round(vacant_h), round(wanted)


def offer(inst, roster, limit: float, workers: int, seed: int) -> dict:
    """Offer the vacant hours to part-timers who want more (`offer_vacant_hours`: positions raised by the hours
    they qualify for) and re-plan the year from the plan (the raised people's lines repaired, the rest kept); the
    figures before and after."""
    from scenarios.kpis import scenario_kpis
    from scenarios.runner import offer_vacant_hours, position_changes, with_positions
    from scenarios.spec import RaisePositionsOp
    from solver import SolveOptions, solve

    before, _ = scenario_kpis(inst, roster)
    pct = {s.id: s.position_pct for s in inst.staff}
    t0 = time.perf_counter()
    raised = with_positions(inst, offer_vacant_hours(inst, roster, RaisePositionsOp(op="raise_positions"), pct))
    offer_s = time.perf_counter() - t0
    changes = position_changes(inst, raised)
    again = solve(raised, SolveOptions(time_limit_s=limit, workers=workers, seed=seed, hint=roster.assignments))
    after, _ = scenario_kpis(raised, again)
    moved = {(a.staff, a.date, a.shift) for a in roster.assignments} ^ {
        (a.staff, a.date, a.shift) for a in again.assignments
    }
    return {
        "offer_s": round(offer_s, 1),
        "given_h": round(sum(c.extra_hours for c in changes)),
        "raised": len(changes),
        "heltid_before": before["heltidsandel"],
        "heltid_after": after["heltidsandel"],
        "pct_before": round(before["mean_position_pct"], 1),
        "pct_after": round(after["mean_position_pct"], 1),
        "vacant_after_h": round(after["vacant_hours"]),  # the same KPI as `vacant_hours`
        "unfilled_after": int(sum(u.missing for u in again.unfilled)),
        "changed_after": len({(k[0], k[1]) for k in moved}),
        "lawful_after": again.lawful,
        "replan_s": again.solve.wall_time_s if again.solve else None,
    }


def run_one(size: str, weeks: int, limit: float, workers: int, seed: int, offer_s: float = 0.0) -> dict:
    import resource

    from models.generate import generate
    from solver import SolveOptions, solve

    grab = _Grab()
    logging.getLogger("turnus.search").addHandler(grab)
    logging.getLogger("turnus.search").setLevel(logging.INFO)
    inst = generate(size, weeks=weeks, seed=seed)
    t0 = time.perf_counter()
    roster = solve(inst, SolveOptions(time_limit_s=limit, workers=workers, seed=seed))
    wall = time.perf_counter() - t0
    info = roster.solve
    base = next((r for r in grab.records if "base plan" in str(r.msg)), None)
    rep = next((r for r in grab.records if "repaired" in str(r.msg)), None)
    vacant, wanted = vacant_hours(inst, roster)
    offered = offer(inst, roster, offer_s, workers, seed) if offer_s else {}
    return {
        "unit": size,
        "weeks": weeks,
        "staff": len(inst.staff),
        "limit_s": limit,
        "workers": workers,
        "status": info.status if info else None,
        "wall_s": round(wall, 1),
        "first_s": info.first_solution_s if info else None,
        "base_s": round(base.args[3], 1) if base is not None and base.args else None,  # type: ignore[index]
        "changed": rep.args[3] if rep is not None and rep.args else None,  # type: ignore[index]
        "unfilled": int(sum(u.missing for u in roster.unfilled)),
        "objective": roster.score.total,
        "lawful": roster.lawful,
        "moves": info.moves if info else None,
        "vacant_h": vacant,
        "wanted_h": wanted,
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **offered,
    }


def measure(size: str, weeks: int, limit: float, workers: int, seed: int, offer_s: float = 0.0) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.annual_bench", "--child", size, str(weeks), str(limit), str(workers)]
    cmd += [str(seed), str(offer_s)]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}).stdout
    return json.loads(out.strip().splitlines()[-1])


COLS = [
    "unit",
    "weeks",
    "staff",
    "limit_s",
    "workers",
    "status",
    "first_s",
    "base_s",
    "changed",
    "unfilled",
    "objective",
    "lawful",
    "moves",
    "vacant_h",
    "wanted_h",
    "rss_mb",
]
OFFER_COLS = [
    "unit",
    "offer_s",
    "given_h",
    "raised",
    "heltid_before",
    "heltid_after",
    "pct_before",
    "pct_after",
    "vacant_h",
    "vacant_after_h",
    "unfilled_after",
    "changed_after",
    "lawful_after",
    "replan_s",
]


def fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def table(rows: list[dict], cols: list[str] = COLS) -> str:
    return markdown(cols, ([fmt(r.get(c)) for c in cols] for r in rows))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        size, weeks, limit, workers, seed = argv[1], int(argv[2]), float(argv[3]), int(argv[4]), int(argv[5])
        print(json.dumps(run_one(size, weeks, limit, workers, seed, float(argv[6]))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="medium:52:300,large:52:600", help="size:weeks:limit, comma separated")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--offer", type=float, default=0.0, help="offer the vacant hours, then solve this many seconds")
    a = ap.parse_args(argv)
    head = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; before: {uptime()}"
    print(head, flush=True)
    rows = []
    for case in a.cases.split(","):
        size, weeks, limit = case.split(":")
        row = measure(size, int(weeks), float(limit), a.workers, a.seed, a.offer)
        rows.append(row)
        print(table([row]).splitlines()[-1], flush=True)
    text = f"{head}\nafter: {uptime()}\n\n{table(rows)}\n"
    if a.offer:
        text += f"\nVacant hours offered to part-timers, then the year re-planned in {a.offer:g} s from the plan\n\n"
        text += f"{table(rows, OFFER_COLS)}\n"
    print(text)
    if a.out:
        a.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
