"""Request and response models of the HTTP API (shared with the CLI: same field names as `models`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from models import Conflict, Level, Roster, Unfilled


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunConfig(_In):
    name: str | None = Field(
        default=None,
        max_length=200,
        pattern=r"^[^\x00-\x1f]*$",
        description="a label for the job (not logged; no control characters)",
    )
    time_limit_s: float | None = Field(
        default=None, gt=0, le=86_400, description="solver time limit in seconds (default: the server's, 30 s)"
    )
    workers: int = Field(default=1, ge=1, le=64, description="CP-SAT worker threads")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    gap: float = Field(default=0.0, ge=0, le=1, description="stop at this relative gap (0: run to the limit)")


class JobConfig(_In):
    run: RunConfig = Field(default_factory=RunConfig)
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description='rule overrides, deep-merged into `input.rules` (e.g. `{"weekend_frequency": {"every_n": 2}}`)',
    )


# The instance is validated by `models` after the request is parsed (coded errors with `input.` locations, size
# caps first), so the body model keeps it a plain object; the OpenAPI document names its real schema, so clients
# and fuzzers (schemathesis) send instances that get as far as the solver.
INSTANCE_MARK = "x-turnus-schema"  # app.openapi() turns {INSTANCE_MARK: "Instance"} into a $ref to that schema
InstanceBody = Annotated[dict[str, Any], WithJsonSchema({"type": "object", INSTANCE_MARK: "Instance"})]

EXAMPLE_INSTANCE: dict[str, Any] = {
    "id": "example",
    "period": {"start": "2027-01-04", "weeks": 1},
    "staff": [
        {"id": "s1", "group": "sykepleier", "position_pct": 100},
        {"id": "s2", "group": "sykepleier", "position_pct": 100},
        {"id": "s3", "group": "helsefagarbeider", "position_pct": 100},
        {"id": "s4", "group": "helsefagarbeider", "position_pct": 75},
        {"id": "s5", "group": "assistent", "position_pct": 75},
    ],
    "shift_types": [
        {"code": "D", "start": "07:30", "end": "15:00"},
        {"code": "A", "start": "14:30", "end": "22:00"},
    ],
    "demand": [{"shift": "D", "slots": [{"min": 1}]}, {"shift": "A", "slots": [{"min": 1}]}],
}


class RosterRequest(_In):
    """A unit instance (see the `Instance` schema, `turnus schema instance`) with run settings."""

    config: JobConfig = Field(default_factory=JobConfig)
    input: InstanceBody = Field(description="the unit instance (schema: components.schemas.Instance)")


class ProblemItem(BaseModel):
    code: str
    loc: str = ""
    message: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[ProblemItem] | None = None


class ScoreSummary(BaseModel):
    hard: int = 0
    unfilled: int = 0
    soft: int = 0
    total: int = 0


class ProgressInfo(BaseModel):
    elapsed_s: float | None = None
    objective: int | None = None
    bound: int | None = None
    solutions: int | None = None
    phase: str | None = None


class Changes(BaseModel):
    """Cells (staff, date) that differ from the input's previous `assignments`."""

    changed: int
    added: int
    removed: int
    moved: int


class JobError(BaseModel):
    code: str
    detail: str = ""
    errors: list[ProblemItem] | None = None


Status = Literal["QUEUED", "SOLVING", "COMPLETED", "STOPPED", "FAILED"]
Operation = Literal["solve", "score", "replan"]


class JobCreated(BaseModel):
    id: str
    status: Status
    operation: Operation
    parent_id: str | None = None
    warnings: list[ProblemItem] = Field(default_factory=list)


class JobSummary(BaseModel):
    id: str
    name: str | None = None
    operation: Operation
    status: Status
    parent_id: str | None = None
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    updated_at: dt.datetime
    restarts: int = 0
    score: ScoreSummary | None = None


class JobStatusOut(BaseModel):
    id: str
    status: Status
    score: ScoreSummary | None = None
    progress: ProgressInfo | None = None
    updated_at: dt.datetime
    error: JobError | None = None


