"""Unusual steps aside: amendments no transition waits for, dates known to the month or week.

Off by default (``unusual=0``: the walks are those drawn without them); a share of the
steps a walk takes aside otherwise, so that a guard of yours that counts decisions on
earlier terms, or reads a decision's date as a day, meets what breaks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import Phase, given, settings
from hypothesis.stateful import run_state_machine_as_test

from govflow import (
    Authority,
    Body,
    Decision,
    Guard,
    Kind,
    Lifecycle,
    Registry,
    Transition,
    When,
)
from govflow.errors import InvalidRecord
from govflow.testing import LifecycleMachine, walks
from govflow.testing.records import quiet

from .test_kit import RUN, committee

#: The first failing run, as found: shrinking left out.
_RUN = settings(RUN, phases=[Phase.explicit, Phase.reuse, Phase.generate])


def _amendable() -> Lifecycle:
    """A committee whose terms the Chair may amend in any state, with no transition for it."""
    lifecycle = committee()
    chair = Authority("Chair", "Committee", [Kind.PROPOSE, Kind.AGREE, Kind.ENDORSE, Kind.AMEND])
    return Lifecycle(
        name="amendable",
        states=[s.name for s in lifecycle.states],
        initial=lifecycle.initial,
        final=sorted(lifecycle.final),
        authorities=[chair, *list(lifecycle.authorities.values())[1:]],
        transitions=list(lifecycle.transitions),
    )


def _walked(lifecycle: Lifecycle, unusual: float, examples: int = 300) -> list[list[Decision]]:
    """The decisions of ``examples`` derandomized clean walks, each applied as drawn."""
    seen: list[list[Decision]] = []

    @settings(max_examples=examples, database=None, deadline=None, derandomize=True)
    @given(walks(lifecycle, bodies=("b0",), invalid=0.0, unusual=unusual))
    def walk(decisions: list[Decision]) -> None:
        registry = Registry(lifecycle, logger=quiet())
        for decision in decisions:
            registry.apply(decision)  # a clean walk: an unusual step is never refused
        seen.append(decisions)

    walk()
    return seen


def test_walks_amend_aside_only_when_asked() -> None:
    lifecycle = _amendable()
    assert all(Kind.AMEND in lifecycle.accepting[s] for s in ("draft", "reviewed"))
    usual = [d for walk in _walked(lifecycle, 0.0) for d in walk]
    # No amendment no transition waits for, and every date a day (the committee's
    # transitions wait for agreements and endorsements, never an amendment).
    assert not [d for d in usual if d.kind is Kind.AMEND]
    assert all(d.decided.earliest == d.decided.latest for d in usual)
    unusual = [d for walk in _walked(lifecycle, 1.0) for d in walk]
    amended = [d for d in unusual if d.kind is Kind.AMEND]
    assert len(amended) >= 5, len(amended)
    assert min(d.terms.version for d in amended if d.terms is not None) >= 2
    spans = {d.decided.precision for d in unusual if d.decided.earliest != d.decided.latest}
    assert spans == {"month", "span"}, spans


def test_walks_dated_coarsely_stay_in_order() -> None:
    # A month may end after the walk's day: the walk goes on from its end, so no
    # decision after it ends before it ends (none was refused as out of order either).
    walked = _walked(_amendable(), 1.0, examples=100)
    assert any(d.decided.precision == "month" for walk in walked for d in walk)
    for walk in walked:
        lasts = [d.decided.latest for d in walk]
        assert lasts == sorted(lasts), walk


@pytest.mark.parametrize(
    "share", [-0.1, 1.5, float("nan"), float("inf"), True, False, "0.5", None, Decimal("0.5")]
)
def test_an_unusual_share_outside_0_to_1_is_refused(share: object) -> None:
    with pytest.raises(InvalidRecord, match=r"walks\.unusual must be a share from 0 to 1"):
        walks(committee(), unusual=share)  # type: ignore[arg-type]

    class Odd(LifecycleMachine):
        lifecycle = committee()
        unusual = share  # type: ignore[assignment]

    with pytest.raises(InvalidRecord, match=r"Odd\.unusual must be a share from 0 to 1"):
        Odd()


@pytest.mark.parametrize("share", [0, 1, 0.5, Fraction(1, 2)])
def test_an_unusual_share_may_be_any_real_number(share: object) -> None:
    # A float subclass (numpy's float64) or a Fraction was refused as "not a share".
    class Real(float):
        pass

    for value in (share, Real(float(share))):  # type: ignore[arg-type]
        walks(committee(), unusual=value)  # type: ignore[arg-type]

        class Taken(LifecycleMachine):
            lifecycle = committee()
            unusual = value  # type: ignore[assignment]

        assert Taken().walker.unusual == float(share)


#: A chair who proposes and agrees (and notes).
_CHAIR = (Authority("Chair", "Committee", [Kind.PROPOSE, Kind.AGREE, Kind.NOTE]),)


def _agreeing(name: str, guard: Guard, authorities: Sequence[Authority] = _CHAIR) -> Lifecycle:
    """A draft agreed once ``guard`` passes, then closed."""
    return Lifecycle(
        name=name,
        states=["draft", "agreed", "closed"],
        initial="draft",
        final=["closed"],
        authorities=list(authorities),
        transitions=[
            Transition("agree", "draft", "agreed", guards=[guard]),
            Transition("close", "agreed", "closed"),
        ],
    )


def _read_as_a_day(body: Body, on: When) -> bool:
    """A guard of one's own that reads every agreement's date as a day: "2020-03" raises."""
    days = [dt.date.fromisoformat(f.decision.decided.iso) for f in body.decisions(Kind.AGREE)]
    return len(days) >= 2


class DayReader(LifecycleMachine):
    lifecycle = _agreeing("day reader", _read_as_a_day)
    bodies = ("b0",)
    invalid = 0.0


def test_a_guard_that_reads_a_date_as_a_day_is_found_with_unusual_steps() -> None:
    run_state_machine_as_test(DayReader, settings=_RUN)  # off: every date a day, never found
    assert all(d.decided.earliest == d.decided.latest for d, _ in DayReader.last_steps)

    class Unusual(DayReader):
        unusual = 1.0

    with pytest.raises(AssertionError, match=r"invariant 7: apply raised GuardError"):
        run_state_machine_as_test(Unusual, settings=_RUN)
    coarse = [d for d in Unusual.fewest_steps if d.decided.earliest != d.decided.latest]
    assert coarse, Unusual.fewest_steps


def _agreed_by_both(body: Body, on: When) -> bool:
    """Both partners agreed, on any terms: the bug, an amendment voids earlier agreements."""
    return {f.decision.actor for f in body.decisions(Kind.AGREE)} >= {"A", "B"}


def _both_agreed_on_the_terms_then(registry: Registry) -> None:
    """A check of one's own: a body agreed when both partners had agreed its terms then."""
    for body in registry.bodies.values():
        asked = next((f for f in body.facts if f.seq == body.entered), None)
        if body.state == "agreed" and asked is not None:  # the decision that moved it
            then = asked.terms_version
            agreed = {f.decision.actor for f in body.decisions(Kind.AGREE)
                      if f.seq <= body.entered and f.terms_version == then}  # fmt: skip
            assert agreed >= {"A", "B"}, f"{body.id} agreed, on its terms by {sorted(agreed)}"


