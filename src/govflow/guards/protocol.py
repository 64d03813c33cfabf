"""Guards: named, pure predicates over a body's facts and a decision's date.

A guard is any callable ``guard(body, on) -> Verdict | bool``. The built-ins
(``guards.counting``, ``guards.votes`` and ``guards.conditions``, with the windows of
``guards.windows`` and the days of ``guards.dates``) return a :class:`~govflow.Verdict`
with every unmet reason and the log entries that satisfied them; a plain function returning a
bool is a guard too, and its failure reason is its name. This module holds what
every guard goes through: its name and its description for a lifecycle's
fingerprint (``rules.explain.evaluate`` runs one).

Guards must be pure: they read the body and the date they are given and
nothing else (no clock, no I/O, no global state), so that replaying a log
recomputes exactly the verdicts that were recorded.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from govflow.errors import InvalidRecord
from govflow.model.terms import MAX_TEXT, is_text, text, writable
from govflow.model.unreadable import read_out

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.verdict import Verdict
    from govflow.model.when import When

Guard = Callable[["Body", "When"], "Verdict | bool"]
"""A guard: a pure callable from a body and the decision's date to a verdict or a bool."""


def guard_name(guard: Guard) -> str:
    """The name a guard is known by in verdicts, explanations and fingerprints.

    Raises:
        InvalidRecord: Its ``name``, ``__name__`` or ``repr`` raised (or recursed).
    """
    try:
        name = getattr(guard, "name", None)
        if isinstance(name, str):
            return name
        return str(getattr(guard, "__name__", None) or repr(guard))
    except Exception as error:  # noqa: BLE001 - a user's guard's own name or repr
        said = f"reading it raised {type(error).__name__}: {error}; give it a name"
        raise InvalidRecord("guard_name", "guard", "a guard with a name", guard, said) from None


#: A parameter of a named guard: what it enters the lifecycle's fingerprint with.
GuardParam = str | int | bool | dt.date | None | tuple["GuardParam", ...]


#: How deep a named guard's parameters may nest tuples: a margin under what every reader
#: and writer of a definition file carries (TOML's writer recursed out from 250 levels,
#: JSON's reader from about 490).
MAX_NESTING = 100


def _param(value: object, depth: int = 0) -> bool:
    if isinstance(value, tuple):
        return depth < MAX_NESTING and all(_param(item, depth + 1) for item in value)
    return value is None or type(value) in (str, int, bool, dt.date)


_PAIR = 2


def _fit(value: tuple[object, ...]) -> bool:
    """Whether ``value`` holds (name, parameter) pairs; a caller's tuple that raises: no."""
    try:  # a tuple subclass may raise as it is read, at any depth
        return all(
            isinstance(p, tuple) and len(p) == _PAIR and writable(p[0]) and _param(p[1])
            for p in value
        )
    except Exception:  # noqa: BLE001 - whatever it raised, the parameters are refused
        return False


def _pairs(given: object) -> tuple[tuple[str, GuardParam], ...]:
    value = read_out(given) if isinstance(given, tuple) else given  # a caller's may raise
    if not isinstance(value, tuple) or not _fit(value):
        expected = (
            "parameters that are texts, whole numbers, booleans, days or tuples of them, "
            f"nested at most {MAX_NESTING} deep"
        )
        raise InvalidRecord("named guard", "params", expected, value)  # Unread: what raised
    names = [name for name, _ in value]
    if len(set(names)) != len(names):
        raise InvalidRecord("named guard", "params", "each parameter named once", value)
    return tuple(sorted(value, key=lambda pair: pair[0]))


def _callable(guard: object, attribute: attrs.Attribute[Guard], value: object) -> None:
    if not callable(value):
        raise InvalidRecord("named guard", "function", "a callable guard(body, on)", value)


@attrs.frozen
class Named:
    """A custom guard known by a name, and parameters, given when it was made.

    Make one with :func:`named`. The name and parameters are its identity in the
    lifecycle's fingerprint, wherever the function was defined or loaded from:
    the same lifecycle built in a script and imported from a package has one
    fingerprint. Two guards made by one factory with different parameters differ.

    Attributes:
        name: The guard's name, in verdicts and fingerprints.
        function: The guard itself: ``function(body, on) -> Verdict | bool``.
        params: What it was made with, as sorted (name, value) pairs.
    """

    name: str = attrs.field(validator=text)
    function: Guard = attrs.field(validator=_callable)
    params: tuple[tuple[str, GuardParam], ...] = attrs.field(default=(), converter=_pairs)

    def __call__(self, body: Body, on: When) -> Verdict | bool:
        """Run the guard."""
        return self.function(body, on)


