"""Reproducers from a hostile battery against what govflow reads from files and callers."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import hypothesis
import pytest

from govflow import (
    InvalidRecord,
    Kind,
    Lifecycle,
    LifecycleError,
    Registry,
    State,
    Transition,
    When,
    replay,
)
from govflow.canonical import parse, unparsed
from govflow.definitions import dumps, loads
from govflow.definitions.scenario import read_decisions, scenario_data
from govflow.errors import DefinitionError, NotALog
from govflow.guards import Guard, Named, not_before
from govflow.guards import named as guards_named
from govflow.log import Checkpoint
from govflow.stores import JsonlStore, SqliteStore
from govflow.testing import decision_sequences

from .helpers import LIFECYCLE, endorse_all, make


def twice(line: str) -> str:
    """``line``, an entry, with its ``after`` member given twice and its hash made to match.

    The hash is taken over the new text without its ``hash`` member, as an intruder
    who knows the canonical form would take it: a reader keeping the last member sees
    the entry as written, one keeping the first sees ``ended``.
    """
    stated = json.loads(line)["hash"]
    doubled = line.replace('{"after":', '{"after":"ended","after":', 1)
    assert doubled.count('"after":') == 2
    content = doubled.replace(f',"hash":"{stated}"', "")
    return doubled.replace(stated, hashlib.sha256(content.encode()).hexdigest())


def endorsed(registry: Registry) -> None:
    """Propose body ``b`` and endorse it: the last entry is a transition."""
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    endorse_all(registry)


def written(path: Path) -> list[str]:
    """A JSON Lines log of body ``b`` proposed and endorsed, at ``path``; its lines."""
    endorsed(Registry(LIFECYCLE, log=JsonlStore(path, LIFECYCLE.fingerprint)))
    return path.read_text(encoding="utf-8").splitlines()


def test_an_entry_that_gives_a_member_twice_is_malformed_not_intact(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    head, *lines = written(path)
    lines[-1] = twice(lines[-1])
    path.write_text("\n".join([head, *lines]) + "\n", encoding="utf-8")
    result = JsonlStore(path).verify()
    assert not result.ok
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (len(lines) - 1, "malformed")
    assert "the member 'after' is given twice in one object" in result.problem.message
    with pytest.raises(InvalidRecord, match="each member given once"):
        list(JsonlStore(path))


def rewritten_last_row(
    tmp_path: Path, change: Callable[[str], tuple[str, tuple[object, ...]]]
) -> tuple[Path, int]:
    """An SQLite log of body ``b`` endorsed, its last row changed; its path and that row's seq.

    ``change`` of the row's content gives the SQL and its parameters, the seq put last.
    """
    db = tmp_path / "log.db"
    with SqliteStore(db, LIFECYCLE.fingerprint) as store:
        endorsed(Registry(LIFECYCLE, log=store))
    connection = sqlite3.connect(db)
    try:
        with connection:  # one transaction, committed
            seq, content = connection.execute(
                "SELECT seq, content FROM govflow_entries ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            sql, parameters = change(content)
            connection.execute(sql, (*parameters, seq))
    finally:
        connection.close()
    return db, seq


def test_a_sqlite_row_that_gives_a_member_twice_is_malformed(tmp_path: Path) -> None:
    db, seq = rewritten_last_row(
        tmp_path,
        lambda content: (
            "UPDATE govflow_entries SET content = ?, hash = ? WHERE seq = ?",
            (twice(content), json.loads(twice(content))["hash"]),
        ),
    )
    with SqliteStore(db) as store:
        result = store.verify()
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (seq, "malformed")


def test_a_header_that_gives_a_member_twice_is_no_header(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    head, *lines = written(path)
    assert head.startswith('{"govflow": "log",')
    path.write_text("\n".join([head.replace("{", '{"govflow": "x", ', 1), *lines]) + "\n")
    with pytest.raises(NotALog, match="not a govflow header"):
        JsonlStore(path).verify()


def test_a_checkpoint_that_gives_a_member_twice_is_refused() -> None:
    head = "0" * 64
    text = f'{{"count": 3, "count": 2, "head": "{head}"}}'
    with pytest.raises(InvalidRecord, match="one line of JSON, each member given once") as caught:
        Checkpoint.from_json(text)
    assert "(the member 'count' is given twice in one object)" in str(caught.value)


def test_replay_onto_bodies_refuses_entries_they_hold_already() -> None:
    registry = Registry(LIFECYCLE)
    endorsed(registry)
    for day in (3, 4):
        registry.apply(make(f"n{day}", Kind.NOTE, "LGA", day, reasons=["minuted"]))
    entries = list(registry.log)
    bodies = replay(LIFECYCLE, entries[:4])
    assert len(bodies["b"].facts) == 4  # the proposal, two agreements, the first note ...
    with pytest.raises(InvalidRecord, match="after entry 3, the last that body 'b'") as error:
        replay(LIFECYCLE, entries[3:], bodies)  # ... which would count twice
    assert (error.value.record, error.value.field) == ("replay", "entries")
    assert "pass only the entries after those the bodies hold" in str(error.value)
    went_on = replay(LIFECYCLE, entries[4:], bodies)
    assert went_on["b"] == registry.body("b")


#: A lifecycle of two states and one transition, as a file writes it: what others add to.
TWO_STATES = """\
format = "govflow/1"
states = ["a", "b"]
initial = "a"

