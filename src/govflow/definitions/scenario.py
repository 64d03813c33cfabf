"""Scenario files: the decisions to replay on a model, as TOML or JSON.

A scenario lists decisions under ``[[decisions]]``, each with the keys of the log's
canonical form of a decision (``docs/canonical-form.md``): ``id``, ``body``, ``kind``,
``actor``, ``decided`` (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or a span
``YYYY-MM-DD/YYYY-MM-DD``), ``source = {document, locator}``, and whichever others the
decision has; a key left out takes its default. Each decision is read by the log's own
strict reader, so a scenario holds exactly what a log can.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from govflow.definitions.lines import Positions
from govflow.definitions.problems import (
    CLOCKED,
    Reader,
    as_written,
    clocked,
    read_text,
    unique,
    unknown,
    unparsed_file,
)
from govflow.errors import DefinitionError, InvalidRecord, Problem, require, shown
from govflow.log.codec import read_record, record_codec, to_plain
from govflow.log.entry import SCHEMA_VERSION
from govflow.model.arguments import iterated
from govflow.model.decision import Decision, Delegation, Source, Target
from govflow.model.kind import BUILT_IN, DecisionKind
from govflow.model.terms import Parameter, Terms

FORMAT = "govflow-scenario/1"

#: The records a decision's fields hold, and the lists of records a terms holds.
_NESTED: dict[type, dict[str, type]] = {
    Decision: {"source": Source, "terms": Terms, "target": Target, "delegation": Delegation},
    Terms: {"parameters": Parameter},
}
#: The records a decision holds, as a scenario's reader knows them.
_NAMED = {Terms: "the terms", Parameter: "a parameter", Source: "a source",
          Target: "a target", Delegation: "a delegation"}  # fmt: skip
#: The fields of ``_NESTED`` that hold a list of records: anything else there is left as given.
_LISTS = {(Terms, "parameters")}


def _default(cls: type, field: attrs.Attribute[Any]) -> object:
    """The field's default as plain data, as the log writes it (``seats`` as ``{}``)."""
    written = record_codec(cls, SCHEMA_VERSION)
    return json.loads(written.default_texts[written.names.index(field.name)])  # type: ignore[arg-type]


def _complete(cls: type, data: object) -> object:
    """``data`` with each key it leaves out given its field's default, as plain data."""
    if not isinstance(data, dict):
        return data
    done = dict(data)
    for field in attrs.fields(cls):
        if field.metadata.get("since", 1) > SCHEMA_VERSION:
            continue
        if field.name not in done and field.default is not attrs.NOTHING:
            done[field.name] = _default(cls, field)
        nested = _NESTED.get(cls, {}).get(field.name)
        value = done.get(field.name)
        if nested is not None and isinstance(value, list):
            done[field.name] = [_complete(nested, v) for v in value]
        elif nested is not None and (cls, field.name) not in _LISTS:
            done[field.name] = _complete(nested, value)
    return done


def _listed(text: str, form: str, source: str) -> list[Any]:
    """The items under ``decisions`` of a scenario's text, once it parses as a scenario.

    Raises:
        DefinitionError: The text does not parse, is not a scenario (its format, at its
            line), holds another key, or its decisions are not a list.
    """
    try:
        data = tomllib.loads(text) if form == "toml" else json.loads(text, object_pairs_hook=unique)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, RecursionError, ValueError) as error:
        line, message = unparsed_file(error, text, form, source)
        raise DefinitionError([Problem(source, line, (), message)], what="scenario") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        message = f'expected a scenario: a document whose format is "{FORMAT}"'
        given = data.get("format") if isinstance(data, dict) else None
        line = None if given is None else Positions(text, form).line(("format",))
        if given == "govflow/1":
            message += "; got a definition's (govflow/1), not a scenario's"
        elif given is not None:
            message += f"; got {shown(given)}"
        raise DefinitionError([Problem(source, line, ("format",), message)], what="scenario")
    extra = sorted(set(data) - {"format", "decisions"})
    if extra:
        message = f"unknown key {extra[0]!r}: a scenario holds format and decisions"
        line = Positions(text, form).line((extra[0],))
        raise DefinitionError([Problem(source, line, (extra[0],), message)], what="scenario")
    listed = data.get("decisions", [])
    if not isinstance(listed, list):
        line = Positions(text, form).line(("decisions",))
        problem = Problem(source, line, ("decisions",), "expected a list of tables")
        raise DefinitionError([problem], what="scenario")
    return listed


