"""Offline proof bundles: one decision, checkable by anyone with no access to the log.

A bundle holds an entry (its canonical text), its inclusion proof in the log's Merkle
tree, and a signed checkpoint (with any witnesses' co-signatures). Checking it needs
only the log's verifier key (and the witnesses', if required): the checkpoint's
signatures, the entry's hash over its own content, and the proof that the entry is
leaf ``seq`` of the tree whose root the checkpoint signs.

Its text form is one JSON object::

    {"format": "govflow-bundle/1", "entry": "<the entry's canonical JSON>",
     "proof": ["<base64 node hash>", ...], "checkpoint": "<the signed note>"}
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TYPE_CHECKING

import attrs

from govflow.canonical import parse, unparsed
from govflow.errors import InvalidRecord, ProofError, WitnessRefused, shown
from govflow.log.checkpoint import TreeHead
from govflow.log.entry import Entry, entry_from_dict, entry_text, recompute_hash
from govflow.log.keys import from_base64
from govflow.log.merkle import EMPTY_ROOT, Tree, leaf_hash, verify_inclusion
from govflow.log.note import Note, VerifierKey
from govflow.log.witness import witnessed
from govflow.model.terms import exactly

if TYPE_CHECKING:
    from govflow.log.memory import Log

__all__ = ["FORMAT", "Bundle"]

#: The ``format`` member of a bundle's text.
FORMAT = "govflow-bundle/1"


def _tree(log: Iterable[Entry], size: int) -> Tree:
    """The log's Merkle tree: the one it keeps (an AuditLog, a store), or one built."""
    kept = getattr(log, "tree", None)  # O(log n) nodes read for a proof
    return kept() if callable(kept) else Tree.of(e.hash for e in islice(log, size))


def _entry(log: Iterable[Entry], seq: int) -> Entry:
    """Entry ``seq``: by index where the log has one (a store reads that row alone)."""
    at = getattr(log, "__getitem__", None)
    entry = at(seq) if callable(at) else next(islice(log, seq, None))
    if type(entry) is not Entry:
        raise _refused("log", "a log of Entry records", entry)
    return entry


def _refused(field: str, expected: str, received: object) -> InvalidRecord:
    return InvalidRecord("Bundle", field, expected, received)


def _proof(value: object) -> tuple[bytes, ...]:
    """An attrs converter: a list of 32-byte hashes as a tuple."""
    if not isinstance(value, list | tuple) or any(
        type(h) is not bytes or len(h) != len(EMPTY_ROOT) for h in value
    ):
        raise _refused("proof", "a list of 32-byte hashes", value)
    return tuple(value)


