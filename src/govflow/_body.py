"""Bodies: the light, immutable data a lifecycle moves from state to state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from govflow._decision import Decision, Kind
from govflow._terms import Terms


@attrs.frozen
class Fact:
    """A decision that counts, with the sequence number of the log entry that records it.

    Attributes:
        seq: The entry's sequence number in the audit log.
        decision: The decision.
    """

    seq: int
    decision: Decision


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
    """

    id: str
    state: str
    terms: Terms
    facts: tuple[Fact, ...]
    history: tuple[str, ...]
    floor: dt.date

    def decisions(self, *kinds: Kind) -> Iterator[Fact]:
        """The facts whose decisions are of one of ``kinds``, in log order."""
        wanted = frozenset(kinds)
        return (fact for fact in self.facts if fact.decision.kind in wanted)

    @property
    def previous_state(self) -> str | None:
        """The state the body was in before its current one, if any."""
        return self.history[-2] if len(self.history) > 1 else None
