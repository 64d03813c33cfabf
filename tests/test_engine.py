"""govflow's next state equals a transitions Machine's, on random lifecycles."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
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
    Transition,
    TriggerNotAllowed,
    When,
)
from govflow.rules.engine import Shape, compile_shape
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


class TestShape:
    """The graph the engine reports, read directly (the lifecycle checks it further)."""

    EDGES = (
        ("go", "a", "b"),
        ("on", "b", "c"),
        ("go", "x", "y"),  # the same trigger from a state the initial one cannot reach
        ("back", "b", "a"),
        ("on", "b", "a"),  # defined twice from b
    )

    def test_edges_duplicates_and_reachable_states(self) -> None:
        shape = compile_shape("a", self.EDGES)
        assert shape.edges == (("a", "go"), ("x", "go"), ("b", "on"), ("b", "back"))
        assert shape.duplicates == (("b", "on"),)
        assert shape.reachable == frozenset({"a", "b", "c"})

    def test_nothing_is_reachable_without_an_initial_state(self) -> None:
        assert compile_shape(None, self.EDGES).reachable == frozenset()

    def test_an_initial_state_with_no_edges_reaches_only_itself(self) -> None:
        shape = compile_shape("alone", ())
        assert shape == Shape(edges=(), duplicates=(), reachable=frozenset({"alone"}))

    def test_reachability_follows_every_trigger_and_chains_of_any_length(self) -> None:
        edges = [(f"t{n}", f"s{n}", f"s{n + 1}") for n in range(30)]
        edges.append(("other", "s0", "side"))
        assert compile_shape("s0", edges).reachable == {f"s{n}" for n in range(31)} | {"side"}


class TestDrawing:
    LIFECYCLE = Lifecycle(
        states=["a", "c", "b"],  # drawn in this order, not in the order edges meet them
        initial="a",
        transitions=[Transition("go", "a", "b"), Transition("on", "b", "c")],
        final=["c"],
        name="scrutiny",
    )

    def test_the_title_states_in_order_and_every_edge(self) -> None:
        diagram = self.LIFECYCLE.mermaid()
        assert diagram.startswith('---\ntitle: "scrutiny"\n---\nstateDiagram-v2\n')
        assert [line.strip() for line in diagram.splitlines() if "state " in line] == [
            'state "a" as a',
            'state "c" as c',
            'state "b" as b',
        ]
        assert "a --> b: go" in diagram
        assert "b --> c: on" in diagram

    def test_a_trigger_may_take_a_name_the_engine_uses_for_its_models(self) -> None:
        lifecycle = Lifecycle(
            states=["a", "b"], initial="a", transitions=[Transition("state", "a", "b")]
        )
        assert "a --> b: state" in lifecycle.mermaid()

    def test_drawing_uses_mermaid_even_where_pygraphviz_is_installed(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # A stand-in for pygraphviz that fails if drawn with: mermaid must never need it.
        monkeypatch.setitem(sys.modules, "pygraphviz", types.ModuleType("pygraphviz"))
        monkeypatch.delitem(
            sys.modules, "transitions.extensions.diagrams_pygraphviz", raising=False
        )
        assert "a --> b: go" in self.LIFECYCLE.mermaid()


def test_a_trigger_named_like_an_engine_method_is_built_silently(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The engine binds triggers to no model: none can clash with its own methods and
    # make it log a warning.
    with caplog.at_level("DEBUG", logger="transitions"):
        lifecycle = Lifecycle(
            states=["a", "b"],
            initial="a",
            transitions=[Transition("add_transition", "a", "b"), Transition("trigger", "b", "a")],
        )
    assert lifecycle.triggers_from("a") == ("add_transition",)
    assert [r.getMessage() for r in caplog.records if r.levelname != "DEBUG"] == []
