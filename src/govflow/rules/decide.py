"""Deciding: the pure step from a body and a decision to the body after it.

Nothing here does I/O, reads a clock or touches global state. The order is fixed, so
that nothing moves before everything is known: check the decision against the body
(:func:`admit`: its date and its mandate), add it to the body's facts, check what its
kind needs, evaluate its trigger's guards, and only then compute the new state.

The mandate check (:func:`mandate`): a lifecycle built with authorities checks every
decision: its actor must be a declared authority holding the power for its kind and
body, or a delegate of one (within the delegation's dates, and not revoked). A
partner speaks only for itself: a decision on behalf of another organisation needs
that organisation's delegation. Every accepted decision records its mandate, and its
fact counts for the authority whose delegation it was taken under (from entry schema 4).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from govflow.errors import (
    BodyExists,
    GuardFailed,
    NotAccepted,
    NotAuthorised,
    OutOfOrder,
    TriggerNotAllowed,
    UnknownBody,
)
from govflow.model.authority import Mandate, held
from govflow.model.body import Body, Fact, Facts
from govflow.model.decision import Decision, Delegation
from govflow.model.kind import NOTE, PROPOSE, Kind
from govflow.model.terms import nearest
from govflow.rules.advice import advice
from govflow.rules.explain import Option, explain_body, verdicts_of
from govflow.rules.kinds import CHECKED, check_kind, superseded

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from govflow.model.authority import Authority
    from govflow.model.verdict import Verdict
    from govflow.rules.lifecycle import Lifecycle


@attrs.frozen(repr=False)
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

    def __repr__(self) -> str:
        return f"<Outcome {self.body.id!r}: {self.before} -> {self.after}>"


# The mandate check: whether a decision's actor may take it, and under whose power.


def _delegators(delegations: Iterable[Decision], delegate: str, decision: Decision) -> list[str]:
    """The authorities whose delegations in force let ``delegate`` take ``decision``."""
    return [
        fact.actor
        for fact in delegations
        if isinstance(fact.delegation, Delegation)
        and fact.delegation.to == delegate
        and decision.kind in fact.delegation.kinds
        and fact.delegation.covers(decision.decided)
    ]


def mandate(
    authorities: Mapping[str, Authority] | None,
    decision: Decision,
    body: Body | None,
    known: Mandate | None = None,
) -> Mandate:
    """The mandate ``decision`` is taken under, given the delegations on its body.

    The body's delegations are looked for only when the actor lacks the power
    itself: finding them reads all its facts.

    The rules, in order: an actor deciding for itself (or its own organisation) uses
    its own power if it holds it, else a delegation to it that is in force; an actor
    deciding on behalf of another authority or organisation needs a delegation from
    it. Without declared authorities, every actor may decide for whoever it names.

    ``known``, a mandate already held (a log entry's, when replaying; the registry's last
    for the actor), is returned when it is the one computed: none is built again.

    Raises:
        NotAuthorised: The actor is unknown, lacks the power, or speaks for another
            organisation without its delegation; the error names the missing power.
    """
    if authorities is None:
        name, behalf = decision.actor, decision.on_behalf_of
        return held(known, name, name if behalf is None else behalf)
    actor = authorities.get(decision.actor)
    if actor is None:
        raise NotAuthorised(decision, "unknown", near=nearest(decision.actor, authorities))
    behalf = decision.on_behalf_of
    own = behalf in (None, actor.name, actor.organisation)
    if own and actor.holds(decision.kind, decision.body):
        return held(known, actor.name, actor.organisation)
    delegations = () if body is None else body.delegations
    for name in _delegators(delegations, actor.name, decision):
        delegator = authorities.get(name)
        if delegator is not None and (own or behalf in (delegator.name, delegator.organisation)):
            return held(known, actor.name, delegator.organisation, delegator.name)
    raise NotAuthorised(
        decision, "power" if own else "behalf", lapsed=_lapsed(delegations, actor.name, decision)
    )


def _lapsed(delegations: Iterable[Decision], delegate: str, decision: Decision) -> tuple[str, ...]:
    """The windows of delegations to ``delegate`` for the decision's kind that do not cover it."""
    return tuple(
        f"{fact.actor}, {d.start.isoformat()} to {'open' if d.end is None else d.end.isoformat()}"
        for fact in delegations
        if isinstance(d := fact.delegation, Delegation)
        and d.to == delegate
        and decision.kind in d.kinds
        and not d.covers(decision.decided)
    )


