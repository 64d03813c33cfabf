"""The six invariants of DESIGN.md, held by a Hypothesis state machine over random decisions.

1. Replaying a body's log gives exactly its live state, terms and facts.
2. One entry per accepted decision; every state change has exactly one entry.
3. No transition fires whose guards did not pass at that moment.
4. A refused decision leaves the state and the log unchanged.
5. Altering, dropping, inserting or reordering any entry is caught by verify, which
   names the first bad entry; with a checkpoint, truncation is caught too.
6. Applying the same decision id twice records it once.

Each invariant's check is also run against a registry broken on purpose, and must
fail there: a check that cannot fail proves nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any, ClassVar

import attrs
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

import govflow.log.entry
from govflow import (
    Checkpoint,
    Decision,
    DecisionRefused,
    Entry,
    GuardFailed,
    Kind,
    Lifecycle,
    Registry,
    ReplayMismatch,
    Source,
    Terms,
    Transition,
    When,
    replay,
    verify,
)
from govflow.log.entry import seal
from govflow.rules.decide import decide, record
from govflow.rules.explain import evaluate
from govflow.scenarios import SHADOW_MEETING
from govflow.stores import open_store
from govflow.testing import LifecycleMachine

from .helpers import LIFECYCLE, guided_step

BODIES = ("b0", "b1")
AUTHORITIES = ("LGA", "APCC", "PCCs", "LGA Executive")
KINDS = (
    Kind.AGREE,
    Kind.ENDORSE,
    Kind.NOMINATE,
    Kind.HOLD_MEETING,
    Kind.AGREE_BUDGET,
    Kind.ESTABLISH,
    Kind.REQUEST_RECONSIDERATION,
    Kind.REAFFIRM,
    Kind.END,
    Kind.RECOMMEND,
)
TRIGGERS = sorted({t.trigger for t in LIFECYCLE.transitions})


class Quiet:
    """A logger that drops events: these tests check state, not logging."""

    def info(self, event: str, **fields: Any) -> None:
        """Drop the event."""

    def warning(self, event: str, **fields: Any) -> None:
        """Drop the event."""


class Invariants(RuleBasedStateMachine):
    """Random decisions on two bodies under the partnership lifecycle."""

    registry_class: ClassVar[type[Registry]] = Registry

    def __init__(self) -> None:
        super().__init__()
        self.registry = self.registry_class(LIFECYCLE, logger=Quiet())
        self.day = dt.date(2013, 1, 1)
        self.count = 0
        self.accepted: list[Decision] = []

    def _decision(self, body: str, kind: Kind, step: int, **fields: Any) -> Decision:
        self.day += dt.timedelta(days=step)
        self.count += 1
        vague = fields.pop("vague", False)
        decided = When.month(self.day.year, self.day.month) if vague else When.on(self.day)
        if kind is Kind.HOLD_MEETING:
            fields.setdefault("meeting", SHADOW_MEETING)
        if kind is Kind.RECOMMEND:
            fields.setdefault("to", "LGA Leadership Board")
        if kind is Kind.AMEND:
            current = self.registry.bodies.get(body)
            version = current.terms.version + 1 if current is not None else 2
            amended = Terms(title=f"Board {body}", partners=("LGA", "APCC"), version=version)
            fields.setdefault("terms", amended)
        return Decision(
            id=f"d{self.count}",
            body=body,
            kind=kind,
            decided=decided,
            source=Source("generated", str(self.count)),
            **fields,
        )

    def _apply(self, decision: Decision) -> None:
        bodies, entries = dict(self.registry.bodies), list(self.registry.log)
        prior = bodies.get(decision.body)
        try:
            entry = self.registry.apply(decision)
        except DecisionRefused as refusal:
            event(f"refused: {refusal.code}")
            assert dict(self.registry.bodies) == bodies, "invariant 4: a refusal moved a body"
            assert list(self.registry.log) == entries, "invariant 4: a refusal changed the log"
            return
        event("accepted")
        assert len(self.registry.log) == len(entries) + 1, "invariant 2: not one entry per decision"
        assert self.registry.log[-1] == entry, "invariant 2: the entry is not the log's last"
        assert entry.decision == decision, "invariant 2: the entry records another decision"
        self.accepted.append(decision)
        if decision.trigger is not None and prior is not None:
            self._check_guards(prior, decision, entry)

    def _check_guards(self, prior: Any, decision: Decision, entry: Entry) -> None:
        """Invariant 3, recomputed from the lifecycle's own guards at that moment."""
        transition = LIFECYCLE.transition(prior.state, decision.trigger or "")
        assert transition is not None, "invariant 3: a trigger fired that leaves no such state"
        candidate, _ = record(LIFECYCLE, prior, decision, entry.seq, tentative=True, legacy=False)
        verdicts = [evaluate(g, candidate, decision.decided) for g in transition.guards]
        assert all(v.passed for v in verdicts), "invariant 3: a transition fired on failed guards"
        assert all(v.passed for v in entry.verdicts), "invariant 3: a failed verdict was recorded"
        if transition.guards:
            event(f"guarded transition fired: {transition.trigger}")

    @initialize()
    def propose_both(self) -> None:
        for body in BODIES:
            self.propose(body, 0)

    @rule(body=st.sampled_from(BODIES), step=st.integers(0, 20))
    def propose(self, body: str, step: int) -> None:
        terms = Terms(title=f"Board {body}", partners=("LGA", "APCC"))
        self._apply(self._decision(body, Kind.PROPOSE, step, actor="LGA", terms=terms))

    @rule(
        body=st.sampled_from(BODIES),
        kind=st.sampled_from(KINDS),
        actor=st.sampled_from(AUTHORITIES),
        behalf=st.sampled_from([None, "LGA", "APCC"]),
        step=st.integers(-5, 30),
        vague=st.booleans(),
    )
    def record_fact(  # noqa: PLR0917 - Hypothesis passes rule arguments by keyword
        self,
        body: str,
        kind: Kind,
        actor: str,
        behalf: str | None,
        step: int,
        vague: bool,  # noqa: FBT001
    ) -> None:
        decision = self._decision(body, kind, step, actor=actor, on_behalf_of=behalf, vague=vague)
        self._apply(decision)

    @rule(
        body=st.sampled_from(BODIES),
        kind=st.sampled_from(KINDS),
        actor=st.sampled_from(AUTHORITIES),
        pick=st.integers(0, 20),
        step=st.integers(-2, 30),
    )
    def ask_trigger(self, body: str, kind: Kind, actor: str, pick: int, step: int) -> None:
        current = self.registry.bodies.get(body)
        options = LIFECYCLE.triggers_from(current.state) if current is not None else ()
        # Now and then ask for a trigger that does not leave the state.
        choices = options if options and pick < 18 else tuple(TRIGGERS)
        trigger = choices[pick % len(choices)]
        self._apply(self._decision(body, kind, step, actor=actor, trigger=trigger))

    @rule(
        body=st.sampled_from(BODIES),
        picks=st.lists(st.integers(0, 20), min_size=1, max_size=5),
        detour=st.booleans(),
    )
    def advance(self, body: str, picks: list[int], detour: bool) -> None:  # noqa: FBT001
        """Take a few steps along the lifecycle, as explain says they can be taken."""
        for pick in picks:
            self._advance(body, pick, pick % 7, detour=detour)

    def _advance(self, body: str, pick: int, step: int, *, detour: bool) -> None:
        """Record what a blocked transition awaits, or ask for one whose guards pass."""
        if body not in self.registry.bodies:
            return
        step_taken = guided_step(self.registry, body, pick, detour=detour)
        if step_taken is not None:
            kind, actor, trigger = step_taken
            self._apply(self._decision(body, kind, step, actor=actor or "LGA", trigger=trigger))

    @rule(data=st.data(), step=st.integers(0, 10))
    def rescind(self, data: st.DataObject, step: int) -> None:
        targets = [d for d in self.accepted if d.kind not in (Kind.PROPOSE, Kind.RESCIND)]
        if not targets:
            return
        target = data.draw(st.sampled_from(targets))
        actor = data.draw(st.sampled_from(AUTHORITIES))
        decision = self._decision(
            target.body, Kind.RESCIND, step, actor=actor, supersedes=target.id
        )
        self._apply(decision)

    @rule(data=st.data())
    def repeat(self, data: st.DataObject) -> None:
        if not self.accepted:
            return
        decision = data.draw(st.sampled_from(self.accepted))
        before = list(self.registry.log)
        try:
            entry = self.registry.apply(decision)
        except DecisionRefused as refusal:
            raise AssertionError(
                f"invariant 6: a repeated decision was refused: {refusal}"
            ) from None
        event("repeated")
        assert list(self.registry.log) == before, (
            "invariant 6: a repeated decision was recorded again"
        )
        assert entry.decision == decision, "invariant 6: a repeat returned another entry"

    @rule(data=st.data())
    def tamper(self, data: st.DataObject) -> None:
        entries = list(self.registry.log)
        fingerprint = LIFECYCLE.fingerprint
        checkpoint = Checkpoint(len(entries), self.registry.log.head)
        assert verify(entries, fingerprint, checkpoint).ok, "invariant 5: an intact log failed"
        if len(entries) < 2:
            return
        last = len(entries) - 1
        how = data.draw(st.sampled_from(["alter", "drop", "insert", "swap", "truncate"]))
        event(f"tampered: {how}")
        if how == "alter":
            at = data.draw(st.integers(0, last))
            entries[at] = attrs.evolve(entries[at], after=entries[at].after + "!")
            expected = (at, "altered")
        elif how == "drop":
            at = data.draw(st.integers(0, last - 1))
            del entries[at]
            expected = (at, "dropped")
        elif how == "insert":
            at = data.draw(st.integers(1, last))
            entries.insert(at, entries[data.draw(st.integers(0, at - 1))])
            expected = (at, "inserted")
        elif how == "swap":
            at = data.draw(st.integers(0, last - 1))
            entries[at], entries[at + 1] = entries[at + 1], entries[at]
            expected = (at, "reordered")
        else:
            at = data.draw(st.integers(0, last))
            entries = entries[:at]
            expected = (at, "truncated")
        result = verify(entries, fingerprint, checkpoint)
        found = None if result.problem is None else (result.problem.seq, result.problem.kind)
        assert found == expected, f"invariant 5: {how} at {at} gave {found}, not {expected}"

    @invariant()
    def replay_equals_live(self) -> None:
        try:
            replayed = replay(LIFECYCLE, self.registry.log)
        except ReplayMismatch as mismatch:
            raise AssertionError(f"invariant 1: replay refused the log: {mismatch}") from None
        assert replayed == dict(self.registry.bodies), "invariant 1: replay differs from live"

    @invariant()
    def one_entry_per_state_change(self) -> None:
        for body in self.registry.bodies.values():
            changes = sum(1 for e in self.registry.log if e.body == body.id and e.changed_state)
            # A body's history holds its initial state and one state per change.
            assert len(body.history) == changes, "invariant 2: a state change without an entry"


