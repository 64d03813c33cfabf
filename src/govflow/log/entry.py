"""Log entries: one per accepted decision, hashed over their canonical form and chained.

The schema policy: a log's header names its schema version, and that version selects
how its entries are written and read. A release that changes what an entry holds or
what a lifecycle's fingerprint covers adds a schema version, marks what it adds with
:func:`~govflow.log.codec.since`, and keeps reading, replaying and verifying every
older schema's logs under the rules they were written with. :data:`SCHEMAS` lists the
versions this release reads; it writes :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from hashlib import sha256
from typing import Any, Final, NamedTuple

import attrs

from govflow.canonical import DIGEST, ENCODER, canonical_bytes, parse, unparsed
from govflow.errors import InvalidRecord, require
from govflow.log.codec import SCHEMAS, read_record, record_codec, to_plain
from govflow.log.where import Where
from govflow.model.authority import Mandate
from govflow.model.decision import Decision
from govflow.model.terms import exactly, identifier, is_name, name, shown_name, whole
from govflow.model.verdict import Verdict

#: The entry schema this release writes, the newest the codec reads
#: (:data:`~govflow.log.codec.SCHEMAS`). Schema 2 adds a decision's ``position``, a
#: lifecycle's own kinds and ``Lifecycle.accepts``; 3 adds notes (kind ``note``, with
#: ``about`` and ``expected``: hashed and chained, changing no state); 4 counts a decision
#: taken under a delegation for its delegator too (``Fact.delegated_by``).
SCHEMA_VERSION: Final = SCHEMAS[-1]


def _digest(entry: Entry, attribute: attrs.Attribute[str], value: object) -> None:
    if type(value) is not str or DIGEST.fullmatch(value) is None:
        raise InvalidRecord("Entry", attribute.name, "64 lower-case hex digits", value)


def _schema(entry: Entry, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value not in SCHEMAS:
        raise InvalidRecord("Entry", attribute.name, f"an entry schema, one of {SCHEMAS}", value)


def _before(entry: Entry, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and not is_name(value):
        raise InvalidRecord("Entry", attribute.name, "None or a state's name", value)


def _verdicts(entry: Entry, attribute: attrs.Attribute[tuple[Verdict, ...]], value: object) -> None:
    if type(value) is not tuple or any(type(v) is not Verdict for v in value):
        raise InvalidRecord("Entry", attribute.name, "a tuple of Verdict records", value)


def genesis(lifecycle_fingerprint: str, schema: int = SCHEMA_VERSION) -> str:
    """The ``prev`` of a log's first entry: the hash of its header, binding it to its lifecycle.

    Raises:
        InvalidRecord: The fingerprint is not one, or the schema not one this release reads.
    """
    fits = type(lifecycle_fingerprint) is str and DIGEST.fullmatch(lifecycle_fingerprint)
    require(bool(fits), "genesis", "lifecycle_fingerprint", "64 hex digits", lifecycle_fingerprint)
    known = type(schema) is int and schema in SCHEMAS
    require(known, "genesis", "schema", f"one of {SCHEMAS}", schema)
    header = {"schema": schema, "lifecycle": lifecycle_fingerprint}
    return sha256(canonical_bytes(header)).hexdigest()


@attrs.frozen(repr=False)
class Entry:
    """One accepted decision in the audit log.

    Attributes:
        seq: Its position in the log, from 0.
        body: The body the decision is about.
        decision: The decision.
        before: The body's state before it (``None`` for a proposal).
        after: The body's state after it.
        terms_version: The version of the body's terms the decision was taken on.
        verdicts: The verdict of every guard evaluated for its trigger.
        mandate: Who took the decision, for which organisation, under whose power.
        prev: The hash of the previous entry (or of the log header, for the first).
        hash: SHA-256 of the entry's canonical form without this field, in hex.
        schema: The entry layout version.
    """

    seq: int = attrs.field(validator=whole(0))
    body: str = attrs.field(validator=identifier)
    decision: Decision = attrs.field(validator=exactly(Decision, "a Decision"))
    before: str | None = attrs.field(validator=_before)
    after: str = attrs.field(validator=name)
    terms_version: int = attrs.field(validator=whole(0))
    verdicts: tuple[Verdict, ...] = attrs.field(validator=_verdicts)
    mandate: Mandate = attrs.field(validator=exactly(Mandate, "a Mandate"))
    prev: str = attrs.field(validator=_digest)
    hash: str = attrs.field(validator=_digest)
    schema: int = attrs.field(default=SCHEMA_VERSION, validator=_schema)

    @property
    def trigger(self) -> str | None:
        """The trigger the decision asked for, if any."""
        return self.decision.trigger

    @property
    def changed_state(self) -> bool:
        """Whether the entry moved the body to another state."""
        return self.before != self.after

    def __repr__(self) -> str:
        # One line: the decision's own fields are in ``decision``.
        return (
            f"<Entry {self.seq} {self.decision.kind.value} {self.decision.id!r} on "
            f"{self.body!r}: {self.before and shown_name(self.before)} -> "
            f"{shown_name(self.after)}, hash {self.hash[:12]}>"
        )

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        from govflow.display.views import entry_bundle  # noqa: PLC0415 - on first display

        return entry_bundle(self, repr(self))


def _texts(entry: Entry) -> tuple[str, str]:
    """The entry's canonical text without ``hash`` (what is hashed) and with it (what is kept)."""
    head, tail = record_codec(Entry, entry.schema).split(entry)
    return f"{head},{tail}", f'{head},"hash":"{entry.hash}",{tail}'


