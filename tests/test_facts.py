"""Facts: versions of a body share one growing list, and no version ever changes."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import pickle
from array import array
from collections.abc import Callable, Iterable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govflow import (
    Body,
    Decision,
    Fact,
    Facts,
    Kind,
    Source,
    Terms,
    When,
    decide,
    partnership_lifecycle,
)
from govflow._facts import proposed, recorded_fact
from govflow.scenarios import spb


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


@attrs.frozen
class Recorded:
    """What a log entry gives a body's facts: the fields its fact is made from."""

    seq: int
    decision: Decision
    before: str
    terms_version: int
    mandate: Organisation


@attrs.frozen
class Organisation:
    organisation: str


def recorded(n: int, before: str = "proposed") -> Recorded:
    return Recorded(n, fact(n).decision, before, 1, Organisation("LGA"))


class Log:
    """Entries at positions, and the ``resolve`` that makes their facts, counting calls."""

    def __init__(self, entries: list[Recorded]) -> None:
        self.entries, self.built = entries, 0

    def resolve(self, position: int, provisional: frozenset[str]) -> Fact:
        self.built += 1
        e = self.entries[position]
        organisation = e.mandate.organisation
        version = e.terms_version
        return recorded_fact(
            e.seq, e.decision, organisation, version, before=e.before, provisional=provisional
        )


LOG = Log([recorded(n) for n in range(128)])  # position n holds the entry of fact(n)
RESOLVE = LOG.resolve  # one object, as the registry and replay hand one over


def test_recorded_entries_read_as_the_facts_they_record() -> None:
    log = Log([recorded(0), recorded(1), recorded(2, before="shadow")])
    base = Facts([fact(0)])
    facts = base.recorded([1, 2], log.resolve, frozenset({"shadow"}))
    assert log.built == 0  # nothing is built until a fact is read
    assert len(facts) == 3
    assert list(base) == [fact(0)]
    assert list(facts) == [fact(0), fact(1), Fact(2, fact(2).decision, "LGA", 1, provisional=True)]
    assert all(type(f) is Fact for f in facts)
    assert facts[1] is facts[1]  # built once, in place
    assert log.built == 2


def test_positions_resolved_two_ways_each_give_their_own_facts() -> None:
    other = Log([recorded(n, before="shadow") for n in range(3)])
    base = Facts().recorded([0], RESOLVE, frozenset({"shadow"}))
    mixed = base.recorded([1], other.resolve, frozenset({"shadow"}))
    again = mixed.recorded([2], other.resolve, frozenset())
    provisional = Fact(1, fact(1).decision, "LGA", 1, provisional=True)
    assert tuple(again) == (fact(0), provisional, fact(2))
    assert tuple(mixed) == (fact(0), provisional)
    assert tuple(base) == (fact(0),)


def test_positions_are_copied_and_a_tail_read_after_the_list_grew_past_it() -> None:
    positions = array("q", [1, 2, 3])
    base = Facts([fact(0)])
    tail = base.recorded(positions, RESOLVE, frozenset())
    positions[0] = 9  # the caller's sequence is its own again
    later = tail.recorded([4, 5], RESOLVE, frozenset())  # the first tail joins the list
    branch = tail.added(fact(6))  # the list has grown past tail: a copy
    other = base.added(fact(7))  # base's place in the list is taken: a copy
    assert tuple(later) == (fact(0), fact(1), fact(2), fact(3), fact(4), fact(5))
    assert tuple(branch) == (fact(0), fact(1), fact(2), fact(3), fact(6))
    assert tuple(tail) == (fact(0), fact(1), fact(2), fact(3))
    assert tuple(other) == (fact(0), fact(7))
    assert tuple(base) == (fact(0),)
    assert tail.recorded([], RESOLVE, frozenset()) == tail


class Contested(list[Fact | int]):
    """A shared list that another version grows first, in the middle of a version's growth.

    It stands in for a second thread: the rival's item goes in before this version's.
    """

    def __init__(self, items: list[Fact | int], rival: Fact) -> None:
        super().__init__(items)
        self.rival: Fact | None = rival

    def _first(self) -> None:
        if self.rival is not None:
            super().append(self.rival)
            self.rival = None

    def append(self, item: Fact | int) -> None:
        self._first()
        super().append(item)

    def extend(self, items: Iterable[Fact | int]) -> None:
        self._first()
        super().extend(items)


