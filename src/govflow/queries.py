"""Questions across many bodies: who is waited on, for what, and which hopes have slipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from difflib import get_close_matches

import attrs

from govflow.errors import InvalidRecord, require
from govflow.model.arguments import iterated
from govflow.model.body import Body
from govflow.model.decision import Target
from govflow.model.terms import exactly, identifier, name
from govflow.model.verdict import Reason
from govflow.model.when import When, when_of
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.prospects import explain


@attrs.frozen
class Waiting:
    """A body waiting on an authority.

    Attributes:
        body: The body's id.
        trigger: The transition it waits to take.
        reason: The unmet reason that names the authority.
    """

    body: str = attrs.field(validator=identifier)
    trigger: str = attrs.field(validator=name)
    reason: Reason = attrs.field(validator=exactly(Reason, "a Reason"))


@attrs.frozen
class Overdue:
    """A body past a hoped-for date without having reached the state hoped for.

    Attributes:
        body: The body's id.
        state: Its current state.
        target: The hoped-for date it missed.
    """

    body: str = attrs.field(validator=identifier)
    state: str = attrs.field(validator=name)
    target: Target = attrs.field(validator=exactly(Target, "a Target"))


def _required(reason: Reason, names: frozenset[str]) -> bool:
    """Whether the reason cannot be met without the decision of the one ``names`` name.

    In "1 more of: LGA, APCC" no single authority is required; in "from: LGA, APCC"
    (all of them) each is.
    """
    missing = reason.param("missing", ())
    if not isinstance(missing, tuple) or names.isdisjoint(missing):
        return False
    needed, have = reason.param("needed"), reason.param("have")
    if isinstance(needed, int) and isinstance(have, int):
        return needed - have >= len(missing)
    return True


def waiting_on(
    lifecycle: Lifecycle, bodies: Iterable[Body], authority: str, on: When | dt.date | None = None
) -> tuple[Waiting, ...]:
    """Every blocked transition that cannot happen without ``authority``'s decision.

    Args:
        lifecycle: The lifecycle the bodies follow.
        bodies: The bodies to look through.
        authority: The authority waited on: a declared authority's name or its
            organisation (each finds what the other is waited on for), or a partner.
        on: The date to evaluate guards at (a When or a day); by default each body's
            latest decision's last day.

    Raises:
        InvalidRecord: An argument is not as described, or ``authority`` names no
            declared authority, organisation or partner of the bodies.
    """
    require(isinstance(lifecycle, Lifecycle), "waiting_on", "lifecycle", "a Lifecycle", lifecycle)
    require(type(authority) is str, "waiting_on", "authority", "a text", authority)
    on = when_of(on, "waiting_on")
    listed = _bodies(bodies, "waiting_on")
    names = _names(lifecycle, listed, authority)
    found: list[Waiting] = []
    for body in listed:
        for option in explain(lifecycle, body, on).options:
            found.extend(
                Waiting(body.id, option.trigger, reason)
                for reason in option.reasons
                if _required(reason, names)
            )
    return tuple(found)


def _names(lifecycle: Lifecycle, bodies: Sequence[Body], authority: str) -> frozenset[str]:
    """``authority``, with its organisation or the authorities of that organisation."""
    declared = lifecycle.authorities
    if declared is None:
        return frozenset((authority,))
    names = {authority}
    for a in declared.values():
        if authority in (a.name, a.organisation):
            names |= {a.name, a.organisation}
    known = {n for a in declared.values() for n in (a.name, a.organisation)}
    known |= {p for body in bodies for p in body.terms.partners}
    for transition in lifecycle.transitions:  # the names guards wait on, declared or not
        for guard in transition.guards:
            known.update(
                getattr(guard, "authorities", None) or getattr(guard, "voters", None) or ()
            )
    if authority not in known:  # a name that is nobody's: say so rather than find nothing
        near = get_close_matches(authority, sorted(known), 1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        expected = f"a declared authority, organisation, partner or name a guard waits on{hint}"
        raise InvalidRecord("waiting_on", "authority", expected, authority, "pass one of them")
    return frozenset(names)


def overdue(bodies: Iterable[Body], day: dt.date) -> tuple[Overdue, ...]:
    """Every hoped-for date that had certainly passed by ``day`` without the state reached.

    A target "April 2013" is overdue from 1 May 2013 for a body that has never been
    in the state hoped for.

    Raises:
        InvalidRecord: ``bodies`` are not bodies, or ``day`` is not a ``datetime.date``.
    """
    require(type(day) is dt.date, "overdue", "day", "a datetime.date", day)
    return tuple(
        Overdue(body.id, body.state, target)
        for body in _bodies(bodies, "overdue")
        for state, target in body.targets.items()
        if target.by.latest < day and state not in body.history
    )


def _bodies(bodies: Iterable[Body], function: str) -> list[Body]:
    """``bodies`` read, each checked to be a Body."""
    found = list(iterated(bodies, function, "bodies", "the bodies (Body records)"))
    require(all(type(b) is Body for b in found), function, "bodies", "Body records", bodies)
    return found
