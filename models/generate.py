"""Seeded synthetic care units with realistic Norwegian sykehjem shift times and competence mix.

Sizes: small ~12 staff (one bofellesskap-like ward), medium ~35 staff (one sykehjem ward), large ~120 staff
(three wards). Each ward has a day/evening pool and a night pool (nattevakter); demand per ward follows a
bemanningsplan with an ansvarsvakt slot, a helsefagarbeider-or-better slot and a head count. Staffing is
dimensioned so that every 3rd weekend covers the weekend demand (domain.md §2.2 weekend arithmetic).

Position % (stillingsprosent) and desired % are drawn per personnel group so that a unit looks like municipal
turnus in helse og omsorg, where most people work part-time and about a third of the part-timers want more, and so
that heltid scenarios have someone to raise (`POSITION_MIX`). The figures used, and where they come from:

- KS, "Andelen som jobber heltid øker, men mye gjenstår" (tariff 2022 facts, PAI register 1.12.2020): heltid
  among turnus staff in helse og omsorg **28.4 %** (20.8 % in 2014), the average position of turnus staff
  **68.6 %**, of sykepleiere **83.5 %**. The unit-wide targets: a generated ward's heltidsandel and mean position
  land on these (tests/test_generate.py checks them over many draws). KS, "Andelen heltidsansatte øker" (PAI
  1.12.2018: 24.2 %) gives the KS definition the KPI follows: summed positions of at least 100 %.
- SSB, "Flere i helse- og sosialtjenestene jobber heltid" (Q4 2023, main job, all health and social services):
  heltid by education sykepleier **64.2 %**, helsefagarbeider **37.9 %**, vernepleier **75.8 %**. These set the
  order between groups (vernepleier > sykepleier > helsefagarbeider); SSB also counts hospitals and day work, so
  its levels are above turnus in municipal care, and each group's share here is SSB's scaled down to KS's
  turnus level (sykepleier 50 %, helsefagarbeider 33 %, vernepleier 55 %; approximate, derived).
- Ufaglærte (assistent): no published heltid share was found; KS and Fafo describe them as the group with the
  smallest positions, so 5 % full-time and part-time positions of 20-60 % (approximate). Lærlinger are outside
  KS's statistics; they keep a 50 % position and want no more. Night staff (nattevakter) mostly hold part-time
  night positions: 15 % full-time (approximate).
- Fafo-rapport 2019:15 (Moland and Bråthen, "En ny vei mot heltidskultur", summarised by arbeidslivet.no 2019):
  in pleie og omsorg three in four work part-time. Share of part-timers who want a bigger position: AFI's
  Arbeidslivsbarometeret (Steen and Ellingsen, OsloMet, in DN) "about a third of part-timers want to work more
  or full time"; NORDCARE II (Vabø, Amble and Drange, Samfunn og økonomi 2019) finds unwanted part-time mainly
  among (young) helsefagarbeidere in eldreomsorgen, and part-time sykepleiere mostly choose it (Sykepleien
  Forskning 2020, working-time preferences of registered nurses). So a part-timer wants more with probability
  25 % (nurses, vernepleiere, night staff), 40 % (helsefagarbeidere), 45 % (assistenter): about 1/3 overall.
- Amble (AFI, "Ikke fullt og helt, men stykkevis og delt", citing Abrahamsen 2002): those in unwanted part-time
  mostly want a longer part-time, not necessarily full time. So 40 % of those who want more want 100 % and the
  rest 10-25 points more (approximate).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from .instance import Instance

SHIFT_TYPES = [
    {"code": "D", "name": "Dagvakt", "start": "07:30", "end": "15:00"},
    {"code": "M", "name": "Mellomvakt", "start": "10:00", "end": "17:30"},
    {"code": "A", "name": "Aftenvakt", "start": "14:30", "end": "22:00"},
    {"code": "N", "name": "Nattvakt", "start": "21:45", "end": "07:45"},
    {"code": "LD", "name": "Langvakt dag", "start": "08:00", "end": "20:30"},
]

NURSE_COMP = ["med.administer", "med.controlled_drug", "ansvarsvakt", "wound.complex"]


@dataclass(frozen=True)
class WardPlan:
    """Head counts of one ward template: (group, count) in the day/evening pool and in the night pool."""

    day_pool: tuple[tuple[str, int], ...]
    night_pool: tuple[tuple[str, int], ...]
    weekday: dict[str, tuple[int, int, int, int]]  # shift -> (ansvar min, hfa+ min, total min, total ideal)
    weekend: dict[str, tuple[int, int, int, int]]


SMALL = WardPlan(
    day_pool=(("sykepleier", 3), ("helsefagarbeider", 5), ("assistent", 2)),
    night_pool=(("helsefagarbeider", 2), ("sykepleier", 1)),
    weekday={"D": (1, 1, 3, 3), "A": (1, 1, 2, 2), "N": (0, 1, 1, 1)},
    weekend={"D": (1, 1, 2, 2), "A": (0, 1, 1, 1), "N": (0, 1, 1, 1)},
)

MEDIUM = WardPlan(
    day_pool=(
        ("spesialsykepleier", 1),
        ("sykepleier", 6),
        ("vernepleier", 1),
        ("helsefagarbeider", 14),
        ("assistent", 6),
        ("laerling", 1),
    ),
    night_pool=(("sykepleier", 3), ("helsefagarbeider", 3)),
    weekday={"D": (1, 3, 5, 6), "M": (0, 0, 1, 2), "A": (1, 2, 4, 5), "N": (1, 1, 2, 2)},
    weekend={"D": (1, 2, 4, 4), "A": (1, 2, 4, 4), "N": (1, 1, 2, 2)},
)


@dataclass(frozen=True)
class PositionMix:
    """How one personnel group's positions and wishes are drawn (sources in the module docstring)."""

    full_time: float  # P(position = 100 %)
    part_time: tuple[int, ...]  # a part-timer's position, one of these with equal probability
    wants_more: float  # P(a part-timer wants a bigger position)
    wants_full: float = 0.4  # P(the bigger position wanted is 100 % | wants more)
    raise_steps: tuple[int, ...] = (10, 15, 20, 25)  # otherwise: this many points more (at most 100)


