"""A log in PostgreSQL, for applications that run several processes or machines.

Install the extra: ``pip install "govflow[postgres]"`` (psycopg 3, using the system's
libpq) or ``"govflow[postgres-binary]"`` (psycopg's own build of it).

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

An append reads the few Merkle nodes its leaf completes, then runs one statement: a
conditional ``UPDATE`` of the single head row (``WHERE count = <seq> AND hash =
<prev>``) and, only if it moved, the ``INSERT`` of the entry and its nodes. A second
writer blocks on the head row, then finds it moved (:class:`~govflow.AppendConflict`);
no sequence number is used twice, and the head row is held for one round trip.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import parse_qsl, urlsplit

from govflow.errors import (
    AppendConflict,
    BadStoreURL,
    GovflowError,
    InvalidRecord,
    NotALog,
    StoreFailed,
)
from govflow.log.entry import Columns, Entry, genesis
from govflow.stores._base import Store, check_header, header, new_schema, storable
from govflow.stores._postgres_sql import statements
from govflow.stores._tree import TableNodes

if TYPE_CHECKING:
    from psycopg import Connection

#: Rows read in one query when iterating.
PAGE = 2_000
#: The lowest sequence number the seq column can hold.
_BEFORE_ALL = -(2**63)

#: The schema names govflow accepts: plain lower-case identifiers PostgreSQL keeps as
#: written (at most 63 bytes), other than its own schemas (``pg_*``, ``information_schema``).
SCHEMA_NAME = re.compile(r"(?!pg_)(?!information_schema$)[a-z_][a-z0-9_]{0,62}")


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
        NotALog: The server cannot be reached, or holds no govflow log there.
        LifecycleMismatch: The log was written under another lifecycle.
    """

    def __init__(
        self,
        url: str,
        fingerprint: str | None = None,
        *,
        read_only: bool = False,
        schema: int | None = None,
    ) -> None:
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        self._creating = new_schema(schema)
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        namespace = query.pop("govflow_schema", "public")
        if SCHEMA_NAME.fullmatch(namespace) is None:
            raise BadStoreURL(
                url,
                f"govflow_schema={namespace!r} is not a schema name govflow uses: a lower-case "
                "letter or _, then up to 62 of them or digits, not pg_... nor "
                "information_schema",
            )
        #: The PostgreSQL schema (namespace) the tables are in.
        self.namespace = namespace
        self._sql = statements(namespace)
        # The URL as given, less govflow's own parameter (rebuilding it from its parts
        # would lose a socket form's empty host and re-encode the options).
        head, _, raw = url.partition("?")
        kept = "&".join(p for p in raw.split("&") if p and not p.startswith("govflow_schema="))
        address = f"{head}?{kept}" if kept else head
        where = re.sub(r"//([^:@/]*):[^@/]*@", r"//\1:***@", address)  # no password shown
        try:
            self._db = psycopg.connect(address, autocommit=True)
        except psycopg.Error as error:
            raise NotALog(where, f"the server could not be reached ({error})") from None
        self._read_only = read_only
        try:
            if read_only:
                self._db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            recorded, schema = check_header(
                where, self._open(where, None if read_only else fingerprint), fingerprint
            )
        except psycopg.Error as error:
            self._db.close()
            raise NotALog(where, f"PostgreSQL says: {error}") from None
        except Exception:
            self._db.close()
            raise
        super().__init__(where, recorded, schema, read_only=read_only)

    def _open(self, where: str, fingerprint: str | None) -> object:
        q = self._sql
        with self._db.transaction():
            # One creator at a time: concurrent first opens would race on CREATE TABLE.
            self._db.execute(
                "SELECT pg_advisory_xact_lock(hashtext('govflow:' || %s))", (self.namespace,)
            )
            exists = self._db.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                "AND table_name = 'govflow_meta'",
                (self.namespace,),
            ).fetchone()
            if exists is None:
                if fingerprint is None:
                    raise NotALog(where, f"schema {self.namespace!r} holds no govflow log")
                for name in (
                    "create_schema",
                    "create_meta",
                    "create_head",
                    "create_entries",
                    "body_index",
                    "create_tree",
                ):
                    self._db.execute(q[name])
                self._db.execute(
                    q["insert_header"],
                    (json.dumps(header(fingerprint, self._creating), sort_keys=True),),
                )
                self._db.execute(q["insert_head"], (genesis(fingerprint, self._creating),))
            elif not self._read_only and _missing_index(self._db, self.namespace):
                self._db.execute(q["body_index"])  # a log written before the index was kept
            if not self._read_only:
                self._db.execute(q["create_tree"])  # its Merkle nodes, filled when first needed
            self._has_tree = _has_table(self._db, self.namespace, "govflow_tree")
            row = self._db.execute(q["header"]).fetchone()
        try:
            return None if row is None else json.loads(row[0])
        except (ValueError, RecursionError, TypeError):  # not JSON text, or beyond its limits
            return None

    def _tip(self) -> tuple[int, str | None]:
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        try:
            return self._read_tip()
        except psycopg.Error as error:
            raise NotALog(self.where, f"PostgreSQL says: {error}") from None

    def _read_tip(self) -> tuple[int, str | None]:
        row = self._db.execute(self._sql["tip"]).fetchone()
        if row is None or row[0] == 0:
            return 0, None
        count, seqs = int(row[0]), list(row[2] or ())
        # The head row and the last seqs agree unless one was altered at rest: then
        # count the rows, never trust either (a count of 2**62 would be believed).
        if seqs[:1] != [count - 1] or (len(seqs) > 1 and seqs[1] != count - 2):
            found = self._db.execute(self._sql["count"]).fetchone()
            count = 0 if found is None else int(found[0])
        return count, str(row[1])

    def _rows(self) -> Iterator[str]:
        return (str(content) for content, _ in self._indexed())

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
            self._append(entry, text)
        except psycopg.Error as error:  # the connection lost, a read-only session, ...
            raise StoreFailed(self.where, f"PostgreSQL says: {error}") from None

    def _append(self, entry: Entry, text: str) -> None:
        values = {
            "seq": entry.seq,
            "body": entry.body,
            "id": entry.decision.id,
            "prev": entry.prev,
            "hash": entry.hash,
            "schema": entry.schema,
            "content": text,
        }
        # The nodes are read before the head row is taken: if it then moves, the nodes
        # were those of the log the entry follows (they are derived from its entries).
        try:
            start, nodes, in_step = self._appended_nodes(entry)
        except (NotALog, InvalidRecord):  # unreadable: the entry is kept without them
            moved = self._db.execute(self._sql["append_entry"], values).fetchone()
        else:
            if not in_step:  # nodes behind the log: those from ``start`` are replaced
                self._append_replacing(entry, tuple(values.values()), start, nodes)
                return
            # The usual case, one statement (two round trips fewer than a transaction of
            # four): the head moves, the entry and its few nodes go in, and it commits.
            values.update(positions=list(range(start, start + len(nodes))), nodes=nodes)
            moved = self._db.execute(self._sql["append"], values).fetchone()
        if moved is None or moved[0] != 1:  # the head had moved on: nothing was written
            self._conflict(entry)

    def _append_replacing(
        self, entry: Entry, row: tuple[object, ...], start: int, nodes: list[bytes]
    ) -> None:
        with self._transaction():
            moved = self._db.execute(self._sql["move_head"], (entry.hash, entry.seq, entry.prev))
            if moved.rowcount != 1:
                self._conflict(entry)
            self._db.execute(self._sql["insert_entry"], row)
            self._write_nodes(start, nodes)

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
            return self._db.execute(self._sql[name], arguments).fetchall()
        except psycopg.Error as error:
            raise NotALog(self.where, f"PostgreSQL says: {error}") from None

    def _hashes_since(self, seq: int) -> Iterator[object]:
        while True:
            page = self._query("hashes", (seq, PAGE))
            yield from (digest for _, digest in page)
            if len(page) < PAGE:
                return
            seq = page[-1][0] + 1

    def _keep(self, count: int, start: int, nodes: list[bytes]) -> bool:
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

        # A failure is not the log's: the nodes are made again next time.
        with contextlib.suppress(psycopg.Error, GovflowError), self._transaction():
            head = self._db.execute(self._sql["lock_head"]).fetchone()  # appends wait
            kept = self._kept()  # only for the log as read, after nodes that are there:
            if head == (count,) and kept is not None and len(kept) >= start:
                self._write_nodes(start, nodes)
                return True
        return False

    def _write_nodes(self, start: int, nodes: list[bytes], *, clear: bool = True) -> None:
        if clear:  # nodes kept from ``start`` on are replaced
            self._db.execute(self._sql["drop_nodes"], (start,))
        with self._db.cursor() as cursor:
            cursor.executemany(self._sql["insert_node"], list(enumerate(nodes, start)))

    def _transaction(self) -> contextlib.AbstractContextManager[object]:
        """A transaction, or, inside one already (``exclusive``), that one: no savepoint."""
        from psycopg import pq  # noqa: PLC0415 - an optional extra, imported only when used

        if self._db.info.transaction_status == pq.TransactionStatus.INTRANS:
            return contextlib.nullcontext()
        return self._db.transaction()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold off other writers (a lock on the head row) until the block ends.

        A registry holds it while it catches up and appends after a conflict
        (``Registry.apply(..., retries=n)``), so that writers queue rather than collide;
        what is appended in the block commits when it ends, and none of it if the block
        fails. Held around a registry's applies, it makes them provisional: if the block
        fails, make the registry again. A hold inside a hold is a savepoint of it.

        Raises:
            StoreFailed: The database failed; nothing in the block was committed.
        """
        import psycopg  # noqa: PLC0415 - an optional extra, imported only when used
        from psycopg import pq  # noqa: PLC0415

        def rollback() -> None:
            with contextlib.suppress(psycopg.Error):
                self._db.execute("ROLLBACK")

        def failed(error: psycopg.Error | str) -> StoreFailed:
            rollback()
            return StoreFailed(self.where, f"PostgreSQL says: {error}")

        if self._db.info.transaction_status == pq.TransactionStatus.INTRANS:
            # Inside a hold already: a savepoint, so that a failure undoes this block
            # alone and the outer one keeps its lock and what it appended.
            try:
                with self._db.transaction():
                    yield
            except psycopg.Error as error:
                raise StoreFailed(self.where, f"PostgreSQL says: {error}") from None
            return
        try:
            # BEGIN and the lock in one round trip (psycopg's ``transaction()`` sends BEGIN
            # alone): writers queued behind this one wait for each one made under the lock.
            self._db.execute(self._sql["begin_locked"])
            yield
        except psycopg.Error as error:
            raise failed(error) from None
        except BaseException:  # an interrupt while queued for the lock, too
            rollback()
            raise
        if self._db.info.transaction_status == pq.TransactionStatus.INERROR:
            # A statement failed unraised: COMMIT would roll back, the append seeming made.
            raise failed("a statement in the transaction failed; nothing was committed")
        try:
            self._db.execute("COMMIT")
        except psycopg.Error as error:
            raise failed(error) from None

    def reload(self) -> None:
        """Nothing to do: every read goes to the database."""

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _has_table(db: Connection[Any], namespace: str, table: str) -> bool:
    row = db.execute("SELECT to_regclass(%s)", (f'"{namespace}".{table}',)).fetchone()
    return row is not None and row[0] is not None


def _missing_index(db: Connection[Any], namespace: str) -> bool:
    row = db.execute("SELECT to_regclass(%s)", (f'"{namespace}".govflow_entries_body',)).fetchone()
    return row is None or row[0] is None
