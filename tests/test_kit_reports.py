"""What the testing kit reports of a failure, and how it reads what guards of yours say.

The fewest decisions that fail a run alike, each step told once with what a guard may
turn on, a settings profile honoured, and a reason of your own that shares a code with
govflow's read as yours.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import inspect
from collections.abc import Sequence

import attrs
import pytest
from hypothesis import Phase, assume, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from govflow import (
    Authority,
    Body,
    Decision,
    DecisionKind,
    Delegation,
    Kind,
    Lifecycle,
    Position,
    Reason,
    Registry,
    Source,
    Terms,
    Transition,
    Verdict,
    When,
)
from govflow.errors import DecisionRefused
from govflow.log import AuditLog
from govflow.rules.advice import advice
from govflow.testing import LifecycleMachine, walks
from govflow.testing.fewest import failure_of, fewest, named
from govflow.testing.records import quiet
from govflow.testing.steps import in_words

from .test_kit import RUN as _RUN
from .test_kit import committee

# --- fewest: delta debugging over a list -------------------------------------------


@given(st.lists(st.integers(0, 99), unique=True, max_size=40), st.data())
def test_fewest_keeps_exactly_the_steps_a_failure_needs(
    steps: list[int], data: st.DataObject
) -> None:
    needed = data.draw(st.sets(st.sampled_from(steps)) if steps else st.just(set()))
    calls: list[Sequence[int]] = []

    def fails(some: Sequence[int]) -> bool:
        calls.append(some)
        return needed <= set(some)

    kept, replays, ended = fewest(steps, fails)
    assert ended
    assert kept == [s for s in steps if s in needed] or (not needed and len(kept) <= 1)
    assert replays == len(calls)
    assert all(fails(kept[:i] + kept[i + 1 :]) is False for i in range(len(kept)) if needed)


def test_fewest_stops_at_its_replays_with_the_fewest_found() -> None:
    steps = list(range(64))
    kept, replays, ended = fewest(steps, lambda some: 5 in some and 20 in some, replays=3)
    assert (replays, ended) == (3, False)
    # The first half cannot go; the second went at the second replay; at the third,
    # the first quarter of what was left could not go either.
    assert kept == list(range(32))


def test_fewest_of_a_failure_that_needs_two_apart() -> None:
    kept, replays, ended = fewest(list(range(40)), lambda some: {3, 31} <= set(some))
    assert (kept, ended) == ([3, 31], True)
    assert replays < 40  # halves first: fewer replays than one at a time


# --- the machine's report of the fewest decisions --------------------------------------


def no_approved(registry: Registry) -> None:
    """A check of one's own that fails once a body is approved: three agreements, three steps."""
    for body in registry.bodies.values():
        assert body.state != "approved", f"{body.id} was approved"


class Approving(LifecycleMachine):
    lifecycle = committee()
    checks = (no_approved,)


def test_a_failure_names_the_fewest_decisions_that_fail_it_alike() -> None:
    no_shrinking = settings(_RUN, phases=[Phase.explicit, Phase.reuse, Phase.generate])
    with pytest.raises(AssertionError, match=r"b[01] was approved") as caught:
        run_state_machine_as_test(Approving, settings=no_shrinking)
    fewest_steps = Approving.fewest_steps
    ran = [d for d, _ in Approving.last_steps]
    assert fewest_steps, "no fewest decisions found"
    assert set(fewest_steps) <= set(ran)
    assert sorted(fewest_steps, key=ran.index) == fewest_steps  # in the run's order
    # Checked here, not by the kit: the fewest fail the check, and each is needed.
    assert _fails(fewest_steps)
    for i in range(len(fewest_steps)):
        assert not _fails(fewest_steps[:i] + fewest_steps[i + 1 :]), fewest_steps[i]
    # Approved needs at least four: the proposal, the Treasurer's agreement, and the
    # Chair's asking for each transition (the guards count the body's every agreement).
    assert len(fewest_steps) >= 4, [in_words(d) for d in fewest_steps]
    notes = "\n".join(getattr(caught.value, "__notes__", []))
    said = f"The fewest of the run's {len(ran)} decisions that, replayed alone, fail it alike"
    assert said in notes, notes
    assert "(AssertionError in the check no_approved)" in notes, notes
    for decision in fewest_steps:
        assert f"\n    {in_words(decision)}" in notes, notes


