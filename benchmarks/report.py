"""What every benchmark table needs: the machine's load (`uptime`) and a Markdown table."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence


def uptime() -> str:
    """`uptime` as it prints: the load average to state beside every figure."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def markdown(cols: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in rows]
    return "\n".join(lines)
