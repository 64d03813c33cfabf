"""Date guards: fixed days, days counted from a body's history, and windows of counting.

Every boundary is tested on both sides, for decisions (and anchors) dated to the day,
to the month and as a span, with the interval rule ``as_of`` uses: a guard passes
only when the decision certainly falls on its side of the bound.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from govflow import (
    Body,
    Decision,
    InvalidRecord,
    Kind,
    Lifecycle,
    Registry,
    Source,
    Terms,
    Transition,
    When,
)
from govflow.guards import (
    decided,
    decided_by,
    entered,
    every_partner,
    meeting_held,
    nominations_from_every_partner,
    not_after,
    not_before,
    param,
    votes,
    within,
)
from govflow.guards.dates import plus_months
from govflow.guards.protocol import describe_guard
from govflow.guards.windows import Window
from govflow.model.body import Facts
from govflow.rules.advice import advice

D = dt.date
TERMS = Terms(title="Queue", partners=("LGA", "APCC"))
QUEUE = Lifecycle(
    states=["drafted", "queued", "done"],
    initial="drafted",
    transitions=[Transition("queue", "drafted", "queued"), Transition("run", "queued", "done")],
)


def decision(id_: str, kind: Kind, when: When, actor: str = "LGA", **fields: object) -> Decision:
    if kind is Kind.PROPOSE:
        fields.setdefault("terms", TERMS)
    return Decision(
        id=id_,
        body="q",
        kind=kind,
        actor=actor,
        decided=when,
        source=Source("t"),
        **fields,  # type: ignore[arg-type]
    )


def queued_on(when: When, *more: Decision) -> Body:
    """A body proposed on 1 January 2013 and queued on ``when``, with ``more`` after."""
    registry = Registry(QUEUE)
    registry.apply(decision("p", Kind.PROPOSE, When.on(D(2013, 1, 1))))
    registry.apply(decision("queue", Kind.AGREE, when, trigger="queue"))
    for d in more:
        registry.apply(d)
    return registry.body("q")


DAY = When.on(D(2013, 4, 10))
MONTH = When.month(2013, 4)  # 1 to 30 April
SPAN = When.between(D(2013, 4, 5), D(2013, 4, 12))


class TestFixedDays:
    @pytest.mark.parametrize(
        ("on", "passes"),
        [
            (When.on(D(2013, 4, 1)), True),
            (When.on(D(2013, 3, 31)), False),
            (When.month(2013, 4), True),  # from 1 April: certainly on or after it
            (When.month(2013, 3), False),
            (When.between(D(2013, 4, 1), D(2013, 4, 3)), True),
            (When.between(D(2013, 3, 31), D(2013, 4, 3)), False),
        ],
    )
    def test_not_before(self, on: When, passes: bool) -> None:  # noqa: FBT001
        assert not_before(D(2013, 4, 1))(queued_on(When.on(D(2013, 2, 1))), on).passed is passes

    @pytest.mark.parametrize(
        ("on", "passes"),
        [
            (When.on(D(2013, 4, 30)), True),
            (When.on(D(2013, 5, 1)), False),
            (When.month(2013, 4), True),  # to 30 April: certainly on or before it
            (When.month(2013, 5), False),
            (When.between(D(2013, 4, 28), D(2013, 4, 30)), True),
            (When.between(D(2013, 4, 28), D(2013, 5, 1)), False),
        ],
    )
    def test_not_after(self, on: When, passes: bool) -> None:  # noqa: FBT001
        assert not_after(D(2013, 4, 30))(queued_on(When.on(D(2013, 2, 1))), on).passed is passes

    def test_a_decision_too_late_names_the_day_and_its_date(self) -> None:
        verdict = not_after(D(2013, 4, 30))(queued_on(When.on(D(2013, 2, 1))), When.month(2013, 5))
        assert verdict.guard == "not after 2013-04-30"
        (reason,) = verdict.reasons
        assert reason.code == "too_late"
        assert dict(reason.params) == {"not_after": "2013-04-30", "decided": "2013-05"}
        assert reason.message == "not after 2013-04-30: 2013-05 is later"

    def test_a_date_spanning_the_bound_may_be_either_side_not_certainly_one(self) -> None:
        # April 2013 is neither side of 15 April: refused by both, said to "may be" each.
        on, body = When.month(2013, 4), queued_on(When.on(D(2013, 2, 1)))
        early = not_before(D(2013, 4, 15))(body, on).reasons[0].message
        late = not_after(D(2013, 4, 15))(body, on).reasons[0].message
        assert early == "not before 2013-04-15: 2013-04 may be earlier (it spans 2013-04-15)"
        assert late == "not after 2013-04-15: 2013-04 may be later (it spans 2013-04-15)"

    def test_a_fixed_not_before_keeps_its_name_and_message(self) -> None:
        verdict = not_before(D(2013, 4, 1))(queued_on(When.on(D(2013, 2, 1))), When.month(2013, 3))
        assert verdict.guard == "not before 2013-04-01"
        assert verdict.reasons[0].message == "not before 2013-04-01: 2013-03 is earlier"


class TestRelativeToEnteringAState:
    """``not_before(entered("queued", days=2))``: the latest the body could have been queued."""

    @pytest.mark.parametrize(
        ("queued", "on", "passes"),
        [
            (DAY, When.on(D(2013, 4, 12)), True),
            (DAY, When.on(D(2013, 4, 11)), False),
            (MONTH, When.on(D(2013, 5, 2)), True),  # queued as late as 30 April
            (MONTH, When.on(D(2013, 5, 1)), False),
            (MONTH, When.month(2013, 5), False),  # May may be the 1st
            (SPAN, When.between(D(2013, 4, 14), D(2013, 4, 20)), True),
            (SPAN, When.between(D(2013, 4, 13), D(2013, 4, 20)), False),
        ],
    )
    def test_not_before_a_day_after_entering(self, queued: When, on: When, passes: bool) -> None:  # noqa: FBT001
        guard = not_before(entered("queued", days=2))
        assert guard(queued_on(queued), on).passed is passes

    @pytest.mark.parametrize(
        ("queued", "on", "passes"),
        [
            (DAY, When.on(D(2013, 4, 24)), True),
            (DAY, When.on(D(2013, 4, 25)), False),
            (MONTH, When.on(D(2013, 4, 15)), True),  # queued as early as 1 April
            (MONTH, When.on(D(2013, 4, 16)), False),
            (SPAN, When.between(D(2013, 4, 10), D(2013, 4, 19)), True),
            (SPAN, When.between(D(2013, 4, 10), D(2013, 4, 20)), False),
        ],
    )
    def test_not_after_a_day_after_entering(self, queued: When, on: When, passes: bool) -> None:  # noqa: FBT001
        guard = not_after(entered(days=14))
        assert guard(queued_on(queued), on).passed is passes

    def test_the_reason_says_which_day_and_from_what(self) -> None:
        guard = not_before(entered("queued", days=2))
        assert guard.name == "not before 2 days after entering queued"
        verdict = guard(queued_on(DAY), When.on(D(2013, 4, 11)))
        (reason,) = verdict.reasons
        assert dict(reason.params) == {"not_before": "2013-04-12", "decided": "2013-04-11"}
        assert reason.message == (
            "not before 2013-04-12 (2 days after entering queued): 2013-04-11 is earlier"
        )

    def test_a_body_in_another_state_has_no_such_day(self) -> None:
        registry = Registry(QUEUE)
        registry.apply(decision("p", Kind.PROPOSE, When.on(D(2013, 1, 1))))
        verdict = not_before(entered("queued"))(registry.body("q"), DAY)
        assert not verdict.passed
        assert verdict.reasons[0].code == "date_unknown"
        assert verdict.reasons[0].message == "the body has no date for entering queued yet"

    def test_a_rescinded_entering_decision_keeps_the_day_it_entered(self) -> None:
        rescind = decision("r", Kind.RESCIND, When.on(D(2013, 4, 11)), supersedes="queue")
        body = queued_on(DAY, decision("x", Kind.AGREE, When.on(D(2013, 4, 11)), "APCC"), rescind)
        assert (body.state, body.entered_on) == ("queued", DAY)
        assert not_before(entered("queued", days=2))(body, When.on(D(2013, 4, 12))).passed

    def test_a_body_built_by_hand_is_looked_up_by_its_facts(self) -> None:
        later = decision("x", Kind.AGREE, When.on(D(2013, 4, 11)), "APCC")
        body = attrs.evolve(queued_on(DAY, later), entered_on=None)
        assert [f.seq for f in body.facts] == [0, 1, 2]  # queued by fact 1, then one more
        assert not_before(entered("queued", days=2))(body, When.on(D(2013, 4, 12))).passed
        assert not not_before(entered("queued", days=2))(body, When.on(D(2013, 4, 11))).passed
        gone = attrs.evolve(body, entered=99)
        assert not_before(entered())(gone, DAY).reasons[0].code == "date_unknown"
        factless = attrs.evolve(body, facts=Facts(()))
        assert not_before(entered())(factless, DAY).reasons[0].code == "date_unknown"

    def test_the_current_state_is_the_proposal_for_a_body_just_proposed(self) -> None:
        registry = Registry(QUEUE)
        registry.apply(decision("p", Kind.PROPOSE, When.on(D(2013, 1, 1))))
        guard = not_before(entered(days=-1))
        assert guard.name == "not before 1 day before entering the current state"
        assert guard(registry.body("q"), When.on(D(2012, 12, 31))).passed
        assert not guard(registry.body("q"), When.on(D(2012, 12, 30))).passed


class TestRelativeToADecision:
    def test_within_days_of_the_latest_decision_of_a_kind(self) -> None:
        order = decision("order", Kind.ESTABLISH, MONTH)
        body = queued_on(When.on(D(2013, 3, 1)), order)
        guard = not_after(decided(Kind.ESTABLISH, days=14))
        assert guard.name == "not after 14 days after establish"
        assert guard(body, When.on(D(2013, 4, 15))).passed
        assert not guard(body, When.on(D(2013, 4, 16))).passed

    def test_a_decision_taken_on_earlier_terms_gives_no_day(self) -> None:
        order = decision("order", Kind.ESTABLISH, MONTH)
        body = queued_on(When.on(D(2013, 3, 1)), order)
        new_terms = attrs.evolve(TERMS, version=2)
        amend = decision("amend", Kind.AMEND, When.on(D(2013, 5, 1)), terms=new_terms)
        amended = queued_on(When.on(D(2013, 3, 1)), order, amend)
        assert amended.terms.version == 2
        guard = not_after(decided(Kind.ESTABLISH, days=14))
        assert guard(body, When.on(D(2013, 4, 15))).passed
        assert guard(amended, When.on(D(2013, 4, 15))).reasons[0].code == "date_unknown"

    def test_no_such_decision_yet(self) -> None:
        verdict = not_after(decided(Kind.ESTABLISH, days=14))(queued_on(DAY), DAY)
        assert verdict.reasons[0].code == "date_unknown"


class TestCalendarMonths:
    """``entered("queued", months=6)``: the same day months on, or the month's last."""

    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (D(2013, 4, 10), 1, D(2013, 5, 10)),
            (D(2013, 1, 31), 1, D(2013, 2, 28)),  # February has no 31st: its last day
            (D(2012, 1, 31), 1, D(2012, 2, 29)),  # in a leap year, the 29th
            (D(2012, 2, 29), 12, D(2013, 2, 28)),
            (D(2013, 3, 31), -1, D(2013, 2, 28)),
            (D(2013, 11, 15), 2, D(2014, 1, 15)),  # into the next year
            (D(2013, 2, 15), -14, D(2011, 12, 15)),  # back into the year before last
            (D(2013, 8, 31), 0, D(2013, 8, 31)),
        ],
    )
    def test_a_month_on_is_the_same_day_or_the_month_s_last(
        self, day: dt.date, months: int, expected: dt.date
    ) -> None:
        assert plus_months(day, months) == expected

    @pytest.mark.parametrize(("day", "months"), [(D(9999, 12, 1), 1), (D(1, 1, 1), -1)])
    def test_a_month_past_the_calendar_s_ends_is_no_day(self, day: dt.date, months: int) -> None:
        """Past 9999, "not before" it is met by no day; before year 1, "not after" it."""
        with pytest.raises(OverflowError):
            plus_months(day, months)
        registry = Registry(QUEUE)
        registry.apply(decision("p", Kind.PROPOSE, When.on(day)))
        registry.apply(decision("queue", Kind.AGREE, When.on(day), trigger="queue"))
        body, on = registry.body("q"), When.on(day)
        never, always = (not_before, not_after) if months > 0 else (not_after, not_before)
        verdict = never(entered("queued", months=months))(body, on)
        assert (verdict.passed, verdict.reasons[0].code) == (False, "date_out_of_range")
        assert always(entered("queued", months=months))(body, on).passed  # every day meets it

    @pytest.mark.parametrize(
        ("queued", "on", "passes"),
        [
            (DAY, When.on(D(2013, 10, 10)), True),  # six months on, to the day
            (DAY, When.on(D(2013, 10, 9)), False),
            (MONTH, When.on(D(2013, 10, 30)), True),  # queued as late as 30 April
            (MONTH, When.on(D(2013, 10, 29)), False),
            (MONTH, When.month(2013, 10), False),  # October may be before the 30th
            (MONTH, When.month(2013, 11), True),
            (SPAN, When.on(D(2013, 10, 12)), True),
            (SPAN, When.on(D(2013, 10, 11)), False),
        ],
    )
    def test_not_before_months_after_entering(self, queued: When, on: When, passes: bool) -> None:  # noqa: FBT001
        guard = not_before(entered("queued", months=6))
        assert guard(queued_on(queued), on).passed is passes

    def test_months_are_counted_before_days(self) -> None:
        # 31 January plus a month is 28 February, plus a day 1 March; the other way
        # round it would be 1 February plus a month, 1 March too, so take the 30th:
        # 30 January plus a month is 28 February, plus 1 day 1 March; a day first
        # would give 31 January, plus a month 28 February.
        body = queued_on(When.on(D(2013, 1, 30)))
        guard = not_before(entered("queued", months=1, days=1))
        assert guard.name == "not before 1 day after 1 month after entering queued"
        assert guard(body, When.on(D(2013, 3, 1))).passed
        assert not guard(body, When.on(D(2013, 2, 28))).passed

    def test_years_are_twelve_months(self) -> None:
        assert entered("queued", years=1) == entered("queued", months=12)
        assert entered("queued", years=1, months=-6) == entered("queued", months=6)
        order = decision("order", Kind.ESTABLISH, When.on(D(2016, 2, 29)))
        body = queued_on(When.on(D(2016, 1, 1)), order)
        guard = not_before(decided(Kind.ESTABLISH, years=1))
        assert guard.name == "not before 1 year after establish"
        assert guard(body, When.on(D(2017, 2, 28))).passed
        assert not guard(body, When.on(D(2017, 2, 27))).passed

    @pytest.mark.parametrize(
        ("anchor", "words"),
        [
            (entered("q", months=1), "1 month after entering q"),
            (entered("q", months=-2), "2 months before entering q"),
            (entered("q", months=24), "2 years after entering q"),
            (entered("q", months=-12), "1 year before entering q"),
            (entered("q", months=18, days=-1), "1 day before 18 months after entering q"),
            (decided(Kind.END, months=3), "3 months after end"),
            (param("start", months=6, days=2), "2 days after 6 months after start"),
        ],
    )
    def test_an_anchor_in_words(self, anchor: object, words: str) -> None:
        assert str(anchor) == words

    def test_a_day_from_the_body_s_parameters_moved_by_months(self) -> None:
        body = queued_on(DAY)
        body = attrs.evolve(body, terms=attrs.evolve(TERMS, parameters={"start": D(2013, 8, 31)}))
        guard = not_before(param("start", months=6))
        assert guard(body, When.on(D(2014, 2, 28))).passed
        assert not guard(body, When.on(D(2014, 2, 27))).passed

    def test_months_with_a_number_of_days_from_the_parameters(self) -> None:
        body = queued_on(DAY)
        body = attrs.evolve(body, terms=attrs.evolve(TERMS, parameters={"grace": 5}))
        guard = not_after(entered("queued", months=1, days=param("grace")))
        assert guard.name == "not after grace days after 1 month after entering queued"
        assert guard(body, When.on(D(2013, 5, 15))).passed
        assert not guard(body, When.on(D(2013, 5, 16))).passed

    @pytest.mark.parametrize("months", [1.5, "6", True, None, 3241, -3241])
    def test_months_that_are_not_a_whole_number_in_range(self, months: object) -> None:
        for anchor in (
            entered,
            lambda **kw: decided(Kind.AGREE, **kw),
            lambda **kw: param("p", **kw),
        ):
            with pytest.raises(InvalidRecord, match=r"\.months must be a whole number from -3240"):
                anchor(months=months)

    @pytest.mark.parametrize("years", [0.5, "1", False, 271, -271])
    def test_years_that_are_not_a_whole_number_in_range(self, years: object) -> None:
        with pytest.raises(InvalidRecord, match=r"entered\.years must be a whole number from -270"):
            entered(years=years)  # type: ignore[arg-type]

    def test_years_and_months_past_the_most_together(self) -> None:
        # It named the sum, a value nobody wrote ("Entered.months ... 3241 was given").
        with pytest.raises(InvalidRecord) as refused:
            entered(years=270, months=1)
        assert str(refused.value).startswith(
            "entered.months must be from -3240 to 3240 months in all, a year counted as twelve, "
            "but 'months = 1, years = 270' was given"
        )

    def test_a_count_from_the_parameters_is_a_bare_param(self) -> None:
        with pytest.raises(InvalidRecord, match="days"):
            entered(days=param("delay", months=1))
        with pytest.raises(InvalidRecord, match="quorum"):
            votes(Kind.AGREE, ["LGA", "APCC"], quorum=param("q", months=1))


