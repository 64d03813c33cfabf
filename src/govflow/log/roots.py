"""Roots over time: one taken while a log is read through, and where a log left kept roots.

:class:`Frontier` gives the root of a growing list of leaves in O(log n) memory, and
the nodes a :class:`~govflow.log.merkle.Tree` keeps for each leaf, in its order:
``govflow verify`` compares those with the nodes a store keeps as it reads the log.
:func:`first_difference` finds, from the roots a witness kept over time, the first
entry where a log departs from them.
"""

from __future__ import annotations

from collections.abc import Mapping

from govflow.errors import require
from govflow.log.merkle import EMPTY_ROOT, Tree, leaf_hash, node_hash

__all__ = ["Frontier", "first_difference"]


class Frontier:
    """The root of a growing list of leaves, in O(log n) memory: one node per set bit of its size.

    For checking a root while reading a log through, where keeping a :class:`Tree`
    would cost two nodes an entry.
    """

    def __init__(self) -> None:
        self._nodes: list[bytes] = []
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, leaf: bytes) -> list[bytes]:
        """Add a leaf (its data: the leaf hash is taken here); return the nodes it made.

        They are the nodes a :class:`Tree` keeps for this leaf, in its order: its leaf
        hash, then each complete subtree it closes.
        """
        node, size = leaf_hash(leaf), self._size
        made = [node]
        while size & 1:  # each complete subtree this leaf closes merges into one
            node = node_hash(self._nodes.pop(), node)
            made.append(node)
            size >>= 1
        self._nodes.append(node)
        self._size += 1
        return made

    def root(self) -> bytes:
        """The root of the leaves so far."""
        if not self._nodes:
            return EMPTY_ROOT
        root = self._nodes[-1]
        for node in reversed(self._nodes[:-1]):
            root = node_hash(node, root)
        return root


def first_difference(roots: Mapping[int, bytes], tree: Tree) -> int | None:
    """Where ``tree`` first departs from the roots a witness kept, by size; ``None`` if nowhere.

    ``roots`` maps a size to the root the log had at that size (checkpoints kept over
    time). The tree matches a kept root at every size up to the first entry changed
    and at none after (two trees that differ at a leaf differ at every size past it),
    so the first failing size is found in O(log k) roots of k kept. The answer is
    that size's last entry when the size before it was kept too (a checkpoint after
    each append names the exact entry), else the first entry after the last size
    that matched. A size beyond the tree (a truncated log) fails.

    Raises:
        InvalidRecord: ``roots`` is no mapping of sizes to 32-byte roots, or ``tree`` no Tree.
    """
    fits = isinstance(roots, Mapping) and all(
        type(n) is int and n > 0 and type(r) is bytes and len(r) == 32  # noqa: PLR2004
        for n, r in roots.items()
    )
    require(fits, "first_difference", "roots", "a mapping of log sizes to 32-byte roots", roots)
    require(isinstance(tree, Tree), "first_difference", "tree", "a Merkle Tree", tree)
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
