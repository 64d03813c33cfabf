"""The joint Strategic Partnership Board of the LGA and the APCC, as two board reports record it.

The reports:

* seed 000 (``000_31d5d2d14e81ec76.txt``): an undated LGA board report, Item 4,
  "Discussions with the Association of Police and Crime Commissioners", written
  after the board's July meeting and before the Leadership Board's meeting of
  19 September 2012. It does not name its board.
* seed 001 (``001_36d64eb659b4fa40.txt``): LGA Leadership Board, 13 February
  2013, Item 8, "Update on the Joint Strategic Partnership Board".

Every decision is dated only as precisely as the reports allow. Where they give
no date, the date is the span the reports bound it to, and ``reasons`` says
which paragraphs give the bounds. Nothing here invents a day.
"""

from __future__ import annotations

import datetime as dt

import attrs

from govflow._decision import Decision, Kind, Source
from govflow._terms import Terms
from govflow._when import When

BODY = "spb"
SEED_000 = "seed 000 (000_31d5d2d14e81ec76.txt)"
SEED_001 = "seed 001 (001_36d64eb659b4fa40.txt), LGA Leadership Board, 13 February 2013, Item 8"
REPORT_DAY = dt.date(2013, 2, 13)
"""The day of seed 001's report: the demo's "as of" date."""

TERMS = Terms(
    title="joint Strategic Partnership Board",
    partners=("LGA", "APCC"),
    remit=(
        (
            "Provide central support and assistance to PCCs and councils in England to build "
            "effective and efficient local partnerships"
        ),
        "Promote their work at a national level with government and other stakeholders",
        "Consider any exceptional demands in relation to the work at national level",
    ),
    budget="Jointly provided by the LGA and APCC, to commission work to support its activities",
    conditions=(
        "The Chair of the Safer and Stronger Communities Board has a place on the Board",
        "No access for PCCs to the LGA's Political Group Offices (ruled out by the APCC)",
    ),
)
"""The terms negotiated "last summer" (seed 000 ¶6-7; seed 001 ¶3-4 and ¶9)."""

# The work on a joint offer began at the workshop of 4 July 2012 (seed 000 ¶4; the
# year from seed 001 ¶1, which dates the April steer of seed 000 ¶1 to 2012).
_WORK_BEGAN = dt.date(2012, 7, 4)


@attrs.frozen
class Note:
    """Context the reports give for a blocker or a date, printed beside it.

    Attributes:
        about: What the note is about: an authority a blocker names as missing, or a topic.
        text: The note.
        source: Where the reports say it.
        trigger: The blocked trigger the note explains, for notes about an authority.
    """

    about: str
    text: str
    source: str
    trigger: str | None = None


def decisions() -> tuple[Decision, ...]:
    """The decisions the two reports record, in the order they were taken."""
    return (
        Decision(
            id="spb-1",
            body=BODY,
            kind=Kind.PROPOSE,
            actor="LGA and APCC officers",
            decided=When.between(_WORK_BEGAN, dt.date(2012, 9, 19)),
            source=Source(SEED_000, "paragraphs 4-7"),
            reasons=(
                (
                    "A partnership board with its own identity, developed in discussion with the "
                    "APCC, which favoured a partnership arrangement (seed 000 ¶5-6)"
                ),
                (
                    "Dated after the workshop of 4 July 2012 (¶4) and before the Leadership "
                    "Board's meeting of 19 September 2012 (¶8)"
                ),
            ),
            alternatives_rejected=(
                "Membership arrangements for PCCs within the LGA (¶5)",
                "A new bespoke joint body: a more innovative joint venture (¶5)",
            ),
            terms=TERMS,
        ),
        Decision(
            id="spb-2",
            body=BODY,
            kind=Kind.AGREE,
            actor="APCC",
            decided=When.month(2012, 9),
            recorded=REPORT_DAY,
            source=Source(SEED_001, "paragraph 2"),
            reasons=(
                (
                    "The details of the Partnership Board were agreed by the APCC in September "
                    "(seed 001 ¶2; 2012, the 'last summer' of ¶9)"
                ),
            ),
        ),
        Decision(
            id="spb-3",
            body=BODY,
            kind=Kind.ENDORSE,
            actor="LGA Executive",
            on_behalf_of="LGA",
            decided=When.between(_WORK_BEGAN, REPORT_DAY),
            recorded=REPORT_DAY,
            source=Source(SEED_001, "paragraph 2"),
            reasons=(
                (
                    "Endorsed by the LGA's Executive (seed 001 ¶2); the report gives no date, so "
                    "it is bounded by the work beginning (seed 000 ¶4) and the report"
                ),
            ),
        ),
        Decision(
            id="spb-4",
            body=BODY,
            kind=Kind.ENDORSE,
            actor="Safer and Stronger Communities Board",
            on_behalf_of="LGA",
            decided=When.between(_WORK_BEGAN, REPORT_DAY),
            recorded=REPORT_DAY,
            source=Source(SEED_001, "paragraph 2"),
            reasons=(
                (
                    "Endorsed by the LGA's Safer and Stronger Communities Board (seed 001 ¶2); "
                    "undated, bounded as the Executive's endorsement"
                ),
            ),
            trigger="endorse",
        ),
        Decision(
            id="spb-5",
            body=BODY,
            kind=Kind.NOMINATE,
            actor="LGA",
            decided=When.between(dt.date(2012, 9, 1), REPORT_DAY),
            recorded=REPORT_DAY,
            source=Source(SEED_001, "paragraph 5"),
            reasons=(
                (
                    "LGA nominations have been agreed (seed 001 ¶5); representation was to follow "
                    "agreement to create the Board (seed 000 ¶8), so not before September 2012"
                ),
            ),
        ),
    )


def notes() -> tuple[Note, ...]:
    """What the reports say about the blockers and the hoped-for dates."""
    return (
        Note(
            "APCC",
            (
                "If the PCCs' discussions proceed satisfactorily, the APCC intends to make its "
                "appointments to outside bodies, which could include the Board, at its "
                "inaugural meeting on 21 March 2013."
            ),
            "seed 001 ¶8",
            trigger="convene_shadow",
        ),
        Note(
            "PCCs",
            "Not sought: PCCs were not invited to discuss the creation of the Board at the "
            "APCC event of 23 January 2013, and are unlikely to agree on the same terms.",
            "seed 001 ¶6, ¶9",
            trigger="convene_shadow",
        ),
        Note(
            "hoped",
            "A shadow meeting at the end of February 2013 and formal establishment in April "
            "2013 were hoped for; neither date is a condition.",
            "seed 001 ¶5",
        ),
        Note(
            "terms",
            "PCCs are keen to have access to the LGA's Political Group Offices, which the "
            "APCC had ruled out: the terms may change.",
            "seed 001 ¶9",
        ),
        Note(
            "unrecorded",
            "Seed 000 asked its Members for a recommendation to the Leadership Board, which "
            "was to consider the proposals on 19 September 2012; neither outcome is recorded, "
            "so neither is replayed.",
            "seed 000 Recommendation, ¶8",
        ),
    )
