"""Scenario comparison for one unit: named variants of the base (weekend frequency, langvakter, heltid, a new
bemanningsplan, a different personnel mix), each solved and re-checked, compared side by side in a report.

`turnus scenarios FILE.yaml -o OUTDIR` (api/commands/scenarios.py); definitions in docs/scenarios.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .spec import ScenarioFile, Variant

__all__ = ["ScenarioFile", "Variant", "run_file"]


def run_file(
    path: Path,
    outdir: Path,
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
    parallel: bool = True,
    progress: Any = None,
) -> tuple[list, dict[str, Path]]:
    """Load, validate (InstanceError on bad input), solve every scenario and write the report files."""
    from .report import write_report
    from .runner import run_scenarios
    from .variants import load_scenario_file, prepare_all

    spec, base = load_scenario_file(path)
    prepared = prepare_all(spec, base)
    limit = time_limit_s or spec.time_limit_s or 20.0
    results = run_scenarios(
        prepared,
        time_limit_s=limit,
        workers=workers,
        seed=spec.seed,
        good_shift=spec.good_shift,
        parallel=parallel,
        progress=progress,
    )
    paths = write_report(
        spec, results, outdir, time_limit_s=limit, workers=workers, source=f"Scenario file {path.name}."
    )
    return results, paths
