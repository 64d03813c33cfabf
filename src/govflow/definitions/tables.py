"""Guards in a definition file: each built-in guard by the name of the function that makes it.

A guard is written as a table: ``guard`` names the function (``decided_by``,
``every_partner``, ``votes``, ...) and the other keys are its arguments, as plain
data. Reading calls that function with them, so a guard from a file is checked
exactly as one built in Python; writing finds the function whose guard record it
is. Dates are ``YYYY-MM-DD``; a day in the body's history is a table with one key,
``entered``, ``decided`` or ``param``; a window is ``{start, end}``. A custom guard
is ``{guard = "custom", function = "package.module:name", name, params}`` and is
imported only when the caller allows it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any, cast

from govflow.errors import ARGUMENT, InvalidRecord, UnreadableValue
from govflow.guards import conditions, counting, dates, windows
from govflow.guards.protocol import Guard, Named, identity_problem
from govflow.guards.votes import Votes, votes
from govflow.model.kind import DecisionKind

#: The built-in guards, by the name a file gives them.
MAKERS: dict[str, Callable[..., Guard]] = {
    "decided_by": counting.decided_by,
    "every_partner": counting.every_partner,
    "any_partner": counting.any_partner,
    "nominations_from_every_partner": counting.nominations_from_every_partner,
    "meeting_held": conditions.meeting_held,
    "not_before": conditions.not_before,
    "not_after": conditions.not_after,
    "came_from": conditions.came_from,
    "ratified": conditions.ratified,
    "votes": votes,
}

#: The arguments each takes, with the kind of value each is (see ``_read``).
ARGUMENTS: dict[str, dict[str, str]] = {
    "decided_by": {
        "kinds": "kinds",
        "authorities": "names",
        "at_least": "int",
        "name": "text",
        "since_entered": "bool",
        "within": "window",
    },
    "every_partner": {
        "kinds": "kinds",
        "name": "text",
        "since_entered": "bool",
        "within": "window",
    },
    "any_partner": {"kinds": "kinds", "name": "text", "since_entered": "bool", "within": "window"},
    "nominations_from_every_partner": {"within": "window"},
    "meeting_held": {"meeting": "text", "within": "window"},
    "not_before": {"day": "bound"},
    "not_after": {"day": "bound"},
    "came_from": {"state": "text"},
    "ratified": {},
    "votes": {
        "kinds": "kinds",
        "voters": "names",
        "for_at_least": "count",
        "majority": "bool",
        "share": "pair",
        "quorum": "count",
        "name": "text",
        "since_entered": "bool",
        "within": "window",
        "against_at_least": "count",
        "majority_against": "bool",
    },
}
REQUIRED = {
    "decided_by": ("kinds", "authorities"),
    "every_partner": ("kinds",),
    "any_partner": ("kinds",),
    "meeting_held": ("meeting",),
    "not_before": ("day",),
    "not_after": ("day",),
    "came_from": ("state",),
    "votes": ("kinds",),
}


def _day(value: object, path: tuple[str | int, ...]) -> dt.date:
    if type(value) is dt.date:
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise UnreadableValue(path, f"expected a real day as YYYY-MM-DD; got {value!r}")


def _anchor(value: Mapping[str, Any], path: tuple[str | int, ...], kinds: Kinds) -> dates.Anchor:
    ((key, args),) = value.items()
    days = _days(args.get("days", 0), (*path, key, "days"), kinds)
    months = {"months": args.get("months", 0), "years": args.get("years", 0)}
    if key == "entered":
        return dates.entered(args.get("state"), days=days, **months)
    if key == "decided":
        return dates.decided(kinds(args["kinds"], (*path, key, "kinds")), days=days, **months)
    return dates.param(args["name"], days=args.get("days", 0), **months)


def _days(value: object, path: tuple[str | int, ...], kinds: Kinds) -> int | dates.Param:
    if isinstance(value, Mapping):
        made = _anchor(value, path, kinds)
        if not isinstance(made, dates.Param):
            raise UnreadableValue(path, "expected a number of days, or a {param = {...}} table")
        return made
    return cast("int", value)  # the schema checked it is a whole number


def _bound(value: object, path: tuple[str | int, ...], kinds: Kinds) -> dates.Bound:
    if isinstance(value, Mapping):
        return _anchor(value, path, kinds)
    return _day(value, path)


#: Resolves a list of kinds' names (or one name) to the model's kinds.
Kinds = Callable[[object, tuple[str | int, ...]], tuple[DecisionKind, ...]]


def _read(shape: str, value: Any, path: tuple[str | int, ...], kinds: Kinds) -> object:  # noqa: ANN401, PLR0911
    """An argument's value from plain data, by the kind of value it is."""
    if shape == "kinds":
        return kinds(value, path)
    if shape == "names":
        return tuple(value)
    if shape == "pair":
        return tuple(value)
    if shape == "bound":
        return _bound(value, path, kinds)
    if shape == "count":
        return _days(value, path, kinds)
    if shape == "window":
        start, end = value.get("start"), value.get("end")
        return windows.within(
            None if start is None else _bound(start, (*path, "start"), kinds),
            None if end is None else _bound(end, (*path, "end"), kinds),
            since_entered=value.get("since_entered", False),
        )
    return value


