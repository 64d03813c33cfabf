"""Signed notes and Ed25519 keys, in the transparency-dev formats (C2SP signed-note).

A note is a text ending in a newline, a blank line, and one or more signature lines
``— <key name> <base64(key ID || signature)>``. A key ID is the first four bytes of
``SHA-256(name || 0x0A || 0x01 || public key)``; a verifier key is written
``<name>+<key ID, 8 hex digits>+<base64(0x01 || public key)>`` and a signer key
``PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || seed)>``, as Go's
``golang.org/x/mod/sumdb/note`` and the transparency-dev tools write them, so keys and
notes pass between govflow and those tools unchanged.

Signing and verifying need the ``cryptography`` package (``pip install "govflow[sign]"``;
without it, :class:`~govflow.errors.MissingExtra`); reading and writing the texts do not.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import TYPE_CHECKING, Any

import attrs

from govflow.errors import MissingExtra, NoteError, shown

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = ["Note", "NoteError", "Signature", "SignerKey", "VerifierKey", "key_id"]

#: The signature type of Ed25519 in C2SP signed-note.
ED25519 = 0x01
#: At most this many signatures are read from one note (the spec asks for at least 16).
MOST_SIGNATURES = 100
_DASH = "\N{EM DASH} "
# A key name: non-empty, no Unicode space, no plus sign, no lone surrogate (no UTF-8).
KEY_NAME = re.compile(r"[^\s+\x00-\x1f\x7f\ud800-\udfff]+")


def key_id(name: str, public: bytes) -> int:
    """The key ID of an Ed25519 key: ``SHA-256(name || 0x0A || 0x01 || public)[:4]``.

    Raises:
        NoteError: ``name`` is not UTF-8 text, or ``public`` is not bytes.
    """
    if type(name) is not str or type(public) is not bytes or not _utf8(name):
        raise NoteError(f"a key ID is of a name (text) and a key (bytes); got {shown(name)}")
    digest = sha256(name.encode() + b"\n" + bytes([ED25519]) + public).digest()
    return int.from_bytes(digest[:4], "big")


def _utf8(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _crypto() -> Any:  # noqa: ANN401 - the cryptography module's Ed25519 namespace
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: PLC0415
    except ImportError:
        raise MissingExtra("signing and checking signatures", "cryptography", "sign") from None
    return ed25519


def _named(name: object, what: str) -> str:
    if not isinstance(name, str) or KEY_NAME.fullmatch(name) is None:
        raise NoteError(
            f"{what}: {shown(name)} is not a key name (not empty; no spaces, '+' or lone "
            "surrogates)"
        )
    return name


def _key_id(value: object, what: str) -> None:
    if type(value) is not int or not 0 <= value < 1 << 32:
        raise NoteError(f"{what}: the key ID must be a whole number of 4 bytes; got {shown(value)}")


def _public(value: object) -> None:
    if type(value) is not bytes or len(value) != 32:  # noqa: PLR2004 - an Ed25519 public key
        raise NoteError(f"verifier key: an Ed25519 key is 32 bytes; got {shown(value)}")


def _raw(value: object) -> None:
    if type(value) is not bytes or not value:
        raise NoteError(f"signature: expected its bytes; got {shown(value)}")


def _key_bytes(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what}: the key is not base64") from None
    if len(raw) != 33 or raw[0] != ED25519:  # noqa: PLR2004 - the type byte and 32 bytes
        raise NoteError(f"{what}: not an Ed25519 key (type byte 0x01 and 32 bytes)")
    return raw[1:]


def _checked_id(name: str, hex_id: str, public: bytes, what: str) -> int:
    if re.fullmatch(r"[0-9a-f]{8}", hex_id) is None:
        raise NoteError(f"{what}: the key ID {hex_id[:20]!r} is not 8 lower-case hex digits")
    if int(hex_id, 16) != key_id(name, public):
        raise NoteError(f"{what}: the key ID {hex_id} does not match the key and its name")
    return int(hex_id, 16)


@attrs.frozen
class VerifierKey:
    """A public key that checks signatures: a name, its key ID and 32 bytes.

    ``str(key)`` is its text form, ``<name>+<key ID>+<base64(0x01 || key)>``.
    """

    name: str = attrs.field(validator=lambda _, __, value: _named(value, "verifier key"))
    id: int = attrs.field(validator=lambda _, __, value: _key_id(value, "verifier key"))
    public: bytes = attrs.field(repr=False, validator=lambda _, __, value: _public(value))

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """Read a verifier key's text form.

        Raises:
            NoteError: The text is not one, or its key ID does not match.
        """
        what = "verifier key"
        # The key's base64 may hold '+' too: only the first two separate.
        parts = text.strip().split("+", 2) if isinstance(text, str) else []
        if len(parts) != 3:  # noqa: PLR2004
            raise NoteError(f"{what}: expected <name>+<key ID>+<key>; got {shown(text)}")
        name, hex_id, encoded = parts
        name = _named(name, what)
        public = _key_bytes(encoded, what)
        return cls(name, _checked_id(name, hex_id, public, what), public)

    def verifies(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` (64 bytes, no key ID) is this key's over ``message``."""
        ed25519 = _crypto()
        try:
            ed25519.Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except Exception:  # noqa: BLE001 - cryptography's InvalidSignature, or a bad key
            return False
        return True

    def __str__(self) -> str:
        encoded = base64.b64encode(bytes([ED25519]) + self.public).decode()
        return f"{self.name}+{self.id:08x}+{encoded}"


