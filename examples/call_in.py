"""A cabinet decision that councillors may call in for scrutiny.

In English local government an executive decision is published and cannot be
implemented at once: for five clear working days (here: five days) any three
councillors may call it in, and it then waits for the Overview and Scrutiny
Committee. The committee either lets it go ahead (a vote for no further action)
or refers it back to the cabinet. Run it::

    python examples/call_in.py

It is written only with govflow's public API.
"""

from __future__ import annotations

import datetime as dt

from govflow import (
    Decision,
    DecisionKind,
    GuardFailed,
    Kind,
    Lifecycle,
    Position,
    Registry,
    Source,
    Terms,
    Transition,
    When,
)
from govflow.guards import decided_by, entered, not_before, votes, within

COUNCILLORS = ("Cllr Ahmed", "Cllr Brown", "Cllr Clarke", "Cllr Davies", "Cllr Evans")
COMMITTEE = "Overview and Scrutiny Committee"
#: The days after publication within which the decision may be called in.
WINDOW_DAYS = 5


class Scrutiny(DecisionKind):
    """The decisions of the call-in procedure, beside govflow's built-in kinds."""

    CALL_IN = "call_in"
    IMPLEMENT = "implement"
    REVIEW = "review"
    REFER_BACK = "refer_back"


def lifecycle() -> Lifecycle:
    """Published, then implemented once the window closes, or called in and reviewed."""
    in_window = within(end=entered("published", days=WINDOW_DAYS))
    return Lifecycle(
        name="cabinet call-in",
        states=["published", "called in", "implemented", "referred back"],
        initial="published",
        final=["implemented", "referred back"],
        kinds=Scrutiny,
        accepts={
            "published": [Scrutiny.CALL_IN, Scrutiny.IMPLEMENT],
            "called in": [Scrutiny.REVIEW, Scrutiny.REFER_BACK],
        },
        transitions=[
            Transition(
                "call_in",
                "published",
                "called in",
                guards=[
                    decided_by(
                        Scrutiny.CALL_IN,
                        COUNCILLORS,
                        at_least=3,
                        within=in_window,
                        name="called in by 3 councillors within the window",
                    )
                ],
            ),
            Transition(
                "implement",
                "published",
                "implemented",
                # Dates alone would let any decision the state accepts ask for it (a late
                # call-in, say): the Cabinet's own decision to implement is needed too.
                guards=[
                    not_before(entered("published", days=WINDOW_DAYS + 1)),
                    decided_by(Scrutiny.IMPLEMENT, ["Cabinet"], since_entered=True),
                ],
            ),
            Transition(
                "release",
                "called in",
                "implemented",
                guards=[votes(Scrutiny.REVIEW, [COMMITTEE], majority=True)],
            ),
            Transition(
                "refer_back",
                "called in",
                "referred back",
                guards=[decided_by(Scrutiny.REFER_BACK, [COMMITTEE])],
            ),
        ],
    )


PUBLISHED = dt.date(2024, 3, 4)


def decision(
    id_: str,
    kind: DecisionKind,
    actor: str,
    day: dt.date,
    body: str = "KD-2024-07",
    **fields: object,
) -> Decision:
    """A decision on the key decision ``body``, minuted on ``day``."""
    if kind is Kind.PROPOSE:
        fields["terms"] = Terms(title="Closure of Northgate library", partners=("Cabinet",))
    return Decision(
        id=id_,
        body=body,
        kind=kind,
        actor=actor,
        decided=When.on(day),
        source=Source("Forward plan and minutes", id_),
        **fields,  # type: ignore[arg-type]
    )


def main() -> None:
    """Publish a decision, see it called in by three councillors, and released."""
    registry = Registry(lifecycle())
    registry.apply(decision("publish", Kind.PROPOSE, "Cabinet", PUBLISHED))
    try:
        registry.apply(
            decision(
                "early", Scrutiny.IMPLEMENT, "Cabinet", dt.date(2024, 3, 6), trigger="implement"
            )
        )
    except GuardFailed as refusal:
        print(f"refused: {refusal}")
    for n, who in enumerate(COUNCILLORS[:3]):
        last = n == 2  # noqa: PLR2004 - the third call-in asks for the transition
        registry.apply(
            decision(
                f"call-in-{n}",
                Scrutiny.CALL_IN,
                who,
                PUBLISHED + dt.timedelta(days=n + 1),
                trigger="call_in" if last else None,
            )
        )
    registry.apply(
        decision(
            "review",
            Scrutiny.REVIEW,
            COMMITTEE,
            dt.date(2024, 3, 20),
            position=Position.FOR,
            trigger="release",
        )
    )
    body = registry.body("KD-2024-07")
    print(f"{body.id}: {' -> '.join(body.history)}")


if __name__ == "__main__":
    main()
