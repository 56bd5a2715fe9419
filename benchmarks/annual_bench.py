"""Årsturnus benchmark (issue 14, not a test): a 52-week year plan with everyone's 5 weeks of ferie and the year's
holidays, through `solver.solve` (the rolled grunnturnus, repaired, then the LNS: solver/search/annual.py).

    python -m benchmarks.annual_bench [--cases medium:52:300,large:52:600] [--workers 2] [--seed 1] [--out FILE]

Each case is `size:weeks:time limit` and runs in its own process (so peak RSS is the run's own). Columns: staff,
status, first lawful roster (s: the repaired start), the base plan's time, person-days the repair changed against
the rolled plan, unfilled person-shifts, objective, lawful, vacant hours (the year's open shifts, per shift the
slot missing most people, in hours) and the hours the part-timers want on top of their position (desired % -
position %, pro rata for the days they are not away): what the vacant hours could be offered to. The machine
and its load (`uptime`) before and after head the table.
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
    """(open hours of the roster: per date and shift the slot missing most people × the shift's work hours;
    hours part-timers want beyond their position over the days they are not away)."""
    from solver.index import build_index

    work = {t.code: t.work_min for t in inst.shift_types}
    most: dict[tuple, int] = {}
    for u in roster.unfilled:
        key = (u.date, u.shift)
        most[key] = max(most.get(key, 0), u.missing)
    vacant = sum(n * work[shift] for (_, shift), n in most.items()) / 60
    idx = build_index(inst)
    avail = idx.D - idx.absent_day.sum(axis=1)
    wanted = sum(
        max(0.0, (s.desired_pct or s.position_pct) - s.position_pct) / 100 * 35.5 * int(avail[i]) / 7
        for i, s in enumerate(inst.staff)
    )
    return round(vacant), round(wanted)


def run_one(size: str, weeks: int, limit: float, workers: int, seed: int) -> dict:
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
    }


def measure(size: str, weeks: int, limit: float, workers: int, seed: int) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.annual_bench", "--child", size, str(weeks), str(limit), str(workers)]
    cmd.append(str(seed))
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


def fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def table(rows: list[dict]) -> str:
    return markdown(COLS, ([fmt(r.get(c)) for c in COLS] for r in rows))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        size, weeks, limit, workers, seed = argv[1], int(argv[2]), float(argv[3]), int(argv[4]), int(argv[5])
        print(json.dumps(run_one(size, weeks, limit, workers, seed)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="medium:52:300,large:52:600", help="size:weeks:limit, comma separated")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    head = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; before: {uptime()}"
    print(head, flush=True)
    rows = []
    for case in a.cases.split(","):
        size, weeks, limit = case.split(":")
        row = measure(size, int(weeks), float(limit), a.workers, a.seed)
        rows.append(row)
        print(table([row]).splitlines()[-1], flush=True)
    text = f"{head}\nafter: {uptime()}\n\n{table(rows)}\n"
    print(text)
    if a.out:
        a.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