def machine(registry_class: type[Registry]) -> type[Invariants]:
    return type(f"With{registry_class.__name__}", (Invariants,), {"registry_class": registry_class})


TestInvariants = Invariants.TestCase
TestInvariants.settings = settings(stateful_step_count=50)


# --- Registries broken on purpose; the checks above must catch each one. ---------------------


class ForgetsToMove(Registry):
    """Breaks invariant 1: records the transition but leaves the body where it was."""

    __slots__ = ()

    def apply(self, decision: Decision) -> Entry:
        entry = super().apply(decision)
        if entry.changed_state:
            body = self.body(entry.body)
            self._bodies[entry.body] = attrs.evolve(body, state=entry.before or body.state)
        return entry


class SkipsFactEntries(Registry):
    """Breaks invariant 2: decisions without a trigger change the body but get no entry."""

    __slots__ = ()

    def apply(self, decision: Decision) -> Entry:
        if (
            decision.trigger is not None
            or decision.kind is Kind.PROPOSE
            or decision.id in self._by_id
        ):
            return super().apply(decision)
        outcome = decide(self._lifecycle, self.bodies.get(decision.body), decision, len(self._log))
        self._bodies[decision.body] = outcome.body
        return self._log[-1]


UNGUARDED = Lifecycle(
    states=list(LIFECYCLE.states),
    initial=LIFECYCLE.initial,
    final=LIFECYCLE.final,
    transitions=[Transition(t.trigger, t.sources, t.dest) for t in LIFECYCLE.transitions],
)


