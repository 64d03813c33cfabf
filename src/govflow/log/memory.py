"""The audit log in memory: append-only and chained, and the ``Log`` protocol stores share."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, Self, overload

from govflow.canonical import DIGEST
from govflow.display.records import EntryTable
from govflow.errors import (
    ARGUMENT,
    AppendConflict,
    GovflowError,
    InvalidRecord,
    TamperedLog,
    require,
)
from govflow.log.codec import SCHEMAS
from govflow.log.entry import SCHEMA_VERSION, Entry, genesis, recompute_hash
from govflow.model.unreadable import read_out

if TYPE_CHECKING:
    from govflow.log.checkpoint import Checkpoint, TreeHead
    from govflow.log.merkle import Tree
    from govflow.log.problem import Verification


class Log(Protocol):
    """What a registry needs of a log: the in-memory :class:`AuditLog`, or a store.

    Stores (``govflow.stores``) keep the same contract on disk or in a database:
    ``append`` is atomic and refuses, with :class:`~govflow.AppendConflict`, an entry
    that does not follow the head it finds there. A log of your own gets ``to_records``
    and ``to_dataframe`` by deriving from :class:`govflow.display.records.EntryTable`.
    """

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the lifecycle the log is written under."""

    @property
    def schema(self) -> int:
        """The entry schema the log's header names (its entries are written in it)."""

    @property
    def head(self) -> str:
        """The hash the next entry must link to."""

    def __len__(self) -> int:
        """How many entries the log holds."""

    def __iter__(self) -> Iterator[Entry]:
        """The entries, in order."""

    def since(self, seq: int) -> Iterator[Entry]:
        """The entries from position ``seq`` on, in order: what a registry catching up reads."""

    def append(self, entry: Entry, text: str | None = None) -> None:
        """Add ``entry`` after the head, atomically.

        ``text``, when given, is the entry's canonical text as :func:`~govflow.log.seal`
        gave it, so that a store does not encode the entry again.
        """

    def checkpoint(self) -> Checkpoint:
        """The log's count and head."""

    def verify(
        self, checkpoint: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None = None
    ) -> Verification:
        """Check every hash and link, and the checkpoint (or checkpoints) if given."""

    def to_records(self) -> list[dict[str, Any]]:
        """Every entry as a plain dict (a log inherits it from ``EntryTable``)."""

    def to_dataframe(self) -> Any:  # noqa: ANN401 - a pandas DataFrame, an optional extra
        """The entries as a pandas DataFrame (a log inherits it from ``EntryTable``)."""

    def close(self) -> None:
        """Release the log's file or connection (nothing, in memory)."""

    def __enter__(self) -> Self:
        """The log itself: ``with open_store(url) as log:`` closes it at the end."""

    def __exit__(self, *exc: object) -> None:
        """Close the log."""


def is_log(log: object) -> bool:
    """Whether ``log`` has what a registry uses of a :class:`Log`."""
    return all(
        hasattr(log, name)
        for name in ("fingerprint", "schema", "head", "append", "since", "verify")
    )


def held_to(checkpoint: Checkpoint | None, entries: Sequence[Entry], start: str) -> None:
    """Check entries verified elsewhere against ``checkpoint``: its count reached, its head met.

    ``start`` is the log's header hash (the head of no entries). Costs no hashing: the
    entries' hashes were checked when they were verified.

    Raises:
        InvalidRecord: ``checkpoint`` is not a Checkpoint (nor ``None``).
        TamperedLog: The entries end before it, or their head there is another.
    """
    from govflow.log.checkpoint import first_unmatched, kept_heads  # noqa: PLC0415 - rare

    kept = kept_heads(checkpoint)[0]
    count = len(entries)
    heads = {at: entries[at - 1].hash if at else start for at in kept if at <= count}
    found = first_unmatched(kept, heads, count)
    if found is not None:
        raise TamperedLog(*found)


