"""MkDocs hook: the docstrings' Sphinx roles become links in the API reference.

govflow's docstrings name other objects as Sphinx does (``:class:`Lifecycle```,
``:meth:`~govflow.Registry.explain```); the Google-style reader shows them as written.
This turns each into a cross-reference that mkdocs-autorefs resolves to the object's
entry in the reference (a name without a module is looked up under ``govflow``), or
into plain code when the object has no entry, with ``~`` keeping only the last part.
"""

from __future__ import annotations

import re
from typing import Any

ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):<code>(~?)([\w.]+)</code>"
)


def linked(match: re.Match[str]) -> str:
    """The cross-reference a role stands for."""
    short, name = match.group(1), match.group(2)
    identifier = name if name.startswith("govflow") else f"govflow.{name}"
    title = name.rsplit(".", 1)[-1] if short else name
    return f'<autoref identifier="{identifier}" optional><code>{title}</code></autoref>'


def on_page_content(html: str, **_: Any) -> str:  # noqa: ANN401 (MkDocs' own objects)
    """MkDocs hook: rewrite the roles in a page's HTML before cross-references are resolved."""
    return ROLE.sub(linked, html)
