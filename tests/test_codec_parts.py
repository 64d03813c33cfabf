"""Each type's codec alone: what it writes, what it reads, what it refuses and in what words.

The record tests go through whole entries; these hold each codec of
``govflow.log.codec`` to its contract for one value at a time: the exact text
written, the value read, the path and words of a refusal, the quick look (``fits``)
verify takes before hashing, and the JSON types each is written as.
"""

from __future__ import annotations

import datetime as dt
import enum
import json

import attrs
import pytest

from govflow import Kind, When
from govflow.errors import InvalidRecord
from govflow.log.codec import codec, record_codec
from govflow.log.where import Where
from govflow.model.decision import Decision, Source
from govflow.model.kind import DecisionKind

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
    """A record with a field of each way the compiled quick look treats a value."""

    inner: Inner
    maybe: Inner | None = None
    names: tuple[str, ...] = ()
    when: When | None = None
    count: int = 0


def test_a_records_quick_look_passes_over_only_the_empty_values_its_fields_hold() -> None:
    fits = record_codec(Outer, 3).fits
    base = {"count": 0, "inner": {"name": "a"}, "maybe": None, "names": [], "when": None}
    assert fits(base) is True
    assert fits({**base, "maybe": {"name": "b"}, "names": ["x"], "when": "2013"}) is True
    refused = [
        {"maybe": {}},  # an empty object is no record: it is looked at, not passed over
        {"maybe": []},
        {"inner": {}},
        {"inner": None},
        {"names": [5]},
        {"names": {}},
        {"when": ""},  # nor is an empty text a date
        {"when": "x"},
        {"count": False},
    ]
    assert [fits({**base, **bad}) for bad in refused] == [False] * len(refused)
    assert fits({k: v for k, v in base.items() if k != "names"}) is False
    assert fits({**base, "extra": 1}) is False
    assert fits([base]) is False
    assert fits(None) is False


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
