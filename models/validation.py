"""Load and validate an instance, reporting every problem at once with a stable code.

Pydantic checks each field; the cross-reference checks here need the whole unit (unknown ids, dates outside
the period, overlapping absences, competences nobody has), and the legal floors need the rules together with the
recorded agreements (`models.agreements`: a setting beyond what they allow, a statutory rule OFF). CLI and API
both turn `InstanceError` into one readable line per problem (exit 2 / HTTP 422).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .agreements import legal_review, week_review
from .common import fmt_hhmm
from .instance import Assignment, Instance, Roster
from .shifts import ShiftTag
from .tasks import in_unit, qualifies, task_unit


class Problem(BaseModel):
    code: str
    loc: str
    message: str
    severity: str = "error"

    def line(self) -> str:
        where = f" at {self.loc}" if self.loc else ""
        return f"{self.severity} {self.code}{where}: {self.message}"


class InstanceError(ValueError):
    """Bad input: every problem found, each with a code."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.line() for p in problems))


PYDANTIC_CODES = {  # pydantic error type -> problem code (the CLI's and the service's)
    "missing": "missing_field",
    "extra_forbidden": "unknown_field",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "greater_than": "out_of_range",
    "less_than": "out_of_range",
    "too_short": "too_short",
}


def loc_path(parts: Iterable[Any]) -> str:
    """A pydantic error location as a path: ('staff', 0, 'id') -> 'staff[0].id'."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problems_from_validation(err: ValidationError) -> list[Problem]:
    problems = []
    for e in err.errors(include_url=False):
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        code = PYDANTIC_CODES.get(e["type"], e["type"])
        if e["type"] == "value_error" and "end equals start" in msg:
            code = "shift_zero_length"
        elif e["type"] == "value_error":
            code = "invalid_value"
        problems.append(Problem(code=code, loc=loc_path(e.get("loc", ())), message=msg))
    return problems


def parse_model(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise InstanceError(problems_from_validation(err)) from None


def read_text(path: str | Path) -> str:
    """The file's text; `file_unreadable` when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise InstanceError(
            [Problem(code="file_unreadable", loc=str(path), message=err.strerror or str(err))]
        ) from None


def read_json(path: str | Path) -> Any:
    return parse_json_text(read_text(path), str(path))


def parse_json_text(text: str, where: str = "") -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InstanceError(
            [Problem(code="malformed_json", loc=where, message=f"{err.msg} (line {err.lineno}, column {err.colno})")]
        ) from None


