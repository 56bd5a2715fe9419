"""`turnus tasks-report INSTANCE ROSTER [-o OUTDIR]`: oppgavedeling per personnel group (table and picture)."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("tasks-report")
    def tasks_report(
        instance: Path = typer.Argument(..., help="unit instance JSON (with tasks)"),
        roster: Path = typer.Argument(..., help="roster JSON (with task_assignments)"),
        output: Path = typer.Option(Path("."), "-o", "--output", help="directory for tasks_report.png/.svg/.json"),
    ) -> None:
        """Task hours each personnel group is needed for versus spent, and which tasks could move (oppgavedeling)."""
        from rich.console import Console
        from rich.table import Table

        from models import InstanceError, validate_instance
        from models.validation import load_roster, read_json
        from solver.tasks.analysis import plot, task_report

        try:
            inst = validate_instance(read_json(instance))[0]
            given = load_roster(roster)
        except InstanceError as err:
            for p in err.problems:
                typer.echo(p.line(), err=True)
            raise typer.Exit(2) from None
        if not inst.tasks:
            typer.echo(f"error no_tasks at {instance}: the unit has no tasks", err=True)
            raise typer.Exit(2)
        rep = task_report(inst, given)
        out = Console()
        t = Table(title="Task hours per personnel group")
        for c in ("group", "needed h", "spent h", "spent − needed", "rostered h"):
            t.add_column(c, justify="left" if c == "group" else "right")
        for g in rep.groups:
            n, s = rep.needed_h.get(g, 0.0), rep.spent_h.get(g, 0.0)
            t.add_row(g, f"{n:.1f}", f"{s:.1f}", f"{s - n:+.1f}", f"{rep.rostered_h.get(g, 0.0):.1f}")
        t.add_row("[b]unassigned[/b]", f"{rep.unassigned_h:.1f}", "", "", "")
        out.print(t)
        m = Table(title="Oppgavedeling: task hours done by a higher group than needed")
        for c in ("kind", "done by", "could go to", "hours", "tasks"):
            m.add_column(c, justify="right" if c == "hours" else "left")
        for mv in rep.moves:
            m.add_row(mv["kind"], mv["from"], mv["to"], f"{mv['hours']:.1f}", ", ".join(mv["tasks"]))
        out.print(m)
        k = Table(title="Continuity and task KPIs")
        k.add_column("kpi")
        k.add_column("value", justify="right")
        for key, v in rep.kpis.items():
            k.add_row(key, f"{v:g}")
        out.print(k)
        output.mkdir(parents=True, exist_ok=True)
        paths = plot(rep, str(output / "tasks_report"))
        (output / "tasks_report.json").write_text(json.dumps(rep.as_dict(), indent=2), encoding="utf-8")
        for p in [*paths, str(output / "tasks_report.json")]:
            out.print(f"wrote {p}")
