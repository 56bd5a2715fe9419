"""The rule contract: one module per rule, each a class with `add_to_model` and `audit`.

The builder (solver/build.py) and the checker (solver/checker.py) resolve each rule's setting once through
`setting` (solver/registry.py), skip the rules that are OFF, and pass the setting in:

- `add_to_model(ctx, setting)` adds the rule's constraint groups and penalty terms through the context (which
  handles REQUIRED/PREFERRED/relaxed and the diagnosis literals);
- `audit(view, setting)` recomputes the same rule from the roster alone, one `Violation` per broken group, priced
  the same way, so checker and solver agree on every score.

Metadata: `id` (the setting's key and the score id), `title` and `source` (the README rule tables), `section`
(where the setting lives: `Instance.rules`, `Instance.task_rules`, or None for structural rules that are always
REQUIRED), `tier` (the score tier of a PREFERRED violation: "soft" or "unfilled") and `scores` (the further score
ids the rule reports, with their tiers).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from models import Violation
from models.rules import RuleSetting

if TYPE_CHECKING:  # the checker must not import CP-SAT
    from ..context import Ctx
    from ..view import Priced, RosterView

Tier = Literal["hard", "unfilled", "soft"]
Section = Literal["rules", "task_rules"]


class Rule:
    id: ClassVar[str]
    title: ClassVar[str]
    source: ClassVar[str] = ""
    section: ClassVar[Section | None] = "rules"
    tier: ClassVar[Tier] = "soft"  # the tier of the rule's PREFERRED violations: "soft" or "unfilled"
    scores: ClassVar[dict[str, Tier]] = {}  # further score ids this rule reports (always PREFERRED), and their tier

    def add_to_model(self, ctx: Ctx, setting: RuleSetting) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def audit(self, view: RosterView, setting: RuleSetting) -> list[Violation] | list[Priced]:  # pragma: no cover
        raise NotImplementedError


class AlwaysRequired(RuleSetting):
    """Setting for structural rules (one shift a day, availability, pins) that can never be relaxed by config."""


ALWAYS = AlwaysRequired()


def setting_of(inst, section: Section | None, key: str) -> RuleSetting:
    """The setting `key` of `inst.rules` or `inst.task_rules` (ALWAYS for a structural rule, section None)."""
    if section is None:
        return ALWAYS
    setting: RuleSetting = getattr(getattr(inst, section), key)
    return setting


def cyclic_count(n: int, length: int) -> int:
    """How many distinct windows of `length` a cycle of n positions holds: one per start, or one in all when the
    windows hold whole cycles (each then holds every position equally often)."""
    return 0 if n == 0 else 1 if length % n == 0 else n


def windows(n: int, length: int, cyclic: bool = False) -> Iterator[Sequence[int]]:
    """All windows of `length` consecutive indices in 0..n-1 (none if n < length). `cyclic`: the positions repeat
    (a grunnturnus), so a window may run over the end into the start, and a window longer than the cycle holds a
    position as often as the repeating plan does."""
    if cyclic:
        for a in range(cyclic_count(n, length)):
            yield [(a + i) % n for i in range(length)]
        return
    for a in range(0, n - length + 1):
        yield range(a, a + length)


def sliding_sums(flags: np.ndarray, length: int, cyclic: bool = False) -> np.ndarray:
    """[S, n-length+1] sums of `flags` [S, n] over each window of `length` (empty if too short); `cyclic`: over the
    windows of `windows(n, length, True)`, in their order."""
    if cyclic:
        count = cyclic_count(flags.shape[1], length)
        if not count:
            return np.zeros((flags.shape[0], 0), dtype=np.int64)
        flags = flags[:, np.arange(count + length - 1) % flags.shape[1]]
    if flags.shape[1] < length:
        return np.zeros((flags.shape[0], 0), dtype=np.int64)
    c = np.concatenate([np.zeros((flags.shape[0], 1), dtype=np.int64), np.cumsum(flags, axis=1)], axis=1)
    return c[:, length:] - c[:, :-length]
