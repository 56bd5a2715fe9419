"""Import hygiene, each in a fresh interpreter: the checker loads no CP-SAT, and every models module imports alone."""

from __future__ import annotations

import ast
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


@pytest.mark.parametrize("module", MODELS)
def test_models_module_imports_alone(module: str):
    done = run(f"import models.{module}")
    assert done.returncode == 0, done.stderr


def models_imports() -> dict[str, set[str]]:
    """models module -> the models modules it imports anywhere (top level, in functions, under TYPE_CHECKING)."""
    graph: dict[str, set[str]] = {}
    for path in (ROOT / "models").glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level == 1:
                    found |= {base} if base else {alias.name for alias in node.names}
                elif base == "models" or base.startswith("models."):
                    found.add(base.removeprefix("models").lstrip("."))
            elif isinstance(node, ast.Import):
                found |= {a.name.removeprefix("models.") for a in node.names if a.name.startswith("models.")}
        graph[path.stem] = {name.split(".")[0] for name in found if name} - {path.stem}
    return graph


def test_models_have_no_import_circle():
    graph = models_imports()
    assert "tasks" in graph["instance"]  # the graph is read, not empty
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            raise AssertionError("import circle: " + " -> ".join(path[path.index(module):] + (module,)))
        if module in done:
            return
        for dep in graph.get(module, ()):
            visit(dep, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())
