"""The vectorised weekly-rest audit equals the plain interval scan on random rosters (both shapes of input)."""

import numpy as np

from models.generate import generate
from solver.index import build_index
from solver.rules.weekly_rest import _scan_person, longest_rest_with_free_day
from solver.view import RosterView


def test_weekly_rest_vectorised_matches_scan():
    inst = generate("small", 3, seed=5)
    idx = build_index(inst)
    rng = np.random.default_rng(0)
    weeks = idx.D // 7
    for _ in range(100):
        density = rng.uniform(0.3, 0.95)
        shift = np.where(rng.random((idx.S, idx.D)) < density, rng.integers(0, idx.T, (idx.S, idx.D)), -1)
        view = RosterView(idx, shift)
        fast = longest_rest_with_free_day(view, 35 * 60)
        slow = np.stack([_scan_person(view, s, 35 * 60)[: weeks * 7].reshape(weeks, 7).max(axis=1)
                         for s in range(idx.S)])
        assert (fast == slow).all()
