"""Built-in guards and plain-function guards, with their reasons and evidence."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import attrs
import pytest

from govflow import (
    Body,
    GuardError,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    Reason,
    Registry,
    State,
    Transition,
    Verdict,
    When,
)
from govflow.guards import (
    DecidedBy,
    Votes,
    any_partner,
    budget_agreed,
    came_from,
    decided_by,
    every_partner,
    meeting_held,
    named,
    nominations_from_every_partner,
    not_before,
    votes,
    within,
)
from govflow.guards.protocol import guard_name
from govflow.rules.explain import evaluate

from .helpers import LIFECYCLE, make

ON = When.day(2013, 6, 1)


def body_with(*decisions: tuple[str, Kind, str, dict[str, object]]) -> Body:
    registry = Registry(LIFECYCLE)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    for number, (id_, kind, actor, fields) in enumerate(decisions, 1):
        registry.apply(make(id_, kind, actor, number, **fields))
    return registry.body("b")


class TestDecidedBy:
    def test_all_of_passes_with_every_authority_and_cites_their_entries(self) -> None:
        body = body_with(("x", Kind.AGREE, "LGA", {}), ("y", Kind.AGREE, "APCC", {}))
        verdict = decided_by(Kind.AGREE, ["LGA", "APCC"])(body, ON)
        assert verdict == Verdict("agree by all of: LGA, APCC", passed=True, evidence=(1, 2))

    def test_all_of_fails_naming_every_missing_authority(self) -> None:
        body = body_with(("x", Kind.AGREE, "APCC", {}))
        verdict = decided_by(Kind.AGREE, ["LGA", "APCC", "PCCs"])(body, ON)
        assert not verdict.passed
        assert verdict.evidence == (1,)
        assert verdict.reasons == (
            Reason(
                "awaiting_decisions",
                {
                    "kinds": ("agree",),
                    "missing": ("LGA", "PCCs"),
                    "needed": 3,
                    "have": 1,
                    "stale": (),
                },
                "awaiting agreement from: LGA, PCCs",
            ),
        )

    def test_a_decision_on_behalf_of_an_authority_counts_for_it(self) -> None:
        body = body_with(("x", Kind.ENDORSE, "LGA Executive", {"on_behalf_of": "LGA"}))
        assert decided_by(Kind.ENDORSE, ["LGA"])(body, ON).passed
        assert decided_by(Kind.ENDORSE, ["LGA Executive"])(body, ON).passed

    def test_a_decision_of_another_kind_does_not_count(self) -> None:
        body = body_with(("x", Kind.NOMINATE, "LGA", {}))
        assert not decided_by(Kind.AGREE, ["LGA"])(body, ON).passed

    def test_k_of_n_passes_at_k(self) -> None:
        guard = decided_by(Kind.AGREE, ["LGA", "APCC", "PCCs"], at_least=2)
        assert not guard(body_with(("x", Kind.AGREE, "LGA", {})), ON).passed
        both = body_with(("x", Kind.AGREE, "LGA", {}), ("y", Kind.AGREE, "PCCs", {}))
        assert guard(both, ON) == Verdict(
            "agree by 2 of: LGA, APCC, PCCs", passed=True, evidence=(1, 2)
        )

    def test_k_of_n_says_how_many_more_are_needed(self) -> None:
        guard = decided_by(Kind.AGREE, ["LGA", "APCC", "PCCs"], at_least=2)
        verdict = guard(body_with(("x", Kind.AGREE, "LGA", {})), ON)
        assert [r.message for r in verdict.reasons] == [
            "awaiting agreement from 1 more of: APCC, PCCs"
        ]

    def test_several_kinds_may_count(self) -> None:
        body = body_with(("x", Kind.AGREE, "APCC", {}), ("y", Kind.ENDORSE, "LGA", {}))
        assert every_partner([Kind.AGREE, Kind.ENDORSE])(body, ON).passed
        verdict = every_partner([Kind.AGREE, Kind.ENDORSE])(body_with(), ON)
        assert verdict.reasons[0].message == "awaiting agreement or endorsement from: LGA, APCC"

        # Kinds given as a set are sorted: the guard, its name and its fingerprint are one
        # whatever order the set iterates in.
        class Backwards(frozenset[Kind]):
            def __iter__(self) -> Iterator[Kind]:
                return iter(sorted(super().__iter__(), key=str, reverse=True))

        backwards = Backwards({Kind.AGREE, Kind.ENDORSE})
        assert list(backwards) == [Kind.ENDORSE, Kind.AGREE]
        assert every_partner(backwards) == every_partner([Kind.AGREE, Kind.ENDORSE])

    def test_partners_come_from_the_body_terms(self) -> None:
        body = body_with(("x", Kind.AGREE_BUDGET, "LGA", {}))
        verdict = budget_agreed()(body, ON)
        assert verdict.reasons[0].message == "awaiting budget agreement from: APCC"
        assert verdict.guard == "budget agreed by every partner"

    def test_any_partner_needs_only_one(self) -> None:
        body = body_with(("x", Kind.END, "APCC", {}))
        assert any_partner(Kind.END)(body, ON).passed

    def test_a_rescinded_decision_no_longer_counts(self) -> None:
        body = body_with(
            ("x", Kind.AGREE, "LGA", {}), ("r", Kind.RESCIND, "LGA", {"supersedes": "x"})
        )
        assert not decided_by(Kind.AGREE, ["LGA"])(body, ON).passed

    def test_a_recommendation_cannot_be_counted_as_a_decision(self) -> None:
        with pytest.raises(InvalidRecord, match="a recommendation satisfies no guard"):
            decided_by(Kind.RECOMMEND, ["LGA"])

    @pytest.mark.parametrize(
        ("authorities", "at_least", "message"),
        [
            ([], None, "authorities must be a list of authority names"),
            ("LGA", None, "authorities must be a list of authority names"),
            ([1], None, "authorities must be a list of authority names"),
            (["LGA", "LGA"], None, "authorities must be a list of authority names"),
            (["LGA"], 2, "at_least must be None or a whole number from 1 to 1"),
            (["LGA"], 0, "at_least must be None or a whole number from 1 to 1"),
            (["LGA"], True, "at_least must be None or a whole number from 1 to 1"),
        ],
    )
    def test_bad_arguments_say_what_was_wrong(
        self, authorities: list[str], at_least: int | None, message: str
    ) -> None:
        with pytest.raises(InvalidRecord, match=message):
            decided_by(Kind.AGREE, authorities, at_least=at_least)

    @pytest.mark.parametrize(
        ("kinds", "said"),
        [
            ([], r"kinds must be a kind of decision"),
            (3, r"kinds must be a kind of decision"),
            # An item that is no kind is named where it stands, a near miss suggested.
            ("no such kind", r"kinds must be one of: .* but 'no such kind' was given"),
            ("agre", r"kinds must be one of: .* but 'agre' was given; did you mean 'agree'\?"),
            ([Kind.AGREE, None], r"kinds\[1\] must be one of: .* but None was given"),
            (["agree", "endorsd"], r"kinds\[1\] must be .* did you mean 'endorse'\?"),
        ],
    )
    def test_no_kinds_or_unknown_ones_are_refused(self, kinds: object, said: str) -> None:
        with pytest.raises(InvalidRecord, match=said):
            decided_by(kinds, ["LGA"])  # type: ignore[arg-type]

    def test_the_other_guards_check_their_arguments(self) -> None:
        with pytest.raises(InvalidRecord, match=r"NotBefore\.day must be a datetime\.date"):
            not_before("2024-01-01")  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match=r"MeetingHeld\.meeting"):
            meeting_held("")
        with pytest.raises(InvalidRecord, match=r"CameFrom\.state"):
            came_from(None)  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match="since_entered must be True or False"):
            every_partner(Kind.AGREE, since_entered="yes")  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match="name must be None or a non-empty text"):
            any_partner(Kind.AGREE, name=3)  # type: ignore[arg-type]


def test_a_reason_reads_as_its_message() -> None:
    assert str(Reason("c", {}, "awaiting meeting: AGM")) == "awaiting meeting: AGM"


def test_nominations_from_every_partner_names_the_partner_still_to_nominate() -> None:
    body = body_with(("n", Kind.NOMINATE, "LGA", {"nominees": ["Cllr A"]}))
    verdict = nominations_from_every_partner()(body, ON)
    assert verdict.guard == "nominations from every partner"
    assert [r.message for r in verdict.reasons] == ["awaiting nominations from: APCC"]
    assert verdict.reasons[0].param("missing") == ("APCC",)


class TestMeetingHeld:
    def test_passes_once_the_named_meeting_is_recorded(self) -> None:
        body = body_with(("m", Kind.HOLD_MEETING, "LGA", {"meeting": "shadow meeting"}))
        assert meeting_held("shadow meeting")(body, ON) == Verdict(
            "meeting held: shadow meeting", passed=True, evidence=(1,)
        )

    def test_another_meeting_does_not_count(self) -> None:
        body = body_with(("m", Kind.HOLD_MEETING, "LGA", {"meeting": "inaugural"}))
        verdict = meeting_held("shadow meeting")(body, ON)
        assert verdict.reasons == (
            Reason(
                "awaiting_meeting",
                {"meeting": "shadow meeting"},
                "awaiting meeting: shadow meeting",
            ),
        )


class TestNotBefore:
    def test_a_month_passes_from_its_first_day_only(self) -> None:
        body = body_with()
        april = When.month(2013, 4)
        assert not_before(dt.date(2013, 4, 1))(body, april).passed
        assert not not_before(dt.date(2013, 4, 2))(body, april).passed

    def test_the_failure_gives_both_dates(self) -> None:
        verdict = not_before(dt.date(2013, 4, 1))(body_with(), When.month(2013, 3))
        assert verdict.reasons == (
            Reason(
                "too_early",
                {"not_before": "2013-04-01", "decided": "2013-03"},
                "not before 2013-04-01: 2013-03 is earlier",
            ),
        )


class TestCameFrom:
    def test_compares_the_previous_state(self) -> None:
        body = body_with(
            ("a", Kind.AGREE, "APCC", {}), ("e", Kind.ENDORSE, "LGA", {"trigger": "endorse"})
        )
        assert came_from("proposed")(body, ON).passed
        verdict = came_from("shadow")(body, ON)
        assert verdict.reasons[0].message == "the body came from proposed, not from shadow"

    def test_a_body_with_no_previous_state_came_from_nowhere(self) -> None:
        verdict = came_from("shadow")(body_with(), ON)
        assert dict(verdict.reasons[0].params) == {"expected": "shadow", "actual": ""}


class TestPlainFunctions:
    def test_a_true_function_passes_under_its_name(self) -> None:
        def quorum_present(body: Body, on: When) -> bool:
            return True

        assert evaluate(quorum_present, body_with(), ON) == Verdict("quorum_present", passed=True)

    def test_a_false_function_fails_with_its_name_as_the_reason(self) -> None:
        def quorum_present(body: Body, on: When) -> bool:
            return False

        verdict = evaluate(quorum_present, body_with(), ON)
        assert verdict.reasons == (
            Reason("guard_failed", {"guard": "quorum_present"}, "quorum_present"),
        )

    def test_a_guard_returning_something_else_is_a_typed_error(self) -> None:
        def sloppy(body: Body, on: When) -> bool:
            return "yes"  # type: ignore[return-value]

        with pytest.raises(GuardError, match="must return a bool or a Verdict") as error:
            evaluate(sloppy, body_with(), ON, strict=True)
        assert (error.value.guard, error.value.returned) == ("sloppy", "yes")
        verdict = evaluate(sloppy, body_with(), ON)
        assert (verdict.passed, verdict.reasons[0].code) == (False, "guard_error")
        assert verdict.reasons[0].param("guard") == "sloppy"

    def test_a_verdict_citing_an_entry_after_the_body_latest_fact_is_a_guard_error(
        self,
    ) -> None:
        """Evidence names entries of the body's facts: one past the latest cannot be."""
        body = body_with(("x", Kind.AGREE, "LGA", {}))  # facts at entries 0 and 1

        def cites(seq: int) -> Callable[[Body, When], Verdict]:
            def checked(body: Body, on: When) -> Verdict:
                return Verdict("checked", passed=True, evidence=(0, seq))

            return checked

        assert evaluate(cites(1), body, ON, strict=True).evidence == (0, 1)
        with pytest.raises(GuardError, match="cites entry 2 as evidence, after the body's "
                           r"latest fact \(entry 1\)") as error:  # fmt: skip
            evaluate(cites(2), body, ON, strict=True)
        assert (error.value.guard, error.value.latest) == ("checked", 1)
        verdict = evaluate(cites(999_999), body, ON)
        assert (verdict.passed, verdict.reasons[0].code) == (False, "guard_error")
        assert "cites entry 999999" in verdict.reasons[0].message
        # A body built by hand may hold its facts in another order: the latest counts.
        shuffled = attrs.evolve(body, facts=list(reversed(body.facts)))
        assert evaluate(cites(1), shuffled, ON, strict=True).evidence == (0, 1)
        with pytest.raises(GuardError, match=r"latest fact \(entry 1\)"):
            evaluate(cites(2), shuffled, ON, strict=True)


