"""The scaling benchmark's unit generator and one measured point (numbers are not asserted:
speed belongs in benchmarks, not in tests)."""

from __future__ import annotations

import pytest

from benchmarks.scaling import measure, tables
from models.generate import generate_staff, wards_for


@pytest.mark.parametrize("n, expected", [(10, 13), (25, 26), (50, 48), (100, 96), (200, 201)])
def test_wards_for_gives_nearest_whole_wards(n, expected):
    assert len(generate_staff(n, weeks=2).staff) == expected
    assert len(wards_for(n)) >= 1


def test_wards_for_rejects_empty_unit():
    with pytest.raises(ValueError):
        wards_for(0)


def test_generated_unit_ids_are_unique_and_demand_per_ward():
    inst = generate_staff(100, weeks=2)
    ids = [p.id for p in inst.staff]
    assert len(ids) == len(set(ids))
    assert {d.unit for d in inst.demand} == {p.unit for p in inst.staff}


def test_measure_one_point_and_table():
    row = measure(10, 2)
    assert row["staff"] == 13 and row["weeks"] == 2
    assert row["vars"] > 0 and row["constraints"] > 0 and row["assignments"] > 0
    assert row["rss_peak_mb"] >= row["rss_base_mb"] > 0
    text = tables([row])
    assert "| 13 | 2 |" in text and "Build seconds" in text
