"""Decisions no guard waits for: of any kind a body's state accepts, by one who holds it.

A walk heads for states, so it draws the decisions its guards count. A kind of your
own that no guard counts (a chair's action, a report) would then never be drawn, and a
guard of your own that reads it never tried on it: now and then a step takes one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import strategies as st

from govflow.model.kind import DecisionKind, Kind
from govflow.rules.kinds import CHECKED

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.decision import Decision
    from govflow.testing.walk import Walker

#: Kinds a step aside never takes: they need what a walk gives them only when awaited.
_NEEDING = CHECKED | {Kind.PROPOSE, Kind.RESCIND, Kind.REVOKE}


def aside(
    walker: Walker, draw: st.DrawFn, body: Body, accepted: frozenset[DecisionKind]
) -> Decision | None:
    """A decision of a kind ``body``'s state accepts, asking for nothing; ``None``: none fits."""
    kinds = sorted((k for k in accepted if k not in _NEEDING), key=lambda k: k.value)
    held = [(k, actors) for k in kinds if (actors := walker.actors(k, body.id))]
    if not held:
        return None
    kind, actors = draw(st.sampled_from(held))
    return walker.decision(body.id, kind, draw(st.sampled_from(actors)))
