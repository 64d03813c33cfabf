"""The statements an SQLite store runs, and the tables they make (see ``stores/sqlite``)."""

from __future__ import annotations

from govflow.stores._tree import node_statements

#: An entry's columns, ``content`` last, as the store reads them.
COLUMNS = "SELECT seq, body, decision_id, prev, hash, schema, content FROM govflow_entries"
#: A page of entries from a sequence number on; ``OF_BODY_AFTER``: of one body.
AFTER = COLUMNS + " WHERE seq >= ? ORDER BY seq LIMIT ?"
OF_BODY_AFTER = COLUMNS + " WHERE body = ? AND seq >= ? ORDER BY seq LIMIT ?"
#: The lowest sequence number a database can hold (even one altered at rest).
BEFORE_ALL = -(2**63)

#: The tables every store has had since the first release.
SCHEMA = """
CREATE TABLE IF NOT EXISTS govflow_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS govflow_entries (
    seq INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    decision_id TEXT NOT NULL UNIQUE,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    schema INTEGER NOT NULL,
    content TEXT NOT NULL
);
"""
#: Made when missing: logs written before the index or the Merkle nodes were kept.
BODY_INDEX = "CREATE INDEX IF NOT EXISTS govflow_entries_body ON govflow_entries (body, seq)"
TREE = "CREATE TABLE IF NOT EXISTS govflow_tree (pos INTEGER PRIMARY KEY, hash BLOB NOT NULL)"
#: The Merkle nodes' statements, by name (``stores/_tree``); ``HASHES``: a page of hashes.
NODES = node_statements("?")
HASHES = "SELECT seq, hash FROM govflow_entries WHERE seq >= ? ORDER BY seq LIMIT ?"

#: The first seq and the database's size in bytes, against which the last seq is checked.
BOUNDS = (
    "SELECT (SELECT min(seq) FROM govflow_entries), "
    "(SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())"
)


def statements() -> list[str]:
    """Every statement that makes the tables and index, each on its own."""
    return [*(s.strip() for s in SCHEMA.split(";") if s.strip()), BODY_INDEX, TREE]
