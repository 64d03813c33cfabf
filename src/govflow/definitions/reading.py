"""Reading a definition file: parse, check against the schema, cross-check, then build.

Every problem is collected before anything is built, and raised together as one
:class:`~govflow.errors.DefinitionError`; a file that has one builds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from govflow.definitions import tables
from govflow.definitions.definition import Definition
from govflow.definitions.lines import repeated_line
from govflow.definitions.problems import (
    CLOCKED,
    Reader,
    as_written,
    clocked,
    placed,
    read_text,
    refused,
    unique,
    unparsed_file,
    unwritable,
)
from govflow.definitions.shape import PREVIOUS_NAME, shape_problems
from govflow.errors import DefinitionError, GovflowError, Problem, UnreadableValue, shown
from govflow.guards.protocol import Guard
from govflow.model.authority import ALWAYS, Authority
from govflow.model.decision import Delegation
from govflow.model.kind import BUILT_IN, DecisionKind
from govflow.model.terms import Terms
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.parts import PREVIOUS, State, Transition


@cache
def _validator() -> Any:  # noqa: ANN401 - jsonschema's validator class is untyped
    import jsonschema  # type: ignore[import-untyped]  # noqa: PLC0415 - only files need it

    text = resources.files("govflow.definitions").joinpath("schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _plain(value: object) -> object:
    """TOML's days as the ``YYYY-MM-DD`` texts JSON has, so one schema checks both."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def loads(
    text: str, *, form: str = "toml", source: str = "<text>", allow_imports: bool = False
) -> Definition:
    """The model a definition's text describes.

    Args:
        text: The file's text.
        form: ``"toml"`` or ``"json"``.
        source: What to call the text in messages (its file name).
        allow_imports: Import the functions custom guards name (off by default: a file
            cannot make govflow import code unless the caller says so).

    Raises:
        DefinitionError: Every problem found, each with its line and key path.
    """
    if not isinstance(source, str):
        message = f"source must be a str (the file's name), not {type(source).__name__}"
        raise DefinitionError([Problem("<text>", None, (), message)])
    if form not in ("toml", "json"):
        raise DefinitionError(
            [Problem(source, None, (), f"form must be 'toml' or 'json', not {shown(form)}")]
        )
    if type(allow_imports) is not bool:
        message = f"allow_imports must be True or False, not {shown(allow_imports)}"
        raise DefinitionError([Problem(source, None, (), message)])
    if not isinstance(text, str):
        message = f"expected the file's text (a str), got {type(text).__name__}"
        raise DefinitionError([Problem(source, None, (), message)])
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write first
    reader = Reader(text, source, form)
    try:
        data = tomllib.loads(text) if form == "toml" else json.loads(text, object_pairs_hook=unique)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, RecursionError, ValueError) as error:
        line, message = unparsed_file(error, text, form, source)
        line = line or repeated_line(text, form)  # a key given twice: json gives no line
        raise DefinitionError([Problem(source, line, (), message)]) from None
    if isinstance(data, dict) and data.get("format") == "govflow-scenario/1":
        message = (
            "this is a scenario (decisions to replay): `govflow run DEFINITION SCENARIO` reads it"
        )
        raise DefinitionError([Problem(source, reader.line(("format",)), ("format",), message)])
    try:
        clocks = clocked(data, ())
        for path in clocks:
            reader.problem(path, CLOCKED)
        data = _plain(data)
        for path in unwritable(data, ()):
            reader.problem(path, "expected text without NUL or lone surrogates")
        found = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
        for path, said in (place for error in found for place in placed(error)):
            if path not in clocks:  # a date-time is said once, as what it is
                reader.problem(path, said)
        if reader.problems:
            raise DefinitionError(reader.problems)
        return _build(cast("dict[str, Any]", data), reader, allow_imports=allow_imports)
    except RecursionError:
        message = "nested too deeply to be a definition"
        raise DefinitionError([Problem(source, None, (), message)]) from None


def load(path: str | Path, *, allow_imports: bool = False) -> Definition:
    """The model the file at ``path`` describes (``.toml``, or ``.json``).

    Raises:
        DefinitionError: The file cannot be read, or every problem found in it.
    """
    text, form, source = read_text(path)
    return loads(text, form=form, source=source, allow_imports=allow_imports)


def _declared(data: Mapping[str, Any], reader: Reader) -> tuple[str, ...]:
    """The kinds the file declares, each once (a vocabulary cannot hold a name twice)."""
    own = tuple(data.get("kinds", ()))
    if _twice(reader, "kinds", own):
        raise DefinitionError(reader.problems)
    return own


def _twice(reader: Reader, key: str, names: Sequence[object]) -> bool:
    """Whether a name is declared under ``key`` again: a problem at its second place."""
    first: dict[object, int] = {}
    twice = False
    for number, name in enumerate(names):
        try:
            earlier = first.setdefault(name, number)
        except TypeError:  # unhashable: the schema check has named it already
            continue
        if earlier < number:
            twice = True
            reader.problem((key, number), f"{name!r} is declared already, as {key}[{earlier}]")
    return twice


