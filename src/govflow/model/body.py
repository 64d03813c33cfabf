"""Bodies: the light, immutable data a lifecycle moves from state to state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from govflow.model.decision import BINDING, Decision, Target
from govflow.model.facts import Fact, Facts, as_facts
from govflow.model.kind import Kind
from govflow.model.terms import Terms


@attrs.frozen(repr=False)
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
    facts: Facts = attrs.field(converter=as_facts)
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

    def __repr__(self) -> str:
        # One line, whatever the history: the facts are in ``facts``.
        return (
            f"<Body {self.id!r} {self.state}: terms v{self.terms.version}, "
            f"{len(self.facts)} facts, entered at entry {self.entered}>"
        )
