"""How the command line names a store's Merkle nodes' remedy: ``govflow tree URL --rebuild``."""

from __future__ import annotations

import shlex

from govflow.errors import unsecret


def remedy_of(url: str) -> str:
    """What makes the Merkle nodes of the store at ``url`` again: ``govflow tree --rebuild``.

    The URL as a shell takes it, with any password shown as ``***``.
    """
    return f"run `govflow tree {shown_url(url)} --rebuild`"


def shown_url(url: str) -> str:
    """``url`` as a message shows it: any password as ``***``, quoted for a shell if need be."""
    return shlex.quote(unsecret(url))
