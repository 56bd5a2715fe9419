"""The competition's per-week solution files: read (any solver's) and write (ours).

A week file is `SOLUTION`, `<week> <scenario>`, `ASSIGNMENTS = n`, then n lines `nurse day shift skill` (day
Mon..Sun). We write `DIR/sol-week0.txt` ...; we read those, or the datasets' `Sol-<scenario>-<wd>-<week>.txt`.
"""

from __future__ import annotations

import re
from pathlib import Path

from .evaluator import Cell
from .problem import DAYS, FormatError, Problem


def week_files(sol_dir: Path, weeks: int) -> list[Path]:
    """The week files of a solution folder, in week order."""
    ours = [sol_dir / f"sol-week{w}.txt" for w in range(weeks)]
    if all(p.exists() for p in ours):
        return ours
    found: dict[int, Path] = {}
    for p in sol_dir.glob("*.txt"):
        m = re.fullmatch(r"(?i)sol-.*-(\d+)\.txt", p.name)
        if m:
            found[int(m.group(1))] = p
    if sorted(found) != list(range(weeks)):
        raise FormatError(f"{sol_dir}: expected sol-week0.txt .. sol-week{weeks - 1}.txt")
    return [found[w] for w in range(weeks)]


def read_solution(p: Problem, sol_dir: Path | str) -> list[Cell]:
    cells: list[Cell] = []
    nurses, shifts = p.nurse_by_name, set(p.shift_names)
    for w, path in enumerate(week_files(Path(sol_dir), len(p.week_data))):
        lines = [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]
        try:
            i = next(k for k, ln in enumerate(lines) if ln.startswith("ASSIGNMENTS"))
            n = int(lines[i].split("=")[1])
        except (StopIteration, IndexError, ValueError):
            raise FormatError(f"{path}: missing 'ASSIGNMENTS = n'") from None
        body = lines[i + 1 : i + 1 + n]
        if len(body) != n:
            raise FormatError(f"{path}: {n} assignments announced, {len(body)} found")
        for ln in body:
            parts = ln.split()
            if (
                len(parts) != 4
                or parts[0] not in nurses
                or parts[1] not in DAYS
                or parts[2] not in shifts
                or parts[3] not in p.skills
            ):
                raise FormatError(f"{path}: bad assignment line {ln!r}")
            cells.append((parts[0], 7 * w + DAYS.index(parts[1]), parts[2], parts[3]))
    return cells


def write_solution(p: Problem, cells: list[Cell], out_dir: Path | str) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    order = {n.name: i for i, n in enumerate(p.nurses)}
    paths = []
    for w in range(len(p.week_data)):
        rows = sorted((c for c in cells if c[1] // 7 == w), key=lambda c: (order[c[0]], c[1]))
        text = ["SOLUTION", f"{w} {p.scenario}", "", f"ASSIGNMENTS = {len(rows)}"]
        text += [f"{n} {DAYS[d % 7]} {sh} {sk}" for n, d, sh, sk in rows]
        path = out / f"sol-week{w}.txt"
        path.write_text("\n".join(text) + "\n")
        paths.append(path)
    return paths
