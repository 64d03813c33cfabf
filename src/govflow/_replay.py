"""Replay: recompute every transition from the lifecycle and the decisions.

Replay never copies a recorded state. It applies each entry's decision to the
body as replay itself computed it, and checks that the recorded states, terms
version and verdicts are what the lifecycle gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from govflow._body import Body
from govflow._decide import decide
from govflow._entry import Entry
from govflow._errors import DecisionRefused, ReplayMismatch
from govflow._lifecycle import Lifecycle


def _check(entry: Entry, field: str, recorded: object, recomputed: object) -> None:
    if recorded != recomputed:
        raise ReplayMismatch(entry.seq, field, recorded, recomputed)


def replay(lifecycle: Lifecycle, entries: Iterable[Entry]) -> dict[str, Body]:
    """Rebuild every body from ``entries``, checking each against the lifecycle.

    Args:
        lifecycle: The lifecycle the log was written under.
        entries: The log's entries, in order (all of them, or one body's).

    Returns:
        Each body as the entries leave it, by id.

    Raises:
        ReplayMismatch: An entry's decision is refused on replay, repeats an earlier
            decision's id, or gives other states, terms version or verdicts than
            the entry records.
    """
    bodies: dict[str, Body] = {}
    seen: set[str] = set()
    for entry in entries:
        decision = entry.decision
        if decision.id in seen:
            raise ReplayMismatch(entry.seq, "decision.id", decision.id, "a repeat of an earlier id")
        seen.add(decision.id)
        _check(entry, "body", entry.body, decision.body)
        try:
            outcome = decide(lifecycle, bodies.get(decision.body), decision, entry.seq)
        except DecisionRefused as error:
            raise ReplayMismatch(entry.seq, "refused", "accepted", error.code) from error
        _check(entry, "before", entry.before, outcome.before)
        _check(entry, "after", entry.after, outcome.after)
        _check(entry, "terms_version", entry.terms_version, outcome.terms_version)
        _check(entry, "verdicts", entry.verdicts, outcome.verdicts)
        _check(entry, "mandate", entry.mandate, outcome.mandate)
        bodies[decision.body] = outcome.body
    return bodies


def body_as_of(
    lifecycle: Lifecycle, entries: Iterable[Entry], body: str, day: dt.date
) -> Body | None:
    """The body as of ``day``: replay of its entries whose decisions had certainly been taken.

    An entry counts as of ``day`` when its decision's whole date interval ends on
    or before ``day`` ("September 2012" counts from 30 September 2012). Entries
    are taken in log order up to the first that does not count: a later entry
    may rest on an earlier one, so none is taken past a gap.

    Returns:
        The body as those entries leave it, or ``None`` if it had not been proposed.
    """
    counted = []
    for entry in entries:
        if entry.body != body:
            continue
        if not entry.decision.decided.ends_by(day):
            break
        counted.append(entry)
    return replay(lifecycle, counted).get(body)
