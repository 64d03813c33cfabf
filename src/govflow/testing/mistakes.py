"""Decisions wrong on purpose: each refused for one of :data:`MISTAKES`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs
from hypothesis import strategies as st

from govflow.model.body import Body
from govflow.model.decision import Decision
from govflow.model.kind import Kind
from govflow.model.when import When

if TYPE_CHECKING:
    from govflow.testing.walk import Walker

#: The ways a step may be wrong on purpose, each refused for its own reason.
MISTAKES = (
    "unknown_actor",  # an actor the lifecycle does not declare (or, without any, a stranger)
    "no_power",  # an authority without the power for the kind
    "guard_unmet",  # a trigger asked for before its guards pass
    "out_of_order",  # dated before the body's last decision
    "duplicate_id",  # another decision under an id already used
    "refused_kind",  # a kind the body's state does not accept
    "stale_terms",  # terms amended to a version that is not the next
    "unknown_body",  # a decision on a body never proposed
)


def mistake(  # noqa: PLR0911 - one return per mistake
    self: Walker,
    draw: st.DrawFn,
    *,
    blocked: list[str],
    last_id: str | None,
    body: str,
    current: Body | None,
) -> Decision:
    """A decision refused for one of :data:`MISTAKES`.

    ``blocked`` are the triggers out of the body's state whose guards do not pass, and
    ``last_id`` the id of the log's last decision.
    """
    how = draw(st.sampled_from(MISTAKES))
    declared = self.lifecycle.authorities is not None
    if how == "unknown_body" or current is None or (not declared and "actor" in how):
        # Without declared authorities any actor may decide: no actor is a mistake.
        return self.decision("never proposed", Kind.NOTE, "A", reasons=("stray",))
    kinds = sorted(self.lifecycle.accepting.get(current.state, ()), key=lambda k: k.value)
    kind = draw(st.sampled_from(kinds)) if kinds else Kind.NOTE
    if how == "unknown_actor":
        return self.decision(body, kind, "nobody anyone named")
    if how == "no_power" and self.lifecycle.authorities is not None:
        lacking = [
            a.name
            for a in self.lifecycle.authorities.values()
            if not a.holds(kind, body) and kind is not Kind.NOTE
        ]
        if lacking:
            return self.decision(body, kind, draw(st.sampled_from(lacking)))
    if how == "guard_unmet" and blocked and kinds:
        trigger = draw(st.sampled_from(blocked))
        # A kind its guards do not count, so that the decision cannot meet them itself.
        counted = self.guard_kinds(current.state, trigger)
        uncounted = [k for k in kinds if k not in counted and k is not Kind.NOTE]
        if uncounted:
            kind = draw(st.sampled_from(uncounted))
            actors = self.actors(kind, body) or ["A"]
            return self.decision(body, kind, draw(st.sampled_from(actors)), trigger=trigger)
    if how == "out_of_order" and current.facts:
        last = current.facts[-1].decision.decided.earliest
        earlier = last - dt.timedelta(days=draw(st.integers(1, 400)))
        actors = self.actors(Kind.NOTE, body) or ["A"]
        note = self.decision(
            body, Kind.AGREE if Kind.AGREE in kinds else kind, draw(st.sampled_from(actors))
        )
        return attrs.evolve(note, decided=When.on(earlier))
    if how == "duplicate_id" and last_id is not None:
        actors = self.actors(Kind.NOTE, body) or ["A"]
        other = self.decision(body, Kind.NOTE, draw(st.sampled_from(actors)), reasons=("x",))
        return attrs.evolve(other, id=last_id)
    if how == "refused_kind":
        every = sorted(self.lifecycle.kinds, key=lambda k: k.value)  # a set: fix its order
        refused = [k for k in every if k not in kinds and k is not Kind.NOTE]
        if refused:
            actors = self.actors(refused[0], body) or ["A"]
            return self.decision(body, refused[0], draw(st.sampled_from(actors)))
    if how == "stale_terms" and Kind.AMEND in kinds:
        actors = self.actors(Kind.AMEND, body) or ["A"]
        terms = attrs.evolve(current.terms, version=current.terms.version + 2)
        return self.decision(body, Kind.AMEND, draw(st.sampled_from(actors)), terms=terms)
    if declared:
        return self.decision(body, kind, "nobody anyone named")
    return self.decision("never proposed", Kind.NOTE, "A", reasons=("stray",))
