"""``govflow diagram``: a definition file's lifecycle drawn as mermaid or SVG.

``svg`` is the picture ``Lifecycle.svg()`` draws, with nothing installed; ``graphviz`` is
SVG laid out by Graphviz's ``dot``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from govflow.definitions.reading import load
from govflow.display import diagram as drawn_by_govflow
from govflow.errors import Unreadable
from govflow.render.diagram import NoRenderer, mermaid, svg


def diagram(
    file: Path,
    out: TextIO,
    *,
    form: str = "mermaid",
    state: str | None = None,
    allow_imports: bool = False,
) -> int:
    """Print the lifecycle of the definition ``file``; 0 when drawn, 1 when the file is bad.

    Raises:
        Unreadable: ``state`` is no state of the lifecycle, or Graphviz is missing.
    """
    lifecycle = load(file, allow_imports=allow_imports).lifecycle
    names = [s.name for s in lifecycle.states]
    if state is not None and state not in names:
        raise Unreadable(f"{state!r} is not one of the states: {', '.join(names)}")
    try:
        drawing = {"svg": drawn_by_govflow.svg, "graphviz": svg}.get(form, mermaid)
        drawn = drawing(lifecycle, current=state)
    except NoRenderer as error:
        raise Unreadable(str(error)) from None
    out.write(drawn)
    return 0
