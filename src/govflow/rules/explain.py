"""Explanations: what can happen next to a body and, for what cannot, every unmet reason."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from govflow.errors import GuardError, InvalidRecord
from govflow.guards.protocol import guard_name
from govflow.model.kind import Kind
from govflow.model.terms import (
    exactly,
    exactly_or_none,
    identifier,
    name,
    shown_name,
    texts,
    tupled,
)
from govflow.model.verdict import Reason, Verdict
from govflow.model.when import When
from govflow.rules.advice import unspoken
from govflow.rules.parts import PREVIOUS

if TYPE_CHECKING:
    from govflow.guards.protocol import Guard
    from govflow.model.body import Body
    from govflow.rules.lifecycle import Lifecycle


def _verdicts(value: Iterable[Verdict]) -> tuple[Verdict, ...]:
    return tupled(value)  # type: ignore[arg-type, return-value] # a list, or left for the check


def _options(value: Iterable[Option]) -> tuple[Option, ...]:
    return tupled(value)  # type: ignore[arg-type, return-value] # a list, or left for the check


def _all(kind: type, expected: str) -> Any:  # noqa: ANN401 - an attrs validator
    """An attrs validator: a tuple of ``kind`` records (give a list or a tuple)."""

    def check(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not tuple or not all(type(v) is kind for v in value):
            raise InvalidRecord(type(record).__name__, attribute.name, expected, value)

    return check


def _triples(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: (trigger, what, value) triples of texts (give lists or tuples)."""
    if type(value) is not tuple or not all(
        type(t) is tuple and len(t) == 3 and all(type(x) is str for x in t)  # noqa: PLR2004
        for t in value
    ):
        raise InvalidRecord(
            type(record).__name__, attribute.name, "(text, text, text) triples", value
        )


def _tripled(value: Iterable[tuple[str, str, str]]) -> tuple[tuple[str, str, str], ...]:
    """An attrs converter: a list of lists or tuples becomes a tuple of tuples."""
    listed: object = tupled(value)  # type: ignore[arg-type]
    if type(listed) is not tuple:
        return listed  # type: ignore[return-value] # left for the check
    return tuple(tuple(t) if type(t) is list else t for t in listed)


