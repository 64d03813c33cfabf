"""A Merkle tree over a log's entries, with RFC 6962 / RFC 9162 hashing and proofs.

Leaf ``i`` is the hash of entry ``i`` (its 32 bytes, the hash the chain already holds);
its leaf hash is ``SHA-256(0x00 || leaf)`` and a node's ``SHA-256(0x01 || left ||
right)``, as in Certificate Transparency. The tree is derived from the entries alone,
so every log ever written has one: no entry changes, and no schema.

:class:`Tree` keeps the hash of every complete subtree (about two hashes an entry), so
that appending costs amortised O(1) hashes, and a root, an inclusion proof or a
consistency proof for any size costs O(log n). :func:`verify_inclusion` and
:func:`verify_consistency` follow RFC 9162 sections 2.1.3.2 and 2.1.4.2, and are
checked against the transparency-dev test vectors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from hashlib import sha256

from govflow.errors import ProofError

__all__ = [
    "EMPTY_ROOT",
    "ProofError",
    "Tree",
    "first_difference",
    "leaf_hash",
    "node_hash",
    "verify_consistency",
    "verify_inclusion",
]

#: The root of the tree of no entries: SHA-256 of nothing.
EMPTY_ROOT = sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """``SHA-256(0x00 || leaf)``."""
    return sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``."""
    return sha256(b"\x01" + left + right).digest()


class Tree:
    """The Merkle tree of a growing list of leaves.

    ``levels[h][i]`` is the hash of the complete subtree of ``2**h`` leaves starting at
    leaf ``i * 2**h``; only complete subtrees are kept, so nothing is ever rewritten.
    """

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self.levels: list[list[bytes]] = [[]]
        for leaf in leaves:
            self.append(leaf)

    def __len__(self) -> int:
        return len(self.levels[0])

    @classmethod
    def of(cls, hashes: Iterable[str]) -> Tree:
        """The tree of a log, from its entries' hashes (hex): ``Tree.of(e.hash for e in log)``."""
        return cls(bytes.fromhex(h) for h in hashes)

    def append(self, leaf: bytes) -> None:
        """Add a leaf (its data: the leaf hash is taken here)."""
        self.levels[0].append(leaf_hash(leaf))
        height = 0
        # A new complete subtree at each height where this leaf closes one.
        while len(self.levels[height]) % 2 == 0:
            if height + 1 == len(self.levels):
                self.levels.append([])
            below = self.levels[height]
            self.levels[height + 1].append(node_hash(below[-2], below[-1]))
            height += 1

    def _hash(self, start: int, end: int) -> bytes:
        """MTH of leaves ``start`` to ``end`` (excluded), split as RFC 9162 splits."""
        size = end - start
        height = size.bit_length() - 1
        if size == 1 << height and start % size == 0 and len(self.levels) > height:
            return self.levels[height][start >> height]
        split = 1 << ((size - 1).bit_length() - 1)  # the largest power of two below size
        return node_hash(self._hash(start, start + split), self._hash(start + split, end))

    def root(self, size: int | None = None) -> bytes:
        """The root of the first ``size`` leaves (all of them by default)."""
        size = len(self) if size is None else size
        self._check(size, "size")
        return EMPTY_ROOT if size == 0 else self._hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of the first ``size`` leaves."""
        size = len(self) if size is None else size
        self._check(size, "size")
        if not 0 <= index < size:
            message = f"leaf {index} is not in a tree of {size} leaves"
            raise ProofError(message)
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            split = 1 << ((end - start - 1).bit_length() - 1)
            if index < start + split:
                proof.append(self._hash(start + split, end))
                end = start + split
            else:
                proof.append(self._hash(start, start + split))
                start += split
        return proof[::-1]

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """The proof that the tree of ``first`` leaves is a prefix of that of ``second``."""
        second = len(self) if second is None else second
        self._check(second, "size")
        if not 0 < first <= second:
            message = f"a tree of {first} leaves cannot be shown a prefix of one of {second}"
            raise ProofError(message)
        if first == second:
            return []
        return self._subproof(first, 0, second, whole=True)

    def _subproof(self, m: int, start: int, end: int, *, whole: bool) -> list[bytes]:
        """RFC 9162's SUBPROOF(m, D[start:end], whole)."""
        size = end - start
        if m == size:
            return [] if whole else [self._hash(start, end)]
        split = 1 << ((size - 1).bit_length() - 1)
        if m <= split:
            return [
                *self._subproof(m, start, start + split, whole=whole),
                self._hash(start + split, end),
            ]
        return [
            *self._subproof(m - split, start + split, end, whole=False),
            self._hash(start, start + split),
        ]

    def _check(self, size: int, name: str) -> None:
        if type(size) is not int or not 0 <= size <= len(self):
            message = f"{name} must be a whole number from 0 to {len(self)}; got {size!r}"
            raise ProofError(message)


