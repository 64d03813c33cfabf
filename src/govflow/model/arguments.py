"""A function's argument that is a caller's iterable, read as it is used: ``iterated``.

A list, a generator or a store given as an argument may raise anything as it is read;
:func:`iterated` refuses it with :class:`~govflow.InvalidRecord`, naming the function and
the argument, as a record's validator refuses a collection whose reading raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from govflow.errors import GovflowError, InvalidRecord

_ARGUMENT = "pass the argument it expects"


def iterated(value: object, record: str, field: str, expected: str) -> Iterator[Any]:
    """The items of ``value``, an argument (a list or any iterable), as they are read.

    Raises:
        InvalidRecord: ``value`` is text or no iterable, or reading it failed with an
            error other than govflow's (a store's own errors pass through).
    """
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        raise InvalidRecord(record, field, expected, value, _ARGUMENT)
    return _read(value, record, field, expected)


def _read(value: Iterable[Any], record: str, field: str, expected: str) -> Iterator[Any]:
    try:
        yield from value
    except GovflowError:
        raise
    except Exception as error:  # a caller's iterable may raise anything
        said = f"{expected} (reading it raised {type(error).__name__})"
        raise InvalidRecord(record, field, said, value, _ARGUMENT) from error
