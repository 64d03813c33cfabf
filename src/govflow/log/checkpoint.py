"""Checkpoints: a log's count and head, kept apart from the log, and its signed tree head."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from govflow.canonical import DIGEST, parse, unparsed
from govflow.errors import InvalidRecord, ProofError, require, shown
from govflow.log.keys import KEY_NAME, from_base64
from govflow.model.arguments import iterated
from govflow.model.terms import whole
from govflow.model.unreadable import read_out


def digest(record: object, attribute: attrs.Attribute[str], value: object) -> None:
    """An attrs validator: a SHA-256 hash as 64 lower-case hex digits."""
    if type(value) is not str or DIGEST.fullmatch(value) is None:
        raise InvalidRecord(
            type(record).__name__, attribute.name, "64 lower-case hex digits", value
        )


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
    head: str = attrs.field(validator=digest)

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
            data = parse(text)
        except (ValueError, RecursionError):  # not JSON (where), beyond the parser's limits,
            # or a member given twice, which a reader would take: said so
            said = unparsed(text).removeprefix("a JSON object")
            raise InvalidRecord("Checkpoint", "(text)", "one line of JSON" + said, text) from None
        if not isinstance(data, dict) or set(data) != {"count", "head"}:
            raise InvalidRecord("Checkpoint", "(text)", 'an object {"count", "head"}', data)
        count, head = data["count"], data["head"]
        if type(count) is not int or count < 0:
            raise InvalidRecord("Checkpoint", "count", "a whole number from 0", count)
        if not isinstance(head, str) or DIGEST.fullmatch(head) is None:
            raise InvalidRecord("Checkpoint", "head", "64 lower-case hex digits", head)
        return cls(count, head)


#: The extension lines govflow writes after a tree head's root (C2SP tlog-checkpoint).
HEAD_LINE, DATE_LINE = "govflow-head ", "govflow-date "


def _origin(head: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or KEY_NAME.fullmatch(value) is None:  # its signer's name
        wanted = "a key name: not empty; no spaces, '+', control characters or lone surrogates"
        raise InvalidRecord("TreeHead", "origin", wanted, value)


def _date(head: object, attribute: attrs.Attribute[dt.date], value: object) -> None:
    if type(value) is not dt.date:
        raise InvalidRecord("TreeHead", "date", "a datetime.date", value)


@attrs.frozen
class TreeHead:
    """A log's checkpoint in the transparency-dev text form, to be signed and witnessed.

    Its text (:meth:`text`) is a C2SP ``tlog-checkpoint`` body: the origin, the size,
    the Merkle root in base64, and two extension lines, ``govflow-head <hex>`` (the
    hash chain's head, which verification checks the log against) and
    ``govflow-date <YYYY-MM-DD>`` (the day it was taken).

    Attributes:
        origin: The log's identity, usually the name of the key that signs it.
        size: How many entries the log had.
        root: The Merkle root of those entries' hashes (RFC 6962), in hex.
        head: The hash of the last of them (the header hash for an empty log).
        date: The day the checkpoint was taken (passed in: nothing reads a clock).
    """

    origin: str = attrs.field(validator=_origin)
    size: int = attrs.field(validator=whole(0))
    root: str = attrs.field(validator=digest)
    head: str = attrs.field(validator=digest)
    date: dt.date = attrs.field(validator=_date)

    @classmethod
    def of(cls, hashes: Sequence[str], head: str, origin: str, date: dt.date) -> TreeHead:
        """The tree head of the entries with ``hashes``, whose chain ends at ``head``.

        Raises:
            ProofError: ``hashes`` is not a list of hex texts, or ``head`` not its last.
            NoteError: A field is not as :class:`TreeHead` takes it.
        """
        from govflow.log.merkle import Tree  # noqa: PLC0415 - loaded when a tree is needed

        listed = read_out(hashes) if isinstance(hashes, list | tuple) else None  # may raise
        if not isinstance(listed, tuple):
            raise ProofError(f"expected a list of entry hashes in hex; got {shown(hashes)}")
        hashes = listed
        if hashes and hashes[-1] != head:  # read apart, with an append between them?
            raise ProofError(
                f"the head {shown(head)} is not the last of the hashes ({shown(hashes[-1])}): "
                "take both from one read of the log"
            )
        return cls(origin, len(hashes), Tree.of(hashes).root().hex(), head, date)

    def root_of(self, hashes: Sequence[str]) -> str:
        """The Merkle root, in hex, of the first :attr:`size` of ``hashes``.

        Raises:
            ProofError: ``hashes`` is not a list of entry hashes (hex), or holds fewer
                than :attr:`size`.
        """
        from govflow.log.merkle import Tree  # noqa: PLC0415 - loaded when a tree is needed

        if not isinstance(hashes, list | tuple):
            raise ProofError(f"expected a list of entry hashes in hex; got {shown(hashes)}")
        if len(hashes) < self.size:
            raise ProofError(
                f"the checkpoint covers {self.size} entries, and {len(hashes)} hashes were given"
            )
        return Tree.of(hashes[: self.size]).root().hex()

    @property
    def checkpoint(self) -> Checkpoint:
        """The count and head it records, as :func:`govflow.log.verify` takes them."""
        return Checkpoint(self.size, self.head)

    def text(self) -> str:
        """The checkpoint body, each line ending in a newline."""
        root = base64.b64encode(bytes.fromhex(self.root)).decode()
        lines = [self.origin, str(self.size), root, HEAD_LINE + self.head]
        return "\n".join([*lines, DATE_LINE + self.date.isoformat()]) + "\n"

    @classmethod
    def parse(cls, text: str) -> TreeHead:
        """Read a checkpoint body written by :meth:`text`.

        Raises:
            InvalidRecord: The text is not one; the message names the line.
        """
        lines = text.split("\n") if isinstance(text, str) else []
        if len(lines) != 6 or lines[-1] != "":  # noqa: PLR2004 - five lines, each ending
            raise InvalidRecord(
                "TreeHead", "(text)", "five lines: origin, size, root, head, date", text
            )
        origin, size, root, head, date = lines[:5]
        if re.fullmatch(r"0|[1-9][0-9]{0,18}", size) is None:
            raise InvalidRecord("TreeHead", "size", "a whole number from 0", size)
        raw = from_base64(root) or b""
        if len(raw) != 32:  # noqa: PLR2004 - a SHA-256 hash
            raise InvalidRecord("TreeHead", "root", "32 bytes in base64", root)
        if not head.startswith(HEAD_LINE) or not date.startswith(DATE_LINE):
            expected = f"'{HEAD_LINE}<hex>' and '{DATE_LINE}<YYYY-MM-DD>' lines"
            raise InvalidRecord("TreeHead", "(extensions)", expected, f"{head}\n{date}")
        day = written_day(date[len(DATE_LINE) :])
        if day is None:
            raise InvalidRecord("TreeHead", "date", "a day, YYYY-MM-DD", date)
        return cls(origin, int(size), raw.hex(), head[len(HEAD_LINE) :], day)


def written_day(text: object) -> dt.date | None:
    """The day ``text`` writes as YYYY-MM-DD (not 20130301 or 2013-W09-5); ``None`` if not one."""
    if not isinstance(text, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return None


def kept_heads(
    given: Checkpoint | TreeHead | Iterable[Checkpoint | TreeHead] | None,
) -> tuple[dict[int, list[str]], list[TreeHead]]:
    """The heads the checkpoints record, by count (more than one at a count: a fork).

    A signed tree head counts as the checkpoint it records; the tree heads come second,
    for their Merkle roots to be checked too.
    """
    if given is None:
        return {}, []
    many = (given,) if isinstance(given, Checkpoint | TreeHead) else given
    expected = "a Checkpoint or TreeHead, a list of them, or None"
    checkpoints = list(iterated(many, "verify", "checkpoint", expected))
    require(
        all(isinstance(c, Checkpoint | TreeHead) for c in checkpoints),
        "verify",
        "checkpoint",
        expected,
        given,
    )
    kept: dict[int, list[str]] = {}
    tree_heads: list[TreeHead] = []
    for c in checkpoints:
        if isinstance(c, TreeHead):
            tree_heads.append(c)
            c = c.checkpoint  # noqa: PLW2901 - the checkpoint it records
        heads = kept.setdefault(c.count, [])
        if c.head not in heads:
            heads.append(c.head)
    return kept, tree_heads


def first_unmatched(
    kept: dict[int, list[str]], heads: dict[int, str], count: int
) -> tuple[int, str, str] | None:
    """The first checkpoint a log does not reach or match, as (seq, kind, message); or ``None``.

    ``heads`` are the log's heads at the counts ``kept`` names; ``count`` its length.

    Two checkpoints of one count with different heads are two histories: the log can
    match at most one of them. One that matches is said to be one branch of a fork, at
    its last entry checked; one that matches neither is named as rewritten.
    """
    matched = 0  # the count of the last checkpoint the log still matches
    for at in sorted(kept):
        forked = (
            f"; the checkpoints record {len(kept[at])} different heads after {at} entries: "
            "the log was forked"
            if len(kept[at]) > 1
            else ""
        )
        if at > count:
            message = (
                f"the log ends after {count} entries, but a checkpoint recorded {at}: "
                "the log was truncated"
            )
            return count, "truncated", message + forked
        if forked and heads.get(at) in kept[at]:  # this log is one branch of the fork
            message = (
                f"the checkpoints record {len(kept[at])} different heads after {at} entries, "
                "and this log has one of them: the log was forked, and which branch is the "
                "log the partners agreed on the checkpoints cannot say"
            )
            return (max(at - 1, 0), "rewritten", message)
        differs = any(heads.get(at) != head for head in kept[at])
        if differs and at == 0:  # the header's hash: nothing was appended
            message = (
                "the log's header hash differs from the checkpoint's head at 0 entries: the "
                "checkpoint is of another log, or of this log under another lifecycle"
            )
            return (0, "rewritten", message + forked)
        if differs:
            where = (
                f"entry {matched}"
                if at == matched + 1
                else f"one of entries {matched} to {at - 1}"
                if matched
                else f"one of entries 0 to {at - 1} (a checkpoint kept after each append names it)"
            )
            message = (
                f"the head after {at} entries differs from the checkpoint's: the chain was "
                f"rewritten from {where}"
            )
            return (matched, "rewritten", message + forked)
        matched = at
    return None


def unheld(
    kept: dict[int, list[str]],
    heads: dict[int, str],
    count: int,
    tree_heads: Iterable[TreeHead] = (),
    roots: dict[int, str] | None = None,
) -> tuple[int, str, str] | None:
    """The first way a log of ``count`` entries does not hold to its checkpoints, or ``None``.

    As :func:`first_unmatched`, then for the tree heads: one whose root is the log's at
    its size and whose head is not contradicts itself (the entries are those it signs),
    and one whose root is not the log's names it (kind ``checkpoint``). ``roots`` holds
    the log's Merkle root, in hex, at each tree head's size reached.
    """
    found = first_unmatched(kept, heads, count)
    if found is not None and found[1] != "rewritten":
        return found
    roots = roots or {}
    for head in sorted(tree_heads, key=lambda h: h.size):
        root = roots.get(head.size) or _NO_ENTRIES  # the size of no entries, or not reached
        if (
            found is not None
            and head.size
            and root == head.root
            and heads.get(head.size) != head.head
        ):
            message = (
                f"the checkpoint's Merkle root is the root of the log's first {head.size} "
                f"entries, and its head {head.head[:16]}... is not the hash of entry "
                f"{head.size - 1} ({str(heads.get(head.size))[:16]}...): the checkpoint "
                "contradicts itself (made or altered wrongly), the entries are those it signs"
            )
            return head.size - 1, "checkpoint", message
        if found is None and root != head.root:
            message = (
                f"the checkpoint's Merkle root {head.root[:16]}... is not the root of "
                f"the log's first {head.size} entries ({root[:16]}...)"
            )
            return max(head.size - 1, 0), "checkpoint", message
    return found


#: The Merkle root of no entries (RFC 6962: the hash of the empty string).
_NO_ENTRIES: Final = hashlib.sha256(b"").hexdigest()
