"""Every paragraph of the two reports, and where the reference case's record holds it.

Each paragraph is held by items of the record (decisions, hoped-for dates, the
recommendation and notes of :func:`govflow.scenarios.spb.decisions`, by id) or is
left out with the reason. ``quote`` is a phrase of the paragraph, word for word
(with runs of white space as one space), so that the entry can be checked against
the report.
"""

from __future__ import annotations

import attrs

#: The reports' files, in ``shared/seeds/``, by the item each is.
REPORTS = {"Item 4": "000_31d5d2d14e81ec76.txt", "Item 8": "001_36d64eb659b4fa40.txt"}

_OWN_CAMPAIGN = (
    "The LGA's own work to recruit and support PCCs (its offer, contacts, events and "
    "bulletins): it is the LGA's, not a step in the Board's life, and decides nothing about it."
)
_ABOUT_THE_REPORT = "It says what the report is for; the paragraphs it introduces are held."


@attrs.frozen
class Paragraph:
    """A paragraph of a report and its place in the record.

    Attributes:
        item: The report, as it names itself ("Item 8").
        paragraph: Its number ("5"), or the section ("Summary", "Recommendation").
        quote: A phrase of the paragraph, word for word.
        held_by: The ids of the record's items that hold what it says.
        left_out: Why the record leaves it out, where it does.
    """

    item: str
    paragraph: str
    quote: str
    held_by: tuple[str, ...] = ()
    left_out: str | None = None


PARAGRAPHS = (
    Paragraph(
        "Item 4",
        "Summary",
        "progress with our work on establishing a national representative body",
        left_out=_ABOUT_THE_REPORT,
    ),
    Paragraph(
        "Item 4",
        "Recommendation",
        "make a recommendation to the Leadership Board on the proposed Strategic Partnership",
        ("spb-note-7",),
    ),
    Paragraph(
        "Item 4",
        "1",
        "under the banner of the Police and Crime Commissioners' Association (PaCCA)",
        ("spb-note-1",),
    ),
    Paragraph(
        "Item 4",
        "2",
        "The overarching strategy for securing PCCs in membership of the LGA",
        left_out=_OWN_CAMPAIGN,
    ),
    Paragraph(
        "Item 4",
        "3",
        "funding to the Association of Police Authorities (APA) until 31 March 2013",
        ("spb-note-2",),
    ),
    Paragraph("Item 4", "4", "An initial meeting in May", ("spb-note-3",)),
    Paragraph(
        "Item 4",
        "5",
        "the APCC were clear they favoured a partnership arrangement rather than a more "
        "innovative joint venture",
        ("spb-note-4", "spb-note-5"),
    ),
    Paragraph(
        "Item 4",
        "6",
        "a new partnership board with its own identity is being considered",
        ("spb-1",),
    ),
    Paragraph(
        "Item 4",
        "7",
        "the Chair of the Safer and Stronger Communities Board would have a place",
        ("spb-1", "spb-note-6", "spb-note-9"),
    ),
    Paragraph(
        "Item 4",
        "8",
        "The Leadership Board will consider the proposals to create the Strategic Partnership "
        "Board at its meeting on 19 September",
        ("spb-note-7",),
    ),
    Paragraph(
        "Item 4",
        "9",
        "a new pressure most likely to be identified through the mid-year review",
        ("spb-note-8",),
    ),
    Paragraph(
        "Item 8",
        "Summary",
        "the joint Strategic Partnership Board that the LGA and Association of Police and Crime "
        "Commissioners (APCC) agreed",
        ("spb-note-18",),
    ),
    Paragraph(
        "Item 8",
        "Recommendation",
        "will bring a further report back to the Leadership Board should PCCs wish to "
        "reconsider the role and remit",
        ("spb-8",),
    ),
    Paragraph(
        "Item 8",
        "1",
        "Following the steer from the Leadership Board in April 2012",
        ("spb-note-1",),
    ),
    Paragraph(
        "Item 8",
        "2",
        "The details of the Partnership Board were subsequently agreed by the APCC in September",
        ("spb-2", "spb-3", "spb-4", "spb-note-18"),
    ),
    Paragraph("Item 8", "3", "The Partnership Board will be a decision making body", ("spb-1",)),
    Paragraph(
        "Item 8",
        "4",
        "a budget jointly provided by the LGA and APCC",
        ("spb-note-6", "spb-note-9"),
    ),
    Paragraph(
        "Item 8",
        "5",
        "LGA nominations have been agreed",
        ("spb-5", "spb-6", "spb-7", "spb-note-10"),
    ),
    Paragraph(
        "Item 8",
        "6",
        "PCCs were not therefore invited to discuss the creation of the Partnership Board",
        ("spb-note-10", "spb-note-17"),
    ),
    Paragraph(
        "Item 8",
        "7",
        "It was therefore agreed to set up a Steering Group of PCCs",
        ("spb-note-11",),
    ),
    Paragraph(
        "Item 8",
        "8",
        "the intention is then for the APCC to have its inaugural meeting on 21 March",
        ("spb-note-12", "spb-note-13", "spb-note-14"),
    ),
    Paragraph(
        "Item 8",
        "9",
        "It is unlikely that PCCs will agree to the creation of the Partnership Board on the "
        "same terms",
        ("spb-note-15",),
    ),
    Paragraph(
        "Item 8",
        "10",
        "Since the elections the LGA has continued to engage directly with PCCs",
        left_out=_OWN_CAMPAIGN,
    ),
    Paragraph(
        "Item 8",
        "11",
        "Councillor Khan has written to all deputy PCCs",
        left_out=_OWN_CAMPAIGN,
    ),
    Paragraph(
        "Item 8",
        "12",
        "the LGA's political group offices have been following up the offer to PCCs",
        left_out=_OWN_CAMPAIGN,
    ),
    Paragraph(
        "Item 8",
        "13",
        "The feedback we have received from PCCs and their chief executives is extremely positive",
        left_out=_OWN_CAMPAIGN,
    ),
    Paragraph(
        "Item 8",
        "14",
        "it is unclear whether the APCC will remain viable in the long term",
        ("spb-note-16",),
    ),
    Paragraph(
        "Item 8",
        "15",
        "There are no financial implications arising from this report",
        left_out="It is about the report itself; the Board's budget is in paragraph 4.",
    ),
)
