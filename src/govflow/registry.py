"""The registry: holds bodies, applies decisions atomically and appends the log."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn

from govflow.errors import (
    AppendConflict,
    DecisionRefused,
    DuplicateDecision,
    GovflowError,
    InvalidRecord,
    LifecycleMismatch,
    NoSuchBody,
    StoreFailed,
    TamperedLog,
    require,
)
from govflow.events import EventLogger, StdlibEvents, refused, repeated
from govflow.log.as_of import body_as_of, body_on
from govflow.log.entry import Entry, Stored, genesis, sealed, strictly
from govflow.log.memory import (
    AuditLog,
    Log,
    held_to,
    holds,
    is_log,
    still_holds,
    verified_entries,
)
from govflow.log.placing import placeable
from govflow.log.replay import caught_up, replay
from govflow.log.unread import Pending, bears_on, counted
from govflow.model.decision import Decision
from govflow.model.kind import Kind
from govflow.model.when import When, when_of
from govflow.rules.decide import decide
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.prospects import explain
from govflow.rules.schemas import rules_of

if TYPE_CHECKING:
    from govflow.display.views import BodyView
    from govflow.log.checkpoint import Checkpoint, TreeHead
    from govflow.log.problem import Verification
    from govflow.model.authority import Mandate
    from govflow.model.body import Body
    from govflow.queries import Overdue, Waiting
    from govflow.rules.explain import Explanation


class Registry:
    """Holds bodies under one lifecycle and applies decisions to them.

    Applying a decision is atomic: either its log entry and the body's new state
    both exist afterwards, or neither does and a typed error says why. Every
    accepted, repeated or refused decision is reported as one event through the
    logger given, or the standard library logger ``govflow`` (silent until the
    application configures logging: see :mod:`govflow.events`).

    Args:
        lifecycle: The lifecycle every body follows.
        log: A log to continue (verified, then replayed and checked): an
            :class:`AuditLog` or a store from ``govflow.stores``; a new, empty,
            in-memory log by default.
        logger: Where events go: a structlog logger, or anything with ``info`` and
            ``warning`` taking an event and its fields; by default the standard
            library logger ``govflow``.
        checkpoint: A checkpoint kept elsewhere, to verify ``log`` against (catching
            truncation and a rewritten chain, too).
        verified: Skip verifying ``log``'s hashes and links, for a log the caller has
            just verified itself (replay still checks every entry's states; the
            ``checkpoint`` is still checked against the entries' hashes).

    Raises:
        LifecycleMismatch: ``log`` was written under another lifecycle.
        TamperedLog: ``log`` does not verify; the error names the first bad entry.
        ReplayMismatch: ``log`` does not follow from its decisions under ``lifecycle``.
    """

    __slots__ = (
        "_behind", "_bodies", "_by_id", "_count", "_entries", "_head", "_lifecycle", "_log",
        "_logger", "_mandate_of", "_mandates", "_pending", "_rules",
    )  # fmt: skip

    def __init__(
        self,
        lifecycle: Lifecycle,
        *,
        log: Log | None = None,
        logger: EventLogger | None = None,
        checkpoint: Checkpoint | None = None,
        verified: bool = False,
    ) -> None:
        require(isinstance(lifecycle, Lifecycle), "Registry", "lifecycle", "a Lifecycle", lifecycle)
        require(type(verified) is bool, "Registry", "verified", "True or False", verified)
        require(log is None or is_log(log), "Registry", "log", "a Log (AuditLog or store)", log)
        wants = ("info", "warning")
        fits = logger is None or all(callable(getattr(logger, n, None)) for n in wants)
        require(fits, "Registry", "logger", "a logger with info() and warning()", logger)
        if log is None:
            log = AuditLog(lifecycle.fingerprint)
        elif log.fingerprint not in lifecycle.fingerprints:
            raise LifecycleMismatch(log.fingerprint, lifecycle.fingerprint)
        checked = None if verified else verified_entries(log, checkpoint)
        self._lifecycle = lifecycle
        self._log = log
        self._rules = rules_of(log.schema)  # how its entries' decisions are decided
        self._logger: EventLogger = logger if logger is not None else StdlibEvents()
        self._bodies: dict[str, Body] = {}
        # The log's entries in memory (or a copy of a store's), by position (= seq).
        self._entries: Sequence[Entry] = ()
        # Each applied decision's id, with the position of its entry.
        self._by_id: dict[str, int] = {}
        # One Mandate object for each (actor, organisation, delegator): entries share them.
        self._mandates: dict[tuple[str, str, str | None], Mandate] = {}
        # Each actor's last mandate: deciding returns it when it is the decision's (none built).
        self._mandate_of: dict[str, Mandate] = {}
        # The count and last hash this registry has seen: its next entry follows them.
        self._count, self._head = 0, genesis(log.fingerprint, log.schema)
        self._behind = False  # an entry of its own in the log, not taken in yet
        self._pending: Pending | None = None  # others' entries counted, not yet taken in
        self._replay_all(checked)  # those verified; any appended since, as reload() takes in
        if verified:  # the caller verified the hashes: the checkpoint is still to be met
            held_to(checkpoint, self._entries, genesis(log.fingerprint, log.schema))

    @property
    def lifecycle(self) -> Lifecycle:
        """The lifecycle every body follows."""
        return self._lifecycle

    @property
    def log(self) -> Log:
        """The audit log."""
        return self._log

    @property
    def bodies(self) -> Mapping[str, Body]:
        """Every body by id: a live, read-only view of the bodies as taken in.

        Entries other writers appended that came back with this registry's appends are
        taken in here, and by :meth:`body` when they bear on its body (see :meth:`apply`;
        :meth:`body` says what they may raise); a view kept shows them once taken in.
        """
        return MappingProxyType(self._settled())

    def body(self, body: str) -> Body:
        """The body with id ``body``.

        Raises:
            NoSuchBody: No accepted proposal created it.
            InvalidRecord: ``body`` is not a text.
            TamperedLog: Entries others appended, taken in now, cannot be read.
            ReplayMismatch: Or they do not follow from their decisions.
        """
        require(type(body) is str, "Registry", "body", "a body id (a text)", body)
        if self._pending is not None and body in self._pending.bodies:
            self._settle()
        try:
            return self._bodies[body]
        except KeyError:
            raise NoSuchBody(body) from None

    def apply(self, decision: Decision, *, retries: int = 0) -> Entry:
        """Apply ``decision`` and return its log entry.

        A decision whose id was already applied is not recorded again: its
        existing entry is returned.

        Args:
            decision: The decision to apply.
            retries: How many times to catch up and try again when another writer
                appended first (:class:`~govflow.AppendConflict`): each retry reads only
                the new entries, then decides again on the bodies as they now are; a
                decision another writer already applied is returned as a repeat. ``0``
                (the default) raises the first conflict, whatever the store. From 1 on,
                a store that holds off other writers (``exclusive``: JSON Lines, SQLite,
                PostgreSQL) is held instead while this registry counts what is new and
                appends: writers queue, not collide (PostgreSQL hands the new entries
                back with the append). Either way they are verified at once, and read
                into records and replayed only when a decision on a body they are about
                or with an id they record, a read of such a body, or :meth:`reload`
                needs them.

        Returns:
            The entry that records it (the earlier one, for a repeat).

        Raises:
            InvalidRecord: ``decision`` is not a Decision.
            DecisionRefused: A subclass saying why; the bodies and the log are unchanged.
            AppendConflict: The log moved on under another writer (also when the
                decision would be refused on what this registry has seen: a decision
                on a body another writer proposed), ``retries`` times more than
                allowed; nothing changed. Reload, and apply it again.
        """
        if type(retries) is not int or retries < 0:
            raise InvalidRecord("Registry.apply", "retries", "a whole number from 0", retries)
        if type(decision) is not Decision:  # a subclass's own fields could not be recorded
            raise InvalidRecord("Decision", "(record)", "a govflow.Decision", decision)
        if not retries:  # the usual call: no store to ask how it holds off other writers
            return self._apply(decision)
        if self._pending is not None and self._pending.bears_on(decision.body, decision.id):
            self._settle()
        exclusive = getattr(self._log, "exclusive", None)
        if getattr(self._log, "read_only", False):  # no hold to take: ReadOnlyStore, at once
            exclusive = None
        if exclusive is not None and decision.id not in self._by_id:  # writers queue
            return self._apply_holding(exclusive, decision)
        for _ in range(retries):
            try:
                return self._apply(decision)
            except AppendConflict:
                self._count_up(decision)
        return self._apply(decision)

    def _apply_holding(
        self, exclusive: Callable[[], contextlib.AbstractContextManager[object]], decision: Decision
    ) -> Entry:
        """Apply ``decision`` while the store holds off other writers.

        Only while it appends (``append_after``) if nothing new bears on it, else while
        this registry counts what is new (or catches up); if the hold's end fails, the
        append is forgotten.
        """

        def made(seq: int, prev: str) -> tuple[Entry, str]:
            return self._made(decision, seq, prev, refused=self._refused)[:2]

        after = getattr(self._log, "append_after", None)
        if after is not None and not self._behind:
            read, known = (self._count, self._head), self._mandate_of.get(decision.actor)
            ready = placeable(self._lifecycle, self._bodies.get(decision.body), decision, read,
                              known=known, rules=self._rules, shared=self._shared,
                              schema=self._log.schema)  # fmt: skip
            done = after(read, decision.body, decision.id, made, ready)
            if done is not None:  # in the log: it and what came before it are counted
                entry: Entry = done[0]
                self._count_in(entry, done[1])
                self._accepted(decision, entry)
                return entry
        seen, before, mine = None, None, None
        try:
            with exclusive():
                if after is None:  # a store that hands back nothing: counted, as on a conflict
                    self._count_up(decision, conflict=False)
                else:
                    self._catch_up()
                seen, before = (self._count, self._head), self._bodies.get(decision.body)
                try:
                    mine = entry = self._apply(decision, told=False)
                except AppendConflict:  # caught up under the hold: the log is not as it was read
                    self.reload()  # a history rewritten is named (TamperedLog)
                    raise
        except BaseException as error:
            if seen is not None and mine is not None:  # appended, then not committed?
                if isinstance(error, StoreFailed) and holds(self._log, mine):  # its reply lost
                    self._accepted(decision, mine)
                    return mine
                self._forget(mine, seen, before)
            raise
        if self._count > seen[0]:  # appended and committed (a repeat was told as one)
            self._accepted(decision, entry)
        return entry

    def _forget(self, mine: Entry, seen: tuple[int, str], before: Body | None) -> None:
        """Take back ``mine``, appended after ``seen`` under a hold that was not committed.

        The registry is then as it was before the append, caught up to ``seen``; ``before``
        is the body as it was (``None``: none, the entry proposed it).
        """
        if before is None:
            self._bodies.pop(mine.body, None)
        else:
            self._bodies[mine.body] = before
        self._by_id.pop(mine.decision.id, None)
        if self._pending is not None:  # counted after others' entries, not taken in
            self._pending.forget(mine)
        elif isinstance(self._entries, list):
            del self._entries[seen[0] :]
        self._count, self._head = seen

    def _apply(self, decision: Decision, *, told: bool = True) -> Entry:  # told: its event
        if self._pending is not None and self._pending.bears_on(decision.body, decision.id):
            self._settle()
        position = self._by_id.get(decision.id)
        if position is not None:
            existing = self._entries[position]
            if existing.decision != decision:
                self._refused(decision, DuplicateDecision(decision.id, decision.body))
            repeated(self._logger, decision, existing.seq)
            return existing
        # After the head this registry has seen: one another writer moved is AppendConflict.
        seq = self._count
        entry, text, body = self._made(decision, seq, self._head, refused=self._stale_or_refused)
        # The log first: if the append is refused, no body has moved.
        self._log.append(entry, text)
        if self._pending is not None:  # after others' entries not taken in: with them
            self._pending.appended(entry)
        else:
            if isinstance(self._entries, list):
                self._entries.append(entry)  # the copy of a store's entries follows it
            self._by_id[decision.id] = seq
        self._bodies[decision.body] = body
        self._count, self._head = seq + 1, entry.hash
        if told:
            self._accepted(decision, entry)
        return entry

    def _made(
        self,
        decision: Decision,
        seq: int,
        prev: str,
        *,
        refused: Callable[[Decision, DecisionRefused], NoReturn],
    ) -> tuple[Entry, str, Body]:
        """The entry of ``decision`` at ``seq`` after ``prev``, its text, and the body after.

        Decided on the body as this registry has it; a refusal goes to ``refused``.
        """
        try:
            outcome = decide(
                self._lifecycle,
                self._bodies.get(decision.body),
                decision,
                seq,
                **self._rules,
                known=self._mandate_of.get(decision.actor),
            )
        except DecisionRefused as error:
            refused(decision, error)
        entry, text = sealed(seq=seq, body=decision.body, decision=decision,
                             before=outcome.before, after=outcome.after,
                             terms_version=outcome.terms_version, verdicts=outcome.verdicts,
                             mandate=self._shared(outcome.mandate), prev=prev,
                             schema=self._log.schema)  # fmt: skip
        return entry, text, outcome.body

    def _accepted(self, decision: Decision, entry: Entry) -> None:
        d, mandate = decision, entry.mandate  # as events.emit, minus a call, a dict and a with
        try:  # noqa: SIM105 - 0.9 µs a decision
            self._logger.info("decision.accepted", body=d.body, decision_id=d.id,
                              kind=d.kind.value, actor=d.actor, trigger=d.trigger,
                              organisation=mandate.organisation, delegated_by=mandate.delegated_by,
                              before=entry.before, after=entry.after, seq=entry.seq)  # fmt: skip
        except Exception:  # noqa: BLE001, S110 - dropped, as events.emit drops it
            pass

    def _shared(self, mandate: Mandate) -> Mandate:
        """The registry's one object equal to ``mandate``.

        A log holds as many mandates as entries, but few distinct ones: sharing them
        saves memory, and the collector's time walking a million copies.
        """
        if self._mandate_of.get(mandate.actor) is mandate:  # the one deciding was given
            return mandate
        key = (mandate.actor, mandate.organisation, mandate.delegated_by)
        shared = self._mandate_of[mandate.actor] = self._mandates.setdefault(key, mandate)
        return shared

    def _stale_or_refused(self, decision: Decision, error: DecisionRefused) -> NoReturn:
        """Refuse ``decision``, unless the refusal rests on a log that has moved on.

        A registry that has not seen another writer's entries may refuse what they made
        possible (a decision on a body another writer proposed): that is a conflict,
        which a reload resolves, not a refusal.
        """
        count = len(self._log)
        if count != self._count:
            raise AppendConflict(count, self._log.head, self._count, self._head) from error
        self._refused(decision, error)

    def _refused(self, decision: Decision, error: DecisionRefused) -> NoReturn:
        refused(self._logger, decision, error)
        raise error

    def explain(
        self, body: str, on: When | dt.date | None = None, *, assuming: Decision | None = None
    ) -> Explanation:
        """What can happen next to ``body`` and, for each thing that cannot, every reason.

        Args:
            body: The body's id.
            on: The date to evaluate guards at; by default the date of ``assuming``,
                or else the last day of the body's latest decision (the first on which it
                certainly stands so). On an earlier day, the body as it stood then
                (:func:`govflow.log.as_of.body_on`).
            assuming: A decision to count as recorded first: for a decision whose
                trigger is refused, the answer equals the refusal's ``explanation``.

        Raises:
            NoSuchBody: No accepted proposal created ``body``.
            DecisionRefused: ``assuming`` could not be recorded on this body.
        """
        when = when_of(on, "Registry.explain")
        fits = assuming is None or isinstance(assuming, Decision)
        require(fits, "Registry.explain", "assuming", "None or a Decision", assuming)
        seen = self.body(body)
        if assuming is not None and assuming.body == body:
            if self._pending is not None and self._pending.bears_on(body, assuming.id):
                self._settle()
            position = self._by_id.get(assuming.id)
            if position is not None:  # as apply takes it: recorded once, or refused
                if self._entries[position].decision != assuming:
                    raise DuplicateDecision(assuming.id, assuming.body)
                when, assuming = when or assuming.decided, None  # counted in the body already
        if assuming is None:
            seen = body_on(self._lifecycle, self.entries(), seen, when)
        return explain(self._lifecycle, seen, when, assuming=assuming, seq=self._count,
                       schema=self._log.schema)  # fmt: skip

    def as_of(self, body: str, day: dt.date) -> Body | None:
        """The body as its decisions certainly taken by ``day`` left it; ``None`` if not proposed.

        See :func:`govflow.body_as_of` for how dates known to a month or a year count.

        Raises:
            NoSuchBody: No accepted proposal created a body of that id, on any day.
        """
        require(type(body) is str, "Registry.as_of", "body", "a body id (a text)", body)
        require(type(day) is dt.date, "Registry.as_of", "day", "a datetime.date", day)
        self.body(body)  # one never proposed is a mistyped id, not a body not yet proposed
        return body_as_of(self._lifecycle, self.entries(), body, day)

    def recommendations(self, to: str) -> tuple[Entry, ...]:
        """The recommendations made to the authority ``to``, in log order.

        A recommendation is recorded and shown to its recipient, but satisfies no guard.
        """
        require(type(to) is str, "recommendations", "to", "an authority's name (a text)", to)
        made = (e for e in self.entries() if e.decision.kind is Kind.RECOMMEND)
        return tuple(e for e in made if e.decision.to == to)

    def entries(self) -> Iterator[Entry]:
        """The log's entries this registry has verified and taken in, in order, as it read them.

        Those another writer appended since are read by :meth:`reload` (verified first).
        """
        self._settle()
        return islice(self._entries, self._count)

    def waiting_on(self, authority: str, on: When | dt.date | None = None) -> tuple[Waiting, ...]:
        """Every blocked transition, across all bodies, whose reasons name ``authority``."""
        when = when_of(on, "Registry.waiting_on")
        require(type(authority) is str, "Registry.waiting_on", "authority", "a text", authority)
        from govflow.queries import waiting_on  # noqa: PLC0415 - loaded on first use

        return waiting_on(self._lifecycle, self.bodies.values(), authority, when)

    def overdue(self, day: dt.date) -> tuple[Overdue, ...]:
        """Every body past a hoped-for date, as of ``day``, without the state hoped for."""
        require(type(day) is dt.date, "Registry.overdue", "day", "a datetime.date", day)
        from govflow.queries import overdue  # noqa: PLC0415 - loaded on first use

        return overdue(self.bodies.values(), day)

    def __repr__(self) -> str:
        with contextlib.suppress(GovflowError):  # else as far as taken in
            self._settle()
        many = "body" if len(self._bodies) == 1 else "bodies"
        count = f"{len(self._bodies)} {many}, {self._count} entries"
        return f"<Registry {self._lifecycle.name!r}: {count}, head {self._head[:12]}>"

    def view(self, body: str, on: When | dt.date | None = None) -> BodyView:
        """``body`` with its lifecycle and what blocks each next step, to show in a notebook.

        In Jupyter: the lifecycle with the body's state highlighted, above :meth:`explain`'s
        table at ``on`` (by default its latest decision's last day; earlier, as it stood then).

        Raises:
            NoSuchBody: No accepted proposal created ``body``.
            InvalidRecord: ``body`` is not a text, or ``on`` neither a date nor a ``When``.
        """
        from govflow.display.views import BodyView  # noqa: PLC0415 - on first display

        when = when_of(on, "Registry.view")
        seen = body_on(self._lifecycle, self.entries(), self.body(body), when)  # as it stood
        explained = explain(self._lifecycle, seen, when, seq=self._count)
        return BodyView(self._lifecycle, seen, explained)

    def to_records(self) -> list[dict[str, Any]]:
        """Every body as a plain dict (:data:`govflow.display.records.BODY_KEYS`).

        For the decisions, use the log's ``to_records()``.
        """
        from govflow.display.records import body_record  # noqa: PLC0415 - on first use

        return [body_record(b) for b in self._settled().values()]

    def to_dataframe(self) -> Any:  # noqa: ANN401 - a pandas DataFrame, an optional extra
        """:meth:`to_records` as a pandas DataFrame, one row per body.

        Raises:
            MissingExtra: pandas is not installed (``pip install 'govflow[dataframe]'``).
        """
        from govflow.display.records import BODY_KEYS, dataframe  # noqa: PLC0415

        return dataframe(self.to_records(), BODY_KEYS)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """What a notebook shows: a table of the bodies and their states."""
        from govflow.display.views import registry_bundle  # noqa: PLC0415 - on first display

        bodies, name = list(self._settled().values()), self._lifecycle.name
        return registry_bundle(name, bodies, self._count, repr(self))

    def reload(self, *, full: bool = False) -> None:
        """Catch up with the entries other writers appended to a shared store.

        Only the entries after those seen are read, verified (from the head it knows) and
        replayed onto its bodies: the cost is in proportion to what is new. ``full`` does
        it for the whole log. After an :class:`~govflow.AppendConflict`, reload and apply
        again (or let ``apply(..., retries=n)`` do it).

        Raises:
            TamperedLog: The entries read do not follow those seen, or do not verify.
            ReplayMismatch: The log does not follow from its decisions.
            InvalidRecord: ``full`` is not True or False.
        """
        require(type(full) is bool, "Registry.reload", "full", "True or False", full)
        count, head = self._count, self._head  # what it read must still be the log's start
        if full:
            entries = verified_entries(self._log)
            at = entries[count - 1].hash if 0 < count <= len(entries) else head
            still_holds(len(entries), at, count, head)
            self._replay_all(entries)
        elif not self._catch_up():  # settled: what it read is all it counts
            tip = self._log.checkpoint()  # one read; entries appended since: next time
            still_holds(tip.count, tip.head if tip.count == count else head, count, head)

    def _catch_up(self) -> bool:
        """Take in the entries appended since this registry's last; whether there were any."""
        self._settle()
        return self._take_in(self._log.since(self._count))

    def _take_in(self, entries: Iterable[Entry], pending: Pending | None = None) -> bool:
        """Take in ``entries``: those after this registry's last, or ``pending``'s, read."""
        seen = (self._count, self._head) if pending is None else pending.after
        try:
            new = list(entries)
        except InvalidRecord as error:  # what follows the entries seen cannot be read
            raise TamperedLog(seen[0], "malformed", str(error)) from None
        if not new:
            return False
        replayed = None if pending is None else pending.unapplied(new)  # others' bodies only
        bodies = caught_up(
            self._lifecycle, self._log, new, self._bodies, self._by_id, seen, replayed
        )
        # Nothing above changed the registry; now all of it moves at once.
        self._bodies.update(bodies)
        if isinstance(self._entries, list):
            self._entries.extend(new)
        self._by_id.update((entry.decision.id, entry.seq) for entry in new)
        self._count, self._head = new[-1].seq + 1, new[-1].hash
        self._behind = False
        return True

    def _count_in(self, entry: Entry, items: list[Entry | Stored]) -> None:
        """Count the entries ``entry``'s append came back with; ``entry`` moves its body now.

        The others wait, unread, until asked for (:meth:`_settle`); if they do not verify
        from this registry's count on, the next apply catches up first.
        """
        moved = None
        with contextlib.suppress(GovflowError):  # else replayed when taken in
            moved = replay(self._lifecycle, [entry], self._bodies)
        seen, log = (self._count, self._head), (self._log.fingerprint, self._log.schema)
        pending = counted(self._pending, seen, entry, items, log, applied=moved is not None)
        if pending is None:
            self._behind = True  # until taken in
            return
        self._bodies.update(moved or {})
        self._pending, (self._count, self._head) = pending, pending.seen

    def _count_up(self, decision: Decision, *, conflict: bool = True) -> None:
        """Count what others appended (on a conflict, in a hold); take in what ``decision`` needs.

        Nothing new in a hold is nothing to do.
        """
        stored = getattr(self._log, "stored_since", None)
        if stored is None and not conflict:  # a log that gives only records: read them
            self._catch_up()
            return
        items, log = [] if stored is None else list(stored(self._count)), self._log
        if not (items or conflict):
            return
        if items and bears_on(items, decision.body, decision.id):
            self._settle()
            self._take_in(strictly(items, self._count))
            return
        seen = (self._count, self._head)
        pending = counted(self._pending, seen, None, items, (log.fingerprint, log.schema))
        if pending is None:  # none, or not what a log holds: read again, or said
            self.reload()
        else:
            self._pending, (self._count, self._head) = pending, pending.seen

    def _settle(self) -> None:
        """Take in the entries counted but not taken in (see :meth:`apply`), if any."""
        if self._pending is not None:
            self._take_in(self._pending.entries(), self._pending)
            self._pending = None

    def _settled(self) -> dict[str, Body]:
        self._settle()
        return self._bodies

    def _replay_all(self, verified: list[Entry] | None) -> None:
        # The entries verified (read once), or all, read now: bodies, ids and head of them.
        entries = list(self._log) if verified is None else verified
        bodies = replay(self._lifecycle, entries)  # all or nothing
        self._bodies.clear()  # in place: a view of them kept (``bodies``) stays live
        self._bodies.update(bodies)
        self._pending = None
        self._entries = self._log if isinstance(self._log, AuditLog) else entries
        self._by_id = {entry.decision.id: i for i, entry in enumerate(entries)}
        self._count, self._behind = len(entries), False
        last = entries[-1].hash if entries else None  # else the header's hash
        self._head = last or genesis(self._log.fingerprint, self._log.schema)

    def checkpoint(self) -> Checkpoint:
        """The log's current count and head, to keep elsewhere."""
        return self._log.checkpoint()

    def verify(self, checkpoint: Checkpoint | TreeHead | None = None) -> Verification:
        """Verify the log's hashes and links, and ``checkpoint`` (a tree head's root too)."""
        return self._log.verify(checkpoint)
