"""Where a value being read stands, and the error that names it.

Reading plain data names a bad field by its path (``Entry #2.decision.decided``).
Making a path for every field read costs a tenth of a read; reading first goes
through the data at :data:`NOWHERE`, which makes none, and reads again, naming
places, only when something is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from govflow.errors import InvalidRecord

R = TypeVar("R")

#: What to do about plain data that is not what govflow writes.
READING = (
    "the data is not as govflow writes it: restore it from a copy, "
    "and verify the log against a checkpoint kept elsewhere"
)


class Where:
    """Where a value being read stands: the record's name and the path within it.

    :data:`NOWHERE` stands for every place at once: reading first goes through the
    data with it, making no path for a field that is as it should be, and reads
    again, naming places, only when something is wrong (a tenth of a read's time).
    """

    __slots__ = ("path", "record")

    def __init__(self, record: str, path: str = "") -> None:
        self.record, self.path = record, path

    def key(self, name: str) -> Where:
        """The place of field ``name`` here."""
        if self is NOWHERE:
            return self
        return Where(self.record, f"{self.path}.{name}" if self.path else name)

    def item(self, index: int) -> Where:
        """The place of item ``index`` here."""
        if self is NOWHERE:
            return self
        return Where(self.record, f"{self.path}[{index}]")

    def bad(self, expected: str, received: object) -> InvalidRecord:
        """The error for a value here that is not what was ``expected``."""
        return InvalidRecord(self.record, self.path or "(record)", expected, received, READING)


#: Every place at once: see :class:`Where`.
NOWHERE = Where("")


def built(where: Where, make: Callable[..., R], *args: object, **kwargs: object) -> R:
    """Build a record, re-labelling its validation error with the path it was read from."""
    try:
        return make(*args, **kwargs)
    except InvalidRecord as error:
        field = f"{where.path}.{error.field}" if where.path else error.field
        raise InvalidRecord(where.record, field, error.expected, error.received, READING) from None
