"""Placeholder, replaced below."""
from __future__ import annotations


def solve_lns(instance, time_limit, workers, seed, log=False):  # pragma: no cover
    raise NotImplementedError