def _fails(decisions: Sequence[Decision]) -> bool:
    registry = Registry(committee(), logger=quiet())
    for decision in decisions:
        try:
            registry.apply(decision)
        except DecisionRefused:
            continue
    try:
        no_approved(registry)
    except AssertionError:
        return True
    return False


class Forgetting(LifecycleMachine):
    """A store that loses its last entry when opened again: only a reopening shows it."""

    lifecycle = committee()
    bodies = ("b0",)
    invalid = 0.0

    @staticmethod
    def store(lifecycle: Lifecycle) -> object:
        return AuditLog(lifecycle.fingerprint)

    @staticmethod
    def reopen(log: object) -> object:
        assert isinstance(log, AuditLog)
        again = AuditLog(log.fingerprint)
        for entry in list(log)[:-1]:
            again.append(entry)
        return again


def test_a_failure_the_decisions_alone_do_not_show_names_none() -> None:
    no_shrinking = settings(_RUN, phases=[Phase.explicit, Phase.reuse, Phase.generate])
    with pytest.raises(AssertionError, match="invariant 9") as caught:
        run_state_machine_as_test(Forgetting, settings=no_shrinking)
    assert Forgetting.fewest_steps == []
    assert not any("The fewest" in n for n in getattr(caught.value, "__notes__", []))


def test_a_passing_run_leaves_no_fewest_decisions() -> None:
    class Clean(LifecycleMachine):
        lifecycle = committee()

    Clean.fewest_steps = [attrs.evolve(_vote(Position.FOR))]  # as left by an earlier failure
    run_state_machine_as_test(Clean, settings=settings(_RUN, max_examples=3))
    assert Clean.fewest_steps == []


# --- each step told once, with what a guard may turn on ----------------------------------


def test_each_drawn_step_is_told_once_with_its_outcome() -> None:
    no_shrinking = settings(_RUN, phases=[Phase.explicit, Phase.reuse, Phase.generate])
    with pytest.raises(AssertionError) as caught:
        run_state_machine_as_test(Approving, settings=no_shrinking)
    notes = getattr(caught.value, "__notes__", [])
    drawn = [n for n in notes if n.startswith("Draw ")]
    assert drawn, notes
    for decision, _ in Approving.last_steps:
        told = [n for n in notes if n.endswith(in_words(decision)) and "The fewest" not in n]
        assert len(told) == 1, (in_words(decision), notes)
    outcomes = [n for n in notes if n.startswith("-> ")]
    assert outcomes[0] == "-> accepted, entry 0", notes
    assert len(outcomes) == len(Approving.last_steps), notes


def _vote(position: Position | None, **fields: object) -> Decision:
    return Decision(
        id="w18",
        body="b0",
        kind=Kind.AGREE,
        actor="Northby Council",
        decided=When.on(dt.date(2020, 1, 1)),
        source=Source("generated"),
        position=position,
        **fields,  # type: ignore[arg-type]
    )


def test_a_step_in_words_tells_a_vote_for_from_one_against() -> None:
    said = "w18: agree by Northby Council on b0, 2020-01-01, voting for"
    assert in_words(_vote(Position.FOR)) == said
    assert in_words(_vote(Position.AGAINST)).endswith(", voting against")
    assert in_words(_vote(Position.ABSTAIN)).endswith(", abstaining")
    assert in_words(_vote(None)) == "w18: agree by Northby Council on b0, 2020-01-01"