class Amender(LifecycleMachine):
    lifecycle = _agreeing(
        "amender",
        _agreed_by_both,
        [
            Authority("A", "A", [Kind.PROPOSE, Kind.AGREE, Kind.AMEND, Kind.NOTE]),
            Authority("B", "B", [Kind.AGREE, Kind.NOTE]),
        ],
    )
    bodies = ("b0",)
    invalid = 0.0
    checks = (_both_agreed_on_the_terms_then,)


def test_a_guard_that_counts_replaced_terms_is_found_with_unusual_steps() -> None:
    run_state_machine_as_test(Amender, settings=_RUN)  # off: no amendment aside, never found
    assert not [d for d, _ in Amender.last_steps if d.kind is Kind.AMEND]

    class Unusual(Amender):
        unusual = 1.0

    with pytest.raises(AssertionError, match=r"b0 agreed, on its terms by \['[AB]'\]"):
        run_state_machine_as_test(Unusual, settings=_RUN)
    assert [d for d in Unusual.fewest_steps if d.kind is Kind.AMEND], Unusual.fewest_steps


def _two_agreements(body: Body, on: When) -> bool:
    return len(list(body.decisions(Kind.AGREE))) >= 2


def test_a_guess_for_a_guard_of_your_own_is_dated_coarsely_with_unusual_steps() -> None:
    # Only a step aside was: a guard of one's own met a month only one step in ten.
    lifecycle = _agreeing("two agreements", _two_agreements)
    walked = _walked(lifecycle, 1.0, examples=100)
    guessed = [d for walk in walked for d in walk if d.trigger == "agree"]
    assert guessed
    assert any(d.decided.precision != "day" for d in guessed), guessed
    usual = [d for walk in _walked(lifecycle, 0.0, examples=100) for d in walk]
    assert all(d.decided.precision == "day" for d in usual)
