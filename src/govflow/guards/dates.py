"""Dates guards compare with: fixed days, days relative to a body's history, and windows.

A bound is a fixed ``datetime.date`` or an :class:`Anchor`: a day in the body's own
history (:func:`entered`, the day it entered a state; :func:`decided`, the day of its
latest decision of some kinds), plus a number of days. An anchor's day is as precise as
the decision it rests on: a state entered "in April 2013" is a span of thirty days.

Every comparison is certain, as ``as_of`` is: a decision dated "April 2013" is
certainly on or after 1 April and certainly on or before 30 April, and neither on or
after 15 April nor on or before it. So a bound "not before" uses the latest day an
anchor could be, and a bound "not after" the earliest.

A :class:`Window` says which decisions a counting guard counts: those certainly taken
within its dates, and, with ``since_entered``, only those taken since the body entered
its current state.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from govflow.errors import InvalidRecord
from govflow.model.kind import DecisionKind, kinds_of
from govflow.model.terms import text
from govflow.model.when import When

if TYPE_CHECKING:
    from govflow.model.body import Body, Fact
    from govflow.model.verdict import Reason

#: The most days an anchor may add or take away (about 270 years).
MAX_DAYS = 100_000


def _days(anchor: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, Param) and value.days == 0:
        return  # a number of days among the body's parameters
    if type(value) is not int or not -MAX_DAYS <= value <= MAX_DAYS:
        raise InvalidRecord(
            type(anchor).__name__,
            attribute.name,
            f"a whole number from -{MAX_DAYS} to {MAX_DAYS}",
            value,
        )


def _state(anchor: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        text(anchor, attribute, value)


def _kinds(value: object) -> tuple[DecisionKind, ...]:
    return kinds_of(value, "decided")


@attrs.frozen
class Entered:
    """The day the body entered a state, plus ``days``: build it with :func:`entered`.

    Attributes:
        state: The state; ``None`` for whichever the body is in. A body not in
            ``state`` has no such day.
        days: Days after it (before it, if negative).
    """

    state: str | None = attrs.field(default=None, validator=_state)
    days: Days = attrs.field(default=0, validator=_days)

    def when(self, body: Body) -> When | None:
        """The date of the decision that moved the body into its state."""
        if self.state is not None and body.state != self.state:
            return None
        if body.entered_on is not None:
            return body.entered_on
        for fact in reversed(body.facts):
            if fact.seq == body.entered:
                return fact.decision.decided
            if fact.seq < body.entered:
                break
        return None

    def __str__(self) -> str:
        return _offset(self.days, f"entering {self.state or 'the current state'}")


@attrs.frozen
class Decided:
    """The day of the body's latest counting decision of ``kinds``, plus ``days``.

    Build it with :func:`decided`.

    Attributes:
        kinds: The kinds of decision it rests on.
        days: Days after it (before it, if negative).
    """

    kinds: tuple[DecisionKind, ...] = attrs.field(converter=_kinds)
    days: Days = attrs.field(default=0, validator=_days)

    def when(self, body: Body) -> When | None:
        """The date of the latest such decision that counts on the current terms."""
        latest = None
        for fact in body.decisions(*self.kinds):
            if body.current(fact):
                latest = fact
        return None if latest is None else latest.decision.decided

    def __str__(self) -> str:
        return _offset(self.days, "/".join(k.value for k in self.kinds))


@attrs.frozen
class Param:
    """A day among the body's own parameters (``Terms.parameters``), plus ``days``.

    Build it with :func:`param`. One lifecycle then serves bodies with other dates.

    Attributes:
        name: The parameter's name.
        days: Days after it (before it, if negative).
    """

    name: str = attrs.field(validator=text)
    days: int = attrs.field(default=0, validator=_days)

    def when(self, body: Body) -> When | None:
        """The parameter's day, if the body's terms give one."""
        value = body.terms.parameter(self.name)
        return When.on(value) if type(value) is dt.date else None

    def __str__(self) -> str:
        return _offset(self.days, self.name)


def param(name: str, *, days: int = 0) -> Param:
    """The day the body's parameter ``name`` gives, plus ``days``.

    ``not_after(param("vote_end"))``: no later than the day the body's terms set.

    Raises:
        InvalidRecord: ``name`` is not a text, or ``days`` not a whole number within
            ``MAX_DAYS``.
    """
    return Param(name, days)


#: A day a bound is counted from: in a body's history, or among its parameters.
Anchor = Entered | Decided | Param
#: A number of days (or a count): a whole number, or one among the body's parameters.
Days = int | Param


def number(value: int | Param, body: Body) -> int | None:
    """``value``'s whole number on ``body``: itself, or the parameter's, if it is one."""
    if type(value) is int:
        return value
    found = body.terms.parameter(value.name) if isinstance(value, Param) else None
    return found if type(found) is int else None


#: A bound: a fixed day, or a day counted from the body's history.
Bound = dt.date | Anchor


def _offset(days: Days, what: str) -> str:
    if isinstance(days, Param):
        return f"{days.name} days after {what}"
    if days == 0:
        return what
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'after' if days > 0 else 'before'} {what}"


def entered(state: str | None = None, *, days: Days = 0) -> Entered:
    """The day the body entered ``state`` (its current state by default), plus ``days``.

    ``not_before(entered("queued", days=2))``: not before two days after it was queued;
    ``days=param("delay")`` takes the number of days from the body's parameters.

    Raises:
        InvalidRecord: ``state`` is not a text, or ``days`` not a whole number within
            ``MAX_DAYS``.
    """
    return Entered(state, days)


def decided(
    kinds: DecisionKind | tuple[DecisionKind, ...] | list[DecisionKind], *, days: Days = 0
) -> Decided:
    """The day of the body's latest counting decision of ``kinds``, plus ``days``.

    ``not_after(decided(Kind.ESTABLISH, days=14))``: within fourteen days of the order.

    Raises:
        InvalidRecord: No kind, or ``days`` not a whole number within ``MAX_DAYS``.
    """
    return Decided(kinds, days)


def check_bound(record: str, field: str, value: object, *, optional: bool = False) -> None:
    """Check that ``value`` is a bound (a ``datetime.date`` or an anchor).

    Raises:
        InvalidRecord: It is not (a datetime is not a day).
    """
    if optional and value is None:
        return
    if not (type(value) is dt.date or isinstance(value, Entered | Decided | Param)):
        expected = "a datetime.date, entered(...), decided(...) or param(...)"
        raise InvalidRecord(record, field, f"None or {expected}" if optional else expected, value)


def resolve(bound: Bound, body: Body, *, latest: bool) -> dt.date | None:
    """The day ``bound`` stands for on ``body``, or ``None`` when its anchor has no day.

    An anchor has no day when the body has no such state or decision yet, when a
    number of days it takes from the body's parameters is not there, or when its days
    lead past year 9999 or before year 1; a guard then does not pass.

    ``latest`` takes the latest day an anchor's date could be (for "not before"),
    else the earliest (for "not after").
    """
    if type(bound) is dt.date:
        return bound
    assert isinstance(bound, Entered | Decided | Param)  # noqa: S101 - checked when built
    when, offset = bound.when(body), number(bound.days, body)
    if when is None or offset is None:
        return None
    day = when.latest if latest else when.earliest
    try:
        return day + dt.timedelta(days=offset)
    except OverflowError:  # past the calendar's ends: no day a guard could pass on
        return None


#: What a guard used on a body: each bound or count it took from the body's history or
#: parameters, in words, with the value it found ("vote_end", "2013-04-30").
Used = tuple[tuple[str, str], ...]


def uses(bound: Bound | None, body: Body, *, latest: bool) -> Used:
    """The day ``bound`` stood for on ``body``, if it is counted from the body (else nothing)."""
    if bound is None or type(bound) is dt.date:
        return ()
    day = resolve(bound, body, latest=latest)
    return ((str(bound), "unknown" if day is None else day.isoformat()),)


def described(bound: Bound, day: dt.date | None) -> str:
    """A bound in words: ``2013-04-03`` or ``2013-04-03 (2 days after entering queued)``."""
    if type(bound) is dt.date:
        return bound.isoformat()
    shown = "unknown" if day is None else day.isoformat()
    return f"{shown} ({bound})"


def _shown(bound: Bound) -> str:
    return bound.isoformat() if type(bound) is dt.date else str(bound)


def _window_bound(window: object, attribute: attrs.Attribute[Bound | None], value: object) -> None:
    check_bound("Window", attribute.name, value, optional=True)


def _flag(window: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        raise InvalidRecord("Window", attribute.name, "True or False", value)


def lacking(name: str, wanted: str, body: Body) -> Reason:
    """The reason a guard cannot use the body's parameter ``name``: absent, or not ``wanted``."""
    from govflow.model.verdict import Reason  # noqa: PLC0415 - on failure; keeps dates low

    given = body.terms.parameter(name)
    if given is None:
        message = f"the body's terms give no parameter {name} ({wanted})"
    else:
        message = f"the body's parameter {name} is {given!r}, not {wanted}"
    return Reason("parameter_missing", {"parameter": name, "wanted": wanted}, message)


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
    from govflow.model.verdict import Reason  # noqa: PLC0415 - on failure; keeps dates low

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
        """Why a bound taken from the body's parameters has no day: the parameter's lack.

        A counting guard whose window has no day counts nothing: these say why.
        """
        reasons = []
        for bound in (self.start, self.end):
            days = getattr(bound, "days", None)
            if isinstance(bound, Param) and type(body.terms.parameter(bound.name)) is not dt.date:
                reasons.append(lacking(bound.name, "a day", body))
            elif isinstance(days, Param) and type(body.terms.parameter(days.name)) is not int:
                reasons.append(lacking(days.name, "a whole number of days", body))
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
