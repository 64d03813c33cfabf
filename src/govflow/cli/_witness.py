"""What partners run on the command line: ``witness``, ``bundle`` and ``verify-bundle``.

A witness's state file is read, checked against and written under an exclusive lock on
``STATE.lock`` beside it: two runs of one witness at once would each see the state
before the other's signature, and could co-sign two forks of one size between them.
When a proof from the nodes a store keeps fails, the nodes are made again from its
entries: if those give the proof, the kept nodes were altered, and the message says
so rather than blaming the log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from govflow.cli._open import (
    Options,
    counted,
    note_in,
    open_log,
    read,
    replace_whole,
    signer,
    verifier,
)
from govflow.cli._roots import remedy_of, shown_url
from govflow.errors import (
    InvalidRecord,
    NotALog,
    NoteError,
    ProofError,
    Unreadable,
    WitnessRefused,
    shown,
)
from govflow.log.bundle import Bundle
from govflow.log.checkpoint import TreeHead
from govflow.log.entry import genesis
from govflow.log.merkle import Tree, verify_consistency
from govflow.log.note import VerifierKey
from govflow.log.witness import Seen, cosign, signable, witness_key
from govflow.stores import Store
from govflow.stores._paths import seconds, taken


def _altered(store: Store, url: str) -> Unreadable:
    return Unreadable(
        f"the Merkle nodes kept with the log at {url} are not its entries' (altered at "
        f"rest?): `govflow verify {url}` names the first; {remedy_of(url)} to have them "
        "made again"
    )


def _blame_nodes(store: Store, url: str, failed: Callable[[Tree], bool]) -> None:
    """Raise :class:`Unreadable` if the tree made from the entries passes where the kept failed."""
    if not failed(store.tree(rebuild=True)):
        raise _altered(store, url)


@contextlib.contextmanager
def _held(state_file: Path) -> Iterator[None]:
    """An exclusive lock on ``STATE.lock`` for the witness's read, check and write."""
    lock = state_file.with_name(state_file.name + ".lock")
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise Unreadable(f"cannot lock the state file {state_file}: {error}") from None
    try:
        if not taken(descriptor, seconds("witness", Options.lock_timeout)):
            raise Unreadable(
                f"another run of this witness holds {lock} (waited "
                f"{Options.lock_timeout:g} s; --lock-timeout sets how long)"
            )
        yield
    finally:
        os.close(descriptor)  # closing lets the lock go


def _kept_tree(store: Store, url: str) -> Tree:
    """The log's tree from the nodes kept; a kept node missing is said as nodes altered.

    A node missing, or not 32 bytes, raises as the store being no log; if the tree made
    from the entries can be read, the nodes are what is wrong, and the message says so.
    """
    try:
        tree = store.tree()
        tree.root()  # its peaks read now: a missing one is found here, not mid-proof
    except NotALog:
        store.tree(rebuild=True).root()  # the entries' own: raises if they cannot be read
        raise _altered(store, url) from None
    return tree


def _proof(store: Store, url: str, head: TreeHead, seen: Seen | None) -> list[bytes]:
    """The consistency proof from ``seen`` to ``head``, once the log is shown to be head's."""
    tree = _kept_tree(store, url)  # O(log n) nodes read for the root and the proof
    if len(tree) < head.size:
        raise WitnessRefused(
            f"the log at {url} has {len(tree)} entries, fewer than the checkpoint's "
            f"{head.size}: it cannot show the checkpoint is of it"
        )
    if tree.root(head.size).hex() != head.root:  # the proof would blame the checkpoint
        _blame_nodes(store, url, lambda t: t.root(head.size).hex() != head.root)
        raise Unreadable(
            f"the log at {url} is not the one the checkpoint was taken of (its first "
            f"{head.size} entries have another root): give the log the checkpoint signs"
        )
    # The hash the checkpoint's last entry has (for none, the header's).
    chained = store[head.size - 1].hash if head.size else genesis(store.fingerprint, store.schema)
    if chained != head.head:
        last = f"entry {head.size - 1}" if head.size else "header"
        raise Unreadable(
            f"the checkpoint's head {head.head[:16]}... is not the hash of the log's {last} "
            f"at {url} ({chained[:16]}...): a witness signs only a checkpoint whose every "
            "line is the log's"
        )
    if seen is None or not 0 < seen.size < head.size:
        return []

    def fails(t: Tree) -> bool:
        first, second = bytes.fromhex(seen.root), bytes.fromhex(head.root)
        try:
            verify_consistency(seen.size, head.size, first, second, t.consistency_proof(*sizes))
        except ProofError:
            return True
        return False

    sizes = (seen.size, head.size)
    if fails(tree):  # a fork, unless the nodes kept are what is wrong
        _blame_nodes(store, url, fails)
    return tree.consistency_proof(*sizes)


