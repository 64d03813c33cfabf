"""A JSON Lines log's writers' lock: taken for each append, or held across a block.

Every append, repair and keeping of Merkle nodes writes the file under an exclusive
``flock`` (:func:`~govflow.stores._paths.appending`). :meth:`FileLock.held` takes it once
for a block (``JsonlStore.exclusive``): the appends in the block write through the file
it opened, as long as the path still names that file, and only in the thread that holds
it; another thread, like another process, waits for the lock.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from govflow.errors import StoreFailed
from govflow.stores._paths import appending, identity

if TYPE_CHECKING:
    from pathlib import Path


class FileLock:
    """The writers' lock on the log at ``path`` (``where``, as messages name it)."""

    def __init__(self, path: Path, where: str) -> None:
        self._path, self._where = path, where
        self._held: BinaryIO | None = None  # the file opened and locked, while held
        self._holder = 0  # the thread that holds it

    def _mine(self) -> BinaryIO | None:
        """The file held, if this thread holds it."""
        return self._held if self._holder == threading.get_ident() else None

    def writing(self, timeout: float) -> contextlib.AbstractContextManager[BinaryIO]:
        """The file opened to append, under the lock: the one held, if this thread holds it.

        Raises:
            StoreFailed: The lock was not had within ``timeout`` seconds, the file may not
                be written, or (held) another file was put in its place (an editor's save).
            NotALog: The file is gone, or something other than a file is in its place.
        """
        held = self._mine()
        if held is None:
            return appending(self._path, timeout, self._where)
        found = os.fstat(held.fileno())
        if identity(self._path) != (found.st_dev, found.st_ino):
            raise StoreFailed(self._where, "its file was replaced during the hold: hold it again")
        return contextlib.nullcontext(held)

    @contextlib.contextmanager
    def held(self, timeout: float) -> Iterator[None]:
        """The lock held until the block ends; a hold in a hold is the one already held."""
        if self._mine() is not None:
            yield
            return
        with appending(self._path, timeout, self._where) as out:
            self._held, self._holder = out, threading.get_ident()
            try:
                yield
            finally:
                self._held, self._holder = None, 0
