"""The files SQLite keeps beside a database, as a read-only store must leave them.

A read-only connection to a WAL database makes ``-wal`` and ``-shm`` files beside it
when they are missing, and cannot remove them: :func:`let_go` has SQLite remove them. A
file this process may not write is opened so that none are made (``immutable``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


def empty(path: Path) -> bool:
    """Whether ``path`` is an empty file (``False`` when it cannot be read)."""
    with contextlib.suppress(OSError):
        return path.stat().st_size == 0
    return False


def wal_files(path: Path) -> list[Path]:
    """The ``-wal`` and ``-shm`` files of the database ``path``."""
    real = path.resolve()  # SQLite makes them beside the file a link names
    return [real.with_name(f"{real.name}-{end}") for end in ("wal", "shm")]


def let_go(path: Path) -> None:
    """Have SQLite remove the ``-wal`` and ``-shm`` files a read-only connection made.

    A read-only connection to a WAL database makes them when they are missing and cannot
    remove them. An empty ``-wal`` holds nothing to write back: a connection that reads
    nothing and closes removes both, as the last connection to a database does, without
    touching the database file, and leaves them be if another (a writer's) has them.
    """
    with contextlib.suppress(OSError, sqlite3.Error):
        if wal_files(path)[0].stat().st_size == 0:
            db = sqlite3.connect(path.absolute(), timeout=0, isolation_level=None)
            try:
                db.execute("PRAGMA query_only=ON")
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                db.close()
