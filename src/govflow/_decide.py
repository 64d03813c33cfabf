"""Deciding: the pure step from a body and a decision to the body after it.

Nothing here does I/O, reads a clock or touches global state. The order is
fixed, so that nothing moves before everything is known: check the record
against the body, add it to the body's facts, evaluate the guards of the
trigger it asks for, and only then compute the new state.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from govflow._authority import Mandate, check_delegation, mandate
from govflow._body import Body, proposed_body
from govflow._decision import Decision, Kind
from govflow._errors import InvalidRecord
from govflow._explain import Explanation, explain_body, option
from govflow._facts import Fact, Facts
from govflow._lifecycle import Lifecycle
from govflow._quick import quick_init
from govflow._record import record_methods
from govflow._refusals import (
    BodyExists,
    GuardFailed,
    NotAuthorised,
    OutOfOrder,
    StaleTerms,
    TriggerNotAllowed,
    UnknownBody,
    UnknownDecision,
)
from govflow._terms import Terms
from govflow._verdict import Verdict
from govflow._when import When

if TYPE_CHECKING:
    from govflow._facts import Resolve


@quick_init
@record_methods
@attrs.frozen(repr=False, eq=False)
class Outcome:
    """What applying a decision computes, before it is sealed into a log entry.

    Attributes:
        body: The body after the decision.
        before: Its state before (``None`` for a proposal).
        after: Its state after.
        terms_version: The terms version the decision was taken on.
        verdicts: The verdicts of the trigger's guards (empty without a trigger).
        mandate: Who took it, for which organisation, under whose power.
    """

    body: Body
    before: str | None
    after: str
    terms_version: int
    verdicts: tuple[Verdict, ...]
    mandate: Mandate


def _superseded(
    lifecycle: Lifecycle, body: Body, decision: Decision, target_id: str
) -> tuple[Fact, ...]:
    """The body's facts without ``target_id``, which ``decision`` rescinds, revokes or corrects."""
    target = next((f for f in body.facts if f.decision.id == target_id), None)
    if target is None:
        why = "no decision with that id counts on this body (unknown, or already superseded)"
        raise UnknownDecision(decision.id, body.id, target_id, why)
    kind = target.decision.kind
    if kind in (Kind.PROPOSE, Kind.RESCIND, Kind.REVOKE):
        why = f"a {kind.value} decision cannot be superseded"
        raise UnknownDecision(decision.id, body.id, target_id, why)
    if decision.kind is Kind.REVOKE:
        if kind is not Kind.DELEGATE:
            raise UnknownDecision(
                decision.id, body.id, target_id, "a revocation names a delegation"
            )
        if lifecycle.authorities is not None and target.decision.actor != decision.actor:
            raise NotAuthorised(decision, "revoke")
    elif decision.kind is not Kind.RESCIND and decision.kind is not kind:
        why = f"a correction must be of the same kind as what it corrects ({kind.value})"
        raise UnknownDecision(decision.id, body.id, target_id, why)
    return tuple(f for f in body.facts if f is not target)


#: The kinds :func:`_check_kind` has something to check for (a target is a TARGET's);
#: every other kind, without a trigger or ``supersedes``, only adds a fact.
CHECKED = frozenset({Kind.DELEGATE, Kind.RATIFY, Kind.TARGET, Kind.AMEND})


def _check_kind(lifecycle: Lifecycle, body: Body, decision: Decision) -> Terms:
    """Check what only some kinds need; return the terms the body stands on afterwards."""
    if decision.kind is Kind.DELEGATE:
        check_delegation(lifecycle.authorities, decision)
    if decision.kind is Kind.RATIFY:
        waiting = body.unratified
        for named in decision.ratifies:
            if named not in waiting:
                why = "it is not a provisional resolution awaiting ratification"
                raise UnknownDecision(decision.id, body.id, named, why)
    target = decision.target
    if target is not None and target.state not in {s.name for s in lifecycle.states}:
        raise InvalidRecord("Target", "state", "one of the lifecycle's states", target.state)
    if decision.kind is Kind.AMEND and decision.terms is not None:
        if decision.terms.version != body.terms.version + 1:
            raise StaleTerms(decision.id, body.id, body.terms.version, decision.terms.version)
        return decision.terms
    return body.terms


