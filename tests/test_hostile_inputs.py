"""Reproducers from a hostile battery against dates, sealing and appending."""

from __future__ import annotations

import datetime as dt
import importlib.abc
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from govflow import (
    AuditLog,
    Authority,
    BadStoreURL,
    Body,
    Decision,
    Delegation,
    InvalidRecord,
    Kind,
    Lifecycle,
    LifecycleError,
    LifecycleMismatch,
    NotALog,
    Reason,
    Registry,
    Source,
    Terms,
    Transition,
    Verdict,
    When,
    queries,
    replay,
    verify,
)
from govflow.cli import _commands as commands
from govflow.display import diagram
from govflow.errors import DefinitionError, MissingExtra
from govflow.guards import Named, decided_by, votes
from govflow.log.codec import SCHEMAS
from govflow.log.entry import Entry, seal
from govflow.model.authority import Mandate
from govflow.render import diagram as graphviz
from govflow.render.records import prov_json
from govflow.render.text import explanation_lines, timeline_lines
from govflow.stores import JsonlStore, open_store
from govflow.testing import Walker, default_terms, walks, whens

from .helpers import LIFECYCLE, make

FP = LIFECYCLE.fingerprint
CHAINED = "2012-01-01/" * 3000 + "2012-01-01"  # a span of spans, 33 KB


def test_a_chain_of_spans_is_refused_not_recursed_through() -> None:
    with pytest.raises(InvalidRecord) as error:
        When.parse(CHAINED)
    assert (error.value.record, error.value.field) == ("When", "iso")
    assert "a span of two days" in str(error.value)
    with pytest.raises(InvalidRecord):
        When.parse("2012-01-01/2012-01-02/2012-01-03")
    assert When.parse("2012-01-01/2012-01-02").iso == "2012-01-01/2012-01-02"


def test_the_command_line_names_an_entry_holding_a_chain_of_spans(tmp_path: Path) -> None:
    """Once a RecursionError and a traceback from every command reading the log."""
    path = tmp_path / "log.jsonl"
    with JsonlStore(path, FP) as store:
        Registry(LIFECYCLE, log=store).apply(make("p", Kind.PROPOSE, "LGA", 0))
    header, line = path.read_text(encoding="utf-8").splitlines()
    data = json.loads(line)
    data["decision"]["decided"] = CHAINED
    path.write_text(f"{header}\n{json.dumps(data)}\n", encoding="utf-8")
    url = f"jsonl:///{path}"
    for command in (["verify", url], ["log", url], ["checkpoint", url]):
        done = subprocess.run(
            [sys.executable, "-m", "govflow", *command], capture_output=True, text=True, check=False
        )
        said = done.stdout + done.stderr
        assert done.returncode in {1, 2}, command
        assert "Traceback" not in said, command
        assert "entry 0" in said, command


def entry(schema: int = 3) -> tuple[Entry, dict[str, object]]:
    given: dict[str, object] = {
        "seq": 0,
        "body": "b",
        "decision": make("p", Kind.PROPOSE, "LGA", 0),
        "before": None,
        "after": "proposed",
        "terms_version": 1,
        "verdicts": (),
        "mandate": Mandate("LGA", "LGA"),
        "prev": "0" * 64,
        "schema": schema,
    }
    return seal(**given), given  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("after", None),
        ("body", 5),
        ("body", "\ud800"),
        ("prev", None),
        ("seq", -1),
        ("terms_version", -1),
        ("verdicts", [None]),
        ("mandate", "LGA"),
        ("schema", 0),
        ("schema", 99),
        ("schema", True),
        ("schema", 3.0),
    ],
)
def test_seal_names_the_argument_that_is_wrong(field: str, value: object) -> None:
    _, given = entry()
    with pytest.raises(InvalidRecord) as error:
        seal(**{**given, field: value})  # type: ignore[arg-type]
    assert (error.value.record, error.value.field) == ("Entry", field)  # as the entry checks it


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body", 5),
        ("body", ""),
        ("decision", "x"),
        ("before", []),
        ("before", ""),
        ("after", None),
        ("terms_version", True),
        ("verdicts", {"a": 1}),
        ("verdicts", [None]),
        ("mandate", "LGA"),
    ],
)
def test_an_entry_built_by_hand_is_checked_field_by_field(field: str, value: object) -> None:
    """Every field has its validator: nothing unhashable or unwritable is held."""
    made, _ = entry()
    fields = {f: getattr(made, f) for f in Entry.__annotations__}
    with pytest.raises(InvalidRecord) as error:
        Entry(**{**fields, field: value})
    assert (error.value.record, error.value.field) == ("Entry", field)
    assert hash(Entry(**fields)) == hash(made)


