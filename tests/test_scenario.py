"""The seeds' scenario says only what the two reports say, dated no more precisely than they are."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from govflow import Registry
from govflow.scenarios import partnership_lifecycle, spb

SEEDS = Path(__file__).parent / "seeds"


def seed(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    # The reports are extracted from PDFs: fold white space and curly apostrophes.
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8")).replace("\u2019", "'")


@pytest.mark.parametrize(
    ("number", "quotation"),
    [
        ("000", "workshop on 4 July to explore a joint venture"),
        ("000", "a new partnership board with its own identity"),
        (
            "000",
            (
                "ranging from membership arrangements within the LGA to the creation of a new "
                "bespoke joint body"
            ),
        ),
        (
            "000",
            "they favoured a partnership arrangement rather than a more innovative joint venture",
        ),
        (
            "000",
            (
                "consider the proposals to create the Strategic Partnership Board "
                "at its meeting on 19 September"
            ),
        ),
        ("000", "how the LGA will be represented on the Board"),
        ("000", "Chair of the Safer and Stronger Communities Board would have a place"),
        (
            "000",
            (
                "make a recommendation to the Leadership Board on the proposed Strategic "
                "Partnership Board"
            ),
        ),
        ("001", "Leadership Board in April 2012"),
        ("001", "subsequently agreed by the APCC in September"),
        ("001", "endorsed by the LGA's Executive and Safer and Stronger Communities Board"),
        ("001", "LGA nominations have been agreed"),
        ("001", "formally established in April 2013"),
        ("001", "in shadow form at the end of February"),
        ("001", "an event on 23 January 2013"),
        ("001", "PCCs were not therefore invited to discuss the creation of the Partnership Board"),
        (
            "001",
            (
                "inaugural meeting on 21 March, at which formal appointments to outside "
                "bodies will be made, which could include those to the Partnership Board"
            ),
        ),
        ("001", "If this proceeds satisfactorily"),
        (
            "001",
            (
                "It is unlikely that PCCs will agree to the creation of the Partnership "
                "Board on the same terms"
            ),
        ),
        (
            "001",
            (
                "keen to have access to the LGA's Political Group Offices, which had "
                "previously been ruled out by the APCC"
            ),
        ),
        ("001", "budget jointly provided by the LGA and APCC"),
        ("001", "LGA Leadership Board 13 February 2013 Item 8"),
    ],
)
def test_each_fact_the_scenario_relies_on_is_in_the_reports(number: str, quotation: str) -> None:
    assert quotation in seed(number)


def test_the_remit_is_the_reports_three_items() -> None:
    for item in spb.TERMS.remit:
        assert item in seed("000")
        assert item in seed("001")


def test_every_entry_cites_a_report_as_it_names_itself_and_a_paragraph() -> None:
    for decision in spb.decisions():
        assert decision.source.document in (spb.ITEM_4, spb.ITEM_8)
        assert decision.source.locator.startswith(("paragraph", "Recommendation"))
    assert "LGA Leadership Board 13 February 2013 Item 8" in seed("001")
    assert " Item 4 " in seed("000")


# The days the reports name, and the first and last days of the months they name.
NAMED_DAYS = {
    dt.date(2012, 7, 4),  # the workshop, Item 4 paragraph 4
    dt.date(2012, 9, 19),  # the Leadership Board's meeting, Item 4 paragraph 8
    dt.date(2013, 2, 13),  # the report, Item 8
    dt.date(2012, 9, 1),  # "September", Item 8 paragraph 2
    dt.date(2013, 1, 23),  # the APCC event, Item 8 paragraph 5
    dt.date(2013, 2, 21),  # the Steering Group's date, Item 8 paragraph 8
    dt.date(2013, 3, 21),  # the APCC's inaugural meeting, Item 8 paragraph 8
    dt.date(2013, 3, 31),  # the end of the Home Office funding, Item 4 paragraph 3
}


def test_no_day_is_invented() -> None:
    for decision in spb.decisions():
        for date in (decision.decided, decision.expected):
            if date is None or date.precision in {"month", "year"}:
                continue
            # A day or a span: each end is a day the reports name.
            assert {date.earliest, date.latest} <= NAMED_DAYS, decision.id


def test_recorded_dates_are_the_report_day() -> None:
    recorded = {d.recorded for d in spb.decisions()}
    assert recorded == {None, spb.REPORT_DAY}


def test_as_of_the_report_the_board_is_endorsed_with_two_blockers_to_the_shadow_meeting() -> None:
    registry = Registry(partnership_lifecycle())
    for decision in spb.decisions():
        registry.apply(decision)
    body = registry.as_of(spb.BODY, spb.REPORT_DAY)
    assert body is not None
    assert body.state == "endorsed"
    blocked = registry.explain(spb.BODY, spb.REPORT_DAY).blocked
    assert [r.param("missing") for r in blocked["convene_shadow"]] == [("APCC",), ("PCCs",)]
