"""The statements a PostgreSQL store runs, and the tables they run on, made or found."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from govflow.errors import BadStoreURL, MissingExtra, NotALog, StoreFailed, TamperedLog, unsecret
from govflow.log.entry import Entry, genesis
from govflow.stores._header import header, meta_header
from govflow.stores._paths import storable
from govflow.stores._tree import node_statements

if TYPE_CHECKING:
    from psycopg import Connection
    from psycopg.sql import Composed

#: Rows read in one query when iterating.
PAGE = 2_000
#: Rows read with an append (in ``append_chained``, under its lock): a writer far behind
#: reads the rest after, holding no one up.
NEWS = 64

_APPEND = (
    "WITH moved AS (UPDATE {s}.govflow_head SET count = count + 1, hash = %(hash)s "
    "WHERE id = 1 AND count = %(seq)s AND hash = %(prev)s RETURNING 1), "
    "entry AS (INSERT INTO {s}.govflow_entries SELECT %(seq)s::bigint, %(body)s::text, "
    "%(id)s::text, %(prev)s::text, %(hash)s::text, %(schema)s::integer, %(content)s::text "
    "FROM moved) SELECT count(*) FROM moved"
)

#: An append placed by the server (under the head row's lock, taken by the statement
#: before it): the entry goes after the head as it is then, if the head's count is at
#: least ``seen``, the ``seen``-th entry is still ``seen_hash``, the head row agrees with
#: the last entry (and is a digest), and no entry from ``seen`` on is about ``body`` or
#: records ``id``. The server puts the head's count and hash in the entry's text
#: (``Chainable``) and hashes it; the Merkle nodes are kept a batch at a time, after.
#: The writer holds the head row for this statement, a read of at most ``NEWS`` rows and
#: the commit, never across a round trip to the client: with 4 writers on distinct
#: bodies, 0.94-1.04 times eventsourcing's appends a second, against 0.58-0.74 when each
#: entry was made under the lock (``benchmarks/writers.py``, PostgreSQL, 300-600
#: nominations a writer, when this statement also made the entry's Merkle nodes).
_CHAINED = (
    "WITH h AS (SELECT g.count AS seq, g.hash AS prev FROM {s}.govflow_head g "
    "WHERE g.id = 1 AND g.count >= %(seen)s AND g.hash ~ '^[0-9a-f]{{64}}$' "
    "AND (%(seen)s = 0 OR EXISTS (SELECT FROM {s}.govflow_entries "
    "WHERE seq = %(seen)s - 1 AND hash = %(seen_hash)s)) "
    # A scalar subquery, not EXISTS: looked up by seq, never a hashed scan of the log.
    "AND (g.count = 0 OR (SELECT e.hash FROM {s}.govflow_entries e "
    "WHERE e.seq = g.count - 1) = g.hash) "
    "AND NOT EXISTS (SELECT FROM {s}.govflow_entries WHERE body = %(body)s "
    "AND seq >= %(seen)s) "
    "AND NOT EXISTS (SELECT FROM {s}.govflow_entries WHERE decision_id = %(id)s)), "
    "made AS (SELECT seq, prev, %(to_prev)s || prev || %(to_seq)s || seq::text || %(rest)s "
    "AS tail FROM h), "
    "sealed AS (SELECT seq, prev, tail, encode(sha256(convert_to(%(head)s || ',' || tail, "
    "'UTF8')), 'hex') AS hash FROM made), "
    "moved AS (UPDATE {s}.govflow_head g SET count = g.count + 1, hash = sealed.hash "
    "FROM sealed WHERE g.id = 1 AND g.count = sealed.seq AND g.hash = sealed.prev "
    "RETURNING sealed.seq, sealed.prev, sealed.hash, sealed.tail), "
    "entry AS (INSERT INTO {s}.govflow_entries SELECT seq, %(body)s::text, %(id)s::text, "
    "prev, hash, %(schema)s::integer, %(head)s || ',\"hash\":\"' || hash || '\",' || tail "
    "FROM moved) "
    "SELECT seq, prev, hash FROM moved"
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
        "meta": "SELECT key, value FROM {s}.govflow_meta",
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
        # Under the head row's lock: the head, and whether an entry may follow it without
        # the writer reading what came since it last read (``seen`` entries, the last
        # ``seen_hash``): the log still holds those, its head row agrees with its last
        # entry, and no entry since is about ``body`` or records the decision ``id``.
        "ahead": (
            "SELECT h.count, h.hash, h.count >= %(seen)s "
            "AND (%(seen)s = 0 OR EXISTS (SELECT FROM {s}.govflow_entries "
            "WHERE seq = %(seen)s - 1 AND hash = %(seen_hash)s)) "
            "AND (h.count = 0 OR (SELECT e.hash FROM {s}.govflow_entries e "
            "WHERE e.seq = h.count - 1) = h.hash) "
            "AND NOT EXISTS (SELECT FROM {s}.govflow_entries WHERE body = %(body)s "
            "AND seq >= %(seen)s) "
            "AND NOT EXISTS (SELECT FROM {s}.govflow_entries WHERE decision_id = %(id)s) "
            "FROM {s}.govflow_head h WHERE id = 1"
        ),
        # An append in one statement (its own transaction): the head moves only from
        # the entry's seq and prev, and the entry goes in only if it moved; the count of
        # moved rows (0 or 1) says which.
        "append": _APPEND,
        # Held by whoever writes Merkle nodes, for its transaction: appends go on.
        "lock_nodes": "SELECT FROM {s}.govflow_meta WHERE key = 'header' FOR UPDATE",
        # A batch's nodes, under that lock, if the nodes kept still end where they start.
        "insert_nodes": (
            "INSERT INTO {s}.govflow_tree SELECT * FROM unnest(%(at)s::bigint[], "
            "%(nodes)s::bytea[]) WHERE (SELECT coalesce(max(pos) + 1, 0) "
            "FROM {s}.govflow_tree) = %(start)s"
        ),
        "append_chained": _CHAINED,
    }
    return {name: sql.SQL(text).format(s=sql.Identifier(schema)) for name, text in texts.items()}


def append_values(entry: Entry, text: str) -> dict[str, object]:
    """The parameters of ``append``: the entry's columns."""
    return {
        "seq": entry.seq,
        "body": entry.body,
        "id": entry.decision.id,
        "prev": entry.prev,
        "hash": entry.hash,
        "schema": entry.schema,
        "content": text,
    }


