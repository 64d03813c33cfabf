"""The statements a PostgreSQL store runs, each with its schema quoted as an identifier."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govflow.stores._tree import node_statements

if TYPE_CHECKING:
    from psycopg.sql import Composed


_APPEND = (
    "WITH moved AS (UPDATE {{s}}.govflow_head SET count = count + 1, hash = %(hash)s "
    "WHERE id = 1 AND count = %(seq)s AND hash = %(prev)s RETURNING 1), "
    "entry AS (INSERT INTO {{s}}.govflow_entries SELECT %(seq)s::bigint, %(body)s::text, "
    "%(id)s::text, %(prev)s::text, %(hash)s::text, %(schema)s::integer, %(content)s::text "
    "FROM moved){nodes} SELECT count(*) FROM moved"
)
_NODES = (
    ", nodes AS (INSERT INTO {s}.govflow_tree SELECT * FROM "
    "unnest(%(positions)s::bigint[], %(nodes)s::bytea[]) WHERE EXISTS (SELECT FROM moved) "
    "ON CONFLICT (pos) DO UPDATE SET hash = excluded.hash)"
)


def statements(schema: str) -> dict[str, Composed]:
    """Every statement the store runs, with its schema quoted as an identifier."""
    from psycopg import sql  # noqa: PLC0415 - an optional extra, imported only when used

    texts = {
        "create_schema": "CREATE SCHEMA IF NOT EXISTS {s}",
        "create_meta": (
            "CREATE TABLE IF NOT EXISTS {s}.govflow_meta "
            "(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        ),
        "create_head": (
            "CREATE TABLE IF NOT EXISTS {s}.govflow_head "
            "(id INTEGER PRIMARY KEY CHECK (id = 1), count BIGINT NOT NULL, hash TEXT NOT NULL)"
        ),
        "create_entries": (
            "CREATE TABLE IF NOT EXISTS {s}.govflow_entries (seq BIGINT PRIMARY KEY, "
            "body TEXT NOT NULL, decision_id TEXT NOT NULL UNIQUE, prev TEXT NOT NULL, "
            "hash TEXT NOT NULL UNIQUE, schema INTEGER NOT NULL, content TEXT NOT NULL)"
        ),
        "create_tree": (
            "CREATE TABLE IF NOT EXISTS {s}.govflow_tree "
            "(pos BIGINT PRIMARY KEY, hash BYTEA NOT NULL)"
        ),
        **node_statements("%s", "{s}.govflow_tree"),
        "some": "SELECT pos, hash FROM {s}.govflow_tree WHERE pos = ANY(%s)",
        "hashes": (
            "SELECT seq, hash FROM {s}.govflow_entries WHERE seq >= %s ORDER BY seq LIMIT %s"
        ),
        "seq_of": "SELECT seq FROM {s}.govflow_entries WHERE decision_id = %s",
        "insert_header": "INSERT INTO {s}.govflow_meta VALUES ('header', %s)",
        "insert_head": "INSERT INTO {s}.govflow_head VALUES (1, 0, %s)",
        "header": "SELECT value FROM {s}.govflow_meta WHERE key = 'header'",
        # One statement, one snapshot: the head row and the last two seqs agree unless
        # altered at rest, even while another writer appends.
        "tip": (
            "SELECT count, hash, ARRAY(SELECT seq FROM {s}.govflow_entries "
            "ORDER BY seq DESC LIMIT 2) FROM {s}.govflow_head WHERE id = 1"
        ),
        "begin_locked": "BEGIN; SELECT 1 FROM {s}.govflow_head WHERE id = 1 FOR UPDATE",
        "lock_head": "SELECT count FROM {s}.govflow_head WHERE id = 1 FOR UPDATE",
        "count": "SELECT count(*) FROM {s}.govflow_entries",
        "after": (
            "SELECT seq, body, decision_id, prev, hash, schema, content "
            "FROM {s}.govflow_entries WHERE seq >= %s ORDER BY seq LIMIT %s"
        ),
        "of_body_after": (
            "SELECT seq, body, decision_id, prev, hash, schema, content "
            "FROM {s}.govflow_entries WHERE body = %s AND seq >= %s ORDER BY seq LIMIT %s"
        ),
        "body_index": (
            "CREATE INDEX IF NOT EXISTS govflow_entries_body ON {s}.govflow_entries (body, seq)"
        ),
        "move_head": (
            "UPDATE {s}.govflow_head SET count = count + 1, hash = %s "
            "WHERE id = 1 AND count = %s AND hash = %s"
        ),
        "insert_entry": "INSERT INTO {s}.govflow_entries VALUES (%s, %s, %s, %s, %s, %s, %s)",
        # An append in one statement (its own transaction): the head moves only from
        # the entry's seq and prev, and the entry and its nodes go in only if it moved;
        # the count of moved rows (0 or 1) says which.
        "append": _APPEND.format(nodes=_NODES),
        "append_entry": _APPEND.format(nodes=""),
    }
    return {name: sql.SQL(text).format(s=sql.Identifier(schema)) for name, text in texts.items()}