def still_holds(count: int, head: str, read: int, last: str) -> None:
    """Refuse a log that no longer starts with the ``read`` entries a registry read.

    ``last`` is the hash of the last of them; ``count`` the log's length now, and
    ``head`` the hash of its entry ``read - 1``.

    Raises:
        TamperedLog: It is shorter (truncated), or holds another entry there (rewritten).
    """
    if count < read or head != last:
        said = "now ends before" if count < read else "holds another in place of"
        why = f"the log {said} entry {read - 1}, which this registry read"
        raise TamperedLog(min(count, read - 1), "truncated" if count < read else "rewritten", why)


def verified_entries(log: Log, checkpoint: Checkpoint | None = None) -> list[Entry]:
    """The log's entries, all verified (against ``checkpoint``, if given).

    A store's are verified as they are read (its ``read_verified``): an entry appended
    or rewritten after the check is not among them. Another log is verified, then
    read as far as it verified.

    Raises:
        TamperedLog: One does not verify (the error names the first), or the log was
            cut short between verifying and reading.
    """
    read = getattr(log, "read_verified", None)
    entries: list[Entry]
    if read is not None:
        verification, entries = read(checkpoint)
    else:
        verification = log.verify(checkpoint)
        entries = list(islice(log, verification.count))
    problem = verification.problem
    if problem is not None:
        raise TamperedLog(problem.seq, problem.kind, problem.message)
    if len(entries) < verification.count:
        count = verification.count
        raise TamperedLog(len(entries), "truncated", f"it now ends before entry {count - 1}")
    return entries


