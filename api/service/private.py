"""Files that hold health data or secrets are private from the moment they exist (issue 18, item 6).

The SQLite database holds staff names and absence kinds (sick leave); the data folder holds the generated API
key. Everything is created under umask 077 (folders 0700, files 0600), never created open and narrowed by a
chmod afterwards: a chmod leaves a window in which another local user can open the file and keep it open.
SQLite creates its `-wal` and `-shm` files with the database file's own mode, so they are 0600 as well.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE_UMASK = 0o077


@contextmanager
def private_umask() -> Iterator[None]:
    """umask 077 for what is created inside (the umask is per process; the server sets it only at start)."""
    old = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(old)


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; an existing folder is left as it is."""
    with private_umask():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> bool:
    """Create an empty `path` as 0600 (in a private folder) unless it exists; True when it was created."""
    private_dir(path.parent)
    with private_umask():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
    os.close(fd)
    return True


def mask_url(url: str) -> str:
    """A database URL fit for a log line: the password (also an unencoded one with `@` in it, and a
    `password=` query argument) replaced by ***."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    at = rest.rfind("@")
    if at >= 0 and ":" in rest[:at]:
        rest = rest[:at].split(":", 1)[0] + ":***" + rest[at:]
    return scheme + sep + re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", rest)
