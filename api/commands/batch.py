"""`turnus batch MANIFEST.yaml -o OUTDIR`: many units and scenario files in one (overnight) run on Ray."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def batch(
        manifest: Path = typer.Argument(..., help="batch manifest (YAML or JSON): jobs, defaults, deadline"),
        output: Path = typer.Option(..., "-o", "--output", help="folder for rosters, results and the summary"),
        address: str | None = typer.Option(
            None,
            "--address",
            help="Ray cluster to run on (default: RAY_ADDRESS, else a `ray start` cluster of this machine, else an "
            "embedded local Ray; `local` forces the embedded one)",
        ),
        time_limit: float | None = typer.Option(None, "--time-limit", help="seconds per solve, for every job"),
        workers_per_job: int | None = typer.Option(
            None, "--workers-per-job", help="CP-SAT workers (= Ray CPUs) of every job (default: the manifest's, 1)"
        ),
        resume: bool = typer.Option(False, "--resume", help="continue a killed run: only unfinished jobs run"),
        retry_failed: bool = typer.Option(False, "--retry-failed", help="with --resume: failed jobs run again"),
        strict: bool = typer.Option(False, "--strict", help="a bad unit stops the batch before it starts (exit 2)"),
        db: str | None = typer.Option(None, "--db", help="job store URL (default: the service's, TURNUS_DB_URL)"),
        no_store: bool = typer.Option(False, "--no-store", help="write results to the output folder only"),
        tenant: str | None = typer.Option(None, "--tenant", help="tenant owning the store rows (see docs/batch.md)"),
        json_lines: bool | None = typer.Option(
            None, "--json/--rich", help="progress as JSON lines / rich display (default: rich on a terminal)"
        ),
    ) -> None:
        """Run a batch: every unit, re-plan and scenario file of the manifest as a Ray task, results written as
        each job finishes (OUTDIR and the job store), summary.html and summary.csv at the end.

        Exit 0 when every job completed, 1 when some failed or the run was interrupted, 2 for a bad manifest."""
        import math

        from api.batch.progress import JsonLines, RichProgress
        from api.batch.run import execute, load, open_store, resolve_tenant
        from api.batch.runner import BatchError, Options
        from api.cli import fail, fail_input
        from api.service.settings import SettingsError
        from models import InstanceError, Problem

        problems = []
        if time_limit is not None and (not math.isfinite(time_limit) or not 0 < time_limit <= 86_400):
            problems.append(Problem(code="out_of_range", loc="--time-limit", message="must be in (0, 86400] seconds"))
        if workers_per_job is not None and not 1 <= workers_per_job <= 64:
            problems.append(Problem(code="out_of_range", loc="--workers-per-job", message="must be 1..64"))
        if retry_failed and not resume:
            problems.append(Problem(code="invalid_option", loc="--retry-failed", message="needs --resume"))
        if output.exists() and not output.is_dir():
            problems.append(Problem(code="file_unwritable", loc=str(output), message="is a file; name a folder"))
        if problems:
            fail_input(InstanceError(problems))
        try:
            loaded = load(manifest, strict=strict)
        except InstanceError as err:
            fail_input(err)
        for p in loaded.bad:  # all at once, before any job starts; the others run
            for q in p.problems:
                sys.stderr.write(f"{q.line()} (job {p.spec.name} is skipped)\n")
        try:
            owner = None if no_store else resolve_tenant(tenant)
            store = None if no_store else open_store(db)
        except BatchError as err:
            fail(err.code, err.loc, err.message)
        except SettingsError as err:  # a bad TURNUS_* variable: its coded lines
            for line in err.lines():
                sys.stderr.write(line + "\n")
            raise typer.Exit(2) from None
        except Exception as err:  # noqa: BLE001 - a store URL that does not work is bad input
            fail("store_unavailable", "--db", f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
        use_json = (not sys.stderr.isatty()) if json_lines is None else json_lines
        events = JsonLines() if use_json else RichProgress()
        options = Options(
            address=address,
            time_limit_s=time_limit,
            workers_per_job=workers_per_job,
            resume=resume,
            retry_failed=retry_failed,
        )
        try:
            outcome, paths = execute(loaded, output, options, store=store, tenant=owner, on_event=events)
        except BatchError as err:
            events.close()
            fail(err.code, err.loc, err.message)
        finally:
            if store is not None:
                store.dispose()
        events.close()
        failed = sum(1 for r in outcome.records.values() if r["status"] == "FAILED")
        done = sum(1 for r in outcome.records.values() if r["status"] == "COMPLETED")
        missing = len(loaded.prepared) - len(outcome.records)
        line = (
            f"{done} completed, {failed} failed, {missing} not run; ran {len(outcome.ran)}, "
            f"skipped {len(outcome.skipped)} finished earlier; {outcome.wall_s:.0f} s"
        )
        if use_json:
            import json

            print(
                json.dumps(
                    {
                        "event": "end",
                        "completed": done,
                        "failed": failed,
                        "not_run": missing,
                        "interrupted": outcome.interrupted,
                        "wall_s": round(outcome.wall_s, 1),
                        "summary": str(paths["html"]),
                    },
                    separators=(",", ":"),
                ),
                flush=True,
            )
        else:
            typer.echo(line, err=True)
            typer.echo(f"wrote {paths['html']} and {paths['csv']}", err=True)
        if outcome.interrupted:
            raise typer.Exit(130)
        if failed or missing:
            raise typer.Exit(1)