def _seed(value: object) -> None:
    if type(value) is not bytes or len(value) != 32:  # noqa: PLR2004 - an Ed25519 seed
        raise NoteError("signer key: an Ed25519 seed is 32 bytes")


@attrs.frozen(repr=False)
class SignerKey:
    """A private key that signs notes. Its repr leaves the secret out.

    ``str(key)`` is its text form, ``PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || seed)>``:
    keep it where only its holder can read it.
    """

    name: str
    seed: bytes = attrs.field(validator=lambda _, __, value: _seed(value))
    #: The public half, the key that checks this key's signatures (made with the key).
    verifier: VerifierKey = attrs.field(init=False, eq=False)
    _private: Ed25519PrivateKey = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        ed25519 = _crypto()  # MissingExtra first, without the package
        from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

        name = _named(self.name, "signer key")
        private = ed25519.Ed25519PrivateKey.from_private_bytes(self.seed)
        public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        # Made once, with the key: nothing about it changes afterwards.
        object.__setattr__(self, "_private", private)
        object.__setattr__(self, "verifier", VerifierKey(name, key_id(name, public), public))

    @classmethod
    def generate(cls, name: str) -> SignerKey:
        """A new key named ``name``, from the operating system's random source."""
        ed25519 = _crypto()
        private: Ed25519PrivateKey = ed25519.Ed25519PrivateKey.generate()
        from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

        seed = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return cls(name, seed)

    @classmethod
    def parse(cls, text: str) -> SignerKey:
        """Read a signer key's text form.

        Raises:
            NoteError: The text is not one, or its key ID does not match.
        """
        what = "signer key"
        parts = text.strip().split("+", 4) if isinstance(text, str) else []
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:  # noqa: PLR2004
            raise NoteError(f"{what}: expected PRIVATE+KEY+<name>+<key ID>+<key>")
        name = _named(parts[2], what)
        key = cls(name, _key_bytes(parts[4], what))
        _checked_id(name, parts[3], key.verifier.public, what)
        return key

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature (64 bytes) of ``message``.

        Raises:
            NoteError: ``message`` is not bytes.
        """
        if not isinstance(message, bytes):
            raise NoteError(f"a message to sign must be bytes; got {shown(message)}")
        return bytes(self._private.sign(message))

    def __repr__(self) -> str:
        return f"<SignerKey {self.name!r}>"

    def __str__(self) -> str:
        verifier = self.verifier
        encoded = base64.b64encode(bytes([ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{verifier.id:08x}+{encoded}"


@attrs.frozen
class Signature:
    """One signature line of a note: the key's name, its ID and the signature bytes."""

    name: str = attrs.field(validator=lambda _, __, value: _named(value, "signature"))
    id: int = attrs.field(validator=lambda _, __, value: _key_id(value, "signature"))
    signature: bytes = attrs.field(repr=False, validator=lambda _, __, value: _raw(value))

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
        keys = list(keys) if isinstance(keys, Iterable) else [keys]
        if not all(isinstance(k, VerifierKey) for k in keys):
            raise NoteError("the keys to verify a note with must be VerifierKeys")
        known: dict[tuple[str, int], list[VerifierKey]] = {}
        for k in keys:
            known.setdefault((k.name, k.id), []).append(k)
        message = self.text.encode()
        found: dict[bytes, VerifierKey] = {}
        failed: set[tuple[str, int]] = set()
        for signature in self.signatures:
            named = (signature.name, signature.id)
            under = [k for k in known.get(named, ()) if k.verifies(message, signature.signature)]
            found.update((k.public, k) for k in under if k.public not in found)
            if named in known and not under:  # another key's of that name and ID, or altered
                failed.add(named)
        for name, key_id in sorted(failed - {(k.name, k.id) for k in found.values()})[:1]:
            raise NoteError(
                f"the signature of {name}+{key_id:08x} does not verify: "
                "the note was altered after it was signed"
            )
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
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise _malformed(f"{where}: the signature is not base64") from None
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
