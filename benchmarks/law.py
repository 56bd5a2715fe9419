"""The law benchmark (issue 13): the demo and generated units on the calendar dates where the law bites, solved and
re-checked, with unfilled demand and the violations each reading finds.

    python -m benchmarks.law [--time-limit 30] [--workers 1] [--out benchmarks/LAW.md]

Variants: the demo as shipped (January), moved to Easter, to the autumn clock change, to Christmas, to a period
starting on a Wednesday, and the generated small and medium units. Moving a unit shifts every date in it (period,
absences, wishes, pins, dated demand) by the same number of days. Prints a Markdown table with the machine's load.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import re
import time
from collections import Counter
from pathlib import Path

from models import validate_instance
from models.generate import generate_dict
from solver import SolveOptions, solve

from .report import markdown, uptime

DEMO = Path(__file__).resolve().parent.parent / "models" / "data" / "demo.json"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def moved(data: dict, start: dt.date) -> dict:
    """`data` with every ISO date shifted so that the period starts on `start`."""
    delta = start - dt.date.fromisoformat(data["period"]["start"])

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str) and ISO.match(v):
            return (dt.date.fromisoformat(v) + delta).isoformat()
        return v

    return walk(copy.deepcopy(data))


def variants() -> list[tuple[str, dict]]:
    demo = json.loads(DEMO.read_text())
    return [
        ("demo (Jan 2027)", demo),
        ("demo at Easter (from 8 Mar 2027)", moved(demo, dt.date(2027, 3, 8))),
        ("demo at the clock change (from 11 Oct 2027)", moved(demo, dt.date(2027, 10, 11))),
        ("demo at Christmas (from 6 Dec 2027)", moved(demo, dt.date(2027, 12, 6))),
        ("demo from a Wednesday (6 Jan 2027)", moved(demo, dt.date(2027, 1, 6))),
        ("generated small, 6 weeks", generate_dict("small", 6, 1)),
        ("generated medium, 6 weeks", generate_dict("medium", 6, 1)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--only", default="", help="substring of the variant names to run")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--save", type=Path, help="write each variant's instance and roster here (for --recheck)")
    ap.add_argument("--recheck", type=Path, help="re-check the rosters saved in this folder with this checker")
    args = ap.parse_args()
    if args.recheck:
        recheck(args.recheck)
        return
    rows = []
    before = uptime()
    for name, data in variants():
        if args.only and args.only not in name:
            continue
        inst = validate_instance(data)[0]
        t0 = time.perf_counter()
        roster = solve(inst, SolveOptions(time_limit_s=args.time_limit, workers=args.workers, seed=1))
        wall = time.perf_counter() - t0
        hard = Counter(v.rule for v in roster.violations if v.level.value == "REQUIRED")
        rows.append(
            (
                name,
                roster.solve.status if roster.solve else "",
                "yes" if roster.lawful else "NO " + ", ".join(f"{r} {n}" for r, n in hard.items()),
                sum(u.missing for u in roster.unfilled),
                roster.score.total,
                f"{wall:.0f}",
            )
        )
        print(" | ".join(map(str, rows[-1])), flush=True)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            (args.save / f"{stem}.instance.json").write_text(json.dumps(data))
            (args.save / f"{stem}.roster.json").write_text(roster.model_dump_json())
    table = markdown(["unit", "status", "lawful", "unfilled", "objective", "wall s"], rows)
    text = f"time limit {args.time_limit:g} s, {args.workers} worker(s), seed 1\n\n{table}\n\nload before: {before}\nload after: {uptime()}\n"
    print(text)
    if args.out:
        args.out.write_text(text)


def recheck(folder: Path) -> None:
    """Each saved roster judged by this version's checker: which REQUIRED rules it breaks."""
    from models import Roster
    from solver import check

    rows = []
    for path in sorted(folder.glob("*.roster.json")):
        stem = path.name.removesuffix(".roster.json")
        inst = validate_instance(json.loads((folder / f"{stem}.instance.json").read_text()), legal_floors=False)[0]
        roster = Roster.model_validate_json(path.read_text())
        got = check(inst, roster.assignments)
        hard = Counter(v.rule for v in got.violations if v.level.value == "REQUIRED")
        people = {v.staff for v in got.violations if v.level.value == "REQUIRED"}
        rows.append((stem, "yes" if got.lawful else "NO", len(people), ", ".join(f"{r} {n}" for r, n in hard.items())))
    print(markdown(["unit", "lawful now", "people", "broken groups"], rows))


if __name__ == "__main__":
    main()