class TestWindows:
    def test_decided_by_counts_only_decisions_within_the_window(self) -> None:
        body = queued_on(
            When.on(D(2013, 3, 1)),
            decision("a", Kind.AGREE, When.on(D(2013, 3, 31)), "LGA"),
            decision("b", Kind.AGREE, When.on(D(2013, 4, 1)), "APCC"),
        )
        april = within(D(2013, 4, 1), D(2013, 4, 30))
        guard = decided_by(Kind.AGREE, ["LGA", "APCC"], within=april)
        verdict = guard(body, DAY)
        assert guard.name == "agree by all of: LGA, APCC, from 2013-04-01 to 2013-04-30"
        assert verdict.reasons[0].param("missing") == ("LGA",)
        assert verdict.reasons[0].message.endswith(
            "(counting decisions from 2013-04-01 to 2013-04-30)"
        )
        assert decided_by(Kind.AGREE, ["APCC"], within=april)(body, DAY).passed

    def test_a_month_dated_decision_counts_only_if_certainly_inside(self) -> None:
        body = queued_on(When.on(D(2013, 3, 1)), decision("a", Kind.AGREE, MONTH, "APCC"))

        def counted(window: Window) -> bool:
            return decided_by(Kind.AGREE, ["APCC"], within=window)(body, DAY).passed

        assert counted(within(end=D(2013, 4, 30)))
        assert not counted(within(end=D(2013, 4, 29)))
        assert counted(within(D(2013, 4, 1)))
        assert not counted(within(D(2013, 4, 2)))

    def test_a_window_counted_from_entering_the_state(self) -> None:
        body = queued_on(
            When.on(D(2013, 4, 1)),
            decision("a", Kind.AGREE, When.on(D(2013, 4, 14)), "LGA"),
            decision("b", Kind.AGREE, When.on(D(2013, 4, 16)), "APCC"),
        )
        fortnight = within(end=entered(days=14))
        assert decided_by(Kind.AGREE, ["LGA"], within=fortnight)(body, DAY).passed
        assert not decided_by(Kind.AGREE, ["APCC"], within=fortnight)(body, DAY).passed

    def test_since_entered_said_either_way_is_one_guard(self) -> None:
        one = every_partner(Kind.REAFFIRM, since_entered=True)
        other = every_partner(Kind.REAFFIRM, within=within(since_entered=True))
        assert one == other

    def test_a_meeting_held_before_entering_does_not_count_since_entering(self) -> None:
        meeting = decision("m", Kind.HOLD_MEETING, When.on(D(2013, 2, 1)), meeting="consultation")
        registry = Registry(QUEUE)
        registry.apply(decision("p", Kind.PROPOSE, When.on(D(2013, 1, 1))))
        registry.apply(meeting)
        registry.apply(decision("queue", Kind.AGREE, When.on(D(2013, 3, 1)), trigger="queue"))
        body = registry.body("q")
        assert meeting_held("consultation")(body, DAY).passed
        fresh = meeting_held("consultation", within=within(since_entered=True))
        verdict = fresh(body, DAY)
        assert not verdict.passed
        assert verdict.reasons[0].message == (
            "awaiting meeting: consultation (held since entering the current state)"
        )
        registry.apply(
            decision("m2", Kind.HOLD_MEETING, When.on(D(2013, 3, 2)), meeting="consultation")
        )
        assert fresh(registry.body("q"), DAY).evidence == (3,)

    def test_nominations_in_a_window(self) -> None:
        body = queued_on(
            When.on(D(2013, 3, 1)),
            decision("n1", Kind.NOMINATE, When.on(D(2013, 3, 2)), "LGA"),
            decision("n2", Kind.NOMINATE, When.on(D(2013, 3, 20)), "APCC"),
        )
        assert nominations_from_every_partner()(body, DAY).passed
        late = nominations_from_every_partner(within=within(D(2013, 3, 10)))
        assert late.name == "nominations from every partner, from 2013-03-10"
        assert late(body, DAY).reasons[0].param("missing") == ("LGA",)

    def test_a_window_closed_before_the_day_says_no_later_decision_counts(self) -> None:
        body = queued_on(
            When.on(D(2013, 4, 1)),
            decision("n", Kind.NOMINATE, When.on(D(2013, 4, 3)), "LGA"),
            decision("a", Kind.AGREE, When.on(D(2013, 4, 14)), "LGA"),
        )
        fortnight = within(end=entered(days=14))  # to 15 April
        guards = [
            decided_by(Kind.AGREE, ["LGA", "APCC"], within=fortnight),
            nominations_from_every_partner(within=fortnight),
            votes(Kind.AGREE, voters=["LGA", "APCC"], for_at_least=2, within=fortnight),
        ]
        for guard in guards:
            open_ = guard(body, When.on(D(2013, 4, 15))).reasons[0]
            assert open_.param("closed") is None
            assert "closed" not in open_.message
            assert advice([open_]).endswith("first. Then ask for the trigger again.")
            shut = guard(body, When.on(D(2013, 4, 16))).reasons[0]
            assert shut.param("closed") == "2013-04-15"
            assert (shut.param("missing") or shut.param("not_voted")) == ("APCC",)
            assert shut.message.endswith(
                "; the window closed on 2013-04-15: a decision taken later does not count"
            )
            said = advice([shut])
            assert said.startswith("No decision taken now counts toward it, unless its window")
            assert "Then ask for the trigger again" not in said
        # A day known only to a span that starts inside the window: not certainly closed.
        assert (
            guards[0](body, When.between(D(2013, 4, 15), D(2013, 4, 20))).reasons[0].param("closed")
            is None
        )

    def test_a_window_not_yet_open_on_the_day_says_an_earlier_decision_does_not_count(
        self,
    ) -> None:
        """It named the member who had just voted as awaited, and said nothing of the window."""
        body = queued_on(
            When.on(D(2013, 2, 1)),
            decision("a", Kind.AGREE, When.on(D(2013, 2, 25)), "LGA"),
        )
        march = within(D(2013, 3, 1), D(2013, 3, 31))
        guards = [
            decided_by(Kind.AGREE, ["LGA", "APCC"], within=march),
            votes(Kind.AGREE, voters=["LGA", "APCC"], for_at_least=2, within=march),
        ]
        for guard in guards:
            early = guard(body, When.on(D(2013, 2, 25))).reasons[0]
            assert early.param("opens") == "2013-03-01"
            assert early.message.endswith(
                "; the window opens on 2013-03-01: a decision taken earlier does not count"
            )
            assert "taken on or after 2013-03-01, when its window opens." in advice([early])
            assert advice([early]).endswith("Then ask for the trigger again.")
            inside = guard(body, When.on(D(2013, 3, 1))).reasons[0]
            assert inside.param("opens") is None
            assert "opens" not in inside.message
        # A day known only to a span that ends inside the window: not certainly before it.
        span = When.between(D(2013, 2, 20), D(2013, 3, 5))
        assert guards[0](body, span).reasons[0].param("opens") is None

    def test_an_anchor_without_a_day_counts_nothing(self) -> None:
        body = queued_on(DAY, decision("a", Kind.AGREE, When.on(D(2013, 4, 11)), "LGA"))
        after_order = within(decided(Kind.ESTABLISH))
        assert not decided_by(Kind.AGREE, ["LGA"], within=after_order)(body, DAY).passed


