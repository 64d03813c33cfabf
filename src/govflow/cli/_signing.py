"""Keys and signed checkpoints on the command line.

``key`` makes a key pair, ``checkpoint --sign`` prints a signed tree head, and
:func:`checkpoints` reads what ``verify --checkpoint`` is given: one JSON object a
line, or a signed note.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TextIO

from govflow.cli._open import Unreadable, open_log
from govflow.errors import InvalidRecord, NoteError, WitnessRefused
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.merkle import Tree
from govflow.log.note import Note, SignerKey, VerifierKey
from govflow.log.witness import Seen, cosign, witnessed
from govflow.stores import Store


def _read(path: Path, what: str) -> str:
    if not path.is_file():  # a FIFO or a device would be read for ever
        raise Unreadable(f"the {what} {path} is not a file")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Unreadable(f"cannot read the {what} {path}: {error}") from None


def key(name: str, prefix: Path, out: TextIO) -> int:
    """Write a new key pair; print the verifier key.

    The signer key goes to ``PREFIX.key``, readable by its owner only; the verifier
    key to ``PREFIX.pub``. Neither file may exist already.
    """
    private, public = prefix.with_name(prefix.name + ".key"), prefix.with_name(prefix.name + ".pub")
    for path in (private, public):
        if path.exists():
            raise Unreadable(f"{path} exists already; a key is never overwritten")
    signer = SignerKey.generate(name)
    try:
        descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(f"{signer}\n")
        public.write_text(f"{signer.verifier}\n", encoding="utf-8")
    except OSError as error:
        raise Unreadable(f"cannot write the key: {error}") from None
    out.write(f"{signer.verifier}\n")
    return 0


def signed_checkpoint(
    url: str, key_file: Path, out: TextIO, *, origin: str | None, date: dt.date
) -> int:
    """Print the log's tree head as a note signed with the key in ``key_file``."""
    signer = SignerKey.parse(_read(key_file, "key file"))
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        # A partner signs only a log that verifies: its signature vouches for every entry.
        verification = store.verify()
        if not verification.ok:
            raise Unreadable(f"the log does not verify, so it is not signed: {verification}")
        hashes = [entry.hash for entry in store][: verification.count]
        head = verification.head
    tree_head = TreeHead.of(hashes, head, origin or signer.name, date)
    out.write(str(Note(tree_head.text()).signed(signer)))
    return 0


def checkpoints(
    path: Path | None,
    key_files: list[Path],
    witness_files: list[Path] = [],  # noqa: B006 - never changed
    quorum: int | None = None,
) -> tuple[list[Checkpoint], list[TreeHead]]:
    """The checkpoints in ``path``: JSON lines, or one signed tree head checked with the keys.

    A signed one must also bear the signatures of ``quorum`` of the witnesses (all of
    them by default) when witness keys are given.

    Raises:
        Unreadable: The file cannot be read, holds no checkpoint, or a signed one does
            not verify with any of the keys.
    """
    if path is None:
        if key_files or witness_files:
            raise Unreadable(
                "--key and --witness check a signed checkpoint; give it with --checkpoint"
            )
        return [], []
    text = _read(path, "checkpoint")
    if not text.strip():
        raise Unreadable(f"the checkpoint file {path} holds no checkpoint")
    if text.lstrip().startswith("{"):
        if key_files or witness_files:
            raise Unreadable(f"{path} holds unsigned checkpoints; --key is for signed ones")
        try:
            found = [Checkpoint.from_json(line) for line in text.splitlines() if line.strip()]
        except InvalidRecord as error:
            raise Unreadable(f"cannot read the checkpoint {path}: {error}") from None
        return found, []
    if not key_files:
        raise Unreadable(f"{path} holds a signed checkpoint; give the signer's key with --key")
    try:
        keys = [VerifierKey.parse(_read(k, "key file")) for k in key_files]
        witnesses = [VerifierKey.parse(_read(w, "witness key file")) for w in witness_files]
        note = Note.parse(text)
        note.verified_by(keys)
        tree_head = TreeHead.parse(note.text)
        if witnesses:
            witnessed(note, witnesses, len(witnesses) if quorum is None else quorum)
    except (NoteError, InvalidRecord, WitnessRefused) as error:
        raise Unreadable(f"the checkpoint {path} does not verify: {error}") from None
    return [tree_head.checkpoint], [tree_head]


def witness(
    url: str,
    checkpoint_file: Path,
    out: TextIO,
    *,
    log_key_file: Path,
    key_file: Path,
    state_file: Path,
) -> int:
    """Co-sign the checkpoint if it extends the last this witness signed; print the note.

    The consistency proof is taken from the log at ``url``: it is checked against the
    root the state file remembers, so the log's store need not be trusted. The state
    file is created if missing and updated only once the checkpoint is co-signed.
    """
    try:
        note = Note.parse(_read(checkpoint_file, "checkpoint"))
        log_key = VerifierKey.parse(_read(log_key_file, "log key file"))
        key = SignerKey.parse(_read(key_file, "key file"))
        head = TreeHead.parse(note.text)
    except (NoteError, InvalidRecord) as error:
        raise Unreadable(str(error)) from None
    try:
        state = Seen.load(_read(state_file, "state file")) if state_file.exists() else {}
    except InvalidRecord as error:
        raise Unreadable(f"cannot read the state file {state_file}: {error}") from None
    seen = state.get(head.origin)
    proof: list[bytes] = []
    if seen is not None and 0 < seen.size < head.size:
        with open_log(url, read_only=True) as store:
            hashes = [entry.hash for entry in store][: head.size]
        if len(hashes) < head.size:
            raise WitnessRefused(
                f"the log at {url} has {len(hashes)} entries, fewer than the checkpoint's "
                f"{head.size}: it cannot prove the checkpoint extends the last one signed"
            )
        proof = Tree.of(hashes).consistency_proof(seen.size, head.size)
    cosigned, now = cosign(note, log_key, key, seen, proof)
    written = state_file.with_name(state_file.name + ".new")
    try:
        written.write_text(Seen.dump({**state, head.origin: now}), encoding="utf-8")
        written.replace(state_file)
    except OSError as error:
        raise Unreadable(f"cannot write the state file {state_file}: {error}") from None
    out.write(str(cosigned))
    return 0
