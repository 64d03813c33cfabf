"""Seats, versioned terms, reconsideration, targets, queries and ratification."""

from __future__ import annotations

import datetime as dt

import pytest

from govflow import (
    Decision,
    DecisionKind,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    LifecycleError,
    Registry,
    Source,
    StaleTerms,
    Target,
    Terms,
    Transition,
    UnknownDecision,
    When,
    replay,
)
from govflow.errors import UnknownState
from govflow.guards import every_partner, ratified
from govflow.scenarios import SHADOW_MEETING, partnership_lifecycle, spb

LIFECYCLE = partnership_lifecycle(authorities=spb.authorities())
TERMS = Terms("Board", ["LGA", "APCC"], seats={"LGA": 2, "APCC": 2}, places=["Chair of the SSCB"])


class Clerk:
    """Applies decisions on body ``spb`` with one-day steps from 1 January 2013."""

    def __init__(self, lifecycle: Lifecycle = LIFECYCLE) -> None:
        self.registry = Registry(lifecycle)
        self.day = 0

    def make(self, kind: Kind, actor: str, **fields: object) -> Decision:
        self.day += 1
        fields.setdefault("body", "spb")
        return Decision(
            id=f"d{self.day}",
            kind=kind,
            actor=actor,
            decided=When.on(dt.date(2013, 1, 1) + dt.timedelta(days=self.day)),
            source=Source("test"),
            **fields,  # type: ignore[arg-type]
        )

    def __call__(self, kind: Kind, actor: str, **fields: object) -> str:
        return self.registry.apply(self.make(kind, actor, **fields)).after

    def endorsed(self) -> Clerk:
        self(Kind.PROPOSE, "LGA officers", terms=TERMS)
        self(Kind.AGREE, "APCC")
        self(Kind.ENDORSE, "LGA Executive", trigger="endorse")
        return self

    def shadow(self) -> Clerk:
        self(Kind.NOMINATE, "LGA", nominees=["A", "B"])
        self(Kind.NOMINATE, "APCC", nominees=["C", "D"])
        self(Kind.AGREE, "PCCs")
        self(
            Kind.HOLD_MEETING,
            "Strategic Partnership Board",
            meeting=SHADOW_MEETING,
            trigger="convene_shadow",
        )
        return self

    def established(self) -> Clerk:
        self(Kind.AGREE_BUDGET, "LGA")
        self(Kind.AGREE_BUDGET, "APCC")
        self(Kind.ESTABLISH, "LGA")
        self(Kind.ESTABLISH, "APCC", trigger="establish")
        return self

    def reasons(self, trigger: str) -> list[str]:
        return [r.message for r in self.registry.explain("spb").blocked.get(trigger, ())]


class TestSeats:
    def test_every_seat_must_be_filled_by_its_own_partner(self) -> None:
        clerk = Clerk().endorsed()
        clerk(Kind.NOMINATE, "LGA", nominees=["A"])
        assert clerk.reasons("convene_shadow")[:2] == [
            "awaiting nominations from: APCC",
            "awaiting 1 more nominations from: LGA",
        ]
        clerk(Kind.NOMINATE, "LGA Executive", nominees=["B"])
        clerk(Kind.NOMINATE, "APCC", nominees=["C", "D"])
        clerk(Kind.AGREE, "PCCs")
        assert clerk.reasons("convene_shadow") == []

    def test_naming_the_same_person_twice_fills_one_seat(self) -> None:
        clerk = Clerk().endorsed()
        clerk(Kind.NOMINATE, "LGA", nominees=["A"])
        clerk(Kind.NOMINATE, "LGA", nominees=["A"])
        assert "awaiting 1 more nominations from: LGA" in clerk.reasons("convene_shadow")

    def test_a_nomination_without_names_does_not_fill_counted_seats(self) -> None:
        clerk = Clerk().endorsed()
        clerk(Kind.NOMINATE, "LGA")
        assert "awaiting nominations from: LGA, APCC" in clerk.reasons("convene_shadow")

    def test_terms_keep_their_named_places(self) -> None:
        assert TERMS.places == ("Chair of the SSCB",)
        assert TERMS.seats_of("LGA") == 2
        assert TERMS.seats_of("PCCs") is None