[[transitions]]
trigger = "go"
from = "a"
to = "b"
"""

CLOCK_DEFINITION = (
    TWO_STATES
    + """
[terms]
title = 2012-09-19T10:00:00
partners = ["LGA", 10:00:00]
"""
)

CLOCK_SCENARIO = """\
format = "govflow-scenario/1"

[[decisions]]
id = "n"
body = "b"
kind = "note"
actor = "LGA"
decided = 2012-07-04
reasons = ["minuted", 1979-05-27T07:32:00Z]

[decisions.source]
document = "minutes"
"""


def test_a_toml_time_is_no_text_in_a_definition() -> None:
    with pytest.raises(DefinitionError) as error:
        loads(CLOCK_DEFINITION)
    found = [(p.line, p.path) for p in error.value.problems]
    assert found == [(11, ("terms", "title")), (12, ("terms", "partners", 1))]
    assert all("a TOML date-time or time of day" in p.message for p in error.value.problems)


def test_a_toml_time_is_no_text_in_a_scenario_and_a_toml_day_is_a_date() -> None:
    with pytest.raises(DefinitionError) as error:
        read_decisions(CLOCK_SCENARIO)
    ((line, path),) = [(p.line, p.path) for p in error.value.problems]
    assert (line, path) == (9, ("decisions", 0, "reasons", 1))
    (decision,) = read_decisions(CLOCK_SCENARIO.replace(", 1979-05-27T07:32:00Z", ""))
    assert decision.decided == When.on(dt.date(2012, 7, 4))


@pytest.mark.parametrize("kinds", [5, "vote", ["vote"], [None]])
def test_read_decisions_refuses_kinds_that_are_not_kinds(kinds: object) -> None:
    with pytest.raises(InvalidRecord, match=r"read_decisions.kinds must be None, or DecisionKind"):
        read_decisions(CLOCK_SCENARIO, kinds=kinds)  # type: ignore[arg-type]


def test_read_decisions_refuses_a_source_that_is_no_text() -> None:
    with pytest.raises(DefinitionError, match="source must be a str"):
        read_decisions(CLOCK_SCENARIO, source=object())  # type: ignore[arg-type]


@pytest.mark.parametrize("decisions", [None, 5, [None], ["a decision"]])
def test_scenario_data_refuses_what_is_no_list_of_decisions(decisions: object) -> None:
    with pytest.raises(InvalidRecord, match=r"scenario_data.decisions must be a list of Decision"):
        scenario_data(decisions)  # type: ignore[arg-type]


def test_recommendations_to_no_name_is_refused() -> None:
    with pytest.raises(InvalidRecord, match=r"recommendations.to must be an authority's name"):
        Registry(LIFECYCLE).recommendations(None)  # type: ignore[arg-type]


def _quorum(body: object, on: object, *, size: int = 2) -> bool:
    return size > 0


def _lifecycle_with(guard: Guard) -> Lifecycle:
    return Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b", guards=[guard])]
    )


@pytest.mark.parametrize(
    ("guard", "said"),
    [
        (Named("q", _quorum, (("size", None),)), "its parameter 'size' is None"),
        (Named("q", _quorum, (("on", dt.date(2013, 1, 1)),)), "its parameter 'on' is a day"),
        (Named("q", _quorum, (("sizes", (1, (2, None))),)), "its parameter 'sizes' is None"),
        (Named("q", functools.partial(_quorum, size=3)), "its function cannot be imported"),
    ],
)
def test_a_guard_a_file_cannot_hold_is_refused_when_written(guard: Guard, said: str) -> None:
    for form in ("toml", "json"):
        with pytest.raises(InvalidRecord, match=re.escape(said)):
            dumps(_lifecycle_with(guard), form=form)


def test_nested_parameters_of_a_named_guard_read_back_the_same() -> None:
    guard = Named("q", _quorum, (("sizes", (1, (2, 3), ())), ("who", ("LGA", "APCC"))))
    lifecycle = _lifecycle_with(guard)
    for form in ("toml", "json"):
        model = loads(dumps(lifecycle, form=form), form=form, allow_imports=True)
        (read,) = model.lifecycle.transitions[0].guards
        assert isinstance(read, Named)
        assert read.params == guard.params
        assert model.lifecycle.fingerprint == lifecycle.fingerprint


def test_a_table_among_a_named_guards_parameters_is_named_at_params() -> None:
    text = dumps(_lifecycle_with(Named("q", _quorum, (("size", 2),))))
    text = text.replace("size = 2", "size = { a = 1 }")
    with pytest.raises(DefinitionError) as error:
        loads(text, allow_imports=True)
    ((path, message),) = [(p.path, p.message) for p in error.value.problems]
    assert path == ("transitions", 0, "guards", 0, "params")
    assert "texts, whole numbers, booleans, days or tuples of them" in message


def test_a_key_written_inside_a_multi_line_string_is_not_taken_for_the_key() -> None:
    text = '''\
format = "govflow/1"
states = ["a"]
initial = "a"
transitions = []

[terms]
partners = ["LGA"]
budget = """
title = this line is the budget's text
"""
title = 5
'''
    with pytest.raises(DefinitionError) as error:
        loads(text)
    ((line, path),) = [(p.line, p.path) for p in error.value.problems]
    assert (line, path) == (11, ("terms", "title"))


WINDOW = (
    TWO_STATES
    + """
