"""Forward rotation (day -> evening -> night): each backward step on consecutive days (an evening then a day
shift, a night then a day or evening shift) costs `weight`.

Why: a roster rotating with the clock leaves the longest rest between shifts and follows the body's drift to later
hours; backward steps are the quick returns of shift work (sleep research, NSF). Kinds as `shift_mix_week` reads
them (tags: night, evening, day). The groups are `forbid_successors`' (one per person, day and first shift, so one
broken group is one backward step). A step that hard daily rest already forbids can never occur and gets no group.
"""

from __future__ import annotations

import numpy as np

from models import Violation
from models.rules import DailyRestSetting

from ..index import DAY
from .base import Rule, setting_of
from .sequences import successor_cells, successor_violations
from .shift_mix_week import shift_kind


def backward_pairs(idx) -> np.ndarray:
    """[T, T] bool: t2 the next day after t1 is a step backward."""
    kind = shift_kind(idx)
    return (kind[:, None] > kind[None, :]) & (kind[None, :] >= 0)


class ForwardRotation(Rule):
    id = "forward_rotation"
    title = "Forward rotation: day, evening, night"
    source = "Sleep research (forward rotation); NSF [C]"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        back = backward_pairs(idx)
        rest = setting_of(ctx.inst, self.section, "daily_rest")
        assert isinstance(rest, DailyRestSetting)
        # pairs hard rest forbids on every day (an hour of margin for a clock change) need no group of their own
        rest_hard = (
            rest.active
            and rest.hard
            and not (ctx.relax_all or ctx.diagnose)
            and not any(r == "daily_rest" for r, _ in ctx.relaxed)
        )
        gap = DAY + idx.start[None, :] - (idx.start + idx.duration)[:, None]
        never = rest_hard & (gap < rest.hard_min_minutes - 60)
        forbidden = {(1, t1): t2s for t1 in range(idx.T) if (t2s := np.nonzero(back[t1] & ~never[t1])[0].tolist())}
        if forbidden:
            ctx.forbid_successors(st, self.id, forbidden)

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        if idx.D < 2 and not idx.cyclic:
            return []
        s_, d_ = successor_cells(view, backward_pairs(idx))
        return successor_violations(view, st, self.id, s_, d_)