def witness(
    url: str,
    checkpoint_file: Path,
    out: TextIO,
    *,
    log_key_file: Path,
    key_file: Path,
    state_file: Path,
    first: bool = False,
    today: dt.date,
) -> int:
    """Co-sign the checkpoint if it extends the last this witness signed; print the note.

    The consistency proof is taken from the log at ``url``: it is checked against the
    root the state file remembers, so the log's store need not be trusted; the log
    must hold the checkpoint's entries, with its root. The state file (the file a link
    names, if it is one) names the witness's key, and a log is added to it only when
    ``first`` says that this witness has signed nothing of it yet: a missing or reset
    state must not pass for one. It
    is updated once the checkpoint is co-signed, before the note is printed, all under a
    lock on ``STATE.lock``.
    """
    log_key, key = verifier(log_key_file, "log key file"), signer(key_file)
    note = note_in(checkpoint_file)
    head = signable(note, log_key, key, today=today)  # before the state is locked or read
    state_file = _real(state_file)
    with _held(state_file):
        state = _state(state_file, key.verifier, head.origin, first=first)
        seen = state.get(head.origin)
        with open_log(url, read_only=True) as store:
            if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
                raise Unreadable(f"{url} is not a stored log")
            proof = _proof(store, url, head, seen)
        cosigned, now = cosign(note, log_key, key, seen, proof, today=today)
        # The state first: a signature this witness gave must never be forgotten, or it
        # could later co-sign a fork of the same size. If the note then cannot be
        # written, the same checkpoint is co-signed again on the next run.
        try:
            replace_whole(
                state_file, Seen.dump({**state, head.origin: now}, key.verifier), durable=True
            )
        except OSError as error:
            raise Unreadable(f"cannot write the state file {state_file}: {error}") from None
    out.write(str(cosigned))
    return 0


def _real(state_file: Path) -> Path:
    """The state file a path names: through a link, so that it is locked and replaced itself."""
    real = Path(os.path.realpath(state_file))
    if not real.name or real.is_dir():
        raise Unreadable(f"the state file {state_file} is a folder: name a file")
    if real.exists() and not real.is_file():  # a pipe or a device: no lock is made for it
        raise Unreadable(f"the state file {state_file} is not a regular file: name a file")
    return real


def _state(state_file: Path, key: VerifierKey, origin: str, *, first: bool) -> dict[str, Seen]:
    """The witness's state, refused when another key's or naming none.

    Without ``first`` it must hold a checkpoint of the log ``origin``; with it, none.
    """
    try:
        text = read(state_file, "state file") if state_file.exists() else None
        state, owner = ({}, None) if text is None else (Seen.load(text), witness_key(text))
    except InvalidRecord as error:
        raise Unreadable(f"cannot read the state file {state_file}: {error}") from None
    if owner is not None and owner != str(key):
        raise Unreadable(
            f"the state file {state_file} is that of the witness key {owner.split('+')[0]} "
            f"({owner.split('+')[1]}), not of this key {key.name} ({key.id:08x}): each "
            "witness keeps its own"
        )
    if owner is None and state:  # any witness could take it for its own
        raise Unreadable(
            f"the state file {state_file} names no witness key: a state holding checkpoints "
            "names the key of the witness that signed them (as this command writes it)"
        )
    if first and origin in state:
        raise Unreadable(
            f"--first starts a witness of a log it has signed nothing of, and the state file "
            f"{state_file} holds what it signed of {origin}: leave --first out"
        )
    if not first and origin not in state:
        missing = (
            "does not exist"
            if text is None
            else f"holds no checkpoint of {origin} signed"
            + (f" (it holds those of {', '.join(sorted(state))})" if state else "")
        )
        raise Unreadable(
            f"the state file {state_file} {missing}: a witness must keep the last checkpoint "
            "it signed of each log, or it could sign a fork; give --first only for a "
            "log this witness has signed nothing of yet"
        )
    return state