[[transitions.guards]]
guard = "decided_by"
kinds = ["agree"]
authorities = ["LGA"]
within = { start = { entered = { days = DAYS } } }
"""
)


@pytest.mark.parametrize(
    ("days", "where", "said"),
    [
        ("1.5", ("days",), "expected a whole number, or a table; got 1.5"),
        (
            "{ param = { name = 3 } }",
            ("days", "param", "name"),
            "expected a non-empty text of at most 10,000 characters, without NUL; got 3",
        ),
    ],
)
def test_a_bad_value_deep_in_a_window_is_named_at_its_own_key(
    days: str, where: tuple[str, ...], said: str
) -> None:
    with pytest.raises(DefinitionError) as error:
        loads(WINDOW.replace("DAYS", days))
    ((path, message),) = [(p.path, p.message) for p in error.value.problems]
    assert path == ("transitions", 0, "guards", 0, "within", "start", "entered", *where)
    assert message == said


@pytest.mark.parametrize("names", [["\x00"], ["  "], ["x" * 10_001], [""]])
def test_decision_sequences_names_the_argument_a_bad_name_came_in(names: list[str]) -> None:
    with pytest.raises(InvalidRecord, match=r"decision_sequences.authorities must be a non-empty"):
        hypothesis.find(decision_sequences(LIFECYCLE, authorities=names), lambda _: True)


def test_an_entry_whose_bytes_are_no_utf8_is_malformed_not_read_as_replacement(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.jsonl"
    head, *lines = written(path)
    line = lines[-1].replace('"source":{"document":"test"', '"source":{"document":"test \ufffd"')
    assert "\ufffd" in line
    stated = json.loads(line)["hash"]
    content = line.replace(f',"hash":"{stated}"', "")
    line = line.replace(stated, hashlib.sha256(content.encode()).hexdigest())  # honest, and
    raw = "\n".join([head, *lines[:-1], line]).encode() + b"\n"
    path.write_bytes(raw)
    assert JsonlStore(path).verify().ok  # ... with U+FFFD as text, it verifies
    path.write_bytes(raw.replace("\ufffd".encode(), b"\xff"))  # one byte no UTF-8 has
    result = JsonlStore(path).verify()
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (len(lines) - 1, "malformed")


def test_a_sqlite_cell_whose_bytes_are_no_utf8_is_malformed(tmp_path: Path) -> None:
    def broken(content: str) -> tuple[str, tuple[object, ...]]:
        changed = content.encode().replace(b'"test"', b'"test \xff"', 1)
        assert changed != content.encode()
        return "UPDATE govflow_entries SET content = CAST(? AS TEXT) WHERE seq = ?", (changed,)

    db, seq = rewritten_last_row(tmp_path, broken)
    with SqliteStore(db) as store:
        result = store.verify()
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (seq, "malformed")


class _Holder:
    @staticmethod
    def quorum(body: object, on: object) -> bool:
        return body is not on


def test_a_guard_in_a_class_reads_back_and_one_in_the_running_script_is_refused() -> None:
    lifecycle = _lifecycle_with(Named("q", _Holder.quorum, (("size", 2),)))
    text = dumps(lifecycle)
    assert 'function = "tests.test_hostile_files:_Holder.quorum"' in text
    (read,) = loads(text, allow_imports=True).lifecycle.transitions[0].guards
    assert isinstance(read, Named)
    assert read.function is _Holder.quorum
    scripted = Named("q", _quorum)
    original = _quorum.__module__
    try:
        _quorum.__module__ = "__main__"  # as if defined in the script being run
        with pytest.raises(InvalidRecord, match="cannot be imported by name from a module"):
            dumps(_lifecycle_with(scripted))
    finally:
        _quorum.__module__ = original


def test_a_date_time_where_a_day_belongs_is_one_problem() -> None:
    text = dumps(_lifecycle_with(not_before(dt.date(2013, 1, 1))))
    assert 'day = "2013-01-01"' in text
    with pytest.raises(DefinitionError) as error:
        loads(text.replace('day = "2013-01-01"', "day = 2013-01-01T10:00:00"))
    (problem,) = error.value.problems
    assert problem.path == ("transitions", 0, "guards", 0, "day")
    assert "a TOML date-time or time of day" in problem.message


def test_a_body_read_from_a_log_with_a_line_of_no_utf8_is_refused_not_shortened(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.jsonl"
    head, *lines = written(path)
    raw = "\n".join([head, *lines]).encode() + b"\n"
    path.write_bytes(
        raw.replace(b'"source":{"document":"test"', b'"source":{"document":"t\xff"', 1)
    )
    with pytest.raises(InvalidRecord, match="UTF-8"):
        list(JsonlStore(path).of_body("b"))


def test_a_repeat_late_in_a_long_object_is_named() -> None:
    members = ",".join(f'"k{n}":{n}' for n in range(5_000))
    with pytest.raises(ValueError, match="the member 'k17' is given twice in one object"):
        parse("{" + members + ',"k17":0}')


@pytest.mark.parametrize(
    "row",
    ['initial = "a"  # see """ here', "initial = \"a'''\"", '# """', 'initial = \'a"""\''],
)
def test_quotes_in_a_comment_or_a_one_line_string_open_no_string(row: str) -> None:
    text = f'format = "govflow/1"\nstates = ["a"]\n{row}\ntransitions = []\n\n[terms]\n'
    text += 'partners = ["LGA"]\ntitle = 5\n'
    with pytest.raises(DefinitionError) as error:
        loads(text)
    lines = {p.path: p.line for p in error.value.problems}
    assert lines[("terms", "title")] == 8, error.value.problems


