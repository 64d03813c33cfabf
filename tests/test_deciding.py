"""The pure step of deciding, called directly: every argument and every field it passes on.

``govflow.rules.decide`` is what ``Registry.apply`` and replay both call. These tests
pin what each of its functions returns and raises, so that a change to an argument
passed along (a recorded mandate, the schema-1 rules, a decision's date) is caught
here rather than only through the registry.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from govflow import (
    Authority,
    DecisionKind,
    Delegation,
    Kind,
    Lifecycle,
    Registry,
    Target,
    Transition,
    When,
    replay,
)
from govflow.errors import (
    BodyExists,
    GuardError,
    GuardFailed,
    InvalidRecord,
    NotAccepted,
    NotAuthorised,
    OutOfOrder,
    StaleTerms,
    TriggerNotAllowed,
    UnknownBody,
    UnknownDecision,
    UnknownState,
)
from govflow.guards import not_before
from govflow.model.authority import Mandate
from govflow.model.body import Body
from govflow.model.verdict import Reason, Verdict
from govflow.rules.advice import advice
from govflow.rules.decide import (
    _lapsed,
    admit,
    admitted,
    decide,
    mandate,
    only_adds_a_fact,
    propose,
    record,
)
from govflow.rules.explain import Explanation, Option, evaluate
from govflow.rules.kinds import check_delegation
from govflow.rules.prospects import explain

from .helpers import TERMS, make

D = dt.date
START = D(2013, 1, 1)


class Motion(DecisionKind):
    """A kind no lifecycle here declares."""

    VOTE = "vote"


#: draft accepts agreement only; review accepts endorsement; 'open' waits for 1 March 2013.
LIFECYCLE = Lifecycle(
    name="deciding",
    states=["draft", "review", "done"],
    initial="draft",
    final=["done"],
    kinds=[Kind.PROPOSE, Kind.AGREE, Kind.ENDORSE, Kind.NOTE, Kind.RESCIND],
    accepts={"draft": [Kind.AGREE], "review": [Kind.ENDORSE]},
    transitions=[
        Transition("open", "draft", "review", guards=[not_before(D(2013, 3, 1))]),
        Transition("close", "review", "done"),
    ],
)


#: Every state accepts every kind.
OPEN = Lifecycle(
    name="open",
    states=["draft", "done"],
    initial="draft",
    final=["done"],
    transitions=[Transition("close", "draft", "done")],
)


def proposed(lifecycle: Lifecycle = LIFECYCLE) -> Body:
    """Body ``b``, proposed by LGA on 1 January 2013 as entry 0."""
    return propose(lifecycle, make("p", Kind.PROPOSE, "LGA", 0), 0).body


class TestMandateWithoutAuthorities:
    RECORDED = Mandate("LGA", "LGA")

    def test_a_recorded_mandate_equal_to_the_computed_one_is_returned_as_it_is(self) -> None:
        decision = make("a", Kind.AGREE, "LGA", 1)
        assert mandate(None, decision, None, self.RECORDED) is self.RECORDED
        assert mandate(None, decision, None) == self.RECORDED

    @pytest.mark.parametrize(
        "recorded",
        [Mandate("APCC", "LGA"), Mandate("LGA", "APCC"), Mandate("LGA", "LGA", "APCC")],
    )
    def test_a_recorded_mandate_that_differs_in_any_field_is_not_taken(
        self, recorded: Mandate
    ) -> None:
        computed = mandate(None, make("a", Kind.AGREE, "LGA", 1), None, recorded)
        assert computed == self.RECORDED
        assert computed is not recorded

    def test_a_decision_on_behalf_of_another_counts_for_it(self) -> None:
        decision = make("a", Kind.AGREE, "LGA Executive", 1, on_behalf_of="LGA")
        assert mandate(None, decision, None) == Mandate("LGA Executive", "LGA")


def _delegation(actor: str, to: str, kinds: list[Kind], start: D, end: D | None = None) -> object:
    return make(
        f"d-{actor}-{to}-{start}",
        Kind.DELEGATE,
        actor,
        0,
        delegation=Delegation(to, kinds, start, end),
    )


class TestLapsedDelegations:
    def test_each_window_that_misses_the_date_is_named_with_its_delegator_and_dates(
        self,
    ) -> None:
        late = make("n", Kind.NOMINATE, "Officers", 200)  # 20 July 2013
        delegations = [
            _delegation("LGA", "Officers", [Kind.NOMINATE], D(2013, 1, 1), D(2013, 2, 1)),
            _delegation("APCC", "Officers", [Kind.NOMINATE], D(2014, 1, 1)),
            _delegation("LGA", "Others", [Kind.NOMINATE], D(2013, 1, 1), D(2013, 2, 1)),
            _delegation("LGA", "Officers", [Kind.AGREE], D(2013, 1, 1), D(2013, 2, 1)),
            _delegation("LGA", "Officers", [Kind.NOMINATE], D(2013, 1, 1)),  # in force
            make("x", Kind.AGREE, "LGA", 0),  # not a delegation
        ]
        assert _lapsed(delegations, "Officers", late) == (  # type: ignore[arg-type]
            "LGA, 2013-01-01 to 2013-02-01",
            "APCC, 2014-01-01 to open",
        )


class TestAdmit:
    def test_a_kind_the_state_does_not_accept_is_refused_with_every_field(self) -> None:
        body = proposed()
        with pytest.raises(NotAccepted) as caught:
            admit(LIFECYCLE, body, START, make("e", Kind.ENDORSE, "LGA", 1), None, legacy=False)
        e = caught.value
        assert (e.decision_id, e.body, e.state, e.kind) == ("e", "b", "draft", "endorse")
        assert (e.accepted, e.declared) == (("agree",), True)
        assert str(e) == (
            "Decision 'e' on body 'b' was refused: state 'draft' does not accept an "
            "'endorse' decision; it accepts: agree."
        )

    def test_a_kind_the_lifecycle_does_not_know_is_refused_even_under_schema_1(self) -> None:
        for legacy in (False, True):
            with pytest.raises(NotAccepted) as caught:
                admit(
                    LIFECYCLE,
                    proposed(),
                    START,
                    make("v", Motion.VOTE, "LGA", 1),
                    None,
                    legacy=legacy,
                )
            assert (caught.value.kind, caught.value.declared) == ("vote", False)
            assert caught.value.accepted == ("agree",)

    def test_under_schema_1_every_state_accepts_every_known_kind(self) -> None:
        decision = make("e", Kind.ENDORSE, "LGA", 1)
        granted = admit(LIFECYCLE, proposed(), START, decision, None, legacy=True)
        assert granted == Mandate("LGA", "LGA")

    def test_a_note_and_a_correction_are_taken_in_any_state(self) -> None:
        body = proposed()
        note = make("n", Kind.NOTE, "LGA", 1, reasons=("noted",))
        rescind = make("r", Kind.RESCIND, "LGA", 1, supersedes="p")
        for decision in (note, rescind):
            assert admit(LIFECYCLE, body, START, decision, None, legacy=False).actor == "LGA"

    def test_a_mandate_already_held_is_passed_on_when_it_is_the_decisions(self) -> None:
        known = Mandate("LGA", "LGA")
        decision = make("a", Kind.AGREE, "LGA", 1)
        assert admit(LIFECYCLE, proposed(), START, decision, known, legacy=False) is known
        fact, granted, _ = admitted(
            LIFECYCLE, proposed(), START, decision, 1, known=known, legacy=False
        )
        assert granted is known
        assert fact.organisation == "LGA"
        # Another actor's, or the same actor's under another power, is not the one.
        for other in (Mandate("APCC", "APCC"), Mandate("LGA", "LGA", "APCC")):
            granted = admit(LIFECYCLE, proposed(), START, decision, other, legacy=False)
            assert granted == known
            assert granted is not other

    def test_a_decision_ending_before_the_floor_is_out_of_order_with_every_field(self) -> None:
        with pytest.raises(OutOfOrder) as caught:
            admit(
                LIFECYCLE,
                proposed(),
                D(2013, 2, 1),
                make("a", Kind.AGREE, "LGA", 30),  # 31 January
                None,
                legacy=False,
            )
        e = caught.value
        assert (e.decision_id, e.body, e.decided, e.floor) == ("a", "b", "2013-01-31", "2013-02-01")


class TestAdmitted:
    def test_the_floor_moves_to_the_latest_start(self) -> None:
        body = proposed()
        span = When.between(D(2013, 2, 1), D(2013, 3, 1))
        for floor, decided, after in [
            (D(2013, 1, 1), span, D(2013, 2, 1)),  # later start: moves
            (D(2013, 2, 1), span, D(2013, 2, 1)),  # the same start
            (D(2013, 2, 15), span, D(2013, 2, 15)),  # an earlier start, still in order
        ]:
            decision = make("a", Kind.AGREE, "LGA", 0, decided=decided)
            assert admitted(LIFECYCLE, body, floor, decision, 1, legacy=False)[2] == after

    def test_a_note_orders_nothing(self) -> None:
        note = make("n", Kind.NOTE, "LGA", 100, reasons=("noted",))
        assert admitted(LIFECYCLE, proposed(), START, note, 1, legacy=False)[2] == START


class TestRecordAndDecide:
    def test_record_keeps_the_date_the_body_entered_its_state(self) -> None:
        body = proposed()
        moved, granted = record(
            LIFECYCLE, body, make("a", Kind.AGREE, "LGA", 5), 1, tentative=False, legacy=False
        )
        assert (moved.entered, moved.entered_on, moved.state) == (0, body.entered_on, "draft")
        assert moved.entered_on == When.on(START)
        assert granted == Mandate("LGA", "LGA")
        assert [f.decision.id for f in moved.facts] == ["p", "a"]

    @pytest.mark.parametrize("legacy", [False, True])
    def test_record_and_decide_take_schema_1_rules_when_asked(self, legacy: bool) -> None:  # noqa: FBT001
        endorse = make("e", Kind.ENDORSE, "LGA", 1)
        early = make("e2", Kind.ENDORSE, "LGA", 1, trigger="open")
        steps = [
            lambda: record(LIFECYCLE, proposed(), endorse, 1, tentative=False, legacy=legacy)[0],
            lambda: decide(LIFECYCLE, proposed(), endorse, 1, legacy=legacy).body,
        ]
        for step in steps:
            if legacy:  # under schema 1, draft takes an endorsement
                assert [f.decision.id for f in step().facts] == ["p", "e"]
            else:
                with pytest.raises(NotAccepted):
                    step()
        # With a trigger, schema 1 gets as far as the guards.
        with pytest.raises(GuardFailed if legacy else NotAccepted):
            decide(LIFECYCLE, proposed(), early, 1, legacy=legacy)

    def test_by_default_decide_takes_the_states_accepts(self) -> None:
        with pytest.raises(NotAccepted):
            decide(LIFECYCLE, proposed(), make("e", Kind.ENDORSE, "LGA", 1), 1)

    def test_a_proposal_for_a_body_that_exists_names_both(self) -> None:
        with pytest.raises(BodyExists) as caught:
            decide(LIFECYCLE, proposed(), make("p2", Kind.PROPOSE, "LGA", 1), 1)
        assert (caught.value.decision_id, caught.value.body) == ("p2", "b")
        assert str(caught.value) == (
            "Decision 'p2' on body 'b' was refused: body 'b' already exists; "
            "a proposal creates a body only once."
        )

    def test_a_decision_on_no_body_names_both(self) -> None:
        with pytest.raises(UnknownBody) as caught:
            decide(LIFECYCLE, None, make("a", Kind.AGREE, "LGA", 1), 1)
        assert (caught.value.decision_id, caught.value.body) == ("a", "b")

    def test_only_a_decision_on_an_existing_body_can_only_add_a_fact(self) -> None:
        agree = make("a", Kind.AGREE, "LGA", 1)
        assert only_adds_a_fact(proposed(), agree) is True
        assert only_adds_a_fact(None, agree) is False
        assert only_adds_a_fact(proposed(), attrs.evolve(agree, trigger="open")) is False

    def test_a_checked_kind_without_a_trigger_keeps_the_state(self) -> None:
        handed = Delegation("O", [Kind.AGREE], START)
        delegation = make("d", Kind.DELEGATE, "LGA", 1, delegation=handed)
        outcome = decide(OPEN, proposed(OPEN), delegation, 1)
        assert (outcome.before, outcome.after, outcome.verdicts) == ("draft", "draft", ())

    def test_a_proposal_on_later_terms_records_their_version(self) -> None:
        later = attrs.evolve(TERMS, version=3)
        outcome = propose(LIFECYCLE, make("p", Kind.PROPOSE, "LGA", 0, terms=later), 0)
        assert outcome.body.facts[0].terms_version == 3
        assert outcome.terms_version == 3

    def test_a_proposal_records_its_terms_version(self) -> None:
        outcome = propose(LIFECYCLE, make("p", Kind.PROPOSE, "LGA", 0), 7)
        assert outcome.body.facts[0].terms_version == TERMS.version
        assert (outcome.before, outcome.after, outcome.terms_version) == (None, "draft", 1)
        assert (outcome.body.entered, outcome.body.floor) == (7, START)

    def test_a_decision_without_a_trigger_keeps_the_state(self) -> None:
        outcome = decide(LIFECYCLE, proposed(), make("a", Kind.AGREE, "LGA", 3), 1)
        assert (outcome.before, outcome.after, outcome.verdicts) == ("draft", "draft", ())
        assert outcome.body.floor == D(2013, 1, 4)

    def test_a_trigger_the_state_does_not_have_names_every_field(self) -> None:
        with pytest.raises(TriggerNotAllowed) as caught:
            decide(LIFECYCLE, proposed(), make("a", Kind.AGREE, "LGA", 1, trigger="close"), 1)
        e = caught.value
        assert (e.decision_id, e.body, e.trigger, e.state, e.allowed) == (
            "a",
            "b",
            "close",
            "draft",
            ("open",),
        )

    def test_guards_are_evaluated_at_the_decisions_date(self) -> None:
        early = make("a", Kind.AGREE, "LGA", 1, trigger="open")  # 2 January
        with pytest.raises(GuardFailed) as caught:
            decide(LIFECYCLE, proposed(), early, 1)
        e = caught.value
        assert (e.decision_id, e.body, e.trigger) == ("a", "b", "open")
        assert [r.code for r in e.reasons] == ["too_early"]
        assert e.explanation.on == early.decided
        assert e.explanation.state == "draft"
        assert [f.decision.id for f in proposed().facts] == ["p"]
        unrecorded = "Nothing was recorded, not even this decision (to record it alone, give it "
        unrecorded += "without its trigger). "
        assert str(e).endswith(e.reasons[0].message + ". " + unrecorded + _advice(e))
        late = make("a", Kind.AGREE, "LGA", 60, trigger="open")  # 2 March
        outcome = decide(LIFECYCLE, proposed(), late, 1)
        assert (outcome.before, outcome.after) == ("draft", "review")
        assert (outcome.body.entered, outcome.body.entered_on) == (1, late.decided)


def _advice(error: GuardFailed) -> str:
    return advice(error.reasons)


class TestExplainAssuming:
    def test_a_decision_about_another_body_is_refused_with_every_field(self) -> None:
        other = make("x", Kind.AGREE, "LGA", 1, body="c")
        with pytest.raises(InvalidRecord) as caught:
            explain(LIFECYCLE, proposed(), assuming=other)
        e = caught.value
        assert (e.record, e.field, e.expected, e.received) == (
            "explain",
            "assuming",
            "a decision about body 'b'",
            "c",
        )
        assert str(e) == (
            "explain.assuming must be a decision about body 'b', but 'c' was given; "
            "explain each body with its own decisions."
        )

    def test_a_trigger_the_state_does_not_allow_is_refused_as_deciding_refuses_it(self) -> None:
        # The answer left the trigger out, though applying the decision is refused.
        body = proposed()
        closing = make("c", Kind.AGREE, "LGA", 60, trigger="close")  # from review only
        with pytest.raises(TriggerNotAllowed) as decided:
            decide(LIFECYCLE, body, closing, 1)
        with pytest.raises(TriggerNotAllowed) as explained:
            explain(LIFECYCLE, body, assuming=closing)
        assert str(explained.value) == str(decided.value)
        assert (explained.value.trigger, explained.value.state) == ("close", "draft")

    def test_by_default_it_is_evaluated_at_the_assumed_decisions_date(self) -> None:
        assumed = make("a", Kind.AGREE, "LGA", 60)  # 2 March: open's date has passed
        answer = explain(LIFECYCLE, proposed(), assuming=assumed, seq=1)
        assert answer.on == assumed.decided
        assert answer.possible == ("open",)
        on = When.on(START)
        assert explain(LIFECYCLE, proposed(), on, assuming=assumed).on == on
        assert explain(LIFECYCLE, proposed(), on, assuming=assumed).possible == ()

    def test_the_assumed_decision_is_counted_with_its_sequence_number(self) -> None:
        assumed = make("a", Kind.AGREE, "LGA", 60)
        body, _ = record(LIFECYCLE, proposed(), assumed, 5, tentative=True, legacy=False)
        assert body.facts[-1].seq == 5

    def test_a_span_is_evaluated_as_the_span_not_its_first_day(self) -> None:
        span = When.between(D(2013, 2, 20), D(2013, 3, 10))
        answer = explain(
            LIFECYCLE, proposed(), assuming=make("a", Kind.AGREE, "LGA", 0, decided=span)
        )
        assert answer.on == span

    def test_without_a_decision_it_is_evaluated_at_the_bodys_floor(self) -> None:
        assert explain(LIFECYCLE, proposed()).on == When.on(START)
        on = When.on(D(2013, 3, 1))
        assert explain(LIFECYCLE, proposed(), on).on == on


def test_a_power_the_actor_lacks_is_named() -> None:
    lifecycle = Lifecycle(
        states=["draft", "done"],
        initial="draft",
        transitions=[Transition("close", "draft", "done")],
        authorities=[Authority("LGA", "LGA", may=[Kind.PROPOSE])],
    )
    body = propose(lifecycle, make("p", Kind.PROPOSE, "LGA", 0), 0).body
    with pytest.raises(NotAuthorised) as caught:
        decide(lifecycle, body, make("a", Kind.AGREE, "LGA", 1), 1)
    assert (caught.value.why, caught.value.lapsed) == ("power", ())


class TestWhatSomeKindsNeed:
    """Each refusal of :mod:`govflow.rules.kinds`, with its fields and its words."""

    @staticmethod
    def body() -> Body:
        """Body ``b`` with an agreement ``a`` (entry 1) and a delegation ``d`` (entry 2)."""
        body = proposed(OPEN)
        for seq, decision in enumerate(
            [
                make("a", Kind.AGREE, "LGA", 1),
                make("d", Kind.DELEGATE, "LGA", 1, delegation=Delegation("O", [Kind.AGREE], START)),
            ],
            start=1,
        ):
            body = decide(OPEN, body, decision, seq).body
        return body

    @pytest.mark.parametrize(
        ("decision", "target", "why"),
        [
            (
                make("r", Kind.RESCIND, "LGA", 2, supersedes="zz"),
                "zz",
                "no decision with that id counts on this body (unknown, or already superseded)",
            ),
            (
                make("r", Kind.RESCIND, "LGA", 2, supersedes="p"),
                "p",
                "a propose decision cannot be superseded",
            ),
            (
                make("r", Kind.REVOKE, "LGA", 2, supersedes="a"),
                "a",
                "a revocation names a delegation",
            ),
            (
                make("r", Kind.ENDORSE, "LGA", 2, supersedes="a"),
                "a",
                "a correction must be of the same kind as what it corrects (agree)",
            ),
            (
                make("r", Kind.RATIFY, "LGA", 2, ratifies=("a",)),
                "a",
                "it is not a provisional resolution awaiting ratification",
            ),
            (
                make("r", Kind.RATIFY, "LGA", 2, ratifies=("zz",)),
                "zz",
                "no decision with that id counts on this body (unknown, or superseded)",
            ),
        ],
    )
    def test_a_decision_naming_what_it_may_not_is_refused_in_words(
        self, decision: object, target: str, why: str
    ) -> None:
        before = self.body()
        with pytest.raises(UnknownDecision) as caught:
            decide(OPEN, before, decision, 3)  # type: ignore[arg-type]
        e = caught.value
        assert (e.decision_id, e.body, e.target) == ("r", "b", target)
        verb = "ratifies" if decision.kind is Kind.RATIFY else "supersedes"  # type: ignore[attr-defined]
        assert str(e) == f"Decision 'r' on body 'b' was refused: it {verb} {target!r}, but {why}."
        assert [f.decision.id for f in before.facts] == ["p", "a", "d"]

    def test_a_target_state_the_lifecycle_lacks_is_named(self) -> None:
        nowhere = make("t", Kind.TARGET, "LGA", 2, target=Target("nowhere", When.year(2014)))
        with pytest.raises(UnknownState) as caught:  # a refusal, as any other decide gives
            decide(OPEN, self.body(), nowhere, 3)
        e = caught.value
        assert (e.decision_id, e.body, e.state, e.code) == ("t", "b", "nowhere", "unknown_state")
        assert e.states == tuple(s.name for s in OPEN.states)
        assert str(e) == (
            "Decision 't' on body 'b' was refused: it targets 'nowhere', not a state of: "
            + ", ".join(repr(s.name) for s in OPEN.states)
            + "."
        )

    def test_an_amendment_must_carry_the_next_terms_version(self) -> None:
        stale = make("m", Kind.AMEND, "LGA", 2, terms=attrs.evolve(TERMS, version=3))
        with pytest.raises(StaleTerms) as caught:
            decide(OPEN, self.body(), stale, 3)
        e = caught.value
        assert (e.decision_id, e.body, e.current, e.given) == ("m", "b", 1, 3)
        amended = attrs.evolve(TERMS, version=2, title="Renamed")
        after = decide(OPEN, self.body(), attrs.evolve(stale, terms=amended), 3).body
        assert after.terms == amended

    def test_without_authorities_any_delegation_is_taken(self) -> None:
        check_delegation(
            None, make("d", Kind.DELEGATE, "X", 1, delegation=Delegation("Y", [Kind.AGREE], START))
        )
        assert self.body().delegations[0].delegation == Delegation("O", [Kind.AGREE], START)

    def test_an_authority_for_some_bodies_delegates_its_power_on_them(self) -> None:
        local = {
            "LGA": Authority("LGA", "LGA", may=[Kind.AGREE, Kind.DELEGATE], bodies=["b"]),
            "O": Authority("O", "LGA", may=[]),
        }
        decision = make(
            "d", Kind.DELEGATE, "LGA", 1, delegation=Delegation("O", [Kind.AGREE], START)
        )
        check_delegation(local, decision)
        with pytest.raises(NotAuthorised) as caught:
            check_delegation(local, attrs.evolve(decision, body="c"))
        assert (caught.value.why, caught.value.kind) == ("power to delegate", Kind.AGREE)


class TestExplanationWords:
    ON = When.on(D(2013, 1, 1))

    def test_what_a_guard_used_and_what_awaits_ratification_are_listed(self) -> None:
        blocked = Option("open", "review", (Verdict.fail("g", Reason("x", {}, "first")),))
        said = str(
            Explanation(
                "b",
                "draft",
                self.ON,
                (blocked,),
                unratified=("r1", "r2"),
                used=(("open", "vote_end", "2013-04-30"), ("open", "quorum", "3")),
            )
        ).splitlines()
        assert said == [
            "b is draft (as of 2013-01-01)",
            "  open -> review: blocked",
            "    - first",
            "    using: vote_end = 2013-04-30; quorum = 3",
            "  awaiting ratification: r1, r2",
        ]

    def test_a_guard_that_returns_neither_a_bool_nor_a_verdict_fails_in_words(self) -> None:
        def five(body: object, on: object) -> object:
            return 5

        verdict = evaluate(five, proposed(), self.ON)  # type: ignore[arg-type]
        assert not verdict.passed
        (reason,) = verdict.reasons
        assert (reason.code, dict(reason.params)) == ("guard_error", {"guard": "five"})
        assert reason.message == "Guard 'five' returned 5; a guard must return a bool or a Verdict."

    def test_a_guard_that_raises_fails_in_words_naming_it(self) -> None:
        def boom(body: object, on: object) -> bool:
            raise KeyError("k")

        (reason,) = evaluate(boom, proposed(), self.ON).reasons  # type: ignore[arg-type]
        assert reason.message.startswith("Guard 'boom' raised KeyError: 'k'; ")

    def test_a_guard_that_exits_fails_in_words_and_stops_no_command(self) -> None:
        """``sys.exit`` in a guard ended ``govflow status`` silently, exit code 4."""

        def leaves(body: object, on: object) -> bool:
            raise SystemExit(4)

        (reason,) = evaluate(leaves, proposed(), self.ON).reasons  # type: ignore[arg-type]
        assert reason.message.startswith("Guard 'leaves' raised SystemExit: 4; ")
        with pytest.raises(GuardError, match="Guard 'leaves' raised SystemExit"):
            evaluate(leaves, proposed(), self.ON, strict=True)  # type: ignore[arg-type]

    def test_a_guard_whose_exception_cannot_be_read_still_fails_in_words(self) -> None:
        class Unreadable(Exception):
            def __str__(self) -> str:
                raise RuntimeError

        def boom(body: object, on: object) -> bool:
            raise Unreadable

        (reason,) = evaluate(boom, proposed(), self.ON).reasons  # type: ignore[arg-type]
        assert reason.message.startswith(
            "Guard 'boom' raised Unreadable: (its message could not be read); "
        )

    def test_a_date_that_can_never_pass_asks_nothing_more(self) -> None:
        for code in ("date_out_of_range", "too_late"):
            assert not advice([Reason(code, {}, "m")]).endswith("Then ask for the trigger again.")
        assert advice([Reason("x", {}, "m")]).endswith("Then ask for the trigger again.")

    def test_before_its_proposal_a_body_is_explained_as_not_yet_existing(self) -> None:
        body = proposed()
        answer = explain(LIFECYCLE, body, When.year(2012))
        assert (answer.state, answer.options) == ("draft", ())
        assert answer.proposed == body.facts[0].decision.decided


class TestAWrongDateSuperseded:
    """A decision dated 2204 for 2024 set the body's order for ever: nothing could undo it."""

    def registry(self) -> Registry:
        registry = Registry(OPEN)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        registry.apply(make("typo", Kind.AGREE, "LGA", 0, decided=When.day(2204, 3, 4)))
        with pytest.raises(OutOfOrder):  # what follows it in time is refused, as it should be
            registry.apply(make("next", Kind.AGREE, "APCC", 65))
        return registry

    def test_a_rescission_is_ordered_against_the_others_and_lowers_the_order(self) -> None:
        registry = self.registry()
        registry.apply(make("r", Kind.RESCIND, "LGA", 64, supersedes="typo"))
        assert registry.body("b").floor == dt.date(2013, 3, 6)  # the rescission's own day
        registry.apply(make("next", Kind.AGREE, "APCC", 65))
        with pytest.raises(OutOfOrder):  # the others still order what comes after
            registry.apply(make("late", Kind.AGREE, "APCC", 10))
        assert replay(OPEN, registry.log) == dict(registry.bodies)

    def test_a_correction_takes_its_own_date_in_the_order(self) -> None:
        registry = self.registry()
        registry.apply(make("fixed", Kind.AGREE, "LGA", 62, supersedes="typo"))
        assert registry.body("b").floor == dt.date(2013, 3, 4)
        registry.apply(make("next", Kind.AGREE, "APCC", 65))
        assert [f.decision.id for f in registry.body("b").facts] == ["p", "fixed", "next"]
        assert replay(OPEN, registry.log) == dict(registry.bodies)

    def test_a_note_and_the_others_still_set_the_order(self) -> None:
        registry = Registry(OPEN)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        registry.apply(make("a", Kind.AGREE, "LGA", 30))
        registry.apply(make("b2", Kind.AGREE, "APCC", 40))
        with pytest.raises(OutOfOrder):  # superseding 'a' leaves 'b2' (day 40) in the order
            registry.apply(make("r", Kind.RESCIND, "LGA", 35, supersedes="a"))


def test_superseding_the_proposal_is_refused_as_before_whatever_the_dates() -> None:
    # Ordering a decision against the body's others but the one it supersedes found no
    # other when that one was the proposal: max() of nothing, a ValueError.
    registry = Registry(OPEN)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    with pytest.raises(UnknownDecision, match="a propose decision cannot be superseded"):
        registry.apply(make("r", Kind.RESCIND, "LGA", 1, supersedes="p"))