def read_decisions(
    text: str,
    *,
    form: str = "toml",
    source: str = "<text>",
    kinds: Iterable[DecisionKind] | None = None,
) -> list[Decision]:
    """The decisions a scenario's text lists, in order.

    Args:
        text: The scenario's text.
        form: ``"toml"`` or ``"json"``.
        source: What to call the text in problems (its file's name).
        kinds: The kinds of the model the decisions are for (``Lifecycle.kinds``): a
            decision of a kind neither built in nor among them is a problem, named at
            its kind with the nearest one. ``None``: any well-formed kind name is read.

    Raises:
        DefinitionError: The text is not a scenario, or a decision cannot be read (each
            problem names the decision's place, ``decisions[3]``, and the field).
        InvalidRecord: ``kinds`` is not ``None`` or kinds.
    """
    if not isinstance(source, str):
        message = f"source must be a str (the file's name), not {type(source).__name__}"
        raise DefinitionError([Problem("<text>", None, (), message)], what="scenario")
    if form not in ("toml", "json") or not isinstance(text, str):
        message = "expected a scenario's text (a str) and form 'toml' or 'json'"
        raise DefinitionError([Problem(source, None, (), message)], what="scenario")
    known = _known(kinds)
    text = text.removeprefix("\ufeff")
    listed = _listed(text, form, source)
    decisions: list[Decision] = []
    problems: list[Problem] = []
    positions = Positions(text, form)
    for number, item in enumerate(listed):
        times = clocked(item, ("decisions", number))
        problems.extend(Problem(source, positions.line(path), path, CLOCKED) for path in times)
        if times:
            continue
        try:
            decisions.append(_decision(item, number))
            kind = decisions[-1].kind.value
            if known is not None and kind not in known:
                where = ("decisions", number, "kind")
                hint = len(problems) < Reader.HINTS  # a did-you-mean for the first few
                said = unknown(
                    "a built-in kind, or one of the model's own", kind, sorted(known), hint=hint
                )
                problems.append(Problem(source, positions.line(where), where, said))
        except InvalidRecord as error:
            hint = len(problems) < Reader.HINTS
            problems.extend(_misread(error, item, number, positions, source, known, hint=hint))
        except RecursionError:
            problems.append(Problem(source, None, ("decisions", number), "nested too deeply"))
    if problems:
        raise DefinitionError(problems, what="scenario")
    return decisions


def _known(kinds: Iterable[DecisionKind] | None) -> set[str] | None:
    """The names of the kinds a scenario's decisions may be of; ``None``: any.

    Raises:
        InvalidRecord: ``kinds`` is neither ``None`` nor an iterable of kinds.
    """
    if kinds is None:
        return None
    wanted = "None, or DecisionKind members (a lifecycle's kinds)"
    given = list(iterated(kinds, "read_decisions", "kinds", wanted))
    fits = all(isinstance(k, DecisionKind) for k in given)
    require(fits, "read_decisions", "kinds", wanted, kinds)
    return {*BUILT_IN, *(k.value for k in given)}


def _decision(item: object, number: int) -> Decision:
    """The decision a scenario lists at ``number``, read as a log's entry is."""
    plain = json.loads(json.dumps(_complete(Decision, item), default=str))
    return read_record(Decision, plain, f"decisions[{number}]", SCHEMA_VERSION)


