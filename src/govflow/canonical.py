"""Canonical JSON: the one encoding that hashes and fingerprints are taken over.

UTF-8 JSON with object keys sorted by code point, ``,`` and ``:`` as the only
separators, no insignificant white space, non-ASCII text written as itself, whole
numbers only and no NaN (``docs/canonical-form.md``). Log entries are written in it
by ``govflow.log.codec``; a lifecycle's fingerprint is the SHA-256 of its description
in it.
"""

from __future__ import annotations

import collections
import json
import re

from govflow.errors import InvalidRecord, shown

#: A SHA-256 in hex, as entries' hashes and lifecycles' fingerprints are written.
DIGEST = re.compile("[0-9a-f]{64}")

ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
)


def members(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object's members, refusing a name given twice (``json.loads``'s pairs hook).

    JSON leaves a repeated name to each reader (Python keeps the last, others the
    first), so text that holds one can mean two things, and is no canonical form.

    Raises:
        ValueError: A name is given twice; the message names it.
    """
    data = dict(pairs)
    if len(data) != len(pairs):  # counted in one pass: a repeat late in a long object too
        ((twice, _),) = collections.Counter(name for name, _ in pairs).most_common(1)
        message = f"the member {twice!r} is given twice in one object"
        raise ValueError(message)
    return data


#: One decoder for every parse: ``json.loads`` with a hook makes one a call (1 µs).
_DECODER = json.JSONDecoder(object_pairs_hook=members)


def parse(text: str | bytes) -> object:
    """JSON text as plain data, refusing an object that gives a member twice.

    Raises:
        ValueError: The text is not JSON, or repeats a member (see :func:`members`).
        RecursionError: It is nested beyond the parser's reach.
        TypeError: It is neither text nor bytes.
    """
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")  # a UnicodeDecodeError is a ValueError
    elif not isinstance(text, str):
        raise TypeError(f"the JSON text must be str or bytes, not {type(text).__name__}")
    return _DECODER.decode(text)


def unparsed(text: str | bytes) -> str:
    """What a text :func:`parse` refuses should have been, and why, if a member repeats."""
    if isinstance(text, bytes):  # kept as bytes: no UTF-8, or stored as bytes (a BLOB)
        try:
            text.decode("utf-8")
        except UnicodeDecodeError:
            return "UTF-8 text of a JSON object (its bytes are no UTF-8)"
        return "UTF-8 text of a JSON object, stored as text (it is stored as bytes)"
    try:
        parse(text)
    except json.JSONDecodeError as error:  # where it breaks: a file's line and column
        said = f"not JSON: {error.msg}, at line {error.lineno} column {error.colno}"
        return f"a JSON object, each member given once ({said})"
    except RecursionError:
        return "a JSON object, each member given once (it nests deeper than can be read)"
    except ValueError as error:  # a member twice; a number past Python's 4,300 digits
        said = str(error) if "given twice" in str(error) else "a number too long to read"
        return f"a JSON object, each member given once ({said})"
    return "a JSON object"


def canonical_bytes(data: object) -> bytes:
    """Encode plain data (dicts, lists, texts, whole numbers, bools, None) canonically.

    Raises:
        InvalidRecord: ``data`` holds something else (a set, NaN, a lone surrogate).
    """
    wanted = "plain data: dicts, lists, texts (UTF-8), whole numbers, bools, None"
    try:
        encoded = ENCODER.encode(data).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as error:  # a UnicodeError is a ValueError
        raise InvalidRecord("canonical_bytes", "data", wanted, f"{shown(data)} ({error})") from None
    stack = [data]  # encoded, so no cycle: every item is looked at once, at any depth
    while stack:
        item = stack.pop()
        if isinstance(item, float):  # JSON has them, and the canonical form does not
            raise InvalidRecord("canonical_bytes", "data", wanted, f"{shown(data)} (a float)")
        if isinstance(item, dict):
            if not all(type(key) is str for key in item):  # 1 and "1" would write alike
                said = f"{shown(data)} (a key that is not a text)"
                raise InvalidRecord("canonical_bytes", "data", wanted, said)
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return encoded
