"""The batch manifest (YAML or JSON): defaults for every job, an optional deadline, and the jobs.

```yaml
time_limit_s: 60            # default per job
jobs:
  - units: units/           # every *.json in the folder is one job, named after the file
  - unit: ward-a1.json
    time_limit_s: 300
  - scenarios: a1-scenarios.yaml
  - replan: ward-a1.json    # re-plan (omlegging) of an earlier roster after changes
    roster: out/ward-a1.roster.json
    changes: [{type: absence, staff: A1-004, start_date: 2027-01-11, end_date: 2027-01-13}]
    freeze_before: 2027-01-11
```

Those keys are a contract other tools write, so they stay. Paths are relative to the manifest's folder.
`load_manifest` finds every problem of the file at once (structure, missing files, duplicate job names, a
deadline in the past) and raises one `InstanceError`; it does not read the units themselves (see `jobs.py`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from models import InstanceError, Problem
from models.validation import parse_json_text, problems_from_validation, read_text

# a job name becomes a file name (<name>.roster.json) and a store label: no paths, no control characters
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")
KINDS = ("units", "unit", "scenarios", "replan")
MAX_MANIFEST_BYTES = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Overrides(_Strict):
    """What any job entry may set for itself; unset values come from the manifest's defaults."""

    name: str | None = Field(default=None, description="job name (default: the file name without extension)")
    time_limit_s: float | None = Field(default=None, gt=0, le=86_400, allow_inf_nan=False)
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)
    workers: int | None = Field(default=None, ge=1, le=64, description="CP-SAT workers = CPUs of the Ray task")
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict, description="rule overrides, deep-merged")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not NAME.match(value):
            raise ValueError("a job name is 1-100 letters, digits, '.', '_', '+' or '-' (it becomes a file name)")
        return value


class UnitsEntry(Overrides):
    units: str = Field(description="a folder: every *.json in it is one unit job, named after the file")


class UnitEntry(Overrides):
    unit: str | dict[str, Any] = Field(description="one unit instance file (JSON), or the instance itself (inline)")


class ScenariosEntry(Overrides):
    scenarios: str | dict[str, Any] = Field(
        description="a scenario file (Den gode vakta variants of one unit), or its content inline (`base` then "
        "`demo` or the unit instance itself)"
    )


class ReplanEntry(Overrides):
    replan: str | dict[str, Any] = Field(description="the unit instance (file or inline) of the earlier roster")
    roster: str | dict[str, Any] | list[dict[str, Any]] = Field(
        description="the earlier roster: a roster JSON file (e.g. an earlier batch's <name>.roster.json) or inline"
    )
    changes: list[dict[str, Any]] = Field(default_factory=list, description="as in POST /v1/rosters/{id}/replan")
    freeze_before: dt.date | None = None


ENTRY_MODELS: dict[str, type[Overrides]] = {
    "units": UnitsEntry,
    "unit": UnitEntry,
    "scenarios": ScenariosEntry,
    "replan": ReplanEntry,
}


class Manifest(_Strict):
    name: str | None = Field(default=None, max_length=200, pattern=r"^[^\x00-\x1f]*$")
    time_limit_s: float = Field(default=60.0, gt=0, le=86_400, allow_inf_nan=False)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    workers_per_job: int = Field(default=1, ge=1, le=64)
    deadline: str | None = Field(default=None, description='"HH:MM" (the next such time) or an ISO date-time')
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict, description="rule overrides for every job")
    jobs: list[dict[str, Any]] = Field(min_length=1)


@dataclass
class JobSpec:
    """One job after expansion: what to read and how to solve it (plain data: it crosses to Ray workers)."""

    name: str
    kind: str  # "unit" | "scenarios" | "replan"
    path: Path | None  # the input file; None when the manifest holds the input itself (`data`)
    time_limit_s: float
    seed: int
    workers: int
    rules: dict[str, Any] = field(default_factory=dict)
    roster: Path | None = None
    data: Any = None  # inline input (an instance, a scenario file's content)
    roster_data: Any = None  # inline earlier roster (re-plan)
    changes: list[dict[str, Any]] = field(default_factory=list)
    freeze_before: dt.date | None = None
    entry: int = 0  # index in the manifest's jobs list (for error locations)
    own_limit: bool = False  # the job entry set time_limit_s (else a scenario file's own time_limit_s counts)

    @property
    def source(self) -> str:
        """Where the input came from, for error locations and the summary (a file name, or the job entry)."""
        return self.path.name if self.path is not None else f"jobs[{self.entry}]"