class TestAmendedTerms:
    def amend(self, clerk: Clerk, version: int = 2, **fields: object) -> str:
        terms = Terms(
            "Board", ["LGA", "APCC"], conditions=["Access to the offices"], version=version
        )
        return clerk(Kind.AMEND, "LGA officers", terms=terms, **fields)

    def test_each_decision_binds_to_the_terms_version_it_was_taken_on(self) -> None:
        clerk = Clerk().endorsed()
        self.amend(clerk)
        log = clerk.registry.log
        assert [e.terms_version for e in log] == [1, 1, 1, 1]
        assert clerk.registry.body("spb").terms.version == 2
        clerk(Kind.AGREE, "APCC")
        assert clerk.registry.log[-1].terms_version == 2

    def test_after_an_amendment_earlier_agreements_no_longer_count(self) -> None:
        clerk = Clerk()
        clerk(Kind.PROPOSE, "LGA officers", terms=TERMS)
        clerk(Kind.AGREE, "APCC")
        clerk(Kind.ENDORSE, "LGA Executive")
        self.amend(clerk)
        assert clerk.reasons("endorse") == [
            (
                "awaiting agreement or endorsement from: LGA, APCC (LGA, APCC decided on an "
                "earlier version of the terms; they must decide again on version 2)"
            )
        ]
        clerk(Kind.AGREE, "APCC")
        assert clerk.reasons("endorse")[0].startswith(
            "awaiting agreement or endorsement from: LGA (LGA"
        )
        assert (
            clerk(Kind.ENDORSE, "Safer and Stronger Communities Board", trigger="endorse")
            == "endorsed"
        )

    def test_stale_authorities_are_given_as_data(self) -> None:
        clerk = Clerk()
        clerk(Kind.PROPOSE, "LGA officers", terms=TERMS)
        clerk(Kind.AGREE, "APCC")
        self.amend(clerk)
        (reason,) = clerk.registry.explain("spb").blocked["endorse"]
        assert reason.param("stale") == ("APCC",)
        assert reason.param("missing") == ("LGA", "APCC")

    @pytest.mark.parametrize("version", [1, 3])
    def test_an_amendment_must_carry_the_next_version(self, version: int) -> None:
        clerk = Clerk()
        clerk(Kind.PROPOSE, "LGA officers", terms=TERMS)
        with pytest.raises(StaleTerms) as error:
            self.amend(clerk, version=version)
        assert (error.value.current, error.value.given) == (1, version)
        assert len(clerk.registry.log) == 1

    def test_amending_after_reconsideration_sends_the_body_back_to_proposed(self) -> None:
        clerk = Clerk().endorsed()
        assert clerk(Kind.REQUEST_RECONSIDERATION, "APCC", trigger="reconsider") == "reconsidered"
        assert self.amend(clerk, trigger="amend") == "proposed"
        with pytest.raises(GuardFailed):
            clerk(Kind.ENDORSE, "LGA Executive", trigger="endorse")


class TestReconsideration:
    def test_reaffirmed_unchanged_it_returns_where_it_was_with_its_decisions(self) -> None:
        clerk = Clerk().endorsed().shadow()
        clerk(Kind.AGREE_BUDGET, "LGA")
        clerk(Kind.REQUEST_RECONSIDERATION, "LGA", trigger="reconsider")
        clerk(Kind.REAFFIRM, "LGA")
        assert clerk(Kind.REAFFIRM, "APCC", trigger="reaffirm_shadow") == "shadow"
        # The budget agreed before reconsideration still counts.
        assert clerk.reasons("establish") == [
            "awaiting budget agreement from: APCC",
            "awaiting agreement to establish from: LGA, APCC",
        ]

    def test_each_reconsideration_needs_its_own_request_and_reaffirmations(self) -> None:
        clerk = Clerk().endorsed()
        clerk(Kind.REQUEST_RECONSIDERATION, "LGA", trigger="reconsider")
        clerk(Kind.REAFFIRM, "LGA")
        clerk(Kind.REAFFIRM, "APCC", trigger="reaffirm_endorsed")
        with pytest.raises(GuardFailed, match="reconsideration"):
            clerk(Kind.AGREE, "APCC", trigger="reconsider")
        clerk(Kind.REQUEST_RECONSIDERATION, "APCC", trigger="reconsider")
        with pytest.raises(GuardFailed, match="awaiting reaffirmation from: LGA"):
            clerk(Kind.REAFFIRM, "APCC", trigger="reaffirm_endorsed")

    def test_a_reconsidered_body_can_end(self) -> None:
        clerk = Clerk().endorsed()
        clerk(Kind.REQUEST_RECONSIDERATION, "APCC", trigger="reconsider")
        assert clerk(Kind.END, "APCC", trigger="end") == "ended"


