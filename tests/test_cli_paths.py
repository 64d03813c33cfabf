"""Every subcommand against a battery of bad paths: one line on stderr, exit 2, nothing made.

The battery: a missing file, a missing directory, a directory, a path through a file,
an empty file, a truncated file, an SQLite database that is not a govflow log, a text
file that is not one, a database locked by another writer (with a short lock
timeout), malformed URLs, and, as an unprivileged user, a file that cannot be read
and a directory that cannot be written.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from govflow.cli import main

READERS = ["verify", "log", "status", "checkpoint"]
COMMANDS = [*READERS, "repair", "demo"]


def argv(command: str, url: str) -> list[str]:
    """The command's arguments for a store at ``url``, with a short lock timeout."""
    if command == "demo":
        return ["demo", "--store", url, "--lock-timeout", "0.2"]
    return [command, url, "--lock-timeout", "0.2"]


@pytest.fixture
def places(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Each bad place, as the URL a user would type, with what must stay as it is."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("just a file\n")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "empty.db").write_bytes(b"")
    (tmp_path / "notes.jsonl").write_text("shopping list\neggs\n")
    (tmp_path / "notes.db").write_text("shopping list, long enough to look like a file " * 5)
    with contextlib.closing(sqlite3.connect(tmp_path / "app.db")) as db:
        db.execute("CREATE TABLE users (id INTEGER)")
        db.commit()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["demo", "--store", f"jsonl:///{tmp_path / 'good.jsonl'}"]) == 0
        assert main(["demo", "--store", f"sqlite:///{tmp_path / 'good.db'}"]) == 0
    good = (tmp_path / "good.jsonl").read_bytes()
    (tmp_path / "truncated.jsonl").write_bytes(good[:40])
    (tmp_path / "truncated.db").write_bytes((tmp_path / "good.db").read_bytes()[:100])
    shutil.copy(tmp_path / "good.db", tmp_path / "locked.db")
    locker = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    locker.execute("PRAGMA journal_mode=DELETE")  # a rollback journal: a writer locks readers out
    locker.execute("BEGIN EXCLUSIVE")
    yield {
        "missing file": f"sqlite:///{tmp_path / 'missing.db'}",
        "missing directory": f"jsonl:///{tmp_path / 'no' / 'such' / 'log.jsonl'}",
        "a directory": f"sqlite:///{tmp_path / 'folder'}",
        "a path through a file": f"jsonl:///{tmp_path / 'file.txt' / 'log.jsonl'}",
        "empty JSON Lines": f"jsonl:///{tmp_path / 'empty.jsonl'}",
        "empty SQLite": f"sqlite:///{tmp_path / 'empty.db'}",
        "truncated JSON Lines": f"jsonl:///{tmp_path / 'truncated.jsonl'}",
        "truncated SQLite": f"sqlite:///{tmp_path / 'truncated.db'}",
        "SQLite, not a log": f"sqlite:///{tmp_path / 'app.db'}",
        "text, not a log": f"jsonl:///{tmp_path / 'notes.jsonl'}",
        "text as SQLite": f"sqlite:///{tmp_path / 'notes.db'}",
        "locked by a writer": f"sqlite:///{tmp_path / 'locked.db'}",
        "no slashes": "sqlite:relative.db",
        "a host": "jsonl://host/log.jsonl",
        "a hash in the path": f"jsonl:///{tmp_path / 'a#b.jsonl'}",
        "an unknown scheme": "ftp://example/log",
    }
    locker.execute("ROLLBACK")
    locker.close()


