"""Each type's codec alone: what it writes, what it reads, what it refuses and in what words.

The record tests go through whole entries; these hold each codec of
``govflow.log.codec`` to its contract for one value at a time: the exact text
written, the value read, the path and words of a refusal, the quick look (``fits``)
verify takes before hashing, and the JSON types each is written as.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import functools
import itertools
import json
import types
import typing
from collections.abc import Iterable
from typing import Any

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from govflow import Kind, Registry, When
from govflow.errors import InvalidRecord
from govflow.log import entry_to_dict
from govflow.log.codec import codec, record_codec
from govflow.log.entry import SCHEMAS, Entry
from govflow.log.where import Where
from govflow.model.decision import Decision, Source
from govflow.model.kind import DecisionKind
from govflow.scenarios import partnership_lifecycle, spb

from .helpers import make

HERE = Where("R", "f")
TEXT = "a text without NUL or lone surrogates, of at most 10,000 characters"
PARAM = str | int | tuple[str, ...]


class Motion(DecisionKind):
    VOTE = "vote"


class Level(enum.Enum):
    """An enumeration whose members are not texts."""

    LOW = "low"
    HIGH = "high"


def refusal(kind: object, value: object, schema: int = 3) -> tuple[str, str, object]:
    """The path, the expected words and the value a codec's refusal names."""
    with pytest.raises(InvalidRecord) as caught:
        codec(kind, schema).read(value, HERE)
    e = caught.value
    assert e.record == "R"
    return e.field, e.expected, e.received


@pytest.mark.parametrize(
    ("kind", "value", "written"),
    [
        (str, 'a"b', '"a\\"b"'),
        (str, "é", '"é"'),
        (int, 5, "5"),
        (bool, True, "true"),
        (bool, False, "false"),
        (dt.date, dt.date(2013, 2, 1), '"2013-02-01"'),
        (When, When.year(2013), '"2013"'),
        (When, When.between(dt.date(2013, 2, 1), dt.date(2013, 2, 9)), '"2013-02-01/2013-02-09"'),
        (tuple[str, ...], ("a", "b"), '["a","b"]'),
        (tuple[str, ...], (), "[]"),
        (str | None, None, "null"),
        (str | None, "x", '"x"'),
        (tuple[tuple[str, int], ...], (("a", 1), ("b", 2)), '{"a":1,"b":2}'),
        (Kind, Kind.AGREE, '"agree"'),
        (Level, Level.LOW, '"low"'),
        (PARAM, "x", '"x"'),
        (PARAM, 3, "3"),
        (PARAM, ("a", "b"), '["a","b"]'),
    ],
)
def test_each_value_is_written_as_its_canonical_text(
    kind: object, value: object, written: str
) -> None:
    made = codec(kind, 3)
    assert made.write(value) == written
    read = made.read(json.loads(written), HERE)
    assert read == value


@pytest.mark.parametrize(
    ("kind", "value", "field", "expected"),
    [
        (str, 5, "f", "of type str"),
        (str, "a\x00b", "f", TEXT),
        (str, "x" * 10_001, "f", TEXT),
        (int, True, "f", "of type int"),
        (int, "5", "f", "of type int"),
        (bool, 1, "f", "of type bool"),
        (dt.date, "2013-02-30", "f", "a YYYY-MM-DD day"),
        (dt.date, "13-02-01", "f", "a YYYY-MM-DD day"),
        (dt.date, 5, "f", "a YYYY-MM-DD day"),
        (When, 5, "f", "of type str"),
        (When, "2013-13", "f.month", "a whole number from 1 to 12"),
        (When, "x", "f.iso", "YYYY, YYYY-MM, YYYY-MM-DD or a span"),
        (tuple[str, ...], ["a", 5], "f", "a list of texts"),
        (tuple[str, ...], "a", "f", "of type list"),
        (str | None, 5, "f", "of type str"),
        (tuple[tuple[str, int], ...], {"a": "x"}, "f.a", "an object of whole numbers"),
        (tuple[tuple[str, int], ...], [1], "f", "an object"),
        (Level, "middle", "f", "one of: low, high"),
        (Level, 5, "f", "one of: low, high"),
        (PARAM, 2.5, "f", "a text, number or list of texts"),
        (PARAM, ["a", 1], "f", "a text, number or list of texts"),
        (PARAM, True, "f", "a text, number or list of texts"),
    ],
)
def test_a_value_of_the_wrong_shape_is_named_with_what_was_expected(
    kind: object, value: object, field: str, expected: str
) -> None:
    # What is named is the value at the path: the month of a date, the value of a key.
    received = {"f.month": 13, "f.a": "x"}.get(field, value)
    assert refusal(kind, value) == (field, expected, received)