@dataclass
class Batch:
    manifest: Manifest
    label: str  # the manifest's name, else its file name: store rows are named <label>/<job>
    digest: str  # sha256 of the manifest text: a resumed run says when the manifest changed
    jobs: list[JobSpec]
    deadline: dt.datetime | None  # aware (local zone when the manifest gave a clock time)


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors/aliases: a manifest never needs them and an alias bomb cannot expand."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases are not allowed in a manifest", event.start_mark)
        return super().compose_node(parent, index)


def _problem(code: str, loc: str, message: str) -> Problem:
    return Problem(code=code, loc=loc, message=message)


def read_manifest_data(path: Path) -> tuple[Any, str]:
    """The manifest's data and the sha256 of its text (coded `InstanceError` when unreadable or malformed)."""
    if path.is_dir():
        raise InstanceError([_problem("file_unreadable", str(path), "is a folder; name the manifest file")])
    text = read_text(path)
    if len(text) > MAX_MANIFEST_BYTES:
        raise InstanceError([_problem("too_large", str(path), f"a manifest is at most {MAX_MANIFEST_BYTES} bytes")])
    digest = hashlib.sha256(text.encode()).hexdigest()
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            return yaml.load(text, Loader=_NoAliases), digest  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as err:
            message = " ".join(str(err).split())
            raise InstanceError([_problem("malformed_yaml", str(path), message)]) from None
    return parse_json_text(text, str(path)), digest


def parse_deadline(value: str, now: dt.datetime) -> dt.datetime:
    """A clock time such as 06:00 after `now` (tonight's run: tomorrow morning); an ISO date-time
    is taken as given (local time when it has no zone). `now` is aware."""
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if m:
        at = now.replace(hour=int(m.group(1)), minute=int(m.group(2)), second=0, microsecond=0)
        return at if at > now else at + dt.timedelta(days=1)
    try:
        at = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError('use "HH:MM" or an ISO date-time such as 2027-01-11T06:00') from None
    return at if at.tzinfo else at.astimezone()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())


def _where(base: Path | None, confine: bool, rel: str, loc: str, problems: list[Problem]) -> Path | None:
    """A path of the manifest, relative to `base`; None (and a problem) when paths are not allowed (`base` None:
    a manifest sent to the service) or, with `confine`, when the path leaves `base`."""
    if base is None:
        problems.append(_problem("path_not_allowed", loc, "this manifest cannot name files: give the input inline"))
        return None
    target = base / rel
    if confine and not target.resolve().is_relative_to(base.resolve()):
        problems.append(_problem("path_not_allowed", loc, f"{rel} is outside the batch folder"))
        return None
    return target


