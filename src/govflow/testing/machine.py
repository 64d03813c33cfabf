"""A ready ``RuleBasedStateMachine`` for a user's lifecycle and store.

Subclass :class:`LifecycleMachine`, set ``lifecycle`` (and, if you like, ``store``,
``bodies``, ``terms``, ``invalid`` and ``checks``), and take its ``TestCase``::

    class MyBoard(LifecycleMachine):
        lifecycle = my_lifecycle()

    TestMyBoard = MyBoard.TestCase

After every step it checks that:

1. replaying the log gives exactly the live bodies;
2. each accepted decision added one log entry, the last, recording that decision;
3. a transition fired only when its guards passed (evaluated again on the body as the
   decision left it, as deciding evaluates them);
4. a refused decision changed neither the bodies nor the log;
5. ``verify`` finds the log intact;
6. a decision applied again is recorded once;
7. ``apply`` raises nothing but a refusal (a guard that raises is a bug in the model);
8. guards are pure: asked twice about one body and day, they answer alike (a guard
   that keeps state between calls, or reads the clock, fails here);

and each of the user's ``checks``, plain functions of the registry that raise (or
``assert``) when something is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from govflow.errors import DecisionRefused, GovflowError, InvalidRecord, ReplayMismatch
from govflow.log.memory import Log
from govflow.log.replay import replay
from govflow.log.verify import verify
from govflow.model.body import Body
from govflow.model.decision import Decision
from govflow.model.terms import Terms
from govflow.registry import Registry
from govflow.rules.decide import record
from govflow.rules.explain import evaluate
from govflow.rules.lifecycle import Lifecycle
from govflow.testing.records import default_terms, quiet
from govflow.testing.walk import Walker

__all__ = ["LifecycleMachine"]


def _hold(condition: bool, message: str) -> None:  # noqa: FBT001
    """Raise ``AssertionError(message)`` unless ``condition``; kept under ``python -O``."""
    if not condition:
        raise AssertionError(message)


class LifecycleMachine(RuleBasedStateMachine):
    """Applies walked decisions to a registry and checks the invariants after each step.

    Attributes:
        lifecycle: The model under test (set it in the subclass).
        store: Makes a fresh, empty log for a lifecycle, for each run (``None``: the
            registry's in-memory log); a function such as ``lambda lc: AuditLog(lc.fingerprint)``.
        bodies: The ids of the bodies to walk.
        terms: The terms bodies are proposed with (``None``: :func:`default_terms`).
        invalid: The share of decisions wrong on purpose.
        checks: The user's own invariants: functions of the registry that raise.
    """

    lifecycle: ClassVar[Lifecycle]
    store: ClassVar[Callable[[Lifecycle], Log] | None] = None
    bodies: ClassVar[Sequence[str]] = ("b0", "b1")
    terms: ClassVar[Terms | None] = None
    invalid: ClassVar[float] = 0.1
    checks: ClassVar[Sequence[Callable[[Registry], object]]] = ()

    #: The decisions of the last run to end, each with whether it was accepted: after a
    #: failure, the shrunk sequence that shows it.
    last_steps: ClassVar[list[tuple[Decision, bool]]] = []

    def __init__(self) -> None:
        super().__init__()
        cls = type(self)
        found = getattr(cls, "lifecycle", None)
        if not isinstance(found, Lifecycle):
            expected = "the Lifecycle under test, set on the class"
            raise InvalidRecord(cls.__name__, "lifecycle", expected, found, "set it and run again")
        log = None if cls.store is None else cls.store(cls.lifecycle)
        self.registry = Registry(cls.lifecycle, log=log, logger=quiet())
        self.walker = Walker(
            cls.lifecycle, tuple(cls.bodies), cls.terms or default_terms(cls.lifecycle), cls.invalid
        )
        self.accepted: list[Decision] = []
        #: Each step's decision and whether it was accepted: the failing run's story.
        self.steps: list[tuple[Decision, bool]] = []

    @rule(data=st.data())
    def decide(self, data: st.DataObject) -> None:
        """Apply the walker's next decision."""
        decision = self.walker.draw(data.draw, self.registry)  # type: ignore[arg-type]
        self._apply(decision)

    @rule(data=st.data())
    def decide_again(self, data: st.DataObject) -> None:
        """Apply an accepted decision again: it is recorded once (invariant 6)."""
        if not self.accepted:
            return
        decision = data.draw(st.sampled_from(self.accepted))
        before = len(self.registry.log)
        try:
            entry = self.registry.apply(decision)
        except DecisionRefused as refusal:
            message = f"invariant 6: a repeated decision was refused: {refusal}"
            raise AssertionError(message) from None
        _hold(len(self.registry.log) == before, "invariant 6: a repeat was recorded again")
        _hold(entry.decision == decision, "invariant 6: a repeat returned another entry")

    def _apply(self, decision: Decision) -> None:
        bodies, count = dict(self.registry.bodies), len(self.registry.log)
        head = self.registry.log.head
        prior = bodies.get(decision.body)
        try:
            entry = self.registry.apply(decision)
        except DecisionRefused as refusal:
            self.steps.append((decision, False))
            event(f"refused: {refusal.code}")
            _hold(dict(self.registry.bodies) == bodies, "invariant 4: a refusal moved a body")
            _hold(len(self.registry.log) == count, "invariant 4: a refusal changed the log")
            _hold(self.registry.log.head == head, "invariant 4: a refusal changed the log")
            return
        except GovflowError as error:
            self.steps.append((decision, False))
            message = f"invariant 7: apply raised {type(error).__name__}, not a refusal: {error}"
            raise AssertionError(message) from error
        self.steps.append((decision, True))
        self.accepted.append(decision)
        _hold(len(self.registry.log) == count + 1, "invariant 2: not one entry per decision")
        _hold(list(self.registry.log)[-1] == entry, "invariant 2: the entry is not the log's last")
        _hold(entry.decision == decision, "invariant 2: the entry records another decision")
        if entry.changed_state and prior is not None:
            self._guards_passed(prior, decision, entry.seq)

    def _guards_passed(self, prior: Body, decision: Decision, seq: int) -> None:
        transition = self.lifecycle.table.get((prior.state, decision.trigger or ""))
        if transition is None:
            raise AssertionError("invariant 3: a state changed with no transition")
        # Tentative: the prior body's facts, shared with later versions, stay as they are.
        candidate, _ = record(self.lifecycle, prior, decision, seq, tentative=True, legacy=False)
        verdicts = [evaluate(g, candidate, decision.decided) for g in transition.guards]
        _hold(all(v.passed for v in verdicts), "invariant 3: a transition fired on failed guards")

    @invariant()
    def replay_equals_live(self) -> None:
        """Invariant 1, and the states reached, counted with ``event``."""
        try:
            replayed = replay(self.lifecycle, self.registry.log)
        except ReplayMismatch as mismatch:
            raise AssertionError(f"invariant 1: replay refused the log: {mismatch}") from None
        _hold(replayed == dict(self.registry.bodies), "invariant 1: replay differs from live")
        for body in self.registry.bodies.values():
            event(f"reached {body.state}")

    @invariant()
    def guards_are_pure(self) -> None:
        """Invariant 8: asked twice about one body and day, every guard answers alike."""
        for body in self.registry.bodies.values():
            first = self.registry.explain(body.id, self.walker.day)
            again = self.registry.explain(body.id, self.walker.day)
            _hold(
                first == again,
                f"invariant 8: a guard answered differently when asked again about "
                f"{body.id!r} in {body.state!r} (it keeps state, or reads the clock)",
            )

    @invariant()
    def log_verifies(self) -> None:
        """Invariant 5."""
        result = verify(self.registry.log, self.lifecycle.fingerprint)
        _hold(result.ok, f"invariant 5: verify found {result.problem}")

    @invariant()
    def users_invariants(self) -> None:
        """The subclass's own checks."""
        for check in type(self).checks:
            check(self.registry)

    def teardown(self) -> None:
        """Keep the run's steps on the class (``last_steps``), and close the store."""
        type(self).last_steps = list(self.steps)
        close = getattr(self.registry.log, "close", None)
        if callable(close):
            close()
