"""Log entries: one per accepted decision, hashed over their canonical form and chained."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from hashlib import sha256
from typing import Any

import attrs

from govflow._authority import Mandate
from govflow._canonical import (
    Reader,
    canonical_bytes,
    decision_from_reader,
    decision_to_dict,
    verdict_from_reader,
    verdict_to_dict,
)
from govflow._decision import Decision, Delegation, Source, Target
from govflow._encode import entry_parts, full_text, shaped
from govflow._errors import InvalidRecord
from govflow._terms import Terms
from govflow._verdict import ParamValue, Reason, Verdict
from govflow._when import When

#: The version of the entry layout this release writes and reads.
SCHEMA_VERSION = 1

_HEX = frozenset("0123456789abcdef")
_DIGEST = re.compile("[0-9a-f]{64}")


def genesis(lifecycle_fingerprint: str) -> str:
    """The ``prev`` of a log's first entry: the hash of the log's header.

    Chaining the first entry to the header binds the whole log to the lifecycle
    it was written under.
    """
    header = {"schema": SCHEMA_VERSION, "lifecycle": lifecycle_fingerprint}
    return sha256(canonical_bytes(header)).hexdigest()


@attrs.frozen
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

    seq: int
    body: str
    decision: Decision
    before: str | None
    after: str
    terms_version: int
    verdicts: tuple[Verdict, ...]
    mandate: Mandate
    prev: str
    hash: str
    schema: int = SCHEMA_VERSION

    @property
    def trigger(self) -> str | None:
        """The trigger the decision asked for, if any."""
        return self.decision.trigger

    @property
    def changed_state(self) -> bool:
        """Whether the entry moved the body to another state."""
        return self.before != self.after


def content_to_dict(
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
) -> dict[str, Any]:
    """The plain data an entry's hash covers: every field but ``hash``."""
    return {
        "schema": schema,
        "seq": seq,
        "body": body,
        "decision": decision_to_dict(decision),
        "before": before,
        "after": after,
        "terms_version": terms_version,
        "verdicts": [verdict_to_dict(v) for v in verdicts],
        "mandate": {
            "actor": mandate.actor,
            "organisation": mandate.organisation,
            "delegated_by": mandate.delegated_by,
        },
        "prev": prev,
    }


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
) -> Entry:
    """Build an entry and compute its hash."""
    head, tail = entry_parts(
        seq, body, decision, before, after, terms_version, verdicts, mandate, prev, SCHEMA_VERSION
    )
    digest = sha256(f"{head},{tail}".encode()).hexdigest()
    return Entry(seq, body, decision, before, after, terms_version, verdicts, mandate, prev, digest)


def entry_text(entry: Entry) -> str:
    """The entry's canonical text, ``hash`` included: what a store keeps."""
    head, tail = _parts(entry)
    return full_text(head, tail, entry.hash)


def _parts(entry: Entry) -> tuple[str, str]:
    e = entry
    return entry_parts(
        e.seq,
        e.body,
        e.decision,
        e.before,
        e.after,
        e.terms_version,
        e.verdicts,
        e.mandate,
        e.prev,
        e.schema,
    )


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """The entry's plain data, ``hash`` included: what a store writes."""
    data = content_to_dict(
        seq=entry.seq,
        body=entry.body,
        decision=entry.decision,
        before=entry.before,
        after=entry.after,
        terms_version=entry.terms_version,
        verdicts=entry.verdicts,
        mandate=entry.mandate,
        prev=entry.prev,
        schema=entry.schema,
    )
    data["hash"] = entry.hash
    return data


def recompute_hash(entry: Entry) -> str:
    """The hash the entry's content should have, rebuilt from its fields."""
    head, tail = _parts(entry)
    return sha256(f"{head},{tail}".encode()).hexdigest()


def _hex_digest(r: Reader, key: str) -> str:
    value = r.get(key, str)
    if len(value) != 64 or not set(value) <= _HEX:  # noqa: PLR2004 - SHA-256 in hex
        raise InvalidRecord(r.record, r.where(key), "64 lower-case hex digits", value)
    return value


def _mandate(r: Reader) -> Mandate:
    mandate = Mandate(r.get("actor", str), r.get("organisation", str), r.maybe("delegated_by", str))
    r.done()
    return mandate


def entry_from_dict(data: Mapping[str, Any]) -> Entry:
    """Read an entry from plain data, strictly.

    Raises:
        InvalidRecord: A field is missing, unexpected or of the wrong type, or the
            entry's schema version is not one this release reads; the error names
            the entry (``Entry #seq``) and the field's path.
    """
    try:
        return _read_whole(data)
    except (InvalidRecord, KeyError, TypeError, ValueError):
        return _read_naming(data)


# The quick reader: plain data with exactly an entry's shape becomes records in one
# pass, the records' own checks doing most of the checking. Anything it refuses is
# read again by the reader below, which names the field at fault.


def _text(value: object) -> str:
    if type(value) is not str:
        raise TypeError(value)
    return value


