"""A file store's path, checked before the file is opened or made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govflow.errors import NotALog

if TYPE_CHECKING:
    from pathlib import Path


def check_path(path: Path, *, create: bool) -> bool:
    """Check that ``path`` names a log file that is there or can be made; say if it is there.

    Args:
        path: The file.
        create: Whether a missing file is to be created (a lifecycle was given).

    Raises:
        NotALog: It is a directory or something else that is not a file, a symbolic link
            to nothing (dangling, or a loop), or missing where it cannot be created
            (``create`` false, or no such directory).
    """
    where = str(path)
    try:
        path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise NotALog(where, "it is a symbolic link to nothing: point it at a file") from None
        if not create:
            raise NotALog(where, "there is no such file, and no lifecycle to create it") from None
        if not path.parent.is_dir():
            raise NotALog(
                where, f"there is no directory {str(path.parent)!r} to create it in"
            ) from None
        return False
    except OSError as error:  # a loop of links, a name too long, a component not a directory
        raise NotALog(where, f"it cannot be opened ({error.strerror})") from None
    if not path.is_file():
        raise NotALog(where, "it is not a file (a directory, or a device)")
    return True
