"""What the endpoints do with an instance: merge rule overrides, validate, score, re-plan, recommend.

All functions here are synchronous and CPU-bound; the endpoints call them from the thread pool, never on the
event loop. Nothing here solves: solving happens only in worker processes (see `worker.py`).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np

from models import Assignment, Instance, InstanceError, Problem, Roster, validate_instance

from .budget import Deadline
from .limits import shape_problems
from .problems import ProblemError
from .schemas import (
    AbsenceChange,
    DemandChange,
    Ineligible,
    JobConfig,
    PinChange,
    Recommendation,
    RecommendationRequest,
    RecommendationResult,
    ReplanRequest,
    RuleDelta,
    ScoreSummary,
)


def deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, val in over.items():
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], val)
        else:
            out[key] = copy.deepcopy(val)
    return out


def merge_rules(data: dict[str, Any], config: JobConfig | None) -> dict[str, Any]:
    """`config.rules` deep-merged into `input.rules` (the input itself is not changed)."""
    if config is None or not config.rules:
        return data
    out = dict(data)
    rules = out.get("rules")
    out["rules"] = deep_merge(rules if isinstance(rules, dict) else {}, config.rules)
    return out


def prepare(data: Any) -> tuple[Instance, list[Problem]]:
    """Validate an instance: pydantic fields, cross references, and pins the solver could not keep.
    Raises `InstanceError` with every error; returns the warnings."""
    inst, warnings = validate_instance(data)
    if inst.pinned:
        from solver.index import build_index

        idx = build_index(inst)
        bad = []
        for i, a in enumerate(inst.pinned):
            s, d, t = idx.staff_pos[a.staff], idx.date_pos[a.date], idx.shift_pos[a.shift]
            if not idx.allowed[s, d, t]:
                bad.append(
                    Problem(
                        code="pinned_not_allowed",
                        loc=f"pinned[{i}]",
                        message=f"pinned shift {a.shift} on {a.date} is not allowed for this person "
                        "(absence, allowed shifts, night-only or long-shift opt-in)",
                    )
                )
        if bad:
            raise InstanceError(bad)
    return inst, warnings


def score_summary(roster: Roster) -> ScoreSummary:
    s = roster.score
    return ScoreSummary(hard=s.hard, unfilled=s.unfilled, soft=s.soft, total=s.total)


def score_instance(inst: Instance) -> Roster:
    """Score the instance's own `assignments` (a planner's roster) without solving."""
    from solver import check

    return check(inst, list(inst.assignments or []))


def _assignments(items: list[dict[str, Any]], loc: str) -> list[Assignment]:
    out, problems = [], []
    for i, item in enumerate(items):
        try:
            out.append(Assignment.model_validate(item))
        except Exception as err:  # pydantic ValidationError
            from pydantic import ValidationError

            from models.validation import problems_from_validation

            if not isinstance(err, ValidationError):
                raise
            for p in problems_from_validation(err):
                problems.append(
                    Problem(code=p.code, loc=f"{loc}[{i}]" + (f".{p.loc}" if p.loc else ""), message=p.message)
                )
    if problems:
        raise ProblemError(
            422,
            "invalid_roster",
            f"the roster has {len(problems)} problem(s)",
            errors=[{"code": p.code, "loc": p.loc, "message": p.message} for p in problems],
        )
    return out


# ------------------------------------------------------------------ re-planning
def replan_input(
    parent_input: dict[str, Any], previous: list[dict[str, Any]], req: ReplanRequest
) -> tuple[dict[str, Any], int]:
    """The parent's instance with the changes applied, the parent's roster as `assignments` (hint and the
    stability rule's reference) and every assignment before `freeze_before` pinned. Returns (input, frozen)."""
    data = merge_rules(copy.deepcopy(parent_input), req.config)
    staff_by_id = {s.get("id"): s for s in data.get("staff", []) if isinstance(s, dict)}
    new_absences: dict[str, list[tuple[dt.date, dt.date]]] = {}
    errors = []
    for i, ch in enumerate(req.changes):
        if isinstance(ch, AbsenceChange):
            person = staff_by_id.get(ch.staff)
            if person is None:
                errors.append(
                    {"code": "unknown_staff", "loc": f"changes[{i}].staff", "message": f"unknown staff {ch.staff!r}"}
                )
                continue
            end = ch.end_date or ch.start_date
            if end < ch.start_date:
                errors.append(
                    {
                        "code": "invalid_value",
                        "loc": f"changes[{i}].end_date",
                        "message": "end_date is before start_date",
                    }
                )
                continue
            person.setdefault("absences", []).append(
                {"start_date": ch.start_date.isoformat(), "end_date": end.isoformat(), "kind": ch.kind}
            )
            new_absences.setdefault(ch.staff, []).append((ch.start_date, end))
        elif isinstance(ch, DemandChange):
            data["demand"] = (list(data.get("demand") or []) if ch.mode == "add" else []) + copy.deepcopy(ch.demand)
        elif isinstance(ch, PinChange):
            data["pinned"] = list(data.get("pinned") or []) + copy.deepcopy(ch.assignments)
    if errors:
        raise ProblemError(422, "invalid_change", f"{len(errors)} change(s) cannot be applied", errors=errors)

    prev = [{"staff": a["staff"], "date": a["date"], "shift": a["shift"]} for a in previous]
    data["assignments"] = prev
    frozen = 0
    if req.freeze_before is not None:
        cut = req.freeze_before.isoformat()
        pinned = list(data.get("pinned") or [])
        taken = {(p.get("staff"), p.get("date")) for p in pinned if isinstance(p, dict)}
        for a in prev:
            if a["date"] >= cut or (a["staff"], a["date"]) in taken:
                continue
            day = dt.date.fromisoformat(a["date"])
            if any(s <= day <= e for s, e in new_absences.get(a["staff"], [])):
                continue  # the change itself moves this person off the shift
            pinned.append({**a, "pinned": True})
            frozen += 1
        data["pinned"] = pinned
    return data, frozen


# ------------------------------------------------------------------ recommendations
def recommend(req: RecommendationRequest, deadline: Deadline | None = None) -> RecommendationResult:
    """Who can cover `shift` on `date`, and what it costs: each eligible person is added to the roster, the
    roster is re-checked, and the per-rule penalties are compared. Ranked lawful first, then by total delta.
    The cost grows with staff × roster size, so `deadline` is checked before each candidate's re-check."""
    from solver import check
    from solver.index import build_index

    inst, _ = prepare(merge_rules(req.input, req.config))
    current = (
        _assignments(req.roster.assignments, "roster.assignments")
        if req.roster is not None
        else list(inst.assignments or [])
    )
    from models.validation import assignment_problems

    errors = [  # a roster naming unknown staff or shifts or dates outside the period is bad input, not a violation
        {"code": p.code, "loc": p.loc, "message": p.message}
        for p in assignment_problems(inst, current, "roster.assignments")
    ]
    if req.shift not in {t.code for t in inst.shift_types}:
        errors.append({"code": "unknown_shift", "loc": "shift", "message": f"unknown shift {req.shift!r}"})
    if not inst.period.contains(req.date):
        errors.append({"code": "date_outside_period", "loc": "date", "message": f"{req.date} is outside the period"})
    if errors:
        raise ProblemError(422, "invalid_request", "the request does not fit the instance", errors=errors)
    inst = inst.model_copy(update={"assignments": None})  # judge the change itself, not "changed vs input"
    idx = build_index(inst)
    d, t = idx.date_pos[req.date], idx.shift_pos[req.shift]
    base = check(inst, current, idx)
    before = {r.rule: r for r in base.score.rules}
    working = {a.staff for a in current if a.date == req.date}
    lo, hi = idx.abs_start(d, t), idx.abs_end(d, t)
    ranked: list[tuple[tuple, Recommendation]] = []
    ineligible: list[Ineligible] = []
    for s, person in enumerate(inst.staff):
        if person.id in working:
            ineligible.append(
                Ineligible(staff=person.id, reason="already_working", detail=f"already has a shift on {req.date}")
            )
            continue
        if not idx.available[s, d, t]:
            spans = (idx.real(np.array(a.span_minutes(inst.period.start))) for a in person.absences)
            absent = any(a0 < hi and a1 > lo for a0, a1 in spans)
            ineligible.append(
                Ineligible(
                    staff=person.id,
                    reason="absent" if absent else "not_allowed",
                    detail="absent during the shift"
                    if absent
                    else f"may not take shift {req.shift} (allowed shifts or night-only)",
                )
            )
            continue
        if deadline is not None:
            deadline.check(f"ranking {len(inst.staff)} candidates")
        trial = check(inst, current + [Assignment(staff=person.id, date=req.date, shift=req.shift)], idx)
        after = {r.rule: r for r in trial.score.rules}
        deltas = []
        for rule in sorted(set(before) | set(after)):
            b, a = before.get(rule), after.get(rule)
            pb, pa = (b.penalty if b else 0), (a.penalty if a else 0)
            if pa != pb:
                deltas.append(RuleDelta(rule=rule, level=(a or b).level, before=pb, after=pa, delta=pa - pb))
        delta = ScoreSummary(
            hard=trial.score.hard - base.score.hard,
            unfilled=trial.score.unfilled - base.score.unfilled,
            soft=trial.score.soft - base.score.soft,
            total=trial.score.total - base.score.total,
        )
        lawful = delta.hard <= 0
        deltas.sort(key=lambda r: (r.delta, r.rule))
        ranked.append(
            (
                (not lawful, delta.total, person.id),
                Recommendation(rank=0, staff=person.id, lawful=lawful, delta=delta, rules=deltas),
            )
        )
    ranked.sort(key=lambda x: x[0])
    recs = [r.model_copy(update={"rank": i + 1}) for i, (_, r) in enumerate(ranked[: req.max])]
    return RecommendationResult(
        shift=req.shift,
        date=req.date,
        score=score_summary(base),
        recommendations=recs,
        not_eligible=ineligible if req.include_ineligible else None,
    )


# ------------------------------------------------------------------ size caps
def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0


def size_problems(data: Any, settings) -> list[dict[str, str]]:
    """Model-size caps on the raw instance, checked before validation (cheap): staff × days × shift types,
    tasks, demand entries. Each problem names the cap and the setting that raises it."""
    if not isinstance(data, dict):
        return []
    out = []
    period = data.get("period") if isinstance(data.get("period"), dict) else {}
    weeks = period.get("weeks")
    days = weeks * 7 if isinstance(weeks, int) and not isinstance(weeks, bool) and 0 < weeks <= 53 else 0
    staff, shifts = _count(data.get("staff")), _count(data.get("shift_types"))
    cells = staff * days * shifts
    if cells > settings.max_model_cells:
        out.append(
            {
                "code": "model_too_large",
                "loc": "input",
                "message": f"staff × days × shift types = {staff} × {days} × {shifts} = {cells} is over this "
                f"server's cap of {settings.max_model_cells} (setting TURNUS_MAX_MODEL_CELLS)",
            }
        )
    for key, code, what, cap, setting in (
        ("tasks", "too_many_tasks", "tasks", settings.max_tasks, "TURNUS_MAX_TASKS"),
        ("demand", "too_many_demand_rows", "demand entries", settings.max_demand_rows, "TURNUS_MAX_DEMAND_ROWS"),
    ):
        n = _count(data.get(key))
        if n > cap:
            out.append(
                {
                    "code": code,
                    "loc": f"input.{key}",
                    "message": f"{n} {what} is over this server's cap of {cap} (setting {setting})",
                }
            )
    return out


def check_shape(**parts: Any) -> None:
    """422 `invalid_request` for too deep nesting or NUL characters in any of `parts` (name -> data)."""
    errors = [e for name, data in parts.items() for e in shape_problems(data, name)]
    if errors:
        raise ProblemError(422, "invalid_request", f"the request has {len(errors)} problem(s)", errors=errors)


def check_size(data: Any, settings) -> None:
    """422 `model_too_large` when the instance is over a model-size cap."""
    errors = size_problems(data, settings)
    if errors:
        raise ProblemError(
            422,
            "model_too_large",
            "the unit is larger than this server solves: " + "; ".join(e["message"] for e in errors),
            errors=errors,
        )
