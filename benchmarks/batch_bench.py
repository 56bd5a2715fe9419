"""Batch benchmark (issue 16; not a test): N generated units solved by `turnus batch` on Ray against the same units
solved one after another with `turnus solve`, on this machine; the same batch on a local two-node Ray cluster
(`ray start --head` plus a worker node, both on this machine); and a small night of units plus a scenario file.

    ray start --head --port=6391 --num-cpus=1 --include-dashboard=false    # a two-node cluster on this machine
    ray start --address=<head ip>:6391 --num-cpus=1
    python -m benchmarks.batch_bench --units 20 --time-limit 10 --cluster-address <head ip>:6391 --out BATCH.md

Every figure is wall time of the whole command (Python start, Ray start or connect, reading, solving, writing);
`uptime` is printed before and after each part, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import markdown, uptime
from models.generate import generate_dict

TURNUS = [sys.executable, "-c", "from api.cli import main; main()"]
RAY = str(Path(sys.executable).with_name("ray"))


def make_units(folder: Path, n: int, weeks: int) -> list[Path]:
    """n units, every fourth one medium (~35 staff), the rest small (~13 staff)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(n):
        size = "medium" if k % 4 == 3 else "small"
        p = folder / f"{size}-{k + 1:02d}.json"
        p.write_text(json.dumps(generate_dict(size, weeks=weeks, seed=k + 1)), encoding="utf-8")
        out.append(p)
    return out


