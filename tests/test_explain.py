"""Explain: what can happen next, and every unmet reason for what cannot."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from govflow import (
    Decision,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    NoSuchBody,
    OutOfOrder,
    Registry,
    Source,
    Terms,
    Transition,
    When,
)
from govflow.errors import BodyExists, DuplicateDecision, NotAccepted
from govflow.rules.prospects import explain

from .helpers import LIFECYCLE, endorse_all, make


def test_lists_every_transition_out_of_the_state_with_its_verdicts(registry: Registry) -> None:
    explanation = registry.explain("b")
    assert (explanation.body, explanation.state) == ("b", "proposed")
    assert [(o.trigger, o.dest, o.possible) for o in explanation.options] == [
        ("endorse", "endorsed", False),
        ("end", "ended", False),
    ]
    assert [r.message for r in explanation.blocked["endorse"]] == [
        "awaiting agreement or endorsement from: LGA, APCC"
    ]


def test_a_possible_transition_has_no_reasons(registry: Registry) -> None:
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    registry.apply(make("b", Kind.AGREE, "LGA", 1))
    explanation = registry.explain("b")
    assert explanation.possible == ("endorse",)
    option = explanation.option("endorse")
    assert option is not None
    assert option.reasons == ()
    assert explanation.option("establish") is None


def test_the_same_answer_as_a_refusal_of_the_same_decision(registry: Registry) -> None:
    endorse_all(registry)
    decision = make("n", Kind.NOMINATE, "LGA", 2, trigger="convene_shadow")
    asked_before = registry.explain("b", assuming=decision)
    with pytest.raises(GuardFailed) as error:
        registry.apply(decision)
    assert error.value.explanation == asked_before
    option = asked_before.option("convene_shadow")
    assert option is not None
    assert error.value.reasons == option.reasons


def test_an_assumed_decision_counts_but_its_trigger_is_not_taken(registry: Registry) -> None:
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    explanation = registry.explain(
        "b", assuming=make("b2", Kind.AGREE, "LGA", 2, trigger="endorse")
    )
    assert explanation.state == "proposed"
    assert explanation.possible == ("endorse",)
    assert registry.body("b").state == "proposed"
    assert len(registry.log) == 2


def test_the_date_defaults_to_the_body_latest_decision_and_may_be_given(registry: Registry) -> None:
    registry.apply(make("a", Kind.AGREE, "APCC", 30))
    assert registry.explain("b").on == When.day(2013, 1, 31)
    assert registry.explain("b", dt.date(2013, 6, 1)).on == When.day(2013, 6, 1)
    assert registry.explain("b", When.month(2013, 6)).on == When.month(2013, 6)


def test_by_default_the_date_is_the_first_on_which_the_state_is_certain(
    registry: Registry,
) -> None:
    """A decision known to a month moves the body for certain only at the month's end.

    The default used to be the month's first day, on which ``as_of`` and an explanation
    asked for that day gave the state before the move.
    """
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    endorsed_in = When.month(2013, 2)
    registry.apply(
        make("e", Kind.ENDORSE, "LGA", 0, decided=endorsed_in, trigger="endorse"),
    )
    explanation = registry.explain("b")
    assert (explanation.state, explanation.on) == ("endorsed", When.day(2013, 2, 28))
    assert str(explanation).startswith("b is endorsed (as of 2013-02-28)")
    as_of = registry.as_of("b", dt.date(2013, 2, 28))
    assert as_of is not None
    assert as_of.state == "endorsed"
    assert registry.explain("b", dt.date(2013, 2, 28)) == explanation
    early = registry.as_of("b", dt.date(2013, 2, 1))
    assert early is not None
    assert early.state == "proposed"  # the first day the old default named
    # A note's date orders nothing: one dated later does not move the day.
    registry.apply(make("n", Kind.NOTE, "LGA", 400, reasons=("a note",)))
    assert registry.explain("b").on == When.day(2013, 2, 28)


def test_explaining_an_unknown_body_is_a_lookup_error(registry: Registry) -> None:
    with pytest.raises(NoSuchBody):
        registry.explain("nope")


def test_an_assumed_decision_about_another_body_is_refused(registry: Registry) -> None:
    with pytest.raises(
        InvalidRecord, match="assuming must be a decision about body 'b', but 'other'"
    ):
        explain(
            LIFECYCLE, registry.body("b"), assuming=make("x", Kind.AGREE, "LGA", 1, body="other")
        )


def test_an_assumed_decision_that_cannot_be_recorded_raises_its_refusal(registry: Registry) -> None:
    registry.apply(make("a", Kind.AGREE, "APCC", 10))
    with pytest.raises(OutOfOrder):
        registry.explain("b", assuming=make("x", Kind.AGREE, "LGA", 1))


def test_an_assumed_decision_with_a_used_id_is_refused_as_apply_refuses_it(
    registry: Registry,
) -> None:
    """Another decision under an applied id: apply refuses it, and so does explain."""
    with pytest.raises(DuplicateDecision):
        registry.apply(make("p", Kind.AGREE, "APCC", 1))
    with pytest.raises(DuplicateDecision):
        registry.explain("b", assuming=make("p", Kind.AGREE, "APCC", 1))


def test_an_assumed_decision_already_applied_counts_once(registry: Registry) -> None:
    agreed = make("a", Kind.AGREE, "APCC", 1)
    registry.apply(agreed)
    assert registry.explain("b", assuming=agreed) == registry.explain("b", agreed.decided)


def test_an_assumed_decision_is_numbered_after_the_body_facts_by_default(
    registry: Registry,
) -> None:
    """It was numbered 0, before every fact: a since_entered guard did not count it."""
    endorse_all(registry)
    body = registry.body("b")
    asked = make("r", Kind.REQUEST_RECONSIDERATION, "LGA", 3)
    numbered = explain(LIFECYCLE, body, assuming=asked, seq=len(registry.log))
    assert explain(LIFECYCLE, body, assuming=asked) == numbered
    assert registry.explain("b", assuming=asked) == numbered
    assert numbered.possible == ("reconsider",)


def test_an_assumed_proposal_of_a_body_that_exists_is_refused(registry: Registry) -> None:
    with pytest.raises(BodyExists):
        registry.apply(make("p2", Kind.PROPOSE, "LGA", 1))
    with pytest.raises(BodyExists):
        registry.explain("b", assuming=make("p2", Kind.PROPOSE, "LGA", 1))


def test_reads_as_text_for_people(registry: Registry) -> None:
    endorse_all(registry)
    assert str(registry.explain("b")) == "\n".join(
        [
            "b is endorsed (as of 2013-01-02)",
            "  convene_shadow -> shadow: blocked",
            "    - awaiting nominations from: LGA, APCC",
            "    - awaiting agreement from: PCCs",
            "  reconsider -> reconsidered: blocked",
            "    - awaiting a request for reconsideration from 1 more of: LGA, APCC",
            "  end -> ended: blocked",
            "    - awaiting a decision to end from 1 more of: LGA, APCC",
        ]
    )


def test_a_possible_transition_reads_as_possible(registry: Registry) -> None:
    endorse_all(registry)
    registry.apply(make("r", Kind.REQUEST_RECONSIDERATION, "APCC", 2))
    assert "  reconsider -> reconsidered: possible" in str(registry.explain("b"))


def test_a_final_state_reads_as_one_nothing_leaves(registry: Registry) -> None:
    registry.apply(make("e", Kind.END, "APCC", 1, trigger="end"))
    said = "nothing can happen next: no transition leads out of this state"
    assert str(registry.explain("b")).endswith(said)
    with pytest.raises(NotAccepted, match="state 'ended' does not accept an 'agree' decision"):
        registry.apply(make("a", Kind.AGREE, "APCC", 2))
    assert registry.explain("b").possible == ()


def test_a_user_guard_whose_uses_fails_is_explained_with_nothing_used() -> None:
    @attrs.frozen
    class Reading:
        """A guard with a method named ``uses`` that is not the built-in guards' one."""

        name: str = "reading"

        def __call__(self, body: object, on: object) -> bool:
            return True

        def uses(self, body: object) -> object:
            raise RuntimeError("not what explain expects")

    lifecycle = Lifecycle(
        states=["open", "shut"],
        initial="open",
        transitions=[Transition("shut", "open", "shut", guards=[Reading()])],
    )
    registry = Registry(lifecycle)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    answer = registry.explain("b")
    assert (answer.possible, answer.used) == (("shut",), ())