@pytest.mark.parametrize(
    ("kind", "fitting", "not_fitting", "types", "deep"),
    [
        (str, ["x"], [5, None], {str}, False),
        (int, [5], [True, "5"], {int}, False),
        (bool, [True], [1, None], {bool}, False),
        # A day's quick look is its form; the calendar is the strict reader's.
        (dt.date, ["2013-02-01", "2013-02-30"], ["13-02-01", 5], {str}, True),
        (When, ["2013", "2013-02", "2013-02-01/2013-02-09"], ["x", 5, "2013-2"], {str}, True),
        (tuple[str, ...], [["a"], []], [["a", 5], "a"], {list}, True),
        (str | None, [None, "x"], [5], {str, type(None)}, False),
        (tuple[tuple[str, int], ...], [{"a": 1}, {}], [{"a": "x"}, [1]], {dict}, True),
        (Level, ["low"], ["LOW", 5], {str}, True),
        (PARAM, ["x", 3, ["a"]], [2.5, ["a", 1], True], {str, int, list}, True),
    ],
)
def test_the_quick_look_takes_what_the_reader_would(
    kind: object,
    fitting: list[object],
    not_fitting: list[object],
    types: set[type],
    deep: bool,  # noqa: FBT001
) -> None:
    made = codec(kind, 3)
    assert [made.fits(v) for v in fitting] == [True] * len(fitting)
    assert [made.fits(v) for v in not_fitting] == [False] * len(not_fitting)
    assert (made.json, made.deep) == (types, deep)


@attrs.frozen
class Inner:
    name: str


@attrs.frozen
class Outer:
    """A record with a field of each way the compiled shape check treats a value."""

    inner: Inner
    maybe: Inner | None = None
    names: tuple[str, ...] = ()
    when: When | None = None
    count: int = 0
    counts: tuple[tuple[str, int], ...] = ()


def test_a_records_shape_check_refuses_an_empty_object_or_text_where_a_record_or_date_goes() -> (
    None
):
    fits = record_codec(Outer, 3).fits
    base = {
        "count": 0,
        "counts": {},
        "inner": {"name": "a"},
        "maybe": None,
        "names": [],
        "when": None,
    }
    assert fits(base) is True
    assert fits({**base, "maybe": {"name": "b"}, "names": ["x"], "when": "2013"}) is True
    assert fits({**base, "counts": {"a": 1}}) is True
    refused = [
        {"maybe": {}},  # an empty object is no record
        {"maybe": []},
        {"inner": {}},
        {"inner": None},
        {"inner": {"name": 5}},
        {"maybe": {"name": 5}},
        {"names": [5]},
        {"names": {}},
        {"when": ""},  # nor is an empty text a date
        {"when": "x"},
        {"count": False},
        {"counts": {"a": "1"}},
        {"counts": []},
    ]
    assert [fits({**base, **bad}) for bad in refused] == [False] * len(refused)
    assert fits({k: v for k, v in base.items() if k != "names"}) is False
    assert fits({**base, "extra": 1}) is False
    assert fits([base]) is False
    assert fits(None) is False


_hints = functools.cache(typing.get_type_hints)


