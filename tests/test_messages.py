"""A refusal's advice fits its reasons, and explain says when a body did not exist yet."""

from __future__ import annotations

import datetime as dt

import pytest

from govflow import (
    Authority,
    Decision,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    Registry,
    Source,
    Transition,
    When,
)
from govflow.guards import (
    decided_by,
    entered,
    meeting_held,
    named,
    not_after,
    not_before,
)
from govflow.model.verdict import Reason
from govflow.rules.advice import advice

from .helpers import TERMS


def d(id_: str, kind: Kind, day: dt.date, actor: str = "LGA", **fields: object) -> Decision:
    if kind is Kind.PROPOSE:
        fields["terms"] = TERMS
    return Decision(
        id=id_,
        body="b",
        kind=kind,
        actor=actor,
        decided=When.on(day),
        source=Source("t"),
        **fields,  # type: ignore[arg-type]
    )


def refusal(*guards: object, on: dt.date = dt.date(2013, 5, 1)) -> GuardFailed:
    lifecycle = Lifecycle(
        states=["a", "b"],
        initial="a",
        transitions=[Transition("go", "a", "b", guards=list(guards))],  # type: ignore[arg-type]
    )
    registry = Registry(lifecycle)
    registry.apply(d("p", Kind.PROPOSE, dt.date(2013, 4, 1)))
    with pytest.raises(GuardFailed) as error:
        registry.apply(d("x", Kind.AGREE, on, "Nobody", trigger="go"))
    return error.value


class TestAdvice:
    def test_a_missing_decision_says_who_must_decide(self) -> None:
        error = refusal(decided_by(Kind.ENDORSE, ["LGA", "PCCs"]))
        assert str(error).endswith(
            "awaiting endorsement from: LGA, PCCs. Nothing was recorded, not even this decision "
            "(to record it alone, give it without its trigger). "
            "Record the decisions of LGA, PCCs first. Then ask for the trigger again."
        )

    def test_a_partner_no_declared_authority_decides_for_is_named_as_such(self) -> None:
        """The advice was to record decisions nobody could take: partners named otherwise."""
        from govflow import Authority, Terms  # noqa: PLC0415
        from govflow.guards import every_partner  # noqa: PLC0415

        lifecycle = Lifecycle(
            states=["proposed", "agreed"],
            initial="proposed",
            transitions=[
                Transition("agree", "proposed", "agreed", guards=[every_partner(Kind.AGREE)])
            ],
            authorities=[
                Authority("North Cabinet", "North", [Kind.PROPOSE, Kind.AGREE]),
                Authority("South Cabinet", "South County Council", [Kind.AGREE]),
            ],
        )
        registry = Registry(lifecycle)
        day, source = When.on(dt.date(2025, 1, 6)), Source("minutes")
        registry.apply(Decision(id="p", body="jwc", kind=Kind.PROPOSE, actor="North Cabinet",
                                decided=day, source=source,
                                terms=Terms("JWC", ["North", "South"])))  # fmt: skip
        with pytest.raises(GuardFailed) as error:
            registry.apply(Decision(id="a", body="jwc", kind=Kind.AGREE, actor="North Cabinet",
                                    decided=day, source=source, trigger="agree"))  # fmt: skip
        assert str(error.value).endswith(
            "Record the decisions of South first (no declared authority decides for South: "
            "name each partner as its authorities' organisation is named). "
            "Then ask for the trigger again."
        )
        # Asked what can happen next, before any refusal: it said only "awaiting".
        for explained in (registry.explain("jwc"), error.value.explanation):
            assert explained.unspoken == ("South",)
            assert str(explained).endswith(
                "\n  no declared authority decides for: South (name each partner in the "
                "terms as its authorities' organisation is named)"
            )
        misspelt = Terms("JWC", ["North", "Suoth County Council"])
        registry.apply(Decision(id="p2", body="jwc2", kind=Kind.PROPOSE, actor="North Cabinet",
                                decided=day, source=source, terms=misspelt))  # fmt: skip
        assert registry.explain("jwc2").unspoken == ("Suoth County Council",)
        with pytest.raises(GuardFailed) as error:
            registry.apply(Decision(id="a2", body="jwc2", kind=Kind.AGREE, actor="North Cabinet",
                                    decided=day, source=source, trigger="agree"))  # fmt: skip
        assert "did you mean 'South County Council' for 'Suoth County Council'?" in str(error.value)
        lifecycle_without = Lifecycle(states=["proposed"], initial="proposed", transitions=[])
        plain = Registry(lifecycle_without)
        plain.apply(Decision(id="p", body="b", kind=Kind.PROPOSE, actor="Anyone", decided=day,
                             source=source, terms=Terms("B", ["Anyone Else"])))  # fmt: skip
        assert plain.explain("b").unspoken == ()  # no authorities declared: any name counts

    def test_a_date_says_when_it_will_pass(self) -> None:
        error = refusal(not_before(entered(days=40)))
        assert str(error).endswith(
            "A decision dated on or after 2013-05-11 can take it. Then ask for the trigger again."
        )

    def test_a_lapsed_date_says_its_time_ran_out_and_not_to_ask_again(self) -> None:
        error = refusal(not_after(dt.date(2013, 4, 30)))
        assert str(error).endswith(
            "Its time ran out on 2013-04-30: no decision dated later can take it."
        )
        assert "ask for the trigger again" not in str(error)

    def test_several_reasons_each_get_their_advice_once_in_order(self) -> None:
        error = refusal(
            not_before(dt.date(2013, 6, 1)),
            meeting_held("consultation"),
            decided_by(Kind.AGREE, ["APCC"]),
            decided_by(Kind.ENDORSE, ["APCC"]),
        )
        assert str(error).endswith(
            "A decision dated on or after 2013-06-01 can take it. "
            "Record the meeting consultation as held first. "
            "Record the decisions of APCC first. "
            "Then ask for the trigger again."
        )

    def test_a_plain_guard_gets_general_advice(self) -> None:
        error = refusal(named("quorum")(lambda body, on: False))
        assert str(error).endswith("Meet its conditions first. Then ask for the trigger again.")

    @pytest.mark.parametrize(
        ("reason", "said"),
        [
            (Reason("awaiting_nominations", {"missing": ("APCC",)}, "m"), "nominations from APCC"),
            (Reason("unratified", {"decisions": ("r1", "r2")}, "m"), "Ratify r1, r2 first."),
            (Reason("came_from_elsewhere", {"expected": "shadow"}, "m"), "came from shadow"),
            (Reason("date_unknown", {"anchor": "entering q"}, "m"), "does not have yet"),
            (Reason("guard_error", {"guard": "g"}, "m"), "Meet its conditions first."),
        ],
    )
    def test_each_kind_of_reason(self, reason: Reason, said: str) -> None:
        assert said in advice([reason])

    def test_the_built_in_guards_reasons_all_have_their_own_advice(self) -> None:
        for code in (
            "awaiting_decisions",
            "awaiting_nominations",
            "awaiting_meeting",
            "too_early",
            "too_late",
            "date_unknown",
            "came_from_elsewhere",
            "unratified",
            "awaiting_votes",
            "parameter_missing",
            "date_out_of_range",
        ):
            # With the parameters govflow's guards give (a reason of your own with one
            # of these codes but not its parameters gets the general advice).
            given = {
                "missing": ("A",),
                "meeting": "m",
                "decisions": ("w1",),
                "not_before": "2020-01-01",
                "not_after": "2020-01-01",
                "parameter": "p",
                "expected": "s",
            }
            assert "Meet its conditions" not in advice([Reason(code, given, "m")]), code


