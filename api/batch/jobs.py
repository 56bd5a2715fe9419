"""What one batch job is: its input read and validated by the driver (`prepare`), and the work a Ray worker does
with it (`execute`). Nothing here knows Ray, so both halves are tested without it.

The driver reads every file before any job starts, so a bad unit is known (and reported with its coded problems)
at once, and workers on other machines need no access to the manifest's folder: a job's payload carries its
instance. The worker calls the same `solver.solve` as the CLI and the service, and the scenarios runner for
scenario files; batch adds scheduling, nothing of its own.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from models import Instance, InstanceError, Problem, Roster
from models.validation import read_json

from .manifest import JobSpec

# a solve still running this long after its limit is asked to stop (every phase honours the stop event)
STOP_GRACE_S = 10.0


@dataclass
class Prepared:
    """A job ready to run (`payload`), or one whose input is bad (`problems`)."""

    spec: JobSpec
    payload: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    weight: int = 1  # solves behind the job (a scenario file has several): its share of a deadline
    raw_input: dict[str, Any] | None = None  # the unit as read (a bad one is still stored with its error)

    @property
    def ok(self) -> bool:
        return self.payload is not None


def _located(err: InstanceError, where: str) -> list[Problem]:
    return [
        Problem(code=p.code, loc=f"{where}: {p.loc}" if p.loc else where, message=p.message, severity=p.severity)
        for p in err.problems
    ]


def _unit_input(spec: JobSpec) -> dict[str, Any]:
    from api.service.ops import merge_rules
    from api.service.schemas import JobConfig

    data = spec.data if spec.data is not None or spec.path is None else read_json(spec.path)
    if not isinstance(data, dict):
        raise InstanceError([Problem(code="invalid_type", loc="", message="an instance is a JSON object")])
    return merge_rules(data, JobConfig(rules=spec.rules)) if spec.rules else data


def _replan_input(spec: JobSpec, data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The service's re-plan input (`replan_input`): changes applied, the earlier roster as `assignments`, every
    assignment before `freeze_before` pinned."""
    from pydantic import ValidationError

    from api.service.ops import replan_input
    from api.service.problems import ProblemError
    from api.service.schemas import ReplanRequest
    from models.validation import problems_from_validation

    previous = spec.roster_data if spec.roster is None else read_json(spec.roster)
    items = previous.get("assignments") if isinstance(previous, dict) else previous
    if not isinstance(items, list) or not all(isinstance(a, dict) for a in items):
        raise InstanceError(
            [Problem(code="invalid_roster", loc=str(spec.roster), message="no list of assignments in the roster")]
        )
    try:
        req = ReplanRequest.model_validate({"changes": spec.changes, "freeze_before": spec.freeze_before})
    except ValidationError as err:
        raise InstanceError(
            [
                Problem(code=p.code, loc=f"jobs[{spec.entry}].{p.loc}", message=p.message)
                for p in problems_from_validation(err)
            ]
        ) from None
    try:
        return replan_input(data, items, req)
    except ProblemError as err:
        errors = getattr(err, "errors", None) or []
        raise InstanceError(
            [Problem(code=e["code"], loc=f"jobs[{spec.entry}].{e['loc']}", message=e["message"]) for e in errors]
            or [Problem(code=err.code, loc=f"jobs[{spec.entry}]", message=err.detail)]
        ) from None


def _scenario_input(spec: JobSpec) -> tuple[Any, Instance]:
    """The scenario file and its base unit: from the file, or inline (`base`: `demo` or the instance itself;
    an inline scenario file never names another file)."""
    from api.service.ops import prepare as validate
    from scenarios.variants import load_base, load_scenario_file, parse_scenario

    if spec.path is not None:
        return load_scenario_file(spec.path)
    if not isinstance(spec.data, dict):
        raise InstanceError([Problem(code="invalid_type", loc="", message="a scenario file is a mapping")])
    data = dict(spec.data)
    base_data = data.get("base")
    if isinstance(base_data, dict):
        sfile = parse_scenario({**data, "base": "inline"})
        try:
            return sfile, validate(base_data)[0]
        except InstanceError as err:
            raise InstanceError(_located(err, "base")) from None
    sfile = parse_scenario(data)
    if sfile.base != "demo":
        raise InstanceError(
            [Problem(code="path_not_allowed", loc="base", message="inline scenarios take `demo` or the unit itself")]
        )
    return sfile, load_base(sfile, None)


