"""Bodies: the light, immutable data a lifecycle moves from state to state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from types import MemberDescriptorType
from typing import overload

import attrs

from govflow._decision import BINDING, Decision, Kind, Target
from govflow._facts import Fact, Facts, proposal_fact, proposed
from govflow._quick import quick_init
from govflow._record import record_methods
from govflow._terms import Terms


def _facts(value: Iterable[Fact]) -> Facts:
    return value if isinstance(value, Facts) else Facts(value)


@quick_init
@record_methods
@attrs.frozen(repr=False, eq=False)
class Body:
    """A governance body as its accepted decisions leave it.

    Bodies are values: applying a decision gives a new ``Body`` and leaves the old
    one as it was. They hold no reference to a state machine, so a million of them
    cost only their data.

    Attributes:
        id: The body's id, as decisions name it.
        state: Its current lifecycle state.
        terms: The terms it currently stands on.
        facts: The decisions that count, in log order: accepted, and neither rescinded
            nor replaced by a correction. A read-only sequence; give any iterable of
            facts when building a body.
        history: Every state it has been in, in order, the current one last.
        floor: The latest day on which an applied decision may have started; a new
            decision ending before it is out of order.
        entered: The sequence number of the entry that moved it into its current state.
    """

    id: str
    state: str
    terms: Terms
    facts: Facts = attrs.field(converter=_facts)
    history: tuple[str, ...]
    floor: dt.date
    entered: int = 0

    def decisions(self, *kinds: Kind) -> Iterator[Fact]:
        """The facts whose decisions are of one of ``kinds``, in log order."""
        wanted = frozenset(kinds)
        return (fact for fact in self.facts if fact.decision.kind in wanted)

    @property
    def previous_state(self) -> str | None:
        """The state the body was in before its current one, if any."""
        return self.history[-2] if len(self.history) > 1 else None

    def current(self, fact: Fact) -> bool:
        """Whether ``fact`` still counts under the current terms.

        Kinds that bind to the terms (agreements, endorsements, nominations, budget,
        establishment, reaffirmation) count only on the version they were taken on.
        """
        return fact.decision.kind not in BINDING or fact.terms_version == self.terms.version

    @property
    def delegations(self) -> tuple[Decision, ...]:
        """The delegation decisions not revoked, in log order."""
        return tuple(f.decision for f in self.decisions(Kind.DELEGATE))

    @property
    def unratified(self) -> tuple[str, ...]:
        """The ids of the provisional resolutions no ratification names yet."""
        ratified = {i for f in self.decisions(Kind.RATIFY) for i in f.decision.ratifies}
        return tuple(
            f.decision.id
            for f in self.decisions(Kind.RESOLVE)
            if f.provisional and f.decision.id not in ratified
        )

    @property
    def targets(self) -> dict[str, Target]:
        """The latest hoped-for date recorded for each state."""
        return {
            f.decision.target.state: f.decision.target
            for f in self.decisions(Kind.TARGET)
            if f.decision.target is not None
        }


class _FactsSlot:
    """``Body.facts``: the field's slot, read through this descriptor.

    A body just proposed, whose proposal's fact counts for the organisation the
    decision names, holds the proposal itself in the slot (``proposed_body``):
    bodies are created by the hundred thousand, many are not read for a while, and
    a ``Facts`` for each would be one more object a body for the garbage collector
    to visit. The first read puts the facts in its place, so a body reads the same
    as if it had held them from the start.
    """

    __slots__ = ("_get", "_set")

    def __init__(self, slot: MemberDescriptorType) -> None:
        self._get = slot.__get__
        self._set = slot.__set__

    @overload
    def __get__(self, body: None, owner: type | None = None) -> _FactsSlot: ...
    @overload
    def __get__(self, body: Body, owner: type | None = None) -> Facts: ...
    def __get__(self, body: Body | None, owner: type | None = None) -> Facts | _FactsSlot:
        if body is None:
            return self
        facts = self._get(body)
        if type(facts) is Decision:
            fact = proposal_fact(body.entered, facts, facts.organisation)
            facts = Facts._view([fact], 1, None)
            self._set(body, facts)
        return facts  # type: ignore[no-any-return]

    def __set__(self, body: Body, value: Facts) -> None:
        self._set(body, value)


_FACTS_SLOT: MemberDescriptorType = Body.__dict__["facts"]
setattr(Body, "facts", _FactsSlot(_FACTS_SLOT))  # noqa: B010 - mypy refuses Body.facts = ...
#: A placeholder the facts slot of a just-proposed body holds until the proposal replaces it.
_PLACEHOLDER = Facts()


def proposed_body(seq: int, decision: Decision, organisation: str, history: tuple[str]) -> Body:
    """The body ``decision`` proposes, in the state ``history`` holds: its facts, the proposal.

    ``organisation`` is the one its mandate gives. The proposal's ``Fact`` is built
    when the facts are first read.
    """
    state = history[0]
    terms = decision.terms
    assert terms is not None  # noqa: S101 - Decision's validator guarantees it
    behalf = decision.on_behalf_of
    earliest = decision.decided.earliest
    if organisation == (decision.actor if behalf is None else behalf):
        body = Body(decision.body, state, terms, _PLACEHOLDER, history, earliest, seq)
        _FACTS_SLOT.__set__(body, decision)
        return body
    facts = proposed(seq, decision, organisation)
    return Body(decision.body, state, terms, facts, history, earliest, seq)
