"""Dense numbering of an instance: staff i, day d, shift type t, with numpy arrays for times and eligibility.

Both the CP-SAT model and the checker read this, so "what a shift is" (its minutes on the timeline, whether it
is a night, whether a person may take it) is computed once. Times are real minutes from the period's first
local midnight (models/timeline.py: across a clock change a day has 23 or 25 hours, and a shift over it one hour
less or more); a shift belongs to the date it starts on. The per-type arrays (`start`, `duration`, `work`,
`night_min`) are the shift types' wall-clock values; the per-day ones (`s_abs`, `e_abs`, `work_at`, `night_at`)
are what each shift instance really is, and the rules read those.

On a cyclic period (a grunnturnus, `Period.cyclic`) the day after the last day is day 0: the helpers rules read
days and time through wrap around the end, so rules see the end's shifts before the start. Day d outside the
period is day d mod D one cycle (`cycle` minutes) earlier or later (`start_on`, `end_on`, `day_pairs`),
`overlapping` finds shift instances of the cycles before and after, and the period's own day numbers come back.
A cyclic plan is read on a fixed clock and without public holidays (see `Period`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from models import Instance
from models.calendar import EVE_START, WINDOW_END, is_sunday_or_holiday, sunday_windows
from models.common import Weekday, fmt_hhmm
from models.shifts import NIGHT_END, NIGHT_START, ShiftTag, night_overlap
from models.staff import FORMAL_HEALTH_GROUPS, NURSE_GROUPS
from models.timeline import Timeline

DAY = 1440


@dataclass(frozen=True)
class Frame:
    """The fixed rest of a unit around a sub-problem's people, for the rules that couple people.

    Head counts need no entry here: a sub-problem's requirements and task occurrences already hold only the
    residual ones. The fair spread (max - min over the whole pool) needs the fixed members' extremes; a free
    person's kept tasks their load per shift and the users they already care for.
    """

    fair_pool: int  # size of the fair-spread pool in the whole unit
    fair_outside: dict[str, tuple[int, int]]  # "nights"/"weekends" -> (min, max) over the fixed pool members
    # tasks and roles the free people keep outside the sub-problem's task days (they stay as they are):
    task_load: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (person, d, t) -> kept minutes
    carers: frozenset[tuple[int, int]] = frozenset()  # (user, person): already a non-contact carer of the user
    # fair_weekends: per fairness group, the weekend and holiday units each fixed member works
    fair_groups: dict[str, tuple[int, ...]] = field(default_factory=dict)


LONG_SHIFT_MIN = 600


@dataclass(frozen=True)
class Requirement:
    """One demand slot on one (day, shift): staff in `members` count toward `min`/`ideal`."""

    day: int
    shift: int
    label: str
    min: int
    ideal: int
    members: np.ndarray  # staff indices qualifying on that day


@dataclass
class Index:
    inst: Instance
    staff_ids: list[str]
    shift_codes: list[str]
    dates: list[dt.date]
    start: np.ndarray  # [T] clock start (min after midnight)
    duration: np.ndarray  # [T] minutes on the timeline
    work: np.ndarray  # [T] working minutes (duration minus unpaid break)
    night: np.ndarray  # [T] bool: night shift (tag)
    evening: np.ndarray  # [T] bool
    dayshift: np.ndarray  # [T] bool
    long: np.ndarray  # [T] bool: over 10 h
    night_min: np.ndarray  # [T] minutes inside 21-06
    sunday_min: np.ndarray  # [D, T] minutes inside a Sunday/holiday work window (AML §10-10, models/calendar.py)
    weekday: np.ndarray  # [D] 0=Mon..6=Sun
    holiday: np.ndarray  # [D] bool: a Sunday or a public holiday (helligdag)
    sunday_windows: list[tuple[list[int], int, int]]  # per Sunday/holiday window: (period days it touches, start, end)
    allowed: np.ndarray  # [S, D, T] bool: the pair may get a variable (available and within hour limits)
    available: np.ndarray  # [S, D, T] bool: no absence, shift allowed for the person
    absent_day: np.ndarray  # [S, D] bool: whole calendar day absent
    midnight: np.ndarray  # [D + 1] real minute of each day's local midnight (and of the day after the period)
    s_abs: np.ndarray  # [D, T] real start of shift t begun on day d
    e_abs: np.ndarray  # [D, T] real end
    work_at: np.ndarray  # [D, T] real working minutes (real duration minus unpaid break)
    night_at: np.ndarray  # [D, T] real minutes inside 21-06 local time
    timeline: Timeline  # wall-clock minutes from the period's first midnight -> real minutes
    requirements: list[Requirement] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # derived tables rules compute once per instance
    # derived tables that depend only on the period and the shift types (never on staff): shared by a unit's index
    # and the indices of its sub-problems, which the search builds by the thousand
    shared: dict = field(default_factory=dict)
    # set on the index of a sub-problem (some people of a unit, the rest fixed): what the fixed people contribute
    # to rules that couple people (solver/search/subproblem.py); None for a whole unit
    frame: Frame | None = None
    # [S, T] the shift types each person may work somewhere in the whole unit; set on a sub-problem's index, whose
    # `allowed` also pins the cells outside its window (None: read from `allowed`, as on a whole unit)
    allowed_types: np.ndarray | None = None

    @property
    def unit_types(self) -> np.ndarray:
        """[S, T] the shift types each person may work at all in the unit (the same on a sub-problem's index);
        computed once per index (the 54 h windows and the tariff read it per person on every audit)."""
        if self.allowed_types is not None:
            return self.allowed_types
        if "unit_types" not in self.cache:
            self.cache["unit_types"] = np.asarray(self.allowed.any(axis=1))
        out: np.ndarray = self.cache["unit_types"]
        return out

    @property
    def unit_allowed(self) -> np.ndarray:
        """[S, D, T] what each person may work in the whole unit: `allowed` of a whole unit, also on a sub-problem's
        index (rules whose reading depends on what a person could work, not on what the neighbourhood leaves free)."""
        return self.available & self.unit_types[:, None, :]

    @property
    def S(self) -> int:
        return len(self.staff_ids)

    @property
    def D(self) -> int:
        return len(self.dates)

    @property
    def T(self) -> int:
        return len(self.shift_codes)

    @cached_property
    def staff_pos(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.staff_ids)}

    @cached_property
    def shift_pos(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.shift_codes)}

    @cached_property
    def date_pos(self) -> dict[dt.date, int]:
        return {d: i for i, d in enumerate(self.dates)}

    @cached_property
    def history(self) -> np.ndarray:
        """[S, H] the shift index each person started on the H days before the period (-1 off; column H - 1 is
        the day before the start), from `Instance.history`. H reaches back to the earliest history date or to
        `Instance.history_start`, the same for everyone (within it a day without an entry was off); before it
        nothing is known, and H = 0 without history. Read by the rules that continue across the period start (the
        run-length rules, solver/rules/runs.py; forbidden successions). A property, not a field, so a sub-problem's
        index (some people of the unit) numbers its own people's history."""
        start, first = self.inst.period.start, self.inst.history_start
        depth = max(((start - a.date).days for a in self.inst.history), default=0)
        if first is not None and first < start:
            depth = max(depth, (start - first).days)
        out = np.full((self.S, depth), -1, dtype=np.int64)
        for a in self.inst.history:
            s, t = self.staff_pos.get(a.staff), self.shift_pos.get(a.shift)
            if s is not None and t is not None and a.date < start:  # later dates are refused by validation
                out[s, depth - (start - a.date).days] = t
        return out

    @property
    def cyclic(self) -> bool:
        """The period repeats (grunnturnus): day D is day 0 again, one `cycle` later."""
        return self.inst.period.cyclic

    @property
    def cycle(self) -> int:
        """Real minutes of one cycle of a cyclic period (the period's length), 0 otherwise."""
        return int(self.midnight[-1] - self.midnight[0]) if self.cyclic else 0

    def _on(self, arr: np.ndarray, d: int, shift: bool) -> np.ndarray:
        """[T] row d of a per-instance table `arr` [D, T], for any d on a cyclic period (d mod D; times `shift`ed
        by the whole cycles between)."""
        if not self.cyclic or 0 <= d < self.D:
            return arr[d]
        row: np.ndarray = arr[d % self.D] + (d // self.D) * self.cycle if shift else arr[d % self.D]
        return row

    def start_on(self, d: int) -> np.ndarray:
        """[T] real starts of the shifts begun on day d (on a cyclic period any d: the cycle's day, shifted)."""
        return self._on(self.s_abs, d, True)

    def end_on(self, d: int) -> np.ndarray:
        """[T] real ends of the shifts begun on day d (see `start_on`)."""
        return self._on(self.e_abs, d, True)

    def work_on(self, d: int) -> np.ndarray:
        """[T] real working minutes of the shifts begun on day d (see `start_on`)."""
        return self._on(self.work_at, d, False)

    def wrap_days(self, days: Iterable[int]) -> list[int]:
        """`days` as period days: on a cyclic period d mod D (a day past the end is the start again)."""
        return [int(d) % self.D for d in days] if self.cyclic else [int(d) for d in days]

    def day_pairs(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first [n], then [n], offset [n]): every day d that has a day k later, that day's index, and the minutes
        its times are to be shifted by to follow d (a cycle where a cyclic period wraps, else 0). On a cyclic
        period every day has one (n = D: the last day is followed by day 0); otherwise n = D - k. Pair rules
        (rest, successions, 24 h) read rosters and variables through this."""
        key = ("day_pairs", k)
        if key not in self.shared:
            n = self.D if self.cyclic else max(self.D - k, 0)
            first = np.arange(n, dtype=np.int64)
            later = first + k
            then = later % self.D if self.cyclic else later
            offset = (later // self.D) * self.cycle if self.cyclic else np.zeros(n, dtype=np.int64)
            self.shared[key] = (first, then, offset)
        out: tuple[np.ndarray, np.ndarray, np.ndarray] = self.shared[key]
        return out

    def abs_start(self, d: int, t: int) -> int:
        return int(self.s_abs[d, t])

    def abs_end(self, d: int, t: int) -> int:
        return int(self.e_abs[d, t])

    def real(self, wall: np.ndarray | int) -> np.ndarray:
        """Real minutes of wall-clock minutes from the period's first midnight (day × 1440 + clock time)."""
        return self.timeline.real(wall)

    def hhmm(self, minute: int) -> str:
        """The local clock time ("HH:MM") of a real minute on the timeline."""
        return fmt_hhmm(self.timeline.wall(minute))

    def at_midnight(self, day: int) -> int:
        """Real minute of the local midnight that opens `day` (any day, also outside the period)."""
        return int(self.midnight[day]) if 0 <= day <= self.D else int(self.timeline.real(day * DAY))

    def first_midnight_from(self, minute: int) -> int:
        """The first day whose midnight is at or after `minute` (the first whole calendar day from there on)."""
        if 0 <= minute <= int(self.midnight[-1]):
            return int(np.searchsorted(self.midnight, minute))
        return -(-minute // DAY)

    @property
    def regular_time(self) -> bool:
        """No clock change in or near the period: every day has 24 h and every shift instance its type's length."""
        return self.timeline.regular

    def day_groups(self, k: int) -> list[np.ndarray]:
        """Days d (with d + k in the period) grouped by the real shape of days d..d+k: every shift instance's start
        and end from d's midnight. One group holds every ordinary day; a day whose span holds a clock change gets
        its own, so rules on shift pairs enumerate the pairs once per group (its first day), not once per day."""
        key = ("day_groups", k)
        if key not in self.shared:
            groups: dict[bytes, list[int]] = {}
            for d in range(len(self.day_pairs(k)[0])):  # on a cyclic period also the days whose d + k wraps
                span = range(d, d + k + 1)
                starts = np.stack([self.start_on(e) for e in span])
                ends = np.stack([self.end_on(e) for e in span])
                shape = np.stack([starts, ends]) - self.midnight[d]
                groups.setdefault(shape.tobytes(), []).append(d)
            self.shared[key] = [np.array(days, dtype=np.int64) for days in groups.values()]
        out: list[np.ndarray] = self.shared[key]
        return out

    def successor_groups(self, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(days, gap [T, T])]: the real rest from each shift t1 on a day d of `days` to each shift t2 on d + k
        (`day_groups`: around a clock change a rest is an hour longer or shorter)."""
        return [
            (days, self.start_on(int(days[0]) + k)[None, :] - self.e_abs[days[0]][:, None])
            for days in self.day_groups(k)
        ]

    @cached_property
    def position_pct(self) -> np.ndarray:
        return np.array([s.position_pct for s in self.inst.staff], dtype=float)

    @cached_property
    def formal_health(self) -> np.ndarray:
        return np.array([s.group.value in FORMAL_HEALTH_GROUPS for s in self.inst.staff])

    @cached_property
    def nurse(self) -> np.ndarray:
        return np.array([s.group.value in NURSE_GROUPS for s in self.inst.staff])

    @cached_property
    def weekend_of_day(self) -> np.ndarray:
        """[D] weekend number k for Saturdays/Sundays, -1 on weekdays."""
        out = np.full(self.D, -1)
        for d, wd in enumerate(self.weekday):
            if wd >= 5:
                # weekend k holds the Saturday/Sunday of the k-th calendar week touched by the period
                out[d] = (d + int(self.weekday[0])) // 7
        return out

    @cached_property
    def requirement_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(day [R], shift [R], members [R, S] bool) of all requirements, for vectorised counting."""
        R = len(self.requirements)
        members = np.zeros((R, self.S), dtype=bool)
        for r, req in enumerate(self.requirements):
            members[r, req.members] = True
        day = np.array([r.day for r in self.requirements], dtype=np.int64)
        shift = np.array([r.shift for r in self.requirements], dtype=np.int64)
        return day, shift, members

    def overlapping(self, a: int, b: int) -> list[tuple[int, int]]:
        """Shift instances (d, t) whose [start, end) overlaps [a, b) on the timeline (on a cyclic period also those
        of the cycles before and after, by their day in the period, each once)."""
        if self.cyclic:
            return self._overlapping_cyclic(a, b)
        out = []
        d_lo = max(0, a // DAY - 2)  # a day either side more than the clock needs: real midnights move by an hour
        d_hi = min(self.D - 1, b // DAY + 1)
        for d in range(d_lo, d_hi + 1):
            s, e = self.s_abs[d], self.e_abs[d]
            for t in np.nonzero((s < b) & (e > a))[0]:
                out.append((d, int(t)))
        return out

    def _overlapping_cyclic(self, a: int, b: int) -> list[tuple[int, int]]:
        """`overlapping` on a cyclic period: the days around [a, b) mapped into the period (a fixed clock)."""
        out: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()
        for e in range(a // DAY - 2, b // DAY + 2):
            s, end = self.start_on(e), self.end_on(e)
            for t in np.nonzero((s < b) & (end > a))[0].tolist():
                cell = (e % self.D, int(t))
                if cell not in seen:
                    seen.add(cell)
                    out.append(cell)
        return out

    def overlap_cells(self, spans: tuple[tuple[int, int], ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cells [K], offsets [W'], nonempty [W']) for intervals [a, b) on the timeline: the flat (d * T + t) shift
        instances overlapping each interval, interval after interval; where each nonempty interval's run starts; and
        which intervals those are. Staff-independent, cached on the unit's shared tables: rosters are then read
        against any list of windows with one gather (`RosterView.busy`)."""
        key = ("overlap_cells", spans)
        if key not in self.shared:
            parts = [(w, [d * self.T + t for d, t in self.overlapping(a, b)]) for w, (a, b) in enumerate(spans)]
            parts = [(w, p) for w, p in parts if p]
            sizes = np.array([len(p) for _, p in parts], dtype=np.int64)
            cells = np.array([c for _, p in parts for c in p], dtype=np.int64)
            offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if parts else sizes
            self.shared[key] = (cells, offsets, np.array([w for w, _ in parts], dtype=np.int64))
        out: tuple[np.ndarray, np.ndarray, np.ndarray] = self.shared[key]
        return out

    def any_overlapping(self, cells_on: np.ndarray, spans: tuple[tuple[int, int], ...]) -> np.ndarray:
        """[S, W] bool: a true cell of `cells_on` [S, D, T] (shifts worked, or shifts allowed) is a shift instance
        overlapping each interval of `spans` (one gather over `overlap_cells`)."""
        cells, offsets, nonempty = self.overlap_cells(spans)
        out = np.zeros((cells_on.shape[0], len(spans)), dtype=bool)
        if len(cells):
            flat = cells_on.reshape(cells_on.shape[0], self.D * self.T)[:, cells]  # [S, K] each interval in turn
            out[:, nonempty] = np.logical_or.reduceat(flat, offsets, axis=1)
        return out

    def target_minutes(self, s: int, weekly_hours: float) -> float:
        """Contract minutes for staff s over the period: position % × weekly hours, less whole days absent."""
        return float(self.target_minutes_all(weekly_hours)[s])

    def target_minutes_all(self, weekly_hours: float) -> np.ndarray:
        """[S] contract minutes of everyone (see `target_minutes`)."""
        avail_days = self.D - self.absent_day.sum(axis=1)
        return self.position_pct / 100.0 * weekly_hours * 60.0 * avail_days / 7.0


def build_index(inst: Instance) -> Index:
    staff_ids = [s.id for s in inst.staff]
    codes = [t.code for t in inst.shift_types]
    dates = inst.period.dates()
    S, D, T = len(staff_ids), len(dates), len(codes)
    start = np.array([t.start for t in inst.shift_types], dtype=np.int64)
    duration = np.array([t.duration_min for t in inst.shift_types], dtype=np.int64)
    work = np.array([t.work_min for t in inst.shift_types], dtype=np.int64)
    night = np.array([t.has(ShiftTag.night) for t in inst.shift_types])
    evening = np.array([t.has(ShiftTag.evening) for t in inst.shift_types])
    dayshift = np.array([t.has(ShiftTag.day) for t in inst.shift_types])
    long_ = np.array([t.has(ShiftTag.long) or t.work_min > LONG_SHIFT_MIN for t in inst.shift_types])
    night_min = np.array([night_overlap(int(a), int(b)) for a, b in zip(start, duration, strict=True)], dtype=np.int64)
    weekday = np.array([d.weekday() for d in dates], dtype=np.int64)

    cyclic = inst.period.cyclic
    # a grunnturnus is read on a fixed clock: the same pattern wherever in the year it is laid down (Period)
    clock = Timeline(inst.period.start, D, "UTC" if cyclic else inst.period.timezone)
    midnight = clock.real(np.arange(D + 1) * DAY)
    wall_start = np.arange(D)[:, None] * DAY + start[None, :]
    s_abs = clock.real(wall_start)
    e_abs = clock.real(wall_start + duration[None, :])
    work_at = e_abs - s_abs - (duration - work)[None, :]
    night_at = _night_minutes(clock, s_abs, e_abs)

    # a grunnturnus has no public holidays: its Sundays are its only Sundays (Period)
    holiday = weekday == 6 if cyclic else np.array([is_sunday_or_holiday(d) for d in dates], dtype=bool)
    windows = _cyclic_sunday_windows(weekday) if cyclic else _sunday_windows(inst, clock)
    # minutes of each shift instance inside a Sunday/holiday window (on a cyclic period also a window of the cycle
    # before or after: the last Saturday's evening is Sunday work in the first Sunday's window)
    sunday_min = np.zeros((D, T), dtype=np.int64)
    for shift in (-D * DAY, 0, D * DAY) if cyclic else (0,):
        for _, a, b in windows:
            sunday_min += np.maximum(0, np.minimum(e_abs + shift, b) - np.maximum(s_abs + shift, a))

    allowed = np.ones((S, D, T), dtype=bool)
    absent_day = np.zeros((S, D), dtype=bool)
    rules = inst.rules
    max_work = rules.max_daily_hours.max_hours * 60
    for i, st in enumerate(inst.staff):
        for ab in st.absences:
            a, b = (int(m) for m in clock.real(np.array(ab.span_minutes(inst.period.start))))
            allowed[i] &= ~((s_abs < b) & (e_abs > a))
            # whole days inside [a, b)
            lo, hi = int(np.searchsorted(midnight, a)), int(np.searchsorted(midnight, b, side="right")) - 1
            if min(hi, D) > lo:
                absent_day[i, lo : min(hi, D)] = True
        if st.allowed_shifts is not None:
            allowed[i, :, [t for t, c in enumerate(codes) if c not in st.allowed_shifts]] = False
        if st.night_only:
            allowed[i, :, ~night] = False
    available = allowed.copy()
    if rules.max_daily_hours.hard:
        for i, st in enumerate(inst.staff):
            if not st.accepts_long_shifts:
                allowed[i, :, long_] = False
            allowed[i] &= work_at <= max_work

    idx = Index(
        inst,
        staff_ids,
        codes,
        dates,
        start,
        duration,
        work,
        night,
        evening,
        dayshift,
        long_,
        night_min,
        sunday_min,
        weekday,
        holiday,
        windows,
        allowed,
        available,
        absent_day,
        midnight,
        s_abs,
        e_abs,
        work_at,
        night_at,
        clock,
    )
    idx.requirements = _requirements(inst, idx)
    return idx


def _night_minutes(clock: Timeline, s_abs: np.ndarray, e_abs: np.ndarray) -> np.ndarray:
    """[D, T] real minutes of each shift instance inside the local 21:00-06:00 nights around its day (a clock
    change falls inside a night, so such a night has 8 or 10 hours)."""
    D = s_abs.shape[0]
    out = np.zeros_like(s_abs)
    for k in (-1, 0, 1):  # the nights from the day before, the day itself and the next day into the one after
        nights = np.arange(D)[:, None] + k
        a = clock.real(nights * DAY + NIGHT_START)
        b = clock.real((nights + 1) * DAY + NIGHT_END)
        out += np.maximum(0, np.minimum(e_abs, b) - np.maximum(s_abs, a))
    return out


def _sunday_windows(inst: Instance, clock: Timeline) -> list[tuple[list[int], int, int]]:
    """The Sunday/holiday windows touching the period, in real minutes from its first midnight, with their Sundays
    and holidays inside the period (or, for a window whose eve is the period's last day, that day: work there on
    the eve's evening is Sunday work)."""
    out = []
    for w in sunday_windows(inst.period.start, inst.period.end):
        a, b = clock.real_datetime(w.start), clock.real_datetime(w.end)
        days = [(day - inst.period.start).days for day in w.days if inst.period.contains(day)]
        out.append((days or [inst.period.days - 1], a, b))
    return out


def _cyclic_sunday_windows(weekday: np.ndarray) -> list[tuple[list[int], int, int]]:
    """The Sunday windows of a cyclic period (no holidays, a fixed clock): one per Sunday d, from 18:00 the day
    before (the period's last day for a Sunday on day 0: the wrap) to 22:00."""
    return [([d], (d - 1) * DAY + EVE_START, d * DAY + WINDOW_END) for d in np.nonzero(weekday == 6)[0].tolist()]


def _applies(dem, day: dt.date, holidays: bool) -> bool:
    """The demand row holds on `day`; without `holidays` (a cyclic plan) a weekday row reads the day's weekday."""
    if holidays or dem.dates is not None or dem.weekdays is None:
        return bool(dem.applies(day))
    return list(Weekday)[day.weekday()] in dem.weekdays


def _requirements(inst: Instance, idx: Index) -> list[Requirement]:
    out: list[Requirement] = []
    groups = np.array([s.group.value for s in inst.staff])
    units = np.array([s.unit or "" for s in inst.staff])
    for dem in inst.demand:
        t = idx.shift_pos.get(dem.shift)
        if t is None:
            continue
        in_unit = units == dem.unit if dem.unit is not None else np.ones(idx.S, dtype=bool)
        for d, day in enumerate(idx.dates):
            if not _applies(dem, day, not inst.period.cyclic):
                continue
            for slot in dem.slots:
                mask = in_unit.copy()
                if slot.group is not None:
                    mask &= np.isin(groups, list(inst.qualifying_groups(slot.group, slot.or_better)))
                for code in slot.competences:
                    mask &= np.array([s.has_competence(code, day) for s in inst.staff])
                label = f"{dem.unit}:{slot.label()}" if dem.unit else slot.label()
                out.append(Requirement(d, t, label, slot.min, slot.ideal or slot.min, np.nonzero(mask)[0]))
    return out