def test_a_version_whose_list_another_grows_at_the_same_moment_copies() -> None:
    rival = fact(9)
    one = Facts([fact(0)])
    one._items = Contested([fact(0)], rival)
    assert tuple(one.added(fact(1))) == (fact(0), fact(1))
    several = Facts([fact(0)])
    several._items = Contested([fact(0)], rival)
    assert tuple(several.extended([fact(1), fact(2)])) == (fact(0), fact(1), fact(2))
    tail = Facts([fact(0)]).recorded([1, 2], RESOLVE, frozenset())
    tail._items = Contested([fact(0)], rival)
    assert tuple(tail) == (fact(0), fact(1), fact(2))
    assert tuple(one) == tuple(several) == (fact(0),)


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


def test_body_facts_read_on_the_class_is_the_fields_descriptor() -> None:
    assert Body.facts is Body.__dict__["facts"]
    assert "facts" in {field.name for field in attrs.fields(Body)}


def test_a_fact_is_built_whichever_version_reads_it_first() -> None:
    base = Facts().recorded([0, 1], RESOLVE, frozenset())
    later = base.added(fact(2)).recorded([3], RESOLVE, frozenset())
    branch = base.added(fact(4))  # copies: the list has grown past base
    assert later[0] is base[0]  # base built it in the shared list; later reads the same
    assert tuple(later) == (fact(0), fact(1), fact(2), fact(3))
    assert tuple(branch) == (fact(0), fact(1), fact(4))
    assert later == Facts([fact(0), fact(1), fact(2), fact(3)])
    assert hash(later) == hash(tuple(later))


def test_facts_still_to_be_built_survive_pickling() -> None:
    facts = Facts([fact(0)]).recorded([1], RESOLVE, frozenset())
    thawed = pickle.loads(pickle.dumps(facts))  # noqa: S301 - our own bytes
    assert thawed == facts == (fact(0), fact(1))


def test_a_version_iterates_over_its_own_facts_while_a_later_one_grows_the_list() -> None:
    facts = Facts([fact(0), fact(1)])
    seen = []
    for item in facts:
        if len(seen) < 3:  # bounded, so that an unbounded iteration fails rather than hangs
            facts.added(fact(len(seen) + 2))
        seen.append(item)
    assert seen == [fact(0), fact(1)]


PROPOSAL = Decision(
    id="p",
    body="b",
    kind=Kind.PROPOSE,
    actor="LGA Executive",
    on_behalf_of="LGA",
    decided=When.on(dt.date(2012, 12, 1)),
    source=Source("test"),
    terms=Terms("Board", ["LGA", "APCC"], version=2),
)
PROPOSED = Fact(5, PROPOSAL, "LGA", 2)


def test_a_proposed_bodys_fact_is_built_when_first_read() -> None:
    facts = proposed(5, PROPOSAL, "LGA")
    assert len(facts) == 1
    assert facts == (PROPOSED,) == Facts([PROPOSED])
    assert facts[0] is facts[-1] is next(iter(facts))  # built once
    assert facts[:] == (PROPOSED,)
    with pytest.raises(IndexError):
        _ = facts[1]


def test_a_proposed_bodys_facts_grow_and_branch_like_any() -> None:
    for read_first in (False, True):
        facts = proposed(5, PROPOSAL, "LGA")
        if read_first:
            assert list(facts) == [PROPOSED]
        later = facts.added(fact(1))
        branch = facts.recorded([2], RESOLVE, frozenset())
        assert tuple(facts) == (PROPOSED,)
        assert tuple(later) == (PROPOSED, fact(1))
        assert tuple(branch) == (PROPOSED, fact(2))
        assert later.extended([fact(3)]) == (PROPOSED, fact(1), fact(3))
        thawed = pickle.loads(pickle.dumps(proposed(5, PROPOSAL, "LGA")))  # noqa: S301
        assert type(thawed) is Facts
        assert thawed == (PROPOSED,)


