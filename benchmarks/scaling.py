"""Scaling benchmark (not a test): how model build time, model size, peak memory and checker
throughput grow with staff and weeks, on generated units.

    python -m benchmarks.scaling [--staff 10,25,50,100,200] [--weeks 2,4,6,8,12] [--out FILE.md]

Every (staff, weeks) point runs in a fresh subprocess so that its peak resident memory is its
own (CP-SAT's model lives in C++, outside what tracemalloc sees).  "Build" is index + CP-SAT
model (all rules, no solve).  The checker is timed on a roster drawn at random from the
allowed (person, day, shift) pairs with each person's position share: it is not lawful, so
the checker also pays for writing up its violations, which makes the figure a floor.
Units are whole wards (``models.generate.wards_for``), so "staff" is the nearest head count.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path


def measure(n_staff: int, weeks: int, seed: int = 1) -> dict:
    """One point, measured in this process."""
    import numpy as np

    from models.generate import generate_staff
    from solver.build import build_model
    from solver.checker import check_view
    from solver.index import build_index
    from solver.view import build_view_arrays

    rss_base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    inst = generate_staff(n_staff, weeks, seed)
    t = time.perf_counter()
    idx = build_index(inst)
    ctx = build_model(inst, idx)
    build_s = time.perf_counter() - t
    n_vars, n_cons = len(ctx.model.proto.variables), len(ctx.model.proto.constraints)

    rng = np.random.default_rng(seed)
    share = np.array([p.position_pct / 100 * 5 / 7 for p in inst.staff])
    s_idx, d_idx, t_idx = [], [], []
    for s in range(idx.S):
        for d in range(len(idx.dates)):
            shifts = np.flatnonzero(idx.allowed[s, d])
            if shifts.size and rng.random() < share[s]:
                s_idx.append(s)
                d_idx.append(d)
                t_idx.append(int(rng.choice(shifts)))
    arrays = (np.array(s_idx), np.array(d_idx), np.array(t_idx))
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        check_view(build_view_arrays(idx, *arrays))
        best = min(best, time.perf_counter() - t)
    return {
        "staff": idx.S, "weeks": weeks, "vars": n_vars, "constraints": n_cons, "build_s": build_s,
        "assignments": len(s_idx), "check_per_s": len(s_idx) / best if best else 0.0,
        "rss_base_mb": rss_base / 1024, "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_point(n_staff: int, weeks: int, seed: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.scaling", "--one", str(n_staff), str(weeks),
                          "--seed", str(seed)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def tables(rows: list[dict]) -> str:
    cols = ["staff", "weeks", "vars", "constraints", "build s", "µs per var", "peak RSS MB", "model MB",
            "checker asg/s"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(map(str, [
            r["staff"], r["weeks"], f"{r['vars']:,}", f"{r['constraints']:,}", f"{r['build_s']:.2f}",
            f"{1e6 * r['build_s'] / max(1, r['vars']):.0f}", f"{r['rss_peak_mb']:.0f}",
            f"{r['rss_peak_mb'] - r['rss_base_mb']:.0f}", f"{r['check_per_s']:,.0f}"])) + " |")
    staff = sorted({r["staff"] for r in rows})
    weeks = sorted({r["weeks"] for r in rows})
    by = {(r["staff"], r["weeks"]): r for r in rows}
    for title, key, fmt in (("Build seconds", "build_s", "{:.2f}"), ("Peak RSS MB", "rss_peak_mb", "{:.0f}")):
        lines += ["", f"{title} (rows: staff, columns: weeks)", "",
                  "| staff | " + " | ".join(map(str, weeks)) + " |", "|" + "---|" * (len(weeks) + 1)]
        for s in staff:
            cells = [fmt.format(by[s, w][key]) if (s, w) in by else "" for w in weeks]
            lines.append(f"| {s} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--staff", default="10,25,50,100,200")
    ap.add_argument("--weeks", default="2,4,6,8,12")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--one", nargs=2, type=int, metavar=("STAFF", "WEEKS"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(measure(a.one[0], a.one[1], a.seed)))
        return
    rows = []
    for n in map(int, a.staff.split(",")):
        for w in map(int, a.weeks.split(",")):
            rows.append(run_point(n, w, a.seed))
            r = rows[-1]
            print(f"staff {r['staff']:>4} weeks {w:>2}: build {r['build_s']:.2f}s, {r['rss_peak_mb']:.0f} MB, "
                  f"checker {r['check_per_s']:,.0f} asg/s", flush=True)
    text = (f"Machine: {platform.machine()}, Python {platform.python_version()}, seed {a.seed}\n\n" + tables(rows))
    print(text)
    if a.out:
        a.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
