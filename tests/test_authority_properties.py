"""Properties of authority and terms, held over random decisions by random actors.

- No sequence of decisions lets an actor change a body outside its powers: every
  accepted entry's mandate is checked against an independent model of the declared
  powers and of the delegations in force.
- After any amendment no guard passes on a stale decision: every decision a passed
  guard relied on was taken on the terms in force when the guard passed.
- Replay still equals live state with delegations, amendments and reconsiderations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from govflow import (
    Decision,
    DecisionRefused,
    Delegation,
    Entry,
    Kind,
    Lifecycle,
    Registry,
    Source,
    Terms,
    When,
    replay,
)
from govflow.model.authority import ALWAYS
from govflow.model.decision import BINDING
from govflow.scenarios import SHADOW_MEETING, partnership_lifecycle, spb

from .helpers import guided_step
from .test_invariants import Quiet

AUTHORITIES = {a.name: a for a in spb.authorities()}
ACTORS = (*AUTHORITIES, "Somebody")
BODIES = ("b0", "b1")
KINDS = tuple(k for k in Kind if k not in (Kind.PROPOSE, Kind.RESCIND, Kind.REVOKE))


class Powers(RuleBasedStateMachine):
    """Random decisions under the seeds' authorities, against a model of who may decide."""

    lifecycle: ClassVar[Lifecycle] = partnership_lifecycle(authorities=spb.authorities())

    def __init__(self) -> None:
        super().__init__()
        self.registry = Registry(self.lifecycle, logger=Quiet())
        self.day = dt.date(2013, 1, 1)
        self.count = 0
        # The model: delegations in force, by decision id, as (delegator, delegation).
        self.delegations: dict[str, tuple[str, Delegation]] = {}

    def _make(self, body: str, kind: Kind, actor: str, step: int, **fields: Any) -> Decision:
        self.day += dt.timedelta(days=step)
        self.count += 1
        if kind is Kind.HOLD_MEETING:
            fields.setdefault("meeting", SHADOW_MEETING)
        if kind is Kind.RECOMMEND:
            fields.setdefault("to", "APCC Transitional Board")
        if kind is Kind.AMEND:
            current = self.registry.bodies.get(body)
            version = current.terms.version + 1 if current is not None else 2
            fields.setdefault("terms", Terms(f"Board {body}", ("LGA", "APCC"), version=version))
        if kind is Kind.RATIFY:
            fields.setdefault("ratifies", ("d1",))
        if kind is Kind.TARGET:
            from govflow import Target  # noqa: PLC0415

            fields.setdefault("target", Target("established", When.year(self.day.year)))
        if kind is Kind.DELEGATE:
            fields.setdefault("delegation", Delegation("LGA officers", [Kind.NOMINATE], self.day))
        if kind is Kind.NOTE:
            fields.setdefault("reasons", ("A report says so",))
            fields.pop("trigger", None)
        return Decision(
            id=f"d{self.count}",
            body=body,
            kind=kind,
            actor=actor,
            decided=When.on(self.day),
            source=Source("generated"),
            **fields,
        )

    def _apply(self, decision: Decision) -> None:
        before = len(self.registry.log)
        try:
            entry = self.registry.apply(decision)
        except DecisionRefused as refusal:
            event(f"refused: {refusal.code}")
            return
        if len(self.registry.log) == before:
            return
        event("accepted")
        if entry.mandate.delegated_by is not None:
            event("accepted under delegation")
        self._check_mandate(entry)
        self._check_fresh_evidence(entry)
        self._update_model(entry)

    def _check_mandate(self, entry: Entry) -> None:
        """Powers: the mandate follows from the declared powers and the model's delegations."""
        d, mandate = entry.decision, entry.mandate
        actor = AUTHORITIES.get(d.actor)
        assert actor is not None, f"powers: undeclared {d.actor!r} decided"
        assert mandate.actor == actor.name, "powers: the mandate names another actor"
        if mandate.delegated_by is None:
            in_scope = actor.bodies is None or d.body in actor.bodies
            assert in_scope, "powers: an authority decided for a body outside its scope"
            assert d.kind in actor.may or d.kind in ALWAYS, "powers: a power it does not hold"
            assert d.on_behalf_of in (None, actor.name, actor.organisation), (
                "powers: spoke for another"
            )
            assert mandate.organisation == actor.organisation, "powers: counted for another"
            return
        in_force = [
            (delegator, delegation)
            for delegator, delegation in self.delegations.values()
            if delegator == mandate.delegated_by
            and delegation.to == actor.name
            and d.kind in delegation.kinds
            and delegation.covers(d.decided)
        ]
        assert in_force, "powers: a delegated power used with no delegation in force"
        granting = AUTHORITIES[mandate.delegated_by]
        assert mandate.organisation == granting.organisation, "powers: counted for another"

    def _check_fresh_evidence(self, entry: Entry) -> None:
        """No guard passes on a stale decision."""
        d = entry.decision
        version = d.terms.version if d.kind is Kind.AMEND and d.terms else entry.terms_version
        for verdict in entry.verdicts:
            for seq in verdict.evidence:
                relied = self.registry.log[seq]
                if relied.decision.kind in BINDING:
                    assert relied.terms_version == version, "terms: a guard passed on stale terms"
        if entry.after != entry.before and entry.verdicts:
            event(f"fired: {d.trigger}")

    def _update_model(self, entry: Entry) -> None:
        d = entry.decision
        if d.supersedes is not None:
            self.delegations.pop(d.supersedes, None)
        if d.kind is Kind.DELEGATE and d.delegation is not None:
            self.delegations[d.id] = (d.actor, d.delegation)

    @initialize()
    def propose_both(self) -> None:
        for body in BODIES:
            terms = Terms(f"Board {body}", ("LGA", "APCC"), seats={"LGA": 1})
            self._apply(self._make(body, Kind.PROPOSE, "LGA officers", 0, terms=terms))

    @rule(
        body=st.sampled_from(BODIES),
        kind=st.sampled_from(KINDS),
        actor=st.sampled_from(ACTORS),
        behalf=st.sampled_from([None, "LGA", "APCC", "PCCs", "LGA Leadership Board"]),
        step=st.integers(0, 20),
        trigger=st.sampled_from([None, None, *sorted({t.trigger for t in lifecycle.transitions})]),
    )
    def decide(  # noqa: PLR0917 - Hypothesis passes rule arguments by keyword
        self, body: str, kind: Kind, actor: str, behalf: str | None, step: int, trigger: str | None
    ) -> None:
        extra = {"nominees": ("Someone",)} if kind is Kind.NOMINATE else {}
        self._apply(
            self._make(body, kind, actor, step, on_behalf_of=behalf, trigger=trigger, **extra)
        )

    @rule(
        body=st.sampled_from(BODIES),
        delegator=st.sampled_from(ACTORS),
        delegate=st.sampled_from(ACTORS),
        kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=3),
        offset=st.integers(-10, 10),
        length=st.one_of(st.none(), st.integers(0, 60)),
    )
    def delegate(  # noqa: PLR0917 - Hypothesis passes rule arguments by keyword
        self,
        body: str,
        delegator: str,
        delegate: str,
        kinds: list[Kind],
        offset: int,
        length: int | None,
    ) -> None:
        start = self.day + dt.timedelta(days=offset)
        end = None if length is None else start + dt.timedelta(days=length)
        delegation = Delegation(delegate, kinds, start, end)
        self._apply(self._make(body, Kind.DELEGATE, delegator, 0, delegation=delegation))

    @rule(data=st.data())
    def use_delegation(self, data: st.DataObject) -> None:
        """Act under a delegation in force, for the delegator's organisation or for none."""
        if not self.delegations:
            return
        target = data.draw(st.sampled_from(sorted(self.delegations)))
        delegator, delegation = self.delegations[target]
        body = next(e.body for e in self.registry.log if e.decision.id == target)
        day = max(self.day, delegation.start)
        if delegation.end is not None and day > delegation.end:
            return
        self.day = day
        kind = data.draw(st.sampled_from(delegation.kinds))
        granting = AUTHORITIES.get(delegator)
        behalf = data.draw(st.sampled_from([None, granting.organisation if granting else None]))
        self._apply(self._make(body, kind, delegation.to, 0, on_behalf_of=behalf))

    @rule(data=st.data(), step=st.integers(0, 10))
    def revoke(self, data: st.DataObject, step: int) -> None:
        if not self.delegations:
            return
        target = data.draw(st.sampled_from(sorted(self.delegations)))
        body = next(e.body for e in self.registry.log if e.decision.id == target)
        actor = data.draw(st.sampled_from([self.delegations[target][0], *ACTORS]))
        kind = data.draw(st.sampled_from([Kind.REVOKE, Kind.RESCIND]))
        self._apply(self._make(body, kind, actor, step, supersedes=target))

    @rule(body=st.sampled_from(BODIES), step=st.integers(0, 10), bad=st.booleans())
    def amend(self, body: str, step: int, bad: bool) -> None:  # noqa: FBT001
        current = self.registry.bodies[body].terms.version
        terms = Terms(f"Board {body}", ("LGA", "APCC"), version=current + (3 if bad else 1))
        trigger = "amend" if self.registry.bodies[body].state == "reconsidered" else None
        self._apply(
            self._make(body, Kind.AMEND, "LGA officers", step, terms=terms, trigger=trigger)
        )

    @rule(
        body=st.sampled_from(BODIES),
        picks=st.lists(st.integers(0, 20), min_size=1, max_size=6),
        detour=st.booleans(),
    )
    def advance(self, body: str, picks: list[int], detour: bool) -> None:  # noqa: FBT001
        """Take steps explain says can be taken, by an authority that may take them."""
        for pick in picks:
            step_taken = guided_step(self.registry, body, pick, detour=detour)
            if step_taken is None:
                return
            kind, actor, trigger = step_taken
            extra = {"nominees": (f"N{self.count}",)} if kind is Kind.NOMINATE else {}
            who = actor or "Strategic Partnership Board"
            self._apply(self._make(body, kind, who, 1, trigger=trigger, **extra))

    @invariant()
    def replay_equals_live(self) -> None:
        assert replay(self.lifecycle, self.registry.log) == dict(self.registry.bodies)


TestPowers = Powers.TestCase
TestPowers.settings = settings(stateful_step_count=40)


class Unchecked(Powers):
    """The same decisions under a lifecycle that checks no powers: the model must object."""

    lifecycle = partnership_lifecycle()


def test_the_powers_check_catches_a_registry_that_checks_no_powers() -> None:
    broken = settings(
        max_examples=300,
        stateful_step_count=30,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    with pytest.raises(AssertionError, match="powers"):
        run_state_machine_as_test(Unchecked, settings=broken)
