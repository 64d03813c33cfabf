"""Witnesses: partners who co-sign a log's checkpoint only if it extends the last they signed.

A joint body's partners each keep their own key and a small state: for each log they
witness (by origin), the size and Merkle root of the last checkpoint they co-signed.
Given a new checkpoint signed by the log, a witness checks the log's signature, then a
consistency proof from its remembered tree to the new one (RFC 9162), and only then
adds its own signature. A checkpoint of a rewritten or forked history has no such
proof, and one smaller than the last is a rollback: both are refused, so a history
rewritten after any partner witnessed it is caught by that partner.

The proof may come from anywhere (the log's own store, say): it is checked against the
root the witness remembers, so an untrusted source cannot make a fork pass. A witness
signs with an ordinary Ed25519 note signature over the checkpoint text; a verifier
requiring ``k`` of ``n`` witnesses counts the witness keys whose signatures verify
(:func:`witnessed`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from govflow.canonical import DIGEST, members, unparsed
from govflow.errors import InvalidRecord, NoteError, ProofError, WitnessRefused, shown
from govflow.log.checkpoint import TreeHead, digest, written_day
from govflow.log.keys import KEY_NAME
from govflow.log.merkle import EMPTY_ROOT, verify_consistency
from govflow.log.note import MOST_SIGNATURES, Note, SignerKey, VerifierKey
from govflow.model.terms import whole

__all__ = ["Seen", "WitnessRefused", "cosign", "verified_head", "witness_key", "witnessed"]

#: The first member of a state file that names its witness's key.
STATE_FORMAT = "govflow-witness/2"


def _day(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and type(value) is not dt.date:
        raise InvalidRecord("Seen", "date", "None or a datetime.date", value)


@attrs.frozen
class Seen:
    """What a witness remembers of one log: the last checkpoint it co-signed.

    Attributes:
        size: Its size.
        root: Its Merkle root, in hex.
        date: The day it records (``None`` in a state written before days were kept).
    """

    size: int = attrs.field(validator=whole(0))
    root: str = attrs.field(validator=digest)
    date: dt.date | None = attrs.field(default=None, validator=_day)

    def __attrs_post_init__(self) -> None:
        _empty("Seen", "root", self.size, self.root)

    @staticmethod
    def load(text: str, key: VerifierKey | None = None) -> dict[str, Seen]:
        """A witness's state file: for each origin, the last checkpoint co-signed.

        ``key``, the witness's own verifier key, refuses a state that names another's
        (each witness keeps its own, as ``govflow witness`` checks), and one that holds
        checkpoints and names no key (``Seen.dump(state)`` without one).

        Raises:
            InvalidRecord: The text is not such a state, it is another key's, or ``key``
                is not a VerifierKey.
        """
        if not isinstance(text, str):
            raise InvalidRecord("witness state", "(text)", "a text", text)
        if key is not None and type(key) is not VerifierKey:
            raise InvalidRecord("witness state", "key", "None or a VerifierKey", key)
        if not text.strip():  # a state cut to nothing would forget every signature given
            raise InvalidRecord(
                "witness state", "(text)", 'a JSON object ("{}" for a witness yet to sign)', text
            )
        try:
            data = json.loads(text, object_pairs_hook=members)  # an origin twice: which?
        except (ValueError, RecursionError):  # where it breaks, said: a file edited by hand
            raise InvalidRecord("witness state", "(text)", unparsed(text), text[:80]) from None
        if not isinstance(data, dict):
            raise InvalidRecord("witness state", "(text)", "a JSON object", data)
        if "format" in data:  # one naming its witness's key
            if data.get("format") != STATE_FORMAT or set(data) != {"format", "key", "logs"}:
                expected = f'{{"format": "{STATE_FORMAT}", "key": ..., "logs": {{...}}}}'
                raise InvalidRecord("witness state", "(text)", expected, sorted(data))
            if not isinstance(data["logs"], dict):
                raise InvalidRecord("witness state", "logs", "an object of logs", data["logs"])
            try:
                named = VerifierKey.parse(data["key"])
            except NoteError as error:
                said = "a verifier key's text"
                raise InvalidRecord("witness state", "key", said, str(error)) from None
            if key is not None and named != key:  # another witness's state
                said = f"the key of this witness, {key.name} ({key.id:08x}): each keeps its own"
                raise InvalidRecord("witness state", "key", said, data["key"])
            data = data["logs"]
        elif key is not None and data:  # whose it is cannot be told: any witness could take it
            said = f'{{"format": "{STATE_FORMAT}", "key": ..., "logs": {{...}}}}, naming its key'
            raise InvalidRecord("witness state", "(text)", said, sorted(data))
        return {origin: _seen(origin, seen) for origin, seen in data.items()}

    @staticmethod
    def dump(state: Mapping[str, Seen], key: VerifierKey | None = None) -> str:
        """The state as the JSON text :meth:`load` reads, naming the witness's ``key`` if given.

        Raises:
            InvalidRecord: ``state`` does not map origins (texts) to ``Seen`` records.
        """
        if not isinstance(state, Mapping) or any(
            type(o) is not str or type(s) is not Seen for o, s in state.items()
        ):
            raise InvalidRecord("witness state", "(state)", "origins mapped to Seen", state)
        if key is not None and type(key) is not VerifierKey:
            raise InvalidRecord("witness state", "key", "None or a VerifierKey", key)
        data: dict[str, object] = {
            o: {"size": s.size, "root": s.root}
            | ({} if s.date is None else {"date": s.date.isoformat()})
            for o, s in sorted(state.items())
        }
        if key is not None:
            data = {"format": STATE_FORMAT, "key": str(key), "logs": data}
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _empty(record: str, field: str, size: int, root: str) -> None:
    if size == 0 and root != EMPTY_ROOT.hex():  # a reset, not a state: a fork would pass
        raise InvalidRecord(
            record, field, f"the empty tree's root for a size of 0, {EMPTY_ROOT.hex()}", root
        )


def _seen(origin: str, seen: object) -> Seen:
    """One log's entry of a state file, checked."""
    expected = (
        '{"size": a whole number, "root": 64 lower-case hex digits, and a "date", YYYY-MM-DD, '
        "in a state that keeps days}"
    )
    if KEY_NAME.fullmatch(origin) is None:  # a checkpoint's origin is its log key's name
        wanted = "a log's name: not empty; no spaces, '+', control characters or lone surrogates"
        raise InvalidRecord("witness state", "(origin)", wanted, origin)
    if (
        not isinstance(seen, dict)
        or not {"size", "root"} <= set(seen) <= {"size", "root", "date"}
        or type(seen["size"]) is not int
        or seen["size"] < 0
        or not isinstance(seen["root"], str)
        or DIGEST.fullmatch(seen["root"]) is None
        or seen["size"] >= 1 << 63
    ):
        raise InvalidRecord("witness state", origin, expected, seen)
    _empty("witness state", f"{origin}.root", seen["size"], seen["root"])
    date = written_day(seen["date"]) if "date" in seen else None  # left out before days were kept
    if "date" in seen and date is None:  # never null: that would read as a state without days
        raise InvalidRecord("witness state", f"{origin}.date", "a day, YYYY-MM-DD", seen["date"])
    return Seen(seen["size"], seen["root"], date)


