"""Verify against random tampering of real logs, each kind counted: what a partner runs.

Each example takes a log a registry wrote (a prefix of one of 40 entries: the reference
body proposed, endorsed, then nominations and notes), the checkpoints a witness took
after each append, and changes the log as its stored JSON in one of six ways: an entry
altered (with its hash recomputed or not), dropped, inserted (another entry repeated
there), moved, the log cut short, or forked (rewritten from an entry on with every hash
recomputed, as long as it was or longer). ``govflow.log.verify.verify`` reads it as a
store's rows and must name the first entry that differs from the log as written (the
ground truth, found by comparing the two). It runs fifty times the profile's examples:
10,000 under CI's, each kind counted in the run's summary and here.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from govflow import AuditLog, Kind, Registry
from govflow.log import Checkpoint
from govflow.log.entry import Stored, entry_text
from govflow.log.verify import verify

from .helpers import LIFECYCLE, VERIFIED, endorse_all, make
from .test_tampering import CHANGES, Rows, altered, canonical, ground_truth, rehash

KINDS = ("alter", "drop", "insert", "reorder", "truncate", "fork")
TAMPER_EXAMPLES = settings().max_examples * 50
SIZE = 40


def _written() -> tuple[Rows, list[Checkpoint]]:
    registry = Registry(LIFECYCLE, log=AuditLog(LIFECYCLE.fingerprint))
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    endorse_all(registry)
    for n in range(SIZE - len(registry.log)):
        if n % 2:
            registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 2 + n))
        else:
            registry.apply(make(f"n{n}", Kind.NOTE, "LGA", 2 + n, reasons=(f"note {n}",)))
    rows = [json.loads(entry_text(e)) for e in registry.log]
    history = [Checkpoint(n + 1, row["hash"]) for n, row in enumerate(rows)]
    return rows, history


ROWS, HISTORY = _written()
#: Each row as a store hands it over, made once: an example builds only those it changed.
STORED = {id(row): Stored(canonical(row), json.loads(canonical(row))) for row in ROWS}


def forked(rows: Rows, at: int, grown: int) -> Rows:
    """The log to ``at``, then another: ``at`` altered and ``grown`` more, every hash made again."""
    changed = altered(rows, at, "after", rehashed=True)
    changed += [json.loads(json.dumps(row)) for row in ROWS[len(rows) : len(rows) + grown]]
    for later in range(at + 1, len(changed)):
        changed[later] = dict(changed[later], prev=changed[later - 1]["hash"])
        rehash(changed[later])
    return changed


@st.composite
def tampered(draw: st.DrawFn) -> tuple[str, str, Rows, Rows]:
    """The kind of tampering, its label, a log's rows, and the rows after it (never equal)."""
    size = draw(st.integers(2, SIZE))
    rows = ROWS[:size]
    kind = draw(st.sampled_from(KINDS))
    at = draw(st.integers(0, size - 1))
    if kind == "alter":
        field = draw(st.sampled_from(sorted(CHANGES)))
        rehashed = draw(st.booleans())
        label = f"{field} of {at}{' rehashed' if rehashed else ''}"
        return kind, label, rows, altered(rows, at, field, rehashed=rehashed)
    if kind == "drop":
        return kind, f"drop {at}", rows, rows[:at] + rows[at + 1 :]
    if kind == "insert":
        source = draw(st.integers(0, size - 1))
        return kind, f"repeat {source} at {at}", rows, [*rows[:at], rows[source], *rows[at:]]
    if kind == "reorder":
        other = draw(st.integers(0, size - 2))
        other += other >= at  # another entry: every entry differs from every other
        swapped = list(rows)
        swapped[at], swapped[other] = swapped[other], swapped[at]
        return kind, f"swap {at} and {other}", rows, swapped
    if kind == "truncate":
        return kind, f"cut to {at}", rows, rows[:at]
    grown = draw(st.integers(0, 5))  # a fork: the same log to ``at``, then another
    return kind, f"fork at {at}, {grown} longer", rows, forked(rows, at, grown)


def verified(rows: Rows, history: list[Checkpoint]) -> Any:
    """Verify ``rows`` as a JSON Lines store hands them over, against ``history``."""
    stored = [
        STORED.get(id(row)) or Stored(canonical(row), json.loads(canonical(row))) for row in rows
    ]
    return verify(stored, LIFECYCLE.fingerprint, history)


@settings(max_examples=TAMPER_EXAMPLES)
@given(tampered())
def test_verify_names_where_every_kind_of_tampering_changed_the_log(
    case: tuple[str, str, Rows, Rows],
) -> None:
    kind, label, rows, changed = case
    event(kind)
    assert changed != rows, label
    truth = ground_truth(rows, changed)
    history = HISTORY[: len(rows)]
    found = verified(changed, history)
    assert found.problem is not None, label
    if label.startswith("prev of") and label.endswith("rehashed"):
        # A link forged with its entry's hash recomputed reads, from the chain, like the
        # entry before it altered and rehashed: verify names that one, and says so.
        assert (found.problem.seq, found.problem.kind) == (max(truth - 1, 0), "unlinked"), label
    else:
        assert found.problem.seq == truth, (label, str(found))
    VERIFIED[kind] += 1  # the run's summary says how many of each kind verify caught


def test_the_logs_tampered_with_verify_as_written() -> None:
    for size in (1, 2, SIZE // 2, SIZE):
        assert verified(ROWS[:size], HISTORY[:size]).ok
    assert len(ROWS) == SIZE
    assert Counter(row["decision"]["kind"] for row in ROWS)["note"] >= SIZE // 3


def test_a_stores_own_record_of_its_end_is_held_to_the_entries_verified() -> None:
    from govflow.errors import TamperedLog  # noqa: PLC0415
    from govflow.stores._verifying import at_tip  # noqa: PLC0415

    found = verified(ROWS[:10], HISTORY[:10])
    assert found.ok
    head = ROWS[9]["hash"]
    assert at_tip(found, (10, head)) is found  # in step
    assert at_tip(found, (12, ROWS[11]["hash"])) is found  # another writer appended since
    short = at_tip(found, (8, ROWS[7]["hash"]))
    assert short.problem is not None
    assert (short.problem.seq, short.problem.kind) == (8, "misindexed")
    assert "the store records 8 entries" in short.problem.message
    elsewhere = at_tip(found, (10, ROWS[3]["hash"]))
    assert elsewhere.problem is not None
    assert (elsewhere.problem.seq, elsewhere.problem.kind) == (9, "misindexed")
    for kind, said in (("truncated", "truncated"), ("rewritten", "inserted")):
        error = TamperedLog(6, kind, "the head row and the entries disagree")
        told = at_tip(found, error)
        assert told.problem is not None
        assert (told.problem.seq, told.problem.kind) == (6, said)
        assert told.problem.message == "the head row and the entries disagree"
        assert (told.count, told.head) == (10, head)
