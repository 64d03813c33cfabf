"""Exact behaviour at the edges that mutation testing found untested.

Each test pins what a surviving mutant changed: an error's every field and its
message, a comparison at the day where two intervals touch, a precision at the edge of
a month or a year. ``scripts/mutation.py`` runs these with the tests of each module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from govflow import InvalidRecord, When

D = dt.date


def refusal(make: Callable[[], object]) -> tuple[object, ...]:
    """What ``make`` raises: the record, field, expected, received and message."""
    with pytest.raises(InvalidRecord) as caught:
        make()
    e = caught.value
    return (e.record, e.field, e.expected, e.received, str(e))


WHOLE_YEAR = "a whole number from 1 to 9999"


@pytest.mark.parametrize(
    ("make", "field", "expected", "received"),
    [
        (lambda: When(dt.datetime(2012, 1, 1), D(2012, 1, 2)), "earliest", None, None),
        (lambda: When(D(2012, 1, 1), "2012-01-02"), "latest", None, "2012-01-02"),
        (lambda: When.year(0), "year", WHOLE_YEAR, 0),
        (lambda: When.year(10000), "year", WHOLE_YEAR, 10000),
        (lambda: When.year(2012.0), "year", WHOLE_YEAR, 2012.0),
        (lambda: When.month(2012, 13), "month", "a whole number from 1 to 12", 13),
        (lambda: When.month(2012, 0), "month", "a whole number from 1 to 12", 0),
        (lambda: When.month(2012, "1"), "month", "a whole number from 1 to 12", "1"),
        (lambda: When.day(2012, 2, 30), "day", "a real calendar day", (2012, 2, 30)),
        (lambda: When.day(2012, 2, "1"), "day", "a real calendar day", (2012, 2, "1")),
        (
            lambda: When.between(D(2012, 2, 2), D(2012, 2, 1)),
            "latest",
            "a day on or after earliest (2012-02-02)",
            D(2012, 2, 1),
        ),
        (lambda: When.parse(2012), "iso", "ISO 8601 text", 2012),
        (lambda: When.parse("2012-9"), "iso", "YYYY, YYYY-MM, YYYY-MM-DD or a span", "2012-9"),
        (
            lambda: When.parse("2012-09/2012-10-01"),
            "iso",
            "a span of two days, YYYY-MM-DD/YYYY-MM-DD",
            "2012-09/2012-10-01",
        ),
        (
            lambda: When.parse("2012-09-01/2012-09-02/2012-09-03"),
            "iso",
            "a span of two days, YYYY-MM-DD/YYYY-MM-DD",
            "2012-09-01/2012-09-02/2012-09-03",
        ),
    ],
)
def test_a_bad_date_names_the_record_the_field_what_was_expected_and_what_was_given(
    make: Callable[[], object], field: str, expected: str | None, received: object
) -> None:
    record, got_field, got_expected, got_received, message = refusal(make)
    assert (record, got_field) == ("When", field)
    if expected is None:
        assert got_expected == "a datetime.date (not a datetime)"
    else:
        assert got_expected == expected
    if received is not None:
        assert got_received == received
    assert message.startswith(f"When.{field} must be {got_expected}, but ")


@pytest.mark.parametrize(
    ("when", "precision", "iso"),
    [
        (When.on(D(2012, 9, 1)), "day", "2012-09-01"),
        (When.between(D(2012, 9, 1), D(2012, 9, 30)), "month", "2012-09"),
        (When.between(D(2012, 9, 1), D(2012, 9, 15)), "span", "2012-09-01/2012-09-15"),
        (When.between(D(2012, 9, 2), D(2012, 9, 30)), "span", "2012-09-02/2012-09-30"),
        (When.between(D(2012, 9, 1), D(2012, 10, 31)), "span", "2012-09-01/2012-10-31"),
        (When.between(D(2012, 1, 1), D(2012, 12, 31)), "year", "2012"),
        (When.between(D(2012, 1, 1), D(2013, 12, 31)), "span", "2012-01-01/2013-12-31"),
        (When.between(D(2012, 2, 1), D(2012, 12, 31)), "span", "2012-02-01/2012-12-31"),
        (When.between(D(2012, 1, 1), D(2012, 11, 30)), "span", "2012-01-01/2012-11-30"),
        (When.between(D(2011, 12, 1), D(2012, 12, 31)), "span", "2011-12-01/2012-12-31"),
        (When.between(D(2012, 2, 1), D(2012, 2, 29)), "month", "2012-02"),
    ],
)
def test_precision_and_iso_at_the_edges_of_months_and_years(
    when: When, precision: str, iso: str
) -> None:
    assert when.precision == precision
    assert when.iso == iso
    assert When.parse(iso) == when


def test_intervals_that_touch_on_one_day_are_not_certainly_ordered() -> None:
    september = When.month(2012, 9)
    assert not september.certainly_before(When.on(D(2012, 9, 30)))
    assert september.certainly_before(When.on(D(2012, 10, 1)))
    assert not When.on(D(2012, 9, 30)).certainly_before(When.on(D(2012, 9, 30)))
    assert september.ends_by(D(2012, 9, 30))
    assert not september.ends_by(D(2012, 9, 29))