@attrs.frozen
class Option:
    """One transition out of the body's current state, with its guards' verdicts.

    Attributes:
        trigger: The trigger a decision would ask for.
        dest: The state it leads to.
        verdicts: Each guard's verdict at the date asked about.
    """

    trigger: str = attrs.field(validator=name)
    dest: str = attrs.field(validator=name)
    verdicts: tuple[Verdict, ...] = attrs.field(
        converter=_verdicts, validator=_all(Verdict, "a list of Verdict records")
    )

    @property
    def possible(self) -> bool:
        """Whether every guard passed."""
        return all(v.passed for v in self.verdicts)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Every unmet reason, guard by guard (for a guard that failed without one, that)."""
        return tuple(
            r for v in self.verdicts if not v.passed for r in v.reasons or (_unexplained(v),)
        )


def _unexplained(verdict: Verdict) -> Reason:
    said = f"{verdict.guard} did not pass, and gave no reason"
    return Reason("no_reason_given", {"guard": verdict.guard}, said)


@attrs.frozen
class Explanation:
    """What can happen next to a body at a date.

    Attributes:
        body: The body's id.
        state: The state explained: the body's current one (as it stood on ``on``, for a
            registry's explanation of an earlier day).
        on: The date the guards were evaluated at.
        options: Every transition out of ``state``, in definition order.
        unratified: The ids of the body's provisional resolutions (taken in shadow
            form, say) that no ratification names yet.
        proposed: When ``on`` is certainly before the body was proposed, the date of
            its proposal (it did not exist yet, and nothing could happen to it);
            else ``None``.
        used: For each trigger, what its guards took from the body's history and
            parameters and the value they found: ``(trigger, "vote_end", "2013-04-30")``.
        unspoken: The partners the body's terms name that no authority the lifecycle
            declares decides for (a misspelt name?): no decision can count for them.
    """

    body: str = attrs.field(validator=identifier)
    state: str = attrs.field(validator=name)
    on: When = attrs.field(validator=exactly(When, "a When"))
    options: tuple[Option, ...] = attrs.field(
        converter=_options, validator=_all(Option, "a list of Option records")
    )
    unratified: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    proposed: When | None = attrs.field(default=None, validator=exactly_or_none(When, "a When"))
    used: tuple[tuple[str, str, str], ...] = attrs.field(
        default=(), converter=_tripled, validator=_triples
    )
    unspoken: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)

    @property
    def possible(self) -> tuple[str, ...]:
        """The triggers whose guards all pass."""
        return tuple(o.trigger for o in self.options if o.possible)

    @property
    def blocked(self) -> dict[str, tuple[Reason, ...]]:
        """Each trigger that cannot happen, with every unmet reason."""
        return {o.trigger: o.reasons for o in self.options if not o.possible}

    def option(self, trigger: str) -> Option | None:
        """The option for ``trigger``, or ``None`` if it does not leave this state."""
        return next((o for o in self.options if o.trigger == trigger), None)

    def __str__(self) -> str:
        """The explanation for a terminal, a line each (as ``print`` shows it).

        A control character or a bidirectional control in a name or a reason is ``?``,
        and a line break in one a space (``govflow.display.plain.printable``).
        """
        from govflow.display.plain import printable  # noqa: PLC0415 - when printed

        return "\n".join(printable(line) for line in self._lines())

    def _lines(self) -> list[str]:
        if self.proposed is not None:
            return [f"{self.body} did not exist yet on {self.on}: it was proposed {self.proposed}"]
        lines = [f"{self.body} is {self.state} (as of {self.on})"]
        if not self.options:
            lines.append("  nothing can happen next: no transition leads out of this state")
        for o in self.options:
            if o.possible:
                lines.append(f"  {o.trigger} -> {o.dest}: possible")
            else:
                lines.append(f"  {o.trigger} -> {o.dest}: blocked")
                lines.extend(f"    - {r.message}" for r in o.reasons)
            used = [
                f"{what} = {value}" for trigger, what, value in self.used if trigger == o.trigger
            ]
            if used:
                lines.append(f"    using: {'; '.join(used)}")
        if self.unratified:
            lines.append(f"  awaiting ratification: {', '.join(self.unratified)}")
        if self.unspoken:
            lines.append(
                f"  no declared authority decides for: {', '.join(self.unspoken)} (name each "
                "partner in the terms as its authorities' organisation is named)"
            )
        return lines

    def __repr__(self) -> str:
        # One line: the reasons are in ``options`` and in ``str()``.
        if self.proposed is not None:  # ``state`` is where it began, not a state it was in
            return f"<Explanation {self.body!r} on {self.on}: not yet proposed ({self.proposed})>"
        return (
            f"<Explanation {self.body!r} {shown_name(self.state)} on {self.on}: "
            f"possible {list(self.possible)}, blocked {list(self.blocked)}>"
        )

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """What a notebook shows: a table of each way out, possible or what blocks it."""
        from govflow.display.views import explanation_bundle  # noqa: PLC0415 - on first display

        return explanation_bundle(self, repr(self))


def evaluate(guard: Guard, body: Body, on: When, *, strict: bool = False) -> Verdict:
    """Run ``guard`` on ``body`` at ``on`` and return its verdict.

    A guard that raises, returns neither a bool nor a Verdict, or returns a verdict
    citing an entry after the body's latest fact, fails with the reason ``guard_error``
    (naming the guard and what went wrong), unless ``strict``.

    Raises:
        GuardError: With ``strict``, for a guard that raised or returned something else,
            or a verdict citing an entry after the body's latest fact.
    """
    try:
        result = guard(body, on)
    except (Exception, SystemExit, GeneratorExit) as error:  # a user's guard: an exit too
        name = guard_name(guard)
        if strict:
            raise GuardError(name, raised=error) from error
        return _erred(name, GuardError(name, raised=error))
    if type(result) is Verdict:  # a subclass could hold fields no entry can record
        return result if not result.evidence else _cited(guard, result, body, strict=strict)
    name = guard_name(guard)
    if result is True:
        return Verdict.ok(name)
    if result is False:
        return Verdict.fail(name, Reason("guard_failed", {"guard": name}, name))
    if strict:
        raise GuardError(name, result)
    return _erred(name, GuardError(name, result))


def _cited(guard: Guard, verdict: Verdict, body: Body, *, strict: bool) -> Verdict:
    """``verdict``, unless its evidence cites an entry after the body's latest fact."""
    cited = max(verdict.evidence)
    if body.facts and cited <= body.facts[-1].seq:  # the last is the latest, in log order
        return verdict
    latest = max((f.seq for f in body.facts), default=-1)  # a body built by hand, say
    if cited <= latest:
        return verdict
    name = guard_name(guard)
    if strict:
        raise GuardError(name, verdict, latest=latest)
    return _erred(name, GuardError(name, verdict, latest=latest))


