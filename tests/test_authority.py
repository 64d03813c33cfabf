"""Authorities, powers and delegation: who may decide what, for which body, under whose power."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import attrs
import pytest

from govflow import (
    AuditLog,
    Authority,
    Decision,
    Delegation,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    Mandate,
    NotAuthorised,
    Registry,
    Source,
    Terms,
    Transition,
    When,
)
from govflow.guards import decided_by
from govflow.log import SCHEMA_VERSION
from govflow.log.codec import SCHEMAS
from govflow.rules.schemas import DELEGATORS_FROM, rules_of
from govflow.scenarios import partnership_lifecycle, spb

LIFECYCLE = partnership_lifecycle(authorities=spb.authorities())
TERMS = Terms("Board", ["LGA", "APCC"], seats={"LGA": 2, "APCC": 2})


def decision(id_: str, kind: Kind, actor: str, when: When | dt.date, **fields: object) -> Decision:
    decided = When.on(when) if isinstance(when, dt.date) else when
    fields.setdefault("body", "spb")
    return Decision(
        id=id_, kind=kind, actor=actor, decided=decided, source=Source("test"), **fields
    )  # type: ignore[arg-type]


@pytest.fixture
def registry() -> Registry:
    reg = Registry(LIFECYCLE)
    reg.apply(decision("p", Kind.PROPOSE, "LGA officers", dt.date(2013, 1, 1), terms=TERMS))
    return reg


@contextmanager
def unchanged(registry: Registry) -> Iterator[None]:
    bodies, entries = dict(registry.bodies), list(registry.log)
    yield
    assert dict(registry.bodies) == bodies
    assert list(registry.log) == entries


def refused(registry: Registry, d: Decision) -> NotAuthorised:
    with unchanged(registry), pytest.raises(NotAuthorised) as error:
        registry.apply(d)
    return error.value


class TestPowers:
    def test_an_authority_with_the_power_decides_for_its_organisation(
        self, registry: Registry
    ) -> None:
        entry = registry.apply(decision("e", Kind.ENDORSE, "LGA Executive", dt.date(2013, 1, 2)))
        assert entry.mandate == Mandate("LGA Executive", "LGA", None)
        fact = registry.body("spb").facts[-1]
        assert fact.organisation == "LGA"
        assert fact.speaks_for("LGA")

    def test_an_undeclared_actor_is_refused(self, registry: Registry) -> None:
        error = refused(registry, decision("x", Kind.AGREE, "Somebody", dt.date(2013, 1, 2)))
        assert (error.actor, error.why, error.near) == ("Somebody", "unknown", None)
        assert "'Somebody' is not a declared authority; declare it" in str(error)

    def test_an_undeclared_actor_near_a_declared_one_is_told_which(
        self, registry: Registry
    ) -> None:
        # A mistyped actor got no suggestion, where a definition file's names get one.
        error = refused(registry, decision("x", Kind.AGREE, "LGA executive", dt.date(2013, 1, 2)))
        assert (error.why, error.near) == ("unknown", "LGA Executive")
        assert (
            "'LGA executive' is not a declared authority (did you mean 'LGA Executive'?); "
            "declare it with its powers."
        ) in str(error)
        for typed, meant in [("lga executive", "LGA Executive"), ("apcc", "APCC")]:
            error = refused(registry, decision("x", Kind.AGREE, typed, dt.date(2013, 1, 2)))
            assert error.near == meant  # case aside

    def test_an_authority_without_the_power_is_refused_naming_it(self, registry: Registry) -> None:
        error = refused(
            registry,
            decision(
                "x", Kind.NOMINATE, "Safer and Stronger Communities Board", dt.date(2013, 1, 2)
            ),
        )
        assert (error.why, error.kind, error.missing) == (
            "power",
            Kind.NOMINATE,
            "a 'nominate' decision for body 'spb'",
        )
        said = "lacks the power to take a 'nominate' decision for body 'spb', and no delegation"
        assert said in str(error)  # "to take nominate" before
        assert "(power)" not in str(error)  # the code, not words

    def test_a_partner_cannot_record_another_partners_nominations(self, registry: Registry) -> None:
        d = decision(
            "x", Kind.NOMINATE, "APCC", dt.date(2013, 1, 2), on_behalf_of="LGA", nominees=["A"]
        )
        error = refused(registry, d)
        assert (error.why, error.organisation) == ("behalf", "LGA")
        assert "an authority speaks only for itself unless 'LGA' delegated it the power" in str(
            error
        )

    def test_deciding_on_behalf_of_ones_own_organisation_is_fine(self, registry: Registry) -> None:
        entry = registry.apply(
            decision("e", Kind.ENDORSE, "LGA Executive", dt.date(2013, 1, 2), on_behalf_of="LGA")
        )
        assert entry.mandate.organisation == "LGA"

    def test_an_authority_limited_to_some_bodies_cannot_act_for_others(
        self, registry: Registry
    ) -> None:
        registry.apply(
            decision("q", Kind.PROPOSE, "APCC", dt.date(2013, 1, 1), body="other", terms=TERMS)
        )
        meeting = {"meeting": "shadow meeting"}
        registry.apply(
            decision(
                "m",
                Kind.HOLD_MEETING,
                "Strategic Partnership Board",
                dt.date(2013, 1, 2),
                **meeting,
            )
        )
        error = refused(
            registry,
            decision(
                "m2",
                Kind.HOLD_MEETING,
                "Strategic Partnership Board",
                dt.date(2013, 1, 2),
                body="other",
                **meeting,
            ),
        )
        assert error.missing == "a 'hold_meeting' decision for body 'other'"

    def test_a_proposal_needs_the_power_to_propose(self) -> None:
        registry = Registry(LIFECYCLE)
        d = decision("p", Kind.PROPOSE, "LGA Executive", dt.date(2013, 1, 1), terms=TERMS)
        with pytest.raises(NotAuthorised):
            registry.apply(d)
        assert dict(registry.bodies) == {}

    def test_without_declared_authorities_anyone_decides(self) -> None:
        registry = Registry(partnership_lifecycle())
        registry.apply(decision("p", Kind.PROPOSE, "Anybody", dt.date(2013, 1, 1), terms=TERMS))
        entry = registry.apply(
            decision("a", Kind.AGREE, "Anybody", dt.date(2013, 1, 2), on_behalf_of="APCC")
        )
        assert entry.mandate == Mandate("Anybody", "APCC", None)

    def test_authorities_enter_the_lifecycle_fingerprint(self) -> None:
        assert LIFECYCLE.fingerprint != partnership_lifecycle().fingerprint
        fewer = partnership_lifecycle(authorities=spb.authorities()[:-1])
        assert fewer.fingerprint != LIFECYCLE.fingerprint

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"name": "", "organisation": "LGA", "may": []}, "name"),
            ({"name": "X", "organisation": " ", "may": []}, "organisation"),
            ({"name": "X", "organisation": "LGA", "may": "agree"}, "may"),
            ({"name": "X", "organisation": "LGA", "may": ["approve"]}, "may[0]"),
            ({"name": "X", "organisation": "LGA", "may": [], "bodies": "spb"}, "bodies"),
        ],
    )
    def test_a_malformed_authority_names_the_field(
        self, kwargs: dict[str, object], field: str
    ) -> None:
        with pytest.raises(InvalidRecord) as error:
            Authority(**kwargs)  # type: ignore[arg-type]
        assert (error.value.record, error.value.field) == ("Authority", field)

    def test_an_authority_declared_twice_is_a_lifecycle_problem(self) -> None:
        from govflow import LifecycleError  # noqa: PLC0415

        twice = [*spb.authorities(), spb.authorities()[0]]
        with pytest.raises(
            LifecycleError, match="authority 'LGA Leadership Board' is declared more than once"
        ):
            partnership_lifecycle(authorities=twice)


def delegate(  # noqa: PLR0917 - a test helper read at its call sites
    registry: Registry,
    id_: str,
    to: str,
    kinds: list[Kind],
    start: dt.date,
    end: dt.date | None,
    actor: str = "LGA Leadership Board",
) -> None:
    # Delegations are decided a month ahead of the period they cover.
    decided = dt.date(2013, 2, 1)
    registry.apply(
        decision(id_, Kind.DELEGATE, actor, decided, delegation=Delegation(to, kinds, start, end))
    )


class TestDelegation:
    MARCH = (dt.date(2013, 3, 1), dt.date(2013, 3, 31))

    @pytest.fixture
    def delegated(self, registry: Registry) -> Registry:
        delegate(registry, "del", "LGA officers", [Kind.NOMINATE], *self.MARCH)
        return registry

    @pytest.mark.parametrize(
        ("when", "allowed"),
        [
            (When.day(2013, 2, 28), False),
            (When.day(2013, 3, 1), True),
            (When.day(2013, 3, 31), True),
            (When.day(2013, 4, 1), False),
            (When.month(2013, 3), True),
            (When.between(dt.date(2013, 3, 15), dt.date(2013, 4, 15)), False),
        ],
    )
    def test_a_delegation_holds_on_both_sides_of_each_boundary(
        self,
        delegated: Registry,
        when: When,
        allowed: bool,  # noqa: FBT001
    ) -> None:
        d = decision("n", Kind.NOMINATE, "LGA officers", when, nominees=["A"])
        if allowed:
            entry = delegated.apply(d)
            assert entry.mandate == Mandate("LGA officers", "LGA", "LGA Leadership Board")
        else:
            assert refused(delegated, d).why == "power"

    def test_a_refusal_outside_the_delegation_names_its_window(self, delegated: Registry) -> None:
        error = refused(
            delegated, decision("n", Kind.NOMINATE, "LGA officers", When.day(2013, 4, 1))
        )
        assert error.lapsed == ("LGA Leadership Board, 2013-03-01 to 2013-03-31",)
        assert str(error).endswith(
            "(a delegation to it does not cover a decision dated 2013-04-01: "
            "from LGA Leadership Board, 2013-03-01 to 2013-03-31)."
        )

    def test_a_refusal_with_no_delegation_at_all_names_no_window(self, registry: Registry) -> None:
        error = refused(
            registry, decision("n", Kind.NOMINATE, "LGA officers", When.day(2013, 4, 1))
        )
        assert error.lapsed == ()
        assert "does not cover" not in str(error)

    def test_an_open_ended_delegation_has_no_end(self, registry: Registry) -> None:
        delegate(registry, "del", "LGA officers", [Kind.NOMINATE], dt.date(2013, 3, 1), None)
        entry = registry.apply(decision("n", Kind.NOMINATE, "LGA officers", dt.date(2030, 1, 1)))
        assert entry.mandate.delegated_by == "LGA Leadership Board"

    def test_a_revoked_delegation_no_longer_holds(self, delegated: Registry) -> None:
        delegated.apply(decision("n1", Kind.NOMINATE, "LGA officers", dt.date(2013, 3, 5)))
        delegated.apply(
            decision(
                "rev", Kind.REVOKE, "LGA Leadership Board", dt.date(2013, 3, 10), supersedes="del"
            )
        )
        error = refused(
            delegated, decision("n2", Kind.NOMINATE, "LGA officers", dt.date(2013, 3, 11))
        )
        assert error.why == "power"
        assert str(error).endswith(
            "and no delegation in force gives it (give its Authority 'nominate' in may, for "
            "this body if it names bodies, or have an authority that holds it delegate it)."
        )
        # The nomination made under the delegation still stands.
        assert "n1" in [f.decision.id for f in delegated.body("spb").facts]

    def test_only_the_delegator_may_revoke(self, delegated: Registry) -> None:
        d = decision("rev", Kind.REVOKE, "LGA Executive", dt.date(2013, 3, 10), supersedes="del")
        assert refused(delegated, d).why == "revoke"

    def test_a_revocation_names_a_delegation(self, registry: Registry) -> None:
        registry.apply(decision("e", Kind.ENDORSE, "LGA Executive", dt.date(2013, 1, 2)))
        from govflow import UnknownDecision  # noqa: PLC0415

        with pytest.raises(UnknownDecision, match="a revocation names a delegation"):
            registry.apply(
                decision("rev", Kind.REVOKE, "LGA Executive", dt.date(2013, 1, 3), supersedes="e")
            )

    def test_only_powers_held_can_be_delegated(self, registry: Registry) -> None:
        d = decision(
            "del",
            Kind.DELEGATE,
            "Safer and Stronger Communities Board",
            dt.date(2013, 3, 1),
            delegation=Delegation("LGA officers", [Kind.NOMINATE], dt.date(2013, 3, 1)),
        )
        error = refused(registry, d)
        assert (error.why, error.kind) == ("power to delegate", Kind.NOMINATE)

    def test_a_delegation_to_an_undeclared_authority_is_refused(self, registry: Registry) -> None:
        d = decision(
            "del",
            Kind.DELEGATE,
            "LGA Leadership Board",
            dt.date(2013, 3, 1),
            delegation=Delegation("Nobody", [Kind.NOMINATE], dt.date(2013, 3, 1)),
        )
        error = refused(registry, d)
        assert error.why == "unknown delegate"
        assert "'Nobody' is not a declared authority." in str(error)
        assert error.near is None
        misspelt = attrs.evolve(
            d, delegation=Delegation("LGA executive", [Kind.NOMINATE], dt.date(2013, 3, 1))
        )
        error = refused(registry, misspelt)  # a near miss is suggested, as for an actor
        assert error.near == "LGA Executive"
        said = "'LGA executive' is not a declared authority (did you mean 'LGA Executive'?)"
        assert said in str(error)

    def test_a_delegation_lets_the_delegate_speak_for_the_delegators_organisation(
        self, registry: Registry
    ) -> None:
        delegate(
            registry,
            "del",
            "LGA officers",
            [Kind.NOMINATE],
            dt.date(2013, 3, 1),
            None,
            actor="APCC",
        )
        entry = registry.apply(
            decision(
                "n",
                Kind.NOMINATE,
                "LGA officers",
                dt.date(2013, 3, 2),
                on_behalf_of="APCC",
                nominees=["X"],
            )
        )
        assert entry.mandate == Mandate("LGA officers", "APCC", "APCC")
        assert registry.body("spb").facts[-1].speaks_for("APCC")

    def test_a_delegate_cannot_speak_for_a_third_organisation(self, delegated: Registry) -> None:
        d = decision("n", Kind.NOMINATE, "LGA officers", dt.date(2013, 3, 2), on_behalf_of="APCC")
        assert refused(delegated, d).why == "behalf"

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"to": "", "kinds": ["agree"], "start": dt.date(2013, 1, 1)}, "to"),
            ({"to": "X", "kinds": [], "start": dt.date(2013, 1, 1)}, "kinds"),
            ({"to": "X", "kinds": "agree", "start": dt.date(2013, 1, 1)}, "kinds"),
            ({"to": "X", "kinds": ["approve"], "start": dt.date(2013, 1, 1)}, "kinds"),
            ({"to": "X", "kinds": ["agree"], "start": "2013-01-01"}, "start"),
            (
                {
                    "to": "X",
                    "kinds": ["agree"],
                    "start": dt.date(2013, 2, 1),
                    "end": dt.date(2013, 1, 1),
                },
                "end",
            ),
        ],
    )
    def test_a_malformed_delegation_names_the_field(
        self, kwargs: dict[str, object], field: str
    ) -> None:
        with pytest.raises(InvalidRecord) as error:
            Delegation(**kwargs)  # type: ignore[arg-type]
        assert (error.value.record, error.value.field) == ("Delegation", field)


class TestRecommendations:
    def test_a_recommendation_is_logged_and_shown_to_its_recipient(
        self, registry: Registry
    ) -> None:
        entry = registry.apply(
            decision(
                "r",
                Kind.RECOMMEND,
                "PCC Steering Group",
                dt.date(2013, 2, 21),
                to="APCC Transitional Board",
            )
        )
        assert registry.recommendations("APCC Transitional Board") == (entry,)
        assert registry.recommendations("APCC") == ()

    def test_a_recommendation_satisfies_no_decision_guard(self, registry: Registry) -> None:
        registry.apply(decision("r", Kind.RECOMMEND, "PCCs", dt.date(2013, 2, 21), to="APCC"))
        guard = decided_by(Kind.AGREE, ["PCCs"])
        assert not guard(registry.body("spb"), When.day(2013, 3, 1)).passed

    def test_the_steering_group_may_only_recommend(self, registry: Registry) -> None:
        assert (
            refused(
                registry, decision("a", Kind.AGREE, "PCC Steering Group", dt.date(2013, 2, 21))
            ).why
            == "power"
        )

    def test_a_recommendation_needs_a_recipient(self) -> None:
        with pytest.raises(InvalidRecord, match=r"Decision\.to must be given"):
            decision("r", Kind.RECOMMEND, "PCCs", dt.date(2013, 2, 21))


def _senate() -> Lifecycle:
    """A committee approved once two named members agree; one may delegate to a deputy."""
    return Lifecycle(
        name="senate committee",
        states=["proposed", "approved"],
        initial="proposed",
        final=["approved"],
        authorities=[
            Authority("Dean", "Faculty", may=[Kind.PROPOSE]),
            Authority("Prof Ada", "Senate", may=[Kind.AGREE]),
            Authority("Prof Babbage", "Senate", may=[Kind.AGREE]),
            Authority("Dr Deputy", "Senate", may=[]),
        ],
        transitions=[
            Transition("approve", "proposed", "approved",
                       guards=[decided_by(Kind.AGREE, ["Prof Ada", "Prof Babbage"])]),
        ],
    )  # fmt: skip


def _deputised(schema: int, *, deputy: bool = True) -> tuple[Registry, list[Decision]]:
    """Ada delegates agreeing to her deputy, who agrees without naming her; then Babbage.

    Without ``deputy``, the deputy's agreement is left out.
    """
    lifecycle = _senate()
    registry = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint, schema=schema))

    def made(n: int, kind: Kind, actor: str, **fields: object) -> Decision:
        return Decision(id=f"s{n}", body="c", kind=kind, actor=actor,
                        decided=When.on(dt.date(2025, 3, n)), source=Source("minutes"),
                        **fields)  # type: ignore[arg-type]  # fmt: skip

    for decision in [
        made(1, Kind.PROPOSE, "Dean", terms=Terms("Committee", ["Senate"])),
        made(2, Kind.DELEGATE, "Prof Ada", delegation=Delegation(
            "Dr Deputy", [Kind.AGREE], dt.date(2025, 3, 1), dt.date(2025, 3, 31))),
        made(3, Kind.AGREE, "Dr Deputy"),
    ][: 3 if deputy else 2]:  # fmt: skip
        registry.apply(decision)
    return registry, [made(4, Kind.AGREE, "Prof Babbage", trigger="approve")]


def test_a_decision_taken_under_a_delegation_counts_for_the_delegator() -> None:
    """A deputy's agreement, not naming Ada, was logged under her power and counted for no one."""
    registry, (approval,) = _deputised(SCHEMA_VERSION)
    assert registry.log.schema >= DELEGATORS_FROM
    deputy = registry.body("c").facts[-1]
    assert (deputy.decision.actor, deputy.delegated_by) == ("Dr Deputy", "Prof Ada")
    entry = registry.apply(approval)
    assert entry.after == "approved"
    assert entry.verdicts[0].evidence == (2, 3)  # the deputy's for Ada, Babbage's own
    again = Registry(registry.lifecycle, log=registry.log)  # replay gives the same
    assert again.body("c") == registry.body("c")


