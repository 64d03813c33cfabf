"""Roots over time: one taken while a log is read through, and where a log left kept roots.

:class:`Frontier` gives the root of a growing list of leaves in O(log n) memory, and
the nodes a :class:`~govflow.log.merkle.Tree` keeps for each leaf, in its order:
:class:`KeptNodes` compares those with the nodes a store keeps as it reads the log.
:func:`first_difference` finds, from the roots a witness kept over time, the first
entry where a log departs from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from govflow.errors import require
from govflow.log.merkle import EMPTY_ROOT, Tree, leaf_hash, node_hash

__all__ = ["Frontier", "KeptNodes", "first_difference"]


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


class KeptNodes:
    """Where the Merkle nodes a store keeps part from those its entries make.

    Fed each verified entry's hash in order (:meth:`take`), it compares the nodes each
    makes with the next ones kept, in O(log n) memory: no second pass over the log.

    Args:
        kept: The nodes the store keeps, in order (empty: none).
        remedy: What makes them again, as the message tells it ("run ...").
    """

    def __init__(self, kept: Iterator[bytes], remedy: str) -> None:
        self.kept, self.remedy = kept, remedy
        #: The entry whose node first differs from the node kept.
        self.parted: int | None = None
        self._first = 0  # the first entry under the node that differs
        self._frontier = Frontier()
        self._more = True

    def take(self, digest: str) -> None:
        """Take the next entry's hash (verified, in hex), and compare the nodes it makes."""
        if not self._more or self.parted is not None:  # nothing more to compare
            return
        seq = len(self._frontier)
        for height, node in enumerate(self._frontier.append(bytes.fromhex(digest))):
            kept = next(self.kept, None)
            if kept is None:
                self._more = False
                return
            if kept != node:  # the node over the 2**height entries this one ends
                self.parted, self._first = seq, seq - (1 << height) + 1
                return

    def problem(self, count: int, grown: Callable[[], bool]) -> tuple[int, str] | None:
        """The entry and message of the first fault, once ``count`` entries were taken.

        ``grown`` tells whether the log now holds more than ``count`` entries: a writer
        appending while it was read keeps nodes past them, and that is no fault.
        """
        if self.parted is not None:
            where = (
                "from this entry on"
                if self._first == self.parted
                else f"from the node over entries {self._first} to {self.parted}, made as this "
                "entry was added"
            )
            message = (
                f"the Merkle nodes the store keeps are not its entries' {where}: "
                "the nodes were altered at rest, or the entries were rewritten, their hashes "
                "recomputed, after the nodes were kept (verify against a checkpoint a partner "
                f"kept to tell which); proofs from them fail. If the entries hold, "
                f"{self.remedy} to have them made again"
            )
            return self.parted, message
        if self._more and next(self.kept, None) is not None and not grown():
            message = (
                f"the store keeps Merkle nodes past the log's {count} entries: it was cut "
                "short after they were kept, or they are another log's (verify against a "
                "checkpoint a partner kept to tell which: the nodes are the evidence of the "
                f"cut until then); once it is known, {self.remedy}"
            )
            return count, message
        return None


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
