"""The reference case's record: what the two reports say, as decisions, targets and notes.

See :mod:`govflow.scenarios.spb` for the reports and the rules the record keeps.
"""

from __future__ import annotations

import datetime as dt
import functools

from govflow.model.decision import Decision, Source, Target
from govflow.model.kind import Kind
from govflow.model.terms import Terms
from govflow.model.when import When

BODY = "spb"
ITEM_4 = "Report to an LGA board (undated; July to September 2012), Item 4"
ITEM_8 = "LGA Leadership Board, 13 February 2013, Item 8"
REPORT_DAY = dt.date(2013, 2, 13)
"""The day of the Item 8 report: the demo's "as of" date."""
AUTHOR = "LGA officers"
"""Who the reports' notes are by: both reports are LGA officers' reports."""

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
        (
            "The Safer and Stronger Communities Board keeps the LGA's work for councils on "
            "community safety; the Board addresses issues that affect PCCs and councils jointly"
        ),
        "No access for PCCs to the LGA's Political Group Offices (ruled out by the APCC)",
    ),
    places=("The Chair of the Safer and Stronger Communities Board",),
)
"""The terms negotiated "last summer" (Item 4, paragraphs 6-7; Item 8, paragraphs 3-4 and 9)."""

# The work on a joint offer began at the workshop of 4 July 2012 (Item 4, paragraph 4;
# the year from Item 8, paragraph 1, which dates the April steer to 2012).
_WORK_BEGAN = dt.date(2012, 7, 4)
# Item 4 was written after the workshop and before the Leadership Board's meeting.
_ITEM_4_WRITTEN = When.between(_WORK_BEGAN, dt.date(2012, 9, 19))
_SINCE_WORK_BEGAN = When.between(_WORK_BEGAN, REPORT_DAY)
_REPORTED = When.on(REPORT_DAY)
_item_4 = functools.partial(Source, ITEM_4)  # a paragraph of each report
_item_8 = functools.partial(Source, ITEM_8)


def _note(
    number: int,
    about: str | None,
    decided: When,
    source: Source,
    text: str,
    *,
    expected: When | None = None,
    rejected: tuple[str, ...] = (),
) -> Decision:
    """A note the reports' authors make about the Board."""
    return Decision(
        id=f"spb-note-{number}",
        body=BODY,
        kind=Kind.NOTE,
        actor=AUTHOR,
        decided=decided,
        recorded=None if source.document == ITEM_4 else REPORT_DAY,
        source=source,
        reasons=(text,),
        about=about,
        expected=expected,
        alternatives_rejected=rejected,
    )


