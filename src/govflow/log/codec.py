"""The canonical form of log entries, driven by each record's one declaration.

A record's declaration is its ``attrs`` fields: their names and their types, read
from the annotations (and, for a field added by a later schema, ``since`` in the
field's metadata: the first schema that writes it). From it, each record class gets,
once, on first use, two things that cannot drift apart:

* the **writer**: a record to its canonical JSON text (``docs/canonical-form.md``:
  keys sorted, every field present, ``null`` and ``[]`` for absent values);
* the **reader**: plain data to the record, strictly (every key present and no other,
  every JSON type exact), naming the path of a bad field (``Entry #2.decision.decided``).

For the codec, adding a field is one edit to the record, with the schema that adds it
(a number added to :data:`SCHEMAS`; ``CONTRIBUTING.md`` lists the rest). The types:
texts, whole numbers, booleans, dates, :class:`~govflow.When`, enumerations, records,
``X | None``, ``tuple[X, ...]`` (an array), ``tuple[tuple[str, X], ...]`` (sorted
pairs, an object: there is no frozen mapping). The writer, the hot path of every append, and the
shape check verify runs on every entry are compiled once per record class from its
declaration (as attrs compiles its methods; no other module generates code);
``tests/test_codec.py`` holds the writer to :func:`govflow.canonical.canonical_bytes`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import re
import types
import typing
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring  # what json.dumps uses with ensure_ascii=False
from typing import Any, Final, TypeVar

import attrs

from govflow.errors import InvalidRecord
from govflow.log.where import NOWHERE, Where, built
from govflow.model.kind import DecisionKind, Kind, held, recorded
from govflow.model.terms import writable
from govflow.model.when import When

R = TypeVar("R")
#: The entry schemas this release reads (and replays and verifies), oldest first.
SCHEMAS: Final = (1, 2, 3, 4)
_s: Final = encode_basestring

_EXPECTED_ITEMS = {str: "a list of texts", int: "a list of whole numbers"}


#: A writer: a value to its canonical JSON text.
Write = Callable[[Any], str]
#: A reader: plain data at a path to the value; raises InvalidRecord.
Read = Callable[[Any, "Where"], Any]
#: A shape check: whether plain data has the type's shape.
Fits = Callable[[Any], bool]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@attrs.frozen
class Codec:
    """How one type is written, read, and recognised in plain data."""

    write: Write
    read: Read
    #: Whether plain data has this type's shape (keys and JSON types; not every rule
    #: the records check): verify's quick look, before it hashes an entry.
    fits: Fits
    #: The Python types of the JSON values this type is written as.
    json: frozenset[type] = frozenset()
    #: Whether ``fits`` looks further than the value's JSON type.
    deep: bool = True


def _scalar(kind: type, expected: str, write: Write) -> Codec:
    """A value of exactly ``kind`` (a bool is no whole number), written by ``write``."""

    def read(value: object, where: Where) -> object:
        if type(value) is not kind:
            raise where.bad(expected, value)
        return value

    return Codec(write, read, lambda value: type(value) is kind, frozenset({kind}), deep=False)


def _text() -> Codec:
    """A text, as a record may hold it (``govflow.model.terms.writable``).

    Read strictly: a stored text with a NUL, a lone surrogate or more than
    ``MAX_TEXT`` characters is named, as a record would refuse it.
    """
    expected = "a text without NUL or lone surrogates, of at most 10,000 characters"

    def read(value: object, where: Where) -> object:
        if not writable(value):
            raise where.bad(expected if type(value) is str else "of type str", value)
        return value

    return Codec(_s, read, writable, frozenset({str}), deep=False)


def _day() -> Codec:
    """A ``datetime.date``, written ``YYYY-MM-DD``."""

    def read(value: object, where: Where) -> dt.date:
        if type(value) is str and _DAY.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise where.bad("a YYYY-MM-DD day", value)

    return Codec(
        lambda day: _s(day.isoformat()),
        read,
        lambda value: type(value) is str and _DAY.fullmatch(value) is not None,
        frozenset({str}),
    )


def _enum(kind: type[enum.Enum]) -> Codec:
    """A member of ``kind``, written as its value."""
    values = {member.value: member for member in kind}
    choices = ", ".join(map(str, values))

    def read(value: object, where: Where) -> enum.Enum:
        if type(value) is not str or value not in values:
            raise where.bad(f"one of: {choices}", value)
        return values[value]

    # A str enumeration's members are their own text.
    write: Write = _s if issubclass(kind, str) else lambda member: _s(member.value)
    fits: Fits = lambda value: type(value) is str and value in values  # noqa: E731
    return Codec(write, read, fits, frozenset({str}))


def _decision_kind(schema: int) -> Codec:
    """A kind a log of ``schema`` may hold (``model.kind.held``); ``recorded`` reads it."""
    expected = (
        "a built-in kind (schema 1 holds no other)"
        if schema < 2  # noqa: PLR2004
        else "a decision kind's name (lower-case letters, digits, _)"
        + ("" if schema > 2 else "; no note (schema 2 holds none)")  # noqa: PLR2004
    )
    usual = frozenset(k for k in Kind if held(k, schema))  # most entries: one set lookup

    def write(kind: str) -> str:
        if kind not in usual and not held(kind, schema):
            raise InvalidRecord("Decision", "kind", expected, kind)
        return _s(kind)

    def read(value: object, where: Where) -> DecisionKind:
        if held(value, schema):
            return recorded(value)
        raise where.bad(expected, value)

    return Codec(write, read, lambda value: held(value, schema), frozenset({str}))


def _optional(inner: Codec) -> Codec:
    """``None`` (``null``) or a value of ``inner``."""
    write, read, fits = inner.write, inner.read, inner.fits
    return Codec(
        lambda value: "null" if value is None else write(value),
        lambda value, where: None if value is None else read(value, where),
        lambda value: value is None or fits(value),
        inner.json | {type(None)},
        deep=inner.deep,
    )


def _array(inner: Codec, expected: str | None) -> Codec:
    """A tuple of ``inner`` values, a JSON array; ``expected`` names a bad one.

    With ``expected`` ``None`` (records), a bad item is named by its index instead.
    """
    write, read = inner.write, inner.read

    def reading(value: object, where: Where) -> tuple[Any, ...]:
        if type(value) is not list:
            raise where.bad("of type list", value)
        if expected is None:  # records: each item named by its index
            return tuple(read(item, where.item(n)) for n, item in enumerate(value))
        try:
            return tuple(read(item, where) for item in value)
        except InvalidRecord:
            raise where.bad(expected, value) from None

    fits = inner.fits
    return Codec(
        lambda items: "[" + ",".join(map(write, items)) + "]" if items else "[]",
        reading,
        lambda value: type(value) is list and all(map(fits, value)),
        frozenset({list}),
    )


def _pairs(inner: Codec, expected: str) -> Codec:
    """Sorted (text, ``inner`` value) pairs, a JSON object; ``expected`` names a bad value."""
    write, read = inner.write, inner.read

    def reading(value: object, where: Where) -> tuple[tuple[str, Any], ...]:
        if type(value) is not dict:
            raise where.bad("an object", value)
        pairs = []
        for key, item in sorted(value.items()):
            try:
                pairs.append((key, read(item, where)))
            except InvalidRecord:
                raise where.key(key).bad(expected, item) from None
        return tuple(pairs)

    fits = inner.fits
    return Codec(
        lambda pairs: "{" + ",".join(_s(k) + ":" + write(v) for k, v in pairs) + "}",
        reading,
        lambda value: type(value) is dict and all(map(fits, value.values())),
        frozenset({dict}),
    )


def _param() -> Codec:
    """A reason's parameter: a text, a whole number or a list of texts."""
    text, whole = codec(str, 0), codec(int, 0)  # the same under every schema
    texts = _array(text, "a list of texts")

    def pick(value: object, where: Where) -> Codec:
        if type(value) is str:
            return text
        if type(value) is int:
            return whole
        if type(value) in (tuple, list):
            return texts
        raise where.bad("a text, number or list of texts", value)

    def read(value: object, where: Where) -> object:
        try:
            return pick(value, where).read(value, where)
        except InvalidRecord:
            raise where.bad("a text, number or list of texts", value) from None

    def fits(value: object) -> bool:
        return type(value) in (str, int) or texts.fits(value)

    return Codec(lambda v: pick(v, Where("")).write(v), read, fits, frozenset({str, int, list}))


