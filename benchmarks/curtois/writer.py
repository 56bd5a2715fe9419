"""Roster files: write solver output, read rosters back for the independent evaluator.

File format (one line per employee, in instance staff order): the employee id, then one
TAB-separated cell per day holding the shift id, or an empty cell for a day off.  A cell
may hold several ids joined by ``+``; our solver never writes that, but the reader accepts
it so that the evaluator can report rule 1 (one shift per day) for rosters produced elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from .reader import Instance

# cells[e][d] = tuple of shift indices worked by employee e on day d (empty = day off)
Cells = list[list[tuple[int, ...]]]
# roster[e][d] = shift index, or -1 for a day off (solver representation)
Roster = list[list[int]]


class RosterFormatError(ValueError):
    """Raised for a roster file that does not match the instance (bad input, exit code 2)."""


def roster_to_cells(roster: Roster) -> Cells:
    return [[(s,) if s >= 0 else () for s in row] for row in roster]


def format_roster(instance: Instance, roster: Roster) -> str:
    lines = []
    for e, st in enumerate(instance.staff):
        cells = [instance.shifts[s].id if s >= 0 else "" for s in roster[e]]
        lines.append("\t".join([st.id, *cells]))
    return "\n".join(lines) + "\n"


def write_roster(path: str | Path, instance: Instance, roster: Roster) -> None:
    Path(path).write_text(format_roster(instance, roster), encoding="utf-8")


def parse_roster(instance: Instance, text: str, name: str = "<roster>") -> Cells:
    """Parse roster text against ``instance``; every employee must appear exactly once."""
    sidx = instance.shift_index()
    eidx = instance.staff_index()
    cells: list[list[tuple[int, ...]] | None] = [None] * instance.n_staff
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        emp = fields[0].strip()
        if emp not in eidx:
            raise RosterFormatError(f"{name}:{lineno}: unknown employee id {emp!r}")
        e = eidx[emp]
        if cells[e] is not None:
            raise RosterFormatError(f"{name}:{lineno}: employee {emp!r} listed twice")
        days = fields[1:]
        if len(days) < instance.horizon:
            # Trailing empty cells may have been stripped by an editor: treat as days off.
            days = days + [""] * (instance.horizon - len(days))
        if len(days) > instance.horizon and any(c.strip() for c in days[instance.horizon :]):
            raise RosterFormatError(
                f"{name}:{lineno}: {len(days)} day cells for a {instance.horizon}-day horizon"
            )
        row: list[tuple[int, ...]] = []
        for d, cell in enumerate(days[: instance.horizon]):
            ids = [t.strip() for t in cell.split("+") if t.strip()]
            for t in ids:
                if t not in sidx:
                    raise RosterFormatError(f"{name}:{lineno}: day {d}: unknown shift id {t!r}")
            row.append(tuple(sidx[t] for t in ids))
        cells[e] = row
    missing = [instance.staff[e].id for e, r in enumerate(cells) if r is None]
    if missing:
        raise RosterFormatError(f"{name}: no line for employee(s) {', '.join(missing)}")
    return [r for r in cells if r is not None]


def read_roster(instance: Instance, path: str | Path) -> Cells:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterFormatError(f"{p}: cannot read: {exc}") from exc
    return parse_roster(instance, text, name=str(p))
