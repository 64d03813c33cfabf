"""What a store says when its file or database refuses it, in words that say what to do."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from govflow.errors import StoreFailed

if TYPE_CHECKING:
    from pathlib import Path

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