#: ``When.iso``'s forms: a day, a month, a year, or a span of two days.
_WHEN = re.compile(r"\d{4}(-\d{2}(-\d{2}(/\d{4}-\d{2}-\d{2})?)?)?")


def _when() -> Codec:
    """A :class:`~govflow.When`, written as its ISO text."""

    def read(value: object, where: Where) -> When:
        if type(value) is not str:
            raise where.bad("of type str", value)
        return built(where, When.parse, value)

    return Codec(  # one exact day from the date, others by When.iso (digits, - and /: no escape)
        lambda w: f'"{w.earliest.isoformat() if w.earliest == w.latest else w.iso}"',
        read,
        lambda value: type(value) is str and _WHEN.fullmatch(value) is not None,
        frozenset({str}),
    )


@functools.cache
def codec(kind: object, schema: int) -> Codec:  # noqa: PLR0911, PLR0912 - one return per kind of type
    """How values of type ``kind`` are written and read under ``schema``."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    # Every codec is made here, when first asked for, and kept (even those of scalars).
    if kind is str:
        return _text()
    if kind is int:
        return _scalar(int, "of type int", str)
    if kind is bool:
        return _scalar(bool, "of type bool", lambda value: "true" if value else "false")
    if kind is dt.date:
        return _day()
    if kind is When:
        return _when()
    if kind is DecisionKind:
        return _decision_kind(schema)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _enum(kind)
    if isinstance(kind, type) and attrs.has(kind):
        return record_codec(kind, schema).codec
    if origin in (types.UnionType, typing.Union):
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) == len(args) - 1 and len(rest) == 1:
            return _optional(codec(rest[0], schema))
        if set(rest) == {str, int, tuple[str, ...]}:
            return _param()
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004
        item = args[0]
        pair = typing.get_args(item)
        if typing.get_origin(item) is tuple and len(pair) == 2 and pair[0] is str:  # noqa: PLR2004
            value = pair[1]
            expected = (
                "an object of whole numbers" if value is int else "a text, number or list of texts"
            )
            return _pairs(codec(value, schema), expected)
        return _array(codec(item, schema), _EXPECTED_ITEMS.get(item))
    raise TypeError(f"govflow's codec has no rule for the type {kind!r}")


def since(schema: int) -> dict[str, int]:
    """Field metadata: the field is written from entry schema ``schema`` on.

    ``attrs.field(default=..., metadata=since(2))`` adds a field that logs of
    schema 1 never held: their entries are written and read without it.
    """
    return {"since": schema}


class RecordCodec:
    """A record class's writer and reader under one schema, from its fields."""

    def __init__(self, cls: type, schema: int) -> None:
        if not (isinstance(cls, type) and attrs.has(cls)):
            raise InvalidRecord("codec", "cls", "a record class of govflow's (attrs)", cls)
        if type(schema) is not int or schema not in SCHEMAS:
            raise InvalidRecord("codec", "schema", f"an entry schema, one of {SCHEMAS}", schema)
        fields = sorted(
            (f for f in attrs.fields(cls) if f.metadata.get("since", 1) <= schema),
            key=lambda f: f.name,
        )
        said = "give a record a log entry holds: an Entry, a Decision, or one of their parts"
        try:  # a field of a type the codec has no rule for: an attrs class, but no record's
            hints = typing.get_type_hints(cls)
            codecs = [codec(hints[f.name], schema) for f in fields]
        except (NameError, TypeError) as error:  # a NameError: a type named only for typing
            why = f" ({error})" if isinstance(error, TypeError) else ""
            raise InvalidRecord("codec", "cls", f"a record class the log's codec writes{why}",
                                cls, said) from None  # fmt: skip
        self.cls, self.name, self.schema = cls, cls.__name__, schema
        self.names = tuple(f.name for f in fields)
        self.keys = frozenset(self.names)
        self.writers = tuple(c.write for c in codecs)
        self.readers = tuple(c.read for c in codecs)
        nothing = object()  # each field's default and its text, prepared once
        self.defaults = tuple(nothing if f.default is attrs.NOTHING else f.default for f in fields)
        self.default_texts = tuple(
            None if d is nothing else w(d) for d, w in zip(self.defaults, self.writers, strict=True)
        )
        # Fields a later schema adds, which a record written under this one must leave be.
        self.later = tuple(
            (f.name, f.default) for f in attrs.fields(cls) if f.metadata.get("since", 1) > schema
        )
        self.fits: Fits = self._fits(codecs)  # verify's quick look, before it hashes an entry
        # The writer, compiled once: one f-string, an expression a field, a field at its
        # default written as text prepared once. `benchmarks/cases.py seal` seals a fact's
        # entry in 0.72-1.00 times json.dumps of its data plus SHA-256; joining the fields
        # with + took 1.04-1.22 times (three runs each, alternating, a loaded machine).
        self.text: Callable[[object], str] = self._compiled("r.{}", "r")
        # An entry's text before and after its hash, from values (sealing) or from a record.
        if "hash" in self.names:
            rest = "*, " + ", ".join(n for n in self.names if n != "hash")
            self.split_of: Callable[..., tuple[str, str]] = self._compiled("{}", rest, "hash")
            self.split: Callable[[object], tuple[str, str]] = self._compiled("r.{}", "r", "hash")
        self.read: Read = self._compiled_reader()
        self.codec = Codec(self.text, self.read, self.fits, frozenset({dict}))

    def _compiled_reader(self) -> Read:
        """``read``: a first pass compiled like the writer, at ``NOWHERE``, else `read_naming`.

        Data with exactly its keys is built in one call, each field read by its codec (a
        fact's entry in 0.75 of the loop's time: 18.7-19.1 µs against 24.6-25.6, three runs
        of ``entry_from_dict``); anything else goes to :meth:`read_naming`, naming places.
        """
        space: dict[str, Any] = {"keys": self.keys, "cls": self.cls, "W": NOWHERE}
        space["named"] = self.read_naming
        fields = []
        for i, name in enumerate(self.names):
            space[f"r{i}"] = self.readers[i]
            fields.append(f"{name}=r{i}(d[{name!r}], W)")
        source = (
            "def read(d, where):\n    if where is not W or type(d) is not dict or d.keys() != "
            f"keys:\n        return named(d, where)\n    return cls({', '.join(fields)})\n"
        )
        exec(compile(source, f"<govflow reader of {self.name}>", "exec"), space)  # noqa: S102
        return space["read"]  # type: ignore[no-any-return]

    def _compiled(self, value: str, params: str, skip: str | None = None) -> Any:  # noqa: ANN401
        """A writer of each field's ``"name":value`` text, each ``value`` an expression.

        With ``skip``, it gives the text before that field and the text after it.
        """
        space: dict[str, Any] = {"check": self.check, "cls": self.cls}
        parts = []
        for i, name in enumerate(self.names):
            space[f"w{i}"] = self.writers[i]
            got = value.format(name)
            # The key is literal text (a field's name needs no escaping); the value,
            # at its default, is text prepared once.
            if self.default_texts[i] is not None:
                space[f"d{i}"], space[f"t{i}"] = self.defaults[i], self.default_texts[i]
                parts.append(f'"{name}":{{t{i} if (v{i} := {got}) is d{i} else w{i}(v{i})}}')
            else:
                parts.append(f'"{name}":{{w{i}({got})}}')
        at = len(parts) if skip is None else self.names.index(skip)
        head, tail = ",".join(parts[:at]), ",".join(parts[at + 1 :])
        # One f-string builds the text in one step (+ would copy it once a field).
        result = f"f'{{{{{head}}}}}'" if skip is None else f"f'{{{{{head}', f'{tail}}}}}'"
        # A record with a field this schema does not write is refused (``check``); with
        # none, only one of another class (calling check() was 5 % of a fact's apply).
        checked = "    if type(r) is not cls:\n        check(r)\n" if params == "r" else ""
        checked = "    check(r)\n" if params == "r" and self.later else checked
        source = f"def write({params}):\n{checked}    return {result}\n"
        exec(compile(source, f"<govflow writer of {self.name}>", "exec"), space)  # noqa: S102
        return space["write"]

    def _fits(self, codecs: list[Codec]) -> Fits:
        """The shape check, compiled like the writer: whether data has this record's shape.

        Exactly its keys, each value of its field's JSON type, and a closer look where a
        shape is more than a type (records, lists, kinds, dates), passed over for an empty
        value its codec holds (null, []). 0.56 of the time of a loop over the fields'
        checks: a 10^5-entry log verifies in 1.70-1.95 times json.loads plus SHA-256 of
        its lines, 1.89-2.61 with the loop (alternating runs, a loaded machine).
        """
        space: dict[str, Any] = {"keys": self.keys}
        checks = ["type(d) is dict", "d.keys() == keys"]
        for i, (name, made) in enumerate(zip(self.names, codecs, strict=True)):
            one = next(iter(made.json)) if len(made.json) == 1 else None
            space[f"f{i}"], space[f"j{i}"] = made.fits, one or made.json
            typed = f"type(v := d[{name!r}]) {'is' if one else 'in'} j{i}"
            if not made.deep:
                checks.append(typed)
            elif all(kind in _EMPTY and made.fits(_EMPTY[kind]) for kind in made.json):
                checks.append(f"{typed} and (not v or f{i}(v))")
            elif type(None) in made.json and made.fits(None):
                checks.append(f"{typed} and (v is None or f{i}(v))")
            else:
                checks.append(f"{typed} and f{i}(v)")
        source = "def fits(d):\n    return " + " and ".join(checks) + "\n"
        exec(compile(source, f"<govflow shape check of {self.name}>", "exec"), space)  # noqa: S102
        return space["fits"]  # type: ignore[no-any-return]

    def check(self, record: object) -> None:
        """Check that this codec can write ``record``.

        Raises:
            TypeError: ``record`` is not of this codec's class (a subclass would lose
                the fields it adds).
            InvalidRecord: It holds a value in a field this schema does not write.
        """
        if type(record) is not self.cls:
            raise TypeError(f"this codec writes {self.name} records, not {type(record).__name__}")
        for name, default in self.later:
            value = getattr(record, name)
            if value != default:
                expected = f"left at {default!r}: schema {self.schema} does not hold it"
                raise InvalidRecord(self.name, name, expected, value)

    def read_naming(self, data: object, where: Where) -> Any:  # noqa: ANN401 - an instance of cls
        """The record ``data`` holds, read strictly; a bad field is named by its path.

        ``read`` is this, with a compiled first pass at ``NOWHERE``.
        """
        if not isinstance(data, Mapping):
            raise where.bad("a JSON object", data)
        if data.keys() != self.keys:
            for name in self.names:
                if name not in data:
                    raise where.key(name).bad("present", "(missing)")
            extra = sorted(set(data) - self.keys, key=str)
            raise where.key(str(extra[0])).bad("not present", "(unexpected)")
        values = {
            name: read(data[name], where.key(name))
            for name, read in zip(self.names, self.readers, strict=True)
        }
        if where is NOWHERE:
            return self.cls(**values)
        return built(where, self.cls, **values)


