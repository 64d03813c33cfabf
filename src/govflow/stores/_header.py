"""What every store records first: the header naming the log's schema and lifecycle."""

from __future__ import annotations

from typing import Any

from govflow.canonical import DIGEST, parse
from govflow.errors import ARGUMENT, InvalidRecord, LifecycleMismatch, NotALog
from govflow.log.codec import SCHEMAS
from govflow.log.entry import SCHEMA_VERSION


def header(fingerprint: str, schema: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The header every store records: what it is, its schema, its lifecycle."""
    return {"govflow": "log", "schema": schema, "lifecycle": fingerprint}


def new_schema(
    schema: object, fingerprint: object = None, where: str = "store", **switches: object
) -> int:
    """The entry schema a new log is created with: ``None`` for this release's.

    ``fingerprint`` and ``switches`` (``read_only``: True or False), given to a store's
    class (``where``), are checked first: a store checks them all before it opens or
    makes anything.

    Raises:
        InvalidRecord: It is not a schema this release writes, the fingerprint is not
            one (see :func:`given_fingerprint`), or a switch is not True or False.
    """
    given_fingerprint(fingerprint, where)
    for name, value in switches.items():
        if type(value) is not bool:
            raise InvalidRecord(where, name, "True or False", value)
    if schema is None:
        return SCHEMA_VERSION
    if type(schema) is not int or schema not in SCHEMAS:
        raise InvalidRecord("store", "schema", f"None or one of {SCHEMAS}", schema, ARGUMENT)
    return schema


def stored_header(row: tuple[object, ...] | None) -> object:
    """The data of a header a database holds in a row; ``None`` for none, or for no JSON."""
    if row is None or not isinstance(row[0], str):  # none, or a cell altered to hold no text
        return None
    try:
        return parse(row[0])
    except (ValueError, RecursionError):  # not JSON text (or ambiguous), or beyond its limits
        return None


def meta_header(rows: list[tuple[object, object]], where: str) -> object:
    """The header a database's ``govflow_meta`` rows hold (see :func:`stored_header`).

    Raises:
        NotALog: The table holds a row other than the header's (none is hashed).
    """
    others = ", ".join(sorted(repr(key) for key, _ in rows if key != "header"))
    if others:
        raise NotALog(where, f"its govflow_meta holds rows this release's logs do not: {others}")
    return stored_header(next(((value,) for key, value in rows if key == "header"), None))


def check_header(where: str, found: object, fingerprint: str | None) -> tuple[str, int]:
    """Check a stored header; return the lifecycle fingerprint and the schema it records.

    Raises:
        NotALog: It is not a govflow header, or its schema is not one this release reads.
        LifecycleMismatch: ``fingerprint`` is given and differs from the recorded one.
    """
    if not isinstance(found, dict) or found.get("govflow") != "log":
        raise NotALog(where, "it has no govflow header")
    if type(found.get("schema")) is not int or found.get("schema") not in SCHEMAS:  # not 3.0
        versions = ", ".join(map(str, SCHEMAS))
        raise NotALog(
            where,
            f"it was written with schema {found.get('schema')!r}; this release reads "
            f"schema {versions}",
        )
    recorded = found.get("lifecycle")
    if not isinstance(recorded, str) or DIGEST.fullmatch(recorded) is None:
        raise NotALog(where, "its header records no lifecycle fingerprint (64 hex digits)")
    extra = ", ".join(map(repr, sorted(set(found) - {"govflow", "schema", "lifecycle"})))
    if extra:  # not hashed into the chain: an altered header would otherwise pass unseen
        raise NotALog(where, f"its header holds members this release's headers do not: {extra}")
    if fingerprint is not None and recorded != fingerprint:
        raise LifecycleMismatch(recorded, fingerprint)
    schema: int = found["schema"]
    return recorded, schema


def given_fingerprint(fingerprint: object, where: str) -> None:
    """Check a fingerprint given to ``where`` to open or create a store, before anything is written.

    Raises:
        InvalidRecord: It is neither ``None`` nor a lifecycle fingerprint (64 lower-case
            hex digits, as ``Lifecycle.fingerprint`` gives).
    """
    fits = type(fingerprint) is str and DIGEST.fullmatch(fingerprint) is not None
    if fingerprint is not None and not fits:
        wanted = "None or a lifecycle's fingerprint (64 hex digits)"
        advice = "give lifecycle.fingerprint" if hasattr(fingerprint, "fingerprint") else ""
        raise InvalidRecord(where, "fingerprint", wanted, fingerprint, advice)
