"""INRC-II static instances: the competition's text files (scenario, initial history, week data) as plain data.

Nothing here knows turnus: the evaluator reads only these records and the solution files, so it judges a roster
independently of the model that produced it (reader -> `Problem`, `convert.py` -> turnus `Instance`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class FormatError(ValueError):
    """A data or solution file that does not follow the competition's format (one line says where)."""


@dataclass(frozen=True)
class ShiftType:
    name: str
    min_consecutive: int
    max_consecutive: int


@dataclass(frozen=True)
class Contract:
    name: str
    min_total: int
    max_total: int
    min_work: int
    max_work: int
    min_off: int
    max_off: int
    max_weekends: int
    complete_weekends: bool


@dataclass(frozen=True)
class Nurse:
    name: str
    contract: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class History:
    """Border data of one nurse before the first day (`last_shift` None: the nurse was off)."""

    assignments: int
    weekends: int
    last_shift: str | None
    same_shift: int
    working: int
    off: int


@dataclass(frozen=True)
class Week:
    # (shift, skill) -> seven (min, optimal) pairs, Mon..Sun
    cover: dict[tuple[str, str], tuple[tuple[int, int], ...]]
    # (nurse, shift or None for Any, weekday 0..6)
    off_requests: tuple[tuple[str, str | None, int], ...]


@dataclass
class Problem:
    """A static instance: all weeks of the horizon solved at once (scenario + H0 history + week files)."""

    name: str
    scenario: str
    weeks: int
    skills: list[str]
    shifts: list[ShiftType]
    forbidden: dict[str, tuple[str, ...]]  # shift -> shifts that may not follow on the next day
    contracts: dict[str, Contract]
    nurses: list[Nurse]
    history: dict[str, History]
    week_data: list[Week] = field(default_factory=list)

    @property
    def days(self) -> int:
        return 7 * len(self.week_data)

    @property
    def shift_names(self) -> list[str]:
        return [s.name for s in self.shifts]

    def contract_of(self, nurse: str) -> Contract:
        return self.contracts[self.nurse_by_name[nurse].contract]

    @property
    def nurse_by_name(self) -> dict[str, Nurse]:
        return {n.name: n for n in self.nurses}

    def cover(self, day: int, shift: str, skill: str) -> tuple[int, int]:
        """(minimum, optimal) nurses of `skill` on `shift` on horizon day `day` ((0, 0) where the week is silent)."""
        row = self.week_data[day // 7].cover.get((shift, skill))
        return row[day % 7] if row else (0, 0)

    def off_requests(self) -> list[tuple[str, str | None, int]]:
        """(nurse, shift or None = any, horizon day) of every shift-off request."""
        return [(n, s, 7 * w + d) for w, week in enumerate(self.week_data) for n, s, d in week.off_requests]


# ---------------------------------------------------------------------------------------------------------------
_PAIR = re.compile(r"\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)")


def _lines(path: Path) -> list[str]:
    try:
        return [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]
    except OSError as exc:
        raise FormatError(f"{path}: {exc.strerror}") from None


def _pairs(text: str, where: str) -> list[tuple[int, int]]:
    out = [(int(a), int(b)) for a, b in _PAIR.findall(text)]
    if not out:
        raise FormatError(f"{where}: expected (a,b) pairs in {text!r}")
    return out


def _count(line: str, key: str, where: str) -> int:
    m = re.fullmatch(rf"{key}\s*=\s*(\d+)", line)
    if not m:
        raise FormatError(f"{where}: expected '{key} = n', got {line!r}")
    return int(m.group(1))


def read_scenario(path: Path) -> dict:
    lines = _lines(path)
    where = str(path)
    i = 0

    def take() -> str:
        nonlocal i
        if i >= len(lines):
            raise FormatError(f"{where}: unexpected end of file")
        i += 1
        return lines[i - 1]

    scen = re.fullmatch(r"SCENARIO\s*=\s*(\S+)", take())
    if not scen:
        raise FormatError(f"{where}: missing SCENARIO line")
    weeks = _count(take(), "WEEKS", where)
    skills = [take() for _ in range(_count(take(), "SKILLS", where))]
    shifts = []
    for _ in range(_count(take(), "SHIFT_TYPES", where)):
        ln = take()
        ((lo, hi),) = _pairs(ln, where)[:1]
        shifts.append(ShiftType(ln.split()[0], lo, hi))
    if take() != "FORBIDDEN_SHIFT_TYPES_SUCCESSIONS":
        raise FormatError(f"{where}: missing FORBIDDEN_SHIFT_TYPES_SUCCESSIONS")
    forbidden: dict[str, tuple[str, ...]] = {}
    for _ in shifts:
        parts = take().split()
        forbidden[parts[0]] = tuple(parts[2 : 2 + int(parts[1])])
    contracts = {}
    for _ in range(_count(take(), "CONTRACTS", where)):
        ln = take()
        pairs = _pairs(ln, where)
        tail = _PAIR.sub(" ", ln).split()
        if len(pairs) != 3 or len(tail) != 3:
            raise FormatError(f"{where}: bad contract line {ln!r}")
        (a, b), (c, d), (e, f) = pairs
        contracts[tail[0]] = Contract(tail[0], a, b, c, d, e, f, int(tail[1]), tail[2] == "1")
    nurses = []
    for _ in range(_count(take(), "NURSES", where)):
        parts = take().split()
        n = int(parts[2])
        nurses.append(Nurse(parts[0], parts[1], tuple(parts[3 : 3 + n])))
        if parts[1] not in contracts or any(s not in skills for s in parts[3 : 3 + n]):
            raise FormatError(f"{where}: nurse {parts[0]} names an unknown contract or skill")
    return {
        "scenario": scen.group(1),
        "weeks": weeks,
        "skills": skills,
        "shifts": shifts,
        "forbidden": forbidden,
        "contracts": contracts,
        "nurses": nurses,
    }


def read_history(path: Path) -> dict[str, History]:
    lines = _lines(path)
    try:
        start = lines.index("NURSE_HISTORY") + 1
    except ValueError:
        raise FormatError(f"{path}: missing NURSE_HISTORY") from None
    out = {}
    for ln in lines[start:]:
        p = ln.split()
        if len(p) != 7:
            raise FormatError(f"{path}: bad history line {ln!r}")
        out[p[0]] = History(int(p[1]), int(p[2]), None if p[3] == "None" else p[3], int(p[4]), int(p[5]), int(p[6]))
    return out


def read_week(path: Path) -> Week:
    lines = _lines(path)
    cover: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}
    try:
        i = lines.index("REQUIREMENTS") + 1
    except ValueError:
        raise FormatError(f"{path}: missing REQUIREMENTS") from None
    while i < len(lines) and not lines[i].startswith("SHIFT_OFF_REQUESTS"):
        p = lines[i].split()
        pairs = _pairs(lines[i], str(path))
        if len(pairs) != 7:
            raise FormatError(f"{path}: cover line needs 7 (min,opt) pairs: {lines[i]!r}")
        cover[(p[0], p[1])] = tuple(pairs)
        i += 1
    reqs = []
    if i < len(lines):
        for ln in lines[i + 1 : i + 1 + _count(lines[i], "SHIFT_OFF_REQUESTS", str(path))]:
            p = ln.split()
            if len(p) != 3 or p[2] not in DAYS:
                raise FormatError(f"{path}: bad shift-off request {ln!r}")
            reqs.append((p[0], None if p[1] == "Any" else p[1], DAYS.index(p[2])))
    return Week(cover, tuple(reqs))