def run(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def sequential(units: list[Path], out: Path, limit: float, workers: int) -> tuple[float, list[int]]:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    scores = []
    for u in units:
        r = out / (u.stem + ".roster.json")
        run([*TURNUS, "solve", str(u), "-o", str(r), "--time-limit", str(limit), "--workers", str(workers), "-q"])
        if r.exists():  # a failed solve counts in the wall time, not in the scores
            scores.append(json.loads(r.read_text())["score"]["total"])
    return time.perf_counter() - t0, scores


def batch(manifest: Path, out: Path, limit: float, extra: list[str]) -> tuple[float, dict[str, dict]]:
    cmd = [*TURNUS, "batch", str(manifest), "-o", str(out), "--time-limit", str(limit), "--no-store", "--json"]
    wall = run(
        [*cmd, *extra], cwd=manifest.parent, env={**os.environ, "RAY_ADDRESS": ""} if "--address" not in extra else None
    )
    recs = {p.name.removesuffix(".result.json"): json.loads(p.read_text()) for p in out.glob("*.result.json")}
    return wall, recs


def summarise(name: str, wall: float, recs: dict[str, dict], n: int, limit: float, slots: int) -> list[object]:
    """A row; overhead per job = (wall - the pure solve time n × limit / parallel slots) / n."""
    done = [r for r in recs.values() if r["status"] == "COMPLETED"]
    scores = [r["score"]["total"] for r in done if r.get("score")]
    return [
        name,
        f"{len(done)}/{n}",
        f"{wall:.0f}",
        f"{3600 * n / wall:.0f}",
        f"{(wall - n * limit / slots) / n:.1f}",
        f"{statistics.mean(scores):,.0f}".replace(",", " ") if scores else "–",
        sum(1 for r in done if r.get("lawful")),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=20)
    ap.add_argument("--weeks", type=int, default=4)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--cluster-address", default=None, help="a running multi-node Ray cluster (see above)")
    ap.add_argument("--stages", default="seq,local,local2,cluster,night", help="which parts to run")
    args = ap.parse_args()
    n, limit = args.units, args.time_limit
    work = Path(tempfile.mkdtemp(prefix="turnus-batch-bench-"))
    units = make_units(work / "units", n, args.weeks)
    manifest = work / "night.yaml"
    manifest.write_text(f"name: bench\ntime_limit_s: {limit}\njobs:\n  - units: units/\n", encoding="utf-8")
    loads = [f"start: {uptime()}"]
    rows: list[list[object]] = []
    partial = (args.out or Path("batch_bench")).with_suffix(".partial.json")

    def keep(row: list[object]) -> None:  # each stage's row as soon as it is measured
        rows.append(row)
        partial.write_text(json.dumps({"rows": rows, "loads": loads}), encoding="utf-8")

    stages = set(args.stages.split(","))
    if "seq" in stages:
        wall, scores = sequential(units, work / "seq", limit, workers=2)
        keep(
            [
                "`turnus solve` one after another, 2 workers",
                f"{len(scores)}/{n}",
                f"{wall:.0f}",
                f"{3600 * n / wall:.0f}",
                f"{(wall - n * limit) / n:.1f}",
                f"{statistics.mean(scores):,.0f}".replace(",", " "),
                sum(1 for u in units if (work / "seq" / (u.stem + ".roster.json")).exists()),
            ]
        )
        loads.append(f"after sequential: {uptime()}")
    for stage, workers, where, label in (
        ("local", 1, "local", "`turnus batch`, local Ray (2 CPUs), 1 worker per job"),
        ("local2", 2, "local", "`turnus batch`, local Ray (2 CPUs), 2 workers per job"),
        ("cluster", 1, args.cluster_address, "`turnus batch --address`, 2 nodes of 1 CPU, 1 worker per job"),
    ):
        if stage not in stages or where is None:
            continue
        wall, recs = batch(manifest, work / stage, limit, ["--workers-per-job", str(workers), "--address", where])
        nodes = len({r.get("node") for r in recs.values() if r.get("node")})
        keep(summarise(f"{label} ({nodes} node(s) used)", wall, recs, n, limit, slots=2 // workers))
        loads.append(f"after {stage}: {uptime()}")

    if "night" not in stages:
        print(markdown(["run", "completed", "wall s", "jobs/hour", "overhead s/job", "mean score", "lawful"], rows))
        print("\n".join(loads))
        shutil.rmtree(work, ignore_errors=True)
        return
    # a small night: 6 small units and the demo ward's scenario file (base + 2 variants)
    night = work / "night2"
    make_units(night / "units", 6, 2)
    shutil.copy(units[0], night / "a1.json")
    (night / "a1-scenarios.yaml").write_text(
        "base: a1.json\nvariants:\n  - name: weekend-2\n    ops: [{op: weekend_every, n: 2}]\n"
        "  - name: heltid\n    ops: [{op: raise_positions, step_pct: 5, rounds: 1}]\n",
        encoding="utf-8",
    )
    (night / "m.yaml").write_text(
        f"time_limit_s: {limit}\njobs:\n  - units: units/\n  - scenarios: a1-scenarios.yaml\n", encoding="utf-8"
    )
    wall2, recs2 = batch(night / "m.yaml", night / "out", limit, ["--workers-per-job", "1", "--address", "local"])
    loads.append(f"after small night: {uptime()}")
    night_rows = [
        [
            r["name"],
            r["kind"],
            r["status"],
            r.get("lawful"),
            r["score"]["total"] if r.get("score") else "–",
            r.get("unfilled"),
            r["time_limit_s"],
            r["wall_s"],
            len(r.get("variants") or []) or "",
        ]
        for r in sorted(recs2.values(), key=lambda r: r["name"])
    ]

    text = [
        f"## {n} units ({sum(1 for u in units if 'medium' in u.name)} medium, the rest small; {args.weeks} weeks), "
        f"{limit:g} s per solve",
        "",
        markdown(
            ["run", "completed", "wall s", "jobs/hour", "overhead s/job", "mean score", "lawful"],
            rows,
        ),
        "",
        f"## Small night: 6 small units (2 weeks) + a scenario file (3 variants, 4 solves), {limit:g} s per solve: "
        f"{wall2:.0f} s wall",
        "",
        markdown(["job", "kind", "status", "lawful", "score", "unfilled", "limit s", "wall s", "variants"], night_rows),
        "",
        "Load (`uptime`):",
        "",
        *[f"- {ln}" for ln in loads],
        "",
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, ray {__import__('ray').__version__}.",
    ]
    report = "\n".join(text) + "\n"
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
