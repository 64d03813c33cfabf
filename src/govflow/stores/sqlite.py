"""A log in SQLite: the embedded default, standard library only.

Schema (tables are created on first use)::

    CREATE TABLE govflow_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        -- 'header': {"govflow": "log", "schema": 1, "lifecycle": <fingerprint>}
    CREATE TABLE govflow_entries (
        seq         INTEGER PRIMARY KEY,    -- 0, 1, 2, ... with no gaps
        body        TEXT NOT NULL,
        decision_id TEXT NOT NULL UNIQUE,
        prev        TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE,
        schema      INTEGER NOT NULL,
        content     TEXT NOT NULL           -- the entry's canonical JSON, hash included
    );
    CREATE INDEX govflow_entries_body ON govflow_entries (body, seq);  -- of_body()
    CREATE TABLE govflow_tree (             -- the Merkle tree's nodes (govflow.log.merkle)
        pos  INTEGER PRIMARY KEY,           -- position(height, index): post-order
        hash BLOB NOT NULL                  -- 32 bytes
    );

The columns beside ``content`` are for queries and constraints; verification rebuilds
the canonical bytes from ``content`` parsed. An append runs in one
``BEGIN IMMEDIATE`` transaction that checks the stored head first (and keeps the Merkle
nodes of a batch of 64 leaves the entry ends), so concurrent writers in several
processes are serialised and a stale one gets an :class:`~govflow.AppendConflict`
(:meth:`SqliteStore.exclusive` holds one across a block, so that writers queue). The
database runs in WAL mode with ``synchronous=FULL``: an append that returned survives a
crash. A read-only store opens the file with ``mode=ro``, so SQLite cannot write to it,
and removes the ``-wal`` and ``-shm`` files its reading made if no other connection has
them; it never writes a ``-wal`` a crashed writer left back into the database.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from govflow.errors import (
    AppendConflict,
    GovflowError,
    NotALog,
    ReadOnlyStore,
    StoreClosed,
    StoreFailed,
)
from govflow.log.entry import Columns, Entry
from govflow.stores._base import Store
from govflow.stores._header import check_header, header, meta_header, new_schema
from govflow.stores._paths import check_path, file_path, identity, seconds, storable, uncreated
from govflow.stores._said import archived, sqlite_refused, store_failed
from govflow.stores._sqlite_files import empty, let_go, wal_files
from govflow.stores._sqlite_hold import held, transaction
from govflow.stores._sqlite_sql import (
    AFTER,
    BEFORE_ALL,
    BODY_INDEX,
    BOUNDS,
    HASHES,
    NODES,
    OF_BODY_AFTER,
    TREE,
    statements,
)
from govflow.stores._tree import TableNodes

#: Rows read in one query when iterating.
PAGE = 2_000


def _sqlite_or_empty(path: Path) -> bool:
    """Whether the file is missing, empty, or begins as an SQLite database does."""
    try:
        with path.open("rb") as source:
            start = source.read(16)
    except OSError:  # missing, or not readable: SQLite says which
        return True
    return start in {b"", b"SQLite format 3\x00"}


class SqliteStore(Store):
    """A log in an SQLite database file.

    Args:
        path: The database file; created if it does not exist.
        fingerprint: The lifecycle fingerprint: needed to create the log, and checked
            against the stored header when given for an existing one.
        timeout: Seconds to wait for another writer's transaction to finish.
        read_only: Open it only to read. A file this process may not write, or in a
            folder it may not write, with no write-ahead file beside it (a partner's
            archive), is read as it stands, as SQLite's ``immutable`` mode reads it:
            what is written to it after it was opened is not seen (open it again).

    ``schema`` is the entry schema a new log is created with (``None``: this release's).

    Raises:
        NotALog: The file is not an SQLite database, or holds no govflow log.
        LifecycleMismatch: The log was written under another lifecycle.
        StoreFailed: It was locked past ``timeout``, or may not be written, as it was opened.
    """

    def __init__(
        self,
        path: str | Path,
        fingerprint: str | None = None,
        *,
        timeout: float = 60.0,
        read_only: bool = False,
        schema: int | None = None,
    ) -> None:
        self._creating = new_schema(schema, fingerprint, "SqliteStore")
        self.path = file_path("SqliteStore", path, read_only=read_only)
        where = str(self.path)
        check_path(self.path, create=fingerprint is not None and not read_only, read_only=read_only)
        self._read_only, self._closed = read_only, False
        # Whether a read-only store finds no WAL files, and so must leave none behind.
        self._unshared = read_only and not any(p.exists() for p in wal_files(self.path))
        if not _sqlite_or_empty(self.path):  # SQLite would take a short one for empty
            raise NotALog(where, "it is not an SQLite database")
        if fingerprint is None and empty(self.path):  # refused before SQLite writes to it
            raise NotALog(where, uncreated("it is empty", read_only=read_only))
        try:
            # An absolute path: SQLite reads ':memory:' or 'file:...' as no file or a URI.
            at = self._at = self.path.absolute()
            wait = seconds("SqliteStore", timeout)
            # Read-only: SQLite opens the file for reading alone, and cannot write to it.
            # (An empty authority, file://, then the path: one that starts // is no host.)
            # A file this process may not write, with no write-ahead file beside it: read
            # as it stands, as in a folder it may not write (below). SQLite could not
            # remove the -wal and -shm files a reading made beside it.
            fixed = "&immutable=1" if self._unshared and not os.access(at, os.W_OK) else ""
            target = f"file://{quote(str(at))}?mode=ro{fixed}" if read_only else at
            self._db = sqlite3.connect(target, timeout=wait, isolation_level=None, uri=read_only)
        except sqlite3.Error as error:
            raise sqlite_refused(where, self.path, error) from None
        try:
            try:
                found = self._open(where, fingerprint)
            except sqlite3.OperationalError as error:
                if not (read_only and archived(self.path, error)):
                    raise
                # A folder this process may not write, and no write-ahead file in it: read
                # as it stands, with no shared-memory file SQLite could not make there.
                self._db.close()
                target = f"file://{quote(str(at))}?mode=ro&immutable=1"
                self._db = sqlite3.connect(target, timeout=wait, isolation_level=None, uri=True)
                found = self._open(where, fingerprint)
            recorded, schema = check_header(where, found, fingerprint)
            self._file = identity(self._at)  # the file connected to, once opened
        except sqlite3.DatabaseError as error:
            self.close()
            raise sqlite_refused(where, self.path, error) from None
        except Exception:
            self.close()
            raise
        super().__init__(where, recorded, schema, read_only=read_only)

    def _open(self, where: str, fingerprint: str | None) -> object:
        # Text that is not UTF-8 (altered at rest) is read with U+FFFD in place of the bad
        # bytes: it then fails its hash, and verify names the entry.
        db = self._db
        db.text_factory = _text
        if self._read_only:
            fingerprint = None  # nothing is created
        # What the file holds is read before anything is written to it: a database that
        # is refused (another application's, another lifecycle's log) is left as it was.
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "govflow_meta" not in tables:
            raise NotALog(where, "it is an SQLite database without govflow's tables")
        found = self._header(where) if tables else None
        if tables:
            check_header(where, found, fingerprint)
        if not self._read_only:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
        if "govflow_meta" not in tables:
            if fingerprint is None:
                raise NotALog(where, uncreated("it is empty", read_only=self._read_only))
            db.execute("BEGIN IMMEDIATE")
            # executescript would commit on its own; the schema is created in this transaction.
            for statement in statements():
                db.execute(statement)
            db.execute(
                "INSERT OR IGNORE INTO govflow_meta VALUES ('header', ?)",
                (json.dumps(header(fingerprint, self._creating), sort_keys=True),),
            )
            db.execute("COMMIT")
        elif not self._read_only and "govflow_entries" in tables:
            db.execute(BODY_INDEX)  # a log written before the index was kept gets it
            db.execute(TREE)  # and a table for its Merkle nodes, filled when first needed
        self._has_tree = not self._read_only or "govflow_tree" in tables
        return found if tables else self._header(where)  # read once, or once written

    def _header(self, where: str) -> object:
        rows = self._db.execute("SELECT key, value FROM govflow_meta").fetchall()
        return meta_header(rows, where)

    def _tip(self) -> tuple[int, str | None]:
        try:
            rows = self._db.execute(
                "SELECT seq, hash FROM govflow_entries ORDER BY seq DESC LIMIT 2"
            ).fetchall()
            if not rows:
                return 0, None
            (last, digest), before = rows[0], rows[1][0] if len(rows) > 1 else -1
            first, size = self._db.execute(BOUNDS).fetchone()
            count = last + 1
            # A seq altered at rest (the last two apart, the first not 0, more entries than
            # the file could hold at 64 bytes each): count the rows, never trust it.
            if last != before + 1 or first != 0 or not 0 < count <= size // 64:
                count = self._db.execute("SELECT count(*) FROM govflow_entries").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise self._unread(f"SQLite says: {error}") from None
        return count, str(digest)

    def _rows(self) -> Iterator[str | bytes]:
        return (c if isinstance(c, str | bytes) else str(c) for c, _ in self._indexed())

    def _indexed(self) -> Iterator[tuple[object, Columns | None]]:
        return self._paged(AFTER, (), BEFORE_ALL)

    def _indexed_since(self, seq: int) -> Iterator[tuple[object, Columns | None]]:
        return self._paged(AFTER, (), seq)

    def _indexed_at(self, seq: int) -> Iterator[tuple[object, Columns | None]]:
        return ((content, Columns(*columns)) for *columns, content in self._page(AFTER, (seq, 1)))

    def _indexed_of(self, body: str) -> Iterator[tuple[object, Columns | None]]:
        return self._paged(OF_BODY_AFTER, (body,), BEFORE_ALL)

    def _paged(
        self, query: str, arguments: tuple[object, ...], after: int
    ) -> Iterator[tuple[object, Columns | None]]:
        # Page by page, each page read whole before a row is handed out: an iterator
        # left open holds no read open, so appends meanwhile commit as usual and
        # iterators may interleave.
        while True:
            page = self._page(query, (*arguments, after, PAGE))
            for *columns, content in page:
                yield content, Columns(*columns)
            if len(page) < PAGE:
                return
            last = int(page[-1][0])  # type: ignore[call-overload]  # an INTEGER PRIMARY KEY
            if last >= 2**63 - 1:  # the highest seq a database holds
                return
            after = last + 1

    def _page(self, query: str, arguments: tuple[object, ...]) -> list[tuple[object, ...]]:
        try:
            return self._db.execute(query, arguments).fetchall()
        except sqlite3.DatabaseError as error:
            raise self._unread(f"SQLite says: {error}") from None

    def _write(self, entry: Entry, text: str) -> None:
        try:
            self._append(entry, text)
        except sqlite3.Error as error:  # locked past the timeout, read-only, altered tables
            if self._closed:
                raise StoreClosed(self.where) from None
            raise store_failed(self.where, f"SQLite says: {error}") from None

    def _append(self, entry: Entry, text: str) -> None:
        with transaction(self._db, "append"):
            self._check_follows(entry)
            e, decision_id = entry, entry.decision.id  # the columns, in the table's order
            row = (e.seq, e.body, decision_id, e.prev, e.hash, e.schema, text)
            self._db.execute("INSERT INTO govflow_entries VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            self._grow(entry)

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Hold off other writers (SQLite's write lock) until the block ends.

        A registry holds it to catch up and append (``Registry.apply(..., retries=n)``):
        writers queue, not collide. What is appended in the block commits when it ends,
        none of it if it fails (then make the registry that appended in it again: it
        counts what it appended); a hold in a hold is a savepoint of it.

        Raises:
            ReadOnlyStore: The store was opened read-only (StoreClosed: or closed since).
            StoreFailed: Another writer held the lock past the store's ``timeout``, or the
                database refused the commit; nothing in the block was committed.
        """
        if self.read_only or self._closed:
            raise ReadOnlyStore(self.where) if self.read_only else StoreClosed(self.where)
        return held(self._db, self.where)

    def seq_of(self, decision_id: str) -> int | None:
        """The position of the entry recording ``decision_id``, by the decision id's index."""
        if not storable(decision_id):  # no entry can hold it
            return None
        found = self._page("SELECT seq FROM govflow_entries WHERE decision_id = ?", (decision_id,))
        return found[0][0] if found and type(found[0][0]) is int else None

    def _kept(self) -> TableNodes | None:
        return TableNodes(self._nodes, self.where) if self._has_tree else None

    def _nodes(self, name: str, arguments: tuple[object, ...]) -> list[tuple[object, ...]]:
        if name == "some":  # as many parameters as positions
            positions: list[int] = arguments[0]  # type: ignore[assignment]
            marks = ", ".join("?" * len(positions))
            query = f"SELECT pos, hash FROM govflow_tree WHERE pos IN ({marks})"  # noqa: S608
            return self._page(query, tuple(positions))
        return self._page(NODES[name], arguments)

    def _hashes_since(self, seq: int) -> Iterator[object]:
        while True:
            page = self._page(HASHES, (seq, PAGE))
            yield from (digest for _, digest in page)
            if len(page) < PAGE:
                return
            seq = int(page[-1][0]) + 1  # type: ignore[call-overload]  # an INTEGER PRIMARY KEY

    def _grow(self, entry: Entry) -> None:
        """Keep the batch of Merkle nodes the entry ends, in the append's transaction, if any.

        Nodes damaged at rest do not stop the append: the entry is the record, the
        nodes are derived from it (``govflow verify`` names the damage).
        """
        try:
            found = self._appended_nodes(entry)
        except (GovflowError, sqlite3.Error):
            return
        if found is None:  # kept with the batch its leaf ends in
            return
        db = self._db
        db.execute("SAVEPOINT nodes")
        try:
            self._write_nodes(found[0], found[1].made)
        except sqlite3.Error:
            db.execute("ROLLBACK TO nodes")
        db.execute("RELEASE nodes")

    def _keep(self, count: int, start: int, nodes: list[bytes]) -> bool:
        try:  # locked past the timeout, or refused: the nodes are made again next time
            with transaction(self._db, "keep"):
                kept = self._kept()
                # Only for the log as it was read, after nodes that are there.
                done = self._tip()[0] == count and kept is not None and len(kept) >= start
                if done:
                    self._write_nodes(start, nodes)
        except (GovflowError, sqlite3.Error):
            return False
        return done

    def _write_nodes(self, start: int, nodes: list[bytes]) -> None:
        # Nodes kept from ``start`` on are replaced.
        self._db.execute(NODES["drop_nodes"], (start,))
        self._db.executemany(NODES["insert_node"], enumerate(nodes, start))

    def _check_follows(self, entry: Entry) -> None:
        if identity(self._at) != self._file:  # else it would write to no log
            why = "its file was deleted or replaced since it was opened: open it again"
            raise StoreFailed(self.where, why)
        count, last = self._tip()
        head = self._head_of(last)
        if entry.seq != count or entry.prev != head:
            raise AppendConflict(count, head, entry.seq, entry.prev)

    def reload(self) -> None:
        """Nothing to do: every read goes to the database."""

    def _unread(self, says: str) -> GovflowError:
        """The error for a failed read: the store was closed, or is no log."""
        return StoreClosed(self.where) if self._closed else NotALog(self.where, says)

    def close(self) -> None:
        """Close the connection; a read-only store leaves no file it made behind."""
        self._closed = True
        self._db.close()
        if self._unshared and all(p.exists() for p in wal_files(self.path)):
            let_go(self.path)


def _text(raw: bytes) -> str | bytes:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:  # bytes that are no UTF-8 as they are: an entry malformed
        return raw