class TestTheFingerprint:
    def test_guards_without_a_window_describe_as_before(self) -> None:
        described = describe_guard(decided_by(Kind.AGREE, ["LGA"]))
        assert "within" not in described
        assert "within" not in describe_guard(meeting_held("m"))
        assert describe_guard(nominations_from_every_partner()) == {
            "guard": "nominations from every partner",
            "type": "Nominations",
        }

    def test_a_window_and_an_anchor_enter_with_their_fields(self) -> None:
        described = describe_guard(
            decided_by(Kind.AGREE, ["LGA"], within=within(D(2013, 4, 1), entered("q", days=3)))
        )
        assert described["within"] == {
            "start": "2013-04-01",
            "end": {"state": "q", "days": 3},
            "since_entered": False,
        }
        assert describe_guard(not_before(decided(Kind.END, days=-2)))["day"] == {
            "kinds": ["end"],
            "days": -2,
        }

    def test_months_enter_only_when_an_anchor_adds_some(self) -> None:
        # Added after lifecycles were fingerprinted: without months, as before.
        assert describe_guard(not_before(entered("q", days=3)))["day"] == {"state": "q", "days": 3}
        assert describe_guard(not_before(entered("q", months=6)))["day"] == {
            "state": "q",
            "days": 0,
            "months": 6,
        }
        six, twelve = (
            Lifecycle(
                states=["drafted", "queued", "done"],
                initial="drafted",
                transitions=[
                    Transition("queue", "drafted", "queued"),
                    Transition("run", "queued", "done", guards=[not_before(entered(months=m))]),
                ],
            )
            for m in (6, 12)
        )
        assert six.fingerprint != twelve.fingerprint