class IgnoresGuards(Registry):
    """Breaks invariant 3: fires the transition when its guards fail."""

    __slots__ = ()

    def apply(self, decision: Decision) -> Entry:
        try:
            return super().apply(decision)
        except GuardFailed:
            seq = len(self._log)
            outcome = decide(UNGUARDED, self.body(decision.body), decision, seq)
            entry = seal(
                seq=seq,
                body=decision.body,
                decision=decision,
                before=outcome.before,
                after=outcome.after,
                terms_version=outcome.terms_version,
                verdicts=(),
                mandate=outcome.mandate,
                prev=self._log.head,
            )
            self._log.append(entry)
            self._bodies[decision.body] = outcome.body
            self._by_id[decision.id] = seq
            self._count, self._head = seq + 1, entry.hash
            return entry


class RecordsRefusals(Registry):
    """Breaks invariant 4: a refused decision's fact is kept on the body."""

    __slots__ = ()

    def apply(self, decision: Decision) -> Entry:
        try:
            return super().apply(decision)
        except DecisionRefused:
            body = self.bodies.get(decision.body)
            if (
                body is not None
                and decision.decided.latest >= body.floor
                and not decision.supersedes
            ):
                moved = record(
                    LIFECYCLE, body, decision, len(self._log), tentative=False, legacy=False
                )[0]
                self._bodies[decision.body] = moved
            raise


