"""Where the entries' lines are in a JSON Lines log, found a block at a time.

A log of 10^6 entries is about 750 MB. :class:`Extent` reads it through once, counting
lines a block (64 KiB) at a time, and remembers a line's start and number about every
block (16 bytes each: 190 KB for that log): finding line ``n`` then reads from the
nearest such mark before it, a block or two, or back from the end when ``n`` is among
the last lines. On the 10^6-entry log of ``benchmarks/cases.py build``, a bundle
(which reads its entry) took 0.34-0.37 ms from a JSON Lines store opened once, against
137 ms counting lines from the header (``cases.py proofs``, alternating runs), and
opening the store took 0.44-0.46 s either way; with blocks of 1 MiB, 1.5-2.5 ms. A log
that grew (another writer appended) is read on from where its last complete line ended:
:func:`ends_as_read` says whether it still ends as read, and :func:`whole_line` whether a
last line with no newline is an entry whole (not a write cut short).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from typing import BinaryIO

from govflow.canonical import parse
from govflow.log.entry import content_hash

#: How much is read at a time; a line's place is remembered about once a block.
BLOCK = 1 << 16


class Extent:
    """The complete lines after a file's header, as far as the file was read.

    Args:
        start: Where the first line after the header begins.
    """

    __slots__ = ("_counts", "_offsets", "count", "end", "size", "start")

    def __init__(self, start: int) -> None:
        self.start = start
        #: The complete lines read, and where the last of them ends.
        self.count, self.end = 0, start
        #: The bytes read, a last line without its newline (a torn write) included.
        self.size = start
        # Line ``_counts[i]`` starts at ``_offsets[i]``: a mark about every BLOCK bytes.
        self._counts, self._offsets = array("q", [0]), array("q", [start])

    def read_on(self, source: BinaryIO) -> None:
        """Read ``source`` on from the end of the last complete line to its end."""
        source.seek(self.end)
        offset = self.end
        while block := source.read(BLOCK):
            newlines = block.count(b"\n")
            if newlines:
                self.grew(newlines, offset + block.rfind(b"\n") + 1)
            offset += len(block)
        self.size = max(offset, self.end)

    def grew(self, lines: int, end: int) -> None:
        """Count ``lines`` more complete lines, the last ending at ``end``."""
        self.count, self.end, self.size = self.count + lines, end, max(self.size, end)
        if end - self._offsets[-1] >= BLOCK:
            self._counts.append(self.count)
            self._offsets.append(end)

    def offset_of(self, source: BinaryIO, seq: int) -> int:
        """Where line ``seq`` starts (``end`` when there is no such line)."""
        if seq >= self.count:
            return self.end
        mark = bisect_right(self._counts, seq) - 1
        before, offset = self._counts[mark], self._offsets[mark]
        if self.count - seq < seq - before:  # fewer lines to pass reading back
            return back(source, self.start, self.end, self.count - seq)
        source.seek(offset)
        left = seq - before
        while left and (block := source.read(BLOCK)):
            newlines = block.count(b"\n")
            if newlines < left:
                offset, left = offset + len(block), left - newlines
                continue
            at = -1
            for _ in range(left):
                at = block.index(b"\n", at + 1)
            return offset + at + 1
        return offset if not left else self.end


def back(source: BinaryIO, start: int, end: int, lines: int) -> int:
    """Where the line ``lines`` lines before ``end`` starts (``end`` itself for none)."""
    needed, window = lines + 1, min(4096, BLOCK)  # newlines to pass: the last line's first
    while lines > 0 and end > start:
        begin, window = max(start, end - window), min(window * 4, BLOCK)
        source.seek(begin)
        block = source.read(end - begin)
        found = block.count(b"\n")
        if found < needed:
            needed, end = needed - found, begin
            continue
        at = len(block)
        for _ in range(needed):
            at = block.rindex(b"\n", 0, at)
        return begin + at + 1
    return end if lines <= 0 else start


def last_line(source: BinaryIO, start: int, end: int) -> bytes:
    """The complete line that ends at ``end`` (its newline excluded)."""
    window = 4096
    while True:
        begin = max(start, end - 1 - window)
        source.seek(begin)
        data = source.read(end - 1 - begin)
        cut = data.rfind(b"\n")
        if cut >= 0 or begin == start:
            return data[cut + 1 :]
        window *= 4


def ends_as_read(source: BinaryIO, extent: Extent, last: str | None) -> bool:
    """Whether the file still has the last complete line read, where it was read.

    If so it only grew since (or lost a torn tail), and is read on; if not (cut short,
    or written over), it is read again from its header.
    """
    if extent.end == extent.start:
        return True
    source.seek(extent.end - 1)
    ends = source.read(1) == b"\n"
    return ends and hash_of(last_line(source, extent.start, extent.end)) == last


def hash_of(line: bytes) -> str | None:
    """The ``hash`` a line of the log states, if it is an entry's JSON with one."""
    try:
        data = parse(line)
    except (ValueError, RecursionError):
        return None
    value = data.get("hash") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


#: The longest last line looked at whole when it has no newline: 64 MiB (entries of
#: 5 MB, a decision with 500 reasons of 10,000 characters, are accepted and kept whole).
WHOLE_MOST = 1 << 26


def whole_line(source: BinaryIO, end: int, size: int, count: int, head: str) -> bool:
    """Whether the last line, from ``end`` to ``size`` with no newline, is the next entry.

    It is when it is entry ``count``, linked to ``head``, and its content hashes as its
    ``hash`` says: a line whose newline alone was lost (an editor's save), not a write
    cut short. One longer than :data:`WHOLE_MOST` is taken as torn without being read
    (a write cut short may leave any length; no decision a board records comes near).
    """
    if size - end > WHOLE_MOST:
        return False
    source.seek(end)
    tail = source.read(size - end)
    try:
        # Rebuilt from the data, not the text: a line ended in "\r" or spaces is whole too,
        # as it is when its newline follows (it is read, and verified, as the same entry).
        found = content_hash(parse(tail.decode("utf-8")))
    except (ValueError, RecursionError):
        return False
    return found is not None and found[:2] == (count, head) and found[2] == found[3]
