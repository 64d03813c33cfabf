"""What can happen next to a body, assuming a decision recorded first if need be: ``explain``.

Pure, as deciding is: the answer for a decision assumed equals the explanation its
refusal would carry, because it is recorded as :func:`~govflow.rules.decide.record`
records it before a trigger's guards run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govflow.errors import BodyExists, InvalidRecord, TriggerNotAllowed
from govflow.model.kind import PROPOSE
from govflow.rules.decide import record
from govflow.rules.explain import Explanation, explain_body
from govflow.rules.schemas import rules_of

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.decision import Decision
    from govflow.model.when import When
    from govflow.rules.lifecycle import Lifecycle


def explain(
    lifecycle: Lifecycle, body: Body, on: When | None = None, *,
    assuming: Decision | None = None, seq: int | None = None,
    schema: int | None = None,
) -> Explanation:  # fmt: skip
    """What can happen next to ``body`` and, for what cannot, every unmet reason.

    Args:
        lifecycle: The lifecycle the body follows.
        body: The body.
        on: The date to evaluate guards at; by default the date of ``assuming``, or
            else the last day of the body's latest decision (``certain_from``).
        assuming: A decision to count as recorded first (its trigger is not taken):
            the answer then equals the explanation a refusal of it carries.
        seq: The sequence number ``assuming`` would have; by default the one after the
            body's latest fact (a registry passes its log's count).
        schema: Record ``assuming`` under the rules of this entry schema (a registry
            passes its log's); ``None``: the newest.

    Raises:
        InvalidRecord: ``assuming`` is about another body (also a ValueError).
        DecisionRefused: ``assuming`` could not be recorded on this body.
    """
    if assuming is not None:
        if assuming.body != body.id:
            said = f"a decision about body {body.id!r}", "explain each body with its own decisions"
            raise InvalidRecord("explain", "assuming", said[0], assuming.body, said[1])
        if assuming.kind is PROPOSE:  # as deciding refuses it: the body exists
            raise BodyExists(assuming.id, body.id)
        trigger, allowed = assuming.trigger, lifecycle.triggers_from(body.state)
        if trigger is not None and trigger not in allowed:  # as deciding refuses it
            raise TriggerNotAllowed(assuming.id, body.id, trigger, body.state, allowed)
        seq = max((f.seq + 1 for f in body.facts), default=0) if seq is None else seq
        body, _ = record(lifecycle, body, assuming, seq, tentative=True, **rules_of(schema))
        on = assuming.decided if on is None else on
    return explain_body(lifecycle, body, on)