def witness_key(text: str) -> str | None:
    """The witness key a state file's text names (its text form); ``None`` for one naming none.

    Raises:
        InvalidRecord: The text is not a witness state (see :meth:`Seen.load`).
    """
    Seen.load(text)
    data = json.loads(text)  # read once already, by Seen.load
    return data["key"] if "format" in data else None


def cosign(
    note: Note,
    log_key: VerifierKey,
    key: SignerKey,
    seen: Seen | None,
    proof: Sequence[bytes],
    *,
    today: dt.date | None = None,
) -> tuple[Note, Seen]:
    """The note with the witness's signature added, and what the witness now remembers.

    Args:
        note: A checkpoint (a :class:`TreeHead` text) signed by the log.
        log_key: The log's verifier key.
        key: The witness's signer key.
        seen: The last checkpoint of this log the witness co-signed; ``None`` for the first.
        proof: A consistency proof from ``seen`` to the note's tree (empty for the first,
            or for the same size).
        today: The witness's day (passed in: nothing here reads a clock): a checkpoint
            dated more than a day after it is refused. ``None`` checks no such bound.

    Raises:
        WitnessRefused: The log did not sign it, it is not a checkpoint, it does not
            extend what the witness signed before (a rollback or a fork), or its date is
            earlier than that one's or later than the day after ``today``; nothing is signed.
    """
    head = signable(note, log_key, key, today=today)
    if seen is not None:
        _typed(seen, Seen, "what the witness signed before", "a Seen or None")
    if not isinstance(proof, list | tuple) or any(type(h) is not bytes for h in proof):
        raise WitnessRefused(f"the proof must be a list of hashes (bytes); got {shown(proof)}")
    if seen is not None and seen.date is not None and head.date < seen.date:
        raise WitnessRefused(
            f"the checkpoint is dated {head.date.isoformat()}, before the one of "
            f"{seen.date.isoformat()} this witness signed: a log's days do not go back"
        )
    if seen is not None:
        if head.size < seen.size:
            raise WitnessRefused(
                f"a rollback: the checkpoint has {head.size} entries, but this witness "
                f"signed one of {seen.size}"
            )
        try:
            _extends(seen, head, proof)
        except ProofError as error:
            raise WitnessRefused(
                f"a fork: the checkpoint of {head.size} entries does not extend the one of "
                f"{seen.size} this witness signed ({error})"
            ) from None
    return note.signed(key), Seen(head.size, head.root, head.date)


