"""CLI: ``python -m benchmarks.inrc2 {check,solve,convert,table}`` (INRC-II static instances, issue 15).

    check DATA_DIR INSTANCE SOLUTION_DIR   the competition objective of DIR/sol-week0.txt ... (exit 0 feasible,
                                           1 hard violations, 2 bad input)
    solve DATA_DIR INSTANCE --out DIR      solver.solve on the converted instance, per-week files in DIR (exit 0,
                                           1 infeasible, 3 turnus's score and the evaluator's differ)
    convert DATA_DIR INSTANCE --emit-instance FILE   the turnus Instance JSON
    table --data-dir DATA_DIR ...          the suite: Markdown + CSV, resumable, median of seeds

argparse rather than typer keeps this benchmark runnable without the project's CLI stack.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .evaluator import TERMS, evaluate, format_evaluation
from .problem import FormatError, read_problem
from .solution import read_solution, write_solution


def _emit(inst, path: Path | None) -> None:
    if path is not None:
        path.write_text(inst.model_dump_json(indent=1, exclude_defaults=False))
        print(f"instance written to {path}")


def _cmd_check(a: argparse.Namespace) -> int:
    try:
        p = read_problem(a.data_dir, a.instance)
        cells = read_solution(p, a.solution_dir)
    except FormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ev = evaluate(p, cells)
    print(format_evaluation(p, ev))
    return 0 if ev.feasible else 1


def _cmd_convert(a: argparse.Namespace) -> int:
    from .convert import to_instance

    try:
        p = read_problem(a.data_dir, a.instance)
    except FormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _emit(to_instance(p), a.emit_instance)
    return 0


def _cmd_solve(a: argparse.Namespace) -> int:
    from .convert import to_instance
    from .solve import solve_problem

    try:
        p = read_problem(a.data_dir, a.instance)
    except FormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    inst = to_instance(p)
    _emit(inst, a.emit_instance)
    print(f"{p.name}: {len(p.nurses)} nurses, {p.days} days, {a.time_limit:g}s, {a.workers} workers, seed {a.seed}")
    res = solve_problem(p, a.time_limit, a.workers, a.seed, inst, engine=a.engine)
    info = res.roster.solve
    print(
        f"status {info.status if info else '?'}  wall {res.wall:.1f}s  "
        f"first roster {info.first_solution_s if info else None}"
    )
    write_solution(p, res.cells, a.out)
    print(f"solution written to {a.out}/sol-week0.txt .. sol-week{len(p.week_data) - 1}.txt")
    print(format_evaluation(p, res.evaluation))
    turnus = res.turnus_terms
    print("turnus score per term: " + ", ".join(f"{k} {v}" for k, v in sorted(turnus.items())))
    print(f"turnus total {res.roster.score.total}  evaluator total {res.evaluation.total}")
    if not res.evaluation.feasible:
        print(f"infeasible: {res.evaluation.hard}", file=sys.stderr)
        return 1
    if not (all(turnus.get(t, 0) == res.evaluation.soft[t] for t in TERMS) and set(turnus) <= set(TERMS)):
        print("turnus and the evaluator disagree (a rule missing or read differently)", file=sys.stderr)
        return 3
    return 0


def _cmd_table(a: argparse.Namespace) -> int:
    from .table import run_table

    names = [x.strip() for x in a.instances.split(",") if x.strip()] if a.instances else None
    run_table(Path(a.data_dir), names, a.time_limit, a.workers, a.repeat, Path(a.out_dir), a.engine)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.inrc2", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)

    c = sub.add_parser("check", help="the competition objective of a solution, independently of turnus")
    c.add_argument("data_dir", type=Path)
    c.add_argument("instance")
    c.add_argument("solution_dir", type=Path)
    c.set_defaults(func=_cmd_check)

    v = sub.add_parser("convert", help="write the converted turnus instance")
    v.add_argument("data_dir", type=Path)
    v.add_argument("instance")
    v.add_argument("--emit-instance", type=Path, required=True)
    v.set_defaults(func=_cmd_convert)

    s = sub.add_parser("solve", help="solve with solver.solve and write the per-week files")
    s.add_argument("data_dir", type=Path)
    s.add_argument("instance")
    s.add_argument("--time-limit", type=float, default=60.0)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--emit-instance", type=Path, default=None)
    s.add_argument("--engine", choices=("auto", "lns", "monolithic"), default="auto")
    s.set_defaults(func=_cmd_solve)

    t = sub.add_parser("table", help="run the suite and write Markdown + CSV tables")
    t.add_argument("--data-dir", default="/work/shared/data/inrc2")
    t.add_argument("--instances", default="", help="comma-separated names (default: all of best-known.csv)")
    t.add_argument("--time-limit", type=float, default=60.0)
    t.add_argument("--workers", type=int, default=2)
    t.add_argument("--repeat", type=int, default=1)
    t.add_argument("--out-dir", default="benchmarks/inrc2/out")
    t.add_argument("--engine", choices=("auto", "lns", "monolithic"), default="auto")
    t.set_defaults(func=_cmd_table)

    a = ap.parse_args(argv)
    return int(a.func(a))


if __name__ == "__main__":
    sys.exit(main())
