"""The `turnus` command line (typer + rich).

Exit codes: 0 ok / lawful, 1 roster has violations, 2 bad input (one readable line per problem, no traceback).
Further commands live in `api/commands/<name>.py`, each with `register(app)`; they are discovered at start.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import pkgutil
import sys
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.live import Live
from rich.table import Table

from models import Instance, InstanceError, Problem, Roster, validate_instance
from models.calendar import is_holiday
from models.validation import parse_model, roster_problems

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="turnus: rosters for Norwegian municipal health and care (CP-SAT)."
)
console = Console()
err_console = Console(stderr=True)

DEMO_PATH = Path(__file__).resolve().parent.parent / "models" / "data" / "demo.json"
DEMO_TASKS_PATH = DEMO_PATH.with_name("demo_tasks.json")


def fail_input(err: InstanceError) -> None:
    """Bad input: one line per problem on stderr, exit 2."""
    for p in err.problems:
        sys.stderr.write(p.line() + "\n")  # plain text: one unwrapped line per problem
    raise typer.Exit(2)


def fail(code: str, loc: str, message: str) -> None:
    """One coded line on stderr, exit 2."""
    fail_input(InstanceError([Problem(code=code, loc=loc, message=message)]))


def read_json_or_exit(path: Path):
    """A JSON file's data, or a coded line and exit 2 (unreadable, not UTF-8, malformed, too deep, numbers
    too long), never a traceback."""
    from api.service.limits import shape_problems

    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        fail("file_unreadable", where, err.strerror or type(err).__name__)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        fail("malformed_json", where, f"the file is not UTF-8 text (byte {err.start})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        fail("malformed_json", where, f"{err.msg} (line {err.lineno}, column {err.colno})")
    except RecursionError:
        fail("too_deep", where, "the JSON is nested too deeply")
    except ValueError as err:  # e.g. an integer with more than 4300 digits
        fail("malformed_json", where, str(err).split(";")[0])
    for p in shape_problems(data, ""):
        if p["code"] == "too_deep":
            fail("too_deep", f"{where}:{p['loc'].lstrip('.')}", p["message"])
    return data


def load_instance_or_exit(path: Path) -> Instance:
    data = read_json_or_exit(path)
    try:
        inst, warnings = validate_instance(data)
    except InstanceError as err:
        fail_input(err)
    for w in warnings:
        sys.stderr.write(w.line() + "\n")
    return inst


def roster_grid(inst: Instance, roster: Roster, days: list | None = None) -> Table:
    """Staff × date grid of shift codes (weekends shaded; public holidays shaded and marked `*`; each person's
    weekly rest day F1), with hours per person over the whole period."""
    dates = days if days is not None else inst.period.dates()
    by = {(a.staff, a.date): a.shift for a in roster.assignments}
    hours = {t.code: t.work_min / 60 for t in inst.shift_types}
    table = Table(
        title=f"{inst.id}: {dates[0]} – {dates[-1]}",
        box=box.SIMPLE_HEAD,
        padding=(0, 0),
        header_style="bold",
        title_justify="left",
    )
    table.add_column("staff ", no_wrap=True)
    table.add_column("grp ", no_wrap=True)
    table.add_column("  % ", justify="right", no_wrap=True)
    for d in dates:
        holiday = is_holiday(d)
        style = "on grey23" if d.weekday() >= 5 or holiday else ""
        label = f"{'MTWTFSS'[d.weekday()]}{d.day:02d}{'*' if holiday else ''}"
        table.add_column(label, justify="center", style=style, no_wrap=True, min_width=3)
    table.add_column("   h", justify="right", no_wrap=True)
    rest = {(r.staff, r.date) for r in roster.rest_days}
    for s in inst.staff:
        worked = sum(hours[by[(s.id, d)]] for d in inst.period.dates() if (s.id, d) in by)
        table.add_row(
            s.id + " ",
            s.group.value[:4],
            f"{s.position_pct:.0f} ",
            *[by.get((s.id, d), "[dim]F1[/dim]" if (s.id, d) in rest else "·") for d in dates],
            f"{worked:5.1f}",
        )
    return table


def print_grid(inst: Instance, roster: Roster, max_days: int | None = None, block: int = 14) -> None:
    """The grid in two-week blocks so it fits an 80-column terminal."""
    dates = inst.period.dates()[: max_days if max_days is not None else None]
    for i in range(0, len(dates), block):
        console.print(roster_grid(inst, roster, dates[i : i + block]))


def score_table(roster: Roster) -> Table:
    t = Table(title="Score per rule")
    for c in ("rule", "level", "violations", "penalty"):
        t.add_column(c, justify="right" if c in ("violations", "penalty") else "left")
    for r in roster.score.rules:
        t.add_row(r.rule, str(r.level), str(r.violations), str(r.penalty))
    s = roster.score
    t.add_row("[b]total[/b]", "", "", f"hard {s.hard} · unfilled {s.unfilled} · soft {s.soft} = {s.total}")
    return t


def kpi_table(roster: Roster) -> Table:
    t = Table(title="KPIs (Tørn)")
    t.add_column("kpi")
    t.add_column("value", justify="right")
    for k, v in roster.kpis.items():
        t.add_row(k, f"{v:.3f}" if isinstance(v, float) and not float(v).is_integer() else f"{v:g}")
    return t


def print_result(inst: Instance, roster: Roster, grid_days: int | None = None) -> None:
    if grid_days != 0:
        print_grid(inst, roster, grid_days)
    console.print(score_table(roster))
    console.print(kpi_table(roster))
    if roster.unfilled:
        console.print(
            f"[yellow]Unfilled demand: {sum(u.missing for u in roster.unfilled)} person-shifts "
            f"in {len(roster.unfilled)} slots[/yellow]"
        )
    if roster.conflicts:
        console.print(
            "[red]Conflicting REQUIRED rules:[/red] "
            + ", ".join(sorted({f"{c.rule}({c.staff})" for c in roster.conflicts}))
        )
    hard = [v for v in roster.violations if v.level == "REQUIRED"]
    if hard:
        console.print(f"[red]{len(hard)} REQUIRED rule violations[/red]")
    elif roster.solve:
        console.print(
            f"[green]Lawful roster[/green] ({roster.solve.status}, objective {roster.solve.objective}, "
            f"bound {roster.solve.bound}, first lawful {roster.solve.first_solution_s} s)"
        )


def check_run_options(time_limit: float, workers: int, seed: int, gap: float = 0.0) -> None:
    """Coded lines (exit 2) for run options out of range, before any work starts."""
    problems = []
    if not math.isfinite(time_limit) or not 0 < time_limit <= 86_400:
        problems.append(("--time-limit", f"must be a number of seconds in (0, 86400], not {time_limit:g}"))
    if not 1 <= workers <= 64:
        problems.append(("--workers", f"must be 1..64, not {workers}"))
    if not 0 <= seed <= 2**31 - 1:
        problems.append(("--seed", f"must be 0..{2**31 - 1}, not {seed}"))
    if not math.isfinite(gap) or not 0 <= gap <= 1:
        problems.append(("--gap", f"must be a relative gap in [0, 1], not {gap:g}"))
    if problems:
        fail_input(InstanceError([Problem(code="out_of_range", loc=loc, message=msg) for loc, msg in problems]))


def check_output_or_exit(output: Path) -> None:
    """`-o` must name a file in an existing folder (checked before the solve, not after it)."""
    if output.is_dir():
        fail("file_unwritable", str(output), "is a directory; name a file")
    if not output.parent.is_dir():
        fail("file_unwritable", str(output), f"the folder {output.parent} does not exist")


def run_solve(inst: Instance, time_limit: float, workers: int, seed: int, gap: float = 0.0) -> Roster:
    """Solve with a live progress line: best objective, bound and elapsed time."""
    from solver import SolveOptions, solve

    status = {"text": "building model…"}

    def on_progress(p) -> None:
        status["text"] = (
            f"[{p.phase}] {p.elapsed_s:6.1f} s  objective {p.objective:>10d}  "
            f"bound {p.bound:>10d}  solutions {p.solutions}"
        )
        live.update(status["text"])

    try:
        with Live(status["text"], console=err_console, refresh_per_second=4, transient=False) as live:
            roster = solve(
                inst,
                SolveOptions(time_limit_s=time_limit, workers=workers, seed=seed, gap=gap),
                on_progress=on_progress,
            )
    except InstanceError as err:  # input problems only visible while building the model
        fail_input(err)
    return roster


@app.command()
def demo(
    time_limit: float = typer.Option(30.0, "--time-limit", help="seconds"),
    workers: int = typer.Option(2, "--workers"),
    seed: int = typer.Option(0, "--seed"),
    days: int = typer.Option(42, "--days", help="days of the grid to print"),
    tasks: bool = typer.Option(False, "--tasks", help="the demo ward with ~30 users and their tasks"),
) -> None:
    """Solve the bundled demo unit (medium sykehjem ward, 6 weeks) and print the roster and KPIs."""
    check_run_options(time_limit, workers, seed)
    inst = load_instance_or_exit(DEMO_TASKS_PATH if tasks else DEMO_PATH)
    roster = run_solve(inst, time_limit, workers, seed, gap=0.005)
    print_result(inst, roster, days)


@app.command()
def solve(
    instance: Path = typer.Argument(..., help="unit instance JSON"),
    output: Path = typer.Option(..., "-o", "--output", help="roster JSON to write"),
    time_limit: float = typer.Option(30.0, "--time-limit"),
    workers: int = typer.Option(2, "--workers"),
    seed: int = typer.Option(0, "--seed"),
    gap: float = typer.Option(0.0, "--gap", help="relative gap to stop at"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Solve an instance and write the roster (assignments, unfilled demand, score, KPIs)."""
    check_run_options(time_limit, workers, seed, gap)
    check_output_or_exit(output)
    inst = load_instance_or_exit(instance)
    roster = run_solve(inst, time_limit, workers, seed, gap)
    try:
        output.write_text(roster.model_dump_json(indent=2, exclude_none=True), encoding="utf-8")
    except OSError as err:
        fail("file_unwritable", str(output), err.strerror or type(err).__name__)
    if not quiet:
        print_result(inst, roster, 0)
    console.print(f"wrote {output}")
    if not roster.assignments and roster.solve and roster.solve.status not in ("OPTIMAL", "FEASIBLE"):
        raise typer.Exit(1)


