"""Guards about meetings, dates, the way a body came, and ratification."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from govflow.guards.dates import (
    LATER,
    Bound,
    Decided,
    Entered,
    Param,
    Used,
    check_bound,
    described,
    lacking,
    past_calendar,
    resolve,
    uses,
)
from govflow.guards.windows import Window, check_window
from govflow.model.kind import Kind
from govflow.model.terms import text
from govflow.model.verdict import Reason, Verdict

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.when import When


def _bound(guard: object, attribute: attrs.Attribute[Bound], value: object) -> None:
    check_bound(type(guard).__name__, attribute.name, value)


def _window(guard: object, attribute: attrs.Attribute[Window | None], value: object) -> None:
    check_window(type(guard).__name__, value)


@attrs.frozen
class MeetingHeld:
    """A guard that passes once the named meeting has been recorded as held.

    Attributes:
        meeting: The meeting's name, as ``hold_meeting`` decisions give it.
    """

    meeting: str = attrs.field(validator=text)
    #: Count only meetings held within this window (since entering the state, say).
    within: Window | None = attrs.field(default=None, validator=_window, metadata=LATER)

    @property
    def name(self) -> str:
        """The guard's name."""
        if self.within is None:
            return f"meeting held: {self.meeting}"
        return f"meeting held: {self.meeting}, {self.within}"

    def uses(self, body: Body) -> Used:
        """The days the window stood for on ``body``."""
        return () if self.within is None else self.within.uses(body)

    def __call__(self, body: Body, on: When) -> Verdict:
        """Look for a ``hold_meeting`` decision for this meeting (in the window)."""
        window = self.within
        start, end, known = (None, None, True) if window is None else window.admits(body)
        for fact in body.decisions(Kind.HOLD_MEETING):
            if fact.decision.meeting == self.meeting and (
                window is None or (known and window.counts(body, fact, start, end))
            ):
                return Verdict.ok(self.name, (fact.seq,))
        message = f"awaiting meeting: {self.meeting}"
        if window is not None:
            message += f" (held {window})"
        gaps = () if window is None else window.lacking(body)  # a window with no day counts none
        awaited = Reason("awaiting_meeting", {"meeting": self.meeting}, message)
        return Verdict.fail(self.name, *(gaps or (awaited,)))


def meeting_held(meeting: str, *, within: Window | None = None) -> MeetingHeld:
    """A guard that passes once ``meeting`` has been held (within ``within``, if given).

    ``meeting_held("consultation", within=within(since_entered=True))``: an earlier
    consultation does not count for a later round.
    """
    return MeetingHeld(meeting, within)


@attrs.frozen
class NotBefore:
    """A guard that passes when the decision certainly falls on or after a day.

    A decision dated "April 2013" passes ``not_before(1 April 2013)`` but not
    ``not_before(15 April 2013)``: it may have been taken on the 1st. A day counted
    from the body's history (:func:`~govflow.guards.entered`,
    :func:`~govflow.guards.decided`) is taken at the latest it could be.

    Attributes:
        day: The first day on which the transition may happen, or an anchor for it.
    """

    day: Bound = attrs.field(validator=_bound)

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"not before {_bound_name(self.day)}"

    def uses(self, body: Body) -> Used:
        """The day the bound stood for on ``body``, if it is counted from the body."""
        return uses(self.day, body, latest=True)

    def __call__(self, body: Body, on: When) -> Verdict:
        """Compare the decision's earliest possible day with the bound."""
        return _dated(self.name, self.day, body, on, before=True)


def not_before(day: Bound) -> NotBefore:
    """A guard that passes only for decisions certainly taken on or after ``day``.

    ``day`` is a ``datetime.date``, or a day in the body's history:
    ``not_before(entered("queued", days=2))``.
    """
    return NotBefore(day)


@attrs.frozen
class NotAfter:
    """A guard that passes when the decision certainly falls on or before a day.

    A decision dated "April 2013" passes ``not_after(30 April 2013)`` but not
    ``not_after(15 April 2013)``. A day counted from the body's history is taken at
    the earliest it could be.

    Attributes:
        day: The last day on which the transition may happen, or an anchor for it.
    """

    day: Bound = attrs.field(validator=_bound)

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"not after {_bound_name(self.day)}"

    def uses(self, body: Body) -> Used:
        """The day the bound stood for on ``body``, if it is counted from the body."""
        return uses(self.day, body, latest=False)

    def __call__(self, body: Body, on: When) -> Verdict:
        """Compare the decision's latest possible day with the bound."""
        return _dated(self.name, self.day, body, on, before=False)


def not_after(day: Bound) -> NotAfter:
    """A guard that passes only for decisions certainly taken on or before ``day``.

    ``not_after(decided(Kind.ESTABLISH, days=14))``: within fourteen days of the order.
    """
    return NotAfter(day)


def _dated(name: str, bound: Bound, body: Body, on: When, *, before: bool) -> Verdict:
    """A date guard's verdict: "not before" ``bound`` (at its latest), else "not after" it."""
    day = resolve(bound, body, latest=before)
    if day is None:
        return Verdict.fail(name, _unknown(bound, body, latest=before))
    if (on.earliest >= day) if before else (on.latest <= day):
        return Verdict.ok(name)
    key, code = ("not_before", "too_early") if before else ("not_after", "too_late")
    # "earlier" or "later", not "the decision is dated": an explanation has no decision.
    # A date known less precisely than to the day may span the bound: it "may be".
    side = "earlier" if before else "later"
    certainly = (on.latest < day) if before else (on.earliest > day)
    said = f"is {side}" if certainly else f"may be {side} (it spans {day.isoformat()})"
    message = f"{key.replace('_', ' ')} {described(bound, day)}: {on.iso} {said}"
    return Verdict.fail(name, Reason(code, {key: day.isoformat(), "decided": on.iso}, message))


def _bound_name(bound: Bound) -> str:
    return bound.isoformat() if type(bound) is dt.date else str(bound)


def _unknown(bound: Bound, body: Body, *, latest: bool) -> Reason:
    """The reason a bound counted from the body's history has no day yet."""
    days = bound.days if isinstance(bound, Entered | Decided) else None
    if isinstance(days, Param) and type(body.terms.parameter(days.name)) is not int:
        return lacking(days.name, "a whole number of days", body)
    if isinstance(bound, Param) and type(body.terms.parameter(bound.name)) is not dt.date:
        return lacking(bound.name, "a day", body)
    outside = past_calendar(bound, body, latest=latest)
    if outside is not None:
        return outside
    message = f"the body has no date for {bound} yet"
    if isinstance(bound, Decided):  # taken, but on terms an amendment has since replaced?
        voided = [f for f in body.decisions(*bound.kinds) if not body.current(f)]
        if voided:
            kind, version = voided[-1].decision.kind.value, voided[-1].terms_version
            message = (
                f"the body has no date for {bound}: its {kind} decision was taken on terms "
                f"version {version}, and counts no more on version {body.terms.version} "
                f"(an amendment voids it; take it again on the current terms)"
            )
    return Reason("date_unknown", {"anchor": str(bound)}, message)


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
