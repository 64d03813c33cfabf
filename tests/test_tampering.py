"""Verify names the first entry that differs from the log as it was, on every store.

Each example takes a log written through a registry, changes it at rest as an
intruder would (one entry altered, with or without its hash recomputed; an entry
dropped, repeated or moved; the log cut short), records the ground truth (the
first position where the stored entries differ from the original ones, or the new
length when only a tail is gone) and asserts the position verify names, checked
against the checkpoints a witness took after each append before the change.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govflow import Registry
from govflow.log import Checkpoint

from .stores import Handle, handle
from .test_stores import FP, filled

Rows = list[dict[str, Any]]
AT_REST = ["jsonl", "sqlite", "postgres"]

#: Fields an intruder changes, with a new value for each (given the old one).
CHANGES: dict[str, Callable[[Any], Any]] = {
    "after": lambda old: "ended" if old != "ended" else "proposed",
    "before": lambda old: "shadow" if old != "shadow" else "endorsed",
    "body": lambda old: old + "x",
    "terms_version": lambda old: old + 1,
    "decision.actor": lambda old: old + "x",
    "decision.id": lambda old: old + "x",
    "decision.decided": lambda old: "2030-01-01",
    "mandate.organisation": lambda old: old + "x",
    "prev": lambda old: hashlib.sha256(old.encode()).hexdigest(),
}


def canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def rehash(row: dict[str, Any]) -> None:
    """Recompute ``row``'s hash over its content, as a careful forger would."""
    content = {k: v for k, v in row.items() if k != "hash"}
    row["hash"] = hashlib.sha256(canonical(content).encode()).hexdigest()


def altered(rows: Rows, at: int, field: str, *, rehashed: bool) -> Rows:
    """``rows`` with ``field`` of entry ``at`` changed (its hash recomputed, if ``rehashed``).

    Only that row is copied: the others are ``rows``' own, left as they are.
    """
    changed = list(rows)
    changed[at] = target = copy.deepcopy(rows[at])
    *path, last = field.split(".")
    for part in path:
        target = target[part]
    target[last] = CHANGES[field](target[last])
    if rehashed:
        rehash(changed[at])
    return changed


@st.composite
def tamperings(draw: st.DrawFn, size: int) -> tuple[str, Callable[[Rows], Rows]]:
    """One change at rest, named, as a function of the stored rows."""
    at = draw(st.integers(0, size - 1))
    how = draw(st.sampled_from(["alter", "drop", "repeat", "move", "cut", "rewrite"]))
    if how == "rewrite":
        return f"rewrite from {at}", lambda rows: rewritten(rows, at)
    if how == "alter":
        field = draw(st.sampled_from(sorted(CHANGES)))
        rehashed = draw(st.booleans())
        label = f"{field} of {at}{' rehashed' if rehashed else ''}"
        return label, lambda rows: altered(rows, at, field, rehashed=rehashed)
    if how == "drop":
        return f"drop {at}", lambda rows: rows[:at] + rows[at + 1 :]
    if how == "repeat":
        source = draw(st.integers(0, size - 1))
        return f"repeat {source} at {at}", lambda rows: [*rows[:at], rows[source], *rows[at:]]
    if how == "move":
        to = draw(st.integers(0, size - 1).filter(lambda n: n != at))
        return f"move {at} to {to}", lambda rows: _moved(rows, at, to)
    return f"cut to {at}", lambda rows: rows[:at]


def rewritten(rows: Rows, at: int) -> Rows:
    """Entry ``at`` altered and every hash from there on recomputed: a forged chain."""
    changed = altered(rows, at, "after", rehashed=True)
    for later in range(at + 1, len(changed)):
        changed[later] = dict(changed[later], prev=changed[later - 1]["hash"])
        rehash(changed[later])
    return changed


def _moved(rows: Rows, at: int, to: int) -> Rows:
    changed = list(rows)
    changed.insert(to, changed.pop(at))
    return changed


