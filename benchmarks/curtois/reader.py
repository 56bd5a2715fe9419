"""Parser for the Curtois & Qu ("NRP", schedulingbenchmarks.org) instance format.

The format is described in ``/work/shared/data/curtois/FORMAT.md``. We parse into
frozen dataclasses with integer indices resolved once, so that the model and the
evaluator never look up strings in hot loops.  Every malformed line raises
:class:`InstanceFormatError` carrying the file name and the 1-based line number, because a
silently mis-read benchmark produces plausible but wrong numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
REQUIRED = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF")


class InstanceFormatError(ValueError):
    """Raised for any malformed instance file (message names file and line)."""


@dataclass(frozen=True)
class Shift:
    id: str
    minutes: int
    forbidden_next: tuple[int, ...]  # shift indices that may not be worked the next day


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: tuple[int, ...]  # per shift index
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int
    days_off: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Request:
    employee: int
    day: int
    shift: int
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: int
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class Instance:
    name: str
    horizon: int
    shifts: tuple[Shift, ...]
    staff: tuple[Staff, ...]
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[Cover, ...]

    @property
    def n_staff(self) -> int:
        return len(self.staff)

    @property
    def n_shifts(self) -> int:
        return len(self.shifts)

    @property
    def size(self) -> str:
        return f"{self.horizon}×{self.n_staff}×{self.n_shifts}"

    def shift_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.shifts)}

    def staff_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.staff)}

    def allowed(self, e: int, d: int) -> list[int]:
        """Shift indices employee ``e`` may take on day ``d`` (empty on a day off)."""
        st = self.staff[e]
        if d in st.days_off:
            return []
        return [s for s in range(self.n_shifts) if st.max_shifts[s] > 0]


def _int(tok: str, where: str) -> int:
    try:
        return int(tok.strip())
    except ValueError:
        raise InstanceFormatError(f"{where}: expected an integer, got {tok.strip()!r}") from None


def parse_instance(text: str, name: str = "<string>") -> Instance:
    """Parse instance text.  ``name`` is used in error messages and as the instance name."""
    sections: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise InstanceFormatError(f"{name}:{lineno}: unknown section {line!r}")
            if line in sections:
                raise InstanceFormatError(f"{name}:{lineno}: duplicate section {line!r}")
            current = line
            sections[current] = []
            continue
        if current is None:
            raise InstanceFormatError(f"{name}:{lineno}: data before the first SECTION_ header")
        sections[current].append((lineno, line))
    for req in REQUIRED:
        if req not in sections:
            raise InstanceFormatError(f"{name}: missing {req}")

    # Horizon
    hz = sections["SECTION_HORIZON"]
    if len(hz) != 1:
        raise InstanceFormatError(f"{name}: SECTION_HORIZON must hold exactly one number")
    horizon = _int(hz[0][1], f"{name}:{hz[0][0]}")
    if horizon <= 0:
        raise InstanceFormatError(f"{name}:{hz[0][0]}: horizon must be positive")

    # Shifts: two passes, because forbidden successors may reference later shifts.
    raw_shifts: list[tuple[int, str, int, list[str]]] = []
    for lineno, line in sections["SECTION_SHIFTS"]:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) not in (2, 3):
            raise InstanceFormatError(f"{name}:{lineno}: shift line needs 3 fields, got {len(parts)}")
        nxt = [t.strip() for t in parts[2].split("|") if t.strip()] if len(parts) == 3 else []
        raw_shifts.append((lineno, parts[0], _int(parts[1], f"{name}:{lineno}"), nxt))
    sidx: dict[str, int] = {}
    for i, (lineno, sid, _, _) in enumerate(raw_shifts):
        if not sid or sid in sidx:
            raise InstanceFormatError(f"{name}:{lineno}: empty or duplicate shift id {sid!r}")
        sidx[sid] = i
    if not sidx:
        raise InstanceFormatError(f"{name}: no shifts defined")

    def shift_of(tok: str, where: str) -> int:
        if tok not in sidx:
            raise InstanceFormatError(f"{where}: unknown shift id {tok!r}")
        return sidx[tok]

    shifts = tuple(
        Shift(sid, minutes, tuple(shift_of(t, f"{name}:{ln}") for t in nxt))
        for ln, sid, minutes, nxt in raw_shifts
    )

    # Staff
    staff_rows: list[dict[str, object]] = []
    eidx: dict[str, int] = {}
    for lineno, line in sections["SECTION_STAFF"]:
        where = f"{name}:{lineno}"
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 8:
            raise InstanceFormatError(f"{where}: staff line needs 8 fields, got {len(parts)}")
        if not parts[0] or parts[0] in eidx:
            raise InstanceFormatError(f"{where}: empty or duplicate employee id {parts[0]!r}")
        max_shifts = [0] * len(shifts)
        seen: set[int] = set()
        for pair in (p for p in parts[1].split("|") if p.strip()):
            if "=" not in pair:
                raise InstanceFormatError(f"{where}: MaxShifts entry {pair!r} is not ShiftID=max")
            sid, val = pair.split("=", 1)
            s = shift_of(sid.strip(), where)
            max_shifts[s] = _int(val, where)
            seen.add(s)
        for s in range(len(shifts)):
            # A shift type missing from MaxShifts is not limited by it.
            if s not in seen:
                max_shifts[s] = horizon
        nums = [_int(p, where) for p in parts[2:]]
        eidx[parts[0]] = len(staff_rows)
        staff_rows.append({"id": parts[0], "max_shifts": tuple(max_shifts), "nums": nums, "off": set()})

    def emp_of(tok: str, where: str) -> int:
        if tok not in eidx:
            raise InstanceFormatError(f"{where}: unknown employee id {tok!r}")
        return eidx[tok]

    def day_of(tok: str, where: str) -> int:
        d = _int(tok, where)
        if not 0 <= d < horizon:
            raise InstanceFormatError(f"{where}: day {d} outside horizon 0..{horizon - 1}")
        return d

    for lineno, line in sections.get("SECTION_DAYS_OFF", []):
        where = f"{name}:{lineno}"
        parts = [p.strip() for p in line.split(",") if p.strip()]
        e = emp_of(parts[0], where)
        off = staff_rows[e]["off"]
        assert isinstance(off, set)
        off.update(day_of(p, where) for p in parts[1:])

    staff = tuple(
        Staff(
            id=str(r["id"]),
            max_shifts=r["max_shifts"],  # type: ignore[arg-type]
            max_minutes=r["nums"][0],  # type: ignore[index]
            min_minutes=r["nums"][1],  # type: ignore[index]
            max_consecutive=r["nums"][2],  # type: ignore[index]
            min_consecutive=r["nums"][3],  # type: ignore[index]
            min_days_off=r["nums"][4],  # type: ignore[index]
            max_weekends=r["nums"][5],  # type: ignore[index]
            days_off=frozenset(r["off"]),  # type: ignore[arg-type]
        )
        for r in staff_rows
    )

    def requests(section: str) -> tuple[Request, ...]:
        out = []
        for lineno, line in sections.get(section, []):
            where = f"{name}:{lineno}"
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 4:
                raise InstanceFormatError(f"{where}: request line needs 4 fields, got {len(parts)}")
            out.append(
                Request(emp_of(parts[0], where), day_of(parts[1], where), shift_of(parts[2], where), _int(parts[3], where))
            )
        return tuple(out)

    cover = []
    for lineno, line in sections.get("SECTION_COVER", []):
        where = f"{name}:{lineno}"
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 5:
            raise InstanceFormatError(f"{where}: cover line needs 5 fields, got {len(parts)}")
        cover.append(
            Cover(day_of(parts[0], where), shift_of(parts[1], where), *(_int(p, where) for p in parts[2:]))
        )

    return Instance(
        name=name,
        horizon=horizon,
        shifts=shifts,
        staff=staff,
        on_requests=requests("SECTION_SHIFT_ON_REQUESTS"),
        off_requests=requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover=tuple(cover),
    )


def read_instance(path: str | Path) -> Instance:
    """Read and parse an instance file; the instance name is the file stem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceFormatError(f"{p}: cannot read: {exc}") from exc
    return parse_instance(text, name=p.stem)
