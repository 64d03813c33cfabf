"""The JSON Schema of a definition file, built from the guards' argument table.

``schema.json`` beside this module is this schema written out (``tests/test_definitions.py``
holds the two equal); ``docs/definitions.md`` publishes it.
"""

from __future__ import annotations

from typing import Any

from govflow.definitions.tables import ARGUMENTS, REQUIRED
from govflow.model.terms import MAX_TEXT

#: What a definition file names under its ``format`` key: the format this release reads
#: and writes.
FORMAT = "govflow/1"
_NAME = {
    "type": "string",
    "pattern": "^[a-z][a-z0-9_]{0,99}$",
    "description": "a name of lower-case letters, digits and _, from a letter (at most 100)",
}
_TEXT = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_TEXT,  # as every record's text, refused here at its key and line
    "description": f"a non-empty text of at most {MAX_TEXT:,} characters, without NUL",
}
_TEXTS = {"type": "array", "items": _TEXT}
_DOC = {
    "type": "string",
    "maxLength": MAX_TEXT,
    "description": f"a text of at most {MAX_TEXT:,} characters, without NUL",
}
_DAY = {
    "type": "string",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "description": "a day as YYYY-MM-DD",
}
_WHOLE = {"type": "integer", "minimum": 0}
#: Calendar months and years an anchor adds before its days (``{months = 6}``).
_MONTHS = {"months": {"type": "integer"}, "years": {"type": "integer"}}
#: A number from the body's parameters (a count, or days): its name alone.
_COUNTED = {
    "type": "object",
    "properties": {
        "param": {
            "type": "object",
            "properties": {"name": _TEXT, "days": {"type": "integer"}},
            "required": ["name"],
            "additionalProperties": False,
        }
    },
    "required": ["param"],
    "additionalProperties": False,
}
#: A day among the body's parameters, moved by months and days.
_PARAM = {
    "type": "object",
    "properties": {
        "param": {
            "type": "object",
            "properties": {"name": _TEXT, "days": {"type": "integer"}, **_MONTHS},
            "required": ["name"],
            "additionalProperties": False,
        }
    },
    "required": ["param"],
    "additionalProperties": False,
}
_ANCHOR = {
    "description": "a table with one key: entered, decided or param",
    "oneOf": [
        {
            "type": "object",
            "properties": {
                "entered": {
                    "type": "object",
                    "properties": {
                        "state": _TEXT,
                        "days": {"oneOf": [{"type": "integer"}, _COUNTED]},
                        **_MONTHS,
                    },
                    "additionalProperties": False,
                }
            },
            "required": ["entered"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "decided": {
                    "type": "object",
                    "properties": {
                        "kinds": {"$ref": "#/$defs/kinds"},
                        "days": {"oneOf": [{"type": "integer"}, _COUNTED]},
                        **_MONTHS,
                    },
                    "required": ["kinds"],
                    "additionalProperties": False,
                }
            },
            "required": ["decided"],
            "additionalProperties": False,
        },
        _PARAM,
    ],
}
_SHAPES: dict[str, Any] = {
    "kinds": {"$ref": "#/$defs/kinds"},
    "names": {"type": "array", "items": _TEXT, "minItems": 1},
    "int": {"type": "integer", "minimum": 1},
    "count": {
        "description": "a whole number from 1, or {param = {name = ...}}",
        "oneOf": [{"type": "integer", "minimum": 1}, _COUNTED],
    },
    "text": _TEXT,
    "bool": {"type": "boolean"},
    "pair": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
    "bound": {"$ref": "#/$defs/bound"},
    "window": {
        "type": "object",
        "properties": {
            "start": {"$ref": "#/$defs/bound"},
            "end": {"$ref": "#/$defs/bound"},
            "since_entered": {"type": "boolean"},
        },
        "additionalProperties": False,
    },
}


