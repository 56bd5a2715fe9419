"""`turnus export ROSTER.json -i INSTANCE.json --format xlsx|csv|ics -o FILE` and `turnus import ROSTER.xlsx
-i INSTANCE.json -o ROSTER.json` (the planner's Excel grid back to roster JSON, e.g. for `turnus check`).

The roster alone does not say what the shifts, people and demand are, so both take the unit instance. Files are
written private (mode 600): a roster is health-adjacent personal data (who is absent, sick).
"""

from __future__ import annotations

import os
from pathlib import Path

import typer


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


def register(app: typer.Typer) -> None:
    from api import cli

    @app.command("export")
    def export(
        roster: Path = typer.Argument(..., help="roster JSON (from `turnus solve` or the service)"),
        instance: Path = typer.Option(..., "--instance", "-i", help="the unit instance JSON the roster is for"),
        fmt: str = typer.Option("xlsx", "--format", "-f", help="xlsx | csv | ics"),
        output: Path = typer.Option(..., "-o", "--output", help="file to write"),
        lang: str = typer.Option("nb", "--lang", help="nb (bokmål) | en"),
        block_weeks: int = typer.Option(2, "--block-weeks", help="xlsx: weeks per grid sheet"),
        layout: str = typer.Option("grid", "--layout", help="csv: grid | shifts (one row per shift)"),
        decimal: str = typer.Option("comma", "--decimal", help="csv: comma (Norwegian Excel, ';') | point (',')"),
        staff: str | None = typer.Option(None, "--staff", help="ics: only this person's calendar"),
    ) -> None:
        """Export a roster for planners: the Excel grid (xlsx), CSV for Norwegian Excel, or iCalendar (ics)."""
        from api.export import FORMATS, ExportError, ExportOptions, export_roster
        from models import InstanceError, Roster
        from models.validation import parse_model

        bad = []
        if fmt not in FORMATS:
            bad.append(("unknown_format", "--format", f"{fmt!r} is not one of {', '.join(FORMATS)}"))
        if lang not in ("nb", "en"):
            bad.append(("invalid_value", "--lang", f"{lang!r} is not nb or en"))
        if layout not in ("grid", "shifts"):
            bad.append(("invalid_value", "--layout", f"{layout!r} is not grid or shifts"))
        if decimal not in ("comma", "point"):
            bad.append(("invalid_value", "--decimal", f"{decimal!r} is not comma or point"))
        if not 1 <= block_weeks <= 12:
            bad.append(("out_of_range", "--block-weeks", f"must be 1..12, not {block_weeks}"))
        if bad:
            from models import Problem

            cli.fail_input(InstanceError([Problem(code=c, loc=loc, message=m) for c, loc, m in bad]))
        cli.check_output_or_exit(output)
        inst = cli.load_instance_or_exit(instance)
        data = cli.read_json_or_exit(roster)
        if isinstance(data, dict) and isinstance(data.get("roster"), dict):
            data = data["roster"]  # a job document from GET /v1/rosters/{id}
        try:
            given = parse_model(Roster, data)
            opts = ExportOptions(
                lang=lang,  # type: ignore[arg-type]
                block_weeks=block_weeks,
                layout=layout,  # type: ignore[arg-type]
                decimal_comma=decimal == "comma",
                staff=staff,
            )
            body = export_roster(inst, given, fmt, opts)
        except InstanceError as err:
            cli.fail_input(err)
        except ExportError as err:
            loc = {"staff": "--staff", "block_weeks": "--block-weeks", "format": "--format"}.get(err.loc, err.loc)
            cli.fail(err.code, loc, str(err))
        try:
            _write_private(output, body)
        except OSError as err:
            cli.fail("file_unwritable", str(output), err.strerror or type(err).__name__)
        cli.console.print(f"wrote {output} ({fmt}, {len(body)} bytes)")

    @app.command("import")
    def import_xlsx(
        workbook: Path = typer.Argument(..., help="an Excel grid written by `turnus export --format xlsx`"),
        instance: Path = typer.Option(..., "--instance", "-i", help="the unit instance JSON"),
        output: Path = typer.Option(..., "-o", "--output", help="roster JSON to write"),
    ) -> None:
        """Read an Excel roster grid (maybe edited by hand) back into roster JSON, checked against the unit."""
        from api.export.xlsx import GridFormatError, read_roster
        from models import InstanceError
        from solver.checker import check

        cli.check_output_or_exit(output)
        inst = cli.load_instance_or_exit(instance)
        try:
            with workbook.open("rb") as f:
                roster = read_roster(f, inst)
        except OSError as err:
            cli.fail("file_unreadable", str(workbook), err.strerror or type(err).__name__)
        except GridFormatError as err:
            cli.fail(err.code, f"{workbook}:{err.loc}" if err.loc else str(workbook), str(err))
        try:
            checked = check(inst, roster)
        except InstanceError as err:
            cli.fail_input(err)
        try:
            _write_private(output, checked.model_dump_json(indent=2, exclude_none=True).encode("utf-8"))
        except OSError as err:
            cli.fail("file_unwritable", str(output), err.strerror or type(err).__name__)
        s = checked.score
        cli.console.print(
            f"wrote {output} ({len(checked.assignments)} assignments; hard {s.hard} · unfilled {s.unfilled} · "
            f"soft {s.soft} = {s.total})"
        )
