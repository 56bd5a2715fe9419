"""Weekend frequency (helgebelastning): at most one worked weekend in every `every_n` consecutive weekends
(1 in 3 is the norm in KS turnus units; 1 in 2 or 1 in 4 are common Den gode vakta variants).

A period with fewer weekends than `every_n` allows one worked weekend in all. A cyclic period's windows run over
its end into its start (a grunnturnus of 2 weekends worked on one repeats it every second weekend: too often for 1 in
3)."""

from __future__ import annotations

from models import Violation

from .base import Rule
from .sequences import audit_window_cap, model_window_cap
from .weekends import audit_flags, model_flags, weekend_spans


def window_length(idx, st, spans) -> int:
    """Weekends per window: `every_n`, at most the period's on a plan that does not repeat."""
    return st.every_n if idx.cyclic else min(st.every_n, len(spans))


class WeekendFrequency(Rule):
    id = "weekend_frequency"
    title = "Work at most every Nth weekend"
    source = "KS HTA practice; local agreement"

    def add_to_model(self, ctx, st) -> None:
        if st.every_n <= 1:
            return
        spans = weekend_spans(ctx.idx)
        flags = model_flags(ctx, spans, "wkd")
        model_window_cap(ctx, st, self.id, flags, len(spans), window_length(ctx.idx, st, spans), 1)

    def audit(self, view, st) -> list[Violation]:
        if st.every_n <= 1:
            return []
        spans = weekend_spans(view.idx)
        return audit_window_cap(
            view, st, self.id, audit_flags(view, spans), window_length(view.idx, st, spans), 1, lambda k: spans[k][0]
        )
