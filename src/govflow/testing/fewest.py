"""The fewest of a failing run's decisions that still fail it the same way.

Hypothesis shrinks a failing run by trying shorter draws, each a new walk: for a
failure many decisions deep, that took from 30 s to its five-minute cap, and could
leave twenty or more decisions of which five mattered. Replaying the decisions
themselves, with some left out, to the same failure is quicker: this is delta
debugging (Zeller and Hildebrandt's ``ddmin``), which leaves out halves, then
quarters, down to one decision at a time, keeping each cut after which the
decisions still fail. What it ends with is 1-minimal: leave out any one decision and
it passes, or fails otherwise. On the testing kit's planted failures, 40 decisions
came down to 4 to 13 in under 70 replays.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from hypothesis import note
from hypothesis.control import current_build_context
from hypothesis.errors import HypothesisException

from govflow.testing.steps import in_words

if TYPE_CHECKING:
    from govflow.model.decision import Decision
    from govflow.testing.machine import LifecycleMachine

__all__ = ["REPLAYS", "failure_of", "fewest", "reporting", "told_fewest"]

T = TypeVar("T")

#: The most replays one search makes: it ends with the fewest found so far.
REPLAYS = 500


def fewest(
    steps: Sequence[T], fails: Callable[[Sequence[T]], bool], replays: int = REPLAYS
) -> tuple[list[T], int]:
    """The fewest of ``steps``, in their order, for which ``fails`` holds; and the replays.

    ``fails(steps)`` is assumed to hold. Each cut kept is one after which ``fails``
    still holds; the search ends when no one step can be left out, or after
    ``replays`` calls of ``fails``.
    """
    current, parts, made = list(steps), 2, 0
    while len(current) > 1 and made < replays:
        size = -(-len(current) // parts)  # ceiling: every step in some part
        for start in range(0, len(current), size):
            if made >= replays:
                break
            candidate = current[:start] + current[start + size :]
            made += 1
            if fails(candidate):
                current, parts = candidate, max(parts - 1, 2)
                break
        else:  # no part could go: cut finer, or, one at a time, it is 1-minimal
            if size == 1:
                break
            parts = min(parts * 2, len(current))
    return current, made


def failure_of(error: BaseException, where: str) -> str:
    """What kind of failure ``error``, raised in ``where``, is: the same kind, the same bug.

    An invariant's by its number ("invariant 1"), a check of yours by its name and the
    exception's type, anything else by the exception's type and where it was raised.
    """
    message = str(error)
    if isinstance(error, AssertionError) and message.startswith("invariant "):
        return message.split(":", 1)[0]
    return f"{type(error).__name__} in {where}"


def reporting() -> bool:
    """Whether this is the run Hypothesis reports a failure from (its notes are shown)."""
    try:
        return bool(current_build_context().is_final)
    except HypothesisException:  # not within a test: nothing is reported
        return False


def told_fewest(machine: LifecycleMachine, decisions: Sequence[Decision]) -> list[Decision]:
    """The fewest of ``decisions`` that fail as ``machine``'s run failed, noted in words.

    Each replay is a new machine of the same class (a new store, if it makes one),
    applying the decisions in order and checking every invariant after each, as a
    run does, but noting nothing. Nothing is noted, and nothing returned, when all
    the decisions replayed do not fail it so (a failure that needs a store reopened,
    or a decision applied again, which the decisions alone do not show).
    """
    failure = machine._failure

    def fails(some: Sequence[Decision]) -> bool:
        return _replayed(type(machine), some) == failure

    if not decisions or not fails(decisions):
        return []
    kept, replays = fewest(decisions, fails)
    lines = "\n".join(f"    {in_words(d)}" for d in kept)
    note(
        f"The fewest of the run's {len(decisions)} decisions that, replayed alone, fail "
        f"it alike ({failure}), each needed; found in {replays} replays:\n{lines}"
    )
    return kept


def _replayed(machine_class: type[LifecycleMachine], decisions: Sequence[Decision]) -> str | None:
    """The kind of failure replaying ``decisions`` on a new machine ends in, or ``None``."""
    machine = machine_class()
    machine._replaying = True
    try:
        for decision in decisions:
            machine.walker.day = max(machine.walker.day, decision.decided.earliest)
            with machine._watched("a step"):
                machine._apply(decision)
            machine.replay_equals_live()
            machine.guards_are_pure()
            machine.users_invariants()
    except HypothesisException:
        raise
    except Exception:  # noqa: BLE001 - any failure counts, by its kind
        return machine._failure
    finally:
        close = getattr(machine.registry.log, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()
    return None
