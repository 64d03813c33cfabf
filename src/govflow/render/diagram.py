"""A lifecycle drawn: mermaid text (nothing to install), or SVG through Graphviz.

The mermaid text is :func:`govflow.display.diagram.mermaid`'s; for SVG with nothing
installed, see :func:`govflow.display.diagram.svg`.

Both show the initial state entered from a start mark, each final state leading to an
end mark, each transition labelled with its trigger and its guards' names, and, when
asked, one state highlighted (a body's current state). SVG needs Graphviz's ``dot``
(Debian's ``graphviz`` package); without it, :class:`NoRenderer` says so.
"""

from __future__ import annotations

import shutil
import subprocess

from govflow.display.diagram import checked_current, label, mermaid, one_line
from govflow.errors import NoRenderer
from govflow.rules.lifecycle import Lifecycle

__all__ = ["FORMATS", "NoRenderer", "dot", "mermaid", "svg"]

#: How long ``dot`` may take, in seconds, before the drawing is given up.
_PATIENCE = 60

#: What else draws a lifecycle, when ``dot`` cannot.
_OTHERS = "; mermaid and govflow's own SVG (Lifecycle.svg()) need no dot"

FORMATS = ("mermaid", "svg")


def dot(lifecycle: Lifecycle, *, current: str | None = None) -> str:
    """The lifecycle in Graphviz's DOT language.

    Raises:
        InvalidRecord: ``lifecycle`` is no Lifecycle, or ``current`` none of its states.
    """
    checked_current(lifecycle, current, "dot")

    def q(text: str) -> str:
        # One line of what XML can hold (Graphviz writes it into SVG), and a '&' kept as
        # itself: Graphviz reads entities in labels ("&lt;b&gt;" would be drawn "<b>").
        text = one_line(text).replace("&", "&amp;")
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    # Nodes by number, each labelled with its name: no name can be the start mark's.
    ids = {state.name: f"s{n}" for n, state in enumerate(lifecycle.states)}
    lines = [
        f"digraph {q(lifecycle.name)} {{",
        "  rankdir=LR; node [shape=box, style=rounded, fontname=Helvetica];",
        "  edge [fontname=Helvetica, fontsize=10];",
        '  start [shape=point, width=0.15, label=""];',
    ]
    for state in lifecycle.states:
        style = ', style="rounded,filled", fillcolor="#fde68a"' if state.name == current else ""
        peripheries = ", peripheries=2" if state.name in lifecycle.final else ""
        lines.append(f"  {ids[state.name]} [label={q(state.name)}{peripheries}{style}];")
    lines.append(f"  start -> {ids[lifecycle.initial]};")
    for trigger, source, dest in lifecycle.drawn():
        text = q(label(lifecycle, trigger, source))
        lines.append(f"  {ids[source]} -> {ids[dest]} [label={text}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(lifecycle: Lifecycle, *, current: str | None = None) -> str:
    """The lifecycle as SVG, drawn by Graphviz's ``dot``.

    Raises:
        InvalidRecord: ``lifecycle`` is no Lifecycle, or ``current`` none of its states.
        NoRenderer: ``dot`` is not installed, fails, runs past a minute, or writes no
            UTF-8.
    """
    checked_current(lifecycle, current, "svg")
    text = dot(lifecycle, current=current)
    program = shutil.which("dot")
    if program is None:
        message = (
            "drawing SVG with Graphviz needs its dot, which is not installed "
            "(Debian: apt install graphviz); mermaid and govflow's own SVG need nothing"
        )
        raise NoRenderer(message)
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program, the diagram on its input
            [program, "-Tsvg"],
            input=text.encode(),
            capture_output=True,
            check=False,
            timeout=_PATIENCE,
        )
    except (OSError, subprocess.TimeoutExpired) as error:  # it cannot run, or never ends
        failed = error.strerror if isinstance(error, OSError) else f"ran past {_PATIENCE} s"
        raise NoRenderer(f"Graphviz's dot ({program}) failed: {failed}{_OTHERS}") from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()[:500]
        raise NoRenderer(f"Graphviz's dot failed: {said}")
    try:
        return done.stdout.decode()
    except UnicodeDecodeError:
        raise NoRenderer(f"Graphviz's dot ({program}) wrote no UTF-8 SVG{_OTHERS}") from None