def test_what_an_unparsed_text_should_have_been() -> None:
    assert unparsed('{"a":1,"a":2}') == (
        "a JSON object, each member given once (the member 'a' is given twice in one object)"
    )
    assert unparsed("{") == (
        "a JSON object, each member given once (not JSON: Expecting property name enclosed "
        "in double quotes, at line 1 column 2)"
    )
    # Where it breaks, a number too long, a nesting too deep: each was only "(not JSON)".
    said = unparsed('{\n  "a": 1,\n}')  # where: the words vary with Python's json
    assert re.search(r"\(not JSON: .+, at line [23] column \d+\)$", said), said
    assert unparsed('{"seq":' + "9" * 5000 + "}").endswith("(a number too long to read)")
    assert unparsed("[" * 100_000 + "]" * 100_000).endswith("(it nests deeper than can be read)")
    assert unparsed(b"\xff") == "UTF-8 text of a JSON object (its bytes are no UTF-8)"
    # UTF-8 stored as bytes (an SQLite BLOB where govflow writes TEXT) is not called no UTF-8.
    assert unparsed(b'{"a":1}') == (
        "UTF-8 text of a JSON object, stored as text (it is stored as bytes)"
    )
    assert unparsed('{"a":1}') == "a JSON object"  # it parses: nothing more to say


