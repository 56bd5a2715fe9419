"""Sunday rule (AML §10-8(4)): the weekly day off falls on a Sunday at least every 4th week, so a person
works at most `max_consecutive` Sundays in a row."""

from __future__ import annotations

from models import Violation

from .base import Rule
from .sequences import audit_window_cap, model_window_cap
from .weekends import audit_flags, model_flags, sunday_spans


class SundayRule(Rule):
    id = "sunday_rule"
    title = "At most 3 Sundays in a row"
    source = "AML §10-8(4)"

    def add_to_model(self, ctx, st) -> None:
        spans = sunday_spans(ctx.idx)
        flags = model_flags(ctx, spans, "sun")
        model_window_cap(ctx, st, self.id, flags, len(spans), st.max_consecutive + 1, st.max_consecutive)

    def audit(self, view, st) -> list[Violation]:
        spans = sunday_spans(view.idx)
        return audit_window_cap(
            view,
            st,
            self.id,
            audit_flags(view, spans),
            st.max_consecutive + 1,
            st.max_consecutive,
            lambda k: spans[k][0],
        )