class ForgetsIds(Registry):
    """Breaks invariant 6: does not remember which decision ids it applied."""

    __slots__ = ()

    def apply(self, decision: Decision) -> Entry:
        self._by_id.clear()
        return super().apply(decision)


def _hash_ids_only(data: bytes) -> Any:
    """Breaks invariant 5: the hash covers ids and links, not what was decided."""
    return hashlib.sha256(b" ".join(re.findall(rb'"(?:id|prev|seq)":("[^"]*"|[0-9]+)', data)))


BROKEN_SETTINGS = settings(
    max_examples=400,
    stateful_step_count=40,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)


@pytest.mark.parametrize(
    ("registry_class", "number"),
    [
        (ForgetsToMove, 1),
        (SkipsFactEntries, 2),
        (IgnoresGuards, 3),
        (RecordsRefusals, 4),
        (ForgetsIds, 6),
    ],
)
def test_each_invariant_catches_a_registry_broken_against_it(
    registry_class: type[Registry], number: int
) -> None:
    with pytest.raises(AssertionError, match=f"invariant {number}"):
        run_state_machine_as_test(machine(registry_class), settings=BROKEN_SETTINGS)


def test_invariant_5_catches_a_hash_over_ids_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(govflow.log.entry, "sha256", _hash_ids_only)
    with pytest.raises(AssertionError, match="invariant 5"):
        run_state_machine_as_test(Invariants, settings=BROKEN_SETTINGS)


# The shipped machine (govflow.testing.LifecycleMachine) holds the same invariants on
# the reference lifecycle over each file store, as a user would run it on theirs.


def _file_store(kind: str, under: Path) -> Any:
    def make(lifecycle: Lifecycle) -> Any:  # a folder a run, inside the test's own
        folder = Path(tempfile.mkdtemp(prefix="machine-", dir=under))
        return open_store(f"{kind}:///{folder}/log.{kind}", lifecycle.fingerprint)

    return make


class _OnStores(LifecycleMachine):
    lifecycle = LIFECYCLE
    accepted_in_runs: ClassVar[list[int]]

    def teardown(self) -> None:
        type(self).accepted_in_runs.append(len(self.accepted))
        super().teardown()


@pytest.mark.parametrize("kind", ["memory", "jsonl", "sqlite"])
def test_the_shipped_machine_holds_on_each_store(kind: str, tmp_path: Path) -> None:
    attributes: dict[str, object] = {"accepted_in_runs": []}
    if kind != "memory":  # in pytest's folder, removed as it removes its own
        attributes["store"] = staticmethod(_file_store(kind, tmp_path))
    machine = type(f"On{kind.title()}", (_OnStores,), attributes)
    run_state_machine_as_test(
        machine,
        # Derandomized: "some run applied a decision" is then a fact about this machine,
        # not a draw that 15 random runs can miss.
        settings=settings(
            max_examples=15, stateful_step_count=30, deadline=None, derandomize=True, database=None
        ),
    )
    assert max(machine.accepted_in_runs) > 0, "no run applied a decision"  # type: ignore[attr-defined]