def test_decide_gives_a_proposed_body_the_fact_of_its_proposal() -> None:
    body = decide(partnership_lifecycle(), None, PROPOSAL, 5).body
    assert body.facts == (PROPOSED,)
    assert body.facts[0].organisation == "LGA"  # the mandate's, not the actor
    assert body == attrs.evolve(body, facts=[PROPOSED])


class TestAJustProposedBody:
    """A body decide creates holds its proposal until its facts are first read."""

    def test_its_facts_are_built_once_on_first_read(self) -> None:
        body = decide(partnership_lifecycle(), None, PROPOSAL, 5).body
        first = body.facts
        assert first is body.facts
        assert type(first) is Facts
        assert first[0] is body.facts[0]
        assert first == (PROPOSED,)

    @pytest.mark.parametrize(
        "read", [lambda b: b, pickle.loads, copy.deepcopy, copy.copy, attrs.evolve]
    )
    def test_it_reads_as_a_body_that_held_its_facts_from_the_start(
        self, read: Callable[[Body], Body]
    ) -> None:
        lifecycle = partnership_lifecycle()
        held = decide(lifecycle, None, PROPOSAL, 5).body
        held.facts  # noqa: B018 - read now: this one holds Facts
        body = decide(lifecycle, None, PROPOSAL, 5).body
        given = pickle.dumps(body) if read is pickle.loads else body
        other = read(given)  # type: ignore[arg-type]
        assert other == held
        assert hash(other) == hash(held)
        assert repr(other) == repr(held)
        assert other.facts == (PROPOSED,)

    def test_it_adds_to_the_collector_only_itself(self) -> None:
        lifecycle = partnership_lifecycle()
        proposals = [attrs.evolve(PROPOSAL, id=f"p{n}", body=f"b{n}") for n in range(1000)]
        decide(lifecycle, None, proposals[0], 0)
        gc.collect()
        before = len(gc.get_objects())
        bodies = [decide(lifecycle, None, p, n).body for n, p in enumerate(proposals)]
        gc.collect()
        assert len(gc.get_objects()) - before < 1000 * 1.05  # the Body: no Facts, no Fact
        assert [b.facts[0].decision for b in bodies] == proposals

    def test_bodies_just_proposed_share_one_history(self) -> None:
        lifecycle = partnership_lifecycle()
        first = decide(lifecycle, None, PROPOSAL, 5).body
        second = decide(lifecycle, None, attrs.evolve(PROPOSAL, body="c"), 6).body
        assert first.history == second.history == ("proposed",) == (lifecycle.initial,)
        assert first.history is second.history is lifecycle.initial_history
        assert first.state == "proposed"

    def test_a_fact_for_the_actors_organisation_is_kept_with_it(self) -> None:
        lifecycle = partnership_lifecycle(authorities=spb.authorities())
        proposal = attrs.evolve(PROPOSAL, actor="LGA officers", on_behalf_of=None)
        body = decide(lifecycle, None, proposal, 5).body
        assert body.facts == (Fact(5, proposal, "LGA", 2),)  # the actor's organisation
        assert pickle.loads(pickle.dumps(body)) == body  # noqa: S301


@given(
    picks=st.lists(
        st.tuples(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=3)),
        max_size=40,
    ),
    from_a_proposal=st.booleans(),
)
def test_every_version_keeps_its_facts_however_facts_are_added(
    picks: list[tuple[int, int]], *, from_a_proposal: bool
) -> None:
    root = (proposed(5, PROPOSAL, "LGA"), (PROPOSED,)) if from_a_proposal else (Facts(), ())
    versions: list[tuple[Facts, tuple[Fact, ...]]] = [root]
    n = 0
    for step, (pick, many) in enumerate(picks):
        base, expected = versions[pick % len(versions)]
        if many == 0:  # a fact built already
            grown, new = base.added(fact(n)), (fact(n),)
            n += 1
        else:  # one position, or several kept as the version's tail until it is read
            positions = list(range(n, n + many))
            grown = base.recorded(positions, RESOLVE, frozenset())
            new = tuple(fact(p) for p in positions)
            n += many
        versions.append((grown, (*expected, *new)))
        if step % 3 == 0:  # read some versions as they are made, leave others for the end
            assert tuple(grown) == (*expected, *new)
    for version, model in versions:
        assert tuple(version) == model
        assert len(version) == len(model)
