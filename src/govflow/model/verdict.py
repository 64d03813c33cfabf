"""What a guard answers: passed, or failed with every reason.

A reason carries a code and parameters for programs and a sentence for people:
``Reason("awaiting_decisions", {"kinds": ["nominate"], "missing": ["APCC"]},
"awaiting nominations from: APCC")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from govflow.errors import InvalidRecord
from govflow.model.terms import MAX_WHOLE, flag, text, writable
from govflow.model.unreadable import Unread, read_out, read_pairs

#: A reason's parameter value: text, a whole number, or a list of texts.
ParamValue = str | int | tuple[str, ...]
#: A reason's parameters: (name, value) pairs sorted by name (a frozen record holds no dict).
Params = tuple[tuple[str, ParamValue], ...]


def _pair(item: object) -> bool:
    return isinstance(item, list | tuple) and len(item) == 2  # noqa: PLR2004 - name, value


def _param_field(key: object) -> str:
    """``params.<key>``; ``params`` for a key whose own ``str`` raises."""
    try:
        return f"params.{key}"
    except Exception:  # noqa: BLE001 - a caller's own key may raise anything
        return "params"


def _params(params: Mapping[str, ParamValue] | Iterable[tuple[str, ParamValue]]) -> Params:
    """An attrs converter: a mapping (or pairs) becomes sorted pairs, lists becoming tuples.

    Raises:
        InvalidRecord: A name is not a text, or a value not a text, a whole number or
            a list of texts.
    """
    if isinstance(params, Mapping):
        pairs: object = read_pairs(params)  # a caller's own mapping may raise: Unread
    elif isinstance(params, Iterable) and not isinstance(params, str | bytes):
        pairs = read_out(params)
    else:
        pairs = None
    if type(pairs) is not tuple or not all(map(_pair, pairs)):
        said = pairs if isinstance(pairs, Unread) else params  # what reading it raised
        raise InvalidRecord("Reason", "params", "a mapping of names to values", said)
    frozen = []
    for key, value in pairs:
        item = tuple(value) if isinstance(value, list) else value
        fits = (
            writable(item)
            or (type(item) is int and -MAX_WHOLE <= item <= MAX_WHOLE)
            or (type(item) is tuple and all(map(writable, item)))
        )
        if not writable(key) or not fits:
            expected = "a text, a whole number or a list of texts, under a text name"
            raise InvalidRecord("Reason", _param_field(key), expected, value)
        frozen.append((key, item))
    if len({key for key, _ in frozen}) != len(frozen):
        raise InvalidRecord("Reason", "params", "each name given once", params)
    return tuple(sorted(frozen))


@attrs.frozen
class Reason:
    """One unmet condition.

    Attributes:
        code: A stable identifier for programs, such as ``"awaiting_decisions"``.
        params: The particulars as sorted (name, value) pairs; give a mapping
            (``{"missing": ("APCC",)}``). Read one with :meth:`param`.
        message: A sentence for people: ``"awaiting nominations from: APCC"``.
    """

    code: str = attrs.field(validator=text)
    params: Params = attrs.field(converter=_params)
    message: str = attrs.field(validator=text)

    def param(self, name: str, default: ParamValue | None = None) -> ParamValue | None:
        """The value of parameter ``name``, or ``default`` when the reason has none."""
        for key, value in self.params:
            if key == name:
                return value
        return default

    def __str__(self) -> str:
        return self.message


def _tupled(value: object) -> object:
    """A list or a tuple (of a subclass too) as a tuple; a tuple itself as it is."""
    if type(value) is tuple:
        return value
    return read_out(value) if isinstance(value, list | tuple) else value  # Unread: refused


def _reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    if type(value) is tuple and not value:  # a passed verdict's: nothing to look at
        return ()
    found = _tupled(value)
    # The items' types checked as a set, in C, and a tuple taken as it is: a passed
    # verdict with two entries of evidence builds in 0.88 of the time a loop took.
    if type(found) is not tuple or (found and set(map(type, found)) != _REASON):
        said = found if isinstance(found, Unread) else value  # what reading it raised
        raise InvalidRecord("Verdict", "reasons", "a list of Reason records", said)
    return found


def _evidence(value: Iterable[int]) -> tuple[int, ...]:
    found = value if type(value) is tuple else _tupled(value)
    # The types looked up in a set one by one, with no set of them built (460 -> 300 ns
    # for two entries).
    if type(found) is not tuple or (
        found
        and (not _INT.issuperset(map(type, found)) or min(found) < 0 or max(found) > MAX_WHOLE)
    ):
        said = found if isinstance(found, Unread) else value  # what reading it raised
        raise InvalidRecord("Verdict", "evidence", "a list of entry sequence numbers", said)
    return found


_REASON: Final = frozenset({Reason})
_INT: Final = frozenset({int})  # a bool is no sequence number: its type is bool


@attrs.frozen
class Verdict:
    """A guard's answer at one moment.

    Attributes:
        guard: The guard's name.
        passed: Whether the guard passed.
        reasons: Why it failed; empty when it passed.
        evidence: Sequence numbers of the log entries whose decisions the guard relied
            on, in log order (for a passed guard, the entries that satisfied it).
    """

    guard: str = attrs.field(validator=text)
    passed: bool = attrs.field(validator=flag)
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reasons)
    evidence: tuple[int, ...] = attrs.field(default=(), converter=_evidence)

    @classmethod
    def ok(cls, guard: str, evidence: tuple[int, ...] = ()) -> Verdict:
        """A passed verdict relying on the entries ``evidence``."""
        return cls(guard, True, (), evidence)  # noqa: FBT003 - by position: keywords cost 0.3 µs

    @classmethod
    def fail(cls, guard: str, *reasons: Reason, evidence: tuple[int, ...] = ()) -> Verdict:
        """A failed verdict with its ``reasons``."""
        return cls(guard, passed=False, reasons=reasons, evidence=evidence)
