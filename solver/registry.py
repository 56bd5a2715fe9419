"""The rule registry: every rule the model builds and the checker audits, in order, and their metadata.

Adding a rule: one module with a `Rule` subclass (solver/rules for shifts, solver/tasks for tasks and roles), one
line in its package's list, one row in the README (tests/test_readme_rules.py checks the tables against `RULES`).
Kept apart from both packages so neither imports the other.
"""

from __future__ import annotations

from models import Instance
from models.rules import RuleSetting

from .rules import SHIFT_RULES, Rule
from .rules.base import Tier, setting_of
from .tasks import TASK_RULES

RULES: list[Rule] = [*SHIFT_RULES, *TASK_RULES]

# rules a diagnosis may relax: every REQUIRED rule except the roster's structure and the planner's pins
RELAXABLE = {r.id for r in RULES} - {"one_shift_per_day", "availability", "pinned", "demand_coverage"}

# every score id (a rule's own and the further ones it declares) -> the rule reporting it, and the PREFERRED tier
OWNER: dict[str, Rule] = {sid: r for r in RULES for sid in (r.id, *r.scores)}
TIERS: dict[str, Tier] = {sid: tier for r in RULES for sid, tier in ((r.id, r.tier), *r.scores.items())}


def setting(rule: Rule, inst: Instance) -> RuleSetting:
    """The one place a rule's setting is resolved: `inst.rules` (shift rules), `inst.task_rules` (task rules) or
    ALWAYS (structural rules)."""
    return setting_of(inst, rule.section, rule.id)


def active(inst: Instance) -> list[tuple[Rule, RuleSetting]]:
    """The rules that are not OFF, in registry order, each with its setting."""
    out = []
    for rule in RULES:
        st = setting(rule, inst)
        if st.active:
            out.append((rule, st))
    return out


__all__ = ["OWNER", "RELAXABLE", "RULES", "TIERS", "active", "setting"]
