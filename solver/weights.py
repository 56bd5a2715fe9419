"""Objective weights shared by the model and the checker (which must never import CP-SAT)."""

HARD_WEIGHT = 1_000_000
"""Cost of one broken REQUIRED group when the solver had to relax a rule to return any roster at all."""
