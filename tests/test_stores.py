"""One contract, every store: in memory, JSON Lines, SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import importlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import pytest

from govflow import (
    AppendConflict,
    AuditLog,
    BadStoreURL,
    Decision,
    DuplicateDecision,
    InvalidRecord,
    Kind,
    LifecycleMismatch,
    Log,
    NotALog,
    Registry,
    ReplayMismatch,
    TamperedLog,
    TriggerNotAllowed,
    UnknownBody,
    replay,
)
from govflow.errors import ReadOnlyStore, StoreClosed, StoreFailed, TornLog
from govflow.log.entry import Entry, entry_text
from govflow.scenarios import partnership_lifecycle
from govflow.stores import JsonlStore, SqliteStore, copy_log, open_store

from .helpers import LIFECYCLE, endorse_all, make
from .stores import KINDS, Handle, handle

# The module (``govflow.log.verify`` is also the function's name in ``govflow.log``).
verifying = importlib.import_module("govflow.log.verify")

QUIET = __import__("structlog").wrap_logger(__import__("structlog").ReturnLogger())
FP = LIFECYCLE.fingerprint


@pytest.fixture(params=list(KINDS), ids=list(KINDS))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handle]:
    if request.param == "postgres":
        request.node.add_marker(pytest.mark.postgres)
    yield from handle(request.param, tmp_path)


AT_REST = [k for k in KINDS if k != "memory"]


@pytest.fixture(params=AT_REST, ids=AT_REST)
def at_rest(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handle]:
    """The stores that keep entries as text outside the process."""
    if request.param == "postgres":
        request.node.add_marker(pytest.mark.postgres)
    yield from handle(request.param, tmp_path)


def filled(store: Handle, count: int = 3) -> tuple[Log, Registry]:
    log = store.open(FP)
    registry = Registry(LIFECYCLE, log=log, logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    endorse_all(registry)
    for n in range(count):
        registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 2 + n))
    return log, registry


class TestContract:
    def test_appended_entries_read_back_the_same_after_reopening(self, store: Handle) -> None:
        log, _ = filled(store)
        entries = list(log)
        again = store.open()
        assert list(again) == entries
        assert (len(again), again.head, again.fingerprint) == (len(entries), entries[-1].hash, FP)

    def test_a_registry_continues_from_a_reopened_store(self, store: Handle) -> None:
        _, registry = filled(store)
        again = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
        assert dict(again.bodies) == dict(registry.bodies)
        before = len(again.log)
        entry = again.apply(make("late", Kind.AGREE, "PCCs", 30))
        assert (entry.seq, len(store.open())) == (before, before + 1)
        assert store.open().verify().ok

    def test_an_append_with_iterators_open_is_committed_for_every_other_reader(
        self, store: Handle, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Small pages, so that the iterators below are read across several queries.
        for module in ("sqlite", "postgres"):
            monkeypatch.setattr(f"govflow.stores.{module}.PAGE", 2, raising=False)
        log, registry = filled(store, count=4)
        entries = list(log)
        left_open = iter(log)
        assert next(left_open) == entries[0]
        also_open = iter(log)
        assert [next(also_open), next(also_open), next(also_open)] == entries[:3]
        appended = registry.apply(make("while-reading", Kind.AGREE, "PCCs", 30))
        # Another connection sees the append at once, with both iterators still open.
        other = store.open()
        assert list(other)[-1] == appended
        assert other.verify().ok
        # Both iterators go on where they were (an iterator reads at least the entries
        # stored when it started; a store may also give those appended since), and
        # reading again gives everything.
        assert list(left_open) in ([*entries[1:]], [*entries[1:], appended])
        assert list(also_open) in ([*entries[3:]], [*entries[3:], appended])
        assert list(log) == [*entries, appended]
        assert list(log) == list(other)

    def test_an_intact_store_verifies_against_its_checkpoint(self, store: Handle) -> None:
        log, _ = filled(store)
        checkpoint = log.checkpoint()
        result = store.open().verify(checkpoint)
        assert (result.ok, result.count, result.head) == (True, checkpoint.count, checkpoint.head)

    def test_a_stale_append_is_a_conflict_and_changes_nothing(self, store: Handle) -> None:
        log, _ = filled(store)
        entries = list(log)
        with pytest.raises(AppendConflict) as error:
            log.append(entries[2])
        assert error.value.expected_seq == len(entries)
        assert list(store.open()) == entries

    def test_a_stale_registry_gets_a_conflict_and_succeeds_after_reloading(
        self, store: Handle
    ) -> None:
        _, first = filled(store)
        second_log = store.open()
        second = Registry(LIFECYCLE, log=second_log, logger=QUIET)
        first.apply(make("late-1", Kind.AGREE, "PCCs", 30))
        entries = list(store.open())
        # The second registry has not seen late-1: its decision rests on stale state.
        with pytest.raises(AppendConflict) as error:
            second.apply(make("late-2", Kind.NOMINATE, "APCC", 31))
        assert error.value.seq == len(entries) - 1
        assert list(store.open()) == entries
        getattr(second_log, "reload", lambda: None)()
        second.reload()
        entry = second.apply(make("late-2", Kind.NOMINATE, "APCC", 31))
        assert (entry.seq, entry.prev) == (len(entries), entries[-1].hash)
        assert store.open().verify().ok

    def test_a_repeated_decision_is_stored_once(self, store: Handle) -> None:
        log, registry = filled(store)
        before = len(log)
        registry.apply(make("n0", Kind.NOMINATE, "LGA", 2))
        assert len(store.open()) == before

    def test_a_log_opened_under_another_lifecycle_is_refused(self, at_rest: Handle) -> None:
        filled(at_rest)
        with pytest.raises(LifecycleMismatch):
            at_rest.open(partnership_lifecycle(constituents=("Residents",)).fingerprint)

    def test_copying_to_every_other_store_keeps_every_hash(
        self, store: Handle, tmp_path: Path
    ) -> None:
        log, _ = filled(store)
        for target in (
            AuditLog(FP),
            JsonlStore(tmp_path / "copy.jsonl", FP),
            SqliteStore(tmp_path / "copy.db", FP),
        ):
            assert copy_log(log, target) == len(log)
            assert [e.hash for e in target] == [e.hash for e in log]
            back = AuditLog(FP)
            copy_log(target, back)
            assert list(back) == list(log)
            target.close()

    def test_copying_into_a_log_of_another_lifecycle_says_so_in_a_copy_s_words(
        self, store: Handle
    ) -> None:
        # It said "read it with the lifecycle it was written under", of two logs.
        log, _ = filled(store)
        other = AuditLog(partnership_lifecycle(constituents=("Residents",)).fingerprint)
        with pytest.raises(LifecycleMismatch) as refused:
            copy_log(log, other)
        assert str(refused.value).startswith(f"The log copied is written under lifecycle {FP[:12]}")
        assert "a copy goes into a log of the same lifecycle" in str(refused.value)
        assert len(other) == 0

    def test_copying_a_log_that_does_not_verify_copies_nothing(
        self, store: Handle, tmp_path: Path
    ) -> None:
        # The target held the entries before the bad one, then the error, half copied.
        log, _ = filled(store)
        entries = list(log)
        forged = attrs.evolve(entries[2], decision=attrs.evolve(entries[2].decision,
                                                                reasons=("forged",)))  # fmt: skip
        source = AuditLog(FP, [*entries[:2], forged, *entries[3:]])
        for target in (
            AuditLog(FP),
            JsonlStore(tmp_path / "copy.jsonl", FP),
            SqliteStore(tmp_path / "copy.db", FP),
        ):
            with pytest.raises(TamperedLog) as refused:
                copy_log(source, target)
            assert (refused.value.seq, refused.value.kind) == (2, "altered")
            assert len(target) == 0
            target.close()

    def test_an_in_memory_log_refuses_an_entry_whose_hash_is_not_its_contents(
        self, store: Handle
    ) -> None:
        log, _ = filled(store)
        first, second = list(log)[:2]
        memory = AuditLog(FP, [first])
        forged = attrs.evolve(second, decision=attrs.evolve(second.decision, reasons=("x",)))
        with pytest.raises(InvalidRecord, match=r"AuditLog\.append\.entry\.hash must be the SHA"):
            memory.append(forged)
        assert list(memory) == [first]
        memory.append(second)
        assert list(memory) == [first, second]

    def test_a_copy_cut_short_is_finished_by_copying_again(
        self, store: Handle, tmp_path: Path
    ) -> None:
        """A failure half-way (a full disk) left a copy no second call could finish."""
        log, _ = filled(store)
        entries = list(log)
        target = JsonlStore(tmp_path / "copy.jsonl", FP)
        assert copy_log(AuditLog(FP, entries[:3]), target) == 3  # cut short
        assert copy_log(log, target) == len(entries) - 3
        assert [e.hash for e in target] == [e.hash for e in entries]
        assert copy_log(log, target) == 0  # nothing left to copy
        target.close()

    def test_a_failing_append_says_how_many_were_copied(self, store: Handle) -> None:
        log, _ = filled(store)
        entries = list(log)

        class Full(AuditLog):
            def append(self, entry: Entry, text: str | None = None) -> None:
                if len(self) == 2:  # the third append fails
                    raise StoreFailed("the disk", "writing the entry failed (File too large)")
                super().append(entry, text)

        target = Full(FP)
        with pytest.raises(StoreFailed) as failed:
            copy_log(log, target)
        said = f"copy_log copied 2 of {len(entries)} entries before this; called again, it"
        assert failed.value.__notes__ == [f"{said} copies the rest."]
        plain = AuditLog(FP, list(target))
        assert copy_log(log, plain) == len(entries) - 2
        assert list(plain) == entries

    def test_copying_into_a_log_holding_other_entries_is_refused(self, store: Handle) -> None:
        log, _ = filled(store)
        entries = list(log)
        target = AuditLog(FP, entries[:2])
        shorter = AuditLog(FP, entries[:1])
        with pytest.raises(InvalidRecord, match="empty or holding the source's first entries"):
            copy_log(shorter, target)  # the target holds more than the source
        assert list(target) == entries[:2]

    def test_copying_into_a_log_of_another_lifecycle_is_refused(self, store: Handle) -> None:
        log, _ = filled(store)
        with pytest.raises(LifecycleMismatch):
            copy_log(log, AuditLog("f" * 64))


def edit(at: int, change: Any) -> Any:
    def mutate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows = copy.deepcopy(rows)
        change(rows, at)
        return rows

    return mutate


class TestTamperingAtRest:
    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (lambda rows, at: rows[at].__setitem__("after", "established"), (2, "altered")),
            (lambda rows, at: rows[at]["decision"].__setitem__("actor", "APCC"), (2, "altered")),
            (lambda rows, at: rows.__delitem__(at), (2, "dropped")),
            (lambda rows, at: rows.insert(at, rows[0]), (2, "inserted")),
            (lambda rows, at: rows.insert(at, rows.pop(at + 1)), (2, "reordered")),
        ],
        ids=["state", "decision", "dropped", "inserted", "reordered"],
    )
    def test_verify_names_the_first_bad_entry(
        self, store: Handle, change: Any, expected: tuple[int, str]
    ) -> None:
        filled(store)
        store.rewrite(edit(2, change))
        result = store.open().verify()
        assert result.problem is not None
        assert (result.problem.seq, result.problem.kind) == expected

    def test_truncation_is_caught_against_a_checkpoint(self, store: Handle) -> None:
        log, _ = filled(store)
        checkpoint = log.checkpoint()
        store.rewrite(lambda rows: rows[:-2])
        assert store.open().verify().ok
        problem = store.open().verify(checkpoint).problem
        assert problem is not None
        assert (problem.seq, problem.kind) == (checkpoint.count - 2, "truncated")

    def test_a_rewritten_chain_is_caught_against_a_checkpoint(self, store: Handle) -> None:
        log, _ = filled(store)
        checkpoint = log.checkpoint()
        from .helpers import resealed  # noqa: PLC0415

        forged = resealed(list(log), 3, after="ended")
        from govflow.log import entry_to_dict  # noqa: PLC0415

        store.rewrite(lambda rows: [entry_to_dict(e) for e in forged])
        assert store.open().verify().ok
        problem = store.open().verify(checkpoint).problem
        assert problem is not None
        assert problem.kind == "rewritten"


class TestBadInputAtRest:
    @pytest.mark.parametrize(
        ("change", "record", "field"),
        [
            (lambda rows, at: rows[at].__delitem__("after"), "Entry #2", "after"),
            (
                lambda rows, at: rows[at]["decision"].__setitem__("kind", "Approve!"),
                "Entry #2",
                "decision.kind",
            ),
            (
                lambda rows, at: rows[at]["mandate"].__delitem__("actor"),
                "Entry #2",
                "mandate.actor",
            ),
        ],
        ids=["missing-field", "unknown-kind", "missing-nested"],
    )
    def test_reading_stops_at_the_bad_entry_after_the_good_prefix(
        self, at_rest: Handle, change: Any, record: str, field: str
    ) -> None:
        filled(at_rest)
        at_rest.rewrite(edit(2, change))
        read: list[object] = []
        with pytest.raises(InvalidRecord) as error:
            read.extend(at_rest.open())
        assert (error.value.record, error.value.field) == (record, field)
        assert len(read) == 2
        problem = at_rest.open().verify().problem
        assert problem is not None
        assert (problem.seq, problem.kind) == (2, "malformed")

    def test_a_hash_that_does_not_match_is_named(self, at_rest: Handle) -> None:
        filled(at_rest)
        at_rest.rewrite(edit(1, lambda rows, at: rows[at].__setitem__("hash", "0" * 64)))
        problem = at_rest.open().verify().problem
        assert problem is not None
        assert (problem.seq, problem.kind) == (1, "altered")

    def test_a_registry_refuses_a_store_that_does_not_replay(self, at_rest: Handle) -> None:
        filled(at_rest)
        at_rest.rewrite(
            edit(1, lambda rows, at: rows[at]["decision"].__setitem__("kind", "Approve!"))
        )
        with pytest.raises(TamperedLog) as error:  # verified first, on opening
            Registry(LIFECYCLE, log=at_rest.open(), logger=QUIET)
        assert (error.value.seq, error.value.kind) == (1, "malformed")
        with pytest.raises(InvalidRecord):  # and read strictly if the check is skipped
            Registry(LIFECYCLE, log=at_rest.open(), logger=QUIET, verified=True)


class TestReadOnly:
    def test_a_read_only_store_reads_refuses_appends_and_changes_nothing(
        self, at_rest: Handle
    ) -> None:
        log, registry = filled(at_rest)
        entries = list(log)
        with open_store(at_rest.url, read_only=True) as reading:  # type: ignore[attr-defined]
            assert list(reading) == entries
            assert reading.verify().ok
            with pytest.raises(ReadOnlyStore, match="opened read-only"):
                reading.append(entries[-1])
            stale = Registry(LIFECYCLE, log=reading, logger=QUIET)
            with pytest.raises(ReadOnlyStore):
                stale.apply(make("late", Kind.AGREE, "PCCs", 30))
            with pytest.raises(ReadOnlyStore):  # with retries too (PostgreSQL's hold refused)
                stale.apply(make("late", Kind.AGREE, "PCCs", 30), retries=2)
            with pytest.raises(InvalidRecord, match="rebuild must be True or False"):
                reading.tree(rebuild="yes")
        assert list(at_rest.open()) == entries
        registry.apply(make("later", Kind.AGREE, "PCCs", 31))  # the writer goes on

    @pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
    def test_read_only_never_creates_and_leaves_no_file_behind(
        self, tmp_path: Path, kind: str
    ) -> None:
        missing = tmp_path / f"missing.{kind}"
        with pytest.raises(
            NotALog, match=r"no such file \(a store opened read-only creates no log"
        ):
            open_store(f"{kind}:///{missing}", FP, read_only=True)
        assert list(tmp_path.iterdir()) == []
        path = tmp_path / f"log.{kind}"
        with open_store(f"{kind}:///{path}", FP) as log:  # type: ignore[attr-defined]
            Registry(LIFECYCLE, log=log, logger=QUIET).apply(make("p", Kind.PROPOSE, "LGA", 0))
        before = sorted(p.name for p in tmp_path.iterdir())
        with open_store(f"{kind}:///{path}", read_only=True) as reading:  # type: ignore[attr-defined]
            assert reading.verify().ok
            assert len(reading) == 1
        # One entry ends no batch of Merkle nodes: a JSON Lines log has no node file yet.
        assert sorted(p.name for p in tmp_path.iterdir()) == before == [path.name]


class TestSqliteReadOnly:
    """A read-only SQLite store opens the file for reading alone (``mode=ro``)."""

    def test_it_cannot_write_and_leaves_the_database_and_folder_as_they_were(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "log.sqlite"
        with SqliteStore(path, FP) as log:
            Registry(LIFECYCLE, log=log, logger=QUIET).apply(make("p", Kind.PROPOSE, "LGA", 0))
        before = path.read_bytes()
        with SqliteStore(path, read_only=True) as reading:
            assert reading.verify().ok
            reading._db.execute("PRAGMA query_only=OFF")  # no switch lets it write
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                reading._db.execute("CREATE TABLE intruder (x)")
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == [path.name]

    def test_a_file_it_may_not_write_is_left_with_no_file_beside_it(self, tmp_path: Path) -> None:
        """As a file's owner without root's override of file modes reads a 0444 database.

        SQLite could not remove the -wal and -shm files a reading made beside such a
        file; left there, read-only too, they made every later write to it fail.
        """
        path = tmp_path / "log.sqlite"
        with SqliteStore(path, FP) as log:
            Registry(LIFECYCLE, log=log, logger=QUIET).apply(make("p", Kind.PROPOSE, "LGA", 0))
        path.chmod(0o444)
        code = (
            "import sys; from govflow.stores import SqliteStore\n"
            "with SqliteStore(sys.argv[1], read_only=True) as s: print(s.verify().count)"
        )
        command = [sys.executable, "-c", code, str(path)]
        if os.geteuid() == 0:  # root writes any file: drop that power, as an owner has none
            drop = "-dac_override,-dac_read_search"
            command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert (done.returncode, done.stdout, done.stderr) == (0, "1\n", "")
        assert [p.name for p in tmp_path.iterdir()] == [path.name]
        path.chmod(0o644)
        with SqliteStore(path, FP) as log:  # writable again, it is written as before
            Registry(LIFECYCLE, log=log, logger=QUIET).apply(make("a", Kind.AGREE, "APCC", 1))
            assert log.verify().count == 2

    def test_an_empty_file_is_refused_and_left_empty(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.db"
        path.touch()
        for read_only in (False, True):
            with pytest.raises(NotALog, match=r"it is empty(: give|  *\(a store opened read-only)"):
                SqliteStore(path, read_only=read_only)
            assert path.read_bytes() == b""
            assert [p.name for p in tmp_path.iterdir()] == [path.name]

    def test_beside_a_writer_it_leaves_the_writers_files_to_it(self, tmp_path: Path) -> None:
        path = tmp_path / "log.sqlite"
        with SqliteStore(path, FP) as log:
            registry = Registry(LIFECYCLE, log=log, logger=QUIET)
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            for count in (1, 2):
                with SqliteStore(path, read_only=True) as reading:
                    assert len(reading) == count
                assert len(list(tmp_path.iterdir())) == 3  # the writer's -wal and -shm
                registry.apply(make(f"a{count}", Kind.AGREE, "APCC", count))  # it goes on
        assert [p.name for p in tmp_path.iterdir()] == [path.name]
        with SqliteStore(path, read_only=True) as reading:
            assert reading.verify().count == 3

    def test_it_reads_what_a_killed_writer_left_in_the_wal_and_leaves_it_there(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "log.sqlite"
        killed = (
            "import os, sys\n"
            "from govflow import Registry\n"
            "from govflow.stores import SqliteStore\n"
            "from tests.helpers import LIFECYCLE, make\n"
            f"log = SqliteStore({str(path)!r}, LIFECYCLE.fingerprint)\n"
            "registry = Registry(LIFECYCLE, log=log)\n"
            "registry.apply(make('p', 'propose', 'LGA', 0))\n"
            "registry.apply(make('a', 'agree', 'APCC', 1))\n"
            "os._exit(0)  # no close: the entries are in the -wal alone\n"
        )
        root = Path(__file__).parent.parent
        subprocess.run([sys.executable, "-c", killed], check=True, cwd=root)
        wal = path.with_name(path.name + "-wal")
        names, kept = sorted(p.name for p in tmp_path.iterdir()), (path, wal)
        data = [p.read_bytes() for p in kept]
        assert len(data[1]) > 0
        with SqliteStore(path, read_only=True) as reading:
            assert [e.decision.id for e in reading] == ["p", "a"]
            assert reading.verify().ok
        # Nothing written back to the database, nothing lost from the -wal (its -shm is an
        # index in shared memory, which readers keep too).
        assert [p.read_bytes() for p in kept] == data
        assert sorted(p.name for p in tmp_path.iterdir()) == names


class TestPaths:
    @pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
    def test_what_is_not_a_log_file_is_refused_and_nothing_is_created(
        self, tmp_path: Path, kind: str
    ) -> None:
        (tmp_path / "folder").mkdir()
        (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
        (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
        (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
        (tmp_path / "file").write_text("x")
        cases = {
            "folder": "it is not a file",
            "dangling": "a symbolic link to nothing",
            "loop1": "it cannot be opened",
            "no/such/dir/log": "there is no directory",
            "file/inside": "it cannot be opened",
        }
        before = sorted(p.name for p in tmp_path.iterdir())
        for name, why in cases.items():
            for fingerprint in (FP, None):
                with pytest.raises(NotALog) as error:
                    open_store(f"{kind}:///{tmp_path / name}", fingerprint)
                expected = why if fingerprint or name == "folder" or "loop" in name else ""
                assert expected in str(error.value), (name, str(error.value))
        assert sorted(p.name for p in tmp_path.iterdir()) == before

    @pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
    def test_three_slashes_before_a_path_meant_absolute_say_how_to_write_it(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
    ) -> None:
        (tmp_path / "logs").mkdir()
        monkeypatch.chdir(tmp_path / "logs")
        absolute = tmp_path / "logs" / "spb.log"
        relative = str(absolute).lstrip("/")
        for fingerprint in (FP, None):
            with pytest.raises(NotALog) as error:
                open_store(f"{kind}:///{relative}", fingerprint)
            said = str(error.value)
            assert said.startswith(f"{relative} is not a govflow log: there is no ")
            assert f"names a path relative to the working folder: for {absolute} write " in said
            assert said.endswith(f"{kind}:////{relative}.")
        assert list((tmp_path / "logs").iterdir()) == []
        with pytest.raises(NotALog) as error:  # no such folder either way: nothing to add
            open_store(f"{kind}:///no/such/{relative}", FP)
        assert "relative" not in str(error.value)
        with pytest.raises(NotALog, match="File name too long"):  # was a plain OSError
            open_store(f"{kind}:///{'a' * 300}/log", FP)
        (tmp_path / "logs" / "a#b").mkdir()
        with pytest.raises(NotALog) as error:  # the URL's own escapes, as it must be written
            open_store(f"{kind}:///{relative.replace('spb.log', 'a%23b/spb.log')}", FP)
        escaped = relative.replace("spb.log", "a%23b/spb.log")
        assert str(error.value).endswith(f"write {kind}:////{escaped}.")


class TestOpening:
    def test_a_file_that_is_not_a_log(self, tmp_path: Path) -> None:
        (tmp_path / "notes.jsonl").write_text("shopping list\n")
        (tmp_path / "other.db").write_text("not sqlite at all, but long enough " * 10)
        with pytest.raises(NotALog, match="first line is not a govflow header"):
            open_store(f"jsonl:///{tmp_path / 'notes.jsonl'}")
        with pytest.raises(NotALog, match="it is not an SQLite database"):
            open_store(f"sqlite:///{tmp_path / 'other.db'}")

    def test_an_sqlite_database_of_something_else(self, tmp_path: Path) -> None:
        import sqlite3  # noqa: PLC0415
        from contextlib import closing  # noqa: PLC0415

        with closing(sqlite3.connect(tmp_path / "app.db")) as db:
            db.execute("CREATE TABLE users (id INTEGER)")
        with pytest.raises(NotALog, match="without govflow's tables"):
            open_store(f"sqlite:///{tmp_path / 'app.db'}", FP)

    def test_a_missing_file_without_a_lifecycle(self, tmp_path: Path) -> None:
        for url in (f"jsonl:///{tmp_path}/none.jsonl", f"sqlite:///{tmp_path}/none.db"):
            with pytest.raises(NotALog, match="no such file"):
                open_store(url)

    def test_a_header_of_another_schema_says_which_this_release_reads(self, tmp_path: Path) -> None:
        path = tmp_path / "old.jsonl"
        path.write_text('{"govflow": "log", "lifecycle": "x", "schema": 0}\n')
        with pytest.raises(NotALog, match="written with schema 0; this release reads schema 1"):
            open_store(f"jsonl:///{path}")

    @pytest.mark.parametrize("schema", ["3.0", "true", '"3"'])
    def test_a_header_whose_schema_only_equals_one_is_not_one(
        self, tmp_path: Path, schema: str
    ) -> None:
        # 3.0 == 3 and True == 1 in Python: such a header opened, and every command
        # after it failed, blaming its own argument.
        path = tmp_path / "odd.jsonl"
        path.write_text(f'{{"govflow": "log", "lifecycle": "{FP}", "schema": {schema}}}\n')
        with pytest.raises(
            NotALog, match=f"written with schema {re.escape(repr(json.loads(schema)))};"
        ):
            open_store(f"jsonl:///{path}")

    def test_a_header_line_longer_than_any_header_is_not_a_log(self, tmp_path: Path) -> None:
        # A header padded past 4,096 bytes was read in part; the rest of its line was
        # then "entry 0: malformed".
        path = tmp_path / "long.jsonl"
        path.write_text(f'{{"govflow": "log", "lifecycle": "{FP}", "schema": 3}}{" " * 5000}\n')
        with pytest.raises(NotALog, match="its first line is longer than 4096 bytes"):
            open_store(f"jsonl:///{path}")

    @pytest.mark.parametrize("url", ["ftp://x", "sqlite:", "log.db"])
    def test_an_unknown_url(self, url: str) -> None:
        with pytest.raises(BadStoreURL):
            open_store(url)

    def test_a_memory_log_needs_a_fingerprint(self) -> None:
        with pytest.raises(NotALog, match="a new in-memory log needs the lifecycle's fingerprint"):
            open_store("memory:")

    def test_three_slashes_are_relative_and_four_absolute(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        (tmp_path / "sub").mkdir()
        with open_store("sqlite:///sub/here.db", FP) as log:
            assert len(log) == 0
        assert (tmp_path / "sub" / "here.db").exists()
        with open_store(f"jsonl:///{tmp_path}/a%23b%20c.jsonl", FP):
            pass
        assert (tmp_path / "a#b c.jsonl").exists()  # percent-decoded exactly
        # A scheme is read in any case (RFC 3986): it was refused as "no '///'".
        with open_store(f"JSONL:///{tmp_path}/a%23b%20c.jsonl") as again:
            assert isinstance(again, JsonlStore)

    @pytest.mark.postgres
    def test_a_postgresql_scheme_in_capitals_is_read_too(self, tmp_path: Path) -> None:
        """It was refused by libpq ("missing = after ..."), which reads lower case only."""
        for store in handle("postgres", tmp_path):
            scheme, rest = store.url.split("://", 1)
            with open_store(f"{scheme.upper()}://{rest}", FP) as log:
                assert len(log) == 0

    @pytest.mark.parametrize(
        ("url", "part"),
        [
            ("sqlite:here.db", "no '///' after the scheme"),
            ("sqlite://host/here.db", "a host"),
            ("SQLite://host/here.db", "a host"),
            ("jsonl:///d/hash#1.jsonl", "'#' in the path"),
            ("jsonl:///d/what?.jsonl", "'?' in the path"),
            ("jsonl:///d/new\nline.jsonl", "'\\n' in the path"),
            ("sqlite:///", "no path"),
            ("sqlite:////", "no path"),
            # A space copied with the URL: "log.jsonl is not a govflow log: no such file".
            ("jsonl:///log.jsonl ", "a space at the path's start or end"),
            ("jsonl:/// log.jsonl", "a space at the path's start or end"),
        ],
    )
    def test_a_malformed_path_is_refused_naming_the_part(self, url: str, part: str) -> None:
        with pytest.raises(BadStoreURL) as error:
            open_store(url, FP)
        assert part in error.value.why, error.value.why
        assert error.value.url == url

    def test_a_socket_with_no_server_is_unreached_and_an_unknown_value_a_bad_url(self) -> None:
        pytest.importorskip("psycopg")  # the postgres extra: how the URL is read
        # A socket with no server on it was "not a store URL govflow knows" (a TCP port with
        # none was StoreFailed): libpq says "connection is bad" for both.
        with pytest.raises(StoreFailed, match="could not be reached"):
            open_store("postgresql:///db?host=/no-such-folder", FP)
        with pytest.raises(BadStoreURL, match="psycopg refuses it: connection is bad"):
            open_store("postgresql:///db?sslmode=bogus", FP)

    @pytest.mark.parametrize(
        ("url", "shown"),
        [
            ("postgresql://u:s3cret@[::1/db", "postgresql://u:***@[::1/db"),
            ("postgresq://u:s3cret@h/db", "postgresq://u:***@h/db"),
            ("postgresql:///db?password=s3cret&host=/no-such", "password=***&host=/no-such"),
            ("postgresql:///db?PASSWORD=s3cret", "PASSWORD=***"),
            ("postgresql://u:s3@cret@[::1/db", "postgresql://u:***@[::1/db"),
            ("postgresq://u:s3cret/x#y@h/db", "postgresq://u:***@h/db"),
            ("postgresql:///db?sslpassword=s3cret&host=/no-such", "sslpassword=***"),
        ],
    )
    def test_a_password_in_a_url_is_never_shown(self, url: str, shown: str) -> None:
        with pytest.raises((BadStoreURL, NotALog, StoreFailed)) as error:
            open_store(url, FP).close()
        assert "s3cret" not in str(error.value)
        assert "cret" not in str(error.value)
        assert shown in str(error.value)


def _proposed_and_agreed(path: Path) -> Registry:
    """A registry on a new JSON Lines log at ``path`` holding a proposal and an agreement."""
    registry = Registry(LIFECYCLE, log=JsonlStore(path, FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    return registry


class TestJsonlTornTail:
    def test_a_torn_last_line_is_reported_with_its_position_and_kept_until_repaired(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "log.jsonl"
        log = JsonlStore(path, FP)
        registry = Registry(LIFECYCLE, log=log, logger=QUIET)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
        good = path.stat().st_size
        with path.open("ab") as out:
            out.write(b'{"after":"propo')
        reopened = JsonlStore(path)
        assert reopened.torn is not None
        assert (reopened.torn.line, reopened.torn.offset) == (4, good)
        assert len(reopened) == 2
        told = reopened.verify()  # the entries before it verify; the torn line is told
        assert (told.count, told.problem and told.problem.kind) == (2, "torn")
        assert told.problem is not None
        assert told.problem.seq == 2
        assert "line 4" in told.problem.message
        assert path.stat().st_size > good  # nothing was dropped silently
        with pytest.raises(type(reopened.torn)):
            Registry(LIFECYCLE, log=reopened, logger=QUIET).apply(make("b", Kind.AGREE, "LGA", 2))
        cut = reopened.repair()
        assert cut is not None
        assert path.stat().st_size == good
        assert reopened.repair() is None
        Registry(LIFECYCLE, log=reopened, logger=QUIET).apply(make("b", Kind.AGREE, "LGA", 2))
        assert JsonlStore(path).verify().ok

    def test_a_last_entry_that_lacks_only_its_newline_is_ended_not_cut(
        self, tmp_path: Path
    ) -> None:
        # An editor's save drops the final newline: repair cut a committed entry.
        path = tmp_path / "log.jsonl"
        registry = _proposed_and_agreed(path)
        kept = registry.log.checkpoint()
        whole = path.read_bytes()
        path.write_bytes(whole[:-1])
        reopened = JsonlStore(path)
        assert reopened.torn is not None
        assert reopened.torn.whole
        assert "with no newline: it is the next entry whole" in str(reopened.torn)
        assert len(reopened) == 1
        ended = reopened.repair()
        assert ended is not None
        assert ended.whole
        assert path.read_bytes() == whole
        assert JsonlStore(path).verify(kept).ok
        # Ended in a carriage return or spaces, not a newline: whole too (with its newline
        # it verifies), so ended, not cut.
        for ending in (b"\r", b"  ", b"\t"):
            path.write_bytes(whole[:-1] + ending)
            spaced = JsonlStore(path)
            assert spaced.torn is not None
            assert spaced.torn.whole, ending
            assert spaced.repair() is not None
            assert path.read_bytes() == whole[:-1] + ending + b"\n"
            assert JsonlStore(path).verify(kept).ok
        # A line that hashes otherwise than it says, or does not follow, is cut as before.
        path.write_bytes(whole[:-1].replace(b'"APCC"', b'"LGA!"'))
        changed = JsonlStore(path)
        assert changed.torn is not None
        assert not changed.torn.whole
        assert changed.repair() is not None
        assert len(JsonlStore(path)) == 1

    def test_a_long_last_entry_that_lacks_only_its_newline_is_ended_not_cut(
        self, tmp_path: Path
    ) -> None:
        # An entry of about 5 MB is accepted: repair cut one past 4 MiB as torn.
        path = tmp_path / "log.jsonl"
        registry = _proposed_and_agreed(path)
        long = tuple("x" * 10_000 for _ in range(500))
        registry.apply(attrs.evolve(make("b", Kind.AGREE, "LGA", 2), reasons=long))
        whole = path.read_bytes()
        assert len(whole.splitlines()[-1]) > 5_000_000
        path.write_bytes(whole[:-1])
        reopened = JsonlStore(path)
        assert reopened.torn is not None
        assert reopened.torn.whole
        ended = reopened.repair()
        assert ended is not None
        assert ended.whole
        assert path.read_bytes() == whole
        assert len(JsonlStore(path)) == 3

    def test_a_torn_source_is_not_copied_without_its_last_line(self, tmp_path: Path) -> None:
        # copy_log left out a whole last entry lacking its newline, and said nothing.
        path = tmp_path / "log.jsonl"
        _proposed_and_agreed(path)
        path.write_bytes(path.read_bytes()[:-1])
        source = JsonlStore(path, read_only=True)
        target = JsonlStore(tmp_path / "copy.jsonl", FP)
        with pytest.raises(TornLog) as torn:
            copy_log(source, target)
        assert torn.value.whole
        assert len(target) == 0

    def test_a_header_saved_with_no_newline_is_ended_by_the_first_append(
        self, tmp_path: Path
    ) -> None:
        # The first entry was written onto the header's line: the log no longer opened.
        path = tmp_path / "log.jsonl"
        JsonlStore(path, FP).close()
        path.write_bytes(path.read_bytes().rstrip(b"\n"))
        _proposed_and_agreed(path)  # the header's line is ended by the first append
        again = JsonlStore(path)
        assert again.torn is None
        assert [e.decision.id for e in again] == ["p", "a"]
        assert again.verify().ok
        assert path.read_bytes().count(b"\n") == 3  # the header's line, and one an entry

    def test_a_line_read_while_another_writer_wrote_it_is_not_torn_once_written(
        self, tmp_path: Path
    ) -> None:
        """A store that read the file mid-write saw a torn line: it looks again before acting."""
        path = tmp_path / "log.jsonl"
        first = Registry(LIFECYCLE, log=JsonlStore(path, FP), logger=QUIET)
        first.apply(make("p", Kind.PROPOSE, "LGA", 0))
        other = Registry(LIFECYCLE, log=JsonlStore(path), logger=QUIET)
        before = path.read_bytes()
        other.apply(make("a", Kind.AGREE, "APCC", 1))
        line = path.read_bytes()[len(before) :]
        for step in ("apply", "repair"):
            path.write_bytes(before + line[:20])  # the other writer halfway through its line
            reader = JsonlStore(path)
            assert [e.decision.id for e in reader] == ["p"]
            assert reader.torn is not None
            registry = Registry(LIFECYCLE, log=reader, logger=QUIET)
            with path.open("ab") as out:
                out.write(line[20:])  # and done
            if step == "apply":
                entry = registry.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1)
                assert entry.seq == 2  # after the other's, not refused as torn
                assert [e.decision.id for e in JsonlStore(path)] == ["p", "a", "n"]
            else:
                assert reader.repair() is None  # nothing torn now: the other's entry kept
                assert [e.decision.id for e in JsonlStore(path)] == ["p", "a"]
            assert JsonlStore(path).verify().ok

    def test_a_torn_line_left_under_a_live_store_is_named_torn_and_nothing_appended(
        self, tmp_path: Path
    ) -> None:
        """Another process tears a line after this store read the file: not a conflict."""
        path = tmp_path / "log.jsonl"
        registry = _proposed_and_agreed(path)
        good = path.stat().st_size
        with path.open("ab") as out:
            out.write(b'{"after":"propo')
        before = path.read_bytes()
        with pytest.raises(TornLog) as raised:
            registry.apply(make("b", Kind.AGREE, "LGA", 2))
        assert (raised.value.line, raised.value.offset) == (4, good)
        assert path.read_bytes() == before
        assert [e.decision.id for e in registry.entries()] == ["p", "a"]
        assert registry.log.repair() is not None
        registry.apply(make("b", Kind.AGREE, "LGA", 2))
        assert [e.decision.id for e in JsonlStore(path)] == ["p", "a", "b"]

    @pytest.mark.parametrize("touched", [False, True], ids=["same-time", "later-time"])
    def test_a_header_written_over_under_a_live_store_is_refused_before_appending(
        self, tmp_path: Path, *, touched: bool
    ) -> None:
        """Another lifecycle's header, of the same length, put in place while a store is open."""
        path = tmp_path / "log.jsonl"
        registry = _proposed_and_agreed(path)
        first, rest = path.read_bytes().split(b"\n", 1)
        other = first.replace(FP.encode(), b"0" * len(FP))
        assert len(other) == len(first)
        assert other != first
        was = path.stat()
        path.write_bytes(other + b"\n" + rest)
        # Written within the clock's grain of the last append, or later.
        later = was.st_mtime_ns + (10**9 if touched else 0)
        os.utime(path, ns=(was.st_atime_ns, later))
        before = path.read_bytes()
        with pytest.raises(LifecycleMismatch):
            registry.apply(make("b", Kind.AGREE, "LGA", 2))
        assert path.read_bytes() == before
        if touched:  # a read sees it too, by the file's time
            with pytest.raises(LifecycleMismatch):
                registry.reload(full=True)

    def test_a_store_opened_read_only_repairs_nothing(self, tmp_path: Path) -> None:
        path = tmp_path / "log.jsonl"
        Registry(LIFECYCLE, log=JsonlStore(path, FP), logger=QUIET).apply(
            make("p", Kind.PROPOSE, "LGA", 0)
        )
        with path.open("ab") as out:
            out.write(b'{"after":"propo')
        before = path.read_bytes()
        reader = JsonlStore(path, read_only=True)
        assert reader.torn is not None
        with pytest.raises(ReadOnlyStore):
            reader.repair()
        assert path.read_bytes() == before
        assert JsonlStore(path).repair() is not None  # a writer cuts it

    def test_a_second_writer_to_the_same_file_gets_a_conflict(self, tmp_path: Path) -> None:
        path = tmp_path / "log.jsonl"
        first = Registry(LIFECYCLE, log=JsonlStore(path, FP), logger=QUIET)
        first.apply(make("p", Kind.PROPOSE, "LGA", 0))
        second_log = JsonlStore(path)
        second = Registry(LIFECYCLE, log=second_log, logger=QUIET)
        first.apply(make("a", Kind.AGREE, "APCC", 1))
        with pytest.raises(AppendConflict):
            second.apply(make("b", Kind.AGREE, "LGA", 1))
        second_log.reload()
        second.reload()
        second.apply(make("b", Kind.AGREE, "LGA", 1))
        assert [e.decision.id for e in JsonlStore(path)] == ["p", "a", "b"]
        assert replay(LIFECYCLE, JsonlStore(path))["b"].state == "proposed"