def certain_from(body: Body) -> When:
    """The first day on which the body certainly stands in its state, with its terms.

    Args:
        body: The body.

    Returns:
        The latest last day of the decisions in effect (one known to a month is certainly
        taken by the month's end), notes aside, whose dates order nothing; the body's
        floor when it holds no other. ``as_of`` that day gives its state and terms (a
        note dated later is left out of its facts).
    """
    days = [f.decision.decided.latest for f in body.facts if f.decision.kind is not Kind.NOTE]
    return When.on(max(days, default=body.floor))


def _erred(name: str, error: GuardError) -> Verdict:
    return Verdict.fail(name, Reason("guard_error", {"guard": name}, str(error)))


def option(
    lifecycle: Lifecycle, body: Body, trigger: str, on: When, *, strict: bool = False
) -> Option | None:
    """Evaluate the guards of ``trigger`` from the body's state, or ``None`` if it has none.

    Raises:
        GuardError: With ``strict``, for a guard that raised or returned neither a bool
            nor a Verdict (without it, that guard fails with the reason ``guard_error``).
    """
    found = verdicts_of(lifecycle, body, trigger, on, strict=strict)
    return None if found is None else Option(trigger, *found)


def followed(lifecycle: Lifecycle, body: Body) -> Body:
    """``body`` with ``lifecycle``, when made without one: its ``binding`` kinds count by it."""
    if body.lifecycle is not None or not lifecycle.binding:
        return body
    return attrs.evolve(body, lifecycle=lifecycle)


def verdicts_of(
    lifecycle: Lifecycle, body: Body, trigger: str, on: When, *, strict: bool = False
) -> tuple[str, tuple[Verdict, ...]] | None:
    """Where ``trigger`` leads from the body's state, and its guards' verdicts; or ``None``.

    :func:`option` without the ``Option`` record, which deciding needs only to refuse.

    Raises:
        GuardError: As :func:`option` does.
    """
    transition = lifecycle.table.get((body.state, trigger))
    if transition is None:
        return None
    body = followed(lifecycle, body)
    dest: str | None = transition.dest
    if dest == PREVIOUS:  # back to where the body came from
        dest = body.previous_state
    if dest is None:
        return None
    return dest, tuple([evaluate(g, body, on, strict=strict) for g in transition.guards])


def _uses(guard: Guard, body: Body) -> tuple[tuple[str, str], ...]:
    """What a built-in guard took from the body's history and parameters (others: nothing)."""
    uses = getattr(guard, "uses", None)
    try:
        found = uses(body) if callable(uses) else ()
        return tuple((str(what), str(value)) for what, value in found)
    except Exception:  # noqa: BLE001 - a user's guard with a method of that name
        return ()


def explain_body(lifecycle: Lifecycle, body: Body, on: When | None = None) -> Explanation:
    """Evaluate every transition out of the body's current state at ``on``.

    By default, on the first day it certainly stands so (:func:`certain_from`). On a
    date certainly before the body was proposed, the explanation says so and offers
    nothing.
    """
    on, body = certain_from(body) if on is None else on, followed(lifecycle, body)
    first = body.facts[0].decision if len(body.facts) else None
    if first is not None and first.kind is Kind.PROPOSE and on.latest < first.decided.earliest:
        return Explanation(body.id, body.state, on, (), proposed=first.decided)
    options: list[Option] = []
    used: list[tuple[str, str, str]] = []
    for trigger in lifecycle.triggers_from(body.state):
        found = option(lifecycle, body, trigger, on)
        if found is not None:  # None: a way back, for a body with no previous state
            options.append(found)
            for guard in lifecycle.table[(body.state, trigger)].guards:
                used.extend((trigger, what, value) for what, value in _uses(guard, body))
    declared = lifecycle.authorities
    nobody = () if declared is None else unspoken(body.terms.partners, declared)
    used = list(dict.fromkeys(used))  # a parameter two bounds read, once
    return Explanation(body.id, body.state, on, tuple(options), body.unratified, used=tuple(used),
                       unspoken=nobody)  # fmt: skip
