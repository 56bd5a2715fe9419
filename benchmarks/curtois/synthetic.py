"""Seeded synthetic instances in the Curtois & Qu file format, up to 364 days × 150 staff × 32 shift types.

Why: the shared data stop at Instance23 (364×100×16); to see how turnus's engine behaves on larger
instances of the same family we generate them, modelled on the real large instances (21 and 23):

* Shift types in four families — early ``a``, day ``d``, late ``p``, night ``n`` — with lengths 480/600/720
  minutes and start times around 06:00/08:00/14:00/22:00.  A type may not follow another on the next day
  when the rest between them is under 11 hours (this reproduces Instance23's pattern: lates forbid a
  following early or day shift, nights forbid early/day/late, long lates/nights forbid more).
* Contract groups in Instance23's proportions: full-time (2160 min a week, MaxConsecutive 5 or 6 / 4,
  MinConsecutive 2, MinDaysOff 2 or 3, every second weekend) and part-time groups (1620, 1425, 1190 and
  970 min a week; a quarter, three quarters, a third or none of the weekends).  MaxTotalMinutes =
  weekly × weeks, MinTotalMinutes = MaxTotalMinutes − 960, exactly as in the real files.
* Per employee about 60 % of the types allowed; 480-minute day-family types unlimited (MaxShifts = days),
  600-minute types capped at 41 %, 720-minute at 21 %, nights at 8–13 % of the days, scaled by the
  contract's weekly minutes (Instance23: 149, 78, 46/37/31 for full-time staff).
* About 10 % of the days as days off, in blocks of 1–14 days (vacations); on requests on ~18 % and off
  requests on ~8 % of the days, in blocks of 1–5 days of one shift type, weights 1–3.
* Cover for every (day, type), under weight 100, over weight 1.

Lawfulness is guaranteed by construction: a hidden roster is built first, one employee at a time (work
blocks placed around the days off within the consecutive/weekend limits, shift types chosen along each
block within the succession and MaxShifts rules, then days added/removed or types swapped until the
minutes are inside the band; every step re-checks the whole line), and the cover requirements are the
hidden roster's head counts with a little noise (+1 on 3 %, −1 on 10 % of the cells).  The hidden roster
is therefore lawful (the independent evaluator confirms it in the tests) and its objective is an upper
bound on the optimum; ``--hidden`` writes it in the roster format of ``python -m benchmarks.curtois check``.

    python -m benchmarks.curtois.synthetic --days 364 --staff 150 --shifts 32 --seed 1 -o X.txt [--hidden R.txt]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from .evaluator import evaluate
from .reader import Instance, parse_instance
from .writer import Roster, format_roster, roster_to_cells

MAX_DAYS, MAX_STAFF, MAX_SHIFTS = 364, 150, 32
MIN_REST = 11 * 60  # minutes between the end of one shift and the start of the next day's shift

# family letter, nominal start (minutes after midnight), cap ratio of a night type (None: day family)
FAMILIES = (("a", 360, None), ("d", 480, None), ("p", 840, None), ("n", 1320, 0.11))
LENGTHS = (480, 720, 600, 480, 600, 720, 480, 480)  # by index within the family (Instance21: a1 480, a2 720)
START_JITTER = (0, 0, 0, 0, 30, 30, -30, -30)
CAP_RATIO = {480: None, 600: 0.41, 720: 0.21}  # share of the days a full-timer may work that type


@dataclass(frozen=True)
class Group:
    weekly: int  # minutes a week (MaxTotalMinutes = weekly × weeks)
    max_cons: int
    min_cons: int
    min_off: int
    weekends: float  # share of the weekends that may be worked
    share: float  # share of the staff


# Instance23: 50+20 full-time (5/6 consecutive), 10 at 4 consecutive/3 days off, 5 each in four part-time groups
GROUPS = (
    Group(2160, 5, 2, 2, 0.5, 0.50),
    Group(2160, 6, 2, 2, 0.5, 0.20),
    Group(1620, 4, 2, 3, 0.5, 0.10),
    Group(1300, 5, 2, 2, 0.25, 0.05),
    Group(1300, 5, 2, 2, 0.75, 0.05),
    Group(1190, 5, 2, 2, 1 / 3, 0.05),
    Group(970, 3, 1, 1, 0.0, 0.05),
)


@dataclass(frozen=True)
class Contract:
    caps: tuple[int, ...]  # MaxShifts per type (0 = not allowed)
    max_minutes: int
    min_minutes: int
    max_cons: int
    min_cons: int
    min_off: int
    max_weekends: int


@dataclass
class Synthetic:
    text: str  # the instance file (CRLF line endings, like the originals)
    hidden: Roster  # a lawful roster of it
    relaxed: int  # employees whose weekly minutes were lowered to fit a hidden line (0 at 8+ types)


def staff_id(i: int) -> str:
    """A, B, ..., Z, AA, AB, ... (as in the real files)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def make_shifts(n: int) -> tuple[list[str], list[int], list[int], list[list[int]]]:
    """Ids, lengths, start times and forbidden successors of ``n`` types, dealt round the four families."""
    ids, lengths, starts, fam = [], [], [], []
    for i in range(n):
        f, k = i % 4, i // 4
        letter, start, _ = FAMILIES[f]
        ids.append(f"{letter}{k + 1}")
        lengths.append(LENGTHS[k % len(LENGTHS)])
        starts.append(start + START_JITTER[k % len(START_JITTER)])
        fam.append(f)
    forbidden = [[u for u in range(n) if starts[u] + 1440 - (starts[s] + lengths[s]) < MIN_REST] for s in range(n)]
    return ids, lengths, starts, forbidden


