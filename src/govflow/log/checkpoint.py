"""Checkpoints: a log's count and head, kept apart from the log."""

from __future__ import annotations

import json

import attrs

from govflow.errors import InvalidRecord


@attrs.frozen
class Checkpoint:
    """A log's entry count and head hash, to keep somewhere the log's writers cannot reach.

    Verifying against a checkpoint also catches a truncated log and a chain
    rewritten from some entry on.

    Attributes:
        count: How many entries the log had.
        head: The hash of its last entry (the header hash for an empty log).
    """

    count: int
    head: str

    def to_json(self) -> str:
        """The checkpoint as one line of JSON."""
        return json.dumps({"count": self.count, "head": self.head}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Read a checkpoint written by :meth:`to_json`.

        Raises:
            InvalidRecord: The text is not such a checkpoint.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise InvalidRecord("Checkpoint", "(text)", "one line of JSON", text) from None
        if not isinstance(data, dict) or set(data) != {"count", "head"}:
            raise InvalidRecord("Checkpoint", "(text)", 'an object {"count", "head"}', data)
        count, head = data["count"], data["head"]
        if type(count) is not int or count < 0:
            raise InvalidRecord("Checkpoint", "count", "a whole number from 0", count)
        if not isinstance(head, str) or len(head) != 64:  # noqa: PLR2004 - SHA-256 in hex
            raise InvalidRecord("Checkpoint", "head", "64 hex digits", head)
        return cls(count, head)
