"""Two charities merge: a special resolution of each board, then the regulator's consent.

Each board passes the merger by special resolution: at least three quarters of the
trustees voting, with a quorum taking part (abstaining counts towards the quorum,
not towards the vote). The Charity Commission then consents, and the merger
completes no earlier than the date the merger agreement sets, which is the body's
own parameter: the same lifecycle serves every merger. Run it::

    python examples/charity_merger.py

It is written only with govflow's public API.
"""

from __future__ import annotations

import datetime as dt

from govflow import (
    Decision,
    DecisionKind,
    Explanation,
    Kind,
    Lifecycle,
    Position,
    Registry,
    Source,
    Terms,
    Transition,
    When,
)
from govflow.guards import decided_by, not_before, param, votes

ALPHA = ("A. Ali", "B. Bell", "C. Cole", "D. Dunn", "E. Eze", "F. Ford")
BETA = ("G. Gray", "H. Hale", "I. Ives", "J. Jones")
REGULATOR = "Charity Commission"


class Merger(DecisionKind):
    """The decisions of a merger, beside govflow's built-in kinds."""

    RESOLUTION = "resolution"
    CONSENT = "consent"
    COMPLETE = "complete"


def lifecycle() -> Lifecycle:
    """Proposed, resolved by both boards, consented, merged; abandoned from any but the last."""
    return Lifecycle(
        name="charity merger",
        states=["proposed", "resolved", "consented", "merged", "abandoned"],
        initial="proposed",
        final=["merged", "abandoned"],
        kinds=Merger,
        transitions=[
            Transition(
                "resolve",
                "proposed",
                "resolved",
                guards=[
                    votes(
                        Merger.RESOLUTION,
                        ALPHA,
                        share=(3, 4),
                        quorum=4,
                        name="special resolution of Alpha Trust",
                    ),
                    votes(
                        Merger.RESOLUTION,
                        BETA,
                        share=(3, 4),
                        quorum=3,
                        name="special resolution of Beta Fund",
                    ),
                ],
            ),
            Transition(
                "consent", "resolved", "consented", guards=[decided_by(Merger.CONSENT, [REGULATOR])]
            ),
            Transition(
                "complete",
                "consented",
                "merged",
                guards=[not_before(param("earliest_completion"))],
            ),
            Transition("abandon", ["proposed", "resolved", "consented"], "abandoned"),
        ],
    )


def terms(earliest_completion: dt.date) -> Terms:
    """The merger agreement's terms, with the day it may complete from."""
    return Terms(
        title="Merger of Alpha Trust and Beta Fund",
        partners=("Alpha Trust", "Beta Fund"),
        parameters={"earliest_completion": earliest_completion},
    )


def decision(
    id_: str,
    kind: DecisionKind,
    actor: str,
    day: dt.date,
    body: str = "merger",
    **fields: object,
) -> Decision:
    """A decision on the merger, minuted on ``day``."""
    return Decision(
        id=id_,
        body=body,
        kind=kind,
        actor=actor,
        decided=When.on(day),
        source=Source("Board minutes", id_),
        **fields,  # type: ignore[arg-type]
    )


def ballot(
    board: tuple[str, ...], positions: str, day: dt.date, prefix: str, trigger: str | None = None
) -> list[Decision]:
    """One vote per trustee: ``positions`` is a letter each, F(or), A(gainst), X (abstain), -.

    The last vote cast asks for ``trigger``, if one is given.
    """
    chosen = {"F": Position.FOR, "A": Position.AGAINST, "X": Position.ABSTAIN}
    cast = [
        (n, trustee, chosen[letter])
        for n, (trustee, letter) in enumerate(zip(board, positions, strict=True))
        if letter != "-"
    ]
    return [
        decision(
            f"{prefix}-{n}",
            Merger.RESOLUTION,
            trustee,
            day,
            position=position,
            trigger=trigger if (n, trustee, position) == cast[-1] else None,
        )
        for n, trustee, position in cast
    ]


def main() -> Explanation:
    """Both boards vote, the Commission consents, and the merger completes on its day."""
    registry = Registry(lifecycle())
    registry.apply(
        decision(
            "agreement",
            Kind.PROPOSE,
            "Alpha Trust",
            dt.date(2024, 1, 10),
            terms=terms(dt.date(2024, 4, 1)),
        )
    )
    for d in ballot(ALPHA, "FFFAX-", dt.date(2024, 2, 1), "alpha"):  # 3 of 4 voting: 75 %
        registry.apply(d)
    for d in ballot(BETA, "FFX-", dt.date(2024, 2, 8), "beta", trigger="resolve"):  # quorum 3
        registry.apply(d)
    registry.apply(
        decision("consent", Merger.CONSENT, REGULATOR, dt.date(2024, 3, 12), trigger="consent")
    )
    early = registry.explain("merger", dt.date(2024, 3, 31))
    print(early)
    registry.apply(
        decision(
            "complete", Merger.COMPLETE, "Alpha Trust", dt.date(2024, 4, 1), trigger="complete"
        )
    )
    body = registry.body("merger")
    print(f"{body.id}: {' -> '.join(body.history)}")
    return early


if __name__ == "__main__":
    main()