def _build(data: Mapping[str, Any], reader: Reader, *, allow_imports: bool) -> Definition:
    own = _declared(data, reader)
    new = [k for k in own if k not in BUILT_IN]  # one declared again: said once, below
    made = DecisionKind("Kinds", [(k.upper(), k) for k in new]) if new else None  # type: ignore[call-arg]
    vocabulary = cast("type[DecisionKind] | None", made)
    ours: dict[str, DecisionKind] = {k.value: k for k in vocabulary or ()}
    known: dict[str, DecisionKind] = {**BUILT_IN, **ours}
    for number, name in enumerate(own):
        if name in BUILT_IN:
            reader.problem(("kinds", number), f"{name!r} is a built-in kind: declare another name")

    def kinds(
        value: object, path: tuple[str | int, ...], pool: dict[str, DecisionKind] = known
    ) -> tuple[DecisionKind, ...]:
        names = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        found = []
        wanted = ("a decision kind (built-in, or under kinds)" if pool is known  # binding: own
                  else "a kind declared under kinds (built-in ones bind as defined)")  # fmt: skip
        for number, name in enumerate(names):
            kind = pool.get(name)
            where = path if isinstance(value, str) else (*path, number)
            if kind is None:
                reader.unknown(where, wanted, name, pool)
            else:
                found.append(kind)
        return tuple(found)

    states = _states(data, reader)
    named = dict.fromkeys(states)  # the states in order, each found at once (not by a search)
    _check_state(reader, ("initial",), data["initial"], named)
    for key in ("final", "provisional"):
        for number, name in enumerate(data.get(key, ())):
            _check_state(reader, (key, number), name, named)
    authorities: list[Authority] = []
    _twice(reader, "authorities", [t["name"] for t in data.get("authorities", ())])
    for number, table in enumerate(data.get("authorities", ())):
        may = kinds(table["may"], ("authorities", number, "may"))
        try:
            authorities.append(
                Authority(table["name"], table["organisation"], may, table.get("bodies"))
            )
        except GovflowError as error:
            reader.problem(*refused(error, table, ("authorities", number)))
    names = {a.name for a in authorities} | {a.organisation for a in authorities}
    names_if_declared = names if "authorities" in data else None  # [] declares none
    transitions = [
        _transition(t, ("transitions", n), reader, named, kinds, names_if_declared, allow_imports)
        for n, t in enumerate(data["transitions"])
    ]
    accepts = {
        state: kinds(listed, ("accepts", state))
        for state, listed in data.get("accepts", {}).items()
    }
    for state in accepts:
        _check_state(reader, ("accepts", state), state, named)
    binding = kinds(data.get("binding", ()), ("binding",), ours)
    reader.problems.extend(
        Problem(reader.source, reader.line(where), where, message)
        for where, message in shape_problems(data, states)
    )
    terms = _terms(data.get("terms"), reader)
    declared = authorities if "authorities" in data else None  # [] declares none
    delegations = _delegations(data.get("delegations", ()), reader, kinds, declared)
    if reader.problems:
        raise DefinitionError(reader.problems)
    try:
        lifecycle = Lifecycle(
            name=data.get("name", "lifecycle"),
            states=[
                State(s) if isinstance(s, str) else State(s["name"], s.get("doc", ""))
                for s in data["states"]
            ],
            initial=data["initial"],
            final=data.get("final", ()),
            provisional=data.get("provisional", ()),
            transitions=[t for t in transitions if t is not None],
            authorities=authorities if "authorities" in data else None,
            kinds=vocabulary,
            accepts=accepts or None,
            binding=binding,
        )
    except GovflowError as error:
        for message in getattr(error, "problems", (str(error),)):
            reader.problem((), message)
        raise DefinitionError(reader.problems) from None
    return Definition(lifecycle, terms, delegations)


def _states(data: Mapping[str, Any], reader: Reader) -> list[str]:
    """The states' names; ``<previous>`` is refused, being kept for a way back."""
    states = [s if isinstance(s, str) else s["name"] for s in data["states"]]
    for number, name in enumerate(states):
        if name == PREVIOUS_NAME:
            message = f"{PREVIOUS_NAME!r} is kept for a way back: name the state otherwise"
            reader.problem(("states", number), message)
    return states


def _check_state(
    reader: Reader, path: tuple[str | int, ...], name: str, states: Collection[str]
) -> None:
    if name not in states:
        reader.unknown(path, "a state listed under states", name, states)


