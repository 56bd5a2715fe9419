"""Suite runner: solve INRC-II static instances × seeds, cache every run, write Markdown + CSV tables.

Resumable like the Curtois table: each finished (instance, seed, time limit, workers) run is appended to
``runs.jsonl`` in the output directory and skipped when the command is re-run; the per-week solution files of
every run are kept under ``solutions/`` so `check` can re-judge them. The objective is the independent
evaluator's (benchmarks/inrc2/evaluator.py), the gap is to the best known total in DATA_DIR/best-known.csv.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
from pathlib import Path

from .evaluator import TERMS
from .problem import FormatError, read_problem
from .solution import write_solution

COLUMNS = (
    "instance",
    "nurses",
    "weeks",
    "best_known",
    "objective",
    "gap_pct",
    "feasible",
    "agree",
    "missing",
    "t_first_s",
    "load",
    "terms",
)


def read_best_known(data_dir: Path) -> dict[str, int]:
    path = data_dir / "best-known.csv"
    if not path.exists():
        return {}
    with path.open() as f:
        return {row["instance"]: int(row["best_known"]) for row in csv.DictReader(f)}


def _key(rec: dict) -> tuple:
    return (rec["instance"], rec["seed"], float(rec["time_limit"]), rec["workers"], rec.get("engine", "auto"))


def load_cache(path: Path) -> dict[tuple, dict]:
    cache: dict[tuple, dict] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                cache[_key(rec)] = rec
    return cache


def run_one(
    data_dir: Path, name: str, seed: int, time_limit: float, workers: int, out_dir: Path, engine: str = "auto"
) -> dict:
    from .solve import solve_problem

    p = read_problem(data_dir, name)
    res = solve_problem(p, time_limit, workers, seed, engine=engine)
    ev, info = res.evaluation, res.roster.solve
    write_solution(p, res.cells, out_dir / "solutions" / f"{name}_s{seed}_t{time_limit:g}_w{workers}_{engine}")
    turnus = res.turnus_terms
    return {
        "instance": name,
        "seed": seed,
        "time_limit": float(time_limit),
        "workers": workers,
        "engine": engine,
        "nurses": len(p.nurses),
        "weeks": len(p.week_data),
        "feasible": ev.feasible,
        "hard": ev.hard,
        "objective": ev.total,
        "terms": ev.soft,
        "turnus_total": res.roster.score.total,
        "turnus_terms": turnus,
        "agree": ev.feasible and set(turnus) <= set(TERMS) and all(turnus.get(t, 0) == ev.soft[t] for t in TERMS),
        "status": info.status if info else None,
        "t_first": info.first_solution_s if info else None,
        "wall": res.wall,
        "load": os.getloadavg()[0],
    }


def run_table(
    data_dir: Path,
    names: list[str] | None,
    time_limit: float,
    workers: int,
    repeat: int,
    out_dir: Path,
    engine: str = "auto",
) -> list[dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_path = out_dir / "runs.jsonl"
    cache = load_cache(cache_path)
    best_known = read_best_known(data_dir)
    names = names or list(best_known)
    todo = [(n, s) for n in names for s in range(repeat) if (n, s, float(time_limit), workers, engine) not in cache]
    print(
        f"{len(names) * repeat} runs, {len(names) * repeat - len(todo)} cached, {len(todo)} to do "
        f"(≈{len(todo) * time_limit / 60:.0f} min)",
        flush=True,
    )
    for n, seed in todo:
        try:
            rec = run_one(data_dir, n, seed, time_limit, workers, out_dir, engine)
        except FormatError as exc:
            print(f"{n}: skipped ({exc})", flush=True)
            continue
        with cache_path.open("a") as f:
            f.write(json.dumps(rec) + "\n")
        cache[_key(rec)] = rec
        print(
            f"{n} seed {seed}: {rec['objective']} feasible={rec['feasible']} agree={rec['agree']} "
            f"load {rec['load']:.1f}",
            flush=True,
        )
    rows = []
    for n in names:
        recs = [cache[k] for s in range(repeat) if (k := (n, s, float(time_limit), workers, engine)) in cache]
        if not recs:
            continue
        objs = [r["objective"] for r in recs if r["feasible"]]
        med = statistics.median(objs) if objs else None
        bk = best_known.get(n)
        firsts = [r["t_first"] for r in recs if r["t_first"] is not None]
        mid = min(recs, key=lambda r: abs(r["objective"] - med)) if med is not None else recs[0]
        rows.append(
            {
                "instance": n,
                "nurses": recs[0]["nurses"],
                "weeks": recs[0]["weeks"],
                "best_known": bk if bk is not None else "",
                "objective": f"{med:g}" if med is not None else "",
                "gap_pct": f"{100 * (med - bk) / bk:.1f}" if med is not None and bk else "",
                "feasible": f"{len(objs)}/{len(recs)}",
                "agree": f"{sum(bool(r['agree']) for r in recs)}/{len(recs)}",
                "missing": min(r["hard"]["H2"] for r in recs),
                "t_first_s": f"{statistics.median(firsts):.1f}" if firsts else "",
                "load": f"{statistics.median(r['load'] for r in recs):.1f}",
                "terms": " ".join(f"{t}:{mid['terms'][t]}" for t in TERMS),
            }
        )
    write_tables(rows, out_dir, time_limit, workers, repeat, engine)
    print(markdown(rows, time_limit, workers, repeat, engine))
    return rows


def markdown(rows: list[dict], time_limit: float, workers: int, repeat: int, engine: str = "auto") -> str:
    head = [
        "Instance",
        "Nurses",
        "Weeks",
        "Best known",
        "turnus (median)",
        "Gap %",
        "Feasible",
        "turnus = evaluator",
        "Min cover missing (H2)",
        "First roster (s)",
        "Load (1 min)",
        "Terms (median run)",
    ]
    lines = [
        f"INRC-II static, {time_limit:g} s, {workers} workers, median of {repeat} seed(s)",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for r in rows:
        lines.append("| " + " | ".join(str(r[c]) for c in COLUMNS) + " |")
    gaps = [float(r["gap_pct"]) for r in rows if r["gap_pct"] != ""]
    if gaps:
        lines += ["", f"Median gap {statistics.median(gaps):.1f} % over {len(gaps)} instances."]
    return "\n".join(lines) + "\n"


def write_tables(
    rows: list[dict], out_dir: Path, time_limit: float, workers: int, repeat: int, engine: str = "auto"
) -> None:
    stem = f"table_t{time_limit:g}_w{workers}_r{repeat}_{engine}"
    (out_dir / f"{stem}.md").write_text(markdown(rows, time_limit, workers, repeat, engine))
    with (out_dir / f"{stem}.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(COLUMNS))
        w.writeheader()
        w.writerows(rows)
