"""`turnus scenarios FILE -o OUTDIR`: solve named variants of a unit and compare them in a report."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def scenarios(
        scenario_file: Path = typer.Argument(..., help="scenario file (YAML or JSON): base unit and variants"),
        output: Path = typer.Option(..., "-o", "--output", help="directory for report.html, kpis.json, kpis.csv"),
        time_limit: float | None = typer.Option(
            None, "--time-limit", help="seconds per solve (default: the file's time_limit_s, else 20)"
        ),
        workers: int | None = typer.Option(
            None, "--workers", help="CP-SAT workers in total over all parallel solves (default: CPU cores)"
        ),
    ) -> None:
        """Compare scenarios (weekend frequency, langvakter, heltid, bemanningsplan, personnel mix) side by side."""
        from api.extras import require

        require("scenarios", "matplotlib", "jinja2")  # the report's extra, before any solve starts
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.table import Table

        from models import InstanceError
        from scenarios import run_file

        console = Console(stderr=True)
        try:
            # validate everything before any solving starts
            from scenarios.variants import load_scenario_file, prepare_all

            spec, base = load_scenario_file(scenario_file)
            prepare_all(spec, base)
        except InstanceError as err:  # one unwrapped line per problem, exit 2
            for p in err.problems:
                typer.echo(p.line(), err=True)
            raise typer.Exit(2) from None
        columns = (
            TextColumn("{task.description:<34}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            results, paths = run_file(
                scenario_file, output, time_limit_s=time_limit, workers=workers, progress=progress
            )
        out = Console()
        t = Table(title="Scenarios")
        for c in ("scenario", "status", "good", "heltid", "mean%", "vacant h", "unfilled", "wkend"):
            t.add_column(
                c, justify="left" if c in ("scenario", "status") else "right", no_wrap=c in ("scenario", "status")
            )
        for r in results:
            k = r.kpis
            t.add_row(
                r.name,
                r.status,
                f"{100 * k.get('good_shift_share', 0):.1f}%",
                f"{100 * k.get('heltidsandel', 0):.1f}%",
                f"{k.get('mean_position_pct', 0):.1f}",
                f"{k.get('vacant_hours', 0):.1f}",
                f"{k.get('unfilled_slots', 0):.0f}",
                f"{k.get('weekend_frequency', 0):.2f}",
            )
        out.print(t)
        for p in paths.values():
            out.print(f"wrote {p}")
