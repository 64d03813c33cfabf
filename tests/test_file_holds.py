"""A JSON Lines or SQLite log holds off other writers (``exclusive``): writers queue.

``Registry.apply(..., retries=n)`` appends under the hold, so that writers in several
processes wait for one another instead of colliding until their retries run out.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from govflow import Kind, Registry
from govflow.errors import ReadOnlyStore, StoreClosed, StoreFailed, TriggerNotAllowed
from govflow.stores import JsonlStore, SqliteStore

from .helpers import LIFECYCLE, make

QUIET = __import__("structlog").wrap_logger(__import__("structlog").ReturnLogger())
FP = LIFECYCLE.fingerprint
KINDS = ["jsonl", "sqlite"]

Store = JsonlStore | SqliteStore


def opened(kind: str, path: Path, *, timeout: float = 60.0, read_only: bool = False) -> Store:
    if kind == "jsonl":
        return JsonlStore(path, None if read_only else FP, timeout=timeout, read_only=read_only)
    return SqliteStore(path, None if read_only else FP, timeout=timeout, read_only=read_only)


def proposed(kind: str, tmp_path: Path) -> tuple[Path, Store, Registry]:
    path = tmp_path / f"log.{kind}"
    log = opened(kind, path)
    registry = Registry(LIFECYCLE, log=log, logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    return path, log, registry


WRITER = textwrap.dedent(
    """
    import sys
    from govflow import AppendConflict, Kind, Registry
    from govflow.stores import open_store
    from tests.helpers import LIFECYCLE, make

    url, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open_store(url) as log:
        registry = Registry(LIFECYCLE, log=log)
        conflicts = 0
        for n in range(count):
            try:
                registry.apply(make(f"{who}{n}", Kind.NOMINATE, "LGA", 1), retries=1)
            except AppendConflict:
                conflicts += 1
    print(conflicts)
    """
)


@pytest.mark.parametrize("kind", KINDS)
def test_writers_in_several_processes_queue_and_none_runs_out_of_retries(
    kind: str, tmp_path: Path
) -> None:
    """Four processes append 40 decisions each on one body, each with one retry."""
    path, log, _ = proposed(kind, tmp_path)
    log.close()
    root = Path(__file__).resolve().parent.parent
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"{kind}:///{path}", who, "40"],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        for who in "ABCD"
    ]
    said = [writer.communicate(timeout=120)[0].strip() for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0, 0]
    assert said == ["0", "0", "0", "0"]  # no writer gave up on a decision
    with opened(kind, path, read_only=True) as again:
        assert len(again) == 1 + 4 * 40
        assert again.verify().ok
        ids = {entry.decision.id for entry in again}
    assert ids == {"p"} | {f"{who}{n}" for who in "ABCD" for n in range(40)}


@pytest.mark.parametrize("kind", KINDS)
def test_a_hold_keeps_another_writer_out_until_it_ends(kind: str, tmp_path: Path) -> None:
    path, log, registry = proposed(kind, tmp_path)
    other = opened(kind, path, timeout=0.2)
    late = Registry(LIFECYCLE, log=other, logger=QUIET)
    with log.exclusive():
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
        started = time.monotonic()
        with pytest.raises(StoreFailed, match=r"lock|locked"):
            late.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1)
        assert time.monotonic() - started >= 0.2  # it waited its timeout, then gave up
    assert [entry.decision.id for entry in other] == ["p", "a"]
    assert late.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1).seq == 2
    assert registry.apply(make("m", Kind.NOMINATE, "APCC", 2), retries=1).seq == 3
    log.close()
    other.close()


def test_an_sqlite_hold_that_fails_commits_nothing_and_an_inner_one_undoes_only_itself(
    tmp_path: Path,
) -> None:
    path, log, registry = proposed("sqlite", tmp_path)

    def aborted() -> None:
        with log.exclusive():
            registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
            registry.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1)
            raise RuntimeError("the application gives up")

    with pytest.raises(RuntimeError):
        aborted()
    with opened("sqlite", path, read_only=True) as again:
        assert [entry.decision.id for entry in again] == ["p"]
    registry = Registry(LIFECYCLE, log=log, logger=QUIET)  # it saw its appends succeed
    with log.exclusive():
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
        with pytest.raises(TriggerNotAllowed):  # refused inside: only the inner hold ends
            registry.apply(make("x", Kind.RESOLVE, "LGA", 2, trigger="nope"), retries=1)
    with opened("sqlite", path, read_only=True) as again:
        assert [entry.decision.id for entry in again] == ["p", "a"]
    assert registry.apply(make("n", Kind.NOMINATE, "LGA", 2)).seq == 2
    log.close()


def test_a_json_lines_hold_that_fails_keeps_what_was_appended(tmp_path: Path) -> None:
    """Each append is written as it returns: a failure in the block leaves it in the log."""
    path, log, registry = proposed("jsonl", tmp_path)

    def aborted() -> None:
        with log.exclusive():
            registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
            raise RuntimeError("the application gives up")

    with pytest.raises(RuntimeError):
        aborted()
    assert [entry.decision.id for entry in JsonlStore(path)] == ["p", "a"]
    assert registry.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1).seq == 2


def test_inside_a_json_lines_hold_the_store_does_not_wait_for_its_own_lock(
    tmp_path: Path,
) -> None:
    """A hold in a hold, a rebuild of the tree and a repair take the lock already held."""
    path, _, _ = proposed("jsonl", tmp_path)
    log = JsonlStore(path, timeout=0.3)
    registry = Registry(LIFECYCLE, log=log, logger=QUIET)
    started = time.monotonic()
    with log.exclusive(), log.exclusive():
        registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
        assert len(log.tree(rebuild=True)) == 2  # its nodes kept: not refused for the lock
        assert log.repair() is None
        with path.open("ab") as out:  # a line torn, as a crash mid-write leaves it
            out.write(b'{"after":"propo')
        log.reload()
        assert log.repair() is not None
    assert time.monotonic() - started < 0.3  # nothing waited for the lock's timeout
    assert log.torn is None
    assert registry.apply(make("n", Kind.NOMINATE, "LGA", 2)).seq == 2
    assert JsonlStore(path).verify().ok


@pytest.mark.parametrize("kind", KINDS)
def test_a_read_only_or_closed_store_gives_no_hold(kind: str, tmp_path: Path) -> None:
    path, log, _ = proposed(kind, tmp_path)
    with opened(kind, path, read_only=True) as reader, pytest.raises(ReadOnlyStore):
        reader.exclusive()
    log.close()
    with pytest.raises(StoreClosed):
        log.exclusive()


class RefusingCommit:
    """An SQLite connection refusing its first COMMIT, as a full disk would."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db, self.refused = db, False

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)

    def execute(self, statement: str, *arguments: object) -> object:
        if statement == "COMMIT" and not self.refused:
            self.refused = True
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(statement, *arguments)


