"""A log in a JSON Lines file: a header line, then one canonical entry per line.

The format is for exchange and for simple single-host use. Each append writes one
line and ``fsync``s it before returning. A write cut short by a crash leaves a torn
last line: it is reported with its position (:attr:`JsonlStore.torn`), never
silently dropped, and cut only when :meth:`JsonlStore.repair` is called.

Appends take an exclusive ``flock`` on the file and check that it has not grown
since this store last read it, so a second writer gets an
:class:`~govflow.AppendConflict` instead of interleaving lines;
:meth:`JsonlStore.exclusive` holds that lock across a block (as
``Registry.apply(..., retries=n)`` does), so that writers queue.

The log's Merkle nodes are kept in a file beside it, its name with ``.tree`` added
(``spb.jsonl.tree``): 32 bytes a node, in the order
:func:`~govflow.log.merkle.position` gives. It is written by the append that ends each
batch of 64 leaves (those of the last few are made from the log when read), and made
again from the log when it is missing or behind; nodes in it that are not the log's are
left as evidence until rebuilt (``govflow tree URL --rebuild``), and a new log made at
this path empties it. A read-only store never writes it. Only a regular file of no
other name is read or written there: a link (symbolic or hard), a pipe or a directory in
its place is left alone, and the nodes are made in memory.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from govflow.canonical import parse
from govflow.errors import (
    AppendConflict,
    GovflowError,
    NotALog,
    ReadOnlyStore,
    StoreClosed,
    StoreFailed,
    TamperedLog,
    TornLog,
)
from govflow.log.entry import Columns, Entry, genesis
from govflow.log.merkle import Tree
from govflow.stores._base import Store, hashes
from govflow.stores._header import check_header, header, new_schema
from govflow.stores._jsonl_hold import FileLock
from govflow.stores._lines import Extent, ends_as_read, hash_of, last_line, whole_line
from govflow.stores._paths import check_path, file_path, locked, seconds, uncreated
from govflow.stores._sidecar import Sidecar, regular, write_nodes

#: The longest header line read: a header is about 130 bytes.
_HEADER_MOST = 4096


class JsonlStore(Store):
    """A log in a JSON Lines file.

    Args:
        path: The file; created with its header if it does not exist.
        fingerprint: The lifecycle fingerprint: needed to create the file, and
            checked against the header when given for an existing one.
        durable: ``fsync`` after every append (the default).
        timeout: Seconds to wait for another writer's lock before ``StoreFailed``.

    ``schema`` is the entry schema a new log is created with (``None``: this release's).

    Raises:
        NotALog: The file is not a govflow log.
        LifecycleMismatch: It was written under another lifecycle.
        StoreFailed: Another writer held its lock past ``timeout`` as it was made.
    """

    def __init__(
        self, path: str | Path, fingerprint: str | None = None, *, durable: bool = True,
        read_only: bool = False, schema: int | None = None, timeout: float = 60.0,
    ) -> None:  # fmt: skip
        creating = new_schema(schema, fingerprint, "JsonlStore")
        self.path = file_path("JsonlStore", path, durable=durable, read_only=read_only)
        self.durable, self._closed = durable, False
        #: Seconds to wait for another writer's lock before giving up (``StoreFailed``).
        self.timeout = seconds("JsonlStore", timeout)
        self._marks: dict[int, int] = {}
        self._extent = Extent(0)  # the entries' lines, as far as last read
        self._first = b""  # the header line, as last read
        self._last: str | None = None  # the last entry's hash
        self._stamp = (0, 0)  # the file's modification time and inode, as last read
        where = str(self.path)
        exists = check_path(
            self.path, create=fingerprint is not None and not read_only, read_only=read_only
        )
        #: The file keeping the log's Merkle nodes.
        self.tree_path = self.path.with_name(self.path.name + ".tree")
        self._lock = FileLock(self.path, where)  # the writers' lock, held by exclusive()
        try:
            if not exists or self.path.stat().st_size == 0:
                if fingerprint is None or read_only:
                    raise NotALog(where, uncreated("it is empty", read_only=read_only))
                line = json.dumps(header(fingerprint, creating), sort_keys=True) + "\n"
                # Made under the writers' lock, and never emptied: another process may
                # have made it (and appended) since it was found missing.
                made = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o666)
                with open(made, "ab", buffering=0) as out:  # noqa: PTH123
                    locked(made, self.timeout, where)
                    if os.fstat(made).st_size == 0:
                        out.write(line.encode())
                        os.fsync(made)
                        if regular(self.tree_path):  # a node file left by an earlier log here
                            os.truncate(self.tree_path, 0)  # is none of this one's
            fingerprint, schema = self._scan(fingerprint)
        except OSError as error:
            raise NotALog(where, f"it cannot be read or written ({error.strerror})") from None
        super().__init__(where, fingerprint, schema, read_only=read_only)

    def _scan(self, fingerprint: str | None) -> tuple[str, int]:
        """Read the file: its header, its entries' extent, and any torn tail.

        Read a block at a time, so memory stays flat however long the log is. A file
        that grew since it was last read (its header, and its last complete line's end,
        as they were) is read on from there: a writer catching up with another reads
        what is new, not the log.
        """
        with self.path.open("rb") as source:
            stamp = _stamp(os.fstat(source.fileno()))  # before reading: a later write reads again
            first = source.readline(_HEADER_MOST)  # not a gigabyte with no newline
            if len(first) == _HEADER_MOST and not first.endswith(b"\n"):  # no header is so long
                raise NotALog(str(self.path), f"its first line is longer than {_HEADER_MOST} bytes")
            try:
                found = parse(first)
            except (ValueError, RecursionError):  # not JSON (nor UTF-8), or beyond limits
                raise NotALog(str(self.path), "its first line is not a govflow header") from None
            recorded, schema = check_header(str(self.path), found, fingerprint)
            extent = self._extent
            if first != self._first or not ends_as_read(source, extent, self._last):
                self._first, extent = first, Extent(len(first))
                self._extent, self._marks = extent, {}
            extent.read_on(source)
            self._mark()
            count, end = extent.count, extent.end
            self._last = hash_of(last_line(source, extent.start, end)) if count else None
            # A last line with no newline at its end: the write was cut short (or only its
            # newline was lost: the line is then the next entry whole).
            self.torn = None
            if extent.size > end:
                head = genesis(recorded, schema) if self._last is None else self._last
                whole = whole_line(source, end, extent.size, count, head)
                self.torn = TornLog(str(self.path), count + 2, end, whole=whole)
            self._stamp = stamp
        return recorded, schema

    def _tip(self) -> tuple[int, str | None]:
        # Another writer may have appended since this store last read the file: its
        # size says so, and it is read on from where it ended. A file written over
        # in place (its size kept) is told by its modification time, to its clock's
        # grain; an append checks its header under the writers' lock whatever the time.
        try:
            found = self.path.stat()
            if (found.st_size, _stamp(found)) != (self._extent.size, self._stamp):
                self._scan(self._fingerprint)
        except OSError as error:
            raise NotALog(self.where, f"it can no longer be read ({error.strerror})") from None
        return self._extent.count, self._last

    def _rows(self) -> Iterator[str | bytes]:
        self._tip()  # read on first if another writer appended: as ``len`` counts them
        return self._lines(self._extent.start, self._extent.end)

    def _indexed_since(self, seq: int) -> Iterator[tuple[object, Columns | None]]:
        # Where a count this store has seen ends in the file is known: read from there.
        count, _ = self._tip()  # read the file's extent again if it grew
        offset = self._marks.get(seq)
        if offset is None:
            offset = self._offset_of(seq)
        end = self._extent.end if count >= seq else offset
        return ((text, None) for text in self._lines(offset, end))

    def _indexed_at(self, seq: int) -> Iterator[tuple[object, Columns | None]]:
        offset = self._marks.get(seq)
        if offset is None:
            offset = self._offset_of(seq)
        return islice(((text, None) for text in self._lines(offset, self._extent.end)), 1)

    def _offset_of(self, seq: int) -> int:
        """Where line ``seq`` of the entries starts (the extent's end if there is none)."""
        try:
            source = self.path.open("rb")
        except OSError as error:
            raise NotALog(self.where, f"it can no longer be read ({error.strerror})") from None
        with source:
            return self._extent.offset_of(source, seq)

    def _lines(self, start: int, end: int) -> Iterator[str | bytes]:
        try:
            source = self.path.open("rb")
        except OSError as error:
            raise NotALog(self.where, f"it can no longer be read ({error.strerror})") from None
        with source:
            source.seek(start)
            remaining = end - start
            for line in source:
                if remaining <= 0:
                    break
                remaining -= len(line)
                try:
                    yield line.rstrip(b"\n").decode("utf-8")
                except UnicodeDecodeError:  # no text (its bytes have no one reading): malformed
                    yield line.rstrip(b"\n")

    def _write(self, entry: Entry, text: str) -> None:
        if self._closed:  # as every store's: nothing stays open, but close() means closed
            raise StoreClosed(self.where)
        with self._lock.writing(self.timeout) as out:
            fd = out.fileno()
            # Under the writers' lock, the file as it is now: what another writer
            # appended (or left torn), or a header written over, is read first.
            found = os.fstat(fd)
            first = self._first
            if (found.st_size, _stamp(found)) != (self._extent.size, self._stamp) or (
                os.pread(fd, len(first), 0) != first
            ):
                self._scan(self._fingerprint)
            if self.torn is not None:
                raise self.torn
            extent, head = self._extent, self._head_of(self._last)
            if entry.seq > extent.count:  # the log is shorter than this store read it
                why = f"the log now ends before entry {entry.seq - 1}, which was read"
                raise TamperedLog(extent.count, "truncated", why)
            if entry.seq != extent.count or entry.prev != head:
                raise AppendConflict(extent.count, head, entry.seq, entry.prev)
            line = (text + "\n").encode("utf-8")
            if self._first.endswith(b"\n"):
                self._append_line(fd, line, extent.end)
                extent.grew(1, extent.end + len(line))
            else:  # a header saved with no newline at its end (by an editor): end it
                self._append_line(fd, b"\n" + line, extent.end)
                self._scan(self._fingerprint)
            self._last, self._stamp = entry.hash, _stamp(os.fstat(fd))
            self._mark()
            self._grow(entry)  # still holding the lock, with the counts moved on

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Hold off other writers (the file's lock) until the block ends.

        A registry holds it to catch up and append (``Registry.apply(..., retries=n)``):
        writers queue, not collide. Each append in the block is written (and synced) as
        it returns, as outside one: a failure in the block leaves them in the log. A hold
        in a hold is the one already held. The hold is the thread's that took it: another
        thread appending through this store waits for the lock, as another process does.

        Raises:
            ReadOnlyStore: The store was opened read-only (StoreClosed: or closed since).
            StoreFailed: Another writer held the lock past :attr:`timeout` seconds, or
                this process may not write the file; in the block, an append after
                another file was put in the log's place (an editor's save).
        """
        if self.read_only or self._closed:
            raise ReadOnlyStore(self.where) if self.read_only else StoreClosed(self.where)
        return self._lock.held(self.timeout)

    def _append_line(self, fd: int, line: bytes, end: int) -> None:
        """Write ``line`` at the end; if that fails, cut what was written back to ``end``."""
        try:
            written = 0
            while written < len(line):  # a write may take only part (a full disk)
                written += os.write(fd, line[written:])
            if self.durable:
                os.fsync(fd)
        except OSError as error:
            why = f"writing the entry failed ({error.strerror})"
            try:
                os.ftruncate(fd, end)
            except OSError:  # the part written stays: a torn line, told on the next read
                why += "; the part written could not be cut back: repair the log"
            raise StoreFailed(self.where, why) from None

    def _grow(self, entry: Entry) -> None:
        """Keep the batch of Merkle nodes the entry ends (and any the file lacked), if any."""
        try:
            found = self._appended_nodes(entry)
            if found is not None:  # else kept with the batch its leaf ends in
                write_nodes(self.tree_path, found[0], found[1].made, durable=self.durable)
        except (OSError, GovflowError):  # the entry is kept; the nodes are made when needed
            pass

    def _hashes_since(self, seq: int) -> Iterator[object]:
        # The lines as far as this store last read them: never a new read of the
        # file's extent, which an append in progress has already moved on.
        offset = self._marks.get(seq)
        offset = self._offset_of(seq) if offset is None else offset
        return hashes((text, None) for text in self._lines(offset, self._extent.end))

    def _kept(self) -> Sidecar | None:
        # Only a regular file: a link, a directory or a pipe there is not read or written.
        return Sidecar(self.tree_path, self.where) if regular(self.tree_path) else None

    def _keep(self, count: int, start: int, nodes: list[bytes]) -> bool:
        if self._closed:  # made, and not kept: a closed store writes nothing
            return False
        try:
            with self._lock.writing(self.timeout):
                kept = self._kept()
                # Only for the log as it was read, after nodes that are there.
                if self._tip()[0] == count and len(kept or ()) >= start:
                    write_nodes(self.tree_path, start, nodes, durable=self.durable)
                    return True
        except (OSError, GovflowError):  # not writable, or not readable: made again next time
            pass
        return False

    def _mark(self) -> None:
        """Remember where the entries seen so far end, for :meth:`since` (the last 64)."""
        self._marks[self._extent.count] = self._extent.end
        if len(self._marks) > 64:  # noqa: PLR2004 - enough for any registry catching up
            del self._marks[next(iter(self._marks))]

    def repair(self) -> TornLog | None:
        """Cut a torn last line, if there is one; return what was cut (or ``None``).

        A last line that lacks only its newline, and is the next entry whole (it follows
        the log and hashes as it says), is ended with one instead (``whole`` in what is
        returned): nothing is cut.

        The file is read again under the writers' lock first: a line another writer
        was still writing when this store last read it is complete by then, and kept.

        Raises:
            ReadOnlyStore: The store was opened read-only (StoreClosed: or closed since).
            NotALog: The file cannot be read, or is gone.
            StoreFailed: This process may not write it, or another writer held its lock
                past :attr:`timeout` seconds.
        """
        if self.read_only or self._closed:
            raise ReadOnlyStore(self.where) if self.read_only else StoreClosed(self.where)
        try:
            self._scan(self._fingerprint)
        except OSError as error:
            raise NotALog(self.where, f"it cannot be read ({error.strerror})") from None
        if self.torn is None:
            return None
        with self._lock.writing(self.timeout) as out:
            self._scan(self._fingerprint)
            torn = self.torn
            if torn is not None:
                try:
                    if torn.whole:  # only its newline was lost: end the line (at the end)
                        out.write(b"\n")
                    else:
                        out.truncate(torn.offset)
                    os.fsync(out.fileno())
                except OSError as error:  # a full disk, a file system gone read-only
                    raise StoreFailed(self.where, f"repairing failed ({error.strerror})") from None
                self._scan(self._fingerprint)
        return torn

    def reload(self) -> None:
        """Read the file again, after another writer appended to it."""
        self._scan(self._fingerprint)

    def tree(self, *, rebuild: bool = False) -> Tree:
        """As every store's; a closed one makes the nodes it lacks but keeps none.

        Raises:
            StoreClosed: With ``rebuild`` (which keeps every node again), once closed.
        """
        if rebuild and self._closed:
            raise StoreClosed(self.where)
        return super().tree(rebuild=rebuild)

    def close(self) -> None:
        """Write no more (appends and repairs: ``StoreClosed``); reading it still works."""
        self._closed = True


def _stamp(found: os.stat_result) -> tuple[int, int]:
    """A file's modification time and inode: another changes when it is written or replaced."""
    return found.st_mtime_ns, found.st_ino
