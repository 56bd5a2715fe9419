"""The INRC-II objective, computed from the data files and the solution alone (no turnus import).

Hard: H1 one assignment per nurse and day, H2 minimum cover per (day, shift, skill) cell counting each assignment
in its declared skill only, H3 forbidden successions (also from the history's last shift into day 0), H4 skills.
Soft (FORMAT.md): S1 optimal cover, S2 consecutive working days and same-shift runs, S3 consecutive days off,
S4 shift-off requests, S5 complete weekends, S6 total assignments, S7 working weekends; with the organisers'
border conventions: the history continues the first series, days over a maximum count only inside the horizon,
a series ending inside the horizon (or a history series ending on day 0) pays its shortfall, a series still
running on the last day pays none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from .problem import DAYS, Problem

Cell = tuple[str, int, str, str]  # (nurse, horizon day, shift, skill)

WEIGHTS = {"S1": 30, "S2_work": 30, "S2_shift": 15, "S3": 30, "S4": 10, "S5": 30, "S6": 20, "S7": 30}
TERMS = ("S1", "S2", "S3", "S4", "S5", "S6", "S7")
TERM_NAMES = {
    "S1": "optimal cover",
    "S2": "consecutive working days and shifts",
    "S3": "consecutive days off",
    "S4": "shift-off requests",
    "S5": "complete weekends",
    "S6": "total assignments",
    "S7": "working weekends",
}


@dataclass
class Evaluation:
    hard: dict[str, int] = field(default_factory=lambda: {"H1": 0, "H2": 0, "H3": 0, "H4": 0})
    soft: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TERMS, 0))
    details: list[str] = field(default_factory=list)  # one line per hard violation (first ones)

    @property
    def feasible(self) -> bool:
        return not any(self.hard.values())

    @property
    def total(self) -> int:
        return sum(self.soft.values())


def series_cost(
    labels: Sequence[Hashable], start: Hashable, start_len: int, bounds: dict[Hashable, tuple[int, int]]
) -> tuple[int, int]:
    """(days short, days over) of the maximal runs of equal labels, for the labels that have bounds.

    `start`/`start_len`: the label and run length at the end of the history (start_len 0: none). The history run
    continues the first run when the labels match; otherwise it ended on day 0 and pays its own shortfall. Days
    over a maximum count only inside the horizon; the run still going on the last day pays no shortfall.
    """
    short = over = 0
    n = len(labels)
    d = 0
    if start_len > 0 and (n == 0 or labels[0] != start) and start in bounds:
        short += max(0, bounds[start][0] - start_len)
    while d < n:
        e = d
        while e + 1 < n and labels[e + 1] == labels[d]:
            e += 1
        lab = labels[d]
        if lab in bounds:
            lo, hi = bounds[lab]
            before = start_len if d == 0 and start_len > 0 and lab == start else 0
            length = before + e - d + 1
            over += max(0, length - max(hi, before))
            if e < n - 1:
                short += max(0, lo - length)
        d = e + 1
    return short, over


def evaluate(p: Problem, cells: list[Cell]) -> Evaluation:
    ev = Evaluation()
    D = p.days
    nurses = p.nurse_by_name
    shift_of: dict[str, list[str | None]] = {n.name: [None] * D for n in p.nurses}
    per_day = Counter((n, d) for n, d, _, _ in cells)
    for (n, d), k in per_day.items():
        if k > 1:
            ev.hard["H1"] += k - 1
            ev.details.append(f"H1 {n} has {k} assignments on day {d}")
    for n, d, sh, sk in cells:
        shift_of[n][d] = sh
        if sk not in nurses[n].skills:
            ev.hard["H4"] += 1
            ev.details.append(f"H4 {n} lacks skill {sk} (day {d} {sh})")
    count = Counter((d, sh, sk) for _, d, sh, sk in cells)
    for d in range(D):
        for sh in p.shift_names:
            for sk in p.skills:
                lo, opt = p.cover(d, sh, sk)
                c = count[(d, sh, sk)]
                if c < lo:
                    ev.hard["H2"] += lo - c
                    ev.details.append(f"H2 day {d} {sh} {sk}: {c} < {lo}")
                else:
                    ev.soft["S1"] += WEIGHTS["S1"] * max(0, opt - c)
    shift_bounds = {s.name: (s.min_consecutive, s.max_consecutive) for s in p.shifts}
    requests = {(n, d): sh for n, sh, d in p.off_requests() if sh is None}
    shift_requests = {(n, d, sh) for n, sh, d in p.off_requests() if sh is not None}
    for nurse in p.nurses:
        n, c, h = nurse.name, p.contract_of(nurse.name), p.history[nurse.name]
        line = shift_of[n]
        prev = h.last_shift
        for d in range(D):
            if prev is not None and line[d] is not None and line[d] in p.forbidden.get(prev, ()):
                ev.hard["H3"] += 1
                ev.details.append(f"H3 {n} {prev} -> {line[d]} on day {d}")
            prev = line[d]
        work = [s is not None for s in line]
        if h.working > 0:
            w_start, w_len = True, h.working
        elif h.off > 0:
            w_start, w_len = False, h.off
        else:
            w_start, w_len = True, 0
        # working-day runs (S2) and days-off runs (S3) are one alternating sequence
        ws, wo = series_cost(work, w_start, w_len, {True: (c.min_work, c.max_work)})
        ev.soft["S2"] += WEIGHTS["S2_work"] * (ws + wo)
        os_, oo = series_cost(work, w_start, w_len, {False: (c.min_off, c.max_off)})
        ev.soft["S3"] += WEIGHTS["S3"] * (os_ + oo)
        ss, so = series_cost(line, h.last_shift, h.same_shift if h.last_shift else 0, shift_bounds)
        ev.soft["S2"] += WEIGHTS["S2_shift"] * (ss + so)
        for d in range(D):
            if line[d] is not None and ((n, d) in requests or (n, d, line[d]) in shift_requests):
                ev.soft["S4"] += WEIGHTS["S4"]
        weekends = 0
        for w in range(D // 7):
            sat, sun = work[7 * w + 5], work[7 * w + 6]
            weekends += sat or sun
            if c.complete_weekends and sat != sun:
                ev.soft["S5"] += WEIGHTS["S5"]
        total = h.assignments + sum(work)
        ev.soft["S6"] += WEIGHTS["S6"] * (max(0, c.min_total - total) + max(0, total - c.max_total))
        ev.soft["S7"] += WEIGHTS["S7"] * max(0, h.weekends + weekends - c.max_weekends)
    return ev


def format_evaluation(p: Problem, ev: Evaluation) -> str:
    lines = [f"{p.name}: {len(p.nurses)} nurses, {p.days} days, {len(p.shifts)} shifts, {len(p.skills)} skills"]
    for k, v in ev.hard.items():
        lines.append(f"  {k:<3} hard violations {v:>8}")
    for k in TERMS:
        lines.append(f"  {k:<3} {TERM_NAMES[k]:<38} {ev.soft[k]:>6}")
    lines.append(f"  total {ev.total}" + ("" if ev.feasible else "  (INFEASIBLE: hard violations)"))
    lines += ["  " + x for x in ev.details[:20]]
    return "\n".join(lines)


__all__ = ["DAYS", "Evaluation", "evaluate", "format_evaluation", "series_cost"]
