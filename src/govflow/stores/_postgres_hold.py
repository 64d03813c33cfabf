"""Holding off a PostgreSQL log's other writers: a block held, an append made or placed held.

Each takes the lock on the log's single head row, which every append needs: writers
queue behind the holder, and readers carry on. The Merkle nodes of a batch of leaves
are kept after the append that ends it (``keep_batch``), under a lock of node writers
alone. After a failure or an interrupt, the
connection is made usable again (``recovered``: rolled back, or replaced once its server
process has ended), and the entries an append was followed by are handed over unread
(``taken``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from govflow.errors import GovflowError, StoreFailed
from govflow.log.entry import Columns, Entry, Stored, parsed
from govflow.log.merkle import node_count, position
from govflow.stores._postgres_sql import NEWS
from govflow.stores._tree import batch_of, following, peaks

if TYPE_CHECKING:
    from psycopg import Connection

    from govflow.log.entry import Entry
    from govflow.log.placing import Chainable


@contextlib.contextmanager
def held(db: Connection[Any], sql: dict[str, bytes], where: str) -> Iterator[None]:
    """Hold the head row until the block ends; commit what it did, or none of it if it fails.

    Inside a hold already, the block is a savepoint of it: a failure undoes it alone.

    Raises:
        StoreFailed: The database failed; nothing in the block was committed.
    """
    import psycopg  # noqa: PLC0415 - an optional extra, imported only when used
    from psycopg import pq  # noqa: PLC0415

    def failed(error: psycopg.Error | str) -> StoreFailed:
        _rollback(db)
        return StoreFailed(where, f"PostgreSQL says: {error}")

    if db.info.transaction_status == pq.TransactionStatus.INTRANS:
        try:
            with db.transaction():
                yield
        except psycopg.Error as error:
            raise StoreFailed(where, f"PostgreSQL says: {error}") from None
        return
    try:
        # BEGIN and the lock in one round trip (psycopg's ``transaction()`` sends BEGIN
        # alone): writers queued behind this one wait for each one made under the lock.
        db.execute(sql["begin_locked"])
        yield
    except psycopg.Error as error:
        raise failed(error) from None
    except BaseException:  # an interrupt while queued for the lock, too
        _rollback(db)
        raise
    if db.info.transaction_status == pq.TransactionStatus.INERROR:
        # A statement failed unraised: COMMIT would roll back, the append seeming made.
        raise failed("a statement in the transaction failed; nothing was committed")
    try:
        db.execute(b"COMMIT")
    except psycopg.Error as error:
        raise failed(error) from None


def append_held(
    db: Connection[Any],
    sql: dict[str, bytes],
    where: str,
    asked: dict[str, object],
    making: tuple[
        Callable[[int, str], tuple[Entry, str]],
        Callable[[Entry, str], tuple[bytes, dict[str, object]]],
        list[Entry],
    ],
) -> tuple[Entry, tuple[Any, ...] | None, list[tuple[Any, ...]] | None] | None:
    """Under the head row's lock, ask ``ahead`` (with ``asked``); if clear, append and commit.

    ``making`` is ``(make, statement, tried)``: the entry and its text are
    ``make(count, head)``, appended by ``statement(entry, text)``, and put in ``tried``
    once made (what a failure may have left in the log).

    Returns:
        ``None`` (nothing done) when ``ahead`` is not clear; else the entry, the append
        statement's row, and the first page of entries from ``asked["seen"]`` on, read
        after the commit (``None`` if that read failed: the entry is in all the same).

    Raises:
        StoreFailed: The database failed; nothing was committed.
        Exception: What ``make`` raised; nothing was committed.
    """
    import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

    # Where libpq can (14 on), statements go without waiting for each result: the lock
    # and the look at the head come back in one round trip, and the append, COMMIT and
    # the read of the new entries in one more. The head row is held for the first,
    # ``make`` and the append; with 4 writers on distinct bodies, 1.5 times the appends
    # a second of a hold that catches up first (``benchmarks/writers.py``).
    pipelined = psycopg.Pipeline.is_supported()
    committed = None
    try:
        with db.pipeline() if pipelined else contextlib.nullcontext():
            if pipelined:
                db.execute(b"BEGIN")
                db.execute(sql["lock_head"])  # its result read with the next one's
            else:
                db.execute(sql["begin_locked"])
            row = db.execute(sql["ahead"], asked).fetchone()
            if row is None or row[2] is not True:
                db.execute(b"ROLLBACK")
                return None
            make, statement, tried = making
            made, text = make(int(row[0]), str(row[1]))
            tried.append(made)
            appended = db.execute(*statement(made, text))
            moved = None if pipelined else appended.fetchone()
            committed = db.execute(b"COMMIT")
            news = db.execute(sql["after"], (asked["seen"], NEWS))
        if pipelined:  # its row came with COMMIT's
            moved = appended.fetchone()
        return made, moved, news.fetchall()
    except psycopg.Error as error:
        if committed is not None and committed.statusmessage == "COMMIT":
            # Only the read of the new entries failed: the entry is in, unread.
            return made, appended.fetchone() if pipelined else moved, None
        _rollback(db)
        raise StoreFailed(where, f"PostgreSQL says: {error}") from None
    except BaseException:  # what make raised, an interrupt while queued for the lock
        _rollback(db)
        raise


def append_chained(
    db: Connection[Any],
    sql: dict[str, bytes],
    where: str,
    asked: dict[str, object],
    ready: tuple[Entry, Chainable],
) -> tuple[Entry, tuple[Any, ...] | None, list[tuple[Any, ...]] | None] | None:
    """Under the head row's lock, append the entry the server places (``append_chained``).

    ``ready`` is the entry made at ``asked["seen"]``, and its text cut where its seq and
    prev go. The lock, the append and the read of the entries from ``asked["seen"]`` on
    go together: where libpq pipelines (14 on), in one round trip and one transaction,
    which the pipeline's closing Sync commits (none of the three is kept if one fails);
    before that, as a transaction of their own with BEGIN and COMMIT. The head row is
    held for the append, that read (of at most ``NEWS`` rows: the rest are read after,
    as they are taken) and the commit, never across a round trip to the client.

    Returns:
        ``None`` (nothing appended) when the log is not as ``asked`` needs; else the
        entry as placed, the append's row as ``append`` gives it, and the first page of
        entries from ``asked["seen"]`` on, it among them (``None`` if that read failed
        after the commit, where libpq does not pipeline: the entry is in all the same).

    Raises:
        StoreFailed: The database failed; nothing was committed.
    """
    import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

    entry, parts = ready
    values = {**asked, **parts._asdict(), "schema": entry.schema}
    after = (asked["seen"], NEWS)
    committed, news = None, None
    try:
        if psycopg.Pipeline.is_supported():
            # No BEGIN: statements sent before one Sync are one transaction, committed by
            # it. Three statements where BEGIN and COMMIT made five: one writer's own CPU
            # 335 µs an append against 385, the server's 405 against 415.
            with db.pipeline():
                db.execute(sql["lock_head"])
                appended = db.execute(sql["append_chained"], values)
                news = db.execute(sql["after"], after)
        else:
            db.execute(sql["begin_locked"])
            appended = db.execute(sql["append_chained"], values)
            committed = db.execute(b"COMMIT")
            news = db.execute(sql["after"], after)
    except psycopg.Error as error:
        if committed is None or committed.statusmessage != "COMMIT":
            _rollback(db)
            raise StoreFailed(where, f"PostgreSQL says: {error}") from None
        news = None  # only the read of the new entries failed: the entry is in, unread
    except BaseException:  # an interrupt while queued for the lock
        _rollback(db)
        raise
    row = appended.fetchone()
    if row is None:  # something since bears on it, or the log is not as it was read
        return None
    placed = attrs.evolve(entry, seq=int(row[0]), prev=str(row[1]), hash=str(row[2]))
    return placed, (1,), None if news is None else news.fetchall()


def taken(
    page: list[tuple[Any, ...]],
    seen: int,
    made: Entry,
    rest: Callable[[int], Iterator[tuple[object, Columns | None]]],
) -> list[Entry | Stored]:
    """The entries read with an append (from ``seen`` on) as stored, but ``made``: the one appended.

    Its row is not parsed again if its seq and hash are ``made``'s (taking it in verifies
    its hash all the same); a row altered under it is handed over like the others. If
    ``NEWS`` came with the append, the rest are read now (``rest(start)``), as far as
    they can be.
    """
    rows: list[tuple[object, Columns | None]]
    rows = [(content, Columns(*columns)) for *columns, content in page]
    if len(page) == NEWS:
        with contextlib.suppress(GovflowError):  # the entry is in: what was read is taken
            rows.extend(rest(seen + NEWS))
    mine = Columns(made.seq, made.body, made.decision.id, made.prev, made.hash, made.schema)
    return [made if c == mine else next(parsed([(content, c)])) for content, c in rows]


def settle(db: Connection[Any]) -> bool | None:
    """Leave ``db`` idle after a failure, if it can be.

    Returns:
        ``False`` if it was in a transaction, now rolled back (nothing it did is
        committed); ``True`` if it was idle (what it did may be committed); ``None`` if
        it cannot be used again (closed, or left inside a pipeline or a statement).
    """
    import psycopg  # noqa: PLC0415 - an optional extra, imported only when used
    from psycopg import pq  # noqa: PLC0415

    if db.closed or db.pgconn.pipeline_status != pq.PipelineStatus.OFF:
        return None
    status = db.info.transaction_status
    if status == pq.TransactionStatus.IDLE:
        return True
    if status not in (pq.TransactionStatus.INTRANS, pq.TransactionStatus.INERROR):
        return None
    try:
        db.execute(b"ROLLBACK")
    except psycopg.Error:
        return None
    return False if db.info.transaction_status == pq.TransactionStatus.IDLE else None


def unusable(db: Connection[Any]) -> bool:
    """Whether ``db`` is closed, or left with a command under way by a call that failed.

    The server ending its process mid-pipeline can leave libpq busy without psycopg
    marking the connection closed: every later statement would fail with "another
    command is already in progress".
    """
    from psycopg import pq  # noqa: PLC0415 - an optional extra, imported only when used

    return db.closed or db.pgconn.transaction_status == pq.TransactionStatus.ACTIVE


def replaced(db: Connection[Any], address: str, *, read_only: bool) -> Connection[Any]:
    """A new connection in place of ``db``, once ``db``'s server process has ended.

    Closing ``db`` ends its transaction, unless its COMMIT was under way: the server
    process is waited for (5 seconds, then ended, 5 more), so that what it committed is
    there to be seen on the new connection, and nothing more comes of it.

    Raises:
        psycopg.Error: The server could not be reached.
    """
    import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

    pid = None  # closed already (by psycopg, after a fatal error): its process is ending
    with contextlib.suppress(psycopg.Error):
        pid = db.info.backend_pid
        db.close()
    new = psycopg.connect(address, autocommit=True, client_encoding="UTF8")
    if read_only:  # as the store was opened
        new.execute(b"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    alive = b"SELECT 1 FROM pg_stat_activity WHERE pid = %s AND pid <> pg_backend_pid()"
    try:
        for attempt in range(200 if pid is not None else 0):
            if new.execute(alive, (pid,)).fetchone() is None:
                break
            if attempt == 100:  # noqa: PLR2004 - after 5 seconds
                new.execute(b"SELECT pg_terminate_backend(%s)", (pid,))
            time.sleep(0.05)
    except BaseException:  # a second interrupt, the server gone: no connection left open
        new.close()
        raise
    return new


def recovered(
    db: Connection[Any], address: str, *, read_only: bool
) -> tuple[Connection[Any], bool]:
    """A usable connection after a failed append or hold, and whether it may have committed.

    Returns:
        ``db`` or a new connection (:func:`replaced`), and ``False`` if what failed was
        rolled back (nothing it did is committed), else ``True``.

    Raises:
        psycopg.Error: The server could not be reached for a new connection.
    """
    idle = settle(db)
    if idle is None:  # left in a pipeline or a statement: a new connection
        return replaced(db, address, read_only=read_only), True
    return db, idle


def keep_batch(db: Connection[Any], sql: dict[str, bytes], where: str, ends: int) -> bool:
    """Keep the Merkle nodes of the batch of leaves entry ``ends - 1`` ends, in two round trips.

    One reads what they are made of (how many nodes are kept, those the batch completes,
    and the entries' hashes); the other, a transaction holding off other node writers
    (not appends), inserts them if the nodes kept still end where the batch starts. It
    commits without waiting for the disk: a crash loses nothing a read cannot make again.

    Returns:
        Whether the nodes kept were in step with the batch (else ``tree()`` catches up).

    Raises:
        StoreFailed: The database failed (nothing kept).
        InvalidRecord: An entry's hash is not one.
    """
    import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

    if not psycopg.Pipeline.is_supported():  # libpq before 14: tree() keeps them
        return False
    first = batch_of(ends - 1)
    start, low = node_count(first), max(first - 1, 0)
    wanted = [position(0, first - 1), *peaks(first)] if first else []
    try:
        with db.pipeline():
            kept = db.execute(sql["node_count"])
            nodes = db.execute(sql["some"], (wanted,))
            rows = db.execute(sql["hashes"], (low, ends - low))
        listed = rows.fetchall()
        if kept.fetchone() != (start,) or [seq for seq, _ in listed] != list(range(low, ends)):
            return False
        kept_nodes = nodes.fetchall()  # a node not 32 bytes reads as missing
        found = {at: n for at, n in kept_nodes if type(n) is bytes and len(n) == 32}  # noqa: PLR2004
        made = following(first, found, [digest for _, digest in listed])
        if made is None:
            return False
        with db.pipeline():
            db.execute(b"BEGIN")
            db.execute(b"SET LOCAL synchronous_commit = off")
            db.execute(sql["lock_nodes"])
            at = list(range(start, start + len(made)))
            db.execute(sql["insert_nodes"], {"start": start, "at": at, "nodes": made})
            db.execute(b"COMMIT")
    except psycopg.Error as error:
        _rollback(db)
        raise StoreFailed(where, f"PostgreSQL says: {error}") from None
    except BaseException:  # an interrupt while queued for the node writers' lock, too
        _rollback(db)
        raise
    return True


def _rollback(db: Connection[Any]) -> None:
    import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

    with contextlib.suppress(psycopg.Error):
        db.execute(b"ROLLBACK")
