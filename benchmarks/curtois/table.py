"""Suite runner: solve many instances × seeds, cache every run, write Markdown + CSV tables.

Resumable on purpose: a full 60 s × 12-instance run takes a quarter of an hour on two
cores, so each finished (instance, seed, time limit, workers, method) run is appended to
``runs.jsonl`` in the output directory and skipped when the command is re-run.
"""

from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .evaluator import evaluate
from .reader import read_instance
from .writer import roster_to_cells, write_roster

COLUMNS = ("instance", "method", "size", "best_known", "lower_bound", "objective", "gap_pct", "lawful",
           "t_first_s", "t_best_s")


def parse_instances(spec: str) -> list[int]:
    """``"1-5,9,21-24"`` → sorted instance numbers."""
    out: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            lo, hi = int(a), int(b)
            if lo > hi:
                raise ValueError(f"bad range {part!r}")
            out.update(range(lo, hi + 1))
        else:
            out.add(int(part))
    return sorted(out)


def read_best_known(data_dir: Path) -> dict[str, int]:
    path = data_dir / "best-known.csv"
    if not path.exists():
        return {}
    with path.open() as f:
        return {row["instance"]: int(row["best_known"]) for row in csv.DictReader(f)}


def _key(rec: dict) -> tuple:
    return (rec["instance"], rec["seed"], float(rec["time_limit"]), rec["workers"], rec["method"])


def load_cache(path: Path) -> dict[tuple, dict]:
    cache: dict[tuple, dict] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                cache[_key(rec)] = rec
    return cache


def run_table(data_dir: Path, numbers: list[int], time_limit: float, workers: int, repeat: int,
              out_dir: Path, method: str = "auto", console: Console | None = None) -> list[dict]:
    from .solve import resolve_method, solve_instance

    console = console or Console()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "rosters").mkdir(exist_ok=True)
    cache_path = out_dir / "runs.jsonl"
    cache = load_cache(cache_path)
    best_known = read_best_known(data_dir)

    files = []
    for n in numbers:
        p = data_dir / f"Instance{n}.txt"
        if p.exists():
            files.append(p)
        else:
            console.print(f"[dim]note: {p} not found, skipped[/dim]")
    resolved = {p: resolve_method(read_instance(p), method) for p in files}
    jobs = [(p, seed) for p in files for seed in range(repeat)]
    todo = [(p, s) for p, s in jobs
            if (p.stem, s, float(time_limit), workers, resolved[p]) not in cache]
    console.print(f"{len(jobs)} runs, {len(jobs) - len(todo)} cached, {len(todo)} to do "
                  f"(≈{len(todo) * time_limit / 60:.0f} min)")

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("suite", total=len(todo))
        for p, seed in todo:
            progress.update(task, description=f"{p.stem} seed {seed}")
            inst = read_instance(p)
            res = solve_instance(inst, time_limit, workers, seed, method=resolved[p])
            rec = {"instance": inst.name, "seed": seed, "time_limit": float(time_limit),
                   "workers": workers, "method": resolved[p], "size": inst.size,
                   "status": res.status, "objective": res.objective, "bound": res.bound,
                   "t_first": res.time_first, "t_best": res.time_best, "wall": res.wall}
            if res.roster is not None:
                ev = evaluate(inst, roster_to_cells(res.roster))
                rec["eval_objective"] = ev.objective
                rec["lawful"] = ev.lawful
                write_roster(out_dir / "rosters" / f"{inst.name}_s{seed}_t{time_limit:g}.txt", inst, res.roster)
                if ev.objective != res.objective or not ev.lawful:
                    console.print(f"[red]{inst.name} seed {seed}: evaluator {ev.objective} "
                                  f"(lawful={ev.lawful}) != solver {res.objective}[/red]")
            else:
                rec["eval_objective"], rec["lawful"] = None, False
            with cache_path.open("a") as f:
                f.write(json.dumps(rec) + "\n")
            cache[_key(rec)] = rec
            progress.advance(task)

    rows = []
    for p in files:
        recs = [cache[(p.stem, s, float(time_limit), workers, resolved[p])] for s in range(repeat)]
        objs = [r["eval_objective"] for r in recs if r["lawful"]]
        bk = best_known.get(p.stem)
        med = statistics.median(objs) if objs else None
        firsts = [r["t_first"] for r in recs if r["t_first"] is not None]
        bests = [r["t_best"] for r in recs if r["t_best"] is not None]
        rows.append({
            "instance": p.stem,
            "method": resolved[p],
            "size": recs[0]["size"],
            "best_known": bk if bk is not None else "",
            "lower_bound": max(int(-(-r["bound"] // 1)) for r in recs),  # ceil: objective is integer
            "objective": med if med is not None else "",
            "gap_pct": f"{100 * (med - bk) / bk:.2f}" if med is not None and bk else "",
            "lawful": f"{len(objs)}/{len(recs)}",
            "t_first_s": f"{statistics.median(firsts):.2f}" if firsts else "",
            "t_best_s": f"{statistics.median(bests):.1f}" if bests else "",
        })
    write_tables(rows, out_dir, time_limit, workers, repeat, method)
    show = Table(title=f"Curtois & Qu, {time_limit:g}s, {workers} workers, median of {repeat}")
    for c in COLUMNS:
        show.add_column(c)
    for r in rows:
        show.add_row(*(str(r[c]) for c in COLUMNS))
    console.print(show)
    return rows


def markdown(rows: list[dict]) -> str:
    head = ["Instance", "Method", "Size (d×s×t)", "Best known", "Lower bound", "turnus (median)", "Gap %",
            "Lawful", "First lawful (s)", "Time to best (s)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join(str(r[c]) for c in COLUMNS) + " |")
    gaps = [float(r["gap_pct"]) for r in rows if r["gap_pct"] != ""]
    if gaps:
        lines.append("")
        lines.append(f"Median gap {statistics.median(gaps):.2f} % over {len(gaps)} instances.")
    return "\n".join(lines) + "\n"


def write_tables(rows: list[dict], out_dir: Path, time_limit: float, workers: int, repeat: int,
                 method: str) -> None:
    stem = f"table_t{time_limit:g}_w{workers}_r{repeat}_{method}"
    (out_dir / f"{stem}.md").write_text(markdown(rows))
    with (out_dir / f"{stem}.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(COLUMNS))
        w.writeheader()
        w.writerows(rows)
