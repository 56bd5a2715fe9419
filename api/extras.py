"""Optional extras (issue 18, item 8): a command whose extra is not installed says in one line which one to
install (exit 2), before it starts any work, instead of ending in `No module named ...` after it."""

from __future__ import annotations

import importlib.util
import sys

# module -> the extra of pyproject.toml that installs it
EXTRAS = {
    "matplotlib": "report",
    "jinja2": "report",
    "psycopg": "postgres",
    "ray": "batch",
    "httpx": "api",
}


def missing(*modules: str) -> list[str]:
    """The `modules` that cannot be imported (a module set to None in sys.modules counts as missing)."""
    out = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            out.append(name)
    return out


def line(command: str, modules: list[str]) -> str:
    extras = sorted({EXTRAS.get(m, m) for m in modules})
    spec = ",".join(extras)
    return f"error missing_extra at {command}: needs {', '.join(modules)}; install it with pip install 'turnus[{spec}]'"


def require(command: str, *modules: str) -> None:
    """Exit 2 with one line naming the extra when any of `modules` is missing."""
    gone = missing(*modules)
    if gone:
        sys.stderr.write(line(command, gone) + "\n")
        raise SystemExit(2)


def from_error(command: str, err: ModuleNotFoundError) -> str | None:
    """The one line for an import that failed at run time, when the module belongs to a known extra."""
    root = (err.name or "").split(".")[0]
    return line(command, [root]) if root in EXTRAS else None
