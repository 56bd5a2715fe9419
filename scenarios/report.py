"""Write the scenario comparison: kpis.json, kpis.csv and a self-contained report.html.

The HTML has no outside references (plots are base64 PNG, the good-shift calendars inline SVG) so it can be
mailed or archived. Every number in it is read from the checked rosters' KPIs (`ScenarioResult.kpis`); the
sentences are generated from the same numbers so a planner can read who wins on what without the tables.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .kpis import CRITERIA, CRITERIA_TEXT, HEADLINE
from .runner import ScenarioResult
from .spec import ScenarioFile


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
    Kpi("unfilled_slots", "Unfilled slots", "int", -1, "people missing below a bemanningsplan minimum, summed "
        "over competence slots", 0.5),
    Kpi("competence_met_share", "Competence met", "pct", 1, "share of shifts where every competence slot is filled",
        0.005),
    Kpi("formal_competence_hours_share", "Formal competence hours", "pct", 1,
        "share of worked hours done by staff with formal health education", 0.005),
    Kpi("weekend_frequency", "Weekend interval", "num", 1, "staff work on average every N-th weekend "
        "(higher means fewer weekends)", 0.05),
    Kpi("nights_per_person_sd", "Night spread (sd)", "num", -1, "how unevenly night shifts are spread over staff",
        0.05),
    Kpi("quick_returns", "Sein-tidlig", "int", -1, "late shift followed by an early shift next morning", 0.5),
    Kpi("distinct_carers_per_user_14d", "Carers per user (14 d)", "num", -1,
        "different staff each user meets over 14 days", 0.05),
]
EXTRA = [
    Kpi("weekend_people_needed", "People needed for weekends", "int", 0, "every N-th weekend × people a weekend "
        "day needs: the smallest weekend rota", 0.5),
    Kpi("implied_mean_position_pct", "Position if staffed to that", "pos", 0, "the demanded hours spread over "
        "exactly that many people", 0.05),
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


def winners(results: list[ScenarioResult]) -> list[str]:
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
            out.append(f"<b>{k.label}</b>: all scenarios are equal ({fmt(k.key, best)}).")
            continue
        tops = [r.name for r in rs if abs(r.kpis[k.key] - best) < k.tol]
        who = ", ".join(f"<b>{html.escape(n)}</b>" for n in tops)
        text = f"<b>{k.label}</b> ({k.words}): best is {who} with {fmt(k.key, best)}"
        if base.name not in tops:
            text += f", against {fmt(k.key, base.kpis[k.key])} in {html.escape(base.name)}"
        out.append(text + ".")
    return out


def overall(results: list[ScenarioResult]) -> str | None:
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
    return (f"Overall, <b>{html.escape(top.name)}</b> is best on {wins[top.name]} of the {differing} measures "
            f"where the scenarios differ, with {fmt('good_shift_share', top.kpis.get('good_shift_share'))} good shifts and "
            f"{fmt('vacant_hours', top.kpis.get('vacant_hours'))} left vacant.")


def variant_sentence(base: ScenarioResult, r: ScenarioResult) -> str:
    if not comparable(r):
        why = r.error or f"the solver found no roster within the time limit ({r.status}); a longer --time-limit may help"
        s = (f"<b>{html.escape(r.name)}</b> gave no usable roster: {html.escape(why)}. "
             f"All {fmt('unfilled_slots', r.kpis.get('unfilled_slots'))} demanded slots stay unfilled.")
        if r.roster.conflicts:
            s += " Conflicting rules: " + html.escape(", ".join(sorted({c.rule for c in r.roster.conflicts}))) + "."
        return s
    gains, costs = compare(base, r)
    s = f"<b>{html.escape(r.name)}</b> compared with {html.escape(base.name)}: "
    if not gains and not costs:
        return s + "no measurable difference."
    if gains:
        s += "it " + ", ".join(gains[:4])
    if costs:
        s += ("; but it " if gains else "it ") + ", ".join(costs[:3])
    s += "."
    if not r.roster.lawful:
        s += " <span class=bad>The roster breaks required rules (see details).</span>"
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
    keys = [("good_shift_share", "good shifts"), ("competence_met_share", "competence met"),
            ("heltidsandel", "heltidsandel")]
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
    ax2.step(range(len(steps)), [100 * r.kpis.get("good_shift_share", 0) for r in steps], where="mid",
             marker="o", color="#1f77b4", label="good shifts %")
    ax2.step(range(len(steps)), [r.kpis.get("mean_position_pct", 0) for r in steps], where="mid",
             marker="s", color="#2ca02c", label="mean position %")
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
    ax.plot(ns, [r.kpis.get("mean_position_pct", 0) for r in points], "o-", color="#2ca02c",
            label="mean position %")
    ax.plot(ns, [100 * r.kpis.get("heltidsandel", 0) for r in points], "s-", color="#1f77b4",
            label="heltidsandel %")
    ax.plot(ns, [100 * r.kpis.get("good_shift_share", 0) for r in points], "^-", color="#9467bd",
            label="good shifts %")
    ax.plot(ns, [min(105, r.kpis.get("implied_mean_position_pct", 0)) for r in points], "o--", color="#7f7f7f",
            label="position if staffed to the weekend need %")
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.set_xlabel("weekend every N-th week")
    ax.set_xticks(ns)
    ax2 = ax.twinx()
    ax2.bar(ns, [r.kpis.get("vacant_hours", 0) for r in points], width=0.3, alpha=0.35, color="#c0504d",
            label="vacant hours")
    ax2.set_ylabel("vacant hours")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper right")
    ax.set_title("Weekend trade-off: how often staff work weekends against position size")
    fig.tight_layout()
    return _png(fig)


def calendar_svg(r: ScenarioResult) -> str:
    """Dates × shift types: green = good shift, amber = one criterion fails, red = two or more fail."""
    judged = r.judged
    if not judged:
        return ""
    dates = sorted({j.date for j in judged})
    rows = sorted({(j.unit or "", j.shift) for j in judged},
                  key=lambda x: (x[0], [t.code for t in r.instance.shift_types].index(x[1])))
    cell, left, top = 14, 70, 16
    width, height = left + cell * len(dates) + 4, top + cell * len(rows) + 4
    by = {(j.unit or "", j.shift, j.date): j for j in judged}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="10">']
    for c, d in enumerate(dates):
        day = dt.date.fromisoformat(d)
        if day.weekday() >= 5:
            parts.append(f'<rect x="{left + c * cell}" y="0" width="{cell}" height="{height}" fill="#eee"/>')
        if day.weekday() == 0:
            parts.append(f'<text x="{left + c * cell + 1}" y="11">{day.day}.{day.month}</text>')
    for i, (unit, code) in enumerate(rows):
        label = f"{unit} {code}".strip()
        parts.append(f'<text x="2" y="{top + i * cell + 11}">{html.escape(label)}</text>')
        for c, d in enumerate(dates):
            j = by.get((unit, code, d))
            if j is None:
                continue
            fails = [CRITERIA_TEXT[k] for k, ok in j.checks.items() if not ok]
            color = "#4caf50" if not fails else "#ffb300" if len(fails) == 1 else "#e53935"
            tip = f"{d} {label}: " + ("good shift" if not fails else "; ".join(fails))
            parts.append(f'<rect x="{left + c * cell + 1}" y="{top + i * cell + 1}" width="{cell - 2}" '
                         f'height="{cell - 2}" fill="{color}"><title>{html.escape(tip)}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------- files

def kpi_rows(results: list[ScenarioResult]) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        row: dict[str, Any] = {"name": r.name, "kind": r.kind, "status": r.status, "lawful": r.roster.lawful}
        if r.curve_n is not None:
            row["weekend_every_n"] = r.curve_n
        for k in HEADLINE:
            row[k] = r.kpis.get(k)
        for k in sorted(r.kpis):
            if k not in row:
                row[k] = r.kpis[k]
        row["changes"] = r.changes
        row["raised_positions"] = [{"staff": c.staff, "group": c.group, "from_pct": c.from_pct, "to_pct": c.to_pct,
                                    "desired_pct": c.desired_pct, "extra_hours": c.extra_hours} for c in r.raises]
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


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;max-width:1300px;color:#222;
line-height:1.45;padding:0 16px}
h1{margin-bottom:4px} h2{margin-top:36px;border-bottom:2px solid #ddd;padding-bottom:4px} h3{margin-bottom:6px}
.sub{color:#666;margin-top:0}
table{border-collapse:collapse;margin:10px 0;font-size:14px} th,td{border:1px solid #ddd;padding:4px 8px}
th{background:#f4f6f8;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
td.best{background:#dff0d8;font-weight:600} td.worst{background:#f8e0e0}
ul.findings li{margin:4px 0} .bad{color:#b71c1c;font-weight:600} .good{color:#1b5e20}
.box{background:#f7f9fb;border:1px solid #dde3ea;border-radius:6px;padding:10px 16px}
img{max-width:100%} .legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-1px}
.small{font-size:13px;color:#555} .step{margin:6px 0}
"""


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