class TestExplainBeforeTheBodyExisted:
    def test_it_says_the_body_did_not_exist_yet(self) -> None:
        registry = Registry(
            Lifecycle(states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b")])
        )
        registry.apply(d("p", Kind.PROPOSE, dt.date(2013, 4, 1)))
        early = registry.explain("b", dt.date(2013, 3, 31))
        assert early.proposed == When.on(dt.date(2013, 4, 1))
        assert early.options == ()
        assert str(early) == "b did not exist yet on 2013-03-31: it was proposed 2013-04-01"
        # Its short form too: it said "<Explanation 'b' a on ...>", a state b was never in.
        assert repr(early) == "<Explanation 'b' on 2013-03-31: not yet proposed (2013-04-01)>"
        on_the_day = registry.explain("b", dt.date(2013, 4, 1))
        assert on_the_day.proposed is None
        assert on_the_day.possible == ("go",)

    def test_a_date_that_may_be_after_the_proposal_is_explained(self) -> None:
        registry = Registry(
            Lifecycle(states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b")])
        )
        registry.apply(d("p", Kind.PROPOSE, dt.date(2013, 4, 1)))
        assert registry.explain("b", When.month(2013, 4)).proposed is None
        assert registry.explain("b", When.month(2013, 3)).proposed == When.on(dt.date(2013, 4, 1))


def test_a_kind_misspelt_is_named_where_it_stands_with_the_kind_meant() -> None:
    with pytest.raises(InvalidRecord) as caught:
        Authority("X", "Y", may=[Kind.PROPOSE, "agre"])
    message = str(caught.value)
    assert message.startswith("Authority.may[1] must be one of: propose,")
    assert "but 'agre' was given; did you mean 'agree'? Else a kind of your own" in message
    # A kind of one's own given as text is no near miss: "vote" is no misspelt "note".
    with pytest.raises(InvalidRecord) as caught:
        Authority("X", "Y", may=["vote"])
    assert "did you mean" not in str(caught.value)
    # A set's item is named where it stands in order, the same each run.
    with pytest.raises(InvalidRecord, match=r"Authority\.may\[1\]"):
        Authority("X", "Y", may={"zzz", "agree"})


def test_a_functions_argument_says_to_call_it_again_a_records_field_to_create_it() -> None:
    with pytest.raises(InvalidRecord) as caught:
        decided_by(Kind.AGREE, 5)  # type: ignore[arg-type]
    assert str(caught.value).endswith("correct the argument and call decided_by again.")
    with pytest.raises(InvalidRecord) as caught:
        Authority("X", "", may=[])
    assert str(caught.value).endswith("correct the field and create the Authority again.")