def signable(
    note: Note, log_key: VerifierKey, key: SignerKey, *, today: dt.date | None = None
) -> TreeHead:
    """The checkpoint ``note`` holds, once shown to be one this witness may co-sign.

    What :func:`cosign` checks before it looks at what the witness signed before: a
    caller checks this first to refuse a note without touching the witness's state.

    Raises:
        WitnessRefused: The witness key is the log's, the log did not sign the note, it
            is not a checkpoint of that log, or it is dated after the day after ``today``.
    """
    _typed(note, Note, "the checkpoint", "a Note")
    _typed(log_key, VerifierKey, "the log key", "a VerifierKey")
    _typed(key, SignerKey, "the witness key", "a SignerKey")
    if key.verifier.public == log_key.public:
        raise WitnessRefused("the witness key is the log's own key: a log cannot witness itself")
    others = [s for s in note.signatures if (s.name, s.id) != (key.name, key.verifier.id)]
    if len(others) >= MOST_SIGNATURES:
        raise WitnessRefused(
            f"the checkpoint holds {len(others)} signatures already: with one more, no "
            f"reader would take it (a note holds at most {MOST_SIGNATURES})"
        )
    try:
        note.verified_by([log_key])
        head = TreeHead.parse(note.text)
    except (NoteError, InvalidRecord) as error:
        said = error.fault if isinstance(error, InvalidRecord) else error
        raise WitnessRefused(f"the checkpoint is not the log's: {said}") from None
    if head.origin != log_key.name:
        raise WitnessRefused(
            f"the checkpoint's origin {head.origin!r} is not the log key's name {log_key.name!r}"
        )
    if today is not None and type(today) is not dt.date:
        raise WitnessRefused(f"today must be a datetime.date or None; got {shown(today)}")
    if today is not None and head.date - today > dt.timedelta(days=1):  # date.max: no overflow
        raise WitnessRefused(
            f"the checkpoint is dated {head.date.isoformat()}, after this witness's day "
            f"({today.isoformat()}): a witness vouches only for a day that has come"
        )
    return head


def _typed(value: object, kind: type, what: str, expected: str) -> None:
    if not isinstance(value, kind):
        raise WitnessRefused(f"{what} must be {expected}; got {type(value).__name__}")


def _extends(seen: Seen, head: TreeHead, proof: Sequence[bytes]) -> None:
    """Raise :class:`ProofError` unless ``head``'s tree extends ``seen``'s."""
    if head.size == seen.size:
        if head.root != seen.root:
            raise ProofError("the same size with another root")
    elif seen.size > 0:  # every tree extends the empty one
        first, second = bytes.fromhex(seen.root), bytes.fromhex(head.root)
        verify_consistency(seen.size, head.size, first, second, proof)