def _field_by_field(kind: object, schema: int, value: object) -> bool:
    """The shape check as a plain recursion over the fields, each looked at in full."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if isinstance(kind, type) and attrs.has(kind) and kind is not When:  # When is a text
        names = record_codec(kind, schema).names
        if type(value) is not dict or value.keys() != set(names):
            return False
        hints = _hints(kind)
        return all(_field_by_field(hints[name], schema, value[name]) for name in names)
    if origin is types.UnionType and len(args) == 2 and type(None) in args:
        inner = next(a for a in args if a is not type(None))
        return value is None or _field_by_field(inner, schema, value)
    if origin is tuple and args[1:] == (Ellipsis,) and attrs.has(args[0]) and args[0] is not When:
        return type(value) is list and all(_field_by_field(args[0], schema, v) for v in value)
    made = codec(kind, schema)
    return type(value) in made.json and (not made.deep or made.fits(value))


def _reference_entries() -> list[dict[str, object]]:
    registry = Registry(partnership_lifecycle(authorities=spb.authorities()))
    for decision in spb.decisions():
        registry.apply(decision)
    return [entry_to_dict(entry) for entry in registry.log]


ENTRIES = _reference_entries()
EMPTIES = [None, {}, [], "", 0, False]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 2)
    | st.sampled_from(["x", "2013", "2013-02-01", "agree", "note", "vote", "LGA", "Bad"]),
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from(["name", "x"]), inner, max_size=2)
    ),
    max_leaves=4,
)


def _items(value: object) -> Iterable[tuple[object, object]]:
    """The (key, value) pairs of a JSON object or array; none for anything else."""
    if isinstance(value, dict):
        return value.items()
    return enumerate(value) if isinstance(value, list) else ()


def _seen(value: object, found: dict[object, list[object]]) -> dict[object, list[object]]:
    """Every value each key holds in ``value``, however deep: a field's values from elsewhere."""
    items = _items(value)
    for key, item in items:
        found.setdefault(key, []).append(item)
        _seen(item, found)
    return found


SEEN = _seen(ENTRIES, {})


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path] if path else []
    items = _items(value)
    for key, item in items:
        found += _paths(item, (*path, key))
    return found


def test_every_field_emptied_in_turn_is_judged_as_looking_at_every_field_judges_it() -> None:
    tried = disagreed = 0
    for entry, schema in itertools.product(ENTRIES, SCHEMAS):
        changed: Any = copy.deepcopy(entry)
        for *parents, last in _paths(entry):
            holder = changed
            for key in parents:
                holder = holder[key]
            kept = holder[last]
            for empty in EMPTIES:
                holder[last] = copy.deepcopy(empty)
                tried += 1
                expected = _field_by_field(Entry, schema, changed)
                disagreed += record_codec(Entry, schema).fits(changed) is not expected
            holder[last] = kept
    assert (tried, disagreed) == (tried, 0)
    assert tried > 10_000


@given(st.data(), st.sampled_from(SCHEMAS))
def test_the_compiled_shape_check_agrees_with_looking_at_every_field(
    data: st.DataObject, schema: int
) -> None:
    entry = copy.deepcopy(data.draw(st.sampled_from(ENTRIES)))
    for _ in range(data.draw(st.integers(1, 3))):
        *parents, last = data.draw(st.sampled_from(_paths(entry)))
        holder: Any = entry
        for key in parents:
            holder = holder[key]
        if data.draw(st.booleans()) and isinstance(holder, dict):
            del holder[last]
        else:  # an empty value, what the field holds elsewhere, or anything
            # A key inside a value put there by an earlier round may be found nowhere else.
            elsewhere = st.sampled_from(SEEN.get(last, EMPTIES))
            holder[last] = copy.deepcopy(data.draw(st.sampled_from(EMPTIES) | elsewhere | JSON))
    expected = _field_by_field(Entry, schema, entry)
    event(f"fits: {expected}")
    assert record_codec(Entry, schema).fits(entry) is expected


BUILT_IN = "a built-in kind (schema 1 holds no other)"
NAMED = "a decision kind's name (lower-case letters, digits, _)"
NO_NOTE = NAMED + "; no note (schema 2 holds none)"


