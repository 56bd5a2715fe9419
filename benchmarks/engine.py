"""Search-engine benchmark (not a test): what `solver.solve` delivers at a user's budget against a long run of the
same engine, on the units of issue 11.

    python -m benchmarks.engine [--cases large-tasks,demo-tasks] [--short 60] [--long 600] [--workers 2]
                                [--busy] [--out benchmarks/ENGINE.md]

Each run is its own process (so peak RSS is the run's own). Columns: status, first lawful roster (s), unfilled
person-shifts, objective, gap to the long run, roles filled, task slots assigned, carers per user per 14 days,
peak RSS. `--busy` runs every case beside a second solve of the same unit (a busy machine: two solves on two
cores). The machine and its load (`uptime`) head the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from .report import markdown, uptime

CASES = {
    # (generator size, weeks, seed, tasks) or the bundled demo with tasks
    "large-tasks": ("large", 6, 1, True),
    "medium-tasks": ("medium", 6, 1, True),
    "demo-tasks": ("demo", 6, 0, True),
    "large": ("large", 6, 1, False),
}


def load_case(name: str):
    from models import Instance

    size, weeks, seed, tasks = CASES[name]
    if size == "demo":
        path = Path(__file__).resolve().parent.parent / "models" / "data" / "demo_tasks.json"
        return Instance.model_validate_json(path.read_text())
    from models import validate_instance
    from models.generate import generate_dict
    from models.tasks_generate import add_tasks

    data = generate_dict(size, weeks, seed)
    if tasks:
        data = add_tasks(data, seed)
    return validate_instance(data)[0]


def run_one(name: str, limit: float, workers: int, seed: int) -> dict:
    """One solve in this process; returns the row as a dict (called in a child process)."""
    import resource

    from solver import SolveOptions, solve

    inst = load_case(name)
    t0 = time.perf_counter()
    roster = solve(inst, SolveOptions(time_limit_s=limit, workers=workers, seed=seed))
    info = roster.solve
    k = roster.kpis
    return {
        "case": name, "limit_s": limit, "workers": workers, "status": info.status if info else None,
        "wall_s": round(time.perf_counter() - t0, 1),
        "first_s": info.first_solution_s if info else None,
        "unfilled": int(sum(u.missing for u in roster.unfilled)), "objective": roster.score.total,
        "start": info.start_objective if info else None, "moves": info.moves if info else None,
        "lawful": roster.lawful, "roles": k.get("roles_filled_share"), "tasks": k.get("task_slots_assigned_share"),
        "carers14": k.get("carers_per_user_14d_mean"),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def child(name: str, limit: float, workers: int, seed: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "benchmarks.engine", "--child", name, str(limit), str(workers), str(seed)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})


def measure(name: str, limit: float, workers: int, seed: int, busy: bool) -> dict:
    noise = child(name, limit, workers, seed + 1) if busy else None
    proc = child(name, limit, workers, seed)
    out, _ = proc.communicate()
    if noise is not None:
        noise.communicate()
    row = json.loads(out.strip().splitlines()[-1])
    row["busy"] = busy
    return row


def fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if v < 10 else f"{v:.1f}"
    return str(v)


COLS = ["case", "limit_s", "busy", "status", "first_s", "unfilled", "objective", "gap", "roles", "tasks", "carers14",
        "moves", "rss_mb"]


def table(rows: list[dict]) -> str:
    return markdown(COLS, ([fmt(r.get(c)) for c in COLS] for r in rows))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        name, limit, workers, seed = argv[1], float(argv[2]), int(argv[3]), int(argv[4])
        print(json.dumps(run_one(name, limit, workers, seed)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="large-tasks,demo-tasks")
    ap.add_argument("--short", default="60", help="user budgets, comma separated (s)")
    ap.add_argument("--long", type=float, default=600.0, help="reference run (s); 0 = none")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--busy", action="store_true", help="also run each short budget beside a second solve")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    head = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; before: {uptime()}"
    print(head)
    rows = []
    for name in a.cases.split(","):
        ref = measure(name, a.long, a.workers, a.seed, False) if a.long else None
        budgets = [float(b) for b in a.short.split(",")]
        for limit in budgets:
            for busy in ([False, True] if a.busy else [False]):
                row = measure(name, limit, a.workers, a.seed, busy)
                if ref is not None:
                    row["gap"] = round((row["objective"] - ref["objective"]) / max(1, ref["objective"]), 4)
                rows.append(row)
                print(table([row]).splitlines()[-1], flush=True)
        if ref is not None:
            ref["gap"] = 0.0
            rows.append(ref)
            print(table([ref]).splitlines()[-1], flush=True)
    text = f"{head}\nafter: {uptime()}\n\n{table(rows)}\n"
    print(text)
    if a.out:
        a.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
