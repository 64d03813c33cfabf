"""A JSON Lines log's lines are found a block at a time: never by reading the log through.

The ground truth is the file's bytes: each line's start is the sum of the lengths of the
lines before it. ``Extent`` must agree with it for every line, as the file grows in
steps (another writer appending) and with a torn last line, and must read at most a few
blocks to find any line, however long the log.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govflow import Decision, Kind, Registry, Source, When
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import JsonlStore, _lines
from govflow.stores._lines import Extent

LIFECYCLE = partnership_lifecycle(authorities=spb.authorities())

lines_of = st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"") + b"\n"))


class Counted(io.BytesIO):
    """A file that counts the bytes read from it."""

    taken = 0

    def read(self, size: int | None = -1, /) -> bytes:
        block = super().read(size)
        self.taken += len(block)
        return block


@given(
    header=st.binary(max_size=8).map(lambda b: b.replace(b"\n", b"") + b"\n"),
    steps=st.lists(lines_of, min_size=1, max_size=4),
    torn=st.binary(max_size=5).map(lambda b: b.replace(b"\n", b"")),
    block=st.integers(1, 40),
    appended=st.lists(st.integers(1, 30), max_size=6),
)
def test_every_line_starts_where_the_bytes_say_as_the_file_grows(
    header: bytes, steps: list[list[bytes]], torn: bytes, block: int, appended: list[int]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_lines, "BLOCK", block)
        extent, data, lines = Extent(len(header)), header, []
        for step in steps:  # read on after each step, a torn line at the end
            lines += step
            data = header + b"".join(lines)
            extent.read_on(io.BytesIO(data + torn))
            assert (extent.count, extent.end, extent.size) == (
                len(lines),
                len(data),
                len(data + torn),
            )
        for size in appended:  # lines this store appended itself
            lines.append(b"x" * size + b"\n")
            extent.grew(1, extent.end + size + 1)
        data = header + b"".join(lines)
        starts = [len(header) + sum(map(len, lines[:i])) for i in range(len(lines))]
        for seq, start in enumerate(starts):
            assert extent.offset_of(io.BytesIO(data), seq) == start
        assert extent.offset_of(io.BytesIO(data), len(lines)) == len(data)


def test_a_line_of_a_long_log_is_found_reading_a_few_blocks() -> None:
    """10,000 lines in blocks of 64 bytes: any line costs at most a few blocks read."""
    block, longest = 64, 30
    lines = [b"e" * (seq % longest) + b"\n" for seq in range(10_000)]
    data = b"H\n" + b"".join(lines)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_lines, "BLOCK", block)
        extent = Extent(2)
        extent.read_on(io.BytesIO(data))
        start = 2
        for seq, line in enumerate(lines):
            source = Counted(data)
            assert extent.offset_of(source, seq) == start
            assert source.taken <= 6 * block + 4 * longest, seq  # not the 10^4 lines before
            start += len(line)


def _appended(path: Path, count: int, start: int = 0) -> None:
    with JsonlStore(path, LIFECYCLE.fingerprint) as log:
        registry = Registry(LIFECYCLE, log=log)
        day, source = When.on(dt.date(2013, 3, 1)), Source("notes")
        if not len(log):
            registry.apply(spb.decisions()[0])
        for n in range(start, start + count):
            registry.apply(
                Decision(id=f"note{n}", body="spb", kind=Kind.NOTE, actor="LGA",
                         decided=day, source=source, reasons=("noted",))
            )  # fmt: skip


def test_a_store_reads_on_what_another_writer_appended(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    _appended(path, 5)
    with JsonlStore(path) as reader:
        before = len(reader)
        read: list[int] = []
        real, end = Extent.read_on, reader._extent.end

        def reading(extent: Extent, source: BinaryIO) -> None:
            read.append(extent.end)
            real(extent, source)

        _appended(path, 3, start=5)  # another writer
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Extent, "read_on", reading)
            assert len(reader) == before + 3
        assert read == [end]  # read on from where the entries ended, not from the header
        assert [e.decision.id for e in reader.since(before)] == ["note5", "note6", "note7"]
        assert list(reader) == list(JsonlStore(path))


def test_a_log_replaced_or_cut_under_a_store_is_read_again(
    tmp_path: Path,
) -> None:
    path, other = tmp_path / "log.jsonl", tmp_path / "other.jsonl"
    _appended(path, 4)
    shutil.copy(path, other)
    _appended(other, 6, start=100)  # the same start, then other entries
    with JsonlStore(path) as reader:
        assert len(reader) == 5
        other.replace(path)  # another file in its place, of more lines
        assert len(reader) == 11
        assert [e.decision.id for e in reader.since(5)] == [f"note{n}" for n in range(100, 106)]
        with path.open("r+b") as out:  # cut to its first three entries, then regrown
            out.truncate(len(b"".join(out.read().splitlines(keepends=True)[:4])))
        _appended(path, 12, start=200)
        assert len(reader) == 15
        assert list(reader) == list(JsonlStore(path))
