"""The commands that read a stored log: verify, checkpoint, log, status and repair."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from govflow.cli._open import Unreadable, load_lifecycle, open_log
from govflow.errors import InvalidRecord, LogError, NotALog
from govflow.log.checkpoint import Checkpoint
from govflow.log.entry import Entry
from govflow.log.replay import body_as_of
from govflow.model.when import When
from govflow.registry import EventLogger, Registry
from govflow.render.text import explanation_lines, timeline_lines
from govflow.rules.decide import explain
from govflow.rules.lifecycle import Lifecycle
from govflow.stores import JsonlStore


def verify(url: str, checkpoint_file: Path | None, out: TextIO) -> int:
    """Print whether the log is intact; 0 when it is, 1 when not."""
    checkpoint = None
    if checkpoint_file is not None:
        try:
            checkpoint = Checkpoint.from_json(checkpoint_file.read_text(encoding="utf-8"))
        except (OSError, InvalidRecord) as error:
            raise Unreadable(f"cannot read the checkpoint {checkpoint_file}: {error}") from None
    with open_log(url, read_only=True) as store:
        result = store.verify(checkpoint)
        torn = getattr(store, "torn", None)
        if result.ok and torn is not None:
            out.write(f"entry {result.count}: torn: {torn}\n")
            return 1
        if not result.ok:
            out.write(f"{result}\n")
            return 1
        out.write(f"{result}\n")
        return 0


def checkpoint(url: str, out: TextIO) -> int:
    """Print the log's checkpoint as one line of JSON."""
    with open_log(url, read_only=True) as store:
        out.write(store.checkpoint().to_json() + "\n")
    return 0


def log(url: str, out: TextIO) -> int:
    """Print the timeline of the log; 1 if an entry cannot be read (after the good ones)."""
    with open_log(url, read_only=True) as store:
        entries: list[Entry] = []
        try:
            entries.extend(store)
        except InvalidRecord as error:
            out.write("\n".join(timeline_lines(entries)) + "\n" if entries else "")
            out.write(f"reading stopped at {error.record}: {error}\n")
            return 1
        out.write("\n".join(timeline_lines(entries)) + "\n" if entries else "The log is empty.\n")
        return 0


def status(
    url: str, lifecycle: Lifecycle, as_of: dt.date | None, out: TextIO, logger: EventLogger
) -> int:
    """Print each body's state and blockers, now or as of a day.

    The store is opened as it is, never created: a missing one cannot be read (2).
    """
    with open_log(url, read_only=True) as store:
        try:
            registry = Registry(lifecycle, log=store, logger=logger)
        except (LogError, InvalidRecord) as error:
            raise Unreadable(str(error)) from None
        # Read the entries once for every body's "as of" replay, not once per body.
        entries = list(registry.log) if as_of is not None else []
        lines: list[str] = []
        for body_id in registry.bodies:
            body = (
                registry.body(body_id)
                if as_of is None
                else body_as_of(lifecycle, entries, body_id, as_of)
            )
            if body is None:
                continue
            on = None if as_of is None else When.on(as_of)
            label = f"The {body.terms.title} ({body.id})"
            lines.extend(explanation_lines(explain(lifecycle, body, on), label=label))
        out.write("\n".join(lines) + "\n" if lines else "No body had been proposed.\n")
        return 0


def repair(url: str, out: TextIO) -> int:
    """Cut a JSON Lines log's torn last line, saying what was cut."""
    with open_log(url) as store:
        if not isinstance(store, JsonlStore):
            raise Unreadable("only JSON Lines logs can have a torn line to repair")
        cut = store.repair()
        out.write(
            "nothing to repair\n"
            if cut is None
            else f"cut line {cut.line} from byte {cut.offset}\n"
        )
        return 0


COMMANDS: dict[str, Callable[..., int]] = {
    "verify": verify,
    "checkpoint": checkpoint,
    "log": log,
    "status": status,
    "repair": repair,
}

__all__ = ["COMMANDS", "NotALog", "Unreadable", "load_lifecycle", "open_log"]
