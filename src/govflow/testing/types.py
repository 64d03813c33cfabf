"""A strategy for each public record, registered by type when :mod:`govflow.testing` loads.

Records that describe a model or a decision are drawn from their parts; those a
registry makes (``Body``, ``Fact``, ``Entry``, ``Explanation``, ``Verification``) come
from walking a random lifecycle.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from hypothesis import strategies as st

from govflow.errors import DecisionRefused
from govflow.log.checkpoint import Checkpoint
from govflow.log.entry import Entry
from govflow.log.problem import Verification
from govflow.model.authority import Authority, Mandate
from govflow.model.body import Body, Fact
from govflow.model.decision import Decision, Delegation, Source, Target
from govflow.model.kind import Kind
from govflow.model.terms import Parameter, Terms
from govflow.model.verdict import Reason, Verdict
from govflow.model.when import When
from govflow.registry import Registry
from govflow.rules.explain import Explanation
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.parts import State, Transition
from govflow.testing.records import (
    AUTHORITIES,
    NAMES,
    PARTNERS,
    WRITABLE,
    decisions,
    lifecycles,
    quiet,
    terms,
    whens,
)
from govflow.testing.strategy import walks

__all__ = ["register"]


def _records() -> None:
    """Register a strategy for each public record with ``st.register_type_strategy``."""
    texts = st.text(WRITABLE, min_size=1, max_size=12).filter(str.strip)
    day = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))
    reason = st.builds(
        Reason, st.sampled_from(["awaiting_decisions", "too_early"]), st.just({}), texts
    )
    table: dict[type, st.SearchStrategy[object]] = {
        When: whens(),
        Terms: terms(),
        Parameter: st.one_of(
            st.builds(Parameter, name=NAMES, day=day),
            st.builds(Parameter, name=NAMES, number=st.integers(0, 10**6)),
            st.builds(Parameter, name=NAMES, text=texts),
        ),
        Source: st.builds(Source, texts, texts),
        Target: st.builds(Target, NAMES, whens()),
        Delegation: st.builds(
            Delegation,
            to=st.sampled_from(AUTHORITIES),
            kinds=st.lists(st.sampled_from(list(Kind)), min_size=1, max_size=3).map(tuple),
            start=day,
        ),
        Decision: decisions(),
        Authority: st.builds(
            Authority,
            name=st.sampled_from(AUTHORITIES),
            organisation=st.sampled_from(PARTNERS),
            may=st.frozensets(st.sampled_from(list(Kind)), max_size=4),
        ),
        Mandate: st.builds(Mandate, st.sampled_from(AUTHORITIES), st.sampled_from(PARTNERS)),
        Reason: reason,
        Verdict: st.one_of(
            st.builds(Verdict.ok, NAMES),
            st.builds(Verdict.fail, NAMES, reason),
        ),
        State: st.builds(State, NAMES),
        Transition: st.builds(Transition, NAMES, NAMES, NAMES),
        Lifecycle: lifecycles(),
        Checkpoint: st.builds(
            Checkpoint,
            st.integers(0, 10**6),
            st.text("0123456789abcdef", min_size=64, max_size=64),
        ),
    }
    for cls, strategy in table.items():
        st.register_type_strategy(cls, strategy)


def _made() -> None:
    """Register strategies for the records a registry makes: each drawn from a walk.

    ``Body``, ``Fact``, ``Entry``, ``Explanation`` and ``Verification`` come from
    walking a random lifecycle of :func:`lifecycles` with ``walks``.
    """

    @st.composite
    def walked(draw: st.DrawFn) -> Registry:
        lifecycle = draw(lifecycles(max_states=4))
        registry = Registry(lifecycle, logger=quiet())
        for decision in draw(walks(lifecycle, max_steps=12, invalid=0.0)):
            with contextlib.suppress(DecisionRefused):
                registry.apply(decision)
        return registry

    having = walked().filter(lambda r: len(r.log) > 0)
    bodies = having.map(lambda r: next(iter(r.bodies.values())))
    table: dict[type, st.SearchStrategy[object]] = {
        Body: bodies,
        Fact: bodies.map(lambda b: b.facts[-1]),
        Entry: having.map(lambda r: list(r.log)[-1]),
        Explanation: having.map(lambda r: r.explain(next(iter(r.bodies)))),
        Verification: having.map(lambda r: r.verify()),
    }
    for cls, strategy in table.items():
        st.register_type_strategy(cls, strategy)


def register() -> None:
    """Register a strategy for each public record with ``st.register_type_strategy``."""
    _records()
    _made()