def test_a_guard_that_fails_without_a_reason_is_named_in_the_refusal() -> None:
    from govflow import GuardFailed, Lifecycle, Registry, Terms, Transition, Verdict  # noqa: PLC0415
    from govflow.guards import named  # noqa: PLC0415

    silent = named("silent")(lambda body, on: Verdict("silent", passed=False))
    lifecycle = Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b", guards=[silent])]
    )
    registry = Registry(lifecycle)
    registry.apply(make("p", Kind.PROPOSE, "A", 1, body="x", terms=Terms("t", ["A"])))
    with pytest.raises(GuardFailed) as refused:
        registry.apply(make("g", Kind.RESOLVE, "A", 1, body="x", trigger="go"))
    assert "did not pass: silent did not pass, and gave no reason." in str(refused.value)
    (reason,) = refused.value.reasons
    assert (reason.code, reason.param("guard")) == ("no_reason_given", "silent")
    assert registry.explain("x").blocked == {"go": (reason,)}


def test_explaining_or_viewing_a_past_day_shows_the_body_as_it_stood_then() -> None:
    """On a day before a decision applied to the body began, it is as it stood that day."""
    lifecycle = Lifecycle(
        states=["proposed", "established", "under review"],
        initial="proposed",
        transitions=[
            Transition("establish", "proposed", "established"),
            Transition("review", "established", "under review"),
        ],
    )
    registry = Registry(lifecycle)

    def made(id_: str, kind: Kind, day: dt.date, **fields: object) -> Decision:
        return Decision(id=id_, body="jsc", kind=kind, actor="Lead Council",
                        decided=When.on(day), source=Source("minutes", id_), **fields)  # fmt: skip

    terms = Terms("JSC", ["Lead Council"])
    registry.apply(made("p", Kind.PROPOSE, dt.date(2024, 1, 10), terms=terms))
    registry.apply(made("e", Kind.RESOLVE, dt.date(2024, 3, 1), trigger="establish"))
    registry.apply(made("r", Kind.RESOLVE, dt.date(2024, 6, 1), trigger="review"))
    january, april = dt.date(2024, 1, 15), dt.date(2024, 4, 1)
    then = registry.explain("jsc", january)
    assert (then.state, then.possible) == ("proposed", ("establish",))
    assert str(then).startswith("jsc is proposed (as of 2024-01-15)")
    assert registry.explain("jsc", april).state == "established"
    assert registry.explain("jsc").state == "under review"  # by default, as it is
    assert registry.explain("jsc", dt.date(2024, 7, 1)).state == "under review"
    view = registry.view("jsc", january)
    assert repr(view) == "<BodyView 'jsc' proposed on 2024-01-15>"
    html = view._repr_mimebundle_()["text/html"]
    assert "jsc is proposed (as of 2024-01-15)" in html
    assert "nothing can happen next" not in html
    # A state no transition leaves, and not declared final, is not called final.
    now = registry.view("jsc")._repr_mimebundle_()["text/html"]
    assert "nothing can happen next, no transition leads out of this state" in now
    assert "final" not in str(registry.explain("jsc"))
    before = registry.explain("jsc", dt.date(2024, 1, 1))  # before its proposal
    assert before.proposed == When.on(dt.date(2024, 1, 10))
    # The view of that day draws no state: it showed the body's state now highlighted.
    unborn = registry.view("jsc", dt.date(2024, 1, 1))
    assert unborn.state is None
    assert repr(unborn) == "<BodyView 'jsc' not yet proposed on 2024-01-01>"
    shown = unborn._repr_mimebundle_()
    assert "classDef current" not in shown["text/markdown"]
    assert "class under_review current" not in shown["text/markdown"]
    assert "did not exist yet on 2024-01-01" in shown["text/html"]
    assert "class " in registry.view("jsc")._repr_mimebundle_()["text/markdown"]


