"""Seeded task lists for generated units (`turnus generate --tasks`) and for the bundled demo.

Per ward: ~30 users for a sykehjem ward (10 for a small bofellesskap-like ward), each with a primærkontakt (a
helsefagarbeider of the day pool) and a sekundærkontakt (a day-pool nurse); per ward one matvert and one
aktivitør without a ward (shared service staff, not counted in the ward's bemanningsplan); user tasks
(morning care by care level, evening care, wound care, controlled-drug doses with dobbeltkontroll) and unit
tasks (medication rounds, meals, activities, laundry, doctor's round, night round); roles ansvarsvakt and
medication responsible on every staffed shift.

Regenerate the demo with tasks:  python -m models.tasks_generate --demo   (writes models/data/demo_tasks.json)
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent / "data" / "demo.json"
DEMO_TASKS = Path(__file__).resolve().parent / "data" / "demo_tasks.json"
USERS_PER_WARD = {"medium": 30, "small": 10}
NURSES = ("sykepleier", "spesialsykepleier")


def _task(tid: str, earliest: str, latest: str, dur: int, kind: str, **kw) -> dict:
    return {"id": tid, "kind": kind, "earliest": earliest, "latest": latest, "duration_min": dur, **kw}


def _ward_tasks(
    rng: random.Random, ward: str, staff: list[dict], n_users: int, shifts: set[str]
) -> tuple[list, list, list]:
    day = [s for s in staff if s.get("unit") == ward and not s.get("night_only")]
    hfa = [s["id"] for s in day if s["group"] == "helsefagarbeider"] or [s["id"] for s in day]
    nurses = [s["id"] for s in day if s["group"] in NURSES] or [s["id"] for s in day]
    wound_ok = any("wound.complex" in [c["code"] for c in s.get("competences", [])] for s in day)
    users, tasks = [], []
    for k in range(n_users):
        uid = f"{ward}-u{k + 1:02d}"
        level = rng.choices([1, 2, 3, 4], weights=[2, 4, 3, 1])[0]
        users.append(
            {
                "id": uid,
                "unit": ward,
                "care_level": level,
                "primary_contact": hfa[k % len(hfa)],
                "secondary_contact": nurses[k % len(nurses)],
            }
        )
        if level >= 2:
            tasks.append(
                _task(
                    f"{uid}-morgenstell",
                    "07:30",
                    "11:30",
                    30 if level == 2 else 45,
                    "care",
                    user=uid,
                    group="assistent" if level == 2 else "helsefagarbeider",
                    priority=4,
                )
            )
        if level >= 3:
            tasks.append(
                _task(f"{uid}-kveldsstell", "19:00", "21:30", 30, "care", user=uid, group="assistent", priority=3)
            )
    pick = rng.sample(range(n_users), min(n_users, 3))
    if wound_ok and pick:
        uid = users[pick[0]]["id"]
        tasks.append(
            _task(
                f"{uid}-saarstell",
                "10:00",
                "14:00",
                30,
                "wound",
                user=uid,
                competences=["wound.complex"],
                weekdays=["mon", "wed", "fri"],
                priority=4,
            )
        )
    for j in pick[1:]:
        uid = users[j]["id"]
        tasks.append(
            _task(
                f"{uid}-a-preparat",
                "14:30",
                "15:00",
                15,
                "medication",
                user=uid,
                competences=["med.controlled_drug"],
                count=2,
                priority=5,
            )
        )
    u = f"{ward}-"
    rounds = (("morgen", "08:00", "08:30"), ("middag", "13:00", "13:30"), ("kveld", "20:00", "20:30"))
    tasks += [
        _task(f"{u}medisinrunde-{when}", a, b, 30, "medication", competences=["med.administer"], unit=ward, priority=5)
        for when, a, b in rounds
    ]
    tasks += [
        _task(u + "frokost", "08:00", "09:30", 60, "meal", unit=ward, priority=3),
        _task(u + "lunsj", "11:30", "13:00", 60, "meal", unit=ward, priority=3),
        _task(u + "middag", "15:30", "17:00", 60, "meal", unit=ward, priority=3),
        _task(u + "kveldsmat", "18:30", "19:30", 45, "meal", unit=ward, priority=2),
        _task(
            u + "aktivitet",
            "11:00",
            "15:00",
            60,
            "activity",
            unit=ward,
            priority=2,
            weekdays=["mon", "tue", "wed", "thu", "fri"],
        ),
        _task(u + "vask", "09:00", "14:30", 60, "laundry", unit=ward, priority=1),
        _task(
            u + "legevisitt",
            "10:00",
            "12:00",
            120,
            "doctor_round",
            group="sykepleier",
            unit=ward,
            priority=4,
            weekdays=["tue"],
        ),
    ]
    if "N" in shifts:
        tasks.append(
            _task(u + "nattrunde", "23:00", "01:00", 30, "care", group="helsefagarbeider", unit=ward, priority=3)
        )
    roles = []
    for code in ("D", "A", "N"):
        if code in shifts:
            roles.append(
                {
                    "code": "ansvarsvakt",
                    "shift": code,
                    "competences": ["ansvarsvakt"],
                    "unit": ward,
                    "reserve_min": 60 if code != "N" else 0,
                }
            )
    for code in ("D", "A"):
        if code in shifts:
            roles.append(
                {"code": "medication_responsible", "shift": code, "competences": ["med.administer"], "unit": ward}
            )
    return users, tasks, roles


def add_tasks(data: dict, seed: int = 1) -> dict:
    """`data` (an instance as JSON data) with users, tasks, roles and one matvert + one aktivitør per ward."""
    rng = random.Random(f"tasks-{seed}")
    data = {k: v for k, v in data.items() if k not in ("tasks", "users", "roles")}
    staff = list(data["staff"])
    shifts = {t["code"] for t in data["shift_types"]}
    day_codes = [c for c in ("D", "M") if c in shifts] or sorted(shifts)
    wards = sorted({s.get("unit") for s in staff if s.get("unit")})
    if not wards:
        wards = [None]
    users, tasks, roles = [], [], []
    for ward in wards:
        n_day = sum(1 for s in staff if s.get("unit") == ward and not s.get("night_only"))
        n_users = USERS_PER_WARD["medium"] if n_day >= 20 else USERS_PER_WARD["small"]
        u, t, r = _ward_tasks(rng, ward, data["staff"], n_users, shifts)
        users += u
        tasks += t
        roles += r
        tag = ward or "U"
        if not any(s["id"] == f"{tag}-matvert" for s in staff):
            staff.append({"id": f"{tag}-matvert", "group": "matvert", "position_pct": 80, "allowed_shifts": day_codes})
            staff.append(
                {"id": f"{tag}-aktivitor", "group": "aktivitor", "position_pct": 60, "allowed_shifts": day_codes}
            )
    _staff_roles(staff, wards, int(data["period"]["weeks"]))
    data["staff"] = staff
    data["users"] = users
    data["tasks"] = tasks
    data["roles"] = roles
    return data


# (role competence, pool, role shifts per day, shift hours): an ansvarsvakt on every day and evening shift and every
# night, a medication responsible on every day and evening shift
ROLE_POOLS = (("ansvarsvakt", False, 2, 7.5), ("ansvarsvakt", True, 1, 10.0), ("med.administer", False, 2, 7.5))
ROLE_SLACK = 1.5  # qualified shifts per role shift: holders also fill their slots, take ferie and free weekends


def _role_shifts(p: dict, weeks: int, hours: float) -> float:
    """Shifts of `hours` a person's position gives over `weeks`."""
    return p.get("position_pct", 100) / 100 * 35.5 * weeks / hours


