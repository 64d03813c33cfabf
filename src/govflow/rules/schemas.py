"""What each entry schema decided by: the one place a log's schema becomes deciding's rules.

An entry is replayed and verified under the rules its schema was written with (the
schema policy in ``docs/canonical-form.md``). Those rules reach :func:`decide`,
:func:`record` and :func:`admitted` in ``govflow.rules.decide`` as keyword arguments;
:func:`rules_of` gives them for a schema, and every caller (the registry, replay,
``explain`` and the testing kit) asks it, never the schema numbers below.
"""

from __future__ import annotations

from typing import TypedDict

#: The entry schema from which a state accepts only the kinds its lifecycle lets it;
#: before it (``legacy``), every kind.
ACCEPTS_FROM = 2

#: The entry schema from which a decision taken under a delegation counts for its
#: delegator too (``Fact.delegated_by``); before it, only when it named the delegator in
#: ``on_behalf_of``.
DELEGATORS_FROM = 4


class Rules(TypedDict):
    """The keyword arguments of ``decide``, ``record`` and ``admitted`` for one schema."""

    #: Every state accepts every kind (schema 1).
    legacy: bool
    #: A decision under a delegation counts for its delegator too (schema 4 on).
    delegators: bool


def rules_of(schema: int | None) -> Rules:
    """The rules decisions in entries of ``schema`` are decided by; ``None``: the newest."""
    if schema is None:
        return Rules(legacy=False, delegators=True)
    return Rules(legacy=schema < ACCEPTS_FROM, delegators=schema >= DELEGATORS_FROM)
