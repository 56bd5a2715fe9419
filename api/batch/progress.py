"""Progress of a batch: a rich display on a terminal, JSON lines otherwise (cron, CI, a log collector).

Events carry job names (file names of units), counts, codes and numbers; never an error's detail, staff or
other personal data, since JSON lines end up in logs.
"""

from __future__ import annotations

import json
import sys
import time
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}"


class JsonLines:
    """One JSON object per line: start, job (one per finished job), retry, tick (at most every 10 s), end."""

    def __init__(self, stream: IO[str] | None = None, tick_every_s: float = 10.0):
        self.stream = stream or sys.stdout
        self.tick_every_s, self._last = tick_every_s, 0.0

    def _emit(self, data: dict[str, Any]) -> None:
        self.stream.write(json.dumps(data, separators=(",", ":")) + "\n")
        self.stream.flush()

    def __call__(self, kind: str, data: dict[str, Any]) -> None:
        if kind == "tick":
            if time.monotonic() - self._last < self.tick_every_s:
                return
            self._last = time.monotonic()
            self._emit({"event": "progress", **data})
        elif kind == "job":
            self._emit(job_line(data))
        else:
            self._emit({"event": kind, **data})

    def close(self) -> None:
        pass


def job_line(rec: dict[str, Any]) -> dict[str, Any]:
    """A finished job as a log line: name, status, score, unfilled, time, attempts, error code only."""
    error = rec.get("error") or {}
    return {
        "event": "job",
        "name": rec["name"],
        "status": rec["status"],
        "lawful": rec.get("lawful"),
        "score": (rec.get("score") or {}).get("total"),
        "unfilled": rec.get("unfilled"),
        "wall_s": rec.get("wall_s"),
        "attempts": rec.get("attempts"),
        "error": error.get("code"),
    }


class RichProgress:
    """A bar of finished jobs with the counts (done, running, failed) and an ETA; a line per finished job."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TextColumn("ETA {task.fields[eta]}"),
            console=self.console,
        )
        self.task: Any = None

    def __call__(self, kind: str, data: dict[str, Any]) -> None:
        if kind == "start":
            self.progress.start()
            self.task = self.progress.add_task(
                "batch", total=data["total"], completed=data["skipped"], counts="", eta="–"
            )
            if data["skipped"]:
                self.progress.console.print(f"resuming: {data['skipped']} job(s) already finished")
        elif kind == "job":
            status = data["status"]
            style = "red" if status != "COMPLETED" else "green" if data.get("lawful") else "yellow"
            score = (data.get("score") or {}).get("total")
            err = (data.get("error") or {}).get("code")
            self.progress.console.print(
                f"[{style}]{status:<9}[/] {escape(data['name'])}"
                + (f"  score {score}  unfilled {data.get('unfilled')}  {data.get('wall_s')} s" if score else "")
                + (f"  {err}" if err else ""),
                highlight=False,
            )
            if self.task is not None:
                self.progress.advance(self.task)
        elif kind == "retry":
            self.progress.console.print(f"[yellow]retrying[/] {escape(data['name'])} ({data['code']})", highlight=False)
        elif kind == "tick" and self.task is not None:
            self.progress.update(
                self.task,
                counts=f"done {data['done']} · running {data['running']} · failed {data['failed']}",
                eta=_eta(data.get("eta_s")),
            )

    def close(self) -> None:
        self.progress.stop()