def semantic_problems(inst: Instance) -> list[Problem]:
    """Cross-reference checks that need the whole instance."""
    out: list[Problem] = []

    def add(code: str, loc: str, message: str, severity: str = "error") -> None:
        out.append(Problem(code=code, loc=loc, message=message, severity=severity))

    staff_ids: dict[str, int] = {}
    for i, s in enumerate(inst.staff):
        if s.id in staff_ids:
            add("duplicate_staff", f"staff[{i}].id", f"staff id {s.id!r} appears twice")
        staff_ids[s.id] = i
    shift_codes: dict[str, int] = {}
    for i, t in enumerate(inst.shift_types):
        if t.code in shift_codes:
            add("duplicate_shift", f"shift_types[{i}].code", f"shift code {t.code!r} appears twice")
        shift_codes[t.code] = i

    period = inst.period
    known_groups = set(inst.group_hierarchy) | {s.group.value for s in inst.staff}
    for i, s in enumerate(inst.staff):
        for j, code in enumerate(s.allowed_shifts or []):
            if code not in shift_codes:
                add("unknown_shift", f"staff[{i}].allowed_shifts[{j}]", f"unknown shift {code!r}")
        for j, w in enumerate(s.wishes):
            if w.shift is not None and w.shift not in shift_codes:
                add("unknown_shift", f"staff[{i}].wishes[{j}].shift", f"unknown shift {w.shift!r}")
            if w.date is not None and not period.contains(w.date):
                add("date_outside_period", f"staff[{i}].wishes[{j}].date", f"{w.date} is outside the period", "warning")
        spans = sorted(a.span_minutes(period.start) for a in s.absences)
        for (_, b0), (a1, _) in pairwise(spans):
            if a1 < b0:
                add("overlapping_absence", f"staff[{i}].absences", f"staff {s.id!r} has overlapping absences")
                break
        if s.desired_pct is not None and s.desired_pct < s.position_pct:
            add("desired_below_position", f"staff[{i}].desired_pct", "desired % is below the position %", "warning")

    units = {s.unit for s in inst.staff}
    for i, d in enumerate(inst.demand):
        if d.unit is not None and d.unit not in units:
            add("unknown_unit", f"demand[{i}].unit", f"no staff belongs to unit {d.unit!r}")
        if d.shift not in shift_codes:
            add("unknown_shift", f"demand[{i}].shift", f"unknown shift {d.shift!r}")
        for j, day in enumerate(d.dates or []):
            if not period.contains(day):
                add("date_outside_period", f"demand[{i}].dates[{j}]", f"{day} is outside the period")
        for j, slot in enumerate(d.slots):
            loc = f"demand[{i}].slots[{j}]"
            if slot.group is not None and slot.group not in known_groups:
                add("unknown_group", f"{loc}.group", f"unknown personnel group {slot.group!r}")
                continue
            if slot.min == 0:
                continue
            groups = inst.qualifying_groups(slot.group, slot.or_better) if slot.group else None
            able = [
                s
                for s in inst.staff
                if (d.unit is None or s.unit == d.unit)
                and (groups is None or s.group.value in groups)
                and all(any(g.code == c for g in s.competences) for c in slot.competences)
            ]
            if not able:
                add(
                    "competence_unavailable",
                    loc,
                    f"nobody in the unit qualifies for slot {slot.label()!r} (needs {slot.min})",
                )

    for i, pair in enumerate(inst.rules.forbidden_successions.pairs):
        loc = f"rules.forbidden_successions.pairs[{i}]"
        for code in [pair.first, *pair.then]:
            if code not in shift_codes:
                add("unknown_shift", loc, f"unknown shift {code!r}")

    seen_pins: set[tuple[str, object]] = set()
    for i, a in enumerate(inst.pinned):
        if (a.staff, a.date) in seen_pins:
            add("pinned_twice", f"pinned[{i}]", f"staff {a.staff!r} has two pinned shifts on {a.date}")
        seen_pins.add((a.staff, a.date))
    out += assignment_problems(inst, inst.pinned, "pinned")
    for i, a in enumerate(inst.pinned):
        if period.contains(a.date) and a.staff in staff_ids and a.shift in shift_codes:
            why = pin_not_allowed(inst, inst.staff[staff_ids[a.staff]], inst.shift_types[shift_codes[a.shift]], a.date)
            if why:
                add("pinned_not_allowed", f"pinned[{i}]", f"pinned {a.shift} on {a.date} for {a.staff!r}: {why}")
    out += assignment_problems(inst, inst.assignments or [], "assignments")
    out += history_problems(inst)
    out += cyclic_problems(inst)
    out += shift_run_problems(inst)
    out += task_problems(inst)  # tasks, users, roles
    return out


def history_problems(inst: Instance) -> list[Problem]:
    """History assignments (the days before the period) that cannot belong to the unit: `unknown_staff`,
    `unknown_shift`, `history_not_before_start` (a date on or after period.start), `history_twice` (two shifts
    for one person on one date), `history_start_invalid` (`history_start` on or after the start, or after an
    entry)."""
    staff_ids = {s.id for s in inst.staff}
    shift_codes = {t.code for t in inst.shift_types}
    out = []
    seen: set[tuple[str, object]] = set()
    for i, a in enumerate(inst.history):
        loc = f"history[{i}]"
        if a.staff not in staff_ids:
            out.append(Problem(code="unknown_staff", loc=f"{loc}.staff", message=f"unknown staff {a.staff!r}"))
        if a.shift not in shift_codes:
            out.append(Problem(code="unknown_shift", loc=f"{loc}.shift", message=f"unknown shift {a.shift!r}"))
        if a.date >= inst.period.start:
            out.append(
                Problem(
                    code="history_not_before_start",
                    loc=f"{loc}.date",
                    message=f"{a.date} is not before the period start {inst.period.start}",
                )
            )
        if (a.staff, a.date) in seen:
            out.append(Problem(code="history_twice", loc=loc, message=f"staff {a.staff!r} has two shifts on {a.date}"))
        seen.add((a.staff, a.date))
    first = inst.history_start
    if first is not None and (first >= inst.period.start or any(a.date < first for a in inst.history)):
        out.append(
            Problem(
                code="history_start_invalid",
                loc="history_start",
                message=f"{first} must be before the period start and no later than the first history entry",
            )
        )
    return out


