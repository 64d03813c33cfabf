"""What a store says when its file or database refuses it, in words that say what to do."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from govflow.errors import NotALog, StoreFailed

if TYPE_CHECKING:
    from pathlib import Path

#: What to do about a lock another writer held all the time a store waited.
WAIT_LONGER = "try again, or wait longer (timeout=, or --lock-timeout)"

#: What to do about Merkle nodes a rebuild could not keep.
KEEP_AGAIN = "try again when writers pause, or give this process write access to the store"

#: What to do about an append the file or its folder may not take.
WRITE_ACCESS = "give this process write access to the file and its folder"


def store_failed(where: str, why: str) -> StoreFailed:
    """The error of an append the store refused, with what to do: wait, or get access.

    A file or folder this process may not write (SQLite says ``readonly``) is not a
    moment's trouble: trying again will not help.
    """
    if "readonly" in why:  # SQLite's word for a file or folder it may not write
        return StoreFailed(where, why, WRITE_ACCESS)
    return StoreFailed(where, why)


def sqlite_said(path: Path, error: Exception) -> str:
    """Why SQLite would not open the log at ``path``, in its words, and what may be the cause.

    A database with its write-ahead file beside it (a writer that did not close) is
    read through that file, with a shared-memory file made beside it: a folder this
    process may not write then leaves SQLite "unable to open database file".
    """
    said = f"SQLite says: {error}"
    wal = path.with_name(f"{path.name}-wal")
    if "unable to open" in str(error) and wal.exists() and not os.access(path.parent, os.W_OK):
        said += (
            f" (its write-ahead file {wal.name} is beside it, and SQLite must make a "
            "shared-memory file next to them to read it: open it where its folder can be "
            "written, or copy the database with its -wal file to such a folder)"
        )
    return said


def sqlite_refused(where: str, path: Path, error: Exception) -> NotALog | StoreFailed:
    """SQLite's refusal to open or read the log at ``path``, as the error it is.

    The database could not be had now (locked by another connection, or a file or folder
    this process may not write): ``StoreFailed``, with what to do. Anything else says
    the file holds no log SQLite can read: ``NotALog``.
    """
    said, text = sqlite_said(path, error), str(error)
    if "locked" in text or "busy" in text:
        return StoreFailed(where, said, WAIT_LONGER, opening=True)
    if "readonly" in text or "unable to open" in text:
        return StoreFailed(where, said, WRITE_ACCESS, opening=True)
    return NotALog(where, said)


def archived(path: Path, error: Exception) -> bool:
    """Whether SQLite refused to read ``path`` only because its folder cannot be written.

    Reading a database kept in write-ahead mode makes a shared-memory file beside it: in
    a folder this process may not write (a partner's read-only archive) that fails, and
    the database, with no write-ahead file beside it, can be read as it stands.
    """
    cannot = "readonly" in str(error) or "unable to open" in str(error)
    wal = path.with_name(f"{path.name}-wal")
    return cannot and not os.access(path.parent, os.W_OK) and not wal.exists()
