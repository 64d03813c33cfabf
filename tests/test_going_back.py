"""One trigger that returns a body to the state it came from (``PREVIOUS``)."""

from __future__ import annotations

import datetime as dt

import pytest

from govflow import (
    PREVIOUS,
    AuditLog,
    Decision,
    GuardFailed,
    Kind,
    Lifecycle,
    LifecycleError,
    Registry,
    Source,
    State,
    Transition,
    TriggerNotAllowed,
    When,
    replay,
)
from govflow.guards import every_partner

from .helpers import TERMS

ACTIVE = ("endorsed", "shadow")
LIFECYCLE = Lifecycle(
    name="back",
    states=["proposed", "endorsed", "shadow", State("reconsidered"), "ended"],
    initial="proposed",
    final=["ended"],
    transitions=[
        Transition("endorse", "proposed", "endorsed"),
        Transition("convene", "endorsed", "shadow"),
        Transition("reconsider", ACTIVE, "reconsidered"),
        Transition(
            "reaffirm",
            "reconsidered",
            PREVIOUS,
            guards=[every_partner(Kind.REAFFIRM, since_entered=True)],
        ),
        Transition("end", ("proposed", *ACTIVE, "reconsidered"), "ended"),
    ],
)


def step(registry: Registry, id_: str, kind: Kind, actor: str = "LGA", **fields: object) -> None:
    day = dt.date(2013, 1, 1) + dt.timedelta(days=len(registry.log))
    if kind is Kind.PROPOSE:
        fields["terms"] = TERMS
    registry.apply(
        Decision(
            id=id_,
            body="b",
            kind=kind,
            actor=actor,
            decided=When.on(day),
            source=Source("t"),
            **fields,  # type: ignore[arg-type]
        )
    )


def reconsider_and_reaffirm(registry: Registry, n: int) -> None:
    step(registry, f"r{n}", Kind.REQUEST_RECONSIDERATION, trigger="reconsider")
    step(registry, f"x{n}", Kind.REAFFIRM, "APCC")
    step(registry, f"y{n}", Kind.REAFFIRM, "LGA", trigger="reaffirm")


class TestGoingBack:
    def test_one_trigger_returns_to_each_origin_and_the_entry_records_where(self) -> None:
        registry = Registry(LIFECYCLE)
        step(registry, "p", Kind.PROPOSE)
        step(registry, "e", Kind.AGREE, trigger="endorse")
        reconsider_and_reaffirm(registry, 1)
        assert registry.body("b").state == "endorsed"
        step(registry, "c", Kind.AGREE, trigger="convene")
        reconsider_and_reaffirm(registry, 2)
        body = registry.body("b")
        assert body.state == "shadow"
        assert body.history == (
            "proposed",
            "endorsed",
            "reconsidered",
            "endorsed",
            "shadow",
            "reconsidered",
            "shadow",
        )
        backs = [e for e in registry.log if e.decision.trigger == "reaffirm"]
        assert [(e.before, e.after) for e in backs] == [
            ("reconsidered", "endorsed"),
            ("reconsidered", "shadow"),
        ]

    def test_replay_recomputes_the_way_back_and_equals_the_live_bodies(self) -> None:
        registry = Registry(LIFECYCLE)
        step(registry, "p", Kind.PROPOSE)
        step(registry, "e", Kind.AGREE, trigger="endorse")
        step(registry, "c", Kind.AGREE, trigger="convene")
        reconsider_and_reaffirm(registry, 1)
        assert replay(LIFECYCLE, list(registry.log)) == dict(registry.bodies)
        again = Registry(LIFECYCLE, log=AuditLog(LIFECYCLE.fingerprint, registry.log))
        assert again.body("b") == registry.body("b")

    def test_the_explanation_names_the_state_it_would_return_to(self) -> None:
        registry = Registry(LIFECYCLE)
        step(registry, "p", Kind.PROPOSE)
        step(registry, "e", Kind.AGREE, trigger="endorse")
        step(registry, "r", Kind.REQUEST_RECONSIDERATION, trigger="reconsider")
        option = registry.explain("b").option("reaffirm")
        assert option is not None
        assert option.dest == "endorsed"
        assert "reaffirm -> endorsed: blocked" in str(registry.explain("b"))

    def test_its_guards_must_pass_as_any_others(self) -> None:
        registry = Registry(LIFECYCLE)
        step(registry, "p", Kind.PROPOSE)
        step(registry, "e", Kind.AGREE, trigger="endorse")
        step(registry, "r", Kind.REQUEST_RECONSIDERATION, trigger="reconsider")
        with pytest.raises(GuardFailed, match="awaiting reaffirmation from: LGA, APCC"):
            step(registry, "y", Kind.AGREE, "LGA", trigger="reaffirm")
        assert registry.body("b").state == "reconsidered"

    def test_the_diagram_draws_a_way_back_to_each_origin(self) -> None:
        diagram = LIFECYCLE.mermaid()
        assert "reconsidered --> endorsed: reaffirm" in diagram
        assert "reconsidered --> shadow: reaffirm" in diagram
        assert "@previous" not in diagram

    def test_the_description_says_previous(self) -> None:
        (back,) = [t for t in LIFECYCLE.describe()["transitions"] if t["trigger"] == "reaffirm"]  # type: ignore[index, union-attr]
        assert back["dest"] == "@previous"


class TestBuilding:
    def test_the_name_is_reserved_for_states(self) -> None:
        with pytest.raises(LifecycleError, match="state name '@previous' is reserved"):
            Lifecycle(
                states=["a", PREVIOUS], initial="a", transitions=[Transition("go", "a", PREVIOUS)]
            )

    def test_a_way_back_from_an_initial_state_nothing_leads_into(self) -> None:
        with pytest.raises(LifecycleError, match="goes back from the initial state 'a'"):
            Lifecycle(
                states=["a", "b"],
                initial="a",
                transitions=[Transition("go", "a", "b"), Transition("back", "a", PREVIOUS)],
            )

    def test_a_body_never_moved_has_nowhere_to_go_back_to(self) -> None:
        loop = Lifecycle(
            states=["a", "b"],
            initial="a",
            transitions=[
                Transition("go", "a", "b"),
                Transition("again", "b", "a"),
                Transition("back", ("a", "b"), PREVIOUS),
            ],
        )
        registry = Registry(loop)
        step(registry, "p", Kind.PROPOSE)
        assert registry.explain("b").option("back") is None
        with pytest.raises(TriggerNotAllowed):
            step(registry, "x", Kind.AGREE, trigger="back")
        step(registry, "g", Kind.AGREE, trigger="go")
        step(registry, "k", Kind.AGREE, trigger="back")
        assert registry.body("b").history == ("a", "b", "a")