def cyclic_problems(inst: Instance) -> list[Problem]:
    """A cyclic period (grunnturnus) repeats whole plan weeks, and its day 0 follows its own last day:
    `cyclic_not_week_start` (it does not start on `week_start`: a plan week would straddle the wrap), and
    `cyclic_history` (`history`, `history_start` or a person's counts before the period: nothing precedes a plan
    that repeats)."""
    period = inst.period
    if not period.cyclic:
        return []
    out = []
    if period.week_offset:
        out.append(
            Problem(
                code="cyclic_not_week_start",
                loc="period.start",
                message=f"a cyclic period must start on its week_start ({period.week_start}); "
                f"{period.start} is a {period.start.strftime('%A').lower()}",
            )
        )
    if inst.history or inst.history_start is not None:
        where = "history" if inst.history else "history_start"
        out.append(Problem(code="cyclic_history", loc=where, message="a cyclic period has no history before it"))
    for i, person in enumerate(inst.staff):
        lim = person.limits
        for name in ("weekends_before", "assignments_before"):
            if lim is not None and getattr(lim, name):
                out.append(
                    Problem(
                        code="cyclic_history",
                        loc=f"staff[{i}].limits.{name}",
                        message="a cyclic period has no history before it",
                    )
                )
    return out


def shift_run_problems(inst: Instance) -> list[Problem]:
    """`unknown_shift` for a code named by a `shift_runs` limit."""
    shift_codes = {t.code for t in inst.shift_types}
    out = []
    for i, run in enumerate(inst.rules.shift_runs.runs):
        for j, code in enumerate(run.shifts or []):
            if code not in shift_codes:
                out.append(
                    Problem(
                        code="unknown_shift",
                        loc=f"rules.shift_runs.runs[{i}].shifts[{j}]",
                        message=f"unknown shift {code!r}",
                    )
                )
    return out


def assignment_problems(inst: Instance, items: Iterable[Assignment], name: str) -> list[Problem]:
    """Assignments that cannot belong to the unit: `unknown_staff`, `unknown_shift`, `date_outside_period`
    (pins, an instance's previous roster, a roster given to `turnus check`). Bad input, not a rule violation."""
    staff_ids = {s.id for s in inst.staff}
    shift_codes = {t.code for t in inst.shift_types}
    out = []
    for i, a in enumerate(items):
        if a.staff not in staff_ids:
            out.append(Problem(code="unknown_staff", loc=f"{name}[{i}].staff", message=f"unknown staff {a.staff!r}"))
        if a.shift not in shift_codes:
            out.append(Problem(code="unknown_shift", loc=f"{name}[{i}].shift", message=f"unknown shift {a.shift!r}"))
        if not inst.period.contains(a.date):
            out.append(
                Problem(
                    code="date_outside_period",
                    loc=f"{name}[{i}].date",
                    message=f"{a.date} is outside the period {inst.period.start} – {inst.period.end}",
                )
            )
    return out


def roster_problems(inst: Instance, roster: Roster) -> list[Problem]:
    """A roster to check against `inst`: every assignment naming unknown staff or shifts or a date outside the
    period (all at once; the CLI exits 2 on them)."""
    return assignment_problems(inst, roster.assignments, "assignments")


def legal_problems(inst: Instance) -> list[Problem]:
    """Rule settings beyond what the recorded agreements allow (`beyond_legal_floor`), statutory rules OFF or
    PREFERRED without an agreement, agreements the employer cannot make (see `models.agreements`)."""
    found = legal_review(inst.rules, inst.agreements)[0] + week_review(inst.period.week_start, inst.agreements)[0]
    return [Problem(code=f.code, loc=f.loc, message=f.message) for f in found]