def _guard() -> dict[str, Any]:
    names = [*ARGUMENTS, "custom"]
    cases: list[dict[str, Any]] = [
        {
            "if": {"properties": {"guard": {"const": which}}, "required": ["guard"]},
            "then": {
                "properties": {
                    "guard": True,
                    **{arg: _SHAPES[shape] for arg, shape in shapes.items()},
                },
                "required": list(REQUIRED.get(which, ())),
                "additionalProperties": False,
            },
        }
        for which, shapes in ARGUMENTS.items()
    ]
    cases.append(
        {
            "if": {"properties": {"guard": {"const": "custom"}}, "required": ["guard"]},
            "then": {
                "properties": {
                    "guard": True,
                    "function": {
                        "type": "string",
                        "pattern": "^[A-Za-z_][\\w.]*:[A-Za-z_][\\w.]*$",
                        "description": "a function as module:name (package.module:function)",
                    },
                    "name": _TEXT,
                    "params": {"type": "object"},
                },
                "required": ["function"],
                "additionalProperties": False,
            },
        }
    )
    return {
        "type": "object",
        "properties": {"guard": {"enum": names}},
        "required": ["guard"],
        "allOf": cases,
    }


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) every definition file must meet."""
    state = {
        "oneOf": [
            _TEXT,
            {
                "type": "object",
                "properties": {"name": _TEXT, "doc": _DOC},
                "required": ["name"],
                "additionalProperties": False,
            },
        ]
    }
    transition = {
        "type": "object",
        "properties": {
            "trigger": _TEXT,
            "from": {
                "description": "a state, or a list of states",
                "oneOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}],
            },
            "to": _TEXT,
            "doc": _DOC,
            "guards": {"type": "array", "items": {"$ref": "#/$defs/guard"}},
        },
        "required": ["trigger", "from", "to"],
        "additionalProperties": False,
    }
    authority = {
        "type": "object",
        "properties": {
            "name": _TEXT,
            "organisation": _TEXT,
            "may": {"type": "array", "items": _NAME},
            "bodies": {"type": "array", "items": _TEXT},
        },
        "required": ["name", "organisation", "may"],
        "additionalProperties": False,
    }
    delegation = {
        "type": "object",
        "properties": {
            "by": _TEXT,
            "to": _TEXT,
            "kinds": {"type": "array", "items": _NAME, "minItems": 1},
            "start": _DAY,
            "end": _DAY,
        },
        "required": ["by", "to", "kinds", "start"],
        "additionalProperties": False,
    }
    parameter = {
        "type": "object",
        "properties": {"name": _TEXT, "day": _DAY, "number": {"type": "integer"}, "text": _TEXT},
        "required": ["name"],
        "additionalProperties": False,
    }
    terms = {
        "type": "object",
        "properties": {
            "title": _TEXT,
            "partners": {"type": "array", "items": _TEXT, "minItems": 1},
            "remit": _TEXTS,
            "budget": _TEXT,
            "conditions": _TEXTS,
            "seats": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
            "places": _TEXTS,
            "parameters": {
                "type": "array",
                "items": parameter,
                "description": 'a list of tables, one a parameter: parameters = [{ name = "by", '
                "day = 2025-03-31 }]",
            },
        },
        "required": ["title", "partners"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://govflow.invalid/schema/definition-1.json",
        "title": "A govflow model: a lifecycle, its authorities and its first terms",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "name": _TEXT,
            "states": {"type": "array", "items": state, "minItems": 1},
            "initial": _TEXT,
            "final": _TEXTS,
            "provisional": _TEXTS,
            "kinds": {"type": "array", "items": _NAME},
            "accepts": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": _NAME},
            },
            "binding": {"type": "array", "items": _NAME},
            "transitions": {"type": "array", "items": transition},
            "authorities": {"type": "array", "items": authority},
            "delegations": {"type": "array", "items": delegation},
            "terms": terms,
        },
        "required": ["format", "states", "initial", "transitions"],
        "additionalProperties": False,
        "$defs": {
            "kinds": {
                "description": "a kind's name, or a list of them",
                "oneOf": [_NAME, {"type": "array", "items": _NAME, "minItems": 1}],
            },
            "bound": {
                "description": (
                    "a day as YYYY-MM-DD, or a table with one key: entered, decided or param"
                ),
                "oneOf": [_DAY, _ANCHOR],
            },
            "guard": _guard(),
        },
    }
