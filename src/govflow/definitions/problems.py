"""The words of a definition file's problems: what was expected, and where.

Kept apart from reading, so that scenario files and the command line share them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from govflow.definitions.lines import Positions, long_number
from govflow.errors import DefinitionError, Problem, shown

#: How a problem that keeps a file from being read at all begins (``govflow check``: exit 2).
UNREADABLE = "cannot read it"


def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (as TOML does)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            message = f"the key {key!r} is given twice in one object"
            raise ValueError(message)
        found[key] = value
    return found


def unwritable(value: object, path: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """The paths of texts a log could not hold: with NUL or a lone surrogate."""
    if isinstance(value, str):
        bad = "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value)
        return [path] if bad else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in unwritable(v, (*path, k))]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in unwritable(v, (*path, n))]
    return []


#: What a TOML date-time or time of day found in a file is told.
CLOCKED = "a TOML date-time or time of day: write a day as YYYY-MM-DD, or text in quotes"


def clocked(value: object, path: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """The paths of TOML date-times and times of day: no field holds one (a day is read)."""
    if isinstance(value, dt.datetime | dt.time):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in clocked(v, (*path, k))]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in clocked(v, (*path, n))]
    return []


#: JSON Schema's types in a file's words.
_TYPES = {
    "integer": "a whole number",
    "number": "a number",
    "string": "a text",
    "object": "a table",
    "array": "a list",
    "boolean": "true or false",
}


def unparsed_file(
    error: Exception, text: str, form: str, source: str = "<text>"
) -> tuple[int | None, str]:
    """The line and the words of a file ``form`` (toml, json) cannot parse, as ``error`` says.

    A whole number too long for Python to read (more than 4,300 digits) is told as the
    number it is, at its line, not as Python's advice to raise the limit. A file
    (``source``) read as TOML whose name does not end in ``.toml`` is said to have been
    read so: a YAML file, say, fails as TOML.
    """
    if "integer string conversion" in str(error):
        found = long_number(text, form, sys.get_int_max_str_digits())
        if found is not None:
            said = f"not valid {form.upper()}: a number of {found[1]:,} digits, too long to read"
            return found[0], said
    at = re.search(r"line (\d+)", str(error))
    line: int | None = getattr(error, "lineno", None) or (int(at.group(1)) if at else None)
    suffix = Path(source).suffix.lower()
    if form == "toml" and source != "<text>" and suffix != ".toml":
        named = f"its name ends in {suffix}" if suffix else "its name has no extension"
        read = f"{named}; only a name ending in .json is read as JSON, any other as TOML"
        return line, f"not valid TOML ({read}): {error}"
    return line, f"not valid {form.upper()}: {error}"


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    return {dict: "object", list: "array", str: "string", int: "integer"}.get(type(value), "")


def _branch(error: Any) -> Any:  # noqa: ANN401 - a jsonschema ValidationError, or None
    """The error within the one case of a ``oneOf`` that the value was meant as, if one is.

    A table is meant as the case of its type whose keys it has: ``{entered = {days =
    1.5}}`` is the ``entered`` case, and its problem is at ``days``, not at the table.
    """
    kind = _json_type(error.instance)
    cases = [
        n
        for n, case in enumerate(error.validator_value)
        if case.get("type", kind) == kind
        and (
            not isinstance(error.instance, dict)
            or set(case.get("required", ()))
            <= set(error.instance)
            <= set(case.get("properties", error.instance))
        )
    ]
    if len(cases) != 1:
        return None
    inner = [e for e in error.context if e.relative_schema_path[0] == cases[0]]
    return min(inner, key=lambda e: len(e.relative_schema_path), default=None)


#: The most unknown keys of one table named each at its line; the rest are counted.
UNKNOWN_KEYS = 20


def placed(error: Any) -> list[tuple[tuple[str | int, ...], str]]:  # noqa: ANN401
    """A schema error's key paths and words: each unknown key is named at its own line."""
    if error.validator in ("oneOf", "anyOf") and (inner := _branch(error)) is not None:
        return placed(inner)
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        keys = "one of the keys " + ", ".join(allowed)
        found = [((*path, k), unknown(keys, k, allowed)) for k in extra[:UNKNOWN_KEYS]]
        if len(extra) > UNKNOWN_KEYS:
            found.append((path, f"and {len(extra) - UNKNOWN_KEYS} more unknown keys"))
        if found:
            return found
    return [(path, said(error))]