class TestTargets:
    def hope(self, clerk: Clerk, state: str, by: When) -> None:
        clerk(Kind.TARGET, "LGA officers", target=Target(state, by))

    def test_a_target_blocks_nothing_and_can_slip(self) -> None:
        clerk = Clerk().endorsed()
        self.hope(clerk, "established", When.month(2013, 4))
        self.hope(clerk, "established", When.month(2013, 9))
        assert clerk.registry.body("spb").targets == {
            "established": Target("established", When.month(2013, 9))
        }

    def test_overdue_once_the_hoped_for_period_has_ended(self) -> None:
        clerk = Clerk().endorsed()
        self.hope(clerk, "established", When.month(2013, 4))
        assert clerk.registry.overdue(dt.date(2013, 4, 30)) == ()
        (late,) = clerk.registry.overdue(dt.date(2013, 5, 1))
        assert (late.body, late.state, late.target.state) == ("spb", "endorsed", "established")

    def test_not_overdue_once_the_state_is_reached(self) -> None:
        clerk = Clerk().endorsed()
        self.hope(clerk, "endorsed", When.month(2012, 12))
        assert clerk.registry.overdue(dt.date(2014, 1, 1)) == ()

    def test_a_target_must_name_a_state_of_the_lifecycle(self) -> None:
        clerk = Clerk().endorsed()
        before = list(clerk.registry.entries())
        with pytest.raises(UnknownState, match=r"it targets 'launched', not a state of: "):
            self.hope(clerk, "launched", When.month(2013, 4))
        assert list(clerk.registry.entries()) == before  # refused: nothing changed


class TestWaitingOn:
    def test_lists_what_each_body_waits_on_an_authority_for(self) -> None:
        clerk = Clerk().endorsed()
        clerk(Kind.PROPOSE, "APCC", body="other", terms=TERMS)
        clerk(Kind.AGREE, "APCC", body="other")
        waiting = clerk.registry.waiting_on("LGA")
        assert [(w.body, w.trigger) for w in waiting] == [
            ("spb", "convene_shadow"),
            ("other", "endorse"),
        ]
        assert waiting[0].reason.message == "awaiting nominations from: LGA, APCC"

    def test_one_of_several_is_not_waited_on(self) -> None:
        clerk = Clerk().endorsed()
        assert [w.trigger for w in clerk.registry.waiting_on("APCC")] == ["convene_shadow"]

    def test_an_organisation_outside_the_partners_can_be_waited_on(self) -> None:
        clerk = Clerk().endorsed()
        (waiting,) = clerk.registry.waiting_on("PCCs", dt.date(2013, 6, 1))
        assert waiting.reason.message == "awaiting agreement from: PCCs"


class TestRatification:
    def test_resolutions_in_shadow_form_await_ratification(self) -> None:
        clerk = Clerk().endorsed().shadow()
        clerk(Kind.RESOLVE, "Strategic Partnership Board", reasons=["Standing orders agreed"])
        resolution = clerk.registry.log[-1].decision.id
        assert clerk.registry.body("spb").facts[-1].provisional
        clerk.established()
        explanation = clerk.registry.explain("spb")
        assert explanation.unratified == (resolution,)
        assert f"awaiting ratification: {resolution}" in str(explanation)
        clerk(Kind.RATIFY, "Strategic Partnership Board", ratifies=[resolution])
        assert clerk.registry.explain("spb").unratified == ()

    def test_replay_gives_a_resolution_in_shadow_form_as_provisional(self) -> None:
        clerk = Clerk().endorsed().shadow()
        clerk(Kind.RESOLVE, "Strategic Partnership Board")
        clerk.established()
        clerk(Kind.RESOLVE, "Strategic Partnership Board")
        replayed = replay(clerk.registry.lifecycle, clerk.registry.log)["spb"]
        resolutions = list(replayed.decisions(Kind.RESOLVE))
        assert [f.provisional for f in resolutions] == [True, False]
        assert replayed == clerk.registry.body("spb")

    def test_a_resolution_once_established_is_not_provisional(self) -> None:
        clerk = Clerk().endorsed().shadow().established()
        clerk(Kind.RESOLVE, "Strategic Partnership Board")
        assert clerk.registry.explain("spb").unratified == ()

    def test_only_provisional_resolutions_can_be_ratified(self) -> None:
        clerk = Clerk().endorsed()
        with pytest.raises(UnknownDecision, match="not a provisional resolution"):
            clerk(Kind.RATIFY, "Strategic Partnership Board", ratifies=["d2"])

    def test_a_lifecycle_can_make_ratification_a_guard(self) -> None:
        lifecycle = Lifecycle(
            states=["shadow", "final"],
            initial="shadow",
            provisional=["shadow"],
            transitions=[Transition("confirm", "shadow", "final", guards=[ratified()])],
        )
        clerk = Clerk(lifecycle)
        clerk(Kind.PROPOSE, "Board", terms=TERMS)
        clerk(Kind.RESOLVE, "Board")
        with pytest.raises(GuardFailed, match="awaiting ratification of: d2"):
            clerk(Kind.AGREE, "Board", trigger="confirm")
        clerk(Kind.RATIFY, "Board", ratifies=["d2"])
        assert clerk(Kind.AGREE, "Board", trigger="confirm") == "final"

    def test_an_unknown_provisional_state_is_a_lifecycle_problem(self) -> None:
        from govflow import LifecycleError  # noqa: PLC0415

        with pytest.raises(
            LifecycleError, match="provisional state 'limbo' is not one of the states"
        ):
            Lifecycle(states=["a"], initial="a", transitions=[], provisional=["limbo"])