@attrs.frozen
class Bundle:
    """An entry, its inclusion proof, and the signed checkpoint the proof leads to.

    Attributes:
        entry: The log entry (its ``seq`` is its leaf's index).
        proof: The node hashes from its leaf to the checkpoint's root.
        checkpoint: The checkpoint, a :class:`TreeHead` text signed by the log and
            perhaps co-signed by witnesses.
    """

    entry: Entry = attrs.field(validator=exactly(Entry, "an Entry"))
    proof: tuple[bytes, ...] = attrs.field(converter=_proof)
    checkpoint: Note = attrs.field(validator=exactly(Note, "a signed Note"))

    @classmethod
    def of(cls, log: Log | Sequence[Entry], seq: int, checkpoint: Note) -> Bundle:
        """The bundle of entry ``seq`` of ``log``, under ``checkpoint``.

        From a store or an :class:`~govflow.AuditLog`, the proof is read from the
        Merkle tree the log keeps: O(log n) nodes, and one entry read, whatever the
        log's size. From a plain sequence of entries, the tree is built first.

        Raises:
            ProofError: The checkpoint does not cover the entry, its root is not the
                root of the log's entries at its size, its head is not the hash of the
                log's entry before that size, or the entry's content does not hash to its
                hash (altered at rest).
            InvalidRecord: The checkpoint's text is not a tree head.
        """
        if not isinstance(checkpoint, Note):
            raise _refused("checkpoint", "a signed Note", checkpoint)
        entries = isinstance(log, list | tuple) and all(type(e) is Entry for e in log)
        if not (entries or callable(getattr(log, "tree", None))):  # a store or an AuditLog
            raise _refused("log", "a log of Entry records", log)
        head = TreeHead.parse(checkpoint.text)
        if not any(s.name == head.origin for s in checkpoint.signatures):
            raise ProofError(f"the checkpoint bears no signature by its log, {head.origin}")
        tree = _tree(log, head.size)
        if head.size > len(tree):
            raise ProofError(
                f"the log has {len(tree)} entries, fewer than the {head.size} the checkpoint "
                "signs: it was cut short, or is another log"
            )
        if type(seq) is not int or not 0 <= seq < head.size:
            raise ProofError(
                f"entry {shown(seq)} is not in the log of {head.size} the checkpoint signs"
            )
        if tree.root(head.size).hex() != head.root:
            raise ProofError(
                f"the log's first {head.size} entries do not have the checkpoint's root: the "
                "log is not the one the checkpoint was taken of"
            )
        last = _entry(log, head.size - 1)  # the head the checkpoint names is that entry's
        if last.hash != head.head:
            raise ProofError(
                f"the checkpoint's head {head.head[:16]}... is not the hash of the log's entry "
                f"{head.size - 1} ({last.hash[:16]}...): the log did not sign this log's head"
            )
        entry = _entry(log, seq)
        if recompute_hash(entry) != entry.hash or entry.seq != seq:
            raise ProofError(f"entry {seq}'s content does not hash to its hash: altered at rest")
        proof = tree.inclusion_proof(seq, head.size)
        root = bytes.fromhex(head.root)
        verify_inclusion(seq, head.size, leaf_hash(bytes.fromhex(entry.hash)), proof, root)
        return cls(entry, tuple(proof), checkpoint)

    def verify(
        self,
        log_key: VerifierKey,
        witnesses: Iterable[VerifierKey] = (),
        at_least: int | None = None,
    ) -> TreeHead:
        """Check the bundle; return the checkpoint's tree head.

        Args:
            log_key: The log's verifier key.
            witnesses: The witnesses' verifier keys whose co-signatures are required.
            at_least: How many of them (all by default).

        Raises:
            NoteError: The log's signature is missing or does not verify.
            WitnessRefused: Fewer witnesses co-signed than required, a witness key is
                the log's own, or ``at_least`` is given with no witness keys.
            ProofError: The log's key signed a note that is not a checkpoint, or one of
                another log (its origin is not the log key's name), the entry's content
                does not hash to its hash, or the proof does not lead from it to the
                checkpoint's root.
        """
        if not isinstance(log_key, VerifierKey):
            raise _refused("log key", "a VerifierKey", log_key)
        self.checkpoint.verified_by([log_key])
        if not isinstance(witnesses, Iterable) or isinstance(witnesses, str | bytes):
            raise _refused("witnesses", "a list of VerifierKey", witnesses)
        try:  # signed by the log's key, but perhaps some other note
            head = TreeHead.parse(self.checkpoint.text)
        except InvalidRecord as error:
            raise ProofError(f"the note is not a checkpoint: {error.fault}") from None
        keys = list(witnesses)
        if keys:
            count = len(keys) if at_least is None else at_least
            witnessed(self.checkpoint, keys, count, log_key=log_key)
        elif at_least is not None:  # a requirement with nothing to count it by
            raise WitnessRefused(
                f"at_least counts witness keys, and none is given; got {shown(at_least)}"
            )
        if head.origin != log_key.name:
            raise ProofError(
                f"the checkpoint is of the log {head.origin!r}, not of {log_key.name!r}"
            )
        if recompute_hash(self.entry) != self.entry.hash:
            raise ProofError(f"entry {self.entry.seq}'s content does not hash to its hash")
        leaf = leaf_hash(bytes.fromhex(self.entry.hash))
        verify_inclusion(self.entry.seq, head.size, leaf, self.proof, bytes.fromhex(head.root))
        return head

    def to_json(self) -> str:
        """The bundle's text form (one JSON object)."""
        proof = [base64.b64encode(node).decode() for node in self.proof]
        data = {
            "format": FORMAT,
            "entry": entry_text(self.entry),
            "proof": proof,
            "checkpoint": str(self.checkpoint),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Bundle:
        """Read a bundle's text form; nothing is verified yet (see :meth:`verify`).

        Raises:
            InvalidRecord: The text is not a bundle; the error names the member.
            NoteError: Its checkpoint is not a signed note.
        """
        try:
            data = parse(text)
        except (TypeError, ValueError, RecursionError):
            wanted = unparsed(text) if isinstance(text, str | bytes) else "a JSON text"
            raise _refused("(text)", wanted, text) from None
        if not isinstance(data, dict):
            raise _refused("(text)", "a JSON object", data)
        if data.get("format") != FORMAT:
            raise _refused("format", repr(FORMAT), data.get("format"))
        if set(data) != {"format", "entry", "proof", "checkpoint"}:
            raise _refused("(members)", "format, entry, proof, checkpoint", sorted(data))
        entry_data = data["entry"]
        try:
            parsed = json.loads(entry_data)
        except (TypeError, ValueError, RecursionError):
            raise _refused("entry", "an entry's canonical JSON", str(entry_data)[:80]) from None
        entry = entry_from_dict(parsed)  # InvalidRecord names the entry's field
        if entry_text(entry) != entry_data:  # what is shown is exactly what was hashed
            raise _refused("entry", "the entry's canonical JSON", str(entry_data)[:80])
        proof = data["proof"]
        if not isinstance(proof, list) or not all(isinstance(p, str) for p in proof):
            raise _refused("proof", "a list of base64 hashes", proof)
        decoded = [from_base64(p) for p in proof]
        if None in decoded:
            raise _refused("proof", "a list of base64 hashes, as an encoder writes them", proof)
        nodes = tuple(node for node in decoded if node is not None)
        if any(len(node) != 32 for node in nodes):  # noqa: PLR2004 - SHA-256
            raise _refused("proof", "32-byte hashes", proof)
        if not isinstance(data["checkpoint"], str):
            raise _refused("checkpoint", "a signed note", data["checkpoint"])
        return cls(entry, nodes, Note.parse(data["checkpoint"]))