def said(error: Any) -> str:  # noqa: ANN401, PLR0911 - a ValidationError; a return a validator
    """A schema error in words: for a guard's table, the case that applies, not every case."""
    if error.validator == "enum":
        return unknown(
            f"one of: {', '.join(map(str, error.validator_value))}",
            error.instance,
            error.validator_value,
        )
    if error.validator in ("oneOf", "anyOf"):
        cases = [
            c.get("description") or _TYPES.get(c.get("type"), "") for c in error.validator_value
        ]
        said = error.schema.get("description") or ", or ".join(filter(None, cases))
        return f"expected {said or 'a value of another form'}; got {shown(error.instance)}"
    if error.validator == "additionalProperties":
        return str(error.message).replace("Additional properties are not allowed", "unknown key(s)")
    described = ("type", "maxLength", "pattern")  # not jsonschema's "should be non-empty"
    if error.validator in described and error.schema.get("description"):  # the form, in words
        return f"expected {error.schema['description']}; got {as_written(error.instance)}"
    if error.validator == "required":  # not "'states' is a required property"
        key = re.fullmatch(r"'(.*)' is a required property", str(error.message), re.DOTALL)
        if key is None:
            return "missing a required key named in the schema"
        # A key given instead, misspelt ("gaurd"): the schema of a guard's table, which
        # depends on its guard, cannot name it as unknown.
        given = [k for k in error.instance if isinstance(k, str)] if isinstance(
            error.instance, dict) else []  # fmt: skip
        near = difflib.get_close_matches(key[1], given, n=1)
        hint = f" ({near[0]!r} is given: did you mean {key[1]}?)" if near else ""
        return f"missing the required key {key[1]}{hint}"
    if error.validator == "const":  # not "'govflow/1' was expected"
        constant = as_written(error.validator_value)
        return f"expected {constant}; got {as_written(error.instance)}"
    if error.validator == "minLength":  # not "'' should be non-empty"
        least = error.validator_value
        return f"expected a text of at least {least} character(s); got {shown(error.instance)}"
    if error.validator == "minimum":  # not "0 is less than the minimum of 1"
        return f"expected a whole number from {error.validator_value}; got {shown(error.instance)}"
    wanted = error.validator_value if error.validator == "type" else None
    if isinstance(wanted, str) and wanted in _TYPES:  # not Python's "True is not of type ..."
        return f"expected {_TYPES[wanted]}; got {as_written(error.instance)}"
    # jsonschema's words hold the whole value: a deep list or a long text is cut short.
    return str(error.message).replace(repr(error.instance), shown(error.instance))


def as_written(value: object) -> str:
    """A value as a file's reader would recognise it: a day as written, a record as a table."""
    if isinstance(value, bool):  # as TOML and JSON write it, not as Python does
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if attrs.has(type(value)):
        return f"a {type(value).__name__.lower()} table"
    return shown(value)


def unknown(what: str, name: object, choices: Any, *, hint: bool = True) -> str:  # noqa: ANN401
    """What was expected and what was given, with the closest choice as a suggestion.

    ``hint=False`` leaves the suggestion out (it costs a comparison with every choice).
    """
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1) if hint else []
    mean = f" — did you mean {close[0]!r}?" if close else ""
    return f"expected {what}; got {name!r}{mean}"


