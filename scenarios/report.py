"""Write the scenario comparison: kpis.json, kpis.csv and a self-contained report.html.

The HTML has no outside references (plots are base64 PNG, the good-shift calendars inline SVG) so it can be
mailed or archived. Every number in it is read from the checked rosters' KPIs (`ScenarioResult.kpis`); the
sentences are generated from the same numbers so a planner can read who wins on what without the tables.
The page is the jinja2 template `templates/report.html` (autoescaped); this module computes what it shows.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .kpis import CRITERIA, CRITERIA_TEXT, HEADLINE
from .runner import ScenarioResult
from .spec import ScenarioFile
from .variants import ordinal


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    fmt: str  # pct (share 0..1), pos (percent 0..100), hours, int, num
    direction: int  # +1 higher is better, -1 lower is better, 0 neutral
    words: str  # what it means, for the planner
    tol: float  # differences smaller than this are "the same"


KPIS: list[Kpi] = [
    Kpi("good_shift_share", "Good shifts", "pct", 1, "share of shifts that meet all five good-shift criteria", 0.005),
    Kpi("heltidsandel", "Heltidsandel", "pct", 1, "share of staff in a full-time (100 %) position", 0.005),
    Kpi("mean_position_pct", "Mean position", "pos", 1, "average position size (stillingsprosent)", 0.05),
    Kpi("vacant_hours", "Vacant hours", "hours", -1, "hours of shifts still lacking a person (left for temps)", 0.5),
    Kpi(
        "unfilled_slots",
        "Unfilled slots",
        "int",
        -1,
        "people missing below a bemanningsplan minimum, summed over competence slots",
        0.5,
    ),
    Kpi(
        "competence_met_share",
        "Competence met",
        "pct",
        1,
        "share of shifts where every competence slot is filled",
        0.005,
    ),
    Kpi(
        "formal_competence_hours_share",
        "Formal competence hours",
        "pct",
        1,
        "share of worked hours done by staff with formal health education",
        0.005,
    ),
    Kpi(
        "weekend_frequency",
        "Weekend interval",
        "num",
        1,
        "staff work on average every N-th weekend (higher means fewer weekends)",
        0.05,
    ),
    Kpi(
        "nights_per_person_sd", "Night spread (sd)", "num", -1, "how unevenly night shifts are spread over staff", 0.05
    ),
    Kpi("quick_returns", "Sein-tidlig", "int", -1, "late shift followed by an early shift next morning", 0.5),
    Kpi(
        "distinct_carers_per_user_14d",
        "Carers per user (14 d)",
        "num",
        -1,
        "different staff each user meets over 14 days",
        0.05,
    ),
]
EXTRA = [
    Kpi(
        "weekend_people_needed",
        "People needed for weekends",
        "int",
        0,
        "every N-th weekend × people a weekend day needs: the smallest weekend rota",
        0.5,
    ),
    Kpi(
        "implied_mean_position_pct",
        "Position if staffed to that",
        "pos",
        0,
        "the demanded hours spread over exactly that many people",
        0.05,
    ),
]
KPI = {k.key: k for k in KPIS + EXTRA}


def fmt(key: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    k = KPI.get(key)
    f = k.fmt if k else ("pct" if key.endswith("_share") else "num")
    if f == "pct":
        return f"{100 * value:.1f} %"
    if f == "pos":
        return f"{value:.1f} %"
    if f == "hours":
        return f"{value:,.1f} h".replace(",", " ")
    if f == "int":
        return f"{value:.0f}"
    return f"{value:.2f}"


def delta_words(key: str, a: float, b: float) -> str:
    """'raises mean position from 62.0 % to 68.0 %' style phrase for a change a -> b."""
    k = KPI[key]
    verb = "raises" if b > a else "lowers"
    if k.fmt == "hours" or k.fmt == "int":
        verb = "adds" if b > a else "cuts"
        diff = abs(b - a)
        unit = " h" if k.fmt == "hours" else ""
        return f"{verb} {diff:,.0f}{unit} {k.label.lower()} ({fmt(key, a)} → {fmt(key, b)})".replace(",", " ")
    return f"{verb} {k.label.lower()} from {fmt(key, a)} to {fmt(key, b)}"


def comparable(r: ScenarioResult) -> bool:
    return r.error is None and bool(r.roster.assignments)


def compare(prev: ScenarioResult, cur: ScenarioResult) -> tuple[list[str], list[str]]:
    """(gains, costs) of `cur` against `prev`, as phrases, most important KPIs first."""
    gains, costs = [], []
    for k in KPIS:
        if k.direction == 0 or k.key not in prev.kpis or k.key not in cur.kpis:
            continue
        a, b = prev.kpis[k.key], cur.kpis[k.key]
        if abs(b - a) < k.tol:
            continue
        better = (b - a) * k.direction > 0
        (gains if better else costs).append(delta_words(k.key, a, b))
    return gains, costs


def winners(results: list[ScenarioResult]) -> list[Markup]:
    """One sentence per headline KPI: which scenario is best, against the base."""
    rs = [r for r in results if r.kind != "curve" and comparable(r)]
    if len(rs) < 2:
        return []
    base = rs[0]
    out = []
    for k in KPIS:
        if k.direction == 0 or not all(k.key in r.kpis for r in rs):
            continue
        vals = [r.kpis[k.key] for r in rs]
        best = max(vals) if k.direction > 0 else min(vals)
        if all(abs(v - best) < k.tol for v in vals):
            out.append(Markup("<b>{}</b>: all scenarios are equal ({}).").format(k.label, fmt(k.key, best)))
            continue
        tops = [r.name for r in rs if abs(r.kpis[k.key] - best) < k.tol]
        who = Markup(", ").join(Markup("<b>{}</b>").format(n) for n in tops)
        text = Markup("<b>{}</b> ({}): best is {} with {}").format(k.label, k.words, who, fmt(k.key, best))
        if base.name not in tops:
            text += Markup(", against {} in {}").format(fmt(k.key, base.kpis[k.key]), base.name)
        out.append(text + ".")
    return out


def overall(results: list[ScenarioResult]) -> Markup | None:
    """The scenario that wins most headline KPIs (ties by good shifts, then vacant hours)."""
    rs = [r for r in results if r.kind != "curve" and comparable(r)]
    if len(rs) < 2:
        return None
    wins = {r.name: 0 for r in rs}
    differing = 0
    for k in KPIS:
        if k.direction == 0 or not all(k.key in r.kpis for r in rs):
            continue
        vals = [r.kpis[k.key] for r in rs]
        best = max(vals) if k.direction > 0 else min(vals)
        if all(abs(v - best) < k.tol for v in vals):
            continue
        differing += 1
        for r in rs:
            if abs(r.kpis[k.key] - best) < k.tol:
                wins[r.name] += 1
    top = max(rs, key=lambda r: (wins[r.name], r.kpis.get("good_shift_share", 0), -r.kpis.get("vacant_hours", 0)))
    return Markup(
        "Overall, <b>{}</b> is best on {} of the {} measures where the scenarios differ, with {} good shifts and {} "
        "left vacant."
    ).format(
        top.name,
        wins[top.name],
        differing,
        fmt("good_shift_share", top.kpis.get("good_shift_share")),
        fmt("vacant_hours", top.kpis.get("vacant_hours")),
    )


def variant_sentence(base: ScenarioResult, r: ScenarioResult) -> Markup:
    if not comparable(r):
        why = (
            r.error or f"the solver found no roster within the time limit ({r.status}); a longer --time-limit may help"
        )
        s = Markup("<b>{}</b> gave no usable roster: {}. All {} demanded slots stay unfilled.").format(
            r.name, why, fmt("unfilled_slots", r.kpis.get("unfilled_slots"))
        )
        if r.roster.conflicts:
            s += Markup(" Conflicting rules: {}.").format(", ".join(sorted({c.rule for c in r.roster.conflicts})))
        return s
    gains, costs = compare(base, r)
    s = Markup("<b>{}</b> compared with {}: ").format(r.name, base.name)
    if not gains and not costs:
        return s + "no measurable difference."
    if gains:
        s += "it " + ", ".join(gains[:4])
    if costs:
        s += ("; but it " if gains else "it ") + ", ".join(costs[:3])
    s += "."
    if not r.roster.lawful:
        s += Markup(" <span class=bad>The roster breaks required rules (see details).</span>")
    return s


# --------------------------------------------------------------------------------------------------- plots


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_overview(rs: list[ScenarioResult]) -> str:
    plt = _plt()
    names = [r.name for r in rs]
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.6))
    keys = [
        ("good_shift_share", "good shifts"),
        ("competence_met_share", "competence met"),
        ("heltidsandel", "heltidsandel"),
    ]
    w = 0.8 / len(keys)
    for i, (k, label) in enumerate(keys):
        axes[0].bar([x + i * w for x in range(len(rs))], [100 * r.kpis.get(k, 0) for r in rs], w, label=label)
    axes[0].set_xticks([x + w for x in range(len(rs))], names, rotation=25, ha="right")
    axes[0].set_ylabel("%")
    axes[0].set_ylim(0, 105)
    axes[0].legend(fontsize=8, loc="lower right")
    axes[0].set_title("Quality and heltid (higher is better)")
    axes[1].bar(names, [r.kpis.get("vacant_hours", 0) for r in rs], color="#c0504d")
    axes[1].set_ylabel("hours")
    axes[1].set_title("Vacant hours left for temps (lower is better)")
    _slant_labels(axes[1], 25)
    fig.tight_layout()
    return _png(fig)


def _slant_labels(ax, degrees: int) -> None:
    """Long scenario names: slant the x labels and anchor them at their right end under the tick."""
    ax.tick_params(axis="x", rotation=degrees)
    for lbl in ax.get_xticklabels():
        lbl.set_ha("right")


def plot_staircase(steps: list[ScenarioResult]) -> str:
    plt = _plt()
    names = [r.name for r in steps]
    fig, ax = plt.subplots(figsize=(12, 3.6))
    vac = [r.kpis.get("vacant_hours", 0) for r in steps]
    ax.bar(names, vac, color="#e6b8b7", label="vacant hours")
    ax.set_ylabel("vacant hours")
    ax2 = ax.twinx()
    ax2.step(
        range(len(steps)),
        [100 * r.kpis.get("good_shift_share", 0) for r in steps],
        where="mid",
        marker="o",
        color="#1f77b4",
        label="good shifts %",
    )
    ax2.step(
        range(len(steps)),
        [r.kpis.get("mean_position_pct", 0) for r in steps],
        where="mid",
        marker="s",
        color="#2ca02c",
        label="mean position %",
    )
    ax2.set_ylim(0, 105)
    ax2.set_ylabel("%")
    _slant_labels(ax, 20)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper right")
    ax.set_title("Gains staircase: each step against the one before")
    fig.tight_layout()
    return _png(fig)


def plot_curve(points: list[ScenarioResult]) -> str:
    plt = _plt()
    ns = [r.curve_n for r in points]
    fig, ax = plt.subplots(figsize=(12, 3.6))
    ax.plot(ns, [r.kpis.get("mean_position_pct", 0) for r in points], "o-", color="#2ca02c", label="mean position %")
    ax.plot(ns, [100 * r.kpis.get("heltidsandel", 0) for r in points], "s-", color="#1f77b4", label="heltidsandel %")
    ax.plot(ns, [100 * r.kpis.get("good_shift_share", 0) for r in points], "^-", color="#9467bd", label="good shifts %")
    ax.plot(
        ns,
        [min(105, r.kpis.get("implied_mean_position_pct", 0)) for r in points],
        "o--",
        color="#7f7f7f",
        label="position if staffed to the weekend need %",
    )
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.set_xlabel("weekend every N-th week")
    ax.set_xticks(ns)
    ax2 = ax.twinx()
    ax2.bar(
        ns,
        [r.kpis.get("vacant_hours", 0) for r in points],
        width=0.3,
        alpha=0.35,
        color="#c0504d",
        label="vacant hours",
    )
    ax2.set_ylabel("vacant hours")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper right")
    ax.set_title("Weekend trade-off: how often staff work weekends against position size")
    fig.tight_layout()
    return _png(fig)


def calendar(r: ScenarioResult) -> dict[str, Any] | None:
    """Dates × shift types for the template's calendar: green = good shift, amber = one criterion fails, red = two
    or more fail; grey columns are weekends, Mondays are labelled."""
    judged = r.judged
    if not judged:
        return None
    dates = sorted({j.date for j in judged})
    codes = [t.code for t in r.instance.shift_types]
    rows = sorted({(j.unit or "", j.shift) for j in judged}, key=lambda x: (x[0], codes.index(x[1])))
    cell, left, top = 14, 70, 16
    by = {(j.unit or "", j.shift, j.date): j for j in judged}
    columns = []
    for c, d in enumerate(dates):
        day = dt.date.fromisoformat(d)
        columns.append(
            {
                "x": left + c * cell,
                "weekend": day.weekday() >= 5,
                "label": f"{day.day}.{day.month}" if day.weekday() == 0 else "",
            }
        )
    out_rows = []
    for i, (unit, code) in enumerate(rows):
        label = f"{unit} {code}".strip()
        squares = []
        for c, d in enumerate(dates):
            j = by.get((unit, code, d))
            if j is None:
                continue
            fails = [CRITERIA_TEXT[k] for k, ok in j.checks.items() if not ok]
            color = "#4caf50" if not fails else "#ffb300" if len(fails) == 1 else "#e53935"
            tip = f"{d} {label}: " + ("good shift" if not fails else "; ".join(fails))
            squares.append({"x": left + c * cell, "color": color, "tip": tip})
        out_rows.append({"y": top + i * cell, "label": label, "squares": squares})
    return {
        "cell": cell,
        "width": left + cell * len(dates) + 4,
        "height": top + cell * len(rows) + 4,
        "columns": columns,
        "rows": out_rows,
    }


# --------------------------------------------------------------------------------------------------- files


def kpi_rows(results: list[ScenarioResult]) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        row: dict[str, Any] = {
            "name": r.name,
            "kind": r.kind,
            "status": r.status,
            "lawful": r.roster.lawful,
            "solver_limited": r.solver_limited,
        }
        if r.curve_n is not None:
            row["weekend_every_n"] = r.curve_n
        for k in HEADLINE:
            row[k] = r.kpis.get(k)
        for k in sorted(r.kpis):
            if k not in row:
                row[k] = r.kpis[k]
        row["changes"] = r.changes
        row["raised_positions"] = [
            {
                "staff": c.staff,
                "group": c.group,
                "from_pct": c.from_pct,
                "to_pct": c.to_pct,
                "desired_pct": c.desired_pct,
                "extra_hours": c.extra_hours,
            }
            for c in r.raises
        ]
        row["conflicts"] = [c.model_dump() for c in r.roster.conflicts]
        if r.error:
            row["error"] = r.error
        rows.append(row)
    return rows


def write_json(rows: list[dict[str, Any]], path: Path) -> None:
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    cols: list[str] = []
    for row in rows:
        for k, v in row.items():
            if k not in cols and not isinstance(v, (list, dict)):
                cols.append(k)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow({k: row.get(k) for k in cols})


def staircase_steps(spec: ScenarioFile, results: list[ScenarioResult]) -> list[ScenarioResult]:
    by = {r.name: r for r in results if r.kind != "curve"}
    order = spec.staircase or [r.name for r in results if r.kind != "curve"]
    if order[0] != spec.base_name:
        order = [spec.base_name] + [n for n in order if n != spec.base_name]
    return [by[n] for n in order if n in by]


def _cls(results: list[ScenarioResult], r: ScenarioResult, k: Kpi) -> str:
    rs = [x for x in results if comparable(x) and k.key in x.kpis]
    if not comparable(r) or len(rs) < 2 or k.direction == 0 or k.key not in r.kpis:
        return "n"
    vals = [x.kpis[k.key] for x in rs]
    best = max(vals) if k.direction > 0 else min(vals)
    worst = min(vals) if k.direction > 0 else max(vals)
    if abs(best - worst) < k.tol:
        return "n"
    if abs(r.kpis[k.key] - best) < k.tol:
        return "n best"
    if abs(r.kpis[k.key] - worst) < k.tol:
        return "n worst"
    return "n"


FAIRNESS = (
    "nights_per_person_mean",
    "nights_per_person_sd",
    "nights_per_person_max",
    "weekends_per_person_mean",
    "weekends_per_person_sd",
    "quick_returns_per_person_mean",
    "quick_returns_per_person_sd",
    "quick_returns_per_person_max",
)
CURVE_KPIS = (
    "weekend_people_needed",
    "implied_mean_position_pct",
    "mean_position_pct",
    "heltidsandel",
    "vacant_hours",
    "good_shift_share",
    "weekend_frequency",
)


@cache
def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("scenarios", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(fmt=fmt, comparable=comparable, cell_class=_cls)
    return env


def staircase(spec: ScenarioFile, results: list[ScenarioResult]) -> dict[str, Any] | None:
    """The staircase table: each step against the last step before it that has a roster."""
    steps = staircase_steps(spec, results)
    if len(steps) < 2:
        return None
    rows = []
    prev = steps[0]
    for step in steps[1:]:
        gains, costs = compare(prev, step) if comparable(step) and comparable(prev) else ([], ["no usable roster"])
        rows.append({"result": step, "prev": prev, "gains": gains, "costs": costs})
        if comparable(step):
            prev = step
    return {"start": steps[0], "steps": rows, "charted": [r for r in steps if comparable(r)]}


def details(r: ScenarioResult) -> dict[str, Any]:
    """What went wrong in one scenario: unfilled demand, broken required rules, conflicting rules."""
    unfilled: dict[tuple[str, str], int] = {}
    for u in r.roster.unfilled:
        unfilled[u.shift, u.slot] = unfilled.get((u.shift, u.slot), 0) + u.missing
    broken: dict[str, int] = {}
    for v in r.roster.violations:
        if v.level == "REQUIRED":
            broken[v.rule] = broken.get(v.rule, 0) + 1
    return {
        "result": r,
        "unfilled": [(shift, slot, n) for (shift, slot), n in sorted(unfilled.items(), key=lambda kv: -kv[1])],
        "broken": sorted(broken.items()),
        "conflicts": sorted({f"{c.rule} ({c.staff})" if c.staff else c.rule for c in r.roster.conflicts}),
    }


def write_html(
    spec: ScenarioFile,
    results: list[ScenarioResult],
    path: Path,
    *,
    time_limit_s: float,
    workers: int | None,
    source: str = "",
) -> None:
    main = [r for r in results if r.kind != "curve"]
    curve = sorted((r for r in results if r.kind == "curve"), key=lambda r: r.curve_n or 0)
    base = main[0]
    points = [r for r in curve if comparable(r)]
    charted = [r for r in main if comparable(r)]
    findings = [s for s in [overall(results)] if s] + [variant_sentence(base, r) for r in main[1:]]
    if len(points) >= 2:
        findings.append(curve_sentence(points))
    stairs = staircase(spec, results)
    page = (
        _templates()
        .get_template("report.html")
        .render(
            spec=spec,
            inst=base.instance,
            main=main,
            curve=curve,
            source=source,
            time_limit_s=time_limit_s,
            kpis=[k for k in KPIS if any(k.key in r.kpis for r in results)],
            curve_kpis=[KPI[k] for k in CURVE_KPIS if k in KPI],
            findings=findings,
            winners=winners(results),
            charted=len(charted),
            overview_png=plot_overview(charted) if charted else None,
            staircase=stairs,
            staircase_png=plot_staircase(stairs["charted"]) if stairs and len(stairs["charted"]) > 1 else None,
            curve_text=curve_sentence(points) if len(points) >= 2 else None,
            curve_png=plot_curve(points) if len(points) >= 2 else None,
            criteria=CRITERIA,
            criteria_text=CRITERIA_TEXT,
            calendars=[calendar(r) for r in main],
            fairness_keys=FAIRNESS,
            details=[details(r) for r in main + curve],
        )
    )
    path.write_text(page, encoding="utf-8")


def curve_sentence(curve: list[ScenarioResult]) -> str:
    lo, hi = curve[0], curve[-1]
    best_pos = max(curve, key=lambda r: (r.kpis.get("mean_position_pct", 0), -(r.curve_n or 0)))
    least_vac = min(curve, key=lambda r: (r.kpis.get("vacant_hours", 0), r.curve_n or 0))

    def pos(r: ScenarioResult, key: str = "mean_position_pct") -> str:
        return fmt("mean_position_pct", r.kpis.get(key))

    def hours(r: ScenarioResult, key: str = "vacant_hours") -> str:
        return fmt("vacant_hours", r.kpis.get(key))

    def people(r: ScenarioResult, key: str = "weekend_people_needed") -> str:
        return f"{r.kpis.get(key, 0):.0f}"

    return (
        f"With weekends every {ordinal(lo.curve_n)} week the mean position is {pos(lo)} and {hours(lo)} "
        f"stay vacant; every {ordinal(hi.curve_n)} week gives {pos(hi)} and {hours(hi)} vacant. "
        f"Every {ordinal(lo.curve_n)} weekend needs at least {people(lo)} people on "
        f"the weekend rota ({people(lo, 'weekend_people_per_day')} per weekend day); the unit's "
        f"{hours(lo, 'demand_hours')} of demanded shifts spread over that many would average "
        f"{pos(lo, 'implied_mean_position_pct')} positions. Every {ordinal(hi.curve_n)} "
        f"weekend needs {people(hi)} people ({pos(hi, 'implied_mean_position_pct')}); "
        f"the unit has {len(lo.instance.staff)} staff. "
        f"The largest positions come with every {ordinal(best_pos.curve_n)} weekend "
        f"({pos(best_pos)}, heltidsandel {fmt('heltidsandel', best_pos.kpis.get('heltidsandel'))}); "
        f"the fewest vacant hours with every {ordinal(least_vac.curve_n)} weekend."
    )


def write_report(
    spec: ScenarioFile,
    results: list[ScenarioResult],
    outdir: Path,
    *,
    time_limit_s: float,
    workers: int | None = None,
    source: str = "",
) -> dict[str, Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    rows = kpi_rows(results)
    paths = {"json": outdir / "kpis.json", "csv": outdir / "kpis.csv", "html": outdir / "report.html"}
    write_json(rows, paths["json"])
    write_csv(rows, paths["csv"])
    write_html(spec, results, paths["html"], time_limit_s=time_limit_s, workers=workers, source=source)
    rosters = outdir / "rosters"
    rosters.mkdir(exist_ok=True)
    for r in results:  # the checked roster and the changed unit of every scenario, to open with turnus check
        slug = "".join(c if c.isalnum() or c in "-_" else "_" for c in r.name)
        (rosters / f"{slug}.roster.json").write_text(
            r.roster.model_dump_json(indent=1, exclude_none=True), encoding="utf-8"
        )
        (rosters / f"{slug}.unit.json").write_text(
            r.instance.model_dump_json(indent=1, exclude_none=True), encoding="utf-8"
        )
    return paths