@app.command()
def check(
    instance: Path = typer.Argument(...),
    roster: Path = typer.Argument(...),
    as_json: bool = typer.Option(False, "--json", help="print the checked roster as JSON"),
) -> None:
    """Check any roster against the instance's rules: exit 0 lawful, 1 violations, 2 bad input."""
    from solver import check as check_roster

    inst = load_instance_or_exit(instance)
    data = read_json_or_exit(roster)
    try:
        given = parse_model(Roster, data)
    except InstanceError as err:
        fail_input(err)
    bad = roster_problems(inst, given)  # unknown staff or shifts, dates outside the period: bad input, not violations
    if bad:
        fail_input(InstanceError(bad))
    result = check_roster(inst, given)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2, exclude_none=True) + "\n")
    else:
        console.print(score_table(result))
        hard = [v for v in result.violations if v.level == "REQUIRED"]
        for v in hard[:200]:
            console.print(
                f"{v.rule}  staff={v.staff}  dates={','.join(d.isoformat() for d in v.dates[:4])}"
                f"{'…' if len(v.dates) > 4 else ''}  {v.detail}",
                markup=False,
            )
        console.print(kpi_table(result))
    raise typer.Exit(0 if result.lawful else 1)


@app.command()
def schema(what: str = typer.Argument("instance", help="instance | roster")) -> None:
    """Print the JSON Schema of the instance (or roster) format."""
    model = {"instance": Instance, "roster": Roster}.get(what)
    if model is None:
        err_console.print(f"error unknown_schema: {what!r} (use instance or roster)")
        raise typer.Exit(2)
    sys.stdout.write(json.dumps(model.model_json_schema(), indent=2) + "\n")


