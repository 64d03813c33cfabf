"""An entry's text cut where its position goes (``chainable``), for a store to link it.

A PostgreSQL writer that holds off the others lets the server place a decision that
only adds a fact after the head as it finds it: the server fills in ``seq`` and
``prev`` and hashes the result. That is sound only if the result is, byte for byte, the
entry sealed at that place by govflow itself, for every decision.
"""

from __future__ import annotations

from hashlib import sha256

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govflow import Decision, Kind, Mandate
from govflow.log.entry import SCHEMAS, Entry, sealed
from govflow.log.placing import chainable
from govflow.model.verdict import Verdict
from govflow.testing import decisions

from .helpers import make

HEX = st.text("0123456789abcdef", min_size=64, max_size=64)
SEQ = st.integers(min_value=0, max_value=2**63 - 1)


def seal_at(decision: Decision, seq: int, prev: str, schema: int = 3, **fields: object) -> Entry:
    return sealed(**entry_fields(decision, seq, prev, schema, **fields))[0]


def entry_fields(
    decision: Decision, seq: int, prev: str, schema: int, **fields: object
) -> dict[str, object]:
    values: dict[str, object] = {
        "seq": seq,
        "body": decision.body,
        "decision": decision,
        "before": "proposed",
        "after": "proposed",
        "terms_version": 1,
        "verdicts": (),
        "mandate": Mandate(decision.actor, decision.actor),
        "prev": prev,
        "schema": schema,
    }
    return {**values, **fields}


@given(
    decision=decisions(kinds=[Kind.NOMINATE, Kind.NOTE, Kind.RESOLVE, Kind.AGREE]),
    seen=SEQ,
    head=HEX,
    seq=SEQ,
    prev=HEX,
)
def test_filled_in_anywhere_it_is_the_entry_sealed_there(
    decision: Decision, seen: int, head: str, seq: int, prev: str
) -> None:
    """Made at one place, linked at another: the text and hash of sealing it there."""
    ready = sealed(**entry_fields(decision, seen, head, 3))
    parts = chainable(*ready)
    assert parts is not None
    entry, text = sealed(**entry_fields(decision, seq, prev, 3))
    assert parts.hash_at(seq, prev) == entry.hash
    stored = f'{parts.head},"hash":"{entry.hash}",{parts.to_prev}{prev}{parts.to_seq}{seq}'
    assert stored + parts.rest == text


@pytest.mark.parametrize("schema", SCHEMAS)
def test_every_schema_is_cut_where_its_position_goes(schema: int) -> None:
    """Schema 1 entries hold no "schema" member: "seq" follows "prev" there."""
    decision = make("n", Kind.NOMINATE, "LGA", 1)
    ready = sealed(**entry_fields(decision, 7, "a" * 64, schema))
    parts = chainable(*ready)
    assert parts is not None
    assert parts.to_prev.endswith('"prev":"')
    assert parts.to_seq.endswith('"seq":')
    assert parts.hash_at(70, "b" * 64) == seal_at(decision, 70, "b" * 64, schema).hash


def test_non_ascii_text_is_hashed_as_utf_8() -> None:
    decision = make("n-é", Kind.NOMINATE, "LGA", 1, nominees=("Zoë 🌍",))
    ready = sealed(**entry_fields(decision, 0, "a" * 64, 3))
    parts = chainable(*ready)
    assert parts is not None
    entry, text = sealed(**entry_fields(decision, 12, "c" * 64, 3))
    assert (
        parts.hash_at(12, "c" * 64)
        == entry.hash
        == sha256(text.replace(f',"hash":"{entry.hash}"', "").encode("utf-8")).hexdigest()
    )


def test_an_entry_with_verdicts_is_not_chainable() -> None:
    """A guard's evidence may name the entry itself: its content may depend on its place."""
    decision = make("e", Kind.ENDORSE, "LGA", 1, trigger="endorse")
    verdict = Verdict("decided_by('LGA')", passed=True, evidence=(3,))
    ready = sealed(**entry_fields(decision, 3, "a" * 64, 3, verdicts=(verdict,)))
    assert chainable(*ready) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda text, e: text.replace(e.hash, "0" * 64),  # another hash
        lambda text, e: text.replace(f'"prev":"{e.prev}"', '"prev":"' + "f" * 64 + '"'),
        lambda text, e: text.replace(f'"seq":{e.seq}', f'"seq":{e.seq + 1}'),
        lambda text, e: text.replace('"terms_version":1', '"terms_version":2'),  # not its text
        lambda text, e: text[:-1],  # "seq" no longer followed by "," or "}"... nor the rest
    ],
    ids=["hash", "prev", "seq", "content", "cut short"],
)
def test_a_text_that_is_not_the_entrys_is_not_chainable(change: object) -> None:
    """Only the entry's own text is cut: what the cut pieces hash to must be its hash."""
    decision = make("n", Kind.NOMINATE, "LGA", 1)
    entry, text = sealed(**entry_fields(decision, 5, "a" * 64, 3))
    assert chainable(entry, text) is not None
    assert chainable(entry, change(text, entry)) is None  # type: ignore[operator]


def test_a_seq_that_only_begins_the_one_written_is_not_taken_for_it() -> None:
    """Entry 1's "seq":1 is not found inside a text holding "seq":12."""
    decision = make("n", Kind.NOMINATE, "LGA", 1)
    entry, text = sealed(**entry_fields(decision, 12, "a" * 64, 3))
    assert chainable(attrs.evolve(entry, seq=1), text) is None
