"""Transactions on an SQLite log: an append's or a node batch's, and a hold of writers.

An append runs in a ``BEGIN IMMEDIATE`` transaction of its own (:func:`transaction`),
which takes SQLite's write lock at once, so that concurrent writers in several
processes are serialised; inside a hold (:func:`held`, ``SqliteStore.exclusive``) it is
a savepoint of the hold's transaction, committed when the hold ends.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from govflow.stores._said import store_failed


@contextlib.contextmanager
def transaction(db: sqlite3.Connection, name: str) -> Iterator[None]:
    """A ``BEGIN IMMEDIATE`` transaction, or a savepoint ``name`` of the one open.

    Committed (released) when the block ends; rolled back if the block or the commit fails.

    Raises:
        sqlite3.Error: SQLite's, as it said it (the store names it).
    """
    inner = db.in_transaction
    db.execute(f"SAVEPOINT {name}" if inner else "BEGIN IMMEDIATE")
    try:
        yield
        db.execute(f"RELEASE {name}" if inner else "COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # a failed BEGIN leaves nothing to undo
            db.execute(f"ROLLBACK TO {name}" if inner else "ROLLBACK")
            if inner:
                db.execute(f"RELEASE {name}")
        raise


@contextlib.contextmanager
def held(db: sqlite3.Connection, where: str) -> Iterator[None]:
    """Other writers held off until the block ends: one transaction, committed then.

    Raises:
        StoreFailed: Another writer held the lock past the connection's timeout, the
            database may not be written, or it refused the commit; nothing in the
            block was committed.
    """
    try:
        with transaction(db, "hold"):
            yield
    except sqlite3.Error as error:
        raise store_failed(where, f"SQLite says: {error}") from None
