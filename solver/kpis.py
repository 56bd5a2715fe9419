"""Tørn KPIs computed from a roster alone (definitions: shared/domain.md §4.3).

The one place KPIs are defined: the checker reports `roster_kpis` (with the task KPIs of
`solver.tasks.report.task_kpis`) in every roster the CLI and the service return; the scenario report adds its
own on top (`scenarios.kpis`) from the same per-person counts (`per_person`).
"""

from __future__ import annotations

import numpy as np

from .rules.base import setting_of
from .rules.contract_hours import person_targets
from .rules.demand_coverage import DemandCoverage
from .rules.quick_return import QuickReturn, quick_cells
from .rules.weekends import audit_flags, weekend_spans
from .view import RosterView


def per_person(view: RosterView, spans: list | None = None) -> dict[str, np.ndarray]:
    """Per person over the period: hours worked, nights, weekends worked (of `spans`, default: the period's)."""
    return {
        "hours": view.work.sum(axis=1) / 60.0,
        "nights": view.night.sum(axis=1),
        "weekends": audit_flags(view, weekend_spans(view.idx) if spans is None else spans).sum(axis=1),
    }


def quick_returns_per_person(view: RosterView) -> np.ndarray:
    """Per person: evening shifts followed next day by a day shift with less than `quick_return.max_rest_hours`."""
    max_rest = round(view.idx.inst.rules.quick_return.max_rest_hours * 60)
    return quick_cells(view, max_rest).sum(axis=1).astype(float)


def roster_kpis(view: RosterView, unfilled_slots: int) -> dict[str, float]:
    idx = view.idx
    pct = idx.position_pct
    spans = weekend_spans(idx)
    pp = per_person(view, spans)
    hours = pp["hours"]
    total_hours = float(hours.sum())
    out: dict[str, float] = {
        "staff": float(idx.S),
        "heltidsandel": float(np.mean(pct >= 100)) if idx.S else 0.0,
        "mean_position_pct": float(np.mean(pct)) if idx.S else 0.0,
        "planned_hours": round(total_hours, 2),
        "unfilled_slots": float(unfilled_slots),
    }
    out["formal_competence_hours_share"] = (
        round(float(hours[idx.formal_health].sum() / total_hours), 4) if total_hours else 0.0
    )
    # competence met: share of demanded (day, shift) pairs where every slot reaches its minimum
    day, shift, _ = idx.requirement_arrays
    if len(day):
        ok = DemandCoverage().counts(view) >= np.array([r.min for r in idx.requirements])
        cell = day * idx.T + shift
        cells, inverse = np.unique(cell, return_inverse=True)
        failed = np.zeros(len(cells), dtype=bool)
        np.logical_or.at(failed, inverse, ~ok)
        out["competence_met_share"] = round(float(1 - failed.mean()), 4)
    else:
        out["competence_met_share"] = 1.0
    worked_weekends = pp["weekends"]
    active = worked_weekends > 0
    # "every how many weekends": weekends in the period / weekends worked, over staff who work weekends
    out["weekend_frequency"] = round(float(np.mean(len(spans) / worked_weekends[active])), 3) if active.any() else 0.0
    nights = pp["nights"]
    out["nights_per_person_mean"] = round(float(nights.mean()), 3)
    out["nights_per_person_sd"] = round(float(nights.std()), 3)
    out["weekends_per_person_sd"] = round(float(worked_weekends.std()), 3)
    qr = setting_of(idx.inst, QuickReturn.section, QuickReturn.id)
    out["quick_returns"] = float(len(QuickReturn().audit(view, qr))) if qr.active else 0.0
    _, tgt, credited = person_targets(view, idx.inst.rules.contract_hours)  # each person's own tariff week
    out["contract_hours_abs_dev_mean"] = round(float(np.abs(credited - tgt).mean()) / 60, 3)
    nurse_hours = float(hours[idx.nurse].sum())
    out["nurse_hours_share"] = round(nurse_hours / total_hours, 4) if total_hours else 0.0
    return out
