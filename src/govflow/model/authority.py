"""Authorities and mandates: who may take which kinds of decision, and under whose power.

The rules that check a decision against them are in ``govflow.rules.decide``.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from govflow.errors import InvalidRecord, shown
from govflow.model.kind import DecisionKind, Kind, kind_of
from govflow.model.terms import optional_text, text, writable
from govflow.model.unreadable import Unread, read_out

#: Kinds every authority may take without listing them: delegating or revoking its own
#: powers is part of holding them, and a recommendation or a note binds nobody.
ALWAYS = frozenset({Kind.DELEGATE, Kind.REVOKE, Kind.RECOMMEND, Kind.NOTE})


def _kinds(value: Iterable[DecisionKind | str]) -> frozenset[DecisionKind]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidRecord("Authority", "may", "a list of decision kinds", value)
    if isinstance(value, set | frozenset):  # an item named where it stands: the same each run
        value = sorted(value, key=str)
    found = read_out(value)
    if isinstance(found, Unread):
        raise InvalidRecord("Authority", "may", "a list of decision kinds", found)
    # Each named where it stands, with the kind it may have meant ("may[0]", 'agree').
    return frozenset(kind_of(k, "Authority", f"may[{n}]") for n, k in enumerate(found))


def _bodies(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    found = read_out(value) if isinstance(value, list | tuple | set | frozenset) else value
    if type(found) is tuple and all(map(writable, found)):
        return frozenset(found)
    shown = found if type(found) is Unread else value
    raise InvalidRecord("Authority", "bodies", "a list of body ids, or None", shown)


@attrs.frozen
class Authority:
    """A decision-maker, the organisation it belongs to, and the decisions it may take.

    Attributes:
        name: How decisions name it ("LGA Executive").
        organisation: The organisation it decides for ("LGA").
        may: The kinds of decision it may take.
        bodies: The bodies it may decide for; ``None`` for every body.
    """

    name: str = attrs.field(validator=text)
    organisation: str = attrs.field(validator=text)
    may: frozenset[DecisionKind] = attrs.field(converter=_kinds)
    bodies: frozenset[str] | None = attrs.field(default=None, converter=_bodies)

    def holds(self, kind: DecisionKind, body: str) -> bool:
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


@attrs.frozen
class Mandate:
    """Who took a decision, for which organisation, under whose power.

    Attributes:
        actor: The authority that decided.
        organisation: The organisation the decision counts for.
        delegated_by: The authority whose delegated power it used; ``None`` for its own.
    """

    actor: str = attrs.field(validator=text)
    organisation: str = attrs.field(validator=text)
    delegated_by: str | None = attrs.field(default=None, validator=optional_text)


def held(known: Mandate | None, actor: str, organisation: str, by: str | None = None) -> Mandate:
    """The mandate of ``actor`` for ``organisation``, under ``by``'s power if given.

    ``known`` if it is that mandate: one already held is not built again.
    """
    if (
        known is not None
        and known.actor == actor
        and known.organisation == organisation
        and known.delegated_by == by
    ):
        return known
    return Mandate(actor, organisation, by)


def authorities_problems(authorities: object) -> list[str]:
    """What is of the wrong type in a lifecycle's ``authorities`` argument (none: ``[]``)."""
    if authorities is None or (
        isinstance(authorities, list | tuple) and all(isinstance(a, Authority) for a in authorities)
    ):
        return []
    return [f"authorities must be a list of Authority records, not {shown(authorities)}"]