def bundle(url: str, decision_id: str, checkpoint_file: Path, out: TextIO) -> int:
    """Print the offline bundle of the entry recording ``decision_id``.

    The proof is read from the Merkle nodes the store keeps (O(log n) of them); the
    log is not verified through: the bundle is checked where it is used, and an
    entry or a tree not of the checkpoint's log gives no bundle.
    """
    note = note_in(checkpoint_file)
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        seq = store.seq_of(decision_id)
        if seq is None:
            signed, count = TreeHead.parse(note.text).size, len(store)
            short = (
                f"; the log has {count} entries, fewer than the {signed} the checkpoint "
                "signs: it was cut short"
                if count < signed
                else ""
            )
            raise Unreadable(
                f"no entry of {url} records a decision {decision_id!r}, as the store's index "
                f"of decisions has it (`govflow verify {shown_url(url)}` checks the index)" + short
            )
        try:
            made = Bundle.of(store, seq, note)
        except NotALog:  # a kept node missing: the nodes, if the entries give the bundle
            try:
                Bundle.of(list(store), seq, note)
            except ProofError as error:
                raise Unreadable(str(error)) from None
            raise _altered(store, url) from None
        except ProofError as error:
            try:  # with the tree made from the entries themselves, in place of the kept
                Bundle.of(list(store), seq, note)
            except ProofError:
                raise Unreadable(str(error)) from None
            raise _altered(store, url) from None
        except InvalidRecord as error:
            raise Unreadable(str(error)) from None
        if made.entry.decision.id != decision_id:  # the store's index was altered
            raise Unreadable(
                f"the index of {url} gives entry {seq} for the decision {decision_id!r}, and "
                f"that entry records {made.entry.decision.id!r}: govflow verify names the "
                "altered row"
            )
    out.write(made.to_json())
    return 0


def verify_bundle(
    path: Path, key_file: Path, witness_files: list[Path], quorum: int | None, out: TextIO
) -> int:
    """Check a bundle with no access to the log; 0 when it holds, 1 when not, 2 unusable.

    A bundle that is not one (cut short, altered so that it no longer reads) is not
    proven (1); a file or key that cannot be read, and witness keys that cannot count
    (one given twice, or the log's own), exit 2.
    """
    log_key = verifier(key_file)
    witnesses = [verifier(w, "witness key file") for w in witness_files]
    counted(quorum, witness_files)
    _usable(log_key, witnesses, witness_files)
    text = read(path, "bundle")
    try:
        made = Bundle.from_json(text)
    except (NoteError, InvalidRecord) as error:  # a file's field: no record to create again
        said = (
            f"its {error.field.strip('()')} must be {error.expected}, not {shown(error.received)}"
            if isinstance(error, InvalidRecord)
            else str(error)
        )
        out.write(f"not proven: the bundle {path} does not read as one: {said}\n")
        return 1
    try:
        head = made.verify(log_key, witnesses, quorum)
    except NoteError as error:  # read, but its signatures do not hold
        out.write(f"not proven: the bundle's checkpoint is not signed as required: {error}\n")
        return 1
    except (WitnessRefused, ProofError) as error:
        out.write(f"not proven: {error}\n")
        return 1
    entry = made.entry
    others = [n for n in made.checkpoint.verified_by([log_key, *witnesses]) if n != head.origin]
    by = f"; co-signed by {', '.join(others)}" if others else ""  # as verify says it
    out.write(
        f"proven: entry {entry.seq} (decision {entry.decision.id!r} on body {entry.body!r}, "
        f"{entry.decision.kind.value}, {entry.decision.decided.iso}) is in the log "
        f"{head.origin} of {head.size} entries, root {head.root[:16]}, signed by "
        f"{head.origin}{by}\n"
    )
    return 0


def _usable(log_key: VerifierKey, witnesses: list[VerifierKey], files: list[Path]) -> None:
    """Refuse witness keys that cannot count: one given twice, or the log's own."""
    for where, key in zip(files, witnesses, strict=True):
        if key.public == log_key.public:
            raise Unreadable(f"the witness key {where} is the log's own key: it is not a witness")
        if key.name == log_key.name:
            raise Unreadable(
                f"the witness key {where} has the log's name, {key.name}: name it apart"
            )
    if len({k.public for k in witnesses}) != len(witnesses):
        raise Unreadable("a witness key is given more than once")
