"""govflow's next state equals a transitions Machine's, on random lifecycles."""

from __future__ import annotations

import datetime as dt

from hypothesis import event, given
from hypothesis import strategies as st
from transitions import Machine

from govflow import (
    Decision,
    DecisionRefused,
    GuardFailed,
    Kind,
    Lifecycle,
    Registry,
    Source,
    Terms,
    TriggerNotAllowed,
    When,
)
from govflow.testing import Fixed, lifecycles


class Model:
    state: str


def reference_machine(lifecycle: Lifecycle) -> Model:
    """The same lifecycle as a plain transitions Machine, guards as boolean conditions."""
    model = Model()
    machine = Machine(
        model=model,
        states=[s.name for s in lifecycle.states],
        initial=lifecycle.initial,
        auto_transitions=False,
        ignore_invalid_triggers=True,
    )
    for t in lifecycle.transitions:
        values = [g.value for g in t.guards if isinstance(g, Fixed)]
        assert len(values) == len(t.guards)
        passes = all(values)
        condition = [lambda ok=passes: ok]
        machine.add_transition(t.trigger, list(t.sources), t.dest, conditions=condition)
    return model


@given(lifecycles(), st.lists(st.integers(0, 9), max_size=30))
def test_next_state_matches_a_transitions_machine(lifecycle: Lifecycle, picks: list[int]) -> None:
    reference = reference_machine(lifecycle)
    registry = Registry(lifecycle)
    day = dt.date(2013, 1, 1)
    terms = Terms(title="t", partners=("LGA",))
    registry.apply(
        Decision(
            id="p",
            body="b",
            kind=Kind.PROPOSE,
            actor="LGA",
            decided=When.on(day),
            source=Source("s"),
            terms=terms,
        )
    )
    triggers = [*sorted({t.trigger for t in lifecycle.transitions}), "unknown"]
    for number, pick in enumerate(picks):
        trigger = triggers[pick % len(triggers)]
        try:
            registry.apply(
                Decision(
                    id=f"d{number}",
                    body="b",
                    kind=Kind.AGREE,
                    actor="LGA",
                    decided=When.on(day),
                    source=Source("s"),
                    trigger=trigger,
                )
            )
            event("fired")
        except (GuardFailed, TriggerNotAllowed) as refusal:
            event(f"refused: {refusal.code}")
        except DecisionRefused:  # pragma: no cover - nothing else may refuse here
            raise
        reference.trigger(trigger)  # type: ignore[attr-defined]
        assert registry.body("b").state == reference.state