def test_seats_of_a_name_not_among_the_partners_name_it_and_the_nearest() -> None:
    with pytest.raises(InvalidRecord) as raised:
        Terms("JSC", ["Northtown", "Westfrod"], seats={"Northtown": 2, "Westford": 2})
    said = str(raised.value)
    assert "'Westford' is not one of Northtown, Westfrod ('Westfrod' is the nearest)" in said
    assert raised.value.field == "seats"


class Constitution(DecisionKind):
    APPROVE = "approve_constitution"
    COMMENT = "comment"


def _constitutional(binding: object = (Constitution.APPROVE,)) -> Lifecycle:
    return Lifecycle(
        name="institute",
        states=["interim", "established"],
        initial="interim",
        kinds=Constitution,
        binding=binding,  # type: ignore[arg-type]
        transitions=[
            Transition("establish", ["interim"], "established",
                       guards=[every_partner(Constitution.APPROVE),
                               every_partner(Constitution.COMMENT)]),
            Transition("amend", ["interim"], "interim"),
        ],
    )  # fmt: skip


class TestBindingKindsOfOnesOwn:
    """A kind of one's own that binds to the terms: an amendment voids it, as an agreement."""

    @staticmethod
    def run(lifecycle: Lifecycle) -> Registry:
        registry = Registry(lifecycle)
        day = When.on(dt.date(2024, 1, 1))

        def take(id_: str, kind: DecisionKind, actor: str, **fields: object) -> None:
            registry.apply(Decision(id=id_, body="b", kind=kind, actor=actor, decided=day,
                                    source=Source("minutes"), **fields))  # type: ignore[arg-type]  # fmt: skip

        take("p", Kind.PROPOSE, "N", terms=Terms("JRIB", ["N", "E"]))
        for actor in ("N", "E"):
            take(f"a-{actor}", Constitution.APPROVE, actor)
            take(f"c-{actor}", Constitution.COMMENT, actor)
        take("v2", Kind.AMEND, "N", terms=Terms("JRIB", ["N", "E"], version=2), trigger="amend")
        return registry

    def test_an_amendment_voids_the_approvals_taken_before_it(self) -> None:
        registry = self.run(_constitutional())
        blocked = registry.explain("b").blocked["establish"]
        assert [r.param("stale") for r in blocked] == [("N", "E")]
        assert "they must decide again on version 2" in blocked[0].message
        # The comments, of a kind that does not bind, still count: only the approvals.
        assert [r.param("kinds") for r in blocked] == [("approve_constitution",)]

    def test_a_body_made_without_its_lifecycle_is_explained_by_the_one_asked(self) -> None:
        # Equal to the registry's (the lifecycle is not compared), it counted stale approvals.
        import attrs  # noqa: PLC0415

        from govflow.rules.explain import explain_body  # noqa: PLC0415

        lifecycle = _constitutional()
        body = self.run(lifecycle).body("b")
        by_hand = attrs.evolve(body, lifecycle=None)
        assert by_hand == body
        assert explain_body(lifecycle, by_hand) == explain_body(lifecycle, body)
        assert explain_body(lifecycle, by_hand).possible == ("amend",)

    def test_without_binding_they_count_whatever_the_version(self) -> None:
        registry = self.run(_constitutional(()))
        assert registry.explain("b").possible == ("establish", "amend")

    def test_binding_enters_the_fingerprint_only_when_given(self) -> None:
        bound, unbound = _constitutional(), _constitutional(())
        assert bound.fingerprint != unbound.fingerprint
        assert "binding" not in unbound.describe()
        assert bound.describe()["binding"] == ["approve_constitution"]
        assert bound.binding == frozenset({Constitution.APPROVE})
        assert LIFECYCLE.binding == frozenset()

    @pytest.mark.parametrize(
        ("binding", "said"),
        [
            ([Kind.AGREE], "binding: 'agree' is a built-in kind, which binds"),
            (["note"], "binding: 'note' is a built-in kind"),
            (["approve_constitution"], "is not a built-in kind's name: a kind of the lifecycle"),
            (Constitution.APPROVE, "binding must be a list of the lifecycle's own kinds"),
            ([5], "binding: 5 is not a kind the lifecycle knows"),
        ],
    )
    def test_a_binding_that_is_not_kinds_of_its_own_is_refused(
        self, binding: object, said: str
    ) -> None:
        with pytest.raises(LifecycleError) as error:
            _constitutional(binding)
        assert any(said in problem for problem in error.value.problems), error.value.problems
