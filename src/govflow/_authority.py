"""Authorities: who may take which kinds of decision, for which bodies, and under whose power.

A lifecycle built with authorities checks every decision: its actor must be a
declared authority holding the power for its kind and body, or a delegate of one
(within the delegation's dates, and not revoked). A partner speaks only for
itself: a decision on behalf of another organisation needs that organisation's
delegation. Every accepted decision records its :class:`Mandate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from govflow._decision import Decision, Delegation, Kind
from govflow._errors import InvalidRecord
from govflow._quick import quick_init
from govflow._record import record_methods
from govflow._refusals import NotAuthorised

if TYPE_CHECKING:
    from govflow._body import Body

#: Kinds every authority may take without listing them: delegating or revoking its own
#: powers is part of holding them, and a recommendation binds nobody.
ALWAYS = frozenset({Kind.DELEGATE, Kind.REVOKE, Kind.RECOMMEND})


def _kinds(value: Iterable[Kind | str]) -> frozenset[Kind]:
    if isinstance(value, str):
        raise InvalidRecord("Authority", "may", "a list of decision kinds", value)
    try:
        return frozenset(Kind(k) for k in value)
    except ValueError:
        raise InvalidRecord("Authority", "may", "a list of decision kinds", value) from None


def _bodies(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise InvalidRecord("Authority", "bodies", "a list of body ids, or None", value)
    return frozenset(value)


@record_methods
@attrs.frozen(repr=False, eq=False)
class Authority:
    """A decision-maker, the organisation it belongs to, and the decisions it may take.

    Attributes:
        name: How decisions name it ("LGA Executive").
        organisation: The organisation it decides for ("LGA").
        may: The kinds of decision it may take.
        bodies: The bodies it may decide for; ``None`` for every body.
    """

    name: str
    organisation: str
    may: frozenset[Kind] = attrs.field(converter=_kinds)
    bodies: frozenset[str] | None = attrs.field(default=None, converter=_bodies)

    def __attrs_post_init__(self) -> None:
        for field in ("name", "organisation"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise InvalidRecord("Authority", field, "a non-empty text", value)

    def holds(self, kind: Kind, body: str) -> bool:
        """Whether the authority holds the power to take ``kind`` for ``body`` itself."""
        in_scope = self.bodies is None or body in self.bodies
        return in_scope and (kind in self.may or kind in ALWAYS)

    def describe(self) -> dict[str, object]:
        """Plain data for the lifecycle's fingerprint."""
        return {
            "name": self.name,
            "organisation": self.organisation,
            "may": sorted(k.value for k in self.may),
            "bodies": None if self.bodies is None else sorted(self.bodies),
        }


@quick_init
@record_methods
@attrs.frozen(repr=False, eq=False)
class Mandate:
    """Who took a decision, for which organisation, under whose power.

    Attributes:
        actor: The authority that decided.
        organisation: The organisation the decision counts for.
        delegated_by: The authority whose delegated power it used; ``None`` for its own.
    """

    actor: str
    organisation: str
    delegated_by: str | None = None


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
