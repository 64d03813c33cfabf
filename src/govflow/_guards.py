"""Guards: named, pure predicates over a body's facts and a decision's date.

A guard is any callable ``guard(body, on) -> Verdict | bool``. The built-ins
return a :class:`~govflow.Verdict` with every unmet reason and the log entries
that satisfied them; a plain function returning a bool is a guard too, and its
failure reason is its name.

Guards must be pure: they read the body and the date they are given and
nothing else (no clock, no I/O, no global state), so that replaying a log
recomputes exactly the verdicts that were recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs

from govflow._body import Body
from govflow._decision import Kind
from govflow._errors import GuardError
from govflow._verdict import Reason, Verdict
from govflow._when import When

#: A guard: a pure callable from a body and the decision's date to a verdict or a bool.
Guard = Callable[[Body, When], "Verdict | bool"]

_NOUNS: dict[Kind, str] = {
    Kind.PROPOSE: "a proposal",
    Kind.RECOMMEND: "a recommendation",
    Kind.AGREE: "agreement",
    Kind.ENDORSE: "endorsement",
    Kind.NOMINATE: "nominations",
    Kind.HOLD_MEETING: "a meeting",
    Kind.AGREE_BUDGET: "budget agreement",
    Kind.ESTABLISH: "agreement to establish",
    Kind.REQUEST_RECONSIDERATION: "a request for reconsideration",
    Kind.REAFFIRM: "reaffirmation",
    Kind.END: "a decision to end",
    Kind.RESCIND: "a rescission",
}


def guard_name(guard: Guard) -> str:
    """The name a guard is known by in verdicts, explanations and fingerprints."""
    name = getattr(guard, "name", None)
    if isinstance(name, str):
        return name
    return str(getattr(guard, "__name__", None) or repr(guard))


def evaluate(guard: Guard, body: Body, on: When) -> Verdict:
    """Run ``guard`` on ``body`` at ``on`` and return its verdict.

    Raises:
        GuardError: The guard returned neither a bool nor a Verdict.
    """
    result = guard(body, on)
    if isinstance(result, Verdict):
        return result
    name = guard_name(guard)
    if result is True:
        return Verdict.ok(name)
    if result is False:
        return Verdict.fail(name, Reason("guard_failed", {"guard": name}, name))
    raise GuardError(name, result)


def _listing(names: Iterable[str]) -> str:
    return ", ".join(names)


@attrs.frozen
class DecidedBy:
    """Decisions of some kinds by all of, or ``at_least`` of, some authorities.

    Build it with :func:`decided_by`, :func:`every_partner`,
    :func:`nominations_from_every_partner` or :func:`budget_agreed`.

    Attributes:
        kinds: The kinds of decision that count.
        authorities: The authorities, or ``None`` for the body's partners.
        at_least: How many must have decided; ``None`` for all of them.
        label: The guard's name, when it is not derived from the other fields.
    """

    kinds: tuple[Kind, ...]
    authorities: tuple[str, ...] | None
    at_least: int | None = None
    label: str | None = None

    @property
    def name(self) -> str:
        """The guard's name."""
        if self.label is not None:
            return self.label
        kinds = "/".join(kind.value for kind in self.kinds)
        who = "partners" if self.authorities is None else _listing(self.authorities)
        quantity = "all of" if self.at_least is None else f"{self.at_least} of"
        return f"{kinds} by {quantity}: {who}"

    def __call__(self, body: Body, on: When) -> Verdict:
        """Count the body's decisions of these kinds by each authority."""
        authorities = body.terms.partners if self.authorities is None else self.authorities
        found: dict[str, int] = {}
        for fact in body.decisions(*self.kinds):
            for authority in authorities:
                if authority not in found and fact.decision.speaks_for(authority):
                    found[authority] = fact.seq
        evidence = tuple(sorted(found.values()))
        missing = tuple(a for a in authorities if a not in found)
        needed = len(authorities) if self.at_least is None else self.at_least
        if len(found) >= needed:
            return Verdict.ok(self.name, evidence)
        noun = " or ".join(_NOUNS[kind] for kind in self.kinds)
        if self.at_least is None:
            message = f"awaiting {noun} from: {_listing(missing)}"
        else:
            message = f"awaiting {noun} from {needed - len(found)} more of: {_listing(missing)}"
        reason = Reason(
            "awaiting_decisions",
            {
                "kinds": tuple(kind.value for kind in self.kinds),
                "missing": missing,
                "needed": needed,
                "have": len(found),
            },
            message,
        )
        return Verdict.fail(self.name, reason, evidence=evidence)


def _kinds(kinds: Kind | Iterable[Kind]) -> tuple[Kind, ...]:
    result = (Kind(kinds),) if isinstance(kinds, str) else tuple(Kind(k) for k in kinds)
    if not result:
        raise ValueError("A decision guard needs at least one kind of decision.")
    if Kind.RECOMMEND in result:
        raise ValueError(
            "A recommendation is not a decision and cannot satisfy a guard; "
            "count the decision of the authority it was made to instead."
        )
    return result


