"""The Merkle tree against random tampering, and its proofs on untouched logs.

Each example builds a random log (its entries' hashes), keeps the root a witness saw
after each append, tampers with the log in one of six ways, and checks that the kept
roots catch it at the first entry that differs (the ground truth, computed by
comparing the two lists). Untouched logs prove every entry and every earlier size.
The tamper property runs 25 times the profile's examples: 5,000 under CI's (verify's, in
``test_tamper_verify.py``, runs 10,000 more).
"""

from __future__ import annotations

from hashlib import sha256

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from govflow.errors import ProofError
from govflow.log.merkle import Tree, leaf_hash, verify_consistency, verify_inclusion
from govflow.log.roots import first_difference

from .helpers import TAMPERED

KINDS = ("alter", "drop", "insert", "reorder", "truncate", "fork")
TAMPER_EXAMPLES = settings().max_examples * 25


def leaves(count: int, salt: bytes = b"") -> list[bytes]:
    return [sha256(salt + n.to_bytes(4, "big")).digest() for n in range(count)]


@st.composite
def tampered(
    draw: st.DrawFn, kinds: st.SearchStrategy[str] | None = None
) -> tuple[str, list[bytes], list[bytes]]:
    """The kind of tampering, a log, and the log after it (never equal to it)."""
    log = leaves(draw(st.integers(2, 70)), draw(st.binary(max_size=4)))
    kind = draw(st.sampled_from(KINDS) if kinds is None else kinds)
    at = draw(st.integers(0, len(log) - 1))
    if kind == "alter":
        bit = draw(st.integers(0, 255))
        entry = bytearray(log[at])
        entry[bit // 8] ^= 1 << (bit % 8)
        return kind, log, [*log[:at], bytes(entry), *log[at + 1 :]]
    if kind == "drop":
        return kind, log, log[:at] + log[at + 1 :]
    if kind == "insert":
        return kind, log, [*log[:at], sha256(b"inserted").digest(), *log[at:]]
    if kind == "reorder":
        other = draw(st.integers(0, len(log) - 2))
        other += other >= at  # another entry: the leaves are all different
        swapped = list(log)
        swapped[at], swapped[other] = swapped[other], swapped[at]
        return kind, log, swapped
    if kind == "truncate":
        return kind, log, log[:at]
    # A fork: the same history up to ``at``, then another one, as long or longer.
    grown = draw(st.integers(0, 5))
    return kind, log, [*log[:at], *leaves(len(log) - at + grown, b"fork")]


def first_change(before: list[bytes], after: list[bytes]) -> int:
    """The ground truth: the first position where the logs differ (a cut: the new length)."""
    for position, (old, new) in enumerate(zip(before, after, strict=False)):
        if old != new:
            return position
    return min(len(before), len(after))


@settings(max_examples=TAMPER_EXAMPLES)
@given(tampered())
def test_every_tampering_is_caught_at_the_first_entry_changed(
    case: tuple[str, list[bytes], list[bytes]],
) -> None:
    event(case[0])  # --hypothesis-show-statistics gives each kind's share of the examples
    caught_where_it_happened(case)
    TAMPERED[case[0]] += 1  # the run's summary says how many of each kind were caught


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_each_kind_of_tampering_is_caught(kind: str, data: st.DataObject) -> None:
    caught_where_it_happened(data.draw(tampered(st.just(kind)), label="case"))


def caught_where_it_happened(case: tuple[str, list[bytes], list[bytes]]) -> None:
    kind, log, changed = case
    witnessed = Tree(log)
    kept = {size: witnessed.root(size) for size in range(1, len(log) + 1)}
    assert first_difference(kept, Tree(changed)) == first_change(log, changed), kind
    # The latest root alone catches it too, and no proof from it leads to the new log.
    latest = Tree(changed)
    if len(changed) >= len(log):
        assert latest.root(len(log)) != kept[len(log)], kind
        with pytest.raises(ProofError):
            verify_consistency(
                len(log),
                len(changed),
                kept[len(log)],
                latest.root(),
                latest.consistency_proof(len(log)),
            )


@given(st.integers(1, 70), st.binary(max_size=4), st.data())
def test_untouched_logs_prove_every_entry_and_every_earlier_size(
    size: int, salt: bytes, data: st.DataObject
) -> None:
    log = leaves(size, salt)
    tree = Tree(log)
    root = tree.root()
    for index, entry in enumerate(log):
        verify_inclusion(index, size, leaf_hash(entry), tree.inclusion_proof(index), root)
    for first in range(1, size + 1):
        verify_consistency(first, size, tree.root(first), root, tree.consistency_proof(first))
    assert first_difference({n: tree.root(n) for n in range(1, size + 1)}, tree) is None
    # Checkpoints kept now and then: a change is placed after the last one that holds.
    kept_sizes = data.draw(st.sets(st.integers(1, size), min_size=1), label="kept sizes")
    changed = [*log[:-1], sha256(b"altered").digest()]
    found = first_difference({n: tree.root(n) for n in kept_sizes}, Tree(changed))
    if size in kept_sizes:  # the last kept size before it is where it is placed
        assert found == max((n for n in kept_sizes if n < size), default=0)
    else:
        assert found is None
