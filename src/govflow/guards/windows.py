"""Windows: which decisions a counting guard counts, by their dates and place in the log.

A :class:`Window` (build it with :func:`within`) counts only the decisions certainly
taken between its bounds (fixed days or anchors in the body's history, from
:mod:`govflow.guards.dates`) and, with ``since_entered``, only those taken since the body
entered its current state.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from govflow.errors import InvalidRecord
from govflow.guards.dates import (
    Bound,
    Param,
    Used,
    check_bound,
    lacking,
    past_calendar,
    resolve,
    uses,
)
from govflow.model.when import When

if TYPE_CHECKING:
    from govflow.model.body import Body, Fact
    from govflow.model.verdict import Reason


def _shown(bound: Bound) -> str:
    return bound.isoformat() if type(bound) is dt.date else str(bound)


def _window_bound(window: object, attribute: attrs.Attribute[Bound | None], value: object) -> None:
    check_bound("Window", attribute.name, value, optional=True)


def _flag(window: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        raise InvalidRecord("Window", attribute.name, "True or False", value)


def closed(reason: Reason, start: dt.date | None, end: dt.date | None, on: When) -> Reason:
    """``reason``, saying so when the window it counts in is not open on ``on``.

    Closed before ``on`` began: no decision taken from then on can count (its ``closed``
    parameter gives the last day). Not yet open when ``on`` ended: no decision taken
    by then counts (its ``opens`` parameter gives the first day).
    """
    if end is not None and on.earliest > end:
        said, key, day = f"closed on {end}: a decision taken later", "closed", end
    elif start is not None and on.latest < start:
        said, key, day = f"opens on {start}: a decision taken earlier", "opens", start
    else:
        return reason
    from govflow.model.verdict import Reason  # noqa: PLC0415 - on failure; keeps windows low

    message = f"{reason.message}; the window {said} does not count"
    return Reason(reason.code, {**dict(reason.params), key: day.isoformat()}, message)


@attrs.frozen
class Window:
    """Which decisions a counting guard counts: build it with :func:`within`.

    Attributes:
        start: Count only decisions certainly taken on or after it.
        end: Count only decisions certainly taken on or before it.
        since_entered: Count only decisions taken since the body entered its current
            state (by their place in the log: each time it enters anew).
    """

    start: Bound | None = attrs.field(default=None, validator=_window_bound)
    end: Bound | None = attrs.field(default=None, validator=_window_bound)
    since_entered: bool = attrs.field(default=False, validator=_flag)

    def __attrs_post_init__(self) -> None:
        start, end = self.start, self.end
        if type(start) is dt.date and type(end) is dt.date and end < start:
            raise InvalidRecord("Window", "end", f"a day on or after the start, {start}", end)

    def admits(self, body: Body) -> tuple[dt.date | None, dt.date | None, bool]:
        """The window's days on ``body`` and whether it has them all (its anchors resolved)."""
        start = None if self.start is None else resolve(self.start, body, latest=True)
        end = None if self.end is None else resolve(self.end, body, latest=False)
        known = (self.start is None or start is not None) and (self.end is None or end is not None)
        return start, end, known

    def lacking(self, body: Body) -> tuple[Reason, ...]:
        """Why a bound has no day: the lack of a parameter it takes, or a day past the calendar.

        A counting guard whose window has no day counts nothing: these say why.
        """
        reasons = []
        for bound, latest in ((self.start, True), (self.end, False)):
            days = getattr(bound, "days", None)
            outside = None if bound is None else past_calendar(bound, body, latest=latest)
            if isinstance(bound, Param) and type(body.terms.parameter(bound.name)) is not dt.date:
                reasons.append(lacking(bound.name, "a day", body))
            elif isinstance(days, Param) and type(body.terms.parameter(days.name)) is not int:
                reasons.append(lacking(days.name, "a whole number of days", body))
            elif outside is not None:
                reasons.append(outside)
        return tuple(dict.fromkeys(reasons))  # a parameter both bounds take, once

    def uses(self, body: Body) -> Used:
        """The days the window's bounds stood for on ``body``."""
        return uses(self.start, body, latest=True) + uses(self.end, body, latest=False)

    def counts(self, body: Body, fact: Fact, start: dt.date | None, end: dt.date | None) -> bool:
        """Whether ``fact`` falls in the window whose days on ``body`` are ``start`` and ``end``."""
        if self.since_entered and fact.seq < body.entered:
            return False
        when = fact.decision.decided
        return (start is None or when.earliest >= start) and (end is None or when.latest <= end)

    def __str__(self) -> str:
        parts = []
        if self.start is not None:
            parts.append(f"from {_shown(self.start)}")
        if self.end is not None:
            parts.append(f"to {_shown(self.end)}")
        if self.since_entered:
            parts.append("since entering the current state")
        return " ".join(parts) or "at any time"


def check_window(record: str, value: object) -> None:
    """Check that ``value`` is a :class:`Window` or ``None``: a counting guard's ``within``.

    Raises:
        InvalidRecord: It is not.
    """
    if value is not None and not isinstance(value, Window):
        raise InvalidRecord(record, "within", "None or a window: within(...)", value)


def within(
    start: Bound | None = None, end: Bound | None = None, *, since_entered: bool = False
) -> Window:
    """A window of dates (and of the log) that a counting guard counts decisions in.

    ``decided_by(Kind.AGREE, councils, at_least=3, within=within(end=day))``;
    ``within(since_entered=True)`` is what ``since_entered=True`` says.

    Raises:
        InvalidRecord: A bound is neither a day nor an anchor, or ``since_entered`` is
            not a bool.
    """
    return Window(start, end, since_entered)
