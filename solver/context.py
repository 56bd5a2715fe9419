"""The model-building context every rule writes into.

Rules never call `model.add` for their constraint groups directly: they call `at_most`, `at_least`, `clause` or
`forbid_pair`, and the context decides what the group becomes:

- REQUIRED: a hard constraint (with an assumption literal per rule × staff in diagnosis mode);
- PREFERRED, or REQUIRED but relaxed after an infeasibility core: a fully reified constraint whose violation
  literal carries the weight. Reification goes both ways so the solver's objective equals the checker's count.
  Priced patterns (`penalize_all`, the run rules) are implied one way only and read exactly by `term_value`; the
  same for these groups did not measurably win (demo with tasks, 60 deterministic moves, seeds 0-2: within the
  seeds' spread), so they stay exact.

Structural groups that are always hard (pins, and the task rules' groups, which leaving a task open always
meets) go through `fix` and the `require_*` methods: hard whatever the relaxation, with the same assumption literal
per rule × staff in diagnosis mode so a core can name them.

Penalty terms are kept per rule and tier, so the solver's score breakdown can be compared with the checker's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from models import Instance
from models.rules import RuleSetting

from .index import Index
from .weights import HARD_WEIGHT

if TYPE_CHECKING:
    from .tasks.model import TaskVars


Tier = str  # "hard" | "unfilled" | "soft"


@dataclass
class Term:
    rule: str
    tier: Tier
    coef: int
    var: cp_model.IntVar | None  # None: a constant penalty
    # a literal only implied by a conjunction (`penalize_all`): the term is worth `coef` when all of these hold
    need: tuple | None = None


@dataclass
class Ctx:
    inst: Instance
    idx: Index
    model: cp_model.CpModel
    x: dict[tuple[int, int, int], cp_model.IntVar]
    diagnose: bool = False
    relaxed: set[tuple[str, int]] = field(default_factory=set)  # (rule id, staff) groups made soft
    relax_all: bool = False
    terms: list[Term] = field(default_factory=list)
    assumptions: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    task_vars: TaskVars | None = None  # task and role variables, made by the first task rule (tasks/model.py)
    _by_staff_day: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    cache: dict[tuple, cp_model.IntVar] = field(default_factory=dict)  # exact literals shared by rules, by key
    _names: defaultdict = field(default_factory=lambda: defaultdict(int))

    # ---- variable access -------------------------------------------------------------------------------------
    def var(self, s: int, d: int, t: int) -> cp_model.IntVar | None:
        return self.x.get((s, d, t))

    def day_vars(self, s: int, d: int) -> list[tuple[int, cp_model.IntVar]]:
        """(shift, var) pairs of person s starting a shift on day d."""
        if not self._by_staff_day:
            for (ss, dd, tt), v in self.x.items():
                self._by_staff_day.setdefault((ss, dd), []).append((tt, v))
        return self._by_staff_day.get((s, d), [])

    @staticmethod
    def weighted(variables: Sequence, coefs: Sequence[int]):
        """A linear expression built in one call (much faster than Python's sum for long sums); 0 if empty."""
        variables = list(variables)
        if not variables:
            return 0
        return cp_model.LinearExpr.weighted_sum(variables, list(coefs))

    def var_pairs(self, k: int, t1: int, t2: int, days: np.ndarray | None = None):
        """(s, d, x[s,d,t1], x[s,d+k,t2]) for every person and day (of `days`, default all) where both variables
        exist (vectorised; on a cyclic period d + k wraps to the period's start, `Index.day_pairs`)."""
        al = self.idx.allowed
        first, then, _ = self.idx.day_pairs(k)
        if not len(first):
            return
        both = al[:, first, t1] & al[:, then, t2]
        if days is not None:
            both = both & _day_mask(both.shape[1], days)[None, :]
        for s, d in np.argwhere(both).tolist():
            yield s, d, self.x[s, d, t1], self.x[s, int(then[d]), t2]

    def fixed_shift(self, s: int, d: int) -> int | None:
        """The shift person s is fixed to on day d by the caller of the build (a search sub-problem keeps the
        incumbent's shift outside its window, `Index.cache["fixed_shift"]`), else None. A rule may read that cell as
        the constant it is: its variable exists but is fixed after the build."""
        fixed = self.idx.cache.get("fixed_shift")
        if fixed is None or fixed[s, d] < 0:
            return None
        return int(fixed[s, d])

    def any_of(self, key: tuple, lits: Sequence[cp_model.IntVar]) -> cp_model.IntVar | int:
        """An exact literal for OR(lits) (0 if empty, the literal itself if one), cached by `key`."""
        if not lits:
            return 0
        if len(lits) == 1:
            return lits[0]
        if key in self.cache:
            return self.cache[key]
        b = self.model.new_bool_var(f"any_{'_'.join(map(str, key))}")
        self.model.add_max_equality(b, list(lits))
        self.cache[key] = b
        return b

    def both(self, a: cp_model.IntVar, b: cp_model.IntVar, name: str) -> cp_model.IntVar:
        """An exact literal for a AND b."""
        p = self.model.new_bool_var(name)
        self.model.add_bool_or([a.Not(), b.Not(), p])
        self.model.add_implication(p, a)
        self.model.add_implication(p, b)
        return p

    # ---- penalties ---------------------------------------------------------------------------------------------
    def penalize(self, rule: str, coef: int, var: cp_model.IntVar | None, tier: Tier = "soft") -> None:
        if coef:
            self.terms.append(Term(rule, tier, int(coef), var))

    def penalize_all(self, rule: str, coef: int, need: Sequence, name: str, tier: Tier = "soft") -> None:
        """`coef` when every literal of `need` holds (a constant if `need` is empty), as a literal p with "all of
        need -> p" and nothing the other way.

        One way is enough where p appears only here, in a minimised objective with a positive coefficient: every
        optimum, of the model or of a neighbourhood, has p equal to the conjunction. The reverse (an enforced
        bool_and) slowed CP-SAT without changing any optimum: construction lines at the same deterministic time
        ended with 32 unfilled person-shifts on the large unit with tasks instead of 63, and 72 instead of 386 on
        INRC-II n035w8_0. A solution CP-SAT has not finished may set p without its pattern, so the value of a
        solution is read through `term_value` (the conjunction itself), never from p."""
        if not coef:
            return
        if not need:
            self.penalize(rule, coef, None, tier)
            return
        p = self.model.new_bool_var(name)
        self.model.add_bool_or([n.Not() for n in need] + [p])
        self.terms.append(Term(rule, tier, int(coef), p, tuple(need)))

    @staticmethod
    def term_value(term: Term, solver: cp_model.CpSolver) -> int:
        """A term's penalty in the solver's solution (exact also for `penalize_all` before optimality)."""
        if term.var is None:
            return term.coef
        if term.need is not None:
            return term.coef * all(solver.boolean_value(n) for n in term.need)
        return term.coef * int(solver.value(term.var))

    def objective_value(self, solver: cp_model.CpSolver) -> int:
        """The objective of the solver's solution, priced exactly (`term_value`)."""
        return sum(self.term_value(t, solver) for t in self.terms)

    # ---- constraint groups -------------------------------------------------------------------------------------
    def mode(self, setting: RuleSetting, rule: str, s: int) -> tuple[str, int]:
        """('hard', 0) or ('soft', weight) for one group of `rule` about staff `s`."""
        if setting.hard and not self.relax_all and (rule, s) not in self.relaxed:
            return "hard", 0
        if setting.hard:
            return "soft", HARD_WEIGHT
        return "soft", setting.weight

    def _name(self, rule: str, s: int) -> str:
        """`rule[staff index]#n`: readable in logs and cores; indices, not ids, keep names free of personal data."""
        k = (rule, s)
        n = self._names[k] = self._names[k] + 1
        return f"{rule}[{s}]#{n}"

    def _enforce(self, rule: str, s: int) -> list[cp_model.IntVar]:
        if not self.diagnose:
            return []
        key = (rule, s)
        if key not in self.assumptions:
            self.assumptions[key] = self.model.new_bool_var(f"assume_{rule}_{s}")
        return [self.assumptions[key]]

    def _violation(self, setting: RuleSetting, rule: str, s: int, weight: int, name: str) -> cp_model.IntVar:
        viol = self.model.new_bool_var(f"viol_{name}")
        tier = "hard" if setting.hard else "soft"
        self.penalize(rule, weight, viol, tier)
        return viol

    def at_most(
        self, setting: RuleSetting, rule: str, s: int, expr, ub: int, when: Sequence[cp_model.IntVar] = ()
    ) -> None:
        """Group: `expr <= ub` (only where every literal in `when` is true)."""
        mode, weight = self.mode(setting, rule, s)
        name = self._name(rule, s)
        if isinstance(expr, int):  # nothing variable: the group holds or is broken whatever we do
            if expr > ub and not when:
                if mode == "hard":  # with its assumption literal, so a diagnosis core can name the group
                    self.model.add_bool_or([]).with_name(name).only_enforce_if(self._enforce(rule, s))
                else:
                    self.penalize(rule, weight, None, "hard" if setting.hard else "soft")
            return
        if mode == "hard":
            ct = self.model.add(expr <= ub).with_name(name)
            lits = list(when) + self._enforce(rule, s)
            if lits:
                ct.only_enforce_if(lits)
            return
        viol = self._violation(setting, rule, s, weight, name)
        self.model.add(expr <= ub).with_name(name).only_enforce_if(list(when) + [viol.Not()])
        self.model.add(expr >= ub + 1).only_enforce_if(viol)
        for w in when:
            self.model.add_implication(viol, w)

    def at_least(self, setting: RuleSetting, rule: str, s: int, expr, lb: int) -> None:
        self.at_most(setting, rule, s, -expr, -lb)

    def clause(self, setting: RuleSetting, rule: str, s: int, lits: Sequence) -> None:
        """Group: at least one of `lits` holds."""
        mode, weight = self.mode(setting, rule, s)
        name = self._name(rule, s)
        if mode == "hard":
            ct = self.model.add_bool_or(list(lits)).with_name(name)
            if self.diagnose:
                ct.only_enforce_if(self._enforce(rule, s))
            return
        viol = self._violation(setting, rule, s, weight, name)
        self.model.add_bool_or(list(lits) + [viol]).with_name(name)
        for lit in lits:
            self.model.add_implication(viol, lit.Not())

    def at_most_one(self, setting: RuleSetting, rule: str, s: int, lits: Sequence) -> None:
        """Group: at most one of `lits` (a native at-most-one when hard and not diagnosing)."""
        if self.mode(setting, rule, s)[0] == "hard" and not self.diagnose:
            self.model.add_at_most_one(list(lits)).with_name(self._name(rule, s))
        else:
            self.at_most(setting, rule, s, self.weighted(lits, [1] * len(lits)), 1)

    def forbid_successors(
        self,
        setting: RuleSetting,
        rule: str,
        forbidden: dict[tuple[int, int], list[int]],
        days: np.ndarray | None = None,
    ) -> None:
        """Groups: shift t1 on day d (of `days`, default all) excludes every t2 in `forbidden[k, t1]` on day d + k.

        One at-most-one per (person, d, t1, k) instead of a clause per pair: the successors on one day already
        exclude each other (one shift a day), so each broken group is exactly one broken pair, as the audit counts.
        """
        al = self.idx.allowed
        for (k, t1), t2s in forbidden.items():
            first, then, _ = self.idx.day_pairs(k)  # on a cyclic period the last days are followed by the first
            if not len(first):
                continue
            pairs = al[:, first, t1] & al[:, then][:, :, t2s].any(axis=2)
            if days is not None:
                pairs &= _day_mask(len(first), days)[None, :]
            for s, d in np.argwhere(pairs).tolist():
                e = int(then[d])
                nxt = [self.x[s, e, t2] for t2 in t2s if al[s, e, t2]]
                self.at_most_one(setting, rule, s, [self.x[s, d, t1]] + nxt)

    def forbid_pair(self, setting: RuleSetting, rule: str, s: int, a, b) -> None:
        """Group: not both a and b."""
        self.clause(setting, rule, s, [a.Not(), b.Not()])

    def fix(self, rule: str, s: int, var: cp_model.IntVar, value: int) -> None:
        """Pinned assignment: always hard, with an assumption literal in diagnosis mode."""
        self.model.add(var == value).with_name(self._name(rule, s)).only_enforce_if(self._enforce(rule, s))

    # ---- structural groups: always hard (relaxation leaves them alone), named by rule × staff in a core ----------
    def require_at_most(self, rule: str, s: int, expr, ub: int, when: Sequence[cp_model.IntVar] = ()) -> None:
        """Always hard: `expr <= ub` where every literal of `when` holds (s = -1: a group of no one person)."""
        ct = self.model.add(expr <= ub).with_name(self._name(rule, s))
        lits = list(when) + self._enforce(rule, s)
        if lits:
            ct.only_enforce_if(lits)

    def require_at_most_one(self, rule: str, s: int, lits: Sequence[cp_model.IntVar]) -> None:
        """Always hard: at most one of `lits` (a native at-most-one unless diagnosing)."""
        if self.diagnose:
            self.require_at_most(rule, s, self.weighted(lits, [1] * len(lits)), 1)
        else:
            self.model.add_at_most_one(list(lits)).with_name(self._name(rule, s))

    def require_clause(self, rule: str, s: int, lits: Sequence, when: Sequence[cp_model.IntVar] = ()) -> None:
        """Always hard: at least one of `lits` where every literal of `when` holds (`fix` a literal to 0 when
        there are no `lits`)."""
        if len(lits) == 1 and len(when) == 1 and not self.diagnose:
            self.model.add_implication(when[0], lits[0]).with_name(self._name(rule, s))
            return
        ct = self.model.add_bool_or(list(lits)).with_name(self._name(rule, s))
        enforce = list(when) + self._enforce(rule, s)
        if enforce:
            ct.only_enforce_if(enforce)

    # ---- objective ---------------------------------------------------------------------------------------------
    def objective_expr(self):
        return sum(t.coef * t.var for t in self.terms if t.var is not None) + self.constant()

    def constant(self) -> int:
        return sum(t.coef for t in self.terms if t.var is None)

    def work_vars(self, s: int, days: Iterable[int]) -> list[tuple[int, int, cp_model.IntVar]]:
        return [(d, t, v) for d in days for t, v in self.day_vars(s, d)]


def _day_mask(n: int, days: np.ndarray) -> np.ndarray:
    """[n] bool: the days of `days` (indices below n)."""
    mask = np.zeros(n, dtype=bool)
    mask[days[days < n]] = True
    return mask
