"""The audit log in memory: append-only, chained, with checkpoints."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, Protocol, overload

from govflow._entry import Entry, genesis
from govflow._errors import AppendConflict
from govflow._facts import recorded_fact

if TYPE_CHECKING:
    from govflow._authority import Mandate
    from govflow._checkpoint import Checkpoint
    from govflow._decision import Decision
    from govflow._facts import Fact, Resolve
    from govflow._verdict import Verdict
    from govflow._verify import Verification

    #: An entry's fields but its decision and mandate, in ``Entry``'s order.
    _Row = tuple[int, str, str | None, str, int, tuple[Verdict, ...], str, str, int]


class Log(Protocol):
    """What a registry needs of a log: the in-memory :class:`AuditLog`, or a store.

    Stores (``govflow.stores``) keep the same contract on disk or in a database:
    ``append`` is atomic and refuses, with :class:`~govflow.AppendConflict`, an entry
    that does not follow the head it finds there.
    """

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the lifecycle the log is written under."""

    @property
    def head(self) -> str:
        """The hash the next entry must link to."""

    def __len__(self) -> int:
        """How many entries the log holds."""

    def __iter__(self) -> Iterator[Entry]:
        """The entries, in order."""

    def append(self, entry: Entry) -> None:
        """Add ``entry`` after the head, atomically."""

    def checkpoint(self) -> Checkpoint:
        """The log's count and head."""

    def verify(self, checkpoint: Checkpoint | None = None) -> Verification:
        """Check every hash and link, and the checkpoint if one is given."""


#: Where a row holds the entry's hash.
_HASH: Final = 7


class AuditLog(Sequence[Entry]):
    """An append-only log of entries written under one lifecycle, kept in memory.

    It is a read-only sequence of :class:`~govflow.Entry`; the only way to change
    it is :meth:`append`, which accepts exactly the entry that follows the head.

    The log keeps each entry's parts rather than the ``Entry`` itself, and builds an
    equal ``Entry`` whenever one is read: the strings and numbers of an entry go into a
    plain tuple, which the garbage collector stops tracking, so a million entries leave
    it a million objects to go through on each full pass (their decisions), not two
    million.

    Args:
        lifecycle_fingerprint: The fingerprint of the lifecycle the log is written under.
        entries: Entries to start from, as read back from elsewhere. They are taken
            as they are: call :meth:`verify` before trusting them.
    """

    __slots__ = ("_decisions", "_fingerprint", "_genesis", "_mandates", "_rows")

    def __init__(self, lifecycle_fingerprint: str, entries: Iterable[Entry] = ()) -> None:
        self._fingerprint = lifecycle_fingerprint
        self._genesis = genesis(lifecycle_fingerprint)
        # Entry i is _rows[i] (its fields that hold no record of ours), _decisions[i]
        # and _mandates[i]: a row holds only strings and numbers (and the verdicts of a
        # guarded transition), so the collector stops tracking it.
        self._rows: list[_Row] = []
        self._decisions: list[Decision] = []
        self._mandates: list[Mandate] = []
        for entry in entries:
            self._keep(entry)

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the lifecycle the log is written under."""
        return self._fingerprint

    @property
    def head(self) -> str:
        """The hash the next entry must link to."""
        return self._rows[-1][_HASH] if self._rows else self._genesis

    def append(self, entry: Entry) -> None:
        """Add ``entry`` at the end.

        Raises:
            AppendConflict: The entry's sequence number or ``prev`` does not follow
                the head; the log is unchanged.
        """
        rows = self._rows
        head = rows[-1][_HASH] if rows else self._genesis
        if entry.seq != len(rows) or entry.prev != head:
            raise AppendConflict(len(rows), head, entry.seq, entry.prev)
        self._keep(entry)

    def _keep(self, entry: Entry) -> None:
        """Add ``entry`` at the end, unchecked."""
        e = entry
        self._rows.append(
            (
                e.seq,
                e.body,
                e.before,
                e.after,
                e.terms_version,
                e.verdicts,
                e.prev,
                e.hash,
                e.schema,
            )
        )
        self._decisions.append(e.decision)
        self._mandates.append(e.mandate)

    def _fact(self, position: int, provisional: frozenset[str]) -> Fact:
        """The fact the entry at ``position`` records (``recorded_fact``), built from its parts."""
        seq, _, before, _, terms_version = self._rows[position][:5]
        organisation = self._mandates[position].organisation
        decision = self._decisions[position]
        return recorded_fact(
            seq, decision, organisation, terms_version, before=before, provisional=provisional
        )

    def checkpoint(self) -> Checkpoint:
        """The log's current count and head."""
        from govflow._checkpoint import Checkpoint  # noqa: PLC0415 - loaded on first use

        return Checkpoint(len(self._rows), self.head)

    def verify(self, checkpoint: Checkpoint | None = None) -> Verification:
        """Check every hash and link, and the checkpoint if one is given."""
        from govflow._verify import verify  # noqa: PLC0415 - loaded on first use

        return verify(self, self._fingerprint, checkpoint)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self._rows))))
        return _entry(self._rows[index], self._decisions[index], self._mandates[index])

    def __iter__(self) -> Iterator[Entry]:
        return map(_entry, self._rows, self._decisions, self._mandates)

    def __repr__(self) -> str:
        return f"<AuditLog {len(self._rows)} entries, head {self.head[:12]}>"


def _entry(row: _Row, decision: Decision, mandate: Mandate) -> Entry:
    """The ``Entry`` an :class:`AuditLog` keeps as ``row``, ``decision`` and ``mandate``."""
    seq, body, before, after, terms_version, verdicts, prev, hash_, schema = row
    return Entry(
        seq, body, decision, before, after, terms_version, verdicts, mandate, prev, hash_, schema
    )


def resolver(log: AuditLog) -> Resolve:
    """How a body's facts build the fact of the entry at a position in ``log``.

    One object for the log: ``Facts.recorded`` keeps positions with one ``Resolve``
    pending together.
    """
    return log._fact
