"""What a record's converter hands on when reading a caller's own collection raised.

A list or a mapping given to a record may be of the caller's own class and raise
anything when read. The converter hands on an :class:`Unread` in its place, which no
validator accepts: the record's validator then refuses it with
:class:`~govflow.InvalidRecord`, naming the record and the field, as it refuses any
value of the wrong type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class Unread:
    """A caller's collection whose reading raised, in its place.

    Attributes:
        value: What was given.
        error: What reading it raised.
    """

    __slots__ = ("error", "value")

    def __init__(self, value: object, error: Exception) -> None:
        self.value, self.error = value, error

    def __repr__(self) -> str:
        return f"<a {type(self.value).__name__} whose reading raised {type(self.error).__name__}>"


def read_out(value: Iterable[Any]) -> tuple[Any, ...] | Unread:
    """``tuple(value)``, or :class:`Unread` if reading it raised anything."""
    try:
        return tuple(value)
    except Exception as error:  # noqa: BLE001 - a caller's collection may raise anything
        return Unread(value, error)


def read_pairs(mapping: Mapping[Any, Any]) -> tuple[tuple[Any, Any], ...] | Unread:
    """``tuple(mapping.items())``, or :class:`Unread` if reading it raised anything."""
    try:
        return tuple(mapping.items())
    except Exception as error:  # noqa: BLE001 - a caller's mapping may raise anything
        return Unread(mapping, error)