def test_status_as_of_reads_the_dates_from_the_stored_decisions(tmp_path: Path) -> None:
    log = SqliteStore(tmp_path / "log.db", FP)
    registry = Registry(LIFECYCLE, log=log, logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    endorse_all(registry, day=40)
    reopened = SqliteStore(tmp_path / "log.db")
    again = Registry(LIFECYCLE, log=reopened, logger=QUIET)
    before = again.as_of("b", dt.date(2013, 1, 15))
    assert before is not None
    assert before.state == "proposed"
    reopened.close()
    log.close()


def test_a_stale_registry_gets_a_conflict_for_a_body_it_has_not_seen(store: Handle) -> None:
    """Registry b, opened before a proposes body x, gets AppendConflict, not UnknownBody."""
    a = Registry(LIFECYCLE, log=store.open(FP), logger=QUIET)
    b = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
    a.apply(make("p", Kind.PROPOSE, "LGA", 0, body="x"))
    on_x = make("n", Kind.NOMINATE, "LGA", 1, body="x")
    with pytest.raises(AppendConflict):
        b.apply(on_x)
    with pytest.raises(UnknownBody):  # a registry that has seen the log still refuses
        a.apply(make("m", Kind.NOMINATE, "LGA", 1, body="nobody"))
    getattr(b.log, "reload", lambda: None)()
    b.reload()
    assert b.apply(on_x).seq == 1


def test_a_registry_does_not_build_on_a_log_altered_at_rest(at_rest: Handle) -> None:
    log, registry = filled(at_rest)
    entries = list(log)
    at_rest.rewrite(lambda rows: [*rows[:3], {**rows[3], "after": "shadow"}, *rows[4:]])
    with pytest.raises(TamperedLog) as error:
        Registry(LIFECYCLE, log=at_rest.open(), logger=QUIET)
    assert (error.value.seq, error.value.kind) == (3, "altered")
    assert "restore it from a copy" in str(error.value)
    # The caller who has just verified a log may skip the check (replay still runs).
    with pytest.raises(ReplayMismatch):
        Registry(LIFECYCLE, log=at_rest.open(), logger=QUIET, verified=True)
    assert len(entries) == len(registry.log)


def two_entries(tmp_path: Path) -> Path:
    """A JSON Lines log of two entries: body b proposed by the LGA, agreed by the APCC."""
    path = tmp_path / "log.jsonl"
    writer = Registry(LIFECYCLE, log=JsonlStore(path, FP), logger=QUIET)
    writer.apply(make("p", Kind.PROPOSE, "LGA", 0))
    writer.apply(make("a", Kind.AGREE, "APCC", 1))
    return path


def test_a_registry_takes_in_only_entries_it_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry another writer appends between verifying and reading is not taken in unchecked."""
    path = two_entries(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))  # the log as it is verified: p alone
    forged = lines[-1].replace(b'"actor":"APCC"', b'"actor":"LGA"')  # its hash left as it was
    assert forged != lines[-1]
    store = JsonlStore(path)
    checked = verifying.verify

    def verified_then_appended(*args: Any, **kwargs: Any) -> Any:
        result = checked(*args, **kwargs)
        with path.open("ab") as out:
            out.write(forged)
        return result

    monkeypatch.setattr(verifying, "verify", verified_then_appended)
    registry = Registry(LIFECYCLE, log=store, logger=QUIET)
    monkeypatch.undo()
    assert [f.decision.id for f in registry.body("b").facts] == ["p"]
    assert [e.decision.id for e in registry.entries()] == ["p"]  # the log holds two
    assert len(store) == 2
    as_of = registry.as_of("b", dt.date(2030, 1, 1))
    assert as_of is not None
    assert [f.decision.id for f in as_of.facts] == ["p"]
    with pytest.raises(TamperedLog, match=r"entry 1 \(altered"):
        registry.reload()
    with pytest.raises(TamperedLog, match=r"entry 1 \(altered"):
        registry.reload(full=True)  # the whole log read again is verified again
    assert [f.decision.id for f in registry.body("b").facts] == ["p"]


def test_a_log_cut_short_between_verifying_and_reading_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log of your own that reads again what it verified: cut short in between, it is named."""
    path = two_entries(tmp_path)
    store = JsonlStore(path)
    checked = store.verify

    def verified_then_cut(checkpoint: Any = None) -> Any:
        result = checked(checkpoint)
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:-1]))
        return result

    monkeypatch.setattr(store, "verify", verified_then_cut)
    monkeypatch.setattr(store, "read_verified", None)  # as a log without it
    with pytest.raises(TamperedLog, match=r"entry 1 \(truncated: it now ends before entry 1\)"):
        Registry(LIFECYCLE, log=store, logger=QUIET)


