"""The mandate check: whether a decision's actor may take it, and under whose power.

A lifecycle built with authorities checks every decision: its actor must be a
declared authority holding the power for its kind and body, or a delegate of one
(within the delegation's dates, and not revoked). A partner speaks only for
itself: a decision on behalf of another organisation needs that organisation's
delegation. Every accepted decision records its :class:`~govflow.Mandate`.
Deciding (``rules.decide``) and replay both check mandates here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from govflow.errors import NotAuthorised
from govflow.model.authority import Authority, Mandate
from govflow.model.decision import Decision, Delegation

if TYPE_CHECKING:
    from govflow.model.body import Body


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
    recorded: Mandate | None = None,
) -> Mandate:
    """The mandate ``decision`` is taken under, given the delegations on its body.

    The body's delegations are looked for only when the actor lacks the power
    itself: finding them reads all its facts.

    The rules, in order: an actor deciding for itself (or its own organisation) uses
    its own power if it holds it, else a delegation to it that is in force; an actor
    deciding on behalf of another authority or organisation needs a delegation from
    it. Without declared authorities, every actor may decide for whoever it names.

    ``recorded``, the mandate a log entry records, is returned when it is the one
    computed, so that replaying a log does not build each mandate again.

    Raises:
        NotAuthorised: The actor is unknown, lacks the power, or speaks for another
            organisation without its delegation; the error names the missing power.
    """
    if authorities is None:
        name, behalf = decision.actor, decision.on_behalf_of
        organisation = name if behalf is None else behalf
        if (
            recorded is not None
            and recorded.actor == name
            and recorded.organisation == organisation
            and recorded.delegated_by is None
        ):
            return recorded  # replay checks a log's mandates: the same value, not built again
        return Mandate(name, organisation)
    actor = authorities.get(decision.actor)
    if actor is None:
        raise NotAuthorised(decision, "unknown")
    behalf = decision.on_behalf_of
    own = behalf in (None, actor.name, actor.organisation)
    if own and actor.holds(decision.kind, decision.body):
        return Mandate(actor.name, actor.organisation)
    delegations = () if body is None else body.delegations
    for name in _delegators(delegations, actor.name, decision):
        delegator = authorities.get(name)
        if delegator is not None and (own or behalf in (delegator.name, delegator.organisation)):
            return Mandate(actor.name, delegator.organisation, delegator.name)
    raise NotAuthorised(decision, "power" if own else "behalf")


def check_delegation(authorities: Mapping[str, Authority] | None, decision: Decision) -> None:
    """Check that a delegation hands over only powers its delegator holds, to a known authority.

    Raises:
        NotAuthorised: The delegate is not declared, or a power is not the delegator's own.
    """
    delegation = decision.delegation
    if authorities is None or delegation is None:
        return
    if delegation.to not in authorities:
        raise NotAuthorised(decision, "unknown delegate")
    delegator = authorities[decision.actor]
    for kind in delegation.kinds:
        if not delegator.holds(kind, decision.body):
            raise NotAuthorised(decision, "power to delegate", kind)
