"""Verification: rebuild each entry's canonical bytes and name the first bad entry.

What it catches (the threat model):

* The chain alone catches any change that does not recompute every later hash:
  an altered entry, a dropped one, an inserted one, two entries swapped.
* A chain recomputed from some entry on, and a log cut short, look intact from
  the inside. A :class:`~govflow.Checkpoint` kept elsewhere catches both: the
  entry count must reach the checkpoint's and the hash at that point must be the
  checkpoint's head.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import Any, NamedTuple, cast

from govflow.canonical import DIGEST
from govflow.errors import InvalidRecord, require
from govflow.log.checkpoint import (
    Checkpoint,
    TreeHead,
    kept_heads,
    unheld,
)
from govflow.log.codec import SCHEMAS
from govflow.log.entry import (
    SCHEMA_VERSION,
    Columns,
    Entry,
    Stored,
    content_hash,
    entry_from_dict,
    genesis,
    recompute_hash,
    strictly,
)
from govflow.log.problem import Problem, ProblemKind, Verification
from govflow.log.roots import Frontier
from govflow.model.arguments import iterated


class _Link(NamedTuple):
    """What the chain checks of an entry whose stored content matches its hash."""

    seq: int
    prev: str
    hash: str


def _sound(record: object) -> _Link | None:  # the fast path: one test per entry
    """The fast path for plain data: the entry's links, if its content matches its hash.

    The canonical bytes are rebuilt from the parsed data, checking its shape on the
    way, and hashed. When the data has exactly an entry's shape and its bytes match
    the stored hash, it is what was written, and building records from it would only
    cost time. Anything else (``None``) goes through the strict reader, which names
    what is wrong.
    """
    found = (
        content_hash(record.data, record.text) if type(record) is Stored else content_hash(record)
    )
    if found is None:
        return None
    seq, prev, stated, computed = found
    return _Link(seq, prev, stated) if computed == stated else None


def _held_wrong(position: int, record: object, data: object, schema: int) -> Problem | None:
    """An entry of another schema than the log's header names, or a row altered at rest."""
    held = data.schema if isinstance(data, Entry) else data["schema"]  # type: ignore[index]
    if held != schema:  # it would be replayed under its own schema's rules
        said = f"its schema is {held!r}, but the log's header names {schema}: a log holds "
        said += "entries of its header's schema only (one of another was put in it)"
        return Problem(position, "malformed", said)
    columns = record.columns if isinstance(record, Stored) else None
    wrong = None if columns is None else _misindexed(columns, data)
    return None if wrong is None else Problem(position, "misindexed", wrong)


def _misindexed(columns: Columns, record: object) -> str | None:
    """What a database store's columns say that the entry's content does not, if anything."""
    if isinstance(record, Entry):
        content = (record.seq, record.body, record.decision.id, record.prev, record.hash)
        schema: object = record.schema
    else:  # plain data that has an entry's shape (the fast path checked it)
        data: Any = record
        content = (data["seq"], data["body"], data["decision"]["id"], data["prev"], data["hash"])
        schema = data["schema"]
    for name, held, said in zip(Columns._fields, columns, (*content, schema), strict=True):
        if type(held) is not type(said) or held != said:
            return (
                f"its {name} column holds {held!r}, but its content says {said!r}: "
                "the row was altered at rest"
            )
    return None


def _unlinked(position: int) -> Problem:
    """The problem of an entry at ``position`` that does not link to the one before it."""
    if position == 0:
        message = (
            "it does not link to the log header: the log was written under another "
            "lifecycle, the header was altered, or its first entry was altered and rehashed"
        )
        return Problem(0, "unlinked", message)
    message = (
        f"entry {position} does not link to it: entry {position - 1} was altered "
        f"and its hash recomputed, or entry {position}'s link was (the chain alone "
        "cannot tell which; a database store's columns can)"
    )
    return Problem(position - 1, "unlinked", message)


def _seq_of(record: Entry | Mapping[str, Any] | Stored) -> object:
    if isinstance(record, Stored):
        record = record.data  # type: ignore[assignment]
    if isinstance(record, Entry):
        return record.seq
    return record.get("seq") if isinstance(record, Mapping) else None