def test_a_log_of_schema_3_counts_a_deputy_only_for_whom_it_names() -> None:
    """Logs written before schema 4 replay under the rule they were written with."""
    registry, (approval,) = _deputised(3)
    assert registry.body("c").facts[-1].delegated_by is None
    with pytest.raises(GuardFailed, match="awaiting agreement from: Prof Ada") as refused:
        registry.apply(approval)
    # Asked beforehand, explain records the decision under the log's rules too.
    assert registry.explain("c", assuming=approval) == refused.value.explanation


def test_explain_assuming_a_deputys_decision_counts_it_as_the_log_would() -> None:
    """Its assumed decision was recorded under the newest rules, whatever the log's."""
    for schema, possible in ((3, False), (SCHEMA_VERSION, True)):
        registry, (babbage,) = _deputised(schema, deputy=False)
        # Babbage's own agreement recorded; the deputy's for Ada assumed, asking to approve.
        registry.apply(attrs.evolve(babbage, id="s5", trigger=None))
        deputy = attrs.evolve(babbage, id="s6", actor="Dr Deputy", trigger="approve")
        (option,) = registry.explain("c", assuming=deputy).options
        assert option.possible is possible, (schema, option)


def test_a_schema_3_log_replays_a_deputys_decision_under_its_own_rule() -> None:
    """Replay counted the deputy for the delegator in a log written when it did not."""
    registry, (babbage,) = _deputised(3)
    ada = attrs.evolve(babbage, id="s5", actor="Prof Ada", trigger=None)
    registry.apply(ada)
    entry = registry.apply(attrs.evolve(babbage, id="s6"))
    assert entry.verdicts[0].evidence == (3, 4)  # Ada's own and Babbage's, not the deputy's
    again = Registry(registry.lifecycle, log=registry.log)  # replayed: the same, no mismatch
    assert again.body("c") == registry.body("c")


def test_each_schema_is_decided_by_the_rules_it_was_written_with() -> None:
    """One function turns a schema into deciding's rules; the newest is what ``None`` gives."""
    assert {s: (rules_of(s)["legacy"], rules_of(s)["delegators"]) for s in SCHEMAS} == {
        1: (True, False),  # every state accepted every kind; deputies counted as named
        2: (False, False),
        3: (False, False),
        4: (False, True),  # a deputy's decision counts for the delegator
    }
    assert rules_of(None) == rules_of(SCHEMA_VERSION)
