"""Stores under faults from outside: a failed write, a file replaced, a log cut short.

Also a race to create a log, and a writer appending while the log is verified. Each
stood for a way an accepted decision could be lost, or a sound log reported broken.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from govflow import InvalidRecord, Kind, Registry, TamperedLog
from govflow.cli import _commands as commands
from govflow.cli import main
from govflow.errors import StoreFailed
from govflow.log.entry import Entry, Stored
from govflow.log.roots import KeptNodes
from govflow.stores import JsonlStore, SqliteStore, open_store
from govflow.stores import jsonl as jsonl_module

from .helpers import LIFECYCLE, make
from .stores import POSTGRES_URL

FP = LIFECYCLE.fingerprint


def _decisions(count: int) -> list[object]:
    """A proposal and notes after it, all valid under the reference lifecycle."""
    notes = [make(f"n{n}", Kind.NOTE, "LGA", 1, reasons=(f"note {n}",)) for n in range(count)]
    return [make("p", Kind.PROPOSE, "LGA", 0), *notes]


def _written(path: Path, count: int) -> None:
    """A JSON Lines log at ``path`` of a proposal and ``count`` notes."""
    with JsonlStore(path, FP) as log:
        registry = Registry(LIFECYCLE, log=log)
        for decision in _decisions(count):
            registry.apply(decision)  # type: ignore[arg-type]


def test_a_json_lines_write_that_fails_appends_nothing_and_leaves_no_torn_line(
    tmp_path: Path,
) -> None:
    """A full disk (here a file size limit) is StoreFailed, the line cut back; then it goes on."""
    script = textwrap.dedent(
        f"""
        import resource, signal
        from govflow import Registry
        from govflow.errors import StoreFailed
        from govflow.stores import open_store
        from tests.helpers import LIFECYCLE, make
        from govflow import Kind
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        path = {str(tmp_path / "log.jsonl")!r}
        with open_store("jsonl:///" + path, LIFECYCLE.fingerprint) as log:
            registry = Registry(LIFECYCLE, log=log)
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            size = __import__("os").path.getsize(path)
            _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (size + 40, hard))
            try:
                registry.apply(make("n", Kind.NOTE, "LGA", 1, reasons=("x" * 200,)))
                print("appended")
            except StoreFailed as error:
                print("failed:", error)
            print("size", __import__("os").path.getsize(path) - size, "torn", log.torn)
            resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
            print("then", registry.apply(make("n", Kind.NOTE, "LGA", 1, reasons=("x",))).seq)
        """
    )
    root = Path(__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("failed: The store ")
    assert "writing the entry failed (File too large). Nothing was appended; try again." in lines[0]
    assert lines[1:] == ["size 0 torn None", "then 1"]


def test_verify_takes_no_alarm_at_nodes_a_writer_kept_while_the_log_was_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.jsonl"
    _written(path, 40)
    reader = JsonlStore(path, read_only=True)
    reading = reader.stored

    def stored() -> Iterator[Stored]:  # a writer goes past a batch of 64 leaves meanwhile
        records = reading()  # the 41 entries there when verify began to read
        yield next(records)
        with JsonlStore(path, FP) as log:
            registry = Registry(LIFECYCLE, log=log)
            for n in range(40, 100):
                registry.apply(make(f"n{n}", Kind.NOTE, "LGA", 1, reasons=(f"note {n}",)))
        assert (tmp_path / "log.jsonl.tree").stat().st_size >= 64 * 32  # nodes past 41
        yield from records

    monkeypatch.setattr(reader, "stored", stored)
    monkeypatch.setattr(commands, "open_log", lambda url, read_only: reader)
    assert commands.verify("jsonl:///log", [], [], [], sys.stdout) == 0
    assert capsys.readouterr().out.startswith("intact: 41 entries")
    # Without the log having grown, the same nodes past its end are a fault.
    nodes = KeptNodes(reader.kept_nodes(), "delete it")
    for _ in range(41 * 2 - 1):  # the nodes the 41 entries account for, compared
        next(nodes.kept)
    found = nodes.problem(41, lambda: False)
    assert found is not None
    assert found[0] == 41
    assert "past the log's 41 entries" in found[1]
    assert nodes.problem(41, lambda: True) is None


def test_status_says_the_log_ends_in_a_torn_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.jsonl"
    _written(path, 2)
    with path.open("a", encoding="utf-8") as out:
        out.write('{"seq": 3, "cut')
    lifecycle = "govflow.scenarios:partnership_lifecycle"
    assert main(["status", f"jsonl:///{path}", "--lifecycle", lifecycle]) == 0
    err = capsys.readouterr().err
    assert err.startswith("govflow status: warning: ")
    assert "ends in a torn line 5" in err
    assert err.endswith("The entries before it are shown.\n")


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_sqlite_refuses_to_append_once_its_file_is_deleted_or_replaced(
    tmp_path: Path, how: str
) -> None:
    path = tmp_path / "log.db"
    with SqliteStore(path, FP) as log:
        registry = Registry(LIFECYCLE, log=log)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    backup = tmp_path / "backup.db"
    backup.write_bytes(path.read_bytes())
    with SqliteStore(path, FP) as log:
        registry = Registry(LIFECYCLE, log=log)
        registry.apply(make("n1", Kind.NOTE, "LGA", 1, reasons=("one",)))
        if how == "deleted":
            path.unlink()
        else:
            backup.replace(path)  # a backup restored over it, under a live store
        with pytest.raises(StoreFailed, match="its file was deleted or replaced since it was"):
            registry.apply(make("n2", Kind.NOTE, "LGA", 1, reasons=("two",)))
        assert len(registry.log) == 2  # n2 was never acknowledged


def test_a_json_lines_log_made_by_another_process_meanwhile_is_not_emptied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found missing, then made and appended to by another process: opened as it is."""
    path = tmp_path / "log.jsonl"
    _written(path, 2)
    before = path.read_bytes()
    monkeypatch.setattr(jsonl_module, "check_path", lambda *_, **__: False)  # "missing"
    with JsonlStore(path, FP) as late:
        assert len(late) == 3
    assert path.read_bytes() == before
    assert [json.loads(line).get("seq") for line in before.splitlines()[1:]] == [0, 1, 2]