def test_a_step_in_words_names_what_a_guard_may_turn_on() -> None:
    behalf = _vote(None, on_behalf_of="Northby", trigger="carry")
    assert in_words(behalf) == (
        "w18: agree by Northby Council on behalf of Northby on b0, 2020-01-01, asking 'carry'"
    )
    amend = attrs.evolve(_vote(None), kind=Kind.AMEND, terms=Terms("a board", ["N"], version=3))
    assert in_words(amend).endswith(", giving terms version 3")
    few = attrs.evolve(_vote(None), kind=Kind.NOMINATE, nominees=("Ann", "Bo"))
    assert in_words(few).endswith(", nominating 2: Ann, Bo")
    many = attrs.evolve(few, nominees=tuple(f"N member {n}" for n in range(50)))
    assert in_words(many).endswith(", nominating 50: N member 0, ..., N member 49")
    meeting = attrs.evolve(_vote(None), kind=Kind.HOLD_MEETING, meeting="first")
    assert in_words(meeting).endswith(", meeting 'first'")
    ratify = attrs.evolve(_vote(None), kind=Kind.RATIFY, ratifies=("w3", "w4"))
    assert in_words(ratify).endswith(", ratifying w3, w4")
    rescind = attrs.evolve(_vote(None), kind=Kind.RESCIND, supersedes="w3")
    assert in_words(rescind).endswith(", superseding w3")
    given = Delegation(to="the Executive", kinds=(Kind.AGREE,), start=dt.date(2020, 1, 1))
    delegate = attrs.evolve(_vote(None), kind=Kind.DELEGATE, delegation=given)
    assert in_words(delegate).endswith(", delegating to the Executive")


# --- a settings profile loaded after the class is defined ------------------------------


def test_a_profile_loaded_before_the_test_case_is_used_counts() -> None:
    class Board(LifecycleMachine):
        lifecycle = committee()

    before = settings.default
    settings.register_profile("govflow-kit-test", max_examples=321)
    try:
        settings.load_profile("govflow-kit-test")
        case = Board.TestCase  # first used after the profile was loaded, as a plain machine's
    finally:
        settings.register_profile("govflow-kit-restore", before)
        settings.load_profile("govflow-kit-restore")
    assert case.settings.max_examples == 321
    assert Phase.explain not in case.settings.phases
    assert Board.TestCase is case  # made once
    case.settings = settings(case.settings, stateful_step_count=20)
    assert Board.TestCase.settings.stateful_step_count == 20  # kept, not made again
    assert Board.TestCase.settings.max_examples == 321


# --- a reason of your own with a code govflow's guards use ------------------------------


def _cooling_off(body: Body, on: When) -> Verdict | bool:
    """Three days after the proposal, said with govflow's code but none of its parameters."""
    proposed = body.facts[0].decision.decided.earliest
    if on.earliest < proposed + dt.timedelta(days=3):
        return Verdict.fail("cooling off", Reason("too_early", {"days": 3}, "cooling off"))
    return True


COOLING = Lifecycle(
    states=["draft", "adopted"],
    initial="draft",
    final=["adopted"],
    transitions=[Transition("adopt", "draft", "adopted", guards=[_cooling_off])],
)


@settings(max_examples=30, database=None, deadline=None)
@given(walks(COOLING, invalid=0.0))
def test_a_walk_reads_a_too_early_of_your_own_as_a_reason_it_cannot_read(
    decisions: list[Decision],
) -> None:
    # It raised KeyError: 'not_before' from within the walk.
    registry = Registry(COOLING, logger=quiet())
    for decision in decisions:
        registry.apply(decision)  # a clean walk: nothing refused


def test_walks_of_a_too_early_of_your_own_reach_its_state() -> None:
    # Reached by the walk's guess: a decision asking for the trigger once the days pass.
    states: set[str] = set()

    @settings(max_examples=60, database=None, deadline=None, derandomize=True)
    @given(walks(COOLING, invalid=0.0))
    def walk(decisions: list[Decision]) -> None:
        registry = Registry(COOLING, logger=quiet())
        for decision in decisions:
            registry.apply(decision)
        states.update(b.state for b in registry.bodies.values())

    walk()
    assert "adopted" in states, states