def expand(manifest: Manifest, base: Path | None, confine: bool = False) -> tuple[list[JobSpec], list[Problem]]:
    """The manifest's entries as jobs (a `units` folder gives one job per file), and every problem found. Paths
    are relative to `base`; with `confine` they must stay inside it (a server's batch folder)."""
    jobs: list[JobSpec] = []
    problems: list[Problem] = []
    for i, raw in enumerate(manifest.jobs):
        loc = f"jobs[{i}]"
        if not isinstance(raw, dict):
            problems.append(_problem("invalid_type", loc, "a job is a mapping such as {unit: ward.json}"))
            continue
        kinds = [k for k in KINDS if k in raw]
        if len(kinds) != 1:
            got = ", ".join(kinds) if kinds else "none of them"
            problems.append(_problem("job_kind", loc, f"a job names exactly one of {', '.join(KINDS)} (got {got})"))
            continue
        kind = kinds[0]
        try:
            entry = ENTRY_MODELS[kind].model_validate(raw)
        except ValidationError as err:
            for p in problems_from_validation(err):
                problems.append(_problem(p.code, f"{loc}.{p.loc}" if p.loc else loc, p.message))
            continue
        value = getattr(entry, kind)

        def spec(name: str, path: Path | None, kind: str = kind, entry: Overrides = entry, i: int = i) -> JobSpec:
            return JobSpec(
                name=name,
                kind="unit" if kind == "units" else kind,
                path=path,
                time_limit_s=entry.time_limit_s or manifest.time_limit_s,
                seed=manifest.seed if entry.seed is None else entry.seed,
                workers=entry.workers or manifest.workers_per_job,
                rules=_merge(manifest.rules, entry.rules),
                entry=i,
                own_limit=entry.time_limit_s is not None,
            )

        if isinstance(value, dict):  # the input itself
            if entry.name is None:
                problems.append(_problem("missing_field", f"{loc}.name", "an inline job needs a name"))
                continue
            job = spec(entry.name, None)
            job.data = value
        else:
            target = _where(base, confine, value, f"{loc}.{kind}", problems)
            if target is None:
                continue
            if kind == "units":
                if not target.is_dir():
                    problems.append(_problem("folder_not_found", f"{loc}.units", f"no folder {value}"))
                    continue
                files = _files(target)
                if not files:
                    problems.append(_problem("no_units", f"{loc}.units", f"no *.json file in {value}"))
                if entry.name is not None:
                    problems.append(_problem("unknown_field", f"{loc}.name", "a units folder names its jobs by file"))
                for f in files:
                    jobs.append(spec(f.stem, f))
                continue
            if not target.is_file():
                problems.append(_problem("file_not_found", f"{loc}.{kind}", f"no file {value}"))
                continue
            job = spec(entry.name or (target.stem + ("-replan" if kind == "replan" else "")), target)
        if isinstance(entry, ReplanEntry):
            if isinstance(entry.roster, str):
                roster = _where(base, confine, entry.roster, f"{loc}.roster", problems)
                if roster is None:
                    continue
                if not roster.is_file():
                    problems.append(_problem("file_not_found", f"{loc}.roster", f"no file {entry.roster}"))
                    continue
                job.roster = roster
            else:
                job.roster_data = entry.roster
            job.changes, job.freeze_before = entry.changes, entry.freeze_before
        jobs.append(job)
    seen: dict[str, int] = {}
    for job in jobs:
        if not NAME.match(job.name):
            problems.append(
                _problem("bad_job_name", f"jobs[{job.entry}]", f"{job.name!r} cannot be a job name; set `name`")
            )
        elif job.name in seen:
            problems.append(
                _problem(
                    "duplicate_job",
                    f"jobs[{job.entry}]",
                    f"job name {job.name!r} is also used by jobs[{seen[job.name]}]; set `name`",
                )
            )
        seen.setdefault(job.name, job.entry)
    return jobs, problems


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, val in over.items():
        out[key] = _merge(out[key], val) if isinstance(val, dict) and isinstance(out.get(key), dict) else val
    return out


def parse_manifest(
    data: Any,
    digest: str,
    label: str,
    base: Path | None,
    *,
    confine: bool = False,
    now: dt.datetime | None = None,
) -> Batch:
    """Validate and expand manifest data; `InstanceError` with every problem. `base`: the folder paths are
    relative to (None: the manifest may not name files)."""
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as err:
        raise InstanceError(problems_from_validation(err)) from None
    now = now or dt.datetime.now().astimezone()
    deadline, problems = None, []
    if manifest.deadline is not None:
        try:
            deadline = parse_deadline(manifest.deadline, now)
        except ValueError as err:
            problems.append(_problem("invalid_value", "deadline", str(err)))
        else:
            if deadline <= now:
                problems.append(_problem("deadline_passed", "deadline", f"{deadline.isoformat()} is already past"))
    jobs, more = expand(manifest, base, confine)
    problems += more
    if problems:
        raise InstanceError(problems)
    return Batch(manifest=manifest, label=manifest.name or label, digest=digest, jobs=jobs, deadline=deadline)


def load_manifest(path: Path, now: dt.datetime | None = None) -> Batch:
    """Read, validate and expand a manifest file; `InstanceError` with every problem of the file."""
    data, digest = read_manifest_data(path)
    return parse_manifest(data, digest, path.stem, path.resolve().parent, now=now)