def test_a_json_lines_log_cut_short_under_a_registry_is_named_truncated(tmp_path: Path) -> None:
    url = f"jsonl:///{tmp_path / 'log.jsonl'}"
    with open_store(url, FP) as log:
        registry = Registry(LIFECYCLE, log=log)
        for decision in _decisions(3):
            registry.apply(decision)  # type: ignore[arg-type]
        path = tmp_path / "log.jsonl"
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:-2]))  # the last two entries cut away
        with pytest.raises(TamperedLog, match="truncated: the log now ends before entry 3"):
            registry.apply(make("n9", Kind.NOTE, "LGA", 1, reasons=("nine",)))


def test_an_sqlite_store_opened_by_a_relative_path_appends_after_a_change_of_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with SqliteStore("log.db", FP) as log:
        registry = Registry(LIFECYCLE, log=log)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        monkeypatch.chdir(elsewhere)
        assert registry.apply(make("n1", Kind.NOTE, "LGA", 1, reasons=("one",))).seq == 1


def _urls(tmp_path: Path) -> list[str]:
    """A new log of each kind of store: JSON Lines, SQLite, and PostgreSQL when configured."""
    urls = [f"jsonl:///{tmp_path / 'log.jsonl'}", f"sqlite:///{tmp_path / 'log.db'}"]
    if POSTGRES_URL is not None:
        urls.append(f"{POSTGRES_URL}?govflow_schema=g{uuid.uuid4().hex[:12]}")
    return urls


def test_a_text_that_is_not_the_entrys_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    """``append(entry, text)`` keeps ``text``: one that is not the entry's own is refused."""
    from govflow.log import entry_text  # noqa: PLC0415

    first, second = _sealed(2)
    own = entry_text(first)
    wrong: list[object] = [
        "not json",
        entry_text(second),  # another entry's text
        own + "\nx",  # the entry's, and a line more
        own.replace('"LGA"', '"APCC"', 1),  # altered, its hash left as it was
        own.encode(),
        5,
    ]
    for url in _urls(tmp_path):
        with open_store(url, FP) as log:
            for text in wrong:
                with pytest.raises(InvalidRecord, match=r"Store\.append\.text must be"):
                    log.append(first, text)  # type: ignore[arg-type]
            forged = attrs.evolve(first, hash="0" * 64)  # a hash that is not its content's
            with pytest.raises(InvalidRecord, match=r"Store\.append\.entry\.hash must be"):
                log.append(forged)
            assert len(log) == 0
            log.append(first, own)
            log.append(second)
        with open_store(url) as log:
            assert [e.hash for e in log] == [first.hash, second.hash]
            assert log.verify().ok