def _maybe(value: object) -> str | None:
    return None if value is None else _text(value)


def _whole(value: object) -> int:
    if type(value) is not int:
        raise TypeError(value)
    return value


def _digest(value: object) -> str:
    if type(value) is not str or _DIGEST.fullmatch(value) is None:
        raise ValueError(value)
    return value


def _day(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(_text(value))


def _terms_whole(data: object) -> Terms | None:
    if data is None:
        return None
    t = shaped(data, "terms")
    seats = t["seats"]
    if type(seats) is not dict:
        raise TypeError(seats)
    return Terms(
        _text(t["title"]),
        t["partners"],
        t["remit"],
        _maybe(t["budget"]),
        t["conditions"],
        seats,
        t["places"],
        _whole(t["version"]),
    )


def _decision_whole(data: object) -> Decision:
    d = shaped(data, "decision")
    source = shaped(d["source"], "source")
    delegation, target = d["delegation"], d["target"]
    if delegation is not None:
        g = shaped(delegation, "delegation")
        start = _day(g["start"])
        if start is None:
            raise TypeError(start)
        delegation = Delegation(_text(g["to"]), g["kinds"], start, _day(g["end"]))
    if target is not None:
        g = shaped(target, "target")
        target = Target(_text(g["state"]), When.parse(_text(g["by"])))
    return Decision(
        id=d["id"],
        body=d["body"],
        kind=_text(d["kind"]),
        actor=d["actor"],
        on_behalf_of=d["on_behalf_of"],
        decided=When.parse(_text(d["decided"])),
        recorded=_day(d["recorded"]),
        source=Source(_text(source["document"]), _text(source["locator"])),
        reasons=d["reasons"],
        alternatives_rejected=d["alternatives_rejected"],
        conflicts_declared=d["conflicts_declared"],
        dispensations=d["dispensations"],
        trigger=d["trigger"],
        terms=_terms_whole(d["terms"]),
        meeting=d["meeting"],
        nominees=d["nominees"],
        to=d["to"],
        delegation=delegation,
        ratifies=d["ratifies"],
        target=target,
        supersedes=d["supersedes"],
    )


def _param(value: object) -> ParamValue:
    if type(value) is list:
        return tuple(_text(v) for v in value)
    return value if type(value) is str else _whole(value)


def _verdict_whole(data: object) -> Verdict:
    v = shaped(data, "verdict")
    passed, evidence, reasons = v["passed"], v["evidence"], v["reasons"]
    if type(passed) is not bool or type(evidence) is not list or type(reasons) is not list:
        raise TypeError(v)
    read = []
    for each in reasons:
        r = shaped(each, "reason")
        params = r["params"]
        if type(params) is not dict:
            raise TypeError(params)
        frozen = {_text(k): _param(p) for k, p in params.items()}
        read.append(Reason(_text(r["code"]), frozen, _text(r["message"])))
    return Verdict(_text(v["guard"]), passed, tuple(read), tuple(_whole(n) for n in evidence))


def _read_whole(data: object) -> Entry:
    e = shaped(data, "entry")
    if e["schema"] != SCHEMA_VERSION or type(e["schema"]) is not int:
        raise ValueError(e["schema"])
    m = shaped(e["mandate"], "mandate")
    verdicts = e["verdicts"]
    if type(verdicts) is not list:
        raise TypeError(verdicts)
    return Entry(
        _whole(e["seq"]),
        _text(e["body"]),
        _decision_whole(e["decision"]),
        _maybe(e["before"]),
        _text(e["after"]),
        _whole(e["terms_version"]),
        tuple(_verdict_whole(v) for v in verdicts) if verdicts else (),
        Mandate(_text(m["actor"]), _text(m["organisation"]), _maybe(m["delegated_by"])),
        _digest(e["prev"]),
        _digest(e["hash"]),
        SCHEMA_VERSION,
    )


def _read_naming(data: Mapping[str, Any]) -> Entry:
    seq = data.get("seq") if isinstance(data, Mapping) else None
    numbered = isinstance(seq, int) and not isinstance(seq, bool)
    record = f"Entry #{seq}" if numbered else "Entry"
    r = Reader(record, data)
    schema = r.get("schema", int)
    if schema != SCHEMA_VERSION:
        raise InvalidRecord(
            record,
            "schema",
            f"schema version {SCHEMA_VERSION} (this release reads only it)",
            schema,
        )
    entry = Entry(
        seq=r.get("seq", int),
        body=r.get("body", str),
        decision=decision_from_reader(r.child("decision")),
        before=r.maybe("before", str),
        after=r.get("after", str),
        terms_version=r.get("terms_version", int),
        verdicts=tuple(
            verdict_from_reader(r_item)
            for r_item in (
                Reader(record, item, f"verdicts[{i}]")
                for i, item in enumerate(r.get("verdicts", list))
            )
        ),
        mandate=_mandate(r.child("mandate")),
        prev=_hex_digest(r, "prev"),
        hash=_hex_digest(r, "hash"),
        schema=schema,
    )
    r.done()
    return entry
