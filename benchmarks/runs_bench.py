"""The run-length patterns on the demo (issue 14): single work days, single days off, single nights of staff who are
not night staff and evening runs over 4, with unfilled demand and the objective, before (the three run rules OFF)
and after (their defaults), on the demo and the demo moved to Easter, the autumn clock change and Christmas.

    python -m benchmarks.runs_bench [--time-limit 60] [--workers 2] [--seeds 0 1 2] [--only Easter] [--off RULES]
    python -m benchmarks.runs_bench --workers 1 --max-moves 150 --time-limit 900   # equal effort on any load

A "single" is a series of one day whose neighbours are inside the period and not absent (the issue's count: 137
of 618 shifts on the demo); `share` is single work days (at any position) over all shifts. `--off` switches
further rules OFF in both configurations (e.g. rules still in progress, to see these three alone). Prints one line
per run and a Markdown table of the medians, with the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time

import numpy as np

from models import Instance, Roster, validate_instance
from solver import SolveOptions, solve
from solver.index import build_index
from solver.view import build_view

from .law import DEMO, moved
from .report import markdown, uptime

RUN_RULES = ("work_runs", "off_runs", "shift_runs")


def variants() -> list[tuple[str, dict]]:
    demo = json.loads(DEMO.read_text())
    return [
        ("demo (Jan 2027)", demo),
        ("demo at Easter", moved(demo, dt.date(2027, 3, 8))),
        ("demo at the clock change", moved(demo, dt.date(2027, 10, 11))),
        ("demo at Christmas", moved(demo, dt.date(2027, 12, 6))),
    ]


def series(flags: np.ndarray, border: np.ndarray) -> list[tuple[int, bool]]:
    """(length, inner) of every maximal run of `flags` per row; inner: both neighbours in the period, not border."""
    out = []
    S, D = flags.shape
    for s in range(S):
        d = 0
        while d < D:
            if not flags[s, d]:
                d += 1
                continue
            e = d
            while e + 1 < D and flags[s, e + 1]:
                e += 1
            out.append((e - d + 1, d > 0 and e + 1 < D and not border[s, d - 1] and not border[s, e + 1]))
            d = e + 1
    return out


def patterns(inst: Instance, roster: Roster) -> dict[str, float]:
    idx = build_index(inst)
    view = build_view(idx, roster.assignments)
    absent = idx.absent_day
    work = series(view.on, absent)
    shifts = int(view.on.sum())
    regular = np.array([not p.night_only for p in inst.staff])
    nights = series(view.night & regular[:, None], absent)
    evenings = series(view.on & idx.evening[np.maximum(view.shift, 0)], absent)
    return {
        "shifts": shifts,
        "single_work": sum(1 for n, inner in work if n == 1 and inner),
        "share": round(100 * sum(1 for n, _ in work if n == 1) / max(1, shifts), 1),
        "single_off": sum(1 for n, inner in series(~view.on & ~absent, absent) if n == 1 and inner),
        "single_nights": sum(1 for n, _ in nights if n == 1),
        "evenings_over_4": sum(max(0, n - 4) for n, _ in evenings),
        "unfilled": sum(u.missing for u in roster.unfilled),
        "objective": roster.score.total,
    }


def fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--only", default="", help="substring of the variant names to run")
    ap.add_argument("--off", default="", help="comma-separated rules OFF in both configurations")
    ap.add_argument("--configs", default="before,after", help="which configurations to run (before, after)")
    ap.add_argument(
        "--max-moves",
        type=int,
        help="stop the search after this many moves (with --workers 1: the same effort on any load)",
    )
    args = ap.parse_args()
    off = [r for r in args.off.split(",") if r]
    start = uptime()
    rows = []
    for name, data in variants():
        if args.only and args.only not in name:
            continue
        for config, extra_off in (("before", RUN_RULES), ("after", ())):
            if config not in args.configs.split(","):
                continue
            got = []
            for seed in args.seeds:
                d = json.loads(json.dumps(data))
                for r in (*off, *extra_off):
                    d.setdefault("rules", {}).setdefault(r, {})["level"] = "OFF"
                inst = validate_instance(d)[0]
                t0 = time.perf_counter()
                opts = SolveOptions(
                    time_limit_s=args.time_limit, workers=args.workers, seed=seed, max_moves=args.max_moves
                )
                roster = solve(inst, opts)
                m = patterns(inst, roster)
                got.append(m)
                moves = roster.solve.moves if roster.solve else None
                print(
                    name,
                    config,
                    seed,
                    json.dumps(m),
                    f"{time.perf_counter() - t0:.0f} s, {moves} moves",
                    uptime(),
                    flush=True,
                )
            med = {k: statistics.median(m[k] for m in got) for k in got[0]}
            rows.append((name, config, *(fmt(med[k]) for k in got[0])))
    cols = ["unit", "rules", "shifts", "single work days", "share %", "single days off", "single nights",
            "evenings over 4", "unfilled", "objective"]  # fmt: skip
    effort = f"{args.max_moves} moves" if args.max_moves else f"{args.time_limit:g} s"
    print(f"\n{effort}, {args.workers} workers, seeds {args.seeds} (medians)\n")
    print(markdown(cols, rows))
    print(f"\nload before: {start}\nload after: {uptime()}")


if __name__ == "__main__":
    main()
