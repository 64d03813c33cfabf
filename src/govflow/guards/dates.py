"""Dates guards compare with: fixed days, and days relative to a body's history.

A bound is a fixed ``datetime.date`` or an :class:`Anchor`: a day in the body's own
history (:func:`entered`, the day it entered a state; :func:`decided`, the day of its
latest decision of some kinds), plus a number of calendar months and then of days. An
anchor's day is as precise as the decision it rests on: a state entered "in April 2013"
is a span of thirty days.

A calendar month after a day is the same day of the next month, or that month's last
day when it has no such day (31 January plus one month is 28 or 29 February), as a
period "of one month" is counted in law; twelve months are a year.

Every comparison is certain, as ``as_of`` is: a decision dated "April 2013" is
certainly on or after 1 April and certainly on or before 30 April, and neither on or
after 15 April nor on or before it. So a bound "not before" uses the latest day an
anchor could be, and a bound "not after" the earliest.

Which decisions a counting guard counts, between two such days, is a window
(:mod:`govflow.guards.windows`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, Any, cast

import attrs

from govflow.errors import InvalidRecord
from govflow.model.kind import DecisionKind, kinds_of
from govflow.model.terms import text
from govflow.model.when import When

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.verdict import Reason

#: The most days an anchor may add or take away (about 270 years).
MAX_DAYS = 100_000
#: The most calendar months an anchor may add or take away (270 years).
MAX_MONTHS = 3_240


def _days(anchor: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if counted(value):
        return  # a number of days among the body's parameters
    if type(value) is not int or not -MAX_DAYS <= value <= MAX_DAYS:
        raise InvalidRecord(
            type(anchor).__name__,
            attribute.name,
            f"a whole number from -{MAX_DAYS} to {MAX_DAYS}",
            value,
        )


def _months(anchor: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or not -MAX_MONTHS <= value <= MAX_MONTHS:
        raise InvalidRecord(
            type(anchor).__name__,
            attribute.name,
            f"a whole number from -{MAX_MONTHS} to {MAX_MONTHS}",
            value,
        )


#: A field added after lifecycles were first fingerprinted: left at its default, the
#: lifecycle's description omits it, and its fingerprint stays as it was.
LATER = {"fingerprint_default": True}


def _months_field() -> Any:  # noqa: ANN401 - attrs.field's own type
    """An anchor's ``months``, added later (:data:`LATER`): left at 0, in no fingerprint."""
    return attrs.field(default=0, validator=_months, kw_only=True, metadata=LATER)