class AuditLog(Sequence[Entry], EntryTable):
    """An append-only log of entries written under one lifecycle, kept in memory.

    It is a read-only sequence of :class:`~govflow.Entry`; the only way to change
    it is :meth:`append`, which accepts exactly the entry that follows the head.

    Args:
        lifecycle_fingerprint: The fingerprint of the lifecycle the log is written under.
        entries: Entries to start from, as read back from elsewhere. They are taken
            as they are: call :meth:`verify` before trusting them.
        schema: The entry schema of the log's header (the one this release writes,
            unless the entries come from an older log).
    """

    __slots__ = ("_entries", "_fingerprint", "_genesis", "_tree", "schema")

    def __init__(
        self,
        lifecycle_fingerprint: str,
        entries: Iterable[Entry] = (),
        *,
        schema: int = SCHEMA_VERSION,
    ) -> None:
        require(
            type(lifecycle_fingerprint) is str
            and DIGEST.fullmatch(lifecycle_fingerprint) is not None,
            "AuditLog",
            "lifecycle_fingerprint",
            "a lifecycle's fingerprint (64 hex digits)",
            lifecycle_fingerprint,
        )
        fits = type(schema) is int and schema in SCHEMAS
        require(fits, "AuditLog", "schema", f"one of {SCHEMAS}", schema)
        require(
            isinstance(entries, Iterable) and not isinstance(entries, str | bytes),
            "AuditLog",
            "entries",
            "Entry records",
            entries,
        )
        listed = read_out(entries)  # a caller's own collection may raise when read
        if not isinstance(listed, tuple):
            raise InvalidRecord("AuditLog", "entries", "Entry records", listed, ARGUMENT)
        self._fingerprint = lifecycle_fingerprint
        self.schema = schema
        self._genesis = genesis(lifecycle_fingerprint, schema)
        self._entries: list[Entry] = list(listed)
        self._tree: Tree | None = None
        require(
            all(type(e) is Entry for e in self._entries),
            "AuditLog",
            "entries",
            "Entry records",
            entries,
        )

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the lifecycle the log is written under."""
        return self._fingerprint

    @property
    def head(self) -> str:
        """The hash the next entry must link to."""
        return self._entries[-1].hash if self._entries else self._genesis

    def append(self, entry: Entry, text: str | None = None) -> None:
        """Add ``entry`` at the end.

        An entry given alone is checked against its hash, as a store checks it. ``text``
        is what a registry passes with an entry it has just sealed (its canonical text, not
        needed in memory): the entry is then taken as sealed.

        Raises:
            InvalidRecord: ``entry`` is not an Entry of the log's schema, or (given alone)
                its hash is not its content's; the log is unchanged.
            AppendConflict: The entry's sequence number or ``prev`` does not follow
                the head; the log is unchanged.
        """
        if type(entry) is not Entry:
            raise InvalidRecord("AuditLog.append", "entry", "an Entry", entry)
        if entry.schema != self.schema:  # a log holds entries of its header's schema only
            raise InvalidRecord("AuditLog.append", "entry.schema", f"{self.schema}", entry.schema)
        entries = self._entries
        head = entries[-1].hash if entries else self._genesis
        if entry.seq != len(entries) or entry.prev != head:
            raise AppendConflict(len(entries), head, entry.seq, entry.prev)
        if text is None and recompute_hash(entry) != entry.hash:
            wanted = "the SHA-256 of its content"
            raise InvalidRecord("AuditLog.append", "entry.hash", wanted, entry.hash)
        entries.append(entry)

    def since(self, seq: int) -> Iterator[Entry]:
        """The entries from position ``seq`` on, in order.

        Raises:
            InvalidRecord: ``seq`` is not a whole number from 0.
        """
        require(type(seq) is int and seq >= 0, "AuditLog", "seq", "a whole number from 0", seq)
        return iter(self._entries[seq:])

    def of_body(self, body: str) -> Iterator[Entry]:
        """The entries about ``body`` alone, in order.

        Raises:
            InvalidRecord: ``body`` is not a text.
        """
        require(type(body) is str, "AuditLog", "body", "a body id (a text)", body)
        return (entry for entry in self._entries if entry.body == body)

    def tree(self) -> Tree:
        """The log's Merkle tree (RFC 6962), kept in memory and grown as the log grows.

        Appending costs nothing until a tree is asked for; then each entry appended
        since costs its leaf and about one node.
        """
        from govflow.log.merkle import Tree  # noqa: PLC0415 - loaded on first use

        tree = self._tree = Tree() if self._tree is None else self._tree
        for entry in self._entries[len(tree) :]:
            tree.append(bytes.fromhex(entry.hash))
        return tree.copy()

    def checkpoint(self) -> Checkpoint:
        """The log's current count and head."""
        from govflow.log.checkpoint import Checkpoint  # noqa: PLC0415 - loaded on first use

        return Checkpoint(len(self._entries), self.head)

    def verify(
        self, checkpoint: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None = None
    ) -> Verification:
        """Check every hash and link, and the checkpoint (or checkpoints) if given."""
        from govflow.log.verify import verify  # noqa: PLC0415 - loaded on first use

        return verify(self._entries, self._fingerprint, checkpoint, schema=self.schema)

    def close(self) -> None:
        """Nothing to release: the log is in memory."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        """Entry ``index`` (from the end when negative), or a slice of them, as a store's.

        Raises:
            IndexError: The log has no entry ``index``.
            InvalidRecord: ``index`` is not a whole number or a slice.
        """
        if isinstance(index, slice):
            return tuple(self._entries[index])
        require(type(index) is int, "AuditLog", "seq", "a whole number", index)
        return self._entries[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"<AuditLog {len(self._entries)} entries, head {self.head[:12]}>"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """What a notebook shows: a table of the last entries, the count and the head hash."""
        from govflow.display.views import LAST, log_bundle  # noqa: PLC0415 - on first display

        last = self._entries[-LAST:]
        return log_bundle("Audit log", len(self._entries), self.head, last, repr(self))


def holds(log: Log, entry: Entry) -> bool:
    """Whether ``log`` holds ``entry`` after all (a failure may come after a commit)."""
    with contextlib.suppress(GovflowError):
        return next(iter(log.since(entry.seq)), None) == entry
    return False
