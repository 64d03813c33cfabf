"""A log in PostgreSQL, for applications that run several processes or machines.

Install the extra: ``pip install "govflow[postgres]"`` (psycopg 3, using the system's
libpq) or ``"govflow[postgres-binary]"`` (psycopg's own build of it). The server must be
PostgreSQL 11 or later (a placed append hashes the entry with its ``sha256()``).

Schema (created on first use, in the PostgreSQL schema named by ``schema``)::

    CREATE TABLE govflow_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE govflow_head (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        count BIGINT NOT NULL,              -- how many entries
        hash  TEXT NOT NULL                 -- the hash the next entry links to
    );
    CREATE TABLE govflow_entries (
        seq         BIGINT PRIMARY KEY,
        body        TEXT NOT NULL,
        decision_id TEXT NOT NULL UNIQUE,
        prev        TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE,
        schema      INTEGER NOT NULL,
        content     TEXT NOT NULL           -- the entry's canonical JSON, hash included
    );
    CREATE TABLE govflow_tree (             -- the Merkle tree's nodes (govflow.log.merkle)
        pos  BIGINT PRIMARY KEY,            -- position(height, index): post-order
        hash BYTEA NOT NULL                 -- 32 bytes
    );

An append is one statement: a conditional ``UPDATE`` of the single head row (``WHERE
count = <seq> AND hash = <prev>``) and, only if it moved, the ``INSERT`` of the entry
(the append whose leaf ends a batch of 64 then keeps the batch's Merkle nodes, holding
off other node writers only). A second writer blocks on the head row, then finds it
moved (``AppendConflict``); no seq is used twice, and the head row is held for one round
trip. ``Registry.apply(..., retries=n)`` appends while the store holds off writers instead
(:meth:`PostgresStore.append_after`, and :meth:`PostgresStore.exclusive` when it must
catch up first): writers queue rather than collide. A decision that only adds a fact is
then placed by the server after the head as it finds it (it fills in the entry's seq and
prev and hashes it, in a UTF-8 database), so the head row is held for that statement, a
read of a few rows and the commit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from govflow.errors import (
    AppendConflict,
    GovflowError,
    NotALog,
    ReadOnlyStore,
    StoreClosed,
    StoreFailed,
)
from govflow.log.entry import Columns, Entry, Stored, parsed, strictly
from govflow.log.merkle import node_count
from govflow.log.placing import chainable
from govflow.stores._base import Store
from govflow.stores._header import check_header, new_schema
from govflow.stores._paths import storable
from govflow.stores._postgres_hold import (
    append_chained,
    append_held,
    held,
    keep_batch,
    recovered,
    taken,
    unusable,
)
from govflow.stores._postgres_sql import (
    PAGE,
    SCHEMA_NAME,  # noqa: F401 - public: what govflow_schema may be
    append_values,
    connect,
    driver,
    located,
    opened,
    statements,
    tip,
)
from govflow.stores._tree import TableNodes, batches, worth_keeping

#: The lowest sequence number the seq column can hold.
_BEFORE_ALL = -(2**63)


class PostgresStore(Store):
    """A log in a PostgreSQL database.

    Args:
        url: A libpq URL (``postgresql://user@host:port/db``). A ``govflow_schema``
            query parameter names the PostgreSQL schema to keep the tables in
            (``public`` by default; see :data:`SCHEMA_NAME`).
        fingerprint: The lifecycle fingerprint: needed to create the log, and checked
            against the stored header when given for an existing one.

    ``schema`` is the entry schema a new log is created with (``None``: this release's).

    Raises:
        BadStoreURL: ``govflow_schema`` is not a name :data:`SCHEMA_NAME` accepts.
        StoreFailed: The server cannot be reached.
        NotALog: The server holds no govflow log there, or refused to read it.
        LifecycleMismatch: The log was written under another lifecycle.
        MissingExtra: psycopg is not installed (the ``postgres`` extra).
    """

    def __init__(
        self,
        url: str,
        fingerprint: str | None = None,
        *,
        read_only: bool = False,
        schema: int | None = None,
    ) -> None:
        driver()  # MissingExtra, not ModuleNotFoundError, without the extra
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        self._creating = new_schema(schema, fingerprint, "PostgresStore", read_only=read_only)
        namespace, address, where = located(url)
        #: The PostgreSQL schema (namespace) the tables are in.
        self.namespace = namespace
        self._db, self._address = connect(address, where), address
        # Each statement made into bytes once: psycopg would compose it on every run.
        self._sql = {name: q.as_bytes(self._db) for name, q in statements(namespace).items()}
        self._read_only, self._closed, self._holds = read_only, False, 0
        try:
            if read_only:
                self._db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            found, self._has_tree = opened(
                self._db,
                self._sql,
                namespace,
                where,
                None if read_only else fingerprint,
                self._creating,
                read_only=read_only,
            )
            recorded, schema = check_header(where, found, fingerprint)
            # An append the server places is hashed there: the same UTF-8 as here.
            server = self._db.info.parameter_status("server_encoding")
            self._chains = server == "UTF8" and self._db.info.encoding == "utf-8"
        except psycopg.Error as error:
            self._db.close()
            raise NotALog(where, f"PostgreSQL says: {error}") from None
        except Exception:
            self._db.close()
            raise
        super().__init__(where, recorded, schema, read_only=read_only)

    def _tip(self) -> tuple[int, str | None]:
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        try:
            self._usable()
            return tip(self._db, self._sql)
        except psycopg.Error as error:
            raise self._unread(error) from None

    def _rows(self) -> Iterator[str | bytes]:
        return (c if isinstance(c, str | bytes) else str(c) for c, _ in self._indexed())

    def _indexed(self) -> Iterator[tuple[object, Columns | None]]:
        return self._paged("after", (), _BEFORE_ALL)

    def _indexed_since(self, seq: int) -> Iterator[tuple[object, Columns | None]]:
        return self._paged("after", (), seq)

    def _indexed_at(self, seq: int) -> Iterator[tuple[object, Columns | None]]:
        return (
            (content, Columns(*columns)) for *columns, content in self._query("after", (seq, 1))
        )

    def _indexed_of(self, body: str) -> Iterator[tuple[object, Columns | None]]:
        return self._paged("of_body_after", (body,), _BEFORE_ALL)

    def _paged(
        self, query: str, arguments: tuple[object, ...], after: int
    ) -> Iterator[tuple[object, Columns | None]]:
        # Page by page, each read by one statement (a transaction of its own) that ends
        # before a row is handed out: an iterator left open holds no transaction, so an
        # append made meanwhile on this connection commits on its own, and iterators may
        # interleave.
        while True:
            page = self._query(query, (*arguments, after, PAGE))
            for *columns, content in page:
                yield content, Columns(*columns)
            if len(page) < PAGE:
                return
            if page[-1][0] >= 2**63 - 1:  # the highest seq a database holds
                return
            after = page[-1][0] + 1

    def _write(self, entry: Entry, text: str) -> None:
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        try:
            self._usable()
            self._append(entry, text)
        except psycopg.Error as error:  # the connection lost, a read-only session, ...
            if self._closed:
                raise StoreClosed(self.where) from None
            raise StoreFailed(self.where, f"PostgreSQL says: {error}") from None

    def _append(self, entry: Entry, text: str) -> None:  # its own transaction, or exclusive's
        self._appended(entry, self._db.execute(*self._statement(entry, text)).fetchone())

    def _statement(self, entry: Entry, text: str) -> tuple[bytes, dict[str, object]]:  # one append
        return self._sql["append"], append_values(entry, text)

    def _appended(self, entry: Entry, moved: tuple[Any, ...] | None) -> None:
        """Check an append statement's row (the head moved); keep a batch of nodes it ends."""
        if moved is None or moved[0] != 1:  # the head had moved on: nothing was written
            self._conflict(entry)
        if self._has_tree and batches(entry.seq + 1) > batches(entry.seq):
            with contextlib.suppress(GovflowError):  # the entry is in, whatever becomes of them
                holding = self._in_transaction()  # then kept in a savepoint of the hold
                behind = holding or not keep_batch(self._db, self._sql, self.where, entry.seq + 1)
                if behind and worth_keeping(self._kept(), *self._tip(), self._hashes_since):
                    self.tree()  # not in step: caught up

    def append_after(
        self,
        seen: tuple[int, str],
        body: str,
        decision_id: str,
        make: Callable[[int, str], tuple[Entry, str]],
        ready: tuple[Entry, str] | None = None,
    ) -> tuple[Entry, list[Entry | Stored]] | None:
        """Append the entry ``make(seq, prev)`` gives, and its text, holding off other writers.

        For a registry that has read ``seen[0]`` entries (the last ``seen[1]``): made and
        committed under the head row's lock if no entry since is about ``body`` or records
        ``decision_id`` and no hold is open here, else ``None``: catch up under
        :meth:`exclusive`. ``ready`` (``make(*seen)``), if it rests on the body alone
        (:func:`~govflow.log.placing.chainable`), is placed by the server after the head as
        it is then, in one round trip; else ``make`` is called under the hold.

        Returns:
            The entry, and the entries from ``seen[0]`` on as read after the commit (it
            among them), the others as stored (none, if that read failed).

        Raises:
            AppendConflict: The head moved under the hold (never, unless altered at rest).
            StoreFailed: The database failed; nothing was committed (else it is returned).
            ReadOnlyStore: The store was opened read-only.
            BaseException: What ``make`` raised, an interrupt (the entry may be in, if it
                came at the commit); the connection is made usable again either way.
        """
        if self.read_only or self._closed:
            raise ReadOnlyStore(self.where) if self.read_only else StoreClosed(self.where)
        if self._in_transaction():  # inside a hold: its own transaction would end it
            return None
        count, last = seen
        asked = {"seen": count, "seen_hash": last, "body": body, "id": decision_id}
        parts = None if ready is None or not self._chains else chainable(*ready)
        tried: list[Entry] = []  # the entry sent, if one was
        try:
            if ready is not None and parts is not None:
                tried.append(ready[0])
                done = append_chained(self._db, self._sql, self.where, asked, (ready[0], parts))
            else:
                making = (make, self._statement, tried)
                done = append_held(self._db, self._sql, self.where, asked, making)
        except BaseException as error:  # a failure, an interrupt: what became of the entry?
            seq = self._recovered(decision_id if tried else None)
            if seq is None or not isinstance(error, StoreFailed):
                raise
            # The database failed once the entry was in: it is in, returned as read back.
            found = next(strictly(parsed(self._indexed_at(seq)), seq), None)
            if found is None or found.decision != tried[-1].decision:  # another's, same id
                raise
            return found, []
        if done is None:
            return None
        made, moved, page = done
        if page is None:  # the entries could not be read after the commit: it is in
            self._recovered(None)
            return made, []
        self._appended(made, moved)
        return made, taken(page, count, made, lambda start: self._paged("after", (), start))

    def _conflict(self, entry: Entry) -> NoReturn:
        count, last = self._tip()
        raise AppendConflict(count, self._head_of(last), entry.seq, entry.prev)

    def seq_of(self, decision_id: str) -> int | None:
        """The position of the entry recording ``decision_id``, by the decision id's index."""
        if not storable(decision_id):  # no entry can hold it
            return None
        found = self._query("seq_of", (decision_id,))
        return int(found[0][0]) if found else None

    def _kept(self) -> TableNodes | None:
        return TableNodes(self._query, self.where) if self._has_tree else None

    def _query(self, name: str, arguments: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """The rows of one statement: a transaction of its own, or part of ``exclusive``'s."""
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        try:
            self._usable()
            return self._db.execute(self._sql[name], arguments).fetchall()
        except psycopg.Error as error:
            raise self._unread(error) from None

    def _hashes_since(self, seq: int) -> Iterator[object]:
        while True:
            page = self._query("hashes", (seq, PAGE))
            yield from (digest for _, digest in page)
            if len(page) < PAGE:
                return
            seq = page[-1][0] + 1

    def _keep(self, count: int, start: int, nodes: list[bytes]) -> bool:
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        own = not self._in_transaction()  # a failure is not the log's: made again next time
        with contextlib.suppress(psycopg.Error, GovflowError), self._db.transaction():
            if own:  # derived data: a crash loses nothing a read cannot make again
                self._db.execute(b"SET LOCAL synchronous_commit = off")
            self._db.execute(self._sql["lock_nodes"])  # node writers wait, appends go on
            now, kept = self._tip()[0], len(self._kept() or ())
            if now < count or kept < start:  # their entries, or the nodes before, are gone
                return False
            if start + len(nodes) <= kept <= node_count(now) and (start or kept > len(nodes)):
                return bool(start)  # another writer kept as many or more: a rebuild again
            self._db.execute(self._sql["drop_nodes"], (start,))  # replaced from start on
            with self._db.cursor() as cursor:
                cursor.executemany(self._sql["insert_node"], list(enumerate(nodes, start)))
            return True
        return False

    def _in_transaction(self) -> bool:
        """Whether a transaction is open here (a connection lost is replaced first)."""
        self._usable()
        return self._db.info.transaction_status.name not in ("IDLE", "UNKNOWN")

    def _usable(self) -> None:
        # A connection lost or left busy is replaced; not in a hold: what follows is outside it.
        if not self._closed and not self._holds and unusable(self._db):
            self._recovered(None)

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Hold off other writers (a lock on the head row) until the block ends.

        A registry holds it to catch up and append (``Registry.apply(..., retries=n)``):
        writers queue, not collide. What is appended in the block commits when it ends,
        none of it if it fails (then make the registry again); a hold in a hold is a
        savepoint of it.

        Raises:
            StoreFailed: The database failed; nothing in the block was committed.
        """
        if self._closed:
            raise StoreClosed(self.where)
        return self._held()

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        outermost = not self._in_transaction()
        try:
            self._holds += 1
            with held(self._db, self._sql, self.where):
                yield
        except BaseException:
            if outermost:  # an interrupt at its COMMIT too: no transaction left open
                self._recovered(None)
            raise
        finally:
            self._holds -= 1

    def _recovered(self, decision_id: str | None) -> int | None:
        """A usable connection after a failure; the seq of ``decision_id``'s entry if it is in."""
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        try:
            self._db, maybe = recovered(self._db, self._address, read_only=self.read_only)
            return self.seq_of(decision_id) if maybe and decision_id is not None else None
        except (psycopg.Error, GovflowError):  # the server is gone: the failure stands
            return None

    def reload(self) -> None:
        """Nothing to do: every read goes to the database."""

    def _unread(self, error: Exception) -> GovflowError:
        """The error for a failed read: the store was closed, lost or refused, or is no log."""
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        if self._closed:
            return StoreClosed(self.where)
        lost = isinstance(error, psycopg.OperationalError)  # not the log's fault
        return (StoreFailed if lost else NotALog)(self.where, f"PostgreSQL says: {error}")

    def close(self) -> None:
        """Close the connection."""
        self._closed = True
        self._db.close()
