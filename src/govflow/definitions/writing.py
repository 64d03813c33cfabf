"""Writing a model as a definition file: the inverse of reading, in TOML or JSON."""

from __future__ import annotations

import json
from typing import Any

from govflow.definitions.definition import Definition
from govflow.definitions.format import FORMAT
from govflow.definitions.reading import loads
from govflow.definitions.shape import PREVIOUS_NAME
from govflow.definitions.tables import written
from govflow.errors import DefinitionError, InvalidRecord, require
from govflow.model.kind import Kind
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.parts import PREVIOUS


def to_data(model: Definition | Lifecycle) -> dict[str, Any]:
    """The model as the plain data of a definition file (no ``None``: TOML has none).

    It is the data :func:`dumps` writes, checked as it is: read back, it is the model.

    Raises:
        InvalidRecord: ``model`` is neither, a guard has no form in a file (a lambda, a
            closure, a callable object), a state is named as a file names the way
            back (:data:`~govflow.definitions.PREVIOUS_NAME`), or the data would not
            read back as the model (see :func:`dumps`).
    """
    fits = isinstance(model, Definition | Lifecycle)
    require(fits, "to_data", "model", "a Definition or a Lifecycle", model)
    data = _data(model, "to_data")
    _read_back(model, data, json.dumps(data), "json", "to_data")
    return data


def _data(model: Definition | Lifecycle, function: str) -> dict[str, Any]:
    """The model as the plain data of a definition file, unchecked (see :func:`to_data`)."""
    definition = model if isinstance(model, Definition) else Definition(model)
    lifecycle = definition.lifecycle
    named = all(s.name != PREVIOUS_NAME for s in lifecycle.states)
    kept = f"a lifecycle with no state named {PREVIOUS_NAME!r} (a file's way back)"
    require(named, function, "model", kept, model)
    described = lifecycle.describe()
    data: dict[str, Any] = {"format": FORMAT, "name": lifecycle.name}
    data["states"] = [{"name": s.name, "doc": s.doc} if s.doc else s.name for s in lifecycle.states]
    data["initial"] = lifecycle.initial
    for key in ("final", "provisional"):
        if described[key]:
            data[key] = described[key]
    own = sorted(k.value for k in lifecycle.kinds if type(k) is not Kind)
    if "kinds" in described or own:
        data["kinds"] = own
    if "accepts" in described:
        data["accepts"] = described["accepts"]
    if "binding" in described:
        data["binding"] = described["binding"]
    data["transitions"] = [_transition(t) for t in lifecycle.transitions]
    if lifecycle.authorities is not None:
        data["authorities"] = [_authority(a.describe()) for a in lifecycle.authorities.values()]
    if definition.delegations:
        data["delegations"] = [
            {
                "by": by,
                "to": d.to,
                "kinds": [k.value for k in d.kinds],
                "start": d.start.isoformat(),
                **({"end": d.end.isoformat()} if d.end else {}),
            }
            for by, d in definition.delegations
        ]
    if definition.terms is not None:
        data["terms"] = _terms(definition.terms)
    return data


def _transition(t: Any) -> dict[str, Any]:  # noqa: ANN401 - a Transition
    table: dict[str, Any] = {
        "trigger": t.trigger,
        "from": list(t.sources),
        "to": PREVIOUS_NAME if t.dest is PREVIOUS else t.dest,
    }
    if t.doc:
        table["doc"] = t.doc
    if t.guards:
        table["guards"] = [written(g) for g in t.guards]
    return table


def _authority(described: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in described.items() if v is not None}


def _terms(terms: Any) -> dict[str, Any]:  # noqa: ANN401 - Terms
    table: dict[str, Any] = {"title": terms.title, "partners": list(terms.partners)}
    for key in ("remit", "conditions", "places"):
        if getattr(terms, key):
            table[key] = list(getattr(terms, key))
    if terms.budget is not None:
        table["budget"] = terms.budget
    if terms.seats:
        table["seats"] = dict(terms.seats)
    if terms.parameters:
        table["parameters"] = [
            {
                "name": p.name,
                **({"day": p.day.isoformat()} if p.day is not None else {}),
                **({"number": p.number} if p.number is not None else {}),
                **({"text": p.text} if p.text is not None else {}),
            }
            for p in terms.parameters
        ]
    return table


def dumps(model: Definition | Lifecycle, *, form: str = "toml") -> str:
    """The model as the text of a definition file, ``"toml"`` or ``"json"``.

    Raises:
        InvalidRecord: ``model`` is neither, a guard has no form in a file, ``form`` is
            neither, or the file would not read back as the model (a record may hold
            what a file may not: an empty name or budget, terms past version 1).
    """
    require(
        isinstance(model, Definition | Lifecycle),
        "dumps",
        "model",
        "a Definition or a Lifecycle",
        model,
    )
    require(form in ("toml", "json"), "dumps", "form", "'toml' or 'json'", form)
    data = _data(model, "dumps")
    if form == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        import tomli_w  # noqa: PLC0415 - only writing TOML needs it

        text = tomli_w.dumps(data)
    _read_back(model, data, text, form, "dumps")
    return text


def _read_back(
    given: Definition | Lifecycle, data: dict[str, Any], text: str, form: str, function: str
) -> None:
    """Check that ``text``, the file written of the model ``given``, reads back as it.

    A record may hold what a file may not (an empty name or budget, terms of a version
    past 1, a delegation of a power its delegator lacks): such a file would be refused
    when read, or read as another model.

    Raises:
        InvalidRecord: It would not, saying what the file reader finds.
    """
    model = given if isinstance(given, Definition) else Definition(given)
    expected, advice = "a model a definition file holds as it is", "correct the model"
    try:  # the functions of its custom guards are those it holds: imported already
        back = loads(text, form=form, allow_imports=True)
    except DefinitionError as error:
        found = str(error.problems[0]._replace(file="", line=None)).removeprefix(": ")
        said = f"{expected} (read back, the file says {found})"
        raise InvalidRecord(function, "model", said, given, advice) from None
    terms, lifecycle = model.terms, (data, model.lifecycle.fingerprint)
    for part, ours, theirs in [
        ("lifecycle", lifecycle, (_data(back, function), back.lifecycle.fingerprint)),
        ("terms", terms, back.terms),
        ("delegations", model.delegations, back.delegations),
    ]:
        if ours != theirs:
            version = terms.version if part == "terms" and terms is not None else 1
            why = f"are version {version}, a file's 1" if version != 1 else "read back other"
            said = f"{expected} (its {part} {why})"
            raise InvalidRecord(function, "model", said, given, advice)
