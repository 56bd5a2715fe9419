"""Independent evaluator for Curtois & Qu rosters (pure Python, deliberately no ortools).

It re-reads the rules from FORMAT.md and checks a roster cell by cell, so that a bug in the
CP-SAT model (a rule encoded too loosely, a mis-weighted term) shows up as a disagreement
between the solver's objective and this one instead of as a suspiciously good benchmark.
Run-based rules are checked on explicit maximal runs, a different formulation from the
model's sliding-window clauses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .reader import Instance
from .writer import Cells

RULES = (
    "one-shift-per-day",  # 1
    "forbidden-succession",  # 2
    "max-shifts-per-type",  # 3
    "total-minutes",  # 4
    "max-consecutive-shifts",  # 5
    "min-consecutive-shifts",  # 6
    "min-consecutive-days-off",  # 7
    "max-weekends",  # 8
    "day-off",  # 9
)


@dataclass(frozen=True)
class Violation:
    rule: str
    employee: str
    days: tuple[int, ...]
    detail: str

    def __str__(self) -> str:
        days = ",".join(map(str, self.days)) if self.days else "-"
        return f"{self.rule:<26} {self.employee:<6} days {days:<20} {self.detail}"


@dataclass
class Evaluation:
    violations: list[Violation] = field(default_factory=list)
    on_requests: int = 0
    off_requests: int = 0
    cover_under: int = 0
    cover_over: int = 0

    @property
    def lawful(self) -> bool:
        return not self.violations

    @property
    def objective(self) -> int:
        return self.on_requests + self.off_requests + self.cover_under + self.cover_over

    def rules_violated(self) -> set[str]:
        return {v.rule for v in self.violations}


def _runs(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs ``[start, end)`` where ``flags == value``."""
    out, start = [], None
    for d, f in enumerate(flags + [not value]):
        if f == value and start is None:
            start = d
        elif f != value and start is not None:
            out.append((start, d))
            start = None
    return out


def evaluate(instance: Instance, cells: Cells) -> Evaluation:
    """Check all nine hard rules and compute the four penalty terms."""
    ev = Evaluation()
    H = instance.horizon
    shifts = instance.shifts
    for e, st in enumerate(instance.staff):
        row = cells[e]
        emp = st.id

        def bad(rule: str, days: list[int] | tuple[int, ...], detail: str) -> None:
            ev.violations.append(Violation(rule, emp, tuple(days), detail))

        work = [len(c) > 0 for c in row]
        for d, c in enumerate(row):
            if len(c) > 1:
                bad(RULES[0], [d], f"{len(c)} shifts on one day")
            if c and d in st.days_off:
                bad(RULES[8], [d], "works on a listed day off")
        for d in range(H - 1):
            for s in row[d]:
                for t in row[d + 1]:
                    if t in shifts[s].forbidden_next:
                        bad(RULES[1], [d, d + 1], f"{shifts[t].id} may not follow {shifts[s].id}")
        counts = [0] * len(shifts)
        minutes = 0
        for c in row:
            for s in c:
                counts[s] += 1
                minutes += shifts[s].minutes
        for s, n in enumerate(counts):
            if n > st.max_shifts[s]:
                bad(RULES[2], [], f"{n} × {shifts[s].id} > max {st.max_shifts[s]}")
        if minutes > st.max_minutes:
            bad(RULES[3], [], f"{minutes} min > max {st.max_minutes}")
        if minutes < st.min_minutes:
            bad(RULES[3], [], f"{minutes} min < min {st.min_minutes}")
        for a, b in _runs(work, True):
            if b - a > st.max_consecutive:
                bad(RULES[4], list(range(a, b)), f"{b - a} shifts in a row > max {st.max_consecutive}")
            # Runs touching either end of the horizon are exempt (FORMAT.md).
            if a > 0 and b < H and b - a < st.min_consecutive:
                bad(RULES[5], list(range(a, b)), f"{b - a} shifts in a row < min {st.min_consecutive}")
        for a, b in _runs(work, False):
            if a > 0 and b < H and b - a < st.min_days_off:
                bad(RULES[6], list(range(a, b)), f"{b - a} days off in a row < min {st.min_days_off}")
        worked = [w for w in range(H // 7) if work[7 * w + 5] or work[7 * w + 6]]
        if len(worked) > st.max_weekends:
            days = [7 * w + k for w in worked for k in (5, 6) if work[7 * w + k]]
            bad(RULES[7], days, f"{len(worked)} weekends > max {st.max_weekends}")

    for r in instance.on_requests:
        if r.shift not in cells[r.employee][r.day]:
            ev.on_requests += r.weight
    for r in instance.off_requests:
        if r.shift in cells[r.employee][r.day]:
            ev.off_requests += r.weight
    for c in instance.cover:
        n = sum(1 for e in range(instance.n_staff) if c.shift in cells[e][c.day])
        if n < c.requirement:
            ev.cover_under += c.under_weight * (c.requirement - n)
        elif n > c.requirement:
            ev.cover_over += c.over_weight * (n - c.requirement)
    return ev


def format_evaluation(ev: Evaluation) -> str:
    lines = []
    if ev.violations:
        lines.append(f"{len(ev.violations)} hard violation(s):")
        lines.extend(f"  {v}" for v in ev.violations)
    else:
        lines.append("lawful: no hard violations")
    lines.append(f"  on requests   {ev.on_requests:>8}")
    lines.append(f"  off requests  {ev.off_requests:>8}")
    lines.append(f"  cover under   {ev.cover_under:>8}")
    lines.append(f"  cover over    {ev.cover_over:>8}")
    lines.append(f"  objective     {ev.objective:>8}")
    return "\n".join(lines)
