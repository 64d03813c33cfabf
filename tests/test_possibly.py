"""What is certain and what is possible about a body on a day inside a decision's span."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govflow import Decision, DecisionRefused, Kind, Registry, Source, When, replay
from govflow.log import body_as_of, body_possibly
from govflow.scenarios import partnership_lifecycle, spb

from .helpers import LIFECYCLE, TERMS

BASE = dt.date(2013, 1, 1)


def reference() -> Registry:
    registry = Registry(partnership_lifecycle(authorities=spb.authorities()))
    for decision in spb.decisions():
        registry.apply(decision)
    return registry


class TestTheReferenceCase:
    def test_inside_the_endorsement_s_span_it_is_certainly_proposed_possibly_endorsed(
        self,
    ) -> None:
        registry = reference()
        answer = body_possibly(
            registry.lifecycle, list(registry.log), spb.BODY, dt.date(2013, 2, 12)
        )
        assert answer.possible == ("proposed", "endorsed")
        assert answer.certain is not None
        assert answer.certain.state == "proposed"
        assert [e.decision.actor for e in answer.deciding] == [
            "LGA Executive",
            "Safer and Stronger Communities Board",
        ]
        assert str(answer) == (
            "as of 2013-02-12: certainly proposed; possibly endorsed (endorse by LGA Executive "
            "fell some day in 2012-07-04 to 2013-02-13; endorse by Safer and Stronger "
            "Communities Board fell some day in 2012-07-04 to 2013-02-13)"
        )

    def test_once_every_span_has_passed_it_is_certain(self) -> None:
        registry = reference()
        answer = body_possibly(
            registry.lifecycle, list(registry.log), spb.BODY, dt.date(2013, 2, 13)
        )
        assert (answer.possible, answer.deciding) == (("endorsed",), ())
        assert str(answer) == "as of 2013-02-13: certainly endorsed"

    def test_before_the_proposal_could_have_been_made_it_did_not_exist(self) -> None:
        registry = reference()
        answer = body_possibly(
            registry.lifecycle, list(registry.log), spb.BODY, dt.date(2012, 6, 30)
        )
        assert (answer.certain, answer.possible) == (None, (None,))
        assert str(answer) == "as of 2012-06-30: certainly not yet proposed"

    def test_while_the_proposal_itself_is_uncertain(self) -> None:
        registry = reference()
        answer = body_possibly(
            registry.lifecycle, list(registry.log), spb.BODY, dt.date(2012, 9, 15)
        )
        assert answer.certain is None
        assert answer.possible == (None, "proposed", "endorsed")
        assert repr(answer) == "<AsOf 'spb' 2012-09-15: [None, 'proposed', 'endorsed']>"


def test_a_certain_decision_after_an_uncertain_one_counts_only_with_it() -> None:
    """Endorsed some day in a span, then certainly reconsidered inside it: never only endorsed."""
    registry = Registry(LIFECYCLE)
    on = lambda n: When.on(BASE + dt.timedelta(days=n))  # noqa: E731
    made = [
        ("p", Kind.PROPOSE, "LGA", on(0), None),
        ("a", Kind.AGREE, "LGA", on(1), None),
        ("e", Kind.AGREE, "APCC", When.between(BASE, BASE + dt.timedelta(days=60)), "endorse"),
        ("r", Kind.REQUEST_RECONSIDERATION, "LGA", on(10), "reconsider"),
    ]
    for id_, kind, actor, when, trigger in made:
        registry.apply(
            Decision(
                id=id_,
                body="b",
                kind=kind,
                actor=actor,
                decided=when,
                source=Source("t"),
                trigger=trigger,
                terms=TERMS if kind is Kind.PROPOSE else None,
            )
        )
    answer = body_possibly(LIFECYCLE, list(registry.log), "b", BASE + dt.timedelta(days=20))
    assert answer.possible == ("proposed", "reconsidered")
    assert [e.decision.id for e in answer.deciding] == ["e"]


ACTORS = ("LGA", "APCC")


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Decision], dt.date]:
    """A body's decisions with dates to the day, the month or a span, and a day to ask about."""
    decisions = []
    start = BASE
    for n in range(draw(st.integers(1, 7))):
        start += dt.timedelta(days=draw(st.integers(0, 40)))
        shape = draw(st.sampled_from(["day", "month", "span"]))
        if shape == "day":
            when = When.on(start)
        elif shape == "month":
            when = When.month(start.year, start.month)
        else:
            when = When.between(start, start + dt.timedelta(days=draw(st.integers(1, 60))))
        if n == 0:
            kind, trigger = Kind.PROPOSE, None
        else:
            kind = draw(st.sampled_from([Kind.AGREE, Kind.NOMINATE, Kind.REQUEST_RECONSIDERATION]))
            trigger = draw(st.sampled_from([None, "endorse", "reconsider"]))
        decisions.append(
            Decision(
                id=f"d{n}",
                body="b",
                kind=kind,
                actor=draw(st.sampled_from(ACTORS)),
                decided=when,
                source=Source("t"),
                trigger=trigger,
                terms=TERMS if kind is Kind.PROPOSE else None,
            )
        )
    if draw(st.booleans()):  # a day anywhere
        day = BASE + dt.timedelta(days=draw(st.integers(-10, 400)))
    else:  # a day inside one decision's span, where placements differ
        decided = draw(st.sampled_from(decisions)).decided
        width = (decided.latest - decided.earliest).days
        day = decided.earliest + dt.timedelta(days=draw(st.integers(0, width)))
    return decisions, day


