"""The ``walks`` strategy: lists of decisions a :class:`~govflow.testing.walk.Walker` draws.

Each list is one walk, drawn against a scratch registry of its own, so that applying
it in order gives the same states again; the delegations a model file gives are
recorded after each proposal, as ``govflow run`` records them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence

from hypothesis import strategies as st

from govflow.errors import DecisionRefused, InvalidRecord
from govflow.model.decision import Decision, Delegation
from govflow.model.kind import Kind
from govflow.model.terms import Terms
from govflow.model.unreadable import Unread, read_out
from govflow.registry import Registry
from govflow.rules.lifecycle import Lifecycle
from govflow.testing.records import quiet
from govflow.testing.walk import AGAIN, Walker

__all__ = ["walks"]


def walks(
    lifecycle: Lifecycle,
    *,
    bodies: Sequence[str] = ("b0",),
    terms: Terms | None = None,
    invalid: float = 0.1,
    max_steps: int = 60,
    delegations: Sequence[tuple[str, Delegation]] = (),
    start: dt.date | None = None,
    unusual: float = 0.0,
) -> st.SearchStrategy[list[Decision]]:
    """Decisions that walk ``lifecycle``: each drawn from the state the ones before left.

    A scratch :class:`~govflow.Registry` keeps where each body stands; the decisions
    it refused are kept in the list (they are the wrong ones, :data:`MISTAKES`), so
    applying the list in order gives the same states again.

    Args:
        lifecycle: The model.
        bodies: The ids of the bodies, each proposed by its first decision.
        terms: The terms each body is proposed with; by default
            :func:`~govflow.testing.default_terms`: the organisations that can take
            what every partner must (``A`` and ``B`` without declared authorities).
        invalid: The share of decisions wrong on purpose.
        max_steps: At most this many decisions, shared by the bodies (the delegation
            decisions after each proposal not counted).
        delegations: Delegations recorded after each proposal, as (delegator,
            delegation): a model file's, ``walks(model.lifecycle,
            delegations=model.delegations)``, as ``govflow run`` records them; the
            delegates then take what they were delegated.
        start: The day the walk's dates count from: each decision is dated 0 to 30 days
            after the one before (the first, after it). By default the first day a
            delegation given is in force, else 1 January 2020: a walk of 60 steps covers
            about seven months.
        unusual: The share of the steps a walk takes aside (one in ten, a decision no
            guard waits for) that are unusual: an amendment where the state accepts one,
            dated by its month or as some day in the week to the walk's day (and that
            share of the decisions guessed for a guard of your own, dated so), so that
            a guard of yours that counts decisions on earlier terms, or reads a date as
            a day, meets one. None by default: with them, fewer walks reach the deepest
            states. Counted in thousandths (below 0.001, none).

    Raises:
        InvalidRecord: An argument no walk can be drawn with (checked at once): no
            bodies, one text as bodies, ``invalid`` or ``unusual`` outside 0 to 1,
            ``max_steps`` below 1, or a lifecycle in which no declared authority may
            propose a body.
    """
    if type(max_steps) is not int or max_steps < 1:
        raise InvalidRecord("walks", "max_steps", "a whole number from 1", max_steps, AGAIN)
    if not isinstance(lifecycle, Lifecycle):
        raise InvalidRecord("walks", "lifecycle", "a Lifecycle", lifecycle, AGAIN)
    given = read_out(delegations) if isinstance(delegations, Iterable) else delegations
    if isinstance(given, Unread):  # a caller's own collection raised as it was read
        wanted = "a list of (delegator, Delegation) pairs"
        raise InvalidRecord("walks", "delegations", wanted, given, AGAIN)
    # Checks the others now, and gives the terms (default_terms for the bodies, if none)
    # and the first day.
    walker = Walker(lifecycle, bodies, terms, invalid, start, delegations=given, unusual=unusual)
    return _walks(
        lifecycle, tuple(walker.bodies), walker.terms, walker.invalid, max_steps, given,
        walker.start, unusual=walker.unusual,
    )  # fmt: skip


@st.composite
def _walks(  # noqa: PLR0917 - walks' arguments, checked there
    draw: st.DrawFn,
    lifecycle: Lifecycle,
    bodies: tuple[str, ...],
    terms: Terms,
    invalid: float,
    max_steps: int,
    delegations: tuple[tuple[str, Delegation], ...],
    start: dt.date,
    *,
    unusual: float,
) -> list[Decision]:
    walker = Walker(lifecycle, bodies, terms, invalid, start, delegations=delegations,
                    unusual=unusual)  # fmt: skip
    registry = Registry(lifecycle, logger=quiet())
    decisions: list[Decision] = []
    final = lifecycle.final
    for _ in range(draw(st.integers(1, max_steps))):
        decision = walker.draw(draw, registry)
        decisions.append(decision)
        try:
            registry.apply(decision)
        except DecisionRefused:
            continue
        if decision.kind is Kind.PROPOSE:  # the delegations in force on it, recorded after it
            for given in walker.model.delegation_decisions(decision):
                decisions.append(given)
                with contextlib.suppress(DecisionRefused):
                    registry.apply(given)
        standing = registry.bodies
        if all(b in standing and standing[b].state in final for b in bodies):
            break  # every body has ended: only notes could follow
    return decisions
