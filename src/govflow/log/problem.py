"""What verifying a log finds: the first thing wrong (`Problem`) and the result (`Verification`)."""

from __future__ import annotations

from typing import Any, Final, Literal, get_args

import attrs

from govflow.errors import InvalidRecord
from govflow.model.terms import exactly_or_none, text, whole

ProblemKind = Literal[
    "malformed",
    "altered",
    "misindexed",
    "unlinked",
    "dropped",
    "inserted",
    "reordered",
    "truncated",
    "rewritten",
    "checkpoint",
    "tree",
    "torn",
]
_KINDS: Final = get_args(ProblemKind)


def _kind(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in _KINDS or type(value) is not str:
        raise InvalidRecord("Problem", "kind", f"one of {', '.join(_KINDS)}", value)


@attrs.frozen
class Problem:
    """The first thing wrong with a log.

    Attributes:
        seq: The sequence number (position from 0) of the first bad entry.
        kind: What is wrong: ``malformed``, ``altered``, ``misindexed`` (a database
            store's columns beside the entry disagree with its content, or its record of
            its end, PostgreSQL's head row, with its last entry), ``unlinked``
            (an entry does not link to the one before it: that one was altered and its
            hash recomputed, or this one's link was), ``dropped``, ``inserted``,
            ``reordered``, ``truncated`` (also: a PostgreSQL head row counting more
            entries than its table holds) or ``rewritten``; against a signed tree head,
            ``checkpoint`` (its Merkle root is not the entries', or is and its head line
            is not); of a store, ``tree`` (the Merkle nodes it keeps are not its
            entries') and ``torn``
            (a JSON Lines store's last line was cut short by a crash).
        message: A sentence for people.
    """

    seq: int = attrs.field(validator=whole(0))
    kind: ProblemKind = attrs.field(validator=_kind)
    message: str = attrs.field(validator=text)

    def __str__(self) -> str:
        return problem_line(self.seq, self.kind, self.message)


def problem_line(seq: object, kind: object, message: object) -> str:
    """A problem in one line, as ``govflow verify`` prints it: ``entry N: kind: message``."""
    return f"entry {seq}: {kind}: {message}"


@attrs.frozen
class Verification:
    """The result of verifying a log.

    Attributes:
        count: How many entries were read.
        head: The hash of the last entry read (the header hash for none).
        problem: The first problem found, or ``None`` when the log is intact.
    """

    count: int = attrs.field(validator=whole(0))
    head: str = attrs.field(validator=text)
    problem: Problem | None = attrs.field(
        default=None, validator=exactly_or_none(Problem, "a Problem")
    )

    @property
    def ok(self) -> bool:
        """Whether no problem was found."""
        return self.problem is None

    def __str__(self) -> str:
        if self.problem is None:
            entries = "entry" if self.count == 1 else "entries"
            return f"intact: {self.count} {entries}, head {self.head}"
        return str(self.problem)