def named(name: str, /, **params: GuardParam) -> Callable[[Guard], Named]:
    """Name a custom guard, and give the parameters it was made with.

    As a decorator::

        @guards.named("quorum of three")
        def quorum(body, on):
            return sum(1 for f in body.facts if f.decision.kind == Kind.AGREE) >= 3

    or around a closure made by a factory, naming what makes each one differ::

        def at_least(k):
            return guards.named(f"{k} in favour", k=k)(lambda body, on: ...)

    A guard already named is named again: its function, under the new name, with its
    parameters and these (these win where both give one).

    Raises:
        InvalidRecord: The name is not a non-empty text, or a parameter is not a text,
            whole number, boolean, day, ``None`` or a tuple of them.
    """
    if not writable(name) or not name.strip():
        raise InvalidRecord("named guard", "name", "a non-empty text", name)
    pairs = tuple(params.items())
    _pairs(pairs)  # refused now, at the decorator, not when the guard is made

    def wrap(function: Guard) -> Named:
        if isinstance(function, Named):  # named again: its function, under the new name
            merged = {**dict(function.params), **params}
            return Named(name, function.function, tuple(merged.items()))
        return Named(name, function, pairs)

    return wrap


def _plain(value: object) -> object:
    if isinstance(value, tuple | list | frozenset | set):
        items = [_plain(v) for v in value]
        return sorted(items, key=_order) if isinstance(value, frozenset | set) else items
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | bool):
        return value
    if attrs.has(type(value)):
        return _record(value)
    return str(value)


def _order(value: object) -> tuple[str, str]:
    """A set's items in one order: by text, then by type (``1`` and ``"1"`` apart)."""
    return str(value), type(value).__name__


def _record(value: object) -> dict[str, object]:
    """An attrs record's fields, but those marked ``fingerprint_default`` left at their default.

    A field added to a built-in guard after lifecycles were fingerprinted carries
    ``metadata={"fingerprint_default": True}``: left at its default, it is omitted, so
    every lifecycle that does not use it keeps its fingerprint.
    """
    fields = {}
    for f in attrs.fields(type(value)):  # type: ignore[arg-type]
        got = getattr(value, f.name)
        if f.metadata.get("fingerprint_default") and got == f.default:
            continue
        fields[f.name] = _plain(got)
    return fields


def identity_problem(guard: object) -> str | None:
    """Why ``guard`` has no stable identity for a fingerprint, or ``None`` when it has one.

    A built-in guard, an attrs record and a :func:`named` guard are known by their
    fields; a plain function defined at a module's top level by its qualified name. A
    lambda, a function defined inside another (a closure, whose parameters the name
    does not show) or any other callable object has none.
    """
    if isinstance(guard, Named) or attrs.has(type(guard)):
        return None
    qualname = getattr(guard, "__qualname__", None)
    if isinstance(guard, types.FunctionType) and isinstance(qualname, str):
        if "<lambda>" in qualname:
            return "it is a lambda"
        if "<locals>" in qualname:
            return (
                f"it is defined inside a function ({qualname}), "
                "so its name does not show its parameters"
            )
        return None
    return f"it is a {type(guard).__name__}, not a function or a record"


def guard_problem(guard: object) -> str | None:
    """What is wrong with ``guard`` as a lifecycle's guard, in words, or ``None``.

    It has no stable identity for a fingerprint (:func:`identity_problem`), or a name no
    verdict can hold: every verdict it gave would be refused.
    """
    try:
        name: object = guard_name(guard)  # type: ignore[arg-type] # any object: what it lacks
    except Exception:  # noqa: BLE001 - a user's own name may raise: describing it says so
        name = "a name"
    if not is_text(name):
        limits = f"of at most {MAX_TEXT:,} characters, not blank, without NUL or lone surrogates"
        return f"has a name no verdict can hold (a text {limits}): give it another"
    unnamed = identity_problem(guard)
    if unnamed is None:
        return None
    return (
        f"has no stable identity for the lifecycle's fingerprint: {unnamed}; make it with "
        "govflow.guards.named('a name', parameter=value, ...)"
    )


def describe_guard(guard: Guard, *, legacy: bool = False) -> dict[str, object]:
    """A guard as plain data for a lifecycle's fingerprint: its name and its parameters.

    A built-in guard (an attrs record) enters with its fields, so two guards that
    differ only in their authorities or kinds give different fingerprints. A
    :func:`named` guard enters with its name and parameters; a plain function with
    its qualified name, not the module it was loaded from. ``legacy`` gives the form
    of release 0.1, where a plain function entered with its module too.
    """
    if isinstance(guard, Named):
        return {"guard": guard.name, "named": {k: _plain(v) for k, v in guard.params}}
    record = type(guard)
    if attrs.has(record):
        return {"guard": guard_name(guard), "type": record.__qualname__, **_record(guard)}
    qualname = getattr(guard, "__qualname__", guard_name(guard))
    if legacy:
        module = getattr(guard, "__module__", "")
        return {"guard": guard_name(guard), "function": f"{module}.{qualname}"}
    return {"guard": guard_name(guard), "function": qualname}