def decided_by(
    kinds: Kind | Iterable[Kind],
    authorities: Iterable[str],
    *,
    at_least: int | None = None,
    name: str | None = None,
) -> DecidedBy:
    """A guard that passes once all of (or ``at_least`` of) ``authorities`` decided.

    A decision counts for an authority when the authority took it or it was taken
    on the authority's behalf.

    Args:
        kinds: The kind, or kinds, of decision that count.
        authorities: The named authorities ("LGA Executive", "APCC").
        at_least: ``k`` for k-of-n; ``None`` (the default) for all of them.
        name: The guard's name; derived from the arguments when omitted.

    Raises:
        ValueError: No authority or kind, an ``at_least`` outside 1 to n, or a
            recommendation counted as a decision.
    """
    names = tuple(authorities)
    if not names or isinstance(authorities, str):
        raise ValueError(f"decided_by needs a list of authorities, got {authorities!r}.")
    if at_least is not None and not 1 <= at_least <= len(names):
        raise ValueError(f"at_least must be from 1 to {len(names)}, got {at_least}.")
    return DecidedBy(_kinds(kinds), names, at_least, name)


def every_partner(kinds: Kind | Iterable[Kind], *, name: str | None = None) -> DecidedBy:
    """A guard that passes once every partner of the body took a decision of ``kinds``."""
    return DecidedBy(_kinds(kinds), None, None, name)


def any_partner(kinds: Kind | Iterable[Kind], *, name: str | None = None) -> DecidedBy:
    """A guard that passes once at least one partner took a decision of ``kinds``."""
    return DecidedBy(_kinds(kinds), None, 1, name)


def nominations_from_every_partner() -> DecidedBy:
    """A guard that passes once every partner has made its nominations."""
    return DecidedBy((Kind.NOMINATE,), None, None, "nominations from every partner")


def budget_agreed() -> DecidedBy:
    """A guard that passes once every partner has agreed its budget contribution."""
    return DecidedBy((Kind.AGREE_BUDGET,), None, None, "budget agreed by every partner")


@attrs.frozen
class MeetingHeld:
    """A guard that passes once the named meeting has been recorded as held.

    Attributes:
        meeting: The meeting's name, as ``hold_meeting`` decisions give it.
    """

    meeting: str

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"meeting held: {self.meeting}"

    def __call__(self, body: Body, on: When) -> Verdict:
        """Look for a ``hold_meeting`` decision for this meeting."""
        for fact in body.decisions(Kind.HOLD_MEETING):
            if fact.decision.meeting == self.meeting:
                return Verdict.ok(self.name, (fact.seq,))
        reason = Reason(
            "awaiting_meeting", {"meeting": self.meeting}, f"awaiting meeting: {self.meeting}"
        )
        return Verdict.fail(self.name, reason)


def meeting_held(meeting: str) -> MeetingHeld:
    """A guard that passes once ``meeting`` has been held."""
    return MeetingHeld(meeting)


@attrs.frozen
class NotBefore:
    """A guard that passes when the decision certainly falls on or after a day.

    A decision dated "April 2013" passes ``not_before(1 April 2013)`` but not
    ``not_before(15 April 2013)``: it may have been taken on the 1st.

    Attributes:
        day: The first day on which the transition may happen.
    """

    day: dt.date

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"not before {self.day.isoformat()}"

    def __call__(self, body: Body, on: When) -> Verdict:
        """Compare the decision's earliest possible day with ``day``."""
        if on.earliest >= self.day:
            return Verdict.ok(self.name)
        reason = Reason(
            "too_early",
            {"not_before": self.day.isoformat(), "decided": on.iso},
            f"not before {self.day.isoformat()}: the decision is dated {on.iso}",
        )
        return Verdict.fail(self.name, reason)


def not_before(day: dt.date) -> NotBefore:
    """A guard that passes only for decisions certainly taken on or after ``day``."""
    return NotBefore(day)


@attrs.frozen
class CameFrom:
    """A guard that passes when the body came to its current state from ``state``.

    Attributes:
        state: The state the body must have been in before its current one.
    """

    state: str

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"came from: {self.state}"

    def __call__(self, body: Body, on: When) -> Verdict:
        """Compare the body's previous state with ``state``."""
        if body.previous_state == self.state:
            return Verdict.ok(self.name)
        reason = Reason(
            "came_from_elsewhere",
            {"expected": self.state, "actual": body.previous_state or ""},
            f"the body came from {body.previous_state or 'nowhere'}, not from {self.state}",
        )
        return Verdict.fail(self.name, reason)


def came_from(state: str) -> CameFrom:
    """A guard that passes when the body's previous state was ``state``."""
    return CameFrom(state)
