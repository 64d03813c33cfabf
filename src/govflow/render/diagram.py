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

from govflow.display.diagram import label, mermaid
from govflow.errors import GovflowError
from govflow.rules.lifecycle import Lifecycle

__all__ = ["FORMATS", "NoRenderer", "dot", "mermaid", "svg"]

FORMATS = ("mermaid", "svg")


class NoRenderer(GovflowError):
    """The renderer a format needs is not installed; the message names it."""


def dot(lifecycle: Lifecycle, *, current: str | None = None) -> str:
    """The lifecycle in Graphviz's DOT language."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        f"digraph {q(lifecycle.name)} {{",
        "  rankdir=LR; node [shape=box, style=rounded, fontname=Helvetica];",
        "  edge [fontname=Helvetica, fontsize=10];",
        '  __start [shape=point, width=0.15, label=""];',
    ]
    for state in lifecycle.states:
        style = ', style="rounded,filled", fillcolor="#fde68a"' if state.name == current else ""
        peripheries = ", peripheries=2" if state.name in lifecycle.final else ""
        lines.append(f"  {q(state.name)} [label={q(state.name)}{peripheries}{style}];")
    lines.append(f"  __start -> {q(lifecycle.initial)};")
    for trigger, source, dest in lifecycle.drawn():
        text = q(label(lifecycle, trigger, source))
        lines.append(f"  {q(source)} -> {q(dest)} [label={text}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(lifecycle: Lifecycle, *, current: str | None = None) -> str:
    """The lifecycle as SVG, drawn by Graphviz's ``dot``.

    Raises:
        NoRenderer: ``dot`` is not installed.
    """
    program = shutil.which("dot")
    if program is None:
        message = (
            "drawing SVG with Graphviz needs its dot, which is not installed "
            "(Debian: apt install graphviz); mermaid and govflow's own SVG need nothing"
        )
        raise NoRenderer(message)
    done = subprocess.run(  # noqa: S603 - a fixed program, the diagram on its input
        [program, "-Tsvg"],
        input=dot(lifecycle, current=current),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        message = f"Graphviz's dot failed: {done.stderr.strip()[:500]}"
        raise NoRenderer(message)
    return done.stdout
