"""Rendering logs and explanations for people: text, pictures, case files. Depends on the core.

:func:`timeline` draws a body's history as SVG; it needs the ``plot`` extra
(matplotlib), which is imported only when a picture is drawn.
"""

from govflow.render.document import case_file
from govflow.render.picture import Drawing, timeline
from govflow.render.text import explanation_lines, timeline_lines

__all__ = ["Drawing", "case_file", "explanation_lines", "timeline", "timeline_lines"]
