"""Facts: versions of a body share one growing list, and no version ever changes."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import attrs
import pytest
import structlog
from hypothesis import given
from hypothesis import strategies as st

from govflow import Body, Decision, Fact, GuardFailed, Kind, Registry, Source, Terms, When
from govflow.model.body import Facts
from govflow.rules.decide import decide
from govflow.scenarios import partnership_lifecycle, spb

from .helpers import make


def fact(n: int) -> Fact:
    decision = Decision(
        id=f"d{n}",
        body="b",
        kind=Kind.AGREE,
        actor="LGA",
        decided=When.on(dt.date(2013, 1, 1)),
        source=Source("test"),
    )
    return Fact(n, decision, "LGA")


def test_adding_a_fact_leaves_the_version_added_to_unchanged() -> None:
    first = Facts([fact(0)])
    second = first.added(fact(1))
    branch = first.added(fact(2))  # from an older version: copies
    assert list(first) == [fact(0)]
    assert list(second) == [fact(0), fact(1)]
    assert list(branch) == [fact(0), fact(2)]
    assert second.extended([fact(3), fact(4)])[-2:] == (fact(3), fact(4))
    assert list(second) == [fact(0), fact(1)]


def test_it_reads_as_a_sequence_of_its_own_length() -> None:
    facts = Facts([fact(0), fact(1)]).added(fact(2))
    shorter = Facts([fact(0), fact(1)])
    assert len(facts) == 3
    assert facts[0] == fact(0)
    assert facts[-1] == fact(2)
    assert facts[1:] == (fact(1), fact(2))
    assert fact(2) in facts
    assert fact(2) not in shorter
    assert list(reversed(facts)) == [fact(2), fact(1), fact(0)]
    with pytest.raises(IndexError):
        _ = facts[3]
    with pytest.raises(IndexError):
        _ = facts[-4]


def test_it_equals_and_hashes_as_the_tuple_of_its_facts() -> None:
    facts = Facts([fact(0)]).added(fact(1))
    assert facts == (fact(0), fact(1)) == Facts([fact(0), fact(1)])
    assert (fact(0), fact(1)) == facts
    assert facts != Facts([fact(0)])
    assert facts != [fact(0), fact(1)]  # a list is not a tuple of facts
    assert hash(facts) == hash((fact(0), fact(1)))
    assert repr(Facts([])) == "Facts([])"


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=40))
def test_every_version_keeps_its_facts_however_versions_branch(picks: list[int]) -> None:
    versions: list[tuple[Facts, tuple[Fact, ...]]] = [(Facts(), ())]
    for n, pick in enumerate(picks):
        base, expected = versions[pick % len(versions)]
        new = fact(n)
        versions.append((base.added(new), (*expected, new)))
        for version, model in versions:
            assert tuple(version) == model
            assert len(version) == len(model)


def test_it_survives_pickling_and_copying_as_the_same_facts() -> None:
    base = Facts([fact(0)])
    facts = base.added(fact(1))
    base.added(fact(2))  # another version of the same body, in a list of its own
    thawed = pickle.loads(pickle.dumps(facts))  # noqa: S301 - our own bytes
    for copied in (thawed, copy.deepcopy(facts), copy.copy(facts)):
        assert copied == facts
        assert list(copied) == [fact(0), fact(1)]
        assert hash(copied) == hash(facts)


def test_extending_by_nothing_gives_the_same_facts() -> None:
    facts = Facts([fact(0)])
    assert facts.extended([]) == facts == (fact(0),)
    assert len(facts.extended([])) == 1


def test_extending_a_version_the_list_has_grown_past_copies() -> None:
    base = Facts([fact(0)])
    later = base.added(fact(1))
    branch = base.extended([fact(2), fact(3)])
    assert tuple(branch) == (fact(0), fact(2), fact(3))
    assert tuple(later) == (fact(0), fact(1))


def test_a_version_iterates_over_its_own_facts_while_a_later_one_grows_the_list() -> None:
    facts = Facts([fact(0)])
    seen = []
    for item in facts:
        seen.append(item)
        facts.added(fact(len(seen)))
    assert seen == [fact(0)]


@given(
    picks=st.lists(
        st.tuples(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=3)),
        max_size=40,
    )
)
def test_every_version_keeps_its_facts_however_facts_are_added(
    picks: list[tuple[int, int]],
) -> None:
    versions: list[tuple[Facts, tuple[Fact, ...]]] = [(Facts(), ())]
    n = 0
    for pick, many in picks:
        base, expected = versions[pick % len(versions)]
        new = tuple(fact(n + i) for i in range(max(many, 1)))
        grown = base.added(new[0]) if many == 0 else base.extended(new)
        n += len(new)
        versions.append((grown, (*expected, *new)))
    for version, model in versions:
        assert tuple(version) == model
        assert len(version) == len(model)


def test_a_body_holds_real_facts_and_is_hashable() -> None:
    lifecycle = partnership_lifecycle()
    proposal = Decision(
        id="p",
        body="b",
        kind=Kind.PROPOSE,
        actor="LGA",
        decided=When.on(dt.date(2013, 1, 1)),
        source=Source("test"),
        terms=spb.TERMS,
    )
    body = decide(lifecycle, None, proposal, 5).body
    assert type(body.facts) is Facts
    assert list(body.facts) == [Fact(5, proposal, "LGA", 1)]
    assert hash(body) == hash(attrs.evolve(body))
    assert body == Body(
        "b",
        "proposed",
        spb.TERMS,
        [Fact(5, proposal, "LGA", 1)],
        ("proposed",),
        dt.date(2013, 1, 1),
        5,
        proposal.decided,
    )
    assert isinstance(Terms, type)


def test_a_version_that_may_be_refused_leaves_the_shared_list_alone() -> None:
    base = Facts([fact(0), fact(1)])
    tentative = base.plus(fact(2))
    assert len(base._items) == 2  # the shared list is as it was
    assert (len(tentative), tentative[2], tentative[-1], tentative[0]) == (
        3,
        fact(2),
        fact(2),
        fact(0),
    )
    assert tentative[1:] == (fact(1), fact(2))
    assert tuple(tentative) == (fact(0), fact(1), fact(2)) == tentative
    assert hash(tentative) == hash((fact(0), fact(1), fact(2)))
    assert pickle.loads(pickle.dumps(tentative)) == tentative  # noqa: S301 - our own bytes
    with pytest.raises(IndexError):
        _ = tentative[3]
    kept = tentative.kept()
    assert base._items is kept._items  # kept grows the shared list in place, no copy
    assert kept == tentative
    assert tentative.plus(fact(3)).extended([fact(4)]) == (*tentative, fact(3), fact(4))
    assert base.kept() is base


def test_a_refused_guarded_decision_does_not_make_the_next_one_copy() -> None:
    registry = Registry(partnership_lifecycle(), logger=structlog.get_logger("test"))
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    shared = registry.body("b").facts._items
    with pytest.raises(GuardFailed):
        registry.apply(make("c", Kind.AGREE, "PCCs", 2, trigger="endorse"))
    assert len(shared) == 2
    registry.apply(make("n", Kind.NOMINATE, "LGA", 3))
    assert registry.body("b").facts._items is shared  # appended in place
    registry.explain("b", assuming=make("x", Kind.AGREE, "PCCs", 4))
    assert len(shared) == 3


def test_facts_grown_at_the_same_moment_elsewhere_are_copied_not_shared() -> None:
    class Racing(list):  # another thread appends between our check and our append
        def extend(self, more: object) -> None:
            super().append(fact(9))
            super().extend(more)  # type: ignore[arg-type]

        def append(self, one: object) -> None:  # what added() calls, for one fact
            super().append(fact(9))
            super().append(one)

    for grow in (Facts.added, lambda facts, one: facts.extended([one])):
        base = Facts([fact(0)])
        base._items = Racing(base._items)
        grown = grow(base, fact(1))
        assert tuple(grown) == (fact(0), fact(1))
        assert grown._items is not base._items
