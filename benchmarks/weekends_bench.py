"""The weekend pattern rules (issue 14) on the demo: the same unit solved with the rules OFF and at their
defaults, seed by seed, with the issue's figures.

    python -m benchmarks.weekends_bench [--time-limit 60] [--workers 2] [--seeds 0 1 2] [--unit X.json]
                                        [--at easter|autumn|christmas]

Figures per run: split weekends (a half worked when a shift overlaps that calendar day, complete_weekends'
default reading), regular staff (position ≥ 50 %, not night-only) with no weekend or holiday while a peer of the
same position % works 2 or more, unfilled person-shifts, objective, first lawful roster, and the penalties of the
new rules. Prints a Markdown table with the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import numpy as np

from models import Instance, validate_instance
from solver import SolveOptions, solve
from solver.index import build_index
from solver.rules.complete_weekends import half_flags, weekend_halves
from solver.rules.fair_unsocial import pool
from solver.rules.weekends import audit_flags, unsocial_spans
from solver.view import build_view

from .law import moved
from .report import markdown, uptime

DEMO = Path(__file__).resolve().parent.parent / "models" / "data" / "demo.json"
AT = {"easter": dt.date(2027, 3, 8), "autumn": dt.date(2027, 10, 11), "christmas": dt.date(2027, 12, 6)}
RULES = ("complete_weekends", "max_working_weekends", "fair_weekends", "shift_mix_week", "forward_rotation")


def figures(inst: Instance, roster) -> tuple[int, int]:
    """(split weekends, regular staff with 0 weekends/holidays while a peer of their position % works 2+)."""
    idx = build_index(inst)
    view = build_view(idx, roster.assignments)
    sat, sun = half_flags(view, weekend_halves(idx, True))
    worked = audit_flags(view, unsocial_spans(idx)).sum(axis=1)
    by_pct: dict[float, list[int]] = {}
    for s in pool(idx):
        by_pct.setdefault(inst.staff[s].position_pct, []).append(s)
    zero = sum(int((worked[g] == 0).sum()) for g in by_pct.values() if worked[g].max() >= 2)
    return int(np.sum(sat ^ sun)), zero


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--unit", type=Path, default=DEMO)
    ap.add_argument("--at", choices=sorted(AT), help="move the unit to Easter, the autumn clock change or Christmas")
    ap.add_argument("--configs", default="OFF,defaults", help="which configurations to run (OFF, defaults)")
    args = ap.parse_args()
    data = json.loads(args.unit.read_text())
    if args.at:
        data = moved(data, AT[args.at])
    before = uptime()
    rows = []
    for label in [c for c in ("OFF", "defaults") if c in args.configs.split(",")]:
        unit = json.loads(json.dumps(data))
        if label == "OFF":
            for r in RULES:
                unit.setdefault("rules", {}).setdefault(r, {})["level"] = "OFF"
        inst = validate_instance(unit)[0]
        for seed in args.seeds:
            t0 = time.perf_counter()
            roster = solve(inst, SolveOptions(time_limit_s=args.time_limit, workers=args.workers, seed=seed, gap=0.005))
            wall = time.perf_counter() - t0
            split, zero = figures(inst, roster)
            pen = {r.rule: r.penalty for r in roster.score.rules}
            rows.append(
                (
                    label,
                    seed,
                    split,
                    zero,
                    sum(u.missing for u in roster.unfilled),
                    roster.score.total,
                    roster.solve.first_solution_s if roster.solve else "",
                    " ".join(f"{r} {pen[r]}" for r in RULES if pen.get(r)),
                    f"{wall:.0f}",
                )
            )
            print(" | ".join(map(str, rows[-1])), flush=True)
    cols = [
        "rules",
        "seed",
        "split weekends",
        "0 weekends (peers 2+)",
        "unfilled",
        "objective",
        "first s",
        "new rules",
        "wall s",
    ]
    print(f"\n{markdown(cols, rows)}\n\nload before: {before}\nload after: {uptime()}")


if __name__ == "__main__":
    main()