def _caps(rng: random.Random, days: int, lengths: list[int], group: Group) -> tuple[int, ...]:
    n = len(lengths)
    frac = group.weekly / 2160
    allowed = [rng.random() < 0.6 for _ in range(n)]
    unlimited = [s for s in range(n) if lengths[s] == 480 and FAMILIES[s % 4][2] is None]
    if not any(allowed[s] for s in unlimited):  # at least one type that is never capped
        allowed[rng.choice(unlimited)] = True
    caps = []
    for s in range(n):
        if not allowed[s]:
            caps.append(0)
            continue
        night = FAMILIES[s % 4][2]
        ratio = CAP_RATIO[lengths[s]] if night is None else night * 480 / lengths[s]
        caps.append(days if ratio is None else max(1, round(ratio * days * frac)))
    return tuple(caps)


def _fixed_off(rng: random.Random, days: int) -> set[int]:
    target = round(0.10 * days)
    off: set[int] = set()
    while len(off) < target:
        length = min(rng.choice((1, 1, 2, 2, 3, 4, 5, 7, 9, 12, 14)), target - len(off))
        start = rng.randrange(days - length + 1)
        off.update(range(start, start + length))
    return off


def _blocks(line: list[int]) -> list[tuple[int, int]]:
    out, start = [], None
    for d, s in enumerate(line + [-1]):
        if s >= 0 and start is None:
            start = d
        elif s < 0 and start is not None:
            out.append((start, d))
            start = None
    return out