def kpi_table(results: list[ScenarioResult], kpis: list[Kpi]) -> str:
    head = "".join(f'<th title="{html.escape(k.words)}">{k.label}</th>' for k in kpis)
    out = [f"<table><tr><th>Scenario</th>{head}<th>Status</th></tr>"]
    for r in results:
        ok = comparable(r)
        cells = "".join(f'<td class="{_cls(results, r, k)}">'
                        f'{fmt(k.key, r.kpis.get(k.key)) if ok or k.key in ("unfilled_slots", "vacant_hours") else "–"}'
                        "</td>" for k in kpis)
        if not ok:
            status = f'<span class="bad">no roster</span> ({html.escape(r.status)})'
        else:
            status = html.escape(r.status) + ("" if r.roster.lawful else ' <span class="bad">rules broken</span>')
        out.append(f"<tr><td><b>{html.escape(r.name)}</b></td>{cells}<td>{status}</td></tr>")
    out.append("</table>")
    return "".join(out)


def write_html(spec: ScenarioFile, results: list[ScenarioResult], path: Path, *, time_limit_s: float,
               workers: int | None, source: str = "") -> None:
    main = [r for r in results if r.kind != "curve"]
    curve = sorted((r for r in results if r.kind == "curve"), key=lambda r: r.curve_n or 0)
    base = main[0]
    kpis = [k for k in KPIS if any(k.key in r.kpis for r in results)]
    inst = base.instance
    e = html.escape
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{e(spec.title or 'Scenarios')}</title>"
             f"<style>{CSS}</style></head><body>"]
    parts.append(f"<h1>{e(spec.title or 'Scenario comparison')}</h1>")
    parts.append(f'<p class=sub>Unit <b>{e(inst.name or inst.id)}</b>: {len(inst.staff)} staff, '
                 f'{inst.period.weeks} weeks from {inst.period.start}. {len(main)} scenarios'
                 f'{f" and a weekend curve over N = {min(r.curve_n for r in curve)}–{max(r.curve_n for r in curve)}" if curve else ""}'
                 f'. Each roster solved for up to {time_limit_s:g} s and re-checked by the independent checker. '
                 f'{e(source)}</p>')

    # ---- findings in words
    parts.append("<h2>In short</h2><div class=box><ul class=findings>")
    ov = overall(results)
    if ov:
        parts.append(f"<li>{ov}</li>")
    for r in main[1:]:
        parts.append(f"<li>{variant_sentence(base, r)}</li>")
    if len([r for r in curve if comparable(r)]) >= 2:
        parts.append(f"<li>{curve_sentence([r for r in curve if comparable(r)])}</li>")
    for r in main:
        if r.raises:
            gained = sum(c.to_pct - c.from_pct for c in r.raises)
            parts.append(f"<li>In <b>{e(r.name)}</b>, {len(r.raises)} part-timers would get a bigger position "
                         f"({gained:.0f} percentage points in all, {sum(c.extra_hours for c in r.raises):.0f} "
                         f"contract hours over the period) instead of leaving those shifts to temps.</li>")
    parts.append("</ul></div>")
    parts.append("<h3>Who wins on what</h3><ul class=findings>")
    parts += [f"<li>{s}</li>" for s in winners(results)]
    parts.append("</ul>")

    # ---- main table
    parts.append("<h2>Scenarios side by side</h2>")
    parts.append("<p class=small>Green: best value in the column; red: worst. Hover a heading for its meaning. "
                 "Each solve stops at the time limit, so small differences (a few hours, a percent) can be "
                 "solver noise; a longer --time-limit gives steadier numbers.</p>")
    parts.append(kpi_table(main, kpis))
    shown = [r for r in main if comparable(r)]
    if len(shown) < len(main):
        parts.append("<p class=small>Scenarios without a roster are left out of the charts.</p>")
    if shown:
        parts.append(f'<img alt="overview" src="{plot_overview(shown)}">')

    # ---- staircase
    steps = staircase_steps(spec, results)
    if len(steps) > 1:
        parts.append("<h2>Gains staircase (gevinst-trapp)</h2>")
        parts.append("<p class=small>The scenarios in order, each step compared with the step before it: what it "
                     "gains and what it costs.</p>")
        shown = [r for r in steps if comparable(r)]
        if len(shown) > 1:
            parts.append(f'<img alt="staircase" src="{plot_staircase(shown)}">')
        parts.append("<table><tr><th>#</th><th>Step</th><th>Gains</th><th>Costs</th></tr>")
        parts.append(f"<tr><td>0</td><td><b>{e(steps[0].name)}</b></td><td colspan=2>starting point</td></tr>")
        prev = steps[0]
        for i in range(1, len(steps)):
            g, c = compare(prev, steps[i]) if comparable(steps[i]) and comparable(prev) else (
                [], ["no usable roster"])
            parts.append(f"<tr><td>{i}</td><td><b>{e(steps[i].name)}</b><br><span class=small>vs "
                         f"{e(prev.name)}</span></td><td class=good>{'<br>'.join(g) or '–'}</td>"
                         f"<td class=bad>{'<br>'.join(c) or '–'}</td></tr>")
            if comparable(steps[i]):
                prev = steps[i]
        parts.append("</table>")

    # ---- weekend curve
    if curve:
        parts.append("<h2>Weekend trade-off</h2>")
        parts.append("<p class=small>The base unit solved with weekends every N-th week"
                     f"{' and part-timers raised toward their desired position where shifts are vacant' if spec.weekend_curve_raise else ''}"
                     ". Working weekends more often lets the same staff cover more shifts with bigger positions; "
                     "working them less often needs more people per weekend.</p>")
        points = [r for r in curve if comparable(r)]
        if len(points) >= 2:
            parts.append(f"<p>{curve_sentence(points)}</p>")
            parts.append(f'<img alt="weekend curve" src="{plot_curve(points)}">')
        parts.append(kpi_table(curve, [KPI[k] for k in ("weekend_people_needed", "implied_mean_position_pct",
                                                        "mean_position_pct", "heltidsandel", "vacant_hours",
                                                        "good_shift_share", "weekend_frequency") if k in KPI]))

    # ---- heltid
    raised = [r for r in main if r.raises]
    if raised:
        parts.append("<h2>Bigger positions (heltid)</h2>")
        parts.append("<p class=small>Part-timers who want a bigger position get the hours of shifts that would "
                     "otherwise stay vacant, in 5 % steps up to the position they asked for.</p>")
        for r in raised:
            parts.append(f"<h3>{e(r.name)}</h3><table><tr><th>Staff</th><th>Group</th><th>Position now</th>"
                         "<th>New position</th><th>Desired</th><th>Extra hours over the period</th></tr>")
            for c in r.raises:
                parts.append(f"<tr><td>{e(c.staff)}</td><td>{e(c.group)}</td><td class=n>{c.from_pct:.0f} %</td>"
                             f"<td class=n><b>{c.to_pct:.0f} %</b></td><td class=n>{c.desired_pct:.0f} %</td>"
                             f"<td class=n>{c.extra_hours:.1f} h</td></tr>")
            parts.append("</table>")
        for r in curve:
            if r.raises:
                parts.append(f"<p class=small>{e(r.name)}: {len(r.raises)} bigger positions ("
                             + ", ".join(f"{e(c.staff)} {c.from_pct:.0f}→{c.to_pct:.0f} %" for c in r.raises)
                             + ").</p>")

    # ---- good shifts
    parts.append("<h2>Den gode vakta: good shifts</h2>")
    parts.append("<p class=small>A shift (one date, one shift type, one ward) is <b>good</b> when all five hold: "
                 + "; ".join(f"({i + 1}) {CRITERIA_TEXT[c]}" for i, c in enumerate(CRITERIA)) +
                 ". The ansvarsvakt is required " + ("on every shift" if spec.good_shift.ansvarsvakt == "always" else
                 "where the bemanningsplan asks for one") + ". A continuity carrier is someone on the shift who also "
                 "works the " + ("same shift" if spec.good_shift.continuity == "same_shift" else
                                 "same kind of shift (day, evening or night)") +
                 " the day before or the day after. Share of shifts meeting each criterion:</p>")
    parts.append("<table><tr><th>Scenario</th><th>Good shifts</th>" +
                 "".join(f"<th>{CRITERIA_TEXT[c]}</th>" for c in CRITERIA) + "</tr>")
    for r in main + curve:
        parts.append(f"<tr><td><b>{e(r.name)}</b></td><td class=n>{fmt('good_shift_share', r.kpis.get('good_shift_share'))}</td>"
                     + "".join(f"<td class=n>{fmt('x_share', r.kpis.get(f'good_shift_{c}_share'))}</td>"
                               for c in CRITERIA) + "</tr>")
    parts.append("</table>")
    parts.append('<p class="legend small">Calendar per scenario:<span style="background:#4caf50"></span>good'
                 '<span style="background:#ffb300"></span>one criterion fails<span style="background:#e53935">'
                 '</span>two or more fail (hover a square for the reason). Grey columns are weekends.</p>')
    for r in main:
        parts.append(f"<h3>{e(r.name)}</h3>{calendar_svg(r)}")

    # ---- fairness
    parts.append("<h2>Fairness: unsocial shifts per person</h2>")
    parts.append("<table><tr><th>Scenario</th><th>Nights mean</th><th>Nights sd</th><th>Nights max</th>"
                 "<th>Weekends mean</th><th>Weekends sd</th><th>Sein-tidlig mean</th><th>Sein-tidlig sd</th>"
                 "<th>Sein-tidlig max</th></tr>")
    for r in main + curve:
        k = r.kpis
        vals = [k.get("nights_per_person_mean"), k.get("nights_per_person_sd"), k.get("nights_per_person_max"),
                k.get("weekends_per_person_mean"), k.get("weekends_per_person_sd"),
                k.get("quick_returns_per_person_mean"), k.get("quick_returns_per_person_sd"),
                k.get("quick_returns_per_person_max")]
        parts.append(f"<tr><td><b>{e(r.name)}</b></td>" +
                     "".join(f"<td class=n>{'–' if v is None else f'{v:.2f}'}</td>" for v in vals) + "</tr>")
    parts.append("</table>")

    # ---- details
    parts.append("<h2>Scenario details</h2>")
    for r in main + curve:
        parts.append(f"<h3>{e(r.name)}</h3><p class=small>{e(r.description)}</p><ul>")
        for c in r.changes or ["no change (the unit as it is)"]:
            parts.append(f"<li>{e(c)}</li>")
        parts.append("</ul>")
        info = r.roster.solve
        parts.append(f"<p class=small>Status {e(r.status)}; {r.solves} solve(s), {r.wall_s:.1f} s"
                     f"{f'; objective {info.objective}, bound {info.bound}' if info and info.objective is not None else ''}"
                     f"; {len(r.roster.assignments)} shifts planned; "
                     f"{fmt('vacant_hours', r.kpis.get('vacant_hours'))} vacant.</p>")
        if r.error:
            parts.append(f"<p class=bad>Error: {e(r.error)}</p>")
        if r.roster.unfilled:
            agg: dict[tuple[str, str], int] = {}
            for u in r.roster.unfilled:
                key = (u.shift, u.slot)
                agg[key] = agg.get(key, 0) + u.missing
            parts.append("<p class=small>Unfilled demand: " + ", ".join(
                f"{e(s)} {e(slot)} ×{n}" for (s, slot), n in sorted(agg.items(), key=lambda kv: -kv[1])) + "</p>")
        hard = [v for v in r.roster.violations if v.level == "REQUIRED"]
        if hard:
            by_rule: dict[str, int] = {}
            for v in hard:
                by_rule[v.rule] = by_rule.get(v.rule, 0) + 1
            parts.append("<p class=bad>Required rules broken: " +
                         ", ".join(f"{e(k)} ×{n}" for k, n in sorted(by_rule.items())) + "</p>")
        if r.roster.conflicts:
            parts.append("<p class=bad>Conflicting rules (why no lawful roster exists): " + ", ".join(
                sorted({f"{e(c.rule)}{f' ({e(c.staff)})' if c.staff else ''}" for c in r.roster.conflicts})) + "</p>")

    parts.append("<h2>What the measures mean</h2><table><tr><th>Measure</th><th>Meaning</th><th>Better</th></tr>")
    for k in kpis:
        parts.append(f"<tr><td>{k.label}</td><td>{e(k.words)}</td><td>{'higher' if k.direction > 0 else 'lower'}"
                     "</td></tr>")
    parts.append("</table><p class=small>Generated by <code>turnus scenarios</code>. Definitions: "
                 "docs/scenarios.md.</p></body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def ordinal(n: int | None) -> str:
    n = n or 0
    return f"{n}{'st' if n == 1 else 'nd' if n == 2 else 'rd' if n == 3 else 'th'}"


def curve_sentence(curve: list[ScenarioResult]) -> str:
    lo, hi = curve[0], curve[-1]
    best_pos = max(curve, key=lambda r: (r.kpis.get("mean_position_pct", 0), -(r.curve_n or 0)))
    least_vac = min(curve, key=lambda r: (r.kpis.get("vacant_hours", 0), r.curve_n or 0))
    k = lo.kpis, hi.kpis
    s = (f"With weekends every {ordinal(lo.curve_n)} week the mean position is "
         f"{fmt('mean_position_pct', k[0].get('mean_position_pct'))} and {fmt('vacant_hours', k[0].get('vacant_hours'))} "
         f"stay vacant; every {ordinal(hi.curve_n)} week gives {fmt('mean_position_pct', k[1].get('mean_position_pct'))} "
         f"and {fmt('vacant_hours', k[1].get('vacant_hours'))} vacant. ")
    staff = len(lo.instance.staff)
    s += (f"Every {ordinal(lo.curve_n)} weekend needs at least {k[0].get('weekend_people_needed', 0):.0f} people on "
          f"the weekend rota ({k[0].get('weekend_people_per_day', 0):.0f} per weekend day); the unit's "
          f"{fmt('vacant_hours', k[0].get('demand_hours'))} of demanded shifts spread over that many would average "
          f"{fmt('mean_position_pct', k[0].get('implied_mean_position_pct'))} positions. Every {ordinal(hi.curve_n)} "
          f"weekend needs {k[1].get('weekend_people_needed', 0):.0f} people "
          f"({fmt('mean_position_pct', k[1].get('implied_mean_position_pct'))}); the unit has {staff} staff. ")
    s += (f"The largest positions come with every {ordinal(best_pos.curve_n)} weekend "
          f"({fmt('mean_position_pct', best_pos.kpis.get('mean_position_pct'))}, heltidsandel "
          f"{fmt('heltidsandel', best_pos.kpis.get('heltidsandel'))}); the fewest vacant hours with every "
          f"{ordinal(least_vac.curve_n)} weekend.")
    return s


def write_report(spec: ScenarioFile, results: list[ScenarioResult], outdir: Path, *, time_limit_s: float,
                 workers: int | None = None, source: str = "") -> dict[str, Path]:
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
        (rosters / f"{slug}.roster.json").write_text(r.roster.model_dump_json(indent=1, exclude_none=True),
                                                      encoding="utf-8")
        (rosters / f"{slug}.unit.json").write_text(r.instance.model_dump_json(indent=1, exclude_none=True),
                                                    encoding="utf-8")
    return paths