def _transition(  # noqa: PLR0917 - one transition and what checking it needs
    data: Mapping[str, Any],
    path: tuple[str | int, ...],
    reader: Reader,
    states: Collection[str],
    kinds: tables.Kinds,
    names: set[str] | None,
    allow_imports: bool,  # noqa: FBT001
) -> Transition | None:
    sources = [data["from"]] if isinstance(data["from"], str) else list(data["from"])
    for number, source in enumerate(sources):
        where = (*path, "from") if isinstance(data["from"], str) else (*path, "from", number)
        _check_state(reader, where, source, states)
    dest = PREVIOUS if data["to"] == PREVIOUS_NAME else data["to"]
    if dest is not PREVIOUS and dest not in states:  # "<prev>" gets '<previous>' suggested
        wanted = f"a state listed under states, or {PREVIOUS_NAME!r} for the way back"
        reader.unknown((*path, "to"), wanted, dest, [*states, PREVIOUS_NAME])
    guards: list[Guard] = []
    for number, table in enumerate(data.get("guards", ())):
        where = (*path, "guards", number)
        for key in ("authorities", "voters") if names is not None else ():
            for n, name in enumerate(table.get(key, ())):
                if name not in (names or ()):
                    reader.unknown(
                        (*where, key, n), "an authority declared under authorities", name, names
                    )
        if table["guard"] == "came_from":
            _check_state(reader, (*where, "state"), table["state"], states)
        for at, name in _entered(table, where):
            _check_state(reader, at, name, states)
        said = len(reader.problems)
        try:
            guards.append(tables.make(table, where, kinds, allow_imports=allow_imports))
        except UnreadableValue as error:
            reader.problem(error.path, error.message)
        except GovflowError as error:
            # A kind left out, unknown, deep in the table (a window's anchor): the guard's
            # refusal of what remained follows from it, and is not said again.
            if len(reader.problems) == said:
                reader.problem(*refused(error, table, where))
    try:
        return Transition(data["trigger"], tuple(sources), dest, guards, data.get("doc", ""))
    except GovflowError as error:
        reader.problem(path, str(error))
        return None


def _entered(value: object, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """Each state a day in a body's history names (``{entered = {state = ...}}``), with its path."""
    if not isinstance(value, dict):
        return []
    found = []
    entered = value.get("entered")
    if isinstance(entered, dict) and isinstance(entered.get("state"), str):
        found.append(((*path, "entered", "state"), entered["state"]))
    for key, inner in value.items():
        if key != "entered":
            found.extend(_entered(inner, (*path, key)))
    return found


def _terms(data: Mapping[str, Any] | None, reader: Reader) -> Terms | None:
    if data is None:
        return None
    parameters: dict[str, object] = {}
    for number, p in enumerate(data.get("parameters", ())):
        where = ("terms", "parameters", number)
        given = [key for key in ("day", "number", "text") if key in p]
        if len(given) != 1 or p["name"] in parameters:
            said = (
                "a name given once" if p["name"] in parameters else "just one of day, number, text"
            )
            reader.problem(where, f"expected {said}; got {p!r}")
            continue
        try:
            parameters[p["name"]] = dt.date.fromisoformat(p["day"]) if "day" in p else p[given[0]]
        except ValueError:
            reader.problem((*where, "day"), f"expected a real day as YYYY-MM-DD; got {p['day']!r}")
    try:
        return Terms(**{**data, "parameters": parameters})
    except (GovflowError, ValueError) as error:
        field = str(getattr(error, "field", ""))
        if field.startswith("parameters."):  # one parameter's value: placed at it
            names = [p["name"] for p in data.get("parameters", ())]
            at = names.index(field.removeprefix("parameters."))
            value = next(k for k in ("day", "number", "text") if k in data["parameters"][at])
            received = as_written(getattr(error, "received", ""))
            said = f"expected {getattr(error, 'expected', '')}; got {received}"
            reader.problem(("terms", "parameters", at, value), said)
            return None
        reader.problem(*refused(error, data, ("terms",)))
        return None


def _delegations(
    data: Any,  # noqa: ANN401 - checked by the schema
    reader: Reader,
    kinds: tables.Kinds,
    authorities: list[Authority] | None,
) -> tuple[tuple[str, Delegation], ...]:
    """The delegations in force from the start; each gives only powers its delegator holds.

    With ``authorities`` declared (``None``: none are, and anyone decides), ``by`` and
    ``to`` must each be one of them, or one's organisation.
    """
    listed = authorities or []
    names = {a.name for a in listed} | {a.organisation for a in listed}
    found = []
    for number, d in enumerate(data):
        where = ("delegations", number)
        for key in ("by", "to"):
            if authorities is not None and d[key] not in names:
                reader.unknown(
                    (*where, key), "an authority declared under authorities", d[key], names
                )
        days = {}
        for key in ("start", "end"):
            try:
                days[key] = dt.date.fromisoformat(d[key]) if key in d else None
            except ValueError:
                reader.problem((*where, key), f"expected a real day as YYYY-MM-DD; got {d[key]!r}")
        start = days.get("start")
        if start is None or len(days) < 2:  # noqa: PLR2004 - a start and an end, each read
            continue
        try:
            delegation = Delegation(
                d["to"], kinds(d["kinds"], (*where, "kinds")), start, days["end"]
            )
            found.append((d["by"], delegation))
            by = [a for a in listed if d["by"] in (a.name, a.organisation)]
            for n, kind in enumerate(delegation.kinds if by else ()):
                if not any(kind in a.may or kind in ALWAYS for a in by):
                    why = f"{d['by']!r} may not decide {kind.value!r} itself, so cannot delegate it"
                    reader.problem((*where, "kinds", n), why)
        except GovflowError as error:
            reader.problem(*refused(error, d, where))
    return tuple(found)