def _misread(  # noqa: PLR0917 - a problem and where it stands
    error: InvalidRecord,
    item: object,
    number: int,
    positions: Positions,
    source: str,
    known: set[str] | None,
    *,
    hint: bool,
) -> list[Problem]:
    """The problems of a decision the reader refused: at its field, and at a kind unknown.

    ``hint``: give a did-you-mean (past the first hundred problems, none: comparing each
    of thousands of misspellings with every choice took half a minute).
    """
    field = str(error.field).removesuffix(".iso")  # a date is read through its text
    steps = (p for part in field.split(".") for p in part.replace("]", "").split("["))
    path: tuple[str | int, ...] = (
        "decisions",
        number,
        *(int(p) if p.isdigit() else p for p in steps),
    )
    # The codec reads JSON: its "a JSON object" is a file's table.
    expected = str(error.expected).replace("a JSON object", "a table")
    if not isinstance(item, dict):  # a list's item that is not a table
        path = ("decisions", number)
        said = f"expected a table of a decision's keys; got {as_written(item)}"
    elif error.expected == "not present":  # a key no decision (or record in it) holds
        record: type = Decision
        for key in path[2:-1]:  # the record the key was found in: terms, a parameter ...
            record = _NESTED.get(record, {}).get(str(key), record)
        what = _NAMED.get(record, "a decision")
        names = [f.name for f in attrs.fields(record)]
        said = unknown(f"a key of {what}", path[-1], names, hint=hint)
    elif path[2] in item:
        said = f"expected {expected}; got {as_written(error.received)}"
    elif error.expected == "present":
        said = "required, but missing"
    else:
        said = f"required, but missing (expected {expected})"
    found = [Problem(source, positions.line(path), path, said)]
    kind = item.get("kind") if isinstance(item, dict) else None
    if "kind" in str(error.expected) and isinstance(kind, str) and kind not in (known or BUILT_IN):
        # A field refused for its kind, which is none of the built-in ones: a misspelling?
        where = ("decisions", number, "kind")
        said = unknown("a built-in kind, or one of the model's own", kind, BUILT_IN, hint=hint)
        found.insert(0, Problem(source, positions.line(where), where, said))
    return found


def load_decisions(
    path: str | Path, *, kinds: Iterable[DecisionKind] | None = None
) -> list[Decision]:
    """The decisions of the scenario file at ``path`` (``.toml`` or ``.json``).

    Args:
        path: The scenario file.
        kinds: The model's kinds, as :func:`read_decisions` takes them.

    Raises:
        DefinitionError: The file cannot be read, or a decision in it cannot.
    """
    text, form, source = read_text(path, what="scenario")
    return read_decisions(text, form=form, source=source, kinds=kinds)


def scenario_data(decisions: Sequence[Decision]) -> dict[str, Any]:
    """Decisions as a scenario's plain data: each with the keys that differ from the default.

    Raises:
        InvalidRecord: ``decisions`` is not a sequence of :class:`~govflow.Decision`.
    """
    wanted = "a list of Decision records"
    listed = list(iterated(decisions, "scenario_data", "decisions", wanted))
    fits = all(type(d) is Decision for d in listed)
    require(fits, "scenario_data", "decisions", wanted, decisions)
    return {
        "format": FORMAT,
        "decisions": [_trimmed(Decision, to_plain(d, SCHEMA_VERSION)) for d in listed],
    }


def _trimmed(cls: type, data: Any) -> Any:  # noqa: ANN401 - plain data
    if not isinstance(data, dict):
        return data
    kept = {}
    for field in attrs.fields(cls):
        if field.name not in data:
            continue
        value = data[field.name]
        nested = _NESTED.get(cls, {}).get(field.name)
        if nested is not None:
            value = (
                [_trimmed(nested, v) for v in value]
                if isinstance(value, list)
                else _trimmed(nested, value)
            )
        if field.default is not attrs.NOTHING and value == _default(cls, field):
            continue
        kept[field.name] = value
    return kept
