"""Dates known to a day, a month, a year or a span."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from govflow import InvalidRecord, When
from govflow.testing import whens


class TestConstructors:
    def test_day_is_one_day(self) -> None:
        when = When.day(2013, 2, 13)
        assert (when.earliest, when.latest) == (dt.date(2013, 2, 13), dt.date(2013, 2, 13))
        assert when.precision == "day"
        assert when.iso == "2013-02-13"

    def test_month_covers_the_calendar_month(self) -> None:
        when = When.month(2012, 9)
        assert (when.earliest, when.latest) == (dt.date(2012, 9, 1), dt.date(2012, 9, 30))
        assert when.precision == "month"
        assert when.iso == "2012-09"

    def test_february_of_a_leap_year_ends_on_the_29th(self) -> None:
        assert When.month(2012, 2).latest == dt.date(2012, 2, 29)

    def test_year_covers_the_calendar_year(self) -> None:
        when = When.year(2012)
        assert (when.earliest, when.latest) == (dt.date(2012, 1, 1), dt.date(2012, 12, 31))
        assert when.precision == "year"
        assert when.iso == "2012"

    def test_span_is_written_as_an_iso_interval(self) -> None:
        when = When.between(dt.date(2012, 9, 1), dt.date(2013, 2, 13))
        assert when.precision == "span"
        assert when.iso == "2012-09-01/2013-02-13"

    def test_a_span_that_is_exactly_a_month_is_a_month(self) -> None:
        assert When.between(dt.date(2012, 9, 1), dt.date(2012, 9, 30)).precision == "month"

    def test_a_span_across_two_months_is_a_span(self) -> None:
        assert When.between(dt.date(2012, 9, 1), dt.date(2012, 10, 31)).precision == "span"


class TestInvalid:
    def test_a_day_that_does_not_exist_names_the_field(self) -> None:
        with pytest.raises(InvalidRecord) as error:
            When.day(2013, 2, 30)
        assert error.value.field == "day"
        assert "real calendar day" in str(error.value)

    def test_month_thirteen_is_refused(self) -> None:
        with pytest.raises(InvalidRecord, match="from 1 to 12"):
            When.month(2012, 13)

    def test_latest_before_earliest_is_refused(self) -> None:
        with pytest.raises(InvalidRecord) as error:
            When.between(dt.date(2013, 1, 2), dt.date(2013, 1, 1))
        assert error.value.field == "latest"

    def test_a_datetime_is_not_a_day(self) -> None:
        with pytest.raises(InvalidRecord, match="not a datetime"):
            When.on(dt.datetime(2013, 1, 1, 12, 0))

    @pytest.mark.parametrize("text", ["2013-2-1", "13-02-01", "2013-02-01/2013-03", "", "x"])
    def test_text_that_is_not_iso_is_refused(self, text: str) -> None:
        with pytest.raises(InvalidRecord):
            When.parse(text)

    @pytest.mark.parametrize("text", ["01/08/2024", "8/1/2024", "2024-01-01/1 March 2024"])
    def test_a_date_in_another_form_is_told_every_form(self, text: str) -> None:
        # "01/08/2024" was told to be "a span of two days", as if a span were meant.
        with pytest.raises(InvalidRecord, match=r"must be YYYY-MM-DD, YYYY-MM, YYYY, or a span"):
            When.parse(text)

    def test_parse_refuses_a_non_text(self) -> None:
        with pytest.raises(InvalidRecord, match="ISO 8601 text"):
            When.parse(20130213)  # type: ignore[arg-type]


class TestOrdering:
    def test_september_is_certainly_before_october(self) -> None:
        assert When.month(2012, 9).certainly_before(When.month(2012, 10))

    def test_overlapping_dates_are_not_ordered(self) -> None:
        september, nineteenth = When.month(2012, 9), When.day(2012, 9, 19)
        assert not september.certainly_before(nineteenth)
        assert not nineteenth.certainly_before(september)

    def test_a_month_counts_only_once_it_has_ended(self) -> None:
        september = When.month(2012, 9)
        assert not september.ends_by(dt.date(2012, 9, 15))
        assert september.ends_by(dt.date(2012, 9, 30))


@given(whens())
def test_iso_text_parses_back_to_the_same_date(when: When) -> None:
    assert When.parse(when.iso) == when
    assert str(when) == when.iso
