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

from govflow.cli._open import (
    counted,
    intact_entries,
    names_no_file,
    one_note,
    open_log,
    read,
    signer,
    verifier,
)
from govflow.cli._roots import remedy_of
from govflow.errors import InvalidRecord, NoteError, Unreadable, WitnessRefused
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.keys import prints
from govflow.log.note import Note, SignerKey
from govflow.log.problem import problem_line
from govflow.log.roots import KeptNodes
from govflow.log.witness import verified_head
from govflow.stores import Store


def key(name: str, given: str, out: TextIO) -> int:
    """Write a new key pair; print the verifier key.

    The signer key goes to ``PREFIX.key``, readable by its owner only; the verifier
    key to ``PREFIX.pub``. Neither file may exist already.
    """
    if names_no_file(given):
        raise Unreadable(f"{given!r} names no file; give a prefix such as keys/lga")
    prefix = Path(given)
    if not prints(name):  # every partner prints it: no control or bidirectional marks
        raise Unreadable(f"{name!r} is not a key name govflow makes: give printable text")
    private, public = prefix.with_name(prefix.name + ".key"), prefix.with_name(prefix.name + ".pub")
    for path in (private, public):
        if path.exists() or path.is_symlink():  # a link, even to nothing, is not followed
            raise Unreadable(f"{path} exists already; a key is never overwritten")
    signer = SignerKey.generate(name)
    made: list[Path] = []
    try:  # each file new (O_EXCL: not a file or a link made since), the signer's its owner's
        for path, text, mode in ((private, signer, 0o600), (public, signer.verifier, 0o666)):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            made.append(path)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(f"{text}\n")
    except OSError as error:
        for path in made:  # nothing half made is left, and nothing of another's removed
            path.unlink(missing_ok=True)
        raise Unreadable(f"cannot write the key: {error}") from None
    try:
        out.write(f"{signer.verifier}\n")
        out.flush()
    except OSError as error:  # the key is made: say where, so that no one makes another
        raise Unreadable(
            f"the key is written to {private} and {public}, but printing its verifier key "
            f"failed: {error}"
        ) from None
    return 0


def signed_checkpoint(url: str, key_file: Path, out: TextIO, *, date: dt.date) -> int:
    """Print the log's tree head as a note signed with the key in ``key_file``."""
    signing = signer(key_file)
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        # A partner signs only a log that verifies: its signature vouches for every entry,
        # and the proofs drawn from the Merkle nodes it keeps (as govflow verify checks).
        verified, entries = intact_entries(store, url, "it is not signed")
        hashes = [entry.hash for entry in entries]
        nodes = KeptNodes(store.kept_nodes(), remedy_of(url))
        for digest in hashes:
            nodes.take(digest)
        fault = nodes.problem(len(hashes), lambda: len(store) > len(hashes))
        if fault is not None:
            told = problem_line(fault[0], "tree", fault[1])
            raise Unreadable(f"the log {url} does not verify, so it is not signed: {told}")
    tree_head = TreeHead.of(hashes, verified.head, signing.name, date)  # named by its key
    out.write(str(Note(tree_head.text()).signed(signing)))
    return 0


def _unsigned(text: str, path: Path, *, keyed: bool) -> list[Checkpoint]:
    """The checkpoints of a file of JSON lines (``keyed``: keys given for a signed one)."""
    neither = (
        f"cannot read the checkpoint {path}: it is neither checkpoints as JSON lines (each "
        '{"count": ..., "head": ...}, as `govflow checkpoint` writes them) nor a signed '
        "checkpoint note"
    )
    if not text.lstrip().startswith("{"):
        raise Unreadable(neither)
    if '"govflow-bundle/' in text:
        raise Unreadable(f"{path} is a bundle, not a checkpoint: check it with verify-bundle")
    try:
        found = [Checkpoint.from_json(line) for line in text.splitlines() if line.strip()]
    except InvalidRecord as error:  # a witness's state, a bundle: say what it is not
        first = next(line for line in text.splitlines() if line.strip())
        if '"count"' not in first or '"head"' not in first:  # another JSON file
            raise Unreadable(neither) from None
        raise Unreadable(f"cannot read the checkpoint {path}: {error.fault}") from None
    if keyed:
        raise Unreadable(f"{path} holds unsigned checkpoints; --key is for signed ones")
    return found


def checkpoints(
    path: Path | None,
    key_files: list[Path],
    witness_files: list[Path] = [],  # noqa: B006 - never changed
    quorum: int | None = None,
) -> tuple[list[Checkpoint], list[TreeHead], tuple[str, ...]]:
    """The checkpoints in ``path``: JSON lines (first), or one signed tree head (second).

    The tree head's signatures are checked with the keys; it must also bear the
    signatures of ``quorum`` of the witnesses (all of them by default) when witness keys
    are given; the names of those whose signatures verify come third.

    Raises:
        Unreadable: The file cannot be read, holds no checkpoint, or a signed one does
            not verify with any of the keys.
    """
    if quorum is not None and not witness_files:
        raise Unreadable("--quorum counts --witness keys; give them")
    if path is None:
        if key_files or witness_files:
            raise Unreadable(
                "--key and --witness check a signed checkpoint; give it with --checkpoint"
            )
        return [], [], ()
    text = read(path, "checkpoint")
    if not text.strip():
        raise Unreadable(f"the checkpoint file {path} holds no checkpoint")
    signed = "\n\n\N{EM DASH} " in text  # a note, whatever its first line (a key's name)
    if not signed:
        return _unsigned(text, path, keyed=bool(key_files or witness_files)), [], ()
    if not key_files:
        raise Unreadable(f"{path} holds a signed checkpoint; give the signer's key with --key")
    one_note(text, path)
    try:
        keys = [verifier(k) for k in key_files]
        witnesses = [verifier(w, "witness key file") for w in witness_files]
        publics = [w.public for w in witnesses]
        twice = [f for f, key in zip(witness_files, publics, strict=True) if publics.count(key) > 1]
        if twice:  # a mistake in the command, not in the note
            raise Unreadable(f"--witness {twice[0]} and {twice[1]} are one key: give each once")
        counted(quorum, witness_files)
        tree_head, names = verified_head(text, keys, witnesses, quorum)
    except (NoteError, InvalidRecord, WitnessRefused) as error:
        said = error.fault if isinstance(error, InvalidRecord) else error  # no "create ... again"
        raise Unreadable(f"the checkpoint {path} does not verify: {said}") from None
    return [], [tree_head], names  # the tree head holds the log to its count and head too