def seal(
    *,
    seq: int,
    body: str,
    decision: Decision,
    before: str | None,
    after: str,
    terms_version: int,
    verdicts: tuple[Verdict, ...],
    mandate: Mandate,
    prev: str,
    schema: int = SCHEMA_VERSION,
) -> Entry:
    """Build an entry and compute its hash.

    Args:
        seq: Its position in the log, from 0.
        body: The body the decision is about.
        decision: The decision.
        before: The body's state before it (``None`` for a proposal).
        after: The body's state after it.
        terms_version: The terms version the decision was taken on.
        verdicts: The verdict of every guard evaluated for its trigger.
        mandate: Who took it, for which organisation, under whose power.
        prev: The hash of the entry before it (the header's, for the first).
        schema: The entry schema of the log it is for (its header's).

    Returns:
        The entry, its ``hash`` the SHA-256 of its canonical text without it.

    Raises:
        InvalidRecord: An argument is not what an entry holds; nothing is made.
    """
    # The entry's own checks, before anything is encoded: ``prev`` stands in for the hash.
    Entry(seq, body, decision, before, after, terms_version, verdicts, mandate, prev, prev, schema)
    return sealed(seq=seq, body=body, decision=decision, before=before, after=after,
                  terms_version=terms_version, verdicts=verdicts, mandate=mandate, prev=prev,
                  schema=schema)[0]  # fmt: skip


def sealed(
    *,
    seq: int,
    body: str,
    decision: Decision,
    before: str | None,
    after: str,
    terms_version: int,
    verdicts: tuple[Verdict, ...],
    mandate: Mandate,
    prev: str,
    schema: int = SCHEMA_VERSION,
) -> tuple[Entry, str]:
    """:func:`seal`, giving the entry's stored text with it: a store need not encode it again.

    ``schema`` is the entry schema of the log it is for (its header's).

    Returns:
        The entry, and its canonical text with ``hash`` in place: what a store keeps.
    """
    # The text without the hash (what is hashed), then with it (what is kept): one encoding.
    head, tail = record_codec(Entry, schema).split_of(
        after=after,
        before=before,
        body=body,
        decision=decision,
        mandate=mandate,
        prev=prev,
        schema=schema,
        seq=seq,
        terms_version=terms_version,
        verdicts=verdicts,
    )
    digest = sha256(f"{head},{tail}".encode()).hexdigest()
    entry = Entry(
        seq, body, decision, before, after, terms_version, verdicts, mandate, prev, digest, schema
    )
    return entry, f'{head},"hash":"{digest}",{tail}'


def _an_entry(entry: object, function: str) -> None:
    if type(entry) is not Entry:
        raise InvalidRecord(function, "entry", "an Entry", entry)


def entry_text(entry: Entry) -> str:
    """The entry's canonical text, ``hash`` included: what a store keeps.

    Raises:
        InvalidRecord: ``entry`` is not an Entry.
    """
    _an_entry(entry, "entry_text")
    return _texts(entry)[1]


def recompute_hash(entry: Entry) -> str:
    """The hash the entry's content should have, rebuilt from its fields.

    Raises:
        InvalidRecord: ``entry`` is not an Entry.
    """
    _an_entry(entry, "recompute_hash")
    return sha256(_texts(entry)[0].encode()).hexdigest()


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """The entry's plain data, ``hash`` included: what a store writes, parsed.

    Raises:
        InvalidRecord: ``entry`` is not an Entry.
    """
    _an_entry(entry, "entry_to_dict")
    return dict(to_plain(entry, entry.schema))


def entry_from_dict(data: Mapping[str, Any]) -> Entry:
    """Read an entry from plain data, strictly, under the schema it names.

    Raises:
        InvalidRecord: A field is missing, unexpected or of the wrong type, or the
            entry's schema version is not one this release reads; the error names
            the entry (``Entry #seq``) and the field's path.
    """
    seq = data.get("seq") if isinstance(data, Mapping) else None
    record = f"Entry #{seq}" if type(seq) is int else "Entry"
    if not isinstance(data, Mapping):  # text that did not parse: not JSON, or ambiguous
        wanted = unparsed(data) if isinstance(data, str | bytes) else None
        raise Where(record).bad(wanted or "a JSON object", data)
    schema = data.get("schema")
    if type(schema) is not int or schema not in SCHEMAS:
        if "schema" not in data:
            raise Where(record).key("schema").bad("present", "(missing)")
        versions = ", ".join(map(str, SCHEMAS))
        raise InvalidRecord(
            record,
            "schema",
            f"one of the schema versions {versions} (this release reads those)",
            schema,
        )
    return read_record(Entry, data, record, schema)


