"""A Merkle tree over a log's entries, with RFC 6962 / RFC 9162 hashing and proofs.

Leaf ``i`` is the hash of entry ``i`` (its 32 bytes, the hash the chain already holds);
its leaf hash is ``SHA-256(0x00 || leaf)`` and a node's ``SHA-256(0x01 || left ||
right)``, as in Certificate Transparency. The tree is derived from the entries alone,
so every log ever written has one: no entry changes, and no schema.

:class:`Tree` keeps the hash of every complete subtree (about two hashes an entry), so
that appending costs amortised O(1) hashes, and a root, an inclusion proof or a
consistency proof for any size costs O(log n) hashes. Stores keep those nodes (a
table, or a file beside a JSON Lines log): a proof from a log of a million entries
reads a few hundred of them, and makes from the entries at most the nodes of the few
last leaves a store keeps no node for yet. :func:`verify_inclusion` and
:func:`verify_consistency` follow RFC 9162 sections 2.1.3.2 and 2.1.4.2, and are
checked against the transparency-dev test vectors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import Protocol

from govflow.canonical import DIGEST
from govflow.errors import ProofError, shown

__all__ = [
    "EMPTY_ROOT",
    "Nodes",
    "ProofError",
    "Tree",
    "closed",
    "leaf_hash",
    "node_count",
    "node_hash",
    "position",
    "size_of",
    "verify_consistency",
    "verify_inclusion",
]

#: The root of the tree of no entries: SHA-256 of nothing.
EMPTY_ROOT = sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """``SHA-256(0x00 || leaf)``.

    Raises:
        ProofError: ``leaf`` is not bytes.
    """
    if type(leaf) is not bytes:
        raise ProofError(f"a leaf must be bytes; got {shown(leaf)}")
    return sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``.

    Raises:
        ProofError: ``left`` or ``right`` is not bytes.
    """
    if type(left) is not bytes or type(right) is not bytes:
        raise ProofError(f"a node's children must be bytes; got {shown(left)}, {shown(right)}")
    return sha256(b"\x01" + left + right).digest()


def _hashes(*hashes: object) -> None:
    """Refuse a hash that is not 32 bytes."""
    if any(type(h) is not bytes for h in hashes):
        raise ProofError("a hash is not bytes")
    if any(len(h) != len(EMPTY_ROOT) for h in hashes):  # type: ignore[arg-type]
        raise ProofError("a hash is not 32 bytes")


def _whole(value: object, name: str) -> None:
    """Refuse a count or a place that is not a whole number from 0."""
    if type(value) is not int or value < 0:
        message = f"{name} must be a whole number from 0; got {shown(value)}"
        raise ProofError(message)


def position(height: int, index: int) -> int:
    """Where node ``index`` of ``height`` is in the tree's nodes, kept in the order made.

    A tree's nodes are kept in post-order: each leaf hash, then the hash of every
    subtree that leaf completes. The nodes of the tree of n leaves are then the
    first :func:`node_count` ``(n)`` of the tree of any larger size, so a store keeps
    them by appending, and a node is found by arithmetic, not by search.
    """
    _whole(height, "height")
    _whole(index, "index")
    if height > 63 or (index + 1) << height > 2**63:  # noqa: PLR2004 - no log holds more
        raise ProofError(f"no tree of at most 2**63 leaves has node {index} of height {height}")
    made_before = (index + 1 << height) - 1  # the leaves before the one completing it
    return 2 * made_before - made_before.bit_count() + height


def node_count(size: int) -> int:
    """How many nodes the tree of ``size`` leaves keeps: ``2 * size - popcount(size)``."""
    _whole(size, "size")
    return 2 * size - size.bit_count()


def size_of(nodes: int) -> int:
    """The largest tree size whose nodes fit in ``nodes`` kept ones."""
    _whole(nodes, "nodes")
    size = nodes // 2
    while node_count(size + 1) <= nodes:  # node_count(nodes // 2) <= nodes: count up from it
        size += 1
    return size


def closed(size: int) -> list[int]:
    """The positions of the subtrees a leaf appended to the tree of ``size`` completes.

    One a trailing one bit of ``size`` (the leaf's sibling, its parent's, ...): all it reads.
    """
    _whole(size, "size")
    found, index, height = [], size, 0
    while index & 1:  # a new complete subtree at each height where this leaf closes one
        found.append(position(height, index - 1))
        index, height = index >> 1, height + 1
    return found


class Nodes(Protocol):
    """Nodes kept somewhere (a file, a table), read by :func:`position`."""

    def __getitem__(self, position: int, /) -> bytes: ...


_NO_NODES: tuple[bytes, ...] = ()
_RAW = (str, bytes, bytearray, memoryview)  # a text or a buffer: no list of nodes or leaves


