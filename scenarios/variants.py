"""Load a scenario file and turn each variant into a validated instance.

Operations work on the base instance dumped to plain data (every field present, defaults included), so a path
that names no field is caught before anything is solved. Each operation records the fields it sets; two
operations of one variant that set the same field to different values are a conflict. Every problem is an
`InstanceError` `Problem` whose location names the variant and the operation.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models import Instance, InstanceError, Problem, validate_instance
from models.staff import PersonnelGroup
from models.validation import parse_json_text, problems_from_validation, read_json, read_text

from .spec import (
    ChangeGroupOp,
    LongWeekendShiftsOp,
    RaisePositionsOp,
    ScaleDemandOp,
    ScenarioFile,
    SetDemandOp,
    SetOp,
    SetRuleOp,
    Variant,
    WeekendEveryOp,
)

DEMO_PATH = Path(__file__).resolve().parent.parent / "models" / "data" / "demo.json"
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DEFAULT_LD = {"code": "LD", "name": "Langvakt dag", "start": "08:00", "end": "20:30"}
FREE_DICTS = {"extensions", "group_hierarchy"}  # fields whose keys are data, not schema


@dataclass
class Prepared:
    """One scenario ready to solve: the changed instance and, for heltid variants, how to raise positions."""

    name: str
    instance: Instance
    description: str = ""
    raise_op: RaisePositionsOp | None = None
    changes: list[str] = field(default_factory=list)  # human-readable list of what the variant changes
    kind: str = "variant"  # base | variant | curve
    curve_n: int | None = None


class _Fail(Exception):
    def __init__(self, code: str, message: str, where: str = ""):
        self.code, self.message, self.where = code, message, where


def ordinal(n: int | None) -> str:
    """1st, 2nd, 3rd, 4th, ... (as far as weekend intervals go)."""
    n = n or 0
    return f"{n}{'st' if n == 1 else 'nd' if n == 2 else 'rd' if n == 3 else 'th'}"


# ---------------------------------------------------------------------------------------------- file loading


MAX_YAML_NODES = 100_000  # nodes after alias expansion; a scenario file has a few hundred


def _expanded_nodes(root: yaml.Node, limit: int) -> int:
    """How many nodes the document has once every alias is expanded (counted at each use), without expanding
    anything: one iterative pass over the distinct nodes, stopping past `limit`. An alias bomb ("billion
    laughs": a few lines whose aliases nest into 10^9 nodes) is refused here, before construction; PyYAML
    would build it as shared objects that only explode when the scenario is copied, validated or dumped.
    Raises ValueError for a recursive alias."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(size[id(c)] for c in _children(node))
            if total > limit:
                return total
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            raise ValueError("a recursive alias (an anchor used inside itself)")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def load_yaml(text: str, where: str) -> Any:
    """`yaml.safe_load` with bounded work: alias expansion capped at MAX_YAML_NODES nodes (`yaml_too_large`),
    recursive aliases and nesting too deep for the parser are coded errors too."""

    def fail(code: str, message: str) -> InstanceError:
        return InstanceError([Problem(code=code, loc=where, message=message)])

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        n = _expanded_nodes(node, MAX_YAML_NODES)
        if n > MAX_YAML_NODES:
            raise fail(
                "yaml_too_large",
                f"the YAML expands to more than {MAX_YAML_NODES} nodes through its aliases (&anchor/*alias); "
                "write the values out or use fewer nested aliases",
            )
        return loader.construct_document(node)
    except InstanceError:
        raise
    except yaml.YAMLError as err:
        raise fail("malformed_yaml", str(err).replace("\n", " ")) from None
    except ValueError as err:  # a recursive alias
        raise fail("malformed_yaml", str(err)) from None
    except RecursionError:
        raise fail("too_deep", "the YAML is nested too deeply") from None
    finally:
        loader.dispose()


def read_scenario_data(path: Path) -> Any:
    text = read_text(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return load_yaml(text, str(path))
    return parse_json_text(text, str(path))


def parse_scenario(data: Any) -> ScenarioFile:
    try:
        spec = ScenarioFile.model_validate(data)
    except ValidationError as err:
        problems = problems_from_validation(err)
        if isinstance(data, dict):  # name the variant, not only its index
            variants = data.get("variants") or []
            for p in problems:
                m = re.match(r"^variants\[(\d+)\]", p.loc)
                if m and int(m.group(1)) < len(variants) and isinstance(variants[int(m.group(1))], dict):
                    name = variants[int(m.group(1))].get("name")
                    if name:
                        p.message = f"variant {name!r}: {p.message}"
        raise InstanceError(problems) from None
    problems: list[Problem] = []
    names = [spec.base_name]
    for i, v in enumerate(spec.variants):
        if v.name in names:
            problems.append(
                Problem(
                    code="duplicate_variant",
                    loc=f"variants[{i}].name",
                    message=f"variant name {v.name!r} is used twice",
                )
            )
        names.append(v.name)
    known = set(names)
    for i, v in enumerate(spec.variants):
        if v.extends is not None and v.extends not in known:
            problems.append(
                Problem(
                    code="unknown_variant",
                    loc=f"variants[{i}].extends",
                    message=f"variant {v.name!r} extends unknown variant {v.extends!r}",
                )
            )
    for i, n in enumerate(spec.staircase or []):
        if n not in known:
            problems.append(
                Problem(code="unknown_variant", loc=f"staircase[{i}]", message=f"staircase names unknown variant {n!r}")
            )
    for i, n in enumerate(spec.weekend_curve_n):
        if not 1 <= n <= 8:
            problems.append(
                Problem(code="out_of_range", loc=f"weekend_curve_n[{i}]", message="weekend every_n must be within 1..8")
            )
    if problems:
        raise InstanceError(problems)
    return spec


def load_base(spec: ScenarioFile, scenario_path: Path | None) -> Instance:
    if spec.base == "demo":
        path = DEMO_PATH
    else:
        path = Path(spec.base)
        if not path.is_absolute() and scenario_path is not None:
            path = scenario_path.parent / path
    try:
        return validate_instance(read_json(path))[0]
    except InstanceError as err:
        raise InstanceError(
            [
                Problem(
                    code=p.code,
                    loc=f"base {spec.base}: {p.loc}" if p.loc else f"base {spec.base}",
                    message=p.message,
                    severity=p.severity,
                )
                for p in err.problems
            ]
        ) from None


def load_scenario_file(path: Path) -> tuple[ScenarioFile, Instance]:
    spec = parse_scenario(read_scenario_data(path))
    return spec, load_base(spec, path)


# ---------------------------------------------------------------------------------------------- dotted paths

_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def split_path(path: str, relative: bool = False) -> list[str | tuple[str]]:
    """`staff[A1-004].position_pct` -> ['staff', ('A1-004',), 'position_pct'] (selectors are 1-tuples)."""
    out: list[str | tuple[str]] = []
    pos = 0
    while pos < len(path):
        if path[pos] == ".":
            pos += 1
            continue
        m = _TOKEN.match(path, pos)
        if not m:
            raise _Fail("invalid_path", f"cannot read path {path!r}")
        out.append(m.group(1) if m.group(1) is not None else (m.group(2),))
        pos = m.end()
    if not out or (isinstance(out[0], tuple) and not relative):
        raise _Fail("invalid_path", f"cannot read path {path!r}")
    return out


def _select(items: list, sel: str, where: str) -> tuple[int, str]:
    if re.fullmatch(r"-?\d+", sel):
        i = int(sel)
        if not -len(items) <= i < len(items):
            raise _Fail("unknown_item", f"{where} has no item {i} (it has {len(items)})")
        item = items[i]
        key = item.get("id") or item.get("code") if isinstance(item, dict) else None
        return i % len(items), str(key) if key is not None else str(i % len(items))
    for i, item in enumerate(items):
        if isinstance(item, dict) and sel in (item.get("id"), item.get("code")):
            return i, sel
    raise _Fail("unknown_item", f"{where} has no item with id or code {sel!r}")


def set_path(data: dict, path: str, value: Any) -> str:
    """Set `value` at `path` inside `data`; returns the canonical path (selectors by id). Unknown fields fail."""
    tokens = split_path(path)
    cur: Any = data
    canon = ""
    free = False
    for n, tok in enumerate(tokens):
        last = n == len(tokens) - 1
        if isinstance(tok, tuple):
            if not isinstance(cur, list):
                raise _Fail("invalid_path", f"{canon or 'the instance'} is not a list")
            i, key = _select(cur, tok[0], canon)
            canon += f"[{key}]"
            if last:
                cur[i] = value
            else:
                cur = cur[i]
            continue
        if not isinstance(cur, dict):
            raise _Fail("unknown_field", f"{canon or 'the instance'} has no field {tok!r}")
        if tok not in cur and not free:
            raise _Fail("unknown_field", f"{canon or 'the instance'} has no field {tok!r}")
        canon += f".{tok}" if canon else tok
        if n == 0 and tok in FREE_DICTS:
            free = True
        if last:
            cur[tok] = value
        else:
            if tok not in cur:
                cur[tok] = {}
            cur = cur[tok]
    return canon


def _get_sub(value: Any, rest: str) -> tuple[bool, Any]:
    cur = value
    for tok in split_path(rest, relative=True) if rest.strip(".") else []:
        if isinstance(tok, tuple):
            if not isinstance(cur, list):
                return False, None
            try:
                i, _ = _select(cur, tok[0], "")
            except _Fail:
                return False, None
            cur = cur[i]
        elif isinstance(cur, dict) and tok in cur:
            cur = cur[tok]
        else:
            return False, None
    return True, cur


# ---------------------------------------------------------------------------------------------- operations


class _Writes:
    """Fields set by one variant's own operations, to find two operations setting one field differently."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any, int, str]] = []  # (path, value, op index, op name)

    def add(self, path: str, value: Any, j: int, op: str) -> None:
        for p, v, k, other in self.items:
            if k == j:
                continue
            if p == path:
                ok, a, b = True, v, value
            elif path.startswith(p + ".") or path.startswith(p + "["):
                ok, a = _get_sub(v, path[len(p) :])
                b = value
            elif p.startswith(path + ".") or p.startswith(path + "["):
                ok, b = _get_sub(value, p[len(path) :])
                a = v
            else:
                continue
            if not ok or a != b:
                raise _Fail(
                    "conflicting_ops",
                    f"ops[{k}] ({other}) and ops[{j}] ({op}) set {path} differently ({_short(a)} vs {_short(b)})",
                    f"ops[{j}]",
                )
        self.items.append((path, value, j, op))


def _short(v: Any) -> str:
    s = json.dumps(v, default=str)
    return s if len(s) <= 40 else s[:37] + "..."


def _demand_days(d: dict) -> set[str] | None:
    """Weekdays a demand entry applies to (None for date-based entries)."""
    if d.get("dates") is not None:
        return None
    return set(d.get("weekdays") or WEEKDAYS)


def _split_by_weekdays(d: dict, target: set[str]) -> tuple[dict | None, dict | None]:
    """Split one demand entry into (the part on `target` weekdays, the rest); either may be None."""
    import datetime as dt

    if d.get("dates") is not None:
        dates = [x if isinstance(x, str) else x.isoformat() for x in d["dates"]]
        inside = [x for x in dates if WEEKDAYS[dt.date.fromisoformat(x).weekday()] in target]
        outside = [x for x in dates if x not in inside]
        a = {**copy.deepcopy(d), "dates": inside} if inside else None
        b = {**copy.deepcopy(d), "dates": outside} if outside else None
        return a, b
    days = _demand_days(d) or set()
    inside = [w for w in WEEKDAYS if w in days and w in target]
    outside = [w for w in WEEKDAYS if w in days and w not in target]
    a = {**copy.deepcopy(d), "weekdays": inside} if inside else None
    b = {**copy.deepcopy(d), "weekdays": outside} if outside else None
    return a, b


def _slot_key(slot: dict) -> str:
    if slot.get("id"):
        return slot["id"]
    return f"{slot.get('group')}|{slot.get('or_better')}|{','.join(slot.get('competences') or [])}"


def _shift_codes(data: dict) -> set[str]:
    return {t["code"] for t in data["shift_types"]}


def op_long_weekend(data: dict, op: LongWeekendShiftsOp, w: _Writes, j: int) -> list[str]:
    codes = _shift_codes(data)
    if op.shift not in codes:
        if op.shift != "LD":
            raise _Fail("unknown_shift", f"shift {op.shift!r} is not a shift type of the unit", f"ops[{j}].shift")
        data["shift_types"].append(dict(DEFAULT_LD))
    for r in op.replaces:
        if r not in codes:
            raise _Fail("unknown_shift", f"shift {r!r} is not a shift type of the unit", f"ops[{j}].replaces")
    target = {wd.value for wd in op.weekdays}
    kept, moved = [], []
    for d in data["demand"]:
        if d["shift"] not in op.replaces:
            kept.append(d)
            continue
        inside, outside = _split_by_weekdays(d, target)
        if outside:
            kept.append(outside)
        if inside:
            moved.append(inside)
    if not moved:
        raise _Fail(
            "nothing_to_change", f"no demand for {'/'.join(op.replaces)} on {'/'.join(sorted(target))}", f"ops[{j}]"
        )
    # merge per (unit, day): the long shift needs the largest min/ideal each slot had on the replaced shifts
    merged: dict[tuple[str | None, str], dict[str, dict]] = {}

    for d in moved:
        days = (
            [("date", x if isinstance(x, str) else x.isoformat()) for x in d["dates"]]
            if d.get("dates") is not None
            else [("weekday", x) for x in d["weekdays"]]
        )
        for day in days:
            slots = merged.setdefault((d.get("unit"), day), {})
            for s in d["slots"]:
                key = _slot_key(s)
                ideal = s.get("ideal") if s.get("ideal") is not None else s.get("min", 1)
                if key in slots:
                    slots[key]["min"] = max(slots[key]["min"], s.get("min", 1))
                    slots[key]["ideal"] = max(slots[key]["ideal"], ideal)
                else:
                    slots[key] = {**copy.deepcopy(s), "ideal": ideal}
    groups: dict[tuple[str | None, str, str], list[str]] = {}
    for (unit, (kind, day)), slots in merged.items():
        groups.setdefault((unit, kind, json.dumps(list(slots.values()), sort_keys=True)), []).append(day)
    for (unit, kind, slots), days in groups.items():
        entry: dict[str, Any] = {"shift": op.shift, "unit": unit, "slots": json.loads(slots)}
        if kind == "weekday":
            entry["weekdays"] = [x for x in WEEKDAYS if x in days]
            entry["dates"] = None
        else:
            entry["dates"] = sorted(days)
            entry["weekdays"] = None
        kept.append(entry)
    data["demand"] = kept
    # who may work the long shift
    people = []
    for s in data["staff"]:
        if s.get("night_only") or s.get("accepts_long_shifts"):
            continue
        if op.accept == "all" or (op.accept == "wants_more" and (s.get("desired_pct") or 0) > s["position_pct"]):
            people.append(s["id"])
    ids = {s["id"] for s in data["staff"]}
    for sid in op.also_accept:
        if sid not in ids:
            raise _Fail("unknown_staff", f"unknown staff {sid!r}", f"ops[{j}].also_accept")
        people.append(sid)
    for sid in dict.fromkeys(people):
        w.add(set_path(data, f"staff[{sid}].accepts_long_shifts", True), True, j, op.op)
    accepting = sum(1 for s in data["staff"] if s.get("accepts_long_shifts"))
    return [
        f"weekend {'/'.join(op.replaces)} demand moved to {op.shift} on {'/'.join(x.value for x in op.weekdays)}",
        f"{len(dict.fromkeys(people))} more staff accept long shifts ({accepting} in all)",
    ]


def _scaled(n: int, factor: float, rounding: str) -> int:
    import math

    x = n * factor
    if rounding == "up":
        return int(math.ceil(x - 1e-9))
    if rounding == "down":
        return int(math.floor(x + 1e-9))
    return int(math.floor(x + 0.5))


def op_scale_demand(data: dict, op: ScaleDemandOp, j: int) -> list[str]:
    codes = _shift_codes(data)
    for code in op.shifts or []:
        if code not in codes:
            raise _Fail("unknown_shift", f"shift {code!r} is not a shift type of the unit", f"ops[{j}].shifts")
    if op.slots:
        known = {s.get("id") for d in data["demand"] for s in d["slots"]}
        for sid in op.slots:
            if sid not in known:
                raise _Fail("unknown_slot", f"no demand slot has id {sid!r}", f"ops[{j}].slots")
    target = {wd.value for wd in op.weekdays} if op.weekdays else set(WEEKDAYS)
    out, changed = [], 0
    for d in data["demand"]:
        if op.shifts is not None and d["shift"] not in op.shifts:
            out.append(d)
            continue
        inside, outside = _split_by_weekdays(d, target)
        if outside:
            out.append(outside)
        if inside:
            for s in inside["slots"]:
                if op.slots is not None and s.get("id") not in op.slots:
                    continue
                ideal = s.get("ideal") if s.get("ideal") is not None else s.get("min", 1)
                s["min"] = _scaled(s.get("min", 1), op.factor, op.rounding)
                s["ideal"] = max(s["min"], _scaled(ideal, op.factor, op.rounding))
                changed += 1
            out.append(inside)
    data["demand"] = out
    what = "/".join(op.shifts) if op.shifts else "all shifts"
    when = "/".join(x.value for x in op.weekdays) if op.weekdays else "every day"
    return [f"demand ×{op.factor:g} for {what} on {when}" + (f" (slots {', '.join(op.slots)})" if op.slots else "")]


def op_change_group(data: dict, op: ChangeGroupOp, w: _Writes, j: int) -> list[str]:
    groups = {g.value for g in PersonnelGroup}
    if op.to not in groups:
        raise _Fail("unknown_group", f"unknown personnel group {op.to!r}", f"ops[{j}].to")
    if op.staff is not None:
        ids = {s["id"]: s for s in data["staff"]}
        for sid in op.staff:
            if sid not in ids:
                raise _Fail("unknown_staff", f"unknown staff {sid!r}", f"ops[{j}].staff")
        chosen = [ids[sid] for sid in op.staff]
    else:
        if op.from_ not in groups:
            raise _Fail("unknown_group", f"unknown personnel group {op.from_!r}", f"ops[{j}].from")
        pool = sorted((s for s in data["staff"] if s["group"] == op.from_), key=lambda s: (-s["position_pct"], s["id"]))
        n = op.count or 1
        if len(pool) < n:
            raise _Fail("not_enough_staff", f"the unit has {len(pool)} {op.from_}, not {n}", f"ops[{j}].count")
        chosen = pool[:n]
    for s in chosen:
        w.add(set_path(data, f"staff[{s['id']}].group", op.to), op.to, j, op.op)
        have = {c["code"] for c in s.get("competences", [])}
        for code in op.add_competences:
            if code not in have:
                s.setdefault("competences", []).append({"code": code, "source": "formal"})
    return [f"{', '.join(s['id'] for s in chosen)} → {op.to}"]


def apply_ops(
    data: dict, ops: list, variant: str
) -> tuple[RaisePositionsOp | None, list[str], list[tuple[str, str, str]]]:
    """Apply one variant's own operations. Returns (raise op, change notes, problems as (code, where, msg))."""
    w = _Writes()
    raise_op: RaisePositionsOp | None = None
    notes: list[str] = []
    problems: list[tuple[str, str, str]] = []
    for j, op in enumerate(ops):
        try:
            if isinstance(op, SetOp):
                path = set_path(data, op.path, copy.deepcopy(op.value))
                w.add(path, op.value, j, op.op)
                notes.append(f"{path} = {_short(op.value)}")
            elif isinstance(op, SetRuleOp):
                if op.rule not in data["rules"]:
                    raise _Fail("unknown_rule", f"rules has no rule {op.rule!r}", f"ops[{j}].rule")
                for k, v in op.values.items():
                    path = set_path(data, f"rules.{op.rule}.{k}", copy.deepcopy(v))
                    w.add(path, v, j, op.op)
                    notes.append(f"{path} = {_short(v)}")
            elif isinstance(op, WeekendEveryOp):
                w.add(set_path(data, "rules.weekend_frequency.every_n", op.n), op.n, j, op.op)
                notes.append(f"weekend every {ordinal(op.n)} week")
            elif isinstance(op, LongWeekendShiftsOp):
                notes += op_long_weekend(data, op, w, j)
            elif isinstance(op, RaisePositionsOp):
                w.add("positions.raise", op.model_dump(), j, op.op)
                raise_op = op
                notes.append(
                    "raise part-timers toward their desired %" + (" using vacant shifts" if op.mode == "vacant" else "")
                )
            elif isinstance(op, SetDemandOp):
                value = [d.model_dump(mode="json") for d in op.demand]
                w.add("demand", value, j, op.op)
                data["demand"] = value
                notes.append(f"new bemanningsplan ({len(value)} demand entries)")
            elif isinstance(op, ScaleDemandOp):
                notes += op_scale_demand(data, op, j)
            elif isinstance(op, ChangeGroupOp):
                notes += op_change_group(data, op, w, j)
        except _Fail as f:
            where = f.where if f.where.startswith("ops[") else f"ops[{j}]" + (f".{f.where}" if f.where else "")
            if isinstance(op, SetOp) and not f.where:
                where = f"ops[{j}].path"
            problems.append((f.code, where, f"variant {variant!r}: {f.message}"))
    return raise_op, notes, problems


def _chain(spec: ScenarioFile, v: Variant) -> list[Variant]:
    by = {x.name: x for x in spec.variants}
    chain, seen, cur = [], set(), v
    while cur is not None:
        if cur.name in seen:
            raise _Fail("cyclic_extends", f"variant {v.name!r} extends itself through {cur.name!r}")
        seen.add(cur.name)
        chain.append(cur)
        cur = by.get(cur.extends) if cur.extends and cur.extends != spec.base_name else None
    return list(reversed(chain))


def build_variant(base: Instance, spec: ScenarioFile, i: int) -> Prepared:
    """One variant as a validated instance (raises InstanceError naming the variant)."""
    v = spec.variants[i]
    data = base.model_dump(mode="json")
    raise_op, notes, problems = None, [], []
    try:
        chain = _chain(spec, v)
    except _Fail as f:
        raise InstanceError([Problem(code=f.code, loc=f"variants[{i}].extends", message=f.message)]) from None
    index = {x.name: k for k, x in enumerate(spec.variants)}
    for link in chain:
        r, n, p = apply_ops(data, link.ops, v.name if link is v else f"{v.name}' (via {link.name!r}")
        if link is not v:
            p = [(c, f"variants[{index[link.name]}].{where}", m) for c, where, m in p]
        else:
            p = [(c, f"variants[{i}].{where}", m) for c, where, m in p]
        raise_op = r or raise_op
        notes += n
        problems += p
    if problems:
        raise InstanceError([Problem(code=c, loc=where, message=m) for c, where, m in problems])
    try:
        inst, _ = validate_instance(data)
    except InstanceError as err:
        raise InstanceError(
            [
                Problem(
                    code=p.code, loc=f"variants[{i}] ({v.name}): {p.loc}", message=f"variant {v.name!r}: {p.message}"
                )
                for p in err.problems
            ]
        ) from None
    return Prepared(v.name, inst, v.description or "", raise_op, notes)


def curve_variant(base: Instance, n: int, raise_positions: bool) -> Prepared:
    data = base.model_dump(mode="json")
    data["rules"]["weekend_frequency"]["every_n"] = n
    inst, _ = validate_instance(data)
    return Prepared(
        f"weekend every {n}",
        inst,
        "",
        RaisePositionsOp(op="raise_positions") if raise_positions else None,
        [f"weekend every {n}"],
        kind="curve",
        curve_n=n,
    )


def prepare_all(spec: ScenarioFile, base: Instance) -> list[Prepared]:
    """Base, every variant, then the weekend-curve points; every problem of every variant at once."""
    out = [Prepared(spec.base_name, base, "the unit as it is", None, [], kind="base")]
    problems: list[Problem] = []
    for i in range(len(spec.variants)):
        try:
            out.append(build_variant(base, spec, i))
        except InstanceError as err:
            problems += err.problems
    if problems:
        raise InstanceError(problems)
    if spec.weekend_curve:
        for n in sorted(set(spec.weekend_curve_n)):
            out.append(curve_variant(base, n, spec.weekend_curve_raise))
    return out
