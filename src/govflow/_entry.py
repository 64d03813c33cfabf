"""Log entries: one per accepted decision, hashed over their canonical form and chained."""

from __future__ import annotations

from hashlib import sha256
from typing import Any

import attrs

from govflow._authority import Mandate
from govflow._canonical import (
    canonical_bytes,
    decision_to_dict,
    verdict_to_dict,
)
from govflow._decision import Decision
from govflow._encode import entry_parts, full_text
from govflow._quick import quick_init
from govflow._record import record_methods
from govflow._verdict import Verdict

#: The version of the entry layout this release writes and reads.
SCHEMA_VERSION = 1


def genesis(lifecycle_fingerprint: str) -> str:
    """The ``prev`` of a log's first entry: the hash of the log's header.

    Chaining the first entry to the header binds the whole log to the lifecycle
    it was written under.
    """
    header = {"schema": SCHEMA_VERSION, "lifecycle": lifecycle_fingerprint}
    return sha256(canonical_bytes(header)).hexdigest()


@quick_init
@record_methods
@attrs.frozen(repr=False, eq=False)
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
