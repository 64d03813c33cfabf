"""Guards about meetings, dates, the way a body came, and ratification."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from govflow.errors import InvalidRecord
from govflow.model.kind import Kind
from govflow.model.terms import text
from govflow.model.verdict import Reason, Verdict

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.when import When


def _day(guard: object, attribute: attrs.Attribute[dt.date], value: object) -> None:
    if type(value) is not dt.date:
        raise InvalidRecord(type(guard).__name__, attribute.name, "a datetime.date", value)


@attrs.frozen
class MeetingHeld:
    """A guard that passes once the named meeting has been recorded as held.

    Attributes:
        meeting: The meeting's name, as ``hold_meeting`` decisions give it.
    """

    meeting: str = attrs.field(validator=text)

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"meeting held: {self.meeting}"

    def __call__(self, body: Body, on: When) -> Verdict:
        """Look for a ``hold_meeting`` decision for this meeting."""
        for fact in body.decisions(Kind.HOLD_MEETING):
            if fact.decision.meeting == self.meeting:
                return Verdict.ok(self.name, (fact.seq,))
        reason = Reason(
            "awaiting_meeting", {"meeting": self.meeting}, f"awaiting meeting: {self.meeting}"
        )
        return Verdict.fail(self.name, reason)


def meeting_held(meeting: str) -> MeetingHeld:
    """A guard that passes once ``meeting`` has been held."""
    return MeetingHeld(meeting)


@attrs.frozen
class NotBefore:
    """A guard that passes when the decision certainly falls on or after a day.

    A decision dated "April 2013" passes ``not_before(1 April 2013)`` but not
    ``not_before(15 April 2013)``: it may have been taken on the 1st.

    Attributes:
        day: The first day on which the transition may happen.
    """

    day: dt.date = attrs.field(validator=_day)

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"not before {self.day.isoformat()}"

    def __call__(self, body: Body, on: When) -> Verdict:
        """Compare the decision's earliest possible day with ``day``."""
        if on.earliest >= self.day:
            return Verdict.ok(self.name)
        reason = Reason(
            "too_early",
            {"not_before": self.day.isoformat(), "decided": on.iso},
            f"not before {self.day.isoformat()}: the decision is dated {on.iso}",
        )
        return Verdict.fail(self.name, reason)


def not_before(day: dt.date) -> NotBefore:
    """A guard that passes only for decisions certainly taken on or after ``day``."""
    return NotBefore(day)


@attrs.frozen
class CameFrom:
    """A guard that passes when the body came to its current state from ``state``.

    Attributes:
        state: The state the body must have been in before its current one.
    """

    state: str = attrs.field(validator=text)

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"came from: {self.state}"

    def __call__(self, body: Body, on: When) -> Verdict:
        """Compare the body's previous state with ``state``."""
        if body.previous_state == self.state:
            return Verdict.ok(self.name)
        reason = Reason(
            "came_from_elsewhere",
            {"expected": self.state, "actual": body.previous_state or ""},
            f"the body came from {body.previous_state or 'nowhere'}, not from {self.state}",
        )
        return Verdict.fail(self.name, reason)


def came_from(state: str) -> CameFrom:
    """A guard that passes when the body's previous state was ``state``."""
    return CameFrom(state)


@attrs.frozen
class Ratified:
    """A guard that passes when no provisional resolution of the body awaits ratification."""

    @property
    def name(self) -> str:
        """The guard's name."""
        return "provisional resolutions ratified"

    def __call__(self, body: Body, on: When) -> Verdict:
        """List the body's unratified provisional resolutions."""
        waiting = body.unratified
        if not waiting:
            return Verdict.ok(self.name)
        message = f"awaiting ratification of: {', '.join(waiting)}"
        return Verdict.fail(self.name, Reason("unratified", {"decisions": waiting}, message))


def ratified() -> Ratified:
    """A guard that passes once every provisional resolution has been ratified."""
    return Ratified()
