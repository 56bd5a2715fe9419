"""Synthetic Curtois & Qu instances (benchmarks/curtois/synthetic.py): readable, right-sized, lawful by construction."""

from __future__ import annotations

import pytest

from benchmarks.curtois.evaluator import evaluate
from benchmarks.curtois.reader import parse_instance, read_instance
from benchmarks.curtois.synthetic import generate, main, staff_id
from benchmarks.curtois.writer import read_roster, roster_to_cells

SIZES = [(14, 8, 1), (28, 20, 4), (56, 30, 8), (364, 6, 12)]


@pytest.mark.parametrize(("days", "staff", "shifts"), SIZES)
def test_generated_instance_parses_with_right_size_and_hidden_roster_is_lawful(days: int, staff: int,
                                                                               shifts: int) -> None:
    syn = generate(days, staff, shifts, seed=3)
    inst = parse_instance(syn.text, name="syn")
    assert (inst.horizon, inst.n_staff, inst.n_shifts) == (days, staff, shifts)
    assert len(inst.cover) == days * shifts
    assert inst.on_requests and inst.off_requests
    assert all(len(st.days_off) > 0 for st in inst.staff)
    ev = evaluate(inst, roster_to_cells(syn.hidden))
    assert ev.lawful, [str(v) for v in ev.violations[:5]]
    assert syn.relaxed == 0
    # the contracts are the real files' bands: MinTotalMinutes = MaxTotalMinutes - 960
    assert all(st.max_minutes - st.min_minutes == 960 for st in inst.staff)


def test_same_seed_same_instance_other_seed_other_instance() -> None:
    a, b, c = generate(28, 10, 3, seed=5), generate(28, 10, 3, seed=5), generate(28, 10, 3, seed=6)
    assert a.text == b.text and a.hidden == b.hidden
    assert a.text != c.text


def test_forbidden_successions_follow_the_rest_rule() -> None:
    inst = parse_instance(generate(14, 4, 8, seed=1).text)
    ids = [s.id for s in inst.shifts]
    by_id = {s.id: s for s in inst.shifts}
    fam = {i: i[0] for i in ids}
    # a late shift may not be followed by an early one; an early one may be followed by anything
    assert inst.shift_index()["a1"] in by_id["p1"].forbidden_next
    assert by_id["a1"].forbidden_next == ()
    # no type forbids itself (a 12 h shift leaves 12 h rest)
    assert all(inst.shift_index()[s.id] not in s.forbidden_next for s in inst.shifts)
    assert set(fam.values()) == {"a", "d", "p", "n"}


def test_rejects_sizes_outside_the_family() -> None:
    for args in ((10, 5, 2), (371, 5, 2), (14, 151, 2), (14, 5, 33), (14, 0, 2)):
        with pytest.raises(ValueError):
            generate(*args)


def test_staff_ids_like_the_real_files() -> None:
    assert [staff_id(i) for i in (0, 25, 26, 27, 51, 52)] == ["A", "Z", "AA", "AB", "AZ", "BA"]


def test_cli_writes_instance_and_hidden_roster(tmp_path) -> None:
    out, hidden = tmp_path / "X.txt", tmp_path / "X_hidden.txt"
    assert main(["--days", "21", "--staff", "9", "--shifts", "5", "--seed", "2", "-o", str(out),
                 "--hidden", str(hidden)]) == 0
    assert out.read_bytes().count(b"\r\n") > 10  # CRLF like the originals
    inst = read_instance(out)
    assert inst.size == "21×9×5"
    assert evaluate(inst, read_roster(inst, hidden)).lawful