def admit(
    lifecycle: Lifecycle,
    body: Body,
    floor: dt.date,
    decision: Decision,
    known: Mandate | None = None,
    *,
    legacy: bool,
) -> Mandate:
    """The mandate ``decision`` is taken under, once it passes what every decision on a body must.

    Of a kind the lifecycle knows and the state accepts (a correction or a note, anywhere;
    under ``legacy``, as schema 1 logs were, anything), in order (not ending before
    ``floor``, the latest start of those applied; a note may bear any date), and taken
    by an actor who may.

    Args:
        lifecycle: The lifecycle, with its authorities.
        body: The body (its delegations give a delegate its power).
        floor: The latest day on which a decision applied to it may have started.
        decision: The decision.
        known: A mandate already held: it is returned when it is the one computed
            (see :func:`mandate`).
        legacy: Decide as logs of entry schema 1 were: without the states' accepts.

    Raises:
        NotAccepted: The lifecycle does not know its kind, or the state does not accept it.
        OutOfOrder: The decision ends before a decision already applied started.
        NotAuthorised: Its actor may not take it.
    """
    kind = decision.kind
    accepted_anywhere = kind is NOTE or decision.supersedes is not None or legacy
    if kind is not NOTE and (
        kind not in lifecycle.kinds
        or (not accepted_anywhere and kind not in lifecycle.accepting[body.state])
    ):
        accepted = sorted(k.value for k in lifecycle.accepting[body.state])
        declared = kind in lifecycle.kinds
        raise NotAccepted(decision.id, body.id, body.state, kind.value, accepted, declared)
    if decision.decided.latest < floor and kind is not NOTE:
        raise OutOfOrder(decision.id, body.id, decision.decided.iso, floor.isoformat())
    return mandate(lifecycle.authorities, decision, body, known)


#: The kinds :func:`record` has something to check for, or that create the body.
WHOLE = CHECKED | {Kind.PROPOSE}


def only_adds_a_fact(body: Body | None, decision: Decision) -> bool:
    """Whether ``decision`` on ``body`` only adds a fact: its state and terms stay as they are.

    Such a decision needs only :func:`admitted`; nothing about it depends on the
    body's facts but its delegations, which such decisions never change. The
    registry (through :func:`decide`) and replay both take such decisions this way.
    """
    return body is not None and adds_a_fact_only(decision)


def adds_a_fact_only(decision: Decision) -> bool:
    """Whether ``decision``, on a body that exists, only adds a fact (see :func:`only_adds_a_fact`).

    Whether such a decision is admitted rests on the body's state, terms and delegations,
    never on another such decision: one may be left out without moving any other.
    """
    return decision.trigger is None and decision.supersedes is None and decision.kind not in WHOLE


def unmoved(body: Body) -> tuple[str, str, int, tuple[()]]:
    """The state before and after, terms version and verdicts of a decision not moving it."""
    return body.state, body.state, body.terms.version, ()


def admitted(
    lifecycle: Lifecycle,
    body: Body,
    floor: dt.date,
    decision: Decision,
    seq: int,
    *,
    known: Mandate | None = None,
    legacy: bool,
    delegators: bool = True,
) -> tuple[Fact, Mandate, dt.date]:
    """The fact ``decision`` adds to ``body``, its mandate, and the body's floor after it.

    Args:
        lifecycle: The lifecycle the body follows.
        body: The body, with the state, terms and delegations the decision meets.
        floor: The body's floor before the decision (replay keeps it apart from ``body``).
        decision: The decision.
        seq: The sequence number of the entry that records (or will record) it.
        known: A mandate already held (see :func:`mandate`).
        legacy: Decide as logs of entry schema 1 were (see :func:`admit`).
        delegators: Count a decision taken under a delegation for its delegator too
            (``Fact.delegated_by``), as logs of entry schema 4 on do; ``False``: as
            those of schemas 1 to 3 were.

    Raises:
        OutOfOrder: The decision ends before a decision already applied started.
        NotAuthorised: Its actor may not take it.
    """
    granted = admit(lifecycle, body, floor, decision, known, legacy=legacy)
    provisional = body.state in lifecycle.provisional
    delegator = granted.delegated_by if delegators else None
    fact = Fact(seq, decision, granted.organisation, body.terms.version, provisional, delegator)
    earliest = decision.decided.earliest  # a note's date orders nothing
    return fact, granted, floor if floor >= earliest or decision.kind is NOTE else earliest


def record(
    lifecycle: Lifecycle,
    body: Body,
    decision: Decision,
    seq: int,
    *,
    tentative: bool,
    legacy: bool,
    known: Mandate | None = None,
    delegators: bool = True,
) -> tuple[Body, Mandate]:
    """The body with ``decision`` added to its facts, its state unchanged, and the mandate.

    Args:
        lifecycle: The lifecycle the body follows.
        body: The body.
        decision: The decision to record.
        seq: The sequence number of its entry.
        tentative: Whether the body may yet be refused (a trigger's guards are still to
            be evaluated): its facts then leave the list the body's versions share as
            it was (``Facts.plus``).
        legacy: Decide as logs of entry schema 1 were (see :func:`admit`).
        known: A mandate already held (see :func:`mandate`).
        delegators: Count a delegate's decision for its delegator (see :func:`admitted`).

    Raises:
        OutOfOrder: The decision ends before a decision already applied started.
        NotAuthorised: Its actor may not take it.
        UnknownDecision: It supersedes or ratifies what it cannot.
        StaleTerms: It amends the terms to a version that does not follow the current one.
    """
    supersedes = decision.supersedes
    # What supersedes a decision is ordered against the others: a wrong date on the one
    # it rescinds or corrects (2204 for 2024) would refuse every decision after it.
    floor = body.floor if supersedes is None else _floor(body.facts, but=supersedes)
    fact, granted, floor = admitted(lifecycle, body, floor, decision, seq, known=known,
                                    legacy=legacy, delegators=delegators)  # fmt: skip
    terms = check_kind(lifecycle, body, decision) if decision.kind in CHECKED else body.terms
    if supersedes is not None:
        facts = Facts((*superseded(lifecycle, body, decision, supersedes), fact))
        floor = _floor(facts)
    elif tentative:
        facts = body.facts.plus(fact)
    else:
        facts = body.facts.added(fact)
    b = body
    moved = Body(b.id, b.state, terms, facts, b.history, floor, b.entered, b.entered_on, lifecycle)
    return moved, granted


