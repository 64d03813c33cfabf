"""What every store shares: entries kept in canonical form, read back strictly."""

from __future__ import annotations

import abc
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Self

from govflow.display.records import EntryTable
from govflow.errors import (
    GovflowError,
    InvalidRecord,
    ReadOnlyStore,
    StoreFailed,
    TamperedLog,
    require,
)
from govflow.log.checkpoint import Checkpoint
from govflow.log.entry import (
    SCHEMA_VERSION,
    Columns,
    Entry,
    Stored,
    entry_text,
    genesis,
    parsed,
    strictly,
    text_of,
)
from govflow.log.merkle import Tree, node_count, size_of
from govflow.model.terms import MAX_WHOLE
from govflow.stores._paths import storable
from govflow.stores._said import KEEP_AGAIN
from govflow.stores._tree import Grown, Kept, appended, batch_of, batches, evidence, grown

if TYPE_CHECKING:
    from govflow.log.checkpoint import TreeHead
    from govflow.log.problem import Verification


class Store(abc.ABC, EntryTable):
    """A log kept outside the process: the :class:`govflow.Log` contract, durably.

    Entries are kept as their canonical text with their schema version, and read
    back strictly: verification rebuilds each entry's canonical bytes from the
    parsed record. Use a store as a context manager, or call :meth:`close`.
    """

    def __init__(
        self, where: str, fingerprint: str, schema: int = SCHEMA_VERSION, *, read_only: bool = False
    ) -> None:
        self.where, self._fingerprint = where, fingerprint
        #: Whether the store was opened only to read: appends raise ReadOnlyStore.
        self.read_only = read_only
        #: The entry schema the log's header names: its first entry links to that header.
        self.schema = schema

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the lifecycle the log is written under."""
        return self._fingerprint

    @abc.abstractmethod
    def _tip(self) -> tuple[int, str | None]:
        """The entry count and the last entry's hash (``None`` when empty)."""

    @abc.abstractmethod
    def _rows(self) -> Iterator[str | bytes]:
        """Each entry's stored text, in order (its bytes, when they are no UTF-8)."""

    def _indexed(self) -> Iterator[tuple[object, Columns | None]]:
        """Each entry's stored content (a text, unless altered at rest) and its columns."""
        return ((text, None) for text in self._rows())

    def _indexed_since(self, seq: int) -> Iterator[tuple[object, Columns | None]]:
        """As :meth:`_indexed`, from the entry at position ``seq`` on."""
        return islice(self._indexed(), seq, None)

    def _indexed_at(self, seq: int) -> Iterator[tuple[object, Columns | None]]:
        """As :meth:`_indexed`, for the entry at position ``seq`` alone."""
        return islice(self._indexed_since(seq), 1)

    def _indexed_of(self, body: str) -> Iterator[tuple[object, Columns | None]]:
        """As :meth:`_indexed`, for the entries about ``body`` alone."""
        return (row for _, row in self._naming("body", body))

    def _naming(self, key: str, value: str) -> Iterator[tuple[int, tuple[object, Columns | None]]]:
        """Each row and its position, whose text holds ``"key":value`` as written (or no text)."""
        # Only they are parsed: bundle --decision of the last of 2*10^5 entries of JSON
        # Lines took 0.91 s so, 5.03 parsing every line (medians of three runs).
        named = f'"{key}":{json.dumps(value, ensure_ascii=False)}'
        for seq, row in enumerate(self._indexed()):
            if type(row[0]) is not str or named in row[0]:  # one that is no text: refused
                yield seq, row

    @abc.abstractmethod
    def _write(self, entry: Entry, text: str) -> None:
        """Store ``entry`` atomically if it follows the stored head, else raise AppendConflict."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store's file or connection."""

    def _head_of(self, last: str | None) -> str:
        """The hash the next entry links to, given the last entry's (``None`` when empty)."""
        return genesis(self._fingerprint, self.schema) if last is None else last

    @property
    def head(self) -> str:
        """The hash the next entry must link to."""
        return self._head_of(self._tip()[1])

    def __len__(self) -> int:
        return self._tip()[0]

    def stored(self) -> Iterator[Stored]:
        """Each entry's stored text, with the plain data parsed from it (the text, if not JSON)."""
        return parsed(self._indexed())

    def since(self, seq: int) -> Iterator[Entry]:
        """The entries from position ``seq`` on, parsed strictly (see :meth:`__iter__`).

        A registry catching up with other writers reads only what is new: a database
        store asks for the rows from ``seq``, a JSON Lines store starts where it last
        read when it can.

        Raises:
            InvalidRecord: ``seq`` is not a whole number from 0.
        """
        return strictly(self.stored_since(seq), seq)

    def stored_since(self, seq: int) -> Iterator[Stored]:
        """As :meth:`stored`, from position ``seq`` on: what :meth:`since` reads strictly.

        Raises:
            InvalidRecord: ``seq`` is not a whole number from 0.
        """
        whole = type(seq) is int and seq >= 0
        require(whole, type(self).__name__, "seq", "a whole number from 0", seq)
        if seq > MAX_WHOLE:  # past any entry a store can hold (or a database index)
            return iter(())
        return parsed(self._indexed_since(seq))

    def of_body(self, body: str) -> Iterator[Entry]:
        """The entries about ``body`` alone, in order, parsed strictly.

        A database store reads them through its index on the body column (trusted to
        hold the body's rows: verifying names one altered); a JSON Lines store reads the
        file through. Replaying them (:func:`govflow.replay`) gives the body.

        Raises:
            InvalidRecord: ``body`` is not a text.
            TamperedLog: A database row filed under ``body`` holds another body's entry.
        """
        require(type(body) is str, type(self).__name__, "body", "a body id (a text)", body)
        return self._about(body) if storable(body) else iter(())  # else: no entry holds it

    def _about(self, body: str) -> Iterator[Entry]:
        for record in parsed(self._indexed_of(body)):
            (entry,) = strictly([record], 0, count=False)
            if entry.body == body:
                yield entry
            elif record.columns is not None:  # under the body's index, another's entry
                said = f"it is filed under body {body!r}, but its entry is about {entry.body!r}"
                raise TamperedLog(entry.seq, "misindexed", said)

    def __getitem__(self, seq: int) -> Entry:
        """Entry ``seq`` (from the end when negative), read strictly.

        A database store reads that row alone; a JSON Lines store reads the file up
        to it, from where it last read when it can.

        Raises:
            IndexError: The log has no entry ``seq``.
            InvalidRecord: ``seq`` is not a whole number, or the entry cannot be read.
        """
        require(type(seq) is int, type(self).__name__, "seq", "a whole number", seq)
        count = len(self)
        at = seq + count if seq < 0 else seq
        if 0 <= at < count:
            for entry in strictly(parsed(self._indexed_at(at)), at):
                return entry
        message = f"entry {seq} is not in the log of {count} entries"
        raise IndexError(message)

    def seq_of(self, decision_id: str) -> int | None:
        """The position of the entry recording the decision ``decision_id``, if any.

        A database store asks its index on the decision id; a JSON Lines store reads
        the file through. Nothing is verified: read the entry with :meth:`since`.
        """
        if not storable(decision_id):  # no entry can hold it (as the database stores say)
            return None
        for seq, row in self._naming("id", decision_id):
            data = next(parsed([row])).data
            decision = data.get("decision") if isinstance(data, dict) else None
            if isinstance(decision, dict) and decision.get("id") == decision_id:
                return seq
        return None

    def records(self) -> Iterator[object]:
        """Each entry as the plain data it was stored as (a text that is not JSON as is)."""
        return (stored.data for stored in self.stored())

    def __iter__(self) -> Iterator[Entry]:
        """The entries, parsed strictly.

        Raises:
            InvalidRecord: At the first entry that cannot be read, after yielding
                every good one before it; the error names the entry and the field.
        """
        return strictly(self.stored(), 0)

    def append(self, entry: Entry, text: str | None = None) -> None:
        """Store ``entry`` after the head, atomically and durably.

        Args:
            entry: The entry.
            text: Its canonical text, when the caller has it (as ``sealed`` gives it):
                the entry is then not encoded again, and the text is taken for its
                canonical text once its content hashes to the entry's ``hash`` and it
                holds the entry's own state after, seq, prev, schema, body and decision
                id where only they can stand; the rest is not compared (a text hashed by
                the caller to a hash of its own making is trusted as far as that).

        Raises:
            AppendConflict: The stored head is not the one the entry follows: another
                writer appended first. Reload and apply the decision again.
            ReadOnlyStore: The store was opened read-only.
            StoreFailed: The write failed (a full disk, say), or the store's file was
                replaced since it was opened; nothing was appended.
            TamperedLog: The log is shorter than the store read it (cut short).
            TornLog: The log ends in a torn line; repair it first.
            InvalidRecord: ``entry`` is not an Entry of the log's schema, its hash is not
                its content's, or ``text`` is not its text as above; nothing is written.
        """
        if self.read_only:
            raise ReadOnlyStore(self.where)
        if type(entry) is not Entry:
            raise InvalidRecord("Store.append", "entry", "an Entry", entry)
        if entry.schema != self.schema:  # a log holds entries of its header's schema only
            raise InvalidRecord("Store.append", "entry.schema", f"{self.schema}", entry.schema)
        kept = entry_text(entry) if text is None else text
        if not text_of(entry, kept):  # 6.5 µs for a 2 KB text (2.9 the hash) of a durable 340
            field, wanted = ("entry.hash", "the SHA-256 of its content") if text is None else (
                "text", "the entry's canonical text, as sealed gives it")  # fmt: skip
            raise InvalidRecord("Store.append", field, wanted, entry.hash if text is None else text)
        self._write(entry, kept)

    @abc.abstractmethod
    def _kept(self) -> Kept | None:
        """The Merkle tree's nodes the store keeps (``None``: none yet, or none readable)."""

    @abc.abstractmethod
    def _keep(self, count: int, start: int, nodes: list[bytes]) -> bool:
        """Keep ``nodes`` from position ``start`` on, in place of any kept from there.

        Only while the log is as read, checked under the store's lock: the log of
        ``count`` entries (on PostgreSQL, at least), with the nodes before ``start``
        and none another writer kept since past them. Returns whether they were kept.
        """

    def _hashes_since(self, seq: int) -> Iterator[object]:
        """Each entry's recorded hash (as stored: perhaps not a hash), from ``seq`` on."""
        return hashes(self._indexed_since(seq))

    def _appended_nodes(self, entry: Entry) -> Grown | None:
        """The Merkle nodes to keep with ``entry``, which follows the head: see ``appended``."""
        last = entry.prev if entry.seq else None
        return appended(self._kept(), entry.seq, entry.hash, self._hashes_since, last)

    def tree(self, *, rebuild: bool = False) -> Tree:
        """The log's Merkle tree (RFC 6962), read from the nodes the store keeps.

        A root or a proof from it reads O(log n) nodes. Nodes the store lacks are made
        from the entries' hashes: those of the last few (the store keeps them 64 leaves
        at a time), and any others, kept in whole batches unless the store is read-only
        or keeps nodes not the log's (evidence of a cut: ``govflow verify`` names them).

        Args:
            rebuild: Make every node again from the entries, in place of those kept
                (for a store whose nodes ``govflow verify`` found altered).

        Raises:
            InvalidRecord: An entry's recorded hash, needed to make a node, is not one.
            NotALog: The store can no longer be read.
            StoreFailed: With ``rebuild``, the nodes could not be written, or the log grew
                each of three times they were made again; try when writers pause.
        """
        require(type(rebuild) is bool, type(self).__name__, "rebuild", "True or False", rebuild)
        for _ in range(3 if rebuild and not self.read_only else 1):
            count, last = self._tip()
            kept = None if rebuild else self._kept()
            start, tree = grown(kept, count, self._hashes_since, last)
            behind = batches(count) > batches(size_of(start))  # a whole batch not kept
            if not (behind or rebuild) or self.read_only or evidence(kept, count, start):
                return tree
            whole = tree.made[: max(node_count(batch_of(count)) - start, 0)]
            if self._keep(count, start, whole) or not rebuild:
                return tree  # else an append came between: a rebuild is made again
        if self._tip()[0] == count:  # no writer appended: the lock, or the write, was refused
            why = "its Merkle nodes could not be kept (another writer held its lock, or the "
            raise StoreFailed(self.where, why + "file or database refused them)", KEEP_AGAIN)
        raise StoreFailed(self.where, "the log grew while its Merkle nodes were made again")

    def kept_nodes(self) -> Iterator[bytes]:
        """The Merkle nodes the store keeps, in order, as they are: for audits.

        Unchecked (behind the log, or altered): ``govflow verify`` compares them with the
        entries'. Prove with :meth:`tree`.
        """
        kept = self._kept()
        return iter(()) if kept is None else iter(kept)

    def checkpoint(self) -> Checkpoint:
        """The stored count and head, to keep somewhere the store's writers cannot reach."""
        # One read of the tip: two could see different moments of a store others write to.
        count, last = self._tip()
        return Checkpoint(count, self._head_of(last))

    def verify(
        self, checkpoint: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None = None
    ) -> Verification:
        """Verify the store whole, as ``govflow verify`` does; the problem names its entry.

        Every entry's canonical bytes are rebuilt from the stored record and checked with
        the chain (against checkpoints or signed tree heads, as :func:`govflow.log.verify`
        takes them); so are the store's record of its end, its Merkle nodes and a torn line.
        """
        from govflow.stores._verifying import audited  # noqa: PLC0415 - loaded when verifying

        return audited(self, checkpoint)

    def read_verified(
        self, checkpoint: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None = None
    ) -> tuple[Verification, list[Entry]]:
        """:meth:`verify`, with the entries it verified, from the same one read of the store."""
        from govflow.log.verify import verified_read  # noqa: PLC0415 - loaded when verifying

        found, entries = verified_read(
            self.stored(), self._fingerprint, checkpoint, schema=self.schema
        )
        return self.check_tip(found), entries

    def check_tip(self, found: Verification) -> Verification:
        """``found`` (a verification of :meth:`stored`), or where the store's end disagrees.

        Its own record of its end (PostgreSQL's head row) is read after the entries.
        """
        from govflow.stores._verifying import at_tip  # noqa: PLC0415 - loaded when verifying

        if not found.ok:  # :meth:`verify`'s problem comes first
            return found
        try:
            count, last = self._tip()
        except TamperedLog as error:  # the head row and the entries disagree (PostgreSQL)
            return at_tip(found, error)
        return at_tip(found, (count, self._head_of(last)))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.where}>"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """What a notebook shows: the last entries (only they are read), the count and head.

        Each is checked against its hash and link (the caption warns of any that fails).
        """
        from govflow.display.views import LAST, error_bundle, log_bundle  # noqa: PLC0415
        from govflow.stores._verifying import unsound  # noqa: PLC0415

        try:
            count, last_text = self._tip()
            start = max(0, count - LAST)
            stored = list(islice(parsed(self._indexed_since(start)), count - start))
            entries = list(strictly(stored, start))
            bad = unsound(stored, entries)
            warning = f"entries {bad} do not match their hashes: run verify()" if bad else ""
            head = self._head_of(last_text)
            return log_bundle(repr(self), count, head, entries, repr(self), warning=warning)
        except GovflowError as error:  # a row that cannot be read: say so, do not raise
            return error_bundle(repr(self), error)


def hashes(rows: Iterable[tuple[object, Columns | None]]) -> Iterator[object]:
    """Each row's recorded hash (as stored: perhaps not a hash)."""
    return (s.data.get("hash") if isinstance(s.data, dict) else s.data for s in parsed(rows))