class JobOut(JobSummary):
    progress: ProgressInfo | None = None
    changes: Changes | None = None
    warnings: list[ProblemItem] = Field(default_factory=list)
    error: JobError | None = None
    roster: Roster | None = Field(default=None, description="the result; while solving, the best roster so far")


class JobList(BaseModel):
    items: list[JobSummary]
    total: int
    limit: int
    offset: int
    next_offset: int | None = None


class Justification(BaseModel):
    staff: str | None = None
    dates: list[dt.date] = Field(default_factory=list)
    amount: float = 1
    penalty: int = 0
    detail: str = ""


class RuleAnalysis(BaseModel):
    rule: str
    level: Level
    violations: int
    penalty: int
    justifications: list[Justification]


class Analysis(BaseModel):
    id: str
    status: Status
    score: ScoreSummary
    lawful: bool
    rules: list[RuleAnalysis]
    unfilled: list[Unfilled]
    unfilled_total: int
    conflicts: list[Conflict]
    kpis: dict[str, float]


class ValidationResult(BaseModel):
    valid: bool
    errors: list[ProblemItem]
    warnings: list[ProblemItem]


# ------------------------------------------------------------------ re-planning
class AbsenceChange(_In):
    """New absence (e.g. sick leave) for one person on whole days `start_date..end_date`."""

    type: Literal["absence"] = "absence"
    staff: str
    start_date: dt.date
    end_date: dt.date | None = None
    kind: str = Field(default="sick", max_length=32)


class DemandChange(_In):
    """Changed demand: `add` appends demand entries (they count on top), `replace` swaps the whole demand."""

    type: Literal["demand"] = "demand"
    mode: Literal["add", "replace"] = "add"
    demand: list[dict[str, Any]] = Field(min_length=1)


class PinChange(_In):
    """Assignments that must be kept (e.g. agreed with the staff member) in the new roster."""

    type: Literal["pin"] = "pin"
    assignments: list[dict[str, Any]] = Field(min_length=1)


Change = Annotated[AbsenceChange | DemandChange | PinChange, Field(discriminator="type")]


class ReplanRequest(_In):
    changes: list[Change] = Field(default_factory=list)
    freeze_before: dt.date | None = Field(default=None, description="assignments before this date become pinned")
    config: JobConfig | None = Field(default=None, description="run settings (default: the parent job's)")


class ReplanCreated(JobCreated):
    frozen: int = Field(description="assignments pinned because they lie before `freeze_before`")


# ------------------------------------------------------------------ recommendations
class RosterIn(_In):
    assignments: list[dict[str, Any]] = Field(default_factory=list)


class RecommendationRequest(_In):
    input: InstanceBody = Field(description="the unit instance (schema: components.schemas.Instance)")
    roster: RosterIn | None = Field(default=None, description="the current roster (default: `input.assignments`)")
    shift: str = Field(min_length=1, max_length=16)
    date: dt.date
    max: int = Field(default=5, ge=1, le=500, description="at most this many recommendations")
    include_ineligible: bool = Field(default=False, description="also list who cannot take it, and why")
    config: JobConfig | None = None


class RuleDelta(BaseModel):
    rule: str
    level: Level
    before: int
    after: int
    delta: int


class Recommendation(BaseModel):
    rank: int
    staff: str
    lawful: bool = Field(description="no new REQUIRED-rule violations")
    delta: ScoreSummary = Field(description="score change when this person takes the shift (negative = better)")
    rules: list[RuleDelta]


class Ineligible(BaseModel):
    staff: str
    reason: Literal["absent", "not_allowed", "already_working"]
    detail: str = ""


class RecommendationResult(BaseModel):
    shift: str
    date: dt.date
    score: ScoreSummary = Field(description="score of the roster before the change")
    recommendations: list[Recommendation]
    not_eligible: list[Ineligible] | None = None