def task_problems(inst: Instance) -> list[Problem]:
    """Coded problems of the task input: unknown_user, task_window_too_short, task_competence_unavailable,
    unknown_staff (contacts), unknown_shift (roles), duplicate_task / duplicate_user, date_outside_period."""
    out: list[Problem] = []

    def add(code: str, loc: str, message: str, severity: str = "error") -> None:
        out.append(Problem(code=code, loc=loc, message=message, severity=severity))

    staff_ids = {s.id for s in inst.staff}
    shift_codes = {t.code for t in inst.shift_types}
    users: dict[str, int] = {}
    for i, u in enumerate(inst.users):
        if u.id in users:
            add("duplicate_user", f"users[{i}].id", f"user id {u.id!r} appears twice")
        users[u.id] = i
        for f in ("primary_contact", "secondary_contact"):
            sid = getattr(u, f)
            if sid is not None and sid not in staff_ids:
                add("unknown_staff", f"users[{i}].{f}", f"unknown staff {sid!r}")
    known_groups = set(inst.group_hierarchy) | {s.group.value for s in inst.staff}
    seen: set[str] = set()
    for i, t in enumerate(inst.tasks):
        loc = f"tasks[{i}]"
        if t.id in seen:
            add("duplicate_task", f"{loc}.id", f"task id {t.id!r} appears twice")
        seen.add(t.id)
        if t.user is not None and t.user not in users:
            add("unknown_user", f"{loc}.user", f"task {t.id!r} is for unknown user {t.user!r}")
        if t.duration_min > t.window_min:
            add(
                "task_window_too_short",
                loc,
                f"task {t.id!r}: window {fmt_hhmm(t.earliest)}-{fmt_hhmm(t.latest)} "
                f"({t.window_min} min) is shorter than its duration ({t.duration_min} min)",
            )
        if t.group is not None and t.group not in known_groups:
            add("unknown_group", f"{loc}.group", f"unknown personnel group {t.group!r}")
            continue
        unit = task_unit(inst, t)
        able = [s for s in inst.staff if in_unit(s, unit) and qualifies(inst, s, t.group, t.or_better, t.competences)]
        if len(able) < t.count:
            need = "/".join(([t.group + ("+" if t.or_better else "")] if t.group else []) + t.competences)
            add(
                "task_competence_unavailable",
                loc,
                f"task {t.id!r} needs {t.count} × {need or 'anyone'} but "
                f"{len(able)} in {'unit ' + repr(unit) if unit else 'the unit'} qualify",
            )
        for j, day in enumerate(t.dates or []):
            if not inst.period.contains(day):
                add("date_outside_period", f"{loc}.dates[{j}]", f"{day} is outside the period", "warning")
    for i, r in enumerate(inst.roles):
        loc = f"roles[{i}]"
        if r.shift not in shift_codes:
            add("unknown_shift", f"{loc}.shift", f"unknown shift {r.shift!r}")
        if r.group is not None and r.group not in known_groups:
            add("unknown_group", f"{loc}.group", f"unknown personnel group {r.group!r}")
            continue
        if not any(in_unit(s, r.unit) and qualifies(inst, s, r.group, r.or_better, r.competences) for s in inst.staff):
            add("role_competence_unavailable", loc, f"nobody qualifies for role {r.code!r} on shift {r.shift}")
    return out


def pin_not_allowed(inst: Instance, person: Any, shift: Any, day: Any) -> str:
    """Why a pinned shift can never be worked (the same cells `solver.index.build_index` leaves out), or ''."""
    if person.allowed_shifts is not None and shift.code not in person.allowed_shifts:
        return "not among the person's allowed shifts"
    if person.night_only and not shift.has(ShiftTag.night):
        return "the person works nights only"
    a = (day - inst.period.start).days * 1440 + shift.start
    b = a + shift.duration_min
    if any(lo < b and hi > a for lo, hi in (ab.span_minutes(inst.period.start) for ab in person.absences)):
        return "the person is absent"
    mdh = inst.rules.max_daily_hours
    if mdh.hard:
        if shift.work_min > mdh.max_hours * 60:
            return f"longer than {mdh.max_hours:g} h (max_daily_hours)"
        if (shift.has(ShiftTag.long) or shift.work_min > 600) and not person.accepts_long_shifts:
            return "a long shift and the person has not opted in (max_daily_hours)"
    return ""


def validate_instance(
    data: Any, *, strict_warnings: bool = False, legal_floors: bool = True
) -> tuple[Instance, list[Problem]]:
    """Parse and cross-check an instance. Raises `InstanceError` with every error; returns the warnings.

    `legal_floors=False` skips the legal floors (`legal_problems`) and nothing else: only for tests of one rule's
    mechanics, which switch the other statutory rules off to see that rule alone. No command, endpoint or scenario
    passes it, so every unit turnus plans or checks is within the law's limits."""
    inst = parse_model(Instance, data)
    problems = semantic_problems(inst) + (legal_problems(inst) if legal_floors else [])
    errors = [p for p in problems if p.severity == "error" or strict_warnings]
    if errors:
        raise InstanceError(errors)
    return inst, [p for p in problems if p.severity != "error"]


def load_instance(path: str | Path) -> Instance:
    return validate_instance(read_json(path))[0]


def load_roster(path: str | Path) -> Roster:
    return parse_model(Roster, read_json(path))
