"""Replay: recompute every transition from the lifecycle and the decisions.

Replay never copies a recorded state. It applies each entry's decision to the
body as replay itself computed it, and checks that the recorded states, terms
version and verdicts are what the lifecycle gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from govflow._body import Body
from govflow._decide import CHECKED, Outcome, admit, decide
from govflow._decision import Kind
from govflow._entry import Entry
from govflow._errors import ReplayMismatch
from govflow._lifecycle import Lifecycle
from govflow._refusals import DecisionRefused


def _check(entry: Entry, field: str, recorded: object, recomputed: object) -> None:
    if recorded != recomputed:
        raise ReplayMismatch(entry.seq, field, recorded, recomputed)


class _Replaying:
    """A body being replayed: the body last computed in full, and the entries since.

    Most decisions only add a fact. Replay keeps the entries of those in a list
    and builds a new ``Body`` only before a decision that needs the body whole, and
    at the end; the body's facts make each entry a ``Fact`` when first read.
    """

    __slots__ = ("added", "body", "floor")

    def __init__(self, body: Body) -> None:
        self.body = body
        self.added: list[Entry] = []
        self.floor = body.floor

    def settle(self, provisional: frozenset[str]) -> Body:
        """The body with the fact of every entry added since it was last built."""
        b = self.body
        if self.added:
            facts = b.facts.recorded(self.added, provisional)
            b = Body(b.id, b.state, b.terms, facts, b.history, self.floor, b.entered)
            self.body, self.added = b, []
        return b


#: Decisions replay must take through :func:`decide` whole, whatever their trigger.
_WHOLE = CHECKED | {Kind.PROPOSE}


def replay(lifecycle: Lifecycle, entries: Iterable[Entry]) -> dict[str, Body]:
    """Rebuild every body from ``entries``, checking each against the lifecycle.

    Args:
        lifecycle: The lifecycle the log was written under.
        entries: The log's entries, in order (all of them, or one body's).

    Returns:
        Each body as the entries leave it, by id.

    Raises:
        ReplayMismatch: An entry's decision is refused on replay, repeats an earlier
            decision's id, or gives other states, terms version, verdicts or mandate
            than the entry records.
    """
    bodies: dict[str, _Replaying] = {}
    seen: set[str] = set()
    remember = seen.add
    provisional = lifecycle.provisional
    for entry in entries:
        decision = entry.decision
        if decision.id in seen:
            raise ReplayMismatch(entry.seq, "decision.id", decision.id, "a repeat of an earlier id")
        if entry.body != decision.body:
            raise ReplayMismatch(entry.seq, "body", entry.body, decision.body)
        remember(decision.id)
        working = bodies.get(decision.body)
        try:
            if (
                working is not None
                and decision.trigger is None
                and decision.supersedes is None
                and decision.kind not in _WHOLE
            ):
                # The step record() takes for a decision that only adds a fact.
                body = working.body
                granted = admit(lifecycle, body, working.floor, decision, entry.mandate)
                working.added.append(entry)
                earliest = decision.decided.earliest
                if earliest > working.floor:  # noqa: PLR1730 - max() costs a call per entry
                    working.floor = earliest
                version = body.terms.version
                if not (
                    entry.before == entry.after == body.state
                    and entry.terms_version == version
                    and not entry.verdicts
                    and entry.mandate is granted
                ):
                    _compare(entry, Outcome(body, body.state, body.state, version, (), granted))
                continue
            outcome = decide(
                lifecycle,
                None if working is None else working.settle(provisional),
                decision,
                entry.seq,
            )
        except DecisionRefused as error:
            raise ReplayMismatch(entry.seq, "refused", "accepted", error.code) from error
        _compare(entry, outcome)
        bodies[decision.body] = _Replaying(outcome.body)
    return {name: working.settle(provisional) for name, working in bodies.items()}


def _compare(entry: Entry, outcome: Outcome) -> None:
    """Check the entry records what replay computed."""
    _check(entry, "before", entry.before, outcome.before)
    _check(entry, "after", entry.after, outcome.after)
    _check(entry, "terms_version", entry.terms_version, outcome.terms_version)
    _check(entry, "verdicts", entry.verdicts, outcome.verdicts)
    _check(entry, "mandate", entry.mandate, outcome.mandate)


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