def make(
    data: Mapping[str, Any], path: tuple[str | int, ...], kinds: Kinds, *, allow_imports: bool
) -> Guard:
    """The guard a file's table describes.

    Raises:
        UnreadableValue: A value cannot be read, or a custom guard may not be imported.
        InvalidRecord: The guard's own function refuses its arguments.
    """
    which = data["guard"]
    if which == "custom":
        return _custom(data, path, allow_imports=allow_imports)
    shapes = ARGUMENTS[which]
    arguments = {
        key: _read(shapes[key], value, (*path, key), kinds)
        for key, value in data.items()
        if key != "guard"
    }
    return MAKERS[which](**arguments)


def _custom(data: Mapping[str, Any], path: tuple[str | int, ...], *, allow_imports: bool) -> Guard:
    target = data["function"]
    if "params" in data and data.get("name") is None:  # else dropped: a plain function's
        raise UnreadableValue(
            (*path, "params"),
            'parameters are held by a named guard: give its name too (name = "...")',
        )
    if not allow_imports:
        raise UnreadableValue(
            (*path, "function"),
            f"a custom guard ({target}) is imported only when the caller allows it "
            "(load(..., allow_imports=True); on the command line, --allow-imports)",
        )
    module, _, attribute = target.partition(":")
    try:
        function: object = importlib.import_module(module)
        for part in attribute.split("."):  # a function in a class: "Holder.static"
            function = getattr(function, part)
    except KeyboardInterrupt:  # the user's, while it imported: not the file's
        raise
    except BaseException as error:  # noqa: BLE001 - a module's code may raise anything
        said: object = failure_said(error)
        if isinstance(error, ModuleNotFoundError) and error.name == module.partition(".")[0]:
            said = (  # a module beside the file: its folder is not on the import path
                f"{error} (a module of your own is found from its folder on the import "
                "path: PYTHONPATH=. or python -m govflow, run in that folder)"
            )
        raise UnreadableValue((*path, "function"), f"cannot import {target}: {said}") from None
    if not callable(function):
        raise UnreadableValue((*path, "function"), f"{target} is not callable")
    name = data.get("name")
    if name is None:
        return cast("Guard", function)
    if isinstance(function, Named):  # a function @named made a guard: named here again
        function = function.function
    params = {k: _tupled(v) for k, v in data.get("params", {}).items()}
    try:
        return Named(name, function, tuple(params.items()))
    except InvalidRecord as error:  # a table among the parameters, say
        raise UnreadableValue((*path, "params"), f"expected {error.expected}") from None


def _tupled(value: object) -> object:
    """A parameter as a named guard holds it: lists, at any depth, as tuples."""
    return tuple(map(_tupled, value)) if isinstance(value, list) else value


# Writing: a guard as the table that makes it again.


def _plain(value: object) -> object:  # noqa: PLR0911 - one return per kind of value
    if isinstance(value, DecisionKind):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dates.Entered):
        return {"entered": _anchored({"state": value.state}, value)}
    if isinstance(value, dates.Decided):
        return {"decided": _anchored({"kinds": _plain(value.kinds)}, value)}
    if isinstance(value, dates.Param):
        return {"param": _anchored({"name": value.name}, value)}
    if isinstance(value, windows.Window):
        table = {"start": _plain(value.start), "end": _plain(value.end)}
        return _drop({**table, "since_entered": value.since_entered}, since_entered=False)
    return value


def _anchored(table: dict[str, object], anchor: dates.Anchor) -> dict[str, object]:
    """An anchor's ``table`` with the months and days it adds, when it adds any."""
    added = {"months": anchor.months, "days": _plain(anchor.days)}
    return _drop({**table, **added}, months=0, days=0)


def _drop(table: dict[str, object], **defaults: object) -> dict[str, object]:
    """``table`` without its ``None`` values and the values equal to ``defaults``."""
    return {
        k: v for k, v in table.items() if v is not None and (k not in defaults or v != defaults[k])
    }


