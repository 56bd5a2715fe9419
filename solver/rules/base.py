"""The rule contract: one module per rule, each a class with `add_to_model` and `audit`.

`add_to_model(ctx)` adds the rule's constraint groups and penalty terms through the context (which handles
REQUIRED/PREFERRED/relaxed). `audit(view)` recomputes the same rule from the roster alone, one `Violation`
per broken group, priced the same way, so checker and solver agree on every score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Iterator

import numpy as np

from models import Violation
from models.rules import RuleSetting, Rules

if TYPE_CHECKING:  # the checker must not import CP-SAT
    from ..context import Ctx
    from ..view import RosterView


class Rule:
    id: ClassVar[str]
    title: ClassVar[str]
    source: ClassVar[str] = ""
    tier: ClassVar[str] = "soft"  # for soft-only rules: "soft" or "unfilled"

    def setting(self, rules: Rules) -> RuleSetting:
        return getattr(rules, self.id)

    def add_to_model(self, ctx: "Ctx") -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def audit(self, view: "RosterView") -> list[Violation]:  # pragma: no cover - interface
        raise NotImplementedError


class AlwaysRequired(RuleSetting):
    """Setting for structural rules (one shift a day, availability, pins) that can never be relaxed by config."""


ALWAYS = AlwaysRequired()


def windows(n: int, length: int) -> Iterator[range]:
    """All windows of `length` consecutive indices in 0..n-1 (none if n < length)."""
    for a in range(0, n - length + 1):
        yield range(a, a + length)


def sliding_sums(flags: np.ndarray, length: int) -> np.ndarray:
    """[S, n-length+1] sums of `flags` [S, n] over each window of `length` (empty if too short)."""
    if flags.shape[1] < length:
        return np.zeros((flags.shape[0], 0), dtype=np.int64)
    c = np.concatenate([np.zeros((flags.shape[0], 1), dtype=np.int64), np.cumsum(flags, axis=1)], axis=1)
    return c[:, length:] - c[:, :-length]
