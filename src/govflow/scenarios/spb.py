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

from govflow.model.authority import Authority
from govflow.model.decision import Decision, Source, Target
from govflow.model.kind import Kind
from govflow.model.terms import Terms
from govflow.model.when import When

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
            actor="LGA officers",
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
        *(
            Decision(
                id=f"spb-{number}",
                body=BODY,
                kind=Kind.TARGET,
                actor="LGA officers",
                decided=When.between(dt.date(2012, 9, 1), REPORT_DAY),
                recorded=REPORT_DAY,
                source=Source(SEED_001, "paragraph 5"),
                reasons=(why,),
                target=Target(state, by),
            )
            for number, state, by, why in (
                (
                    6,
                    "shadow",
                    When.month(2013, 2),
                    (
                        "We had hoped for a meeting of the Partnership Board in shadow form at the "
                        "end of February (seed 001 ¶5)"
                    ),
                ),
                (
                    7,
                    "established",
                    When.month(2013, 4),
                    (
                        "We had hoped that the Board would be formally established in April 2013 "
                        "(seed 001 ¶5)"
                    ),
                ),
            )
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


_DECIDES = (
    Kind.AGREE, Kind.ENDORSE, Kind.NOMINATE, Kind.AGREE_BUDGET, Kind.ESTABLISH,
    Kind.REQUEST_RECONSIDERATION, Kind.REAFFIRM, Kind.AMEND, Kind.END,
)  # fmt: skip


def authorities() -> tuple[Authority, ...]:
    """The decision-makers the reports name, with the organisation each decides for.

    The reports name the decision-makers but not their standing orders: the powers
    below are what the reports show each doing, or being asked to do. The PCC
    Steering Group only recommends (to the APCC Transitional Board, seed 001 ¶7),
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


#: The terms as PCCs would have them (seed 001 ¶9): access to the Political Group Offices.
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
_WHAT_IF = Source("Not in the reports: seed 001 played forward", "paragraph 9")


def played_forward() -> tuple[Decision, ...]:
    """What seed 001 ¶9 foresees, as decisions: hypothetical, dated only "after the report".

    The PCCs want access to the LGA's Political Group Offices; the APCC asks for the
    Board to be reconsidered and the terms are amended, so every agreement and
    endorsement must be taken again.
    """
    return (
        Decision(
            id="spb-what-if-1",
            body=BODY,
            kind=Kind.REQUEST_RECONSIDERATION,
            actor="APCC",
            decided=_AFTER_REPORT,
            source=_WHAT_IF,
            reasons=(
                (
                    "PCCs are keen to have access to the LGA's Political Group Offices, which "
                    "had previously been ruled out by the APCC (seed 001 ¶9)"
                ),
            ),
            trigger="reconsider",
        ),
        Decision(
            id="spb-what-if-2",
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
