"""Input shape limits shared by the HTTP service and the CLI (no FastAPI here): nesting depth and NUL
characters, checked by one iterative walk before anything recursive sees the data."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 32  # nesting of JSON objects and arrays in a request (an instance needs about 6)


def shape_problems(data: Any, loc: str, max_depth: int = MAX_DEPTH, limit: int = 10) -> list[dict[str, str]]:
    """Nesting deeper than `max_depth` (`too_deep`) and NUL characters in strings (`invalid_character`), found
    by one iterative walk, before anything recursive (merge, validation, the database) sees the data."""
    out: list[dict[str, str]] = []
    stack: list[tuple[Any, int, str]] = [(data, 0, loc)]
    while stack and len(out) < limit:
        value, depth, where = stack.pop()
        if isinstance(value, dict):
            if depth >= max_depth:
                out.append({"code": "too_deep", "loc": where, "message": f"nested deeper than {max_depth} levels"})
                continue
            for key, item in value.items():
                if isinstance(key, str) and "\x00" in key:
                    out.append({"code": "invalid_character", "loc": where, "message": "a key contains NUL"})
                stack.append((item, depth + 1, f"{where}.{key}"))
        elif isinstance(value, list):
            if depth >= max_depth:
                out.append({"code": "too_deep", "loc": where, "message": f"nested deeper than {max_depth} levels"})
                continue
            stack.extend((item, depth + 1, f"{where}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            out.append({"code": "invalid_character", "loc": where, "message": "the text contains a NUL character"})
    return out
