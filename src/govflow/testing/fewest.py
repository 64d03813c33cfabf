"""The fewest of a failing run's decisions that still fail it the same way.

Hypothesis shrinks a failing run by trying shorter draws, each a new walk: for a
failure many decisions deep, that took from 30 s to its five-minute cap, and could
leave twenty or more decisions of which five mattered. Replaying the decisions
themselves, with some left out, to the same failure is quicker: this is delta
debugging (Zeller and Hildebrandt's ``ddmin``), which leaves out halves, then
quarters, down to one decision at a time, keeping each cut after which the
decisions still fail. What it ends with is 1-minimal: leave out any one decision and
it passes, or fails otherwise. On planted failures of three lifecycles, runs of 13
to 29 decisions came down to 4 to 12.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import attrs
from hypothesis import note
from hypothesis.control import current_build_context
from hypothesis.errors import HypothesisException
from hypothesis.reporting import with_reporter

from govflow.testing.steps import close, in_words

if TYPE_CHECKING:
    from govflow.model.decision import Decision
    from govflow.testing.machine import LifecycleMachine

__all__ = ["REPLAYS", "Unstarted", "failure_of", "fewest", "named", "reporting", "told_fewest"]

T = TypeVar("T")

#: The most replays one search makes: it ends with the fewest found so far.
REPLAYS = 500


def fewest(
    steps: Sequence[T], fails: Callable[[Sequence[T]], bool], replays: int = REPLAYS
) -> tuple[list[T], int, bool]:
    """The fewest of ``steps``, in their order, for which ``fails`` holds.

    Args:
        steps: What a failure was found with; ``fails(steps)`` is assumed to hold.
        fails: Whether some of the steps, in their order, still fail alike.
        replays: The most calls of ``fails`` the search makes.

    Returns:
        The steps kept; the calls of ``fails`` made; and whether the search ended
        because no one step could be left out (``False``: it stopped at ``replays``,
        and some steps kept may not be needed).
    """
    current, parts, made = list(steps), 2, 0
    while len(current) > 1:
        size = -(-len(current) // parts)  # ceiling: every step in some part
        for start in range(0, len(current), size):
            if made >= replays:
                return current, made, False
            candidate = current[:start] + current[start + size :]
            made += 1
            if fails(candidate):
                current, parts = candidate, max(parts - 1, 2)
                break
        else:  # no part could go: cut finer, or, one at a time, it is 1-minimal
            if size == 1:
                break
            parts = min(parts * 2, len(current))
    return current, made, True


def failure_of(error: BaseException, where: str, *, ours: bool = True) -> str:
    """What kind of failure ``error``, raised in ``where``, is: the same kind, the same bug.

    Args:
        error: What was raised.
        where: Where: "a step", "replaying the log", "the check limit", ...
        ours: Whether the kit's code raised it, whose messages number its invariants.

    Returns:
        An invariant's number ("invariant 1") for the kit's own, else the exception's
        type and where it was raised ("AssertionError in the check limit").
    """
    message = str(error)
    if ours and isinstance(error, AssertionError) and message.startswith("invariant "):
        return message.split(":", 1)[0]
    return f"{type(error).__name__} in {where}"


def named(checks: Sequence[Callable[..., object]], n: int) -> str:
    """Where the ``n``-th of ``checks`` runs, in words: "the check limit".

    A check with no name of its own (a ``functools.partial``) is named by its function;
    one whose name another check shares also by its place (``checks[1]``).
    """

    def name(check: Callable[..., object]) -> str:
        inner = check.func if isinstance(check, functools.partial) else check
        return str(getattr(inner, "__name__", type(inner).__name__))

    names = [name(check) for check in checks]
    shared = f" (checks[{n}])" if names.count(names[n]) > 1 else ""
    return f"the check {names[n]}{shared}"


def reporting() -> bool:
    """Whether this is the run Hypothesis reports a failure from (its notes are shown)."""
    try:
        return bool(current_build_context().is_final)
    except HypothesisException:  # not within a test: nothing is reported
        return False


def told_fewest(machine: LifecycleMachine, decisions: Sequence[Decision]) -> list[Decision]:
    """The fewest of ``decisions`` that fail as ``machine``'s run failed, noted in words.

    Each replay is a new machine of the same class (a new store, if it makes one),
    applying the decisions in order and checking every invariant and check after each,
    as a run does; what it or a check of yours notes is not reported. Nothing is
    noted, and nothing returned, when all the decisions replayed do not fail it so (a
    failure that needs a store reopened, or a decision applied again, which the
    decisions alone do not show). A replay that cannot start (a store that cannot be
    made again) is noted, and the run's own failure is reported as it was.

    Args:
        machine: The machine whose run failed (its store already closed).
        decisions: The run's decisions, in order.

    Returns:
        The fewest decisions found, or an empty list.
    """
    failure = machine._failure
    unstarted: list[Unstarted] = []  # a replay whose machine could not be made

    def fails(some: Sequence[Decision]) -> bool:
        if unstarted:  # every replay after would not start either: none fails alike
            return False
        ended_in = _replayed(type(machine), some)
        if isinstance(ended_in, Unstarted):
            unstarted.append(ended_in)
            return False
        return ended_in == failure

    with with_reporter(lambda _: None):  # a check's own notes, once per replay
        found = bool(decisions) and fails(decisions)
        kept, replays, ended = fewest(decisions, fails) if found else ([], 0, True)
    if unstarted:
        why = unstarted[0].why
        note(f"The run's decisions could not be replayed to find the fewest: {why}")
        return []
    if not kept:
        return []
    lines = "\n".join(f"    {in_words(d)}" for d in kept)
    how = (
        f"each needed; found in {replays + 1} replays"
        if ended
        else f"found in {replays + 1} replays, where the search stopped (some may not be needed)"
    )
    note(
        f"The fewest of the run's {len(decisions)} decisions that, replayed alone, fail "
        f"it alike ({failure}), {how}:\n{lines}"
    )
    return kept


@attrs.frozen
class Unstarted:
    """A replay whose machine could not be made (its store refused), and why."""

    why: str


def _replayed(
    machine_class: type[LifecycleMachine], decisions: Sequence[Decision]
) -> str | Unstarted | None:
    """The kind of failure replaying ``decisions`` on a new machine ends in, or ``None``.

    ``Unstarted`` when the machine could not be made.

    A failure of another kind, and anything Hypothesis raises (a check's ``assume``),
    is not the run's failure: ``None`` is as good as any other answer then.
    """
    try:
        machine = machine_class()
    except Exception as error:  # noqa: BLE001 - any: the run's own failure is reported
        return Unstarted(f"{type(error).__name__}: {error}")
    machine._replaying = True
    try:
        for decision in decisions:
            machine.walker.day = max(machine.walker.day, decision.decided.earliest)
            with machine._watched("a step"):
                machine._apply(decision)
            machine.replay_equals_live()
            machine.guards_are_pure()
            machine.users_invariants()
    except Exception:  # noqa: BLE001 - any failure counts, by its kind
        return machine._failure
    finally:
        with contextlib.suppress(Exception):  # a replay's store: its failure is not the run's
            close(machine.registry.log)
    return None
