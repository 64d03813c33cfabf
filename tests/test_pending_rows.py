"""Others' entries counted before they are read, with no server.

``log.unread.Pending`` holds the entries other writers appended until a decision or a
read needs them; ``stores._postgres_hold.taken`` hands over the rows a PostgreSQL hold
read after its append. Both are tested here on entries made in memory: the tests that
need a server are in ``test_append_ahead.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import structlog

from govflow import Kind, Registry, TamperedLog
from govflow.errors import StoreFailed
from govflow.log.entry import Stored, entry_text

from .helpers import LIFECYCLE, make

QUIET = structlog.wrap_logger(structlog.ReturnLogger())


def test_an_entry_counted_that_cannot_be_read_is_named_when_asked_for() -> None:
    from govflow.log.entry import Columns  # noqa: PLC0415
    from govflow.log.unread import Pending  # noqa: PLC0415

    registry = Registry(LIFECYCLE, logger=QUIET)
    entry = registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    text = entry_text(entry).replace('"kind":"propose"', '"kind":"no such kind"')
    pending = Pending((7, entry.prev))
    pending.add(Stored(text, json.loads(text), Columns(7, "b", "p", entry.prev, entry.hash, 3)))
    assert pending.bears_on("b", "other")
    assert pending.bears_on("c", "p")
    with pytest.raises(TamperedLog, match=r"at entry 7 .*decision\.kind"):
        pending.entries()


def test_an_own_entry_counted_unapplied_waits_with_the_others() -> None:
    """An entry of the registry's own counted with its body not moved is replayed later."""
    from govflow.log.unread import Pending  # noqa: PLC0415

    registry = Registry(LIFECYCLE, logger=QUIET)
    moved = registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    waiting = registry.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
    pending = Pending((0, moved.prev))
    pending.add(moved, applied=True)
    pending.add(waiting)  # not applied: its body waits for it
    assert pending.bodies == {"c"}
    assert pending.bears_on("c", "none")
    assert not pending.bears_on("b", "none")
    assert pending.bears_on("x", "p")
    assert pending.bears_on("x", "q")
    assert pending.unapplied(pending.entries()) == [waiting]


def test_taken_hands_over_the_others_rows_as_stored_and_its_own_entry() -> None:
    """The rows from ``seen`` on: the others' as stored (parsed JSON), its own row not parsed."""
    from govflow.log.entry import Columns  # noqa: PLC0415
    from govflow.stores import _postgres_hold  # noqa: PLC0415

    registry = Registry(LIFECYCLE, logger=QUIET)
    for n in range(4):
        registry.apply(make(f"p{n}", Kind.PROPOSE, "LGA", 0, body=f"b{n}"))
    entries = list(registry.log)
    mine = entries[2]
    columns = [Columns(e.seq, e.body, e.decision.id, e.prev, e.hash, e.schema) for e in entries]
    page = [(*columns[e.seq], entry_text(e)) for e in entries[1:]]
    page[1] = (*columns[2], "its own row, not read again")

    def nothing_more(start: int) -> Iterator[tuple[object, Columns | None]]:
        raise AssertionError(start)  # a page shorter than NEWS: nothing more is read

    taken = _postgres_hold.taken(page, 1, mine, nothing_more)
    assert taken[1] is mine
    for at in (1, 3):  # its text, the JSON it holds, its columns
        text = entry_text(entries[at])
        assert taken[at - 1] == Stored(text, json.loads(text), columns[at])
    # Its row is known by every column: a row not its own is handed over like the others.
    page[1] = (*columns[3], entry_text(entries[3]))
    assert [type(t) for t in _postgres_hold.taken(page, 1, mine, nothing_more)] == [Stored] * 3
    # A full page: the rest are read now, as far as they can be.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_postgres_hold, "NEWS", 1)

        def rest(start: int) -> Iterator[tuple[object, Columns | None]]:
            assert start == 2
            yield entry_text(mine), columns[2]
            raise StoreFailed("db", "gone")

        assert _postgres_hold.taken(page[:1], 1, mine, rest)[1:] == [mine]
