"""As of a day: what is certain and what is only possible about a body, from its entries.

A decision known only to a month or a span may or may not have been taken by a day
inside it. :func:`body_as_of` replays what was certainly taken; :func:`body_possibly`
says, beside it, every state the body may have been in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import attrs

from govflow.errors import require
from govflow.log.entry import Entry
from govflow.log.replay import replay
from govflow.model.arguments import iterated
from govflow.model.body import Body
from govflow.model.kind import Kind
from govflow.rules.decide import adds_a_fact_only
from govflow.rules.lifecycle import Lifecycle

if TYPE_CHECKING:
    from govflow.model.when import When


def last_day(entries: Iterable[Entry]) -> dt.date:
    """The day by which every one of a body's ``entries`` was certainly taken (a note, written).

    What its story stands at when no day is asked for: a note written after the last
    decision is in it.
    """
    return max(e.decision.decided.latest for e in entries)


def body_as_of(
    lifecycle: Lifecycle, entries: Iterable[Entry], body: str, day: dt.date
) -> Body | None:
    """The body as of ``day``: replay of its entries whose decisions had certainly been taken.

    An entry counts as of ``day`` when its decision's whole date interval ends on
    or before ``day`` ("September 2012" counts from 30 September 2012). Entries
    are taken in log order up to the first that does not count: a later entry
    may rest on an earlier one, so none is taken past a gap. A decision that only
    adds a fact (a vote, an agreement asking for no trigger, a note) leaves no gap: no
    other rests on it to be admitted, so it is only left out, and those after it that
    count are taken, up to the first that moves the body (which may rest on it).

    Returns:
        The body as those entries leave it, or ``None`` if it had not been proposed.
    """
    require(type(body) is str, "body_as_of", "body", "a body id (a text)", body)
    require(type(day) is dt.date, "body_as_of", "day", "a datetime.date", day)
    return replay(lifecycle, _known(entries, body, day)).get(body)


def body_on(lifecycle: Lifecycle, entries: Iterable[Entry], body: Body, on: When | None) -> Body:
    """``body`` as it stood ``on``: as it is, if every decision in effect had certainly been taken.

    Otherwise it is :func:`body_as_of` the last day of ``on`` (as it is, if it had not
    certainly been proposed by then): a decision dated "March 2024" has not certainly
    been taken on 10 March. With no ``on``, as it is.
    """
    if on is None or all(f.decision.decided.ends_by(on.latest) for f in body.facts):
        return body
    return body_as_of(lifecycle, entries, body.id, on.latest) or body


def _known(entries: Iterable[Entry], body: str, day: dt.date) -> list[Entry]:
    """The body's entries certainly taken by ``day``, in log order up to the first gap.

    An uncertain decision that only adds a fact is left out with no gap; after one, the
    first entry that moves the body (and may have rested on it) is a gap.
    """
    known: list[Entry] = []
    skipped = False
    for entry in _written(entries, body, day):
        decision = entry.decision
        only_a_fact = bool(known) and adds_a_fact_only(decision)  # proposed, and unmoved
        if decision.decided.ends_by(day) and (only_a_fact or not skipped):
            known.append(entry)
        elif only_a_fact:
            skipped = True
        else:
            break
    return known


def _written(entries: Iterable[Entry], body: str, day: dt.date) -> Iterator[Entry]:
    """The body's entries, less the notes not certainly written by ``day`` and their fixes.

    A note changes no state, so nothing after it rests on it: one left out (with what
    corrects or rescinds it) leaves no gap.
    """
    passed: set[str] = set()
    for entry in iterated(entries, "body_as_of", "entries", "a log's entries"):
        require(type(entry) is Entry, "body_as_of", "entries", "a log's Entry records", entry)
        if entry.body != body:
            continue
        d = entry.decision
        if d.supersedes in passed or (d.kind is Kind.NOTE and not d.decided.ends_by(day)):
            passed.add(d.id)
        else:
            yield entry


@attrs.frozen(repr=False)
class AsOf:
    """What is certain, and what is only possible, about a body on a day.

    A decision known only to a month or a span may or may not have been taken by a
    day inside it. ``certain`` is the body as the decisions certainly taken by then
    leave it (what :func:`body_as_of` gives); ``possible`` is every state the body may
    have been in, under every placement of the uncertain decisions in their spans.

    Attributes:
        body: The body's id.
        day: The day asked about.
        certain: The body as the certainly taken decisions leave it; ``None`` if it had
            not certainly been proposed.
        possible: Each state it may have been in, the certain one first; ``None`` for
            not yet proposed.
        deciding: The entries whose decisions may or may not have been taken by then,
            up to the last that would move the body: those that make the difference.
    """

    body: str
    day: dt.date
    certain: Body | None
    possible: tuple[str | None, ...]
    deciding: tuple[Entry, ...]

    def __str__(self) -> str:
        def named(state: str | None) -> str:
            return "not yet proposed" if state is None else state

        said = f"as of {self.day.isoformat()}: certainly {named(self.possible[0])}"
        if len(self.possible) == 1:
            return said
        maybe = ", ".join(named(s) for s in self.possible[1:])
        spans = "; ".join(
            f"{e.decision.kind.value} by {e.decision.actor} fell some day in "
            f"{e.decision.decided.earliest.isoformat()} to {e.decision.decided.latest.isoformat()}"
            for e in self.deciding
        )
        return f"{said}; possibly {maybe} ({spans})"

    def __repr__(self) -> str:
        return f"<AsOf {self.body!r} {self.day.isoformat()}: {list(self.possible)}>"


def body_possibly(lifecycle: Lifecycle, entries: Iterable[Entry], body: str, day: dt.date) -> AsOf:
    """What is certain and what is possible about ``body`` as of ``day``.

    An entry counts as of ``day`` when its decision was taken by then, and, as in
    :func:`body_as_of`, entries count in log order up to the first that does not (a
    decision that only adds a fact leaving no gap).
    Each uncertain decision (its span holds ``day``) may have been taken or not: the
    possible states are those of every such placement.
    """
    require(type(body) is str, "body_possibly", "body", "a body id (a text)", body)
    require(type(day) is dt.date, "body_possibly", "day", "a datetime.date", day)
    mine = list(_written(entries, body, day))
    certain = next(
        (i for i, e in enumerate(mine) if not e.decision.decided.ends_by(day)), len(mine)
    )
    maybe = next((i for i, e in enumerate(mine) if e.decision.decided.earliest > day), len(mine))
    bodies = replay(lifecycle, mine[:certain])
    known = _known(mine, body, day)  # past an uncertain fact too
    first = bodies.get(body) if len(known) == certain else replay(lifecycle, known).get(body)
    states: list[str | None] = [None if first is None else first.state]
    last = certain  # the entries up to the last that moves the body make the difference
    for k in range(certain, maybe):
        before = states[-1] if k == certain else bodies[body].state
        bodies = {**bodies, **replay(lifecycle, [mine[k]], bodies)}
        if bodies[body].state != before or k == 0:
            last = k + 1
        # Prefix k + 1 is a placement only if the entry after it may not have been taken.
        if k + 1 == maybe or not mine[k + 1].decision.decided.ends_by(day):
            state = bodies[body].state
            if state not in states:
                states.append(state)
    deciding = tuple(e for e in mine[certain:last] if not e.decision.decided.ends_by(day))
    return AsOf(body, day, first, tuple(states), deciding if len(states) > 1 else ())
