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
from govflow.errors import InvalidRecord, NoteError
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.note import Note, SignerKey, VerifierKey
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
    path: Path | None, key_files: list[Path]
) -> tuple[list[Checkpoint], list[TreeHead]]:
    """The checkpoints in ``path``: JSON lines, or one signed tree head checked with the keys.

    Raises:
        Unreadable: The file cannot be read, holds no checkpoint, or a signed one does
            not verify with any of the keys.
    """
    if path is None:
        if key_files:
            raise Unreadable("--key checks a signed checkpoint; give it with --checkpoint")
        return [], []
    text = _read(path, "checkpoint")
    if not text.strip():
        raise Unreadable(f"the checkpoint file {path} holds no checkpoint")
    if text.lstrip().startswith("{"):
        if key_files:
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
        note = Note.parse(text)
        note.verified_by(keys)
        tree_head = TreeHead.parse(note.text)
    except (NoteError, InvalidRecord) as error:
        raise Unreadable(f"the checkpoint {path} does not verify: {error}") from None
    return [tree_head.checkpoint], [tree_head]