def _holds(p: dict, code: str) -> bool:
    return any(c.get("code") == code for c in p.get("competences", []))


def _staff_roles(staff: list[dict], wards: list, weeks: int) -> None:
    """Staff each ward as a real unit is staffed for its roles: where the qualified people of a pool (day/evening
    or night) cannot hold the role on every shift, experienced helsefagarbeidere of that pool get the competence
    as realkompetanse (highest position first), as units do for ansvarsvakt at night (in place)."""
    for ward in wards:
        for code, night, per_day, hours in ROLE_POOLS:
            pool = [p for p in staff if p.get("unit") == ward and bool(p.get("night_only")) == night]
            need = ROLE_SLACK * per_day * 7 * weeks
            have = sum(_role_shifts(p, weeks, hours) for p in pool if _holds(p, code))
            candidates = (p for p in pool if p.get("group") == "helsefagarbeider" and not _holds(p, code))
            for p in sorted(candidates, key=lambda p: (-p.get("position_pct", 100), p["id"])):
                if have >= need:
                    break
                p.setdefault("competences", []).append({"code": code, "source": "real"})
                have += _role_shifts(p, weeks, hours)


def regenerate_demo(path: Path = DEMO_TASKS, seed: int = 1) -> dict:
    """The demo ward with ~30 users and their task list (models/data/demo_tasks.json, `turnus demo --tasks`).

    Kept beside the shift-only demo because the joint shift+task model is ~8x larger (docs/tasks.md)."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["staff"] = [s for s in data["staff"] if s.get("group") not in ("matvert", "aktivitor")]
    data = add_tasks(data, seed)
    data["id"] = "demo-sykehjem-tasks"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


if __name__ == "__main__":  # pragma: no cover
    if "--demo" in sys.argv:
        d = regenerate_demo()
        print(
            f"wrote {DEMO_TASKS}: {len(d['users'])} users, {len(d['tasks'])} tasks, {len(d['roles'])} roles, "
            f"{len(d['staff'])} staff"
        )
    else:
        print(__doc__)