@pytest.mark.parametrize(
    "doc",
    [
        '"""Say \\""" twice"""',  # an escaped quote before two more: no end
        '"""ends in a quote""""',  # a fourth quote, the string's own
        '"""two "" inside and "" at the end"""""',
        "'''a literal \\'''",  # a literal string takes no escape: it ends there
    ],
)
def test_a_multi_line_string_ends_where_toml_ends_it(doc: str) -> None:
    # The problem on row 15 was put on row 21 (or given no row): the escaped quotes were
    # taken for the string's end, and what followed for a string.
    text = f'''\
format = "govflow/1"
states = ["a", "b", "c"]
initial = "a"
final = ["c"]

[[transitions]]
trigger = "one"
from = "a"
to = "b"
doc = {doc}

[[transitions]]
trigger = "two"
from = "b"
to = "cc"
# the end of a docstring is written """

[[transitions]]
trigger = "three"
from = "b"
to = "c"
'''
    with pytest.raises(DefinitionError) as error:
        loads(text)
    lines = {p.path: p.line for p in error.value.problems}
    assert lines == {("transitions", 1, "to"): 15}, error.value.problems


def test_a_doc_too_long_is_named_at_its_line_with_its_limit() -> None:
    # It was "doc must be a text", with no line: the text was one, and too long.
    long = "x" * 10_001
    text = f'''\
format = "govflow/1"
states = [
    {{ name = "a", doc = "{"y" * 10_000}" }},
    {{ name = "b", doc = "{long}" }},
]
initial = "a"

[[transitions]]
trigger = "go"
from = "a"
to = "b"
doc = "{long}"
'''
    with pytest.raises(DefinitionError) as error:
        loads(text)
    found = {(p.line, p.path): p.message for p in error.value.problems}
    assert set(found) == {(4, ("states", 1, "doc")), (12, ("transitions", 0, "doc"))}
    for message in found.values():
        assert message.startswith("expected a text of at most 10,000 characters, without NUL")
    with pytest.raises(LifecycleError) as built:
        Lifecycle(states=[State("a", long), "b"], initial="a",
                  transitions=[Transition("go", "a", "b", doc=long)])  # fmt: skip
    limit = "doc must be a text of at most 10,000 characters, without NUL or lone surrogates"
    assert [p.split(", not ")[0] for p in built.value.problems] == [
        f"state 'a': {limit}",
        f"transition #1: {limit}",
    ]


def test_a_problem_under_a_dotted_key_is_named_at_its_line() -> None:
    text = """\
format = "govflow/1"
states = ["a", "b"]
initial = "a"
final = ["b"]
terms . "partners" = ["A"]
terms.title = 5
terms.seats.A = "x"

[[transitions]]
trigger = "go"
from = "a"
to = "b"
"""
    with pytest.raises(DefinitionError) as error:
        loads(text)
    lines = {p.path: p.line for p in error.value.problems}
    assert lines == {("terms", "title"): 6, ("terms", "seats", "A"): 7}


@pytest.mark.parametrize("form", ["toml", "json"])
def test_a_number_too_long_to_read_is_told_at_its_line_without_python_advice(form: str) -> None:
    digits = "9" * 5_000
    if form == "toml":
        text = f'format = "govflow/1"\nstates = ["a"]\ninitial = "a"\nx = {digits}\n'
    else:
        text = f'{{"format": "govflow/1",\n"states": ["a"],\n"initial": "a",\n"x": {digits}}}'
    with pytest.raises(DefinitionError) as error:
        loads(text, form=form)
    (problem,) = error.value.problems
    said = f"not valid {form.upper()}: a number of 5,000 digits, too long to read"
    assert (problem.line, problem.message) == (4, said)
    scenario = text.replace('"govflow/1"', '"govflow-scenario/1"')
    with pytest.raises(DefinitionError) as error:
        read_decisions(scenario, form=form)
    assert [(p.line, p.message) for p in error.value.problems] == [(4, said)]


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def test_parameters_nest_as_deep_as_every_reader_and_writer_carries_them() -> None:
    # Up to 490 deep were taken, then dumps to TOML raised RecursionError from 250;
    # named() raised it at 495. 100 is the limit now, in files and Python alike.
    def definition(depth: int) -> str:
        guard = {"guard": "custom", "function": "json:dumps", "name": "x",
                 "params": {"p": _nested(depth)}}  # fmt: skip
        return json.dumps({"format": "govflow/1", "states": ["a", "b"], "initial": "a",
                           "transitions": [{"trigger": "go", "from": "a", "to": "b",
                                            "guards": [guard]}]})  # fmt: skip

    model = loads(definition(100), form="json", allow_imports=True)
    for form in ("toml", "json"):
        again = loads(dumps(model, form=form), form=form, allow_imports=True)
        assert again.lifecycle.fingerprint == model.lifecycle.fingerprint
    for depth in (101, 400):
        with pytest.raises(DefinitionError) as error:
            loads(definition(depth), form="json", allow_imports=True)
        (problem,) = error.value.problems
        assert problem.path == ("transitions", 0, "guards", 0, "params")
        assert problem.message.endswith("nested at most 100 deep")

    def tupled(value: object) -> object:
        return tuple(map(tupled, value)) if isinstance(value, list) else value

    named_guard = guards_named("g", p=tupled(_nested(100)))(lambda body, on: True)
    assert named_guard.name == "g"
    for depth in (101, 495):
        with pytest.raises(InvalidRecord, match="nested at most 100 deep"):
            guards_named("g", p=tupled(_nested(depth)))


