"""Entries others appended, verified now and read into records when needed.

A registry that writes beside other writers is handed, with each of its appends, the
entries they appended since it last read, as a store keeps them (text and columns).
:func:`counted` verifies them as a store is verified (each hash from its content,
each link, each position and column), without building their records, and
:class:`Pending` keeps them until a body or a decision id they bear on is asked for:
then they are read and replayed. A writer on its own bodies never replays the others'.
"""

from __future__ import annotations

from typing import Any

from govflow.errors import InvalidRecord, TamperedLog
from govflow.log.entry import Columns, Entry, Stored, parsed, strictly


class Pending:
    """What a registry has counted in the log but not read into records, in log order.

    Its own entries, made by applying a decision (``applied``: their bodies moved as they
    were made), and others' as a store read them (verified). :meth:`bears_on` says
    whether a decision must wait until they are taken in; :meth:`entries` reads them.
    ``seen`` is the count and last hash of the log with them.
    """

    __slots__ = ("_applied", "_items", "after", "bodies", "ids", "seen")

    def __init__(self, after: tuple[int, str]) -> None:
        #: The count and last hash of the entries taken in before these.
        self.after = self.seen = after
        # Its own entries, and others' texts and columns (their parsed data is let go:
        # a text holds an entry in a fraction of the memory).
        self._items: list[Entry | tuple[str, Columns | None]] = []
        self._applied: set[int] = set()  # positions of the entries already applied
        #: The bodies others' entries are about, and every pending entry's decision id.
        self.bodies: set[object] = set()
        self.ids: set[object] = set()

    def add(self, item: Entry | Stored, *, applied: bool = False) -> None:
        """Count ``item``, the next entry, verified (``applied``: its body has moved)."""
        if isinstance(item, Stored):
            data: Any = item.data  # verified: an entry's shape
            self.bodies.add(data["body"])
            self.ids.add(data["decision"]["id"])
            self._items.append((item.text, item.columns))
            return
        self.ids.add(item.decision.id)
        if applied:
            self._applied.add(len(self._items))
        else:  # its body waits for it too
            self.bodies.add(item.body)
        self._items.append(item)

    def appended(self, entry: Entry) -> None:
        """Count ``entry``, appended after these by the registry, its body moved."""
        self.add(entry, applied=True)
        self.seen = (entry.seq + 1, entry.hash)

    def forget(self, entry: Entry) -> None:
        """Forget ``entry``, the last the registry appended: its append was not committed."""
        if self._items and self._items[-1] is entry:
            self._items.pop()
            self._applied.discard(len(self._items))
            self.ids.discard(entry.decision.id)
            self.seen = (entry.seq, entry.prev)

    def bears_on(self, body: str, decision_id: str) -> bool:
        """Whether a pending entry is about ``body`` or records ``decision_id``."""
        return body in self.bodies or decision_id in self.ids

    def entries(self) -> list[Entry]:
        """Every pending entry, read strictly.

        Raises:
            TamperedLog: One cannot be read into a record.
        """
        read: list[Entry] = []
        for n, item in enumerate(self._items, self.after[0]):
            try:
                read.append(item if isinstance(item, Entry) else next(strictly(parsed([item]), n)))
            except InvalidRecord as error:
                raise TamperedLog(n, "malformed", str(error)) from None
        return read

    def unapplied(self, entries: list[Entry]) -> list[Entry]:
        """Of ``entries`` (:meth:`entries`), those whose bodies have not moved yet."""
        return [entry for n, entry in enumerate(entries) if n not in self._applied]


def counted(
    pending: Pending | None,
    seen: tuple[int, str],
    entry: Entry | None,
    items: list[Entry | Stored],
    log: tuple[str, int],
    *,
    applied: bool = False,
) -> Pending | None:
    """``pending`` (new, after ``seen``, if ``None``) with ``items`` counted in after it.

    ``items`` are the entries of a log of ``log`` (its lifecycle's fingerprint and
    schema) from ``seen`` on: those an append of ``entry`` came back with, or (``entry``
    ``None``) those read after a conflict. They are verified (hashes, links, positions
    and columns) as :func:`~govflow.log.verify.verify` verifies a store, without reading
    them into records; ``None`` if they are not that, ``entry`` among them, and nothing
    is counted. ``applied``: ``entry``'s body has moved already.
    """
    from govflow.log.verify import verify  # noqa: PLC0415 - loaded when catching up

    if not items or (entry is not None and not any(item is entry for item in items)):
        return None
    verified = verify(items, log[0], schema=log[1], after=seen)
    if not verified.ok:
        return None
    pending = Pending(seen) if pending is None else pending
    for item in items:
        pending.add(item, applied=applied and item is entry)
    pending.seen = (verified.count, verified.head)
    return pending


def bears_on(items: list[Stored], body: str, decision_id: str) -> bool:
    """Whether a stored entry among ``items`` is about ``body`` or records ``decision_id``.

    One that is not an entry's plain data may be either, and so bears on it.
    """
    for item in items:
        data: Any = item.data if isinstance(item.data, dict) else {}
        decision = data.get("decision")
        if not isinstance(decision, dict):
            return True
        if body == data.get("body") or decision_id == decision.get("id"):
            return True
    return False