def _out_of_place(
    position: int, seq: int, rest: Iterator[Entry | Mapping[str, Any] | Stored]
) -> Problem:
    """Classify an entry whose sequence number is not its position."""
    if seq < position:
        return Problem(
            position,
            "inserted",
            f"an entry numbered {seq} stands at position {position}, after entry {seq} "
            "already appeared: an entry was inserted here",
        )
    later = {n for r in rest if type(n := _seq_of(r)) is int}  # an int: not [1], say
    if position in later:
        return Problem(
            position,
            "reordered",
            f"entry {seq} stands where entry {position} belongs, and entry {position} "
            "comes later: entries were reordered",
        )
    return Problem(
        position,
        "dropped",
        f"entry {position} is missing: the next entry present is numbered {seq}",
    )


#: What to do with a checkpoint of entries before those given to verify.
_EARLIER = "verify it against the entries it counts, or give none"


def verify(
    records: Iterable[Entry | Mapping[str, Any] | Stored],
    lifecycle_fingerprint: str,
    checkpoint: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None = None,
    *,
    schema: int = SCHEMA_VERSION,
    after: tuple[int, str] | None = None,
) -> Verification:
    """Verify a log's entries, given as records or as the plain data a store read.

    Each entry's hash is recomputed from its canonical bytes, rebuilt from the
    parsed record, never taken from the stored text; each entry must link to the
    one before it, the first to the log header.

    Args:
        records: The entries, in log order.
        lifecycle_fingerprint: The fingerprint of the lifecycle the log was written under.
        checkpoint: A checkpoint kept elsewhere, to catch truncation and rewriting, or
            several (a witness's, one taken after each append, say): a rewritten chain
            is then named from the last checkpoint it still matches, exactly when
            there is one for every entry. A signed tree head
            (:class:`~govflow.log.checkpoint.TreeHead`, its signatures checked by
            :func:`~govflow.log.witness.verified_head`) counts as the checkpoint it
            records, and its Merkle root must be the root of the entries it counts.
        schema: The entry schema the log's header names (its first entry links to it).
        after: ``(count, head)`` of entries already verified, when ``records`` are
            those that follow them (a registry catching up): the first must then be
            entry ``count`` and link to ``head``. A checkpoint is then of ``count``
            entries or more, and no tree head is given (its root needs every entry).

    Returns:
        The count and head read, and the first problem found, if any.

    Raises:
        InvalidRecord: An argument is not of its kind, a checkpoint counts fewer entries
            than ``after`` (its head is among the entries not given), or a tree head is
            given with ``after``.
    """
    require(
        isinstance(records, Iterable) and not isinstance(records, str | bytes),
        "verify",
        "records",
        "the log's entries, in order",
        records,
    )
    require(
        type(lifecycle_fingerprint) is str and DIGEST.fullmatch(lifecycle_fingerprint) is not None,
        "verify",
        "lifecycle_fingerprint",
        "a lifecycle's fingerprint (64 hex digits)",
        lifecycle_fingerprint,
    )
    known = type(schema) is int and schema in SCHEMAS
    require(known, "verify", "schema", f"an entry schema this release reads: {SCHEMAS}", schema)
    fits = after is None or (
        type(after) is tuple
        and len(after) == 2  # noqa: PLR2004 - a count and a head
        and type(after[0]) is int
        and after[0] >= 0
        and type(after[1]) is str
        and DIGEST.fullmatch(after[1]) is not None
    )
    require(fits, "verify", "after", "(count, head): a whole number from 0 and a hash", after)
    first, prev = (0, genesis(lifecycle_fingerprint, schema)) if after is None else after
    kept, tree_heads = _given(checkpoint, after)
    # The head at each count a checkpoint names, as this log has it.
    heads: dict[int, str] = {first: prev} if first in kept else {}
    iterator = (
        iter(records)
        if type(records) in {list, tuple}
        else iterated(records, "verify", "records", "the log's entries, in order")
    )
    count = first
    # The Merkle roots at the sizes the tree heads sign, taken as the entries are read.
    frontier, roots = (Frontier(), {h.size: "" for h in tree_heads}) if tree_heads else (None, {})
    for position, record in enumerate(iterator, first):
        entry = _sound(record)
        data = record.data if isinstance(record, Stored) else record
        if entry is None:
            try:
                parsed = data if isinstance(data, Entry) else entry_from_dict(data)  # type: ignore[arg-type]
            except InvalidRecord as error:
                return Verification(position, prev, Problem(position, "malformed", str(error)))
            if recompute_hash(parsed) != parsed.hash:
                message = "its content does not match its hash: the entry was altered"
                return Verification(position, prev, Problem(position, "altered", message))
            entry, data = _Link(parsed.seq, parsed.prev, parsed.hash), parsed
        if entry.seq != position:
            problem = _out_of_place(position, entry.seq, chain([record], iterator))
            return Verification(position, prev, problem)
        wrong = _held_wrong(position, record, data, schema)
        if wrong is not None:
            return Verification(position, prev, wrong)
        if entry.prev != prev:
            return Verification(position, prev, _unlinked(position))
        prev = entry.hash
        count = position + 1
        if count in kept:
            heads[count] = prev
        if frontier is not None:
            frontier.append(bytes.fromhex(prev))
            if count in roots:
                roots[count] = frontier.root().hex()
    found = unheld(kept, heads, count, tree_heads, roots)
    unmatched = found and Problem(found[0], cast("ProblemKind", found[1]), found[2])
    return Verification(count, prev, unmatched)


