"""Signed notes, in the transparency-dev format (C2SP signed-note).

A note is a text ending in a newline, a blank line, and one or more signature lines
``— <key name> <base64(key ID || signature)>``, as Go's ``golang.org/x/mod/sumdb/note``
and the transparency-dev tools write them, so notes pass between govflow and those
tools unchanged. The keys that sign them: :mod:`govflow.log.keys`.

Signing and verifying need the ``cryptography`` package (``pip install "govflow[sign]"``;
without it, :class:`~govflow.errors.MissingExtra`); reading and writing the texts do not.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence

import attrs

from govflow.errors import NoteError, shown
from govflow.log.keys import (
    KEY_NAME,
    SignerKey,
    VerifierKey,
    checked_key_id,
    checked_name,
    checked_signature,
    from_base64,
    key_id,
)
from govflow.model.unreadable import read_out

__all__ = ["KEY_NAME", "Note", "NoteError", "Signature", "SignerKey", "VerifierKey", "key_id"]

#: At most this many signatures are read from one note (the spec asks for at least 16).
MOST_SIGNATURES = 100
_DASH = "\N{EM DASH} "
ED25519_SIZE = 64  # the bytes of an Ed25519 signature


@attrs.frozen
class Signature:
    """One signature line of a note: the key's name, its ID and the signature bytes."""

    name: str = attrs.field(
        validator=lambda _, __, value: checked_name(value, "signature", printable=False)
    )
    id: int = attrs.field(validator=lambda _, __, value: checked_key_id(value, "signature"))
    signature: bytes = attrs.field(
        repr=False, validator=lambda _, __, value: checked_signature(value)
    )

    def line(self) -> str:
        """``— <name> <base64(key ID || signature)>`` and a newline."""
        encoded = base64.b64encode(self.id.to_bytes(4, "big") + self.signature).decode()
        return f"{_DASH}{self.name} {encoded}\n"


def _malformed(why: str) -> NoteError:
    return NoteError(f"malformed note: {why}")


def _signatures(value: object) -> tuple[Signature, ...]:
    """An attrs converter: a list of signatures as a tuple."""
    if not isinstance(value, list | tuple) or any(type(s) is not Signature for s in value):
        raise NoteError(f"a note's signatures must be a list of Signature; got {shown(value)}")
    return tuple(value)


