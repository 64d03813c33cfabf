"""Decisions no guard waits for: of any kind a body's state accepts, by one who holds it.

A walk heads for states, so it draws the decisions its guards count. A kind of your
own that no guard counts (a chair's action, a report) would then never be drawn, and a
guard of your own that reads it never tried on it: now and then a step takes one.

With ``unusual`` (a share, none by default), that share of such steps is unusual: it
may be an amendment (the same terms, a version on) where the state accepts one, so that
a guard of yours that counts decisions on earlier terms meets one, and it is dated as
sources often date a decision, by its month or as some day in a week, so that a guard
of yours that reads a date as a day meets one that is not; so is that share of the
decisions a walk guesses for a guard of your own (``awaited.guessed``). They are off
by default: with them, fewer walks reach the deepest states (the testing page gives
the figures).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from govflow.model.kind import DecisionKind, Kind
from govflow.model.when import When
from govflow.rules.kinds import CHECKED

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.decision import Decision
    from govflow.testing.walk import Walker

#: Kinds a step aside never takes: they need what a walk gives them only when awaited.
_NEEDING = CHECKED | {Kind.PROPOSE, Kind.RESCIND, Kind.REVOKE}
#: Those an unusual step aside never takes: an amendment needs only the body's terms,
#: a version on.
_UNUSUAL_NEEDING = _NEEDING - {Kind.AMEND}


def aside(
    walker: Walker, draw: st.DrawFn, body: Body, accepted: frozenset[DecisionKind]
) -> Decision | None:
    """A decision of a kind ``body``'s state accepts, asking for nothing; ``None``: none fits.

    Unusual (``walker.unusual`` of the time): it may amend, and may be dated by its
    month or as some day in the week to the walk's day.
    """
    odd = unusual(walker, draw)
    needing = _UNUSUAL_NEEDING if odd else _NEEDING
    kinds = sorted((k for k in accepted if k not in needing), key=lambda k: k.value)
    held = [(k, actors) for k in kinds if (actors := walker.actors(k, body.id))]
    if not held:
        return None
    kind, actors = draw(st.sampled_from(held))
    actor = draw(st.sampled_from(actors))
    if not odd:
        return walker.decision(body.id, kind, actor)
    return walker.decision(body.id, kind, actor, decided=dated(walker, draw))


def unusual(walker: Walker, draw: st.DrawFn) -> bool:
    """Whether this step is unusual: ``walker.unusual`` of the time, counted in thousandths.

    No draw at all when unusual steps are off: the walks are those drawn without them.
    Unusual at the top of the draw's range, so that shrinking makes a step usual.
    """
    share = walker.unusual
    return bool(share) and draw(st.integers(0, 999)) >= 1000 - share * 1000


def dated(walker: Walker, draw: st.DrawFn) -> When:
    """The walk's day, its month, or the week to it, a time in three each.

    A date known to the month may fall after the day: the walk goes on from the month's
    end, as a registry explains the body only as it certainly stood (``explain`` on a
    day before an uncertain decision may have been taken gives the body before it).
    """
    day, how = walker.day, draw(st.integers(0, 2))  # shrunk: 0, the day
    if how == 1:
        month = When.month(day.year, day.month)
        walker.day = month.latest
        return month
    if how == 2:  # noqa: PLR2004
        return When.between(day - dt.timedelta(days=6), day)
    return When.on(day)