def ground_truth(before: Rows, after: Rows) -> int:
    """The first position where ``after`` differs from ``before`` (its length, for a cut)."""
    for position, (old, new) in enumerate(zip(before, after, strict=False)):
        if old != new:
            return position
    return min(len(before), len(after))


@pytest.fixture(params=AT_REST, ids=AT_REST, scope="module")
def written(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Handle, Rows, list[Checkpoint]]]:
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    tmp: Path = tmp_path_factory.mktemp(request.param)
    for store in handle(request.param, tmp):
        log, _ = filled(store, count=5)
        rows = [json.loads(s.text) for s in log.stored()]  # type: ignore[attr-defined]
        # A witness's history: a checkpoint after each append.
        history = [Checkpoint(n + 1, row["hash"]) for n, row in enumerate(rows)]
        assert history[-1] == log.checkpoint()
        store.close()
        yield store, rows, history


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_verify_names_the_first_entry_that_differs(
    written: tuple[Handle, Rows, list[Checkpoint]], data: st.DataObject
) -> None:
    store, rows, history = written
    label, change = data.draw(tamperings(len(rows)), label="tampering")
    changed = change(rows)
    if changed == rows:  # moving an entry onto itself, and the like: nothing to find
        return
    truth = ground_truth(rows, changed)
    store.rewrite(lambda _: copy.deepcopy(changed))
    try:
        opened = store.open()
        result = opened.verify(history)  # type: ignore[arg-type]
        again = opened.verify(history)  # type: ignore[arg-type]
        opened.close()  # type: ignore[attr-defined]
    finally:
        store.rewrite(lambda _: copy.deepcopy(rows))  # the log as written, for the next example
    assert result.problem is not None, label
    if label.startswith("prev of") and label.endswith("rehashed"):
        # A link forged with its entry's hash recomputed looks, from the chain (and
        # from columns a careful intruder kept in step), like the entry before it
        # altered and rehashed: verify names that one, and says it may be either.
        assert (result.problem.seq, result.problem.kind) == (max(truth - 1, 0), "unlinked"), label
        assert truth == 0 or f"or entry {truth}'s link was" in result.problem.message
    else:
        assert result.problem.seq == truth, (label, str(result))
    # Verifying changes nothing: a second look finds the same.
    assert again == result


def test_a_row_whose_columns_disagree_with_its_content_is_named(
    tmp_path: Path,
) -> None:
    # An intruder who rehashes an entry's content but leaves the hash column: the
    # columns name the entry that was altered, which the chain alone cannot.
    import sqlite3  # noqa: PLC0415

    for store in handle("sqlite", tmp_path):
        log, _ = filled(store)
        rows = [json.loads(s.text) for s in log.stored()]  # type: ignore[attr-defined]
        store.close()
        forged = altered(rows, 2, "decision.actor", rehashed=True)
        db = sqlite3.connect(tmp_path / "log.db")
        db.execute("UPDATE govflow_entries SET content = ? WHERE seq = 2", (canonical(forged[2]),))
        db.commit()
        db.execute("UPDATE govflow_entries SET seq = ? WHERE seq = ?", (2**62, len(rows) - 1))
        db.commit()
        db.close()
        problem = store.open().verify().problem
        assert problem is not None
        assert (problem.seq, problem.kind) == (2, "misindexed")
        assert "its hash column holds" in problem.message


def test_a_registry_written_log_is_what_the_property_starts_from(
    written: tuple[Handle, Rows, list[Checkpoint]],
) -> None:
    store, rows, history = written
    opened = store.open()
    try:
        assert opened.verify(history).ok  # type: ignore[arg-type]
        assert len(rows) == history[-1].count == len(Registry(_lifecycle(), log=opened).log)
    finally:
        opened.close()  # type: ignore[attr-defined]


def _lifecycle() -> Any:
    from .helpers import LIFECYCLE  # noqa: PLC0415

    assert LIFECYCLE.fingerprint == FP
    return LIFECYCLE
