"""Hot-path benchmark (not a test): model build, time to first lawful roster, time to within 1 % of the
bound, and checker throughput (full report and score only), on the generated small/medium/large units.

    python -m benchmarks.hotpath [--sizes small,medium,large] [--weeks 6] [--time-limit 60] [--workers 2]

Prints a table (and writes it as Markdown with --out) so runs can be compared; ratios against the aims of
issue 3 are in the last columns (<= 1.0 means the aim is met).
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np

from models.generate import generate
from solver import SolveOptions, solve
from solver.build import build_model
from solver.checker import check, check_view, score_view
from solver.index import build_index
from solver.view import build_view_arrays

from .report import markdown

AIM_BUILD_S = 1.0  # model build for the large unit
AIM_LAWFUL_S = {"medium": 5.0, "large": 60.0}
AIM_CHECK_PER_S = 1_000_000


def time_it(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench(size: str, weeks: int, time_limit: float, workers: int, seed: int) -> dict:
    inst = generate(size, weeks, seed)
    idx = build_index(inst)
    build_s = time_it(lambda: build_model(inst, idx), repeat=2)
    ctx = build_model(inst, idx)
    n_vars, n_cons = len(ctx.model.proto.variables), len(ctx.model.proto.constraints)

    trace: list[tuple[float, int, int]] = []
    roster = solve(inst, SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed),
                   on_progress=lambda p: trace.append((p.elapsed_s, p.objective, p.bound)))
    bound = roster.solve.bound if roster.solve and roster.solve.bound is not None else 0
    within = next((t for t, obj, _ in trace if bound and obj <= bound * 1.01 + 1), None)

    # checker throughput on arrays (the numpy core) and end to end from pydantic assignments
    s_idx = np.array([idx.staff_pos[a.staff] for a in roster.assignments])
    d_idx = np.array([idx.date_pos[a.date] for a in roster.assignments])
    t_idx = np.array([idx.shift_pos[a.shift] for a in roster.assignments])
    n = len(roster.assignments)
    core_s = time_it(lambda: check_view(build_view_arrays(idx, s_idx, d_idx, t_idx)), repeat=5)
    score_s = time_it(lambda: score_view(build_view_arrays(idx, s_idx, d_idx, t_idx)), repeat=5)
    full_s = time_it(lambda: check(inst, roster.assignments, idx), repeat=3)
    return {
        "size": size, "staff": idx.S, "weeks": weeks, "vars": n_vars, "constraints": n_cons,
        "build_s": build_s, "first_lawful_s": roster.solve.first_solution_s if roster.solve else None,
        "within_1pct_s": within, "final_gap_pct": 100 * (roster.score.total - bound) / max(1, roster.score.total),
        "objective": roster.score.total, "unfilled": sum(u.missing for u in roster.unfilled),
        "lawful": roster.lawful, "assignments": n,
        "check_core_per_s": n / core_s if core_s else 0.0, "score_only_per_s": n / score_s if score_s else 0.0,
        "check_full_per_s": n / full_s if full_s else 0.0,
    }


def table(rows: list[dict]) -> str:
    cols = ["size", "staff×weeks", "vars", "cons", "build s", "first lawful s", "≤1 % of bound s", "gap %",
            "unfilled", "lawful", "checker core asg/s", "score-only asg/s", "checker end-to-end asg/s", "build/aim",
            "lawful/aim", "check/aim"]
    lines: list[list[object]] = []
    for r in rows:
        aim = AIM_LAWFUL_S.get(r["size"])
        first = r["first_lawful_s"]
        cells = [
            r["size"], f"{r['staff']}×{r['weeks']}", r["vars"], r["constraints"], f"{r['build_s']:.2f}",
            first if first is not None else "none",
            r["within_1pct_s"] if r["within_1pct_s"] is not None else "not reached",
            f"{r['final_gap_pct']:.1f}", r["unfilled"], r["lawful"], f"{r['check_core_per_s']:,.0f}",
            f"{r['score_only_per_s']:,.0f}",
            f"{r['check_full_per_s']:,.0f}", f"{r['build_s'] / AIM_BUILD_S:.2f}",
            f"{(first if first is not None else float('inf')) / aim:.2f}" if aim else "–",
            f"{AIM_CHECK_PER_S / max(1.0, r['score_only_per_s']):.2f}",
        ]
        lines.append(cells)
    return markdown(cols, lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="small,medium,large")
    ap.add_argument("--weeks", type=int, default=6)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rows = []
    for size in args.sizes.split(","):
        rows.append(bench(size, args.weeks, args.time_limit, args.workers, args.seed))
        print(f"{size}: done", flush=True)
    text = (f"Machine: {platform.processor() or platform.machine()}, {platform.python_version()}, "
            f"time limit {args.time_limit:g} s, {args.workers} workers\n\n" + table(rows))
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