class TestAGuardThatRaises:
    """A user's guard that raises: a GuardError for its own transition, a reason elsewhere."""

    @staticmethod
    def lifecycle() -> tuple[Lifecycle, Registry]:
        @named("broken")
        def broken(body: Body, on: When) -> bool:
            return 1 // 0 > 0

        lifecycle = Lifecycle(
            name="committee",
            states=["drafted", State("adopted"), "dropped"],
            initial="drafted",
            final=["adopted", "dropped"],
            transitions=[
                Transition("adopt", ["drafted"], "adopted", guards=[broken]),
                Transition(
                    "drop", ["drafted"], "dropped", guards=[decided_by(Kind.END, ["chair"])]
                ),
            ],
        )
        registry = Registry(lifecycle)
        registry.apply(make("p", Kind.PROPOSE, "chair", 0, body="c"))
        return lifecycle, registry

    def test_its_own_transition_is_a_guard_error_naming_it_and_nothing_changes(self) -> None:
        _, registry = self.lifecycle()
        before = (list(registry.log), registry.body("c"))
        with pytest.raises(GuardError, match="'broken' raised ZeroDivisionError") as error:
            registry.apply(make("a", Kind.AGREE, "chair", 1, body="c", trigger="adopt"))
        assert isinstance(error.value.raised, ZeroDivisionError)
        assert isinstance(error.value.__cause__, ZeroDivisionError)
        assert (list(registry.log), registry.body("c")) == before

    def test_other_transitions_and_explanations_carry_on(self) -> None:
        _, registry = self.lifecycle()
        explanation = registry.explain("c")
        (reason,) = explanation.blocked["adopt"]
        assert (reason.code, reason.param("guard")) == ("guard_error", "broken")
        assert "ZeroDivisionError" in reason.message
        # The other transition is refused for its own reason, not the broken guard's.
        with pytest.raises(GuardFailed) as refused:
            registry.apply(make("d", Kind.AGREE, "chair", 1, body="c", trigger="drop"))
        assert [r.code for r in refused.value.reasons] == ["awaiting_decisions"]
        assert "ZeroDivisionError" in str(refused.value.explanation)
        assert registry.waiting_on("chair") != ()
        entry = registry.apply(make("d2", Kind.END, "chair", 2, body="c", trigger="drop"))
        assert entry.after == "dropped"

    def test_a_guard_without_a_name_is_known_by_its_repr(self) -> None:
        class Anonymous:
            def __call__(self, body: Body, on: When) -> bool:
                return True

        assert guard_name(Anonymous()).startswith("<")


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: DecidedBy(kinds="agree", authorities=("A",)), "DecidedBy.kinds"),  # type: ignore[arg-type]
        (lambda: DecidedBy((Kind.AGREE,), 5), "DecidedBy.authorities"),  # type: ignore[arg-type]
        (lambda: DecidedBy((Kind.AGREE,), ("A", "A")), "DecidedBy.authorities"),
        (lambda: DecidedBy((Kind.AGREE,), ("A",), at_least=5), "DecidedBy.at_least"),
        (lambda: DecidedBy((Kind.AGREE,), ("A",), at_least="x"), "DecidedBy.at_least"),  # type: ignore[arg-type]
        (lambda: DecidedBy((Kind.AGREE,), None, since_entered=1), "DecidedBy.since_entered"),  # type: ignore[arg-type]
        (lambda: DecidedBy((Kind.AGREE,), None, label=" "), "DecidedBy.label"),  # its field
        (lambda: DecidedBy((Kind.AGREE,), None, within="May"), "DecidedBy.within"),  # type: ignore[arg-type]
        (lambda: Votes((Kind.AGREE,), None, majority=True, label=""), "votes.name"),
        (lambda: Votes((Kind.AGREE,), None, majority=True, within=3), "votes.within"),  # type: ignore[arg-type]
        (
            lambda: DecidedBy((Kind.AGREE,), ("A",), within=within(since_entered=True)),
            "DecidedBy.within",  # decided_by holds it as since_entered: one fingerprint
        ),
        (lambda: Votes((Kind.AGREE,), ("A", "B")), "votes.rules"),
        (lambda: Votes((Kind.AGREE,), ("A", "B"), share=(1, 0)), "votes.share"),
        (lambda: Votes((Kind.AGREE,), ("A", "B"), share=(3, 2)), "votes.share"),
        (lambda: Votes((Kind.AGREE,), ("A",), for_at_least=2), "votes.for_at_least"),
        (lambda: Votes((Kind.AGREE,), "AB", majority=True), "votes.voters"),  # type: ignore[arg-type]
        (lambda: Votes((Kind.AGREE,), None, majority=1), "votes.majority"),  # type: ignore[arg-type]
    ],
)
def test_a_guard_class_called_directly_is_checked_as_its_builder_checks(
    build: Callable[[], object], field: str
) -> None:
    # The classes are exported: a Votes with no rule passed on a single vote, and a
    # DecidedBy needing 5 of 1 authority waited for ever, each built without a word.
    with pytest.raises(InvalidRecord, match=re.escape(field)):
        build()


def test_the_classes_built_directly_equal_what_the_builders_make() -> None:
    assert DecidedBy((Kind.AGREE,), ("A", "B"), 1) == decided_by(Kind.AGREE, ["A", "B"], at_least=1)
    made = votes(Kind.AGREE, ["A", "B"], majority=True, quorum=2)
    assert Votes((Kind.AGREE,), ("A", "B"), majority=True, quorum=2) == made