NURSE_MIX = PositionMix(full_time=0.50, part_time=(50, 60, 70, 75, 80), wants_more=0.25)
POSITION_MIX: dict[str, PositionMix] = {
    "spesialsykepleier": NURSE_MIX,
    "sykepleier": NURSE_MIX,
    "vernepleier": PositionMix(full_time=0.55, part_time=(60, 70, 75, 80, 90), wants_more=0.25),
    "helsefagarbeider": PositionMix(full_time=0.33, part_time=(40, 50, 50, 60, 70, 75, 80), wants_more=0.40),
    "assistent": PositionMix(full_time=0.05, part_time=(20, 30, 40, 40, 50, 50, 60), wants_more=0.45),
    "laerling": PositionMix(full_time=0.0, part_time=(50,), wants_more=0.0),
}
NIGHT_MIX = PositionMix(full_time=0.15, part_time=(50, 60, 65, 70, 75), wants_more=0.25)

# the main stream's draws of the earlier generator, still taken (and dropped) so that every other draw of a unit
# (competences, long-shift opt-in, seniority, ferie, wishes) stays as it was and earlier figures stay comparable
_OLD_POSITIONS = {
    "spesialsykepleier": [100, 100, 80],
    "sykepleier": [100, 100, 80, 75, 60],
    "vernepleier": [100, 80],
    "helsefagarbeider": [100, 80, 75, 75, 60, 50, 50, 40],
    "assistent": [50, 40, 30, 20],
    "laerling": [50],
}
_OLD_NIGHT = [60, 65, 70, 75]
_OLD_RAISE = [0, 0, 10, 20, 25]


def draw_position(rng: random.Random, mix: PositionMix) -> tuple[int, int]:
    """(position %, desired %): full-time or a part-time position, then the part-timer's wish; desired >= position,
    and a full-timer's desired % is 100."""
    if rng.random() < mix.full_time:
        return 100, 100
    pct = rng.choice(mix.part_time)
    if rng.random() >= mix.wants_more:
        return pct, pct
    if rng.random() < mix.wants_full:
        return pct, 100
    return pct, min(100, pct + rng.choice(mix.raise_steps))


def position_rng(seed: int, n: int) -> random.Random:
    """Person n's own stream for position and desired %, apart from the unit's main stream (string seeds are
    hashed with SHA-512 by `random`, so the stream is the same in every process)."""
    return random.Random(f"position-{seed}-{n}")


YEAR_PLAN_WEEKS = 26  # from this length a generated unit is a year plan (årsturnus) with everyone's ferie


