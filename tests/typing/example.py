"""User code written against govflow's public API; ``mypy --strict`` checks it in the test command.

It must type-check with no ``Any`` leaking into the user's code: every call is a typed
method or function, not a generated trigger method.
"""

from __future__ import annotations

import datetime as dt

import govflow
from govflow import (
    Body,
    Decision,
    Entry,
    Explanation,
    GuardFailed,
    Kind,
    Lifecycle,
    Registry,
    Source,
    Terms,
    Transition,
    Verdict,
    Verification,
    When,
)
from govflow.guards import decided_by


def quorum(body: Body, on: When) -> bool:
    """A plain function is a guard."""
    return len(body.facts) >= 2


def lifecycle() -> Lifecycle:
    return Lifecycle(
        states=["draft", "adopted"],
        initial="draft",
        transitions=[
            Transition(
                "adopt", "draft", "adopted", guards=[quorum, decided_by(Kind.AGREE, ["Cabinet"])]
            )
        ],
    )


def run() -> tuple[str, Verification]:
    registry = Registry(lifecycle())
    terms = Terms(title="Scrutiny panel", partners=["Council"])
    first: Entry = registry.apply(
        Decision(
            id="1",
            body="panel",
            kind=Kind.PROPOSE,
            actor="Council",
            decided=When.day(2024, 5, 1),
            source=Source("Cabinet minutes", "item 4"),
            terms=terms,
        )
    )
    try:
        registry.apply(
            Decision(
                id="2",
                body="panel",
                kind=Kind.AGREE,
                actor="Leader",
                decided=When.month(2024, 6),
                source=Source("Cabinet minutes"),
                trigger="adopt",
            )
        )
    except GuardFailed as refusal:
        reasons: tuple[govflow.Reason, ...] = refusal.reasons
        explanation: Explanation = refusal.explanation
        assert reasons
        assert explanation.state == "draft"
    verdicts: tuple[Verdict, ...] = first.verdicts
    assert verdicts == ()
    state_then: Body | None = registry.as_of("panel", dt.date(2024, 5, 31))
    return (state_then.state if state_then else "none"), registry.verify(registry.checkpoint())


def stored(path: str) -> int:
    """A store opened by URL is a context manager that closes it (mypy checks the types)."""
    from govflow.scenarios import partnership_lifecycle  # noqa: PLC0415
    from govflow.stores import open_store  # noqa: PLC0415

    lifecycle = partnership_lifecycle()
    with open_store(f"sqlite:///{path}", lifecycle.fingerprint) as log:
        registry = Registry(lifecycle, log=log)
        return len(registry.log)
