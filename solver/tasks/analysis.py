"""Oppgavedeling analysis of a checked roster (for `turnus tasks-report`): per personnel group the task hours
that need that group versus the hours its people spent, and which tasks could move to another group.

A task "needs" the lowest-ranked group among the people of the unit who qualify for it (service groups below
assistent below helsefagarbeider below vernepleier/therapists below nurses): that is where Tørn's oppgavedeling
would put it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from models import Instance, Roster

from ..checker import check
from ..index import build_index
from ..view import build_view
from .base import task_roster
from .occurrences import task_index

RANK = {
    "matvert": 0,
    "aktivitor": 0,
    "service": 0,
    "assistent": 1,
    "laerling": 1,
    "helsefagarbeider": 2,
    "vernepleier": 3,
    "fysioterapeut": 3,
    "ergoterapeut": 3,
    "sykepleier": 4,
    "spesialsykepleier": 5,
}


SERVICE = ("matvert", "aktivitor", "service")


def display_group(g: str) -> str:
    """Service groups (no health competence, not care staff) are shown together."""
    return "service (matvert/aktivitør)" if g in SERVICE else g


@dataclass
class TaskReport:
    groups: list[str]
    needed_h: dict[str, float] = field(default_factory=dict)  # task hours that need the group
    spent_h: dict[str, float] = field(default_factory=dict)  # task hours done by the group's people
    rostered_h: dict[str, float] = field(default_factory=dict)  # working hours of the group
    moves: list[dict] = field(default_factory=list)  # kind, from, to, hours, tasks
    unassigned_h: float = 0.0
    kpis: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "groups": [
                {
                    "group": g,
                    "needed_h": self.needed_h.get(g, 0.0),
                    "spent_h": self.spent_h.get(g, 0.0),
                    "rostered_h": self.rostered_h.get(g, 0.0),
                }
                for g in self.groups
            ],
            "oppgavedeling": self.moves,
            "unassigned_h": self.unassigned_h,
            "kpis": self.kpis,
        }


def _rank(g: str) -> int:
    return 0 if g.startswith("service") else RANK.get(g, 9)


def needed_group(inst: Instance, occ) -> str | None:
    able = {inst.staff[s].group.value for s in range(len(inst.staff)) if occ.qualified[s]}
    if not able:
        return None
    return display_group(min(able, key=lambda g: (RANK.get(g, 9), g)))


def task_report(inst: Instance, roster: Roster) -> TaskReport:
    idx = build_index(inst)
    checked = check(inst, roster, idx)
    view = build_view(idx, checked.assignments)
    view.roster = checked
    ti, tr = task_index(idx), task_roster(view)
    groups = sorted(
        {display_group(s.group.value) for s in inst.staff},
        key=lambda g: (RANK.get(g, 0 if g.startswith("service") else 9), g),
    )
    rep = TaskReport(groups)
    need: dict[str, float] = defaultdict(float)
    spent: dict[str, float] = defaultdict(float)
    moves: dict[tuple[str, str, str], list] = defaultdict(lambda: [0.0, set()])
    for occ in ti.occs:
        g = needed_group(inst, occ)
        if g is not None:
            need[g] += occ.task.count * occ.dur / 60
        have = tr.staff_of.get(occ.o, [])
        rep.unassigned_h += max(0, occ.task.count - len(have)) * occ.dur / 60
        for s in have:
            sg = display_group(inst.staff[s].group.value)
            spent[sg] += occ.dur / 60
            if g is not None and _rank(sg) > _rank(g):
                m = moves[occ.task.kind, sg, g]
                m[0] += occ.dur / 60
                m[1].add(occ.task.id if occ.task.user is None else occ.task.id.replace(occ.task.user + "-", "*-"))
    for s, person in enumerate(inst.staff):
        g = display_group(person.group.value)
        rep.rostered_h[g] = rep.rostered_h.get(g, 0.0) + float(view.work[s].sum()) / 60
    rep.needed_h = {g: round(need[g], 2) for g in groups}
    rep.spent_h = {g: round(spent[g], 2) for g in groups}
    rep.rostered_h = {g: round(v, 2) for g, v in rep.rostered_h.items()}
    rep.moves = sorted(
        (
            {"kind": k, "from": a, "to": b, "hours": round(h, 2), "tasks": sorted(ids)[:6]}
            for (k, a, b), (h, ids) in moves.items()
        ),
        key=lambda m: -m["hours"],
    )
    rep.unassigned_h = round(rep.unassigned_h, 2)
    rep.kpis = {
        k: v
        for k, v in checked.kpis.items()
        if k.startswith(("task_", "carers_", "contact", "primary_", "nurse_", "roles_"))
    }
    return rep


def plot(rep: TaskReport, path_stem) -> list:
    """Grouped bars per personnel group (needed vs spent task hours) and the oppgavedeling moves; PNG + SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [3, 2]})
    xs = range(len(rep.groups))
    w = 0.38
    a1.bar(
        [x - w / 2 for x in xs], [rep.needed_h.get(g, 0) for g in rep.groups], w, label="task hours that need the group"
    )
    a1.bar([x + w / 2 for x in xs], [rep.spent_h.get(g, 0) for g in rep.groups], w, label="task hours the group did")
    a1.set_xticks(list(xs), [g.replace(" (", "\n(") for g in rep.groups], rotation=30, ha="right")
    a1.set_ylabel("hours over the period")
    a1.set_title("Task hours per personnel group")
    a1.legend(fontsize=8)
    top = rep.moves[:8]
    labels = [f"{m['kind']}: {m['from']} → {m['to']}" for m in top][::-1]
    a2.barh(labels or ["(none)"], [m["hours"] for m in top][::-1] or [0], color="tab:orange")
    a2.set_xlabel("hours that could move")
    a2.set_title("Oppgavedeling: hours that could move")
    fig.tight_layout()
    out = []
    for ext in ("png", "svg"):
        p = f"{path_stem}.{ext}"
        fig.savefig(p, dpi=110)
        out.append(p)
    plt.close(fig)
    return out
