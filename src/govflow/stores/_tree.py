"""The Merkle tree a store keeps beside its entries: read node by node, caught up when behind.

A store keeps the nodes of its log's tree in the order :func:`~govflow.log.merkle.position`
gives (a table, or a file beside a JSON Lines log), so that a root or a proof reads
O(log n) of them, kept :data:`BATCH` leaves at a time: the nodes of the last few
entries are made from their hashes when read. The nodes are derived data: when they
are missing or behind the log (a log written before they were kept, a crash between the
entry and its nodes), they are made again from the entries' hashes (and kept, a whole
batch at a time, by a store that may write). Nodes kept that are not the log's, past
its end or parting from its entries, are made again when read but kept as they are,
evidence that entries were cut from it (or that they are another log's), until
rebuilt on purpose. What is kept is
checked at its last leaf against the log's entry there: the hash chain commits that
entry to every one before it, so nodes that pass belong to this log. An inner node
altered at rest is caught by ``govflow verify``, which rebuilds the root.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Protocol

from govflow.canonical import DIGEST
from govflow.errors import InvalidRecord, NotALog
from govflow.log.merkle import Tree, leaf_hash, node_count, position, size_of
from govflow.log.where import READING

#: Where a tree's nodes start in a store's keeping, and the tree.
Grown = tuple[int, Tree]

#: A store keeps its tree's nodes a batch of leaves at a time: the append whose leaf
#: ends a batch keeps the nodes of the batch (about two a leaf), and a root or a proof
#: makes those of the leaves since, fewer than ``BATCH``, from the entries' hashes.
#: Keeping them with every append cost a query and a write an append: one writer on
#: PostgreSQL used 0.99 times the CPU (client and server) of a node made with every
#: append at 16 leaves a batch, 0.88 at 64, 0.82-0.87 with no node kept at all (medians
#: of 6 alternating runs of 1,000 appends); with 4 writers on distinct bodies, 0.89-0.90
#: times eventsourcing's appends a second with a node kept on every append, 1.05-1.11
#: with none kept, and 1.02-1.05 kept 64 leaves at a time (``benchmarks/writers.py``,
#: each the median of three runs).
BATCH = 64


def batches(count: int) -> int:
    """How many whole batches of :data:`BATCH` leaves the log of ``count`` entries holds."""
    return count // BATCH


def batch_of(seq: int) -> int:
    """The first leaf of the batch leaf ``seq`` is in."""
    return seq - seq % BATCH


class Kept(Protocol):
    """The nodes a store keeps: how many, each by position, and all in order."""

    def __len__(self) -> int: ...

    def __getitem__(self, position: int, /) -> bytes: ...

    def __iter__(self) -> Iterator[bytes]: ...

    def some(self, positions: list[int], /) -> dict[int, bytes]:
        """The nodes at ``positions`` that are kept (32 bytes each), in one read."""
        ...


def leaf(digest: object, seq: int) -> bytes:
    """An entry's hash as the bytes its leaf is made of.

    Raises:
        InvalidRecord: It is not 64 lower-case hex digits; the error names the entry.
    """
    if type(digest) is not str or DIGEST.fullmatch(digest) is None:
        raise InvalidRecord(f"Entry #{seq}", "hash", "64 lower-case hex digits", digest, READING)
    return bytes.fromhex(digest)


def grown(
    kept: Kept | None,
    count: int,
    hashes_since: Callable[[int], Iterator[object]],
    last: str | None = None,
    *,
    anew: bool = True,
) -> Grown:
    """The tree of the log's first ``count`` entries, from the nodes kept and the entries.

    Args:
        kept: The nodes the store keeps (``None``: it keeps none).
        count: How many entries the log has.
        hashes_since: The entries' hashes from a position on, in order.
        last: The hash of entry ``count - 1`` when the caller knows it (an append
            does), so that nodes in step with the log need no entry read.
        anew: Make the tree from every entry when the nodes kept are not the log's
            (:func:`disowned`); else give an empty tree from 0 at once (an append, which
            then keeps no node, need not read the whole log).

    Returns:
        Where the tree's new nodes (:attr:`Tree.made`) start among those kept (every
        node from there on is to be replaced by them), and the tree.

    Raises:
        InvalidRecord: An entry's hash, read to make a node, is not one.
    """
    size = 0 if kept is None else min(size_of(len(kept)), count)
    tree, hashes = Tree(), None  # the entries' hashes from ``size`` on, once read
    if size and kept is not None:
        if size == count and last is not None:
            known: object = last
        else:  # the last kept leaf's entry, then those to add: one read
            hashes = hashes_since(size - 1)
            known = next(hashes, None)
        at = position(0, size - 1)
        found = kept.some([at, *peaks(size)])  # and the nodes appending reads: one read
        if found.get(at) == leaf_hash(leaf(known, size - 1)):
            tree = Tree.over(_Peaks(kept, found), size)
        elif not anew:  # another log's, this one's before a cut, or not there (disowned)
            return 0, tree
        else:
            size, hashes = 0, None
    if size < count:
        hashes = hashes_since(size) if hashes is None else hashes
        for seq, digest in enumerate(islice(hashes, count - size), size):
            tree.append(leaf(digest, seq))
    return node_count(size), tree


def past_the_log(kept: Kept | None, count: int) -> bool:
    """Whether nodes are kept past the end of the log of ``count`` entries.

    Entries were cut from the log after their nodes were kept (or the nodes are a
    longer log's): the nodes are evidence of what the log was. No store writes over
    them unless told to rebuild its nodes, and ``govflow verify`` names them.
    """
    return kept is not None and len(kept) > node_count(count)


def disowned(kept: Kept | None, start: int) -> bool:
    """Whether nodes are kept that are not the log's: :func:`grown` made its tree anew.

    ``start`` is where :func:`grown` put its new nodes: from 0, with nodes kept, when the
    last leaf they hold is not the log's (entries were cut from the log and others
    appended since, or the nodes are another log's). Such nodes are evidence of what
    the log was, as those past its end are (:func:`past_the_log`): no store writes over
    them unless told to rebuild its nodes, and ``govflow verify`` names the entry where
    they part from the log.
    """
    return start == 0 and kept is not None and len(kept) > 0


def evidence(kept: Kept | None, count: int, start: int) -> bool:
    """Whether nodes are kept that are evidence, not to be written over.

    Past the log of ``count`` entries (:func:`past_the_log`), or not its own
    (:func:`disowned`; ``start`` is where :func:`grown` put its new nodes).
    """
    return past_the_log(kept, count) or disowned(kept, start)


def worth_keeping(
    kept: Kept | None, count: int, last: str | None, hashes_since: Callable[[int], Iterator[object]]
) -> bool:
    """Whether the nodes a log of ``count`` entries lacks may be made and kept now.

    Not while those kept are evidence (:func:`evidence`); finding so reads the entry of
    the last leaf kept (``last``: the log's last hash), not every entry, as making the
    tree to keep none of it would at every batch's end.
    """
    start, _ = grown(kept, count, hashes_since, last, anew=False)
    return not evidence(kept, count, start)


def appended(
    kept: Kept | None,
    seq: int,
    digest: str,
    hashes_since: Callable[[int], Iterator[object]],
    last: str | None,
) -> Grown | None:
    """The nodes to keep with entry ``seq`` (hash ``digest``): ``None`` but at a batch's end.

    An entry whose leaf ends a batch (``seq + 1`` a multiple of :data:`BATCH`) gets the
    nodes of every leaf since those kept (:func:`grown`), its own among them; any other
    gets none, nor does any while nodes are kept past the log (:func:`past_the_log`) or
    not the log's (:func:`disowned`).

    Args:
        kept: The nodes the store keeps (``None``: it keeps none yet).
        seq: The entry's position: how many entries the log had before it.
        digest: The entry's hash.
        hashes_since: The entries' hashes from a position on, in order.
        last: The hash of entry ``seq - 1`` (``None`` when ``seq`` is 0).

    Returns:
        ``None``, or where the new nodes start among those kept (every node kept from
        there on is to be replaced by them), and the tree whose :attr:`Tree.made` they are.
    """
    if batches(seq + 1) == batches(seq) or past_the_log(kept, seq):  # or they are evidence
        return None
    start, tree = grown(kept, seq, hashes_since, last, anew=False)
    if disowned(kept, start):
        return None
    tree.append(leaf(digest, seq))
    return start, tree


def peaks(size: int) -> list[int]:
    """The positions of the complete subtrees the tree of ``size`` leaves splits into.

    One for each set bit of ``size``, the largest first: appending leaves to the tree
    reads no other node made before them.
    """
    found, done = [], 0
    for height in reversed(range(size.bit_length())):
        if size >> height & 1:
            found.append(position(height, done >> height))
            done += 1 << height
    return found


class _Peaks:
    """Nodes kept, with some read already (:func:`peaks`: all that appending reads)."""

    def __init__(self, kept: Kept, found: dict[int, bytes]) -> None:
        self._kept, self._peaks = kept, found

    def __getitem__(self, at: int) -> bytes:
        found = self._peaks.get(at)
        return self._kept[at] if found is None else found


def following(first: int, found: dict[int, bytes], digests: list[object]) -> list[bytes] | None:
    """The nodes of leaves ``first`` on, over the nodes kept: ``None`` if those are not in step.

    For a store that reads what it needs in one go (PostgreSQL's ``keep_batch``).

    Args:
        first: How many leaves have their nodes kept (a multiple of :data:`BATCH`).
        found: The nodes kept at the :func:`peaks` of ``first`` and at leaf ``first - 1``.
        digests: The hashes of entries ``first - 1`` (if ``first``) on: the last kept
            leaf's, to check the nodes kept are this log's, then those of the new leaves.

    Raises:
        InvalidRecord: An entry's hash is not one.
    """
    tree = Tree()
    if first:
        at = position(0, first - 1)
        wanted = [at, *peaks(first)]
        if not digests or any(found.get(p) is None for p in wanted):
            return None
        if found[at] != leaf_hash(leaf(digests[0], first - 1)):
            return None  # another log's, or one since cut short
        tree, digests = Tree.over(found, first), digests[1:]
    for seq, digest in enumerate(digests, first):
        tree.append(leaf(digest, seq))
    return tree.made


#: Rows of nodes read in one query.
_PAGE = 2_000
#: A store's reading of its node table: a statement's name (``node_count``, ``node``
#: or ``nodes``) and its arguments, to the rows it gives.
Read = Callable[[str, tuple[object, ...]], list[tuple[object, ...]]]


class TableNodes:
    """The nodes a database store keeps in its ``govflow_tree`` table, read as asked.

    Args:
        read: Runs one of the store's node statements.
        where: The store, for errors.
    """

    def __init__(self, read: Read, where: str) -> None:
        self._read, self._where = read, where

    def __len__(self) -> int:
        found = self._read("node_count", ())
        top = found[0][0] if found else None
        return top if type(top) is int and top > 0 else 0

    def __getitem__(self, at: int) -> bytes:
        found = self._read("node", (at,))
        node = found[0][0] if found else None
        if type(node) is not bytes or len(node) != 32:  # noqa: PLR2004 - a SHA-256 hash
            raise NotALog(
                self._where,
                f"its Merkle node {at} is missing or not 32 bytes (altered at rest?): "
                "store.tree(rebuild=True) makes the nodes again from the entries",
            )
        return node

    def some(self, positions: list[int]) -> dict[int, bytes]:
        rows = self._read("some", (positions,))
        return {p: n for p, n in rows if type(p) is int and type(n) is bytes and len(n) == 32}  # noqa: PLR2004

    def __iter__(self) -> Iterator[bytes]:
        """Every node from position 0, in order; a missing or malformed one as ``b""``.

        A gap, or a row that is not a 32-byte node, is given as ``b""`` (no node equals
        it), so that a comparison with the entries' nodes names it; what follows a gap
        is not read.
        """
        after = -1
        while True:
            page = self._read("nodes", (after, _PAGE))
            for at, node in page:
                if type(at) is not int or at != after + 1:
                    yield b""  # a gap: the node at after + 1 is missing
                    return
                yield node if type(node) is bytes and len(node) == 32 else b""  # noqa: PLR2004
                after = at
            if len(page) < _PAGE:
                return


def node_statements(mark: str, table: str = "govflow_tree") -> dict[str, str]:
    """The node table's statements, with ``mark`` for a parameter and ``table`` named so."""
    texts = {
        "node_count": "SELECT coalesce(max(pos) + 1, 0) FROM {t}",
        "node": "SELECT hash FROM {t} WHERE pos = ?",
        "nodes": "SELECT pos, hash FROM {t} WHERE pos > ? ORDER BY pos LIMIT ?",
        "drop_nodes": "DELETE FROM {t} WHERE pos >= ?",
        # A row left past the log (altered at rest) is written over, not refused.
        "insert_node": (
            "INSERT INTO {t} VALUES (?, ?) ON CONFLICT (pos) DO UPDATE SET hash = excluded.hash"
        ),
    }
    return {name: text.format(t=table).replace("?", mark) for name, text in texts.items()}