def prepare(spec: JobSpec) -> Prepared:
    """Read and validate one job's input (coded problems, never an exception)."""
    from api.service.ops import prepare as validate

    common = {
        "name": spec.name,
        "kind": spec.kind,
        "time_limit_s": spec.time_limit_s,
        "workers": spec.workers,
        "seed": spec.seed,
    }
    raw: dict[str, Any] | None = None
    try:
        if spec.kind == "scenarios":
            from scenarios.runner import plan_jobs
            from scenarios.variants import prepare_all

            sfile, base = _scenario_input(spec)
            if not spec.own_limit and sfile.time_limit_s:  # the scenario file's own budget, unless the job sets one
                spec.time_limit_s = common["time_limit_s"] = sfile.time_limit_s
            if spec.rules:
                from api.service.ops import merge_rules
                from api.service.schemas import JobConfig

                base, _ = validate(merge_rules(base.model_dump(mode="json"), JobConfig(rules=spec.rules)))
            variants = prepare_all(sfile, base)
            plan = plan_jobs(variants)
            weight = len(plan.plain) + sum(op.get("rounds", 1) for _, op in plan.raises.values())
            payload = {**common, "spec": sfile.model_dump(mode="json", by_alias=True), "base": base.model_dump_json()}
            return Prepared(spec, payload, weight=max(1, weight))
        raw = _unit_input(spec)
        data, frozen = (raw, None) if spec.kind == "unit" else _replan_input(spec, raw)
        inst, _warnings = validate(data)
        return Prepared(spec, {**common, "input": data, "frozen": frozen, "staff": len(inst.staff)}, raw_input=data)
    except InstanceError as err:
        return Prepared(spec, problems=_located(err, spec.source), raw_input=raw)


# ------------------------------------------------------------------------------------------------ worker side


def _solve(inst: Instance, limit_s: float, workers: int, seed: int) -> Roster:
    from solver import SolveOptions, solve

    stop = threading.Event()
    timer = threading.Timer(limit_s + STOP_GRACE_S, stop.set)
    timer.daemon = True
    timer.start()
    try:
        return solve(inst, SolveOptions(time_limit_s=limit_s, workers=workers, seed=seed), stop=stop)
    finally:
        timer.cancel()


def execute(payload: dict[str, Any], limit_s: float) -> dict[str, Any]:
    """Run one job (on a Ray worker): solve the unit, or every scenario of a scenario file, with `limit_s` per
    solve. Returns plain data; an exception propagates (the driver records it and retries once)."""
    t0 = time.time()
    if payload["kind"] == "scenarios":
        from scenarios.runner import run_scenarios
        from scenarios.spec import ScenarioFile
        from scenarios.variants import prepare_all

        sfile = ScenarioFile.model_validate(payload["spec"])
        base = Instance.model_validate_json(payload["base"])
        results = run_scenarios(
            prepare_all(sfile, base),
            time_limit_s=limit_s,
            workers=payload["workers"],
            seed=sfile.seed,
            good_shift=sfile.good_shift,
            parallel=False,  # the job already has its CPUs from Ray: solve the variants one after another
        )
        return {"kind": "scenarios", "results": results, "started": t0, "wall_s": time.time() - t0, "limit_s": limit_s}
    from api.service.ops import prepare as validate
    from api.service.worker import changes_between

    inst, _ = validate(payload["input"])
    roster = _solve(inst, limit_s, payload["workers"], payload["seed"])
    changed = changes_between(inst.assignments, roster.assignments) if inst.assignments is not None else None
    return {
        "kind": payload["kind"],
        "roster": roster.model_dump(mode="json", exclude_none=True),
        "changed": changed,
        "started": t0,
        "wall_s": time.time() - t0,
        "limit_s": limit_s,
    }