#: The schema names govflow accepts: plain lower-case identifiers PostgreSQL keeps as
#: written (at most 63 bytes), other than its own schemas (``pg_*``, ``information_schema``).
SCHEMA_NAME = re.compile(r"(?!pg_)(?!information_schema$)[a-z_][a-z0-9_]{0,62}")


def located(url: str) -> tuple[str, str, str]:
    """The PostgreSQL schema a store URL names, the URL to connect to, and how to show it.

    Raises:
        BadStoreURL: ``govflow_schema`` is not a name :data:`SCHEMA_NAME` accepts, or
            ``url`` is not UTF-8 text without NUL.
    """
    if type(url) is not str or not storable(url):
        raise BadStoreURL(ascii(url), "a store URL is UTF-8 text, without NUL")
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    namespace = query.pop("govflow_schema", "public")
    if SCHEMA_NAME.fullmatch(namespace) is None:
        raise BadStoreURL(
            url,
            f"govflow_schema={namespace!r} is not a schema name govflow uses: a lower-case "
            "letter or _, then up to 62 of them or digits, not pg_... nor "
            "information_schema",
        )
    # The URL as given, less govflow's own parameter (rebuilding it from its parts
    # would lose a socket form's empty host and re-encode the options).
    head, _, raw = url.partition("?")
    kept = "&".join(p for p in raw.split("&") if p and not p.startswith("govflow_schema="))
    address = f"{head}?{kept}" if kept else head
    where = unsecret(address)  # no password shown
    return namespace, address, where


#: The encodings a new log is made in: each keeps every text as sent, as a hash needs
#: (EUC_JP, for one, gives some characters back changed, and their entries fail verify).
ENCODINGS = ("UTF8", "SQL_ASCII")


def opened(  # noqa: PLR0917 - what opening a log takes
    db: Connection[Any],
    q: dict[str, bytes],
    namespace: str,
    where: str,
    fingerprint: str | None,
    creating: int,
    *,
    read_only: bool,
) -> tuple[object, bool]:
    """The tables of the log in ``namespace``, made if ``fingerprint`` is given and none are.

    A log written before the body index or the Merkle nodes were kept gets them, unless
    opened ``read_only``.

    Returns:
        The header as stored (``None`` if it is not JSON), and whether nodes are kept.

    Raises:
        NotALog: There is no log, and no ``fingerprint`` to make one with, or the
            database's encoding is not one of :data:`ENCODINGS` (a log made before
            this release in another opens as it did).
    """
    with db.transaction():
        # One creator at a time: concurrent first opens would race on CREATE TABLE.
        db.execute("SELECT pg_advisory_xact_lock(hashtext('govflow:' || %s))", (namespace,))
        exists = db.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
            "AND table_name = 'govflow_meta'",
            (namespace,),
        ).fetchone()
        if exists is None:
            if fingerprint is None:
                raise NotALog(where, f"schema {namespace!r} holds no govflow log")
            encoding = db.info.parameter_status("server_encoding")
            if encoding not in ENCODINGS:
                raise NotALog(
                    where,
                    f"schema {namespace!r} holds no govflow log, and none is made in a "
                    f"database in {encoding}: make the database with ENCODING 'UTF8'",
                )
            for name in ("create_schema", "create_meta", "create_head", "create_entries"):
                db.execute(q[name])
            made = json.dumps(header(fingerprint, creating), sort_keys=True)
            db.execute(q["insert_header"], (made,))
            db.execute(q["insert_head"], (genesis(fingerprint, creating),))
        if not read_only and not _has(db, namespace, "govflow_entries_body"):
            db.execute(q["body_index"])  # a log written before the index was kept
        if not read_only:
            db.execute(q["create_tree"])  # its Merkle nodes, filled when first needed
        has_tree = _has(db, namespace, "govflow_tree")
        return meta_header(db.execute(q["meta"]).fetchall(), where), has_tree


