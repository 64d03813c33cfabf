"""The edges of stores and the command line: odd headers, odd text, odd arguments."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

import attrs
import pytest

from govflow import BadStoreURL, Body, InvalidRecord, Kind, Lifecycle, NotALog, Registry, When
from govflow.cli import _commands as commands
from govflow.cli import main
from govflow.errors import MissingExtra, StoreClosed, StoreFailed, TamperedLog
from govflow.guards import not_before
from govflow.guards.protocol import describe_guard
from govflow.stores import JsonlStore, SqliteStore, open_store
from govflow.stores._header import check_header

from .helpers import LIFECYCLE, make
from .stores import NO_SERVER, POSTGRES_URL

FP = LIFECYCLE.fingerprint


class TestGuardDescriptions:
    def test_a_date_parameter_is_written_as_iso_text(self) -> None:
        described = describe_guard(not_before(dt.date(2013, 4, 1)))
        assert described == {
            "guard": "not before 2013-04-01",
            "type": "NotBefore",
            "day": "2013-04-01",
        }

    def test_a_users_attrs_guard_enters_with_every_field_as_plain_data(self) -> None:
        @attrs.frozen
        class Quorum:
            members: frozenset[str]
            chair: object

            def __call__(self, body: Body, on: When) -> bool:
                return True

        class Chair:
            def __str__(self) -> str:
                return "the chair"

        guard = Quorum(frozenset({"b", "a"}), Chair())
        described = describe_guard(guard)
        assert described["type"] == Quorum.__qualname__
        assert (described["members"], described["chair"]) == (["a", "b"], "the chair")


def lifecycle_factory() -> Lifecycle:
    return LIFECYCLE


def broken_factory() -> Lifecycle:
    raise RuntimeError("no lifecycle today")


class TestLoadingALifecycle:
    def test_a_function_returning_a_lifecycle(self) -> None:
        assert commands.load_lifecycle("tests.test_store_edges:lifecycle_factory") is LIFECYCLE

    def test_a_lifecycle_object(self) -> None:
        assert commands.load_lifecycle("tests.helpers:LIFECYCLE") is LIFECYCLE

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ("no_such_module_anywhere:x", "cannot load the lifecycle"),
            ("tests.helpers:NOTHING", "cannot load the lifecycle"),
            (".x:y", "the module by its full name"),
            ("..:y", "the module by its full name"),
            (":y", "the module by its full name"),
            (
                "tests.test_store_edges:broken_factory",
                "calling 'tests.test_store_edges:broken_factory' failed",
            ),
        ],
    )
    def test_what_cannot_be_loaded_is_unreadable(self, spec: str, message: str) -> None:
        with pytest.raises(commands.Unreadable, match=message):
            commands.load_lifecycle(spec)

    def test_a_module_that_fails_as_it_is_imported_is_unreadable(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (tmp_path / "failing_on_import.py").write_text("raise RuntimeError('no database')\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        with pytest.raises(commands.Unreadable, match="no database"):
            commands.load_lifecycle("failing_on_import:lifecycle")


class TestHeaders:
    @pytest.mark.parametrize(
        ("found", "message"),
        [
            (["govflow"], "it has no govflow header"),
            ({"govflow": "log", "schema": 1}, "its header records no lifecycle"),
        ],
    )
    def test_a_header_that_is_not_one(self, found: object, message: str) -> None:
        with pytest.raises(NotALog, match=message):
            check_header("somewhere", found, None)

    def test_an_sqlite_header_that_is_not_json(self, tmp_path: Path) -> None:
        SqliteStore(tmp_path / "log.db", FP).close()
        db = sqlite3.connect(tmp_path / "log.db")
        db.execute("UPDATE govflow_meta SET value = 'garbled' WHERE key = 'header'")
        db.commit()
        db.close()
        with pytest.raises(NotALog, match="it has no govflow header"):
            SqliteStore(tmp_path / "log.db")

    def test_an_empty_sqlite_file_without_a_lifecycle(self, tmp_path: Path) -> None:
        (tmp_path / "empty.db").touch()
        said = "it is empty: give the lifecycle's fingerprint to create a log there"
        with pytest.raises(NotALog, match=said):
            SqliteStore(tmp_path / "empty.db")
        with pytest.raises(NotALog, match=r"it is empty \(a store opened read-only creates no log"):
            SqliteStore(tmp_path / "empty.db", read_only=True)
        with pytest.raises(
            NotALog, match="there is no such file: give the lifecycle's fingerprint"
        ):
            open_store(f"sqlite:///{tmp_path / 'none.db'}")
        (tmp_path / "empty.jsonl").touch()
        with pytest.raises(NotALog, match=said):
            JsonlStore(tmp_path / "empty.jsonl")

    def test_a_url_with_no_path(self) -> None:
        from govflow import BadStoreURL  # noqa: PLC0415

        with pytest.raises(BadStoreURL):
            open_store("jsonl://")


class TestExactPaths:
    @pytest.mark.parametrize(
        "url", ["sqlite:///ok.db/", "sqlite:///ok.db/.", "jsonl:///ok.jsonl/./"]
    )
    def test_a_path_the_system_would_not_open_as_a_file_is_refused(
        self, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from govflow import BadStoreURL  # noqa: PLC0415

        monkeypatch.chdir(tmp_path)
        SqliteStore(tmp_path / "ok.db", FP).close()
        JsonlStore(tmp_path / "ok.jsonl", FP)
        with pytest.raises(BadStoreURL, match=r"a path ending in '/' or '/\.': name the file"):
            open_store(url)

    @pytest.mark.parametrize("store", [JsonlStore, SqliteStore])
    @pytest.mark.parametrize("path", [".", "/"])
    def test_a_folder_for_a_store_is_not_a_log(
        self, store: type, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)  # JsonlStore(".") raised ValueError from pathlib
        with pytest.raises(NotALog, match="it is not a file"):
            store(path, FP)
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("store", [JsonlStore, SqliteStore])
    def test_a_path_whose_fspath_is_bytes_or_raises_is_refused_naming_it(
        self, store: type, tmp_path: Path
    ) -> None:
        class Raw:
            def __fspath__(self) -> bytes:
                return str(tmp_path / "x.log").encode()

        class Raising:
            def __fspath__(self) -> str:
                raise RuntimeError("no path today")

        for path in (Raw(), Raising()):
            with pytest.raises(
                InvalidRecord, match=rf"{store.__name__}\.path must be a file's path"
            ):
                store(path, FP)
        assert list(tmp_path.iterdir()) == []

    def test_a_stores_switches_are_true_or_false(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidRecord, match=r"JsonlStore\.durable must be True or False"):
            JsonlStore(tmp_path / "a.jsonl", FP, durable="x")  # type: ignore[arg-type]
        with pytest.raises(InvalidRecord, match=r"SqliteStore\.read_only must be True or False"):
            SqliteStore(tmp_path / "a.db", FP, read_only=None)  # type: ignore[arg-type]
        assert list(tmp_path.iterdir()) == []
        from govflow.stores.postgres import PostgresStore  # noqa: PLC0415 - the extra

        # Checked before any connection: None opened the log for writing.
        with pytest.raises(InvalidRecord, match=r"PostgresStore\.read_only must be True or"):
            PostgresStore("postgresql://nobody@127.0.0.1:9/none", FP, read_only=None)  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", [":memory:", "file:x.db?mode=memory"])
    def test_an_sqlite_path_is_a_file_never_memory_nor_a_uri(
        self, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SQLite reads these names as memory or a URI; the store opens the file so named."""
        monkeypatch.chdir(tmp_path)
        url = "sqlite:///" + name.replace("?", "%3F")
        registry = Registry(LIFECYCLE, log=open_store(url, FP), logger=_Quiet())
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        registry.log.close()  # type: ignore[attr-defined]
        assert (tmp_path / name).is_file()
        with open_store(url) as log:
            assert [e.decision.id for e in log] == ["p"]  # kept, in that file