def decisions() -> tuple[Decision, ...]:
    """What the two reports record, as decisions, hoped-for dates, a recommendation and notes.

    The proposal comes first, as it creates the body; the notes of what came before
    it follow it in the log, dated when it happened.
    """
    return (
        Decision(
            id="spb-1",
            body=BODY,
            kind=Kind.PROPOSE,
            actor=AUTHOR,
            decided=_ITEM_4_WRITTEN,
            source=_item_4("paragraphs 6-7; the terms also in Item 8, paragraphs 3-4"),
            reasons=(
                (
                    "A new partnership board with its own identity, developed in discussion "
                    "with the APCC, is being considered by the leadership of the APCC and LGA "
                    "(paragraph 6)"
                ),
                (
                    "Dated after the workshop of 4 July 2012 (paragraph 4) and before the "
                    "Leadership Board's meeting of 19 September 2012 (paragraph 8)"
                ),
            ),
            terms=TERMS,
        ),
        _note(
            1,
            "background",
            When.month(2012, 4),
            _item_4("paragraph 1; Item 8, paragraph 1"),
            "The Leadership Board directed that the LGA should secure police and crime "
            "commissioners as members of the LGA, under the banner of the Police and Crime "
            "Commissioners' Association (PaCCA).",
        ),
        _note(
            2,
            "funding",
            _ITEM_4_WRITTEN,
            _item_4("paragraph 3"),
            "The Home Office has provided funding to the Association of Police Authorities "
            "until 31 March 2013 to set up its successor body, the APCC.",
            expected=When.on(dt.date(2013, 3, 31)),
        ),
        _note(
            3,
            "background",
            When.month(2012, 5),
            _item_4("paragraph 4"),
            "An initial meeting in May between the APA's Chair, the Chair of the APCC and "
            "the LGA's Chairman led to a workshop on 4 July to explore a joint venture "
            "between the two associations.",
        ),
        _note(
            4,
            "background",
            When.on(_WORK_BEGAN),
            _item_4("paragraph 5"),
            "The workshop identified a willingness on the part of both the LGA and APCC to "
            "explore what they might offer jointly to PCCs; officers were instructed to look "
            "at what a national membership body for PCCs would need to offer.",
        ),
        _note(
            5,
            "alternatives",
            _ITEM_4_WRITTEN,
            _item_4("paragraph 5"),
            "Joint arrangements were developed and discussed with the APCC. At a meeting "
            "with the LGA's Chairman and the Chair of the board Item 4 went to, the APCC were "
            "clear they "
            "favoured a partnership arrangement rather than a more innovative joint venture.",
            rejected=(
                "Membership arrangements within the LGA (paragraph 5)",
                "A new bespoke joint body (paragraph 5)",
            ),
        ),
        _note(
            6,
            "remit",
            _SINCE_WORK_BEGAN,
            _item_8("paragraph 4; Item 4, paragraph 7"),
            "The Safer and Stronger Communities Board will continue to be responsible for the "
            "LGA's work for councils on community safety, reducing re-offending, licensing, "
            "regulatory services and emergency planning; the Partnership Board will address the "
            "issues that affect PCCs and councils jointly. Item 4 envisaged that the Chair of "
            "the Safer and Stronger Communities Board would have a place on the Partnership "
            "Board.",
        ),
        _note(
            7,
            "LGA Leadership Board",
            _ITEM_4_WRITTEN,
            _item_4("Recommendation; paragraph 8"),
            "Item 4 asked its Members to make a recommendation to the Leadership Board, which "
            "was to consider the proposals at its meeting on 19 September 2012; if agreed, "
            "work on the Board's governance and the LGA's representation would follow. The "
            "reports record neither the recommendation nor that meeting's decision.",
            expected=When.on(dt.date(2012, 9, 19)),
        ),
        _note(
            8,
            "budget",
            _ITEM_4_WRITTEN,
            _item_4("paragraph 9"),
            "If the LGA agrees to create the Board, the LGA's financial contribution will be a "
            "new pressure, most likely to be identified through the mid-year review.",
        ),
        Decision(
            id="spb-2",
            body=BODY,
            kind=Kind.AGREE,
            actor="APCC",
            decided=When.month(2012, 9),
            recorded=REPORT_DAY,
            source=_item_8("paragraph 2"),
            reasons=(
                (
                    "The details of the Partnership Board were agreed by the APCC in September "
                    "(paragraph 2; 2012, the 'last summer' of paragraph 9)"
                ),
            ),
        ),
        _note(
            18,
            "background",
            _SINCE_WORK_BEGAN,
            _item_8("paragraph 2; Summary"),
            "The joint offer resulted in agreement to set up an LGA/APCC joint Strategic "
            "Partnership Board. The report does not say who agreed it for the LGA, or when: "
            "the agreement and endorsements it names are recorded as decisions.",
        ),
        Decision(
            id="spb-3",
            body=BODY,
            kind=Kind.ENDORSE,
            actor="LGA Executive",
            on_behalf_of="LGA",
            decided=_SINCE_WORK_BEGAN,
            recorded=REPORT_DAY,
            source=_item_8("paragraph 2"),
            reasons=(
                (
                    "Endorsed by the LGA's Executive (paragraph 2); the report gives no date, "
                    "so it is bounded by the workshop of 4 July 2012 and the report"
                ),
            ),
        ),
        Decision(
            id="spb-4",
            body=BODY,
            kind=Kind.ENDORSE,
            actor="Safer and Stronger Communities Board",
            on_behalf_of="LGA",
            decided=_SINCE_WORK_BEGAN,
            recorded=REPORT_DAY,
            source=_item_8("paragraph 2"),
            reasons=(
                (
                    "Endorsed by the LGA's Safer and Stronger Communities Board (paragraph 2); "
                    "undated, bounded as the Executive's endorsement"
                ),
            ),
            trigger="endorse",
        ),
        _note(
            9,
            "budget",
            _SINCE_WORK_BEGAN,
            _item_8("paragraph 4; Item 4, paragraph 7"),
            "It has also been agreed that the Partnership Board will be able to commission "
            "work to support its activities from a budget jointly provided by the LGA and "
            "APCC (Item 4 had proposed a budget provided by both). Who agreed it, and when, "
            "the report does not say, so no partner's budget agreement is recorded.",
        ),
        Decision(
            id="spb-5",
            body=BODY,
            kind=Kind.NOMINATE,
            actor="LGA",
            decided=When.between(dt.date(2012, 9, 1), REPORT_DAY),
            recorded=REPORT_DAY,
            source=_item_8("paragraph 5"),
            reasons=(
                (
                    "LGA nominations have been agreed (paragraph 5); representation was to "
                    "follow agreement to create the Board (Item 4, paragraph 8), so not before "
                    "September 2012"
                ),
            ),
        ),
        *(
            Decision(
                id=f"spb-{number}",
                body=BODY,
                kind=Kind.TARGET,
                actor=AUTHOR,
                decided=When.between(dt.date(2012, 9, 1), REPORT_DAY),
                recorded=REPORT_DAY,
                source=_item_8("paragraph 5"),
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
                        "end of February, to agree the processes that would enable it to function"
                    ),
                ),
                (
                    7,
                    "established",
                    When.month(2013, 4),
                    "We had hoped that the Board would be formally established in April 2013",
                ),
            )
        ),
        _note(
            10,
            "PCCs",
            When.on(dt.date(2013, 1, 23)),
            _item_8("paragraphs 5-6"),
            "The APCC had indicated it would seek PCCs' agreement to the creation of the Board "
            "at an event on 23 January 2013. The event aimed instead to discuss the need for a "
            "national representative body, and what form it might take, so PCCs were not "
            "invited to discuss the creation of the Board at that event.",
        ),
        _note(
            11,
            "PCCs",
            When.on(dt.date(2013, 1, 23)),
            _item_8("paragraph 7"),
            "As the LGA understands it, PCCs at the event agreed as a whole that they wanted a "
            "national representative body, with less agreement on what services it might "
            "deliver. It was agreed to set up a Steering Group of PCCs, with equal "
            "representation from the three political groups, to make recommendations to the "
            "APCC Transitional Board about the services required.",
        ),
        _note(
            17,
            "APCC",
            _SINCE_WORK_BEGAN,
            _item_8("paragraph 6"),
            "Since taking office, PCCs' priorities have left them little time to establish "
            "national bodies or appoint representatives to them, and the APCC has not found it "
            "easy to find PCCs to serve on national forums or to agree a lead PCC.",
        ),
        _note(
            12,
            "PCC Steering Group",
            _REPORTED,
            _item_8("paragraph 8"),
            "The Steering Group is to seek endorsement from the wider group of PCCs on "
            "21 February 2013.",
            expected=When.on(dt.date(2013, 2, 21)),
        ),
        _note(
            13,
            "APCC",
            _REPORTED,
            _item_8("paragraph 8"),
            "The APCC will then need to determine whether it can deliver the services, and "
            "set out a subscriptions structure.",
            expected=When.between(dt.date(2013, 2, 21), dt.date(2013, 3, 21)),
        ),
        _note(
            14,
            "APCC",
            _REPORTED,
            _item_8("paragraph 8"),
            "If this proceeds satisfactorily, the APCC intends to hold its inaugural meeting "
            "on 21 March 2013, making formal appointments to outside bodies, which could "
            "include the Partnership Board.",
            expected=When.on(dt.date(2013, 3, 21)),
        ),
        _note(
            15,
            "PCCs",
            _REPORTED,
            _item_8("paragraph 9"),
            "It is unlikely that PCCs will agree to the Board on the terms negotiated last "
            "summer: they are keen to have access to the LGA's Political Group Offices, which "
            "the APCC had ruled out, and the Steering Group may well revisit the wider range "
            "of partnership options discussed then.",
        ),
        _note(
            16,
            "outlook",
            _REPORTED,
            _item_8("paragraph 14"),
            "The situation remains fluid and it is unclear whether the APCC will remain "
            "viable in the long term.",
        ),
        Decision(
            id="spb-8",
            body=BODY,
            kind=Kind.RECOMMEND,
            actor=AUTHOR,
            to="LGA Leadership Board",
            decided=_REPORTED,
            recorded=REPORT_DAY,
            source=_item_8("Recommendation"),
            reasons=(
                (
                    "That LGA officers are regularly in touch with the APCC and PCCs and will "
                    "bring a further report back to the Leadership Board should PCCs wish to "
                    "reconsider the role and remit of the Board"
                ),
            ),
        ),
    )