class TestBadInput:
    @pytest.mark.parametrize(
        "bound", [dt.datetime(2013, 4, 1), "2013-04-01", None, 3, When.on(D(2013, 4, 1))]
    )
    def test_a_bound_that_is_not_a_day_or_an_anchor(self, bound: object) -> None:
        with pytest.raises(InvalidRecord, match=r"a datetime\.date, entered"):
            not_before(bound)  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match=r"a datetime\.date, entered"):
            not_after(bound)  # type: ignore[arg-type]

    @pytest.mark.parametrize("days", [1.5, "2", True, 10**6, -(10**6)])
    def test_days_that_are_not_a_whole_number_in_range(self, days: object) -> None:
        with pytest.raises(InvalidRecord, match="days"):
            entered(days=days)  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match="days"):
            decided(Kind.AGREE, days=days)  # type: ignore[arg-type]

    @pytest.mark.parametrize("kinds", [[], "vote", [3], None])
    def test_an_anchor_on_no_kind_or_an_unknown_one(self, kinds: object) -> None:
        with pytest.raises(InvalidRecord, match="kinds"):
            decided(kinds)  # type: ignore[arg-type]

    @pytest.mark.parametrize("window", ["april", (D(2013, 4, 1), None), D(2013, 4, 1)])
    def test_a_window_that_is_not_one(self, window: object) -> None:
        with pytest.raises(InvalidRecord, match=r"within"):
            decided_by(Kind.AGREE, ["LGA"], within=window)  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match=r"within"):
            meeting_held("m", within=window)  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match=r"within"):
            nominations_from_every_partner(within=window)  # type: ignore[arg-type]

    def test_a_window_that_ends_before_it_starts(self) -> None:
        with pytest.raises(InvalidRecord, match=r"Window\.end must be a day on or after the start"):
            within(D(2013, 4, 2), D(2013, 4, 1))
        assert within(D(2013, 4, 1), D(2013, 4, 1)).start == D(2013, 4, 1)

    def test_a_window_bound_or_flag_of_the_wrong_type(self) -> None:
        with pytest.raises(InvalidRecord, match="Window"):
            within("2013-04-01")  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match="since_entered"):
            within(since_entered=1)  # type: ignore[arg-type]

    def test_a_window_past_the_calendar_s_end_is_open_there(self) -> None:
        """A window's end past 9999, or its start before year 1, leaves it open that way."""
        for day, bound, months in ((D(9999, 12, 1), "end", 1), (D(1, 1, 1), "start", -1)):
            registry = Registry(QUEUE)
            registry.apply(decision("p", Kind.PROPOSE, When.on(day)))
            registry.apply(decision("a", Kind.AGREE, When.on(day)))
            window = within(**{bound: entered(months=months)})
            verdict = decided_by(Kind.AGREE, ["LGA"], within=window)(
                registry.body("q"), When.on(day)
            )
            assert verdict.passed, bound

    @pytest.mark.parametrize("bound", ["start", "end"])
    def test_a_window_past_the_calendar_says_so_not_that_it_awaits(self, bound: str) -> None:
        """A window opening past 9999 (or closing before year 1) counts no decision: said."""
        day, months = (D(9999, 12, 1), 1) if bound == "start" else (D(1, 1, 1), -1)
        registry = Registry(QUEUE)
        registry.apply(decision("p", Kind.PROPOSE, When.on(day)))
        registry.apply(decision("a", Kind.AGREE, When.on(day)))
        body, on = registry.body("q"), When.on(day)
        window = within(**{bound: entered(months=months)})
        guards = (
            decided_by(Kind.AGREE, ["LGA"], within=window),
            every_partner(Kind.AGREE, within=window),
            nominations_from_every_partner(within=window),
            votes(Kind.AGREE, for_at_least=1, within=window),
        )
        for guard in guards:
            verdict = guard(body, on)
            codes = [reason.code for reason in verdict.reasons]
            assert (verdict.passed, codes) == (False, ["date_out_of_range"]), guard.name
            assert "awaiting" not in verdict.reasons[-1].message
            assert verdict.reasons[-1].message == (
                f"1 month {'after' if months > 0 else 'before'} entering the current state "
                "falls outside years 1 to 9999: no decision can meet it"
            )

    def test_an_anchor_past_the_calendar_has_no_day_and_passes_nothing(self) -> None:
        registry = Registry(QUEUE)
        registry.apply(decision("p", Kind.PROPOSE, When.on(D(9999, 12, 1))))
        body, on = registry.body("q"), When.on(D(9999, 12, 31))
        verdict = not_before(entered(days=100_000))(body, on)
        assert (verdict.passed, verdict.reasons[0].code) == (False, "date_out_of_range")
        assert verdict.reasons[0].message == (
            "100000 days after entering the current state falls outside years 1 to 9999: "
            "no decision can meet it"
        )
        assert not_after(entered(days=100_000))(body, on).passed  # every day is before it


def test_an_anchor_decision_an_amendment_voided_is_said_so_not_awaited() -> None:
    """It said "no date for 1 day after agree yet": the agreement was taken, on older terms."""
    registry = Registry(QUEUE)
    registry.apply(decision("p", Kind.PROPOSE, When.on(D(2013, 1, 1))))
    registry.apply(decision("a", Kind.AGREE, When.on(D(2013, 1, 2))))
    guard = not_before(decided(Kind.AGREE, days=1))
    assert guard(registry.body("q"), When.on(D(2013, 1, 3))).passed
    amended = attrs.evolve(TERMS, version=2)
    registry.apply(decision("m", Kind.AMEND, When.on(D(2013, 1, 4)), terms=amended))
    (reason,) = guard(registry.body("q"), When.on(D(2013, 1, 5))).reasons
    assert reason.code == "date_unknown"
    assert reason.message == (
        "the body has no date for 1 day after agree: its agree decision was taken on terms "
        "version 1, and counts no more on version 2 (an amendment voids it; take it again "
        "on the current terms)"
    )
