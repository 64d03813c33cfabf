"""Guards: named, pure predicates over a body's facts and a decision's date.

A guard is any callable ``guard(body, on) -> Verdict | bool``. The built-ins
(in ``guards.counting`` and ``guards.conditions``) return a :class:`~govflow.Verdict` with every
unmet reason and the log entries that satisfied them; a plain function returning a
bool is a guard too, and its failure reason is its name. This module holds what
every guard goes through: its name and its description for a lifecycle's
fingerprint (``rules.explain.evaluate`` runs one).

Guards must be pure: they read the body and the date they are given and
nothing else (no clock, no I/O, no global state), so that replaying a log
recomputes exactly the verdicts that were recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.verdict import Verdict
    from govflow.model.when import When

#: A guard: a pure callable from a body and the decision's date to a verdict or a bool.
Guard = Callable[["Body", "When"], "Verdict | bool"]


def guard_name(guard: Guard) -> str:
    """The name a guard is known by in verdicts, explanations and fingerprints."""
    name = getattr(guard, "name", None)
    if isinstance(name, str):
        return name
    return str(getattr(guard, "__name__", None) or repr(guard))


def _plain(value: object) -> object:
    if isinstance(value, tuple | list | frozenset | set):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, frozenset | set) else items
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def describe_guard(guard: Guard) -> dict[str, object]:
    """A guard as plain data for a lifecycle's fingerprint: its name and its parameters.

    A built-in guard (an attrs record) enters with every field, so two guards that
    differ only in their authorities or kinds give different fingerprints. A plain
    function enters with its module and qualified name.
    """
    record = type(guard)
    if attrs.has(record):
        fields = {f.name: _plain(getattr(guard, f.name)) for f in attrs.fields(record)}
        return {"guard": guard_name(guard), "type": record.__qualname__, **fields}
    module = getattr(guard, "__module__", "")
    qualname = getattr(guard, "__qualname__", guard_name(guard))
    return {"guard": guard_name(guard), "function": f"{module}.{qualname}"}
