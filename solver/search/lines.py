"""One person's best roster line by dynamic programming over days (numpy only, no CP-SAT).

Why: every hard rule of a roster line (forbidden successions, run lengths, total minutes,
weekends, per-type maxima) concerns one person; only the cover couples people.  Given the
marginal cost of each (day, shift type) against the cover the others leave, a person's best
line is a resource-constrained shortest path over days, which a DP solves exactly and far
faster than a CP-SAT model of the same line.  That makes it a construction step (one person
at a time against the residual cover) and a whole-line improvement move.

State after day d: the kind of day d (off, or a *group* of interchangeable shift types), the
length of the current run (capped where longer runs behave alike), and resource axes kept
dense: minutes worked (in units of the gcd of the usable shift lengths), weekends worked and,
when they fit, a count per limited shift type.  Every transition is one numpy operation over
the whole resource block of a (kind, run) combination, so the Python work per day is a few
dozen array calls whatever the minutes range.  Each day only its live minutes window is computed
(cells above what the days so far can reach, or below what the remaining days can still make up
to the minimum, stay inf), and the path is recovered by scalar backtracking over stored values.

Exact or Lagrangian.  Minutes are always exact.  Weekends and per-type maxima are kept as
exact axes while the states per day stay within ``max_states``; a limit that does not fit is
*priced* instead: a multiplier per limit is added to the cost of using it and updated by
subgradient rounds (Polyak steps) on the over-used limits.  Only lines that satisfy every
limit are returned (checked with :func:`line_cost`); a repair step (keep an over-used limit's
best uses only, re-solve) turns relaxed lines into lawful ones.  ``LineResult.optimal`` says whether the
line is proven optimal: always in the exact case; in the priced case when complementary
slackness holds (a feasible line whose priced limits with a positive price are met with
equality) or the Lagrangian bound reaches its cost.  With prices, ``None`` means no lawful line
was *found* within the rounds, unless the relaxation itself is infeasible (then none exists).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import reduce

import numpy as np

INF = np.inf
# States per day (kind × run × resource cells) allowed for exact axes.  The forward pass keeps
# every day's values for the backtracking, so memory is about D × states × 8 bytes (≤ 350 MB for
# a 364-day line at the cap; ~100 MB on Instance23, whose big axes are priced).
DEFAULT_MAX_STATES = 120_000
DEFAULT_ROUNDS = 12  # subgradient rounds when some limit is priced


@dataclass(frozen=True, eq=False)
class LineSpec:
    """One person's line over D days; each day off (-1) or one of V shift types.

    ``cost[d, v]`` is the cost of working type v on day d (``np.inf`` = not allowed) and
    ``off_cost[d]`` the cost of being off.  ``exempt_edges``: runs touching the first or the
    last day are exempt from the two run-length minimums (what lies outside is unknown).
    ``weekend_of_day[d]`` is the weekend number of day d or -1; each weekend must be a block of
    one or two consecutive days (a weekend counts as worked if any of its days is worked).
    """

    cost: np.ndarray
    off_cost: np.ndarray
    minutes: np.ndarray
    min_minutes: int
    max_minutes: int
    max_per_type: np.ndarray
    forbidden_next: np.ndarray
    max_consecutive_work: int
    min_consecutive_work: int
    min_consecutive_off: int
    weekend_of_day: np.ndarray
    max_weekends: int
    exempt_edges: bool = True

    def __post_init__(self) -> None:
        D, V = np.shape(self.cost)
        checks = {
            "off_cost": (np.shape(self.off_cost), (D,)),
            "minutes": (np.shape(self.minutes), (V,)),
            "max_per_type": (np.shape(self.max_per_type), (V,)),
            "forbidden_next": (np.shape(self.forbidden_next), (V, V)),
            "weekend_of_day": (np.shape(self.weekend_of_day), (D,)),
        }
        for name, (got, want) in checks.items():
            if got != want:
                raise ValueError(f"LineSpec.{name} has shape {got}, expected {want}")
        if np.any(np.asarray(self.minutes) < 0):
            raise ValueError("LineSpec.minutes must be non-negative")
        _check_weekends(np.asarray(self.weekend_of_day))

    @property
    def days(self) -> int:
        return int(np.shape(self.cost)[0])

    @property
    def types(self) -> int:
        return int(np.shape(self.cost)[1])


@dataclass
class LineResult:
    """A lawful line, its true cost, whether it is proven optimal, and the final prices."""

    line: np.ndarray
    cost: float
    optimal: bool
    rounds: int = 1
    type_prices: np.ndarray | None = None  # [V] price per use of each priced type
    weekend_price: float = 0.0


def _check_weekends(wk: np.ndarray) -> None:
    for k in np.unique(wk[wk >= 0]):
        days = np.flatnonzero(wk == k)
        if len(days) > 2 or days[-1] - days[0] != len(days) - 1:
            raise ValueError(f"weekend {k} must be one or two consecutive days, got days {days.tolist()}")


# ----------------------------------------------------------------------------------------------
# Verification


def _runs(work: np.ndarray, value: bool) -> list[tuple[int, int]]:
    """Maximal runs [start, end) where ``work == value``."""
    out, start = [], None
    for d, w in enumerate([*work.tolist(), not value]):
        if w == value and start is None:
            start = d
        elif w != value and start is not None:
            out.append((start, d))
            start = None
    return out


def line_is_lawful(spec: LineSpec, line: np.ndarray) -> bool:
    """Every hard limit of ``spec`` on ``line`` (runs checked explicitly, not by the DP's states)."""
    line = np.asarray(line, dtype=int)
    D, V = spec.days, spec.types
    if line.shape != (D,) or np.any((line < -1) | (line >= V)):
        return False
    work = line >= 0
    days = np.flatnonzero(work)
    if np.any(~np.isfinite(spec.cost[days, line[days]])):
        return False
    if np.any(spec.forbidden_next[line[:-1][work[:-1] & work[1:]], line[1:][work[:-1] & work[1:]]]):
        return False
    counts = np.bincount(line[days], minlength=V)
    if np.any(counts > spec.max_per_type):
        return False
    total = int(spec.minutes[line[days]].sum())
    if not spec.min_minutes <= total <= spec.max_minutes:
        return False
    for value, minimum in ((True, spec.min_consecutive_work), (False, spec.min_consecutive_off)):
        for a, b in _runs(work, value):
            if value and b - a > spec.max_consecutive_work:
                return False
            edge = spec.exempt_edges and (a == 0 or b == D)
            if b - a < minimum and not edge:
                return False
    wk = spec.weekend_of_day
    return len(np.unique(wk[work & (wk >= 0)])) <= spec.max_weekends


def line_cost(spec: LineSpec, line: np.ndarray) -> float | None:
    """Total cost of ``line`` (shift index or -1 per day), or None if it breaks a hard limit."""
    if not line_is_lawful(spec, line):
        return None
    line = np.asarray(line, dtype=int)
    work = line >= 0
    d = np.arange(spec.days)
    return float(spec.cost[d[work], line[work]].sum() + spec.off_cost[~work].sum())


# ----------------------------------------------------------------------------------------------
# The DP plan: groups of interchangeable types and the resource axes


@dataclass
class _Plan:
    """Everything one DP run needs, derived from a spec and the current prices."""

    D: int
    groups: list[list[int]]  # original types per group
    gcost: np.ndarray  # [D, G] least (priced) cost of the group per day
    gpick: np.ndarray  # [D, G] original type achieving it
    off_cost: np.ndarray  # [D]
    units: np.ndarray  # [G] minutes in units (0 when the minutes axis is dropped)
    min_units: int
    pred: list[tuple[int, ...]]  # groups h that may precede group g
    Rw: int  # work run lengths 1..Rw
    work_merge: bool  # Rw is a cap (no maximum): runs >= Rw behave alike
    Ro: int  # off run lengths 1..Ro (always a cap)
    minc: int
    mino: int
    exempt: bool
    wk: np.ndarray  # [D] weekend of day
    weekend_axis: bool
    weekend_price: float
    count_axis: list[int]  # per group: resource axis of its count, or -1
    shape: tuple[int, ...]  # resource shape (minutes, weekends, counts...)
    window: list[tuple[int, int]] = field(default_factory=list)  # per day: live minutes cells [lo, hi]
    pad: tuple[int, ...] | None = None  # leading padding per resource axis (see _pad)

    memo: dict = field(default_factory=dict)  # small per-plan caches (offsets, masks, slices)

    def shift(self, g: int, d: int, from_work: bool) -> tuple[int, ...]:
        """Resource offsets of working group g on day d after a worked / off day d-1."""
        delta = self._weekend_delta(d, from_work) if self.weekend_axis else 0
        key = ("shift", g, delta)
        if key not in self.memo:
            off = [int(self.units[g]), delta] + [0] * (len(self.shape) - 2)
            if self.count_axis[g] >= 0:
                off[self.count_axis[g]] = 1
            self.memo[key] = tuple(off)
        return self.memo[key]

    def weekend_cost(self, d: int, from_work: bool) -> float:
        if self.weekend_axis or self.weekend_price == 0.0:
            return 0.0
        return self.weekend_price * self._weekend_delta(d, from_work)

    def _weekend_delta(self, d: int, from_work: bool) -> int:
        k = self.wk[d]
        if k < 0:
            return 0
        return 0 if (from_work and d > 0 and self.wk[d - 1] == k) else 1

    def work_end_ok(self, d: int) -> np.ndarray:
        """[Rw] may a work run of each length, ending on day d-1, be followed by an off day d?"""
        return self._end_ok("work", self.Rw, self.minc, d)

    def off_end_ok(self, d: int) -> np.ndarray:
        return self._end_ok("off", self.Ro, self.mino, d)

    def _end_ok(self, kind: str, n: int, minimum: int, d: int) -> np.ndarray:
        key = (kind, min(d, n + 1))  # from day n+1 on no run can still touch day 0
        if key not in self.memo:
            r = np.arange(1, n + 1)
            self.memo[key] = (r >= minimum) | (self.exempt & (r == d))
        return self.memo[key]


def _usable(spec: LineSpec) -> np.ndarray:
    """[D, V] cost with types that may never be used (max 0) blocked."""
    cost = np.array(spec.cost, dtype=float)
    cost[:, np.asarray(spec.max_per_type) <= 0] = INF
    return cost


def _binding_types(spec: LineSpec, cost: np.ndarray) -> list[int]:
    """Types whose maximum is below the number of days they could be worked."""
    allowed_days = np.isfinite(cost).sum(axis=0)
    return [v for v in range(spec.types) if 0 < spec.max_per_type[v] < allowed_days[v]]


def _n_weekends(spec: LineSpec) -> int:
    wk = np.asarray(spec.weekend_of_day)
    return len(np.unique(wk[wk >= 0]))


def _minutes_axis(spec: LineSpec, cost: np.ndarray) -> tuple[np.ndarray, int, int]:
    """(units per type, number of unit cells, min units); one cell when minutes cannot bind."""
    usable = np.isfinite(cost).any(axis=0)
    mins = np.asarray(spec.minutes, dtype=int)
    unit = reduce(math.gcd, mins[usable].tolist(), 0) or 1
    units = mins // unit
    finite = np.where(np.isfinite(cost), units[None, :], -1)
    reach = int(np.maximum(finite.max(axis=1), 0).sum())  # most units any line can collect
    min_units = -(-int(spec.min_minutes) // unit)
    top = min(int(spec.max_minutes) // unit, reach)
    if min_units <= 0 and top >= reach:
        return np.zeros_like(units), 1, 0
    return units, max(top + 1, 0), max(min_units, 0)


def _groups(spec: LineSpec, cost: np.ndarray, units: np.ndarray, alone: set[int]) -> list[list[int]]:
    """Usable types with the same minutes and the same succession rows and columns, merged.

    Such types are interchangeable for every rule, so the DP keeps one state per group and each
    day picks the cheapest member.  Types with an exact count axis stay alone.
    """
    F = np.asarray(spec.forbidden_next, dtype=bool)
    usable = [v for v in range(spec.types) if np.isfinite(cost[:, v]).any()]
    groups: dict[tuple, list[int]] = {}
    for v in usable:
        key = ("alone", v) if v in alone else (int(units[v]), F[v].tobytes(), F[:, v].tobytes())
        groups.setdefault(key, []).append(v)
    return list(groups.values())


def _choose_exact(spec: LineSpec, base_states: int, binding: list[int], max_states: int) -> tuple[bool, list[int]]:
    """Weekends first, then limited types from the smallest maximum, while the states fit."""
    states, weekend_axis, exact = base_states, False, []
    nw = _n_weekends(spec)
    if spec.max_weekends < nw and states * (spec.max_weekends + 1) <= max_states:
        weekend_axis, states = True, states * (spec.max_weekends + 1)
    for v in sorted(binding, key=lambda v: spec.max_per_type[v]):
        if states * (int(spec.max_per_type[v]) + 1) <= max_states:
            exact.append(v)
            states *= int(spec.max_per_type[v]) + 1
    return weekend_axis, exact


def _plan(
    spec: LineSpec,
    cost: np.ndarray,
    weekend_axis: bool,
    exact: list[int],
    type_prices: np.ndarray,
    weekend_price: float,
) -> _Plan:
    D = spec.days
    units_t, n_min, min_units = _minutes_axis(spec, cost)
    groups = _groups(spec, cost, units_t, set(exact))
    priced = cost + type_prices[None, :]
    G = len(groups)
    gcost = np.full((D, G), INF)
    gpick = np.zeros((D, G), dtype=int)
    for g, members in enumerate(groups):
        sub = priced[:, members]
        gpick[:, g] = np.asarray(members)[np.argmin(sub, axis=1)]
        gcost[:, g] = sub.min(axis=1)
    F = np.asarray(spec.forbidden_next, dtype=bool)
    pred = [tuple(h for h in range(G) if not F[groups[h][0], groups[g][0]]) for g in range(G)]
    maxc, minc = int(spec.max_consecutive_work), int(spec.min_consecutive_work)
    work_merge = maxc >= D
    Rw = max(minc, 1) if work_merge else max(maxc, 1)
    if maxc <= 0:
        gcost[:] = INF
    n_wk = int(spec.max_weekends) + 1 if weekend_axis else 1
    count_axis = [-1] * G
    shape = [n_min, n_wk]
    for g, members in enumerate(groups):
        if members[0] in exact:
            count_axis[g] = len(shape)
            shape.append(int(spec.max_per_type[members[0]]) + 1)
    units_g = np.array([units_t[m[0]] for m in groups], dtype=int)
    day_max = np.where(np.isfinite(gcost), units_g[None, :], 0).max(axis=1, initial=0)
    done = np.cumsum(day_max)
    window = [(max(0, min_units - int(done[-1] - done[d])), min(n_min - 1, int(done[d]))) for d in range(D)]
    return _Plan(
        window=window,
        D=D,
        groups=groups,
        gcost=gcost,
        gpick=gpick,
        off_cost=np.asarray(spec.off_cost, dtype=float),
        units=np.array([units_t[m[0]] for m in groups], dtype=int),
        min_units=min_units,
        pred=pred,
        Rw=Rw,
        work_merge=work_merge,
        Ro=max(int(spec.min_consecutive_off), 1),
        minc=minc,
        mino=int(spec.min_consecutive_off),
        exempt=bool(spec.exempt_edges),
        wk=np.asarray(spec.weekend_of_day, dtype=int),
        weekend_axis=weekend_axis,
        weekend_price=float(weekend_price),
        count_axis=count_axis,
        shape=tuple(shape),
    )


# ----------------------------------------------------------------------------------------------
# Forward pass (vectorised over runs and resources) and scalar backtracking


def _pad(p: _Plan) -> tuple[int, ...]:
    """Leading padding per resource axis: the largest offset a transition can add on it."""
    if p.pad is None:
        p.pad = (int(p.units.max(initial=0)), 1 if p.weekend_axis else 0) + (1,) * (len(p.shape) - 2)
    return p.pad


def _inner(p: _Plan, lead: int) -> tuple[slice, ...]:
    """Index of the unpadded cells of an array with ``lead`` leading (kind, run) axes."""
    return (slice(None),) * lead + tuple(slice(q, q + n) for q, n in zip(_pad(p), p.shape, strict=False))


def _moved(p: _Plan, a: np.ndarray, off: tuple[int, ...], lead: int, width: int) -> np.ndarray:
    """View of a windowed padded array read ``off`` cells back: result[cell] = a[cell - off].

    ``a`` holds the minutes cells [lo - pad, hi] of the day's window (pad = largest shift in
    units) and the full padded other axes.  Padding every axis by its largest offset makes each
    shifted read a view, so a transition is one ``np.add(view, cost, out=target)``.
    """
    key = ("moved", off, lead, width)
    index = p.memo.get(key)
    if index is None:
        pad = _pad(p)
        minutes = slice(pad[0] - off[0], pad[0] - off[0] + width)
        rest = tuple(slice(q - o, q - o + n) for q, o, n in zip(pad[1:], off[1:], p.shape[1:], strict=False))
        index = p.memo[key] = (slice(None),) * lead + (minutes,) + rest
    return a[index]


def _initial(p: _Plan) -> tuple[np.ndarray, np.ndarray]:
    G, pad = len(p.groups), _pad(p)
    padded = tuple(n + q for n, q in zip(p.shape, pad, strict=False))
    Wk = np.full((G, p.Rw, *padded), INF)
    Of = np.full((p.Ro, *padded), INF)
    Of[(0, *pad)] = p.off_cost[0]
    for g in range(G):
        if np.isfinite(p.gcost[0, g]):
            cell = p.shift(g, 0, from_work=False)
            if all(o < n for o, n in zip(cell, p.shape, strict=False)):
                Wk[(g, 0, *(c + q for c, q in zip(cell, pad, strict=False)))] = p.gcost[0, g] + p.weekend_cost(0, False)
    return Wk, Of


def _step(p: _Plan, d: int, Wk: np.ndarray, Of: np.ndarray, Wk2: np.ndarray, Of2: np.ndarray) -> None:
    """States after day d from the states after day d-1 (arrays padded, padding stays inf).

    Only the day's minutes window [lo, hi] is computed (cells above hi are unreachable, cells
    below lo can no longer reach the minimum); everything else stays inf.  ``Wk2``/``Of2`` come
    filled with inf (all days are allocated in one call, see ``_forward``).
    """
    lo, hi = p.window[d]
    if hi < lo:
        return
    pad, width = _pad(p), hi - lo + 1
    src = slice(lo, pad[0] + hi + 1)  # minutes cells lo - pad .. hi, in padded coordinates
    Wk_w, Of_w = Wk[:, :, src], Of[:, src]
    work_end = _min_runs(Wk_w, p.work_end_ok(d), 1, Of_w.shape[1:])
    off_end = _min_runs(Of_w, p.off_end_ok(d), 0, Of_w.shape[1:])
    others = tuple(slice(q, q + n) for q, n in zip(pad[1:], p.shape[1:], strict=False))
    target = (slice(None), slice(pad[0] + lo, pad[0] + hi + 1)) + others
    here = (slice(pad[0], pad[0] + width),) + others  # the target cells inside the window arrays
    Tof = Of2[target]
    if p.Ro == 1:
        np.minimum(work_end[here], Of_w[0][here], out=Tof[0])
    else:
        Tof[0] = work_end[here]
        Tof[1:] = Of_w[:-1][(slice(None),) + here]
        np.minimum(Tof[-1], Of_w[-1][here], out=Tof[-1])
    Tof += p.off_cost[d]
    cache: dict[tuple[int, ...], np.ndarray] = {}
    for g in range(len(p.groups)):
        c = p.gcost[d, g]
        if not np.isfinite(c):
            continue
        T = Wk2[g][target]  # [Rw, window cells]
        np.add(_moved(p, off_end, p.shift(g, d, False), 0, width), c + p.weekend_cost(d, False), out=T[0])
        hs = p.pred[g]
        if not hs or (p.Rw == 1 and not p.work_merge):
            continue
        Y = _moved(p, _min_over(p, Wk_w, hs, cache), p.shift(g, d, True), 1, width)  # [Rw, window cells]
        cw = c + p.weekend_cost(d, True)
        if p.Rw > 1:
            np.add(Y[:-1], cw, out=T[1:])
        if p.work_merge:  # the capped length also continues into itself
            np.minimum(T[-1], Y[-1] + cw, out=T[-1])


def _min_runs(a: np.ndarray, ok: np.ndarray, axis: int, shape: tuple[int, ...]) -> np.ndarray:
    """Min over the run lengths marked ``ok`` (and over groups for work): a slice when contiguous."""
    if not ok.any() or a.size == 0:
        return np.full(shape, INF)
    idx = np.flatnonzero(ok)
    sel = slice(idx[0], idx[-1] + 1) if idx[-1] - idx[0] + 1 == idx.size else idx
    part = a[:, sel] if axis == 1 else a[sel]
    return part.min(axis=tuple(range(axis + 1)))


def _min_over(p: _Plan, Wk: np.ndarray, hs: tuple[int, ...], cache: dict[tuple[int, ...], np.ndarray]) -> np.ndarray:
    """Elementwise min of ``Wk[h]`` over h in ``hs``, built on the largest smaller predecessor set.

    Succession rules usually nest (whatever may precede an early shift may precede a late one),
    so each set costs only its few extra members.
    """
    if hs in cache:
        return cache[hs]
    bases = p.memo.setdefault("bases", {})
    if hs not in bases:
        subsets = [k for k in set(p.pred) if k and len(k) < len(hs) and set(k) <= set(hs)]
        bases[hs] = max(subsets, key=len, default=())
    base = bases[hs]
    rest = [h for h in hs if h not in base]
    out = _min_over(p, Wk, base, cache).copy() if base else Wk[rest.pop(0)].copy()
    for h in rest:
        np.minimum(out, Wk[h], out=out)
    cache[hs] = out
    return out


def _forward(p: _Plan) -> list[tuple[np.ndarray, np.ndarray]]:
    Wk0, Of0 = _initial(p)
    Wk = np.full((p.D, *Wk0.shape), INF)
    Of = np.full((p.D, *Of0.shape), INF)
    Wk[0], Of[0] = Wk0, Of0
    for d in range(1, p.D):
        _step(p, d, Wk[d - 1], Of[d - 1], Wk[d], Of[d])
    return list(zip(Wk, Of, strict=False))


def _final(p: _Plan, Wk: np.ndarray, Of: np.ndarray) -> tuple[float, tuple | None]:
    """Best lawful end state as (value, (kind, index, run, *resource cell))."""
    mask_m = np.arange(p.shape[0]) >= p.min_units
    best, where = INF, None
    rw = np.ones(p.Rw, bool) if p.exempt else np.arange(1, p.Rw + 1) >= p.minc
    ro = np.ones(p.Ro, bool) if p.exempt else np.arange(1, p.Ro + 1) >= p.mino
    for kind, arr, ok in (("work", Wk[_inner(p, 2)], rw), ("off", Of[_inner(p, 1)], ro)):
        if arr.size == 0:
            continue
        a = np.where(mask_m.reshape((1,) * (arr.ndim - len(p.shape)) + (-1,) + (1,) * (len(p.shape) - 1)), arr, INF)
        a = a[:, ok] if kind == "work" else a[ok]
        if a.size and a.min() < best:
            idx = np.unravel_index(int(np.argmin(a)), a.shape)
            best = float(a[idx])
            if kind == "work":
                where = ("work", int(idx[0]), int(np.flatnonzero(ok)[idx[1]]), *map(int, idx[2:]))
            else:
                where = ("off", -1, int(np.flatnonzero(ok)[idx[0]]), *map(int, idx[1:]))
    return best, where


def _predecessors(p: _Plan, d: int, state: tuple) -> list[tuple[tuple, float]]:
    """Candidate states on day d-1 of ``state`` on day d, each with its extra transition cost."""
    kind, g, r, *cell = state
    out: list[tuple[tuple, float]] = []

    def back(off: tuple[int, ...]) -> tuple[int, ...] | None:
        prev = tuple(c - o for c, o in zip(cell, off, strict=False))
        return prev if min(prev) >= 0 else None

    if kind == "work":
        if r == 0 and (prev := back(p.shift(g, d, False))) is not None:
            wc = p.weekend_cost(d, False)
            out += [(("off", -1, int(q), *prev), wc) for q in np.flatnonzero(p.off_end_ok(d))]
        runs = [r - 1] if r >= 1 else []
        if p.work_merge and r == p.Rw - 1:
            runs.append(r)  # the capped length continues into itself
        if runs and (prev := back(p.shift(g, d, True))) is not None:
            wc = p.weekend_cost(d, True)
            out += [(("work", h, q, *prev), wc) for h in p.pred[g] for q in runs]
    else:
        if r == 0:
            ends = np.flatnonzero(p.work_end_ok(d))
            out += [(("work", h, q, *cell), 0.0) for h in range(len(p.groups)) for q in ends]
            if p.Ro == 1:
                out.append((("off", -1, 0, *cell), 0.0))
        else:
            out.append((("off", -1, r - 1, *cell), 0.0))
            if r == p.Ro - 1:
                out.append((("off", -1, r, *cell), 0.0))
    return out


def _value(p: _Plan, states: tuple[np.ndarray, np.ndarray], s: tuple) -> float:
    kind, g, r, *cell = s
    Wk, Of = states
    at = tuple(c + q for c, q in zip(cell, _pad(p), strict=False))
    return float(Wk[(g, r, *at)] if kind == "work" else Of[(r, *at)])


def _backtrack(p: _Plan, states: list[tuple[np.ndarray, np.ndarray]], end: tuple) -> np.ndarray:
    line = np.full(p.D, -1, dtype=int)
    s = end
    for d in range(p.D - 1, -1, -1):
        if s[0] == "work":
            line[d] = p.gpick[d, s[1]]
        if d == 0:
            break
        cands = _predecessors(p, d, s)
        s = min(cands, key=lambda c: _value(p, states[d - 1], c[0]) + c[1])[0]
    return line


def _dp(p: _Plan) -> tuple[np.ndarray, float] | None:
    """Least (priced) line of the plan, or None if no state is lawful at the end."""
    states = _forward(p)
    value, end = _final(p, *states[-1])
    if end is None or not np.isfinite(value):
        return None
    return _backtrack(p, states, end), value


# ----------------------------------------------------------------------------------------------
# Public entry points


def solve_line(
    spec: LineSpec,
    max_states: int = DEFAULT_MAX_STATES,
    rounds: int = DEFAULT_ROUNDS,
    type_prices: np.ndarray | None = None,
    weekend_price: float = 0.0,
    tolerance: float = 0.0,
    fallback: int = 5,
) -> LineResult | None:
    """Best lawful line: exact DP when every binding limit fits ``max_states``, else Lagrangian.

    ``type_prices`` / ``weekend_price`` warm-start the multipliers (e.g. from the same person's
    previous solve); they are ignored for limits kept exact.  The rounds stop early once a
    lawful line is within ``tolerance`` of the Lagrangian bound (``optimal`` only at gap 0).
    When the priced rounds find no lawful line, they run once more, ``fallback`` times as many
    (a larger state budget instead was far slower: 55 s for one Instance21 line at 1e6 states).
    """
    cost = _usable(spec)
    units_t, n_min, _ = _minutes_axis(spec, cost)
    if n_min <= 0:
        return None  # even the largest reachable total is outside the minutes band
    G0 = len(_groups(spec, cost, units_t, set()))
    maxc, minc = int(spec.max_consecutive_work), int(spec.min_consecutive_work)
    runs = max(minc, 1) if maxc >= spec.days else max(maxc, 1)  # as in _plan
    base = (runs * G0 + max(int(spec.min_consecutive_off), 1)) * n_min
    binding = _binding_types(spec, cost)
    weekend_axis, exact = _choose_exact(spec, base, binding, max_states)
    priced = [v for v in binding if v not in exact]
    price_weekends = not weekend_axis and spec.max_weekends < _n_weekends(spec)
    if not priced and not price_weekends:
        sol = _dp(_plan(spec, cost, weekend_axis, exact, np.zeros(spec.types), 0.0))
        if sol is None:
            return None
        true = line_cost(spec, sol[0])
        if true is None:
            raise RuntimeError("line DP returned an unlawful line (a bug in the DP's rules)")
        return LineResult(sol[0], true, optimal=True)
    res, relaxed_feasible = _lagrangian(
        spec, cost, weekend_axis, exact, priced, price_weekends, rounds, type_prices, weekend_price, tolerance
    )
    if res is None and relaxed_feasible and fallback > 1:
        # The rounds found no lawful line (the relaxation had some): once more with more rounds.
        res, _ = _lagrangian(
            spec,
            cost,
            weekend_axis,
            exact,
            priced,
            price_weekends,
            rounds * fallback,
            type_prices,
            weekend_price,
            tolerance,
        )
    return res


def _integral(spec: LineSpec) -> bool:
    c = np.asarray(spec.cost)
    fin = c[np.isfinite(c)]
    return bool(np.all(fin == np.round(fin)) and np.all(np.asarray(spec.off_cost) == np.round(spec.off_cost)))


def _usage(spec: LineSpec, line: np.ndarray, priced: list[int]) -> tuple[np.ndarray, int]:
    work = line >= 0
    counts = np.bincount(line[work], minlength=spec.types)[priced]
    wk = np.asarray(spec.weekend_of_day)
    return counts, len(np.unique(wk[work & (wk >= 0)]))


def _lagrangian(
    spec: LineSpec,
    cost: np.ndarray,
    weekend_axis: bool,
    exact: list[int],
    priced: list[int],
    price_weekends: bool,
    rounds: int,
    type_prices: np.ndarray | None,
    weekend_price: float,
    tolerance: float = 0.0,
) -> tuple[LineResult | None, bool]:
    """Subgradient rounds on the prices of the limits that are not exact axes.

    L(λ) = DP(λ) − Σ λ·max is a lower bound on the optimum; a feasible line is an upper bound.
    Returns the best lawful line found and whether the relaxation had any line at all.
    Steps are Polyak's, θ·(UB − L)/‖g‖² (a cost-scale guess stands in for UB until a lawful line
    is found), with θ halved after three rounds without a better bound.  With integral costs
    the optimum is integral, so the bound is rounded up.
    """
    integral = _integral(spec)
    lam = np.zeros(spec.types) if type_prices is None else np.array(type_prices, dtype=float)
    lam[[v for v in range(spec.types) if v not in priced]] = 0.0
    mu = float(weekend_price) if price_weekends else 0.0
    limits = np.append(np.asarray(spec.max_per_type, dtype=float)[priced], float(spec.max_weekends))
    finite = np.abs(cost[np.isfinite(cost)])
    scale = float(np.median(finite)) if finite.size else 1.0
    scale = max(scale, 1e-6)
    best: LineResult | None = None
    bound, theta, stale = -INF, 1.0, 0
    repairs = rounds  # a repair on every infeasible round: at 4 rounds as good as 12 without (Instance23)
    for k in range(1, rounds + 1):
        sol = _dp(_plan(spec, cost, weekend_axis, exact, lam, mu))
        if sol is None:
            return best, False  # the relaxation has no line, so no lawful line exists
        line, value = sol
        counts, weekends = _usage(spec, line, priced)
        use = np.append(counts, weekends).astype(float)
        prices = np.append(lam[priced], mu)
        dual = value - float(prices @ limits)
        if integral:
            dual = math.ceil(dual - 1e-6)
        if dual > bound + 1e-9:
            bound, stale = dual, 0
        else:
            stale += 1
            if stale >= 3:
                theta, stale = theta / 2, 0
        true = line_cost(spec, line)
        if true is None and repairs > 0:
            repairs -= 1
            fixed = _repair(spec, cost, weekend_axis, exact, lam, mu, line, priced, price_weekends)
            if fixed is not None and (best is None or fixed[1] < best.cost):
                best = LineResult(fixed[0], fixed[1], optimal=False, rounds=k, type_prices=lam.copy(), weekend_price=mu)
        if true is not None and (best is None or true < best.cost):
            best = LineResult(line, true, optimal=False, rounds=k, type_prices=lam.copy(), weekend_price=mu)
        slack = use - limits
        if not price_weekends:
            slack[-1] = 0.0
        if best is not None:
            proven = best.cost <= bound + 1e-9 * max(1.0, abs(bound)) or bool(
                true is not None and true <= best.cost and np.all(np.abs(prices * slack) <= 1e-9)
            )
            if proven or best.cost - bound <= tolerance:
                best.optimal, best.rounds = proven, k
                return best, True
        move = (slack > 0) | (prices > 0)
        norm = float((slack[move] ** 2).sum())
        if norm == 0:
            break
        gap = (best.cost - bound) if best is not None else max(abs(bound) * 0.02, scale)
        step = theta * max(gap, 1e-9) / norm
        prices = np.maximum(0.0, prices + step * slack)
        lam[priced] = prices[:-1]
        mu = prices[-1] if price_weekends else 0.0
    if best is not None:
        best.rounds = rounds
    return best, True


def _repair(
    spec: LineSpec,
    cost: np.ndarray,
    weekend_axis: bool,
    exact: list[int],
    lam: np.ndarray,
    mu: float,
    line: np.ndarray,
    priced: list[int],
    price_weekends: bool,
) -> tuple[np.ndarray, float] | None:
    """Primal heuristic for a relaxed line over its priced limits: keep the best uses, re-solve.

    Many days often flip together at one price (a degenerate dual), so the subgradient alone can
    jump between "too many" and "far too few".  For each over-used type we allow it only on the
    ``max`` days of the line where it gains most over the day's best alternative (for weekends:
    work only on the ``max_weekends`` worked weekends that gain most), then solve again with the
    same prices.  A restricted limit can no longer be exceeded, so after at most one step per
    priced limit the line is lawful, or the restrictions left no line (None).  Blocking only the
    excess instead chased the overflow from one type to another (Instance23).
    """
    blocked = cost.copy()
    wk = np.asarray(spec.weekend_of_day)
    for _ in range(len(priced) + 2):
        priced_cost = blocked + lam[None, :]
        work = line >= 0
        counts, weekends = _usage(spec, line, priced)
        alt = np.asarray(spec.off_cost, dtype=float)
        for v, n, cap in zip(priced, counts, np.asarray(spec.max_per_type)[priced], strict=False):
            if n <= cap:
                continue
            used = np.flatnonzero(line == v)
            others = np.delete(priced_cost[used], v, axis=1)
            best_alt = np.minimum(others.min(axis=1) if others.size else INF, alt[used])
            keep = used[np.argsort(best_alt - priced_cost[used, v])[n - cap :]]  # the cap largest gains
            column = np.full(spec.days, INF)
            column[keep] = blocked[keep, v]
            blocked[:, v] = column
        if price_weekends and weekends > spec.max_weekends:
            worked = np.unique(wk[work & (wk >= 0)])
            gain = [
                float((alt[ds] - priced_cost[ds, line[ds]]).sum())
                for ds in (np.flatnonzero((wk == k) & work) for k in worked)
            ]
            kept = worked[np.argsort(gain)[weekends - spec.max_weekends :]]
            blocked[(wk >= 0) & ~np.isin(wk, kept), :] = INF
        sol = _dp(_plan(spec, blocked, weekend_axis, exact, lam, mu))
        if sol is None:
            return None
        line = sol[0]
        true = line_cost(spec, line)
        if true is not None:
            return line, true
    return None


def best_line(spec: LineSpec, max_states: int = DEFAULT_MAX_STATES) -> tuple[np.ndarray, float] | None:
    """A lawful line of least total cost and its cost, or None when none exists.

    Exact when every binding limit fits ``max_states`` (see the module docstring); otherwise
    the best lawful line found by Lagrangian rounds.
    """
    res = solve_line(spec, max_states=max_states)
    return None if res is None else (res.line, res.cost)