def _has(db: Connection[Any], namespace: str, relation: str) -> bool:
    row = db.execute("SELECT to_regclass(%s)", (f'"{namespace}".{relation}',)).fetchone()
    return row is not None and row[0] is not None


def tip(db: Connection[Any], q: dict[str, bytes]) -> tuple[int, str | None]:
    """The log's entry count and last hash (``None`` when empty), by the head row.

    Raises:
        TamperedLog: The head row and the last entries disagree: one was altered at rest
            (an entry deleted at the end, a count of 2**62), and neither is believed.
    """
    row = db.execute(q["tip"]).fetchone()
    count, seqs = (0, []) if row is None else (int(row[0]), list(row[2] or ()))
    if seqs[:1] != ([count - 1] if count else []) or (len(seqs) > 1 and seqs[1] != count - 2):
        found = db.execute(q["count"]).fetchone()
        rows = 0 if found is None else int(found[0])
        why = (
            f"the store's head row records {count} entries; its entries table holds {rows}, "
            f"the last at seq {seqs[0] if seqs else 'none'}"
        )
        raise TamperedLog(min(rows, count), "truncated" if rows < count else "inserted", why)
    return (0, None) if row is None or count == 0 else (count, str(row[1]))


def driver() -> None:
    """Check that psycopg, a PostgreSQL store's driver and an optional extra, can be loaded.

    Raises:
        MissingExtra: It is not installed (``pip install 'govflow[postgres]'``), or finds
            no libpq to use (``govflow[postgres-binary]`` brings its own).
    """
    try:
        import psycopg  # noqa: F401, PLC0415 - an optional extra, imported only when used
    except ModuleNotFoundError as error:
        if error.name is None or error.name.partition(".")[0] != "psycopg":
            raise
        raise MissingExtra("a PostgreSQL store", "psycopg", "postgres") from None
    except ImportError as error:  # installed, but with no libpq to use
        found = f"psycopg with a libpq (psycopg says: {error})"
        raise MissingExtra("a PostgreSQL store", found, "postgres-binary") from None


def connect(address: str, where: str) -> Connection[Any]:
    """A connection to the server at ``address`` (``where``, as messages show it).

    Texts go as UTF-8 whatever the database's (SQL_ASCII's would come as bytes).

    Raises:
        BadStoreURL: The URL has a parameter libpq does not know.
        StoreFailed: The server cannot be reached, or refused the connection (a user,
            password or database it does not know): nothing says the log is not there.
    """
    import psycopg  # noqa: PLC0415 - an optional extra, imported only when used

    try:
        return psycopg.connect(address, autocommit=True, client_encoding="UTF8")
    except psycopg.Error as error:
        said = " ".join(str(error).split())
        # An option libpq does not know, or a value it does not take ("sslmode=bogus"):
        # refused before any connection was tried ("connection is bad"); a socket it
        # tried and found no server on says so, in words that vary with libpq: unreached.
        tried = "connection to server" in said or "Is the server running" in said
        if isinstance(error, psycopg.ProgrammingError) or (
            said.startswith("connection is bad") and not tried
        ):
            raise BadStoreURL(where, f"psycopg refuses it: {said}") from None
        if "FATAL:" in said:  # it answered: the user, password or database is not its own
            why, remedy = f"the server refused the connection ({said})", _REFUSED
        else:
            why, remedy = f"the server could not be reached ({said})", _UNREACHED
        raise StoreFailed(where, why, remedy, opening=True) from None


#: What to do when the server refused the connection, or could not be reached.
_REFUSED = "check the user, password and database the URL names, then open it again"
_UNREACHED = "check that the server is running and the URL names it, then open it again"
