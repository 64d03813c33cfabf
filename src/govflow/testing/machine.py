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
9. with ``reopen`` set, a store closed and opened again mid-run (one step in ten) holds
   the same entries and gives a new registry the same bodies;

and each of the user's ``checks``, plain functions of the registry that raise (or
``assert``) when something is wrong.

Invariants 1 and 5 read the whole log at the 1st, 2nd, 4th, 8th, … step and at the
end of each run, and at every other step only the entries added since: a run of n
steps reads O(n) entries in all, not O(n²), which a store on disk would make slow.
A store that changes an earlier entry is still caught, at the next whole read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

from hypothesis import Phase, event, note, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from govflow.errors import DecisionRefused, GovflowError, InvalidRecord, ReplayMismatch
from govflow.log.entry import Entry
from govflow.log.memory import Log, is_log
from govflow.log.replay import replay
from govflow.log.verify import verify
from govflow.model.body import Body
from govflow.model.decision import Decision, Delegation
from govflow.model.kind import Kind
from govflow.model.terms import Terms
from govflow.registry import Registry
from govflow.rules.decide import record
from govflow.rules.explain import evaluate
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.schemas import rules_of
from govflow.testing.fewest import failure_of, named, reporting, told_fewest
from govflow.testing.records import quiet
from govflow.testing.steps import broken, close, differs, hold, in_words, next_step, unlike
from govflow.testing.walk import Walker

__all__ = ["LifecycleMachine"]