def admit(
    lifecycle: Lifecycle,
    body: Body,
    floor: dt.date,
    decision: Decision,
    recorded: Mandate | None = None,
) -> Mandate:
    """The mandate ``decision`` is taken under, once it passes what every decision on a body must.

    It must be in order (not end before ``floor``, the latest start of those
    applied), and its actor must be able to take it. ``recorded`` is the mandate a
    log entry records, when replaying.

    Raises:
        OutOfOrder: The decision ends before a decision already applied started.
        NotAuthorised: Its actor may not take it.
    """
    if decision.decided.latest < floor:
        raise OutOfOrder(decision.id, body.id, decision.decided.iso, floor.isoformat())
    return mandate(lifecycle.authorities, decision, body, recorded)


#: The kinds :func:`decide` must take whole: the body is created, or something
#: kind-specific is checked.
WHOLE = CHECKED | {Kind.PROPOSE}


def only_adds_a_fact(body: Body | None, decision: Decision) -> bool:
    """Whether ``decision`` on ``body`` only adds a fact (states and terms unchanged).

    Such a decision needs only :func:`admit`; its body after is :func:`with_entries`
    of the entry that records it, which is how the registry and replay take it.
    """
    return (
        body is not None
        and decision.trigger is None
        and decision.supersedes is None
        and decision.kind not in WHOLE
    )


def with_entries(
    lifecycle: Lifecycle, body: Body, positions: Sequence[int], resolve: Resolve, floor: dt.date
) -> Body:
    """``body`` with the facts of the entries at ``positions``, of decisions that only add a fact.

    The positions stand for their facts until those are read (``Facts.recorded``:
    ``resolve`` makes them). ``floor`` is the body's floor after them: the latest day
    any of them began.
    """
    facts = body.facts.recorded(positions, resolve, lifecycle.provisional)
    return Body(body.id, body.state, body.terms, facts, body.history, floor, body.entered)


class Working:
    """A body as decisions that only add a fact leave it: the body last built, and their positions.

    Most decisions only add a fact. The registry and replay keep the positions of
    their entries here (in the registry's log, or in the entries replayed) and build a
    new ``Body`` only when the body is asked for or a decision needs it whole
    (:meth:`settle`); until then ``body`` has the right state, terms and delegations,
    and ``floor`` is the body's floor. ``resolve`` makes the fact of the entry at a
    position (see ``Facts.recorded``).
    """

    __slots__ = ("add", "added", "body", "floor", "resolve", "state", "version")

    def __init__(self, body: Body, resolve: Resolve) -> None:
        self.body = body
        self.resolve = resolve
        # Positions as machine integers: no object each, nothing for the collector to visit.
        self.added = array("q")
        self.add = self.added.append
        self.floor = body.floor
        # Copies of body.state and body.terms.version, which settling never changes:
        # replay reads them for every entry.
        self.state = body.state
        self.version = body.terms.version

    def settle(self, lifecycle: Lifecycle) -> Body:
        """The body with the fact of every entry added since it was last built."""
        if self.added:
            self.body = with_entries(lifecycle, self.body, self.added, self.resolve, self.floor)
            self.added = array("q")
            self.add = self.added.append
        return self.body


def note(lifecycle: Lifecycle, body: Body, decision: Decision, seq: int) -> tuple[Fact, Mandate]:
    """The fact ``decision`` adds to ``body``, and its mandate; the body is not changed.

    Raises:
        OutOfOrder: The decision ends before a decision already applied started.
        NotAuthorised: Its actor may not take it.
    """
    granted = admit(lifecycle, body, body.floor, decision)
    fact = Fact(
        seq, decision, granted.organisation, body.terms.version, body.state in lifecycle.provisional
    )
    return fact, granted


