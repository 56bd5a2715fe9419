"""Scenario benchmark (not a test): does a planner's budget per variant measure the scenario or the solver?

    python -m benchmarks.scenarios_bench [--spec examples/scenarios/demo.yaml] [--short 20] [--long 300]
                                         [--busy] [--out benchmarks/SCENARIOS.md]

Runs the scenario file at the short budget per variant and at the long one, optionally the short one again beside
a second solve of the base unit (a busy machine), and prints per variant: objective at each budget, the gap to
the long run, whether the report flags the short result as solver-limited, and unfilled slots. The machine and
its load head the table.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from .report import markdown, uptime

DEFAULT_SPEC = Path(__file__).resolve().parent.parent / "examples" / "scenarios" / "demo.yaml"


def run(spec: Path, limit: float, workers: int) -> dict[str, tuple[int, str | None, int, str]]:
    """variant -> (objective, solver-limited reason, unfilled person-shifts, status)."""
    from scenarios import run_file

    with tempfile.TemporaryDirectory() as out:
        results, _ = run_file(spec, Path(out), time_limit_s=limit, workers=workers)
    return {r.name: (r.roster.score.total, r.solver_limited, int(r.kpis.get("unfilled_slots", 0)), r.status)
            for r in results}


def noise(spec: Path, limit: float) -> subprocess.Popen:
    """A second solve of the scenario file's base unit, as long as the short run: the busy machine."""
    code = (
        "import sys; from pathlib import Path; from scenarios.variants import load_scenario_file; "
        "from solver import solve, SolveOptions; spec, base = load_scenario_file(Path(sys.argv[1])); "
        "solve(base, SolveOptions(time_limit_s=float(sys.argv[2]), workers=2))"
    )
    return subprocess.Popen([sys.executable, "-c", code, str(spec), str(limit * 6)], stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    ap.add_argument("--short", type=float, default=20.0)
    ap.add_argument("--long", type=float, default=300.0)
    ap.add_argument("--workers", type=int, default=2, help="cores for the whole scenario run")
    ap.add_argument("--busy", action="store_true")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)

    head = [f"{platform.machine()}, {os.cpu_count()} cores; {a.spec.name}; before: {uptime()}"]
    short = run(a.spec, a.short, a.workers)
    busy = None
    if a.busy:
        other = noise(a.spec, a.short)
        busy = run(a.spec, a.short, a.workers)
        other.kill()
    ref = run(a.spec, a.long, a.workers)
    head.append(f"after: {uptime()}")
    cols = ["variant", f"{a.short:g} s", "status", "flag", f"{a.long:g} s", "gap"]
    if busy is not None:
        cols += [f"{a.short:g} s busy", "gap busy", "flag busy"]
    cols.append("unfilled")
    rows = []
    for name, (obj, flag, unfilled, status) in short.items():
        r = ref[name][0]
        row = [name, str(obj), status, "limited" if flag else "–", str(r), f"{(obj - r) / max(1, r):.1%}"]
        if busy is not None:
            b = busy[name]
            row += [str(b[0]), f"{(b[0] - r) / max(1, r):.1%}", "limited" if b[1] else "–"]
        row.append(str(unfilled))
        rows.append(row)
    text = "\n".join(head) + "\n\n" + markdown(cols, rows) + "\n"
    print(text)
    if a.out:
        a.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
