"""Dates known only as precisely as the sources give them.

Board reports say "on 19 September", "in September", "last summer" or nothing at
all. A ``When`` is the closed interval of days a decision certainly fell in: one
day, one calendar month, one calendar year, or a span between two days when the
sources only bound it. Nothing here pretends to know a day it does not.

How such dates order:

* ``a.certainly_before(b)`` when ``a`` ends before ``b`` starts; overlapping
  intervals are not ordered.
* A decision counts "as of" a day when its whole interval has ended by that
  day (``when.ends_by(day)``): "in September 2012" counts as of 30 September
  2012, not as of 15 September.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

import attrs

from govflow.errors import InvalidRecord, require

Precision = Literal["day", "month", "year", "span"]


def _day(when: When, attribute: attrs.Attribute[dt.date], value: object) -> None:
    """An attrs validator: a ``datetime.date``, not a ``datetime``."""
    if type(value) is not dt.date:
        raise InvalidRecord("When", attribute.name, "a datetime.date (not a datetime)", value)


#: The years a date may fall in: those of ``datetime.date``.
YEARS = range(dt.MINYEAR, dt.MAXYEAR + 1)


def _year(value: object) -> int:
    """``value`` as a year govflow can hold, or InvalidRecord naming it."""
    if type(value) is not int or value not in YEARS:
        raise InvalidRecord(
            "When", "year", f"a whole number from {dt.MINYEAR} to {dt.MAXYEAR}", value
        )
    return value


def _month(value: object) -> int:
    if type(value) is not int or not 1 <= value <= 12:  # noqa: PLR2004 - the months of the year
        raise InvalidRecord("When", "month", "a whole number from 1 to 12", value)
    return value


_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@attrs.frozen
class When:
    """The closed interval of days in which something certainly happened.

    Build one with :meth:`day`, :meth:`month`, :meth:`year`, :meth:`between` or
    :meth:`parse` rather than from its two bounds.

    Attributes:
        earliest: The first day it may have happened on.
        latest: The last day it may have happened on.
    """

    earliest: dt.date = attrs.field(validator=_day)
    latest: dt.date = attrs.field(validator=_day)

    def __attrs_post_init__(self) -> None:
        if self.latest < self.earliest:
            raise InvalidRecord(
                "When", "latest", f"a day on or after earliest ({self.earliest})", self.latest
            )

    @classmethod
    def day(cls, year: int, month: int, day: int) -> When:
        """The single day ``year-month-day``.

        Raises:
            InvalidRecord: The day does not exist (years run from 1 to 9999).
        """
        _year(year), _month(month)
        try:
            if type(day) is not int:
                raise TypeError(day)  # noqa: TRY301 - one message for every bad day
            date = dt.date(year, month, day)
        except (TypeError, ValueError, OverflowError) as error:
            raise InvalidRecord("When", "day", "a real calendar day", (year, month, day)) from error
        return cls(date, date)

    @classmethod
    def on(cls, date: dt.date) -> When:
        """The single day ``date``.

        Raises:
            InvalidRecord: ``date`` is not a ``datetime.date`` (a text: see :meth:`parse`).
        """
        if type(date) is not dt.date:  # a datetime too: its hour would be lost
            said = "a datetime.date (not a datetime), such as dt.date(2024, 11, 5)"
            raise InvalidRecord("When.on", "date", said, date, "pass the argument it expects")
        return cls(date, date)

    @classmethod
    def month(cls, year: int, month: int) -> When:
        """Some day in calendar ``month`` of ``year`` ("in September 2012").

        Raises:
            InvalidRecord: The year is not 1 to 9999, or the month not 1 to 12.
        """
        _year(year), _month(month)
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last))

    @classmethod
    def year(cls, year: int) -> When:
        """Some day in ``year``.

        Raises:
            InvalidRecord: The year is not a whole number from 1 to 9999.
        """
        _year(year)
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def between(cls, earliest: dt.date, latest: dt.date) -> When:
        """Some day from ``earliest`` to ``latest``, both included.

        Use it where the sources bound a date without giving it: "after the
        September agreement, before the report of 13 February 2013".
        """
        return cls(earliest, latest)

    @classmethod
    def parse(cls, text: str) -> When:
        """Read the ISO 8601 form that :attr:`iso` writes.

        ``"2013-02-13"`` is a day, ``"2012-09"`` a month, ``"2012"`` a year and
        ``"2012-09-01/2013-02-13"`` a span.

        Raises:
            InvalidRecord: The text is not one of those forms.
        """
        if not isinstance(text, str):
            raise InvalidRecord("When", "iso", "ISO 8601 text", text)
        if "/" in text:
            start, _, end = text.partition("/")
            if not all(_ISO.fullmatch(part) for part in text.split("/")):  # "01/08/2024"
                wanted = "YYYY-MM-DD, YYYY-MM, YYYY, or a span of two days, YYYY-MM-DD/YYYY-MM-DD"
                raise InvalidRecord("When", "iso", wanted, text)
            if "/" in end:  # one span, not a chain of them
                raise InvalidRecord(
                    "When", "iso", "a span of two days, YYYY-MM-DD/YYYY-MM-DD", text
                )
            first, last = cls.parse(start), cls.parse(end)
            if first.precision != "day" or last.precision != "day":
                raise InvalidRecord(
                    "When", "iso", "a span of two days, YYYY-MM-DD/YYYY-MM-DD", text
                )
            return cls(first.earliest, last.latest)
        match = _ISO.fullmatch(text)
        if match is None:
            raise InvalidRecord("When", "iso", "YYYY, YYYY-MM, YYYY-MM-DD or a span", text)
        year, month, day = match.groups()
        if day is not None:
            return cls.day(int(year), int(month), int(day))
        if month is not None:
            return cls.month(int(year), int(month))
        return cls.year(int(year))

    @property
    def precision(self) -> Precision:
        """How precisely the date is known: a day, a month, a year, or a span."""
        first, last = self.earliest, self.latest
        if first == last:
            return "day"
        if first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]:
            if first.year == last.year and first.month == last.month:
                return "month"
            if first.month == 1 and (last.month, last.year) == (12, first.year):
                return "year"
        return "span"

    @property
    def iso(self) -> str:
        """ISO 8601 text: ``2013-02-13``, ``2012-09``, ``2012`` or ``2012-09-01/2013-02-13``."""
        first, last = self.earliest, self.latest
        if first == last:  # the common case, first
            return first.isoformat()
        precision = self.precision
        if precision == "month":
            return first.isoformat()[:7]
        if precision == "year":
            return first.isoformat()[:4]
        return f"{first.isoformat()}/{last.isoformat()}"

    def certainly_before(self, other: When) -> bool:
        """Whether this interval ends before ``other`` starts.

        Raises:
            InvalidRecord: ``other`` is not a ``When``.
        """
        require(type(other) is When, "When.certainly_before", "other", "a When", other)
        return self.latest < other.earliest

    def ends_by(self, day: dt.date) -> bool:
        """Whether this interval has certainly ended by ``day`` (inclusive).

        Raises:
            InvalidRecord: ``day`` is not a ``datetime.date`` (a datetime is not one).
        """
        require(type(day) is dt.date, "When.ends_by", "day", "a datetime.date", day)
        return self.latest <= day

    def __str__(self) -> str:
        return self.iso

    def __repr__(self) -> str:
        return f"When({self.iso!r})"


def when_of(on: object, record: str) -> When | None:
    """``on`` as a date to evaluate at (a ``When``, a day, or ``None``), for ``record``'s call.

    Raises:
        InvalidRecord: ``on`` is none of those.
    """
    if type(on) is dt.date:
        return When.on(on)
    require(on is None or isinstance(on, When), record, "on", "None, a When or a day", on)
    return on  # type: ignore[return-value]
