"""The independent checker: recomputes every rule from the instance and the roster alone (no CP-SAT).

It is the judge: every roster that leaves the solver goes through `check`, and its score is the one reported.
"""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from models import Assignment, Instance, Level, Roster, RuleScore, Score, Unfilled, Violation
from models.agreements import deviations
from models.instance import RestDay

from .index import Index, build_index
from .kpis import roster_kpis
from .registry import TIERS, active
from .rules.demand_coverage import DemandCoverage
from .rules.weekly_rest import rest_days
from .tasks.report import roster_fields
from .view import Priced, RosterView, build_view


def audits(view: RosterView) -> list[Violation] | list[Priced]:
    """Every active rule's audit with its setting: records, or `Priced` totals when `view.score_only`."""
    out: list = []
    for rule, setting in active(view.idx.inst):
        out.extend(rule.audit(view, setting))
    return out


def audit_all(view: RosterView) -> list[Violation]:
    """Every violation record of the roster (the full path: `view.score_only` off)."""
    return cast(list[Violation], audits(view))


def score_view(view: RosterView) -> Score:
    """The score alone, without violation records: what `check_view` scores, several times faster."""
    view.score_only = True
    try:
        return score_of(audits(view))
    finally:
        view.score_only = False


def score_of(violations: list[Violation] | list[Priced]) -> Score:
    """Totals per score id and tier: REQUIRED violations are hard, PREFERRED ones take their score id's tier
    (`registry.TIERS`: "unfilled" for demand below its minimum, else "soft")."""
    by_rule: dict[str, list[Violation | Priced]] = defaultdict(list)
    for v in violations:
        by_rule[v.rule].append(v)
    score = Score()
    for rule, vs in sorted(by_rule.items()):
        penalty = sum(v.penalty for v in vs)
        level = vs[0].level
        count = sum(v.count if isinstance(v, Priced) else 1 for v in vs)
        score.rules.append(RuleScore(rule=rule, level=level, violations=count, penalty=penalty))
        if level == Level.REQUIRED:
            score.hard += penalty
        elif TIERS.get(rule, "soft") == "unfilled":
            score.unfilled += penalty
        else:
            score.soft += penalty
    score.total = score.hard + score.unfilled + score.soft
    return score


def unfilled_of(view: RosterView) -> list[Unfilled]:
    return DemandCoverage().unfilled(view)


def check_view(view: RosterView) -> tuple[list[Violation], Score, list[Unfilled], dict[str, float]]:
    violations = audit_all(view)
    unfilled = unfilled_of(view)
    return violations, score_of(violations), unfilled, roster_kpis(view, sum(u.missing for u in unfilled))


def weekly_rest_days(view: RosterView) -> list[RestDay]:
    """Each person's weekly rest day (F1) per plan week, as planners mark it (when weekly rest is checked)."""
    st = view.idx.inst.rules.weekly_rest
    if not st.active:
        return []
    idx = view.idx
    return [RestDay(staff=idx.staff_ids[s], date=idx.dates[d]) for s, d in rest_days(view, round(st.min_hours * 60))]


def check(inst: Instance, assignments: list[Assignment] | Roster, idx: Index | None = None) -> Roster:
    """Score any roster (also a hand-made one): violations, score per rule, unfilled demand, KPIs, and the
    deviations from the law's general limits with the agreement each relies on (`models.agreements`)."""
    if isinstance(assignments, Roster):
        base = assignments
        assignments = assignments.assignments
    else:
        base = Roster(instance_id=inst.id)
    idx = idx or build_index(inst)
    view = build_view(idx, assignments)
    view.roster = base  # add-on audits (tasks) read their own roster fields
    violations, score, unfilled, kpis = check_view(view)
    return base.model_copy(
        update={
            "instance_id": inst.id,
            "assignments": list(assignments),
            "violations": violations,
            "score": score,
            "unfilled": unfilled,
            "kpis": kpis,
            "deviations": deviations(inst.rules, inst.agreements, inst.period.week_start),
            "rest_days": weekly_rest_days(view),
            **roster_fields(view, kpis),
        }
    )
