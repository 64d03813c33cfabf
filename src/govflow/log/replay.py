"""Replay: recompute every transition from the lifecycle and the decisions.

Replay never copies a recorded state. It applies each entry's decision to the
body as replay itself computed it, and checks that the recorded states, terms
version, verdicts and mandate are what the lifecycle gives. It decides as the
registry does: through :func:`~govflow.rules.decide.decide`, or, for a decision that
only adds a fact (:func:`~govflow.rules.decide.only_adds_a_fact`), through
:func:`~govflow.rules.decide.admitted` alone, as ``decide`` itself takes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, cast

import attrs

from govflow.errors import DecisionRefused, InvalidRecord, ReplayMismatch, TamperedLog, require
from govflow.log.entry import Entry
from govflow.model.arguments import iterated
from govflow.model.body import Body
from govflow.model.kind import Kind
from govflow.rules.decide import adds_a_fact_only, admitted, decide, only_adds_a_fact, unmoved
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.schemas import rules_of

if TYPE_CHECKING:
    from govflow.log.memory import Log
    from govflow.model.authority import Mandate
    from govflow.model.body import Fact
    from govflow.model.verdict import Verdict
    from govflow.model.when import When


def _check(entry: Entry, field: str, recorded: object, recomputed: object) -> None:
    if recorded != recomputed:
        raise ReplayMismatch(entry.seq, field, recorded, recomputed)


class _Replaying:
    """A body as replay goes: the body last built, and the facts added since.

    Most decisions only add a fact. Building a new ``Body`` for each would make
    replay build as many bodies as entries; replay keeps their facts here and builds
    the body once they are all known or a decision needs it whole. Such decisions
    never change the state, the terms or the delegations, which is all that
    checking them reads of ``body``.
    """

    __slots__ = ("body", "floor", "pending")

    def __init__(self, body: Body) -> None:
        self.body = body
        self.floor = body.floor
        self.pending: list[Fact] = []

    def settle(self) -> Body:
        """The body with every fact added since it was last built."""
        if self.pending:
            b = self.body
            facts = b.facts.extended(self.pending)
            self.body = Body(
                b.id, b.state, b.terms, facts, b.history, self.floor, b.entered, b.entered_on,
                b.lifecycle,
            )  # fmt: skip
            self.pending = []
        return self.body


def replay(
    lifecycle: Lifecycle, entries: Iterable[Entry], bodies: Mapping[str, Body] | None = None
) -> dict[str, Body]:
    """Rebuild every body from ``entries``, checking each against the lifecycle.

    Args:
        lifecycle: The lifecycle the log was written under.
        entries: The log's entries, in order (all of them, or one body's).
        bodies: The bodies as the entries before ``entries`` left them, to go on from
            (a registry catching up with other writers); none by default.

    Returns:
        Each body ``entries`` touch, as they leave it, by id (with ``bodies``, those
        it does not touch are not repeated).

    Raises:
        ReplayMismatch: An entry's decision is refused on replay, repeats an earlier
            decision's id, or gives other states, terms version, verdicts or mandate
            than the entry records.
        InvalidRecord: With ``bodies``, an entry is at or before the last entry a body
            it touches holds (it would count twice).
    """
    require(isinstance(lifecycle, Lifecycle), "replay", "lifecycle", "a Lifecycle", lifecycle)
    read = iterated(entries, "replay", "entries", "the log's entries")
    log = cast("Sequence[Entry]", entries) if type(entries) in {list, tuple} else list(read)
    require(all(type(e) is Entry for e in log), "replay", "entries", "Entry records", entries)
    fits = bodies is None or (
        isinstance(bodies, Mapping) and all(type(b) is Body for b in bodies.values())
    )
    require(fits, "replay", "bodies", "None, or the bodies (Body records) by id", bodies)
    ids: list[str] = []
    try:
        replayed = _replay(lifecycle, log, ids, bodies or {})
    except ReplayMismatch:
        if len(set(ids)) < len(ids):  # a repeat at or before the entry that failed comes first
            _no_repeats(log)
        raise
    if len(set(ids)) < len(ids):
        _no_repeats(log)
    return {name: replaying.settle() for name, replaying in replayed.items()}


def caught_up(  # noqa: PLR0917 - what a registry knows, and what is new
    lifecycle: Lifecycle,
    log: Log,
    new: Sequence[Entry],
    bodies: Mapping[str, Body],
    ids: Mapping[str, int],
    after: tuple[int, str],
    replayed: Sequence[Entry] | None = None,
) -> dict[str, Body]:
    """The bodies ``new`` entries change, replayed onto ``bodies``: a registry catching up.

    ``new`` are the entries of ``log`` after those already replayed into ``bodies``
    (whose decision ids are ``ids``; ``after`` is their count and last hash).
    ``replayed`` are those of them to replay (all, by default): a registry's own entries
    among them have moved their bodies already.

    Raises:
        TamperedLog: ``new`` do not verify from ``after`` (hashes, links, positions).
        ReplayMismatch: They do not follow from their decisions, or repeat an earlier id.
    """
    from govflow.log.verify import verify  # noqa: PLC0415 - loaded when catching up

    problem = verify(new, log.fingerprint, schema=log.schema, after=after).problem
    if problem is not None:
        raise TamperedLog(problem.seq, problem.kind, problem.message)
    changed = replay(lifecycle, new if replayed is None else replayed, bodies)
    if replayed is not None:  # the registry's own entries among them repeat no id either
        _no_repeats(new)
    for entry in new:
        if entry.decision.id in ids:
            raise ReplayMismatch(entry.seq, "decision.id", entry.decision.id, "a repeat")
    return changed


def _no_repeats(entries: Sequence[Entry]) -> None:
    """Check that no entry's decision id repeats an earlier one.

    Replay lists each id as it goes and counts the distinct ones once, at the end
    (a set built in one call costs less than adding to a set entry by entry); only
    when there are fewer than entries are the entries looked through for the first
    repeat, which comes at or before the entry that failed, if one did.

    Raises:
        ReplayMismatch: At the first entry whose decision id repeats an earlier one.
    """
    seen: set[str] = set()
    for entry in entries:
        named = entry.decision.id
        if named in seen:
            raise ReplayMismatch(entry.seq, "decision.id", named, "a repeat of an earlier id")
        seen.add(named)


def _replay(
    lifecycle: Lifecycle, entries: Iterable[Entry], ids: list[str], start: Mapping[str, Body]
) -> dict[str, _Replaying]:
    """Replay, appending each entry's decision id to ``ids`` as it is taken; see :func:`replay`."""
    bodies: dict[str, _Replaying] = {}
    note_id = ids.append
    for entry in entries:
        decision = entry.decision
        about = decision.body
        note_id(decision.id)
        if entry.body != about:
            raise ReplayMismatch(entry.seq, "body", entry.body, about)
        replaying = bodies.get(about)
        if replaying is None and about in start:
            replaying = bodies[about] = _Replaying(_after(start[about], entry))
        try:
            if replaying is not None and only_adds_a_fact(replaying.body, decision):
                body = replaying.body
                fact, granted, replaying.floor = admitted(
                    lifecycle,
                    body,
                    replaying.floor,
                    decision,
                    entry.seq,
                    known=entry.mandate,
                    **rules_of(entry.schema),
                )
                # What such an entry records, checked at once; only when something
                # differs is it compared in full, to name it. The mandate is the
                # entry's own when equal (``known``): identity says so.
                held = unmoved(body)
                if entry.mandate is not granted or held != (
                    entry.before,
                    entry.after,
                    entry.terms_version,
                    entry.verdicts,
                ):
                    _compare(entry, *held, granted)
                replaying.pending.append(fact)
                continue
            before = None if replaying is None else replaying.settle()
            outcome = decide(lifecycle, before, decision, entry.seq, **rules_of(entry.schema))
        except DecisionRefused as error:
            raise ReplayMismatch(entry.seq, "refused", "accepted", error.code) from error
        _compare(
            entry,
            outcome.before,
            outcome.after,
            outcome.terms_version,
            outcome.verdicts,
            outcome.mandate,
        )
        bodies[about] = _Replaying(outcome.body)
    return bodies