class Columns(NamedTuple):
    """What a database store keeps beside an entry's text, for queries and constraints.

    Each comes from the entry's content when it is written; verify names an entry
    whose columns disagree with its content (values are as the database gives them).
    """

    seq: object
    body: object
    decision_id: object
    prev: object
    hash: object
    schema: object


class Stored(NamedTuple):
    """An entry as a store keeps it: its text, and the plain data parsed from it.

    ``data`` is the text itself when it is not JSON (or, when the store held something
    other than a text, that value). ``columns`` are a database store's copies of the
    entry's seq, body, decision id, links and schema; ``None`` for a file.
    """

    text: str
    data: object
    columns: Columns | None = None


def parsed(rows: Iterable[tuple[object, Columns | None]]) -> Iterator[Stored]:
    """Each row's content with the plain data parsed from it (the content, if not JSON)."""
    for content, columns in rows:
        if type(content) is not str:  # a database cell altered to hold something else
            yield Stored("", content, columns)
        else:
            try:
                data = parse(content)
            except (ValueError, RecursionError):  # not JSON (or ambiguous), or beyond reach
                data = content
            yield Stored(content, data, columns)


def strictly(stored: Iterable[Stored], first: int, *, count: bool = True) -> Iterator[Entry]:
    """The entries, read strictly; a record that is no object is named by its position.

    Raises:
        InvalidRecord: At the first that cannot be read, naming it and the field.
    """
    for position, record in enumerate((s.data for s in stored), first):
        if not isinstance(record, dict):
            where = f"Entry #{position}" if count else "Entry"
            wanted = unparsed(record) if isinstance(record, str | bytes) else None
            raise InvalidRecord(where, "(text)", wanted or "a JSON object", record)
        yield entry_from_dict(record)


def content_hash(data: object, text: str | None = None) -> tuple[int, str, str, str] | None:
    """For plain data of an entry: its seq, prev, stated hash, and the hash of its content.

    The content hash is SHA-256 of the canonical bytes rebuilt from the parsed data
    (every field but ``hash``), so an entry that is what was written is verified
    without building a record: for a record, those bytes are what the writer wrote
    (``tests/test_codec.py`` holds the two to each other). ``None`` when the data
    does not have an entry's shape (its keys, each value's JSON type, a kind this
    release knows, dates in ISO form: the codec's ``fits``), or cannot be written
    canonically: the strict reader then says what is wrong.

    ``text``, the stored text ``data`` was parsed from, spares the re-encoding (7 µs of
    a 700-byte entry's 18): its content is the text without its ``hash`` member, and
    when that text was not canonical, its hash fails to match and the strict reader
    looks again.
    """
    if type(data) is not dict:
        return None
    seq, prev, stated, schema = (
        data.get("seq"),
        data.get("prev"),
        data.get("hash"),
        data.get("schema"),
    )
    if not (
        type(seq) is int
        and type(prev) is str
        and type(stated) is str
        and type(schema) is int
        and schema in SCHEMAS
        and record_codec(Entry, schema).fits(data)
    ):
        return None
    if text is not None:
        member = f',"hash":"{stated}"'
        cut = text.find(member)
        if cut > 0:
            content = text[:cut] + text[cut + len(member) :]
            return _hashed(seq, prev, stated, content)
    plain = dict(data)
    del plain["hash"]
    try:
        content = ENCODER.encode(plain)
    except (TypeError, ValueError):  # a float's NaN, or what JSON cannot hold
        return None
    return _hashed(seq, prev, stated, content)


def _hashed(seq: int, prev: str, stated: str, content: str) -> tuple[int, str, str, str] | None:
    """The four :func:`content_hash` gives, or ``None`` for content no entry can hold.

    A lone surrogate has no UTF-8 form: the strict reader then names it.
    """
    try:
        return seq, prev, stated, sha256(content.encode()).hexdigest()
    except UnicodeEncodeError:
        return None


def text_of(entry: Entry, text: object) -> bool:
    """Whether ``text`` is what a store keeps of ``entry``: one line, hashing to its ``hash``.

    It opens with the entry's state after, ends as an entry does, and holds its seq, prev,
    schema, body and decision id where only they can stand (not another entry's text).
    """
    marker, e, encoded = f',"hash":"{entry.hash}",', entry, ENCODER.encode
    if type(text) is not str or "\n" in text or text.count(marker) != 1:
        return False
    filed = (f',"prev":"{e.prev}","schema":{e.schema},"seq":{e.seq},"terms_version":',
             f',"id":{encoded(e.decision.id)},"kind":',
             f',"body":{encoded(e.body)},"decision":{{"')  # fmt: skip
    ends = text.startswith(f'{{"after":{encoded(e.after)},') and text.endswith("]}")
    content = text.replace(marker, ",").encode("utf-8", "surrogatepass")
    return ends and all(p in text for p in filed) and sha256(content).hexdigest() == e.hash
