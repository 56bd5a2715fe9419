"""The small interface the search engine works on, implemented by the domain model and by benchmark models.

A problem's state is a complete assignment (opaque to the engine). The engine asks the problem to judge a state
(`evaluate`: lawful and objective, by an evaluator independent of CP-SAT), to solve a neighbourhood (some people
over a window of days) as a CP-SAT sub-model with everything else fixed and the state as hint (`solve_sub`), and
to propose problem-driven neighbourhoods (`focus`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Evaluation:
    lawful: bool
    objective: int
    hard: int = 0
    unfilled: int = 0
    soft: int = 0


@dataclass(frozen=True)
class Neighbourhood:
    """People set free over days [window[0], window[1]); everything else keeps the incumbent's values. Without
    `shifts` the people keep their shifts too and only what hangs on them moves (a domain unit's tasks and roles)."""

    kind: str
    people: tuple[int, ...]
    window: tuple[int, int]
    shifts: bool = True

    @property
    def cells(self) -> int:
        return len(self.people) * (self.window[1] - self.window[0])


@dataclass
class SubResult:
    state: Any | None  # the full state with the neighbourhood's new values, None when nothing was found
    status: str
    solve_s: float
    build_s: float = 0.0


class Problem(Protocol):
    S: int  # people
    D: int  # days

    def evaluate(self, state: Any) -> Evaluation: ...

    def solve_sub(
        self,
        state: Any,
        hood: Neighbourhood,
        budget_s: float,
        seed: int,
        dtime: float | None = None,
        first_solution: bool = False,
    ) -> SubResult: ...

    def focus(self, state: Any, rng: random.Random, people: int, days: int) -> Neighbourhood | None:
        """A neighbourhood around what costs most in `state` (None when nothing does)."""
        ...
