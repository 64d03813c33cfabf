"""The joint Strategic Partnership Board of the LGA and the APCC, as two board reports record it.

The reports, named as they name themselves:

* ``000_31d5d2d14e81ec76.txt``: a report to an LGA board, Item 4, "Discussions with
  the Association of Police and Crime Commissioners". It gives no board and no date:
  it was written after the board's July meeting and before the Leadership Board's
  meeting of 19 September 2012.
* ``001_36d64eb659b4fa40.txt``: LGA Leadership Board, 13 February 2013, Item 8,
  "Update on the Joint Strategic Partnership Board".

The record holds each decision the reports give, as a decision; each hoped-for
date, as a target; and everything else they say about the Board (the background,
intentions, conditions, the budget), as a note; each cites its report, item and
paragraph. :mod:`govflow.scenarios.spb_paragraphs` maps every paragraph of both
reports to its place in the record, or to the reason it is left out.

Every date is as precise as the reports allow: where they give none, the date is
the span the reports bound it to, and the reasons say which paragraphs give the
bounds. Nothing here invents a day.
"""

from __future__ import annotations

import datetime as dt

import attrs

from govflow.model.authority import Authority
from govflow.model.decision import Decision, Source
from govflow.model.kind import Kind
from govflow.model.when import When
from govflow.scenarios.spb_record import (
    AUTHOR,
    BODY,
    ITEM_4,
    ITEM_8,
    REPORT_DAY,
    TERMS,
    decisions,
)

__all__ = [
    "AMENDED_TERMS",
    "AUTHOR",
    "BODY",
    "ITEM_4",
    "ITEM_8",
    "REPORT_DAY",
    "TERMS",
    "authorities",
    "decisions",
    "played_forward",
]

_DECIDES = (
    Kind.AGREE, Kind.ENDORSE, Kind.NOMINATE, Kind.AGREE_BUDGET, Kind.ESTABLISH,
    Kind.REQUEST_RECONSIDERATION, Kind.REAFFIRM, Kind.AMEND, Kind.END,
)  # fmt: skip


def authorities() -> tuple[Authority, ...]:
    """The decision-makers the reports name, with the organisation each decides for.

    The reports name the decision-makers but not their standing orders: the powers
    below are what the reports show each doing, or being asked to do. The PCC
    Steering Group only recommends (to the APCC Transitional Board, Item 8, paragraph 7),
    and "LGA" and "APCC" stand for the associations where the reports name no organ.
    """
    return (
        Authority("LGA Leadership Board", "LGA", may=_DECIDES),
        Authority("LGA Executive", "LGA", may=(Kind.AGREE, Kind.ENDORSE, Kind.NOMINATE)),
        Authority("Safer and Stronger Communities Board", "LGA", may=(Kind.ENDORSE,)),
        Authority("LGA", "LGA", may=_DECIDES),
        Authority("LGA officers", "LGA", may=(Kind.PROPOSE, Kind.AMEND, Kind.TARGET)),
        Authority("APCC", "APCC", may=(Kind.PROPOSE, *_DECIDES)),
        Authority(
            "APCC Transitional Board",
            "APCC",
            may=(Kind.AGREE, Kind.NOMINATE, Kind.REQUEST_RECONSIDERATION),
        ),
        Authority("PCCs", "PCCs", may=(Kind.AGREE,)),
        Authority("PCC Steering Group", "PCCs", may=()),
        Authority(
            "Strategic Partnership Board",
            "Strategic Partnership Board",
            may=(Kind.HOLD_MEETING, Kind.RESOLVE, Kind.RATIFY),
            bodies=(BODY,),
        ),
    )


#: The terms as PCCs would have them (Item 8, paragraph 9): access to the Political Group Offices.
AMENDED_TERMS = attrs.evolve(
    TERMS,
    conditions=(
        TERMS.conditions[0],
        "PCCs have access to the LGA's Political Group Offices",
    ),
    version=2,
)

# Hypothetical decisions are dated only as "some day after the report, in 2013".
_AFTER_REPORT = When.between(dt.date(2013, 2, 14), dt.date(2013, 12, 31))
_WHAT_IF = Source("Not in the reports: Item 8 played forward", "paragraph 9")


def played_forward() -> tuple[Decision, ...]:
    """What Item 8, paragraph 9 foresees, as decisions: hypothetical, dated only "after the report".

    The PCCs want access to the LGA's Political Group Offices; the APCC asks for the
    Board to be reconsidered and the terms are amended, so every agreement and
    endorsement must be taken again.
    """
    return (
        Decision(
            id="what-if-1",
            body=BODY,
            kind=Kind.REQUEST_RECONSIDERATION,
            actor="APCC",
            decided=_AFTER_REPORT,
            source=_WHAT_IF,
            reasons=(
                (
                    "PCCs are keen to have access to the LGA's Political Group Offices, which "
                    "had previously been ruled out by the APCC (Item 8, paragraph 9)"
                ),
            ),
            trigger="reconsider",
        ),
        Decision(
            id="what-if-2",
            body=BODY,
            kind=Kind.AMEND,
            actor="LGA officers",
            decided=_AFTER_REPORT,
            source=_WHAT_IF,
            reasons=("The terms now give PCCs access to the Political Group Offices",),
            terms=AMENDED_TERMS,
            trigger="amend",
        ),
    )