def test_an_entry_holds_only_a_schema_this_release_reads() -> None:
    made, _ = entry()
    for schema in (0, SCHEMAS[-1] + 1, True, "3"):
        with pytest.raises(InvalidRecord) as error:
            Entry(**{**{f: getattr(made, f) for f in Entry.__annotations__}, "schema": schema})
        assert error.value.field == "schema"


def test_a_log_refuses_an_entry_of_another_schema_and_stays_as_it_was(tmp_path: Path) -> None:
    """Once accepted, it left the log failing verification for good."""
    other, _ = entry(schema=2)
    memory = AuditLog(FP)
    with JsonlStore(tmp_path / "log.jsonl", FP) as stored:
        for log in (memory, stored):
            with pytest.raises(InvalidRecord) as error:
                log.append(other)
            assert error.value.field == "entry.schema"
            assert len(log) == 0
            assert log.verify().ok


@pytest.mark.parametrize("instead", ["removed", "a directory", "a dangling link"])
def test_a_json_lines_log_gone_from_under_a_registry_is_named_and_nothing_is_made(
    tmp_path: Path, instead: str
) -> None:
    path = tmp_path / "log.jsonl"
    store = JsonlStore(path, FP)
    registry = Registry(LIFECYCLE, log=store)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    path.unlink()
    if instead == "a directory":
        path.mkdir()
    elif instead == "a dangling link":
        path.symlink_to(tmp_path / "nowhere")
    with pytest.raises(NotALog, match="it cannot be read and written"):
        registry.apply(make("n", Kind.NOMINATE, "LGA", 1))
    assert not (tmp_path / "nowhere").exists()
    assert (path.exists() or path.is_symlink()) == (instead != "removed")
    assert [e.decision.id for e in registry.entries()] == ["p"]
    store.close()


def test_a_file_with_no_line_break_is_not_read_whole_for_a_header(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"schema":3,"lifecycle":"' + b"a" * 1_000_000 + b'"}\n')
    with pytest.raises(NotALog, match="its first line is longer than 4096 bytes"):
        JsonlStore(path)


@pytest.mark.parametrize(
    "url", ["postgresql://%ff@localhost/db", "postgres://u:s3cret@localhost/%c3%28"]
)
def test_a_postgres_url_whose_escapes_make_no_text_is_named_without_its_password(
    url: str,
) -> None:
    with pytest.raises(BadStoreURL, match="its %-escapes do not make UTF-8 text") as error:
        open_store(url)
    assert "s3cret" not in str(error.value)