# Which places a command may legitimately use: demo creates a missing file (in a
# directory that exists) and writes to an empty SQLite file; repair is for JSON Lines.
USABLE = {("demo", "missing file"), ("demo", "empty SQLite"), ("demo", "empty JSON Lines")}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_bad_place_is_one_line_and_exit_2(
    command: str,
    places: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tried = 0
    for name, url in places.items():
        if (command, name) in USABLE:
            continue
        before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
        code = main(argv(command, url))
        captured = capsys.readouterr()
        assert code == 2, (command, name, code, captured.err)
        assert captured.err.startswith(f"govflow {command}: "), (name, captured.err)
        assert captured.err.count("\n") == 1, (name, captured.err)
        assert "Traceback" not in captured.err
        after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
        assert after == before, (command, name, set(after) ^ set(before))
        tried += 1
    assert tried >= 10


def test_the_reading_commands_say_a_missing_store_is_missing(
    places: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for command in READERS:
        assert main(argv(command, places["missing file"])) == 2
        assert "there is no such file" in capsys.readouterr().err


def test_a_locked_store_says_so_within_the_timeout(
    places: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv("verify", places["locked by a writer"])) == 2
    assert "database is locked" in capsys.readouterr().err


NOBODY = 65534


def as_nobody(args: list[str]) -> tuple[int, str]:
    """Run the command line in a child process that has dropped to the user nobody."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which coverage does not follow
        os.close(read)
        code = 70
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            with (
                os.fdopen(write, "w") as err,
                contextlib.redirect_stderr(err),
                contextlib.redirect_stdout(io.StringIO()),
            ):
                code = main(args)
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as err:
        message = err.read()
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), message


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping to an unprivileged user needs root")
def test_permissions_as_an_unprivileged_user(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    top = Path(tempfile.gettempdir())
    for parent in tmp_path.parents:  # nobody must reach the folder
        if parent == top:
            break
        parent.chmod(parent.stat().st_mode | 0o005)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["demo", "--store", f"sqlite:///{tmp_path / 'secret.db'}"]) == 0
        assert main(["demo", "--store", f"jsonl:///{tmp_path / 'secret.jsonl'}"]) == 0
    # Everything the commands import is loaded before the child drops its rights.
    with contextlib.redirect_stdout(io.StringIO()):
        for command in READERS:
            main([command, f"jsonl:///{tmp_path / 'secret.jsonl'}"])
    (tmp_path / "secret.db").chmod(0o600)
    (tmp_path / "secret.jsonl").chmod(0o600)
    (tmp_path / "closed").mkdir(mode=0o555)
    tried = 0
    for command in READERS:
        for name in ("secret.db", "secret.jsonl"):
            scheme = "sqlite" if name.endswith(".db") else "jsonl"
            code, err = as_nobody([command, f"{scheme}:///{tmp_path / name}"])
            assert code == 2, (command, name, err)
            assert err.startswith(f"govflow {command}: "), err
            assert err.count("\n") == 1, err
            tried += 1
    code, err = as_nobody(["demo", "--store", f"sqlite:///{tmp_path / 'closed' / 'new.db'}"])
    assert code == 2, err
    assert err.count("\n") == 1, err
    assert not (tmp_path / "closed" / "new.db").exists()
    assert tried == 8


@pytest.mark.parametrize(
    "args",
    [
        ["key", "a.example/x", "ke\x00y"],
        ["key", "a.example/x", "\ud800"],
        ["verify", "jsonl:///log\ud800.jsonl"],
        ["report", "memory:", "--output", "a\x00b.md"],
    ],
)
def test_an_argument_no_command_line_could_give_is_one_line_and_exit_2(
    args: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """main() called in-process with a NUL or a lone surrogate (a shell cannot pass them)."""
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"govflow {args[0]}: the argument ")
    assert "holds a NUL or a lone surrogate" in err
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("output", [".", "/", "./", ".."])
def test_a_report_output_that_names_no_file_is_one_line_and_exit_2(
    output: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"jsonl:///{tmp_path / 'log.jsonl'}"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["demo", "--store", url]) == 0
    capsys.readouterr()
    assert main(["report", url, "--output", output]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govflow report: ")
    assert "names no file" in err
    assert err.count("\n") == 1


def test_a_report_output_in_a_loop_of_links_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"jsonl:///{tmp_path / 'log.jsonl'}"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["demo", "--store", url]) == 0
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    capsys.readouterr()
    assert main(["report", url, "--output", str(tmp_path / "loop1")]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"govflow report: {tmp_path / 'loop1'} is a link in a loop of links: name a file\n"
    )
    assert (tmp_path / "loop1").is_symlink()
