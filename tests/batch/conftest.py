"""Batch test fixtures: small generated units and scenario files written to a folder, and one local Ray for the
whole session (2 CPUs, no dashboard). The Ray tests share the xdist group "ray", so `make test` (`-n 2
--dist loadgroup`) runs them in one worker and starts Ray once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.generate import generate_dict

UNIT_LIMIT_S = 6.0  # seconds per solve: small 2-week units (13 staff) have a lawful roster in ~0.6 s (load 3.5); margin for CI


def write_unit(path: Path, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(generate_dict("small", weeks=2, seed=seed)), encoding="utf-8")
    return path


def write_units(folder: Path, n: int, first_seed: int = 1) -> list[Path]:
    return [write_unit(folder / f"ward-{k}.json", k) for k in range(first_seed, first_seed + n)]


@pytest.fixture(scope="session")
def ray_session():
    """One local Ray for the test session: `ray.init(num_cpus=2)`, a real cluster of one node, no mocks."""
    import ray

    if not ray.is_initialized():
        # address="local": a new Ray of our own, even when a `ray start` cluster runs on this machine
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    yield ray
    ray.shutdown()
