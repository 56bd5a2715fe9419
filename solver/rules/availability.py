"""Availability (tilgjengelighet): no shift during a known absence, outside a person's allowed shift codes,
or a day shift for a night-only employee. Handled by not creating the variable at all; audited here."""

from __future__ import annotations

import numpy as np

from models import Violation

from .base import Rule


class Availability(Rule):
    id = "availability"
    title = "No work during absence or on shifts the person may not take"
    source = "Absence plan, employment terms"
    section = None  # structural: always REQUIRED

    def add_to_model(self, ctx, st) -> None:
        """Nothing to add: `build_variables` creates variables only where `idx.allowed` holds."""

    def audit(self, view, st) -> list[Violation]:
        avail = view.idx.available
        s_, d_ = np.nonzero(view.on)
        bad = ~avail[s_, d_, view.shift[s_, d_]]
        cells = list(zip(s_[bad].tolist(), d_[bad].tolist(), view.shift[s_[bad], d_[bad]].tolist(), strict=True))
        cells += [(s, d, t) for s, d, t in view.extra if not avail[s, d, t]]
        return [
            view.violation(self.id, st, s, [d], detail=f"{view.idx.shift_codes[t]} not available") for s, d, t in cells
        ]
