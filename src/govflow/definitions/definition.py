"""A model read from a file: its lifecycle, with what the file gives beside it."""

from __future__ import annotations

from typing import Any

import attrs

from govflow.errors import InvalidRecord, require
from govflow.model.decision import Decision, Delegation, Source
from govflow.model.kind import Kind
from govflow.model.terms import Terms, exactly, exactly_or_none, tupled
from govflow.rules.lifecycle import Lifecycle


def _delegations(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: (delegator, Delegation) pairs (give a list or a tuple)."""
    pairs = type(value) is tuple and all(
        type(p) is tuple and len(p) == 2 and type(p[0]) is str and type(p[1]) is Delegation  # noqa: PLR2004
        for p in value
    )
    if not pairs:
        wanted = "(delegator, Delegation) pairs: the delegator's name, and what it delegates"
        raise InvalidRecord("Definition", attribute.name, wanted, value)


def _paired(value: Any) -> Any:  # noqa: ANN401 - anything, checked by the validator
    """An attrs converter: a list of pairs, each a list or a tuple, becomes a tuple of tuples."""
    listed: object = tupled(value)
    if type(listed) is not tuple:
        return listed
    return tuple(tuple(p) if type(p) is list else p for p in listed)


@attrs.frozen
class Definition:
    """A model read from a file: its lifecycle, and what the file gives beside it.

    Attributes:
        lifecycle: The lifecycle, with its authorities, kinds and accepts.
        terms: The first terms the file gives, if any.
        delegations: Delegations in force from the start, as (delegator, delegation).
    """

    lifecycle: Lifecycle = attrs.field(validator=exactly(Lifecycle, "a Lifecycle"))
    terms: Terms | None = attrs.field(default=None, validator=exactly_or_none(Terms, "a Terms"))
    delegations: tuple[tuple[str, Delegation], ...] = attrs.field(
        default=(), converter=_paired, validator=_delegations
    )

    def delegation_decisions(self, proposal: Decision) -> list[Decision]:
        """The decisions that record the file's delegations on the body ``proposal`` makes.

        Delegations are a body's facts: apply these after the proposal, and the file's
        delegations are in force on that body, each within its own dates. Each is taken
        by its delegator on the proposal's date, with the id ``<proposal id>/delegation-N``.

        Raises:
            InvalidRecord: ``proposal`` is not a proposal (a ``propose`` Decision).
        """
        fits = type(proposal) is Decision and proposal.kind == Kind.PROPOSE
        require(fits, "Definition.delegation_decisions", "proposal", "a propose Decision", proposal)
        return [
            Decision(
                id=f"{proposal.id}/delegation-{number}",
                body=proposal.body,
                kind=Kind.DELEGATE,
                actor=by,
                decided=proposal.decided,
                source=Source("the model's delegations", f"delegations[{number}]"),
                delegation=delegation,
            )
            for number, (by, delegation) in enumerate(self.delegations)
        ]
