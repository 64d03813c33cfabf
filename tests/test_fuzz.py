"""Fuzzing the boundary: any value in, a typed error or success out, and nothing changed.

Every test here feeds generated or mutated input to a public entry point and asserts
three things: it succeeds or raises a subclass of ``GovflowError`` (never another
exception), a refusal changes no log, and reading a log never changes it. Run with
``HYPOTHESIS_PROFILE=ci`` for the case counts the CI reports (``--hypothesis-show-
statistics``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govflow import (
    Decision,
    GovflowError,
    Kind,
    Lifecycle,
    Registry,
    Source,
    Terms,
    Transition,
    When,
)
from govflow.cli import main
from govflow.log import Checkpoint
from govflow.scenarios import partnership_lifecycle
from govflow.stores import open_store

from .helpers import LIFECYCLE, make

FIXTURE_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

#: Values of every kind a caller might pass where a record's field is wanted.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**62, max_value=2**80),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["\ud800", "a\x00b", "", " ", "x" * 10_001, "2013-02-13", "agree"]),
    st.binary(max_size=8),
    st.dates(),
    st.datetimes(),
    st.builds(When.on, st.dates()),
    st.sampled_from(list(Kind)),
)
ANY = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


class TestRecords:
    @given(
        field=st.sampled_from([a.name for a in Decision.__attrs_attrs__]),  # type: ignore[attr-defined]
        value=ANY,
    )
    def test_a_decision_with_any_value_in_any_field(self, field: str, value: object) -> None:
        fields: dict[str, Any] = {
            "id": "d",
            "body": "b",
            "kind": Kind.NOMINATE,
            "actor": "LGA",
            "decided": When.on(dt.date(2013, 3, 1)),
            "source": Source("fuzz"),
        }
        fields[field] = value
        registry = Registry(LIFECYCLE)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        before = (list(registry.log), dict(registry.bodies))
        try:
            decision = Decision(**fields)
            registry.apply(decision)
        except GovflowError:
            assert (list(registry.log), dict(registry.bodies)) == before
        assert registry.verify().ok

    @given(
        method=st.sampled_from(["day", "month", "year", "parse", "on", "between"]),
        args=st.lists(ANY | st.integers(1, 12), min_size=3, max_size=3),
    )
    def test_a_date_from_any_values(self, method: str, args: list[object]) -> None:
        arity = {"day": 3, "month": 2, "year": 1, "parse": 1, "on": 1, "between": 2}[method]
        with contextlib.suppress(GovflowError):
            made = getattr(When, method)(*args[:arity])
            assert When.parse(made.iso) == made

    @given(
        states=st.lists(ANY | st.sampled_from(["a", "b", "c"]), max_size=4),
        initial=ANY | st.just("a"),
        final=st.lists(ANY | st.just("c"), max_size=2),
        edges=st.lists(
            st.tuples(ANY | st.just("go"), ANY | st.just(["a"]), ANY | st.just("b")), max_size=3
        ),
    )
    def test_a_lifecycle_from_any_values(
        self, states: list[object], initial: object, final: list[object], edges: list[Any]
    ) -> None:
        with contextlib.suppress(GovflowError):
            transitions = [Transition(t, s, d) for t, s, d in edges]  # type: ignore[arg-type]
            lifecycle = Lifecycle(
                states=states,  # type: ignore[arg-type]
                initial=initial,  # type: ignore[arg-type]
                transitions=transitions,
                final=final,  # type: ignore[arg-type]
            )
            assert lifecycle.fingerprint

    @given(
        title=ANY | st.just("Board"),
        partners=ANY | st.just(("A", "B")),
        seats=ANY | st.just({"A": 1}),
        version=ANY | st.just(1),
    )
    def test_terms_from_any_values(
        self, title: object, partners: object, seats: object, version: object
    ) -> None:
        with contextlib.suppress(GovflowError):
            Terms(title=title, partners=partners, seats=seats, version=version)  # type: ignore[arg-type]

    @given(
        text=st.one_of(
            ANY.map(lambda v: json.dumps(v, default=str)), st.text(), st.just(deep(100_000)), ANY
        )
    )
    def test_a_checkpoint_from_any_text(self, text: object) -> None:
        with contextlib.suppress(GovflowError):
            checkpoint = Checkpoint.from_json(text)  # type: ignore[arg-type]
            assert Checkpoint.from_json(checkpoint.to_json()) == checkpoint


# Logs at rest, mutated.

DEMO = partnership_lifecycle()


@pytest.fixture(scope="module")
def demo_logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("demo")
    paths = {"jsonl": folder / "demo.jsonl", "sqlite": folder / "demo.db"}
    for kind, path in paths.items():
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["demo", "--store", f"{kind}:///{path}"]) == 0
    return paths


def junk_json() -> st.SearchStrategy[str]:
    return st.one_of(
        ANY.map(lambda v: json.dumps(v, default=str)),
        st.just(deep(100_000)),
        st.just('{"seq": ' + "9" * 5000 + "}"),
        st.just('"\\ud800"'),
        st.just("{}"),
        st.text(max_size=30),
    )


@st.composite
def jsonl_mutations(draw: st.DrawFn) -> Callable[[bytes], bytes]:
    how = draw(st.sampled_from(["line", "field", "drop", "dup", "swap", "cut", "bytes"]))
    n = draw(st.integers(0, 20))
    if how == "line":
        junk = draw(junk_json()).encode("utf-8", "surrogatepass")

        def replace(data: bytes) -> bytes:
            lines = data.split(b"\n")
            lines[n % (len(lines) - 1)] = junk
            return b"\n".join(lines)

        return replace
    if how == "field":
        key = draw(st.sampled_from(["seq", "prev", "hash", "body", "schema", "decision", "after"]))
        value = draw(ANY)

        def field(data: bytes) -> bytes:
            lines = data.split(b"\n")
            at = 1 + n % (len(lines) - 2)
            record = json.loads(lines[at])
            record[key] = value
            lines[at] = json.dumps(record, default=str).encode("utf-8", "surrogatepass")
            return b"\n".join(lines)

        return field
    if how == "cut":
        return lambda data: data[: n * len(data) // 21]
    if how == "bytes":
        raw = draw(st.binary(min_size=1, max_size=4))
        return lambda data: data[: n * 37 % len(data)] + raw + data[n * 37 % len(data) + 1 :]

    def lines_op(data: bytes) -> bytes:
        lines = data.rstrip(b"\n").split(b"\n")
        at = 1 + n % (len(lines) - 1)
        if how == "drop":
            del lines[at]
        elif how == "dup":
            lines.insert(at, lines[at])
        else:
            other = 1 + (n * 7) % (len(lines) - 1)
            lines[at], lines[other] = lines[other], lines[at]
        return b"\n".join(lines) + b"\n"

    return lines_op


def reads_safely(url: str, lifecycle: Lifecycle) -> None:
    """Every read a user makes of a stored log: typed errors only."""
    with contextlib.suppress(GovflowError), open_store(url, read_only=True) as log:  # type: ignore[attr-defined]
        result = log.verify()
        assert result.ok or result.problem is not None
        with contextlib.suppress(GovflowError):
            list(log)
        with contextlib.suppress(GovflowError):
            Registry(lifecycle, log=log)
        with contextlib.suppress(GovflowError):
            log.checkpoint()


def cli_runs_cleanly(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["verify", url], ["log", url], ["status", url], ["checkpoint", url]):
        code = main(command)
        captured = capsys.readouterr()
        assert code in (0, 1, 2), (command, code)
        assert "Traceback" not in captured.err
        if code == 2:  # unreadable: one line on standard error
            assert captured.err.count("\n") == 1, captured.err


@FIXTURE_SETTINGS
@given(mutate=jsonl_mutations())
def test_a_mutated_json_lines_log_reads_as_typed_errors_and_is_never_changed(
    demo_logs: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    mutate: Callable[[bytes], bytes],
) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(mutate(demo_logs["jsonl"].read_bytes()))
    before = path.read_bytes()
    url = f"jsonl:///{path}"
    reads_safely(url, DEMO)
    cli_runs_cleanly(url, capsys)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.jsonl"]


CELLS = st.one_of(
    ANY.map(lambda v: json.dumps(v, default=str)),
    st.binary(max_size=8),
    st.none(),
    st.integers(),
    st.floats(allow_nan=False),
    st.just(deep(100_000)),
    st.just(b"\xff\xfe not utf-8"),
)


@FIXTURE_SETTINGS
@given(
    column=st.sampled_from(["content", "seq", "body", "decision_id", "prev", "hash", "schema"]),
    row=st.integers(0, 20),
    value=CELLS,
)
def test_a_mutated_sqlite_row_reads_as_typed_errors_and_is_never_changed(  # noqa: PLR0917
    demo_logs: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    column: str,
    row: int,
    value: object,
) -> None:
    path = tmp_path / "log.db"
    shutil.copy(demo_logs["sqlite"], path)
    db = sqlite3.connect(path)
    seqs = [r[0] for r in db.execute("SELECT seq FROM govflow_entries ORDER BY seq")]
    with contextlib.suppress(sqlite3.IntegrityError, OverflowError):  # refused by the table
        db.execute(
            f"UPDATE govflow_entries SET {column} = ? WHERE seq = ?",  # noqa: S608 - a fixed list
            (value, seqs[row % len(seqs)]),
        )
        db.commit()
    db.close()
    before = path.read_bytes()
    url = f"sqlite:///{path}"
    reads_safely(url, DEMO)
    cli_runs_cleanly(url, capsys)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.db"]


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE govflow_entries",
        "DROP TABLE govflow_meta",
        "UPDATE govflow_meta SET value = 'x'",
        "DELETE FROM govflow_meta",
    ],
)
def test_an_sqlite_log_with_its_tables_damaged(
    demo_logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    path = tmp_path / "log.db"
    shutil.copy(demo_logs["sqlite"], path)
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(damage)
        db.commit()
    reads_safely(f"sqlite:///{path}", DEMO)
    cli_runs_cleanly(f"sqlite:///{path}", capsys)


@pytest.mark.parametrize("offset", [0, 100, 4096, 8192, 12288])
def test_an_sqlite_file_with_a_corrupt_page(
    demo_logs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], offset: int
) -> None:
    path = tmp_path / "log.db"
    shutil.copy(demo_logs["sqlite"], path)
    data = bytearray(path.read_bytes())
    data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))
    reads_safely(f"sqlite:///{path}", DEMO)
    cli_runs_cleanly(f"sqlite:///{path}", capsys)


URL_PARTS = st.sampled_from(
    ["jsonl:", "sqlite:", "memory:", "postgresql:", "ftp:", "", "/", "//", "///", "////"]
)


@FIXTURE_SETTINGS
@given(
    scheme=URL_PARTS,
    path=st.text(max_size=20) | st.sampled_from(["%23", "a#b", "a?b", "x\ny", "%00", ".."]),
)
def test_any_store_url_opens_or_is_a_typed_error_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str, path: str
) -> None:
    if scheme.startswith("postgresql"):
        path = path.replace("@", "")  # never reach for a real server here
        scheme = "postgresql://nobody@127.0.0.1:9/x?connect_timeout=1&"
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    with contextlib.suppress(GovflowError):
        open_store(scheme + path).close()  # type: ignore[attr-defined]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