class LifecycleMachine(RuleBasedStateMachine):
    """Applies walked decisions to a registry and checks the invariants after each step.

    Attributes:
        lifecycle: The model under test (set it in the subclass).
        store: Makes a fresh, empty log for a lifecycle, for each run (``None``: the
            registry's in-memory log); a function such as ``lambda lc: AuditLog(lc.fingerprint)``.
        reopen: Opens again the store ``store`` made, once it is closed, given the closed
            one: a function such as ``lambda log: JsonlStore(log.path)``. With it, one
            step in ten closes the store and opens it again before its decision, and a
            new registry reads it (invariant 9); ``None`` (the default): never.
        bodies: The ids of the bodies to walk.
        terms: The terms bodies are proposed with (``None``: :func:`default_terms`).
        invalid: The share of decisions wrong on purpose.
        unusual: The share of steps aside that are unusual (amendments, dates known to
            the month or the week), as :func:`~govflow.testing.walks` takes it: none by
            default.
        checks: The user's own invariants: functions of the registry that raise.
        delegations: Delegations recorded after each proposal, as (delegator, delegation):
            a model file's (``delegations = model.delegations``), as ``govflow run``
            records them.
        start: The day the walk's dates count from (``None``: the first day a delegation
            given is in force, else 1 January 2020), as :func:`~govflow.testing.walks`
            takes it.
    """

    lifecycle: ClassVar[Lifecycle]
    store: ClassVar[Callable[[Lifecycle], Log] | None] = None
    reopen: ClassVar[Callable[[Any], Log] | None] = None
    bodies: ClassVar[Sequence[str]] = ("b0", "b1")
    terms: ClassVar[Terms | None] = None
    invalid: ClassVar[float] = 0.1
    unusual: ClassVar[float] = 0.0
    checks: ClassVar[Sequence[Callable[[Registry], object]]] = ()
    delegations: ClassVar[Sequence[tuple[str, Delegation]]] = ()
    start: ClassVar[dt.date | None] = None

    #: The decisions of the last run to end, each with whether it was accepted: after a
    #: failure, the shrunk sequence that shows it.
    last_steps: ClassVar[list[tuple[Decision, bool]]] = []
    #: After a failure, the fewest of the failing run's decisions that, replayed alone,
    #: fail it the same way (each needed), also listed in the report; empty when the
    #: decisions alone do not fail it again (a store reopened, a decision repeated).
    fewest_steps: ClassVar[list[Decision]] = []

    @classmethod
    def _to_test_case(cls) -> Any:  # noqa: ANN401 - Hypothesis' TestCase class, its own type
        """The subclass's ``TestCase``, made when first asked for, without the explain phase.

        Made as Hypothesis makes a state machine's, it takes its settings from the
        profile loaded then (``conftest.py``, or ``--hypothesis-profile``), less the
        explain phase, which traces every line of each run the shrinker tries once a
        run fails (the testing page gives its cost, from ``benchmarks/shrinking.py``).
        ``@settings(...)`` on the subclass, or ``TestCase.settings = settings(...)``,
        puts it back: start from the kit's, ``settings(MyBoard.TestCase.settings, ...)``.
        This overrides a private method of Hypothesis' (the same from 6.100 on); the
        kit's tests run on the lowest Hypothesis it allows and would see it change.
        """
        case = super()._to_test_case()
        if not getattr(case, "_explain_left_out", False):
            phases = [phase for phase in case.settings.phases if phase is not Phase.explain]
            case.settings = settings(case.settings, phases=phases)
            case._explain_left_out = True  # type: ignore[attr-defined]
        return case

    def __init__(self) -> None:
        super().__init__()
        cls = type(self)
        found = getattr(cls, "lifecycle", None)
        if not isinstance(found, Lifecycle):
            expected = "the Lifecycle under test, set on the class"
            raise InvalidRecord(cls.__name__, "lifecycle", expected, found, "set it and run again")
        again = "set it on the class and run again"
        try:  # as walks() checks them, named as the class's
            self.walker = Walker(
                cls.lifecycle,
                cls.bodies,
                cls.terms,  # None: default_terms, for the bodies
                cls.invalid,
                cls.start,
                delegations=cls.delegations,
                unusual=cls.unusual,
            )
        except InvalidRecord as error:
            raise InvalidRecord(
                cls.__name__, error.field, error.expected, error.received, again
            ) from None
        if not (isinstance(cls.checks, list | tuple) and all(map(callable, cls.checks))):
            expected = "a list of functions of the registry (each raises when its check fails)"
            raise InvalidRecord(cls.__name__, "checks", expected, cls.checks, again)
        if cls.store is not None and not callable(cls.store):
            expected = "None, or a function of the lifecycle giving a new log or store"
            raise InvalidRecord(cls.__name__, "store", expected, cls.store, again)
        if cls.reopen is not None and (cls.store is None or not callable(cls.reopen)):
            expected = "None, or a function of the closed store opening it again (with store)"
            raise InvalidRecord(cls.__name__, "reopen", expected, cls.reopen, again)
        log = None if cls.store is None else cls.store(cls.lifecycle)
        self.registry = Registry(cls.lifecycle, log=log, logger=quiet())
        self.accepted: list[Decision] = []
        #: Each step's decision and whether it was accepted: the failing run's story.
        self.steps: list[tuple[Decision, bool]] = []
        # What invariants 1 and 5 have read and replayed so far: the count and head of
        # the entries verified, the bodies they replay to, and how many checks ran.
        self._read = (0, "")
        self._replayed: dict[str, Body] = {}
        self._checks = 0
        # Whether every invariant passed after the last step: Hypothesis runs them by name,
        # so users_invariants, which sets it, runs last.
        self._clean = False
        # The kind of failure a step or invariant raised (``failure_of``); whether this
        # machine replays a failing run's decisions, noting and counting nothing.
        self._failure: str | None = None
        self._replaying = False

    def _tell(self, text: str) -> None:
        if not self._replaying:
            note(text)

    def _count(self, text: str) -> None:
        if not self._replaying:
            event(text)

    @contextlib.contextmanager
    def _watched(self, where: str, *, ours: bool = True) -> Iterator[None]:
        """Keep the kind of failure raised within, for a failure's fewest decisions.

        ``ours``: the code within is the kit's, whose messages number its invariants.
        """
        try:
            yield
        except HypothesisException:
            raise
        except Exception as error:
            self._failure = self._failure or failure_of(error, where, ours=ours)
            raise

    @rule(data=st.data())
    def decide(self, data: st.DataObject) -> None:
        """Apply the walker's next decision, or one in ten steps an accepted one again.

        One draw, so that a failure's report shows the step in a line. A repeat is
        recorded once (invariant 6). One rule, not two: Hypothesis switches rules off
        for some runs, and a run left with the repeat alone applied nothing (a third
        of runs did, padding the failures it reported with empty steps).
        """
        self._clean = False
        reopening = type(self).reopen is not None
        step = data.draw(
            next_step(self.walker, self.registry, self.accepted, reopening=reopening),
            label="decision",
        )
        with self._watched("a step"):
            if step.reopened:
                self._reopen()
            if step.again:
                self._again(step.decision)
            else:
                self._apply(step.decision, drawn=True)

    def _reopen(self) -> None:
        """Close the store and open it again: it holds the same entries, the same bodies (9)."""
        log, bodies = self.registry.log, dict(self.registry.bodies)
        count, head = len(log), log.head
        close(log)
        store = type(self).reopen(log)  # type: ignore[misc]  # set: a step reopens only then
        if not is_log(store):  # None would give a new, empty log: the store blamed
            wanted = "a function giving the store opened again (a log), given the closed one"
            raise InvalidRecord(type(self).__name__, "reopen", wanted, store, "set it, run again")
        try:
            self.registry = Registry(self.lifecycle, log=store, logger=quiet())
        except GovflowError as error:
            broken(f"invariant 9: the store opened again could not be read: {error}")
        self._tell("the store closed and opened again")
        if (len(store), store.head) != (count, head):
            broken(
                f"invariant 9: the store opened again holds {len(store)} entries, head "
                f"{store.head[:12]}, where it held {count}, head {head[:12]}"
            )
        if (opened := dict(self.registry.bodies)) != bodies:
            how = differs(opened, bodies, ("in the store opened again", "in the one closed"))
            broken(f"invariant 9: the store opened again gives other bodies: {how}")

    def _again(self, decision: Decision) -> None:
        """Apply an accepted decision again: it is recorded once (invariant 6)."""
        before = len(self.registry.log)
        try:
            entry = self.registry.apply(decision)
        except DecisionRefused as refusal:
            message = f"invariant 6: a repeated decision was refused: {refusal}"
            raise AssertionError(message) from None
        hold(len(self.registry.log) == before, "invariant 6: a repeat was recorded again")
        hold(entry.decision == decision, "invariant 6: a repeat returned another entry")

    def _apply(self, decision: Decision, *, drawn: bool = False) -> None:
        """Apply a decision and check invariants 2, 3, 4 and 7 at once.

        Its outcome is noted for the failure's report after the decision in words, or,
        ``drawn``, after the line Hypothesis shows it in.
        """
        said = "->" if drawn else in_words(decision) + ":"
        bodies, count = dict(self.registry.bodies), len(self.registry.log)
        head = self.registry.log.head
        prior = bodies.get(decision.body)
        try:
            entry = self.registry.apply(decision)
        except DecisionRefused as refusal:
            self.steps.append((decision, False))
            self._tell(f"{said} refused ({refusal.code})")
            self._count(f"refused: {refusal.code}")
            hold(dict(self.registry.bodies) == bodies, "invariant 4: a refusal moved a body")
            hold(len(self.registry.log) == count, "invariant 4: a refusal changed the log")
            hold(self.registry.log.head == head, "invariant 4: a refusal changed the log")
            return
        except GovflowError as error:
            self.steps.append((decision, False))
            self._tell(f"{said} raised {type(error).__name__}")
            message = f"invariant 7: apply raised {type(error).__name__}, not a refusal: {error}"
            raise AssertionError(message) from error
        self.steps.append((decision, True))
        self._tell(f"{said} accepted, entry {entry.seq}")
        self.accepted.append(decision)
        self._count(f"accepted {decision.kind.value}")  # the kinds, and the transitions, covered
        if decision.trigger is not None:  # taken, to another state or the same one again
            self._count(f"took {decision.trigger}")
        hold(len(self.registry.log) == count + 1, "invariant 2: not one entry per decision")
        last = tuple(self.registry.log.since(count))
        hold(last == (entry,), "invariant 2: the entry is not the log's last")
        hold(entry.decision == decision, "invariant 2: the entry records another decision")
        if decision.trigger is not None and prior is not None:
            self._guards_passed(prior, decision, entry.seq)
        if decision.kind is Kind.PROPOSE and not self._replaying:  # its delegations, after it
            for given in self.walker.model.delegation_decisions(decision):
                self._apply(given)

    def _guards_passed(self, prior: Body, decision: Decision, seq: int) -> None:
        transition = self.lifecycle.table.get((prior.state, decision.trigger or ""))
        if transition is None:
            raise AssertionError(
                f"invariant 3: {decision.trigger!r} was taken from a state without it"
            )
        # Tentative: the prior body's facts, shared with later versions, stay as they are.
        rules = rules_of(self.registry.log.schema)  # recorded as the registry records it
        candidate, _ = record(self.lifecycle, prior, decision, seq, tentative=True, **rules)
        verdicts = [evaluate(g, candidate, decision.decided) for g in transition.guards]
        for verdict in verdicts:
            if not verdict.passed:
                said = "; ".join(r.message for r in verdict.reasons) or "no reason given"
                broken(
                    f"invariant 3: {decision.trigger!r} fired at entry {seq}, but its guard "
                    f"{verdict.guard!r} fails when evaluated again on the body the decision "
                    f"left ({said}): it answered otherwise when deciding (it keeps state, "
                    "or reads the clock?)"
                )

    @invariant()
    def replay_equals_live(self) -> None:
        """Invariants 5 and 1, and the states reached, counted with ``event``.

        The whole log is read at the 1st, 2nd, 4th, 8th, … check (and at the end of
        the run); the entries added since the last read at the others.
        """
        self._checks += 1
        with self._watched("replaying the log"):
            self._check_log(whole=self._checks & (self._checks - 1) == 0)
        for body in self.registry.bodies.values():
            self._count(f"reached {body.state}")

    def _check_log(self, *, whole: bool) -> None:
        """Verify the log (invariant 5) and replay it onto the bodies replayed before (1)."""
        log = self.registry.log
        count, head = self._read
        entries: list[Entry] = list(log) if whole or not count else list(log.since(count))
        after = None if whole or not count else (count, head)
        result = verify(entries, self.lifecycle.fingerprint, schema=log.schema, after=after)
        hold(result.ok, f"invariant 5: verify found {result.problem}")
        try:
            changed = replay(self.lifecycle, entries, None if after is None else self._replayed)
        except ReplayMismatch as mismatch:
            raise AssertionError(f"invariant 1: replay refused the log: {mismatch}") from None
        replayed = changed if after is None else {**self._replayed, **changed}
        live = dict(self.registry.bodies)
        if replayed != live:
            broken(f"invariant 1: replay differs from live: {differs(replayed, live)}")
        if entries:
            self._read = (entries[-1].seq + 1, entries[-1].hash)
        self._replayed = replayed

    @invariant()
    def guards_are_pure(self) -> None:
        """Invariant 8: asked twice about one body and day, every guard answers alike."""
        for body in self.registry.bodies.values():
            with self._watched("explaining a body"):
                first = self.registry.explain(body.id, self.walker.day)
                again = self.registry.explain(body.id, self.walker.day)
            if first != again:
                self._failure = "invariant 8"
                broken(
                    f"invariant 8: {unlike(first.options, again.options)} answered "
                    f"differently when asked again about {body.id!r} in {body.state!r} "
                    "(it keeps state, or reads the clock)"
                )

    @invariant()
    def users_invariants(self) -> None:
        """The subclass's own checks; the last invariant run, so a step that ends here passed."""
        checks = type(self).checks
        for n, check in enumerate(checks):
            with self._watched(named(checks, n), ours=False):
                check(self.registry)
        self._clean = True

    def teardown(self) -> None:
        """Read the whole log once more, keep the run's steps, and close the store.

        The whole log is checked again (invariants 5 and 1) unless the run failed; the
        steps are kept on the class (``last_steps``).
        """
        type(self).last_steps = list(self.steps)
        type(self).fewest_steps = []
        try:
            if self._clean:  # not after a failure, which the run reports as it was
                self._check_log(whole=True)
        finally:
            close(self.registry.log)
        if self._failure is not None and reporting():  # the run Hypothesis reports
            # Its store closed first: a store that allows one open at a time is replayed too.
            type(self).fewest_steps = told_fewest(self, [d for d, _ in self.steps])
