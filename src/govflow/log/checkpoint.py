"""Checkpoints: a log's count and head, kept apart from the log."""

from __future__ import annotations

import json

import attrs

from govflow.canonical import DIGEST
from govflow.errors import InvalidRecord
from govflow.model.terms import whole


def _head(checkpoint: object, attribute: attrs.Attribute[str], value: object) -> None:
    if type(value) is not str or DIGEST.fullmatch(value) is None:
        raise InvalidRecord("Checkpoint", "head", "64 lower-case hex digits", value)


@attrs.frozen
class Checkpoint:
    """A log's entry count and head hash, to keep somewhere the log's writers cannot reach.

    Verifying against a checkpoint also catches a truncated log and a chain
    rewritten from some entry on.

    Attributes:
        count: How many entries the log had.
        head: The hash of its last entry (the header hash for an empty log).
    """

    count: int = attrs.field(validator=whole(0))
    head: str = attrs.field(validator=_head)

    def to_json(self) -> str:
        """The checkpoint as one line of JSON."""
        return json.dumps({"count": self.count, "head": self.head}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Read a checkpoint written by :meth:`to_json`.

        Raises:
            InvalidRecord: The text is not such a checkpoint.
        """
        if not isinstance(text, str):
            raise InvalidRecord("Checkpoint", "(text)", "a text", text)
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or beyond the parser's limits
            raise InvalidRecord("Checkpoint", "(text)", "one line of JSON", text) from None
        if not isinstance(data, dict) or set(data) != {"count", "head"}:
            raise InvalidRecord("Checkpoint", "(text)", 'an object {"count", "head"}', data)
        count, head = data["count"], data["head"]
        if type(count) is not int or count < 0:
            raise InvalidRecord("Checkpoint", "count", "a whole number from 0", count)
        if not isinstance(head, str) or DIGEST.fullmatch(head) is None:
            raise InvalidRecord("Checkpoint", "head", "64 lower-case hex digits", head)
        return cls(count, head)