def witnessed(
    note: Note,
    witnesses: Iterable[VerifierKey],
    at_least: int,
    *,
    log_key: VerifierKey | None = None,
) -> tuple[str, ...]:
    """The names of the witnesses whose signatures on the note verify; at least ``at_least``.

    Each witness key counts once, however it is named: two keys of one name are two
    witnesses (their names then followed by their keys' ids), and one key under two
    names is refused.

    Args:
        note: The checkpoint, signed by its log and co-signed by witnesses.
        witnesses: The witnesses' verifier keys.
        at_least: How many of them must have co-signed (from 1 to their number).
        log_key: The log's verifier key: no witness key may be it, whatever its name.

    Raises:
        WitnessRefused: Fewer witnesses signed it than required, a witness's signature
            does not verify, or a witness key is the log's own.
    """
    _typed(note, Note, "the checkpoint", "a Note")
    keys = list(witnesses) if isinstance(witnesses, Iterable) else [witnesses]
    for key in keys:
        _typed(key, VerifierKey, "a witness key", "a VerifierKey")
    if log_key is not None:
        _typed(log_key, VerifierKey, "the log key", "a VerifierKey or None")
        for key in keys:
            if key.public == log_key.public:
                raise WitnessRefused(
                    f"the witness key {key.name} is the log's own key ({log_key.name}): "
                    "a log cannot witness itself"
                )
    if len({k.public for k in keys}) != len(keys):
        raise WitnessRefused("a witness key is given more than once")
    if type(at_least) is not int or not 0 < at_least <= len(keys):
        raise WitnessRefused(
            f"the witnesses required must be a whole number from 1 to {len(keys)} "
            f"(the witness keys given); got {shown(at_least)}"
        )
    try:
        origin = TreeHead.parse(note.text).origin
    except InvalidRecord as error:
        raise WitnessRefused(f"the note is not a checkpoint: {error.fault}") from None
    if any(k.name == origin for k in keys):
        raise WitnessRefused(f"the log's own key ({origin}) is not a witness")
    known = {(k.name, k.id) for k in keys}
    try:
        signed = any((s.name, s.id) in known for s in note.signatures)
        found = note.verifying(keys) if signed else ()
    except NoteError as error:
        raise WitnessRefused(str(error)) from None
    named = [k.name for k in found]  # a name two keys share is told apart by key id
    names = tuple(
        n if named.count(n) == 1 else f"{n} (key {k.id:08x})"
        for n, k in zip(named, found, strict=True)
    )
    if len(found) < at_least:
        raise WitnessRefused(
            f"{len(found)} of the {len(keys)} witnesses signed the checkpoint "
            f"({', '.join(names) or 'none'}); {at_least} "
            + ("is required" if at_least == 1 else "are required")
        )
    return names


def verified_head(
    note: Note | str,
    log_keys: VerifierKey | Iterable[VerifierKey],
    witnesses: Iterable[VerifierKey] = (),
    quorum: int | None = None,
) -> tuple[TreeHead, tuple[str, ...]]:
    """The tree head a signed checkpoint records, once its signatures are checked.

    Give it to a log's ``verify`` (or :func:`govflow.log.verify`) to check the log
    against it: its count and head, and its Merkle root.

    Args:
        note: The signed checkpoint, a :class:`~govflow.log.note.Note` or its text.
        log_keys: The log's verifier key (or keys, one of them the log's): its
            signature must verify, and its name be the checkpoint's origin.
        witnesses: The witnesses' verifier keys, whose co-signatures are required.
        quorum: How many of the witnesses must have co-signed; all of them by default.

    Returns:
        The tree head, and the names of the witnesses whose co-signatures verify.

    Raises:
        NoteError: The note is malformed, or not signed by the log's key.
        InvalidRecord: The note is not a checkpoint.
        WitnessRefused: Fewer than ``quorum`` witnesses co-signed it, or a witness key is
            the log's own.
    """
    note = Note.parse(note) if isinstance(note, str) else note
    _typed(note, Note, "the checkpoint", "a Note or its text")
    keys = [log_keys] if isinstance(log_keys, VerifierKey) else log_keys
    verifying = note.verifying(keys)  # NoteError for keys that are not VerifierKeys
    signers = tuple(dict.fromkeys(key.name for key in verifying))
    tree_head = TreeHead.parse(note.text)
    if tree_head.origin not in signers:  # a witness's key does not vouch for the log
        raise NoteError(
            f"the checkpoint is of the log {tree_head.origin!r}, and the keys given verify "
            f"only the signature of {', '.join(signers)}: give the log's own key"
        )
    others = list(witnesses) if isinstance(witnesses, Iterable) else [witnesses]
    if not others:
        if quorum is not None:
            raise WitnessRefused("a quorum counts witness keys; give them")
        return tree_head, ()
    log_key = next(k for k in verifying if k.name == tree_head.origin)
    count = len(others) if quorum is None else quorum
    return tree_head, witnessed(note, others, count, log_key=log_key)
