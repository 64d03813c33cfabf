"""Bodies: the light, immutable data a lifecycle moves from state to state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from govflow._decision import BINDING, Decision, Kind, Target
from govflow._terms import Terms


@attrs.frozen
class Fact:
    """A decision that counts, with what applying it established.

    Attributes:
        seq: The sequence number of the log entry that records it.
        decision: The decision.
        organisation: The organisation it counts for (from its mandate).
        terms_version: The version of the terms it was taken on.
        provisional: Whether it was taken while the body was in a provisional
            state (such as shadow form) and so needs ratifying.
    """

    seq: int
    decision: Decision
    organisation: str
    terms_version: int = 1
    provisional: bool = False

    def speaks_for(self, authority: str) -> bool:
        """Whether the decision was taken by ``authority`` or counts for it."""
        d = self.decision
        return authority in (d.actor, d.on_behalf_of, self.organisation)


@attrs.frozen
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
            nor replaced by a correction.
        history: Every state it has been in, in order, the current one last.
        floor: The latest day on which an applied decision may have started; a new
            decision ending before it is out of order.
        entered: The sequence number of the entry that moved it into its current state.
    """

    id: str
    state: str
    terms: Terms
    facts: tuple[Fact, ...]
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
