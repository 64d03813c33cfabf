"""Replay: recompute every transition from the lifecycle and the decisions.

Replay never copies a recorded state. It applies each entry's decision to the
body as replay itself computed it, and checks that the recorded states, terms
version and verdicts are what the lifecycle gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from govflow._body import Body
from govflow._decide import WHOLE, Outcome, Working, admit, decide
from govflow._entry import Entry
from govflow._errors import ReplayMismatch
from govflow._facts import Fact, recorded_fact
from govflow._lifecycle import Lifecycle
from govflow._refusals import DecisionRefused

if TYPE_CHECKING:
    from govflow._facts import Resolve


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
            decision's id, or gives other states, terms version, verdicts or mandate
            than the entry records.
    """
    return {name: w.settle(lifecycle) for name, w in replay_working(lifecycle, entries).items()}


def replay_working(
    lifecycle: Lifecycle, entries: Iterable[Entry], resolve: Resolve | None = None
) -> dict[str, Working]:
    """:func:`replay`, leaving each body as a :class:`Working` not yet settled.

    The registry keeps its bodies this way, so reloading builds no body until one
    is read. Bodies' facts keep the positions of the entries of decisions that only
    add a fact, and ``resolve`` makes their facts when they are read: by default from
    the entries themselves (kept for it), or from where else the caller keeps them
    at the same positions.
    """
    log = entries if isinstance(entries, Sequence) else list(entries)
    if resolve is None:
        resolve = _resolver(log)
    ids: list[str] = []
    try:
        working = _replay(lifecycle, log, ids, resolve)
    except ReplayMismatch as error:
        if len(set(ids)) < len(ids):  # a repeat at or before the entry that failed comes first
            _no_repeats(log, error.seq)
        raise
    if len(set(ids)) < len(ids):
        _no_repeats(log)
    return working


def _no_repeats(entries: Sequence[Entry], until: int | None = None) -> None:
    """Check that no entry's decision id repeats an earlier one, up to the entry ``until``.

    Replay lists each id as it goes and counts the distinct ones once, at the end
    (a set built in one call, which costs less than adding to a set entry by entry);
    only when there are fewer than entries are the entries looked through for the
    first repeat.

    Raises:
        ReplayMismatch: At the first entry whose decision id repeats an earlier one.
    """
    seen: set[str] = set()
    for entry in entries:
        named = entry.decision.id
        if named in seen:
            raise ReplayMismatch(entry.seq, "decision.id", named, "a repeat of an earlier id")
        seen.add(named)
        if entry.seq == until:
            return


def _resolver(entries: Sequence[Entry]) -> Resolve:
    """How bodies' facts build the fact of the entry at a position in ``entries``."""

    def resolve(position: int, provisional: frozenset[str]) -> Fact:
        e = entries[position]
        organisation = e.mandate.organisation
        version = e.terms_version
        return recorded_fact(
            e.seq, e.decision, organisation, version, before=e.before, provisional=provisional
        )

    return resolve


def _replay(
    lifecycle: Lifecycle, entries: Iterable[Entry], ids: list[str], resolve: Resolve
) -> dict[str, Working]:
    """Replay, appending each entry's decision id to ``ids`` as it is taken; see :func:`replay`.

    A body's facts keep each entry's position (its index in ``entries``), which
    ``resolve`` turns into its fact.
    """
    bodies: dict[str, Working] = {}
    note_id = ids.append
    authorities = lifecycle.authorities
    for position, entry in enumerate(entries):
        decision = entry.decision
        named, about = decision.id, decision.body
        note_id(named)
        if entry.body != about:
            raise ReplayMismatch(entry.seq, "body", entry.body, about)
        working = bodies.get(about)
        try:
            if (
                working is not None
                and decision.trigger is None
                and decision.supersedes is None
                and decision.kind not in WHOLE
            ):  # only_adds_a_fact(), written out: this runs for every entry
                # The step record() takes for a decision that only adds a fact, and the
                # checks of what its entry records, in one test for the usual case: in
                # order, the actor's own mandate with no authorities declared (as
                # mandate() gives it), the body's state and terms, no verdicts.
                decided, recorded, floor = decision.decided, entry.mandate, working.floor
                state, actor = working.state, decision.actor
                if not (
                    authorities is None
                    and decided.latest >= floor
                    and recorded.delegated_by is None
                    and recorded.actor == actor
                    and recorded.organisation == (decision.on_behalf_of or actor)
                    and entry.before == state
                    and entry.after == state
                    and entry.terms_version == working.version
                    and not entry.verdicts
                ):
                    _fact_only(lifecycle, working, entry)
                working.add(position)
                if decided.earliest > floor:
                    working.floor = decided.earliest
                continue
            outcome = decide(
                lifecycle,
                None if working is None else working.settle(lifecycle),
                decision,
                entry.seq,
            )
        except DecisionRefused as error:
            raise ReplayMismatch(entry.seq, "refused", "accepted", error.code) from error
        _compare(entry, outcome)
        bodies[about] = Working(outcome.body, resolve)
    return bodies


def _fact_only(lifecycle: Lifecycle, working: Working, entry: Entry) -> None:
    """Check an entry of a decision that only adds a fact in full: order, mandate, states.

    Raises:
        DecisionRefused: The decision is out of order or its actor may not take it.
        ReplayMismatch: The entry records other states, terms, verdicts or mandate.
    """
    granted = admit(lifecycle, working.body, working.floor, entry.decision, entry.mandate)
    state = working.state
    _compare(entry, Outcome(working.body, state, state, working.version, (), granted))


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
