"""A lifecycle's own kinds, the kinds each state accepts, positions, and tallies of votes."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import attrs
import pytest

from govflow import (
    AuditLog,
    Decision,
    DecisionKind,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    LifecycleError,
    Position,
    Registry,
    ReplayMismatch,
    Source,
    Terms,
    Transition,
    When,
    replay,
)
from govflow.errors import NotAccepted
from govflow.guards import decided_by, votes, within
from govflow.stores import JsonlStore


class Motion(DecisionKind):
    OPEN = "open_voting"
    VOTE = "vote"


MEMBERS = ("A", "B", "C", "D", "E")
TERMS = Terms(title="Council", partners=MEMBERS)


def lifecycle(*guards: object, **settings: object) -> Lifecycle:
    return Lifecycle(
        states=["proposed", "voting", "passed", "defeated"],
        initial="proposed",
        final=["passed", "defeated"],
        kinds=Motion,
        transitions=[
            Transition("open", "proposed", "voting"),
            Transition("pass", "voting", "passed", guards=list(guards)),  # type: ignore[arg-type]
            Transition("defeat", "voting", "defeated"),
        ],
        **settings,  # type: ignore[arg-type]
    )


def d(id_: str, kind: DecisionKind, day: int, actor: str = "A", **fields: object) -> Decision:
    if kind is Kind.PROPOSE:
        fields["terms"] = TERMS
    return Decision(
        id=id_,
        body="m",
        kind=kind,
        actor=actor,
        decided=When.on(dt.date(2013, 1, 1) + dt.timedelta(days=day)),
        source=Source("t"),
        **fields,  # type: ignore[arg-type]
    )


def opened(built: Lifecycle, log: object = None) -> Registry:
    registry = Registry(built, log=log)  # type: ignore[arg-type]
    registry.apply(d("p", Kind.PROPOSE, 0))
    registry.apply(d("o", Motion.OPEN, 1, trigger="open"))
    return registry


class TestDeclaredKinds:
    def test_a_declared_kind_is_decided_counted_and_recorded(self) -> None:
        registry = opened(lifecycle(decided_by(Motion.VOTE, ["A", "B"])))
        registry.apply(d("v1", Motion.VOTE, 2, "A"))
        registry.apply(d("v2", Motion.VOTE, 3, "B", trigger="pass"))
        assert registry.body("m").state == "passed"
        assert registry.log[-1].decision.kind is Motion.VOTE

    def test_a_guard_counting_an_undeclared_kind_is_refused_at_build_time(self) -> None:
        class Other(DecisionKind):
            POLL = "poll"

        with pytest.raises(LifecycleError) as error:
            lifecycle(decided_by(Other.POLL, ["A"]))
        expected = (
            "transition #2 ('pass'): guard #1 counts kind 'poll', which the lifecycle "
            "does not declare (Lifecycle(kinds=...))"
        )
        assert error.value.problems == (expected,)

    def test_a_guard_naming_a_state_or_an_authority_none_has_is_refused_at_build_time(
        self,
    ) -> None:
        # A file's guards were checked so, and the same guards built in Python were not:
        # a misspelt state left a transition waiting for ever.
        from govflow import Authority  # noqa: PLC0415
        from govflow.guards import came_from, entered, not_before  # noqa: PLC0415

        with pytest.raises(LifecycleError) as error:
            lifecycle(not_before(entered("votng", days=3)), came_from("propsed"))
        assert error.value.problems == (
            (
                "transition #2 ('pass'): guard #1 names the state 'votng', which is not one of "
                "the lifecycle's states (did you mean 'voting'?)"
            ),
            (
                "transition #2 ('pass'): guard #2 names the state 'propsed', which is not one of "
                "the lifecycle's states (did you mean 'proposed'?)"
            ),
        )
        declared = [Authority("Ms Adams", "School", may=[Motion.VOTE, Kind.PROPOSE])]
        with pytest.raises(LifecycleError) as error:
            lifecycle(votes(Motion.VOTE, ["Ms Adms"], majority=True), authorities=declared)
        assert error.value.problems == (
            (
                "transition #2 ('pass'): guard #1 names 'Ms Adms', which is no declared "
                "authority's name or organisation (did you mean 'Ms Adams'?)"
            ),
        )
        # A name or an organisation will do; without authorities, any name.
        lifecycle(votes(Motion.VOTE, ["Ms Adams", "School"], majority=True), authorities=declared)
        lifecycle(votes(Motion.VOTE, ["Anyone"], majority=True))

    def test_a_decision_of_an_undeclared_kind_is_refused_naming_it(self) -> None:
        class Other(DecisionKind):
            POLL = "poll"

        registry = opened(lifecycle())
        with pytest.raises(NotAccepted, match="kind 'poll' is not one its lifecycle knows"):
            registry.apply(d("x", Other.POLL, 2))
        assert len(registry.log) == 2

    def test_a_mistyped_kind_fails_where_it_is_written(self) -> None:
        with pytest.raises(AttributeError):
            Motion.VOT  # type: ignore[attr-defined] # noqa: B018
        with pytest.raises(InvalidRecord, match="or a member of a DecisionKind subclass") as err:
            d("x", "vote", 2)
        assert str(err.value).endswith(
            "a kind of your own is declared in a DecisionKind subclass and given as its member, "
            "not as text: Motion.VOTE, after class Motion(DecisionKind): VOTE = 'vote'."
        )
        assert str(inspect.signature(Decision).parameters["kind"]) == "kind: 'DecisionKind | str'"

    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            ("agree", "kind 'agree' is a built-in kind's value; choose another"),
            ("Vote!", "kind 'Vote!' must be a lower-case name"),
        ],
    )
    def test_a_declared_kind_must_be_a_new_lower_case_name(self, value: str, problem: str) -> None:
        bad = DecisionKind("Bad", [("X", value)])  # type: ignore[call-arg]
        with pytest.raises(LifecycleError) as error:
            Lifecycle(states=["a"], initial="a", transitions=[], kinds=bad)
        assert any(p.startswith(problem) for p in error.value.problems)

    def test_kinds_must_be_a_vocabulary(self) -> None:
        with pytest.raises(LifecycleError, match="kinds must be a DecisionKind subclass"):
            Lifecycle(states=["a"], initial="a", transitions=[], kinds="vote")  # type: ignore[arg-type]
        with pytest.raises(LifecycleError, match="is not a member of a DecisionKind subclass"):
            Lifecycle(states=["a"], initial="a", transitions=[], kinds=["vote"])  # type: ignore[list-item]

    def test_a_lifecycle_without_kinds_or_accepts_describes_as_before(self) -> None:
        plain = Lifecycle(states=["a"], initial="a", transitions=[])
        assert "kinds" not in plain.describe()
        assert "accepts" not in plain.describe()
        declared = Lifecycle(states=["a"], initial="a", transitions=[], kinds=Motion)
        assert declared.describe()["kinds"] == ["open_voting", "vote"]
        assert declared.fingerprint != plain.fingerprint

    def test_a_declared_kind_survives_a_store_and_is_replayed(self, tmp_path: Path) -> None:
        built = lifecycle(votes(Motion.VOTE, for_at_least=3))
        store = JsonlStore(tmp_path / "m.jsonl", built.fingerprint)
        registry = opened(built, store)
        for n, member in enumerate(("A", "B", "C")):
            registry.apply(d(f"v{member}", Motion.VOTE, 2 + n, member))
        registry.apply(d("go", Motion.VOTE, 9, "D", position=Position.AGAINST, trigger="pass"))
        again = Registry(built, log=JsonlStore(tmp_path / "m.jsonl"))
        assert again.body("m") == registry.body("m")
        read = list(JsonlStore(tmp_path / "m.jsonl"))
        assert read[-1].decision.kind == Motion.VOTE
        assert read[-1].decision.position is Position.AGAINST
        assert replay(built, read)["m"].state == "passed"

    def test_a_kind_read_back_compares_as_the_docs_say(self, tmp_path: Path) -> None:
        # What DecisionKind's docstring and the guides promise of a kind read from a
        # store: equal to the declared member in every way but identity.
        built = lifecycle()
        registry = opened(built, JsonlStore(tmp_path / "m.jsonl", built.fingerprint))
        registry.apply(d("v", Motion.VOTE, 2, "A"))
        kind = list(JsonlStore(tmp_path / "m.jsonl"))[-1].decision.kind
        assert kind == Motion.VOTE
        assert kind in {Motion.VOTE}
        assert kind in (Motion.VOTE,)
        assert {Motion.VOTE: "counted"}[kind] == "counted"
        match kind:
            case Motion.VOTE:
                matched = True
            case _:
                matched = False
        assert matched
        assert kind is not Motion.VOTE  # hence ``==``, never ``is``


class TestAccepts:
    def test_a_final_state_accepts_only_corrections(self) -> None:
        registry = opened(lifecycle())
        registry.apply(d("x", Motion.VOTE, 2, "A", trigger="defeat"))
        with pytest.raises(NotAccepted) as error:
            registry.apply(d("late", Motion.VOTE, 3, "B"))
        assert (error.value.state, error.value.kind, error.value.accepted) == (
            "defeated",
            "vote",
            (),
        )
        assert "it accepts: only corrections" in str(error.value)
        registry.apply(d("fix", Motion.VOTE, 3, "A", supersedes="x"))  # a correction
        assert registry.body("m").state == "defeated"

    def test_a_state_accepts_only_the_kinds_it_names(self) -> None:
        built = lifecycle(accepts={"proposed": [Motion.OPEN, Kind.AMEND]})
        registry = Registry(built)
        registry.apply(d("p", Kind.PROPOSE, 0))
        with pytest.raises(NotAccepted, match="state 'proposed' does not accept a 'vote'"):
            registry.apply(d("early", Motion.VOTE, 1))
        with pytest.raises(NotAccepted, match="it accepts: amend, open_voting"):
            registry.apply(d("early", Motion.VOTE, 1))
        registry.apply(d("o", Motion.OPEN, 1, trigger="open"))
        registry.apply(d("v", Motion.VOTE, 2))  # voting accepts every kind
        assert built.describe()["accepts"] == {"proposed": ["amend", "open_voting"]}

    def test_accepts_naming_an_unknown_state_or_kind_is_refused(self) -> None:
        class Other(DecisionKind):
            POLL = "poll"

        with pytest.raises(LifecycleError) as error:
            lifecycle(accepts={"limbo": [Kind.AGREE], "voting": [Other.POLL], "passed": "vote"})
        assert error.value.problems == (
            "accepts: 'limbo' is not one of the states",
            "accepts['voting']: <Other.POLL: 'poll'> is not a kind the lifecycle knows",
            "accepts['passed'] must be a list of kinds, not 'vote'",
        )

    def test_a_schema_1_log_decides_and_replays_as_it_was_written(self) -> None:
        built = lifecycle()
        old = AuditLog(built.fingerprint, schema=1)
        registry = Registry(built, log=old)
        registry.apply(d("p", Kind.PROPOSE, 0))
        registry.apply(d("o", Kind.AGREE, 1, trigger="open"))
        registry.apply(d("x", Kind.AGREE, 2, trigger="defeat"))
        registry.apply(d("late", Kind.AGREE, 3, "B"))  # accepted: before the rule
        assert [e.schema for e in old] == [1, 1, 1, 1]
        assert replay(built, list(old))["m"] == registry.body("m")
        with pytest.raises(InvalidRecord, match="schema 1 does not hold it"):
            registry.apply(d("v", Kind.AGREE, 4, position=Position.FOR))
        with pytest.raises(InvalidRecord, match="schema 1 holds no other"):
            registry.apply(d("v", Motion.VOTE, 4))
        assert len(old) == 4

    def test_the_same_entries_under_schema_2_do_not_replay(self) -> None:
        built = lifecycle()
        old = AuditLog(built.fingerprint, schema=1)
        registry = Registry(built, log=old)
        registry.apply(d("p", Kind.PROPOSE, 0))
        registry.apply(d("o", Kind.AGREE, 1, trigger="open"))
        registry.apply(d("x", Kind.AGREE, 2, trigger="defeat"))
        registry.apply(d("late", Kind.AGREE, 3, "B"))
        from govflow.log.entry import seal  # noqa: PLC0415

        entries, prev = [], "0" * 64
        for e in old:
            entries.append(
                seal(
                    seq=e.seq,
                    body=e.body,
                    decision=e.decision,
                    before=e.before,
                    after=e.after,
                    terms_version=e.terms_version,
                    verdicts=e.verdicts,
                    mandate=e.mandate,
                    prev=prev,
                )
            )
            prev = entries[-1].hash
        with pytest.raises(ReplayMismatch) as error:
            replay(built, entries)
        assert (error.value.seq, error.value.recomputed) == (3, "not_accepted")


class TestPositions:
    @pytest.mark.parametrize("given", ["for", Position.FOR])
    def test_a_position_is_read_from_its_value(self, given: object) -> None:
        assert d("v", Motion.VOTE, 1, position=given).position is Position.FOR

    @pytest.mark.parametrize("bad", ["yes", 1, ["for"], True])
    def test_a_bad_position_names_the_field(self, bad: object) -> None:
        with pytest.raises(InvalidRecord, match=r"Decision\.position must be None or a Position"):
            d("v", Motion.VOTE, 1, position=bad)


@pytest.mark.parametrize(
    ("vocabulary", "given", "said"),
    [
        (Kind, "agre", "the nearest is 'agree'"),
        (Position, "For", "the nearest is 'for'"),
        (Motion, "vot", "the nearest is 'vote'"),
        (Kind, "zzz", "give one of those values"),
        (Position, 1, "give one of those values"),
    ],
)
def test_a_value_no_member_has_is_a_govflow_error_naming_the_nearest(
    vocabulary: type[DecisionKind | Position], given: object, said: str
) -> None:
    # Kind("agre") raised the enum's own ValueError: not a govflow error, no near miss.
    with pytest.raises(InvalidRecord) as error:
        vocabulary(given)
    assert isinstance(error.value, ValueError)  # what enum's own error is: still caught
    assert str(error.value).startswith(f"{vocabulary.__name__}'s value must be one of: ")
    assert said in str(error.value)
    assert vocabulary(next(iter(vocabulary)).value) is next(iter(vocabulary))


def voted(guard: object, *ballots: tuple[str, Position | None]) -> Registry:
    registry = opened(lifecycle(guard))
    for n, (member, position) in enumerate(ballots):
        registry.apply(d(f"v{n}", Motion.VOTE, 2 + n, member, position=position))
    return registry


def passes(registry: Registry) -> bool:
    return registry.explain("m").option("pass").possible  # type: ignore[union-attr]


F, A, X = Position.FOR, Position.AGAINST, Position.ABSTAIN


class TestVotes:
    def test_k_of_n_for_on_both_sides(self) -> None:
        guard = votes(Motion.VOTE, MEMBERS, for_at_least=3)
        assert guard.name == "vote by A, B, C, D, E: 3 for"
        assert not passes(voted(guard, ("A", F), ("B", F), ("C", A), ("D", X)))
        assert passes(voted(guard, ("A", F), ("B", F), ("C", None)))  # no position: for

    def test_a_majority_of_those_voting_ignores_abstentions(self) -> None:
        guard = votes(Motion.VOTE, majority=True)
        assert passes(voted(guard, ("A", F), ("B", F), ("C", A), ("D", X), ("E", X)))
        assert not passes(voted(guard, ("A", F), ("B", A), ("C", X)))  # a tie is no majority
        assert not passes(voted(guard))

    def test_a_share_of_those_voting_on_both_sides_of_three_quarters(self) -> None:
        guard = votes(Motion.VOTE, share=(3, 4))
        assert passes(voted(guard, ("A", F), ("B", F), ("C", F), ("D", A), ("E", X)))  # 75 %
        assert not passes(voted(guard, ("A", F), ("B", F), ("C", A)))  # 67 %

    def test_a_quorum_counts_those_abstaining(self) -> None:
        guard = votes(Motion.VOTE, majority=True, quorum=4)
        assert not passes(voted(guard, ("A", F), ("B", F), ("C", X)))
        assert passes(voted(guard, ("A", F), ("B", F), ("C", X), ("D", X)))

    def test_only_each_voters_latest_vote_counts(self) -> None:
        guard = votes(Motion.VOTE, for_at_least=2)
        assert not passes(voted(guard, ("A", F), ("B", F), ("B", A)))
        assert passes(voted(guard, ("A", A), ("A", F), ("B", F)))

    def test_votes_in_a_window(self) -> None:
        by_the_3rd = within(end=dt.date(2013, 1, 3))
        # A votes on the 3rd, B on the 4th: only A's vote is in the window.
        assert not passes(
            voted(votes(Motion.VOTE, for_at_least=2, within=by_the_3rd), ("A", F), ("B", F))
        )
        assert passes(
            voted(votes(Motion.VOTE, for_at_least=1, within=by_the_3rd), ("A", F), ("B", F))
        )
        late = votes(Motion.VOTE, for_at_least=1, within=by_the_3rd)
        assert not passes(voted(late, ("A", A), ("B", F)))

    def test_a_refusal_gives_the_tally_and_who_has_not_voted(self) -> None:
        registry = voted(votes(Motion.VOTE, share=(3, 4), quorum=4), ("A", F), ("B", A), ("C", X))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.OPEN, 9, trigger="pass"))
        (reason,) = error.value.reasons
        assert reason.code == "awaiting_votes"
        assert dict(reason.params) == {
            "for": 1,
            "against": 1,
            "abstain": 1,
            "taking_part": 3,
            "not_voted": ("D", "E"),
            "kinds": ("vote",),
        }
        assert reason.message == (
            "1 for, 1 against, 1 abstaining of 5: needs 3/4 of those voting for; "
            "needs a quorum of 4 taking part (awaiting a 'vote' decision from: D, E)"
        )
        assert str(error.value).endswith(
            "Record the votes of D, E first. Then ask for the trigger again."
        )

    def test_a_motion_is_defeated_by_the_rules_against(self) -> None:
        guard = votes(Motion.VOTE, MEMBERS, against_at_least=3)
        assert guard.name == "vote by A, B, C, D, E: 3 against"
        assert passes(voted(guard, ("A", A), ("B", A), ("C", A), ("D", F)))
        assert not passes(voted(guard, ("A", A), ("B", A), ("C", F), ("D", X)))
        assert not passes(voted(guard, ("A", A), ("B", A), ("C", None)))  # no position: for
        majority = votes(Motion.VOTE, majority_against=True, quorum=3)
        said = "vote by partners: more against than for, a quorum of 3"
        assert majority.name == said
        assert passes(voted(majority, ("A", A), ("B", A), ("C", F), ("D", X)))
        assert not passes(voted(majority, ("A", A), ("B", F), ("C", X)))  # a tie defeats nothing
        assert not passes(voted(majority, ("A", A), ("B", A)))  # no quorum

    def test_a_refusal_of_a_defeat_says_what_it_needs_and_that_it_wants_votes_against(
        self,
    ) -> None:
        registry = voted(votes(Motion.VOTE, against_at_least=3), ("A", A), ("B", F))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.OPEN, 9, trigger="pass"))
        (reason,) = error.value.reasons
        assert reason.param("wants") == "against"
        assert reason.message == (
            "1 for, 1 against, 0 abstaining of 5: needs 3 against "
            "(awaiting a 'vote' decision from at least 2 more of: C, D, E)"
        )
        both = votes(Motion.VOTE, for_at_least=1, against_at_least=1)
        with pytest.raises(GuardFailed) as error:
            voted(both).apply(d("go", Motion.OPEN, 9, trigger="pass"))
        assert error.value.reasons[0].param("wants") == "for and against"
        with pytest.raises(GuardFailed) as error:  # a guard counting only votes for: no key
            voted(votes(Motion.VOTE, for_at_least=1)).apply(d("go", Motion.OPEN, 9, trigger="pass"))
        assert error.value.reasons[0].param("wants") is None

    def test_a_refusal_says_how_many_more_votes_the_counts_need_at_least(self) -> None:
        # A quorum of 4 with 1 taking part (the refused vote counted, as explain's
        # assuming= counts it): 3 more of the 4 who have not voted, not all of them.
        registry = voted(votes(Motion.VOTE, for_at_least=2, quorum=4))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        (reason,) = error.value.reasons
        assert reason.param("at_least_more") == 3
        assert "from at least 3 more of: B, C, D, E)" in reason.message
        assert "Record the votes of at least 3 more of: B, C, D, E first." in str(error.value)
        # A majority counts as if the rest voted for: 1 for, 1 against needs 1 more for,
        # and the quorum of 4 two more taking part: 2 of the 3 (it said all 3).
        registry = voted(votes(Motion.VOTE, majority=True, quorum=4), ("B", A))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        assert error.value.reasons[0].param("at_least_more") == 2
        assert "from at least 2 more of: C, D, E)" in error.value.reasons[0].message
        # Every one of them needed: named as before.
        registry = voted(votes(Motion.VOTE, for_at_least=5))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        assert error.value.reasons[0].param("at_least_more") is None
        assert "from: B, C, D, E)" in error.value.reasons[0].message

    def test_a_majority_the_votes_still_to_come_can_meet_names_how_many(self) -> None:
        # 1 for, 1 against, a quorum of 3 of 5: one more vote for passes it.
        registry = voted(votes(Motion.VOTE, majority=True, quorum=3), ("B", A))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        (reason,) = error.value.reasons
        assert reason.param("at_least_more") == 1
        assert "(awaiting a 'vote' decision from at least 1 more of: C, D, E)" in reason.message

    def test_a_rule_counting_more_votes_than_there_are_voters_says_no_votes_can(self) -> None:
        # 6 for of the body's 5 partners: it said "Every voter has voted: it passes only if
        # a vote is changed", though no change can meet it.
        registry = voted(votes(Motion.VOTE, for_at_least=6), *((v, F) for v in "BCDE"))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        (reason,) = error.value.reasons
        assert reason.message == (
            "5 for, 0 against, 0 abstaining of 5: needs 6 for (it counts 6 votes of 5 voters: "
            "no votes can meet it until the voters or the rule change)"
        )
        assert reason.param("by_any_votes") == "no"
        assert "No votes can meet it: it counts more votes than there are voters" in str(
            error.value
        )
        assert "a vote is changed" not in str(error.value)
        # A quorum of 6, with one still to vote: not "awaiting a 'vote' decision from: A".
        early = voted(votes(Motion.VOTE, majority=True, quorum=6), ("B", F))
        with pytest.raises(GuardFailed) as error:
            early.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        assert error.value.reasons[0].param("by_any_votes") == "no"
        assert "awaiting" not in error.value.reasons[0].message

    def test_a_majority_the_votes_still_to_come_cannot_meet_says_a_vote_must_change(
        self,
    ) -> None:
        # 1 for, 2 against, 1 abstaining: E voting for still ties 2-2. It said "awaiting
        # a 'vote' decision from: E", as if E could pass it.
        registry = voted(votes(Motion.VOTE, majority=True), ("B", A), ("C", A), ("D", X))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        (reason,) = error.value.reasons
        assert reason.message == (
            "1 for, 2 against, 1 abstaining of 5: needs more for than against (E yet to "
            "vote, and their votes alone cannot meet it: only a changed vote can)"
        )
        assert reason.param("by_new_votes") == "no"
        assert "it passes only if a vote is changed" in str(error.value)
        # All of a share (4/4) with one against: no new vote can meet it either.
        share = voted(votes(Motion.VOTE, share=(4, 4)), ("B", A))
        with pytest.raises(GuardFailed) as error:
            share.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        assert "only a changed vote can" in error.value.reasons[0].message
        # 1 for, 1 against, 1 abstaining, 3/4 of those voting: 2 more for (3 for of 4
        # voting), both of the two still to vote.
        three = voted(votes(Motion.VOTE, share=(3, 4)), ("B", A), ("C", X))
        with pytest.raises(GuardFailed) as error:
            three.apply(d("go", Motion.VOTE, 9, "A", trigger="pass"))
        assert error.value.reasons[0].message.endswith("(awaiting a 'vote' decision from: D, E)")

    def test_rules_for_and_against_need_their_votes_added_up(self) -> None:
        # 2 for and 2 against, none cast: 4 more of the 5, not 2 (the larger of the two).
        registry = voted(votes(Motion.VOTE, for_at_least=2, against_at_least=2))
        with pytest.raises(GuardFailed) as error:
            registry.apply(d("go", Motion.OPEN, 9, trigger="pass"))
        (reason,) = error.value.reasons
        assert reason.param("at_least_more") == 4
        assert "from at least 4 more of: A, B, C, D, E)" in reason.message

    def test_a_count_parameter_that_is_no_number_is_shown_as_given(self) -> None:
        from govflow.guards import param  # noqa: PLC0415

        guard = votes(Motion.VOTE, for_at_least=param("k"))
        body = opened(lifecycle(guard)).body("m")
        odd = attrs.evolve(body, terms=attrs.evolve(body.terms, parameters={"k": "five"}))
        assert guard.uses(odd) == (("k", "'five', not a whole number"),)
        none = attrs.evolve(body, terms=attrs.evolve(body.terms, parameters={}))
        assert guard.uses(none) == (("k", "not given"),)

    def test_a_guard_without_the_rules_against_keeps_its_fingerprint(self) -> None:
        from govflow.guards.protocol import describe_guard  # noqa: PLC0415

        described = describe_guard(votes(Motion.VOTE, MEMBERS, for_at_least=3))
        assert described == {  # as the release before the rules against described it
            "guard": "vote by A, B, C, D, E: 3 for",
            "type": "Votes",
            "kinds": ["vote"],
            "voters": ["A", "B", "C", "D", "E"],
            "for_at_least": 3,
            "majority": False,
            "share": None,
            "quorum": None,
            "label": None,
            "since_entered": False,
        }
        against = describe_guard(votes(Motion.VOTE, MEMBERS, against_at_least=3))
        assert against["against_at_least"] == 3

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({}, "rules"),
            ({"against_at_least": 6, "voters": MEMBERS}, "against_at_least"),
            ({"majority": True, "majority_against": True}, "rules"),
            ({"share": (1, 2), "majority_against": True}, "rules"),  # a half for, more against
            ({"share": (1, 1), "against_at_least": 1}, "rules"),  # all for, one against
            ({"for_at_least": 3, "against_at_least": 3, "voters": MEMBERS}, "rules"),
            ({"against_at_least": 0}, "against_at_least"),
            ({"majority_against": "yes"}, "majority_against"),
            ({"for_at_least": 6, "voters": MEMBERS}, "for_at_least"),
            ({"for_at_least": 0}, "for_at_least"),
            ({"quorum": True}, "quorum"),
            ({"share": (4, 3)}, "share"),
            ({"share": (0, 3)}, "share"),
            ({"share": [3, 4]}, "share"),
            ({"majority": 1}, "majority"),
            ({"majority": True, "voters": "A"}, "voters"),
            ({"majority": True, "voters": ["A", "A"]}, "voters"),
            ({"majority": True, "voters": []}, "voters"),
            ({"majority": True, "name": ""}, "name"),
            ({"majority": True, "since_entered": "yes"}, "since_entered"),
            ({"majority": True, "within": "April"}, "within"),
        ],
    )
    def test_bad_arguments_name_the_field(self, kwargs: dict[str, object], field: str) -> None:
        with pytest.raises(InvalidRecord) as error:
            votes(Motion.VOTE, **kwargs)  # type: ignore[arg-type]
        assert error.value.field == field


class TestEdgesOfTheVocabulary:
    def test_the_same_value_in_two_vocabularies_is_declared_once(self) -> None:
        class Again(DecisionKind):
            VOTE = "vote"

        with pytest.raises(LifecycleError, match="kind 'vote' is declared more than once"):
            Lifecycle(states=["a"], initial="a", transitions=[], kinds=[*Motion, Again.VOTE])

    def test_built_in_kinds_may_be_listed_and_a_member_twice_is_once(self) -> None:
        built = Lifecycle(
            states=["a"], initial="a", transitions=[], kinds=[Kind.AGREE, Motion.VOTE, Motion.VOTE]
        )
        assert built.describe()["kinds"] == ["vote"]

    def test_accepts_must_be_a_mapping(self) -> None:
        with pytest.raises(LifecycleError, match="accepts must map state names to lists"):
            lifecycle(accepts=[("voting", [Motion.VOTE])])

    def test_a_decision_of_a_badly_named_member_is_refused(self) -> None:
        bad = DecisionKind("Bad", [("X", "Not A Name")])  # type: ignore[call-arg]
        with pytest.raises(InvalidRecord, match="a lower-case name that is no built-in kind's"):
            d("x", bad.X, 1)  # type: ignore[attr-defined]

    def test_a_recorded_kind_must_be_a_name(self) -> None:
        from govflow.model.kind import recorded  # noqa: PLC0415

        assert recorded("agree") is Kind.AGREE
        assert recorded("vote") == Motion.VOTE
        with pytest.raises(InvalidRecord, match="a decision kind's name"):
            recorded("Vote!")

    def test_a_guard_nested_too_deeply_is_looked_into_no_further(self) -> None:
        import attrs  # noqa: PLC0415

        @attrs.frozen
        class Deep:
            inner: object

            def __call__(self, body: object, on: object) -> bool:
                return True

        class Other(DecisionKind):
            POLL = "poll"

        shallow = Deep(Deep(Other.POLL))
        with pytest.raises(LifecycleError, match="counts kind 'poll'"):
            lifecycle(shallow)
        deep = Deep(Deep(Deep(Deep(Deep(Deep(Other.POLL))))))
        assert lifecycle(deep).kinds == lifecycle().kinds


class TestVotesMore:
    def test_a_name_given_is_the_guard_s_name(self) -> None:
        assert votes(Motion.VOTE, majority=True, name="carried").name == "carried"

    def test_votes_since_entering_the_state(self) -> None:
        guard = votes(Motion.VOTE, for_at_least=1, since_entered=True)
        registry = Registry(lifecycle(guard))
        registry.apply(d("p", Kind.PROPOSE, 0))
        registry.apply(d("early", Motion.VOTE, 1, "A"))  # before voting opened
        registry.apply(d("o", Motion.OPEN, 2, trigger="open"))
        assert not passes(registry)
        registry.apply(d("v", Motion.VOTE, 3, "B"))
        assert passes(registry)

    def test_binding_votes_on_earlier_terms_do_not_count(self) -> None:
        import attrs  # noqa: PLC0415

        guard = votes(Kind.AGREE, for_at_least=1)  # an agreement binds to the terms version
        registry = Registry(lifecycle(guard))
        registry.apply(d("p", Kind.PROPOSE, 0))
        registry.apply(d("o", Motion.OPEN, 1, trigger="open"))
        registry.apply(d("v", Kind.AGREE, 2, "A"))
        assert passes(registry)
        registry.apply(d("amend", Kind.AMEND, 3, terms=attrs.evolve(TERMS, version=2)))
        assert not passes(registry)