@pytest.mark.parametrize(
    ("schema", "held", "refused", "expected"),
    [
        (1, ["agree"], ["note", "vote", "Bad", 5], BUILT_IN),
        (2, ["agree", "vote"], ["note", "Bad", 5], NO_NOTE),
        (3, ["agree", "note", "vote"], ["Bad", 5], NAMED),
    ],
)
def test_each_schema_holds_its_own_kinds(
    schema: int, held: list[str], refused: list[object], expected: str
) -> None:
    made = codec(DecisionKind, schema)
    assert [made.read(v, HERE).value for v in held] == held
    assert [made.fits(v) for v in held] == [True] * len(held)
    for value in refused:
        assert refusal(DecisionKind, value, schema) == ("f", expected, value)
        assert made.fits(value) is False
    for kind in (Kind.NOTE, Motion.VOTE, Kind.AGREE):
        if kind.value in held:
            assert made.write(kind) == f'"{kind.value}"'
        else:
            with pytest.raises(InvalidRecord) as caught:
                made.write(kind)
            e = caught.value
            assert (e.record, e.field, e.expected, e.received) == (
                "Decision",
                "kind",
                expected,
                kind,
            )


class TestRecords:
    @pytest.mark.parametrize(
        ("data", "field", "expected", "received"),
        [
            (5, "f", "a JSON object", 5),
            ({"document": "d"}, "f.locator", "present", "(missing)"),
            # Of several keys no record has, the first in order is named.
            (
                {"document": "d", "locator": "", "b": 1, "a": 2},
                "f.a",
                "not present",
                "(unexpected)",
            ),
        ],
    )
    def test_a_record_of_the_wrong_shape_is_named(
        self, data: object, field: str, expected: str, received: object
    ) -> None:
        with pytest.raises(InvalidRecord) as caught:
            record_codec(Source, 3).read(data, HERE)
        e = caught.value
        assert (e.record, e.field, e.expected, e.received) == ("R", field, expected, received)

    def test_a_field_a_later_schema_added_is_refused_under_an_earlier_one(self) -> None:
        assert attrs.fields(Decision).about.metadata == {"since": 3}
        note = make("n", Kind.NOTE, "LGA", 1, reasons=("x",), about="b")
        with pytest.raises(InvalidRecord) as caught:
            record_codec(Decision, 2).check(note)
        e = caught.value
        assert (e.record, e.field, e.received) == ("Decision", "about", "b")
        assert e.expected == "left at None: schema 2 does not hold it"
        record_codec(Decision, 3).check(note)  # schema 3 holds it
        with pytest.raises(TypeError, match="writes Decision records, not Source"):
            record_codec(Decision, 3).check(Source("x"))


class TestCompiledReader:
    """``read``'s first pass, compiled: the same record as the loop that names places."""

    @given(data=st.data())
    def test_it_reads_what_the_loop_reads(self, data: st.DataObject) -> None:
        from govflow.log.where import NOWHERE  # noqa: PLC0415
        from govflow.testing import decisions  # noqa: PLC0415

        decision = data.draw(decisions())
        reading = record_codec(Decision, 3)
        plain = json.loads(reading.text(decision))
        assert reading.read(plain, NOWHERE) == reading.read_naming(plain, NOWHERE) == decision
        # Another mapping than a dict, and a real place: read by the loop, the same.
        assert reading.read(types.MappingProxyType(plain), Where("Decision")) == decision

    def test_a_bad_field_found_on_the_first_pass_is_named_on_the_second(self) -> None:
        from govflow.log.codec import read_record  # noqa: PLC0415

        registry = Registry(partnership_lifecycle())
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        plain = entry_to_dict(next(iter(registry.log)))
        plain["decision"]["decided"] = "2013-02-30"
        with pytest.raises(InvalidRecord) as caught:
            read_record(Entry, plain, "Entry #0", 3)
        e = caught.value
        assert (e.record, e.field, e.expected) == (
            "Entry #0",
            "decision.decided.day",
            "a real calendar day",
        )
        plain["decision"]["decided"], plain["decision"]["actor"] = "2013-02-03", 5
        with pytest.raises(InvalidRecord) as caught:
            read_record(Entry, plain, "Entry #0", 3)
        assert (caught.value.field, caught.value.expected) == ("decision.actor", "of type str")