@app.command()
def generate(
    size: str = typer.Option("medium", "--size", help="small | medium | large"),
    weeks: int = typer.Option(6, "--weeks", min=1, max=53),
    seed: int = typer.Option(1, "--seed"),
    output: Path = typer.Option(..., "-o", "--output"),
    tasks: bool = typer.Option(False, "--tasks", help="add users and tasks (oppgavedeling)"),
    cyclic: bool = typer.Option(False, "--cyclic", help="a grunnturnus: the plan repeats (period.cyclic)"),
) -> None:
    """Write a seeded synthetic unit (small ~12, medium ~35, large ~120 staff over several wards); `--cyclic`
    makes it a grunnturnus."""
    from models.generate import generate_dict

    if size not in ("small", "medium", "large"):
        err_console.print(f"error invalid_value at --size: {size!r} is not small, medium or large")
        raise typer.Exit(2)
    check_output_or_exit(output)
    data = generate_dict(size, weeks, seed)
    if cyclic:
        data = as_grunnturnus(data)
    if tasks:
        try:
            from models.tasks_generate import add_tasks  # provided by the task-allocation module
        except ImportError:
            err_console.print("error not_available at --tasks: task generation is not installed")
            raise typer.Exit(2) from None
        data = add_tasks(data, seed)
    output.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    console.print(f"wrote {output} ({len(data['staff'])} staff, {weeks} weeks)")


def as_grunnturnus(data: dict) -> dict:
    """A generated unit as a grunnturnus (`period.cyclic`): a plan for ordinary weeks that repeats, so without what
    belongs to dated weeks (ferie and other absences, wishes for a date, history); those are entered when the plan
    is rolled over the calendar."""
    out = {**data, "period": {**data["period"], "cyclic": True}}
    out.pop("history", None)
    out.pop("history_start", None)
    out["staff"] = [
        {**p, "absences": [], "wishes": [w for w in p.get("wishes", []) if "date" not in w]} for p in data["staff"]
    ]
    return out


def _register_plugins() -> None:
    from . import commands

    for mod in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"{commands.__name__}.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_plugins()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    try:
        app()
    except ModuleNotFoundError as err:  # an optional extra imported late by a command: one line, not a traceback
        from api.extras import from_error

        line = from_error(sys.argv[1] if len(sys.argv) > 1 else "turnus", err)
        if line is None:
            raise
        sys.stderr.write(line + "\n")
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    main()
