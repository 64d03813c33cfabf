"""The Merkle nodes of a JSON Lines log, in the file beside it (its name with ``.tree``).

32 bytes a node, in the order :func:`~govflow.log.merkle.position` gives. Only a
regular file of no other name is read or written there: a link (symbolic or hard), a
pipe, a directory or a file that begins as a log does in its place is left alone (read
as holding no node), and the nodes are made in memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from govflow.errors import NotALog

NODE = 32  # the bytes of a Merkle node
_READ = 1 << 16  # the bytes read at a time: 2,048 nodes


class Sidecar:
    """The Merkle nodes in the file beside a JSON Lines log, read one by one.

    Opened without following a link and without blocking, and read only if it is a
    regular file: whatever else is put there reads as no node.
    """

    def __init__(self, path: Path, where: str) -> None:
        self._path, self._where = path, where

    def _open(self) -> int | None:
        try:
            descriptor = os.open(self._path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode) or foreign(descriptor):
            os.close(descriptor)
            return None
        return descriptor

    def __len__(self) -> int:
        return os.lstat(self._path).st_size // NODE if regular(self._path) else 0

    def __iter__(self) -> Iterator[bytes]:
        descriptor = self._open()
        if descriptor is None:
            return
        with os.fdopen(descriptor, "rb") as source:
            while block := source.read(_READ):
                whole = len(block) - len(block) % NODE  # a block's end is a node's
                yield from (block[i : i + NODE] for i in range(0, whole, NODE))
                if whole < len(block):  # a last node cut short
                    return

    def some(self, positions: list[int]) -> dict[int, bytes]:
        descriptor = self._open()
        if descriptor is None:
            return {}
        try:
            read = {at: os.pread(descriptor, NODE, at * NODE) for at in positions}
        finally:
            os.close(descriptor)
        return {at: node for at, node in read.items() if len(node) == NODE}

    def __getitem__(self, position: int) -> bytes:
        descriptor = self._open()
        node = b""
        if descriptor is not None:
            try:
                node = os.pread(descriptor, NODE, position * NODE)
            finally:
                os.close(descriptor)
        if len(node) != NODE:
            raise NotALog(
                self._where,
                f"its Merkle node file {self._path} is gone or cut short: delete it to have "
                "it made again",
            )
        return node


def write_nodes(path: Path, start: int, nodes: list[bytes], *, durable: bool) -> None:
    """Write ``nodes`` from position ``start`` on, cutting any after them.

    Nothing is written unless ``path`` is a regular file of no other name, or nothing.
    """
    if path.is_symlink() or (path.exists() and not regular(path)):
        return  # something else is there: it is left alone
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
    descriptor = os.open(path, flags, 0o644)
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1 or foreign(descriptor):
            return  # another's file too, or a log
        os.ftruncate(descriptor, start * NODE)
        os.pwrite(descriptor, b"".join(nodes), start * NODE)
        if durable:
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


#: How a govflow log's file begins (JSON Lines, SQLite): a file so begun is no node file.
_LOGS = (b'{"govflow"', b"SQLite format 3\x00")


def foreign(descriptor: int) -> bool:
    """Whether the open file begins as a log does: it is left alone, and holds no node.

    A node is a SHA-256 digest: that one begins so by chance is not to be expected.
    """
    start = os.pread(descriptor, 16, 0)
    return any(start.startswith(mark) for mark in _LOGS)


def regular(path: Path) -> bool:
    """Whether ``path`` is a regular file itself, of no other name (not a link to one)."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and found.st_nlink == 1