def seed_of(seed: int, n: int) -> int:
    """A person's own seed for what only year plans draw (the shorter units' draws stay as they were)."""
    return seed * 100_003 + n


def year_ferie(rng: random.Random, start: dt.date, weeks: int, n: int) -> list[dict]:
    """Five weeks of ferie (ferieloven §5 four weeks and a day, KS HTA §7 the fifth): three weeks in a row in the
    main holiday season (ferieloven §7: 18 working days between 1 June and 30 September), staggered over the
    summer so the unit stays staffed (person n takes the n-th of six three-week starts from mid-June), and two
    single weeks elsewhere in the plan, on Monday-to-Sunday weeks of the period."""
    end = start + dt.timedelta(days=7 * weeks - 1)
    mondays = [start + dt.timedelta(days=7 * w - start.weekday()) for w in range(weeks + 1)]
    mondays = [m for m in mondays if start <= m and m + dt.timedelta(days=6) <= end]
    summer = [m for m in mondays if dt.date(m.year, 6, 15) <= m <= dt.date(m.year, 8, 10)]
    taken: set[dt.date] = set()
    if len(summer) >= 3:
        first = summer[(n % 6) * (len(summer) - 3) // 5]
        taken.update(first + dt.timedelta(days=7 * k) for k in range(3))
    rest = [m for m in mondays if m not in taken and all(abs((m - t).days) > 7 for t in taken)]
    taken.update(rng.sample(rest, min(len(rest), 5 - len(taken))))
    return [
        {"start_date": m.isoformat(), "end_date": (m + dt.timedelta(days=6)).isoformat(), "kind": "ferie"}
        for m in sorted(taken)
    ]


def _ward(
    rng: random.Random, ward: str, plan: WardPlan, start: dt.date, weeks: int, n0: int, rng_seed: int = 1
) -> tuple[list, list]:
    staff, n = [], n0
    for pool, night in ((plan.day_pool, False), (plan.night_pool, True)):
        for group, count in pool:
            for _ in range(count):
                n += 1
                old_pct = rng.choice(_OLD_POSITIONS[group]) if not night else rng.choice(_OLD_NIGHT)
                pct, desired = draw_position(position_rng(rng_seed, n), NIGHT_MIX if night else POSITION_MIX[group])
                comps = []
                if group in ("sykepleier", "spesialsykepleier"):
                    comps = [
                        {"code": c, "source": "formal"}
                        for c in NURSE_COMP
                        if c != "wound.complex" or rng.random() < 0.7
                    ]
                elif group in ("helsefagarbeider", "vernepleier"):
                    if rng.random() < 0.7:
                        comps.append({"code": "med.administer", "source": "real" if rng.random() < 0.5 else "formal"})
                    if rng.random() < 0.15:
                        comps.append({"code": "ansvarsvakt", "source": "real"})
                if old_pct < 100:
                    rng.choice(_OLD_RAISE)
                person: dict[str, Any] = {
                    "id": f"{ward}-{n:03d}",
                    "group": group,
                    "unit": ward,
                    "competences": comps,
                    "position_pct": pct,
                    "desired_pct": desired,
                    "accepts_long_shifts": (not night) and rng.random() < 0.3,
                    "night_only": night,
                    "seniority_years": round(rng.uniform(0, 25), 1),
                    "absences": [],
                    "wishes": [],
                }
                if weeks >= YEAR_PLAN_WEEKS:  # an årsturnus: each person's 5 weeks of ferie, entered
                    person["absences"] += year_ferie(random.Random(seed_of(rng_seed, n)), start, weeks, n)
                elif rng.random() < 0.15 and weeks >= 2:  # a week of ferie somewhere in the period
                    w = rng.randrange(weeks)
                    a = start + dt.timedelta(days=7 * w)
                    person["absences"].append(
                        {
                            "start_date": a.isoformat(),
                            "end_date": (a + dt.timedelta(days=6)).isoformat(),
                            "kind": "ferie",
                        }
                    )
                if rng.random() < 0.3:
                    day = start + dt.timedelta(days=rng.randrange(weeks * 7))
                    person["wishes"].append(
                        {"kind": "avoid", "date": day.isoformat(), "weight": rng.choice([5, 10, 20])}
                    )
                if not night and rng.random() < 0.2:
                    person["wishes"].append({"kind": "avoid", "shift": "A", "weight": 2})
                staff.append(person)
    demand = []
    for shift, spec in plan.weekday.items():
        demand.append(
            {"shift": shift, "unit": ward, "weekdays": ["mon", "tue", "wed", "thu", "fri"], "slots": _slots(*spec)}
        )
    for shift, spec in plan.weekend.items():
        demand.append({"shift": shift, "unit": ward, "weekdays": ["sat", "sun"], "slots": _slots(*spec)})
    return staff, demand


def _slots(ansvar: int, hfa: int, total: int, ideal: int) -> list[dict]:
    slots = []
    if ansvar:
        slots.append({"id": "ansvarsvakt", "competences": ["ansvarsvakt"], "min": ansvar})
    if hfa:
        slots.append({"id": "helsefagarbeider+", "group": "helsefagarbeider", "or_better": True, "min": hfa})
    slots.append({"id": "total", "min": total, "ideal": ideal})
    return slots


def generate_dict(size: str = "medium", weeks: int = 6, seed: int = 1, start: dt.date | None = None) -> dict:
    """A unit instance as plain JSON data (see `generate`)."""
    if size not in ("small", "medium", "large"):
        raise ValueError("size must be small, medium or large")
    wards = {
        "small": [("B1", SMALL)],
        "medium": [("A1", MEDIUM)],
        "large": [("A1", MEDIUM), ("A2", MEDIUM), ("A3", MEDIUM), ("B1", SMALL)],
    }[size]
    return _unit_dict(
        wards, weeks, seed, start, f"{size}-{weeks}w-{seed}", f"Generated {size} unit ({weeks} weeks, seed {seed})"
    )


def _unit_dict(
    wards: list[tuple[str, WardPlan]], weeks: int, seed: int, start: dt.date | None, uid: str, name: str
) -> dict:
    rng = random.Random(seed)
    start = start or dt.date(2027, 1, 4)  # a Monday
    staff: list[dict[str, Any]] = []
    demand: list[dict[str, Any]] = []
    for ward, plan in wards:
        st, dm = _ward(rng, ward, plan, start, weeks, len(staff), seed)
        staff += st
        demand += dm
    return {
        "id": uid,
        "name": name,
        "period": {"start": start.isoformat(), "weeks": weeks},
        "staff": staff,
        "shift_types": SHIFT_TYPES,
        "demand": demand,
        "rules": {
            # 10 h nights are the norm; units agree a deviation with compensating rest (AML §10-11(9))
            "night_average": {"deviation_agreed": True},
        },
        # what the rules rely on, stated rather than left to the defaults (models/agreements.py): 12.5 h days and
        # 54 h weeks (averaging with the tillitsvalgte), 3 Sundays in a row (written Sunday averaging), 10 h nights
        "agreements": {
            "tariff_bound": True,
            "averaging_tillitsvalgte": True,
            "sunday_averaging": True,
            "night_deviation": True,
        },
    }


def generate(size: str = "medium", weeks: int = 6, seed: int = 1, start: dt.date | None = None) -> Instance:
    return Instance.model_validate(generate_dict(size, weeks, seed, start))


def wards_for(n_staff: int) -> list[tuple[str, WardPlan]]:
    """Medium wards (35 staff) while they fit, the rest in small wards (13 staff): the unit
    nearest ``n_staff`` built from the realistic ward templates (for scaling benchmarks)."""
    if n_staff < 1:
        raise ValueError("n_staff must be at least 1")
    size_m = sum(c for _, c in MEDIUM.day_pool + MEDIUM.night_pool)
    size_s = sum(c for _, c in SMALL.day_pool + SMALL.night_pool)
    n_medium = n_staff // size_m
    n_small = max(0 if n_medium else 1, round((n_staff - n_medium * size_m) / size_s))
    return [(f"A{i + 1}", MEDIUM) for i in range(n_medium)] + [(f"B{i + 1}", SMALL) for i in range(n_small)]


def generate_staff(n_staff: int, weeks: int = 6, seed: int = 1, start: dt.date | None = None) -> Instance:
    """A unit of about ``n_staff`` people (see ``wards_for``), otherwise like ``generate``."""
    return Instance.model_validate(
        _unit_dict(
            wards_for(n_staff),
            weeks,
            seed,
            start,
            f"staff{n_staff}-{weeks}w-{seed}",
            f"Generated unit of about {n_staff} staff ({weeks} weeks, seed {seed})",
        )
    )