def parse_name(name: str) -> tuple[str, int, list[int]]:
    """`n030w4_1_6-2-9-1` -> ("n030w4", history 1, week files [6, 2, 9, 1])."""
    m = re.fullmatch(r"(n\d+w\d+)_(\d+)_(\d+(?:-\d+)*)", name)
    if not m:
        raise FormatError(f"instance name {name!r} is not like n030w4_1_6-2-9-1")
    return m.group(1), int(m.group(2)), [int(x) for x in m.group(3).split("-")]


def scenario_dir(data_dir: Path, scenario: str) -> Path:
    """The folder holding a scenario's files (DATA_DIR/<scenario>/, or DATA_DIR itself)."""
    sub = data_dir / scenario
    return sub if (sub / f"Sc-{scenario}.txt").exists() else data_dir


def read_problem(data_dir: Path | str, name: str) -> Problem:
    """The static instance `name` from DATA_DIR (scenario folders as in the competition's datasets)."""
    scenario, h, weeks = parse_name(name)
    folder = scenario_dir(Path(data_dir), scenario)
    sc = read_scenario(folder / f"Sc-{scenario}.txt")
    if sc["weeks"] != len(weeks):
        raise FormatError(f"{name}: scenario {scenario} has {sc['weeks']} weeks, the name lists {len(weeks)}")
    hist = read_history(folder / f"H0-{scenario}-{h}.txt")
    missing = [n.name for n in sc["nurses"] if n.name not in hist]
    if missing:
        raise FormatError(f"{name}: history lacks nurses {missing[:3]}")
    week_data = [read_week(folder / f"WD-{scenario}-{w}.txt") for w in weeks]
    names = {n.name for n in sc["nurses"]}
    shift_names = {s.name for s in sc["shifts"]}
    for w in week_data:
        for sh, sk in w.cover:
            if sh not in shift_names or sk not in sc["skills"]:
                raise FormatError(f"{name}: cover names unknown shift/skill {sh}/{sk}")
        for n, sh, _ in w.off_requests:
            if n not in names or (sh is not None and sh not in shift_names):
                raise FormatError(f"{name}: shift-off request names unknown nurse/shift {n}/{sh}")
    return Problem(name=name, history=hist, week_data=week_data, **sc)