@pytest.mark.parametrize(
    ("code", "made_from"),
    [
        ("too_early", "not_before"),
        ("too_late", "not_after"),
        ("awaiting_decisions", "missing"),
        ("awaiting_nominations", "missing"),
        ("awaiting_meeting", "meeting"),
        ("unratified", "decisions"),
        ("parameter_missing", "parameter"),
        ("came_from_elsewhere", "expected"),
    ],
)
def test_advice_on_a_reason_of_your_own_without_the_parameter_is_general(
    code: str, made_from: str
) -> None:
    # It said "A decision dated on or after  can take it.", a blank where the day goes.
    assert advice([Reason(code, {"days": 3}, "m")]).startswith("Meet its conditions first.")
    given = advice([Reason(code, {made_from: ("X",) if "missing" in made_from else "X"}, "m")])
    assert not given.startswith("Meet its conditions"), given
    assert "X" in given, given


# --- a guard of your own: a guess of a kind someone holds ---------------------------------


class CharterKind(DecisionKind):
    ADOPT_CHARTER = "adopt_charter"
    OBJECT = "object"  # a kind the state accepts that no authority of this model holds


def _charter_adopted(body: Body, on: When) -> bool:
    """A guard of your own, saying nothing of what it waits for."""
    return any(f.decision.kind is CharterKind.ADOPT_CHARTER for f in body.facts)


CHARTER = Lifecycle(
    name="charter",
    states=["draft", "adopted"],
    initial="draft",
    final=["adopted"],
    kinds=CharterKind,
    authorities=[Authority("Board", "Board", [Kind.PROPOSE, CharterKind.ADOPT_CHARTER])],
    transitions=[Transition("adopt", "draft", "adopted", guards=[_charter_adopted])],
)


def test_a_guess_for_a_guard_of_your_own_is_of_a_kind_someone_holds() -> None:
    # A guess of a kind no authority holds could only be refused: the walk drew a note
    # instead, 55 % of its steps on a joint committee of two partners (1 % since).
    drawn: collections.Counter[str] = collections.Counter()

    @settings(max_examples=100, database=None, deadline=None, derandomize=True)
    @given(walks(CHARTER, bodies=("c0",), invalid=0.0))
    def walk(decisions: list[Decision]) -> None:
        registry = Registry(CHARTER, logger=quiet())
        for decision in decisions:
            body = registry.bodies.get(decision.body)
            if body is not None and body.state == "draft":
                drawn[decision.kind.value] += 1
            registry.apply(decision)

    walk()
    assert drawn[CharterKind.OBJECT.value] == 0, drawn
    draft = sum(drawn.values())
    assert drawn[Kind.NOTE.value] <= draft * 0.1, drawn  # 497 of 613 before


# --- what a replay must not do to the run's own report -----------------------------------

_NO_SHRINKING = settings(_RUN, phases=[Phase.explicit, Phase.reuse, Phase.generate])


def _both_past_draft(registry: Registry) -> list[str]:
    return sorted(b.id for b in registry.bodies.values() if b.state != "draft")


def _assuming(registry: Registry) -> None:
    """A check that assumes: a subset replayed may not meet what the whole run met."""
    assume(len(registry.bodies) == 2 or len(registry.log) < 2)
    assert len(_both_past_draft(registry)) < 2, "two past draft"


def test_a_check_that_assumes_is_still_reported_as_it_failed() -> None:
    # A replay's unmet assume() escaped, and Hypothesis reported the run as flaky.
    machine = type(
        "Assuming", (LifecycleMachine,), {"lifecycle": committee(), "checks": (_assuming,)}
    )
    with pytest.raises(AssertionError, match="two past draft"):
        run_state_machine_as_test(machine, settings=_NO_SHRINKING)
    assert machine.fewest_steps  # type: ignore[attr-defined]


_OPEN: list[AuditLog] = []


class _OneAtATime(AuditLog):
    """A store of which one may be open at a time (a file lock, a single connection)."""

    def close(self) -> None:
        _OPEN.remove(self)


