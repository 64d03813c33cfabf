"""Where audit logs live: in memory, in a JSON Lines file, in SQLite or in PostgreSQL.

Every store keeps the same contract as the in-memory :class:`govflow.AuditLog`
(:class:`govflow.Log`), so a :class:`govflow.Registry` takes any of them as its
``log``. Open one from a URL with :func:`open_store`, copy between any two with
:func:`copy_log`. This package imports the core; the core never imports it.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import unquote, urlsplit

from govflow.errors import (
    BadStoreURL,
    GovflowError,
    InvalidRecord,
    LifecycleMismatch,
    NotALog,
    TornLog,
    require,
    shown,
)
from govflow.log.memory import AuditLog, Log, verified_entries
from govflow.stores._base import Store
from govflow.stores._header import given_fingerprint, new_schema
from govflow.stores._paths import storable
from govflow.stores.jsonl import JsonlStore
from govflow.stores.sqlite import SqliteStore

__all__ = ["JsonlStore", "SqliteStore", "Store", "copy_log", "open_store"]


def _path(url: str) -> Path:
    """The file a ``jsonl:`` or ``sqlite:`` URL names, as SQLAlchemy reads such URLs.

    ``scheme:///relative/path`` is relative to the working directory and
    ``scheme:////absolute/path`` absolute; the path is percent-decoded (``%23`` for a
    ``#``), and a literal ``?``, ``#`` or control character is refused, as is a host.

    Raises:
        BadStoreURL: The URL is not of that form; the error names the part at fault.
    """
    scheme = urlsplit(url).scheme  # in lower case, as a scheme is read in any (RFC 3986)
    head = f"{scheme}:///"
    if url[: len(head)].lower() != head:
        given = url[: len(scheme) + 3].lower()
        where = "a host" if given == f"{scheme}://" else "no '///' after the scheme"
        raise BadStoreURL(url, f"{where}: write {scheme}:///relative/path or {scheme}:////absolute")
    raw = url[len(head) :]
    if not raw or raw == "/":
        raise BadStoreURL(url, "no path")
    bad = next((c for c in raw if c in "?#" or ord(c) < 32 or ord(c) == 127), None)  # noqa: PLR2004
    if bad is not None:
        raise BadStoreURL(url, f"{bad!r} in the path: percent-encode it (%{ord(bad):02X})")
    if raw != raw.strip():  # copied with the URL, and no file of that name is meant
        raise BadStoreURL(url, "a space at the path's start or end: a name's own is written %20")
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise BadStoreURL(url, "a percent-encoded byte that is not UTF-8 in the path") from None
    if "\x00" in decoded:
        raise BadStoreURL(url, "a NUL (%00) in the path")
    try:
        decoded.encode()
    except UnicodeEncodeError:
        raise BadStoreURL(url, "a lone surrogate in the path") from None
    if decoded.endswith(("/", "/.")) or decoded == ".":
        # Opened by the system, such a path is no file; pathlib would drop the ending.
        raise BadStoreURL(url, "a path ending in '/' or '/.': name the file")
    return Path(decoded)


def _absolute_meant(error: NotALog, url: str, path: Path) -> NotALog:
    """``error``, saying how to name ``/path`` if a missing relative ``path`` may mean it.

    ``jsonl:///tmp/log.jsonl`` names ``tmp/log.jsonl`` in the working folder; one who
    wrote it may well have meant ``/tmp/log.jsonl``.
    """
    absolute = Path("/", path)
    try:
        meant = not path.is_absolute() and not path.parent.is_dir() and absolute.parent.is_dir()
    except OSError:  # a name too long, say: the error already says why
        return error
    if not meant:
        return error
    scheme = url.partition(":")[0]
    given = url.removeprefix(f"{scheme}:///")  # the URL's own path, percent-escapes kept
    hint = (
        f"{error.why}; {url} names a path relative to the working folder: for {absolute} "
        f"write {scheme}:////{given}"
    )
    return NotALog(error.where, hint)


def open_store(
    url: str,
    fingerprint: str | None = None,
    *,
    read_only: bool = False,
    timeout: float = 60.0,
    schema: int | None = None,
) -> Log:
    """Open (or create) the log a URL names.

    Args:
        url: ``memory:`` (a new in-memory log), ``jsonl:///relative/log.jsonl`` or
            ``jsonl:////absolute/log.jsonl`` (likewise ``sqlite:``), or
            ``postgresql://user@host:port/db``.
        fingerprint: The lifecycle's fingerprint: needed to create a log, and
            checked against an existing one's when given.
        read_only: Open an existing log only to read it: nothing is created, an
            append raises ReadOnlyStore, and a database is read read-only (SQLite
            opens the file with ``mode=ro`` and leaves no file of its own behind;
            PostgreSQL in ``READ ONLY`` transactions).
        timeout: Seconds an SQLite or JSON Lines store waits for another writer's lock
            before it gives up (``StoreFailed`` saying it is locked).
        schema: The entry schema a new log is created with (``None``: this release's,
            :data:`~govflow.log.SCHEMA_VERSION`); an existing log keeps its own.

    Raises:
        BadStoreURL: The URL names no store govflow knows.
        NotALog: The store holds no govflow log, or cannot be opened as one.
        StoreFailed: A PostgreSQL server cannot be reached, or another writer held an
            SQLite or JSON Lines store's lock past ``timeout``, or it may not be written.
        LifecycleMismatch: The log was written under another lifecycle.
    """
    if type(url) is not str:
        raise BadStoreURL(shown(url), "a store URL is a text")
    if not storable(url):
        raise BadStoreURL(ascii(url), "a store URL is UTF-8 text, without NUL")
    require(type(read_only) is bool, "open_store", "read_only", "True or False", read_only)
    seconds = type(timeout) in (int, float) and 0 <= timeout < math.inf
    require(seconds, "open_store", "timeout", "seconds: a number from 0", timeout)
    given_fingerprint(fingerprint, "open_store")
    try:
        scheme = urlsplit(url).scheme
    except ValueError as error:  # an unbalanced [ or ] in the host part
        raise BadStoreURL(url, str(error)) from None
    if scheme == "memory":
        if fingerprint is None:
            raise NotALog(url, "a new in-memory log needs the lifecycle's fingerprint")
        return AuditLog(fingerprint, schema=new_schema(schema))
    if scheme in ("jsonl", "sqlite"):
        path = _path(url)
        try:
            if scheme == "jsonl":
                return JsonlStore(
                    path, fingerprint, read_only=read_only, schema=schema, timeout=timeout
                )
            return SqliteStore(
                path, fingerprint, read_only=read_only, timeout=timeout, schema=schema
            )
        except NotALog as error:
            raise _absolute_meant(error, url, path) from None
    if scheme in ("postgresql", "postgres"):
        try:  # as libpq will read it: its escapes must make UTF-8 text
            unquote(url, errors="strict")
        except UnicodeDecodeError:
            secret = urlsplit(url).password  # not shown
            hidden = url if secret is None else url.replace(f":{secret}@", ":***@", 1)
            raise BadStoreURL(hidden, "its %-escapes do not make UTF-8 text") from None
        from govflow.stores.postgres import PostgresStore  # noqa: PLC0415 - optional extra

        named = scheme + url[len(scheme) :]  # libpq reads the scheme in lower case only
        return PostgresStore(named, fingerprint, read_only=read_only, schema=schema)
    raise BadStoreURL(url)


def copy_log(source: Log, target: Log) -> int:
    """Append every entry of ``source`` that ``target`` lacks, unchanged; return how many.

    The entries keep their hashes: exporting any store to JSON Lines and importing
    it into another gives the same chain. The source is verified and read whole before
    anything is appended, so a source that does not verify leaves the target as it was.
    A target that holds the source's first entries (a copy a failure cut short) gets
    the rest: call it again after a failure.

    Raises:
        LifecycleMismatch: The two logs are written under different lifecycles.
        TamperedLog: The source does not verify (the error names its first bad entry);
            nothing is copied.
        TornLog: The source is a JSON Lines store whose last line is torn (or lacks only
            its newline): repair it first; nothing is copied.
        InvalidRecord: ``target`` holds entries other than the source's first ones.
        StoreFailed: An append failed; a note on the error says how many were copied.
    """
    for name, log in (("source", source), ("target", target)):
        if not all(hasattr(log, a) for a in ("fingerprint", "append", "__iter__", "checkpoint")):
            raise InvalidRecord("copy_log", name, "a Log (AuditLog or store)", log)
    if source.fingerprint != target.fingerprint:
        raise LifecycleMismatch(source.fingerprint, target.fingerprint, copying=True)
    if source.schema != target.schema:
        raise InvalidRecord(
            "copy_log",
            "target",
            f"a log of schema {source.schema}, as the source is (create it with "
            f"schema={source.schema}): entries keep the schema they were written in",
            f"a log of schema {target.schema}",
        )
    entries = verified_entries(source)
    torn = getattr(source, "torn", None)
    if isinstance(torn, TornLog):  # its last line would be left behind, unsaid
        raise torn
    tip = target.checkpoint()  # one read: another writer may append meanwhile
    held, head = tip.count, tip.head
    if held and (held > len(entries) or head != entries[held - 1].hash):
        wanted = "a log empty or holding the source's first entries, as a copy cut short does"
        said = f"a log of {held} entries ending in {head[:16]}..., not the source's"
        raise InvalidRecord("copy_log", "target", wanted, said, "give an empty log")
    for entry in entries[held:]:
        try:
            target.append(entry)
        except GovflowError as error:
            copied = f"copy_log copied {entry.seq - held} of {len(entries) - held} entries"
            error.add_note(f"{copied} before this; called again, it copies the rest.")
            raise
    return len(entries) - held