def test_an_sqlite_append_whose_commit_failed_leaves_no_transaction_open(
    tmp_path: Path,
) -> None:
    """The next append works: a commit refused (a full disk) is rolled back, not left open."""
    path, log, registry = proposed("sqlite", tmp_path)
    db = log._db  # type: ignore[union-attr]
    log._db = RefusingCommit(db)  # type: ignore[union-attr]
    with pytest.raises(StoreFailed, match="disk is full"):
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
    assert registry.apply(make("a", Kind.AGREE, "APCC", 1)).seq == 1
    log._db = db  # type: ignore[union-attr]
    log.close()
    with opened("sqlite", path, read_only=True) as again:
        assert [entry.decision.id for entry in again] == ["p", "a"]


def test_a_repair_this_process_may_not_write_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, log, _ = proposed("jsonl", tmp_path)
    with path.open("ab") as out:  # a line torn, as a crash mid-write leaves it
        out.write(b'{"after":"propo')
    log.reload()
    from govflow.stores import _paths  # noqa: PLC0415

    def refused(*arguments: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_paths.os, "open", refused)
    with pytest.raises(StoreFailed, match=r"cannot be opened to append.*write access"):
        log.repair()
    monkeypatch.undo()
    assert path.read_bytes().endswith(b'{"after":"propo')  # nothing cut
    assert log.repair() is not None


def test_a_hold_whose_commit_fails_forgets_the_append_counted_after_others(
    tmp_path: Path,
) -> None:
    # The registry had counted another writer's entry (not read in) when its own append
    # was rolled back: it raised IndexError, and then took the lost decision for a repeat.
    path, log, first = proposed("sqlite", tmp_path)
    other = opened("sqlite", path)
    second = Registry(LIFECYCLE, log=other, logger=QUIET)
    second.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"), retries=1)  # on another body
    db = log._db  # type: ignore[union-attr]
    log._db = RefusingCommit(db)  # type: ignore[union-attr]
    with pytest.raises(StoreFailed, match="disk is full"):
        first.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
    log._db = db  # type: ignore[union-attr]
    assert [e.decision.id for e in other] == ["p", "q"]  # nothing of it committed
    assert first.apply(make("a", Kind.AGREE, "APCC", 1), retries=1).seq == 2  # not a repeat
    assert [e.decision.id for e in other] == ["p", "q", "a"]
    assert sorted(first.bodies) == ["b", "c"]
    assert first.body("b").facts[-1].decision.id == "a"
    log.close()
    other.close()


def test_a_json_lines_hold_refuses_to_write_to_a_file_put_out_of_the_log_s_place(
    tmp_path: Path,
) -> None:
    # An editor's save put a new file at the path: the hold's appends went to the old one,
    # unlinked, and the entry returned was in no log.
    path, log, registry = proposed("jsonl", tmp_path)
    with log.exclusive():
        saved = path.read_bytes()
        path.unlink()
        path.write_bytes(saved)  # another file of the same bytes in its place
        with pytest.raises(StoreFailed, match="replaced during the hold"):
            registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
    assert [e.decision.id for e in JsonlStore(path)] == ["p"]
    assert registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1).seq == 1
    assert [e.decision.id for e in JsonlStore(path)] == ["p", "a"]


def test_another_thread_appending_through_a_held_json_lines_store_waits_for_the_lock(
    tmp_path: Path,
) -> None:
    # The hold was the store's, not the thread's: another thread appended under it at once.
    import threading  # noqa: PLC0415

    path, _, _ = proposed("jsonl", tmp_path)
    log = JsonlStore(path, timeout=0.3)
    other = Registry(LIFECYCLE, log=log, logger=QUIET)
    met: list[BaseException] = []

    def appending() -> None:
        try:
            other.apply(make("n", Kind.NOMINATE, "LGA", 2))
        except BaseException as error:  # noqa: BLE001 - what it met, looked at below
            met.append(error)

    started = time.monotonic()
    with log.exclusive():
        thread = threading.Thread(target=appending)
        thread.start()
        thread.join()
    assert [type(e).__name__ for e in met] == ["StoreFailed"]  # it waited, then gave up
    assert time.monotonic() - started >= 0.3
    assert [e.decision.id for e in JsonlStore(path)] == ["p"]
    assert other.apply(make("n", Kind.NOMINATE, "LGA", 2)).seq == 1  # the hold let go