class TestTextAtRest:
    def fill(self, path: Path) -> JsonlStore:
        store = JsonlStore(path, FP)
        registry = Registry(LIFECYCLE, log=store, logger=_Quiet())
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
        return store

    def test_a_line_that_is_not_json_is_malformed_and_stops_reading(self, tmp_path: Path) -> None:
        path = tmp_path / "log.jsonl"
        self.fill(path)
        lines = path.read_text().splitlines()
        path.write_text("\n".join([lines[0], lines[1], "this is not json"]) + "\n")
        store = JsonlStore(path)
        problem = store.verify().problem
        assert problem is not None
        assert (problem.seq, problem.kind) == (1, "malformed")
        read: list[object] = []
        with pytest.raises(InvalidRecord, match=r"Entry #1's text must be a JSON object"):
            read.extend(store)
        assert len(read) == 1

    def test_a_last_line_whose_hash_cannot_be_read_leaves_the_head_at_the_header(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "log.jsonl"
        self.fill(path)
        lines = path.read_text().splitlines()
        path.write_text("\n".join([lines[0], lines[1], "[1, 2]"]) + "\n")
        store = JsonlStore(path)
        assert len(store) == 2
        assert store.verify().problem is not None

    def test_stores_are_context_managers_and_say_what_they_are(self, tmp_path: Path) -> None:
        with SqliteStore(tmp_path / "log.db", FP) as store:
            assert repr(store) == f"<SqliteStore {tmp_path / 'log.db'}>"
            assert len(store) == 0
        with pytest.raises(StoreClosed, match="was closed"):
            len(store)


class TestStatusOfAnUnreplayableLog:
    def test_a_log_that_does_not_verify_exits_1_for_status_as_for_report(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "log.jsonl"
        TestTextAtRest().fill(path)
        lines = path.read_text().splitlines()
        entry = json.loads(lines[2])
        entry["decision"]["kind"] = "Approve!"
        path.write_text("\n".join([lines[0], lines[1], json.dumps(entry)]) + "\n")
        with pytest.raises(TamperedLog, match=r"a decision kind's name"):
            commands.status(f"jsonl:///{path}", LIFECYCLE, None, _Out(), _Quiet())
        named = ["--lifecycle", "govflow.scenarios:partnership_lifecycle"]
        for command in (["status", *named], ["report", *named], ["verify"]):
            assert main([*command, f"jsonl:///{path}"]) == 1, command
            said = capsys.readouterr()
            assert "entry 1" in said.out + said.err


@pytest.mark.postgres
@pytest.mark.skipif(POSTGRES_URL is None, reason=NO_SERVER)
class TestPostgresEdges:
    @pytest.mark.parametrize(
        "name",
        [
            "Robert');DROP",
            "abc%0A",
            "information_schema",
            "pg_catalog",
            "pg_x",
            "a" * 64,
            "1abc",
            "",
        ],
    )
    def test_a_schema_name_that_is_not_plain_or_is_the_systems(self, name: str) -> None:
        with pytest.raises(BadStoreURL, match="is not a schema name govflow uses"):
            open_store(f"{POSTGRES_URL}?govflow_schema={name}", FP)

    @pytest.mark.parametrize(
        ("wrong", "said"),
        [("database", 'database "no_such_db" does not exist'),
         ("role", 'role "no_such_role" does not exist')],
    )  # fmt: skip
    def test_a_server_that_refuses_the_connection_says_what_to_check(
        self, wrong: str, said: str
    ) -> None:
        assert POSTGRES_URL is not None
        url = (
            POSTGRES_URL.rsplit("/", 1)[0] + "/no_such_db"
            if wrong == "database"
            else _as_role(POSTGRES_URL)
        )
        with pytest.raises(StoreFailed) as caught:
            open_store(url, FP)
        message = str(caught.value)
        assert " could not be opened: the server refused the connection (" in message
        assert said in message
        assert message.endswith("; check the user, password and database the URL names, then "
                                "open it again.")  # fmt: skip
        assert "Nothing was appended" not in message

    def test_a_schema_without_a_log_and_no_lifecycle(self) -> None:
        with pytest.raises(NotALog, match="holds no govflow log"):
            open_store(f"{POSTGRES_URL}?govflow_schema=t_never_made")


def _as_role(url: str) -> str:
    """``url`` with its user replaced by a role no server has."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://no_such_role@{rest.partition('@')[2] if '@' in rest else rest}"


@pytest.mark.skipif(
    importlib.util.find_spec("psycopg") is None, reason="no psycopg (postgres extra)"
)
@pytest.mark.parametrize(
    ("url", "error", "said"),
    [
        ("postgresql://u:s3cret@127.0.0.1:9/none?connect_timeout=2", StoreFailed,
         "could not be opened: the server could not be reached ("),
        ("postgresql://u:s3cret@127.0.0.1:9/none?foo=bar", BadStoreURL,
         'psycopg refuses it: invalid URI query parameter: "foo"'),
        ("postgresql://u:s3cret@127.0.0.1:9/none?sslmode=bogus", BadStoreURL,
         "psycopg refuses it: connection is bad: "),  # then libpq's words, which vary
    ],
)  # fmt: skip
def test_a_postgresql_url_that_reaches_no_server_says_why(
    url: str, error: type[Exception], said: str
) -> None:
    """Each was "is not a govflow log", as if the log were not there; no server is needed."""
    with pytest.raises(error) as caught:
        open_store(url, FP)
    message = str(caught.value)
    assert not isinstance(caught.value, NotALog)
    assert said in message
    assert "s3cret" not in message
    if error is StoreFailed:
        assert message.endswith("; check that the server is running and the URL names it, then "
                                "open it again.")  # fmt: skip


class _Quiet:
    def info(self, event: str, **fields: object) -> None:
        pass

    def warning(self, event: str, **fields: object) -> None:
        pass


class _Out:
    def write(self, text: str) -> int:
        return len(text)


@pytest.mark.parametrize(
    ("alteration", "named"),
    [
        ("UPDATE govflow_entries SET seq = seq - 1000", 0),  # every seq, the last two in step
        ("UPDATE govflow_entries SET seq = seq + 4611686018427387904 WHERE seq >= 4", 4),
    ],
)
def test_seqs_shifted_at_rest_leave_the_count_true_and_verify_names_the_first(
    alteration: str, named: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The count is the rows', not the last seq's; nothing reads past what the file holds."""
    from govflow.cli._main import main  # noqa: PLC0415

    path = tmp_path / "log.db"
    registry = Registry(LIFECYCLE, log=SqliteStore(path, FP), logger=_Quiet())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    for n in range(5):
        registry.apply(make(f"n{n}", Kind.NOMINATE, "LGA", 1))
    registry.log.close()  # type: ignore[attr-defined]
    db = sqlite3.connect(path)
    db.execute(alteration)
    db.commit()
    db.close()
    store = SqliteStore(path)
    assert (len(store), store.checkpoint().count, len(list(store))) == (6, 6, 6)
    store.close()
    capsys.readouterr()
    assert main(["verify", f"sqlite:///{path}"]) == 1
    assert capsys.readouterr().out.startswith(f"entry {named}: misindexed: its seq column")


def test_a_postgres_url_without_the_driver_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    url = "postgresql://govflow@127.0.0.1:1/none"
    with pytest.raises(MissingExtra, match=r"pip install 'govflow\[postgres\]'"):
        open_store(url, LIFECYCLE.fingerprint)
    assert main(["verify", url]) == 2  # not 1, which says the log does not verify
    assert "pip install 'govflow[postgres]'" in capsys.readouterr().err