def _sealed(count: int) -> list[Entry]:
    """The first ``count`` entries of a log of a proposal and notes."""
    registry = Registry(LIFECYCLE)
    return [registry.apply(d) for d in _decisions(count - 1)]  # type: ignore[arg-type]


@pytest.mark.parametrize("fingerprint", [5, "", "x", FP.upper(), True, FP + "0"])
@pytest.mark.parametrize("kind", [JsonlStore, SqliteStore])
def test_a_fingerprint_that_is_not_one_is_refused_before_a_file_is_made(
    tmp_path: Path, fingerprint: object, kind: type[JsonlStore | SqliteStore]
) -> None:
    """Made by its class (``open_store`` checked it already): refused, and no file made."""
    path = tmp_path / "log"
    refused = rf"{kind.__name__}\.fingerprint must be None or a lifecycle's fingerprint"
    with pytest.raises(InvalidRecord, match=refused):
        kind(path, fingerprint)  # type: ignore[arg-type]
    assert not path.exists()
    with kind(path, FP) as log:  # the path is free for the log meant
        assert len(log) == 0
    with pytest.raises(InvalidRecord, match=refused):
        kind(path, fingerprint)  # type: ignore[arg-type]  # an existing log, too


@pytest.mark.parametrize("kind", [JsonlStore, SqliteStore, "open_store"])
def test_a_lifecycle_given_for_its_fingerprint_is_told_to_give_the_fingerprint(
    tmp_path: Path, kind: object
) -> None:
    path = tmp_path / "log"
    told = r"Lifecycle 'partnership'.*give lifecycle\.fingerprint"

    def opening() -> object:
        if kind == "open_store":
            return open_store(f"sqlite:///{path}", LIFECYCLE)  # type: ignore[arg-type]
        return kind(path, LIFECYCLE)  # type: ignore[operator]

    with pytest.raises(InvalidRecord, match=told):
        opening()
    assert not path.exists()


def test_a_log_this_process_may_not_write_says_so_and_not_to_try_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only JSON Lines file was called "not a govflow log"; a read-only SQLite file
    # said "try again". (The tests run as any user, root too: the denial is made here.)
    path = tmp_path / "log.jsonl"
    _written(path, 1)
    store = JsonlStore(path)
    real = jsonl_module.os.open

    def denied(name: object, flags: int, *args: object) -> int:
        if flags & jsonl_module.os.O_APPEND:
            raise PermissionError(13, "Permission denied")
        return real(name, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(jsonl_module.os, "open", denied)
    registry = Registry(LIFECYCLE, log=store)
    with pytest.raises(StoreFailed) as refused:
        registry.apply(make("n9", Kind.NOTE, "LGA", 1, reasons=("late",)))
    assert str(refused.value) == (
        f"The store {path} failed: the file cannot be opened to append (Permission denied). "
        "Nothing was appended; give this process write access to the file and its folder."
    )
    monkeypatch.undo()
    assert len(JsonlStore(path)) == 2  # nothing appended
    from govflow.stores._said import store_failed  # noqa: PLC0415

    sqlite_said = store_failed("x.db", "SQLite says: attempt to write a readonly database")
    assert str(sqlite_said).endswith("give this process write access to the file and its folder.")
    assert str(store_failed("x.db", "SQLite says: database is locked")).endswith("; try again.")


def test_a_log_sqlite_cannot_open_beside_its_write_ahead_file_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A writer killed left t.db-wal; in a folder the reader may not write, SQLite cannot
    # make the shared-memory file it needs: "not a govflow log: unable to open database
    # file" was all that was said. (Root may write anywhere: the folder's refusal is made.)
    import sqlite3  # noqa: PLC0415

    from govflow.stores import _said  # noqa: PLC0415

    path = tmp_path / "t.db"
    path.write_bytes(b"")
    refused = sqlite3.OperationalError("unable to open database file")
    monkeypatch.setattr(_said.os, "access", lambda *_: False)
    assert _said.sqlite_said(path, refused) == "SQLite says: unable to open database file"
    (tmp_path / "t.db-wal").write_bytes(b"")
    said = _said.sqlite_said(path, refused)
    assert said.startswith("SQLite says: unable to open database file (its write-ahead file ")
    assert "t.db-wal is beside it" in said
    assert "open it where its folder can be written" in said
    monkeypatch.setattr(_said.os, "access", lambda *_: True)  # a writable folder: not that
    assert _said.sqlite_said(path, refused) == "SQLite says: unable to open database file"
