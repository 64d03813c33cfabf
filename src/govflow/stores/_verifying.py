"""Verifying a store whole, as ``govflow verify`` does.

Its entries (each hash and link, against any checkpoints and signed tree heads), its
own record of its end, the Merkle nodes it keeps, and a torn last line: one read of
the log, the nodes compared as the entries go by.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

import attrs

from govflow.canonical import DIGEST
from govflow.errors import TamperedLog
from govflow.log.entry import Entry, Stored, content_hash
from govflow.log.problem import Problem, ProblemKind, Verification
from govflow.log.roots import KeptNodes
from govflow.log.verify import verify

if TYPE_CHECKING:
    from govflow.log.checkpoint import Checkpoint, TreeHead
    from govflow.stores._base import Store

#: What :meth:`Store.verify` says makes altered Merkle nodes again.
REMEDY = "call the store's tree(rebuild=True)"


def audited(
    store: Store,
    checkpoint: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None,
    *,
    remedy: str = REMEDY,
    reading: Callable[[Iterator[Stored]], Iterator[Stored]] | None = None,
) -> Verification:
    """``store`` verified whole; the first problem names its entry.

    Args:
        store: The store.
        checkpoint: As :func:`govflow.log.verify` takes them.
        remedy: What makes the store's Merkle nodes again, as a message tells it.
        reading: Wraps the records as they are read (a progress count, say).
    """
    nodes = KeptNodes(store.kept_nodes(), remedy)
    records = store.stored() if reading is None else reading(store.stored())
    found = verify(_taking(records, nodes), store.fingerprint, checkpoint, schema=store.schema)
    result = store.check_tip(found)
    problem = result.problem
    parted = nodes.parted
    if problem is not None and problem.kind == "rewritten" and parted is not None:
        # Where the nodes kept before the rewrite part from the entries: the first entry
        # rewritten (nodes that part before the entries the checkpoints vouch for were
        # altered themselves: the first entry the checkpoints leave open is kept).
        said = f"; the Merkle nodes the store keeps part from its entries at entry {parted}"
        lead = attrs.evolve(problem, seq=max(problem.seq, parted), message=problem.message + said)
        return attrs.evolve(result, problem=lead)
    torn = getattr(store, "torn", None)  # a JSON Lines store's last line, cut short
    if problem is not None and problem.kind == "truncated" and torn is not None:
        # Short of a checkpoint by a line a crash cut: say so, and how it is mended.
        return attrs.evolve(
            result, problem=attrs.evolve(problem, message=f"{problem.message}; {torn}")
        )
    if problem is not None:
        return result
    fault = nodes.problem(result.count, lambda: len(store) > result.count)
    if fault is not None:
        return Verification(result.count, result.head, Problem(fault[0], "tree", fault[1]))
    if torn is not None:
        return Verification(result.count, result.head, Problem(result.count, "torn", str(torn)))
    return result


def _taking(records: Iterable[Stored], nodes: KeptNodes) -> Iterator[Stored]:
    """Pass ``records`` on; each one verification went past gives ``nodes`` its hash."""
    for record in records:
        yield record  # resumed when verification asks for the next: this one was sound
        digest = record.data.get("hash") if isinstance(record.data, dict) else None
        if type(digest) is not str or DIGEST.fullmatch(digest) is None:
            return  # verification stops here, and names the entry
        nodes.take(digest)


def unsound(stored: list[Stored], entries: list[Entry]) -> list[int]:
    """The entries whose content does not hash to their hash, or whose link is broken."""
    found = [content_hash(s.data, s.text or None) for s in stored]
    bad = {e.seq for e, f in zip(entries, found, strict=True) if f is None or f[2] != f[3]}
    return sorted(bad | {b.seq for a, b in pairwise(entries) if b.prev != a.hash})


def at_tip(found: Verification, tip: tuple[int, str] | TamperedLog) -> Verification:
    """``found`` (its entries verified), or where a store's own record of its end disagrees.

    ``tip`` is that record (the count and head), or the error reading it raised. It may
    be further on (another writer appended), never short of the entries nor at another head.
    """
    if isinstance(tip, TamperedLog):  # the head row and the entries disagree (PostgreSQL)
        kind: ProblemKind = "truncated" if tip.kind == "truncated" else "inserted"
        return Verification(found.count, found.head, Problem(tip.seq, kind, tip.why))
    count, head = tip
    if count > found.count or (count, head) == (found.count, found.head):
        return found
    why = f"the store records {count} entries, ending in {head[:12]}…; its entries end "
    why += f"at entry {found.count - 1}, {found.head[:12]}…"
    seq = count if count < found.count else found.count - 1  # its first entry past, or last
    return Verification(found.count, found.head, Problem(seq, "misindexed", why))
