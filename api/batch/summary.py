"""The batch summary: `summary.csv` (one row per job) and `summary.html` (the same table, the failed jobs with
their errors, each scenario file's variants side by side with a link to its own report, and two plots a planner
reads faster than the table: unfilled demand and heltidsandel per job).

Built from the result files alone, so a resumed run's summary covers the jobs of every earlier run too.
"""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined

from .results import write_private

COLUMNS = (
    "name",
    "kind",
    "status",
    "lawful",
    "score_total",
    "hard",
    "unfilled_score",
    "soft",
    "unfilled",
    "heltidsandel",
    "competence_met_share",
    "weekend_frequency",
    "quick_returns",
    "contract_hours_abs_dev_mean",
    "solve_status",
    "time_limit_s",
    "wall_s",
    "attempts",
    "error",
    "roster_file",
)
KPI_COLUMNS = (
    "heltidsandel",
    "competence_met_share",
    "weekend_frequency",
    "quick_returns",
    "contract_hours_abs_dev_mean",
)


def row_of(rec: dict[str, Any]) -> dict[str, Any]:
    score = rec.get("score") or {}
    kpis = rec.get("kpis") or {}
    error = rec.get("error") or {}
    row = {
        "name": rec["name"],
        "kind": rec.get("kind"),
        "status": rec.get("status"),
        "lawful": rec.get("lawful"),
        "score_total": score.get("total"),
        "hard": score.get("hard"),
        "unfilled_score": score.get("unfilled"),
        "soft": score.get("soft"),
        "unfilled": rec.get("unfilled"),
        "solve_status": rec.get("solve_status"),
        "time_limit_s": rec.get("time_limit_s"),
        "wall_s": rec.get("wall_s"),
        "attempts": rec.get("attempts"),
        "error": error.get("code"),
        "roster_file": rec.get("roster_file") or rec.get("report"),
    }
    for k in KPI_COLUMNS:
        row[k] = kpis.get(k)
    return row


def write_csv(records: list[dict[str, Any]], path: Path) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for rec in records:
        w.writerow({k: "" if v is None else v for k, v in row_of(rec).items()})
    write_private(path, buf.getvalue())