def written(guard: Guard) -> dict[str, object]:
    """The table that makes ``guard`` again.

    Raises:
        ValueError: The guard has no form in a file: a function defined inside
            another, a lambda, or a callable object.
    """
    if isinstance(guard, Named) or not hasattr(type(guard), "__attrs_attrs__"):
        return _written_custom(guard)
    record: Any = guard
    if isinstance(record, counting.DecidedBy):
        args: dict[str, object]
        which = "decided_by" if record.authorities is not None else "every_partner"
        if record.authorities is None and record.at_least == 1:
            which = "any_partner"
        args = {
            "kinds": record.kinds,
            "authorities": record.authorities,
            "at_least": record.at_least if which == "decided_by" else None,
            "name": record.label,
            "since_entered": record.since_entered or None,
            "within": record.within,
        }
    elif isinstance(record, Votes):
        which = "votes"
        args = {
            "kinds": record.kinds,
            "voters": record.voters,
            "for_at_least": record.for_at_least,
            "majority": record.majority or None,
            "share": record.share,
            "quorum": record.quorum,
            "name": record.label,
            "since_entered": record.since_entered or None,
            "within": record.within,
            "against_at_least": record.against_at_least,
            "majority_against": record.majority_against or None,
        }
    else:
        which, args = _simple(record)
    return {"guard": which, **{k: _plain(v) for k, v in _drop(args).items()}}


def _simple(record: object) -> tuple[str, dict[str, object]]:  # the guards of one field or none
    simple: dict[type, tuple[str, tuple[str, ...]]] = {
        counting.Nominations: ("nominations_from_every_partner", ("within",)),
        conditions.MeetingHeld: ("meeting_held", ("meeting", "within")),
        conditions.NotBefore: ("not_before", ("day",)),
        conditions.NotAfter: ("not_after", ("day",)),
        conditions.CameFrom: ("came_from", ("state",)),
        conditions.Ratified: ("ratified", ()),
    }
    if type(record) not in simple:
        expected = f"a guard with a form in a definition file (a {type(record).__name__} has none)"
        raise InvalidRecord("definition", "guards", expected, record, ARGUMENT)
    which, fields = simple[type(record)]
    return which, {f: getattr(record, f) for f in fields}


def _written_custom(guard: Guard) -> dict[str, object]:
    function = guard.function if isinstance(guard, Named) else guard
    problem = None if isinstance(guard, Named) else identity_problem(guard)
    module = getattr(function, "__module__", None)
    qualname = getattr(function, "__qualname__", "")
    found = _found(module, qualname) if type(module) is str and module != "__main__" else None
    made = isinstance(found, Named) and found.function is function  # by @named, named again
    if problem is None and found is not function and found is not guard and not made:
        # A lambda, a partial, a function defined in another, or in the script being run
        # (``__main__`` is another module in the program that reads the file).
        problem = "its function cannot be imported by name from a module"
    if problem is None and isinstance(guard, Named):
        problem = next((_unwritten(k, v) for k, v in guard.params if _unwritten(k, v)), None)
    if problem is not None:
        expected = f"a guard with a form in a definition file ({problem})"
        raise InvalidRecord("definition", "guards", expected, guard, ARGUMENT)
    table: dict[str, object] = {"guard": "custom", "function": f"{module}:{qualname}"}
    if isinstance(guard, Named):
        table["name"] = guard.name
        if guard.params:
            table["params"] = {k: _plain(v) for k, v in guard.params}
    return table


def _found(module: str, qualname: str) -> object:
    """What ``module:qualname`` names among the modules loaded (``None`` if nothing)."""
    found: object = sys.modules.get(module)
    for part in qualname.split(".") if qualname else [""]:
        found = getattr(found, part, None) if part and part != "<locals>" else None
    return found


def _unwritten(name: str, value: object) -> str | None:
    """Why a named guard's parameter cannot be written so as to read back the same, if so."""
    if value is None:
        return f"its parameter {name!r} is None, which a file cannot hold"
    if isinstance(value, dt.date):
        return f"its parameter {name!r} is a day, which a file reads back as text"
    if isinstance(value, tuple):
        return next(filter(None, (_unwritten(name, v) for v in value)), None)
    return None


def failure_said(error: BaseException) -> str:
    """What a user's module or function failing says: an exit said as one, else its words."""
    said = f"it exits ({error.code!r})" if isinstance(error, SystemExit) else str(error)
    return said or type(error).__name__
