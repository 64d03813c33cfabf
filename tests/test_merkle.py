"""The Merkle tree: RFC 6962 hashing, and proofs.

Proofs are checked against the transparency-dev vectors, and at every size against a
plain recomputation of the definition.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govflow.log.merkle import (
    EMPTY_ROOT,
    ProofError,
    Tree,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).parent / "vectors" / "transparency-dev-merkle"
INCLUSION = sorted((VECTORS / "inclusion").rglob("*.json"))
CONSISTENCY = sorted((VECTORS / "consistency").rglob("*.json"))


def b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def name(path: Path) -> str:
    return str(path.relative_to(VECTORS))


def test_the_hashes_of_rfc_6962() -> None:
    # From transparency-dev/merkle rfc6962/rfc6962_test.go (commit in vectors/SOURCE.md).
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert (
        leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    assert (
        leaf_hash(b"L123456").hex()
        == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert (
        node_hash(b"N123", b"N456").hex()
        == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


def test_every_vector_is_here() -> None:
    assert len(INCLUSION) == 98
    assert len(CONSISTENCY) == 98


@pytest.mark.parametrize("path", INCLUSION, ids=name)
def test_inclusion_vectors(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    proof = [b64(p) for p in case["proof"] or []]
    arguments = (case["leafIdx"], case["treeSize"], b64(case["leafHash"]), proof, b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*arguments)
    else:
        verify_inclusion(*arguments)


@pytest.mark.parametrize("path", CONSISTENCY, ids=name)
def test_consistency_vectors(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    proof = [b64(p) for p in case["proof"] or []]
    arguments = (case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]), proof)
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*arguments)
    else:
        verify_consistency(*arguments)


def test_the_happy_vectors_come_from_a_tree_of_eight_leaves() -> None:
    """The vectors' tree: leaves as in the transparency-dev tests (RFC 6962's own set)."""
    leaves = [
        b"",
        b"\x00",
        b"\x10",
        b"\x20\x21",
        b"\x30\x31",
        b"\x40\x41\x42\x43",
        b"\x50\x51\x52\x53\x54\x55\x56\x57",
        b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
    ]
    tree = Tree(leaves)
    case = json.loads((VECTORS / "inclusion" / "1" / "happy-path.json").read_text())
    assert tree.root() == b64(case["root"])
    assert tree.inclusion_proof(case["leafIdx"]) == [b64(p) for p in case["proof"]]
    case = json.loads((VECTORS / "consistency" / "1" / "happy-path.json").read_text())
    assert tree.root(case["size1"]) == b64(case["root1"])
    assert tree.consistency_proof(case["size1"]) == [b64(p) for p in case["proof"]]


def plain_root(leaves: list[bytes]) -> bytes:
    """MTH as RFC 9162 defines it, recomputed with no stored nodes."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    split = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(plain_root(leaves[:split]), plain_root(leaves[split:]))


sizes = st.integers(1, 70)


@given(st.data(), sizes)
def test_roots_and_proofs_agree_with_the_definition_at_every_size(
    data: st.DataObject, size: int
) -> None:
    leaves = [hashlib.sha256(bytes([i % 256, i // 256])).digest() for i in range(size)]
    tree = Tree(leaves)
    n = data.draw(st.integers(1, size))
    assert tree.root(n) == plain_root(leaves[:n])
    index = data.draw(st.integers(0, n - 1))
    proof = tree.inclusion_proof(index, n)
    assert len(proof) <= n.bit_length()
    verify_inclusion(index, n, leaf_hash(leaves[index]), proof, tree.root(n))
    m = data.draw(st.integers(1, n))
    consistency = tree.consistency_proof(m, n)
    verify_consistency(m, n, tree.root(m), tree.root(n), consistency)
    # Any one flipped bit, or any other index, root or size, is refused.
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1))
        bad = [*proof]
        bad[at] = bytes([bad[at][0] ^ 1]) + bad[at][1:]
        with pytest.raises(ProofError):
            verify_inclusion(index, n, leaf_hash(leaves[index]), bad, tree.root(n))
        with pytest.raises(ProofError):
            verify_inclusion(index, n, leaf_hash(leaves[index]), proof[:-1], tree.root(n))
        with pytest.raises(ProofError):
            verify_inclusion(index, n, leaf_hash(leaves[index]), [*proof, proof[0]], tree.root(n))
    if n > 1:
        other = (index + 1) % n
        with pytest.raises(ProofError):
            verify_inclusion(other, n, leaf_hash(leaves[index]), proof, tree.root(n))
    if 0 < m < n:
        with pytest.raises(ProofError):
            verify_consistency(m, n, tree.root(n), tree.root(m), consistency)
        if consistency:
            with pytest.raises(ProofError):
                verify_consistency(m, n, tree.root(m), tree.root(n), consistency[:-1])


def test_proofs_outside_the_tree_are_refused_in_words() -> None:
    tree = Tree([b"a", b"b", b"c"])
    with pytest.raises(ProofError, match="leaf 3 is not in a tree of 3 leaves"):
        tree.inclusion_proof(3)
    with pytest.raises(ProofError, match="size must be a whole number from 0 to 3; got 4"):
        tree.root(4)
    with pytest.raises(ProofError, match="a tree of 3 leaves cannot be shown a prefix of one of 2"):
        tree.consistency_proof(3, 2)


def test_a_logs_tree_proves_each_entry_and_each_earlier_size() -> None:
    from govflow import Registry  # noqa: PLC0415
    from govflow.scenarios import partnership_lifecycle, spb  # noqa: PLC0415

    registry = Registry(partnership_lifecycle())
    for decision in spb.decisions():
        registry.apply(decision)
    entries = list(registry.log)
    tree = Tree.of(e.hash for e in entries)
    assert len(tree) == len(entries) == 26
    root = tree.root()
    for index, entry in enumerate(entries):
        leaf = leaf_hash(bytes.fromhex(entry.hash))
        verify_inclusion(index, len(tree), leaf, tree.inclusion_proof(index), root)
    for size in range(1, len(entries)):
        verify_consistency(size, len(tree), tree.root(size), root, tree.consistency_proof(size))
    # A history rewritten at entry 10 is no extension of any size it reached before.
    hashes = [e.hash for e in entries]
    forged = Tree.of([*hashes[:10], "0" * 64, *hashes[11:]])
    assert forged.root(10) == tree.root(10)
    for size in range(11, 27):
        proof = forged.consistency_proof(size) if size < 26 else []
        with pytest.raises(ProofError):
            verify_consistency(size, 26, tree.root(size), forged.root(), proof)


@pytest.mark.parametrize(
    "given",
    [["ab cd"], ["AB" * 32], ["00"], ["0" * 63 + "g"], [b"\x00" * 32], ["0" * 64 + " "]],
)
def test_a_tree_of_entry_hashes_takes_only_hashes_as_entries_write_them(
    given: list[object],
) -> None:
    # bytes.fromhex takes spaces, upper case and any even length: a leaf of 2 bytes passed.
    with pytest.raises(ProofError, match="an entry hash is 64 lower-case hex digits"):
        Tree.of(given)  # type: ignore[arg-type]
    assert len(Tree.of(["0" * 64, "f" * 64])) == 2
