"""What some kinds of decision need checked beyond their mandate.

A delegation hands over only powers its delegator holds; a ratification names
provisional resolutions awaiting it; a target names a state of the lifecycle; an
amendment carries the next terms version; a correction, rescission or revocation
names a decision it may supersede (and only the delegator revokes its delegation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govflow.errors import (
    NotAuthorised,
    StaleTerms,
    UnknownDecision,
    UnknownState,
)
from govflow.model.kind import Kind
from govflow.model.terms import nearest

if TYPE_CHECKING:
    from collections.abc import Mapping

    from govflow.model.authority import Authority
    from govflow.model.body import Body, Fact
    from govflow.model.decision import Decision
    from govflow.model.terms import Terms
    from govflow.rules.lifecycle import Lifecycle


def superseded(
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


#: The kinds :func:`check_kind` has something to check for (a target is a TARGET's);
#: every other kind, without a trigger or ``supersedes``, only adds a fact.
CHECKED = frozenset({Kind.DELEGATE, Kind.RATIFY, Kind.TARGET, Kind.AMEND})


def check_kind(lifecycle: Lifecycle, body: Body, decision: Decision) -> Terms:
    """Check what only some kinds need; return the terms the body stands on afterwards."""
    if decision.kind is Kind.DELEGATE:
        check_delegation(lifecycle.authorities, decision)
    if decision.kind is Kind.RATIFY:
        waiting = body.unratified
        for named in decision.ratifies:
            if named not in waiting:
                known = any(f.decision.id == named for f in body.facts)
                why = (
                    "it is not a provisional resolution awaiting ratification"
                    if known
                    else "no decision with that id counts on this body (unknown, or superseded)"
                )
                raise UnknownDecision(decision.id, body.id, named, why, verb="ratifies")
    target = decision.target
    if target is not None and target.state not in {s.name for s in lifecycle.states}:
        states = [s.name for s in lifecycle.states]
        raise UnknownState(decision.id, body.id, target.state, states)
    # Of the decisions checked here, only an amendment carries terms (and it must).
    amended = decision.terms
    if amended is not None:
        if amended.version != body.terms.version + 1:
            raise StaleTerms(decision.id, body.id, body.terms.version, amended.version)
        return amended
    return body.terms


def check_delegation(authorities: Mapping[str, Authority] | None, decision: Decision) -> None:
    """Check that a delegation hands over only powers its delegator holds, to a known authority.

    Raises:
        NotAuthorised: The delegate is not declared, or a power is not the delegator's own.
    """
    delegation = decision.delegation
    if authorities is None or delegation is None:
        return
    if delegation.to not in authorities:
        raise NotAuthorised(decision, "unknown delegate", near=nearest(delegation.to, authorities))
    delegator = authorities[decision.actor]
    for kind in delegation.kinds:
        if not delegator.holds(kind, decision.body):
            raise NotAuthorised(decision, "power to delegate", kind)
