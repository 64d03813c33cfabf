"""Text for a terminal: what a record's texts may hold that must not reach one raw.

A record's texts refuse only NUL and lone surrogates, so a partner's file or log can
hold a terminal's escape codes, or the bidirectional controls that reorder a line as
it is shown. What govflow prints for people goes through :func:`shown`.
"""

from __future__ import annotations

import re

#: What is never written raw to a terminal: control characters (C0 but tab and line
#: feed, DEL, C1), bidirectional controls, which can reorder what follows them on the
#: line, and line and paragraph separators.
UNSHOWN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def shown(text: str) -> str:
    """``text`` with what :data:`UNSHOWN` matches as ``?``: it cannot drive a terminal."""
    return UNSHOWN.sub("?", text)


def printable(line: str) -> str:
    """``line`` with a line break as a space, a tab and what :data:`UNSHOWN` matches as ``?``.

    A record's texts may hold more than printable characters (a state name with a line
    break, a reason with a terminal's escape sequence): what is printed cannot split a
    line or drive the terminal.
    """
    return shown(line.replace("\n", " ").replace("\t", "?"))
