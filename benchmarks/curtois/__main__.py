"""CLI: ``python -m benchmarks.curtois {solve,check,table}``.

argparse rather than typer keeps this benchmark runnable without the project's CLI stack.
Exit codes of ``check``: 0 lawful, 1 hard violations, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .evaluator import evaluate, format_evaluation
from .reader import InstanceFormatError, read_instance
from .writer import RosterFormatError, read_roster, roster_to_cells, write_roster


def _cmd_solve(a: argparse.Namespace) -> int:
    from .solve import solve_instance

    try:
        inst = read_instance(a.instance)
    except InstanceFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{inst.name}: {inst.size} (days×staff×shifts), method {a.method}, "
          f"{a.time_limit:g}s, {a.workers} workers, seed {a.seed}")
    res = solve_instance(inst, a.time_limit, a.workers, a.seed, method=a.method, log=a.log,
                         symmetry=a.symmetry)
    print(f"status            {res.status}")
    if res.roster is None or res.objective is None:
        print("no lawful roster found")
        return 1
    ev = evaluate(inst, roster_to_cells(res.roster))
    print(f"objective         {res.objective}")
    print(f"evaluator         {ev.objective}  (on {ev.on_requests}, off {ev.off_requests}, "
          f"under {ev.cover_under}, over {ev.cover_over})")
    print(f"best bound        {res.bound:g}")
    print(f"first lawful      {res.time_first:.2f}s")
    print(f"time to best      {res.time_best:.2f}s")
    print(f"wall              {res.wall:.2f}s")
    if a.out:
        write_roster(a.out, inst, res.roster)
        print(f"roster written to {a.out}")
    if not ev.lawful or ev.objective != res.objective:
        print("EVALUATOR DISAGREES WITH SOLVER:", file=sys.stderr)
        print(format_evaluation(ev), file=sys.stderr)
        return 3
    return 0


def _cmd_check(a: argparse.Namespace) -> int:
    try:
        inst = read_instance(a.instance)
        cells = read_roster(inst, a.roster)
    except (InstanceFormatError, RosterFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ev = evaluate(inst, cells)
    print(f"{inst.name}: {inst.size}")
    print(format_evaluation(ev))
    return 0 if ev.lawful else 1


def _cmd_table(a: argparse.Namespace) -> int:
    from .table import parse_instances, run_table

    try:
        numbers = parse_instances(a.instances)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    run_table(Path(a.data_dir), numbers, a.time_limit, a.workers, a.repeat, Path(a.out_dir), a.method)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.curtois", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("solve", help="solve one instance and write the roster")
    s.add_argument("instance", type=Path)
    s.add_argument("--time-limit", type=float, default=60.0)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", type=Path, default=None)
    s.add_argument("--method", choices=("auto", "cpsat", "lns"), default="auto")
    s.add_argument("--symmetry", action="store_true", help="add symmetry-breaking clauses (cpsat)")
    s.add_argument("--log", action="store_true", help="CP-SAT search log")
    s.set_defaults(func=_cmd_solve)

    c = sub.add_parser("check", help="evaluate a roster independently of the solver")
    c.add_argument("instance", type=Path)
    c.add_argument("roster", type=Path)
    c.set_defaults(func=_cmd_check)

    t = sub.add_parser("table", help="run the suite and write Markdown + CSV tables")
    t.add_argument("--data-dir", default="/work/shared/data/curtois")
    t.add_argument("--instances", default="1-24")
    t.add_argument("--time-limit", type=float, default=60.0)
    t.add_argument("--workers", type=int, default=2)
    t.add_argument("--repeat", type=int, default=1)
    t.add_argument("--out-dir", default="benchmarks/curtois/out")
    t.add_argument("--method", choices=("auto", "cpsat", "lns"), default="auto")
    t.set_defaults(func=_cmd_table)

    a = ap.parse_args(argv)
    return int(a.func(a))


if __name__ == "__main__":
    sys.exit(main())