def _note_text(note: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise NoteError(f"a note's text must be a str; got {type(value).__name__}")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise _malformed("the text holds a lone surrogate, which UTF-8 cannot hold") from None


@attrs.frozen
class Note:
    """A text and its signatures. ``str(note)`` is the signed note's text form."""

    text: str = attrs.field(validator=_note_text)
    signatures: tuple[Signature, ...] = attrs.field(default=(), converter=_signatures)

    @classmethod
    def parse(cls, data: str) -> Note:
        """Read a signed note; nothing is verified yet (see :meth:`verified_by`).

        Raises:
            NoteError: The text is not a signed note; the message says what is wrong.
        """
        if not isinstance(data, str):
            raise _malformed(f"expected a text; got {type(data).__name__}")
        if any(ord(c) < 0x20 and c != "\n" for c in data):  # noqa: PLR2004
            raise _malformed("it holds a control character other than a newline")
        try:
            data.encode()
        except UnicodeEncodeError:
            raise _malformed("it holds a lone surrogate, which UTF-8 cannot hold") from None
        split = data.rfind("\n\n")
        if split < 0 or not data.endswith("\n"):  # pasted from an email, its last one lost?
            ended = split >= 0 and "its last line does not end in a newline, as a note's must"
            raise _malformed(ended or "expected a text, a blank line and signature lines")
        text, lines = data[: split + 1], data[split + 2 :].removesuffix("\n").split("\n")
        if lines == [""]:  # the text and a blank line, or a blank line after the signatures
            ended = "\n\n" in text and "it ends in a blank line after its signatures: remove it"
            raise _malformed(ended or "no signature line follows the blank line")
        if len(lines) > MOST_SIGNATURES:
            raise _malformed(f"more than {MOST_SIGNATURES} signatures")
        return cls(text, tuple(_signature(line, n) for n, line in enumerate(lines, 1)))

    def signed(self, *keys: SignerKey) -> Note:
        """This note with a signature by each of ``keys`` added (replacing their earlier ones).

        A signature of the same key name and ID that one of ``keys`` did not make (another
        key's, whose name and ID collide) is kept.

        Raises:
            NoteError: A key is not a SignerKey, the text is not a note's, or the note
                would hold more than :data:`MOST_SIGNATURES` signatures (no reader takes it).
        """
        if any(type(k) is not SignerKey for k in keys):
            raise NoteError(f"a note is signed with SignerKey records; got {shown(keys)}")
        if not self.text.endswith("\n") or any(ord(c) < 0x20 and c != "\n" for c in self.text):  # noqa: PLR2004
            raise _malformed("the text must end in a newline and hold no control character")
        message = self.text.encode()
        kept = [
            s
            for s in self.signatures
            if not any(
                (s.name, s.id) == (k.name, k.verifier.id)
                and k.verifier.verifies(message, s.signature)
                for k in keys
            )
        ]
        added = [Signature(k.name, k.verifier.id, k.sign(message)) for k in keys]
        if len(kept) + len(added) > MOST_SIGNATURES:  # no reader would take it
            raise _malformed(f"more than {MOST_SIGNATURES} signatures, once signed")
        return Note(self.text, (*kept, *added))

    def verified_by(self, keys: Iterable[VerifierKey]) -> tuple[str, ...]:
        """The names of ``keys`` whose signatures on this note verify, in the note's order.

        A signature by a key not among ``keys`` is ignored; keys of one name and ID are
        each tried, and a line verifying under none is ignored beside one that verifies.

        Raises:
            NoteError: No line of a key's name and ID verifies, and one claims to (the
                note was altered), or no signature is by one of ``keys``.
        """
        return tuple(dict.fromkeys(key.name for key in self.verifying(keys)))

    def verifying(self, keys: Iterable[VerifierKey]) -> tuple[VerifierKey, ...]:
        """Those of ``keys`` whose signatures on this note verify, each once, in the note's order.

        As :meth:`verified_by`, giving the keys rather than their names: two keys of one
        name are told apart.

        Raises:
            NoteError: As :meth:`verified_by`.
        """
        given = read_out(keys) if isinstance(keys, Iterable) else (keys,)  # Unread if it raised
        if not isinstance(given, tuple) or not all(isinstance(k, VerifierKey) for k in given):
            raise NoteError("the keys to verify a note with must be VerifierKeys")
        keys = given
        known: dict[tuple[str, int], list[VerifierKey]] = {}
        for k in keys:
            known.setdefault((k.name, k.id), []).append(k)
        message = self.text.encode()
        found: dict[bytes, VerifierKey] = {}
        failed: dict[tuple[str, int], int] = {}  # each key's signature that fails, its size
        for signature in self.signatures:
            named = (signature.name, signature.id)
            under = [k for k in known.get(named, ()) if k.verifies(message, signature.signature)]
            found.update((k.public, k) for k in under if k.public not in found)
            if named in known and not under:  # another key's of that name and ID, or altered
                failed[named] = len(signature.signature)
        for name, number in sorted(set(failed) - {(k.name, k.id) for k in found.values()})[:1]:
            size = failed[name, number]
            why = "the note was altered after it was signed"
            if size != ED25519_SIZE:  # the signature line itself was cut or padded
                why = f"its signature is {size} bytes, not an Ed25519 signature's 64"
            raise NoteError(f"the signature of {name}+{number:08x} does not verify: {why}")
        if not found:
            expected = ", ".join(sorted(f"{n}+{i:08x}" for n, i in known)) or "none given"
            raise NoteError(f"the note has no signature by a known key (known: {expected})")
        return tuple(found.values())

    def __str__(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)


def _signature(line: str, number: int) -> Signature:
    where = f"signature line {number}"
    if not line.startswith(_DASH):
        raise _malformed(f"{where} does not start with an em dash and a space")
    parts = line[len(_DASH) :].split(" ")
    if len(parts) != 2 or KEY_NAME.fullmatch(parts[0]) is None:  # noqa: PLR2004
        raise _malformed(f"{where}: expected '— <key name> <signature>'")
    raw = from_base64(parts[1])
    if raw is None:
        raise _malformed(f"{where}: the signature is not base64 as written by an encoder")
    if len(raw) < 5:  # noqa: PLR2004 - a key ID and at least one byte
        raise _malformed(f"{where}: the signature is too short")
    return Signature(parts[0], int.from_bytes(raw[:4], "big"), raw[4:])


def verifier_keys(texts: Sequence[str]) -> tuple[VerifierKey, ...]:
    """Each text read as a verifier key (see :meth:`VerifierKey.parse`).

    Raises:
        NoteError: ``texts`` is not a list of texts, or one is not a verifier key.
    """
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        raise NoteError(f"verifier keys come as a list of texts; got {shown(texts)}")
    return tuple(VerifierKey.parse(t) for t in texts)