def months_of(record: str, months: object, years: object) -> int:
    """``months`` plus twelve a year of ``years``: what an anchor adds in calendar months.

    Raises:
        InvalidRecord: Either is not a whole number within :data:`MAX_MONTHS`.
    """
    for name, value, most in (("months", months, MAX_MONTHS), ("years", years, MAX_MONTHS // 12)):
        if type(value) is not int or not -most <= value <= most:
            raise InvalidRecord(record, name, f"a whole number from -{most} to {most}", value)
    total = cast("int", months) + 12 * cast("int", years)
    if not -MAX_MONTHS <= total <= MAX_MONTHS:  # each in range, not the two together
        wanted = f"from -{MAX_MONTHS} to {MAX_MONTHS} months in all, a year counted as twelve"
        raise InvalidRecord(record, "months", wanted, f"months = {months}, years = {years}")
    return total


def plus_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months: the same day, or the month's last if it is short.

    Raises:
        OverflowError: The month falls before year 1 or after year 9999.
    """
    if months == 0:
        return day
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{day} plus {months} months is outside the calendar")
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _state(anchor: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        text(anchor, attribute, value)


def _kinds(value: object) -> tuple[DecisionKind, ...]:
    return kinds_of(value, "decided")


@attrs.frozen
class Entered:
    """The day the body entered a state, plus ``months``, then ``days``: see :func:`entered`.

    Attributes:
        state: The state; ``None`` for whichever the body is in. A body not in
            ``state`` has no such day.
        days: Days after it (before it, if negative).
        months: Calendar months after it (before it, if negative), counted first.
    """

    state: str | None = attrs.field(default=None, validator=_state)
    days: Days = attrs.field(default=0, validator=_days)
    months: int = _months_field()

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
        return _offset(self.days, self.months, f"entering {self.state or 'the current state'}")


@attrs.frozen
class Decided:
    """The day of the body's latest counting decision of ``kinds``, plus ``months`` and ``days``.

    Build it with :func:`decided`.

    Attributes:
        kinds: The kinds of decision it rests on.
        days: Days after it (before it, if negative).
        months: Calendar months after it (before it, if negative), counted first.
    """

    kinds: tuple[DecisionKind, ...] = attrs.field(converter=_kinds)
    days: Days = attrs.field(default=0, validator=_days)
    months: int = _months_field()

    def when(self, body: Body) -> When | None:
        """The date of the latest such decision that counts on the current terms."""
        latest = None
        for fact in body.decisions(*self.kinds):
            if body.current(fact):
                latest = fact
        return None if latest is None else latest.decision.decided

    def __str__(self) -> str:
        return _offset(self.days, self.months, "/".join(k.value for k in self.kinds))


@attrs.frozen
class Param:
    """A day among the body's own parameters (``Terms.parameters``), plus ``months`` and ``days``.

    Build it with :func:`param`. One lifecycle then serves bodies with other dates.

    Attributes:
        name: The parameter's name.
        days: Days after it (before it, if negative).
        months: Calendar months after it (before it, if negative), counted first.
    """

    name: str = attrs.field(validator=text)
    days: int = attrs.field(default=0, validator=_days)
    months: int = _months_field()

    def when(self, body: Body) -> When | None:
        """The parameter's day, if the body's terms give one."""
        value = body.terms.parameter(self.name)
        return When.on(value) if type(value) is dt.date else None

    def __str__(self) -> str:
        return _offset(self.days, self.months, self.name)


def param(name: str, *, days: int = 0, months: int = 0, years: int = 0) -> Param:
    """The day the body's parameter ``name`` gives, plus ``months`` and ``years``, then ``days``.

    ``not_after(param("vote_end"))``: no later than the day the body's terms set.

    Raises:
        InvalidRecord: ``name`` is not a text, ``days`` not a whole number within
            ``MAX_DAYS``, or ``months`` and ``years`` not whole numbers within
            ``MAX_MONTHS`` months.
    """
    return Param(name, days, months=months_of("param", months, years))


def counted(value: object) -> bool:
    """Whether ``value`` is a count among the body's parameters: a bare ``param(name)``."""
    return isinstance(value, Param) and value.days == 0 and value.months == 0


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


def _offset(days: Days, months: int, what: str) -> str:
    """``what`` moved ``months`` (in months or years), then ``days``, in words."""
    if months:
        count, unit = (months // 12, "year") if months % 12 == 0 else (months, "month")
        unit += "" if abs(count) == 1 else "s"
        what = f"{abs(count)} {unit} {'after' if months > 0 else 'before'} {what}"
    if isinstance(days, Param):
        return f"{days.name} days after {what}"
    if days == 0:
        return what
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'after' if days > 0 else 'before'} {what}"


def entered(
    state: str | None = None, *, days: Days = 0, months: int = 0, years: int = 0
) -> Entered:
    """The day the body entered ``state`` (its current state by default), plus an offset.

    ``not_before(entered("queued", days=2))``: not before two days after it was queued;
    ``days=param("delay")`` takes the number of days from the body's parameters.
    ``not_before(entered("shadow", months=6))``: not before six calendar months in
    shadow; ``years=1`` is ``months=12``. Months are counted first, then days.

    Raises:
        InvalidRecord: ``state`` is not a text, ``days`` not a whole number within
            ``MAX_DAYS``, or ``months`` and ``years`` not whole numbers within
            ``MAX_MONTHS`` months.
    """
    return Entered(state, days, months=months_of("entered", months, years))


def decided(
    kinds: DecisionKind | tuple[DecisionKind, ...] | list[DecisionKind],
    *,
    days: Days = 0,
    months: int = 0,
    years: int = 0,
) -> Decided:
    """The day of the body's latest counting decision of ``kinds``, plus an offset.

    ``not_after(decided(Kind.ESTABLISH, days=14))``: within fourteen days of the order;
    ``not_before(decided(Kind.ESTABLISH, years=1))``: a year after it, to the day
    (calendar months and years are counted first, then days).

    Raises:
        InvalidRecord: No kind, ``days`` not a whole number within ``MAX_DAYS``, or
            ``months`` and ``years`` not whole numbers within ``MAX_MONTHS`` months.
    """
    return Decided(kinds, days, months=months_of("decided", months, years))


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

    An anchor has no day when the body has no such state or decision yet, or when a
    number of days it takes from the body's parameters is not there; a guard then does
    not pass. Days that lead out of years 1 to 9999 stand for the calendar's first day
    (for "not before", which every day then meets) or its last (for "not after"), or
    for no day when they lead out at the other end (no day could meet it).

    ``latest`` takes the latest day an anchor's date could be (for "not before"),
    else the earliest (for "not after").
    """
    day = _day(bound, body, latest=latest)
    if not isinstance(day, str):
        return day
    # Before year 1, "not before" it is met by every day; past 9999, "not after" it is.
    if day == _BEFORE:
        return dt.date.min if latest else None
    return None if latest else dt.date.max


_BEFORE, _AFTER = "before year 1", "after year 9999"
_LAST_MONTH = 9999 * 12 + 11


def _day(bound: Bound, body: Body, *, latest: bool) -> dt.date | str | None:
    """The day ``bound`` leads to on ``body``, else where past the calendar, else ``None``."""
    if type(bound) is dt.date:
        return bound
    assert isinstance(bound, Entered | Decided | Param)  # noqa: S101 - checked when built
    when, offset = bound.when(body), number(bound.days, body)
    if when is None or offset is None:
        return None
    day = when.latest if latest else when.earliest
    try:
        return plus_months(day, bound.months) + dt.timedelta(days=offset)
    except OverflowError:  # past one of the calendar's ends: which
        month = day.year * 12 + day.month - 1 + bound.months  # the month it leads to
        before = month < 12 or (month <= _LAST_MONTH and offset < 0)  # noqa: PLR2004 - year 1
        return _BEFORE if before else _AFTER


#: What a guard used on a body: each bound or count it took from the body's history or
#: parameters, in words, with the value it found ("vote_end", "2013-04-30").
Used = tuple[tuple[str, str], ...]


def uses(bound: Bound | None, body: Body, *, latest: bool) -> Used:
    """The day ``bound`` stood for on ``body``, if it is counted from the body (else nothing)."""
    if bound is None or type(bound) is dt.date:
        return ()
    day = _day(bound, body, latest=latest)
    shown = "unknown" if day is None else day if isinstance(day, str) else day.isoformat()
    days = getattr(bound, "days", None)  # a number of days the terms give: its value too
    if not isinstance(days, Param):
        return ((str(bound), shown),)
    given = body.terms.parameter(days.name)
    said = "not given" if given is None else str(given) if type(given) is int else repr(given)
    return ((str(bound), shown), (days.name, said))


def described(bound: Bound, day: dt.date | None) -> str:
    """A bound in words: ``2013-04-03`` or ``2013-04-03 (2 days after entering queued)``."""
    if type(bound) is dt.date:
        return bound.isoformat()
    shown = "unknown" if day is None else day.isoformat()
    return f"{shown} ({bound})"


def past_calendar(bound: Bound, body: Body, *, latest: bool) -> Reason | None:
    """Why ``bound`` has no day on ``body``, when it leads out of years 1 to 9999.

    ``latest`` as :func:`resolve` takes it. ``None`` if it does not, or if the bound is
    a fixed day, or its anchor or a number it takes is missing.
    """
    if type(bound) is dt.date or not isinstance(bound, Entered | Decided | Param):
        return None
    if bound.when(body) is None or number(bound.days, body) is None:
        return None
    if resolve(bound, body, latest=latest) is not None:
        return None
    from govflow.model.verdict import Reason  # noqa: PLC0415 - on failure; keeps dates low

    message = f"{bound} falls outside years 1 to 9999: no decision can meet it"
    return Reason("date_out_of_range", {"anchor": str(bound)}, message)


def lacking(name: str, wanted: str, body: Body) -> Reason:
    """The reason a guard cannot use the body's parameter ``name``: absent, or not ``wanted``."""
    from govflow.model.verdict import Reason  # noqa: PLC0415 - on failure; keeps dates low

    given = body.terms.parameter(name)
    if given is None:
        message = f"the body's terms give no parameter {name} ({wanted})"
    else:
        message = f"the body's parameter {name} is {given!r}, not {wanted}"
    return Reason("parameter_missing", {"parameter": name, "wanted": wanted}, message)
