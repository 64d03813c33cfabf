"""Replay: recompute every transition from the lifecycle and the decisions.

Replay never copies a recorded state. It applies each entry's decision to the
body as replay itself computed it, and checks that the recorded states, terms
version, verdicts and mandate are what the lifecycle gives. It decides as the
registry does: through :func:`~govflow.rules.decide.decide`, or, for a decision that
only adds a fact (:func:`~govflow.rules.decide.only_adds_a_fact`), through
:func:`~govflow.rules.decide.admitted` alone, as ``decide`` itself takes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, cast

from govflow.errors import DecisionRefused, InvalidRecord, ReplayMismatch, TamperedLog, require
from govflow.log.entry import Entry
from govflow.model.arguments import iterated
from govflow.model.body import Body
from govflow.rules.decide import admitted, decide, only_adds_a_fact, unmoved
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.schemas import rules_of

if TYPE_CHECKING:
    from govflow.log.memory import Log
    from govflow.model.authority import Mandate
    from govflow.model.body import Fact
    from govflow.model.verdict import Verdict


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
