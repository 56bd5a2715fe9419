"""Availability (tilgjengelighet): no shift during a known absence, outside a person's allowed shift codes,
or a day shift for a night-only employee. Handled by not creating the variable at all; audited here."""

from __future__ import annotations

from models import Violation

from .base import ALWAYS, Rule


class Availability(Rule):
    id = "availability"
    title = "No work during absence or on shifts the person may not take"
    source = "Absence plan, employment terms"

    def setting(self, rules):
        return ALWAYS

    def add_to_model(self, ctx) -> None:
        """Nothing to add: `build_variables` creates variables only where `idx.allowed` holds."""

    def audit(self, view) -> list[Violation]:
        avail = view.idx.available
        return [
            view.violation(self.id, ALWAYS, s, [d], detail=f"{view.idx.shift_codes[t]} not available")
            for s, d, t in view.assignments()
            if not avail[s, d, t]
        ]
