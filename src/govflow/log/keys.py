"""Ed25519 keys that sign and verify notes, in the transparency-dev text forms.

A key ID is the first four bytes of ``SHA-256(name || 0x0A || 0x01 || public key)``; a
verifier key is written ``<name>+<key ID, 8 hex digits>+<base64(0x01 || public key)>``
and a signer key ``PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || seed)>``, as Go's
``golang.org/x/mod/sumdb/note`` and the transparency-dev tools write them, so keys pass
between govflow and those tools unchanged. The notes they sign: :mod:`govflow.log.note`.

Signing and verifying need the ``cryptography`` package (``pip install "govflow[sign]"``;
without it, :class:`~govflow.errors.MissingExtra`); reading and writing the texts do not.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from hashlib import sha256
from typing import TYPE_CHECKING, Any, Final

import attrs

from govflow.errors import MissingExtra, NoteError, shown

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = ["KEY_NAME", "SignerKey", "VerifierKey", "key_id"]

#: The signature type of Ed25519 in C2SP signed-note.
ED25519 = 0x01
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


#: The Unicode categories a key's name may not hold: controls, formats (zero-width and
#: bidirectional marks), private use, surrogates, separators. Named, rather than asked
#: of ``str.isprintable``, which also refuses what an older Python's tables do not yet
#: know: a key made on Python 3.13 would be refused on 3.11.
UNPRINTED: Final = frozenset({"Cc", "Cf", "Co", "Cs", "Zs", "Zl", "Zp"})


def prints(name: str) -> bool:
    """Whether ``name`` holds no character of the :data:`UNPRINTED` categories."""
    return name.isprintable() or not any(unicodedata.category(c) in UNPRINTED for c in name)


def checked_name(name: object, what: str, *, printable: bool = True) -> str:
    """``name``, if it is a key name; else NoteError naming ``what``.

    A key's name is printed to every partner ("signed by ..."), so it must print
    (:func:`prints`: no zero-width or bidirectional marks that would make one name look
    like another); a signature line of a note (``printable=False``) may name any key, as
    C2SP allows.
    """
    if not isinstance(name, str) or KEY_NAME.fullmatch(name) is None:
        raise NoteError(
            f"{what}: {shown(name)} is not a key name (not empty; no spaces, '+' or lone "
            "surrogates)"
        )
    if printable and not prints(name):
        raise NoteError(
            f"{what}: {shown(name)} is not a key name govflow takes: it holds characters "
            "that do not print (such as a zero-width space), so it could pass for another"
        )
    return name


def checked_key_id(value: object, what: str) -> None:
    """Refuse (NoteError naming ``what``) a key ID that is not a whole number of 4 bytes."""
    if type(value) is not int or not 0 <= value < 1 << 32:
        raise NoteError(f"{what}: the key ID must be a whole number of 4 bytes; got {shown(value)}")


def _public(value: object) -> None:
    if type(value) is not bytes or len(value) != 32:  # noqa: PLR2004 - an Ed25519 public key
        raise NoteError(f"verifier key: an Ed25519 key is 32 bytes; got {shown(value)}")


def checked_signature(value: object) -> None:
    """Refuse (NoteError) a signature that is not non-empty bytes."""
    if type(value) is not bytes or not value:
        raise NoteError(f"signature: expected its bytes; got {shown(value)}")


def from_base64(text: str) -> bytes | None:
    """The bytes ``text`` holds in standard, padded base64; ``None`` for any other text.

    Only the text an encoder writes is taken: one whose last character sets bits the
    bytes leave unused (``...Aa=`` for ``...AY=``) is refused, so that keys, hashes and
    signatures each have one text, and a file cannot be altered and still check.
    """
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def _key_bytes(text: str, what: str) -> bytes:
    raw = from_base64(text)
    if raw is None:
        raise NoteError(f"{what}: the key is not base64 as an encoder writes it")
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

    name: str = attrs.field(validator=lambda _, __, value: checked_name(value, "verifier key"))
    id: int = attrs.field(validator=lambda _, __, value: checked_key_id(value, "verifier key"))
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
        name = checked_name(name, what)
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


def _private_of(seed: bytes) -> Ed25519PrivateKey:
    ed25519 = _crypto()  # MissingExtra first, without the package
    _seed(seed)  # before the seed's own validator: a factory runs first
    private: Ed25519PrivateKey = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    return private


def _verifier_of(key: SignerKey) -> VerifierKey:
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    name = checked_name(key.name, "signer key")
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    public = key._private.public_key().public_bytes(*raw)
    return VerifierKey(name, key_id(name, public), public)


@attrs.frozen(repr=False)
class SignerKey:
    """A private key that signs notes. Its repr leaves the secret out.

    ``str(key)`` is its text form, ``PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || seed)>``:
    keep it where only its holder can read it.
    """

    name: str
    seed: bytes = attrs.field(validator=lambda _, __, value: _seed(value))
    # Made once, with the key, from the seed (checked first): nothing about them changes.
    _private: Ed25519PrivateKey = attrs.field(
        init=False, eq=False, default=attrs.Factory(lambda k: _private_of(k.seed), takes_self=True)
    )
    #: The public half, the key that checks this key's signatures (made with the key).
    verifier: VerifierKey = attrs.field(
        init=False, eq=False, default=attrs.Factory(_verifier_of, takes_self=True)
    )

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
        name = checked_name(parts[2], what)
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