def oracle(entries: list, day: dt.date) -> tuple[str | None, set[str | None]]:  # type: ignore[type-arg]
    """Enumerate every placement of the uncertain decisions: the certain and possible states."""
    uncertain = [
        i
        for i, e in enumerate(entries)
        if e.decision.decided.earliest <= day and not e.decision.decided.ends_by(day)
    ]
    results: dict[frozenset[int], str | None] = {}
    for taken in itertools.chain.from_iterable(
        itertools.combinations(uncertain, r) for r in range(len(uncertain) + 1)
    ):
        done = [e.decision.decided.ends_by(day) or i in taken for i, e in enumerate(entries)]
        prefix = next((i for i, d in enumerate(done) if not d), len(entries))
        body = replay(LIFECYCLE, entries[:prefix]).get("b")
        results[frozenset(taken)] = None if body is None else body.state
    return results[frozenset()], set(results.values())


@settings(max_examples=150, deadline=None)
@given(histories())
def test_the_possible_states_are_exactly_those_of_every_placement(
    history: tuple[list[Decision], dt.date],
) -> None:
    decisions, day = history
    registry = Registry(LIFECYCLE)
    for decision in decisions:
        try:
            registry.apply(decision)
        except DecisionRefused:
            continue
    entries = list(registry.log)
    assume(len([e for e in entries if not e.decision.decided.ends_by(day)]) <= 6)
    certain, possible = oracle(entries, day)
    answer = body_possibly(LIFECYCLE, entries, "b", day)
    assert answer.possible[0] == certain
    assert set(answer.possible) == possible
    assert len(answer.possible) == len(possible)
    assert answer.certain == body_as_of(LIFECYCLE, entries, "b", day)
    if answer.certain is not None:  # only decisions certainly taken, and each in log order
        taken = [f.decision for f in answer.certain.facts]
        assert all(d.decided.ends_by(day) for d in taken)
        assert taken == [e.decision for e in entries if e.decision in taken]
        prefix = next((i for i, e in enumerate(entries) if not e.decision.decided.ends_by(day)),
                      len(entries))  # fmt: skip
        assert all(e.decision in taken for e in entries[:prefix])  # none lost before a gap
    if len(possible) == 1:
        assert answer.deciding == ()


def test_a_certain_fact_after_an_uncertain_one_counts_up_to_what_may_rest_on_it() -> None:
    """An agreement certainly given counts though one logged before it may be later.

    The LGA agreed "in January", the APCC on 5 January: on 20 January the APCC's
    agreement is certain, and only the LGA's is awaited. The endorsement asked on
    6 January may have rested on the LGA's, so it is not taken (it is possible).
    """
    registry = Registry(LIFECYCLE)
    on = lambda n: When.on(BASE + dt.timedelta(days=n))  # noqa: E731
    made = [
        ("p", Kind.PROPOSE, "LGA", on(0), None),
        ("lga", Kind.AGREE, "LGA", When.month(2013, 1), None),
        ("apcc", Kind.AGREE, "APCC", on(4), None),
        ("e", Kind.ENDORSE, "APCC", on(5), "endorse"),
        ("late", Kind.AGREE, "APCC", on(6), None),
    ]
    for id_, kind, actor, when, trigger in made:
        registry.apply(Decision(id=id_, body="b", kind=kind, actor=actor, decided=when,
                                source=Source("t"), trigger=trigger,
                                terms=TERMS if kind is Kind.PROPOSE else None))  # fmt: skip
    assert registry.body("b").state == "endorsed"
    day = BASE + dt.timedelta(days=19)
    certain = body_as_of(LIFECYCLE, list(registry.log), "b", day)
    assert certain is not None
    assert ([f.decision.id for f in certain.facts], certain.state) == (["p", "apcc"], "proposed")
    (endorse, *_) = registry.explain("b", on=day).options
    awaited = dict(endorse.reasons[0].params)
    assert (endorse.trigger, awaited["missing"], awaited["have"]) == ("endorse", ("LGA",), 1)
    answer = body_possibly(LIFECYCLE, list(registry.log), "b", day)
    assert answer.certain == certain
    assert answer.possible == ("proposed", "endorsed")
    assert [e.decision.id for e in answer.deciding] == ["lga"]
    # Once the month is over, every decision counts.
    after = body_as_of(LIFECYCLE, list(registry.log), "b", BASE + dt.timedelta(days=31))
    assert after == registry.body("b")