class Tree:
    """The Merkle tree of a growing list of leaves.

    It keeps the hash of every complete subtree, in the order :func:`position` gives:
    in memory (``Tree(leaves)``), or read one node at a time from nodes a store keeps
    (:meth:`over`). A root or a proof reads O(log n) of them.
    """

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        if not isinstance(leaves, Iterable) or isinstance(leaves, _RAW):
            raise ProofError(f"a tree's leaves come as a list of bytes; got {shown(leaves)}")
        self._kept: Nodes = _NO_NODES
        self._held = 0
        self._made: list[bytes] = []
        self._size = 0
        for leaf in leaves:
            self.append(leaf)

    @classmethod
    def over(cls, nodes: Nodes, size: int) -> Tree:
        """The tree of ``size`` leaves whose nodes are kept in ``nodes`` (read as needed).

        ``nodes`` must hold at least :func:`node_count` ``(size)`` nodes; those after
        them are not read. Appending keeps the new nodes in memory (:attr:`made`). A text
        or a buffer is no sequence of nodes, and is refused (``ProofError``).
        """
        if isinstance(nodes, _RAW) or not callable(getattr(nodes, "__getitem__", None)):
            raise ProofError(f"a tree's kept nodes come as a sequence of bytes; got {shown(nodes)}")
        tree = cls()
        tree._kept, tree._held, tree._size = nodes, node_count(size), size  # checks size
        return tree

    def __len__(self) -> int:
        return self._size

    @property
    def made(self) -> list[bytes]:
        """The nodes appended since the tree was made :meth:`over` kept ones, in order."""
        return list(self._made)

    @classmethod
    def of(cls, hashes: Iterable[str]) -> Tree:
        """The tree of a log, from its entries' hashes (hex): ``Tree.of(e.hash for e in log)``.

        Raises:
            ProofError: ``hashes`` is not a list of entry hashes: each 64 lower-case hex
                digits, as an entry's ``hash`` is written.
        """

        def leaf(h: object) -> bytes:
            if type(h) is not str or DIGEST.fullmatch(h) is None:  # fromhex takes " ", "AB", "0"
                raise ProofError(f"an entry hash is 64 lower-case hex digits; got {shown(h)}")
            return bytes.fromhex(h)

        if not isinstance(hashes, Iterable) or isinstance(hashes, _RAW):
            raise ProofError(f"expected entry hashes in hex; got {shown(hashes)}")
        return cls(leaf(h) for h in hashes)

    def _node(self, height: int, index: int) -> bytes:
        return self[position(height, index)]

    def __getitem__(self, position: int, /) -> bytes:
        """The node at ``position`` (see :func:`position`): a tree is :class:`Nodes` too."""
        if type(position) is not int:
            raise ProofError(f"a tree's node position is a whole number; got {shown(position)}")
        try:
            if 0 <= position < self._held:
                return self._kept[position]
            if position >= self._held:
                return self._made[position - self._held]
        except (IndexError, KeyError):  # fewer nodes kept than the size said
            pass
        message = f"the tree of {self._size} leaves holds no node {position}"
        raise ProofError(message)

    def copy(self) -> Tree:
        """A tree of the same leaves, grown on its own: appending to it leaves this one be.

        Nodes are shared, not copied: a tree only ever adds nodes after those it has.
        """
        return Tree.over(self, self._size)

    def append(self, leaf: bytes) -> None:
        """Add a leaf (its data: the leaf hash is taken here).

        It reads the nodes :func:`closed` names, and makes a node for each.
        """
        made = [leaf_hash(leaf)]
        for sibling in closed(self._size):
            made.append(node_hash(self[sibling], made[-1]))
        self._made.extend(made)
        self._size += 1

    def _hash(self, start: int, end: int) -> bytes:
        """MTH of leaves ``start`` to ``end`` (excluded), split as RFC 9162 splits."""
        size = end - start
        height = size.bit_length() - 1
        if size == 1 << height and start % size == 0:
            return self._node(height, start >> height)
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
        _whole(index, "index")
        if not index < size:
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
        _whole(first, "first")
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
            message = f"{name} must be a whole number from 0 to {len(self)}; got {shown(size)}"
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
    _whole(index, "index")
    _whole(size, "size")
    if not index < size:
        message = f"leaf {index} is not in a tree of {size} leaves"
        raise ProofError(message)
    _hashes(leaf, root, *_listed(proof))
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
    _whole(first, "first")
    _whole(second, "second")
    hashes = [first_root, second_root, *_listed(proof)]
    if any(type(h) is not bytes for h in hashes):
        raise ProofError("a hash is not bytes")
    if not first <= second:
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
    _hashes(*hashes)  # two trees of one size are consistent on equal roots of any length,
    return False  # as transparency-dev's reference and its published vectors have it


def _listed(proof: object) -> list[object]:
    """A proof's hashes; refuse what is not a list of them."""
    if not isinstance(proof, list | tuple):
        raise ProofError(f"a proof must be a list of hashes; got {shown(proof)}")
    return list(proof)


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