def _one_at_a_time(lifecycle: Lifecycle) -> AuditLog:
    if _OPEN:
        raise RuntimeError("a store is already open")
    store = _OneAtATime(lifecycle.fingerprint)
    _OPEN.append(store)
    return store


def _none_past_draft_twice(registry: Registry) -> None:
    assert len(_both_past_draft(registry)) < 2, "two past draft"


def test_a_store_open_one_at_a_time_is_closed_before_the_replays() -> None:
    # The replays made a store while the run's was open: the store's RuntimeError was
    # reported in place of the run's failure.
    attributes = {
        "lifecycle": committee(),
        "checks": (_none_past_draft_twice,),
        "store": staticmethod(_one_at_a_time),
    }
    machine = type("OneAtATime", (LifecycleMachine,), attributes)
    with pytest.raises(AssertionError, match="two past draft"):
        run_state_machine_as_test(machine, settings=_NO_SHRINKING)
    assert machine.fewest_steps  # type: ignore[attr-defined]
    assert _OPEN == []  # every store made was closed


def _refusing_replays(lifecycle: Lifecycle) -> AuditLog:
    """A store that cannot be made again for a replay (say, one path per test)."""
    if any(frame.function == "_replayed" for frame in inspect.stack()):
        raise RuntimeError("no store for a replay")
    return AuditLog(lifecycle.fingerprint)


def test_a_replay_that_cannot_start_is_noted_and_the_failure_kept() -> None:
    attributes = {
        "lifecycle": committee(),
        "checks": (_none_past_draft_twice,),
        "store": staticmethod(_refusing_replays),
    }
    machine = type("Once", (LifecycleMachine,), attributes)
    with pytest.raises(AssertionError, match="two past draft") as caught:
        run_state_machine_as_test(machine, settings=_NO_SHRINKING)
    notes = getattr(caught.value, "__notes__", [])
    said = "The run's decisions could not be replayed to find the fewest: RuntimeError"
    assert any(n.startswith(said) for n in notes), notes
    assert machine.fewest_steps == []  # type: ignore[attr-defined]


def _noting(registry: Registry) -> None:
    note(f"checked {len(registry.log)} entries")
    assert len(_both_past_draft(registry)) < 2, "two past draft"


def test_a_check_s_own_notes_are_not_repeated_by_the_replays() -> None:
    machine = type("Noting", (LifecycleMachine,), {"lifecycle": committee(), "checks": (_noting,)})
    with pytest.raises(AssertionError) as caught:
        run_state_machine_as_test(machine, settings=_NO_SHRINKING)
    notes = getattr(caught.value, "__notes__", [])
    checked = [n for n in notes if n.startswith("checked ")]
    runs = sum(n == "state.users_invariants()" for n in notes)  # the run's own checks
    assert len(checked) == runs, (len(checked), runs)


def test_a_check_is_named_by_its_function_and_by_its_place_when_names_repeat() -> None:
    def limit(registry: Registry, most: int) -> None:
        del registry, most

    checks = [functools.partial(limit, most=2), lambda r: None, lambda r: None]
    assert named(checks, 0) == "the check limit"
    assert named(checks, 1) == "the check <lambda> (checks[1])"
    assert named(checks, 2) == "the check <lambda> (checks[2])"


def test_a_check_of_yours_that_says_invariant_is_not_the_kit_s_invariant() -> None:
    error = AssertionError("invariant 1: my own words")
    assert failure_of(error, "the check mine", ours=False) == "AssertionError in the check mine"
    assert failure_of(error, "replaying the log") == "invariant 1"


def test_advice_leaves_no_blank_for_an_empty_parameter_or_a_missing_want() -> None:
    assert advice([Reason("too_early", {"not_before": ""}, "m")]).startswith("Meet its")
    said = advice([Reason("parameter_missing", {"parameter": "quorum"}, "m")])
    assert said.startswith("Give the body's terms the parameter quorum by amending them."), said