def _plot(names: list[str], values: list[float], colours: list[str], xlabel: str, fmt: str) -> str | None:
    if not names:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(names) + 1.0))
    ax.barh(names[::-1], values[::-1], color=colours[::-1])
    for y, v in enumerate(values[::-1]):
        ax.text(v, y, " " + format(v, fmt), va="center", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.15)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def plots(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    done = [r for r in records if r.get("status") == "COMPLETED" and r.get("score") is not None]
    colours = ["#2e7d32" if r.get("lawful") else "#c62828" for r in done]
    out = []
    unfilled = _plot(
        [r["name"] for r in done],
        [float(r.get("unfilled") or 0) for r in done],
        colours,
        "people missing below the bemanningsplan minimum (green: lawful roster, red: rules broken)",
        ".0f",
    )
    if unfilled:
        out.append({"title": "Unfilled demand per job", "src": unfilled})
    helt = [r for r in done if "heltidsandel" in (r.get("kpis") or {})]
    heltid = _plot(
        [r["name"] for r in helt],
        [100 * float(r["kpis"]["heltidsandel"]) for r in helt],
        ["#1565c0"] * len(helt),
        "heltidsandel: share of staff in a full-time position (%)",
        ".0f",
    )
    if heltid:
        out.append({"title": "Heltidsandel per job", "src": heltid})
    return out


TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f3f3f3} td.l,th.l{text-align:left}
tr.FAILED td{background:#fdecea} .bad{color:#c62828} .ok{color:#2e7d32}
.small{color:#666;font-size:13px}
</style></head><body>
<h1>{{ title }}</h1>
<p>{{ counts.total }} jobs: {{ counts.completed }} completed, {{ counts.failed }} failed{% if counts.missing %},
{{ counts.missing }} not run yet (run again with --resume){% endif %}. Lawful rosters: {{ counts.lawful }}.
{% if deadline %}Deadline {{ deadline }}.{% endif %} Wall time of the last run {{ wall }} s on {{ cpus }} CPUs.</p>
<table>
<tr>{% for c in ["job", "kind", "status", "lawful", "score", "unfilled", "heltid", "competence met",
"weekends", "quick returns", "limit s", "time s", "attempts", "result"] %}
<th{{ ' class="l"' | safe if loop.index < 4 else "" }}>{{ c }}</th>
{% endfor %}</tr>
{% for r in rows %}
<tr class="{{ r.status }}"><td class="l">{{ r.name }}</td><td class="l">{{ r.kind }}</td>
<td class="l">{{ r.status }}{% if r.error %} ({{ r.error }}){% endif %}</td>
<td class="{{ 'ok' if r.lawful else 'bad' }}">{{ "yes" if r.lawful else ("no" if r.lawful is not none else "") }}</td>
<td>{{ num(r.score_total) }}</td><td>{{ num(r.unfilled) }}</td><td>{{ pct(r.heltidsandel) }}</td>
<td>{{ pct(r.competence_met_share) }}</td><td>{{ num(r.weekend_frequency, 2) }}</td><td>{{ num(r.quick_returns) }}</td>
<td>{{ num(r.time_limit_s, 1) }}</td><td>{{ num(r.wall_s, 1) }}</td><td>{{ r.attempts }}</td>
<td class="l">{% if r.roster_file %}<a href="{{ r.roster_file }}">{{ r.roster_file }}</a>{% endif %}</td></tr>
{% endfor %}
</table>
{% for p in plots %}<h2>{{ p.title }}</h2><img alt="{{ p.title }}" src="{{ p.src }}">{% endfor %}
{% if scenario_jobs %}<h2>Scenario comparisons</h2>{% endif %}
{% for s in scenario_jobs %}
<h3>{{ s.name }} <span class="small">(<a href="{{ s.report }}">full report</a>)</span></h3>
<table><tr><th class="l">variant</th><th class="l">status</th><th>lawful</th><th>score</th><th>unfilled</th>
<th>good shifts</th><th>heltid</th><th>vacant h</th><th>weekends</th><th class="l">note</th></tr>
{% for v in s.variants %}
<tr><td class="l">{{ v.variant }}</td><td class="l">{{ v.status }}</td>
<td class="{{ 'ok' if v.lawful else 'bad' }}">{{ "yes" if v.lawful else "no" }}</td>
<td>{{ num(v.score.total) }}</td><td>{{ num(v.unfilled) }}</td>
<td>{{ pct(v.scenario_kpis.get("good_shift_share")) }}</td><td>{{ pct(v.scenario_kpis.get("heltidsandel")) }}</td>
<td>{{ num(v.scenario_kpis.get("vacant_hours"), 1) }}</td>
<td>{{ num(v.scenario_kpis.get("weekend_frequency"), 2) }}</td>
<td class="l">{{ v.error or v.solver_limited or "" }}</td></tr>
{% endfor %}</table>
{% endfor %}
{% if failed %}<h2>Failed jobs</h2>{% endif %}
{% for f in failed %}
<h3>{{ f.name }}: {{ f.error.code }}</h3><p>{{ f.error.detail }}{% if f.get("first_error") %} (first attempt:
{{ f.first_error.code }}){% endif %}</p>
{% if f.error.get("errors") %}<ul>{% for e in f.error.errors %}
<li><code>{{ e.code }}</code> at {{ e.loc }}: {{ e.message }}</li>
{% endfor %}</ul>{% endif %}
{% endfor %}
<p class="small">Scores are the checker's (hard · unfilled demand · soft); unfilled counts people missing below a
slot's minimum. Written by turnus batch; the numbers come from the result files in this folder.</p>
</body></html>
"""


def _num(v: Any, digits: int = 0) -> str:
    if v is None or v == "":
        return ""
    return f"{float(v):,.{digits}f}".replace(",", " ")


def _pct(v: Any) -> str:
    return "" if v is None else f"{100 * float(v):.1f} %"


def write_html(
    records: list[dict[str, Any]],
    path: Path,
    *,
    title: str,
    expected: list[str],
    wall_s: float,
    cpus: float,
    deadline: str | None,
) -> None:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(num=_num, pct=_pct)
    names = {r["name"] for r in records}
    counts = {
        "total": len(set(expected) | names),
        "completed": sum(1 for r in records if r.get("status") == "COMPLETED"),
        "failed": sum(1 for r in records if r.get("status") == "FAILED"),
        "lawful": sum(1 for r in records if r.get("lawful")),
        "missing": len(set(expected) - names),
    }
    html = env.from_string(TEMPLATE).render(
        title=title,
        counts=counts,
        rows=[row_of(r) for r in records],
        plots=plots(records),
        scenario_jobs=[r for r in records if r.get("variants")],
        failed=[r for r in records if r.get("status") == "FAILED"],
        deadline=deadline,
        wall=f"{wall_s:.0f}",
        cpus=f"{cpus:g}",
    )
    write_private(path, html)


def write_summary(
    records: dict[str, dict[str, Any]],
    outdir: Path,
    *,
    title: str,
    order: list[str],
    wall_s: float,
    cpus: float,
    deadline: str | None,
) -> dict[str, Path]:
    """summary.csv and summary.html, jobs in manifest order."""
    recs = [records[n] for n in order if n in records] + [r for n, r in records.items() if n not in order]
    paths = {"csv": outdir / "summary.csv", "html": outdir / "summary.html"}
    write_csv(recs, paths["csv"])
    write_html(recs, paths["html"], title=title, expected=order, wall_s=wall_s, cpus=cpus, deadline=deadline)
    return paths