def _after(body: Body, entry: Entry) -> Body:
    """``body``, given to go on from, when ``entry`` comes after every entry it holds.

    Raises:
        InvalidRecord: ``entry`` is at or before the last entry the body holds: the
            entries given are not those after the bodies given (some would count twice).
    """
    last = max(body.entered, body.facts[-1].seq if body.facts else 0)
    if entry.seq <= last:
        wanted = f"the entries after entry {last}, the last that body {body.id!r} as given holds"
        raise InvalidRecord("replay", "entries", wanted, f"entry {entry.seq}", _ONLY_AFTER)
    return body


#: What to do about entries given again with the bodies they were replayed into.
_ONLY_AFTER = "pass only the entries after those the bodies hold, or no bodies"


def _compare(  # noqa: PLR0917 - the five things an entry records, and the entry
    entry: Entry,
    before: str | None,
    after: str,
    terms_version: int,
    verdicts: tuple[Verdict, ...],
    mandate: Mandate,
) -> None:
    """Check the entry records what replay computed; name the first thing that differs."""
    recorded = (entry.before, entry.after, entry.terms_version, entry.verdicts, entry.mandate)
    if recorded == (before, after, terms_version, verdicts, mandate):
        return
    _check(entry, "before", entry.before, before)
    _check(entry, "after", entry.after, after)
    _check(entry, "terms_version", entry.terms_version, terms_version)
    _check(entry, "verdicts", entry.verdicts, verdicts)
    _check(entry, "mandate", entry.mandate, mandate)


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
