"""What every command opens: a lifecycle, a store, partners' keys and signed notes.

And :class:`Unreadable`, the error for what cannot be opened or used.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import inspect
import math
import os
import re
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from govflow.cli._roots import remedy_of
from govflow.display.plain import shown
from govflow.errors import GovflowError, InvalidRecord, LogError, NoteError, Unreadable
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.memory import Log
from govflow.log.note import Note, SignerKey, VerifierKey
from govflow.rules.lifecycle import Lifecycle
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import Store, open_store
from govflow.stores._verifying import audited

if TYPE_CHECKING:
    from govflow.log.entry import Entry
    from govflow.log.problem import Verification
    from govflow.stores import Store


#: What a command's log argument is, as its help says.
LOG_URL = "the log: jsonl:///path/log.jsonl, sqlite:///path/log.db or postgresql://..."


#: The commands whose output is data another program reads, written exactly: a signed
#: note, a key, a bundle, PROV-JSON (so is any ``--json`` output, and an SVG).
DATA = frozenset({"bundle", "checkpoint", "key", "prov", "witness"})


class Shown:
    """Standard output for people: what could drive a terminal shown as ``?`` (``shown``).

    A partner's file or log may hold a terminal's escape codes in any text (a body id, a
    reason, a state's name): a story, a notice or a refusal prints them as ``?``. It only
    writes and flushes; the stream stays the caller's, never closed by it.
    """

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(shown(text))

    def flush(self) -> None:
        self._out.flush()


def load_lifecycle(spec: str | None, *, allow_imports: bool = False) -> Lifecycle:
    """The lifecycle of a definition file (``.toml``, ``.json``) or named ``module:attribute``.

    A named one is a Lifecycle or a function returning one. Without a spec, the
    reference case's: the partnership lifecycle with the seeds' authorities. A definition
    file's custom guards are imported only with ``allow_imports`` (``--allow-imports``).
    """
    if spec is None:
        return partnership_lifecycle(authorities=spb.authorities())
    if spec.lower().endswith((".toml", ".json")):
        from govflow.definitions import load  # noqa: PLC0415 - only for a definition file

        try:
            return load(spec, allow_imports=allow_imports).lifecycle
        except GovflowError as error:
            raise Unreadable(f"cannot load the lifecycle {spec!r}: {error}") from None
    module_name, _, attribute = spec.partition(":")
    if not module_name or module_name.startswith(".") or not attribute:
        raise Unreadable(
            f"cannot load the lifecycle {spec!r}: give a definition file (.toml or .json), or "
            "module:attribute with the module by its full name"
        )
    try:
        found: object = getattr(importlib.import_module(module_name), attribute)
    except ModuleNotFoundError as error:
        raise Unreadable(
            f"cannot load the lifecycle {spec!r}: {error} (a module of your own is found from "
            "the folder that holds it with PYTHONPATH=., or once installed)"
        ) from None
    except KeyboardInterrupt:  # the user's, while it imported
        raise
    except BaseException as error:  # noqa: BLE001 - importing runs the module's own code
        from govflow.definitions.tables import failure_said  # noqa: PLC0415 - on failure only

        raise Unreadable(f"cannot load the lifecycle {spec!r}: {failure_said(error)}") from None
    if inspect.isfunction(found):
        try:
            found = found()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - any failure of the user's function
            from govflow.definitions.tables import failure_said  # noqa: PLC0415

            raise Unreadable(f"calling {spec!r} failed: {failure_said(error)}") from None
    if not isinstance(found, Lifecycle):
        raise Unreadable(f"{spec!r} is not a Lifecycle nor a function returning one")
    return found


def written_under(log: Log, lifecycle: Lifecycle, spec: str | None, url: str) -> None:
    """Refuse a log written under another lifecycle than the one given (or the default)."""
    if log.fingerprint in lifecycle.fingerprints:
        return
    found = f"the log at {url} was written under a lifecycle of fingerprint {log.fingerprint[:12]}…"
    if spec is None:
        raise Unreadable(
            f"{found}, not the reference case's, which is read when no --lifecycle is given: "
            "give --lifecycle with its definition file (.toml or .json) or module:name"
        )
    raise Unreadable(
        f"{found}, not {spec} ({lifecycle.fingerprint[:12]}…): give the lifecycle it was "
        "written under"
    )


#: Seconds a command waits for another writer's lock unless told (``--lock-timeout``).
LOCK_TIMEOUT = 60.0


class Options:
    """What the command line was asked for that every store it opens follows."""

    #: Seconds to wait for another writer's lock on a store (``--lock-timeout``).
    lock_timeout: float = LOCK_TIMEOUT


def open_log(url: str, fingerprint: str | None = None, *, read_only: bool = False) -> Log:
    """Open a store, turning every reason it cannot be read into :class:`Unreadable`."""
    try:
        return open_store(url, fingerprint, read_only=read_only, timeout=Options.lock_timeout)
    except (LogError, ValueError) as error:
        raise Unreadable(str(error)) from None


def intact(store: Log, url: str, doing: str) -> Verification:
    """A log's verification (its count and head); refuse one that does not verify or is torn.

    Read no further than its count: what another writer appended since is not verified.

    Raises:
        Unreadable: The log does not verify; the message says where, and that ``doing``.
    """
    # A store's Merkle nodes found wrong are made again as the command line says it.
    found = audited(store, None, remedy=remedy_of(url)) if isinstance(store, Store) else None
    return _refused_unless_intact(store, url, doing, found or store.verify())


def intact_entries(
    store: Store, url: str, doing: str, kept: Sequence[Checkpoint | TreeHead] = ()
) -> tuple[Verification, list[Entry]]:
    """As :func:`intact`, with the entries verified, from the same read: none read again.

    ``kept`` are checkpoints (and signed tree heads) the log must hold to.

    Raises:
        Unreadable: The log does not verify; the message says where, and that ``doing``.
    """
    verification, entries = store.read_verified(list(kept))
    return _refused_unless_intact(store, url, doing, verification), entries


def _refused_unless_intact(
    store: Log, url: str, doing: str, verification: Verification
) -> Verification:
    torn = getattr(store, "torn", None)
    if not verification.ok or torn is not None:
        why = verification if torn is None else torn
        raise Unreadable(f"the log {url} does not verify, so {doing}: {why}")
    return verification


def day(text: str) -> dt.date:
    """A day given on the command line as YYYY-MM-DD (an argparse type)."""
    parsed = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # not 20200101, nor 2020-W01-1
        with contextlib.suppress(ValueError):  # 2013-02-30
            parsed = dt.date.fromisoformat(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}")
    return parsed


def seconds(text: str) -> float:
    """A number of seconds from 0 given on the command line (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < math.inf:  # nor nan
        raise argparse.ArgumentTypeError(f"expected a number of seconds from 0, got {text!r}")
    return value


def names_no_file(text: str) -> bool:
    """Whether a file name given on the command line names a folder, or nothing.

    Looked at as text: a ``Path`` drops a last ``/`` or ``/.`` (``out/`` would be ``out``).
    """
    return text.endswith(("/", "/.", "/..")) or Path(text).name in {"", ".", ".."}


def read(path: Path, what: str) -> str:
    """The text of a key, checkpoint, bundle or state file, without a byte-order mark."""
    if not path.is_file():  # a FIFO or a device would be read for ever
        how = "is not a file"
        if path.is_symlink() and not path.exists():
            how = "is a link to nothing (or a loop of links)"
        elif not path.exists():
            how = "does not exist"
        raise Unreadable(f"the {what} {path} {how}")
    try:  # not blocking: a kernel file that passes for a regular one (/proc/kmsg) would wait
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            data = file.read()
    except OSError as error:
        raise Unreadable(f"cannot read the {what} {path}: {error}") from None
    if data is None:  # it has nothing to give without waiting
        raise Unreadable(f"cannot read the {what} {path}: it gives no text without waiting")
    try:  # utf-8-sig: the byte-order mark some editors write first is no part of the text
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        raise Unreadable(
            f"the {what} {path} is not UTF-8 text (byte {error.start} is {byte:#04x})"
        ) from None


def verifier(path: Path, what: str = "key file") -> VerifierKey:
    text = read(path, what)
    if text.startswith("PRIVATE+KEY+"):
        raise Unreadable(
            f"the {what} {path} is a signer (private) key: give its verifier key, the .pub file"
        )
    if text.lstrip().startswith("-----BEGIN"):  # an OpenSSL key, not a note's
        raise Unreadable(
            f"the {what} {path} is a PEM key: give a verifier key as `govflow key` writes "
            "it, one line NAME+KEYID+BASE64 (the .pub file)"
        )
    keys = [line for line in text.splitlines() if line.strip()]
    if len(keys) > 1:  # one key a file: a witness's keys are given one --witness each
        raise Unreadable(
            f"the {what} {path} holds {len(keys)} lines: give one verifier key a file "
            "(--witness once for each partner's)"
        )
    try:
        return VerifierKey.parse(text)
    except NoteError as error:
        raise Unreadable(f"the {what} {path} is not a verifier key: {error}") from None


def signer(path: Path) -> SignerKey:
    try:
        return SignerKey.parse(read(path, "key file"))
    except NoteError as error:
        raise Unreadable(f"the key file {path} is not a signer key: {error}") from None


def one_note(text: str, path: Path) -> None:
    """Refuse a file of several signed notes (each one a blank line and signature lines)."""
    if text.count("\n\n\N{EM DASH} ") > 1:
        raise Unreadable(
            f"{path} holds more than one signed note: give one (a signed checkpoint is "
            "written with >, not added to a file with >>)"
        )


def note_in(path: Path) -> Note:
    """The signed note (a checkpoint) in the file at ``path``."""
    text = read(path, "checkpoint")
    one_note(text, path)
    try:
        note = Note.parse(text)
        TreeHead.parse(note.text)  # a checkpoint's lines, read now: the file is named
    except NoteError as error:
        raise Unreadable(f"the checkpoint {path} is not a signed one: {error}") from None
    except InvalidRecord as error:
        raise Unreadable(
            f"the checkpoint {path} does not read as one: its {error.field.strip('()')} must be "
            f"{error.expected}, but {shown(repr(error.received))} was given"
        ) from None
    return note


def counted(quorum: int | None, witnesses: list[Path]) -> None:
    """Check that ``--quorum`` can count the ``--witness`` keys given."""
    if quorum is not None and not witnesses:
        raise Unreadable("--quorum counts --witness keys; give them")
    if quorum is not None and not 0 < quorum <= len(witnesses):
        raise Unreadable(
            f"--quorum must be from 1 to the number of --witness keys ({len(witnesses)}); "
            f"got {quorum}"
        )


def replace_whole(target: Path, text: str, *, durable: bool = False) -> None:
    """Put ``text`` in place of ``target`` whole: a failed write leaves what was there.

    It is written to a new file of its own beside ``target`` (a name no other file has,
    made with ``O_EXCL``: never through a link or into a file someone left there), with
    ``target``'s permissions if it exists, then moved over ``target`` (a hard link to the
    old file keeps the old text). ``durable``: each is on disk before this returns, so that a
    crash leaves the old file or the new.

    Raises:
        OSError: The file could not be made, written or moved; nothing is left behind.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:  # a name taken since it was drawn: draw again
        # Cut short: a name of its own must fit where the target's own (255 bytes) fits.
        partial = target.with_name(f".{target.name[:40]}.{secrets.token_hex(6)}.partial")
        try:
            descriptor = os.open(partial, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with contextlib.suppress(FileNotFoundError):  # a file replaced keeps who may read it
            os.fchmod(descriptor, stat.S_IMODE(target.stat().st_mode))
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if durable:
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the move itself, kept
        finally:
            os.close(folder)