def test_on_a_day_inside_a_decisions_span_the_body_is_as_it_certainly_stood() -> None:
    """A decision dated to a month has not certainly been taken on a day inside it.

    Explaining or viewing the body on such a day shows it as the decisions certainly
    taken by then leave it, as ``as_of`` does; on the month's last day, with it.
    """
    lifecycle = Lifecycle(
        states=["proposed", "established"],
        initial="proposed",
        transitions=[Transition("establish", "proposed", "established")],
    )
    registry = Registry(lifecycle)
    terms = Terms("JSC", ["Lead Council"])
    said = {"body": "jsc", "actor": "Lead Council", "source": Source("minutes")}
    on_day = When.on(dt.date(2024, 1, 10))
    registry.apply(Decision(id="p", kind=Kind.PROPOSE, decided=on_day, terms=terms, **said))
    march = When.month(2024, 3)
    registry.apply(Decision(id="e", kind=Kind.RESOLVE, decided=march, trigger="establish", **said))
    inside, end = dt.date(2024, 3, 10), dt.date(2024, 3, 31)
    assert registry.as_of("jsc", inside).state == "proposed"  # type: ignore[union-attr]
    assert registry.explain("jsc", inside).state == "proposed"
    assert registry.view("jsc", inside).body.state == "proposed"
    assert registry.explain("jsc", end).state == "established"
    assert registry.explain("jsc").state == "established"


