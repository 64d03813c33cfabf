"""``govflow check``: validate definition files, every problem with its line and key path."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from govflow.definitions.checks import findings
from govflow.definitions.definition import Definition
from govflow.definitions.lines import Positions
from govflow.definitions.problems import UNREADABLE
from govflow.definitions.reading import load
from govflow.display.plain import shown
from govflow.errors import DefinitionError, Problem


def check(
    files: Sequence[Path],
    out: TextIO,
    *,
    as_json: bool = False,
    allow_imports: bool = False,
    strict: bool = False,
) -> int:
    """Check each file; 0 when all are clean, 1 when one has a problem, 2 when one is unreadable.

    A file that cannot be read at all (missing, a directory, not UTF-8) is exit 2 with
    its reason, on standard error (in ``--json``, in its report); every other problem is
    exit 1, all of them listed. A model that builds is then checked statically
    (``govflow.definitions.checks``): its warnings leave the exit status 0, or make it 1
    under ``strict``.
    """
    status = 0
    reports = []
    for file in files:
        problems: tuple[Problem, ...] = ()
        warnings: list[tuple[str, Problem]] = []
        try:
            model = load(file, allow_imports=allow_imports)
        except DefinitionError as error:
            problems = error.problems
        else:
            warnings = _warnings(file, model)
        unreadable = any(p.path == () and p.message.startswith(UNREADABLE) for p in problems)
        if problems or (strict and warnings):
            status = max(status, 2 if unreadable else 1)
        reports.append(
            {
                "file": str(file),
                "ok": not problems,
                "problems": [
                    {"line": p.line, "path": list(p.path), "message": p.message} for p in problems
                ],
                "warnings": [
                    {"code": code, "line": p.line, "path": list(p.path), "message": p.message}
                    for code, p in warnings
                ],
            }
        )
        if unreadable and not as_json:  # no report of a file: why, where errors go
            told = shown(str(problems[0])).replace("\n", "?")
            sys.stderr.write(f"govflow check: {told}\n")
        elif not as_json:
            # A line each: a line break in a file's name is a ?, as a control is (shown).
            said = [*(f"{p}" for p in problems), *(f"{p} (warning {c})" for c, p in warnings)]
            lines = [shown(line).replace("\n", "?") for line in said or [f"{file}: ok"]]
            out.write("".join(f"{line}\n" for line in lines))
    if as_json:
        out.write(json.dumps({"files": reports}, sort_keys=True) + "\n")
    return status


def _warnings(file: Path, model: Definition) -> list[tuple[str, Problem]]:
    """The static checks' findings as problems with their lines, each with its code."""
    text = file.read_text(encoding="utf-8")
    positions = Positions(text, "json" if file.suffix.lower() == ".json" else "toml")
    return [
        (f.code, Problem(str(file), positions.line(f.path), f.path, f.message))
        for f in findings(model)
    ]