def refused(
    error: Exception, table: object, path: tuple[str | int, ...]
) -> tuple[tuple[str | int, ...], str]:
    """Where, and in what words, a record or guard refused a table's values.

    An error naming one of the table's keys (an ``InvalidRecord``'s ``field``) is placed
    at that key, or at the one key of that name within its tables (a window's ``days``),
    and says what was expected and what was given.
    """
    field = getattr(error, "field", None)
    expected = getattr(error, "expected", None)
    if isinstance(table, dict) and isinstance(field, str) and expected is not None:
        # A record's "None or ..." is a key a file may leave out: said without Python's None.
        expected = str(expected).removeprefix("None or ")
        key = field.split(".")[0]
        nested = list(_keyed(table, key, ()))
        where = (*path, key) if key in table else (*path, *nested[0]) if len(nested) == 1 else path
        return where, f"expected {expected}; got {as_written(getattr(error, 'received', None))}"
    return path, " ".join(str(error).split())


def _keyed(value: object, key: str, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """The paths of every key ``key`` within ``value``'s tables and lists."""
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from [(*path, name)] if name == key else _keyed(inner, key, (*path, name))
    elif isinstance(value, list):
        for number, inner in enumerate(value):
            yield from _keyed(inner, key, (*path, number))


def read_text(path: str | Path, *, what: str = "definition") -> tuple[str, str, str]:
    """A definition or scenario file's text, its form (``toml`` or ``json``) and its name.

    Raises:
        DefinitionError: It is no regular file (a FIFO would be read for ever), or cannot
            be read as UTF-8.
    """
    if not isinstance(path, str | os.PathLike) or not os.fspath(path):  # "" would be "."
        problem = Problem(shown(path), None, (), f"{UNREADABLE}: not a file's path")
        raise DefinitionError([problem], what=what)
    file = Path(path)
    try:
        if not file.is_file():  # may raise too: a name too long, say
            why = "not a file" if file.exists() else "there is no such file"
            why = f"{why} (a NUL in its name)" if "\0" in str(file) else why
            problem = Problem(str(file), None, (), f"{UNREADABLE}: {why}")
            raise DefinitionError([problem], what=what)
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        line = None
        if isinstance(error, UnicodeDecodeError):  # the line of the byte that is not UTF-8
            line = error.object[: error.start].count(b"\n") + 1
        problem = Problem(str(file), line, (), f"{UNREADABLE}: {error}")
        raise DefinitionError([problem], what=what) from None
    return text, "json" if file.suffix.lower() == ".json" else "toml", str(file)


class Reader:
    """One file's text, its data, and the problems found in it."""

    def __init__(self, text: str, source: str, form: str) -> None:
        self.text, self.source, self.form = text, source, form
        self.problems: list[Problem] = []
        self.hints = 0
        self.positions = Positions(text, form)
        self._unknown: set[tuple[str | int, ...]] = set()  # where a name was not known

    def line(self, path: tuple[str | int, ...]) -> int | None:
        """The line the key at ``path`` is written on, if it can be told."""
        return self.positions.line(path)

    def problem(self, path: tuple[str | int, ...], message: str) -> None:
        """A problem at ``path``, placed on its line."""
        # Past an unknown name, a problem at the same key follows from it (a guard built
        # with the kinds left once a misspelt one is dropped): it is not said again.
        if path not in self._unknown:
            self.problems.append(Problem(self.source, self.line(path), path, message))

    #: How many unknown names get a did-you-mean: past it, a file of thousands of
    #: misspellings would spend minutes comparing each with every choice.
    HINTS = 100

    def unknown(self, path: tuple[str | int, ...], what: str, name: object, choices: Any) -> None:  # noqa: ANN401
        """A problem: ``name`` is not one of ``choices``."""
        self.hints += 1
        self.problem(path, unknown(what, name, choices, hint=self.hints <= self.HINTS))
        self._unknown.add(path[:-1] if path and type(path[-1]) is int else path)  # its list