def test_waiting_on_finds_an_authority_by_its_name_or_its_organisation() -> None:
    """Nominations wait on organisations, decided_by on names: either name finds both."""
    from govflow import Authority  # noqa: PLC0415
    from govflow.guards import decided_by, nominations_from_every_partner  # noqa: PLC0415

    councils = ["Northtown", "Westford"]
    lifecycle = Lifecycle(
        states=["proposed", "shadow", "established"],
        initial="proposed",
        authorities=[
            Authority(f"{c} Council", c, may=[Kind.PROPOSE, Kind.NOMINATE, Kind.AGREE])
            for c in councils
        ],
        transitions=[
            Transition("convene", "proposed", "shadow", guards=[nominations_from_every_partner()]),
            Transition("establish", "shadow", "established",
                       guards=[decided_by(Kind.AGREE, [f"{c} Council" for c in councils])]),
        ],
    )  # fmt: skip
    registry = Registry(lifecycle)

    def made(id_: str, kind: Kind, actor: str, **fields: object) -> Decision:
        return Decision(id=id_, body="jsc", kind=kind, actor=actor, source=Source("m", id_),
                        decided=When.on(dt.date(2024, 1, 10)), **fields)  # fmt: skip

    registry.apply(made("p", Kind.PROPOSE, "Northtown Council", terms=Terms("JSC", councils)))
    registry.apply(made("n", Kind.NOMINATE, "Northtown Council", nominees=("A",)))
    for name in ("Westford Council", "Westford"):
        (waiting,) = registry.waiting_on(name)
        assert (waiting.trigger, waiting.reason.code) == ("convene", "awaiting_nominations")
    registry.apply(made("w", Kind.NOMINATE, "Westford Council", nominees=("B",), trigger="convene"))
    for name in ("Westford Council", "Westford"):
        (waiting,) = registry.waiting_on(name)
        assert (waiting.trigger, waiting.reason.code) == ("establish", "awaiting_decisions")
    with pytest.raises(InvalidRecord, match=r"did you mean 'Westford Council'\?"):
        registry.waiting_on("Westfrod Council")


def test_a_printed_explanation_drives_no_terminal() -> None:
    """``print(registry.explain(...))`` showed a name's escape codes and bidi controls raw."""
    evil = "\x1b[2J\x1b[31mOK\x1b[0m\u202e"
    lifecycle = Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go" + evil, "a", "b")]
    )
    registry = Registry(lifecycle)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0, body="b\nforged" + evil))
    text = str(registry.explain("b\nforged" + evil))
    assert text.splitlines() == [
        "b forged?[2J?[31mOK?[0m? is a (as of 2013-01-01)",
        "  go?[2J?[31mOK?[0m? -> b: possible",
    ]