def line_ok(line: list[int], c: Contract, lengths: list[int], forbidden: list[set[int]], fixed: set[int],
            minutes: bool = True) -> bool:
    """Does one employee's line obey rules 2-9 of FORMAT.md (``minutes=False``: all but rule 4)?"""
    H = len(line)
    counts = [0] * len(lengths)
    for d, s in enumerate(line):
        if s < 0:
            continue
        if d in fixed:
            return False
        counts[s] += 1
        if d + 1 < H and line[d + 1] in forbidden[s]:
            return False
    if any(n > cap for n, cap in zip(counts, c.caps, strict=True)):
        return False
    if minutes and not c.min_minutes <= sum(n * m for n, m in zip(counts, lengths, strict=True)) <= c.max_minutes:
        return False
    blocks = _blocks(line)
    for a, b in blocks:
        if b - a > c.max_cons or (a > 0 and b < H and b - a < c.min_cons):
            return False
    for (_, b), (a, _) in zip(blocks, blocks[1:], strict=False):
        if a - b < c.min_off:
            return False
    weekends = sum(1 for w in range(H // 7) if line[7 * w + 5] >= 0 or line[7 * w + 6] >= 0)
    return weekends <= c.max_weekends


def _pattern(rng: random.Random, H: int, c: Contract, fixed: set[int], density: float) -> list[bool]:
    """Work days as blocks within the consecutive, days-off and weekend rules, near ``density``."""
    work = [False] * H
    used: set[int] = set()
    weeks = H // 7
    pos, first = 0, True
    while pos < H:
        w = rng.randint(c.min_cons, c.max_cons)
        gap = w * (1 - density) / max(density, 0.05)
        o = max(0 if first else c.min_off, round(gap + rng.uniform(-1, 1)))
        placed = False
        for extra in range(8):
            s = pos + o + extra
            if s >= H:
                break
            for ww in sorted(range(c.min_cons, c.max_cons + 1), key=lambda x: (abs(x - w), rng.random())):
                e = min(H, s + ww)
                if e - s < ww and e < H:
                    continue
                if any(d in fixed for d in range(s, e)):
                    continue
                wk = {d // 7 for d in range(s, e) if d % 7 >= 5}
                new = used | wk
                last = max(wk) if wk else 0
                if wk - used and len(new) > min(c.max_weekends, math.ceil(c.max_weekends * (last + 1) / weeks) + 1):
                    continue
                for d in range(s, e):
                    work[d] = True
                used, pos, first, placed = new, e, False, True
                break
            if placed:
                break
        if not placed:
            pos = pos + o + 8
    return work


def _types(rng: random.Random, work: list[bool], c: Contract, forbidden: list[set[int]],
           load: list[list[int]] | None = None) -> list[int] | None:
    """A shift type on every work day: mostly the previous day's type, within MaxShifts and successions.

    A new type is drawn with weight 1 / (1 + staff already on it that day, ``load``)², so the cover of
    the hidden roster (and hence the requirements) spreads over the types as in the real files.
    """
    allowed = [s for s, cap in enumerate(c.caps) if cap > 0]
    left = list(c.caps)
    line = [-1] * len(work)
    prev = -1
    for d, wk in enumerate(work):
        if not wk:
            prev = -1
            continue
        ok = [s for s in allowed if left[s] > 0 and (prev < 0 or s not in forbidden[prev])]
        if not ok:
            return None
        if prev in ok and rng.random() < 0.75:
            s = prev
        else:
            s = rng.choices(ok, [1 / (1 + load[d][u]) ** 2 for u in ok])[0] if load else rng.choice(ok)
        line[d], left[s], prev = s, left[s] - 1, s
    return line


def _repair(rng: random.Random, line: list[int], c: Contract, lengths: list[int], forbidden: list[set[int]],
            fixed: set[int], tries: int = 3000) -> bool:
    """Add/remove days at block ends or swap types until the minutes are inside the band."""
    H = len(line)
    allowed = [s for s, cap in enumerate(c.caps) if cap > 0]
    mins = sum(lengths[s] for s in line if s >= 0)
    stuck = 0
    for _ in range(tries):
        if c.min_minutes <= mins <= c.max_minutes:
            return True
        if stuck > 300:  # no lawful move left in this direction: a new pattern is cheaper
            return False
        stuck += 1
        low = mins < c.min_minutes
        if rng.random() < 0.6:  # change the number of work days
            if low:
                cands = [d for d in range(H) if line[d] < 0 and d not in fixed
                         and ((d > 0 and line[d - 1] >= 0) or (d + 1 < H and line[d + 1] >= 0))]
            else:
                cands = [d for d in range(H) if line[d] >= 0 and (d == 0 or line[d - 1] < 0 or d + 1 == H
                                                                   or line[d + 1] < 0)]
            if not cands:
                continue
            d = rng.choice(cands)
            old = line[d]
            new = -1 if not low else rng.choice(allowed if d == 0 or line[d - 1] < 0 else [line[d - 1], *allowed])
        else:  # swap one day's type for a longer (shorter) one
            cands = [d for d in range(H) if line[d] >= 0]
            if not cands:
                continue
            d = rng.choice(cands)
            old = line[d]
            opts = [s for s in allowed if (lengths[s] > lengths[old]) == low and lengths[s] != lengths[old]]
            if not opts:
                continue
            new = rng.choice(opts)
        line[d] = new
        if line_ok(line, c, lengths, forbidden, fixed, minutes=False):
            mins += (lengths[new] if new >= 0 else 0) - (lengths[old] if old >= 0 else 0)
            stuck = 0
        else:
            line[d] = old
    return c.min_minutes <= mins <= c.max_minutes


def _hidden_line(rng: random.Random, H: int, c: Contract, lengths: list[int], forbidden: list[set[int]],
                 fixed: set[int], load: list[list[int]] | None = None) -> list[int] | None:
    allowed = [s for s, cap in enumerate(c.caps) if cap > 0]
    mean_len = sum(lengths[s] for s in allowed) / len(allowed)
    free = H - len(fixed)
    density = min(0.95, (c.min_minutes + c.max_minutes) / 2 / mean_len / max(1, free))
    for attempt in range(8):
        work = _pattern(rng, H, c, fixed, min(0.95, density * (1 + 0.05 * attempt)))
        line = _types(rng, work, c, forbidden, load)
        if line is None or not line_ok(line, c, lengths, forbidden, fixed, minutes=False):
            continue
        if _repair(rng, line, c, lengths, forbidden, fixed):
            return line
    return None


def _request_blocks(rng: random.Random, H: int, share: float, allowed: list[int], taken: set[int],
                    fixed: set[int]) -> list[tuple[int, int, int]]:
    """(day, type, weight) requests on about ``share`` of the days, in blocks of one type and weight."""
    out: list[tuple[int, int, int]] = []
    target = round(share * H)
    for _ in range(10 * target + 10):
        if len(out) >= target:
            break
        length = rng.randint(1, 5)
        start = rng.randrange(H)
        s, w = rng.choice(allowed), rng.randint(1, 3)
        for d in range(start, min(H, start + length)):
            if d not in taken and d not in fixed:
                out.append((d, s, w))
                taken.add(d)
    return out


def generate(days: int, staff: int, shifts: int, seed: int = 1, noise_plus: float = 0.03,
             noise_minus: float = 0.10) -> Synthetic:
    """One instance and a lawful (hidden) roster of it."""
    if days <= 0 or days % 7 or days > MAX_DAYS:
        raise ValueError(f"days must be a positive multiple of 7 up to {MAX_DAYS}, got {days}")
    if not 1 <= staff <= MAX_STAFF or not 1 <= shifts <= MAX_SHIFTS:
        raise ValueError(f"staff 1..{MAX_STAFF} and shifts 1..{MAX_SHIFTS}, got {staff} and {shifts}")
    rng = random.Random(seed)
    ids, lengths, _, forb = make_shifts(shifts)
    forbidden = [set(f) for f in forb]
    weeks = days // 7
    groups = rng.choices(GROUPS, weights=[g.share for g in GROUPS], k=staff)
    groups.sort(key=GROUPS.index)  # the real files list staff by contract group
    contracts, fixed_offs, hidden = [], [], []
    relaxed = 0
    count = [[0] * shifts for _ in range(days)]  # head count of the hidden roster so far
    for g in groups:
        fixed = _fixed_off(rng, days)
        line = None
        weekly = g.weekly
        for attempt in range(12):
            # with few (or only 480-minute) types a full-time band may not fit around the days off:
            # after three contracts without a hidden line, the weekly minutes are lowered by 8 % a time
            if attempt >= 3:
                weekly = round(weekly * 0.92 / 10) * 10
            caps = _caps(rng, days, lengths, g)
            hi = weekly * weeks
            c = Contract(caps, hi, max(0, hi - 960), g.max_cons, g.min_cons, g.min_off,
                         round(g.weekends * weeks))
            line = _hidden_line(rng, days, c, lengths, forbidden, fixed, count)
            if line is not None:
                break
        relaxed += weekly != g.weekly
        if line is None:  # last resort (not seen at the benchmark's sizes): a band around an all-480 line
            c = Contract(caps, c.max_minutes, c.min_minutes, c.max_cons, c.min_cons, c.min_off, c.max_weekends)
            base = [s for s in range(shifts) if c.caps[s] == days][0]
            work = _pattern(rng, days, c, fixed, 0.6)
            line = [base if w else -1 for w in work]
            m = sum(lengths[s] for s in line if s >= 0)
            c = Contract(c.caps, m + 480, max(0, m - 480), c.max_cons, c.min_cons, c.min_off, c.max_weekends)
        contracts.append(c)
        fixed_offs.append(fixed)
        hidden.append(line)
        for d, s in enumerate(line):
            if s >= 0:
                count[d][s] += 1

    out = [
        "# Synthetic instance in the Curtois & Qu format (benchmarks/curtois/synthetic.py)",
        f"# days {days}, staff {staff}, shift types {shifts}, seed {seed}",
        "SECTION_HORIZON",
        "# All instances start on a Monday",
        "# The horizon length in days:",
        str(days),
        "",
        "SECTION_SHIFTS",
        "# ShiftID, Length in mins, Shifts which cannot follow this shift | separated",
    ]
    out += [f"{ids[s]},{lengths[s]},{'|'.join(ids[u] for u in forb[s])}" for s in range(shifts)]
    out += ["", "SECTION_STAFF",
            "# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, "
            "MinConsecutiveDaysOff, MaxWeekends"]
    for e, c in enumerate(contracts):
        caps = "|".join(f"{ids[s]}={c.caps[s]}" for s in range(shifts))
        out.append(f"{staff_id(e)},{caps},{c.max_minutes},{c.min_minutes},{c.max_cons},{c.min_cons},"
                   f"{c.min_off},{c.max_weekends}")
    out += ["", "SECTION_DAYS_OFF", "# EmployeeID, DayIndexes (start at zero)"]
    out += [",".join([staff_id(e), *map(str, sorted(f))]) for e, f in enumerate(fixed_offs) if f]
    on_lines, off_lines = [], []
    for e, c in enumerate(contracts):
        allowed = [s for s in range(shifts) if c.caps[s] > 0]
        taken: set[int] = set()
        on_lines += [f"{staff_id(e)},{d},{ids[s]},{w}" for d, s, w in
                     sorted(_request_blocks(rng, days, 0.18, allowed, taken, fixed_offs[e]))]
        off_lines += [f"{staff_id(e)},{d},{ids[s]},{w}" for d, s, w in
                      sorted(_request_blocks(rng, days, 0.08, allowed, taken, fixed_offs[e]))]
    out += ["", "SECTION_SHIFT_ON_REQUESTS", "# EmployeeID, Day, ShiftID, Weight", *on_lines]
    out += ["", "SECTION_SHIFT_OFF_REQUESTS", "# EmployeeID, Day, ShiftID, Weight", *off_lines]
    out += ["", "SECTION_COVER", "# Day, ShiftID, Requirement, Weight for under, Weight for over"]
    for d in range(days):
        for s in range(shifts):
            n, r = count[d][s], rng.random()
            req = n + 1 if r < noise_plus else n - 1 if n > 0 and r < noise_plus + noise_minus else n
            out.append(f"{d},{ids[s]},{req},100,1")
    text = "\r\n".join(out) + "\r\n"
    return Synthetic(text, hidden, relaxed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.curtois.synthetic", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=int, default=MAX_DAYS)
    ap.add_argument("--staff", type=int, default=MAX_STAFF)
    ap.add_argument("--shifts", type=int, default=MAX_SHIFTS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--out", type=Path, required=True, help="instance file to write (.txt)")
    ap.add_argument("--hidden", type=Path, default=None, help="also write the hidden lawful roster here")
    a = ap.parse_args(argv)
    try:
        syn = generate(a.days, a.staff, a.shifts, a.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    a.out.write_bytes(syn.text.encode("utf-8"))
    inst: Instance = parse_instance(syn.text, name=a.out.stem)
    ev = evaluate(inst, roster_to_cells(syn.hidden))
    print(f"{a.out}: {inst.size} (days×staff×shifts), seed {a.seed}, {len(inst.on_requests)} on / "
          f"{len(inst.off_requests)} off requests, {len(inst.cover)} cover rows")
    print(f"hidden roster: lawful {ev.lawful}, objective {ev.objective} (on {ev.on_requests}, off "
          f"{ev.off_requests}, under {ev.cover_under}, over {ev.cover_over}), relaxed bands {syn.relaxed}")
    if a.hidden:
        a.hidden.write_text(format_roster(inst, syn.hidden), encoding="utf-8")
        print(f"hidden roster written to {a.hidden}")
    return 0 if ev.lawful else 1


if __name__ == "__main__":
    sys.exit(main())
