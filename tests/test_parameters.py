"""A body's own parameters: typed values in its terms that guards use by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from govflow import (
    Decision,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    Reason,
    Registry,
    Source,
    Terms,
    Transition,
    When,
    replay,
)
from govflow.guards import entered, not_after, not_before, param, votes
from govflow.model.terms import Parameter
from govflow.stores import JsonlStore

D = dt.date
VOTING = Lifecycle(
    states=["proposed", "voting", "closed"],
    initial="proposed",
    transitions=[
        Transition("open", "proposed", "voting", guards=[not_before(param("vote_start"))]),
        Transition("close", "voting", "closed", guards=[not_before(param("vote_end", days=1))]),
    ],
)


def terms(**parameters: object) -> Terms:
    return Terms(title="Proposal", partners=("A", "B"), parameters=parameters)


def d(id_: str, body: str, kind: Kind, day: D, **fields: object) -> Decision:
    return Decision(
        id=id_,
        body=body,
        kind=kind,
        actor="A",
        decided=When.on(day),
        source=Source("t"),
        **fields,  # type: ignore[arg-type]
    )


class TestTerms:
    def test_parameters_are_typed_and_sorted_by_name(self) -> None:
        made = terms(vote_end=D(2013, 4, 30), quorum=4, clerk="Ms Smith")
        assert made.parameters == (
            Parameter("clerk", text="Ms Smith"),
            Parameter("quorum", number=4),
            Parameter("vote_end", day=D(2013, 4, 30)),
        )
        assert made.parameter("vote_end") == D(2013, 4, 30)
        assert made.parameter("quorum") == 4
        assert made.parameter("nothing") is None

    @pytest.mark.parametrize(
        "bad",
        [{"x": 1.5}, {"x": True}, {"x": dt.datetime(2013, 1, 1)}, {"x": None}, {"": 1}, {3: 1}],
    )
    def test_a_bad_parameter_names_it(self, bad: dict[object, object]) -> None:
        with pytest.raises(InvalidRecord, match=r"Terms\.parameters"):
            Terms(title="T", partners=("A",), parameters=bad)  # type: ignore[arg-type]

    def test_a_parameter_holds_exactly_one_value(self) -> None:
        with pytest.raises(InvalidRecord, match=r"Terms\.parameters\.x"):
            Parameter("x", day=D(2013, 1, 1), number=3)
        with pytest.raises(InvalidRecord, match=r"Terms\.parameters\.x"):
            Parameter("x")

    def test_parameters_must_be_a_mapping(self) -> None:
        with pytest.raises(InvalidRecord, match="a mapping of name to value"):
            Terms(title="T", partners=("A",), parameters=[("x", 1)])  # type: ignore[arg-type]


class TestOneLifecycleManyBodies:
    def test_each_body_is_held_to_its_own_dates_on_both_sides(self) -> None:
        registry = Registry(VOTING)
        for body, start in (("early", D(2013, 3, 1)), ("late", D(2013, 5, 1))):
            registry.apply(
                d(
                    f"p-{body}",
                    body,
                    Kind.PROPOSE,
                    D(2013, 1, 1),
                    terms=terms(vote_start=start, vote_end=start + dt.timedelta(days=14)),
                )
            )
        registry.apply(d("o-early", "early", Kind.AGREE, D(2013, 3, 1), trigger="open"))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("o-late", "late", Kind.AGREE, D(2013, 4, 30), trigger="open"))
        (reason,) = error.value.reasons
        assert reason.message == ("not before 2013-05-01 (vote_start): 2013-04-30 is earlier")
        assert "A decision dated on or after 2013-05-01 can take it." in str(error.value)
        registry.apply(d("o-late", "late", Kind.AGREE, D(2013, 5, 1), trigger="open"))
        with pytest.raises(GuardFailed, match=r"not before 2013-03-16 \(1 day after vote_end\)"):
            registry.apply(d("c-early", "early", Kind.AGREE, D(2013, 3, 15), trigger="close"))
        registry.apply(d("c-early", "early", Kind.AGREE, D(2013, 3, 16), trigger="close"))
        assert registry.body("early").state == "closed"
        assert registry.body("late").state == "voting"

    def test_a_body_without_the_parameter_cannot_pass(self) -> None:
        registry = Registry(VOTING)
        registry.apply(d("p", "b", Kind.PROPOSE, D(2013, 1, 1), terms=terms()))
        verdict = registry.explain("b").option("open").verdicts[0]  # type: ignore[union-attr]
        assert verdict.reasons[0].code == "parameter_missing"
        assert verdict.reasons[0].message == "the body's terms give no parameter vote_start (a day)"
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("o", "b", Kind.AGREE, D(2013, 2, 1), trigger="open"))
        assert str(error.value).endswith(
            "Give the body's terms the parameter vote_start (a day) by amending them. "
            "Then ask for the trigger again."
        )

    def test_a_parameter_that_is_not_a_day_is_named_with_its_value(self) -> None:
        registry = Registry(VOTING)
        registry.apply(d("p", "b", Kind.PROPOSE, D(2013, 1, 1), terms=terms(vote_start=3)))
        option = registry.explain("b").option("open")
        assert option is not None
        assert not option.possible
        assert option.reasons[0].message == "the body's parameter vote_start is 3, not a day"

    def test_parameters_are_logged_read_back_and_replayed(self, tmp_path: Path) -> None:
        store = JsonlStore(tmp_path / "v.jsonl", VOTING.fingerprint)
        registry = Registry(VOTING, log=store)
        made = terms(vote_start=D(2013, 3, 1), vote_end=D(2013, 3, 14), quorum=3)
        registry.apply(d("p", "b", Kind.PROPOSE, D(2013, 1, 1), terms=made))
        registry.apply(d("o", "b", Kind.AGREE, D(2013, 3, 1), trigger="open"))
        read = list(JsonlStore(tmp_path / "v.jsonl"))
        assert read[0].decision.terms == made
        assert replay(VOTING, read) == dict(registry.bodies)

    def test_the_guard_names_the_parameter(self) -> None:
        assert not_after(param("vote_end")).name == "not after vote_end"
        assert not_before(param("vote_end", days=-2)).name == "not before 2 days before vote_end"
        with pytest.raises(InvalidRecord):
            param("")
        with pytest.raises(InvalidRecord):
            param("x", days=1.5)  # type: ignore[arg-type]


class TestNumbersFromParameters:
    QUEUE = Lifecycle(
        states=["proposed", "queued", "done"],
        initial="proposed",
        transitions=[
            Transition("queue", "proposed", "queued"),
            Transition("run", "queued", "done", guards=[not_before(entered(days=param("delay")))]),
        ],
    )

    def queued(self, **parameters: object) -> Registry:
        registry = Registry(self.QUEUE)
        registry.apply(d("p", "b", Kind.PROPOSE, D(2013, 1, 1), terms=terms(**parameters)))
        registry.apply(d("q", "b", Kind.AGREE, D(2013, 1, 10), trigger="queue"))
        return registry

    def test_a_delay_in_days_from_the_body_s_parameters_on_both_sides(self) -> None:
        registry = self.queued(delay=3)
        option = registry.explain("b", D(2013, 1, 12)).option("run")
        assert option is not None
        assert not option.possible
        assert option.reasons[0].message == (
            "not before 2013-01-13 (delay days after entering the current state): "
            "2013-01-12 is earlier"
        )
        assert registry.explain("b", D(2013, 1, 13)).possible == ("run",)
        assert self.queued(delay=5).explain("b", D(2013, 1, 14)).possible == ()

    def test_a_delay_the_terms_do_not_give_is_named(self) -> None:
        for registry, said in (
            (self.queued(), "the body's terms give no parameter delay (a whole number of days)"),
            (
                self.queued(delay="soon"),
                "the body's parameter delay is 'soon', not a whole number of days",
            ),
        ):
            option = registry.explain("b", D(2014, 1, 1)).option("run")
            assert option is not None
            assert option.reasons[0].message == said

    def test_explain_shows_the_values_the_guards_used(self) -> None:
        explanation = self.queued(delay=3).explain("b", D(2013, 1, 12))
        # The day, and the number of days the terms give (it showed the day alone).
        assert explanation.used == (
            ("run", "delay days after entering the current state", "2013-01-13"),
            ("run", "delay", "3"),
        )
        assert (
            "    using: delay days after entering the current state = 2013-01-13; delay = 3"
            in str(explanation)
        )
        for registry, value in (
            (self.queued(), "not given"),
            (self.queued(delay="soon"), "'soon'"),
        ):
            used = registry.explain("b", D(2013, 1, 12)).used
            assert used[-1] == ("run", "delay", value)

    def test_a_quorum_from_the_body_s_parameters(self) -> None:
        council = Lifecycle(
            states=["open", "carried"],
            initial="open",
            transitions=[
                Transition(
                    "carry",
                    "open",
                    "carried",
                    guards=[votes(Kind.AGREE, majority=True, quorum=param("quorum"))],
                )
            ],
        )
        registry = Registry(council)
        partners = ("A", "B", "C")
        made = Terms(title="Council", partners=partners, parameters={"quorum": 3})
        registry.apply(d("p", "b", Kind.PROPOSE, D(2013, 1, 1), terms=made))
        for n, who in enumerate(partners[:2]):
            registry.apply(
                Decision(
                    id=f"v{n}",
                    body="b",
                    kind=Kind.AGREE,
                    actor=who,
                    decided=When.on(D(2013, 1, 2)),
                    source=Source("t"),
                )
            )
        explanation = registry.explain("b")
        assert explanation.blocked["carry"][0].message.startswith(
            "2 for, 0 against, 0 abstaining of 3: needs a quorum of 3 taking part"
        )
        assert ("carry", "quorum", "3") in explanation.used
        assert (
            council.transitions[0].guards[0].name
            == "agree by partners: a majority of those voting, a quorum of quorum"
        )  # type: ignore[union-attr]


def _counted_from_k() -> Registry:
    """A registry of a motion carried by ``k`` votes for, ``k`` a parameter of its terms."""
    guard = votes(Kind.AGREE, for_at_least=param("k"))
    council = Lifecycle(
        states=["open", "carried"],
        initial="open",
        transitions=[Transition("carry", "open", "carried", guards=[guard])],
    )
    return Registry(council)


def test_a_count_the_terms_do_not_give_is_an_unmet_rule() -> None:
    registry = _counted_from_k()
    registry.apply(d("p", "b", Kind.PROPOSE, D(2013, 1, 1), terms=terms()))
    explanation = registry.explain("b")
    reasons = explanation.blocked["carry"]
    assert [r.code for r in reasons] == ["parameter_missing"]  # no vote is asked for in vain
    assert (
        reasons[0].message == "the body's terms give no parameter k (a whole number of 1 or more)"
    )
    assert ("carry", "k", "not given") in explanation.used


@pytest.mark.parametrize("k", [0, -5])
def test_a_count_below_one_from_the_terms_passes_nothing(k: int) -> None:
    """``for_at_least=param("k")`` with k = 0 would pass with no vote cast: it is refused."""
    registry = _counted_from_k()
    made = Terms(title="Council", partners=("A", "B"), parameters={"k": k})
    registry.apply(d("p", "b", Kind.PROPOSE, D(2013, 1, 1), terms=made))
    with pytest.raises(GuardFailed) as refused:
        registry.apply(d("r", "b", Kind.RESOLVE, D(2013, 1, 2), trigger="carry"))
    (reason,) = refused.value.reasons
    assert reason.code == "parameter_missing"
    assert reason.message == f"the body's parameter k is {k}, not a whole number of 1 or more"
    assert registry.body("b").state == "open"
    assert len(registry.log) == 1


def _agreed_within(window: Any, given: dict[str, object]) -> Reason:
    """The one reason an agreement counted within ``window`` is blocked, on terms ``given``."""
    from govflow.guards import decided_by  # noqa: PLC0415

    council = Lifecycle(
        states=["open", "done"],
        initial="open",
        transitions=[
            Transition("t", "open", "done", guards=[decided_by(Kind.AGREE, ["A"], within=window)])
        ],
    )
    registry = Registry(council)
    made = Terms(title="Council", partners=("A",), parameters=given)
    registry.apply(d("p", "b", Kind.PROPOSE, D(2013, 1, 1), terms=made))
    registry.apply(d("a", "b", Kind.AGREE, D(2013, 1, 2)))
    (reason,) = registry.explain("b").blocked["t"]
    return reason


@pytest.mark.parametrize("given", [{"q": "soon"}, {"q": 5}, {}])
def test_a_window_whose_parameter_is_no_day_says_so_not_that_decisions_are_awaited(
    given: dict[str, object],
) -> None:
    """Its guard counts nothing: the reason is the parameter, not the decisions recorded."""
    from govflow.guards import within  # noqa: PLC0415

    reason = _agreed_within(within(param("q"), param("q", days=10)), given)
    assert (reason.code, reason.param("parameter")) == ("parameter_missing", "q")
    assert "awaiting" not in reason.message


def test_a_window_counted_from_a_state_by_days_the_terms_lack_says_so() -> None:
    """The days a window's anchor adds, read from a parameter the terms do not give."""
    from govflow.guards import within  # noqa: PLC0415

    reason = _agreed_within(within(entered("open", days=param("n")), None), {})
    assert (reason.code, reason.param("parameter")) == ("parameter_missing", "n")
    assert "a whole number of days" in reason.message