def _shifted(fn: int, sn: int) -> tuple[int, int]:
    """Shift both right until ``fn``'s lowest bit is set or ``fn`` is 0."""
    while fn & 1 == 0 and fn != 0:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf`` (a leaf hash) is leaf ``index`` of the tree of ``size`` with ``root``.

    Raises:
        ProofError: It is not; the message says what did not hold.
    """
    if not 0 <= index < size:
        message = f"leaf {index} is not in a tree of {size} leaves"
        raise ProofError(message)
    if any(len(h) != len(EMPTY_ROOT) for h in (leaf, root, *proof)):
        raise ProofError("a hash is not 32 bytes")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            fn, sn = _shifted(fn, sn)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    if r != root:
        raise ProofError("the proof leads to another root")


def _settled(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether the sizes alone settle the check (``True``: it holds); raise when they fail it."""
    if not 0 <= first <= second:
        message = f"a tree of {first} leaves cannot be a prefix of one of {second}"
        raise ProofError(message)
    if first == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing")
    if first == second:
        if proof:
            raise ProofError("two trees of one size need an empty proof")
        if first_root != second_root:
            raise ProofError("two trees of one size have different roots")
        return True
    if not proof:
        raise ProofError("the proof is empty")
    if any(len(h) != len(EMPTY_ROOT) for h in (first_root, second_root, *proof)):
        raise ProofError("a hash is not 32 bytes")
    return False


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of ``first`` leaves with ``first_root`` is a prefix of ``second``'s.

    Raises:
        ProofError: It is not; the message says what did not hold.
    """
    if _settled(first, second, first_root, second_root, proof):
        return
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first tree is a node of the second
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the trees are deep")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            fn, sn = _shifted(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the trees are deep")
    if fr != first_root:
        raise ProofError("the proof does not lead to the first root")
    if sr != second_root:
        raise ProofError("the proof does not lead to the second root")


def first_difference(roots: Mapping[int, bytes], tree: Tree) -> int | None:
    """Where ``tree`` first departs from the roots a witness kept, by size; ``None`` if nowhere.

    ``roots`` maps a size to the root the log had at that size (checkpoints kept over
    time). The tree matches a kept root at every size up to the first entry changed
    and at none after (two trees that differ at a leaf differ at every size past it),
    so the first failing size is found in O(log k) roots of k kept. The answer is
    that size's last entry when the size before it was kept too (a checkpoint after
    each append names the exact entry), else the first entry after the last size
    that matched. A size beyond the tree (a truncated log) fails.
    """
    sizes = sorted(roots)
    low, high = 0, len(sizes)  # sizes[:low] hold; sizes[high:] fail
    while low < high:
        middle = (low + high) // 2
        size = sizes[middle]
        if size <= len(tree) and tree.root(size) == roots[size]:
            low = middle + 1
        else:
            high = middle
    if low == len(sizes):
        return None
    failed = sizes[low]
    held = sizes[low - 1] if low else 0
    return failed - 1 if held == failed - 1 else held
