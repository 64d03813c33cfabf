"""Fetch mermaid's browser script for the documentation site, so diagrams draw offline.

The site loads ``docs/assets/javascripts/mermaid.min.js`` from itself; MkDocs Material
then uses it instead of fetching mermaid from a CDN. This file is both a script
(``python scripts/fetch_mermaid.py``) and an MkDocs hook (``hooks:`` in ``mkdocs.yml``)
that fetches the file before a build when it is missing.

The script comes from the npm registry's ``mermaid`` package at a pinned version, and
the package is checked against the registry's ``dist.integrity`` before anything is
taken from it. No node or npm is needed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path
from typing import Any

VERSION = "11.17.2"
INTEGRITY = (  # the npm registry's dist.integrity for this version
    "sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4h"
    "h47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg=="
)
TARBALL = f"https://registry.npmjs.org/mermaid/-/mermaid-{VERSION}.tgz"
MEMBER = "package/dist/mermaid.min.js"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "assets" / "javascripts" / "mermaid.min.js"


def integrity_of(data: bytes) -> str:
    """The npm ``dist.integrity`` string of a tarball's bytes (SHA-512, base64)."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def fetch(target: Path = TARGET, *, timeout: float = 120) -> bool:
    """Write mermaid's ``dist/mermaid.min.js`` to ``target`` unless it is there already.

    Args:
        target: Where the script goes.
        timeout: Seconds to wait for the registry.

    Returns:
        True if it was fetched, False if the pinned version was already in place.

    Raises:
        RuntimeError: If the registry cannot be reached, or the tarball does not match the
            pinned integrity, or lacks the file.
    """
    stamp = target.with_name("mermaid.version")
    if target.is_file() and stamp.is_file() and stamp.read_text().strip() == VERSION:
        return False
    try:
        with urllib.request.urlopen(TARBALL, timeout=timeout) as response:
            data = response.read()
    except OSError as error:  # no network: say what is missing and how to bring it
        message = (
            f"{target} is missing or not mermaid {VERSION}, which could not be fetched from "
            f"{TARBALL} ({error}); run `python scripts/fetch_mermaid.py` where the npm "
            f"registry can be reached, and copy {target.name} and {stamp.name} into "
            f"{target.parent}"
        )
        raise RuntimeError(message) from None
    found = integrity_of(data)
    if found != INTEGRITY:
        message = f"mermaid {VERSION} from {TARBALL} has integrity {found}, expected {INTEGRITY}"
        raise RuntimeError(message)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            message = f"{TARBALL} holds no {MEMBER}"
            raise RuntimeError(message)
        script = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(script)
    partial.replace(target)
    stamp.write_text(VERSION + "\n")
    return True


def on_config(config: Any) -> Any:  # noqa: ANN401 (MkDocs hands in its config object)
    """MkDocs hook: make sure the script is in place before the site is built."""
    from mkdocs.exceptions import PluginError  # noqa: PLC0415 - only MkDocs runs the hook

    try:
        fetch()
    except RuntimeError as error:  # one line saying what to do, not a traceback
        raise PluginError(str(error)) from None
    return config


if __name__ == "__main__":
    fetched = fetch()
    print(f"mermaid {VERSION}: {'fetched to' if fetched else 'already at'} {TARGET}")
    sys.exit(0)