def record(lifecycle: Lifecycle, body: Body, decision: Decision, seq: int) -> tuple[Body, Mandate]:
    """The body with ``decision`` added to its facts, its state unchanged, and the mandate.

    Raises:
        OutOfOrder: The decision ends before a decision already applied started.
        NotAuthorised: Its actor may not take it.
        UnknownDecision: It supersedes or ratifies what it cannot.
        StaleTerms: It amends the terms to a version that does not follow the current one.
    """
    fact, granted = note(lifecycle, body, decision, seq)
    terms = _check_kind(lifecycle, body, decision) if decision.kind in CHECKED else body.terms
    supersedes = decision.supersedes
    if supersedes is None:
        facts = body.facts.added(fact)
    else:
        facts = Facts((*_superseded(lifecycle, body, decision, supersedes), fact))
    earliest = decision.decided.earliest
    floor = body.floor if body.floor >= earliest else earliest
    # Built directly: attrs.evolve is several times slower, and this runs for every decision.
    moved = Body(body.id, body.state, terms, facts, body.history, floor, body.entered)
    return moved, granted


def decide(lifecycle: Lifecycle, body: Body | None, decision: Decision, seq: int) -> Outcome:
    """Apply ``decision`` to ``body`` (``None`` if it does not exist yet), purely.

    Args:
        lifecycle: The lifecycle the body follows.
        body: The body as it stands, or ``None`` when no proposal created it.
        decision: The decision to apply.
        seq: The sequence number its log entry will have; guards' evidence cites it.

    Returns:
        The body after the decision, with the states and verdicts for its entry.

    Raises:
        DecisionRefused: One of its subclasses, saying why; nothing is changed.
    """
    if decision.kind is Kind.PROPOSE:
        if body is not None:
            raise BodyExists(decision.id, decision.body)
        granted = mandate(lifecycle.authorities, decision, None)
        created = proposed_body(seq, decision, granted.organisation, lifecycle.initial_history)
        state = created.state
        return Outcome(created, None, state, created.terms.version, (), granted)
    if body is None:
        raise UnknownBody(decision.id, decision.body)
    candidate, granted = record(lifecycle, body, decision, seq)
    version = body.terms.version
    trigger = decision.trigger
    if trigger is None:
        return Outcome(candidate, body.state, body.state, version, (), granted)
    found = option(lifecycle, candidate, trigger, decision.decided)
    if found is None:
        allowed = lifecycle.triggers_from(body.state)
        raise TriggerNotAllowed(decision.id, body.id, trigger, body.state, allowed)
    if not found.possible:
        explanation = explain_body(lifecycle, candidate, decision.decided)
        raise GuardFailed(decision.id, body.id, trigger, found.reasons, explanation)
    after = Body(
        candidate.id,
        found.dest,
        candidate.terms,
        candidate.facts,
        (*candidate.history, found.dest),
        candidate.floor,
        seq,
    )
    return Outcome(after, body.state, found.dest, version, found.verdicts, granted)


def explain(
    lifecycle: Lifecycle,
    body: Body,
    on: When | None = None,
    *,
    assuming: Decision | None = None,
    seq: int = 0,
) -> Explanation:
    """What can happen next to ``body`` and, for what cannot, every unmet reason.

    Args:
        lifecycle: The lifecycle the body follows.
        body: The body.
        on: The date to evaluate guards at; by default the date of ``assuming``, or
            else the day of the body's latest decision.
        assuming: A decision to count as recorded first (its trigger is not taken):
            the answer then equals the explanation a refusal of it carries.
        seq: The sequence number ``assuming`` would have.

    Raises:
        ValueError: ``assuming`` is about another body.
        DecisionRefused: ``assuming`` could not be recorded on this body.
    """
    if assuming is not None:
        if assuming.body != body.id:
            raise ValueError(
                f"The assumed decision {assuming.id!r} is about body {assuming.body!r}, "
                f"not {body.id!r}; explain each body with its own decisions."
            )
        body, _ = record(lifecycle, body, assuming, seq)
        on = assuming.decided if on is None else on
    return explain_body(lifecycle, body, on if on is not None else When.on(body.floor))
