"""A store's arguments, checked before a file or database is opened or made: a path, a text."""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from govflow.errors import InvalidRecord, NotALog, StoreFailed
from govflow.model.terms import UNWRITABLE
from govflow.stores._said import WAIT_LONGER, WRITE_ACCESS

#: The files kept beside a log, by the ending of their names: no log may be named so.
_KEPT_BESIDE = {
    ".tree": "a JSON Lines log's Merkle node file",
    "-wal": "SQLite's write-ahead file",
    "-shm": "SQLite's shared-memory file",
    "-journal": "SQLite's rollback journal",
}


def check_path(path: Path, *, create: bool, read_only: bool = False) -> bool:
    """Check that ``path`` names a log file that is there or can be made; say if it is there.

    Args:
        path: The file.
        create: Whether a missing file is to be created (a lifecycle was given).
        read_only: Whether the store is opened read-only (then none is created).

    Raises:
        NotALog: It is a directory or something else that is not a file, a symbolic link
            to nothing (dangling, or a loop), missing where it cannot be created
            (``create`` false, or no such directory).
        InvalidRecord: It is missing, to be created, and named as a file kept beside a log
            is (``.tree``, ``-wal``, ``-shm``, ``-journal``), which would be lost.
    """
    where = str(path)
    try:
        path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise NotALog(where, "it is a symbolic link to nothing: point it at a file") from None
        if not create:
            raise NotALog(where, uncreated("there is no such file", read_only=read_only)) from None
        if not path.parent.is_dir():
            raise NotALog(
                where, f"there is no directory {str(path.parent)!r} to create it in"
            ) from None
        _not_kept_beside(path)
        return False
    except OSError as error:  # a loop of links, a name too long, a component not a directory
        raise NotALog(where, f"it cannot be opened ({error.strerror})") from None
    if not path.is_file():
        raise NotALog(where, "it is not a file (a directory, or a device)")
    return True


def kept_beside(path: Path) -> tuple[Path, ...]:
    """The files a store may keep beside a log at ``path`` (``.tree``, ``-wal``, ...)."""
    return tuple(path.with_name(path.name + suffix) for suffix in _KEPT_BESIDE)


def _not_kept_beside(path: Path) -> None:
    """Refuse to create a log named as a file kept beside another is (read one, if there)."""
    for suffix, kept in _KEPT_BESIDE.items():
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            owner = path.name.removesuffix(suffix)
            expected = (
                f"a name not ending in {suffix!r}: {kept} beside {owner!r} has that name, and "
                "a log there would be overwritten or deleted"
            )
            raise InvalidRecord("open_store", "path", expected, str(path))


def file_path(store: str, path: object, **switches: object) -> Path:
    """``path`` as a store's file: a text or a path the system can take, not empty.

    ``switches`` are the store's flags (``durable``, ``read_only``), each True or False.

    Raises:
        InvalidRecord: It is none (another type, empty, a NUL, a lone surrogate), or a
            switch is not True or False.
    """
    for name, value in switches.items():
        if type(value) is not bool:
            raise InvalidRecord(store, name, "True or False", value)
    try:
        raw = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
        usable = type(raw) is str and bool(raw) and "\x00" not in raw and bool(os.fsencode(raw))
    except Exception:  # noqa: BLE001 - a caller's __fspath__ may raise anything
        raw, usable = None, False
    if not usable:
        raise InvalidRecord(store, "path", "a file's path: a text or a Path, without NUL", path)
    return Path(raw)  # type: ignore[arg-type]


def seconds(store: str, timeout: object) -> float:
    """``timeout`` as seconds to wait: a number from 0.

    Raises:
        InvalidRecord: It is not one.
    """
    if type(timeout) not in (int, float) or not 0 <= timeout < math.inf:  # type: ignore[operator]
        raise InvalidRecord(store, "timeout", "seconds: a number from 0", timeout)
    try:
        return float(timeout)  # type: ignore[arg-type]
    except OverflowError:  # a whole number past the largest float
        raise InvalidRecord(
            store, "timeout", "seconds: a number from 0 a float holds", timeout
        ) from None


def uncreated(found: str, *, read_only: bool) -> str:
    """Why no log was created where ``found`` says there is none, and how to create one."""
    if read_only:
        return f"{found} (a store opened read-only creates no log)"
    return f"{found}: give the lifecycle's fingerprint to create a log there"


def identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of the file at ``path``; ``None`` if there is none.

    A file deleted or replaced since has another, or none.
    """
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def storable(text: object) -> bool:
    """Whether ``text`` can be a database's query argument: a str, UTF-8, with no NUL."""
    return type(text) is str and (text.isprintable() or UNWRITABLE.search(text) is None)


def taken(fd: int, wait: float) -> bool:
    """Take an exclusive ``flock`` on ``fd`` if it comes within ``wait`` s; whether it came.

    Asked again and again, a little longer apart each time, up to 50 ms: a lock waited for
    in the kernel cannot be given up at a time, and one another process never lets go of
    would hang the caller for ever.
    """
    deadline, pause = time.monotonic() + wait, 0.001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        else:
            return True


def locked(fd: int, wait: float, where: str) -> None:
    """Take the writers' lock (an exclusive ``flock``) on ``fd``, waiting at most ``wait`` s.

    Raises:
        StoreFailed: Another process held it all that time.
    """
    if not taken(fd, wait):
        why = f"another writer held its lock for {wait:g} seconds"
        raise StoreFailed(where, why, WAIT_LONGER)


@contextlib.contextmanager
def appending(path: Path, wait: float, where: str) -> Iterator[BinaryIO]:
    """``path`` opened to append, under the writers' lock, which is let go at the end.

    Raises:
        StoreFailed: This process may not write it, or another writer held the lock
            past ``wait`` seconds.
        NotALog: It is gone, or something other than a file is in its place.
    """
    try:  # the log's file, not one made where it was (gone, or a dangling link)
        fd = os.open(path, os.O_RDWR | os.O_APPEND)
        out = open(fd, "ab", buffering=0)  # noqa: PTH123, SIM115 - unbuffered: nothing left to flush
    except PermissionError as error:  # a log this process may not write
        why = f"the file cannot be opened to append ({error.strerror})"
        raise StoreFailed(where, why, WRITE_ACCESS) from None
    except OSError as error:  # gone, or something else in its place
        raise NotALog(where, f"it cannot be read and written ({error.strerror})") from None
    with out:
        locked(out.fileno(), wait, where)
        try:
            yield out
        finally:
            fcntl.flock(out.fileno(), fcntl.LOCK_UN)
