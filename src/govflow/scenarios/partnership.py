"""The seeds' lifecycle: a joint partnership board between associations.

Each state and transition below exists because the two LGA board reports on
the joint Strategic Partnership Board (SPB) describe it; ``docs/concepts/partnership.md``
cites the paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from govflow.errors import require
from govflow.guards.conditions import came_from, meeting_held
from govflow.guards.counting import (
    any_partner,
    budget_agreed,
    decided_by,
    every_partner,
    nominations_from_every_partner,
)
from govflow.model.authority import Authority
from govflow.model.kind import Kind
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.parts import State, Transition

#: The meeting a partnership board holds in shadow form before it is established.
SHADOW_MEETING = "shadow meeting"


def partnership_lifecycle(
    *,
    constituents: Sequence[str] = ("PCCs",),
    authorities: Iterable[Authority] | None = None,
) -> Lifecycle:
    """The lifecycle of the seeds' joint Strategic Partnership Board.

    States: proposed → endorsed → shadow → established, with reconsidered
    reachable from the last three and ended reachable from every state. From
    reconsidered a body is reaffirmed (back where it was), amended (back to
    proposed, on new terms that need agreeing again) or ended. Its own resolutions
    while in shadow form are provisional until ratified.

    Args:
        constituents: Authorities outside the partners whose agreement the body
            needs before it meets in shadow form; in the seeds, the police and crime
            commissioners the APCC represents ("PCCs").
        authorities: Who may take which decisions (see
            :func:`govflow.scenarios.spb.authorities` for the seeds'); by default
            anyone may decide anything.

    Returns:
        A validated lifecycle, built fresh (build it once and share it).
    """
    fits = isinstance(constituents, list | tuple) and all(type(c) is str for c in constituents)
    fits = fits and 0 < len(set(constituents)) == len(constituents)
    wanted = "a list of at least one authority name (a text), each once"
    require(fits, "partnership_lifecycle", "constituents", wanted, constituents)
    active = ("endorsed", "shadow", "established")
    return Lifecycle(
        name="partnership",
        states=[
            State("proposed", "Terms drafted between the partners; nothing agreed yet."),
            State("endorsed", "Every partner agreed or endorsed the terms."),
            State("shadow", "Members nominated; the board meets in shadow form."),
            State("established", "Formally established, with a budget."),
            State("reconsidered", "A partner asked for the role and remit to be reconsidered."),
            State("ended", "The body no longer exists."),
        ],
        initial="proposed",
        final=["ended"],
        provisional=["shadow"],
        authorities=authorities,
        transitions=[
            Transition(
                "endorse",
                "proposed",
                "endorsed",
                guards=[every_partner((Kind.AGREE, Kind.ENDORSE), name="agreed by every partner")],
                doc="Each partner agrees (or endorses) the terms on its own behalf.",
            ),
            Transition(
                "convene_shadow",
                "endorsed",
                "shadow",
                guards=[
                    nominations_from_every_partner(),
                    decided_by(Kind.AGREE, constituents, name="agreed by constituents"),
                ],
                doc="The board first meets in shadow form once every seat is nominated.",
            ),
            Transition(
                "establish",
                "shadow",
                "established",
                guards=[
                    meeting_held(SHADOW_MEETING),
                    budget_agreed(),
                    every_partner(Kind.ESTABLISH, name="establishment agreed by every partner"),
                ],
                doc="Formal establishment, once the shadow meeting agreed how it will work.",
            ),
            Transition(
                "reconsider",
                active,
                "reconsidered",
                guards=[
                    any_partner(
                        Kind.REQUEST_RECONSIDERATION,
                        name="reconsideration requested",
                        since_entered=True,
                    )
                ],
                doc="A partner asks to reconsider the role and remit (the APCC for the PCCs).",
            ),
            *(
                Transition(
                    f"reaffirm_{state}",
                    "reconsidered",
                    state,
                    guards=[came_from(state), every_partner(Kind.REAFFIRM, since_entered=True)],
                    doc=f"Back to {state}, unchanged, once every partner reaffirms it.",
                )
                for state in active
            ),
            Transition(
                "amend",
                "reconsidered",
                "proposed",
                guards=[any_partner(Kind.AMEND, name="terms amended", since_entered=True)],
                doc="New terms: every agreement and endorsement must be taken again.",
            ),
            Transition(
                "end",
                ("proposed", *active, "reconsidered"),
                "ended",
                guards=[any_partner(Kind.END, name="ended by a partner")],
                doc="A partnership ends when any partner ends it.",
            ),
        ],
    )
