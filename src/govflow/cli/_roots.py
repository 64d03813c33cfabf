"""What ``govflow verify`` checks of the Merkle tree: signed roots, and the nodes a store keeps.

Signed roots and kept nodes are checked while the log is read through for verification,
in O(log n) memory (:class:`~govflow.log.roots.Frontier`): each entry's nodes are made as
the tree would make them and compared with the nodes kept, read in order. No second pass.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from govflow.canonical import DIGEST
from govflow.errors import unsecret
from govflow.log.merkle import EMPTY_ROOT
from govflow.log.roots import Frontier

if TYPE_CHECKING:
    from govflow.log.checkpoint import TreeHead
    from govflow.log.entry import Stored

Problem = dict[str, object]


def remedy_of(url: str) -> str:
    """What makes the Merkle nodes of the store at ``url`` again: ``govflow tree --rebuild``.

    The URL as a shell takes it, with any password shown as ``***``.
    """
    return f"run `govflow tree {shown_url(url)} --rebuild`"


def shown_url(url: str) -> str:
    """``url`` as a message shows it: any password as ``***``, quoted for a shell if need be."""
    return shlex.quote(unsecret(url))


class Roots:
    """The Merkle roots at some sizes, and where the nodes kept part from the entries'.

    Args:
        sizes: The sizes whose roots are wanted.
        kept: The nodes a store keeps, in order (empty: none).
        remedy: What to do when they are found wrong.
    """

    def __init__(self, sizes: set[int], kept: Iterator[bytes], remedy: str) -> None:
        self.sizes, self.kept, self.remedy = sizes, kept, remedy
        self.roots: dict[int, bytes] = {0: EMPTY_ROOT}
        #: How many kept nodes were compared, and the entry whose node first differs.
        self.compared = 0
        self.parted: int | None = None
        self._frontier = Frontier()
        self._more = True

    def reading(self, records: Iterable[Stored]) -> Iterator[Stored]:
        """Pass ``records`` on, taking the roots and comparing the nodes of each."""
        for record in records:
            yield record
            digest = record.data.get("hash") if isinstance(record.data, dict) else None
            if type(digest) is not str or DIGEST.fullmatch(digest) is None:
                return  # verification stops here, and names the entry
            self.take(digest)

    def take(self, digest: str) -> None:
        """Take the next entry's hash (verified): its leaf, the roots, the nodes to compare."""
        frontier = self._frontier
        seq = len(frontier)
        made = frontier.append(bytes.fromhex(digest))
        if len(frontier) in self.sizes:
            self.roots[len(frontier)] = frontier.root()
        if self._more and self.parted is None:
            self._compare(seq, made)

    def _compare(self, seq: int, made: list[bytes]) -> None:
        for node in made:
            kept = next(self.kept, None)
            if kept is None:
                self._more = False
                return
            self.compared += 1
            if kept != node:
                self.parted = seq
                return

    def problem(
        self, count: int, tree_heads: Sequence[TreeHead], grown: Callable[[], bool]
    ) -> Problem | None:
        """The first thing wrong, once the log of ``count`` entries verified.

        ``grown`` tells whether the log now holds more than ``count`` entries: a writer
        appending while it was read keeps nodes past them, and that is no fault.
        """
        for tree_head in tree_heads:
            if tree_head.size > count:
                message = (
                    f"the checkpoint signs {tree_head.size} entries, and the log has {count}: "
                    "it was cut short"
                )
                return {"seq": count, "kind": "checkpoint", "message": message}
            root = self.roots[tree_head.size].hex()
            if root != tree_head.root:
                message = (
                    f"the checkpoint's Merkle root {tree_head.root[:16]}... is not the root of "
                    f"the log's first {tree_head.size} entries ({root[:16]}...)"
                )
                return {"seq": tree_head.size - 1, "kind": "checkpoint", "message": message}
        if self.parted is not None:
            message = (
                "the Merkle nodes the store keeps are not its entries' from this entry on "
                f"(altered at rest?): proofs from them fail; {self.remedy} to have them made "
                "again"
            )
            return {"seq": self.parted, "kind": "tree", "message": message}
        if self._more and next(self.kept, None) is not None and not grown():
            message = (
                f"the store keeps Merkle nodes past the log's {count} entries: it was cut "
                f"short after they were kept, or they are another log's; {self.remedy}"
            )
            return {"seq": count, "kind": "tree", "message": message}
        return None
