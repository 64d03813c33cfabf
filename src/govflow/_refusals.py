"""Refusals: why a decision was not applied. Nothing changed when one is raised.

``DecisionRefused`` and its subclasses, in the hierarchy drawn in ``_errors``.
Each keeps the refused decision's id and body, and what was wrong, as attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from govflow._errors import GovflowError

if TYPE_CHECKING:
    from govflow._decision import Decision, Kind
    from govflow._explain import Explanation
    from govflow._verdict import Reason


class DecisionRefused(GovflowError):
    """A decision was refused; the body and the log are unchanged.

    Attributes:
        decision_id: The refused decision's id.
        body: The body the decision names.
    """

    code = "refused"

    def __init__(self, decision_id: str, body: str, message: str) -> None:
        self.decision_id = decision_id
        self.body = body
        super().__init__(f"Decision {decision_id!r} on body {body!r} was refused: {message}")


class UnknownBody(DecisionRefused):
    """The decision names a body that no accepted proposal created."""

    code = "unknown_body"

    def __init__(self, decision_id: str, body: str) -> None:
        super().__init__(
            decision_id,
            body,
            f"no body {body!r} exists; apply a 'propose' decision for it first.",
        )


class BodyExists(DecisionRefused):
    """A proposal names a body that already exists."""

    code = "body_exists"

    def __init__(self, decision_id: str, body: str) -> None:
        super().__init__(
            decision_id,
            body,
            f"body {body!r} already exists; a proposal creates a body only once.",
        )


class NotAuthorised(DecisionRefused):
    """The decision's actor may not take it.

    Attributes:
        actor: The authority that tried to decide.
        kind: The kind of decision (the kind it lacks, for a delegation).
        why: ``"unknown"`` (not a declared authority), ``"power"`` (it lacks the power
            and no delegation in force gives it), ``"behalf"`` (it speaks for another
            organisation without that organisation's delegation), ``"unknown delegate"``,
            ``"power to delegate"`` or ``"revoke"`` (only the delegator may revoke).
        organisation: The organisation it claimed to speak for, if any.
        missing: The missing power, in words.
    """

    code = "not_authorised"

    def __init__(self, decision: Decision, why: str, kind: Kind | None = None) -> None:
        self.actor = decision.actor
        self.kind = decision.kind if kind is None else kind
        self.why = why
        self.organisation = decision.on_behalf_of
        self.missing = f"{self.kind.value} for body {decision.body!r}"
        delegate = decision.delegation.to if decision.delegation else ""
        detail = {
            "unknown": f"{self.actor!r} is not a declared authority; declare it with its powers",
            "behalf": f"{self.actor!r} may not decide on behalf of {self.organisation!r}: a "
            "partner speaks only for itself unless that organisation delegated the power to it",
            "unknown delegate": f"{delegate!r} is not a declared authority",
            "revoke": f"only the authority that delegated may revoke it, not {self.actor!r}",
        }.get(
            why,
            f"{self.actor!r} lacks the power to take {self.missing} ({why}), "
            "and no delegation in force gives it",
        )
        super().__init__(decision.id, decision.body, f"{detail}.")


class StaleTerms(DecisionRefused):
    """An amendment's terms version does not follow the body's current one.

    Attributes:
        current: The body's current terms version.
        given: The version the amendment carries.
    """

    code = "stale_terms"

    def __init__(self, decision_id: str, body: str, current: int, given: int) -> None:
        self.current = current
        self.given = given
        super().__init__(
            decision_id,
            body,
            f"it amends the terms to version {given}, but the body is on version {current}; "
            f"an amendment must carry version {current + 1}.",
        )


class TriggerNotAllowed(DecisionRefused):
    """The requested trigger does not lead anywhere from the body's current state.

    Attributes:
        trigger: The trigger that was asked for.
        state: The body's current state.
        allowed: The triggers that do leave that state.
    """

    code = "trigger_not_allowed"

    def __init__(
        self, decision_id: str, body: str, trigger: str, state: str, allowed: Sequence[str]
    ) -> None:
        self.trigger = trigger
        self.state = state
        self.allowed = tuple(allowed)
        choices = ", ".join(repr(t) for t in self.allowed) if self.allowed else "none"
        super().__init__(
            decision_id,
            body,
            f"trigger {trigger!r} is not allowed from state {state!r}; "
            f"the triggers from {state!r} are: {choices}.",
        )


class GuardFailed(DecisionRefused):
    """One or more guards of the requested transition failed.

    Attributes:
        trigger: The trigger that was asked for.
        reasons: Every unmet reason, from every failed guard.
        explanation: The full explanation of the body at the decision's date, with the
            decision taken into account; equal to what ``explain`` answers.
    """

    code = "guard_failed"

    def __init__(
        self,
        decision_id: str,
        body: str,
        trigger: str,
        reasons: Sequence[Reason],
        explanation: Explanation,
    ) -> None:
        self.trigger = trigger
        self.reasons = tuple(reasons)
        self.explanation = explanation
        why = "; ".join(reason.message for reason in self.reasons)
        super().__init__(
            decision_id,
            body,
            f"the guards of {trigger!r} did not pass: {why}. "
            "Record the missing decisions first, then ask for the trigger again.",
        )


class OutOfOrder(DecisionRefused):
    """The decision is dated certainly before a decision already applied to the body.

    Attributes:
        decided: The refused decision's date, as ISO 8601 text.
        floor: The earliest date a new decision on this body may end on.
    """

    code = "out_of_order"

    def __init__(self, decision_id: str, body: str, decided: str, floor: str) -> None:
        self.decided = decided
        self.floor = floor
        super().__init__(
            decision_id,
            body,
            f"it is dated {decided}, before {floor}, the date of a decision already applied "
            "to this body; decisions are applied in the order they were taken.",
        )


class DuplicateDecision(DecisionRefused):
    """The decision id was already used for a different decision."""

    code = "duplicate_id"

    def __init__(self, decision_id: str, body: str) -> None:
        super().__init__(
            decision_id,
            body,
            "its id was already used for a different decision; give each decision its own id.",
        )


class UnknownDecision(DecisionRefused):
    """The decision supersedes an entry that does not exist or cannot be superseded.

    Attributes:
        target: The id of the decision that was to be corrected or rescinded.
    """

    code = "unknown_target"

    def __init__(self, decision_id: str, body: str, target: str, why: str) -> None:
        self.target = target
        super().__init__(decision_id, body, f"it supersedes {target!r}, but {why}.")