@pytest.mark.parametrize(
    ("rows", "lines"),
    [
        # A dotted key before a sub-table's header: the header names the table first.
        (
            'terms.title = 5\nterms.partners = ["A"]\n\n[terms.seats]\nA = "x"\n',
            {("terms", "title"): 5, ("terms", "seats", "A"): 9},
        ),
        # An array over several rows under a dotted key: the line its item is on.
        ('terms.title = "t"\nterms.partners = [\n  "A",\n  5,\n]\n', {("terms", "partners", 1): 8}),
        # A quoted part with an escape JSON does not have: read as TOML reads it.
        (
            'terms."\\U0001F600" = "x"\nterms.title = 5\nterms.partners = ["A"]\n',
            {("terms", "\U0001f600"): 5, ("terms", "title"): 6},
        ),
        ('[terms."\\U0001F600"]\nx = 1\n', {("terms", "\U0001f600"): 5}),
    ],
)
def test_dotted_keys_and_escaped_names_are_placed_at_their_lines(
    rows: str, lines: dict[tuple[object, ...], int]
) -> None:
    # A dotted key's line was lost under a sub-table, and an array item's was its key's; a
    # name with a \U escape raised JSONDecodeError out of govflow check.
    head = 'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\nfinal = ["b"]\n'
    tail = '\n[[transitions]]\ntrigger = "go"\nfrom = "a"\nto = "b"\n'
    with pytest.raises(DefinitionError) as error:
        loads(head + rows + tail)
    found = {p.path: p.line for p in error.value.problems}
    assert {path: found.get(path) for path in lines} == lines


@pytest.mark.parametrize(
    ("text", "form", "line"),
    [
        (f'# {"9" * 5_000}\nformat = "govflow/1"\nx = {"9" * 5_000}\n', "toml", 3),
        (f'y = "{"9" * 5_000}"\nx = {"_".join(["9999"] * 1_250)}\n', "toml", 2),
        (f'format = """\n{"9" * 5_000}\n"""\nx = -{"9" * 5_000}\n', "toml", 4),
        (f'{{"s": "{"9" * 5_000}",\n "x": {"9" * 5_000}}}', "json", 2),
    ],
    ids=[
        "after a comment",
        "with underscores, after a string",
        "after a multi-line string",
        "json, after a string",
    ],
)
def test_a_number_too_long_is_found_where_it_is_not_in_a_string_or_comment(
    text: str, form: str, line: int
) -> None:
    with pytest.raises(DefinitionError) as error:
        loads(text, form=form)
    (problem,) = error.value.problems
    said = f"not valid {form.upper()}: a number of 5,000 digits, too long to read"
    assert (problem.line, problem.message) == (line, said)


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        ('name = "board"\nformat = "govflow/1"\n', 2, "got a definition's (govflow/1)"),
        ('\nformat = "govflow-scenario/2"\n', 2, "got 'govflow-scenario/2'"),
        ('format = "govflow-scenario/1"\n\ndecisions = 3\n', 3, "expected a list of tables"),
    ],
)
def test_a_scenario_of_the_wrong_shape_is_told_at_its_line(text: str, line: int, said: str) -> None:
    # A definition given as the scenario (govflow run model.toml model.toml), a format
    # of another version, decisions not a list: each at its line, saying what it got.
    with pytest.raises(DefinitionError) as error:
        read_decisions(text, source="s.toml")
    (problem,) = error.value.problems
    assert problem.line == line, problem
    assert said in problem.message, problem.message
