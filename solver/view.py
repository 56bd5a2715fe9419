"""A roster read back into dense arrays for the checker: no CP-SAT, only numpy.

`shift[s, d]` is the shift index person s starts on day d, or -1. Assignments that do not fit that shape
(two shifts on one day, unknown ids, dates outside the period) are kept aside so the checker can report them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from models import Assignment, Level, Roster, Violation
from models.rules import RuleSetting

from .index import Index
from .weights import HARD_WEIGHT


class Priced(NamedTuple):
    """What scoring needs of ``count`` violations of one rule: level and total penalty (the score-only path)."""

    rule: str
    level: Level
    penalty: int
    count: int = 1  # type: ignore[assignment]  # the field shadows tuple.count, which nothing here calls


@dataclass
class RosterView:
    idx: Index
    shift: np.ndarray  # [S, D] int, -1 = off
    extra: list[tuple[int, int, int]] = field(default_factory=list)  # (s, d, t) second shifts on a day
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (what, detail)
    memo: dict = field(default_factory=dict)  # per-roster derived arrays shared by audits and KPIs
    roster: Roster | None = None  # the checked roster itself: the task audits read its task and role assignments
    # Score only: audits return `Priced` tuples instead of full `Violation` records (no staff ids,
    # dates or text). Building the records is most of the checker's time on rosters with many soft
    # violations, and a search loop that only compares scores does not read them.
    score_only: bool = False

    @cached_property
    def on(self) -> np.ndarray:
        """[S, D] bool: person starts a shift that day."""
        return self.shift >= 0

    @cached_property
    def x(self) -> np.ndarray:
        """[S, D, T] bool one-hot of `shift`."""
        out = np.zeros((self.idx.S, self.idx.D, self.idx.T), dtype=bool)
        s, d = np.nonzero(self.on)
        out[s, d, self.shift[s, d]] = True
        return out

    def per_day(self, arr: np.ndarray) -> np.ndarray:
        """[S, D] the value of a per-instance table `arr` [D, T] for the shift each person starts each day, 0 off."""
        days = np.arange(self.idx.D)[None, :]
        return np.where(self.on, arr[days, np.maximum(self.shift, 0)], 0)

    @cached_property
    def work(self) -> np.ndarray:
        """[S, D] real working minutes of the shift started that day."""
        return self.per_day(self.idx.work_at)

    @cached_property
    def start_abs(self) -> np.ndarray:
        """[S, D] real start of the shift started that day (the day's midnight when off)."""
        return np.where(self.on, self.per_day(self.idx.s_abs), self.idx.midnight[None, :-1])

    @cached_property
    def end_abs(self) -> np.ndarray:
        """[S, D] real end (the day's midnight when off)."""
        return np.where(self.on, self.per_day(self.idx.e_abs), self.idx.midnight[None, :-1])

    @cached_property
    def night(self) -> np.ndarray:
        return self.on & self.idx.night[np.maximum(self.shift, 0)]

    def busy(self, spans: tuple[tuple[int, int], ...]) -> np.ndarray:
        """[S, W] bool: the person works a shift overlapping each interval [a, b) of `spans` (memoised per roster)."""
        key = ("busy", spans)
        if key in self.memo:
            return self.memo[key]
        idx = self.idx
        out = idx.any_overlapping(self.x, spans)
        shifts = (-idx.cycle, 0, idx.cycle) if idx.cyclic else (0,)  # a cyclic plan's shifts recur every cycle
        for s, d, t in self.extra:  # second shifts on a day
            for c in shifts:
                a_s, e_s = idx.abs_start(d, t) + c, idx.abs_end(d, t) + c
                for w, (a, b) in enumerate(spans):
                    if a_s < b and e_s > a:
                        out[s, w] = True
        self.memo[key] = out
        return out

    def assignments(self) -> Iterable[tuple[int, int, int]]:
        s, d = np.nonzero(self.on)
        yield from zip(s.tolist(), d.tolist(), self.shift[s, d].tolist(), strict=True)
        yield from self.extra

    def violation(
        self,
        rule: str,
        setting: RuleSetting,
        s: int | None,
        days: Iterable[int],
        amount: float = 1,
        detail: str = "",
        penalty: int | None = None,
        level: Level | None = None,
    ) -> Violation | Priced:
        """A violation priced like the model prices it: HARD_WEIGHT per REQUIRED group, else weight × amount.
        On a cyclic period days outside it are its own days (d mod D): a group across the end names both ends."""
        hard = setting.hard if level is None else level == Level.REQUIRED
        if penalty is None:
            penalty = HARD_WEIGHT if hard else int(round(setting.weight * amount))
        if self.score_only:
            return Priced(rule, Level.REQUIRED if hard else Level.PREFERRED, penalty)
        return Violation.model_construct(  # values are built here, valid by construction: skip re-validation
            rule=rule,
            level=Level.REQUIRED if hard else Level.PREFERRED,
            staff=self.idx.staff_ids[s] if s is not None and s >= 0 else None,
            dates=[self.idx.dates[d] for d in sorted(set(self.idx.wrap_days(days))) if 0 <= d < self.idx.D],
            amount=amount,
            penalty=penalty,
            detail=detail,
        )


def shift_array(idx: Index, assignments: list[Assignment] | None) -> np.ndarray | None:
    """[S, D] shift index per person and day (-1 off) from assignments, ignoring unknown ids; None if empty."""
    if not assignments:
        return None
    arr = np.full((idx.S, idx.D), -1, dtype=np.int64)
    for a in assignments:
        s, d, t = idx.staff_pos.get(a.staff), idx.date_pos.get(a.date), idx.shift_pos.get(a.shift)
        if s is not None and d is not None and t is not None:
            arr[s, d] = t
    return arr


def build_view(idx: Index, assignments: list[Assignment]) -> RosterView:
    shift = np.full((idx.S, idx.D), -1, dtype=np.int64)
    view = RosterView(idx, shift)
    spos, tpos, dpos = idx.staff_pos, idx.shift_pos, idx.date_pos
    for a in assignments:
        s, t, d = spos.get(a.staff), tpos.get(a.shift), dpos.get(a.date)
        if s is None:
            view.unknown.append(("staff", a.staff))
        elif t is None:
            view.unknown.append(("shift", a.shift))
        elif d is None:
            view.unknown.append(("date", a.date.isoformat()))
        elif shift[s, d] >= 0:
            view.extra.append((s, d, t))
        else:
            shift[s, d] = t
    return view


def build_view_arrays(idx: Index, staff: np.ndarray, day: np.ndarray, shift_idx: np.ndarray) -> RosterView:
    """Fast path for benchmarks and the solver: integer arrays instead of pydantic assignments."""
    shift = np.full((idx.S, idx.D), -1, dtype=np.int64)
    shift[staff, day] = shift_idx
    view = RosterView(idx, shift)
    if len(staff) != int((shift >= 0).sum()):
        seen = np.zeros((idx.S, idx.D), dtype=np.int64)
        np.add.at(seen, (staff, day), 1)
        for s, d in zip(*np.nonzero(seen > 1), strict=True):
            view.extra.extend((int(s), int(d), int(shift[s, d])) for _ in range(int(seen[s, d]) - 1))
    return view