def test_an_entry_rewritten_after_it_was_verified_is_not_taken_in(
    at_rest: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store's entries are verified as they are read: none is read again after the check."""
    log, _ = filled(at_rest)
    written = list(log)
    checked = verifying.verify

    def verified_then_rewritten(*args: Any, **kwargs: Any) -> Any:
        result = checked(*args, **kwargs)
        at_rest.rewrite(lambda rows: [*rows[:4], {**rows[4], "after": "shadow"}, *rows[5:]])
        return result

    monkeypatch.setattr(verifying, "verify", verified_then_rewritten)
    registry = Registry(LIFECYCLE, log=at_rest.open(), logger=QUIET)
    monkeypatch.undo()
    assert list(registry.entries()) == written
    assert registry.body("b") == replay(LIFECYCLE, written)["b"]
    with pytest.raises(TamperedLog) as error:  # the log as it now is
        registry.reload(full=True)
    assert (error.value.seq, error.value.kind) == (4, "altered")


def test_an_entry_with_a_sound_chain_that_no_record_holds_is_named_malformed(
    at_rest: Handle,
) -> None:
    """A 30 February, the chain recomputed from it: reading verified names it, cuts nothing."""
    log, _ = filled(at_rest)
    written = list(log)

    def forged(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows[3]["decision"]["decided"] = "2013-02-30"  # a day's shape; no such day
        for at in range(3, len(rows)):  # rehashed and relinked, as a careful forger would
            rows[at]["prev"] = rows[at - 1]["hash"]
            content = {k: v for k, v in rows[at].items() if k != "hash"}
            text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            rows[at]["hash"] = hashlib.sha256(text.encode()).hexdigest()
        return rows

    at_rest.rewrite(forged)
    reopened = at_rest.open()
    verification, entries = reopened.read_verified()  # type: ignore[attr-defined]
    assert verification.problem is not None
    assert (verification.count, verification.problem.kind) == (3, "malformed")
    said = verification.problem.message
    assert said.startswith("Entry #3.decision.decided.day must be a real calendar day")
    assert (entries, verification.head) == (written[:3], written[2].hash)
    with pytest.raises(TamperedLog) as error:
        Registry(LIFECYCLE, log=reopened, logger=QUIET)
    assert (error.value.seq, error.value.kind) == (3, "malformed")


def test_verify_classifies_a_dropped_entry_whatever_follows_it(at_rest: Handle) -> None:
    """Rows after a gap are looked through for the missing one: one holding no number is passed."""
    filled(at_rest)
    at_rest.rewrite(lambda rows: [*rows[:2], *rows[3:4], {**rows[4], "seq": [1]}, *rows[5:]])
    reopened = at_rest.open()
    for verification in (reopened.verify(), reopened.read_verified()[0]):  # type: ignore[attr-defined]
        assert verification.problem is not None
        assert (verification.count, verification.problem.kind) == (2, "dropped")


def test_a_registry_checks_a_log_against_a_checkpoint(store: Handle) -> None:
    log, registry = filled(store)
    kept = registry.checkpoint()
    assert Registry(LIFECYCLE, log=log, logger=QUIET, checkpoint=kept).checkpoint() == kept
    wrong = type(kept)(kept.count + 1, kept.head)
    with pytest.raises(TamperedLog) as error:
        Registry(LIFECYCLE, log=log, logger=QUIET, checkpoint=wrong)
    assert error.value.kind == "truncated"


class TestCatchingUp:
    def test_since_and_of_body_read_what_they_say(self, store: Handle) -> None:
        log, registry = filled(store)
        registry.apply(make("p2", Kind.PROPOSE, "LGA", 0, body="c"))
        registry.apply(make("n-c", Kind.NOMINATE, "LGA", 3, body="c"))
        entries = list(log)
        for seq in (0, 1, len(entries) - 1, len(entries), len(entries) + 5):
            assert list(log.since(seq)) == entries[seq:]
        assert list(log.of_body("c")) == [e for e in entries if e.body == "c"]  # type: ignore[attr-defined]
        assert list(log.of_body("b")) == [e for e in entries if e.body == "b"]  # type: ignore[attr-defined]
        assert list(log.of_body("nobody")) == []  # type: ignore[attr-defined]
        assert replay(LIFECYCLE, log.of_body("c"))["c"] == registry.body("c")  # type: ignore[attr-defined]

    def test_a_row_filed_under_a_body_for_another_bodys_entry_is_refused(
        self, tmp_path: Path
    ) -> None:
        # SQLite's of_body left such a row out, and said nothing.
        path = tmp_path / "log.db"
        store = SqliteStore(path, FP)
        registry = Registry(LIFECYCLE, log=store, logger=QUIET)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        registry.apply(make("p2", Kind.PROPOSE, "LGA", 0, body="c"))
        registry.apply(make("n-c", Kind.NOMINATE, "LGA", 3, body="c"))
        store.close()
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute("UPDATE govflow_entries SET body = 'b' WHERE seq = 2")
        reopened = SqliteStore(path, read_only=True)
        try:
            with pytest.raises(TamperedLog) as error:
                list(reopened.of_body("b"))
            assert (error.value.seq, error.value.kind) == (2, "misindexed")
            assert "filed under body 'b', but its entry is about 'c'" in str(error.value)
            assert [e.decision.id for e in reopened.of_body("c")] == ["p2"]  # the index: trusted
            problem = reopened.verify().problem
            assert problem is not None
            assert (problem.seq, problem.kind) == (2, "misindexed")
        finally:
            reopened.close()

    def test_every_read_of_a_store_sees_what_another_writer_appended(self, at_rest: Handle) -> None:
        _, writer = filled(at_rest)
        reader = at_rest.open()
        before = list(reader)
        writer.apply(make("p2", Kind.PROPOSE, "LGA", 0, body="c"))  # through another object
        entries = list(reader)  # no len(), no reload() first
        assert [e.decision.id for e in entries] == [*(e.decision.id for e in before), "p2"]
        writer.apply(make("n-c", Kind.NOMINATE, "LGA", 3, body="c"))
        assert [e.decision.id for e in reader.of_body("c")] == ["p2", "n-c"]  # type: ignore[attr-defined]
        writer.apply(make("n-c2", Kind.NOMINATE, "LGA", 4, body="c"))
        assert reader.seq_of("n-c2") == len(before) + 2  # type: ignore[attr-defined]
        writer.apply(make("n-c3", Kind.NOMINATE, "LGA", 5, body="c"))
        assert [s.data["decision"]["id"] for s in reader.stored()][-1] == "n-c3"  # type: ignore[attr-defined,index]
        writer.apply(make("n-c4", Kind.NOMINATE, "LGA", 6, body="c"))
        assert reader[-1].decision.id == "n-c4"  # type: ignore[index]
        assert [e.decision.id for e in reader.since(len(before))] == [  # type: ignore[attr-defined]
            "p2",
            "n-c",
            "n-c2",
            "n-c3",
            "n-c4",
        ]

    def test_a_stale_registry_reads_only_the_new_entries(
        self, store: Handle, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _, first = filled(store)
        second = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
        for n in range(3):
            first.apply(make(f"more{n}", Kind.NOMINATE, "LGA", 10 + n))
        read: list[int] = []
        since = type(second.log).since

        def counted(self: Log, seq: int) -> Iterator[Any]:
            for entry in since(self, seq):  # type: ignore[arg-type]
                read.append(entry.seq)
                yield entry

        monkeypatch.setattr(type(second.log), "since", counted)
        second.reload()
        assert read == [len(first.log) - 3, len(first.log) - 2, len(first.log) - 1]
        assert dict(second.bodies) == dict(first.bodies)
        assert second.checkpoint() == first.checkpoint()
        entry = second.apply(make("after", Kind.AGREE, "PCCs", 20))
        assert entry.seq == len(first.log) - 1
        assert store.open().verify().ok

    def test_apply_retries_catch_up_and_decide_again(self, store: Handle) -> None:
        _, first = filled(store)
        second = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
        first.apply(make("x1", Kind.NOMINATE, "LGA", 10))
        with pytest.raises(AppendConflict):
            second.apply(make("y1", Kind.NOMINATE, "APCC", 11))
        entry = second.apply(make("y1", Kind.NOMINATE, "APCC", 11), retries=1)
        assert entry.seq == len(first.log) - 1
        # The same decision applied by the other writer meanwhile comes back as a repeat.
        decision = make("z1", Kind.NOMINATE, "LGA", 12)
        again = first.apply(make("x2", Kind.NOMINATE, "LGA", 12), retries=1)
        same = second.apply(decision, retries=2)
        assert first.apply(decision, retries=2) == same
        assert again.seq < same.seq
        assert store.open().verify().ok
        with pytest.raises(InvalidRecord, match="retries"):
            first.apply(decision, retries=-1)

    def test_catching_up_on_a_rewritten_log_is_refused(self, at_rest: Handle) -> None:
        log, first = filled(at_rest)
        second = Registry(LIFECYCLE, log=at_rest.open(), logger=QUIET)
        first.apply(make("x1", Kind.NOMINATE, "LGA", 10))
        from govflow.log import entry_to_dict  # noqa: PLC0415

        from .helpers import resealed  # noqa: PLC0415

        forged = resealed(list(log), 2, after="ended")
        at_rest.rewrite(lambda rows: [entry_to_dict(e) for e in forged])
        before = (dict(second.bodies), second.checkpoint())
        with pytest.raises(TamperedLog):
            second.reload()
        assert (dict(second.bodies), second.checkpoint()) == before


def proposed_on_postgres(tmp_path: Path) -> Iterator[tuple[Handle, Log, Registry]]:
    """A PostgreSQL store, its log, and a registry that proposed body b on it."""
    for store in handle("postgres", tmp_path):  # skips when no server is configured
        log = store.open(FP)
        registry = Registry(LIFECYCLE, log=log, logger=QUIET)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        yield store, log, registry


class TestStoreFailures:
    def test_an_sqlite_store_locked_past_its_timeout_fails_typed_and_appends_nothing(
        self, tmp_path: Path
    ) -> None:
        import sqlite3  # noqa: PLC0415

        path = tmp_path / "log.db"
        with SqliteStore(path, FP, timeout=0.1) as log:
            registry = Registry(LIFECYCLE, log=log, logger=QUIET)
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            before = list(log)
            locker = sqlite3.connect(path, isolation_level=None)
            locker.execute("BEGIN EXCLUSIVE")
            try:
                with pytest.raises(StoreFailed, match="database is locked"):
                    registry.apply(make("a", Kind.AGREE, "APCC", 1))
            finally:
                locker.execute("ROLLBACK")
                locker.close()
            assert list(log) == before
            assert registry.apply(make("a", Kind.AGREE, "APCC", 1)).seq == 1

    def test_an_sqlite_log_locked_as_it_is_opened_is_a_store_failure_not_no_log(
        self, tmp_path: Path
    ) -> None:
        """It was called "not a govflow log", which it is."""
        import sqlite3  # noqa: PLC0415

        path = tmp_path / "log.db"
        with SqliteStore(path, FP) as log:
            Registry(LIFECYCLE, log=log, logger=QUIET).apply(make("p", Kind.PROPOSE, "LGA", 0))
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("PRAGMA locking_mode=EXCLUSIVE")
        locker.execute("BEGIN EXCLUSIVE")
        locker.execute("INSERT INTO govflow_meta VALUES ('lock', 'x')")
        try:
            for read_only in (True, False):
                with pytest.raises(StoreFailed, match="database is locked") as caught:
                    open_store(f"sqlite:///{path}", read_only=read_only, timeout=0.1)
                assert not isinstance(caught.value, NotALog)
                assert "wait longer" in str(caught.value)
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        with open_store(f"sqlite:///{path}", read_only=True) as reopened:
            assert len(reopened) == 1

    def test_an_sqlite_log_in_a_folder_it_may_not_write_is_read_as_it_stands(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A partner's read-only archive: SQLite could not make its shared-memory file there.

        Root may write any folder, so the refusal SQLite gives another user is played.
        """
        import sqlite3  # noqa: PLC0415

        from govflow.stores import _said  # noqa: PLC0415

        path = tmp_path / "log.db"
        with SqliteStore(path, FP) as log:
            Registry(LIFECYCLE, log=log, logger=QUIET).apply(make("p", Kind.PROPOSE, "LGA", 0))
            head = log.head
        real = SqliteStore._open
        opened: list[str] = []

        def refused(store: SqliteStore, where: str, fingerprint: str | None) -> object:
            opened.append(store._db.execute("PRAGMA database_list").fetchone()[2])
            if len(opened) == 1:
                raise sqlite3.OperationalError("attempt to write a readonly database")
            return real(store, where, fingerprint)

        monkeypatch.setattr(SqliteStore, "_open", refused)
        monkeypatch.setattr(_said.os, "access", lambda *_: False)
        with SqliteStore(path, read_only=True) as archived:
            assert (len(archived), archived.head) == (1, head)
            assert archived.verify().ok
        assert len(opened) == 2
        # Not for a store that writes, nor with a write-ahead file it could not read.
        opened.clear()
        with pytest.raises(StoreFailed, match="readonly database"):
            SqliteStore(path)
        opened.clear()
        path.with_name("log.db-wal").write_bytes(b"")
        with pytest.raises(StoreFailed, match="readonly database"):
            SqliteStore(path, read_only=True)

    def test_a_json_lines_store_locked_past_its_timeout_fails_typed_and_appends_nothing(
        self, tmp_path: Path
    ) -> None:
        """Another process holding the file's lock hung every append and repair for ever."""
        import fcntl  # noqa: PLC0415

        path = tmp_path / "log.jsonl"
        log = open_store(f"jsonl:///{path}", FP, timeout=0.1)
        assert isinstance(log, JsonlStore)
        assert log.timeout == 0.1
        registry = Registry(LIFECYCLE, log=log, logger=QUIET)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        before, bodies = path.read_bytes(), dict(registry.bodies)
        with path.open("ab") as holder:
            fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
            with pytest.raises(StoreFailed, match=r"another writer held its lock for 0\.1 seconds"):
                registry.apply(make("a", Kind.AGREE, "APCC", 1))
            path.write_bytes(before[:-1])  # torn, to be repaired: under the same lock
            with pytest.raises(StoreFailed, match="wait longer"):
                log.repair()
            path.write_bytes(before)
        assert path.read_bytes() == before
        assert dict(registry.bodies) == bodies
        assert registry.apply(make("a", Kind.AGREE, "APCC", 1)).seq == 1
        with pytest.raises(InvalidRecord, match="timeout"):
            JsonlStore(path, timeout=-1)

    @pytest.mark.postgres
    def test_a_postgres_store_whose_connection_is_lost_fails_typed(self, tmp_path: Path) -> None:
        import psycopg  # noqa: PLC0415

        from .stores import POSTGRES_URL  # noqa: PLC0415

        for store, log, registry in proposed_on_postgres(tmp_path):
            assert POSTGRES_URL is not None
            log._db.close()  # type: ignore[attr-defined]  # the connection goes away
            registry.apply(make("a", Kind.AGREE, "APCC", 1))  # connected again first
            assert len(log) == 2
            assert [e.decision.id for e in store.open()] == ["p", "a"]
            with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:  # the server ends it
                admin.execute("SELECT pg_terminate_backend(%s)", (log._db.info.backend_pid,))  # type: ignore[attr-defined]
            with pytest.raises(StoreFailed, match="PostgreSQL says"):
                registry.apply(make("n", Kind.NOMINATE, "LGA", 2))
            assert len(log) == 2  # the next call connects again
            assert [e.decision.id for e in store.open()] == ["p", "a"]

    @pytest.mark.postgres
    def test_a_postgres_connection_left_with_a_command_under_way_is_replaced(
        self, tmp_path: Path
    ) -> None:
        """A call that failed mid-pipeline (its server process ended) can leave libpq busy."""
        for store, log, registry in proposed_on_postgres(tmp_path):
            log._db.pgconn.send_query(b"SELECT 1")  # type: ignore[attr-defined]  # unread
            assert len(log) == 1  # not "another command is already in progress"
            registry.apply(make("a", Kind.AGREE, "APCC", 1))
            log._db.pgconn.send_query(b"SELECT 1")  # type: ignore[attr-defined]
            registry.apply(make("n", Kind.NOMINATE, "LGA", 2))
            assert [e.decision.id for e in store.open()] == ["p", "a", "n"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("trouble", "said"),
    [
        ("raised", "PostgreSQL says: division by zero"),
        ("swallowed", "a statement in the transaction failed; nothing was committed"),
        ("disconnected", "PostgreSQL says: "),
    ],
)
def test_a_postgres_hold_that_fails_commits_nothing_of_its_block(
    tmp_path: Path, trouble: str, said: str
) -> None:
    """Whatever goes wrong under the hold, what the block appended is not in the log."""
    import psycopg  # noqa: PLC0415

    source = Registry(LIFECYCLE, logger=QUIET)
    source.apply(make("p", Kind.PROPOSE, "LGA", 0))
    agreed = source.apply(make("a", Kind.AGREE, "APCC", 1))
    for store in handle("postgres", tmp_path):
        log = store.open(FP)
        log.append(source.log[0])
        db = log._db  # type: ignore[attr-defined]

        def held(log: Any = log, db: Any = db) -> None:
            with log.exclusive():
                log.append(agreed)
                assert len(log) == 2  # appended, in the hold's transaction
                if trouble == "raised":
                    db.execute("SELECT 1 / 0")
                elif trouble == "swallowed":
                    with contextlib.suppress(psycopg.Error):
                        db.execute("SELECT 1 / 0")
                else:
                    db.close()  # the server goes away before the commit

        with pytest.raises(StoreFailed, match=said):
            held()
        assert [e.decision.id for e in store.open()] == ["p"]


@pytest.mark.postgres
def test_a_hold_inside_a_hold_is_undone_with_it_and_undoes_only_itself(tmp_path: Path) -> None:
    """A registry's hold (retries) inside an application's own is a savepoint of it."""
    for store in handle("postgres", tmp_path):
        log = store.open(FP)
        registry = Registry(LIFECYCLE, log=log, logger=QUIET)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))

        def aborted(log: Any = log, registry: Registry = registry) -> None:
            with log.exclusive():
                registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1)
                registry.apply(make("n", Kind.NOMINATE, "LGA", 2), retries=1)
                raise RuntimeError("the application gives up")

        with pytest.raises(RuntimeError):
            aborted()
        assert [e.decision.id for e in store.open()] == ["p"]  # the inner holds went too
        # The registry saw its appends succeed: after its caller undid them, a new one.
        registry = Registry(LIFECYCLE, log=log, logger=QUIET)
        with log.exclusive():  # type: ignore[attr-defined]
            registry.apply(make("a", Kind.AGREE, "APCC", 1))
            with pytest.raises(TriggerNotAllowed):  # refused inside: only the inner hold ends
                registry.apply(make("x", Kind.RESOLVE, "LGA", 2, trigger="nope"), retries=1)
        assert [e.decision.id for e in store.open()] == ["p", "a"]
        assert registry.apply(make("n", Kind.NOMINATE, "LGA", 2)).seq == 2


@pytest.mark.postgres
def test_an_interrupt_while_queued_for_the_hold_leaves_the_store_usable(tmp_path: Path) -> None:
    import signal  # noqa: PLC0415

    import psycopg  # noqa: PLC0415
    from psycopg import sql  # noqa: PLC0415

    from .stores import POSTGRES_URL  # noqa: PLC0415

    for store in handle("postgres", tmp_path):  # none without a server
        assert POSTGRES_URL is not None
        log = store.open(FP)
        schema = store.url.rsplit("govflow_schema=", 1)[1]
        head = sql.Identifier(schema, "govflow_head")
        with psycopg.connect(POSTGRES_URL, autocommit=True) as other:
            other.execute(sql.SQL("BEGIN; SELECT 1 FROM {} WHERE id = 1 FOR UPDATE").format(head))
            signal.signal(signal.SIGALRM, signal.default_int_handler)
            signal.setitimer(signal.ITIMER_REAL, 0.3)  # Ctrl-C while it waits for the lock
            try:
                with pytest.raises(KeyboardInterrupt), log.exclusive():  # type: ignore[attr-defined]
                    pytest.fail("the hold was taken while another held the head row")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
            other.execute("ROLLBACK")
        registry = Registry(LIFECYCLE, log=log, logger=QUIET)
        assert registry.apply(make("p", Kind.PROPOSE, "LGA", 0), retries=1).seq == 0
        assert [e.decision.id for e in store.open()] == ["p"]


def test_a_retry_on_postgres_holds_the_head_while_it_catches_up(store: Handle) -> None:
    """With retries, a registry that lost the race appends under the store's hold, if any."""
    _, first = filled(store)
    second = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
    first.apply(make("x1", Kind.NOMINATE, "LGA", 10))
    entry = second.apply(make("y1", Kind.NOMINATE, "APCC", 11), retries=1)
    assert entry.seq == len(first.log) - 1
    again = store.open()
    assert list(again)[-1] == entry  # committed, and seen by another connection
    assert again.verify().ok
    # The registry's own view follows what is stored.
    assert second.checkpoint() == again.checkpoint()
    assert hasattr(again, "exclusive") == (store.kind != "memory")


class Interrupted:
    """A logger that raises KeyboardInterrupt, as Ctrl-C would, on the next accepted decision."""

    def __init__(self) -> None:
        self.armed = False

    def info(self, event: str, **fields: object) -> None:
        if self.armed and event == "decision.accepted":
            self.armed = False
            raise KeyboardInterrupt

    def warning(self, event: str, **fields: object) -> None:
        pass


class InterruptedAppend:
    """Ctrl-C, as it were, just after the next append of ``log``: under a hold, before it ends."""

    def __init__(self, log: Any) -> None:
        self.armed, self._append = False, log.append
        log.append = self.append

    def append(self, entry: object, text: str | None = None) -> None:
        self._append(entry, text)
        if self.armed:
            self.armed = False
            raise KeyboardInterrupt


def test_a_retry_interrupted_after_its_append_keeps_it_and_remembers_it(store: Handle) -> None:
    """An apply interrupted after its append (by its logger), nothing else new.

    Every store has committed the entry by then (PostgreSQL appends under a hold that
    ends with the append), and the registry has taken it in: a repeat returns it.
    """
    log = store.open(FP)
    interrupted = Interrupted()
    registry = Registry(LIFECYCLE, log=log, logger=interrupted)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    ids = ["p"]
    # A decision on a body it has, then a proposal of one it has not.
    for decision in (make("a", Kind.AGREE, "APCC", 1), make("q", Kind.PROPOSE, "LGA", 1, body="c")):
        interrupted.armed = True
        with pytest.raises(KeyboardInterrupt):
            registry.apply(decision, retries=1)
        stored = list(store.open())
        assert [e.decision.id for e in stored] == [*ids, decision.id]
        assert registry.checkpoint() == store.open().checkpoint()
        assert registry.apply(decision) == stored[-1]  # a repeat
        ids.append(decision.id)


@pytest.mark.postgres
def test_a_retry_interrupted_under_the_hold_leaves_no_trace(tmp_path: Path) -> None:
    """An apply that must catch up first, interrupted after its append under the hold.

    Another writer appended on the same body, so the registry catches up and appends
    under :meth:`exclusive`: the interrupt rolls the append back, and the registry
    forgets it (keeping what it caught up with).
    """
    for store in handle("postgres", tmp_path):
        registry = Registry(LIFECYCLE, log=store.open(FP), logger=QUIET)
        interrupted = InterruptedAppend(registry.log)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        other = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
        other.apply(make("x", Kind.NOMINATE, "APCC", 1))  # on the same body
        interrupted.armed = True
        with pytest.raises(KeyboardInterrupt):
            registry.apply(make("a", Kind.AGREE, "APCC", 2), retries=1)
        assert [e.decision.id for e in store.open()] == ["p", "x"]
        assert registry.checkpoint() == store.open().checkpoint()
        assert "a" not in [f.decision.id for f in registry.body("b").facts]
        assert registry.apply(make("a", Kind.AGREE, "APCC", 2)).seq == 2
        # A proposal inside the application's own hold (so under exclusive() too): the
        # body it made is forgotten with it.
        log: Any = registry.log
        proposal = make("q", Kind.PROPOSE, "LGA", 2, body="c")

        def held(log: Any = log, proposal: Decision = proposal, reg: Registry = registry) -> None:
            with log.exclusive():
                reg.apply(proposal, retries=1)

        interrupted.armed = True
        with pytest.raises(KeyboardInterrupt):
            held()
        assert "c" not in registry.bodies
        assert [e.decision.id for e in store.open()] == ["p", "x", "a"]
        assert registry.checkpoint() == store.open().checkpoint()


def test_an_interrupted_retry_keeps_what_it_caught_up_with(store: Handle) -> None:
    """The registry goes back to the body as caught up under the hold, not as it was."""
    if store.kind == "postgres":  # under the hold, before it ends
        first = Registry(LIFECYCLE, log=store.open(FP), logger=QUIET)
        interrupted: Interrupted | InterruptedAppend = InterruptedAppend(first.log)
    else:  # no hold: after its append, as its logger is told
        interrupted = Interrupted()
        first = Registry(LIFECYCLE, log=store.open(FP), logger=interrupted)
    first.apply(make("p", Kind.PROPOSE, "LGA", 0))
    second = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
    second.apply(make("x", Kind.AGREE, "APCC", 1))  # first has not seen it
    interrupted.armed = True
    with pytest.raises(KeyboardInterrupt):
        first.apply(make("a", Kind.NOMINATE, "LGA", 2), retries=1)
    fresh = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
    if store.kind != "postgres":  # no hold: the interrupted entry is there, as it is for first
        first.reload()
    assert first.checkpoint() == fresh.checkpoint()
    assert first.body("b") == fresh.body("b")
    assert "x" in [f.decision.id for f in first.body("b").facts]


def test_a_duplicate_refused_under_the_hold_keeps_the_id_it_repeats(store: Handle) -> None:
    registry = Registry(LIFECYCLE, log=store.open(FP), logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    first = registry.apply(make("a", Kind.AGREE, "APCC", 1))
    with pytest.raises(DuplicateDecision):  # the same id, another decision
        registry.apply(make("a", Kind.AGREE, "LGA", 1), retries=1)
    assert registry.apply(make("a", Kind.AGREE, "APCC", 1), retries=1) == first
    assert [e.decision.id for e in store.open()] == ["p", "a"]


def test_a_refusal_under_the_hold_changes_nothing(store: Handle) -> None:
    log = store.open(FP)
    registry = Registry(LIFECYCLE, log=log, logger=QUIET)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    bodies, checkpoint = dict(registry.bodies), registry.checkpoint()
    with pytest.raises(UnknownBody):
        registry.apply(make("a", Kind.AGREE, "APCC", 1, body="nowhere"), retries=1)
    assert (dict(registry.bodies), registry.checkpoint()) == (bodies, checkpoint)
    assert [e.decision.id for e in store.open()] == ["p"]


def test_a_log_in_memory_that_holds_off_writers_is_caught_up_after_an_interruption() -> None:
    class Holding(AuditLog):
        """A log in memory with a hold that commits nothing: what is appended stays.

        Armed, it is interrupted as its block ends (Ctrl-C at the commit, as it were).
        """

        armed = False

        @contextlib.contextmanager
        def exclusive(self) -> Iterator[None]:
            yield
            if type(self).armed:
                type(self).armed = False
                raise KeyboardInterrupt

    events: list[str] = []

    class Told:
        def info(self, event: str, **fields: object) -> None:
            events.append(event)

        def warning(self, event: str, **fields: object) -> None:
            events.append(event)

    for decision in (make("a", Kind.AGREE, "APCC", 1), make("q", Kind.PROPOSE, "LGA", 1, body="c")):
        registry = Registry(LIFECYCLE, log=Holding(FP), logger=Told())
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        Holding.armed = True
        events.clear()
        with pytest.raises(KeyboardInterrupt):
            registry.apply(decision, retries=1)
        # The registry forgot the entry (and a body it made); the log kept it.
        assert events == []  # not told: it may not be kept
        assert len(registry.log) == 2
        assert sorted(registry.bodies) == ["b"]
        assert registry.body("b").facts[-1].decision.id == "p"
        again = registry.apply(decision, retries=1)  # catches up with it: a repeat
        assert (again.seq, list(registry.log)[-1]) == (1, again)
        assert registry.body(decision.body).facts[-1].decision.id == decision.id


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_rows_at_the_ends_of_the_seq_range_are_read(kind: str, tmp_path: Path) -> None:
    """Paging reads a row whose seq was altered to either end of the range, and verify names it."""
    for store in handle(kind, tmp_path):
        log, _ = filled(store)
        count = len(list(log))
        for seq in (-(2**63), 2**63 - 1):
            store.rewrite(lambda rows: rows)  # back to seqs 0, 1, 2, ...
            if kind == "sqlite":
                import sqlite3  # noqa: PLC0415
                from contextlib import closing  # noqa: PLC0415

                with closing(sqlite3.connect(tmp_path / "log.db")) as db:
                    db.execute("UPDATE govflow_entries SET seq = ? WHERE seq = 0", (seq,))
                    db.commit()
            else:
                import psycopg  # noqa: PLC0415
                from psycopg import sql  # noqa: PLC0415

                from .stores import POSTGRES_URL  # noqa: PLC0415

                assert POSTGRES_URL is not None
                table = sql.Identifier(store.schema, "govflow_entries")  # type: ignore[attr-defined]
                with psycopg.connect(POSTGRES_URL) as db:
                    db.execute(
                        sql.SQL("UPDATE {} SET seq = %s WHERE seq = 0").format(table), (seq,)
                    )
            reopened = store.open()
            assert len(list(reopened.records())) == count  # type: ignore[attr-defined]
            problem = reopened.verify().problem
            assert problem is not None
            assert problem.seq == 0


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_closed_store_says_it_was_closed(kind: str, tmp_path: Path) -> None:
    """Not "not a govflow log": every read and append names the close."""
    for store in handle(kind, tmp_path):
        log = store.open(FP)
        registry = Registry(LIFECYCLE, log=log, logger=QUIET)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        log.close()  # type: ignore[attr-defined]
        decision = make("a", Kind.AGREE, "APCC", 1)
        for call in (
            log.__len__,
            partial(list, log),
            log.checkpoint,
            partial(registry.apply, decision),
            partial(registry.apply, decision, retries=1),  # PostgreSQL's hold too
            *([log.exclusive] if kind == "postgres" else []),  # type: ignore[attr-defined]
        ):
            with pytest.raises(StoreClosed, match=r"was closed \(close\(\)\): open it again"):
                call()
        assert [e.decision.id for e in store.open()] == ["p"]


def test_a_closed_json_lines_store_appends_nothing(tmp_path: Path) -> None:
    """It keeps nothing open, but after close() it appended on, unlike every other store."""
    for store in handle("jsonl", tmp_path):
        with store.open(FP) as log:
            registry = Registry(LIFECYCLE, log=log, logger=QUIET)
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        with pytest.raises(StoreClosed, match=r"was closed \(close\(\)\): open it again"):
            registry.apply(make("a", Kind.AGREE, "APCC", 1))
        with pytest.raises(StoreClosed):
            log.repair()  # type: ignore[attr-defined]
        assert [e.decision.id for e in log] == ["p"]  # reading it still works
        sidecar = Path(store.url.removeprefix("jsonl:///") + ".tree")
        before = sidecar.read_bytes() if sidecar.exists() else None
        assert len(log.tree()) == 1  # made, and not kept
        with pytest.raises(StoreClosed):
            log.tree(rebuild=True)  # type: ignore[attr-defined]
        assert (sidecar.read_bytes() if sidecar.exists() else None) == before
        assert [e.decision.id for e in store.open()] == ["p"]


@pytest.fixture(params=["jsonl", "sqlite"])
def file_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handle]:
    yield from handle(request.param, tmp_path)


class TestCountedAfterAConflict:
    """``apply(..., retries=n)`` on a store that cannot hold off writers (JSON Lines, SQLite).

    After a conflict the registry verifies what the others appended, and reads it into
    records and replays it only when a decision, a body or a reload needs it.
    """

    @staticmethod
    def two(store: Handle) -> tuple[Registry, Registry]:
        first = Registry(LIFECYCLE, log=store.open(FP), logger=QUIET)
        first.apply(make("p", Kind.PROPOSE, "LGA", 0))
        other = Registry(LIFECYCLE, log=store.open(), logger=QUIET)
        other.apply(make("q", Kind.PROPOSE, "LGA", 0, body="c"))
        return first, other

    def test_the_others_entries_are_replayed_only_when_needed(
        self, file_store: Handle, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from govflow.log import entry as module  # noqa: PLC0415

        first, other = self.two(file_store)
        read: list[str] = []
        reader = module.entry_from_dict
        monkeypatch.setattr(module, "entry_from_dict", lambda d: read.append(d["seq"]) or reader(d))
        for n in range(3):
            other.apply(make(f"o{n}", Kind.NOMINATE, "LGA", 1, body="c"), retries=1)
            assert first.apply(make(f"f{n}", Kind.NOMINATE, "LGA", 1), retries=1).seq == 3 + 2 * n
        assert read == []  # each conflict: verified, not read into records
        assert [f.decision.id for f in first.body("b").facts][-3:] == ["f0", "f1", "f2"]
        assert read == []
        fresh = Registry(LIFECYCLE, log=file_store.open(), logger=QUIET)
        read.clear()
        assert first.body("c") == fresh.body("c")  # now read and replayed
        assert read == [1, 2, 4, 6]  # q, o0, o1, o2
        assert dict(first.bodies) == dict(fresh.bodies)
        # A repeat of the other's decision, and one on its body, once it is taken in.
        assert first.apply(make("o2", Kind.NOMINATE, "LGA", 1, body="c"), retries=1).seq == 6
        assert first.apply(make("f-c", Kind.AGREE, "LGA", 2, body="c"), retries=1).seq == 8
        assert fresh.log.verify().ok

    def test_a_view_of_the_bodies_kept_reads_what_is_taken_in_and_what_is_reloaded(
        self, file_store: Handle
    ) -> None:
        first, other = self.two(file_store)
        view = first.bodies  # kept, as a notebook keeps it
        assert list(view) == ["b"]
        first.apply(make("f0", Kind.NOMINATE, "LGA", 1), retries=1)  # counts q, on body c
        other.apply(make("o0", Kind.AGREE, "APCC", 1, body="c"), retries=1)
        first.apply(make("f1", Kind.NOMINATE, "LGA", 1), retries=1)  # counts o0
        assert len(first.body("c").facts) == 2  # taken in: the view kept shows it
        assert len(view["c"].facts) == 2
        fresh = Registry(LIFECYCLE, log=file_store.open(), logger=QUIET)
        assert dict(view) == dict(fresh.bodies)
        other.apply(make("o1", Kind.NOMINATE, "LGA", 2, body="c"), retries=1)
        first.reload(full=True)  # the whole log read again: the view kept still reads it
        assert len(view["c"].facts) == 3
        other.apply(make("o2", Kind.PROPOSE, "LGA", 2, body="d"), retries=1)
        first.reload(full=True)
        assert sorted(view) == ["b", "c", "d"]
        assert view == dict(first.bodies)

    def test_a_decision_on_a_body_counted_is_decided_on_it_as_the_others_left_it(
        self, file_store: Handle
    ) -> None:
        first, other = self.two(file_store)
        first.apply(make("f0", Kind.NOMINATE, "LGA", 1), retries=1)  # counts q
        other.apply(make("o0", Kind.AGREE, "APCC", 1, body="c"), retries=1)
        first.apply(make("f1", Kind.NOMINATE, "LGA", 1), retries=1)  # counts o0
        with pytest.raises(DuplicateDecision):  # o0's id, known once read
            first.apply(make("o0", Kind.AGREE, "APCC", 2, body="c"), retries=1)
        assert len(first.body("c").facts) == 2

    def test_what_others_appended_altered_at_rest_is_named_and_nothing_is_appended(
        self, file_store: Handle
    ) -> None:
        first, other = self.two(file_store)
        other.apply(make("o0", Kind.NOMINATE, "LGA", 1, body="c"), retries=1)

        def alter(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            rows[2]["decision"]["actor"] = "APCC"  # its hash no longer matches
            return rows

        file_store.rewrite(alter)
        with pytest.raises(TamperedLog, match="at entry 2"):
            first.apply(make("f0", Kind.NOMINATE, "LGA", 1), retries=1)
        assert len(file_store.open()) == 3

    def test_what_bears_on_the_decision_retried_is_taken_in_once(
        self, file_store: Handle, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from govflow.log import entry as module  # noqa: PLC0415

        verify = importlib.import_module("govflow.log.verify")  # the package exports verify()
        first, other = self.two(file_store)
        other.apply(make("o0", Kind.NOMINATE, "LGA", 1), retries=1)  # on first's body b
        read: list[int] = []
        reader, hashed = module.entry_from_dict, verify.content_hash
        monkeypatch.setattr(module, "entry_from_dict", lambda d: read.append(d["seq"]) or reader(d))
        monkeypatch.setattr(verify, "content_hash", lambda *a: read.append(-1) or hashed(*a))
        assert first.apply(make("f0", Kind.NOMINATE, "LGA", 1), retries=1).seq == 3
        # q and o0 (1, 2) read into records, then verified as records (-1, -1: verify
        # asks content_hash of each), before f0 was decided; not first verified as stored,
        # to be counted, then again as records.
        assert read == [1, 2, -1, -1]
        assert [f.decision.id for f in first.body("b").facts] == ["p", "o0", "f0"]

    def test_a_stored_entry_that_is_no_entry_bears_on_every_decision(self) -> None:
        from govflow.log.entry import Stored  # noqa: PLC0415
        from govflow.log.unread import bears_on  # noqa: PLC0415

        entry = {"body": "c", "decision": {"id": "x"}}
        assert not bears_on([Stored("", entry)], "b", "y")
        assert bears_on([Stored("", entry)], "c", "y")
        assert bears_on([Stored("", entry)], "b", "x")
        for other in ("not JSON", [entry], {"body": "c", "decision": "x"}):
            assert bears_on([Stored("", entry), Stored("", other)], "b", "y")

    def test_a_full_reload_that_fails_keeps_what_was_counted(
        self, file_store: Handle, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import govflow.registry as module  # noqa: PLC0415

        first, _ = self.two(file_store)
        f0 = make("f0", Kind.NOMINATE, "LGA", 1)
        first.apply(f0, retries=1)  # counts q, on body c, and appends f0 after it

        def fails(*args: object) -> object:
            raise ReplayMismatch(0, "body", "b", "c")

        with monkeypatch.context() as patch:
            patch.setattr(module, "replay", fails)
            with pytest.raises(ReplayMismatch):
                first.reload(full=True)
        assert first.apply(f0, retries=1).seq == 2  # a repeat, not appended again
        fresh = Registry(LIFECYCLE, log=file_store.open(), logger=QUIET)
        assert first.body("c") == fresh.body("c")
        assert dict(first.bodies) == dict(fresh.bodies)


def test_a_registrys_own_entry_and_anothers_of_the_same_id_are_a_repeat_when_taken_in() -> None:
    """Taking in counted entries checks every id, the registry's own among them."""
    from govflow.log.entry import sealed  # noqa: PLC0415
    from govflow.log.replay import caught_up  # noqa: PLC0415

    registry = Registry(LIFECYCLE, logger=QUIET)
    proposal = registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    bodies = dict(registry.bodies)
    mine = registry.apply(make("x", Kind.NOMINATE, "LGA", 1))
    again = make("x", Kind.NOMINATE, "LGA", 2)  # the same id, another day
    fields = {
        k: getattr(mine, k)
        for k in ("body", "before", "after", "terms_version", "verdicts", "mandate", "schema")
    }
    theirs, _ = sealed(seq=2, decision=again, prev=mine.hash, **fields)
    log = registry.log
    with pytest.raises(ReplayMismatch, match="x"):
        caught_up(LIFECYCLE, log, [mine, theirs], bodies, {"p": 0}, (1, proposal.hash), [theirs])


@pytest.mark.parametrize(
    "changed",
    [
        {"body": "forged"},
        {"seq": 1},
        {"prev": "0" * 64},
        {"after": "endorsed"},
        {"decision": "forged id"},
    ],
    ids=["body", "seq", "prev", "after", "decision id"],
)
def test_a_text_given_with_another_entrys_fields_is_refused_and_nothing_written(
    at_rest: Handle, changed: dict[str, object]
) -> None:
    # An entry whose hash was copied from another's, given with that entry's text: the
    # text hashed as the hash said, and SQLite filed the row under the forged body and id.
    # (A log in memory takes an entry given with a text as sealed: it keeps no text.)
    store = at_rest
    log = store.open(FP)
    real = Registry(LIFECYCLE, logger=QUIET).apply(make("p", Kind.PROPOSE, "LGA", 0))
    fields = dict(changed)
    if "decision" in fields:
        fields["decision"] = attrs.evolve(real.decision, id=str(fields["decision"]))
    forged = attrs.evolve(real, **fields)  # type: ignore[arg-type]
    assert forged.hash == real.hash
    with pytest.raises(InvalidRecord, match=r"Store\.append\.text must be the entry's canonical"):
        log.append(forged, entry_text(real))
    assert len(log) == 0
    log.append(real, entry_text(real))  # its own text is taken
    assert [e.decision.id for e in store.open()] == ["p"]


def test_a_text_hashed_by_the_caller_must_open_and_end_as_an_entry_does() -> None:
    # A caller hashing a text of its own making that held the filed members anywhere got
    # it stored (verify then called the entry malformed).
    from hashlib import sha256  # noqa: PLC0415

    from govflow.log.entry import text_of  # noqa: PLC0415

    real = Registry(LIFECYCLE, logger=QUIET).apply(make("p", Kind.PROPOSE, "LGA", 0))
    content = entry_text(real).replace(f',"hash":"{real.hash}",', ",")
    for forged_content in ("X" + content, content + "X", content.replace('"after"', '"afterX"')):
        digest = sha256(forged_content.encode()).hexdigest()
        text = forged_content.replace(',"mandate":', f',"hash":"{digest}","mandate":', 1)
        assert not text_of(attrs.evolve(real, hash=digest), text), forged_content[:12]
    assert text_of(real, entry_text(real))