def test_a_definition_file_name_too_long_to_open_is_named(tmp_path: Path) -> None:
    from govflow.definitions import load  # noqa: PLC0415
    from govflow.definitions.scenario import load_decisions  # noqa: PLC0415

    name = tmp_path / ("x" * 300 + ".toml")
    for reading in (load, load_decisions):
        with pytest.raises(DefinitionError, match="x" * 300):
            reading(name)
    done = subprocess.run(
        [sys.executable, "-m", "govflow", "check", str(name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "cannot write" not in done.stdout + done.stderr


def test_a_refused_sqlite_file_is_left_as_it_was(tmp_path: Path) -> None:
    """Once the journal mode was switched and govflow's index added before refusing."""
    import sqlite3  # noqa: PLC0415

    from govflow.stores import SqliteStore  # noqa: PLC0415

    app = tmp_path / "app.db"
    db = sqlite3.connect(app)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()
    other = tmp_path / "other.db"
    SqliteStore(other, "0" * 64).close()  # a log of another lifecycle
    one = tmp_path / "one.db"
    one.write_bytes(b"\n")
    for path in (app, other, one):
        before = path.read_bytes()
        with pytest.raises((NotALog, LifecycleMismatch)):
            open_store(f"sqlite:///{path}", FP)
        assert path.read_bytes() == before, path.name
        assert not Path(f"{path}-wal").exists(), path.name


@pytest.fixture
def demo_log(tmp_path: Path) -> str:
    from govflow.cli import main  # noqa: PLC0415

    url = f"jsonl:///{tmp_path / 'spb.jsonl'}"
    assert main(["demo", "--store", url]) == 0
    return url


@pytest.mark.skipif(not Path("/dev/null").is_char_device(), reason="no /dev/null device")
def test_a_report_to_a_device_or_through_a_link_replaces_neither(
    tmp_path: Path, demo_log: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once written beside /dev/null and moved over it: the device became a file."""
    from govflow.cli import main  # noqa: PLC0415

    assert main(["report", demo_log, "--body", "spb", "--output", "/dev/null"]) == 0
    assert Path("/dev/null").is_char_device()
    kept = tmp_path / "kept.md"
    kept.write_text("old", encoding="utf-8")
    link = tmp_path / "report.md"
    link.symlink_to(kept)
    assert main(["report", demo_log, "--body", "spb", "--output", str(link)]) == 0
    assert link.is_symlink()
    assert kept.read_text(encoding="utf-8").startswith("# ")
    capsys.readouterr()


def test_a_report_is_written_through_no_file_left_where_it_is_written_first(
    tmp_path: Path, demo_log: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file or a link at the name a report was once written to first is left as it is."""
    from govflow.cli import main  # noqa: PLC0415

    victim = tmp_path / "victim.txt"
    victim.write_text("PRECIOUS", encoding="utf-8")
    (tmp_path / ".case.md.partial").symlink_to(victim)
    (tmp_path / ".notes.md.partial").write_text("notes", encoding="utf-8")
    for name in ("case.md", "notes.md"):
        assert main(["report", demo_log, "--body", "spb", "--output", str(tmp_path / name)]) == 0
        written = tmp_path / name
        assert not written.is_symlink()
        assert written.read_text(encoding="utf-8").startswith("# Joint Strategic Partnership")
    assert victim.read_text(encoding="utf-8") == "PRECIOUS"
    assert (tmp_path / ".notes.md.partial").read_text(encoding="utf-8") == "notes"
    assert sorted(p.name for p in tmp_path.glob(".*")) == [".case.md.partial", ".notes.md.partial"]
    private = tmp_path / "private.md"  # a file replaced keeps who may read it
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    assert main(["report", demo_log, "--body", "spb", "--output", str(private)]) == 0
    assert (private.stat().st_mode & 0o777, private.read_text(encoding="utf-8")[:2]) == (
        0o600,
        "# ",
    )
    long = tmp_path / ("r" * 240)  # the name of its own, written first, must fit too
    assert main(["report", demo_log, "--body", "spb", "--output", str(long)]) == 0
    assert long.read_text(encoding="utf-8").startswith("# Joint Strategic Partnership")
    capsys.readouterr()


class Boom(Exception):
    """What a caller's own collection raises when it is read."""


class RaisingList(list[object]):
    def __iter__(self) -> Iterator[object]:
        raise Boom("reading the list failed")


class RaisingMap(dict[str, object]):
    def items(self) -> Any:
        raise Boom("reading the mapping failed")


class Unpairable:
    def __iter__(self) -> Iterator[object]:
        raise Boom("not a pair")


DAY = When.day(2020, 1, 1)
RAISING: dict[str, tuple[Callable[[], object], str, str]] = {
    "terms partners": (lambda: Terms("t", RaisingList(["P"])), "Terms", "partners"),
    "terms seats": (lambda: Terms("t", ["P"], seats=RaisingMap(P=1)), "Terms", "seats"),
    "a seat": (lambda: Terms("t", ["P"], seats=[Unpairable()]), "Terms", "seats"),
    "terms parameters": (
        lambda: Terms("t", ["P"], parameters=RaisingMap(x=1)),
        "Terms",
        "parameters",
    ),
    "decision reasons": (
        lambda: Decision(
            id="d",
            body="b",
            kind=Kind.NOTE,
            actor="A",
            decided=DAY,
            source=Source("s"),
            reasons=RaisingList(["r"]),
        ),
        "Decision",
        "reasons",
    ),
    "authority may": (lambda: Authority("A", "O", RaisingList(["agree"])), "Authority", "may"),
    "authority bodies": (
        lambda: Authority("A", "O", ["agree"], RaisingList(["b"])),
        "Authority",
        "bodies",
    ),
    "delegation kinds": (
        lambda: Delegation(to="A", kinds=RaisingList(["agree"]), start=dt.date(2020, 1, 1)),
        "Delegation",
        "kinds",
    ),
    "replay entries": (lambda: replay(LIFECYCLE, RaisingList([])), "replay", "entries"),
    "verify records": (lambda: verify(RaisingList([]), FP), "verify", "records"),
    # Each of these let the caller's Boom out.
    "body facts": (
        lambda: Body("b", "a", Terms("t", ["A"]), RaisingList([]), ["a"], dt.date(2020, 1, 1)),
        "Body",
        "facts",
    ),
    "reason params": (lambda: Reason("c", RaisingList([("k", 1)]), "m"), "Reason", "params"),
    "reason params mapping": (lambda: Reason("c", RaisingMap(k=1), "m"), "Reason", "params"),
    "verdict reasons": (
        lambda: Verdict("g", passed=False, reasons=RaisingList([])),
        "Verdict",
        "reasons",
    ),
    "verdict evidence": (
        lambda: Verdict("g", passed=True, evidence=RaisingList([0])),
        "Verdict",
        "evidence",
    ),
    "log entries": (lambda: AuditLog(FP, RaisingList([])), "AuditLog", "entries"),
    "terms seats as a list": (
        lambda: Terms("t", ["P"], seats=RaisingList([("P", 1)])),
        "Terms",
        "seats",
    ),
    "terms parameters as a tuple": (
        lambda: Terms("t", ["P"], parameters=RaisingTuple(())),
        "Terms",
        "parameters",
    ),
    "decided_by authorities": (
        lambda: decided_by(Kind.AGREE, RaisingList(["A"])),
        "decided_by",
        "authorities",
    ),
    "votes voters": (
        lambda: votes(Kind.AGREE, RaisingList(["A"]), majority=True),
        "votes",
        "voters",
    ),
    "named params": (lambda: Named("n", bool, RaisingTuple(())), "named guard", "params"),
    "walks delegations": (
        lambda: walks(LIFECYCLE, delegations=RaisingList([])),
        "walks",
        "delegations",
    ),
}


class RaisingTuple(tuple[object, ...]):
    def __iter__(self) -> Iterator[object]:
        raise Boom("reading the tuple failed")


@pytest.mark.parametrize("case", RAISING.values(), ids=RAISING.keys())
def test_a_collection_whose_reading_raises_is_refused_naming_the_field(
    case: tuple[Callable[[], object], str, str],
) -> None:
    build, record, field = case
    with pytest.raises(InvalidRecord) as error:
        build()
    assert (error.value.record, error.value.field) == (record, field)
    assert "Boom" in str(error.value)


@pytest.mark.parametrize(
    ("build", "said"),
    [
        (lambda: Lifecycle(states=RaisingList(["a"]), initial="a", transitions=[]), "states"),
        (
            lambda: Lifecycle(
                states=["a", "b"],
                initial="a",
                transitions=[Transition("go", RaisingList(["a"]), "b")],
            ),
            "transition #1: sources",
        ),
        (
            lambda: Lifecycle(
                states=["a", "b"],
                initial="a",
                transitions=RaisingList([Transition("go", "a", "b")]),
            ),
            "transitions",
        ),
        (
            lambda: Lifecycle(
                states=["a", "b"],
                initial="a",
                transitions=[Transition("go", "a", "b")],
                kinds=RaisingList([Kind.AGREE]),
            ),
            "kinds",
        ),
        (
            lambda: Lifecycle(
                states=["a", "b"],
                initial="a",
                transitions=[Transition("go", "a", "b")],
                accepts=RaisingMap(a=["agree"]),
            ),
            "accepts",
        ),
        (
            lambda: Lifecycle(
                states=["a", "b"],
                initial="a",
                transitions=[Transition("go", "a", "b")],
                accepts={"a": RaisingList([Kind.AGREE])},
            ),
            "accepts['a']",
        ),
    ],
    ids=["states", "sources", "transitions", "kinds", "accepts", "accepted kinds"],
)
def test_a_lifecycle_given_a_list_whose_reading_raises_names_it(
    build: Callable[[], object], said: str
) -> None:
    with pytest.raises(LifecycleError) as error:
        build()
    (problem,) = error.value.problems
    assert problem.startswith(said)
    assert "whose reading raised Boom" in problem


def test_printed_lines_hold_no_line_break_or_terminal_escape() -> None:
    state = "agreed\nFAKE LINE"
    lifecycle = Lifecycle(states=["proposed", state], initial="proposed",
                          transitions=[Transition("agree", "proposed", state)])  # fmt: skip
    registry = Registry(lifecycle)
    registry.apply(Decision(id="p", body="b", kind=Kind.PROPOSE, actor="Cabinet\x1b[2J",
                            decided=DAY, source=Source("minutes\r"), terms=Terms("T", ["C"]),
                            reasons=("ok\x1b]0;title\x07",)))  # fmt: skip
    registry.apply(Decision(id="a", body="b", kind=Kind.AGREE, actor="Cabinet",
                            decided=When.day(2020, 1, 2), source=Source("m"),
                            trigger="agree"))  # fmt: skip
    lines = [
        *timeline_lines(registry.entries()),
        *explanation_lines(registry.explain("b")),
    ]
    for line in lines:
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in line), repr(line)
    assert "[0] 2020-01-01  propose by Cabinet?[2J" in lines
    assert "    state: agree: proposed -> agreed FAKE LINE" in lines
    assert "b is agreed FAKE LINE as of 2020-01-02." in lines


MAY, LATER, EARLIER = dt.date(2024, 5, 1), dt.date(2020, 1, 1), dt.date(2010, 1, 1)
WRONG_ARGUMENTS: dict[str, tuple[Callable[[], object], str, str]] = {
    "overdue day": (lambda: queries.overdue([], "2024-05-01"), "overdue", "day"),
    "overdue bodies": (lambda: queries.overdue(["b1"], MAY), "overdue", "bodies"),
    "waiting lifecycle": (lambda: queries.waiting_on(None, [], "X"), "waiting_on", "lifecycle"),
    "waiting on": (lambda: queries.waiting_on(LIFECYCLE, [], "X", on="May"), "waiting_on", "on"),
    "mermaid": (lambda: diagram.mermaid(None), "mermaid", "lifecycle"),
    "svg": (lambda: diagram.svg("lc"), "svg", "lifecycle"),
    "dot": (lambda: graphviz.dot(None), "dot", "lifecycle"),
    "graphviz svg": (lambda: graphviz.svg(LIFECYCLE, current="nope"), "svg", "current"),
    "prov entries": (lambda: prov_json("entries", "b"), "prov_json", "entries"),
    "prov body": (lambda: prov_json([], 3), "prov_json", "body"),
    "whens reversed": (lambda: whens(LATER, EARLIER), "whens", "max_value"),
    "whens datetime": (lambda: whens(dt.datetime(2020, 1, 1)), "whens", "min_value"),
}


@pytest.mark.parametrize("case", WRONG_ARGUMENTS.values(), ids=WRONG_ARGUMENTS.keys())
def test_a_wrong_argument_to_a_query_renderer_or_strategy_is_named(
    case: tuple[Callable[[], object], str, str],
) -> None:
    call, function, argument = case
    with pytest.raises(InvalidRecord) as error:
        call()
    assert (error.value.record, error.value.field) == (function, argument)


def test_a_walker_given_no_terms_uses_the_default_as_walks_does() -> None:
    walker = Walker(LIFECYCLE, ("b0",), None)  # type: ignore[arg-type]
    assert walker.terms == default_terms(LIFECYCLE)


def test_a_repr_stays_one_line_whatever_the_state_is_named() -> None:
    state = "agreed\n<Body 'forged' ended: \x1b[31m"
    lifecycle = Lifecycle(
        states=["a", state], initial="a", transitions=[Transition("go", "a", state)]
    )
    registry = Registry(lifecycle)
    registry.apply(Decision(id="p", body="b", kind=Kind.PROPOSE, actor="A", decided=DAY,
                            source=Source("s"), terms=Terms("T", ["A"])))  # fmt: skip
    registry.apply(Decision(id="g", body="b", kind=Kind.AGREE, actor="A", decided=DAY,
                            source=Source("s"), trigger="go"))  # fmt: skip
    for shown in (registry.body("b"), registry.explain("b"), registry.view("b")):
        text = repr(shown)
        assert "\n" not in text
        assert "\x1b" not in text
        assert repr(state) in text  # quoted, as the id is
    plain = Registry(LIFECYCLE)
    plain.apply(make("p", Kind.PROPOSE, "LGA", 0))
    assert repr(plain.body("b")).startswith("<Body 'b' proposed: ")  # a plain name as it is


def test_a_lifecycle_name_cannot_carry_a_mermaid_directive() -> None:
    name = "Board %%{init: {'theme': 'dark'}}%%"
    lifecycle = Lifecycle(states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b")],
                          name=name)  # fmt: skip
    text = lifecycle.mermaid()
    assert "%%" not in text
    assert json.loads(text.splitlines()[1].removeprefix("title: ")).replace("\u200b", "") == name


def test_a_plain_status_heading_holds_no_terminal_escape() -> None:
    registry = Registry(LIFECYCLE)
    title = "Panel\x1b]0;title\x07\nFAKE: certainly ended"
    registry.apply(Decision(id="p", body="b\x1b[2J", kind=Kind.PROPOSE, actor="LGA",
                            decided=DAY, source=Source("s"),
                            terms=Terms(title, ["LGA", "APCC"])))  # fmt: skip
    lines = commands._plain(LIFECYCLE, list(registry.entries()), None, False, False)  # noqa: FBT003
    for line in lines:
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in line), repr(line)
    assert lines[0] == "The Panel?]0;title? FAKE: certainly ended (b?[2J)"


class RaisingTypeError(dict[str, object]):
    def items(self) -> Any:
        raise TypeError("reading the mapping failed")


class RaisingBool(list[object]):
    def __bool__(self) -> bool:
        raise Boom("no truth value")


def test_what_a_collection_raises_is_named_whatever_it_is() -> None:
    with pytest.raises(InvalidRecord) as error:  # a TypeError of its own, not unsortable seats
        Terms("t", ["P"], seats=RaisingTypeError(P=1))
    assert "whose reading raised TypeError" in str(error.value)
    with pytest.raises(InvalidRecord) as error:  # read once: its truth is never asked
        Delegation(to="A", kinds=RaisingBool(["nope"]), start=dt.date(2020, 1, 1))
    assert error.value.field == "kinds"


def test_waiting_on_takes_a_day_as_the_registry_does() -> None:
    registry = Registry(LIFECYCLE)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    bodies = list(registry.bodies.values())
    assert queries.waiting_on(LIFECYCLE, bodies, "APCC", on=MAY) == queries.waiting_on(
        LIFECYCLE, bodies, "APCC", on=When.on(MAY)
    )


def test_psycopg_without_a_libpq_names_the_binary_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoLibpq(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: object = None, target: object = None) -> None:
            if name == "psycopg":
                raise ImportError("no pq wrapper available")

    monkeypatch.delitem(sys.modules, "psycopg", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoLibpq(), *sys.meta_path])
    with pytest.raises(MissingExtra) as error:
        open_store("postgresql://govflow@127.0.0.1:1/none", FP)
    assert "no pq wrapper available" in str(error.value)
    assert "pip install 'govflow[postgres-binary]'" in str(error.value)


def test_a_reason_param_whose_name_cannot_be_shown_is_refused_in_words() -> None:
    class Unnamable:
        def __str__(self) -> str:
            raise Boom("no name")

    with pytest.raises(InvalidRecord) as error:
        Reason("c", {Unnamable(): 1}, "m")  # type: ignore[dict-item]
    assert (error.value.record, error.value.field) == ("Reason", "params")


def test_a_tree_head_or_a_notes_keys_that_cannot_be_read_are_refused_typed() -> None:
    from govflow.errors import NoteError, ProofError  # noqa: PLC0415
    from govflow.log.checkpoint import TreeHead  # noqa: PLC0415
    from govflow.log.note import Note  # noqa: PLC0415

    with pytest.raises(ProofError, match="expected a list of entry hashes"):
        TreeHead.of(RaisingList(["0" * 64]), "0" * 64, "x.example/log", dt.date(2024, 1, 1))  # type: ignore[arg-type]
    note = Note("x.example/log\n1\nAAAA\n")
    with pytest.raises(NoteError, match="must be VerifierKeys"):
        note.verified_by(RaisingList([]))  # type: ignore[arg-type]