def _floor(facts: Iterable[Fact], but: str | None = None) -> dt.date:
    """The latest start among the decisions of ``facts`` (but ``but``'s); a note orders nothing."""
    days = (f.decision.decided.earliest for f in facts
            if f.decision.kind is not NOTE and f.decision.id != but)  # fmt: skip
    return max(days, default=dt.date.min)  # none: ``but`` is the proposal, which it refuses


def propose(
    lifecycle: Lifecycle, decision: Decision, seq: int, *, delegators: bool = True
) -> Outcome:
    """The body ``decision`` proposes, in the lifecycle's initial state, with it as its one fact.

    ``delegators``: as :func:`admitted` takes it.
    """
    granted = mandate(lifecycle.authorities, decision, None)
    terms = decision.terms
    assert terms is not None  # noqa: S101 - a proposal's validator guarantees it
    delegator = granted.delegated_by if delegators else None
    fact = Fact(seq, decision, granted.organisation, terms.version, delegated_by=delegator)
    initial = lifecycle.initial
    body = Body(
        decision.body,
        initial,
        terms,
        Facts((fact,)),
        lifecycle.initial_history,
        decision.decided.earliest,
        seq,
        decision.decided,
        lifecycle,
    )
    return Outcome(body, None, initial, terms.version, (), granted)


def decide(
    lifecycle: Lifecycle,
    body: Body | None,
    decision: Decision,
    seq: int,
    *,
    legacy: bool = False,
    known: Mandate | None = None,
    delegators: bool = True,
) -> Outcome:
    """Apply ``decision`` to ``body`` (``None`` if it does not exist yet), purely.

    Args:
        lifecycle: The lifecycle the body follows.
        body: The body as it stands, or ``None`` when no proposal created it.
        decision: The decision to apply.
        seq: The sequence number its log entry will have; guards' evidence cites it.
        legacy: Decide as logs of entry schema 1 were: every state accepting every kind.
        known: A mandate already held (see :func:`mandate`).
        delegators: Count a decision taken under a delegation for its delegator too, as
            logs of entry schema 4 on do (``False``: as schemas 1 to 3, see :func:`admitted`).

    Returns:
        The body after the decision, with the states and verdicts for its entry.

    Raises:
        DecisionRefused: One of its subclasses, saying why; nothing is changed.
    """
    if decision.kind is PROPOSE:
        if body is not None:
            raise BodyExists(decision.id, decision.body)
        return propose(lifecycle, decision, seq, delegators=delegators)
    if body is None:
        raise UnknownBody(decision.id, decision.body)
    state, version, trigger = body.state, body.terms.version, decision.trigger
    if only_adds_a_fact(body, decision):
        fact, granted, floor = admitted(lifecycle, body, body.floor, decision, seq, known=known,
                                        legacy=legacy, delegators=delegators)  # fmt: skip
        b, facts = body, body.facts.added(fact)
        after = Body(b.id, state, b.terms, facts, b.history, floor, b.entered, b.entered_on,
                     lifecycle)  # fmt: skip
        return Outcome(after, *unmoved(body), granted)
    candidate, granted = record(lifecycle, body, decision, seq, tentative=trigger is not None,
                                legacy=legacy, known=known, delegators=delegators)  # fmt: skip
    if trigger is None:
        return Outcome(candidate, *unmoved(body), granted)
    found = verdicts_of(lifecycle, candidate, trigger, decision.decided, strict=True)
    if found is None:
        allowed = lifecycle.triggers_from(body.state)
        raise TriggerNotAllowed(decision.id, body.id, trigger, body.state, allowed)
    (dest, verdicts), c, when = found, candidate, decision.decided
    for verdict in verdicts:
        if not verdict.passed:  # only a refusal needs the option, its reasons, the rest
            reasons, why = Option(trigger, dest, verdicts).reasons, explain_body(lifecycle, c, when)
            said = advice(reasons, lifecycle.authorities)
            raise GuardFailed(decision.id, body.id, trigger, reasons, why, advice=said)
    after = Body(c.id, dest, c.terms, c.facts.kept(), (*c.history, dest), c.floor, seq, when,
                 lifecycle)  # fmt: skip
    return Outcome(after, state, dest, version, verdicts, granted)
