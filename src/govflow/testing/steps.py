"""A machine's steps, and the words a failure reports them and the invariants in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import attrs
from hypothesis import strategies as st

from govflow.model.body import Body
from govflow.model.kind import Kind, Position

if TYPE_CHECKING:
    from govflow.model.decision import Decision
    from govflow.registry import Registry
    from govflow.rules.explain import Option
    from govflow.testing.walk import Walker


def in_words(decision: Decision) -> str:
    """A decision in a few words, for a failure's report.

    Its id, kind, actor (and whom it decides for), body and day, then what a guard may
    turn on: its vote, its nominees, the terms version an amendment gives, the meeting,
    what it ratifies or supersedes, whom it delegates to, and the trigger it asks for.
    """
    d = decision
    behalf = f" on behalf of {d.on_behalf_of}" if d.on_behalf_of is not None else ""
    said = [f"{d.id}: {d.kind.value} by {d.actor}{behalf} on {d.body}, {d.decided}"]
    if d.position is not None:
        said.append(f", {_VOTING[d.position]}")
    if d.nominees:
        many = len(d.nominees) > _NAMED
        shown = f"{d.nominees[0]}, ..., {d.nominees[-1]}" if many else ", ".join(d.nominees)
        said.append(f", nominating {len(d.nominees)}: {shown}")
    if d.terms is not None and d.kind is not Kind.PROPOSE:
        said.append(f", giving terms version {d.terms.version}")
    if d.meeting is not None:
        said.append(f", meeting {d.meeting!r}")
    if d.ratifies:
        said.append(f", ratifying {', '.join(d.ratifies)}")
    if d.supersedes is not None:
        said.append(f", superseding {d.supersedes}")
    if d.delegation is not None:
        said.append(f", delegating to {d.delegation.to}")
    if d.trigger is not None:
        said.append(f", asking {d.trigger!r}")
    return "".join(said)


#: The most nominees a step names; of more, the first and the last.
_NAMED = 3

#: A vote's position, as a failure's report says it.
_VOTING = {
    Position.FOR: "voting for",
    Position.AGAINST: "voting against",
    Position.ABSTAIN: "abstaining",
}


class Step:
    """A walker's decision, shown in a failure's report in a few words.

    ``again``: an accepted one applied again; ``reopened``: the store reopened before it.
    """

    __slots__ = ("again", "decision", "reopened")

    def __init__(self, decision: Decision, *, again: bool = False, reopened: bool = False) -> None:
        self.decision, self.again, self.reopened = decision, again, reopened

    def __repr__(self) -> str:
        said = f"again: {in_words(self.decision)}" if self.again else in_words(self.decision)
        return f"store reopened, then {said}" if self.reopened else said

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # noqa: ANN401, FBT001
        printer.text(repr(self))  # Hypothesis' report prints with this, not __repr__


@st.composite
def next_step(
    draw: st.DrawFn,
    walker: Walker,
    registry: Registry,
    accepted: list[Decision],
    *,
    reopening: bool,
) -> Step:
    """The walker's next decision, its many small draws (body, day, option, actor) one.

    Or, one time in ten once one was accepted, an accepted decision again; and, with
    ``reopening``, one step in ten once one was accepted, after the store is reopened.
    """
    # Each drawn from 0 to 9 and taken at 9: shrunk to 0, a new decision, no reopening.
    reopened = reopening and bool(accepted) and draw(st.integers(0, 9)) == 9  # noqa: PLR2004
    if accepted and draw(st.integers(0, 9)) == 9:  # noqa: PLR2004
        return Step(draw(st.sampled_from(accepted)), again=True, reopened=reopened)
    return Step(walker.draw(draw, registry), reopened=reopened)


def differs(
    replayed: dict[str, Body], live: dict[str, Body], sides: tuple[str, str] = ("replayed", "live")
) -> str:
    """The first body replay and the registry disagree on, and how (``sides`` name the two)."""
    for name in sorted(set(replayed) | set(live)):
        again, now = replayed.get(name), live.get(name)
        if again is None or now is None:
            return f"body {name!r} is only {sides[1] if again is None else sides[0]}"
        for field in (f.name for f in attrs.fields(Body) if f.eq):
            if getattr(again, field) != getattr(now, field):
                return f"body {name!r}: its {field} differ"
    return "the bodies differ"  # pragma: no cover - a field above differs when bodies do


def unlike(first: Sequence[Option], again: Sequence[Option]) -> str:
    """The guard, and its trigger, whose verdict differs between two explanations."""
    for one, other in zip(first, again, strict=False):
        for verdict, second in zip(one.verdicts, other.verdicts, strict=False):
            if verdict != second:
                return f"the guard {verdict.guard!r} of {one.trigger!r}"
    return "a guard"  # pragma: no cover - the options differ in a verdict when they differ


def hold(condition: bool, message: str) -> None:  # noqa: FBT001
    """Raise ``AssertionError(message)`` unless ``condition``; kept under ``python -O``."""
    if not condition:
        broken(message)


def broken(message: str) -> NoReturn:
    """Raise ``AssertionError(message)``: every invariant's from this one line.

    Hypothesis tells failures apart by where they are raised: a store that drops an
    entry breaks invariant 1 or 5 depending on the run, and is one failure.
    """
    raise AssertionError(message)


def close(log: object) -> None:
    """Close ``log`` if it has a ``close`` (a store; a log in memory has nothing to close)."""
    closing = getattr(log, "close", None)
    if callable(closing):
        closing()
