"""Task competence: only people of the required group (or better) holding every required competence, valid on
the date, and of the task's unit (or shared staff without a unit) do a task (helsepersonelloven §4/§5,
legemiddelhåndteringsforskriften §4). The model only creates variables for those people."""

from __future__ import annotations

from models import Violation

from ..view import Priced
from .base import TaskRule, task_roster


class TaskCompetence(TaskRule):
    id = "task_competence"
    title = "Tasks only to qualified staff (group or better, competences)"
    source = "Helsepersonelloven §4/§5; legemiddelhåndteringsforskriften §4"

    def add_to_model(self, ctx, st) -> None:
        return  # structural: y exists only for qualified staff (see model.py)

    def audit(self, view, st) -> list[Violation] | list[Priced]:
        if not view.idx.inst.tasks:
            return []
        tr = task_roster(view)
        out = []
        for o, staff in tr.staff_of.items():
            occ = tr.ti.occs[o]
            for s in staff:
                if not occ.qualified[s]:
                    out.append(
                        view.violation(
                            self.id,
                            st,
                            s,
                            [occ.d],
                            detail=f"{occ.task.id} {view.idx.hhmm(tr.start_of[o])}: not qualified",
                        )
                    )
        for o, sid in tr.unknown_staff:
            out.append(view.violation(self.id, st, None, [tr.ti.occs[o].d], detail=f"unknown staff {sid!r}"))
        return out
