"""``govflow check``: validate definition files, every problem with its line and key path."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from govflow.definitions.reading import load
from govflow.errors import DefinitionError, Problem


def check(
    files: Sequence[Path], out: TextIO, *, as_json: bool = False, allow_imports: bool = False
) -> int:
    """Check each file; 0 when all are clean, 1 when one has a problem, 2 when one is unreadable.

    A file that cannot be read at all (missing, a directory, not UTF-8) is exit 2 with
    its reason; every other problem is exit 1, all of them listed.
    """
    status = 0
    reports = []
    for file in files:
        problems: tuple[Problem, ...] = ()
        try:
            load(file, allow_imports=allow_imports)
        except DefinitionError as error:
            problems = error.problems
        unreadable = not file.is_file()
        if problems:
            status = max(status, 2 if unreadable else 1)
        reports.append(
            {
                "file": str(file),
                "ok": not problems,
                "problems": [
                    {"line": p.line, "path": list(p.path), "message": p.message} for p in problems
                ],
            }
        )
        if not as_json:
            out.write("".join(f"{p}\n" for p in problems) or f"{file}: ok\n")
    if as_json:
        out.write(json.dumps({"files": reports}, sort_keys=True) + "\n")
    return status