def _given(
    checkpoint: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None,
    after: tuple[int, str] | None,
) -> tuple[dict[int, list[str]], list[TreeHead]]:
    """The heads the checkpoints record, by count, and the tree heads among them.

    Raises:
        InvalidRecord: One is not a checkpoint, or is of entries before ``after``'s (or,
            for a tree head, of any entries: its root is of every entry from the first).
    """
    kept, tree_heads = kept_heads(checkpoint)
    if tree_heads and after is not None:
        said = "no tree head: its Merkle root is of every entry, and those before are not given"
        raise InvalidRecord("verify", "checkpoint", said, tree_heads[0], _EARLIER)
    first = 0 if after is None else after[0]
    if kept and min(kept) < first:  # its head is among the entries not given
        expected = f"checkpoints of {first} entries or more, as after=({first}, ...) begins"
        early = Checkpoint(min(kept), kept[min(kept)][0])
        raise InvalidRecord("verify", "checkpoint", expected, early, _EARLIER)
    return kept, tree_heads


def verified_read(
    stored: Iterable[Stored],
    lifecycle_fingerprint: str,
    checkpoint: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None = None,
    *,
    schema: int = SCHEMA_VERSION,
) -> tuple[Verification, list[Entry]]:
    """:func:`verify` of what a store read, with the entries it verified, read strictly.

    Each entry is the one whose stored text was checked: verifying, then reading the
    store again, would take in whatever was appended or rewritten in between.
    """
    entries: list[Entry] = []
    refused: list[InvalidRecord] = []  # the strict reader's error, at len(entries)

    def read() -> Iterator[Stored]:
        reading = True
        for position, record in enumerate(stored):
            yield record  # resumed once ``verify`` found it sound, or to classify a problem
            data = record.data
            reading = reading and isinstance(data, dict) and data.get("seq") == position
            if reading:  # else past a problem verify names: the rest is not read strictly
                try:
                    entries.append(next(strictly((record,), position)))
                except InvalidRecord as error:  # verify's shape check let it by: named below
                    refused.append(error)
                    reading = False

    verification = verify(read(), lifecycle_fingerprint, checkpoint, schema=schema)
    at = len(entries)
    if refused and at < verification.count:  # verified, but no record holds it
        head = entries[-1].hash if entries else genesis(lifecycle_fingerprint, schema)
        return Verification(at, head, Problem(at, "malformed", str(refused[0]))), entries
    return verification, entries[: verification.count]