_EMPTY: Final[dict[type, object]] = {list: [], dict: {}, str: "", type(None): None}


_made = functools.cache(RecordCodec)  # one codec a record class and schema, on first use


def record_codec(cls: type, schema: int) -> RecordCodec:
    """The codec of record class ``cls`` under entry schema ``schema`` (else InvalidRecord)."""
    hashable = isinstance(cls, type) and type(schema) is int  # a list would raise TypeError
    return _made(cls, schema) if hashable else RecordCodec(cls, schema)  # which refuses it


def write_text(record: object, schema: int | None = None) -> str:
    """The canonical JSON text of ``record`` under entry schema ``schema``.

    Args:
        record: A record of govflow's (a ``Decision``, an ``Entry``, ...).
        schema: The entry schema to write it under (an entry's own, else the newest).

    Raises:
        InvalidRecord: Its class is no record's, ``schema`` no entry schema, or it holds a
            value in a field ``schema`` does not hold.
    """
    if schema is None:
        schema = own if (own := getattr(record, "schema", None)) in SCHEMAS else SCHEMAS[-1]
    return record_codec(type(record), schema).text(record)


def read_record(cls: type[R], data: object, record: str, schema: int | None = None) -> R:
    """Read a ``cls`` from plain data, strictly.

    Args:
        cls: The record class.
        data: Plain data as ``json.loads`` gives it.
        record: What to call it in errors (``"Entry #4"``).
        schema: The entry schema the data was written under (an entry's own, else the newest).

    Raises:
        InvalidRecord: A key is missing or unexpected, or a value is not what its field
            holds; the error names ``record`` and the field's path.
    """
    if schema is None:  # as write_text wrote it: an entry names its own
        own = data.get("schema") if isinstance(data, dict) and attrs.has(cls) else None
        schema = own if own in SCHEMAS and "schema" in attrs.fields_dict(cls) else SCHEMAS[-1]  # type: ignore[arg-type]
    codec = record_codec(cls, schema)
    try:
        found: Any = codec.read(data, NOWHERE)
    except InvalidRecord:  # read again, naming the place of what is wrong
        found = codec.read(data, Where(record))
    return found  # type: ignore[no-any-return]


def to_plain(record: object, schema: int | None = None) -> Mapping[str, Any]:
    """:func:`write_text`'s text of ``record`` under ``schema``, parsed."""
    return json.loads(write_text(record, schema))  # type: ignore[no-any-return]
