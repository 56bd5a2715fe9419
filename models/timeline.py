"""Real time on a plan period: minutes since the period's first local midnight, in the unit's time zone.

Norway changes clocks twice a year (sommertid: the last Sunday of March 02:00 → 03:00, the last Sunday of
October 03:00 → 02:00), so a night shift 21:30–07:30 into the last Sunday of October lasts 11 h and in March
9 h. The law counts real hours (daily and weekly rest, 12.5 h a day, 54 h a week), so every rule reads shift
starts and ends on this timeline: a wall-clock time maps through the zone's UTC offset (zoneinfo, IANA data).
A wall time that does not exist (02:30 in March) reads with the offset before the change (`fold=0`), and one
that exists twice (02:30 in October) as its first occurrence.

Without a clock change in or near the period the real timeline is the wall-clock one, and `regular` says so:
the index then keeps its plain `day × 1440 + clock` arithmetic.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

DAY = 1440
MARGIN_DAYS = 7  # days before and after the period whose offsets are read exactly (absences, Sunday windows)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name` (ValueError if unknown, for the model's validator)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"unknown time zone {name!r}") from e


class Timeline:
    """Wall-clock minutes from the period's first midnight → real (elapsed) minutes from that midnight."""

    def __init__(self, start: dt.date, days: int, tz: str) -> None:
        self.tz = zone(tz)
        self.origin = dt.datetime.combine(start, dt.time())
        self.lo = -MARGIN_DAYS
        n = days + 2 * MARGIN_DAYS + 1
        self.midnight_offset = np.array([self._offset((self.lo + k) * DAY) for k in range(n)], dtype=np.int64)
        self.offset0 = self._offset(0)
        self.regular = bool((self.midnight_offset == self.offset0).all())

    def _offset(self, wall: int) -> int:
        """UTC offset in minutes of the wall time `wall` minutes after the period's first midnight."""
        off = (self.origin + dt.timedelta(minutes=wall)).replace(tzinfo=self.tz).utcoffset()
        return int(off.total_seconds() // 60) if off is not None else 0

    def real(self, wall: np.ndarray | int) -> np.ndarray:
        """Real minutes of wall-clock minutes (same shape). A day whose midnight and next midnight have the same
        offset holds no change, so only the days of a change are read one by one."""
        walls = np.asarray(wall, dtype=np.int64)
        if self.regular:
            return walls
        flat = walls.reshape(-1)
        last = len(self.midnight_offset) - 2
        k = np.clip(flat // DAY - self.lo, 0, last)
        off = self.midnight_offset[k]
        change = (off != self.midnight_offset[k + 1]) & (flat // DAY - self.lo <= last)
        for i in np.flatnonzero(change).tolist():
            off[i] = self._offset(int(flat[i]))
        return (flat - (off - self.offset0)).reshape(walls.shape)

    def wall(self, real: int) -> int:
        """Wall-clock minutes of a real minute (the inverse of `real`; in the repeated October hour, the first)."""
        if self.regular:
            return int(real)
        w = int(real)
        for _ in range(3):
            w_new = int(real) + (w - int(self.real(w)))  # w - real(w): the offset change at w
            if w_new == w:
                break
            w = w_new
        return w

    def real_datetime(self, naive: dt.datetime) -> int:
        """Real minutes of a naive local datetime."""
        return int(self.real(int((naive - self.origin).total_seconds() // 60)))
