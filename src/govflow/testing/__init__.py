"""Hypothesis strategies and a state machine for property-testing lifecycles.

Install the extra to use them: ``pip install "govflow[testing]"``. Importing
``govflow`` itself never imports Hypothesis; importing this package does, and
registers a strategy for each public record, so ``st.from_type(Decision)`` works.

- :func:`walks` draws decisions that walk a lifecycle as its guards allow, with a
  share wrong on purpose;
- :class:`LifecycleMachine` is a ``RuleBasedStateMachine`` to subclass: it applies
  walked decisions to a registry on your store and checks the invariants after each;
- :func:`whens`, :func:`terms`, :func:`lifecycles` and :func:`decision_sequences`
  draw records and random models.

See ``docs/concepts/testing.md``.
"""

from __future__ import annotations

from govflow.errors import MissingExtra

try:
    from govflow.testing.awaited import default_terms
    from govflow.testing.machine import LifecycleMachine
    from govflow.testing.records import (
        Fixed,
        decision_sequences,
        decisions,
        lifecycles,
        terms,
        whens,
    )
    from govflow.testing.strategy import walks
    from govflow.testing.types import register
    from govflow.testing.walk import MISTAKES, Walker
except ModuleNotFoundError as error:  # the extra is not installed
    if error.name is None or error.name.partition(".")[0] != "hypothesis":
        raise
    raise MissingExtra("govflow.testing", "hypothesis", "testing") from None

__all__ = [
    "MISTAKES",
    "Fixed",
    "LifecycleMachine",
    "Walker",
    "decision_sequences",
    "decisions",
    "default_terms",
    "lifecycles",
    "register",
    "terms",
    "walks",
    "whens",
]

register()
